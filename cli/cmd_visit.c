/*
 * NAME
 *	cmd_visit.c - log and list interactions with clients
 *
 * SYNOPSIS
 *	aedesk visit log CLIENT --kind visit|call|message|gift|meeting --at "YYYY-MM-DD HH:MM"
 *	    [--contact ID ...] --summary TEXT [--next TEXT]
 *	aedesk visit list [CLIENT] [--week YYYY-Www] [--limit N]
 *
 * DESCRIPTION
 *	Times are typed and shown in the agency's time zone (config "timezone"); the
 *	service stores UTC. A week is an ISO week, Monday 00:00 to the next Monday.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

CLI_COMMAND("visit", cmd_visit, 12, "客户往来（拜访、电话、消息、送礼、会议）：log | list（aedesk visit --help）",
    "client interactions (visit, call, message, gift, meeting): log | list (aedesk visit --help)")

#define VISIT_USAGE_ZH                                                                                  \
	"用法：\n  aedesk visit log 客户编号 --kind visit|call|message|gift|meeting --at \"YYYY-MM-DD HH:MM\"\n" \
	"      [--contact 联系人编号 ...] --summary 摘要 [--next 下一步]\n"                                      \
	"  aedesk visit list [客户编号] [--week YYYY-Www] [--limit N]\n"                                     \
	"时间按本公司时区；--week 为 ISO 周（周一至周日），如 2025-W07。"
#define VISIT_USAGE_EN                                                                                  \
	"usage:\n  aedesk visit log CLIENT --kind visit|call|message|gift|meeting --at \"YYYY-MM-DD HH:MM\"\n" \
	"      [--contact ID ...] --summary TEXT [--next TEXT]\n"                                           \
	"  aedesk visit list [CLIENT] [--week YYYY-Www] [--limit N]\n"                                      \
	"Times are in the agency's time zone; --week is an ISO week (Monday to Sunday), e.g. 2025-W07."

static const struct {
	const char *name, *zh;
	Aedesk__VisitKind kind;
} kinds[] = {{"visit", "拜访", AEDESK__VISIT_KIND__VISIT}, {"call", "电话", AEDESK__VISIT_KIND__CALL},
    {"message", "消息", AEDESK__VISIT_KIND__MESSAGE}, {"gift", "送礼", AEDESK__VISIT_KIND__GIFT},
    {"meeting", "会议", AEDESK__VISIT_KIND__MEETING}};

/* local_ms: a local civil time in the agency's zone (TZ is set by main) as UTC ms. */
static long long local_ms(int y, int mo, int d, int h, int mi)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
	return (long long)mktime(&tm) * 1000;
}

