/*
 * Issue 7: a service that goes quiet raises an alert that reaches every admin's inbox
 * (through the scheduler, which also pushes it), and its recovery clears it there too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "testsvc.pb-c.h"

/* wait_inbox polls the admin's inbox until it contains text (or ms pass). */
static int wait_inbox(harness *h, const char *text, int ms)
{
	char out[65536];
	for (int waited = 0; waited < ms; waited += 200) {
		if (h_cli(h, NULL, out, sizeof out, "inbox", "--all", NULL) == 0 && h_contains(out, text))
			return 0;
		h_sleep_ms(200);
	}
	fprintf(stderr, "  inbox never showed \"%s\"; last:\n%s\n", text, out);
	return -1;
}

TEST(test_a_killed_service_alerts_the_admin_inbox_and_its_recovery_clears_it)
{
	harness h;
	CHECK(h_setup(&h, "alerts") == 0);
	h_conf_add(&h, "services", "registry,jobs,status,scheduler");
	h_conf_add(&h, "status.http", "off");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_start(&h, "status") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192];
	/* A second admin gets it too; an AE does not. */
	CHECK_INT(h_cli(&h, "second-admin-pw\n", out, sizeof out, "staff", "add", "ops2", "--name", "运维二", "--role", "admin", "--password-stdin", NULL), 0);
	CHECK_INT(h_cli(&h, "ae-password-1\n", out, sizeof out, "staff", "add", "ae1", "--name", "客户主任", "--role", "ae", "--password-stdin", NULL), 0);
	h_sleep_ms(1500); /* let the scheduler learn the staff */
	h_kill9(&h, "jobs");
	CHECK(wait_inbox(&h, "aedesk-jobs 出现告警", 15000) == 0);
	CHECK(h_login(&h, "ops2", "second-admin-pw") == 0);
	CHECK(wait_inbox(&h, "aedesk-jobs 出现告警", 5000) == 0);
	CHECK(h_login(&h, "ae1", "ae-password-1") == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "--all", NULL), 0);
	CHECK(!h_contains(out, "告警"));
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK(wait_inbox(&h, "aedesk-jobs 已恢复", 40000) == 0); /* generous: CI machines are loaded */
	/* Once each: the raise and the clear are one notification apiece. */
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "inbox", "--all", NULL), 0);
	int raised = 0;
	for (const char *p = out; (p = strstr(p, "aedesk-jobs 出现告警")); p++)
		raised++;
	CHECK_INT(raised, 1);
	CHECK_INT(h_teardown(&h), 0);
}

static void touch(harness *h, const char *key)
{
	Aedesk__TouchRequest q = AEDESK__TOUCH_REQUEST__INIT;
	q.key = (char *)key;
	CHECK_INT(h_call(h, "testsvc", &q.base, &aedesk__touch_reply__descriptor, NULL), 0);
}

/* A service whose periodic work stops (as a scheduler that stopped firing would) while it
 * still answers and beats: the status service raises "stalled", and clears it. */
TEST(test_a_service_whose_periodic_work_stops_raises_stalled_and_clears)
{
	harness h;
	CHECK(h_setup(&h, "stall") == 0);
	h_conf_add(&h, "services", "registry,testsvc,status,scheduler");
	h_conf_add(&h, "status.http", "off");
	h_conf_add(&h, "status.stall_ms", "1000");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "testsvc") == 0);
	CHECK(h_start(&h, "status") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[8192];
	h_sleep_ms(1500);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 0);
	touch(&h, "stall"); /* its tick now fails every time */
	CHECK(wait_inbox(&h, "aedesk-testsvc 出现告警（stalled）", 15000) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 1);
	CHECK(h_contains(out, "stalled"));
	touch(&h, "stall"); /* working again */
	CHECK(wait_inbox(&h, "aedesk-testsvc 已恢复（stalled）", 15000) == 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_a_killed_service_alerts_the_admin_inbox_and_its_recovery_clears_it);
	RUN(test_a_service_whose_periodic_work_stops_raises_stalled_and_clears);
	return check_summary();
}
