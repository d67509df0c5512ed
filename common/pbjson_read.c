/*
 * NAME
 *	pbjson_read.c - read JSON into any protobuf-c message (the inverse of pbjson_print)
 *
 * SYNOPSIS
 *	#include "pbjson.h"
 *	ProtobufCMessage *m;
 *	char err[256];
 *	if (pbjson_parse(&aedesk__client_add_request__descriptor, body, len, &m, err, sizeof err))
 *		... err says which key is wrong ...
 *	protobuf_c_message_free_unpacked(m, NULL);
 *
 * DESCRIPTION
 *	A recursive-descent JSON reader (RFC 8259) that fills the message as it reads,
 *	guided only by the descriptor, so the gateway turns any request the services
 *	define into its message without code per type. It accepts what pbjson_print
 *	writes: keys are the .proto field names; enums by name or number; bytes as
 *	base64 (standard, padding optional); 64-bit integers as numbers or as decimal
 *	strings (JavaScript cannot hold them exactly); null leaves a field unset; a
 *	repeated field takes an array. Everything is allocated with malloc, so the
 *	result is freed like an unpacked message (protobuf_c_message_free_unpacked or
 *	wire_free).
 *
 * DIAGNOSTICS
 *	Returns 0, or -1 with err naming the key and what is wrong (in English and Chinese,
 *	"field \"x\": ..."): a key the message does not have, a value of the wrong kind, a
 *	number out of range, an unknown enum name, bad UTF-8 or bad JSON (with the byte
 *	offset). Nesting deeper than 64 levels is refused. Nothing is allocated on failure.
 */
#include "pbjson.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct rd {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	const char *field; /* the key being read, for messages */
};

static int fail(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct rd *r, const char *fmt, ...)
{
	if (r->err && r->errlen && !r->err[0]) {
		char what[200];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(what, sizeof what, fmt, ap);
		va_end(ap);
		if (r->field)
			snprintf(r->err, r->errlen, "字段 \"%s\"：%s / field \"%s\": %s", r->field, what, r->field,
			    what);
		else
			snprintf(r->err, r->errlen, "JSON：%s（第 %ld 字节）/ JSON: %s at byte %ld", what,
			    (long)(r->p - r->start), what, (long)(r->p - r->start));
	}
	return -1;
}

static void ws(struct rd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int lit(struct rd *r, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(r->end - r->p) >= n && memcmp(r->p, w, n) == 0) {
		r->p += n;
		return 1;
	}
	return 0;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v * 16 + (unsigned)d;
	}
	return 0;
}

static size_t put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* utf8_ok: the n bytes at p are well-formed UTF-8 (no overlongs, no surrogates). */
static int utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i], len, min, v;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			len = 2, v = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			len = 3, v = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			len = 4, v = c & 0x07, min = 0x10000;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (unsigned k = 1; k < len; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			v = v << 6 | (p[i + k] & 0x3F);
		}
		if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

/* string reads a JSON string into a malloc'd, NUL-ended buffer (*len without the NUL). */
static int string(struct rd *r, char **out, size_t *len)
{
	if (r->p >= r->end || *r->p != '"')
		return fail(r, "expected a string");
	const char *s = ++r->p;
	/* The decoded text is never longer than the source. */
	const char *q = s;
	while (q < r->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= r->end)
		return fail(r, "unterminated string");
	char *o = malloc((size_t)(q - s) + 1);
	if (!o)
		return fail(r, "out of memory");
	size_t n = 0;
	while (r->p < q) {
		unsigned char c = (unsigned char)*r->p;
		if (c < 0x20) {
			free(o);
			return fail(r, "control character in a string");
		}
		if (c != '\\') {
			o[n++] = (char)c;
			r->p++;
			continue;
		}
		r->p++;
		char e = *r->p++;
		switch (e) {
		case '"': o[n++] = '"'; break;
		case '\\': o[n++] = '\\'; break;
		case '/': o[n++] = '/'; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'u': {
			unsigned u, lo;
			if (q - r->p < 4 || hex4(r->p, &u) != 0) {
				free(o);
				return fail(r, "bad \\u escape");
			}
			r->p += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (q - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || hex4(r->p + 2, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF) {
					free(o);
					return fail(r, "lone surrogate in \\u escape");
				}
				r->p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				free(o);
				return fail(r, "lone surrogate in \\u escape");
			}
			n += put_utf8(o + n, u);
			break;
		}
		default:
			free(o);
			return fail(r, "bad escape");
		}
	}
	r->p++; /* the closing quote */
	o[n] = 0;
	if (!utf8_ok((const unsigned char *)o, n)) {
		free(o);
		return fail(r, "not valid UTF-8");
	}
	*out = o;
	if (len)
		*len = n;
	return 0;
}

