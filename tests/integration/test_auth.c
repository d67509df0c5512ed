/*
 * Identity: staff log in, every request carries a signed token, and a request with no
 * token, a forged, tampered or expired one is refused with UNAUTHENTICATED and
 * changes nothing. Roles gate what staff may do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "auth.h"
#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

static size_t client_count(harness *h)
{
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	Aedesk__ClientListReply *r = NULL;
	size_t n = (size_t)-1;
	if (h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		n = r->n_clients;
	wire_free(r ? &r->base : NULL);
	return n;
}

/* add_with_token tries a client add with the given token bytes; returns the status. */
static int add_with_token(harness *h, const uint8_t *tok, size_t len)
{
	uint8_t saved[4096];
	size_t savedlen = h->toklen;
	memcpy(saved, h->tok, savedlen);
	memcpy(h->tok, tok, len);
	h->toklen = len;
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = "不该出现的客户";
	int st = h_call(h, "registry", &q.base, &aedesk__client_reply__descriptor, NULL);
	memcpy(h->tok, saved, savedlen);
	h->toklen = savedlen;
	return st;
}

static uint8_t *sign(const uint8_t *sk, const char *id, const char *role, int64_t expires, size_t *len)
{
	char *roles[] = {(char *)role};
	Aedesk__TokenBody b = AEDESK__TOKEN_BODY__INIT;
	b.staff_id = (char *)id;
	b.n_roles = 1;
	b.roles = roles;
	b.issued_ms = wire_now_ms() - 1000;
	b.expires_ms = expires;
	uint8_t *t = NULL;
	auth_token_sign(sk, &b, &t, len);
	return t;
}

