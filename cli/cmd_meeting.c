/*
 * NAME
 *	cmd_meeting.c - client meetings (会议) and their minutes (会议纪要)
 *
 * SYNOPSIS
 *	aedesk meeting add CLIENT --at "YYYY-MM-DD HH:MM" --title T [--minutes N]
 *	    --attendee "姓名|职务|agency/client" ... [--room R] [--equipment E]
 *	    [--agenda TEXT] [--material TEXT ...] [--job JOB]
 *	aedesk meeting move ID --at "YYYY-MM-DD HH:MM" [--minutes N]
 *	aedesk meeting cancel ID [--reason TEXT]
 *	aedesk meeting list [--client C] [--mine] [--from DATE]
 *	aedesk meeting show ID
 *	aedesk meeting minutes ID --file F
 *
 * DESCRIPTION
 *	Times are typed in the agency's zone (config "timezone"). A meeting lasts
 *	--minutes (default 60); the service refuses more than 60, the handbook's rule.
 *	The attendee's side is agency (我方) or client (客户).
 *
 *	The minutes FILE is Markdown or JSON. Markdown: level-2 headings 摘要 / 纪要 /
 *	Summary (free text), 结论 / Conclusions (one "- " item each) and 行动事项 /
 *	下一步行动 / Actions (one "- TEXT | OWNER-STAFF-ID | YYYY-MM-DD" item each).
 *	JSON: {"summary": "...", "conclusions": ["..."],
 *	       "actions": [{"text": "...", "owner": "liwei", "due": "YYYY-MM-DD"}]}.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("meeting", cmd_meeting, 24, "会议：add | move | cancel | list | show | minutes",
    "meetings: add | move | cancel | list | show | minutes")

#define ATTENDEES_MAX 50
#define MATERIALS_MAX 20
#define ITEMS_MAX 50

static void print_meeting(const Aedesk__MeetingReply *r)
{
	const Aedesk__Meeting *m = r->meeting;
	char start[32], end[32], state[64], mins[24];
	cli_format_time(m->start_ms, start, sizeof start);
	cli_format_time(m->end_ms, end, sizeof end);
	snprintf(mins, sizeof mins, "%lld", (long long)((m->end_ms - m->start_ms) / 60000));
	if (m->cancelled_ms)
		snprintf(state, sizeof state, "%s (%s)", cli_t("已取消", "cancelled"), m->cancelled_by);
	else if (m->minutes_ms)
		snprintf(state, sizeof state, "%s (%s)", cli_t("已有纪要", "minutes filed"), m->minutes_by);
	else
		snprintf(state, sizeof state, "%s", cli_t("已安排", "scheduled"));
	text_table *t = text_table_new(2, (const char *[]){cli_t("项目", "FIELD"), cli_t("内容", "VALUE")});
	const char *const rows[][2] = {{cli_t("编号", "id"), m->id}, {cli_t("议题", "title"), m->title},
	    {cli_t("客户", "client"), m->client_id}, {cli_t("客户名称", "client name"), m->client_name},
	    {cli_t("工作单", "job"), m->job_id[0] ? m->job_id : "-"}, {cli_t("组织者", "organiser"), m->organiser},
	    {cli_t("开始", "start"), start}, {cli_t("结束", "end"), end}, {cli_t("分钟", "minutes"), mins},
	    {cli_t("会议室", "room"), m->room[0] ? m->room : "-"},
	    {cli_t("器材", "equipment"), m->equipment[0] ? m->equipment : "-"},
	    {cli_t("议程", "agenda"), m->agenda[0] ? m->agenda : "-"}, {cli_t("状态", "state"), state}};
	for (size_t i = 0; t && i < sizeof rows / sizeof rows[0]; i++)
		text_table_add(t, rows[i]);
	for (size_t i = 0; t && i < m->n_materials; i++) {
		const char *row[] = {cli_t("资料", "material"), m->materials[i]};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	printf("\n%s\n", cli_t("参会人", "Attendees"));
	t = text_table_new(3, (const char *[]){cli_t("姓名", "NAME"), cli_t("职务", "TITLE"), cli_t("方", "SIDE")});
	for (size_t i = 0; t && i < m->n_attendees; i++) {
		const char *side = strcmp(m->attendees[i]->side, "client") == 0 ? cli_t("客户", "client") : cli_t("我方", "agency");
		const char *row[] = {m->attendees[i]->name, m->attendees[i]->title, side};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	if (!m->minutes_ms)
		return;
	printf("\n%s\n", cli_t("会议纪要", "Minutes"));
	if (m->summary[0])
		printf("%s\n", m->summary);
	printf("\n%s\n", cli_t("结论", "Conclusions"));
	for (size_t i = 0; i < m->n_conclusions; i++)
		printf("%zu. %s\n", i + 1, m->conclusions[i]);
	printf("\n%s\n", cli_t("行动事项", "Action items"));
	t = text_table_new(5, (const char *[]){cli_t("编号", "ID"), cli_t("事项", "ACTION"), cli_t("负责人", "OWNER"),
	    cli_t("截止", "DUE"), cli_t("完成", "DONE")});
	for (size_t i = 0; t && i < r->n_actions; i++) {
		const Aedesk__ActionItem *a = r->actions[i];
		char d[32], done[32] = "-";
		cli_format_time(a->due_ms, d, sizeof d);
		d[10] = 0;
		if (a->done_ms)
			cli_format_time(a->done_ms, done, sizeof done);
		const char *row[] = {a->id, a->text, a->owner, d, done};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static int call_meeting(const ProtobufCMessage *q, int full)
{
	Aedesk__MeetingReply *r;
	int rc = cli_call("jobs", q, &aedesk__meeting_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (full)
		print_meeting(r);
	else {
		char start[32];
		cli_format_time(r->meeting->start_ms, start, sizeof start);
		printf("%s %s %s%s\n", r->meeting->id, start, r->meeting->title,
		    r->meeting->cancelled_ms ? cli_t(" （已取消）", " (cancelled)") : "");
	}
	wire_free(&r->base);
	return 0;
}

/* parse_attendee reads "NAME|TITLE|SIDE" into a (pointing into s, which it cuts). */
static int parse_attendee(char *s, Aedesk__MeetingAttendee *a)
{
	char *x = strchr(s, '|'), *y = x ? strchr(x + 1, '|') : NULL;
	if (!x || !y || strchr(y + 1, '|'))
		return -1;
	*x = *y = 0;
	a->name = jobcli_trim(s);
	a->title = jobcli_trim(x + 1);
	char *side = jobcli_trim(y + 1);
	if (strcasecmp(side, "agency") == 0 || strcmp(side, "我方") == 0 || strcmp(side, "公司") == 0)
		a->side = "agency";
	else if (strcasecmp(side, "client") == 0 || strcmp(side, "客户") == 0)
		a->side = "client";
	else
		return -1;
	return 0;
}

