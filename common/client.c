/*
 * NAME
 *	client.c - the requesting side of req/rep
 */
#include "client.h"

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "transport.h"
#include "wire.h"

struct aeclient {
	nng_socket sock;
	int broken;          /* a call failed at the transport: see aeclient_close */
	uint8_t *token;
	size_t token_len;
	char lang[8];
	char url[512];
};

aeclient *aeclient_open(const char *url, int timeout_ms, char *err, size_t errlen)
{
	aeclient *c = calloc(1, sizeof *c);
	int rv;
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(c->lang, sizeof c->lang, "zh");
	snprintf(c->url, sizeof c->url, "%s", url);
	if ((rv = nng_req0_open(&c->sock)) != 0) {
		snprintf(err, errlen, "%s", nng_strerror(rv));
		free(c);
		return NULL;
	}
	nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ, WIRE_MAX_REPLY);
	nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMINT, 20);
	nng_socket_set_ms(c->sock, NNG_OPT_RECONNMAXT, 200);
	/* A synchronous dial says at once whether anyone is there. */
	if ((rv = transport_dial(c->sock, url, NULL, 0)) != 0) {
		snprintf(err, errlen, "cannot reach %s: %s", url, nng_strerror(rv));
		nng_close(c->sock);
		free(c);
		return NULL;
	}
	return c;
}

/*
 * aeclient_close closes the socket, except after a call that failed at the transport
 * (timeout, peer gone mid-exchange): nng_close on such a REQ socket was seen to hang in
 * NNG 1.5.2 (upstream #1543). The socket is then left open, still reachable from NNG's
 * own tables; callers are short-lived (the CLI, tests, the bench) and the OS reclaims it.
 */
void aeclient_close(aeclient *c)
{
	if (!c)
		return;
	if (!c->broken)
		nng_close(c->sock);
	if (c->token)
		free(c->token);
	free(c);
}

void aeclient_set_token(aeclient *c, const uint8_t *tok, size_t len)
{
	free(c->token);
	c->token = NULL;
	c->token_len = 0;
	if (tok && len && (c->token = malloc(len))) {
		memcpy(c->token, tok, len);
		c->token_len = len;
	}
}

void aeclient_set_lang(aeclient *c, const char *lang)
{
	snprintf(c->lang, sizeof c->lang, "%s", i18n_lang(lang));
}

void aeclient_set_resend(aeclient *c, int ms) { nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME, ms); }

int aeclient_envelope(aeclient *c, const ProtobufCMessage *req, const uint8_t id[16],
    uint8_t **out, size_t *outlen)
{
	uint8_t *payload;
	size_t plen;
	if (wire_pack(req, &payload, &plen) != 0)
		return -1;
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	e.version = WIRE_VERSION;
	e.type = (char *)req->descriptor->name;
	e.id.data = (uint8_t *)id;
	e.id.len = 16;
	e.time_ms = wire_now_ms();
	e.source = "aedesk";
	e.token.data = c->token;
	e.token.len = c->token_len;
	e.lang = c->lang;
	e.payload.data = payload;
	e.payload.len = plen;
	int rc = wire_pack(&e.base, out, outlen);
	free(payload);
	return rc;
}

int aeclient_raw(aeclient *c, const void *buf, size_t len, uint8_t **out, size_t *outlen)
{
	int rv = nng_send(c->sock, (void *)buf, len, 0);
	void *rb;
	size_t rl;
	if (rv == 0)
		rv = nng_recv(c->sock, &rb, &rl, NNG_FLAG_ALLOC);
	if (rv != 0) {
		c->broken = 1;
		return -1;
	}
	*out = malloc(rl ? rl : 1);
	if (*out)
		memcpy(*out, rb, rl);
	*outlen = rl;
	nng_free(rb, rl);
	return *out ? 0 : -1;
}

int aeclient_call(aeclient *c, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
    Aedesk__Status *st, char *msg, size_t msglen, ProtobufCMessage **reply)
{
	uint8_t id[16], *buf;
	size_t len;
	*reply = NULL;
	wire_new_id(id);
	if (aeclient_envelope(c, req, id, &buf, &len) != 0) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	int rv = nng_send(c->sock, buf, len, 0);
	free(buf);
	void *rb = NULL;
	size_t rl = 0;
	if (rv == 0)
		rv = nng_recv(c->sock, &rb, &rl, NNG_FLAG_ALLOC);
	if (rv != 0) {
		snprintf(msg, msglen, "%s: %s", c->url, nng_strerror(rv));
		c->broken = 1;
		return -1;
	}
	const char *why;
	Aedesk__Envelope *e = wire_envelope_unpack(rb, rl, &why);
	if (!e) {
		snprintf(msg, msglen, "%s: unreadable reply (%s)", c->url, why);
		nng_free(rb, rl);
		return -1;
	}
	*st = e->status;
	snprintf(msg, msglen, "%s", e->message);
	int rc = 0;
	if (e->status == AEDESK__STATUS__OK && rd) {
		*reply = wire_unpack(rd, e->payload.data, e->payload.len, &why);
		if (!*reply) {
			snprintf(msg, msglen, "%s: unreadable reply payload (%s)", c->url, why);
			rc = -1;
		}
	}
	wire_free(&e->base);
	nng_free(rb, rl);
	return rc;
}
