/*
 * NAME
 *	aedesk-status - every service's health, alerts, /metrics and /healthz
 *
 * SYNOPSIS
 *	aedesk-status [--conf PATH]
 *
 * DESCRIPTION
 *	Listens to the heartbeat of every service (config "services", default every
 *	service of this build, itself included), keeps the latest health of each and a
 *	history of changes and samples in its own store, and answers StatusRequest, which
 *	`aedesk status` asks. A service silent for status.silent_periods heartbeat periods,
 *	a consumer lagging behind its source, or a store above status.store_alert_pct of
 *	its map raises an AlertRaised event (and a log line); AlertCleared follows when it
 *	clears. The scheduler turns those events into notifications to the admin staff.
 *	With status.http set (default 127.0.0.1:9464) it serves GET /healthz (200 when
 *	every service is up, else 503) and GET /metrics (Prometheus text format 0.0.4).
 *
 *	LMDB tables:
 *	  st_state    service name -> packed StatusService (the latest state)
 *	  st_history  be64(ms) . service name -> packed StatusHistoryRecord
 *
 * SECURITY
 *	StatusRequest and HTTP need no login: they carry health figures, never agency
 *	data. HTTP listens on loopback unless the admin configures otherwise.
 *
 * SEE ALSO
 *	watch.c, http.c, proto/status.proto, docs/OPERATIONS.md
 */
#include "status.h"

static const struct svc_handler handlers[] = {
	{&aedesk__status_request__descriptor, status_get, SVC_PUBLIC},
};

static const store_table tables[] = {
	{"st_state", &status.state},
	{"st_history", &status.history},
	{NULL, NULL},
};

static const struct svc_decl decl = {
	.name = "status",
	.summary = "aedesk-status: every service's health and alerts; HTTP /metrics and /healthz.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.tables = tables,
	.open = status_open,
	.close = status_close,
	.tick = status_tick,
	.tick_ms = 200,
};

int main(int argc, char **argv) { return svc_main(&decl, argc, argv); }
