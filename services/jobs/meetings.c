/*
 * NAME
 *	meetings.c - client meetings (会议), their minutes (会议纪要) and action items
 *
 * DESCRIPTION
 *	The handbook's meeting: the AE fixes the date, books the room and equipment,
 *	confirms who comes from the client with their titles and the agenda, and has the
 *	materials ready (last minutes, the brief, previous work, competitors' work). Each
 *	meeting is kept within 60 minutes (每次会议应控制在60分钟内): a meeting of more
 *	than 60 minutes is refused, not warned about, because the rule is the agency's
 *	and a warning nobody reads keeps no meeting short; split a longer session in two.
 *	A meeting may be recorded up to 7 days after it started (held at short notice);
 *	otherwise it starts in the future.
 *
 *	After the meeting its organiser files the minutes once: a summary, the
 *	conclusions and the next steps (要有会议结论及下一步行动方向), so at least one
 *	conclusion and one action item, each action with an owner (staff id) and a due
 *	date. Each action becomes an item of its own that its owner marks done.
 *	A meeting with minutes can no longer be moved or cancelled; a cancelled one can
 *	get no minutes.
 *
 *	Events: MeetingScheduled, MeetingMoved (old and new times: the scheduler moves its
 *	R-MEETING-1 reminder), MeetingCancelled, MinutesFiled (R-MEETING-2 is satisfied),
 *	ActionItemAdded, ActionItemDone. Times are UTC ms.
 *
 * SECURITY
 *	Meetings are arranged by an AE, AM or AD serving the client. A meeting is seen by
 *	its organiser, those serving its client, AD and admin; an action item also by its
 *	owner. Moving, cancelling and filing minutes: the organiser, or an AM or AD
 *	serving the client. Marking an action done: its owner or the meeting's organiser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "validate.h"
#include "wire.h"

#define MEETING_MAX_MINUTES 60
#define MEETING_LATE_MS (7 * JOBS_DAY_MS)     /* how long after its start a meeting may be recorded */
#define MEETING_AHEAD_MS (366 * JOBS_DAY_MS)  /* how far ahead one may be scheduled */
#define ATTENDEES_MAX 50
#define MATERIALS_MAX 20
#define ITEMS_MAX 50                          /* conclusions, actions */
#define LIST_MAX 2000

static int meeting_load(svc_req *r, const char *id, Aedesk__Meeting **out);

static int meeting_visible(svc_req *r, const Aedesk__Meeting *m)
{
	return jobs_client_allows(r, PERM_MEETING_READ, m->client_id, m->organiser);
}

/* may_manage: job.drive on the organiser, or (team scope and up) on the client. */
static int may_manage(svc_req *r, const Aedesk__Meeting *m)
{
	return perm_allows(r, PERM_JOB_DRIVE, m->organiser) ||
	    (perm_scope(r->caller->roles, PERM_JOB_DRIVE) >= PERM_TEAM &&
		jobs_client_allows(r, PERM_JOB_DRIVE, m->client_id, NULL));
}

static int refuse_length(svc_req *r, uint32_t minutes)
{
	return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
	    "会议应控制在 %d 分钟内（手册：每次会议应控制在60分钟内），不能排 %u 分钟；请分成两次",
	    "meetings are kept within %d minutes (the handbook's rule); %u minutes is refused: split it in two",
	    MEETING_MAX_MINUTES, minutes);
}

static int check_start(svc_req *r, int64_t start_ms)
{
	if (start_ms < r->now_ms - MEETING_LATE_MS || start_ms > r->now_ms + MEETING_AHEAD_MS)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "会议时间须在一年之内（已开过的会议最多补记 7 天内的）（--at）",
		    "the meeting's time must be within a year (a meeting already held: at most 7 days ago) (--at)");
	return 0;
}

