/*
 * NAME
 *	recommendations.c - the scorer's class recommendations (R-CLASS-1)
 *
 * DESCRIPTION
 *	The scorer assesses clients and sends ClassRecommended {client_id, from, to, score,
 *	reasons}. The registry (registry.class_recommendations):
 *	  auto     applies it at once through the same path as a person's change
 *	           (registry_set_class): a history line by "scorer" with the reasons, and
 *	           ClientUpdated {change "class"};
 *	  approve  (default) holds it as the client's pending recommendation, with a history
 *	           line "class-recommended" by "scorer"; an AM of the client's team, an AD
 *	           or admin approves it (applied by registry_set_class, by the approver, why
 *	           = the scorer's reasons) or rejects it with a reason (history line
 *	           "class-rejected").
 *	A recommendation whose `from` is not the client's class when it arrives is stale
 *	and ignored (logged); one that goes stale while pending (the class changed since)
 *	is shown as stale and cannot be approved. A newer recommendation for the same
 *	client supersedes a pending one.
 *
 *	Once only: a ClassRecommended with the same client, from, to and score as one the
 *	registry already has (pending, applied, approved, rejected or superseded) is the
 *	same assessment sent again (the scorer's store was rebuilt by replay and its
 *	events arrive in a new epoch, docs/RELIABILITY.md) and is ignored, logged: a
 *	decision is never re-applied and a decided recommendation never held again.
 *
 *	The event handler is deterministic: its only clock is the event's time (every
 *	write, history line and event it makes carries that time), and its ids come from
 *	reg_meta "rec_seq" in event order.
 *
 *	Events in: scorer ClassRecommended. Messages in: RecommendationListRequest
 *	(RecommendationListReply), RecommendationDecideRequest (RecommendationReply).
 *	Events out: RecommendationReceived, RecommendationDecided, ClientUpdated.
 *	Tables: class_recs (rec id -> ClassRecommendation), client_recs (client id \0 rec
 *	id -> ""), reg_meta "rec_seq".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "registry.h"
#include "scorer.pb-c.h"
#include "validate.h"
#include "wire.h"

#define WHY_MAX 1000
#define LIST_MAX 1000
#define REASONS_MAX 4000


static int class_ok(const char *c) { return c[0] >= 'A' && c[0] <= 'D' && c[1] == 0; }

/* reasons_text: "R000001 (228/1000): reason; reason" for the history and ClientUpdated. */
static void reasons_text(const Aedesk__ClassRecommendation *rec, char *buf, size_t len)
{
	size_t u = (size_t)snprintf(buf, len, "%s (%lld/1000)", rec->id, (long long)rec->score);
	for (size_t i = 0; i < rec->n_reasons && u < len; i++)
		u += (size_t)snprintf(buf + u, len - u, "%s%s", i ? "; " : ": ", rec->reasons[i]);
}

static int rec_put(svc_req *r, const Aedesk__ClassRecommendation *rec, int is_new)
{
	int rc = store_put_msg(r->txn, registry.class_recs, rec->id, strlen(rec->id), &rec->base, 0);
	if (!rc && is_new) {
		char key[96];
		MDB_val k = {registry_index_key(key, sizeof key, rec->client_id, rec->id, strlen(rec->id)), key}, v = {0, ""};
		rc = mdb_put(r->txn, registry.client_recs, &k, &v, 0);
	}
	return rc ? svc_db_error(r, rc, "class_recs") : 0;
}

static int emit_decided(svc_req *r, Aedesk__ClassRecommendation *rec)
{
	Aedesk__RecommendationDecided ev = AEDESK__RECOMMENDATION_DECIDED__INIT;
	ev.recommendation = rec;
	return svc_emit(r, &ev.base);
}

/* already_had: the id of the client's recommendation from -> to with this score, if any. */
static int already_had(svc_req *r, const Aedesk__ClassRecommended *e, char *id, size_t idlen)
{
	MDB_cursor *cur;
	if (mdb_cursor_open(r->txn, registry.client_recs, &cur) != 0)
		return 0;
	size_t pl = strlen(e->client_id) + 1;
	MDB_val k = {pl, e->client_id}, v;
	int found = 0;
	for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && !found;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= pl || memcmp(k.mv_data, e->client_id, pl) != 0)
			break;
		Aedesk__ClassRecommendation *rec;
		if (store_get_msg(r->txn, registry.class_recs, (const char *)k.mv_data + pl, k.mv_size - pl,
			&aedesk__class_recommendation__descriptor, (ProtobufCMessage **)&rec) != 0)
			continue;
		if (strcmp(rec->from, e->from) == 0 && strcmp(rec->to, e->to) == 0 && rec->score == e->score) {
			snprintf(id, idlen, "%s (%s)", rec->id, rec->state);
			found = 1;
		}
		wire_free(&rec->base);
	}
	mdb_cursor_close(cur);
	return found;
}

