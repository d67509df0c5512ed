/*
 * NAME
 *	project.c - the scorer's projection of registry and jobs events, as raw facts
 *
 * DESCRIPTION
 *	Each event is applied once, in order (the skeleton's cursor): it is turned into
 *	the facts a scorecard needs, stored under who and when, so every number is a
 *	pure function of the events applied. The latest event time seen ("hwm"; a survey
 *	added here moves it too) is the scorer's clock: weeks that have not started by
 *	then are not counted, and
 *	receivables are judged as of then, so a rebuild by replay gives the same.
 *
 *	Events in: registry StaffAdded, ClientAdded, ClientUpdated, ContactAdded,
 *	VisitLogged, ProfileUpdated (a point of the client's profile timeline),
 *	ProspectAdded and ProspectAdvanced (a "prospect" fact for the prospect's AE: the
 *	registry logs no interactions with prospects, so a prospect added or moved a stage
 *	is what counts as a contact); jobs JobStageEntered, JobRevised, EstimateConfirmed, InvoiceAdded,
 *	PaymentAdded. Attribution: a visit counts for the client (and so for its AE of
 *	that week); a stage, revision or estimate for the job's owner; an invoice for its
 *	AE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scorer.h"
#include "wire.h"

size_t sc_key(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s%c%s", a, 0, b);
	return n < 0 || (size_t)n >= len ? len - 1 : (size_t)n;
}

int sc_get(MDB_txn *txn, MDB_dbi dbi, const char *key, size_t klen, const ProtobufCMessageDescriptor *d,
    ProtobufCMessage **out)
{
	return store_get_msg(txn, dbi, key, klen, d, out);
}

int sc_put(svc_req *r, MDB_dbi dbi, const void *key, size_t klen, const ProtobufCMessage *m)
{
	int rc = store_put_msg(r->txn, dbi, key, klen, m, 0);
	return rc ? svc_db_error(r, rc, "scorer") : 0;
}

int sc_put_empty(svc_req *r, MDB_dbi dbi, const void *key, size_t klen)
{
	MDB_val k = {klen, (void *)key}, v = {0, ""};
	int rc = mdb_put(r->txn, dbi, &k, &v, 0);
	return rc ? svc_db_error(r, rc, "scorer index") : 0;
}

int64_t sc_hwm(MDB_txn *txn) { return (int64_t)store_get_u64(txn, scorer.meta, "hwm", 0); }

/* touch moves the scorer's clock, and the event's source's, to the event's time; clocks
 * moved into a new quarter assess the clients first (R-CLASS-1, classify.c). */
static int touch(svc_req *r)
{
	int64_t t = r->env ? r->env->time_ms : 0;
	if (t > sc_hwm(r->txn)) {
		int rc = store_put_u64(r->txn, scorer.meta, "hwm", (uint64_t)t);
		if (rc)
			return svc_db_error(r, rc, "hwm");
	}
	char k[80];
	snprintf(k, sizeof k, "clock.%s", r->env && r->env->source ? r->env->source : "");
	if (t > (int64_t)store_get_u64(r->txn, scorer.meta, k, 0)) {
		int rc = store_put_u64(r->txn, scorer.meta, k, (uint64_t)t);
		if (rc)
			return svc_db_error(r, rc, "clock");
	}
	return sc_assess_quarterly(r);
}

int sc_staff_get(MDB_txn *txn, const char *id, Aedesk__Staff **out)
{
	return store_get_msg(txn, scorer.staff, id, strlen(id), &aedesk__staff__descriptor, (ProtobufCMessage **)out);
}

void sc_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len)
{
	Aedesk__Staff *st;
	out[0] = 0;
	if (staff[0] && sc_staff_get(txn, staff, &st) == 0) {
		snprintf(out, len, "%s", st->manager);
		wire_free(&st->base);
	}
}

int sc_may_see(svc_req *r, const char *staff)
{
	return perm_allows(r, PERM_SCORECARD_READ, staff);
}

int64_t sc_weight(const char *name, int64_t dflt)
{
	char key[96];
	snprintf(key, sizeof key, "scorer.weight.%s", name);
	int ok = 0;
	int64_t v = conf_get_int(scorer.conf, key, dflt, &ok);
	return ok < 0 || v < 0 || v > 1000 ? dflt : v;
}

