/*
 * NAME
 *	cmd_client.c - the client commands
 *
 * SYNOPSIS
 *	aedesk client add --name NAME [--class A|B|C|D] [--ae STAFF]
 *	aedesk client show ID
 *	aedesk client list [--class X] [--ae STAFF] [--name TEXT] [--limit N] [--after ID]
 *	aedesk client class ID A|B|C|D --why TEXT
 *	aedesk client assign ID [--ae STAFF] [--team STAFF,STAFF...]
 *	aedesk client credit ID AMOUNT
 *	aedesk client history ID
 *	aedesk client profile ID [--set SECTION.FIELD=VALUE ...] [--edit] [--file F.json]
 *	aedesk client import FILE.csv [--dry-run]
 *	aedesk client export [--format csv|json]
 *	aedesk client recommendations [--pending] [--client ID]
 *	aedesk client approve REC-ID
 *	aedesk client reject REC-ID --why TEXT
 *
 *	list also takes --code (client id or USCC), --industry and --sort id|name, and
 *	shows each client's profile completeness (R-PROFILE-1). profile is in
 *	cmd_client_profile.c, import and export in cmd_client_csv.c, the scorer's class
 *	recommendations (R-CLASS-1) in cmd_client_recs.c.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "money.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("client", cmd_client, 10,
    "客户：add | show | list | class | assign | credit | history | profile | import | export | recommendations | approve | reject（aedesk client --help）",
    "clients: add | show | list | class | assign | credit | history | profile | import | export | recommendations | approve | reject (aedesk client --help)")

int client_profile_cmd(int argc, char **argv);   /* cmd_client_profile.c */
int client_import_cmd(int argc, char **argv);    /* cmd_client_csv.c */
int client_export_cmd(int argc, char **argv);
int client_recs_cmd(int argc, char **argv);      /* cmd_client_recs.c */
int client_approve_cmd(int argc, char **argv);
int client_reject_cmd(int argc, char **argv);

static void print_client(const Aedesk__Client *c)
{
	char when[32], credit[MONEY_FORMAT_MAX], team[1024] = "", pct[8];
	snprintf(pct, sizeof pct, "%u%%", c->profile_pct);
	cli_format_time(c->created_ms, when, sizeof when);
	money_format(c->credit_limit_fen, credit, sizeof credit);
	for (size_t i = 0, used = 0; i < c->n_team && used < sizeof team; i++)
		used += (size_t)snprintf(team + used, sizeof team - used, "%s%s", i ? "," : "", c->team[i]);
	const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE")};
	text_table *t = text_table_new(2, h);
	const char *rows[][2] = {{cli_t("编号", "id"), c->id}, {cli_t("名称", "name"), c->name},
	    {cli_t("分类", "class"), c->class_}, {"AE", c->ae}, {cli_t("服务团队", "team"), team},
	    {cli_t("信用额度（元）", "credit limit (yuan)"), c->credit_limit_fen ? credit : cli_t("未设", "none")},
	    {cli_t("建档时间", "created"), when}, {cli_t("建档人", "created by"), c->created_by},
	    {cli_t("统一社会信用代码", "USCC"), c->uscc}, {cli_t("行业", "industry"), c->industry},
	    {cli_t("资料完整度", "profile complete"), pct}, {cli_t("来自潜在客户", "from prospect"), c->prospect_id}};
	for (size_t i = 0; t && i < sizeof rows / sizeof rows[0]; i++)
		text_table_add(t, rows[i]);
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static int client_add(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
	    {"class", required_argument, NULL, 'c'}, {"ae", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "n:c:a:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			q.name = optarg;
			break;
		case 'c':
			q.class_ = optarg;
			break;
		case 'a':
			q.ae = optarg;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk client add --name 名称 [--class A|B|C|D] [--ae 员工编号]\n"
					    "分类默认 C；AE 默认是您自己（若您是 AE）。成功后输出新客户编号。",
				    "usage: aedesk client add --name NAME [--class A|B|C|D] [--ae STAFF]\n"
				    "Class defaults to C; the AE to yourself when you are one. Prints the new client's id."));
			return 0;
		default:
			return cli_usage_error("client add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("client add", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	if (!q.name[0])
		return cli_usage_error("client add", "%s", cli_t("必须给出 --name", "--name is required"));
	Aedesk__ClientReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->client->base);
	else
		printf("%s\n", r->client->id);
	wire_free(&r->base);
	return 0;
}

