/*
 * NAME
 *	scorecard.c - an AE's scorecard for a period, and a team's ranking (R-SCORE-1)
 *
 * DESCRIPTION
 *	Objective measures, each computed from the stored facts of the period:
 *	  visits        R-VISIT-1: per ISO week whose Monday lies in the period (and has
 *	                begun by the scorer's clock), each client the AE held at the week's
 *	                start needs 2 face visits (class A) or 1; done = sum of min(visits,
 *	                target). A class or AE change applies from the next week; a client
 *	                counts from the week it was added. score = done * 1000 / required.
 *	  on_time       stages entered in the period by the owner's jobs: on time when
 *	                entered by the due of the stage left. score = on time * 1000 / all.
 *	  estimate_turnaround  estimates confirmed in the period: share confirmed within a
 *	                week of being sent (R-ESTIMATE-1); the mean turnaround is shown.
 *	  revisions     revision cards (修改卡) in the period per job active in the period:
 *	                score = 1000 - 250 * rounds / jobs (four rounds a job is zero).
 *	  revenue       invoices issued in the period against the revenue target.
 *	  overdue       the AE's invoices due before the period's end (or the scorer's
 *	                clock, if earlier): score = 1000 - unpaid * 1000 / due.
 *	  satisfaction  survey scores of the period (1-5 -> 200-1000).
 *	Ratings: each criterion's 1-5 -> 200-1000. An input without data (no clients,
 *	no jobs, no target, not rated) has weight 0 and a note saying why.
 *	  prospects     prospects contacted in the period against the prospect target:
 *	                the registry logs no interactions with prospects, so a contact is a
 *	                prospect added or moved a stage (ProspectAdded, ProspectAdvanced) by
 *	                the AE's prospects in the period; score = contacts * 1000 / target.
 *	  profile       R-PROFILE-1: mean completeness of the profiles of the clients the AE
 *	                holds at the period's end (or the scorer's clock), as of then; a
 *	                client without a profile counts as 0%.
 *
 *	Messages in: ScorecardRequest. Out: ScorecardReply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "money.h"
#include "scorer.h"
#include "perm.h"
#include "wire.h"

const struct sc_measure sc_measures[SC_NMEASURES] = {
	{"visits", "拜访达标", 10},
	{"on_time", "阶段按时", 6},
	{"estimate_turnaround", "估价确认周期", 4},
	{"revisions", "修改轮次", 4},
	{"revenue", "业绩目标", 10},
	{"overdue", "逾期应收", 6},
	{"satisfaction", "客户满意度", 6},
	{"prospects", "潜在客户接触", 6},
	{"profile", "客户资料完整度", 4},
};

static int64_t measure_weight(int i) { return sc_weight(sc_measures[i].name, sc_measures[i].weight); }

/* A small set of strings (job ids of a period). */
typedef struct {
	char **s;
	size_t n;
} strset;

static int strset_add(strset *t, const char *v)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->s[i], v) == 0)
			return 0;
	char **a = realloc(t->s, (t->n + 1) * sizeof *a);
	if (!a)
		return -1;
	t->s = a;
	if (!(a[t->n] = strdup(v)))
		return -1;
	t->n++;
	return 0;
}

static void strset_free(strset *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
}

static void note_add(char *buf, size_t len, const char *fmt, const char *a, const char *b, long long x,
    long long y)
{
	size_t used = strlen(buf);
	if (used + 80 >= len) {
		if (used + 4 < len && !strstr(buf, "..."))
			strcat(buf, " ...");
		return;
	}
	snprintf(buf + used, len - used, fmt, used ? "; " : "", a, b, x, y);
}

/* state_at: the client's class and AE in force for the week starting ws, or NULL. */
static const Aedesk__ScoreClientState *state_at(const Aedesk__ScoreClient *c, int64_t ws)
{
	const Aedesk__ScoreClientState *st = NULL;
	for (size_t i = 0; i < c->n_timeline; i++)
		if (c->timeline[i]->at_ms < ws)
			st = c->timeline[i];
	if (!st && c->n_timeline && c->created_ms < ws + SC_WEEK_MS)
		st = c->timeline[0];
	return st;
}

