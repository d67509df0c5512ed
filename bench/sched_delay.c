/*
 * NAME
 *	aedesk-sched-delay - the scheduler's firing delay with many reminders pending
 *
 * SYNOPSIS
 *	aedesk-sched-delay [PENDING [FIRE [SPREAD_S]]]    (defaults 100000 2000 20)
 *
 * DESCRIPTION
 *	Runs the real aedesk-scheduler (with registry, jobs and status, its sources, as deployed) in a temp
 *	AEDESK_HOME (tests/harness.h). Before the measured start it writes PENDING reminders
 *	straight into the scheduler's LMDB store, in its own format (rem + rem_due):
 *	PENDING - FIRE due a year later (the backlog that is held) and FIRE due one after
 *	another over SPREAD_S seconds. It then starts the scheduler, subscribes to its
 *	notifications (PUB, "notify/"), sets its test clock two seconds before the first is
 *	due, waits until all FIRE have fired and reads every notification back from the
 *	inboxes. Two delays of each reminder:
 *	  written    the notification's at_ms (the scheduler's clock as the tick that wrote
 *	             it began; same transaction) minus its due_ms
 *	  published  when the notification reached the subscriber (committed, synced and
 *	             published), on the scheduler's clock, minus its due_ms. The test
 *	             clock's offset from the system clock is read with SchedulerStatus
 *	             (the fastest of several round trips, so within about 0.1 ms).
 *	Prints the number held, the start-up time, p50/p99/max of both, and one line
 *	"RESULT held fired start_s w_p50 w_p99 w_p99.9 w_max pub_n p_p50 p_p99 p_p99.9
 *	p_max" (delays in ms) for aedesk-bench (bench/run). Exit 1 when a reminder fired
 *	twice, never, or early. Not a CI test; bench/run and bench/sched_delay.sh run it.
 */
#include <inttypes.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/sub.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "conf.h"
#include "harness.h"
#include "scheduler.pb-c.h"
#include "store.h"
#include "wire.h"

#define NSTAFF 20
#define T0_MS ((int64_t)civil_to_days(2030, 1, 7) * 86400000 + 10 * 3600000 - 8 * 3600000) /* Mon 10:00 */

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The subscriber: the first time each bench reminder's notification arrived (wall µs).
 * It looks for the reminder id ("bench/" and 8 digits) in the message's bytes, so it
 * does not depend on how the scheduler frames or batches what it publishes. */
static struct {
	nng_socket sub;
	long fire;
	_Atomic int64_t *recv_us;
	atomic_long twice;
	atomic_int stop;
} rx;

static void *rx_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&rx.stop)) {
		nng_msg *m;
		if (nng_recvmsg(rx.sub, &m, 0) != 0)
			continue; /* the receive timeout: look at stop */
		int64_t t = wall_us();
		const char *b = nng_msg_body(m);
		size_t n = nng_msg_len(m);
		for (const char *p = b; n >= 14 && (p = memmem(p, n - (size_t)(p - b), "bench/", 6)) != NULL; p += 6) {
			if ((size_t)(p - b) + 14 > n)
				break;
			long i = 0;
			int ok = 1;
			for (int k = 6; k < 14 && ok; k++)
				ok = p[k] >= '0' && p[k] <= '9', i = i * 10 + (p[k] - '0');
			if (!ok || i >= rx.fire)
				continue;
			int64_t zero = 0;
			if (!atomic_compare_exchange_strong(&rx.recv_us[i], &zero, t) && zero != t)
				atomic_fetch_add(&rx.twice, 1);
			p += 8;
		}
		nng_msg_free(m);
	}
	return NULL;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* pct: the q-quantile of n sorted values, as aedesk-bench takes them. */
