/*
 * NAME
 *	engine.c - the reminder engine: clock, tick, exactly-once firing
 *
 * DESCRIPTION
 *	Pending reminders are indexed by be64(due_ms) . id in rem_due, so each tick seeks
 *	to the start of that table and reads only what is due: the cost of a tick does not
 *	grow with the number of reminders held. A tick runs when the first key of rem_due
 *	falls due (svc_tick_at: the tick that fires asks for the next one, and a reminder
 *	added or moved before it asks for its own time), and at the latest once a second
 *	(scheduler.tick_max_ms, for the planner's new day). A tick (svc_decl.tick, its own write
 *	transaction) first lets the planner make the calendar reminders of the days that
 *	have come within the horizon, then fires every due reminder (at most
 *	SCHED_FIRE_BATCH a tick; the rest at once in the next): its notifications go into the inbox,
 *	the reminder is marked fired and its rem_due key dropped, and a Notification event
 *	is emitted per recipient, published on notify/<staff>/ after the commit. All of it
 *	commits together or not at all, so no kill -9 can make a reminder fire twice or
 *	never (R-REMIND-1). A tick with nothing due and no new day writes nothing, and
 *	store_commit then neither writes nor syncs.
 *
 *	The clock (svc_decl.clock) is the system clock plus an offset kept in sched_meta.
 *	Only with scheduler.test_clock = on can SchedulerClockSet move it, and
 *	scheduler.test_clock_start = "YYYY-MM-DD HH:MM" (local) sets where a new store's
 *	clock starts. Tests run a month of reminders in seconds that way.
 *
 * SECURITY
 *	SchedulerClockSet is refused unless the config turns the test clock on (a test
 *	configuration: then any logged-in caller may move it).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "log.h"
#include "sched.h"
#include "validate.h"
#include "wire.h"

#define SCHED_FIRE_BATCH 500
#define SCHED_CATCHUP_DAYS 7
/* A tick's planner makes at most this many reminders; when it has, the rest of the day
 * is left out (plan_cut), planned_through stays before that day and the next tick runs
 * at once (svc_tick_at) and plans the day again: ids name the occasion, so what the cut
 * tick made is found and skipped. LMDB keeps every page a write transaction dirtied
 * (malloc'd, then on its free list env->me_dpages until the store is closed), so the
 * largest transaction sets the scheduler's heap for good: a new install's horizon for
 * 100,000 clients (~600,000 reminders) planned in one tick held ~165 MiB. */
#define SCHED_PLAN_TICK_MAX 50000
static size_t plan_made;   /* reminders made since plan() began (plan_capped) */
static int plan_capped;    /* inside plan(): sched_add counts and stops at the cap */
static int plan_cut;       /* the cap was reached: some of the day was left out */

int64_t sched_clock(svc *s)
{
	(void)s;
	return wire_now_ms() + sched.offset_ms;
}

/* ---- small store helpers ---- */

int sched_get(MDB_txn *txn, MDB_dbi dbi, const char *key, const ProtobufCMessageDescriptor *d,
    ProtobufCMessage **out)
{
	return store_get_msg(txn, dbi, key, strlen(key), d, out);
}

int sched_put(svc_req *r, MDB_dbi dbi, const char *key, const ProtobufCMessage *m)
{
	int rc = store_put_msg(r->txn, dbi, key, strlen(key), m, 0);
	return rc ? svc_db_error(r, rc, key) : 0;
}

int64_t sched_meta_get(MDB_txn *txn, const char *key, int64_t dflt)
{
	return (int64_t)store_get_u64(txn, sched.meta, key, (uint64_t)dflt);
}

int sched_meta_put(svc_req *r, const char *key, int64_t v)
{
	int rc = store_put_u64(r->txn, sched.meta, key, (uint64_t)v);
	return rc ? svc_db_error(r, rc, key) : 0;
}

static size_t due_key(uint8_t *k, size_t len, int64_t due, const char *id)
{
	size_t n = strlen(id);
	if (8 + n > len)
		n = len - 8;
	store_be64(k, (uint64_t)due);
	memcpy(k + 8, id, n);
	return 8 + n;
}