/* visits_in_week lists up to max face visits of a client in [ws, ws + 7 days); returns the count. */
static int visits_in_week(MDB_txn *txn, const char *client, int64_t ws, char ids[][16], int max)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.cvisits, &cur))
		return 0;
	char k[128];
	size_t pl = strlen(client) + 1;
	if (pl + 8 > sizeof k) {
		mdb_cursor_close(cur);
		return 0;
	}
	memcpy(k, client, pl);
	store_be64((uint8_t *)k + pl, (uint64_t)ws);
	MDB_val key = {pl + 8, k}, v;
	int n = 0;
	for (int rc = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size < pl + 8 || memcmp(key.mv_data, client, pl) != 0)
			break;
		int64_t at = (int64_t)store_from_be64((const uint8_t *)key.mv_data + pl);
		if (at >= ws + SC_WEEK_MS)
			break;
		if (n < max) {
			size_t il = key.mv_size - pl - 8;
			il = il < 15 ? il : 15;
			memcpy(ids[n], (const char *)key.mv_data + pl + 8, il);
			ids[n][il] = 0;
		}
		n++;
	}
	mdb_cursor_close(cur);
	return n;
}

static int add_visits(MDB_txn *txn, sc_card *card, const char *staff, const sc_period *p, int64_t hwm, int en)
{
	int64_t required = 0, done = 0;
	char misses[600] = "";
	strset used = {0};
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.staff_clients, &cur))
		return -1;
	size_t pl = strlen(staff) + 1;
	MDB_val key = {pl, (void *)staff}, v;
	int first_monday = p->from_day + (7 - civil_weekday(p->from_day)) % 7;
	for (int rc = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size <= pl || memcmp(key.mv_data, staff, pl) != 0)
			break;
		char cid[64];
		size_t cl = key.mv_size - pl < sizeof cid - 1 ? key.mv_size - pl : sizeof cid - 1;
		memcpy(cid, (const char *)key.mv_data + pl, cl);
		cid[cl] = 0;
		Aedesk__ScoreClient *c;
		if (sc_get(txn, scorer.clients, cid, cl, &aedesk__score_client__descriptor, (ProtobufCMessage **)&c))
			continue;
		for (int m = first_monday; m <= p->to_day; m += 7) {
			int64_t ws = sc_day_start_ms(m);
			if (ws > hwm)
				break;
			const Aedesk__ScoreClientState *st = state_at(c, ws);
			if (!st || strcmp(st->ae, staff) != 0)
				continue;
			int target = strcmp(st->class_, "A") == 0 ? 2 : 1;
			char ids[2][16];
			int n = visits_in_week(txn, cid, ws, ids, target);
			required += target;
			done += n < target ? n : target;
			for (int i = 0; i < n && i < target; i++)
				if (strset_add(&used, ids[i])) {
					wire_free(&c->base);
					mdb_cursor_close(cur);
					strset_free(&used);
					return -1;
				}
			if (n < target) {
				char wk[16];
				sc_format_week(m, wk, sizeof wk);
				note_add(misses, sizeof misses, en ? "%s%s %s %lld/%lld" : "%s%s %s 仅 %lld/%lld", cid, wk, n,
				    target);
			}
		}
		wire_free(&c->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ScoreInput *in = sc_card_input(card, "visits", required ? done * 1000 / required : 0,
	    required ? measure_weight(0) : 0, required ? misses : en ? "no clients to visit in the period" : "本期没有须拜访的客户",
	    "%lld/%lld", (long long)done, (long long)required);
	int rc = in ? 0 : -1;
	for (size_t i = 0; in && i < used.n; i++)
		rc |= sc_input_source(in, used.s[i]);
	strset_free(&used);
	return rc;
}

/* The facts of a period, gathered in one pass. */
struct period_facts {
	int64_t stages, on_time, estimates, est_in_week, est_ms, revisions, revenue, prospects;
	strset stage_jobs, late, est_ids, rev_jobs, jobs, invoices, prospect_ids;
	char late_note[600];
};

