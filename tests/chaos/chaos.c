/*
 * NAME
 *	aedesk-chaos - kill -9 a random service again and again under a mixed load, then
 *	prove that nothing acknowledged was lost and nothing was applied twice
 *
 * SYNOPSIS
 *	aedesk-chaos [--seconds N | --minutes N] [--workers N] [--seed N]
 *	    [--victims registry,jobs,testsvc] [--no-reopen]
 *
 * DESCRIPTION
 *	Starts aedesk-registry, aedesk-jobs and aedesk-testsvc (the counting consumer) with
 *	the test harness, logs in one member of staff per role, and runs `workers` client
 *	threads that do a mix of writes through the client library: staff, clients,
 *	contacts, visits, class changes, jobs through their stages with sign-offs, strategy
 *	sheets, estimates, invoices and payments. Meanwhile the main thread (the only one
 *	that touches the harness: it is single-threaded) kill -9s a random service every
 *	0.05-0.5 s and starts it again.
 *
 *	Every write gets a fresh request id; a worker re-sends the same envelope (same id)
 *	until it gets an answer, as a careful client does, except that 15 % of the time it
 *	gives up after the first timeout, like an impatient one. Its ledger records each
 *	write as acknowledged (OK), refused (any other status) or unanswered. One
 *	acknowledged write in 20 is re-sent again from a second socket (a retry storm from
 *	another client): the answer must be byte for byte the first one.
 *
 *	At the end the services settle (all up, every consumer's cursor at its source's
 *	last seq), and the driver reads both outboxes from seq 1 by Replay, the client list,
 *	every invoice, and the test consumer's counts, and checks:
 *	  lost = 0         every acknowledged write has exactly its event (and, for clients
 *	                   and payments, its state)
 *	  duplicates = 0   no write has its event twice; no refused write has one; the test
 *	                   consumer applied every registry event once (duplicates = missing = 0)
 *	  cursors          jobs' and testsvc's cursor on registry == registry's last seq
 *	  outbox           seqs 1..last_seq without a gap
 *	  stores           after a clean stop, mdb_stat -a and mdb_dump -a read every table
 *	and prints the figures, including unanswered writes that did commit.
 *
 * DIAGNOSTICS
 *	Exits 0 when every check passed, 1 otherwise; the last line is "chaos: PASS" or
 *	"chaos: FAIL". The harness directory is kept on a failure (see its *.log files).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "testsvc.pb-c.h"
#include "wire.h"

enum { SVC_REGISTRY, SVC_JOBS, SVC__N };
static const char *const svc_names[SVC__N] = {"registry", "jobs"};
static const char *const victims[] = {"registry", "jobs", "testsvc"};
static int victim_on[3] = {1, 1, 1};

enum role { R_ADMIN, R_AE, R_AM, R_AD, R_CD, R_PROD, R_FIN, R__N };
static const char *const staff[R__N][4] = {
	[R_ADMIN] = {"admin", "", "", ""},
	[R_AE] = {"sun.ae", "孙晓明", "ae", "qian.am"},
	[R_AM] = {"qian.am", "钱经理", "am", "zhao.ad"},
	[R_AD] = {"zhao.ad", "赵总监", "ad", ""},
	[R_CD] = {"wu.cd", "吴创意", "cd", ""},
	[R_PROD] = {"zhou.prod", "周制作", "production", ""},
	[R_FIN] = {"zheng.fin", "郑财务", "finance", ""},
};
static struct {
	uint8_t b[4096];
	size_t n;
} tokens[R__N];

enum outcome { O_ACK, O_REFUSED, O_UNANSWERED };

/* One write in the ledger: the key of the event it must cause (see event_key). */
struct rec {
	char key[112];
	enum outcome out;
	int svc;
};

static struct {
	pthread_mutex_t mu;
	struct rec *r;
	size_t n, cap;
} ledger = {.mu = PTHREAD_MUTEX_INITIALIZER};

static atomic_int stop_workers;
static atomic_long n_ops, n_ack, n_refused, n_unanswered, n_resent_same_id, n_storm, n_storm_bad,
    n_internal, n_reopened, uniq = 1;
static int reopen_silent = 1;

static harness H;