static int meeting_add(int argc, char **argv)
{
	static const struct option opts[] = {{"at", required_argument, NULL, 'a'}, {"title", required_argument, NULL, 't'},
	    {"minutes", required_argument, NULL, 'n'}, {"attendee", required_argument, NULL, 'p'},
	    {"room", required_argument, NULL, 'r'}, {"equipment", required_argument, NULL, 'e'},
	    {"agenda", required_argument, NULL, 'g'}, {"material", required_argument, NULL, 'm'},
	    {"job", required_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__MeetingAddRequest q = AEDESK__MEETING_ADD_REQUEST__INIT;
	Aedesk__MeetingAttendee att[ATTENDEES_MAX], *ap[ATTENDEES_MAX];
	char *mat[MATERIALS_MAX];
	const char *at = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:t:n:p:r:e:g:m:j:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': at = optarg; break;
		case 't': q.title = optarg; break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 24 * 60)
				return cli_usage_error("meeting add", "%s '%s'", cli_t("--minutes 须为分钟数：", "--minutes is a number of minutes:"), optarg);
			q.minutes = (uint32_t)v;
			break;
		}
		case 'p':
			if (q.n_attendees == ATTENDEES_MAX)
				return cli_usage_error("meeting add", "%s", cli_t("参会人过多", "too many attendees"));
			aedesk__meeting_attendee__init(&att[q.n_attendees]);
			if (parse_attendee(optarg, &att[q.n_attendees]))
				return cli_usage_error("meeting add", "%s", cli_t("--attendee 须为 \"姓名|职务|agency 或 client\"，如 \"王强|市场总监|client\"",
				    "--attendee is \"NAME|TITLE|agency or client\", e.g. \"Wang Qiang|Marketing Director|client\""));
			ap[q.n_attendees] = &att[q.n_attendees];
			q.n_attendees++;
			break;
		case 'r': q.room = optarg; break;
		case 'e': q.equipment = optarg; break;
		case 'g': q.agenda = optarg; break;
		case 'm':
			if (q.n_materials == MATERIALS_MAX)
				return cli_usage_error("meeting add", "%s", cli_t("资料过多", "too many materials"));
			mat[q.n_materials++] = optarg;
			break;
		case 'j': q.job_id = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk meeting add 客户 --at \"YYYY-MM-DD HH:MM\" --title 议题 [--minutes 分钟（默认 60，至多 60）]\n"
					    "  --attendee \"姓名|职务|agency/client\" ... [--room 会议室] [--equipment 器材] [--agenda 议程]\n"
					    "  [--material 资料 ...（前次会议记录、客户简报、前次提案作品、竞争品牌作品）] [--job 工作单]",
				    "usage: aedesk meeting add CLIENT --at \"YYYY-MM-DD HH:MM\" --title T [--minutes N (default 60, at most 60)]\n"
				    "  --attendee \"NAME|TITLE|agency/client\" ... [--room R] [--equipment E] [--agenda TEXT]\n"
				    "  [--material TEXT ... (last minutes, brief, previous work, competitors' work)] [--job JOB]"));
			return 0;
		default: return cli_usage_error("meeting add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !at || !q.title[0] || !q.n_attendees)
		return cli_usage_error("meeting add", "%s", cli_t("须给出客户、--at、--title 和至少一个 --attendee",
		    "a client, --at, --title and at least one --attendee are required"));
	if (jobcli_date(at, &q.start_ms) || !strchr(at, ':'))
		return cli_usage_error("meeting add", "%s '%s'", cli_t("时间须为 \"YYYY-MM-DD HH:MM\"：", "a time is \"YYYY-MM-DD HH:MM\":"), at);
	q.client_id = argv[optind];
	q.attendees = ap;
	q.materials = mat;
	return call_meeting(&q.base, 0);
}

