/*
 * NAME
 *	clients.c - add, show, list and search clients; the helpers other files share
 *
 * DESCRIPTION
 *	The shared helpers (registry.h): scope (registry_client_visible, _serves,
 *	_load), storing a change with its ClientUpdated event (registry_client_put),
 *	history lines, id counters, index keys and text checks.
 *	Client ids are "C" and a six-digit number from reg_meta's client_seq, never reused.
 *	Names are unique (the full legal name is how agencies tell clients apart).
 *
 * SECURITY
 *	Scope (DESIGN.md): an AE sees their own clients (and those whose service team they
 *	are on), an AM their team's (the clients of AEs whose manager they are, and their
 *	own), AD and admin all; creative, production
 *	and finance see the basic record their work needs. A client out of scope is
 *	answered as not found, so its existence does not leak.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

#define CLIENT_NAME_MAX 200
#define CLIENT_PAGE_DEFAULT 100
#define CLIENT_PAGE_MAX 1000

static int class_valid(const char *c)
{
	return c[0] >= 'A' && c[0] <= 'D' && c[1] == 0;
}

/* registry_client_visible applies the scope rule above to one client. */
int registry_client_visible(svc_req *r, const Aedesk__Client *c)
{
	uint32_t roles = r->caller->roles;
	if (roles & (ROLE_ADMIN | ROLE_AD | ROLE_CD | ROLE_PRODUCTION | ROLE_FINANCE))
		return 1;
	if (strcmp(c->ae, r->caller->id) == 0)
		return 1;
	for (size_t i = 0; i < c->n_team; i++)
		if (strcmp(c->team[i], r->caller->id) == 0)
			return 1;
	if (roles & ROLE_AM) {
		Aedesk__Staff *ae;
		if (c->ae[0] && registry_staff_get(r->txn, c->ae, &ae) == 0) {
			int mine = strcmp(ae->manager, r->caller->id) == 0;
			wire_free(&ae->base);
			return mine;
		}
	}
	return 0;
}

uint32_t registry_staff_roles(MDB_txn *txn, const char *id)
{
	Aedesk__Staff *st;
	if (registry_staff_get(txn, id, &st) != 0)
		return 0;
	uint32_t roles = 0;
	for (size_t i = 0; i < st->n_roles; i++)
		roles |= auth_role_parse(st->roles[i]);
	wire_free(&st->base);
	return roles;
}

static int staff_has_role(MDB_txn *txn, const char *id, uint32_t role)
{
	if (!store_exists(txn, registry.staff, id, strlen(id)))
		return -1;
	return (registry_staff_roles(txn, id) & role) != 0;
}

/* manages: `boss` is `who` or above `who` in the staff hierarchy (AE < AM < AD). */
static int manages(MDB_txn *txn, const char *boss, const char *who)
{
	char cur[64];
	snprintf(cur, sizeof cur, "%s", who);
	for (int depth = 0; depth < 8 && cur[0]; depth++) {
		if (strcmp(cur, boss) == 0)
			return 1;
		Aedesk__Staff *st;
		if (registry_staff_get(txn, cur, &st) != 0)
			return 0;
		snprintf(cur, sizeof cur, "%s", st->manager);
		wire_free(&st->base);
	}
	return 0;
}

int registry_client_serves(svc_req *r, const Aedesk__Client *c)
{
	const char *me = r->caller->id;
	if (c->ae[0] && manages(r->txn, me, c->ae))
		return 1;
	for (size_t i = 0; i < c->n_team; i++)
		if (manages(r->txn, me, c->team[i]))
			return 1;
	return 0;
}

int registry_client_load(svc_req *r, const char *id, Aedesk__Client **out)
{
	Aedesk__Client *c;
	if (store_get_msg(r->txn, registry.clients, id, strlen(id), &aedesk__client__descriptor,
		(ProtobufCMessage **)&c) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, id);
	if (!registry_client_visible(r, c)) {
		wire_free(&c->base);
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, id);
	}
	*out = c;
	return 0;
}

