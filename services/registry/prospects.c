/*
 * NAME
 *	prospects.c - the new-client pipeline (开发新客户)
 *
 * DESCRIPTION
 *	A prospect moves one stage at a time: target screened -> information gathered ->
 *	first call -> needs understood / visit planned -> proposal -> won (prospect win:
 *	it becomes a client, which keeps the link prospect_id, and the prospect keeps
 *	client_id) or lost (from any open stage, with the reason). A skipped stage is
 *	refused naming the stage that is missing; won and lost are final. Every step is
 *	kept in the prospect's own history (steps: who, when, from, to, why).
 *
 *	intent: a prospect whose intent is confirmed (确认有意向) is what the scheduler's
 *	R-PROSPECT-1 (three contacts a week) watches; it follows ProspectAdded and
 *	ProspectUpdated {change "intent"}.
 *
 *	Messages in: ProspectAddRequest, ProspectGetRequest, ProspectAdvanceRequest,
 *	ProspectLoseRequest, ProspectWinRequest, ProspectIntentRequest (ProspectReply);
 *	ProspectListRequest (ProspectListReply).
 *	Events out: ProspectAdded, ProspectAdvanced, ProspectLost, ProspectWon (+ the
 *	client's ClientAdded), ProspectUpdated.
 *	Tables: prospects (prospect id -> Prospect), reg_meta "prospect_seq".
 *
 * SECURITY
 *	Scope as for clients: an AE sees their own prospects, an AM those of their AEs,
 *	AD and admin all; others (creative, production, finance) none. Out of scope reads
 *	as not found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"
#include "wire.h"

#define PROSPECT_NAME_MAX 200
#define PROSPECT_TEXT_MAX 2000
#define PROSPECT_PAGE_MAX 1000
#define PROSPECT_STEPS_MAX 200

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

static const char *stage_name(const svc_req *r, int s)
{
	static const char *const zh[] = {"未定", "目标筛选", "资料收集", "初次拜访", "了解需求/约定面访", "提案", "签约",
	    "失败"};
	static const char *const enn[] = {"unset", "target screened", "information gathered", "first call",
	    "needs understood / visit planned", "proposal", "contract signed", "lost"};
	if (s < 0 || s > 7)
		s = 0;
	return en(r) ? enn[s] : zh[s];
}

static int prospect_visible(svc_req *r, const Aedesk__Prospect *p)
{
	return perm_allows(r, PERM_PROSPECT_READ, p->ae[0] ? p->ae : "-");
}

static int prospect_load(svc_req *r, const char *id, Aedesk__Prospect **out)
{
	Aedesk__Prospect *p;
	if (store_get_msg(r->txn, registry.prospects, id, strlen(id), &aedesk__prospect__descriptor,
		(ProtobufCMessage **)&p) == 0) {
		if (prospect_visible(r, p)) {
			*out = p;
			return 0;
		}
		wire_free(&p->base);
	}
	return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有潜在客户“%s”（或不在您的负责范围）",
	    "no prospect '%s' (or not one of yours)", id);
}

/* prospect_load_w: prospect_load for a change (prospect.write on the prospect's AE). */
static int prospect_load_w(svc_req *r, const char *id, Aedesk__Prospect **out)
{
	if (prospect_load(r, id, out))
		return -1;
	if (perm_check(r, PERM_PROSPECT_WRITE, (*out)->ae[0] ? (*out)->ae : "-")) {
		wire_free(&(*out)->base);
		return -1;
	}
	return 0;
}

static int check_text(svc_req *r, const char *s, const char *zh, const char *enf)
{
	if (strlen(s) > PROSPECT_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s过长：不超过 %d 字节", "%s is too long: at most %d bytes",
		    en(r) ? enf : zh, PROSPECT_TEXT_MAX);
	return 0;
}

/*
 * step records a move from the current stage to `to` (a history line, the stage,
 * updated_ms) and stores the prospect. p is unpacked: the longer step array and the
 * new step live in m, and step_undo puts p's own array back before p is freed.
 */
struct step_mem {
	Aedesk__ProspectStep **old;
	Aedesk__ProspectStep **arr;
	Aedesk__ProspectStep st;
};

