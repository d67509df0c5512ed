/*
 * NAME
 *	flights.c - media flights (投放) and the ad execution feedback report (广告执行反馈书)
 *
 * DESCRIPTION
 *	A flight is one phase of a job's media run: its placements, each a medium, a
 *	slot (版面 / 时段) and first and last days. The AE plans it once the job has a
 *	number; FlightPlanned carries every placement's dates so the scheduler can ask
 *	the client how the ad performs on each first day (R-FEEDBACK-1) and tell the AE
 *	to send the feedback report at the phase's end (R-FEEDBACK-2).
 *
 *	The feedback report has the handbook's six sections (标准客户广告执行反馈书):
 *	一 placement list; 二 sales and inquiry calls during the flight; 三 competitor
 *	analysis; 四 problems; 五 on-ground promotion; 六 next plan and suggestions. All six
 *	are required (the refusal names the missing ones), and a report needs a flight
 *	to report on. A job may have many of each (one report per phase).
 *
 *	Events: FlightPlanned, FeedbackFiled.
 *
 * SECURITY
 *	Flights and reports are filed by those who may drive the job (its AE, team,
 *	their AM, an AD); anyone who sees the job sees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "validate.h"
#include "wire.h"

#define PLACEMENTS_MAX 100

static int flight_add(svc_req *r, Aedesk__Job *j, const Aedesk__FlightAddRequest *q)
{
	if (!jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "投放计划由服务该客户的 AE（或其 AM、客户总监）登记",
		    "a flight is planned by the AE serving the client (or their AM, an AD)");
	if (!j->number[0])
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "工作单 %s 还没有工作单号（简报须经客户总监和创意总监签字），不能排期投放",
		    "job %s has no job number yet (the brief is signed by AD and CD first); no flight before that", j->id);
	if (!q->n_placements || q->n_placements > PLACEMENTS_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须给出 1 至 %d 个投放（--placement）",
		    "give 1 to %d placements (--placement)", PLACEMENTS_MAX);
	int64_t start = INT64_MAX, end = 0;
	for (size_t i = 0; i < q->n_placements; i++) {
		const Aedesk__FlightPlacement *p = q->placements[i];
		if (validate_name(p->media, 200, NULL) || validate_name(p->slot, 200, NULL))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 个投放：媒体和版面/时段都须填写（各不超过 200 字节）",
			    "placement %zu: the medium and the slot are both required (at most 200 bytes each)", i + 1);
		if (p->start_ms <= 0 || p->end_ms < p->start_ms || p->end_ms - p->start_ms > 366 * JOBS_DAY_MS)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "第 %zu 个投放：结束日期不能早于开始日期，且不超过一年", "placement %zu: the end may not be before the "
			    "start, nor more than a year after it", i + 1);
		if (p->end_ms < r->now_ms - 366 * JOBS_DAY_MS)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 个投放早已结束", "placement %zu ended long ago",
			    i + 1);
		if (p->start_ms < start)
			start = p->start_ms;
		if (p->end_ms > end)
			end = p->end_ms;
	}
	char id[16], from[16], to[16];
	if (jobs_next_id(r, "flight", 'F', id, sizeof id))
		return -1;
	Aedesk__Flight f = AEDESK__FLIGHT__INIT;
	f.id = id;
	f.job_id = j->id;
	f.job_number = j->number;
	f.client_id = j->client_id;
	f.owner = j->owner;
	f.n_placements = q->n_placements;
	f.placements = q->placements;
	f.start_ms = start;
	f.end_ms = end;
	f.planned_by = (char *)r->caller->id;
	f.planned_ms = r->now_ms;
	jobs_format_day(start, from, sizeof from);
	jobs_format_day(end, to, sizeof to);
	if (jobs_push_str(&j->flight_ids, &j->n_flight_ids, id) ||
	    jobs_history(j, r, "flight", "%s %zu placements %s..%s", id, q->n_placements, from, to))
		return jobs_oom(r);
	char am[64];
	jobs_manager_of(r->txn, j->owner, am, sizeof am);
	Aedesk__FlightPlanned ev = AEDESK__FLIGHT_PLANNED__INIT;
	ev.flight = &f;
	ev.am = am;
	if (jobs_put_msg(r, jobs.flights, id, &f.base) || jobs_save(r, j) || svc_emit(r, &ev.base))
		return -1;
	Aedesk__FlightReply rep = AEDESK__FLIGHT_REPLY__INIT;
	rep.flight = &f;
	return svc_reply(r, &rep.base);
}

int jobs_flight_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__FlightAddRequest *q = (const Aedesk__FlightAddRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = flight_add(r, j, q);
	wire_free(&j->base);
	return rc;
}

/* The report's sections, in the handbook's order, for the "missing" list. */
#define FEEDBACK_SECTIONS(X)                                                        \
	X(placements, "广告发布清单") X(sales, "销售与咨询电话反馈")                    \
	X(competitors, "竞争产品分析") X(problems, "执行中的问题")                      \
	X(promotion, "地面促销") X(next_plan, "下步计划及建议")

