/*
 * Audit (issue 8): `aedesk audit` lists who did what and when across the services, from
 * their events (DESIGN.md: the events are the audit trail), with the refused attempts
 * and the logins, succeeded and failed. Only AD and admin read it. It names actors,
 * times, services, actions and ids, never a personal field value (R-PRIVACY-1): not in
 * its answers and not in its store. A flood of refused requests is recorded only at a
 * bounded rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "security.pb-c.h"
#include "wire.h"

static char out[65536], err[4096], first[sizeof out];

/* file_has: the bytes of needle occur in the file (the audit store, read raw). */
static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = strlen(needle), cap = 64 << 20, len;
	char *buf = malloc(cap);
	len = buf ? fread(buf, 1, cap, f) : 0;
	fclose(f);
	int found = 0;
	for (size_t i = 0; buf && i + n <= len && !found; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

static int wait_audit(harness *h)
{
	const char *src[] = {"registry", "jobs", "audit"};
	for (int i = 0; i < 3; i++)
		if (h_wait_consumer(h, "audit", src[i], 20000) != 0)
			return -1;
	return 0;
}

TEST(test_audit_lists_changes_refusals_and_logins_for_ad_and_admin_only)
{
	harness h;
	CHECK(h_setup(&h, "audit") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "audit") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "pass-ad-123\n", out, sizeof out, "staff", "add", "zhao.ad", "--name", "赵总监", "--role",
		      "ad", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-am-123\n", out, sizeof out, "staff", "add", "qian.am", "--name", "钱经理", "--role",
		      "am", "--manager", "zhao.ad", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-ae-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role",
		      "ae", "--manager", "qian.am", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "pass-ae-456\n", out, sizeof out, "staff", "add", "li.ae", "--name", "李娜", "--role", "ae",
		      "--manager", "qian.am", "--password-stdin", NULL), 0);
	H_OK(&h, "client", "add", "--name", "华夏食品有限公司", "--ae", "sun.ae");

	/* The trail's material: a failed login of an account, one of an account that does
	 * not exist (its name is a guess and must not be kept), a login, a change with
	 * personal data, a read refused under R-PRIVACY-1, requests without a token. */
	CHECK(h_login(&h, "sun.ae", "wrong-password-1") != 0);
	CHECK(h_login(&h, "nosuch.user", "wrong-password-2") != 0);
	CHECK(h_login(&h, "sun.ae", "pass-ae-123") == 0);
	H_OK(&h, "contact", "add", "C000001", "--name", "王建国", "--phone", "138-1234-5678", "--preferences",
	    "喜欢普洱茶");
	CHECK(h_login(&h, "li.ae", "pass-ae-456") == 0);
	H_REFUSED(&h, "NOT_FOUND", "K000001", "contact", "show", "K000001"); /* not hers: not even its existence */
	H_REFUSED(&h, "PERMISSION_DENIED", "无权轮换令牌签名密钥", "admin", "rotate-key");
	h.toklen = 0;
	Aedesk__ClientListRequest cl = AEDESK__CLIENT_LIST_REQUEST__INIT;
	CHECK_INT(h_call(&h, "registry", &cl.base, &aedesk__client_list_reply__descriptor, NULL),
	    AEDESK__STATUS__UNAUTHENTICATED);
	Aedesk__JobListRequest jl = AEDESK__JOB_LIST_REQUEST__INIT;
	CHECK_INT(h_call(&h, "jobs", &jl.base, &aedesk__job_list_reply__descriptor, NULL),
	    AEDESK__STATUS__UNAUTHENTICATED);

	/* An AE may not read the trail (and that refusal is on it too); an AM neither. */
	CHECK(h_login(&h, "sun.ae", "pass-ae-123") == 0);
	H_REFUSED(&h, "PERMISSION_DENIED", "审计", "audit");
	CHECK(h_login(&h, "qian.am", "pass-am-123") == 0);
	H_REFUSED(&h, "PERMISSION_DENIED", "审计", "audit");
	CHECK(wait_audit(&h) == 0);

	/* The AD reads it: who, when (agency time), which service, what, which ids. */
	CHECK(h_login(&h, "zhao.ad", "pass-ad-123") == 0);
	H_OK(&h, "audit", "--limit", "1000");
	CHECK(h_contains(out, "时间") && h_contains(out, "操作者"));
	CHECK(h_contains(out, "新增客户") && h_contains(out, "C000001"));
	CHECK(h_contains(out, "新增联系人") && h_contains(out, "K000001"));
	CHECK(h_contains(out, "登录失败") && h_contains(out, "sun.ae"));
	CHECK(h_contains(out, "被拒绝") && h_contains(out, "RotateKeyRequest"));
	CHECK(h_contains(out, "AuditListRequest"));
	CHECK(h_contains(out, "jobs") && h_contains(out, "JobListRequest"));
	CHECK(h_contains(out, "登录"));
	char today[32];
	h_local_date(0, today, sizeof today);
	CHECK(h_contains(out, today));
	/* Never a personal value, nor a guessed account name, nor a password. */
	CHECK(!h_contains(out, "王建国") && !h_contains(out, "138-1234-5678") && !h_contains(out, "普洱茶"));
	CHECK(!h_contains(out, "nosuch.user") && !h_contains(out, "wrong-password"));
	char store[512];
	snprintf(store, sizeof store, "%s/data/audit/data.mdb", h.home);
	CHECK_INT(file_has(store, "138-1234-5678"), 0);
	CHECK_INT(file_has(store, "王建国"), 0);
	CHECK_INT(file_has(store, "nosuch.user"), 0);
	CHECK_INT(file_has(store, "C000001"), 1); /* the ids are there */

	/* By client, by staff member (what they did and what was refused to them). */
	H_OK(&h, "audit", "--client", "C000001");
	CHECK(h_contains(out, "新增客户") && h_contains(out, "新增联系人"));
	CHECK(!h_contains(out, "登录"));
	H_OK(&h, "audit", "--staff", "li.ae");
	CHECK(h_contains(out, "RotateKeyRequest") && h_contains(out, "li.ae"));
	CHECK(!h_contains(out, "新增客户"));
	H_OK(&h, "audit", "--staff", "sun.ae");
	CHECK(h_contains(out, "登录失败") && h_contains(out, "新增联系人"));
	H_OK(&h, "audit", "--client", "C000001", "--staff", "admin");
	CHECK(h_contains(out, "新增客户") && !h_contains(out, "新增联系人"));
	H_OK(&h, "--lang", "en", "audit", "--staff", "sun.ae");
	CHECK(h_contains(out, "login failed") && h_contains(out, "contact added"));

	/* Since: nothing from tomorrow on. Paging: two at a time, no overlap. */
	char tomorrow[32];
	h_local_date(1, tomorrow, sizeof tomorrow);
	H_OK(&h, "audit", "--since", tomorrow);
	CHECK(h_contains(out, "没有"));
	H_OK(&h, "audit", "--json", "--limit", "2");
	CHECK(h_contains(out, "\"next_page\""));
	H_OK(&h, "audit", "--limit", "2");
	char *p = strstr(out, "--page ");
	char token[300] = "";
	if (p)
		sscanf(p + 7, "%299s", token);
	snprintf(first, sizeof first, "%s", out);
	CHECK(token[0]);
	H_OK(&h, "audit", "--limit", "2", "--page", token);
	CHECK(strcmp(first, out) != 0);
	H_REFUSED(&h, "INVALID_ARGUMENT", "--page", "audit", "--page", "00");
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "audit", "--since", "昨天", NULL), 2);
	CHECK_INT(h_teardown(&h), 0);
}