static int meeting_move(int argc, char **argv)
{
	static const struct option opts[] = {{"at", required_argument, NULL, 'a'}, {"minutes", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__MeetingMoveRequest q = AEDESK__MEETING_MOVE_REQUEST__INIT;
	const char *at = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': at = optarg; break;
		case 'n': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 24 * 60)
				return cli_usage_error("meeting move", "%s '%s'", cli_t("--minutes 须为分钟数：", "--minutes is a number of minutes:"), optarg);
			q.minutes = (uint32_t)v;
			break;
		}
		case 'h':
			printf("%s\n", cli_t("用法：aedesk meeting move 编号 --at \"YYYY-MM-DD HH:MM\" [--minutes 分钟]",
				    "usage: aedesk meeting move ID --at \"YYYY-MM-DD HH:MM\" [--minutes N]"));
			return 0;
		default: return cli_usage_error("meeting move", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !at)
		return cli_usage_error("meeting move", "%s", cli_t("须给出会议编号和 --at", "a meeting id and --at are required"));
	if (jobcli_date(at, &q.start_ms) || !strchr(at, ':'))
		return cli_usage_error("meeting move", "%s '%s'", cli_t("时间须为 \"YYYY-MM-DD HH:MM\"：", "a time is \"YYYY-MM-DD HH:MM\":"), at);
	q.id = argv[optind];
	return call_meeting(&q.base, 0);
}