int registry_client_put(svc_req *r, Aedesk__Client *c, const char *change, const char *why)
{
	const char *by = r->caller ? r->caller->id : r->env->actor;
	char *copy = strdup(by);
	if (!copy)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	if (c->updated_by != protobuf_c_empty_string)
		free(c->updated_by);
	c->updated_by = copy; /* c is unpacked: wire_free frees it with the rest */
	c->updated_ms = r->now_ms;
	int rc = store_put_msg(r->txn, registry.clients, c->id, strlen(c->id), &c->base, 0);
	if (rc)
		return svc_db_error(r, rc, "clients");
	Aedesk__ClientUpdated ev = AEDESK__CLIENT_UPDATED__INIT;
	ev.client = c;
	ev.change = (char *)change;
	ev.why = (char *)why;
	return svc_emit(r, &ev.base);
}

int registry_history_add(svc_req *r, const char *client_id, const char *by, const char *change,
    const char *from, const char *to, const char *why)
{
	uint64_t n = store_get_u64(r->txn, registry.meta, "hist_seq", 0) + 1;
	uint8_t be[8];
	store_be64(be, n);
	char key[64];
	size_t klen = registry_index_key(key, sizeof key, client_id, be, sizeof be);
	Aedesk__ClientHistoryEntry e = AEDESK__CLIENT_HISTORY_ENTRY__INIT;
	e.at_ms = r->now_ms;
	e.by = (char *)by;
	e.change = (char *)change;
	e.from = (char *)from;
	e.to = (char *)to;
	e.why = (char *)why;
	int rc;
	if ((rc = store_put_u64(r->txn, registry.meta, "hist_seq", n)) != 0 ||
	    (rc = store_put_msg(r->txn, registry.client_hist, key, klen, &e.base, MDB_NOOVERWRITE)) != 0)
		return svc_db_error(r, rc, "client_hist");
	return 0;
}

int registry_next_id(svc_req *r, const char *seq, const char *prefix, char *buf, size_t len)
{
	uint64_t n = store_get_u64(r->txn, registry.meta, seq, 0) + 1;
	snprintf(buf, len, "%s%06llu", prefix, (unsigned long long)n);
	int rc = store_put_u64(r->txn, registry.meta, seq, n);
	return rc ? svc_db_error(r, rc, "reg_meta") : 0;
}

size_t registry_index_key(char *buf, size_t len, const char *a, const void *b, size_t blen)
{
	size_t alen = strlen(a);
	if (alen + 1 + blen > len)
		alen = len - 1 - blen; /* ids are short; never reached with the sizes used here */
	memcpy(buf, a, alen);
	buf[alen] = 0;
	memcpy(buf + alen + 1, b, blen);
	return alen + 1 + blen;
}

int registry_check_text(svc_req *r, const char *s, size_t max, const char *field_zh,
    const char *field_en)
{
	size_t n = strlen(s);
	if (n > max)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s过长：不超过 %zu 字节",
		    "%s is too long: at most %zu bytes", strcmp(r->lang, "en") == 0 ? field_en : field_zh, max);
	if (!text_utf8_valid(s, n))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s须为有效的 UTF-8 文本，不含控制字符",
		    "%s must be valid UTF-8 text without control characters",
		    strcmp(r->lang, "en") == 0 ? field_en : field_zh);
	return 0;
}

