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
	return perm_allows_client(r, PERM_CLIENT_READ, c, NULL);
}

/* registry_manager_of: the permission table's manager lookup (common/perm.h). */
void registry_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len)
{
	Aedesk__Staff *st;
	out[0] = 0;
	if (staff[0] && registry_staff_get(txn, staff, &st) == 0) {
		snprintf(out, len, "%s", st->manager);
		wire_free(&st->base);
	}
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

/*
 * registry_client_create: see registry.h. The checks here are the ones every path
 * shares (client add, prospect win, import); callers check roles first.
 */
int registry_client_create(svc_req *r, const char *name, const char *cls, const char *ae,
    const char *uscc, const char *industry, const char *prospect_id, char *id, size_t idlen)
{
	int en = strcmp(r->lang, "en") == 0;
	if (validate_name(name, CLIENT_NAME_MAX, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID,
		    en ? "the client name" : "客户名称",
		    en ? "it must be non-empty text of at most 200 bytes" : "须为非空文本，不超过 200 字节");
	if (!class_valid(cls))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_CLASS_INVALID, cls);
	if (ae[0]) {
		int is_ae = staff_has_role(r->txn, ae, ROLE_AE);
		if (is_ae < 0)
			return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, ae);
		if (!is_ae)
			return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_NOT_AN_AE, ae);
	}
	MDB_val nk = {strlen(name), (void *)name}, nv;
	if (mdb_get(r->txn, registry.client_name, &nk, &nv) == 0) {
		char other[32];
		snprintf(other, sizeof other, "%.*s", (int)nv.mv_size, (const char *)nv.mv_data);
		return svc_fail(r, AEDESK__STATUS__ALREADY_EXISTS, MSG_CLIENT_EXISTS, name, other);
	}
	MDB_val uk = {strlen(uscc), (void *)uscc}, uv;
	if (uscc[0] && validate_uscc(uscc, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID,
		    en ? "the unified social credit code" : "统一社会信用代码",
		    en ? "18 characters with a correct check character (GB 32100)" : "须为 18 位且校验位正确（GB 32100）");
	if (uscc[0] && mdb_get(r->txn, registry.client_uscc, &uk, &uv) == 0)
		return svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "统一社会信用代码 %s 已属于客户 %.*s",
		    "the unified social credit code %s already belongs to client %.*s", uscc, (int)uv.mv_size,
		    (const char *)uv.mv_data);
	if (strlen(industry) > 100)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en ? "the industry" : "行业",
		    en ? "at most 100 bytes" : "不超过 100 字节");
	uint64_t n = store_get_u64(r->txn, registry.meta, "client_seq", 0) + 1;
	snprintf(id, idlen, "C%06llu", (unsigned long long)n);
	Aedesk__Client c = AEDESK__CLIENT__INIT;
	c.id = id;
	c.name = (char *)name;
	c.class_ = (char *)cls;
	c.ae = (char *)ae;
	c.created_ms = r->now_ms;
	c.created_by = (char *)r->caller->id;
	c.uscc = (char *)uscc;
	c.industry = (char *)industry;
	c.prospect_id = (char *)prospect_id;
	MDB_val iv = {strlen(id), id};
	int rc;
	if ((rc = store_put_u64(r->txn, registry.meta, "client_seq", n)) != 0 ||
	    (rc = store_put_msg(r->txn, registry.clients, id, strlen(id), &c.base, MDB_NOOVERWRITE)) != 0 ||
	    (rc = mdb_put(r->txn, registry.client_name, &nk, &iv, MDB_NOOVERWRITE)) != 0 ||
	    (uscc[0] && (rc = mdb_put(r->txn, registry.client_uscc, &uk, &iv, MDB_NOOVERWRITE)) != 0))
		return svc_db_error(r, rc, "clients");
	if (registry_client_index_ae(r, id, "", ae) || registry_client_index_class(r, id, "", cls) ||
	    registry_history_add(r, id, r->caller->id, "created", "", cls, ""))
		return -1;
	Aedesk__ClientAdded ev = AEDESK__CLIENT_ADDED__INIT;
	ev.client = &c;
	return svc_emit(r, &ev.base);
}