int sc_weights_check(void)
{
	char key[96];
	for (int i = 0; i < SC_NMEASURES; i++) {
		snprintf(key, sizeof key, "scorer.weight.%s", sc_measures[i].name);
		conf_int_or_die(scorer.conf, key, sc_measures[i].weight, 0, 1000);
	}
	for (int i = 0; i < SC_NCRITERIA; i++) {
		snprintf(key, sizeof key, "scorer.weight.%s", sc_criteria[i].name);
		conf_int_or_die(scorer.conf, key, sc_criteria[i].weight, 0, 1000);
	}
	return 0;
}

int sc_on_staff(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Staff *st = ((const Aedesk__StaffAdded *)ev)->staff;
	if (touch(r))
		return -1;
	if (!st || !st->id[0])
		return 0;
	Aedesk__Staff copy = *st;
	copy.password_hash = "";
	return sc_put(r, scorer.staff, st->id, strlen(st->id), &copy.base);
}

/* client_apply records a client's state; a class or AE change adds a timeline point. */
static int client_apply(svc_req *r, const Aedesk__Client *c, int64_t at_ms)
{
	if (!c || !c->id[0])
		return 0;
	Aedesk__ScoreClient *old = NULL;
	sc_get(r->txn, scorer.clients, c->id, strlen(c->id), &aedesk__score_client__descriptor, (ProtobufCMessage **)&old);
	Aedesk__ScoreClient n = AEDESK__SCORE_CLIENT__INIT;
	n.id = c->id;
	n.name = c->name;
	n.class_ = c->class_;
	n.ae = c->ae;
	n.created_ms = c->created_ms;
	size_t cnt = old ? old->n_timeline : 0;
	Aedesk__ScoreClientState **tl = calloc(cnt + 1, sizeof *tl), point = AEDESK__SCORE_CLIENT_STATE__INIT;
	if (!tl) {
		wire_free(old ? &old->base : NULL);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	}
	for (size_t i = 0; i < cnt; i++)
		tl[i] = old->timeline[i];
	int changed = !old || strcmp(old->class_, c->class_) != 0 || strcmp(old->ae, c->ae) != 0;
	if (changed) {
		point.at_ms = at_ms;
		point.class_ = c->class_;
		point.ae = c->ae;
		tl[cnt++] = &point;
	}
	n.timeline = tl;
	n.n_timeline = cnt;
	if (old) {
		n.profile = old->profile;
		n.n_profile = old->n_profile;
	}
	/* A pending recommendation is spent once the class changes. */
	n.last_recommended = old && strcmp(old->class_, c->class_) == 0 ? old->last_recommended : "";
	int rc = sc_put(r, scorer.clients, c->id, strlen(c->id), &n.base);
	char k[160];
	if (!rc && c->ae[0])
		rc = sc_put_empty(r, scorer.staff_clients, k, sc_key(k, sizeof k, c->ae, c->id));
	free(tl);
	wire_free(old ? &old->base : NULL);
	return rc;
}

int sc_on_client_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Client *c = ((const Aedesk__ClientAdded *)ev)->client;
	if (touch(r))
		return -1;
	return client_apply(r, c, c ? c->created_ms : 0);
}

int sc_on_client_updated(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Client *c = ((const Aedesk__ClientUpdated *)ev)->client;
	if (touch(r))
		return -1;
	return client_apply(r, c, c && c->updated_ms ? c->updated_ms : r->env->time_ms);
}

int sc_on_contact(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Contact *k = ((const Aedesk__ContactAdded *)ev)->contact;
	if (touch(r))
		return -1;
	if (!k || !k->id[0])
		return 0;
	MDB_val key = {strlen(k->id), k->id}, v = {strlen(k->client_id), k->client_id};
	int rc = mdb_put(r->txn, scorer.contacts, &key, &v, 0);
	return rc ? svc_db_error(r, rc, "contacts") : 0;
}

/* time_key: a \0 be64(at_ms) tail into buf; returns the length. */
static size_t time_key(char *buf, size_t len, const char *a, int64_t at_ms, const char *tail)
{
	size_t n = strlen(a), t = strlen(tail);
	if (n + 1 + 8 + t > len)
		return 0;
	memcpy(buf, a, n);
	buf[n] = 0;
	store_be64((uint8_t *)buf + n + 1, (uint64_t)at_ms);
	memcpy(buf + n + 9, tail, t);
	return n + 9 + t;
}

int sc_on_visit(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Visit *v = ((const Aedesk__VisitLogged *)ev)->visit;
	if (touch(r))
		return -1;
	/* R-VISIT-1 counts face visits (面访); calls and messages do not. */
	if (!v || v->kind != AEDESK__VISIT_KIND__VISIT)
		return 0;
	char k[256];
	size_t n = time_key(k, sizeof k, v->client_id, v->at_ms, v->id);
	return n ? sc_put_empty(r, scorer.cvisits, k, n) : 0;
}

