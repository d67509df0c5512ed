/*
 * NAME
 *	outbox.c - from a notification to a delivery, and deliveries to the sender threads
 *
 * DESCRIPTION
 *	push_on_notification applies the scheduler's Notification event: one PushDelivery
 *	per webhook it goes to (the staff member's own, "staff:<id>", and the team's of
 *	their AM, "team:<manager>"), written in the transaction that moves the cursor, so a
 *	notification is queued exactly once, across restarts too. A disabled staff member's
 *	notifications are not pushed. The message is the notification's text (already in the
 *	person's language), after push.prefix, ending with its id ("[N0000012]": what
 *	`aedesk inbox done` takes); a team's message starts with whose it is.
 *
 *	push_tick (the main loop, every tick_ms) first records what the sender threads
 *	report: taken -> "sent" (PushSent); not taken -> attempts + 1 and the next try after
 *	push.retry_base_ms doubling per attempt up to push.retry_max_ms (PushRetry), or
 *	"failed" once the delivery is push.give_up_days old (PushGaveUp). Then it hands out
 *	what is due, in seq order per webhook, one at a time per webhook (a later message
 *	never overtakes an earlier one), within each webhook's rate limits (a sliding
 *	minute and second, counting every attempt), and outside quiet hours unless the
 *	notification's rule is urgent (push.urgent_rules, default ALERT: a service is down).
 *
 *	At least once at the HTTP boundary: a message the platform took but whose outcome
 *	the tick had not yet committed is sent again after a crash. A message is handed to
 *	a sender only after the tick that chose it has committed, which also holds the
 *	outcome of the webhook's message before it: so a crash repeats at most the one
 *	message in flight per webhook. Nothing else is sent twice, and nothing is lost.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policy.h"
#include "push.h"
#include "wire.h"

#define DAY_MS (86400000LL)

static int get_staff(MDB_txn *txn, const char *id, Aedesk__Staff **out)
{
	*out = NULL;
	if (!id[0])
		return MDB_NOTFOUND;
	return store_get_msg(txn, push.staff, id, strlen(id), &aedesk__staff__descriptor, (ProtobufCMessage **)out);
}

int push_on_staff_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__StaffAdded *e = (const Aedesk__StaffAdded *)ev;
	if (!e->staff || !e->staff->id[0])
		return 0;
	Aedesk__Staff s = *e->staff;
	s.password_hash = (char *)"";
	int rc = store_put_msg(r->txn, push.staff, s.id, strlen(s.id), &s.base, 0);
	return rc ? svc_db_error(r, rc, "staff") : 0;
}

int push_on_staff_disabled(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__StaffDisabled *e = (const Aedesk__StaffDisabled *)ev;
	Aedesk__Staff *s;
	if (get_staff(r->txn, e->staff_id, &s) != 0)
		return 0;
	s->disabled = e->disabled;
	int rc = store_put_msg(r->txn, push.staff, s->id, strlen(s->id), &s->base, 0);
	wire_free(&s->base);
	return rc ? svc_db_error(r, rc, "staff") : 0;
}

int push_in_quiet(int64_t now_ms)
{
	return push_quiet_at(now_ms, push.tz_ms, push.quiet_from, push.quiet_to);
}

int push_enqueue(svc_req *r, const Aedesk__PushHook *h, const char *notification_id,
    const char *staff_id, const char *rule, const char *text, int urgent, Aedesk__PushDelivery **out)
{
	uint64_t seq = store_get_u64(r->txn, push.meta, "seq", 0) + 1;
	Aedesk__PushDelivery d = AEDESK__PUSH_DELIVERY__INIT;
	d.seq = seq;
	d.hook_id = h->id;
	d.kind = h->kind;
	d.notification_id = (char *)notification_id;
	d.staff_id = (char *)staff_id;
	d.rule = (char *)rule;
	d.text = (char *)text;
	d.urgent = urgent;
	d.created_ms = r->now_ms;
	d.state = (char *)"pending";
	uint8_t k[8];
	store_be64(k, seq);
	int rc;
	MDB_val kv = {8, k}, vv = {0, (void *)""};
	if ((rc = store_put_u64(r->txn, push.meta, "seq", seq)) != 0 ||
	    (rc = store_put_msg(r->txn, push.out, k, 8, &d.base, 0)) != 0 ||
	    (rc = mdb_put(r->txn, push.pending, &kv, &vv, 0)) != 0)
		return svc_db_error(r, rc, "push outbox");
	push.dirty = 1;
	if (out) {
		uint8_t *b;
		size_t bl;
		*out = NULL;
		if (wire_pack(&d.base, &b, &bl) == 0) {
			*out = (Aedesk__PushDelivery *)wire_unpack(&aedesk__push_delivery__descriptor, b, bl, NULL);
			free(b);
		}
	}
	return 0;
}

/* queue_to queues a notification to one webhook, if that webhook exists. */
static int queue_to(svc_req *r, const char *hook_id, const Aedesk__Notification *n, const char *text)
{
	Aedesk__PushHook *h;
	int rc = store_get_msg(r->txn, push.hooks, hook_id, strlen(hook_id), &aedesk__push_hook__descriptor,
	    (ProtobufCMessage **)&h);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return svc_db_error(r, rc, "hooks");
	rc = push_enqueue(r, h, n->id, n->staff_id, n->rule, text, push_rule_listed(push.urgent_rules, n->rule), NULL);
	wire_free(&h->base);
	return rc;
}

