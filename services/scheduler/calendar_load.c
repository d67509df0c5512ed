/*
 * NAME
 *	calendar_load.c - a new year's holiday notice, and the calendar feed (iCalendar)
 *
 * DESCRIPTION
 *	CalendarLoadRequest (`aedesk calendar load FILE`, AD or admin): the State Council's
 *	notice for a year (holiday-cn JSON, as the files of holidays_dir) is checked by
 *	loading it over the shipped files and the notices loaded before; a bad one is refused
 *	naming the line, and nothing changes. A good one is kept (table calnotice, loaded after
 *	holidays_dir at every start, in the order loaded: a later entry for a date wins) and
 *	applied at once: the days the planner has covered are planned again, so a day that
 *	became a day off loses its calendar reminders (cancelled "holiday calendar changed"),
 *	a day that became a working day gets them, and a reminder tied to the working days (a
 *	gift bought on the working day before, a week's end check) moves. Reminders from the
 *	job tracker keep the times they were given.
 *
 *	CalendarExportRequest (`aedesk calendar export --staff ID`): the staff member's pending
 *	reminders and the meetings they organise in the next `days` (60) as an iCalendar
 *	(RFC 5545) document: CRLF line endings, lines folded at 75 octets (never inside a
 *	UTF-8 character), TEXT values escaped (\\ ; , and newlines), a UID per event that
 *	stays the same across exports, DTSTAMP, and DTSTART/DTEND in UTC. The caller may export
 *	their own; an AM their AEs'; AD and admin anyone's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "log.h"
#include "sched.h"
#include "wire.h"
#include "perm.h"

#define EXPORT_MAX 2000

/* ---- loading notices ---- */

static int load_notices(MDB_txn *txn, holidays *h, char *err, size_t errlen)
{
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(txn, sched.calnotice, &c), ret = 0;
	if (rc) {
		snprintf(err, errlen, "calnotice: %s", mdb_strerror(rc));
		return -1;
	}
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && ret == 0; rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__CalendarNotice *n = (Aedesk__CalendarNotice *)wire_unpack(&aedesk__calendar_notice__descriptor,
		    vv.mv_data, vv.mv_size, NULL);
		if (n)
			ret = holidays_load_text(h, n->name, n->text, strlen(n->text), err, errlen);
		wire_free(n ? &n->base : NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

int sched_calendar_load_stored(svc_req *r)
{
	char err[600];
	if (load_notices(r->txn, sched.hol, err, sizeof err) != 0)
		log_error("a stored holiday notice no longer loads (%s): the shipped calendar is used for it", err);
	return 0;
}

/* ---- re-planning ---- */

static struct {
	char **ids;
	char *kept;
	size_t n;
	unsigned planned, moved;
} rp;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* planner_kind: the reminder was made by the calendar planner (rules_calendar.c). */
static int planner_kind(const char *k)
{
	static const char *const kinds[] = {"team", "greet", "gift", "bday", "bday_gift", "visit_mid", "visit_miss",
	    "prospect_mid", "plan_week", "plan_month"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(k, kinds[i]) == 0)
			return 1;
	return 0;
}

void sched_replan_made(void) { rp.planned++; }

static int64_t due_of_id(MDB_txn *txn, const char *id)
{
	Aedesk__Reminder *m = NULL;
	if (sched_get(txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&m) != 0)
		return -1;
	int64_t d = m->due_ms;
	wire_free(&m->base);
	return d;
}

int sched_replan_seen(svc_req *r, const Aedesk__Reminder *rem)
{
	char *key = rem->id, **hit = rp.n ? bsearch(&key, rp.ids, rp.n, sizeof *rp.ids, cmp_str) : NULL;
	if (!hit)
		return 0; /* fired, cancelled or outside what is re-planned */
	rp.kept[hit - rp.ids] = 1;
	if (due_of_id(r->txn, rem->id) == rem->due_ms)
		return 0;
	rp.moved++;
	return sched_move(r, rem->id, rem->due_ms);
}

static void replan_free(void)
{
	for (size_t i = 0; i < rp.n; i++)
		free(rp.ids[i]);
	free(rp.ids);
	free(rp.kept);
	memset(&rp, 0, sizeof rp);
}

/* replan: plan the covered days again under the new calendar; 0 or -1 (r failed). */
static int replan(svc_req *r, unsigned *cancelled)
{
	int64_t from = sched_meta_get(r->txn, "plan_today", 0), to = sched_meta_get(r->txn, "planned_through", 0);
	*cancelled = 0;
	replan_free();
	if (!from || !to)
		return 0;
	/* the pending planner reminders from now on: the ones a new plan may keep */
	MDB_cursor *c;
	MDB_val kv, vv;
	uint8_t k[8];
	store_be64(k, (uint64_t)r->now_ms);
	kv.mv_size = 8;
	kv.mv_data = k;
	int rc = mdb_cursor_open(r->txn, sched.due, &c);
	if (rc)
		return svc_db_error(r, rc, "rem_due");
	size_t cap = 0;
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size <= 8)
			continue;
		char *id = strndup((const char *)kv.mv_data + 8, kv.mv_size - 8);
		Aedesk__Reminder *m = NULL;
		if (id && sched_get(r->txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&m) == 0 &&
		    planner_kind(m->kind)) {
			if (rp.n == cap) {
				cap = cap ? cap * 2 : 256;
				char **ni = realloc(rp.ids, cap * sizeof *ni);
				if (!ni) {
					free(id);
					wire_free(&m->base);
					break;
				}
				rp.ids = ni;
			}
			rp.ids[rp.n++] = id;
			id = NULL;
		}
		free(id);
		wire_free(m ? &m->base : NULL);
	}
	mdb_cursor_close(c);
	if (rp.n)
		qsort(rp.ids, rp.n, sizeof *rp.ids, cmp_str);
	rp.kept = calloc(rp.n + 1, 1);
	if (!rp.kept)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	sched.replan = 1;
	int fail = sched_plan(r, (int)from, (int)to);
	sched.replan = 0;
	for (size_t i = 0; !fail && i < rp.n; i++)
		if (!rp.kept[i]) {
			fail = sched_cancel(r, rp.ids[i], "holiday calendar changed") != 0;
			(*cancelled)++;
		}
	return fail ? -1 : 0;
}

