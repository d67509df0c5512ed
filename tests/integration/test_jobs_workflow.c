/*
 * A job goes from forecast to closed through the aedesk command with every sign-off
 * (DOMAIN.md "Jobs"), and every illegal step on the way is refused with the rule and
 * the missing piece and changes nothing: `job show` is identical before and after.
 * Rules proved here: R-JOB-1, R-JOB-2, R-JOB-3, R-JOB-4, R-JOB-5, R-JOB-6, R-JOB-7 (R-JOB-9 and
 * the proof behind the production stage's sign-offs: test_jobs_execution.c).
 * A kill -9 of aedesk-jobs mid-workflow loses nothing acknowledged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "jobs.pb-c.h"
#include "wire.h"

static char out[65536], err[8192], before[65536], after[65536];

static void show(harness *h, const char *id, char *buf, size_t len)
{
	if (h_cli(h, NULL, buf, len, "--json", "job", "show", id, NULL) != 0)
		snprintf(buf, len, "(job show %s failed)", id);
}

static const char brief_md[] =
    "# 创意简报：春节促销\n\n"
    "## 背景\n华夏食品春节礼盒销量去年下滑。\n第二行背景。\n\n"
    "## 目标\n礼盒销量同比增长 20%。\n\n## 目标受众\n25-40 岁城市家庭。\n\n"
    "## 洞察\n过年送礼要体面也要实在。\n\n## 主张\n团圆的味道。\n\n## 支持点\n老字号工艺。\n\n"
    "## 调性\n温暖。\n\n## 必备要素\n商标、礼盒照片。\n\n## 交付物\n报纸整版一则。\n\n"
    "## 预算\n30 万元。\n\n## 时间\n一月中旬见报。\n";

static const char brief_incomplete_json[] =
    "{\"background\": \"b\", \"objective\": \"o\", \"audience\": \"a\", \"proposition\": \"p\","
    " \"support\": \"s\", \"tone\": \"t\", \"mandatories\": \"m\", \"deliverables\": \"d\","
    " \"budget\": \"\\u9884\\u7b97\", \"timing\": \"t\"}";


/* UNCHANGED: the job looks exactly as it did (snapshot taken with SNAP). */
#define SNAP(h, id) show(h, id, before, sizeof before)
#define UNCHANGED(h, id)                                                                          \
	do {                                                                                          \
		show(h, id, after, sizeof after);                                                         \
		CHECK_STR(after, before);                                                                 \
	} while (0)


