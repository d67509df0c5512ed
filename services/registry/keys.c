/*
 * NAME
 *	keys.c - rotating the token signing key (aedesk admin rotate-key)
 *
 * DESCRIPTION
 *	RotateKey (admin only) makes a new Ed25519 pair, writes it over keys_dir/token.key
 *	(0600) and token.pub, signs new tokens with it from then on and emits KeyRotated
 *	with the new public key and the old one's grace period (default: the token
 *	lifetime, so nobody is logged out; --grace -1 ends the old key's tokens at once,
 *	for a key that may have leaked). Every service applies the event (keyring.h);
 *	the service credential (service.token) is signed again with the new key.
 *
 * SECURITY
 *	The secret key lives in registry.sk, locked memory (sodium_mlock), and in the
 *	0600 file. A batch redone because the map was full runs the handler again with
 *	the same request id: it then reuses the pair it made the first time, so the event
 *	and the files name the same key.
 */
#include <stdio.h>
#include <string.h>

#include "keyring.h"
#include "log.h"
#include "registry.h"
#include "wire.h"
#include "perm.h"

static struct {
	char rid[33];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], old[32];
	int locked;
} pending;

int registry_bootstrap_service_token(svc *s)
{
	const char *keys = conf_get(svc_conf(s), "keys_dir", "/etc/aedesk/keys");
	if (keyring_write_service_token(keys, registry.sk, wire_now_ms()) != 0) {
		log_error("cannot write %s/service.token: consumers cannot replay", keys);
		return -1;
	}
	return 0;
}

int registry_rotate_key(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__RotateKeyRequest *q = (const Aedesk__RotateKeyRequest *)in;
	if (perm_check(r, PERM_KEY_ROTATE, NULL))
		return -1;
	if (q->grace_s < -1 || q->grace_s > 30 * 86400)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "--grace 须为 -1（旧密钥立即作废）到 2592000 秒，而不是 %lld",
		    "--grace must be -1 (the old key ends now) to 2592000 seconds, not %lld", (long long)q->grace_s);
	const char *keys = conf_get(svc_conf(r->svc), "keys_dir", "/etc/aedesk/keys");
	if (!pending.locked) {
		sodium_mlock(&pending, sizeof pending);
		pending.locked = 1;
	}
	if (strcmp(pending.rid, r->rid) != 0 || !r->rid[0]) {
		if (keyring_current(pending.old) != 0)
			crypto_sign_ed25519_sk_to_pk(pending.old, registry.sk);
		crypto_sign_keypair(pending.pk, pending.sk);
		snprintf(pending.rid, sizeof pending.rid, "%s", r->rid);
	}
	int64_t until = q->grace_s == -1 ? r->now_ms
	    : r->now_ms + (q->grace_s ? q->grace_s * 1000 : registry.token_ttl_ms);
	if (keyring_write_pair(keys, pending.pk, pending.sk) != 0)
		return svc_failf(r, AEDESK__STATUS__INTERNAL, "无法写入新的令牌密钥（%s）", "cannot write the new token key (%s)",
		    keys);
	memcpy(registry.sk, pending.sk, sizeof registry.sk);
	Aedesk__KeyRotated ev = AEDESK__KEY_ROTATED__INIT;
	ev.public_key.data = pending.pk;
	ev.public_key.len = 32;
	ev.previous_key.data = pending.old;
	ev.previous_key.len = 32;
	ev.rotated_ms = r->now_ms;
	ev.previous_until_ms = until;
	if (svc_key_rotated(r, &ev) != 0)
		return -1;
	keyring_write_service_token(keys, registry.sk, r->now_ms + 1);
	char fp[17], ofp[17];
	keyring_fingerprint(pending.pk, fp);
	keyring_fingerprint(pending.old, ofp);
	log_info("req=%s token key rotated by %s: %s replaces %s (its tokens end %lld)", r->rid, r->caller->id, fp,
	    ofp, (long long)until);
	Aedesk__RotateKeyReply rep = AEDESK__ROTATE_KEY_REPLY__INIT;
	rep.fingerprint = fp;
	rep.previous_fingerprint = ofp;
	rep.previous_until_ms = until;
	return svc_reply(r, &rep.base);
}