static int check_attendee(svc_req *r, const Aedesk__MeetingAttendee *a, size_t i)
{
	if (validate_name(a->name, 100, NULL) || strlen(a->title) > 100 ||
	    (strcmp(a->side, "agency") != 0 && strcmp(a->side, "client") != 0))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "第 %zu 位参会人无效：须为“姓名|职务|agency 或 client”", "attendee %zu is not valid: "
		    "\"NAME|TITLE|agency or client\"", i + 1);
	return 0;
}

static int meeting_reply(svc_req *r, Aedesk__Meeting *m)
{
	Aedesk__ActionItem **acts = calloc(m->n_action_ids + 1, sizeof *acts);
	size_t n = 0;
	if (!acts)
		return jobs_oom(r);
	for (size_t i = 0; i < m->n_action_ids; i++)
		if (jobs_get_msg(r, jobs.actions, m->action_ids[i], &aedesk__action_item__descriptor,
			(ProtobufCMessage **)&acts[n]) == 0)
			n++;
	Aedesk__MeetingReply rep = AEDESK__MEETING_REPLY__INIT;
	rep.meeting = m;
	rep.n_actions = n;
	rep.actions = acts;
	int rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&acts[i]->base);
	free(acts);
	return rc;
}

static int meeting_add(svc_req *r, const Aedesk__MeetingAddRequest *q, const Aedesk__Client *c)
{
	uint32_t minutes = q->minutes ? q->minutes : MEETING_MAX_MINUTES;
	if (validate_name(q->title, 200, NULL))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "会议议题无效（--title，非空，不超过 200 字节）",
		    "the meeting's title is not valid (--title, non-empty, at most 200 bytes)");
	if (check_start(r, q->start_ms))
		return -1;
	if (minutes > MEETING_MAX_MINUTES)
		return refuse_length(r, minutes);
	if (!q->n_attendees || q->n_attendees > ATTENDEES_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "须列出参会人（--attendee \"姓名|职务|agency/client\"，至多 %d 位）",
		    "list the attendees (--attendee \"NAME|TITLE|agency/client\", at most %d)", ATTENDEES_MAX);
	for (size_t i = 0; i < q->n_attendees; i++)
		if (check_attendee(r, q->attendees[i], i))
			return -1;
	if (q->n_materials > MATERIALS_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "资料至多 %d 项", "at most %d materials", MATERIALS_MAX);
	for (size_t i = 0; i < q->n_materials; i++)
		if (!jobs_text_ok(q->materials[i], 500))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 项资料无效（非空，不超过 500 字节）",
			    "material %zu is not valid (non-empty, at most 500 bytes)", i + 1);
	if (strlen(q->room) > 200 || strlen(q->equipment) > 500 || strlen(q->agenda) > JOBS_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "会议室、器材或议程过长",
		    "the room, equipment or agenda is too long");
	if (q->job_id[0]) {
		Aedesk__Job *j;
		if (jobs_load(r, q->job_id, &j))
			return -1;
		int other = strcmp(j->client_id, c->id) != 0;
		wire_free(&j->base);
		if (other)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "工作单 %s 不是客户 %s 的",
			    "job %s is not client %s's", q->job_id, c->id);
	}
	char id[16];
	if (jobs_next_id(r, "meeting", 'M', id, sizeof id))
		return -1;
	Aedesk__Meeting m = AEDESK__MEETING__INIT;
	m.id = id;
	m.client_id = c->id;
	m.client_name = c->name;
	m.job_id = q->job_id;
	m.title = q->title;
	m.organiser = (char *)r->caller->id;
	m.start_ms = q->start_ms;
	m.end_ms = q->start_ms + (int64_t)minutes * 60000;
	m.n_attendees = q->n_attendees;
	m.attendees = q->attendees;
	m.room = q->room;
	m.equipment = q->equipment;
	m.agenda = q->agenda;
	m.n_materials = q->n_materials;
	m.materials = q->materials;
	m.created_ms = r->now_ms;
	m.created_by = (char *)r->caller->id;
	Aedesk__MeetingScheduled ev = AEDESK__MEETING_SCHEDULED__INIT;
	ev.meeting_id = id;
	ev.organiser = m.organiser;
	ev.client_id = c->id;
	ev.job_id = q->job_id;
	ev.title = q->title;
	ev.start_ms = m.start_ms;
	ev.end_ms = m.end_ms;
	ev.room = q->room;
	if (jobs_put_msg(r, jobs.meetings, id, &m.base) || svc_emit(r, &ev.base))
		return -1;
	return meeting_reply(r, &m);
}