static int meeting_cancel(int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__MeetingCancelRequest q = AEDESK__MEETING_CANCEL_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'r': q.reason = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk meeting cancel 编号 [--reason 原因]", "usage: aedesk meeting cancel ID [--reason TEXT]"));
			return 0;
		default: return cli_usage_error("meeting cancel", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("meeting cancel", "%s", cli_t("请给出一个会议编号", "give one meeting id"));
	q.id = argv[optind];
	return call_meeting(&q.base, 0);
}

static int meeting_show(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("meeting show", "%s", cli_t("请给出一个会议编号", "give one meeting id"));
	Aedesk__MeetingGetRequest q = AEDESK__MEETING_GET_REQUEST__INIT;
	q.id = argv[1];
	return call_meeting(&q.base, 1);
}

static int meeting_list(int argc, char **argv)
{
	static const struct option opts[] = {{"client", required_argument, NULL, 'c'}, {"mine", no_argument, NULL, 'm'},
	    {"from", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__MeetingListRequest q = AEDESK__MEETING_LIST_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "c:mf:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': q.client_id = optarg; break;
		case 'm': q.mine = 1; break;
		case 'f':
			/* From the start of that day: a bare date means its end elsewhere. */
			if (jobcli_date(optarg, &q.from_ms))
				return cli_usage_error("meeting list", "%s '%s'", cli_t("日期须为 YYYY-MM-DD：", "a date is YYYY-MM-DD:"), optarg);
			if (!strchr(optarg, ':'))
				q.from_ms -= 86400000 - 1;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk meeting list [--client 客户] [--mine（我组织的）] [--from 日期]",
				    "usage: aedesk meeting list [--client C] [--mine (organised by me)] [--from DATE]"));
			return 0;
		default: return cli_usage_error("meeting list", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("meeting list", "%s", cli_t("多余的参数", "unexpected argument"));
	Aedesk__MeetingListReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__meeting_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	text_table *t = text_table_new(7, (const char *[]){cli_t("编号", "ID"), cli_t("开始", "START"), cli_t("分钟", "MIN"),
	    cli_t("客户", "CLIENT"), cli_t("议题", "TITLE"), cli_t("组织者", "ORGANISER"), cli_t("状态", "STATE")});
	for (size_t i = 0; t && i < r->n_meetings; i++) {
		const Aedesk__Meeting *m = r->meetings[i];
		char start[32], mins[24];
		cli_format_time(m->start_ms, start, sizeof start);
		snprintf(mins, sizeof mins, "%lld", (long long)((m->end_ms - m->start_ms) / 60000));
		const char *state = m->cancelled_ms ? cli_t("已取消", "cancelled")
				    : m->minutes_ms ? cli_t("已有纪要", "minutes") : cli_t("已安排", "scheduled");
		const char *row[] = {m->id, start, mins, m->client_id, m->title, m->organiser, state};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

/* ---- the minutes file ---- */

struct minutes {
	Aedesk__MinutesFileRequest *q;
	char *conclusions[ITEMS_MAX];
	Aedesk__MinutesAction actions[ITEMS_MAX], *ap[ITEMS_MAX];
};

/* add_action: "TEXT | OWNER | DATE" pieces into the next action item; a message on error. */
static const char *add_action(struct minutes *mn, char *text, char *owner, const char *due)
{
	Aedesk__MinutesFileRequest *q = mn->q;
	if (q->n_actions == ITEMS_MAX)
		return cli_t("行动事项过多", "too many action items");
	Aedesk__MinutesAction *a = &mn->actions[q->n_actions];
	aedesk__minutes_action__init(a);
	a->text = jobcli_trim(text);
	a->owner = jobcli_trim(owner);
	if (!*a->text || !*a->owner || !due || jobcli_date(due, &a->due_ms))
		return cli_t("行动事项须为“事项 | 负责人员工编号 | YYYY-MM-DD”", "an action item is \"TEXT | OWNER-STAFF-ID | YYYY-MM-DD\"");
	mn->ap[q->n_actions++] = a;
	return NULL;
}

static const char *add_conclusion(struct minutes *mn, char *text)
{
	if (mn->q->n_conclusions == ITEMS_MAX)
		return cli_t("结论过多", "too many conclusions");
	if (*(text = jobcli_trim(text)))
		mn->conclusions[mn->q->n_conclusions++] = text;
	return NULL;
}

static int heading_is(const char *h, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(h, *names) == 0)
			return 1;
	return 0;
}

static const char *minutes_markdown(char *text, struct minutes *mn)
{
	static const char *const summary[] = {"摘要", "纪要", "讨论", "会议纪要", "summary", "notes", "discussion", NULL};
	static const char *const concl[] = {"结论", "会议结论", "conclusions", "conclusion", NULL};
	static const char *const acts[] = {"行动事项", "行动", "下一步行动", "下一步", "action items", "actions", "next steps", NULL};
	enum { NONE, SUMMARY, CONCL, ACTS } sec = NONE;
	char *sum_start = NULL;
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] == '#') {
			int level = 0;
			while (line[level] == '#')
				level++;
			char *h = jobcli_trim(line + level);
			if (heading_is(h, summary))
				sec = SUMMARY, sum_start = next;
			else if (heading_is(h, concl))
				sec = CONCL;
			else if (heading_is(h, acts))
				sec = ACTS;
			else if (level > 1)
				return cli_t("会议纪要中有未知标题（可用：摘要、结论、行动事项）", "unknown heading in the minutes (use Summary, Conclusions, Actions)");
			else
				sec = NONE;
			continue;
		}
		if (sec == SUMMARY) {
			if (next)
				next[-1] = '\n'; /* keep the summary's lines together */
			continue;
		}
		char *s = jobcli_trim(line);
		if (!*s || sec == NONE)
			continue;
		if (*s == '-' || *s == '*')
			s++;
		else if (isdigit((unsigned char)*s)) {
			while (isdigit((unsigned char)*s))
				s++;
			if (*s == '.' || *s == ')')
				s++;
		}
		const char *err;
		if (sec == CONCL && (err = add_conclusion(mn, s)))
			return err;
		if (sec == ACTS) {
			char *x = strchr(s, '|'), *y = x ? strchr(x + 1, '|') : NULL;
			if (!x || !y || strchr(y + 1, '|'))
				return cli_t("行动事项须为“事项 | 负责人员工编号 | YYYY-MM-DD”", "an action item is \"TEXT | OWNER-STAFF-ID | YYYY-MM-DD\"");
			*x = *y = 0;
			if ((err = add_action(mn, s, x + 1, jobcli_trim(y + 1))))
				return err;
		}
	}
	if (sum_start) {
		/* the summary runs to the next heading: cut it there */
		char *end = sum_start;
		while (*end && !(*end == '#' && (end == sum_start || end[-1] == '\n')))
			end++;
		*end = 0;
		mn->q->summary = jobcli_trim(sum_start);
	}
	return NULL;
}

