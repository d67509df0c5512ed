/*
 * NAME
 *	rules_feedback.c - R-FEEDBACK-1 (ask how the ad performs) and R-FEEDBACK-2 (the report)
 *
 * DESCRIPTION
 *	FlightPlanned: for each placement, the flight's AE (its owner) is told on the
 *	placement's first local day at feedback_time (10:00) to ask the client how it
 *	performs (one reminder per placement: "fb1/<flight>/<n>"). At the phase's end (the
 *	last day of its last placement, at day_end 17:30) the AE is told to send the
 *	execution feedback report (广告执行反馈书): "fb2/<job>/<flight>".
 *	FeedbackFiled names the job, not the phase: it cancels the job's pending report
 *	reminders of every phase that had started when the report was filed (a later phase
 *	still gets its own).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "wire.h"

int sched_on_flight_planned(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__FlightPlanned *e = (const Aedesk__FlightPlanned *)ev;
	const Aedesk__Flight *f = e->flight;
	if (!f || !f->id[0] || !f->owner[0])
		return 0;
	const char *job = f->job_number[0] ? f->job_number : f->job_id;
	char id[200], d1[16], d2[16], st[24];
	for (size_t i = 0; i < f->n_placements; i++) {
		const Aedesk__FlightPlacement *p = f->placements[i];
		int day = sched_local_day(p->start_ms);
		sched_day_str(day, d1, sizeof d1);
		snprintf(id, sizeof id, "fb1/%s/%zu", f->id, i + 1);
		const char *args[] = {job, p->media, p->slot, d1, NULL};
		if (sched_add_simple(r, id, "R-FEEDBACK-1", "feedback_ask", f->owner, f->client_id, "flight", f->id,
		        sched_local_ms(day, sched.feedback_min), args))
			return -1;
	}
	int last = sched_local_day(f->end_ms);
	sched_day_str(sched_local_day(f->start_ms), d1, sizeof d1);
	sched_day_str(last, d2, sizeof d2);
	snprintf(st, sizeof st, "%" PRId64, f->start_ms);
	snprintf(id, sizeof id, "fb2/%s/%s", f->job_id, f->id);
	const char *args[] = {job, d1, d2, st, NULL};
	return sched_add_simple(r, id, "R-FEEDBACK-2", "feedback_report", f->owner, f->client_id, "flight", f->id,
	    sched_local_ms(last, sched.day_end_min), args);
}

int sched_on_feedback_filed(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__FeedbackFiled *e = (const Aedesk__FeedbackFiled *)ev;
	if (!e->report || !e->report->job_id[0])
		return 0;
	int64_t filed = e->report->filed_ms ? e->report->filed_ms : r->env->time_ms;
	char prefix[160];
	int pl = snprintf(prefix, sizeof prefix, "fb2/%s/", e->report->job_id);
	char *ids[256];
	size_t n = 0;
	MDB_cursor *c;
	MDB_val kv = {(size_t)pl, prefix}, vv;
	int rc = mdb_cursor_open(r->txn, sched.rem, &c);
	if (rc)
		return svc_db_error(r, rc, "rem");
	for (rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE); rc == 0 && n < 256;
	     rc = mdb_cursor_get(c, &kv, &vv, MDB_NEXT)) {
		if (kv.mv_size < (size_t)pl || memcmp(kv.mv_data, prefix, (size_t)pl))
			break;
		Aedesk__Reminder *m = (Aedesk__Reminder *)wire_unpack(&aedesk__reminder__descriptor, vv.mv_data,
		    vv.mv_size, NULL);
		if (m && !m->fired && !m->cancelled && m->n_args > 3 && strtoll(m->args[3], NULL, 10) <= filed)
			ids[n++] = strndup(kv.mv_data, kv.mv_size);
		wire_free(m ? &m->base : NULL);
	}
	mdb_cursor_close(c);
	int fail = 0;
	for (size_t i = 0; i < n; i++) {
		if (!fail && ids[i])
			fail = sched_cancel(r, ids[i], "feedback report filed") != 0;
		free(ids[i]);
	}
	return fail ? -1 : 0;
}
