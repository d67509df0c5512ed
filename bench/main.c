/*
 * NAME
 *	aedesk-bench - aedesk's throughput and latency against its baselines, same run
 *
 * SYNOPSIS
 *	aedesk-bench --conf PATH [--runs R] [--quick] [--pg CONNINFO] [--writes-only]
 *	             [--reads-only] [--only KEY] [--label TEXT] [--load N] [--sched N[,N...]]
 *	             [--sched-fire F] [--sched-spread S]
 *
 * DESCRIPTION
 *	Drives the aedesk services deploy/up started with the config PATH (logged in as
 *	admin with the password in admin_password_file), with 1, 8 and 16 concurrent
 *	clients, and measures in each of R runs:
 *	  baselines   fdatasync 4 KiB, LMDB one durable commit a write, bare NNG echo
 *	              (1/8/16 clients, the payload size of a ClientAdd envelope), and
 *	              PostgreSQL INSERT / point SELECT through libpq with prepared
 *	              statements and synchronous_commit on (--pg; bench/run starts it)
 *	  writes      client add, visit log (registry), job open (jobs): durable
 *	  reads       client show, a page of a filtered client list, job show
 *	  propagation a client added in the registry until aedesk-jobs has applied it
 *	              (its cursor in Health reaches the registry's last_seq), and a job
 *	              opened in aedesk-jobs until aedesk-scheduler has applied it (its
 *	              "jobs" cursor reaches jobs' last_seq): each idle and under a load
 *	              of 8 writers
 *	  firing      (--sched N,...) the scheduler's reminder firing delay with N
 *	              reminders pending, by aedesk-sched-delay (its own temp services;
 *	              bench/sched_delay.c): due -> notification written, and due ->
 *	              published (received by a subscriber), p50/p99/p99.9 and max
 *	  replay      aedesk-jobs stopped, N clients added, aedesk-jobs started: cold
 *	              start (exec to first Health answer) and events/s until its cursor
 *	              reaches the registry's last_seq
 *	  cold start  aedesk-registry restarted on its (growing) store
 *	  RSS         VmRSS (RssAnon + RssFile) of every service with a pid file in run_dir
 *	"bench CPU/request" beside the echo, each write and each read is the CPU of
 *	aedesk-bench itself per request (its closed-loop clients and their NNG threads;
 *	for the echo its server thread too): on a machine with few CPUs the client side
 *	competes with the services for them.
 *	Then the table of medians (min–max) over the runs, every figure's ratio to its
 *	baselines, and the goals of issue 10, each met or not.
 *	--writes-only measures only the baselines and the durable writes (bench/run uses
 *	it for the "group commit off" deployment, rep_workers = 1). --sched-fire F and
 *	--sched-spread S: F reminders fall due over S seconds in each firing figure
 *	(default 1000 over 10 s; --quick 500 over 5 s).
 *	--reads-only measures only the NNG echo baseline and the reads (to profile them:
 *	perf record on a service meanwhile); first it adds clients (16 writers) until the
 *	registry holds --load of them, so that the class-B page is read among realistic
 *	data (a quarter of them class B, as the writes figure leaves them), and waits
 *	until the services are idle again (the consumers applying those events).
 *	--only KEY measures only that figure of the writes or reads (w.add, w.visit, w.job,
 *	r.show, r.list, r.job) besides the baselines.
 *
 * DIAGNOSTICS
 *	Exit 0 when it ran (goals not met are reported, not failed), 2 on bad usage, 3
 *	when aedesk cannot be reached or set up.
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "client.h"
#include "conf.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "wire.h"

static struct {
	int runs, quick, writes_only, reads_only, n, load;
	int64_t cap_ns;
	const char *pg, *label, *only;
	const char *sched; /* pending counts of the firing figures, "100000,1000000" */
	int sched_fire, sched_spread;
} opt = {1, 0, 0, 0, 2000, 20000, 2000000000ll, NULL, "", NULL, NULL, 0, 0};

#define BENCH_AE_PASSWORD "bench-pass-2026"

/* login: a token for staff_id in *tok; 0 or -1. */
static int login(aeclient *cl, const char *staff_id, const char *pw, uint8_t **tok, size_t *len)
{
	char msg[512];
	Aedesk__LoginRequest lq = AEDESK__LOGIN_REQUEST__INIT;
	lq.staff_id = (char *)staff_id;
	lq.password = (char *)pw;
	Aedesk__LoginReply *lr;
	Aedesk__Status st;
	if (aeclient_call(cl, &lq.base, &aedesk__login_reply__descriptor, &st, msg, sizeof msg,
		(ProtobufCMessage **)&lr) != 0 || st != AEDESK__STATUS__OK) {
		fprintf(stderr, "aedesk-bench: login as %s failed: %s\n", staff_id, msg);
		return -1;
	}
	*tok = malloc(lr->token.len);
	memcpy(*tok, lr->token.data, lr->token.len);
	*len = lr->token.len;
	wire_free(&lr->base);
	return 0;
}

