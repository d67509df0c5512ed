/*
 * NAME
 *	aedesk-audit - who did what and when, across every service
 *
 * SYNOPSIS
 *	aedesk-audit [--conf PATH]
 *
 * DESCRIPTION
 *	Consumes the outbox of every service (exactly once, through the skeleton's cursor
 *	and replay) and keeps an index of the events by time, by staff member and by
 *	client: the audit trail DESIGN.md promises ("the events are the audit trail").
 *	Besides the changes themselves it sees the refusals every skeleton records
 *	(AccessRefused: UNAUTHENTICATED and PERMISSION_DENIED answers, failed logins) and
 *	the registry's LoginSucceeded. Answers AuditListRequest (aedesk audit) to AD and
 *	admin only, newest first, a page at a time.
 *
 * SECURITY
 *	An entry holds the time, service, seq, actor, event type and the ids the event
 *	names (fields "id", "*_id", "*_ids" that look like ids), never the payload's other
 *	values: no names, phones, birthdays or notes. A contact erased under R-PRIVACY-1
 *	leaves only its id here. The sources are every services/<name>/ of this build.
 *
 * SEE ALSO
 *	index.c, list.c, proto/security.proto, docs/SECURITY.md
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "log.h"

#ifndef AEDESK_SERVICE_LIST
#define AEDESK_SERVICE_LIST "registry"
#endif

struct audit audit;

static const struct svc_handler handlers[] = {
	{&aedesk__audit_list_request__descriptor, audit_list, 0},
};

static const store_table tables[] = {
	{"au_entries", &audit.entries},
	{"au_staff", &audit.by_staff},
	{"au_client", &audit.by_client},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	static char names[1024];
	static const char *sources[32];
	static struct svc_event_handler events[32];
	size_t n = 0;
	snprintf(names, sizeof names, "%s", AEDESK_SERVICE_LIST);
	for (char *save, *t = strtok_r(names, ",", &save); t && n < 31; t = strtok_r(NULL, ",", &save)) {
		sources[n] = t;
		events[n] = (struct svc_event_handler){t, NULL, audit_on_event};
		n++;
	}
	sources[n] = NULL;
	static struct svc_decl decl = {
	    .name = "audit",
	    .summary = "aedesk-audit: who did what and when, across every service (aedesk audit).",
	    .handlers = handlers,
	    .nhandlers = sizeof handlers / sizeof handlers[0],
	    .tables = tables,
	};
	decl.sources = sources;
	decl.events = events;
	decl.nevents = n;
	return svc_main(&decl, argc, argv);
}
