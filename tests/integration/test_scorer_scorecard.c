/*
 * R-SCORE-1: an AE's scorecard combines the supervisor's 1-5 ratings with objective
 * measures computed from registry and jobs events, and explains itself. The inputs
 * here are scripted (visits, a job with one on-time and one late stage and a revision
 * card, an invoice and a part payment, a survey, a target, ratings), so the total is
 * computed by hand and every input must name the right ids. Then the scorer's store is
 * deleted and rebuilt by replay: the same scorecards, team ranking and client scores
 * (R-CLASS-1), byte for byte (JSON).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "jobs.pb-c.h"
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

/* caught_up: the scorer has applied every registry and jobs event so far. */
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

static void add_staff(harness *h)
{
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""},
	    {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
}

static void write_brief(harness *h, char *path, size_t len)
{
	static const char md[] = "# 创意简报\n\n## 背景\n礼盒销量下滑。\n\n## 目标\n增长 20%。\n\n## 目标受众\n城市家庭。\n\n"
				 "## 洞察\n送礼要体面。\n\n## 主张\n团圆的味道。\n\n## 支持点\n老字号。\n\n## 调性\n温暖。\n\n"
				 "## 必备要素\n商标。\n\n## 交付物\n报纸整版。\n\n## 预算\n30 万元。\n\n## 时间\n一月见报。\n";
	snprintf(path, len, "%s/brief.md", h->home);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(md, f);
		fclose(f);
	}
}

static void day_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

static void log_visit(harness *h, const char *client, Aedesk__VisitKind kind, int64_t at)
{
	Aedesk__VisitLogRequest q = AEDESK__VISIT_LOG_REQUEST__INIT;
	q.client_id = (char *)client;
	q.kind = kind;
	q.at_ms = at;
	q.summary = "拜访";
	CHECK_INT(h_call(h, "registry", &q.base, &aedesk__visit_reply__descriptor, NULL), 0);
}

/* between: the input line of `name` in a JSON scorecard (up to the next input). */
static const char *input_json(const char *json, const char *name, char *buf, size_t len)
{
	char key[80];
	snprintf(key, sizeof key, "\"name\": \"%s\"", name);
	const char *p = strstr(json, key);
	buf[0] = 0;
	if (!p)
		return buf;
	const char *e = strstr(p + 1, "\"name\": ");
	size_t n = e ? (size_t)(e - p) : strlen(p);
	n = n < len - 1 ? n : len - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	return buf;
}

static void scorer_inputs(harness *h, const char *period, const char *contact)
{
	as(h, "qian.am");
	OK(h, "target", "set", "sun.ae", "--period", period, "--revenue", "60,000", "--prospects", "12");
	OK(h, "rate", "sun.ae", "--period", period, "--criterion", "analytical=4", "--criterion", "planning=3",
	    "--criterion", "communication=5", "--comment", "客户知识扎实，计划性待加强");
	as(h, "sun.ae");
	OK(h, "survey", "add", "C000001", "--by", contact, "--score", "服务=4", "--score", "创意=5", "--comment", "满意");
	OK(h, "scorecard", "comment", "sun.ae", "--period", period, "--text", "下周起提前排期");
	as(h, "zhao.ad");
	OK(h, "scorecard", "comment", "sun.ae", "--period", period, "--text", "同意，继续保持");
}