static void skip_ws(char **p)
{
	while (isspace((unsigned char)**p))
		(*p)++;
}

/* json_str: a JSON string value at *p (at its quote); NULL if not one. */
static char *json_str(char **p)
{
	skip_ws(p);
	if (**p != '"')
		return NULL;
	(*p)++;
	return jobcli_json_string(p);
}

/* json_next: after a value: ',' (1), or the closing `close` (0); -1 otherwise. */
static int json_next(char **p, char close)
{
	skip_ws(p);
	if (**p == ',') {
		(*p)++;
		return 1;
	}
	if (**p == close) {
		(*p)++;
		return 0;
	}
	return -1;
}

static const char *minutes_json(char *p, struct minutes *mn)
{
	const char *bad = cli_t("不是有效的会议纪要 JSON", "not a valid minutes JSON");
	skip_ws(&p);
	if (*p++ != '{')
		return bad;
	skip_ws(&p);
	if (*p == '}')
		return NULL;
	for (int more = 1; more;) {
		char *key = json_str(&p);
		skip_ws(&p);
		if (!key || *p++ != ':')
			return bad;
		skip_ws(&p);
		if (strcmp(key, "summary") == 0) {
			if (!(mn->q->summary = json_str(&p)))
				return bad;
		} else if (strcmp(key, "conclusions") == 0 || strcmp(key, "actions") == 0) {
			int acts = key[0] == 'a';
			if (*p++ != '[')
				return bad;
			skip_ws(&p);
			for (int item = *p != ']'; item;) {
				const char *err;
				if (!acts) {
					char *s = json_str(&p);
					if (!s)
						return bad;
					if ((err = add_conclusion(mn, s)))
						return err;
				} else {
					char *text = NULL, *owner = NULL, *due = NULL;
					skip_ws(&p);
					if (*p++ != '{')
						return bad;
					for (int f = 1; f;) {
						char *k = json_str(&p), *v;
						skip_ws(&p);
						if (!k || *p++ != ':' || !(v = json_str(&p)))
							return bad;
						if (strcmp(k, "text") == 0)
							text = v;
						else if (strcmp(k, "owner") == 0)
							owner = v;
						else if (strcmp(k, "due") == 0)
							due = v;
						else
							return cli_t("行动事项的字段为 text、owner、due", "an action's fields are text, owner, due");
						if ((f = json_next(&p, '}')) < 0)
							return bad;
					}
					if (!text || !owner || !due)
						return cli_t("行动事项须有 text、owner 和 due", "an action needs text, owner and due");
					if ((err = add_action(mn, text, owner, due)))
						return err;
				}
				if ((item = json_next(&p, ']')) < 0)
					return bad;
			}
			if (*p == ']')
				p++;
		} else
			return cli_t("会议纪要的字段为 summary、conclusions、actions", "the minutes' fields are summary, conclusions, actions");
		if ((more = json_next(&p, '}')) < 0)
			return bad;
	}
	skip_ws(&p);
	return *p ? bad : NULL;
}

