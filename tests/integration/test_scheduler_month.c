/*
 * A simulated month for a small team, with the scheduler killed (kill -9) at random
 * moments along the way: every reminder the rules call for is delivered exactly once
 * (R-REMIND-1), on the right local days: team meetings on working Mon/Wed/Fri, Qingming
 * skipped (R-TEAM-1), greetings and gift reminders for Qingming and for a solar and a
 * lunar birthday (R-GREET-1, R-GREET-2), mid-week and week-end visit reminders only for
 * clients behind (R-VISIT-1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "holidays.h"
#include "lunar.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL

static long long local_ms(int y, int m, int d, int h, int mi)
{
	return (long long)civil_to_days(y, m, d) * DAY_MS + (h * 60 + mi) * 60000LL - TZ_MS;
}

static Aedesk__SchedulerStatusReply *status(harness *h)
{
	Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
	Aedesk__SchedulerStatusReply *r = NULL;
	if (h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

static int clock_set(harness *h, long long now)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = now;
	return h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

/* settle: wait until nothing due is left unfired at the scheduler's now. */
static int settle(harness *h)
{
	for (int i = 0; i < 500; i++) {
		Aedesk__SchedulerStatusReply *s = status(h);
		int done = s && s->planned_through[0] && (s->next_due_ms == 0 || s->next_due_ms > s->now_ms);
		wire_free(s ? &s->base : NULL);
		if (done)
			return 0;
		h_sleep_ms(20);
	}
	return -1;
}

struct got {
	char staff[16], rem[96];
	int n;
};
static struct got got[2000];
static int ngot;

static void collect(harness *h, const char *staff)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	q.limit = 1000;
	Aedesk__InboxListReply *r = NULL;
	CHECK(h_call(h, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) == 0);
	for (size_t i = 0; r && i < r->n_notifications; i++) {
		int j;
		for (j = 0; j < ngot; j++)
			if (!strcmp(got[j].staff, staff) && !strcmp(got[j].rem, r->notifications[i]->reminder_id))
				break;
		if (j == ngot && ngot < 2000) {
			snprintf(got[j].staff, sizeof got[j].staff, "%s", staff);
			snprintf(got[j].rem, sizeof got[j].rem, "%s", r->notifications[i]->reminder_id);
			ngot++;
		}
		if (j < 2000)
			got[j].n++;
	}
	wire_free(r ? &r->base : NULL);
}

static int count(const char *staff, const char *rem)
{
	for (int j = 0; j < ngot; j++)
		if (!strcmp(got[j].staff, staff) && !strcmp(got[j].rem, rem))
			return got[j].n;
	return 0;
}

static int count_prefix(const char *staff, const char *prefix)
{
	int n = 0;
	for (int j = 0; j < ngot; j++)
		if (!strcmp(got[j].staff, staff) && !strncmp(got[j].rem, prefix, strlen(prefix)))
			n++;
	return n;
}

static int prev_workday(const holidays *hol, int day)
{
	int y, m, d;
	do {
		day--;
		days_to_civil(day, &y, &m, &d);
	} while (holidays_is_workday(hol, y, m, d) != 1);
	return day;
}

