/*
 * NAME
 *	estimates.c - estimates (估价单) and purchase orders (PO 单)
 *
 * DESCRIPTION
 *	An estimate is prepared by production in the job's estimate stage: lines of
 *	quantity × unit price, the total in figures and in 大写 (money_upper). It is
 *	signed by the AD, sent to the client by the AE (the send time starts the
 *	one-week confirmation clock, R-ESTIMATE-1: confirm_due_ms), and confirmed or
 *	declined by the client, recorded by the AE with the client's name and date.
 *	Signing and confirming fill the estimate stage's "ad" and "client" sign-offs.
 *
 *	A purchase order to a third-party vendor is issued by production, and only once
 *	the client has confirmed an estimate of the job (R-JOB-4, R-JOB-7); the CD
 *	confirms it (制作: "开具PO单并得到创意总监确认").
 *
 *	Events: EstimateAdded, EstimateSigned, EstimateSent, EstimateConfirmed,
 *	EstimateDeclined, PoIssued, PoConfirmed (and JobSigned).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "money.h"
#include "validate.h"
#include "wire.h"

#define ESTIMATE_LINES_MAX 200
#define ESTIMATE_CONFIRM_MS (7 * JOBS_DAY_MS)

static const char *state_name(svc_req *r, Aedesk__EstimateState s)
{
	static const char *const en[] = {"none", "draft", "signed", "sent", "confirmed", "declined"};
	static const char *const zh[] = {"无", "草拟", "已签", "已发客户", "客户已确认", "客户已拒绝"};
	int i = (int)s >= 0 && (int)s < 6 ? (int)s : 0;
	return jobs_en(r) ? en[i] : zh[i];
}

int jobs_confirmed_estimate(svc_req *r, const Aedesk__Job *j, char *out, size_t len)
{
	for (size_t i = 0; i < j->n_estimate_ids; i++) {
		Aedesk__Estimate *e;
		if (jobs_get_msg(r, jobs.estimates, j->estimate_ids[i], &aedesk__estimate__descriptor,
			(ProtobufCMessage **)&e) != 0)
			continue;
		int ok = e->state == AEDESK__ESTIMATE_STATE__ESTIMATE_CONFIRMED;
		wire_free(&e->base);
		if (ok) {
			snprintf(out, len, "%s", j->estimate_ids[i]);
			return 0;
		}
	}
	return -1;
}

static int emit_estimate(svc_req *r, const ProtobufCMessageDescriptor *d, Aedesk__Estimate *e)
{
	char am[64];
	jobs_manager_of(r->txn, e->ae, am, sizeof am);
	/* Every estimate event has the same shape: {Estimate estimate = 1; string am = 2;}. */
	Aedesk__EstimateSent ev = AEDESK__ESTIMATE_SENT__INIT;
	ev.base.descriptor = d;
	ev.estimate = e;
	ev.am = am;
	return svc_emit(r, &ev.base);
}

