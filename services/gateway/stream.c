/*
 * NAME
 *	stream.c - GET /api/events: the live inbox as Server-Sent Events
 *
 * DESCRIPTION
 *	One SUB socket on the scheduler's PUB, subscribed to "notify/", marks the streams
 *	of the staff member a notification is for. Each stream has a thread of its own that
 *	never sends what was published: it asks the scheduler's inbox (InboxListRequest,
 *	after_id = the last id it sent, with the session's token) for everything newer and
 *	sends that, so what was published while the browser or the gateway was away is
 *	sent all the same. It asks when marked, when the SUB (re)connects, and every
 *	gateway.stream_poll_ms (default 15 s) whatever happens, with a ": ping" comment
 *	that also finds a browser that has gone.
 *
 *	Where it starts: the Last-Event-ID header (EventSource sends it on every
 *	reconnect), else ?since=<id> (the id of the newest notification the page has
 *	shown), else the newest notification now. Events:
 *	  id: N0000012
 *	  event: notification
 *	  data: {...Notification as JSON...}
 *	The stream ends when the session does (logout, expiry, a token refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway.h"

#include <nng/protocol/pubsub0/sub.h>

#include "log.h"
#include "pbjson.h"
#include "scheduler.pb-c.h"
#include "wire.h"

struct stream {
	struct stream *next;
	nng_http_conn *conn;
	nng_http_req *req;
	nng_aio *aio;
	char staff[64];
	char last[40];
	int dirty;
};

static struct {
	nng_socket sub;
	nng_aio *rx;
	int open;
	struct stream *list;
	int count;
	int stopping;
	int64_t poll_ms;
	pthread_cond_t cv;   /* with gw.mu: a stream is marked, or stopping */
} ss = {.cv = PTHREAD_COND_INITIALIZER};

static void mark(const char *staff)
{
	pthread_mutex_lock(&gw.mu);
	for (struct stream *s = ss.list; s; s = s->next)
		if (!staff || strcmp(s->staff, staff) == 0)
			s->dirty = 1;
	pthread_cond_broadcast(&ss.cv);
	pthread_mutex_unlock(&gw.mu);
}

static void on_rx(void *arg)
{
	(void)arg;
	if (nng_aio_result(ss.rx) != 0)
		return; /* closed */
	nng_msg *m = nng_aio_get_msg(ss.rx);
	const char *b = nng_msg_body(m);
	size_t n = nng_msg_len(m);
	char staff[64] = "";
	/* topic "notify/<staff>/" then the envelope */
	if (n > 7 && memcmp(b, "notify/", 7) == 0) {
		const char *e = memchr(b + 7, '/', n - 7);
		if (e && (size_t)(e - b - 7) < sizeof staff) {
			memcpy(staff, b + 7, (size_t)(e - b - 7));
			staff[e - b - 7] = 0;
		}
	}
	nng_msg_free(m);
	if (staff[0])
		mark(staff);
	nng_recv_aio(ss.sub, ss.rx);
}

static void on_pipe(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void)p, (void)ev, (void)arg;
	mark(NULL); /* (re)connected: whatever was missed is asked for */
}

