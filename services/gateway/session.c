/*
 * NAME
 *	session.c - the console's login sessions, kept in LMDB so they survive a restart
 *
 * DESCRIPTION
 *	A session is created by a successful LoginRequest to the registry: 32 random bytes
 *	(the cookie "aedesk_session", hex) name it, and it keeps the registry's token, the
 *	staff record and a CSRF token of its own. The browser never sees the service token:
 *	it lives here, and the gateway puts it on each request it forwards. The session
 *	ends with logout, when the token expires (a token is renewed once half its life has
 *	passed, as the CLI does), or when a service refuses the token (revoked).
 *
 *	LMDB table:
 *	  gw_sessions  BLAKE2b-256(session id) -> csrf (64 hex chars) . packed LoginReply
 *	The key is a hash, so a copy of the store does not hold the cookies themselves.
 *
 *	Writes run on worker threads, one at a time (gw.mu), each its own short
 *	transaction; the skeleton's main loop only purges expired sessions on its tick.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "log.h"
#include "wire.h"

static void key_of(const char *sid, uint8_t key[32])
{
	crypto_generichash(key, 32, (const unsigned char *)sid, strlen(sid), NULL, 0);
}

static void random_hex(char *out, size_t nbytes)
{
	uint8_t b[64];
	randombytes_buf(b, nbytes);
	sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
}

static int put(const gw_session *s)
{
	uint8_t key[32], *packed;
	size_t plen;
	if (wire_pack(&s->login->base, &packed, &plen) != 0)
		return -1;
	size_t vlen = GW_CSRF_HEX + plen;
	uint8_t *v = malloc(vlen);
	if (!v) {
		free(packed);
		return -1;
	}
	memcpy(v, s->csrf, GW_CSRF_HEX);
	memcpy(v + GW_CSRF_HEX, packed, plen);
	free(packed);
	key_of(s->sid, key);
	MDB_val k = {32, key}, d = {vlen, v};
	MDB_txn *txn;
	pthread_mutex_lock(&gw.mu);
	int rc = store_write_begin(gw.store, &txn);
	if (rc == 0) {
		rc = mdb_put(txn, gw.sessions, &k, &d, 0);
		if (rc == 0)
			rc = store_commit(gw.store, txn);
		else
			mdb_txn_abort(txn);
	}
	pthread_mutex_unlock(&gw.mu);
	free(v);
	if (rc)
		log_error("sessions: cannot write: %s", mdb_strerror(rc));
	return rc ? -1 : 0;
}

int gw_session_create(const Aedesk__LoginReply *login, gw_session *out)
{
	memset(out, 0, sizeof *out);
	random_hex(out->sid, 32);
	random_hex(out->csrf, 32);
	/* A copy the session owns: pack and unpack. */
	uint8_t *b;
	size_t n;
	if (wire_pack(&login->base, &b, &n) != 0)
		return -1;
	out->login = (Aedesk__LoginReply *)wire_unpack(&aedesk__login_reply__descriptor, b, n, NULL);
	free(b);
	if (!out->login || put(out) != 0) {
		gw_session_free(out);
		return -1;
	}
	return 0;
}

int gw_session_update(gw_session *s) { return put(s); }

void gw_session_free(gw_session *s)
{
	if (s->login)
		wire_free(&s->login->base);
	s->login = NULL;
}

int gw_session_get(nng_http_req *req, gw_session *out)
{
	memset(out, 0, sizeof *out);
	if (gw_cookie(req, "aedesk_session", out->sid, sizeof out->sid) != 0 ||
	    strlen(out->sid) != GW_SID_HEX)
		return -1;
	uint8_t key[32];
	key_of(out->sid, key);
	MDB_val k = {32, key}, d;
	MDB_txn *txn;
	if (store_read_begin(gw.store, &txn) != 0)
		return -1;
	int rc = mdb_get(txn, gw.sessions, &k, &d);
	if (rc == 0 && d.mv_size > GW_CSRF_HEX) {
		memcpy(out->csrf, d.mv_data, GW_CSRF_HEX);
		out->csrf[GW_CSRF_HEX] = 0;
		out->login = (Aedesk__LoginReply *)wire_unpack(&aedesk__login_reply__descriptor,
		    (const uint8_t *)d.mv_data + GW_CSRF_HEX, d.mv_size - GW_CSRF_HEX, NULL);
	}
	store_read_end(gw.store, txn);
	if (!out->login || !out->login->staff)
		goto gone;
	if (out->login->expires_ms <= wire_now_ms()) {
		gw_session_delete(out->sid);
		goto gone;
	}
	return 0;
gone:
	gw_session_free(out);
	return -1;
}

void gw_session_delete(const char *sid)
{
	uint8_t key[32];
	key_of(sid, key);
	MDB_val k = {32, key};
	MDB_txn *txn;
	pthread_mutex_lock(&gw.mu);
	if (store_write_begin(gw.store, &txn) == 0) {
		if (mdb_del(txn, gw.sessions, &k, NULL) == 0)
			store_commit(gw.store, txn);
		else
			mdb_txn_abort(txn);
	}
	pthread_mutex_unlock(&gw.mu);
}

/* gw_session_purge drops expired sessions (the skeleton's tick, in its transaction). */
int gw_session_purge(svc_req *r)
{
	MDB_cursor *c;
	MDB_val k, d;
	int rc = mdb_cursor_open(r->txn, gw.sessions, &c);
	if (rc)
		return svc_db_error(r, rc, "sessions");
	int n = 0;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &d, MDB_NEXT)) {
		Aedesk__LoginReply *l = d.mv_size > GW_CSRF_HEX
		    ? (Aedesk__LoginReply *)wire_unpack(&aedesk__login_reply__descriptor,
			  (const uint8_t *)d.mv_data + GW_CSRF_HEX, d.mv_size - GW_CSRF_HEX, NULL)
		    : NULL;
		int dead = !l || l->expires_ms <= r->now_ms;
		wire_free(l ? &l->base : NULL);
		if (dead && mdb_cursor_del(c, 0) == 0)
			n++;
	}
	mdb_cursor_close(c);
	if (n)
		log_info("sessions: %d expired", n);
	return 0;
}

void gw_session_renew(gw_session *s)
{
	int64_t now = wire_now_ms(), issued = s->login->expires_ms;
	/* The token's own issue time is in its body; half of the life left is enough. */
	const ProtobufCBinaryData *t = &s->login->token;
	if (t->len > 65) {
		Aedesk__TokenBody *b = (Aedesk__TokenBody *)wire_unpack(&aedesk__token_body__descriptor,
		    t->data + 65, t->len - 65, NULL);
		if (b)
			issued = b->issued_ms;
		wire_free(b ? &b->base : NULL);
	}
	if (now <= issued + (s->login->expires_ms - issued) / 2)
		return;
	Aedesk__TokenRenewRequest q = AEDESK__TOKEN_RENEW_REQUEST__INIT;
	Aedesk__Status st;
	char msg[256];
	Aedesk__LoginReply *r = NULL;
	if (gw_call("registry", &q.base, s, "en", &st, msg, sizeof msg, (ProtobufCMessage **)&r) == 0 &&
	    st == AEDESK__STATUS__OK && r && r->token.len) {
		ProtobufCBinaryData old = s->login->token;
		s->login->token = r->token;
		s->login->expires_ms = r->expires_ms;
		r->token = old;
		gw_session_update(s);
	}
	wire_free(r ? &r->base : NULL);
}