int push_on_notification(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Notification *n = (const Aedesk__Notification *)ev;
	if (!n->staff_id[0] || !n->text[0])
		return 0;
	Aedesk__Staff *s = NULL;
	get_staff(r->txn, n->staff_id, &s);
	if (s && s->disabled) {
		wire_free(&s->base);
		return 0;
	}
	/* The text is in the person's language (the scheduler's scheduler.lang.<id>); so is
	 * what push adds to it. */
	char lk[128];
	snprintf(lk, sizeof lk, "scheduler.lang.%s", n->staff_id);
	int zh = strcmp(conf_get(push.conf, lk, "zh"), "en") != 0;
	const char *late = n->late ? (zh ? "（迟到）" : " (late)") : "";
	char hook[96], own[2048], team[2304];
	snprintf(own, sizeof own, "%s%s%s [%s]", push.prefix, n->text, late, n->id);
	snprintf(team, sizeof team, "%s%s%s%s%s%s", push.prefix, s && s->name[0] ? s->name : n->staff_id,
	    s && s->name[0] ? (zh ? "（" : " (") : "", s && s->name[0] ? n->staff_id : "",
	    s && s->name[0] ? (zh ? "）：" : "): ") : (zh ? "：" : ": "), n->text);
	snprintf(team + strlen(team), sizeof team - strlen(team), "%s [%s]", late, n->id);
	snprintf(hook, sizeof hook, "staff:%s", n->staff_id);
	int rc = queue_to(r, hook, n, own);
	if (rc == 0 && s && s->manager[0]) {
		snprintf(hook, sizeof hook, "team:%s", s->manager);
		rc = queue_to(r, hook, n, team);
	}
	wire_free(s ? &s->base : NULL);
	return rc;
}

/* ---- the tick ---- */

static int inflight_has(uint64_t seq)
{
	for (int i = 0; i < push.ninflight; i++)
		if (push.inflight[i] == seq)
			return 1;
	return 0;
}

static void inflight_del(uint64_t seq)
{
	for (int i = 0; i < push.ninflight; i++)
		if (push.inflight[i] == seq) {
			push.inflight[i] = push.inflight[--push.ninflight];
			return;
		}
}

static struct push_rate *rate_of(const char *hook_id)
{
	for (int i = 0; i < push.nrates; i++)
		if (strcmp(push.rates[i].hook_id, hook_id) == 0)
			return &push.rates[i];
	struct push_rate *nr = realloc(push.rates, (size_t)(push.nrates + 1) * sizeof *nr);
	if (!nr)
		return NULL;
	push.rates = nr;
	struct push_rate *p = &push.rates[push.nrates++];
	memset(p, 0, sizeof *p);
	snprintf(p->hook_id, sizeof p->hook_id, "%s", hook_id);
	return p;
}

static void rate_record(const char *hook_id, int64_t t)
{
	struct push_rate *p = rate_of(hook_id);
	if (!p)
		return;
	p->t[p->head] = t;
	p->head = (p->head + 1) % PUSH_RATE_SLOTS;
	if (p->n < PUSH_RATE_SLOTS)
		p->n++;
}

