/*
 * NAME
 *	gateway.h - aedesk-gateway: the staff console's HTTP server, shared parts
 *
 * DESCRIPTION
 *	http.c owns NNG's HTTP server and a pool of worker threads: an NNG callback never
 *	blocks, it queues the request for a worker, which may wait on a service. api.c
 *	turns POST /api/<service>/<Request> into that request (pbjson_parse) sent with the
 *	session's token, and the reply back into JSON. session.c keeps sessions in the
 *	gateway's LMDB table (they survive a restart). stream.c serves GET /api/events,
 *	the live inbox as Server-Sent Events.
 */
#ifndef AEDESK_GATEWAY_H
#define AEDESK_GATEWAY_H

#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <pthread.h>
#include <stdint.h>

#include "client.h"
#include "registry.pb-c.h"
#include "svc.h"

#define GW_SID_HEX 64   /* the session cookie: 32 random bytes in hex */
#define GW_CSRF_HEX 64

struct gateway {
	svc *svc;
	const conf *conf;
	store *store;
	MDB_dbi sessions;
	char console_dir[512];
	char url[300];          /* where it listens, e.g. http://127.0.0.1:8080 */
	int timeout_ms;
	int secure_cookie;      /* gateway.secure_cookie: add "Secure" (behind TLS) */
	int max_streams;
	int64_t now_offset_ms;  /* none: sessions use the system clock */
	pthread_mutex_t mu;     /* sessions writes, stream list */
	int stopping;
};

extern struct gateway gw;

/* A session as stored: the CSRF token and the registry's LoginReply (token, staff). */
typedef struct gw_session {
	char sid[GW_SID_HEX + 1];
	char csrf[GW_CSRF_HEX + 1];
	Aedesk__LoginReply *login;   /* owned */
} gw_session;

/* http.c */
int gw_http_start(const char *listen);
void gw_http_stop(void);
/* gw_security_headers: CSP and friends, on every response the gateway makes. */
int gw_security_headers(nng_http_res *res);
/* gw_reply_json answers with a status and a JSON body (copied). */
void gw_reply(nng_aio *aio, uint16_t code, const char *ctype, const char *body, size_t len,
    const char *set_cookie);
/* gw_cookie: the value of cookie name in the request, copied into buf; -1 if absent. */
int gw_cookie(nng_http_req *req, const char *name, char *buf, size_t len);
const char *gw_lang(nng_http_req *req);

/* session.c */
int gw_session_create(const Aedesk__LoginReply *login, gw_session *out);
/* gw_session_get: the session of the request's cookie, 0, or -1 (none, expired). */
int gw_session_get(nng_http_req *req, gw_session *out);
int gw_session_update(gw_session *s);
void gw_session_delete(const char *sid);
void gw_session_free(gw_session *s);
int gw_session_purge(svc_req *r);
/* gw_session_renew exchanges the token for a fresh one once half its life is over. */
void gw_session_renew(gw_session *s);

/* api.c */
void gw_api(nng_aio *aio, nng_http_req *req);
/* gw_call sends a request to service with the session's token (NULL: none). */
int gw_call(const char *service, const ProtobufCMessage *q, const gw_session *s, const char *lang,
    Aedesk__Status *st, char *msg, size_t msglen, ProtobufCMessage **reply);
uint16_t gw_http_status(Aedesk__Status st);
void gw_api_close(void);

/* stream.c */
int gw_stream_start(void);
void gw_stream_stop(void);
/* gw_stream_open takes over the connection of GET /api/events (hijacked). */
void gw_stream_open(nng_aio *aio, nng_http_req *req, nng_http_conn *conn);

#endif