static int step(svc_req *r, Aedesk__Prospect *p, struct step_mem *m, int to, const char *why)
{
	if (p->n_steps >= PROSPECT_STEPS_MAX)
		return svc_failf(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, "潜在客户 %s 的历史已满", "prospect %s has too many steps", p->id);
	m->arr = malloc((p->n_steps + 1) * sizeof *m->arr);
	if (!m->arr)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	if (p->n_steps)
		memcpy(m->arr, p->steps, p->n_steps * sizeof *m->arr);
	aedesk__prospect_step__init(&m->st);
	m->st.at_ms = r->now_ms;
	m->st.by = (char *)r->caller->id;
	m->st.from = p->stage;
	m->st.to = to;
	m->st.why = (char *)why;
	m->arr[p->n_steps] = &m->st;
	m->old = p->steps;
	p->steps = m->arr;
	p->n_steps++;
	p->stage = to;
	p->updated_ms = r->now_ms;
	int rc = store_put_msg(r->txn, registry.prospects, p->id, strlen(p->id), &p->base, 0);
	return rc ? svc_db_error(r, rc, "prospects") : 0;
}

static void step_undo(Aedesk__Prospect *p, struct step_mem *m)
{
	if (m->arr) {
		p->steps = m->old;
		p->n_steps--;
		free(m->arr);
		m->arr = NULL;
	}
}

static int reply(svc_req *r, Aedesk__Prospect *p, Aedesk__Client *c)
{
	Aedesk__ProspectReply rep = AEDESK__PROSPECT_REPLY__INIT;
	rep.prospect = p;
	rep.client = c;
	return svc_reply(r, &rep.base);
}

int registry_prospect_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectAddRequest *q = (const Aedesk__ProspectAddRequest *)in;
	if (perm_check(r, PERM_PROSPECT_WRITE, NULL))
		return -1;
	if (validate_name(q->name, PROSPECT_NAME_MAX, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en(r) ? "--name" : "名称（--name）",
		    en(r) ? "non-empty text of at most 200 bytes" : "须为非空文本，不超过 200 字节");
	if (q->intent != AEDESK__PROSPECT_INTENT__PROSPECT_INTENT_UNSPECIFIED &&
	    !protobuf_c_enum_descriptor_get_value(&aedesk__prospect_intent__descriptor, q->intent))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, "--intent",
		    en(r) ? "unknown or confirmed" : "须为 unknown 或 confirmed");
	if (q->industry[0] && validate_name(q->industry, 200, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en(r) ? "--industry" : "行业（--industry）",
		    en(r) ? "one line of at most 200 bytes" : "须为一行文字，不超过 200 字节");
	if (check_text(r, q->notes, "备注", "--notes"))
		return -1;
	const char *ae = q->ae[0] ? q->ae : perm_scope(r->caller->roles, PERM_PROSPECT_WRITE) == PERM_OWN ? r->caller->id : "";
	if (!ae[0])
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_REQUIRED, en(r) ? "--ae" : "负责 AE（--ae）");
	if (perm_check(r, PERM_PROSPECT_WRITE, ae))
		return -1;
	uint32_t roles = registry_staff_roles(r->txn, ae);
	if (!roles)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, ae);
	if (!(roles & ROLE_AE))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_NOT_AN_AE, ae);
	char id[24];
	if (registry_next_id(r, "prospect_seq", "P", id, sizeof id))
		return -1;
	Aedesk__Prospect p = AEDESK__PROSPECT__INIT;
	Aedesk__ProspectStep st = AEDESK__PROSPECT_STEP__INIT, *stp = &st;
	p.id = id;
	p.name = q->name;
	p.ae = (char *)ae;
	p.stage = AEDESK__PROSPECT_STAGE__PROSPECT_TARGET_SCREENED;
	p.intent = q->intent ? q->intent : AEDESK__PROSPECT_INTENT__INTENT_UNKNOWN;
	p.industry = q->industry;
	p.notes = q->notes;
	p.created_ms = p.updated_ms = r->now_ms;
	p.created_by = (char *)r->caller->id;
	st.at_ms = r->now_ms;
	st.by = (char *)r->caller->id;
	st.to = p.stage;
	p.steps = &stp;
	p.n_steps = 1;
	int rc = store_put_msg(r->txn, registry.prospects, id, strlen(id), &p.base, MDB_NOOVERWRITE);
	if (rc)
		return svc_db_error(r, rc, "prospects");
	Aedesk__ProspectAdded ev = AEDESK__PROSPECT_ADDED__INIT;
	ev.prospect = &p;
	if (svc_emit(r, &ev.base))
		return -1;
	return reply(r, &p, NULL);
}

