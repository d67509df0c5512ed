/*
 * aedesk-status (issue 7): heartbeats of every service, `aedesk status`, /healthz and
 * /metrics over real HTTP, and alerts in the status service's outbox. A killed service
 * is down, turns /healthz to 503 and raises AlertRaised; back, it clears.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "status.pb-c.h"
#include "wire.h"

/* http_get does GET path on 127.0.0.1:port; the status code, the body into body. */
static int http_get(int port, const char *path, char *body, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char req[256], buf[65536];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	size_t got = 0;
	ssize_t r;
	while (got < sizeof buf - 1 && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0) {
		got += (size_t)r;
		buf[got] = 0;
		/* Stop at the end of the body even if the server keeps the connection. */
		char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "\r\nContent-Length:");
		if (end && cl && cl < end && got >= (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10))
			break;
	}
	close(fd);
	buf[got] = 0;
	int code = 0;
	if (sscanf(buf, "HTTP/1.%*d %d", &code) != 1)
		return -1;
	char *b = strstr(buf, "\r\n\r\n");
	snprintf(body, len, "%s", b ? b + 4 : "");
	return code;
}

/* status_reply asks aedesk-status for everything (NULL when it does not answer). */
static Aedesk__StatusReply *status_reply(harness *h)
{
	Aedesk__StatusRequest q = AEDESK__STATUS_REQUEST__INIT;
	Aedesk__StatusReply *r = NULL;
	if (h_call(h, "status", &q.base, &aedesk__status_reply__descriptor, (ProtobufCMessage **)&r) != 0) {
		wire_free(r ? &r->base : NULL);
		return NULL;
	}
	return r;
}

static const Aedesk__StatusService *service_of(const Aedesk__StatusReply *r, const char *name)
{
	for (size_t i = 0; r && i < r->n_services; i++)
		if (strcmp(r->services[i]->service, name) == 0)
			return r->services[i];
	return NULL;
}

/* wait_state waits until aedesk-status says name is up (1) or down (0). */
static int wait_state(harness *h, const char *name, int up, int ms)
{
	for (int waited = 0; waited < ms; waited += 100) {
		Aedesk__StatusReply *r = status_reply(h);
		const Aedesk__StatusService *s = service_of(r, name);
		int ok = s && s->known == 1 && (int)s->up == up;
		wire_free(r ? &r->base : NULL);
		if (ok)
			return 0;
		h_sleep_ms(100);
	}
	return -1;
}

/* alert_events lists the status outbox: "Raised:registry:silent;Cleared:registry:silent;..." */
static void alert_events(harness *h, char *out, size_t len)
{
	out[0] = 0;
	Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
	q.from_seq = 1;
	Aedesk__ReplayReply *r = NULL;
	if (h_call(h, "status", &q.base, &aedesk__replay_reply__descriptor, (ProtobufCMessage **)&r) != 0 || !r)
		return;
	for (size_t i = 0; i < r->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
		if (!e)
			continue;
		size_t n = strlen(out);
		if (strcmp(e->type, aedesk__alert_raised__descriptor.name) == 0) {
			Aedesk__AlertRaised *a = (Aedesk__AlertRaised *)wire_unpack(&aedesk__alert_raised__descriptor,
			    e->payload.data, e->payload.len, NULL);
			if (a)
				snprintf(out + n, len - n, "Raised:%s:%s;", a->service, a->kind);
			wire_free(a ? &a->base : NULL);
		} else if (strcmp(e->type, aedesk__alert_cleared__descriptor.name) == 0) {
			Aedesk__AlertCleared *a = (Aedesk__AlertCleared *)wire_unpack(&aedesk__alert_cleared__descriptor,
			    e->payload.data, e->payload.len, NULL);
			if (a)
				snprintf(out + n, len - n, "Cleared:%s:%s;", a->service, a->kind);
			wire_free(a ? &a->base : NULL);
		}
		wire_free(&e->base);
	}
	wire_free(&r->base);
}

/*
 * check_exposition parses Prometheus text format 0.0.4 strictly: every line is a
 * "# HELP name text", "# TYPE name counter|gauge|histogram|summary|untyped", or a
 * sample "name{label="value",...} number" whose name belongs to the family declared
 * by the last TYPE line (a TYPE comes before its samples and appears once; a histogram's
 * samples are name_bucket with an "le" label, name_sum and name_count); label
 * names [a-zA-Z_][a-zA-Z0-9_]*, values with only \\ \" \n escapes; counters end in
 * _total; no duplicate series. Returns the number of samples, or -line on an error.
 */
