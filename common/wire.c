/*
 * NAME
 *	wire.c - checked protobuf-c unpacking and the envelope
 *
 * DESCRIPTION
 *	See wire.h for why every unpack goes through wire_check first.
 */
#include "wire.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

/* What one malloc costs beyond its size (glibc's smallest chunk): counted per allocation. */
#define WIRE_MALLOC_OVERHEAD 32

struct wire_budget {
	size_t left;
	const char **why;
};

/* varint reads an unsigned varint of at most maxbytes; 0 bytes used on error. */
static size_t varint(const uint8_t *p, size_t len, size_t maxbytes, uint64_t *v)
{
	uint64_t x = 0;
	for (size_t i = 0; i < len && i < maxbytes; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

static const ProtobufCFieldDescriptor *field_of(const ProtobufCMessageDescriptor *d, uint32_t n)
{
	for (unsigned i = 0; i < d->n_fields; i++)
		if (d->fields[i].id == n)
			return &d->fields[i];
	return NULL;
}

static int spend(struct wire_budget *b, size_t n, const char *why)
{
	if (n > b->left) {
		*b->why = why;
		return -1;
	}
	b->left -= n;
	return 0;
}

/* check_msg walks one message's bytes; recursion is bounded by depth. */
static int check_msg(const ProtobufCMessageDescriptor *d, const uint8_t *p, size_t len, int depth,
    struct wire_budget *b)
{
	if (depth > WIRE_MAX_DEPTH) {
		*b->why = "nested too deep";
		return -1;
	}
	if (spend(b, d->sizeof_message + WIRE_MALLOC_OVERHEAD, "message too large once decoded"))
		return -1;
	size_t i = 0;
	while (i < len) {
		uint64_t tag;
		size_t n = varint(p + i, len - i, 5, &tag);
		/* A 5-byte tag whose last byte exceeds 0x0f would overflow protobuf-c's shift. */
		if (n == 0 || (n == 5 && p[i + 4] > 0x0f)) {
			*b->why = "bad field tag";
			return -1;
		}
		i += n;
		uint32_t num = (uint32_t)(tag >> 3), wt = (uint32_t)(tag & 7);
		if (num == 0 || num > 0x1fffffff) {
			*b->why = "bad field number";
			return -1;
		}
		const ProtobufCFieldDescriptor *f = field_of(d, num);
		switch (wt) {
		case 0: {
			uint64_t v;
			n = varint(p + i, len - i, 10, &v);
			if (n == 0) {
				*b->why = "bad varint";
				return -1;
			}
			i += n;
			if (f && f->label == PROTOBUF_C_LABEL_REPEATED && spend(b, 8, "too many elements"))
				return -1;
			break;
		}
		case 1:
		case 5: {
			size_t w = wt == 1 ? 8 : 4;
			if (len - i < w) {
				*b->why = "truncated fixed field";
				return -1;
			}
			i += w;
			if (f && f->label == PROTOBUF_C_LABEL_REPEATED && spend(b, 8, "too many elements"))
				return -1;
			break;
		}
		case 2: {
			uint64_t l;
			n = varint(p + i, len - i, 5, &l);
			if (n == 0 || l > len - i - n) {
				*b->why = "length beyond the end of the message";
				return -1;
			}
			i += n;
			const uint8_t *q = p + i;
			i += (size_t)l;
			if (!f)
				break; /* unknown field: protobuf-c keeps its bytes */
			if (f->label == PROTOBUF_C_LABEL_REPEATED && spend(b, sizeof(void *) + 8, "too many elements"))
				return -1;
			if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
				if (check_msg(f->descriptor, q, (size_t)l, depth + 1, b))
					return -1;
			} else if (f->type == PROTOBUF_C_TYPE_STRING) {
				if (l > 0 && !text_utf8_valid((const char *)q, (size_t)l)) {
					*b->why = "string is not valid UTF-8 text";
					return -1;
				}
				if (spend(b, (size_t)l + 1 + WIRE_MALLOC_OVERHEAD, "message too large once decoded"))
					return -1;
			} else if (f->type == PROTOBUF_C_TYPE_BYTES) {
				if (spend(b, (size_t)l + WIRE_MALLOC_OVERHEAD, "message too large once decoded"))
					return -1;
			} else if (spend(b, (size_t)l * 8, "too many elements")) {
				return -1; /* packed repeated scalars: at most 8 bytes each */
			}
			break;
		}
		default:
			*b->why = "unsupported wire type";
			return -1;
		}
	}
	return 0;
}

int wire_check(const ProtobufCMessageDescriptor *d, const uint8_t *buf, size_t len,
    const char **why)
{
	static const char *dummy;
	struct wire_budget b = {.left = 16 * (size_t)len + (1u << 20), .why = why ? why : &dummy};
	if (len > WIRE_MAX_REPLY) {
		*b.why = "message too large";
		return -1;
	}
	return check_msg(d, buf, len, 0, &b);
}

ProtobufCMessage *wire_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
    size_t len, const char **why)
{
	static const char *dummy;
	if (!why)
		why = &dummy;
	if (wire_check(d, buf, len, why))
		return NULL;
	ProtobufCMessage *m = protobuf_c_message_unpack(d, NULL, len, buf);
	if (!m)
		*why = "malformed message";
	return m;
}

int wire_pack(const ProtobufCMessage *m, uint8_t **out, size_t *len)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *b = malloc(n ? n : 1);
	if (!b)
		return -1;
	protobuf_c_message_pack(m, b);
	*out = b;
	*len = n;
	return 0;
}

void wire_free(ProtobufCMessage *m)
{
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
}

Aedesk__Envelope *wire_envelope_unpack(const uint8_t *buf, size_t len, const char **why)
{
	return (Aedesk__Envelope *)wire_unpack(&aedesk__envelope__descriptor, buf, len, why);
}

void wire_new_id(uint8_t id[16]) { randombytes_buf(id, 16); }

const char *wire_hex(const uint8_t *b, size_t n, char *buf)
{
	static const char hx[] = "0123456789abcdef";
	if (n > 16)
		n = 16;
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = hx[b[i] >> 4];
		buf[2 * i + 1] = hx[b[i] & 15];
	}
	buf[2 * n] = 0;
	if (n == 0)
		strcpy(buf, "-");
	return buf;
}

int64_t wire_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *wire_short_name(const char *full)
{
	const char *dot = strrchr(full, '.');
	return dot ? dot + 1 : full;
}
