/*
 * NAME
 *	aedesk-bench - round trips and durable writes against a running aedesk, with baselines
 *
 * SYNOPSIS
 *	aedesk-bench --conf PATH [--n N] [--clients C]
 *
 * DESCRIPTION
 *	Measures, against the real aedesk-registry named in the config (logged in as admin
 *	with the password in admin_password_file):
 *	  read     HealthRequest round trip (no store write, no token check)
 *	  get      ClientGetRequest (token verified, one LMDB read)
 *	  write    ClientAddRequest (token, validation, one durable commit, an outbox event)
 *	and, in the same run as baselines: a bare NNG req/rep echo over ipc with a payload of
 *	the same size, and one LMDB durable commit per write (fdatasync) in a temp dir.
 *	Each figure is printed with p50/p99/p99.9 latency and throughput, and as a ratio to
 *	its baseline. C clients run in threads, each with its own REQ socket.
 */
#include <lmdb.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "conf.h"
#include "registry.pb-c.h"
#include "wire.h"

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

struct result {
	const char *name;
	double per_s;
	double p50, p99, p999; /* microseconds */
};

static struct result summarize(const char *name, int64_t *lat, size_t n, int64_t wall_ns)
{
	qsort(lat, n, sizeof *lat, cmp64);
	struct result r = {name, (double)n / ((double)wall_ns / 1e9), lat[n / 2] / 1e3,
	    lat[(size_t)((double)n * 0.99)] / 1e3, lat[(size_t)((double)n * 0.999)] / 1e3};
	printf("%-34s %9.0f/s   p50 %7.1f us   p99 %7.1f us   p99.9 %7.1f us\n", r.name, r.per_s, r.p50,
	    r.p99, r.p999);
	return r;
}

/* ---- the aedesk runs ---- */

enum op { OP_HEALTH, OP_GET, OP_ADD };

struct job {
	const char *url;
	const uint8_t *tok;
	size_t toklen;
	enum op op;
	int n, id;
	int64_t *lat;
	int failures;
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	char err[256], msg[256], name[64];
	aeclient *c = aeclient_open(j->url, 10000, err, sizeof err);
	if (!c) {
		j->failures = j->n;
		return NULL;
	}
	aeclient_set_token(c, j->tok, j->toklen);
	for (int i = 0; i < j->n; i++) {
		Aedesk__HealthRequest hq = AEDESK__HEALTH_REQUEST__INIT;
		Aedesk__ClientGetRequest gq = AEDESK__CLIENT_GET_REQUEST__INIT;
		Aedesk__ClientAddRequest aq = AEDESK__CLIENT_ADD_REQUEST__INIT;
		const ProtobufCMessage *q = &hq.base;
		const ProtobufCMessageDescriptor *rd = &aedesk__health__descriptor;
		if (j->op == OP_GET) {
			gq.id = "C000001";
			q = &gq.base;
			rd = &aedesk__client_reply__descriptor;
		} else if (j->op == OP_ADD) {
			snprintf(name, sizeof name, "压测客户 %d-%d-%lld", j->id, i, (long long)now_ns());
			aq.name = name;
			aq.class_ = "C";
			q = &aq.base;
			rd = &aedesk__client_reply__descriptor;
		}
		Aedesk__Status st;
		ProtobufCMessage *r = NULL;
		int64_t t0 = now_ns();
		int rc = aeclient_call(c, q, rd, &st, msg, sizeof msg, &r);
		j->lat[i] = now_ns() - t0;
		if (rc != 0 || st != AEDESK__STATUS__OK) {
			if (!j->failures++)
				fprintf(stderr, "  first failure: %s\n", msg);
		}
		wire_free(r);
	}
	aeclient_close(c);
	return NULL;
}

