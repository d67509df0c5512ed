/*
 * NAME
 *	inputs.c - the scorer's own inputs: ratings, comments, targets, surveys
 *
 * DESCRIPTION
 *	业绩评估 (DOMAIN.md "Evaluation"): the direct supervisor (or anyone above in the
 *	manager chain learnt from StaffAdded) rates the handbook's criteria 1-5 for a
 *	period with a comment; the department head (above the direct manager, or an AD)
 *	adds a comment; the person rated answers with their own. Targets (revenue and
 *	prospect contacts) per AE and period are set by their managers, an AD or admin.
 *	Satisfaction surveys (客户满意度调查) are recorded by the client's AE or managers.
 *
 *	Messages in: RatingSetRequest, ScorecardCommentRequest (RatingReply),
 *	TargetSetRequest (TargetReply), SurveyAddRequest (SurveyReply).
 *	Events out: RatingSet, TargetSet, SurveyAdded.
 *	Tables: ratings, targets, surveys, ae_surveys, cl_surveys, scorer_meta.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scorer.h"
#include "wire.h"

/* The handbook's standard (4.2), its two long sections weighing most. */
const struct sc_criterion sc_criteria[SC_NCRITERIA] = {
	{"analytical", "分析性思维能力", 10},
	{"planning", "计划和组织能力", 10},
	{"communication", "对外及对内沟通交流", 6},
	{"teamwork", "团队精神", 4},
	{"advocacy", "宣扬企业观", 3},
	{"helpfulness", "向客户提供帮助", 3},
	{"suggestions", "建设性意见", 3},
	{"attitude", "积极的态度", 4},
	{"training", "培训和指引", 3},
};

static int criterion_index(const char *name)
{
	for (int i = 0; i < SC_NCRITERIA; i++)
		if (strcmp(sc_criteria[i].name, name) == 0)
			return i;
	return -1;
}

static int check_period(svc_req *r, const char *period, int range_ok, sc_period *p)
{
	if (sc_period_parse(period, p) != 0 || (!range_ok && strstr(period, "..")))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "--period 须为月份 YYYY-MM 或季度 YYYY-Qn%s，而不是 '%s'",
		    "--period must be a month YYYY-MM or a quarter YYYY-Qn%s, not '%s'",
		    range_ok ? " / YYYY-MM-DD..YYYY-MM-DD" : "", period);
	return 0;
}

static int check_text(svc_req *r, const char *s, const char *field)
{
	if (strlen(s) > SC_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s 不能超过 %d 字节",
		    "%s must be at most %d bytes", field, SC_TEXT_MAX);
	return 0;
}

static int staff_known(svc_req *r, const char *id)
{
	if (!id[0] || !store_exists(r->txn, scorer.staff, id, strlen(id)))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有员工 %s", "no staff member %s", id);
	return 0;
}

static int load_rating(MDB_txn *txn, const char *staff, const char *period, Aedesk__RatingRecord **out)
{
	char k[160];
	return sc_get(txn, scorer.ratings, k, sc_key(k, sizeof k, staff, period), &aedesk__rating_record__descriptor,
	    (ProtobufCMessage **)out);
}

/* save_rating stores the record, emits RatingSet and answers with it. */
static int save_rating(svc_req *r, const Aedesk__RatingRecord *rec)
{
	char k[160];
	if (sc_put(r, scorer.ratings, k, sc_key(k, sizeof k, rec->staff_id, rec->period), &rec->base))
		return -1;
	Aedesk__RatingSet ev = AEDESK__RATING_SET__INIT;
	ev.rating = (Aedesk__RatingRecord *)rec;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__RatingReply rep = AEDESK__RATING_REPLY__INIT;
	rep.rating = (Aedesk__RatingRecord *)rec;
	return svc_reply(r, &rep.base);
}

