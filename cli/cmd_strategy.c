/*
 * NAME
 *	cmd_strategy.c - strategy sheets (策略单, R-JOB-2)
 *
 * SYNOPSIS
 *	aedesk strategy set CLIENT [--brand B] --file F
 *	aedesk strategy show CLIENT [--brand B]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "wire.h"

CLI_COMMAND("strategy", cmd_strategy, 21, "策略单：set | show", "strategy sheets: set | show")

static int strategy_call(int argc, char **argv, int set)
{
	static const struct option opts[] = {{"brand", required_argument, NULL, 'b'},
	    {"file", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *cmd = set ? "strategy set" : "strategy show", *brand = "", *file = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "b:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': brand = optarg; break;
		case 'f': file = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk strategy set 客户编号 [--brand 品牌] --file 文件\n"
					    "      aedesk strategy show 客户编号 [--brand 品牌]",
				    "usage: aedesk strategy set CLIENT [--brand B] --file F\n"
				    "       aedesk strategy show CLIENT [--brand B]"));
			return 0;
		default: return cli_usage_error(cmd, "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(cmd, "%s", cli_t("请给出一个客户编号", "give one client id"));
	if (set != (file != NULL))
		return cli_usage_error(cmd, "%s", set ? cli_t("须给出 --file", "--file is required") : cli_t("show 不用 --file", "show takes no --file"));
	Aedesk__StrategyReply *r;
	int rc;
	if (set) {
		Aedesk__StrategySetRequest q = AEDESK__STRATEGY_SET_REQUEST__INIT;
		q.client_id = argv[optind];
		q.brand = (char *)brand;
		if (!(q.text = jobcli_read_file(cmd, file)))
			return EXIT_USAGE;
		rc = cli_call("jobs", &q.base, &aedesk__strategy_reply__descriptor, (ProtobufCMessage **)&r);
		free(q.text);
	} else {
		Aedesk__StrategyGetRequest q = AEDESK__STRATEGY_GET_REQUEST__INIT;
		q.client_id = argv[optind];
		q.brand = (char *)brand;
		rc = cli_call("jobs", &q.base, &aedesk__strategy_reply__descriptor, (ProtobufCMessage **)&r);
	}
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (set)
		printf("%s%s%s\n", r->strategy->client_id, r->strategy->brand[0] ? "/" : "", r->strategy->brand);
	else {
		char when[32];
		cli_format_time(r->strategy->set_ms, when, sizeof when);
		printf("%s%s%s  %s %s\n\n%s\n", r->strategy->client_id, r->strategy->brand[0] ? "/" : "",
		    r->strategy->brand, r->strategy->set_by, when, r->strategy->text);
	}
	wire_free(&r->base);
	return 0;
}

static int strategy_set(int argc, char **argv) { return strategy_call(argc, argv, 1); }
static int strategy_show(int argc, char **argv) { return strategy_call(argc, argv, 0); }

static int cmd_strategy(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"set", strategy_set}, {"show", strategy_show}};
	return jobcli_dispatch(argc, argv, sub, 2,
	    "用法：\n  aedesk strategy set 客户编号 [--brand 品牌] --file 文件\n  aedesk strategy show 客户编号 [--brand 品牌]",
	    "usage:\n  aedesk strategy set CLIENT [--brand B] --file F\n  aedesk strategy show CLIENT [--brand B]");
}
