/*
 * NAME
 *	watch.c - heartbeats in, each service's state, alerts and history out
 *
 * DESCRIPTION
 *	Its own SUB socket (not the skeleton's sources, which are for outbox events) dials
 *	every watched service's pub endpoint and subscribes "<service>/_heartbeat". The
 *	callback keeps only the latest heartbeat's bytes; the tick (every 200 ms, in a
 *	write transaction of its own) turns them into a StatusService per service:
 *
 *	  up        heard within silent_periods x heartbeat_ms (a status service that
 *	            just started gives every service that long before calling it down)
 *	  since     up: when the process started; down: when it was last heard
 *	  lag       per consumer cursor: the source's last seq (from the source's own
 *	            latest heartbeat) minus the cursor
 *	  stalled   up, but its periodic work (tick) has not completed for status.stall_ms
 *	            (default 60 s, at least 10 periods): e.g. a scheduler that stopped firing
 *	  lagging   lag >= status.lag_events, or behind with a cursor that has not moved
 *	            for status.lag_ms; only for a service that is up (a silent one has
 *	            its own alert)
 *	  store     store_bytes / map_bytes, alert at status.store_alert_pct
 *
 *	Alerts and up/down changes are decided against the state stored in st_state, in
 *	the tick's transaction: a tick that is aborted (a full map) is redone and raises
 *	the same events once. Each raised or cleared alert is an outbox event (AlertRaised,
 *	AlertCleared), a log line and a history record.
 *
 * DIAGNOSTICS
 *	warn "alert raised: <service> <kind>: <detail>"; info "alert cleared: ...";
 *	info "<service> is up|down". No agency data is ever logged: only service names
 *	and figures.
 */
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/sub.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "transport.h"

#ifndef AEDESK_SERVICE_LIST
#define AEDESK_SERVICE_LIST "registry,status"
#endif

struct status status = {.mu = PTHREAD_MUTEX_INITIALIZER};

static const char *const alert_names[ALERT_KINDS] = {"silent", "lag", "store", "stalled"};

const char *status_alert_name(int kind) { return alert_names[kind]; }

static struct watched *find_watched(const char *name, size_t len)
{
	for (int i = 0; i < status.n; i++)
		if (strlen(status.w[i].name) == len && memcmp(status.w[i].name, name, len) == 0)
			return &status.w[i];
	return NULL;
}

/* take_heartbeat keeps the Health bytes of one "<service>/_heartbeat\0<envelope>" body. */
static void take_heartbeat(const uint8_t *b, size_t len)
{
	const uint8_t *nul = memchr(b, 0, len);
	if (!nul)
		return;
	const char *topic = (const char *)b, *slash = strchr(topic, '/');
	if (!slash || strcmp(slash, "/_heartbeat") != 0)
		return;
	Aedesk__Envelope *e = wire_envelope_unpack(nul + 1, len - (size_t)(nul + 1 - b), NULL);
	if (!e)
		return;
	size_t nl = (size_t)(slash - topic);
	if (strcmp(e->type, aedesk__health__descriptor.name) == 0 && strlen(e->source) == nl &&
	    memcmp(e->source, topic, nl) == 0 &&
	    wire_check(&aedesk__health__descriptor, e->payload.data, e->payload.len, NULL) == 0) {
		uint8_t *copy = malloc(e->payload.len ? e->payload.len : 1);
		if (copy) {
			memcpy(copy, e->payload.data, e->payload.len);
			pthread_mutex_lock(&status.mu);
			struct watched *w = find_watched(topic, nl);
			if (w) {
				free(w->hb);
				w->hb = copy;
				w->hblen = e->payload.len;
				w->hb_ms = wire_now_ms();
				copy = NULL;
			}
			pthread_mutex_unlock(&status.mu);
			free(copy);
		}
	}
	wire_free(&e->base);
}

/* sub_cb runs on an NNG thread: it only hands the message over and waits for the next. */
static void sub_cb(void *arg)
{
	(void)arg;
	int rv = nng_aio_result(status.aio);
	if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
		return;
	if (rv == 0) {
		nng_msg *m = nng_aio_get_msg(status.aio);
		take_heartbeat(nng_msg_body(m), nng_msg_len(m));
		nng_msg_free(m);
	}
	nng_recv_aio(status.sub, status.aio);
}

/* conf_ms: a setting of at least min; a bad value stops the service naming the key. */
static int64_t conf_ms(const conf *c, const char *key, int64_t dflt, int64_t min)
{
	return conf_int_or_die(c, key, dflt, min, INT64_MAX);
}

