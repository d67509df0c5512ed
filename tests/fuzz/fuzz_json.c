/*
 * NAME
 *	fuzz_json - libFuzzer target: pbjson_parse, the gateway's reader of what browsers send
 *
 * DESCRIPTION
 *	The first byte picks a request type (the deepest ones: the client dossier, a contract,
 *	a job with its brief, minutes with actions, an estimate's lines); the rest is read as
 *	that request's JSON. It must accept or refuse without a crash, a leak or undefined
 *	behaviour, and what it accepts must print (pbjson_print) and read back to the same JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.pb-c.h"
#include "pbjson.h"
#include "registry.pb-c.h"

static char *print(const ProtobufCMessage *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	pbjson_print(f, m, 0);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ProtobufCMessageDescriptor *const types[] = {
	    &aedesk__profile_set_request__descriptor, &aedesk__contract_add_request__descriptor,
	    &aedesk__job_open_request__descriptor, &aedesk__minutes_file_request__descriptor,
	    &aedesk__estimate_add_request__descriptor, &aedesk__client_list_request__descriptor,
	};
	if (size < 1 || size > 65536)
		return 0;
	const ProtobufCMessageDescriptor *d = types[data[0] % (sizeof types / sizeof types[0])];
	ProtobufCMessage *m = NULL;
	char err[256];
	if (pbjson_parse(d, (const char *)data + 1, size - 1, &m, err, sizeof err) != 0)
		return 0;
	char *a = print(m);
	ProtobufCMessage *again = NULL;
	if (a && pbjson_parse(d, a, strlen(a), &again, err, sizeof err) != 0)
		abort(); /* what print wrote must read back */
	char *b = again ? print(again) : NULL;
	if (a && b && strcmp(a, b) != 0)
		abort();
	free(a);
	free(b);
	protobuf_c_message_free_unpacked(m, NULL);
	if (again)
		protobuf_c_message_free_unpacked(again, NULL);
	return 0;
}