int sched_calendar_load(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__CalendarLoadRequest *q = (const Aedesk__CalendarLoadRequest *)in;
	if (perm_check(r, PERM_CALENDAR_LOAD, NULL))
		return -1;
	size_t nl = strlen(q->name);
	if (!nl || nl > 100 || strchr(q->name, '/'))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出通知的文件名（不超过 100 字节，如 2028.json）",
		    "give the notice's file name (100 bytes at most, e.g. 2028.json)");
	char err[600];
	holidays *nh = holidays_new();
	if (!nh)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	if (holidays_load_dir(nh, sched.hol_dir, err, sizeof err) != 0 || load_notices(r->txn, nh, err, sizeof err) != 0) {
		holidays_free(nh);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "现有节假日日历无法载入：%s", "the calendar in use does not load: %s",
		    err);
	}
	if (holidays_load_text(nh, q->name, q->text, strlen(q->text), err, sizeof err) != 0) {
		holidays_free(nh);
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "节假日通知无效：%s（须为 holiday-cn 格式的 JSON）",
		    "the holiday notice is not valid: %s (holiday-cn JSON expected)", err);
	}
	Aedesk__CalendarNotice n = AEDESK__CALENDAR_NOTICE__INIT;
	n.name = q->name;
	n.text = q->text;
	n.loaded_ms = r->now_ms;
	n.loaded_by = (char *)r->caller->id;
	MDB_stat st;
	uint8_t k[8];
	int rc = mdb_stat(r->txn, sched.calnotice, &st);
	store_be64(k, rc ? 1 : st.ms_entries + 1);
	if (!rc)
		rc = store_put_msg(r->txn, sched.calnotice, k, 8, &n.base, 0);
	if (rc) {
		holidays_free(nh);
		return svc_db_error(r, rc, "calnotice");
	}
	holidays *old = sched.hol;
	sched.hol = nh;
	unsigned cancelled = 0;
	if (replan(r, &cancelled) != 0) {
		sched.hol = old; /* the request failed: the store is rolled back, so is the calendar */
		holidays_free(nh);
		replan_free();
		return -1;
	}
	Aedesk__CalendarLoaded ev = AEDESK__CALENDAR_LOADED__INIT;
	ev.name = q->name;
	ev.loaded_by = (char *)r->caller->id;
	ev.planned = rp.planned;
	ev.moved = rp.moved;
	ev.cancelled = cancelled;
	Aedesk__CalendarLoadReply rep = AEDESK__CALENDAR_LOAD_REPLY__INIT;
	rep.name = q->name;
	rep.planned = rp.planned;
	rep.moved = rp.moved;
	rep.cancelled = cancelled;
	replan_free();
	if (svc_emit(r, &ev.base)) {
		sched.hol = old;
		holidays_free(nh);
		return -1;
	}
	if (sched.nretired < (int)(sizeof sched.retired / sizeof sched.retired[0]))
		sched.retired[sched.nretired++] = old; /* a reader may still hold it: freed at exit */
	log_info("holiday notice %s loaded by %s: %u planned, %u moved, %u cancelled", q->name, r->caller->id,
	    rep.planned, rep.moved, rep.cancelled);
	return svc_reply(r, &rep.base);
}

