/*
 * NAME
 *	pbjson.c - print any protobuf-c message as JSON
 *
 * SYNOPSIS
 *	#include "pbjson.h"
 *	See pbjson.h.
 *
 * DESCRIPTION
 *	A recursive walk over ProtobufCMessageDescriptor.fields.  Each member is
 *	found at field->offset inside the message struct; its count (repeated),
 *	has_ flag (proto2 optional) or oneof case lives at
 *	field->quantifier_offset.  Only libc and libprotobuf-c are used; the
 *	small UTF-8 check is local so this file does not depend on text.c.
 *
 * DIAGNOSTICS
 *	See pbjson.h.  Nothing is printed to stderr.
 */
#include "pbjson.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PBJSON_MAX_DEPTH 100

struct pbjson_out {
	FILE *f;
	int indent;
};

static int emit_message(const struct pbjson_out *o, const ProtobufCMessage *m, int depth);

/* In pretty mode start a new line indented to depth; in compact mode nothing. */
static void newline(const struct pbjson_out *o, int depth)
{
	int n;

	if (o->indent <= 0)
		return;
	fputc('\n', o->f);
	for (n = o->indent * depth; n > 0; n--)
		fputc(' ', o->f);
}

/* Length of the valid UTF-8 sequence at p (at most avail bytes), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	size_t n, i;
	uint32_t c, min;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, c = p[0] & 0x1F, min = 0x80;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, c = p[0] & 0x0F, min = 0x800;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, c = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n;
}

/* Write s as a JSON string: RFC 8259 escapes, UTF-8 raw, bad bytes as U+FFFD. */
static void emit_string(const struct pbjson_out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), i = 0, n;

	fputc('"', o->f);
	while (i < len) {
		unsigned char c = p[i];

		if (c >= 0x80) {
			n = utf8_seq_len(p + i, len - i);
			if (n == 0) {
				fputs("\\ufffd", o->f);
				i++;
			} else {
				fwrite(p + i, 1, n, o->f);
				i += n;
			}
			continue;
		}
		switch (c) {
		case '"': fputs("\\\"", o->f); break;
		case '\\': fputs("\\\\", o->f); break;
		case '\b': fputs("\\b", o->f); break;
		case '\f': fputs("\\f", o->f); break;
		case '\n': fputs("\\n", o->f); break;
		case '\r': fputs("\\r", o->f); break;
		case '\t': fputs("\\t", o->f); break;
		default:
			if (c < 0x20)
				fprintf(o->f, "\\u%04x", c);
			else
				fputc(c, o->f);
		}
		i++;
	}
	fputc('"', o->f);
}

/* Write bytes as a quoted standard base64 string with '=' padding. */
static void emit_base64(const struct pbjson_out *o, const ProtobufCBinaryData *b)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *d = b->data;
	size_t i, len = d ? b->len : 0;

	fputc('"', o->f);
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];

		fputc(alphabet[v >> 18 & 63], o->f);
		fputc(alphabet[v >> 12 & 63], o->f);
		fputc(alphabet[v >> 6 & 63], o->f);
		fputc(alphabet[v & 63], o->f);
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)d[i] << 16;

		fputc(alphabet[v >> 18 & 63], o->f);
		fputc(alphabet[v >> 12 & 63], o->f);
		fputs("==", o->f);
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8;

		fputc(alphabet[v >> 18 & 63], o->f);
		fputc(alphabet[v >> 12 & 63], o->f);
		fputc(alphabet[v >> 6 & 63], o->f);
		fputc('=', o->f);
	}
	fputc('"', o->f);
}

/* Format v with prec significant digits; true if that reads back as the same value. */
static int real_fmt(char *buf, size_t size, int prec, double v, int is_float)
{
	snprintf(buf, size, "%.*g", prec, v);
	return is_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v;
}

/* Write a float or double: shortest digits that read back exactly, '.' always, null if not finite. */
static void emit_real(const struct pbjson_out *o, double v, int is_float)
{
	char buf[64], tmp[64], out[64];
	int prec, maxprec = is_float ? 9 : 17;
	size_t i, j = 0;

	if (!isfinite(v)) {
		fputs("null", o->f);
		return;
	}
	for (prec = 1; prec < maxprec; prec++)
		if (real_fmt(buf, sizeof buf, prec, v, is_float))
			break;
	if (prec == maxprec)
		real_fmt(buf, sizeof buf, prec, v, is_float);
	/* %g turns 100 into 1e+02 at one digit: spend digits to stay plain when they suffice */
	for (; prec <= maxprec && strpbrk(buf, "eE"); prec++) {
		if (real_fmt(tmp, sizeof tmp, prec, v, is_float) && !strpbrk(tmp, "eE")) {
			memcpy(buf, tmp, sizeof buf);
			break;
		}
	}
	/* a locale's decimal separator (one or more bytes) becomes '.' */
	for (i = 0; buf[i] && j < sizeof out - 1; i++) {
		if (strchr("0123456789+-eE", buf[i]))
			out[j++] = buf[i];
		else if (j == 0 || out[j - 1] != '.')
			out[j++] = '.';
	}
	out[j] = '\0';
	fputs(out, o->f);
}