/*
 * status_open reads the settings, loads the stored state of each watched service,
 * dials their heartbeats and starts HTTP. Runs once, in the start-up transaction.
 */
int status_open(svc *s, svc_req *r)
{
	const conf *c = svc_conf(s);
	status.started_ms = r->now_ms;
	status.heartbeat_ms = conf_ms(c, "heartbeat_ms", 2000, 10);
	status.silent_periods = (int)conf_ms(c, "status.silent_periods", 3, 1);
	status.lag_events = (uint64_t)conf_ms(c, "status.lag_events", 1000, 1);
	status.lag_ms = conf_ms(c, "status.lag_ms", 60000, 0);
	status.store_pct = (int)conf_ms(c, "status.store_alert_pct", 80, 1);
	status.stall_ms = conf_ms(c, "status.stall_ms", 60000, 1000);
	status.sample_ms = conf_ms(c, "status.sample_ms", 60000, 100);
	status.keep_ms = conf_ms(c, "status.history_days", 90, 1) * 86400000;

	char list[1024];
	snprintf(list, sizeof list, "%s", conf_get(c, "services", AEDESK_SERVICE_LIST));
	if (!strstr(list, "status")) /* it watches itself too: its own heartbeat proves the loop runs */
		strncat(list, ",status", sizeof list - strlen(list) - 1);
	for (char *save, *n = strtok_r(list, ", ", &save); n; n = strtok_r(NULL, ", ", &save)) {
		if (status.n == STATUS_MAX_WATCHED || strlen(n) >= sizeof status.w[0].name ||
		    find_watched(n, strlen(n)))
			continue;
		struct watched *w = &status.w[status.n++];
		snprintf(w->name, sizeof w->name, "%s", n);
		ProtobufCMessage *m = NULL;
		if (store_get_msg(r->txn, status.state, n, strlen(n), &aedesk__status_service__descriptor, &m) == 0)
			w->st = (Aedesk__StatusService *)m;
	}

	int rv;
	if ((rv = nng_sub0_open(&status.sub)) != 0 || (rv = nng_aio_alloc(&status.aio, sub_cb, NULL)) != 0) {
		log_error("cannot open the heartbeat socket: %s", nng_strerror(rv));
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "无法打开心跳套接字", "cannot open the heartbeat socket");
	}
	status.sub_open = 1;
	nng_socket_set_size(status.sub, NNG_OPT_RECVMAXSZ, 65536);
	nng_socket_set_int(status.sub, NNG_OPT_RECVBUF, 1024);
	for (int i = 0; i < status.n; i++) {
		char topic[64], url[512];
		snprintf(topic, sizeof topic, "%s/_heartbeat", status.w[i].name);
		nng_socket_set(status.sub, NNG_OPT_SUB_SUBSCRIBE, topic, strlen(topic));
		conf_endpoint(c, status.w[i].name, "pub", url, sizeof url);
		if ((rv = transport_dial(status.sub, url, NULL, NNG_FLAG_NONBLOCK)) != 0) /* tls+tcp too */
			log_warn("cannot dial %s for heartbeats: %s", url, nng_strerror(rv));
	}
	nng_recv_aio(status.sub, status.aio);
	log_info("watching %d service(s), silent after %d x %" PRId64 " ms", status.n,
	    status.silent_periods, status.heartbeat_ms);

	const char *listen = conf_get(c, "status.http", "127.0.0.1:9464");
	if (*listen && strcmp(listen, "off") != 0 &&
	    status_http_start(listen, status.http_url, sizeof status.http_url) != 0)
		log_error("HTTP is off: cannot listen on %s (status.http)", listen);
	return 0;
}

void status_close(svc *s)
{
	(void)s;
	status_http_stop();
	if (status.sub_open) {
		nng_aio_stop(status.aio);
		nng_close(status.sub);
		nng_aio_free(status.aio);
		status.sub_open = 0;
	}
	for (int i = 0; i < status.n; i++) {
		free(status.w[i].hb);
		wire_free(status.w[i].st ? &status.w[i].st->base : NULL);
		status.w[i].hb = NULL;
		status.w[i].st = NULL;
	}
}

/* ---- the tick ---- */

static int history_put(svc_req *r, const char *service, const char *what, Aedesk__Health *h)
{
	Aedesk__StatusHistoryRecord rec = AEDESK__STATUS_HISTORY_RECORD__INIT;
	rec.service = (char *)service;
	rec.what = (char *)what;
	rec.health = h;
	/* be64(ms) . service '/' what: two records of one service in one tick differ. */
	char key[8 + 32 + 1 + 32];
	int kl = snprintf(key + 8, sizeof key - 8, "%s/%s", service, what);
	store_be64((uint8_t *)key, (uint64_t)r->now_ms);
	int rc = store_put_msg(r->txn, status.history, key, 8 + (size_t)kl, &rec.base, 0);
	return rc ? svc_db_error(r, rc, "history") : 0;
}

