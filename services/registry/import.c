/*
 * NAME
 *	import.c - all-or-nothing client import in staged chunks
 *
 * DESCRIPTION
 *	A request frame is at most 1 MiB (WIRE_MAX_FRAME), so a large file cannot travel
 *	in one request, and separate requests would each commit on their own. So the
 *	import is staged: the CLI sends the rows in chunks under one import id (each row
 *	with its line number in the file); chunks are only kept in import_stage. The
 *	chunk with `final` checks every staged row and adds all the clients in this one
 *	transaction, or none: each bad row is reported with its line number and reason
 *	(the same checks as client add, plus duplicates within the file), and the stage
 *	is kept for the caller to `abort`. `dry_run` with `final` checks everything and
 *	stores nothing. A stage is dropped when committed or aborted, and any stage older
 *	than a day is dropped when a new import starts. At most IMPORT_MAX_ROWS rows.
 *
 *	The rows are added in a child transaction of the request's: on a dry run or any
 *	bad row it is aborted, so nothing of it (clients, indexes, history, events)
 *	survives, while the checks ran against the real store.
 *
 *	Messages in: ClientImportRequest (ClientImportReply).
 *	Events out: ClientAdded for each client (only when committed).
 *	Tables: import_stage (import id \0 be64(line) -> ImportRow), import_meta
 *	(import id -> be64(created_ms) be64(rows)).
 *
 * SECURITY
 *	AE, AM, AD and admin; an AE imports only clients of their own (as client add).
 *	A stage belongs to whoever knows its id; ids are the caller's random hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"
#include "wire.h"

#define IMPORT_MAX_ROWS 200000
#define IMPORT_ID_MAX 64
#define IMPORT_STALE_MS (24LL * 3600 * 1000)

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

static int id_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > IMPORT_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-'))
			return 0;
	return 1;
}

/* stage_drop deletes a stage's rows and meta. */
static int stage_drop(MDB_txn *txn, const char *id)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(txn, registry.import_stage, &cur);
	if (rc)
		return rc;
	size_t plen = strlen(id) + 1;
	MDB_val k = {plen, (void *)id}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && k.mv_size > plen && memcmp(k.mv_data, id, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	mdb_cursor_close(cur);
	if (rc && rc != MDB_NOTFOUND)
		return rc;
	MDB_val mk = {strlen(id), (void *)id};
	rc = mdb_del(txn, registry.import_meta, &mk, NULL);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* stale_drop drops the stages older than a day. */
static int stale_drop(svc_req *r)
{
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.import_meta, &cur);
	if (rc)
		return rc;
	char ids[16][IMPORT_ID_MAX + 1];
	int n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < 16; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if (v.mv_size == 16 && k.mv_size <= IMPORT_ID_MAX &&
		    (int64_t)store_from_be64(v.mv_data) < r->now_ms - IMPORT_STALE_MS)
			snprintf(ids[n++], sizeof ids[0], "%.*s", (int)k.mv_size, (const char *)k.mv_data);
	mdb_cursor_close(cur);
	for (int i = 0; i < n; i++)
		if ((rc = stage_drop(r->txn, ids[i])) != 0)
			return rc;
	return 0;
}

struct problems {
	char buf[880];
	size_t used;
	unsigned n, shown;
};

static void problem(struct problems *pr, int en, unsigned line, const char *why)
{
	pr->n++;
	int w = snprintf(pr->buf + pr->used, sizeof pr->buf - pr->used, en ? "%sline %u: %s" : "%s第 %u 行：%s",
	    pr->used ? (en ? "; " : "；") : "", line, why);
	if (w > 0 && pr->used + (size_t)w < sizeof pr->buf - 1) {
		pr->used += (size_t)w;
		pr->shown++;
	} else
		pr->buf[pr->used] = 0;
}

/*
 * commit_rows adds every staged row in a child transaction; 0 with *added and the
 * first/last ids, or the number of bad rows (pr filled). The child is committed
 * only when keep is set and every row went in.
 */
