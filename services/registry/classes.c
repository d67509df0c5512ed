/*
 * NAME
 *	classes.c - a client's class, assignment, credit limit and their history
 *
 * DESCRIPTION
 *	R-CLASS-1: the class (A/B/C/D) is overridden by a person with the right role (AM
 *	for their team's clients, AD, admin), always with a reason; each change appends a
 *	ClientHistoryEntry (who, when, from, to, why). Assignment names the one
 *	responsible AE (AM and AD follow from the staff hierarchy) and the service team.
 *	The credit limit (R-JOB-8, enforced by the job tracker) is set by AD, finance or
 *	admin. Every change emits ClientUpdated with the whole updated client.
 *
 *	The scorer's recommendations reach the same path (recommendations.c).
 *
 *	Messages in: ClientClassRequest, ClientAssignRequest, ClientCreditRequest (all
 *	ClientReply), ClientHistoryRequest (ClientHistoryReply).
 *	Events out: ClientUpdated {client, change "class" | "assign" | "credit", why}.
 *	Tables: clients, client_hist (see registry.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "registry.h"
#include "validate.h"
#include "wire.h"

#define WHY_MAX 1000
#define TEAM_MAX 20

static int reply_client(svc_req *r, Aedesk__Client *c)
{
	Aedesk__ClientReply rep = AEDESK__CLIENT_REPLY__INIT;
	rep.client = c;
	return svc_reply(r, &rep.base);
}

/*
 * registry_set_class is the one path a class change takes (a person's override, the
 * scorer's recommendation applied automatically or approved, recommendations.c): it
 * records the history line and emits the event.
 */
int registry_set_class(svc_req *r, Aedesk__Client *c, const char *cls, const char *by, const char *why)
{
	char from[4];
	snprintf(from, sizeof from, "%s", c->class_);
	if (registry_history_add(r, c->id, by, "class", from, cls, why) ||
	    registry_client_index_class(r, c->id, from, cls))
		return -1;
	c->class_ = (char *)cls; /* the caller puts its own pointer back before freeing c */
	return registry_client_put(r, c, "class", why);
}

int registry_client_class(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientClassRequest *q = (const Aedesk__ClientClassRequest *)in;
	if (perm_check(r, PERM_CLIENT_CLASS, NULL))
		return -1;
	if (!(q->class_[0] >= 'A' && q->class_[0] <= 'D' && q->class_[1] == 0))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_CLASS_INVALID, q->class_);
	if (validate_name(q->why, WHY_MAX, NULL) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "--why（调整原因）必须填写：非空文本，不超过 %d 字节（R-CLASS-1 记录谁、何时、为何调整）",
		    "--why (the reason) is required: non-empty text of at most %d bytes (R-CLASS-1 records who, when and why)",
		    WHY_MAX);
	Aedesk__Client *c;
	if (registry_client_load(r, q->id, &c))
		return -1;
	int rc;
	if (perm_check_client(r, PERM_CLIENT_CLASS, c, NULL)) {
		wire_free(&c->base);
		return -1;
	}
	char *old = c->class_;
	if (strcmp(old, q->class_) == 0)
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "客户 %s 已是 %s 类", "client %s is already class %s",
		    c->id, old);
	else if ((rc = registry_set_class(r, c, q->class_, r->caller->id, q->why)) == 0)
		rc = reply_client(r, c);
	c->class_ = old;
	wire_free(&c->base);
	return rc;
}

/* team_text writes "a,b,c" for the history. */
static void team_text(char *const *team, size_t n, char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0, used = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", team[i]);
}

