/*
 * Outbox epochs (docs/RELIABILITY.md, "Epochs"): a service whose store is rebuilt from
 * empty numbers its events from 1 again, in a new epoch. Its consumers, whose cursors
 * are past those numbers, must replay the new store from seq 1 instead of skipping it,
 * and apply each event once.
 *
 * 1. The scorer rebuilt by replay while the registry runs: its new ClassRecommended
 *    events (seqs the registry's cursor had passed) reach the registry; those that
 *    repeat a recommendation the registry already has (rejected, pending) are not held
 *    again, new ones are held once (R-CLASS-1). A client never invoiced has no revenue
 *    input, so the recommendations here come from satisfaction surveys.
 * 2. testsvc counts every registry seq it applies: after the registry's store is made
 *    anew, it applies every event of the new store once (duplicates 0, missing 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "testsvc.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

/* health_of: a service's epoch and last seq, or its cursor (and that cursor's epoch) for source. */
static uint64_t health_of(harness *h, const char *svc, const char *source, uint64_t *epoch)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	uint64_t v = 0;
	*epoch = 0;
	if (h_call(h, svc, &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) == 0 && r) {
		if (!source) {
			v = r->last_seq;
			*epoch = r->epoch;
		}
		for (size_t i = 0; source && i < r->n_cursors; i++)
			if (strcmp(r->cursors[i]->source, source) == 0) {
				v = r->cursors[i]->seq;
				*epoch = r->cursors[i]->epoch;
			}
	}
	wire_free(r ? &r->base : NULL);
	return v;
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

/* count: occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static int log_has(harness *h, const char *svc, const char *needle)
{
	static char logbuf[1 << 20];
	char path[400];
	snprintf(path, sizeof path, "%s/%s.log", h->home, svc);
	return h_read_file(path, logbuf, sizeof logbuf) == 0 && h_contains(logbuf, needle);
}

/* surveys: each client's contact rates it 1 of 5: satisfaction 200, its only input with
 * data, fits class D; the recommendation is one class down. The scorer's own input: after
 * its store is rebuilt, entered again. */
static void surveys(harness *h)
{
	as(h, "sun.ae");
	for (int i = 1; i <= 4; i++) {
		char c[16], k[16];
		snprintf(c, sizeof c, "C%06d", i);
		snprintf(k, sizeof k, "K%06d", i);
		H_OK(h, "survey", "add", c, "--by", k, "--score", "服务=1");
	}
}