/* ---- reminders ---- */

int sched_add(svc_req *r, Aedesk__Reminder *rem)
{
	if (store_exists(r->txn, sched.rem, rem->id, strlen(rem->id)))
		return sched.replan ? sched_replan_seen(r, rem) : 0; /* planned already (or fired): the id names the occasion */
	/* A calendar reminder already past when it is first planned (on a new install, or
	 * for a colleague or client added later in the day) was never due to anyone: it is
	 * not made, rather than fired late as noise. A planned one missed while the
	 * scheduler was down still fires late (R-REMIND-1): it existed before. */
	if (sched.planning && rem->due_ms < r->now_ms)
		return 0;
	if (plan_capped && plan_made >= SCHED_PLAN_TICK_MAX) {
		plan_cut = 1; /* the next tick plans this day again and makes it */
		return 0;
	}
	plan_made++;
	rem->created_ms = r->now_ms;
	if (sched.replan)
		sched_replan_made();
	if (sched_put(r, sched.rem, rem->id, &rem->base))
		return -1;
	uint8_t k[512];
	MDB_val kv = {due_key(k, sizeof k, rem->due_ms, rem->id), k}, vv = {0, ""};
	int rc = mdb_put(r->txn, sched.due, &kv, &vv, 0);
	if (rc)
		return svc_db_error(r, rc, "rem_due");
	svc_tick_at(r->svc, rem->due_ms); /* due before the next tick: fire it on time */
	return 0;
}

int sched_add_simple(svc_req *r, const char *id, const char *rule, const char *kind, const char *to,
    const char *client_id, const char *otype, const char *oid, int64_t due_ms, const char *const *args)
{
	Aedesk__Reminder rem = AEDESK__REMINDER__INIT;
	rem.id = (char *)id;
	rem.rule = (char *)rule;
	rem.kind = (char *)kind;
	rem.to = (char *)to;
	rem.client_id = (char *)(client_id ? client_id : "");
	rem.object_type = (char *)otype;
	rem.object_id = (char *)oid;
	rem.due_ms = due_ms;
	size_t n = 0;
	while (args && args[n])
		n++;
	rem.n_args = n;
	rem.args = (char **)args;
	return sched_add(r, &rem);
}

/* load_pending: the reminder if it is still pending, else NULL. */
static Aedesk__Reminder *load_pending(svc_req *r, const char *id)
{
	Aedesk__Reminder *rem = NULL;
	if (sched_get(r->txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&rem) != 0)
		return NULL;
	if (rem->fired || rem->cancelled) {
		wire_free(&rem->base);
		return NULL;
	}
	return rem;
}

int sched_pending(MDB_txn *txn, const char *id)
{
	Aedesk__Reminder *rem = NULL;
	if (sched_get(txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&rem) != 0)
		return 0;
	int p = !rem->fired && !rem->cancelled;
	wire_free(&rem->base);
	return p;
}

int64_t sched_before_ms(int64_t due, int lead_days)
{
	int day = sched_local_day(due) - lead_days;
	if (!sched_is_workday(day))
		day = sched_prev_workday(day);
	int64_t t = sched_local_ms(day, sched.day_start_min);
	return t < due ? t : due;
}

int64_t sched_after_ms(int64_t t)
{
	int day = sched_local_day(t);
	int64_t start = sched_local_ms(day, sched.day_start_min), end = sched_local_ms(day, sched.day_end_min);
	if (sched_is_workday(day) && t < end)
		return t < start ? start : t;
	return sched_local_ms(sched_next_workday(day), sched.day_start_min);
}

static int drop_due(svc_req *r, const Aedesk__Reminder *rem)
{
	uint8_t k[512];
	MDB_val kv = {due_key(k, sizeof k, rem->due_ms, rem->id), k};
	int rc = mdb_del(r->txn, sched.due, &kv, NULL);
	return rc && rc != MDB_NOTFOUND ? svc_db_error(r, rc, "rem_due") : 0;
}