int registry_client_index_ae(svc_req *r, const char *id, const char *old_ae, const char *new_ae)
{
	char key[160];
	MDB_val v = {0, ""};
	int rc = 0;
	if (strcmp(old_ae, new_ae) == 0 && old_ae[0])
		return 0;
	if (old_ae[0]) {
		MDB_val k = {registry_index_key(key, sizeof key, old_ae, id, strlen(id)), key};
		rc = mdb_del(r->txn, registry.client_ae, &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc == 0 && new_ae[0]) {
		MDB_val k = {registry_index_key(key, sizeof key, new_ae, id, strlen(id)), key};
		rc = mdb_put(r->txn, registry.client_ae, &k, &v, 0);
	}
	return rc ? svc_db_error(r, rc, "client_ae") : 0;
}

int registry_client_index_class(svc_req *r, const char *id, const char *old_cls, const char *new_cls)
{
	char key[160];
	MDB_val v = {0, ""};
	int rc = 0;
	if (strcmp(old_cls, new_cls) == 0)
		return 0;
	if (old_cls[0]) {
		MDB_val k = {registry_index_key(key, sizeof key, old_cls, id, strlen(id)), key};
		rc = mdb_del(r->txn, registry.client_class, &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc == 0 && new_cls[0]) {
		MDB_val k = {registry_index_key(key, sizeof key, new_cls, id, strlen(id)), key};
		rc = mdb_put(r->txn, registry.client_class, &k, &v, 0);
	}
	return rc ? svc_db_error(r, rc, "client_class") : 0;
}

int registry_client_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientAddRequest *q = (const Aedesk__ClientAddRequest *)in;
	int en = strcmp(r->lang, "en") == 0;
	(void)en;
	if (perm_check(r, PERM_CLIENT_WRITE, NULL))
		return -1;
	const char *cls = q->class_[0] ? q->class_ : "C";
	const char *ae = q->ae;
	if (!ae[0] && perm_scope(r->caller->roles, PERM_CLIENT_WRITE) == PERM_OWN)
		ae = r->caller->id;
	if (ae[0] && perm_check(r, PERM_CLIENT_WRITE, ae))
		return -1;
	char id[24];
	if (registry_client_create(r, q->name, cls, ae, "", "", "", id, sizeof id))
		return -1;
	Aedesk__ClientReply rep = AEDESK__CLIENT_REPLY__INIT;
	Aedesk__Client *c;
	if (store_get_msg(r->txn, registry.clients, id, strlen(id), &aedesk__client__descriptor,
		(ProtobufCMessage **)&c) != 0)
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "client just added");
	rep.client = c;
	int rc = svc_reply(r, &rep.base);
	wire_free(&c->base);
	return rc;
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

/*
 * list_match: the filters of a ClientListRequest other than the one the scan's index
 * already applies, and scope.
 */
static int list_match(svc_req *r, const Aedesk__ClientListRequest *q, const Aedesk__Client *c)
{
	return (!q->class_[0] || strcmp(c->class_, q->class_) == 0) && (!q->ae[0] || strcmp(c->ae, q->ae) == 0) &&
	    (!q->industry[0] || strcmp(c->industry, q->industry) == 0) &&
	    (!q->name_contains[0] || strstr(c->name, q->name_contains)) && registry_client_visible(r, c);
}

static Aedesk__Client *client_by_id(MDB_txn *txn, const void *id, size_t len)
{
	MDB_val k = {len, (void *)id}, v;
	if (mdb_get(txn, registry.clients, &k, &v) != 0)
		return NULL;
	return (Aedesk__Client *)wire_unpack(&aedesk__client__descriptor, v.mv_data, v.mv_size, NULL);
}

/* ---- a page built from the stored records as they are ---- */

static size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

static size_t varint_get(const uint8_t *p, size_t len, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < len && i < 10; i++) {
		*v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80))
			return i + 1;
	}
	return 0;
}

/*
 * record_class_is: whether a packed aedesk.Client record's class (field 3) is cls,
 * read from its bytes without decoding it (-1: not a readable record).
 */
static int record_class_is(const uint8_t *p, size_t len, const char *cls)
{
	size_t i = 0, clen = strlen(cls);
	while (i < len) {
		uint64_t tag, n;
		size_t k = varint_get(p + i, len - i, &tag);
		if (!k)
			return -1;
		i += k;
		switch (tag & 7) {
		case 0:
			if (!(k = varint_get(p + i, len - i, &n)))
				return -1;
			i += k;
			break;
		case 1:
			i += 8;
			break;
		case 5:
			i += 4;
			break;
		case 2:
			if (!(k = varint_get(p + i, len - i, &n)) || n > len - i - k)
				return -1;
			i += k;
			if (tag >> 3 == 3)
				return n == clen && memcmp(p + i, cls, clen) == 0;
			i += (size_t)n;
			break;
		default:
			return -1;
		}
	}
	return i == len ? clen == 0 : -1; /* no field 3: class "" */
}

