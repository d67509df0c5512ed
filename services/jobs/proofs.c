/*
 * NAME
 *	proofs.c - proofs (打样 / 校样) as records, and their four sign-offs
 *
 * DESCRIPTION
 *	The handbook's 制作 step: production checks the film proof (检查菲林打样质量);
 *	the AE, creative and production give it their final confirmation and sign
 *	(针对菲林打样进行最终的确认并签字); the AE has the client confirm and sign it
 *	(请客户确认菲林打样并签字); it is archived. So a proof is a record of its own,
 *	added to a job in the execution or production stage (by production or the AE),
 *	signed once in each of four roles: ae, cd, production, client (the client's
 *	sign-off recorded by the AE serving the client, with the client's name). A new
 *	proof (a corrected one) starts unsigned. The production stage's sign-offs need one
 *	proof of the job signed in all four roles (jobs_proof_complete, from stages.c).
 *
 *	Events: ProofAdded, ProofSigned (complete = all four have signed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "wire.h"

static const struct {
	const char *role, *zh;
	uint32_t roles;
} proof_roles[] = {
	{"ae", "客户主任", ROLE_AE},
	{"cd", "创意总监", ROLE_CD},
	{"production", "制作部", ROLE_PRODUCTION},
	{"client", "客户", ROLE_AE | ROLE_AM | ROLE_AD},
};
#define NROLES (sizeof proof_roles / sizeof proof_roles[0])

static const Aedesk__JobSignoff *proof_signoff(const Aedesk__Proof *p, const char *role)
{
	for (size_t i = 0; i < p->n_signoffs; i++)
		if (strcmp(p->signoffs[i]->role, role) == 0)
			return p->signoffs[i];
	return NULL;
}

/* proof_missing: the roles still to sign p, into names[]; their "、"/", " list into buf. */
static size_t proof_missing(svc_req *r, const Aedesk__Proof *p, const char **names, char *buf, size_t len)
{
	size_t n = 0, o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < NROLES; i++)
		if (!proof_signoff(p, proof_roles[i].role)) {
			names[n++] = proof_roles[i].role;
			if (o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? (jobs_en(r) ? ", " : "、") : "",
				    proof_roles[i].role);
		}
	return n;
}

static int proof_reply(svc_req *r, Aedesk__Proof *p)
{
	const char *missing[NROLES];
	char buf[64];
	Aedesk__ProofReply rep = AEDESK__PROOF_REPLY__INIT;
	rep.proof = p;
	rep.n_missing = proof_missing(r, p, missing, buf, sizeof buf);
	rep.missing = (char **)missing;
	return svc_reply(r, &rep.base);
}

int jobs_proof_complete(svc_req *r, const Aedesk__Job *j)
{
	char best[64] = "", buf[64], id[16] = "";
	size_t least = NROLES + 1;
	for (size_t i = 0; i < j->n_proof_ids; i++) {
		Aedesk__Proof *p;
		const char *names[NROLES];
		if (jobs_get_msg(r, jobs.proofs, j->proof_ids[i], &aedesk__proof__descriptor, (ProtobufCMessage **)&p))
			continue;
		size_t n = proof_missing(r, p, names, buf, sizeof buf);
		if (n < least) {
			least = n;
			snprintf(best, sizeof best, "%s", buf);
			snprintf(id, sizeof id, "%s", p->id);
		}
		wire_free(&p->base);
		if (!n)
			return 0;
	}
	if (!id[0])
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "制作阶段的签字须先有一份 AE、创意总监、制作部和客户都签了字的打样：工作单 %s 还没有打样（aedesk proof add %s --note ...）",
		    "the production stage is signed on a proof signed by the AE, CD, production and the client: job %s "
		    "has no proof yet (aedesk proof add %s --note ...)", j->id, j->id);
	return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
	    "制作阶段的签字须先有一份四方签齐的打样：打样 %s 还缺 %s 签字（aedesk proof sign %s）",
	    "the production stage is signed on a fully signed proof: proof %s still lacks %s (aedesk proof sign %s)",
	    id, best, id);
}

