/*
 * The permission table (common/perm.c), walked whole over the real services: every
 * role tries every action on something in its scope and on something out of it, and
 * gets exactly what the table says — success, or a refusal that changed nothing (the
 * service's outbox seq is the same after as before). A refusal is PERMISSION_DENIED,
 * or NOT_FOUND when the caller may not even see the object (its existence must not
 * leak). Lists do not refuse what is out of scope: they leave it out.
 *
 * The staff: sun.ae (AE) reports to qian.am (AM), li.ae (AE) to zhou.am (AM), both AMs
 * to zhao.ad (AD); wu.cd (CD), zheng.prod (production), wang.fin (finance), admin.
 * "In scope" is sun.ae's world (her client C000001, contact K000001, prospect P000001,
 * job J000001, meeting M000001, or for staff records: oneself when the scope is own,
 * else sun.ae); "out of scope" is li.ae's (C000002, K000002, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "jobs.pb-c.h"
#include "perm.h"
#include "push.pb-c.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "scorer.pb-c.h"
#include "security.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

#define PW "pass-word-123"

static const char *const actors[PERM_NROLES] = {"sun.ae", "qian.am", "zhao.ad", "wu.cd", "zheng.prod", "wang.fin",
    "admin"};

static struct {
	harness h;
	uint8_t tok[PERM_NROLES + 2][4096];
	size_t toklen[PERM_NROLES + 2];
	int actor;         /* the role index calling now */
	int in;            /* in scope or not */
	int seen;          /* lists: the in- or out-of-scope object was in the reply */
	char msg[1024];
	int n;             /* a counter for unique names */
	int team_set[2];   /* client.assign: C000001 / C000002 have a team now */
	char cls[2][4];    /* client.class: their class now */
	char period[32];
} T;

enum { LI_AE = PERM_NROLES, ZHOU_AM = PERM_NROLES + 1 };

/* as: the CLI acts as who from now on (its token file, as `aedesk login` writes it). */
static void as(int who)
{
	char b64[sodium_base64_ENCODED_LEN(4096, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, T.tok[who], T.toklen[who], sodium_base64_VARIANT_ORIGINAL);
	FILE *f = fopen(T.h.token, "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%s\n", b64);
		fclose(f);
	}
	memcpy(T.h.tok, T.tok[who], T.toklen[who]);
	T.h.toklen = T.toklen[who];
}

static void use(int who)
{
	memcpy(T.h.tok, T.tok[who], T.toklen[who]);
	T.h.toklen = T.toklen[who];
}

static void login(int who, const char *id)
{
	CHECK((who == PERM_NROLES - 1 ? h_login_admin(&T.h) : h_login(&T.h, id, PW)) == 0);
	memcpy(T.tok[who], T.h.tok, T.h.toklen);
	T.toklen[who] = T.h.toklen;
}

/* One open connection per service for the whole walk (dialing per call costs more). */
static struct {
	const char *name;
	aeclient *c;
} conns[] = {{"registry", NULL}, {"jobs", NULL}, {"scorer", NULL}, {"scheduler", NULL}, {"audit", NULL}, {"push", NULL}};

static aeclient *conn(const char *service)
{
	for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++)
		if (strcmp(conns[i].name, service) == 0) {
			if (!conns[i].c)
				conns[i].c = h_client(&T.h, service, 30000);
			return conns[i].c;
		}
	return NULL;
}

static void conns_close(void)
{
	for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++) {
		if (conns[i].c)
			aeclient_close(conns[i].c);
		conns[i].c = NULL;
	}
}

/* call: one request as the current actor; its status, its message in T.msg. */
static int call(const char *service, const ProtobufCMessage *q, const ProtobufCMessageDescriptor *rd,
    ProtobufCMessage **reply)
{
	aeclient *c = conn(service);
	if (!c)
		return -1;
	aeclient_set_token(c, T.h.tok, T.h.toklen);
	Aedesk__Status st;
	ProtobufCMessage *r = NULL;
	T.msg[0] = 0;
	int rc = aeclient_call(c, q, rd, &st, T.msg, sizeof T.msg, &r);
	if (rc != 0)
		return -1;
	if (reply)
		*reply = r;
	else
		wire_free(r);
	return (int)st;
}

