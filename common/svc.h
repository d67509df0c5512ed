/*
 * NAME
 *	svc.h - the skeleton every aedesk service hands over to
 *
 * SYNOPSIS
 *	static const struct svc_handler handlers[] = {
 *		{&aedesk__client_add_request__descriptor, registry_client_add, SVC_WRITES},
 *	};
 *	static const struct svc_decl decl = {.name = "registry", .handlers = handlers, ...};
 *	int main(int argc, char **argv) { return svc_main(&decl, argc, argv); }
 *
 * DESCRIPTION
 *	A service declares itself; the skeleton owns the lifecycle: options (--conf), the
 *	config file, logging, the LMDB store, a REP socket served by a pool of NNG contexts,
 *	PUB, one SUB and one REQ per source it consumes, heartbeats, the replay protocol and
 *	shutdown on SIGTERM/SIGINT.
 *
 *	Never lose an event (DESIGN.md). One thread, the main loop, runs every handler that
 *	may write. It takes all the requests and events that have arrived, runs them in one
 *	write transaction (group commit: one sync for the batch), and only after that
 *	commits does it send the replies and publish the events that the batch appended to
 *	the outbox. A handler that fails has what it wrote undone: the batch is redone with
 *	each item in a nested transaction of its own, the failed one's aborted - nothing it
 *	wrote, and no event it emitted, survives. Reads (handlers with neither SVC_WRITES
 *	nor SVC_PUBLIC) are answered at once on NNG's callback threads from a read
 *	transaction, in parallel and without waiting for a batch; a read that is refused or
 *	fails is handed to the main loop like any other request. So a read handler must
 *	not write, and must be safe to run on several threads at once (no static buffers). A request that changes
 *	state (SVC_WRITES) and carries an id has its reply stored under that id in the same
 *	transaction, so a request that REQ re-sends gets the first answer and runs once.
 *	Events from a source are applied in seq order with the consumer's cursor written in
 *	the same transaction; a seq already applied is skipped, a gap (or a heartbeat that
 *	shows the source is ahead, or start-up, or a quiet spell) triggers Replay over
 *	req/rep. Replay and Health requests are answered by a thread of their own so two
 *	services replaying from each other never wait on each other's main loop.
 *
 * SECURITY
 *	Every request except SVC_PUBLIC ones must carry a valid token; the caller's id and
 *	roles reach the handler in r->caller. No token: UNAUTHENTICATED, nothing runs.
 *	Every service but the registry also applies the registry's TokensRevoked events
 *	(an implicit source), so a revoked token is refused everywhere, and KeyRotated, so
 *	a rotated signing key is known everywhere (keyring.h). Replay is answered only to
 *	the service credential (keys_dir/service.token). A request answered UNAUTHENTICATED
 *	or PERMISSION_DENIED is recorded as an AccessRefused event for the audit trail
 *	(refusal.c). Endpoints are listened on and dialed through transport.h (tls+tcp).
 */
#ifndef AEDESK_SVC_H
#define AEDESK_SVC_H

#include <lmdb.h>
#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

#include "auth.h"
#include "conf.h"
#include "envelope.pb-c.h"
#include "i18n.h"
#include "security.pb-c.h"
#include "store.h"

typedef struct svc svc;

/* One request or event being handled: what the handler reads and fills in. */
typedef struct svc_req {
	svc *svc;
	MDB_txn *txn;                   /* the batch's write transaction, or a read one */
	const auth_caller *caller;      /* NULL for events and public requests */
	const Aedesk__Envelope *env;    /* the request or event as received */
	const char *lang;               /* "zh" or "en" */
	int64_t now_ms;
	char rid[33];                   /* request id in hex, for logs */
	/* filled by svc_reply / svc_fail */
	Aedesk__Status status;
	char message[1024];
	uint8_t *reply;
	size_t reply_len;
	const char *reply_type;
	int map_full;                   /* an MDB_MAP_FULL was seen: the batch is redone */
	/* A refused login: the account it named, set by the handler only when that account
	 * exists; the AccessRefused event of the audit trail carries it (common/refusal.c). */
	char refused_subject[64];
} svc_req;

typedef int (*svc_handler_fn)(svc_req *r, const ProtobufCMessage *in);
typedef int (*svc_event_fn)(svc_req *r, const ProtobufCMessage *ev);

enum svc_flags {
	SVC_PUBLIC = 1,  /* no token needed (login, health) */
	SVC_WRITES = 2,  /* changes state: remembered by request id */
};

struct svc_handler {
	const ProtobufCMessageDescriptor *in;
	svc_handler_fn fn;
	unsigned flags;
};

