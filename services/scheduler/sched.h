/*
 * NAME
 *	sched.h - aedesk-scheduler's shared state, engine and rules
 *
 * DESCRIPTION
 *	LMDB tables (packed protobuf records; be64 is a big-endian u64, so keys sort by number):
 *	  rem        reminder id -> aedesk.Reminder (pending, fired and cancelled ones)
 *	  rem_due    be64(due_ms) reminder id -> "" (pending reminders only: what the tick scans)
 *	  inbox      staff id \0 be64(notification n) -> aedesk.Notification
 *	  sched_meta "notif_seq", "fired", "late" -> be64 counters; "clock_offset" -> be64 of the
 *	             test clock's offset (two's complement); "planned_through", "plan_today" ->
 *	             be64(local day number + 2^31) the planner's progress
 *	  staff      staff id -> aedesk.Staff       (projection of registry events)
 *	  clients    client id -> aedesk.Client     (projection)
 *	  contacts   contact id -> aedesk.Contact   (projection: birthdays; dropped on erasure)
 *	  vclass     client id -> "OLD NEW be32(first week NEW applies)" (R-VISIT-1 class changes)
 *	  vcount     client id \0 be32(iso year * 100 + week) -> be64(face visits logged)
 *	  prospects  prospect id -> aedesk.Prospect (projection: R-PROSPECT-1)
 *	  pcount     prospect id \0 be32(iso year * 100 + week) -> be64(contacts counted)
 *	  plans      "week/YYYY-Www/<staff>", "month/YYYY-MM/<staff>" -> aedesk.PlanEntry (R-PLAN-1)
 *	  calnotice  be64(n) -> aedesk.CalendarNotice (holiday notices loaded, in order)
 *	  meetings   meeting id -> aedesk.MeetingScheduled (its current times; for the calendar feed)
 *	  sched_meta also keeps "mtg/<meeting>/prep" and "mtg/<meeting>/minutes" -> the suffix
 *	             of the meeting's current reminder id (R-MEETING-1, R-MEETING-2)
 *
 *	Exactly once (R-REMIND-1): a reminder fires in the tick's write transaction, which
 *	writes its notifications into the inbox, marks it fired, drops its rem_due key and
 *	emits the Notification events, all or nothing. A reminder that is due is fired by
 *	the next tick whenever that is (a tick runs when the first of rem_due falls due:
 *	svc_tick_at), so one whose time passed while the scheduler was down fires at
 *	start-up, marked late.
 */
#ifndef AEDESK_SCHED_H
#define AEDESK_SCHED_H

#include "holidays.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "status.pb-c.h"
#include "perm.h"
#include "svc.h"

#define SCHED_DAY_MS INT64_C(86400000)
#define SCHED_MIN_MS INT64_C(60000)

struct sched {
	MDB_dbi rem, due, inbox, meta, staff, clients, contacts, vclass, vcount, prospects, pcount, plans, calnotice,
	    meetings;
	int test_clock;          /* scheduler.test_clock = on */
	int64_t offset_ms;       /* the test clock's offset from the system clock */
	int64_t tz_ms;           /* the agency's offset from UTC (Asia/Shanghai: +8 h) */
	/* Read by request handlers on NNG's threads while a holiday notice may replace it on
	 * the main loop: swapped atomically, and a replaced calendar is kept until exit
	 * (one a year) rather than freed under a reader. */
	_Atomic(holidays *) hol;
	holidays *retired[8];
	int nretired;
	char hol_dir[1024];      /* where the shipped holiday files were loaded from */
	int replan;              /* inside a re-plan after a holiday notice (calendar_load.c) */
	const conf *conf;
	int horizon_days;        /* how far ahead the planner makes calendar reminders */
	int planning;            /* inside the calendar planner (see sched_add) */
	int gift_lead_days;      /* R-GREET-1 */
	int greet_min;           /* minute of the day greetings and gift reminders fire */
	unsigned team_days;      /* R-TEAM-1: bit 0 Monday .. bit 6 Sunday */
	int team_min;            /* the meeting's minute of the day (09:00 = 540) */
	int team_notice_min;     /* told this many minutes before */
	int day_start_min, day_end_min;   /* the working day: 08:30-17:30 */
	int visit_mid_wday;      /* R-VISIT-1 mid-week check: 0 Monday .. 6 Sunday */
	int visit_mid_min;
	int visit_end_wday;      /* R-VISIT-1 week-end check */
	int estimate_lead_days;  /* R-ESTIMATE-1: the AE is told this long before the lapse */
	int stage_lead_days;     /* R-DEADLINE-1 */
	int pay_lead_days;       /* R-PAY-1 */
	int64_t late_ms;         /* fired later than this after its time: marked late */
	int tick_max_ms;         /* the longest between two ticks (the planner's new day) */
	int meeting_prep_min;    /* R-MEETING-1: told this many minutes before (30) */
	int feedback_min;        /* R-FEEDBACK-1: the minute of the placement's first day (10:00) */
	int prospect_contacts;   /* R-PROSPECT-1: contacts a week (3) */
	int plan_min;            /* R-PLAN-1: the week's plan, first working day (08:30) */
	int summary_min;         /* R-PLAN-1: the month's summary, last working day (16:00) */
};
extern struct sched sched;

