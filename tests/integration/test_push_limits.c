/*
 * Chat push (issue 5) under a robot that fails and a platform's rate limit, on
 * aedesk-push's test clock: a receiver answering 500 three times (or an errcode in a 200)
 * gets the message retried and delivered once, not twice; the 21st WeCom message of a
 * minute waits for the next minute, and the messages keep their order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "push_receiver.h"
#include "push_steps.h"

TEST(test_retry_and_rate_limit)
{
	harness h;
	struct rcv rv;
	long long noon;
	CHECK(rcv_start(&rv) == 0);
	CHECK(ps_setup(&h, &rv, "pushlim", 0, &noon) == 0);
	phase("retry");
	/* 500 three times: retried with backoff, delivered once. */
	atomic_store(&rv.fail_500, 3);
	CHECK(send_test("staff:ae1", "重试一") == 0);
	CHECK(rcv_wait(&rv, "/retry/", "重试一", 200, 1, 20000) == 0);
	CHECK(wait_counts("staff:ae1", "0/1/0", 10000) == 0);
	h_sleep_ms(500); /* a second delivery would come within the backoff */
	CHECK_INT(rcv_count(&rv, "/retry/", "重试一", 500), 3);
	CHECK_INT(rcv_count(&rv, "/retry/", "重试一", 200), 1);
	/* The platform's refusal in a 200 (errcode 45009) is retried too. */
	atomic_store(&rv.fail_errcode, 1);
	CHECK(send_test("staff:ae1", "重试二") == 0);
	CHECK(rcv_wait(&rv, "/retry/", "重试二", 200, 1, 20000) == 0);
	CHECK(wait_counts("staff:ae1", "0/2/0", 10000) == 0);
	CHECK_INT(rcv_count(&rv, "/retry/", "重试二", 299), 1);
	CHECK_INT(rcv_count(&rv, "/retry/", "重试二", 200), 1);

	phase("rate");
	/* WeCom: 20 a minute. The 21st waits for the next minute (the test clock moves it). */
	for (int i = 0; i < 21; i++) {
		char t[32];
		snprintf(t, sizeof t, "限流%02d", i);
		CHECK(send_test("staff:ae2", t) == 0);
	}
	CHECK(rcv_wait(&rv, "/rate/", NULL, 200, 20, 30000) == 0);
	h_sleep_ms(500);
	CHECK_INT(rcv_count(&rv, "/rate/", NULL, 0), 20);
	CHECK_INT(rcv_count(&rv, "/rate/", "限流20", 0), 0);
	CHECK(wait_counts("staff:ae2", "1/20/0", 5000) == 0);
	CHECK(clock_set(noon + 61000) == 0);
	CHECK(rcv_wait(&rv, "/rate/", "限流20", 200, 1, 20000) == 0);
	CHECK(wait_counts("staff:ae2", "0/21/0", 10000) == 0);
	/* in order */
	int order_ok = 1, seen = 0;
	for (int k = 0; k < rv.n; k++)
		if (strstr(rv.reqs[k].target, "/rate/")) {
			char t[32];
			snprintf(t, sizeof t, "限流%02d", seen++);
			order_ok &= strstr(rv.reqs[k].body, t) != NULL;
		}
	CHECK(order_ok && seen == 21);

	phase("end");
	/* The test clock is for the admin, and only when the config turns it on. */
	CHECK_INT(h_teardown(&h), 0);
	rcv_stop(&rv);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(test_retry_and_rate_limit);
	return check_summary();
}
