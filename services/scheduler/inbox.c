/*
 * NAME
 *	inbox.c - every staff member's notification inbox
 *
 * DESCRIPTION
 *	InboxListRequest -> InboxListReply: the caller's notifications, oldest first (admin:
 *	anyone's). By default the ones not done; unread: only unread; all: done ones too;
 *	after_id: only those after it (how `aedesk inbox --follow` catches up without a gap
 *	or a duplicate). InboxMarkRequest marks one read or done (done implies read) and emits
 *	InboxMarked.
 *
 *	sched_fire is the one place notifications are made: called by the tick inside its
 *	write transaction (see engine.c). Ids are N0000001... in firing order across every
 *	inbox; the key is staff id \0 be64(n), so one inbox is one key range.
 *
 *	The text is written in the recipient's language at firing time: config
 *	scheduler.lang.<staff id> = en, default Chinese.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sched.h"
#include "wire.h"

#define INBOX_MAX_RECIPIENTS 64

const char *sched_lang(const char *staff_id)
{
	char key[128];
	snprintf(key, sizeof key, "scheduler.lang.%s", staff_id);
	const char *v = conf_get(sched.conf, key, "zh");
	return strcmp(v, "en") == 0 ? "en" : "zh";
}

static size_t inbox_key(uint8_t *k, size_t len, const char *staff, uint64_t n)
{
	size_t sl = strlen(staff);
	if (sl + 9 > len)
		sl = len - 9;
	memcpy(k, staff, sl);
	k[sl] = 0;
	store_be64(k + sl + 1, n);
	return sl + 9;
}

/* sched_recipients resolves a reminder's "to" into staff ids (each a malloc'd string). */
size_t sched_recipients(MDB_txn *txn, const Aedesk__Reminder *rem, char **out, size_t max)
{
	size_t n = 0;
	if (rem->to[0] != '@') {
		if (rem->to[0])
			out[n++] = strdup(rem->to);
		return n;
	}
	if (strcmp(rem->to, "@finance") == 0 || strcmp(rem->to, "@admin") == 0) {
		const char *role = rem->to + 1;
		MDB_cursor *c;
		MDB_val kv, vv;
		if (mdb_cursor_open(txn, sched.staff, &c) != 0)
			return 0;
		for (int rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && n < max;
		     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
			Aedesk__Staff *s = (Aedesk__Staff *)wire_unpack(&aedesk__staff__descriptor,
			    vv.mv_data, vv.mv_size, NULL);
			if (s && !s->disabled && sched_staff_has(s, role))
				out[n++] = strdup(s->id);
			wire_free(s ? &s->base : NULL);
		}
		mdb_cursor_close(c);
		return n;
	}
	Aedesk__Client *cl = sched_client(txn, rem->client_id);
	if (!cl)
		return 0;
	if (strcmp(rem->to, "@ae") == 0 && cl->ae[0])
		out[n++] = strdup(cl->ae);
	else if (strcmp(rem->to, "@am") == 0) {
		Aedesk__Staff *ae = sched_staff(txn, cl->ae);
		if (ae && ae->manager[0])
			out[n++] = strdup(ae->manager);
		wire_free(ae ? &ae->base : NULL);
	}
	wire_free(&cl->base);
	return n;
}

int sched_fire(svc_req *r, Aedesk__Reminder *rem)
{
	char *to[INBOX_MAX_RECIPIENTS], *ids[INBOX_MAX_RECIPIENTS], idbuf[INBOX_MAX_RECIPIENTS][16];
	static char texts[INBOX_MAX_RECIPIENTS][1024];
	size_t nto = sched_recipients(r->txn, rem, to, INBOX_MAX_RECIPIENTS), nids = 0;
	int64_t since = rem->due_ms > rem->created_ms ? rem->due_ms : rem->created_ms;
	int late = r->now_ms - since > sched.late_ms, rc = 0, skipped = 0;
	uint64_t seq = (uint64_t)sched_meta_get(r->txn, "notif_seq", 0);
	/* The text first: a rule may find at firing time that it no longer applies. */
	for (size_t i = 0; i < nto && !skipped; i++)
		skipped = sched_render(r->txn, rem, sched_lang(to[i]), texts[i], sizeof texts[i]) != 0;
	for (size_t i = 0; i < nto && rc == 0 && !skipped; i++) {
		Aedesk__Notification n = AEDESK__NOTIFICATION__INIT;
		snprintf(idbuf[nids], sizeof idbuf[nids], "N%07" PRIu64, ++seq);
		n.id = idbuf[nids];
		n.staff_id = to[i];
		n.reminder_id = rem->id;
		n.rule = rem->rule;
		n.kind = rem->kind;
		n.text = texts[i];
		n.object_type = rem->object_type;
		n.object_id = rem->object_id;
		n.client_id = rem->client_id;
		n.due_ms = rem->due_ms;
		n.at_ms = r->now_ms;
		n.late = late;
		uint8_t k[256];
		size_t kl = inbox_key(k, sizeof k, to[i], seq);
		if ((rc = store_put_msg(r->txn, sched.inbox, k, kl, &n.base, 0)) != 0)
			rc = svc_db_error(r, rc, "inbox");
		else
			rc = svc_emit(r, &n.base);
		ids[nids] = idbuf[nids];
		nids++;
	}
	if (nto == 0 && strcmp(rem->to, "@am") != 0) /* an AE without an AM: nobody to escalate to */
		log_warn("reminder %s (%s): nobody to tell (client %s unknown or without an AE)", rem->id,
		    rem->rule, rem->client_id);
	for (size_t i = 0; i < nto; i++)
		free(to[i]);
	if (rc)
		return -1;
	char **old = rem->notification_ids, *old_why = rem->cancel_why;
	size_t nold = rem->n_notification_ids;
	rem->fired = !skipped;
	rem->cancelled = skipped;
	if (skipped)
		rem->cancel_why = (char *)"no longer needed when due";
	rem->fired_ms = r->now_ms;
	rem->late = late && !skipped;
	rem->notification_ids = ids;
	rem->n_notification_ids = nids;
	rc = sched_put(r, sched.rem, rem->id, &rem->base);
	rem->notification_ids = old;
	rem->n_notification_ids = nold;
	rem->cancel_why = old_why;
	if (rc || sched_meta_put(r, "notif_seq", (int64_t)seq))
		return -1;
	if (!skipped && (sched_meta_put(r, "fired", sched_meta_get(r->txn, "fired", 0) + 1) ||
	                    (late && sched_meta_put(r, "late", sched_meta_get(r->txn, "late", 0) + 1))))
		return -1;
	return 0;
}