static int check_exposition(const char *text)
{
	char fam[128] = "", famtype[32] = "", seen_types[8192] = ";", series[65536] = "\n";
	int samples = 0, line = 0;
	const char *p = text;
	while (*p) {
		line++;
		const char *eol = strchr(p, '\n');
		if (!eol)
			return -line; /* every line ends with \n */
		char l[1024];
		size_t n = (size_t)(eol - p);
		if (n >= sizeof l)
			return -line;
		memcpy(l, p, n);
		l[n] = 0;
		p = eol + 1;
		if (strncmp(l, "# HELP ", 7) == 0)
			continue;
		if (strncmp(l, "# TYPE ", 7) == 0) {
			char name[128], type[32], key[140];
			if (sscanf(l + 7, "%127s %31s", name, type) != 2)
				return -line;
			if (strcmp(type, "counter") && strcmp(type, "gauge") && strcmp(type, "histogram") &&
			    strcmp(type, "summary") && strcmp(type, "untyped"))
				return -line;
			snprintf(key, sizeof key, ";%s;", name);
			if (strstr(seen_types, key))
				return -line; /* a family declared twice */
			strncat(seen_types, key + 1, sizeof seen_types - strlen(seen_types) - 1);
			if (!strcmp(type, "counter") && (strlen(name) < 6 || strcmp(name + strlen(name) - 6, "_total")))
				return -line;
			snprintf(fam, sizeof fam, "%s", name);
			snprintf(famtype, sizeof famtype, "%s", type);
			continue;
		}
		if (l[0] == '#' || l[0] == 0)
			return -line;
		/* a sample */
		const char *q = l;
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_' || *q == ':'))
			return -line;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
		       *q == '_' || *q == ':')
			q++;
		size_t fl = strlen(fam), nl = (size_t)(q - l);
		int bucket = 0;
		if (nl < fl || strncmp(l, fam, fl) != 0)
			return -line; /* not of the family declared last */
		if (nl > fl) {
			const char *suffix = l + fl;
			size_t sl = nl - fl;
			if (strcmp(famtype, "histogram") != 0)
				return -line;
			bucket = sl == 7 && !strncmp(suffix, "_bucket", 7);
			if (!bucket && !(sl == 4 && !strncmp(suffix, "_sum", 4)) && !(sl == 6 && !strncmp(suffix, "_count", 6)))
				return -line;
		}
		if (bucket && !strstr(q, "le=\""))
			return -line; /* a bucket without its bound */
		if (*q == '{') {
			q++;
			while (*q != '}') {
				if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_'))
					return -line;
				while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
					q++;
				if (q[0] != '=' || q[1] != '"')
					return -line;
				q += 2;
				while (*q != '"') {
					if (!*q)
						return -line;
					if (*q == '\\') {
						if (q[1] != '\\' && q[1] != '"' && q[1] != 'n')
							return -line;
						q++;
					}
					q++;
				}
				q++;
				if (*q == ',')
					q++;
				else if (*q != '}')
					return -line;
			}
			q++;
		}
		/* the series must be new */
		char s[1024];
		snprintf(s, sizeof s, "\n%.*s\n", (int)(q - l), l);
		if (strstr(series, s))
			return -line;
		strncat(series, s + 1, sizeof series - strlen(series) - 1);
		if (*q != ' ')
			return -line;
		q++;
		char *end;
		if (!strcmp(q, "NaN") || !strcmp(q, "+Inf") || !strcmp(q, "-Inf"))
			end = (char *)q + strlen(q);
		else
			strtod(q, &end);
		if (end == q)
			return -line;
		if (*end == ' ') /* an optional timestamp */
			strtoll(end + 1, &end, 10);
		if (*end)
			return -line;
		samples++;
	}
	return samples;
}

static void test_exposition_parser_itself(void)
{
	CHECK(check_exposition("# HELP a_total x\n# TYPE a_total counter\na_total{service=\"r\"} 3\n") == 1);
	CHECK(check_exposition("# TYPE a counter\na 3\n") < 0);                 /* counter without _total */
	CHECK(check_exposition("# TYPE a gauge\nb 3\n") < 0);                   /* wrong family */
	CHECK(check_exposition("# TYPE a gauge\na{x=\"1\"} 3\na{x=\"1\"} 4\n") < 0); /* duplicate */
	CHECK(check_exposition("# TYPE a gauge\na{x=1} 3\n") < 0);              /* unquoted */
	CHECK(check_exposition("# TYPE a gauge\na 3") < 0);                     /* no newline */
	CHECK(check_exposition("# TYPE a gauge\na three\n") < 0);
	CHECK(check_exposition("# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n") == 4);
	CHECK(check_exposition("# TYPE h histogram\nh_bucket 1\n") < 0);   /* no le */
	CHECK(check_exposition("# TYPE g gauge\ng_sum 1\n") < 0);         /* suffix on a gauge */
}

