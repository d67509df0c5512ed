/*
 * A simulated year of a small agency (R-REMIND-1 and every reminder rule at once): an AD,
 * an AM, two AEs, four clients of classes A to D, contacts with a solar birthday on 29
 * February, a lunar one on 腊月三十 and one in a leap month, a prospect with confirmed
 * intent, and from the job tracker a job with a stage due date, an estimate left
 * unconfirmed, a flight of two placements, an invoice paid in part and two meetings (one
 * cancelled). The scheduler's clock then walks a year from now, from each day something
 * is due to that day's end, and is killed (kill -9) right after the clock moves, four
 * times along the way.
 *
 * At the end, every notification in every inbox is checked:
 *  - each (reminder, recipient) once, never before its time (R-REMIND-1);
 *  - the calendar rules (R-TEAM-1, R-GREET-1, R-GREET-2, R-VISIT-1, R-PROSPECT-1,
 *    R-PLAN-1) gave exactly the reminders an independent reckoning of the year calls for
 *    (holidays and 调休 from the shipped holiday files, festivals and lunar birthdays from
 *    lunar.h), to the right people, at the right local day and minute, and nothing more;
 *  - every reminder from the job tracker (R-DEADLINE-1, R-ESTIMATE-1, R-PAY-1,
 *    R-MEETING-1, R-MEETING-2, R-FEEDBACK-1, R-FEEDBACK-2) fired once or was cancelled,
 *    at its rule's local time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "holidays.h"
#include "lunar.h"
#include "sched_steps.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL
#define NEXP 4000

static char out[65536], err[8192];
static holidays *hol;

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

/* ---- the reckoning: days are civil day numbers in the agency's zone ---- */

static long long lms(int day, int minute) { return (long long)day * DAY_MS + minute * 60000LL - TZ_MS; }
static int lday(long long ms) { return (int)((ms + TZ_MS) / DAY_MS); }
static int lmin(long long ms) { return (int)((ms + TZ_MS) % DAY_MS / 60000); }

static int workday(int day)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	return holidays_is_workday(hol, y, m, d) == 1;
}

static int prev_workday(int day)
{
	do
		day--;
	while (!workday(day));
	return day;
}