static struct result run_aedesk(const char *name, const char *url, const uint8_t *tok, size_t toklen,
    enum op op, int n, int clients)
{
	struct job jobs[64];
	pthread_t th[64];
	int64_t *lat = calloc((size_t)n * (size_t)clients, sizeof *lat);
	int64_t t0 = now_ns();
	for (int i = 0; i < clients; i++) {
		jobs[i] = (struct job){url, tok, toklen, op, n, i, lat + (size_t)i * (size_t)n, 0};
		pthread_create(&th[i], NULL, run_job, &jobs[i]);
	}
	int fail = 0;
	for (int i = 0; i < clients; i++) {
		pthread_join(th[i], NULL);
		fail += jobs[i].failures;
	}
	int64_t wall = now_ns() - t0;
	char label[80];
	snprintf(label, sizeof label, "%s (%d client%s)", name, clients, clients > 1 ? "s" : "");
	struct result r = summarize(strdup(label), lat, (size_t)n * (size_t)clients, wall);
	if (fail)
		printf("  !! %d request(s) failed\n", fail);
	free(lat);
	return r;
}

/* ---- baseline: bare NNG req/rep echo over ipc ---- */

static void *echo_server(void *arg)
{
	nng_socket s = *(nng_socket *)arg;
	for (;;) {
		nng_msg *m;
		if (nng_recvmsg(s, &m, 0) != 0)
			return NULL;
		if (nng_sendmsg(s, m, 0) != 0)
			nng_msg_free(m);
	}
}

struct echo_job {
	const char *url;
	int n;
	size_t size;
	int64_t *lat;
};

static void *echo_client(void *arg)
{
	struct echo_job *j = arg;
	nng_socket s;
	nng_req0_open(&s);
	nng_dial(s, j->url, NULL, 0);
	uint8_t *buf = calloc(1, j->size);
	for (int i = 0; i < j->n; i++) {
		int64_t t0 = now_ns();
		void *rb;
		size_t rl;
		nng_send(s, buf, j->size, 0);
		if (nng_recv(s, &rb, &rl, NNG_FLAG_ALLOC) == 0)
			nng_free(rb, rl);
		j->lat[i] = now_ns() - t0;
	}
	free(buf);
	nng_close(s);
	return NULL;
}

static struct result run_echo(const char *dir, int n, int clients, size_t size)
{
	char url[512];
	snprintf(url, sizeof url, "ipc://%s/echo.ipc", dir);
	nng_socket rep;
	nng_rep0_open(&rep);
	nng_listen(rep, url, NULL, 0);
	pthread_t srv, th[64];
	pthread_create(&srv, NULL, echo_server, &rep);
	int64_t *lat = calloc((size_t)n * (size_t)clients, sizeof *lat);
	struct echo_job jobs[64];
	int64_t t0 = now_ns();
	for (int i = 0; i < clients; i++) {
		jobs[i] = (struct echo_job){url, n, size, lat + (size_t)i * (size_t)n};
		pthread_create(&th[i], NULL, echo_client, &jobs[i]);
	}
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	int64_t wall = now_ns() - t0;
	char label[80];
	snprintf(label, sizeof label, "baseline NNG echo %zuB (%d)", size, clients);
	struct result r = summarize(strdup(label), lat, (size_t)n * (size_t)clients, wall);
	free(lat);
	nng_close(rep); /* the server thread's recv fails and it returns */
	pthread_join(srv, NULL);
	return r;
}

/* ---- baseline: LMDB, one durable commit per write ---- */

static struct result run_lmdb(const char *dir, int n)
{
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, 256u << 20);
	mdb_env_open(env, dir, 0, 0600);
	mdb_txn_begin(env, NULL, 0, &txn);
	mdb_dbi_open(txn, NULL, 0, &dbi);
	mdb_txn_commit(txn);
	int64_t *lat = calloc((size_t)n, sizeof *lat);
	int64_t t0 = now_ns();
	for (int i = 0; i < n; i++) {
		int64_t t = now_ns();
		uint8_t k[8], v[200];
		memset(v, 'x', sizeof v);
		for (int b = 0; b < 8; b++)
			k[b] = (uint8_t)((uint64_t)i >> (56 - 8 * b));
		MDB_val kv = {8, k}, vv = {sizeof v, v};
		mdb_txn_begin(env, NULL, 0, &txn);
		mdb_put(txn, dbi, &kv, &vv, 0);
		mdb_txn_commit(txn);
		lat[i] = now_ns() - t;
	}
	struct result r = summarize("baseline LMDB durable commit (1)", lat, (size_t)n, now_ns() - t0);
	free(lat);
	mdb_env_close(env);
	return r;
}