/* last_seq: the service's newest outbox seq (its Health), over the open connection. */
static uint64_t last_seq(const char *service)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	uint64_t v = 0;
	char keep[sizeof T.msg];
	memcpy(keep, T.msg, sizeof keep);
	if (call(service, &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		v = r->last_seq;
	memcpy(T.msg, keep, sizeof keep);
	wire_free(r ? &r->base : NULL);
	return v;
}

/* The objects of the world, in scope ([1]) and out ([0]). */
static const char *client(void) { return T.in ? "C000001" : "C000002"; }
static const char *contact(void) { return T.in ? "K000001" : "K000002"; }
static const char *ae(void) { return T.in ? "sun.ae" : "li.ae"; }
/* staff: the staff member an action is about — oneself when one's scope is own. */
static const char *staff(enum perm_action a)
{
	if (!T.in)
		return "li.ae";
	return perm_info(a)->scope[T.actor] == PERM_OWN ? actors[T.actor] : "sun.ae";
}

/* state_seq: the outbox seq less the audit trail's own events (a refusal is recorded as
 * AccessRefused, which is not a change of state). */
static uint64_t state_seq(const char *service)
{
	return last_seq(service) - (uint64_t)h_audit_events(&T.h, service);
}

/* ---- one probe per action: build the request, call, return the status ---- */

static int p_staff_admin(void)
{
	char id[32];
	snprintf(id, sizeof id, "tmp%d", ++T.n);
	char *roles[] = {"ae"};
	Aedesk__StaffAddRequest q = AEDESK__STAFF_ADD_REQUEST__INIT;
	q.id = id;
	q.name = "临时工";
	q.n_roles = 1;
	q.roles = roles;
	return call("registry", &q.base, &aedesk__staff_reply__descriptor, NULL);
}

static int p_staff_password(void)
{
	Aedesk__SetPasswordRequest q = AEDESK__SET_PASSWORD_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_STAFF_PASSWORD);
	q.old_password = PW; /* never admin's own: admin's scope is all, so the probe is about sun.ae */
	q.new_password = PW;
	int st = call("registry", &q.base, &aedesk__set_password_reply__descriptor, NULL);
	if (st == 0) { /* a new password ends the old sessions: log that person in again */
		h_sleep_ms(5);
		for (int i = 0; i < PERM_NROLES; i++)
			if (strcmp(actors[i], q.staff_id) == 0)
				login(i, actors[i]);
		if (strcmp(q.staff_id, "li.ae") == 0)
			login(LI_AE, "li.ae");
		use(T.actor);
	}
	return st;
}

static int p_staff_list(void)
{
	Aedesk__StaffListRequest q = AEDESK__STAFF_LIST_REQUEST__INIT;
	return call("registry", &q.base, &aedesk__staff_list_reply__descriptor, NULL);
}

static int p_client_read(void)
{
	Aedesk__ClientGetRequest q = AEDESK__CLIENT_GET_REQUEST__INIT;
	q.id = (char *)client();
	return call("registry", &q.base, &aedesk__client_reply__descriptor, NULL);
}

static int p_client_write(void)
{
	Aedesk__VisitLogRequest q = AEDESK__VISIT_LOG_REQUEST__INIT;
	q.client_id = (char *)client();
	q.kind = AEDESK__VISIT_KIND__CALL;
	q.at_ms = wire_now_ms() - 3600000;
	q.summary = "电话沟通排期";
	return call("registry", &q.base, &aedesk__visit_reply__descriptor, NULL);
}

static int p_client_assign(void)
{
	char *team[] = {"wu.cd"};
	Aedesk__ClientAssignRequest q = AEDESK__CLIENT_ASSIGN_REQUEST__INIT;
	q.id = (char *)client();
	q.set_team = 1;
	q.n_team = T.team_set[T.in] ? 0 : 1;
	q.team = team;
	int st = call("registry", &q.base, &aedesk__client_reply__descriptor, NULL);
	if (st == 0)
		T.team_set[T.in] = !T.team_set[T.in];
	return st;
}

static int p_client_class(void)
{
	Aedesk__ClientClassRequest q = AEDESK__CLIENT_CLASS_REQUEST__INIT;
	q.id = (char *)client();
	q.class_ = strcmp(T.cls[T.in], "C") == 0 ? "B" : "C";
	q.why = "年度复核";
	int st = call("registry", &q.base, &aedesk__client_reply__descriptor, NULL);
	if (st == 0)
		snprintf(T.cls[T.in], sizeof T.cls[T.in], "%s", q.class_);
	return st;
}