static void ledger_add(int svc, enum outcome out, const char *fmt, ...)
{
	pthread_mutex_lock(&ledger.mu);
	if (ledger.n == ledger.cap) {
		ledger.cap = ledger.cap ? ledger.cap * 2 : 4096;
		ledger.r = realloc(ledger.r, ledger.cap * sizeof *ledger.r);
		if (!ledger.r) {
			fprintf(stderr, "chaos: out of memory\n");
			exit(1);
		}
	}
	struct rec *r = &ledger.r[ledger.n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->key, sizeof r->key, fmt, ap);
	va_end(ap);
	r->out = out;
	r->svc = svc;
	pthread_mutex_unlock(&ledger.mu);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- a worker: one client of each service plus a second socket for re-sends ---- */

struct job {
	char id[16];
	char client[16];
	int step; /* the next step of the chain; -1 when abandoned or finished */
	int numbered;
	char estimate[16];
};

struct invoice {
	char id[16], job[16];
	int64_t amount, paid_acked, paid_unknown;
};

struct worker {
	int n;
	unsigned seed;
	aeclient *c[SVC__N], *storm[SVC__N];
	char clients[4096][16];
	int nclients;
	struct job jobs[2048];
	int njobs;
	struct invoice inv[1024];
	int ninv;
};

/*
 * call sends req to service svc as `role` and waits for the answer. The same envelope
 * (same request id) is re-sent after every timeout until an answer comes or 30 s pass;
 * with give_up set, the first timeout ends it. Returns the outcome; *reply is the
 * unpacked payload of an OK answer (free with wire_free).
 */
static enum outcome call(struct worker *w, int svc, enum role role, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **reply, int give_up)
{
	aeclient *c = w->c[svc];
	uint8_t id[16], *env, *out = NULL;
	size_t envlen, outlen = 0;
	*reply = NULL;
	aeclient_set_token(c, tokens[role].b, tokens[role].n);
	wire_new_id(id);
	if (aeclient_envelope(c, req, id, &env, &envlen) != 0)
		return O_UNANSWERED;
	atomic_fetch_add(&n_ops, 1);
	double until = now_s() + 30, silent_since = now_s();
	int got = 0;
	for (int attempt = 0;; attempt++) {
		if (attempt)
			atomic_fetch_add(&n_resent_same_id, 1);
		if (aeclient_raw(c, env, envlen, &out, &outlen) == 0) {
			got = 1;
			break;
		}
		if (give_up || now_s() > until || atomic_load(&stop_workers) > 1)
			break;
		/*
		 * NNG 1.5.2: when the service dies between accepting the connection and the SP
		 * handshake, the REQ socket's dialer never dials again (seen here: workers stuck
		 * for minutes while the service answered everyone else). A socket silent for 2 s
		 * is replaced; the same envelope goes out on the new one.
		 */
		if (reopen_silent && now_s() - silent_since > 2) {
			aeclient *fresh = h_client(&H, svc_names[svc], 300);
			if (fresh) {
				aeclient_close(c);
				c = w->c[svc] = fresh;
				aeclient_set_token(c, tokens[role].b, tokens[role].n);
				atomic_fetch_add(&n_reopened, 1);
			}
			silent_since = now_s();
		}
		h_sleep_ms(20);
	}
	if (!got) {
		free(env);
		atomic_fetch_add(&n_unanswered, 1);
		return O_UNANSWERED;
	}
	Aedesk__Envelope *e = wire_envelope_unpack(out, outlen, NULL);
	enum outcome o = O_REFUSED;
	if (e && e->status == AEDESK__STATUS__OK) {
		o = O_ACK;
		if (rd)
			*reply = wire_unpack(rd, e->payload.data, e->payload.len, NULL);
		/* A retry storm from another client: the same envelope again, answered alike. */
		if (rand_r(&w->seed) % 20 == 0) {
			uint8_t *o2 = NULL;
			size_t l2 = 0;
			aeclient_set_token(w->storm[svc], tokens[role].b, tokens[role].n);
			if (aeclient_raw(w->storm[svc], env, envlen, &o2, &l2) == 0) {
				atomic_fetch_add(&n_storm, 1);
				if (l2 != outlen || memcmp(o2, out, outlen) != 0) {
					atomic_fetch_add(&n_storm_bad, 1);
					fprintf(stderr, "chaos: a re-sent %s got a different answer\n", req->descriptor->name);
				}
			}
			else { /* the same NNG dialer trouble: replace the socket */
				aeclient *fresh = h_client(&H, svc_names[svc], 5000);
				if (fresh) {
					aeclient_close(w->storm[svc]);
					w->storm[svc] = fresh;
					atomic_fetch_add(&n_reopened, 1);
				}
			}
			free(o2);
		}
	} else if (e && getenv("AEDESK_CHAOS_VERBOSE")) {
		fprintf(stderr, "chaos: %s refused: %s %s\n", wire_short_name(req->descriptor->name),
		    aedesk__status__descriptor.values[e->status].name, e->message);
	}
	if (e && (e->status == AEDESK__STATUS__INTERNAL || e->status == AEDESK__STATUS__UNAVAILABLE)) {
		atomic_fetch_add(&n_internal, 1);
		fprintf(stderr, "chaos: %s answered %s: %s\n", req->descriptor->name,
		    aedesk__status__descriptor.values[e->status].name, e->message);
	}
	atomic_fetch_add(o == O_ACK ? &n_ack : &n_refused, 1);
	wire_free(e ? &e->base : NULL);
	free(out);
	free(env);
	return o;
}

/* copy_id copies an id (C000001, J000001: short) within a worker's own arrays. */
static void copy_id(char dst[16], const char *src)
{
	size_t n = strnlen(src, 15);
	memmove(dst, src, n);
	dst[n] = 0;
}

static int give_up(struct worker *w) { return rand_r(&w->seed) % 100 < 15; }

static long next_uniq(void) { return atomic_fetch_add(&uniq, 1); }

static const char *pick_client(struct worker *w)
{
	return w->nclients ? w->clients[rand_r(&w->seed) % (unsigned)w->nclients] : NULL;
}

static void op_client_add(struct worker *w)
{
	char name[64];
	snprintf(name, sizeof name, "混沌客户 %d-%ld", w->n, next_uniq());
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = name;
	q.class_ = "C";
	Aedesk__ClientReply *r;
	enum outcome o = call(w, SVC_REGISTRY, R_AE, &q.base, &aedesk__client_reply__descriptor,
	    (ProtobufCMessage **)&r, give_up(w));
	ledger_add(SVC_REGISTRY, o, "client:%s", name);
	if (o == O_ACK && r && r->client && w->nclients < 4096)
		snprintf(w->clients[w->nclients++], 16, "%s", r->client->id);
	wire_free(r ? &r->base : NULL);
}

static void op_contact_add(struct worker *w, const char *client)
{
	char name[64];
	snprintf(name, sizeof name, "联系人 %d-%ld", w->n, next_uniq());
	Aedesk__ContactAddRequest q = AEDESK__CONTACT_ADD_REQUEST__INIT;
	q.client_id = (char *)client;
	q.name = name;
	q.title = "市场部经理";
	ProtobufCMessage *r;
	ledger_add(SVC_REGISTRY, call(w, SVC_REGISTRY, R_AE, &q.base, NULL, &r, give_up(w)), "contact:%s", name);
}

static void op_visit(struct worker *w, const char *client)
{
	char sum[64];
	snprintf(sum, sizeof sum, "拜访纪要 %d-%ld", w->n, next_uniq());
	Aedesk__VisitLogRequest q = AEDESK__VISIT_LOG_REQUEST__INIT;
	q.client_id = (char *)client;
	q.kind = AEDESK__VISIT_KIND__CALL;
	q.at_ms = wire_now_ms() - 3600000;
	q.summary = sum;
	ProtobufCMessage *r;
	ledger_add(SVC_REGISTRY, call(w, SVC_REGISTRY, R_AE, &q.base, NULL, &r, give_up(w)), "visit:%s", sum);
}

static void op_class(struct worker *w, const char *client)
{
	static const char *const cls[] = {"A", "B", "C", "D"};
	char why[64];
	snprintf(why, sizeof why, "季度评估 %d-%ld", w->n, next_uniq());
	Aedesk__ClientClassRequest q = AEDESK__CLIENT_CLASS_REQUEST__INIT;
	q.id = (char *)client;
	q.class_ = (char *)cls[rand_r(&w->seed) % 4];
	q.why = why;
	ProtobufCMessage *r;
	ledger_add(SVC_REGISTRY, call(w, SVC_REGISTRY, R_AD, &q.base, NULL, &r, give_up(w)), "class:%s", why);
}

static void op_staff_add(struct worker *w)
{
	char id[32];
	snprintf(id, sizeof id, "ae%d.%ld", w->n, next_uniq());
	Aedesk__StaffAddRequest q = AEDESK__STAFF_ADD_REQUEST__INIT;
	char *roles[] = {"ae"};
	q.id = id;
	q.name = "新同事";
	q.roles = roles;
	q.n_roles = 1;
	q.manager = "qian.am";
	ProtobufCMessage *r;
	ledger_add(SVC_REGISTRY, call(w, SVC_REGISTRY, R_ADMIN, &q.base, NULL, &r, give_up(w)), "staff:%s", id);
}

static void op_job_open(struct worker *w, const char *client)
{
	if (w->njobs >= 2048)
		return;
	char title[64];
	snprintf(title, sizeof title, "混沌工作单 %d-%ld", w->n, next_uniq());
	Aedesk__JobBrief b = AEDESK__JOB_BRIEF__INIT;
	b.background = "去年销量下滑";
	b.objective = "销量增长 20%";
	b.audience = "城市家庭";
	b.insight = "送礼要体面";
	b.proposition = "团圆的味道";
	b.support = "老字号";
	b.tone = "温暖";
	b.mandatories = "商标";
	b.deliverables = "整版一则";
	b.budget = "30 万元";
	b.timing = "一月见报";
	Aedesk__JobOpenRequest q = AEDESK__JOB_OPEN_REQUEST__INIT;
	q.client_id = (char *)client;
	q.title = title;
	q.kind = "print";
	q.due_ms = wire_now_ms() + 60ll * 86400000;
	q.brief = &b;
	Aedesk__JobReply *r;
	enum outcome o = call(w, SVC_JOBS, R_AE, &q.base, &aedesk__job_reply__descriptor,
	    (ProtobufCMessage **)&r, give_up(w));
	ledger_add(SVC_JOBS, o, "job:%s", title);
	if (o == O_ACK && r && r->job) {
		struct job *j = &w->jobs[w->njobs++];
		memset(j, 0, sizeof *j);
		snprintf(j->id, sizeof j->id, "%s", r->job->id);
		copy_id(j->client, client);
		j->step = 1;
	}
	wire_free(r ? &r->base : NULL);
}

static enum outcome sign(struct worker *w, struct job *j, enum role as, const char *role, int stage)
{
	Aedesk__JobSignRequest q = AEDESK__JOB_SIGN_REQUEST__INIT;
	q.id = j->id;
	q.role = (char *)role;
	if (strcmp(role, "client") == 0)
		q.client_name = "客户代表王先生";
	ProtobufCMessage *r;
	enum outcome o = call(w, SVC_JOBS, as, &q.base, NULL, &r, give_up(w));
	ledger_add(SVC_JOBS, o, "sign:%s:%s:%d", j->id, role, stage);
	return o;
}

static enum outcome advance(struct worker *w, struct job *j, int to)
{
	Aedesk__JobAdvanceRequest q = AEDESK__JOB_ADVANCE_REQUEST__INIT;
	q.id = j->id;
	ProtobufCMessage *r;
	enum outcome o = call(w, SVC_JOBS, R_AE, &q.base, NULL, &r, give_up(w));
	ledger_add(SVC_JOBS, o, "enter:%s:%d", j->id, to);
	return o;
}

/* estimate_step: 0 sign (AD), 1 send (AE), 2 confirm (AE for the client). */
static enum outcome estimate_step(struct worker *w, struct job *j, int step)
{
	static const char *const key[] = {"estsign", "estsend", "estconf"};
	ProtobufCMessage *r;
	enum outcome o;
	if (step == 0) {
		Aedesk__EstimateSignRequest q = AEDESK__ESTIMATE_SIGN_REQUEST__INIT;
		q.id = j->estimate;
		o = call(w, SVC_JOBS, R_AD, &q.base, NULL, &r, give_up(w));
	} else if (step == 1) {
		Aedesk__EstimateSendRequest q = AEDESK__ESTIMATE_SEND_REQUEST__INIT;
		q.id = j->estimate;
		o = call(w, SVC_JOBS, R_AE, &q.base, NULL, &r, give_up(w));
	} else {
		Aedesk__EstimateConfirmRequest q = AEDESK__ESTIMATE_CONFIRM_REQUEST__INIT;
		q.id = j->estimate;
		q.client_name = "客户代表王先生";
		o = call(w, SVC_JOBS, R_AE, &q.base, NULL, &r, give_up(w));
	}
	ledger_add(SVC_JOBS, o, "%s:%s", key[step], j->estimate);
	return o;
}

/* op_job_step does the next step of a job's chain from forecast to final art. */
static void op_job_step(struct worker *w, struct job *j)
{
	enum outcome o = O_REFUSED;
	switch (j->step) {
	case 1: o = sign(w, j, R_CD, "cd", 1); break;
	case 2: o = advance(w, j, 2); break;
	case 3: o = sign(w, j, R_AD, "ad", 2); break;
	case 4:
		o = sign(w, j, R_CD, "cd", 2);
		j->numbered = o == O_ACK;
		break;
	case 5: {
		char text[64];
		snprintf(text, sizeof text, "策略 %d-%ld", w->n, next_uniq());
		Aedesk__StrategySetRequest q = AEDESK__STRATEGY_SET_REQUEST__INIT;
		q.client_id = j->client;
		q.text = text;
		ProtobufCMessage *r;
		o = call(w, SVC_JOBS, R_AE, &q.base, NULL, &r, give_up(w));
		ledger_add(SVC_JOBS, o, "strategy:%s", text);
		break;
	}
	case 6: o = advance(w, j, 3); break;
	case 7: o = sign(w, j, R_CD, "cd", 3); break;
	case 8: o = sign(w, j, R_AM, "am", 3); break;
	case 9: o = sign(w, j, R_AE, "client", 3); break;
	case 10: o = advance(w, j, 4); break;
	case 11: {
		char item[64];
		snprintf(item, sizeof item, "摄影 %d-%ld", w->n, next_uniq());
		Aedesk__EstimateLine l = AEDESK__ESTIMATE_LINE__INIT, *lp = &l;
		l.item = item;
		l.quantity = 2;
		l.unit_fen = 150000;
		Aedesk__EstimateAddRequest q = AEDESK__ESTIMATE_ADD_REQUEST__INIT;
		q.job_id = j->id;
		q.lines = &lp;
		q.n_lines = 1;
		Aedesk__EstimateReply *r;
		o = call(w, SVC_JOBS, R_PROD, &q.base, &aedesk__estimate_reply__descriptor, (ProtobufCMessage **)&r,
		    give_up(w));
		ledger_add(SVC_JOBS, o, "est:%s", item);
		if (o == O_ACK && r && r->estimate)
			snprintf(j->estimate, sizeof j->estimate, "%s", r->estimate->id);
		else if (o == O_ACK)
			o = O_REFUSED;
		wire_free(r ? &r->base : NULL);
		break;
	}
	case 12: case 13: case 14: o = estimate_step(w, j, j->step - 12); break;
	case 15: o = advance(w, j, 5); break;
	}
	/* A refused or unanswered step leaves the job where it is unknown: abandon it. */
	j->step = (o == O_ACK && j->step < 15) ? j->step + 1 : -1;
}

static void op_invoice(struct worker *w, struct job *j)
{
	if (w->ninv >= 1024)
		return;
	int64_t amount = 1000000 + next_uniq(); /* unique: the event is found by its amount */
	Aedesk__InvoiceAddRequest q = AEDESK__INVOICE_ADD_REQUEST__INIT;
	q.job_id = j->id;
	q.amount_fen = amount;
	q.due_ms = wire_now_ms() + 30ll * 86400000;
	Aedesk__InvoiceReply *r;
	enum outcome o = call(w, SVC_JOBS, R_FIN, &q.base, &aedesk__invoice_reply__descriptor,
	    (ProtobufCMessage **)&r, give_up(w));
	ledger_add(SVC_JOBS, o, "inv:%" PRId64, amount);
	if (o == O_ACK && r && r->invoice) {
		struct invoice *in = &w->inv[w->ninv++];
		memset(in, 0, sizeof *in);
		snprintf(in->id, sizeof in->id, "%s", r->invoice->id);
		copy_id(in->job, j->id);
		in->amount = amount;
	}
	wire_free(r ? &r->base : NULL);
}

static void op_payment(struct worker *w, struct invoice *in)
{
	int64_t amount = 100 + next_uniq(); /* unique, and far below any invoice's amount */
	if (in->paid_acked + in->paid_unknown + amount > in->amount)
		return;
	Aedesk__PaymentAddRequest q = AEDESK__PAYMENT_ADD_REQUEST__INIT;
	q.invoice_id = in->id;
	q.amount_fen = amount;
	ProtobufCMessage *r;
	enum outcome o = call(w, SVC_JOBS, R_FIN, &q.base, NULL, &r, give_up(w));
	ledger_add(SVC_JOBS, o, "pay:%" PRId64, amount);
	if (o == O_ACK)
		in->paid_acked += amount;
	else if (o == O_UNANSWERED)
		in->paid_unknown += amount;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	while (!atomic_load(&stop_workers)) {
		unsigned p = rand_r(&w->seed) % 100;
		const char *client = pick_client(w);
		if (!client || w->nclients < 3 || p < 14)
			op_client_add(w);
		else if (p < 22)
			op_contact_add(w, client);
		else if (p < 30)
			op_visit(w, client);
		else if (p < 35)
			op_class(w, client);
		else if (p < 37)
			op_staff_add(w);
		else if (p < 47)
			op_job_open(w, client);
		else if (p < 85 || w->ninv == 0) {
			struct job *live[64];
			int n = 0;
			for (int i = w->njobs - 1; i >= 0 && n < 64; i--)
				if (w->jobs[i].step > 0)
					live[n++] = &w->jobs[i];
			if (n)
				op_job_step(w, live[rand_r(&w->seed) % (unsigned)n]);
			if (p >= 78) { /* invoices go to numbered jobs */
				for (int i = w->njobs - 1; i >= 0; i--)
					if (w->jobs[i].numbered && rand_r(&w->seed) % 3 == 0) {
						op_invoice(w, &w->jobs[i]);
						break;
					}
			}
		} else
			op_payment(w, &w->inv[rand_r(&w->seed) % (unsigned)w->ninv]);
	}
	return NULL;
}

/* ---- the checks ---- */

static Aedesk__Health *health(const char *svc)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	if (h_call(&H, svc, &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) != 0) {
		wire_free(r ? &r->base : NULL);
		return NULL;
	}
	return r;
}

