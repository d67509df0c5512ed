/*
 * NAME
 *	api.c - the console's JSON API: one URL per service request, nothing more
 *
 * DESCRIPTION
 *	POST /api/login      {"staff_id","password"} -> LoginRequest to the registry; on OK
 *	                     a session (session.c), the cookie, and {"staff","csrf"}.
 *	POST /api/logout     ends the session.
 *	GET  /api/session    {"staff","csrf","expires_ms"} of the current session, or 401.
 *	GET  /api/events     the live inbox (stream.c).
 *	POST /api/<service>/<Type>
 *	                     the body is the JSON of request <Type> of <service>'s .proto
 *	                     (any message whose name ends in "Request"; field names as in
 *	                     the .proto), sent with the session's token; the answer is
 *	                     the reply's JSON (pbjson_print), or on refusal
 *	                     {"status":"FAILED_PRECONDITION","message":"…"} with the
 *	                     service's message in the caller's language and an HTTP code:
 *	                     INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED
 *	                     403, NOT_FOUND 404, ALREADY_EXISTS and FAILED_PRECONDITION
 *	                     409, RESOURCE_EXHAUSTED 429, INTERNAL 500, UNAVAILABLE 503
 *	                     (also when the service does not answer).
 *
 * SECURITY
 *	The gateway adds no authority of its own: every request carries the caller's own
 *	token and each service checks it as for the CLI. LoginRequest and TokenRenewRequest
 *	are not reachable through the generic route (their replies hold a token), nor is
 *	anything of envelope.proto (Replay, Health). A POST must come from the console's own
 *	origin (Origin, when sent, must match Host) and, once logged in, carry the session's
 *	CSRF token in X-CSRF-Token; the cookie is HttpOnly and SameSite=Strict.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "log.h"
#include "pbjson.h"
#include "wire.h"

struct gw_type {
	const char *service;
	const ProtobufCMessageDescriptor *d;
};
#include "gateway_types.inc"

#define NTYPES (sizeof gw_types / sizeof gw_types[0])

/* Each worker keeps one REQ client per service it has called (thread-local). */
#define MAX_CLIENTS 16
static __thread struct {
	char service[32];
	aeclient *c;
} clients[MAX_CLIENTS];

static aeclient *client_for(const char *service, char *err, size_t errlen)
{
	int free_slot = -1;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (clients[i].c && strcmp(clients[i].service, service) == 0)
			return clients[i].c;
		if (!clients[i].c && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0) {
		snprintf(err, errlen, "too many services");
		return NULL;
	}
	char url[512];
	if (conf_endpoint(gw.conf, service, "rep", url, sizeof url) != 0) {
		snprintf(err, errlen, "no endpoint for %s", service);
		return NULL;
	}
	aeclient *c = aeclient_open(url, gw.timeout_ms, err, errlen);
	if (!c)
		return NULL;
	snprintf(clients[free_slot].service, sizeof clients[free_slot].service, "%s", service);
	clients[free_slot].c = c;
	return c;
}

static void client_drop(const char *service)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].c && strcmp(clients[i].service, service) == 0) {
			aeclient_close(clients[i].c);
			clients[i].c = NULL;
		}
}

/* gw_api_close closes this thread's clients (a worker or a stream, as it ends). */
void gw_api_close(void)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].c) {
			aeclient_close(clients[i].c);
			clients[i].c = NULL;
		}
}

int gw_call(const char *service, const ProtobufCMessage *q, const gw_session *s, const char *lang,
    Aedesk__Status *st, char *msg, size_t msglen, ProtobufCMessage **reply)
{
	*reply = NULL;
	aeclient *c = client_for(service, msg, msglen);
	if (!c)
		return -1;
	aeclient_set_lang(c, lang);
	if (s && s->login)
		aeclient_set_token(c, s->login->token.data, s->login->token.len);
	else
		aeclient_set_token(c, NULL, 0);
	/* The reply's type is whatever the service answers: found by name. */
	uint8_t id[16], *buf, *out = NULL;
	size_t len, outlen;
	wire_new_id(id);
	if (aeclient_envelope(c, q, id, &buf, &len) != 0) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	int rc = aeclient_raw(c, buf, len, &out, &outlen);
	free(buf);
	aeclient_set_token(c, NULL, 0);
	if (rc != 0) {
		snprintf(msg, msglen, "%s", strcmp(lang, "en") == 0 ? "the service did not answer"
								  : "服务没有应答");
		client_drop(service);
		return -1;
	}
	const char *why;
	Aedesk__Envelope *e = wire_envelope_unpack(out, outlen, &why);
	free(out);
	if (!e) {
		snprintf(msg, msglen, "unreadable reply (%s)", why);
		return -1;
	}
	*st = e->status;
	snprintf(msg, msglen, "%s", e->message);
	rc = 0;
	if (e->status == AEDESK__STATUS__OK) {
		const ProtobufCMessageDescriptor *rd = NULL;
		for (size_t i = 0; i < NTYPES && !rd; i++)
			if (strcmp(gw_types[i].d->name, e->type) == 0)
				rd = gw_types[i].d;
		if (!rd || !(*reply = wire_unpack(rd, e->payload.data, e->payload.len, &why))) {
			snprintf(msg, msglen, "unreadable reply %s", e->type);
			rc = -1;
		}
	}
	wire_free(&e->base);
	return rc;
}

