/*
 * How events travel live (common/svc.c publish, sub_cb, apply_event): a commit's events
 * go out as one "<service>/_batch" message and are applied from it, without a replay;
 * a consumer moves its cursor past the events it has no handler for without writing,
 * reports that cursor in Health, and stores it soon after (persist_soft), so a restart
 * does not fetch those events again - and nothing is applied twice or lost on the way.
 */
#include <lmdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "store.h"
#include "testsvc.pb-c.h"
#include "wire.h"

static Aedesk__ConsumerStatsReply *stats(harness *h)
{
	Aedesk__ConsumerStatsRequest q = AEDESK__CONSUMER_STATS_REQUEST__INIT;
	Aedesk__ConsumerStatsReply *r = NULL;
	if (h_call(h, "testsvc", &q.base, &aedesk__consumer_stats_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

struct adder {
	harness *h;
	int from, n, ok;
};

/* add_clients_thread adds n clients over a REQ socket of its own. */
static void *add_clients_thread(void *arg)
{
	struct adder *a = arg;
	aeclient *c = h_client(a->h, "registry", 20000);
	for (int i = a->from; c && i < a->from + a->n; i++) {
		char name[64];
		snprintf(name, sizeof name, "批量客户 %05d", i);
		a->ok += h_add_client(c, name, NULL, 0) == 0;
	}
	aeclient_close(c);
	return NULL;
}

/* add_concurrently adds 8 x per clients from 8 threads (so commits hold several); returns how many were acknowledged. */
static int add_concurrently(harness *h, int from, int per)
{
	pthread_t t[8];
	struct adder a[8];
	for (int i = 0; i < 8; i++) {
		a[i] = (struct adder){h, from + i * per, per, 0};
		pthread_create(&t[i], NULL, add_clients_thread, &a[i]);
	}
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += a[i].ok;
	}
	return ok;
}

/* count_lines: lines of path that contain needle. */
static int count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		n += strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	return n;
}

/* stored_cursor reads a consumer's stored cursor for source straight from its LMDB store. */
static uint64_t stored_cursor(harness *h, const char *consumer, const char *source)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/data/%s", h->home, consumer);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	uint64_t v = 0;
	if (mdb_env_create(&env) != 0)
		return 0;
	mdb_env_set_maxdbs(env, 64);
	if (mdb_env_open(env, dir, MDB_RDONLY, 0600) == 0 && mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) == 0) {
		if (mdb_dbi_open(txn, "_cursor", 0, &dbi) == 0)
			v = store_get_u64(txn, dbi, source, 0);
		mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	return v;
}

TEST(test_live_events_arrive_in_batches_and_are_applied_once_without_replay)
{
	harness h;
	CHECK(h_setup(&h, "batch") == 0);
	h_conf_add(&h, "replay_idle_ms", "3600000"); /* no idle replay: only the live path */
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 20000) == 0);
	char log[512];
	snprintf(log, sizeof log, "%s/testsvc.log", h.home);
	int replays = count_lines(log, "replayed");
	CHECK_INT(add_concurrently(&h, 0, 100), 800);
	uint64_t seq = h_last_seq(&h, "registry", NULL);
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 30000) == 0);
	Aedesk__ConsumerStatsReply *s = stats(&h);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->last_seq, seq);
		CHECK_INT(s->applied, seq);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	/* Every one of the 800 came on the live path: the consumer asked for no replay. */
	CHECK_INT(count_lines(log, "replayed"), replays);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_events_without_a_handler_move_the_cursor_and_it_is_stored)
{
	harness h;
	CHECK(h_setup(&h, "soft") == 0);
	h_conf_add(&h, "replay_idle_ms", "3600000");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK_INT(add_concurrently(&h, 0, 5), 40); /* jobs applies ClientAdded */
	CHECK(h_wait_consumer(&h, "jobs", "registry", 20000) == 0);
	/* Logins are events jobs has no handler for (LoginSucceeded): it skips them, and its
	 * cursor in Health still reaches the registry's last seq. */
	for (int i = 0; i < 20; i++)
		CHECK(h_login_admin(&h) == 0);
	uint64_t seq = h_last_seq(&h, "registry", NULL);
	CHECK(h_audit_events(&h, "registry") >= 20);
	CHECK(h_wait_consumer(&h, "jobs", "registry", 20000) == 0);
	CHECK_INT(h_last_seq(&h, "jobs", "registry"), seq);
	/* The store catches up with it after a heartbeat or so (500 ms here). */
	uint64_t stored = 0;
	for (int waited = 0; waited < 20000 && (stored = stored_cursor(&h, "jobs", "registry")) < seq; waited += 100)
		h_sleep_ms(100);
	CHECK_INT(stored, seq);
	/* So a kill -9 and restart asks for nothing again. */
	char log[512];
	snprintf(log, sizeof log, "%s/jobs.log", h.home);
	int replays = count_lines(log, "replayed");
	h_kill9(&h, "jobs");
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_wait_consumer(&h, "jobs", "registry", 20000) == 0);
	CHECK_INT(count_lines(log, "replayed"), replays);
	/* Clients added next are still applied. */
	CHECK_INT(add_concurrently(&h, 100, 1), 8);
	CHECK(h_wait_consumer(&h, "jobs", "registry", 20000) == 0);
	CHECK_INT(h_last_seq(&h, "jobs", "registry"), h_last_seq(&h, "registry", NULL));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_live_events_arrive_in_batches_and_are_applied_once_without_replay);
	RUN(test_events_without_a_handler_move_the_cursor_and_it_is_stored);
	return check_summary();
}