static int client_show(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "client show", "用法：aedesk client show 客户编号", "usage: aedesk client show ID", "请给出一个客户编号", "give one client id", &one_rc))
		return one_rc;
	Aedesk__ClientGetRequest q = AEDESK__CLIENT_GET_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__ClientReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->client->base);
	else
		print_client(r->client);
	wire_free(&r->base);
	return 0;
}

static int client_list(int argc, char **argv)
{
	static const struct option opts[] = {{"class", required_argument, NULL, 'c'},
	    {"ae", required_argument, NULL, 'a'}, {"name", required_argument, NULL, 'n'},
	    {"limit", required_argument, NULL, 'l'},
	    {"after", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
	    {"code", required_argument, NULL, 'C'}, {"industry", required_argument, NULL, 'i'},
	    {"sort", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "c:a:n:l:f:hC:i:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			q.code = optarg;
			break;
		case 'i':
			q.industry = optarg;
			break;
		case 's':
			q.sort = optarg;
			break;
		case 'c':
			q.class_ = optarg;
			break;
		case 'n':
			q.name_contains = optarg;
			break;
		case 'a':
			q.ae = optarg;
			break;
		case 'l':
			q.limit = (uint32_t)strtoul(optarg, &end, 10);
			if (*end || !q.limit || q.limit > 1000)
				return cli_usage_error("client list", "%s", cli_t("--limit 须为 1 到 1000", "--limit must be 1 to 1000"));
			break;
		case 'f':
			q.after = optarg;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk client list [--code 客户编号|统一社会信用代码] [--class A|B|C|D] [--ae 员工编号]\n"
					    "    [--industry 行业] [--name 名称片段] [--sort id|name] [--limit N] [--after 上一页最后一项]\n"
					    "--name 按名称中任意一段文字查找。默认按编号排序（--sort name 按名称的 Unicode 顺序），每页默认 100 条；\n"
					    "下一页用 --after 上一页最后的编号（按名称排序时为名称）。“完整度”为客户资料的完整度（R-PROFILE-1）。",
				    "usage: aedesk client list [--code ID|USCC] [--class A|B|C|D] [--ae STAFF] [--industry TEXT]\n"
				    "    [--name TEXT] [--sort id|name] [--limit N] [--after LAST]\n"
				    "--name finds any part of the name. Sorted by id (--sort name: by name in Unicode order), 100 a page by default;\n"
				    "the next page with --after the last id (the last name when sorted by name). COMPLETE is the profile's completeness (R-PROFILE-1)."));
			return 0;
		default:
			return cli_usage_error("client list", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	Aedesk__ClientListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("名称", "NAME"), cli_t("分类", "CLASS"), "AE", cli_t("行业", "INDUSTRY"),
	    cli_t("完整度", "COMPLETE")};
	text_table *t = text_table_new(6, h);
	for (size_t i = 0; t && i < r->n_clients; i++) {
		char pct[8];
		snprintf(pct, sizeof pct, "%u%%", r->clients[i]->profile_pct);
		const char *row[] = {r->clients[i]->id, r->clients[i]->name, r->clients[i]->class_, r->clients[i]->ae,
		    r->clients[i]->industry, pct};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	if (r->next_after[0])
		fprintf(stderr, cli_t("（还有更多：aedesk client list --after %s）\n", "(more: aedesk client list --after %s)\n"),
		    r->next_after);
	wire_free(&r->base);
	return 0;
}

/* reply_print prints the changed client (or its JSON) after class / assign / credit. */
static int reply_print(int rc, Aedesk__ClientReply *r)
{
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->client->base);
	else
		print_client(r->client);
	wire_free(&r->base);
	return 0;
}

static int client_class(int argc, char **argv)
{
	static const struct option opts[] = {{"why", required_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk client class 客户编号 A|B|C|D --why 原因\n"
				  "AM 及以上可调整；记录谁、何时、为何（R-CLASS-1），见 aedesk client history。",
	    "usage: aedesk client class ID A|B|C|D --why TEXT\n"
	    "AM or above; who, when and why are recorded (R-CLASS-1), see aedesk client history.");
	Aedesk__ClientClassRequest q = AEDESK__CLIENT_CLASS_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		if (ch == 'w')
			q.why = optarg;
		else if (ch == 'h') {
			printf("%s\n", usage);
			return 0;
		} else
			return cli_usage_error("client class", "%s", cli_t("未知选项", "unknown option"));
	}
	if (argc - optind != 2)
		return cli_usage_error("client class", "%s", usage);
	if (!q.why[0])
		return cli_usage_error("client class", "%s", cli_t("必须给出 --why（调整原因）", "--why is required"));
	q.id = argv[optind];
	q.class_ = argv[optind + 1];
	Aedesk__ClientReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r);
	return reply_print(rc, r);
}