int jobs_meeting_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__MeetingAddRequest *q = (const Aedesk__MeetingAddRequest *)in;
	if (perm_check(r, PERM_JOB_DRIVE, NULL))
		return -1;
	Aedesk__Client *c;
	if (!q->client_id[0] || jobs_client_get(r->txn, q->client_id, &c) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	int rc = jobs_client_allows(r, PERM_JOB_DRIVE, c->id, NULL) ? meeting_add(r, q, c)
					       : svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_CLIENT_NOT_FOUND, q->client_id);
	wire_free(&c->base);
	return rc;
}

static int meeting_load(svc_req *r, const char *id, Aedesk__Meeting **out)
{
	Aedesk__Meeting *m;
	if (!id[0] || jobs_get_msg(r, jobs.meetings, id, &aedesk__meeting__descriptor, (ProtobufCMessage **)&m))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有会议“%s”（或不在您的负责范围）",
		    "no meeting '%s' (or not one of yours)", id);
	if (!meeting_visible(r, m)) {
		wire_free(&m->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有会议“%s”（或不在您的负责范围）",
		    "no meeting '%s' (or not one of yours)", id);
	}
	*out = m;
	return 0;
}

/* still_open: the meeting may be changed (not cancelled, no minutes), by the caller. */
static int still_open(svc_req *r, const Aedesk__Meeting *m, const char *what_zh, const char *what_en)
{
	if (!may_manage(r, m))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "只有会议组织者 %s（或服务该客户的 AM、客户总监）能%s",
		    "only the organiser %s (or an AM or AD serving the client) may %s", m->organiser,
		    jobs_en(r) ? what_en : what_zh);
	if (m->cancelled_ms)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "会议 %s 已取消", "meeting %s is cancelled", m->id);
	if (m->minutes_ms)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "会议 %s 已有会议纪要，已经开过",
		    "meeting %s has its minutes: it was held", m->id);
	return 0;
}

static int meeting_move(svc_req *r, Aedesk__Meeting *m, const Aedesk__MeetingMoveRequest *q)
{
	if (still_open(r, m, "改期", "move it"))
		return -1;
	uint32_t minutes = q->minutes ? q->minutes : (uint32_t)((m->end_ms - m->start_ms) / 60000);
	if (minutes > MEETING_MAX_MINUTES)
		return refuse_length(r, minutes);
	if (check_start(r, q->start_ms))
		return -1;
	int64_t end = q->start_ms + (int64_t)minutes * 60000;
	if (q->start_ms == m->start_ms && end == m->end_ms)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "新时间与原时间相同", "the new time is the old one");
	Aedesk__MeetingMoved ev = AEDESK__MEETING_MOVED__INIT;
	ev.meeting_id = m->id;
	ev.organiser = m->organiser;
	ev.client_id = m->client_id;
	ev.old_start_ms = m->start_ms;
	ev.old_end_ms = m->end_ms;
	ev.start_ms = q->start_ms;
	ev.end_ms = end;
	m->start_ms = q->start_ms;
	m->end_ms = end;
	m->moves++;
	if (jobs_put_msg(r, jobs.meetings, m->id, &m->base) || svc_emit(r, &ev.base))
		return -1;
	return meeting_reply(r, m);
}

