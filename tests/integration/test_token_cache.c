/*
 * The verified-token cache (common/svc.c authenticate: per thread, keyed by the token's
 * bytes): reads answered from it stop at once when the tokens are revoked, and a token
 * that differs from a cached one in any byte is checked again, not taken from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

/* reads: n client lists with the harness's token; how many were answered with st. */
static int reads(harness *h, int n, int st)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
		q.class_ = "B";
		q.limit = 5;
		k += h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, NULL) == st;
	}
	return k;
}

TEST(test_cached_token_is_refused_at_once_after_logout_everywhere)
{
	harness h;
	char out[4096];
	CHECK(h_setup(&h, "tokcache") == 0 && h_start(&h, "registry") == 0 && h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role",
		      "ae", "--password-stdin", NULL),
	    0);
	CHECK(h_login(&h, "sun.ae", "password-123") == 0);
	/* Many reads: the token is verified once per NNG thread, then answered from the cache. */
	CHECK_INT(reads(&h, 60, AEDESK__STATUS__OK), 60);

	/* The same token with one byte changed (its last, in the signed body; then its
	 * second, in the signature) is not the cached one: refused. */
	uint8_t good[4096];
	size_t len = h.toklen;
	memcpy(good, h.tok, len);
	CHECK(len > 70);
	h.tok[len - 1] ^= 1;
	CHECK_INT(reads(&h, 20, AEDESK__STATUS__UNAUTHENTICATED), 20);
	memcpy(h.tok, good, len);
	h.tok[1] ^= 0x80;
	CHECK_INT(reads(&h, 20, AEDESK__STATUS__UNAUTHENTICATED), 20);
	memcpy(h.tok, good, len);
	h.toklen = len - 1; /* a prefix of it */
	CHECK_INT(reads(&h, 5, AEDESK__STATUS__UNAUTHENTICATED), 5);
	h.toklen = len;
	CHECK_INT(reads(&h, 20, AEDESK__STATUS__OK), 20);

	/* Logout everywhere: the very next read with the cached token is refused, every one. */
	Aedesk__LogoutEverywhereRequest lq = AEDESK__LOGOUT_EVERYWHERE_REQUEST__INIT;
	CHECK_INT(h_call(&h, "registry", &lq.base, &aedesk__logout_everywhere_reply__descriptor, NULL), AEDESK__STATUS__OK);
	CHECK_INT(reads(&h, 60, AEDESK__STATUS__UNAUTHENTICATED), 60);
	/* A new login works (issued after the revocation time). */
	h_sleep_ms(20);
	CHECK(h_login(&h, "sun.ae", "password-123") == 0);
	CHECK_INT(reads(&h, 20, AEDESK__STATUS__OK), 20);
	memcpy(h.tok, good, len);
	h.toklen = len;
	CHECK_INT(reads(&h, 5, AEDESK__STATUS__UNAUTHENTICATED), 5);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_cached_token_is_refused_at_once_after_logout_everywhere);
	return check_summary();
}
