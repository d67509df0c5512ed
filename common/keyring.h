/*
 * NAME
 *	keyring.h - the token public keys a service accepts, across key rotations
 *
 * SYNOPSIS
 *	keyring_init(keys_dir);                    at start
 *	keyring_load(txn, keys_dbi);               at start: rotations seen before
 *	keyring_verify(tok, len, now, &who);       every request (and every Replay)
 *	keyring_apply(txn, keys_dbi, ev);          a KeyRotated event from the registry
 *
 * DESCRIPTION
 *	The registry signs tokens with its current key (keys_dir/token.key). `aedesk admin
 *	rotate-key` makes a new pair; the registry then emits KeyRotated and every service
 *	applies it (an implicit source, like TokensRevoked). A service accepts a token
 *	signed by the current key, or by a retired key if the token was issued at or
 *	before the rotation and the retired key's grace period (default: the token
 *	lifetime) has not ended. So nobody is logged out by a rotation, and a stolen old
 *	key cannot mint new tokens.
 *
 *	The current key comes from keys_dir/token.pub (read at start, and again, at most
 *	once a second, when a token matches no key: a service on the registry's host
 *	learns the new key before the event reaches it) or from the newest KeyRotated.
 *	Rotations are kept in the service's _keys table:
 *	  "current"        -> 32-byte public key
 *	  "r" . public key -> be64(rotated_ms) . be64(until_ms)
 *
 *	Service credential: the registry writes keys_dir/service.token (0640), a token for
 *	the reserved id "_service" (no staff id may start with '_'), signed like any other
 *	and renewed at start and at every rotation. Consumers send it with Replay; a
 *	source answers Replay only to a valid service token (ROLE_SERVICE), and no other
 *	request accepts it.
 *
 * SECURITY
 *	Public keys only; thread-safe (the replay thread verifies too).
 */
#ifndef AEDESK_KEYRING_H
#define AEDESK_KEYRING_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "security.pb-c.h"

#define ROLE_SERVICE (1u << 31)       /* the service credential; never a staff role */
#define KEYRING_SERVICE_ID "_service"

void keyring_init(const char *keys_dir);
int keyring_load(MDB_txn *txn, MDB_dbi dbi);
/* keyring_verify: AUTH_OK (who filled; expires_ms capped at a retired key's end),
 * AUTH_EXPIRED or AUTH_BAD. */
int keyring_verify(const uint8_t *tok, size_t len, int64_t now_ms, auth_caller *who);
/* keyring_apply records a rotation in the table and in memory; an LMDB error code. */
int keyring_apply(MDB_txn *txn, MDB_dbi dbi, const Aedesk__KeyRotated *ev);
/* keyring_generation changes whenever a key is added or retired (token caches reset). */
unsigned keyring_generation(void);
/* keyring_current: the current public key (0) or -1 when none is known yet. */
int keyring_current(uint8_t pk[32]);
/* keyring_fingerprint: the first 8 bytes of a public key in hex. */
void keyring_fingerprint(const uint8_t pk[32], char out[17]);

/* keyring_service_token reads keys_dir/service.token; its length, or 0 if absent. */
size_t keyring_service_token(const char *keys_dir, uint8_t *buf, size_t cap);
/* keyring_write_service_token signs and writes keys_dir/service.token (registry). */
int keyring_write_service_token(const char *keys_dir, const uint8_t *sk, int64_t now_ms);
/* keyring_write_pair replaces token.key (0600) and token.pub (0644), each atomically. */
int keyring_write_pair(const char *keys_dir, const uint8_t *pk, const uint8_t *sk);

#endif
