/*
 * NAME
 *	stages.c - a job's stages, sign-offs, revision cards and closing
 *
 * DESCRIPTION
 *	The stage table below is DOMAIN.md's: who must sign each stage before it may be
 *	left. A sign-off slot is filled by one person holding one of the slot's roles
 *	(R-JOB-5: the record keeps who, the role, when); "am" is AM or above, as the
 *	handbook says ("客户部经理及以上的人员签收"); a "client" sign-off is recorded by
 *	the AE (or AM/AD) serving the client, with the client's name.
 *
 *	advance moves to the next stage only (R-JOB-6): every slot of the current stage
 *	signed, plus brief → sketch needs a strategy sheet (R-JOB-2) and estimate → final
 *	art a confirmed estimate (R-JOB-7). The estimate stage's slots are filled by the
 *	estimate itself (estimates.c: AD signs it, the client confirms it). Only finance
 *	closes a job (结束卡号), after production is signed and every PO is confirmed by
 *	the CD. A revision card (修改卡) in the sketch or final art stage re-briefs
 *	creative: the stage's sign-offs are cleared (kept in the history) and must be
 *	given again.
 *
 *	When AD and CD have both signed the brief the job number is issued:
 *	<client id>-<year>-<nnn>, the sequence per client and year from jobs_meta, never
 *	reused.
 *
 *	Two sign-offs rest on other records: the sketch's client sign-off is the proposal,
 *	refused until image, model and music rights are cleared or n/a (R-JOB-9, rights.c);
 *	the production stage's sign-offs need a proof signed by AE, CD, production and the
 *	client (proofs.c).
 *
 *	Events: JobSigned, JobNumberIssued, JobStageEntered, JobRevised, JobClosed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "jobs.h"
#include "wire.h"

enum slot { SLOT_AD, SLOT_CD, SLOT_AM, SLOT_AE, SLOT_PRODUCTION, SLOT_CLIENT, SLOT__COUNT };

static const struct {
	const char *name, *zh;
	uint32_t roles;         /* who may fill the slot */
} slots[SLOT__COUNT] = {
	[SLOT_AD] = {"ad", "客户总监", ROLE_AD},
	[SLOT_CD] = {"cd", "创意总监", ROLE_CD},
	[SLOT_AM] = {"am", "客户经理或以上", ROLE_AM | ROLE_AD},
	[SLOT_AE] = {"ae", "客户主任", ROLE_AE},
	[SLOT_PRODUCTION] = {"production", "制作部", ROLE_PRODUCTION},
	[SLOT_CLIENT] = {"client", "客户", ROLE_AE | ROLE_AM | ROLE_AD},
};

#define B(s) (1u << (s))

static const struct {
	const char *name, *zh;
	unsigned need;          /* slots that must be signed before the stage is left */
	int plan;               /* share of the time to the job's due, cumulative, per mille */
} stages[] = {
	[AEDESK__JOB_STAGE__JOB_STAGE_NONE] = {"none", "无", 0, 0},
	[AEDESK__JOB_STAGE__JOB_STAGE_FORECAST] = {"forecast", "预报", B(SLOT_CD), 50},
	[AEDESK__JOB_STAGE__JOB_STAGE_BRIEF] = {"brief", "简报", B(SLOT_AD) | B(SLOT_CD), 150},
	[AEDESK__JOB_STAGE__JOB_STAGE_SKETCH] = {"sketch", "草图", B(SLOT_CD) | B(SLOT_AM) | B(SLOT_CLIENT), 400},
	[AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE] = {"estimate", "估价单", B(SLOT_AD) | B(SLOT_CLIENT), 500},
	[AEDESK__JOB_STAGE__JOB_STAGE_FINAL_ART] = {"final_art", "完稿", B(SLOT_CD) | B(SLOT_AE) | B(SLOT_CLIENT), 700},
	[AEDESK__JOB_STAGE__JOB_STAGE_EXECUTION] = {"execution", "创意执行", B(SLOT_PRODUCTION), 850},
	[AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION] = {"production", "制作",
	    B(SLOT_AE) | B(SLOT_CD) | B(SLOT_PRODUCTION) | B(SLOT_CLIENT), 1000},
	[AEDESK__JOB_STAGE__JOB_STAGE_CLOSED] = {"closed", "结束", 0, 1000},
};
#define NSTAGES ((int)(sizeof stages / sizeof stages[0]))