/* ev NULL: the handler sees every event of the source (its payload undecoded: r->env). */
struct svc_event_handler {
	const char *source;
	const ProtobufCMessageDescriptor *ev;
	svc_event_fn fn;
};

struct svc_decl {
	const char *name;
	const char *version;
	const char *summary;                    /* one line for --help */
	const struct svc_handler *handlers;
	size_t nhandlers;
	const char *const *sources;             /* services whose events it applies; NULL-ended */
	const struct svc_event_handler *events;
	size_t nevents;
	const store_table *tables;              /* the service's own tables; NULL-ended */
	/* open: after the store is open, in a write transaction that may emit events. */
	int (*open)(svc *s, svc_req *r);
	void (*close)(svc *s);
	/* Optional. clock: "now" for handlers (r->now_ms) and ticks; default the system
	 * clock. A scheduler hands in a clock tests can move. */
	int64_t (*clock)(svc *s);
	/* Optional. tick: run every tick_ms in a write transaction of its own (it may
	 * emit events; a failure aborts it); for work driven by time, e.g. reminders.
	 * svc_tick_at runs it sooner. A tick that changes nothing commits nothing. */
	int (*tick)(svc *s, svc_req *r);
	int tick_ms;
	/* Optional. topic: the pub/sub topic of an outbox event (default
	 * "<service>/<Type>"); e.g. "notify/<staff-id>/" for a notification. */
	int (*topic)(svc *s, const Aedesk__Envelope *e, char *buf, size_t len);
	/* Optional. counters: the service's own figures for Health and `aedesk status`
	 * (at most max; returns how many). Called from any thread: read atomics only. */
	size_t (*counters)(svc *s, const char **names, int64_t *values, size_t max);
};

int svc_main(const struct svc_decl *decl, int argc, char **argv);

/* svc_reply packs the handler's reply; the skeleton sends it after the commit. */
int svc_reply(svc_req *r, const ProtobufCMessage *reply);
/* svc_fail sets a status and the user's message; returns -1 so handlers can return it. */
int svc_fail(svc_req *r, Aedesk__Status st, enum i18n_msg id, ...);
/* svc_failf: svc_fail with the message inline, Chinese and English (same arguments). */
int svc_failf(svc_req *r, Aedesk__Status st, const char *zh, const char *en, ...)
    __attribute__((format(printf, 4, 5)));
/* svc_now: the service's clock (see svc_decl.clock). */
int64_t svc_now(svc *s);
/* svc_tick_at: run the tick as soon as the service's clock reaches at_ms (at once if
 * past), when that is sooner than its period; for a handler or tick that knows when the
 * next work is due (e.g. the scheduler's next reminder). Meant for the main loop (it
 * takes effect when the loop next looks, at once after a batch or tick); a spare tick
 * is harmless, so a transaction that aborts after asking need not undo it. */
void svc_tick_at(svc *s, int64_t at_ms);
/* svc_db_error: an LMDB failure inside a handler (MAP_FULL makes the batch be redone). */
int svc_db_error(svc_req *r, int rc, const char *what);
/* svc_revoke_tokens ends every token of staff_id issued at or before before_ms, here and
 * (through the TokensRevoked event it emits) at every other service. Registry only. */
int svc_revoke_tokens(svc_req *r, const char *staff_id, int64_t before_ms, const char *reason);
/* svc_revoked_before: tokens of staff_id issued at or before this time are void (0: none). */
int64_t svc_revoked_before(svc_req *r, const char *staff_id);
/* svc_key_rotated records a token key rotation here and emits it for every other
 * service (registry only; common/keyring.h). */
int svc_key_rotated(svc_req *r, const Aedesk__KeyRotated *ev);
/* svc_record_refusal: an AccessRefused event for the audit trail (rate-limited; skeleton). */
int svc_record_refusal(svc_req *r, const char *action, const char *staff_id, int status, const char *reason);
/* svc_emit appends an event to the outbox in the request's transaction. */
int svc_emit(svc_req *r, const ProtobufCMessage *ev);

const conf *svc_conf(svc *s);
/* conf_int_or_die: an integer setting in [min, max] (dflt when unset); a bad value stops
 * the service at start with a message naming the key. */
int64_t conf_int_or_die(const conf *c, const char *key, int64_t dflt, int64_t min, int64_t max);
store *svc_store(svc *s);
const char *svc_name(svc *s);
void svc_set_user(svc *s, void *p);
void *svc_user(svc *s);
/* svc_has_role: the caller has any of the roles in mask. */
int svc_has_role(const svc_req *r, uint32_t mask);

#endif