/* ---- the calendar feed ---- */

struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8192;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* line writes one content line "NAME:value" (value escaped as TEXT when text is set),
 * folded at 75 octets without splitting a UTF-8 character, ended by CRLF. */
static void line(struct buf *b, const char *name, const char *value, int text)
{
	char tmp[8192];
	size_t t = (size_t)snprintf(tmp, sizeof tmp, "%s:", name);
	for (const char *v = value; *v && t < sizeof tmp - 3; v++) {
		if (text && (*v == '\\' || *v == ';' || *v == ',')) {
			tmp[t++] = '\\';
			tmp[t++] = *v;
		} else if (text && *v == '\n') {
			tmp[t++] = '\\';
			tmp[t++] = 'n';
		} else if (*v != '\r')
			tmp[t++] = *v;
	}
	size_t col = 0;
	for (size_t i = 0; i < t;) {
		size_t len = 1;
		unsigned char c = (unsigned char)tmp[i];
		if (c >= 0xf0)
			len = 4;
		else if (c >= 0xe0)
			len = 3;
		else if (c >= 0xc0)
			len = 2;
		if (i + len > t)
			len = t - i;
		if (col + len > 75) {
			put(b, "\r\n ", 3);
			col = 1;
		}
		put(b, tmp + i, len);
		col += len;
		i += len;
	}
	put(b, "\r\n", 2);
}

static void utc_stamp(int64_t ms, char *out, size_t len)
{
	int64_t s = ms / 1000 - (ms % 1000 < 0);
	int days = (int)(s / 86400 - (s % 86400 < 0)), y, m, d;
	int sec = (int)(s - (int64_t)days * 86400);
	days_to_civil(days, &y, &m, &d);
	snprintf(out, len, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, sec / 3600, sec / 60 % 60, sec % 60);
}

static void event(struct buf *b, const char *uid, int64_t stamp, int64_t start, int64_t end, const char *summary,
    const char *location, const char *category, const char *description)
{
	char ts[32];
	put(b, "BEGIN:VEVENT\r\n", 14);
	line(b, "UID", uid, 1);
	utc_stamp(stamp, ts, sizeof ts);
	line(b, "DTSTAMP", ts, 0);
	utc_stamp(start, ts, sizeof ts);
	line(b, "DTSTART", ts, 0);
	utc_stamp(end, ts, sizeof ts);
	line(b, "DTEND", ts, 0);
	line(b, "SUMMARY", summary, 1);
	if (location && location[0])
		line(b, "LOCATION", location, 1);
	if (description && description[0])
		line(b, "DESCRIPTION", description, 1);
	if (category && category[0])
		line(b, "CATEGORIES", category, 1);
	put(b, "END:VEVENT\r\n", 12);
}

static int may_see(svc_req *r, const char *who)
{
	return perm_allows(r, PERM_CALENDAR_EXPORT, who);
}

