/*
 * R-PLAN-1: a weekly work plan and a monthly summary from every AE. The AE is told on the
 * week's first working day (08:30) and on the month's last working day (16:00) unless it
 * is handed in already (then the reminder lapses without a word); the AM sees who is
 * missing (`aedesk plan missing`), only for their own team. Bad input is refused and
 * changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "sched_steps.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)

static char out[65536], err[8192];

static long long local_ms(int y, int m, int d, int h, int mi)
{
	return (long long)civil_to_days(y, m, d) * 86400000LL + (h * 60 + mi) * 60000LL - TZ_MS;
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

/* R-PLAN-1 */
TEST(test_R_PLAN_1_weekly_plan_and_monthly_summary)
{
	harness h;
	char text[1024];
	CHECK(h_setup(&h, "schedplan") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-03-01 00:00"); /* a Sunday, ISO week 9 */
	h_conf_add(&h, "scheduler.lang.li.ae", "en");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	st_adm = h;
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "Li", "ae", "qian.am"}, {"zhou.am", "周经理", "am", "zhao.ad"},
	    {"wu.ae", "吴敏", "ae", "zhou.am"}, {"wu.cd", "吴创意", "cd", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(st_settle(&h) == 0);
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 10000) == 0);

	/* Planned for every AE, not for the AM, the AD or the CD. */
	CHECK(st_due_of(&h, "plan-week/sun.ae/2026-W10") == local_ms(2026, 3, 2, 8, 30));
	CHECK(st_due_of(&h, "plan-week/wu.ae/2026-W10") == local_ms(2026, 3, 2, 8, 30));
	Aedesk__SchedulerRemindersRequest rq = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
	rq.staff_id = (char *)"qian.am";
	Aedesk__SchedulerRemindersReply *rr = NULL;
	CHECK(h_call(&st_adm, "scheduler", &rq.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&rr) == 0);
	for (size_t i = 0; rr && i < rr->n_reminders; i++)
		CHECK(strcmp(rr->reminders[i]->rule, "R-PLAN-1") != 0);
	wire_free(rr ? &rr->base : NULL);

	/* Refused, and nothing changed: a bad week, a bad month, an empty text, a CD. */
	as(&h, "sun.ae");
	H_REFUSED(&h, "INVALID_ARGUMENT", "2026-W54", "plan", "submit", "--week", "2026-W54", "--text", "拜访三家");
	H_REFUSED(&h, "INVALID_ARGUMENT", "2026-13", "plan", "submit", "--month", "2026-13", "--text", "总结");
	H_REFUSED(&h, "INVALID_ARGUMENT", "不能为空", "plan", "submit", "--week", "2026-W10", "--text", "  \n");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "plan", "submit", "--week", "2026-W10", NULL), 2);
	as(&h, "wu.cd");
	H_REFUSED(&h, "PERMISSION_DENIED", "无权提交", "plan", "submit", "--week", "2026-W10", "--text", "计划");
	as(&h, "qian.am");
	H_OK(&h, "--json", "plan", "missing", "--week", "2026-W10", "--month", "2026-03");
	CHECK(h_contains(out, "sun.ae") && h_contains(out, "li.ae") && !h_contains(out, "wu.ae"));
	CHECK(!h_contains(out, "\"week_plan\": true") && !h_contains(out, "\"week_plan\":true"));

	/* sun.ae hands in W10's plan (the default week is the clock's: W09 on 1 March). */
	as(&h, "sun.ae");
	H_OK(&h, "plan", "submit", "--text", "第 9 周：整理客户资料。");
	CHECK(h_contains(out, "2026-W09"));
	char file[400];
	h_write_file(&h, "plan.md", "# 第 10 周工作计划\n- 拜访华夏食品两次\n- 春季提案\n", file, sizeof file);
	H_OK(&h, "plan", "submit", "--week", "2026-W10", "--file", file);
	CHECK(h_contains(out, "2026-W10"));

	/* 2 March 08:30: li.ae is told (in English), sun.ae's reminder lapses. */
	CHECK(st_at(&h, local_ms(2026, 3, 2, 9, 0)) == 0);
	CHECK_INT(st_got(&h, "li.ae", "plan-week/li.ae/2026-W10", text, sizeof text), 1);
	CHECK(h_contains(text, "work plan") && h_contains(text, "2026-W10"));
	CHECK_INT(st_got(&h, "wu.ae", "plan-week/wu.ae/2026-W10", text, sizeof text), 1);
	CHECK(h_contains(text, "工作计划") && h_contains(text, "2026-W10"));
	CHECK_INT(st_got(&h, "sun.ae", "plan-week/sun.ae/2026-W10", text, sizeof text), 0);
	CHECK(st_cancelled(&h, "plan-week/sun.ae/2026-W10", "no longer needed when due"));

	/* The AM sees who is missing, only on their team; an AE only themselves. */
	as(&h, "qian.am");
	H_OK(&h, "plan", "missing", "--week", "2026-W10", "--month", "2026-03");
	CHECK(h_contains(out, "li.ae") && h_contains(out, "sun.ae") && !h_contains(out, "wu.ae") && h_contains(out, "未交"));
	H_OK(&h, "--json", "plan", "missing", "--week", "2026-W10", "--month", "2026-03");
	CHECK(h_contains(out, "\"week_plan\": true") || h_contains(out, "\"week_plan\":true"));
	as(&h, "wu.ae");
	H_OK(&h, "plan", "missing", "--week", "2026-W10");
	CHECK(h_contains(out, "wu.ae") && !h_contains(out, "li.ae") && !h_contains(out, "sun.ae"));
	as(&h, "zhao.ad");
	H_OK(&h, "plan", "missing", "--week", "2026-W10", "--month", "2026-03");
	CHECK(h_contains(out, "li.ae") && h_contains(out, "wu.ae") && h_contains(out, "sun.ae"));
	H_REFUSED(&h, "INVALID_ARGUMENT", "2026-W99", "plan", "missing", "--week", "2026-W99");

	/* The month's summary: the last working day (Tuesday 31 March) at 16:00. */
	as(&h, "sun.ae");
	H_OK(&h, "plan", "submit", "--month", "2026-03", "--text", "三月：完成两次提案。");
	for (int d = 3; d <= 31; d++) /* day by day, as the days pass */
		CHECK(st_at(&h, local_ms(2026, 3, d, 15, 59)) == 0);
	CHECK(st_due_of(&h, "plan-month/sun.ae/2026-03") == local_ms(2026, 3, 31, 16, 0)); /* Tue 31 March */
	CHECK_INT(st_got(&h, "li.ae", "plan-month/li.ae/2026-03", text, sizeof text), 0);
	CHECK(st_at(&h, local_ms(2026, 3, 31, 16, 1)) == 0);
	CHECK_INT(st_got(&h, "li.ae", "plan-month/li.ae/2026-03", text, sizeof text), 1);
	CHECK(h_contains(text, "monthly summary") && h_contains(text, "2026-03"));
	CHECK_INT(st_got(&h, "wu.ae", "plan-month/wu.ae/2026-03", text, sizeof text), 1);
	CHECK(h_contains(text, "月度总结"));
	CHECK_INT(st_got(&h, "sun.ae", "plan-month/sun.ae/2026-03", text, sizeof text), 0);
	/* each once: the weekly ones of W11..W14 came once each too */
	CHECK_INT(st_got(&h, "li.ae", "plan-week/li.ae/2026-W10", text, sizeof text), 1);
	CHECK_INT(st_got(&h, "li.ae", "plan-week/li.ae/2026-W14", text, sizeof text), 1);
	/* the default month is the latest whose summary is due: March from its last working day */
	as(&h, "qian.am");
	H_OK(&h, "--json", "plan", "missing");
	CHECK(h_contains(out, "2026-03") && h_contains(out, "2026-W14") && h_contains(out, "li.ae"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_PLAN_1_weekly_plan_and_monthly_summary);
	return check_summary();
}
