/*
 * The client book: contacts and R-PRIVACY-1, classes with history (R-CLASS-1),
 * assignment, credit limits, name search, and every change as a replayable event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "store.h"
#include "wire.h"

/*
 * agency: zhao.ad > qian.am > {sun.ae, li.ae}; zhou.cd (creative: sees every client,
 * serves none); client C000001 华夏食品有限公司 with AE sun.ae. Leaves admin logged in.
 */
static int agency(harness *h, const char *tag)
{
	char out[4096];
	if (h_setup(h, tag) != 0 || h_start(h, "registry") != 0 || h_login_admin(h) != 0)
		return -1;
	const char *staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"zhou.cd", "周创意", "cd", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		if (h_cli(h, "password-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1], "--role",
			staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL) != 0)
			return -1;
	return h_cli(h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品有限公司", "--ae", "sun.ae", NULL);
}

static int as(harness *h, const char *id)
{
	return h_login(h, id, "password-123");
}

/* contact_count: how many contacts C000001 has, as the harness's current login sees them. */
static size_t contact_count(harness *h)
{
	Aedesk__ContactListRequest q = AEDESK__CONTACT_LIST_REQUEST__INIT;
	q.client_id = "C000001";
	Aedesk__ContactListReply *r = NULL;
	size_t n = (size_t)-1;
	if (h_call(h, "registry", &q.base, &aedesk__contact_list_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		n = r->n_contacts;
	wire_free(r ? &r->base : NULL);
	return n;
}

/* R-PRIVACY-1: phones, birthday, preferences and notes only for the team and their managers. */
TEST(test_contact_personal_fields_only_for_the_team_and_their_managers_R_PRIVACY_1)
{
	harness h;
	CHECK(agency(&h, "privacy") == 0);
	char out[8192], err[4096];
	CHECK(as(&h, "sun.ae") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000001", "--name", "王建国", "--title", "市场部经理",
		      "--phone", "138-1234-5678", "--phone", "010-12345678转8", "--birthday", "1984-10-05", "--lunar", "--leap",
		      "--preferences", "喜欢普洱茶", NULL), 0);
	CHECK_STR(out, "K000001\n");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000001", "--name", "陈静", "--birthday", "08-15", "--lunar", NULL), 0);
	/* Bad input is refused, naming the field and rule, and stores nothing. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "add", "C000001", "--name", "甲", "--phone", "12345", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT") && h_contains(err, "电话"));
	/* 2021 has no leap month: 闰十月 that year does not exist. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "add", "C000001", "--name", "乙", "--birthday", "2021-10-05", "--lunar", "--leap", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT") && h_contains(err, "农历生日"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "add", "C000001", "--name", "丙", "--birthday", "2023-02-30", NULL), 1);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "add", "C000001", "--name", "　", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT"));
	CHECK_INT(contact_count(&h), 2);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "list", "C000001", NULL), 0);
	CHECK(h_contains(out, "13812345678") && h_contains(out, "农历闰1984-10-05") && h_contains(out, "农历08-15"));

	/* The AE's AM and the AM's AD read the personal fields. */
	CHECK(as(&h, "qian.am") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "show", "K000001", NULL), 0);
	CHECK(h_contains(out, "喜欢普洱茶") && h_contains(out, "010-12345678-8"));
	CHECK(as(&h, "zhao.ad") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "show", "K000001", NULL), 0);
	CHECK(h_contains(out, "13812345678"));

	/* Creative sees the client, and its contacts without personal fields; the personal read is refused. */
	CHECK(as(&h, "zhou.cd") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "list", "C000001", NULL), 0);
	CHECK(h_contains(out, "王建国") && h_contains(out, "（无权查看）") && !h_contains(out, "138"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "contact", "list", "C000001", NULL), 0);
	CHECK(h_contains(out, "\"personal_hidden\": true") && !h_contains(out, "普洱") && !h_contains(out, "1384"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "show", "K000001", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED") && h_contains(err, "R-PRIVACY-1"));
	CHECK(!h_contains(out, "13812345678"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "erase", "K000001", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	/* Admin runs the system but serves no client: refused too. */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "show", "K000001", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	/* Another AE does not even see the client. */
	CHECK(as(&h, "li.ae") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "show", "K000001", NULL), 1);
	CHECK(h_contains(err, "NOT_FOUND"));
	/* ...until the AM puts her on the service team. */
	CHECK(as(&h, "qian.am") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "assign", "C000001", "--team", "li.ae", NULL), 0);
	CHECK(as(&h, "li.ae") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "show", "K000001", NULL), 0);
	CHECK(h_contains(out, "13812345678"));

	/* Erasure on request: name and personal fields go, the visit that names the contact stays readable. */
	CHECK(as(&h, "sun.ae") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000001", "--kind", "visit", "--at", "2025-03-04 10:30",
		      "--contact", "K000001", "--summary", "谈春节广告预算", "--next", "下周交提案", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "erase", "K000001", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "show", "K000001", NULL), 0);
	CHECK(h_contains(out, "（已应要求删除）") && !h_contains(out, "王建国") && !h_contains(out, "138") && !h_contains(out, "普洱"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "list", "C000001", NULL), 0);
	CHECK(h_contains(out, "谈春节广告预算") && h_contains(out, "（已删除）") && !h_contains(out, "王建国"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "erase", "K000001", NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION"));

	/* Personal data never reaches the log. */
	char log[1 << 16], path[400];
	snprintf(path, sizeof path, "%s/registry.log", h.home);
	CHECK(h_read_file(path, log, sizeof log) >= 0);
	CHECK(!h_contains(log, "13812345678") && !h_contains(log, "王建国") && !h_contains(log, "普洱"));
	CHECK_INT(h_teardown(&h), 0);
}

static void client_field(harness *h, const char *field, char *buf, size_t len)
{
	Aedesk__ClientGetRequest q = AEDESK__CLIENT_GET_REQUEST__INIT;
	q.id = "C000001";
	Aedesk__ClientReply *r = NULL;
	buf[0] = 0;
	if (h_call(h, "registry", &q.base, &aedesk__client_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r) {
		if (strcmp(field, "class") == 0)
			snprintf(buf, len, "%s", r->client->class_);
		else if (strcmp(field, "ae") == 0)
			snprintf(buf, len, "%s", r->client->ae);
		else
			snprintf(buf, len, "%lld", (long long)r->client->credit_limit_fen);
	}
	wire_free(r ? &r->base : NULL);
}

/* R-CLASS-1: AM or above overrides the class with a reason; who, when and why are kept. */
TEST(test_class_override_needs_am_or_above_and_a_reason_and_is_in_history_R_CLASS_1)
{
	harness h;
	CHECK(agency(&h, "class") == 0);
	char out[8192], err[4096], v[64];
	CHECK(as(&h, "sun.ae") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "class", "C000001", "A", "--why", "大客户", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "assign", "C000001", "--ae", "li.ae", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(as(&h, "qian.am") == 0);
	/* No reason (over the wire, past the CLI's own check), a bad class: refused, class unchanged. */
	Aedesk__ClientClassRequest q = AEDESK__CLIENT_CLASS_REQUEST__INIT;
	q.id = "C000001";
	q.class_ = "A";
	q.why = " ";
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__client_reply__descriptor, NULL), AEDESK__STATUS__INVALID_ARGUMENT);
	q.class_ = "E";
	q.why = "试试";
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__client_reply__descriptor, NULL), AEDESK__STATUS__INVALID_ARGUMENT);
	client_field(&h, "class", v, sizeof v);
	CHECK_STR(v, "C");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "class", "C000001", "A", "--why", "年度投放超过五百万", NULL), 0);
	client_field(&h, "class", v, sizeof v);
	CHECK_STR(v, "A");
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "class", "C000001", "A", "--why", "再来", NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION"));
	/* Assignment: the AM assigns among their own AEs; not to someone outside the team or not an AE. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "assign", "C000001", "--ae", "zhou.cd", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "assign", "C000001", "--ae", "li.ae", "--team", "sun.ae,zhou.cd", NULL), 0);
	client_field(&h, "ae", v, sizeof v);
	CHECK_STR(v, "li.ae");
	/* Credit limit (R-JOB-8 reads it): AD, finance, admin only. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "credit", "C000001", "500,000", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(as(&h, "zhao.ad") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "credit", "C000001", "-5", NULL), 2);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "credit", "C000001", "500,000", NULL), 0);
	CHECK(h_contains(out, "500,000.00") && h_contains(out, "sun.ae,zhou.cd"));
	client_field(&h, "credit", v, sizeof v);
	CHECK_STR(v, "50000000");
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "history", "C000001", NULL), 0);
	CHECK(h_contains(out, "建档") && h_contains(out, "分类") && h_contains(out, "年度投放超过五百万"));
	CHECK(h_contains(out, "qian.am") && h_contains(out, "AE=sun.ae team=") && h_contains(out, "AE=li.ae team=sun.ae,zhou.cd"));
	CHECK(h_contains(out, "信用额度") && h_contains(out, "zhao.ad"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "client", "history", "C000001", NULL), 0);
	CHECK(h_contains(out, "\"change\": \"class\"") && h_contains(out, "\"from\": \"C\"") && h_contains(out, "\"to\": \"A\""));
	CHECK_INT(h_teardown(&h), 0);
}

/* Every change to the registry is an event a consumer can replay, with the whole updated client. */
TEST(test_every_change_is_an_event_a_consumer_replays_into_a_projection)
{
	harness h;
	CHECK(agency(&h, "events") == 0);
	char out[8192];
	CHECK(as(&h, "qian.am") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "class", "C000001", "B", "--why", "潜力大", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "assign", "C000001", "--ae", "li.ae", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000001", "--name", "刘洋", "--phone", "13912345678", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000001", "--kind", "call", "--at", "2025-03-05 09:00", "--summary", "确认排期", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "erase", "K000001", NULL), 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "credit", "C000001", "80000", NULL), 0);

	Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
	q.from_seq = 1;
	Aedesk__ReplayReply *r = NULL;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__replay_reply__descriptor, (ProtobufCMessage **)&r), 0);
	/* The consumer's projection of client C000001. */
	char cls[4] = "", ae[32] = "", kinds[512] = "";
	long long credit = -1;
	uint64_t last = 0;
	int ordered = 1;
	for (size_t i = 0; r && i < r->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
		if (!e)
			continue;
		ordered &= e->seq == last + 1;
		last = e->seq;
		const char *t = wire_short_name(e->type);
		if (strncmp(t, "Staff", 5) != 0 && strcmp(t, "LoginSucceeded") != 0 && strcmp(t, "AccessRefused") != 0 &&
		    strlen(kinds) + strlen(t) + 2 < sizeof kinds)
			strcat(strcat(kinds, t), " ");
		const Aedesk__Client *c = NULL;
		ProtobufCMessage *m = NULL;
		if (strcmp(t, "ClientAdded") == 0) {
			m = wire_unpack(&aedesk__client_added__descriptor, e->payload.data, e->payload.len, NULL);
			c = m ? ((Aedesk__ClientAdded *)m)->client : NULL;
		} else if (strcmp(t, "ClientUpdated") == 0) {
			m = wire_unpack(&aedesk__client_updated__descriptor, e->payload.data, e->payload.len, NULL);
			c = m ? ((Aedesk__ClientUpdated *)m)->client : NULL;
		}
		if (c) {
			snprintf(cls, sizeof cls, "%s", c->class_);
			snprintf(ae, sizeof ae, "%s", c->ae);
			credit = c->credit_limit_fen;
		}
		wire_free(m);
		wire_free(&e->base);
	}
	CHECK(ordered);
	CHECK_STR(kinds, "ClientAdded ClientUpdated ClientUpdated ContactAdded VisitLogged ContactErased ClientUpdated ");
	CHECK_STR(cls, "B");
	CHECK_STR(ae, "li.ae");
	CHECK_INT(credit, 8000000);
	wire_free(r ? &r->base : NULL);
	CHECK_INT(h_teardown(&h), 0);
}

