/*
 * NAME
 *	aedesk-bigstore - replay, cold start and RSS of every service with a large store
 *
 * SYNOPSIS
 *	aedesk-bigstore [--clients N] [--events M] [--runs R]   (defaults 100000 1000000 5)
 *
 * DESCRIPTION
 *	Runs the real services (registry, jobs, scheduler, scorer, status) in a temp
 *	AEDESK_HOME (tests/harness.h). With the registry stopped it writes N clients and
 *	M - N visits straight into the registry's store, in its own format: per client
 *	the clients record, client_name, a client_hist "created" entry and a ClientAdded
 *	event; per visit the visits record, visit_time, client_visits and a VisitLogged
 *	event (the layout of registry_client_create and registry_visit_log, ids from
 *	reg_meta client_seq / visit_seq / hist_seq, events with the store's epoch and
 *	seq in _outbox). Then, measured:
 *	  replay      the registry started on it, then aedesk-jobs (and aedesk-scheduler)
 *	              with empty stores: M+ events behind; events/s from exec and from
 *	              the first Health answer until its cursor reaches the registry's
 *	              last_seq (every consumer applies them as usual)
 *	  cold start  each service stopped (SIGTERM) and started on its large store, R
 *	              times: exec -> first Health answer; the registry also right after
 *	              the load, with no clean stop before it (store_check reads it all)
 *	  RSS         VmRSS and RssAnon of each service once every consumer has caught up
 *	              and the services are idle again (the scheduler plans the new
 *	              reminders over the ticks after its catch-up); before the restarts,
 *	              so the store's pages it read are counted
 *	Prints the table of medians (min-max) and the goals of issue 10 as aedesk-bench
 *	does. bench/run runs it (smaller with --quick). Not a CI test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "conf.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "store.h"
#include "wire.h"

static const char *const svcs[] = {"registry", "jobs", "scheduler", "scorer", "status"};
#define NSVC (sizeof svcs / sizeof svcs[0])

static MDB_dbi outbox, meta, clients, client_name, reg_meta, client_hist, visits, visit_time, client_visits;

/* emit appends one event the way svc_emit does (an Envelope at be64(seq) in _outbox). */
static int emit(MDB_txn *txn, uint64_t epoch, uint64_t *seq, int64_t now, const ProtobufCMessage *ev)
{
	uint8_t id[16], *payload, *buf, k[8];
	size_t plen, len;
	if (wire_pack(ev, &payload, &plen) != 0)
		return ENOMEM;
	wire_new_id(id);
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)ev->descriptor->name;
	e.id.data = id;
	e.id.len = 16;
	e.time_ms = now;
	e.source = (char *)"registry";
	e.actor = (char *)"admin";
	e.seq = ++*seq;
	e.epoch = epoch;
	e.payload.data = payload;
	e.payload.len = plen;
	int rc = wire_pack(&e.base, &buf, &len);
	free(payload);
	if (rc)
		return ENOMEM;
	store_be64(k, *seq);
	MDB_val kv = {8, k}, vv = {len, buf};
	rc = mdb_put(txn, outbox, &kv, &vv, MDB_APPEND);
	free(buf);
	return rc;
}

static size_t index_key(char *buf, const char *a, const void *b, size_t blen)
{
	size_t alen = strlen(a);
	memcpy(buf, a, alen);
	buf[alen] = 0;
	memcpy(buf + alen + 1, b, blen);
	return alen + 1 + blen;
}