int sc_rate(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__RatingSetRequest *q = (const Aedesk__RatingSetRequest *)in;
	sc_period p;
	if (staff_known(r, q->staff_id) || check_period(r, q->period, 1, &p) || check_text(r, q->comment, "--comment"))
		return -1;
	/* scorecard.rate, and never oneself: a rating is a manager's */
	if (strcmp(r->caller->id, q->staff_id) == 0 || !perm_allows(r, PERM_SCORECARD_RATE, q->staff_id))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "只有 %s 的直属上级（或更上级）能评分", "only %s's direct manager (or above) may rate them",
		    q->staff_id);
	if (q->n_criteria == 0 || q->n_criteria > SC_NCRITERIA)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 1 到 %d 项 --criterion 名称=分数",
		    "give 1 to %d --criterion NAME=SCORE", SC_NCRITERIA);
	int seen[SC_NCRITERIA] = {0};
	for (size_t i = 0; i < q->n_criteria; i++) {
		int k = criterion_index(q->criteria[i]->name);
		if (k < 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "未知的评估项 '%s'（可用：analytical planning communication teamwork advocacy helpfulness "
			    "suggestions attitude training）", "unknown criterion '%s' (known: analytical planning "
			    "communication teamwork advocacy helpfulness suggestions attitude training)",
			    q->criteria[i]->name);
		if (q->criteria[i]->score < 1 || q->criteria[i]->score > 5)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "评估项 %s 的分数须为 1 到 5",
			    "criterion %s is scored 1 to 5", q->criteria[i]->name);
		if (seen[k]++)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "评估项 %s 重复",
			    "criterion %s is given twice", q->criteria[i]->name);
	}
	Aedesk__RatingRecord *old = NULL;
	load_rating(r->txn, q->staff_id, p.name, &old);
	Aedesk__RatingRecord rec = AEDESK__RATING_RECORD__INIT;
	if (old)
		rec = *old;
	rec.staff_id = q->staff_id;
	rec.period = p.name;
	rec.n_criteria = q->n_criteria;
	rec.criteria = q->criteria;
	rec.comment = q->comment;
	rec.rated_by = (char *)r->caller->id;
	rec.rated_ms = r->now_ms;
	int rc = save_rating(r, &rec);
	wire_free(old ? &old->base : NULL);
	return rc;
}

int sc_comment(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ScorecardCommentRequest *q = (const Aedesk__ScorecardCommentRequest *)in;
	sc_period p;
	if (staff_known(r, q->staff_id) || check_period(r, q->period, 1, &p) || check_text(r, q->text, "--text"))
		return -1;
	if (!q->text[0])
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 --text", "--text is required");
	int self = strcmp(r->caller->id, q->staff_id) == 0;
	Aedesk__Staff *st = NULL;
	sc_staff_get(r->txn, q->staff_id, &st);
	int direct = st && strcmp(st->manager, r->caller->id) == 0;
	int head = !self && !direct && perm_allows(r, PERM_SCORECARD_RATE, q->staff_id);
	wire_free(st ? &st->base : NULL);
	if (!self && !head)
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "评语由被评估人本人或部门主管填写；直属上级请用 aedesk rate --comment",
		    "a comment is written by the person rated or the department head; the direct manager uses "
		    "aedesk rate --comment");
	Aedesk__RatingRecord *old = NULL;
	load_rating(r->txn, q->staff_id, p.name, &old);
	Aedesk__RatingRecord rec = AEDESK__RATING_RECORD__INIT;
	if (old)
		rec = *old;
	rec.staff_id = q->staff_id;
	rec.period = p.name;
	if (self)
		rec.self_comment = q->text;
	else {
		rec.head_comment = q->text;
		rec.head_by = (char *)r->caller->id;
	}
	int rc = save_rating(r, &rec);
	wire_free(old ? &old->base : NULL);
	return rc;
}

int sc_target_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__TargetSetRequest *q = (const Aedesk__TargetSetRequest *)in;
	sc_period p;
	if (staff_known(r, q->staff_id) || check_period(r, q->period, 1, &p))
		return -1;
	/* target.set; one's own target is set from above (unless one may set anyone's) */
	if (!perm_allows(r, PERM_TARGET_SET, q->staff_id) ||
	    (strcmp(r->caller->id, q->staff_id) == 0 && perm_scope(r->caller->roles, PERM_TARGET_SET) != PERM_ALL))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "只有 %s 的上级、客户总监或管理员能设定目标",
		    "only %s's managers, an AD or admin may set their targets", q->staff_id);
	if (q->revenue_fen < 0 || q->prospects < 0 || q->prospects > 100000 || (!q->revenue_fen && !q->prospects))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 --revenue 金额和/或 --prospects 次数（不能为负）",
		    "give --revenue and/or --prospects (not negative)");
	Aedesk__TargetRecord t = AEDESK__TARGET_RECORD__INIT;
	t.staff_id = q->staff_id;
	t.period = p.name;
	t.revenue_fen = q->revenue_fen;
	t.prospects = q->prospects;
	t.set_by = (char *)r->caller->id;
	t.set_ms = r->now_ms;
	char k[160];
	if (sc_put(r, scorer.targets, k, sc_key(k, sizeof k, t.staff_id, t.period), &t.base))
		return -1;
	Aedesk__TargetSet ev = AEDESK__TARGET_SET__INIT;
	ev.target = &t;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__TargetReply rep = AEDESK__TARGET_REPLY__INIT;
	rep.target = &t;
	return svc_reply(r, &rep.base);
}