/* calendar.c: the agency's days. A day is a civil day number (civil.h) in the agency's zone. */
int sched_calendar_open(const conf *c, char *err, size_t errlen);
int sched_local_day(int64_t ms);
int64_t sched_local_ms(int day, int minute);
void sched_day_str(int day, char *buf, size_t len);
int sched_is_workday(int day);
int sched_prev_workday(int day);
int sched_next_workday(int day);
/* sched_week_of: the ISO week of a day as iso_year * 100 + week. */
int sched_week_of(int day);
int sched_week_monday(int yw);
struct sched_festival {
	const char *key, *zh, *en;
	int day;
	int gift;                /* R-GREET-1: needs a gift */
};
/* sched_festivals: the holidays of a Gregorian year that every client is greeted on. */
int sched_festivals(int year, struct sched_festival *out, int max);

/* engine.c */
int64_t sched_clock(svc *s);
int sched_open(svc *s, svc_req *r);
void sched_close(svc *s);
int sched_tick(svc *s, svc_req *r);
int sched_topic(svc *s, const Aedesk__Envelope *e, char *buf, size_t len);
/* sched_add: stores a reminder unless one with its id exists (fired or not); 0 or -1 (r failed). */
int sched_add(svc_req *r, Aedesk__Reminder *rem);
/* sched_add_simple: sched_add built from the fields, args NULL-ended. */
int sched_add_simple(svc_req *r, const char *id, const char *rule, const char *kind, const char *to,
    const char *client_id, const char *otype, const char *oid, int64_t due_ms, const char *const *args);
/* sched_cancel: a pending reminder is dropped (kept as cancelled, with why); absent is fine. */
int sched_cancel(svc_req *r, const char *id, const char *why);
/* sched_move: a pending reminder gets a new time (even one already past: it fires next tick). */
int sched_move(svc_req *r, const char *id, int64_t due_ms);
/* sched_pending: 1 if the reminder exists and has neither fired nor been cancelled. */
int sched_pending(MDB_txn *txn, const char *id);
/* sched_before_ms: the morning (day_start) lead_days before due's local day, on a working
 * day (the one before when that is a day off), never after due. */
int64_t sched_before_ms(int64_t due, int lead_days);
/* sched_after_ms: the first working moment at or after t (t itself in working hours). */
int64_t sched_after_ms(int64_t t);
int sched_clock_set(svc_req *r, const ProtobufCMessage *in);
int sched_status(svc_req *r, const ProtobufCMessage *in);
int sched_reminders(svc_req *r, const ProtobufCMessage *in);
int sched_get(MDB_txn *txn, MDB_dbi dbi, const char *key, const ProtobufCMessageDescriptor *d,
    ProtobufCMessage **out);
int sched_put(svc_req *r, MDB_dbi dbi, const char *key, const ProtobufCMessage *m);
int64_t sched_meta_get(MDB_txn *txn, const char *key, int64_t dflt);
int sched_meta_put(svc_req *r, const char *key, int64_t v);

/* inbox.c */
int sched_inbox_list(svc_req *r, const ProtobufCMessage *in);
int sched_inbox_mark(svc_req *r, const ProtobufCMessage *in);
/* sched_fire: writes the reminder's notifications (one per recipient) and emits them. */
int sched_fire(svc_req *r, Aedesk__Reminder *rem);
/* sched_recipients: the staff ids a reminder goes to (malloc'd strings), at most max. */
size_t sched_recipients(MDB_txn *txn, const Aedesk__Reminder *rem, char **out, size_t max);
/* sched_lang: the staff member's language (config scheduler.lang.<id>, default zh). */
const char *sched_lang(const char *staff_id);

/* projection.c: registry events */
int sched_on_staff(svc_req *r, const ProtobufCMessage *ev);
int sched_on_client_added(svc_req *r, const ProtobufCMessage *ev);
int sched_on_client_updated(svc_req *r, const ProtobufCMessage *ev);
int sched_on_contact_added(svc_req *r, const ProtobufCMessage *ev);
int sched_on_contact_erased(svc_req *r, const ProtobufCMessage *ev);
int sched_on_visit_logged(svc_req *r, const ProtobufCMessage *ev);
Aedesk__Client *sched_client(MDB_txn *txn, const char *id);
Aedesk__Staff *sched_staff(MDB_txn *txn, const char *id);
/* sched_manager_of: staff's manager from the projection, for the permission table. */
void sched_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len);
int sched_staff_has(const Aedesk__Staff *s, const char *role);