int registry_client_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientAddRequest *q = (const Aedesk__ClientAddRequest *)in;
	int en = strcmp(r->lang, "en") == 0;
	if (!svc_has_role(r, ROLE_AE | ROLE_AM | ROLE_AD | ROLE_ADMIN))
		return svc_fail(r, AEDESK__STATUS__PERMISSION_DENIED, MSG_PERMISSION,
		    en ? "add clients" : "添加客户");
	const char *why;
	if (validate_name(q->name, CLIENT_NAME_MAX, &why) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID,
		    en ? "the client name" : "客户名称",
		    en ? "it must be non-empty text of at most 200 bytes" : "须为非空文本，不超过 200 字节");
	const char *cls = q->class_[0] ? q->class_ : "C";
	if (!class_valid(cls))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_CLASS_INVALID, cls);
	const char *ae = q->ae;
	if (!ae[0] && svc_has_role(r, ROLE_AE))
		ae = r->caller->id;
	if (svc_has_role(r, ROLE_AE) && !svc_has_role(r, ROLE_AM | ROLE_AD | ROLE_ADMIN) &&
	    strcmp(ae, r->caller->id) != 0)
		return svc_fail(r, AEDESK__STATUS__PERMISSION_DENIED, MSG_AE_OWN_ONLY);
	if (ae[0]) {
		int is_ae = staff_has_role(r->txn, ae, ROLE_AE);
		if (is_ae < 0)
			return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, ae);
		if (!is_ae)
			return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_NOT_AN_AE, ae);
	}
	MDB_val nk = {strlen(q->name), q->name}, nv;
	if (mdb_get(r->txn, registry.client_name, &nk, &nv) == 0) {
		char other[32];
		snprintf(other, sizeof other, "%.*s", (int)nv.mv_size, (const char *)nv.mv_data);
		return svc_fail(r, AEDESK__STATUS__ALREADY_EXISTS, MSG_CLIENT_EXISTS, q->name, other);
	}
	uint64_t n = store_get_u64(r->txn, registry.meta, "client_seq", 0) + 1;
	char id[24];
	snprintf(id, sizeof id, "C%06llu", (unsigned long long)n);
	Aedesk__Client c = AEDESK__CLIENT__INIT;
	c.id = id;
	c.name = q->name;
	c.class_ = (char *)cls;
	c.ae = (char *)ae;
	c.created_ms = r->now_ms;
	c.created_by = (char *)r->caller->id;
	MDB_val iv = {strlen(id), id};
	int rc;
	if ((rc = store_put_u64(r->txn, registry.meta, "client_seq", n)) != 0 ||
	    (rc = store_put_msg(r->txn, registry.clients, id, strlen(id), &c.base, MDB_NOOVERWRITE)) != 0 ||
	    (rc = mdb_put(r->txn, registry.client_name, &nk, &iv, MDB_NOOVERWRITE)) != 0)
		return svc_db_error(r, rc, "clients");
	if (registry_history_add(r, id, r->caller->id, "created", "", cls, ""))
		return -1;
	Aedesk__ClientAdded ev = AEDESK__CLIENT_ADDED__INIT;
	ev.client = &c;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__ClientReply rep = AEDESK__CLIENT_REPLY__INIT;
	rep.client = &c;
	return svc_reply(r, &rep.base);
}

int registry_client_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientGetRequest *q = (const Aedesk__ClientGetRequest *)in;
	Aedesk__Client *c;
	if (store_get_msg(r->txn, registry.clients, q->id, strlen(q->id), &aedesk__client__descriptor,
		(ProtobufCMessage **)&c) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->id);
	int rc;
	if (!registry_client_visible(r, c))
		rc = svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->id);
	else {
		Aedesk__ClientReply rep = AEDESK__CLIENT_REPLY__INIT;
		rep.client = c;
		rc = svc_reply(r, &rep.base);
	}
	wire_free(&c->base);
	return rc;
}

int registry_client_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientListRequest *q = (const Aedesk__ClientListRequest *)in;
	if (q->class_[0] && !class_valid(q->class_))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_CLASS_INVALID, q->class_);
	size_t limit = q->limit ? q->limit : CLIENT_PAGE_DEFAULT;
	if (limit > CLIENT_PAGE_MAX)
		limit = CLIENT_PAGE_MAX;
	Aedesk__Client **list = calloc(limit + 1, sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.clients, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "clients");
	}
	MDB_val k = {strlen(q->after), q->after}, v;
	rc = q->after[0] ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	if (rc == 0 && q->after[0] && k.mv_size == strlen(q->after) && memcmp(k.mv_data, q->after, k.mv_size) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	size_t n = 0;
	int more = 0;
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Client *c = (Aedesk__Client *)wire_unpack(&aedesk__client__descriptor, v.mv_data,
		    v.mv_size, NULL);
		if (!c)
			continue;
		int keep = (!q->class_[0] || strcmp(c->class_, q->class_) == 0) &&
		    (!q->ae[0] || strcmp(c->ae, q->ae) == 0) &&
		    (!q->name_contains[0] || strstr(c->name, q->name_contains)) &&
		    registry_client_visible(r, c);
		if (keep && n == limit) {
			more = 1;
			wire_free(&c->base);
			break;
		}
		if (keep)
			list[n++] = c;
		else
			wire_free(&c->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ClientListReply rep = AEDESK__CLIENT_LIST_REPLY__INIT;
	rep.n_clients = n;
	rep.clients = list;
	rep.next_after = (more && n) ? list[n - 1]->id : "";
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
