/*
 * NAME
 *	visits.c - interactions with clients: visits, calls, messages, gifts, meetings
 *
 * DESCRIPTION
 *	Each interaction is logged with who (the caller), when (at_ms, UTC), which of
 *	the client's contacts, a summary and the next actions. Visit ids are "V" and a
 *	six-digit number. Lists are in time order, from the time indexes.
 *
 *	Messages in: VisitLogRequest (VisitReply), VisitListRequest (VisitListReply: the
 *	visits and the contacts they name, without personal fields, so a list stays
 *	readable after a contact is erased). Events out: VisitLogged {visit}.
 *	Tables: visits, visit_time, client_visits (see registry.h).
 *
 * SECURITY
 *	Logging and listing follow the client scope (an AE their own clients, an AM the
 *	team's, AD and admin all); a list with no client shows only visible clients' visits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"
#include "wire.h"

#define VISIT_TEXT_MAX 4000
#define VISIT_CONTACTS_MAX 20
#define VISIT_PAGE_DEFAULT 200
#define VISIT_PAGE_MAX 1000
#define VISIT_FUTURE_MS (24LL * 3600 * 1000)
#define VISIT_EARLIEST_MS 946684800000LL /* 2000-01-01: older is a typo */

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

/* time_key: be64(at_ms) followed by the visit id. */
static size_t time_key(uint8_t *buf, int64_t at_ms, const char *id)
{
	store_be64(buf, (uint64_t)at_ms);
	size_t n = strlen(id);
	memcpy(buf + 8, id, n);
	return 8 + n;
}

int registry_visit_log(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__VisitLogRequest *q = (const Aedesk__VisitLogRequest *)in;
	if (perm_check(r, PERM_CLIENT_WRITE, NULL))
		return -1;
	if (q->kind < AEDESK__VISIT_KIND__VISIT || q->kind > AEDESK__VISIT_KIND__MEETING)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "往来方式须为 visit、call、message、gift 或 meeting",
		    "the kind must be visit, call, message, gift or meeting");
	if (q->at_ms < VISIT_EARLIEST_MS || q->at_ms > r->now_ms + VISIT_FUTURE_MS)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "--at（时间）须在 2000 年之后，且不晚于明天",
		    "--at (the time) must be after 2000 and no later than tomorrow");
	if (validate_name(q->summary, VISIT_TEXT_MAX, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en(r) ? "--summary" : "--summary（摘要）",
		    en(r) ? "it must be non-empty text of at most 4000 bytes" : "须为非空文本，不超过 4000 字节");
	if (registry_check_text(r, q->next, VISIT_TEXT_MAX, "--next（下一步）", "--next"))
		return -1;
	if (q->n_contact_ids > VISIT_CONTACTS_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "一次往来最多 %d 位联系人",
		    "at most %d contacts in one interaction", VISIT_CONTACTS_MAX);
	Aedesk__Client *cl;
	if (registry_client_load(r, q->client_id, &cl))
		return -1;
	int may = perm_check_client(r, PERM_CLIENT_WRITE, cl, NULL);
	wire_free(&cl->base);
	if (may)
		return -1;
	for (size_t i = 0; i < q->n_contact_ids; i++) {
		Aedesk__Contact *c;
		const char *id = q->contact_ids[i];
		if (store_get_msg(r->txn, registry.contacts, id, strlen(id), &aedesk__contact__descriptor,
			(ProtobufCMessage **)&c) != 0)
			return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有联系人“%s”", "no contact '%s'", id);
		int other = strcmp(c->client_id, q->client_id) != 0, erased = c->erased;
		wire_free(&c->base);
		if (other)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "联系人 %s 不属于客户 %s",
			    "contact %s is not one of client %s's", id, q->client_id);
		if (erased)
			return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "联系人 %s 已应要求删除",
			    "contact %s was erased on request", id);
	}
	char id[24], ckey[96];
	if (registry_next_id(r, "visit_seq", "V", id, sizeof id))
		return -1;
	Aedesk__Visit v = AEDESK__VISIT__INIT;
	v.id = id;
	v.client_id = q->client_id;
	v.kind = q->kind;
	v.at_ms = q->at_ms;
	v.by = (char *)r->caller->id;
	v.n_contact_ids = q->n_contact_ids;
	v.contact_ids = q->contact_ids;
	v.summary = q->summary;
	v.next = q->next;
	v.created_ms = r->now_ms;
	uint8_t tk[40];
	MDB_val tkv = {time_key(tk, v.at_ms, id), tk}, empty = {0, ""};
	size_t tlen = time_key(tk, v.at_ms, id);
	MDB_val ckv = {registry_index_key(ckey, sizeof ckey, q->client_id, tk, tlen), ckey};
	int rc;
	if ((rc = store_put_msg(r->txn, registry.visits, id, strlen(id), &v.base, MDB_NOOVERWRITE)) != 0 ||
	    (rc = mdb_put(r->txn, registry.visit_time, &tkv, &empty, 0)) != 0 ||
	    (rc = mdb_put(r->txn, registry.client_visits, &ckv, &empty, 0)) != 0)
		return svc_db_error(r, rc, "visits");
	Aedesk__VisitLogged ev = AEDESK__VISIT_LOGGED__INIT;
	ev.visit = &v;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__VisitReply rep = AEDESK__VISIT_REPLY__INIT;
	rep.visit = &v;
	return svc_reply(r, &rep.base);
}

