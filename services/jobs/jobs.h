/*
 * NAME
 *	jobs.h - aedesk-jobs' shared state, store helpers and handlers
 *
 * DESCRIPTION
 *	LMDB tables (store format: packed protobuf records; ids are a letter and six
 *	digits from a jobs_meta counter, never reused):
 *	  jobs         "J000001" -> aedesk.Job (stages, sign-offs, revisions, history)
 *	  job_number   job number "C000001-2026-001" -> job id
 *	  strategies   "<client id>/<brand>" -> aedesk.JobStrategy ("" brand: the client's)
 *	  estimates    "E000001" -> aedesk.Estimate
 *	  pos          "P000001" -> aedesk.PurchaseOrder
 *	  invoices     "I000001" -> aedesk.Invoice
 *	  payments     "Y000001" -> aedesk.InvoicePayment
 *	  clients      client id -> aedesk.Client   (projection of registry events)
 *	  staff        staff id -> aedesk.Staff     (projection, without password hashes)
 *	  unpaid       client id -> be64(fen invoiced and not yet paid), for R-JOB-8
 *	  meetings     "M000001" -> aedesk.Meeting (with its minutes)
 *	  actions      "A000001" -> aedesk.ActionItem (from the minutes)
 *	  proofs       "S000001" -> aedesk.Proof (打样 / 校样 and its sign-offs)
 *	  flights      "F000001" -> aedesk.Flight (a flight phase and its placements)
 *	  feedback     "K000001" -> aedesk.FeedbackReport (广告执行反馈书)
 *	  jobs_meta    counters: "job", "estimate", "po", "invoice", "payment", "meeting",
 *	               "action", "proof", "flight", "feedback",
 *	               "no/<client id>/<year>" (job number sequence)
 */
#ifndef AEDESK_JOBS_H
#define AEDESK_JOBS_H

#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "perm.h"
#include "svc.h"

#define JOBS_DAY_MS INT64_C(86400000)
#define JOBS_TEXT_MAX 4000      /* a brief field, note or reason, in bytes */
#define JOBS_STRATEGY_MAX 60000 /* a strategy sheet, in bytes */

struct jobs {
	MDB_dbi jobs, job_number, strategies, estimates, pos, invoices, payments, clients, staff,
	    unpaid, meetings, actions, proofs, flights, feedback, meta;
	int64_t utc_offset_ms;  /* the agency's offset from UTC (China: +8 h, no DST) */
	int64_t test_shift_ms;  /* jobs.test_clock_shift_days: tests only, see main.c */
};
extern struct jobs jobs;

/* main.c / store.c */
int jobs_bootstrap(svc *s, svc_req *r);
int jobs_on_client(svc_req *r, const ProtobufCMessage *ev);
int jobs_on_client_updated(svc_req *r, const ProtobufCMessage *ev);
int jobs_on_staff(svc_req *r, const ProtobufCMessage *ev);

/* Lead time (R-JOB-3): the kinds of job and their minimum days, from the config. */
int jobs_kind_valid(const char *kind);
int64_t jobs_lead_days(const char *kind);
const char *jobs_kind_list(void);

/* store.c: records and scope */
int jobs_en(const svc_req *r);
/* jobs_load: the job by id or number, if the caller may see it; else fails r (NOT_FOUND). */
int jobs_load(svc_req *r, const char *id, Aedesk__Job **out);
int jobs_save(svc_req *r, const Aedesk__Job *j);
int jobs_get_msg(svc_req *r, MDB_dbi dbi, const char *id, const ProtobufCMessageDescriptor *d,
    ProtobufCMessage **out);
int jobs_put_msg(svc_req *r, MDB_dbi dbi, const char *id, const ProtobufCMessage *m);
int jobs_client_get(MDB_txn *txn, const char *id, Aedesk__Client **out);
/* jobs_manager_of: the staff member's manager id into out ("" if none known). */
void jobs_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len);
/*
 * jobs_client_allows: the permission table's answer for action a on the client (its
 * AE and service team from the registry's projection) and extra (a job's owner, a
 * meeting's organiser; may be NULL). An unknown client is in nobody's own scope.
 */
int jobs_client_allows(svc_req *r, enum perm_action a, const char *client_id, const char *extra);
/* jobs_visible: job.read on the job (its client, its owner). */
int jobs_visible(svc_req *r, const Aedesk__Job *j);
/* jobs_next_id: the next "<prefix>000001" id of a counter. */
int jobs_next_id(svc_req *r, const char *counter, char prefix, char *out, size_t len);
uint64_t jobs_unpaid(MDB_txn *txn, const char *client_id);
int jobs_unpaid_add(svc_req *r, const char *client_id, int64_t delta);

