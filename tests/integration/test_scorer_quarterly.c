/*
 * R-CLASS-1: the class is assessed periodically. The scorer assesses every client by
 * itself once a quarter: when the clock it derives from events (the latest event time)
 * enters a new quarter, every client is scored as of the end of the quarter before and
 * each whose recommendation differs from its class is sent as ClassRecommended, with
 * nobody running `scorecard clients --recommend`.
 *
 * Time: the registry and jobs stamp their events with their clocks, the system's. Both
 * are restarted with <service>.test_clock_shift_days (tests only) so that their next
 * events are stamped on the second day of the next quarter: that is the scorer's
 * clocks crossing the quarter, exactly as the first events of a real new quarter would.
 * The scorer assesses once every source (registry, jobs) has an event in the new
 * quarter, so all of the old quarter's events are in whatever order a replay takes them.
 *
 * A client (B) owes 200,000 due 100 days ago, unpaid through the quarter: with the first
 * events of the next quarter (a payment, now late, and a new client) the scorer sends
 * C000001 B -> C (228/1000, as of the quarter's last millisecond); a client never
 * invoiced gets nothing; the registry (auto) applies it: class C. A second event in the same quarter
 * sends nothing new. The scorer's store rebuilt by replay sends the same recommendation
 * again (from the class as of the quarter's end, B, though the registry's events,
 * replayed first, already say C), and the registry, which already has it, applies
 * nothing twice (no C -> D either).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "scorer.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define OK(h, ...) CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 0)

static int caught_up(harness *h)
{
	return h_wait_consumer(h, "scorer", "registry", 20000) || h_wait_consumer(h, "scorer", "jobs", 20000) ? -1 : 0;
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

static void day_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* recommendations: the scorer's outbox's ClassRecommended, "C000001:B>C(228);..." */
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
				u += (size_t)snprintf(buf + u, len - u, "%s:%s>%s(%lld);", cr->client_id, cr->from, cr->to,
				    (long long)cr->score);
			wire_free(cr ? &cr->base : NULL);
		}
		wire_free(e ? &e->base : NULL);
	}
	wire_free(&r->base);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static const char *client_class(harness *h, const char *id)
{
	static char cls[4];
	OK(h, "--json", "client", "show", id);
	const char *p = strstr(out, "\"class\": \"");
	snprintf(cls, sizeof cls, "%c", p ? p[10] : '?');
	return cls;
}

/* agency: registry, jobs and scorer started; an AD, an AM, an AE, a CD and finance; a brief
 * file; a due date 40 days ahead and one 100 days ago. Returns today (agency time). */
static int agency(harness *h, char *brief, size_t blen, char due[16], char late_due[16])
{
	CHECK(h_start(h, "registry") == 0);
	CHECK(h_start(h, "jobs") == 0);
	CHECK(h_start(h, "scorer") == 0);
	CHECK(h_login_admin(h) == 0);
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""}, {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	h_write_file(h, "brief.md",
	    "# 简报\n\n## 背景\n背景。\n\n## 目标\n目标。\n\n## 目标受众\n家庭。\n\n## 洞察\n洞察。\n\n## 主张\n主张。\n\n"
	    "## 支持点\n支持。\n\n## 调性\n温暖。\n\n## 必备要素\n商标。\n\n## 交付物\n海报。\n\n## 预算\n10 万元。\n\n## 时间\n下月。\n",
	    brief, blen);
	int today = (int)((wire_now_ms() + 8 * 3600000LL) / 86400000LL);
	day_str(today + 40, due, 16);
	day_str(today - 100, late_due, 16);
	return today;
}

