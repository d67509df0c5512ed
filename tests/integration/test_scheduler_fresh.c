/*
 * A new install makes no noise from before it existed (R-REMIND-1's other side): a
 * calendar reminder already past when first planned is not made, while the ones still
 * ahead fire once. R-TEAM-1's Monday notice at 08:30 is past when the scheduler first
 * starts at 12:00; Wednesday's is not.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "sched_steps.h"

static char out[65536], err[8192];

TEST(test_r_team_1_a_new_install_does_not_fire_what_was_already_past)
{
	harness h;
	CHECK(h_setup(&h, "fresh") == 0);
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-03-23 12:00"); /* a Monday */
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	H_OK(&h, "staff", "add", "am1", "--name", "经理", "--role", "am", NULL);
	H_OK(&h, "staff", "add", "ae1", "--name", "主任", "--role", "ae", "--manager", "am1", NULL);
	CHECK(h_start(&h, "scheduler") == 0);
	st_adm = h;
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 10000) == 0);
	CHECK(st_settle(&h) == 0);
	char text[1024];
	CHECK_INT(st_got(&h, "ae1", "team/ae1/2026-03-23", text, sizeof text), 0);
	/* Wednesday 09:00 (UTC+8): its 08:30 notice fires, once. */
	CHECK(st_at(&h, 1774400400000LL) == 0); /* 2026-03-25 01:00 UTC */
	CHECK_INT(st_got(&h, "ae1", "team/ae1/2026-03-25", text, sizeof text), 1);
	CHECK(h_contains(text, "团队例会"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_r_team_1_a_new_install_does_not_fire_what_was_already_past);
	return check_summary();
}
