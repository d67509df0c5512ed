/*
 * NAME
 *	rules_plan.c - R-PLAN-1: a weekly work plan and a monthly summary from every AE
 *
 * DESCRIPTION
 *	The handbook (瑞邦 3.1 d): "认真填写好每周工作计划及月度总结". An AE hands in the week's
 *	plan (PlanSubmitRequest kind "week", period YYYY-Www, default this week) and the
 *	month's summary (kind "month", YYYY-MM, default this month); handing in again
 *	replaces the text. Kept in table "plans" under "<kind>/<period>/<staff>".
 *
 *	Reminders (planned by the calendar planner for every AE not disabled):
 *	  plan-week/<ae>/<YYYY-Www>   the week's first working day at scheduler.plan_time
 *	                              (08:30): hand in this week's plan
 *	  plan-month/<ae>/<YYYY-MM>   the month's last working day at scheduler.summary_time
 *	                              (16:00): hand in this month's summary
 *	Each lapses without a notification when it is in by then (render.c asks
 *	sched_plan_in). The AM sees who is missing with PlanMissingRequest (`aedesk plan
 *	missing`): an AE sees themselves, an AM their AEs, AD and admin every AE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "sched.h"
#include "wire.h"
#include "perm.h"

static void week_str(int yw, char *buf, size_t len) { snprintf(buf, len, "%04d-W%02d", yw / 100, yw % 100); }

static void month_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d", y, m);
}

/* first_workday_of_week / last_workday_of_month: -1 when the period has none. */
static int first_workday_of_week(int yw)
{
	int mon = sched_week_monday(yw);
	for (int i = 0; i < 7; i++)
		if (sched_is_workday(mon + i))
			return mon + i;
	return -1;
}

static int last_workday_of_month(int day)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	int first = civil_to_days(y, m, 1), last = m == 12 ? civil_to_days(y + 1, 1, 1) - 1 : civil_to_days(y, m + 1, 1) - 1;
	for (int x = last; x >= first; x--)
		if (sched_is_workday(x))
			return x;
	return -1;
}

static int plan_key(char *buf, size_t len, const char *kind, const char *period, const char *staff)
{
	return snprintf(buf, len, "%s/%s/%s", kind, period, staff) >= (int)len ? -1 : 0;
}

int sched_plan_in(MDB_txn *txn, const char *kind, const char *period, const char *staff)
{
	char k[256];
	if (plan_key(k, sizeof k, kind, period, staff))
		return 0;
	return store_exists(txn, sched.plans, k, strlen(k));
}

int sched_plan_plan_day(svc_req *r, int day, const Aedesk__Staff *who)
{
	int yw = sched_week_of(day);
	int week = first_workday_of_week(yw) == day, month = last_workday_of_month(day) == day;
	if (!week && !month)
		return 0;
	char wk[16], mo[16], id[200];
	week_str(yw, wk, sizeof wk);
	month_str(day, mo, sizeof mo);
	MDB_cursor *c = NULL;
	MDB_val kv, vv;
	int rc = 0;
	if (!who && (rc = mdb_cursor_open(r->txn, sched.staff, &c)) != 0)
		return svc_db_error(r, rc, "staff");
	for (rc = who ? 0 : mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0;
	     rc = who ? MDB_NOTFOUND : mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__Staff *s = who ? NULL : (Aedesk__Staff *)wire_unpack(&aedesk__staff__descriptor, vv.mv_data,
		    vv.mv_size, NULL);
		const Aedesk__Staff *st = who ? who : s;
		int fail = 0;
		if (st && !st->disabled && sched_staff_has(st, "ae")) {
			if (week) {
				snprintf(id, sizeof id, "plan-week/%s/%s", st->id, wk);
				const char *args[] = {wk, NULL};
				fail = sched_add_simple(r, id, "R-PLAN-1", "plan_week", st->id, "", "plan", wk,
				    sched_local_ms(day, sched.plan_min), args) != 0;
			}
			if (month && !fail) {
				snprintf(id, sizeof id, "plan-month/%s/%s", st->id, mo);
				const char *args[] = {mo, NULL};
				fail = sched_add_simple(r, id, "R-PLAN-1", "plan_month", st->id, "", "plan", mo,
				    sched_local_ms(day, sched.summary_min), args) != 0;
			}
		}
		wire_free(s ? &s->base : NULL);
		if (fail) {
			if (c)
				mdb_cursor_close(c);
			return -1;
		}
	}
	if (c)
		mdb_cursor_close(c);
	return 0;
}

/* parse_week / parse_month: "YYYY-Www" -> yw, "YYYY-MM" -> day of its 1st; -1 if not one. */
static int parse_week(const char *s)
{
	int y, w, n = -1;
	if (sscanf(s, "%4d-W%2d%n", &y, &w, &n) != 2 || n != 8 || s[n] || y < 1900 || y > 2199 || w < 1 || w > 53)
		return -1;
	int yw = y * 100 + w;
	return sched_week_of(sched_week_monday(yw)) == yw ? yw : -1;
}

static int parse_month(const char *s)
{
	int y, m, n = -1;
	if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 || s[n] || y < 1900 || y > 2199 || m < 1 || m > 12)
		return -1;
	return civil_to_days(y, m, 1);
}