/* rate_ok: another send to this webhook now stays within its per-minute and per-second limits. */
static int rate_ok(const char *hook_id, const char *kind, int64_t now)
{
	int k = push_kind_index(kind);
	struct push_rate *p = rate_of(hook_id);
	if (!p || k < 0)
		return 1;
	int min = 0, sec = 0;
	for (int i = 0; i < p->n; i++) {
		int64_t t = p->t[i];
		if (t > now - 60000 && t <= now)
			min++;
		if (t > now - 1000 && t <= now)
			sec++;
	}
	if (push.per_min[k] > 0 && min >= push.per_min[k])
		return 0;
	if (push.per_s[k] > 0 && sec >= push.per_s[k])
		return 0;
	return 1;
}

/* load_rates: after a start, the attempts of the last minute count against the limits. */
static void load_rates(MDB_txn *txn, int64_t now)
{
	MDB_cursor *c;
	MDB_val kv, vv;
	push.rates_loaded = 1;
	if (mdb_cursor_open(txn, push.out, &c) != 0)
		return;
	for (int rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__PushDelivery *d = (Aedesk__PushDelivery *)wire_unpack(&aedesk__push_delivery__descriptor,
		    vv.mv_data, vv.mv_size, NULL);
		if (d && d->last_try_ms > now - 60000)
			rate_record(d->hook_id, d->last_try_ms);
		wire_free(d ? &d->base : NULL);
	}
	mdb_cursor_close(c);
}