static int feedback_add(svc_req *r, Aedesk__Job *j, const Aedesk__FeedbackAddRequest *q)
{
	const Aedesk__FeedbackReport *in = q->report;
	if (!jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "执行反馈书由服务该客户的 AE（或其 AM、客户总监）提交",
		    "the feedback report is filed by the AE serving the client (or their AM, an AD)");
	if (!j->n_flight_ids)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "工作单 %s 还没有投放计划，无可反馈（先 aedesk flight add %s --placement ...）",
		    "job %s has no flight to report on (aedesk flight add %s --placement ... first)", j->id, j->id);
	if (!in)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须给出反馈书（--file）", "the report is required (--file)");
	char missing[512] = "";
	size_t o = 0;
	const char *sep = jobs_en(r) ? ", " : "、";
#define SECTION_MISSING(f, zh)                                                                     \
	if (jobs_blank(in->f) && o < sizeof missing)                                                   \
		o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s", o ? sep : "", jobs_en(r) ? #f : zh);
	FEEDBACK_SECTIONS(SECTION_MISSING)
#undef SECTION_MISSING
	if (o)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "广告执行反馈书须有六部分，缺少：%s", "the execution feedback report has six sections; missing: %s", missing);
#define SECTION_LONG(f, zh)                                                                        \
	if (strlen(in->f) > JOBS_TEXT_MAX)                                                             \
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "反馈书的“%s”超过 %d 字节",          \
		    "the report's %s is longer than %d bytes", jobs_en(r) ? #f : zh, JOBS_TEXT_MAX);
	FEEDBACK_SECTIONS(SECTION_LONG)
#undef SECTION_LONG
	char id[16];
	if (jobs_next_id(r, "feedback", 'K', id, sizeof id))
		return -1;
	Aedesk__FeedbackReport rep = *in;
	rep.id = id;
	rep.job_id = j->id;
	rep.job_number = j->number;
	rep.client_id = j->client_id;
	rep.filed_by = (char *)r->caller->id;
	rep.filed_ms = r->now_ms;
	if (jobs_push_str(&j->feedback_ids, &j->n_feedback_ids, id) || jobs_history(j, r, "feedback", "%s filed", id))
		return jobs_oom(r);
	char am[64];
	jobs_manager_of(r->txn, j->owner, am, sizeof am);
	Aedesk__FeedbackFiled ev = AEDESK__FEEDBACK_FILED__INIT;
	ev.report = &rep;
	ev.owner = j->owner;
	ev.am = am;
	if (jobs_put_msg(r, jobs.feedback, id, &rep.base) || jobs_save(r, j) || svc_emit(r, &ev.base))
		return -1;
	Aedesk__FeedbackReport *one = &rep;
	Aedesk__FeedbackReply out = AEDESK__FEEDBACK_REPLY__INIT;
	out.n_reports = 1;
	out.reports = &one;
	return svc_reply(r, &out.base);
}

int jobs_feedback_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__FeedbackAddRequest *q = (const Aedesk__FeedbackAddRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	int rc = feedback_add(r, j, q);
	wire_free(&j->base);
	return rc;
}

int jobs_feedback_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__FeedbackGetRequest *q = (const Aedesk__FeedbackGetRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->job_id, &j))
		return -1;
	Aedesk__FeedbackReport **reps = calloc(j->n_feedback_ids + 1, sizeof *reps);
	Aedesk__Flight **fl = calloc(j->n_flight_ids + 1, sizeof *fl);
	size_t nr = 0, nf = 0;
	int rc;
	if (!reps || !fl) {
		rc = jobs_oom(r);
		goto out;
	}
	for (size_t i = 0; i < j->n_feedback_ids; i++)
		if (jobs_get_msg(r, jobs.feedback, j->feedback_ids[i], &aedesk__feedback_report__descriptor,
			(ProtobufCMessage **)&reps[nr]) == 0)
			nr++;
	for (size_t i = 0; i < j->n_flight_ids; i++)
		if (jobs_get_msg(r, jobs.flights, j->flight_ids[i], &aedesk__flight__descriptor,
			(ProtobufCMessage **)&fl[nf]) == 0)
			nf++;
	Aedesk__FeedbackReply rep = AEDESK__FEEDBACK_REPLY__INIT;
	rep.n_reports = nr;
	rep.reports = reps;
	rep.n_flights = nf;
	rep.flights = fl;
	rc = svc_reply(r, &rep.base);
out:
	for (size_t i = 0; i < nr; i++)
		wire_free(&reps[i]->base);
	for (size_t i = 0; i < nf; i++)
		wire_free(&fl[i]->base);
	free(reps);
	free(fl);
	wire_free(&j->base);
	return rc;
}
