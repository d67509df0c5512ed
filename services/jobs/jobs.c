/*
 * NAME
 *	jobs.c - open, show and list jobs; strategy sheets
 *
 * DESCRIPTION
 *	A job is opened by the AE serving the client (or their AM, an AD) in the forecast
 *	stage, with a due date and the creative brief, and only when:
 *	  R-JOB-1  the brief is complete (every field but brand);
 *	  R-JOB-3  the due date leaves at least the kind's minimum lead time, or an AD
 *	           overrides it with a reason (recorded on the job and in JobOpened);
 *	  R-JOB-8  the client's unpaid invoices do not exceed its credit limit (from the
 *	           registry; 0 = none), or an AD overrides it with a reason.
 *	Its stages get planned due dates (stages.c). R-JOB-2 strategy sheets are kept per
 *	client and brand; a brand without one of its own falls back to the client's.
 *
 *	Events: JobOpened, StrategySet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "validate.h"
#include "wire.h"

#define JOBS_LIST_MAX 1000

/* The brief's fields with their names, for R-JOB-1's "missing" list. */
#define BRIEF_FIELDS(X)                                                  \
	X(background, "背景") X(objective, "目标") X(audience, "目标受众")  \
	X(insight, "洞察") X(proposition, "主张") X(support, "支持点")      \
	X(tone, "调性") X(mandatories, "必备要素") X(deliverables, "交付物") \
	X(budget, "预算") X(timing, "时间")

/* brief_check: R-JOB-1. 0, or fails r naming the missing or too long fields. */
static int brief_check(svc_req *r, const Aedesk__JobBrief *b)
{
	char missing[512] = "";
	size_t o = 0;
	const char *sep = jobs_en(r) ? ", " : "、";
	if (!b)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-1：没有创意简报不能开工作单（--brief 文件）",
		    "R-JOB-1: no job without a complete creative brief (--brief FILE)");
#define BRIEF_MISSING(f, zh)                                                                   \
	if (jobs_blank(b->f) && o < sizeof missing)                                                \
		o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", o ? sep : "",           \
		    jobs_en(r) ? #f : zh);
	BRIEF_FIELDS(BRIEF_MISSING)
#undef BRIEF_MISSING
	if (o)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-1：创意简报不完整，缺少：%s", "R-JOB-1: the creative brief is incomplete; missing: %s",
		    missing);
#define BRIEF_LONG(f, zh)                                                                      \
	if (strlen(b->f) > JOBS_TEXT_MAX)                                                          \
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "简报的“%s”超过 %d 字节",        \
		    "the brief's %s is longer than %d bytes", jobs_en(r) ? #f : zh, JOBS_TEXT_MAX);
	BRIEF_FIELDS(BRIEF_LONG)
#undef BRIEF_LONG
	if (strlen(b->brand) > 200)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "品牌名称过长", "the brand is too long");
	return 0;
}

/* override_check: an AD's override of rule `rule` with a reason; 0 when given. */
static int override_check(svc_req *r, const char *rule, const char *reason, const char *opt)
{
	if (!reason[0])
		return 1;
	if (!perm_allows(r, PERM_JOB_OVERRIDE, NULL))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "%s：只有客户总监（AD）能以 %s 批准例外",
		    "%s: only an AD may override it (%s)", rule, opt);
	if (jobs_blank(reason) || strlen(reason) > JOBS_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s：例外须写明原因", "%s: an override needs a reason",
		    rule);
	return 0;
}