static int put_delivery(svc_req *r, const Aedesk__PushDelivery *d, int still_pending)
{
	uint8_t k[8];
	store_be64(k, d->seq);
	int rc = store_put_msg(r->txn, push.out, k, 8, &d->base, 0);
	if (rc == 0 && !still_pending) {
		MDB_val kv = {8, k};
		rc = mdb_del(r->txn, push.pending, &kv, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	return rc ? svc_db_error(r, rc, "push outbox") : 0;
}

/* give_up marks a delivery failed for good (it stays listed in `aedesk push status`). */
static int give_up(svc_req *r, const Aedesk__PushDelivery *d, const char *why)
{
	Aedesk__PushDelivery w = *d; /* d's strings belong to its unpacking: changed in a copy */
	w.state = (char *)"failed";
	w.done_ms = r->now_ms;
	w.last_error = (char *)why;
	int rc = put_delivery(r, &w, 0);
	if (rc == 0 && (rc = store_put_u64(r->txn, push.meta, "failed",
			    store_get_u64(r->txn, push.meta, "failed", 0) + 1)) != 0)
		rc = svc_db_error(r, rc, "meta");
	if (rc)
		return rc;
	Aedesk__PushGaveUp ev = AEDESK__PUSH_GAVE_UP__INIT;
	ev.seq = w.seq;
	ev.hook_id = w.hook_id;
	ev.notification_id = w.notification_id;
	ev.attempts = w.attempts;
	ev.error = (char *)why;
	log_warn("push %" PRIu64 " to %s given up after %u attempts: %s", w.seq, w.hook_id, w.attempts, why);
	return svc_emit(r, &ev.base);
}

/*
 * record applies one sender outcome; *wrote says whether it changed the store (0: the
 * outcome is there already, from an earlier tick whose commit did happen).
 */
static int record(svc_req *r, struct push_job *j, int *wrote)
{
	*wrote = 0;
	uint8_t k[8];
	store_be64(k, j->seq);
	Aedesk__PushDelivery *d;
	int rc = store_get_msg(r->txn, push.out, k, 8, &aedesk__push_delivery__descriptor, (ProtobufCMessage **)&d);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return svc_db_error(r, rc, "push outbox");
	if (strcmp(d->state, "pending") != 0 || (j->attempts_after && d->attempts >= j->attempts_after)) {
		wire_free(&d->base);
		return 0;
	}
	*wrote = 1;
	Aedesk__PushDelivery w = *d;
	w.attempts++;
	j->attempts_after = w.attempts;
	w.last_try_ms = r->now_ms;
	if (j->ok) {
		w.state = (char *)"sent";
		w.done_ms = r->now_ms;
		w.last_error = (char *)"";
		if ((rc = put_delivery(r, &w, 0)) == 0) {
			Aedesk__PushSent ev = AEDESK__PUSH_SENT__INIT;
			ev.seq = w.seq;
			ev.hook_id = w.hook_id;
			ev.notification_id = w.notification_id;
			ev.attempts = w.attempts;
			rc = svc_emit(r, &ev.base);
		}
	} else if (r->now_ms - w.created_ms >= push.give_up_ms) {
		rc = give_up(r, &w, j->why);
	} else {
		w.next_ms = r->now_ms + push_backoff(push.retry_base_ms, push.retry_max_ms, w.attempts);
		w.last_error = j->why;
		if ((rc = put_delivery(r, &w, 1)) == 0) {
			Aedesk__PushRetry ev = AEDESK__PUSH_RETRY__INIT;
			ev.seq = w.seq;
			ev.hook_id = w.hook_id;
			ev.attempts = w.attempts;
			ev.error = j->why;
			ev.next_ms = w.next_ms;
			rc = svc_emit(r, &ev.base);
		}
	}
	wire_free(&d->base);
	return rc;
}

/* dispatch hands out what may go now; at most one message in flight per webhook. */
static int dispatch(svc_req *r)
{
	int64_t now = r->now_ms;
	int quiet = push_in_quiet(now);
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, push.pending, &c);
	if (rc)
		return svc_db_error(r, rc, "pending");
	char (*blocked)[96] = NULL;
	size_t nblocked = 0, cap = 0, ngone = 0;
	uint64_t *gone = NULL;
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && push.ninflight < PUSH_MAX_INFLIGHT;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size != 8)
			continue;
		uint64_t seq = store_from_be64(kv.mv_data);
		Aedesk__PushDelivery *d;
		if (store_get_msg(r->txn, push.out, kv.mv_data, 8, &aedesk__push_delivery__descriptor,
			(ProtobufCMessage **)&d) != 0)
			continue;
		int skip = 0, block = 1;
		for (size_t i = 0; i < nblocked && !skip; i++)
			skip = strcmp(blocked[i], d->hook_id) == 0;
		Aedesk__PushHook *h = NULL;
		int hr = skip || inflight_has(seq) ? -1
		    : store_get_msg(r->txn, push.hooks, d->hook_id, strlen(d->hook_id), &aedesk__push_hook__descriptor,
			  (ProtobufCMessage **)&h);
		if (skip)
			block = 0;
		else if (hr == MDB_NOTFOUND) {
			/* The webhook was removed: nowhere to send it; given up below, after the
			 * walk (not deleted from under the cursor). */
			uint64_t *ng = realloc(gone, (ngone + 1) * sizeof *gone);
			if (ng) {
				gone = ng;
				gone[ngone++] = seq;
			}
			block = 0;
		} else if (hr != 0)
			; /* in flight (or unreadable): later ones of this webhook wait */
		else if (d->next_ms > now) {
			if (d->next_ms < push.next_scan_ms)
				push.next_scan_ms = d->next_ms; /* wake for the retry */
		} else if (quiet && !d->urgent)
			block = 0; /* held until quiet hours end; an urgent one behind it may go */
		else if (!rate_ok(d->hook_id, d->kind, now))
			;
		else {
			struct push_job *j = calloc(1, sizeof *j);
			if (j) {
				j->seq = seq;
				snprintf(j->hook_id, sizeof j->hook_id, "%s", d->hook_id);
				snprintf(j->kind, sizeof j->kind, "%s", h->kind);
				j->url = strdup(h->url);
				j->secret = strdup(h->secret);
				j->text = strdup(d->text);
				if (j->url && j->secret && j->text) {
					push.inflight[push.ninflight++] = seq;
					rate_record(d->hook_id, now);
					j->next = push.staged; /* sent by the next tick: see push_tick */
					push.staged = j;
					j = NULL;
				}
			}
			push_job_free(j);
		}
		wire_free(h ? &h->base : NULL);
		if (block) {
			if (nblocked == cap) {
				cap = cap ? cap * 2 : 16;
				void *nb = realloc(blocked, cap * sizeof *blocked);
				if (!nb) {
					wire_free(&d->base);
					break;
				}
				blocked = nb;
			}
			snprintf(blocked[nblocked++], sizeof blocked[0], "%s", d->hook_id);
		}
		wire_free(&d->base);
	}
	mdb_cursor_close(c);
	free(blocked);
	rc = rc == MDB_NOTFOUND ? 0 : rc;
	for (size_t i = 0; i < ngone && rc == 0; i++) {
		uint8_t k[8];
		Aedesk__PushDelivery *d;
		store_be64(k, gone[i]);
		if (store_get_msg(r->txn, push.out, k, 8, &aedesk__push_delivery__descriptor, (ProtobufCMessage **)&d) == 0) {
			rc = give_up(r, d, "webhook removed");
			wire_free(&d->base);
		}
	}
	free(gone);
	return rc;
}

