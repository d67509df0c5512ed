/*
 * R-FEEDBACK-1: on the first day of each placement of a flight the AE is asked, that
 * morning (10:00), to ask the client how the ad performs. R-FEEDBACK-2: at the end of a
 * flight phase (its last day, 17:30) the AE is told to send the execution feedback report;
 * a report filed cancels the reminder of every phase that had started by then, not of a
 * phase still to come. The job tracker runs on the real clock; the scheduler's test
 * clock is moved to each reminder's time. (R-PROSPECT-1: test_scheduler_prospect.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "sched_steps.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL

static char out[65536], err[8192];

static const char brief_md[] =
    "## 背景\n礼盒销量下滑。\n## 目标\n增长 20%。\n## 目标受众\n城市家庭。\n## 洞察\n送礼要体面。\n"
    "## 主张\n团圆的味道。\n## 支持点\n老字号。\n## 调性\n温暖。\n## 必备要素\n商标。\n## 交付物\n报纸整版。\n"
    "## 预算\n30 万元。\n## 时间\n一月见报。\n";

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }
static long long lms(int day, int minute) { return (long long)day * DAY_MS + minute * 60000LL - TZ_MS; }
static int day_of(const char *ymd) { return civil_to_days(atoi(ymd), atoi(ymd + 5), atoi(ymd + 8)); }

/* R-FEEDBACK-1 R-FEEDBACK-2 */
TEST(test_R_FEEDBACK_1_R_FEEDBACK_2_ask_on_the_first_day_report_at_the_phase_end)
{
	harness h;
	char text[1024];
	CHECK(h_setup(&h, "schedfb") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.lang.li.ae", "en");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"sun.ae", "孙晓明", "ae", "zhao.ad"},
	    {"wu.cd", "吴创意", "cd", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);
	char brief[400], strategy[400], fb[600], due[16], d0[16], d2[16], d3[16], d10[16], d17[16];
	h_write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	h_write_file(&h, "strategy.md", "情感诉求，团圆。\n", strategy, sizeof strategy);
	h_write_file(&h, "fb.md",
	    "## 一、广告发布清单\n晚报整版 3 次。\n## 二、销售形势\n咨询电话 240 个。\n## 竞争产品分析\n对手降价。\n"
	    "## 执行中的问题\n版位被挤。\n## 地面促销\n堆头 20 个。\n## 下步广告计划及促销建议\n加投电台。\n",
	    fb, sizeof fb);
	h_local_date(40, due, sizeof due);
	h_local_date(0, d0, sizeof d0);
	h_local_date(2, d2, sizeof d2);
	h_local_date(3, d3, sizeof d3);
	h_local_date(10, d10, sizeof d10);
	h_local_date(17, d17, sizeof d17);
	H_OK(&h, "strategy", "set", "C000001", "--file", strategy);
	H_OK(&h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
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
	as(&h, "sun.ae");
	H_OK(&h, "job", "rights", "J000001", "--image", "cleared", "--model", "n/a", "--music", "n/a");
	H_OK(&h, "job", "sign", "J000001", "--client", "王经理");
	H_OK(&h, "job", "advance", "J000001");

	/* Phase 1 runs from today to day 2; phase 2 has two placements, days 3-10 and 10-17. */
	char p0[128], p1[128], p2[128];
	snprintf(p0, sizeof p0, "新民晚报|A3 整版|%s|%s", d0, d2);
	snprintf(p1, sizeof p1, "新民晚报|A3 整版|%s|%s", d3, d10);
	snprintf(p2, sizeof p2, "东方广播|早间 30 秒|%s|%s", d10, d17);
	H_OK(&h, "flight", "add", "J000001", "--placement", p0);
	H_OK(&h, "flight", "add", "J000001", "--placement", p1, "--placement", p2);
	CHECK(st_due_of(&h, "fb1/F000002/1") == lms(day_of(d3), 10 * 60)); /* that morning, 10:00 */
	CHECK(st_due_of(&h, "fb1/F000002/2") == lms(day_of(d10), 10 * 60));
	CHECK(st_due_of(&h, "fb2/J000001/F000002") == lms(day_of(d17), 17 * 60 + 30)); /* the phase's end */
	CHECK(st_due_of(&h, "fb2/J000001/F000001") == lms(day_of(d2), 17 * 60 + 30));

	/* The report for phase 1 is filed before its end: its reminder goes, phase 2's stays. */
	H_OK(&h, "feedback", "add", "J000001", "--file", fb);
	CHECK(st_cancelled(&h, "fb2/J000001/F000001", "feedback report filed"));
	Aedesk__Reminder *r2 = st_rem_wait(&h, "fb2/J000001/F000002", 0);
	CHECK(r2 && !r2->cancelled && !r2->fired);
	wire_free(r2 ? &r2->base : NULL);

	/* The first day of each placement: the AE is asked to ask the client, once each. */
	long long t1 = lms(day_of(d3), 10 * 60);
	CHECK(st_at(&h, t1 - 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "fb1/F000002/1", text, sizeof text), 0);
	CHECK(st_at(&h, t1 + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "fb1/F000002/1", text, sizeof text), 1);
	CHECK(h_contains(text, "华夏食品") && h_contains(text, "新民晚报") && h_contains(text, "投放效果") && h_contains(text, d3));
	if (!h_contains(text, d3))
		fprintf(stderr, "    text: %s\n", text);
	CHECK(st_at(&h, lms(day_of(d10), 10 * 60 + 1)) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "fb1/F000002/2", text, sizeof text), 1);
	CHECK(h_contains(text, "东方广播"));
	CHECK_INT(st_got(&h, "sun.ae", "fb2/J000001/F000002", text, sizeof text), 0);
	/* The phase's end: the report is asked for; phase 1's cancelled one never comes. */
	CHECK(st_at(&h, lms(day_of(d17), 17 * 60 + 31)) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "fb2/J000001/F000002", text, sizeof text), 1);
	CHECK(h_contains(text, "广告执行反馈书") && h_contains(text, d3) && h_contains(text, d17));
	CHECK_INT(st_got(&h, "sun.ae", "fb2/J000001/F000001", text, sizeof text), 0);
	CHECK_INT(st_got(&h, "sun.ae", "fb1/F000002/1", text, sizeof text), 1);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_FEEDBACK_1_R_FEEDBACK_2_ask_on_the_first_day_report_at_the_phase_end);
	return check_summary();
}
