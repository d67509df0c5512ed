/*
 * NAME
 *	cmd_prospect.c - the new-client pipeline (开发新客户)
 *
 * SYNOPSIS
 *	aedesk prospect add --name NAME [--ae STAFF] [--intent unknown|confirmed]
 *	    [--industry TEXT] [--notes TEXT]
 *	aedesk prospect show ID
 *	aedesk prospect advance ID --to info|first-call|needs|proposal [--why TEXT]
 *	aedesk prospect lose ID --why TEXT
 *	aedesk prospect win ID [--class A|B|C|D]
 *	aedesk prospect intent ID unknown|confirmed
 *	aedesk prospect list [--stage S] [--ae STAFF] [--intent confirmed] [--limit N] [--after ID]
 *
 * DESCRIPTION
 *	Stages, one at a time: screened (目标筛选) -> info (资料收集) -> first-call (初次拜访)
 *	-> needs (了解需求/约定面访) -> proposal (提案) -> won (签约, by `win`: the prospect
 *	becomes a client) or lost (失败, by `lose` with the reason). A skipped stage is
 *	refused naming the one missing. A confirmed intent is what R-PROSPECT-1 watches.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("prospect", cmd_prospect, 12, "潜在客户（开发新客户）：add | show | advance | lose | win | intent | list",
    "prospects (new-client pipeline): add | show | advance | lose | win | intent | list")

static const struct {
	const char *arg, *zh, *en;
} stages[] = {{"", "未定", "unset"}, {"screened", "目标筛选", "target screened"}, {"info", "资料收集", "information gathered"},
    {"first-call", "初次拜访", "first call"}, {"needs", "了解需求/约定面访", "needs understood / visit planned"},
    {"proposal", "提案", "proposal"}, {"won", "签约", "contract signed"}, {"lost", "失败", "lost"}};

static const char *stage_text(int s)
{
	if (s < 0 || s > 7)
		s = 0;
	return cli_t(stages[s].zh, stages[s].en);
}

static int stage_parse(const char *s)
{
	for (int i = 1; i < 8; i++)
		if (strcmp(s, stages[i].arg) == 0 || strcmp(s, stages[i].zh) == 0)
			return i;
	return -1;
}

static int intent_parse(const char *s)
{
	if (strcmp(s, "confirmed") == 0 || strcmp(s, "确认") == 0)
		return AEDESK__PROSPECT_INTENT__INTENT_CONFIRMED;
	if (strcmp(s, "unknown") == 0 || strcmp(s, "未确认") == 0)
		return AEDESK__PROSPECT_INTENT__INTENT_UNKNOWN;
	return -1;
}

static const char *intent_text(int i)
{
	return i == AEDESK__PROSPECT_INTENT__INTENT_CONFIRMED ? cli_t("确认有意向", "confirmed") : cli_t("未确认", "unknown");
}

static void print_prospect(const Aedesk__Prospect *p)
{
	const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE")};
	text_table *t = text_table_new(2, h);
	const char *rows[][2] = {{cli_t("编号", "id"), p->id}, {cli_t("名称", "name"), p->name}, {"AE", p->ae},
	    {cli_t("阶段", "stage"), stage_text(p->stage)}, {cli_t("意向", "intent"), intent_text(p->intent)},
	    {cli_t("行业", "industry"), p->industry}, {cli_t("备注", "notes"), p->notes},
	    {cli_t("失败原因", "lost because"), p->lost_reason}, {cli_t("成为客户", "client"), p->client_id}};
	for (size_t i = 0; t && i < sizeof rows / sizeof rows[0]; i++)
		text_table_add(t, rows[i]);
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	const char *hh[] = {cli_t("时间", "WHEN"), cli_t("操作人", "BY"), cli_t("从", "FROM"), cli_t("到", "TO"), cli_t("说明", "WHY")};
	t = text_table_new(5, hh);
	for (size_t i = 0; t && i < p->n_steps; i++) {
		char when[32];
		cli_format_time(p->steps[i]->at_ms, when, sizeof when);
		const char *row[] = {when, p->steps[i]->by, p->steps[i]->from ? stage_text(p->steps[i]->from) : "",
		    stage_text(p->steps[i]->to), p->steps[i]->why};
		text_table_add(t, row);
	}
	if (t) {
		printf("\n");
		text_table_print(t, stdout);
	}
	text_table_free(t);
}

static int show_reply(int rc, Aedesk__ProspectReply *r, int id_only)
{
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (id_only)
		printf("%s\n", r->client ? r->client->id : r->prospect->id);
	else
		print_prospect(r->prospect);
	wire_free(&r->base);
	return 0;
}

/* call_show sends q to the registry, then prints the reply (the call must finish first). */
static int call_show(const ProtobufCMessage *q, int id_only)
{
	Aedesk__ProspectReply *r = NULL;
	int rc = cli_call("registry", q, &aedesk__prospect_reply__descriptor, (ProtobufCMessage **)&r);
	return show_reply(rc, r, id_only);
}

