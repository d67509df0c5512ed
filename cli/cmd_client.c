/*
 * NAME
 *	cmd_client.c - the client commands
 *
 * SYNOPSIS
 *	aedesk client add --name NAME [--class A|B|C|D] [--ae STAFF]
 *	aedesk client show ID
 *	aedesk client list [--class X] [--ae STAFF] [--limit N] [--after ID]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("client", cmd_client, 10, "客户：add | show | list（aedesk client --help）",
    "clients: add | show | list (aedesk client --help)")

static void print_client(const Aedesk__Client *c)
{
	char when[32];
	cli_format_time(c->created_ms, when, sizeof when);
	const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE")};
	text_table *t = text_table_new(2, h);
	const char *rows[][2] = {{cli_t("编号", "id"), c->id}, {cli_t("名称", "name"), c->name},
	    {cli_t("分类", "class"), c->class_}, {"AE", c->ae}, {cli_t("建档时间", "created"), when},
	    {cli_t("建档人", "created by"), c->created_by}};
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
	if (argc != 2 || argv[1][0] == '-') {
		if (argc == 2 && strcmp(argv[1], "--help") == 0) {
			printf("%s\n", cli_t("用法：aedesk client show 客户编号", "usage: aedesk client show ID"));
			return 0;
		}
		return cli_usage_error("client show", "%s", cli_t("请给出一个客户编号", "give one client id"));
	}
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
	    {"ae", required_argument, NULL, 'a'}, {"limit", required_argument, NULL, 'l'},
	    {"after", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "c:a:l:f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			q.class_ = optarg;
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
			printf("%s\n", cli_t("用法：aedesk client list [--class A|B|C|D] [--ae 员工编号] [--limit N] [--after 客户编号]\n"
					    "按编号排序，每页默认 100 条；下一页用 --after 上一页最后的编号。",
				    "usage: aedesk client list [--class A|B|C|D] [--ae STAFF] [--limit N] [--after ID]\n"
				    "Sorted by id, 100 a page by default; the next page with --after the last id shown."));
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
	const char *h[] = {cli_t("编号", "ID"), cli_t("名称", "NAME"), cli_t("分类", "CLASS"), "AE"};
	text_table *t = text_table_new(4, h);
	for (size_t i = 0; t && i < r->n_clients; i++) {
		const char *row[] = {r->clients[i]->id, r->clients[i]->name, r->clients[i]->class_, r->clients[i]->ae};
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

static int cmd_client(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"add", client_add}, {"show", client_show}, {"list", client_list}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n",
	    cli_t("用法：\n  aedesk client add --name 名称 [--class A|B|C|D] [--ae 员工编号]\n  aedesk client show 客户编号\n"
		  "  aedesk client list [--class X] [--ae 员工编号] [--limit N] [--after 客户编号]",
		"usage:\n  aedesk client add --name NAME [--class A|B|C|D] [--ae STAFF]\n  aedesk client show ID\n"
		"  aedesk client list [--class X] [--ae STAFF] [--limit N] [--after ID]"));
	return f == stdout ? 0 : EXIT_USAGE;
}
