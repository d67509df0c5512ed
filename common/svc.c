/*
 * NAME
 *	svc.c - the service skeleton: sockets, main loop, outbox, replay
 *
 * DESCRIPTION
 *	See svc.h for the contract. Threads: NNG's callback threads answer reads (handlers
 *	without SVC_WRITES or SVC_PUBLIC) from read transactions and move everything else
 *	into queues; the main thread runs the other handlers and owns every write
 *	transaction; the replay thread answers Replay and Health from read transactions.
 *
 *	LMDB tables of the skeleton, in every service's store:
 *	  _outbox   be64(seq) -> packed Envelope of the event
 *	  _meta     "seq" -> be64(last outbox seq); "epoch" -> be64(this store's epoch)
 *	  _cursor   source name -> be64(last seq applied from it)
 *	  _epoch    source name -> be64(the epoch of the source's store that cursor counts in)
 *	  _reqid    16-byte request id -> packed reply Envelope
 *	  _reqtime  be64(ms) . request id -> "" (to forget ids after a day)
 *	  _revoked  staff id -> be64(ms): tokens issued at or before it are refused
 *	  _keys     token keys after rotations (common/keyring.h)
 *
 *	Epochs: a store gets a random epoch when it is created. Its events, heartbeats and
 *	replay answers carry it, so a consumer whose cursor counts in another epoch (its
 *	source's store was rebuilt from empty and numbers from 1 again) replays the new
 *	store from seq 1 instead of skipping what it has "seen". Only a replay answer (the
 *	source as it is now) moves a consumer to a new epoch; events of another epoch still
 *	in the queue are dropped. docs/RELIABILITY.md, "Epochs".
 *
 * SECURITY
 *	Every socket has NNG_OPT_RECVMAXSZ set: a frame header claiming gigabytes is
 *	refused by NNG before it allocates.
 */
#include "svc.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyring.h"
#include "log.h"
#include "transport.h"
#include "wire.h"

#define SVC_MAX_BATCH 256
#define SVC_MAX_QUEUED_EVENTS 20000
#define SVC_REPLAY_BATCH 1000
#define SVC_PUB_BATCH_BYTES (256u << 10)
#define SVC_REPLAY_BYTES (8u << 20)
#define SVC_REQID_TTL_MS (24ll * 3600 * 1000)

enum item_kind { ITEM_REQUEST, ITEM_EVENT };

struct worker;

struct item {
	struct item *next;
	enum item_kind kind;
	struct worker *w;          /* requests: where the reply goes */
	nng_msg *msg;              /* owned; freed after handling */
	const uint8_t *body;       /* events: the envelope bytes (after the topic, or inline below) */
	size_t len;
	Aedesk__Envelope *env;     /* requests: decoded by the callback, NULL if malformed */
	const char *why;           /* why env is NULL */
	/* result of handling a request */
	uint8_t *out;
	size_t outlen;
	int64_t t0_us;             /* when it arrived, for the latency histogram */
	int handler;               /* index in the handler table, -1 if none */
	int failed;                /* answered with a status other than OK */
};

/* Latency histogram bounds (µs) for every request type; see MethodStats. */
static const uint64_t latency_bounds_us[] = {100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000, 1000000};
#define NBOUNDS (sizeof latency_bounds_us / sizeof latency_bounds_us[0])

struct method_stats {
	_Atomic uint64_t count, errors, sum_us;
	_Atomic uint64_t buckets[NBOUNDS];
};

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* record_latency adds one answered request to its type's counters and histogram. */
static void record_latency(struct method_stats *m, const struct item *it)
{
	uint64_t us = (uint64_t)(mono_us() - it->t0_us);
	atomic_fetch_add(&m->count, 1);
	atomic_fetch_add(&m->sum_us, us);
	if (it->failed)
		atomic_fetch_add(&m->errors, 1);
	for (size_t b = 0; b < NBOUNDS; b++)
		if (us <= latency_bounds_us[b])
			atomic_fetch_add(&m->buckets[b], 1);
}

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item *head, *tail;
	size_t n, nevents;
};

enum worker_state { W_RECV, W_BUSY, W_SEND };

struct worker {
	svc *s;
	nng_aio *aio;
	nng_ctx ctx;
	enum worker_state state;
};

struct source {
	svc *s;
	char name[32];
	nng_socket sub, req;
	nng_aio *aio;
	int need_replay;
	int64_t last_replay_ms;
	int64_t next_try_ms;
	int64_t backoff_ms;        /* after a failed replay: doubles to 30 s, reset on success */
	/* NNG 1.5.2 dialers can stop dialing for good when the peer dies between accept and
	 * the SP handshake: a source we hear nothing from is dialed again (source_redial). */
	nng_dialer sub_d, req_d;
	char sub_url[512], req_url[512];
	_Atomic int64_t heard_ms;  /* last event or heartbeat on sub */
	int64_t answered_ms;       /* last replay answer on req */
	_Atomic uint64_t epoch;    /* the source store's epoch our cursor counts in (0: not known; Health reads it) */
	int warned_credential;     /* the source refused our service token (logged once) */
	/* Events this service has no handler for move the cursor without a write (apply_event):
	 * soft is the seq up to which every event was applied or had nothing to apply, committed
	 * (main loop writes, Health reads); batch_soft is the batch being run's, made soft by its
	 * commit. The stored cursor catches up with soft at the next write or persist_soft. */
	_Atomic uint64_t soft;
	uint64_t batch_soft;
};

struct svc {
	const struct svc_decl *decl;
	conf *conf;
	store *store;
	MDB_dbi outbox, meta, cursor, reqid, reqtime, revoked, epochs, keys;
	nng_socket rep, pub;
	struct worker *workers;
	int nworkers;
	struct source *src;
	int nsrc;
	struct queue mainq, replayq;
	pthread_t replay_thread;
	int replay_started;
	uint64_t published_seq;
	_Atomic uint64_t last_seq;
	uint64_t epoch;               /* this store's, from _meta "epoch" */
	char keys_dir[1024];
	int64_t started_ms;
	_Atomic uint64_t requests, errors, events_applied;
	uint64_t batch_applied;    /* events applied by the batch being run (main thread) */
	int batch_wrote;           /* the batch being run wrote a cursor (main thread) */
	int64_t linger_us;         /* event_linger_us: see take_batch */
	int64_t last_lazy_us;      /* when the last batch of only events was committed (mono_us) */
	ProtobufCBinaryData *pubv; /* publish(): the events of the batch message being built */
	size_t cappubv;
	/* Events emitted by the transaction being run, their PUB message ready (main thread):
	 * publish() sends them after the commit without reading the outbox back. */
	struct pending_ev {
		uint64_t seq;
		nng_msg *m;        /* on its own topic (pending_add) */
	} *pend;
	size_t npend, cappend;
	_Atomic int64_t last_tick_ms; /* when the tick last committed (UTC ms) */
	_Atomic int64_t tick_soon_ms; /* svc_tick_at: run the tick at this system time (0: none) */
	int64_t heartbeat_ms, replay_idle_ms;
	struct method_stats *stats; /* one per handler */
	uint64_t allowed_uids[16];
	int nallowed;
	void *user;
};

static volatile sig_atomic_t svc_stop;

/* on_stop_watchdog: nng_close did not return within 5 s of "stopping" (NNG 1.5.2 can hang
 * closing a socket, NNG #1543). Everything acknowledged was committed and synced before
 * the watchdog was set, and what is left undone is what a kill -9 leaves (the design
 * survives it: lazy commits come back by replay), so the process ends here, saying so. */
static void on_stop_watchdog(int sig)
{
	(void)sig;
	static const char msg[] = "warn: stop: a socket did not close within 5 s (NNG #1543); exiting now, "
				  "every acknowledged write is already on disk\n";
	ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
	_exit(0);
}

static void on_signal(int sig)
{
	(void)sig;
	svc_stop = 1;
}

/* ---- queues ---- */

static void queue_init(struct queue *q)
{
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
}

/* queue_push_chain appends the items head..tail (n of them, nev events) as one: all, or none
 * when the events would pass SVC_MAX_QUEUED_EVENTS (the gap is healed by replay). */
