/*
 * The client_class index (class \0 client id) that a class-filtered client list walks:
 * kept right across add, class change (R-CLASS-1) and reassignment, the same pages
 * (order, --after, next_after, scope) as the scan it replaced, and rebuilt at start
 * for a store that does not have it.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

/*
 * page: the ids of one page of "client list" with class cls (and ae when not NULL) as
 * "C000001,C000003" in ids; next_after in next. The status, or -1.
 */
static int page(harness *h, const char *cls, const char *ae, const char *after, uint32_t limit, char *ids,
    size_t idlen, char *next, size_t nextlen)
{
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	q.class_ = (char *)cls;
	q.ae = (char *)(ae ? ae : "");
	q.after = (char *)after;
	q.limit = limit;
	Aedesk__ClientListReply *r = NULL;
	ids[0] = 0;
	next[0] = 0;
	int st = h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (st == 0 && r) {
		size_t used = 0;
		for (size_t i = 0; i < r->n_clients && used < idlen; i++) {
			if (strcmp(r->clients[i]->class_, cls) != 0) /* a row of another class: wrong */
				used += (size_t)snprintf(ids + used, idlen - used, "%sWRONG-CLASS", i ? "," : "");
			else
				used += (size_t)snprintf(ids + used, idlen - used, "%s%s", i ? "," : "", r->clients[i]->id);
		}
		snprintf(next, nextlen, "%s", r->next_after);
	}
	wire_free(r ? &r->base : NULL);
	return st;
}

/* all: every page of class cls, 2 at a time, joined (the pages must chain by next_after). */
static void all(harness *h, const char *cls, char *ids, size_t idlen)
{
	char p[512], next[32], after[32] = "";
	size_t used = 0;
	ids[0] = 0;
	for (int guard = 0; guard < 50; guard++) {
		if (page(h, cls, NULL, after, 2, p, sizeof p, next, sizeof next) != 0) {
			snprintf(ids, idlen, "ERROR");
			return;
		}
		if (p[0])
			used += (size_t)snprintf(ids + used, idlen - used, "%s%s", used ? "," : "", p);
		if (!next[0])
			return;
		snprintf(after, sizeof after, "%s", next);
	}
}

static int add(harness *h, const char *name, const char *cls, const char *ae)
{
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = (char *)name;
	q.class_ = (char *)cls;
	q.ae = (char *)ae;
	return h_call(h, "registry", &q.base, &aedesk__client_reply__descriptor, NULL);
}

static int reclass(harness *h, const char *id, const char *cls)
{
	Aedesk__ClientClassRequest q = AEDESK__CLIENT_CLASS_REQUEST__INIT;
	q.id = (char *)id;
	q.class_ = (char *)cls;
	q.why = "年度投放变化";
	return h_call(h, "registry", &q.base, &aedesk__client_reply__descriptor, NULL);
}

/* drop_class_index deletes the client_class table from the (stopped) registry's store. */
static int drop_class_index(harness *h)
{
	char dir[400];
	snprintf(dir, sizeof dir, "%s/data/registry", h->home);
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	int rc = mdb_env_create(&env);
	if (rc == 0)
		mdb_env_set_maxdbs(env, 64);
	if (rc == 0 && (rc = mdb_env_set_mapsize(env, 1u << 30)) == 0 && (rc = mdb_env_open(env, dir, 0, 0600)) == 0 &&
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)) == 0) {
		if ((rc = mdb_dbi_open(txn, "client_class", 0, &dbi)) == 0 && (rc = mdb_drop(txn, dbi, 1)) == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	if (rc)
		fprintf(stderr, "  drop client_class: %s\n", mdb_strerror(rc));
	return rc;
}

/*
 * same_reply: the page for a caller who sees every client (the registry copies the
 * stored records into the reply) is byte for byte the page the general path gives (a
 * name filter every client matches makes it decode and re-encode each record).
 */
static int same_reply(harness *h, const char *cls, const char *after, uint32_t limit)
{
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	q.class_ = (char *)cls;
	q.after = (char *)after;
	q.limit = limit;
	Aedesk__ClientListReply *a = NULL, *b = NULL;
	int ok = h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&a) == 0;
	q.name_contains = "分类索引客户";
	ok = ok && h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&b) == 0;
	uint8_t *pa = NULL, *pb = NULL;
	size_t la = 0, lb = 0;
	ok = ok && a && b && wire_pack(&a->base, &pa, &la) == 0 && wire_pack(&b->base, &pb, &lb) == 0 && la == lb &&
	    memcmp(pa, pb, la) == 0;
	if (!ok)
		fprintf(stderr, "  page class=%s after=%s limit=%u differs: %zu vs %zu bytes\n", cls, after, limit, la, lb);
	free(pa);
	free(pb);
	wire_free(a ? &a->base : NULL);
	wire_free(b ? &b->base : NULL);
	return ok;
}