/* A list being built: the visits, and the contacts they name (each once, no personal fields). */
struct vlist {
	Aedesk__Visit **v;
	size_t n, limit;
	Aedesk__Contact **c;
	size_t nc, capc;
};

static void vlist_add_contacts(svc_req *r, struct vlist *l, const Aedesk__Visit *v)
{
	for (size_t i = 0; i < v->n_contact_ids; i++) {
		const char *id = v->contact_ids[i];
		int seen = 0;
		for (size_t j = 0; j < l->nc && !seen; j++)
			seen = strcmp(l->c[j]->id, id) == 0;
		Aedesk__Contact *c;
		if (seen || store_get_msg(r->txn, registry.contacts, id, strlen(id), &aedesk__contact__descriptor,
				(ProtobufCMessage **)&c) != 0)
			continue;
		if (l->nc == l->capc) {
			size_t cap = l->capc ? l->capc * 2 : 16;
			void *p = realloc(l->c, cap * sizeof *l->c);
			if (!p) {
				wire_free(&c->base);
				return;
			}
			l->c = p;
			l->capc = cap;
		}
		/* Only name, title and the erased flag go out: clear the personal fields. */
		for (size_t k = 0; k < c->n_phones; k++)
			free(c->phones[k]);
		free(c->phones);
		c->phones = NULL;
		c->n_phones = 0;
		c->birth_year = c->birth_month = c->birth_day = 0;
		c->birth_lunar = c->birth_leap = 0;
		if (c->preferences != protobuf_c_empty_string)
			free(c->preferences);
		if (c->notes != protobuf_c_empty_string)
			free(c->notes);
		c->preferences = c->notes = (char *)protobuf_c_empty_string;
		c->personal_hidden = !c->erased;
		l->c[l->nc++] = c;
	}
}

/* vlist_take keeps visit `vid` if the caller sees its client and it is in range; 1 when full. */
static int vlist_take(svc_req *r, struct vlist *l, const char *vid, size_t vlen, int check_client)
{
	Aedesk__Visit *v;
	if (store_get_msg(r->txn, registry.visits, vid, vlen, &aedesk__visit__descriptor,
		(ProtobufCMessage **)&v) != 0)
		return 0;
	if (check_client) {
		Aedesk__Client *cl;
		if (store_get_msg(r->txn, registry.clients, v->client_id, strlen(v->client_id),
			&aedesk__client__descriptor, (ProtobufCMessage **)&cl) != 0) {
			wire_free(&v->base);
			return 0;
		}
		int ok = registry_client_visible(r, cl);
		wire_free(&cl->base);
		if (!ok) {
			wire_free(&v->base);
			return 0;
		}
	}
	l->v[l->n++] = v;
	vlist_add_contacts(r, l, v);
	return l->n == l->limit;
}

int registry_visit_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__VisitListRequest *q = (const Aedesk__VisitListRequest *)in;
	if (q->from_ms < 0 || (q->to_ms && q->to_ms <= q->from_ms))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "时间范围无效", "the time range is not valid");
	if (q->client_id[0]) {
		Aedesk__Client *cl;
		if (registry_client_load(r, q->client_id, &cl))
			return -1;
		wire_free(&cl->base);
	}
	struct vlist l = {0};
	l.limit = q->limit ? q->limit : VISIT_PAGE_DEFAULT;
	if (l.limit > VISIT_PAGE_MAX)
		l.limit = VISIT_PAGE_MAX;
	l.v = calloc(l.limit + 1, sizeof *l.v);
	if (!l.v)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	/* Prefix: "" for visit_time, "client\0" for client_visits; then be64(at) id. */
	char start[96];
	uint8_t from[8];
	store_be64(from, (uint64_t)q->from_ms);
	size_t plen = q->client_id[0] ? strlen(q->client_id) + 1 : 0;
	size_t slen = q->client_id[0] ? registry_index_key(start, sizeof start, q->client_id, from, 8) : 8;
	if (!q->client_id[0])
		memcpy(start, from, 8);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, q->client_id[0] ? registry.client_visits : registry.visit_time, &cur);
	if (rc) {
		free(l.v);
		return svc_db_error(r, rc, "visits");
	}
	MDB_val k = {slen, start}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen + 8 || memcmp(k.mv_data, start, plen) != 0)
			break;
		const uint8_t *p = (const uint8_t *)k.mv_data + plen;
		if (q->to_ms && (int64_t)store_from_be64(p) >= q->to_ms)
			break;
		if (vlist_take(r, &l, (const char *)p + 8, k.mv_size - plen - 8, !q->client_id[0]))
			break;
	}
	mdb_cursor_close(cur);
	Aedesk__VisitListReply rep = AEDESK__VISIT_LIST_REPLY__INIT;
	rep.n_visits = l.n;
	rep.visits = l.v;
	rep.n_contacts = l.nc;
	rep.contacts = l.c;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < l.n; i++)
		wire_free(&l.v[i]->base);
	for (size_t i = 0; i < l.nc; i++)
		wire_free(&l.c[i]->base);
	free(l.v);
	free(l.c);
	return rc;
}
