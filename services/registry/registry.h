/*
 * NAME
 *	registry.h - aedesk-registry's shared state and handlers
 *
 * DESCRIPTION
 *	LMDB tables (store format: packed protobuf records; "\0" separates the parts
 *	of a composite key, be64 is a big-endian u64 so keys sort by number):
 *	  staff            staff id -> aedesk.Staff (with the Argon2id hash)
 *	  clients          client id "C000001" -> aedesk.Client
 *	  client_name      client name -> client id (names are unique)
 *	  client_hist      client id \0 be64(hist_seq) -> aedesk.ClientHistoryEntry
 *	  contacts         contact id "K000001" -> aedesk.Contact
 *	  client_contacts  client id \0 contact id -> "" (a client's contacts)
 *	  visits           visit id "V000001" -> aedesk.Visit
 *	  visit_time       be64(at_ms) visit id -> "" (all visits by time)
 *	  client_visits    client id \0 be64(at_ms) visit id -> "" (a client's by time)
 *	  contracts        contract id "H000001" -> aedesk.Contract
 *	  client_contracts client id \0 contract id -> ""
 *	  reg_meta         "client_seq", "contact_seq", "visit_seq", "contract_seq",
 *	                   "hist_seq", "prospect_seq" -> be64(last number used)
 *	issue 3 (profile.c, prospects.c, search in clients.c, import.c):
 *	  profiles         client id -> aedesk.ClientProfile (the 客户基本资料 dossier)
 *	  client_uscc      USCC -> client id (unique)
 *	  client_ae        AE staff id \0 client id -> "" (list by AE without a scan)
 *	  client_class     class \0 client id -> "" (list by class without a scan; built
 *	                   at start for a store from before it, registry_index_backfill)
 *	  prospects        prospect id "P000001" -> aedesk.Prospect
 *	  import_stage     import id \0 be64(line) -> aedesk.ImportRow (staged chunks)
 *	  import_meta      import id -> be64(created_ms) (stages older than a day are dropped)
 *	issue 6 (recommendations.c):
 *	  class_recs       rec id "R000001" -> aedesk.ClassRecommendation (reg_meta "rec_seq")
 *	  client_recs      client id \0 rec id -> ""
 */
#ifndef AEDESK_REGISTRY_H
#define AEDESK_REGISTRY_H

#include "registry.pb-c.h"
#include "perm.h"
#include "svc.h"

struct registry {
	MDB_dbi staff, clients, client_name, meta;
	MDB_dbi client_hist, contacts, client_contacts, visits, visit_time, client_visits;
	MDB_dbi contracts, client_contracts;
	MDB_dbi profiles, client_uscc, client_ae, prospects, import_stage, import_meta;
	MDB_dbi client_class;
	MDB_dbi class_recs, client_recs;
	int class_recs_auto;     /* registry.class_recommendations = auto (default approve) */
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int64_t token_ttl_ms;
};

extern struct registry registry;

int registry_bootstrap(svc *s, svc_req *r);
/* keys.c: the service credential (at start) and key rotation. */
int registry_bootstrap_service_token(svc *s);
int registry_rotate_key(svc_req *r, const ProtobufCMessage *in);

int registry_login(svc_req *r, const ProtobufCMessage *in);
int registry_staff_add(svc_req *r, const ProtobufCMessage *in);
int registry_staff_list(svc_req *r, const ProtobufCMessage *in);
int registry_set_password(svc_req *r, const ProtobufCMessage *in);
int registry_staff_disable(svc_req *r, const ProtobufCMessage *in);
int registry_logout_everywhere(svc_req *r, const ProtobufCMessage *in);
int registry_token_renew(svc_req *r, const ProtobufCMessage *in);

int registry_client_add(svc_req *r, const ProtobufCMessage *in);
int registry_client_get(svc_req *r, const ProtobufCMessage *in);
int registry_client_list(svc_req *r, const ProtobufCMessage *in);

/* classes.c: class, assignment, credit limit and the history of those. */
int registry_client_class(svc_req *r, const ProtobufCMessage *in);
int registry_client_assign(svc_req *r, const ProtobufCMessage *in);
int registry_client_credit(svc_req *r, const ProtobufCMessage *in);
int registry_client_history(svc_req *r, const ProtobufCMessage *in);
/*
 * registry_set_class: the one path of a class change (R-CLASS-1): a history line (by,
 * why) and ClientUpdated {change "class"}. Sets c->class_ = cls: the caller puts its
 * own pointer back before freeing c (an unpacked client).
 */
int registry_set_class(svc_req *r, Aedesk__Client *c, const char *cls, const char *by, const char *why);

