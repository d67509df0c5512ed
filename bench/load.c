/*
 * NAME
 *	load.c - N closed-loop clients driving a running aedesk service
 *
 * DESCRIPTION
 *	Each client is a thread with its own REQ socket (aeclient): it sends a request,
 *	waits for the answer, records the round trip and sends the next, until it has
 *	made n or the time cap has passed. Every answer must be OK; anything else
 *	counts as a failure and is reported with the figure.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "client.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "wire.h"

struct loader {
	const struct target *t;
	enum op op;
	int id, n;
	int64_t deadline;
	int64_t *lat;
	size_t done, failures;
};

static const char *const brief_text = "压测用简报：目标、受众与交付物均已写明。";

/* call_op makes one request of kind op; 0 when it was answered OK. */
static int call_op(aeclient *c, const struct loader *l, int i, char *msg, size_t msglen)
{
	char name[96], summary[96];
	Aedesk__HealthRequest hq = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__ClientAddRequest aq = AEDESK__CLIENT_ADD_REQUEST__INIT;
	Aedesk__VisitLogRequest vq = AEDESK__VISIT_LOG_REQUEST__INIT;
	Aedesk__JobOpenRequest oq = AEDESK__JOB_OPEN_REQUEST__INIT;
	Aedesk__JobBrief b = AEDESK__JOB_BRIEF__INIT;
	Aedesk__ClientGetRequest gq = AEDESK__CLIENT_GET_REQUEST__INIT;
	Aedesk__ClientListRequest lq = AEDESK__CLIENT_LIST_REQUEST__INIT;
	Aedesk__JobGetRequest jq = AEDESK__JOB_GET_REQUEST__INIT;
	static const char *const classes[] = {"A", "B", "C", "D"};
	const ProtobufCMessage *q = NULL;
	const ProtobufCMessageDescriptor *rd = NULL;
	switch (l->op) {
	case OP_HEALTH:
		q = &hq.base;
		rd = &aedesk__health__descriptor;
		break;
	case OP_CLIENT_ADD:
		snprintf(name, sizeof name, "压测客户 %d-%d-%lld", l->id, i, (long long)bench_now_ns());
		aq.name = name;
		aq.class_ = (char *)classes[i & 3];
		q = &aq.base;
		rd = &aedesk__client_reply__descriptor;
		break;
	case OP_VISIT_LOG:
		snprintf(summary, sizeof summary, "压测电话回访 %d-%d", l->id, i);
		vq.client_id = (char *)l->t->client_id;
		vq.kind = AEDESK__VISIT_KIND__CALL;
		vq.at_ms = wire_now_ms() - 60000;
		vq.summary = summary;
		q = &vq.base;
		rd = &aedesk__visit_reply__descriptor;
		break;
	case OP_JOB_OPEN:
		snprintf(name, sizeof name, "压测工作单 %d-%d", l->id, i);
		b.background = b.objective = b.audience = b.insight = b.proposition = b.support =
		    b.tone = b.mandatories = b.deliverables = b.budget = b.timing = (char *)brief_text;
		oq.client_id = (char *)l->t->ae_client_id;
		oq.title = name;
		oq.kind = "print";
		oq.due_ms = wire_now_ms() + 200ll * 86400000;
		oq.brief = &b;
		q = &oq.base;
		rd = &aedesk__job_reply__descriptor;
		break;
	case OP_CLIENT_GET:
		gq.id = (char *)l->t->client_id;
		q = &gq.base;
		rd = &aedesk__client_reply__descriptor;
		break;
	case OP_CLIENT_LIST:
		lq.class_ = "B";
		lq.limit = 20;
		q = &lq.base;
		rd = &aedesk__client_list_reply__descriptor;
		break;
	case OP_JOB_GET:
		jq.id = (char *)l->t->job_id;
		q = &jq.base;
		rd = &aedesk__job_reply__descriptor;
		break;
	}
	Aedesk__Status st;
	ProtobufCMessage *r = NULL;
	int rc = aeclient_call(c, q, rd, &st, msg, msglen, &r);
	wire_free(r);
	return rc == 0 && st == AEDESK__STATUS__OK ? 0 : -1;
}

int load_one(aeclient *c, const struct target *t, enum op op, int i, char *msg, size_t msglen)
{
	struct loader l = {.t = t, .op = op, .id = BENCH_MAX_CLIENTS};
	return call_op(c, &l, i, msg, msglen);
}

static int op_on_jobs(enum op op) { return op == OP_JOB_OPEN || op == OP_JOB_GET; }

static void *loader_main(void *arg)
{
	struct loader *l = arg;
	char err[256], msg[512];
	const char *url = op_on_jobs(l->op) ? l->t->jobs : l->t->registry;
	aeclient *c = aeclient_open(url, 10000, err, sizeof err);
	if (!c) {
		fprintf(stderr, "  client %d: %s\n", l->id, err);
		l->failures = (size_t)l->n;
		return NULL;
	}
	if (op_on_jobs(l->op))
		aeclient_set_token(c, l->t->jobs_token, l->t->jobs_token_len);
	else
		aeclient_set_token(c, l->t->token, l->t->token_len);
	for (int i = 0; i < l->n; i++) {
		int64_t t0 = bench_now_ns();
		if (t0 > l->deadline)
			break;
		int rc = call_op(c, l, i, msg, sizeof msg);
		l->lat[l->done++] = bench_now_ns() - t0;
		if (rc != 0 && !l->failures++)
			fprintf(stderr, "  first failure (client %d): %s\n", l->id, msg);
	}
	aeclient_close(c);
	return NULL;
}

struct result load_run(const struct target *t, enum op op, int clients, int n, int64_t cap_ns)
{
	struct loader l[BENCH_MAX_CLIENTS];
	pthread_t th[BENCH_MAX_CLIENTS];
	int64_t *lat = calloc((size_t)n * (size_t)clients, sizeof *lat);
	int64_t t0 = bench_now_ns();
	for (int i = 0; i < clients; i++) {
		l[i] = (struct loader){t, op, i, n, t0 + cap_ns, lat + (size_t)i * (size_t)n, 0, 0};
		pthread_create(&th[i], NULL, loader_main, &l[i]);
	}
	size_t failures = 0, total = 0;
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		failures += l[i].failures;
	}
	int64_t wall = bench_now_ns() - t0;
	/* compact the samples of every client into one array */
	for (int i = 0; i < clients; i++) {
		memmove(lat + total, l[i].lat, l[i].done * sizeof *lat);
		total += l[i].done;
	}
	struct result r = result_of(lat, total, wall, failures);
	free(lat);
	return r;
}
