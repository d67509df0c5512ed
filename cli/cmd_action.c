/*
 * NAME
 *	cmd_action.c - action items (行动事项) from meeting minutes
 *
 * SYNOPSIS
 *	aedesk action list [--mine] [--open] [--client C]
 *	aedesk action done ID
 *
 * DESCRIPTION
 *	Each action item of filed minutes (aedesk meeting minutes) has an owner and a
 *	due date; its owner (or the meeting's organiser) marks it done.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("action", cmd_action, 25, "会议行动事项：list | done", "meeting action items: list | done")

static int action_list(int argc, char **argv)
{
	static const struct option opts[] = {{"mine", no_argument, NULL, 'm'}, {"open", no_argument, NULL, 'o'},
	    {"client", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ActionListRequest q = AEDESK__ACTION_LIST_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "moc:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'm': q.mine = 1; break;
		case 'o': q.open = 1; break;
		case 'c': q.client_id = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk action list [--mine（我负责的）] [--open（未完成的）] [--client 客户]",
				    "usage: aedesk action list [--mine (mine to do)] [--open (not done)] [--client C]"));
			return 0;
		default: return cli_usage_error("action list", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("action list", "%s", cli_t("多余的参数", "unexpected argument"));
	Aedesk__ActionListReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__action_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	text_table *t = text_table_new(7, (const char *[]){cli_t("编号", "ID"), cli_t("截止", "DUE"), cli_t("负责人", "OWNER"),
	    cli_t("事项", "ACTION"), cli_t("客户", "CLIENT"), cli_t("会议", "MEETING"), cli_t("完成", "DONE")});
	for (size_t i = 0; t && i < r->n_actions; i++) {
		const Aedesk__ActionItem *a = r->actions[i];
		char due[32], done[32] = "-";
		cli_format_time(a->due_ms, due, sizeof due);
		due[10] = 0;
		if (a->done_ms)
			cli_format_time(a->done_ms, done, sizeof done);
		const char *row[] = {a->id, due, a->owner, a->text, a->client_id, a->meeting_id, done};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int action_done(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("action done", "%s", cli_t("请给出一个行动事项编号", "give one action item id"));
	Aedesk__ActionDoneRequest q = AEDESK__ACTION_DONE_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__ActionReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__action_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s %s\n", r->action->id, cli_t("已完成", "done"));
	wire_free(&r->base);
	return 0;
}

static int cmd_action(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"list", action_list}, {"done", action_done}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk action list [--mine] [--open] [--client 客户]\n  aedesk action done 编号",
	    "usage:\n  aedesk action list [--mine] [--open] [--client C]\n  aedesk action done ID");
}
