/*
 * Durability: every acknowledged write survives kill -9 of the service (DESIGN.md,
 * "never lose an event"; issue 2). Real aedesk-registry, real CLI, real LMDB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

TEST(test_client_added_survives_kill9_and_restart)
{
	harness h;
	CHECK(h_setup(&h, "kill9") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品", "--class", "A", NULL), 0);
	CHECK_STR(out, "C000001\n");
	h_kill9(&h, "registry");
	CHECK(h_start(&h, "registry") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", NULL), 0);
	CHECK(h_contains(out, "C000001"));
	CHECK(h_contains(out, "华夏食品"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "client", "show", "C000001", NULL), 0);
	CHECK(h_contains(out, "\"name\": \"华夏食品\""));
	CHECK(h_contains(out, "\"class\": \"A\""));
	/* The token issued before the kill is still valid: the key pair persisted too. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "show", "C000001", NULL), 0);
	CHECK_INT(h_teardown(&h), 0);
}

/* Every write the service acknowledged before a kill -9 is there after the restart. */
TEST(test_every_acknowledged_write_survives_kill9_mid_stream)
{
	harness h;
	CHECK(h_setup(&h, "kill9b") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	int acked = 0;
	aeclient *c = h_client(&h, "registry", 1000);
	CHECK(c != NULL);
	for (int i = 0; c && i < 153; i++) {
		char name[64];
		snprintf(name, sizeof name, "持久客户 %03d", i);
		acked += h_add_client(c, name, NULL, 0) == 0;
		if (i == 150)
			h_kill9(&h, "registry"); /* the last two go unanswered: not acknowledged */
	}
	aeclient_close(c);
	CHECK(acked >= 151);
	CHECK(h_start(&h, "registry") == 0);
	Aedesk__ClientListRequest lq = AEDESK__CLIENT_LIST_REQUEST__INIT;
	lq.limit = 1000;
	Aedesk__ClientListReply *lr = NULL;
	CHECK_INT(h_call(&h, "registry", &lq.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&lr), 0);
	CHECK(lr != NULL);
	if (lr) {
		CHECK_INT(lr->n_clients, acked);
		for (size_t i = 0; i < lr->n_clients; i++) {
			char want[64];
			snprintf(want, sizeof want, "持久客户 %03zu", i);
			CHECK_STR(lr->clients[i]->name, want);
		}
		wire_free(&lr->base);
	}
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_sigterm_stops_cleanly)
{
	harness h;
	CHECK(h_setup(&h, "term") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_client_added_survives_kill9_and_restart);
	RUN(test_every_acknowledged_write_survives_kill9_mid_stream);
	RUN(test_sigterm_stops_cleanly);
	return check_summary();
}
