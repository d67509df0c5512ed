/*
 * R-PRIVACY-1 end to end, with a canary: a contact whose every text field carries
 * CANARY-7f3a (and a phone and birthday no other test uses) is listed, shown, exported,
 * refused, mistyped and erased by the people in and out of scope; then no log file of
 * any service, no refusal and no error message carries any of it. Export and erasure
 * are recorded (an event each); after erasure the contact's personal data is gone from
 * every reply, and the scheduler drops its birthday reminders.
 *
 * tests/run also scans the whole suite's output for the canary afterwards (see there).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "wire.h"

#define CANARY "CANARY-7f3a"
#define PHONE "13987650123"
#define PW "pass-word-123"

static char out[65536], err[8192];

static void as(harness *h, const char *who) { CHECK(h_login(h, who, PW) == 0); }

/* leaks: the text carries the canary, the phone (any spacing) or the birthday. */
static int leaks(const char *s)
{
	return h_contains(s, CANARY) || h_contains(s, PHONE) || h_contains(s, "139 8765 0123") ||
	    h_contains(s, "139-8765-0123") || h_contains(s, "1971-");
}

/* logs_clean: no file in the harness's home whose name ends in .log leaks; n counts them. */
static int logs_clean(harness *h, int *n)
{
	DIR *d = opendir(h->home);
	int clean = 1;
	*n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".log") != 0)
			continue;
		char path[600];
		snprintf(path, sizeof path, "%s/%s", h->home, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		(*n)++;
		char line[8192];
		while (fgets(line, sizeof line, f))
			if (leaks(line)) {
				fprintf(stderr, "  %s leaks personal data: %s", e->d_name, line);
				clean = 0;
			}
		fclose(f);
	}
	if (d)
		closedir(d);
	return clean;
}

/* refused: the command fails with status and says nothing personal. */
#define REFUSED(h, status, ...)                                                                    \
	do {                                                                                       \
		CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 1); \
		CHECK(h_contains(err, status));                                                    \
		CHECK(!leaks(err) && !leaks(out));                                                 \
		if (!h_contains(err, status) || leaks(err))                                        \
			fprintf(stderr, "    stderr: %s\n", err);                                     \
	} while (0)

