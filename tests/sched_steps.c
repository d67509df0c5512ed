/*
 * NAME
 *	sched_steps.c - steps of the scheduler tests: move its clock, wait for it, read its
 *	reminders and inboxes (with the admin's token kept in st_adm)
 */
#include "sched_steps.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wire.h"

/* adm: a copy of the harness holding the admin's token, for looking at anyone's reminders. */
harness st_adm;

long long st_now_ms(void) { return (long long)time(NULL) * 1000; }

int st_clock_set(harness *h, long long now)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = now;
	return h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

int st_settle(harness *h)
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
Aedesk__Reminder *st_rem_wait(harness *h, const char *id, int want_cancelled)
{
	for (int i = 0; i < 150; i++) {
		Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
		q.fired = 1;
		Aedesk__SchedulerRemindersReply *r = NULL;
		Aedesk__Reminder *found = NULL;
		(void)h;
		if (h_call(&st_adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&r) == 0)
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

long long st_due_of(harness *h, const char *id)
{
	Aedesk__Reminder *r = st_rem_wait(h, id, 0);
	long long d = r ? r->due_ms : 0;
	wire_free(r ? &r->base : NULL);
	return d;
}

int st_cancelled(harness *h, const char *id, const char *why)
{
	Aedesk__Reminder *r = st_rem_wait(h, id, 1);
	int ok = r && r->cancelled && !r->fired && strcmp(r->cancel_why, why) == 0;
	wire_free(r ? &r->base : NULL);
	return ok;
}

/* got: the text of staff's notification of reminder rem ("" if none). */
int st_got(harness *h, const char *staff, const char *rem, char *text, size_t len)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	q.limit = 1000;
	Aedesk__InboxListReply *r = NULL;
	int n = 0;
	text[0] = 0;
	(void)h;
	if (h_call(&st_adm, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) == 0)
		for (size_t i = 0; r && i < r->n_notifications; i++)
			if (strcmp(r->notifications[i]->reminder_id, rem) == 0) {
				n++;
				snprintf(text, len, "%s", r->notifications[i]->text);
			}
	wire_free(r ? &r->base : NULL);
	return n;
}

/* st_at: move the scheduler's clock to t and let it fire what is due; 0 when it did. */
int st_at(harness *h, long long t)
{
	return st_clock_set(h, t) == 0 && st_settle(h) == 0 ? 0 : -1;
}

