/*
 * The job tracker's reminders, end to end through real jobs and scheduler services:
 * R-DEADLINE-1 (the owner before a stage is due, the AM when it is late; leaving the
 * stage cancels them), R-ESTIMATE-1 (the AE before the week is out, the AM when it
 * lapses; a confirmed estimate cancels both) and R-PAY-1 (the AE before the due date, AE
 * and finance when overdue; a full payment cancels, a partial one does not).
 * The job tracker runs on the real clock; the scheduler's test clock is moved to each
 * reminder's time (read back from the scheduler) and back again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "sched_steps.h"
#include "scheduler.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

static const char brief_md[] =
    "## 背景\n礼盒销量下滑。\n## 目标\n增长 20%。\n## 目标受众\n城市家庭。\n## 洞察\n送礼要体面。\n"
    "## 主张\n团圆的味道。\n## 支持点\n老字号。\n## 调性\n温暖。\n## 必备要素\n商标。\n## 交付物\n报纸整版。\n"
    "## 预算\n30 万元。\n## 时间\n一月见报。\n";

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

TEST(test_R_DEADLINE_1_R_ESTIMATE_1_R_PAY_1_reminders_from_the_job_tracker)
{
	harness h;
	char text[1024];
	CHECK(h_setup(&h, "schedjobs") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""}, {"zhou.prod", "周制作", "production", ""},
	    {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	h_sleep_ms(300);
	char brief[400], due[16], d5[16], d10[16], strategy[400];
	h_write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	h_write_file(&h, "strategy.md", "情感诉求，团圆。\n", strategy, sizeof strategy);
	H_OK(&h, "strategy", "set", "C000001", "--file", strategy);
	h_local_date(40, due, sizeof due);
	h_local_date(5, d5, sizeof d5);
	h_local_date(10, d10, sizeof d10);
	long long t0 = st_now_ms();

	/* R-DEADLINE-1: the forecast stage from JobOpened; entering the brief stage cancels it. */
	H_OK(&h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
	CHECK(st_due_of(&h, "stage/J000001/1/owner") > 0);
	CHECK(st_due_of(&h, "stage/J000001/1/am") > 0);
	as(&h, "wu.cd");
	H_OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "advance", "J000001", "--due", d5);
	/* (the forecast's owner reminder may have fired already: its due is days away at most) */
	CHECK(st_cancelled(&h, "stage/J000001/1/am", "stage left"));
	long long own = st_due_of(&h, "stage/J000001/2/owner"), late = st_due_of(&h, "stage/J000001/2/am");
	CHECK(own > t0 && late > own);
	CHECK(st_at(&h, own + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "stage/J000001/2/owner", text, sizeof text), 1);
	CHECK(h_contains(text, "简报") && h_contains(text, "到期"));
	CHECK_INT(st_got(&h, "qian.am", "stage/J000001/2/am", text, sizeof text), 0); /* not late yet */
	CHECK(st_at(&h, late + 60000) == 0);
	CHECK_INT(st_got(&h, "qian.am", "stage/J000001/2/am", text, sizeof text), 1);
	CHECK(h_contains(text, "已逾期") && h_contains(text, "sun.ae"));
	CHECK(st_at(&h, st_now_ms()) == 0);

	/* On to the estimate stage (number, sketch, rights, the client's sign-off). */
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

	/* R-ESTIMATE-1: E000001 stays unconfirmed, E000002 is confirmed. */
	as(&h, "zhou.prod");
	H_OK(&h, "estimate", "add", "J000001", "--line", "设计费|1|12,000");
	H_OK(&h, "estimate", "add", "J000001", "--line", "摄影费|1|8,000");
	as(&h, "zhao.ad");
	H_OK(&h, "estimate", "sign", "E000001");
	H_OK(&h, "estimate", "sign", "E000002");
	as(&h, "sun.ae");
	H_OK(&h, "estimate", "send", "E000001");
	H_OK(&h, "estimate", "send", "E000002");
	long long sent = st_now_ms();
	long long eae = st_due_of(&h, "est/E000001/ae"), eam = st_due_of(&h, "est/E000001/am");
	CHECK(st_due_of(&h, "est/E000002/ae") > 0);
	H_OK(&h, "estimate", "confirm", "E000002", "--client-name", "王经理");
	CHECK(st_cancelled(&h, "est/E000002/ae", "confirmed"));
	CHECK(st_cancelled(&h, "est/E000002/am", "confirmed"));
	/* before the week is out, in working hours; the AM once the week has passed */
	CHECK(eae > sent + 4 * 86400000LL && eae < sent + 7 * 86400000LL);
	CHECK(eam >= sent + 7 * 86400000LL - 60000 && eam < sent + 11 * 86400000LL);
	CHECK(st_at(&h, eae + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "est/E000001/ae", text, sizeof text), 1);
	CHECK(h_contains(text, "E000001") && h_contains(text, "尚未经客户确认"));
	CHECK_INT(st_got(&h, "qian.am", "est/E000001/am", text, sizeof text), 0);
	CHECK(st_at(&h, eam + 60000) == 0);
	CHECK_INT(st_got(&h, "qian.am", "est/E000001/am", text, sizeof text), 1);
	CHECK(h_contains(text, "E000001") && h_contains(text, "仍未确认") && h_contains(text, "sun.ae"));
	CHECK_INT(st_got(&h, "sun.ae", "est/E000002/ae", text, sizeof text), 0);
	CHECK_INT(st_got(&h, "qian.am", "est/E000002/am", text, sizeof text), 0);
	CHECK(st_at(&h, st_now_ms()) == 0);

	/* R-PAY-1: I000001 partly paid (still chased), I000002 paid in full (nothing more). */
	as(&h, "zheng.fin");
	H_OK(&h, "invoice", "add", "J000001", "--amount", "15,000", "--due", d10);
	H_OK(&h, "invoice", "add", "J000001", "--amount", "8,000", "--due", d10);
	long long pae = st_due_of(&h, "pay/I000001/ae"), pover = st_due_of(&h, "pay/I000001/overdue-ae");
	CHECK(st_due_of(&h, "pay/I000001/overdue-finance") == pover);
	CHECK(st_due_of(&h, "pay/I000002/ae") > 0);
	H_OK(&h, "payment", "add", "I000001", "--amount", "5,000");
	H_OK(&h, "payment", "add", "I000002", "--amount", "8,000");
	CHECK(st_cancelled(&h, "pay/I000002/ae", "paid"));
	CHECK(st_cancelled(&h, "pay/I000002/overdue-ae", "paid"));
	CHECK(st_cancelled(&h, "pay/I000002/overdue-finance", "paid"));
	CHECK(pae > st_now_ms() + 5 * 86400000LL && pover > pae + 2 * 86400000LL);
	CHECK(st_at(&h, pae + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "pay/I000001/ae", text, sizeof text), 1);
	CHECK(h_contains(text, "I000001") && h_contains(text, "提醒客户付款") && h_contains(text, d10));
	CHECK_INT(st_got(&h, "zheng.fin", "pay/I000001/overdue-finance", text, sizeof text), 0);
	CHECK(st_at(&h, pover + 60000) == 0);
	CHECK_INT(st_got(&h, "sun.ae", "pay/I000001/overdue-ae", text, sizeof text), 1);
	CHECK(h_contains(text, "逾期") && h_contains(text, "催收"));
	CHECK_INT(st_got(&h, "zheng.fin", "pay/I000001/overdue-finance", text, sizeof text), 1);
	CHECK_INT(st_got(&h, "sun.ae", "pay/I000002/ae", text, sizeof text), 0);
	CHECK_INT(st_got(&h, "zheng.fin", "pay/I000002/overdue-finance", text, sizeof text), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_DEADLINE_1_R_ESTIMATE_1_R_PAY_1_reminders_from_the_job_tracker);
	return check_summary();
}