static int queue_push_chain(struct queue *q, struct item *head, struct item *tail, size_t n, size_t nev)
{
	pthread_mutex_lock(&q->mu);
	if (nev && q->nevents + nev > SVC_MAX_QUEUED_EVENTS) {
		pthread_mutex_unlock(&q->mu);
		return -1;
	}
	tail->next = NULL;
	if (q->tail)
		q->tail->next = head;
	else
		q->head = head;
	q->tail = tail;
	q->n += n;
	q->nevents += nev;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

static int queue_push(struct queue *q, struct item *it)
{
	return queue_push_chain(q, it, it, 1, it->kind == ITEM_EVENT);
}

/* queue_take waits up to ms for items and takes up to max of them, in order. */
static size_t queue_take(struct queue *q, struct item **out, size_t max, int ms)
{
	pthread_mutex_lock(&q->mu);
	if (!q->head && ms > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(ms % 1000) * 1000000;
		ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		pthread_cond_timedwait(&q->cv, &q->mu, &ts);
	}
	size_t n = 0;
	while (q->head && n < max) {
		struct item *it = q->head;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		q->n--;
		if (it->kind == ITEM_EVENT)
			q->nevents--;
		out[n++] = it;
	}
	pthread_mutex_unlock(&q->mu);
	return n;
}

static void item_free(struct item *it)
{
	if (it->msg)
		nng_msg_free(it->msg);
	wire_free(it->env ? &it->env->base : NULL);
	free(it->out);
	free(it);
}

/* ---- the reply path ---- */

/* worker_reply hands reply bytes to the worker's context; the callback re-arms recv. */
static void worker_reply(struct worker *w, const uint8_t *buf, size_t len)
{
	nng_msg *m;
	if (nng_msg_alloc(&m, 0) != 0 || nng_msg_append(m, buf, len) != 0) {
		log_error("out of memory for a reply; the client will retry");
		w->state = W_RECV;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	w->state = W_SEND;
	nng_aio_set_msg(w->aio, m);
	nng_ctx_send(w->ctx, w->aio);
}

/* pack_reply builds the reply envelope around a status, message and payload. */
static void pack_reply(svc *s, const Aedesk__Envelope *req, Aedesk__Status st, const char *msg,
    const char *type, const uint8_t *payload, size_t plen, uint8_t **out, size_t *outlen)
{
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)(type ? type : "");
	if (req && req->id.len)
		e.correlation_id = req->id;
	e.time_ms = wire_now_ms();
	e.source = (char *)s->decl->name;
	e.status = st;
	e.message = (char *)(msg ? msg : "");
	e.payload.data = (uint8_t *)payload;
	e.payload.len = plen;
	if (wire_pack(&e.base, out, outlen) != 0) {
		*out = NULL;
		*outlen = 0;
	}
}

static int serve_read(svc *s, struct item *it);

static void worker_cb(void *arg)
{
	struct worker *w = arg;
	svc *s = w->s;
	int rv = nng_aio_result(w->aio);
	if (w->state == W_SEND) {
		if (rv != 0)
			nng_msg_free(nng_aio_get_msg(w->aio));
		w->state = W_RECV;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
		return;
	if (rv != 0) {
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	struct item *it = calloc(1, sizeof *it);
	nng_msg *m = nng_aio_get_msg(w->aio);
	if (!it) {
		nng_msg_free(m);
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	it->kind = ITEM_REQUEST;
	it->w = w;
	it->msg = m;
	it->t0_us = mono_us();
	it->handler = -1;
	it->env = wire_envelope_unpack(nng_msg_body(m), nng_msg_len(m), &it->why);
	w->state = W_BUSY;
	int side = it->env && (strcmp(it->env->type, aedesk__replay_request__descriptor.name) == 0 ||
				  strcmp(it->env->type, aedesk__health_request__descriptor.name) == 0);
	if (!side && serve_read(s, it)) {
		worker_reply(w, it->out, it->outlen);
		item_free(it);
		return;
	}
	queue_push(side ? &s->replayq : &s->mainq, it);
}

/* ---- handler-facing API ---- */

int svc_reply(svc_req *r, const ProtobufCMessage *reply)
{
	free(r->reply);
	r->reply = NULL;
	if (wire_pack(reply, &r->reply, &r->reply_len) != 0)
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "out of memory");
	r->reply_type = reply->descriptor->name;
	return 0;
}

int svc_fail(svc_req *r, Aedesk__Status st, enum i18n_msg id, ...)
{
	va_list ap;
	va_start(ap, id);
	i18n_vformat(r->message, sizeof r->message, r->lang, id, ap);
	va_end(ap);
	r->status = st;
	return -1;
}

int svc_failf(svc_req *r, Aedesk__Status st, const char *zh, const char *en, ...)
{
	va_list ap;
	va_start(ap, en);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(r->message, sizeof r->message, strcmp(r->lang, "en") == 0 ? en : zh, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	r->status = st;
	return -1;
}

int64_t svc_now(svc *s) { return s->decl->clock ? s->decl->clock(s) : wire_now_ms(); }

void svc_tick_at(svc *s, int64_t at_ms)
{
	int64_t sys = wire_now_ms(), when = at_ms - svc_now(s) + sys; /* in the system clock */
	if (when < sys)
		when = sys;
	int64_t cur = atomic_load(&s->tick_soon_ms);
	while ((cur == 0 || when < cur) && !atomic_compare_exchange_weak(&s->tick_soon_ms, &cur, when))
		;
}

/* tick_next: the time of the next tick, the period's or sooner if svc_tick_at asked. */
static int64_t tick_next(svc *s, int64_t next)
{
	int64_t soon = atomic_exchange(&s->tick_soon_ms, 0);
	return soon && soon < next ? soon : next;
}

int svc_db_error(svc_req *r, int rc, const char *what)
{
	if (rc == MDB_MAP_FULL)
		r->map_full = 1;
	else
		log_error("req=%s %s: %s", r->rid, what, mdb_strerror(rc));
	return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, mdb_strerror(rc));
}

/* ---- events emitted, waiting for their commit ---- */

/* pending_add keeps the PUB message of an event just put in the outbox that goes out on a
 * topic of its own (a service's topic() naming one outside "<service>/", e.g. notify/...);
 * every event also goes out in the "<service>/_batch" message publish() builds from the
 * outbox. Out of memory: that event is not sent on its own topic (its followers' replay or
 * inbox has it). */
static void pending_add(svc *s, const Aedesk__Envelope *e, uint64_t seq, const uint8_t *buf, size_t len)
{
	char topic[256];
	size_t nl = strlen(s->decl->name);
	if (!s->decl->topic || s->decl->topic(s, e, topic, sizeof topic) != 0 ||
	    (strncmp(topic, s->decl->name, nl) == 0 && topic[nl] == '/'))
		return;
	if (s->npend == s->cappend) {
		size_t cap = s->cappend ? s->cappend * 2 : 64;
		struct pending_ev *p = realloc(s->pend, cap * sizeof *p);
		if (!p)
			return;
		s->pend = p;
		s->cappend = cap;
	}
	nng_msg *m = NULL;
	size_t tl = strlen(topic) + 1;
	if (nng_msg_alloc(&m, tl + len) != 0)
		return;
	char *b = nng_msg_body(m);
	memcpy(b, topic, tl);
	memcpy(b + tl, buf, len);
	s->pend[s->npend++] = (struct pending_ev){seq, m};
}

/* pending_truncate forgets the events past the first n: their transaction was aborted. */
static void pending_truncate(svc *s, size_t n)
{
	while (s->npend > n) {
		struct pending_ev *p = &s->pend[--s->npend];
		if (p->m)
			nng_msg_free(p->m);
	}
}

int svc_emit(svc_req *r, const ProtobufCMessage *ev)
{
	svc *s = r->svc;
	uint64_t seq = store_get_u64(r->txn, s->meta, "seq", 0) + 1;
	uint8_t id[16], *payload, *buf;
	size_t plen, len;
	if (wire_pack(ev, &payload, &plen) != 0)
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "out of memory");
	wire_new_id(id);
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)ev->descriptor->name;
	e.id.data = id;
	e.id.len = 16;
	e.time_ms = r->now_ms;
	e.source = (char *)s->decl->name;
	e.actor = (char *)(r->caller ? r->caller->id : "system");
	e.seq = seq;
	e.epoch = s->epoch;
	e.payload.data = payload;
	e.payload.len = plen;
	int rc = wire_pack(&e.base, &buf, &len);
	if (rc != 0) {
		free(payload);
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "out of memory");
	}
	if (len > WIRE_MAX_FRAME - 256) {
		free(payload);
		free(buf);
		log_error("req=%s event %s of %zu bytes is too large", r->rid, e.type, len);
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_INTERNAL, "event too large");
	}
	uint8_t k[8];
	store_be64(k, seq);
	MDB_val kv = {8, k}, vv = {len, buf};
	rc = mdb_put(r->txn, s->outbox, &kv, &vv, MDB_APPEND);
	if (rc == 0)
		rc = store_put_u64(r->txn, s->meta, "seq", seq);
	if (rc == 0)
		pending_add(s, &e, seq, buf, len); /* e.payload is read by a topic() */
	free(payload);
	free(buf);
	return rc ? svc_db_error(r, rc, "outbox") : 0;
}

const conf *svc_conf(svc *s) { return s->conf; }
store *svc_store(svc *s) { return s->store; }
const char *svc_name(svc *s) { return s->decl->name; }
void svc_set_user(svc *s, void *p) { s->user = p; }
void *svc_user(svc *s) { return s->user; }

int svc_has_role(const svc_req *r, uint32_t mask)
{
	return r->caller && (r->caller->roles & mask) != 0;
}

/* ---- handling requests ---- */

static const struct svc_handler *find_handler(svc *s, const char *type)
{
	for (size_t i = 0; i < s->decl->nhandlers; i++)
		if (strcmp(s->decl->handlers[i].in->name, type) == 0)
			return &s->decl->handlers[i];
	return NULL;
}

/*
 * authenticate checks the token; the public key is loaded on first use. An Ed25519
 * check costs tens of microseconds, so a verified token is remembered (keyed by a
 * BLAKE2b hash of its bytes) until it expires: a direct-mapped cache, one per thread
 * (the main loop, and the NNG callback threads that answer reads).
 */
#define TOKEN_CACHE 256
static _Thread_local struct token_cache {
	uint8_t hash[16];
	auth_caller who;
} token_cache[TOKEN_CACHE];

/* revoked_for: the time before which staff's tokens are void (0: none). */
static int64_t revoked_for(svc *s, MDB_txn *txn, const char *staff)
{
	return (int64_t)store_get_u64(txn, s->revoked, staff, 0);
}

static int authenticate(svc *s, MDB_txn *txn, const Aedesk__Envelope *e, int64_t now, auth_caller *who)
{
	if (e->token.len == 0)
		return MSG_UNAUTHENTICATED;
	static _Thread_local unsigned cache_generation; /* a key rotation empties the cache (this thread's) */
	if (keyring_generation() != cache_generation) {
		memset(token_cache, 0, sizeof token_cache);
		cache_generation = keyring_generation();
	}
	uint8_t h[16];
	crypto_generichash(h, sizeof h, e->token.data, e->token.len, NULL, 0);
	struct token_cache *slot = &token_cache[(h[0] | h[1] << 8) % TOKEN_CACHE];
	if (memcmp(slot->hash, h, sizeof h) == 0 && slot->who.expires_ms > now) {
		*who = slot->who;
	} else {
		int rc = keyring_verify(e->token.data, e->token.len, now, who); /* key rotation */
		if (rc == AUTH_EXPIRED)
			return MSG_TOKEN_EXPIRED;
		if (rc != AUTH_OK || (who->roles & ROLE_SERVICE)) /* the service credential: Replay only */
			return MSG_TOKEN_BAD;
		memcpy(slot->hash, h, sizeof h);
		slot->who = *who;
	}
	/* Checked on every request, cached or not: revocation takes effect at once. */
	if (who->issued_ms <= revoked_for(s, txn, who->id))
		return MSG_TOKEN_REVOKED;
	return -1;
}

int svc_revoke_tokens(svc_req *r, const char *staff_id, int64_t before_ms, const char *reason)
{
	svc *s = r->svc;
	if ((int64_t)store_get_u64(r->txn, s->revoked, staff_id, 0) < before_ms) {
		int rc = store_put_u64(r->txn, s->revoked, staff_id, (uint64_t)before_ms);
		if (rc)
			return svc_db_error(r, rc, "revoked");
	}
	Aedesk__TokensRevoked ev = AEDESK__TOKENS_REVOKED__INIT;
	ev.staff_id = (char *)staff_id;
	ev.before_ms = before_ms;
	ev.reason = (char *)reason;
	return svc_emit(r, &ev.base);
}

int64_t svc_revoked_before(svc_req *r, const char *staff_id)
{
	return revoked_for(r->svc, r->txn, staff_id);
}

/* apply_revocation records a TokensRevoked event from the registry (every service). */
static int apply_revocation(svc *s, MDB_txn *txn, const Aedesk__Envelope *e)
{
	Aedesk__TokensRevoked *ev = (Aedesk__TokensRevoked *)wire_unpack(&aedesk__tokens_revoked__descriptor,
	    e->payload.data, e->payload.len, NULL);
	int rc = 0;
	if (ev && ev->staff_id[0] && (int64_t)store_get_u64(txn, s->revoked, ev->staff_id, 0) < ev->before_ms)
		rc = store_put_u64(txn, s->revoked, ev->staff_id, (uint64_t)ev->before_ms);
	wire_free(ev ? &ev->base : NULL);
	return rc;
}

/* apply_key_rotated learns the registry's new token key (every service; keyring.h). */
static int apply_key_rotated(svc *s, MDB_txn *txn, const Aedesk__Envelope *e)
{
	Aedesk__KeyRotated *ev = (Aedesk__KeyRotated *)wire_unpack(&aedesk__key_rotated__descriptor,
	    e->payload.data, e->payload.len, NULL);
	int rc = ev ? keyring_apply(txn, s->keys, ev) : 0;
	wire_free(ev ? &ev->base : NULL);
	return rc;
}

int svc_key_rotated(svc_req *r, const Aedesk__KeyRotated *ev)
{
	int rc = keyring_apply(r->txn, r->svc->keys, ev);
	return rc ? svc_db_error(r, rc, "keys") : svc_emit(r, &ev->base);
}
/* What handle_request and apply_event tell run_batch. */
enum { ITEM_DONE = 0, ITEM_REDO_GROW = -1, ITEM_REDO_NESTED = -2 };

/*
 * handle_request runs one request inside the batch transaction txn and leaves the
 * packed reply envelope in it->out. Without nested, the handler writes straight into
 * txn (no LMDB nested transaction, whose begin and commit cost more than most handlers)
 * and a handler that fails returns ITEM_REDO_NESTED: run_batch aborts the batch and
 * redoes it with nested set, where each handler has a nested transaction of its own
 * that a failure aborts. ITEM_REDO_GROW: the map was full, grow it and redo.
 * quiet: this item was logged already by the pass that stopped for another's failure.
 * The requests/errors counters are run_batch's, counted once the batch is answered.
 */
