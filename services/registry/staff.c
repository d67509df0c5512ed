/*
 * NAME
 *	staff.c - staff accounts, passwords and login
 *
 * DESCRIPTION
 *	On first start the registry makes the token key pair and, with no staff at all,
 *	the "admin" account with a random password written to admin_password_file (0600).
 *	Login checks the Argon2id hash and returns a token signed with the registry's key.
 *
 * SECURITY
 *	A wrong id and a wrong password get the same answer. password_hash never leaves
 *	the registry: replies and events carry the record without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "registry.h"
#include "text.h"
#include "wire.h"

int registry_staff_get(MDB_txn *txn, const char *id, Aedesk__Staff **out)
{
	return store_get_msg(txn, registry.staff, id, strlen(id), &aedesk__staff__descriptor,
	    (ProtobufCMessage **)out);
}

/* public_copy: the record as others may see it (a shallow copy without the hash). */
static Aedesk__Staff public_copy(const Aedesk__Staff *s)
{
	Aedesk__Staff c = *s;
	c.password_hash = "";
	return c;
}

/* put_staff stores a staff record in the request's transaction (callers emit the event). */
static int put_staff(svc_req *r, const Aedesk__Staff *st)
{
	int rc = store_put_msg(r->txn, registry.staff, st->id, strlen(st->id), &st->base, 0);
	return rc ? svc_db_error(r, rc, "staff") : 0;
}

/* write_password_file writes the generated admin password where the admin will look. */
static int write_password_file(const char *path, const char *pw)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t n = strlen(pw);
	int ok = write(fd, pw, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	close(fd);
	return ok ? 0 : -1;
}

