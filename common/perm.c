/*
 * NAME
 *	perm.c - the permission table and the one check every handler calls
 *
 * DESCRIPTION
 *	See perm.h. The table below is the whole policy: change it here and
 *	`aedesk admin permissions`, docs/SECURITY.md and tests/integration/test_permissions.c
 *	follow (the test walks every row; the docs table is this table printed).
 *
 * SECURITY
 *	Deny by default. Messages name the action and roles, never a value from the
 *	object the caller was refused (R-PRIVACY-1: no personal data in replies or logs).
 */
#include <stdio.h>
#include <string.h>

#include "perm.h"
#include "text.h"

#define N PERM_NONE
#define O PERM_OWN
#define T PERM_TEAM
#define A PERM_ALL

const uint32_t perm_roles[PERM_NROLES] = {ROLE_AE, ROLE_AM, ROLE_AD, ROLE_CD, ROLE_PRODUCTION, ROLE_FINANCE,
    ROLE_ADMIN};

/* clang-format off */
static const struct perm_action_info table[PERM__COUNT] = {
	/*                                                                                                   AE AM AD CD PR FI AD */
	[PERM_STAFF_ADMIN] = {"staff.admin", "管理员工账号（添加、停用、重设他人密码）", "manage staff accounts (add, disable, reset others' passwords)", NULL, 0, {N, N, N, N, N, N, A}},
	[PERM_STAFF_PASSWORD] = {"staff.password", "修改自己的密码、退出所有会话", "change one's own password, log out everywhere", NULL, 0, {O, O, O, O, O, O, A}},
	[PERM_STAFF_LIST] = {"staff.list", "查看员工名录（姓名、角色、上级）", "see the staff directory (names, roles, managers)", NULL, 0, {A, A, A, A, A, A, A}},
	[PERM_CLIENT_READ] = {"client.read", "查看客户（基本记录、历史、合同、资料、联系人姓名）", "see a client (record, history, contracts, profile, contact names)", NULL, 1, {O, T, A, A, A, A, A}},
	[PERM_CLIENT_WRITE] = {"client.write", "登记或修改客户（新增、资料、合同、往来、导入）", "record or change a client (add, profile, contracts, interactions, import)", NULL, 0, {O, T, A, N, N, N, A}},
	[PERM_CLIENT_ASSIGN] = {"client.assign", "分配客户的负责 AE 和服务团队", "assign a client's AE and service team", NULL, 0, {N, T, A, N, N, N, A}},
	[PERM_CLIENT_CLASS] = {"client.class", "调整客户分类、处理分类建议", "change a client's class, decide class recommendations", "R-CLASS-1", 0, {N, T, A, N, N, N, A}},
	[PERM_CLIENT_CREDIT] = {"client.credit", "设置客户信用额度", "set a client's credit limit", "R-JOB-8", 0, {N, N, A, N, N, A, A}},
	[PERM_CONTACT_WRITE] = {"contact.write", "添加联系人、应要求删除联系人信息", "add contacts, erase a contact on request", "R-PRIVACY-1", 0, {O, T, A, N, N, N, A}},
	[PERM_CONTACT_PERSONAL] = {"contact.personal.read", "查看或导出联系人的个人信息（电话、生日、喜好、备注）", "see or export a contact's personal fields (phones, birthday, preferences, notes)", "R-PRIVACY-1", 0, {O, T, A, N, N, N, N}},
	[PERM_PROSPECT_READ] = {"prospect.read", "查看潜在客户", "see a prospect", NULL, 1, {O, T, A, N, N, N, A}},
	[PERM_PROSPECT_WRITE] = {"prospect.write", "添加、推进、签约或放弃潜在客户", "add, advance, win or lose a prospect", NULL, 0, {O, T, A, N, N, N, A}},
	[PERM_JOB_READ] = {"job.read", "查看工作单、估价单、打样、策略单", "see a job, its estimates, proofs and strategy", NULL, 1, {O, T, A, A, A, A, A}},
	[PERM_JOB_DRIVE] = {"job.drive", "开工作单、推进、修改、策略单、会议、排期、反馈报告", "open, advance and revise jobs; strategy, meetings, flights, feedback", NULL, 0, {O, T, A, N, N, N, N}},
	[PERM_JOB_SIGN] = {"job.sign", "以阶段所需的角色签字", "sign a stage in a role it needs", "R-JOB-5", 0, {O, T, A, A, A, N, N}},
	[PERM_JOB_OVERRIDE] = {"job.override", "批准规则的例外（急单、超信用额度）", "approve an exception to a rule (rush job, over the credit limit)", "R-JOB-3, R-JOB-8", 0, {N, N, A, N, N, N, N}},
	[PERM_ESTIMATE_PREPARE] = {"estimate.prepare", "准备估价单、签发 PO 单、登记打样", "prepare estimates, issue purchase orders, record proofs", NULL, 0, {N, N, N, N, A, N, N}},
	[PERM_ESTIMATE_SIGN] = {"estimate.sign", "签估价单", "sign an estimate", "R-JOB-5", 0, {N, N, A, N, N, N, N}},
	[PERM_PO_CONFIRM] = {"po.confirm", "确认 PO 单", "confirm a purchase order", "R-JOB-5", 0, {N, N, N, A, N, N, N}},
	[PERM_INVOICE_WRITE] = {"invoice.write", "开发票、登记收款、结束卡号", "issue invoices, record payments, close job numbers", NULL, 0, {N, N, N, N, N, A, N}},
	[PERM_INVOICE_READ] = {"invoice.read", "查看应收款", "see receivables", NULL, 0, {O, T, A, N, N, A, A}},
	[PERM_MEETING_READ] = {"meeting.read", "查看会议、会议记录、待办事项", "see meetings, minutes and action items", NULL, 1, {O, T, A, N, N, N, A}},
	[PERM_SCORECARD_READ] = {"scorecard.read", "查看业绩评估", "see an evaluation (scorecard)", NULL, 0, {O, T, A, O, O, O, A}},
	[PERM_SCORECARD_RATE] = {"scorecard.rate", "以上级身份评分、写评语", "rate someone and comment as their manager", NULL, 0, {N, T, A, N, N, N, N}},
	[PERM_TARGET_SET] = {"target.set", "设定业绩目标", "set revenue and prospect targets", NULL, 0, {N, T, A, N, N, N, A}},
	[PERM_SURVEY_WRITE] = {"survey.write", "登记客户满意度调查", "record a client satisfaction survey", NULL, 0, {O, T, A, N, N, N, A}},
	[PERM_CLIENT_SCORE] = {"client.score", "查看客户评分、发出分类建议", "see client scores, send class recommendations", "R-CLASS-1", 0, {O, T, A, N, N, N, A}},
	[PERM_INBOX_READ] = {"inbox.read", "查看提醒和通知", "see reminders and notifications", NULL, 0, {O, O, O, O, O, O, A}},
	[PERM_SCHEDULER_CLOCK] = {"scheduler.clock", "设置服务的测试时钟（仅当配置 scheduler.test_clock / push.test_clock = on，测试用）", "set a service's test clock (only with scheduler.test_clock / push.test_clock = on, for tests)", NULL, 0, {A, A, A, A, A, A, A}},
	[PERM_CALENDAR_LOAD] = {"calendar.load", "载入国务院节假日安排通知", "load a year's official holiday notice", NULL, 0, {N, N, A, N, N, N, A}},
	[PERM_CALENDAR_EXPORT] = {"calendar.export", "导出提醒和会议日历（.ics）", "export reminders and meetings as a calendar (.ics)", NULL, 0, {O, T, A, O, O, O, A}},
	[PERM_PLAN_SUBMIT] = {"plan.submit", "提交本人的周工作计划和月度总结", "hand in one's weekly plan and monthly summary", "R-PLAN-1", 0, {O, O, N, N, N, N, N}},
	[PERM_PLAN_READ] = {"plan.read", "查看谁还没交工作计划和月度总结", "see who has not handed in plans and summaries", "R-PLAN-1", 0, {O, T, A, N, N, N, A}},
	[PERM_AUDIT_READ] = {"audit.read", "查看审计记录（谁在何时做了什么，含被拒绝的操作和登录）", "read the audit trail (who did what when, refusals and logins included)", NULL, 0, {N, N, A, N, N, N, A}},
	[PERM_PUSH_MANAGE] = {"push.manage", "设置、删除、测试聊天机器人推送（本人的、团队的）", "set, remove and test chat robot pushes (one's own, a team's)", NULL, 0, {O, T, A, O, O, O, A}},
	[PERM_KEY_ROTATE] = {"key.rotate", "轮换令牌签名密钥", "rotate the token signing key", NULL, 0, {N, N, N, N, N, N, A}},
};
/* clang-format on */