/* supersede marks the client's pending recommendations superseded. */
static int supersede(svc_req *r, const char *client_id)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.client_recs, &cur);
	if (rc)
		return svc_db_error(r, rc, "client_recs");
	size_t pl = strlen(client_id) + 1;
	MDB_val k = {pl, (void *)client_id}, v;
	char ids[16][16];
	int n = 0;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= pl || memcmp(k.mv_data, client_id, pl) != 0)
			break;
		size_t il = k.mv_size - pl;
		if (il >= sizeof ids[0])
			continue;
		Aedesk__ClassRecommendation *rec;
		if (store_get_msg(r->txn, registry.class_recs, (const char *)k.mv_data + pl, il,
			&aedesk__class_recommendation__descriptor, (ProtobufCMessage **)&rec) != 0)
			continue;
		if (strcmp(rec->state, "pending") == 0 && n < 16) {
			memcpy(ids[n], (const char *)k.mv_data + pl, il);
			ids[n++][il] = 0;
		}
		wire_free(&rec->base);
	}
	mdb_cursor_close(cur);
	for (int i = 0; i < n; i++) {
		Aedesk__ClassRecommendation *rec;
		if (store_get_msg(r->txn, registry.class_recs, ids[i], strlen(ids[i]),
			&aedesk__class_recommendation__descriptor, (ProtobufCMessage **)&rec) != 0)
			continue;
		char *os = rec->state, *ob = rec->decided_by;
		rec->state = "superseded";
		rec->decided_by = "scorer";
		rec->decided_ms = r->now_ms;
		rc = rec_put(r, rec, 0) || emit_decided(r, rec) ? -1 : 0;
		rec->state = os;
		rec->decided_by = ob;
		wire_free(&rec->base);
		if (rc)
			return -1;
	}
	return 0;
}

int registry_on_class_recommended(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ClassRecommended *e = (const Aedesk__ClassRecommended *)ev;
	r->now_ms = r->env->time_ms; /* deterministic: the event's time is the only clock */
	if (!class_ok(e->from) || !class_ok(e->to) || strcmp(e->from, e->to) == 0 || !e->client_id[0]) {
		log_warn("ClassRecommended for '%s' %s -> %s is not a class change; ignored", e->client_id, e->from, e->to);
		return 0;
	}
	Aedesk__Client *c;
	if (store_get_msg(r->txn, registry.clients, e->client_id, strlen(e->client_id), &aedesk__client__descriptor,
		(ProtobufCMessage **)&c) != 0) {
		log_warn("ClassRecommended for unknown client %s; ignored", e->client_id);
		return 0;
	}
	if (strcmp(c->class_, e->from) != 0) {
		log_info("ClassRecommended %s %s -> %s is stale (the class is %s now); ignored", c->id, e->from, e->to,
		    c->class_);
		wire_free(&c->base);
		return 0;
	}
	char had[64];
	if (already_had(r, e, had, sizeof had)) {
		log_info("ClassRecommended %s %s -> %s (%lld/1000) was received before as %s; not applied again", c->id,
		    e->from, e->to, (long long)e->score, had);
		wire_free(&c->base);
		return 0;
	}
	int automatic = registry.class_recs_auto;
	char id[24], why[REASONS_MAX];
	Aedesk__ClassRecommendation rec = AEDESK__CLASS_RECOMMENDATION__INIT;
	rec.id = id;
	rec.client_id = c->id;
	rec.from = e->from;
	rec.to = e->to;
	rec.score = e->score;
	rec.n_reasons = e->n_reasons;
	rec.reasons = e->reasons;
	rec.at_ms = r->now_ms;
	rec.state = automatic ? "applied" : "pending";
	if (automatic) {
		rec.decided_by = "scorer";
		rec.decided_ms = r->now_ms;
	}
	int rc = supersede(r, c->id) || registry_next_id(r, "rec_seq", "R", id, sizeof id) || rec_put(r, &rec, 1) ? -1 : 0;
	reasons_text(&rec, why, sizeof why);
	if (!rc && automatic) {
		/* The history and ClientUpdated name the scorer as the one who changed it. */
		Aedesk__Envelope as_scorer = *r->env;
		as_scorer.actor = "scorer";
		const Aedesk__Envelope *was = r->env;
		r->env = &as_scorer;
		char *old = c->class_;
		rc = registry_set_class(r, c, e->to, "scorer", why);
		c->class_ = old;
		r->env = was;
		if (!rc)
			rc = emit_decided(r, &rec);
	} else if (!rc) {
		Aedesk__RecommendationReceived ev2 = AEDESK__RECOMMENDATION_RECEIVED__INIT;
		ev2.recommendation = &rec;
		rc = registry_history_add(r, c->id, "scorer", "class-recommended", e->from, e->to, why) || svc_emit(r, &ev2.base)
		    ? -1
		    : 0;
	}
	wire_free(&c->base);
	return rc;
}