static uint64_t cursor_in(const Aedesk__Health *h, const char *source)
{
	for (size_t i = 0; h && i < h->n_cursors; i++)
		if (strcmp(h->cursors[i]->source, source) == 0)
			return h->cursors[i]->seq;
	return 0;
}

/* settle waits until every service answers and every consumer's cursor is at registry's last seq. */
static int settle(int ms, uint64_t *reg_last, uint64_t *jobs_cur, uint64_t *test_cur)
{
	for (int waited = 0; waited <= ms; waited += 100) {
		Aedesk__Health *r = health("registry"), *j = health("jobs"), *t = health("testsvc");
		*reg_last = r ? r->last_seq : 0;
		*jobs_cur = cursor_in(j, "registry");
		*test_cur = cursor_in(t, "registry");
		int ok = r && j && t && *jobs_cur == *reg_last && *test_cur == *reg_last;
		wire_free(r ? &r->base : NULL);
		wire_free(j ? &j->base : NULL);
		wire_free(t ? &t->base : NULL);
		if (ok)
			return 0;
		h_sleep_ms(100);
	}
	return -1;
}

static struct {
	char **k;
	size_t n, cap;
} keys;

static void key_add(const char *fmt, ...)
{
	if (keys.n == keys.cap) {
		keys.cap = keys.cap ? keys.cap * 2 : 65536;
		keys.k = realloc(keys.k, keys.cap * sizeof *keys.k);
	}
	char buf[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	keys.k[keys.n++] = strdup(buf);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t key_count(const char *key)
{
	size_t lo = 0, hi = keys.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(keys.k[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	while (lo + n < keys.n && strcmp(keys.k[lo + n], key) == 0)
		n++;
	return n;
}

#define IS(e, d) (strcmp((e)->type, (d).name) == 0)
#define GET(T, d) T *m = (T *)wire_unpack(&(d), e->payload.data, e->payload.len, NULL)

/* event_key turns an event into the ledger's key for the write that caused it. */
static void event_key(const Aedesk__Envelope *e)
{
	if (IS(e, aedesk__client_added__descriptor)) {
		GET(Aedesk__ClientAdded, aedesk__client_added__descriptor);
		if (m && m->client)
			key_add("client:%s", m->client->name);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__client_updated__descriptor)) {
		GET(Aedesk__ClientUpdated, aedesk__client_updated__descriptor);
		if (m && strcmp(m->change, "class") == 0)
			key_add("class:%s", m->why);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__contact_added__descriptor)) {
		GET(Aedesk__ContactAdded, aedesk__contact_added__descriptor);
		if (m && m->contact)
			key_add("contact:%s", m->contact->name);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__visit_logged__descriptor)) {
		GET(Aedesk__VisitLogged, aedesk__visit_logged__descriptor);
		if (m && m->visit)
			key_add("visit:%s", m->visit->summary);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__staff_added__descriptor)) {
		GET(Aedesk__StaffAdded, aedesk__staff_added__descriptor);
		if (m && m->staff)
			key_add("staff:%s", m->staff->id);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__job_opened__descriptor)) {
		GET(Aedesk__JobOpened, aedesk__job_opened__descriptor);
		if (m)
			key_add("job:%s", m->title);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__job_signed__descriptor)) {
		GET(Aedesk__JobSigned, aedesk__job_signed__descriptor);
		if (m && m->signoff)
			key_add("sign:%s:%s:%d", m->job_id, m->signoff->role, (int)m->signoff->stage);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__job_stage_entered__descriptor)) {
		GET(Aedesk__JobStageEntered, aedesk__job_stage_entered__descriptor);
		if (m)
			key_add("enter:%s:%d", m->job_id, (int)m->stage);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__strategy_set__descriptor)) {
		GET(Aedesk__StrategySet, aedesk__strategy_set__descriptor);
		if (m && m->strategy)
			key_add("strategy:%s", m->strategy->text);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__estimate_added__descriptor)) {
		GET(Aedesk__EstimateAdded, aedesk__estimate_added__descriptor);
		if (m && m->estimate && m->estimate->n_lines)
			key_add("est:%s", m->estimate->lines[0]->item);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__estimate_signed__descriptor)) {
		GET(Aedesk__EstimateSigned, aedesk__estimate_signed__descriptor);
		if (m && m->estimate)
			key_add("estsign:%s", m->estimate->id);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__estimate_sent__descriptor)) {
		GET(Aedesk__EstimateSent, aedesk__estimate_sent__descriptor);
		if (m && m->estimate)
			key_add("estsend:%s", m->estimate->id);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__estimate_confirmed__descriptor)) {
		GET(Aedesk__EstimateConfirmed, aedesk__estimate_confirmed__descriptor);
		if (m && m->estimate)
			key_add("estconf:%s", m->estimate->id);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__invoice_added__descriptor)) {
		GET(Aedesk__InvoiceAdded, aedesk__invoice_added__descriptor);
		if (m && m->invoice)
			key_add("inv:%" PRId64, m->invoice->amount_fen);
		wire_free(m ? &m->base : NULL);
	} else if (IS(e, aedesk__payment_added__descriptor)) {
		GET(Aedesk__PaymentAdded, aedesk__payment_added__descriptor);
		if (m && m->payment)
			key_add("pay:%" PRId64, m->payment->amount_fen);
		wire_free(m ? &m->base : NULL);
	}
}

