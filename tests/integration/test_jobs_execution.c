/*
 * A job's execution side through the aedesk command (DOMAIN.md "Jobs"):
 * R-JOB-9 the presentation (the sketch's client sign-off) is refused until image, model
 * and music rights are confirmed cleared or n/a, recorded with who and when; a media
 * flight with its placements' dates (for R-FEEDBACK-1/2); the ad execution feedback report
 * (广告执行反馈书) with its six sections, refused without a flight or with a section
 * missing; proofs (打样) signed by AE, CD, production and the client, without which the
 * production stage's sign-offs are refused. Each refusal changes nothing.
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
#define SNAP(h, id) show(h, id, before, sizeof before)
#define UNCHANGED(h, id)                                                                          \
	do {                                                                                          \
		show(h, id, after, sizeof after);                                                         \
		CHECK_STR(after, before);                                                                 \
	} while (0)

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

static const char brief_md[] =
    "## 背景\n礼盒销量下滑。\n## 目标\n增长 20%。\n## 目标受众\n城市家庭。\n## 洞察\n送礼要体面。\n"
    "## 主张\n团圆的味道。\n## 支持点\n老字号。\n## 调性\n温暖。\n## 必备要素\n商标。\n## 交付物\n报纸整版。\n"
    "## 预算\n30 万元。\n## 时间\n一月见报。\n";

TEST(test_rjob9_rights_before_the_proposal_proofs_before_production_flights_and_feedback)
{
	harness h;
	CHECK(h_setup(&h, "jobexe") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"sun.ae", "孙晓明", "ae", "zhao.ad"},
	    {"wu.cd", "吴创意", "cd", ""}, {"zhou.prod", "周制作", "production", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);
	char brief[400], strategy[400], fb[600], fbpart[400], due[16], d1[16], d2[16], d3[16];
	h_write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	h_write_file(&h, "strategy.md", "情感诉求，团圆。\n", strategy, sizeof strategy);
	h_local_date(40, due, sizeof due);
	h_local_date(3, d1, sizeof d1);
	h_local_date(10, d2, sizeof d2);
	h_local_date(17, d3, sizeof d3);
	H_OK(&h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
	H_OK(&h, "strategy", "set", "C000001", "--file", strategy);
	/* To the sketch: CD told, brief signed by AD and CD (the number), advanced. */
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001");
	as(&h, "zhao.ad");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "zhao.ad");
	H_OK(&h, "job", "advance", "J000001");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "zhao.ad");
	H_OK(&h, "job", "sign", "J000001", "--as", "am");

	/* R-JOB-9: the presentation (the client's sign-off of the sketch) waits for the rights. */
	as(&h, "sun.ae");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-9", "job", "sign", "J000001", "--client", "王经理");
	CHECK(h_contains(err, "图片") && h_contains(err, "模特") && h_contains(err, "音乐"));
	UNCHANGED(&h, "J000001");
	H_REFUSED(&h, "INVALID_ARGUMENT", "R-JOB-9", "job", "rights", "J000001", "--image", "maybe");
	UNCHANGED(&h, "J000001");
	H_OK(&h, "job", "rights", "J000001", "--image", "cleared", "--model", "n/a");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-9", "job", "sign", "J000001", "--client", "王经理");
	CHECK(h_contains(err, "尚未确认：音乐"));
	UNCHANGED(&h, "J000001");
	H_OK(&h, "job", "rights", "J000001", "--music", "cleared");
	H_OK(&h, "job", "show", "J000001");
	CHECK(h_contains(out, "image cleared") || h_contains(out, "图片 cleared"));
	CHECK(h_contains(out, "rights") && h_contains(out, "music cleared"));
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	H_OK(&h, "job", "advance", "J000001");

	/* Feedback needs a flight; a flight its placements with real dates. */
	h_write_file(&h, "fbpart.md", "## 一、广告发布清单\n晚报整版 3 次。\n## 竞争产品分析\n对手降价。\n", fbpart, sizeof fbpart);
	char text[1024];
	snprintf(text, sizeof text,
	    "# 广告执行反馈书\n## 一、广告发布清单\n晚报整版 3 次。\n## 二、销售形势\n礼盒销量 +18%%，咨询电话 240 个。\n"
	    "## 竞争产品分析\n对手降价。\n## 执行中的问题\n第二期版位被挤。\n## 地面促销\n商超堆头 20 个。\n"
	    "## 六、下步广告计划及促销建议\n加投电台。\n");
	h_write_file(&h, "fb.md", text, fb, sizeof fb);
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "flight add", "feedback", "add", "J000001", "--file", fb);
	char p1[128], p2[128], bad[128];
	snprintf(p1, sizeof p1, "新民晚报|A3 整版|%s|%s", d1, d2);
	snprintf(p2, sizeof p2, "东方广播|早间 30 秒|%s|%s", d2, d3);
	snprintf(bad, sizeof bad, "东方广播|早间 30 秒|%s|%s", d3, d1);
	H_REFUSED(&h, "INVALID_ARGUMENT", "2", "flight", "add", "J000001", "--placement", p1, "--placement", bad);
	UNCHANGED(&h, "J000001");
	H_OK(&h, "flight", "add", "J000001", "--placement", p1, "--placement", p2);
	CHECK(h_contains(out, "F000001") && h_contains(out, d1) && h_contains(out, d3));
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "sales", "--lang", "en", "feedback", "add", "J000001", "--file", fbpart);
	CHECK(h_contains(err, "problems") && h_contains(err, "promotion") && h_contains(err, "next_plan") &&
	    !h_contains(err, "competitors"));
	UNCHANGED(&h, "J000001");
	H_OK(&h, "feedback", "add", "J000001", "--file", fb);
	CHECK(h_contains(out, "K000001"));
	H_OK(&h, "feedback", "show", "J000001");
	CHECK(h_contains(out, "咨询电话 240 个") && h_contains(out, "加投电台") && h_contains(out, "六、下步广告计划及促销建议"));

	/* Estimate, final art, execution. */
	as(&h, "zhou.prod");
	H_OK(&h, "estimate", "add", "J000001", "--line", "设计费|1|12,000");
	as(&h, "zhao.ad");
	H_OK(&h, "estimate", "sign", "E000001");
	as(&h, "sun.ae");
	H_OK(&h, "estimate", "send", "E000001");
	H_OK(&h, "estimate", "confirm", "E000001", "--client-name", "王经理");
	H_OK(&h, "job", "advance", "J000001");
	H_OK(&h, "job", "sign", "J000001");
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001");
	as(&h, "zhou.prod");
	H_OK(&h, "job", "sign", "J000001");
	H_OK(&h, "proof", "add", "J000001", "--note", "菲林打样第一版");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001");

	/* Production: its sign-offs rest on a proof signed by AE, CD, production and the client. */
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "S000001", "job", "sign", "J000001");
	CHECK(h_contains(err, "cd") && h_contains(err, "production") && h_contains(err, "client"));
	H_REFUSED(&h, "INVALID_ARGUMENT", "--client", "proof", "sign", "S000001", "--as", "client");
	UNCHANGED(&h, "J000001");
	H_OK(&h, "proof", "sign", "S000001");
	H_REFUSED(&h, "ALREADY_EXISTS", "sun.ae", "proof", "sign", "S000001");
	H_OK(&h, "proof", "sign", "S000001", "--client", "王经理");
	as(&h, "wu.cd");
	H_OK(&h, "proof", "sign", "S000001");
	SNAP(&h, "J000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "production", "job", "sign", "J000001");
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-5", "proof", "sign", "S000001", "--as", "production");
	UNCHANGED(&h, "J000001");
	as(&h, "zhou.prod");
	H_OK(&h, "proof", "sign", "S000001");
	CHECK(h_contains(out, "四方已签齐"));
	H_OK(&h, "job", "sign", "J000001");
	H_OK(&h, "job", "show", "J000001");
	CHECK(h_contains(out, "S000001") && h_contains(out, "client:王经理") && h_contains(out, "新民晚报"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	setenv("TZ", "Asia/Shanghai", 1); /* the agency's zone, as the command reads dates */
	tzset();
	RUN(test_rjob9_rights_before_the_proposal_proofs_before_production_flights_and_feedback);
	return check_summary();
}
