/*
 * NAME
 *	cmd_estimate.c - estimates (估价单) and purchase orders (PO 单)
 *
 * SYNOPSIS
 *	aedesk estimate add JOB --line "ITEM|QTY|UNIT-PRICE" [--line ...]
 *	aedesk estimate sign|send ID
 *	aedesk estimate confirm ID --client-name NAME [--date DATE]
 *	aedesk estimate decline ID --client-name NAME --reason TEXT
 *	aedesk po add JOB --vendor V --kind KIND --amount A --due DATE
 *	aedesk po confirm ID
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "money.h"
#include "wire.h"

CLI_COMMAND("estimate", cmd_estimate, 22, "估价单：add | sign | send | confirm | decline",
    "estimates: add | sign | send | confirm | decline")
CLI_COMMAND("po", cmd_po, 23, "PO 单：add | confirm", "purchase orders: add | confirm")

#define LINES_MAX 200

static int print_estimate(const ProtobufCMessage *q)
{
	Aedesk__EstimateReply *r;
	int rc = cli_call("jobs", q, &aedesk__estimate_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		static const char *const st[] = {"-", "draft", "signed", "sent", "confirmed", "declined"};
		char fig[MONEY_FORMAT_MAX];
		money_format(r->estimate->total_fen, fig, sizeof fig);
		unsigned s = (unsigned)r->estimate->state < 6 ? (unsigned)r->estimate->state : 0;
		printf("%s %s %s %s\n", r->estimate->id, st[s], fig, r->estimate->total_upper);
	}
	wire_free(&r->base);
	return 0;
}

/* parse_line reads "ITEM|QTY|UNIT-PRICE" into l (pointing into s, which it cuts). */
static int parse_line(char *s, Aedesk__EstimateLine *l)
{
	char *a = strchr(s, '|'), *b = a ? strchr(a + 1, '|') : NULL, *end;
	if (!a || !b || strchr(b + 1, '|'))
		return -1;
	*a = *b = 0;
	l->item = s;
	l->quantity = strtoll(a + 1, &end, 10);
	if (end == a + 1 || *end || l->quantity < 1)
		return -1;
	return jobcli_money(b + 1, &l->unit_fen);
}

static int estimate_add(int argc, char **argv)
{
	static const struct option opts[] = {{"line", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__EstimateLine lines[LINES_MAX], *lp[LINES_MAX];
	size_t n = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (n == LINES_MAX)
				return cli_usage_error("estimate add", "%s", cli_t("行数过多", "too many lines"));
			aedesk__estimate_line__init(&lines[n]);
			if (parse_line(optarg, &lines[n]))
				return cli_usage_error("estimate add", "%s", cli_t("--line 须为 \"项目|数量|单价\"，如 \"摄影|1|8,000\"",
				    "--line is \"ITEM|QTY|UNIT-PRICE\", e.g. \"photo shoot|1|8,000\""));
			lp[n] = &lines[n];
			n++;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk estimate add 工作单 --line \"项目|数量|单价\" [--line ...]（制作部）",
				    "usage: aedesk estimate add JOB --line \"ITEM|QTY|UNIT-PRICE\" [--line ...] (production)"));
			return 0;
		default: return cli_usage_error("estimate add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !n)
		return cli_usage_error("estimate add", "%s", cli_t("请给出工作单编号和至少一行 --line", "give a job id and at least one --line"));
	Aedesk__EstimateAddRequest q = AEDESK__ESTIMATE_ADD_REQUEST__INIT;
	q.job_id = argv[optind];
	q.n_lines = n;
	q.lines = lp;
	return print_estimate(&q.base);
}

static int estimate_simple(int argc, char **argv, int send)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error(send ? "estimate send" : "estimate sign", "%s", cli_t("请给出一个估价单编号", "give one estimate id"));
	Aedesk__EstimateSignRequest s = AEDESK__ESTIMATE_SIGN_REQUEST__INIT;
	Aedesk__EstimateSendRequest d = AEDESK__ESTIMATE_SEND_REQUEST__INIT;
	s.id = d.id = argv[1];
	return print_estimate(send ? &d.base : &s.base);
}

static int estimate_sign(int argc, char **argv) { return estimate_simple(argc, argv, 0); }
static int estimate_send(int argc, char **argv) { return estimate_simple(argc, argv, 1); }

