/*
 * Start-up: a bad setting stops a service at once with a message naming the key; the
 * sockets are group-accessible (0660) and --help/--version answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

/* run_registry runs aedesk-registry with args until it exits; returns its status and stderr. */
static int run_registry(const char *args, char *out, size_t len)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s/aedesk-registry %s 2>&1", AEDESK_BIN_DIR, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = fread(out, 1, len - 1, p);
	out[n] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(test_a_bad_setting_stops_the_service_naming_the_key)
{
	harness h;
	CHECK(h_setup(&h, "conf") == 0);
	h_conf_add(&h, "heartbeat_ms", "often");
	char args[512], out[4096];
	snprintf(args, sizeof args, "--conf %s", h.conf);
	CHECK_INT(run_registry(args, out, sizeof out), 1);
	CHECK(h_contains(out, "heartbeat_ms"));
	CHECK(h_contains(out, "often"));
	CHECK_INT(h_teardown(&h), 0);
}

/* "key = value   # why" (as deploy/aedesk.conf.example writes its commented-out keys):
 * the comment is not part of the value, so uncommenting such a line works. */
TEST(test_a_comment_after_a_value_is_not_part_of_it)
{
	harness h;
	CHECK(h_setup(&h, "conf") == 0);
	h_conf_add(&h, "heartbeat_ms", "700   # how often services say they are alive");
	CHECK(h_start(&h, "registry") == 0); /* before: "not a number", the service stopped */
	CHECK_INT(h_teardown(&h), 0);
	char out[8192];

	/* a bad value with a comment is still named, without the comment */
	CHECK(h_setup(&h, "conf") == 0);
	h_conf_add(&h, "heartbeat_ms", "often\t# a typo");
	char args[512];
	snprintf(args, sizeof args, "--conf %s", h.conf);
	CHECK_INT(run_registry(args, out, sizeof out), 1);
	CHECK(h_contains(out, "heartbeat_ms") && h_contains(out, "often") && !h_contains(out, "typo"));
	CHECK_INT(h_teardown(&h), 0);
}

TEST(test_a_missing_config_file_is_named)
{
	char out[4096];
	CHECK_INT(run_registry("--conf /nonexistent/aedesk.conf", out, sizeof out), 1);
	CHECK(h_contains(out, "/nonexistent/aedesk.conf"));
}

TEST(test_help_and_version_answer)
{
	char out[4096];
	CHECK_INT(run_registry("--help", out, sizeof out), 0);
	CHECK(h_contains(out, "--conf"));
	CHECK_INT(run_registry("--version", out, sizeof out), 0);
	CHECK(h_contains(out, "aedesk-registry"));
	CHECK_INT(run_registry("--bogus", out, sizeof out), 2);

	/* The command's help and the permission table answer before any installation
	 * exists (no AEDESK_CONF, no ./var, run from an empty directory). */
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	    "cd /tmp && env -u AEDESK_CONF -u AEDESK_HOME %s/aedesk client --help 2>&1 && "
	    "env -u AEDESK_CONF -u AEDESK_HOME %s/aedesk --lang en admin permissions --markdown 2>&1",
	    AEDESK_BIN_DIR, AEDESK_BIN_DIR);
	static char all[1 << 16];
	FILE *p = popen(cmd, "r");
	CHECK(p != NULL);
	size_t n = p ? fread(all, 1, sizeof all - 1, p) : 0;
	all[n] = 0;
	CHECK_INT(p ? WEXITSTATUS(pclose(p)) : -1, 0);
	CHECK(h_contains(all, "client add") && h_contains(all, "`client.read`"));
}

TEST(test_ipc_sockets_are_group_accessible_only)
{
	harness h;
	CHECK(h_setup(&h, "perm") == 0);
	CHECK(h_start(&h, "registry") == 0);
	char p[400];
	struct stat st;
	snprintf(p, sizeof p, "%s/run/registry.rep", h.home);
	CHECK(stat(p, &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0660);
	snprintf(p, sizeof p, "%s/data/registry", h.home);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK_INT(h_teardown(&h), 0);
}

/*
 * A local user who is not the service's (here: nobody, on a socket opened to all by
 * chmod) is cut off by the peer-uid check before any request is read.
 */
TEST(test_ipc_peer_with_a_uid_not_allowed_is_refused)
{
	if (getuid() != 0) {
		fprintf(stderr, "  (needs root to switch to another uid: CI runs as root)\n");
		CHECK(getuid() == 0);
		return;
	}
	harness h;
	CHECK(h_setup(&h, "uid") == 0);
	CHECK(h_start(&h, "registry") == 0);
	char p[400];
	snprintf(p, sizeof p, "%s/run/registry.rep", h.home);
	CHECK(chmod(p, 0666) == 0 && chmod(h.home, 0755) == 0);
	snprintf(p, sizeof p, "%s/run", h.home);
	CHECK(chmod(p, 0755) == 0);
	/* The child execs the real CLI as nobody: `aedesk status` exits 1 when unanswered. */
	char bin[512];
	snprintf(bin, sizeof bin, "%s/aedesk", AEDESK_BIN_DIR);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl(bin, bin, "--conf", h.conf, "status", (char *)NULL);
		_exit(4);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1);
	/* root (allowed) is still answered. */
	CHECK(h_wait_ready(&h, "registry", 10000) == 0);
	snprintf(p, sizeof p, "%s/registry.log", h.home);
	char log[1 << 15];
	CHECK(h_read_file(p, log, sizeof log) == 0 && h_contains(log, "refused a connection from uid 65534"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_a_bad_setting_stops_the_service_naming_the_key);
	RUN(test_a_comment_after_a_value_is_not_part_of_it);
	RUN(test_a_missing_config_file_is_named);
	RUN(test_help_and_version_answer);
	RUN(test_ipc_sockets_are_group_accessible_only);
	RUN(test_ipc_peer_with_a_uid_not_allowed_is_refused);
	return check_summary();
}