int sched_calendar_export(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__CalendarExportRequest *q = (const Aedesk__CalendarExportRequest *)in;
	const char *who = q->staff_id[0] ? q->staff_id : r->caller->id;
	if (q->days > 400)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "days 最多 400 天", "days is 400 at most");
	if (!may_see(r, who))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "只能导出自己（AM：本组 AE）的日历",
		    "you can export only your own calendar (an AM: their AEs')");
	Aedesk__Staff *st = sched_staff(r->txn, who);
	if (!st)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有员工 %s", "there is no staff member %s", who);
	int64_t until = r->now_ms + (int64_t)(q->days ? q->days : 60) * SCHED_DAY_MS;
	const char *lang = sched_lang(who);
	struct buf b = {0};
	char name[200];
	put(&b, "BEGIN:VCALENDAR\r\n", 17);
	line(&b, "VERSION", "2.0", 0);
	line(&b, "PRODID", "-//aedesk//scheduler//ZH", 0);
	line(&b, "CALSCALE", "GREGORIAN", 0);
	line(&b, "METHOD", "PUBLISH", 0);
	snprintf(name, sizeof name, "aedesk %s %s", st->name, st->id);
	line(&b, "X-WR-CALNAME", name, 1);
	wire_free(&st->base);
	unsigned nev = 0;
	/* reminders pending from now to until, in time order */
	MDB_cursor *c;
	MDB_val kv, vv;
	uint8_t k[8];
	store_be64(k, (uint64_t)r->now_ms);
	kv.mv_size = 8;
	kv.mv_data = k;
	int rc = mdb_cursor_open(r->txn, sched.due, &c);
	if (rc) {
		free(b.p);
		return svc_db_error(r, rc, "rem_due");
	}
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE); rc == 0 && nev < EXPORT_MAX;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size <= 8 || (int64_t)store_from_be64(kv.mv_data) > until)
			break;
		char id[512];
		snprintf(id, sizeof id, "%.*s", (int)(kv.mv_size - 8), (const char *)kv.mv_data + 8);
		Aedesk__Reminder *m = NULL;
		if (sched_get(r->txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&m) != 0)
			continue;
		char *to[64], text[1024];
		size_t nto = sched_recipients(r->txn, m, to, 64), mine = 0;
		for (size_t i = 0; i < nto; i++) {
			mine |= strcmp(to[i], who) == 0;
			free(to[i]);
		}
		if (mine && !m->fired && !m->cancelled && sched_render(r->txn, m, lang, text, sizeof text) == 0) {
			char uid[600];
			snprintf(uid, sizeof uid, "%s/%s@aedesk", m->id, who);
			event(&b, uid, r->now_ms, m->due_ms, m->due_ms + 15 * SCHED_MIN_MS, text, NULL, m->rule, NULL);
			nev++;
		}
		wire_free(&m->base);
	}
	mdb_cursor_close(c);
	/* meetings they organise that have not ended */
	if ((rc = mdb_cursor_open(r->txn, sched.meetings, &c)) != 0) {
		free(b.p);
		return svc_db_error(r, rc, "meetings");
	}
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && nev < EXPORT_MAX;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__MeetingScheduled *m = (Aedesk__MeetingScheduled *)wire_unpack(
		    &aedesk__meeting_scheduled__descriptor, vv.mv_data, vv.mv_size, NULL);
		if (m && strcmp(m->organiser, who) == 0 && m->end_ms > r->now_ms && m->start_ms <= until) {
			char uid[200], desc[400];
			Aedesk__Client *cl = sched_client(r->txn, m->client_id);
			snprintf(uid, sizeof uid, "meeting-%s@aedesk", m->meeting_id);
			snprintf(desc, sizeof desc, strcmp(lang, "en") == 0 ? "Meeting %s with client %s (%s)" : "会议 %s，客户 %s（%s）",
			    m->meeting_id, cl ? cl->name : m->client_id, m->client_id);
			event(&b, uid, r->now_ms, m->start_ms, m->end_ms > m->start_ms ? m->end_ms : m->start_ms + 3600000,
			    m->title, m->room, "R-MEETING-1", desc);
			wire_free(cl ? &cl->base : NULL);
			nev++;
		}
		wire_free(m ? &m->base : NULL);
	}
	mdb_cursor_close(c);
	put(&b, "END:VCALENDAR\r\n", 15);
	if (b.oom) {
		free(b.p);
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "内存不足", "out of memory");
	}
	Aedesk__CalendarExportReply rep = AEDESK__CALENDAR_EXPORT_REPLY__INIT;
	rep.ics = b.p;
	rep.events = nev;
	int ret = svc_reply(r, &rep.base);
	free(b.p);
	return ret;
}
