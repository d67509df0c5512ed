/*
 * NAME
 *	rules_visit.c - visit compliance, R-VISIT-1
 *
 * DESCRIPTION
 *	Per client and ISO week (agency zone): an A-class client needs 2 face visits
 *	(VisitLogged of kind VISIT), any other class 1; a week with fewer than 3 working days
 *	(Spring Festival, National Day) needs none. A class change counts from the next week.
 *	Mid-week (scheduler.visit_mid_day wed, visit_mid_time 12:00) the AE is told if the
 *	client is behind; at the week's end (visit_end_day fri, at day_end 17:30; the working
 *	day before when that is a day off) a miss goes to the AE and the AE's AM. Both are
 *	planned as reminders and checked again when due: a client that has had its visits by
 *	then is not mentioned.
 *
 *	SchedulerVisitsDueRequest answers `aedesk visits due [--week] [--team]`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "sched.h"
#include "wire.h"

static int week_workdays(int yw)
{
	int mon = sched_week_monday(yw), n = 0;
	for (int i = 0; i < 7; i++)
		n += sched_is_workday(mon + i);
	return n;
}

uint32_t sched_visit_required(MDB_txn *txn, const Aedesk__Client *c, int yw, const char **cls)
{
	static _Thread_local char buf[8]; /* reads run on several threads (svc.c serve_read) */
	const char *k = c->class_;
	MDB_val kv = {strlen(c->id), c->id}, vv;
	if (mdb_get(txn, sched.vclass, &kv, &vv) == 0 && vv.mv_size < 60) {
		char v[64], oldc[8], newc[8];
		int from;
		memcpy(v, vv.mv_data, vv.mv_size);
		v[vv.mv_size] = 0;
		if (sscanf(v, "%7s %7s %d", oldc, newc, &from) == 3) {
			snprintf(buf, sizeof buf, "%s", yw >= from ? newc : oldc);
			k = buf;
		}
	}
	if (cls)
		*cls = k;
	if (week_workdays(yw) < 3)
		return 0;
	return strcmp(k, "A") == 0 ? 2 : 1;
}

uint32_t sched_visit_done(MDB_txn *txn, const char *client_id, int yw)
{
	uint8_t k[128];
	size_t cl = strlen(client_id);
	if (cl > sizeof k - 5)
		return 0;
	memcpy(k, client_id, cl);
	k[cl] = 0;
	k[cl + 1] = (uint8_t)(yw >> 24), k[cl + 2] = (uint8_t)(yw >> 16), k[cl + 3] = (uint8_t)(yw >> 8),
	k[cl + 4] = (uint8_t)yw;
	MDB_val kv = {cl + 5, k}, vv;
	if (mdb_get(txn, sched.vcount, &kv, &vv) == 0 && vv.mv_size == 8)
		return (uint32_t)store_from_be64(vv.mv_data);
	return 0;
}

static int visit_one(svc_req *r, int day, const ProtobufCMessage *m)
{
	const Aedesk__Client *c = (const Aedesk__Client *)m;
	int wd = civil_weekday(day), yw = sched_week_of(day);
	char week[16], id[200];
	snprintf(week, sizeof week, "%04d-W%02d", yw / 100, yw % 100);
	const char *args[] = {week, NULL};
	if (wd == sched.visit_mid_wday && sched_is_workday(day)) {
		snprintf(id, sizeof id, "visit-mid/%s/%s", c->id, week);
		if (sched_add_simple(r, id, "R-VISIT-1", "visit_mid", "@ae", c->id, "client", c->id,
			sched_local_ms(day, sched.visit_mid_min), args))
			return -1;
	}
	/* the week's end: the configured day, or the last working day of the week before it */
	int end = day - wd + sched.visit_end_wday;
	while (end > day - wd && !sched_is_workday(end))
		end--;
	if (end == day && sched_is_workday(day)) {
		snprintf(id, sizeof id, "visit-end/%s/%s/ae", c->id, week);
		if (sched_add_simple(r, id, "R-VISIT-1", "visit_miss", "@ae", c->id, "client", c->id,
			sched_local_ms(day, sched.day_end_min), args))
			return -1;
		snprintf(id, sizeof id, "visit-end/%s/%s/am", c->id, week);
		if (sched_add_simple(r, id, "R-VISIT-1", "visit_miss", "@am", c->id, "client", c->id,
			sched_local_ms(day, sched.day_end_min), args))
			return -1;
	}
	return 0;
}