static double pct(const double *v, size_t n, double q) { return n ? v[(size_t)((double)(n - 1) * q)] : 0; }

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int write_reminders(const char *dir, long pending, long fire, long spread_ms)
{
	MDB_dbi rem, due;
	store_table t[] = {{"rem", &rem}, {"rem_due", &due}, {NULL, NULL}};
	store *s;
	char err[512];
	size_t map = (size_t)(pending / 1000 + 64) << 20;
	if (store_open(&s, dir, t, map, err, sizeof err) != 0) {
		fprintf(stderr, "store %s: %s\n", dir, err);
		return -1;
	}
	MDB_txn *txn = NULL;
	int rc = 0;
	for (long i = 0; i < pending && rc == 0; i++) {
		if (!txn && (rc = store_write_begin(s, &txn)) != 0)
			break;
		char id[48], to[32], oid[32];
		snprintf(id, sizeof id, "bench/%08ld", i);
		snprintf(to, sizeof to, "b%02ld", i % NSTAFF);
		snprintf(oid, sizeof oid, "%ld", i);
		Aedesk__Reminder r = AEDESK__REMINDER__INIT;
		r.id = id;
		r.rule = (char *)"R-REMIND-1";
		r.kind = (char *)"bench";
		r.to = to;
		r.object_type = (char *)"bench";
		r.object_id = oid;
		r.created_ms = T0_MS - 86400000;
		/* the first FIRE fire during the run, one every spread/FIRE ms; the rest a year on */
		r.due_ms = i < fire ? T0_MS + i * spread_ms / fire : T0_MS + 366LL * 86400000 + i;
		uint8_t k[64];
		store_be64(k, (uint64_t)r.due_ms);
		size_t n = strlen(id);
		memcpy(k + 8, id, n);
		MDB_val kv = {8 + n, k}, vv = {0, (void *)""};
		if ((rc = store_put_msg(txn, rem, id, n, &r.base, 0)) == 0)
			rc = mdb_put(txn, due, &kv, &vv, 0);
		if (rc == 0 && (i % 50000 == 49999 || i == pending - 1)) {
			rc = store_commit(s, txn);
			txn = NULL;
		}
	}
	if (txn)
		mdb_txn_abort(txn);
	store_close(s);
	if (rc)
		fprintf(stderr, "writing reminders: %s\n", mdb_strerror(rc));
	return rc ? -1 : 0;
}