static int stage_ok(int st) { return st > 0 && st < NSTAGES; }

const char *jobs_stage_name(Aedesk__JobStage st) { return stage_ok((int)st) ? stages[st].name : "none"; }
const char *jobs_stage_zh(Aedesk__JobStage st) { return stage_ok((int)st) ? stages[st].zh : "无"; }

static const char *stage_label(svc_req *r, Aedesk__JobStage st)
{
	return jobs_en(r) ? jobs_stage_name(st) : jobs_stage_zh(st);
}

static int slot_by_name(const char *name)
{
	for (int i = 0; i < SLOT__COUNT; i++)
		if (strcmp(slots[i].name, name) == 0)
			return i;
	return -1;
}

/* signed_slots: the slots of the job's current stage that hold a sign-off. */
static unsigned signed_slots(const Aedesk__Job *j)
{
	unsigned done = 0;
	for (size_t i = 0; i < j->n_signoffs; i++) {
		int s = slot_by_name(j->signoffs[i]->role);
		if (j->signoffs[i]->stage == j->stage && s >= 0)
			done |= B(s);
	}
	return done;
}

static const Aedesk__JobSignoff *find_signoff(const Aedesk__Job *j, const char *role)
{
	for (size_t i = 0; i < j->n_signoffs; i++)
		if (j->signoffs[i]->stage == j->stage && strcmp(j->signoffs[i]->role, role) == 0)
			return j->signoffs[i];
	return NULL;
}

size_t jobs_missing(const Aedesk__Job *j, const char **names, size_t max)
{
	if (!stage_ok((int)j->stage))
		return 0;
	unsigned missing_slots = stages[j->stage].need & ~signed_slots(j);
	size_t n = 0;
	for (int s = 0; s < SLOT__COUNT && n < max; s++)
		if (missing_slots & B(s))
			names[n++] = slots[s].name;
	return n;
}

/* slot_list writes "cd、am、client" (or with ", ") for the slots in mask. */
static void slot_list(svc_req *r, unsigned mask, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (int s = 0; s < SLOT__COUNT && o < len; s++)
		if (mask & B(s))
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? (jobs_en(r) ? ", " : "、") : "",
			    slots[s].name);
}

Aedesk__JobStageDue *jobs_stage_due(const Aedesk__Job *j, Aedesk__JobStage st)
{
	for (size_t i = 0; i < j->n_stages; i++)
		if (j->stages[i]->stage == st)
			return j->stages[i];
	return NULL;
}

int jobs_plan_stages(int64_t now_ms, int64_t due_ms, Aedesk__JobStageDue *out, size_t n)
{
	/* Each stage gets its share of the time left, rounded to the end of a local day
	 * and never past the job's due; `job advance --due` changes one. */
	size_t k = 0;
	int64_t span = due_ms > now_ms ? due_ms - now_ms : 0;
	for (int st = AEDESK__JOB_STAGE__JOB_STAGE_FORECAST; st < NSTAGES && k < n; st++, k++) {
		aedesk__job_stage_due__init(&out[k]);
		out[k].stage = (Aedesk__JobStage)st;
		int64_t d = jobs_end_of_day(now_ms + span / 1000 * stages[st].plan);
		out[k].due_ms = d < due_ms ? d : due_ms;
	}
	return (int)k;
}

int jobs_add_signoff(svc_req *r, Aedesk__Job *j, const char *role, const char *client_name)
{
	Aedesk__JobSignoff **a = realloc(j->signoffs, (j->n_signoffs + 1) * sizeof *a);
	if (!a)
		return jobs_oom(r);
	j->signoffs = a;
	Aedesk__JobSignoff *so = malloc(sizeof *so);
	if (!so)
		return jobs_oom(r);
	aedesk__job_signoff__init(so);
	a[j->n_signoffs++] = so;
	so->stage = j->stage;
	so->at_ms = r->now_ms;
	if (jobs_set_str(&so->role, role) || jobs_set_str(&so->staff_id, r->caller->id) ||
	    jobs_set_str(&so->client_name, client_name))
		return jobs_oom(r);
	if (jobs_history(j, r, "signed", "%s %s%s%s", jobs_stage_name(j->stage), role,
		client_name[0] ? " " : "", client_name))
		return jobs_oom(r);
	Aedesk__JobSigned ev = AEDESK__JOB_SIGNED__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	ev.signoff = so;
	return svc_emit(r, &ev.base);
}

