/*
 * NAME
 *	cmd_survey.c - client satisfaction surveys (客户满意度调查)
 *
 * SYNOPSIS
 *	aedesk survey add CLIENT --by CONTACT --score DIMENSION=N ... [--comment TEXT]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scorer.pb-c.h"
#include "wire.h"

CLI_COMMAND("survey", cmd_survey, 63, "满意度调查：add CLIENT --by 联系人 --score 维度=分数 ... [--comment 意见]",
    "satisfaction surveys: add CLIENT --by CONTACT --score DIMENSION=N ... [--comment TEXT]")

static int cmd_survey(int argc, char **argv)
{
	static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
	    {"score", required_argument, NULL, 's'}, {"comment", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk survey add 客户编号 --by 联系人编号 --score 维度=分数(1-5) ... [--comment 意见]",
	    "usage: aedesk survey add CLIENT --by CONTACT --score DIMENSION=N(1-5) ... [--comment TEXT]");
	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		int help = argc >= 2 && strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr, "%s\n", usage);
		return help ? 0 : EXIT_USAGE;
	}
	argc--;
	argv++;
	Aedesk__SurveyAddRequest q = AEDESK__SURVEY_ADD_REQUEST__INIT;
	Aedesk__SurveyScore sc[20], *sp[20];
	char dims[20][72];
	int ch;
	while ((ch = getopt_long(argc, argv, "b:s:c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'b': q.contact_id = optarg; break;
		case 'c': q.comment = optarg; break;
		case 's': {
			const char *eq = strrchr(optarg, '=');
			char *end;
			long v = eq ? strtol(eq + 1, &end, 10) : 0;
			if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof dims[0] || !eq[1] || *end || q.n_scores == 20)
				return cli_usage_error("survey add", "%s '%s'", cli_t("--score 须为 维度=分数，而不是", "--score must be DIMENSION=N, not"), optarg);
			memcpy(dims[q.n_scores], optarg, (size_t)(eq - optarg));
			dims[q.n_scores][eq - optarg] = 0;
			aedesk__survey_score__init(&sc[q.n_scores]);
			sc[q.n_scores].dimension = dims[q.n_scores];
			sc[q.n_scores].score = v < -1000 || v > 1000 ? 0 : (int32_t)v;
			sp[q.n_scores] = &sc[q.n_scores];
			q.n_scores++;
			break;
		}
		case 'h': printf("%s\n", usage); return 0;
		default: return cli_usage_error("survey add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	q.scores = sp;
	if (argc - optind != 1 || !q.contact_id[0] || !q.n_scores)
		return cli_usage_error("survey add", "%s", cli_t("须给出客户编号、--by 和至少一项 --score", "a client id, --by and at least one --score are required"));
	q.client_id = argv[optind];
	Aedesk__SurveyReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__survey_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s\n", r->survey->id);
	wire_free(&r->base);
	return 0;
}
