/*
 * Chat push (issue 5) in quiet hours and with a robot that never takes a message, on
 * aedesk-push's test clock: a message in quiet hours (22:00-08:00, agency time) waits
 * until they end, but an urgent one (a service down, to the admin) does not; a robot that
 * always answers 500 is given up after push.give_up_days,
 * and `aedesk push status`, `aedesk status` and aedesk-status's /metrics show it (push's
 * Health counters); a robot removed while a message waits for it gives that one up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "push_receiver.h"
#include "push_steps.h"


TEST(test_quiet_hours_giving_up_and_status)
{
	harness h;
	struct rcv rv;
	long long noon;
	CHECK(rcv_start(&rv) == 0);
	CHECK(ps_setup(&h, &rv, "pushquiet", 1, &noon) == 0);
	phase("quiet");
	/* Quiet hours (22:00-08:00 agency time): held until 08:00, then sent, signed. */
	CHECK(clock_set(noon + 11 * 3600000LL) == 0); /* 23:00 */
	CHECK(send_test("staff:ae3", "夜间一") == 0);
	h_sleep_ms(500);
	CHECK_INT(rcv_count(&rv, "/quiet/", NULL, 0), 0);
	CHECK(wait_counts("staff:ae3", "1/0/0", 5000) == 0);
	H_OK(&h, "push", "status");
	CHECK(h_contains(out, "免打扰暂停 1") && h_contains(out, "现在是免打扰时段") && h_contains(out, "夜间一"));
	/* Urgent (push.urgent_rules, default ALERT) goes in quiet hours: aedesk-jobs killed,
	 * aedesk-status raises "silent", the scheduler tells every admin, and the admin's
	 * robot gets that at once, while an ordinary message to it stays held. */
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/admin/send?key=k5-abcdefgh", rv.port);
	H_OK(&h, "push", "set", "--staff", "admin", "--kind", "wecom", "--url", url);
	CHECK(send_test("staff:admin", "夜间二") == 0);
	h_kill9(&h, "jobs");
	CHECK(rcv_wait(&rv, "/admin/", "aedesk-jobs", 200, 1, 30000) == 0);
	CHECK_INT(rcv_count(&rv, "/admin/", "夜间二", 0), 0);
	int held_one = 0; /* and the alert recorded sent (any other alert would go too) */
	for (int t = 0; t < 200 && !held_one; t++) {
		Aedesk__PushListReply *lr;
		const Aedesk__PushHookView *av = hook_view(&lr, "staff:admin");
		held_one = av && av->pending == 1 && av->sent >= 1;
		wire_free(lr ? &lr->base : NULL);
		if (!held_one)
			h_sleep_ms(50);
	}
	CHECK(held_one);
	CHECK(clock_set(noon + 20 * 3600000LL + 60000) == 0); /* 08:01 the next day */
	CHECK(rcv_wait(&rv, "/quiet/", "夜间一", 200, 1, 20000) == 0);
	CHECK(rcv_wait(&rv, "/admin/", "夜间二", 200, 1, 20000) == 0);
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
	/* aedesk status shows push's backlog and failures (its Health counters), from
	 * aedesk-status (once a heartbeat has brought them) and from push directly. */
	for (int t = 0; t < 100; t++) {
		h_cli(&h, NULL, out, sizeof out, "status", NULL);
		if (h_contains(out, "push backlog=0, failed=1"))
			break;
		h_sleep_ms(50);
	}
	CHECK(h_contains(out, "push backlog=0, failed=1"));
	h_cli(&h, NULL, out, sizeof out, "status", "--direct", NULL);
	CHECK(h_contains(out, "push backlog=0, failed=1"));
	static char metrics[65536];
	int port = status_port();
	CHECK(port > 0);
	CHECK_INT(http_get(port, "/metrics", metrics, sizeof metrics), 200);
	CHECK(h_contains(metrics, "aedesk_service_figure{service=\"push\",name=\"failed\"} 1"));
	CHECK(h_contains(metrics, "aedesk_service_figure{service=\"push\",name=\"backlog\"} 0"));
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
	RUN(test_quiet_hours_giving_up_and_status);
	return check_summary();
}