static int meeting_cancel(svc_req *r, Aedesk__Meeting *m, const Aedesk__MeetingCancelRequest *q)
{
	if (still_open(r, m, "取消", "cancel it"))
		return -1;
	if (strlen(q->reason) > JOBS_TEXT_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "原因过长", "the reason is too long");
	m->cancelled_ms = r->now_ms;
	if (jobs_set_str(&m->cancelled_by, r->caller->id))
		return jobs_oom(r);
	Aedesk__MeetingCancelled ev = AEDESK__MEETING_CANCELLED__INIT;
	ev.meeting_id = m->id;
	ev.organiser = m->organiser;
	ev.client_id = m->client_id;
	ev.start_ms = m->start_ms;
	ev.reason = q->reason;
	if (jobs_put_msg(r, jobs.meetings, m->id, &m->base) || svc_emit(r, &ev.base))
		return -1;
	return meeting_reply(r, m);
}

static int minutes_file(svc_req *r, Aedesk__Meeting *m, const Aedesk__MinutesFileRequest *q)
{
	if (m->minutes_ms && may_manage(r, m))
		return svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "会议 %s 的会议纪要已由 %s 提交",
		    "meeting %s's minutes were filed already by %s", m->id, m->minutes_by);
	if (still_open(r, m, "提交会议纪要", "file its minutes"))
		return -1;
	if (m->start_ms > r->now_ms)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "会议 %s 还没开始，不能提交会议纪要",
		    "meeting %s has not started yet: no minutes before it", m->id);
	if (!q->n_conclusions || !q->n_actions)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "会议纪要须有会议结论及下一步行动（手册），缺少：%s", "minutes record the conclusions and the next "
		    "steps (the handbook); missing: %s", !q->n_conclusions && !q->n_actions
			? (jobs_en(r) ? "conclusions, action items" : "结论、行动事项")
			: !q->n_conclusions ? (jobs_en(r) ? "conclusions" : "结论") : (jobs_en(r) ? "action items" : "行动事项"));
	if (q->n_conclusions > ITEMS_MAX || q->n_actions > ITEMS_MAX || strlen(q->summary) > JOBS_STRATEGY_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "会议纪要过长（结论至多 %d 条，行动事项至多 %d 条）",
		    "the minutes are too long (at most %d conclusions and %d actions)", ITEMS_MAX, ITEMS_MAX);
	for (size_t i = 0; i < q->n_conclusions; i++)
		if (!jobs_text_ok(q->conclusions[i], JOBS_TEXT_MAX))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 条结论为空或过长",
			    "conclusion %zu is empty or too long", i + 1);
	for (size_t i = 0; i < q->n_actions; i++) {
		const Aedesk__MinutesAction *a = q->actions[i];
		if (!jobs_text_ok(a->text, JOBS_TEXT_MAX))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 项行动事项为空或过长",
			    "action item %zu is empty or too long", i + 1);
		if (!a->owner[0] || !store_exists(r->txn, jobs.staff, a->owner, strlen(a->owner)))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 项行动事项：负责人“%s”不是本公司员工编号",
			    "action item %zu: owner '%s' is not a staff id", i + 1, a->owner);
		if (a->due_ms < m->start_ms || a->due_ms > m->start_ms + MEETING_AHEAD_MS)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "第 %zu 项行动事项：截止日期须在会议之后一年内",
			    "action item %zu: the due date must be after the meeting, within a year", i + 1);
	}
	for (size_t i = 0; i < q->n_actions; i++) {
		const Aedesk__MinutesAction *a = q->actions[i];
		char id[16];
		if (jobs_next_id(r, "action", 'A', id, sizeof id))
			return -1;
		Aedesk__ActionItem it = AEDESK__ACTION_ITEM__INIT;
		it.id = id;
		it.meeting_id = m->id;
		it.client_id = m->client_id;
		it.job_id = m->job_id;
		it.text = a->text;
		it.owner = a->owner;
		it.due_ms = a->due_ms;
		it.added_ms = r->now_ms;
		if (jobs_push_str(&m->action_ids, &m->n_action_ids, id))
			return jobs_oom(r);
		Aedesk__ActionItemAdded ev = AEDESK__ACTION_ITEM_ADDED__INIT;
		ev.action = &it;
		ev.organiser = m->organiser;
		if (jobs_put_msg(r, jobs.actions, id, &it.base) || svc_emit(r, &ev.base))
			return -1;
	}
	for (size_t i = 0; i < q->n_conclusions; i++)
		if (jobs_push_str(&m->conclusions, &m->n_conclusions, q->conclusions[i]))
			return jobs_oom(r);
	m->minutes_ms = r->now_ms;
	if (jobs_set_str(&m->minutes_by, r->caller->id) || jobs_set_str(&m->summary, q->summary))
		return jobs_oom(r);
	Aedesk__MinutesFiled ev = AEDESK__MINUTES_FILED__INIT;
	ev.meeting_id = m->id;
	ev.organiser = m->organiser;
	ev.client_id = m->client_id;
	ev.start_ms = m->start_ms;
	ev.end_ms = m->end_ms;
	ev.filed_ms = r->now_ms;
	ev.n_conclusions = m->n_conclusions;
	ev.conclusions = m->conclusions;
	ev.n_action_ids = m->n_action_ids;
	ev.action_ids = m->action_ids;
	if (jobs_put_msg(r, jobs.meetings, m->id, &m->base) || svc_emit(r, &ev.base))
		return -1;
	return meeting_reply(r, m);
}