#define USAGE_ZH                                                                                           \
	"用法：\n  aedesk prospect add --name 名称 [--ae 员工编号] [--intent unknown|confirmed] [--industry 行业] [--notes 备注]\n" \
	"  aedesk prospect show 编号\n  aedesk prospect advance 编号 --to info|first-call|needs|proposal [--why 说明]\n"      \
	"  aedesk prospect lose 编号 --why 原因\n  aedesk prospect win 编号 [--class A|B|C|D]\n"                             \
	"  aedesk prospect intent 编号 unknown|confirmed\n"                                                                \
	"  aedesk prospect list [--stage 阶段] [--ae 员工编号] [--intent confirmed] [--limit N] [--after 编号]\n"              \
	"阶段依次为 screened（目标筛选）→ info（资料收集）→ first-call（初次拜访）→ needs（了解需求/约定面访）→ proposal（提案）\n" \
	"→ 签约（win，成为客户）或失败（lose，须说明原因）；不能跳过阶段。"
#define USAGE_EN                                                                                           \
	"usage:\n  aedesk prospect add --name NAME [--ae STAFF] [--intent unknown|confirmed] [--industry TEXT] [--notes TEXT]\n" \
	"  aedesk prospect show ID\n  aedesk prospect advance ID --to info|first-call|needs|proposal [--why TEXT]\n"          \
	"  aedesk prospect lose ID --why TEXT\n  aedesk prospect win ID [--class A|B|C|D]\n"                                 \
	"  aedesk prospect intent ID unknown|confirmed\n"                                                                  \
	"  aedesk prospect list [--stage S] [--ae STAFF] [--intent confirmed] [--limit N] [--after ID]\n"                    \
	"Stages in order: screened -> info -> first-call -> needs -> proposal -> won (win: becomes a client)\n"              \
	"or lost (lose, with the reason); a stage cannot be skipped."

