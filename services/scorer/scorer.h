/*
 * NAME
 *	scorer.h - aedesk-scorer's shared state, store helpers and handlers
 *
 * DESCRIPTION
 *	LMDB tables (packed protobuf records; "\0" separates the parts of a composite
 *	key; be64 is a big-endian u64 so keys sort by time):
 *	  staff          staff id -> aedesk.Staff (projection: name, roles, manager)
 *	  clients        client id -> aedesk.ScoreClient (class/AE timeline)
 *	  staff_clients  staff id \0 client id -> "" (every client the staff was ever AE of)
 *	  contacts       contact id -> client id
 *	  cvisits        client id \0 be64(at_ms) visit id -> "" (face visits, 面访)
 *	  facts          staff id \0 be64(at_ms) kind \0 id [\0 n] -> aedesk.ScoreFact
 *	                 (stage entered, estimate confirmed, revision, invoice issued,
 *	                 prospect added or advanced)
 *	  invoices       invoice id -> aedesk.ScoreInvoice (with its payments)
 *	  ae_invoices    staff id \0 invoice id -> ""
 *	  cl_invoices    client id \0 invoice id -> ""
 *	  ratings        staff id \0 period -> aedesk.RatingRecord
 *	  targets        staff id \0 period -> aedesk.TargetRecord
 *	  surveys        survey id "S000001" -> aedesk.SurveyRecord
 *	  ae_surveys     staff id \0 be64(at_ms) survey id -> ""
 *	  cl_surveys     client id \0 be64(at_ms) survey id -> ""
 *	  scorer_meta    "hwm" (the latest event time applied: the scorer's clock),
 *	                 "survey_seq"
 *
 *	Everything but ratings, targets and surveys (the scorer's own inputs) is a
 *	projection of registry and jobs events: the numbers are a pure function of
 *	the events applied, in integers (thousandths), so a replay gives the same.
 */
#ifndef AEDESK_SCORER_H
#define AEDESK_SCORER_H

#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "scorer.pb-c.h"
#include "perm.h"
#include "svc.h"

#define SC_DAY_MS INT64_C(86400000)
#define SC_WEEK_MS (7 * SC_DAY_MS)
#define SC_TEXT_MAX 4000

struct scorer {
	MDB_dbi staff, clients, staff_clients, contacts, cvisits, facts, invoices, ae_invoices,
	    cl_invoices, ratings, targets, surveys, ae_surveys, cl_surveys, meta;
	int64_t offset_ms;      /* the agency's offset from UTC (timezone_offset_min) */
	int assess;             /* scorer.assess = quarterly (1) or off (0) */
	const conf *conf;
};
extern struct scorer scorer;
extern const char *const sc_sources[]; /* the services whose events it applies */

/* A period: local days [from_day, to_day] (day numbers, see civil.h) and the UTC
 * milliseconds [from_ms, to_ms) they cover. */
typedef struct sc_period {
	char name[32];
	int from_day, to_day;
	int64_t from_ms, to_ms;
	int quarter;            /* YYYY-Qn: its months' targets add up */
	int year, q;
} sc_period;

/* period.c */
/* sc_period_parse: "YYYY-MM", "YYYY-Qn" or "YYYY-MM-DD..YYYY-MM-DD"; 0 or -1. */
int sc_period_parse(const char *s, sc_period *p);
int64_t sc_day_start_ms(int day);
int sc_day_of_ms(int64_t ms);
void sc_format_day(int day, char *buf, size_t len);
void sc_format_week(int monday, char *buf, size_t len);
int sc_en(const svc_req *r);

/* store helpers (project.c) */
size_t sc_key(char *buf, size_t len, const char *a, const char *b);
int sc_get(MDB_txn *txn, MDB_dbi dbi, const char *key, size_t klen,
    const ProtobufCMessageDescriptor *d, ProtobufCMessage **out);
