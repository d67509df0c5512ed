/*
 * NAME
 *	store.c - aedesk-jobs' records, projections of the registry, scope and config
 *
 * DESCRIPTION
 *	Table layout: see jobs.h. The clients and staff tables are this service's own
 *	copy of the registry's, kept from ClientAdded, ClientUpdated and StaffAdded
 *	events (applied once, in order, by the skeleton); handlers read only them.
 *
 *	Records loaded from the store are edited in place: every string and element
 *	added to one is malloc'd (jobs_strdup, jobs_history, jobs_push_str) so that
 *	wire_free releases it with the rest.
 *
 * SECURITY
 *	Scope as in the registry: AD, CD, production, finance and admin see every job;
 *	an AE the jobs of clients they serve (as AE or on the team); an AM those of their
 *	AEs' clients. A job out of scope is answered as not found.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "jobs.h"
#include "money.h"
#include "wire.h"

/* R-JOB-3: minimum lead time per kind of job, in days; jobs.lead_days.<kind> overrides. */
static struct {
	const char *kind;
	int64_t days;
} lead[] = {
	{"print", 5}, {"tv", 20}, {"radio", 10}, {"outdoor", 10},
	{"online", 5}, {"pop", 7}, {"dm", 7}, {"event", 14},
};

int jobs_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
		if (strcmp(lead[i].kind, kind) == 0)
			return 1;
	return 0;
}

int64_t jobs_lead_days(const char *kind)
{
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++)
		if (strcmp(lead[i].kind, kind) == 0)
			return lead[i].days;
	return 0;
}

const char *jobs_kind_list(void) { return "print, tv, radio, outdoor, online, pop, dm, event"; }

int jobs_bootstrap(svc *s, svc_req *r)
{
	const conf *c = svc_conf(s);
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
		char key[64];
		int ok = 0;
		snprintf(key, sizeof key, "jobs.lead_days.%s", lead[i].kind);
		int64_t d = conf_get_int(c, key, lead[i].days, &ok);
		if (ok < 0 || d < 0 || d > 365) {
			snprintf(r->message, sizeof r->message, "%s must be a number of days, 0 to 365", key);
			return -1;
		}
		lead[i].days = d;
	}
	/* The agency's zone, the same key for every service (scheduler, scorer). */
	jobs.utc_offset_ms = conf_int_or_die(c, "timezone_offset_min", 480, -840, 840) * 60000;
	jobs.test_shift_ms = conf_int_or_die(c, "jobs.test_clock_shift_days", 0, -3660, 3660) * 86400000LL;
	return 0;
}

/* ---- projections of the registry ---- */

static int put_client(svc_req *r, const Aedesk__Client *c)
{
	if (!c || !c->id[0])
		return 0;
	return jobs_put_msg(r, jobs.clients, c->id, &c->base);
}

int jobs_on_client(svc_req *r, const ProtobufCMessage *ev)
{
	return put_client(r, ((const Aedesk__ClientAdded *)ev)->client);
}

int jobs_on_client_updated(svc_req *r, const ProtobufCMessage *ev)
{
	return put_client(r, ((const Aedesk__ClientUpdated *)ev)->client);
}

int jobs_on_staff(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__Staff *st = ((const Aedesk__StaffAdded *)ev)->staff;
	if (!st || !st->id[0])
		return 0;
	Aedesk__Staff copy = *st;
	copy.password_hash = ""; /* never kept here, even if an event carried one */
	return jobs_put_msg(r, jobs.staff, st->id, &copy.base);
}

int jobs_client_get(MDB_txn *txn, const char *id, Aedesk__Client **out)
{
	return store_get_msg(txn, jobs.clients, id, strlen(id), &aedesk__client__descriptor,
	    (ProtobufCMessage **)out);
}

void jobs_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len)
{
	Aedesk__Staff *st;
	out[0] = 0;
	if (staff[0] && store_get_msg(txn, jobs.staff, staff, strlen(staff), &aedesk__staff__descriptor,
			    (ProtobufCMessage **)&st) == 0) {
		snprintf(out, len, "%s", st->manager);
		wire_free(&st->base);
	}
}

/* ---- scope ---- */

int jobs_en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

int jobs_client_allows(svc_req *r, enum perm_action a, const char *client_id, const char *extra)
{
	Aedesk__Client *c;
	if (!client_id[0] || jobs_client_get(r->txn, client_id, &c) != 0) {
		const char *o[1] = {extra};
		return perm_allowsv(r, a, o, 1);
	}
	int yes = perm_allows_client(r, a, c, extra);
	wire_free(&c->base);
	return yes;
}

int jobs_visible(svc_req *r, const Aedesk__Job *j)
{
	return jobs_client_allows(r, PERM_JOB_READ, j->client_id, j->owner);
}

/* ---- records ---- */

int jobs_get_msg(svc_req *r, MDB_dbi dbi, const char *id, const ProtobufCMessageDescriptor *d,
    ProtobufCMessage **out)
{
	return store_get_msg(r->txn, dbi, id, strlen(id), d, out);
}

