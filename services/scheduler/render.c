/*
 * NAME
 *	render.c - what a notification says, in Chinese or English
 *
 * DESCRIPTION
 *	Each kind of reminder says what to do and about what, naming the object and its id
 *	(客户 华夏食品（C000001）). The text is made when the reminder fires, from the
 *	scheduler's projection at that moment (a renamed client shows its new name). A rule
 *	whose condition no longer holds (the visits were made, the contact was erased) says
 *	so by returning 1: the reminder lapses without a notification.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"
#include "wire.h"

static const char *arg(const Aedesk__Reminder *rem, size_t i)
{
	return i < rem->n_args ? rem->args[i] : "";
}

static const char *stage_name(int st, int en)
{
	static const char *zh[] = {"", "预报", "简报", "草图", "估价单", "完稿", "创意执行", "制作", "结束卡号"};
	static const char *eng[] = {"", "forecast", "brief", "sketch", "estimate", "final art", "execution",
	    "production", "closed"};
	if (st < 0 || st > 8)
		st = 0;
	return en ? eng[st] : zh[st];
}

int sched_render(MDB_txn *txn, const Aedesk__Reminder *rem, const char *lang, char *buf, size_t len)
{
	int en = strcmp(lang, "en") == 0, ret = 0;
	Aedesk__Client *cl = sched_client(txn, rem->client_id);
	const char *cname = cl ? cl->name : rem->client_id;
	const char *k = rem->kind;
	if (strcmp(k, "alert_raised") == 0)
		snprintf(buf, len, en ? "Service aedesk-%s needs attention (%s): %s. Check `aedesk status` and its log."
		                      : "服务 aedesk-%s 出现告警（%s）：%s。请查看 aedesk status 和该服务的日志。",
		    rem->object_id, arg(rem, 0), arg(rem, 1));
	else if (strcmp(k, "alert_cleared") == 0)
		snprintf(buf, len, en ? "Service aedesk-%s has recovered (%s): %s."
		                      : "服务 aedesk-%s 已恢复（%s）：%s。",
		    rem->object_id, arg(rem, 0), arg(rem, 1));
	else if (strcmp(k, "team") == 0)
		snprintf(buf, len, en ? "Team meeting today (%s) at %s: be there on time."
		                      : "今天（%s）%s 团队例会，请准时参加。",
		    arg(rem, 0), arg(rem, 1));
	else if (strcmp(k, "greet") == 0)
		snprintf(buf, len, en ? "%s today (%s): greet client %s (%s)."
		                      : "今天是%s（%s）：请问候客户 %s（%s）。",
		    arg(rem, en ? 1 : 0), arg(rem, 2), cname, rem->client_id);
	else if (strcmp(k, "gift") == 0)
		snprintf(buf, len, en ? "%s is on %s: buy and send a gift for client %s (%s)."
		                      : "%s（%s）将至：请为客户 %s（%s）准备并送出礼品。",
		    arg(rem, en ? 1 : 0), arg(rem, 2), cname, rem->client_id);
	else if (strcmp(k, "bday") == 0 || strcmp(k, "bday_gift") == 0) {
		Aedesk__Contact *ct = NULL;
		if (sched_get(txn, sched.contacts, rem->object_id, &aedesk__contact__descriptor,
			(ProtobufCMessage **)&ct) != 0 || ct->erased) {
			ret = 1; /* erased (R-PRIVACY-1): nothing is said about them any more */
		} else {
			int lunar = strcmp(arg(rem, 1), "lunar") == 0, gift = strcmp(k, "bday_gift") == 0;
			if (en && gift)
				snprintf(buf, len, "%s (%s) of client %s (%s) has a %sbirthday on %s: prepare a gift.",
				    ct->name, ct->id, cname, rem->client_id, lunar ? "lunar " : "", arg(rem, 0));
			else if (en)
				snprintf(buf, len, "Today (%s) is the %sbirthday of %s (%s) of client %s (%s): send greetings.",
				    arg(rem, 0), lunar ? "lunar " : "", ct->name, ct->id, cname, rem->client_id);
			else if (gift)
				snprintf(buf, len, "客户 %s（%s）的联系人 %s（%s）%s生日在 %s：请准备礼品。", cname,
				    rem->client_id, ct->name, ct->id, lunar ? "农历" : "", arg(rem, 0));
			else
				snprintf(buf, len, "今天（%s）是客户 %s（%s）的联系人 %s（%s）的%s生日：请致以问候。",
				    arg(rem, 0), cname, rem->client_id, ct->name, ct->id, lunar ? "农历" : "");
		}
		wire_free(ct ? &ct->base : NULL);
	} else if (strcmp(k, "visit_mid") == 0 || strcmp(k, "visit_miss") == 0) {
		int yw = atoi(arg(rem, 0)) * 100 + atoi(arg(rem, 0) + 6);
		uint32_t need = cl ? sched_visit_required(txn, cl, yw, NULL) : 0;
		uint32_t done = sched_visit_done(txn, rem->client_id, yw);
		if (done >= need)
			ret = 1;
		else if (strcmp(k, "visit_mid") == 0 && en)
			snprintf(buf, len, "Client %s (%s) has had %u of %u face visits this week (%s): plan a visit before the week is out.",
			    cname, rem->client_id, done, need, arg(rem, 0));
		else if (strcmp(k, "visit_mid") == 0)
			snprintf(buf, len, "客户 %s（%s）本周（%s）面访 %u/%u 次，尚未达标：请在本周内安排拜访。", cname,
			    rem->client_id, arg(rem, 0), done, need);
		else
			snprintf(buf, len, en ? "Client %s (%s) missed its face visits in %s: %u of %u (AE %s)."
			                      : "客户 %s（%s）%s 面访未达标：%u/%u 次（AE %s）。",
			    cname, rem->client_id, arg(rem, 0), done, need, cl ? cl->ae : "");
	} else if (strcmp(k, "est_ae") == 0)
		snprintf(buf, len, en ? "Estimate %s (job %s, client %s) is not yet confirmed by the client; due %s: follow up."
		                      : "估价单 %s（工作单 %s，客户 %s）尚未经客户确认，确认期限 %s：请跟进。",
		    rem->object_id, arg(rem, 0), cname, arg(rem, 1));
	else if (strcmp(k, "est_am") == 0)
		snprintf(buf, len, en ? "Estimate %s (job %s, client %s) lapsed unconfirmed on %s (AE %s)."
		                      : "估价单 %s（工作单 %s，客户 %s）已过确认期限 %s 仍未确认（AE %s）。",
		    rem->object_id, arg(rem, 0), cname, arg(rem, 1), arg(rem, 2));
	else if (strcmp(k, "stage_due") == 0)
		snprintf(buf, len, en ? "Job %s (client %s): stage %s is due %s."
		                      : "工作单 %s（客户 %s）：%s阶段将于 %s 到期。",
		    arg(rem, 0), cname, stage_name(atoi(arg(rem, 1)), en), arg(rem, 2));
	else if (strcmp(k, "stage_late") == 0)
		snprintf(buf, len, en ? "Job %s (client %s): stage %s is late (due %s, owner %s)."
		                      : "工作单 %s（客户 %s）：%s阶段已逾期（期限 %s，负责人 %s）。",
		    arg(rem, 0), cname, stage_name(atoi(arg(rem, 1)), en), arg(rem, 2), arg(rem, 3));
	else if (strcmp(k, "pay_due") == 0)
		snprintf(buf, len, en ? "Invoice %s (client %s, %s yuan) is due %s: remind the client."
		                      : "发票 %s（客户 %s，%s 元）将于 %s 到期：请提醒客户付款。",
		    rem->object_id, cname, arg(rem, 0), arg(rem, 1));
	else if (strcmp(k, "pay_overdue") == 0)
		snprintf(buf, len, en ? "Invoice %s (client %s, %s yuan) is overdue since %s: chase the payment."
		                      : "发票 %s（客户 %s，%s 元）已于 %s 逾期：请催收。",
		    rem->object_id, cname, arg(rem, 0), arg(rem, 1));
	else if (strcmp(k, "meeting_prep") == 0)
		snprintf(buf, len, en ? "Meeting %s \"%s\" with client %s at %s (room %s): prepare the room, equipment and materials now."
		                      : "会议 %s“%s”（客户 %s）将于 %s 在 %s 召开：请现在准备会议室、器材和资料。",
		    rem->object_id, arg(rem, 0), cname, arg(rem, 1), arg(rem, 2)[0] ? arg(rem, 2) : (en ? "not set" : "未定"));
	else if (strcmp(k, "meeting_minutes") == 0)
		snprintf(buf, len, en ? "Meeting %s \"%s\" with client %s (%s) has no minutes filed yet: file them (aedesk meeting minutes %s)."
		                      : "会议 %s“%s”（客户 %s，%s）尚未提交会议纪要：请提交（aedesk meeting minutes %s）。",
		    rem->object_id, arg(rem, 0), cname, arg(rem, 1), rem->object_id);
	else if (strcmp(k, "feedback_ask") == 0)
		snprintf(buf, len, en ? "The ad of job %s (client %s) runs from today (%s) on %s, %s: ask the client how it performs."
		                      : "工作单 %s（客户 %s）的广告今天（%s）起在 %s %s 投放：请向客户了解投放效果。",
		    arg(rem, 0), cname, arg(rem, 3), arg(rem, 1), arg(rem, 2));
	else if (strcmp(k, "feedback_report") == 0 && en)
		snprintf(buf, len, "Flight phase %s of job %s (client %s, %s to %s) ends: send the execution feedback report (aedesk feedback add).",
		    rem->object_id, arg(rem, 0), cname, arg(rem, 1), arg(rem, 2));
	else if (strcmp(k, "feedback_report") == 0)
		snprintf(buf, len, "工作单 %s（客户 %s）的投放期 %s（%s 至 %s）结束：请提交广告执行反馈书（aedesk feedback add）。",
		    arg(rem, 0), cname, rem->object_id, arg(rem, 1), arg(rem, 2));
	else if (strcmp(k, "prospect_mid") == 0) {
		Aedesk__Prospect *p = NULL;
		int yw = atoi(arg(rem, 0)) * 100 + atoi(arg(rem, 0) + 6);
		uint32_t need = sched_prospect_required(yw), done = sched_prospect_done(txn, rem->object_id, yw);
		if (sched_get(txn, sched.prospects, rem->object_id, &aedesk__prospect__descriptor, (ProtobufCMessage **)&p) != 0 ||
		    p->intent != AEDESK__PROSPECT_INTENT__INTENT_CONFIRMED || p->stage >= AEDESK__PROSPECT_STAGE__PROSPECT_WON ||
		    done >= need)
			ret = 1;
		else if (en)
			snprintf(buf, len, "Prospect %s (%s), intent confirmed, has had %u of %u contacts this week (%s): contact them before the week is out.",
			    p->name, p->id, done, need, arg(rem, 0));
		else
			snprintf(buf, len, "意向客户 %s（%s，已确认意向）本周（%s）联系 %u/%u 次，尚未达标：请在本周内联系。",
			    p->name, p->id, arg(rem, 0), done, need);
		wire_free(p ? &p->base : NULL);
	} else if (strcmp(k, "plan_week") == 0 || strcmp(k, "plan_month") == 0) {
		int week = strcmp(k, "plan_week") == 0;
		if (sched_plan_in(txn, week ? "week" : "month", arg(rem, 0), rem->to))
			ret = 1; /* handed in already */
		else if (week)
			snprintf(buf, len, en ? "Hand in your work plan for this week (%s): aedesk plan submit --week %s --file FILE."
			                      : "请提交本周（%s）工作计划：aedesk plan submit --week %s --file 文件。",
			    arg(rem, 0), arg(rem, 0));
		else
			snprintf(buf, len, en ? "Hand in your monthly summary for %s: aedesk plan submit --month %s --file FILE."
			                      : "请提交 %s 月度总结：aedesk plan submit --month %s --file 文件。",
			    arg(rem, 0), arg(rem, 0));
	} else
		snprintf(buf, len, en ? "Reminder %s (%s) about %s %s." : "提醒 %s（%s）：%s %s。", rem->id, rem->rule,
		    rem->object_type, rem->object_id);
	wire_free(cl ? &cl->base : NULL);
	return ret;
}
