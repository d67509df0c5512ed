/*
 * Prospects (开发新客户): one stage at a time, skips refused naming the missing stage,
 * lost with a reason, won into a client that keeps the link; intent for R-PROSPECT-1.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

TEST(test_prospect_moves_stage_by_stage_and_becomes_a_client)
{
	harness h;
	char out[16384], err[4096];
	CHECK(h_setup(&h, "prospect") == 0 && h_start(&h, "registry") == 0 && h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
		      "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "li.ae", "--name", "李娜", "--role", "ae",
		      "--password-stdin", NULL), 0);
	CHECK(h_login(&h, "sun.ae", "password-123") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "add", "--name", "东方乳业", "--intent", "confirmed", "--industry", "乳制品", NULL), 0);
	CHECK_STR(out, "P000001\n");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "add", "--name", "南方建材", NULL), 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "add", "--name", "　", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT"));
	/* A skipped stage is refused naming the missing one, and nothing changes. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "advance", "P000001", "--to", "proposal", NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION") && h_contains(err, "资料收集"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "win", "P000001", NULL), 1);
	CHECK(h_contains(err, "提案"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "list", "--stage", "screened", NULL), 0);
	CHECK(h_contains(out, "P000001") && h_contains(out, "P000002"));
	const char *steps[] = {"info", "first-call", "needs", "proposal"};
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "advance", "P000001", "--to", steps[i], "--why", "按计划", NULL), 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "advance", "P000001", "--to", "info", NULL), 1);
	CHECK(h_contains(err, "不能回到"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "list", "--intent", "confirmed", NULL), 0);
	CHECK(h_contains(out, "P000001") && h_contains(out, "提案") && !h_contains(out, "P000002"));
	/* Won: a client with the prospect's name, AE and industry, linked both ways. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "win", "P000001", "--class", "B", NULL), 0);
	CHECK_STR(out, "C000001\n");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "show", "C000001", NULL), 0);
	CHECK(h_contains(out, "东方乳业") && h_contains(out, "P000001") && h_contains(out, "乳制品") && h_contains(out, "sun.ae"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "show", "P000001", NULL), 0);
	CHECK(h_contains(out, "签约") && h_contains(out, "C000001") && h_contains(out, "按计划"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "lose", "P000001", "--why", "x", NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION"));
	/* Lost needs a reason. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "lose", "P000002", NULL), 1);
	CHECK(h_contains(err, "--why"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "lose", "P000002", "--why", "预算不足", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "list", "--stage", "lost", NULL), 0);
	CHECK(h_contains(out, "P000002") && !h_contains(out, "P000001"));
	/* Another AE does not see them. */
	CHECK(h_login(&h, "li.ae", "password-123") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "prospect", "show", "P000001", NULL), 1);
	CHECK(h_contains(err, "NOT_FOUND"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "prospect", "list", NULL), 0);
	CHECK(!h_contains(out, "P00000"));

	/* The events, in order. */
	Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
	q.from_seq = 1;
	Aedesk__ReplayReply *r = NULL;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__replay_reply__descriptor, (ProtobufCMessage **)&r), 0);
	char kinds[1024] = "";
	for (size_t i = 0; r && i < r->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
		const char *t = e ? wire_short_name(e->type) : "";
		if (strncmp(t, "Prospect", 8) == 0 || strcmp(t, "ClientAdded") == 0)
			strcat(strcat(kinds, t), " ");
		wire_free(e ? &e->base : NULL);
	}
	wire_free(r ? &r->base : NULL);
	CHECK_STR(kinds, "ProspectAdded ProspectAdded ProspectAdvanced ProspectAdvanced ProspectAdvanced ProspectAdvanced "
			 "ClientAdded ProspectWon ProspectLost ");
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_prospect_moves_stage_by_stage_and_becomes_a_client);
	return check_summary();
}
