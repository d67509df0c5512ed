/*
 * Slow and absent consumers (issue 9): a consumer frozen with SIGSTOP while a flood of
 * events flows (its SUB socket stays connected but reads nothing, so NNG drops what
 * does not fit) applies every event exactly once after SIGCONT, even when it is killed
 * -9 in the middle of catching up; the catch-up rate is printed.
 *
 * 50,000 events by default (5,000 in a sanitizer build); the long run for
 * docs/RELIABILITY.md: AEDESK_RELIABILITY_EVENTS=1000000 AEDESK_RELIABILITY_PAUSE_S=60.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "testsvc.pb-c.h"
#include "wire.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define WRITERS 16

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t pid_of(harness *h, const char *name)
{
	for (int i = 0; i < H_MAX_SVC; i++)
		if (strcmp(h->svc[i].name, name) == 0)
			return h->svc[i].pid;
	return 0;
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

/* consumer_cursor: testsvc's cursor on registry, from its Health (0 when it does not answer). */
static uint64_t consumer_cursor(harness *h)
{
	aeclient *c = h_client(h, "testsvc", 1000);
	uint64_t v = 0;
	if (c) {
		Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
		Aedesk__Status st;
		char msg[256];
		Aedesk__Health *r = NULL;
		if (aeclient_call(c, &q.base, &aedesk__health__descriptor, &st, msg, sizeof msg, (ProtobufCMessage **)&r) == 0 && r)
			for (size_t i = 0; i < r->n_cursors; i++)
				if (strcmp(r->cursors[i]->source, "registry") == 0)
					v = r->cursors[i]->seq;
		wire_free(r ? &r->base : NULL);
		aeclient_close(c);
	}
	return v;
}

struct writer {
	aeclient *c;
	int n, from, ok;
};

static void *write_clients(void *arg)
{
	struct writer *w = arg;
	for (int i = w->from; i < w->from + w->n; i++) {
		char name[64];
		snprintf(name, sizeof name, "洪峰客户 %07d", i);
		Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
		q.name = name;
		Aedesk__Status st;
		char msg[256];
		ProtobufCMessage *r = NULL;
		if (aeclient_call(w->c, &q.base, &aedesk__client_reply__descriptor, &st, msg, sizeof msg, &r) == 0 &&
		    st == AEDESK__STATUS__OK)
			w->ok++;
		wire_free(r);
	}
	return NULL;
}

TEST(test_consumer_frozen_during_a_flood_applies_every_event_once_after_it_resumes)
{
	int events = SANITIZED ? 5000 : 50000, pause_s = 0;
	if (getenv("AEDESK_RELIABILITY_EVENTS"))
		events = atoi(getenv("AEDESK_RELIABILITY_EVENTS"));
	if (getenv("AEDESK_RELIABILITY_PAUSE_S"))
		pause_s = atoi(getenv("AEDESK_RELIABILITY_PAUSE_S"));
	fprintf(stderr, "  %d events while the consumer is stopped%s\n", events, SANITIZED ? " (sanitizer build)" : "");
	harness h;
	CHECK(h_setup(&h, "catchup") == 0);
	h_conf_add(&h, "map_mb", "256");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	uint64_t base = registry_last_seq(&h);
	for (int i = 0; i < 100 && consumer_cursor(&h) < base; i++)
		h_sleep_ms(50);
	CHECK_INT(consumer_cursor(&h), base);

	/* Freeze the consumer: connected, reading nothing. */
	pid_t pid = pid_of(&h, "testsvc");
	CHECK(pid > 0 && kill(pid, SIGSTOP) == 0);
	double t0 = now_s();
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.c = h_client(&h, "registry", 30000), .n = events / WRITERS, .from = i * (events / WRITERS)};
		CHECK(w[i].c != NULL);
		pthread_create(&t[i], NULL, write_clients, &w[i]);
	}
	int acked = 0;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		acked += w[i].ok;
		aeclient_close(w[i].c);
	}
	double wrote = now_s() - t0;
	int want = (events / WRITERS) * WRITERS;
	CHECK_INT(acked, want);
	fprintf(stderr, "  %d acknowledged client adds in %.1f s (%.0f/s from %d clients)\n", acked, wrote,
	    acked / wrote, WRITERS);
	while (now_s() - t0 < pause_s)
		h_sleep_ms(200);
	uint64_t last = registry_last_seq(&h);
	CHECK_INT(last, base + (uint64_t)acked);

	/* Resume; during the catch-up, kill -9 it and start it again. The catch-up applies
	 * whole replay pages (1,000 events) and can finish between two looks, so the kill
	 * comes at the first sign of progress; if it had caught up already, it is killed
	 * then and must not apply anything twice after its restart either. */
	double t1 = now_s();
	CHECK(kill(pid, SIGCONT) == 0);
	int killed = 0, midway = 0;
	uint64_t cur = 0;
	while (now_s() - t1 < 600 && ((cur = consumer_cursor(&h)) < last || !killed)) {
		if (!killed && cur > base) {
			midway = cur < last;
			h_kill9(&h, "testsvc");
			CHECK(h_start(&h, "testsvc") == 0);
			killed = 1;
			continue;
		}
		h_sleep_ms(5);
	}
	double caught = now_s() - t1;
	CHECK_INT(cur, last);
	CHECK(killed);
	fprintf(stderr, "  the kill -9 came %s\n", midway ? "during the catch-up" : "after it had caught up");
	fprintf(stderr, "  frozen %.1f s; caught up on %llu events in %.2f s (%.0f events/s, with one kill -9 halfway)\n",
	    t1 - t0, (unsigned long long)(last - base), caught, (double)(last - base) / caught);

	Aedesk__ConsumerStatsRequest q = AEDESK__CONSUMER_STATS_REQUEST__INIT;
	Aedesk__ConsumerStatsReply *s = NULL;
	CHECK_INT(h_call(&h, "testsvc", &q.base, &aedesk__consumer_stats_reply__descriptor, (ProtobufCMessage **)&s), 0);
	CHECK(s != NULL);
	if (s) {
		CHECK_INT(s->applied, last);
		CHECK_INT(s->last_seq, last);
		CHECK_INT(s->duplicates, 0);
		CHECK_INT(s->missing, 0);
		wire_free(&s->base);
	}
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_consumer_frozen_during_a_flood_applies_every_event_once_after_it_resumes);
	return check_summary();
}