int jobs_estimate_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__EstimateAddRequest *q = (const Aedesk__EstimateAddRequest *)in;
	if (perm_check(r, PERM_ESTIMATE_PREPARE, NULL))
		return -1;
	if (q->n_lines == 0 || q->n_lines > ESTIMATE_LINES_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "估价单须有 1 到 %d 行",
		    "an estimate needs 1 to %d lines", ESTIMATE_LINES_MAX);
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = -1;
	Aedesk__EstimateLine *lines = calloc(q->n_lines, sizeof *lines);
	Aedesk__EstimateLine **lp = calloc(q->n_lines, sizeof *lp);
	if (!lines || !lp) {
		jobs_oom(r);
		goto out;
	}
	if (j->stage != AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE) {
		svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "估价单在估价单阶段准备；工作单 %s 在“%s”阶段",
		    "estimates are prepared in the estimate stage; job %s is in the %s stage", j->id,
		    jobs_en(r) ? jobs_stage_name(j->stage) : jobs_stage_zh(j->stage));
		goto out;
	}
	int64_t total = 0;
	for (size_t i = 0; i < q->n_lines; i++) {
		const Aedesk__EstimateLine *l = q->lines[i];
		if (validate_name(l->item, 200, NULL) || l->quantity < 1 || l->quantity > 1000000 ||
		    l->unit_fen < 0 || l->unit_fen > MONEY_MAX_FEN ||
		    l->unit_fen > (MONEY_MAX_FEN - total) / l->quantity) {
			svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "第 %zu 行无效：须有项目名称、数量 1 到 1000000、单价，合计不超过上限",
			    "line %zu is not valid: it needs an item, a quantity of 1 to 1000000 and a unit price, "
			    "and the total must stay within range", i + 1);
			goto out;
		}
		aedesk__estimate_line__init(&lines[i]);
		lines[i].item = l->item;
		lines[i].quantity = l->quantity;
		lines[i].unit_fen = l->unit_fen;
		lines[i].amount_fen = l->quantity * l->unit_fen;
		lp[i] = &lines[i];
		total += lines[i].amount_fen;
	}
	char id[16], upper[MONEY_UPPER_MAX];
	if (money_upper(total, upper, sizeof upper) != 0) {
		svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "money_upper");
		goto out;
	}
	if (jobs_next_id(r, "estimate", 'E', id, sizeof id))
		goto out;
	Aedesk__Estimate e = AEDESK__ESTIMATE__INIT;
	e.id = id;
	e.job_id = j->id;
	e.job_number = j->number;
	e.client_id = j->client_id;
	e.ae = j->owner;
	e.n_lines = q->n_lines;
	e.lines = lp;
	e.total_fen = total;
	e.total_upper = upper;
	e.state = AEDESK__ESTIMATE_STATE__ESTIMATE_DRAFT;
	e.prepared_by = (char *)r->caller->id;
	e.prepared_ms = r->now_ms;
	char fig[MONEY_FORMAT_MAX];
	jobs_format_money(total, fig, sizeof fig);
	if (jobs_push_str(&j->estimate_ids, &j->n_estimate_ids, id) ||
	    jobs_history(j, r, "estimate", "%s added: %s (%s)", id, fig, upper)) {
		jobs_oom(r);
		goto out;
	}
	if (jobs_put_msg(r, jobs.estimates, id, &e.base) || jobs_save(r, j) ||
	    emit_estimate(r, &aedesk__estimate_added__descriptor, &e))
		goto out;
	Aedesk__EstimateReply rep = AEDESK__ESTIMATE_REPLY__INIT;
	rep.estimate = &e;
	rc = svc_reply(r, &rep.base);
out:
	free(lines);
	free(lp);
	wire_free(&j->base);
	return rc;
}

/* load_estimate: the estimate and its job, if the caller may see the job. */
static int load_estimate(svc_req *r, const char *id, Aedesk__Estimate **e, Aedesk__Job **j)
{
	if (!id[0] || jobs_get_msg(r, jobs.estimates, id, &aedesk__estimate__descriptor, (ProtobufCMessage **)e))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有估价单“%s”", "no estimate '%s'", id);
	if (jobs_load(r, (*e)->job_id, j)) {
		wire_free(&(*e)->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有估价单“%s”", "no estimate '%s'", id);
	}
	return 0;
}

static int want_state(svc_req *r, const Aedesk__Estimate *e, Aedesk__EstimateState want, const char *step)
{
	if (e->state == want)
		return 0;
	return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "估价单 %s 目前%s，不能%s",
	    "estimate %s is %s; it cannot be %s now", e->id, state_name(r, e->state), step);
}

/* may_handle_client: job.drive on the job (the AE serving the client, their AM, an AD). */
static int may_handle_client(svc_req *r, const Aedesk__Job *j)
{
	return jobs_may_drive(r, j);
}

enum est_step { STEP_SIGN, STEP_SEND, STEP_CONFIRM, STEP_DECLINE };