static void day_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* R-REMIND-1 R-TEAM-1 R-GREET-1 R-GREET-2 R-VISIT-1 */
TEST(test_a_month_of_reminders_each_delivered_once_through_kills)
{
	harness h;
	char out[4096];
	CHECK(h_setup(&h, "schedmonth") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-03-22 20:00");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0); /* a source: while it is down, replay tries stall the loop */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "add", "am1", "--name", "李经理", "--role", "am", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "add", "ae1", "--name", "王主任", "--role", "ae", "--manager", "am1", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "add", "ae2", "--name", "赵主任", "--role", "ae", "--manager", "am1", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品", "--class", "A", "--ae", "ae1", NULL), 0);
	CHECK(h_contains(out, "C000001"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "长城电器", "--class", "C", "--ae", "ae2", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000001", "--name", "陈总", "--birthday", "1970-04-10", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000002", "--name", "刘总", "--birthday", "02-20", "--lunar", NULL), 0);
	/* C000002 has its one visit in week 13; C000001 (class A) only one of two. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000002", "--kind", "visit", "--at", "2026-03-23 10:00", "--summary", "拜访", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000001", "--kind", "visit", "--at", "2026-03-24 10:00", "--summary", "拜访", NULL), 0);
	CHECK(h_start(&h, "scheduler") == 0);

	/* 2026-03-23 00:00 to 2026-04-22 00:00 local in 12-hour steps, four kills. */
	long long t0 = local_ms(2026, 3, 23, 0, 0);
	srand(5);
	int steps = 60, kills = 0;
	for (int i = 0; i <= steps; i++) {
		CHECK(clock_set(&h, t0 + i * 12 * 3600000LL) == 0);
		if (i == 7 || i == 19 || i == 33 || i == 46) {
			h_sleep_ms(rand() % 150);
			h_kill9(&h, "scheduler");
			kills++;
			CHECK(h_start(&h, "scheduler") == 0);
		}
		CHECK(settle(&h) == 0);
	}
	CHECK_INT(kills, 4);
	collect(&h, "am1");
	collect(&h, "ae1");
	collect(&h, "ae2");
	for (int j = 0; j < ngot; j++)
		if (got[j].n != 1)
			fprintf(stderr, "  %s got %s %d times\n", got[j].staff, got[j].rem, got[j].n);
	for (int j = 0; j < ngot; j++)
		CHECK_INT(got[j].n, 1);

	/* R-TEAM-1: every working Mon/Wed/Fri in range, for each of the three, none else. */
	holidays *hol = holidays_new();
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", __FILE__); /* <repo>/tests/integration/this.c */
	char *cut = strstr(dir, "/tests/integration/");
	if (cut)
		strcpy(cut, "/deploy/data/holidays-cn");
	CHECK(holidays_load_dir(hol, dir, NULL, 0) == 0);
	int first = civil_to_days(2026, 3, 23), last = civil_to_days(2026, 4, 21), meetings = 0;
	for (int day = first; day <= last; day++) {
		int y, m, d, wd = civil_weekday(day);
		days_to_civil(day, &y, &m, &d);
		int want = (wd == 0 || wd == 2 || wd == 4) && holidays_is_workday(hol, y, m, d) == 1;
		char id[64], ds[16];
		day_str(day, ds, sizeof ds);
		snprintf(id, sizeof id, "team/ae1/%s", ds);
		CHECK_INT(count("ae1", id), want);
		snprintf(id, sizeof id, "team/am1/%s", ds);
		CHECK_INT(count("am1", id), want);
		meetings += want;
	}
	CHECK_INT(count("ae1", "team/ae1/2026-04-06"), 0); /* Qingming holiday Monday */
	CHECK_INT(count_prefix("ae2", "team/"), meetings);
	CHECK_INT(meetings, 12);

	/* R-GREET-1: Qingming greeting to each client's AE, no gift. */
	CHECK_INT(count("ae1", "greet/qingming/2026/C000001"), 1);
	CHECK_INT(count("ae2", "greet/qingming/2026/C000002"), 1);
	CHECK_INT(count_prefix("ae1", "gift/"), 0);
	/* Birthdays: solar 04-10 (gift 04-03), lunar 2-20 (R-GREET-2) with a gift 7 days before. */
	CHECK_INT(count("ae1", "bday/K000001/2026-04-10"), 1);
	CHECK_INT(count("ae1", "bdaygift/K000001/2026-04-10"), 1);
	int ly, lm, ld;
	CHECK(lunar_anniversary(2, 20, 0, 2026, &ly, &lm, &ld) == 0);
	char lb[16], id[96];
	day_str(civil_to_days(ly, lm, ld), lb, sizeof lb);
	snprintf(id, sizeof id, "bday/K000002/%s", lb);
	CHECK_INT(count("ae2", id), 1);
	snprintf(id, sizeof id, "bdaygift/K000002/%s", lb);
	CHECK_INT(count("ae2", id), 1);
	CHECK_INT(count_prefix("ae1", "bday"), 2);
	CHECK_INT(count_prefix("ae2", "bday"), 2);
	(void)prev_workday;

	/* R-VISIT-1: week 13, C000002 met its one visit (nothing said), C000001 had 1 of 2. */
	CHECK_INT(count("ae2", "visit-mid/C000002/2026-W13"), 0);
	CHECK_INT(count("ae2", "visit-end/C000002/2026-W13/ae"), 0);
	CHECK_INT(count("ae1", "visit-mid/C000001/2026-W13"), 1);
	CHECK_INT(count("ae1", "visit-end/C000001/2026-W13/ae"), 1);
	CHECK_INT(count("am1", "visit-end/C000001/2026-W13/am"), 1);
	/* Later weeks nobody visited: both behind, AM told at week's end. */
	CHECK_INT(count("ae2", "visit-mid/C000002/2026-W14"), 1);
	CHECK_INT(count("am1", "visit-end/C000002/2026-W14/am"), 1);
	CHECK_INT(count("am1", "visit-end/C000002/2026-W16/am"), 1);
	holidays_free(hol);

	Aedesk__SchedulerStatusReply *s = status(&h);
	CHECK(s != NULL);
	if (s)
		fprintf(stderr, "  month: %llu fired (%llu late), %llu pending, %d kills\n", (unsigned long long)s->fired,
		    (unsigned long long)s->late, (unsigned long long)s->pending, kills);
	wire_free(s ? &s->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_a_month_of_reminders_each_delivered_once_through_kills);
	return check_summary();
}