int sched_visit_plan_day(svc_req *r, int day, const Aedesk__Client *who)
{
	if (who)
		return visit_one(r, day, &who->base);
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, sched.clients, &c), ret = 0;
	if (rc)
		return svc_db_error(r, rc, "clients");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && ret == 0;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		ProtobufCMessage *m = wire_unpack(&aedesk__client__descriptor, vv.mv_data, vv.mv_size, NULL);
		if (m)
			ret = visit_one(r, day, m);
		wire_free(m);
	}
	mdb_cursor_close(c);
	return ret;
}

/* in_scope: the client is the caller's (AE), or with team within their client.write
 * scope (AM: their team's, AD and admin: any). */
static int in_scope(svc_req *r, const Aedesk__Client *c, int team)
{
	if (strcmp(c->ae, r->caller->id) == 0)
		return 1;
	return team && perm_allows(r, PERM_CLIENT_WRITE, c->ae[0] ? c->ae : "-");
}

int sched_visits_due(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__SchedulerVisitsDueRequest *q = (const Aedesk__SchedulerVisitsDueRequest *)in;
	int yw = sched_week_of(sched_local_day(r->now_ms));
	if (q->iso_year || q->week) {
		if (q->iso_year < 1900 || q->iso_year > 2199 || q->week < 1 || q->week > 53)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "周须为存在的 ISO 周（如 2026-W10）",
			    "the week must be an existing ISO week (e.g. 2026-W10)");
		yw = q->iso_year * 100 + q->week;
		if (sched_week_of(sched_week_monday(yw)) != yw)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%d 年没有第 %d 周",
			    "%d has no week %d", q->iso_year, q->week);
	}
	Aedesk__SchedulerVisitsDueReply rep = AEDESK__SCHEDULER_VISITS_DUE_REPLY__INIT;
	rep.iso_year = yw / 100;
	rep.week = yw % 100;
	Aedesk__SchedulerVisitWeek **rows = NULL, *store_rows = NULL;
	char (*cls)[8] = NULL;
	size_t n = 0, cap = 0;
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, sched.clients, &c), ret;
	if (rc)
		return svc_db_error(r, rc, "clients");
	Aedesk__Client **keep = NULL;
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__Client *cl = (Aedesk__Client *)wire_unpack(&aedesk__client__descriptor, vv.mv_data, vv.mv_size, NULL);
		if (!cl || !in_scope(r, cl, q->team)) {
			wire_free(cl ? &cl->base : NULL);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			void *a = realloc(rows, cap * sizeof *rows), *b = realloc(store_rows, cap * sizeof *store_rows),
			     *d = realloc(keep, cap * sizeof *keep), *e = realloc(cls, cap * sizeof *cls);
			if (a) rows = a;
			if (b) store_rows = b;
			if (d) keep = d;
			if (e) cls = e;
			if (!a || !b || !d || !e) {
				wire_free(&cl->base);
				break;
			}
		}
		Aedesk__SchedulerVisitWeek *w = &store_rows[n];
		*w = (Aedesk__SchedulerVisitWeek)AEDESK__SCHEDULER_VISIT_WEEK__INIT;
		const char *k = NULL;
		w->client_id = cl->id;
		w->client_name = cl->name;
		w->ae = cl->ae;
		w->required = sched_visit_required(r->txn, cl, yw, &k);
		snprintf(cls[n], sizeof cls[n], "%s", k ? k : "");
		w->done = sched_visit_done(r->txn, cl->id, yw);
		keep[n] = cl;
		n++;
	}
	mdb_cursor_close(c);
	for (size_t i = 0; i < n; i++) {
		store_rows[i].class_ = cls[i];
		rows[i] = &store_rows[i];
	}
	rep.rows = rows;
	rep.n_rows = n;
	ret = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&keep[i]->base);
	free(keep);
	free(rows);
	free(store_rows);
	free(cls);
	return ret;
}
