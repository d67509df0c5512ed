/*
 * Contracts with their 大写 amount (R-CONTRACT-1), `aedesk money`, and the interaction
 * log (visits, calls, messages, gifts, meetings) listed by client and ISO week.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

static size_t contract_count(harness *h)
{
	Aedesk__ContractListRequest q = AEDESK__CONTRACT_LIST_REQUEST__INIT;
	q.client_id = "C000001";
	Aedesk__ContractListReply *r = NULL;
	size_t n = (size_t)-1;
	if (h_call(h, "registry", &q.base, &aedesk__contract_list_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		n = r->n_contracts;
	wire_free(r ? &r->base : NULL);
	return n;
}

/* contract runs `contract add C000001` with every field, amount and upper as given (upper may be NULL). */
static int contract(harness *h, char *out, size_t outlen, char *err, size_t errlen, const char *amount,
    const char *upper, const char *phone)
{
	return h_cli_err(h, NULL, out, outlen, err, errlen, "contract", "add", "C000001", "--party-a", "华夏食品有限公司",
	    "--party-b", "北京晚报社", "--handler", "王建国", "--phone", phone, "--address", "北京市朝阳区建国路 88 号",
	    "--seal", "--signed", "2025-01-10", "--publish", "2025-01-20,2025-01-27", "--placement", "A3 版",
	    "--spec", "整版彩色", "--amount", amount, "--upper", upper ? upper : "", "--pay-by", "2025-02-28",
	    "--terms", "见附件", NULL);
}

/* R-CONTRACT-1: the 大写 is generated from the figure; a disagreeing one is refused and nothing stored. */
TEST(test_contract_uppercase_amount_must_match_the_figure_R_CONTRACT_1)
{
	harness h;
	CHECK(h_setup(&h, "contract") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192], err[4096];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品有限公司", NULL), 0);
	/* The 大写 cases (money.h): each figure and its uppercase. */
	const char *cases[][2] = {{"1,409.50", "壹仟肆佰零玖元伍角\n"}, {"107000.53", "壹拾万柒仟元零伍角叁分\n"},
	    {"120000301", "壹亿贰仟万零叁佰零壹元整\n"}, {"0", "零元整\n"}, {"0.05", "伍分\n"}, {"325.04", "叁佰贰拾伍元零肆分\n"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(h_cli(&h, NULL, out, sizeof out, "money", cases[i][0], NULL), 0);
		CHECK_STR(out, cases[i][1]);
	}
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "money", "1.234", NULL), 2);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--json", "money", "1,409.5", NULL), 0);
	CHECK(h_contains(out, "\"fen\": 140950") && h_contains(out, "壹仟肆佰零玖元伍角"));

	/* A 大写 missing the mandatory 零 is refused, with the right spelling in the message. */
	CHECK_INT(contract(&h, out, sizeof out, err, sizeof err, "1409.50", "壹仟肆佰玖元伍角", "010-65881234"), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT") && h_contains(err, "R-CONTRACT-1") && h_contains(err, "壹仟肆佰零玖元伍角"));
	CHECK_INT(contract(&h, out, sizeof out, err, sizeof err, "1409.50", "壹仟肆佰零玖元伍角", "12345"), 1);
	CHECK(h_contains(err, "电话"));
	CHECK_INT(contract_count(&h), 0);
	/* An accepted alternative spelling is stored as the generated one; none given: generated. */
	CHECK_INT(contract(&h, out, sizeof out, err, sizeof err, "1409.50", "人民币壹仟肆佰零玖元伍角整", "010-65881234"), 0);
	CHECK_STR(out, "H000001 壹仟肆佰零玖元伍角\n");
	CHECK_INT(contract(&h, out, sizeof out, err, sizeof err, "107,000.53", NULL, "400-123-4567"), 0);
	CHECK_STR(out, "H000002 壹拾万柒仟元零伍角叁分\n");
	CHECK_INT(contract_count(&h), 2);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contract", "show", "H000001", NULL), 0);
	CHECK(h_contains(out, "北京晚报社") && h_contains(out, "1,409.50") && h_contains(out, "2025-01-20, 2025-01-27") &&
	    h_contains(out, "A3 版") && h_contains(out, "010-65881234"));
	/* Missing fields and impossible dates are refused by the service too. */
	Aedesk__Contract k = AEDESK__CONTRACT__INIT;
	k.client_id = "C000001";
	k.amount_fen = 100;
	Aedesk__ContractAddRequest q = AEDESK__CONTRACT_ADD_REQUEST__INIT;
	q.contract = &k;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__contract_reply__descriptor, NULL), AEDESK__STATUS__INVALID_ARGUMENT);
	CHECK_INT(contract_count(&h), 2);
	CHECK_INT(h_teardown(&h), 0);
}

/* Interactions are logged with who, when, which contacts, summary and next; listed by ISO week. */
TEST(test_visits_are_logged_and_listed_by_client_and_week)
{
	harness h;
	CHECK(h_setup(&h, "visits") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192], err[4096];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品有限公司", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "白云电器", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000001", "--name", "王建国", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "contact", "add", "C000002", "--name", "赵丽", NULL), 0);
	/* 2025-W07 is Mon 2025-02-10 .. Sun 2025-02-16 (local time). */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000001", "--kind", "visit", "--at", "2025-02-10 00:00",
		      "--contact", "K000001", "--summary", "拜访市场部", "--next", "周五前交提案", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000002", "--kind", "gift", "--at", "2025-02-16 23:59",
		      "--summary", "春节礼品", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "log", "C000001", "--kind", "meeting", "--at", "2025-02-17 09:00",
		      "--summary", "提案会", NULL), 0);
	/* Refused, nothing logged: unknown kind, impossible time, a contact of another client, blank summary. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "visit", "log", "C000001", "--kind", "lunch", "--at", "2025-02-11 12:00", "--summary", "x", NULL), 2);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "visit", "log", "C000001", "--kind", "call", "--at", "2025-02-30 12:00", "--summary", "x", NULL), 2);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "visit", "log", "C000001", "--kind", "call", "--at", "2025-02-11 12:00", "--contact", "K000002", "--summary", "x", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT") && h_contains(err, "K000002"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "visit", "log", "C000001", "--kind", "call", "--at", "2025-02-11 12:00", "--summary", " ", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "list", "--week", "2025-W07", NULL), 0);
	CHECK(h_contains(out, "V000001") && h_contains(out, "V000002") && !h_contains(out, "V000003"));
	CHECK(h_contains(out, "王建国") && h_contains(out, "周五前交提案") && h_contains(out, "送礼") && h_contains(out, "2025-02-10 00:00"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "list", "C000001", NULL), 0);
	CHECK(h_contains(out, "V000001") && h_contains(out, "V000003") && !h_contains(out, "V000002"));
	CHECK(strstr(out, "V000001") < strstr(out, "V000003"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "visit", "list", "C000001", "--week", "2025-W08", NULL), 0);
	CHECK(!h_contains(out, "V000001") && h_contains(out, "提案会"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "visit", "list", "--week", "2025-W53", NULL), 2);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_contract_uppercase_amount_must_match_the_figure_R_CONTRACT_1);
	RUN(test_visits_are_logged_and_listed_by_client_and_week);
	return check_summary();
}
