/*
 * NAME
 *	bench.h - what the files of aedesk-bench share
 *
 * DESCRIPTION
 *	aedesk-bench is split by topic: stats.c (timing, percentiles, the table of
 *	figures over several runs, ratios and goals), load.c (N closed-loop clients
 *	driving a running service), baselines.c (fdatasync, LMDB commit, NNG echo),
 *	pg.c (PostgreSQL through libpq; pg_none.c when libpq is absent), control.c
 *	(stopping and starting services, Health, cold start, replay, RSS) and main.c
 *	(the order of the run).
 */
#ifndef AEDESK_BENCH_H
#define AEDESK_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "client.h"
#include "envelope.pb-c.h"

#define BENCH_MAX_RUNS 16
#define BENCH_MAX_CLIENTS 64

/* ---- stats.c ---- */

int64_t bench_now_ns(void);

/* One measured figure of one run: throughput and latency percentiles (microseconds). */
struct result {
	double per_s;
	double p50, p99, p999;
	size_t n, failures;
};

/* result_of sorts lat (ns) and summarises n samples taken over wall_ns. */
struct result result_of(int64_t *lat, size_t n, int64_t wall_ns, size_t failures);

/* record: a rate-and-latency figure of the current run under key (printed at once). */
void record(const char *key, const char *label, struct result r);
/* record_value: a single number (ms, MiB, events/s) of the current run. */
void record_value(const char *key, const char *label, const char *unit, double v);
/* bench_next_run: the following record()s belong to the next run. */
void bench_next_run(void);
/* median / min / max over the runs of key; NAN when absent. which: 'r' rate, '5' p50,
 * '9' p99, 'x' p99.9, 'v' value. */
double fig_median(const char *key, char which);
double fig_min(const char *key, char which);
double fig_max(const char *key, char which);
int fig_runs(const char *key);
/* report prints the table of medians (min–max) over every run. */
void report(void);
/* ratio prints a/b of the medians of two keys (rates or values). */
void ratio(const char *label, const char *a, const char *b);
/* goal prints "met" or "NOT met" for a condition and remembers it for the summary. */
void goal(const char *what, int met, const char *detail);
int goals_failed(void);

/* ---- load.c ---- */

enum op {
	OP_HEALTH,      /* registry HealthRequest (no store, no token) */
	OP_CLIENT_ADD,  /* registry ClientAddRequest: durable, one event */
	OP_VISIT_LOG,   /* registry VisitLogRequest on one client: durable, one event */
	OP_JOB_OPEN,    /* jobs JobOpenRequest: durable, one event */
	OP_CLIENT_GET,  /* registry ClientGetRequest */
	OP_CLIENT_LIST, /* registry ClientListRequest class B, 20 a page */
	OP_JOB_GET,     /* jobs JobGetRequest */
};

struct target {
	char registry[512], jobs[512], scheduler[512]; /* rep urls */
	const uint8_t *token; /* admin's, for the registry */
	size_t token_len;
	const uint8_t *jobs_token; /* the bench's AE's, for jobs (job open needs AE, AM or AD) */
	size_t jobs_token_len;
	char client_id[32]; /* a client to read and log visits on */
	char ae_client_id[32]; /* a client with an AE, for jobs */
	char job_id[32];
};

/* load_run: `clients` threads each call op up to n times (stopping at cap_ns); returns
 * the figure. */
struct result load_run(const struct target *t, enum op op, int clients, int n, int64_t cap_ns);
/* load_one: one request of kind op (the i-th of a client) on c; 0 when answered OK. */
int load_one(aeclient *c, const struct target *t, enum op op, int i, char *msg, size_t msglen);

/* ---- baselines.c ---- */

struct result base_fdatasync(const char *dir, int n, int64_t cap_ns);
struct result base_lmdb(const char *dir, int n, int64_t cap_ns);
struct result base_echo(const char *dir, int clients, int n, size_t size, int64_t cap_ns);

/* ---- pg.c ---- */

int pg_available(void);
/* pg_prepare creates a fresh table; pg_run times INSERT ('w') or point SELECT ('r'). */
int pg_prepare(const char *conninfo, int rows, char *err, size_t errlen);
struct result pg_run(const char *conninfo, char kind, int clients, int n, int64_t cap_ns);

/* ---- control.c ---- */

struct deployment {
	const char *conf_path;
	char run_dir[512], log_dir[512], bin_dir[512];
};

int ctl_init(struct deployment *d, const char *conf_path, char *err, size_t errlen);
pid_t ctl_pid(const struct deployment *d, const char *svc);
/* ctl_stop: SIGTERM and wait (up to 15 s) until the process is gone. */
int ctl_stop(const struct deployment *d, const char *svc);
/* ctl_start: exec the service (its log appended to log_dir/<svc>.log, its pid file
 * written); *t_exec_ns the moment just before fork. */
pid_t ctl_start(const struct deployment *d, const char *svc, int64_t *t_exec_ns);
/* ctl_health: one HealthRequest; 0 and the reply, or -1. */
int ctl_health(const char *url, int timeout_ms, Aedesk__Health **out);
/* ctl_cursor: the consumer's cursor of source in h, 0 when absent. */
uint64_t ctl_cursor(const Aedesk__Health *h, const char *source);
/* ctl_wait_health: poll until the service answers Health; ns since t0, or -1. */
int64_t ctl_wait_health(const char *url, int64_t t0, int64_t limit_ns);
/* ctl_cpu_us: CPU time (user + system) of all the services with a pid file, µs. */
int64_t ctl_cpu_us(const struct deployment *d);
/* ctl_rss: VmRSS, RssAnon and RssFile of pid in KiB. */
int ctl_rss(pid_t pid, long *rss, long *anon, long *file);

#endif