static int fill_registry(const char *dir, long nclients, long nevents)
{
	store_table t[] = {{"_outbox", &outbox}, {"_meta", &meta}, {"clients", &clients}, {"client_name", &client_name},
	    {"reg_meta", &reg_meta}, {"client_hist", &client_hist}, {"visits", &visits}, {"visit_time", &visit_time},
	    {"client_visits", &client_visits}, {NULL, NULL}};
	store *s;
	char err[512];
	if (store_open(&s, dir, t, (size_t)(nevents / 1000 + 64) << 21, err, sizeof err) != 0) {
		fprintf(stderr, "store %s: %s\n", dir, err);
		return -1;
	}
	MDB_txn *txn = NULL;
	int rc = store_write_begin(s, &txn);
	uint64_t epoch = rc ? 0 : store_get_u64(txn, meta, "epoch", 0), seq = rc ? 0 : store_get_u64(txn, meta, "seq", 0);
	uint64_t cseq = rc ? 0 : store_get_u64(txn, reg_meta, "client_seq", 0);
	uint64_t vseq = rc ? 0 : store_get_u64(txn, reg_meta, "visit_seq", 0);
	uint64_t hseq = rc ? 0 : store_get_u64(txn, reg_meta, "hist_seq", 0);
	uint64_t first_client = cseq + 1;
	int64_t now = wire_now_ms();
	static const char *const cls[] = {"A", "B", "C", "D"};
	for (long i = 0; i < nevents && rc == 0; i++) {
		if (!txn && (rc = store_write_begin(s, &txn)) != 0)
			break;
		char id[24], key[160];
		uint8_t be[8];
		if (i < nclients) {
			char name[96];
			snprintf(id, sizeof id, "C%06llu", (unsigned long long)++cseq);
			snprintf(name, sizeof name, "压测大库客户%07ld号有限公司", i);
			Aedesk__Client c = AEDESK__CLIENT__INIT;
			c.id = id;
			c.name = name;
			c.class_ = (char *)cls[i % 4];
			c.created_ms = now;
			c.created_by = (char *)"admin";
			MDB_val nk = {strlen(name), name}, iv = {strlen(id), id};
			Aedesk__ClientHistoryEntry h = AEDESK__CLIENT_HISTORY_ENTRY__INIT;
			h.at_ms = now;
			h.by = (char *)"admin";
			h.change = (char *)"created";
			h.to = c.class_;
			store_be64(be, ++hseq);
			size_t klen = index_key(key, id, be, 8);
			Aedesk__ClientAdded ev = AEDESK__CLIENT_ADDED__INIT;
			ev.client = &c;
			if ((rc = store_put_msg(txn, clients, id, strlen(id), &c.base, MDB_NOOVERWRITE)) == 0 &&
			    (rc = mdb_put(txn, client_name, &nk, &iv, MDB_NOOVERWRITE)) == 0 &&
			    (rc = store_put_msg(txn, client_hist, key, klen, &h.base, MDB_NOOVERWRITE)) == 0)
				rc = emit(txn, epoch, &seq, now, &ev.base);
		} else {
			char cid[24], summary[64];
			uint64_t cn = first_client + (uint64_t)(i % (nclients ? nclients : 1));
			snprintf(cid, sizeof cid, "C%06llu", (unsigned long long)cn);
			snprintf(id, sizeof id, "V%06llu", (unsigned long long)++vseq);
			snprintf(summary, sizeof summary, "拜访 %ld：季度投放回顾", i);
			Aedesk__Visit v = AEDESK__VISIT__INIT;
			v.id = id;
			v.client_id = cid;
			v.kind = AEDESK__VISIT_KIND__VISIT;
			v.at_ms = now - 86400000LL * 300 + i % (86400000LL * 299);
			v.by = (char *)"admin";
			v.summary = summary;
			v.created_ms = now;
			uint8_t tk[40];
			store_be64(tk, (uint64_t)v.at_ms);
			memcpy(tk + 8, id, strlen(id));
			size_t tlen = 8 + strlen(id);
			MDB_val tkv = {tlen, tk}, empty = {0, ""};
			MDB_val ckv = {index_key(key, cid, tk, tlen), key};
			Aedesk__VisitLogged ev = AEDESK__VISIT_LOGGED__INIT;
			ev.visit = &v;
			if ((rc = store_put_msg(txn, visits, id, strlen(id), &v.base, MDB_NOOVERWRITE)) == 0 &&
			    (rc = mdb_put(txn, visit_time, &tkv, &empty, 0)) == 0 &&
			    (rc = mdb_put(txn, client_visits, &ckv, &empty, 0)) == 0)
				rc = emit(txn, epoch, &seq, now, &ev.base);
		}
		if (rc == 0 && (i % 100000 == 99999 || i == nevents - 1)) {
			if ((rc = store_put_u64(txn, meta, "seq", seq)) == 0 &&
			    (rc = store_put_u64(txn, reg_meta, "client_seq", cseq)) == 0 &&
			    (rc = store_put_u64(txn, reg_meta, "visit_seq", vseq)) == 0 &&
			    (rc = store_put_u64(txn, reg_meta, "hist_seq", hseq)) == 0)
				rc = store_commit(s, txn);
			else
				mdb_txn_abort(txn);
			txn = NULL;
		}
	}
	if (txn)
		mdb_txn_abort(txn);
	store_close(s);
	if (rc)
		fprintf(stderr, "writing the registry's store: %s\n", mdb_strerror(rc));
	return rc ? -1 : 0;
}

static int slot(harness *h, const char *name)
{
	for (int i = 0; i < H_MAX_SVC; i++)
		if (strcmp(h->svc[i].name, name) == 0)
			return i;
	return -1;
}

/* start: exec the service (ctl_start), tell the harness its pid; ns exec -> first Health, or -1. */
static int64_t start(harness *h, const struct deployment *d, const char *svc, const char *url, int64_t *t0)
{
	pid_t pid = ctl_start(d, svc, t0);
	int i = slot(h, svc);
	if (i < 0)
		for (i = 0; i < H_MAX_SVC && h->svc[i].name[0]; i++)
			;
	if (pid <= 0 || i >= H_MAX_SVC)
		return -1;
	snprintf(h->svc[i].name, sizeof h->svc[i].name, "%s", svc);
	h->svc[i].pid = pid;
	return ctl_wait_health(url, *t0, 120000000000ll);
}

