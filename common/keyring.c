/*
 * NAME
 *	keyring.c - current and retired token keys; the service credential
 *
 * DESCRIPTION
 *	See keyring.h. One keyring per process, behind a mutex: the main thread verifies
 *	requests and applies KeyRotated, the replay thread verifies service tokens.
 */
#include "keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "wire.h"

#define KEYRING_RETIRED 8
#define KEYRING_FILE_GRACE_MS (5 * 60 * 1000) /* until the KeyRotated event says more */
#define SERVICE_TOKEN_TTL_MS (400ll * 86400 * 1000)

static struct {
	pthread_mutex_t mu;
	char dir[1024];
	uint8_t current[32];
	int have_current;
	int64_t last_reload_ms;
	struct retired {
		uint8_t pk[32];
		int64_t rotated_ms, until_ms;
	} retired[KEYRING_RETIRED];
	int nretired;
	_Atomic unsigned generation; /* read without the lock on every request */
} kr = {.mu = PTHREAD_MUTEX_INITIALIZER};

void keyring_fingerprint(const uint8_t pk[32], char out[17])
{
	wire_hex(pk, 8, out);
}

/* read_pub reads keys_dir/token.pub; 0 on success. */
static int read_pub(uint8_t pk[32])
{
	return kr.dir[0] ? auth_load_public(kr.dir, pk) : -1;
}

/* retire_locked keeps pk as retired (replacing what is known of it, or the oldest). */
static void retire_locked(const uint8_t pk[32], int64_t rotated_ms, int64_t until_ms)
{
	struct retired *slot = NULL;
	for (int i = 0; i < kr.nretired; i++)
		if (memcmp(kr.retired[i].pk, pk, 32) == 0)
			slot = &kr.retired[i];
	if (!slot && kr.nretired < KEYRING_RETIRED)
		slot = &kr.retired[kr.nretired++];
	if (!slot) { /* full: the one whose grace ends first goes */
		slot = &kr.retired[0];
		for (int i = 1; i < kr.nretired; i++)
			if (kr.retired[i].until_ms < slot->until_ms)
				slot = &kr.retired[i];
	}
	atomic_fetch_add(&kr.generation, 1);
	memcpy(slot->pk, pk, 32);
	slot->rotated_ms = rotated_ms;
	slot->until_ms = until_ms;
}

static int is_retired_locked(const uint8_t pk[32])
{
	for (int i = 0; i < kr.nretired; i++)
		if (memcmp(kr.retired[i].pk, pk, 32) == 0)
			return 1;
	return 0;
}

void keyring_init(const char *keys_dir)
{
	pthread_mutex_lock(&kr.mu);
	snprintf(kr.dir, sizeof kr.dir, "%s", keys_dir);
	kr.have_current = read_pub(kr.current) == 0;
	pthread_mutex_unlock(&kr.mu);
}

int keyring_load(MDB_txn *txn, MDB_dbi dbi)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, dbi, &c);
	if (rc)
		return rc;
	pthread_mutex_lock(&kr.mu);
	uint8_t cur[32];
	int have = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size == 7 && memcmp(k.mv_data, "current", 7) == 0 && v.mv_size == 32) {
			memcpy(cur, v.mv_data, 32);
			have = 1;
		} else if (k.mv_size == 33 && ((char *)k.mv_data)[0] == 'r' && v.mv_size == 16)
			retire_locked((uint8_t *)k.mv_data + 1, (int64_t)store_from_be64(v.mv_data),
			    (int64_t)store_from_be64((uint8_t *)v.mv_data + 8));
	}
	/* The key file wins unless a rotation we know of retired it (a stale copy). */
	if (have && (!kr.have_current || is_retired_locked(kr.current))) {
		memcpy(kr.current, cur, 32);
		kr.have_current = 1;
	}
	pthread_mutex_unlock(&kr.mu);
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int keyring_apply(MDB_txn *txn, MDB_dbi dbi, const Aedesk__KeyRotated *ev)
{
	if (ev->public_key.len != 32 || (ev->previous_key.len != 32 && ev->previous_key.len != 0))
		return 0; /* malformed: nothing to learn */
	MDB_val k = {7, "current"}, v = {32, ev->public_key.data};
	int rc = mdb_put(txn, dbi, &k, &v, 0);
	if (rc == 0 && ev->previous_key.len == 32) {
		uint8_t kb[33], vb[16];
		kb[0] = 'r';
		memcpy(kb + 1, ev->previous_key.data, 32);
		store_be64(vb, (uint64_t)ev->rotated_ms);
		store_be64(vb + 8, (uint64_t)ev->previous_until_ms);
		MDB_val rk = {33, kb}, rv = {16, vb};
		rc = mdb_put(txn, dbi, &rk, &rv, 0);
	}
	if (rc)
		return rc;
	/* Memory follows the table at once; a transaction that is then aborted is redone
	 * with the same event, so this never goes further than the store will. */
	pthread_mutex_lock(&kr.mu);
	memcpy(kr.current, ev->public_key.data, 32);
	kr.have_current = 1;
	if (ev->previous_key.len == 32)
		retire_locked(ev->previous_key.data, ev->rotated_ms, ev->previous_until_ms);
	pthread_mutex_unlock(&kr.mu);
	return 0;
}