static void ratio(const char *what, struct result a, struct result b)
{
	printf("  %-40s %.2fx throughput, p50 %.2fx\n", what, a.per_s / b.per_s, a.p50 / b.p50);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int n = 2000, clients = 8;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--conf") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--n") && i + 1 < argc)
			n = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--clients") && i + 1 < argc)
			clients = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: aedesk-bench --conf PATH [--n N] [--clients C]\n"
					"Drives the running aedesk-registry; see bench/run.\n");
			return 2;
		}
	}
	if (!path || n < 100 || clients < 1 || clients > 64) {
		fprintf(stderr, "aedesk-bench: --conf is required; --n >= 100; --clients 1..64\n");
		return 2;
	}
	char err[1200], url[512], pw[256] = "", msg[256];
	conf *c = conf_load(path, err, sizeof err);
	if (!c) {
		fprintf(stderr, "aedesk-bench: %s\n", err);
		return 2;
	}
	conf_endpoint(c, "registry", "rep", url, sizeof url);
	FILE *f = fopen(conf_get(c, "admin_password_file", ""), "r");
	if (!f || !fgets(pw, sizeof pw, f)) {
		fprintf(stderr, "aedesk-bench: cannot read admin_password_file\n");
		return 2;
	}
	fclose(f);
	pw[strcspn(pw, "\n")] = 0;
	aeclient *cl = aeclient_open(url, 30000, err, sizeof err);
	if (!cl) {
		fprintf(stderr, "aedesk-bench: %s (is the registry running?)\n", err);
		return 3;
	}
	Aedesk__LoginRequest lq = AEDESK__LOGIN_REQUEST__INIT;
	lq.staff_id = "admin";
	lq.password = pw;
	Aedesk__LoginReply *lr = NULL;
	Aedesk__Status st;
	if (aeclient_call(cl, &lq.base, &aedesk__login_reply__descriptor, &st, msg, sizeof msg,
		(ProtobufCMessage **)&lr) != 0 || st != AEDESK__STATUS__OK) {
		fprintf(stderr, "aedesk-bench: login failed: %s\n", msg);
		return 3;
	}
	/* One client to read back. */
	aeclient_set_token(cl, lr->token.data, lr->token.len);
	Aedesk__ClientAddRequest aq = AEDESK__CLIENT_ADD_REQUEST__INIT;
	char name[64];
	snprintf(name, sizeof name, "压测读取客户 %lld", (long long)now_ns());
	aq.name = name;
	ProtobufCMessage *ar = NULL;
	aeclient_call(cl, &aq.base, &aedesk__client_reply__descriptor, &st, msg, sizeof msg, &ar);
	wire_free(ar);
	aeclient_close(cl);

	char tmpl[] = "/tmp/aedesk-bench-XXXXXX";
	char *dir = mkdtemp(tmpl);
	printf("aedesk-bench: %d requests per client; machine: %ld cpus\n\n", n, sysconf(_SC_NPROCESSORS_ONLN));
	struct result e1 = run_echo(dir, n, 1, 100), e8 = run_echo(dir, n, clients, 100);
	struct result l1 = run_lmdb(dir, n);
	struct result h1 = run_aedesk("aedesk health (read)", url, lr->token.data, lr->token.len, OP_HEALTH, n, 1);
	struct result g1 = run_aedesk("aedesk client show (read)", url, lr->token.data, lr->token.len, OP_GET, n, 1);
	struct result g8 = run_aedesk("aedesk client show (read)", url, lr->token.data, lr->token.len, OP_GET, n, clients);
	struct result w1 = run_aedesk("aedesk client add (durable)", url, lr->token.data, lr->token.len, OP_ADD, n, 1);
	struct result w8 = run_aedesk("aedesk client add (durable)", url, lr->token.data, lr->token.len, OP_ADD, n, clients);
	printf("\nratios to the baselines measured above:\n");
	ratio("health / NNG echo (1 client)", h1, e1);
	ratio("client show / NNG echo (1 client)", g1, e1);
	ratio("client show / NNG echo (N clients)", g8, e8);
	ratio("client add / LMDB commit (1 client)", w1, l1);
	ratio("client add / LMDB commit (N clients)", w8, l1);
	ratio("client add / NNG echo (N clients)", w8, e8);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	wire_free(&lr->base);
	conf_free(c);
	return 0;
}
