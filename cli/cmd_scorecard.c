/*
 * NAME
 *	cmd_scorecard.c - AE scorecards, team rankings, comments and client scores
 *
 * SYNOPSIS
 *	aedesk scorecard STAFF --period P
 *	aedesk scorecard --team AM --period P
 *	aedesk scorecard comment STAFF --period P --text T
 *	aedesk scorecard clients [CLIENT] [--recommend]
 *
 * DESCRIPTION
 *	P is a month YYYY-MM, a quarter YYYY-Qn or days YYYY-MM-DD..YYYY-MM-DD. Every
 *	input shows its value, score (thousandths), weight, contribution and the ids it
 *	came from (R-SCORE-1); --json prints the same. `clients` scores clients (R-CLASS-1)
 *	and with --recommend sends the class recommendations that differ.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "money.h"
#include "scorer.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("scorecard", cmd_scorecard, 60, "业绩评估：STAFF --period P | --team AM --period P | comment | clients（aedesk scorecard --help）",
    "evaluations: STAFF --period P | --team AM --period P | comment | clients (aedesk scorecard --help)")

#define SC_USAGE_ZH                                                                             \
	"用法：\n  aedesk scorecard 员工 --period 期间\n  aedesk scorecard --team AM编号 --period 期间\n" \
	"  aedesk scorecard comment 员工 --period 期间 --text 评语\n"                                 \
	"  aedesk scorecard clients [客户编号] [--recommend]\n"                                      \
	"期间：月份 YYYY-MM、季度 YYYY-Qn 或 YYYY-MM-DD..YYYY-MM-DD。\n"                        \
	"--team：该上级手下的全部 AE 按总分排名（AM：本组；客户总监：全部门）。"
#define SC_USAGE_EN                                                                          \
	"usage:\n  aedesk scorecard STAFF --period P\n  aedesk scorecard --team AM --period P\n" \
	"  aedesk scorecard comment STAFF --period P --text T\n"                                 \
	"  aedesk scorecard clients [CLIENT] [--recommend]\n"                                    \
	"P: a month YYYY-MM, a quarter YYYY-Qn or YYYY-MM-DD..YYYY-MM-DD.\n"                 \
	"--team: every AE under that manager, ranked by total (an AM: the team; an AD: all)."

static void join(char *buf, size_t len, char *const *s, size_t n)
{
	buf[0] = 0;
	for (size_t i = 0, u = 0; i < n && u < len; i++)
		u += (size_t)snprintf(buf + u, len - u, "%s%s", i ? "," : "", s[i]);
}

static void print_inputs(Aedesk__ScoreInput *const *in, size_t n)
{
	const char *h[] = {cli_t("项目", "INPUT"), cli_t("数值", "VALUE"), cli_t("得分", "SCORE"), cli_t("权重", "WEIGHT"),
	    cli_t("贡献", "CONTRIB"), cli_t("来源", "SOURCES"), cli_t("说明", "NOTE")};
	text_table *t = text_table_new(7, h);
	for (size_t i = 0; t && i < n; i++) {
		char sc[24], w[24], c[24], src[2048];
		snprintf(sc, sizeof sc, "%lld", (long long)in[i]->score);
		snprintf(w, sizeof w, "%lld", (long long)in[i]->weight);
		snprintf(c, sizeof c, "%lld", (long long)in[i]->contribution);
		join(src, sizeof src, in[i]->sources, in[i]->n_sources);
		const char *row[] = {in[i]->name, in[i]->value, sc, w, c, src, in[i]->note};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static void print_card(const Aedesk__Scorecard *c)
{
	printf("%s (%s)  %s  %s..%s\n", c->name, c->staff_id, c->period, c->from, c->to);
	printf("%s %lld/1000  (%s %lld)\n", cli_t("总分", "total"), (long long)c->total, cli_t("权重合计", "weights"),
	    (long long)c->total_weight);
	print_inputs(c->inputs, c->n_inputs);
	if (c->comment[0])
		printf(cli_t("上级评语（%s）：%s\n", "supervisor (%s): %s\n"), c->rated_by, c->comment);
	if (c->head_comment[0])
		printf(cli_t("部门主管评语（%s）：%s\n", "department head (%s): %s\n"), c->head_by, c->head_comment);
	if (c->self_comment[0])
		printf(cli_t("本人意见：%s\n", "own comment: %s\n"), c->self_comment);
}

static int sc_show(int argc, char **argv)
{
	static const struct option opts[] = {{"period", required_argument, NULL, 'p'},
	    {"team", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ScorecardRequest q = AEDESK__SCORECARD_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "p:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': q.period = optarg; break;
		case 't': q.team = optarg; break;
		case 'h': printf("%s\n", cli_t(SC_USAGE_ZH, SC_USAGE_EN)); return 0;
		default: return cli_usage_error("scorecard", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (!q.team[0] && argc - optind == 1)
		q.staff_id = argv[optind];
	else if (!(q.team[0] && argc == optind))
		return cli_usage_error("scorecard", "%s", cli_t("请给出一位员工，或 --team AM编号", "give one staff id, or --team AM"));
	if (!q.period[0])
		return cli_usage_error("scorecard", "%s", cli_t("必须给出 --period", "--period is required"));
	Aedesk__ScorecardReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__scorecard_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (q.team[0]) {
		const char *h[] = {cli_t("名次", "RANK"), cli_t("员工", "STAFF"), cli_t("姓名", "NAME"), cli_t("总分", "TOTAL"),
		    cli_t("营业额", "REVENUE"), cli_t("目标", "TARGET")};
		text_table *t = text_table_new(6, h);
		for (size_t i = 0; t && i < r->n_cards; i++) {
			const Aedesk__Scorecard *c = r->cards[i];
			char rk[16], tot[16], rev[MONEY_FORMAT_MAX], tg[MONEY_FORMAT_MAX];
			snprintf(rk, sizeof rk, "%d", c->rank);
			snprintf(tot, sizeof tot, "%lld", (long long)c->total);
			money_format(c->revenue_fen, rev, sizeof rev);
			money_format(c->revenue_target_fen, tg, sizeof tg);
			const char *row[] = {rk, c->staff_id, c->name, tot, rev, tg};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	} else
		for (size_t i = 0; i < r->n_cards; i++)
			print_card(r->cards[i]);
	wire_free(&r->base);
	return 0;
}

static int sc_comment_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"period", required_argument, NULL, 'p'},
	    {"text", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ScorecardCommentRequest q = AEDESK__SCORECARD_COMMENT_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "p:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': q.period = optarg; break;
		case 't': q.text = optarg; break;
		case 'h': printf("%s\n", cli_t(SC_USAGE_ZH, SC_USAGE_EN)); return 0;
		default: return cli_usage_error("scorecard comment", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (argc - optind != 1 || !q.period[0] || !q.text[0])
		return cli_usage_error("scorecard comment", "%s",
		    cli_t("须给出员工、--period 和 --text", "a staff id, --period and --text are required"));
	q.staff_id = argv[optind];
	Aedesk__RatingReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__rating_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s %s %s\n", cli_t("已记录评语：", "comment recorded:"), r->rating->staff_id, r->rating->period);
	wire_free(&r->base);
	return 0;
}

static int sc_clients_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"recommend", no_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__ScoreClientsRequest q = AEDESK__SCORE_CLIENTS_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "rh", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': q.recommend = 1; break;
		case 'h': printf("%s\n", cli_t(SC_USAGE_ZH, SC_USAGE_EN)); return 0;
		default: return cli_usage_error("scorecard clients", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("scorecard clients", "%s", cli_t("最多一个客户编号", "at most one client id"));
	if (argc - optind == 1)
		q.client_id = argv[optind];
	Aedesk__ScoreClientsReply *r;
	int rc = cli_call("scorer", &q.base, &aedesk__score_clients_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		for (size_t i = 0; i < r->n_clients; i++) {
			const Aedesk__ScoreClientCard *c = r->clients[i];
			printf("%s %s  %s %lld/1000  %s %s → %s\n", c->client_id, c->name, cli_t("得分", "score"),
			    (long long)c->score, cli_t("分类", "class"), c->class_, c->recommended);
			print_inputs(c->inputs, c->n_inputs);
			for (size_t j = 0; j < c->n_reasons; j++)
				printf("  - %s\n", c->reasons[j]);
		}
	wire_free(&r->base);
	return 0;
}

static int cmd_scorecard(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "comment") == 0)
		return sc_comment_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "clients") == 0)
		return sc_clients_cmd(argc - 1, argv + 1);
	if (argc < 2) {
		fprintf(stderr, "%s\n", cli_t(SC_USAGE_ZH, SC_USAGE_EN));
		return EXIT_USAGE;
	}
	return sc_show(argc, argv);
}