static int gather_facts(MDB_txn *txn, const char *staff, const sc_period *p, struct period_facts *f)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.facts, &cur))
		return -1;
	char k[96];
	size_t pl = strlen(staff) + 1;
	if (pl + 8 > sizeof k) {
		mdb_cursor_close(cur);
		return 0;
	}
	memcpy(k, staff, pl);
	store_be64((uint8_t *)k + pl, (uint64_t)p->from_ms);
	MDB_val key = {pl + 8, k}, v;
	int rc = 0;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size < pl + 8 || memcmp(key.mv_data, staff, pl) != 0)
			break;
		if ((int64_t)store_from_be64((const uint8_t *)key.mv_data + pl) >= p->to_ms)
			break;
		Aedesk__ScoreFact *x = (Aedesk__ScoreFact *)wire_unpack(&aedesk__score_fact__descriptor, v.mv_data, v.mv_size, NULL);
		if (!x)
			continue;
		if (strcmp(x->kind, "stage") == 0) {
			f->stages++;
			rc |= strset_add(&f->stage_jobs, x->job_id) | strset_add(&f->jobs, x->job_id);
			if (x->value)
				f->on_time++;
			else {
				char day[16];
				sc_format_day(sc_day_of_ms(x->due_ms), day, sizeof day);
				size_t u = strlen(f->late_note);
				if (u + 48 < sizeof f->late_note)
					snprintf(f->late_note + u, sizeof f->late_note - u, "%s%s late (due %s)", u ? "; " : "",
					    x->job_id, day);
			}
		} else if (strcmp(x->kind, "revision") == 0) {
			f->revisions++;
			rc |= strset_add(&f->rev_jobs, x->job_id) | strset_add(&f->jobs, x->job_id);
		} else if (strcmp(x->kind, "estimate") == 0) {
			f->estimates++;
			f->est_ms += x->value;
			if (x->value <= SC_WEEK_MS)
				f->est_in_week++;
			rc |= strset_add(&f->est_ids, x->id);
		} else if (strcmp(x->kind, "invoice") == 0) {
			f->revenue += x->value;
			rc |= strset_add(&f->invoices, x->id);
		} else if (strcmp(x->kind, "prospect") == 0) {
			f->prospects++;
			rc |= strset_add(&f->prospect_ids, x->id);
		}
		wire_free(&x->base);
	}
	mdb_cursor_close(cur);
	return rc ? -1 : 0;
}

static void facts_free(struct period_facts *f)
{
	strset_free(&f->stage_jobs);
	strset_free(&f->late);
	strset_free(&f->est_ids);
	strset_free(&f->rev_jobs);
	strset_free(&f->jobs);
	strset_free(&f->invoices);
	strset_free(&f->prospect_ids);
}

static int sources(Aedesk__ScoreInput *in, const strset *t);

/* add_profile: mean R-PROFILE-1 completeness of the AE's clients as of as_of. */
static int add_profile(MDB_txn *txn, sc_card *card, const char *staff, int64_t as_of, int en)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.staff_clients, &cur))
		return -1;
	size_t pl = strlen(staff) + 1;
	MDB_val key = {pl, (void *)staff}, v;
	int64_t n = 0, sum = 0;
	strset ids = {0};
	int rc = 0;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size <= pl || memcmp(key.mv_data, staff, pl) != 0)
			break;
		Aedesk__ScoreClient *cl;
		if (sc_get(txn, scorer.clients, (const char *)key.mv_data + pl, key.mv_size - pl,
			&aedesk__score_client__descriptor, (ProtobufCMessage **)&cl))
			continue;
		const Aedesk__ScoreClientState *st = NULL;
		for (size_t i = 0; i < cl->n_timeline; i++)
			if (cl->timeline[i]->at_ms < as_of)
				st = cl->timeline[i];
		if (st && strcmp(st->ae, staff) == 0) {
			const Aedesk__ScoreProfilePoint *p = sc_profile_at(cl, as_of);
			n++;
			sum += p ? p->pct : 0;
			rc |= strset_add(&ids, cl->id);
		}
		wire_free(&cl->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ScoreInput *in = sc_card_input(card, "profile", n ? sum * 10 / n : 0, n ? measure_weight(8) : 0,
	    n ? (en ? "a client without a profile counts as 0%" : "没有资料的客户按 0% 计") : en ? "no clients" : "没有客户",
	    en ? "%lld%% mean of %lld clients" : "%lld 个客户平均 %lld%%", en ? (long long)(n ? sum / n : 0) : (long long)n,
	    en ? (long long)n : (long long)(n ? sum / n : 0));
	rc |= sources(in, &ids);
	strset_free(&ids);
	return rc ? -1 : 0;
}

