/*
 * NAME
 *	registry.h - aedesk-registry's shared state and handlers
 *
 * DESCRIPTION
 *	LMDB tables (store format: packed protobuf records):
 *	  staff        staff id -> aedesk.Staff (with the Argon2id hash)
 *	  clients      client id "C000001" -> aedesk.Client
 *	  client_name  client name -> client id (names are unique)
 *	  reg_meta     "client_seq" -> be64(last client number)
 */
#ifndef AEDESK_REGISTRY_H
#define AEDESK_REGISTRY_H

#include "registry.pb-c.h"
#include "svc.h"

struct registry {
	MDB_dbi staff, clients, client_name, meta;
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	int64_t token_ttl_ms;
};

extern struct registry registry;

int registry_bootstrap(svc *s, svc_req *r);

int registry_login(svc_req *r, const ProtobufCMessage *in);
int registry_staff_add(svc_req *r, const ProtobufCMessage *in);
int registry_staff_list(svc_req *r, const ProtobufCMessage *in);
int registry_set_password(svc_req *r, const ProtobufCMessage *in);

int registry_client_add(svc_req *r, const ProtobufCMessage *in);
int registry_client_get(svc_req *r, const ProtobufCMessage *in);
int registry_client_list(svc_req *r, const ProtobufCMessage *in);

/* registry_staff_get: 0 and *out (free with wire_free), or MDB_NOTFOUND. */
int registry_staff_get(MDB_txn *txn, const char *id, Aedesk__Staff **out);

#endif