int registry_bootstrap(svc *s, svc_req *r)
{
	const conf *c = svc_conf(s);
	const char *keys = conf_get(c, "keys_dir", "/etc/aedesk/keys");
	char err[900] = "";
	if (auth_keys_ensure(keys, err, sizeof err) != 0 || auth_load_secret(keys, registry.sk) != 0) {
		snprintf(r->message, sizeof r->message, "token key: %s", err[0] ? err : keys);
		return -1;
	}
	sodium_mlock(registry.sk, sizeof registry.sk);
	registry_bootstrap_service_token(s);
	registry.token_ttl_ms = conf_int_or_die(c, "token_ttl_s", 12 * 3600, 60, 30 * 86400) * 1000;

	int brc = registry_index_backfill(r->txn);
	if (brc) {
		snprintf(r->message, sizeof r->message, "client_ae, client_class indexes: %s", mdb_strerror(brc));
		return -1;
	}
	MDB_stat st;
	mdb_stat(r->txn, registry.staff, &st);
	if (st.ms_entries > 0)
		return 0;
	/* First start: the admin account, with a password only the admin can read. */
	char pw[25], hash[crypto_pwhash_STRBYTES];
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
	for (size_t i = 0; i < sizeof pw - 1; i++)
		pw[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	pw[sizeof pw - 1] = 0;
	if (auth_password_hash(pw, hash) != 0) {
		snprintf(r->message, sizeof r->message, "cannot hash a password (out of memory?)");
		return -1;
	}
	const char *pwfile = conf_get(c, "admin_password_file", "/etc/aedesk/admin.password");
	if (write_password_file(pwfile, pw) != 0) {
		snprintf(r->message, sizeof r->message, "cannot write %s: %s", pwfile, strerror(errno));
		return -1;
	}
	sodium_memzero(pw, sizeof pw);
	char *roles[] = {"admin"};
	Aedesk__Staff admin = AEDESK__STAFF__INIT;
	admin.id = "admin";
	admin.name = "系统管理员";
	admin.n_roles = 1;
	admin.roles = roles;
	admin.created_ms = r->now_ms;
	admin.created_by = "system";
	admin.password_hash = hash;
	admin.password_changed_ms = r->now_ms;
	if (put_staff(r, &admin))
		return -1;
	Aedesk__Staff pub = public_copy(&admin);
	Aedesk__StaffAdded ev = AEDESK__STAFF_ADDED__INIT;
	ev.staff = &pub;
	if (svc_emit(r, &ev.base))
		return -1;
	log_info("first start: created the admin account; its password is in %s", pwfile);
	return 0;
}

/*
 * Failed logins are throttled per account: after LOGIN_MAX_FAILS failures within
 * LOGIN_WINDOW_MS, further attempts are refused until the window has passed, without
 * even checking the password (so guessing gains nothing). Kept in memory: a restart
 * forgets it, which an attacker cannot cause. Argon2id runs on the one handler thread,
 * so at most one hash (64 MiB) is computed at a time: logins cannot exhaust memory.
 */
#define LOGIN_MAX_FAILS 5
#define LOGIN_WINDOW_MS (15 * 60 * 1000)
#define LOGIN_SLOTS 256

static struct login_fails {
	char id[64];
	int count;
	int64_t first_ms;
} login_fails[LOGIN_SLOTS];

static struct login_fails *fails_of(const char *id)
{
	struct login_fails *free_slot = NULL, *oldest = &login_fails[0];
	for (int i = 0; i < LOGIN_SLOTS; i++) {
		if (strcmp(login_fails[i].id, id) == 0)
			return &login_fails[i];
		if (!login_fails[i].id[0] && !free_slot)
			free_slot = &login_fails[i];
		if (login_fails[i].first_ms < oldest->first_ms)
			oldest = &login_fails[i];
	}
	struct login_fails *f = free_slot ? free_slot : oldest;
	memset(f, 0, sizeof *f);
	snprintf(f->id, sizeof f->id, "%s", id);
	return f;
}

/* issue_token signs a token for st and puts it in a LoginReply. */
static int issue_token(svc_req *r, const Aedesk__Staff *st)
{
	uint8_t nonce[16];
	randombytes_buf(nonce, sizeof nonce);
	/* After a revocation at this very millisecond, a new token must still be newer. */
	int64_t issued = r->now_ms;
	int64_t revoked = svc_revoked_before(r, st->id);
	if (issued <= revoked)
		issued = revoked + 1;
	Aedesk__TokenBody b = AEDESK__TOKEN_BODY__INIT;
	b.staff_id = st->id;
	b.n_roles = st->n_roles;
	b.roles = st->roles;
	b.issued_ms = issued;
	b.expires_ms = issued + registry.token_ttl_ms;
	b.nonce.data = nonce;
	b.nonce.len = sizeof nonce;
	uint8_t *tok;
	size_t len;
	if (auth_token_sign(registry.sk, &b, &tok, &len) != 0)
		return svc_fail(r, AEDESK__STATUS__INTERNAL, MSG_INTERNAL, "out of memory");
	Aedesk__Staff pub = public_copy(st);
	Aedesk__LoginReply rep = AEDESK__LOGIN_REPLY__INIT;
	rep.token.data = tok;
	rep.token.len = len;
	rep.staff = &pub;
	rep.expires_ms = b.expires_ms;
	int rc = svc_reply(r, &rep.base);
	free(tok);
	return rc;
}

int registry_login(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__LoginRequest *q = (const Aedesk__LoginRequest *)in;
	struct login_fails *f = fails_of(q->staff_id);
	if (f->count >= LOGIN_MAX_FAILS && r->now_ms - f->first_ms < LOGIN_WINDOW_MS) {
		long mins = (long)((LOGIN_WINDOW_MS - (r->now_ms - f->first_ms)) / 60000) + 1;
		log_warn("req=%s login for '%s' throttled", r->rid, q->staff_id);
		return svc_failf(r, AEDESK__STATUS__RESOURCE_EXHAUSTED,
		    "登录失败次数过多，请 %ld 分钟后再试，或请系统管理员重设密码",
		    "too many failed logins: try again in %ld minutes, or ask the admin to reset the password",
		    mins);
	}
	Aedesk__Staff *st = NULL;
	int found = registry_staff_get(r->txn, q->staff_id, &st) == 0;
	/* Hash even for an unknown id, so the answer takes as long either way. */
	static char dummy[crypto_pwhash_STRBYTES];
	if (!dummy[0] && auth_password_hash("not-a-password", dummy) != 0)
		dummy[0] = 0;
	const char *hash = found && st->password_hash[0] ? st->password_hash : dummy;
	int ok = auth_password_verify(hash, q->password) == 0 && found && !st->disabled &&
	    st->password_hash[0];
	if (!ok) {
		if (f->count == 0 || r->now_ms - f->first_ms >= LOGIN_WINDOW_MS) {
			f->count = 0;
			f->first_ms = r->now_ms;
		}
		f->count++;
		log_warn("req=%s login refused for '%s' (%d in a row)", r->rid, q->staff_id, f->count);
		if (found) /* the audit trail names only accounts that exist, never a typed guess */
			snprintf(r->refused_subject, sizeof r->refused_subject, "%s", st->id);
		wire_free(st ? &st->base : NULL);
		return svc_fail(r, AEDESK__STATUS__UNAUTHENTICATED, MSG_LOGIN_FAILED);
	}
	f->count = 0;
	int rc = issue_token(r, st);
	if (rc == 0) {
		/* The audit trail: a login, by the one who logged in. */
		auth_caller me = {.roles = 0};
		snprintf(me.id, sizeof me.id, "%s", st->id);
		Aedesk__LoginSucceeded ev = AEDESK__LOGIN_SUCCEEDED__INIT;
		ev.staff_id = st->id;
		r->caller = &me;
		rc = svc_emit(r, &ev.base);
		r->caller = NULL;
	}
	if (rc == 0)
		log_info("req=%s %s logged in", r->rid, st->id);
	wire_free(&st->base);
	return rc;
}

/* registry_token_renew: a valid token is exchanged for a fresh one (the CLI renews at half-life). */
int registry_token_renew(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	Aedesk__Staff *st;
	if (registry_staff_get(r->txn, r->caller->id, &st) != 0)
		return svc_fail(r, AEDESK__STATUS__UNAUTHENTICATED, MSG_TOKEN_REVOKED);
	int rc = st->disabled ? svc_fail(r, AEDESK__STATUS__UNAUTHENTICATED, MSG_TOKEN_REVOKED) : issue_token(r, st);
	wire_free(&st->base);
	return rc;
}

int registry_logout_everywhere(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	if (perm_check(r, PERM_STAFF_PASSWORD, r->caller->id) || svc_revoke_tokens(r, r->caller->id, r->now_ms, "logout"))
		return -1;
	Aedesk__LogoutEverywhereReply rep = AEDESK__LOGOUT_EVERYWHERE_REPLY__INIT;
	return svc_reply(r, &rep.base);
}

int registry_staff_disable(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__StaffDisableRequest *q = (const Aedesk__StaffDisableRequest *)in;
	if (perm_check(r, PERM_STAFF_ADMIN, NULL))
		return -1;
	if (strcmp(q->staff_id, r->caller->id) == 0 && q->disabled)
		return svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "不能停用自己的账号",
		    "you cannot disable your own account");
	Aedesk__Staff *st;
	if (registry_staff_get(r->txn, q->staff_id, &st) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, q->staff_id);
	st->disabled = q->disabled;
	int rc = put_staff(r, st);
	Aedesk__StaffDisabled ev = AEDESK__STAFF_DISABLED__INIT;
	ev.staff_id = st->id;
	ev.disabled = q->disabled;
	if (rc == 0)
		rc = svc_emit(r, &ev.base);
	if (rc == 0 && q->disabled)
		rc = svc_revoke_tokens(r, st->id, r->now_ms, "disabled");
	Aedesk__Staff pub = public_copy(st);
	Aedesk__StaffReply rep = AEDESK__STAFF_REPLY__INIT;
	rep.staff = &pub;
	if (rc == 0)
		rc = svc_reply(r, &rep.base);
	wire_free(&st->base);
	return rc;
}

