/*
 * NAME
 *	rules_calendar.c - the planner and the calendar rules: R-TEAM-1, R-GREET-1, R-GREET-2
 *
 * DESCRIPTION
 *	The planner (called by the tick) makes the reminders of every local day up to today
 *	+ horizon (gift lead + 10 days), once per day; a staff member, client or contact that
 *	appears later gets its share of the days already covered (sched_plan_object). Ids
 *	name the occasion, so planning a day twice makes nothing twice.
 *
 *	R-TEAM-1: on each configured team day (scheduler.team_days, default mon,wed,fri) that
 *	is a working day (official holidays skipped, 调休 respected), every AM and AE is told
 *	team_notice_min (30) minutes before team_time (09:00).
 *
 *	R-GREET-1: every client's AE is told to greet the client on New Year's Day, Spring
 *	Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn and National Day (at
 *	greet_time, 09:00), and for Spring Festival and Mid-Autumn to buy a gift
 *	gift_lead_days (7) before; a contact's birthday gets both. A gift reminder that falls
 *	on a day off moves to the working day before it (early enough to buy).
 *
 *	R-GREET-2: the festivals and lunar birthdays are computed with lunar.h (1900-2100).
 *	A lunar birthday in a leap month is kept in that leap month in years that have it,
 *	otherwise on the same day of the ordinary month; day 30 of a month that has 29 days
 *	that year is kept on day 29. A solar birthday on 29 February is kept on 28 February
 *	in common years.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "lunar.h"
#include "sched.h"
#include "wire.h"

/* each_record calls fn on every record of a projection table (fn returns non-zero to stop). */
static int each_record(svc_req *r, MDB_dbi dbi, const ProtobufCMessageDescriptor *d,
    int (*fn)(svc_req *, int, const ProtobufCMessage *), int day)
{
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, dbi, &c), ret = 0;
	if (rc)
		return svc_db_error(r, rc, "projection");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && ret == 0;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		ProtobufCMessage *m = wire_unpack(d, vv.mv_data, vv.mv_size, NULL);
		if (m)
			ret = fn(r, day, m);
		wire_free(m);
	}
	mdb_cursor_close(c);
	return ret;
}

/* ---- R-TEAM-1 ---- */

static int team_one(svc_req *r, int day, const ProtobufCMessage *m)
{
	const Aedesk__Staff *s = (const Aedesk__Staff *)m;
	if (s->disabled || !(sched_staff_has(s, "am") || sched_staff_has(s, "ae")))
		return 0;
	char date[16], id[160], at[32];
	sched_day_str(day, date, sizeof date);
	snprintf(at, sizeof at, "%02d:%02d", sched.team_min / 60, sched.team_min % 60);
	snprintf(id, sizeof id, "team/%s/%s", s->id, date);
	const char *args[] = {date, at, NULL};
	const char *team = sched_staff_has(s, "am") ? s->id : s->manager;
	return sched_add_simple(r, id, "R-TEAM-1", "team", s->id, "", "team", team, 
	    sched_local_ms(day, sched.team_min - sched.team_notice_min), args);
}

int sched_team_plan_day(svc_req *r, int day, const Aedesk__Staff *who)
{
	if (!(sched.team_days & (1u << civil_weekday(day))) || !sched_is_workday(day))
		return 0;
	if (who)
		return team_one(r, day, &who->base);
	return each_record(r, sched.staff, &aedesk__staff__descriptor, team_one, day);
}

/* ---- R-GREET-1: festivals ---- */

/* gift_day: when to be told to buy a gift for an occasion on `day`. */
static int gift_day(int day)
{
	int g = day - sched.gift_lead_days;
	return sched_is_workday(g) || sched.gift_lead_days == 0 ? g : sched_prev_workday(g);
}

static int greet_one(svc_req *r, int day, const ProtobufCMessage *m)
{
	const Aedesk__Client *c = (const Aedesk__Client *)m;
	int y, mo, d;
	days_to_civil(day, &y, &mo, &d);
	for (int year = y; year <= y + 1; year++) {
		struct sched_festival f[8];
		int n = sched_festivals(year, f, 8);
		for (int i = 0; i < n; i++) {
			char date[16], id[200];
			sched_day_str(f[i].day, date, sizeof date);
			const char *args[] = {f[i].zh, f[i].en, date, NULL};
			if (f[i].day == day) {
				snprintf(id, sizeof id, "greet/%s/%d/%s", f[i].key, year, c->id);
				if (sched_add_simple(r, id, "R-GREET-1", "greet", "@ae", c->id, "client", c->id,
					sched_local_ms(day, sched.greet_min), args))
					return -1;
			}
			if (f[i].gift && gift_day(f[i].day) == day) {
				snprintf(id, sizeof id, "gift/%s/%d/%s", f[i].key, year, c->id);
				if (sched_add_simple(r, id, "R-GREET-1", "gift", "@ae", c->id, "client", c->id,
					sched_local_ms(day, sched.greet_min), args))
					return -1;
			}
		}
	}
	return 0;
}