/* Search by any part of the name, Chinese included, sorted by id and paged. */
TEST(test_client_list_finds_any_part_of_the_name_and_pages)
{
	harness h;
	CHECK(agency(&h, "search") == 0);
	char out[8192], err[1024];
	const char *names[] = {"北京华夏广告有限公司", "上海华夏食品", "广州白云电器", "深圳华夏科技"};
	for (size_t i = 0; i < 4; i++)
		CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", names[i], NULL), 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "list", "--name", "华夏", "--limit", "2", NULL), 0);
	CHECK(h_contains(out, "C000001") && h_contains(out, "C000002") && !h_contains(out, "C000003"));
	CHECK(h_contains(err, "--after C000002"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "list", "--name", "华夏", "--limit", "2", "--after", "C000002", NULL), 0);
	CHECK(h_contains(out, "上海华夏食品") && h_contains(out, "深圳华夏科技") && !h_contains(out, "白云"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--name", "白云电", NULL), 0);
	CHECK(h_contains(out, "C000004") && !h_contains(out, "华夏"));
	CHECK_INT(h_teardown(&h), 0);
}

/* reg_flag: reg_meta "client_ae_built" of the stopped registry's store; with clear, the
 * flag and the client_ae index are removed (a store from before the index). -1 on error. */
static int reg_flag(harness *h, int clear)
{
	MDB_dbi meta, idx;
	store_table t[] = {{"reg_meta", &meta}, {"client_ae", &idx}, {NULL, NULL}};
	char dir[400], err[512];
	snprintf(dir, sizeof dir, "%s/data/registry", h->home);
	store *s;
	if (store_open(&s, dir, t, 0, err, sizeof err) != 0)
		return -1;
	MDB_txn *txn;
	int v = -1;
	if (store_write_begin(s, &txn) == 0) {
		v = (int)store_get_u64(txn, meta, "client_ae_built", 0);
		MDB_val k = {strlen("client_ae_built"), (void *)"client_ae_built"};
		if (clear && (mdb_drop(txn, idx, 0) != 0 || mdb_del(txn, meta, &k, NULL) != 0))
			v = -1;
		if (store_commit(s, txn) != 0)
			v = -1;
	}
	store_close(s);
	return v;
}

/* The client_ae index (clients by AE) is built from the clients at start only once: for a
 * store from before it, not at every start of a store whose clients have no AE. */
TEST(test_the_client_ae_index_is_built_once_for_a_store_from_before_it)
{
	harness h;
	CHECK(agency(&h, "aeindex") == 0);
	char out[8192];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "无人负责的客户", NULL), 0);
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK_INT(reg_flag(&h, 0), 1); /* built (empty) at the first start, and recorded */
	/* A store from before the index: no flag, no index, clients with an AE. */
	CHECK_INT(reg_flag(&h, 1), 1);
	CHECK(h_start(&h, "registry") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--ae", "sun.ae", NULL), 0);
	CHECK(h_contains(out, "C000001") && !h_contains(out, "无人负责"));
	CHECK_INT(h_stop(&h, "registry"), 0);
	CHECK_INT(reg_flag(&h, 0), 1);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_contact_personal_fields_only_for_the_team_and_their_managers_R_PRIVACY_1);
	RUN(test_class_override_needs_am_or_above_and_a_reason_and_is_in_history_R_CLASS_1);
	RUN(test_every_change_is_an_event_a_consumer_replays_into_a_projection);
	RUN(test_client_list_finds_any_part_of_the_name_and_pages);
	RUN(test_the_client_ae_index_is_built_once_for_a_store_from_before_it);
	return check_summary();
}