/* read_outbox replays svc's whole outbox from seq 1; returns how many events, -1 on a gap. */
static long read_outbox(const char *svc, uint64_t last)
{
	aeclient *c = h_service_client(&H, svc, 30000);
	uint64_t next = 1;
	long n = 0;
	while (c && next <= last) {
		Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
		q.from_seq = next;
		q.max_events = 1000;
		Aedesk__Status st;
		char msg[256];
		Aedesk__ReplayReply *r = NULL;
		if (aeclient_call(c, &q.base, &aedesk__replay_reply__descriptor, &st, msg, sizeof msg,
			(ProtobufCMessage **)&r) != 0 || st != AEDESK__STATUS__OK || !r || !r->n_events) {
			fprintf(stderr, "chaos: replay of %s from %" PRIu64 " failed: %s\n", svc, next, msg);
			wire_free(r ? &r->base : NULL);
			n = -1;
			break;
		}
		for (size_t i = 0; i < r->n_events; i++) {
			Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
			if (!e || e->seq != next) {
				fprintf(stderr, "chaos: %s outbox: expected seq %" PRIu64 ", found %" PRIu64 "\n", svc,
				    next, e ? e->seq : 0);
				n = -1;
			} else
				event_key(e);
			wire_free(e ? &e->base : NULL);
			next++;
			if (n >= 0)
				n++;
		}
		wire_free(&r->base);
		if (n < 0)
			break;
	}
	aeclient_close(c);
	return n;
}