static int estimate_decide(int argc, char **argv, int confirm)
{
	static const struct option opts[] = {{"client-name", required_argument, NULL, 'c'},
	    {"date", required_argument, NULL, 'd'}, {"reason", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *cmd = confirm ? "estimate confirm" : "estimate decline", *name = "", *reason = "";
	int64_t at = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, "c:d:r:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': name = optarg; break;
		case 'd':
			if (!confirm || jobcli_date(optarg, &at))
				return cli_usage_error(cmd, "%s", cli_t("--date 须为 YYYY-MM-DD [HH:MM]", "--date is YYYY-MM-DD [HH:MM]"));
			break;
		case 'r': reason = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk estimate confirm 编号 --client-name 客户签字人 [--date 日期]\n"
					    "      aedesk estimate decline 编号 --client-name 客户签字人 --reason 原因",
				    "usage: aedesk estimate confirm ID --client-name NAME [--date DATE]\n"
				    "       aedesk estimate decline ID --client-name NAME --reason TEXT"));
			return 0;
		default: return cli_usage_error(cmd, "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !name[0])
		return cli_usage_error(cmd, "%s", cli_t("请给出估价单编号和 --client-name", "give an estimate id and --client-name"));
	if (confirm) {
		Aedesk__EstimateConfirmRequest q = AEDESK__ESTIMATE_CONFIRM_REQUEST__INIT;
		q.id = argv[optind];
		q.client_name = (char *)name;
		/* A bare date stands for the end of that day; today's is "now". */
		int64_t now = wire_now_ms();
		q.at_ms = at > now ? now : at;
		return print_estimate(&q.base);
	}
	if (!reason[0])
		return cli_usage_error(cmd, "%s", cli_t("须给出 --reason", "--reason is required"));
	Aedesk__EstimateDeclineRequest q = AEDESK__ESTIMATE_DECLINE_REQUEST__INIT;
	q.id = argv[optind];
	q.client_name = (char *)name;
	q.reason = (char *)reason;
	return print_estimate(&q.base);
}

static int estimate_confirm(int argc, char **argv) { return estimate_decide(argc, argv, 1); }
static int estimate_decline(int argc, char **argv) { return estimate_decide(argc, argv, 0); }

static int cmd_estimate(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", estimate_add}, {"sign", estimate_sign}, {"send", estimate_send},
	    {"confirm", estimate_confirm}, {"decline", estimate_decline}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk estimate add 工作单 --line \"项目|数量|单价\" ...（制作部）\n  aedesk estimate sign 编号（客户总监）\n"
	    "  aedesk estimate send 编号（AE）\n  aedesk estimate confirm 编号 --client-name 客户签字人 [--date 日期]\n"
	    "  aedesk estimate decline 编号 --client-name 客户签字人 --reason 原因",
	    "usage:\n  aedesk estimate add JOB --line \"ITEM|QTY|UNIT-PRICE\" ... (production)\n  aedesk estimate sign ID (AD)\n"
	    "  aedesk estimate send ID (AE)\n  aedesk estimate confirm ID --client-name NAME [--date DATE]\n"
	    "  aedesk estimate decline ID --client-name NAME --reason TEXT");
}

static int print_po(const ProtobufCMessage *q)
{
	Aedesk__PoReply *r;
	int rc = cli_call("jobs", q, &aedesk__po_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		char fig[MONEY_FORMAT_MAX];
		money_format(r->po->amount_fen, fig, sizeof fig);
		printf("%s %s %s %s\n", r->po->id, r->po->vendor, fig, r->po->amount_upper);
	}
	wire_free(&r->base);
	return 0;
}

static int po_add(int argc, char **argv)
{
	static const struct option opts[] = {{"vendor", required_argument, NULL, 'v'},
	    {"kind", required_argument, NULL, 'k'}, {"amount", required_argument, NULL, 'a'},
	    {"due", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__PoAddRequest q = AEDESK__PO_ADD_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "v:k:a:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'v': q.vendor = optarg; break;
		case 'k': q.kind = optarg; break;
		case 'a':
			if (jobcli_money(optarg, &q.amount_fen))
				return cli_usage_error("po add", "%s '%s'", cli_t("金额无效：", "not an amount:"), optarg);
			break;
		case 'd':
			if (jobcli_date(optarg, &q.due_ms))
				return cli_usage_error("po add", "%s '%s'", cli_t("日期须为 YYYY-MM-DD：", "a date is YYYY-MM-DD:"), optarg);
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk po add 工作单 --vendor 供应商 --kind photography|illustration|stock|printing|other --amount 金额 --due 日期",
				    "usage: aedesk po add JOB --vendor V --kind photography|illustration|stock|printing|other --amount A --due DATE"));
			return 0;
		default: return cli_usage_error("po add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !q.vendor[0] || !q.kind[0] || !q.amount_fen || !q.due_ms)
		return cli_usage_error("po add", "%s", cli_t("须给出工作单、--vendor、--kind、--amount 和 --due",
		    "a job, --vendor, --kind, --amount and --due are required"));
	q.job_id = argv[optind];
	return print_po(&q.base);
}

static int po_confirm(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("po confirm", "%s", cli_t("请给出一个 PO 单编号", "give one PO id"));
	Aedesk__PoConfirmRequest q = AEDESK__PO_CONFIRM_REQUEST__INIT;
	q.id = argv[1];
	return print_po(&q.base);
}

static int cmd_po(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", po_add}, {"confirm", po_confirm}};
	return jobcli_dispatch(argc, argv, sub, 2,
	    "用法：\n  aedesk po add 工作单 --vendor 供应商 --kind 类别 --amount 金额 --due 日期（制作部）\n  aedesk po confirm 编号（创意总监）",
	    "usage:\n  aedesk po add JOB --vendor V --kind KIND --amount A --due DATE (production)\n  aedesk po confirm ID (CD)");
}