static int has_alert(const Aedesk__StatusService *st, const char *kind, int64_t *since)
{
	for (size_t i = 0; st && i < st->n_alerts; i++)
		if (strcmp(st->alerts[i], kind) == 0) {
			if (since)
				*since = i < st->n_alert_since_ms ? st->alert_since_ms[i] : 0;
			return 1;
		}
	return 0;
}

static Aedesk__StatusConsumer *find_consumer(const Aedesk__StatusService *st, const char *source)
{
	for (size_t i = 0; st && i < st->n_consumers; i++)
		if (strcmp(st->consumers[i]->source, source) == 0)
			return st->consumers[i];
	return NULL;
}

static void alert_detail(int kind, const Aedesk__StatusService *ns, int64_t now, char *buf, size_t len)
{
	if (kind == ALERT_SILENT)
		snprintf(buf, len, "no heartbeat for %.1f s (%d periods of %" PRId64 " ms)",
		    (double)(now - (ns->last_seen_ms ? ns->last_seen_ms : status.started_ms)) / 1000,
		    status.silent_periods, status.heartbeat_ms);
	else if (kind == ALERT_LAG)
		snprintf(buf, len, "a consumer is %" PRIu64 " event(s) behind its source", ns->max_lag);
	else if (kind == ALERT_STALLED)
		snprintf(buf, len, "its periodic work (every %" PRId64 " ms) has not completed for %.1f s",
		    ns->health ? ns->health->tick_ms : 0,
		    ns->health ? (double)(ns->health->sent_ms - ns->health->last_tick_ms) / 1000 : 0.0);
	else
		snprintf(buf, len, "store uses %.1f%% of its map", ns->store_use_permille / 10.0);
}

/* alerts_update raises and clears ns's alerts against the stored state old. */
static int alerts_update(svc_req *r, Aedesk__StatusService *ns, const Aedesk__StatusService *old,
    const int want[ALERT_KINDS], char **names, int64_t *since)
{
	for (int k = 0; k < ALERT_KINDS; k++) {
		int64_t was_since = 0;
		int was = has_alert(old, alert_names[k], &was_since);
		char detail[160], what[32];
		alert_detail(k, ns, r->now_ms, detail, sizeof detail);
		if (want[k] && !was) {
			Aedesk__AlertRaised ev = AEDESK__ALERT_RAISED__INIT;
			ev.service = ns->service;
			ev.kind = (char *)alert_names[k];
			ev.detail = detail;
			ev.since_ms = r->now_ms;
			if (svc_emit(r, &ev.base) != 0)
				return -1;
			log_warn("alert raised: %s %s: %s", ns->service, alert_names[k], detail);
			snprintf(what, sizeof what, "alert:%s", alert_names[k]);
			if (history_put(r, ns->service, what, ns->health) != 0)
				return -1;
			was_since = r->now_ms;
		} else if (!want[k] && was) {
			Aedesk__AlertCleared ev = AEDESK__ALERT_CLEARED__INIT;
			ev.service = ns->service;
			ev.kind = (char *)alert_names[k];
			ev.detail = k == ALERT_SILENT ? (char *)"heartbeats again" : detail;
			ev.raised_ms = was_since;
			if (svc_emit(r, &ev.base) != 0)
				return -1;
			log_info("alert cleared: %s %s: %s", ns->service, alert_names[k], ev.detail);
			snprintf(what, sizeof what, "clear:%s", alert_names[k]);
			if (history_put(r, ns->service, what, ns->health) != 0)
				return -1;
		}
		if (want[k]) {
			names[ns->n_alerts] = (char *)alert_names[k];
			since[ns->n_alerts] = was_since;
			ns->n_alerts++;
		}
	}
	ns->alerts = names;
	ns->alert_since_ms = since;
	ns->n_alert_since_ms = ns->n_alerts;
	return 0;
}

static int same_alerts(const Aedesk__StatusService *a, const Aedesk__StatusService *b)
{
	if (!a || !b || a->n_alerts != b->n_alerts)
		return 0;
	for (size_t i = 0; i < a->n_alerts; i++)
		if (!has_alert(b, a->alerts[i], NULL))
			return 0;
	return 1;
}

