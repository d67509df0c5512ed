/*
 * NAME
 *	cmd_client_recs.c - the scorer's class recommendations at the registry (R-CLASS-1)
 *
 * SYNOPSIS
 *	aedesk client recommendations [--pending] [--client ID]
 *	aedesk client approve REC-ID
 *	aedesk client reject REC-ID --why TEXT
 *
 * DESCRIPTION
 *	With registry.class_recommendations = approve (the default) the scorer's
 *	recommendations wait for an AM of the client's team, an AD or admin. Approving
 *	applies the class (history: the approver, the scorer's reasons); rejecting keeps it
 *	and records why. Dispatched from cmd_client.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

int client_recs_cmd(int argc, char **argv);
int client_approve_cmd(int argc, char **argv);
int client_reject_cmd(int argc, char **argv);

static const char *state_name(const char *s)
{
	static const char *const m[][3] = {{"pending", "待批", "pending"}, {"applied", "已自动调整", "applied"},
	    {"approved", "已批准", "approved"}, {"rejected", "已驳回", "rejected"},
	    {"superseded", "已被新建议取代", "superseded"}, {"stale", "已过时", "stale"}};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (strcmp(s, m[i][0]) == 0)
			return cli_t(m[i][1], m[i][2]);
	return s;
}

static void print_recs(const Aedesk__ClassRecommendation *const *recs, size_t n)
{
	const char *h[] = {cli_t("编号", "ID"), cli_t("客户", "CLIENT"), cli_t("建议", "CHANGE"), cli_t("得分", "SCORE"),
	    cli_t("状态", "STATE"), cli_t("处理人", "BY"), cli_t("时间", "WHEN"), cli_t("理由", "REASONS")};
	text_table *t = text_table_new(8, h);
	for (size_t i = 0; t && i < n; i++) {
		const Aedesk__ClassRecommendation *c = recs[i];
		char change[32], score[16], when[32], reasons[2048] = "";
		snprintf(change, sizeof change, "%s → %s", c->from, c->to);
		snprintf(score, sizeof score, "%lld", (long long)c->score);
		cli_format_time(c->decided_ms ? c->decided_ms : c->at_ms, when, sizeof when);
		for (size_t j = 0, u = 0; j < c->n_reasons && u < sizeof reasons; j++)
			u += (size_t)snprintf(reasons + u, sizeof reasons - u, "%s%s", j ? "; " : "", c->reasons[j]);
		if (c->why[0]) {
			size_t u = strlen(reasons);
			snprintf(reasons + u, sizeof reasons - u, "%s%s%s", u ? " | " : "", cli_t("驳回原因：", "rejected: "), c->why);
		}
		const char *row[] = {c->id, c->client_id, change, score, state_name(c->state), c->decided_by, when, reasons};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

int client_recs_cmd(int argc, char **argv)
{
	static const struct option opts[] = {{"pending", no_argument, NULL, 'p'}, {"client", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk client recommendations [--pending] [--client 客户编号]\n"
				  "评分服务的客户分类建议（R-CLASS-1）；--pending 只列待批的。",
	    "usage: aedesk client recommendations [--pending] [--client ID]\n"
	    "The scorer's class recommendations (R-CLASS-1); --pending: only those waiting for approval.");
	Aedesk__RecommendationListRequest q = AEDESK__RECOMMENDATION_LIST_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "pc:h", opts, NULL)) != -1) {
		if (ch == 'p')
			q.pending = 1;
		else if (ch == 'c')
			q.client_id = optarg;
		else if (ch == 'h') {
			printf("%s\n", usage);
			return 0;
		} else
			return cli_usage_error("client recommendations", "%s", usage);
	}
	if (optind != argc)
		return cli_usage_error("client recommendations", "%s", usage);
	Aedesk__RecommendationListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__recommendation_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (r->n_recommendations == 0)
		printf("%s\n", q.pending ? cli_t("没有待批的分类建议", "no class recommendation is waiting")
					 : cli_t("没有分类建议", "no class recommendations"));
	else
		print_recs((const Aedesk__ClassRecommendation *const *)r->recommendations, r->n_recommendations);
	wire_free(&r->base);
	return 0;
}

static int decide(int argc, char **argv, int approve)
{
	static const struct option opts[] = {{"why", required_argument, NULL, 'w'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *cmd = approve ? "client approve" : "client reject";
	const char *usage = approve ? cli_t("用法：aedesk client approve 建议编号\n批准评分服务的分类建议（该客户所属团队的 AM、客户总监或管理员）。",
					  "usage: aedesk client approve REC-ID\nApprove the scorer's class recommendation (an AM of the client's team, an AD or admin).")
				    : cli_t("用法：aedesk client reject 建议编号 --why 原因\n驳回评分服务的分类建议，原因记入客户历史。",
					  "usage: aedesk client reject REC-ID --why TEXT\nReject the scorer's class recommendation; the reason goes into the client's history.");
	Aedesk__RecommendationDecideRequest q = AEDESK__RECOMMENDATION_DECIDE_REQUEST__INIT;
	q.approve = approve;
	int ch;
	while ((ch = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		if (ch == 'w' && !approve)
			q.why = optarg;
		else if (ch == 'h') {
			printf("%s\n", usage);
			return 0;
		} else
			return cli_usage_error(cmd, "%s", usage);
	}
	if (argc - optind != 1)
		return cli_usage_error(cmd, "%s", usage);
	if (!approve && !q.why[0])
		return cli_usage_error(cmd, "%s", cli_t("必须给出 --why（驳回原因）", "--why is required"));
	q.id = argv[optind];
	Aedesk__RecommendationReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__recommendation_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (r->recommendation) {
		const Aedesk__ClassRecommendation *one = r->recommendation;
		print_recs(&one, 1);
		if (r->client)
			printf(cli_t("客户 %s 现为 %s 类\n", "client %s is class %s now\n"), r->client->id, r->client->class_);
	}
	wire_free(&r->base);
	return 0;
}

int client_approve_cmd(int argc, char **argv) { return decide(argc, argv, 1); }
int client_reject_cmd(int argc, char **argv) { return decide(argc, argv, 0); }