static uint64_t last_seq(const char *url)
{
	Aedesk__Health *hl;
	uint64_t v = 0;
	if (ctl_health(url, 5000, &hl) == 0) {
		v = hl->last_seq;
		wire_free(&hl->base);
	}
	return v;
}

/* replay: start consumer svc with an empty store; record events/s until its cursor on the registry reaches target. */
static void replay(harness *h, const struct deployment *d, const char *svc, const char *url, uint64_t target)
{
	char key[64], label[160];
	int64_t t0, cold = start(h, d, svc, url, &t0), caught = -1;
	uint64_t cur = 0;
	while (cold >= 0 && bench_now_ns() - t0 < 600000000000ll) {
		Aedesk__Health *hl;
		if (ctl_health(url, 5000, &hl) == 0) {
			cur = ctl_cursor(hl, "registry");
			wire_free(&hl->base);
			if (cur >= target) {
				caught = bench_now_ns() - t0;
				break;
			}
		}
		usleep(1000);
	}
	if (caught <= 0) {
		printf("  !! aedesk-%s did not catch up (cursor %llu of %llu)\n", svc, (unsigned long long)cur,
		    (unsigned long long)target);
		return;
	}
	snprintf(key, sizeof key, "r.%s", svc);
	snprintf(label, sizeof label, "replay aedesk-%s: %llu events, exec -> caught up", svc, (unsigned long long)target);
	record_value(key, label, "events/s", (double)target / ((double)caught / 1e9));
	snprintf(key, sizeof key, "r.%s.h", svc);
	snprintf(label, sizeof label, "replay aedesk-%s: first Health -> caught up", svc);
	record_value(key, label, "events/s", (double)target / ((double)(caught - cold) / 1e9));
}