/* issue_number gives the job its number once AD and CD have signed the brief. */
static int issue_number(svc_req *r, Aedesk__Job *j)
{
	char year[8], counter[64], number[64];
	jobs_format_day(r->now_ms, year, sizeof year); /* "YYYY-" then cut */
	year[4] = 0;
	snprintf(counter, sizeof counter, "no/%s/%s", j->client_id, year);
	uint64_t n = store_get_u64(r->txn, jobs.meta, counter, 0) + 1;
	snprintf(number, sizeof number, "%s-%s-%03llu", j->client_id, year, (unsigned long long)n);
	MDB_val k = {strlen(number), number}, v = {strlen(j->id), j->id};
	int rc;
	if ((rc = store_put_u64(r->txn, jobs.meta, counter, n)) != 0 ||
	    (rc = mdb_put(r->txn, jobs.job_number, &k, &v, MDB_NOOVERWRITE)) != 0)
		return svc_db_error(r, rc, "job_number");
	if (jobs_set_str(&j->number, number) || jobs_history(j, r, "number", "%s", number))
		return jobs_oom(r);
	Aedesk__JobNumberIssued ev = AEDESK__JOB_NUMBER_ISSUED__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	return svc_emit(r, &ev.base);
}

int jobs_may_drive(svc_req *r, const Aedesk__Job *j)
{
	return jobs_client_allows(r, PERM_JOB_DRIVE, j->client_id, j->owner);
}