static void datestr(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

static void weekstr(int day, char *buf, size_t len)
{
	int y, w;
	civil_iso_week(day, &y, &w);
	snprintf(buf, len, "%04d-W%02d", y, w);
}

static int week_workdays(int day)
{
	int mon = day - civil_weekday(day), n = 0;
	for (int i = 0; i < 7; i++)
		n += workday(mon + i);
	return n;
}

static int gift_day(int day) { return workday(day - 7) ? day - 7 : prev_workday(day - 7); }

struct exp {
	char id[96], to[16];
	long long due;
	int seen;
};
static struct exp exps[NEXP];
static int nexp;
static long long win_from, win_to; /* expected: due in (win_from, win_to] */

static void expect(const char *id, const char *to, long long due)
{
	if (due <= win_from || due > win_to)
		return;
	for (int i = 0; i < nexp; i++)
		if (strcmp(exps[i].id, id) == 0 && strcmp(exps[i].to, to) == 0)
			return;
	if (nexp == NEXP)
		return;
	snprintf(exps[nexp].id, sizeof exps[nexp].id, "%s", id);
	snprintf(exps[nexp].to, sizeof exps[nexp].to, "%s", to);
	exps[nexp].due = due;
	exps[nexp++].seen = 0;
}

struct client {
	const char *id, *ae, *cls;
};
static const struct client clients[] = {
    {"C000001", "sun.ae", "A"}, {"C000002", "sun.ae", "B"}, {"C000003", "li.ae", "C"}, {"C000004", "li.ae", "D"}};
struct contact {
	char id[16];
	const char *client;
	int month, day, lunar, leap;
};
static struct contact contacts[4];
static const char *const team[] = {"qian.am", "sun.ae", "li.ae"}, *const aes[] = {"sun.ae", "li.ae"};

static int birthday_in(const struct contact *c, int y)
{
	int by, bm, bd = c->day;
	if (c->lunar)
		return lunar_anniversary(c->month, c->day, c->leap, y, &by, &bm, &bd) == 0 ? civil_to_days(by, bm, bd) : -1;
	if (c->month == 2 && bd == 29 && !civil_valid(y, 2, 29))
		bd = 28;
	return civil_to_days(y, c->month, bd);
}

static void reckon_day(int day, const char *prospect)
{
	char id[200], date[16], week[16];
	int wd = civil_weekday(day), wk = workday(day), y, m, d;
	datestr(day, date, sizeof date);
	weekstr(day, week, sizeof week);
	days_to_civil(day, &y, &m, &d);
	/* R-TEAM-1: Mon/Wed/Fri 09:00 on working days, told 30 minutes before */
	if (wk && (wd == 0 || wd == 2 || wd == 4))
		for (int i = 0; i < 3; i++) {
			snprintf(id, sizeof id, "team/%s/%s", team[i], date);
			expect(id, team[i], lms(day, 510));
		}
	/* R-PLAN-1: the week's first working day 08:30, the month's last working day 16:00 */
	int first = day - wd;
	while (!workday(first) && first < day - wd + 7)
		first++;
	int last = day + 1;
	while (1) {
		int ly, lm, ld;
		days_to_civil(last, &ly, &lm, &ld);
		if (lm != m)
			break;
		last++;
	}
	do
		last--;
	while (!workday(last));
	for (int i = 0; i < 2; i++) {
		if (first == day) {
			snprintf(id, sizeof id, "plan-week/%s/%s", aes[i], week);
			expect(id, aes[i], lms(day, 510));
		}
		if (last == day) {
			snprintf(id, sizeof id, "plan-month/%s/%04d-%02d", aes[i], y, m);
			expect(id, aes[i], lms(day, 960));
		}
	}
	/* R-VISIT-1: nobody visits, so every week that asks for visits is missed */
	int need = week_workdays(day) >= 3;
	int end = day - wd + 4;
	while (end > day - wd && !workday(end))
		end--;
	for (size_t i = 0; need && i < sizeof clients / sizeof clients[0]; i++) {
		if (wd == 2 && wk) {
			snprintf(id, sizeof id, "visit-mid/%s/%s", clients[i].id, week);
			expect(id, clients[i].ae, lms(day, 720));
		}
		if (end == day && wk) {
			snprintf(id, sizeof id, "visit-end/%s/%s/ae", clients[i].id, week);
			expect(id, clients[i].ae, lms(day, 1050));
			snprintf(id, sizeof id, "visit-end/%s/%s/am", clients[i].id, week);
			expect(id, "qian.am", lms(day, 1050));
		}
	}
	/* R-PROSPECT-1: one contact logged this week at most, 3 asked for */
	if (need && wd == 2 && wk) {
		snprintf(id, sizeof id, "prosp-mid/%s/%s", prospect, week);
		expect(id, "sun.ae", lms(day, 720));
	}
	/* R-GREET-1, R-GREET-2: festivals, gifts for Spring Festival and Mid-Autumn */
	for (int fy = y; fy <= y + 1; fy++) {
		struct {
			const char *key;
			int m, d, ok, gift;
		} f[7] = {{"newyear", 1, 1, 1, 0}, {"spring", 0, 0, 0, 1}, {"qingming", 0, 0, 0, 0}, {"labour", 5, 1, 1, 0},
		    {"dragonboat", 0, 0, 0, 0}, {"midautumn", 0, 0, 0, 1}, {"national", 10, 1, 1, 0}};
		f[1].ok = lunar_spring_festival(fy, &f[1].m, &f[1].d) == 0;
		f[2].ok = solar_term_qingming(fy, &f[2].m, &f[2].d) == 0;
		f[4].ok = lunar_dragon_boat(fy, &f[4].m, &f[4].d) == 0;
		f[5].ok = lunar_mid_autumn(fy, &f[5].m, &f[5].d) == 0;
		for (int k = 0; k < 7; k++) {
			if (!f[k].ok)
				continue;
			int fd = civil_to_days(fy, f[k].m, f[k].d);
			for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++) {
				if (fd == day) {
					snprintf(id, sizeof id, "greet/%s/%d/%s", f[k].key, fy, clients[i].id);
					expect(id, clients[i].ae, lms(day, 540));
				}
				if (f[k].gift && gift_day(fd) == day) {
					snprintf(id, sizeof id, "gift/%s/%d/%s", f[k].key, fy, clients[i].id);
					expect(id, clients[i].ae, lms(day, 540));
				}
			}
		}
	}
	/* R-GREET-1, R-GREET-2: birthdays (a gift 7 days before, on a working day) */
	for (int i = 0; i < 4; i++)
		for (int by = y - 1; by <= y + 1; by++) {
			int b = birthday_in(&contacts[i], by);
			if (b < 0)
				continue;
			const char *ae = strcmp(contacts[i].client, "C000003") >= 0 ? "li.ae" : "sun.ae";
			char bd[16];
			datestr(b, bd, sizeof bd);
			if (b == day) {
				snprintf(id, sizeof id, "bday/%s/%s", contacts[i].id, bd);
				expect(id, ae, lms(day, 540));
			}
			if (gift_day(b) == day) {
				snprintf(id, sizeof id, "bdaygift/%s/%s", contacts[i].id, bd);
				expect(id, ae, lms(day, 540));
			}
		}
}

