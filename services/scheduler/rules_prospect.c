/*
 * NAME
 *	rules_prospect.c - R-PROSPECT-1: a prospect with confirmed intent is contacted at least
 *	prospect_contacts (3) times a week
 *
 * DESCRIPTION
 *	The registry records no contact with a prospect (VisitLogged is for clients only), so
 *	what counts as a contact is a stage advance (ProspectAdvanced), counted in the ISO
 *	week (agency zone) of the event. The scheduler keeps a copy of every prospect
 *	(ProspectAdded, ProspectAdvanced, ProspectUpdated, ProspectLost, ProspectWon).
 *	Mid-week (visit_mid_day wed, visit_mid_time 12:00, on a working day) a reminder
 *	"prosp-mid/<prospect>/<YYYY-Www>" is planned for every prospect; when due it tells
 *	the prospect's AE only if the intent is still confirmed, the prospect still open and
 *	the week's contacts behind (else it lapses). A week with fewer than 3 working days
 *	asks for none.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "sched.h"
#include "wire.h"

static size_t count_key(uint8_t *k, size_t len, const char *id, int yw)
{
	size_t n = strlen(id);
	if (n + 5 > len)
		n = len - 5;
	memcpy(k, id, n);
	k[n] = 0;
	k[n + 1] = (uint8_t)(yw >> 24), k[n + 2] = (uint8_t)(yw >> 16), k[n + 3] = (uint8_t)(yw >> 8),
	k[n + 4] = (uint8_t)yw;
	return n + 5;
}

uint32_t sched_prospect_required(int yw)
{
	int mon = sched_week_monday(yw), n = 0;
	for (int i = 0; i < 7; i++)
		n += sched_is_workday(mon + i);
	return n < 3 ? 0 : (uint32_t)sched.prospect_contacts;
}

uint32_t sched_prospect_done(MDB_txn *txn, const char *prospect_id, int yw)
{
	uint8_t k[200];
	MDB_val kv = {count_key(k, sizeof k, prospect_id, yw), k}, vv;
	if (mdb_get(txn, sched.pcount, &kv, &vv) == 0 && vv.mv_size == 8)
		return (uint32_t)store_from_be64(vv.mv_data);
	return 0;
}

static int prospect_one(svc_req *r, int day, const Aedesk__Prospect *p)
{
	if (civil_weekday(day) != sched.visit_mid_wday || !sched_is_workday(day) ||
	    p->intent != AEDESK__PROSPECT_INTENT__INTENT_CONFIRMED || p->stage >= AEDESK__PROSPECT_STAGE__PROSPECT_WON ||
	    !p->ae[0])
		return 0;
	int yw = sched_week_of(day);
	char week[16], id[200];
	snprintf(week, sizeof week, "%04d-W%02d", yw / 100, yw % 100);
	snprintf(id, sizeof id, "prosp-mid/%s/%s", p->id, week);
	const char *args[] = {week, p->name, NULL};
	return sched_add_simple(r, id, "R-PROSPECT-1", "prospect_mid", p->ae, "", "prospect", p->id,
	    sched_local_ms(day, sched.visit_mid_min), args);
}

int sched_prospect_plan_day(svc_req *r, int day, const Aedesk__Prospect *who)
{
	if (civil_weekday(day) != sched.visit_mid_wday)
		return 0;
	if (who)
		return prospect_one(r, day, who);
	MDB_cursor *c;
	MDB_val kv, vv;
	int rc = mdb_cursor_open(r->txn, sched.prospects, &c), ret = 0;
	if (rc)
		return svc_db_error(r, rc, "prospects");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_FIRST); rc == 0 && ret == 0;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		Aedesk__Prospect *p = (Aedesk__Prospect *)wire_unpack(&aedesk__prospect__descriptor, vv.mv_data,
		    vv.mv_size, NULL);
		if (p)
			ret = prospect_one(r, day, p);
		wire_free(p ? &p->base : NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

static int keep(svc_req *r, const Aedesk__Prospect *p)
{
	if (!p || !p->id[0])
		return 0;
	if (sched_put(r, sched.prospects, p->id, &p->base))
		return -1;
	int64_t from = sched_meta_get(r->txn, "plan_today", 0), to = sched_meta_get(r->txn, "planned_through", 0);
	for (int day = (int)from; from && to && day <= (int)to; day++)
		if (sched_prospect_plan_day(r, day, p))
			return -1;
	return 0;
}

/* ProspectAdded, ProspectLost, ProspectWon and ProspectUpdated all carry the prospect first. */
int sched_on_prospect(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ProspectAdded *e = (const Aedesk__ProspectAdded *)ev;
	return keep(r, e->prospect);
}

int sched_on_prospect_advanced(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ProspectAdvanced *e = (const Aedesk__ProspectAdvanced *)ev;
	const Aedesk__Prospect *p = e->prospect;
	if (!p || !p->id[0])
		return 0;
	int64_t at = p->n_steps ? p->steps[p->n_steps - 1]->at_ms : r->env->time_ms;
	int yw = sched_week_of(sched_local_day(at));
	uint8_t k[200], v[8];
	MDB_val kv = {count_key(k, sizeof k, p->id, yw), k}, vv = {8, v};
	store_be64(v, sched_prospect_done(r->txn, p->id, yw) + 1);
	int rc = mdb_put(r->txn, sched.pcount, &kv, &vv, 0);
	if (rc)
		return svc_db_error(r, rc, "pcount");
	return keep(r, p);
}
