/*
 * NAME
 *	rules_jobs.c - reminders from the job tracker's events: R-ESTIMATE-1, R-DEADLINE-1, R-PAY-1
 *
 * DESCRIPTION
 *	R-ESTIMATE-1: EstimateSent starts it: the AE is told estimate_lead_days (1) before
 *	confirm_due_ms, the AM at confirm_due_ms when it lapses; EstimateConfirmed or
 *	EstimateDeclined cancels both.
 *	R-DEADLINE-1: JobStageEntered: the owner is told stage_lead_days (1) before the new
 *	stage's due, the AM at the due when it is late; leaving the stage (the next
 *	JobStageEntered) or JobClosed cancels them.
 *	R-PAY-1: InvoiceAdded: the AE is told pay_lead_days (3) before the due date; a day
 *	after it, the AE and finance are told it is overdue; a PaymentAdded that settles the
 *	invoice cancels what has not fired.
 *	Times come from the events (the job tracker's clock), so a reminder moved closer to
 *	now, or into the past, still fires (at the next tick).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sched.h"

static void day_of(int64_t ms, char *buf, size_t len) { sched_day_str(sched_local_day(ms), buf, len); }

int sched_on_estimate_sent(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__EstimateSent *e = (const Aedesk__EstimateSent *)ev;
	const Aedesk__Estimate *es = e->estimate;
	if (!es || !es->id[0])
		return 0;
	int64_t due = es->confirm_due_ms ? es->confirm_due_ms : es->sent_ms + 7 * SCHED_DAY_MS;
	char d[16], id[160];
	day_of(due, d, sizeof d);
	const char *job = es->job_number[0] ? es->job_number : es->job_id;
	const char *args[] = {job, d, es->ae, NULL};
	snprintf(id, sizeof id, "est/%s/ae", es->id);
	if (es->ae[0] && sched_add_simple(r, id, "R-ESTIMATE-1", "est_ae", es->ae, es->client_id, "estimate",
	                     es->id, due - sched.estimate_lead_days * SCHED_DAY_MS, args))
		return -1;
	snprintf(id, sizeof id, "est/%s/am", es->id);
	if (e->am[0] && sched_add_simple(r, id, "R-ESTIMATE-1", "est_am", e->am, es->client_id, "estimate",
	                    es->id, due, args))
		return -1;
	return 0;
}

/* EstimateConfirmed and EstimateDeclined have the same shape. */
int sched_on_estimate_decided(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__EstimateConfirmed *e = (const Aedesk__EstimateConfirmed *)ev;
	if (!e->estimate)
		return 0;
	char id[160];
	const char *why = e->estimate->state == AEDESK__ESTIMATE_STATE__ESTIMATE_CONFIRMED ? "confirmed" : "declined";
	snprintf(id, sizeof id, "est/%s/ae", e->estimate->id);
	if (sched_cancel(r, id, why))
		return -1;
	snprintf(id, sizeof id, "est/%s/am", e->estimate->id);
	return sched_cancel(r, id, why);
}

static int cancel_stage(svc_req *r, const char *job, int stage, const char *why)
{
	char id[160];
	snprintf(id, sizeof id, "stage/%s/%d/owner", job, stage);
	if (sched_cancel(r, id, why))
		return -1;
	snprintf(id, sizeof id, "stage/%s/%d/am", job, stage);
	return sched_cancel(r, id, why);
}

int sched_on_stage_entered(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobStageEntered *e = (const Aedesk__JobStageEntered *)ev;
	if (e->from && cancel_stage(r, e->job_id, e->from, "stage left"))
		return -1;
	if (!e->due_ms || e->stage == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return 0;
	char d[16], st[8], id[160];
	day_of(e->due_ms, d, sizeof d);
	snprintf(st, sizeof st, "%d", e->stage);
	const char *job = e->number[0] ? e->number : e->job_id;
	const char *args[] = {job, st, d, e->owner, NULL};
	snprintf(id, sizeof id, "stage/%s/%d/owner", e->job_id, e->stage);
	if (e->owner[0] && sched_add_simple(r, id, "R-DEADLINE-1", "stage_due", e->owner, e->client_id, "job",
	                       e->job_id, e->due_ms - sched.stage_lead_days * SCHED_DAY_MS, args))
		return -1;
	snprintf(id, sizeof id, "stage/%s/%d/am", e->job_id, e->stage);
	if (e->am[0] && sched_add_simple(r, id, "R-DEADLINE-1", "stage_late", e->am, e->client_id, "job",
	                    e->job_id, e->due_ms, args))
		return -1;
	return 0;
}

int sched_on_job_closed(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobClosed *e = (const Aedesk__JobClosed *)ev;
	for (int st = 1; st <= 8; st++)
		if (cancel_stage(r, e->job_id, st, "job closed"))
			return -1;
	return 0;
}

int sched_on_invoice_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__InvoiceAdded *e = (const Aedesk__InvoiceAdded *)ev;
	const Aedesk__Invoice *in = e->invoice;
	if (!in || !in->id[0] || !in->due_ms)
		return 0;
	char d[16], amt[32], id[160];
	day_of(in->due_ms, d, sizeof d);
	snprintf(amt, sizeof amt, "%" PRId64 ".%02d", in->amount_fen / 100, (int)(in->amount_fen % 100));
	const char *args[] = {amt, d, NULL};
	snprintf(id, sizeof id, "pay/%s/ae", in->id);
	if (in->ae[0] && sched_add_simple(r, id, "R-PAY-1", "pay_due", in->ae, in->client_id, "invoice", in->id,
	                     in->due_ms - sched.pay_lead_days * SCHED_DAY_MS, args))
		return -1;
	snprintf(id, sizeof id, "pay/%s/overdue-ae", in->id);
	if (in->ae[0] && sched_add_simple(r, id, "R-PAY-1", "pay_overdue", in->ae, in->client_id, "invoice",
	                     in->id, in->due_ms + SCHED_DAY_MS, args))
		return -1;
	snprintf(id, sizeof id, "pay/%s/overdue-finance", in->id);
	return sched_add_simple(r, id, "R-PAY-1", "pay_overdue", "@finance", in->client_id, "invoice", in->id,
	    in->due_ms + SCHED_DAY_MS, args);
}

int sched_on_payment_added(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__PaymentAdded *e = (const Aedesk__PaymentAdded *)ev;
	if (!e->invoice || e->invoice->paid_fen < e->invoice->amount_fen)
		return 0;
	static const char *const tails[] = {"ae", "overdue-ae", "overdue-finance"};
	for (int i = 0; i < 3; i++) {
		char id[160];
		snprintf(id, sizeof id, "pay/%s/%s", e->invoice->id, tails[i]);
		if (sched_cancel(r, id, "paid"))
			return -1;
	}
	return 0;
}