static int sources(Aedesk__ScoreInput *in, const strset *t)
{
	if (!in)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (sc_input_source(in, t->s[i]))
			return -1;
	return 0;
}

/* target_of: the target for the period; a quarter without its own adds up its months. */
static void target_of(MDB_txn *txn, const char *staff, const sc_period *p, int64_t *rev, int64_t *pros, int *found)
{
	char k[160];
	Aedesk__TargetRecord *t;
	*rev = *pros = 0;
	*found = 0;
	if (sc_get(txn, scorer.targets, k, sc_key(k, sizeof k, staff, p->name), &aedesk__target_record__descriptor,
		(ProtobufCMessage **)&t) == 0) {
		*rev = t->revenue_fen;
		*pros = t->prospects;
		*found = 1;
		wire_free(&t->base);
		return;
	}
	for (int m = 3 * p->q - 2; p->quarter && m <= 3 * p->q; m++) {
		char per[16];
		snprintf(per, sizeof per, "%04d-%02d", p->year, m);
		if (sc_get(txn, scorer.targets, k, sc_key(k, sizeof k, staff, per), &aedesk__target_record__descriptor,
			(ProtobufCMessage **)&t) == 0) {
			*rev += t->revenue_fen;
			*pros += t->prospects;
			*found = 1;
			wire_free(&t->base);
		}
	}
}

/* add_overdue: the AE's invoices due before as_of, and what of them was unpaid then. */
static int add_overdue(MDB_txn *txn, sc_card *card, const char *staff, int64_t as_of, int en)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.ae_invoices, &cur))
		return -1;
	size_t pl = strlen(staff) + 1;
	MDB_val key = {pl, (void *)staff}, v;
	int64_t due = 0, unpaid = 0;
	strset late = {0};
	int rc = 0;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size <= pl || memcmp(key.mv_data, staff, pl) != 0)
			break;
		Aedesk__ScoreInvoice *si;
		if (sc_get(txn, scorer.invoices, (const char *)key.mv_data + pl, key.mv_size - pl,
			&aedesk__score_invoice__descriptor, (ProtobufCMessage **)&si))
			continue;
		if (si->due_ms < as_of && si->issued_ms < as_of) {
			int64_t paid = 0;
			for (size_t i = 0; i < si->n_payments; i++)
				if (si->payments[i]->paid_ms < as_of)
					paid += si->payments[i]->amount_fen;
			due += si->amount_fen;
			if (paid < si->amount_fen) {
				unpaid += si->amount_fen - paid;
				rc |= strset_add(&late, si->id);
			}
		}
		wire_free(&si->base);
	}
	mdb_cursor_close(cur);
	char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
	money_format(unpaid, a, sizeof a);
	money_format(due, b, sizeof b);
	Aedesk__ScoreInput *in = sc_card_input(card, "overdue", due ? 1000 - unpaid * 1000 / due : 0,
	    due ? measure_weight(5) : 0, due ? "" : en ? "no invoice was due" : "没有到期的发票",
	    en ? "%s unpaid of %s due" : "到期 %2$s，未收 %1$s", a, b);
	rc |= sources(in, &late);
	strset_free(&late);
	return rc ? -1 : 0;
}