/* Write an enum as the name of its value, or as a number if the value is unknown. */
static void emit_enum(const struct pbjson_out *o, const ProtobufCFieldDescriptor *fd, int v)
{
	const ProtobufCEnumValue *ev = NULL;

	if (fd->descriptor)
		ev = protobuf_c_enum_descriptor_get_value(fd->descriptor, v);
	if (ev && ev->name)
		emit_string(o, ev->name);
	else
		fprintf(o->f, "%d", v);
}

/* Size of one array element of a repeated field of this type, 0 if unknown. */
static size_t elem_size(ProtobufCType type)
{
	switch (type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return sizeof(int32_t);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return sizeof(uint32_t);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return sizeof(int64_t);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return sizeof(uint64_t);
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_ENUM:
		return sizeof(int);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	}
	return 0;
}

/* Write the single value of type fd->type stored at p. */
static int emit_value(const struct pbjson_out *o, const ProtobufCFieldDescriptor *fd,
    const void *p, int depth)
{
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		fprintf(o->f, "%" PRId32, *(const int32_t *)p);
		return 0;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		fprintf(o->f, "%" PRIu32, *(const uint32_t *)p);
		return 0;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		fprintf(o->f, "%" PRId64, *(const int64_t *)p);
		return 0;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		fprintf(o->f, "%" PRIu64, *(const uint64_t *)p);
		return 0;
	case PROTOBUF_C_TYPE_FLOAT:
		emit_real(o, *(const float *)p, 1);
		return 0;
	case PROTOBUF_C_TYPE_DOUBLE:
		emit_real(o, *(const double *)p, 0);
		return 0;
	case PROTOBUF_C_TYPE_BOOL:
		fputs(*(const protobuf_c_boolean *)p ? "true" : "false", o->f);
		return 0;
	case PROTOBUF_C_TYPE_ENUM:
		emit_enum(o, fd, *(const int *)p);
		return 0;
	case PROTOBUF_C_TYPE_STRING:
		emit_string(o, *(char *const *)p);
		return 0;
	case PROTOBUF_C_TYPE_BYTES:
		emit_base64(o, p);
		return 0;
	case PROTOBUF_C_TYPE_MESSAGE:
		if (!*(ProtobufCMessage *const *)p) {
			fputs("null", o->f);
			return 0;
		}
		return emit_message(o, *(ProtobufCMessage *const *)p, depth);
	}
	return -EINVAL;
}

/* Write a repeated field as a JSON array of its n elements. */
static int emit_array(const struct pbjson_out *o, const ProtobufCFieldDescriptor *fd,
    const char *base, int depth)
{
	size_t n = *(const size_t *)(base + fd->quantifier_offset), i;
	const char *arr = *(const char *const *)(base + fd->offset);
	size_t sz = elem_size(fd->type);
	int rc;

	if (sz == 0 || (n > 0 && !arr))
		return -EINVAL;
	fputc('[', o->f);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', o->f);
		newline(o, depth + 1);
		rc = emit_value(o, fd, arr + i * sz, depth + 1);
		if (rc < 0)
			return rc;
	}
	if (n > 0)
		newline(o, depth);
	fputc(']', o->f);
	return 0;
}

/* True if a field with explicit presence (proto2 optional) is absent. */
static int optional_absent(const ProtobufCFieldDescriptor *fd, const char *base)
{
	if (fd->type == PROTOBUF_C_TYPE_STRING || fd->type == PROTOBUF_C_TYPE_MESSAGE)
		return *(const void *const *)(base + fd->offset) == NULL;
	return !*(const protobuf_c_boolean *)(base + fd->quantifier_offset);
}

/* Write one message as a JSON object, fields in descriptor (field number) order. */
static int emit_message(const struct pbjson_out *o, const ProtobufCMessage *m, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	const char *base = (const char *)m;
	unsigned i;
	int first = 1, rc;

	if (depth >= PBJSON_MAX_DEPTH)
		return -ELOOP;
	if (!d || d->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC || (d->n_fields && !d->fields))
		return -EINVAL;
	fputc('{', o->f);
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];

		if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
		    *(const uint32_t *)(base + fd->quantifier_offset) != fd->id)
			continue;
		if (!first)
			fputc(',', o->f);
		first = 0;
		newline(o, depth + 1);
		emit_string(o, fd->name);
		fputs(o->indent > 0 ? ": " : ":", o->f);
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			rc = emit_array(o, fd, base, depth + 1);
		} else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL &&
		    !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && optional_absent(fd, base)) {
			fputs("null", o->f);
			rc = 0;
		} else {
			rc = emit_value(o, fd, base + fd->offset, depth + 1);
		}
		if (rc < 0)
			return rc;
	}
	if (!first)
		newline(o, depth);
	fputc('}', o->f);
	return 0;
}

/* Print m as JSON on f; see pbjson.h for the format. */
int pbjson_print(FILE *f, const ProtobufCMessage *m, int indent)
{
	struct pbjson_out o = { f, indent };
	int rc;

	if (!f || !m || indent < 0)
		return -EINVAL;
	rc = emit_message(&o, m, 0);
	if (rc < 0)
		return rc;
	return ferror(f) ? -EIO : 0;
}