/* estimate_step does one step of an estimate's life, with its checks and events. */
static int estimate_step(svc_req *r, Aedesk__Estimate *e, Aedesk__Job *j, enum est_step step,
    const char *client_name, int64_t at_ms, const char *reason)
{
	int en = jobs_en(r);
	const ProtobufCMessageDescriptor *d = NULL;
	switch (step) {
	case STEP_SIGN:
		if (perm_check(r, PERM_ESTIMATE_SIGN, NULL))
			return -1;
		if (want_state(r, e, AEDESK__ESTIMATE_STATE__ESTIMATE_DRAFT, en ? "signed" : "签字"))
			return -1;
		e->state = AEDESK__ESTIMATE_STATE__ESTIMATE_SIGNED;
		e->signed_ms = r->now_ms;
		if (jobs_set_str(&e->signed_by, r->caller->id))
			return jobs_oom(r);
		d = &aedesk__estimate_signed__descriptor;
		break;
	case STEP_SEND:
		if (!may_handle_client(r, j))
			return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "估价单由服务该客户的 AE（或其 AM、AD）发给客户",
			    "an estimate is sent to the client by the AE serving it (or their AM, an AD)");
		if (want_state(r, e, AEDESK__ESTIMATE_STATE__ESTIMATE_SIGNED, en ? "sent" : "发给客户"))
			return -1;
		e->state = AEDESK__ESTIMATE_STATE__ESTIMATE_SENT;
		e->sent_ms = r->now_ms;
		e->confirm_due_ms = r->now_ms + ESTIMATE_CONFIRM_MS;
		if (jobs_set_str(&e->sent_by, r->caller->id))
			return jobs_oom(r);
		d = &aedesk__estimate_sent__descriptor;
		break;
	case STEP_CONFIRM:
	case STEP_DECLINE:
		if (!may_handle_client(r, j))
			return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
			    "客户的确认或拒绝由服务该客户的 AE（或其 AM、AD）登记",
			    "the client's answer is recorded by the AE serving it (or their AM, an AD)");
		if (want_state(r, e, AEDESK__ESTIMATE_STATE__ESTIMATE_SENT,
			step == STEP_CONFIRM ? (en ? "confirmed" : "确认") : (en ? "declined" : "拒绝")))
			return -1;
		if (validate_name(client_name, 100, NULL))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须写明客户方签字人姓名（--client-name）",
			    "the client's signer is required (--client-name)");
		if (at_ms && (at_ms < jobs_end_of_day(e->sent_ms) - JOBS_DAY_MS + 1 || at_ms > r->now_ms))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户签字日期须在发出估价单之后、今天之前",
			    "the client's date must lie between sending the estimate and today");
		if (step == STEP_DECLINE && (jobs_blank(reason) || strlen(reason) > JOBS_TEXT_MAX))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须写明客户拒绝的原因（--reason）",
			    "the client's reason is required (--reason)");
		e->state = step == STEP_CONFIRM ? AEDESK__ESTIMATE_STATE__ESTIMATE_CONFIRMED
						: AEDESK__ESTIMATE_STATE__ESTIMATE_DECLINED;
		e->decided_ms = at_ms ? at_ms : r->now_ms;
		if (jobs_set_str(&e->client_name, client_name) || jobs_set_str(&e->recorded_by, r->caller->id) ||
		    jobs_set_str(&e->decline_reason, step == STEP_DECLINE ? reason : ""))
			return jobs_oom(r);
		d = step == STEP_CONFIRM ? &aedesk__estimate_confirmed__descriptor : &aedesk__estimate_declined__descriptor;
		break;
	}
	static const char *const what[] = {"signed", "sent", "confirmed", "declined"};
	if (jobs_history(j, r, "estimate", "%s %s%s%s", e->id, what[step], client_name[0] ? " by client " : "",
		client_name))
		return jobs_oom(r);
	/* The estimate stage's sign-offs are the estimate's: AD's signature, the client's. */
	if (j->stage == AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE && (step == STEP_SIGN || step == STEP_CONFIRM)) {
		const char *missing[8];
		size_t n = jobs_missing(j, missing, 8);
		const char *role = step == STEP_SIGN ? "ad" : "client";
		for (size_t i = 0; i < n; i++)
			if (strcmp(missing[i], role) == 0 && jobs_add_signoff(r, j, role, client_name))
				return -1;
	}
	if (jobs_put_msg(r, jobs.estimates, e->id, &e->base) || jobs_save(r, j) || emit_estimate(r, d, e))
		return -1;
	Aedesk__EstimateReply rep = AEDESK__ESTIMATE_REPLY__INIT;
	rep.estimate = e;
	return svc_reply(r, &rep.base);
}

static int estimate_do(svc_req *r, const char *id, enum est_step step, const char *client_name, int64_t at_ms,
    const char *reason)
{
	Aedesk__Estimate *e;
	Aedesk__Job *j;
	if (load_estimate(r, id, &e, &j))
		return -1;
	int rc = estimate_step(r, e, j, step, client_name, at_ms, reason);
	wire_free(&e->base);
	wire_free(&j->base);
	return rc;
}

int jobs_estimate_sign(svc_req *r, const ProtobufCMessage *in)
{
	if (perm_check(r, PERM_ESTIMATE_SIGN, NULL))
		return -1;
	return estimate_do(r, ((const Aedesk__EstimateSignRequest *)in)->id, STEP_SIGN, "", 0, "");
}

int jobs_estimate_send(svc_req *r, const ProtobufCMessage *in)
{
	return estimate_do(r, ((const Aedesk__EstimateSendRequest *)in)->id, STEP_SEND, "", 0, "");
}

int jobs_estimate_confirm(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__EstimateConfirmRequest *q = (const Aedesk__EstimateConfirmRequest *)in;
	return estimate_do(r, q->id, STEP_CONFIRM, q->client_name, q->at_ms, "");
}

int jobs_estimate_decline(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__EstimateDeclineRequest *q = (const Aedesk__EstimateDeclineRequest *)in;
	return estimate_do(r, q->id, STEP_DECLINE, q->client_name, 0, q->reason);
}

/* ---- purchase orders ---- */

static int po_kind_valid(const char *k)
{
	static const char *const kinds[] = {"photography", "illustration", "stock", "printing", "other"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i], k) == 0)
			return 1;
	return 0;
}

