/*
 * The inbox and push (R-REMIND-1): notifications say what to do and about what, in the
 * staff member's language; read/done; `aedesk inbox --follow` prints each one as it
 * arrives and, across a kill -9 of the scheduler, nothing missed and nothing twice; a
 * reminder whose time passed while the scheduler was down fires on restart, marked late.
 * Festivals (R-GREET-1, R-GREET-2): Spring Festival gift 7 days before, Dragon Boat and
 * Mid-Autumn from the lunar calendar. Visit targets change from the next week (R-VISIT-1).
 * The test clock is refused unless the config turns it on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "scheduler.pb-c.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)

static long long local_ms(int y, int m, int d, int h, int mi)
{
	return (long long)civil_to_days(y, m, d) * 86400000LL + (h * 60 + mi) * 60000LL - TZ_MS;
}

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

static Aedesk__InboxListReply *inbox_of(harness *h, const char *staff)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	Aedesk__InboxListReply *r = NULL;
	if (h_call(h, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

static const Aedesk__Notification *find(const Aedesk__InboxListReply *r, const char *rem)
{
	for (size_t i = 0; r && i < r->n_notifications; i++)
		if (strcmp(r->notifications[i]->reminder_id, rem) == 0)
			return r->notifications[i];
	return NULL;
}

/* R-REMIND-1 R-GREET-1 R-GREET-2 R-VISIT-1 */
TEST(test_inbox_follow_survives_a_kill_and_late_reminders_fire_once)
{
	harness h;
	char out[8192], err[2048];
	CHECK(h_setup(&h, "schedinbox") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-02-01 00:00");
	h_conf_add(&h, "scheduler.lang.ae2", "en");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0); /* a source: while it is down, replay tries stall the loop */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "secret-pw-1\n", out, sizeof out, "staff", "add", "ae1", "--name", "王主任", "--role", "ae",
	              "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "add", "ae2", "--name", "Zhao", "--role", "ae", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品", "--ae", "ae1", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "长城电器", "--ae", "ae2", NULL), 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(settle(&h) == 0); /* the planner has started on 1 February */

	/* First week: team meetings 2, 4, 6 February reach ae1's inbox, in Chinese. */
	CHECK(clock_set(&h, local_ms(2026, 2, 9, 8, 0)) == 0);
	CHECK(settle(&h) == 0);
	CHECK(h_login(&h, "ae1", "secret-pw-1") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", NULL), 0);
	CHECK(h_contains(out, "N0000001") && h_contains(out, "团队例会") && h_contains(out, "R-TEAM-1"));
	CHECK(h_contains(out, "2026-02-02") && h_contains(out, "2026-02-06"));
	Aedesk__InboxListReply *r = inbox_of(&h, "");
	int team = 0;
	for (size_t i = 0; r && i < r->n_notifications; i++)
		team += strcmp(r->notifications[i]->rule, "R-TEAM-1") == 0;
	CHECK_INT(team, 3);
	CHECK(find(r, "visit-mid/C000001/2026-W06") != NULL); /* R-VISIT-1: no visit that week */
	char first[16] = "", last[16] = "";
	if (r && r->n_notifications > 0) {
		snprintf(first, sizeof first, "%s", r->notifications[0]->id);
		snprintf(last, sizeof last, "%s", r->last_id);
	}
	wire_free(r ? &r->base : NULL);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "read", first, NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "--unread", NULL), 0);
	CHECK(!h_contains(out, first));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "done", first, NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", NULL), 0);
	CHECK(!h_contains(out, first));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "--all", NULL), 0);
	CHECK(h_contains(out, first) && h_contains(out, "已办"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "inbox", "done", "N9999999", NULL), 1);
	CHECK(h_contains(err, "N9999999"));

	/* A follower from the last id: six notifications to come, one kill in between. */
	pid_t pid;
	int fd[2];
	CHECK(pipe(fd) == 0);
	if ((pid = fork()) == 0) {
		close(fd[0]);
		char fo[8192];
		h_cli(&h, NULL, fo, sizeof fo, "inbox", "--follow", "--since", last, "--count", "6", "--timeout", "25", NULL);
		ssize_t w = write(fd[1], fo, strlen(fo));
		(void)w;
		_exit(0);
	}
	close(fd[1]);
	h_sleep_ms(300);
	CHECK(clock_set(&h, local_ms(2026, 2, 9, 9, 0)) == 0); /* team meeting of the 9th */
	CHECK(settle(&h) == 0);
	/* Down over the gift reminder's time (10 Feb 09:00): it fires on restart, late. */
	h_kill9(&h, "scheduler");
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(clock_set(&h, local_ms(2026, 2, 10, 11, 0)) == 0);
	CHECK(settle(&h) == 0);
	CHECK(clock_set(&h, local_ms(2026, 2, 13, 9, 0)) == 0); /* team 11th and 13th */
	CHECK(settle(&h) == 0);
	int status = 0;
	waitpid(pid, &status, 0);
	char fo[8192];
	ssize_t n = read(fd[0], fo, sizeof fo - 1);
	close(fd[0]);
	fo[n > 0 ? n : 0] = 0;
	int lines = 0;
	for (char *p = fo; (p = strchr(p, '\n')); p++)
		lines++;
	CHECK_INT(lines, 6);
	CHECK(h_contains(fo, "春节（2026-02-17）将至：请为客户 华夏食品（C000001）准备并送出礼品"));
	CHECK(h_contains(fo, "（迟到）"));
	if (lines != 6)
		fprintf(stderr, "  follower printed:\n%s", fo);

	CHECK(h_login_admin(&h) == 0);
	r = inbox_of(&h, "ae1");
	const Aedesk__Notification *gift = find(r, "gift/spring/2026/C000001");
	CHECK(gift && gift->late && strcmp(gift->object_id, "C000001") == 0);
	/* team 2, 4, 6, 9, 11, 13; gift; visits W06 mid and end, W07 mid; the work plans of
	 * W06 and W07 (R-PLAN-1): each once, and the follower printed exactly those after
	 * `last`, in order. */
	CHECK(r && r->n_notifications == 12);
	CHECK(find(r, "plan-week/ae1/2026-W07") != NULL);
	int after = 0;
	for (size_t i = 0; r && i < r->n_notifications; i++) {
		const char *id = r->notifications[i]->id;
		if (strcmp(id, last) <= 0)
			continue;
		after++;
		char *at = strstr(fo, id);
		CHECK(at != NULL && strstr(at + 1, id) == NULL);
	}
	CHECK_INT(after, 6);
	wire_free(r ? &r->base : NULL);
	r = inbox_of(&h, "ae2");
	gift = find(r, "gift/spring/2026/C000002");
	CHECK(gift && h_contains(gift->text, "Spring Festival is on 2026-02-17: buy and send a gift for client 长城电器 (C000002)"));
	wire_free(r ? &r->base : NULL);

	/* R-VISIT-1: a class change counts from the next week. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "class", "C000001", "A", "--why", "年度大客户", NULL), 0);
	h_sleep_ms(1500);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "visits", "due", "--week", "2026-W07", "--team", NULL), 0);
	CHECK(h_contains(out, "\"class\": \"C\"") || h_contains(out, "\"class\":\"C\""));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visits", "due", "--week", "2026-W07", "--team", NULL), 0);
	CHECK(h_contains(out, "2026-W07") && h_contains(out, "华夏食品") && h_contains(out, "未达标"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "visits", "due", "--week", "2026-W08", "--team", NULL), 0);
	CHECK(h_contains(out, "\"required\": 0") || h_contains(out, "\"required\":0")); /* Spring Festival week */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "visits", "due", "--week", "2026-W09", "--team", NULL), 0);
	CHECK(h_contains(out, "\"required\": 2") || h_contains(out, "\"required\":2"));

	/* R-GREET-2: Dragon Boat (19 June 2026) and Mid-Autumn (25 September, gift on the 18th). */
	CHECK(clock_set(&h, local_ms(2026, 6, 17, 0, 0)) == 0);
	CHECK(settle(&h) == 0);
	CHECK(clock_set(&h, local_ms(2026, 6, 19, 10, 0)) == 0);
	CHECK(settle(&h) == 0);
	CHECK(clock_set(&h, local_ms(2026, 9, 17, 0, 0)) == 0);
	CHECK(settle(&h) == 0);
	CHECK(clock_set(&h, local_ms(2026, 9, 25, 10, 0)) == 0);
	CHECK(settle(&h) == 0);
	r = inbox_of(&h, "ae1");
	const Aedesk__Notification *db = find(r, "greet/dragonboat/2026/C000001");
	CHECK(db && h_contains(db->text, "端午节") && db->at_ms >= local_ms(2026, 6, 19, 9, 0));
	CHECK(find(r, "gift/dragonboat/2026/C000001") == NULL);
	const Aedesk__Notification *ma = find(r, "gift/midautumn/2026/C000001");
	CHECK(ma && ma->due_ms == local_ms(2026, 9, 18, 9, 0));
	CHECK(find(r, "greet/midautumn/2026/C000001") != NULL);
	wire_free(r ? &r->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_clock_set_refused_without_test_clock)
{
	harness h;
	CHECK(h_setup(&h, "schedclock") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0); /* a source: while it is down, replay tries stall the loop */
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK_INT(clock_set(&h, local_ms(2030, 1, 1, 0, 0)), AEDESK__STATUS__FAILED_PRECONDITION);
	Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
	Aedesk__SchedulerStatusReply *s = NULL;
	CHECK(h_call(&h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, (ProtobufCMessage **)&s) == 0);
	CHECK(s && s->now_ms < local_ms(2029, 1, 1, 0, 0)); /* nothing moved */
	wire_free(s ? &s->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_inbox_follow_survives_a_kill_and_late_reminders_fire_once);
	RUN(test_clock_set_refused_without_test_clock);
	return check_summary();
}