static int add_satisfaction(MDB_txn *txn, sc_card *card, const char *staff, const sc_period *p, int en)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.ae_surveys, &cur))
		return -1;
	char k[96];
	size_t pl = strlen(staff) + 1;
	if (pl + 8 > sizeof k) {
		mdb_cursor_close(cur);
		return 0;
	}
	memcpy(k, staff, pl);
	store_be64((uint8_t *)k + pl, (uint64_t)p->from_ms);
	MDB_val key = {pl + 8, k}, v;
	int64_t sum = 0, n = 0;
	strset ids = {0};
	int rc = 0;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size < pl + 8 || memcmp(key.mv_data, staff, pl) != 0 ||
		    (int64_t)store_from_be64((const uint8_t *)key.mv_data + pl) >= p->to_ms)
			break;
		Aedesk__SurveyRecord *s;
		if (sc_get(txn, scorer.surveys, (const char *)key.mv_data + pl + 8, key.mv_size - pl - 8,
			&aedesk__survey_record__descriptor, (ProtobufCMessage **)&s))
			continue;
		for (size_t i = 0; i < s->n_scores; i++, n++)
			sum += s->scores[i]->score;
		rc |= strset_add(&ids, s->id);
		wire_free(&s->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ScoreInput *in = sc_card_input(card, "satisfaction", n ? sum * 200 / n : 0, n ? measure_weight(6) : 0,
	    n ? "" : en ? "no survey in the period" : "本期没有满意度调查", "%lld.%02lld/5",
	    (long long)(n ? sum / n : 0), (long long)(n ? sum * 100 / n % 100 : 0));
	rc |= sources(in, &ids);
	strset_free(&ids);
	return rc ? -1 : 0;
}

static int add_ratings(MDB_txn *txn, sc_card *card, Aedesk__Scorecard *sc, const char *staff, const sc_period *p,
    int en, Aedesk__RatingRecord **keep)
{
	char k[160];
	Aedesk__RatingRecord *rr = NULL;
	sc_get(txn, scorer.ratings, k, sc_key(k, sizeof k, staff, p->name), &aedesk__rating_record__descriptor,
	    (ProtobufCMessage **)&rr);
	*keep = rr;
	if (rr) {
		sc->comment = rr->comment;
		sc->rated_by = rr->rated_by;
		sc->head_comment = rr->head_comment;
		sc->head_by = rr->head_by;
		sc->self_comment = rr->self_comment;
	}
	for (int i = 0; i < SC_NCRITERIA; i++) {
		int s = 0;
		for (size_t j = 0; rr && j < rr->n_criteria; j++)
			if (strcmp(rr->criteria[j]->name, sc_criteria[i].name) == 0)
				s = rr->criteria[j]->score;
		char name[64];
		snprintf(name, sizeof name, "rating.%s", sc_criteria[i].name);
		Aedesk__ScoreInput *in = sc_card_input(card, name, s * 200,
		    s ? sc_weight(sc_criteria[i].name, sc_criteria[i].weight) : 0,
		    s ? "" : rr && rr->rated_by[0] ? (en ? "not rated" : "未评分") : (en ? "not rated yet" : "尚未评分"),
		    "%d/5", s);
		if (!in)
			return -1;
		if (s && rr->rated_by[0]) {
			char src[160];
			snprintf(src, sizeof src, "%s@%s", rr->rated_by, p->name);
			if (sc_input_source(in, src))
				return -1;
		}
	}
	return 0;
}

/* Everything a built scorecard holds on to until it has been sent. */
typedef struct built {
	Aedesk__Scorecard sc;
	sc_card *card;
	Aedesk__Staff *st;
	Aedesk__RatingRecord *rr;
	char from[16], to[16];
} built;

static void built_free(built *b)
{
	sc_card_free(b->card);
	wire_free(b->st ? &b->st->base : NULL);
	wire_free(b->rr ? &b->rr->base : NULL);
}