int registry_prospect_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectGetRequest *q = (const Aedesk__ProspectGetRequest *)in;
	Aedesk__Prospect *p;
	if (prospect_load(r, q->id, &p))
		return -1;
	int rc = reply(r, p, NULL);
	wire_free(&p->base);
	return rc;
}

/* open_or_fail: won and lost are final. */
static int open_or_fail(svc_req *r, const Aedesk__Prospect *p)
{
	if (p->stage == AEDESK__PROSPECT_STAGE__PROSPECT_WON || p->stage == AEDESK__PROSPECT_STAGE__PROSPECT_LOST)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "潜在客户 %s 已是“%s”，不能再变更",
		    "prospect %s is already %s and cannot move", p->id, stage_name(r, p->stage));
	return 0;
}

int registry_prospect_advance(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectAdvanceRequest *q = (const Aedesk__ProspectAdvanceRequest *)in;
	if (q->to < AEDESK__PROSPECT_STAGE__PROSPECT_INFO_GATHERED || q->to > AEDESK__PROSPECT_STAGE__PROSPECT_PROPOSAL)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "--to 须为 info、first-call、needs 或 proposal（签约用 prospect win，失败用 prospect lose）",
		    "--to must be info, first-call, needs or proposal (use prospect win to sign, prospect lose when lost)");
	if (check_text(r, q->why, "说明", "--why"))
		return -1;
	Aedesk__Prospect *p;
	if (prospect_load_w(r, q->id, &p))
		return -1;
	struct step_mem m = {0};
	int rc, from = p->stage;
	if ((rc = open_or_fail(r, p)) == 0) {
		if ((int)q->to <= from)
			rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "潜在客户 %s 已在“%s”，不能回到“%s”",
			    "prospect %s is already at %s and cannot go back to %s", p->id, stage_name(r, from),
			    stage_name(r, q->to));
		else if ((int)q->to != from + 1)
			rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "不能跳过阶段：潜在客户 %s 在“%s”，须先到“%s”",
			    "a stage cannot be skipped: prospect %s is at %s and must first reach %s", p->id,
			    stage_name(r, from), stage_name(r, from + 1));
		else if ((rc = step(r, p, &m, q->to, q->why)) == 0) {
			Aedesk__ProspectAdvanced ev = AEDESK__PROSPECT_ADVANCED__INIT;
			ev.prospect = p;
			ev.from = from;
			if ((rc = svc_emit(r, &ev.base)) == 0)
				rc = reply(r, p, NULL);
		}
	}
	step_undo(p, &m);
	wire_free(&p->base);
	return rc;
}

int registry_prospect_lose(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectLoseRequest *q = (const Aedesk__ProspectLoseRequest *)in;
	if (validate_name(q->why, PROSPECT_TEXT_MAX, NULL) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "--why（失败原因）必须填写：非空文本，不超过 %d 字节",
		    "--why (the reason it was lost) is required: non-empty text of at most %d bytes", PROSPECT_TEXT_MAX);
	Aedesk__Prospect *p;
	if (prospect_load_w(r, q->id, &p))
		return -1;
	struct step_mem m = {0};
	char *old = p->lost_reason;
	int rc;
	if ((rc = open_or_fail(r, p)) == 0) {
		p->lost_reason = q->why;
		if ((rc = step(r, p, &m, AEDESK__PROSPECT_STAGE__PROSPECT_LOST, q->why)) == 0) {
			Aedesk__ProspectLost ev = AEDESK__PROSPECT_LOST__INIT;
			ev.prospect = p;
			if ((rc = svc_emit(r, &ev.base)) == 0)
				rc = reply(r, p, NULL);
		}
	}
	p->lost_reason = old;
	step_undo(p, &m);
	wire_free(&p->base);
	return rc;
}