/* recommendations.c: the scorer's ClassRecommended, applied or held for approval */
int registry_on_class_recommended(svc_req *r, const ProtobufCMessage *ev);
int registry_recommendation_list(svc_req *r, const ProtobufCMessage *in);
int registry_recommendation_decide(svc_req *r, const ProtobufCMessage *in);

/* contacts.c */
int registry_contact_add(svc_req *r, const ProtobufCMessage *in);
int registry_contact_get(svc_req *r, const ProtobufCMessage *in);
int registry_contact_list(svc_req *r, const ProtobufCMessage *in);
int registry_contact_erase(svc_req *r, const ProtobufCMessage *in);
int registry_contact_export(svc_req *r, const ProtobufCMessage *in);

/* visits.c */
int registry_visit_log(svc_req *r, const ProtobufCMessage *in);
int registry_visit_list(svc_req *r, const ProtobufCMessage *in);

/* contracts.c */
int registry_contract_add(svc_req *r, const ProtobufCMessage *in);
int registry_contract_get(svc_req *r, const ProtobufCMessage *in);
int registry_contract_list(svc_req *r, const ProtobufCMessage *in);

/* profile.c: the client dossier (客户基本资料) and R-PROFILE-1 completeness */
int registry_profile_get(svc_req *r, const ProtobufCMessage *in);
int registry_profile_set(svc_req *r, const ProtobufCMessage *in);

/* prospects.c: the new-client pipeline (开发新客户) */
int registry_prospect_add(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_get(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_advance(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_lose(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_win(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_intent(svc_req *r, const ProtobufCMessage *in);
int registry_prospect_list(svc_req *r, const ProtobufCMessage *in);

/* import.c: all-or-nothing CSV import in staged chunks */
int registry_client_import(svc_req *r, const ProtobufCMessage *in);

/*
 * registry_client_create adds a client (name unique, class, AE an AE) with its
 * indexes, history line and ClientAdded event; id gets the new id. 0, or -1 with the
 * reply set (field named). Used by client add, prospect win and import.
 */
int registry_client_create(svc_req *r, const char *name, const char *cls, const char *ae,
    const char *uscc, const char *industry, const char *prospect_id, char *id, size_t idlen);
/* registry_client_index_ae keeps client_ae in step with a client's AE ("" = none). */
int registry_client_index_ae(svc_req *r, const char *id, const char *old_ae, const char *new_ae);

/* registry_client_index_class keeps client_class in step with a client's class. */
int registry_client_index_class(svc_req *r, const char *id, const char *old_cls, const char *new_cls);
/* registry_index_backfill: build client_ae and client_class for an older store (at start). */
int registry_index_backfill(MDB_txn *txn);

/* registry_staff_get: 0 and *out (free with wire_free), or MDB_NOTFOUND. */
int registry_staff_get(MDB_txn *txn, const char *id, Aedesk__Staff **out);
/* registry_staff_roles: the role bitmask of a staff member, 0 if unknown. */
uint32_t registry_staff_roles(MDB_txn *txn, const char *id);

/*
 * registry_client_load reads a client the caller may see. 0 and *out (free with
 * wire_free); otherwise the reply is already set to NOT_FOUND (out of scope looks
 * the same as missing) and -1 is returned.
 */
int registry_client_load(svc_req *r, const char *id, Aedesk__Client **out);
int registry_client_visible(svc_req *r, const Aedesk__Client *c);
/* registry_manager_of: a staff member's manager, for the permission table's "team" scope. */
void registry_manager_of(MDB_txn *txn, const char *staff, char *out, size_t len);
/*
 * registry_client_put stores a changed client and emits ClientUpdated {client, change, why};
 * c must come from wire_unpack (its updated_by is replaced and freed with c).
 */
int registry_client_put(svc_req *r, Aedesk__Client *c, const char *change, const char *why);
/* registry_history_add appends a line to a client's history (R-CLASS-1). */
int registry_history_add(svc_req *r, const char *client_id, const char *by, const char *change,
    const char *from, const char *to, const char *why);
/* registry_next_id: the next id "<prefix>%06llu" from the reg_meta counter `seq`. */
int registry_next_id(svc_req *r, const char *seq, const char *prefix, char *buf, size_t len);
/* registry_index_key builds "a\0b" (b may be binary, blen bytes) into buf; returns the length. */
size_t registry_index_key(char *buf, size_t len, const char *a, const void *b, size_t blen);
/* registry_check_text: valid UTF-8 text, at most max bytes; 0 or svc_failf (field named). */
int registry_check_text(svc_req *r, const char *s, size_t max, const char *field_zh,
    const char *field_en);

#endif