/* prune forgets sent and failed deliveries older than push.keep_days. */
static int prune(svc_req *r)
{
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, push.out, &c), n = 0;
	uint64_t nfailed = 0;
	if (rc)
		return svc_db_error(r, rc, "push outbox");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && n < 1000;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__PushDelivery *d = (Aedesk__PushDelivery *)wire_unpack(&aedesk__push_delivery__descriptor,
		    vv.mv_data, vv.mv_size, NULL);
		int old = d && strcmp(d->state, "pending") != 0 && d->done_ms < r->now_ms - push.keep_ms;
		int failed = old && strcmp(d->state, "failed") == 0;
		wire_free(d ? &d->base : NULL);
		if (old && mdb_cursor_del(c, 0) == 0) {
			n++;
			nfailed += failed;
		}
	}
	mdb_cursor_close(c);
	uint64_t f = store_get_u64(r->txn, push.meta, "failed", 0);
	if (nfailed && (rc = store_put_u64(r->txn, push.meta, "failed", f > nfailed ? f - nfailed : 0)) != 0)
		return svc_db_error(r, rc, "meta");
	return 0;
}

/*
 * push_tick records the senders' outcomes and hands out what is due. An outcome stays
 * in push.recorded until a later tick sees it in the store: if the transaction that
 * wrote it was not committed (a full map, a failed commit), it is written again.
 */
int push_tick(svc *s, svc_req *r)
{
	(void)s;
	int rc = 0, any = 0;
	/* What the last tick handed out goes now that its transaction has ended: a
	 * message is sent only once the outcome of the one before it (same webhook) is
	 * durable, so a crash can repeat at most the one message in flight per webhook. */
	struct push_job *sj = push.staged, *rev = NULL;
	push.staged = NULL;
	while (sj) {
		struct push_job *n = sj->next;
		sj->next = rev;
		rev = sj;
		sj = n;
	}
	while (rev) {
		struct push_job *n = rev->next;
		push_job_submit(rev);
		rev = n;
	}
	if (!push.rates_loaded)
		load_rates(r->txn, r->now_ms);
	struct push_job *prev = push.recorded, *done = push_jobs_done(), *keep = NULL;
	push.recorded = NULL;
	for (int pass = 0; pass < 2; pass++) {
		for (struct push_job *j = pass ? done : prev, *n; j; j = n) {
			n = j->next;
			int wrote = 1;
			if (rc == 0)
				rc = record(r, j, &wrote);
			inflight_del(j->seq);
			any = 1;
			if (wrote || rc) {
				j->next = keep;
				keep = j;
			} else
				push_job_free(j);
		}
	}
	push.recorded = keep;
	if (rc)
		return rc;
	if (any || push.dirty || r->now_ms >= push.next_scan_ms) {
		push.dirty = 0;
		push.next_scan_ms = r->now_ms + 1000;
		if ((rc = dispatch(r)) != 0)
			return rc;
	}
	if (r->now_ms >= push.next_prune_ms) {
		push.next_prune_ms = r->now_ms + 600000;
		if ((rc = prune(r)) != 0)
			return rc;
	}
	MDB_stat st;
	if (mdb_stat(r->txn, push.pending, &st) == 0)
		atomic_store(&push.backlog, (int64_t)st.ms_entries);
	atomic_store(&push.failed, (int64_t)store_get_u64(r->txn, push.meta, "failed", 0));
	return 0;
}

/* push_counters: Health's figures (any thread). */
size_t push_counters(svc *s, const char **names, int64_t *values, size_t max)
{
	(void)s;
	if (max < 2)
		return 0;
	names[0] = "backlog";
	values[0] = atomic_load(&push.backlog);
	names[1] = "failed";
	values[1] = atomic_load(&push.failed);
	return 2;
}