/* registry_prospect_win: from proposal only; the client is created with the prospect's name, AE and industry. */
int registry_prospect_win(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectWinRequest *q = (const Aedesk__ProspectWinRequest *)in;
	if (perm_check(r, PERM_PROSPECT_WRITE, NULL))
		return -1;
	Aedesk__Prospect *p;
	if (prospect_load_w(r, q->id, &p))
		return -1;
	struct step_mem m = {0};
	char id[24];
	char *oldc = p->client_id;
	int rc;
	if ((rc = open_or_fail(r, p)) == 0) {
		if (p->stage != AEDESK__PROSPECT_STAGE__PROSPECT_PROPOSAL)
			rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "不能跳过阶段：潜在客户 %s 在“%s”，签约前须先到“%s”",
			    "a stage cannot be skipped: prospect %s is at %s and must reach %s before signing", p->id,
			    stage_name(r, p->stage), stage_name(r, AEDESK__PROSPECT_STAGE__PROSPECT_PROPOSAL));
		else if ((rc = registry_client_create(r, p->name, q->class_[0] ? q->class_ : "C", p->ae, "", p->industry,
			      p->id, id, sizeof id)) == 0) {
			p->client_id = id;
			if ((rc = step(r, p, &m, AEDESK__PROSPECT_STAGE__PROSPECT_WON, "")) == 0) {
				Aedesk__Client *c = NULL;
				store_get_msg(r->txn, registry.clients, id, strlen(id), &aedesk__client__descriptor,
				    (ProtobufCMessage **)&c);
				Aedesk__ProspectWon ev = AEDESK__PROSPECT_WON__INIT;
				ev.prospect = p;
				ev.client = c;
				if ((rc = svc_emit(r, &ev.base)) == 0)
					rc = reply(r, p, c);
				wire_free(c ? &c->base : NULL);
			}
		}
	}
	p->client_id = oldc;
	step_undo(p, &m);
	wire_free(&p->base);
	return rc;
}

int registry_prospect_intent(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectIntentRequest *q = (const Aedesk__ProspectIntentRequest *)in;
	if (q->intent != AEDESK__PROSPECT_INTENT__INTENT_UNKNOWN && q->intent != AEDESK__PROSPECT_INTENT__INTENT_CONFIRMED)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, "--intent",
		    en(r) ? "unknown or confirmed" : "须为 unknown 或 confirmed");
	Aedesk__Prospect *p;
	if (prospect_load_w(r, q->id, &p))
		return -1;
	int rc;
	if ((rc = open_or_fail(r, p)) == 0) {
		if (p->intent == q->intent)
			rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "潜在客户 %s 的意向没有变化",
			    "prospect %s already has that intent", p->id);
		else {
			p->intent = q->intent;
			p->updated_ms = r->now_ms;
			if ((rc = store_put_msg(r->txn, registry.prospects, p->id, strlen(p->id), &p->base, 0)) != 0)
				rc = svc_db_error(r, rc, "prospects");
			else {
				Aedesk__ProspectUpdated ev = AEDESK__PROSPECT_UPDATED__INIT;
				ev.prospect = p;
				ev.change = "intent";
				if ((rc = svc_emit(r, &ev.base)) == 0)
					rc = reply(r, p, NULL);
			}
		}
	}
	wire_free(&p->base);
	return rc;
}

int registry_prospect_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProspectListRequest *q = (const Aedesk__ProspectListRequest *)in;
	size_t limit = q->limit ? q->limit : 100;
	if (limit > PROSPECT_PAGE_MAX)
		limit = PROSPECT_PAGE_MAX;
	Aedesk__Prospect **list = calloc(limit + 1, sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.prospects, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "prospects");
	}
	MDB_val k = {strlen(q->after), q->after}, v;
	rc = q->after[0] ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	if (rc == 0 && q->after[0] && k.mv_size == strlen(q->after) && memcmp(k.mv_data, q->after, k.mv_size) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	size_t n = 0;
	int more = 0;
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Prospect *p = (Aedesk__Prospect *)wire_unpack(&aedesk__prospect__descriptor, v.mv_data, v.mv_size, NULL);
		if (!p)
			continue;
		int keep = (!q->stage || p->stage == q->stage) && (!q->intent || p->intent == q->intent) &&
		    (!q->ae[0] || strcmp(p->ae, q->ae) == 0) && prospect_visible(r, p);
		if (keep && n == limit) {
			more = 1;
			wire_free(&p->base);
			break;
		}
		if (keep)
			list[n++] = p;
		else
			wire_free(&p->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ProspectListReply rep = AEDESK__PROSPECT_LIST_REPLY__INIT;
	rep.n_prospects = n;
	rep.prospects = list;
	rep.next_after = (more && n) ? list[n - 1]->id : "";
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