int sched_greet_plan_day(svc_req *r, int day, const Aedesk__Client *who)
{
	if (who)
		return greet_one(r, day, &who->base);
	return each_record(r, sched.clients, &aedesk__client__descriptor, greet_one, day);
}

/* ---- R-GREET-1/R-GREET-2: birthdays ---- */

/* birthday_in: the day a contact's birthday is kept in (lunar or solar) year y, or -1. */
static int birthday_in(const Aedesk__Contact *c, int y)
{
	int by, bm, bd;
	if (c->birth_lunar) {
		if (lunar_anniversary(c->birth_month, c->birth_day, c->birth_leap, y, &by, &bm, &bd) != 0)
			return -1;
		return civil_to_days(by, bm, bd);
	}
	bm = c->birth_month, bd = c->birth_day;
	if (bm == 2 && bd == 29 && !civil_valid(y, 2, 29))
		bd = 28;
	return civil_valid(y, bm, bd) ? civil_to_days(y, bm, bd) : -1;
}

static int bday_one(svc_req *r, int day, const ProtobufCMessage *m)
{
	const Aedesk__Contact *c = (const Aedesk__Contact *)m;
	if (c->erased || c->birth_month <= 0 || c->birth_day <= 0)
		return 0;
	int y, mo, d;
	days_to_civil(day, &y, &mo, &d);
	for (int year = y - 1; year <= y + 1; year++) {
		int b = birthday_in(c, year);
		if (b < 0)
			continue;
		char date[16], id[200];
		sched_day_str(b, date, sizeof date);
		const char *args[] = {date, c->birth_lunar ? "lunar" : "solar", NULL};
		if (b == day) {
			snprintf(id, sizeof id, "bday/%s/%s", c->id, date);
			if (sched_add_simple(r, id, "R-GREET-1", "bday", "@ae", c->client_id, "contact", c->id,
				sched_local_ms(day, sched.greet_min), args))
				return -1;
		}
		if (gift_day(b) == day) {
			snprintf(id, sizeof id, "bdaygift/%s/%s", c->id, date);
			if (sched_add_simple(r, id, "R-GREET-1", "bday_gift", "@ae", c->client_id, "contact",
				c->id, sched_local_ms(day, sched.greet_min), args))
				return -1;
		}
	}
	return 0;
}

/* sched_bday_cancel: R-PRIVACY-1, the contact was erased: its pending birthday reminders go. */
int sched_bday_cancel(svc_req *r, const Aedesk__Contact *c)
{
	int y, mo, d;
	days_to_civil(sched_local_day(r->now_ms), &y, &mo, &d);
	for (int year = y - 1; year <= y + 2; year++) {
		int b = birthday_in(c, year);
		if (b < 0)
			continue;
		char date[16], id[200];
		sched_day_str(b, date, sizeof date);
		snprintf(id, sizeof id, "bday/%s/%s", c->id, date);
		if (sched_cancel(r, id, "erased"))
			return -1;
		snprintf(id, sizeof id, "bdaygift/%s/%s", c->id, date);
		if (sched_cancel(r, id, "erased"))
			return -1;
	}
	return 0;
}

int sched_bday_plan_day(svc_req *r, int day, const Aedesk__Contact *who)
{
	if (who)
		return bday_one(r, day, &who->base);
	return each_record(r, sched.contacts, &aedesk__contact__descriptor, bday_one, day);
}

/* ---- the planner ---- */

int sched_plan(svc_req *r, int from, int to)
{
	int rc = 0;
	sched.planning = 1;
	for (int day = from; day <= to && !rc; day++)
		if (sched_team_plan_day(r, day, NULL) || sched_greet_plan_day(r, day, NULL) ||
		    sched_bday_plan_day(r, day, NULL) || sched_visit_plan_day(r, day, NULL) ||
		    sched_prospect_plan_day(r, day, NULL) || sched_plan_plan_day(r, day, NULL))
			rc = -1;
	sched.planning = 0;
	return rc;
}

int sched_plan_object(svc_req *r, const Aedesk__Staff *st, const Aedesk__Client *cl,
    const Aedesk__Contact *ct)
{
	int64_t from = sched_meta_get(r->txn, "plan_today", 0);
	int64_t to = sched_meta_get(r->txn, "planned_through", 0);
	if (!from || !to)
		return 0; /* the planner has not run: it will cover this object */
	int rc = 0;
	sched.planning = 1;
	for (int day = (int)from; day <= (int)to && !rc; day++) {
		if (st && (sched_team_plan_day(r, day, st) || sched_plan_plan_day(r, day, st)))
			rc = -1;
		else if (cl && (sched_greet_plan_day(r, day, cl) || sched_visit_plan_day(r, day, cl)))
			rc = -1;
		else if (ct && sched_bday_plan_day(r, day, ct))
			rc = -1;
	}
	sched.planning = 0;
	return rc;
}
