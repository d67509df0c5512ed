/*
 * NAME
 *	invoices.c - invoices, payments and receivables (应收款)
 *
 * DESCRIPTION
 *	Finance invoices a job once it has a number, with an amount and a due date, and
 *	records payments against an invoice (never more than is outstanding). The unpaid
 *	total per client (table unpaid) moves in the same transaction: R-JOB-8 compares
 *	it with the client's credit limit when a job is opened.
 *
 *	Events: InvoiceAdded, PaymentAdded (with the invoice after the payment, for
 *	R-PAY-1 and the scorer's overdue receivables).
 *
 * SECURITY
 *	Finance and AD see all receivables; an AE or AM those of the clients they serve.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "money.h"
#include "wire.h"

#define RECEIVABLES_MAX 5000

static int invoice_add(svc_req *r, Aedesk__Job *j, const Aedesk__InvoiceAddRequest *q)
{
	if (!j->number[0])
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "工作单 %s 还没有工作单号（简报须经客户总监和创意总监签字），不能开发票",
		    "job %s has no job number yet (the brief is signed by AD and CD first); no invoice before that",
		    j->id);
	if (q->amount_fen <= 0 || q->amount_fen > MONEY_MAX_FEN)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "发票金额须大于零（--amount）",
		    "an invoice's amount must be above zero (--amount)");
	if (q->due_ms <= 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须给出付款截止日期（--due）",
		    "the payment due date is required (--due)");
	char id[16], upper[MONEY_UPPER_MAX], fig[MONEY_FORMAT_MAX];
	if (money_upper(q->amount_fen, upper, sizeof upper))
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "money_upper");
	if (jobs_next_id(r, "invoice", 'I', id, sizeof id))
		return -1;
	Aedesk__Invoice inv = AEDESK__INVOICE__INIT;
	inv.id = id;
	inv.job_id = j->id;
	inv.job_number = j->number;
	inv.client_id = j->client_id;
	inv.ae = j->owner;
	inv.amount_fen = q->amount_fen;
	inv.amount_upper = upper;
	inv.due_ms = q->due_ms;
	inv.issued_by = (char *)r->caller->id;
	inv.issued_ms = r->now_ms;
	jobs_format_money(q->amount_fen, fig, sizeof fig);
	if (jobs_push_str(&j->invoice_ids, &j->n_invoice_ids, id) ||
	    jobs_history(j, r, "invoice", "%s %s (%s)", id, fig, upper))
		return jobs_oom(r);
	if (jobs_put_msg(r, jobs.invoices, id, &inv.base) || jobs_save(r, j) ||
	    jobs_unpaid_add(r, j->client_id, q->amount_fen))
		return -1;
	char am[64];
	jobs_manager_of(r->txn, j->owner, am, sizeof am);
	Aedesk__InvoiceAdded ev = AEDESK__INVOICE_ADDED__INIT;
	ev.invoice = &inv;
	ev.am = am;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__InvoiceReply rep = AEDESK__INVOICE_REPLY__INIT;
	rep.invoice = &inv;
	return svc_reply(r, &rep.base);
}

int jobs_invoice_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__InvoiceAddRequest *q = (const Aedesk__InvoiceAddRequest *)in;
	if (perm_check(r, PERM_INVOICE_WRITE, NULL))
		return -1;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = invoice_add(r, j, q);
	wire_free(&j->base);
	return rc;
}

int jobs_payment_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__PaymentAddRequest *q = (const Aedesk__PaymentAddRequest *)in;
	if (perm_check(r, PERM_INVOICE_WRITE, NULL))
		return -1;
	Aedesk__Invoice *inv;
	if (!q->invoice_id[0] ||
	    jobs_get_msg(r, jobs.invoices, q->invoice_id, &aedesk__invoice__descriptor, (ProtobufCMessage **)&inv))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有发票“%s”", "no invoice '%s'", q->invoice_id);
	Aedesk__Job *j = NULL;
	int rc = -1;
	int64_t open = inv->amount_fen - inv->paid_fen;
	char fig[MONEY_FORMAT_MAX];
	jobs_format_money(open, fig, sizeof fig);
	if (q->amount_fen <= 0 || q->amount_fen > open) {
		svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "收款金额须大于零且不超过未收的 %s 元",
		    "a payment must be above zero and at most the %s yuan outstanding", fig);
		goto out;
	}
	if (q->paid_ms > r->now_ms || (q->paid_ms && q->paid_ms < inv->issued_ms - 366 * JOBS_DAY_MS)) {
		svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "收款日期不能在今天之后", "the payment date cannot be after today");
		goto out;
	}
	if (jobs_load(r, inv->job_id, &j))
		goto out;
	char id[16];
	if (jobs_next_id(r, "payment", 'Y', id, sizeof id))
		goto out;
	inv->paid_fen += q->amount_fen;
	Aedesk__InvoicePayment p = AEDESK__INVOICE_PAYMENT__INIT;
	p.id = id;
	p.invoice_id = inv->id;
	p.amount_fen = q->amount_fen;
	p.paid_ms = q->paid_ms ? q->paid_ms : r->now_ms;
	p.recorded_by = (char *)r->caller->id;
	p.recorded_ms = r->now_ms;
	jobs_format_money(q->amount_fen, fig, sizeof fig);
	if (jobs_history(j, r, "payment", "%s %s on %s", id, fig, inv->id)) {
		jobs_oom(r);
		goto out;
	}
	if (jobs_put_msg(r, jobs.payments, id, &p.base) || jobs_put_msg(r, jobs.invoices, inv->id, &inv->base) ||
	    jobs_save(r, j) || jobs_unpaid_add(r, inv->client_id, -q->amount_fen))
		goto out;
	char am[64];
	jobs_manager_of(r->txn, inv->ae, am, sizeof am);
	Aedesk__PaymentAdded ev = AEDESK__PAYMENT_ADDED__INIT;
	ev.payment = &p;
	ev.invoice = inv;
	ev.am = am;
	if (svc_emit(r, &ev.base))
		goto out;
	Aedesk__InvoiceReply rep = AEDESK__INVOICE_REPLY__INIT;
	rep.invoice = inv;
	rep.payment = &p;
	rc = svc_reply(r, &rep.base);
out:
	wire_free(j ? &j->base : NULL);
	wire_free(&inv->base);
	return rc;
}

int jobs_receivables(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ReceivablesRequest *q = (const Aedesk__ReceivablesRequest *)in;
	if (perm_check(r, PERM_INVOICE_READ, NULL))
		return -1;
	Aedesk__Invoice **list = calloc(RECEIVABLES_MAX + 1, sizeof *list);
	if (!list)
		return jobs_oom(r);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, jobs.invoices, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "invoices");
	}
	size_t n = 0;
	int64_t outstanding = 0, overdue = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < RECEIVABLES_MAX;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Invoice *inv = (Aedesk__Invoice *)wire_unpack(&aedesk__invoice__descriptor, v.mv_data,
		    v.mv_size, NULL);
		if (!inv)
			continue;
		int64_t open = inv->amount_fen - inv->paid_fen;
		int late = inv->due_ms < r->now_ms;
		if (open > 0 && (!q->overdue || late) && (!q->client_id[0] || strcmp(inv->client_id, q->client_id) == 0) &&
		    jobs_client_allows(r, PERM_INVOICE_READ, inv->client_id, inv->ae)) {
			list[n++] = inv;
			outstanding += open;
			if (late)
				overdue += open;
		} else
			wire_free(&inv->base);
	}
	mdb_cursor_close(cur);
	Aedesk__ReceivablesReply rep = AEDESK__RECEIVABLES_REPLY__INIT;
	rep.n_invoices = n;
	rep.invoices = list;
	rep.outstanding_fen = outstanding;
	rep.overdue_fen = overdue;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
