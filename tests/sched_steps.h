/*
 * NAME
 *	sched_steps.h - shared steps of the scheduler tests (see sched_steps.c)
 */
#ifndef AEDESK_SCHED_STEPS_H
#define AEDESK_SCHED_STEPS_H

#include "harness.h"
#include "scheduler.pb-c.h"

/* st_adm: a copy of the harness holding the admin's token, to look at anyone's reminders. */
extern harness st_adm;

long long st_now_ms(void);
int st_clock_set(harness *h, long long now);
/* st_settle waits until the scheduler has planned and fired everything due; -1 if not. */
int st_settle(harness *h);
/* st_rem_wait: the reminder as the scheduler holds it, once it exists (free with wire_free). */
Aedesk__Reminder *st_rem_wait(harness *h, const char *id, int want_cancelled);
long long st_due_of(harness *h, const char *id);
/* st_cancelled: the reminder was cancelled for `why` without firing. */
int st_cancelled(harness *h, const char *id, const char *why);
/* st_got: how many notifications of reminder rem staff has (the last one's text in text). */
int st_got(harness *h, const char *staff, const char *rem, char *text, size_t len);
/* st_at: move the scheduler's clock to t and let it fire what is due; 0 when it did. */
int st_at(harness *h, long long t);

#endif