static int calendar_rule(const char *id)
{
	static const char *const p[] = {"team/", "plan-week/", "plan-month/", "visit-mid/", "visit-end/", "prosp-mid/",
	    "greet/", "gift/", "bday/", "bdaygift/"};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (strncmp(id, p[i], strlen(p[i])) == 0)
			return 1;
	return 0;
}

/* ---- the services ---- */

static const char brief_md[] =
    "## 背景\n礼盒销量下滑。\n## 目标\n增长 20%。\n## 目标受众\n城市家庭。\n## 洞察\n送礼要体面。\n"
    "## 主张\n团圆的味道。\n## 支持点\n老字号。\n## 调性\n温暖。\n## 必备要素\n商标。\n## 交付物\n报纸整版。\n"
    "## 预算\n30 万元。\n## 时间\n一月见报。\n";

static void at_day(int days, int hour, char *buf, size_t len)
{
	char d[16];
	h_local_date(days, d, sizeof d);
	snprintf(buf, len, "%s %02d:00", d, hour);
}

static Aedesk__SchedulerStatusReply *status(void)
{
	Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
	Aedesk__SchedulerStatusReply *s = NULL;
	if (h_call(&st_adm, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, (ProtobufCMessage **)&s))
		return NULL;
	return s;
}

/* setup_agency: staff, clients, contacts, a prospect and the job tracker's objects. */
static void setup_agency(harness *h, long long *meeting_start, char dates[3][16])
{
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""},
	    {"zhou.prod", "周制作", "production", ""}, {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	static const char *const names[] = {"华夏食品", "长城电器", "东方日化", "南山乳业"};
	for (size_t i = 0; i < 4; i++)
		H_OK(h, "client", "add", "--name", names[i], "--class", clients[i].cls, "--ae", clients[i].ae);
	/* contacts: 29 February (solar), 腊月三十 (lunar), 闰六月十五 (lunar, leap), a solar one in 3 days */
	char soon[16];
	h_local_date(3, soon, sizeof soon);
	struct contact cs[4] = {{"", "C000001", 2, 29, 0, 0}, {"", "C000003", 12, 30, 1, 0}, {"", "C000002", 6, 15, 1, 1},
	    {"", "C000004", atoi(soon + 5), atoi(soon + 8), 0, 0}};
	static const char *const cn[] = {"王强", "刘芳", "陈晨", "赵磊"};
	for (int i = 0; i < 4; i++) {
		char bd[16];
		if (cs[i].lunar)
			snprintf(bd, sizeof bd, "%02d-%02d", cs[i].month, cs[i].day);
		else
			snprintf(bd, sizeof bd, "1984-%02d-%02d", cs[i].month, cs[i].day); /* 1984: a leap year */
		if (cs[i].leap)
			H_OK(h, "contact", "add", cs[i].client, "--name", cn[i], "--birthday", bd, "--lunar", "--leap");
		else if (cs[i].lunar)
			H_OK(h, "contact", "add", cs[i].client, "--name", cn[i], "--birthday", bd, "--lunar");
		else
			H_OK(h, "contact", "add", cs[i].client, "--name", cn[i], "--birthday", bd);
		const char *p = strstr(out, "K0");
		CHECK(p != NULL);
		if (!p)
			fprintf(stderr, "    contact add said: %s\n", out);
		if (p)
			snprintf(cs[i].id, sizeof cs[i].id, "%.7s", p);
		contacts[i] = cs[i];
	}
	as(h, "sun.ae");
	H_OK(h, "prospect", "add", "--name", "西湖茶业", "--intent", "confirmed");
	H_OK(h, "prospect", "advance", "P000001", "--to", "info");

	/* the job tracker: J000001 to the estimate stage (stage due dates), E000001 sent */
	char brief[400], strategy[400], due[16];
	h_write_file(h, "brief.md", brief_md, brief, sizeof brief);
	h_write_file(h, "strategy.md", "情感诉求，团圆。\n", strategy, sizeof strategy);
	H_OK(h, "strategy", "set", "C000001", "--file", strategy);
	h_local_date(60, due, sizeof due);
	H_OK(h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
	as(h, "wu.cd");
	H_OK(h, "job", "sign", "J000001");
	as(h, "sun.ae");
	char d9[16];
	h_local_date(9, d9, sizeof d9);
	H_OK(h, "job", "advance", "J000001", "--due", d9);
	as(h, "zhao.ad");
	H_OK(h, "job", "sign", "J000001");
	as(h, "wu.cd");
	H_OK(h, "job", "sign", "J000001");
	as(h, "zhao.ad");
	H_OK(h, "job", "advance", "J000001");
	as(h, "wu.cd");
	H_OK(h, "job", "sign", "J000001");
	as(h, "zhao.ad");
	H_OK(h, "job", "sign", "J000001", "--as", "am");
	as(h, "sun.ae");
	H_OK(h, "job", "rights", "J000001", "--image", "cleared", "--model", "n/a", "--music", "n/a");
	H_OK(h, "job", "sign", "J000001", "--client", "王经理");
	char d12[16];
	h_local_date(12, d12, sizeof d12);
	H_OK(h, "job", "advance", "J000001", "--due", d12);
	as(h, "zhou.prod");
	H_OK(h, "estimate", "add", "J000001", "--line", "设计费|1|12,000");
	as(h, "zhao.ad");
	H_OK(h, "estimate", "sign", "E000001");
	as(h, "sun.ae");
	H_OK(h, "estimate", "send", "E000001");
	/* a flight of two placements: days 3-10 and 10-17 from today */
	h_local_date(3, dates[0], sizeof dates[0]);
	h_local_date(10, dates[1], sizeof dates[1]);
	h_local_date(17, dates[2], sizeof dates[2]);
	char p1[128], p2[128];
	snprintf(p1, sizeof p1, "新民晚报|A3 整版|%s|%s", dates[0], dates[1]);
	snprintf(p2, sizeof p2, "东方广播|早间 30 秒|%s|%s", dates[1], dates[2]);
	H_OK(h, "flight", "add", "J000001", "--placement", p1, "--placement", p2);
	/* meetings: M000001 in two days at 10:00; M000002 cancelled */
	char m1[32], m2[32];
	at_day(2, 10, m1, sizeof m1);
	at_day(5, 15, m2, sizeof m2);
	H_OK(h, "meeting", "add", "C000001", "--at", m1, "--title", "春节提案", "--attendee", "王强|市场总监|client");
	H_OK(h, "meeting", "add", "C000002", "--at", m2, "--title", "排期沟通", "--attendee", "陈晨|经理|client");
	H_OK(h, "meeting", "cancel", "M000002", "--reason", "客户出差");
	int y, mo, d, hh;
	sscanf(m1, "%d-%d-%d %d", &y, &mo, &d, &hh);
	*meeting_start = lms(civil_to_days(y, mo, d), hh * 60);
	/* an invoice due in 20 days, paid in part */
	char d20[16];
	h_local_date(20, d20, sizeof d20);
	as(h, "zheng.fin");
	H_OK(h, "invoice", "add", "J000001", "--amount", "15,000", "--due", d20);
	H_OK(h, "payment", "add", "I000001", "--amount", "5,000");
}

/* all_notifications: every notification of the staff's inbox (all pages). */
static size_t each_notification(const char *staff, void (*fn)(const Aedesk__Notification *, void *), void *arg)
{
	char after[16] = "";
	size_t n = 0;
	for (;;) {
		Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
		q.staff_id = (char *)staff;
		q.all = 1;
		q.limit = 1000;
		q.after_id = after;
		Aedesk__InboxListReply *r = NULL;
		if (h_call(&st_adm, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r))
			break;
		size_t got = r->n_notifications;
		for (size_t i = 0; i < got; i++)
			fn(r->notifications[i], arg);
		n += got;
		if (got)
			snprintf(after, sizeof after, "%s", r->notifications[got - 1]->id);
		wire_free(&r->base);
		if (got < 1000)
			break;
	}
	return n;
}

struct seen {
	char key[128];
};
static struct seen *seen;
static size_t nseen, dup, early, unexpected, misdated;

static void check_one(const Aedesk__Notification *n, void *arg)
{
	(void)arg;
	char key[128];
	snprintf(key, sizeof key, "%s>%s", n->reminder_id, n->staff_id);
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i].key, key) == 0) {
			dup++;
			fprintf(stderr, "    twice: %s\n", key);
			return;
		}
	if (nseen < 8000)
		snprintf(seen[nseen++].key, sizeof seen[0].key, "%s", key);
	if (n->at_ms < n->due_ms) {
		early++;
		fprintf(stderr, "    early: %s\n", key);
	}
	if (!calendar_rule(n->reminder_id))
		return;
	for (int i = 0; i < nexp; i++)
		if (strcmp(exps[i].id, n->reminder_id) == 0 && strcmp(exps[i].to, n->staff_id) == 0) {
			exps[i].seen++;
			if (exps[i].due != n->due_ms) {
				misdated++;
				fprintf(stderr, "    %s: due %lld, expected %lld\n", key, (long long)n->due_ms, exps[i].due);
			}
			return;
		}
	if (n->due_ms > win_from) { /* before the window: planned while the agency was being set up */
		unexpected++;
		fprintf(stderr, "    not called for: %s (due %lld)\n", key, (long long)n->due_ms);
	}
}

