/*
 * NAME
 *	aedesk-registry - staff, login and the client registry
 *
 * SYNOPSIS
 *	aedesk-registry [--conf PATH]
 *
 * DESCRIPTION
 *	Owns staff accounts (and signs login tokens) and the client book: clients with
 *	their class, assignment, credit limit and history, contacts, interactions and
 *	contracts. Every change is an event in its outbox: the job tracker, scheduler and
 *	scorer build on them. It applies the scorer's ClassRecommended (R-CLASS-1) at
 *	once or holds it for approval: registry.class_recommendations = auto | approve
 *	(default approve), see recommendations.c. registry.test_clock_shift_days (default
 *	0; tests only, never in production): the registry's clock, and so its events'
 *	times, that many days from the system clock (tokens still expire by real time).
 *
 * SECURITY
 *	The only holder of the token signing key (keys_dir/token.key).
 *
 * SEE ALSO
 *	common/svc.h, proto/registry.proto, staff.c, clients.c, classes.c, contacts.c,
 *	visits.c, contracts.c,
 *	profile.c, prospects.c, import.c, recommendations.c
 */
#include <stdio.h>
#include <string.h>

#include "registry.h"
#include "scorer.pb-c.h"
#include "wire.h"

struct registry registry;
static int64_t test_shift_ms; /* registry.test_clock_shift_days */

static int64_t registry_clock(svc *s)
{
	(void)s;
	return wire_now_ms() + test_shift_ms;
}

static const struct svc_handler handlers[] = {
	{&aedesk__login_request__descriptor, registry_login, SVC_PUBLIC},
	{&aedesk__rotate_key_request__descriptor, registry_rotate_key, SVC_WRITES},
	{&aedesk__staff_add_request__descriptor, registry_staff_add, SVC_WRITES},
	{&aedesk__staff_list_request__descriptor, registry_staff_list, 0},
	{&aedesk__set_password_request__descriptor, registry_set_password, SVC_WRITES},
	{&aedesk__staff_disable_request__descriptor, registry_staff_disable, SVC_WRITES},
	{&aedesk__logout_everywhere_request__descriptor, registry_logout_everywhere, SVC_WRITES},
	{&aedesk__token_renew_request__descriptor, registry_token_renew, 0},
	{&aedesk__client_add_request__descriptor, registry_client_add, SVC_WRITES},
	{&aedesk__client_get_request__descriptor, registry_client_get, 0},
	{&aedesk__client_list_request__descriptor, registry_client_list, 0},
	{&aedesk__client_class_request__descriptor, registry_client_class, SVC_WRITES},
	{&aedesk__client_assign_request__descriptor, registry_client_assign, SVC_WRITES},
	{&aedesk__client_credit_request__descriptor, registry_client_credit, SVC_WRITES},
	{&aedesk__client_history_request__descriptor, registry_client_history, 0},
	{&aedesk__contact_add_request__descriptor, registry_contact_add, SVC_WRITES},
	{&aedesk__contact_get_request__descriptor, registry_contact_get, 0},
	{&aedesk__contact_list_request__descriptor, registry_contact_list, 0},
	{&aedesk__contact_erase_request__descriptor, registry_contact_erase, SVC_WRITES},
	{&aedesk__contact_export_request__descriptor, registry_contact_export, SVC_WRITES},
	{&aedesk__visit_log_request__descriptor, registry_visit_log, SVC_WRITES},
	{&aedesk__visit_list_request__descriptor, registry_visit_list, 0},
	{&aedesk__contract_add_request__descriptor, registry_contract_add, SVC_WRITES},
	{&aedesk__contract_get_request__descriptor, registry_contract_get, 0},
	{&aedesk__contract_list_request__descriptor, registry_contract_list, 0},
	{&aedesk__profile_get_request__descriptor, registry_profile_get, 0},
	{&aedesk__profile_set_request__descriptor, registry_profile_set, SVC_WRITES},
	{&aedesk__prospect_add_request__descriptor, registry_prospect_add, SVC_WRITES},
	{&aedesk__prospect_get_request__descriptor, registry_prospect_get, 0},
	{&aedesk__prospect_advance_request__descriptor, registry_prospect_advance, SVC_WRITES},
	{&aedesk__prospect_lose_request__descriptor, registry_prospect_lose, SVC_WRITES},
	{&aedesk__prospect_win_request__descriptor, registry_prospect_win, SVC_WRITES},
	{&aedesk__prospect_intent_request__descriptor, registry_prospect_intent, SVC_WRITES},
	{&aedesk__prospect_list_request__descriptor, registry_prospect_list, 0},
	{&aedesk__client_import_request__descriptor, registry_client_import, SVC_WRITES},
	{&aedesk__recommendation_list_request__descriptor, registry_recommendation_list, 0},
	{&aedesk__recommendation_decide_request__descriptor, registry_recommendation_decide, SVC_WRITES},
};

static const char *const sources[] = {"scorer", NULL};

static const struct svc_event_handler events[] = {
	{"scorer", &aedesk__class_recommended__descriptor, registry_on_class_recommended},
};

static const store_table tables[] = {
	{"staff", &registry.staff},
	{"clients", &registry.clients},
	{"client_name", &registry.client_name},
	{"reg_meta", &registry.meta},
	{"client_hist", &registry.client_hist},
	{"contacts", &registry.contacts},
	{"client_contacts", &registry.client_contacts},
	{"visits", &registry.visits},
	{"visit_time", &registry.visit_time},
	{"client_visits", &registry.client_visits},
	{"contracts", &registry.contracts},
	{"client_contracts", &registry.client_contracts},
	{"profiles", &registry.profiles},
	{"client_uscc", &registry.client_uscc},
	{"client_ae", &registry.client_ae},
	{"client_class", &registry.client_class},
	{"prospects", &registry.prospects},
	{"import_stage", &registry.import_stage},
	{"import_meta", &registry.import_meta},
	{"class_recs", &registry.class_recs},
	{"client_recs", &registry.client_recs},
	{NULL, NULL},
};

static void registry_close(svc *s)
{
	(void)s;
	sodium_memzero(registry.sk, sizeof registry.sk);
}

static int registry_open(svc *s, svc_req *r)
{
	const char *mode = conf_get(svc_conf(s), "registry.class_recommendations", "approve");
	if (strcmp(mode, "auto") != 0 && strcmp(mode, "approve") != 0) {
		snprintf(r->message, sizeof r->message,
		    "registry.class_recommendations must be auto or approve, not '%s'", mode);
		return -1;
	}
	registry.class_recs_auto = strcmp(mode, "auto") == 0;
	test_shift_ms = conf_int_or_die(svc_conf(s), "registry.test_clock_shift_days", 0, -3660, 3660) * 86400000LL;
	return registry_bootstrap(s, r);
}

static const struct svc_decl decl = {
	.name = "registry",
	.summary = "aedesk-registry: staff, login and the client book of the account department.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.sources = sources,
	.events = events,
	.nevents = sizeof events / sizeof events[0],
	.tables = tables,
	.open = registry_open,
	.close = registry_close,
	.clock = registry_clock,
};

int main(int argc, char **argv)
{
	perm_set_manager_lookup(registry_manager_of);
	return svc_main(&decl, argc, argv);
}
