/*
 * NAME
 *	cmd_push.c - chat push: the WeCom, DingTalk and Feishu robots notifications go to
 *
 * SYNOPSIS
 *	aedesk push set (--staff ID | --team AM-ID) --kind wecom|dingtalk|feishu --url URL
 *	    [--secret S | --secret-stdin]
 *	aedesk push list [--json]
 *	aedesk push remove ID           (ID: staff:ID or team:AM-ID, as list shows)
 *	aedesk push test ID [--text TEXT]
 *	aedesk push status [--all] [--limit N] [--json]
 *
 * DESCRIPTION
 *	Every notification of a staff member goes to their own robot (staff:ID) and to
 *	their AM's team robot (team:AM-ID), through aedesk-push's outbox: retried until
 *	taken, within the platform's rate limits, held in quiet hours.
 *
 * SECURITY
 *	The URL and the secret are credentials: list and status show them masked. On a
 *	shared machine give the secret with --secret-stdin (ps shows a command line).
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "push.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("push", cmd_push, 41, "聊天推送：企业微信、钉钉、飞书机器人（aedesk push --help）",
    "chat push: WeCom, DingTalk, Feishu robots (aedesk push --help)")

#define PUSH_USAGE_ZH                                                                                   \
	"用法：\n"                                                                                          \
	"  aedesk push set (--staff 员工编号 | --team 客户经理编号) --kind wecom|dingtalk|feishu --url 地址\n"  \
	"      [--secret 密钥 | --secret-stdin]   设置个人或团队的机器人（钉钉、飞书的加签密钥）\n"              \
	"  aedesk push list [--json]                 你可以管理的推送（地址与密钥已打码）\n"                    \
	"  aedesk push remove 编号                   删除（编号如 staff:ae1、team:am1）\n"                      \
	"  aedesk push test 编号 [--text 内容]        发一条测试消息\n"                                          \
	"  aedesk push status [--all] [--limit N]     待发、免打扰暂停、已发、失败的数目与明细\n"               \
	"员工的每条通知发到本人的机器人和其客户经理的团队机器人。系统管理员可设置任何人的；\n"                 \
	"客户经理可设置本团队及其客户主任的；每个人可设置自己的。"
#define PUSH_USAGE_EN                                                                                   \
	"usage:\n"                                                                                          \
	"  aedesk push set (--staff ID | --team AM-ID) --kind wecom|dingtalk|feishu --url URL\n"             \
	"      [--secret S | --secret-stdin]   a staff member's or a team's robot (DingTalk/Feishu signing secret)\n" \
	"  aedesk push list [--json]                 the pushes you may manage (URL and secret masked)\n"    \
	"  aedesk push remove ID                     remove one (ID like staff:ae1, team:am1)\n"             \
	"  aedesk push test ID [--text TEXT]         send a test message\n"                                  \
	"  aedesk push status [--all] [--limit N]    pending, held for quiet hours, sent, failed\n"          \
	"Each notification of a staff member goes to their own robot and to their AM's team robot.\n"      \
	"The admin may set anyone's; an AM their team's and their AEs'; everyone their own."

static const char *kind_name(const char *k)
{
	if (strcmp(k, "wecom") == 0)
		return cli_t("企业微信", "WeCom");
	if (strcmp(k, "dingtalk") == 0)
		return cli_t("钉钉", "DingTalk");
	if (strcmp(k, "feishu") == 0)
		return cli_t("飞书", "Feishu");
	return k;
}

static int push_set(int argc, char **argv)
{
	static const struct option opts[] = {{"staff", required_argument, NULL, 's'},
	    {"team", required_argument, NULL, 't'}, {"kind", required_argument, NULL, 'k'},
	    {"url", required_argument, NULL, 'u'}, {"secret", required_argument, NULL, 'S'},
	    {"secret-stdin", no_argument, NULL, 'I'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__PushSetRequest q = AEDESK__PUSH_SET_REQUEST__INIT;
	char secret[300] = "";
	int ch, from_stdin = 0;
	while ((ch = getopt_long(argc, argv, "s:t:k:u:S:Ih", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
		case 't':
			if (q.target[0])
				return cli_usage_error("push set", "%s", cli_t("--staff 与 --team 只能给一个", "give one of --staff, --team"));
			q.scope = ch == 's' ? "staff" : "team";
			q.target = optarg;
			break;
		case 'k':
			q.kind = optarg;
			break;
		case 'u':
			q.url = optarg;
			break;
		case 'S':
			snprintf(secret, sizeof secret, "%s", optarg);
			break;
		case 'I':
			from_stdin = 1;
			break;
		case 'h':
			printf("%s\n", cli_t(PUSH_USAGE_ZH, PUSH_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("push set", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("push set", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	if (!q.target[0])
		return cli_usage_error("push set", "%s", cli_t("请给出 --staff 员工编号 或 --team 客户经理编号",
		    "give --staff ID or --team AM-ID"));
	if (!q.kind[0] || !q.url[0])
		return cli_usage_error("push set", "%s", cli_t("必须给出 --kind 和 --url", "--kind and --url are required"));
	if (from_stdin && cli_read_password("", 1, secret, sizeof secret) != 0)
		return EXIT_USAGE;
	q.secret = secret;
	Aedesk__PushHookReply *r;
	int rc = cli_call("push", &q.base, &aedesk__push_hook_reply__descriptor, (ProtobufCMessage **)&r);
	sodium_memzero(secret, sizeof secret);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->hook->base);
	else
		printf("%s  %s  %s%s%s\n", r->hook->id, kind_name(r->hook->kind), r->hook->url_masked,
		    r->hook->secret_masked[0] ? cli_t("  密钥 ", "  secret ") : "", r->hook->secret_masked);
	wire_free(&r->base);
	return 0;
}

static int push_list(int argc, char **argv)
{
	if (argc > 1) {
		int help = strcmp(argv[1], "--help") == 0;
		if (help)
			printf("%s\n", cli_t(PUSH_USAGE_ZH, PUSH_USAGE_EN));
		return help ? 0 : cli_usage_error("push list", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[1]);
	}
	Aedesk__PushListRequest q = AEDESK__PUSH_LIST_REQUEST__INIT;
	Aedesk__PushListReply *r;
	int rc = cli_call("push", &q.base, &aedesk__push_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("机器人", "ROBOT"), cli_t("地址", "URL"), cli_t("密钥", "SECRET"),
	    cli_t("待发", "PENDING"), cli_t("已发", "SENT"), cli_t("失败", "FAILED"), cli_t("最近错误", "LAST ERROR")};
	text_table *t = text_table_new(8, h);
	for (size_t i = 0; t && i < r->n_hooks; i++) {
		const Aedesk__PushHookView *v = r->hooks[i];
		char p[24], s[24], f[24];
		snprintf(p, sizeof p, "%llu", (unsigned long long)v->pending);
		snprintf(s, sizeof s, "%llu", (unsigned long long)v->sent);
		snprintf(f, sizeof f, "%llu", (unsigned long long)v->failed);
		const char *row[] = {v->id, kind_name(v->kind), v->url_masked, v->secret_masked[0] ? v->secret_masked : "-",
		    p, s, f, v->last_error[0] ? v->last_error : "-"};
		text_table_add(t, row);
	}
	if (t && r->n_hooks)
		text_table_print(t, stdout);
	else if (t)
		printf("%s\n", cli_t("没有设置推送。", "No pushes set."));
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int push_remove(int argc, char **argv)
{
	int rc;
	if (cli_one_id(argc, argv, "push remove", PUSH_USAGE_ZH, PUSH_USAGE_EN, "请给出一个推送编号（如 staff:ae1）",
		"give one push id (like staff:ae1)", &rc))
		return rc;
	Aedesk__PushRemoveRequest q = AEDESK__PUSH_REMOVE_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__PushRemoveReply *r;
	if ((rc = cli_call("push", &q.base, &aedesk__push_remove_reply__descriptor, (ProtobufCMessage **)&r)))
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s %s\n", r->id, cli_t("已删除", "removed"));
	wire_free(&r->base);
	return 0;
}

static int push_test(int argc, char **argv)
{
	static const struct option opts[] = {{"text", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__PushTestRequest q = AEDESK__PUSH_TEST_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "t:h", opts, NULL)) != -1) {
		if (ch == 't')
			q.text = optarg;
		else if (ch == 'h') {
			printf("%s\n", cli_t(PUSH_USAGE_ZH, PUSH_USAGE_EN));
			return 0;
		} else
			return cli_usage_error("push test", "%s", cli_t("未知选项", "unknown option"));
	}
	if (optind != argc - 1)
		return cli_usage_error("push test", "%s", cli_t("请给出一个推送编号（如 staff:ae1）", "give one push id (like staff:ae1)"));
	q.id = argv[optind];
	Aedesk__PushTestReply *r;
	int rc = cli_call("push", &q.base, &aedesk__push_test_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s #%llu %s\n", r->delivery->hook_id, (unsigned long long)r->delivery->seq,
		    cli_t("测试消息已排队（aedesk push status 查看结果）", "test message queued (see aedesk push status)"));
	wire_free(&r->base);
	return 0;
}

static int push_status(int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {"limit", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__PushStatusRequest q = AEDESK__PUSH_STATUS_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "al:h", opts, NULL)) != -1) {
		if (ch == 'a')
			q.all = 1;
		else if (ch == 'l') {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000)
				return cli_usage_error("push status", "%s", cli_t("--limit 应为 1 到 1000", "--limit must be 1 to 1000"));
			q.limit = (uint32_t)n;
		} else if (ch == 'h') {
			printf("%s\n", cli_t(PUSH_USAGE_ZH, PUSH_USAGE_EN));
			return 0;
		} else
			return cli_usage_error("push status", "%s", cli_t("未知选项", "unknown option"));
	}
	if (optind != argc)
		return cli_usage_error("push status", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__PushStatusReply *r;
	int rc = cli_call("push", &q.base, &aedesk__push_status_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	printf(cli_t("推送 %llu 个；待发 %llu（免打扰暂停 %llu）；已发 %llu；失败 %llu%s\n",
		   "%llu pushes; pending %llu (held for quiet hours %llu); sent %llu; failed %llu%s\n"),
	    (unsigned long long)r->hooks, (unsigned long long)r->pending, (unsigned long long)r->held,
	    (unsigned long long)r->sent, (unsigned long long)r->failed,
	    r->quiet ? cli_t("；现在是免打扰时段", "; quiet hours now") : "");
	const char *h[] = {cli_t("序号", "SEQ"), cli_t("推送", "PUSH"), cli_t("通知", "NOTIFICATION"), cli_t("状态", "STATE"),
	    cli_t("次数", "TRIES"), cli_t("时间", "WHEN"), cli_t("错误", "ERROR"), cli_t("内容", "TEXT")};
	text_table *t = text_table_new(8, h);
	for (size_t i = 0; t && i < r->n_deliveries; i++) {
		const Aedesk__PushDelivery *d = r->deliveries[i];
		char seq[24], tries[16], when[32], state[64];
		snprintf(seq, sizeof seq, "%llu", (unsigned long long)d->seq);
		snprintf(tries, sizeof tries, "%u", d->attempts);
		cli_format_time(d->done_ms ? d->done_ms : d->created_ms, when, sizeof when);
		if (strcmp(d->state, "sent") == 0)
			snprintf(state, sizeof state, "%s", cli_t("已发", "sent"));
		else if (strcmp(d->state, "failed") == 0)
			snprintf(state, sizeof state, "%s", cli_t("失败（已放弃）", "failed (given up)"));
		else
			snprintf(state, sizeof state, "%s%s", cli_t("待发", "pending"),
			    d->held ? cli_t("（免打扰）", " (quiet hours)") : d->urgent ? cli_t("（紧急）", " (urgent)") : "");
		const char *row[] = {seq, d->hook_id, d->notification_id[0] ? d->notification_id : "-", state, tries, when,
		    d->last_error[0] ? d->last_error : "-", d->text};
		text_table_add(t, row);
	}
	if (t && r->n_deliveries)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int cmd_push(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"set", push_set}, {"list", push_list}, {"remove", push_remove}, {"test", push_test},
	    {"status", push_status}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n", cli_t(PUSH_USAGE_ZH, PUSH_USAGE_EN));
	return f == stdout ? 0 : EXIT_USAGE;
}
