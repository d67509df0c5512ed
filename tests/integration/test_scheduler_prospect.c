/*
 * R-PROSPECT-1: mid-week a prospect with confirmed intent and fewer than 3 contacts that
 * week gets its AE told; one contacted 3 times, one lost and one whose intent is not
 * confirmed do not. The registry runs on the real clock; the scheduler's test clock is
 * moved back to the Monday of the real week and on to its Wednesday noon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "holidays.h"
#include "sched_steps.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL

static char out[65536], err[8192];

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }
static long long lms(int day, int minute) { return (long long)day * DAY_MS + minute * 60000LL - TZ_MS; }

/* R-PROSPECT-1 */
TEST(test_R_PROSPECT_1_confirmed_prospects_contacted_three_times_a_week)
{
	/* The registry counts contacts in the real week; the scheduler's clock goes back to its
	 * Monday and forward to its Wednesday noon. A week off (National Day) asks for none. */
	time_t now = time(NULL);
	int today = (int)(((long long)now * 1000 + TZ_MS) / DAY_MS), monday = today - civil_weekday(today);
	char hd[600], e[512];
	snprintf(hd, sizeof hd, "%s", __FILE__);
	char *slash = strstr(hd, "/tests/integration/");
	if (slash)
		snprintf(slash, sizeof hd - (size_t)(slash - hd), "/deploy/data/holidays-cn");
	holidays *hol = holidays_new();
	CHECK(hol && holidays_load_dir(hol, hd, e, sizeof e) == 0);
	int y, m, d, works = 0;
	for (int i = 0; i < 7; i++) {
		days_to_civil(monday + i, &y, &m, &d);
		works += holidays_is_workday(hol, y, m, d) == 1;
	}
	days_to_civil(monday + 2, &y, &m, &d);
	int wed_works = holidays_is_workday(hol, y, m, d) == 1;
	holidays_free(hol);
	if (works < 3 || !wed_works) {
		fprintf(stderr, "    this week asks for no contacts (holidays): nothing to check\n");
		return;
	}
	harness h;
	char text[1024], week[16];
	int iy, iw;
	civil_iso_week(today, &iy, &iw);
	snprintf(week, sizeof week, "%04d-W%02d", iy, iw);
	CHECK(h_setup(&h, "schedprosp") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	CHECK(st_at(&h, lms(monday, 0)) == 0);
	CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
	              "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "prospect", "add", "--name", "西湖茶业", "--intent", "confirmed");    /* P000001: 3 contacts */
	H_OK(&h, "prospect", "add", "--name", "钱塘酒业", "--intent", "confirmed");    /* P000002: 1 contact */
	H_OK(&h, "prospect", "add", "--name", "灵隐文旅", "--intent", "unknown");      /* P000003: not watched */
	H_OK(&h, "prospect", "add", "--name", "龙井饮品", "--intent", "confirmed");    /* P000004: lost */
	H_OK(&h, "prospect", "advance", "P000001", "--to", "info");
	H_OK(&h, "prospect", "advance", "P000001", "--to", "first-call");
	H_OK(&h, "prospect", "advance", "P000001", "--to", "needs");
	H_OK(&h, "prospect", "advance", "P000002", "--to", "info");
	H_OK(&h, "prospect", "lose", "P000004", "--why", "预算取消");
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 10000) == 0);
	char id[64];
	snprintf(id, sizeof id, "prosp-mid/P000002/%s", week);
	CHECK(st_due_of(&h, id) == lms(monday + 2, 12 * 60)); /* Wednesday noon */
	CHECK(st_at(&h, lms(monday + 2, 12 * 60 - 1)) == 0);
	CHECK_INT(st_got(&h, "sun.ae", id, text, sizeof text), 0);
	CHECK(st_at(&h, lms(monday + 2, 12 * 60 + 1)) == 0);
	CHECK_INT(st_got(&h, "sun.ae", id, text, sizeof text), 1);
	CHECK(h_contains(text, "钱塘酒业") && h_contains(text, "1/3") && h_contains(text, week));
	snprintf(id, sizeof id, "prosp-mid/P000001/%s", week);
	CHECK(st_cancelled(&h, id, "no longer needed when due")); /* contacted 3 times */
	CHECK_INT(st_got(&h, "sun.ae", id, text, sizeof text), 0);
	snprintf(id, sizeof id, "prosp-mid/P000004/%s", week);
	CHECK_INT(st_got(&h, "sun.ae", id, text, sizeof text), 0); /* lost */
	/* P000003's intent is not confirmed: no reminder made at all */
	Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
	q.fired = 1;
	Aedesk__SchedulerRemindersReply *rr = NULL;
	CHECK(h_call(&st_adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&rr) == 0);
	for (size_t i = 0; rr && i < rr->n_reminders; i++)
		CHECK(strstr(rr->reminders[i]->id, "P000003") == NULL);
	wire_free(rr ? &rr->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_PROSPECT_1_confirmed_prospects_contacted_three_times_a_week);
	return check_summary();
}