static int open_job(svc_req *r, const Aedesk__JobOpenRequest *q, const Aedesk__Client *c)
{
	const char *why;
	if (!jobs_client_allows(r, PERM_JOB_DRIVE, c->id, NULL))
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	if (validate_name(q->title, 200, &why))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "工作单标题无效（非空，不超过 200 字节）",
		    "the job's title is not valid (non-empty, at most 200 bytes)");
	if (!jobs_kind_valid(q->kind))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "未知工作类型“%s”（可用 %s）",
		    "unknown kind of job '%s' (use %s)", q->kind, jobs_kind_list());
	if (q->due_ms <= r->now_ms)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "截止日期须在今天之后（--due）",
		    "the due date must be after today (--due)");
	if (brief_check(r, q->brief))
		return -1;
	const char *owner = c->ae;
	if (!owner[0] && perm_scope(r->caller->roles, PERM_JOB_DRIVE) == PERM_OWN)
		owner = r->caller->id;
	if (!owner[0])
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "客户 %s 没有负责的 AE：请先在客户登记中指定",
		    "client %s has no AE: assign one in the registry first", c->id);

	/* R-JOB-3: never squeeze the deadline. */
	int64_t lead = jobs_lead_days(q->kind);
	const char *lead_by = "", *lead_reason = "";
	if (q->due_ms - r->now_ms < lead * JOBS_DAY_MS) {
		int rc = override_check(r, "R-JOB-3", q->lead_override_reason, "--override-lead");
		if (rc < 0)
			return -1;
		if (rc > 0)
			return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
			    "R-JOB-3：离截止日期不足 %lld 天（%s 类工作的最短周期）；需客户总监以 --override-lead 原因 批准",
			    "R-JOB-3: the due date is less than %lld days away (the minimum for a %s job); an AD may "
			    "override it with --override-lead REASON", (long long)lead, q->kind);
		lead_by = r->caller->id;
		lead_reason = q->lead_override_reason;
	}
	/* R-JOB-8: credit limit. */
	int64_t unpaid = (int64_t)jobs_unpaid(r->txn, c->id);
	const char *credit_by = "", *credit_reason = "";
	if (c->credit_limit_fen > 0 && unpaid > c->credit_limit_fen) {
		int rc = override_check(r, "R-JOB-8", q->credit_override_reason, "--override-credit");
		if (rc < 0)
			return -1;
		if (rc > 0) {
			char u[32], l[32];
			jobs_format_money(unpaid, u, sizeof u);
			jobs_format_money(c->credit_limit_fen, l, sizeof l);
			return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
			    "R-JOB-8：客户 %s 未收款 %s 元，超过信誉额度 %s 元；需客户总监以 --override-credit 原因 批准",
			    "R-JOB-8: client %s owes %s yuan, over its credit limit of %s yuan; an AD may override it "
			    "with --override-credit REASON", c->id, u, l);
		}
		credit_by = r->caller->id;
		credit_reason = q->credit_override_reason;
	}

	char id[16];
	if (jobs_next_id(r, "job", 'J', id, sizeof id))
		return -1;
	Aedesk__JobStageDue plan[8], *planp[8];
	size_t nplan = (size_t)jobs_plan_stages(r->now_ms, q->due_ms, plan, 8);
	for (size_t i = 0; i < nplan; i++)
		planp[i] = &plan[i];
	plan[0].entered_ms = r->now_ms; /* forecast */
	char detail[512];
	snprintf(detail, sizeof detail, "%s %s%s%s%s%s", c->id, q->kind, lead_by[0] ? "; R-JOB-3 override: " : "",
	    lead_reason, credit_by[0] ? "; R-JOB-8 override: " : "", credit_reason);
	Aedesk__JobHistoryEntry h = AEDESK__JOB_HISTORY_ENTRY__INIT, *hp = &h;
	h.at_ms = r->now_ms;
	h.actor = (char *)r->caller->id;
	h.what = "opened";
	h.detail = detail;
	Aedesk__JobBrief brief = *q->brief;
	Aedesk__Job j = AEDESK__JOB__INIT;
	j.id = id;
	j.client_id = c->id;
	j.client_name = c->name;
	j.title = q->title;
	j.kind = q->kind;
	j.owner = (char *)owner;
	j.stage = AEDESK__JOB_STAGE__JOB_STAGE_FORECAST;
	j.due_ms = q->due_ms;
	j.n_stages = nplan;
	j.stages = planp;
	j.brief = &brief;
	j.n_history = 1;
	j.history = &hp;
	j.lead_override_by = (char *)lead_by;
	j.lead_override_reason = (char *)lead_reason;
	j.credit_override_by = (char *)credit_by;
	j.credit_override_reason = (char *)credit_reason;
	j.created_ms = r->now_ms;
	j.created_by = (char *)r->caller->id;
	if (jobs_save(r, &j))
		return -1;
	char am[64];
	jobs_manager_of(r->txn, owner, am, sizeof am);
	Aedesk__JobOpened ev = AEDESK__JOB_OPENED__INIT;
	ev.job_id = id;
	ev.client_id = c->id;
	ev.owner = (char *)owner;
	ev.am = am;
	ev.title = q->title;
	ev.kind = q->kind;
	ev.due_ms = q->due_ms;
	ev.n_stages = nplan;
	ev.stages = planp;
	ev.lead_override_by = (char *)lead_by;
	ev.lead_override_reason = (char *)lead_reason;
	ev.credit_override_by = (char *)credit_by;
	ev.credit_override_reason = (char *)credit_reason;
	if (svc_emit(r, &ev.base))
		return -1;
	return jobs_reply(r, &j);
}