static int p_client_credit(void)
{
	Aedesk__ClientCreditRequest q = AEDESK__CLIENT_CREDIT_REQUEST__INIT;
	q.id = (char *)client();
	q.credit_limit_fen = 100000000 + ++T.n;
	return call("registry", &q.base, &aedesk__client_reply__descriptor, NULL);
}

static int p_contact_write(void)
{
	Aedesk__ContactAddRequest q = AEDESK__CONTACT_ADD_REQUEST__INIT;
	q.client_id = (char *)client();
	q.name = "新联系人";
	return call("registry", &q.base, &aedesk__contact_reply__descriptor, NULL);
}

static int p_contact_personal(void)
{
	Aedesk__ContactGetRequest q = AEDESK__CONTACT_GET_REQUEST__INIT;
	q.id = (char *)contact();
	return call("registry", &q.base, &aedesk__contact_reply__descriptor, NULL);
}

static int p_contact_export(void)
{
	Aedesk__ContactExportRequest q = AEDESK__CONTACT_EXPORT_REQUEST__INIT;
	q.id = (char *)contact();
	return call("registry", &q.base, &aedesk__contact_export_reply__descriptor, NULL);
}

/* the contact list shows personal fields exactly where contact.personal.read allows */
static int p_contact_list(void)
{
	Aedesk__ContactListRequest q = AEDESK__CONTACT_LIST_REQUEST__INIT;
	q.client_id = (char *)client();
	Aedesk__ContactListReply *r = NULL;
	int st = call("registry", &q.base, &aedesk__contact_list_reply__descriptor, (ProtobufCMessage **)&r);
	T.seen = 0;
	for (size_t i = 0; st == 0 && r && i < r->n_contacts; i++)
		if (strcmp(r->contacts[i]->id, contact()) == 0)
			T.seen = r->contacts[i]->n_phones > 0 && !r->contacts[i]->personal_hidden;
	wire_free(r ? &r->base : NULL);
	/* out of client.read scope the list is NOT_FOUND, like the client */
	return st == AEDESK__STATUS__NOT_FOUND ? 0 : st;
}

static int p_prospect_read(void)
{
	Aedesk__ProspectGetRequest q = AEDESK__PROSPECT_GET_REQUEST__INIT;
	q.id = T.in ? "P000001" : "P000002";
	return call("registry", &q.base, &aedesk__prospect_reply__descriptor, NULL);
}

static int p_prospect_write(void)
{
	char name[64];
	snprintf(name, sizeof name, "潜在客户%d", ++T.n);
	Aedesk__ProspectAddRequest q = AEDESK__PROSPECT_ADD_REQUEST__INIT;
	q.name = name;
	q.ae = (char *)ae();
	return call("registry", &q.base, &aedesk__prospect_reply__descriptor, NULL);
}

static int p_job_read(void)
{
	Aedesk__JobGetRequest q = AEDESK__JOB_GET_REQUEST__INIT;
	q.id = T.in ? "J000001" : "J000002";
	return call("jobs", &q.base, &aedesk__job_reply__descriptor, NULL);
}

static int p_job_drive(void)
{
	Aedesk__StrategySetRequest q = AEDESK__STRATEGY_SET_REQUEST__INIT;
	q.client_id = (char *)client();
	q.text = "年度策略：春节、中秋两个波段";
	return call("jobs", &q.base, &aedesk__strategy_reply__descriptor, NULL);
}

static int p_job_sign(void)
{
	Aedesk__JobSignRequest q = AEDESK__JOB_SIGN_REQUEST__INIT;
	q.id = T.in ? "J000001" : "J000002";
	return call("jobs", &q.base, &aedesk__job_reply__descriptor, NULL);
}

static int p_job_override(void)
{
	Aedesk__JobOpenRequest q = AEDESK__JOB_OPEN_REQUEST__INIT;
	q.client_id = (char *)client();
	q.title = "加急海报";
	q.kind = "print";
	q.due_ms = wire_now_ms() + 3 * 86400000LL;
	q.lead_override_reason = "客户临时加单";
	return call("jobs", &q.base, &aedesk__job_reply__descriptor, NULL);
}

