/*
 * NAME
 *	index.c - one event in, one audit entry and its index keys out
 *
 * DESCRIPTION
 *	audit_on_event sees every event of every source (r->env). It looks the payload's
 *	type up among all message types, walks the decoded message two levels deep and
 *	keeps the values of fields named "id", "*_id" and "*_ids" that look like ids
 *	(up to 40 of [A-Za-z0-9._:/-]); "client_id", "client_ids" and the "id" of a field
 *	named "client" are client ids. Nothing else of the payload is kept.
 */
#include <string.h>

#include "audit.h"
#include "log.h"
#include "store.h"
#include "wire.h"

#define MAX_IDS 16

struct ids {
	char *object[MAX_IDS], *client[MAX_IDS];
	size_t nobject, nclient;
};

static const ProtobufCMessageDescriptor *type_of(const char *name)
{
	for (size_t i = 0; audit_types[i]; i++)
		if (strcmp(audit_types[i]->name, name) == 0)
			return audit_types[i];
	return NULL;
}

static int looks_like_id(const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			c == '_' || c == ':' || c == '/' || c == '-'))
			return 0;
	}
	return 1;
}

static void add(char **list, size_t *n, char *v)
{
	if (!looks_like_id(v) || *n >= MAX_IDS)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(list[i], v) == 0)
			return;
	list[(*n)++] = v;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* collect walks m (depth 0 or 1 below the payload) for id fields; parent: the field holding m. */
static void collect(const ProtobufCMessage *m, const char *parent, int depth, struct ids *ids)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *base = (const char *)m;
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + f->quantifier_offset) != f->id)
			continue; /* not the member of its oneof that is set */
		int repeated = f->label == PROTOBUF_C_LABEL_REPEATED;
		size_t count = repeated ? *(const size_t *)(base + f->quantifier_offset) : 1;
		if (f->type == PROTOBUF_C_TYPE_STRING) {
			int is_client = strcmp(f->name, "client_id") == 0 || strcmp(f->name, "client_ids") == 0 ||
			    (strcmp(f->name, "id") == 0 && parent && strcmp(parent, "client") == 0);
			int is_id = repeated ? ends_with(f->name, "_ids")
					     : (strcmp(f->name, "id") == 0 || ends_with(f->name, "_id"));
			if (!is_id || strcmp(f->name, "after_id") == 0 || strcmp(f->name, "first_id") == 0 ||
			    strcmp(f->name, "last_id") == 0)
				continue;
			char *const *vals = repeated ? *(char *const *const *)(base + f->offset)
						     : (char *const *)(base + f->offset);
			for (size_t k = 0; k < count && vals; k++) {
				if (!vals[k])
					continue;
				add(ids->object, &ids->nobject, vals[k]);
				if (is_client)
					add(ids->client, &ids->nclient, vals[k]);
			}
		} else if (f->type == PROTOBUF_C_TYPE_MESSAGE && depth < 2) {
			ProtobufCMessage *const *subs = repeated ? *(ProtobufCMessage *const *const *)(base + f->offset)
							     : (ProtobufCMessage *const *)(base + f->offset);
			for (size_t k = 0; k < count && k < 8 && subs; k++)
				if (subs[k])
					collect(subs[k], f->name, depth + 1, ids);
		}
	}
}

/* put_index adds "id \0 entry key" to an index table. */
static int put_index(MDB_txn *txn, MDB_dbi dbi, const char *id, const uint8_t *ek, size_t eklen)
{
	uint8_t k[512];
	size_t n = strlen(id);
	if (n + 1 + eklen > sizeof k)
		return 0;
	memcpy(k, id, n);
	k[n] = 0;
	memcpy(k + n + 1, ek, eklen);
	MDB_val kv = {n + 1 + eklen, k}, vv = {0, ""};
	return mdb_put(txn, dbi, &kv, &vv, 0);
}

int audit_on_event(svc_req *r, const ProtobufCMessage *unused)
{
	(void)unused;
	const Aedesk__Envelope *e = r->env;
	Aedesk__AuditEntry en = AEDESK__AUDIT_ENTRY__INIT;
	en.time_ms = e->time_ms;
	en.service = e->source;
	en.seq = e->seq;
	en.actor = e->actor && e->actor[0] ? e->actor : "-";
	en.type = e->type;
	struct ids ids = {.nobject = 0};
	const ProtobufCMessageDescriptor *d = type_of(e->type);
	ProtobufCMessage *m = d ? wire_unpack(d, e->payload.data, e->payload.len, NULL) : NULL;
	const char *refused_who = NULL;
	if (m && d == &aedesk__access_refused__descriptor) {
		Aedesk__AccessRefused *ar = (Aedesk__AccessRefused *)m;
		en.refused_action = ar->action;
		en.reason = ar->reason;
		if (ar->staff_id[0] && strcmp(ar->staff_id, en.actor) != 0) {
			refused_who = ar->staff_id; /* a failed login: the account it named */
			add(ids.object, &ids.nobject, ar->staff_id);
		}
	} else if (m)
		collect(m, NULL, 0, &ids);
	en.object_ids = ids.object;
	en.n_object_ids = ids.nobject;
	en.client_ids = ids.client;
	en.n_client_ids = ids.nclient;

	uint8_t ek[8 + 8 + 64];
	size_t srclen = strlen(e->source);
	if (srclen > 64)
		srclen = 64;
	store_be64(ek, (uint64_t)e->time_ms);
	store_be64(ek + 8, e->seq);
	memcpy(ek + 16, e->source, srclen);
	size_t eklen = 16 + srclen;
	int rc = store_put_msg(r->txn, audit.entries, ek, eklen, &en.base, 0);
	if (rc == 0)
		rc = put_index(r->txn, audit.by_staff, en.actor, ek, eklen);
	if (rc == 0 && refused_who)
		rc = put_index(r->txn, audit.by_staff, refused_who, ek, eklen);
	for (size_t i = 0; rc == 0 && i < ids.nclient; i++)
		rc = put_index(r->txn, audit.by_client, ids.client[i], ek, eklen);
	wire_free(m);
	return rc ? svc_db_error(r, rc, "audit index") : 0;
}