static perm_manager_fn manager_lookup;

const struct perm_action_info *perm_info(enum perm_action a)
{
	return (unsigned)a < PERM__COUNT ? &table[a] : NULL;
}

int perm_action_by_name(const char *name)
{
	for (int i = 0; i < PERM__COUNT; i++)
		if (strcmp(table[i].name, name) == 0)
			return i;
	return -1;
}

void perm_set_manager_lookup(perm_manager_fn fn)
{
	manager_lookup = fn;
}

enum perm_scope perm_scope(uint32_t roles, enum perm_action a)
{
	if ((unsigned)a >= PERM__COUNT)
		return PERM_NONE;
	enum perm_scope best = PERM_NONE;
	for (int i = 0; i < PERM_NROLES; i++)
		if ((roles & perm_roles[i]) && table[a].scope[i] > best)
			best = (enum perm_scope)table[a].scope[i];
	return best;
}

int perm_is_above(MDB_txn *txn, const char *boss, const char *staff)
{
	char cur[64];
	if (!boss || !boss[0] || !staff || !staff[0])
		return 0;
	snprintf(cur, sizeof cur, "%s", staff);
	for (int depth = 0; depth < 8 && cur[0]; depth++) {
		if (strcmp(cur, boss) == 0)
			return 1;
		if (!manager_lookup || !txn)
			return 0;
		char next[64];
		manager_lookup(txn, cur, next, sizeof next);
		memcpy(cur, next, sizeof cur);
	}
	return 0;
}