static const int nclients[] = {1, 8, 16};

struct opdesc {
	enum op op;
	const char *key, *name;
	int write;
};
static const struct opdesc ops[] = {
	{OP_CLIENT_ADD, "w.add", "write: client add", 1},
	{OP_VISIT_LOG, "w.visit", "write: visit log", 1},
	{OP_JOB_OPEN, "w.job", "write: job open", 1},
	{OP_CLIENT_GET, "r.show", "read: client show", 0},
	{OP_CLIENT_LIST, "r.list", "read: client list class B, 20", 0},
	{OP_JOB_GET, "r.job", "read: job show", 0},
};

static void keyf(char *buf, size_t len, const char *base, int clients)
{
	snprintf(buf, len, "%s.%d", base, clients);
}

static void labelf(char *buf, size_t len, const char *name, int clients)
{
	snprintf(buf, len, "%s%s%s (%d)", opt.label, *opt.label ? " " : "", name, clients);
}

/* call: one request on c; 0 when answered OK (reply in *out unless out is NULL). */
static int call(aeclient *c, const ProtobufCMessage *q, const ProtobufCMessageDescriptor *rd,
    ProtobufCMessage **out, char *msg, size_t msglen)
{
	Aedesk__Status st;
	ProtobufCMessage *r = NULL;
	int rc = aeclient_call(c, q, rd, &st, msg, msglen, &r);
	if (rc == 0 && st != AEDESK__STATUS__OK)
		rc = st;
	if (out && rc == 0)
		*out = r;
	else
		wire_free(r);
	return rc;
}

static int add_client(aeclient *c, const char *name, const char *ae, char *id, size_t idlen)
{
	char msg[512];
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = (char *)name;
	q.class_ = "B";
	q.ae = (char *)(ae ? ae : "");
	Aedesk__ClientReply *r;
	if (call(c, &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r, msg, sizeof msg)) {
		fprintf(stderr, "aedesk-bench: client add: %s\n", msg);
		return -1;
	}
	snprintf(id, idlen, "%s", r->client->id);
	wire_free(&r->base);
	return 0;
}

/* registry_clients: how many clients the registry holds (what admin sees), by pages. */
static uint64_t registry_clients(aeclient *c)
{
	char msg[512], after[64] = "";
	uint64_t n = 0;
	for (;;) {
		Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
		q.limit = 1000;
		q.after = after;
		Aedesk__ClientListReply *r;
		if (call(c, &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r, msg, sizeof msg))
			return n;
		n += r->n_clients;
		int more = r->next_after[0] != 0;
		snprintf(after, sizeof after, "%s", r->next_after);
		wire_free(&r->base);
		if (!more)
			return n;
	}
}