/* number_text copies a JSON number's text into buf. */
static int number_text(struct rd *r, char *buf, size_t len)
{
	const char *s = r->p;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || !(*r->p >= '0' && *r->p <= '9'))
		return fail(r, "expected a number");
	while (r->p < r->end && ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
				    *r->p == 'E' || *r->p == '+' || *r->p == '-'))
		r->p++;
	if ((size_t)(r->p - s) >= len)
		return fail(r, "number too long");
	memcpy(buf, s, (size_t)(r->p - s));
	buf[r->p - s] = 0;
	return 0;
}

/* number reads a number, or a string holding one (for 64-bit integers), as text. */
static int number_or_string(struct rd *r, char *buf, size_t len)
{
	if (r->p < r->end && *r->p == '"') {
		char *s;
		size_t n;
		if (string(r, &s, &n) != 0)
			return -1;
		if (n >= len || n == 0) {
			free(s);
			return fail(r, "expected a number");
		}
		memcpy(buf, s, n + 1);
		free(s);
		return 0;
	}
	return number_text(r, buf, len);
}

static int integer(struct rd *r, int is_signed, int64_t min, uint64_t max, uint64_t *out)
{
	char buf[64], *end;
	if (number_or_string(r, buf, sizeof buf) != 0)
		return -1;
	errno = 0;
	if (is_signed) {
		long long v = strtoll(buf, &end, 10);
		if (*end || errno || v < min || (v > 0 && (uint64_t)v > max))
			return fail(r, "not an integer in range: %s", buf);
		*out = (uint64_t)v;
	} else {
		if (buf[0] == '-')
			return fail(r, "not an integer in range: %s", buf);
		unsigned long long v = strtoull(buf, &end, 10);
		if (*end || errno || v > max)
			return fail(r, "not an integer in range: %s", buf);
		*out = v;
	}
	return 0;
}

static int base64(struct rd *r, ProtobufCBinaryData *b)
{
	char *s;
	size_t n;
	if (string(r, &s, &n) != 0)
		return -1;
	uint8_t *o = malloc(n / 4 * 3 + 3);
	if (!o) {
		free(s);
		return fail(r, "out of memory");
	}
	size_t k = 0;
	unsigned acc = 0, bits = 0;
	for (size_t i = 0; i < n; i++) {
		int c = s[i], v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=')
			break;
		else {
			free(s);
			free(o);
			return fail(r, "not base64");
		}
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[k++] = (uint8_t)(acc >> bits);
		}
	}
	free(s);
	b->data = o;
	b->len = k;
	return 0;
}

static int message(struct rd *r, const ProtobufCMessageDescriptor *d, ProtobufCMessage **out, int depth);

static size_t elem_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
		return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(ProtobufCMessage *);
	}
	return 0;
}

/*
 * value reads one JSON value of field fd into dst (the member itself, or an array
 * element). Strings, bytes and messages are allocated; the caller owns them after.
 */