/*
 * list_raw answers a page for a caller who sees every client (scope all) with at most
 * a class filter: the reply is the stored records copied as they are (each is a packed
 * aedesk.Client, the same bytes unpacking and packing it again gives), instead of
 * unpacking 20 records and packing them back. Walks client_class for a class, else
 * clients by id; same order, page and next_after as the general path below.
 */
static int list_raw(svc_req *r, const Aedesk__ClientListRequest *q, size_t limit)
{
	const char *cls = q->class_;
	MDB_dbi dbi = cls[0] ? registry.client_class : registry.clients;
	char start[600];
	size_t slen = cls[0] ? registry_index_key(start, sizeof start, cls, q->after, strlen(q->after))
			     : (size_t)snprintf(start, sizeof start, "%s", q->after);
	size_t plen = cls[0] ? strlen(cls) + 1 : 0;
	MDB_val *recs = calloc(limit ? limit : 1, sizeof *recs);
	if (!recs)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, dbi, &cur);
	if (rc) {
		free(recs);
		return svc_db_error(r, rc, "clients");
	}
	size_t n = 0, total = 0;
	int more = 0;
	const char *last = "";
	size_t lastlen = 0;
	MDB_val k = {slen, start}, v;
	rc = slen ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	if (rc == 0 && slen > plen && k.mv_size == slen && memcmp(k.mv_data, start, slen) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		MDB_val rec = v;
		if (plen) {
			if (k.mv_size < plen || memcmp(k.mv_data, start, plen) != 0)
				break;
			MDB_val ik = {k.mv_size - plen, (char *)k.mv_data + plen};
			if (mdb_get(r->txn, registry.clients, &ik, &rec) != 0 ||
			    record_class_is(rec.mv_data, rec.mv_size, cls) != 1)
				continue; /* the index is kept in the same transactions; never seen */
		}
		if (n == limit) {
			more = 1;
			break;
		}
		recs[n++] = rec;
		total += 1 + 10 + rec.mv_size;
		last = plen ? (const char *)k.mv_data + plen : (const char *)k.mv_data;
		lastlen = plen ? k.mv_size - plen : k.mv_size;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND) {
		free(recs);
		return svc_db_error(r, rc, "clients");
	}
	uint8_t *out = malloc(total + 1 + 10 + lastlen + 1);
	if (!out) {
		free(recs);
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	}
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		out[used++] = (1 << 3) | 2; /* clients = 1, length-delimited */
		used += varint_put(out + used, recs[i].mv_size);
		memcpy(out + used, recs[i].mv_data, recs[i].mv_size);
		used += recs[i].mv_size;
	}
	if (more && n) {
		out[used++] = (2 << 3) | 2; /* next_after = 2 */
		used += varint_put(out + used, lastlen);
		memcpy(out + used, last, lastlen);
		used += lastlen;
	}
	free(recs);
	free(r->reply);
	r->reply = out;
	r->reply_len = used;
	r->reply_type = aedesk__client_list_reply__descriptor.name;
	return 0;
}

/*
 * registry_client_list: one page of the clients the caller sees, filtered.
 * The scan picks an index: code (a client id or USCC: at most one row); sort=name
 * walks client_name (UTF-8 byte order, i.e. Unicode order, not pinyin); an AE filter
 * walks client_ae, a class filter client_class (both sorted by client id after their
 * prefix, so a page is the same as from clients by id); otherwise clients by id. A name substring is matched on the
 * name index's keys before any record is decoded.
 */
