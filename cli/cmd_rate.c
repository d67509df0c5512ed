/*
 * NAME
 *	cmd_rate.c - rate a person's period on the handbook's criteria (业绩评估)
 *
 * SYNOPSIS
 *	aedesk rate STAFF --period P --criterion NAME=SCORE ... [--comment TEXT]
 *
 * DESCRIPTION
 *	Criteria: analytical planning communication teamwork advocacy helpfulness
 *	suggestions attitude training, each 1-5. Only the direct manager or above.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scorer.pb-c.h"
#include "wire.h"

CLI_COMMAND("rate", cmd_rate, 61, "评分：STAFF --period P --criterion 名称=分数 ... [--comment 评语]",
    "rate: STAFF --period P --criterion NAME=SCORE ... [--comment TEXT]")

static int cmd_rate(int argc, char **argv)
{
	static const struct option opts[] = {{"period", required_argument, NULL, 'p'},
	    {"criterion", required_argument, NULL, 'c'}, {"comment", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__RatingSetRequest q = AEDESK__RATING_SET_REQUEST__INIT;
	Aedesk__RatingCriterion crit[16], *cp[16];
	char names[16][64];
	int ch;
	while ((ch = getopt_long(argc, argv, "p:c:m:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': q.period = optarg; break;
		case 'm': q.comment = optarg; break;
		case 'c': {
			const char *eq = strchr(optarg, '=');
			char *end;
			long v = eq ? strtol(eq + 1, &end, 10) : 0;
			if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof names[0] || !eq[1] || *end || q.n_criteria == 16)
				return cli_usage_error("rate", "%s '%s'", cli_t("--criterion 须为 名称=分数，而不是", "--criterion must be NAME=SCORE, not"), optarg);
			memcpy(names[q.n_criteria], optarg, (size_t)(eq - optarg));
			names[q.n_criteria][eq - optarg] = 0;
			aedesk__rating_criterion__init(&crit[q.n_criteria]);
			crit[q.n_criteria].name = names[q.n_criteria];
			crit[q.n_criteria].score = v < -1000 || v > 1000 ? 0 : (int32_t)v;
			cp[q.n_criteria] = &crit[q.n_criteria];
			q.n_criteria++;
			break;
		}
		case 'h':
			printf("%s\n", cli_t("用法：aedesk rate 员工 --period 期间 --criterion 名称=分数 ... [--comment 评语]\n"
					     "评估项：analytical planning communication teamwork advocacy helpfulness suggestions attitude training（1–5 分）",
					   "usage: aedesk rate STAFF --period P --criterion NAME=SCORE ... [--comment TEXT]\n"
					   "criteria: analytical planning communication teamwork advocacy helpfulness suggestions attitude training (1-5)"));
			return 0;
		default: return cli_usage_error("rate", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	q.criteria = cp;
	if (argc - optind != 1 || !q.period[0] || !q.n_criteria)
		return cli_usage_error("rate", "%s", cli_t("须给出员工、--period 和至少一项 --criterion", "a staff id, --period and at least one --criterion are required"));
	q.staff_id = argv[optind];
	Aedesk__RatingReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__rating_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s %s %s\n", cli_t("已评分：", "rated:"), r->rating->staff_id, r->rating->period);
	wire_free(&r->base);
	return 0;
}