/* with_meeting loads the meeting by id and runs fn on it. */
#define WITH_MEETING(req_type, field, fn)                                   \
	const req_type *q = (const req_type *)in;                               \
	Aedesk__Meeting *m;                                                     \
	if (meeting_load(r, q->field, &m))                                      \
		return -1;                                                          \
	int rc = fn;                                                            \
	wire_free(&m->base);                                                    \
	return rc

int jobs_meeting_move(svc_req *r, const ProtobufCMessage *in)
{
	WITH_MEETING(Aedesk__MeetingMoveRequest, id, meeting_move(r, m, q));
}

int jobs_meeting_cancel(svc_req *r, const ProtobufCMessage *in)
{
	WITH_MEETING(Aedesk__MeetingCancelRequest, id, meeting_cancel(r, m, q));
}

int jobs_meeting_get(svc_req *r, const ProtobufCMessage *in)
{
	WITH_MEETING(Aedesk__MeetingGetRequest, id, meeting_reply(r, m));
}

int jobs_minutes_file(svc_req *r, const ProtobufCMessage *in)
{
	WITH_MEETING(Aedesk__MinutesFileRequest, meeting_id, minutes_file(r, m, q));
}

static int by_start(const void *a, const void *b)
{
	const Aedesk__Meeting *x = *(Aedesk__Meeting *const *)a, *y = *(Aedesk__Meeting *const *)b;
	return x->start_ms < y->start_ms ? -1 : x->start_ms > y->start_ms ? 1 : strcmp(x->id, y->id);
}

int jobs_meeting_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__MeetingListRequest *q = (const Aedesk__MeetingListRequest *)in;
	Aedesk__Meeting **list = calloc(LIST_MAX + 1, sizeof *list);
	if (!list)
		return jobs_oom(r);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, jobs.meetings, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "meetings");
	}
	size_t n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < LIST_MAX;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Meeting *m = (Aedesk__Meeting *)wire_unpack(&aedesk__meeting__descriptor, v.mv_data, v.mv_size, NULL);
		if (!m)
			continue;
		if ((!q->client_id[0] || strcmp(m->client_id, q->client_id) == 0) && m->start_ms >= q->from_ms &&
		    (!q->mine || strcmp(m->organiser, r->caller->id) == 0) && meeting_visible(r, m))
			list[n++] = m;
		else
			wire_free(&m->base);
	}
	mdb_cursor_close(cur);
	qsort(list, n, sizeof *list, by_start);
	Aedesk__MeetingListReply rep = AEDESK__MEETING_LIST_REPLY__INIT;
	rep.n_meetings = n;
	rep.meetings = list;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}

