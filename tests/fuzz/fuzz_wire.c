/*
 * NAME
 *	fuzz_wire - libFuzzer target: every message type through the checked decoder
 *
 * DESCRIPTION
 *	The first byte picks a message type (every request and event any service handles,
 *	listed at build time from services/<name>/main.c into fuzz_types.inc, plus the
 *	skeleton's own); the rest is offered to wire_unpack exactly as
 *	a service would. Whatever decodes must pack again, decode again to the same bytes
 *	(a stable round trip), and print as JSON. protobuf-c 1.4.1's undefined shift
 *	(CVE-2022-33070) must never be reached: UBSan would stop the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_protos.inc" /* every proto/<name>.proto's header, listed at build time */
#include "pbjson.h"
#include "wire.h"

static const ProtobufCMessageDescriptor *const types[] = {
	&aedesk__envelope__descriptor,
	&aedesk__replay_request__descriptor,
	&aedesk__replay_reply__descriptor,
	&aedesk__health__descriptor,
	&aedesk__token_body__descriptor,
	&aedesk__staff__descriptor,
	&aedesk__client__descriptor,
	&aedesk__login_request__descriptor,
	&aedesk__staff_add_request__descriptor,
	&aedesk__set_password_request__descriptor,
	&aedesk__client_add_request__descriptor,
	&aedesk__client_list_request__descriptor,
	&aedesk__client_list_reply__descriptor,
	&aedesk__staff_list_reply__descriptor,
	&aedesk__login_reply__descriptor,
#include "fuzz_types.inc"
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* Two bytes pick the type: there are more than 256. */
	if (size < 2)
		return 0;
	size_t pick = ((size_t)data[0] << 8 | data[1]) % (sizeof types / sizeof types[0]);
	const ProtobufCMessageDescriptor *d = types[pick];
	data++;
	size--;
	ProtobufCMessage *m = wire_unpack(d, data + 1, size - 1, NULL);
	if (!m)
		return 0;
	uint8_t *a, *b;
	size_t al, bl;
	if (wire_pack(m, &a, &al) != 0)
		abort();
	ProtobufCMessage *m2 = wire_unpack(d, a, al, NULL);
	if (!m2)
		abort(); /* what we accepted and packed must be accepted again */
	if (wire_pack(m2, &b, &bl) != 0 || al != bl || memcmp(a, b, al) != 0)
		abort();
	FILE *devnull = fopen("/dev/null", "w");
	if (devnull) {
		pbjson_print(devnull, m, 2);
		fclose(devnull);
	}
	free(a);
	free(b);
	wire_free(m2);
	wire_free(m);
	return 0;
}