int perm_allowsv(svc_req *r, enum perm_action a, const char *const *owners, size_t n)
{
	if (!r->caller)
		return 0;
	enum perm_scope s = perm_scope(r->caller->roles, a);
	if (s == PERM_ALL)
		return 1;
	if (s == PERM_NONE)
		return 0;
	if (!owners || n == 0)
		return 1; /* the role gate: some object in scope */
	for (size_t i = 0; i < n; i++) {
		const char *o = owners[i];
		if (!o || !o[0])
			continue;
		if (strcmp(o, r->caller->id) == 0)
			return 1;
		if (s == PERM_TEAM && perm_is_above(r->txn, r->caller->id, o))
			return 1;
	}
	return 0;
}

int perm_allows(svc_req *r, enum perm_action a, const char *owner)
{
	return perm_allowsv(r, a, owner ? &owner : NULL, owner ? 1 : 0);
}

#define PERM_OWNERS_MAX 40

static size_t client_owners(const Aedesk__Client *c, const char *extra, const char **o)
{
	size_t n = 0;
	o[n++] = c->ae;
	for (size_t i = 0; i < c->n_team && n < PERM_OWNERS_MAX - 1; i++)
		o[n++] = c->team[i];
	o[n++] = extra ? extra : "";
	return n;
}

int perm_allows_client(svc_req *r, enum perm_action a, const Aedesk__Client *c, const char *extra)
{
	const char *o[PERM_OWNERS_MAX];
	return perm_allowsv(r, a, o, client_owners(c, extra, o));
}

/* who_may: the roles with any scope for a, "AE（本人）、AM（本团队）…" in the user's language. */
static void who_may(const svc_req *r, enum perm_action a, char *buf, size_t len)
{
	static const char *zh_role[PERM_NROLES] = {"客户主任", "客户经理", "客户总监", "创意总监", "制作部", "财务部",
	    "系统管理员"};
	static const char *en_role[PERM_NROLES] = {"AE", "AM", "AD", "CD", "production", "finance", "admin"};
	static const char *zh_scope[] = {"", "（本人负责的）", "（本团队的）", ""};
	static const char *en_scope[] = {"", " (own)", " (their team's)", ""};
	int en = r->lang && strcmp(r->lang, "en") == 0;
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < PERM_NROLES && used < len; i++) {
		int s = table[a].scope[i];
		if (s == PERM_NONE)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s%s", used ? (en ? ", " : "、") : "",
		    en ? en_role[i] : zh_role[i], en ? en_scope[s] : zh_scope[s]);
	}
	if (!buf[0])
		snprintf(buf, len, "%s", en ? "nobody" : "无人");
}