static int build(MDB_txn *txn, const char *staff, const sc_period *p, int en, built *b)
{
	memset(b, 0, sizeof *b);
	aedesk__scorecard__init(&b->sc);
	if (!(b->card = sc_card_new()))
		return -1;
	int64_t hwm = sc_hwm(txn);
	int64_t as_of = p->to_ms < hwm + 1 ? p->to_ms : hwm + 1;
	sc_staff_get(txn, staff, &b->st);
	b->sc.staff_id = (char *)(b->st ? b->st->id : staff);
	b->sc.name = b->st ? b->st->name : "";
	b->sc.period = (char *)p->name;
	sc_format_day(p->from_day, b->from, sizeof b->from);
	sc_format_day(p->to_day, b->to, sizeof b->to);
	b->sc.from = b->from;
	b->sc.to = b->to;

	if (add_visits(txn, b->card, staff, p, hwm, en))
		return -1;
	struct period_facts f;
	memset(&f, 0, sizeof f);
	int rc = gather_facts(txn, staff, p, &f);
	Aedesk__ScoreInput *in;
	if (!rc) {
		in = sc_card_input(b->card, "on_time", f.stages ? f.on_time * 1000 / f.stages : 0,
		    f.stages ? measure_weight(1) : 0,
		    f.stages ? f.late_note : en ? "no stage entered in the period" : "本期没有进入新阶段的工作单",
		    "%lld/%lld", (long long)f.on_time, (long long)f.stages);
		rc |= sources(in, &f.stage_jobs);
	}
	if (!rc) {
		int64_t tenths = f.estimates ? f.est_ms * 10 / f.estimates / SC_DAY_MS : 0;
		in = sc_card_input(b->card, "estimate_turnaround", f.estimates ? f.est_in_week * 1000 / f.estimates : 0,
		    f.estimates ? measure_weight(2) : 0, f.estimates ? "" : en ? "no estimate confirmed in the period" : "本期没有确认的估价单",
		    en ? "%lld/%lld within 7 days, mean %lld.%lld days" : "%lld/%lld 在 7 天内确认，平均 %lld.%lld 天",
		    (long long)f.est_in_week, (long long)f.estimates, (long long)(tenths / 10), (long long)(tenths % 10));
		rc |= sources(in, &f.est_ids);
	}
	if (!rc) {
		int64_t jobs = (int64_t)f.jobs.n;
		in = sc_card_input(b->card, "revisions", jobs ? 1000 - 250 * f.revisions / jobs : 0, jobs ? measure_weight(3) : 0,
		    jobs ? "" : en ? "no active job in the period" : "本期没有进行中的工作单",
		    en ? "%lld rounds / %lld jobs" : "%lld 轮 / %lld 单", (long long)f.revisions, (long long)jobs);
		rc |= sources(in, &f.rev_jobs);
	}
	if (!rc) {
		int64_t trev, tpros;
		int found;
		target_of(txn, staff, p, &trev, &tpros, &found);
		b->sc.revenue_fen = f.revenue;
		b->sc.revenue_target_fen = trev;
		b->sc.prospects_target = tpros;
		char a[MONEY_FORMAT_MAX], t[MONEY_FORMAT_MAX];
		money_format(f.revenue, a, sizeof a);
		money_format(trev, t, sizeof t);
		in = sc_card_input(b->card, "revenue", trev ? f.revenue * 1000 / trev : 0, trev ? measure_weight(4) : 0,
		    trev ? "" : en ? "no revenue target for the period (aedesk target set)" : "本期没有业绩目标（aedesk target set）",
		    en ? "%s of %s" : "%s / 目标 %s", a, t);
		rc |= sources(in, &f.invoices);
		in = rc ? NULL : sc_card_input(b->card, "prospects",
		    tpros ? (f.prospects >= tpros ? 1000 : f.prospects * 1000 / tpros) : 0, tpros ? measure_weight(7) : 0,
		    tpros ? (en ? "a contact is a prospect added or moved a stage (the registry logs no interactions with prospects)"
				: "接触按潜在客户新增或推进一个阶段计（登记服务不记录与潜在客户的往来）")
			  : en ? "no prospect-contact target for the period (aedesk target set --prospects)"
			       : "本期没有潜在客户接触目标（aedesk target set --prospects）",
		    "%lld/%lld", (long long)f.prospects, (long long)tpros);
		if (!rc)
			rc |= sources(in, &f.prospect_ids);
	}
	facts_free(&f);
	if (rc || add_profile(txn, b->card, staff, as_of, en) || add_overdue(txn, b->card, staff, as_of, en) || add_satisfaction(txn, b->card, staff, p, en) ||
	    add_ratings(txn, b->card, &b->sc, staff, p, en, &b->rr))
		return -1;
	sc_card_finish(b->card, &b->sc.total, &b->sc.total_weight);
	b->sc.inputs = sc_card_inputs(b->card, &b->sc.n_inputs);
	return 0;
}

