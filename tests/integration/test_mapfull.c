/*
 * A full LMDB map is grown and the write retried, never dropped (DESIGN.md rule 5):
 * the registry starts with a 1 MiB map and takes far more than that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

TEST(test_a_full_map_grows_and_every_acknowledged_write_is_kept)
{
	harness h;
	CHECK(h_setup(&h, "mapfull") == 0);
	h_conf_add(&h, "map_mb", "1");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	aeclient *c = h_client(&h, "registry", 10000);
	int acked = 0;
	char pad[1200];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = 0;
	for (int i = 0; c && i < 3000; i++) {
		char name[200];
		/* Long names fill the map fast: ~200 bytes each, 3 copies (record, index, event). */
		snprintf(name, sizeof name, "满载客户 %04d %.*s", i, 150, pad);
		char msg[256];
		if (h_add_client(c, name, msg, sizeof msg) == 0)
			acked++;
		else
			fprintf(stderr, "  add %d: %s\n", i, msg);
	}
	aeclient_close(c);
	CHECK_INT(acked, 3000);
	/* The store really outgrew its first map. */
	char p[400];
	struct stat st;
	snprintf(p, sizeof p, "%s/data/registry/data.mdb", h.home);
	CHECK(stat(p, &st) == 0 && st.st_size > (1 << 20));
	char log[1 << 16];
	snprintf(p, sizeof p, "%s/registry.log", h.home);
	CHECK(h_read_file(p, log, sizeof log) == 0 && h_contains(log, "map grown"));
	/* After a kill -9 and a restart (which opens with the file's size), all are there. */
	h_kill9(&h, "registry");
	CHECK(h_start(&h, "registry") == 0);
	Aedesk__ClientListRequest lq = AEDESK__CLIENT_LIST_REQUEST__INIT;
	lq.limit = 1000;
	lq.after = "C002000";
	Aedesk__ClientListReply *lr = NULL;
	CHECK_INT(h_call(&h, "registry", &lq.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&lr), 0);
	CHECK(lr && lr->n_clients == 1000);
	CHECK(lr && lr->n_clients && strcmp(lr->clients[lr->n_clients - 1]->id, "C003000") == 0);
	wire_free(lr ? &lr->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_a_full_map_grows_and_every_acknowledged_write_is_kept);
	return check_summary();
}