int gw_stream_start(void)
{
	char url[512];
	int rv;
	ss.poll_ms = conf_int_or_die(gw.conf, "gateway.stream_poll_ms", 15000, 100, 3600000);
	if ((rv = nng_sub0_open(&ss.sub)) != 0)
		return rv;
	nng_socket_set_size(ss.sub, NNG_OPT_RECVMAXSZ, 1 << 20);
	nng_socket_set(ss.sub, NNG_OPT_SUB_SUBSCRIBE, "notify/", 7);
	nng_socket_set_ms(ss.sub, NNG_OPT_RECONNMINT, 50);
	nng_socket_set_ms(ss.sub, NNG_OPT_RECONNMAXT, 1000);
	nng_pipe_notify(ss.sub, NNG_PIPE_EV_ADD_POST, on_pipe, NULL);
	if ((rv = nng_aio_alloc(&ss.rx, on_rx, NULL)) != 0 ||
	    conf_endpoint(gw.conf, "scheduler", "pub", url, sizeof url) != 0 ||
	    (rv = nng_dial(ss.sub, url, NULL, NNG_FLAG_NONBLOCK)) != 0) {
		log_error("live inbox: cannot subscribe to the scheduler: %s", nng_strerror(rv));
		if (ss.rx)
			nng_aio_free(ss.rx);
		ss.rx = NULL;
		nng_close(ss.sub);
		return rv ? rv : NNG_EINVAL;
	}
	ss.open = 1;
	nng_recv_aio(ss.sub, ss.rx);
	return 0;
}

/* send_all writes len bytes to the browser; -1 when it has gone. */
static int send_all(struct stream *s, const char *buf, size_t len)
{
	nng_iov iov = {.iov_buf = (void *)buf, .iov_len = len};
	nng_aio_set_iov(s->aio, 1, &iov);
	nng_aio_set_timeout(s->aio, 10000);
	nng_http_conn_write_all(s->conn, s->aio);
	nng_aio_wait(s->aio);
	return nng_aio_result(s->aio) == 0 ? 0 : -1;
}

/*
 * catch_up sends every notification after s->last. Returns 0, 1 when the session is
 * over (the stream must end), or -1 when the browser has gone.
 */
static int catch_up(struct stream *s, int first)
{
	gw_session sess;
	if (gw_session_get(s->req, &sess) != 0)
		return 1;
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	int start_now = first && !s->last[0];
	q.after_id = s->last;
	q.all = 1;
	q.unread = start_now;
	q.limit = start_now ? 1 : 200;
	Aedesk__Status st;
	char msg[512];
	Aedesk__InboxListReply *r = NULL;
	int rc = gw_call("scheduler", &q.base, &sess, "zh", &st, msg, sizeof msg, (ProtobufCMessage **)&r);
	gw_session_free(&sess);
	if (rc != 0)
		return 0; /* the scheduler is away: asked again on reconnect or poll */
	if (st == AEDESK__STATUS__UNAUTHENTICATED)
		return 1;
	if (st != AEDESK__STATUS__OK || !r) {
		wire_free(r ? &r->base : NULL);
		return 0;
	}
	int out = 0;
	if (start_now) {
		snprintf(s->last, sizeof s->last, "%s", r->last_id);
	} else {
		for (size_t i = 0; i < r->n_notifications && out == 0; i++) {
			char *body = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&body, &len);
			if (!f) {
				out = -1;
				break;
			}
			fprintf(f, "id: %s\nevent: notification\ndata: ", r->notifications[i]->id);
			pbjson_print(f, &r->notifications[i]->base, 0);
			fputs("\n\n", f);
			fclose(f);
			if (send_all(s, body, len) == 0)
				snprintf(s->last, sizeof s->last, "%s", r->notifications[i]->id);
			else
				out = -1;
			free(body);
		}
	}
	wire_free(&r->base);
	return out;
}