static int by_total(const void *a, const void *b)
{
	const built *x = *(built *const *)a, *y = *(built *const *)b;
	if (x->sc.total != y->sc.total)
		return x->sc.total > y->sc.total ? -1 : 1;
	return strcmp(x->sc.staff_id, y->sc.staff_id);
}

/* team_members: the AEs under a manager (an AM's team; an AD's: every AE of the AMs under
 * them), sorted by id (the staff table's order). */
static int team_members(MDB_txn *txn, const char *am, strset *out)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.staff, &cur))
		return -1;
	MDB_val k, v;
	int rc = 0;
	for (int c = mdb_cursor_get(cur, &k, &v, MDB_FIRST); c == 0 && !rc; c = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Staff *st = (Aedesk__Staff *)wire_unpack(&aedesk__staff__descriptor, v.mv_data, v.mv_size, NULL);
		if (!st)
			continue;
		int ae = 0;
		for (size_t i = 0; i < st->n_roles; i++)
			ae |= strcmp(st->roles[i], "ae") == 0;
		if (ae && perm_is_above(txn, am, st->id))
			rc = strset_add(out, st->id);
		wire_free(&st->base);
	}
	mdb_cursor_close(cur);
	return rc;
}

int sc_scorecard(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ScorecardRequest *q = (const Aedesk__ScorecardRequest *)in;
	sc_period p;
	if (sc_period_parse(q->period, &p) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "--period 须为 YYYY-MM、YYYY-Qn 或 YYYY-MM-DD..YYYY-MM-DD，而不是 '%s'",
		    "--period must be YYYY-MM, YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD, not '%s'", q->period);
	int team = q->team[0] != 0;
	const char *who = team ? q->team : q->staff_id;
	if (!who[0] || !store_exists(r->txn, scorer.staff, who, strlen(who)))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有员工 %s", "no staff member %s", who);
	if (!sc_may_see(r, who))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "只有本人、其上级、客户总监或管理员能看 %s 的评估",
		    "only %s, their managers, an AD or admin may see these scorecards", who);
	strset ids = {0};
	if (team ? team_members(r->txn, who, &ids) : strset_add(&ids, who)) {
		strset_free(&ids);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	}
	built *b = calloc(ids.n ? ids.n : 1, sizeof *b);
	built **order = calloc(ids.n ? ids.n : 1, sizeof *order);
	Aedesk__Scorecard **cards = calloc(ids.n ? ids.n : 1, sizeof *cards);
	int rc = b && order && cards ? 0 : -1;
	size_t n = 0;
	for (; !rc && n < ids.n; n++) {
		rc = build(r->txn, ids.s[n], &p, sc_en(r), &b[n]);
		order[n] = &b[n];
	}
	if (!rc) {
		qsort(order, n, sizeof *order, by_total);
		for (size_t i = 0; i < n; i++) {
			order[i]->sc.rank = team ? (int32_t)i + 1 : 0;
			cards[i] = &order[i]->sc;
		}
		Aedesk__ScorecardReply rep = AEDESK__SCORECARD_REPLY__INIT;
		rep.cards = cards;
		rep.n_cards = n;
		rc = svc_reply(r, &rep.base);
	} else
		rc = svc_failf(r, AEDESK__STATUS__INTERNAL, "计算评估时出错（内存不足？）", "scorecard failed (out of memory?)");
	for (size_t i = 0; b && i < n; i++)
		built_free(&b[i]);
	free(b);
	free(order);
	free(cards);
	strset_free(&ids);
	return rc;
}