static int po_add(svc_req *r, Aedesk__Job *j, const Aedesk__PoAddRequest *q)
{
	if (j->stage == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 已结束", "job %s is closed", j->id);
	char est[32];
	if (jobs_confirmed_estimate(r, j, est, sizeof est) != 0) {
		const char *last = j->n_estimate_ids ? j->estimate_ids[j->n_estimate_ids - 1] : "";
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "R-JOB-4：客户尚未确认工作单 %s 的估价单%s，不能发出 PO",
		    "R-JOB-4: the client has not confirmed an estimate of job %s%s; no purchase order before that",
		    j->id, last[0] ? last : (jobs_en(r) ? " (there is none yet)" : "（尚无估价单）"));
	}
	if (validate_name(q->vendor, 200, NULL))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须写明第三方供应商（--vendor）",
		    "the vendor is required (--vendor)");
	if (!po_kind_valid(q->kind))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "PO 类别须为 photography、illustration、stock、printing 或 other",
		    "a PO's kind is photography, illustration, stock, printing or other");
	if (q->amount_fen <= 0 || q->amount_fen > MONEY_MAX_FEN)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "PO 金额须大于零", "a PO's amount must be above zero");
	if (q->due_ms <= r->now_ms)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "PO 截止日期须在今天之后", "a PO's due date must be after today");
	char id[16], upper[MONEY_UPPER_MAX], fig[MONEY_FORMAT_MAX];
	if (money_upper(q->amount_fen, upper, sizeof upper))
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "money_upper");
	if (jobs_next_id(r, "po", 'P', id, sizeof id))
		return -1;
	Aedesk__PurchaseOrder po = AEDESK__PURCHASE_ORDER__INIT;
	po.id = id;
	po.job_id = j->id;
	po.job_number = j->number;
	po.client_id = j->client_id;
	po.vendor = q->vendor;
	po.kind = q->kind;
	po.amount_fen = q->amount_fen;
	po.amount_upper = upper;
	po.due_ms = q->due_ms;
	po.estimate_id = est;
	po.issued_by = (char *)r->caller->id;
	po.issued_ms = r->now_ms;
	jobs_format_money(q->amount_fen, fig, sizeof fig);
	if (jobs_push_str(&j->po_ids, &j->n_po_ids, id) ||
	    jobs_history(j, r, "po", "%s issued to %s (%s): %s", id, q->vendor, q->kind, fig))
		return jobs_oom(r);
	if (jobs_put_msg(r, jobs.pos, id, &po.base) || jobs_save(r, j))
		return -1;
	Aedesk__PoIssued ev = AEDESK__PO_ISSUED__INIT;
	ev.po = &po;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__PoReply rep = AEDESK__PO_REPLY__INIT;
	rep.po = &po;
	return svc_reply(r, &rep.base);
}

int jobs_po_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PoAddRequest *q = (const Aedesk__PoAddRequest *)in;
	if (perm_check(r, PERM_ESTIMATE_PREPARE, NULL))
		return -1;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = po_add(r, j, q);
	wire_free(&j->base);
	return rc;
}

int jobs_po_confirm(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PoConfirmRequest *q = (const Aedesk__PoConfirmRequest *)in;
	if (perm_check(r, PERM_PO_CONFIRM, NULL))
		return -1;
	Aedesk__PurchaseOrder *po;
	if (!q->id[0] || jobs_get_msg(r, jobs.pos, q->id, &aedesk__purchase_order__descriptor, (ProtobufCMessage **)&po))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有 PO 单“%s”", "no purchase order '%s'", q->id);
	Aedesk__Job *j = NULL;
	int rc = -1;
	if (jobs_load(r, po->job_id, &j))
		goto out;
	if (po->confirmed_by[0]) {
		svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "PO 单 %s 已由 %s 确认", "purchase order %s was confirmed by %s",
		    po->id, po->confirmed_by);
		goto out;
	}
	po->confirmed_ms = r->now_ms;
	if (jobs_set_str(&po->confirmed_by, r->caller->id) || jobs_history(j, r, "po", "%s confirmed", po->id)) {
		jobs_oom(r);
		goto out;
	}
	Aedesk__PoConfirmed ev = AEDESK__PO_CONFIRMED__INIT;
	ev.po = po;
	if (jobs_put_msg(r, jobs.pos, po->id, &po->base) || jobs_save(r, j) || svc_emit(r, &ev.base))
		goto out;
	Aedesk__PoReply rep = AEDESK__PO_REPLY__INIT;
	rep.po = po;
	rc = svc_reply(r, &rep.base);
out:
	wire_free(j ? &j->base : NULL);
	wire_free(&po->base);
	return rc;
}