static int rec_load(svc_req *r, const char *id, Aedesk__ClassRecommendation **out)
{
	if (!id[0] || store_get_msg(r->txn, registry.class_recs, id, strlen(id), &aedesk__class_recommendation__descriptor,
			  (ProtobufCMessage **)out) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有分类建议 %s", "no class recommendation %s", id);
	return 0;
}

int registry_recommendation_decide(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__RecommendationDecideRequest *q = (const Aedesk__RecommendationDecideRequest *)in;
	if (perm_check(r, PERM_CLIENT_CLASS, NULL))
		return -1;
	if (!q->approve && validate_name(q->why, WHY_MAX, NULL) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "驳回须给出 --why（原因）：非空文本，不超过 %d 字节",
		    "a rejection needs --why (the reason): non-empty text of at most %d bytes", WHY_MAX);
	Aedesk__ClassRecommendation *rec;
	if (rec_load(r, q->id, &rec))
		return -1;
	Aedesk__Client *c;
	if (registry_client_load(r, rec->client_id, &c)) {
		/* out of scope reads as not found, the recommendation too */
		wire_free(&rec->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有分类建议 %s", "no class recommendation %s", q->id);
	}
	int rc = 0;
	char *os = rec->state, *ob = rec->decided_by, *ow = rec->why, *oc = c->class_;
	if (perm_check_client(r, PERM_CLIENT_CLASS, c, NULL))
		rc = -1;
	else if (strcmp(rec->state, "pending") != 0)
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "分类建议 %s 已处理（%s）",
		    "class recommendation %s was already decided (%s)", rec->id, rec->state);
	else if (strcmp(c->class_, rec->from) != 0)
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "分类建议 %s 已过时：它建议从 %s 类调整，而客户 %s 现在是 %s 类",
		    "class recommendation %s is stale: it was made for class %s, client %s is class %s now", rec->id,
		    rec->from, c->id, c->class_);
	if (!rc) {
		char why[REASONS_MAX];
		reasons_text(rec, why, sizeof why);
		rec->state = q->approve ? "approved" : "rejected";
		rec->decided_by = (char *)r->caller->id;
		rec->decided_ms = r->now_ms;
		if (!q->approve)
			rec->why = (char *)q->why;
		if (q->approve)
			rc = registry_set_class(r, c, rec->to, r->caller->id, why);
		else
			rc = registry_history_add(r, c->id, r->caller->id, "class-rejected", rec->from, rec->to, q->why);
		if (!rc && !rec_put(r, rec, 0) && !emit_decided(r, rec)) {
			Aedesk__RecommendationReply rep = AEDESK__RECOMMENDATION_REPLY__INIT;
			rep.recommendation = rec;
			rep.client = c;
			rc = svc_reply(r, &rep.base);
		} else
			rc = -1;
	}
	rec->state = os;
	rec->decided_by = ob;
	rec->why = ow;
	c->class_ = oc;
	wire_free(&rec->base);
	wire_free(&c->base);
	return rc;
}

int registry_recommendation_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__RecommendationListRequest *q = (const Aedesk__RecommendationListRequest *)in;
	Aedesk__ClassRecommendation **list = calloc(LIST_MAX, sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	if (q->client_id[0]) {
		Aedesk__Client *c;
		if (registry_client_load(r, q->client_id, &c)) {
			free(list);
			return -1;
		}
		wire_free(&c->base);
	}
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.class_recs, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "class_recs");
	}
	size_t n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < LIST_MAX; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__ClassRecommendation *rec = (Aedesk__ClassRecommendation *)wire_unpack(
		    &aedesk__class_recommendation__descriptor, v.mv_data, v.mv_size, NULL);
		if (!rec)
			continue;
		Aedesk__Client *c = NULL;
		int keep = !q->client_id[0] || strcmp(rec->client_id, q->client_id) == 0;
		if (keep)
			keep = store_get_msg(r->txn, registry.clients, rec->client_id, strlen(rec->client_id),
				   &aedesk__client__descriptor, (ProtobufCMessage **)&c) == 0 &&
			    registry_client_visible(r, c);
		int stale = keep && strcmp(rec->state, "pending") == 0 && strcmp(c->class_, rec->from) != 0;
		if (keep && q->pending && (stale || strcmp(rec->state, "pending") != 0))
			keep = 0;
		wire_free(c ? &c->base : NULL);
		if (!keep) {
			wire_free(&rec->base);
			continue;
		}
		if (stale) { /* shown, not stored: the class moved on since */
			char *s = strdup("stale");
			if (s) {
				if (rec->state != protobuf_c_empty_string)
					free(rec->state);
				rec->state = s;
			}
		}
		list[n++] = rec;
	}
	mdb_cursor_close(cur);
	Aedesk__RecommendationListReply rep = AEDESK__RECOMMENDATION_LIST_REPLY__INIT;
	rep.recommendations = list;
	rep.n_recommendations = n;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
