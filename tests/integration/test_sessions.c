/*
 * Sessions (issue 8): disabling a staff member, changing a password or logging out
 * everywhere ends their tokens at every service within one heartbeat period; failed
 * logins are throttled per account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

/* jobs_answers: does aedesk-jobs accept the harness's current CLI token? (exit 0) */
static int jobs_status(harness *h, char *err, size_t errlen)
{
	char out[8192];
	return h_cli_err(h, NULL, out, sizeof out, err, errlen, "job", "list", NULL);
}

/* wait_refused polls until the jobs service refuses the token as revoked (or ms pass). */
static int wait_refused(harness *h, int ms)
{
	char err[4096];
	for (int waited = 0; waited < ms; waited += 100) {
		if (jobs_status(h, err, sizeof err) == 1 && h_contains(err, "UNAUTHENTICATED"))
			return waited;
		h_sleep_ms(100);
	}
	return -1;
}

static void add_ae(harness *h, const char *id, const char *pw)
{
	char out[4096], in[128];
	snprintf(in, sizeof in, "%s\n", pw);
	CHECK_INT(h_cli(h, in, out, sizeof out, "staff", "add", id, "--name", "测试员工", "--role", "ae", "--password-stdin", NULL), 0);
}

TEST(test_disabled_staff_token_is_refused_at_every_service_within_one_heartbeat)
{
	harness h;
	CHECK(h_setup(&h, "disable") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_ae(&h, "zhou.ae", "zhou-pass-123");
	CHECK(h_login(&h, "zhou.ae", "zhou-pass-123") == 0);
	char err[4096], out[4096];
	CHECK_INT(jobs_status(&h, err, sizeof err), 0);
	uint8_t old[4096];
	size_t oldlen = h.toklen;
	memcpy(old, h.tok, oldlen);
	/* The admin disables the account; the AE's saved token is the old one. */
	char token_file[400];
	snprintf(token_file, sizeof token_file, "%s", h.token);
	char saved[8192];
	CHECK(h_read_file(token_file, saved, sizeof saved) == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "disable", "zhou.ae", NULL), 0);
	FILE *f = fopen(token_file, "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "%s\n", saved);
		fclose(f);
	}
	/* heartbeat_ms is 500 in tests: refused at jobs well within one period or two. */
	int waited = wait_refused(&h, 3000);
	CHECK(waited >= 0);
	fprintf(stderr, "  jobs refused the disabled AE's token after ~%d ms\n", waited);
	CHECK_INT(jobs_status(&h, err, sizeof err), 1);
	CHECK(h_contains(err, "aedesk login"));
	/* ... and the registry refuses it and a new login. */
	memcpy(h.tok, old, oldlen);
	h.toklen = oldlen;
	Aedesk__StaffListRequest q = AEDESK__STAFF_LIST_REQUEST__INIT;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__staff_list_reply__descriptor, NULL), AEDESK__STATUS__UNAUTHENTICATED);
	CHECK(h_login(&h, "zhou.ae", "zhou-pass-123") != 0);
	/* Enabled again: a new login works; the old token stays dead. */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "staff", "enable", "zhou.ae", NULL), 0);
	CHECK(h_login(&h, "zhou.ae", "zhou-pass-123") == 0);
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__staff_list_reply__descriptor, NULL), AEDESK__STATUS__OK);
	memcpy(h.tok, old, oldlen);
	h.toklen = oldlen;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__staff_list_reply__descriptor, NULL), AEDESK__STATUS__UNAUTHENTICATED);
	/* Only the admin disables, and not themself. */
	CHECK(h_login(&h, "zhou.ae", "zhou-pass-123") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "disable", "admin", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "staff", "disable", "admin", NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION"));
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_password_change_and_logout_everywhere_end_old_tokens_everywhere)
{
	harness h;
	CHECK(h_setup(&h, "revoke") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_ae(&h, "wu.ae", "wu-pass-1234");
	CHECK(h_login(&h, "wu.ae", "wu-pass-1234") == 0);
	char saved[8192], out[4096];
	CHECK(h_read_file(h.token, saved, sizeof saved) == 0);
	/* Another device logs in too, then changes the password. */
	CHECK(h_login(&h, "wu.ae", "wu-pass-1234") == 0);
	CHECK_INT(h_cli(&h, "wu-pass-1234\nwu-pass-5678\n", out, sizeof out, "passwd", "--password-stdin", NULL), 0);
	FILE *f = fopen(h.token, "w");
	if (f) {
		fprintf(f, "%s\n", saved); /* the first device's token */
		fclose(f);
	}
	CHECK(wait_refused(&h, 3000) >= 0);
	/* Logout everywhere: the new login ends too. */
	CHECK(h_login(&h, "wu.ae", "wu-pass-5678") == 0);
	char err[4096];
	CHECK_INT(jobs_status(&h, err, sizeof err), 0);
	CHECK(h_read_file(h.token, saved, sizeof saved) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "logout", "--everywhere", NULL), 0);
	f = fopen(h.token, "w");
	if (f) {
		fprintf(f, "%s\n", saved);
		fclose(f);
	}
	CHECK(wait_refused(&h, 3000) >= 0);
	CHECK(h_login(&h, "wu.ae", "wu-pass-5678") == 0);
	CHECK_INT(jobs_status(&h, err, sizeof err), 0);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_failed_logins_are_throttled_per_account)
{
	harness h;
	CHECK(h_setup(&h, "throttle") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_ae(&h, "zheng.ae", "zheng-pass-12");
	char out[4096], err[4096];
	for (int i = 0; i < 5; i++)
		CHECK_INT(h_cli_err(&h, "wrong-guess-0\n", out, sizeof out, err, sizeof err, "login", "zheng.ae", "--password-stdin", NULL), 1);
	/* Now even the right password is refused, with a clear message. */
	CHECK_INT(h_cli_err(&h, "zheng-pass-12\n", out, sizeof out, err, sizeof err, "login", "zheng.ae", "--password-stdin", NULL), 1);
	CHECK(h_contains(err, "RESOURCE_EXHAUSTED"));
	CHECK(h_contains(err, "分钟后再试"));
	/* Another account is not affected. */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_a_valid_token_renews_and_the_cli_keeps_working)
{
	harness h;
	CHECK(h_setup(&h, "renew") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	Aedesk__TokenRenewRequest q = AEDESK__TOKEN_RENEW_REQUEST__INIT;
	Aedesk__LoginReply *r = NULL;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__login_reply__descriptor, (ProtobufCMessage **)&r), 0);
	CHECK(r && r->token.len > 0 && r->expires_ms > wire_now_ms());
	CHECK(r && (r->token.len != h.toklen || memcmp(r->token.data, h.tok, h.toklen) != 0));
	wire_free(r ? &r->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_disabled_staff_token_is_refused_at_every_service_within_one_heartbeat);
	RUN(test_password_change_and_logout_everywhere_end_old_tokens_everywhere);
	RUN(test_failed_logins_are_throttled_per_account);
	RUN(test_a_valid_token_renews_and_the_cli_keeps_working);
	return check_summary();
}
