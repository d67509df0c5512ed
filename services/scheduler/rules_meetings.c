/*
 * NAME
 *	rules_meetings.c - R-MEETING-1 (prepare the room and materials) and R-MEETING-2 (minutes)
 *
 * DESCRIPTION
 *	R-MEETING-1: MeetingScheduled: the organiser is told meeting_prep_min (30) minutes
 *	before the start to prepare the room, equipment and materials. A meeting recorded
 *	after it ended gets none.
 *	R-MEETING-2: the organiser is told at the end of the next working day after the
 *	meeting (day_end, 17:30; working days from the holiday calendar) if its minutes are
 *	not filed by then; MinutesFiled cancels it. Every meeting in the job tracker is a
 *	client meeting.
 *	MeetingMoved moves both to the new times; a reminder never gets lost: one still
 *	pending is moved (to a time already past: it fires at the next tick), one that has
 *	fired already (the meeting was pushed back after the prep reminder) is planned anew
 *	under the id "<base>/<event seq>". sched_meta "mtg/<meeting>/prep" and
 *	"mtg/<meeting>/minutes" keep the current suffix (0 = the base id).
 *	MeetingCancelled cancels both.
 *	The meeting itself (title, room, current times) is kept in table "meetings" for the
 *	calendar feed (`aedesk calendar export`); a cancelled one is dropped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sched.h"
#include "wire.h"

enum { PREP, MINUTES };

static void rem_id(svc_req *r, const char *meeting, int which, char *buf, size_t len)
{
	char key[160];
	snprintf(key, sizeof key, "mtg/%s/%s", meeting, which == PREP ? "prep" : "minutes");
	int64_t suffix = sched_meta_get(r->txn, key, 0);
	if (suffix)
		snprintf(buf, len, "%s/%" PRId64, key, suffix);
	else
		snprintf(buf, len, "%s", key);
}

static int64_t due_of(int which, int64_t start, int64_t end)
{
	if (which == PREP)
		return start - (int64_t)sched.meeting_prep_min * SCHED_MIN_MS;
	return sched_local_ms(sched_next_workday(sched_local_day(end)), sched.day_end_min);
}

static int add(svc_req *r, const char *id, int which, const char *meeting, const char *organiser,
    const char *client_id, const char *title, const char *room, int64_t start, int64_t end)
{
	char at[32], day[16];
	int64_t loc = start + sched.tz_ms;
	int mod = (int)(((loc % SCHED_DAY_MS) + SCHED_DAY_MS) % SCHED_DAY_MS / SCHED_MIN_MS);
	sched_day_str(sched_local_day(start), day, sizeof day);
	snprintf(at, sizeof at, "%s %02d:%02d", day, mod / 60, mod % 60);
	const char *args[] = {title, at, room, NULL};
	return sched_add_simple(r, id, which == PREP ? "R-MEETING-1" : "R-MEETING-2",
	    which == PREP ? "meeting_prep" : "meeting_minutes", organiser, client_id, "meeting", meeting,
	    due_of(which, start, end), args);
}

int sched_on_meeting_scheduled(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__MeetingScheduled *e = (const Aedesk__MeetingScheduled *)ev;
	if (!e->meeting_id[0] || !e->organiser[0])
		return 0;
	char id[200];
	if (sched_put(r, sched.meetings, e->meeting_id, &e->base))
		return -1;
	rem_id(r, e->meeting_id, PREP, id, sizeof id);
	if (e->end_ms > r->env->time_ms &&
	    add(r, id, PREP, e->meeting_id, e->organiser, e->client_id, e->title, e->room, e->start_ms, e->end_ms))
		return -1;
	rem_id(r, e->meeting_id, MINUTES, id, sizeof id);
	return add(r, id, MINUTES, e->meeting_id, e->organiser, e->client_id, e->title, e->room, e->start_ms,
	    e->end_ms);
}

/* move_one: the pending reminder moves; one fired (or never made) is planned anew. */
static int move_one(svc_req *r, const Aedesk__MeetingMoved *e, int which)
{
	char id[200], key[160];
	rem_id(r, e->meeting_id, which, id, sizeof id);
	int64_t due = due_of(which, e->start_ms, e->end_ms);
	if (sched_pending(r->txn, id))
		return sched_move(r, id, due);
	/* keep the title and room the first reminder had */
	Aedesk__Reminder *old = NULL;
	const char *title = "", *room = "";
	if (sched_get(r->txn, sched.rem, id, &aedesk__reminder__descriptor, (ProtobufCMessage **)&old) == 0) {
		title = old->n_args > 0 ? old->args[0] : "";
		room = old->n_args > 2 ? old->args[2] : "";
	}
	snprintf(key, sizeof key, "mtg/%s/%s", e->meeting_id, which == PREP ? "prep" : "minutes");
	snprintf(id, sizeof id, "%s/%" PRIu64, key, r->env->seq);
	int rc = sched_meta_put(r, key, (int64_t)r->env->seq) ||
	    add(r, id, which, e->meeting_id, e->organiser, e->client_id, title, room, e->start_ms, e->end_ms);
	wire_free(old ? &old->base : NULL);
	return rc ? -1 : 0;
}

int sched_on_meeting_moved(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__MeetingMoved *e = (const Aedesk__MeetingMoved *)ev;
	if (!e->meeting_id[0] || !e->organiser[0])
		return 0;
	Aedesk__MeetingScheduled *m = NULL;
	if (sched_get(r->txn, sched.meetings, e->meeting_id, &aedesk__meeting_scheduled__descriptor,
	        (ProtobufCMessage **)&m) == 0) {
		m->start_ms = e->start_ms;
		m->end_ms = e->end_ms;
		int rc = sched_put(r, sched.meetings, e->meeting_id, &m->base);
		wire_free(&m->base);
		if (rc)
			return -1;
	}
	return move_one(r, e, PREP) || move_one(r, e, MINUTES) ? -1 : 0;
}

int sched_on_meeting_cancelled(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__MeetingCancelled *e = (const Aedesk__MeetingCancelled *)ev;
	char id[200];
	MDB_val kv = {strlen(e->meeting_id), e->meeting_id};
	int rc = e->meeting_id[0] ? mdb_del(r->txn, sched.meetings, &kv, NULL) : MDB_NOTFOUND;
	if (rc && rc != MDB_NOTFOUND)
		return svc_db_error(r, rc, "meetings");
	rem_id(r, e->meeting_id, PREP, id, sizeof id);
	if (sched_cancel(r, id, "meeting cancelled"))
		return -1;
	rem_id(r, e->meeting_id, MINUTES, id, sizeof id);
	return sched_cancel(r, id, "meeting cancelled");
}

int sched_on_minutes_filed(svc_req *r, const ProtobufCMessage *ev)
{
	const Aedesk__MinutesFiled *e = (const Aedesk__MinutesFiled *)ev;
	char id[200];
	rem_id(r, e->meeting_id, MINUTES, id, sizeof id);
	return sched_cancel(r, id, "minutes filed");
}