static Aedesk__SchedulerStatusReply *status(harness *h)
{
	Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
	Aedesk__SchedulerStatusReply *r = NULL;
	if (h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

int main(int argc, char **argv)
{
	long pending = argc > 1 ? atol(argv[1]) : 100000, fire = argc > 2 ? atol(argv[2]) : 2000;
	long spread_s = argc > 3 ? atol(argv[3]) : 20;
	if (pending < 1 || fire < 1 || fire > pending || spread_s < 1) {
		fprintf(stderr, "usage: aedesk-sched-delay [PENDING [FIRE [SPREAD_S]]]  (FIRE <= PENDING)\n");
		return 2;
	}
	harness h;
	char mb[32], dir[400];
	if (h_setup(&h, "schdelay") != 0)
		return 1;
	snprintf(mb, sizeof mb, "%ld", pending / 1000 + 64);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2030-01-06 12:00");
	h_conf_add(&h, "map_mb", mb);
	if (h_start(&h, "registry") || h_start(&h, "jobs") || h_start(&h, "status") || h_login_admin(&h) || h_start(&h, "scheduler") ||
	    h_stop(&h, "scheduler") != 0) {
		fprintf(stderr, "could not start the services\n");
		h_teardown(&h);
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/data/scheduler", h.home);
	double t = mono_s();
	if (write_reminders(dir, pending, fire, spread_s * 1000) != 0) {
		h_teardown(&h);
		return 1;
	}
	printf("wrote %ld reminders in %.1f s\n", pending, mono_s() - t);
	t = mono_s();
	if (h_start(&h, "scheduler") != 0) {
		fprintf(stderr, "the scheduler did not start\n");
		h_teardown(&h);
		return 1;
	}
	double started = mono_s() - t;
	Aedesk__SchedulerStatusReply *st = status(&h);
	uint64_t held = st ? st->pending : 0;
	wire_free(st ? &st->base : NULL);
	printf("scheduler started in %.2f s holding %" PRIu64 " pending reminders\n", started, held);

	/* the subscriber, as the gateway and push service subscribe */
	char url[512], err[1200];
	conf *c = conf_load(h.conf, err, sizeof err);
	pthread_t rxt;
	rx.fire = fire;
	rx.recv_us = calloc((size_t)fire, sizeof *rx.recv_us);
	if (!c || !rx.recv_us || conf_endpoint(c, "scheduler", "pub", url, sizeof url) != 0 ||
	    nng_sub0_open(&rx.sub) != 0 || nng_socket_set(rx.sub, NNG_OPT_SUB_SUBSCRIBE, "notify/", 7) != 0 ||
	    nng_socket_set_ms(rx.sub, NNG_OPT_RECVTIMEO, 200) != 0 || nng_socket_set_size(rx.sub, NNG_OPT_RECVMAXSZ, 1 << 24) != 0 ||
	    nng_dial(rx.sub, url, NULL, 0) != 0 || pthread_create(&rxt, NULL, rx_main, NULL) != 0) {
		fprintf(stderr, "could not subscribe to the scheduler's notifications (%s)\n", c ? url : err);
		h_teardown(&h);
		return 1;
	}
	conf_free(c);
	h_sleep_ms(300); /* the subscription reaches the publisher */

	Aedesk__SchedulerClockSetRequest cq = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	cq.now_ms = T0_MS - 2000;
	if (h_call(&h, "scheduler", &cq.base, &aedesk__scheduler_status_reply__descriptor, NULL) != 0) {
		fprintf(stderr, "could not set the test clock\n");
		h_teardown(&h);
		return 1;
	}
	/* the test clock's offset from the system clock (µs): from the fastest of a few
	 * SchedulerStatus round trips; now_ms is whole ms, so its moment is +0.5 ms */
	int64_t off_us = 0, best = INT64_MAX;
	for (int i = 0; i < 8; i++) {
		int64_t a = wall_us();
		st = status(&h);
		int64_t b = wall_us();
		if (st && b - a < best) {
			best = b - a;
			off_us = st->now_ms * 1000 + 500 - (a + b) / 2;
		}
		wire_free(st ? &st->base : NULL);
	}
	/* done when the scheduler's clock is past the last one and nothing of ours is due
	 * (its counters also count the status service's alerts, so they are not used) */
	int64_t last = T0_MS + (fire - 1) * spread_s * 1000 / fire;
	for (int i = 0, done = 0; i < (int)(spread_s + 120) * 10 && !done; i++) {
		h_sleep_ms(100);
		st = status(&h);
		done = st && st->now_ms > last + 1000 && (st->next_due_ms == 0 || st->next_due_ms > last);
		wire_free(st ? &st->base : NULL);
	}
	int64_t *d = calloc((size_t)fire, sizeof *d);
	size_t n = 0;
	for (int s = 0; s < NSTAFF && d; s++) {
		char staff[16], after[16] = "";
		snprintf(staff, sizeof staff, "b%02d", s);
		for (;;) {
			Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
			q.staff_id = staff;
			q.all = 1;
			q.limit = 1000;
			q.after_id = after;
			Aedesk__InboxListReply *r = NULL;
			if (h_call(&h, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) != 0)
				break;
			size_t got = r->n_notifications;
			for (size_t i = 0; i < got && n < (size_t)fire; i++)
				d[n++] = r->notifications[i]->at_ms - r->notifications[i]->due_ms;
			if (got)
				snprintf(after, sizeof after, "%s", r->notifications[got - 1]->id);
			wire_free(&r->base);
			if (got < 1000)
				break;
		}
	}
	h_sleep_ms(300); /* the last ones reach the subscriber */
	atomic_store(&rx.stop, 1);
	pthread_join(rxt, NULL);
	nng_close(rx.sub);
	double *w = calloc((size_t)fire, sizeof *w), *pd = calloc((size_t)fire, sizeof *pd);
	size_t np = 0;
	for (long i = 0; i < fire && pd; i++) {
		int64_t r = atomic_load(&rx.recv_us[i]);
		if (r)
			pd[np++] = (double)(r + off_us - (T0_MS + i * spread_s * 1000 / fire) * 1000) / 1000.0;
	}
	int bad = n != (size_t)fire;
	if (n && w) {
		qsort(d, n, sizeof *d, cmp64);
		for (size_t i = 0; i < n; i++)
			w[i] = (double)d[i];
		qsort(pd, np, sizeof *pd, cmpd);
		printf("pending %" PRIu64 ": fired %zu of %ld due over %ld s\n", held, n, fire, spread_s);
		printf("  due -> notification written:   p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms (min %.1f ms)\n",
		    pct(w, n, 0.5), pct(w, n, 0.99), w[n - 1], w[0]);
		if (np)
			printf("  due -> published, received:    p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms (min %.1f ms; "
			       "%zu received, clock offset read within %.2f ms)\n",
			    pct(pd, np, 0.5), pct(pd, np, 0.99), pd[np - 1], pd[0], np, (double)best / 1000);
		printf("RESULT %" PRIu64 " %zu %.3f %.3f %.3f %.3f %.3f %zu %.3f %.3f %.3f %.3f\n", held, n, started,
		    pct(w, n, 0.5), pct(w, n, 0.99), pct(w, n, 0.999), w[n - 1], np, pct(pd, np, 0.5), pct(pd, np, 0.99),
		    pct(pd, np, 0.999), np ? pd[np - 1] : 0.0);
		bad |= d[0] < 0;
	}
	if (np < n)
		fprintf(stderr, "note: %zu of %zu notifications were not seen by the subscriber\n", n - np, n);
	if (atomic_load(&rx.twice))
		fprintf(stderr, "note: %ld notifications were received twice\n", (long)atomic_load(&rx.twice));
	if (bad)
		fprintf(stderr, "UNEXPECTED: %zu notifications for %ld reminders (or one fired early)\n", n, fire);
	free(d);
	free(w);
	free(pd);
	free((void *)rx.recv_us);
	int down = h_teardown(&h);
	return bad || down ? 1 : 0;
}