static int client_assign(int argc, char **argv)
{
	static const struct option opts[] = {{"ae", required_argument, NULL, 'a'},
	    {"team", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk client assign 客户编号 [--ae 员工编号] [--team 员工编号,员工编号...]\n"
				  "一个客户一位负责 AE（AM、AD 按上下级关系而定）；--team 替换服务团队（--team '' 清空）。",
	    "usage: aedesk client assign ID [--ae STAFF] [--team STAFF,STAFF...]\n"
	    "One responsible AE per client (AM and AD follow from the hierarchy); --team replaces the service team (--team '' empties it).");
	Aedesk__ClientAssignRequest q = AEDESK__CLIENT_ASSIGN_REQUEST__INIT;
	char *team[21];
	char *teamarg = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:t:h", opts, NULL)) != -1) {
		if (ch == 'a')
			q.ae = optarg;
		else if (ch == 't') {
			teamarg = optarg;
			q.set_team = 1;
		} else if (ch == 'h') {
			printf("%s\n", usage);
			return 0;
		} else
			return cli_usage_error("client assign", "%s", cli_t("未知选项", "unknown option"));
	}
	if (argc - optind != 1)
		return cli_usage_error("client assign", "%s", usage);
	for (char *save = NULL, *p = teamarg ? strtok_r(teamarg, ",", &save) : NULL; p; p = strtok_r(NULL, ",", &save)) {
		if (q.n_team == sizeof team / sizeof team[0])
			return cli_usage_error("client assign", "%s", cli_t("服务团队最多 20 人", "at most 20 in a team"));
		team[q.n_team++] = p;
	}
	q.team = team;
	q.id = argv[optind];
	Aedesk__ClientReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r);
	return reply_print(rc, r);
}

static int client_credit(int argc, char **argv)
{
	const char *usage = cli_t("用法：aedesk client credit 客户编号 金额\n金额以元为单位，如 500,000 或 12000.50；AD、财务、系统管理员可设。",
	    "usage: aedesk client credit ID AMOUNT\nThe amount in yuan, e.g. 500,000 or 12000.50; AD, finance or admin.");
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("%s\n", usage);
		return 0;
	}
	if (argc != 3)
		return cli_usage_error("client credit", "%s", usage);
	Aedesk__ClientCreditRequest q = AEDESK__CLIENT_CREDIT_REQUEST__INIT;
	q.id = argv[1];
	if (money_parse(argv[2], &q.credit_limit_fen) != 0)
		return cli_usage_error("client credit", "%s '%s'",
		    cli_t("金额须为数字，可用千位逗号和两位小数，如 500,000.00：", "the amount must be a figure such as 500,000.00:"),
		    argv[2]);
	Aedesk__ClientReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r);
	return reply_print(rc, r);
}

