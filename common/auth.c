/*
 * NAME
 *	auth.c - roles, Argon2id password hashes, Ed25519 tokens
 *
 * DESCRIPTION
 *	See auth.h.
 */
#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wire.h"

static const struct {
	const char *name;
	uint32_t bit;
} auth_roles[] = {
	{"ae", ROLE_AE}, {"am", ROLE_AM}, {"ad", ROLE_AD}, {"cd", ROLE_CD},
	{"production", ROLE_PRODUCTION}, {"finance", ROLE_FINANCE}, {"admin", ROLE_ADMIN},
};

uint32_t auth_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof auth_roles / sizeof auth_roles[0]; i++)
		if (strcmp(name, auth_roles[i].name) == 0)
			return auth_roles[i].bit;
	return 0;
}

const char *auth_role_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof auth_roles / sizeof auth_roles[0]; i++)
		if (auth_roles[i].bit == bit)
			return auth_roles[i].name;
	return "?";
}

int auth_roles_parse(const char *list, uint32_t *roles, const char **bad)
{
	static char badbuf[64];
	char buf[256];
	snprintf(buf, sizeof buf, "%s", list);
	*roles = 0;
	for (char *save, *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		uint32_t b = auth_role_parse(tok);
		if (!b) {
			snprintf(badbuf, sizeof badbuf, "%s", tok);
			*bad = badbuf;
			return -1;
		}
		*roles |= b;
	}
	return 0;
}

/* write_file writes len bytes to path with mode, atomically (temp file then rename). */
static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, data, len);
	if (w != (ssize_t)len || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return rename(tmp, path);
}

static int read_file(const char *path, void *data, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t r = read(fd, data, len);
	close(fd);
	return r == (ssize_t)len ? 0 : -1;
}

int auth_keys_ensure(const char *dir, char *err, size_t errlen)
{
	char sp[1024], pp[1024];
	snprintf(sp, sizeof sp, "%s/token.key", dir);
	snprintf(pp, sizeof pp, "%s/token.pub", dir);
	if (access(sp, F_OK) == 0 && access(pp, F_OK) == 0)
		return 0;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create the keys directory: %s", dir, strerror(errno));
		return -1;
	}
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	int rc = write_file(sp, sk, sizeof sk, 0600);
	if (rc == 0)
		rc = write_file(pp, pk, sizeof pk, 0644);
	sodium_memzero(sk, sizeof sk);
	if (rc) {
		snprintf(err, errlen, "%s: cannot write the token key pair: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

int auth_load_public(const char *dir, uint8_t pk[crypto_sign_PUBLICKEYBYTES])
{
	char p[1024];
	snprintf(p, sizeof p, "%s/token.pub", dir);
	return read_file(p, pk, crypto_sign_PUBLICKEYBYTES);
}

int auth_load_secret(const char *dir, uint8_t sk[crypto_sign_SECRETKEYBYTES])
{
	char p[1024];
	snprintf(p, sizeof p, "%s/token.key", dir);
	return read_file(p, sk, crypto_sign_SECRETKEYBYTES);
}

int auth_token_sign(const uint8_t *sk, const Aedesk__TokenBody *body, uint8_t **tok, size_t *len)
{
	size_t n = aedesk__token_body__get_packed_size(body);
	uint8_t *t = malloc(1 + crypto_sign_BYTES + n);
	if (!t)
		return -1;
	t[0] = 1;
	aedesk__token_body__pack(body, t + 1 + crypto_sign_BYTES);
	crypto_sign_detached(t + 1, NULL, t + 1 + crypto_sign_BYTES, n, sk);
	*tok = t;
	*len = 1 + crypto_sign_BYTES + n;
	return 0;
}

int auth_token_verify(const uint8_t *pk, const uint8_t *tok, size_t len, int64_t now_ms,
    auth_caller *who)
{
	if (len < 1 + crypto_sign_BYTES || len > 4096 || tok[0] != 1)
		return AUTH_BAD;
	const uint8_t *body = tok + 1 + crypto_sign_BYTES;
	size_t n = len - 1 - crypto_sign_BYTES;
	if (crypto_sign_verify_detached(tok + 1, body, n, pk) != 0)
		return AUTH_BAD;
	Aedesk__TokenBody *b =
	    (Aedesk__TokenBody *)wire_unpack(&aedesk__token_body__descriptor, body, n, NULL);
	if (!b)
		return AUTH_BAD;
	int rc = AUTH_OK;
	if (b->expires_ms <= now_ms)
		rc = AUTH_EXPIRED;
	else if (strlen(b->staff_id) >= sizeof who->id || !b->staff_id[0])
		rc = AUTH_BAD;
	else {
		snprintf(who->id, sizeof who->id, "%s", b->staff_id);
		who->roles = 0;
		for (size_t i = 0; i < b->n_roles; i++)
			who->roles |= auth_role_parse(b->roles[i]);
		who->issued_ms = b->issued_ms;
		who->expires_ms = b->expires_ms;
	}
	wire_free(&b->base);
	return rc;
}

int auth_password_policy(const char *pw)
{
	size_t n = strlen(pw);
	return (n >= 8 && n <= 128) ? 0 : -1;
}

int auth_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int auth_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw));
}

int auth_staff_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n < 2 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (i > 0 && (c == '.' || c == '_' || c == '-'));
		if (!ok)
			return 0;
	}
	return 1;
}
