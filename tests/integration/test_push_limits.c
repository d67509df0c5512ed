/*
 * Chat push (issue 5) under a robot that fails, a platform's rate limit and quiet hours,
 * on aedesk-push's test clock: a receiver answering 500 three times (or an errcode in a
 * 200) gets the message retried and delivered once, not twice; the 21st WeCom message of
 * a minute waits for the next minute; a message in quiet hours waits until they end; a
 * robot that never takes it is given up after push.give_up_days, and status shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "push.pb-c.h"
#include "push_receiver.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL

static char out[16384], err[4096];
static harness adm;

static void phase(const char *what)
{
	static struct timespec t0;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec)
		t0 = t;
	fprintf(stderr, "    %5.1f s  %s\n", (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9, what);
}

static int clock_set(long long t)
{
	Aedesk__PushClockSetRequest q = AEDESK__PUSH_CLOCK_SET_REQUEST__INIT;
	q.now_ms = t;
	return h_call(&adm, "push", &q.base, &aedesk__push_status_reply__descriptor, NULL);
}

static int send_test(const char *id, const char *text)
{
	Aedesk__PushTestRequest q = AEDESK__PUSH_TEST_REQUEST__INIT;
	q.id = (char *)id;
	q.text = (char *)text;
	return h_call(&adm, "push", &q.base, &aedesk__push_test_reply__descriptor, NULL);
}

/* hook_view: the list's view of one webhook (free with wire_free on the reply). */
static const Aedesk__PushHookView *hook_view(Aedesk__PushListReply **keep, const char *id)
{
	Aedesk__PushListRequest q = AEDESK__PUSH_LIST_REQUEST__INIT;
	*keep = NULL;
	if (h_call(&adm, "push", &q.base, &aedesk__push_list_reply__descriptor, (ProtobufCMessage **)keep) != 0)
		return NULL;
	for (size_t i = 0; i < (*keep)->n_hooks; i++)
		if (strcmp((*keep)->hooks[i]->id, id) == 0)
			return (*keep)->hooks[i];
	return NULL;
}

/* hook_counts: pending, sent, failed of one webhook as "p/s/f". */
static void hook_counts(const char *id, char *buf, size_t len)
{
	Aedesk__PushListReply *r;
	const Aedesk__PushHookView *v = hook_view(&r, id);
	snprintf(buf, len, v ? "%llu/%llu/%llu" : "?", v ? (unsigned long long)v->pending : 0ULL,
	    v ? (unsigned long long)v->sent : 0ULL, v ? (unsigned long long)v->failed : 0ULL);
	wire_free(r ? &r->base : NULL);
}

static int wait_counts(const char *id, const char *want, int ms)
{
	char got[64] = "";
	for (int t = 0; t < ms; t += 50) {
		hook_counts(id, got, sizeof got);
		if (strcmp(got, want) == 0)
			return 0;
		h_sleep_ms(50);
	}
	fprintf(stderr, "    %s: %s, wanted %s\n", id, got, want);
	return -1;
}

