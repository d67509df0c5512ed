/*
 * NAME
 *	cmd_audit.c - aedesk audit: who did what and when, across every service
 *
 * SYNOPSIS
 *	aedesk audit [--client ID] [--staff ID] [--since T] [--until T] [--limit N]
 *	             [--page TOKEN] [--json]
 *
 * DESCRIPTION
 *	Asks aedesk-audit (AD and admin only) for the audit trail, newest first: every
 *	change any service recorded, every refused attempt and every login. T is
 *	"YYYY-MM-DD" or "YYYY-MM-DD HH:MM" in the agency's time zone; times are shown
 *	there too. Objects are ids only: the trail keeps no personal field values.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "security.pb-c.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

CLI_COMMAND("audit", cmd_audit, 84, "审计记录：谁在何时做了什么（含被拒绝的操作和登录）",
    "audit trail: who did what and when (refusals and logins too)")

/* Event types in words; others are shown by their type name. */
static const struct {
	const char *type, *zh, *en;
} names[] = {
    {"LoginSucceeded", "登录", "logged in"},
    {"StaffAdded", "新增员工", "staff added"},
    {"StaffPasswordChanged", "修改密码", "password changed"},
    {"StaffDisabled", "停用/启用员工", "staff disabled/enabled"},
    {"TokensRevoked", "令牌作废", "tokens revoked"},
    {"KeyRotated", "轮换令牌密钥", "token key rotated"},
    {"ClientAdded", "新增客户", "client added"},
    {"ClientUpdated", "修改客户", "client changed"},
    {"ProfileUpdated", "修改客户资料", "client profile changed"},
    {"ContactAdded", "新增联系人", "contact added"},
    {"ContactErased", "删除联系人个人信息", "contact erased"},
    {"VisitLogged", "记录拜访", "visit logged"},
    {"ContractAdded", "新增合同", "contract added"},
    {"ProspectAdded", "新增潜在客户", "prospect added"},
    {"ProspectAdvanced", "潜在客户推进", "prospect advanced"},
    {"ProspectWon", "签约潜在客户", "prospect won"},
    {"ProspectLost", "潜在客户流失", "prospect lost"},
    {"RecommendationDecided", "审批分类建议", "class recommendation decided"},
    {"JobOpened", "开立工作单", "job opened"},
    {"JobSigned", "工作单签字", "job signed"},
    {"JobStageEntered", "工作单进入新阶段", "job stage entered"},
    {"JobNumberIssued", "发放工作单号", "job number issued"},
    {"JobRevised", "修改卡", "job revised"},
    {"JobClosed", "结束卡号", "job closed"},
    {"JobRightsSet", "版权确认", "job rights set"},
    {"StrategySet", "策略单", "strategy set"},
    {"EstimateSent", "估价单", "estimate"},
    {"PoIssued", "发出 PO 单", "PO issued"},
    {"PoConfirmed", "确认 PO 单", "PO confirmed"},
    {"ProofAdded", "新增校样", "proof added"},
    {"ProofSigned", "校样签字", "proof signed"},
    {"MeetingScheduled", "安排会议", "meeting scheduled"},
    {"MeetingMoved", "改期会议", "meeting moved"},
    {"MeetingCancelled", "取消会议", "meeting cancelled"},
    {"MinutesFiled", "提交会议纪要", "minutes filed"},
    {"ActionItemAdded", "新增待办", "action item added"},
    {"ActionItemDone", "完成待办", "action item done"},
    {"FlightPlanned", "排期", "flight planned"},
    {"FeedbackFiled", "广告执行反馈书", "feedback filed"},
    {"InvoiceAdded", "开具发票", "invoice added"},
    {"PaymentAdded", "收款", "payment added"},
    {"RatingSet", "评分", "rating set"},
    {"TargetSet", "设定目标", "target set"},
    {"SurveyAdded", "满意度调查", "survey added"},
    {"ClassRecommended", "分类建议", "class recommended"},
    {"AlertRaised", "告警", "alert raised"},
    {"AlertCleared", "告警解除", "alert cleared"},
};

static const char *type_words(const char *type)
{
	const char *t = wire_short_name(type);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].type, t) == 0)
			return cli_t(names[i].zh, names[i].en);
	return t;
}

/* action_words: what the line says the actor did. */
static void action_words(const Aedesk__AuditEntry *en, char *buf, size_t len)
{
	if (!en->refused_action[0]) {
		snprintf(buf, len, "%s", type_words(en->type));
		return;
	}
	static const struct {
		const char *reason, *zh, *en;
	} why[] = {
	    {"permission", "无权限", "no permission"}, {"no token", "未登录", "not logged in"},
	    {"bad token", "令牌无效", "bad token"}, {"expired token", "令牌已过期", "expired token"},
	    {"revoked token", "令牌已作废", "revoked token"}, {"unauthenticated", "未通过认证", "unauthenticated"},
	};
	const char *a = wire_short_name(en->refused_action), *w = en->reason;
	for (size_t i = 0; i < sizeof why / sizeof why[0]; i++)
		if (strcmp(why[i].reason, en->reason) == 0)
			w = cli_t(why[i].zh, why[i].en);
	if (strcmp(a, "LoginRequest") == 0)
		snprintf(buf, len, "%s", cli_t("登录失败", "login failed"));
	else
		snprintf(buf, len, cli_t("被拒绝：%s（%s）", "refused: %s (%s)"), a, w);
}

