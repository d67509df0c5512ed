/*
 * Chat push (issue 5): each notification the scheduler writes reaches the staff member's
 * DingTalk robot (signed) and their AM's Feishu team robot (signed), or a WeCom robot,
 * exactly once; who may set a robot; the URL and secret never shown or logged.
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

/* R-REMIND-1 (the notification reaches the person where they are) */
TEST(test_notifications_reach_signed_robots_once_and_credentials_stay_hidden)
{
	harness h;
	struct rcv rv;
	CHECK(rcv_start(&rv) == 0);
	CHECK(h_setup(&h, "push") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-02-01 00:00");
	h_conf_add(&h, "push.quiet", "off");
	h_conf_add(&h, "push.rate.dingtalk.per_min", "0");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	add_staff(&h, "am1", "李经理", "am", NULL);
	add_staff(&h, "ae1", "王主任", "ae", "am1");
	add_staff(&h, "ae2", "赵主任", "ae", "am1");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--ae", "ae1");
	H_OK(&h, "client", "add", "--name", "长城电器", "--ae", "ae2");
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_start(&h, "push") == 0);
	CHECK(st_settle(&h) == 0);
	CHECK(h_wait_consumer(&h, "push", "registry", 20000) == 0);

	char ding[256], feishu[256], wecom[256];
	snprintf(ding, sizeof ding, "http://127.0.0.1:%d/ding/robot/send?access_token=TOKEN-ae1-0123456789", rv.port);
	snprintf(feishu, sizeof feishu, "http://127.0.0.1:%d/feishu/open-apis/bot/v2/hook/HOOK-am1-0123456789", rv.port);
	snprintf(wecom, sizeof wecom, "http://127.0.0.1:%d/wecom/cgi-bin/webhook/send?key=KEY-ae2-0123456789", rv.port);

	/* Who may set what: anyone their own, an AM their team, not someone else's. */
	CHECK(login(&h, "ae2") == 0);
	H_REFUSED(&h, "PERMISSION_DENIED", "无权设置", "push", "set", "--staff", "ae1", "--kind", "dingtalk", "--url", ding);
	H_REFUSED(&h, "PERMISSION_DENIED", "无权设置", "push", "set", "--team", "am1", "--kind", "feishu", "--url", feishu);
	H_OK(&h, "push", "set", "--staff", "ae2", "--kind", "wecom", "--url", wecom);
	CHECK(login(&h, "am1") == 0);
	CHECK_INT(h_cli(&h, "demo\n", out, sizeof out, "push", "set", "--team", "am1", "--kind", "feishu", "--url", feishu,
	              "--secret-stdin", NULL), 0);
	CHECK(login(&h, "ae1") == 0);
	H_OK(&h, "push", "set", "--staff", "ae1", "--kind", "dingtalk", "--url", ding, "--secret", "this is secret");
	/* Bad input is refused and changes nothing. */
	H_REFUSED(&h, "INVALID_ARGUMENT", "wecom", "push", "set", "--staff", "ae1", "--kind", "slack", "--url", ding);
	H_REFUSED(&h, "INVALID_ARGUMENT", "http", "push", "set", "--staff", "ae1", "--kind", "wecom", "--url", "ftp://x.example/a");
	H_REFUSED(&h, "FAILED_PRECONDITION", "AM", "push", "set", "--team", "ae1", "--kind", "wecom", "--url", wecom);
	H_REFUSED(&h, "NOT_FOUND", "staff:ae2", "push", "remove", "staff:ae2"); /* not ae1's: as if none */
	CHECK(h_login_admin(&h) == 0);
	H_OK(&h, "push", "list");
	CHECK(h_contains(out, "staff:ae1") && h_contains(out, "staff:ae2") && h_contains(out, "team:am1"));
	CHECK(h_contains(out, "钉钉") && h_contains(out, "飞书") && h_contains(out, "企业微信"));
	CHECK(h_contains(out, "access_token=****") && h_contains(out, "key=****") && h_contains(out, "HOOK****"));
	CHECK(!h_contains(out, "TOKEN-ae1") && !h_contains(out, "KEY-ae2") && !h_contains(out, "HOOK-am1"));
	CHECK(!h_contains(out, "this is secret") && !h_contains(out, "demo"));
	CHECK(h_contains(out, "thi****") || h_contains(out, "****"));
	H_OK(&h, "--json", "push", "list");
	CHECK(!h_contains(out, "TOKEN-ae1") && !h_contains(out, "this is secret"));

	/* The first week of February: the scheduler's notifications go out. */
	CHECK(st_at(&h, local_ms(2026, 2, 9, 8, 0)) == 0);
	Aedesk__InboxListReply *i1 = inbox_of("ae1"), *i2 = inbox_of("ae2"), *i3 = inbox_of("am1");
	CHECK(i1 && i2 && i1->n_notifications > 0 && i2->n_notifications > 0);
	size_t n1 = i1 ? i1->n_notifications : 0, n2 = i2 ? i2->n_notifications : 0;
	fprintf(stderr, "    notifications: ae1 %zu, ae2 %zu, am1 %zu\n", n1, n2, i3 ? i3->n_notifications : 0);
	CHECK(wait_sent(&st_adm, 2 * (n1 + n2), 60000) == 0);
	long long now = st_now_ms();
	for (size_t i = 0; i < n1; i++) {
		const Aedesk__Notification *n = i1->notifications[i];
		char id[32];
		snprintf(id, sizeof id, "[%s]", n->id);
		CHECK_INT(rcv_count(&rv, "/ding/", id, 200), 1);
		CHECK_INT(rcv_count(&rv, "/feishu/", id, 200), 1);
		CHECK_INT(rcv_count(&rv, "/wecom/", id, 0), 0);
		for (int k = 0; k < rv.n; k++)
			if (strstr(rv.reqs[k].body, id)) {
				if (strstr(rv.reqs[k].target, "/ding/")) {
					CHECK(rcv_dingtalk_ok(&rv.reqs[k], "this is secret", now));
					CHECK(strncmp(rv.reqs[k].body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"【aedesk】", 42) == 0);
					CHECK(strstr(rv.reqs[k].target, "access_token=TOKEN-ae1-0123456789&timestamp=") != NULL);
				} else {
					CHECK(rcv_feishu_ok(&rv.reqs[k], "demo", now));
					CHECK(strstr(rv.reqs[k].body, "王主任（ae1）：") != NULL);
				}
			}
	}
	for (size_t i = 0; i < n2; i++) {
		char id[32];
		snprintf(id, sizeof id, "[%s]", i2->notifications[i]->id);
		CHECK_INT(rcv_count(&rv, "/wecom/", id, 200), 1);
		CHECK_INT(rcv_count(&rv, "/feishu/", id, 200), 1);
		CHECK_INT(rcv_count(&rv, "/ding/", id, 0), 0);
	}
	for (size_t i = 0; i < n2 && i < 1; i++)
		for (int k = 0; k < rv.n; k++)
			if (strstr(rv.reqs[k].target, "/wecom/"))
				CHECK(strncmp(rv.reqs[k].body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"【aedesk】", 42) == 0);
	/* The AM's own notifications are not the team's (only their AEs' are). */
	CHECK_INT(rcv_count(&rv, "/", NULL, 0), (int)(2 * (n1 + n2)));
	wire_free(i1 ? &i1->base : NULL);
	wire_free(i2 ? &i2->base : NULL);
	wire_free(i3 ? &i3->base : NULL);

	/* A test message, and what status shows. */
	CHECK(login(&h, "ae1") == 0);
	H_OK(&h, "push", "test", "staff:ae1");
	CHECK(rcv_wait(&rv, "/ding/", "测试消息", 200, 1, 20000) == 0);
	H_OK(&h, "push", "status", "--all"); /* ae1 sees their own robot's deliveries only */
	CHECK(h_contains(out, "staff:ae1") && !h_contains(out, "team:am1") && !h_contains(out, "staff:ae2"));
	CHECK(h_login_admin(&h) == 0);
	H_OK(&h, "push", "status", "--all");
	CHECK(h_contains(out, "已发") && h_contains(out, "staff:ae1") && h_contains(out, "失败 0"));
	/* Removing: ae2's own; afterwards it gets nothing. */
	CHECK(login(&h, "ae2") == 0);
	H_OK(&h, "push", "remove", "staff:ae2");
	H_OK(&h, "push", "list");
	CHECK(h_contains(out, "没有设置推送"));

	/* Never logged: the URL's key and the secrets. */
	char path[512], *log = malloc(1 << 20);
	snprintf(path, sizeof path, "%s/push.log", h.home);
	CHECK(log && h_read_file(path, log, 1 << 20) == 0);
	CHECK(log && !h_contains(log, "TOKEN-ae1") && !h_contains(log, "KEY-ae2") && !h_contains(log, "HOOK-am1"));
	CHECK(log && !h_contains(log, "this is secret"));
	free(log);
	CHECK_INT(h_teardown(&h), 0);
	rcv_stop(&rv);
}

int main(void)
{
	RUN(test_notifications_reach_signed_robots_once_and_credentials_stay_hidden);
	return check_summary();
}