int sc_put(svc_req *r, MDB_dbi dbi, const void *key, size_t klen, const ProtobufCMessage *m);
int sc_put_empty(svc_req *r, MDB_dbi dbi, const void *key, size_t klen);
int64_t sc_hwm(MDB_txn *txn);
int sc_staff_get(MDB_txn *txn, const char *id, Aedesk__Staff **out);
/* sc_manager_of: staff's manager from the projection, for the permission table's team scope. */
void sc_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len);
/* sc_may_see: the caller may see staff's scorecard (self, manager chain, AD, admin). */
int sc_may_see(svc_req *r, const char *staff);
/* sc_weight: config scorer.weight.<name> (0..1000), else dflt. */
int64_t sc_weight(const char *name, int64_t dflt);
/* sc_weights_check: every weight key is valid (a bad one stops the service at start). */
int sc_weights_check(void);
#define SC_NMEASURES 9
extern const struct sc_measure {
	const char *name, *zh;
	int64_t weight;
} sc_measures[SC_NMEASURES];

/* event handlers (project.c) */
int sc_on_staff(svc_req *r, const ProtobufCMessage *ev);
int sc_on_client_added(svc_req *r, const ProtobufCMessage *ev);
int sc_on_client_updated(svc_req *r, const ProtobufCMessage *ev);
int sc_on_contact(svc_req *r, const ProtobufCMessage *ev);
int sc_on_visit(svc_req *r, const ProtobufCMessage *ev);
int sc_on_stage(svc_req *r, const ProtobufCMessage *ev);
int sc_on_revised(svc_req *r, const ProtobufCMessage *ev);
int sc_on_estimate_confirmed(svc_req *r, const ProtobufCMessage *ev);
int sc_on_invoice(svc_req *r, const ProtobufCMessage *ev);
int sc_on_payment(svc_req *r, const ProtobufCMessage *ev);
int sc_on_profile(svc_req *r, const ProtobufCMessage *ev);
int sc_on_prospect_added(svc_req *r, const ProtobufCMessage *ev);
int sc_on_prospect_advanced(svc_req *r, const ProtobufCMessage *ev);
/* sc_profile_at: the client's latest profile point before t, or NULL. */
const Aedesk__ScoreProfilePoint *sc_profile_at(const Aedesk__ScoreClient *c, int64_t t);

/* inputs.c: ratings, comments, targets, surveys */
#define SC_NCRITERIA 9
extern const struct sc_criterion {
	const char *name, *zh;
	int64_t weight;
} sc_criteria[SC_NCRITERIA];
int sc_rate(svc_req *r, const ProtobufCMessage *in);
int sc_comment(svc_req *r, const ProtobufCMessage *in);
int sc_target_set(svc_req *r, const ProtobufCMessage *in);
int sc_survey_add(svc_req *r, const ProtobufCMessage *in);

/* scorecard.c */
int sc_scorecard(svc_req *r, const ProtobufCMessage *in);

/* classify.c (R-CLASS-1) */
int sc_clients(svc_req *r, const ProtobufCMessage *in);
/* sc_assess_quarterly: called by every event handler once it has moved the clocks; when
 * every source's clock is in a later quarter than the last one assessed, every client
 * is scored as of the end of the quarter before and the differing ones sent as
 * ClassRecommended, in the event's transaction. Only event times, never the wall clock. */
int sc_assess_quarterly(svc_req *r);

/* card.c: building a scorecard's inputs */
typedef struct sc_card sc_card;
sc_card *sc_card_new(void);
void sc_card_free(sc_card *c);
/* sc_card_input adds an input; returns it for sources (NULL: out of memory). */
Aedesk__ScoreInput *sc_card_input(sc_card *c, const char *name, int64_t score, int64_t weight,
    const char *note, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int sc_input_source(Aedesk__ScoreInput *in, const char *id);
/* sc_card_finish computes weights' total, contributions and the total score. */
void sc_card_finish(sc_card *c, int64_t *total, int64_t *total_weight);
Aedesk__ScoreInput **sc_card_inputs(sc_card *c, size_t *n);

#endif
