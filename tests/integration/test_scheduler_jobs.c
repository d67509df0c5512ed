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
#include "scheduler.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define OK(h, ...)                                                                               \
	do {                                                                                       \
		int rc_ = h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL);    \
		CHECK_INT(rc_, 0);                                                                 \
		if (rc_)                                                                           \
			fprintf(stderr, "    stderr: %s\n", err);                                    \
	} while (0)

/* adm: a copy of the harness holding the admin's token, for looking at anyone's reminders. */
static harness adm;

static long long now_ms(void) { return (long long)time(NULL) * 1000; }

static int clock_set(harness *h, long long now)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = now;
	return h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

static int settle(harness *h)
{
	for (int i = 0; i < 500; i++) {
		Aedesk__SchedulerStatusRequest q = AEDESK__SCHEDULER_STATUS_REQUEST__INIT;
		Aedesk__SchedulerStatusReply *s = NULL;
		int done = h_call(h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor,
		               (ProtobufCMessage **)&s) == 0 &&
		    s && s->planned_through[0] && (s->next_due_ms == 0 || s->next_due_ms > s->now_ms);
		wire_free(s ? &s->base : NULL);
		if (done)
			return 0;
		h_sleep_ms(20);
	}
	return -1;
}

/* rem_wait: the reminder as the scheduler holds it, once it exists (events arrive async). */
static Aedesk__Reminder *rem_wait(harness *h, const char *id, int want_cancelled)
{
	for (int i = 0; i < 150; i++) {
		Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
		q.fired = 1;
		Aedesk__SchedulerRemindersReply *r = NULL;
		Aedesk__Reminder *found = NULL;
		(void)h;
		if (h_call(&adm, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&r) == 0)
			for (size_t j = 0; r && j < r->n_reminders; j++)
				if (strcmp(r->reminders[j]->id, id) == 0 && (!want_cancelled || r->reminders[j]->cancelled)) {
					found = r->reminders[j];
					r->reminders[j] = r->reminders[--r->n_reminders];
					break;
				}
		wire_free(r ? &r->base : NULL);
		if (found)
			return found;
		h_sleep_ms(20);
	}
	fprintf(stderr, "    no reminder %s%s\n", id, want_cancelled ? " (cancelled)" : "");
	return NULL;
}

static long long due_of(harness *h, const char *id)
{
	Aedesk__Reminder *r = rem_wait(h, id, 0);
	long long d = r ? r->due_ms : 0;
	wire_free(r ? &r->base : NULL);
	return d;
}

static int cancelled(harness *h, const char *id, const char *why)
{
	Aedesk__Reminder *r = rem_wait(h, id, 1);
	int ok = r && r->cancelled && !r->fired && strcmp(r->cancel_why, why) == 0;
	wire_free(r ? &r->base : NULL);
	return ok;
}

/* got: the text of staff's notification of reminder rem ("" if none). */
static int got(harness *h, const char *staff, const char *rem, char *text, size_t len)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	q.limit = 1000;
	Aedesk__InboxListReply *r = NULL;
	int n = 0;
	text[0] = 0;
	(void)h;
	if (h_call(&adm, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) == 0)
		for (size_t i = 0; r && i < r->n_notifications; i++)
			if (strcmp(r->notifications[i]->reminder_id, rem) == 0) {
				n++;
				snprintf(text, len, "%s", r->notifications[i]->text);
			}
	wire_free(r ? &r->base : NULL);
	return n;
}

/* at: move the scheduler's clock to t and let it fire what is due. */
static void at(harness *h, long long t)
{
	CHECK(clock_set(h, t) == 0);
	CHECK(settle(h) == 0);
}

