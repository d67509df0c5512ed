/*
 * NAME
 *	classify.c - client scoring and class recommendations (R-CLASS-1)
 *
 * DESCRIPTION
 *	A client's score (thousandths) as of a time (default: the scorer's clock, the
 *	latest event applied) combines:
 *	  revenue       business importance: invoices issued in the last 365 days;
 *	                scorer.class.revenue_full yuan (default 500,000) or more is 1000;
 *	                not counted for a client never invoiced (nothing is known of its
 *	                business yet: a new client is not recommended down for it)
 *	  timeliness    invoices due in the last 90 days, or still unpaid then: mean days
 *	                late (paid, or as of now if unpaid); 60 days late or more is 0
 *	  satisfaction  survey scores of the last 365 days (1-5 -> 200-1000)
 *	  influence     market influence from the client's profile (ProfileUpdated, as of
 *	                then): market share (ProfileMarket.market_share_pct), where
 *	                scorer.class.share_full percent (default 20) or more is 1000; an
 *	                industry position (ProfileOverview.industry_position) that names a
 *	                leader (龙头, 领先, 第一, 前三, leader, leading, top) is at least 800
 *	weighted by scorer.class.weight.<name> (40, 30, 30, 20); an input without data
 *	does not count.
 *	The score maps to a class by scorer.class.a|b|c (750, 500, 250); the
 *	recommendation moves at most one class from the current one per assessment.
 *	With `recommend`, a recommendation that differs from the current class (and was
 *	not already sent) is emitted as ClassRecommended {client_id, from, to, score,
 *	reasons}; the registry applies it or holds it for AM approval.
 *
 *	Quarterly assessment (scorer.assess = quarterly, the default; off: only on
 *	request): every event applied moves the scorer's clock (the latest event time,
 *	project.c) and its source's clock; when every source's clock (registry, jobs) is in
 *	a later quarter (agency local time) than the one kept as scorer_meta
 *	"assessed_q", all the events of that quarter from every source are applied, and
 *	every client is scored as of its last millisecond, from its class as of then (its
 *	timeline), and each whose recommendation differs from that class is sent as ClassRecommended (reasons in Chinese),
 *	in the transaction of the event that moved the clock and at the clock's time,
 *	whatever was sent before
 *	(last_recommended is for the request's "once"): one assessment per quarter, a
 *	pure function of the events applied (whatever the order in which a replay takes
 *	the sources: every input is as of the quarter's end by its own time), so a
 *	rebuild by replay sends the same again and the registry ignores what it already
 *	has. A source silent for a whole quarter holds the assessment until its next
 *	event; quarters skipped get one assessment, of the latest. A new store (or one
 *	from before this) takes the quarter reached when it has heard from every source
 *	as assessed: nothing before it is assessed.
 *
 *	Messages in: ScoreClientsRequest. Out: ScoreClientsReply. Events: ClassRecommended.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "log.h"
#include "money.h"
#include "scorer.h"
#include "wire.h"

#define QUARTER_MS (90 * SC_DAY_MS)
#define YEAR_MS (365 * SC_DAY_MS)

static int64_t cfg(const char *key, int64_t dflt, int64_t max)
{
	int ok = 0;
	int64_t v = conf_get_int(scorer.conf, key, dflt, &ok);
	return ok < 0 || v < 0 || v > max ? dflt : v;
}

/* A client's card with its reasons, owned here until the reply is sent. */
typedef struct ccard {
	Aedesk__ScoreClientCard cc;
	sc_card *card;
	char *reasons[6];
	char cls[4], rec[4];
	Aedesk__ScoreClient *c;
} ccard;

static void ccard_free(ccard *k)
{
	sc_card_free(k->card);
	for (size_t i = 0; i < k->cc.n_reasons; i++)
		free(k->reasons[i]);
	wire_free(k->c ? &k->c->base : NULL);
}