/* setup logs in, makes the bench's AE, a client to read, a client of that AE and a job. */
static int setup(const conf *c, struct target *t, aeclient **out, size_t *envsize)
{
	char err[1200], pw[256] = "", msg[512], name[96];
	conf_endpoint(c, "registry", "rep", t->registry, sizeof t->registry);
	conf_endpoint(c, "jobs", "rep", t->jobs, sizeof t->jobs);
	conf_endpoint(c, "scheduler", "rep", t->scheduler, sizeof t->scheduler);
	FILE *f = fopen(conf_get(c, "admin_password_file", ""), "r");
	if (!f || !fgets(pw, sizeof pw, f)) {
		fprintf(stderr, "aedesk-bench: cannot read admin_password_file\n");
		return -1;
	}
	fclose(f);
	pw[strcspn(pw, "\n")] = 0;
	aeclient *cl = aeclient_open(t->registry, 30000, err, sizeof err);
	if (!cl) {
		fprintf(stderr, "aedesk-bench: %s (is the registry running?)\n", err);
		return -1;
	}
	uint8_t *tok;
	if (login(cl, "admin", pw, &tok, &t->token_len))
		return -1;
	t->token = tok;
	aeclient_set_token(cl, t->token, t->token_len);

	Aedesk__StaffAddRequest sq = AEDESK__STAFF_ADD_REQUEST__INIT;
	char *roles[] = {"ae"};
	sq.id = "benchae";
	sq.name = "压测专员";
	sq.n_roles = 1;
	sq.roles = roles;
	sq.password = BENCH_AE_PASSWORD;
	int rc = call(cl, &sq.base, &aedesk__staff_reply__descriptor, NULL, msg, sizeof msg);
	if (rc != 0 && rc != AEDESK__STATUS__ALREADY_EXISTS) {
		fprintf(stderr, "aedesk-bench: staff add: %s\n", msg);
		return -1;
	}
	if (login(cl, "benchae", BENCH_AE_PASSWORD, &tok, &t->jobs_token_len))
		return -1;
	t->jobs_token = tok;
	snprintf(name, sizeof name, "压测读取客户 %lld", (long long)bench_now_ns());
	if (add_client(cl, name, NULL, t->client_id, sizeof t->client_id))
		return -1;
	snprintf(name, sizeof name, "压测工作单客户 %lld", (long long)bench_now_ns());
	if (add_client(cl, name, "benchae", t->ae_client_id, sizeof t->ae_client_id))
		return -1;

	/* A job to read: the jobs service knows the client once the event is applied. */
	aeclient *jc = aeclient_open(t->jobs, 10000, err, sizeof err);
	if (!jc) {
		fprintf(stderr, "aedesk-bench: %s (is aedesk-jobs running?)\n", err);
		return -1;
	}
	aeclient_set_token(jc, t->jobs_token, t->jobs_token_len);
	Aedesk__JobBrief b = AEDESK__JOB_BRIEF__INIT;
	b.background = b.objective = b.audience = b.insight = b.proposition = b.support = b.tone =
	    b.mandatories = b.deliverables = b.budget = b.timing = "压测用简报";
	Aedesk__JobOpenRequest oq = AEDESK__JOB_OPEN_REQUEST__INIT;
	oq.client_id = t->ae_client_id;
	oq.title = "压测读取工作单";
	oq.kind = "print";
	oq.due_ms = wire_now_ms() + 200ll * 86400000;
	oq.brief = &b;
	Aedesk__JobReply *jr = NULL;
	for (int i = 0; i < 500; i++) {
		rc = call(jc, &oq.base, &aedesk__job_reply__descriptor, (ProtobufCMessage **)&jr, msg, sizeof msg);
		if (rc != AEDESK__STATUS__NOT_FOUND)
			break;
		usleep(10000);
	}
	if (rc) {
		fprintf(stderr, "aedesk-bench: job open: %s\n", msg);
		return -1;
	}
	snprintf(t->job_id, sizeof t->job_id, "%s", jr->job->id);
	wire_free(&jr->base);
	aeclient_close(jc);

	Aedesk__ClientAddRequest aq = AEDESK__CLIENT_ADD_REQUEST__INIT;
	aq.name = name;
	aq.class_ = "C";
	uint8_t id[16] = {0}, *env;
	if (aeclient_envelope(cl, &aq.base, id, &env, envsize) == 0)
		free(env);
	else
		*envsize = 200;
	*out = cl;
	return 0;
}

/* ---- propagation: a commit in one service -> applied by a consumer ---- */

static uint64_t last_seq_of(const char *url)
{
	Aedesk__Health *h;
	if (ctl_health(url, 5000, &h) != 0)
		return 0;
	uint64_t s = h->last_seq;
	wire_free(&h->base);
	return s;
}

/* A path of events: writes of op go to the service `source` (rep url src); the
 * consumer (rep url dst) applies its events. */
struct path {
	enum op op;
	const char *source, *src, *dst;
};

/*
 * propagation: k times, make one write of p->op (one writer), then ask the source for
 * its last_seq S (>= the event of our write) and poll the consumer's Health until its
 * cursor for the source reaches S. The latency runs from the write's reply (the commit
 * is done by then) to the Health answer showing it applied, so it includes one Health
 * round trip to the source (~0.1 ms): an upper bound.
 */