int perm_deny(svc_req *r, enum perm_action a)
{
	if ((unsigned)a >= PERM__COUNT)
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "权限不足", "permission denied");
	const struct perm_action_info *p = &table[a];
	enum perm_scope s = r->caller ? perm_scope(r->caller->roles, a) : PERM_NONE;
	char who[256], rule[48] = "";
	who_may(r, a, who, sizeof who);
	if (p->rule)
		snprintf(rule, sizeof rule, "%s: ", p->rule);
	int en = r->lang && strcmp(r->lang, "en") == 0;
	const char *what = en ? p->en : p->zh;
	if (s == PERM_NONE)
		return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED,
		    "%s无权%s：您的角色不能做此操作（可以的：%s；权限表见 aedesk admin permissions）",
		    "%snot allowed to %s: your role may not (who may: %s; see aedesk admin permissions)", rule, what, who);
	const char *mine = s == PERM_OWN ? (en ? "your own" : "自己负责") : (en ? "your team's" : "本团队");
	return svc_failf(r, AEDESK__STATUS__PERMISSION_DENIED, "%s无权%s：不在您的负责范围（您只能对%s的对象操作；可以的：%s）",
	    "%snot allowed to %s: it is outside your scope (you may act only on %s; who may: %s)", rule, what, mine,
	    who);
}

int perm_checkv(svc_req *r, enum perm_action a, const char *const *owners, size_t n)
{
	return perm_allowsv(r, a, owners, n) ? 0 : perm_deny(r, a);
}

int perm_check(svc_req *r, enum perm_action a, const char *owner)
{
	return perm_allows(r, a, owner) ? 0 : perm_deny(r, a);
}

int perm_check_client(svc_req *r, enum perm_action a, const Aedesk__Client *c, const char *extra)
{
	return perm_allows_client(r, a, c, extra) ? 0 : perm_deny(r, a);
}

void perm_print(FILE *f, const char *lang, int markdown)
{
	int en = lang && strcmp(lang, "en") == 0;
	static const char *mark[] = {"-", "own", "team", "all"};
	static const char *zh_mark[] = {"-", "本人", "本团队", "全部"};
	static const char *head_en[PERM_NROLES] = {"AE", "AM", "AD", "CD", "production", "finance", "admin"};
	static const char *head_zh[PERM_NROLES] = {"AE", "AM", "AD", "CD", "制作部", "财务部", "管理员"};
	const char **h = en ? head_en : head_zh;
	const char **m = en ? mark : zh_mark;
	if (markdown) {
		fprintf(f, "| action | %s |", en ? "what" : "操作");
		for (int i = 0; i < PERM_NROLES; i++)
			fprintf(f, " %s |", h[i]);
		fprintf(f, " %s |\n|---|---|", en ? "out of scope" : "超出范围");
		for (int i = 0; i <= PERM_NROLES; i++)
			fprintf(f, "---|");
		fprintf(f, "\n");
		for (int a = 0; a < PERM__COUNT; a++) {
			fprintf(f, "| `%s` | %s%s%s%s |", table[a].name, en ? table[a].en : table[a].zh,
			    table[a].rule ? " (" : "", table[a].rule ? table[a].rule : "", table[a].rule ? ")" : "");
			for (int i = 0; i < PERM_NROLES; i++)
				fprintf(f, " %s |", m[table[a].scope[i]]);
			fprintf(f, " %s |\n", table[a].hidden ? "NOT_FOUND" : "PERMISSION_DENIED");
		}
		return;
	}
	const char *row[PERM_NROLES + 2];
	row[0] = en ? "action" : "操作";
	row[1] = en ? "what" : "说明";
	for (int i = 0; i < PERM_NROLES; i++)
		row[i + 2] = h[i];
	text_table *t = text_table_new(PERM_NROLES + 2, row);
	if (!t)
		return;
	for (int a = 0; a < PERM__COUNT; a++) {
		row[0] = table[a].name;
		row[1] = en ? table[a].en : table[a].zh;
		for (int i = 0; i < PERM_NROLES; i++)
			row[i + 2] = m[table[a].scope[i]];
		text_table_add(t, row);
	}
	text_table_print(t, f);
	text_table_free(t);
}
