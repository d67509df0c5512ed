/*
 * NAME
 *	client.h - call an aedesk service over req/rep (the CLI's and the tests' side)
 *
 * SYNOPSIS
 *	aeclient *c = aeclient_open("ipc:///run/aedesk/registry.rep", 30000, err, sizeof err);
 *	aeclient_set_token(c, tok, len);
 *	rc = aeclient_call(c, &req.base, &aedesk__client_reply__descriptor, &st, msg, n, &reply);
 *
 * DESCRIPTION
 *	Each call wraps the request in an Envelope with a fresh 16-byte id, so that the
 *	service answers a re-sent copy with its first reply instead of acting twice.
 *
 * DIAGNOSTICS
 *	aeclient_call returns 0 when the service answered (its status in *st, its message
 *	in msg, and for OK the unpacked reply), or -1 when it did not (msg says why, e.g.
 *	the service is not running).
 */
#ifndef AEDESK_CLIENT_H
#define AEDESK_CLIENT_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.pb-c.h"

typedef struct aeclient aeclient;

aeclient *aeclient_open(const char *url, int timeout_ms, char *err, size_t errlen);
void aeclient_close(aeclient *c);
void aeclient_set_token(aeclient *c, const uint8_t *tok, size_t len);
void aeclient_set_lang(aeclient *c, const char *lang);
/* aeclient_set_resend: NNG_OPT_REQ_RESENDTIME; tests use it to provoke re-sends. */
void aeclient_set_resend(aeclient *c, int ms);
int aeclient_call(aeclient *c, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
    Aedesk__Status *st, char *msg, size_t msglen, ProtobufCMessage **reply);
/* aeclient_raw sends bytes as they are and returns the reply's bytes (free with free()). */
int aeclient_raw(aeclient *c, const void *buf, size_t len, uint8_t **out, size_t *outlen);
/* aeclient_envelope builds the packed request envelope aeclient_call would send. */
int aeclient_envelope(aeclient *c, const ProtobufCMessage *req, const uint8_t id[16],
    uint8_t **out, size_t *outlen);

#endif
