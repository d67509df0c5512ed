/*
 * NAME
 *	aedesk-jobs - the job tracker: jobs, stages, sign-offs, estimates, POs, invoices,
 *	meetings and minutes, rights, proofs, flights and execution feedback
 *
 * SYNOPSIS
 *	aedesk-jobs [--conf PATH]
 *
 * DESCRIPTION
 *	The agency's workflow of DOMAIN.md ("Jobs"), enforced and signed: a job moves
 *	forecast → brief → sketch → estimate → final art → execution → production →
 *	closed, each stage with its due date and the sign-offs it needs (R-JOB-5, R-JOB-6);
 *	its number is issued when AD and CD sign the brief. Estimates, purchase orders,
 *	invoices and payments hang off the job. Every change is an event in the outbox:
 *	the scheduler and scorer build on them. Meetings (with minutes and their action
 *	items), R-JOB-9 rights, proofs, media flights and execution feedback reports hang
 *	off the client or the job too (meetings.c, rights.c, proofs.c, flights.c).
 *
 *	It keeps its own projection of the registry's clients (AE, team, credit limit for
 *	R-JOB-8) and staff (roles, manager) from registry events; it never calls the
 *	registry.
 *
 *	Config: jobs.lead_days.<kind> (R-JOB-3 minimum lead time in days, defaults in
 *	store.c), timezone_offset_min (default 480: job numbers' year, day ends),
 *	jobs.test_clock_shift_days (default 0; tests only, never in production: the jobs
 *	service's clock, and so its events' times, that many days from the system clock,
 *	so a test can cross a quarter for the scorer's quarterly assessment).
 *
 * SEE ALSO
 *	proto/jobs.proto, jobs.h, jobs.c, stages.c, estimates.c, invoices.c, store.c,
 *	meetings.c, rights.c, proofs.c, flights.c
 */
#include "jobs.h"
#include "wire.h"

struct jobs jobs;

static const struct svc_handler handlers[] = {
	{&aedesk__job_open_request__descriptor, jobs_open, SVC_WRITES},
	{&aedesk__job_get_request__descriptor, jobs_get, 0},
	{&aedesk__job_list_request__descriptor, jobs_list, 0},
	{&aedesk__job_sign_request__descriptor, jobs_sign, SVC_WRITES},
	{&aedesk__job_advance_request__descriptor, jobs_advance, SVC_WRITES},
	{&aedesk__job_revise_request__descriptor, jobs_revise, SVC_WRITES},
	{&aedesk__job_close_request__descriptor, jobs_close, SVC_WRITES},
	{&aedesk__strategy_set_request__descriptor, jobs_strategy_set, SVC_WRITES},
	{&aedesk__strategy_get_request__descriptor, jobs_strategy_get, 0},
	{&aedesk__estimate_add_request__descriptor, jobs_estimate_add, SVC_WRITES},
	{&aedesk__estimate_sign_request__descriptor, jobs_estimate_sign, SVC_WRITES},
	{&aedesk__estimate_send_request__descriptor, jobs_estimate_send, SVC_WRITES},
	{&aedesk__estimate_confirm_request__descriptor, jobs_estimate_confirm, SVC_WRITES},
	{&aedesk__estimate_decline_request__descriptor, jobs_estimate_decline, SVC_WRITES},
	{&aedesk__po_add_request__descriptor, jobs_po_add, SVC_WRITES},
	{&aedesk__po_confirm_request__descriptor, jobs_po_confirm, SVC_WRITES},
	{&aedesk__invoice_add_request__descriptor, jobs_invoice_add, SVC_WRITES},
	{&aedesk__payment_add_request__descriptor, jobs_payment_add, SVC_WRITES},
	{&aedesk__receivables_request__descriptor, jobs_receivables, 0},
	{&aedesk__meeting_add_request__descriptor, jobs_meeting_add, SVC_WRITES},
	{&aedesk__meeting_move_request__descriptor, jobs_meeting_move, SVC_WRITES},
	{&aedesk__meeting_cancel_request__descriptor, jobs_meeting_cancel, SVC_WRITES},
	{&aedesk__meeting_get_request__descriptor, jobs_meeting_get, 0},
	{&aedesk__meeting_list_request__descriptor, jobs_meeting_list, 0},
	{&aedesk__minutes_file_request__descriptor, jobs_minutes_file, SVC_WRITES},
	{&aedesk__action_list_request__descriptor, jobs_action_list, 0},
	{&aedesk__action_done_request__descriptor, jobs_action_done, SVC_WRITES},
	{&aedesk__job_rights_request__descriptor, jobs_rights_set, SVC_WRITES},
	{&aedesk__proof_add_request__descriptor, jobs_proof_add, SVC_WRITES},
	{&aedesk__proof_sign_request__descriptor, jobs_proof_sign, SVC_WRITES},
	{&aedesk__flight_add_request__descriptor, jobs_flight_add, SVC_WRITES},
	{&aedesk__feedback_add_request__descriptor, jobs_feedback_add, SVC_WRITES},
	{&aedesk__feedback_get_request__descriptor, jobs_feedback_get, 0},
};

static const char *const sources[] = {"registry", NULL};

static const struct svc_event_handler events[] = {
	{"registry", &aedesk__client_added__descriptor, jobs_on_client},
	{"registry", &aedesk__client_updated__descriptor, jobs_on_client_updated},
	{"registry", &aedesk__staff_added__descriptor, jobs_on_staff},
};

static const store_table tables[] = {
	{"jobs", &jobs.jobs},
	{"job_number", &jobs.job_number},
	{"strategies", &jobs.strategies},
	{"estimates", &jobs.estimates},
	{"pos", &jobs.pos},
	{"invoices", &jobs.invoices},
	{"payments", &jobs.payments},
	{"clients", &jobs.clients},
	{"staff", &jobs.staff},
	{"unpaid", &jobs.unpaid},
	{"meetings", &jobs.meetings},
	{"actions", &jobs.actions},
	{"proofs", &jobs.proofs},
	{"flights", &jobs.flights},
	{"feedback", &jobs.feedback},
	{"jobs_meta", &jobs.meta},
	{NULL, NULL},
};

static int64_t jobs_clock(svc *s)
{
	(void)s;
	return wire_now_ms() + jobs.test_shift_ms;
}

static const struct svc_decl decl = {
	.name = "jobs",
	.summary = "aedesk-jobs: jobs, sign-offs, estimates, POs, invoices, meetings, proofs, flights.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.sources = sources,
	.events = events,
	.nevents = sizeof events / sizeof events[0],
	.tables = tables,
	.open = jobs_bootstrap,
	.clock = jobs_clock,
};

int main(int argc, char **argv)
{
	perm_set_manager_lookup(jobs_manager_of);
	return svc_main(&decl, argc, argv);
}
