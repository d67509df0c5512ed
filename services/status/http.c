/*
 * NAME
 *	http.c - GET /healthz and GET /metrics of aedesk-status
 *
 * DESCRIPTION
 *	NNG's HTTP server (libnng's supplemental/http) on status.http, default
 *	127.0.0.1:9464; port 0 takes any free port (the reply to StatusRequest says which).
 *
 *	/healthz  200 "ok" when every watched service is up, else 503 and the names of
 *	          those that are not (a monitor or a load balancer polls this).
 *	/metrics  Prometheus text exposition format 0.0.4: one family at a time (HELP,
 *	          TYPE, then a sample per service), counters end in _total. Figures are
 *	          the latest heartbeat of each service: a down service keeps its last
 *	          counters and has aedesk_up 0.
 *
 *	The callbacks run on NNG threads; they hold status.mu only while they render.
 *
 * SECURITY
 *	No login: nothing here is agency data. Keep it on loopback, or behind a firewall,
 *	since it tells what runs on the server.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "status.h"

static nng_http_server *server;

/* label writes a label value escaped as the exposition format wants (\\, \", \n). */
static void label(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, const char *service, double v)
{
	fprintf(f, "%s{service=\"", name);
	label(f, service);
	fprintf(f, "\"} %.15g\n", v);
}

/* One gauge or counter a service, from its latest health; skipped when never heard. */
#define PER_SERVICE(fam, type, help, expr)                                                     \
	do {                                                                                   \
		family(f, fam, type, help);                                                    \
		for (int i = 0; i < status.n; i++) {                                           \
			const Aedesk__StatusService *st = status.w[i].st;                      \
			const Aedesk__Health *h = st ? st->health : NULL;                      \
			if (h)                                                                 \
				sample(f, fam, status.w[i].name, (double)(expr));              \
		}                                                                              \
	} while (0)

