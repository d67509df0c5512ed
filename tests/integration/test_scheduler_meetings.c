/*
 * Meetings (R-MEETING-1, R-MEETING-2) through real jobs and scheduler services: the
 * organiser is told 30 minutes before to prepare the room and materials; a move moves the
 * reminder, also into the past (it fires at once); a cancelled meeting cancels both;
 * minutes not filed by the end of the next working day are chased, MinutesFiled cancels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "sched_steps.h"
#include "scheduler.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];


static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

static void at_min(int minutes, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)minutes * 60 + 8 * 3600; /* `meeting --at` is the agency's time */
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

TEST(test_R_MEETING_1_R_MEETING_2_prepare_move_cancel_and_minutes)
{
	harness h;
	char text[1024], tomorrow[32], ago[32], ago2[32], minutes[400], d[16];
	CHECK(h_setup(&h, "schedmtg") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
	              "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	h_sleep_ms(300);
	at_min(24 * 60, tomorrow, sizeof tomorrow);
	at_min(-60, ago, sizeof ago);
	at_min(-120, ago2, sizeof ago2);
	h_local_date(3, d, sizeof d);
	H_OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "春节提案", "--attendee", "王强|市场总监|client",
	    "--room", "一号会议室");
	long long prep = st_due_of(&h, "mtg/M000001/prep");
	CHECK(prep > st_now_ms() + 23 * 3600000LL && prep < st_now_ms() + 24 * 3600000LL);
	if (!(prep > st_now_ms() + 23 * 3600000LL))
		fprintf(stderr, "    prep in %lld s\n", (prep - st_now_ms()) / 1000);
	CHECK(st_due_of(&h, "mtg/M000001/minutes") > prep);
	/* moved into the past: the reminder moves and fires at once, once */
	H_OK(&h, "meeting", "move", "M000001", "--at", ago);
	CHECK(st_at(&h, st_now_ms()) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "mtg/M000001/prep", text, sizeof text), 1);
	CHECK(h_contains(text, "M000001") && h_contains(text, "一号会议室") && h_contains(text, "准备会议室"));
	/* cancelled: both go */
	H_OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "排期沟通", "--attendee", "王强|市场总监|client");
	CHECK(st_due_of(&h, "mtg/M000002/prep") > 0);
	H_OK(&h, "meeting", "cancel", "M000002", "--reason", "客户出差");
	CHECK(st_cancelled(&h, "mtg/M000002/prep", "meeting cancelled"));
	CHECK(st_cancelled(&h, "mtg/M000002/minutes", "meeting cancelled"));
	/* held two hours ago, recorded now: no prep reminder; minutes filed cancel the chase */
	H_OK(&h, "meeting", "add", "C000001", "--at", ago2, "--title", "电话会", "--minutes", "30", "--attendee",
	    "王强|市场总监|client");
	CHECK(st_due_of(&h, "mtg/M000003/minutes") > 0);
	char mt[400];
	snprintf(mt, sizeof mt, "## 结论\n- 采用 A 案\n\n## 行动事项\n- 修改标题 | sun.ae | %s\n", d);
	h_write_file(&h, "min.md", mt, minutes, sizeof minutes);
	H_OK(&h, "meeting", "minutes", "M000003", "--file", minutes);
	CHECK(st_cancelled(&h, "mtg/M000003/minutes", "minutes filed"));
	CHECK_INT(st_got(&h, "sun.ae", "mtg/M000003/prep", text, sizeof text), 0);
	/* M000001 (held an hour ago) has none: chased at the end of the next working day */
	long long chase = st_due_of(&h, "mtg/M000001/minutes");
	CHECK(chase > st_now_ms() && chase < st_now_ms() + 12 * 86400000LL);
	CHECK(st_at(&h, chase - 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "mtg/M000001/minutes", text, sizeof text), 0);
	CHECK(st_at(&h, chase + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "mtg/M000001/minutes", text, sizeof text), 1);
	CHECK(h_contains(text, "尚未提交会议纪要") && h_contains(text, "M000001"));
	CHECK_INT(st_got(&h, "sun.ae", "mtg/M000003/minutes", text, sizeof text), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_MEETING_1_R_MEETING_2_prepare_move_cancel_and_minutes);
	return check_summary();
}