static void *run(void *arg)
{
	struct stream *s = arg;
	static const char head[] =
	    "HTTP/1.1 200 OK\r\n"
	    "Content-Type: text/event-stream; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
	    "Connection: close\r\n\r\n"
	    "retry: 2000\n\n";
	int rc = send_all(s, head, sizeof head - 1) == 0 ? catch_up(s, 1) : -1;
	while (rc == 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ss.poll_ms / 1000;
		until.tv_nsec += (ss.poll_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&gw.mu);
		int timedout = 0;
		while (!s->dirty && !ss.stopping && !timedout)
			timedout = pthread_cond_timedwait(&ss.cv, &gw.mu, &until) != 0;
		int stop = ss.stopping;
		s->dirty = 0;
		pthread_mutex_unlock(&gw.mu);
		if (stop)
			break;
		rc = catch_up(s, 0);
		if (rc == 0 && timedout)
			rc = send_all(s, ": ping\n\n", 8);
	}
	gw_api_close();
	pthread_mutex_lock(&gw.mu);
	for (struct stream **p = &ss.list; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	ss.count--;
	pthread_cond_broadcast(&ss.cv);
	pthread_mutex_unlock(&gw.mu);
	nng_http_conn_close(s->conn);
	nng_http_req_free(s->req);
	nng_aio_free(s->aio);
	free(s);
	return NULL;
}

void gw_stream_open(nng_aio *aio, nng_http_req *req, nng_http_conn *conn)
{
	gw_session sess;
	if (gw_session_get(req, &sess) != 0) {
		gw_reply(aio, 401, "application/json", "{\"status\":\"UNAUTHENTICATED\"}", 28, NULL);
		return;
	}
	struct stream *s = calloc(1, sizeof *s);
	pthread_mutex_lock(&gw.mu);
	int full = ss.count >= gw.max_streams || ss.stopping || !ss.open;
	pthread_mutex_unlock(&gw.mu);
	if (!s || full || nng_aio_alloc(&s->aio, NULL, NULL) != 0) {
		free(s);
		gw_session_free(&sess);
		gw_reply(aio, 503, "application/json", "{\"status\":\"RESOURCE_EXHAUSTED\"}", 31, NULL);
		return;
	}
	snprintf(s->staff, sizeof s->staff, "%s", sess.login->staff->id);
	gw_session_free(&sess);
	const char *since = nng_http_req_get_header(req, "Last-Event-ID");
	const char *uri = nng_http_req_get_uri(req), *qs = strstr(uri, "since=");
	char buf[40] = "";
	if (since && strlen(since) < sizeof buf)
		snprintf(buf, sizeof buf, "%s", since);
	else if (qs) {
		size_t n = strcspn(qs + 6, "&#");
		if (n < sizeof buf) {
			memcpy(buf, qs + 6, n);
			buf[n] = 0;
		}
	}
	/* an id is N followed by digits; anything else starts from now */
	int ok = buf[0] == 'N' && buf[1];
	for (const char *p = buf + 1; ok && *p; p++)
		ok = *p >= '0' && *p <= '9';
	snprintf(s->last, sizeof s->last, "%s", ok ? buf : "");
	s->conn = conn;
	s->req = req;
	nng_http_hijack(conn);
	pthread_mutex_lock(&gw.mu);
	s->next = ss.list;
	ss.list = s;
	ss.count++;
	pthread_mutex_unlock(&gw.mu);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_t th;
	if (pthread_create(&th, &at, run, s) != 0) {
		pthread_mutex_lock(&gw.mu);
		ss.list = s->next;
		ss.count--;
		pthread_mutex_unlock(&gw.mu);
		nng_http_conn_close(conn);
		nng_http_req_free(req);
		nng_aio_free(s->aio);
		free(s);
	}
	pthread_attr_destroy(&at);
	/* The server lets go of the connection: no response of its own. */
	nng_aio_set_output(aio, 0, NULL);
	nng_aio_finish(aio, 0);
}

/* gw_stream_stop ends every stream (waiting for their threads) and the subscription. */
void gw_stream_stop(void)
{
	pthread_mutex_lock(&gw.mu);
	ss.stopping = 1;
	pthread_cond_broadcast(&ss.cv);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2; /* within the skeleton's 5 s stop watchdog */
	while (ss.count > 0)
		if (pthread_cond_timedwait(&ss.cv, &gw.mu, &until) != 0)
			break;
	pthread_mutex_unlock(&gw.mu);
	if (ss.open) {
		nng_aio_stop(ss.rx);
		nng_close(ss.sub);
		nng_aio_free(ss.rx);
		ss.open = 0;
	}
}
