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
 *	another over SPREAD_S seconds. It then starts the scheduler, sets its test clock two
 *	seconds before the first is due, waits until all FIRE have fired and reads every
 *	notification back from the inboxes. The delay of a reminder is the notification's
 *	at_ms (the scheduler's clock in the tick that wrote it, in the same transaction)
 *	minus its due_ms. Prints the number held, the start-up time and p50/p99/max delay.
 *	Not a CI test; bench/sched_delay.sh builds and runs it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
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
	Aedesk__SchedulerClockSetRequest cq = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	cq.now_ms = T0_MS - 2000;
	if (h_call(&h, "scheduler", &cq.base, &aedesk__scheduler_status_reply__descriptor, NULL) != 0) {
		fprintf(stderr, "could not set the test clock\n");
		h_teardown(&h);
		return 1;
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
	int bad = n != (size_t)fire;
	if (n) {
		qsort(d, n, sizeof *d, cmp64);
		printf("pending %" PRIu64 ": fired %zu of %ld due over %ld s; delay due -> notification written: "
		       "p50 %" PRId64 " ms, p99 %" PRId64 " ms, max %" PRId64 " ms (min %" PRId64 " ms)\n",
		    held, n, fire, spread_s, d[n / 2], d[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], d[n - 1], d[0]);
		bad |= d[0] < 0;
	}
	if (bad)
		fprintf(stderr, "UNEXPECTED: %zu notifications for %ld reminders (or one fired early)\n", n, fire);
	free(d);
	int down = h_teardown(&h);
	return bad || down ? 1 : 0;
}