TEST(test_scorecard_equals_hand_computed_total_and_names_its_ids_R_SCORE_1)
{
	harness h;
	CHECK(h_setup(&h, "scorer") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_staff(&h);

	/* The period: this ISO week in the agency's zone (UTC+8), Monday to Sunday. */
	int64_t now = wire_now_ms();
	int today = (int)((now + 8 * 3600000LL) / 86400000LL), monday = today - civil_weekday(today);
	int64_t ws = (int64_t)monday * 86400000LL - 8 * 3600000LL;
	char period[64], mon[24], sun[24];
	day_str(monday, mon, sizeof mon);
	day_str(monday + 6, sun, sizeof sun);
	snprintf(period, sizeof period, "%s..%s", mon, sun);

	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	OK(&h, "client", "add", "--name", "长城电器", "--class", "B");
	OK(&h, "contact", "add", "C000001", "--name", "王主任", "--title", "市场部主任");
	as(&h, "li.ae");
	OK(&h, "client", "add", "--name", "东方日化", "--class", "C");
	/* R-VISIT-1: C000001 (A) needs 2 face visits, gets 1 and a call; C000002 (B) needs 1, gets 2. */
	as(&h, "sun.ae");
	int64_t span = now - ws;
	log_visit(&h, "C000001", AEDESK__VISIT_KIND__VISIT, ws + span / 10);       /* V000001 */
	log_visit(&h, "C000001", AEDESK__VISIT_KIND__CALL, ws + span / 5);         /* V000002: a call */
	log_visit(&h, "C000002", AEDESK__VISIT_KIND__VISIT, ws + span / 4);        /* V000003 */
	log_visit(&h, "C000002", AEDESK__VISIT_KIND__VISIT, ws + span / 3);        /* V000004: beyond 1 */
	/* A class change applies from the next week: C000002 still needs 1 this week. */
	as(&h, "qian.am");
	OK(&h, "client", "class", "C000002", "A", "--why", "年度框架合同");

	/* A job: forecast -> brief on time; the brief's due passes before it moves on (late);
	 * one revision card in the sketch stage. */
	char brief[300];
	write_brief(&h, brief, sizeof brief);
	char due[16];
	day_str(today + 40, due, sizeof due);
	as(&h, "sun.ae");
	OK(&h, "job", "open", "C000001", "--title", "中秋海报", "--kind", "outdoor", "--due", due, "--brief", brief);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	Aedesk__JobAdvanceRequest aq = AEDESK__JOB_ADVANCE_REQUEST__INIT;
	aq.id = "J000001";
	aq.due_ms = wire_now_ms() + 1500;
	CHECK_INT(h_call(&h, "jobs", &aq.base, &aedesk__job_reply__descriptor, NULL), 0);
	int64_t brief_due = aq.due_ms;
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001");
	OK(&h, "strategy", "set", "C000001", "--file", brief);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	while (wire_now_ms() <= brief_due + 50)
		h_sleep_ms(100);
	as(&h, "sun.ae");
	OK(&h, "job", "advance", "J000001");
	OK(&h, "job", "revise", "J000001", "--note", "标题改大");
	/* 30,000 invoiced, due three days ago; 10,000 paid. */
	char past[16];
	day_str(today - 3, past, sizeof past);
	as(&h, "zheng.fin");
	OK(&h, "invoice", "add", "J000001", "--amount", "30,000", "--due", past);
	OK(&h, "payment", "add", "I000001", "--amount", "10,000");
	/* Prospects contacted: one prospect added and moved a stage (two contacts). */
	as(&h, "sun.ae");
	OK(&h, "prospect", "add", "--name", "远景饮料");
	OK(&h, "prospect", "advance", "P000001", "--to", "info");
	CHECK(caught_up(&h) == 0);

	/* Only the manager chain rates; the direct manager does not write the head's comment. */
	as(&h, "li.ae");
	REFUSED(&h, "PERMISSION_DENIED", "rate", "sun.ae", "--period", period, "--criterion", "analytical=5");
	REFUSED(&h, "PERMISSION_DENIED", "scorecard", "sun.ae", "--period", period);
	as(&h, "sun.ae");
	REFUSED(&h, "PERMISSION_DENIED", "rate", "sun.ae", "--period", period, "--criterion", "analytical=5");
	as(&h, "qian.am");
	REFUSED(&h, "INVALID_ARGUMENT", "rate", "sun.ae", "--period", period, "--criterion", "analytical=6");
	REFUSED(&h, "INVALID_ARGUMENT", "rate", "sun.ae", "--period", period, "--criterion", "charm=3");
	REFUSED(&h, "PERMISSION_DENIED", "scorecard", "comment", "sun.ae", "--period", period, "--text", "好");
	scorer_inputs(&h, period, "K000001");

	/* By hand (thousandths, default weights):
	 *   visits       2/3 -> 666 x 10 = 6660     (V000001; V000003; C000001 1/2)
	 *   on_time      1/2 -> 500 x 6  = 3000     (J000001: brief left late)
	 *   revisions    1 round / 1 job -> 750 x 4 = 3000
	 *   revenue      30,000 / 60,000 -> 500 x 10 = 5000 (I000001)
	 *   overdue      20,000 unpaid of 30,000 -> 334 x 6 = 2004 (I000001)
	 *   satisfaction (4+5)/2 -> 900 x 6 = 5400 (S000001)
	 *   ratings      analytical 4 -> 800 x 10, planning 3 -> 600 x 10, communication 5 -> 1000 x 6
	 *   prospects    2 contacts of a target of 12 -> 166 x 6 = 996 (P000001 added, advanced)
	 *   profile      C000001 and C000002 have no profile: 0% -> 0 x 4
	 *   weights 78, sum 46060: total 590. */
	as(&h, "sun.ae");
	OK(&h, "--json", "scorecard", "sun.ae", "--period", period);
	char json_before[65536], line[4096];
	snprintf(json_before, sizeof json_before, "%s", out);
	CHECK(h_contains(out, "\"total\": 590"));
	CHECK(h_contains(out, "\"total_weight\": 78"));
	input_json(out, "visits", line, sizeof line);
	CHECK(h_contains(line, "\"value\": \"2/3\"") && h_contains(line, "\"score\": 666"));
	CHECK(h_contains(line, "V000001") && h_contains(line, "V000003"));
	CHECK(!h_contains(line, "V000002") && !h_contains(line, "V000004"));
	CHECK(h_contains(line, "C000001") && !h_contains(line, "C000002"));
	input_json(out, "on_time", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 500") && h_contains(line, "J000001") && h_contains(line, "late"));
	input_json(out, "revisions", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 750") && h_contains(line, "J000001"));
	input_json(out, "revenue", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 500") && h_contains(line, "I000001") && h_contains(line, "\"contribution\": 64"));
	input_json(out, "overdue", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 334") && h_contains(line, "I000001"));
	input_json(out, "satisfaction", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 900") && h_contains(line, "S000001"));
	input_json(out, "prospects", line, sizeof line);
	CHECK(h_contains(line, "\"value\": \"2/12\"") && h_contains(line, "\"score\": 166") && h_contains(line, "P000001"));
	input_json(out, "profile", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 0") && h_contains(line, "\"weight\": 4") && h_contains(line, "C000002"));
	input_json(out, "rating.analytical", line, sizeof line);
	CHECK(h_contains(line, "\"score\": 800") && h_contains(line, "\"weight\": 10") && h_contains(line, "qian.am@"));
	input_json(out, "rating.teamwork", line, sizeof line);
	CHECK(h_contains(line, "\"weight\": 0"));
	input_json(out, "estimate_turnaround", line, sizeof line);
	CHECK(h_contains(line, "\"weight\": 0"));
	CHECK(h_contains(out, "下周起提前排期") && h_contains(out, "同意，继续保持") && h_contains(out, "计划性待加强"));
	/* The table says the same. */
	OK(&h, "--lang", "en", "scorecard", "sun.ae", "--period", period);
	CHECK(h_contains(out, "total 590/1000") && h_contains(out, "V000001,V000003"));

	/* The team view ranks the AM's AEs. */
	as(&h, "qian.am");
	OK(&h, "--lang", "en", "scorecard", "--team", "qian.am", "--period", period);
	const char *s = strstr(out, "sun.ae"), *l = strstr(out, "li.ae");
	CHECK(s && l && s < l && h_contains(out, "590"));
	/* The AD's view: every AE under the AMs under them, ranked the same. */
	as(&h, "zhao.ad");
	OK(&h, "--lang", "en", "scorecard", "--team", "zhao.ad", "--period", period);
	s = strstr(out, "sun.ae");
	l = strstr(out, "li.ae");
	CHECK(s && l && s < l && h_contains(out, "590") && !h_contains(out, "qian.am"));
	as(&h, "qian.am");

	/* Rebuild by replay: delete the scorer's store and start again from nothing. */
	static char li_before[65536], team_before[65536], clients_before[65536], quarter_before[65536];
	OK(&h, "--json", "scorecard", "li.ae", "--period", period);
	snprintf(li_before, sizeof li_before, "%s", out);
	OK(&h, "--json", "scorecard", "--team", "qian.am", "--period", period);
	snprintf(team_before, sizeof team_before, "%s", out);
	CHECK(h_contains(team_before, "\"rank\": 2"));
	OK(&h, "--json", "scorecard", "clients");
	snprintf(clients_before, sizeof clients_before, "%s", out);
	CHECK(h_contains(clients_before, "C000001") && h_contains(clients_before, "C000002") &&
	    h_contains(clients_before, "C000003") && h_contains(clients_before, "S000001"));
	char quarter[32];
	int qy, qm, qd;
	days_to_civil(today, &qy, &qm, &qd);
	snprintf(quarter, sizeof quarter, "%04d-Q%d", qy, (qm - 1) / 3 + 1);
	OK(&h, "--json", "scorecard", "--team", "qian.am", "--period", quarter);
	snprintf(quarter_before, sizeof quarter_before, "%s", out);
	CHECK_INT(h_stop(&h, "scorer"), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/data/scorer'", h.home);
	CHECK_INT(system(cmd), 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(caught_up(&h) == 0);
	as(&h, "qian.am");
	OK(&h, "--json", "scorecard", "li.ae", "--period", period);
	CHECK_STR(out, li_before);
	/* Ratings, targets, surveys and comments are the scorer's own records, not in any
	 * other service's events: entered again, the whole card is the same to the byte. */
	scorer_inputs(&h, period, "K000001");
	as(&h, "sun.ae");
	OK(&h, "--json", "scorecard", "sun.ae", "--period", period);
	CHECK_STR(out, json_before);
	as(&h, "qian.am");
	OK(&h, "--json", "scorecard", "li.ae", "--period", period);
	CHECK_STR(out, li_before);
	OK(&h, "--json", "scorecard", "--team", "qian.am", "--period", period);
	CHECK_STR(out, team_before);
	OK(&h, "--json", "scorecard", "--team", "qian.am", "--period", quarter);
	CHECK_STR(out, quarter_before);
	OK(&h, "--json", "scorecard", "clients");
	CHECK_STR(out, clients_before);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_scorecard_equals_hand_computed_total_and_names_its_ids_R_SCORE_1);
	return check_summary();
}
