/*
 * NAME
 *	cmd_status.c - aedesk status: one table of every service
 *
 * SYNOPSIS
 *	aedesk status [--direct]
 *	aedesk --json status
 *
 * DESCRIPTION
 *	Asks aedesk-status (StatusRequest, no token) for every service's state: up or
 *	down, since when, consumer lag, store use and errors. When the status service is
 *	not running, or does not know a service yet, it asks that service for its Health
 *	directly, as before aedesk-status existed (--direct always does). Which services:
 *	the config key "services", else every service of this build (AEDESK_SERVICE_LIST,
 *	from CMake).
 *
 *	--json prints one JSON object a line, per service: the StatusService (with the
 *	latest heartbeat under "health") or, asked directly, the Health itself.
 *
 * DIAGNOSTICS
 *	Exit 0 when every service is up and none lags; 1 when any is down, lagging or has
 *	an alert raised (store nearly full, periodic work stalled), so
 *	scripts and monitors can use it.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "envelope.pb-c.h"
#include "pbjson.h"
#include "status.pb-c.h"
#include "text.h"
#include "wire.h"

#ifndef AEDESK_SERVICE_LIST
#define AEDESK_SERVICE_LIST "registry"
#endif

CLI_COMMAND("status", cmd_status, 90, "各服务运行状态（有服务停止或积压时退出码非 0）",
    "every service's state (non-zero exit when one is down or lagging)")

/* call_health asks a service directly; NULL when it does not answer. */
static Aedesk__Health *call_health(const char *name)
{
	char url[512], err[1024], msg[256];
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	Aedesk__Status st = AEDESK__STATUS__OK;
	aeclient *c = NULL;
	if (conf_endpoint(cli.conf, name, "rep", url, sizeof url) == 0)
		c = aeclient_open(url, 2000, err, sizeof err);
	if (c && (aeclient_call(c, &q.base, &aedesk__health__descriptor, &st, msg, sizeof msg,
		      (ProtobufCMessage **)&r) != 0 || st != AEDESK__STATUS__OK)) {
		wire_free(r ? &r->base : NULL);
		r = NULL;
	}
	aeclient_close(c);
	return r;
}

static Aedesk__StatusReply *call_status(void)
{
	char url[512], err[1024], msg[256];
	Aedesk__StatusRequest q = AEDESK__STATUS_REQUEST__INIT;
	Aedesk__StatusReply *r = NULL;
	Aedesk__Status st = AEDESK__STATUS__OK;
	aeclient *c = NULL;
	if (conf_endpoint(cli.conf, "status", "rep", url, sizeof url) == 0)
		c = aeclient_open(url, 2000, err, sizeof err);
	if (c && (aeclient_call(c, &q.base, &aedesk__status_reply__descriptor, &st, msg, sizeof msg,
		      (ProtobufCMessage **)&r) != 0 || st != AEDESK__STATUS__OK)) {
		wire_free(r ? &r->base : NULL);
		r = NULL;
	}
	aeclient_close(c);
	return r;
}

static void fmt_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= (1ull << 30))
		snprintf(buf, len, "%.1fG", (double)b / (1ull << 30));
	else
		snprintf(buf, len, "%.0fM", (double)b / (1ull << 20));
}

/* row holds what one line of the table shows, however it was learnt. */
struct row {
	const char *name;
	int up, lagging;
	long long since_ms;
	uint64_t lag;
	const Aedesk__Health *h;
	const char *alerts;
};

static void add_row(text_table *t, const struct row *r)
{
	char since[32] = "-", lag[24] = "-", store[48] = "-", errs[48] = "-", pid[16] = "-";
	const char *state = r->up ? (r->lagging ? cli_t("积压", "LAGGING") : cli_t("运行", "up"))
				  : cli_t("停止", "DOWN");
	if (r->since_ms > 0)
		cli_format_time(r->since_ms, since, sizeof since);
	if (r->h) {
		snprintf(lag, sizeof lag, "%llu", (unsigned long long)r->lag);
		char used[16], map[16];
		fmt_bytes(r->h->store_bytes, used, sizeof used);
		fmt_bytes(r->h->map_bytes, map, sizeof map);
		snprintf(store, sizeof store, "%.0f%% (%s/%s)",
		    r->h->map_bytes ? 100.0 * (double)r->h->store_bytes / (double)r->h->map_bytes : 0.0, used, map);
		if (r->h->requests)
			snprintf(errs, sizeof errs, "%llu (%.1f%%)", (unsigned long long)r->h->errors,
			    100.0 * (double)r->h->errors / (double)r->h->requests);
		else
			snprintf(errs, sizeof errs, "%llu", (unsigned long long)r->h->errors);
		if (r->up)
			snprintf(pid, sizeof pid, "%d", r->h->pid);
	}
	const char *cells[] = {r->name, state, since, lag, store, errs, pid, r->alerts ? r->alerts : ""};
	text_table_add(t, cells);
}