int jobs_open(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobOpenRequest *q = (const Aedesk__JobOpenRequest *)in;
	if (perm_check(r, PERM_JOB_DRIVE, NULL))
		return -1;
	/* an override asked for by someone who may not give one is refused before anything else */
	if ((q->lead_override_reason[0] || q->credit_override_reason[0]) && perm_check(r, PERM_JOB_OVERRIDE, NULL))
		return -1;
	Aedesk__Client *c;
	if (!q->client_id[0] || jobs_client_get(r->txn, q->client_id, &c) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	int rc = open_job(r, q, c);
	wire_free(&c->base);
	return rc;
}

int jobs_reply(svc_req *r, const Aedesk__Job *j)
{
	const char *missing[8];
	size_t nmissing = jobs_missing(j, missing, 8);
	Aedesk__Estimate **est = calloc(j->n_estimate_ids + 1, sizeof *est);
	Aedesk__PurchaseOrder **pos = calloc(j->n_po_ids + 1, sizeof *pos);
	Aedesk__Invoice **inv = calloc(j->n_invoice_ids + 1, sizeof *inv);
	Aedesk__Proof **prf = calloc(j->n_proof_ids + 1, sizeof *prf);
	Aedesk__Flight **fl = calloc(j->n_flight_ids + 1, sizeof *fl);
	size_t ne = 0, np = 0, ni = 0, nq = 0, nf = 0;
	int rc;
	if (!est || !pos || !inv || !prf || !fl) {
		rc = jobs_oom(r);
		goto out;
	}
	for (size_t i = 0; i < j->n_estimate_ids; i++)
		if (jobs_get_msg(r, jobs.estimates, j->estimate_ids[i], &aedesk__estimate__descriptor,
			(ProtobufCMessage **)&est[ne]) == 0)
			ne++;
	for (size_t i = 0; i < j->n_po_ids; i++)
		if (jobs_get_msg(r, jobs.pos, j->po_ids[i], &aedesk__purchase_order__descriptor,
			(ProtobufCMessage **)&pos[np]) == 0)
			np++;
	for (size_t i = 0; i < j->n_invoice_ids; i++)
		if (jobs_get_msg(r, jobs.invoices, j->invoice_ids[i], &aedesk__invoice__descriptor,
			(ProtobufCMessage **)&inv[ni]) == 0)
			ni++;
	for (size_t i = 0; i < j->n_proof_ids; i++)
		if (jobs_get_msg(r, jobs.proofs, j->proof_ids[i], &aedesk__proof__descriptor,
			(ProtobufCMessage **)&prf[nq]) == 0)
			nq++;
	for (size_t i = 0; i < j->n_flight_ids; i++)
		if (jobs_get_msg(r, jobs.flights, j->flight_ids[i], &aedesk__flight__descriptor,
			(ProtobufCMessage **)&fl[nf]) == 0)
			nf++;
	Aedesk__JobReply rep = AEDESK__JOB_REPLY__INIT;
	rep.job = (Aedesk__Job *)j;
	rep.n_missing = nmissing;
	rep.missing = (char **)missing;
	rep.n_estimates = ne;
	rep.estimates = est;
	rep.n_pos = np;
	rep.pos = pos;
	rep.n_invoices = ni;
	rep.invoices = inv;
	rep.n_proofs = nq;
	rep.proofs = prf;
	rep.n_flights = nf;
	rep.flights = fl;
	rc = svc_reply(r, &rep.base);
out:
	for (size_t i = 0; i < ne; i++)
		wire_free(&est[i]->base);
	for (size_t i = 0; i < np; i++)
		wire_free(&pos[i]->base);
	for (size_t i = 0; i < ni; i++)
		wire_free(&inv[i]->base);
	for (size_t i = 0; i < nq; i++)
		wire_free(&prf[i]->base);
	for (size_t i = 0; i < nf; i++)
		wire_free(&fl[i]->base);
	free(prf);
	free(fl);
	free(est);
	free(pos);
	free(inv);
	return rc;
}

int jobs_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobGetRequest *q = (const Aedesk__JobGetRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = jobs_reply(r, j);
	wire_free(&j->base);
	return rc;
}

/* awaits_me: the job's current stage still needs a sign-off the caller can give. */
static int awaits_me(svc_req *r, const Aedesk__Job *j)
{
	static const struct {
		const char *slot;
		uint32_t roles;
	} who[] = {{"ad", ROLE_AD}, {"cd", ROLE_CD}, {"am", ROLE_AM | ROLE_AD}, {"ae", ROLE_AE},
	    {"production", ROLE_PRODUCTION}};
	const char *missing[8];
	size_t n = jobs_missing(j, missing, 8);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof who / sizeof who[0]; k++)
			if (strcmp(missing[i], who[k].slot) == 0 && svc_has_role(r, who[k].roles))
				return 1;
	return 0;
}