int registry_client_assign(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientAssignRequest *q = (const Aedesk__ClientAssignRequest *)in;
	if (perm_check(r, PERM_CLIENT_ASSIGN, NULL))
		return -1;
	if (!q->ae[0] && !q->set_team)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "请给出 --ae 或 --team",
		    "give --ae or --team");
	if (q->n_team > TEAM_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "服务团队最多 %d 人",
		    "a service team has at most %d people", TEAM_MAX);
	if (q->ae[0]) {
		uint32_t roles = registry_staff_roles(r->txn, q->ae);
		if (!roles)
			return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, q->ae);
		if (!(roles & ROLE_AE))
			return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_NOT_AN_AE, q->ae);
		if (!perm_allows(r, PERM_CLIENT_ASSIGN, q->ae))
			return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "AM 只能把客户分配给自己团队的 AE，%s 不在您的团队",
			    "an AM can assign clients only to AEs of their own team; %s is not", q->ae);
	}
	for (size_t i = 0; i < q->n_team; i++) {
		if (!store_exists(r->txn, registry.staff, q->team[i], strlen(q->team[i])))
			return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, q->team[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->team[i], q->team[j]) == 0)
				return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "服务团队中 %s 重复",
				    "%s is named twice in the team", q->team[i]);
	}
	Aedesk__Client *c;
	if (registry_client_load(r, q->id, &c))
		return -1;
	if (perm_check_client(r, PERM_CLIENT_ASSIGN, c, NULL)) {
		wire_free(&c->base);
		return -1;
	}
	char from[1024], to[1024], oldteam[800], newteam[800];
	team_text(c->team, c->n_team, oldteam, sizeof oldteam);
	team_text(q->set_team ? q->team : c->team, q->set_team ? q->n_team : c->n_team, newteam, sizeof newteam);
	const char *ae = q->ae[0] ? q->ae : c->ae;
	snprintf(from, sizeof from, "AE=%s team=%s", c->ae, oldteam);
	snprintf(to, sizeof to, "AE=%s team=%s", ae, newteam);
	int rc;
	if (strcmp(from, to) == 0) {
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "客户 %s 的分配没有变化",
		    "client %s is already assigned so", c->id);
		wire_free(&c->base);
		return rc;
	}
	char *oldae = c->ae, **oldt = c->team;
	size_t oldn = c->n_team;
	c->ae = (char *)ae;
	if (q->set_team) {
		c->team = q->team;
		c->n_team = q->n_team;
	}
	if ((rc = registry_history_add(r, c->id, r->caller->id, "assign", from, to, "")) == 0 &&
	    (rc = registry_client_index_ae(r, c->id, oldae, ae)) == 0 &&
	    (rc = registry_client_put(r, c, "assign", "")) == 0)
		rc = reply_client(r, c);
	c->ae = oldae;
	c->team = oldt;
	c->n_team = oldn;
	wire_free(&c->base);
	return rc;
}

int registry_client_credit(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientCreditRequest *q = (const Aedesk__ClientCreditRequest *)in;
	if (perm_check(r, PERM_CLIENT_CREDIT, NULL))
		return -1;
	if (q->credit_limit_fen < 0 || q->credit_limit_fen > MONEY_MAX_FEN)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "信用额度须在 0 到 9,999,999,999,999.99 元之间",
		    "the credit limit must be 0 to 9,999,999,999,999.99 yuan");
	Aedesk__Client *c;
	if (registry_client_load(r, q->id, &c))
		return -1;
	char from[MONEY_FORMAT_MAX], to[MONEY_FORMAT_MAX];
	money_format(c->credit_limit_fen, from, sizeof from);
	money_format(q->credit_limit_fen, to, sizeof to);
	c->credit_limit_fen = q->credit_limit_fen;
	int rc;
	if ((rc = registry_history_add(r, c->id, r->caller->id, "credit", from, to, "")) == 0 &&
	    (rc = registry_client_put(r, c, "credit", "")) == 0)
		rc = reply_client(r, c);
	wire_free(&c->base);
	return rc;
}

int registry_client_history(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ClientHistoryRequest *q = (const Aedesk__ClientHistoryRequest *)in;
	Aedesk__Client *c;
	if (registry_client_load(r, q->id, &c))
		return -1;
	wire_free(&c->base);
	size_t cap = 16, n = 0;
	Aedesk__ClientHistoryEntry **list = malloc(cap * sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.client_hist, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "client_hist");
	}
	size_t plen = strlen(q->id) + 1;
	MDB_val k = {plen, (void *)q->id}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && memcmp(k.mv_data, q->id, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap) {
			void *p = realloc(list, (cap *= 2) * sizeof *list);
			if (!p)
				break;
			list = p;
		}
		Aedesk__ClientHistoryEntry *e = (Aedesk__ClientHistoryEntry *)wire_unpack(
		    &aedesk__client_history_entry__descriptor, v.mv_data, v.mv_size, NULL);
		if (e)
			list[n++] = e;
	}
	mdb_cursor_close(cur);
	Aedesk__ClientHistoryReply rep = AEDESK__CLIENT_HISTORY_REPLY__INIT;
	rep.n_entries = n;
	rep.entries = list;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
