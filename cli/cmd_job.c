/*
 * NAME
 *	cmd_job.c - the job commands (工作单)
 *
 * SYNOPSIS
 *	aedesk job open CLIENT --title T --kind KIND --due DATE --brief FILE
 *	    [--override-lead REASON] [--override-credit REASON]
 *	aedesk job show ID|NUMBER
 *	aedesk job list [--client C] [--stage S] [--late] [--mine]
 *	aedesk job sign ID [--as ROLE] [--client NAME]
 *	aedesk job advance ID [--to STAGE] [--due DATE]
 *	aedesk job revise ID --note TEXT
 *	aedesk job close ID
 *	aedesk job rights ID [--image cleared|n/a] [--model cleared|n/a] [--music cleared|n/a]
 *
 * DESCRIPTION
 *	The brief FILE is JSON (one object of strings) or Markdown whose headings name
 *	the brief's fields, in English or Chinese (## Background / ## 背景 ...); the text
 *	under a heading is the field. A level-1 heading that names no field is taken as
 *	the document's title. Unknown keys or headings are refused, so a typo does not
 *	silently drop a field; the service says which fields are missing (R-JOB-1).
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_job.h"
#include "money.h"
#include "text.h"
#include "validate.h"
#include "wire.h"

CLI_COMMAND("job", cmd_job, 20, "工作单：open | show | list | sign | advance | revise | close | rights",
    "jobs: open | show | list | sign | advance | revise | close | rights")

/* ---- helpers shared with cmd_estimate.c, cmd_invoice.c, cmd_strategy.c ---- */

int jobcli_date(const char *s, int64_t *ms)
{
	int y, m, d, h = 23, mi = 59;
	int end_of_day = validate_date(s, &y, &m, &d, NULL) == 0;
	if (!end_of_day && validate_datetime(s, &y, &m, &d, &h, &mi, NULL) != 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
	    .tm_sec = end_of_day ? 59 : 0, .tm_isdst = -1};
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (int64_t)t * 1000 + (end_of_day ? 999 : 0);
	return 0;
}

int jobcli_money(const char *s, int64_t *fen) { return money_parse(s, fen) == 0 ? 0 : -1; }