int jobs_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobListRequest *q = (const Aedesk__JobListRequest *)in;
	Aedesk__Job **list = calloc(JOBS_LIST_MAX + 1, sizeof *list);
	if (!list)
		return jobs_oom(r);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, jobs.jobs, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "jobs");
	}
	size_t n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < JOBS_LIST_MAX;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Job *j = (Aedesk__Job *)wire_unpack(&aedesk__job__descriptor, v.mv_data, v.mv_size, NULL);
		if (!j)
			continue;
		Aedesk__JobStageDue *d = jobs_stage_due(j, j->stage);
		int keep = jobs_visible(r, j) && (!q->client_id[0] || strcmp(j->client_id, q->client_id) == 0) &&
		    (!q->stage || j->stage == q->stage) &&
		    (!q->late || (j->stage != AEDESK__JOB_STAGE__JOB_STAGE_CLOSED && d && d->due_ms < r->now_ms)) &&
		    (!q->mine || strcmp(j->owner, r->caller->id) == 0 || awaits_me(r, j));
		if (keep)
			list[n++] = j;
		else
			wire_free(&j->base);
	}
	mdb_cursor_close(cur);
	/* A list carries neither briefs nor histories: `job show` has them. */
	Aedesk__JobBrief **briefs = calloc(n + 1, sizeof *briefs);
	size_t *nhist = calloc(n + 1, sizeof *nhist);
	if (!briefs || !nhist)
		rc = jobs_oom(r);
	else {
		for (size_t i = 0; i < n; i++) {
			briefs[i] = list[i]->brief;
			nhist[i] = list[i]->n_history;
			list[i]->brief = NULL;
			list[i]->n_history = 0;
		}
		Aedesk__JobListReply rep = AEDESK__JOB_LIST_REPLY__INIT;
		rep.n_jobs = n;
		rep.jobs = list;
		rc = svc_reply(r, &rep.base);
		for (size_t i = 0; i < n; i++) {
			list[i]->brief = briefs[i];
			list[i]->n_history = nhist[i];
		}
	}
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	free(briefs);
	free(nhist);
	return rc;
}

/* ---- strategy sheets (R-JOB-2) ---- */

static void strategy_key(const char *client, const char *brand, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", client, brand);
}

int jobs_has_strategy(MDB_txn *txn, const char *client_id, const char *brand)
{
	char key[320];
	strategy_key(client_id, brand, key, sizeof key);
	if (store_exists(txn, jobs.strategies, key, strlen(key)))
		return 1;
	strategy_key(client_id, "", key, sizeof key);
	return store_exists(txn, jobs.strategies, key, strlen(key));
}

int jobs_strategy_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__StrategySetRequest *q = (const Aedesk__StrategySetRequest *)in;
	if (perm_check(r, PERM_JOB_DRIVE, NULL))
		return -1;
	if (!q->client_id[0] || !store_exists(r->txn, jobs.clients, q->client_id, strlen(q->client_id)) ||
	    !jobs_client_allows(r, PERM_JOB_DRIVE, q->client_id, NULL))
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	if (q->brand[0] && validate_name(q->brand, 200, NULL))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "品牌名称无效", "the brand is not valid");
	if (jobs_blank(q->text) || strlen(q->text) > JOBS_STRATEGY_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "策略单不能为空，且不超过 %d 字节",
		    "a strategy sheet must not be empty and at most %d bytes", JOBS_STRATEGY_MAX);
	char key[320];
	strategy_key(q->client_id, q->brand, key, sizeof key);
	Aedesk__JobStrategy s = AEDESK__JOB_STRATEGY__INIT;
	s.client_id = q->client_id;
	s.brand = q->brand;
	s.text = q->text;
	s.set_by = (char *)r->caller->id;
	s.set_ms = r->now_ms;
	if (jobs_put_msg(r, jobs.strategies, key, &s.base))
		return -1;
	Aedesk__StrategySet ev = AEDESK__STRATEGY_SET__INIT;
	ev.strategy = &s;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__StrategyReply rep = AEDESK__STRATEGY_REPLY__INIT;
	rep.strategy = &s;
	return svc_reply(r, &rep.base);
}

int jobs_strategy_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__StrategyGetRequest *q = (const Aedesk__StrategyGetRequest *)in;
	if (!q->client_id[0] || !jobs_client_allows(r, PERM_JOB_READ, q->client_id, NULL))
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	char key[320];
	strategy_key(q->client_id, q->brand, key, sizeof key);
	Aedesk__JobStrategy *s;
	if (jobs_get_msg(r, jobs.strategies, key, &aedesk__job_strategy__descriptor, (ProtobufCMessage **)&s))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "客户 %s%s%s 没有策略单", "client %s%s%s has no strategy sheet",
		    q->client_id, q->brand[0] ? "/" : "", q->brand);
	Aedesk__StrategyReply rep = AEDESK__STRATEGY_REPLY__INIT;
	rep.strategy = s;
	int rc = svc_reply(r, &rep.base);
	wire_free(&s->base);
	return rc;
}