static int value(struct rd *r, const ProtobufCFieldDescriptor *fd, void *dst, int depth)
{
	uint64_t u = 0; /* gcc -O3 cannot see that integer() sets it when it returns 0 */
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		if (integer(r, 1, INT32_MIN, INT32_MAX, &u) != 0)
			return -1;
		*(int32_t *)dst = (int32_t)(int64_t)u;
		return 0;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		if (integer(r, 0, 0, UINT32_MAX, &u) != 0)
			return -1;
		*(uint32_t *)dst = (uint32_t)u;
		return 0;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		if (integer(r, 1, INT64_MIN, INT64_MAX, &u) != 0)
			return -1;
		*(int64_t *)dst = (int64_t)u;
		return 0;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		if (integer(r, 0, 0, UINT64_MAX, &u) != 0)
			return -1;
		*(uint64_t *)dst = u;
		return 0;
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_DOUBLE: {
		char buf[64], *end;
		if (number_or_string(r, buf, sizeof buf) != 0)
			return -1;
		double v = strtod(buf, &end);
		if (*end || !isfinite(v))
			return fail(r, "not a number: %s", buf);
		if (fd->type == PROTOBUF_C_TYPE_FLOAT)
			*(float *)dst = (float)v;
		else
			*(double *)dst = v;
		return 0;
	}
	case PROTOBUF_C_TYPE_BOOL:
		if (lit(r, "true"))
			*(protobuf_c_boolean *)dst = 1;
		else if (lit(r, "false"))
			*(protobuf_c_boolean *)dst = 0;
		else
			return fail(r, "expected true or false");
		return 0;
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumDescriptor *ed = fd->descriptor;
		if (r->p < r->end && *r->p == '"') {
			char *s;
			if (string(r, &s, NULL) != 0)
				return -1;
			const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value_by_name(ed, s);
			if (!ev) {
				int rc = fail(r, "no such value: %s", s);
				free(s);
				return rc;
			}
			free(s);
			*(int *)dst = ev->value;
			return 0;
		}
		if (integer(r, 1, INT32_MIN, INT32_MAX, &u) != 0)
			return -1;
		*(int *)dst = (int)(int64_t)u;
		return 0;
	}
	case PROTOBUF_C_TYPE_STRING:
		return string(r, (char **)dst, NULL);
	case PROTOBUF_C_TYPE_BYTES:
		return base64(r, (ProtobufCBinaryData *)dst);
	case PROTOBUF_C_TYPE_MESSAGE:
		return message(r, fd->descriptor, (ProtobufCMessage **)dst, depth + 1);
	}
	return fail(r, "unsupported field type");
}

/* set_field reads the value of fd into the message m (base pointer b). */
static int set_field(struct rd *r, const ProtobufCFieldDescriptor *fd, char *b, int depth)
{
	if (lit(r, "null")) {
		/* null is "not given": a message given before under the same key goes. */
		ProtobufCMessage **slot = (ProtobufCMessage **)(b + fd->offset);
		if (fd->label != PROTOBUF_C_LABEL_REPEATED && fd->type == PROTOBUF_C_TYPE_MESSAGE &&
		    !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && *slot && *slot != fd->default_value) {
			protobuf_c_message_free_unpacked(*slot, NULL);
			*slot = NULL;
		}
		return 0;
	}
	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t *count = (size_t *)(b + fd->quantifier_offset);
		void **arr = (void **)(b + fd->offset);
		if (*count)
			return fail(r, "given twice");
		if (r->p >= r->end || *r->p != '[')
			return fail(r, "expected an array");
		r->p++;
		size_t es = elem_size(fd->type), cap = 0, n = 0;
		char *a = NULL;
		ws(r);
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return 0;
		}
		for (;;) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				char *na = realloc(a, cap * es);
				if (!na)
					return fail(r, "out of memory");
				a = na;
			}
			memset(a + n * es, 0, es);
			ws(r);
			/* A repeated field's elements are owned by the message as they are read, so
			 * a failure half-way frees them with the rest. */
			*arr = a;
			*count = n;
			if (fd->type == PROTOBUF_C_TYPE_STRING)
				*(char **)(a + n * es) = NULL;
			if (value(r, fd, a + n * es, depth) != 0)
				return -1;
			*count = ++n;
			ws(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == ']') {
				r->p++;
				return 0;
			}
			return fail(r, "expected , or ] in an array");
		}
	}
	if ((fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && *(uint32_t *)(b + fd->quantifier_offset) &&
	    *(uint32_t *)(b + fd->quantifier_offset) != fd->id)
		return fail(r, "another member of its oneof is already given");
	void *dst = b + fd->offset;
	/* Replace whatever was there (a default, or the same key given twice). */
	if (fd->type == PROTOBUF_C_TYPE_STRING) {
		char *old = *(char **)dst;
		char *s;
		if (string(r, &s, NULL) != 0)
			return -1;
		if (old && old != (const char *)fd->default_value)
			free(old);
		*(char **)dst = s;
	} else if (fd->type == PROTOBUF_C_TYPE_BYTES) {
		ProtobufCBinaryData nb = {0, NULL}, *ob = dst;
		if (base64(r, &nb) != 0)
			return -1;
		const ProtobufCBinaryData *def = fd->default_value;
		if (ob->data && (!def || ob->data != def->data))
			free(ob->data);
		*ob = nb;
	} else if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
		ProtobufCMessage *sub = NULL, **slot = dst;
		if (message(r, fd->descriptor, &sub, depth + 1) != 0)
			return -1;
		if (*slot && *slot != fd->default_value)
			protobuf_c_message_free_unpacked(*slot, NULL);
		*slot = sub;
	} else if (value(r, fd, dst, depth) != 0) {
		return -1;
	}
	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		*(uint32_t *)(b + fd->quantifier_offset) = fd->id;
	else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset)
		*(protobuf_c_boolean *)(b + fd->quantifier_offset) = 1; /* proto2 has_ */
	return 0;
}