char *jobcli_read_file(const char *cmd, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_usage_error(cmd, "%s %s", cli_t("读不了文件", "cannot read"), path);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (n + 1 == cap) {
			char *b = cap < (1u << 20) ? realloc(buf, cap * 2) : NULL;
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf || !text_utf8_valid(buf, n)) {
		free(buf);
		cli_usage_error(cmd, "%s %s", path, cli_t("过大或不是 UTF-8 文本", "is too large or not UTF-8 text"));
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

static const struct {
	Aedesk__JobStage st;
	const char *name, *zh;
} stage_names[] = {
	{AEDESK__JOB_STAGE__JOB_STAGE_FORECAST, "forecast", "预报"},
	{AEDESK__JOB_STAGE__JOB_STAGE_BRIEF, "brief", "简报"},
	{AEDESK__JOB_STAGE__JOB_STAGE_SKETCH, "sketch", "草图"},
	{AEDESK__JOB_STAGE__JOB_STAGE_ESTIMATE, "estimate", "估价单"},
	{AEDESK__JOB_STAGE__JOB_STAGE_FINAL_ART, "final_art", "完稿"},
	{AEDESK__JOB_STAGE__JOB_STAGE_EXECUTION, "execution", "创意执行"},
	{AEDESK__JOB_STAGE__JOB_STAGE_PRODUCTION, "production", "制作"},
	{AEDESK__JOB_STAGE__JOB_STAGE_CLOSED, "closed", "结束"},
};

const char *jobcli_stage_label(Aedesk__JobStage st)
{
	for (size_t i = 0; i < sizeof stage_names / sizeof stage_names[0]; i++)
		if (stage_names[i].st == st)
			return cli_t(stage_names[i].zh, stage_names[i].name);
	return "-";
}

Aedesk__JobStage jobcli_stage_parse(const char *s)
{
	for (size_t i = 0; i < sizeof stage_names / sizeof stage_names[0]; i++)
		if (strcmp(stage_names[i].name, s) == 0 || strcmp(stage_names[i].zh, s) == 0)
			return stage_names[i].st;
	return AEDESK__JOB_STAGE__JOB_STAGE_NONE;
}

int jobcli_dispatch(int argc, char **argv, const struct jobcli_sub *sub, size_t n, const char *usage_zh,
    const char *usage_en)
{
	if (argc >= 2)
		for (size_t i = 0; i < n; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n", cli_t(usage_zh, usage_en));
	return f == stdout ? 0 : EXIT_USAGE;
}

/* ---- the brief file ---- */

static const struct {
	const char *key, *zh, *zh2;
	size_t off;
} brief_keys[] = {
#define BK(f, zh, zh2) {#f, zh, zh2, offsetof(Aedesk__JobBrief, f)}
	BK(background, "背景", "背景"), BK(objective, "目标", "目的"), BK(audience, "目标受众", "受众"),
	BK(insight, "洞察", "消费者洞察"), BK(proposition, "主张", "核心主张"), BK(support, "支持点", "支持"),
	BK(tone, "调性", "语气"), BK(mandatories, "必备要素", "必须包含"), BK(deliverables, "交付物", "交付"),
	BK(budget, "预算", "预算"), BK(timing, "时间", "时间安排"), BK(brand, "品牌", "品牌"),
#undef BK
};

static char **brief_field(Aedesk__JobBrief *b, const char *name)
{
	for (size_t i = 0; i < sizeof brief_keys / sizeof brief_keys[0]; i++)
		if (strcasecmp(name, brief_keys[i].key) == 0 || strcmp(name, brief_keys[i].zh) == 0 ||
		    strcmp(name, brief_keys[i].zh2) == 0 ||
		    (strcasecmp(name, "target audience") == 0 && strcmp(brief_keys[i].key, "audience") == 0))
			return (char **)((char *)b + brief_keys[i].off);
	return NULL;
}

char *jobcli_trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

char *jobcli_json_string(char **p)
{
	char *s = *p, *o = s, *start = s;
	while (*s && *s != '"') {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': *o++ = *s++; break;
		case 'n': *o++ = '\n'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case 'b': case 'f': *o++ = ' '; s++; break;
		case 'u': {
			unsigned cp = 0;
			for (int i = 1; i <= 4; i++) {
				if (!isxdigit((unsigned char)s[i]))
					return NULL;
				cp = cp * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
			}
			s += 5;
			if (cp >= 0xD800 && cp < 0xDC00 && s[0] == '\\' && s[1] == 'u') {
				unsigned lo = 0;
				for (int i = 2; i <= 5; i++) {
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
					lo = lo * 16 + (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10));
				}
				if (lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			} else if (cp >= 0xD800 && cp <= 0xDFFF)
				return NULL;
			if (cp == 0)
				return NULL;
			if (cp < 0x80)
				*o++ = (char)cp;
			else if (cp < 0x800) {
				*o++ = (char)(0xC0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xE0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*o++ = (char)(0xF0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*o++ = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			return NULL;
		}
	}
	if (*s != '"')
		return NULL;
	*o = 0;
	*p = s + 1;
	return start;
}

/* The fields of a document: a lookup from a key or heading to the char * it fills. */
typedef char **(*doc_field_fn)(void *ctx, const char *name);

/* doc_parse: a JSON object of strings, or Markdown whose headings name the fields (text
 * before the first heading is ignored; an unknown level-1 heading is the title). The
 * fields point into text. 0; -1 not valid JSON; -2 an unknown key or heading (printed). */
static int doc_parse(const char *cmd, char *text, doc_field_fn lookup, void *ctx)
{
	char *p = jobcli_trim(text);
	if (*p == '{') {
		p++;
		for (;;) {
			while (isspace((unsigned char)*p))
				p++;
			if (*p == '}')
				return *jobcli_trim(p + 1) ? -1 : 0;
			char *key, *val, **field;
			if (*p++ != '"' || !(key = jobcli_json_string(&p)))
				return -1;
			while (isspace((unsigned char)*p))
				p++;
			if (*p++ != ':')
				return -1;
			while (isspace((unsigned char)*p))
				p++;
			if (*p++ != '"' || !(val = jobcli_json_string(&p)))
				return -1;
			if (!(field = lookup(ctx, key))) {
				fprintf(stderr, "aedesk %s: %s \"%s\"\n", cmd, cli_t("未知字段", "unknown field"), key);
				return -2;
			}
			*field = val;
			while (isspace((unsigned char)*p))
				p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return -1;
		}
	}
	char **field = NULL, *body = NULL;
	for (char *line = p, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			next++;
		if (line[0] != '#')
			continue;
		int level = 0;
		while (line[level] == '#')
			level++;
		char name[256];
		size_t len = (size_t)((next ? next - 1 : line + strlen(line)) - (line + level));
		snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), line + level);
		line[0] = 0; /* ends the previous field's body */
		if (field)
			*field = jobcli_trim(body);
		char *nm = jobcli_trim(name), **f = lookup(ctx, nm);
		if (!f && level > 1) {
			fprintf(stderr, "aedesk %s: %s \"%s\"\n", cmd, cli_t("未知标题", "unknown heading"), nm);
			return -2;
		}
		field = f;
		body = next ? next : line;
	}
	if (field)
		*field = jobcli_trim(body);
	return 0;
}

static char **brief_lookup(void *b, const char *name)
{
	return brief_field(b, name);
}

/* ---- documents of named sections (feedback reports; the brief has its own above) ---- */

static char **section_field(const struct jobcli_section *keys, size_t n, void *rec, const char *name)
{
	/* "一、广告发布清单", "1. Placements": the numbering is not part of the name. */
	static const char *const nums[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (strncmp(name, nums[i], strlen(nums[i])) == 0) {
			name += strlen(nums[i]);
			break;
		}
	while (isdigit((unsigned char)*name))
		name++;
	for (;;) {
		if (*name == '.' || *name == ' ' || *name == ')')
			name++;
		else if (strncmp(name, "、", strlen("、")) == 0 || strncmp(name, "．", strlen("．")) == 0)
			name += 3;
		else
			break;
	}
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(name, keys[i].key) == 0 || strcmp(name, keys[i].zh) == 0 ||
		    (keys[i].zh2 && strcmp(name, keys[i].zh2) == 0))
			return (char **)((char *)rec + keys[i].off);
	return NULL;
}

struct section_ctx {
	const struct jobcli_section *keys;
	size_t n;
	void *rec;
};

static char **section_lookup(void *ctx, const char *name)
{
	struct section_ctx *c = ctx;
	return section_field(c->keys, c->n, c->rec, name);
}

int jobcli_sections(const char *cmd, char *text, const struct jobcli_section *keys, size_t n, void *rec)
{
	struct section_ctx c = {keys, n, rec};
	return doc_parse(cmd, text, section_lookup, &c);
}

/* ---- commands ---- */

static void print_kv(const char *const (*rows)[2], size_t n)
{
	text_table *t = text_table_new(2, (const char *[]){cli_t("项目", "FIELD"), cli_t("内容", "VALUE")});
	for (size_t i = 0; t && i < n; i++)
		text_table_add(t, rows[i]);
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static void print_job(const Aedesk__JobReply *r)
{
	const Aedesk__Job *j = r->job;
	char due[32], missing[128] = "", money[3][MONEY_FORMAT_MAX], rights[256];
	cli_format_time(j->due_ms, due, sizeof due);
	const Aedesk__JobRights *g = j->rights;
	const Aedesk__JobRightsItem *ri[3] = {g ? g->image : NULL, g ? g->model : NULL, g ? g->music : NULL};
	snprintf(rights, sizeof rights, "%s %s, %s %s, %s %s", cli_t("图片", "image"),
	    ri[0] && ri[0]->state[0] ? ri[0]->state : "?", cli_t("模特", "model"), ri[1] && ri[1]->state[0] ? ri[1]->state : "?",
	    cli_t("音乐", "music"), ri[2] && ri[2]->state[0] ? ri[2]->state : "?");
	for (size_t i = 0, o = 0; i < r->n_missing && o < sizeof missing; i++)
		o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", i ? ", " : "", r->missing[i]);
	const char *const rows[][2] = {{cli_t("编号", "id"), j->id}, {cli_t("工作单号", "number"), j->number[0] ? j->number : "-"},
	    {cli_t("客户", "client"), j->client_id}, {cli_t("客户名称", "client name"), j->client_name},
	    {cli_t("标题", "title"), j->title}, {cli_t("类型", "kind"), j->kind}, {"AE", j->owner},
	    {cli_t("阶段", "stage"), jobcli_stage_label(j->stage)}, {cli_t("待签", "to sign"), missing[0] ? missing : "-"},
	    {cli_t("截止", "due"), due},
	    {cli_t("R-JOB-3 例外", "R-JOB-3 override"), j->lead_override_by[0] ? j->lead_override_reason : "-"},
	    {cli_t("R-JOB-8 例外", "R-JOB-8 override"), j->credit_override_by[0] ? j->credit_override_reason : "-"},
	    {cli_t("R-JOB-9 版权", "R-JOB-9 rights"), rights}};
	print_kv(rows, sizeof rows / sizeof rows[0]);

	printf("\n%s\n", cli_t("阶段与截止日期", "Stages and due dates"));
	text_table *t = text_table_new(4, (const char *[]){cli_t("阶段", "STAGE"), cli_t("截止", "DUE"),
	    cli_t("进入", "ENTERED"), cli_t("离开", "LEFT")});
	for (size_t i = 0; t && i < j->n_stages; i++) {
		char d[32], e[32] = "-", l[32] = "-";
		cli_format_time(j->stages[i]->due_ms, d, sizeof d);
		if (j->stages[i]->entered_ms)
			cli_format_time(j->stages[i]->entered_ms, e, sizeof e);
		if (j->stages[i]->left_ms)
			cli_format_time(j->stages[i]->left_ms, l, sizeof l);
		const char *row[] = {jobcli_stage_label(j->stages[i]->stage), d, e, l};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);

	printf("\n%s\n", cli_t("签字", "Sign-offs"));
	t = text_table_new(5, (const char *[]){cli_t("阶段", "STAGE"), cli_t("角色", "ROLE"), cli_t("签字人", "BY"),
	    cli_t("客户签字人", "CLIENT SIGNER"), cli_t("时间", "WHEN")});
	for (size_t i = 0; t && i < j->n_signoffs; i++) {
		const Aedesk__JobSignoff *s = j->signoffs[i];
		char w[32];
		cli_format_time(s->at_ms, w, sizeof w);
		const char *row[] = {jobcli_stage_label(s->stage), s->role, s->staff_id, s->client_name, w};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);

	if (j->n_revisions) {
		printf("\n%s\n", cli_t("修改卡", "Revision cards"));
		t = text_table_new(5, (const char *[]){"#", cli_t("阶段", "STAGE"), cli_t("内容", "CHANGE"),
		    cli_t("填写人", "BY"), cli_t("时间", "WHEN")});
		for (size_t i = 0; t && i < j->n_revisions; i++) {
			char n[16], w[32];
			snprintf(n, sizeof n, "%u", j->revisions[i]->n);
			cli_format_time(j->revisions[i]->at_ms, w, sizeof w);
			const char *row[] = {n, jobcli_stage_label(j->revisions[i]->stage), j->revisions[i]->note,
			    j->revisions[i]->by, w};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	static const char *const est_state[] = {"-", "draft", "signed", "sent", "confirmed", "declined"};
	static const char *const est_state_zh[] = {"-", "草拟", "已签", "已发客户", "客户已确认", "客户已拒绝"};
	if (r->n_estimates) {
		printf("\n%s\n", cli_t("估价单", "Estimates"));
		t = text_table_new(5, (const char *[]){cli_t("编号", "ID"), cli_t("状态", "STATE"), cli_t("合计", "TOTAL"),
		    cli_t("大写", "IN WORDS"), cli_t("客户签字人", "CLIENT SIGNER")});
		for (size_t i = 0; t && i < r->n_estimates; i++) {
			const Aedesk__Estimate *e = r->estimates[i];
			money_format(e->total_fen, money[0], sizeof money[0]);
			unsigned s = (unsigned)e->state < 6 ? (unsigned)e->state : 0;
			const char *row[] = {e->id, cli_t(est_state_zh[s], est_state[s]), money[0], e->total_upper, e->client_name};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	if (r->n_pos) {
		printf("\n%s\n", cli_t("PO 单", "Purchase orders"));
		t = text_table_new(5, (const char *[]){cli_t("编号", "ID"), cli_t("供应商", "VENDOR"), cli_t("类别", "KIND"),
		    cli_t("金额", "AMOUNT"), cli_t("创意总监确认", "CD CONFIRMED")});
		for (size_t i = 0; t && i < r->n_pos; i++) {
			const Aedesk__PurchaseOrder *p = r->pos[i];
			money_format(p->amount_fen, money[0], sizeof money[0]);
			const char *row[] = {p->id, p->vendor, p->kind, money[0], p->confirmed_by[0] ? p->confirmed_by : "-"};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	if (r->n_invoices) {
		printf("\n%s\n", cli_t("发票", "Invoices"));
		t = text_table_new(4, (const char *[]){cli_t("编号", "ID"), cli_t("金额", "AMOUNT"), cli_t("已收", "PAID"),
		    cli_t("到期", "DUE")});
		for (size_t i = 0; t && i < r->n_invoices; i++) {
			const Aedesk__Invoice *v = r->invoices[i];
			money_format(v->amount_fen, money[1], sizeof money[1]);
			money_format(v->paid_fen, money[2], sizeof money[2]);
			char d[32];
			cli_format_time(v->due_ms, d, sizeof d);
			const char *row[] = {v->id, money[1], money[2], d};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	if (r->n_proofs) {
		printf("\n%s\n", cli_t("打样", "Proofs"));
		t = text_table_new(3, (const char *[]){cli_t("编号", "ID"), cli_t("说明", "NOTE"), cli_t("已签", "SIGNED")});
		for (size_t i = 0; t && i < r->n_proofs; i++) {
			const Aedesk__Proof *p = r->proofs[i];
			char sig[256] = "";
			for (size_t k = 0, o = 0; k < p->n_signoffs && o < sizeof sig; k++)
				o += (size_t)snprintf(sig + o, sizeof sig - o, "%s%s:%s", k ? ", " : "", p->signoffs[k]->role,
				    p->signoffs[k]->client_name[0] ? p->signoffs[k]->client_name : p->signoffs[k]->staff_id);
			const char *row[] = {p->id, p->note, sig[0] ? sig : "-"};
			text_table_add(t, row);
		}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	if (r->n_flights) {
		printf("\n%s\n", cli_t("投放", "Flights"));
		t = text_table_new(5, (const char *[]){cli_t("编号", "ID"), cli_t("媒体", "MEDIA"), cli_t("版面/时段", "SLOT"),
		    cli_t("开始", "FROM"), cli_t("结束", "TO")});
		for (size_t i = 0; t && i < r->n_flights; i++)
			for (size_t k = 0; k < r->flights[i]->n_placements; k++) {
				const Aedesk__FlightPlacement *p = r->flights[i]->placements[k];
				char a[32], b[32];
				cli_format_time(p->start_ms, a, sizeof a);
				cli_format_time(p->end_ms, b, sizeof b);
				a[10] = b[10] = 0;
				const char *row[] = {r->flights[i]->id, p->media, p->slot, a, b};
				text_table_add(t, row);
			}
		if (t)
			text_table_print(t, stdout);
		text_table_free(t);
	}
	printf("\n%s\n", cli_t("历史", "History"));
	t = text_table_new(4, (const char *[]){cli_t("时间", "WHEN"), cli_t("人员", "WHO"), cli_t("事项", "WHAT"),
	    cli_t("详情", "DETAIL")});
	for (size_t i = 0; t && i < j->n_history; i++) {
		char w[32];
		cli_format_time(j->history[i]->at_ms, w, sizeof w);
		const char *row[] = {w, j->history[i]->actor, j->history[i]->what, j->history[i]->detail};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

/* call_job sends a request answered by a JobReply; prints the job (full) or one line. */
static int call_job(const ProtobufCMessage *q, int full)
{
	Aedesk__JobReply *r;
	int rc = cli_call("jobs", q, &aedesk__job_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (full)
		print_job(r);
	else {
		printf("%s %s %s", r->job->id, r->job->number[0] ? r->job->number : "-", jobcli_stage_label(r->job->stage));
		for (size_t i = 0; i < r->n_missing; i++)
			printf("%s%s", i ? "," : " ", r->missing[i]);
		printf("\n");
	}
	wire_free(&r->base);
	return 0;
}

static int job_open(int argc, char **argv)
{
	static const struct option opts[] = {{"title", required_argument, NULL, 't'},
	    {"kind", required_argument, NULL, 'k'}, {"due", required_argument, NULL, 'd'},
	    {"brief", required_argument, NULL, 'b'}, {"override-lead", required_argument, NULL, 'L'},
	    {"override-credit", required_argument, NULL, 'C'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__JobOpenRequest q = AEDESK__JOB_OPEN_REQUEST__INIT;
	const char *due = NULL, *brief = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "t:k:d:b:L:C:h", opts, NULL)) != -1) {
		switch (ch) {
		case 't': q.title = optarg; break;
		case 'k': q.kind = optarg; break;
		case 'd': due = optarg; break;
		case 'b': brief = optarg; break;
		case 'L': q.lead_override_reason = optarg; break;
		case 'C': q.credit_override_reason = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job open 客户编号 --title 标题 --kind 类型 --due 日期 --brief 文件\n"
					    "  [--override-lead 原因] [--override-credit 原因]（仅客户总监）\n"
					    "类型：print tv radio outdoor online pop dm event。简报文件为 JSON 或带标题的 Markdown，\n"
					    "字段：背景 目标 目标受众 洞察 主张 支持点 调性 必备要素 交付物 预算 时间（品牌可选）。",
				    "usage: aedesk job open CLIENT --title T --kind KIND --due DATE --brief FILE\n"
				    "  [--override-lead REASON] [--override-credit REASON] (AD only)\n"
				    "Kinds: print tv radio outdoor online pop dm event. The brief is JSON or Markdown with headings:\n"
				    "background objective audience insight proposition support tone mandatories deliverables budget timing (brand optional)."));
			return 0;
		default: return cli_usage_error("job open", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("job open", "%s", cli_t("请给出一个客户编号", "give one client id"));
	q.client_id = argv[optind];
	if (!q.title[0] || !q.kind[0] || !due || !brief)
		return cli_usage_error("job open", "%s", cli_t("须给出 --title、--kind、--due 和 --brief", "--title, --kind, --due and --brief are required"));
	if (jobcli_date(due, &q.due_ms))
		return cli_usage_error("job open", "%s '%s'", cli_t("日期须为 YYYY-MM-DD：", "a date is YYYY-MM-DD:"), due);
	char *text = jobcli_read_file("job open", brief);
	if (!text)
		return EXIT_USAGE;
	Aedesk__JobBrief b = AEDESK__JOB_BRIEF__INIT;
	char *start = text;
	while (isspace((unsigned char)*start))
		start++;
	int prc = doc_parse("job open", start, brief_lookup, &b);
	int rc;
	if (prc == -1)
		rc = cli_usage_error("job open", "%s %s", brief, cli_t("不是有效的简报 JSON（一个全为字符串的对象）", "is not a valid brief JSON (one object of strings)"));
	else if (prc < 0)
		rc = EXIT_USAGE;
	else {
		q.brief = &b;
		rc = call_job(&q.base, 0);
	}
	free(text);
	return rc;
}

static int job_show(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("job show", "%s", cli_t("请给出一个工作单编号或工作单号", "give one job id or number"));
	Aedesk__JobGetRequest q = AEDESK__JOB_GET_REQUEST__INIT;
	q.id = argv[1];
	return call_job(&q.base, 1);
}

static int job_list(int argc, char **argv)
{
	static const struct option opts[] = {{"client", required_argument, NULL, 'c'},
	    {"stage", required_argument, NULL, 's'}, {"late", no_argument, NULL, 'l'}, {"mine", no_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__JobListRequest q = AEDESK__JOB_LIST_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "c:s:lmh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': q.client_id = optarg; break;
		case 's':
			if (!(q.stage = jobcli_stage_parse(optarg)))
				return cli_usage_error("job list", "%s '%s'", cli_t("未知阶段", "unknown stage"), optarg);
			break;
		case 'l': q.late = 1; break;
		case 'm': q.mine = 1; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job list [--client 客户] [--stage 阶段] [--late] [--mine]\n"
					    "--mine：我负责的，或当前阶段等我签字的", "usage: aedesk job list [--client C] [--stage S] [--late] [--mine]\n"
					    "--mine: jobs I own, or whose stage waits for my sign-off"));
			return 0;
		default: return cli_usage_error("job list", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	Aedesk__JobListReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__job_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	text_table *t = text_table_new(7, (const char *[]){cli_t("编号", "ID"), cli_t("工作单号", "NUMBER"),
	    cli_t("客户", "CLIENT"), cli_t("标题", "TITLE"), "AE", cli_t("阶段", "STAGE"), cli_t("阶段截止", "STAGE DUE")});
	for (size_t i = 0; t && i < r->n_jobs; i++) {
		const Aedesk__Job *j = r->jobs[i];
		char d[32] = "-";
		for (size_t k = 0; k < j->n_stages; k++)
			if (j->stages[k]->stage == j->stage)
				cli_format_time(j->stages[k]->due_ms, d, sizeof d);
		const char *row[] = {j->id, j->number[0] ? j->number : "-", j->client_id, j->title, j->owner,
		    jobcli_stage_label(j->stage), d};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int job_sign(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'},
	    {"client", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__JobSignRequest q = AEDESK__JOB_SIGN_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': q.role = optarg; break;
		case 'c': q.client_name = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job sign 编号 [--as 角色] [--client 客户签字人]\n"
					    "以您的角色签当前阶段；--client 登记客户的签字（由 AE 登记）。",
				    "usage: aedesk job sign ID [--as ROLE] [--client CLIENT-SIGNER]\n"
				    "Signs the current stage in your role; --client records the client's sign-off (by the AE)."));
			return 0;
		default: return cli_usage_error("job sign", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("job sign", "%s", cli_t("请给出一个工作单编号", "give one job id"));
	q.id = argv[optind];
	return call_job(&q.base, 0);
}

static int job_advance(int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, NULL, 't'},
	    {"due", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__JobAdvanceRequest q = AEDESK__JOB_ADVANCE_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "t:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (!(q.to = jobcli_stage_parse(optarg)))
				return cli_usage_error("job advance", "%s '%s'", cli_t("未知阶段", "unknown stage"), optarg);
			break;
		case 'd':
			if (jobcli_date(optarg, &q.due_ms))
				return cli_usage_error("job advance", "%s '%s'", cli_t("日期须为 YYYY-MM-DD：", "a date is YYYY-MM-DD:"), optarg);
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job advance 编号 [--to 阶段] [--due 新阶段截止日期]",
				    "usage: aedesk job advance ID [--to STAGE] [--due DATE-OF-THE-NEW-STAGE]"));
			return 0;
		default: return cli_usage_error("job advance", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("job advance", "%s", cli_t("请给出一个工作单编号", "give one job id"));
	q.id = argv[optind];
	return call_job(&q.base, 0);
}

static int job_revise(int argc, char **argv)
{
	static const struct option opts[] = {{"note", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__JobReviseRequest q = AEDESK__JOB_REVISE_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': q.note = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job revise 编号 --note 客户修改意见（修改卡）",
				    "usage: aedesk job revise ID --note CLIENT-CHANGE (a revision card)"));
			return 0;
		default: return cli_usage_error("job revise", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !q.note[0])
		return cli_usage_error("job revise", "%s", cli_t("请给出工作单编号和 --note", "give a job id and --note"));
	q.id = argv[optind];
	return call_job(&q.base, 0);
}

static int job_close(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("job close", "%s", cli_t("请给出一个工作单编号", "give one job id"));
	Aedesk__JobCloseRequest q = AEDESK__JOB_CLOSE_REQUEST__INIT;
	q.id = argv[1];
	return call_job(&q.base, 0);
}

static int job_rights(int argc, char **argv)
{
	static const struct option opts[] = {{"image", required_argument, NULL, 'i'},
	    {"model", required_argument, NULL, 'm'}, {"music", required_argument, NULL, 'u'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__JobRightsRequest q = AEDESK__JOB_RIGHTS_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "i:m:u:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'i': q.image = optarg; break;
		case 'm': q.model = optarg; break;
		case 'u': q.music = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk job rights 编号 [--image cleared|n/a] [--model cleared|n/a] [--music cleared|n/a]\n"
					    "R-JOB-9：提案给客户前确认图片、模特、音乐版权已清（cleared）或不涉及（n/a）。",
				    "usage: aedesk job rights ID [--image cleared|n/a] [--model cleared|n/a] [--music cleared|n/a]\n"
				    "R-JOB-9: before the proposal goes to the client, confirm image, model and music rights are cleared or n/a."));
			return 0;
		default: return cli_usage_error("job rights", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || (!q.image[0] && !q.model[0] && !q.music[0]))
		return cli_usage_error("job rights", "%s", cli_t("请给出工作单编号和 --image、--model 或 --music",
		    "give a job id and --image, --model or --music"));
	q.id = argv[optind];
	return call_job(&q.base, 0);
}

static int cmd_job(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"open", job_open}, {"show", job_show}, {"list", job_list},
	    {"sign", job_sign}, {"advance", job_advance}, {"revise", job_revise}, {"close", job_close},
	    {"rights", job_rights}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk job open 客户编号 --title 标题 --kind 类型 --due 日期 --brief 文件\n  aedesk job show 编号\n"
	    "  aedesk job list [--client C] [--stage S] [--late] [--mine]\n  aedesk job sign 编号 [--as 角色] [--client 客户签字人]\n"
	    "  aedesk job advance 编号 [--to 阶段] [--due 日期]\n  aedesk job revise 编号 --note 内容\n  aedesk job close 编号\n"
	    "  aedesk job rights 编号 --image cleared|n/a --model cleared|n/a --music cleared|n/a",
	    "usage:\n  aedesk job open CLIENT --title T --kind KIND --due DATE --brief FILE\n  aedesk job show ID\n"
	    "  aedesk job list [--client C] [--stage S] [--late] [--mine]\n  aedesk job sign ID [--as ROLE] [--client NAME]\n"
	    "  aedesk job advance ID [--to STAGE] [--due DATE]\n  aedesk job revise ID --note TEXT\n  aedesk job close ID\n"
	    "  aedesk job rights ID --image cleared|n/a --model cleared|n/a --music cleared|n/a");
}
