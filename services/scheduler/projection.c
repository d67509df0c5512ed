/*
 * NAME
 *	projection.c - what the scheduler keeps of the registry's events
 *
 * DESCRIPTION
 *	Staff (roles, manager: who is on a team, who is an AE's AM), clients (AE, class),
 *	contacts (birthdays; dropped on ContactErased, R-PRIVACY-1) and face visits counted
 *	per client and ISO week (R-VISIT-1). Each handler is a function of the event and the
 *	store; a new staff member, client or contact also gets the calendar reminders of the
 *	days the planner has already covered (sched_plan_object).
 */
#include <stdio.h>
#include <string.h>

#include "sched.h"
#include "wire.h"

Aedesk__Client *sched_client(MDB_txn *txn, const char *id)
{
	Aedesk__Client *c = NULL;
	if (!id || !id[0] || sched_get(txn, sched.clients, id, &aedesk__client__descriptor, (ProtobufCMessage **)&c))
		return NULL;
	return c;
}

Aedesk__Staff *sched_staff(MDB_txn *txn, const char *id)
{
	Aedesk__Staff *s = NULL;
	if (!id || !id[0] || sched_get(txn, sched.staff, id, &aedesk__staff__descriptor, (ProtobufCMessage **)&s))
		return NULL;
	return s;
}

void sched_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len)
{
	Aedesk__Staff *s = sched_staff(txn, staff);
	snprintf(out, len, "%s", s ? s->manager : "");
	wire_free(s ? &s->base : NULL);
}

int sched_staff_has(const Aedesk__Staff *s, const char *role)
{
	for (size_t i = 0; i < s->n_roles; i++)
		if (strcmp(s->roles[i], role) == 0)
			return 1;
	return 0;
}

int sched_on_staff(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__StaffAdded *e = (const Aedesk__StaffAdded *)ev;
	if (!e->staff || !e->staff->id[0])
		return 0;
	char *hash = e->staff->password_hash;
	e->staff->password_hash = (char *)""; /* never kept here */
	int rc = sched_put(r, sched.staff, e->staff->id, &e->staff->base);
	e->staff->password_hash = hash;
	return rc ? rc : sched_plan_object(r, e->staff, NULL, NULL);
}

int sched_on_client_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ClientAdded *e = (const Aedesk__ClientAdded *)ev;
	if (!e->client || !e->client->id[0])
		return 0;
	if (sched_put(r, sched.clients, e->client->id, &e->client->base))
		return -1;
	return sched_plan_object(r, NULL, e->client, NULL);
}

/* A class change applies to visits from the next ISO week (R-VISIT-1): vclass keeps the
 * class in force this week, the new one and the week it starts. */
int sched_on_client_updated(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ClientUpdated *e = (const Aedesk__ClientUpdated *)ev;
	if (!e->client || !e->client->id[0])
		return 0;
	Aedesk__Client *old = sched_client(r->txn, e->client->id);
	if (old && strcmp(old->class_, e->client->class_) != 0) {
		int next = sched_week_of(sched_local_day(r->now_ms) + 7);
		const char *cur = NULL;
		sched_visit_required(r->txn, old, sched_week_of(sched_local_day(r->now_ms)), &cur);
		char v[64];
		int n = snprintf(v, sizeof v, "%s %s %d", cur ? cur : old->class_, e->client->class_, next);
		MDB_val kv = {strlen(e->client->id), e->client->id}, vv = {(size_t)n, v};
		int rc = mdb_put(r->txn, sched.vclass, &kv, &vv, 0);
		if (rc) {
			wire_free(&old->base);
			return svc_db_error(r, rc, "vclass");
		}
	}
	wire_free(old ? &old->base : NULL);
	if (sched_put(r, sched.clients, e->client->id, &e->client->base))
		return -1;
	return sched_plan_object(r, NULL, e->client, NULL);
}

int sched_on_contact_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ContactAdded *e = (const Aedesk__ContactAdded *)ev;
	if (!e->contact || !e->contact->id[0] || e->contact->erased)
		return 0;
	if (sched_put(r, sched.contacts, e->contact->id, &e->contact->base))
		return -1;
	return sched_plan_object(r, NULL, NULL, e->contact);
}

/* R-PRIVACY-1: the birthday goes; pending birthday reminders find no contact and lapse. */
int sched_on_contact_erased(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__ContactErased *e = (const Aedesk__ContactErased *)ev;
	Aedesk__Contact *c = NULL;
	if (sched_get(r->txn, sched.contacts, e->id, &aedesk__contact__descriptor, (ProtobufCMessage **)&c) == 0) {
		int rc = sched_bday_cancel(r, c);
		wire_free(&c->base);
		if (rc)
			return -1;
	}
	MDB_val kv = {strlen(e->id), e->id};
	int rc = mdb_del(r->txn, sched.contacts, &kv, NULL);
	return rc && rc != MDB_NOTFOUND ? svc_db_error(r, rc, "contacts") : 0;
}

int sched_on_visit_logged(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__VisitLogged *e = (const Aedesk__VisitLogged *)ev;
	if (!e->visit || e->visit->kind != AEDESK__VISIT_KIND__VISIT || !e->visit->client_id[0])
		return 0;
	uint8_t k[128];
	size_t cl = strlen(e->visit->client_id);
	if (cl > sizeof k - 5)
		return 0;
	uint32_t yw = (uint32_t)sched_week_of(sched_local_day(e->visit->at_ms));
	memcpy(k, e->visit->client_id, cl);
	k[cl] = 0;
	k[cl + 1] = (uint8_t)(yw >> 24), k[cl + 2] = (uint8_t)(yw >> 16), k[cl + 3] = (uint8_t)(yw >> 8),
	k[cl + 4] = (uint8_t)yw;
	MDB_val kv = {cl + 5, k}, vv;
	uint64_t n = 0;
	if (mdb_get(r->txn, sched.vcount, &kv, &vv) == 0 && vv.mv_size == 8)
		n = store_from_be64(vv.mv_data);
	uint8_t v[8];
	store_be64(v, n + 1);
	vv.mv_size = 8;
	vv.mv_data = v;
	int rc = mdb_put(r->txn, sched.vcount, &kv, &vv, 0);
	return rc ? svc_db_error(r, rc, "vcount") : 0;
}
