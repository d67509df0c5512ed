/*
 * NAME
 *	hooks.c - webhook settings, test messages, status and the test clock
 *
 * DESCRIPTION
 *	PushSetRequest adds or replaces the webhook of a staff member (scope "staff") or of
 *	an AM's team (scope "team": the notifications of every staff member whose manager is
 *	that AM). PushListRequest lists the ones the caller may manage, with counts;
 *	PushRemoveRequest removes one (what was still queued for it is given up);
 *	PushTestRequest queues a test message through the same outbox, limits and retries;
 *	PushStatusRequest: the backlog, held, sent and failed counts and the deliveries (the
 *	admin and ADs: all; others: of the webhooks they may manage).
 *
 * SECURITY
 *	Who may manage a webhook: the admin any; an AM their team's and their AEs'; anyone
 *	their own. The URL and the secret are credentials: replies carry them masked
 *	(push_mask_url, push_mask_secret), events and logs not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perm.h"
#include "push.h"
#include "sign.h"
#include "wire.h"

static int staff_has(const Aedesk__Staff *s, const char *role)
{
	for (size_t i = 0; s && i < s->n_roles; i++)
		if (strcmp(s->roles[i], role) == 0)
			return 1;
	return 0;
}

static Aedesk__Staff *staff_get(MDB_txn *txn, const char *id)
{
	Aedesk__Staff *s = NULL;
	if (!id[0] || store_get_msg(txn, push.staff, id, strlen(id), &aedesk__staff__descriptor,
			  (ProtobufCMessage **)&s) != 0)
		return NULL;
	return s;
}

/* push_manager_of: the permission table's manager chain, from push's staff projection. */
void push_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len)
{
	Aedesk__Staff *s = staff_get(txn, staff);
	snprintf(out, len, "%s", s ? s->manager : "");
	wire_free(s ? &s->base : NULL);
}

/* may_manage: the caller may set, remove and test this webhook (push.manage: one's own
 * robot; a team robot belongs to its AM; an AM manages their AEs'; AD and admin all). */
static int may_manage(svc_req *r, const char *scope, const char *target)
{
	(void)scope;
	return perm_allows(r, PERM_PUSH_MANAGE, target);
}

/* split_id: "staff:ae1" -> scope, target; a bare id is a staff member's. */
static int split_id(const char *id, char *scope, char *target, size_t len)
{
	const char *c = strchr(id, ':');
	if (!c) {
		snprintf(scope, len, "staff");
		snprintf(target, len, "%s", id);
	} else {
		snprintf(scope, len, "%.*s", (int)(c - id), id);
		snprintf(target, len, "%s", c + 1);
	}
	return (strcmp(scope, "staff") == 0 || strcmp(scope, "team") == 0) && target[0] ? 0 : -1;
}

/* sees: the admin and ADs see every delivery in status; others those of the
 * webhooks they may manage. */
static int sees(svc_req *r, const char *hook_id)
{
	char scope[64], target[64];
	return split_id(hook_id, scope, target, sizeof scope) == 0 && may_manage(r, scope, target);
}

struct counts {
	uint64_t pending, held, sent, failed;
	int64_t last_sent_ms;
	char last_error[256];
};

/* count walks the outbox: one webhook's, or (hook_id NULL) those the caller sees. */
static void count(svc_req *r, const char *hook_id, int64_t now, struct counts *c)
{
	MDB_txn *txn = r->txn;
	memset(c, 0, sizeof *c);
	MDB_cursor *cur;
	MDB_val kv, vv;
	int quiet = push_in_quiet(now);
	if (mdb_cursor_open(txn, push.out, &cur) != 0)
		return;
	for (int rc = mdb_cursor_get(cur, &kv, &vv, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &kv, &vv, MDB_NEXT)) {
		Aedesk__PushDelivery *d = (Aedesk__PushDelivery *)wire_unpack(&aedesk__push_delivery__descriptor,
		    vv.mv_data, vv.mv_size, NULL);
		if (d && (hook_id ? strcmp(d->hook_id, hook_id) == 0 : sees(r, d->hook_id))) {
			if (strcmp(d->state, "pending") == 0) {
				c->pending++;
				c->held += quiet && !d->urgent;
				if (d->last_error[0])
					snprintf(c->last_error, sizeof c->last_error, "%s", d->last_error);
			} else if (strcmp(d->state, "sent") == 0) {
				c->sent++;
				if (d->done_ms > c->last_sent_ms)
					c->last_sent_ms = d->done_ms;
			} else {
				c->failed++;
				snprintf(c->last_error, sizeof c->last_error, "%s", d->last_error);
			}
		}
		wire_free(d ? &d->base : NULL);
	}
	mdb_cursor_close(cur);
}

