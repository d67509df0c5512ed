/*
 * The client dossier (客户基本资料): every section of the form, --set and --file all or
 * nothing with every invalid field named, completeness (R-PROFILE-1) in show and list,
 * the ProfileUpdated / ClientUpdated events, and search by code, industry and name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

/* A valid USCC (GB 32100 check character) and another. */
#define USCC1 "91350100M000100Y43"
#define USCC2 "911101080000000007"

static int agency(harness *h, const char *tag)
{
	char out[4096];
	if (h_setup(h, tag) != 0 || h_start(h, "registry") != 0 || h_login_admin(h) != 0)
		return -1;
	const char *staff[][4] = {{"qian.am", "钱经理", "am", ""}, {"sun.ae", "孙晓明", "ae", "qian.am"},
	    {"li.ae", "李娜", "ae", "qian.am"}, {"zhou.cd", "周创意", "cd", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		if (h_cli(h, "password-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1], "--role",
			staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL) != 0)
			return -1;
	if (h_cli(h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品有限公司", "--ae", "sun.ae", NULL) != 0)
		return -1;
	return h_cli(h, NULL, out, sizeof out, "client", "add", "--name", "白云电器", "--ae", "li.ae", NULL);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* R-PROFILE-1: the share of the dossier's fields filled, shown by show, list and profile. */
TEST(test_profile_set_fills_sections_and_completeness_shows_R_PROFILE_1)
{
	harness h;
	CHECK(agency(&h, "profile") == 0);
	char out[32768], err[4096];
	CHECK(h_login(&h, "sun.ae", "password-123") == 0);
	/* A fresh client has an empty profile: 0%. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, "完整度 0%") && h_contains(out, "[overview] 公司概况") && h_contains(out, "[services]"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001",
		      "--set", "overview.uscc=" USCC1, "--set", "overview.industry=食品饮料",
		      "--set", "overview.founded=1998-06-18", "--set", "overview.capital_fen=5,000,000",
		      "--set", "overview.fiscal_year_end_month=12", "--set", "overview.headcount=1200",
		      "--set", "people.advertising_contact=王建国（市场部经理）",
		      "--set", "product.kind=改良产品", "--set", "product.necessity=necessity",
		      "--set", "product.aspects=quality:口感好:价格偏高;packaging:新颖",
		      "--set", "market.market_share_pct=12.5", "--set", "market.regions=national,城市",
		      "--set", "past_ads.media=newspaper,tv,outdoor",
		      "--set", "future_ads.budget_fen=3000000", "--set", "future_ads.media=tv:2000000;online:500000",
		      "--set", "services.requested=research:often;creative:constantly", NULL), 0);
	CHECK(h_contains(out, "第 1 版"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, USCC1) && h_contains(out, "食品饮料") && h_contains(out, "5,000,000.00") &&
	    h_contains(out, "改良产品") && h_contains(out, "品质 口感好 价格偏高") && h_contains(out, "全国、城市") &&
	    h_contains(out, "报纸、电视、户外") && h_contains(out, "电视 2,000,000.00；网络 500,000.00") &&
	    h_contains(out, "调查与统计作业 常常"));
	/* 16 of the dossier's 101 fields: 15%. */
	CHECK(h_contains(out, "完整度 15%"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, "complete 15%") && h_contains(out, "[future_ads] future ads") && h_contains(out, "budget (yuan)") &&
	    h_contains(out, "tv 2,000,000.00"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "show", "C000001", NULL), 0);
	CHECK(h_contains(out, "15%") && h_contains(out, USCC1) && h_contains(out, "食品饮料"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", NULL), 0);
	CHECK(h_contains(out, "完整度") && h_contains(out, "15%"));

	/* Every invalid field is named with its rule, and nothing is stored. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001",
		      "--set", "overview.uscc=91350100M000100Y44", "--set", "overview.founded=2023-02-30",
		      "--set", "overview.fiscal_year_end_month=13", "--set", "market.market_share_pct=120",
		      "--set", "overview.industry=化工", "--set", "past_ads.media=tv,tv", NULL), 1);
	CHECK(h_contains(err, "INVALID_ARGUMENT") && h_contains(err, "5 处无效") && h_contains(err, "overview.uscc") &&
	    h_contains(err, "校验位") && h_contains(err, "overview.founded") && h_contains(err, "overview.fiscal_year_end_month") &&
	    h_contains(err, "market.market_share_pct") && h_contains(err, "past_ads.media"));
	/* The CLI's own checks: unknown fields and choices, each reported, nothing sent. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001",
		      "--set", "overview.nonsense=1", "--set", "product.kind=maybe", "--set", "overview.headcount=many", NULL), 2);
	CHECK(h_contains(err, "overview.nonsense") && h_contains(err, "product.kind") && h_contains(err, "overview.headcount") &&
	    h_contains(err, "3 处错误"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, "第 1 版") && h_contains(out, "食品饮料") && !h_contains(out, "化工"));

	/* A USCC is one client's: another client cannot take it. */
	CHECK(h_login(&h, "li.ae", "password-123") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000002", "--set",
		      "overview.uscc=" USCC1, NULL), 1);
	CHECK(h_contains(err, "已是客户 C000001 的代码"));
	/* Creative reads the dossier but may not change it; another AE does not see it. */
	CHECK(h_login(&h, "zhou.cd", "password-123") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", "--set",
		      "overview.notes=x", NULL), 1);
	CHECK(h_contains(err, "PERMISSION_DENIED"));
	CHECK(h_login(&h, "li.ae", "password-123") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", NULL), 1);
	CHECK(h_contains(err, "NOT_FOUND"));

	/* Search: by code (USCC or id), industry, class and AE, sorted by name, paged. */
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--code", USCC1, NULL), 0);
	CHECK(h_contains(out, "C000001") && !h_contains(out, "C000002"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--code", "C000002", NULL), 0);
	CHECK(h_contains(out, "白云电器") && !h_contains(out, "C000001"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--industry", "食品饮料", NULL), 0);
	CHECK(h_contains(out, "C000001") && !h_contains(out, "C000002"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--ae", "li.ae", NULL), 0);
	CHECK(h_contains(out, "C000002") && !h_contains(out, "C000001"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "list", "--sort", "name", "--limit", "1", NULL), 0);
	/* 华 (U+534E) sorts before 白 (U+767D) */
	CHECK(h_contains(out, "华夏食品有限公司") && !h_contains(out, "白云") && h_contains(err, "--after 华夏食品有限公司"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--sort", "name", "--after", "华夏食品有限公司", NULL), 0);
	CHECK(h_contains(out, "白云电器") && !h_contains(out, "华夏"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "assign", "C000002", "--ae", "sun.ae", NULL), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--ae", "li.ae", NULL), 0);
	CHECK(!h_contains(out, "C000002"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--ae", "sun.ae", NULL), 0);
	CHECK(h_contains(out, "C000001") && h_contains(out, "C000002"));
	CHECK_INT(h_teardown(&h), 0);
}

/* --file (the --edit path without an editor): the whole JSON document, all or nothing, version-checked. */
TEST(test_profile_document_applies_all_or_nothing_and_refuses_a_stale_version)
{
	harness h;
	CHECK(agency(&h, "profdoc") == 0);
	char out[65536], err[4096], path[400], doc[65536];
	/* The document as --json prints it (pbjson), edited and applied. */
	CHECK_INT(h_cli(&h, NULL, doc, sizeof doc, "--json", "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(doc, "\"overview\": {") && h_contains(doc, "\"kind\": \"PRODUCT_KIND_UNSPECIFIED\""));
	const char *good = "{\"client_id\": \"C000001\", \"version\": 0,\n"
			   " \"overview\": {\"industry\": \"食品\", \"uscc\": \"" USCC2 "\", \"capital_fen\": 500000000},\n"
			   " \"product\": {\"kind\": \"PRODUCT_NEW\", \"goals\": [\"GOAL_EXPAND_MARKET\"],\n"
			   "   \"aspects\": [{\"aspect\": \"ASPECT_PRICE\", \"strength\": \"实惠\\u4f4e\", \"weakness\": \"\"}]},\n"
			   " \"future_ads\": {\"media\": [{\"medium\": \"MEDIUM_TV\", \"budget_fen\": 100000}], \"budget_fen\": 100000},\n"
			   " \"services\": {\"requested\": [{\"service\": \"SERVICE_CREATIVE\", \"frequency\": \"FREQ_OFTEN\"}]},\n"
			   " \"completeness_pct\": 99, \"updated_by\": \"someone\"}\n";
	snprintf(path, sizeof path, "%s/good.json", h.home);
	CHECK(write_file(path, good) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", "--file", path, NULL), 0);
	CHECK(h_contains(out, "第 1 版"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, "实惠低") && h_contains(out, "新产品") && h_contains(out, "5,000,000.00") && h_contains(out, "admin"));
	/* The same document again names version 0: someone changed it since, refused. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", "--file", path, NULL), 1);
	CHECK(h_contains(err, "FAILED_PRECONDITION") && h_contains(err, "第 0 版"));
	/* Bad values: the CLI names each (type errors), the registry each rule; nothing changes. */
	const char *bad = "{\"version\": 1, \"overview\": {\"headcount\": \"many\", \"founded\": \"1998-13-01\",\n"
			  " \"uscc\": \"12345\"}, \"market\": {\"purchase_frequency\": \"BUY_SOMETIMES\"}, \"nonsense\": 1}\n";
	CHECK(write_file(path, bad) == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", "--file", path, NULL), 2);
	CHECK(h_contains(err, "overview.headcount") && h_contains(err, "market.purchase_frequency") && h_contains(err, "nonsense") &&
	    h_contains(err, "3 处错误"));
	const char *bad2 = "{\"version\": 1, \"overview\": {\"founded\": \"1998-13-01\", \"uscc\": \"12345\", \"capital_fen\": -5}}\n";
	CHECK(write_file(path, bad2) == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", "--file", path, NULL), 1);
	CHECK(h_contains(err, "3 处无效") && h_contains(err, "overview.founded") && h_contains(err, "overview.uscc") &&
	    h_contains(err, "overview.capital_fen"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "profile", "C000001", NULL), 0);
	CHECK(h_contains(out, "第 1 版") && h_contains(out, USCC2));
	/* A broken document is refused with the line of the mistake. */
	CHECK(write_file(path, "{\"version\": 1,\n \"overview\": {\"industry\": \"x\"\n") == 0);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "profile", "C000001", "--file", path, NULL), 2);
	CHECK(h_contains(err, "第 3 行") && h_contains(err, "JSON"));
	/* --edit with an editor that changes the document (sed as $EDITOR). */
	setenv("EDITOR", "sed -i s/食品/饮料/", 1);
	setenv("VISUAL", "", 1);
	CHECK_INT(h_cli(&h, "", out, sizeof out, "client", "profile", "C000001", "--edit", NULL), 0);
	CHECK(h_contains(out, "第 2 版"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--industry", "饮料", NULL), 0);
	CHECK(h_contains(out, "C000001"));

	/* Events: ProfileUpdated with the whole profile; ClientUpdated "profile" with the mirror. */
	Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
	q.from_seq = 1;
	Aedesk__ReplayReply *r = NULL;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__replay_reply__descriptor, (ProtobufCMessage **)&r), 0);
	int profiles = 0, updates = 0;
	for (size_t i = 0; r && i < r->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
		if (!e)
			continue;
		if (strcmp(wire_short_name(e->type), "ProfileUpdated") == 0) {
			Aedesk__ProfileUpdated *m = (Aedesk__ProfileUpdated *)wire_unpack(&aedesk__profile_updated__descriptor,
			    e->payload.data, e->payload.len, NULL);
			profiles += m && m->profile && m->profile->overview && strcmp(m->profile->client_id, "C000001") == 0;
			wire_free(m ? &m->base : NULL);
		} else if (strcmp(wire_short_name(e->type), "ClientUpdated") == 0) {
			Aedesk__ClientUpdated *m = (Aedesk__ClientUpdated *)wire_unpack(&aedesk__client_updated__descriptor,
			    e->payload.data, e->payload.len, NULL);
			updates += m && strcmp(m->change, "profile") == 0 && m->client->profile_pct > 0;
			wire_free(m ? &m->base : NULL);
		}
		wire_free(&e->base);
	}
	wire_free(r ? &r->base : NULL);
	CHECK_INT(profiles, 2);
	CHECK_INT(updates, 2);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_profile_set_fills_sections_and_completeness_shows_R_PROFILE_1);
	RUN(test_profile_document_applies_all_or_nothing_and_refuses_a_stale_version);
	return check_summary();
}