/* A flood of refused requests is recorded at a bounded rate; the next record counts
 * what was left out. */
TEST(test_a_flood_of_refusals_is_recorded_at_a_bounded_rate)
{
	harness h;
	CHECK(h_setup(&h, "auditflood") == 0);
	CHECK(h_start(&h, "registry") == 0);
	long before = h_audit_events(&h, "registry");
	aeclient *c = h_client(&h, "registry", 10000);
	int64_t t0 = wire_now_ms();
	for (int i = 0; c && i < 1000; i++) {
		Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
		Aedesk__Status st;
		char msg[256];
		ProtobufCMessage *r = NULL;
		aeclient_call(c, &q.base, &aedesk__client_list_reply__descriptor, &st, msg, sizeof msg, &r);
		wire_free(r);
	}
	double secs = (double)(wire_now_ms() - t0) / 1000.0;
	aeclient_close(c);
	long recorded = h_audit_events(&h, "registry") - before;
	fprintf(stderr, "  1000 refused requests in %.1f s: %ld recorded\n", secs, recorded);
	CHECK(recorded >= 200);
	CHECK(recorded <= 200 + (long)(20 * (secs + 1)) + 2);
	CHECK(recorded < 1000);
	/* A moment later the next refusal is recorded; the records count those left out. */
	h_sleep_ms(1500);
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	CHECK_INT(h_call(&h, "registry", &q.base, &aedesk__client_list_reply__descriptor, NULL),
	    AEDESK__STATUS__UNAUTHENTICATED);
	aeclient *sc = h_service_client(&h, "registry", 10000);
	Aedesk__ReplayRequest rq = AEDESK__REPLAY_REQUEST__INIT;
	rq.from_seq = 1;
	Aedesk__Status st;
	char msg[256];
	Aedesk__ReplayReply *rr = NULL;
	CHECK(sc && aeclient_call(sc, &rq.base, &aedesk__replay_reply__descriptor, &st, msg, sizeof msg,
			(ProtobufCMessage **)&rr) == 0);
	long refusals = 0, left_out = 0, right = 0;
	for (size_t i = 0; rr && i < rr->n_events; i++) {
		Aedesk__Envelope *e = wire_envelope_unpack(rr->events[i].data, rr->events[i].len, NULL);
		Aedesk__AccessRefused *ar = e && strcmp(e->type, aedesk__access_refused__descriptor.name) == 0
		    ? (Aedesk__AccessRefused *)wire_unpack(&aedesk__access_refused__descriptor, e->payload.data,
			  e->payload.len, NULL)
		    : NULL;
		if (ar) {
			refusals++;
			left_out += ar->suppressed;
			right += strcmp(ar->reason, "no token") == 0 && strcmp(ar->action, "aedesk.ClientListRequest") == 0 &&
			    strcmp(e->actor, "-") == 0;
		}
		wire_free(ar ? &ar->base : NULL);
		wire_free(e ? &e->base : NULL);
	}
	CHECK_INT((int)(refusals + left_out), 1001 + (int)before);
	CHECK_INT((int)right, (int)refusals);
	wire_free(rr ? &rr->base : NULL);
	aeclient_close(sc);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	setenv("TZ", "Asia/Shanghai", 1); /* the agency's zone, in which the CLI shows times */
	tzset();
	RUN(test_audit_lists_changes_refusals_and_logins_for_ad_and_admin_only);
	RUN(test_a_flood_of_refusals_is_recorded_at_a_bounded_rate);
	return check_summary();
}