static int handle_request(svc *s, MDB_txn *txn, struct item *it, int nested, int quiet)
{
	const Aedesk__Envelope *e = it->env;
	svc_req r = {.svc = s, .env = e, .lang = "zh", .now_ms = svc_now(s)};
	char msg[512];
	if (!e || e->version != WIRE_VERSION) {
		const char *why = e ? "unsupported version" : it->why;
		if (!quiet)
			log_warn("malformed request: %s", why);
		i18n_format(msg, sizeof msg, "zh", MSG_MALFORMED, why);
		pack_reply(s, e, AEDESK__STATUS__INVALID_ARGUMENT, msg, NULL, NULL, 0, &it->out, &it->outlen);
		it->failed = 1;
		return ITEM_DONE;
	}
	r.lang = i18n_lang(e->lang);
	wire_hex(e->id.data, e->id.len, r.rid);
	const struct svc_handler *h = find_handler(s, e->type);
	auth_caller who;
	int denied;
	if (!h) {
		i18n_format(msg, sizeof msg, r.lang, MSG_UNKNOWN_TYPE, e->type);
		pack_reply(s, e, AEDESK__STATUS__INVALID_ARGUMENT, msg, NULL, NULL, 0, &it->out, &it->outlen);
		it->failed = 1;
		return ITEM_DONE;
	}
	/* Token expiry is real time, not the service's clock (a test may move that). */
	if (!(h->flags & SVC_PUBLIC) && (denied = authenticate(s, txn, e, wire_now_ms(), &who)) >= 0) {
		i18n_format(msg, sizeof msg, r.lang, (enum i18n_msg)denied);
		if (!quiet)
			log_warn("req=%s %s refused: %s", r.rid, wire_short_name(e->type),
		    denied == MSG_TOKEN_BAD       ? "bad token"
		    : denied == MSG_TOKEN_EXPIRED ? "expired token"
		    : denied == MSG_TOKEN_REVOKED ? "revoked token"
						  : "no token");
		pack_reply(s, e, AEDESK__STATUS__UNAUTHENTICATED, msg, NULL, NULL, 0, &it->out, &it->outlen);
		it->handler = (int)(h - s->decl->handlers);
		it->failed = 1;
		/* The audit trail (common/refusal.c): who is unknown, so "-". */
		static const auth_caller anon = {.id = "-"};
		r.txn = txn;
		r.caller = &anon;
		svc_record_refusal(&r, e->type, "", AEDESK__STATUS__UNAUTHENTICATED,
		    denied == MSG_TOKEN_BAD ? "bad token" : denied == MSG_TOKEN_EXPIRED ? "expired token"
			: denied == MSG_TOKEN_REVOKED ? "revoked token" : "no token");
		return r.map_full ? ITEM_REDO_GROW : ITEM_DONE;
	}
	it->handler = (int)(h - s->decl->handlers);
	if (!(h->flags & SVC_PUBLIC))
		r.caller = &who;
	int remember = (h->flags & SVC_WRITES) && e->id.len == 16;
	if (remember) {
		MDB_val k = {16, e->id.data}, v;
		if (mdb_get(txn, s->reqid, &k, &v) == 0) {
			if (!quiet)
				log_info("req=%s %s repeated: answering the first reply", r.rid,
				    wire_short_name(e->type));
			it->out = malloc(v.mv_size ? v.mv_size : 1);
			if (it->out) {
				memcpy(it->out, v.mv_data, v.mv_size);
				it->outlen = v.mv_size;
			}
			return ITEM_DONE;
		}
	}
	const char *why;
	ProtobufCMessage *in = wire_unpack(h->in, e->payload.data, e->payload.len, &why);
	MDB_txn *child = NULL;
	int rc;
	size_t npend = s->npend;
	if (!in) {
		i18n_format(r.message, sizeof r.message, r.lang, MSG_MALFORMED, why);
		r.status = AEDESK__STATUS__INVALID_ARGUMENT;
	} else if (nested && (rc = mdb_txn_begin(store_env(s->store), txn, 0, &child)) != 0) {
		svc_db_error(&r, rc, "nested transaction");
	} else {
		r.txn = nested ? child : txn;
		rc = h->fn(&r, in);
		if (rc != 0 && r.status == AEDESK__STATUS__OK)
			svc_fail(&r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "handler failed");
		if (!nested) {
			if (r.status != AEDESK__STATUS__OK && !r.map_full) {
				/* It may have written part of its change into txn: redo the batch. */
				wire_free(in);
				free(r.reply);
				return ITEM_REDO_NESTED;
			}
		} else if (r.status == AEDESK__STATUS__OK) {
			if ((rc = mdb_txn_commit(child)) != 0) {
				svc_db_error(&r, rc, "commit");
				pending_truncate(s, npend);
			}
		} else {
			mdb_txn_abort(child);
			pending_truncate(s, npend); /* its events are gone with it */
		}
	}
	wire_free(in);
	if (r.map_full) {
		free(r.reply);
		return ITEM_REDO_GROW;
	}
	if (r.status != AEDESK__STATUS__OK) {
		it->failed = 1;
		free(r.reply);
		r.reply = NULL;
		r.reply_len = 0;
		r.reply_type = NULL;
		log_info("req=%s %s by %s: %s", r.rid, wire_short_name(e->type),
		    r.caller ? r.caller->id : "-", aedesk__status__descriptor.values[r.status].name);
		if (r.status == AEDESK__STATUS__PERMISSION_DENIED || r.status == AEDESK__STATUS__UNAUTHENTICATED) {
			/* Undone above; now recorded in the batch, outside the handler's changes. */
			static const auth_caller anon = {.id = "-"};
			const char *who = r.caller ? r.caller->id : r.refused_subject;
			if (!r.caller)
				r.caller = &anon;
			r.txn = txn;
			svc_record_refusal(&r, e->type, who, (int)r.status,
			    r.status == AEDESK__STATUS__PERMISSION_DENIED ? "permission"
			    : r.refused_subject[0]			      ? "login failed"
									      : "unauthenticated");
			if (r.map_full)
				return ITEM_REDO_GROW;
		}
	}
	pack_reply(s, e, r.status, r.message, r.reply_type, r.reply, r.reply_len, &it->out, &it->outlen);
	free(r.reply);
	if (remember && it->out) {
		uint8_t tk[24];
		store_be64(tk, (uint64_t)wire_now_ms()); /* forgotten by real time, like the sweep */
		memcpy(tk + 8, e->id.data, 16);
		MDB_val k = {16, e->id.data}, v = {it->outlen, it->out}, tkv = {24, tk}, empty = {0, ""};
		if ((rc = mdb_put(txn, s->reqid, &k, &v, 0)) == 0)
			rc = mdb_put(txn, s->reqtime, &tkv, &empty, 0);
		if (rc == MDB_MAP_FULL)
			return ITEM_REDO_GROW;
		if (rc)
			log_error("req=%s cannot remember the request id: %s", r.rid, mdb_strerror(rc));
	}
	return ITEM_DONE;
}

/*
 * serve_read answers a read (a handler with neither SVC_WRITES nor SVC_PUBLIC) on the
 * NNG callback thread that received it, from a read transaction of its own: reads do
 * not queue behind the write batches and their syncs, and run in parallel. A read
 * sees every write that was acknowledged before it arrived (replies are sent after
 * the commit). Anything but a plain success - no or bad token, a malformed request,
 * a handler that fails or tries to write (EACCES in a read transaction) - is given
 * up here and queued for the main loop, which handles and logs it as it always has.
 * Returns 1 when answered.
 */
static int serve_read(svc *s, struct item *it)
{
	const Aedesk__Envelope *e = it->env;
	if (!e || e->version != WIRE_VERSION)
		return 0;
	const struct svc_handler *h = find_handler(s, e->type);
	if (!h || (h->flags & (SVC_WRITES | SVC_PUBLIC)))
		return 0;
	svc_req r = {.svc = s, .env = e, .lang = i18n_lang(e->lang), .now_ms = svc_now(s)};
	auth_caller who;
	MDB_txn *txn;
	if (store_read_begin(s->store, &txn) != 0)
		return 0;
	if (authenticate(s, txn, e, wire_now_ms(), &who) >= 0) {
		store_read_end(s->store, txn);
		return 0;
	}
	ProtobufCMessage *in = wire_unpack(h->in, e->payload.data, e->payload.len, NULL);
	if (!in) {
		store_read_end(s->store, txn);
		return 0;
	}
	wire_hex(e->id.data, e->id.len, r.rid);
	r.caller = &who;
	r.txn = txn;
	int rc = h->fn(&r, in);
	store_read_end(s->store, txn);
	wire_free(in);
	if (rc != 0 || r.status != AEDESK__STATUS__OK || r.map_full) {
		free(r.reply);
		return 0;
	}
	pack_reply(s, e, r.status, r.message, r.reply_type, r.reply, r.reply_len, &it->out, &it->outlen);
	free(r.reply);
	if (!it->out)
		return 0;
	it->handler = (int)(h - s->decl->handlers);
	atomic_fetch_add(&s->requests, 1);
	if (s->stats)
		record_latency(&s->stats[it->handler], it);
	return 1;
}

/* ---- applying events ---- */

static struct source *find_source(svc *s, const char *name)
{
	for (int i = 0; i < s->nsrc; i++)
		if (strcmp(s->src[i].name, name) == 0)
			return &s->src[i];
	return NULL;
}

/* handles: this service applies events of this type from src (a handler, or the skeleton's own). */
static int handles(svc *s, const struct source *src, const char *type)
{
	if (strcmp(src->name, "registry") == 0 && (strcmp(type, aedesk__tokens_revoked__descriptor.name) == 0 ||
						      strcmp(type, aedesk__key_rotated__descriptor.name) == 0))
		return 1;
	for (size_t i = 0; i < s->decl->nevents; i++) {
		const struct svc_event_handler *h = &s->decl->events[i];
		if (strcmp(h->source, src->name) == 0 && (!h->ev || strcmp(h->ev->name, type) == 0))
			return 1;
	}
	return 0;
}

/*
 * apply_event applies one event in order, once, with the consumer's cursor. Like
 * handle_request: without nested it writes straight into txn and a handler that refuses
 * the event returns ITEM_REDO_NESTED; with nested, the refused event's changes are
 * undone in its nested transaction and the cursor still moves on.
 */