int jobs_put_msg(svc_req *r, MDB_dbi dbi, const char *id, const ProtobufCMessage *m)
{
	int rc = store_put_msg(r->txn, dbi, id, strlen(id), m, 0);
	return rc ? svc_db_error(r, rc, "jobs store") : 0;
}

int jobs_load(svc_req *r, const char *id, Aedesk__Job **out)
{
	char key[64];
	snprintf(key, sizeof key, "%s", id);
	MDB_val k = {strlen(id), (void *)id}, v;
	if (id[0] != 'J' && mdb_get(r->txn, jobs.job_number, &k, &v) == 0)
		snprintf(key, sizeof key, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
	Aedesk__Job *j;
	if (!id[0] || strlen(id) >= sizeof key ||
	    jobs_get_msg(r, jobs.jobs, key, &aedesk__job__descriptor, (ProtobufCMessage **)&j) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有工作单“%s”（或不在您的负责范围）",
		    "no job '%s' (or not one of yours)", id);
	if (!jobs_visible(r, j)) {
		wire_free(&j->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有工作单“%s”（或不在您的负责范围）",
		    "no job '%s' (or not one of yours)", id);
	}
	*out = j;
	return 0;
}

int jobs_save(svc_req *r, const Aedesk__Job *j)
{
	return jobs_put_msg(r, jobs.jobs, j->id, &j->base);
}

int jobs_next_id(svc_req *r, const char *counter, char prefix, char *out, size_t len)
{
	uint64_t n = store_get_u64(r->txn, jobs.meta, counter, 0) + 1;
	int rc = store_put_u64(r->txn, jobs.meta, counter, n);
	if (rc)
		return svc_db_error(r, rc, "jobs_meta");
	snprintf(out, len, "%c%06llu", prefix, (unsigned long long)n);
	return 0;
}

uint64_t jobs_unpaid(MDB_txn *txn, const char *client_id)
{
	return store_get_u64(txn, jobs.unpaid, client_id, 0);
}

int jobs_unpaid_add(svc_req *r, const char *client_id, int64_t delta)
{
	int64_t v = (int64_t)jobs_unpaid(r->txn, client_id) + delta;
	int rc = store_put_u64(r->txn, jobs.unpaid, client_id, (uint64_t)(v < 0 ? 0 : v));
	return rc ? svc_db_error(r, rc, "unpaid") : 0;
}

/* ---- editing loaded records ---- */

char *jobs_strdup(const char *s)
{
	if (!s || !s[0])
		return (char *)protobuf_c_empty_string;
	return strdup(s);
}

int jobs_set_str(char **field, const char *v)
{
	char *n = jobs_strdup(v);
	if (!n)
		return -1;
	if (*field && *field != protobuf_c_empty_string)
		free(*field);
	*field = n;
	return 0;
}

int jobs_push_str(char ***arr, size_t *n, const char *s)
{
	char **a = realloc(*arr, (*n + 1) * sizeof *a);
	if (!a)
		return -1;
	*arr = a;
	if (!(a[*n] = jobs_strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

int jobs_history(Aedesk__Job *j, svc_req *r, const char *what, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	Aedesk__JobHistoryEntry **a = realloc(j->history, (j->n_history + 1) * sizeof *a);
	if (!a)
		return -1;
	j->history = a;
	Aedesk__JobHistoryEntry *e = malloc(sizeof *e);
	if (!e)
		return -1;
	aedesk__job_history_entry__init(e);
	e->at_ms = r->now_ms;
	a[j->n_history++] = e;
	if (!(e->actor = jobs_strdup(r->caller ? r->caller->id : "system")) ||
	    !(e->what = jobs_strdup(what)) || !(e->detail = jobs_strdup(detail))) {
		/* leave valid pointers behind for wire_free */
		if (!e->actor)
			e->actor = (char *)protobuf_c_empty_string;
		if (!e->what)
			e->what = (char *)protobuf_c_empty_string;
		if (!e->detail)
			e->detail = (char *)protobuf_c_empty_string;
		return -1;
	}
	return 0;
}

int jobs_blank(const char *s)
{
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else if (strncmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else
			return 0;
	}
	return 1;
}

int jobs_text_ok(const char *s, size_t max) { return !jobs_blank(s) && strlen(s) <= max; }

int jobs_oom(svc_req *r) { return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "out of memory"); }

/* ---- time and money for messages ---- */

int64_t jobs_end_of_day(int64_t ms)
{
	int64_t local = ms + jobs.utc_offset_ms;
	int64_t day = local >= 0 ? local / JOBS_DAY_MS : (local - JOBS_DAY_MS + 1) / JOBS_DAY_MS;
	return (day + 1) * JOBS_DAY_MS - 1 - jobs.utc_offset_ms;
}

void jobs_format_day(int64_t ms, char *buf, size_t len)
{
	int64_t local = ms + jobs.utc_offset_ms;
	int days = (int)(local >= 0 ? local / JOBS_DAY_MS : (local - JOBS_DAY_MS + 1) / JOBS_DAY_MS);
	int y, m, d;
	days_to_civil(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

void jobs_format_money(int64_t fen, char *buf, size_t len)
{
	if (money_format(fen, buf, len) != 0)
		snprintf(buf, len, "%lld fen", (long long)fen);
}
