/*
 * NAME
 *	baselines.c - what the machine does without aedesk: fdatasync, LMDB, NNG echo
 *
 * DESCRIPTION
 *	base_fdatasync  4 KiB pwrite + fdatasync, one after another, in the temp dir
 *	base_lmdb       one LMDB write transaction with one 200-byte put per durable commit
 *	                (the default sync mode the services use)
 *	base_echo       a bare NNG REP socket echoing the request (one thread, no decoding)
 *	                to C REQ clients over ipc, with the payload size of an aedesk request
 */
#include <fcntl.h>
#include <lmdb.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

struct result base_fdatasync(const char *dir, int n, int64_t cap_ns)
{
	char path[600];
	snprintf(path, sizeof path, "%s/fdatasync.dat", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int64_t *lat = calloc((size_t)n, sizeof *lat);
	char buf[4096];
	memset(buf, 'x', sizeof buf);
	size_t done = 0, fail = 0;
	int64_t t0 = bench_now_ns();
	for (int i = 0; fd >= 0 && i < n && bench_now_ns() - t0 < cap_ns; i++) {
		int64_t t = bench_now_ns();
		if (pwrite(fd, buf, sizeof buf, (off_t)(i % 256) * 4096) != (ssize_t)sizeof buf ||
		    fdatasync(fd) != 0)
			fail++;
		lat[done++] = bench_now_ns() - t;
	}
	struct result r = result_of(lat, done, bench_now_ns() - t0, fd < 0 ? 1 : fail);
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(lat);
	return r;
}

struct result base_lmdb(const char *dir, int n, int64_t cap_ns)
{
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;
	char sub[600];
	snprintf(sub, sizeof sub, "%s/lmdb", dir);
	mkdir(sub, 0700);
	mdb_env_create(&env);
	mdb_env_set_mapsize(env, 256u << 20);
	size_t fail = 0, done = 0;
	if (mdb_env_open(env, sub, 0, 0600) != 0)
		fail++;
	mdb_txn_begin(env, NULL, 0, &txn);
	mdb_dbi_open(txn, NULL, 0, &dbi);
	mdb_txn_commit(txn);
	int64_t *lat = calloc((size_t)n, sizeof *lat);
	int64_t t0 = bench_now_ns();
	for (int i = 0; !fail && i < n && bench_now_ns() - t0 < cap_ns; i++) {
		int64_t t = bench_now_ns();
		uint8_t k[8], v[200];
		memset(v, 'x', sizeof v);
		for (int b = 0; b < 8; b++)
			k[b] = (uint8_t)((uint64_t)i >> (56 - 8 * b));
		MDB_val kv = {8, k}, vv = {sizeof v, v};
		if (mdb_txn_begin(env, NULL, 0, &txn) != 0 || mdb_put(txn, dbi, &kv, &vv, 0) != 0 ||
		    mdb_txn_commit(txn) != 0)
			fail++;
		lat[done++] = bench_now_ns() - t;
	}
	struct result r = result_of(lat, done, bench_now_ns() - t0, fail);
	free(lat);
	mdb_env_close(env);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", sub);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", sub);
	return r;
}

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
	int64_t deadline;
	int64_t *lat;
	size_t done, fail;
};

static void *echo_client(void *arg)
{
	struct echo_job *j = arg;
	nng_socket s;
	if (nng_req0_open(&s) != 0 || nng_dial(s, j->url, NULL, 0) != 0) {
		j->fail = 1;
		return NULL;
	}
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 10000);
	uint8_t *buf = calloc(1, j->size);
	for (int i = 0; i < j->n; i++) {
		int64_t t0 = bench_now_ns();
		if (t0 > j->deadline)
			break;
		void *rb;
		size_t rl;
		if (nng_send(s, buf, j->size, 0) == 0 && nng_recv(s, &rb, &rl, NNG_FLAG_ALLOC) == 0)
			nng_free(rb, rl);
		else
			j->fail++;
		j->lat[j->done++] = bench_now_ns() - t0;
	}
	free(buf);
	nng_close(s);
	return NULL;
}

struct result base_echo(const char *dir, int clients, int n, size_t size, int64_t cap_ns)
{
	char url[600];
	snprintf(url, sizeof url, "ipc://%s/echo.ipc", dir);
	nng_socket rep;
	nng_rep0_open(&rep);
	nng_listen(rep, url, NULL, 0);
	pthread_t srv, th[BENCH_MAX_CLIENTS];
	pthread_create(&srv, NULL, echo_server, &rep);
	int64_t *lat = calloc((size_t)n * (size_t)clients, sizeof *lat);
	struct echo_job jobs[BENCH_MAX_CLIENTS];
	int64_t t0 = bench_now_ns();
	for (int i = 0; i < clients; i++) {
		jobs[i] = (struct echo_job){url, n, size, t0 + cap_ns, lat + (size_t)i * (size_t)n, 0, 0};
		pthread_create(&th[i], NULL, echo_client, &jobs[i]);
	}
	size_t total = 0, fail = 0;
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	int64_t wall = bench_now_ns() - t0;
	for (int i = 0; i < clients; i++) {
		memmove(lat + total, jobs[i].lat, jobs[i].done * sizeof *lat);
		total += jobs[i].done;
		fail += jobs[i].fail;
	}
	struct result r = result_of(lat, total, wall, fail);
	free(lat);
	nng_close(rep); /* the server's recv fails and it returns */
	pthread_join(srv, NULL);
	return r;
}