/* seq_of: the number of a notification id "N0000012", 0 if it is not one. */
static uint64_t seq_of(const char *id)
{
	if (!id || id[0] != 'N' || !id[1])
		return 0;
	char *end;
	unsigned long long v = strtoull(id + 1, &end, 10);
	return *end ? 0 : v;
}

int sched_inbox_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__InboxListRequest *q = (const Aedesk__InboxListRequest *)in;
	const char *who = q->staff_id[0] ? q->staff_id : r->caller->id;
	if (perm_check(r, PERM_INBOX_READ, who))
		return -1;
	if (q->after_id[0] && !seq_of(q->after_id))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "after_id 须为通知编号（如 N0000001），而不是 %s",
		    "after_id must be a notification id (e.g. N0000001), not %s", q->after_id);
	uint32_t limit = q->limit ? q->limit : 200;
	if (limit > 1000)
		limit = 1000;
	Aedesk__InboxListReply rep = AEDESK__INBOX_LIST_REPLY__INIT;
	Aedesk__Notification **list = calloc(limit, sizeof *list);
	if (!list)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	size_t n = 0, wl = strlen(who);
	uint8_t k[256];
	MDB_cursor *c;
	MDB_val kv = {inbox_key(k, sizeof k, who, seq_of(q->after_id) + 1), k}, vv;
	int rc = mdb_cursor_open(r->txn, sched.inbox, &c);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "inbox");
	}
	char last[16] = "";
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size != wl + 9 || memcmp(kv.mv_data, who, wl + 1))
			break;
		snprintf(last, sizeof last, "N%07" PRIu64, store_from_be64((uint8_t *)kv.mv_data + wl + 1));
		if (n == limit)
			continue; /* still find the newest id */
		Aedesk__Notification *m = (Aedesk__Notification *)wire_unpack(
		    &aedesk__notification__descriptor, vv.mv_data, vv.mv_size, NULL);
		if (!m)
			continue;
		if ((q->unread && m->read) || (!q->all && !q->unread && m->done) || (q->unread && m->done && !q->all))
			wire_free(&m->base);
		else
			list[n++] = m;
	}
	mdb_cursor_close(c);
	if (!last[0] && q->after_id[0])
		snprintf(last, sizeof last, "%s", q->after_id);
	rep.notifications = list;
	rep.n_notifications = n;
	rep.last_id = last;
	int ret = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return ret;
}

int sched_inbox_mark(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__InboxMarkRequest *q = (const Aedesk__InboxMarkRequest *)in;
	uint64_t seq = seq_of(q->id);
	if (!seq)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出通知编号（如 N0000001），而不是 \"%s\"",
		    "give a notification id (e.g. N0000001), not \"%s\"", q->id);
	uint8_t k[256];
	size_t kl = inbox_key(k, sizeof k, r->caller->id, seq);
	Aedesk__Notification *m = NULL;
	int rc = store_get_msg(r->txn, sched.inbox, k, kl, &aedesk__notification__descriptor,
	    (ProtobufCMessage **)&m);
	if (rc == MDB_NOTFOUND)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "您的收件箱里没有通知 %s", "there is no notification %s in your inbox",
		    q->id);
	if (rc)
		return svc_db_error(r, rc, "inbox");
	if ((q->read || q->done) && !m->read) {
		m->read = 1;
		m->read_ms = r->now_ms;
	}
	if (q->done && !m->done) {
		m->done = 1;
		m->done_ms = r->now_ms;
	}
	rc = store_put_msg(r->txn, sched.inbox, k, kl, &m->base, 0);
	if (rc) {
		wire_free(&m->base);
		return svc_db_error(r, rc, "inbox");
	}
	Aedesk__InboxMarked ev = AEDESK__INBOX_MARKED__INIT;
	ev.staff_id = (char *)r->caller->id;
	ev.id = m->id;
	ev.read = m->read;
	ev.done = m->done;
	Aedesk__InboxMarkReply rep = AEDESK__INBOX_MARK_REPLY__INIT;
	rep.notification = m;
	rc = svc_emit(r, &ev.base) ? -1 : svc_reply(r, &rep.base);
	wire_free(&m->base);
	return rc;
}