static int action_visible(svc_req *r, const Aedesk__ActionItem *a)
{
	return jobs_client_allows(r, PERM_MEETING_READ, a->client_id, a->owner);
}

static int by_due(const void *a, const void *b)
{
	const Aedesk__ActionItem *x = *(Aedesk__ActionItem *const *)a, *y = *(Aedesk__ActionItem *const *)b;
	return x->due_ms < y->due_ms ? -1 : x->due_ms > y->due_ms ? 1 : strcmp(x->id, y->id);
}

int jobs_action_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ActionListRequest *q = (const Aedesk__ActionListRequest *)in;
	Aedesk__ActionItem **list = calloc(LIST_MAX + 1, sizeof *list);
	if (!list)
		return jobs_oom(r);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, jobs.actions, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "actions");
	}
	size_t n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < LIST_MAX;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__ActionItem *a = (Aedesk__ActionItem *)wire_unpack(&aedesk__action_item__descriptor, v.mv_data,
		    v.mv_size, NULL);
		if (!a)
			continue;
		if ((!q->mine || strcmp(a->owner, r->caller->id) == 0) && (!q->open || !a->done_ms) &&
		    (!q->client_id[0] || strcmp(a->client_id, q->client_id) == 0) && action_visible(r, a))
			list[n++] = a;
		else
			wire_free(&a->base);
	}
	mdb_cursor_close(cur);
	qsort(list, n, sizeof *list, by_due);
	Aedesk__ActionListReply rep = AEDESK__ACTION_LIST_REPLY__INIT;
	rep.n_actions = n;
	rep.actions = list;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}

int jobs_action_done(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ActionDoneRequest *q = (const Aedesk__ActionDoneRequest *)in;
	Aedesk__ActionItem *a;
	if (!q->id[0] || jobs_get_msg(r, jobs.actions, q->id, &aedesk__action_item__descriptor, (ProtobufCMessage **)&a))
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有行动事项“%s”", "no action item '%s'", q->id);
	int rc = -1;
	Aedesk__Meeting *m = NULL;
	if (!action_visible(r, a)) {
		svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有行动事项“%s”", "no action item '%s'", q->id);
		goto out;
	}
	if (jobs_get_msg(r, jobs.meetings, a->meeting_id, &aedesk__meeting__descriptor, (ProtobufCMessage **)&m))
		m = NULL;
	if (strcmp(a->owner, r->caller->id) != 0 && !(m && strcmp(m->organiser, r->caller->id) == 0)) {
		svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "行动事项 %s 由负责人 %s（或会议组织者）标记完成",
		    "action item %s is marked done by its owner %s (or the meeting's organiser)", a->id, a->owner);
		goto out;
	}
	if (a->done_ms) {
		svc_failf(r, AEDESK__STATUS__ALREADY_EXISTS, "行动事项 %s 已由 %s 标记完成",
		    "action item %s was marked done already by %s", a->id, a->done_by);
		goto out;
	}
	a->done_ms = r->now_ms;
	if (jobs_set_str(&a->done_by, r->caller->id)) {
		jobs_oom(r);
		goto out;
	}
	Aedesk__ActionItemDone ev = AEDESK__ACTION_ITEM_DONE__INIT;
	ev.action = a;
	if (jobs_put_msg(r, jobs.actions, a->id, &a->base) || svc_emit(r, &ev.base))
		goto out;
	Aedesk__ActionReply rep = AEDESK__ACTION_REPLY__INIT;
	rep.action = a;
	rc = svc_reply(r, &rep.base);
out:
	wire_free(m ? &m->base : NULL);
	wire_free(&a->base);
	return rc;
}