int sc_survey_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__SurveyAddRequest *q = (const Aedesk__SurveyAddRequest *)in;
	Aedesk__ScoreClient *c;
	if (!q->client_id[0] || sc_get(r->txn, scorer.clients, q->client_id, strlen(q->client_id),
				    &aedesk__score_client__descriptor, (ProtobufCMessage **)&c) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有客户 %s", "no client %s", q->client_id);
	int ok = perm_allows(r, PERM_SURVEY_WRITE, c->ae[0] ? c->ae : "-");
	char ae[64];
	snprintf(ae, sizeof ae, "%s", c->ae);
	wire_free(&c->base);
	if (!ok)
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "满意度调查由客户 %s 的 AE 或其上级记录",
		    "a survey of client %s is recorded by its AE or their managers", q->client_id);
	MDB_val k = {strlen(q->contact_id), (void *)q->contact_id}, v;
	if (!q->contact_id[0] || mdb_get(r->txn, scorer.contacts, &k, &v) != 0 ||
	    v.mv_size != strlen(q->client_id) || memcmp(v.mv_data, q->client_id, v.mv_size) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "--by：客户 %s 没有联系人 '%s'",
		    "--by: client %s has no contact '%s'", q->client_id, q->contact_id);
	if (q->n_scores == 0 || q->n_scores > 20)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 1 到 20 项 --score 维度=分数",
		    "give 1 to 20 --score DIMENSION=N");
	for (size_t i = 0; i < q->n_scores; i++) {
		const Aedesk__SurveyScore *s = q->scores[i];
		if (!s->dimension[0] || strlen(s->dimension) > 64 || s->score < 1 || s->score > 5)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "--score '%s'：维度名不超过 64 字节，分数 1 到 5",
			    "--score '%s': a dimension of at most 64 bytes scored 1 to 5", s->dimension);
	}
	if (check_text(r, q->comment, "--comment"))
		return -1;
	uint64_t n = store_get_u64(r->txn, scorer.meta, "survey_seq", 0) + 1;
	int rc = store_put_u64(r->txn, scorer.meta, "survey_seq", n);
	if (rc)
		return svc_db_error(r, rc, "survey_seq");
	char id[16];
	snprintf(id, sizeof id, "S%06llu", (unsigned long long)n);
	Aedesk__SurveyRecord s = AEDESK__SURVEY_RECORD__INIT;
	s.id = id;
	s.client_id = q->client_id;
	s.contact_id = q->contact_id;
	s.n_scores = q->n_scores;
	s.scores = q->scores;
	s.comment = q->comment;
	s.by = (char *)r->caller->id;
	s.at_ms = r->now_ms;
	s.ae = ae;
	char key[200];
	size_t kl;
	if (sc_put(r, scorer.surveys, id, strlen(id), &s.base))
		return -1;
	kl = sc_key(key, sizeof key, q->client_id, "");
	store_be64((uint8_t *)key + kl, (uint64_t)s.at_ms);
	memcpy(key + kl + 8, id, strlen(id));
	if (sc_put_empty(r, scorer.cl_surveys, key, kl + 8 + strlen(id)))
		return -1;
	if (ae[0]) {
		kl = sc_key(key, sizeof key, ae, "");
		store_be64((uint8_t *)key + kl, (uint64_t)s.at_ms);
		memcpy(key + kl + 8, id, strlen(id));
		if (sc_put_empty(r, scorer.ae_surveys, key, kl + 8 + strlen(id)))
			return -1;
	}
	/* A survey is one of the scorer's inputs and moves its clock like any event, or a
	 * client's score "as of the latest event" would not count it until another came. */
	if (s.at_ms > sc_hwm(r->txn) && (rc = store_put_u64(r->txn, scorer.meta, "hwm", (uint64_t)s.at_ms)) != 0)
		return svc_db_error(r, rc, "hwm");
	Aedesk__SurveyAdded ev = AEDESK__SURVEY_ADDED__INIT;
	ev.survey = &s;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__SurveyReply rep = AEDESK__SURVEY_REPLY__INIT;
	rep.survey = &s;
	return svc_reply(r, &rep.base);
}