static int parse_time(const char *s, int end_of_day, int64_t *ms)
{
	int y, m, d, h = end_of_day ? 23 : 0, mi = end_of_day ? 59 : 0;
	int date_only = validate_date(s, &y, &m, &d, NULL) == 0;
	if (!date_only && validate_datetime(s, &y, &m, &d, &h, &mi, NULL) != 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
	    .tm_sec = date_only && end_of_day ? 59 : 0, .tm_isdst = -1};
	time_t t = mktime(&tm); /* TZ is the agency's zone (main.c) */
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 + (date_only && end_of_day ? 999 : 0);
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static const char usage_zh[] =
    "用法：aedesk audit [--client 客户编号] [--staff 员工编号] [--since 时间] [--until 时间]\n"
    "                   [--limit N] [--page 标记] [--json]\n"
    "  列出审计记录（仅客户总监和系统管理员），最新的在前：各服务记录的每一项变更、\n"
    "  每一次被拒绝的操作（未登录、无权限）和每一次登录（成功与失败）。\n"
    "  时间格式 YYYY-MM-DD 或 \"YYYY-MM-DD HH:MM\"（公司所在时区）。记录只含编号，\n"
    "  不含任何个人信息。--limit 默认 50，最多 1000；还有更多时会给出 --page 标记。";
static const char usage_en[] =
    "usage: aedesk audit [--client ID] [--staff ID] [--since T] [--until T]\n"
    "                    [--limit N] [--page TOKEN] [--json]\n"
    "  Lists the audit trail (AD and admin only), newest first: every change any service\n"
    "  recorded, every refused attempt (not logged in, no permission) and every login\n"
    "  (succeeded and failed). T is YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" in the agency's zone.\n"
    "  Entries hold ids only, never personal data. --limit defaults to 50 (at most 1000);\n"
    "  when there is more, a --page token is printed.";

static int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {{"client", required_argument, NULL, 'c'},
	    {"staff", required_argument, NULL, 's'}, {"since", required_argument, NULL, 'f'},
	    {"until", required_argument, NULL, 'u'}, {"limit", required_argument, NULL, 'n'},
	    {"page", required_argument, NULL, 'p'}, {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__AuditListRequest q = AEDESK__AUDIT_LIST_REQUEST__INIT;
	uint8_t page[128];
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			q.client_id = optarg;
			break;
		case 's':
			q.staff_id = optarg;
			break;
		case 'f':
		case 'u':
			if (parse_time(optarg, ch == 'u', ch == 'f' ? &q.since_ms : &q.until_ms) != 0)
				return cli_usage_error("audit", "%s: %s", ch == 'f' ? "--since" : "--until",
				    cli_t("时间格式应为 YYYY-MM-DD 或 \"YYYY-MM-DD HH:MM\"",
					"a time is YYYY-MM-DD or \"YYYY-MM-DD HH:MM\""));
			break;
		case 'n': {
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 1000)
				return cli_usage_error("audit", "%s", cli_t("--limit 须为 1 到 1000", "--limit must be 1 to 1000"));
			q.limit = (uint32_t)v;
			break;
		}
		case 'p': {
			size_t n = strlen(optarg);
			if (n % 2 || n / 2 > sizeof page)
				return cli_usage_error("audit", "%s", cli_t("--page 标记无效", "--page: not a valid token"));
			for (size_t i = 0; i < n / 2; i++) {
				int hi = hexval(optarg[2 * i]), lo = hexval(optarg[2 * i + 1]);
				if (hi < 0 || lo < 0)
					return cli_usage_error("audit", "%s", cli_t("--page 标记无效", "--page: not a valid token"));
				page[i] = (uint8_t)(hi << 4 | lo);
			}
			q.page.data = page;
			q.page.len = n / 2;
			break;
		}
		case 'j':
			cli.json = 1;
			break;
		case 'h':
			printf("%s\n", cli_t(usage_zh, usage_en));
			return 0;
		default:
			fprintf(stderr, "%s\n", cli_t(usage_zh, usage_en));
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("audit", "%s: %s", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__AuditListReply *r = NULL;
	int rc = cli_call("audit", &q.base, &aedesk__audit_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc != 0)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *hz[] = {"时间", "服务", "操作者", "操作", "对象"};
	const char *he[] = {"time", "service", "actor", "action", "objects"};
	text_table *t = text_table_new(5, strcmp(cli.lang, "en") == 0 ? he : hz);
	for (size_t i = 0; t && i < r->n_entries; i++) {
		const Aedesk__AuditEntry *en = r->entries[i];
		char when[64], what[256], objs[512] = "";
		cli_format_time(en->time_ms, when, sizeof when);
		action_words(en, what, sizeof what);
		for (size_t k = 0; k < en->n_object_ids; k++) {
			size_t n = strlen(objs);
			snprintf(objs + n, sizeof objs - n, "%s%s", k ? " " : "", en->object_ids[k]);
		}
		const char *cells[] = {when, en->service, en->actor, what, objs};
		text_table_add(t, cells);
	}
	if (t) {
		text_table_print(t, stdout);
		text_table_free(t);
	}
	if (r->next_page.len) {
		char hex[300];
		for (size_t i = 0; i < r->next_page.len && i < 128; i++)
			snprintf(hex + 2 * i, 3, "%02x", r->next_page.data[i]);
		printf(cli_t("还有更多记录：再加 --page %s\n", "more: add --page %s\n"), hex);
	} else if (r->n_entries == 0)
		printf("%s\n", cli_t("没有符合条件的审计记录", "no audit entries match"));
	wire_free(&r->base);
	return 0;
}