static void reason(ccard *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(ccard *k, const char *fmt, ...)
{
	if (k->cc.n_reasons >= sizeof k->reasons / sizeof k->reasons[0])
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *s = strdup(buf);
	if (s)
		k->reasons[k->cc.n_reasons++] = s;
}

static char class_of(int64_t score)
{
	if (score >= cfg("scorer.class.a", 750, 1000))
		return 'A';
	if (score >= cfg("scorer.class.b", 500, 1000))
		return 'B';
	if (score >= cfg("scorer.class.c", 250, 1000))
		return 'C';
	return 'D';
}

static int leader_words(const char *s)
{
	static const char *const w[] = {"龙头", "领先", "第一", "前三", "领导品牌", "leader", "leading", "top", "Leader",
	    "Leading", "Top"};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (strstr(s, w[i]))
			return 1;
	return 0;
}

/* add_influence: market influence from the profile as of as_of (R-CLASS-1). */
static int add_influence(ccard *k, int64_t as_of, int en)
{
	const Aedesk__ScoreProfilePoint *p = sc_profile_at(k->c, as_of + 1);
	int64_t full = cfg("scorer.class.share_full", 20, 100) * 1000;
	int64_t share = p ? p->share_milli : 0;
	int lead = p && leader_words(p->position);
	if (!share && !lead)
		return sc_card_input(k->card, "influence", 0, 0,
			   en ? "no market share or leading industry position in the client's profile"
			      : "客户资料中没有市场占有率或领先的业界地位", "-")
		    ? 0
		    : -1;
	int64_t s = full ? (share >= full ? 1000 : share * 1000 / full) : 0;
	if (lead && s < 800)
		s = 800;
	char pos[160];
	size_t pl = strlen(p->position);
	if (pl > 120) /* cut on a UTF-8 character boundary */
		for (pl = 120; pl && ((unsigned char)p->position[pl] & 0xC0) == 0x80; pl--)
			;
	memcpy(pos, p->position, pl);
	pos[pl] = 0;
	if (!sc_card_input(k->card, "influence", s, cfg("scorer.class.weight.influence", 20, 1000), "",
		en ? "market share %lld.%03lld%%%s%s" : "市场占有率 %lld.%03lld%%%s%s", (long long)(share / 1000),
		(long long)(share % 1000), pos[0] ? (en ? ", position: " : "，业界地位：") : "", pos))
		return -1;
	reason(k, en ? "market influence (share %lld.%03lld%%%s%s): %lld/1000" : "市场影响力（占有率 %lld.%03lld%%%s%s）：%lld/1000",
	    (long long)(share / 1000), (long long)(share % 1000), pos[0] ? (en ? ", " : "，") : "", pos, (long long)s);
	return 0;
}

static int score_client(MDB_txn *txn, ccard *k, int64_t as_of, int en)
{
	const char *id = k->c->id;
	if (!(k->card = sc_card_new()))
		return -1;
	/* Invoices: revenue and payment timeliness. */
	MDB_cursor *cur;
	if (mdb_cursor_open(txn, scorer.cl_invoices, &cur))
		return -1;
	size_t pl = strlen(id) + 1;
	MDB_val key = {pl, (void *)id}, v;
	int64_t revenue = 0, late_days = 0, n_due = 0, n_issued = 0;
	Aedesk__ScoreInput *rin = NULL, *tin = NULL;
	char late_ids[200] = "";
	sc_card *tmp = sc_card_new();
	Aedesk__ScoreInput *rsrc = tmp ? sc_card_input(tmp, "r", 0, 0, "", "-") : NULL,
			   *tsrc = tmp ? sc_card_input(tmp, "t", 0, 0, "", "-") : NULL;
	int rc = rsrc && tsrc ? 0 : -1;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size <= pl || memcmp(key.mv_data, id, pl) != 0)
			break;
		Aedesk__ScoreInvoice *si;
		if (sc_get(txn, scorer.invoices, (const char *)key.mv_data + pl, key.mv_size - pl,
			&aedesk__score_invoice__descriptor, (ProtobufCMessage **)&si))
			continue;
		n_issued += si->issued_ms <= as_of;
		if (si->issued_ms <= as_of && si->issued_ms > as_of - YEAR_MS) {
			revenue += si->amount_fen;
			rc |= sc_input_source(rsrc, si->id);
		}
		int64_t paid = 0, settled = 0, paid_before_q = 0;
		for (size_t i = 0; i < si->n_payments; i++) {
			const Aedesk__ScorePayment *py = si->payments[i];
			if (py->paid_ms > as_of)
				continue;
			paid += py->amount_fen;
			settled = py->paid_ms > settled ? py->paid_ms : settled;
			if (py->paid_ms <= as_of - QUARTER_MS)
				paid_before_q += py->amount_fen;
		}
		int in_window = si->due_ms <= as_of && (si->due_ms > as_of - QUARTER_MS || paid_before_q < si->amount_fen);
		if (in_window && si->issued_ms <= as_of) {
			int64_t end = paid >= si->amount_fen ? settled : as_of;
			int64_t days = end > si->due_ms ? (end - si->due_ms) / SC_DAY_MS : 0;
			late_days += days;
			n_due++;
			rc |= sc_input_source(tsrc, si->id);
			if (days > 0 && strlen(late_ids) + 40 < sizeof late_ids) {
				size_t u = strlen(late_ids);
				snprintf(late_ids + u, sizeof late_ids - u, "%s%s %lld", u ? ", " : "", si->id, (long long)days);
			}
		}
		wire_free(&si->base);
	}
	mdb_cursor_close(cur);
	int64_t full = cfg("scorer.class.revenue_full", 500000, INT64_C(1000000000000)) * 100;
	char a[MONEY_FORMAT_MAX];
	money_format(revenue, a, sizeof a);
	int64_t rs = full ? (revenue >= full ? 1000 : revenue * 1000 / full) : 0;
	if (!rc && (rin = sc_card_input(k->card, "revenue", rs, n_issued ? cfg("scorer.class.weight.revenue", 40, 1000) : 0,
			n_issued ? "" : en ? "never invoiced: its business is not known yet" : "尚未开过发票：业务量未知，不计",
			en ? "%s in 12 months" : "近 12 个月 %s", a)))
		for (size_t i = 0; i < rsrc->n_sources && !rc; i++)
			rc |= sc_input_source(rin, rsrc->sources[i]);
	rc |= !rin;
	if (!rc) {
		if (n_issued)
			reason(k, en ? "revenue of the last 12 months %s: %lld/1000" : "近 12 个月营业额 %s：%lld/1000", a,
			    (long long)rs);
		int64_t tenths = n_due ? late_days * 10 / n_due : 0;
		int64_t ts = n_due ? 1000 - late_days * 1000 / (60 * n_due) : 0;
		ts = ts < 0 ? 0 : ts;
		if ((tin = sc_card_input(k->card, "timeliness", ts, n_due ? cfg("scorer.class.weight.timeliness", 30, 1000) : 0,
			 n_due ? late_ids : en ? "no invoice due in the last 90 days" : "近 90 天没有到期的发票",
			 en ? "%lld.%lld days late on average" : "平均逾期 %lld.%lld 天", (long long)(tenths / 10),
			 (long long)(tenths % 10))))
			for (size_t i = 0; i < tsrc->n_sources && !rc; i++)
				rc |= sc_input_source(tin, tsrc->sources[i]);
		rc |= !tin;
		if (n_due)
			reason(k, en ? "paid %lld.%lld days late on average over the last 90 days (%s): %lld/1000"
				     : "近 90 天平均逾期 %lld.%lld 天付款（%s）：%lld/1000",
			    (long long)(tenths / 10), (long long)(tenths % 10), late_ids[0] ? late_ids : "-", (long long)ts);
	}
	sc_card_free(tmp);
	if (rc)
		return -1;
	/* Satisfaction surveys of the last year. */
	if (mdb_cursor_open(txn, scorer.cl_surveys, &cur))
		return -1;
	char sk[96];
	if (pl + 8 > sizeof sk) {
		mdb_cursor_close(cur);
		return -1;
	}
	memcpy(sk, id, pl);
	store_be64((uint8_t *)sk + pl, (uint64_t)(as_of - YEAR_MS + 1));
	key.mv_data = sk;
	key.mv_size = pl + 8;
	int64_t sum = 0, n = 0;
	Aedesk__ScoreInput *sin = sc_card_input(k->card, "satisfaction", 0, 0, "", "-");
	for (int c = sin ? mdb_cursor_get(cur, &key, &v, MDB_SET_RANGE) : -1; c == 0; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		if (key.mv_size < pl + 8 || memcmp(key.mv_data, id, pl) != 0 ||
		    (int64_t)store_from_be64((const uint8_t *)key.mv_data + pl) > as_of)
			break;
		Aedesk__SurveyRecord *s;
		if (sc_get(txn, scorer.surveys, (const char *)key.mv_data + pl + 8, key.mv_size - pl - 8,
			&aedesk__survey_record__descriptor, (ProtobufCMessage **)&s))
			continue;
		for (size_t i = 0; i < s->n_scores; i++, n++)
			sum += s->scores[i]->score;
		sc_input_source(sin, s->id);
		wire_free(&s->base);
	}
	mdb_cursor_close(cur);
	if (!sin)
		return -1;
	if (n) {
		sin->score = sum * 200 / n;
		sin->weight = cfg("scorer.class.weight.satisfaction", 30, 1000);
		free(sin->value);
		char val[32];
		snprintf(val, sizeof val, "%lld.%02lld/5", (long long)(sum / n), (long long)(sum * 100 / n % 100));
		sin->value = strdup(val);
		reason(k, en ? "satisfaction %s: %lld/1000" : "满意度 %s：%lld/1000", val, (long long)sin->score);
	} else {
		free(sin->note);
		sin->note = strdup(en ? "no survey in the last 12 months" : "近 12 个月没有满意度调查");
	}
	if (!sin->value || !sin->note)
		return -1;
	if (add_influence(k, as_of, en))
		return -1;
	int64_t tw;
	sc_card_finish(k->card, &k->cc.score, &tw);
	k->cc.inputs = sc_card_inputs(k->card, &k->cc.n_inputs);
	if (!k->cls[0]) /* else the class as of then, set by the caller */
		snprintf(k->cls, sizeof k->cls, "%s", k->c->class_);
	char cur_cls = k->cls[0] >= 'A' && k->cls[0] <= 'D' ? k->cls[0] : 'C', want = tw ? class_of(k->cc.score) : cur_cls;
	char rec = want < cur_cls ? (char)(cur_cls - 1) : want > cur_cls ? (char)(cur_cls + 1) : cur_cls;
	snprintf(k->rec, sizeof k->rec, "%c", rec);
	if (rec != cur_cls)
		reason(k, en ? "score %lld/1000 fits class %c; one class at a time: %c -> %c"
			     : "得分 %lld/1000 对应 %c 类；每次调整一级：%c → %c",
		    (long long)k->cc.score, want, cur_cls, rec);
	k->cc.class_ = k->cls;
	k->cc.recommended = k->rec;
	k->cc.reasons = k->reasons;
	return 0;
}

