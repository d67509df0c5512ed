/*
 * NAME
 *	aedesk-scorer - fair, explainable evaluations: AE scorecards and client scoring
 *
 * SYNOPSIS
 *	aedesk-scorer [--conf PATH]
 *
 * DESCRIPTION
 *	Turns what already happens in aedesk into evaluations (DOMAIN.md "Evaluation").
 *	AE scorecards per period (R-SCORE-1) combine objective measures computed from
 *	registry and jobs events (visit compliance against R-VISIT-1's targets, on-time
 *	job stages, estimate turnaround, revision rounds, revenue against target, overdue
 *	receivables, satisfaction surveys, prospects contacted, clients' profile
 *	completeness) with the direct supervisor's 1-5 ratings of the
 *	handbook's criteria (业绩评估). Every input shows its value, weight, contribution
 *	and the ids it came from. Client scoring (R-CLASS-1) recommends a class, sent as
 *	ClassRecommended for the registry to apply.
 *
 *	Config: timezone_offset_min (default 480), scorer.weight.<input or criterion>,
 *	scorer.class.weight.<revenue|timeliness|satisfaction|influence>,
 *	scorer.class.share_full (market share percent for a full influence score, default
 *	20), scorer.class.revenue_full
 *	(yuan for a full importance score, default 500000), scorer.class.a|b|c (score
 *	thresholds in thousandths, default 750, 500, 250), scorer.assess (quarterly, the
 *	default: every client assessed when the events' clock enters a new quarter; off:
 *	only on request, classify.c).
 *
 * SEE ALSO
 *	proto/scorer.proto, scorer.h, project.c, period.c, card.c, scorecard.c,
 *	inputs.c, classify.c
 */
#include <string.h>

#include "log.h"
#include "scorer.h"

struct scorer scorer;

static const struct svc_handler handlers[] = {
	{&aedesk__rating_set_request__descriptor, sc_rate, SVC_WRITES},
	{&aedesk__scorecard_comment_request__descriptor, sc_comment, SVC_WRITES},
	{&aedesk__target_set_request__descriptor, sc_target_set, SVC_WRITES},
	{&aedesk__survey_add_request__descriptor, sc_survey_add, SVC_WRITES},
	{&aedesk__scorecard_request__descriptor, sc_scorecard, 0},
	{&aedesk__score_clients_request__descriptor, sc_clients, SVC_WRITES},
};

const char *const sc_sources[] = {"registry", "jobs", NULL};

static const struct svc_event_handler events[] = {
	{"registry", &aedesk__staff_added__descriptor, sc_on_staff},
	{"registry", &aedesk__client_added__descriptor, sc_on_client_added},
	{"registry", &aedesk__client_updated__descriptor, sc_on_client_updated},
	{"registry", &aedesk__contact_added__descriptor, sc_on_contact},
	{"registry", &aedesk__visit_logged__descriptor, sc_on_visit},
	{"registry", &aedesk__profile_updated__descriptor, sc_on_profile},
	{"registry", &aedesk__prospect_added__descriptor, sc_on_prospect_added},
	{"registry", &aedesk__prospect_advanced__descriptor, sc_on_prospect_advanced},
	{"jobs", &aedesk__job_stage_entered__descriptor, sc_on_stage},
	{"jobs", &aedesk__job_revised__descriptor, sc_on_revised},
	{"jobs", &aedesk__estimate_confirmed__descriptor, sc_on_estimate_confirmed},
	{"jobs", &aedesk__invoice_added__descriptor, sc_on_invoice},
	{"jobs", &aedesk__payment_added__descriptor, sc_on_payment},
};

static const store_table tables[] = {
	{"staff", &scorer.staff},
	{"clients", &scorer.clients},
	{"staff_clients", &scorer.staff_clients},
	{"contacts", &scorer.contacts},
	{"cvisits", &scorer.cvisits},
	{"facts", &scorer.facts},
	{"invoices", &scorer.invoices},
	{"ae_invoices", &scorer.ae_invoices},
	{"cl_invoices", &scorer.cl_invoices},
	{"ratings", &scorer.ratings},
	{"targets", &scorer.targets},
	{"surveys", &scorer.surveys},
	{"ae_surveys", &scorer.ae_surveys},
	{"cl_surveys", &scorer.cl_surveys},
	{"scorer_meta", &scorer.meta},
	{NULL, NULL},
};

static int scorer_open(svc *s, svc_req *r)
{
	(void)r;
	scorer.conf = svc_conf(s);
	scorer.offset_ms = conf_int_or_die(scorer.conf, "timezone_offset_min", 480, -720, 840) * 60000;
	const char *a = conf_get(scorer.conf, "scorer.assess", "quarterly");
	if (strcmp(a, "quarterly") && strcmp(a, "off"))
		log_fatal("%s: scorer.assess must be quarterly or off, not \"%s\"", conf_path(scorer.conf), a);
	scorer.assess = strcmp(a, "quarterly") == 0;
	return sc_weights_check();
}

static const struct svc_decl decl = {
	.name = "scorer",
	.summary = "aedesk-scorer: AE scorecards, ratings, targets, surveys and client classes.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.sources = sc_sources,
	.events = events,
	.nevents = sizeof events / sizeof events[0],
	.tables = tables,
	.open = scorer_open,
};

int main(int argc, char **argv)
{
	perm_set_manager_lookup(sc_manager_of);
	return svc_main(&decl, argc, argv);
}
