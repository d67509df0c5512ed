/*
 * Chat push (issue 5): a kill -9 of aedesk-push while it delivers the scheduler's
 * notifications loses nothing, and sends nothing twice beyond the one message in flight
 * per robot (at least once at the HTTP boundary).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "push_receiver.h"
#include "push_steps.h"

static long long local_ms(int y, int m, int d, int h, int mi)
{
	return (long long)civil_to_days(y, m, d) * 86400000LL + (h * 60 + mi) * 60000LL - TZ_MS;
}

/* kill -9 of aedesk-push while it delivers: nothing lost, nothing doubled but in flight. */
TEST(test_kill9_while_delivering_loses_nothing)
{
	harness h;
	struct rcv rv;
	CHECK(rcv_start(&rv) == 0);
	atomic_store(&rv.delay_ms, 60);
	CHECK(h_setup(&h, "pushkill") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-02-01 00:00");
	h_conf_add(&h, "push.quiet", "off");
	h_conf_add(&h, "push.rate.wecom.per_min", "0");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	add_staff(&h, "ae1", "王主任", "ae", NULL);
	H_OK(&h, "client", "add", "--name", "华夏食品", "--ae", "ae1");
	H_OK(&h, "client", "add", "--name", "长城电器", "--ae", "ae1");
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_start(&h, "push") == 0);
	CHECK(st_settle(&h) == 0);
	CHECK(h_wait_consumer(&h, "push", "registry", 20000) == 0);
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/wecom/send?key=K1-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "ae1", "--kind", "wecom", "--url", url);

	CHECK(st_at(&h, local_ms(2026, 3, 2, 8, 0)) == 0);
	Aedesk__InboxListReply *in = inbox_of("ae1");
	size_t n = in ? in->n_notifications : 0;
	fprintf(stderr, "    ae1 has %zu notifications\n", n);
	CHECK(n >= 10);
	/* Twice: wait until some went out, then kill -9 in the middle of the rest. */
	for (int k = 0; k < 2; k++) {
		CHECK(rcv_wait(&rv, "/wecom/", NULL, 200, 3 + 4 * k, 30000) == 0);
		h_kill9(&h, "push");
		CHECK(h_start(&h, "push") == 0);
	}
	CHECK(wait_sent(&st_adm, n, 60000) == 0);
	int total = rcv_count(&rv, "/wecom/", NULL, 200), missing = 0;
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "[%s]", in->notifications[i]->id);
		missing += rcv_count(&rv, "/wecom/", id, 200) < 1;
	}
	fprintf(stderr, "    delivered %d requests for %zu notifications across 2 kills\n", total, n);
	CHECK_INT(missing, 0);
	CHECK(total >= (int)n && total <= (int)n + 2); /* at most the one in flight per kill */
	wire_free(in ? &in->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
	rcv_stop(&rv);
}

int main(void)
{
	RUN(test_kill9_while_delivering_loses_nothing);
	return check_summary();
}