int sched_cancel(svc_req *r, const char *id, const char *why)
{
	Aedesk__Reminder *rem = load_pending(r, id);
	if (!rem)
		return 0;
	int rc = drop_due(r, rem);
	char *old = rem->cancel_why;
	rem->cancelled = 1;
	rem->cancel_why = (char *)why;
	if (!rc)
		rc = sched_put(r, sched.rem, id, &rem->base);
	rem->cancel_why = old;
	wire_free(&rem->base);
	if (rc)
		return rc;
	Aedesk__ReminderCancelled ev = AEDESK__REMINDER_CANCELLED__INIT;
	ev.id = (char *)id;
	ev.why = (char *)why;
	return svc_emit(r, &ev.base);
}

int sched_move(svc_req *r, const char *id, int64_t due_ms)
{
	Aedesk__Reminder *rem = load_pending(r, id);
	if (!rem)
		return 0;
	int rc = drop_due(r, rem);
	rem->due_ms = due_ms;
	if (!rc)
		rc = sched_put(r, sched.rem, id, &rem->base);
	if (!rc) {
		uint8_t k[512];
		MDB_val kv = {due_key(k, sizeof k, due_ms, id), k}, vv = {0, ""};
		if ((rc = mdb_put(r->txn, sched.due, &kv, &vv, 0)) != 0)
			rc = svc_db_error(r, rc, "rem_due");
		else
			svc_tick_at(r->svc, due_ms);
	}
	wire_free(&rem->base);
	return rc;
}

/* ---- the tick ---- */

/* plan catches the planner up: calendar reminders of every day up to today + horizon. */
static int plan(svc_req *r)
{
	int today = sched_local_day(r->now_ms);
	int64_t through = sched_meta_get(r->txn, "planned_through", 0);
	if (through == 0 || through < today - SCHED_CATCHUP_DAYS)
		through = today - (through == 0 ? 1 : SCHED_CATCHUP_DAYS);
	if (sched_meta_get(r->txn, "plan_today", 0) != today && sched_meta_put(r, "plan_today", today))
		return -1;
	int to = today + sched.horizon_days;
	if (to <= through)
		return 0;
	plan_made = 0;
	plan_cut = 0;
	plan_capped = 1;
	int day = (int)through + 1, rc = 0;
	for (; day <= to && !rc && !plan_cut; day++)
		rc = sched_plan(r, day, day);
	plan_capped = 0;
	if (rc)
		return -1;
	if (plan_cut) {
		day -= 2; /* the last day whole */
		log_info("planner: %zu reminder(s) made, through day %d; the rest in the next tick", plan_made, day);
		svc_tick_at(r->svc, r->now_ms);
		return day > through ? sched_meta_put(r, "planned_through", day) : 0;
	}
	return sched_meta_put(r, "planned_through", to);
}

int sched_tick(svc *s, svc_req *r)
{
	if (plan(r))
		return -1;
	MDB_cursor *c;
	int rc = mdb_cursor_open(r->txn, sched.due, &c);
	if (rc)
		return svc_db_error(r, rc, "rem_due");
	char *ids[SCHED_FIRE_BATCH];
	size_t n = 0;
	MDB_val kv, vv;
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && n < SCHED_FIRE_BATCH;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size < 8 || (int64_t)store_from_be64(kv.mv_data) > r->now_ms)
			break;
		ids[n++] = strndup((const char *)kv.mv_data + 8, kv.mv_size - 8);
	}
	mdb_cursor_close(c);
	int fail = 0;
	for (size_t i = 0; i < n; i++) {
		Aedesk__Reminder *rem = NULL;
		if (!fail && ids[i]) {
			int g = sched_get(r->txn, sched.rem, ids[i], &aedesk__reminder__descriptor,
			    (ProtobufCMessage **)&rem);
			if (g == 0 && !rem->fired && !rem->cancelled)
				fail = sched_fire(r, rem) != 0;
			else if (g == 0)
				fail = drop_due(r, rem) != 0; /* cannot happen: fired ones leave rem_due */
		}
		if (!fail && rem)
			fail = drop_due(r, rem) != 0;
		wire_free(rem ? &rem->base : NULL);
		free(ids[i]);
	}
	if (fail)
		return -1;
	/* The next tick runs when the next reminder is due (or at once if more are due than
	 * one tick fires), not a period later. A key still due after a tick that was not
	 * full (it cannot be fired: no reminder behind it) is left to the period rather
	 * than ticked for in a loop. */
	if ((rc = mdb_cursor_open(r->txn, sched.due, &c)) != 0)
		return svc_db_error(r, rc, "rem_due");
	if (mdb_cursor_get(c, &kv, &vv, MDB_FIRST) == 0 && kv.mv_size >= 8) {
		int64_t next = (int64_t)store_from_be64(kv.mv_data);
		if (next > r->now_ms || n == SCHED_FIRE_BATCH)
			svc_tick_at(s, next);
	}
	mdb_cursor_close(c);
	return 0;
}

