/*
 * NAME
 *	perm.h - the one permission table: role x action -> scope
 *
 * SYNOPSIS
 *	perm_set_manager_lookup(jobs_manager_lookup);        at start, in main()
 *	if (perm_check(r, PERM_CLIENT_WRITE, client->ae)) return -1;
 *	if (!perm_allows_client(r, PERM_CLIENT_READ, c, NULL)) -> answer NOT_FOUND
 *	perm_print(stdout, "zh", 0);                          aedesk admin permissions
 *
 * DESCRIPTION
 *	Every handler of every service asks here, and only here, whether the caller may
 *	do an action. The table (perm.c) gives, for each action and each role, a scope:
 *	  none  the role may not do it at all
 *	  own   only on what the caller owns: the object's owner (a client's AE or a
 *	        member of its service team, a job's owner, the staff member themself)
 *	  team  own, or the owner is below the caller in the staff hierarchy (AE < AM < AD)
 *	  all   on anything
 *	A caller with several roles gets the widest scope any of them has. "team" walks
 *	the owner's manager chain through a lookup each service registers once (its own
 *	staff projection: the services never ask another service at request time).
 *
 *	Owner NULL means "some object in the caller's scope": the role gate before a list
 *	(which then filters each item with perm_allows) or before the object is known.
 *
 *	Actions marked hidden are reads of one record: out of scope, the service answers
 *	NOT_FOUND as for a record that does not exist, so existence does not leak; every
 *	other refusal is PERMISSION_DENIED.
 *
 * DIAGNOSTICS
 *	perm_check fails the request with PERMISSION_DENIED and a zh/en message that names
 *	the action in the user's terms, the caller's roles and who may, and never any
 *	value from the object (no names, phones, birthdays).
 *
 * SECURITY
 *	Deny by default: an action missing from a role's row is none; an unknown action
 *	is denied. The table is printed by `aedesk admin permissions` and documented in
 *	docs/SECURITY.md; tests/integration/test_permissions.c walks all of it.
 */
#ifndef AEDESK_PERM_H
#define AEDESK_PERM_H

#include <lmdb.h>
#include <stdio.h>
#include <stdint.h>

#include "registry.pb-c.h"
#include "svc.h"

enum perm_scope { PERM_NONE = 0, PERM_OWN, PERM_TEAM, PERM_ALL };

enum perm_action {
	PERM_STAFF_ADMIN,        /* add, disable, enable staff; others' passwords */
	PERM_STAFF_PASSWORD,     /* one's own password, one's own sessions */
	PERM_STAFF_LIST,         /* the staff directory (names, roles, managers) */
	PERM_CLIENT_READ,        /* a client's record, history, contracts, profile, contacts' names */
	PERM_CLIENT_WRITE,       /* add clients, profile, contracts, visits, import */
	PERM_CLIENT_ASSIGN,      /* the responsible AE and the service team */
	PERM_CLIENT_CLASS,       /* override the class, decide recommendations (R-CLASS-1) */
	PERM_CLIENT_CREDIT,      /* credit limit (R-JOB-8 reads it) */
	PERM_CONTACT_WRITE,      /* add contacts, erase one on request */
	PERM_CONTACT_PERSONAL,   /* read or export a contact's personal fields (R-PRIVACY-1) */
	PERM_PROSPECT_READ,      /* a prospect (hidden) */
	PERM_PROSPECT_WRITE,     /* add, advance, lose, win prospects */
	PERM_JOB_READ,           /* a job, its estimates, proofs, strategy */
	PERM_JOB_DRIVE,          /* open, advance, revise jobs; strategy; meetings; flights; feedback */
	PERM_JOB_SIGN,           /* sign a stage in a role the stage needs (R-JOB-5) */
	PERM_JOB_OVERRIDE,       /* approve an exception to a rule (R-JOB-3, R-JOB-8) */
	PERM_ESTIMATE_PREPARE,   /* prepare estimates, issue POs, record proofs */
	PERM_ESTIMATE_SIGN,      /* sign an estimate (R-JOB-5) */
	PERM_PO_CONFIRM,         /* confirm a purchase order (R-JOB-5) */
	PERM_INVOICE_WRITE,      /* invoices, payments, closing the job number */
	PERM_INVOICE_READ,       /* receivables */
	PERM_MEETING_READ,       /* meetings, minutes, action items (hidden) */
	PERM_SCORECARD_READ,     /* an evaluation (业绩评估) */
	PERM_SCORECARD_RATE,     /* rate and comment as a manager */
	PERM_TARGET_SET,         /* revenue and prospect targets */
	PERM_SURVEY_WRITE,       /* client satisfaction surveys */
	PERM_CLIENT_SCORE,       /* client scores and class recommendations to send */
	PERM_INBOX_READ,         /* reminders and notifications */
	PERM_SCHEDULER_CLOCK,    /* the scheduler's test clock (the config switch is the guard) */
	PERM_CALENDAR_LOAD,      /* load a year's official holiday notice */
	PERM_CALENDAR_EXPORT,    /* someone's reminders and meetings as an iCalendar feed */
	PERM_PLAN_SUBMIT,        /* hand in one's weekly plan and monthly summary (R-PLAN-1) */
	PERM_PLAN_READ,          /* see who has not handed them in (R-PLAN-1) */
	PERM_AUDIT_READ,         /* the audit trail */
	PERM_KEY_ROTATE,         /* rotate the token signing key */
	PERM_PUSH_MANAGE,        /* set, remove, test a chat robot (one's own, a team's) */
	PERM__COUNT
};