TEST(test_quarterly_assessment_without_anyone_asking_R_CLASS_1)
{
	harness h;
	CHECK(h_setup(&h, "squarter") == 0);
	/* Applied at once: the class change is the recommendation's event, at its time. */
	h_conf_add(&h, "registry.class_recommendations", "auto");
	char brief[300], due[16], late_due[16];
	int today = agency(&h, brief, sizeof brief, due, late_due);

	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "慢付实业", "--class", "B");
	OK(&h, "client", "add", "--name", "新签广告", "--class", "A"); /* C000002: never invoiced */
	OK(&h, "job", "open", "C000001", "--title", "年报", "--kind", "print", "--due", due, "--brief", brief);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	OK(&h, "job", "advance", "J000001");
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001");
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "zheng.fin");
	OK(&h, "invoice", "add", "J000001", "--amount", "200,000", "--due", late_due);
	CHECK(caught_up(&h) == 0);

	/* Within the quarter nothing is sent: nobody asked, and the quarter is not over. */
	char recs[2048], again[2048];
	recommendations(&h, recs, sizeof recs);
	CHECK_STR(recs, "");

	/* The jobs service's clock moves to the second day of the next quarter. */
	int y, m, d;
	days_to_civil(today, &y, &m, &d);
	int nq = ((m - 1) / 3 + 1) * 3 + 1, ny = y;
	if (nq > 12) {
		nq = 1;
		ny++;
	}
	char shift[16];
	snprintf(shift, sizeof shift, "%d", civil_to_days(ny, nq, 1) + 1 - today);
	CHECK_INT(h_stop(&h, "jobs"), 0);
	CHECK_INT(h_stop(&h, "registry"), 0);
	h_conf_add(&h, "jobs.test_clock_shift_days", shift);
	h_conf_add(&h, "registry.test_clock_shift_days", shift);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);

	/* The first jobs event of the new quarter: half the money, a quarter late. The
	 * registry has said nothing of the new quarter yet (its events of the last one may
	 * still be on their way): not yet. */
	as(&h, "zheng.fin");
	OK(&h, "payment", "add", "I000001", "--amount", "100,000");
	CHECK(caught_up(&h) == 0);
	recommendations(&h, recs, sizeof recs);
	CHECK_STR(recs, "");
	/* The registry's first event of the new quarter (a new client): every source is in
	 * it. The clients are assessed as of the quarter's end: C000001 200,000 -> 400 x 40,
	 * unpaid 100+ days -> 0 x 30: 228, class D; one class at a time: B -> C. C000002 has
	 * nothing to go on; C000003 was not a client then. */
	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "新季度客户", "--class", "A");
	CHECK(caught_up(&h) == 0);
	recommendations(&h, recs, sizeof recs);
	CHECK_STR(recs, "C000001:B>C(228);");
	CHECK(h_wait_consumer(&h, "registry", "scorer", 20000) == 0);
	as(&h, "qian.am");
	OK(&h, "--json", "client", "recommendations", "--client", "C000001");
	CHECK(count(out, "\"R0") == 1 && h_contains(out, "applied") && h_contains(out, "228"));
	CHECK_STR(client_class(&h, "C000001"), "C");
	OK(&h, "--json", "client", "recommendations", "--client", "C000002");
	CHECK(!h_contains(out, "\"R0"));

	/* One assessment a quarter: another event of the same quarter sends nothing. */
	as(&h, "zheng.fin");
	OK(&h, "payment", "add", "I000001", "--amount", "100,000");
	CHECK(caught_up(&h) == 0);
	recommendations(&h, again, sizeof again);
	CHECK_STR(again, recs);

	/* Rebuild by replay: the same events make the same assessment, sent again in the new
	 * store; the registry already has it: nothing applied twice, and no C -> D. */
	CHECK_INT(h_stop(&h, "scorer"), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/data/scorer'", h.home);
	CHECK_INT(system(cmd), 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(caught_up(&h) == 0);
	recommendations(&h, again, sizeof again);
	CHECK_STR(again, recs);
	CHECK(h_wait_consumer(&h, "registry", "scorer", 20000) == 0);
	as(&h, "qian.am");
	OK(&h, "--json", "client", "recommendations", "--client", "C000001");
	CHECK(count(out, "\"R0") == 1 && h_contains(out, "applied"));
	CHECK_STR(client_class(&h, "C000001"), "C");
	OK(&h, "--json", "client", "history", "C000001");
	CHECK(count(out, "\"to\": \"C\"") == 1 && !h_contains(out, "\"to\": \"D\""));
	CHECK_INT(h_teardown(&h), 0);
}

/* scorer.assess = off: the quarter passes and nothing is sent unless asked. */
TEST(test_assess_off_sends_nothing_by_itself)
{
	harness h;
	CHECK(h_setup(&h, "squarteroff") == 0);
	h_conf_add(&h, "scorer.assess", "off");
	char brief[300], due[16], late_due[16];
	agency(&h, brief, sizeof brief, due, late_due);
	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "慢付实业", "--class", "B");
	OK(&h, "job", "open", "C000001", "--title", "年报", "--kind", "print", "--due", due, "--brief", brief);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	OK(&h, "job", "advance", "J000001");
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001");
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "zheng.fin");
	OK(&h, "invoice", "add", "J000001", "--amount", "200,000", "--due", late_due);
	CHECK(caught_up(&h) == 0);
	CHECK_INT(h_stop(&h, "jobs"), 0);
	CHECK_INT(h_stop(&h, "registry"), 0);
	h_conf_add(&h, "jobs.test_clock_shift_days", "100"); /* a quarter or more ahead */
	h_conf_add(&h, "registry.test_clock_shift_days", "100");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	OK(&h, "payment", "add", "I000001", "--amount", "200,000");
	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "新季度客户", "--class", "A");
	CHECK(caught_up(&h) == 0);
	char recs[2048];
	recommendations(&h, recs, sizeof recs);
	CHECK_STR(recs, "");
	/* Asked, it still recommends (as of its clock, the payment's day: paid, but late). */
	as(&h, "qian.am");
	OK(&h, "scorecard", "clients", "--recommend");
	recommendations(&h, recs, sizeof recs);
	CHECK(h_contains(recs, "C000001:B>"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_quarterly_assessment_without_anyone_asking_R_CLASS_1);
	RUN(test_assess_off_sends_nothing_by_itself);
	return check_summary();
}