int main(int argc, char **argv)
{
	long nclients = 100000, nevents = 1000000;
	int runs = 5;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--clients") && i + 1 < argc)
			nclients = atol(argv[++i]);
		else if (!strcmp(argv[i], "--events") && i + 1 < argc)
			nevents = atol(argv[++i]);
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: aedesk-bigstore [--clients N] [--events M] [--runs R]\n");
			return 2;
		}
	}
	if (nclients < 1 || nevents < nclients || runs < 1 || runs > BENCH_MAX_RUNS) {
		fprintf(stderr, "aedesk-bigstore: need 1 <= clients <= events, 1 <= runs <= %d\n", BENCH_MAX_RUNS);
		return 2;
	}
	harness h;
	char mb[32], dir[400], err[600], url[NSVC][512];
	if (h_setup(&h, "bigstore") != 0)
		return 3;
	snprintf(mb, sizeof mb, "%ld", nevents / 2000 + 64);
	h_conf_add(&h, "map_mb", mb);
	int ok = h_start(&h, "registry") == 0 && h_login_admin(&h) == 0;
	for (size_t i = 1; ok && i < NSVC; i++)
		ok = h_start(&h, svcs[i]) == 0;
	for (size_t i = NSVC; ok && i-- > 0;)
		ok = h_stop(&h, svcs[i]) == 0;
	struct deployment d;
	conf *c = ok ? conf_load(h.conf, err, sizeof err) : NULL;
	if (!c || ctl_init(&d, h.conf, err, sizeof err) != 0) {
		fprintf(stderr, "aedesk-bigstore: could not set the services up %s\n", ok ? err : "");
		h_teardown(&h);
		return 3;
	}
	snprintf(d.log_dir, sizeof d.log_dir, "%s", h.home);
	for (size_t i = 0; i < NSVC; i++)
		conf_endpoint(c, svcs[i], "rep", url[i], sizeof url[i]);
	conf_free(c);
	/* The consumers start from empty stores: all of the registry's events behind. */
	for (size_t i = 1; i < NSVC; i++) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s/data/%s'", h.home, svcs[i]);
		if (system(cmd) != 0)
			return 3;
	}
	snprintf(dir, sizeof dir, "%s/data/registry", h.home);
	int64_t t = bench_now_ns();
	if (fill_registry(dir, nclients, nevents) != 0) {
		h_teardown(&h);
		return 3;
	}
	printf("aedesk-bigstore: wrote %ld clients and %ld visits into the registry's store in %.1f s\n", nclients,
	    nevents - nclients, (double)(bench_now_ns() - t) / 1e9);
	char label[160], key[64];
	int64_t t0, cold = start(&h, &d, "registry", url[0], &t0);
	uint64_t target = last_seq(url[0]);
	if (cold < 0 || target < (uint64_t)nevents) {
		fprintf(stderr, "aedesk-bigstore: the registry did not start on its store (last seq %llu)\n",
		    (unsigned long long)target);
		h_teardown(&h);
		return 3;
	}
	snprintf(label, sizeof label, "cold start aedesk-registry, %llu ev., unclean", (unsigned long long)target);
	record_value("c.registry.check", label, "ms", (double)cold / 1e6);
	replay(&h, &d, "jobs", url[1], target);
	replay(&h, &d, "scheduler", url[2], target);
	for (size_t i = 3; i < NSVC; i++)
		if (start(&h, &d, svcs[i], url[i], &t0) < 0 || h_wait_consumer(&h, svcs[i], "registry", 600000) != 0)
			printf("  !! aedesk-%s did not start or catch up\n", svcs[i]);
	/* RSS once the services are idle: caught up, and what follows a catch-up done too
	 * (the scheduler's planner makes the new reminders over several ticks after it):
	 * all of them together use under 5 % of a CPU over a second, or a minute has passed. */
	for (int64_t waited = 0, cpu = ctl_cpu_us(&d); waited < 60000000; waited += 1000000) {
		usleep(1000000);
		int64_t now = ctl_cpu_us(&d);
		if (now - cpu < 50000)
			break;
		cpu = now;
	}
	for (size_t i = 0; i < NSVC; i++) {
		long rss, anon, file;
		int k = slot(&h, svcs[i]);
		if (k < 0 || ctl_rss(h.svc[k].pid, &rss, &anon, &file) != 0)
			continue;
		snprintf(key, sizeof key, "m.%s", svcs[i]);
		snprintf(label, sizeof label, "RSS aedesk-%s (VmRSS)", svcs[i]);
		record_value(key, label, "MiB", (double)rss / 1024);
		snprintf(key, sizeof key, "m.%s.anon", svcs[i]);
		record_value(key, "  of which anonymous (heap, stacks)", "MiB", (double)anon / 1024);
	}
	for (int r = 0; r < runs; r++) {
		if (r)
			bench_next_run();
		for (size_t i = 0; i < NSVC; i++) {
			if (h_stop(&h, svcs[i]) != 0)
				printf("  !! aedesk-%s did not stop cleanly\n", svcs[i]);
			cold = start(&h, &d, svcs[i], url[i], &t0);
			snprintf(key, sizeof key, "c.%s", svcs[i]);
			snprintf(label, sizeof label, "cold start aedesk-%s (exec -> Health)", svcs[i]);
			if (cold >= 0)
				record_value(key, label, "ms", (double)cold / 1e6);
		}
	}
	printf("\n== large store (%ld clients, %llu events) summary over %d run(s): median (min-max)\n", nclients,
	    (unsigned long long)target, runs);
	report();
	printf("\ngoals (issue 10), large store, on the medians\n");
	char detail[200];
	for (size_t i = 1; i < 3; i++) {
		snprintf(key, sizeof key, "r.%s", svcs[i]);
		if (!fig_runs(key))
			continue;
		snprintf(key, sizeof key, "r.%s.h", svcs[i]);
		double fromh = fig_median(key, 'v');
		snprintf(key, sizeof key, "r.%s", svcs[i]);
		double v = fig_median(key, 'v');
		snprintf(label, sizeof label, "replay aedesk-%s >= 200,000 events/s", svcs[i]);
		snprintf(detail, sizeof detail, "%.0f events/s from exec, %.0f from first Health", v, fromh);
		goal(label, v >= 200000, detail);
	}
	for (size_t i = 0; i < NSVC; i++) {
		snprintf(key, sizeof key, "c.%s", svcs[i]);
		if (!fig_runs(key))
			continue;
		double v = fig_median(key, 'v');
		snprintf(label, sizeof label, "cold start aedesk-%s < 200 ms", svcs[i]);
		snprintf(detail, sizeof detail, "%.1f ms", v);
		goal(label, v < 200, detail);
	}
	for (size_t i = 0; i < NSVC; i++) {
		snprintf(key, sizeof key, "m.%s", svcs[i]);
		if (!fig_runs(key))
			continue;
		double v = fig_max(key, 'v');
		snprintf(key, sizeof key, "m.%s.anon", svcs[i]);
		snprintf(label, sizeof label, "RSS aedesk-%s < 64 MiB", svcs[i]);
		/* VmRSS counts the store's pages LMDB has mapped (page cache, reclaimable): anon is the heap */
		snprintf(detail, sizeof detail, "max %.1f MiB (anonymous %.1f MiB)", v, fig_max(key, 'v'));
		goal(label, v < 64, detail);
	}
	return h_teardown(&h) ? 1 : 0;
}