/* view fills a reply's view of a webhook (strings point into h and bufs). */
static void view(svc_req *r, const Aedesk__PushHook *h, Aedesk__PushHookView *v, char *url, size_t ul,
    char *sec, size_t sl, struct counts *c)
{
	aedesk__push_hook_view__init(v);
	push_mask_url(h->url, url, ul);
	push_mask_secret(h->secret, sec, sl);
	count(r, h->id, r->now_ms, c);
	v->id = h->id;
	v->scope = h->scope;
	v->target = h->target;
	v->kind = h->kind;
	v->url_masked = url;
	v->secret_masked = sec;
	v->updated_ms = h->updated_ms;
	v->updated_by = h->updated_by;
	v->pending = c->pending;
	v->sent = c->sent;
	v->failed = c->failed;
	v->last_sent_ms = c->last_sent_ms;
	v->last_error = c->last_error;
}

static int url_valid(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return 0;
	size_t n = strlen(u);
	if (n > 1024 || n < 10)
		return 0;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	return 1;
}

int push_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PushSetRequest *q = (const Aedesk__PushSetRequest *)in;
	if (strcmp(q->scope, "staff") != 0 && strcmp(q->scope, "team") != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "范围必须是 staff（个人）或 team（团队），不是「%s」",
		    "scope must be staff or team, not '%s'", q->scope);
	if (!q->target[0] || strlen(q->target) > 60 || strchr(q->target, ':'))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出员工编号%s", "give a staff id%s", "");
	if (!push_kind_valid(q->kind))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "机器人类型必须是 wecom（企业微信）、dingtalk（钉钉）或 feishu（飞书），不是「%s」",
		    "kind must be wecom, dingtalk or feishu, not '%s'", q->kind);
	if (!url_valid(q->url))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "webhook 地址必须以 http:// 或 https:// 开头%s",
		    "the webhook URL must be an http:// or https:// URL%s", "");
	if (strlen(q->secret) > 256 || strchr(q->secret, '\n'))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "签名密钥无效%s", "the signing secret is not valid%s", "");
	if (q->secret[0] && strcmp(q->kind, "wecom") == 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "企业微信群机器人不用签名密钥%s",
		    "a WeCom group robot takes no signing secret%s", "");
	Aedesk__Staff *s = staff_get(r->txn, q->target);
	if (!s) {
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有员工 %s", "no staff member %s", q->target);
	}
	int am = staff_has(s, "am");
	wire_free(&s->base);
	if (strcmp(q->scope, "team") == 0 && !am)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "%s 不是客户经理（AM），没有团队",
		    "%s is not an AM and has no team", q->target);
	if (!may_manage(r, q->scope, q->target))
		return perm_deny(r, PERM_PUSH_MANAGE);
	char id[96];
	snprintf(id, sizeof id, "%s:%s", q->scope, q->target);
	Aedesk__PushHook *old = NULL;
	store_get_msg(r->txn, push.hooks, id, strlen(id), &aedesk__push_hook__descriptor, (ProtobufCMessage **)&old);
	Aedesk__PushHook h = AEDESK__PUSH_HOOK__INIT;
	h.id = id;
	h.scope = q->scope;
	h.target = q->target;
	h.kind = q->kind;
	h.url = q->url;
	h.secret = q->secret;
	h.created_ms = old ? old->created_ms : r->now_ms;
	h.created_by = old ? old->created_by : (char *)r->caller->id;
	h.updated_ms = r->now_ms;
	h.updated_by = (char *)r->caller->id;
	int rc = store_put_msg(r->txn, push.hooks, id, strlen(id), &h.base, 0);
	if (rc) {
		wire_free(old ? &old->base : NULL);
		return svc_db_error(r, rc, "hooks");
	}
	Aedesk__PushHookSet ev = AEDESK__PUSH_HOOK_SET__INIT;
	ev.id = id;
	ev.kind = q->kind;
	ev.by = (char *)r->caller->id;
	rc = svc_emit(r, &ev.base);
	Aedesk__PushHookView v;
	char url[1100], sec[32];
	struct counts c;
	view(r, &h, &v, url, sizeof url, sec, sizeof sec, &c);
	Aedesk__PushHookReply rep = AEDESK__PUSH_HOOK_REPLY__INIT;
	rep.hook = &v;
	if (rc == 0)
		rc = svc_reply(r, &rep.base);
	wire_free(old ? &old->base : NULL);
	return rc;
}