static int p_estimate_prepare(void)
{
	Aedesk__EstimateLine l = AEDESK__ESTIMATE_LINE__INIT, *lines[] = {&l};
	l.item = "设计费";
	l.quantity = 1;
	l.unit_fen = 1200000;
	Aedesk__EstimateAddRequest q = AEDESK__ESTIMATE_ADD_REQUEST__INIT;
	q.job_id = T.in ? "J000001" : "J000002";
	q.n_lines = 1;
	q.lines = lines;
	return call("jobs", &q.base, &aedesk__estimate_reply__descriptor, NULL);
}

static int p_estimate_sign(void)
{
	Aedesk__EstimateSignRequest q = AEDESK__ESTIMATE_SIGN_REQUEST__INIT;
	q.id = "E-none"; /* the role gate comes first: allowed roles then learn it does not exist */
	return call("jobs", &q.base, &aedesk__estimate_reply__descriptor, NULL);
}

static int p_po_confirm(void)
{
	Aedesk__PoConfirmRequest q = AEDESK__PO_CONFIRM_REQUEST__INIT;
	q.id = "PO-none"; /* the role gate comes first: allowed roles then learn it does not exist */
	return call("jobs", &q.base, &aedesk__po_reply__descriptor, NULL);
}

static int p_invoice_write(void)
{
	Aedesk__InvoiceAddRequest q = AEDESK__INVOICE_ADD_REQUEST__INIT;
	q.job_id = T.in ? "J000001" : "J000002";
	q.amount_fen = 100000;
	q.due_ms = wire_now_ms() + 30 * 86400000LL;
	return call("jobs", &q.base, &aedesk__invoice_reply__descriptor, NULL);
}

static int p_invoice_read(void)
{
	Aedesk__ReceivablesRequest q = AEDESK__RECEIVABLES_REQUEST__INIT;
	Aedesk__ReceivablesReply *r = NULL;
	int st = call("jobs", &q.base, &aedesk__receivables_reply__descriptor, (ProtobufCMessage **)&r);
	T.seen = 0;
	for (size_t i = 0; st == 0 && r && i < r->n_invoices; i++)
		T.seen |= strcmp(r->invoices[i]->client_id, client()) == 0;
	wire_free(r ? &r->base : NULL);
	return st;
}

static int p_meeting_read(void)
{
	Aedesk__MeetingGetRequest q = AEDESK__MEETING_GET_REQUEST__INIT;
	q.id = T.in ? "M000001" : "M000002";
	return call("jobs", &q.base, &aedesk__meeting_reply__descriptor, NULL);
}

static int p_scorecard_read(void)
{
	Aedesk__ScorecardRequest q = AEDESK__SCORECARD_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_SCORECARD_READ);
	q.period = T.period;
	return call("scorer", &q.base, &aedesk__scorecard_reply__descriptor, NULL);
}

static int p_scorecard_rate(void)
{
	Aedesk__RatingCriterion c = AEDESK__RATING_CRITERION__INIT, *cs[] = {&c};
	c.name = "analytical";
	c.score = 4;
	Aedesk__RatingSetRequest q = AEDESK__RATING_SET_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_SCORECARD_RATE);
	q.period = T.period;
	q.n_criteria = 1;
	q.criteria = cs;
	return call("scorer", &q.base, &aedesk__rating_reply__descriptor, NULL);
}

static int p_target_set(void)
{
	Aedesk__TargetSetRequest q = AEDESK__TARGET_SET_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_TARGET_SET);
	q.period = T.period;
	q.revenue_fen = 5000000 + ++T.n;
	return call("scorer", &q.base, &aedesk__target_reply__descriptor, NULL);
}

static int p_survey_write(void)
{
	Aedesk__SurveyScore s = AEDESK__SURVEY_SCORE__INIT, *ss[] = {&s};
	s.dimension = "服务";
	s.score = 4;
	Aedesk__SurveyAddRequest q = AEDESK__SURVEY_ADD_REQUEST__INIT;
	q.client_id = (char *)client();
	q.contact_id = (char *)contact();
	q.n_scores = 1;
	q.scores = ss;
	return call("scorer", &q.base, &aedesk__survey_reply__descriptor, NULL);
}

