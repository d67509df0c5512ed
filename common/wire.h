/*
 * NAME
 *	wire.h - the one generic pack/unpack of every aedesk message
 *
 * SYNOPSIS
 *	ProtobufCMessage *m = wire_unpack(&aedesk__client__descriptor, buf, len, &why);
 *	wire_pack(m, &out, &outlen); wire_free(m);
 *
 * DESCRIPTION
 *	protobuf-c 1.4.1 trusts its input: no size limit, no recursion limit, no UTF-8
 *	check, and an undefined shift in parse_tag_and_wiretype (CVE-2022-33070). So before
 *	a byte reaches protobuf_c_message_unpack, wire_check walks the wire format with the
 *	message's descriptor: every tag is at most 5 bytes with a field number < 2^29 (which
 *	rules out the undefined shift), every length fits, no groups, nesting at most
 *	WIRE_MAX_DEPTH, every string is valid UTF-8 without NUL or control characters, and
 *	the heap protobuf-c would allocate (structs, strings, repeated arrays) stays within
 *	a budget. Only then does it unpack.
 *
 * DIAGNOSTICS
 *	wire_unpack returns NULL and sets *why to a short English reason for logs.
 */
#ifndef AEDESK_WIRE_H
#define AEDESK_WIRE_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "envelope.pb-c.h"

#define WIRE_VERSION 1
#define WIRE_MAX_FRAME (1u << 20)     /* a request or event frame: 1 MiB */
#define WIRE_MAX_REPLY (16u << 20)    /* a reply frame (lists, replay): 16 MiB */
#define WIRE_MAX_DEPTH 8

int wire_check(const ProtobufCMessageDescriptor *d, const uint8_t *buf, size_t len,
    const char **why);
ProtobufCMessage *wire_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
    size_t len, const char **why);
/* wire_pack: malloc'd bytes of m in *out; -1 on out of memory. */
int wire_pack(const ProtobufCMessage *m, uint8_t **out, size_t *len);
void wire_free(ProtobufCMessage *m);
Aedesk__Envelope *wire_envelope_unpack(const uint8_t *buf, size_t len, const char **why);

/* wire_new_id: 16 random bytes for a request or event id. */
void wire_new_id(uint8_t id[16]);
/* wire_hex: lowercase hex of up to 16 bytes for logs (buf >= 33). */
const char *wire_hex(const uint8_t *b, size_t n, char *buf);
int64_t wire_now_ms(void);
/* wire_short_name: "aedesk.ClientAdded" -> "ClientAdded". */
const char *wire_short_name(const char *full);

#endif