static int apply_event(svc *s, MDB_txn *txn, const uint8_t *body, size_t len, int nested, int quiet)
{
	const char *why;
	Aedesk__Envelope *e = wire_envelope_unpack(body, len, &why);
	if (!e) {
		if (!quiet)
			log_warn("dropped a malformed event: %s", why);
		return ITEM_DONE;
	}
	struct source *src = find_source(s, e->source);
	int rc = 0;
	if (!src)
		goto done;
	if (e->epoch && src->epoch && e->epoch != src->epoch) {
		/* Another store of the source than our cursor counts in: replay_from decides. */
		src->need_replay = 1;
		goto done;
	}
	uint64_t cur = store_get_u64(txn, s->cursor, src->name, 0), soft = atomic_load(&src->soft);
	if (soft < src->batch_soft)
		soft = src->batch_soft;
	if (cur < soft)
		cur = soft;
	/* A sign of life: a replay that backed off may be tried again at once. */
	src->backoff_ms = 0;
	src->next_try_ms = 0;
	if (e->seq == 0) { /* a heartbeat: is the source ahead of us? */
		Aedesk__Health *h = (Aedesk__Health *)wire_unpack(&aedesk__health__descriptor,
		    e->payload.data, e->payload.len, NULL);
		if (h && h->last_seq > cur)
			src->need_replay = 1;
		wire_free(h ? &h->base : NULL);
		goto done;
	}
	if (e->seq <= cur)
		goto done; /* seen already */
	if (e->seq > cur + 1) {
		src->need_replay = 1;
		goto done;
	}
	if (!handles(s, src, e->type)) {
		/* Nothing to apply: the cursor moves on without a write (see struct source). */
		src->batch_soft = e->seq;
		s->batch_applied++;
		goto done;
	}
	svc_req r = {.svc = s, .env = e, .lang = "zh", .now_ms = svc_now(s)};
	wire_hex(e->id.data, e->id.len, r.rid);
	MDB_txn *child = txn;
	size_t npend = s->npend;
	if (nested && (rc = mdb_txn_begin(store_env(s->store), txn, 0, &child)) != 0)
		goto dberr;
	r.txn = child;
	if (strcmp(src->name, "registry") == 0 && strcmp(e->type, aedesk__tokens_revoked__descriptor.name) == 0 &&
	    (rc = apply_revocation(s, child, e)) != 0)
		goto abort;
	if (strcmp(src->name, "registry") == 0 && strcmp(e->type, aedesk__key_rotated__descriptor.name) == 0 &&
	    (rc = apply_key_rotated(s, child, e)) != 0)
		goto abort;
	for (size_t i = 0; i < s->decl->nevents; i++) {
		const struct svc_event_handler *h = &s->decl->events[i];
		if (strcmp(h->source, src->name) || (h->ev && strcmp(h->ev->name, e->type)))
			continue;
		ProtobufCMessage *ev = h->ev ? wire_unpack(h->ev, e->payload.data, e->payload.len, &why) : NULL;
		if (h->ev && !ev) {
			if (!quiet)
				log_error("event %s/%" PRIu64 " %s does not decode (%s); skipped", src->name,
				    e->seq, e->type, why);
			break;
		}
		int hr = h->fn(&r, ev);
		wire_free(ev);
		if (r.map_full) {
			rc = MDB_MAP_FULL;
			goto abort;
		}
		if (hr != 0 && !nested) {
			wire_free(&e->base);
			return ITEM_REDO_NESTED; /* it may have written part of its change */
		}
		if (hr != 0) {
			/* Its changes are undone; the cursor still moves on so one bad event
			 * cannot stall every later one. Logged for the admin. */
			log_error("event %s/%" PRIu64 " %s was refused: %s", src->name, e->seq, e->type,
			    r.message);
			mdb_txn_abort(child);
			pending_truncate(s, npend);
			if ((rc = mdb_txn_begin(store_env(s->store), txn, 0, &child)) != 0)
				goto dberr;
		}
		break;
	}
	uint8_t v[8];
	store_be64(v, e->seq);
	MDB_val kv = {strlen(src->name), src->name}, vv = {8, v};
	if ((rc = mdb_put(child, s->cursor, &kv, &vv, 0)) != 0)
		goto abort;
	s->batch_wrote = 1;
	if (nested && (rc = mdb_txn_commit(child)) != 0)
		goto dberr;
	s->batch_applied++;
	goto done;
abort:
	if (nested)
		mdb_txn_abort(child);
dberr:
	if (nested)
		pending_truncate(s, npend);
	wire_free(&e->base);
	if (rc == MDB_MAP_FULL)
		return ITEM_REDO_GROW;
	log_error("applying an event from %s: %s", src->name, mdb_strerror(rc));
	/* Without nested, part of it may be in txn: redo the batch with nested. */
	return nested ? ITEM_DONE : ITEM_REDO_NESTED;
done:
	wire_free(&e->base);
	return ITEM_DONE;
}

/* ---- the batch: one write transaction, one sync ---- */

/* publish_batch sends n outbox events (the last one's seq: last) as one EventBatch message. */
static void publish_batch(svc *s, size_t n, uint64_t last)
{
	if (!n)
		return;
	Aedesk__EventBatch b = AEDESK__EVENT_BATCH__INIT;
	b.n_events = n;
	b.events = s->pubv;
	uint8_t *payload, *buf;
	size_t plen, len;
	if (wire_pack(&b.base, &payload, &plen) != 0)
		return; /* out of memory: the consumers' replay brings them */
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)aedesk__event_batch__descriptor.name;
	e.time_ms = wire_now_ms();
	e.source = (char *)s->decl->name;
	e.seq = last;
	e.epoch = s->epoch;
	e.payload.data = payload;
	e.payload.len = plen;
	int rc = wire_pack(&e.base, &buf, &len);
	free(payload);
	if (rc != 0)
		return;
	char topic[64];
	size_t tl = (size_t)snprintf(topic, sizeof topic, "%s/_batch", s->decl->name) + 1;
	nng_msg *m;
	if (nng_msg_alloc(&m, tl + len) == 0) {
		char *body = nng_msg_body(m);
		memcpy(body, topic, tl);
		memcpy(body + tl, buf, len);
		if (nng_sendmsg(s->pub, m, NNG_FLAG_NONBLOCK) != 0)
			nng_msg_free(m);
	}
	free(buf);
}

/*
 * publish sends every outbox event past published_seq, read back from the committed
 * outbox, in "<service>/_batch" messages (an EventBatch of up to SVC_PUB_BATCH_BYTES):
 * one message for a whole commit, so a consumer receives, wakes and commits once for
 * many events. Then the events with a topic of their own (pending_add) on it.
 */
static void publish(svc *s)
{
	uint64_t head = atomic_load(&s->last_seq);
	MDB_txn *txn;
	MDB_cursor *c;
	if (head > s->published_seq && store_read_begin(s->store, &txn) == 0) {
		if (mdb_cursor_open(txn, s->outbox, &c) == 0) {
			uint8_t k[8];
			store_be64(k, s->published_seq + 1);
			MDB_val kv = {8, k}, vv;
			size_t n = 0, bytes = 0;
			uint64_t last = s->published_seq;
			int rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE);
			for (; rc == 0 && kv.mv_size == 8 && store_from_be64(kv.mv_data) <= head;
			     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
				if (n && bytes + vv.mv_size > SVC_PUB_BATCH_BYTES) {
					publish_batch(s, n, last);
					n = bytes = 0;
				}
				if (n == s->cappubv) {
					size_t cap = s->cappubv ? s->cappubv * 2 : 64;
					ProtobufCBinaryData *v = realloc(s->pubv, cap * sizeof *v);
					if (v) {
						s->pubv = v;
						s->cappubv = cap;
					} else if (n) {
						publish_batch(s, n, last);
						n = bytes = 0;
					} else
						break; /* out of memory: the consumers' replay brings them */
				}
				s->pubv[n++] = (ProtobufCBinaryData){vv.mv_size, vv.mv_data};
				bytes += vv.mv_size;
				last = store_from_be64(kv.mv_data);
			}
			publish_batch(s, n, last);
			mdb_cursor_close(c);
		}
		store_read_end(s->store, txn);
		s->published_seq = head;
	}
	for (size_t i = 0; i < s->npend; i++) {
		struct pending_ev *p = &s->pend[i];
		if (p->seq <= head && nng_sendmsg(s->pub, p->m, NNG_FLAG_NONBLOCK) == 0)
			continue; /* NNG owns it now */
		nng_msg_free(p->m);
	}
	s->npend = 0;
}

/*
 * run_batch handles items in one write transaction and commits once; only then are the
 * replies sent and the new events published. A full map is grown and the whole batch
 * redone, so no acknowledged write is ever dropped.
 */
static void run_batch(svc *s, struct item **items, size_t n)
{
	int nested = 0; /* set once a handler failed: each item in a nested transaction */
	size_t logged = 0; /* items before this one have logged what they had to say */
	for (int attempt = 0;; attempt++) {
		MDB_txn *txn;
		int rc = store_write_begin(s->store, &txn), redo = ITEM_DONE;
		if (rc != 0) {
			log_error("cannot begin a write transaction: %s", mdb_strerror(rc));
			break;
		}
		s->batch_applied = 0;
		s->batch_wrote = 0;
		for (int j = 0; j < s->nsrc; j++)
			s->src[j].batch_soft = 0;
		pending_truncate(s, 0); /* an attempt before this one was aborted */
		size_t i;
		for (i = 0; i < n && redo == ITEM_DONE; i++) {
			int quiet = i < logged;
			if (items[i]->kind == ITEM_REQUEST)
				redo = handle_request(s, txn, items[i], nested, quiet);
			else
				redo = apply_event(s, txn, items[i]->body, items[i]->len, nested, quiet);
		}
		if (i > logged)
			logged = redo == ITEM_DONE ? i : i - 1;
		if (redo == ITEM_DONE) {
			/* Events applied, nothing answered and nothing emitted: replay would bring
			 * it all back, so one sync (the data) is enough; see store_commit_lazy. */
			uint64_t seq = store_get_u64(txn, s->meta, "seq", 0);
			int lazy = seq == atomic_load(&s->last_seq);
			for (size_t j = 0; j < n && lazy; j++)
				lazy = items[j]->kind == ITEM_EVENT;
			if (lazy && !s->batch_wrote) {
				mdb_txn_abort(txn); /* only events with nothing to apply: nothing to write */
				rc = 0;
			} else if (lazy) {
				rc = store_commit_lazy(s->store, txn);
				s->last_lazy_us = mono_us();
			} else
				rc = store_commit(s->store, txn);
			if (rc == 0) {
				atomic_store(&s->last_seq, seq);
				atomic_fetch_add(&s->events_applied, s->batch_applied);
				for (int j = 0; j < s->nsrc; j++)
					if (s->src[j].batch_soft > atomic_load(&s->src[j].soft))
						atomic_store(&s->src[j].soft, s->src[j].batch_soft);
				break;
			}
			redo = rc == MDB_MAP_FULL ? ITEM_REDO_GROW : ITEM_DONE;
		} else
			mdb_txn_abort(txn);
		for (size_t i = 0; i < n; i++) {
			free(items[i]->out);
			items[i]->out = NULL;
			items[i]->failed = 0;
			items[i]->handler = -1;
		}
		if (redo == ITEM_REDO_NESTED && !nested) {
			nested = 1;
			attempt--; /* not a growth */
			continue;
		}
		if (redo == ITEM_REDO_GROW && attempt < 16 && store_grow(s->store) == 0)
			continue;
		/* Nothing was committed: every request in the batch is told so. */
		log_error("a batch of %zu could not be committed: %s", n, mdb_strerror(rc));
		for (size_t i = 0; i < n; i++)
			if (items[i]->kind == ITEM_REQUEST) {
				items[i]->failed = 1;
				char msg[256];
				i18n_format(msg, sizeof msg, items[i]->env ? items[i]->env->lang : "zh",
				    MSG_INTERNAL, mdb_strerror(rc));
				pack_reply(s, items[i]->env, AEDESK__STATUS__INTERNAL, msg, NULL, NULL, 0,
				    &items[i]->out, &items[i]->outlen);
			}
		break;
	}
	for (size_t i = 0; i < n; i++) {
		if (items[i]->kind == ITEM_REQUEST) {
			atomic_fetch_add(&s->requests, 1);
			if (items[i]->failed)
				atomic_fetch_add(&s->errors, 1);
		}
		if (items[i]->kind == ITEM_REQUEST && items[i]->handler >= 0 && s->stats)
			record_latency(&s->stats[items[i]->handler], items[i]);
		if (items[i]->kind == ITEM_REQUEST) {
			if (items[i]->out)
				worker_reply(items[i]->w, items[i]->out, items[i]->outlen);
			else {
				items[i]->w->state = W_RECV;
				nng_ctx_recv(items[i]->w->ctx, items[i]->w->aio);
			}
		}
		item_free(items[i]);
	}
	publish(s);
}

