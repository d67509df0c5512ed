/*
 * NAME
 *	audit.h - aedesk-audit's shared state and functions
 *
 * DESCRIPTION
 *	LMDB tables (all keys sort by time, so a listing walks backwards from "until"):
 *	  au_entries  be64(time_ms) . be64(seq) . source -> packed AuditEntry
 *	  au_staff    staff id \0 . entry key -> ""   (the actor, and a refused login's account)
 *	  au_client   client id \0 . entry key -> ""  (every client id the event names)
 */
#ifndef AEDESK_AUDIT_H
#define AEDESK_AUDIT_H

#include "security.pb-c.h"
#include "svc.h"

struct audit {
	MDB_dbi entries, by_staff, by_client;
};
extern struct audit audit;

/* audit_types: every message type of every .proto (generated; NULL-ended). */
extern const ProtobufCMessageDescriptor *const audit_types[];

int audit_on_event(svc_req *r, const ProtobufCMessage *ev);
int audit_list(svc_req *r, const ProtobufCMessage *in);

#endif