/* client_names counts every client's name in the registry's state (the client list). */
static void client_names(void)
{
	aeclient *c = h_client(&H, "registry", 30000);
	char after[16] = "";
	aeclient_set_token(c, tokens[R_AD].b, tokens[R_AD].n);
	for (;;) {
		Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
		q.limit = 1000;
		q.after = after;
		Aedesk__Status st;
		char msg[256];
		Aedesk__ClientListReply *r = NULL;
		if (!c || aeclient_call(c, &q.base, &aedesk__client_list_reply__descriptor, &st, msg, sizeof msg,
			      (ProtobufCMessage **)&r) != 0 || !r) {
			fprintf(stderr, "chaos: client list failed: %s\n", c ? msg : "no client");
			break;
		}
		for (size_t i = 0; i < r->n_clients; i++)
			key_add("state-client:%s", r->clients[i]->name);
		int more = r->next_after[0] && r->n_clients;
		snprintf(after, sizeof after, "%s", r->next_after);
		wire_free(&r->base);
		if (!more)
			break;
	}
	aeclient_close(c);
}

static int store_check(const char *svc)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "mdb_stat -a '%s/data/%s' >/dev/null && mdb_dump -a '%s/data/%s' >/dev/null",
	    H.home, svc, H.home, svc);
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "chaos: the %s store fails mdb_stat/mdb_dump (status %d)\n", svc, rc);
	return rc == 0 ? 0 : -1;
}