static int visit_log(int argc, char **argv)
{
	static const struct option opts[] = {{"kind", required_argument, NULL, 'k'},
	    {"at", required_argument, NULL, 'a'}, {"contact", required_argument, NULL, 'c'},
	    {"summary", required_argument, NULL, 's'}, {"next", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__VisitLogRequest q = AEDESK__VISIT_LOG_REQUEST__INIT;
	char *contacts[20];
	const char *at = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "k:a:c:s:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
				if (strcmp(optarg, kinds[i].name) == 0)
					q.kind = kinds[i].kind;
			if (!q.kind)
				return cli_usage_error("visit log", "%s '%s'",
				    cli_t("--kind 须为 visit、call、message、gift 或 meeting，而不是", "--kind must be visit, call, message, gift or meeting, not"),
				    optarg);
			break;
		case 'a': at = optarg; break;
		case 's': q.summary = optarg; break;
		case 'n': q.next = optarg; break;
		case 'c':
			if (q.n_contact_ids == sizeof contacts / sizeof contacts[0])
				return cli_usage_error("visit log", "%s", cli_t("联系人最多 20 位", "at most 20 contacts"));
			contacts[q.n_contact_ids++] = optarg;
			break;
		case 'h':
			printf("%s\n", cli_t(VISIT_USAGE_ZH, VISIT_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("visit log", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	q.contact_ids = contacts;
	if (argc - optind != 1)
		return cli_usage_error("visit log", "%s", cli_t("请给出一个客户编号", "give one client id"));
	if (!q.kind || !at || !q.summary[0])
		return cli_usage_error("visit log", "%s", cli_t("必须给出 --kind、--at 和 --summary", "--kind, --at and --summary are required"));
	int y, mo, d, h, mi;
	if (validate_datetime(at, &y, &mo, &d, &h, &mi, NULL) != 0)
		return cli_usage_error("visit log", "%s '%s'",
		    cli_t("--at 须为真实的时间 \"YYYY-MM-DD HH:MM\"，而不是", "--at must be a real time \"YYYY-MM-DD HH:MM\", not"), at);
	q.at_ms = local_ms(y, mo, d, h, mi);
	q.client_id = argv[optind];
	Aedesk__VisitReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__visit_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->visit->base);
	else
		printf("%s\n", r->visit->id);
	wire_free(&r->base);
	return 0;
}

/* parse_week: "YYYY-Www" (ISO 8601) to its Monday as y/m/d; -1 if there is no such week. */
static int parse_week(const char *s, int *y, int *m, int *d)
{
	int iy, w, n = -1;
	if (sscanf(s, "%4d-W%2d%n", &iy, &w, &n) != 2 || n != 8 || s[n] || iy < 1900 || iy > 2199 || w < 1)
		return -1;
	int jan4 = civil_to_days(iy, 1, 4);
	int monday = jan4 - civil_weekday(jan4) + (w - 1) * 7, cy, cw;
	civil_iso_week(monday, &cy, &cw);
	if (cy != iy || cw != w)
		return -1;
	days_to_civil(monday, y, m, d);
	return 0;
}

static int visit_list(int argc, char **argv)
{
	static const struct option opts[] = {{"week", required_argument, NULL, 'w'},
	    {"limit", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__VisitListRequest q = AEDESK__VISIT_LIST_REQUEST__INIT;
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "w:l:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': {
			int y, m, d;
			if (parse_week(optarg, &y, &m, &d) != 0)
				return cli_usage_error("visit list", "%s '%s'",
				    cli_t("--week 须为存在的 ISO 周 YYYY-Www（如 2025-W07），而不是", "--week must be an existing ISO week YYYY-Www (e.g. 2025-W07), not"),
				    optarg);
			q.from_ms = local_ms(y, m, d, 0, 0);
			q.to_ms = local_ms(y, m, d + 7, 0, 0);
			break;
		}
		case 'l':
			q.limit = (uint32_t)strtoul(optarg, &end, 10);
			if (*end || !q.limit || q.limit > 1000)
				return cli_usage_error("visit list", "%s", cli_t("--limit 须为 1 到 1000", "--limit must be 1 to 1000"));
			break;
		case 'h':
			printf("%s\n", cli_t(VISIT_USAGE_ZH, VISIT_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("visit list", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("visit list", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind + 1]);
	if (argc - optind == 1)
		q.client_id = argv[optind];
	Aedesk__VisitListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__visit_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("时间", "WHEN"), cli_t("客户", "CLIENT"), cli_t("方式", "KIND"),
	    cli_t("记录人", "BY"), cli_t("联系人", "CONTACTS"), cli_t("摘要", "SUMMARY"), cli_t("下一步", "NEXT")};
	text_table *t = text_table_new(8, h);
	for (size_t i = 0; t && i < r->n_visits; i++) {
		const Aedesk__Visit *v = r->visits[i];
		char when[32], who[512] = "";
		cli_format_time(v->at_ms, when, sizeof when);
		const char *kind = "?";
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
			if (kinds[k].kind == v->kind)
				kind = cli_t(kinds[k].zh, kinds[k].name);
		for (size_t j = 0, used = 0; j < v->n_contact_ids && used < sizeof who; j++) {
			const char *name = v->contact_ids[j];
			for (size_t c = 0; c < r->n_contacts; c++)
				if (strcmp(r->contacts[c]->id, v->contact_ids[j]) == 0)
					name = r->contacts[c]->erased ? cli_t("（已删除）", "(erased)") : r->contacts[c]->name;
			used += (size_t)snprintf(who + used, sizeof who - used, "%s%s", j ? "," : "", name);
		}
		const char *row[] = {v->id, when, v->client_id, kind, v->by, who, v->summary, v->next};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int cmd_visit(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "log") == 0)
		return visit_log(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return visit_list(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n", cli_t(VISIT_USAGE_ZH, VISIT_USAGE_EN));
	return f == stdout ? 0 : EXIT_USAGE;
}