TEST(test_retry_rate_limit_quiet_hours_and_giving_up)
{
	harness h;
	struct rcv rv;
	CHECK(rcv_start(&rv) == 0);
	phase("start");
	CHECK(h_setup(&h, "pushlim") == 0);
	h_conf_add(&h, "push.test_clock", "on");
	h_conf_add(&h, "push.quiet", "22:00-08:00");
	h_conf_add(&h, "push.retry_base_ms", "200");
	h_conf_add(&h, "push.retry_max_ms", "1000");
	h_conf_add(&h, "push.give_up_days", "1");
	/* push's source, on a clock that stays before anything is due */
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-02-01 00:00");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	const char *staff[] = {"ae1", "ae2", "ae3", "ae4"};
	for (int i = 0; i < 4; i++)
		H_OK(&h, "staff", "add", staff[i], "--name", "主任", "--role", "ae");
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_start(&h, "push") == 0);
	adm = h;
	CHECK(h_wait_consumer(&h, "push", "registry", 20000) == 0);
	/* Noon today, agency time: not quiet. */
	long long now = (long long)time(NULL) * 1000;
	long long noon = (now + TZ_MS) / DAY_MS * DAY_MS + 12 * 3600000LL - TZ_MS;
	CHECK(clock_set(noon) == 0);
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/retry/send?key=k1-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "ae1", "--kind", "wecom", "--url", url);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/rate/send?key=k2-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "ae2", "--kind", "wecom", "--url", url);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/quiet/robot/send?access_token=k3-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "ae3", "--kind", "dingtalk", "--url", url, "--secret", "SEC-quiet-0123456789");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/dead/send?key=k4-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "ae4", "--kind", "wecom", "--url", url);

	phase("retry");
	/* 500 three times: retried with backoff, delivered once. */
	atomic_store(&rv.fail_500, 3);
	CHECK(send_test("staff:ae1", "重试一") == 0);
	CHECK(rcv_wait(&rv, "/retry/", "重试一", 200, 1, 20000) == 0);
	CHECK(wait_counts("staff:ae1", "0/1/0", 10000) == 0);
	h_sleep_ms(800); /* a second delivery would come within the backoff */
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
	h_sleep_ms(1000);
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

	phase("quiet");
	/* Quiet hours (22:00-08:00 agency time): held until 08:00, then sent, signed. */
	CHECK(clock_set(noon + 11 * 3600000LL) == 0); /* 23:00 */
	CHECK(send_test("staff:ae3", "夜间一") == 0);
	h_sleep_ms(1000);
	CHECK_INT(rcv_count(&rv, "/quiet/", NULL, 0), 0);
	CHECK(wait_counts("staff:ae3", "1/0/0", 5000) == 0);
	H_OK(&h, "push", "status");
	CHECK(h_contains(out, "免打扰暂停 1") && h_contains(out, "现在是免打扰时段") && h_contains(out, "夜间一"));
	CHECK(clock_set(noon + 20 * 3600000LL + 60000) == 0); /* 08:01 the next day */
	CHECK(rcv_wait(&rv, "/quiet/", "夜间一", 200, 1, 20000) == 0);
	for (int k = 0; k < rv.n; k++)
		if (strstr(rv.reqs[k].target, "/quiet/"))
			CHECK(rcv_dingtalk_ok(&rv.reqs[k], "SEC-quiet-0123456789", (long long)time(NULL) * 1000));

	phase("give up");
	/* A robot that never takes it: retried, then given up after a day; status shows it. */
	CHECK(send_test("staff:ae4", "必败一") == 0);
	CHECK(rcv_wait(&rv, "/dead/", "必败一", 500, 2, 20000) == 0);
	CHECK(clock_set(noon + 20 * 3600000LL + DAY_MS + 120000) == 0);
	CHECK(wait_counts("staff:ae4", "0/0/1", 20000) == 0);
	H_OK(&h, "push", "status");
	CHECK(h_contains(out, "失败 1") && h_contains(out, "失败（已放弃）") && h_contains(out, "HTTP 500"));
	H_OK(&h, "--lang", "en", "push", "status");
	CHECK(h_contains(out, "failed 1") && h_contains(out, "failed (given up)"));
	Aedesk__PushListReply *r;
	const Aedesk__PushHookView *v = hook_view(&r, "staff:ae4");
	CHECK(v && h_contains(v->last_error, "HTTP 500"));
	wire_free(r ? &r->base : NULL);
	/* aedesk status shows push's backlog and failures (its Health counters). */
	h_cli(&h, NULL, out, sizeof out, "status", "--direct", NULL); /* exit 1: not every service runs here */
	CHECK(h_contains(out, "push backlog=0, failed=1"));
	int n = rcv_count(&rv, "/dead/", NULL, 0);
	h_sleep_ms(1000);
	CHECK_INT(rcv_count(&rv, "/dead/", NULL, 0), n); /* no more tries */

	/* A robot removed while a message waits for it (quiet hours): that one is given up. */
	CHECK(clock_set(noon + 2 * DAY_MS + 11 * 3600000LL) == 0);
	CHECK(send_test("staff:ae2", "删除前") == 0);
	H_OK(&h, "push", "remove", "staff:ae2");
	for (int t = 0; t < 200; t++) {
		H_OK(&h, "push", "status");
		if (h_contains(out, "失败 2"))
			break;
		h_sleep_ms(50);
	}
	CHECK(h_contains(out, "失败 2") && h_contains(out, "webhook removed") && h_contains(out, "删除前"));
	CHECK_INT(rcv_count(&rv, "/rate/", "删除前", 0), 0);

	phase("end");
	/* The test clock is for the admin, and only when the config turns it on. */
	CHECK_INT(h_teardown(&h), 0);
	rcv_stop(&rv);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(test_retry_rate_limit_quiet_hours_and_giving_up);
	return check_summary();
}