static void add_staff(harness *h)
{
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""},
	    {"zhou.prod", "周制作", "production", ""}, {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

TEST(test_job_forecast_to_closed_with_every_signoff_and_every_illegal_step_refused)
{
	harness h;
	CHECK(h_setup(&h, "jobwf") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_staff(&h);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);

	char brief[400], bad[400], strategy[400], due[16], soon[16];
	h_write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	h_write_file(&h, "bad.json", brief_incomplete_json, bad, sizeof bad);
	h_write_file(&h, "strategy.md", "# 策略单\n春节礼盒：情感诉求，团圆。\n", strategy, sizeof strategy);
	h_local_date(40, due, sizeof due);
	h_local_date(2, soon, sizeof soon);

	/* R-JOB-1: no job without a complete brief; the refusal names the missing field. */
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-1", "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print",
	    "--due", due, "--brief", bad);
	CHECK(h_contains(err, "洞察"));
	/* R-JOB-3: a print job needs 5 days; an AE cannot override, an AD must, with a reason. */
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-3", "job", "open", "C000001", "--title", "急单", "--kind", "print",
	    "--due", soon, "--brief", brief);
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-3", "job", "open", "C000001", "--title", "急单", "--kind", "print",
	    "--due", soon, "--brief", brief, "--override-lead", "客户临时加单");
	H_OK(&h, "job", "list");
	CHECK(!h_contains(out, "J00000"));

	H_OK(&h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
	CHECK(h_contains(out, "J000001"));
	H_OK(&h, "job", "show", "J000001");
	CHECK(h_contains(out, "预报") && h_contains(out, "第二行背景") == 0); /* show has no brief text */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "job", "show", "J000001", NULL), 0);
	CHECK(h_contains(out, "第二行背景")); /* the Markdown body kept both lines */

	/* forecast: the CD is told. R-JOB-6 before the CD signs; R-JOB-5 the AE cannot sign for the CD. */
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-6", "job", "advance", "J000001");
	CHECK(h_contains(err, "cd"));
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-6", "job", "advance", "J000001", "--to", "sketch");
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-5", "job", "sign", "J000001");
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-5", "job", "sign", "J000001", "--as", "cd");
	UNCHANGED(&h, "J000001");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	H_REFUSED(&h, "ALREADY_EXISTS", "wu.cd", "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001");
	CHECK(h_contains(out, "简报"));

	/* brief: AD and CD sign, then the job number is issued. */
	as(&h, "zhao.ad");
	H_OK(&h, "job", "sign", "J000001");
	CHECK(h_contains(out, "J000001 -")); /* no number with one signature */
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	char number[32], today[16];
	h_local_date(0, today, sizeof today);
	snprintf(number, sizeof number, "C000001-%.4s-001", today);
	CHECK(h_contains(out, number));

	/* kill -9 mid-workflow: everything acknowledged is still there. */
	SNAP(&h, "J000001");
	h_kill9(&h, "jobs");
	CHECK(h_start(&h, "jobs") == 0);
	UNCHANGED(&h, "J000001");
	H_OK(&h, "job", "show", number); /* by number too */

	/* R-JOB-2: no creative work without a strategy sheet. */
	as(&h, "sun.ae");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-2", "job", "advance", "J000001");
	UNCHANGED(&h, "J000001");
	H_OK(&h, "strategy", "set", "C000001", "--file", strategy);
	H_OK(&h, "job", "advance", "J000001");
	CHECK(h_contains(out, "草图"));

	/* sketch: CD signs, AM (or above) signs receipt, the client is presented to. */
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "qian.am");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "li.ae"); /* another AE: not this client's, does not even see the job */
	H_REFUSED(&h, "NOT_FOUND", "J000001", "job", "sign", "J000001", "--client", "王经理");
	as(&h, "sun.ae");
	H_OK(&h, "job", "rights", "J000001", "--image", "cleared", "--model", "n/a", "--music", "n/a"); /* R-JOB-9 */
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	/* 修改卡: the client asks for changes; the sketch's sign-offs must be given again. */
	H_OK(&h, "job", "revise", "J000001", "--note", "标题字再大一号，换成红色背景");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-6", "job", "advance", "J000001");
	CHECK(h_contains(err, "cd") && h_contains(err, "am") && h_contains(err, "client"));
	UNCHANGED(&h, "J000001");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "zhao.ad"); /* AD signs the "am or above" slot */
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	H_OK(&h, "job", "advance", "J000001");

	/* estimate: R-JOB-7 no work before the cost is agreed; R-JOB-4 no PO before confirmation. */
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-7", "job", "advance", "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "estimate sign", "job", "sign", "J000001");
	as(&h, "zhou.prod");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-4", "po", "add", "J000001", "--vendor", "光影摄影", "--kind",
	    "photography", "--amount", "8000", "--due", due);
	UNCHANGED(&h, "J000001");
	H_OK(&h, "estimate", "add", "J000001", "--line", "设计费|1|12,000", "--line", "摄影|2|4,000.50");
	CHECK(h_contains(out, "E000001") && h_contains(out, "20,001.00") && h_contains(out, "贰万零壹元整"));
	as(&h, "sun.ae");
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-5", "estimate", "sign", "E000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "E000001", "estimate", "send", "E000001"); /* not signed yet */
	as(&h, "zhao.ad");
	H_OK(&h, "estimate", "sign", "E000001");
	as(&h, "sun.ae");
	H_OK(&h, "estimate", "send", "E000001");
	as(&h, "zhou.prod");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-4", "po", "add", "J000001", "--vendor", "光影摄影", "--kind",
	    "photography", "--amount", "8000", "--due", due);
	UNCHANGED(&h, "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "estimate", "confirm", "E000001", "--client-name", "王经理");
	CHECK(h_contains(out, "confirmed"));
	H_OK(&h, "job", "advance", "J000001");
	CHECK(h_contains(out, "完稿"));

	/* final art: creative, the AE's proofreading, the client. */
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "sign", "J000001");
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	H_OK(&h, "job", "advance", "J000001");

	/* execution: production's PO to the photographer, now allowed (R-JOB-4 holds). */
	as(&h, "zhou.prod");
	H_OK(&h, "po", "add", "J000001", "--vendor", "光影摄影", "--kind", "photography", "--amount", "8,000", "--due", due);
	CHECK(h_contains(out, "P000001") && h_contains(out, "捌仟元整"));
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001");

	/* production: AE, creative, production and the client sign the proof (S000001), then the stage. */
	H_OK(&h, "proof", "add", "J000001", "--note", "菲林打样第一版");
	H_OK(&h, "proof", "sign", "S000001");
	H_OK(&h, "proof", "sign", "S000001", "--client", "王经理");
	as(&h, "wu.cd");
	H_OK(&h, "proof", "sign", "S000001");
	as(&h, "zhou.prod");
	H_OK(&h, "proof", "sign", "S000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "sign", "J000001");
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "zhou.prod");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "job close", "job", "advance", "J000001");
	H_REFUSED(&h, "PERMISSION_DENIED", "财务", "job", "close", "J000001");
	as(&h, "zheng.fin");
	H_REFUSED(&h, "FAILED_PRECONDITION", "P000001", "job", "close", "J000001"); /* PO not confirmed by the CD */
	UNCHANGED(&h, "J000001");
	as(&h, "wu.cd");
	H_OK(&h, "po", "confirm", "P000001");
	as(&h, "zheng.fin");
	H_OK(&h, "job", "close", "J000001");
	CHECK(h_contains(out, "结束"));
	H_REFUSED(&h, "FAILED_PRECONDITION", "J000001", "job", "close", "J000001");
	as(&h, "sun.ae");
	H_REFUSED(&h, "FAILED_PRECONDITION", "J000001", "job", "advance", "J000001");

	/* The whole history is shown by job show. */
	H_OK(&h, "job", "show", "J000001");
	const char *const want[] = {"opened", "forecast -> brief", "number", number, "revised", "#1 sketch",
	    "sign-offs cleared", "E000001 confirmed by client 王经理", "P000001 issued", "P000001 confirmed",
	    "production -> closed", "王经理", "标题字再大一号", "贰万零壹元整", "zheng.fin"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!h_contains(out, want[i])) {
			fprintf(stderr, "  job show lacks \"%s\"\n", want[i]);
			CHECK(0);
		}
	H_OK(&h, "job", "list", "--stage", "closed");
	CHECK(h_contains(out, number));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_job_forecast_to_closed_with_every_signoff_and_every_illegal_step_refused);
	return check_summary();
}