static int p_client_score(void)
{
	Aedesk__ScoreClientsRequest q = AEDESK__SCORE_CLIENTS_REQUEST__INIT;
	Aedesk__ScoreClientsReply *r = NULL;
	int st = call("scorer", &q.base, &aedesk__score_clients_reply__descriptor, (ProtobufCMessage **)&r);
	T.seen = 0;
	for (size_t i = 0; st == 0 && r && i < r->n_clients; i++)
		T.seen |= strcmp(r->clients[i]->client_id, client()) == 0;
	wire_free(r ? &r->base : NULL);
	return st;
}

static int p_inbox_read(void)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_INBOX_READ);
	return call("scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, NULL);
}

static int p_calendar_load(void)
{
	/* allowed: refused after the gate for the missing file name, so no calendar changes */
	Aedesk__CalendarLoadRequest q = AEDESK__CALENDAR_LOAD_REQUEST__INIT;
	return call("scheduler", &q.base, &aedesk__calendar_load_reply__descriptor, NULL);
}

static int p_calendar_export(void)
{
	Aedesk__CalendarExportRequest q = AEDESK__CALENDAR_EXPORT_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_CALENDAR_EXPORT);
	return call("scheduler", &q.base, &aedesk__calendar_export_reply__descriptor, NULL);
}

static int p_plan_submit(void)
{
	Aedesk__PlanSubmitRequest q = AEDESK__PLAN_SUBMIT_REQUEST__INIT;
	q.kind = "week";
	q.text = "拜访华夏食品，跟进中秋海报";
	return call("scheduler", &q.base, &aedesk__plan_submit_reply__descriptor, NULL);
}

static int p_plan_read(void)
{
	Aedesk__PlanMissingRequest q = AEDESK__PLAN_MISSING_REQUEST__INIT;
	q.all = 1;
	Aedesk__PlanMissingReply *r = NULL;
	int st = call("scheduler", &q.base, &aedesk__plan_missing_reply__descriptor, (ProtobufCMessage **)&r);
	T.seen = 0;
	for (size_t i = 0; st == 0 && r && i < r->n_rows; i++)
		T.seen |= strcmp(r->rows[i]->staff_id, T.in ? "sun.ae" : "li.ae") == 0;
	wire_free(r ? &r->base : NULL);
	return st;
}

static int p_audit_read(void)
{
	Aedesk__AuditListRequest q = AEDESK__AUDIT_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff(PERM_AUDIT_READ);
	return call("audit", &q.base, &aedesk__audit_list_reply__descriptor, NULL);
}

static int p_key_rotate(void)
{
	/* allowed: refused after the gate for the impossible grace, so the key stays */
	Aedesk__RotateKeyRequest q = AEDESK__ROTATE_KEY_REQUEST__INIT;
	q.grace_s = -5;
	return call("registry", &q.base, &aedesk__rotate_key_reply__descriptor, NULL);
}

static int p_push_manage(void)
{
	Aedesk__PushSetRequest q = AEDESK__PUSH_SET_REQUEST__INIT;
	q.scope = "staff";
	q.target = (char *)staff(PERM_PUSH_MANAGE);
	q.kind = "wecom";
	q.url = "http://127.0.0.1:9/cgi-bin/webhook/send?key=perm-walk";
	return call("push", &q.base, &aedesk__push_hook_reply__descriptor, NULL);
}

