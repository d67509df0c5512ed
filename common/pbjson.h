/*
 * NAME
 *	pbjson.h - print any protobuf-c message as JSON
 *
 * SYNOPSIS
 *	#include "pbjson.h"
 *
 *	int pbjson_print(FILE *f, const ProtobufCMessage *m, int indent);
 *
 * DESCRIPTION
 *	pbjson_print() writes m to f as one JSON object, walking only the
 *	protobuf-c descriptors (m->descriptor), so it serves every message type
 *	the services exchange: the CLI's --json output, logs and debugging.
 *
 *	Keys are the .proto field names, in field-number order (the order of
 *	the descriptor).  Proto3 scalar fields are always printed, defaults
 *	included (0, "", false), so scripts can rely on every key being there.
 *	Repeated fields become arrays, nested messages objects (an unset one is
 *	null), enums the name of their value ("OK"; an unknown number is printed
 *	as a number), bytes a standard base64 string with padding, bool true or
 *	false.  64-bit integers are plain JSON numbers: exact in jq and Python,
 *	but beyond 2^53 JavaScript will round them.  float and double are printed
 *	with the fewest significant digits (at most 9 and 17) that read back as
 *	the same value, always with '.' whatever the locale; NaN and infinities
 *	print as null.  Strings are escaped per RFC 8259 (\" \\ \b \f \n \r \t,
 *	other control characters as \u00XX) and UTF-8 passes through unescaped,
 *	so Chinese stays readable; a byte that is not valid UTF-8 is printed as
 *	\ufffd so the output is always valid JSON.
 *
 *	Of the members of a oneof, only the one that is set is printed; if none
 *	is set, none of its keys appear.  A field with explicit presence (proto2
 *	optional; protoc-c 1.4.1 cannot compile proto3 `optional`) that is not
 *	present prints as null.  Unknown fields kept from parsing are not
 *	printed.
 *
 *	indent 0 prints everything on one line without spaces; indent > 0
 *	prints one member per line, indent spaces per level, with ": " after
 *	keys.  Empty arrays and objects print as [] and {}.  No trailing newline
 *	is ever printed: the caller adds one.
 *
 * DIAGNOSTICS
 *	Returns 0 on success.  -EINVAL if f or m is NULL, indent is negative, a
 *	descriptor is not a protobuf-c message descriptor, a field has an
 *	unknown type, or a repeated field claims elements but has no array;
 *	-ELOOP if messages nest more than 100 deep (a cycle of pointers);
 *	-EIO if the stream reports an error.  After an error f may hold partial
 *	output.
 */
#ifndef AEDESK_PBJSON_H
#define AEDESK_PBJSON_H

#include <stdio.h>

#include <protobuf-c/protobuf-c.h>

int pbjson_print(FILE *f, const ProtobufCMessage *m, int indent);
/*
 * pbjson_parse reads one JSON object of len bytes into a new message of type d (see
 * pbjson_read.c): what pbjson_print writes reads back as the same message. Returns 0
 * and *out (free with protobuf_c_message_free_unpacked), or -1 with err naming the
 * field and the fault in Chinese and English.
 */
int pbjson_parse(const ProtobufCMessageDescriptor *d, const char *json, size_t len,
    ProtobufCMessage **out, char *err, size_t errlen);

#endif