uint16_t gw_http_status(Aedesk__Status st)
{
	switch (st) {
	case AEDESK__STATUS__OK: return 200;
	case AEDESK__STATUS__INVALID_ARGUMENT: return 400;
	case AEDESK__STATUS__UNAUTHENTICATED: return 401;
	case AEDESK__STATUS__PERMISSION_DENIED: return 403;
	case AEDESK__STATUS__NOT_FOUND: return 404;
	case AEDESK__STATUS__ALREADY_EXISTS:
	case AEDESK__STATUS__FAILED_PRECONDITION: return 409;
	case AEDESK__STATUS__RESOURCE_EXHAUSTED: return 429;
	case AEDESK__STATUS__UNAVAILABLE: return 503;
	default: return 500;
	}
}

/* json_string writes s as a JSON string (UTF-8 passes through; pbjson's rules). */
static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void refuse(nng_aio *aio, Aedesk__Status st, const char *message)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	fprintf(f, "{\"status\":\"%s\",\"message\":", aedesk__status__descriptor.values[st].name);
	json_string(f, message);
	fputs("}", f);
	fclose(f);
	gw_reply(aio, gw_http_status(st), "application/json", body, len, NULL);
	free(body);
}

/* refuse_t: a refusal of the gateway's own, in the caller's language. */
static void refuse_t(nng_aio *aio, nng_http_req *req, Aedesk__Status st, const char *zh, const char *en)
{
	refuse(aio, st, strcmp(gw_lang(req), "en") == 0 ? en : zh);
}

static void reply_message(nng_aio *aio, const ProtobufCMessage *m, const char *set_cookie)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	pbjson_print(f, m, 0);
	fclose(f);
	gw_reply(aio, 200, "application/json", body, len, set_cookie);
	free(body);
}

/* same_origin: a browser's Origin header, when sent, names this host. */
static int same_origin(nng_http_req *req)
{
	const char *o = nng_http_req_get_header(req, "Origin");
	const char *h = nng_http_req_get_header(req, "Host");
	if (!o)
		return 1;
	if (!h)
		return 0;
	const char *rest = strncmp(o, "http://", 7) == 0 ? o + 7 : strncmp(o, "https://", 8) == 0 ? o + 8 : NULL;
	return rest && strcmp(rest, h) == 0;
}

static void session_json(nng_aio *aio, const gw_session *s, const char *set_cookie)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	fputs("{\"staff\":", f);
	pbjson_print(f, &s->login->staff->base, 0);
	fprintf(f, ",\"csrf\":\"%s\",\"expires_ms\":%lld}", s->csrf, (long long)s->login->expires_ms);
	fclose(f);
	gw_reply(aio, 200, "application/json", body, len, set_cookie);
	free(body);
}