static int reminders_about(harness *h, const char *contact_id)
{
	Aedesk__SchedulerRemindersRequest q = AEDESK__SCHEDULER_REMINDERS_REQUEST__INIT;
	Aedesk__SchedulerRemindersReply *r = NULL;
	int n = 0;
	if (h_call(h, "scheduler", &q.base, &aedesk__scheduler_reminders_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		for (size_t i = 0; i < r->n_reminders; i++)
			n += strcmp(r->reminders[i]->object_id, contact_id) == 0;
	wire_free(r ? &r->base : NULL);
	return n;
}

/* state_seq: the registry's outbox seq less the audit trail's own events (refusals,
 * logins), which record an attempt rather than change anything. */
static uint64_t state_seq(harness *h)
{
	return h_last_seq(h, "registry", NULL) - (uint64_t)h_audit_events(h, "registry");
}

TEST(test_contact_personal_data_never_reaches_a_log_or_an_error_R_PRIVACY_1)
{
	harness h;
	CHECK(h_setup(&h, "privacy") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_start(&h, "scorer") == 0);
	CHECK(h_login_admin(&h) == 0);
	static const char *const staff[][4] = {{"qian.am", "钱经理", "am", ""}, {"sun.ae", "孙晓明", "ae", "qian.am"},
	    {"wu.cd", "吴创意", "cd", ""}, {"wang.fin", "王财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(&h, PW "\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1], "--role",
		    staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);

	/* A birthday in two days, so the scheduler plans reminders about this contact. */
	char soon[16], bday[16];
	h_local_date(2, soon, sizeof soon);
	snprintf(bday, sizeof bday, "1971-%s", soon + 5);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品");
	H_OK(&h, "contact", "add", "C000001", "--name", "王" CANARY, "--title", "总监" CANARY, "--phone", PHONE,
	    "--birthday", bday, "--preferences", "喜欢" CANARY, "--notes", CANARY " 的备注");
	CHECK(h_contains(out, "K000001"));
	char now[32];
	h_local_time(-60, now, sizeof now);
	H_OK(&h, "visit", "log", "C000001", "--kind", "call", "--at", now, "--summary", "电话问候", "--contact", "K000001");

	/* In scope: the AE sees everything, as a table, as JSON, and exports it. */
	H_OK(&h, "contact", "show", "K000001");
	CHECK(h_contains(out, CANARY) && h_contains(out, PHONE));
	H_OK(&h, "--json", "contact", "list", "C000001");
	CHECK(h_contains(out, CANARY));
	uint64_t seq = state_seq(&h);
	H_OK(&h, "contact", "export", "K000001");
	CHECK(h_contains(out, "喜欢" CANARY) && h_contains(out, PHONE) && h_contains(out, "\"exported_by\": \"sun.ae\""));
	CHECK(h_contains(out, "V000001")); /* the interactions that name the contact */
	CHECK_INT(state_seq(&h), seq + 1); /* recorded: ContactExported */
	long refused = h_audit_events(&h, "registry");

	/* Mistakes never echo what was typed into a personal field. */
	REFUSED(&h, "INVALID_ARGUMENT", "contact", "add", "C000001", "--name", "李四", "--phone", "139" CANARY);
	REFUSED(&h, "INVALID_ARGUMENT", "contact", "add", "C000001", "--name", "李四", "--birthday", CANARY);
	REFUSED(&h, "INVALID_ARGUMENT", "contact", "add", "C000001", "--name", "李四", "--birthday", "1971-02-30");
	REFUSED(&h, "INVALID_ARGUMENT", "contact", "add", "C000001", "--name", "李四", "--birthday", "1971-13-45", "--lunar");

	/* Out of scope: creative and finance see the name and title only; the personal read,
	 * the export and the erasure are refused, and the refusal names nothing personal. */
	const char *others[] = {"wu.cd", "wang.fin"};
	for (int i = 0; i < 2; i++) {
		as(&h, others[i]);
		H_OK(&h, "contact", "list", "C000001");
		CHECK(!h_contains(out, PHONE) && !h_contains(out, "喜欢") && !h_contains(out, "1971"));
		REFUSED(&h, "PERMISSION_DENIED", "contact", "show", "K000001");
		REFUSED(&h, "PERMISSION_DENIED", "contact", "export", "K000001");
		REFUSED(&h, "PERMISSION_DENIED", "contact", "erase", "K000001");
	}
	/* Admin runs the system but serves no client. */
	CHECK(h_login_admin(&h) == 0);
	REFUSED(&h, "PERMISSION_DENIED", "contact", "export", "K000001");
	CHECK_INT(state_seq(&h), seq + 1); /* the refusals changed nothing */
	CHECK(h_audit_events(&h, "registry") >= refused + 7); /* and are in the audit trail */

	/* The scheduler planned the birthday; erasure (recorded) takes it and the data away. */
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 20000) == 0);
	int planned = reminders_about(&h, "K000001");
	as(&h, "qian.am"); /* the AE's manager serves the client too */
	H_OK(&h, "contact", "erase", "K000001");
	CHECK_INT(state_seq(&h), seq + 2);
	H_OK(&h, "contact", "show", "K000001");
	CHECK(!leaks(out) && !h_contains(out, "王"));
	H_OK(&h, "contact", "export", "K000001");
	CHECK(!leaks(out));
	H_OK(&h, "--json", "visit", "list", "C000001");
	CHECK(!leaks(out));
	CHECK(h_wait_consumer(&h, "scheduler", "registry", 20000) == 0);
	CHECK(h_login_admin(&h) == 0);
	if (!planned)
		fprintf(stderr, "  note: no birthday reminder was planned before the erasure\n");
	CHECK_INT(reminders_about(&h, "K000001"), 0);

	/* No service can dump core: the soft and hard limits are both 0. */
	for (int i = 0; i < H_MAX_SVC; i++) {
		if (!h.svc[i].pid)
			continue;
		char path[64], limits[4096];
		snprintf(path, sizeof path, "/proc/%d/limits", (int)h.svc[i].pid);
		CHECK(h_read_file(path, limits, sizeof limits) == 0);
		const char *core = strstr(limits, "Max core file size");
		int soft = -1, hard = -1;
		CHECK(core && sscanf(core + strlen("Max core file size"), "%d %d", &soft, &hard) == 2);
		CHECK_INT(soft, 0);
		CHECK_INT(hard, 0);
	}

	/* Last: every service's log, after all of that. */
	int nlogs = 0;
	CHECK(logs_clean(&h, &nlogs));
	CHECK_INT(nlogs, 3);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_contact_personal_data_never_reaches_a_log_or_an_error_R_PRIVACY_1);
	return check_summary();
}
