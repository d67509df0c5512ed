/*
 * NAME
 *	aedesk-gateway - the staff web console: its files, a JSON API onto the services'
 *	own requests, and the live inbox
 *
 * SYNOPSIS
 *	aedesk-gateway [--conf PATH]
 *
 * DESCRIPTION
 *	Serves the console (gateway.console_dir) on gateway.http (default
 *	127.0.0.1:8080) with NNG's HTTP server. The browser logs in with a staff id and
 *	password (the registry's LoginRequest); the gateway keeps the token in a session
 *	and gives the browser only an HttpOnly, SameSite=Strict cookie and a CSRF token.
 *	POST /api/<service>/<Request> is that service's request, as JSON, with the
 *	caller's token (api.c); GET /api/events streams the caller's notifications
 *	(stream.c). It handles no requests of its own on its REP socket beyond the
 *	skeleton's Health, which makes it show in `aedesk status` like every service.
 *
 *	Config keys (deploy/aedesk.conf.example): gateway.http, gateway.console_dir,
 *	gateway.workers, gateway.timeout_ms, gateway.secure_cookie, gateway.max_streams,
 *	gateway.stream_poll_ms.
 *
 *	LMDB tables:
 *	  gw_sessions  see session.c
 *
 * FILES
 *	<run_dir>/gateway.url  the URL it serves on (with the port it got when the
 *	                       configured port is 0), for scripts and tests.
 *
 * SECURITY
 *	No authority of its own: each service checks the caller's token as for the CLI.
 *	Strict Content-Security-Policy on every response. Loopback by default.
 *
 * SEE ALSO
 *	http.c, api.c, session.c, stream.c, console/, docs/CONSOLE.md
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gateway.h"
#include "log.h"

struct gateway gw = {.mu = PTHREAD_MUTEX_INITIALIZER};

static const store_table tables[] = {
	{"gw_sessions", &gw.sessions},
	{NULL, NULL},
};

static int gateway_open(svc *s, svc_req *r)
{
	(void)r;
	gw.svc = s;
	gw.conf = svc_conf(s);
	gw.store = svc_store(s);
	gw.timeout_ms = (int)conf_int_or_die(gw.conf, "gateway.timeout_ms", 10000, 100, 600000);
	gw.max_streams = (int)conf_int_or_die(gw.conf, "gateway.max_streams", 256, 1, 100000);
	const char *sc = conf_get(gw.conf, "gateway.secure_cookie", "off");
	gw.secure_cookie = strcmp(sc, "on") == 0 || strcmp(sc, "1") == 0 || strcmp(sc, "yes") == 0;
	snprintf(gw.console_dir, sizeof gw.console_dir, "%s",
	    conf_get(gw.conf, "gateway.console_dir", AEDESK_CONSOLE_DIR));
	char index[600];
	snprintf(index, sizeof index, "%s/index.html", gw.console_dir);
	if (access(index, R_OK) != 0)
		log_error("gateway.console_dir %s has no index.html: the console will not load", gw.console_dir);
	const char *listen = conf_get(gw.conf, "gateway.http", "127.0.0.1:8080");
	if (gw_stream_start() != 0)
		log_error("the live inbox is off");
	if (strcmp(listen, "off") == 0) {
		log_info("HTTP is off (gateway.http = off)");
		return 0;
	}
	if (gw_http_start(listen) != 0) {
		log_error("HTTP is off: cannot listen on %s (gateway.http)", listen);
		return 0;
	}
	char path[600];
	snprintf(path, sizeof path, "%s/gateway.url", conf_get(gw.conf, "run_dir", "/run/aedesk"));
	FILE *f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", gw.url);
		fclose(f);
	}
	return 0;
}

static void gateway_close(svc *s)
{
	(void)s;
	gw.stopping = 1;
	char path[600];
	snprintf(path, sizeof path, "%s/gateway.url", conf_get(gw.conf, "run_dir", "/run/aedesk"));
	unlink(path);
	gw_http_stop();
	gw_stream_stop();
	gw_api_close();
}

static int gateway_tick(svc *s, svc_req *r)
{
	(void)s;
	return gw_session_purge(r);
}

static const struct svc_decl decl = {
	.name = "gateway",
	.summary = "aedesk-gateway: the staff web console (HTTP, JSON API, live inbox).",
	.handlers = NULL,
	.nhandlers = 0,
	.tables = tables,
	.open = gateway_open,
	.close = gateway_close,
	.tick = gateway_tick,
	.tick_ms = 60000,
};

int main(int argc, char **argv) { return svc_main(&decl, argc, argv); }
