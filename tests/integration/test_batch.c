/*
 * The group-commit batch (common/svc.c run_batch): refused and accepted writes arriving
 * together are batched together. A batch runs its handlers in one write transaction;
 * when one is refused, the batch is redone with a nested transaction per item. Whatever
 * the mix, every accepted write is acknowledged, stored and published exactly once, in
 * seq order, and nothing of a refused one survives. Reads are answered outside the batch
 * (svc.c serve_read) and see every write acknowledged before them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "testsvc.pb-c.h"
#include "wire.h"

#define WRITERS 8
#define ADDS 60

struct writer {
	harness *h;
	int no;
	int accepted, refused, unreadable, other;
};

/*
 * writer adds clients over its own REQ socket; every third name is one every writer
 * uses (so all but one of those are refused ALREADY_EXISTS, in the same batches as
 * accepted ones). After each acknowledged add, the client is read back at once.
 */
static void *writer(void *arg)
{
	struct writer *w = arg;
	aeclient *c = h_client(w->h, "registry", 20000);
	for (int i = 0; c && i < ADDS; i++) {
		char name[64], msg[256];
		if (i % 3 == 0)
			snprintf(name, sizeof name, "同名客户 %03d", i);
		else
			snprintf(name, sizeof name, "批量客户 %d-%03d", w->no, i);
		Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
		q.name = name;
		Aedesk__Status st;
		Aedesk__ClientReply *r = NULL;
		if (aeclient_call(c, &q.base, &aedesk__client_reply__descriptor, &st, msg, sizeof msg,
			(ProtobufCMessage **)&r) != 0) {
			w->other++;
			continue;
		}
		if (st == AEDESK__STATUS__ALREADY_EXISTS) {
			w->refused++;
		} else if (st == AEDESK__STATUS__OK && r && r->client) {
			w->accepted++;
			/* Read-your-writes through the read path. */
			Aedesk__ClientGetRequest g = AEDESK__CLIENT_GET_REQUEST__INIT;
			g.id = r->client->id;
			Aedesk__ClientReply *gr = NULL;
			if (aeclient_call(c, &g.base, &aedesk__client_reply__descriptor, &st, msg, sizeof msg,
				(ProtobufCMessage **)&gr) != 0 ||
			    st != AEDESK__STATUS__OK || !gr || !gr->client || strcmp(gr->client->name, name) != 0)
				w->unreadable++;
			wire_free(gr ? &gr->base : NULL);
		} else {
			w->other++;
		}
		wire_free(r ? &r->base : NULL);
	}
	aeclient_close(c);
	return NULL;
}

static Aedesk__ConsumerStatsReply *consumer_stats(harness *h)
{
	Aedesk__ConsumerStatsRequest q = AEDESK__CONSUMER_STATS_REQUEST__INIT;
	Aedesk__ConsumerStatsReply *r = NULL;
	if (h_call(h, "testsvc", &q.base, &aedesk__consumer_stats_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

TEST(test_refused_and_accepted_writes_in_the_same_batches_each_count_once)
{
	harness h;
	CHECK(h_setup(&h, "batch") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	uint64_t seq0 = h_last_seq(&h, "registry", NULL);

	pthread_t th[WRITERS];
	struct writer w[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.h = &h, .no = i};
		CHECK(pthread_create(&th[i], NULL, writer, &w[i]) == 0);
	}
	int accepted = 0, refused = 0, unreadable = 0, other = 0;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		accepted += w[i].accepted;
		refused += w[i].refused;
		unreadable += w[i].unreadable;
		other += w[i].other;
	}
	/* Each shared name is accepted once and refused for every other writer. */
	int shared = (ADDS + 2) / 3, own = ADDS - shared;
	CHECK_INT(other, 0);
	CHECK_INT(accepted, WRITERS * own + shared);
	CHECK_INT(refused, (WRITERS - 1) * shared);
	CHECK_INT(unreadable, 0);

	/* One ClientAdded per accepted add, no event from a refused one... */
	uint64_t seq = h_last_seq(&h, "registry", NULL);
	CHECK_INT(seq - seq0, (uint64_t)accepted);
	/* ...and the consumer applies each of them once, none missing. */
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 30000) == 0);
	Aedesk__ConsumerStatsReply *s = consumer_stats(&h);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->applied, seq);
		CHECK_INT(s->last_seq, seq);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_refused_and_accepted_writes_in_the_same_batches_each_count_once);
	return check_summary();
}