int registry_staff_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__StaffAddRequest *q = (const Aedesk__StaffAddRequest *)in;
	if (perm_check(r, PERM_STAFF_ADMIN, NULL))
		return -1;
	if (!auth_staff_id_valid(q->id))
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_STAFF_ID_INVALID, q->id);
	if (!q->name[0] || text_width(q->name) > 64)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_REQUIRED,
		    strcmp(r->lang, "en") == 0 ? "a name (up to 64 columns)" : "姓名（不超过 64 个字符宽度）");
	if (q->n_roles == 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_REQUIRED,
		    strcmp(r->lang, "en") == 0 ? "a role" : "角色");
	for (size_t i = 0; i < q->n_roles; i++)
		if (!auth_role_parse(q->roles[i]))
			return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_ROLE_UNKNOWN, q->roles[i]);
	if (q->manager[0] && !store_exists(r->txn, registry.staff, q->manager, strlen(q->manager)))
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, q->manager);
	if (store_exists(r->txn, registry.staff, q->id, strlen(q->id)))
		return svc_fail(r, AEDESK__STATUS__ALREADY_EXISTS, MSG_STAFF_EXISTS, q->id);
	char hash[crypto_pwhash_STRBYTES] = "";
	if (q->password[0]) {
		if (auth_password_policy(q->password) != 0)
			return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_PASSWORD_POLICY);
		if (auth_password_hash(q->password, hash) != 0)
			return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	}
	Aedesk__Staff st = AEDESK__STAFF__INIT;
	st.id = q->id;
	st.name = q->name;
	st.n_roles = q->n_roles;
	st.roles = q->roles;
	st.manager = q->manager;
	st.created_ms = r->now_ms;
	st.created_by = (char *)r->caller->id;
	st.password_hash = hash;
	st.password_changed_ms = hash[0] ? r->now_ms : 0;
	if (put_staff(r, &st))
		return -1;
	Aedesk__Staff pub = public_copy(&st);
	Aedesk__StaffAdded ev = AEDESK__STAFF_ADDED__INIT;
	ev.staff = &pub;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__StaffReply rep = AEDESK__STAFF_REPLY__INIT;
	rep.staff = &pub;
	return svc_reply(r, &rep.base);
}