/*
 * take_batch takes the next batch from the main queue, waiting up to ms for one. A batch
 * of only events (from other services) that comes within event_linger_us of the last
 * such commit waits for the rest of that time and takes what arrived meanwhile: under a
 * stream of events a consumer then commits (and syncs) at most once per linger instead
 * of once per source commit, leaving the disk's flushes to the writes being acknowledged.
 * A request arriving ends the wait at once.
 */
static size_t take_batch(svc *s, struct item **items, int ms)
{
	size_t n = queue_take(&s->mainq, items, SVC_MAX_BATCH, ms);
	for (size_t i = 0; i < n; i++)
		if (items[i]->kind != ITEM_EVENT)
			return n;
	int64_t until = s->last_lazy_us + s->linger_us;
	for (int64_t now = mono_us(); n && n < SVC_MAX_BATCH && now < until; now = mono_us()) {
		size_t k = queue_take(&s->mainq, items + n, SVC_MAX_BATCH - n, (int)((until - now + 999) / 1000));
		int request = 0;
		for (size_t i = n; i < n + k; i++)
			request |= items[i]->kind != ITEM_EVENT;
		n += k;
		if (request)
			break;
	}
	return n;
}

/* run_tick runs the service's tick in a write transaction of its own, redone when the map is full. */
static void run_tick(svc *s)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		svc_req r = {.svc = s, .lang = "zh", .now_ms = svc_now(s)};
		strcpy(r.rid, "tick");
		pending_truncate(s, 0); /* none left by an aborted transaction */
		int rc = store_write_begin(s->store, &r.txn);
		if (rc) {
			log_error("tick: cannot begin a transaction: %s", mdb_strerror(rc));
			return;
		}
		rc = s->decl->tick(s, &r);
		free(r.reply);
		if (rc != 0 || r.map_full) {
			mdb_txn_abort(r.txn);
			if (!r.map_full) {
				log_error("tick failed: %s", r.message[0] ? r.message : "no reason given");
				return;
			}
		} else if ((rc = store_commit(s->store, r.txn)) == 0) {
			MDB_txn *rt;
			if (store_read_begin(s->store, &rt) == 0) {
				atomic_store(&s->last_seq, store_get_u64(rt, s->meta, "seq", 0));
				store_read_end(s->store, rt);
			}
			publish(s);
			atomic_store(&s->last_tick_ms, wire_now_ms());
			return;
		} else if (rc != MDB_MAP_FULL) {
			log_error("tick: commit failed: %s", mdb_strerror(rc));
			return;
		}
		if (store_grow(s->store) != 0)
			return;
	}
}

/* ---- replay: the consumer side ---- */

/* cursor_of: how far src's events are applied - the stored cursor, or the soft one past it. */
static uint64_t cursor_of(svc *s, const struct source *src)
{
	MDB_txn *txn;
	uint64_t v = 0, soft = atomic_load(&src->soft);
	if (store_read_begin(s->store, &txn) == 0) {
		v = store_get_u64(txn, s->cursor, src->name, 0);
		store_read_end(s->store, txn);
	}
	return soft > v ? soft : v;
}

/*
 * persist_soft writes the soft cursors that are ahead of the stored ones, so a restart
 * does not fetch again every event it had nothing to apply. One lazily committed write
 * (losing it to a power cut only means fetching those events again); after heartbeats.
 */
static void persist_soft(svc *s)
{
	MDB_txn *txn;
	int wrote = 0, rc = 0;
	for (int i = 0; i < s->nsrc && !wrote; i++)
		wrote = atomic_load(&s->src[i].soft) > 0;
	if (!wrote || store_write_begin(s->store, &txn) != 0)
		return;
	wrote = 0;
	for (int i = 0; i < s->nsrc && rc == 0; i++) {
		uint64_t soft = atomic_load(&s->src[i].soft);
		if (soft > store_get_u64(txn, s->cursor, s->src[i].name, 0)) {
			rc = store_put_u64(txn, s->cursor, s->src[i].name, soft);
			wrote = 1;
		}
	}
	if (rc != 0 || !wrote)
		mdb_txn_abort(txn);
	else
		store_commit_lazy(s->store, txn);
}

/*
 * replay_failed: the source did not answer (it is down or busy). Replay blocks the main
 * loop for up to the receive timeout, so do not keep asking: back off (1 s doubling to
 * 30 s) and wait for a sign of life. The source's next heartbeat or event sets
 * need_replay again, and the idle timer retries anyway.
 */
static void replay_failed(struct source *src, const char *why)
{
	src->backoff_ms = src->backoff_ms ? src->backoff_ms * 2 : 1000;
	if (src->backoff_ms > 30000)
		src->backoff_ms = 30000;
	src->next_try_ms = wire_now_ms() + src->backoff_ms;
	src->need_replay = 0;
	log_debug("replay from %s not answered (%s); next try in %lld ms", src->name, why,
	    (long long)src->backoff_ms);
}

/*
 * source_epoch: a replay answer says the source's store is of epoch ep (ours: src->epoch).
 * Unknown before (a cursor from before epochs, or none): adopted, the cursor kept, unless
 * the source is behind it (then it is another store). Else the source's store was made
 * anew: the cursor restarts at 0 in the new epoch, logged. Returns 1 when the cursor was
 * reset (ask again from seq 1), 0 when adopted, -1 when it could not be written.
 */
static int source_epoch(svc *s, struct source *src, uint64_t ep, uint64_t cur, uint64_t last)
{
	int reset = src->epoch != 0 || last < cur;
	for (int attempt = 0; attempt < 16; attempt++) {
		MDB_txn *txn;
		int rc = store_write_begin(s->store, &txn);
		if (rc != 0) {
			log_error("cannot record %s's epoch: %s", src->name, mdb_strerror(rc));
			return -1;
		}
		if (reset)
			rc = store_put_u64(txn, s->cursor, src->name, 0);
		if (rc == 0)
			rc = store_put_u64(txn, s->epochs, src->name, ep);
		if (rc != 0)
			mdb_txn_abort(txn);
		else
			rc = store_commit(s->store, txn);
		if (rc == 0) {
			if (reset)
				log_warn("%s has a new store (epoch %016" PRIx64 ", was %016" PRIx64 "; its last seq %" PRIu64
					 ", our cursor was %" PRIu64 "): applying it again from seq 1",
				    src->name, ep, src->epoch, last, cur);
			else
				log_info("following %s's store of epoch %016" PRIx64 " from our cursor %" PRIu64, src->name, ep, cur);
			src->epoch = ep;
			if (reset)
				atomic_store(&src->soft, 0);
			return reset;
		}
		if (rc != MDB_MAP_FULL) {
			log_error("cannot record %s's epoch: %s", src->name, mdb_strerror(rc));
			return -1;
		}
		if (store_grow(s->store) != 0)
			return -1;
	}
	return -1;
}

/* replay_from asks src for everything after our cursor and applies it, batch by batch. */
static void replay_from(svc *s, struct source *src)
{
	int64_t now = wire_now_ms();
	src->last_replay_ms = now;
	for (;;) {
		uint64_t cur = cursor_of(s, src);
		Aedesk__ReplayRequest rq = AEDESK__REPLAY_REQUEST__INIT;
		rq.from_seq = cur + 1;
		rq.max_events = SVC_REPLAY_BATCH;
		uint8_t *payload, *buf, id[16];
		size_t plen, len;
		if (wire_pack(&rq.base, &payload, &plen) != 0)
			return;
		Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
		e.version = WIRE_VERSION;
		e.type = (char *)aedesk__replay_request__descriptor.name;
		wire_new_id(id);
		e.id.data = id;
		e.id.len = 16;
		e.time_ms = now;
		e.source = (char *)s->decl->name;
		e.payload.data = payload;
		e.payload.len = plen;
		uint8_t stok[4096]; /* the service credential, renewed by the registry (keyring.h) */
		e.token.len = keyring_service_token(s->keys_dir, stok, sizeof stok);
		e.token.data = stok;
		int rc = wire_pack(&e.base, &buf, &len);
		free(payload);
		if (rc)
			return;
		rc = nng_send(src->req, buf, len, 0);
		free(buf);
		void *rb = NULL;
		size_t rl = 0;
		if (rc == 0)
			rc = nng_recv(src->req, &rb, &rl, NNG_FLAG_ALLOC);
		if (rc != 0) {
			replay_failed(src, nng_strerror(rc));
			return;
		}
		Aedesk__Envelope *re = wire_envelope_unpack(rb, rl, NULL);
		Aedesk__ReplayReply *rr = NULL;
		if (re && re->status == AEDESK__STATUS__OK)
			rr = (Aedesk__ReplayReply *)wire_unpack(&aedesk__replay_reply__descriptor,
			    re->payload.data, re->payload.len, NULL);
		if (re && re->status == AEDESK__STATUS__UNAUTHENTICATED && !src->warned_credential) {
			log_warn("%s refuses our Replay: %s (is %s/service.token there and current?)", src->name,
			    re->message, s->keys_dir);
			src->warned_credential = 1;
		}
		if (!rr) {
			replay_failed(src, "bad reply");
			wire_free(re ? &re->base : NULL);
			nng_free(rb, rl);
			return;
		}
		src->answered_ms = wire_now_ms();
		if (rr->epoch && rr->epoch != src->epoch) {
			int again = source_epoch(s, src, rr->epoch, cur, rr->last_seq);
			if (again) {
				wire_free(&rr->base);
				wire_free(&re->base);
				nng_free(rb, rl);
				if (again < 0) {
					replay_failed(src, "cannot write the cursor");
					return;
				}
				continue; /* from seq 1 of the new epoch */
			}
		}
		size_t n = rr->n_events;
		struct item **items = calloc(n ? n : 1, sizeof *items);
		size_t k = 0;
		for (size_t i = 0; items && i < n; i++) {
			struct item *it = calloc(1, sizeof *it);
			if (!it)
				break;
			it->kind = ITEM_EVENT;
			it->body = rr->events[i].data;
			it->len = rr->events[i].len;
			items[k++] = it;
		}
		if (k)
			run_batch(s, items, k); /* frees the items, not the bytes they point into */
		free(items);
		uint64_t last = rr->last_seq;
		if (k)
			log_info("replayed %zu event(s) from %s (cursor %" PRIu64 " of %" PRIu64 ")", k,
			    src->name, cursor_of(s, src), last);
		wire_free(&rr->base);
		wire_free(&re->base);
		nng_free(rb, rl);
		src->backoff_ms = 0;
		if (k == 0 || cursor_of(s, src) >= last || svc_stop) {
			src->need_replay = 0;
			return;
		}
	}
}

/* ---- replay and health: the source side, on their own thread ---- */