/* Editing a loaded record: strings and elements owned by protobuf-c's allocator. */
char *jobs_strdup(const char *s);
int jobs_set_str(char **field, const char *v);
int jobs_history(Aedesk__Job *j, svc_req *r, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int jobs_push_str(char ***arr, size_t *n, const char *s);
int jobs_oom(svc_req *r);
/* jobs_blank: s is empty or only blanks (ASCII, ideographic space, newlines). */
int jobs_blank(const char *s);
/* jobs_end_of_day: the last millisecond of the agency's local day holding ms. */
int64_t jobs_end_of_day(int64_t ms);
void jobs_format_day(int64_t ms, char *buf, size_t len);
void jobs_format_money(int64_t fen, char *buf, size_t len);

/* stages.c */
const char *jobs_stage_name(Aedesk__JobStage st);
const char *jobs_stage_zh(Aedesk__JobStage st);
/* jobs_missing: the roles still to sign the job's current stage, into names[]. */
size_t jobs_missing(const Aedesk__Job *j, const char **names, size_t max);
int jobs_add_signoff(svc_req *r, Aedesk__Job *j, const char *role, const char *client_name);
int jobs_plan_stages(int64_t now_ms, int64_t due_ms, Aedesk__JobStageDue *out, size_t n);
Aedesk__JobStageDue *jobs_stage_due(const Aedesk__Job *j, Aedesk__JobStage st);
int jobs_sign(svc_req *r, const ProtobufCMessage *in);
int jobs_advance(svc_req *r, const ProtobufCMessage *in);
int jobs_revise(svc_req *r, const ProtobufCMessage *in);
int jobs_close(svc_req *r, const ProtobufCMessage *in);
/* jobs_may_drive: job.drive on the job (its AE or owner, team, their AM, an AD). */
int jobs_may_drive(svc_req *r, const Aedesk__Job *j);

/* jobs.c */
/* jobs_reply: answer with the job, what its stage still needs, its estimates, POs, invoices. */
int jobs_reply(svc_req *r, const Aedesk__Job *j);
int jobs_open(svc_req *r, const ProtobufCMessage *in);
int jobs_get(svc_req *r, const ProtobufCMessage *in);
int jobs_list(svc_req *r, const ProtobufCMessage *in);
int jobs_strategy_set(svc_req *r, const ProtobufCMessage *in);
int jobs_strategy_get(svc_req *r, const ProtobufCMessage *in);
int jobs_has_strategy(MDB_txn *txn, const char *client_id, const char *brand);

/* estimates.c */
int jobs_estimate_add(svc_req *r, const ProtobufCMessage *in);
int jobs_estimate_sign(svc_req *r, const ProtobufCMessage *in);
int jobs_estimate_send(svc_req *r, const ProtobufCMessage *in);
int jobs_estimate_confirm(svc_req *r, const ProtobufCMessage *in);
int jobs_estimate_decline(svc_req *r, const ProtobufCMessage *in);
/* jobs_confirmed_estimate: the id of the job's confirmed estimate into out, or -1. */
int jobs_confirmed_estimate(svc_req *r, const Aedesk__Job *j, char *out, size_t len);
int jobs_po_add(svc_req *r, const ProtobufCMessage *in);
int jobs_po_confirm(svc_req *r, const ProtobufCMessage *in);

/* invoices.c */
int jobs_invoice_add(svc_req *r, const ProtobufCMessage *in);
int jobs_payment_add(svc_req *r, const ProtobufCMessage *in);
int jobs_receivables(svc_req *r, const ProtobufCMessage *in);

/* meetings.c: meetings, minutes and action items */
int jobs_meeting_add(svc_req *r, const ProtobufCMessage *in);
int jobs_meeting_move(svc_req *r, const ProtobufCMessage *in);
int jobs_meeting_cancel(svc_req *r, const ProtobufCMessage *in);
int jobs_meeting_get(svc_req *r, const ProtobufCMessage *in);
int jobs_meeting_list(svc_req *r, const ProtobufCMessage *in);
int jobs_minutes_file(svc_req *r, const ProtobufCMessage *in);
int jobs_action_list(svc_req *r, const ProtobufCMessage *in);
int jobs_action_done(svc_req *r, const ProtobufCMessage *in);

/* rights.c: R-JOB-9 */
int jobs_rights_set(svc_req *r, const ProtobufCMessage *in);
/* jobs_rights_missing: "image、music" (the items not yet cleared or n/a) into buf; 0 = none. */
size_t jobs_rights_missing(svc_req *r, const Aedesk__Job *j, char *buf, size_t len);

/* proofs.c */
int jobs_proof_add(svc_req *r, const ProtobufCMessage *in);
int jobs_proof_sign(svc_req *r, const ProtobufCMessage *in);
/* jobs_proof_complete: 0 if one of the job's proofs is signed by every role; else fails r. */
int jobs_proof_complete(svc_req *r, const Aedesk__Job *j);

/* flights.c: flights and execution feedback reports */
int jobs_flight_add(svc_req *r, const ProtobufCMessage *in);
int jobs_feedback_add(svc_req *r, const ProtobufCMessage *in);
int jobs_feedback_get(svc_req *r, const ProtobufCMessage *in);

/* jobs_text_ok: s is not blank and at most max bytes. */
int jobs_text_ok(const char *s, size_t max);

#endif