/* Notifications are published under notify/<staff>/; everything else as <service>/<Type>. */
int sched_topic(svc *s, const Aedesk__Envelope *e, char *buf, size_t len)
{
	if (strcmp(e->type, aedesk__notification__descriptor.name) == 0) {
		Aedesk__Notification *n = (Aedesk__Notification *)wire_unpack(
		    &aedesk__notification__descriptor, e->payload.data, e->payload.len, NULL);
		if (!n)
			return -1;
		snprintf(buf, len, "notify/%s/", n->staff_id);
		wire_free(&n->base);
		return 0;
	}
	snprintf(buf, len, "%s/%s", svc_name(s), wire_short_name(e->type));
	return 0;
}

/* ---- start-up ---- */

static int minute_of(const conf *c, const char *key, const char *dflt)
{
	const char *v = conf_get(c, key, dflt);
	int h, m, n = -1;
	if (sscanf(v, "%2d:%2d%n", &h, &m, &n) != 2 || v[n] || h > 23 || m > 59 || h < 0 || m < 0)
		log_fatal("%s: %s must be a time HH:MM, not \"%s\"", conf_path(c), key, v);
	return h * 60 + m;
}

static int wday_of(const conf *c, const char *key, const char *dflt)
{
	static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	const char *v = conf_get(c, key, dflt);
	for (int i = 0; i < 7; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	log_fatal("%s: %s must be a day mon..sun, not \"%s\"", conf_path(c), key, v);
}

static unsigned wdays_of(const conf *c, const char *key, const char *dflt)
{
	static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	const char *v = conf_get(c, key, dflt);
	unsigned mask = 0;
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ", ");
		int found = 0;
		for (int i = 0; i < 7; i++)
			if (n == 3 && strncmp(p, names[i], 3) == 0)
				mask |= 1u << i, found = 1;
		if (!found && n)
			log_fatal("%s: %s must list days like mon,wed,fri, not \"%s\"", conf_path(c), key, v);
		p += n;
		p += strspn(p, ", ");
	}
	return mask;
}

