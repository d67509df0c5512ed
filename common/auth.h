/*
 * NAME
 *	auth.h - staff identity: roles, password hashes, signed tokens
 *
 * SYNOPSIS
 *	auth_keys_ensure(dir, err, n);             registry, at start: make the key pair once
 *	auth_token_sign(sk, &body, &tok, &len);    registry, at login
 *	auth_token_verify(pk, tok, len, now, &who) every service, every request
 *
 * DESCRIPTION
 *	A token is 1 version byte (1), a 64-byte Ed25519 signature, then the packed
 *	aedesk.TokenBody it signs (staff id, roles, issue and expiry times). Any service
 *	holding the public key verifies it locally; only the registry holds the secret key.
 *	Passwords are hashed with Argon2id (crypto_pwhash_str, INTERACTIVE limits: 64 MiB).
 *
 * SECURITY
 *	token.key is created 0600 in the keys directory; token.pub 0644.
 *
 * DIAGNOSTICS
 *	auth_token_verify returns AUTH_OK or why it refused (AUTH_BAD, AUTH_EXPIRED).
 */
#ifndef AEDESK_AUTH_H
#define AEDESK_AUTH_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.pb-c.h"

enum auth_role {
	ROLE_AE = 1u << 0,
	ROLE_AM = 1u << 1,
	ROLE_AD = 1u << 2,
	ROLE_CD = 1u << 3,
	ROLE_PRODUCTION = 1u << 4,
	ROLE_FINANCE = 1u << 5,
	ROLE_ADMIN = 1u << 6,
};

typedef struct auth_caller {
	char id[64];
	uint32_t roles;
	int64_t issued_ms;
	int64_t expires_ms;
} auth_caller;

enum { AUTH_OK = 0, AUTH_BAD = -1, AUTH_EXPIRED = -2 };

/* auth_role_parse: the bit of a role name ("ae", "am", ...), 0 if unknown. */
uint32_t auth_role_parse(const char *name);
const char *auth_role_name(uint32_t bit);
/* auth_roles_parse: a comma-separated list; -1 naming the first unknown one in *bad. */
int auth_roles_parse(const char *list, uint32_t *roles, const char **bad);

int auth_keys_ensure(const char *dir, char *err, size_t errlen);
int auth_load_public(const char *dir, uint8_t pk[crypto_sign_PUBLICKEYBYTES]);
int auth_load_secret(const char *dir, uint8_t sk[crypto_sign_SECRETKEYBYTES]);

int auth_token_sign(const uint8_t *sk, const Aedesk__TokenBody *body, uint8_t **tok, size_t *len);
int auth_token_verify(const uint8_t *pk, const uint8_t *tok, size_t len, int64_t now_ms,
    auth_caller *who);

/* auth_password_policy: 0 if acceptable, else -1 (8 to 128 bytes). */
int auth_password_policy(const char *pw);
int auth_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);
int auth_password_verify(const char *hash, const char *pw);
/* auth_staff_id_valid: 2-32 of [a-z0-9._-], starting with a letter or digit. */
int auth_staff_id_valid(const char *id);

#endif