/* Roles in table order (the columns). */
#define PERM_NROLES 7
extern const uint32_t perm_roles[PERM_NROLES];

struct perm_action_info {
	const char *name;    /* "client.read" */
	const char *zh, *en; /* what the user does, in their words */
	const char *rule;    /* the DOMAIN.md rule it enforces, or NULL */
	int hidden;          /* out of scope answered NOT_FOUND */
	uint8_t scope[PERM_NROLES];
};

const struct perm_action_info *perm_info(enum perm_action a);
/* perm_action_by_name: the action with that name, -1 if none. */
int perm_action_by_name(const char *name);

/*
 * A service's manager lookup: the manager of staff (its direct superior) into out,
 * "" when it has none or is unknown. 0 always; it only reads txn.
 */
typedef void (*perm_manager_fn)(MDB_txn *txn, const char *staff, char *out, size_t len);
void perm_set_manager_lookup(perm_manager_fn fn);

/* perm_scope: the widest scope of any of roles for a. */
enum perm_scope perm_scope(uint32_t roles, enum perm_action a);
/* perm_is_above: boss is staff or above staff in the manager chain (up to 8 levels). */
int perm_is_above(MDB_txn *txn, const char *boss, const char *staff);

/*
 * perm_allows: 1 if the caller may do a on an object owned by any of owners[0..n)
 * (NULL entries and "" are skipped; n == 0 or owners NULL: some object in scope).
 * It never fails the request.
 */
int perm_allowsv(svc_req *r, enum perm_action a, const char *const *owners, size_t n);
int perm_allows(svc_req *r, enum perm_action a, const char *owner);
/* perm_allows_client: owners are the client's AE, its service team and extra (may be NULL). */
int perm_allows_client(svc_req *r, enum perm_action a, const Aedesk__Client *c, const char *extra);

/*
 * perm_check: 0 if allowed; else the request fails with PERMISSION_DENIED (a message
 * naming the action, the caller's roles and who may) and -1 is returned.
 */
int perm_check(svc_req *r, enum perm_action a, const char *owner);
int perm_checkv(svc_req *r, enum perm_action a, const char *const *owners, size_t n);
int perm_check_client(svc_req *r, enum perm_action a, const Aedesk__Client *c, const char *extra);
/* perm_deny: fail the request as perm_check does (for a refusal decided by the caller). */
int perm_deny(svc_req *r, enum perm_action a);

/* perm_print: the whole table, zh or en; markdown != 0 for docs (a pipe table). */
void perm_print(FILE *f, const char *lang, int markdown);

#endif