unsigned keyring_generation(void) { return atomic_load(&kr.generation); }

int keyring_current(uint8_t pk[32])
{
	pthread_mutex_lock(&kr.mu);
	if (!kr.have_current)
		kr.have_current = read_pub(kr.current) == 0;
	int ok = kr.have_current;
	if (ok)
		memcpy(pk, kr.current, 32);
	pthread_mutex_unlock(&kr.mu);
	return ok ? 0 : -1;
}

/* try_keys_locked: the verdict of the current key, else of a retired key in its grace. */
static int try_keys_locked(const uint8_t *tok, size_t len, int64_t now, auth_caller *who)
{
	int rc = kr.have_current ? auth_token_verify(kr.current, tok, len, now, who) : AUTH_BAD;
	if (rc != AUTH_BAD)
		return rc;
	for (int i = 0; i < kr.nretired; i++) {
		struct retired *r = &kr.retired[i];
		int vr = auth_token_verify(r->pk, tok, len, now, who);
		if (vr == AUTH_BAD)
			continue;
		/* Signed by this retired key: good only if issued before the rotation and
		 * the grace period is still running. */
		if (now >= r->until_ms || who->issued_ms > r->rotated_ms)
			return AUTH_BAD;
		if (vr == AUTH_OK && who->expires_ms > r->until_ms)
			who->expires_ms = r->until_ms; /* a cache must forget it then */
		return vr;
	}
	return AUTH_BAD;
}

int keyring_verify(const uint8_t *tok, size_t len, int64_t now_ms, auth_caller *who)
{
	pthread_mutex_lock(&kr.mu);
	if (!kr.have_current)
		kr.have_current = read_pub(kr.current) == 0;
	int rc = try_keys_locked(tok, len, now_ms, who);
	uint8_t pk[32];
	if (rc == AUTH_BAD && now_ms - kr.last_reload_ms >= 1000) {
		/* Perhaps the registry rotated and its event is still on the way. */
		kr.last_reload_ms = now_ms;
		if (read_pub(pk) == 0 && kr.have_current && memcmp(pk, kr.current, 32) != 0 &&
		    !is_retired_locked(pk)) {
			log_info("the token key in %s changed: accepting the new key", kr.dir);
			retire_locked(kr.current, now_ms, now_ms + KEYRING_FILE_GRACE_MS);
			memcpy(kr.current, pk, 32);
			rc = try_keys_locked(tok, len, now_ms, who);
		}
	}
	pthread_mutex_unlock(&kr.mu);
	if (rc == AUTH_OK && strcmp(who->id, KEYRING_SERVICE_ID) == 0)
		who->roles = ROLE_SERVICE; /* whatever else the token claims */
	return rc;
}

/* write_atomic writes len bytes to dir/name with mode (a temp file, fsync, rename). */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len, mode_t mode)
{
	char path[1100], tmp[1120];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	int ok = fchmod(fd, mode) == 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	close(fd);
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int keyring_write_pair(const char *keys_dir, const uint8_t *pk, const uint8_t *sk)
{
	/* The secret first: a crash between the two leaves the old public key, which the
	 * services still accept, and the next start of the registry repairs nothing it
	 * needs (it signs with token.key; the event carries the public key). */
	if (write_atomic(keys_dir, "token.key", sk, crypto_sign_SECRETKEYBYTES, 0600) != 0)
		return -1;
	return write_atomic(keys_dir, "token.pub", pk, crypto_sign_PUBLICKEYBYTES, 0644);
}

int keyring_write_service_token(const char *keys_dir, const uint8_t *sk, int64_t now_ms)
{
	char *roles[] = {KEYRING_SERVICE_ID};
	uint8_t nonce[16];
	randombytes_buf(nonce, sizeof nonce);
	Aedesk__TokenBody b = AEDESK__TOKEN_BODY__INIT;
	b.staff_id = KEYRING_SERVICE_ID;
	b.roles = roles;
	b.n_roles = 1;
	b.issued_ms = now_ms;
	b.expires_ms = now_ms + SERVICE_TOKEN_TTL_MS;
	b.nonce.data = nonce;
	b.nonce.len = sizeof nonce;
	uint8_t *tok;
	size_t len;
	if (auth_token_sign(sk, &b, &tok, &len) != 0)
		return -1;
	int rc = write_atomic(keys_dir, "service.token", tok, len, 0640);
	free(tok);
	return rc;
}

size_t keyring_service_token(const char *keys_dir, uint8_t *buf, size_t cap)
{
	char path[1100];
	snprintf(path, sizeof path, "%s/service.token", keys_dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap);
	close(fd);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}
