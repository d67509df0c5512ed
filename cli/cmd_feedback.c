/*
 * NAME
 *	cmd_feedback.c - the ad execution feedback report (广告执行反馈书)
 *
 * SYNOPSIS
 *	aedesk feedback add JOB --file F
 *	aedesk feedback show JOB
 *
 * DESCRIPTION
 *	F is JSON (one object of strings) or Markdown whose level-2 headings name the six
 *	sections of the handbook's report, in Chinese or English, optionally numbered
 *	("## 一、广告发布清单"):
 *	  placements  广告发布清单
 *	  sales       销售与咨询电话反馈 (销售形势)
 *	  competitors 竞争产品分析
 *	  problems    执行中的问题
 *	  promotion   地面促销
 *	  next_plan   下步计划及建议
 *	All six are required; the service names the missing ones.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "wire.h"

CLI_COMMAND("feedback", cmd_feedback, 28, "广告执行反馈书：add | show", "ad execution feedback reports: add | show")

static const struct jobcli_section sections[] = {
#define S(f, zh, zh2) {#f, zh, zh2, offsetof(Aedesk__FeedbackReport, f)}
	S(placements, "广告发布清单", "发布清单"),
	S(sales, "销售与咨询电话反馈", "销售形势"),
	S(competitors, "竞争产品分析", "竞争产品情况分析"),
	S(problems, "执行中的问题", "广告执行期间出现的问题"),
	S(promotion, "地面促销", "地面促销情况分析"),
	S(next_plan, "下步计划及建议", "下步广告计划及促销建议"),
#undef S
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

static const char *const titles_zh[NSECTIONS] = {"一、广告发布清单", "二、广告发布期间产品销售形势及咨询电话反馈",
    "三、竞争产品情况分析", "四、广告执行期间出现的问题", "五、地面促销情况分析", "六、下步广告计划及促销建议"};
static const char *const titles_en[NSECTIONS] = {"1. Placements", "2. Sales and inquiry calls during the flight",
    "3. Competitor analysis", "4. Problems", "5. On-ground promotion", "6. Next plan and suggestions"};

static void print_report(const Aedesk__FeedbackReport *f)
{
	char when[32];
	cli_format_time(f->filed_ms, when, sizeof when);
	printf("%s  %s %s  %s %s  %s\n", f->id, cli_t("工作单", "job"), f->job_number[0] ? f->job_number : f->job_id,
	    cli_t("提交人", "filed by"), f->filed_by, when);
	for (size_t i = 0; i < NSECTIONS; i++)
		printf("\n## %s\n%s\n", cli_t(titles_zh[i], titles_en[i]), *(char *const *)((const char *)f + sections[i].off));
}

static int feedback_add(int argc, char **argv)
{
	const char *file = NULL;
	int i = 1;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s\n", cli_t("用法：aedesk feedback add 工作单 --file 文件（六部分：广告发布清单、销售与咨询电话反馈、竞争产品分析、执行中的问题、地面促销、下步计划及建议）",
				    "usage: aedesk feedback add JOB --file FILE (six sections: placements, sales, competitors, problems, promotion, next_plan)"));
			return 0;
		}
		if (strcmp(argv[i], "--file") == 0 && i + 1 < argc)
			file = argv[++i];
		else if (argv[i][0] == '-' || i != 1)
			break;
	}
	if (argc != 4 || !file || argv[1][0] == '-' || i != argc)
		return cli_usage_error("feedback add", "%s", cli_t("须给出工作单编号和 --file", "a job id and --file are required"));
	char *text = jobcli_read_file("feedback add", file);
	if (!text)
		return EXIT_USAGE;
	Aedesk__FeedbackReport rep = AEDESK__FEEDBACK_REPORT__INIT;
	int prc = jobcli_sections("feedback add", text, sections, NSECTIONS, &rep), rc;
	if (prc == -1)
		rc = cli_usage_error("feedback add", "%s %s", file, cli_t("不是有效的 JSON（一个全为字符串的对象）", "is not valid JSON (one object of strings)"));
	else if (prc < 0)
		rc = EXIT_USAGE;
	else {
		Aedesk__FeedbackAddRequest q = AEDESK__FEEDBACK_ADD_REQUEST__INIT;
		q.job_id = argv[1];
		q.report = &rep;
		Aedesk__FeedbackReply *r;
		if (!(rc = cli_call("jobs", &q.base, &aedesk__feedback_reply__descriptor, (ProtobufCMessage **)&r))) {
			if (cli.json)
				cli_print_json(&r->base);
			else if (r->n_reports)
				printf("%s %s\n", r->reports[0]->id, cli_t("已提交", "filed"));
			wire_free(&r->base);
		}
	}
	free(text);
	return rc;
}

static int feedback_show(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error("feedback show", "%s", cli_t("请给出一个工作单编号", "give one job id"));
	Aedesk__FeedbackGetRequest q = AEDESK__FEEDBACK_GET_REQUEST__INIT;
	q.job_id = argv[1];
	Aedesk__FeedbackReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__feedback_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else if (!r->n_reports)
		printf("%s\n", cli_t("（尚无执行反馈书）", "(no feedback report yet)"));
	for (size_t i = 0; !cli.json && i < r->n_reports; i++) {
		if (i)
			printf("\n");
		print_report(r->reports[i]);
	}
	wire_free(&r->base);
	return 0;
}

static int cmd_feedback(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", feedback_add}, {"show", feedback_show}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk feedback add 工作单 --file 文件\n  aedesk feedback show 工作单",
	    "usage:\n  aedesk feedback add JOB --file FILE\n  aedesk feedback show JOB");
}