static void serve_replay(svc *s, struct item *it)
{
	const Aedesk__Envelope *e = it->env;
	/* The outbox holds every change, personal data included: only a service may read it. */
	auth_caller who;
	if (keyring_verify(e->token.data, e->token.len, wire_now_ms(), &who) != AUTH_OK ||
	    !(who.roles & ROLE_SERVICE)) {
		log_warn("refused a Replay without a valid service credential");
		pack_reply(s, e, AEDESK__STATUS__UNAUTHENTICATED,
		    strcmp(i18n_lang(e->lang), "en") == 0 ? "Replay needs the service credential (keys_dir/service.token)"
							    : "回放需要服务凭据（keys_dir/service.token）",
		    NULL, NULL, 0, &it->out, &it->outlen);
		return;
	}
	Aedesk__ReplayRequest *rq = (Aedesk__ReplayRequest *)wire_unpack(
	    &aedesk__replay_request__descriptor, e->payload.data, e->payload.len, NULL);
	if (!rq) {
		pack_reply(s, e, AEDESK__STATUS__INVALID_ARGUMENT, "bad ReplayRequest", NULL, NULL, 0,
		    &it->out, &it->outlen);
		return;
	}
	size_t max = rq->max_events && rq->max_events < SVC_REPLAY_BATCH ? rq->max_events : SVC_REPLAY_BATCH;
	Aedesk__ReplayReply rr = AEDESK__REPLAY_REPLY__INIT;
	ProtobufCBinaryData *ev = calloc(max, sizeof *ev);
	MDB_txn *txn;
	if (ev && store_read_begin(s->store, &txn) == 0) {
		rr.last_seq = store_get_u64(txn, s->meta, "seq", 0);
		rr.epoch = s->epoch;
		MDB_cursor *c;
		if (mdb_cursor_open(txn, s->outbox, &c) == 0) {
			uint8_t k[8];
			store_be64(k, rq->from_seq ? rq->from_seq : 1);
			MDB_val kv = {8, k}, vv;
			size_t bytes = 0;
			int rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE);
			while (rc == 0 && rr.n_events < max && bytes + vv.mv_size < SVC_REPLAY_BYTES) {
				ev[rr.n_events].data = vv.mv_data; /* valid until the txn ends */
				ev[rr.n_events].len = vv.mv_size;
				rr.n_events++;
				bytes += vv.mv_size;
				rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT);
			}
			mdb_cursor_close(c);
		}
		rr.events = ev;
		uint8_t *payload;
		size_t plen;
		if (wire_pack(&rr.base, &payload, &plen) == 0) {
			pack_reply(s, e, AEDESK__STATUS__OK, "", aedesk__replay_reply__descriptor.name,
			    payload, plen, &it->out, &it->outlen);
			free(payload);
		}
		store_read_end(s->store, txn);
	}
	free(ev);
	wire_free(&rq->base);
}

/* The MethodStats of a Health being built: freed by health_done. */
struct health_methods {
	Aedesk__MethodStats *ms, **msp;
	uint64_t *buckets;
	uint64_t bounds[NBOUNDS];
};

static void health_methods_fill(svc *s, Aedesk__Health *h, struct health_methods *hm)
{
	size_t n = s->decl->nhandlers;
	memset(hm, 0, sizeof *hm);
	for (size_t b = 0; b < NBOUNDS; b++)
		hm->bounds[b] = latency_bounds_us[b];
	h->latency_bounds_us = hm->bounds;
	h->n_latency_bounds_us = NBOUNDS;
	if (!s->stats || !n)
		return;
	hm->ms = calloc(n, sizeof *hm->ms);
	hm->msp = calloc(n, sizeof *hm->msp);
	hm->buckets = calloc(n * NBOUNDS, sizeof *hm->buckets);
	if (!hm->ms || !hm->msp || !hm->buckets)
		return;
	for (size_t i = 0; i < n; i++) {
		Aedesk__MethodStats *m = &hm->ms[i];
		aedesk__method_stats__init(m);
		m->method = (char *)wire_short_name(s->decl->handlers[i].in->name);
		m->count = atomic_load(&s->stats[i].count);
		m->errors = atomic_load(&s->stats[i].errors);
		m->sum_us = atomic_load(&s->stats[i].sum_us);
		m->buckets = hm->buckets + i * NBOUNDS;
		m->n_buckets = NBOUNDS;
		for (size_t b = 0; b < NBOUNDS; b++)
			m->buckets[b] = atomic_load(&s->stats[i].buckets[b]);
		hm->msp[i] = m;
	}
	h->methods = hm->msp;
	h->n_methods = n;
}

static void health_methods_done(struct health_methods *hm)
{
	free(hm->ms);
	free(hm->msp);
	free(hm->buckets);
}

/* health_fill reports what the heartbeat and `aedesk status` show. */
static void health_fill(svc *s, Aedesk__Health *h, Aedesk__ConsumerCursor *cc,
    Aedesk__ConsumerCursor **ccp)
{
	h->service = (char *)s->decl->name;
	h->version = (char *)(s->decl->version ? s->decl->version : AEDESK_VERSION);
	h->pid = (int32_t)getpid();
	h->started_ms = s->started_ms;
	h->uptime_ms = wire_now_ms() - s->started_ms;
	h->last_seq = atomic_load(&s->last_seq);
	h->requests = atomic_load(&s->requests);
	h->errors = atomic_load(&s->errors);
	h->events_applied = atomic_load(&s->events_applied);
	h->tick_ms = s->decl->tick ? (s->decl->tick_ms > 0 ? s->decl->tick_ms : 1000) : 0;
	h->last_tick_ms = atomic_load(&s->last_tick_ms);
	h->sent_ms = wire_now_ms();
	h->epoch = s->epoch;
	store_usage(s->store, &h->store_bytes, &h->map_bytes);
	for (int i = 0; i < s->nsrc; i++) {
		aedesk__consumer_cursor__init(&cc[i]);
		cc[i].source = s->src[i].name;
		cc[i].seq = cursor_of(s, &s->src[i]);
		cc[i].epoch = s->src[i].epoch;
		ccp[i] = &cc[i];
	}
	h->n_cursors = (size_t)s->nsrc;
	h->cursors = ccp;
	if (s->decl->counters) { /* per thread: the replay thread and the main loop both fill */
		static _Thread_local Aedesk__HealthCounter hc[8], *hcp[8];
		const char *names[8];
		int64_t values[8];
		size_t n = s->decl->counters(s, names, values, 8);
		for (size_t i = 0; i < n && i < 8; i++) {
			aedesk__health_counter__init(&hc[i]);
			hc[i].name = (char *)names[i];
			hc[i].value = values[i];
			hcp[i] = &hc[i];
		}
		h->counters = hcp;
		h->n_counters = n < 8 ? n : 8;
	}
}

static void serve_health(svc *s, struct item *it)
{
	Aedesk__Health h = AEDESK__HEALTH__INIT;
	Aedesk__ConsumerCursor cc[33], *ccp[33];
	struct health_methods hm;
	health_fill(s, &h, cc, ccp);
	health_methods_fill(s, &h, &hm);
	uint8_t *payload;
	size_t plen;
	if (wire_pack(&h.base, &payload, &plen) == 0) {
		pack_reply(s, it->env, AEDESK__STATUS__OK, "", aedesk__health__descriptor.name, payload,
		    plen, &it->out, &it->outlen);
		free(payload);
	}
	health_methods_done(&hm);
}

static void *replay_main(void *arg)
{
	svc *s = arg;
	struct item *items[16];
	while (!svc_stop) {
		size_t n = queue_take(&s->replayq, items, 16, 200);
		for (size_t i = 0; i < n; i++) {
			struct item *it = items[i];
			if (strcmp(it->env->type, aedesk__replay_request__descriptor.name) == 0)
				serve_replay(s, it);
			else
				serve_health(s, it);
			if (it->out)
				worker_reply(it->w, it->out, it->outlen);
			else {
				it->w->state = W_RECV;
				nng_ctx_recv(it->w->ctx, it->w->aio);
			}
			item_free(it);
		}
	}
	return NULL;
}

/* ---- heartbeat and periodic chores ---- */

static void heartbeat(svc *s)
{
	Aedesk__Health h = AEDESK__HEALTH__INIT;
	Aedesk__ConsumerCursor cc[33], *ccp[33];
	struct health_methods hm;
	health_fill(s, &h, cc, ccp);
	health_methods_fill(s, &h, &hm);
	uint8_t *payload, *buf;
	size_t plen, len;
	int packed = wire_pack(&h.base, &payload, &plen);
	health_methods_done(&hm);
	if (packed != 0)
		return;
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)aedesk__health__descriptor.name;
	e.time_ms = wire_now_ms();
	e.source = (char *)s->decl->name;
	e.epoch = s->epoch;
	e.payload.data = payload;
	e.payload.len = plen;
	int rc = wire_pack(&e.base, &buf, &len);
	free(payload);
	if (rc)
		return;
	char topic[64];
	int tl = snprintf(topic, sizeof topic, "%s/_heartbeat", s->decl->name) + 1;
	nng_msg *m;
	if (nng_msg_alloc(&m, 0) == 0 && nng_msg_append(m, topic, (size_t)tl) == 0 &&
	    nng_msg_append(m, buf, len) == 0) {
		if (nng_sendmsg(s->pub, m, NNG_FLAG_NONBLOCK) != 0)
			nng_msg_free(m);
	}
	free(buf);
}

/* forget_request_ids deletes remembered replies older than a day, a bounded number a call. */
static void forget_request_ids(svc *s)
{
	MDB_txn *txn;
	MDB_cursor *c = NULL;
	if (store_write_begin(s->store, &txn) != 0)
		return;
	int n = 0, rc = mdb_cursor_open(txn, s->reqtime, &c);
	uint64_t cutoff = (uint64_t)(wire_now_ms() - SVC_REQID_TTL_MS);
	MDB_val k, v;
	while (rc == 0 && n < 10000) {
		if (mdb_cursor_get(c, &k, &v, MDB_FIRST) != 0)
			break;
		if (k.mv_size != 24 || store_from_be64(k.mv_data) >= cutoff)
			break;
		MDB_val id = {16, (uint8_t *)k.mv_data + 8};
		mdb_del(txn, s->reqid, &id, NULL);
		rc = mdb_cursor_del(c, 0);
		n++;
	}
	if (c)
		mdb_cursor_close(c);
	if (n && store_commit(s->store, txn) == 0)
		log_info("forgot %d request id(s) older than a day", n);
	else if (!n)
		mdb_txn_abort(txn);
}

/* ---- sockets ---- */

/* batch_items makes one event item per event of an EventBatch (bytes copied inline),
 * chained in order; *n is how many, *tail the last. NULL when there are none or memory ran out. */
static struct item *batch_items(const uint8_t *body, size_t len, struct item **tail, size_t *n)
{
	*n = 0;
	Aedesk__Envelope *e = wire_envelope_unpack(body, len, NULL);
	Aedesk__EventBatch *b = NULL;
	if (e && strcmp(e->type, aedesk__event_batch__descriptor.name) == 0)
		b = (Aedesk__EventBatch *)wire_unpack(&aedesk__event_batch__descriptor, e->payload.data,
		    e->payload.len, NULL);
	struct item *head = NULL;
	*tail = NULL;
	for (size_t i = 0; b && i < b->n_events; i++) {
		struct item *it = calloc(1, sizeof *it + b->events[i].len);
		if (!it) {
			while (head) {
				struct item *next = head->next;
				free(head);
				head = next;
			}
			*n = 0;
			break;
		}
		it->kind = ITEM_EVENT;
		memcpy(it + 1, b->events[i].data, b->events[i].len);
		it->body = (const uint8_t *)(it + 1);
		it->len = b->events[i].len;
		if (*tail)
			(*tail)->next = it;
		else
			head = it;
		*tail = it;
		(*n)++;
	}
	wire_free(b ? &b->base : NULL);
	wire_free(e ? &e->base : NULL);
	return head;
}

