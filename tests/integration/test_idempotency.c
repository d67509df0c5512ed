/*
 * A request that REQ re-sends (because the reply was slow, or on reconnect) is acted on
 * once: the service remembers request id -> reply in the same transaction as the
 * effect (DESIGN.md rule 4; the NNG pitfall where 10 requests became 998 executions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "testsvc.pb-c.h"
#include "wire.h"

static uint64_t touch(aeclient *c, const char *key, uint32_t delay_ms, int *ok)
{
	Aedesk__TouchRequest q = AEDESK__TOUCH_REQUEST__INIT;
	q.key = (char *)key;
	q.delay_ms = delay_ms;
	Aedesk__Status st;
	char msg[256];
	Aedesk__TouchReply *r = NULL;
	*ok = aeclient_call(c, &q.base, &aedesk__touch_reply__descriptor, &st, msg, sizeof msg,
		  (ProtobufCMessage **)&r) == 0 && st == AEDESK__STATUS__OK && r;
	uint64_t n = r ? r->count : 0;
	wire_free(r ? &r->base : NULL);
	return n;
}

TEST(test_request_resent_by_req_because_the_reply_was_slow_is_acted_on_once)
{
	harness h;
	CHECK(h_setup(&h, "resend") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	aeclient *c = h_client(&h, "testsvc", 10000);
	CHECK(c != NULL);
	if (!c)
		goto out;
	/* The handler takes 600 ms; REQ re-sends every 50 ms: about a dozen copies. */
	aeclient_set_resend(c, 50);
	int ok;
	CHECK_INT(touch(c, "slow", 600, &ok), 1);
	CHECK(ok);
	/* A fresh request (new id) runs again: the count is 2, not 13. */
	aeclient_set_resend(c, 60000);
	CHECK_INT(touch(c, "slow", 0, &ok), 2);
	CHECK(ok);
	/* Ten slow requests in a row, each re-sent many times: ten executions. */
	aeclient_set_resend(c, 30);
	for (int i = 0; i < 10; i++)
		touch(c, "ten", 120, &ok);
	aeclient_set_resend(c, 60000);
	CHECK_INT(touch(c, "ten", 0, &ok), 11);
	aeclient_close(c);
	char log[64 << 10], path[400];
	snprintf(path, sizeof path, "%s/testsvc.log", h.home);
	CHECK(h_read_file(path, log, sizeof log) == 0);
	/* The service did see the copies, and answered them from the request-id table. */
	CHECK(h_contains(log, "repeated: answering the first reply"));
out:
	CHECK_INT(h_teardown(&h), 0);
}

/* The same client-add envelope delivered twice creates one client and one event. */
TEST(test_same_client_add_envelope_twice_creates_one_client)
{
	harness h;
	CHECK(h_setup(&h, "dup") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	aeclient *c = h_client(&h, "registry", 10000);
	CHECK(c != NULL);
	if (!c)
		goto out;
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = "重复请求食品";
	uint8_t id[16], *env, *r1 = NULL, *r2 = NULL;
	size_t envlen, l1 = 0, l2 = 0;
	wire_new_id(id);
	CHECK(aeclient_envelope(c, &q.base, id, &env, &envlen) == 0);
	CHECK(aeclient_raw(c, env, envlen, &r1, &l1) == 0);
	CHECK(aeclient_raw(c, env, envlen, &r2, &l2) == 0);
	/* Byte for byte the first reply, id C000001 both times. */
	CHECK(l1 == l2 && r1 && r2 && memcmp(r1, r2, l1) == 0);
	Aedesk__Envelope *e = r1 ? wire_envelope_unpack(r1, l1, NULL) : NULL;
	CHECK(e && e->status == AEDESK__STATUS__OK);
	wire_free(e ? &e->base : NULL);
	free(env);
	free(r1);
	free(r2);
	aeclient_close(c);
	Aedesk__ClientListRequest lq = AEDESK__CLIENT_LIST_REQUEST__INIT;
	Aedesk__ClientListReply *lr = NULL;
	CHECK_INT(h_call(&h, "registry", &lq.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&lr), 0);
	CHECK(lr && lr->n_clients == 1);
	wire_free(lr ? &lr->base : NULL);
	Aedesk__HealthRequest hq = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *hr = NULL;
	CHECK_INT(h_call(&h, "registry", &hq.base, &aedesk__health__descriptor, (ProtobufCMessage **)&hr), 0);
	/* admin created + one client added (+ the audit trail's login events) */
	CHECK(hr && hr->last_seq == 2 + (uint64_t)h_audit_events(&h, "registry"));
	wire_free(hr ? &hr->base : NULL);
out:
	CHECK_INT(h_teardown(&h), 0);
}

/* The request-id table is durable: a copy arriving after a kill -9 still gets the first answer. */
TEST(test_request_id_is_remembered_across_kill9)
{
	harness h;
	CHECK(h_setup(&h, "dup9") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	aeclient *c = h_client(&h, "registry", 10000);
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = "跨重启请求";
	uint8_t id[16], *env = NULL, *r1 = NULL, *r2 = NULL;
	size_t envlen = 0, l1 = 0, l2 = 0;
	wire_new_id(id);
	CHECK(c && aeclient_envelope(c, &q.base, id, &env, &envlen) == 0);
	CHECK(c && aeclient_raw(c, env, envlen, &r1, &l1) == 0);
	aeclient_close(c);
	h_kill9(&h, "registry");
	CHECK(h_start(&h, "registry") == 0);
	c = h_client(&h, "registry", 10000);
	CHECK(c && aeclient_raw(c, env, envlen, &r2, &l2) == 0);
	CHECK(l1 == l2 && r1 && r2 && memcmp(r1, r2, l1) == 0);
	aeclient_close(c);
	free(env);
	free(r1);
	free(r2);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_request_resent_by_req_because_the_reply_was_slow_is_acted_on_once);
	RUN(test_same_client_add_envelope_twice_creates_one_client);
	RUN(test_request_id_is_remembered_across_kill9);
	return check_summary();
}