int sched_open(svc *s, svc_req *r)
{
	const conf *c = svc_conf(s);
	char err[1200];
	sched.conf = c;
	if (sched_calendar_open(c, err, sizeof err) != 0)
		log_fatal("%s: %s", conf_path(c), err);
	if (sched_calendar_load_stored(r))
		return -1;
	const char *tc = conf_get(c, "scheduler.test_clock", "off");
	if (strcmp(tc, "on") && strcmp(tc, "off"))
		log_fatal("%s: scheduler.test_clock must be on or off, not \"%s\"", conf_path(c), tc);
	sched.test_clock = strcmp(tc, "on") == 0;
	sched.gift_lead_days = (int)conf_int_or_die(c, "scheduler.gift_lead_days", 7, 0, 60);
	sched.horizon_days = sched.gift_lead_days + 10;
	sched.greet_min = minute_of(c, "scheduler.greet_time", "09:00");
	sched.team_days = wdays_of(c, "scheduler.team_days", "mon,wed,fri");
	sched.team_min = minute_of(c, "scheduler.team_time", "09:00");
	sched.team_notice_min = (int)conf_int_or_die(c, "scheduler.team_notice_min", 30, 0, 600);
	sched.day_start_min = minute_of(c, "scheduler.day_start", "08:30");
	sched.day_end_min = minute_of(c, "scheduler.day_end", "17:30");
	sched.visit_mid_wday = wday_of(c, "scheduler.visit_mid_day", "wed");
	sched.visit_mid_min = minute_of(c, "scheduler.visit_mid_time", "12:00");
	sched.visit_end_wday = wday_of(c, "scheduler.visit_end_day", "fri");
	sched.estimate_lead_days = (int)conf_int_or_die(c, "scheduler.estimate_lead_days", 1, 0, 6);
	sched.stage_lead_days = (int)conf_int_or_die(c, "scheduler.stage_lead_days", 1, 0, 30);
	sched.pay_lead_days = (int)conf_int_or_die(c, "scheduler.pay_lead_days", 3, 0, 60);
	sched.late_ms = conf_int_or_die(c, "scheduler.late_s", 300, 1, 86400) * 1000;
	sched.tick_max_ms = (int)conf_int_or_die(c, "scheduler.tick_max_ms", 1000, 100, 3600000);
	sched.meeting_prep_min = (int)conf_int_or_die(c, "scheduler.meeting_prep_min", 30, 0, 1440);
	sched.feedback_min = minute_of(c, "scheduler.feedback_time", "10:00");
	sched.prospect_contacts = (int)conf_int_or_die(c, "scheduler.prospect_contacts", 3, 1, 50);
	sched.plan_min = minute_of(c, "scheduler.plan_time", "08:30");
	sched.summary_min = minute_of(c, "scheduler.summary_time", "16:00");
	sched.offset_ms = 0;
	if (!sched.test_clock)
		return 0;
	sched.offset_ms = sched_meta_get(r->txn, "clock_offset", 0);
	const char *start = conf_get(c, "scheduler.test_clock_start", NULL);
	if (start && !store_exists(r->txn, sched.meta, "clock_offset", 12)) {
		int y, mo, d, h, mi;
		if (validate_datetime(start, &y, &mo, &d, &h, &mi, NULL) != 0)
			log_fatal("%s: scheduler.test_clock_start must be \"YYYY-MM-DD HH:MM\", not \"%s\"",
			    conf_path(c), start);
		sched.offset_ms = sched_local_ms(civil_to_days(y, mo, d), h * 60 + mi) - wire_now_ms();
		if (sched_meta_put(r, "clock_offset", sched.offset_ms))
			return -1;
	}
	log_warn("the test clock is on: now is %+" PRId64 " ms from the system clock", sched.offset_ms);
	return 0;
}

void sched_close(svc *s)
{
	(void)s;
	holidays_free(sched.hol);
	for (int i = 0; i < sched.nretired; i++)
		holidays_free(sched.retired[i]);
	sched.hol = NULL;
}

/* ---- requests ---- */

static int status_reply(svc_req *r)
{
	Aedesk__SchedulerStatusReply rep = AEDESK__SCHEDULER_STATUS_REPLY__INIT;
	MDB_stat st;
	char day[16] = "";
	rep.now_ms = r->now_ms;
	if (mdb_stat(r->txn, sched.due, &st) == 0)
		rep.pending = st.ms_entries;
	rep.fired = (uint64_t)sched_meta_get(r->txn, "fired", 0);
	rep.late = (uint64_t)sched_meta_get(r->txn, "late", 0);
	rep.notifications = (uint64_t)sched_meta_get(r->txn, "notif_seq", 0);
	int64_t through = sched_meta_get(r->txn, "planned_through", 0);
	if (through)
		sched_day_str((int)through, day, sizeof day);
	rep.planned_through = day;
	MDB_cursor *c;
	MDB_val kv, vv;
	if (mdb_cursor_open(r->txn, sched.due, &c) == 0) {
		if (mdb_cursor_get(c, &kv, &vv, MDB_FIRST) == 0 && kv.mv_size >= 8)
			rep.next_due_ms = (int64_t)store_from_be64(kv.mv_data);
		mdb_cursor_close(c);
	}
	return svc_reply(r, &rep.base);
}