static struct result propagation(const struct target *t, const struct path *p, int k)
{
	char err[256], msg[512], name[96];
	aeclient *c = aeclient_open(p->src, 10000, err, sizeof err);
	aeclient *rh = aeclient_open(p->src, 10000, err, sizeof err);
	aeclient *jh = aeclient_open(p->dst, 10000, err, sizeof err);
	int64_t *lat = calloc((size_t)k, sizeof *lat);
	size_t done = 0, fail = 0;
	if (!c || !rh || !jh) {
		fprintf(stderr, "aedesk-bench: propagation: %s\n", err);
		fail = 1;
		k = 0;
	} else if (p->op == OP_JOB_OPEN)
		aeclient_set_token(c, t->jobs_token, t->jobs_token_len);
	else
		aeclient_set_token(c, t->token, t->token_len);
	Aedesk__HealthRequest hq = AEDESK__HEALTH_REQUEST__INIT;
	int64_t t0 = bench_now_ns();
	for (int i = 0; i < k; i++) {
		int rc;
		if (p->op == OP_CLIENT_ADD) {
			Aedesk__ClientAddRequest aq = AEDESK__CLIENT_ADD_REQUEST__INIT;
			snprintf(name, sizeof name, "压测传播客户 %d-%lld", i, (long long)bench_now_ns());
			aq.name = name;
			aq.class_ = "D";
			rc = call(c, &aq.base, &aedesk__client_reply__descriptor, NULL, msg, sizeof msg);
		} else
			rc = load_one(c, t, p->op, i, msg, sizeof msg);
		if (rc) {
			fail++;
			continue;
		}
		int64_t ts = bench_now_ns();
		Aedesk__Health *h = NULL;
		if (call(rh, &hq.base, &aedesk__health__descriptor, (ProtobufCMessage **)&h, msg, sizeof msg)) {
			fail++;
			continue;
		}
		uint64_t want = h->last_seq;
		wire_free(&h->base);
		int ok = 0;
		while (bench_now_ns() - ts < 5000000000ll) {
			if (call(jh, &hq.base, &aedesk__health__descriptor, (ProtobufCMessage **)&h, msg, sizeof msg) == 0) {
				ok = ctl_cursor(h, p->source) >= want;
				wire_free(&h->base);
				if (ok)
					break;
			}
		}
		if (!ok) {
			fail++;
			continue;
		}
		lat[done++] = bench_now_ns() - ts;
		usleep(2000); /* let the services go idle between samples */
	}
	struct result r = result_of(lat, done, bench_now_ns() - t0, fail);
	r.per_s = 0;
	free(lat);
	aeclient_close(c);
	aeclient_close(rh);
	aeclient_close(jh);
	return r;
}

struct bg {
	const struct target *t;
	struct result r;
};

static void *bg_writers(void *arg)
{
	struct bg *b = arg;
	b->r = load_run(b->t, OP_VISIT_LOG, 8, 1000000, opt.quick ? 1500000000ll : 4000000000ll);
	return NULL;
}

/* ---- reminder firing: aedesk-sched-delay with N reminders pending ---- */

/*
 * firing runs aedesk-sched-delay (next to this program) with `pending` reminders held,
 * opt.sched_fire of them falling due over opt.sched_spread seconds, shows its lines and
 * records its RESULT: the delays due -> written and due -> published (ms in its line,
 * µs here like every latency), the largest published one, and the scheduler's start.
 */
static void firing(long pending)
{
	char exe[1024], cmd[1200], line[512], key[64], label[128];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	snprintf(cmd, sizeof cmd, "'%s/aedesk-sched-delay' %ld %d %d 2>&1", exe, pending, opt.sched_fire, opt.sched_spread);
	fflush(stdout);
	FILE *f = popen(cmd, "r");
	if (!f) {
		printf("  !! cannot run %s\n", cmd);
		return;
	}
	unsigned long long held = 0;
	size_t fired = 0, np = 0;
	double start_s = 0, w[4] = {0}, p[4] = {0};
	int got = 0;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "RESULT %llu %zu %lf %lf %lf %lf %lf %zu %lf %lf %lf %lf", &held, &fired, &start_s, &w[0],
		        &w[1], &w[2], &w[3], &np, &p[0], &p[1], &p[2], &p[3]) == 12)
			got = 1;
		else
			printf("  | %s", line);
	}
	int rc = pclose(f);
	if (!got || rc != 0) {
		printf("  !! aedesk-sched-delay %ld: %s\n", pending, got ? "reported a reminder fired twice, never or early" : "no result");
		if (!got)
			return;
	}
	struct result r = {.n = fired};
	r.p50 = w[0] * 1000, r.p99 = w[1] * 1000, r.p999 = w[2] * 1000;
	snprintf(key, sizeof key, "f.w.%ld", pending);
	snprintf(label, sizeof label, "firing, %ld pending: due -> written", pending);
	record(key, label, r);
	if (np) {
		r = (struct result){.n = np, .p50 = p[0] * 1000, .p99 = p[1] * 1000, .p999 = p[2] * 1000};
		snprintf(key, sizeof key, "f.p.%ld", pending);
		snprintf(label, sizeof label, "firing, %ld pending: due -> published", pending);
		record(key, label, r);
		snprintf(key, sizeof key, "f.max.%ld", pending);
		snprintf(label, sizeof label, "firing, %ld pending: max due -> published", pending);
		record_value(key, label, "ms", p[3]);
	}
	snprintf(key, sizeof key, "f.start.%ld", pending);
	snprintf(label, sizeof label, "start aedesk-scheduler, %llu reminders", held);
	record_value(key, label, "ms", start_s * 1000);
}

/* ---- one run ---- */

/* self_cpu_us: user + system CPU of this process (the closed-loop clients, and the
 * echo baseline's server thread), in µs. */