static int commit_rows(svc_req *r, const char *import_id, int keep, struct problems *pr, unsigned *added,
    char *first, char *last)
{
	MDB_txn *parent = r->txn, *child;
	int rc = mdb_txn_begin(mdb_txn_env(parent), parent, 0, &child);
	if (rc)
		return svc_db_error(r, rc, "import");
	MDB_cursor *cur;
	if ((rc = mdb_cursor_open(child, registry.import_stage, &cur)) != 0) {
		mdb_txn_abort(child);
		return svc_db_error(r, rc, "import_stage");
	}
	r->txn = child;
	int ae_only = perm_scope(r->caller->roles, PERM_CLIENT_WRITE) == PERM_OWN;
	size_t plen = strlen(import_id) + 1;
	MDB_val k = {plen, (void *)import_id}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && memcmp(k.mv_data, import_id, plen) == 0 && !r->map_full;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__ImportRow *row = (Aedesk__ImportRow *)wire_unpack(&aedesk__import_row__descriptor, v.mv_data,
		    v.mv_size, NULL);
		if (!row)
			continue;
		const char *ae = row->ae[0] ? row->ae : ae_only ? r->caller->id : "";
		char id[24];
		if (ae[0] && !perm_allows(r, PERM_CLIENT_WRITE, ae))
			problem(pr, en(r), row->line, en(r) ? "outside your scope: you may import clients only for yourself or your team (client.write)" : "不在您的负责范围：只能为自己或本团队导入客户（client.write）");
		else if (registry_client_create(r, row->name, row->class_[0] ? row->class_ : "C", ae, row->uscc,
			     row->industry, "", id, sizeof id) != 0) {
			problem(pr, en(r), row->line, r->message);
			r->status = AEDESK__STATUS__OK;
			r->message[0] = 0;
		} else {
			if (!*added)
				snprintf(first, 24, "%s", id);
			snprintf(last, 24, "%s", id);
			(*added)++;
		}
		wire_free(&row->base);
	}
	mdb_cursor_close(cur);
	r->txn = parent;
	if (r->map_full) {
		mdb_txn_abort(child);
		return -1;
	}
	if (pr->n || !keep) {
		mdb_txn_abort(child);
		return (int)pr->n;
	}
	if ((rc = mdb_txn_commit(child)) != 0)
		return svc_db_error(r, rc, "import");
	return 0;
}

int registry_client_import(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientImportRequest *q = (const Aedesk__ClientImportRequest *)in;
	int e = en(r);
	if (perm_check(r, PERM_CLIENT_WRITE, NULL))
		return -1;
	if (!id_ok(q->import_id))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, "import_id",
		    e ? "1 to 64 letters, digits or '-'" : "须为 1 到 64 个字母、数字或“-”");
	int rc;
	if (q->abort) {
		if ((rc = stage_drop(r->txn, q->import_id)) != 0)
			return svc_db_error(r, rc, "import_stage");
		Aedesk__ClientImportReply rep = AEDESK__CLIENT_IMPORT_REPLY__INIT;
		return svc_reply(r, &rep.base);
	}
	MDB_val mk = {strlen(q->import_id), (void *)q->import_id}, mv;
	uint8_t meta[16];
	uint64_t rows = 0;
	if (mdb_get(r->txn, registry.import_meta, &mk, &mv) == 0 && mv.mv_size == 16)
		memcpy(meta, mv.mv_data, 16);
	else {
		if ((rc = stale_drop(r)) != 0)
			return svc_db_error(r, rc, "import_stage");
		store_be64(meta, (uint64_t)r->now_ms);
		store_be64(meta + 8, 0);
	}
	rows = store_from_be64(meta + 8);
	if (rows + q->n_rows > IMPORT_MAX_ROWS)
		return svc_failf(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, "一次导入最多 %d 行；请把文件分成几份",
		    "one import takes at most %d rows; split the file", IMPORT_MAX_ROWS);
	for (size_t i = 0; i < q->n_rows; i++) {
		uint8_t be[8];
		char key[IMPORT_ID_MAX + 12];
		store_be64(be, q->rows[i]->line);
		size_t klen = registry_index_key(key, sizeof key, q->import_id, be, sizeof be);
		if ((rc = store_put_msg(r->txn, registry.import_stage, key, klen, &q->rows[i]->base, MDB_NOOVERWRITE)) != 0) {
			if (rc == MDB_KEYEXIST)
				return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %u 行已经送过（行号重复）",
				    "line %u was already sent (a line number twice)", q->rows[i]->line);
			return svc_db_error(r, rc, "import_stage");
		}
	}
	rows += q->n_rows;
	store_be64(meta + 8, rows);
	mv.mv_size = 16;
	mv.mv_data = meta;
	if ((rc = mdb_put(r->txn, registry.import_meta, &mk, &mv, 0)) != 0)
		return svc_db_error(r, rc, "import_meta");
	Aedesk__ClientImportReply rep = AEDESK__CLIENT_IMPORT_REPLY__INIT;
	rep.staged = (uint32_t)rows;
	if (!q->final)
		return svc_reply(r, &rep.base);

	struct problems pr = {.used = 0};
	unsigned added = 0;
	char first[24] = "", last[24] = "";
	rc = commit_rows(r, q->import_id, !q->dry_run, &pr, &added, first, last);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%u 行有误，未导入任何客户：%s%s",
		    "%u bad rows; no client was imported: %s%s", pr.n, pr.buf, pr.shown < pr.n ? (e ? "; ..." : "；……") : "");
	if ((rc = stage_drop(r->txn, q->import_id)) != 0)
		return svc_db_error(r, rc, "import_stage");
	rep.imported = q->dry_run ? 0 : added;
	rep.first_id = q->dry_run ? "" : first;
	rep.last_id = q->dry_run ? "" : last;
	return svc_reply(r, &rep.base);
}
