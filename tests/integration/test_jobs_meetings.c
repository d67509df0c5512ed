/*
 * Meetings (会议) and minutes (会议纪要) through the aedesk command (DOMAIN.md "Jobs",
 * "Meetings"): a meeting of more than 60 minutes is refused (the handbook keeps them
 * within 60); a meeting is scheduled with attendees of both sides, room, equipment,
 * agenda and materials, moved and cancelled; minutes need conclusions and action items
 * with owners and due dates, are filed once, after the meeting started, and never for a
 * cancelled meeting; each action becomes an item its owner marks done. Every refusal
 * changes nothing (`meeting show` is identical before and after). The events the
 * scheduler builds R-MEETING-1 and R-MEETING-2 on are checked by their count.
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
	if (h_cli(h, NULL, buf, len, "--json", "meeting", "show", id, NULL) != 0)
		snprintf(buf, len, "(meeting show %s failed)", id);
}
#define SNAP(h, id) show(h, id, before, sizeof before)
#define UNCHANGED(h, id)                                                                          \
	do {                                                                                          \
		show(h, id, after, sizeof after);                                                         \
		CHECK_STR(after, before);                                                                 \
	} while (0)

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

TEST(test_meetings_kept_within_60_minutes_minutes_with_actions_and_every_illegal_step_refused)
{
	harness h;
	CHECK(h_setup(&h, "jobmtg") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);
	uint64_t seq0 = h_last_seq(&h, "jobs", NULL);
	long audit0 = h_audit_events(&h, "jobs"); /* refusals are recorded too: not counted below */

	char tomorrow[32], later[32], ago[32];
	h_local_time(24 * 60, tomorrow, sizeof tomorrow);
	h_local_time(26 * 60, later, sizeof later);
	h_local_time(-120, ago, sizeof ago);

	/* Kept within 60 minutes: 90 is refused and nothing is scheduled. */
	H_REFUSED(&h, "FAILED_PRECONDITION", "60", "meeting", "add", "C000001", "--at", tomorrow, "--title", "春节提案",
	    "--minutes", "90", "--attendee", "王强|市场总监|client");
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "meeting", "add", "C000001", "--at", tomorrow,
	    "--title", "春节提案", "--attendee", "王强|市场总监|boss", NULL), 2); /* a usage error */
	CHECK(h_contains(err, "--attendee"));
	H_OK(&h, "meeting", "list");
	CHECK(!h_contains(out, "M00000"));
	as(&h, "li.ae"); /* not this client's AE */
	H_REFUSED(&h, "NOT_FOUND", "C000001", "meeting", "add", "C000001", "--at", tomorrow, "--title", "x", "--attendee",
	    "王强|市场总监|client");

	as(&h, "sun.ae");
	H_OK(&h, "meeting", "add", "C000001", "--at", tomorrow, "--title", "春节提案", "--attendee", "王强|市场总监|client",
	    "--attendee", "孙晓明|客户主任|agency", "--room", "一号会议室", "--equipment", "投影仪、笔记本电脑", "--agenda",
	    "草图提案；排期", "--material", "前次会议记录", "--material", "竞争品牌作品");
	CHECK(h_contains(out, "M000001"));
	H_OK(&h, "meeting", "show", "M000001");
	CHECK(h_contains(out, "王强") && h_contains(out, "市场总监") && h_contains(out, "一号会议室") &&
	    h_contains(out, "竞争品牌作品") && h_contains(out, "60") && h_contains(out, tomorrow));

	/* Move: not longer than 60 either; the new time shows. */
	SNAP(&h, "M000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "60", "meeting", "move", "M000001", "--at", later, "--minutes", "61");
	as(&h, "qian.am"); /* the AE's AM may move it */
	H_OK(&h, "meeting", "move", "M000001", "--at", later, "--minutes", "45");
	H_OK(&h, "meeting", "show", "M000001");
	CHECK(h_contains(out, later) && !h_contains(out, tomorrow) && h_contains(out, "45"));
	as(&h, "sun.ae");
	/* Minutes before the meeting: refused. */
	char minutes[400], nominutes[400], jsonmin[400], text[1024], d1[32], d2[32];
	h_local_time(10 * 24 * 60, d1, sizeof d1);
	h_local_time(12 * 24 * 60, d2, sizeof d2);
	d1[10] = d2[10] = 0;
	snprintf(text, sizeof text,
	    "# 会议纪要：春节提案\n\n## 摘要\n客户看了两套草图。\n倾向 A 案。\n\n## 结论\n- 采用 A 案\n- 预算不变\n\n"
	    "## 行动事项\n- 修改标题字号 | sun.ae | %s\n- 准备估价单 | li.ae | %s\n", d1, d2);
	h_write_file(&h, "min.md", text, minutes, sizeof minutes);
	h_write_file(&h, "nomin.md", "## 结论\n- 采用 A 案\n", nominutes, sizeof nominutes);
	snprintf(text, sizeof text,
	    "{\"summary\": \"电话会\", \"conclusions\": [\"延期一周\"], \"actions\": [{\"text\": \"通知媒体\", "
	    "\"owner\": \"sun.ae\", \"due\": \"%s\"}]}", d2);
	h_write_file(&h, "min.json", text, jsonmin, sizeof jsonmin);
	SNAP(&h, "M000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000001", "meeting", "minutes", "M000001", "--file", minutes);
	UNCHANGED(&h, "M000001");

	/* A meeting held two hours ago, recorded now; its minutes need conclusions AND actions. */
	H_OK(&h, "meeting", "add", "C000001", "--at", ago, "--title", "排期沟通", "--minutes", "30", "--attendee",
	    "王强|市场总监|client");
	SNAP(&h, "M000002");
	H_REFUSED(&h, "FAILED_PRECONDITION", "行动事项", "meeting", "minutes", "M000002", "--file", nominutes);
	as(&h, "li.ae");
	H_REFUSED(&h, "NOT_FOUND", "M000002", "meeting", "minutes", "M000002", "--file", minutes);
	as(&h, "sun.ae");
	UNCHANGED(&h, "M000002");
	H_OK(&h, "meeting", "minutes", "M000002", "--file", minutes);
	CHECK(h_contains(out, "采用 A 案") && h_contains(out, "A000001") && h_contains(out, "A000002") &&
	    h_contains(out, "倾向 A 案") && h_contains(out, d1));
	SNAP(&h, "M000002");
	H_REFUSED(&h, "ALREADY_EXISTS", "M000002", "meeting", "minutes", "M000002", "--file", minutes);
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000002", "meeting", "move", "M000002", "--at", later);
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000002", "meeting", "cancel", "M000002");
	UNCHANGED(&h, "M000002");

	/* Action items: listed for their owners, done by the owner only, once. */
	H_OK(&h, "action", "list", "--mine");
	CHECK(h_contains(out, "A000001") && !h_contains(out, "A000002"));
	as(&h, "li.ae");
	H_OK(&h, "action", "list", "--mine", "--open");
	CHECK(h_contains(out, "A000002") && !h_contains(out, "A000001"));
	H_REFUSED(&h, "NOT_FOUND", "A000001", "action", "done", "A000001"); /* not her client, not hers */
	H_OK(&h, "action", "done", "A000002");
	H_REFUSED(&h, "ALREADY_EXISTS", "A000002", "action", "done", "A000002");
	H_OK(&h, "action", "list", "--mine", "--open");
	CHECK(!h_contains(out, "A000002"));
	as(&h, "qian.am"); /* serves the client, sees the item, but it is sun.ae's to do */
	H_REFUSED(&h, "PERMISSION_DENIED", "sun.ae", "action", "done", "A000001");
	as(&h, "sun.ae");
	H_OK(&h, "action", "list", "--open");
	CHECK(h_contains(out, "A000001") && !h_contains(out, "A000002"));

	/* Cancel: no minutes for a cancelled meeting, no second cancel, no move. */
	H_OK(&h, "meeting", "cancel", "M000001", "--reason", "客户出差");
	SNAP(&h, "M000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000001", "meeting", "cancel", "M000001");
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000001", "meeting", "move", "M000001", "--at", tomorrow);
	H_REFUSED(&h, "FAILED_PRECONDITION", "M000001", "meeting", "minutes", "M000001", "--file", minutes);
	UNCHANGED(&h, "M000001");

	/* JSON minutes too, for a third meeting; list --from and --mine. */
	H_OK(&h, "meeting", "add", "C000001", "--at", ago, "--title", "电话会", "--minutes", "15", "--attendee",
	    "王强|市场总监|client");
	H_OK(&h, "meeting", "minutes", "M000003", "--file", jsonmin);
	CHECK(h_contains(out, "延期一周") && h_contains(out, "通知媒体"));
	H_OK(&h, "meeting", "list", "--from", tomorrow);
	CHECK(h_contains(out, "M000001") && !h_contains(out, "M000002"));
	H_OK(&h, "meeting", "list", "--mine");
	CHECK(h_contains(out, "M000001") && h_contains(out, "M000003"));
	as(&h, "qian.am"); /* sees the client's meetings, organised none */
	H_OK(&h, "meeting", "list", "--client", "C000001");
	CHECK(h_contains(out, "M000002"));
	H_OK(&h, "meeting", "list", "--mine");
	CHECK(!h_contains(out, "M00000"));

	/* Events: 3 scheduled, 1 moved, 1 cancelled, 2 minutes, 3 actions added, 1 done. */
	CHECK_INT(h_last_seq(&h, "jobs", NULL) - seq0 - (uint64_t)(h_audit_events(&h, "jobs") - audit0), 11);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	setenv("TZ", "Asia/Shanghai", 1); /* the agency's zone, as the command reads times */
	tzset();
	RUN(test_meetings_kept_within_60_minutes_minutes_with_actions_and_every_illegal_step_refused);
	return check_summary();
}