static int sign_job(svc_req *r, Aedesk__Job *j, const Aedesk__JobSignRequest *q)
{
	Aedesk__JobStage st = j->stage;
	char need[128];
	slot_list(r, stages[st].need, need, sizeof need);
	/* job.sign says who may sign at all and on which jobs; the stage's slots (R-JOB-5,
	 * the table above) say in which role each signature is given. */
	if (!jobs_client_allows(r, PERM_JOB_SIGN, j->client_id, j->owner))
		return perm_deny(r, PERM_JOB_SIGN);
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 已结束，无需签字",
		    "job %s is closed: nothing to sign", j->id);
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-5：估价单阶段在估价单上签字：客户总监用 aedesk estimate sign，客户确认用 aedesk estimate confirm",
		    "R-JOB-5: the estimate stage is signed on the estimate: the AD with aedesk estimate sign, "
		    "the client's confirmation with aedesk estimate confirm");
	int slot = -1;
	if (q->client_name[0]) {
		if (q->role[0] && strcmp(q->role, "client") != 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "给出客户姓名即为客户签字，不能同时以“%s”签字", "a client's name makes it the client's "
			    "sign-off; it cannot also be signed as '%s'", q->role);
		if (jobs_blank(q->client_name))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户签字人姓名无效",
			    "the client signer's name is not valid");
		slot = SLOT_CLIENT;
	} else if (q->role[0]) {
		if ((slot = slot_by_name(q->role)) < 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "未知签字角色“%s”（可用 ad、cd、am、ae、production、client）",
			    "unknown sign-off role '%s' (ad, cd, am, ae, production, client)", q->role);
		if (slot == SLOT_CLIENT)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户签字须给出客户签字人姓名（--client 姓名）",
			    "a client sign-off needs the client signer's name (--client NAME)");
	}
	if (slot >= 0 && !(stages[st].need & B(slot)))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "R-JOB-5：%s阶段由 %s 签字，不需要 %s 签字", "R-JOB-5: the %s stage is signed by %s, not by %s",
		    stage_label(r, st), need, slots[slot].name);
	if (slot < 0) {
		unsigned mine = 0, done = signed_slots(j);
		for (int s = 0; s < SLOT__COUNT; s++)
			if (s != SLOT_CLIENT && (stages[st].need & B(s)) && svc_has_role(r, slots[s].roles))
				mine |= B(s);
		if (!mine)
			return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
			    "R-JOB-5：%s阶段须由 %s 签字，您的角色不在其中", "R-JOB-5: the %s stage is signed by %s; "
			    "your role is not one of them", stage_label(r, st), need);
		unsigned open = mine & ~done;
		if (!open)
			open = mine; /* all signed already: say so below */
		int count = 0;
		for (int s = 0; s < SLOT__COUNT; s++)
			if (open & B(s)) {
				count++;
				if (slot < 0)
					slot = s;
			}
		if (count > 1) {
			char which[128];
			slot_list(r, open, which, sizeof which);
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "您可以多个角色（%s）签此阶段：请用 --as 指明", "you hold several roles this stage needs "
			    "(%s): say which with --as", which);
		}
	}
	if (!svc_has_role(r, slots[slot].roles))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "R-JOB-5：只有%s能以 %s 签字",
		    "R-JOB-5: only %s may sign as %s", jobs_en(r) ? slots[slot].name : slots[slot].zh,
		    slots[slot].name);
	if (slot == SLOT_CLIENT && !jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "R-JOB-5：客户签字由服务该客户的 AE（或其 AM、AD）登记",
		    "R-JOB-5: a client's sign-off is recorded by the AE serving the client (or their AM, an AD)");
	/* R-JOB-9: the client's sign-off of the sketch is the proposal: rights first. */
	char rights[64];
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_SKETCH && slot == SLOT_CLIENT &&
	    jobs_rights_missing(r, j, rights, sizeof rights))
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-9：提案给客户前须确认图片、模特、音乐版权已清（或不涉及）；尚未确认：%s"
		    "（aedesk job rights %s --image cleared|n/a --model ... --music ...）",
		    "R-JOB-9: before a proposal goes to the client, image, model and music rights are confirmed "
		    "cleared (or n/a); not yet: %s (aedesk job rights %s --image cleared|n/a --model ... --music ...)",
		    rights, j->id);
	/* 制作: the AE, creative, production and the client sign the proof, so the stage's
	 * sign-offs rest on a proof all four have signed (proofs.c). */
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION && jobs_proof_complete(r, j))
		return -1;
	const Aedesk__JobSignoff *prev = find_signoff(j, slots[slot].name);
	if (prev)
		return svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "%s阶段的 %s 签字已由 %s 完成",
		    "the %s stage's %s sign-off was already given by %s", stage_label(r, st), slots[slot].name,
		    prev->staff_id);
	if (jobs_add_signoff(r, j, slots[slot].name, slot == SLOT_CLIENT ? q->client_name : ""))
		return -1;
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_BRIEF && !j->number[0] &&
	    (signed_slots(j) & (B(SLOT_AD) | B(SLOT_CD))) == (B(SLOT_AD) | B(SLOT_CD)) && issue_number(r, j))
		return -1;
	if (jobs_save(r, j))
		return -1;
	return jobs_reply(r, j);
}

int jobs_sign(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobSignRequest *q = (const Aedesk__JobSignRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = sign_job(r, j, q);
	wire_free(&j->base);
	return rc;
}

/* enter moves the job into stage `to` (the checks are done) and emits JobStageEntered. */
static int enter(svc_req *r, Aedesk__Job *j, Aedesk__JobStage to, int64_t due_ms)
{
	Aedesk__JobStage from = j->stage;
	Aedesk__JobStageDue *f = jobs_stage_due(j, from), *t = jobs_stage_due(j, to);
	if (f)
		f->left_ms = r->now_ms;
	if (t) {
		t->entered_ms = r->now_ms;
		if (due_ms)
			t->due_ms = due_ms;
	}
	j->stage = to;
	char day[16];
	jobs_format_day(t ? t->due_ms : j->due_ms, day, sizeof day);
	if (jobs_history(j, r, "entered", "%s -> %s, due %s", jobs_stage_name(from), jobs_stage_name(to), day))
		return jobs_oom(r);
	char am[64];
	jobs_manager_of(r->txn, j->owner, am, sizeof am);
	Aedesk__JobStageEntered ev = AEDESK__JOB_STAGE_ENTERED__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	ev.owner = j->owner;
	ev.am = am;
	ev.stage = to;
	ev.from = from;
	ev.due_ms = t ? t->due_ms : j->due_ms;
	ev.from_due_ms = f ? f->due_ms : 0;
	ev.entered_ms = r->now_ms;
	return svc_emit(r, &ev.base);
}

/* refuse_missing: R-JOB-6, the current stage still lacks sign-offs. */
static int refuse_missing(svc_req *r, const Aedesk__Job *j)
{
	char miss[128];
	slot_list(r, stages[j->stage].need & ~signed_slots(j), miss, sizeof miss);
	return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "R-JOB-6：%s阶段尚缺签字：%s",
	    "R-JOB-6: the %s stage still lacks sign-offs: %s", stage_label(r, j->stage), miss);
}