static void cookie(char *buf, size_t len, const char *sid, int clear)
{
	snprintf(buf, len, "aedesk_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", clear ? "" : sid,
	    gw.secure_cookie ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

static void login(nng_aio *aio, nng_http_req *req)
{
	void *data;
	size_t len;
	nng_http_req_get_data(req, &data, &len);
	ProtobufCMessage *m;
	char err[512];
	if (pbjson_parse(&aedesk__login_request__descriptor, data, len, &m, err, sizeof err) != 0) {
		refuse(aio, AEDESK__STATUS__INVALID_ARGUMENT, err);
		return;
	}
	Aedesk__Status st;
	char msg[1024];
	ProtobufCMessage *r = NULL;
	int rc = gw_call("registry", m, NULL, gw_lang(req), &st, msg, sizeof msg, &r);
	protobuf_c_message_free_unpacked(m, NULL);
	if (rc != 0 || st != AEDESK__STATUS__OK) {
		refuse(aio, rc != 0 ? AEDESK__STATUS__UNAVAILABLE : st, msg);
		wire_free(r);
		return;
	}
	gw_session s;
	if (gw_session_create((Aedesk__LoginReply *)r, &s) != 0) {
		wire_free(r);
		refuse_t(aio, req, AEDESK__STATUS__INTERNAL, "无法保存会话", "cannot keep the session");
		return;
	}
	wire_free(r);
	char c[256];
	cookie(c, sizeof c, s.sid, 0);
	log_info("%s logged in to the console", s.login->staff->id);
	session_json(aio, &s, c);
	gw_session_free(&s);
}

static int csrf_ok(nng_http_req *req, const gw_session *s)
{
	const char *t = nng_http_req_get_header(req, "X-CSRF-Token");
	return t && strlen(t) == GW_CSRF_HEX && sodium_memcmp(t, s->csrf, GW_CSRF_HEX) == 0;
}

static void forward(nng_aio *aio, nng_http_req *req, const char *service, const char *type, gw_session *s)
{
	const ProtobufCMessageDescriptor *d = NULL;
	size_t tl = strlen(type);
	for (size_t i = 0; i < NTYPES && !d; i++)
		if (strcmp(gw_types[i].service, service) == 0 && strcmp(gw_types[i].d->short_name, type) == 0)
			d = gw_types[i].d;
	if (!d || tl < 8 || strcmp(type + tl - 7, "Request") != 0 || strcmp(type, "LoginRequest") == 0 ||
	    strcmp(type, "TokenRenewRequest") == 0) {
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "没有这个请求：%s/%s", service, type);
		snprintf(en, sizeof en, "no such request: %s/%s", service, type);
		refuse_t(aio, req, AEDESK__STATUS__NOT_FOUND, zh, en);
		return;
	}
	void *data;
	size_t len;
	nng_http_req_get_data(req, &data, &len);
	ProtobufCMessage *m;
	char err[512];
	if (pbjson_parse(d, len ? data : "{}", len ? len : 2, &m, err, sizeof err) != 0) {
		refuse(aio, AEDESK__STATUS__INVALID_ARGUMENT, err);
		return;
	}
	Aedesk__Status st;
	char msg[1024];
	ProtobufCMessage *r = NULL;
	int rc = gw_call(service, m, s, gw_lang(req), &st, msg, sizeof msg, &r);
	protobuf_c_message_free_unpacked(m, NULL);
	if (rc != 0)
		refuse(aio, AEDESK__STATUS__UNAVAILABLE, msg);
	else if (st != AEDESK__STATUS__OK) {
		/* A token the services no longer take (revoked, expired): the session is over. */
		if (st == AEDESK__STATUS__UNAUTHENTICATED)
			gw_session_delete(s->sid);
		refuse(aio, st, msg);
	} else {
		reply_message(aio, r, NULL);
		gw_session_renew(s);
	}
	wire_free(r);
}

void gw_api(nng_aio *aio, nng_http_req *req)
{
	const char *method = nng_http_req_get_method(req);
	const char *uri = nng_http_req_get_uri(req);
	char path[256];
	size_t n = strcspn(uri, "?#");
	if (n >= sizeof path)
		n = sizeof path - 1;
	memcpy(path, uri, n);
	path[n] = 0;
	int post = strcmp(method, "POST") == 0, get = strcmp(method, "GET") == 0;

	if (post && !same_origin(req)) {
		refuse_t(aio, req, AEDESK__STATUS__PERMISSION_DENIED, "请求来自其他网站，已拒绝",
		    "refused: the request comes from another site");
		return;
	}
	if (post && strcmp(path, "/api/login") == 0) {
		login(aio, req);
		return;
	}
	gw_session s;
	if (gw_session_get(req, &s) != 0) {
		refuse_t(aio, req, AEDESK__STATUS__UNAUTHENTICATED, "请先登录", "please log in");
		return;
	}
	if (get && strcmp(path, "/api/session") == 0) {
		session_json(aio, &s, NULL);
	} else if (get && strcmp(path, "/api/events") == 0) {
		gw_stream_open(aio, req, nng_aio_get_input(aio, 2));
	} else if (!post) {
		refuse_t(aio, req, AEDESK__STATUS__INVALID_ARGUMENT, "只接受 POST", "only POST here");
	} else if (!csrf_ok(req, &s)) {
		refuse_t(aio, req, AEDESK__STATUS__PERMISSION_DENIED, "缺少或错误的 CSRF 令牌，请刷新页面",
		    "missing or wrong CSRF token: reload the page");
	} else if (strcmp(path, "/api/logout") == 0) {
		gw_session_delete(s.sid);
		char c[256];
		cookie(c, sizeof c, "", 1);
		log_info("%s logged out of the console", s.login->staff->id);
		gw_reply(aio, 200, "application/json", "{}", 2, c);
	} else {
		char service[32], type[96];
		const char *p = path + 5; /* after "/api/" */
		const char *slash = strncmp(path, "/api/", 5) == 0 ? strchr(p, '/') : NULL;
		if (!slash || (size_t)(slash - p) >= sizeof service || strlen(slash + 1) >= sizeof type ||
		    strchr(slash + 1, '/')) {
			refuse_t(aio, req, AEDESK__STATUS__NOT_FOUND, "没有这个地址", "no such address");
		} else {
			memcpy(service, p, (size_t)(slash - p));
			service[slash - p] = 0;
			snprintf(type, sizeof type, "%s", slash + 1);
			forward(aio, req, service, type, &s);
		}
	}
	gw_session_free(&s);
}
