/*
 * `aedesk calendar load FILE` (R-TEAM-1, R-VISIT-1, R-PLAN-1 follow the official
 * calendar): a new year's holiday notice is refused when malformed or from someone who is
 * not AD/admin, and changes nothing then; loaded, it cancels the calendar reminders of
 * days that became days off, plans those of days that became working days (调休), moves
 * the ones tied to a working day, and survives a restart. `aedesk calendar export`
 * writes the staff member's upcoming reminders and meetings as iCalendar (RFC 5545:
 * CRLF, folding at 75 octets, escaping, UID, DTSTAMP, DTSTART in UTC).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "sched_steps.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)

static char out[65536], err[8192];

static long long local_ms(int y, int m, int d, int h, int mi)
{
	return (long long)civil_to_days(y, m, d) * 86400000LL + (h * 60 + mi) * 60000LL - TZ_MS;
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

static int exists(const char *id)
{
	Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
	q.fired = 1;
	Aedesk__SchedulerRemindersReply *r = NULL;
	int found = 0;
	if (h_call(&st_adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&r) == 0)
		for (size_t i = 0; r && i < r->n_reminders; i++)
			found |= strcmp(r->reminders[i]->id, id) == 0;
	wire_free(r ? &r->base : NULL);
	return found;
}

/* R-TEAM-1 R-VISIT-1 R-PLAN-1 */
TEST(test_calendar_load_a_new_years_notice)
{
	harness h;
	char text[1024], bad[400], good[400];
	CHECK(h_setup(&h, "schedcal") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2028-01-03 00:00"); /* a Monday; no 2028 file is shipped */
	h_conf_add(&h, "scheduler.team_days", "mon,wed,fri,sat");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
	              "--password-stdin", NULL), 0);
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "B", "--ae", "sun.ae");
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(st_settle(&h) == 0);
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 10000) == 0);
	CHECK(st_due_of(&h, "team/sun.ae/2028-01-05") == local_ms(2028, 1, 5, 8, 30));
	CHECK(st_due_of(&h, "visit-mid/C000001/2028-W01") == local_ms(2028, 1, 5, 12, 0));
	CHECK(st_due_of(&h, "plan-week/sun.ae/2028-W02") == local_ms(2028, 1, 10, 8, 30));
	CHECK(!exists("team/sun.ae/2028-01-08"));

	/* Refused, nothing changed: not JSON; an AE. */
	h_write_file(&h, "bad.json", "{\"year\": 2028, \"days\": [ {\"name\": \"x\", \"date\": \"2028-13-01\"", bad, sizeof bad);
	H_REFUSED(&h, "INVALID_ARGUMENT", "bad.json", "calendar", "load", bad);
	h_write_file(&h, "2028.json",
	    "{\"year\": 2028, \"papers\": [\"测试通知\"], \"days\": [\n"
	    " {\"name\": \"测试假日\", \"date\": \"2028-01-05\", \"isOffDay\": true},\n"
	    " {\"name\": \"测试调休\", \"date\": \"2028-01-08\", \"isOffDay\": false},\n"
	    " {\"name\": \"测试假日\", \"date\": \"2028-01-10\", \"isOffDay\": true},\n"
	    " {\"name\": \"元宵\", \"date\": \"2028-02-14\", \"isOffDay\": true}\n]}\n",
	    good, sizeof good);
	as(&h, "sun.ae");
	H_REFUSED(&h, "PERMISSION_DENIED", "客户总监", "calendar", "load", good);
	CHECK(st_due_of(&h, "team/sun.ae/2028-01-05") == local_ms(2028, 1, 5, 8, 30));
	CHECK(!exists("team/sun.ae/2028-01-08"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "calendar", "load", NULL), 2);

	/* Loaded: 5 January off, Saturday 8 January worked, Monday 10 January off. */
	CHECK(h_login_admin(&h) == 0);
	H_OK(&h, "calendar", "load", good);
	CHECK(h_contains(out, "2028.json") && h_contains(out, "取消"));
	CHECK(st_cancelled(&h, "team/sun.ae/2028-01-05", "holiday calendar changed"));
	CHECK(st_cancelled(&h, "visit-mid/C000001/2028-W01", "holiday calendar changed"));
	CHECK(st_cancelled(&h, "team/sun.ae/2028-01-10", "holiday calendar changed"));
	CHECK(st_due_of(&h, "team/sun.ae/2028-01-08") == local_ms(2028, 1, 8, 8, 30)); /* 调休 */
	CHECK(st_due_of(&h, "plan-week/sun.ae/2028-W02") == local_ms(2028, 1, 11, 8, 30)); /* moved */
	CHECK(st_due_of(&h, "team/sun.ae/2028-01-07") == local_ms(2028, 1, 7, 8, 30));     /* unchanged */

	/* The week: nothing on the days off, the 调休 Saturday's meeting once. */
	CHECK(st_at(&h, local_ms(2028, 1, 11, 9, 0)) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "team/sun.ae/2028-01-05", text, sizeof text), 0);
	CHECK_INT(st_got(&h, "sun.ae", "team/sun.ae/2028-01-08", text, sizeof text), 1);
	CHECK_INT(st_got(&h, "sun.ae", "plan-week/sun.ae/2028-W02", text, sizeof text), 1);

	/* Kept across a restart: 14 February (a Monday) is planned off. */
	CHECK_INT(h_stop(&h, "scheduler"), 0);
	CHECK(h_start(&h, "scheduler") == 0);
	for (int d = 18; d <= 46; d += 7) /* a week at a time up to 15 February */
		CHECK(st_at(&h, local_ms(2028, 1, 1, 9, 0) + (long long)(d - 1) * 86400000LL) == 0);
	CHECK(!exists("team/sun.ae/2028-02-14"));
	CHECK(exists("team/sun.ae/2028-02-16"));
	CHECK(st_due_of(&h, "plan-week/sun.ae/2028-W07") == local_ms(2028, 2, 15, 8, 30));
	CHECK_INT(h_teardown(&h), 0);
}