int sched_plan_submit(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PlanSubmitRequest *q = (const Aedesk__PlanSubmitRequest *)in;
	if (perm_check(r, PERM_PLAN_SUBMIT, r->caller->id))
		return -1;
	int week = strcmp(q->kind, "week") == 0;
	if (!week && strcmp(q->kind, "month") != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "kind 须为 week（周计划）或 month（月度总结），而不是 \"%s\"",
		    "kind must be week (work plan) or month (monthly summary), not \"%s\"", q->kind);
	int today = sched_local_day(r->now_ms);
	char period[16];
	if (!q->period[0]) {
		if (week)
			week_str(sched_week_of(today), period, sizeof period);
		else
			month_str(today, period, sizeof period);
	} else if (week ? parse_week(q->period) < 0 : parse_month(q->period) < 0) {
		return week ? svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "周须为存在的 ISO 周 YYYY-Www（如 2026-W10），而不是 \"%s\"",
		                  "the week must be an existing ISO week YYYY-Www (e.g. 2026-W10), not \"%s\"", q->period)
		            : svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "月份须为 YYYY-MM（如 2026-03），而不是 \"%s\"",
		                  "the month must be YYYY-MM (e.g. 2026-03), not \"%s\"", q->period);
	} else {
		snprintf(period, sizeof period, "%s", q->period);
	}
	size_t tl = strlen(q->text), blank = strspn(q->text, " \t\r\n");
	if (blank == tl)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s不能为空", "the %s cannot be empty",
		    week ? "工作计划" : "月度总结");
	if (tl > 64 * 1024)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "内容过长（最多 64 KB）", "the text is too long (64 KB at most)");
	Aedesk__PlanEntry e = AEDESK__PLAN_ENTRY__INIT;
	e.staff_id = (char *)r->caller->id;
	e.kind = (char *)q->kind;
	e.period = period;
	e.text = (char *)q->text;
	e.submitted_ms = r->now_ms;
	char k[256];
	if (plan_key(k, sizeof k, e.kind, period, e.staff_id))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "员工编号过长", "the staff id is too long");
	if (sched_put(r, sched.plans, k, &e.base))
		return -1;
	Aedesk__PlanSubmitted ev = AEDESK__PLAN_SUBMITTED__INIT;
	ev.plan = &e;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__PlanSubmitReply rep = AEDESK__PLAN_SUBMIT_REPLY__INIT;
	rep.plan = &e;
	return svc_reply(r, &rep.base);
}

int sched_plan_missing(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PlanMissingRequest *q = (const Aedesk__PlanMissingRequest *)in;
	int today = sched_local_day(r->now_ms);
	char wk[16], mo[16];
	if (q->week[0] && parse_week(q->week) < 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "周须为存在的 ISO 周 YYYY-Www（如 2026-W10），而不是 \"%s\"",
		    "the week must be an existing ISO week YYYY-Www (e.g. 2026-W10), not \"%s\"", q->week);
	if (q->month[0] && parse_month(q->month) < 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "月份须为 YYYY-MM（如 2026-03），而不是 \"%s\"",
		    "the month must be YYYY-MM (e.g. 2026-03), not \"%s\"", q->month);
	if (q->week[0])
		snprintf(wk, sizeof wk, "%s", q->week);
	else
		week_str(sched_week_of(today), wk, sizeof wk);
	if (q->month[0])
		snprintf(mo, sizeof mo, "%s", q->month);
	else { /* the latest month whose summary is due: this one from its last working day */
		int y, m, d;
		days_to_civil(today, &y, &m, &d);
		int lw = last_workday_of_month(today);
		month_str(lw >= 0 && today >= lw ? today : civil_to_days(y, m, 1) - 1, mo, sizeof mo);
	}
	if (perm_check(r, PERM_PLAN_READ, NULL))
		return -1;
	Aedesk__PlanMissingReply rep = AEDESK__PLAN_MISSING_REPLY__INIT;
	rep.week = wk;
	rep.month = mo;
	Aedesk__PlanMissingRow *rows = NULL, **ptrs = NULL;
	Aedesk__Staff **keep = NULL;
	size_t n = 0, cap = 0;
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, sched.staff, &c);
	if (rc)
		return svc_db_error(r, rc, "staff");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__Staff *s = (Aedesk__Staff *)wire_unpack(&aedesk__staff__descriptor, vv.mv_data, vv.mv_size, NULL);
		int in_scope = s && !s->disabled && sched_staff_has(s, "ae") &&
		    perm_allows(r, PERM_PLAN_READ, s->id);
		int wp = in_scope && sched_plan_in(r->txn, "week", wk, s->id);
		int ms = in_scope && sched_plan_in(r->txn, "month", mo, s->id);
		if (!in_scope || (!q->all && wp && ms)) {
			wire_free(s ? &s->base : NULL);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			void *a = realloc(rows, cap * sizeof *rows), *b = realloc(keep, cap * sizeof *keep);
			if (a)
				rows = a;
			if (b)
				keep = b;
			if (!a || !b) {
				wire_free(&s->base);
				break;
			}
		}
		rows[n] = (Aedesk__PlanMissingRow)AEDESK__PLAN_MISSING_ROW__INIT;
		rows[n].staff_id = s->id;
		rows[n].name = s->name;
		rows[n].manager = s->manager;
		rows[n].week_plan = wp;
		rows[n].month_summary = ms;
		keep[n++] = s;
	}
	mdb_cursor_close(c);
	ptrs = n ? calloc(n, sizeof *ptrs) : NULL;
	for (size_t i = 0; ptrs && i < n; i++)
		ptrs[i] = &rows[i];
	rep.rows = ptrs;
	rep.n_rows = ptrs ? n : 0;
	int ret = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&keep[i]->base);
	free(keep);
	free(rows);
	free(ptrs);
	return ret;
}