static int setup_staff(void)
{
	if (h_login_admin(&H) != 0)
		return -1;
	memcpy(tokens[R_ADMIN].b, H.tok, H.toklen);
	tokens[R_ADMIN].n = H.toklen;
	static const int order[] = {R_AD, R_AM, R_AE, R_CD, R_PROD, R_FIN};
	char out[1024];
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *const *s = staff[order[i]];
		if (h_cli(&H, "pass-word-123\n", out, sizeof out, "staff", "add", s[0], "--name", s[1], "--role", s[2],
			"--manager", s[3], "--password-stdin", NULL) != 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		if (h_login(&H, staff[order[i]][0], "pass-word-123") != 0)
			return -1;
		memcpy(tokens[order[i]].b, H.tok, H.toklen);
		tokens[order[i]].n = H.toklen;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: aedesk-chaos [--seconds N | --minutes N] [--workers N] [--seed N]\n"
			"                    [--victims registry,jobs,testsvc] [--no-reopen]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double seconds = 30;
	int nworkers = 4;
	unsigned seed = (unsigned)time(NULL);
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--seconds") == 0)
			seconds = atof(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--minutes") == 0)
			seconds = atof(argv[++i]) * 60;
		else if (i + 1 < argc && strcmp(argv[i], "--workers") == 0)
			nworkers = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--victims") == 0) {
			const char *v = argv[++i];
			for (int k = 0; k < 3; k++)
				victim_on[k] = strstr(v, victims[k]) != NULL;
			if (!victim_on[0] && !victim_on[1] && !victim_on[2])
				usage();
		} else if (strcmp(argv[i], "--no-reopen") == 0)
			reopen_silent = 0;
		else if (i + 1 < argc && strcmp(argv[i], "--seed") == 0)
			seed = (unsigned)strtoul(argv[++i], NULL, 10);
		else
			usage();
	}
	if (nworkers < 1 || nworkers > 32 || seconds <= 0)
		usage();
#ifdef CHAOS_SANITIZE
	if (seconds > 12 && !getenv("AEDESK_CHAOS_FULL")) {
		printf("chaos: sanitizer build: running 12 s instead of %.0f s (AEDESK_CHAOS_FULL=1 for all)\n", seconds);
		seconds = 12;
	}
#endif
	printf("chaos: %.0f s, %d workers, seed %u, kill -9 of%s%s%s every 0.05-0.5 s\n", seconds, nworkers, seed,
	    victim_on[0] ? " registry" : "", victim_on[1] ? " jobs" : "", victim_on[2] ? " testsvc" : "");
	fflush(stdout);
	srand(seed);
	int fail = 0;
	if (h_setup(&H, "chaos") != 0 || h_start(&H, "registry") != 0 || h_start(&H, "jobs") != 0 ||
	    h_start(&H, "testsvc") != 0 || setup_staff() != 0) {
		fprintf(stderr, "chaos: setup failed (see %s)\n", H.home);
		return 1;
	}
	struct worker *w = calloc((size_t)nworkers, sizeof *w);
	pthread_t *t = calloc((size_t)nworkers, sizeof *t);
	for (int i = 0; i < nworkers; i++) {
		w[i].n = i;
		w[i].seed = seed * 31 + (unsigned)i;
		for (int s = 0; s < SVC__N; s++) {
			w[i].c[s] = h_client(&H, svc_names[s], 300);
			w[i].storm[s] = h_client(&H, svc_names[s], 5000);
			if (!w[i].c[s] || !w[i].storm[s]) {
				fprintf(stderr, "chaos: cannot open clients\n");
				return 1;
			}
		}
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}

	/* The killer: this thread only, since the harness is single-threaded. */
	double t0 = now_s(), end = t0 + seconds, next_report = t0 + 60;
	long kills[3] = {0, 0, 0}, restart_fail = 0;
	while (now_s() < end) {
		h_sleep_ms(50 + rand() % 451);
		int v;
		do
			v = rand() % 3;
		while (!victim_on[v]);
		h_kill9(&H, victims[v]);
		kills[v]++;
		if (h_start(&H, victims[v]) != 0) {
			restart_fail++;
			fprintf(stderr, "chaos: %s did not come back after kill -9 #%ld\n", victims[v], kills[v]);
			h_sleep_ms(500);
			if (h_start(&H, victims[v]) != 0) {
				fail = 1;
				break;
			}
		}
		if (now_s() >= next_report) {
			printf("chaos: %.0f s: %ld kills, %ld operations, %ld acknowledged\n", now_s() - t0,
			    kills[0] + kills[1] + kills[2], atomic_load(&n_ops), atomic_load(&n_ack));
			fflush(stdout);
			next_report += 60;
		}
	}
	double ran = now_s() - t0;
	atomic_store(&stop_workers, 1);
	for (int i = 0; i < nworkers; i++)
		pthread_join(t[i], NULL);

	/* Settle: everyone up, every consumer at the source's last seq. */
	uint64_t reg_last = 0, jobs_cur = 0, test_cur = 0;
	double ts = now_s();
	int settled = settle(60000, &reg_last, &jobs_cur, &test_cur) == 0;
	double settle_s = now_s() - ts;
	Aedesk__Health *jh = health("jobs");
	uint64_t jobs_last = jh ? jh->last_seq : 0;
	wire_free(jh ? &jh->base : NULL);

	long reg_events = read_outbox("registry", reg_last);
	long jobs_events = read_outbox("jobs", jobs_last);
	client_names();
	qsort(keys.k, keys.n, sizeof *keys.k, cmp_str);

	/* The ledger against the outboxes (and the client list). */
	long lost = 0, dup = 0, refused_applied = 0, unans = 0, unans_committed = 0;
	for (size_t i = 0; i < ledger.n; i++) {
		struct rec *r = &ledger.r[i];
		size_t n = key_count(r->key);
		size_t ns = 1;
		if (strncmp(r->key, "client:", 7) == 0) {
			char sk[160];
			snprintf(sk, sizeof sk, "state-%s", r->key);
			ns = key_count(sk);
			if (ns != n) {
				fprintf(stderr, "chaos: %s: %zu event(s) but %zu in the client list\n", r->key, n, ns);
				lost++;
			}
		}
		if (r->out == O_ACK && n == 0) {
			fprintf(stderr, "chaos: LOST acknowledged write %s\n", r->key);
			lost++;
		} else if (n > 1) {
			fprintf(stderr, "chaos: DUPLICATE %s: %zu events\n", r->key, n);
			dup++;
		} else if (r->out == O_REFUSED && n) {
			fprintf(stderr, "chaos: refused write %s was applied\n", r->key);
			refused_applied++;
		}
		if (r->out == O_UNANSWERED) {
			unans++;
			unans_committed += n > 0;
		}
	}
	/* Payments in the state: each invoice's paid amount is its acknowledged payments,
	 * plus some of its unanswered ones, never more (a doubled payment shows here). */
	long bad_paid = 0, invoices = 0;
	aeclient *jc = h_client(&H, "jobs", 30000);
	if (jc)
		aeclient_set_token(jc, tokens[R_AD].b, tokens[R_AD].n);
	for (int i = 0; jc && i < nworkers; i++)
		for (int k = 0; k < w[i].ninv; k++) {
			struct invoice *in = &w[i].inv[k];
			Aedesk__JobGetRequest q = AEDESK__JOB_GET_REQUEST__INIT;
			q.id = in->job;
			Aedesk__Status st;
			char msg[256];
			Aedesk__JobReply *r = NULL;
			int64_t paid = -1;
			if (aeclient_call(jc, &q.base, &aedesk__job_reply__descriptor, &st, msg, sizeof msg,
				(ProtobufCMessage **)&r) == 0 && r)
				for (size_t x = 0; x < r->n_invoices; x++)
					if (strcmp(r->invoices[x]->id, in->id) == 0)
						paid = r->invoices[x]->paid_fen;
			wire_free(r ? &r->base : NULL);
			invoices++;
			if (paid < in->paid_acked || paid > in->paid_acked + in->paid_unknown) {
				fprintf(stderr, "chaos: invoice %s paid %" PRId64 " fen; acknowledged %" PRId64
						" (+%" PRId64 " unanswered)\n", in->id, paid, in->paid_acked, in->paid_unknown);
				bad_paid++;
			}
		}
	aeclient_close(jc);

	Aedesk__ConsumerStatsRequest cq = AEDESK__CONSUMER_STATS_REQUEST__INIT;
	Aedesk__ConsumerStatsReply *cs = NULL;
	h_call(&H, "testsvc", &cq.base, &aedesk__consumer_stats_reply__descriptor, (ProtobufCMessage **)&cs);

	/* A clean stop, then every table of every store is read through. */
	int unclean = 0, stores_bad = 0;
	for (int v = 0; v < 3; v++)
		unclean += h_stop(&H, victims[v]) != 0;
	for (int v = 0; v < 3; v++)
		stores_bad += store_check(victims[v]) != 0;

	long nk = kills[0] + kills[1] + kills[2];
	printf("chaos: client sockets replaced after 2 s of silence (NNG dialer that stopped dialing): %ld\n",
	    atomic_load(&n_reopened));
	printf("chaos: ran %.1f s; kill -9: %ld (registry %ld, jobs %ld, testsvc %ld), restarts that failed: %ld\n",
	    ran, nk, kills[0], kills[1], kills[2], restart_fail);
	printf("chaos: operations %ld: acknowledged %ld, refused %ld, unanswered %ld (%ld of them committed); "
	       "same-id re-sends %ld; storm re-sends %ld (%ld answered differently); INTERNAL/UNAVAILABLE %ld\n",
	    atomic_load(&n_ops), atomic_load(&n_ack), atomic_load(&n_refused), unans, unans_committed,
	    atomic_load(&n_resent_same_id), atomic_load(&n_storm), atomic_load(&n_storm_bad),
	    atomic_load(&n_internal));
	printf("chaos: lost %ld, duplicates %ld, refused-but-applied %ld, invoices with a wrong paid amount %ld of %ld\n",
	    lost, dup, refused_applied, bad_paid, invoices);
	printf("chaos: settled in %.1f s: %s; registry last seq %" PRIu64 " (%ld events read), jobs cursor %" PRIu64
	       ", testsvc cursor %" PRIu64 "; jobs last seq %" PRIu64 " (%ld events read)\n",
	    settle_s, settled ? "yes" : "NO", reg_last, reg_events, jobs_cur, test_cur, jobs_last, jobs_events);
	if (cs)
		printf("chaos: testsvc applied %" PRIu64 ", duplicates %" PRIu64 ", missing %" PRIu64 "\n", cs->applied,
		    cs->duplicates, cs->missing);
	printf("chaos: stores: %d of 3 fail mdb_stat/mdb_dump; services that did not stop cleanly: %d\n", stores_bad,
	    unclean);
	fail |= !settled || lost || dup || refused_applied || bad_paid || reg_events < 0 || jobs_events < 0 ||
	    (uint64_t)reg_events != reg_last || (uint64_t)jobs_events != jobs_last || !cs ||
	    (cs && (cs->duplicates || cs->missing || cs->applied != reg_last)) || stores_bad || unclean ||
	    atomic_load(&n_storm_bad) || atomic_load(&n_ack) == 0 || nk == 0;
	wire_free(cs ? &cs->base : NULL);
	for (int i = 0; i < nworkers; i++)
		for (int s = 0; s < SVC__N; s++) {
			aeclient_close(w[i].c[s]);
			aeclient_close(w[i].storm[s]);
		}
	if (fail)
		setenv("AEDESK_KEEP_TEST_DIRS", "1", 1);
	fail |= h_teardown(&H) != 0;
	for (size_t i = 0; i < keys.n; i++)
		free(keys.k[i]);
	free(keys.k);
	free(ledger.r);
	free(w);
	free(t);
	printf("chaos: %s\n", fail ? "FAIL" : "PASS");
	return fail ? 1 : 0;
}
