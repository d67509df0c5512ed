/*
 * NAME
 *	aedesk-testsvc - a small service on the skeleton, for tests only
 *
 * DESCRIPTION
 *	Consumes every registry event and records each seq it applies, so a test can
 *	prove "every event once": applied == last seq, duplicates == 0, missing == 0.
 *	The counts are of the registry store's current epoch: when events of a new epoch
 *	arrive (the registry's store was made anew) the seqs seen are forgotten and
 *	"epochs" counts one more.
 *	Its Touch request sleeps delay_ms before counting, so a test can make a handler
 *	slower than REQ's resend time and prove the request still runs once. Its tick
 *	fails while the key "stall" has been touched an odd number of times, so a test
 *	can stop its periodic work (the status service must notice) and start it again.
 *
 *	Tables: seen  be64(seq) -> be64(times applied); counts  key -> be64(touches);
 *	        stats "duplicates", "epoch", "epochs" -> be64.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "svc.h"
#include "testsvc.pb-c.h"
#include "wire.h"

static MDB_dbi seen, counts, stats;

static int touch(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__TouchRequest *q = (const Aedesk__TouchRequest *)in;
	if (q->delay_ms) {
		struct timespec ts = {q->delay_ms / 1000, (long)(q->delay_ms % 1000) * 1000000};
		nanosleep(&ts, NULL);
	}
	uint64_t n = store_get_u64(r->txn, counts, q->key, 0) + 1;
	int rc = store_put_u64(r->txn, counts, q->key, n);
	if (rc)
		return svc_db_error(r, rc, "counts");
	Aedesk__TouchReply rep = AEDESK__TOUCH_REPLY__INIT;
	rep.count = n;
	return svc_reply(r, &rep.base);
}

static int consumer_stats(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	MDB_stat st;
	mdb_stat(r->txn, seen, &st);
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t last = 0;
	if (mdb_cursor_open(r->txn, seen, &c) == 0) {
		if (mdb_cursor_get(c, &k, &v, MDB_LAST) == 0)
			last = store_from_be64(k.mv_data);
		mdb_cursor_close(c);
	}
	Aedesk__ConsumerStatsReply rep = AEDESK__CONSUMER_STATS_REPLY__INIT;
	rep.applied = st.ms_entries;
	rep.duplicates = store_get_u64(r->txn, stats, "duplicates", 0);
	rep.last_seq = last;
	rep.missing = last - st.ms_entries;
	rep.epochs = store_get_u64(r->txn, stats, "epochs", 0);
	return svc_reply(r, &rep.base);
}

/* record_event counts how often each registry seq was applied. */
static int record_event(svc_req *r, const ProtobufCMessage *ev)
{
	(void)ev;
	if (r->env->epoch && r->env->epoch != store_get_u64(r->txn, stats, "epoch", 0)) {
		int rc = mdb_drop(r->txn, seen, 0);
		if (!rc)
			rc = store_put_u64(r->txn, stats, "epoch", r->env->epoch);
		if (!rc)
			rc = store_put_u64(r->txn, stats, "epochs", store_get_u64(r->txn, stats, "epochs", 0) + 1);
		if (rc)
			return svc_db_error(r, rc, "stats");
	}
	uint8_t k[8];
	store_be64(k, r->env->seq);
	MDB_val kv = {8, k}, vv;
	uint64_t times = 1;
	if (mdb_get(r->txn, seen, &kv, &vv) == 0) {
		times = store_from_be64(vv.mv_data) + 1;
		store_put_u64(r->txn, stats, "duplicates", store_get_u64(r->txn, stats, "duplicates", 0) + 1);
	}
	uint8_t b[8];
	store_be64(b, times);
	vv.mv_size = 8;
	vv.mv_data = b;
	int rc = mdb_put(r->txn, seen, &kv, &vv, 0);
	return rc ? svc_db_error(r, rc, "seen") : 0;
}

/* tick: periodic work that fails on demand (see above). */
static int tick(svc *s, svc_req *r)
{
	(void)s;
	if (store_get_u64(r->txn, counts, "stall", 0) % 2)
		return svc_failf(r, AEDESK__STATUS__UNAVAILABLE, "测试：周期任务已暂停", "test: periodic work paused");
	return 0;
}

static const struct svc_handler handlers[] = {
	{&aedesk__touch_request__descriptor, touch, SVC_WRITES | SVC_PUBLIC},
	{&aedesk__consumer_stats_request__descriptor, consumer_stats, SVC_PUBLIC},
};
static const char *const sources[] = {"registry", NULL};
static const struct svc_event_handler events[] = {{"registry", NULL, record_event}};
static const store_table tables[] = {{"seen", &seen}, {"counts", &counts}, {"stats", &stats}, {NULL, NULL}};

static const struct svc_decl decl = {
	.name = "testsvc",
	.summary = "aedesk-testsvc: a consumer and a slow handler for the tests (never deployed).",
	.handlers = handlers,
	.nhandlers = 2,
	.sources = sources,
	.events = events,
	.nevents = 1,
	.tables = tables,
	.tick = tick,
	.tick_ms = 100,
};

int main(int argc, char **argv) { return svc_main(&decl, argc, argv); }