void status_metrics(FILE *f, int64_t now)
{
	family(f, "aedesk_up", "gauge", "1 when the service's heartbeat was heard recently, else 0.");
	for (int i = 0; i < status.n; i++)
		sample(f, "aedesk_up", status.w[i].name, status.w[i].st && status.w[i].st->up);
	family(f, "aedesk_heartbeat_age_seconds", "gauge", "Seconds since the service's last heartbeat arrived.");
	for (int i = 0; i < status.n; i++)
		if (status.w[i].st && status.w[i].st->last_seen_ms)
			sample(f, "aedesk_heartbeat_age_seconds", status.w[i].name,
			    (double)(now - status.w[i].st->last_seen_ms) / 1000);
	family(f, "aedesk_info", "gauge", "The version and pid of the service's process (value 1).");
	for (int i = 0; i < status.n; i++) {
		const Aedesk__Health *h = status.w[i].st ? status.w[i].st->health : NULL;
		if (!h)
			continue;
		fputs("aedesk_info{service=\"", f);
		label(f, status.w[i].name);
		fputs("\",version=\"", f);
		label(f, h->version);
		fprintf(f, "\",pid=\"%d\"} 1\n", (int)h->pid);
	}
	PER_SERVICE("aedesk_start_time_seconds", "gauge", "When the process started, in Unix seconds.",
	    (double)h->started_ms / 1000);
	PER_SERVICE("aedesk_uptime_seconds", "gauge", "How long the process has run, at its last heartbeat.",
	    (double)h->uptime_ms / 1000);
	PER_SERVICE("aedesk_outbox_last_seq", "gauge", "The sequence number of the service's newest event.",
	    h->last_seq);
	PER_SERVICE("aedesk_requests_total", "counter", "Requests handled since the process started.", h->requests);
	PER_SERVICE("aedesk_errors_total", "counter", "Requests answered with an error since the process started.",
	    h->errors);
	PER_SERVICE("aedesk_events_applied_total", "counter", "Events from other services applied since the process started.",
	    h->events_applied);
	PER_SERVICE("aedesk_store_bytes", "gauge", "Bytes of the LMDB store in use.", h->store_bytes);
	PER_SERVICE("aedesk_store_map_bytes", "gauge", "The LMDB map size in bytes (grown when full).", h->map_bytes);
	PER_SERVICE("aedesk_store_use_ratio", "gauge", "Store bytes in use over the map size.",
	    h->map_bytes ? (double)h->store_bytes / (double)h->map_bytes : 0);

	/* A service's own figures (Health counters), e.g. aedesk-push's backlog and failed. */
	family(f, "aedesk_service_figure", "gauge", "A figure only this service has (its Health counters).");
	for (int i = 0; i < status.n; i++) {
		const Aedesk__Health *h = status.w[i].st ? status.w[i].st->health : NULL;
		for (size_t j = 0; h && j < h->n_counters; j++) {
			fputs("aedesk_service_figure{service=\"", f);
			label(f, status.w[i].name);
			fputs("\",name=\"", f);
			label(f, h->counters[j]->name);
			fprintf(f, "\"} %lld\n", (long long)h->counters[j]->value);
		}
	}

	static const char *const cons[] = {"aedesk_consumer_cursor", "aedesk_consumer_lag_events"};
	static const char *const help[] = {"The last event seq the service applied from the source.",
	    "Events of the source the service has not applied yet (source seq minus cursor)."};
	for (int m = 0; m < 2; m++) {
		family(f, cons[m], "gauge", help[m]);
		for (int i = 0; i < status.n; i++) {
			const Aedesk__StatusService *st = status.w[i].st;
			for (size_t j = 0; st && j < st->n_consumers; j++) {
				fprintf(f, "%s{service=\"", cons[m]);
				label(f, status.w[i].name);
				fputs("\",source=\"", f);
				label(f, st->consumers[j]->source);
				fprintf(f, "\"} %" PRIu64 "\n", m ? st->consumers[j]->lag : st->consumers[j]->cursor);
			}
		}
	}
	/* Per request type: a latency histogram (arrival to reply) and refusals. */
	family(f, "aedesk_request_duration_seconds", "histogram",
	    "Time from a request's arrival to its reply (queue, handler, commit), per request type.");
	for (int i = 0; i < status.n; i++) {
		const Aedesk__Health *h = status.w[i].st ? status.w[i].st->health : NULL;
		for (size_t j = 0; h && j < h->n_methods; j++) {
			const Aedesk__MethodStats *m = h->methods[j];
			for (size_t b = 0; b <= h->n_latency_bounds_us && b <= m->n_buckets; b++) {
				fputs("aedesk_request_duration_seconds_bucket{service=\"", f);
				label(f, status.w[i].name);
				fputs("\",method=\"", f);
				label(f, m->method);
				if (b < h->n_latency_bounds_us && b < m->n_buckets)
					fprintf(f, "\",le=\"%.6g\"} %" PRIu64 "\n", (double)h->latency_bounds_us[b] / 1e6,
					    m->buckets[b]);
				else {
					fprintf(f, "\",le=\"+Inf\"} %" PRIu64 "\n", m->count);
					break;
				}
			}
			fputs("aedesk_request_duration_seconds_sum{service=\"", f);
			label(f, status.w[i].name);
			fputs("\",method=\"", f);
			label(f, m->method);
			fprintf(f, "\"} %.6f\n", (double)m->sum_us / 1e6);
			fputs("aedesk_request_duration_seconds_count{service=\"", f);
			label(f, status.w[i].name);
			fputs("\",method=\"", f);
			label(f, m->method);
			fprintf(f, "\"} %" PRIu64 "\n", m->count);
		}
	}
	family(f, "aedesk_request_errors_total", "counter", "Requests of this type answered with an error.");
	for (int i = 0; i < status.n; i++) {
		const Aedesk__Health *h = status.w[i].st ? status.w[i].st->health : NULL;
		for (size_t j = 0; h && j < h->n_methods; j++) {
			fputs("aedesk_request_errors_total{service=\"", f);
			label(f, status.w[i].name);
			fputs("\",method=\"", f);
			label(f, h->methods[j]->method);
			fprintf(f, "\"} %" PRIu64 "\n", h->methods[j]->errors);
		}
	}
	family(f, "aedesk_alert_active", "gauge", "1 while an alert of this kind is raised for the service.");
	for (int i = 0; i < status.n; i++)
		for (int k = 0; k < ALERT_KINDS; k++) {
			const Aedesk__StatusService *st = status.w[i].st;
			int on = 0;
			for (size_t j = 0; st && j < st->n_alerts; j++)
				on |= strcmp(st->alerts[j], status_alert_name(k)) == 0;
			fputs("aedesk_alert_active{service=\"", f);
			label(f, status.w[i].name);
			fprintf(f, "\",kind=\"%s\"} %d\n", status_alert_name(k), on);
		}
}