/* recommend emits ClassRecommended once per differing recommendation (again: also
 * when it was sent before, for the quarterly assessment). */
static int recommend(svc_req *r, ccard *k, int again)
{
	if (strcmp(k->rec, k->cls) == 0 || (!again && strcmp(k->c->last_recommended, k->rec) == 0))
		return 0;
	Aedesk__ClassRecommended ev = AEDESK__CLASS_RECOMMENDED__INIT;
	ev.client_id = k->c->id;
	ev.from = k->cls;
	ev.to = k->rec;
	ev.score = k->cc.score;
	ev.n_reasons = k->cc.n_reasons;
	ev.reasons = k->reasons;
	if (svc_emit(r, &ev.base))
		return -1;
	char *old = k->c->last_recommended;
	k->c->last_recommended = k->rec;
	int rc = sc_put(r, scorer.clients, k->c->id, strlen(k->c->id), &k->c->base);
	k->c->last_recommended = old;
	return rc;
}

int sc_clients(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ScoreClientsRequest *q = (const Aedesk__ScoreClientsRequest *)in;
	if (perm_check(r, PERM_CLIENT_SCORE, NULL))
		return -1;
	int boss = perm_scope(r->caller->roles, PERM_CLIENT_SCORE) >= PERM_TEAM;
	if (q->recommend && !boss)
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "发出分类建议须 AM 及以上（R-CLASS-1）",
		    "sending class recommendations takes an AM or above (R-CLASS-1)");
	int64_t as_of = q->as_of_ms ? q->as_of_ms : sc_hwm(r->txn);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, scorer.clients, &cur);
	if (rc)
		return svc_db_error(r, rc, "clients");
	size_t n = 0, cap = 0;
	ccard *ks = NULL;
	MDB_val key = {strlen(q->client_id), (void *)q->client_id}, v;
	int c = q->client_id[0] ? mdb_cursor_get(cur, &key, &v, MDB_SET_KEY) : mdb_cursor_get(cur, &key, &v, MDB_FIRST);
	for (; c == 0 && !rc; c = q->client_id[0] ? MDB_NOTFOUND : mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		Aedesk__ScoreClient *cl = (Aedesk__ScoreClient *)wire_unpack(&aedesk__score_client__descriptor, v.mv_data, v.mv_size, NULL);
		if (!cl)
			continue;
		int mine = perm_allows(r, PERM_CLIENT_SCORE, cl->ae[0] ? cl->ae : "-");
		if (!mine) {
			wire_free(&cl->base);
			continue;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			ccard *a = realloc(ks, nc * sizeof *a);
			if (!a) {
				wire_free(&cl->base);
				rc = -1;
				break;
			}
			ks = a;
			cap = nc;
		}
		ccard *k = &ks[n++];
		memset(k, 0, sizeof *k);
		aedesk__score_client_card__init(&k->cc);
		k->c = cl;
		k->cc.client_id = cl->id;
		k->cc.name = cl->name;
		rc = score_client(r->txn, k, as_of, sc_en(r));
		if (!rc && q->recommend)
			rc = recommend(r, k, 0);
	}
	mdb_cursor_close(cur);
	if (!rc && q->client_id[0] && n == 0)
		rc = svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有客户 %s", "no client %s", q->client_id);
	else if (!rc) {
		Aedesk__ScoreClientCard **cards = calloc(n ? n : 1, sizeof *cards);
		for (size_t i = 0; cards && i < n; i++)
			cards[i] = &ks[i].cc;
		Aedesk__ScoreClientsReply rep = AEDESK__SCORE_CLIENTS_REPLY__INIT;
		rep.clients = cards;
		rep.n_clients = cards ? n : 0;
		rc = cards ? svc_reply(r, &rep.base) : svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
		free(cards);
	} else if (!r->status)
		rc = svc_failf(r, AEDESK__STATUS__INTERNAL, "客户评分出错（内存不足？）", "client scoring failed (out of memory?)");
	for (size_t i = 0; i < n; i++)
		ccard_free(&ks[i]);
	free(ks);
	return rc;
}

