/*
 * NAME
 *	aedesk-registry - staff, login and the client registry
 *
 * SYNOPSIS
 *	aedesk-registry [--conf PATH]
 *
 * DESCRIPTION
 *	Owns staff accounts (and signs login tokens) and the clients. Every change is an
 *	event in its outbox: the job tracker, scheduler and scorer build on them.
 *
 * SECURITY
 *	The only holder of the token signing key (keys_dir/token.key).
 *
 * SEE ALSO
 *	common/svc.h, proto/registry.proto, staff.c, clients.c
 */
#include "registry.h"

struct registry registry;

static const struct svc_handler handlers[] = {
	{&aedesk__login_request__descriptor, registry_login, SVC_PUBLIC},
	{&aedesk__staff_add_request__descriptor, registry_staff_add, SVC_WRITES},
	{&aedesk__staff_list_request__descriptor, registry_staff_list, 0},
	{&aedesk__set_password_request__descriptor, registry_set_password, SVC_WRITES},
	{&aedesk__client_add_request__descriptor, registry_client_add, SVC_WRITES},
	{&aedesk__client_get_request__descriptor, registry_client_get, 0},
	{&aedesk__client_list_request__descriptor, registry_client_list, 0},
};

static const store_table tables[] = {
	{"staff", &registry.staff},
	{"clients", &registry.clients},
	{"client_name", &registry.client_name},
	{"reg_meta", &registry.meta},
	{NULL, NULL},
};

static void registry_close(svc *s)
{
	(void)s;
	sodium_memzero(registry.sk, sizeof registry.sk);
}

static const struct svc_decl decl = {
	.name = "registry",
	.summary = "aedesk-registry: staff, login and the client registry of the account department.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.tables = tables,
	.open = registry_bootstrap,
	.close = registry_close,
};

int main(int argc, char **argv) { return svc_main(&decl, argc, argv); }
