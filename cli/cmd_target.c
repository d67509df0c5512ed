/*
 * NAME
 *	cmd_target.c - revenue and prospect-contact targets per AE and period
 *
 * SYNOPSIS
 *	aedesk target set STAFF --period YYYY-MM|YYYY-Qn [--revenue AMOUNT] [--prospects N]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "money.h"
#include "scorer.pb-c.h"
#include "wire.h"

CLI_COMMAND("target", cmd_target, 62, "业绩目标：set STAFF --period P --revenue 金额 --prospects N",
    "targets: set STAFF --period P --revenue X --prospects N")

static int cmd_target(int argc, char **argv)
{
	static const struct option opts[] = {{"period", required_argument, NULL, 'p'},
	    {"revenue", required_argument, NULL, 'r'}, {"prospects", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk target set 员工 --period YYYY-MM|YYYY-Qn [--revenue 金额] [--prospects 次数]",
	    "usage: aedesk target set STAFF --period YYYY-MM|YYYY-Qn [--revenue AMOUNT] [--prospects N]");
	if (argc < 2 || strcmp(argv[1], "set") != 0) {
		int help = argc >= 2 && strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr, "%s\n", usage);
		return help ? 0 : EXIT_USAGE;
	}
	argc--;
	argv++;
	Aedesk__TargetSetRequest q = AEDESK__TARGET_SET_REQUEST__INIT;
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "p:r:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': q.period = optarg; break;
		case 'r':
			if (money_parse(optarg, &q.revenue_fen) != 0)
				return cli_usage_error("target set", "%s '%s'", cli_t("金额无效：", "not an amount:"), optarg);
			break;
		case 'n':
			q.prospects = strtoll(optarg, &end, 10);
			if (*end || q.prospects < 0)
				return cli_usage_error("target set", "%s '%s'", cli_t("--prospects 须为非负整数，而不是", "--prospects must be a whole number, not"), optarg);
			break;
		case 'h': printf("%s\n", usage); return 0;
		default: return cli_usage_error("target set", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (argc - optind != 1 || !q.period[0])
		return cli_usage_error("target set", "%s", cli_t("须给出员工和 --period", "a staff id and --period are required"));
	q.staff_id = argv[optind];
	Aedesk__TargetReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__target_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		char a[MONEY_FORMAT_MAX];
		money_format(r->target->revenue_fen, a, sizeof a);
		printf("%s %s %s: %s %s, %s %lld\n", cli_t("目标已设定", "target set"), r->target->staff_id, r->target->period,
		    cli_t("营业额", "revenue"), a, cli_t("开发客户联系", "prospect contacts"), (long long)r->target->prospects);
	}
	wire_free(&r->base);
	return 0;
}
