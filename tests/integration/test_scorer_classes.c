/*
 * R-CLASS-1: client scoring from revenue (12 months), payment timeliness and
 * satisfaction recommends a class. A client that paid a quarter late is recommended
 * down a class; one whose revenue grew is recommended up (one class at a time). The
 * recommendation is sent once as ClassRecommended {client_id, from, to, score, reasons}.
 * A client never invoiced has no revenue input (nothing is known of its business yet)
 * and is not recommended down for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "scorer.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define OK(h, ...) CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 0)

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

static int caught_up(harness *h)
{
	uint64_t reg = seq_of(h, "registry", NULL), jobs = seq_of(h, "jobs", NULL);
	for (int i = 0; i < 300; i++) {
		if (seq_of(h, "scorer", "registry") >= reg && seq_of(h, "scorer", "jobs") >= jobs)
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

/* recommendations: the ClassRecommended events in the scorer's outbox, "C000001:B>C;..." */
static void recommendations(harness *h, char *buf, size_t len)
{
	Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
	q.from_seq = 1;
	Aedesk__ReplayReply *r = NULL;
	buf[0] = 0;
	if (h_call(h, "scorer", &q.base, &aedesk__replay_reply__descriptor, (ProtobufCMessage **)&r) != 0 || !r)
		return;
	for (size_t i = 0, u = 0; i < r->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
		if (e && strcmp(e->type, aedesk__class_recommended__descriptor.name) == 0) {
			Aedesk__ClassRecommended *cr = (Aedesk__ClassRecommended *)wire_unpack(
			    &aedesk__class_recommended__descriptor, e->payload.data, e->payload.len, NULL);
			if (cr && u < len)
				u += (size_t)snprintf(buf + u, len - u, "%s:%s>%s(%zu);", cr->client_id, cr->from, cr->to,
				    cr->n_reasons);
			wire_free(cr ? &cr->base : NULL);
		}
		wire_free(e ? &e->base : NULL);
	}
	wire_free(&r->base);
}

TEST(test_late_payer_goes_down_and_growing_client_goes_up_R_CLASS_1)
{
	harness h;
	CHECK(h_setup(&h, "sclass") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scorer") == 0);
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
	int today = (int)((wire_now_ms() + 8 * 3600000LL) / 86400000LL);
	char due[16], late_due[16], future[16];
	day_str(today + 40, due, sizeof due);
	day_str(today - 100, late_due, sizeof late_due);
	day_str(today + 30, future, sizeof future);

	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "慢付实业", "--class", "B");
	OK(&h, "client", "add", "--name", "成长科技", "--class", "C");
	OK(&h, "client", "add", "--name", "新签广告", "--class", "A"); /* C000003: never invoiced */
	OK(&h, "job", "open", "C000001", "--title", "年报", "--kind", "print", "--due", due, "--brief", brief);
	OK(&h, "job", "open", "C000002", "--title", "新品上市", "--kind", "print", "--due", due, "--brief", brief);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	OK(&h, "job", "sign", "J000002");
	as(&h, "sun.ae");
	OK(&h, "job", "advance", "J000001");
	OK(&h, "job", "advance", "J000002");
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001");
	OK(&h, "job", "sign", "J000002");
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	OK(&h, "job", "sign", "J000002");
	/* C000001: 200,000 due 100 days ago, paid only now. C000002: 600,000 due next month. */
	as(&h, "zheng.fin");
	OK(&h, "invoice", "add", "J000001", "--amount", "200,000", "--due", late_due);
	OK(&h, "payment", "add", "I000001", "--amount", "200,000");
	OK(&h, "invoice", "add", "J000002", "--amount", "600,000", "--due", future);
	CHECK(caught_up(&h) == 0);

	/* An AE sees the scores but cannot send recommendations. */
	as(&h, "sun.ae");
	OK(&h, "--lang", "en", "scorecard", "clients");
	CHECK(h_contains(out, "C000001") && h_contains(out, "C000002"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "scorecard", "clients", "--recommend", NULL), 1);
	char recs[2048];
	recommendations(&h, recs, sizeof recs);
	CHECK_STR(recs, "");

	/* revenue 200,000 -> 400 x 40, 100 days late -> 0 x 30: 228 fits D; one class down: C.
	 * revenue 600,000 -> 1000 x 40, nothing due yet: 1000 fits A; one class up: B. */
	as(&h, "qian.am");
	OK(&h, "--json", "scorecard", "clients", "--recommend");
	CHECK(h_contains(out, "\"score\": 228") && h_contains(out, "\"score\": 1000"));
	CHECK(h_contains(out, "99.0") && h_contains(out, "I000001 99")); /* due at the end of a day 100 days ago */
	recommendations(&h, recs, sizeof recs);
	CHECK(h_contains(recs, "C000001:B>C(") && h_contains(recs, "C000002:C>B(") && !h_contains(recs, "C000003"));
	OK(&h, "--lang", "en", "--json", "scorecard", "clients", "C000003");
	CHECK(h_contains(out, "\"recommended\": \"A\"") && h_contains(out, "never invoiced") &&
	    h_contains(out, "\"weight\": 40") == 0);
	/* Sent once: asking again sends nothing new. */
	OK(&h, "scorecard", "clients", "--recommend");
	char again[2048];
	recommendations(&h, again, sizeof again);
	CHECK_STR(again, recs);
	/* Once the class is changed (here by the AM, as the registry would on applying it),
	 * the next assessment starts from the new class. */
	OK(&h, "client", "class", "C000002", "B", "--why", "按评分建议（R-CLASS-1）");
	CHECK(caught_up(&h) == 0);
	OK(&h, "--lang", "en", "scorecard", "clients", "C000002", "--recommend");
	CHECK(h_contains(out, "class B → A"));
	recommendations(&h, again, sizeof again);
	CHECK(h_contains(again, "C000002:B>A("));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_late_payer_goes_down_and_growing_client_goes_up_R_CLASS_1);
	return check_summary();
}