TEST(test_status_sees_every_service_and_a_killed_one_goes_down_and_comes_back)
{
	harness h;
	char out[16384], body[65536], ev[4096];
	CHECK(h_setup(&h, "status") == 0);
	h_conf_add(&h, "services", "registry,status");
	h_conf_add(&h, "status.http", "127.0.0.1:0");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "status") == 0);
	CHECK(wait_state(&h, "registry", 1, 5000) == 0);
	CHECK(wait_state(&h, "status", 1, 5000) == 0);

	/* aedesk status: one table, exit 0 when all are up. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 0);
	CHECK(h_contains(out, "SERVICE") && h_contains(out, "registry") && h_contains(out, "up"));
	CHECK(!h_contains(out, "DOWN"));
	CHECK(!h_contains(out, "asked directly"));

	Aedesk__StatusReply *r = status_reply(&h);
	CHECK(r != NULL);
	int port = 0;
	if (r && r->http)
		sscanf(r->http, "http://127.0.0.1:%d", &port);
	CHECK(port > 0);
	const Aedesk__StatusService *reg = service_of(r, "registry");
	CHECK(reg && reg->health && reg->health->pid > 0 && reg->store_use_permille <= 1000);
	wire_free(r ? &r->base : NULL);

	CHECK_INT(http_get(port, "/healthz", body, sizeof body), 200);
	CHECK_INT(http_get(port, "/metrics", body, sizeof body), 200);
	CHECK(check_exposition(body) > 10);
	CHECK(h_contains(body, "aedesk_up{service=\"registry\"} 1"));
	CHECK(h_contains(body, "aedesk_requests_total{service=\"registry\"}"));
	/* Per request type latency: the aedesk status call above was a StatusRequest, and
	 * the harness's readiness checks are Health requests (side thread, not counted);
	 * the registry's table lists every handler, so LoginRequest is there with +Inf. */
	CHECK(h_contains(body, "# TYPE aedesk_request_duration_seconds histogram"));
	CHECK(h_contains(body, "aedesk_request_duration_seconds_bucket{service=\"registry\",method=\"LoginRequest\",le=\"+Inf\"}"));
	CHECK(h_contains(body, "aedesk_request_duration_seconds_count{service=\"status\",method=\"StatusRequest\"}"));
	CHECK(h_contains(body, "aedesk_alert_active{service=\"registry\",kind=\"silent\"} 0"));
	CHECK_INT(http_get(port, "/nothing", body, sizeof body), 404);

	/* Kill -9: down within 3 heartbeat periods (+ a tick), 503, an alert, exit 1. */
	h_kill9(&h, "registry");
	CHECK(wait_state(&h, "registry", 0, 4000) == 0);
	CHECK_INT(http_get(port, "/healthz", body, sizeof body), 503);
	CHECK(h_contains(body, "registry"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 1);
	CHECK(h_contains(out, "DOWN") && h_contains(out, "silent"));
	alert_events(&h, ev, sizeof ev);
	CHECK(h_contains(ev, "Raised:registry:silent;"));
	CHECK(!h_contains(ev, "Cleared:registry:silent;"));
	CHECK_INT(http_get(port, "/metrics", body, sizeof body), 200);
	CHECK(check_exposition(body) > 10);
	CHECK(h_contains(body, "aedesk_up{service=\"registry\"} 0"));
	CHECK(h_contains(body, "aedesk_alert_active{service=\"registry\",kind=\"silent\"} 1"));

	/* Back: up, 200, the alert cleared once. */
	CHECK(h_start(&h, "registry") == 0);
	CHECK(wait_state(&h, "registry", 1, 4000) == 0);
	CHECK_INT(http_get(port, "/healthz", body, sizeof body), 200);
	alert_events(&h, ev, sizeof ev);
	CHECK_STR(ev, "Raised:registry:silent;Cleared:registry:silent;");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "status", NULL), 0);

	/* The status service itself restarted: no second alert for what it knew already. */
	CHECK_INT(h_stop(&h, "status"), 0);
	CHECK(h_start(&h, "status") == 0);
	CHECK(wait_state(&h, "registry", 1, 4000) == 0);
	h_sleep_ms(1800); /* past the grace of 3 periods */
	alert_events(&h, ev, sizeof ev);
	CHECK_STR(ev, "Raised:registry:silent;Cleared:registry:silent;");
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_status_falls_back_to_asking_each_service_when_status_is_not_running)
{
	harness h;
	char out[16384];
	CHECK(h_setup(&h, "stfb") == 0);
	h_conf_add(&h, "services", "registry,status");
	CHECK(h_start(&h, "registry") == 0);
	/* status not running: registry answers directly, status is DOWN, exit 1 */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 1);
	CHECK(h_contains(out, "registry") && h_contains(out, "up"));
	CHECK(h_contains(out, "DOWN"));
	CHECK(h_contains(out, "asked directly"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "status", NULL), 1);
	CHECK(h_contains(out, "\"service\":\"registry\""));
	CHECK(h_contains(out, "{\"service\":\"status\",\"up\":false}"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_exposition_parser_itself);
	RUN(test_status_sees_every_service_and_a_killed_one_goes_down_and_comes_back);
	RUN(test_status_falls_back_to_asking_each_service_when_status_is_not_running);
	return check_summary();
}
