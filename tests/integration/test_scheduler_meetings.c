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
#include "scheduler.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define OK(h, ...)                                                                               \
	do {                                                                                       \
		int rc_ = h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL);    \
		CHECK_INT(rc_, 0);                                                                 \
		if (rc_)                                                                           \
			fprintf(stderr, "    stderr: %s\n", err);                                    \
	} while (0)

/* adm: a copy of the harness holding the admin's token, for looking at anyone's reminders. */
static harness adm;

static long long now_ms(void) { return (long long)time(NULL) * 1000; }

static int clock_set(harness *h, long long now)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = now;
	return h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

static int settle(harness *h)
{
	for (int i = 0; i < 500; i++) {
		Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
		Aedesk__SchedulerStatusReply *s = NULL;
		int done = h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor,
		               (ProtobufCMessage **)&s) == 0 &&
		    s && s->planned_through[0] && (s->next_due_ms == 0 || s->next_due_ms > s->now_ms);
		wire_free(s ? &s->base : NULL);
		if (done)
			return 0;
		h_sleep_ms(20);
	}
	return -1;
}

/* rem_wait: the reminder as the scheduler holds it, once it exists (events arrive async). */
static Aedesk__Reminder *rem_wait(harness *h, const char *id, int want_cancelled)
{
	for (int i = 0; i < 150; i++) {
		Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
		q.fired = 1;
		Aedesk__SchedulerRemindersReply *r = NULL;
		Aedesk__Reminder *found = NULL;
		(void)h;
		if (h_call(&adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&r) == 0)
			for (size_t j = 0; r && j < r->n_reminders; j++)
				if (strcmp(r->reminders[j]->id, id) == 0 && (!want_cancelled || r->reminders[j]->cancelled)) {
					found = r->reminders[j];
					r->reminders[j] = r->reminders[--r->n_reminders];
					break;
				}
		wire_free(r ? &r->base : NULL);
		if (found)
			return found;
		h_sleep_ms(20);
	}
	fprintf(stderr, "    no reminder %s%s\n", id, want_cancelled ? " (cancelled)" : "");
	return NULL;
}

static long long due_of(harness *h, const char *id)
{
	Aedesk__Reminder *r = rem_wait(h, id, 0);
	long long d = r ? r->due_ms : 0;
	wire_free(r ? &r->base : NULL);
	return d;
}

static int cancelled(harness *h, const char *id, const char *why)
{
	Aedesk__Reminder *r = rem_wait(h, id, 1);
	int ok = r && r->cancelled && !r->fired && strcmp(r->cancel_why, why) == 0;
	wire_free(r ? &r->base : NULL);
	return ok;
}

/* got: the text of staff's notification of reminder rem ("" if none). */
static int got(harness *h, const char *staff, const char *rem, char *text, size_t len)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	q.limit = 1000;
	Aedesk__InboxListReply *r = NULL;
	int n = 0;
	text[0] = 0;
	(void)h;
	if (h_call(&adm, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) == 0)
		for (size_t i = 0; r && i < r->n_notifications; i++)
			if (strcmp(r->notifications[i]->reminder_id, rem) == 0) {
				n++;
				snprintf(text, len, "%s", r->notifications[i]->text);
			}
	wire_free(r ? &r->base : NULL);
	return n;
}

/* at: move the scheduler's clock to t and let it fire what is due. */
static void at(harness *h, long long t)
{
	CHECK(clock_set(h, t) == 0);
	CHECK(settle(h) == 0);
}

static void day_in(int days, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static void write_file(harness *h, const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", h->home, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}


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
	adm = h;
	CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
	              "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	h_sleep_ms(300);
	at_min(24 * 60, tomorrow, sizeof tomorrow);
	at_min(-60, ago, sizeof ago);
	at_min(-120, ago2, sizeof ago2);
	day_in(3, d, sizeof d);
	OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "春节提案", "--attendee", "王强|市场总监|client",
	    "--room", "一号会议室");
	long long prep = due_of(&h, "mtg/M000001/prep");
	CHECK(prep > now_ms() + 23 * 3600000LL && prep < now_ms() + 24 * 3600000LL);
	if (!(prep > now_ms() + 23 * 3600000LL))
		fprintf(stderr, "    prep in %lld s\n", (prep - now_ms()) / 1000);
	CHECK(due_of(&h, "mtg/M000001/minutes") > prep);
	/* moved into the past: the reminder moves and fires at once, once */
	OK(&h, "meeting", "move", "M000001", "--at", ago);
	at(&h, now_ms());
	CHECK_INT(got(&h, "sun.ae", "mtg/M000001/prep", text, sizeof text), 1);
	CHECK(h_contains(text, "M000001") && h_contains(text, "一号会议室") && h_contains(text, "准备会议室"));
	/* cancelled: both go */
	OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "排期沟通", "--attendee", "王强|市场总监|client");
	CHECK(due_of(&h, "mtg/M000002/prep") > 0);
	OK(&h, "meeting", "cancel", "M000002", "--reason", "客户出差");
	CHECK(cancelled(&h, "mtg/M000002/prep", "meeting cancelled"));
	CHECK(cancelled(&h, "mtg/M000002/minutes", "meeting cancelled"));
	/* held two hours ago, recorded now: no prep reminder; minutes filed cancel the chase */
	OK(&h, "meeting", "add", "C000001", "--at", ago2, "--title", "电话会", "--minutes", "30", "--attendee",
	    "王强|市场总监|client");
	CHECK(due_of(&h, "mtg/M000003/minutes") > 0);
	char mt[400];
	snprintf(mt, sizeof mt, "## 结论\n- 采用 A 案\n\n## 行动事项\n- 修改标题 | sun.ae | %s\n", d);
	write_file(&h, "min.md", mt, minutes, sizeof minutes);
	OK(&h, "meeting", "minutes", "M000003", "--file", minutes);
	CHECK(cancelled(&h, "mtg/M000003/minutes", "minutes filed"));
	CHECK_INT(got(&h, "sun.ae", "mtg/M000003/prep", text, sizeof text), 0);
	/* M000001 (held an hour ago) has none: chased at the end of the next working day */
	long long chase = due_of(&h, "mtg/M000001/minutes");
	CHECK(chase > now_ms() && chase < now_ms() + 12 * 86400000LL);
	at(&h, chase - 60000);
	CHECK_INT(got(&h, "sun.ae", "mtg/M000001/minutes", text, sizeof text), 0);
	at(&h, chase + 60000);
	CHECK_INT(got(&h, "sun.ae", "mtg/M000001/minutes", text, sizeof text), 1);
	CHECK(h_contains(text, "尚未提交会议纪要") && h_contains(text, "M000001"));
	CHECK_INT(got(&h, "sun.ae", "mtg/M000003/minutes", text, sizeof text), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_MEETING_1_R_MEETING_2_prepare_move_cancel_and_minutes);
	return check_summary();
}