/* sub_cb moves a published event, or each of a batch's, into the main queue and waits for the next. */
static void sub_cb(void *arg)
{
	struct source *src = arg;
	int rv = nng_aio_result(src->aio);
	if (rv == NNG_ECLOSED || rv == NNG_ECANCELED)
		return;
	if (rv == 0) {
		atomic_store(&src->heard_ms, wire_now_ms());
		nng_msg *m = nng_aio_get_msg(src->aio);
		const char *b = nng_msg_body(m);
		size_t len = nng_msg_len(m);
		const char *nul = memchr(b, 0, len);
		const uint8_t *body = nul ? (const uint8_t *)nul + 1 : NULL;
		size_t blen = nul ? len - (size_t)(nul + 1 - b) : 0;
		static const char batch[] = "/_batch";
		if (nul && (size_t)(nul - b) >= sizeof batch - 1 &&
		    memcmp(nul - (sizeof batch - 1), batch, sizeof batch - 1) == 0) {
			struct item *tail;
			size_t n;
			struct item *head = batch_items(body, blen, &tail, &n);
			if (head && queue_push_chain(&src->s->mainq, head, tail, n, n) != 0) {
				while (head) {
					struct item *next = head->next;
					free(head);
					head = next;
				}
				src->need_replay = 1;
			}
			nng_msg_free(m);
		} else {
			struct item *it = nul ? calloc(1, sizeof *it) : NULL;
			if (it) {
				it->kind = ITEM_EVENT;
				it->msg = m;
				it->body = body;
				it->len = blen;
				if (queue_push(&src->s->mainq, it) != 0) {
					item_free(it);
					src->need_replay = 1;
				}
			} else
				nng_msg_free(m);
		}
	}
	nng_recv_aio(src->sub, src->aio);
}

/*
 * check_peer runs as each ipc connection is added: a peer whose uid is not allowed
 * (config allowed_uids; by default this service's own uid and root) is closed before
 * it can send a byte. Other transports have no peer uid and are left to TLS.
 */
static void check_peer(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	svc *s = arg;
	uint64_t uid;
	(void)ev;
	if (nng_pipe_get_uint64(p, NNG_OPT_IPC_PEER_UID, &uid) != 0)
		return;
	for (int i = 0; i < s->nallowed; i++)
		if (s->allowed_uids[i] == uid)
			return;
	log_warn("refused a connection from uid %llu (not in allowed_uids)", (unsigned long long)uid);
	nng_pipe_close(p);
}

/* parse_allowed_uids reads "allowed_uids = 0, 998"; default: our uid and root. */
static void parse_allowed_uids(svc *s)
{
	const char *v = conf_get(s->conf, "allowed_uids", NULL);
	s->nallowed = 0;
	if (!v) {
		s->allowed_uids[s->nallowed++] = (uint64_t)getuid();
		if (getuid() != 0)
			s->allowed_uids[s->nallowed++] = 0;
		return;
	}
	char buf[512];
	snprintf(buf, sizeof buf, "%s", v);
	for (char *save, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		char *end;
		unsigned long long u = strtoull(t, &end, 10);
		if (*end || s->nallowed == 16)
			log_fatal("%s: allowed_uids must be up to 16 numeric uids, not \"%s\"", conf_path(s->conf), v);
		s->allowed_uids[s->nallowed++] = u;
	}
}

/* listen_at starts a listener; ipc sockets are made 0660 so the aedesk group can connect. */
static int listen_at(nng_socket sock, const char *url)
{
	return transport_listen(sock, url, 0660, NULL); /* tls+tcp: common/transport.c */
}

static void listen_or_die(nng_socket sock, const char *url)
{
	int rv = listen_at(sock, url);
	if (rv == NNG_EADDRINUSE && strncmp(url, "ipc://", 6) == 0) {
		/* A socket file left by a killed process: if nobody answers on it, reuse it. */
		nng_socket probe;
		if (nng_req0_open(&probe) == 0) {
			int alive = nng_dial(probe, url, NULL, 0) == 0;
			nng_close(probe);
			if (!alive) {
				unlink(url + 6);
				rv = listen_at(sock, url);
			}
		}
	}
	if (rv == NNG_EADDRINUSE)
		log_fatal("cannot listen on %s: %s (is another copy of this service running?)", url,
		    nng_strerror(rv));
	if (rv == NNG_EADDRINVAL && strncmp(url, "ipc://", 6) == 0 && strlen(url + 6) > 107)
		log_fatal("cannot listen on %s: the socket path is longer than 107 bytes; "
			  "choose a shorter run_dir", url);
	if (rv != 0)
		log_fatal("cannot listen on %s: %s", url, nng_strerror(rv));
}

/* mkdir_parents creates dir and any missing parents with mode. */
static int mkdir_parents(const char *dir, mode_t mode)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, mode) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return (mkdir(tmp, mode) != 0 && errno != EEXIST) ? -1 : 0;
}

static void open_sockets(svc *s)
{
	char url[512];
	int rv;
	const char *run = conf_get(s->conf, "run_dir", "/run/aedesk");
	if (mkdir_parents(run, 0770) != 0)
		log_fatal("cannot create the run directory %s: %s", run, strerror(errno));
	struct stat rst; /* the ipc sockets' directory: the aedesk group only (docs/SECURITY.md) */
	if (stat(run, &rst) == 0 && (rst.st_mode & 0007))
		log_warn("the run directory %s is open to everyone (mode %03o): make it 0770, group aedesk", run,
		    (unsigned)(rst.st_mode & 0777));
	if ((rv = nng_rep0_open(&s->rep)) != 0 || (rv = nng_pub0_open(&s->pub)) != 0)
		log_fatal("cannot open sockets: %s", nng_strerror(rv));
	parse_allowed_uids(s);
	nng_pipe_notify(s->rep, NNG_PIPE_EV_ADD_PRE, check_peer, s);
	nng_pipe_notify(s->pub, NNG_PIPE_EV_ADD_PRE, check_peer, s);
	nng_socket_set_size(s->rep, NNG_OPT_RECVMAXSZ, WIRE_MAX_FRAME);
	nng_socket_set_size(s->pub, NNG_OPT_RECVMAXSZ, 1024);
	nng_socket_set_int(s->pub, NNG_OPT_SENDBUF, 8192);
	conf_endpoint(s->conf, s->decl->name, "rep", url, sizeof url);
	listen_or_die(s->rep, url);
	log_info("answering on %s", url);
	conf_endpoint(s->conf, s->decl->name, "pub", url, sizeof url);
	listen_or_die(s->pub, url);

	s->nworkers = (int)conf_get_int(s->conf, "rep_workers", 64, NULL); /* range checked at start */
	s->workers = calloc((size_t)s->nworkers, sizeof *s->workers);
	if (!s->workers)
		log_fatal("out of memory");
	for (int i = 0; i < s->nworkers; i++) {
		struct worker *w = &s->workers[i];
		w->s = s;
		if ((rv = nng_aio_alloc(&w->aio, worker_cb, w)) != 0 ||
		    (rv = nng_ctx_open(&w->ctx, s->rep)) != 0)
			log_fatal("cannot open a reply context: %s", nng_strerror(rv));
	}

	/* Every service but the registry follows the registry, at least for revocations. */
	const char *names[32];
	int implicit = strcmp(s->decl->name, "registry") != 0;
	for (const char *const *p = s->decl->sources; p && *p && s->nsrc < 31; p++) {
		names[s->nsrc++] = *p;
		if (strcmp(*p, "registry") == 0)
			implicit = 0;
	}
	if (implicit)
		names[s->nsrc++] = "registry";
	s->src = calloc((size_t)s->nsrc + 1, sizeof *s->src);
	for (int i = 0; i < s->nsrc; i++) {
		struct source *src = &s->src[i];
		src->s = s;
		snprintf(src->name, sizeof src->name, "%s", names[i]);
		src->need_replay = 1; /* start-up: catch up first */
		MDB_txn *txn;
		if (store_read_begin(s->store, &txn) == 0) {
			src->epoch = store_get_u64(txn, s->epochs, src->name, 0);
			store_read_end(s->store, txn);
		}
		char topic[40];
		snprintf(topic, sizeof topic, "%s/", src->name);
		if ((rv = nng_sub0_open(&src->sub)) != 0 || (rv = nng_req0_open(&src->req)) != 0 ||
		    (rv = nng_aio_alloc(&src->aio, sub_cb, src)) != 0)
			log_fatal("cannot open sockets for %s: %s", src->name, nng_strerror(rv));
		nng_socket_set_size(src->sub, NNG_OPT_RECVMAXSZ, WIRE_MAX_FRAME + 256);
		nng_socket_set_int(src->sub, NNG_OPT_RECVBUF, 8192);
		nng_socket_set(src->sub, NNG_OPT_SUB_SUBSCRIBE, topic, strlen(topic));
		nng_socket_set_size(src->req, NNG_OPT_RECVMAXSZ, WIRE_MAX_REPLY);
		nng_socket_set_ms(src->req, NNG_OPT_RECVTIMEO, 1000);
		nng_socket_set_ms(src->req, NNG_OPT_SENDTIMEO, 1000);
		nng_socket_set_ms(src->req, NNG_OPT_REQ_RESENDTIME, 10000);
		conf_endpoint(s->conf, src->name, "pub", src->sub_url, sizeof src->sub_url);
		transport_dial(src->sub, src->sub_url, &src->sub_d, NNG_FLAG_NONBLOCK);
		conf_endpoint(s->conf, src->name, "rep", src->req_url, sizeof src->req_url);
		transport_dial(src->req, src->req_url, &src->req_d, NNG_FLAG_NONBLOCK);
		atomic_store(&src->heard_ms, wire_now_ms());
		src->answered_ms = wire_now_ms();
		nng_recv_aio(src->sub, src->aio);
	}
	for (int i = 0; i < s->nworkers; i++) {
		s->workers[i].state = W_RECV;
		nng_ctx_recv(s->workers[i].ctx, s->workers[i].aio);
	}
}

/*
 * source_redial replaces a source's sub or req dialer when we have heard nothing on it
 * for five heartbeats (at least 5 s): no event or heartbeat on sub, or no answer to a
 * wanted replay on req. NNG 1.5.2 leaves a dialer dead when the peer was killed between
 * accept and the SP handshake, and the consumer would never catch up again
 * (tests/chaos: aedesk-chaos --victims registry).
 */
static void source_redial(svc *s, struct source *src, int64_t now, int sub)
{
	log_warn("no %s from %s for %lld ms: dialing it again", sub ? "event or heartbeat" : "answer to replay",
	    src->name, (long long)(now - (sub ? atomic_load(&src->heard_ms) : src->answered_ms)));
	if (sub) {
		nng_dialer_close(src->sub_d);
		transport_dial(src->sub, src->sub_url, &src->sub_d, NNG_FLAG_NONBLOCK);
		atomic_store(&src->heard_ms, now);
	} else {
		nng_dialer_close(src->req_d);
		transport_dial(src->req, src->req_url, &src->req_d, NNG_FLAG_NONBLOCK);
		src->answered_ms = now;
	}
	src->need_replay = 1;
	(void)s;
}

/* ---- start and stop ---- */