static int cmd_prospect(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		printf("%s\n", cli_t(USAGE_ZH, USAGE_EN));
		return argc < 2 ? EXIT_USAGE : 0;
	}
	const char *sub = argv[1];
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'}, {"ae", required_argument, NULL, 'a'},
	    {"intent", required_argument, NULL, 'i'}, {"industry", required_argument, NULL, 'd'},
	    {"notes", required_argument, NULL, 'o'}, {"to", required_argument, NULL, 't'}, {"why", required_argument, NULL, 'w'},
	    {"class", required_argument, NULL, 'c'}, {"stage", required_argument, NULL, 's'},
	    {"limit", required_argument, NULL, 'l'}, {"after", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *name = "", *ae = "", *industry = "", *notes = "", *why = "", *cls = "", *after = "", *to = NULL,
		   *stage = NULL, *intent = NULL;
	unsigned limit = 0;
	int ch;
	argc--;
	argv++;
	optind = 0; /* a fresh getopt scan of the subcommand's own argv */
	while ((ch = getopt_long(argc, argv, "n:a:i:d:o:t:w:c:s:l:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': name = optarg; break;
		case 'a': ae = optarg; break;
		case 'i': intent = optarg; break;
		case 'd': industry = optarg; break;
		case 'o': notes = optarg; break;
		case 't': to = optarg; break;
		case 'w': why = optarg; break;
		case 'c': cls = optarg; break;
		case 's': stage = optarg; break;
		case 'l': limit = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'f': after = optarg; break;
		case 'h': printf("%s\n", cli_t(USAGE_ZH, USAGE_EN)); return 0;
		default: return cli_usage_error("prospect", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	int in = intent ? intent_parse(intent) : 0;
	if (in < 0)
		return cli_usage_error("prospect", "%s", cli_t("--intent 须为 unknown 或 confirmed", "--intent must be unknown or confirmed"));
	const char *id = optind < argc ? argv[optind] : NULL;
	if (strcmp(sub, "add") == 0) {
		if (!name[0] || id)
			return cli_usage_error("prospect add", "%s", cli_t("须给出 --name", "--name is required"));
		Aedesk__ProspectAddRequest q = AEDESK__PROSPECT_ADD_REQUEST__INIT;
		q.name = (char *)name;
		q.ae = (char *)ae;
		q.intent = in;
		q.industry = (char *)industry;
		q.notes = (char *)notes;
		return call_show(&q.base, 1);
	}
	if (strcmp(sub, "list") == 0) {
		Aedesk__ProspectListRequest q = AEDESK__PROSPECT_LIST_REQUEST__INIT;
		if (stage && (q.stage = stage_parse(stage)) < 0)
			return cli_usage_error("prospect list", "%s", cli_t("--stage 须为 screened、info、first-call、needs、proposal、won 或 lost",
								      "--stage must be screened, info, first-call, needs, proposal, won or lost"));
		q.ae = (char *)ae;
		q.intent = in;
		q.limit = limit;
		q.after = (char *)after;
		Aedesk__ProspectListReply *lr;
		int rc = cli_call("registry", &q.base, &aedesk__prospect_list_reply__descriptor, (ProtobufCMessage **)&lr);
		if (rc)
			return rc;
		if (cli.json) {
			cli_print_json(&lr->base);
			wire_free(&lr->base);
			return 0;
		}
		const char *h[] = {cli_t("编号", "ID"), cli_t("名称", "NAME"), "AE", cli_t("阶段", "STAGE"), cli_t("意向", "INTENT"),
		    cli_t("客户", "CLIENT")};
		text_table *t = text_table_new(6, h);
		for (size_t i = 0; t && i < lr->n_prospects; i++) {
			const Aedesk__Prospect *p = lr->prospects[i];
			const char *row[] = {p->id, p->name, p->ae, stage_text(p->stage), intent_text(p->intent), p->client_id};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
		if (lr->next_after[0])
			fprintf(stderr, cli_t("（还有更多：--after %s）\n", "(more: --after %s)\n"), lr->next_after);
		wire_free(&lr->base);
		return 0;
	}
	if (!id)
		return cli_usage_error("prospect", "%s", cli_t(USAGE_ZH, USAGE_EN));
	if (strcmp(sub, "show") == 0) {
		Aedesk__ProspectGetRequest q = AEDESK__PROSPECT_GET_REQUEST__INIT;
		q.id = (char *)id;
		return call_show(&q.base, 0);
	}
	if (strcmp(sub, "advance") == 0) {
		Aedesk__ProspectAdvanceRequest q = AEDESK__PROSPECT_ADVANCE_REQUEST__INIT;
		int s = to ? stage_parse(to) : -1;
		if (s < 0)
			return cli_usage_error("prospect advance", "%s", cli_t("--to 须为 info、first-call、needs 或 proposal",
									    "--to must be info, first-call, needs or proposal"));
		q.id = (char *)id;
		q.to = s;
		q.why = (char *)why;
		return call_show(&q.base, 0);
	}
	if (strcmp(sub, "lose") == 0) {
		Aedesk__ProspectLoseRequest q = AEDESK__PROSPECT_LOSE_REQUEST__INIT;
		q.id = (char *)id;
		q.why = (char *)why;
		return call_show(&q.base, 0);
	}
	if (strcmp(sub, "win") == 0) {
		Aedesk__ProspectWinRequest q = AEDESK__PROSPECT_WIN_REQUEST__INIT;
		q.id = (char *)id;
		q.class_ = (char *)cls;
		return call_show(&q.base, 1);
	}
	if (strcmp(sub, "intent") == 0) {
		Aedesk__ProspectIntentRequest q = AEDESK__PROSPECT_INTENT_REQUEST__INIT;
		int v = optind + 1 < argc ? intent_parse(argv[optind + 1]) : -1;
		if (v < 0)
			return cli_usage_error("prospect intent", "%s", cli_t("须为 unknown 或 confirmed", "give unknown or confirmed"));
		q.id = (char *)id;
		q.intent = v;
		return call_show(&q.base, 0);
	}
	return cli_usage_error("prospect", "%s", cli_t(USAGE_ZH, USAGE_EN));
}