/* rules_*.c: the planner makes the calendar reminders of days [from, to] (local days). */
int sched_plan(svc_req *r, int from, int to);
/* Each plans one day for everyone (who == NULL) or for one staff member/client/contact. */
int sched_team_plan_day(svc_req *r, int day, const Aedesk__Staff *who);
int sched_greet_plan_day(svc_req *r, int day, const Aedesk__Client *who);
int sched_bday_plan_day(svc_req *r, int day, const Aedesk__Contact *who);
int sched_bday_cancel(svc_req *r, const Aedesk__Contact *c);
int sched_visit_plan_day(svc_req *r, int day, const Aedesk__Client *who);
/* sched_plan_object: plans a new object over the days the planner has covered already. */
int sched_plan_object(svc_req *r, const Aedesk__Staff *st, const Aedesk__Client *cl,
    const Aedesk__Contact *ct);
/* rules_visit.c */
uint32_t sched_visit_required(MDB_txn *txn, const Aedesk__Client *c, int yw, const char **cls);
uint32_t sched_visit_done(MDB_txn *txn, const char *client_id, int yw);
int sched_visits_due(svc_req *r, const ProtobufCMessage *in);
/* rules_jobs.c: job tracker events */
int sched_on_estimate_sent(svc_req *r, const ProtobufCMessage *ev);
int sched_on_alert_raised(svc_req *r, const ProtobufCMessage *ev);
int sched_on_alert_cleared(svc_req *r, const ProtobufCMessage *ev);
int sched_on_estimate_decided(svc_req *r, const ProtobufCMessage *ev);
int sched_on_stage_entered(svc_req *r, const ProtobufCMessage *ev);
int sched_on_job_opened(svc_req *r, const ProtobufCMessage *ev);
int sched_on_job_closed(svc_req *r, const ProtobufCMessage *ev);
int sched_on_invoice_added(svc_req *r, const ProtobufCMessage *ev);
int sched_on_payment_added(svc_req *r, const ProtobufCMessage *ev);

/* rules_meetings.c: R-MEETING-1, R-MEETING-2 */
int sched_on_meeting_scheduled(svc_req *r, const ProtobufCMessage *ev);
int sched_on_meeting_moved(svc_req *r, const ProtobufCMessage *ev);
int sched_on_meeting_cancelled(svc_req *r, const ProtobufCMessage *ev);
int sched_on_minutes_filed(svc_req *r, const ProtobufCMessage *ev);
/* rules_feedback.c: R-FEEDBACK-1, R-FEEDBACK-2 */
int sched_on_flight_planned(svc_req *r, const ProtobufCMessage *ev);
int sched_on_feedback_filed(svc_req *r, const ProtobufCMessage *ev);
/* rules_prospect.c: R-PROSPECT-1 */
int sched_on_prospect(svc_req *r, const ProtobufCMessage *ev);
int sched_on_prospect_advanced(svc_req *r, const ProtobufCMessage *ev);
int sched_prospect_plan_day(svc_req *r, int day, const Aedesk__Prospect *who);
uint32_t sched_prospect_required(int yw);
uint32_t sched_prospect_done(MDB_txn *txn, const char *prospect_id, int yw);

/* rules_plan.c: R-PLAN-1 */
int sched_plan_plan_day(svc_req *r, int day, const Aedesk__Staff *who);
int sched_plan_in(MDB_txn *txn, const char *kind, const char *period, const char *staff);
int sched_plan_submit(svc_req *r, const ProtobufCMessage *in);
int sched_plan_missing(svc_req *r, const ProtobufCMessage *in);

/* calendar_load.c: `aedesk calendar load` and `aedesk calendar export` */
int sched_calendar_load_stored(svc_req *r);
int sched_calendar_load(svc_req *r, const ProtobufCMessage *in);
int sched_calendar_export(svc_req *r, const ProtobufCMessage *in);
/* sched_replan_seen: sched_add met an existing reminder during a re-plan (see calendar_load.c). */
int sched_replan_seen(svc_req *r, const Aedesk__Reminder *rem);
void sched_replan_made(void);

/* render.c: a reminder's text for one recipient; 1 = the reminder no longer applies. */
int sched_render(MDB_txn *txn, const Aedesk__Reminder *rem, const char *lang, char *buf, size_t len);

#endif