static int proof_add(svc_req *r, Aedesk__Job *j, const Aedesk__ProofAddRequest *q)
{
	if (!perm_allows(r, PERM_ESTIMATE_PREPARE, NULL) && !jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "打样由制作部或服务该客户的 AE 登记",
		    "a proof is recorded by production or the AE serving the client");
	if (j->stage != AEDESK__JOB_STAGE__JOB_STAGE_EXECUTION && j->stage != AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-6：打样属于创意执行或制作阶段；工作单 %s 在%s阶段",
		    "R-JOB-6: proofs belong to the execution and production stages; job %s is in the %s stage", j->id,
		    jobs_en(r) ? jobs_stage_name(j->stage) : jobs_stage_zh(j->stage));
	if (!jobs_text_ok(q->note, JOBS_TEXT_MAX))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请说明这份打样（--note，不超过 %d 字节）",
		    "say what the proof is (--note, at most %d bytes)", JOBS_TEXT_MAX);
	char id[16];
	if (jobs_next_id(r, "proof", 'S', id, sizeof id))
		return -1;
	Aedesk__Proof p = AEDESK__PROOF__INIT;
	p.id = id;
	p.job_id = j->id;
	p.job_number = j->number;
	p.client_id = j->client_id;
	p.note = q->note;
	p.added_by = (char *)r->caller->id;
	p.added_ms = r->now_ms;
	if (jobs_push_str(&j->proof_ids, &j->n_proof_ids, id) || jobs_history(j, r, "proof", "%s added", id))
		return jobs_oom(r);
	Aedesk__ProofAdded ev = AEDESK__PROOF_ADDED__INIT;
	ev.proof = &p;
	if (jobs_put_msg(r, jobs.proofs, id, &p.base) || jobs_save(r, j) || svc_emit(r, &ev.base))
		return -1;
	return proof_reply(r, &p);
}

int jobs_proof_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProofAddRequest *q = (const Aedesk__ProofAddRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = proof_add(r, j, q);
	wire_free(&j->base);
	return rc;
}

/* pick_role: the role the caller signs p in (index into proof_roles), or fails r. */
static int pick_role(svc_req *r, const Aedesk__Job *j, const Aedesk__Proof *p, const Aedesk__ProofSignRequest *q)
{
	if (q->client_name[0]) {
		if (q->role[0] && strcmp(q->role, "client") != 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "给出客户姓名即为客户签字，不能同时以“%s”签字", "a client's name makes it the client's "
			    "sign-off; it cannot also be signed as '%s'", q->role);
		if (jobs_blank(q->client_name) || strlen(q->client_name) > 200)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户签字人姓名无效",
			    "the client signer's name is not valid");
		if (!jobs_may_drive(r, j))
			return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
			    "R-JOB-5：客户在打样上的签字由服务该客户的 AE（或其 AM、客户总监）登记",
			    "R-JOB-5: the client's sign-off of a proof is recorded by the AE serving the client "
			    "(or their AM, an AD)");
		return (int)NROLES - 1;
	}
	int pick = -1, count = 0;
	for (size_t i = 0; i + 1 < NROLES; i++) {
		int fits = q->role[0] ? strcmp(q->role, proof_roles[i].role) == 0 : svc_has_role(r, proof_roles[i].roles);
		if (fits && (q->role[0] || !proof_signoff(p, proof_roles[i].role))) {
			count++;
			if (pick < 0)
				pick = (int)i;
		}
	}
	if (q->role[0] && strcmp(q->role, "client") == 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户签字须给出客户签字人姓名（--client 姓名）",
		    "a client sign-off needs the client signer's name (--client NAME)");
	if (q->role[0] && pick < 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "打样由 ae、cd、production、client 签字，没有“%s”",
		    "a proof is signed by ae, cd, production and client, not '%s'", q->role);
	if (count > 1)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "您可以多个角色签此打样：请用 --as 指明",
		    "you hold several roles that sign this proof: say which with --as");
	if (pick < 0) {
		for (size_t i = 0; i + 1 < NROLES; i++)
			if (svc_has_role(r, proof_roles[i].roles))
				return (int)i; /* already signed in that role: said by the caller */
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "R-JOB-5：打样由 AE、创意总监、制作部和客户签字，您的角色不在其中",
		    "R-JOB-5: a proof is signed by the AE, the CD, production and the client; your role is none of them");
	}
	if (!svc_has_role(r, proof_roles[pick].roles))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "R-JOB-5：只有%s能以 %s 签字",
		    "R-JOB-5: only %s may sign as %s", jobs_en(r) ? proof_roles[pick].role : proof_roles[pick].zh,
		    proof_roles[pick].role);
	return pick;
}