int registry_client_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientListRequest *q = (const Aedesk__ClientListRequest *)in;
	if (q->class_[0] && !class_valid(q->class_))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_CLASS_INVALID, q->class_);
	int by_name = strcmp(q->sort, "name") == 0;
	if (q->sort[0] && !by_name && strcmp(q->sort, "id") != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "排序（sort）须为 id 或 name，而不是“%s”",
		    "sort must be id or name, not '%s'", q->sort);
	size_t limit = q->limit ? q->limit : CLIENT_PAGE_DEFAULT;
	if (limit > CLIENT_PAGE_MAX)
		limit = CLIENT_PAGE_MAX;
	if (!by_name && !q->code[0] && !q->ae[0] && !q->industry[0] && !q->name_contains[0] &&
	    perm_scope(r->caller->roles, PERM_CLIENT_READ) == PERM_ALL)
		return list_raw(r, q, limit);
	Aedesk__Client **list = calloc(limit + 1, sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	size_t n = 0;
	int more = 0, rc = 0;
	if (q->code[0]) {
		Aedesk__Client *c = client_by_id(r->txn, q->code, strlen(q->code));
		MDB_val uk = {strlen(q->code), q->code}, uv;
		if (!c && mdb_get(r->txn, registry.client_uscc, &uk, &uv) == 0)
			c = client_by_id(r->txn, uv.mv_data, uv.mv_size);
		if (c && list_match(r, q, c) && (!q->after[0] || strcmp(c->id, q->after) > 0))
			list[n++] = c;
		else if (c)
			wire_free(&c->base);
	} else {
		/* An index "prefix \0 client id": client_ae for an AE filter, else client_class. */
		const char *prefix = by_name ? "" : q->ae[0] ? q->ae : q->class_;
		MDB_dbi dbi = by_name ? registry.client_name
		    : q->ae[0]	      ? registry.client_ae
		    : q->class_[0]    ? registry.client_class
				      : registry.clients;
		char start[600];
		size_t slen = prefix[0] ? registry_index_key(start, sizeof start, prefix, q->after, strlen(q->after))
					: (size_t)snprintf(start, sizeof start, "%s", q->after);
		size_t plen = prefix[0] ? strlen(prefix) + 1 : 0; /* the index's prefix */
		MDB_cursor *cur;
		if ((rc = mdb_cursor_open(r->txn, dbi, &cur)) != 0) {
			free(list);
			return svc_db_error(r, rc, "clients");
		}
		MDB_val k = {slen, start}, v;
		rc = slen ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		if (rc == 0 && slen > plen && k.mv_size == slen && memcmp(k.mv_data, start, slen) == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (plen && (k.mv_size < plen || memcmp(k.mv_data, start, plen) != 0))
				break;
			Aedesk__Client *c;
			if (by_name) {
				if (q->name_contains[0] && !memmem(k.mv_data, k.mv_size, q->name_contains, strlen(q->name_contains)))
					continue;
				c = client_by_id(r->txn, v.mv_data, v.mv_size);
			} else if (plen)
				c = client_by_id(r->txn, (const char *)k.mv_data + plen, k.mv_size - plen);
			else
				c = (Aedesk__Client *)wire_unpack(&aedesk__client__descriptor, v.mv_data, v.mv_size, NULL);
			if (!c)
				continue;
			if (!list_match(r, q, c)) {
				wire_free(&c->base);
				continue;
			}
			if (n == limit) {
				more = 1;
				wire_free(&c->base);
				break;
			}
			list[n++] = c;
		}
		mdb_cursor_close(cur);
	}
	Aedesk__ClientListReply rep = AEDESK__CLIENT_LIST_REPLY__INIT;
	rep.n_clients = n;
	rep.clients = list;
	rep.next_after = (more && n) ? (by_name ? list[n - 1]->name : list[n - 1]->id) : "";
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}

/*
 * registry_index_backfill builds client_ae and client_class for a store from before
 * the indexes existed (run at start). client_ae once: reg_meta "client_ae_built"
 * records that it ran, so a store whose clients have no AE is not read through at every
 * start; client_class when it has no rows (a client always has a class, so it has rows
 * whenever there are clients).
 */
int registry_index_backfill(MDB_txn *txn)
{
	MDB_stat st, cst;
	if (mdb_stat(txn, registry.client_ae, &st) != 0 || mdb_stat(txn, registry.client_class, &cst) != 0)
		return 0;
	int built = store_get_u64(txn, registry.meta, "client_ae_built", 0) != 0;
	int want_ae = !built && st.ms_entries == 0, want_class = cst.ms_entries == 0;
	if (!built && !want_ae) {
		int prc = store_put_u64(txn, registry.meta, "client_ae_built", 1);
		if (prc)
			return prc;
	}
	if (!want_ae && !want_class)
		return 0;
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, registry.clients, &cur);
	if (rc)
		return rc;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Client *c = (Aedesk__Client *)wire_unpack(&aedesk__client__descriptor, v.mv_data, v.mv_size, NULL);
		if (!c)
			continue;
		char key[160], ckey[160];
		MDB_val ik = {registry_index_key(key, sizeof key, c->ae, c->id, strlen(c->id)), key}, iv = {0, ""};
		MDB_val ck = {registry_index_key(ckey, sizeof ckey, c->class_, c->id, strlen(c->id)), ckey};
		int prc = want_ae && c->ae[0] ? mdb_put(txn, registry.client_ae, &ik, &iv, 0) : 0;
		if (prc == 0 && want_class && c->class_[0])
			prc = mdb_put(txn, registry.client_class, &ck, &iv, 0);
		wire_free(&c->base);
		if (prc) {
			mdb_cursor_close(cur);
			return prc;
		}
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return rc;
	return want_ae ? store_put_u64(txn, registry.meta, "client_ae_built", 1) : 0;
}
