/*
 * NAME
 *	aedesk-scheduler - reminders, the notification inbox, visit compliance
 *
 * SYNOPSIS
 *	aedesk-scheduler [--conf PATH]
 *
 * DESCRIPTION
 *	Turns the events of the registry and the job tracker into reminders (the rules of
 *	DOMAIN.md's "Reminders" table), fires each exactly once at its local time (R-REMIND-1),
 *	keeps every staff member's inbox, and publishes each notification on
 *	notify/<staff-id>/ as it is written.
 *
 *	Config (defaults are the handbook's): timezone / timezone_offset_min (480),
 *	holidays_dir, scheduler.gift_lead_days (7), scheduler.greet_time (09:00),
 *	scheduler.team_days (mon,wed,fri), scheduler.team_time (09:00),
 *	scheduler.team_notice_min (30), scheduler.day_start (08:30), scheduler.day_end
 *	(17:30), scheduler.visit_mid_day (wed), scheduler.visit_mid_time (12:00),
 *	scheduler.visit_end_day (fri), scheduler.estimate_lead_days (1),
 *	scheduler.stage_lead_days (1), scheduler.pay_lead_days (3), scheduler.late_s (300),
 *	scheduler.meeting_prep_min (30), scheduler.feedback_time (10:00),
 *	scheduler.prospect_contacts (3), scheduler.plan_time (08:30), scheduler.summary_time (16:00),
 *	scheduler.lang.<staff id> (zh), scheduler.tick_max_ms (1000), scheduler.test_clock (off),
 *	scheduler.test_clock_start.
 *
 * SECURITY
 *	An inbox is read and marked by its owner (admin may read any). The test clock is
 *	refused unless the config turns it on.
 *
 * SEE ALSO
 *	proto/scheduler.proto, sched.h, engine.c, inbox.c, calendar.c, rules_calendar.c,
 *	rules_visit.c, rules_jobs.c, rules_meetings.c, rules_feedback.c, rules_prospect.c, rules_plan.c, calendar_load.c,
 *	render.c, projection.c
 */
#include "sched.h"

struct sched sched;

static const struct svc_handler handlers[] = {
	{&aedesk__inbox_list_request__descriptor, sched_inbox_list, 0},
	{&aedesk__inbox_mark_request__descriptor, sched_inbox_mark, SVC_WRITES},
	{&aedesk__scheduler_clock_set_request__descriptor, sched_clock_set, SVC_WRITES},
	{&aedesk__scheduler_status_request__descriptor, sched_status, 0},
	{&aedesk__scheduler_reminders_request__descriptor, sched_reminders, 0},
	{&aedesk__scheduler_visits_due_request__descriptor, sched_visits_due, 0},
	{&aedesk__plan_submit_request__descriptor, sched_plan_submit, SVC_WRITES},
	{&aedesk__plan_missing_request__descriptor, sched_plan_missing, 0},
	{&aedesk__calendar_load_request__descriptor, sched_calendar_load, SVC_WRITES},
	{&aedesk__calendar_export_request__descriptor, sched_calendar_export, 0},
};

static const char *const sources[] = {"registry", "jobs", "status", NULL};

static const struct svc_event_handler events[] = {
	{"registry", &aedesk__staff_added__descriptor, sched_on_staff},
	{"registry", &aedesk__client_added__descriptor, sched_on_client_added},
	{"registry", &aedesk__client_updated__descriptor, sched_on_client_updated},
	{"registry", &aedesk__contact_added__descriptor, sched_on_contact_added},
	{"registry", &aedesk__contact_erased__descriptor, sched_on_contact_erased},
	{"registry", &aedesk__visit_logged__descriptor, sched_on_visit_logged},
	{"registry", &aedesk__prospect_added__descriptor, sched_on_prospect},
	{"registry", &aedesk__prospect_updated__descriptor, sched_on_prospect},
	{"registry", &aedesk__prospect_lost__descriptor, sched_on_prospect},
	{"registry", &aedesk__prospect_won__descriptor, sched_on_prospect},
	{"registry", &aedesk__prospect_advanced__descriptor, sched_on_prospect_advanced},
	{"jobs", &aedesk__estimate_sent__descriptor, sched_on_estimate_sent},
	{"jobs", &aedesk__estimate_confirmed__descriptor, sched_on_estimate_decided},
	{"jobs", &aedesk__estimate_declined__descriptor, sched_on_estimate_decided},
	{"jobs", &aedesk__job_opened__descriptor, sched_on_job_opened},
	{"jobs", &aedesk__job_stage_entered__descriptor, sched_on_stage_entered},
	{"jobs", &aedesk__job_closed__descriptor, sched_on_job_closed},
	{"jobs", &aedesk__invoice_added__descriptor, sched_on_invoice_added},
	{"jobs", &aedesk__payment_added__descriptor, sched_on_payment_added},
	{"jobs", &aedesk__meeting_scheduled__descriptor, sched_on_meeting_scheduled},
	{"jobs", &aedesk__meeting_moved__descriptor, sched_on_meeting_moved},
	{"jobs", &aedesk__meeting_cancelled__descriptor, sched_on_meeting_cancelled},
	{"jobs", &aedesk__minutes_filed__descriptor, sched_on_minutes_filed},
	{"jobs", &aedesk__flight_planned__descriptor, sched_on_flight_planned},
	{"jobs", &aedesk__feedback_filed__descriptor, sched_on_feedback_filed},
	{"status", &aedesk__alert_raised__descriptor, sched_on_alert_raised},
	{"status", &aedesk__alert_cleared__descriptor, sched_on_alert_cleared},
};

static const store_table tables[] = {
	{"rem", &sched.rem},
	{"rem_due", &sched.due},
	{"inbox", &sched.inbox},
	{"sched_meta", &sched.meta},
	{"staff", &sched.staff},
	{"clients", &sched.clients},
	{"contacts", &sched.contacts},
	{"vclass", &sched.vclass},
	{"vcount", &sched.vcount},
	{"prospects", &sched.prospects},
	{"pcount", &sched.pcount},
	{"plans", &sched.plans},
	{"calnotice", &sched.calnotice},
	{"meetings", &sched.meetings},
	{NULL, NULL},
};

/* open_sched: sched_open, then the tick's period from the config (scheduler.tick_max_ms). */
static struct svc_decl decl;
static int open_sched(svc *s, svc_req *r)
{
	int rc = sched_open(s, r);
	decl.tick_ms = sched.tick_max_ms;
	return rc;
}

static struct svc_decl decl = {
	.name = "scheduler",
	.summary = "aedesk-scheduler: reminders fired exactly once, staff inboxes, visit compliance.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.sources = sources,
	.events = events,
	.nevents = sizeof events / sizeof events[0],
	.tables = tables,
	.open = open_sched,
	.close = sched_close,
	.clock = sched_clock,
	.tick = sched_tick,
	.tick_ms = 1000, /* at most (scheduler.tick_max_ms); sooner when a reminder is due (svc_tick_at) */
	.topic = sched_topic,
};

int main(int argc, char **argv)
{
	perm_set_manager_lookup(sched_manager_of);
	return svc_main(&decl, argc, argv);
}
