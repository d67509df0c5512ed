/*
 * NAME
 *	push.h - aedesk-push's shared state
 *
 * DESCRIPTION
 *	Tables (the service's own LMDB):
 *	  hooks    hook id ("staff:<id>", "team:<AM id>") -> PushHook (with its credentials)
 *	  out      be64(seq) -> PushDelivery: the delivery outbox, pending, sent and failed
 *	  pending  be64(seq) -> "": the deliveries not yet sent nor given up, in order
 *	  staff    staff id -> Staff (the registry's, for teams: who manages whom)
 *	  push_meta "seq" (last delivery seq), "clock_offset_ms" (the test clock)
 *
 *	Threads: the main loop (the skeleton's) applies events and requests and runs the tick,
 *	which hands due deliveries to the sender threads and records what they report; the
 *	sender threads only talk HTTP (libcurl) and never touch the store.
 */
#ifndef AEDESK_PUSH_H
#define AEDESK_PUSH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "push.pb-c.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "svc.h"

#define PUSH_MAX_SENDERS 8
#define PUSH_MAX_INFLIGHT 256
#define PUSH_RATE_SLOTS 128

/* A message handed to a sender thread and, filled in, handed back. */
struct push_job {
	struct push_job *next;
	uint64_t seq;
	char hook_id[96];
	char kind[16];
	char *url, *secret, *text; /* url and secret are wiped when freed */
	/* the result */
	int ok;
	long http;
	char why[256];
	int64_t tried_ms;
	uint32_t attempts_after; /* the delivery's attempts once this outcome is recorded */
};

/* The sends to one webhook in the last minute, for its rate limits. */
struct push_rate {
	char hook_id[96];
	int64_t t[PUSH_RATE_SLOTS]; /* ring of send times (service clock) */
	int n, head;
};

struct push {
	svc *svc;
	const conf *conf;
	MDB_dbi hooks, out, pending, staff, meta;
	/* config */
	int test_clock;
	int64_t tz_ms;
	int quiet_from, quiet_to;       /* minutes of the local day; -1: no quiet hours */
	char urgent_rules[512];         /* comma-separated rule ids that ignore quiet hours */
	char prefix[128];
	int64_t retry_base_ms, retry_max_ms, give_up_ms, keep_ms, timeout_ms;
	int per_min[3], per_s[3];       /* wecom, dingtalk, feishu */
	int nsenders;
	/* Health counters, refreshed by the tick: deliveries pending, and given up (kept) */
	_Atomic int64_t backlog, failed;
	/* the clock: system + offset (tests move it) */
	_Atomic int64_t offset_ms;
	/* sender threads */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct push_job *jobs, *jobs_tail, *done;
	struct push_job *recorded; /* main loop: outcomes written, not yet seen committed */
	struct push_job *staged;   /* main loop: handed out by a tick, sent after its commit */
	int njobs;
	pthread_t threads[PUSH_MAX_SENDERS];
	int nthreads;
	atomic_int stop;
	/* main loop only */
	uint64_t inflight[PUSH_MAX_INFLIGHT];
	int ninflight;
	struct push_rate *rates;
	int nrates, rates_loaded, dirty;
	int64_t next_scan_ms, next_prune_ms;
};

extern struct push push;

/* main.c */
int64_t push_clock(svc *s);
int push_kind_index(const char *kind);
/* outbox.c */
int push_on_notification(svc_req *r, const ProtobufCMessage *ev);
int push_on_staff_added(svc_req *r, const ProtobufCMessage *ev);
int push_on_staff_disabled(svc_req *r, const ProtobufCMessage *ev);
int push_enqueue(svc_req *r, const Aedesk__PushHook *h, const char *notification_id,
    const char *staff_id, const char *rule, const char *text, int urgent, Aedesk__PushDelivery **out);
int push_tick(svc *s, svc_req *r);
int push_in_quiet(int64_t now_ms);
size_t push_counters(svc *s, const char **names, int64_t *values, size_t max);
/* hooks.c */
int push_set(svc_req *r, const ProtobufCMessage *in);
int push_list(svc_req *r, const ProtobufCMessage *in);
int push_remove(svc_req *r, const ProtobufCMessage *in);
int push_test(svc_req *r, const ProtobufCMessage *in);
int push_status(svc_req *r, const ProtobufCMessage *in);
int push_clock_set(svc_req *r, const ProtobufCMessage *in);
/* send.c */
int push_senders_start(void);
void push_senders_stop(void);
void push_job_free(struct push_job *j);
void push_job_submit(struct push_job *j);
struct push_job *push_jobs_done(void);

/* push_manager_of: the manager chain for the permission table (perm_set_manager_lookup). */
void push_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len);

#endif