static int p_scheduler_clock(void)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = wire_now_ms();
	return call("scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

enum kind {
	K_ONE,   /* one object: allowed -> OK, else refused */
	K_LIST,  /* a list: a role with no scope is refused; otherwise the object shows iff allowed */
	K_LOOSE, /* allowed -> not refused by the table (a workflow rule such as R-JOB-5 may still say no) */
	K_SELF,  /* acts only on the caller's own (no object): allowed iff the role has any scope */
};

static const struct probe {
	enum perm_action a;
	const char *service;
	int (*run)(void);
	enum kind kind;
	int vis;     /* the action that says whether the caller sees the object (-1: nothing to see) */
	int writes;  /* a refusal must leave the service's outbox seq as it was */
} probes[] = {
	{PERM_STAFF_ADMIN, "registry", p_staff_admin, K_ONE, -1, 1},
	{PERM_STAFF_PASSWORD, "registry", p_staff_password, K_ONE, -1, 1},
	{PERM_STAFF_LIST, "registry", p_staff_list, K_ONE, -1, 0},
	{PERM_CLIENT_READ, "registry", p_client_read, K_ONE, PERM_CLIENT_READ, 0},
	{PERM_CLIENT_WRITE, "registry", p_client_write, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CLIENT_ASSIGN, "registry", p_client_assign, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CLIENT_CLASS, "registry", p_client_class, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CLIENT_CREDIT, "registry", p_client_credit, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CONTACT_WRITE, "registry", p_contact_write, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CONTACT_PERSONAL, "registry", p_contact_personal, K_ONE, PERM_CLIENT_READ, 0},
	{PERM_CONTACT_PERSONAL, "registry", p_contact_export, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_CONTACT_PERSONAL, "registry", p_contact_list, K_LIST, -1, 0},
	{PERM_PROSPECT_READ, "registry", p_prospect_read, K_ONE, PERM_PROSPECT_READ, 0},
	{PERM_PROSPECT_WRITE, "registry", p_prospect_write, K_ONE, -1, 1},
	{PERM_JOB_READ, "jobs", p_job_read, K_ONE, PERM_JOB_READ, 0},
	{PERM_JOB_DRIVE, "jobs", p_job_drive, K_ONE, PERM_CLIENT_READ, 1},
	{PERM_JOB_SIGN, "jobs", p_job_sign, K_LOOSE, PERM_JOB_READ, 1},
	{PERM_JOB_OVERRIDE, "jobs", p_job_override, K_LOOSE, PERM_CLIENT_READ, 1},
	{PERM_ESTIMATE_PREPARE, "jobs", p_estimate_prepare, K_LOOSE, PERM_JOB_READ, 1},
	{PERM_ESTIMATE_SIGN, "jobs", p_estimate_sign, K_LOOSE, -1, 1},
	{PERM_PO_CONFIRM, "jobs", p_po_confirm, K_LOOSE, -1, 1},
	{PERM_INVOICE_WRITE, "jobs", p_invoice_write, K_ONE, PERM_JOB_READ, 1},
	{PERM_INVOICE_READ, "jobs", p_invoice_read, K_LIST, -1, 0},
	{PERM_MEETING_READ, "jobs", p_meeting_read, K_ONE, PERM_MEETING_READ, 0},
	{PERM_SCORECARD_READ, "scorer", p_scorecard_read, K_ONE, -1, 0},
	{PERM_SCORECARD_RATE, "scorer", p_scorecard_rate, K_ONE, -1, 1},
	{PERM_TARGET_SET, "scorer", p_target_set, K_ONE, -1, 1},
	{PERM_SURVEY_WRITE, "scorer", p_survey_write, K_ONE, -1, 1},
	{PERM_CLIENT_SCORE, "scorer", p_client_score, K_LIST, -1, 0},
	{PERM_INBOX_READ, "scheduler", p_inbox_read, K_ONE, -1, 0},
	{PERM_SCHEDULER_CLOCK, "scheduler", p_scheduler_clock, K_ONE, -1, 0},
	{PERM_CALENDAR_LOAD, "scheduler", p_calendar_load, K_LOOSE, -1, 1},
	{PERM_CALENDAR_EXPORT, "scheduler", p_calendar_export, K_ONE, -1, 0},
	{PERM_PLAN_SUBMIT, "scheduler", p_plan_submit, K_SELF, -1, 1},
	{PERM_PLAN_READ, "scheduler", p_plan_read, K_LIST, -1, 0},
	{PERM_AUDIT_READ, "audit", p_audit_read, K_ONE, -1, 0},
	{PERM_KEY_ROTATE, "registry", p_key_rotate, K_LOOSE, -1, 1},
	{PERM_PUSH_MANAGE, "push", p_push_manage, K_ONE, -1, 1},
};

/* allowed: what the table says for the current actor on the current object. */
static int allowed(enum perm_action a)
{
	int s = perm_info(a)->scope[T.actor];
	return s == PERM_ALL || (T.in && s != PERM_NONE);
}

static void world(void)
{
	harness *h = &T.h;
	static const char *const staff_rows[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"zhou.am", "周经理", "am", "zhao.ad"}, {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "zhou.am"},
	    {"wu.cd", "吴创意", "cd", ""}, {"zheng.prod", "郑制作", "production", ""}, {"wang.fin", "王财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff_rows / sizeof staff_rows[0]; i++)
		CHECK_INT(h_cli(h, PW "\n", out, sizeof out, "staff", "add", staff_rows[i][0], "--name", staff_rows[i][1],
		    "--role", staff_rows[i][2], "--manager", staff_rows[i][3], "--password-stdin", NULL), 0);
	for (int i = 0; i < PERM_NROLES - 1; i++)
		login(i, actors[i]);
	login(LI_AE, "li.ae");
	login(ZHOU_AM, "zhou.am");
	char brief[400], due[16], tomorrow[32];
	h_write_file(h, "brief.md",
	    "# 创意简报：春节促销\n\n## 背景\n礼盒销量下滑。\n\n## 目标\n销量增长 20%。\n\n## 目标受众\n城市家庭。\n\n"
	    "## 洞察\n送礼要体面。\n\n## 主张\n团圆的味道。\n\n## 支持点\n老字号。\n\n## 调性\n温暖。\n\n"
	    "## 必备要素\n商标。\n\n## 交付物\n报纸整版一则。\n\n## 预算\n30 万元。\n\n## 时间\n一月中旬见报。\n",
	    brief, sizeof brief);
	h_local_date(40, due, sizeof due);
	h_local_time(24 * 60, tomorrow, sizeof tomorrow);
	/* each AE: a client, a contact with personal data, a prospect, a numbered job, a meeting */
	static const int aes[2] = {0, LI_AE};
	static const char *const names[2] = {"华夏食品", "长城电器"};
	for (int k = 0; k < 2; k++) {
		as(aes[k]);
		H_OK(h, "client", "add", "--name", names[k]);
		H_OK(h, "contact", "add", k ? "C000002" : "C000001", "--name", "王建国", "--phone", "13812345678", "--birthday",
		    "1975-03-08", "--preferences", "喜欢普洱茶");
		H_OK(h, "prospect", "add", "--name", k ? "南方建材" : "东方乳业");
		H_OK(h, "job", "open", k ? "C000002" : "C000001", "--title", "中秋海报", "--kind", "outdoor", "--due", due,
		    "--brief", brief);
		H_OK(h, "meeting", "add", k ? "C000002" : "C000001", "--at", tomorrow, "--title", "提案会", "--attendee",
		    "王建国|市场总监|client");
	}
	/* the jobs get their numbers: CD signs the brief, the AE advances, AD and CD sign */
	for (int k = 0; k < 2; k++) {
		const char *job = k ? "J000002" : "J000001";
		as(3);
		H_OK(h, "job", "sign", job);
		as(aes[k]);
		H_OK(h, "job", "advance", job);
		as(2);
		H_OK(h, "job", "sign", job);
		as(3);
		H_OK(h, "job", "sign", job);
		as(5);
		H_OK(h, "invoice", "add", job, "--amount", "15,000", "--due", due);
	}
	T.cls[0][0] = T.cls[1][0] = 'C';
	CHECK(h_wait_consumer(h, "scorer", "registry", 20000) == 0);
	CHECK(h_wait_consumer(h, "scorer", "jobs", 20000) == 0);
	CHECK(h_wait_consumer(h, "scheduler", "registry", 20000) == 0);
	CHECK(h_wait_consumer(h, "push", "registry", 20000) == 0);
	time_t now = time(NULL) + 8 * 3600;
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(T.period, sizeof T.period, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
}

TEST(test_every_role_tries_every_action_in_and_out_of_scope)
{
	harness *h = &T.h;
	CHECK(h_setup(h, "perm") == 0);
	h_conf_add(h, "scheduler.test_clock", "on");
	CHECK(h_start(h, "registry") == 0);
	CHECK(h_start(h, "jobs") == 0);
	CHECK(h_start(h, "scorer") == 0);
	CHECK(h_start(h, "scheduler") == 0);
	CHECK(h_start(h, "audit") == 0);
	CHECK(h_start(h, "push") == 0);
	CHECK(h_login_admin(h) == 0);
	memcpy(T.tok[PERM_NROLES - 1], h->tok, h->toklen);
	T.toklen[PERM_NROLES - 1] = h->toklen;
	int64_t t0 = wire_now_ms();
	world();
	int64_t t1 = wire_now_ms();

	/* every action of the table has a probe */
	int covered[PERM__COUNT] = {0};
	for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++)
		covered[probes[p].a] = 1;
	for (int a = 0; a < PERM__COUNT; a++) {
		if (!covered[a])
			fprintf(stderr, "  no probe for %s\n", perm_info((enum perm_action)a)->name);
		CHECK(covered[a]);
	}

	int calls = 0, refusals = 0;
	for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++) {
		const struct probe *pr = &probes[p];
		for (int role = 0; role < PERM_NROLES; role++)
			for (int in = 1; in >= 0; in--) {
				T.actor = role;
				T.in = in;
				use(role);
				int yes = pr->kind == K_SELF ? perm_scope(perm_roles[role], pr->a) != PERM_NONE : allowed(pr->a);
				int sees = pr->vis < 0 || allowed((enum perm_action)pr->vis);
				uint64_t before = pr->writes ? state_seq(pr->service) : 0;
				int st = pr->run();
				calls++;
				int ok;
				if (pr->kind == K_LIST)
					ok = perm_scope(perm_roles[role], pr->a) == PERM_NONE && pr->a != PERM_CONTACT_PERSONAL
					    ? st == AEDESK__STATUS__PERMISSION_DENIED
					    : st == 0 && T.seen == yes;
				else if (yes)
					ok = pr->kind == K_LOOSE ? !(st == AEDESK__STATUS__PERMISSION_DENIED &&
									      (h_contains(T.msg, "可以的：") || h_contains(T.msg, "who may:")))
								 : st == 0;
				else
					ok = st == AEDESK__STATUS__PERMISSION_DENIED || (st == AEDESK__STATUS__NOT_FOUND && !sees);
				if (!ok)
					fprintf(stderr, "  %s as %s %s scope: expected %s, got status %d (%s) seen %d\n",
					    perm_info(pr->a)->name, actors[role], in ? "in" : "out of", yes ? "allowed" : "refused", st,
					    T.msg, T.seen);
				CHECK(ok);
				if (!yes && pr->kind != K_LIST) {
					refusals++;
					/* refused: nothing changed */
					if (pr->writes)
						CHECK_INT(state_seq(pr->service), before);
					/* and the message never carries the contact's personal data */
					CHECK(!h_contains(T.msg, "138") && !h_contains(T.msg, "普洱"));
				}
			}
	}
	conns_close();
	fprintf(stderr, "  %d calls, %d refusals, %d actions; the world in %lld ms, the walk in %lld ms\n", calls,
	    refusals, (int)PERM__COUNT, (long long)(t1 - t0), (long long)(wire_now_ms() - t1));
	CHECK_INT(h_teardown(h), 0);
}

/* docs/SECURITY.md gives the table the code enforces (perm_print's Markdown, in English). */
TEST(test_the_docs_give_the_table_the_code_enforces)
{
	char path[1024];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *cut = strstr(path, "/tests/integration/");
	CHECK(cut != NULL);
	if (!cut)
		return;
	snprintf(cut, sizeof path - (size_t)(cut - path), "/docs/SECURITY.md");
	static char doc[65536];
	CHECK(h_read_file(path, doc, sizeof doc) == 0);
	char *mine = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mine, &len);
	perm_print(f, "en", 1);
	fclose(f);
	const char *start = strstr(doc, "<!-- permission-table");
	start = start ? strstr(start, "-->\n") : NULL;
	const char *end = strstr(doc, "<!-- end permission-table -->");
	CHECK(start && end && end > start);
	if (start && end && end > start) {
		start += 4;
		int same = (size_t)(end - start) == len && memcmp(start, mine, len) == 0;
		if (!same)
			fprintf(stderr, "  docs/SECURITY.md's table differs from the code's: regenerate it with\n"
					"  aedesk --lang en admin permissions --markdown\n");
		CHECK(same);
	}
	free(mine);
}

int main(void)
{
	RUN(test_the_docs_give_the_table_the_code_enforces);
	RUN(test_every_role_tries_every_action_in_and_out_of_scope);
	return check_summary();
}