TEST(test_scorer_rebuilt_from_empty_its_new_events_reach_the_registry_once_R_CLASS_1)
{
	harness h;
	CHECK(h_setup(&h, "epoch") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(h_login_admin(&h) == 0);
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	H_OK(&h, "client", "add", "--name", "长城电器", "--class", "B");
	H_OK(&h, "client", "add", "--name", "东方日化", "--class", "C");
	H_OK(&h, "client", "add", "--name", "远景饮料", "--class", "B");
	for (int i = 1; i <= 4; i++) {
		char c[16];
		snprintf(c, sizeof c, "C%06d", i);
		H_OK(&h, "contact", "add", c, "--name", "王主任", "--title", "市场部主任");
	}
	CHECK(h_wait_consumer(&h, "scorer", "registry", 15000) == 0);
	surveys(&h);

	as(&h, "qian.am");
	H_OK(&h, "scorecard", "clients", "C000001", "--recommend"); /* R000001 A -> B */
	H_OK(&h, "scorecard", "clients", "C000002", "--recommend"); /* R000002 B -> C */
	H_OK(&h, "scorecard", "clients", "C000003", "--recommend"); /* R000003 C -> D */
	/* More scorer events, so the registry's cursor is well past what the rebuilt store
	 * will number its new events. */
	for (int i = 0; i < 6; i++) {
		char rev[16];
		snprintf(rev, sizeof rev, "%d0,000", i + 1);
		H_OK(&h, "target", "set", "sun.ae", "--period", "2026-01", "--revenue", rev);
	}
	CHECK(h_wait_consumer(&h, "registry", "scorer", 15000) == 0);
	H_OK(&h, "client", "reject", "R000001", "--why", "回款会改善");
	H_OK(&h, "client", "approve", "R000002");
	uint64_t e1, ce1, old_cursor = health_of(&h, "registry", "scorer", &ce1);
	health_of(&h, "scorer", NULL, &e1);
	CHECK(e1 != 0 && ce1 == e1);
	CHECK_INT(old_cursor, 13);

	/* The scorer's store, rebuilt from empty by replay while the registry runs. */
	CHECK_INT(h_stop(&h, "scorer"), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/data/scorer'", h.home);
	CHECK_INT(system(cmd), 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(h_wait_consumer(&h, "scorer", "registry", 15000) == 0);
	CHECK(h_wait_consumer(&h, "scorer", "jobs", 15000) == 0);
	uint64_t e2;
	CHECK_INT(health_of(&h, "scorer", NULL, &e2), 0);
	CHECK(e2 != 0 && e2 != e1);

	/* The surveys again, then every client: C000001 A -> B (rejected before) and C000003
	 * C -> D (pending) are the same assessments; C000002 is C now (approved), so C -> D
	 * is new, and so is C000004's B -> C. Eight events (four SurveyAdded, four
	 * ClassRecommended), seqs 1-8 of the new store, all under the old cursor. */
	surveys(&h);
	as(&h, "qian.am");
	H_OK(&h, "--json", "scorecard", "clients", "--recommend");
	CHECK_INT(health_of(&h, "scorer", NULL, &e2), 8);
	CHECK(h_wait_consumer(&h, "registry", "scorer", 15000) == 0);
	uint64_t ce2;
	CHECK_INT(health_of(&h, "registry", "scorer", &ce2), 8);
	CHECK(ce2 == e2);
	CHECK(log_has(&h, "registry", "scorer has a new store"));

	H_OK(&h, "--json", "client", "recommendations");
	CHECK_INT(count(out, "\"id\": \"R0"), 5);
	CHECK(h_contains(out, "R000004") && h_contains(out, "R000005") && !h_contains(out, "R000006"));
	H_OK(&h, "--json", "client", "recommendations", "--client", "C000001");
	CHECK_INT(count(out, "\"id\": \"R0"), 1);
	CHECK(h_contains(out, "rejected"));
	H_OK(&h, "--json", "client", "recommendations", "--client", "C000003");
	CHECK_INT(count(out, "\"id\": \"R0"), 1);
	CHECK(h_contains(out, "R000003") && h_contains(out, "pending"));
	H_OK(&h, "--json", "client", "recommendations", "--client", "C000002");
	CHECK_INT(count(out, "\"id\": \"R0"), 2);
	CHECK(h_contains(out, "approved") && h_contains(out, "R000004") && h_contains(out, "\"to\": \"D\""));
	H_OK(&h, "--json", "client", "recommendations", "--client", "C000004");
	CHECK(h_contains(out, "R000005") && h_contains(out, "pending") && h_contains(out, "\"to\": \"C\""));
	/* The history has one line per recommendation received, not two. */
	H_OK(&h, "--json", "client", "history", "C000001");
	CHECK_INT(count(out, "class-recommended"), 1);
	H_OK(&h, "--json", "client", "show", "C000001");
	CHECK(h_contains(out, "\"class\": \"A\""));
	H_OK(&h, "--json", "client", "show", "C000002");
	CHECK(h_contains(out, "\"class\": \"C\""));

	/* Restarted, the registry keeps the scorer's new epoch and applies nothing twice. */
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_wait_consumer(&h, "registry", "scorer", 15000) == 0);
	CHECK_INT(health_of(&h, "registry", "scorer", &ce2), 8);
	CHECK(ce2 == e2);
	as(&h, "qian.am");
	H_OK(&h, "--json", "client", "recommendations");
	CHECK_INT(count(out, "\"id\": \"R0"), 5);
	CHECK_INT(h_teardown(&h), 0);
}

static int consumer_stats(harness *h, Aedesk__ConsumerStatsReply **r)
{
	Aedesk__ConsumerStatsRequest q = AEDESK__CONSUMER_STATS_REQUEST__INIT;
	*r = NULL;
	return h_call(h, "testsvc", &q.base, &aedesk__consumer_stats_reply__descriptor, (ProtobufCMessage **)r);
}

TEST(test_testsvc_applies_every_event_of_a_new_registry_store_once)
{
	harness h;
	CHECK(h_setup(&h, "epochsvc") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK(h_login_admin(&h) == 0);
	for (int i = 0; i < 12; i++) {
		char name[64];
		snprintf(name, sizeof name, "旧客户%02d", i);
		H_OK(&h, "client", "add", "--name", name, "--class", "B");
	}
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 15000) == 0);
	uint64_t e1, old_last = health_of(&h, "registry", NULL, &e1);
	Aedesk__ConsumerStatsReply *st;
	CHECK_INT(consumer_stats(&h, &st), 0);
	CHECK(st && st->applied == old_last && st->duplicates == 0 && st->missing == 0 && st->epochs == 1);
	wire_free(st ? &st->base : NULL);

	/* The registry's store made anew: fewer events than testsvc's cursor. */
	CHECK_INT(h_stop(&h, "registry"), 0);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s/data/registry'", h.home);
	CHECK_INT(system(cmd), 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	for (int i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof name, "新客户%02d", i);
		H_OK(&h, "client", "add", "--name", name, "--class", "C");
	}
	uint64_t e2, last = health_of(&h, "registry", NULL, &e2);
	CHECK(e2 != e1 && last < old_last);
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 15000) == 0);
	uint64_t ce;
	CHECK_INT(health_of(&h, "testsvc", "registry", &ce), last);
	CHECK(ce == e2);
	CHECK_INT(consumer_stats(&h, &st), 0);
	CHECK(st && st->applied == last && st->last_seq == last && st->duplicates == 0 && st->missing == 0 &&
	    st->epochs == 2);
	wire_free(st ? &st->base : NULL);
	CHECK(log_has(&h, "testsvc", "registry has a new store"));

	/* And on from there: a later event once, also across a restart of testsvc. */
	H_OK(&h, "client", "add", "--name", "新客户99", "--class", "C");
	CHECK_INT(h_stop(&h, "testsvc"), 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK(h_wait_consumer(&h, "testsvc", "registry", 15000) == 0);
	last = health_of(&h, "registry", NULL, &e2);
	CHECK_INT(consumer_stats(&h, &st), 0);
	CHECK(st && st->applied == last && st->duplicates == 0 && st->missing == 0 && st->epochs == 2);
	wire_free(st ? &st->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_scorer_rebuilt_from_empty_its_new_events_reach_the_registry_once_R_CLASS_1);
	RUN(test_testsvc_applies_every_event_of_a_new_registry_store_once);
	return check_summary();
}
