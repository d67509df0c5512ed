/*
 * NAME
 *	rights.c - R-JOB-9: image, model and music rights cleared before a proposal
 *
 * DESCRIPTION
 *	Before a proposal goes to the client, the AE confirms that the rights of the
 *	images, models and music it uses are cleared ("cleared") or that it uses none
 *	("n/a"). Each of the three is recorded on the job with who confirmed it and when;
 *	a request may set one, two or all three. The sketch stage's client sign-off (the
 *	presentation) is refused until all three are set (stages.c).
 *
 *	Events: JobRightsSet (the job's three rights after the change).
 *
 * SECURITY
 *	Only those who may drive the job (its AE, team, their AM, an AD) confirm rights.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "wire.h"

static int state_valid(const char *s) { return strcmp(s, "cleared") == 0 || strcmp(s, "n/a") == 0; }

static int item_set(svc_req *r, Aedesk__JobRightsItem **it, const char *state)
{
	if (!*it) {
		if (!(*it = malloc(sizeof **it)))
			return -1;
		aedesk__job_rights_item__init(*it);
	}
	(*it)->at_ms = r->now_ms;
	return jobs_set_str(&(*it)->state, state) || jobs_set_str(&(*it)->by, r->caller->id) ? -1 : 0;
}

size_t jobs_rights_missing(svc_req *r, const Aedesk__Job *j, char *buf, size_t len)
{
	const Aedesk__JobRights *g = j->rights;
	const struct {
		const char *name, *zh;
		const Aedesk__JobRightsItem *it;
	} items[] = {{"image", "图片", g ? g->image : NULL}, {"model", "模特", g ? g->model : NULL},
	    {"music", "音乐", g ? g->music : NULL}};
	size_t n = 0, o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < 3; i++)
		if (!items[i].it || !state_valid(items[i].it->state)) {
			n++;
			if (o < len)
				o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? (jobs_en(r) ? ", " : "、") : "",
				    jobs_en(r) ? items[i].name : items[i].zh);
		}
	return n;
}

static int rights_set(svc_req *r, Aedesk__Job *j, const Aedesk__JobRightsRequest *q)
{
	if (!jobs_may_drive(r, j))
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "R-JOB-9：版权由服务该客户的 AE（或其 AM、客户总监）确认",
		    "R-JOB-9: rights are confirmed by the AE serving the client (or their AM, an AD)");
	if (j->stage == AEDESK__JOB_STAGE__JOB_STAGE_CLOSED)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "工作单 %s 已结束", "job %s is closed", j->id);
	const char *v[3] = {q->image, q->model, q->music}, *names[3] = {"image", "model", "music"};
	int any = 0;
	for (int i = 0; i < 3; i++) {
		if (!v[i][0])
			continue;
		any = 1;
		if (!state_valid(v[i]))
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "R-JOB-9：%s 版权须为 cleared（已清）或 n/a（不涉及），不是“%s”",
			    "R-JOB-9: %s rights are cleared or n/a, not '%s'", names[i], v[i]);
	}
	if (!any)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 --image、--model 或 --music",
		    "give --image, --model or --music");
	if (!j->rights) {
		if (!(j->rights = malloc(sizeof *j->rights)))
			return jobs_oom(r);
		aedesk__job_rights__init(j->rights);
	}
	Aedesk__JobRightsItem **its[3] = {&j->rights->image, &j->rights->model, &j->rights->music};
	char detail[128] = "";
	size_t o = 0;
	for (int i = 0; i < 3; i++)
		if (v[i][0]) {
			if (item_set(r, its[i], v[i]))
				return jobs_oom(r);
			o += (size_t)snprintf(detail + o, sizeof detail - o, "%s%s %s", o ? ", " : "", names[i], v[i]);
		}
	if (jobs_history(j, r, "rights", "%s", detail))
		return jobs_oom(r);
	Aedesk__JobRightsSet ev = AEDESK__JOB_RIGHTS_SET__INIT;
	ev.job_id = j->id;
	ev.number = j->number;
	ev.client_id = j->client_id;
	ev.rights = j->rights;
	if (svc_emit(r, &ev.base) || jobs_save(r, j))
		return -1;
	return jobs_reply(r, j);
}

int jobs_rights_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__JobRightsRequest *q = (const Aedesk__JobRightsRequest *)in;
	Aedesk__Job *j;
	if (jobs_load(r, q->id, &j))
		return -1;
	int rc = rights_set(r, j, q);
	wire_free(&j->base);
	return rc;
}
