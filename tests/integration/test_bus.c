/*
 * The bus never loses an event (DESIGN.md): a consumer that was down while events
 * were published catches up by replay and applies every one exactly once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
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

static uint64_t registry_last_seq(harness *h)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	uint64_t v = 0;
	if (h_call(h, "registry", &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		v = r->last_seq;
	wire_free(r ? &r->base : NULL);
	return v;
}

/* add_clients adds n clients over one REQ socket; returns how many were acknowledged. */
static int add_clients(harness *h, int from, int n)
{
	aeclient *c = h_client(h, "registry", 10000);
	int ok = 0;
	for (int i = from; c && i < from + n; i++) {
		char name[64];
		snprintf(name, sizeof name, "事件客户 %05d", i);
		ok += h_add_client(c, name, NULL, 0) == 0;
	}
	aeclient_close(c);
	return ok;
}

/* wait_caught_up polls the consumer until it has applied up to `seq` (or times out). */
static int wait_caught_up(harness *h, uint64_t seq, int ms)
{
	for (int waited = 0; waited < ms; waited += 100) {
		Aedesk__ConsumerStatsReply *s = stats(h);
		uint64_t last = s ? s->last_seq : 0;
		wire_free(s ? &s->base : NULL);
		if (last >= seq)
			return 0;
		h_sleep_ms(100);
	}
	return -1;
}

TEST(test_consumer_down_during_10000_events_catches_up_exactly_once)
{
	harness h;
	CHECK(h_setup(&h, "bus") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	/* Live path first: the consumer is up. */
	CHECK_INT(add_clients(&h, 0, 100), 100);
	uint64_t seq = registry_last_seq(&h);
	CHECK(seq >= 101); /* the admin account's event and 100 clients */
	CHECK(wait_caught_up(&h, seq, 10000) == 0);
	/* Now the consumer dies hard and misses 10,000 events. */
	h_kill9(&h, "testsvc");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(add_clients(&h, 100, 10000), 10000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "  10000 acknowledged client adds in %.2f s (%.0f/s, one client, sequential)\n", secs,
	    10000 / secs);
	seq = registry_last_seq(&h);
	CHECK(seq >= 10101);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK(wait_caught_up(&h, seq, 60000) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "  consumer caught up on 10000 events in %.2f s after start\n", secs);
	Aedesk__ConsumerStatsReply *s = stats(&h);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->applied, seq);
		CHECK_INT(s->last_seq, seq);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	/* A restart replays nothing twice, and the live path still works afterwards. */
	CHECK_INT(h_stop(&h, "testsvc"), 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK_INT(add_clients(&h, 10100, 50), 50);
	seq = registry_last_seq(&h);
	CHECK(wait_caught_up(&h, seq, 10000) == 0);
	s = stats(&h);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->applied, seq);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	CHECK_INT(h_teardown(&h), 0);
}

/* The source restarting (kill -9) loses no event: its outbox is durable and replayed. */
TEST(test_source_killed_mid_stream_consumer_still_gets_every_acknowledged_event)
{
	harness h;
	CHECK(h_setup(&h, "bus2") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK_INT(add_clients(&h, 0, 200), 200);
	h_kill9(&h, "registry");
	CHECK(h_start(&h, "registry") == 0);
	CHECK_INT(add_clients(&h, 200, 200), 200);
	uint64_t seq = registry_last_seq(&h);
	long audit = h_audit_events(&h, "registry"); /* logins: the audit trail's, not changes */
	CHECK_INT(seq, 401 + audit);
	CHECK(wait_caught_up(&h, seq, 15000) == 0);
	Aedesk__ConsumerStatsReply *s = stats(&h);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->applied, 401 + audit);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_consumer_down_during_10000_events_catches_up_exactly_once);
	RUN(test_source_killed_mid_stream_consumer_still_gets_every_acknowledged_event);
	return check_summary();
}
