/*
 * NAME
 *	list.c - AuditListRequest: the trail, newest first, a page at a time
 *
 * DESCRIPTION
 *	Walks au_entries, or au_client / au_staff when a client or staff member is asked
 *	for, backwards from "until" (or from the page token, the last entry key of the
 *	previous page) down to "since". With both a client and a staff member, the client
 *	index is walked and entries by others skipped.
 *
 * SECURITY
 *	AD and admin only: the trail names who looked at which client's data.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store.h"
#include "wire.h"
#include "perm.h"

#define LIST_DEFAULT 50
#define LIST_MAX 1000

static int by_staff_too(const Aedesk__AuditEntry *en, const char *staff)
{
	if (strcmp(en->actor, staff) == 0)
		return 1;
	for (size_t i = 0; i < en->n_object_ids; i++)
		if (en->refused_action[0] && strcmp(en->object_ids[i], staff) == 0)
			return 1;
	return 0;
}

int audit_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__AuditListRequest *q = (const Aedesk__AuditListRequest *)in;
	if (perm_check(r, PERM_AUDIT_READ, NULL))
		return -1;
	if (strlen(q->client_id) > 64 || strlen(q->staff_id) > 64)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户或员工编号过长", "client or staff id too long");
	if (q->page.len && (q->page.len < 16 || q->page.len > 16 + 64))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "分页标记无效：请去掉 --page 重新查询",
		    "the page token is not valid: ask again without --page");
	if (q->until_ms && q->since_ms > q->until_ms)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "起始时间晚于结束时间", "since is after until");
	size_t limit = q->limit ? q->limit : LIST_DEFAULT;
	if (limit > LIST_MAX)
		limit = LIST_MAX;

	MDB_dbi dbi = audit.entries;
	const char *id = NULL;
	if (q->client_id[0])
		dbi = audit.by_client, id = q->client_id;
	else if (q->staff_id[0])
		dbi = audit.by_staff, id = q->staff_id;
	uint8_t start[256];
	size_t plen = id ? strlen(id) + 1 : 0;
	if (id)
		memcpy(start, id, plen); /* with its \0 */
	size_t slen = plen;
	if (q->page.len) {
		memcpy(start + plen, q->page.data, q->page.len);
		slen += q->page.len;
	} else {
		uint64_t until = q->until_ms > 0 ? (uint64_t)q->until_ms + 1 : UINT64_MAX;
		store_be64(start + plen, until);
		slen += 8;
	}

	Aedesk__AuditListReply rep = AEDESK__AUDIT_LIST_REPLY__INIT;
	Aedesk__AuditEntry **list = calloc(limit, sizeof *list);
	uint8_t next[16 + 64];
	size_t nextlen = 0;
	if (!list)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	MDB_cursor *c;
	int rc = mdb_cursor_open(r->txn, dbi, &c);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "audit cursor");
	}
	MDB_val k = {slen, start}, v;
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	rc = rc == 0 ? mdb_cursor_get(c, &k, &v, MDB_PREV) : mdb_cursor_get(c, &k, &v, MDB_LAST);
	/* UINT64_MAX as "until" has no key above it: SET_RANGE fails and LAST is right. */
	for (; rc == 0 && rep.n_entries < limit; rc = mdb_cursor_get(c, &k, &v, MDB_PREV)) {
		if (k.mv_size < plen + 16 || (plen && memcmp(k.mv_data, start, plen) != 0))
			break;
		const uint8_t *ek = (const uint8_t *)k.mv_data + plen;
		size_t eklen = k.mv_size - plen;
		if ((int64_t)store_from_be64(ek) < q->since_ms)
			break;
		Aedesk__AuditEntry *en = NULL;
		if (id) {
			if (store_get_msg(r->txn, audit.entries, ek, eklen, &aedesk__audit_entry__descriptor,
				(ProtobufCMessage **)&en) != 0)
				continue;
		} else
			en = (Aedesk__AuditEntry *)wire_unpack(&aedesk__audit_entry__descriptor, v.mv_data, v.mv_size, NULL);
		if (!en)
			continue;
		if (q->client_id[0] && q->staff_id[0] && !by_staff_too(en, q->staff_id)) {
			wire_free(&en->base);
			continue;
		}
		list[rep.n_entries++] = en;
		memcpy(next, ek, eklen);
		nextlen = eklen;
	}
	mdb_cursor_close(c);
	if (rep.n_entries == limit && rc == 0) {
		rep.next_page.data = next;
		rep.next_page.len = nextlen;
	}
	rep.entries = list;
	int out = svc_reply(r, &rep.base);
	for (size_t i = 0; i < rep.n_entries; i++)
		wire_free(&list[i]->base);
	free(list);
	return out;
}
