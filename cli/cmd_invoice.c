/*
 * NAME
 *	cmd_invoice.c - invoices, payments and receivables (应收款)
 *
 * SYNOPSIS
 *	aedesk invoice add JOB --amount A --due DATE
 *	aedesk payment add INVOICE --amount A [--date DATE]
 *	aedesk receivables [--client C] [--overdue]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "money.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("invoice", cmd_invoice, 30, "发票：add", "invoices: add")
CLI_COMMAND("payment", cmd_payment, 31, "收款：add", "payments: add")
CLI_COMMAND("receivables", cmd_receivables, 32, "应收款：[--client C] [--overdue]",
    "receivables: [--client C] [--overdue]")

/* money_call parses --amount, --due and --date for invoice add and payment add. */
static int money_call(int argc, char **argv, int invoice)
{
	static const struct option opts[] = {{"amount", required_argument, NULL, 'a'},
	    {"due", required_argument, NULL, 'd'}, {"date", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *cmd = invoice ? "invoice add" : "payment add";
	int64_t amount = 0, due = 0, date = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:d:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (jobcli_money(optarg, &amount))
				return cli_usage_error(cmd, "%s '%s'", cli_t("金额无效：", "not an amount:"), optarg);
			break;
		case 'd':
		case 't':
			if ((ch == 'd') != invoice || jobcli_date(optarg, ch == 'd' ? &due : &date))
				return cli_usage_error(cmd, "%s '%s'", cli_t("日期无效：", "not a valid date here:"), optarg);
			break;
		case 'h':
			printf("%s\n", invoice ? cli_t("用法：aedesk invoice add 工作单 --amount 金额 --due 付款截止日期（财务部）",
						   "usage: aedesk invoice add JOB --amount A --due DATE (finance)")
					       : cli_t("用法：aedesk payment add 发票编号 --amount 金额 [--date 收款日期]（财务部）",
						   "usage: aedesk payment add INVOICE --amount A [--date DATE] (finance)"));
			return 0;
		default: return cli_usage_error(cmd, "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !amount || (invoice && !due))
		return cli_usage_error(cmd, "%s", invoice ? cli_t("须给出工作单、--amount 和 --due", "a job, --amount and --due are required")
							  : cli_t("须给出发票编号和 --amount", "an invoice id and --amount are required"));
	Aedesk__InvoiceReply *r;
	int rc;
	if (invoice) {
		Aedesk__InvoiceAddRequest q = AEDESK__INVOICE_ADD_REQUEST__INIT;
		q.job_id = argv[optind];
		q.amount_fen = amount;
		q.due_ms = due;
		rc = cli_call("jobs", &q.base, &aedesk__invoice_reply__descriptor, (ProtobufCMessage **)&r);
	} else {
		Aedesk__PaymentAddRequest q = AEDESK__PAYMENT_ADD_REQUEST__INIT;
		q.invoice_id = argv[optind];
		q.amount_fen = amount;
		int64_t now = wire_now_ms();
		q.paid_ms = date > now ? now : date;
		rc = cli_call("jobs", &q.base, &aedesk__invoice_reply__descriptor, (ProtobufCMessage **)&r);
	}
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		char a[MONEY_FORMAT_MAX], p[MONEY_FORMAT_MAX];
		money_format(r->invoice->amount_fen, a, sizeof a);
		money_format(r->invoice->paid_fen, p, sizeof p);
		printf("%s%s%s %s %s %s %s\n", r->payment ? r->payment->id : "", r->payment ? " " : "", r->invoice->id,
		    r->invoice->job_number, a, r->invoice->amount_upper, p);
	}
	wire_free(&r->base);
	return 0;
}

static int invoice_add(int argc, char **argv) { return money_call(argc, argv, 1); }
static int payment_add(int argc, char **argv) { return money_call(argc, argv, 0); }

static int cmd_invoice(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", invoice_add}};
	return jobcli_dispatch(argc, argv, sub, 1, "用法：aedesk invoice add 工作单 --amount 金额 --due 日期",
	    "usage: aedesk invoice add JOB --amount A --due DATE");
}

static int cmd_payment(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", payment_add}};
	return jobcli_dispatch(argc, argv, sub, 1, "用法：aedesk payment add 发票编号 --amount 金额 [--date 日期]",
	    "usage: aedesk payment add INVOICE --amount A [--date DATE]");
}

static int cmd_receivables(int argc, char **argv)
{
	static const struct option opts[] = {{"client", required_argument, NULL, 'c'},
	    {"overdue", no_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ReceivablesRequest q = AEDESK__RECEIVABLES_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "c:oh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': q.client_id = optarg; break;
		case 'o': q.overdue = 1; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk receivables [--client 客户] [--overdue]",
				    "usage: aedesk receivables [--client C] [--overdue]"));
			return 0;
		default: return cli_usage_error("receivables", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("receivables", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__ReceivablesReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__receivables_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	text_table *t = text_table_new(6, (const char *[]){cli_t("发票", "INVOICE"), cli_t("工作单号", "JOB NUMBER"),
	    cli_t("客户", "CLIENT"), cli_t("未收", "OUTSTANDING"), cli_t("到期", "DUE"), cli_t("逾期", "OVERDUE")});
	int64_t now = wire_now_ms();
	for (size_t i = 0; t && i < r->n_invoices; i++) {
		const Aedesk__Invoice *v = r->invoices[i];
		char o[MONEY_FORMAT_MAX], d[32];
		money_format(v->amount_fen - v->paid_fen, o, sizeof o);
		cli_format_time(v->due_ms, d, sizeof d);
		const char *row[] = {v->id, v->job_number, v->client_id, o, d, v->due_ms < now ? cli_t("是", "yes") : ""};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
	money_format(r->outstanding_fen, a, sizeof a);
	money_format(r->overdue_fen, b, sizeof b);
	printf(cli_t("合计未收 %s，其中逾期 %s\n", "outstanding %s, of which overdue %s\n"), a, b);
	wire_free(&r->base);
	return 0;
}