static const Aedesk__StatusService *find_service(const Aedesk__StatusReply *sr, const char *name)
{
	for (size_t i = 0; sr && i < sr->n_services; i++)
		if (strcmp(sr->services[i]->service, name) == 0)
			return sr->services[i];
	return NULL;
}

static int cmd_status(int argc, char **argv)
{
	int direct = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("%s\n", cli_t("用法：aedesk status [--direct]\n"
					     "经 aedesk-status 汇总各服务状态（未运行时直接询问各服务；--direct 总是直接询问）。\n"
					     "任一服务停止或积压时退出码为 1。",
					   "usage: aedesk status [--direct]\n"
					   "Every service's state, from aedesk-status (or each service directly when it\n"
					   "is not running; --direct always). Exits 1 when any service is down, lagging or has an alert."));
			return 0;
		}
		if (strcmp(argv[i], "--direct") == 0)
			direct = 1;
		else
			return cli_usage_error("status", "%s %s", cli_t("未知选项", "unknown option"), argv[i]);
	}
	char list[1024];
	snprintf(list, sizeof list, "%s", conf_get(cli.conf, "services", AEDESK_SERVICE_LIST));
	Aedesk__StatusReply *sr = direct ? NULL : call_status();
	const char *h[] = {cli_t("服务", "SERVICE"), cli_t("状态", "STATE"), cli_t("起始", "SINCE"),
	    cli_t("积压", "LAG"), cli_t("存储", "STORE"), cli_t("错误", "ERRORS"), "PID", cli_t("告警", "ALERTS")};
	text_table *t = cli.json ? NULL : text_table_new(8, h);
	int bad = 0;
	char figures[1024] = "";
	for (char *save, *name = strtok_r(list, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
		const Aedesk__StatusService *ss = find_service(sr, name);
		struct row r = {.name = name};
		Aedesk__Health *direct_h = NULL;
		char alerts[128] = "";
		if (ss && ss->known) {
			r.up = ss->up;
			r.since_ms = ss->since_ms;
			r.lag = ss->max_lag;
			r.h = ss->health;
			for (size_t j = 0; j < ss->n_consumers; j++)
				r.lagging |= ss->consumers[j]->lagging;
			for (size_t j = 0; j < ss->n_alerts; j++)
				snprintf(alerts + strlen(alerts), sizeof alerts - strlen(alerts), "%s%s", j ? "," : "",
				    ss->alerts[j]);
			r.alerts = alerts;
			if (cli.json) {
				pbjson_print(stdout, &ss->base, 0);
				printf("\n");
			}
		} else {
			/* Not known to aedesk-status (or it is not running): ask the service. */
			direct_h = call_health(name);
			r.up = direct_h != NULL;
			r.h = direct_h;
			if (direct_h) {
				r.since_ms = direct_h->started_ms;
				/* Lag against each source, asked directly too. */
				for (size_t j = 0; j < direct_h->n_cursors; j++) {
					Aedesk__Health *src = call_health(direct_h->cursors[j]->source);
					if (src && src->last_seq > direct_h->cursors[j]->seq &&
					    src->last_seq - direct_h->cursors[j]->seq > r.lag)
						r.lag = src->last_seq - direct_h->cursors[j]->seq;
					wire_free(src ? &src->base : NULL);
				}
			} else if (ss)
				r.since_ms = ss->since_ms;
			if (cli.json) {
				if (direct_h)
					pbjson_print(stdout, &direct_h->base, 0);
				else
					printf("{\"service\":\"%s\",\"up\":false}", name);
				printf("\n");
			}
		}
		/* The service's own figures (aedesk-push: backlog, failed), under the table. */
		for (size_t j = 0; t && r.h && j < r.h->n_counters; j++)
			snprintf(figures + strlen(figures), sizeof figures - strlen(figures), "%s%s %s=%lld",
			    j ? "," : (figures[0] ? "\n" : ""), j ? "" : name, r.h->counters[j]->name,
			    (long long)r.h->counters[j]->value);
		/* Down, lagging, or any alert raised (a full store, stalled periodic work). */
		bad |= !r.up || r.lagging || (ss && ss->known && ss->n_alerts > 0);
		if (t)
			add_row(t, &r);
		wire_free(direct_h ? &direct_h->base : NULL);
	}
	if (t) {
		text_table_print(t, stdout);
		if (figures[0])
			printf("%s\n", figures);
		if (!sr && !direct)
			printf("%s\n", cli_t("（aedesk-status 未运行：已直接询问各服务）",
					   "(aedesk-status is not running: each service was asked directly)"));
	}
	text_table_free(t);
	wire_free(sr ? &sr->base : NULL);
	return bad ? EXIT_REFUSED : 0;
}