static const char *change_name(const char *c)
{
	if (strcmp(c, "created") == 0)
		return cli_t("建档", "created");
	if (strcmp(c, "class") == 0)
		return cli_t("分类", "class");
	if (strcmp(c, "assign") == 0)
		return cli_t("分配", "assignment");
	if (strcmp(c, "credit") == 0)
		return cli_t("信用额度", "credit limit");
	if (strcmp(c, "class-recommended") == 0)
		return cli_t("分类建议（待批）", "class recommended");
	if (strcmp(c, "class-rejected") == 0)
		return cli_t("分类建议已驳回", "class recommendation rejected");
	return c;
}

static int client_history(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "client history", "用法：aedesk client history 客户编号\n分类、分配和信用额度的每次变更：何时、谁、从、到、原因。",
					    "usage: aedesk client history ID\nEvery class, assignment and credit change: when, who, from, to, why.", "请给出一个客户编号", "give one client id", &one_rc))
		return one_rc;
	Aedesk__ClientHistoryRequest q = AEDESK__CLIENT_HISTORY_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__ClientHistoryReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__client_history_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("时间", "WHEN"), cli_t("操作人", "BY"), cli_t("变更", "CHANGE"),
	    cli_t("原值", "FROM"), cli_t("新值", "TO"), cli_t("原因", "WHY")};
	text_table *t = text_table_new(6, h);
	for (size_t i = 0; t && i < r->n_entries; i++) {
		const Aedesk__ClientHistoryEntry *e = r->entries[i];
		char when[32];
		cli_format_time(e->at_ms, when, sizeof when);
		const char *row[] = {when, e->by, change_name(e->change), e->from, e->to, e->why};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int cmd_client(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"add", client_add}, {"show", client_show}, {"list", client_list}, {"class", client_class},
	    {"assign", client_assign}, {"credit", client_credit}, {"history", client_history},
	    {"profile", client_profile_cmd}, {"import", client_import_cmd}, {"export", client_export_cmd},
	    {"recommendations", client_recs_cmd}, {"approve", client_approve_cmd}, {"reject", client_reject_cmd}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n",
	    cli_t("用法：\n  aedesk client add --name 名称 [--class A|B|C|D] [--ae 员工编号]\n  aedesk client show 客户编号\n"
		  "  aedesk client list [--class X] [--ae 员工编号] [--name 名称片段] [--limit N] [--after 客户编号]\n"
		  "  aedesk client class 客户编号 A|B|C|D --why 原因\n"
		  "  aedesk client assign 客户编号 [--ae 员工编号] [--team 员工编号,...]\n"
		  "  aedesk client credit 客户编号 金额\n  aedesk client history 客户编号\n"
		  "  aedesk client profile 客户编号 [--set 段.字段=值 ...] [--edit] [--file 资料.json]\n"
		  "  aedesk client import 文件.csv [--dry-run]\n  aedesk client export [--format csv|json]\n"
		  "  aedesk client recommendations [--pending] [--client 客户编号]\n"
		  "  aedesk client approve 建议编号\n  aedesk client reject 建议编号 --why 原因",
		"usage:\n  aedesk client add --name NAME [--class A|B|C|D] [--ae STAFF]\n  aedesk client show ID\n"
		"  aedesk client list [--class X] [--ae STAFF] [--name TEXT] [--limit N] [--after ID]\n"
		"  aedesk client class ID A|B|C|D --why TEXT\n  aedesk client assign ID [--ae STAFF] [--team STAFF,...]\n"
		"  aedesk client credit ID AMOUNT\n  aedesk client history ID\n"
		"  aedesk client profile ID [--set SECTION.FIELD=VALUE ...] [--edit] [--file F.json]\n"
		"  aedesk client import FILE.csv [--dry-run]\n  aedesk client export [--format csv|json]\n"
		"  aedesk client recommendations [--pending] [--client ID]\n"
		"  aedesk client approve REC-ID\n  aedesk client reject REC-ID --why TEXT"));
	return f == stdout ? 0 : EXIT_USAGE;
}