int sched_status(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	return status_reply(r);
}

int sched_clock_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__SchedulerClockSetRequest *q = (const Aedesk__SchedulerClockSetRequest *)in;
	if (perm_check(r, PERM_SCHEDULER_CLOCK, NULL))
		return -1;
	if (!sched.test_clock)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "调度器的时钟只能在测试时设置（配置 scheduler.test_clock = on）",
		    "the scheduler's clock can be set only for tests (config scheduler.test_clock = on)");
	if (q->now_ms <= 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "now_ms 须为正数（UTC 毫秒）",
		    "now_ms must be positive (UTC milliseconds)");
	int64_t offset = q->now_ms - wire_now_ms();
	if (sched_meta_put(r, "clock_offset", offset))
		return -1;
	/* Moved back: the planner starts again from the new today (ids keep it from doubling). */
	int today = sched_local_day(q->now_ms);
	if (today <= sched_meta_get(r->txn, "plan_today", 0) &&
	    (sched_meta_put(r, "planned_through", today - 1) || sched_meta_put(r, "plan_today", today)))
		return -1;
	Aedesk__SchedulerClockMoved ev = AEDESK__SCHEDULER_CLOCK_MOVED__INIT;
	ev.from_ms = r->now_ms;
	ev.to_ms = q->now_ms;
	if (svc_emit(r, &ev.base))
		return -1;
	sched.offset_ms = offset;
	r->now_ms = q->now_ms;
	svc_tick_at(r->svc, q->now_ms); /* what the new time makes due fires at once */
	return status_reply(r);
}

/* sched_reminders lists reminders: the caller's own, or anyone's (admin). */
int sched_reminders(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__SchedulerRemindersRequest *q = (const Aedesk__SchedulerRemindersRequest *)in;
	const char *who = q->staff_id[0] ? q->staff_id : r->caller->id;
	if (perm_check(r, PERM_INBOX_READ, who))
		return -1;
	int everyone = perm_scope(r->caller->roles, PERM_INBOX_READ) == PERM_ALL && !q->staff_id[0];
	Aedesk__SchedulerRemindersReply rep = AEDESK__SCHEDULER_REMINDERS_REPLY__INIT;
	Aedesk__Reminder **list = NULL;
	size_t n = 0, cap = 0;
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, sched.rem, &c);
	if (rc)
		return svc_db_error(r, rc, "rem");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && n < 5000;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__Reminder *m = (Aedesk__Reminder *)wire_unpack(&aedesk__reminder__descriptor,
		    vv.mv_data, vv.mv_size, NULL);
		if (!m)
			continue;
		int mine = everyone || strcmp(m->to, who) == 0;
		if (!mine && m->to[0] == '@' && m->client_id[0]) {
			Aedesk__Client *cl = sched_client(r->txn, m->client_id);
			if (cl && strcmp(m->to, "@ae") == 0)
				mine = strcmp(cl->ae, who) == 0;
			else if (cl && strcmp(m->to, "@am") == 0) {
				Aedesk__Staff *ae = sched_staff(r->txn, cl->ae);
				mine = ae && strcmp(ae->manager, who) == 0;
				wire_free(ae ? &ae->base : NULL);
			}
			wire_free(cl ? &cl->base : NULL);
		}
		if (!mine || (!q->fired && (m->fired || m->cancelled))) {
			wire_free(&m->base);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			Aedesk__Reminder **nl = realloc(list, cap * sizeof *list);
			if (!nl) {
				wire_free(&m->base);
				break;
			}
			list = nl;
		}
		list[n++] = m;
	}
	mdb_cursor_close(c);
	rep.reminders = list;
	rep.n_reminders = n;
	int ret = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return ret;
}