static int meeting_minutes(int argc, char **argv)
{
	static const struct option opts[] = {{"file", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *file = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': file = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk meeting minutes 编号 --file 文件\n"
					    "Markdown：## 摘要（正文）、## 结论（每条“- ”一行）、## 行动事项（“- 事项 | 负责人员工编号 | YYYY-MM-DD”）；\n"
					    "或 JSON：{\"summary\": \"..\", \"conclusions\": [\"..\"], \"actions\": [{\"text\": \"..\", \"owner\": \"liwei\", \"due\": \"YYYY-MM-DD\"}]}",
				    "usage: aedesk meeting minutes ID --file FILE\n"
				    "Markdown: ## Summary (text), ## Conclusions (one \"- \" line each), ## Actions (\"- TEXT | OWNER-STAFF-ID | YYYY-MM-DD\");\n"
				    "or JSON: {\"summary\": \"..\", \"conclusions\": [\"..\"], \"actions\": [{\"text\": \"..\", \"owner\": \"liwei\", \"due\": \"YYYY-MM-DD\"}]}"));
			return 0;
		default: return cli_usage_error("meeting minutes", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !file)
		return cli_usage_error("meeting minutes", "%s", cli_t("须给出会议编号和 --file", "a meeting id and --file are required"));
	char *text = jobcli_read_file("meeting minutes", file);
	if (!text)
		return EXIT_USAGE;
	Aedesk__MinutesFileRequest q = AEDESK__MINUTES_FILE_REQUEST__INIT;
	struct minutes *mn = calloc(1, sizeof *mn);
	int rc;
	if (!mn) {
		free(text);
		return cli_usage_error("meeting minutes", "out of memory");
	}
	mn->q = &q;
	char *start = jobcli_trim(text);
	const char *err = *start == '{' ? minutes_json(start, mn) : minutes_markdown(start, mn);
	if (err)
		rc = cli_usage_error("meeting minutes", "%s: %s", file, err);
	else {
		q.meeting_id = argv[optind];
		q.conclusions = mn->conclusions;
		q.actions = mn->ap;
		rc = call_meeting(&q.base, 1);
	}
	free(mn);
	free(text);
	return rc;
}

static int cmd_meeting(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", meeting_add}, {"move", meeting_move}, {"cancel", meeting_cancel},
	    {"list", meeting_list}, {"show", meeting_show}, {"minutes", meeting_minutes}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk meeting add 客户 --at \"YYYY-MM-DD HH:MM\" --title 议题 [--minutes 分钟] --attendee \"姓名|职务|agency/client\" ...\n"
	    "      [--room 会议室] [--equipment 器材] [--agenda 议程] [--material 资料 ...] [--job 工作单]\n"
	    "  aedesk meeting move 编号 --at \"YYYY-MM-DD HH:MM\" [--minutes 分钟]\n  aedesk meeting cancel 编号 [--reason 原因]\n"
	    "  aedesk meeting list [--client 客户] [--mine] [--from 日期]\n  aedesk meeting show 编号\n"
	    "  aedesk meeting minutes 编号 --file 文件",
	    "usage:\n  aedesk meeting add CLIENT --at \"YYYY-MM-DD HH:MM\" --title T [--minutes N] --attendee \"NAME|TITLE|agency/client\" ...\n"
	    "      [--room R] [--equipment E] [--agenda TEXT] [--material TEXT ...] [--job JOB]\n"
	    "  aedesk meeting move ID --at \"YYYY-MM-DD HH:MM\" [--minutes N]\n  aedesk meeting cancel ID [--reason TEXT]\n"
	    "  aedesk meeting list [--client C] [--mine] [--from DATE]\n  aedesk meeting show ID\n"
	    "  aedesk meeting minutes ID --file FILE");
}