/* prune_history deletes records older than status.history_days, a bounded number a call. */
static int prune_history(svc_req *r)
{
	MDB_cursor *c;
	int rc = mdb_cursor_open(r->txn, status.history, &c), n = 0;
	if (rc)
		return svc_db_error(r, rc, "history cursor");
	MDB_val k, v;
	uint64_t cutoff = (uint64_t)(r->now_ms - status.keep_ms);
	while (n < 1000 && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0 && k.mv_size >= 8 &&
	       store_from_be64(k.mv_data) < cutoff) {
		if ((rc = mdb_cursor_del(c, 0)) != 0)
			break;
		n++;
	}
	mdb_cursor_close(c);
	return rc && rc != MDB_NOTFOUND ? svc_db_error(r, rc, "history prune") : 0;
}

/*
 * status_tick turns the heartbeats that arrived into each service's new state (see the
 * header for the rules), records changes, and only when all of that is in the
 * transaction swaps the new states in for the handler and HTTP to see.
 */
int status_tick(svc *s, svc_req *r)
{
	(void)s;
	int n = status.n, rc = 0;
	int64_t now = r->now_ms;
	uint8_t *hb[STATUS_MAX_WATCHED] = {0};
	size_t hblen[STATUS_MAX_WATCHED];
	int64_t hbms[STATUS_MAX_WATCHED];
	Aedesk__Health *fresh[STATUS_MAX_WATCHED] = {0}, *hp[STATUS_MAX_WATCHED];
	Aedesk__StatusService *next[STATUS_MAX_WATCHED] = {0};

	pthread_mutex_lock(&status.mu);
	for (int i = 0; i < n; i++) {
		hb[i] = status.w[i].hb;
		hblen[i] = status.w[i].hblen;
		hbms[i] = status.w[i].hb_ms;
		status.w[i].hb = NULL;
	}
	pthread_mutex_unlock(&status.mu);
	/* The state below is read and replaced only by this thread: no lock needed to read it. */
	for (int i = 0; i < n; i++) {
		if (hb[i])
			fresh[i] = (Aedesk__Health *)wire_unpack(&aedesk__health__descriptor, hb[i], hblen[i], NULL);
		hp[i] = fresh[i] ? fresh[i] : status.w[i].st ? status.w[i].st->health : NULL;
	}

	int64_t grace = status.silent_periods * status.heartbeat_ms;
	for (int i = 0; i < n && rc == 0; i++) {
		struct watched *w = &status.w[i];
		const Aedesk__StatusService *mem = w->st;
		Aedesk__StatusService *old = NULL;
		store_get_msg(r->txn, status.state, w->name, strlen(w->name), &aedesk__status_service__descriptor,
		    (ProtobufCMessage **)&old);
		Aedesk__StatusService ns = AEDESK__STATUS_SERVICE__INIT;
		Aedesk__Health *h = hp[i];
		ns.service = w->name;
		ns.health = h;
		ns.known = h != NULL;
		ns.last_seen_ms = fresh[i] ? hbms[i] : mem ? mem->last_seen_ms : 0;
		int64_t seen = ns.last_seen_ms > status.started_ms ? ns.last_seen_ms : status.started_ms;
		ns.up = ns.known && now - seen < grace;
		ns.since_ms = ns.up ? h->started_ms : ns.last_seen_ms ? ns.last_seen_ms : status.started_ms;

		Aedesk__StatusConsumer cons[16], *consp[16];
		size_t nc = h ? (h->n_cursors < 16 ? h->n_cursors : 16) : 0;
		int want[ALERT_KINDS] = {0};
		for (size_t j = 0; j < nc; j++) {
			Aedesk__StatusConsumer *c = &cons[j];
			aedesk__status_consumer__init(c);
			c->source = h->cursors[j]->source;
			c->cursor = h->cursors[j]->seq;
			for (int k = 0; k < n; k++)
				if (hp[k] && strcmp(status.w[k].name, c->source) == 0)
					c->source_seq = hp[k]->last_seq;
			c->lag = c->source_seq > c->cursor ? c->source_seq - c->cursor : 0;
			const Aedesk__StatusConsumer *was = find_consumer(mem, c->source);
			c->stuck_since_ms = c->lag == 0 ? 0
			    : was && was->cursor == c->cursor && was->stuck_since_ms ? was->stuck_since_ms
										     : now;
			c->lagging = ns.up && c->lag > 0 &&
			    (c->lag >= status.lag_events || now - c->stuck_since_ms >= status.lag_ms);
			if (c->lag > ns.max_lag)
				ns.max_lag = c->lag;
			want[ALERT_LAG] |= c->lagging;
			consp[j] = c;
		}
		ns.consumers = consp;
		ns.n_consumers = nc;
		if (h && h->map_bytes)
			ns.store_use_permille = (uint32_t)(h->store_bytes * 1000 / h->map_bytes);
		want[ALERT_SILENT] = !ns.up && (ns.known || now - status.started_ms >= grace);
		want[ALERT_STORE] = ns.store_use_permille >= (uint32_t)status.store_pct * 10;
		/* A service with periodic work (the scheduler firing reminders) that is up but
		 * whose work has not completed for status.stall_ms (or 10 periods, if longer). */
		if (ns.up && h && h->tick_ms > 0 && h->sent_ms > 0) {
			int64_t limit = status.stall_ms > 10 * h->tick_ms ? status.stall_ms : 10 * h->tick_ms;
			int64_t last = h->last_tick_ms ? h->last_tick_ms : h->started_ms;
			want[ALERT_STALLED] = h->sent_ms - last >= limit;
		}

		char *names[ALERT_KINDS];
		int64_t since[ALERT_KINDS];
		if ((rc = alerts_update(r, &ns, old, want, names, since)) != 0)
			break;
		int changed = !old || old->up != ns.up || old->known != ns.known || !same_alerts(&ns, old);
		if (old && old->up != ns.up && (ns.known || old->known)) {
			log_info("%s is %s", w->name, ns.up ? "up" : "down");
			rc = history_put(r, w->name, ns.up ? "up" : "down", h);
		} else if (!old && ns.up) {
			log_info("%s is up", w->name);
			rc = history_put(r, w->name, "up", h);
		}
		int sample = ns.up && now - w->sampled_ms >= status.sample_ms;
		if (rc == 0 && sample)
			rc = history_put(r, w->name, "sample", h);
		if (rc == 0 && (changed || sample)) {
			int prc = store_put_msg(r->txn, status.state, w->name, strlen(w->name), &ns.base, 0);
			if (prc)
				rc = svc_db_error(r, prc, "state");
		}
		/* A heap copy of ns, for the handler and HTTP. */
		uint8_t *buf;
		size_t len;
		if (rc == 0 && wire_pack(&ns.base, &buf, &len) == 0) {
			next[i] = (Aedesk__StatusService *)wire_unpack(&aedesk__status_service__descriptor, buf, len, NULL);
			free(buf);
		}
		if (rc == 0 && !next[i])
			rc = svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
		wire_free(old ? &old->base : NULL);
	}
	if (rc == 0 && now / 60000 != (now - 200) / 60000)
		rc = prune_history(r);

	if (rc == 0) {
		Aedesk__StatusService *gone[STATUS_MAX_WATCHED];
		pthread_mutex_lock(&status.mu);
		for (int i = 0; i < n; i++) {
			gone[i] = status.w[i].st;
			status.w[i].st = next[i];
			next[i] = NULL;
			if (status.w[i].st->up && now - status.w[i].sampled_ms >= status.sample_ms)
				status.w[i].sampled_ms = now;
		}
		pthread_mutex_unlock(&status.mu);
		for (int i = 0; i < n; i++)
			wire_free(gone[i] ? &gone[i]->base : NULL);
	} else {
		/* Not swapped: the heartbeats go back unless newer ones came meanwhile. */
		pthread_mutex_lock(&status.mu);
		for (int i = 0; i < n; i++)
			if (hb[i] && !status.w[i].hb) {
				status.w[i].hb = hb[i];
				hb[i] = NULL;
			}
		pthread_mutex_unlock(&status.mu);
	}
	for (int i = 0; i < n; i++) {
		wire_free(next[i] ? &next[i]->base : NULL);
		wire_free(fresh[i] ? &fresh[i]->base : NULL);
		free(hb[i]);
	}
	return rc;
}

/* ---- the request ---- */

/* status_get answers StatusRequest with every watched service's state. */
int status_get(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	Aedesk__StatusReply rep = AEDESK__STATUS_REPLY__INIT;
	Aedesk__StatusService *list[STATUS_MAX_WATCHED], none[STATUS_MAX_WATCHED];
	pthread_mutex_lock(&status.mu);
	for (int i = 0; i < status.n; i++) {
		if (status.w[i].st)
			list[i] = status.w[i].st;
		else { /* before the first tick */
			aedesk__status_service__init(&none[i]);
			none[i].service = status.w[i].name;
			none[i].since_ms = status.started_ms;
			list[i] = &none[i];
		}
	}
	rep.services = list;
	rep.n_services = (size_t)status.n;
	rep.now_ms = wire_now_ms();
	rep.heartbeat_ms = status.heartbeat_ms;
	rep.http = status.http_url;
	int rc = svc_reply(r, &rep.base);
	pthread_mutex_unlock(&status.mu);
	return rc;
}
