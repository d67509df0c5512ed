/*
 * R-CLASS-1: the registry applies the scorer's class recommendations. With
 * registry.class_recommendations = approve (the default) nothing changes until an AM
 * of the client's team approves (an AE cannot); approval applies the class with the
 * approver and the scorer's reasons in the history; a rejection keeps the class and
 * records why; a recommendation that went stale (the class changed since) cannot be
 * approved, and one that arrives stale is ignored. With auto, a late payer's
 * recommendation changes the class at once (history by "scorer") and the scheduler's
 * R-VISIT-1 target follows from the next ISO week.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define OK(h, ...) CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 0)
#define REFUSED(h, status, ...)                                                                   \
	do {                                                                                          \
		CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 1);   \
		CHECK(h_contains(err, status));                                                           \
	} while (0)

static uint64_t seq_of(harness *h, const char *svc, const char *cursor_of)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	uint64_t v = 0;
	if (h_call(h, svc, &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) == 0 && r) {
		if (!cursor_of)
			v = r->last_seq;
		for (size_t i = 0; cursor_of && i < r->n_cursors; i++)
			if (strcmp(r->cursors[i]->source, cursor_of) == 0)
				v = r->cursors[i]->seq;
	}
	wire_free(r ? &r->base : NULL);
	return v;
}

/* applied: consumer has applied every event of source so far. */
static int applied(harness *h, const char *consumer, const char *source)
{
	uint64_t last = seq_of(h, source, NULL);
	for (int i = 0; i < 300; i++) {
		if (seq_of(h, consumer, source) >= last)
			return 0;
		h_sleep_ms(50);
	}
	return -1;
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

static void day_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

static const char *client_class(harness *h, const char *id)
{
	static char cls[4];
	OK(h, "--json", "client", "show", id);
	const char *p = strstr(out, "\"class\": \"");
	snprintf(cls, sizeof cls, "%c", p ? p[10] : '?');
	return cls;
}

/* row_of: the JSON object of client id in a visits-due reply. */
static void row_of(const char *json, const char *id, char *buf, size_t len)
{
	char key[32];
	snprintf(key, sizeof key, "\"%s\"", id);
	const char *p = strstr(json, key), *e = p ? strchr(p, '}') : NULL;
	size_t n = p && e ? (size_t)(e - p) : 0;
	n = n < len - 1 ? n : len - 1;
	memcpy(buf, p ? p : "", n);
	buf[n] = 0;
}

TEST(test_scorer_recommendations_approved_rejected_stale_and_auto_R_CLASS_1)
{
	harness h;
	CHECK(h_setup(&h, "recs") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""}, {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	char brief[300];
	snprintf(brief, sizeof brief, "%s/brief.md", h.home);
	FILE *f = fopen(brief, "w");
	if (f) {
		fputs("# 简报\n\n## 背景\n背景。\n\n## 目标\n目标。\n\n## 目标受众\n家庭。\n\n## 洞察\n洞察。\n\n## 主张\n主张。\n\n"
		      "## 支持点\n支持。\n\n## 调性\n温暖。\n\n## 必备要素\n商标。\n\n## 交付物\n海报。\n\n## 预算\n10 万元。\n\n## 时间\n下月。\n",
		    f);
		fclose(f);
	}
	int64_t now = wire_now_ms();
	int today = (int)((now + 8 * 3600000LL) / 86400000LL);
	char due[16], late_due[16], future[16];
	day_str(today + 40, due, sizeof due);
	day_str(today - 100, late_due, sizeof late_due);
	day_str(today + 30, future, sizeof future);

	/* C000001 (A) and C000003 (A) and C000004 (B) pay 100 days late: each scores 228 (D),
	 * one class down. C000002 (C) grows: 1000, one class up. */
	static const char *const clients[][3] = {{"慢付实业", "A", "200,000"}, {"成长科技", "C", "600,000"},
	    {"迟付广告", "A", "200,000"}, {"拖欠贸易", "B", "200,000"}};
	as(&h, "sun.ae");
	for (int i = 0; i < 4; i++) {
		char id[16];
		snprintf(id, sizeof id, "C%06d", i + 1);
		OK(&h, "client", "add", "--name", clients[i][0], "--class", clients[i][1]);
		OK(&h, "job", "open", id, "--title", "年报", "--kind", "print", "--due", due, "--brief", brief);
	}
	static const char *const jobs[] = {"J000001", "J000002", "J000003", "J000004"};
	as(&h, "wu.cd");
	for (int i = 0; i < 4; i++)
		OK(&h, "job", "sign", jobs[i]);
	as(&h, "sun.ae");
	for (int i = 0; i < 4; i++)
		OK(&h, "job", "advance", jobs[i]);
	as(&h, "zhao.ad");
	for (int i = 0; i < 4; i++)
		OK(&h, "job", "sign", jobs[i]);
	as(&h, "wu.cd");
	for (int i = 0; i < 4; i++)
		OK(&h, "job", "sign", jobs[i]);
	as(&h, "zheng.fin");
	for (int i = 0; i < 4; i++) {
		char inv[16];
		snprintf(inv, sizeof inv, "I%06d", i + 1);
		OK(&h, "invoice", "add", jobs[i], "--amount", clients[i][2], "--due", i == 1 ? future : late_due);
		if (i != 1)
			OK(&h, "payment", "add", inv, "--amount", clients[i][2]);
	}
	CHECK(applied(&h, "scorer", "registry") == 0 && applied(&h, "scorer", "jobs") == 0);

	/* approve (the default): held, nothing changes. */
	as(&h, "qian.am");
	OK(&h, "scorecard", "clients", "C000001", "--recommend");
	OK(&h, "scorecard", "clients", "C000002", "--recommend");
	CHECK(applied(&h, "registry", "scorer") == 0);
	OK(&h, "--lang", "en", "client", "recommendations", "--pending");
	CHECK(h_contains(out, "R000001") && h_contains(out, "A → B") && h_contains(out, "R000002") &&
	    h_contains(out, "C → B") && h_contains(out, "pending"));
	CHECK_STR(client_class(&h, "C000001"), "A");
	CHECK_STR(client_class(&h, "C000002"), "C");
	OK(&h, "client", "history", "C000001");
	CHECK(h_contains(out, "scorer"));

	/* An AE cannot approve: refused, and nothing changed. */
	as(&h, "sun.ae");
	REFUSED(&h, "PERMISSION_DENIED", "client", "approve", "R000001");
	CHECK_STR(client_class(&h, "C000001"), "A");
	OK(&h, "client", "recommendations", "--pending");
	CHECK(h_contains(out, "R000001"));

	/* The AM approves: the class changes, by the AM, with the scorer's reasons. */
	as(&h, "qian.am");
	OK(&h, "--lang", "en", "client", "approve", "R000001");
	CHECK(h_contains(out, "class B now"));
	CHECK_STR(client_class(&h, "C000001"), "B");
	OK(&h, "--json", "client", "history", "C000001");
	const char *last = strrchr(out, '{');
	CHECK(last && h_contains(last, "\"by\": \"qian.am\"") && h_contains(last, "\"to\": \"B\"") &&
	    h_contains(last, "R000001 (228/1000)"));
	REFUSED(&h, "FAILED_PRECONDITION", "client", "approve", "R000001"); /* decided already */

	/* Stale while pending: the AM changes C000002's class by hand; R000002 (C -> B) can
	 * no longer be approved and is not listed as pending. */
	OK(&h, "client", "class", "C000002", "A", "--why", "签了年度框架合同");
	REFUSED(&h, "FAILED_PRECONDITION", "client", "approve", "R000002");
	CHECK_STR(client_class(&h, "C000002"), "A");
	OK(&h, "--lang", "en", "client", "recommendations", "--pending");
	CHECK(!h_contains(out, "R000002"));
	OK(&h, "--lang", "en", "client", "recommendations", "--client", "C000002");
	CHECK(h_contains(out, "R000002") && h_contains(out, "stale"));

	/* A rejection keeps the class and records why. */
	CHECK(applied(&h, "scorer", "registry") == 0);
	OK(&h, "scorecard", "clients", "C000001", "--recommend"); /* B -> C */
	CHECK(applied(&h, "registry", "scorer") == 0);
	as(&h, "sun.ae");
	REFUSED(&h, "PERMISSION_DENIED", "client", "reject", "R000003", "--why", "不同意");
	as(&h, "qian.am");
	REFUSED(&h, "INVALID_ARGUMENT", "client", "reject", "R000003", "--why", " ");
	OK(&h, "client", "reject", "R000003", "--why", "回款已改善，保持 B 类");
	CHECK_STR(client_class(&h, "C000001"), "B");
	OK(&h, "client", "history", "C000001");
	CHECK(h_contains(out, "回款已改善，保持 B 类") && h_contains(out, "qian.am"));

	/* Stale on arrival: the class of C000004 changes while the scorer is down; the scorer,
	 * unable to hear of it (the registry is down when it starts), still thinks B and
	 * recommends B -> C. The registry ignores it: the class stays A, nothing pending. */
	CHECK_INT(h_stop(&h, "scorer"), 0);
	OK(&h, "client", "class", "C000004", "A", "--why", "集团总部客户");
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK(h_start(&h, "scorer") == 0);
	OK(&h, "--lang", "en", "--json", "scorecard", "clients", "C000004", "--recommend");
	CHECK(h_contains(out, "\"class\": \"B\"") && h_contains(out, "\"recommended\": \"C\""));
	CHECK(h_start(&h, "registry") == 0);
	CHECK(applied(&h, "registry", "scorer") == 0);
	CHECK_STR(client_class(&h, "C000004"), "A");
	OK(&h, "client", "recommendations", "--client", "C000004");
	CHECK(!h_contains(out, "R0000"));

	/* auto: C000003's recommendation (A -> B) is applied at once, by "scorer". */
	CHECK_INT(h_stop(&h, "registry"), 0);
	h_conf_add(&h, "registry.class_recommendations", "auto");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(applied(&h, "scorer", "registry") == 0);
	OK(&h, "scorecard", "clients", "C000003", "--recommend");
	CHECK(applied(&h, "registry", "scorer") == 0);
	CHECK_STR(client_class(&h, "C000003"), "B");
	OK(&h, "--json", "client", "history", "C000003");
	last = strrchr(out, '{');
	CHECK(last && h_contains(last, "\"by\": \"scorer\"") && h_contains(last, "\"change\": \"class\"") &&
	    h_contains(last, "\"from\": \"A\"") && h_contains(last, "228/1000"));
	OK(&h, "--lang", "en", "client", "recommendations", "--client", "C000003");
	CHECK(h_contains(out, "applied") && h_contains(out, "scorer"));

	/* R-VISIT-1 follows from the next ISO week: this week still A (2 visits), the next B (1). */
	CHECK(applied(&h, "scheduler", "registry") == 0);
	int y, w;
	char week[16], row[1024];
	as(&h, "sun.ae");
	OK(&h, "--json", "visits", "due");
	row_of(out, "C000003", row, sizeof row);
	CHECK(h_contains(row, "\"class\": \"A\""));
	CHECK(h_contains(row, "\"required\": 2") || h_contains(row, "\"required\": 0")); /* 0: a holiday week */
	civil_iso_week(today + 7, &y, &w);
	snprintf(week, sizeof week, "%04d-W%02d", y, w);
	OK(&h, "--json", "visits", "due", "--week", week);
	row_of(out, "C000003", row, sizeof row);
	CHECK(h_contains(row, "\"class\": \"B\""));
	CHECK(h_contains(row, "\"required\": 1") || h_contains(row, "\"required\": 0"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_scorer_recommendations_approved_rejected_stale_and_auto_R_CLASS_1);
	return check_summary();
}