TEST(test_class_filtered_list_follows_adds_and_class_changes_R_CLASS_1)
{
	harness h;
	char out[4096], ids[1024], next[32];
	CHECK(h_setup(&h, "classidx") == 0 && h_start(&h, "registry") == 0 && h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "qian.am", "--name", "钱经理", "--role",
		      "am", "--password-stdin", NULL),
	    0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role",
		      "ae", "--manager", "qian.am", "--password-stdin", NULL),
	    0);
	/* C000001..C000008: classes B A B C B D B A; sun.ae has C000003 and C000007. */
	const char *cls[] = {"B", "A", "B", "C", "B", "D", "B", "A"};
	for (int i = 0; i < 8; i++) {
		char name[64];
		snprintf(name, sizeof name, "分类索引客户%d", i + 1);
		CHECK_INT(add(&h, name, cls[i], i == 2 || i == 6 ? "sun.ae" : ""), 0);
	}
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000003,C000005,C000007");
	all(&h, "A", ids, sizeof ids);
	CHECK_STR(ids, "C000002,C000008");
	/* A page: ordered by id, next_after is its last id, --after starts past it. */
	CHECK_INT(page(&h, "B", NULL, "", 3, ids, sizeof ids, next, sizeof next), 0);
	CHECK_STR(ids, "C000001,C000003,C000005");
	CHECK_STR(next, "C000005");
	CHECK_INT(page(&h, "B", NULL, "C000002", 10, ids, sizeof ids, next, sizeof next), 0);
	CHECK_STR(ids, "C000003,C000005,C000007");
	CHECK_STR(next, "");
	CHECK_INT(page(&h, "B", NULL, "C000007", 10, ids, sizeof ids, next, sizeof next), 0);
	CHECK_STR(ids, "");
	/* An invalid class is refused, as before. */
	CHECK_INT(page(&h, "E", NULL, "", 10, ids, sizeof ids, next, sizeof next), AEDESK__STATUS__INVALID_ARGUMENT);

	/* A class change moves the client between the pages (R-CLASS-1's one path). */
	CHECK_INT(reclass(&h, "C000003", "A"), 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000005,C000007");
	all(&h, "A", ids, sizeof ids);
	CHECK_STR(ids, "C000002,C000003,C000008");
	/* A refused change (same class) changes nothing. */
	CHECK_INT(reclass(&h, "C000003", "A"), AEDESK__STATUS__FAILED_PRECONDITION);
	all(&h, "A", ids, sizeof ids);
	CHECK_STR(ids, "C000002,C000003,C000008");
	CHECK_INT(reclass(&h, "C000006", "B"), 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000005,C000006,C000007");
	all(&h, "D", ids, sizeof ids);
	CHECK_STR(ids, "");
	/* Reassignment leaves the class alone; class and AE filters together. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "assign", "C000005", "--ae", "sun.ae", NULL), 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000005,C000006,C000007");
	CHECK_INT(page(&h, "B", "sun.ae", "", 10, ids, sizeof ids, next, sizeof next), 0);
	CHECK_STR(ids, "C000005,C000007");
	CHECK_INT(page(&h, "A", "sun.ae", "", 10, ids, sizeof ids, next, sizeof next), 0);
	CHECK_STR(ids, "C000003");
	/* Scope still applies: the AE sees only their own class-B clients. */
	CHECK(h_login(&h, "sun.ae", "password-123") == 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000005,C000007");
	CHECK(h_login_admin(&h) == 0);

	/* The pages copied from the stored records equal the decoded and re-encoded ones. */
	CHECK(same_reply(&h, "B", "", 2));
	CHECK(same_reply(&h, "B", "C000005", 2));
	CHECK(same_reply(&h, "B", "", 100));
	CHECK(same_reply(&h, "A", "C000001", 1));
	CHECK(same_reply(&h, "", "", 3));
	CHECK(same_reply(&h, "", "C000006", 100));
	CHECK(same_reply(&h, "D", "", 10));

	/* A store without the index (older than it): rebuilt at start, same pages. */
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK_INT(drop_class_index(&h), 0);
	CHECK_INT(h_start(&h, "registry"), 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000005,C000006,C000007");
	all(&h, "A", ids, sizeof ids);
	CHECK_STR(ids, "C000002,C000003,C000008");
	all(&h, "C", ids, sizeof ids);
	CHECK_STR(ids, "C000004");
	/* ...and kept right after the rebuild. */
	CHECK_INT(reclass(&h, "C000004", "B"), 0);
	CHECK_INT(add(&h, "分类索引客户9", "B", ""), 0);
	all(&h, "B", ids, sizeof ids);
	CHECK_STR(ids, "C000001,C000004,C000005,C000006,C000007,C000009");
	all(&h, "C", ids, sizeof ids);
	CHECK_STR(ids, "");
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_class_filtered_list_follows_adds_and_class_changes_R_CLASS_1);
	return check_summary();
}