static int proof_sign(svc_req *r, Aedesk__Proof *p, const Aedesk__ProofSignRequest *q)
{
	Aedesk__Job *j;
	if (jobs_load(r, p->job_id, &j))
		return -1;
	int rc = -1, role;
	if (j->stage != AEDESK__JOB_STAGE__JOB_STAGE_EXECUTION && j->stage != AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION) {
		svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 在%s阶段，打样已不能再签",
		    "job %s is in the %s stage; its proofs are no longer signed", j->id,
		    jobs_en(r) ? jobs_stage_name(j->stage) : jobs_stage_zh(j->stage));
		goto out;
	}
	if ((role = pick_role(r, j, p, q)) < 0)
		goto out;
	const Aedesk__JobSignoff *prev = proof_signoff(p, proof_roles[role].role);
	if (prev) {
		svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "打样 %s 的 %s 签字已由 %s 完成",
		    "proof %s's %s sign-off was already given by %s", p->id, proof_roles[role].role, prev->staff_id);
		goto out;
	}
	Aedesk__JobSignoff **a = realloc(p->signoffs, (p->n_signoffs + 1) * sizeof *a);
	Aedesk__JobSignoff *so = a ? malloc(sizeof *so) : NULL;
	if (a)
		p->signoffs = a;
	if (!so) {
		jobs_oom(r);
		goto out;
	}
	aedesk__job_signoff__init(so);
	a[p->n_signoffs++] = so;
	so->stage = j->stage;
	so->at_ms = r->now_ms;
	const char *client = role == (int)NROLES - 1 ? q->client_name : "";
	if (jobs_set_str(&so->role, proof_roles[role].role) || jobs_set_str(&so->staff_id, r->caller->id) ||
	    jobs_set_str(&so->client_name, client) ||
	    jobs_history(j, r, "proof", "%s signed %s%s%s", p->id, proof_roles[role].role, client[0] ? " " : "", client)) {
		jobs_oom(r);
		goto out;
	}
	const char *names[NROLES];
	char buf[64];
	Aedesk__ProofSigned ev = AEDESK__PROOF_SIGNED__INIT;
	ev.proof_id = p->id;
	ev.job_id = j->id;
	ev.client_id = j->client_id;
	ev.signoff = so;
	ev.complete = proof_missing(r, p, names, buf, sizeof buf) == 0;
	if (jobs_put_msg(r, jobs.proofs, p->id, &p->base) || jobs_save(r, j) || svc_emit(r, &ev.base))
		goto out;
	rc = proof_reply(r, p);
out:
	wire_free(&j->base);
	return rc;
}

int jobs_proof_sign(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProofSignRequest *q = (const Aedesk__ProofSignRequest *)in;
	if (perm_check(r, PERM_JOB_SIGN, NULL))
		return -1;
	Aedesk__Proof *p;
	if (!q->id[0] || jobs_get_msg(r, jobs.proofs, q->id, &aedesk__proof__descriptor, (ProtobufCMessage **)&p))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有打样“%s”", "no proof '%s'", q->id);
	int rc = proof_sign(r, p, q);
	wire_free(&p->base);
	return rc;
}
