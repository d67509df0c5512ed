/*
 * NAME
 *	pg.c - the PostgreSQL baseline: what a CRM on PostgreSQL would commit and read
 *
 * DESCRIPTION
 *	Against a PostgreSQL that bench/run starts in a temp dir (Unix socket only,
 *	synchronous_commit = on, fsync = on): C clients, each with its own connection
 *	and a prepared statement, run
 *	  'w'  INSERT INTO bench_client (name, class, ae, created_ms) ... one row a
 *	       transaction (autocommit: each INSERT is a durable commit)
 *	  'r'  SELECT ... WHERE id = $1 (primary key, rows pg_prepare loaded)
 *	Built only when CMake finds libpq (pg_none.c otherwise).
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int pg_rows = 1;

int pg_available(void) { return 1; }

int pg_prepare(const char *conninfo, int rows, char *err, size_t errlen)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	char sql[512];
	snprintf(sql, sizeof sql,
	    "DROP TABLE IF EXISTS bench_client;"
	    "CREATE TABLE bench_client (id bigserial PRIMARY KEY, name text NOT NULL,"
	    " class text NOT NULL, ae text NOT NULL, created_ms bigint NOT NULL);"
	    "INSERT INTO bench_client (name, class, ae, created_ms)"
	    " SELECT '压测客户 ' || g, 'C', 'liwei', 0 FROM generate_series(1, %d) g;"
	    "ANALYZE bench_client;", rows);
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		snprintf(err, errlen, "%s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	pg_rows = rows;
	return ok ? 0 : -1;
}

struct pg_job {
	const char *conninfo;
	char kind;
	int id, n;
	int64_t deadline;
	int64_t *lat;
	size_t done, fail;
};

static void *pg_client(void *arg)
{
	struct pg_job *j = arg;
	PGconn *c = PQconnectdb(j->conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "  pg: %s", PQerrorMessage(c));
		j->fail = 1;
		PQfinish(c);
		return NULL;
	}
	PGresult *p = j->kind == 'w'
	    ? PQprepare(c, "q",
		  "INSERT INTO bench_client (name, class, ae, created_ms) VALUES ($1, $2, 'liwei', $3)", 3, NULL)
	    : PQprepare(c, "q", "SELECT id, name, class, ae, created_ms FROM bench_client WHERE id = $1", 1, NULL);
	if (PQresultStatus(p) != PGRES_COMMAND_OK) {
		fprintf(stderr, "  pg prepare: %s", PQerrorMessage(c));
		j->fail = 1;
	}
	PQclear(p);
	unsigned seed = (unsigned)j->id * 2654435761u + 1;
	for (int i = 0; !j->fail && i < j->n; i++) {
		int64_t t0 = bench_now_ns();
		if (t0 > j->deadline)
			break;
		char a[96], b[8], t[24];
		const char *vals[3] = {a, b, t};
		PGresult *r;
		if (j->kind == 'w') {
			snprintf(a, sizeof a, "压测客户 %d-%d-%lld", j->id, i, (long long)t0);
			snprintf(b, sizeof b, "%c", "ABCD"[i & 3]);
			snprintf(t, sizeof t, "%lld", (long long)t0 / 1000000);
			r = PQexecPrepared(c, "q", 3, vals, NULL, NULL, 0);
		} else {
			seed = seed * 1103515245u + 12345u;
			snprintf(a, sizeof a, "%d", 1 + (int)((seed >> 8) % (unsigned)pg_rows));
			r = PQexecPrepared(c, "q", 1, vals, NULL, NULL, 0);
		}
		ExecStatusType st = PQresultStatus(r);
		if (st != PGRES_COMMAND_OK && !(st == PGRES_TUPLES_OK && PQntuples(r) == 1))
			j->fail++;
		PQclear(r);
		j->lat[j->done++] = bench_now_ns() - t0;
	}
	PQfinish(c);
	return NULL;
}

struct result pg_run(const char *conninfo, char kind, int clients, int n, int64_t cap_ns)
{
	struct pg_job jobs[BENCH_MAX_CLIENTS];
	pthread_t th[BENCH_MAX_CLIENTS];
	int64_t *lat = calloc((size_t)n * (size_t)clients, sizeof *lat);
	int64_t t0 = bench_now_ns();
	for (int i = 0; i < clients; i++) {
		jobs[i] = (struct pg_job){conninfo, kind, i, n, t0 + cap_ns, lat + (size_t)i * (size_t)n, 0, 0};
		pthread_create(&th[i], NULL, pg_client, &jobs[i]);
	}
	for (int i = 0; i < clients; i++)
		pthread_join(th[i], NULL);
	int64_t wall = bench_now_ns() - t0;
	size_t total = 0, fail = 0;
	for (int i = 0; i < clients; i++) {
		memmove(lat + total, jobs[i].lat, jobs[i].done * sizeof *lat);
		total += jobs[i].done;
		fail += jobs[i].fail;
	}
	struct result r = result_of(lat, total, wall, fail);
	free(lat);
	return r;
}
