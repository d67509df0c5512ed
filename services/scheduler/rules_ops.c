/*
 * NAME
 *	rules_ops.c - the status service's alerts, told to the admin staff
 *
 * DESCRIPTION
 *	aedesk-status raises AlertRaised when a service goes quiet, a consumer lags or a
 *	store nears its map, and AlertCleared when that ends (issue 7). Each becomes a
 *	notification to every admin (and through it the chat push), due at once: the
 *	reminder id names the alert, so a replayed event plans nothing twice.
 */
#include <stdio.h>

#include "sched.h"

/* plan_alert: a reminder due now to every admin, about one service's alert. */
static int plan_alert(svc_req *r, const char *kind, const char *service, const char *what,
    const char *detail, long long at_ms)
{
	char id[256];
	snprintf(id, sizeof id, "alert/%s/%s/%s/%lld", service, what, kind, at_ms);
	const char *args[] = {what, detail, NULL};
	return sched_add_simple(r, id, "ALERT", kind, "@admin", NULL, "service", service, r->now_ms, args);
}

int sched_on_alert_raised(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__AlertRaised *a = (const Aedesk__AlertRaised *)ev;
	return plan_alert(r, "alert_raised", a->service, a->kind, a->detail, (long long)a->since_ms);
}

int sched_on_alert_cleared(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__AlertCleared *a = (const Aedesk__AlertCleared *)ev;
	return plan_alert(r, "alert_cleared", a->service, a->kind, a->detail, (long long)a->raised_ms);
}