TEST(test_no_forged_tampered_or_expired_token_is_refused_and_changes_nothing)
{
	harness h;
	CHECK(h_setup(&h, "auth") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(client_count(&h), 0);

	/* No token at all. */
	CHECK_INT(add_with_token(&h, (const uint8_t *)"", 0), AEDESK__STATUS__UNAUTHENTICATED);
	/* Forged: an admin token signed by a key that is not the agency's. */
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	size_t len;
	uint8_t *t = sign(sk, "admin", "admin", wire_now_ms() + 3600000, &len);
	CHECK(t != NULL);
	CHECK_INT(add_with_token(&h, t, len), AEDESK__STATUS__UNAUTHENTICATED);
	free(t);
	/* Tampered: the real token with one byte of its body changed (roles or id). */
	uint8_t tam[4096];
	memcpy(tam, h.tok, h.toklen);
	tam[h.toklen - 3] ^= 0x01;
	CHECK_INT(add_with_token(&h, tam, h.toklen), AEDESK__STATUS__UNAUTHENTICATED);
	/* Truncated signature. */
	CHECK_INT(add_with_token(&h, h.tok, 40), AEDESK__STATUS__UNAUTHENTICATED);
	/* Expired: signed with the agency's real key, but an hour past its expiry. */
	char keys[400];
	snprintf(keys, sizeof keys, "%s/keys", h.home);
	uint8_t real[crypto_sign_SECRETKEYBYTES];
	CHECK(auth_load_secret(keys, real) == 0);
	t = sign(real, "admin", "admin", wire_now_ms() - 3600000, &len);
	CHECK_INT(add_with_token(&h, t, len), AEDESK__STATUS__UNAUTHENTICATED);
	free(t);
	/* ... while the same key and a future expiry is accepted: the checks above are real. */
	t = sign(real, "admin", "admin", wire_now_ms() + 3600000, &len);
	CHECK_INT(add_with_token(&h, t, len), AEDESK__STATUS__OK);
	free(t);
	CHECK_INT(client_count(&h), 1);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_cli_without_login_says_how_to_log_in)
{
	harness h;
	CHECK(h_setup(&h, "nologin") == 0);
	CHECK(h_start(&h, "registry") == 0);
	char out[4096], err[4096];
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "list", NULL), 1);
	CHECK(h_contains(err, "aedesk login"));
	CHECK(h_contains(err, "UNAUTHENTICATED"));
	/* A wrong password says so without telling which part was wrong. */
	CHECK_INT(h_cli_err(&h, "wrong-password\n", out, sizeof out, err, sizeof err, "login", "admin", "--password-stdin", NULL), 1);
	CHECK(h_contains(err, "员工编号或密码错误"));
	CHECK_INT(h_cli_err(&h, "wrong-password\n", out, sizeof out, err, sizeof err, "login", "nobody", "--password-stdin", NULL), 1);
	CHECK(h_contains(err, "员工编号或密码错误"));
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_admin_password_file_is_private_and_token_file_is_0600)
{
	harness h;
	CHECK(h_setup(&h, "perm") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char p[400];
	struct stat st;
	snprintf(p, sizeof p, "%s/admin.password", h.home);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(stat(h.token, &st) == 0 && (st.st_mode & 0777) == 0600);
	snprintf(p, sizeof p, "%s/keys/token.key", h.home);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_staff_roles_passwords_and_what_each_may_do)
{
	harness h;
	CHECK(h_setup(&h, "staff") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192], err[4096];
	CHECK_INT(h_cli(&h, "pass-ad-123\n", out, sizeof out, "staff", "add", "zhao.ad", "--name", "赵总监", "--role", "ad", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-am-123\n", out, sizeof out, "staff", "add", "qian.am", "--name", "钱经理", "--role", "am", "--manager", "zhao.ad", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-ae-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae", "--manager", "qian.am", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-ae-456\n", out, sizeof out, "staff", "add", "li.ae", "--name", "李娜", "--role", "ae", "--manager", "qian.am", "--password-stdin", NULL), 0);
	/* Duplicates, bad ids, unknown roles and a short password are refused. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "add", "sun.ae", "--name", "X", "--role", "ae", NULL), 1);
	CHECK(h_contains(err, "ALREADY_EXISTS"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "add", "Bad Id", "--name", "X", "--role", "ae", NULL), 1);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "add", "zz", "--name", "X", "--role", "boss", NULL), 1);
	CHECK(h_contains(err, "boss"));
	CHECK_INT(h_cli_err(&h, "short\n", out, sizeof out, err, sizeof err, "staff", "add", "zz", "--name", "X", "--role", "ae", "--password-stdin", NULL), 1);
	CHECK(h_contains(err, "8"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "list", NULL), 0);
	CHECK(h_contains(out, "孙晓明") && h_contains(out, "qian.am"));

	/* An AE adds clients for themself only, sees only their own. */
	CHECK(h_login(&h, "sun.ae", "pass-ae-123") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "孙的客户", "--class", "A", NULL), 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "add", "--name", "替人加", "--ae", "li.ae", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "add", "x1", "--name", "X", "--role", "ae", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(h_login(&h, "li.ae", "pass-ae-456") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "李的客户", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", NULL), 0);
	CHECK(h_contains(out, "李的客户") && !h_contains(out, "孙的客户"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "show", "C000001", NULL), 1);
	CHECK(h_contains(err, "NOT_FOUND"));
	/* Their AM sees both; the AD sees all. */
	CHECK(h_login(&h, "qian.am", "pass-am-123") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", NULL), 0);
	CHECK(h_contains(out, "李的客户") && h_contains(out, "孙的客户"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--class", "A", NULL), 0);
	CHECK(!h_contains(out, "李的客户") && h_contains(out, "孙的客户"));

	/* Changing one's own password needs the current one; then only the new one works. */
	CHECK(h_login(&h, "sun.ae", "pass-ae-123") == 0);
	CHECK_INT(h_cli_err(&h, "wrong-old-pw\nnew-pass-789\n", out, sizeof out, err, sizeof err, "passwd", "--password-stdin", NULL), 1);
	CHECK_INT(h_cli(&h, "pass-ae-123\nnew-pass-789\n", out, sizeof out, "passwd", "--password-stdin", NULL), 0);
	CHECK(h_login(&h, "sun.ae", "pass-ae-123") != 0);
	CHECK(h_login(&h, "sun.ae", "new-pass-789") == 0);
	/* An AE cannot set someone else's password; the admin can. */
	CHECK_INT(h_cli_err(&h, "hijacked-pw\n", out, sizeof out, err, sizeof err, "staff", "passwd", "li.ae", "--password-stdin", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "reset-pass-000\n", out, sizeof out, "staff", "passwd", "li.ae", "--password-stdin", NULL), 0);
	CHECK(h_login(&h, "li.ae", "reset-pass-000") == 0);
	CHECK_INT(h_teardown(&h), 0);
}

/* The CLI's table lines Chinese and Latin names up by display width; --json has the fields. */
TEST(test_client_list_table_aligns_chinese_names_and_json_has_proto_fields)
{
	harness h;
	CHECK(h_setup(&h, "table") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品", "--class", "A", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "ACME Ltd", "--class", "B", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "北京长城广告有限公司", "--class", "D", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", NULL), 0);
	const char *want =
	    "编号     名称                  分类  AE  行业  完整度\n"
	    "-------  --------------------  ----  --  ----  ------\n"
	    "C000001  华夏食品              A               0%\n"
	    "C000002  ACME Ltd              B               0%\n"
	    "C000003  北京长城广告有限公司  D               0%\n";
	CHECK_STR(out, want);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "client", "list", "--class", "D", NULL), 0);
	CHECK(h_contains(out, "\"id\": \"C000003\""));
	CHECK(h_contains(out, "\"class\": \"D\""));
	CHECK(h_contains(out, "\"ae\": \"\""));
	CHECK(!h_contains(out, "C000001"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_no_forged_tampered_or_expired_token_is_refused_and_changes_nothing);
	RUN(test_cli_without_login_says_how_to_log_in);
	RUN(test_admin_password_file_is_private_and_token_file_is_0600);
	RUN(test_staff_roles_passwords_and_what_each_may_do);
	RUN(test_client_list_table_aligns_chinese_names_and_json_has_proto_fields);
	return check_summary();
}