static int utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!len || i + len > n)
			return 0;
		for (size_t j = 1; j < len; j++)
			if (((unsigned char)s[i + j] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/* R-MEETING-1 R-TEAM-1 */
TEST(test_calendar_export_is_rfc_5545)
{
	harness h;
	char path[400], ics[65536], tomorrow[32], d[16];
	CHECK(h_setup(&h, "schedics") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	static const char *const staff[][4] = {
	    {"qian.am", "钱经理", "am", ""}, {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", ""}};
	for (size_t i = 0; i < 3; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);
	h_local_date(1, d, sizeof d);
	snprintf(tomorrow, sizeof tomorrow, "%s 10:00", d);
	H_OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "春节提案, 第一轮; 预算\\审核", "--attendee",
	    "王强|市场总监|client", "--room", "一号会议室");
	CHECK(st_due_of(&h, "mtg/M000001/prep") > 0);
	CHECK(st_settle(&h) == 0);
	snprintf(path, sizeof path, "%s/sun.ics", h.home);
	H_OK(&h, "calendar", "export", "--days", "30", "--out", path);
	FILE *f = fopen(path, "rb"); /* (h_read_file drops the last newline) */
	size_t n = f ? fread(ics, 1, sizeof ics - 1, f) : 0;
	if (f)
		fclose(f);
	ics[n] = 0;
	CHECK(n > 0 && n < sizeof ics - 1);
	CHECK(strncmp(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	CHECK(n > 15 && strcmp(ics + n - 15, "END:VCALENDAR\r\n") == 0);
	int lines = 0, folded = 0, longest = 0, bare_lf = 0, bad_utf8 = 0;
	for (char *p = ics; *p;) {
		char *e = strstr(p, "\r\n");
		if (!e)
			break;
		int len = (int)(e - p);
		longest = len > longest ? len : longest;
		folded += *p == ' ';
		bad_utf8 += !utf8_ok(p, (size_t)len);
		for (char *q = p; q < e; q++)
			bare_lf += *q == '\n';
		lines++;
		p = e + 2;
	}
	CHECK(lines > 10 && folded > 0 && bare_lf == 0 && bad_utf8 == 0);
	CHECK(longest <= 75);
	/* unfolded: the meeting with its escaped title, in UTC; the team meetings */
	char *u = malloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; u && i < n; i++) {
		if (ics[i] == '\r' && ics[i + 1] == '\n' && ics[i + 2] == ' ') {
			i += 2;
			continue;
		}
		u[k++] = ics[i];
	}
	if (u)
		u[k] = 0;
	char start[32];
	snprintf(start, sizeof start, "DTSTART:%.4s%.2s%.2sT020000Z\r\n", d, d + 5, d + 8);
	CHECK(u && h_contains(u, "UID:meeting-M000001@aedesk\r\n") && h_contains(u, start));
	CHECK(u && h_contains(u, "SUMMARY:春节提案\\, 第一轮\\; 预算\\\\审核\r\n") && h_contains(u, "LOCATION:一号会议室"));
	CHECK(u && h_contains(u, "UID:mtg/M000001/prep/sun.ae@aedesk") && h_contains(u, "CATEGORIES:R-MEETING-1"));
	CHECK(u && h_contains(u, "UID:team/sun.ae/") && h_contains(u, "团队例会") && h_contains(u, "CATEGORIES:R-TEAM-1"));
	CHECK(u && h_contains(u, "DTSTAMP:") && !h_contains(u, "DTSTART:;"));
	int events = 0;
	for (char *p = u; p && (p = strstr(p, "BEGIN:VEVENT\r\nUID:")); p++)
		events++;
	CHECK(events >= 3);
	free(u);
	/* who may: the AE's AM yes, another AE no */
	as(&h, "li.ae");
	H_REFUSED(&h, "PERMISSION_DENIED", "AM", "calendar", "export", "--staff", "sun.ae");
	as(&h, "qian.am");
	H_OK(&h, "calendar", "export", "--staff", "sun.ae", "--days", "30");
	CHECK(h_contains(out, "BEGIN:VCALENDAR") && h_contains(out, "meeting-M000001@aedesk"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "calendar", "export", "--days", "0", NULL), 2);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_calendar_load_a_new_years_notice);
	RUN(test_calendar_export_is_rfc_5545);
	return check_summary();
}