static int64_t self_cpu_us(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (int64_t)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

/* record_cpu: "LABEL <what> CPU/request" under KEY.SUFFIX, when there were requests. */
static void record_cpu(const char *key, const char *suffix, const char *label, const char *what, int64_t us,
    size_t n)
{
	char k[80], l[200];
	if (!n)
		return;
	snprintf(k, sizeof k, "%s.%s", key, suffix);
	snprintf(l, sizeof l, "%s%s CPU/request", label, what);
	record_value(k, l, "us", (double)us / (double)n);
}

static void run_once(const struct target *t, const struct deployment *d, const char *dir, size_t envsize)
{
	char key[64], label[128];
	int64_t cap = opt.cap_ns;
	printf("baselines\n");
	if (!opt.reads_only) {
		record("b.fsync", "baseline fdatasync 4 KiB (1)", base_fdatasync(dir, opt.n, cap));
		record("b.lmdb", "baseline LMDB durable commit (1)", base_lmdb(dir, opt.n, cap));
	}
	for (size_t i = 0; i < 3; i++) {
		int nc = nclients[i];
		keyf(key, sizeof key, "b.echo", nc);
		snprintf(label, sizeof label, "baseline NNG echo %zu B (%d)", envsize, nc);
		int64_t self0 = self_cpu_us();
		struct result r = base_echo(dir, nc, opt.n, envsize, cap);
		int64_t self = self_cpu_us() - self0;
		record(key, label, r);
		/* both ends of the echo are in this process */
		record_cpu(key, "ccpu", label, " bench", self, r.n);
	}
	if (opt.pg && !opt.reads_only) {
		for (size_t i = 0; i < 3; i++) {
			int nc = nclients[i];
			keyf(key, sizeof key, "b.pgins", nc);
			snprintf(label, sizeof label, "baseline PostgreSQL INSERT commit (%d)", nc);
			record(key, label, pg_run(opt.pg, 'w', nc, opt.n, cap));
		}
		for (size_t i = 0; i < 3; i++) {
			int nc = nclients[i];
			keyf(key, sizeof key, "b.pgsel", nc);
			snprintf(label, sizeof label, "baseline PostgreSQL point SELECT (%d)", nc);
			record(key, label, pg_run(opt.pg, 'r', nc, opt.n, cap));
		}
	}
	printf("aedesk\n");
	if (!opt.writes_only) {
		labelf(label, sizeof label, "read: health, no store (1)", 1);
		record("r.health.1", "read: health, no store, no token (1)", load_run(t, OP_HEALTH, 1, opt.n, cap));
	}
	for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
		if ((opt.writes_only && !ops[o].write) || (opt.reads_only && ops[o].write) ||
		    (opt.only && strcmp(opt.only, ops[o].key) != 0))
			continue;
		for (size_t i = 0; i < 3; i++) {
			keyf(key, sizeof key, ops[o].key, nclients[i]);
			labelf(label, sizeof label, ops[o].name, nclients[i]);
			int64_t cpu0 = ctl_cpu_us(d), self0 = self_cpu_us();
			struct result r = load_run(t, ops[o].op, nclients[i], opt.n, cap);
			int64_t cpu = ctl_cpu_us(d) - cpu0, self = self_cpu_us() - self0;
			record(key, label, r);
			/* The closed-loop clients share the machine's CPUs with the services. */
			record_cpu(key, "ccpu", label, " bench", self, r.n);
			/* What a request costs the services, all of them (consumers included):
			 * unlike a rate, hardly moved by the machine's other load. */
			if (r.n) {
				char k2[80];
				snprintf(k2, sizeof k2, "%s.cpu", key);
				labelf(label, sizeof label, ops[o].name, nclients[i]);
				strncat(label, " CPU/request", sizeof label - strlen(label) - 1);
				record_value(k2, label, "us", (double)cpu / (double)r.n);
			}
		}
	}
	if (opt.writes_only || opt.reads_only)
		return;

	printf("event propagation registry -> jobs, jobs -> scheduler\n");
	int k = opt.quick ? 100 : 400;
	const struct path rj = {OP_CLIENT_ADD, "registry", t->registry, t->jobs};
	const struct path js = {OP_JOB_OPEN, "jobs", t->jobs, t->scheduler};
	record("p.idle", "propagation, idle (1 writer)", propagation(t, &rj, k));
	record("p.js.idle", "propagation jobs -> scheduler, idle", propagation(t, &js, k));
	for (int i = 0; i < 2; i++) {
		struct bg b = {.t = t};
		pthread_t th;
		pthread_create(&th, NULL, bg_writers, &b);
		usleep(200000);
		if (i == 0)
			record("p.load", "propagation under 8 visit-log writers", propagation(t, &rj, k / 2));
		else
			record("p.js.load", "propagation jobs -> scheduler, 8 writers", propagation(t, &js, k / 2));
		pthread_join(th, NULL);
	}

	printf("replay, cold start, memory\n");
	if (ctl_stop(d, "jobs") != 0) {
		fprintf(stderr, "aedesk-bench: cannot stop aedesk-jobs (pid file in %s?)\n", d->run_dir);
		return;
	}
	uint64_t before = last_seq_of(t->registry);
	record("w.add.64", "bulk load: client add (64)", load_run(t, OP_CLIENT_ADD, 64, opt.load / 64 + 1, 600000000000ll));
	uint64_t target = last_seq_of(t->registry);
	int64_t t0;
	if (ctl_start(d, "jobs", &t0) <= 0)
		return;
	int64_t cold = ctl_wait_health(t->jobs, t0, 30000000000ll);
	if (cold >= 0)
		record_value("c.jobs", "cold start aedesk-jobs (exec -> Health)", "ms", (double)cold / 1e6);
	int64_t caught = -1;
	uint64_t cur = 0;
	while (bench_now_ns() - t0 < 300000000000ll) {
		Aedesk__Health *h;
		if (ctl_health(t->jobs, 2000, &h) == 0) {
			cur = ctl_cursor(h, "registry");
			wire_free(&h->base);
			if (cur >= target) {
				caught = bench_now_ns() - t0;
				break;
			}
		}
		usleep(500);
	}
	/* events behind when it started: everything the registry wrote while it was down,
	 * and what it had not applied before (cursor read from its store at stop) */
	double behind = (double)(target - before);
	if (caught > 0) {
		snprintf(label, sizeof label, "replay: %.0f events behind, exec -> caught up", behind);
		record_value("c.replay", label, "events/s", behind / ((double)caught / 1e9));
		if (cold >= 0 && caught > cold)
			record_value("c.replay_only", "replay: first Health -> caught up", "events/s",
			    behind / ((double)(caught - cold) / 1e9));
	} else
		printf("  !! aedesk-jobs did not catch up (cursor %llu of %llu)\n", (unsigned long long)cur,
		    (unsigned long long)target);

	if (ctl_stop(d, "registry") == 0 && ctl_start(d, "registry", &t0) > 0) {
		cold = ctl_wait_health(t->registry, t0, 30000000000ll);
		if (cold >= 0) {
			snprintf(label, sizeof label, "cold start aedesk-registry, %llu events",
			    (unsigned long long)target);
			record_value("c.registry", label, "ms", (double)cold / 1e6);
		}
	}
	record_value("s.events", "registry events (outbox) at the end of the run", "events", (double)last_seq_of(t->registry));
	static const char *const svcs[] = {"registry", "jobs", "status"};
	for (size_t i = 0; i < sizeof svcs / sizeof svcs[0]; i++) {
		pid_t pid = ctl_pid(d, svcs[i]);
		long rss, anon, file;
		if (pid <= 0 || ctl_rss(pid, &rss, &anon, &file) != 0)
			continue;
		snprintf(key, sizeof key, "m.%s", svcs[i]);
		snprintf(label, sizeof label, "RSS aedesk-%s (VmRSS)", svcs[i]);
		record_value(key, label, "MiB", (double)rss / 1024);
		snprintf(key, sizeof key, "m.%s.anon", svcs[i]);
		snprintf(label, sizeof label, "  of which anonymous (heap, stacks)");
		record_value(key, label, "MiB", (double)anon / 1024);
	}
	if (opt.sched) {
		printf("reminder firing delay (aedesk-sched-delay: its own registry, jobs, status, scheduler)\n");
		for (const char *p = opt.sched; *p; p += strcspn(p, ","), p += *p == ',')
			if (atol(p) > 0)
				firing(atol(p));
	}
}