/* put_fact stores a fact under staff \0 be64(at) kind \0 id. */
static int put_fact(svc_req *r, const char *staff, const Aedesk__ScoreFact *f, const char *suffix)
{
	if (!staff[0])
		return 0;
	char tail[160], k[320];
	int t = snprintf(tail, sizeof tail, "%s%c%s%s", f->kind, 0, f->id, suffix);
	if (t < 0 || (size_t)t >= sizeof tail)
		return 0;
	size_t sl = strlen(staff);
	if (sl + 9 + (size_t)t > sizeof k)
		return 0;
	memcpy(k, staff, sl);
	k[sl] = 0;
	store_be64((uint8_t *)k + sl + 1, (uint64_t)f->at_ms);
	memcpy(k + sl + 9, tail, (size_t)t);
	return sc_put(r, scorer.facts, k, sl + 9 + (size_t)t, &f->base);
}

int sc_on_stage(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobStageEntered *e = (const Aedesk__JobStageEntered *)ev;
	if (touch(r))
		return -1;
	/* The first stage has no stage before it to be late for. */
	if (!e->from_due_ms || e->from == AEDESK__JOB_STAGE__JOB_STAGE_NONE)
		return 0;
	Aedesk__ScoreFact f = AEDESK__SCORE_FACT__INIT;
	f.kind = "stage";
	f.id = e->job_id;
	f.job_id = e->job_id;
	f.client_id = e->client_id;
	f.at_ms = e->entered_ms;
	f.due_ms = e->from_due_ms;
	f.value = e->entered_ms <= e->from_due_ms;
	f.stage = (int32_t)e->from;
	char sfx[16];
	snprintf(sfx, sizeof sfx, "#%d", (int)e->stage);
	return put_fact(r, e->owner, &f, sfx);
}

int sc_on_revised(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobRevised *e = (const Aedesk__JobRevised *)ev;
	if (touch(r))
		return -1;
	if (!e->revision)
		return 0;
	Aedesk__ScoreFact f = AEDESK__SCORE_FACT__INIT;
	f.kind = "revision";
	f.id = e->job_id;
	f.job_id = e->job_id;
	f.client_id = e->client_id;
	f.at_ms = e->revision->at_ms;
	f.value = e->revision->n;
	char sfx[16];
	snprintf(sfx, sizeof sfx, "#%u", e->revision->n);
	return put_fact(r, e->owner, &f, sfx);
}

int sc_on_estimate_confirmed(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Estimate *e = ((const Aedesk__EstimateConfirmed *)ev)->estimate;
	if (touch(r))
		return -1;
	if (!e || !e->sent_ms)
		return 0;
	Aedesk__ScoreFact f = AEDESK__SCORE_FACT__INIT;
	f.kind = "estimate";
	f.id = e->id;
	f.job_id = e->job_id;
	f.client_id = e->client_id;
	f.at_ms = e->decided_ms;
	f.value = e->decided_ms > e->sent_ms ? e->decided_ms - e->sent_ms : 0;
	f.due_ms = e->confirm_due_ms;
	return put_fact(r, e->ae, &f, "");
}

int sc_on_invoice(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Invoice *i = ((const Aedesk__InvoiceAdded *)ev)->invoice;
	if (touch(r))
		return -1;
	if (!i || !i->id[0])
		return 0;
	Aedesk__ScoreInvoice si = AEDESK__SCORE_INVOICE__INIT;
	si.id = i->id;
	si.client_id = i->client_id;
	si.ae = i->ae;
	si.amount_fen = i->amount_fen;
	si.issued_ms = i->issued_ms;
	si.due_ms = i->due_ms;
	char k[160];
	if (sc_put(r, scorer.invoices, i->id, strlen(i->id), &si.base) ||
	    (i->ae[0] && sc_put_empty(r, scorer.ae_invoices, k, sc_key(k, sizeof k, i->ae, i->id))) ||
	    sc_put_empty(r, scorer.cl_invoices, k, sc_key(k, sizeof k, i->client_id, i->id)))
		return -1;
	Aedesk__ScoreFact f = AEDESK__SCORE_FACT__INIT;
	f.kind = "invoice";
	f.id = i->id;
	f.job_id = i->job_id;
	f.client_id = i->client_id;
	f.at_ms = i->issued_ms;
	f.value = i->amount_fen;
	f.due_ms = i->due_ms;
	return put_fact(r, i->ae, &f, "");
}