int push_list(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	MDB_cursor *cur;
	MDB_val kv, vv;
	size_t n = 0, cap = 0;
	Aedesk__PushHook **hooks = NULL;
	int rc = mdb_cursor_open(r->txn, push.hooks, &cur);
	if (rc)
		return svc_db_error(r, rc, "hooks");
	for (rc = mdb_cursor_get(cur, &kv, &vv, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &kv, &vv, MDB_NEXT)) {
		Aedesk__PushHook *h = (Aedesk__PushHook *)wire_unpack(&aedesk__push_hook__descriptor, vv.mv_data,
		    vv.mv_size, NULL);
		if (!h || !may_manage(r, h->scope, h->target)) {
			wire_free(h ? &h->base : NULL);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			void *nh = realloc(hooks, cap * sizeof *hooks);
			if (!nh) {
				wire_free(&h->base);
				break;
			}
			hooks = nh;
		}
		hooks[n++] = h;
	}
	mdb_cursor_close(cur);
	Aedesk__PushHookView *v = calloc(n ? n : 1, sizeof *v), **vp = calloc(n ? n : 1, sizeof *vp);
	char(*urls)[1100] = calloc(n ? n : 1, sizeof *urls), (*secs)[32] = calloc(n ? n : 1, sizeof *secs);
	struct counts *c = calloc(n ? n : 1, sizeof *c);
	if (!v || !vp || !urls || !secs || !c)
		rc = svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足%s", "out of memory%s", "");
	else {
		for (size_t i = 0; i < n; i++) {
			view(r, hooks[i], &v[i], urls[i], sizeof urls[i], secs[i], sizeof secs[i], &c[i]);
			vp[i] = &v[i];
		}
		Aedesk__PushListReply rep = AEDESK__PUSH_LIST_REPLY__INIT;
		rep.hooks = vp;
		rep.n_hooks = n;
		rc = svc_reply(r, &rep.base);
	}
	for (size_t i = 0; i < n; i++)
		wire_free(&hooks[i]->base);
	free(hooks);
	free(v);
	free(vp);
	free(urls);
	free(secs);
	free(c);
	return rc;
}

/* hook_for: the webhook a request names, checked to exist and to be the caller's to manage. */
static int hook_for(svc_req *r, const char *id, Aedesk__PushHook **h)
{
	char scope[64], target[128], key[200];
	*h = NULL;
	if (split_id(id, scope, target, sizeof scope < sizeof target ? sizeof scope : sizeof target) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "推送编号应为 staff:员工编号 或 team:客户经理编号，不是「%s」",
		    "a push id is staff:STAFF-ID or team:AM-ID, not '%s'", id);
	snprintf(key, sizeof key, "%s:%s", scope, target);
	int rc = store_get_msg(r->txn, push.hooks, key, strlen(key), &aedesk__push_hook__descriptor,
	    (ProtobufCMessage **)h);
	if (rc == MDB_NOTFOUND || (rc == 0 && !may_manage(r, scope, target))) {
		/* Not the caller's: the same answer as none, so ids cannot be probed. */
		wire_free(*h ? &(*h)->base : NULL);
		*h = NULL;
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有你可以管理的推送 %s", "no push %s that you may manage", key);
	}
	return rc ? svc_db_error(r, rc, "hooks") : 0;
}

int push_remove(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PushRemoveRequest *q = (const Aedesk__PushRemoveRequest *)in;
	Aedesk__PushHook *h;
	int rc = hook_for(r, q->id, &h);
	if (rc)
		return rc;
	MDB_val kv = {strlen(h->id), h->id};
	if ((rc = mdb_del(r->txn, push.hooks, &kv, NULL)) != 0) {
		wire_free(&h->base);
		return svc_db_error(r, rc, "hooks");
	}
	push.dirty = 1; /* what was queued for it is given up by the next tick */
	Aedesk__PushHookRemoved ev = AEDESK__PUSH_HOOK_REMOVED__INIT;
	ev.id = h->id;
	ev.by = (char *)r->caller->id;
	rc = svc_emit(r, &ev.base);
	Aedesk__PushRemoveReply rep = AEDESK__PUSH_REMOVE_REPLY__INIT;
	rep.id = h->id;
	if (rc == 0)
		rc = svc_reply(r, &rep.base);
	wire_free(&h->base);
	return rc;
}