static void usage(const struct svc_decl *d, FILE *f)
{
	fprintf(f,
	    "usage: aedesk-%s [--conf PATH]\n"
	    "%s\n\n"
	    "  --conf PATH   the configuration file (default $AEDESK_CONF, else\n"
	    "                /etc/aedesk/aedesk.conf); see deploy/aedesk.conf.example\n"
	    "  --version     print the version and exit\n"
	    "  --help        this text\n\n"
	    "Runs in the foreground and logs one line per event to stderr; SIGTERM or\n"
	    "Ctrl-C stops it after the work in hand is committed.\n",
	    d->name, d->summary ? d->summary : "");
}

/* store_new_epoch gives a store its epoch (created now, or by a version before epochs). */
static void store_new_epoch(svc *s, const char *dir)
{
	while (!s->epoch)
		randombytes_buf(&s->epoch, sizeof s->epoch);
	MDB_txn *txn;
	int rc = store_write_begin(s->store, &txn);
	if (rc == 0 && (rc = store_put_u64(txn, s->meta, "epoch", s->epoch)) != 0)
		mdb_txn_abort(txn);
	else if (rc == 0)
		rc = store_commit(s->store, txn);
	if (rc != 0)
		log_fatal("%s: cannot record the store's epoch: %s", dir, mdb_strerror(rc));
	log_info("store epoch %016" PRIx64 " (%s)", s->epoch,
	    s->published_seq ? "made by an older version" : "a new store");
}

/* open_store opens the service's LMDB env with the skeleton's tables and its own. */
static void open_store(svc *s)
{
	store_table t[64];
	size_t n = 0;
	t[n++] = (store_table){"_outbox", &s->outbox};
	t[n++] = (store_table){"_meta", &s->meta};
	t[n++] = (store_table){"_cursor", &s->cursor};
	t[n++] = (store_table){"_reqid", &s->reqid};
	t[n++] = (store_table){"_reqtime", &s->reqtime};
	t[n++] = (store_table){"_revoked", &s->revoked};
	t[n++] = (store_table){"_epoch", &s->epochs};
	t[n++] = (store_table){"_keys", &s->keys};
	for (const store_table *p = s->decl->tables; p && p->name && n < 63; p++)
		t[n++] = *p;
	t[n] = (store_table){NULL, NULL};
	char dir[1024], err[1200];
	snprintf(dir, sizeof dir, "%s/%s", conf_get(s->conf, "data_dir", "/var/lib/aedesk"),
	    s->decl->name);
	/* A damaged store is refused before it serves anything (LMDB keeps no checksums). */
	const char *check = conf_get(s->conf, "store_check", "on");
	if (strcmp(check, "on") != 0 && strcmp(check, "off") != 0)
		log_fatal("%s: store_check must be on or off, not \"%s\"", conf_path(s->conf), check);
	int checked = strcmp(check, "on") == 0 ? store_check(dir, err, sizeof err) : 2;
	if (checked < 0)
		log_fatal("%s", err);
	if (checked == 2) {
		char mark[1100];
		snprintf(mark, sizeof mark, "%s/%s", dir, STORE_CLEAN_MARK);
		unlink(mark);
	}
	log_info("store check: %s", checked == 0 ? "every record read" : checked == 1 ? "skipped (clean stop, file unchanged since)" : "off");
	size_t map = (size_t)conf_int_or_die(s->conf, "map_mb", 64, 1, 1 << 20) << 20;
	if (store_open(&s->store, dir, t, map, err, sizeof err) != 0)
		log_fatal("%s", err);
	MDB_txn *txn;
	keyring_init(s->keys_dir);
	if (store_read_begin(s->store, &txn) == 0) {
		s->published_seq = store_get_u64(txn, s->meta, "seq", 0);
		atomic_store(&s->last_seq, s->published_seq);
		s->epoch = store_get_u64(txn, s->meta, "epoch", 0);
		keyring_load(txn, s->keys);
		store_read_end(s->store, txn);
	}
	if (!s->epoch)
		store_new_epoch(s, dir);
	if (!s->decl->open)
		return;
	for (int attempt = 0; attempt < 16; attempt++) {
		svc_req r = {.svc = s, .lang = "en", .now_ms = wire_now_ms()};
		strcpy(r.rid, "start");
		pending_truncate(s, 0);
		if (store_write_begin(s->store, &r.txn) != 0)
			log_fatal("%s: cannot begin a transaction", dir);
		int rc = s->decl->open(s, &r);
		free(r.reply);
		if (rc == 0 && !r.map_full && (rc = store_commit(s->store, r.txn)) == 0)
			return;
		if (rc != 0 && !r.map_full && rc != MDB_MAP_FULL)
			log_fatal("%s: start-up failed: %s", dir, r.message[0] ? r.message : mdb_strerror(rc));
		if (r.map_full)
			mdb_txn_abort(r.txn);
		store_grow(s->store);
	}
	log_fatal("%s: start-up failed: the map cannot grow", dir);
}

int64_t conf_int_or_die(const conf *c, const char *key, int64_t dflt, int64_t min, int64_t max)
{
	int bad;
	int64_t v = conf_get_int(c, key, dflt, &bad);
	if (bad || v < min || v > max)
		log_fatal("%s: %s must be a whole number from %lld to %lld, not \"%s\"", conf_path(c), key,
		    (long long)min, (long long)max, conf_get(c, key, ""));
	return v;
}

int svc_main(const struct svc_decl *decl, int argc, char **argv)
{
	static const struct option opts[] = {{"conf", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	const char *path = getenv("AEDESK_CONF");
	int ch;
	while ((ch = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(decl, stdout);
			return 0;
		case 'V':
			printf("aedesk-%s %s\n", decl->name, decl->version ? decl->version : AEDESK_VERSION);
			return 0;
		default:
			usage(decl, stderr);
			return 2;
		}
	}
	log_init(decl->name);
	/* R-PRIVACY-1: a crash must not write personal data to a core file, and no other
	 * process of the same user may read this one's memory (ptrace, /proc/PID/mem). */
	struct rlimit nocore = {0, 0};
	if (setrlimit(RLIMIT_CORE, &nocore) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		log_fatal("cannot turn core dumps off");
	if (sodium_init() < 0)
		log_fatal("libsodium cannot start");
	svc *s = calloc(1, sizeof *s);
	if (!s)
		log_fatal("out of memory");
	s->decl = decl;
	s->started_ms = wire_now_ms();
	char err[1200];
	if (!path || !*path)
		path = "/etc/aedesk/aedesk.conf";
	if (!(s->conf = conf_load(path, err, sizeof err)))
		log_fatal("%s", err);
	if (transport_init(s->conf, err, sizeof err) != 0)
		log_fatal("%s", err);
	enum log_level lv;
	const char *lvs = conf_get(s->conf, "log_level", NULL);
	if (lvs && log_parse_level(lvs, &lv) != 0)
		log_fatal("%s: log_level must be debug, info, warn or error, not \"%s\"", path, lvs);
	if (lvs && !getenv("AEDESK_LOG_LEVEL")) /* the environment overrides the file */
		log_set_level(lv);
	snprintf(s->keys_dir, sizeof s->keys_dir, "%s", conf_get(s->conf, "keys_dir", "/etc/aedesk/keys"));
	s->heartbeat_ms = conf_int_or_die(s->conf, "heartbeat_ms", 2000, 50, 3600000);
	s->replay_idle_ms = conf_int_or_die(s->conf, "replay_idle_ms", 30000, 100, 86400000);
	conf_int_or_die(s->conf, "rep_workers", 64, 1, 1024);
	s->linger_us = conf_int_or_die(s->conf, "event_linger_us", 2000, 0, 1000000);
	queue_init(&s->mainq);
	queue_init(&s->replayq);

	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	s->stats = calloc(decl->nhandlers ? decl->nhandlers : 1, sizeof *s->stats);
	if (!s->stats)
		log_fatal("out of memory");
	open_store(s);
	open_sockets(s);
	if (pthread_create(&s->replay_thread, NULL, replay_main, s) != 0)
		log_fatal("cannot start the replay thread");
	s->replay_started = 1;
	log_info("started (pid %d, store %s, last seq %" PRIu64 ")", (int)getpid(),
	    store_dir(s->store), s->published_seq);

	struct item *items[SVC_MAX_BATCH];
	int64_t next_hb = 0, next_tick = 0, next_chores = wire_now_ms() + 60000;
	while (!svc_stop) {
		int64_t wait = s->decl->tick ? next_tick - wire_now_ms() : 100; /* a tick due sooner */
		size_t n = take_batch(s, items, wait < 0 ? 0 : wait > 100 ? 100 : (int)wait);
		if (n)
			run_batch(s, items, n);
		int64_t now = wire_now_ms();
		for (int i = 0; i < s->nsrc && !svc_stop; i++) {
			struct source *src = &s->src[i];
			int idle = now - src->last_replay_ms >= s->replay_idle_ms;
			if ((src->need_replay || idle) && now >= src->next_try_ms)
				replay_from(s, src);
			int64_t quiet = 5 * s->heartbeat_ms < 5000 ? 5000 : 5 * s->heartbeat_ms;
			if (now - atomic_load(&src->heard_ms) > quiet)
				source_redial(s, src, now, 1);
			if (src->need_replay && now - src->answered_ms > quiet)
				source_redial(s, src, now, 0);
		}
		if (s->decl->tick && (next_tick = tick_next(s, next_tick)) <= now) {
			run_tick(s);
			next_tick = tick_next(s, now + (s->decl->tick_ms > 0 ? s->decl->tick_ms : 1000));
		}
		if (now >= next_hb) {
			persist_soft(s);
			heartbeat(s);
			next_hb = now + s->heartbeat_ms;
		}
		if (now >= next_chores) {
			int dead = 0;
			store_reader_check(s->store, &dead);
			if (dead)
				log_warn("cleared %d stale reader slot(s)", dead);
			forget_request_ids(s);
			next_chores = now + 60000;
		}
	}

	/* Stop: nothing new is taken; the batch in hand was committed and answered above.
	 * nng_close can hang on a busy socket (NNG #1543): a watchdog ends the process, cleanly
 * (on_stop_watchdog), since all that is acknowledged is durable by now. */
	log_info("stopping");
	signal(SIGALRM, on_stop_watchdog);
	alarm(5);
	nng_close(s->rep);
	for (int i = 0; i < s->nsrc; i++) {
		nng_close(s->src[i].sub);
		nng_close(s->src[i].req);
	}
	if (s->replay_started)
		pthread_join(s->replay_thread, NULL);
	for (int i = 0; i < s->nworkers; i++) {
		nng_aio_stop(s->workers[i].aio);
		nng_aio_free(s->workers[i].aio);
	}
	for (int i = 0; i < s->nsrc; i++) {
		nng_aio_stop(s->src[i].aio);
		nng_aio_free(s->src[i].aio);
	}
	size_t n;
	while ((n = queue_take(&s->mainq, items, SVC_MAX_BATCH, 0)) > 0)
		for (size_t i = 0; i < n; i++)
			item_free(items[i]);
	while ((n = queue_take(&s->replayq, items, SVC_MAX_BATCH, 0)) > 0)
		for (size_t i = 0; i < n; i++)
			item_free(items[i]);
	nng_close(s->pub);
	if (decl->close)
		decl->close(s);
	store_sync(s->store); /* the last lazy commits too */
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", store_dir(s->store));
	store_close(s->store);
	store_mark_clean(dir); /* the next start may skip store_check */
	conf_free(s->conf);
	free(s->workers);
	free(s->src);
	pending_truncate(s, 0);
	free(s->pend);
	free(s->pubv);
	free(s->stats);
	free(s);
	log_info("stopped");
	return 0;
}