/* ---- ratios and goals ---- */

static void ratios(void)
{
	char a[64], b[64], label[160];
	printf("\nratios (medians) to the baselines of the same run\n");
	for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
		for (size_t i = 0; i < 3; i++) {
			int nc = nclients[i];
			keyf(a, sizeof a, ops[o].key, nc);
			if (!fig_runs(a))
				continue;
			keyf(b, sizeof b, "b.echo", nc);
			snprintf(label, sizeof label, "%s (%d) / NNG echo (%d)", ops[o].name, nc, nc);
			ratio(label, a, b);
			keyf(b, sizeof b, ops[o].write ? "b.pgins" : "b.pgsel", nc);
			snprintf(label, sizeof label, "%s (%d) / PostgreSQL %s (%d)", ops[o].name, nc,
			    ops[o].write ? "INSERT" : "SELECT", nc);
			ratio(label, a, b);
			if (ops[o].write) {
				snprintf(label, sizeof label, "%s (%d) / LMDB commit (1)", ops[o].name, nc);
				ratio(label, a, "b.lmdb");
				snprintf(label, sizeof label, "%s (%d) / fdatasync (1)", ops[o].name, nc);
				ratio(label, a, "b.fsync");
			}
		}
	ratio("read: health (1) / NNG echo (1)", "r.health.1", "b.echo.1");
	ratio("PostgreSQL INSERT (8) / LMDB commit (1)", "b.pgins.8", "b.lmdb");
}