/* R-REMIND-1 R-TEAM-1 R-GREET-1 R-GREET-2 R-VISIT-1 R-PROSPECT-1 R-PLAN-1 R-DEADLINE-1
 * R-ESTIMATE-1 R-PAY-1 R-MEETING-1 R-MEETING-2 R-FEEDBACK-1 R-FEEDBACK-2 */
TEST(test_a_simulated_year_with_kills_gives_each_reminder_once_on_time)
{
	harness h;
	char dir[600], dates[3][16];
	long long meeting_start = 0;
	snprintf(dir, sizeof dir, "%s", __FILE__);
	char *slash = strstr(dir, "/tests/integration/");
	CHECK(slash != NULL);
	if (slash)
		snprintf(slash, sizeof dir - (size_t)(slash - dir), "/deploy/data/holidays-cn");
	CHECK((hol = holidays_new()) != NULL);
	CHECK(holidays_load_dir(hol, dir, err, sizeof err) == 0);
	CHECK(h_setup(&h, "schedyear") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.late_s", "86400"); /* the clock walks a day at a time */
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "status") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	setup_agency(&h, &meeting_start, dates);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 20000) == 0);
	CHECK(h_wait_consumer(&h, "scheduler", "jobs", 20000) == 0);
	CHECK(st_settle(&h) == 0);
	Aedesk__SchedulerStatusReply *s = status();
	CHECK(s != NULL);
	long long start = s ? s->now_ms : st_now_ms();
	wire_free(s ? &s->base : NULL);
	win_from = start + 60000; /* the minute the agency was set up in is left out */
	win_to = start + 365 * DAY_MS;
	for (int day = lday(start); day <= lday(win_to); day++)
		reckon_day(day, "P000001");
	CHECK(nexp > 1000 && nexp < NEXP);

	/* The year: to the end of each day something is due, four kills on the way. */
	int steps = 0, kills = 0;
	for (;;) {
		s = status();
		CHECK(s != NULL);
		if (!s)
			break;
		long long next = s->next_due_ms;
		wire_free(&s->base);
		if (!next || next > win_to)
			break;
		long long to = lms(lday(next), 24 * 60) - 1000;
		if (to > win_to)
			to = win_to;
		steps++;
		if (steps % 40 == 10 && kills < 4) { /* steps 10, 50, 90, 130 of ~160 */
			CHECK(st_clock_set(&h, to) == 0);
			h_kill9(&h, "scheduler"); /* perhaps in the middle of firing that day's reminders */
			CHECK(h_start(&h, "scheduler") == 0);
			kills++;
		}
		if (st_at(&h, to) != 0) {
			CHECK(!"the scheduler settled");
			break;
		}
	}
	CHECK(st_at(&h, win_to) == 0);
	CHECK_INT(kills, 4);

	/* Every notification, every inbox. */
	seen = calloc(8000, sizeof *seen);
	size_t total = 0;
	static const char *const everyone[] = {"zhao.ad", "qian.am", "sun.ae", "li.ae", "wu.cd", "zhou.prod", "zheng.fin"};
	for (size_t i = 0; seen && i < sizeof everyone / sizeof everyone[0]; i++)
		total += each_notification(everyone[i], check_one, NULL);
	int missing = 0, twice = 0;
	for (int i = 0; i < nexp; i++) {
		if (exps[i].seen == 0 && missing++ < 10)
			fprintf(stderr, "    missing: %s>%s\n", exps[i].id, exps[i].to);
		twice += exps[i].seen > 1;
	}
	fprintf(stderr, "    %d steps, %zu notifications, %d called for by the calendar rules\n", steps, total, nexp);
	CHECK_INT(missing, 0);
	CHECK_INT(twice, 0);
	CHECK_INT((int)dup, 0);
	CHECK_INT((int)early, 0);
	CHECK_INT((int)unexpected, 0);
	CHECK_INT((int)misdated, 0);

	/* The job tracker's reminders: fired once (above) or cancelled, at their rule's time. */
	Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
	q.fired = 1;
	Aedesk__SchedulerRemindersReply *rr = NULL;
	CHECK(h_call(&st_adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&rr) == 0);
	int jobs_fired = 0, pending_in_year = 0;
	int have_prep = 0, have_fb1 = 0, have_fb2 = 0, have_est = 0, have_pay = 0, have_min = 0, have_stage = 0;
	for (size_t i = 0; rr && i < rr->n_reminders; i++) {
		const Aedesk__Reminder *m = rr->reminders[i];
		if (calendar_rule(m->id) || strncmp(m->id, "alert/", 6) == 0) /* alerts: the status service's */
			continue;
		if (!m->fired && !m->cancelled && m->due_ms <= win_to) {
			pending_in_year++;
			fprintf(stderr, "    still pending: %s\n", m->id);
		}
		if (!m->fired)
			continue;
		jobs_fired++;
		CHECK(m->n_notification_ids >= 1);
		int day = lday(m->due_ms), min = lmin(m->due_ms);
		if (strcmp(m->id, "mtg/M000001/prep") == 0)
		{
			have_prep = 1;
			CHECK(m->due_ms == meeting_start - 30 * 60000LL); /* R-MEETING-1 */
		} else if (strncmp(m->id, "fb1/F000001/", 12) == 0) {                        /* R-FEEDBACK-1 */
			char ds[16];
			datestr(day, ds, sizeof ds);
			have_fb1++;
			CHECK(min == 600 && strcmp(ds, dates[m->id[12] - '1']) == 0);
		} else if (strncmp(m->id, "fb2/", 4) == 0) { /* R-FEEDBACK-2: the phase's end */
			char ds[16];
			datestr(day, ds, sizeof ds);
			have_fb2 = 1;
			CHECK(min == 1050 && strcmp(ds, dates[2]) == 0);
		} else if (strstr(m->id, "/ae") && (strncmp(m->id, "est/", 4) == 0 || strncmp(m->id, "pay/", 4) == 0)) {
			have_est += m->id[0] == 'e', have_pay += m->id[0] == 'p'; /* R-ESTIMATE-1, R-PAY-1: before */
			CHECK(workday(day) && min == 510);
		} else if (strncmp(m->id, "stage/", 6) == 0 && strstr(m->id, "/owner")) {
			have_stage = 1;
			CHECK(workday(day) && min == 510); /* R-DEADLINE-1 */
		} else {                                   /* the AM's and finance's: in working hours */
			have_min += strcmp(m->id, "mtg/M000001/minutes") == 0;
			CHECK(workday(day) && min >= 510 && min <= 1050);
			if (!(workday(day) && min >= 510 && min <= 1050))
				fprintf(stderr, "    %s at local minute %d of day %d\n", m->id, min, day);
		}
		CHECK(strncmp(m->id, "mtg/M000002/", 12) != 0); /* cancelled */
	}
	wire_free(rr ? &rr->base : NULL);
	CHECK_INT(pending_in_year, 0);
	CHECK(have_prep && have_fb1 == 2 && have_fb2 && have_est == 1 && have_pay == 1 && have_min && have_stage);
	CHECK(jobs_fired >= 10);
	free(seen);
	holidays_free(hol);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_a_simulated_year_with_kills_gives_each_reminder_once_on_time);
	return check_summary();
}