int status_all_up(void)
{
	for (int i = 0; i < status.n; i++)
		if (!status.w[i].st || !status.w[i].st->up)
			return 0;
	return 1;
}

static void respond(nng_aio *aio, uint16_t code, const char *ctype, const char *body, size_t len)
{
	nng_http_res *res;
	int rv = nng_http_res_alloc(&res);
	if (rv == 0 && (rv = nng_http_res_set_status(res, code)) == 0 &&
	    (rv = nng_http_res_set_header(res, "Content-Type", ctype)) == 0 &&
	    (rv = nng_http_res_copy_data(res, body, len)) == 0) {
		nng_aio_set_output(aio, 0, res);
		nng_aio_finish(aio, 0);
		return;
	}
	if (res && rv)
		nng_http_res_free(res);
	nng_aio_finish(aio, rv);
}

static void on_metrics(nng_aio *aio)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	pthread_mutex_lock(&status.mu);
	status_metrics(f, wire_now_ms());
	pthread_mutex_unlock(&status.mu);
	fclose(f);
	respond(aio, 200, "text/plain; version=0.0.4; charset=utf-8", body, len);
	free(body);
}

static void on_healthz(nng_aio *aio)
{
	char body[1024] = "ok\n";
	pthread_mutex_lock(&status.mu);
	int up = status_all_up();
	if (!up) {
		size_t n = (size_t)snprintf(body, sizeof body, "down:");
		for (int i = 0; i < status.n && n < sizeof body - 40; i++)
			if (!status.w[i].st || !status.w[i].st->up)
				n += (size_t)snprintf(body + n, sizeof body - n, " %s", status.w[i].name);
		snprintf(body + n, sizeof body - n, "\n");
	}
	pthread_mutex_unlock(&status.mu);
	respond(aio, up ? 200 : 503, "text/plain; charset=utf-8", body, strlen(body));
}

/*
 * status_http_start listens on listen ("HOST:PORT") and writes the URL it serves on,
 * with the port it got, into url. Returns 0, or an NNG error (logged).
 */
int status_http_start(const char *listen, char *url, size_t len)
{
	char u[300];
	nng_url *pu = NULL;
	nng_http_handler *hm = NULL, *hh = NULL;
	snprintf(u, sizeof u, "http://%s", listen);
	int rv = nng_url_parse(&pu, u);
	if (rv == 0 && (rv = nng_http_server_hold(&server, pu)) == 0) {
		if ((rv = nng_http_handler_alloc(&hm, "/metrics", on_metrics)) == 0 &&
		    (rv = nng_http_server_add_handler(server, hm)) != 0)
			nng_http_handler_free(hm);
		if (rv == 0 && (rv = nng_http_handler_alloc(&hh, "/healthz", on_healthz)) == 0 &&
		    (rv = nng_http_server_add_handler(server, hh)) != 0)
			nng_http_handler_free(hh);
		if (rv == 0)
			rv = nng_http_server_start(server);
		if (rv != 0) {
			nng_http_server_release(server);
			server = NULL;
		}
	}
	if (pu)
		nng_url_free(pu);
	if (rv != 0) {
		log_error("HTTP on %s: %s", listen, nng_strerror(rv));
		return rv;
	}
	httpd_url(server, url, len);
	log_info("HTTP /metrics and /healthz on %s", url);
	return 0;
}

void status_http_stop(void)
{
	if (!server)
		return;
	nng_http_server_stop(server);
	nng_http_server_release(server);
	server = NULL;
}