int push_test(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PushTestRequest *q = (const Aedesk__PushTestRequest *)in;
	if (strlen(q->text) > 2000)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "测试消息太长（最多 %d 字节）",
		    "the test text is too long (at most %d bytes)", 2000);
	Aedesk__PushHook *h;
	int rc = hook_for(r, q->id, &h);
	if (rc)
		return rc;
	char text[2300];
	snprintf(text, sizeof text, "%s%s", push.prefix,
	    q->text[0] ? q->text : "测试消息：aedesk 推送已接通。Test message: aedesk push works.");
	Aedesk__PushDelivery *d = NULL;
	rc = push_enqueue(r, h, "", r->caller->id, "TEST", text, 0, &d);
	if (rc == 0) {
		Aedesk__PushTestReply rep = AEDESK__PUSH_TEST_REPLY__INIT;
		rep.delivery = d;
		rc = svc_reply(r, &rep.base);
	}
	wire_free(d ? &d->base : NULL);
	wire_free(&h->base);
	return rc;
}

int push_status(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PushStatusRequest *q = (const Aedesk__PushStatusRequest *)in;
	size_t limit = q->limit ? q->limit : 50, n = 0;
	if (limit > 1000)
		limit = 1000;
	struct counts c;
	count(r, NULL, r->now_ms, &c);
	int quiet = push_in_quiet(r->now_ms);
	Aedesk__PushDelivery **ds = calloc(limit, sizeof *ds);
	if (!ds)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足%s", "out of memory%s", "");
	/* newest first: pending and failed ones (and sent ones with all) */
	MDB_cursor *cur;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, push.out, &cur);
	if (rc == 0) {
		for (int g = mdb_cursor_get(cur, &kv, &vv, MDB_LAST); g == 0 && n < limit;
		     g = mdb_cursor_get(cur, &kv, &vv, MDB_PREV)) {
			Aedesk__PushDelivery *d = (Aedesk__PushDelivery *)wire_unpack(
			    &aedesk__push_delivery__descriptor, vv.mv_data, vv.mv_size, NULL);
			if (d && (q->all || strcmp(d->state, "sent") != 0) && sees(r, d->hook_id)) {
				d->held = quiet && !d->urgent && strcmp(d->state, "pending") == 0;
				ds[n++] = d;
			} else
				wire_free(d ? &d->base : NULL);
		}
		mdb_cursor_close(cur);
	}
	uint64_t nhooks = 0;
	MDB_stat st;
	if (mdb_stat(r->txn, push.hooks, &st) == 0)
		nhooks = st.ms_entries;
	Aedesk__PushStatusReply rep = AEDESK__PUSH_STATUS_REPLY__INIT;
	rep.now_ms = r->now_ms;
	rep.pending = c.pending;
	rep.held = c.held;
	rep.sent = c.sent;
	rep.failed = c.failed;
	rep.quiet = quiet;
	rep.deliveries = ds;
	rep.n_deliveries = n;
	rep.hooks = nhooks;
	rc = rc ? svc_db_error(r, rc, "push outbox") : svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&ds[i]->base);
	free(ds);
	return rc;
}

int push_clock_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PushClockSetRequest *q = (const Aedesk__PushClockSetRequest *)in;
	if (!push.test_clock)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "测试时钟未开启（push.test_clock）%s",
		    "the test clock is off (push.test_clock)%s", "");
	if (perm_check(r, PERM_SCHEDULER_CLOCK, NULL))
		return -1;
	int64_t from = push_clock(r->svc), off = q->now_ms - wire_now_ms();
	int rc = store_put_u64(r->txn, push.meta, "clock_offset_ms", (uint64_t)off);
	if (rc)
		return svc_db_error(r, rc, "meta");
	atomic_store(&push.offset_ms, off);
	push.dirty = 1;
	Aedesk__PushClockMoved ev = AEDESK__PUSH_CLOCK_MOVED__INIT;
	ev.from_ms = from;
	ev.to_ms = q->now_ms;
	if ((rc = svc_emit(r, &ev.base)) != 0)
		return rc;
	Aedesk__PushStatusRequest sq = AEDESK__PUSH_STATUS_REQUEST__INIT;
	sq.limit = 1;
	r->now_ms = q->now_ms;
	return push_status(r, &sq.base);
}
