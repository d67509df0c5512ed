/*
 * NAME
 *	rules_jobs.c - reminders from the job tracker's events: R-ESTIMATE-1, R-DEADLINE-1, R-PAY-1
 *
 * DESCRIPTION
 *	R-ESTIMATE-1: EstimateSent starts it: the AE is told estimate_lead_days (1) before
 *	confirm_due_ms, the AM at confirm_due_ms when it lapses; EstimateConfirmed or
 *	EstimateDeclined cancels both.
 *	R-DEADLINE-1: JobOpened (the forecast stage) and JobStageEntered: the owner is told stage_lead_days (1) before the new
 *	stage's due, the AM at the due when it is late; leaving the stage (the next
 *	JobStageEntered) or JobClosed cancels them.
 *	R-PAY-1: InvoiceAdded: the AE is told pay_lead_days (3) before the due date; a day
 *	after it, the AE and finance are told it is overdue; a PaymentAdded that settles the
 *	invoice cancels what has not fired.
 *	Times come from the events (the job tracker's clock), so a reminder moved closer to
 *	now, or into the past, still fires (at the next tick). "Before" reminders fire at the
 *	start of the working day (day_start, 08:30) lead days ahead (the working day before
 *	when that is a day off); "late"/"overdue" ones at the first working moment after the
 *	due time (a date's due is its 23:59:59: the next working morning), not at midnight.
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
	                     es->id, sched_before_ms(due, sched.estimate_lead_days), args))
		return -1;
	snprintf(id, sizeof id, "est/%s/am", es->id);
	if (e->am[0] && sched_add_simple(r, id, "R-ESTIMATE-1", "est_am", e->am, es->client_id, "estimate",
	                    es->id, sched_after_ms(due), args))
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

static int plan_stage(svc_req *r, const char *job_id, const char *number, const char *client_id,
    const char *owner, const char *am, int stage, int64_t due_ms)
{
	if (!due_ms || stage == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return 0;
	char d[16], st[8], id[160];
	day_of(due_ms, d, sizeof d);
	snprintf(st, sizeof st, "%d", stage);
	const char *job = number[0] ? number : job_id;
	const char *args[] = {job, st, d, owner, NULL};
	snprintf(id, sizeof id, "stage/%s/%d/owner", job_id, stage);
	if (owner[0] && sched_add_simple(r, id, "R-DEADLINE-1", "stage_due", owner, client_id, "job", job_id,
	                    sched_before_ms(due_ms, sched.stage_lead_days), args))
		return -1;
	snprintf(id, sizeof id, "stage/%s/%d/am", job_id, stage);
	if (am[0] && sched_add_simple(r, id, "R-DEADLINE-1", "stage_late", am, client_id, "job", job_id,
	                 sched_after_ms(due_ms + 1), args))
		return -1;
	return 0;
}

int sched_on_stage_entered(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobStageEntered *e = (const Aedesk__JobStageEntered *)ev;
	if (e->from && cancel_stage(r, e->job_id, e->from, "stage left"))
		return -1;
	return plan_stage(r, e->job_id, e->number, e->client_id, e->owner, e->am, e->stage, e->due_ms);
}

/* JobOpened: the job starts in the forecast stage, with the due its plan gives it. */
int sched_on_job_opened(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__JobOpened *e = (const Aedesk__JobOpened *)ev;
	for (size_t i = 0; i < e->n_stages; i++)
		if (e->stages[i]->stage == AEDESK__JOB_STAGE__JOB_STAGE_FORECAST)
			return plan_stage(r, e->job_id, "", e->client_id, e->owner, e->am, AEDESK__JOB_STAGE__JOB_STAGE_FORECAST,
			    e->stages[i]->due_ms);
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
	                     sched_before_ms(in->due_ms, sched.pay_lead_days), args))
		return -1;
	snprintf(id, sizeof id, "pay/%s/overdue-ae", in->id);
	if (in->ae[0] && sched_add_simple(r, id, "R-PAY-1", "pay_overdue", in->ae, in->client_id, "invoice",
	                     in->id, sched_after_ms(in->due_ms + 1), args))
		return -1;
	snprintf(id, sizeof id, "pay/%s/overdue-finance", in->id);
	return sched_add_simple(r, id, "R-PAY-1", "pay_overdue", "@finance", in->client_id, "invoice", in->id,
	    sched_after_ms(in->due_ms + 1), args);
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