int registry_staff_list(svc_req *r, const ProtobufCMessage *in)
{
	(void)in;
	if (perm_check(r, PERM_STAFF_LIST, NULL))
		return -1;
	MDB_cursor *c;
	int rc = mdb_cursor_open(r->txn, registry.staff, &c);
	if (rc)
		return svc_db_error(r, rc, "staff");
	MDB_stat ms;
	mdb_stat(r->txn, registry.staff, &ms);
	Aedesk__Staff **list = calloc(ms.ms_entries + 1, sizeof *list);
	char **hashes = calloc(ms.ms_entries + 1, sizeof *hashes);
	size_t n = 0;
	MDB_val k, v;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && list && n < ms.ms_entries;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		Aedesk__Staff *st = (Aedesk__Staff *)wire_unpack(&aedesk__staff__descriptor, v.mv_data,
		    v.mv_size, NULL);
		if (st && hashes) {
			hashes[n] = st->password_hash; /* kept aside: the reply must not carry it */
			st->password_hash = "";
			list[n++] = st;
		} else
			wire_free(st ? &st->base : NULL);
	}
	mdb_cursor_close(c);
	Aedesk__StaffListReply rep = AEDESK__STAFF_LIST_REPLY__INIT;
	rep.n_staff = n;
	rep.staff = list;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++) {
		list[i]->password_hash = hashes[i];
		wire_free(&list[i]->base);
	}
	free(list);
	free(hashes);
	return rc;
}

int registry_set_password(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__SetPasswordRequest *q = (const Aedesk__SetPasswordRequest *)in;
	const char *who = q->staff_id[0] ? q->staff_id : r->caller->id;
	int own = strcmp(who, r->caller->id) == 0;
	if (perm_check(r, own ? PERM_STAFF_PASSWORD : PERM_STAFF_ADMIN, who))
		return -1;
	Aedesk__Staff *st;
	if (registry_staff_get(r->txn, who, &st) != 0)
		return svc_fail(r, AEDESK__STATUS__NOT_FOUND, MSG_STAFF_NOT_FOUND, who);
	int rc = -1;
	char hash[crypto_pwhash_STRBYTES];
	if (own && (!st->password_hash[0] || auth_password_verify(st->password_hash, q->old_password) != 0))
		svc_fail(r, AEDESK__STATUS__PERMISSION_DENIED, MSG_PASSWORD_OLD_WRONG);
	else if (auth_password_policy(q->new_password) != 0)
		svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_PASSWORD_POLICY);
	else if (auth_password_hash(q->new_password, hash) != 0)
		svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	else {
		char *old = st->password_hash;
		st->password_hash = hash;
		st->password_changed_ms = r->now_ms;
		rc = put_staff(r, st);
		st->password_hash = old;
		Aedesk__StaffPasswordChanged ev = AEDESK__STAFF_PASSWORD_CHANGED__INIT;
		ev.staff_id = (char *)who;
		Aedesk__SetPasswordReply rep = AEDESK__SET_PASSWORD_REPLY__INIT;
		/* Every token issued under the old password ends, everywhere. */
		if (rc == 0 && (rc = svc_emit(r, &ev.base)) == 0 &&
		    (rc = svc_revoke_tokens(r, who, r->now_ms, "password")) == 0)
			rc = svc_reply(r, &rep.base);
	}
	wire_free(&st->base);
	return rc;
}