int sc_on_payment(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__PaymentAdded *e = (const Aedesk__PaymentAdded *)ev;
	if (touch(r))
		return -1;
	if (!e->payment)
		return 0;
	const char *id = e->payment->invoice_id;
	Aedesk__ScoreInvoice *si;
	if (sc_get(r->txn, scorer.invoices, id, strlen(id), &aedesk__score_invoice__descriptor, (ProtobufCMessage **)&si))
		return 0; /* an invoice we never saw: nothing to attach it to */
	Aedesk__ScorePayment **a = realloc(si->payments, (si->n_payments + 1) * sizeof *a);
	if (!a) {
		wire_free(&si->base);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	}
	si->payments = a;
	Aedesk__ScorePayment p = AEDESK__SCORE_PAYMENT__INIT;
	p.id = e->payment->id;
	p.amount_fen = e->payment->amount_fen;
	p.paid_ms = e->payment->paid_ms;
	a[si->n_payments++] = &p;
	int rc = sc_put(r, scorer.invoices, id, strlen(id), &si->base);
	si->n_payments--; /* p is on our stack: not protobuf-c's to free */
	wire_free(&si->base);
	return rc;
}

int sc_on_profile(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ClientProfile *p = ((const Aedesk__ProfileUpdated *)ev)->profile;
	if (touch(r))
		return -1;
	if (!p || !p->client_id[0])
		return 0;
	Aedesk__ScoreClient *c;
	if (sc_get(r->txn, scorer.clients, p->client_id, strlen(p->client_id), &aedesk__score_client__descriptor,
		(ProtobufCMessage **)&c))
		return 0; /* a client we never saw */
	double share = p->market && p->market->market_share_pct > 0 ? p->market->market_share_pct : 0;
	Aedesk__ScoreProfilePoint pt = AEDESK__SCORE_PROFILE_POINT__INIT;
	pt.at_ms = r->env->time_ms;
	pt.pct = p->completeness_pct > 100 ? 100 : p->completeness_pct;
	pt.share_milli = share > 100 ? 100000 : (int64_t)(share * 1000 + 0.5);
	pt.position = p->overview ? p->overview->industry_position : "";
	const Aedesk__ScoreProfilePoint *prev = c->n_profile ? c->profile[c->n_profile - 1] : NULL;
	if (prev && prev->pct == pt.pct && prev->share_milli == pt.share_milli && strcmp(prev->position, pt.position) == 0) {
		wire_free(&c->base);
		return 0;
	}
	Aedesk__ScoreProfilePoint **a = realloc(c->profile, (c->n_profile + 1) * sizeof *a);
	if (!a) {
		wire_free(&c->base);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	}
	c->profile = a;
	a[c->n_profile++] = &pt;
	int rc = sc_put(r, scorer.clients, c->id, strlen(c->id), &c->base);
	c->n_profile--; /* pt is on our stack */
	wire_free(&c->base);
	return rc;
}

/* prospect_fact: a contact with a prospect, for its AE, at the event's time. */
static int prospect_fact(svc_req *r, const Aedesk__Prospect *p)
{
	if (touch(r))
		return -1;
	if (!p || !p->id[0] || !p->ae[0])
		return 0;
	Aedesk__ScoreFact f = AEDESK__SCORE_FACT__INIT;
	f.kind = "prospect";
	f.id = p->id;
	f.at_ms = r->env->time_ms;
	f.stage = (int32_t)p->stage;
	char sfx[16];
	snprintf(sfx, sizeof sfx, "#%d", (int)p->stage);
	return put_fact(r, p->ae, &f, sfx);
}

int sc_on_prospect_added(svc_req *r, const ProtobufCMessage *ev)
{
	return prospect_fact(r, ((const Aedesk__ProspectAdded *)ev)->prospect);
}

int sc_on_prospect_advanced(svc_req *r, const ProtobufCMessage *ev)
{
	return prospect_fact(r, ((const Aedesk__ProspectAdvanced *)ev)->prospect);
}

const Aedesk__ScoreProfilePoint *sc_profile_at(const Aedesk__ScoreClient *c, int64_t t)
{
	const Aedesk__ScoreProfilePoint *p = NULL;
	for (size_t i = 0; i < c->n_profile; i++)
		if (c->profile[i]->at_ms < t)
			p = c->profile[i];
	return p;
}