static void day_in(int days, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static void write_file(harness *h, const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", h->home, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

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
	adm = h;
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""}, {"zhou.prod", "周制作", "production", ""},
	    {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
	as(&h, "sun.ae");
	OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	h_sleep_ms(300);
	char brief[400], due[16], d5[16], d10[16], strategy[400];
	write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	write_file(&h, "strategy.md", "情感诉求，团圆。\n", strategy, sizeof strategy);
	OK(&h, "strategy", "set", "C000001", "--file", strategy);
	day_in(40, due, sizeof due);
	day_in(5, d5, sizeof d5);
	day_in(10, d10, sizeof d10);
	long long t0 = now_ms();

	/* R-DEADLINE-1: the forecast stage from JobOpened; entering the brief stage cancels it. */
	OK(&h, "job", "open", "C000001", "--title", "春节报纸广告", "--kind", "print", "--due", due, "--brief", brief);
	CHECK(due_of(&h, "stage/J000001/1/owner") > 0);
	CHECK(due_of(&h, "stage/J000001/1/am") > 0);
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "sun.ae");
	OK(&h, "job", "advance", "J000001", "--due", d5);
	/* (the forecast's owner reminder may have fired already: its due is days away at most) */
	CHECK(cancelled(&h, "stage/J000001/1/am", "stage left"));
	long long own = due_of(&h, "stage/J000001/2/owner"), late = due_of(&h, "stage/J000001/2/am");
	CHECK(own > t0 && late > own);
	at(&h, own + 60000);
	CHECK_INT(got(&h, "sun.ae", "stage/J000001/2/owner", text, sizeof text), 1);
	CHECK(h_contains(text, "简报") && h_contains(text, "到期"));
	CHECK_INT(got(&h, "qian.am", "stage/J000001/2/am", text, sizeof text), 0); /* not late yet */
	at(&h, late + 60000);
	CHECK_INT(got(&h, "qian.am", "stage/J000001/2/am", text, sizeof text), 1);
	CHECK(h_contains(text, "已逾期") && h_contains(text, "sun.ae"));
	at(&h, now_ms());

	/* On to the estimate stage (number, sketch, rights, the client's sign-off). */
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001");
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "zhao.ad");
	OK(&h, "job", "advance", "J000001");
	as(&h, "wu.cd");
	OK(&h, "job", "sign", "J000001");
	as(&h, "zhao.ad");
	OK(&h, "job", "sign", "J000001", "--as", "am");
	as(&h, "sun.ae");
	OK(&h, "job", "rights", "J000001", "--image", "cleared", "--model", "n/a", "--music", "n/a");
	OK(&h, "job", "sign", "J000001", "--client", "王经理");
	OK(&h, "job", "advance", "J000001");

	/* R-ESTIMATE-1: E000001 stays unconfirmed, E000002 is confirmed. */
	as(&h, "zhou.prod");
	OK(&h, "estimate", "add", "J000001", "--line", "设计费|1|12,000");
	OK(&h, "estimate", "add", "J000001", "--line", "摄影费|1|8,000");
	as(&h, "zhao.ad");
	OK(&h, "estimate", "sign", "E000001");
	OK(&h, "estimate", "sign", "E000002");
	as(&h, "sun.ae");
	OK(&h, "estimate", "send", "E000001");
	OK(&h, "estimate", "send", "E000002");
	long long sent = now_ms();
	long long eae = due_of(&h, "est/E000001/ae"), eam = due_of(&h, "est/E000001/am");
	CHECK(due_of(&h, "est/E000002/ae") > 0);
	OK(&h, "estimate", "confirm", "E000002", "--client-name", "王经理");
	CHECK(cancelled(&h, "est/E000002/ae", "confirmed"));
	CHECK(cancelled(&h, "est/E000002/am", "confirmed"));
	/* before the week is out, in working hours; the AM once the week has passed */
	CHECK(eae > sent + 4 * 86400000LL && eae < sent + 7 * 86400000LL);
	CHECK(eam >= sent + 7 * 86400000LL - 60000 && eam < sent + 11 * 86400000LL);
	at(&h, eae + 60000);
	CHECK_INT(got(&h, "sun.ae", "est/E000001/ae", text, sizeof text), 1);
	CHECK(h_contains(text, "E000001") && h_contains(text, "尚未经客户确认"));
	CHECK_INT(got(&h, "qian.am", "est/E000001/am", text, sizeof text), 0);
	at(&h, eam + 60000);
	CHECK_INT(got(&h, "qian.am", "est/E000001/am", text, sizeof text), 1);
	CHECK(h_contains(text, "E000001") && h_contains(text, "仍未确认") && h_contains(text, "sun.ae"));
	CHECK_INT(got(&h, "sun.ae", "est/E000002/ae", text, sizeof text), 0);
	CHECK_INT(got(&h, "qian.am", "est/E000002/am", text, sizeof text), 0);
	at(&h, now_ms());

	/* R-PAY-1: I000001 partly paid (still chased), I000002 paid in full (nothing more). */
	as(&h, "zheng.fin");
	OK(&h, "invoice", "add", "J000001", "--amount", "15,000", "--due", d10);
	OK(&h, "invoice", "add", "J000001", "--amount", "8,000", "--due", d10);
	long long pae = due_of(&h, "pay/I000001/ae"), pover = due_of(&h, "pay/I000001/overdue-ae");
	CHECK(due_of(&h, "pay/I000001/overdue-finance") == pover);
	CHECK(due_of(&h, "pay/I000002/ae") > 0);
	OK(&h, "payment", "add", "I000001", "--amount", "5,000");
	OK(&h, "payment", "add", "I000002", "--amount", "8,000");
	CHECK(cancelled(&h, "pay/I000002/ae", "paid"));
	CHECK(cancelled(&h, "pay/I000002/overdue-ae", "paid"));
	CHECK(cancelled(&h, "pay/I000002/overdue-finance", "paid"));
	CHECK(pae > now_ms() + 5 * 86400000LL && pover > pae + 2 * 86400000LL);
	at(&h, pae + 60000);
	CHECK_INT(got(&h, "sun.ae", "pay/I000001/ae", text, sizeof text), 1);
	CHECK(h_contains(text, "I000001") && h_contains(text, "提醒客户付款") && h_contains(text, d10));
	CHECK_INT(got(&h, "zheng.fin", "pay/I000001/overdue-finance", text, sizeof text), 0);
	at(&h, pover + 60000);
	CHECK_INT(got(&h, "sun.ae", "pay/I000001/overdue-ae", text, sizeof text), 1);
	CHECK(h_contains(text, "逾期") && h_contains(text, "催收"));
	CHECK_INT(got(&h, "zheng.fin", "pay/I000001/overdue-finance", text, sizeof text), 1);
	CHECK_INT(got(&h, "sun.ae", "pay/I000002/ae", text, sizeof text), 0);
	CHECK_INT(got(&h, "zheng.fin", "pay/I000002/overdue-finance", text, sizeof text), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_R_DEADLINE_1_R_ESTIMATE_1_R_PAY_1_reminders_from_the_job_tracker);
	return check_summary();
}