static int message(struct rd *r, const ProtobufCMessageDescriptor *d, ProtobufCMessage **out, int depth)
{
	if (depth > MAX_DEPTH)
		return fail(r, "nested too deep");
	if (!d || d->magic != PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC)
		return fail(r, "not a message descriptor");
	ws(r);
	if (r->p >= r->end || *r->p != '{')
		return fail(r, "expected an object");
	r->p++;
	ProtobufCMessage *m = malloc(d->sizeof_message);
	if (!m)
		return fail(r, "out of memory");
	d->message_init(m);
	const char *outer = r->field;
	char keybuf[128]; /* the key being read, named in an error */
	ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		*out = m;
		return 0;
	}
	for (;;) {
		char *key;
		ws(r);
		r->field = outer;
		if (string(r, &key, NULL) != 0)
			goto bad;
		const ProtobufCFieldDescriptor *fd = protobuf_c_message_descriptor_get_field_by_name(d, key);
		snprintf(keybuf, sizeof keybuf, "%s", key);
		free(key);
		r->field = keybuf;
		if (!fd) {
			fail(r, "%s has no such field", d->short_name);
			goto bad;
		}
		ws(r);
		if (r->p >= r->end || *r->p != ':') {
			fail(r, "expected :");
			goto bad;
		}
		r->p++;
		ws(r);
		if (set_field(r, fd, (char *)m, depth) != 0)
			goto bad;
		ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			break;
		}
		fail(r, "expected , or } in an object");
		goto bad;
	}
	r->field = outer;
	*out = m;
	return 0;
bad:
	r->field = outer;
	protobuf_c_message_free_unpacked(m, NULL);
	return -1;
}

int pbjson_parse(const ProtobufCMessageDescriptor *d, const char *json, size_t len, ProtobufCMessage **out,
    char *err, size_t errlen)
{
	struct rd r = {.p = json, .end = json + len, .start = json, .err = err, .errlen = errlen};
	if (err && errlen)
		err[0] = 0;
	*out = NULL;
	if (!json) {
		r.end = r.p = r.start = "";
	}
	ProtobufCMessage *m = NULL;
	if (message(&r, d, &m, 0) != 0)
		return -1;
	r.field = NULL;
	ws(&r);
	if (r.p != r.end) {
		protobuf_c_message_free_unpacked(m, NULL);
		return fail(&r, "trailing bytes after the object");
	}
	*out = m;
	return 0;
}