static void goals(void)
{
	char a[64], b[64], what[160], detail[200];
	printf("\ngoals (issue 10), on the medians\n");
	for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++)
		for (int nc = 8; nc <= 16; nc += 8) {
			keyf(a, sizeof a, ops[o].key, nc);
			if (!fig_runs(a))
				continue;
			double x = fig_median(a, 'r');
			keyf(b, sizeof b, "b.echo", nc);
			double e = fig_median(b, 'r');
			if (ops[o].write) {
				keyf(b, sizeof b, "b.pgins", nc);
				double p = fig_median(b, 'r');
				if (!isnan(p)) {
					snprintf(what, sizeof what, "%s (%d) >= 1.5x PostgreSQL INSERT", ops[o].name, nc);
					snprintf(detail, sizeof detail, "%.0f/s vs %.0f/s = %.2fx", x, p, x / p);
					goal(what, x >= 1.5 * p, detail);
				}
				snprintf(what, sizeof what, "%s (%d) >= 0.8x NNG echo", ops[o].name, nc);
				snprintf(detail, sizeof detail, "%.0f/s vs %.0f/s = %.2fx", x, e, x / e);
				goal(what, x >= 0.8 * e, detail);
			} else {
				double p99 = fig_median(a, '9');
				snprintf(what, sizeof what, "%s (%d) >= 0.8x echo, p99 < 1 ms", ops[o].name, nc);
				snprintf(detail, sizeof detail, "%.0f/s vs %.0f/s = %.2fx, p99 %.0f us", x, e, x / e, p99);
				goal(what, x >= 0.8 * e && p99 < 1000, detail);
			}
		}
	static const char *const prop[][2] = {{"p.idle", "propagation p99 < 5 ms (idle)"},
	    {"p.load", "propagation p99 < 5 ms (8 writers)"},
	    {"p.js.idle", "propagation jobs -> scheduler p99 < 5 ms (idle)"},
	    {"p.js.load", "propagation jobs -> scheduler p99 < 5 ms (8 writers)"}};
	for (size_t i = 0; i < sizeof prop / sizeof prop[0]; i++)
		if (fig_runs(prop[i][0])) {
			double p99 = fig_median(prop[i][0], '9');
			snprintf(detail, sizeof detail, "p50 %.0f us, p99 %.0f us", fig_median(prop[i][0], '5'), p99);
			goal(prop[i][1], p99 < 5000, detail);
		}
	if (fig_runs("c.replay")) {
		double v = fig_median("c.replay", 'v');
		snprintf(detail, sizeof detail, "%.0f events/s", v);
		goal("replay >= 200,000 events/s", v >= 200000, detail);
	}
	static const char *const cold[][2] = {{"c.registry", "cold start aedesk-registry < 200 ms"},
	    {"c.jobs", "cold start aedesk-jobs < 200 ms"}};
	for (size_t i = 0; i < 2; i++)
		if (fig_runs(cold[i][0])) {
			double v = fig_median(cold[i][0], 'v');
			snprintf(detail, sizeof detail, "%.1f ms", v);
			goal(cold[i][1], v < 200, detail);
		}
	if (opt.sched) {
		/* the goal is at 1,000,000 pending; --quick measures fewer and says so */
		long most = 0;
		for (const char *p = opt.sched; *p; p += strcspn(p, ","), p += *p == ',')
			if (atol(p) > most)
				most = atol(p);
		snprintf(a, sizeof a, "f.p.%ld", most);
		if (!fig_runs(a))
			snprintf(a, sizeof a, "f.w.%ld", most);
		if (fig_runs(a)) {
			double p99 = fig_median(a, '9') / 1000;
			if (most == 1000000)
				snprintf(what, sizeof what, "reminder firing delay p99 < 100 ms, 1,000,000 pending");
			else
				snprintf(what, sizeof what, "firing delay p99 < 100 ms, %ld pending (goal: 1,000,000)", most);
			snprintf(detail, sizeof detail, "due -> %s: p50 %.1f ms, p99 %.1f ms", a[2] == 'p' ? "published" : "written",
			    fig_median(a, '5') / 1000, p99);
			goal(what, p99 < 100, detail);
		}
	}
	static const char *const mem[] = {"registry", "jobs", "status"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(a, sizeof a, "m.%s", mem[i]);
		if (!fig_runs(a))
			continue;
		double v = fig_max(a, 'v');
		snprintf(what, sizeof what, "RSS aedesk-%s < 64 MiB", mem[i]);
		snprintf(detail, sizeof detail, "max %.1f MiB", v);
		goal(what, v < 64, detail);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: aedesk-bench --conf PATH [--runs R] [--quick] [--pg CONNINFO]\n"
			"                    [--writes-only | --reads-only] [--only KEY] [--label TEXT] [--load N]\n"
			"                    [--sched N[,N...]] [--sched-fire F] [--sched-spread S]\n"
			"Drives the services deploy/up started; see bench/run.\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--conf") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			opt.runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pg") && i + 1 < argc)
			opt.pg = argv[++i];
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			opt.label = argv[++i];
		else if (!strcmp(argv[i], "--load") && i + 1 < argc)
			opt.load = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--quick"))
			opt.quick = 1;
		else if (!strcmp(argv[i], "--sched") && i + 1 < argc)
			opt.sched = argv[++i];
		else if (!strcmp(argv[i], "--sched-fire") && i + 1 < argc)
			opt.sched_fire = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--sched-spread") && i + 1 < argc)
			opt.sched_spread = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--writes-only"))
			opt.writes_only = 1;
		else if (!strcmp(argv[i], "--reads-only"))
			opt.reads_only = 1;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			opt.only = argv[++i];
		else
			return usage();
	}
	if (!opt.sched_fire)
		opt.sched_fire = opt.quick ? 500 : 1000;
	if (!opt.sched_spread)
		opt.sched_spread = opt.quick ? 5 : 10;
	if (!path || opt.runs < 1 || opt.runs > BENCH_MAX_RUNS || opt.load < 64 || (opt.writes_only && opt.reads_only) ||
	    opt.sched_fire < 1 || opt.sched_spread < 1)
		return usage();
	if (opt.quick) {
		opt.n = 1000;
		opt.cap_ns = 400000000ll;
		if (opt.load == 20000)
			opt.load = 3000;
	}
	signal(SIGPIPE, SIG_IGN);
	char err[1200];
	conf *c = conf_load(path, err, sizeof err);
	struct deployment d;
	if (!c || ctl_init(&d, path, err, sizeof err) != 0) {
		fprintf(stderr, "aedesk-bench: %s\n", err);
		return 2;
	}
	struct target t = {0};
	aeclient *cl;
	size_t envsize = 200;
	if (setup(c, &t, &cl, &envsize) != 0)
		return 3;
	if (opt.pg && pg_prepare(opt.pg, 100000, err, sizeof err) != 0) {
		fprintf(stderr, "aedesk-bench: PostgreSQL baseline skipped: %s\n", err);
		opt.pg = NULL;
	}
	char tmpl[] = "/tmp/aedesk-bench-XXXXXX";
	char *dir = mkdtemp(tmpl);
	if (!dir) {
		perror("mkdtemp");
		return 3;
	}
	if (opt.reads_only) {
		uint64_t have = registry_clients(cl);
		if (have < (uint64_t)opt.load) {
			int each = (int)(((uint64_t)opt.load - have) / 16 + 1);
			printf("adding %d clients to read among\n", each * 16);
			struct result r = load_run(&t, OP_CLIENT_ADD, 16, each, 600000000000ll);
			if (r.failures)
				fprintf(stderr, "aedesk-bench: %zu client adds failed\n", r.failures);
		}
		/* The consumers apply those events for a while: wait until the services are
		 * idle (under 5 % of a CPU over 300 ms, at most 60 s), or their work would be
		 * counted in the reads' CPU/request. */
		for (int i = 0; i < 200; i++) {
			int64_t c0 = ctl_cpu_us(&d);
			usleep(300000);
			if (ctl_cpu_us(&d) - c0 < 15000)
				break;
		}
	}
	printf("aedesk-bench%s%s: %d run(s), up to %d requests a client and %.1f s a figure; %ld cpus\n",
	    *opt.label ? " " : "", opt.label, opt.runs, opt.n, (double)opt.cap_ns / 1e9,
	    sysconf(_SC_NPROCESSORS_ONLN));
	for (int r = 0; r < opt.runs; r++) {
		printf("\n== run %d of %d\n", r + 1, opt.runs);
		run_once(&t, &d, dir, envsize);
		bench_next_run();
	}
	printf("\n== %s%ssummary over %d run(s): median (min-max)\n", opt.label, *opt.label ? " " : "", opt.runs);
	report();
	ratios();
	if (!opt.writes_only)
		goals();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	aeclient_close(cl);
	free((void *)t.token);
	free((void *)t.jobs_token);
	conf_free(c);
	return 0;
}