static int advance_job(svc_req *r, Aedesk__Job *j, const Aedesk__JobAdvanceRequest *q)
{
	Aedesk__JobStage st = j->stage, next = (Aedesk__JobStage)(st + 1);
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 已结束", "job %s is closed",
		    j->id);
	if (q->to && !stage_ok((int)q->to))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "未知阶段", "unknown stage");
	if (q->to && q->to <= st)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-6：工作单已在%s阶段，不能回到%s阶段（客户修改请用 aedesk job revise）",
		    "R-JOB-6: the job is in the %s stage and cannot go back to %s (client changes: aedesk job revise)",
		    stage_label(r, st), stage_label(r, q->to));
	if (q->to && q->to > next)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-6：不能跳过阶段：须先完成%s阶段，才能进入%s阶段", "R-JOB-6: no stage may be skipped: "
		    "the %s stage comes before %s", stage_label(r, next), stage_label(r, q->to));
	if (!jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "只有服务该客户的 AE、其 AM 或客户总监能推进工作单",
		    "only the AE serving the client, their AM or an AD may advance a job");
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "制作阶段之后由财务部结束卡号：aedesk job close", "after production, finance closes the job "
		    "number: aedesk job close");
	char est[32];
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE && jobs_confirmed_estimate(r, j, est, sizeof est) != 0)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-7：客户尚未确认估价单，不能开始完稿：先 estimate add / sign / send / confirm",
		    "R-JOB-7: the client has not confirmed an estimate; no work before the cost is agreed: "
		    "estimate add / sign / send / confirm first");
	if (stages[st].need & ~signed_slots(j))
		return refuse_missing(r, j);
	if (st == AEDESK__JOB_STAGE__JOB_STAGE_BRIEF && !jobs_has_strategy(r->txn, j->client_id, j->brief ? j->brief->brand : ""))
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-2：客户 %s%s%s 没有策略单，不能开始创意（草图）：aedesk strategy set %s --file 文件",
		    "R-JOB-2: client %s%s%s has no strategy sheet; creative (sketch) cannot start: "
		    "aedesk strategy set %s --file FILE", j->client_id, j->brief && j->brief->brand[0] ? "/" : "",
		    j->brief ? j->brief->brand : "", j->client_id);
	if (q->due_ms && (q->due_ms <= r->now_ms || q->due_ms > j->due_ms + 365 * JOBS_DAY_MS))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "新阶段的截止日期须在今天之后",
		    "the new stage's due date must be after today");
	if (enter(r, j, next, q->due_ms) || jobs_save(r, j))
		return -1;
	return jobs_reply(r, j);
}