/* quarter_of: year * 4 + quarter - 1 of a time, in the agency's zone. */
static int64_t quarter_of(int64_t ms)
{
	int y, m, d;
	days_to_civil(sc_day_of_ms(ms), &y, &m, &d);
	return (int64_t)y * 4 + (m - 1) / 3;
}

int sc_assess_quarterly(svc_req *r)
{
	int64_t clock = sc_hwm(r->txn), q = INT64_MAX;
	if (!scorer.assess || clock <= 0)
		return 0;
	/* The quarter every source has reached: all the events of the quarters before it are
	 * applied (each source's are in time order), whichever source a replay takes first. */
	for (const char *const *s = sc_sources; *s; s++) {
		char k[80];
		snprintf(k, sizeof k, "clock.%s", *s);
		int64_t t = (int64_t)store_get_u64(r->txn, scorer.meta, k, 0);
		if (t <= 0)
			return 0; /* a source not heard from yet */
		q = quarter_of(t) < q ? quarter_of(t) : q;
	}
	int64_t done = (int64_t)store_get_u64(r->txn, scorer.meta, "assessed_q", 0);
	if (done && q <= done)
		return 0;
	int rc = store_put_u64(r->txn, scorer.meta, "assessed_q", (uint64_t)q);
	if (rc)
		return svc_db_error(r, rc, "assessed_q");
	if (!done)
		return 0; /* the first quarter this store sees: nothing before it to assess */
	/* As of the last millisecond of the quarter before the one every source has reached. */
	int64_t as_of = sc_day_start_ms(civil_to_days((int)(q / 4), (int)(q % 4) * 3 + 1, 1)) - 1;
	MDB_cursor *cur;
	if ((rc = mdb_cursor_open(r->txn, scorer.clients, &cur)) != 0)
		return svc_db_error(r, rc, "clients");
	/* The recommendations carry the clock's time, not the wall clock's: the registry
	 * applies one (auto) at its event's time, so a class changed by it is after the
	 * quarter assessed, in a replay as in the first run. */
	int64_t now = r->now_ms;
	r->now_ms = clock;
	MDB_val key, v;
	int n = 0;
	rc = 0;
	for (int c = mdb_cursor_get(cur, &key, &v, MDB_FIRST); c == 0 && !rc; c = mdb_cursor_get(cur, &key, &v, MDB_NEXT)) {
		ccard k;
		memset(&k, 0, sizeof k);
		aedesk__score_client_card__init(&k.cc);
		if (!(k.c = (Aedesk__ScoreClient *)wire_unpack(&aedesk__score_client__descriptor, v.mv_data, v.mv_size, NULL)))
			continue;
		/* The class as of then, from the client's timeline: the same whichever source's
		 * events a replay applies first (a class changed, or a client added, after the
		 * quarter is not this assessment's). */
		const char *cls = k.c->n_timeline ? "" : k.c->created_ms <= as_of ? k.c->class_ : "";
		for (size_t i = 0; i < k.c->n_timeline; i++)
			if (k.c->timeline[i]->at_ms <= as_of)
				cls = k.c->timeline[i]->class_;
		if (cls[0] < 'A' || cls[0] > 'D' || cls[1]) { /* not a client then, or no class */
			ccard_free(&k);
			continue;
		}
		snprintf(k.cls, sizeof k.cls, "%s", cls);
		rc = score_client(r->txn, &k, as_of, 0);
		if (!rc && strcmp(k.rec, k.cls) != 0) {
			rc = recommend(r, &k, 1);
			n += !rc;
		}
		ccard_free(&k);
	}
	mdb_cursor_close(cur);
	r->now_ms = now;
	if (rc) {
		if (!r->status)
			svc_failf(r, AEDESK__STATUS__INTERNAL, "季度客户评估出错（内存不足？）",
			    "the quarterly client assessment failed (out of memory?)");
		return -1;
	}
	if (n)
		log_info("quarterly assessment (R-CLASS-1) as of %lld: %d class recommendation%s sent", (long long)as_of, n,
		    n == 1 ? "" : "s");
	return 0;
}
