/*
 * NAME
 *	cmd_plan.c - weekly work plans and monthly summaries (R-PLAN-1)
 *
 * SYNOPSIS
 *	aedesk plan submit [--week YYYY-Www | --month YYYY-MM] (--file F | --text T)
 *	aedesk plan missing [--week YYYY-Www] [--month YYYY-MM] [--all] [--json]
 *
 * DESCRIPTION
 *	submit hands in the week's work plan (default: this week) or, with --month, the
 *	month's summary; handing in again replaces it. missing lists who has not handed in
 *	the week's plan or the month's summary (default: this week, and the latest month
 *	whose summary is due): an AE sees themselves, an AM their AEs, AD and admin every
 *	AE; --all lists those who have too.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "scheduler.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("plan", cmd_plan, 42, "工作计划与月度总结：aedesk plan submit|missing",
    "work plans and monthly summaries: aedesk plan submit|missing")

static const char usage_zh[] = "用法：\n"
                               "  aedesk plan submit [--week YYYY-Www | --month YYYY-MM] (--file 文件 | --text 内容)\n"
                               "  aedesk plan missing [--week YYYY-Www] [--month YYYY-MM] [--all] [--json]\n"
                               "submit 提交本周工作计划（--month：月度总结），再次提交即替换；\n"
                               "missing 列出未交本周计划或月度总结的 AE（AM 看本组，AD 看全部；--all 连已交的也列出）。";
static const char usage_en[] = "usage:\n"
                               "  aedesk plan submit [--week YYYY-Www | --month YYYY-MM] (--file F | --text T)\n"
                               "  aedesk plan missing [--week YYYY-Www] [--month YYYY-MM] [--all] [--json]\n"
                               "submit hands in this week's work plan (--month: the monthly summary); again replaces it.\n"
                               "missing lists the AEs without the week's plan or the month's summary (an AM their team,\n"
                               "AD everyone; --all lists those who have handed them in too).";

static int plan_submit(int argc, char **argv)
{
	static const struct option opts[] = {{"week", required_argument, NULL, 'w'}, {"month", required_argument, NULL, 'm'},
	    {"file", required_argument, NULL, 'f'}, {"text", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__PlanSubmitRequest q = AEDESK__PLAN_SUBMIT_REQUEST__INIT;
	const char *week = NULL, *month = NULL, *file = NULL, *text = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "w:m:f:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': week = optarg; break;
		case 'm': month = optarg; break;
		case 'f': file = optarg; break;
		case 't': text = optarg; break;
		case 'h': printf("%s\n", cli_t(usage_zh, usage_en)); return 0;
		default: return cli_usage_error("plan submit", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("plan submit", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	if (week && month)
		return cli_usage_error("plan submit", "%s", cli_t("--week 与 --month 只能给一个", "give --week or --month, not both"));
	if ((file != NULL) == (text != NULL))
		return cli_usage_error("plan submit", "%s", cli_t("须给出 --file 或 --text 之一", "give one of --file or --text"));
	q.kind = (char *)(month ? "month" : "week");
	q.period = (char *)(month ? month : week ? week : "");
	char *buf = NULL;
	if (file && !(buf = jobcli_read_file("plan submit", file)))
		return EXIT_USAGE;
	q.text = buf ? buf : (char *)text;
	Aedesk__PlanSubmitReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__plan_submit_reply__descriptor, (ProtobufCMessage **)&r);
	free(buf);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (r->plan)
		printf(cli_t("已提交 %s %s\n", "handed in %s %s\n"),
		    strcmp(r->plan->kind, "week") == 0 ? cli_t("工作计划", "the work plan of") : cli_t("月度总结", "the summary of"),
		    r->plan->period);
	wire_free(&r->base);
	return 0;
}

static int plan_missing(int argc, char **argv)
{
	static const struct option opts[] = {{"week", required_argument, NULL, 'w'}, {"month", required_argument, NULL, 'm'},
	    {"all", no_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__PlanMissingRequest q = AEDESK__PLAN_MISSING_REQUEST__INIT;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "w:m:ah", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': q.week = optarg; break;
		case 'm': q.month = optarg; break;
		case 'a': q.all = 1; break;
		case 'h': printf("%s\n", cli_t(usage_zh, usage_en)); return 0;
		default: return cli_usage_error("plan missing", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("plan missing", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__PlanMissingReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__plan_missing_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	printf("%s %s, %s %s\n", cli_t("周", "week"), r->week, cli_t("月", "month"), r->month);
	if (r->n_rows == 0)
		printf("%s\n", cli_t("都已提交。", "everyone has handed them in."));
	const char *h[] = {cli_t("员工", "STAFF"), cli_t("姓名", "NAME"), "AM", cli_t("周计划", "WEEK PLAN"),
	    cli_t("月度总结", "MONTH SUMMARY")};
	text_table *t = r->n_rows ? text_table_new(5, h) : NULL;
	for (size_t i = 0; t && i < r->n_rows; i++) {
		const Aedesk__PlanMissingRow *w = r->rows[i];
		const char *row[] = {w->staff_id, w->name, w->manager, w->week_plan ? cli_t("已交", "in") : cli_t("未交", "MISSING"),
		    w->month_summary ? cli_t("已交", "in") : cli_t("未交", "MISSING")};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int cmd_plan(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "submit") == 0)
		return plan_submit(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "missing") == 0)
		return plan_missing(argc - 1, argv + 1);
	int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0);
	fprintf(help ? stdout : stderr, "%s\n", cli_t(usage_zh, usage_en));
	return help ? 0 : EXIT_USAGE;
}