int jobs_advance(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobAdvanceRequest *q = (const Aedesk__JobAdvanceRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = advance_job(r, j, q);
	wire_free(&j->base);
	return rc;
}

static int revise_job(svc_req *r, Aedesk__Job *j, const Aedesk__JobReviseRequest *q)
{
	Aedesk__JobStage st = j->stage;
	if (st != AEDESK__JOB_STAGE__JOB_STAGE_SKETCH && st != AEDESK__JOB_STAGE__JOB_STAGE_FINAL_ART)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "修改卡用于草图和完稿阶段；工作单 %s 在%s阶段", "revision cards belong to the sketch and final "
		    "art stages; job %s is in the %s stage", j->id, stage_label(r, st));
	if (!jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "修改卡由服务该客户的 AE（或其 AM、AD）填写",
		    "a revision card is filled in by the AE serving the client (or their AM, an AD)");
	if (jobs_blank(q->note) || strlen(q->note) > JOBS_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "必须填写修改内容（--note，不超过 %d 字节）",
		    "the change (--note, at most %d bytes) is required", JOBS_TEXT_MAX);
	Aedesk__JobRevision **a = realloc(j->revisions, (j->n_revisions + 1) * sizeof *a);
	if (!a)
		return jobs_oom(r);
	j->revisions = a;
	Aedesk__JobRevision *rv = malloc(sizeof *rv);
	if (!rv)
		return jobs_oom(r);
	aedesk__job_revision__init(rv);
	a[j->n_revisions++] = rv;
	rv->n = (uint32_t)j->n_revisions;
	rv->stage = st;
	rv->at_ms = r->now_ms;
	if (jobs_set_str(&rv->note, q->note) || jobs_set_str(&rv->by, r->caller->id))
		return jobs_oom(r);
	/* The card re-briefs creative: this stage's sign-offs no longer hold. */
	char cleared[128] = "";
	size_t keep = 0, o = 0;
	for (size_t i = 0; i < j->n_signoffs; i++) {
		Aedesk__JobSignoff *so = j->signoffs[i];
		if (so->stage == st) {
			o += (size_t)snprintf(cleared + o, o < sizeof cleared ? sizeof cleared - o : 0, "%s%s",
			    o ? "," : "", so->role);
			protobuf_c_message_free_unpacked(&so->base, NULL);
		} else
			j->signoffs[keep++] = so;
	}
	j->n_signoffs = keep;
	if (jobs_history(j, r, "revised", "#%u %s%s%s: %s", rv->n, jobs_stage_name(st),
		cleared[0] ? ", sign-offs cleared: " : "", cleared, q->note))
		return jobs_oom(r);
	Aedesk__JobRevised ev = AEDESK__JOB_REVISED__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	ev.owner = j->owner;
	ev.revision = rv;
	if (svc_emit(r, &ev.base) || jobs_save(r, j))
		return -1;
	return jobs_reply(r, j);
}

int jobs_revise(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobReviseRequest *q = (const Aedesk__JobReviseRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = revise_job(r, j, q);
	wire_free(&j->base);
	return rc;
}

static int close_job(svc_req *r, Aedesk__Job *j)
{
	if (perm_check(r, PERM_INVOICE_WRITE, NULL))
		return -1;
	if (j->stage == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 已结束", "job %s is closed already",
		    j->id);
	if (j->stage != AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-6：工作单在%s阶段，须先完成至制作阶段才能结束卡号", "R-JOB-6: the job is in the %s stage; "
		    "it must go through production before it is closed", stage_label(r, j->stage));
	if (stages[j->stage].need & ~signed_slots(j))
		return refuse_missing(r, j);
	for (size_t i = 0; i < j->n_po_ids; i++) {
		Aedesk__PurchaseOrder *po;
		if (jobs_get_msg(r, jobs.pos, j->po_ids[i], &aedesk__purchase_order__descriptor,
			(ProtobufCMessage **)&po) != 0)
			continue;
		int open = !po->confirmed_by[0];
		wire_free(&po->base);
		if (open)
			return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
			    "PO 单 %s 尚未经创意总监确认（aedesk po confirm %s）",
			    "PO %s is not confirmed by the CD yet (aedesk po confirm %s)", j->po_ids[i], j->po_ids[i]);
	}
	j->closed_ms = r->now_ms;
	if (enter(r, j, AEDESK__JOB_STAGE__JOB_STAGE_CLOSED, 0))
		return -1;
	Aedesk__JobClosed ev = AEDESK__JOB_CLOSED__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	ev.owner = j->owner;
	ev.closed_ms = r->now_ms;
	ev.due_ms = j->due_ms;
	if (svc_emit(r, &ev.base) || jobs_save(r, j))
		return -1;
	return jobs_reply(r, j);
}

int jobs_close(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobCloseRequest *q = (const Aedesk__JobCloseRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = close_job(r, j);
	wire_free(&j->base);
	return rc;
}
