/*
 * Hostile peers at scale (issue 9): 10,000 ipc connections held open against the
 * registry (most never send a byte, some stop half way through the SP handshake, some
 * finish it and then say nothing), plus lying length headers and garbage handshakes,
 * while an honest client keeps adding clients: every honest request is answered, the
 * service's memory (VmRSS) stays within the budget below, and it stops cleanly.
 *
 * The file descriptor limit is raised here before the service is started (it inherits
 * it, as it would LimitNOFILE=65536 from deploy/systemd).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define IDLE 10000
/* The budget: growth of the service's resident memory with 10,000 hostile connections. */
#define RSS_BUDGET_KB (SANITIZED ? 512 * 1024 : 64 * 1024)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static int open_fds(pid_t pid)
{
	char cmd[128], out[64] = "";
	snprintf(cmd, sizeof cmd, "ls /proc/%d/fd | wc -l", (int)pid);
	FILE *p = popen(cmd, "r");
	if (p && fgets(out, sizeof out, p) == NULL)
		out[0] = 0;
	if (p)
		pclose(p);
	return atoi(out);
}

static pid_t pid_of(harness *h, const char *name)
{
	for (int i = 0; i < H_MAX_SVC; i++)
		if (strcmp(h->svc[i].name, name) == 0)
			return h->svc[i].pid;
	return 0;
}

/* dial_raw connects a Unix socket to the registry (retrying while the backlog is full). */
static int dial_raw(harness *h)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char path[400];
	snprintf(path, sizeof path, "%s/run/registry.rep", h->home);
	if (strlen(path) >= sizeof a.sun_path)
		return -1;
	memcpy(a.sun_path, path, strlen(path) + 1);
	for (int tries = 0; tries < 200; tries++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			return fd;
		int e = errno;
		close(fd);
		if (e != EAGAIN)
			return -1;
		h_sleep_ms(5);
	}
	return -1;
}

/* honest_adds adds n clients and returns how many were acknowledged; *worst is the slowest (s). */
static int honest_adds(harness *h, int from, int n, double *worst)
{
	aeclient *c = h_client(h, "registry", 10000);
	int ok = 0;
	*worst = 0;
	for (int i = from; c && i < from + n; i++) {
		char name[64];
		snprintf(name, sizeof name, "正常客户 %05d", i);
		Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
		q.name = name;
		Aedesk__Status st;
		char msg[256];
		ProtobufCMessage *r = NULL;
		double t = now_s();
		if (aeclient_call(c, &q.base, &aedesk__client_reply__descriptor, &st, msg, sizeof msg, &r) == 0 &&
		    st == AEDESK__STATUS__OK)
			ok++;
		if (now_s() - t > *worst)
			*worst = now_s() - t;
		wire_free(r);
	}
	aeclient_close(c);
	return ok;
}

/* lying_header: a good REQ handshake, then a header claiming `claimed` bytes; 0 if the service hangs up. */
static int lying_header(harness *h, uint64_t claimed, int good_handshake)
{
	int fd = dial_raw(h);
	if (fd < 0)
		return -1;
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct timeval tv = {3, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	uint8_t hs[8] = {0, 'S', 'P', 0, 0, 0x30, 0, 0}, hdr[9] = {1};
	if (!good_handshake)
		memcpy(hs, "\x16\x03\x01\x02\x00\x01\x00\x01", 8); /* a TLS ClientHello */
	for (int i = 0; i < 8; i++)
		hdr[1 + i] = (uint8_t)(claimed >> (56 - 8 * i));
	ssize_t w = write(fd, hs, sizeof hs);
	if (good_handshake)
		w += write(fd, hdr, sizeof hdr);
	(void)w;
	uint8_t buf[64];
	ssize_t r;
	size_t got = 0;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		got += (size_t)r;
	close(fd);
	return (r == 0 && got <= 8) ? 0 : -1;
}

TEST(test_10000_hostile_connections_the_service_keeps_serving_within_its_memory_budget)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rlim_t want = IDLE + 2048;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = want;
		if (rl.rlim_max < want)
			rl.rlim_max = want; /* only root may raise the hard limit */
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
			getrlimit(RLIMIT_NOFILE, &rl);
			fprintf(stderr, "  cannot raise RLIMIT_NOFILE to %lu (hard limit %lu): %s\n", (unsigned long)want,
			    (unsigned long)rl.rlim_max, strerror(errno));
		}
	}
	getrlimit(RLIMIT_NOFILE, &rl);
	int idle = rl.rlim_cur >= want ? IDLE : (int)rl.rlim_cur - 2048;
	CHECK(idle == IDLE);
	harness h;
	CHECK(h_setup(&h, "hostile10k") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	pid_t pid = pid_of(&h, "registry");
	double worst;
	CHECK_INT(honest_adds(&h, 0, 50, &worst), 50);
	long rss0 = rss_kb(pid);

	int *fds = malloc(sizeof *fds * (size_t)idle);
	int opened = 0, silent = 0, half = 0, quiet = 0;
	double t0 = now_s();
	for (int i = 0; fds && i < idle; i++) {
		int fd = dial_raw(&h);
		if (fd < 0)
			break;
		fds[opened++] = fd;
		ssize_t w = 0;
		if (i % 10 == 8) { /* half a handshake */
			w = write(fd, "\0SP\0", 4);
			half++;
		} else if (i % 10 == 9) { /* a whole REQ handshake, then silence */
			w = write(fd, "\0SP\0\0\x30\0\0", 8);
			quiet++;
		} else
			silent++;
		(void)w;
	}
	fprintf(stderr, "  opened %d connections in %.1f s (%d silent, %d half handshake, %d idle after the handshake)\n",
	    opened, now_s() - t0, silent, half, quiet);
	CHECK_INT(opened, idle);
	h_sleep_ms(500);
	int fds_in_service = open_fds(pid);
	long rss1 = rss_kb(pid);

	/* Honest work still goes through, and the liars are still turned away. */
	t0 = now_s();
	CHECK_INT(honest_adds(&h, 50, 200, &worst), 200);
	fprintf(stderr, "  200 honest client adds meanwhile in %.2f s (slowest %.0f ms)\n", now_s() - t0, worst * 1000);
	CHECK(worst < 2.0);
	CHECK_INT(lying_header(&h, 16ull << 30, 1), 0);
	CHECK_INT(lying_header(&h, 2u << 20, 1), 0);
	CHECK_INT(lying_header(&h, 0, 0), 0);
	long rss2 = rss_kb(pid);

	/* Connections that never finish the handshake: does the service drop them itself?
	 * (NNG 1.5.2's ipc transport was seen to keep them for good: docs/RELIABILITY.md.)
	 * Only reported; AEDESK_RELIABILITY_NEGO_WAIT_S=15 waits longer. */
	int dropped = 0;
	double wait_s = getenv("AEDESK_RELIABILITY_NEGO_WAIT_S") ? atof(getenv("AEDESK_RELIABILITY_NEGO_WAIT_S")) : 2;
	t0 = now_s();
	while (now_s() - t0 < wait_s) {
		dropped = 0;
		for (int i = 0; i < opened; i += 10) { /* sample the silent ones */
			char b;
			ssize_t r = recv(fds[i], &b, 1, MSG_DONTWAIT | MSG_PEEK);
			dropped += r == 0;
		}
		if (dropped == (opened + 9) / 10)
			break;
		h_sleep_ms(500);
	}
	fprintf(stderr, "  silent connections closed by the service after %.1f s: %d of %d sampled\n", now_s() - t0,
	    dropped, (opened + 9) / 10);
	fprintf(stderr, "  registry: %d fds held; VmRSS %ld KiB before, %ld KiB with %d connections, %ld KiB after the "
			"work (budget: +%d KiB)\n", fds_in_service, rss0, rss1, opened, rss2, RSS_BUDGET_KB);
	CHECK(rss1 - rss0 < RSS_BUDGET_KB);
	CHECK(rss2 - rss0 < RSS_BUDGET_KB);
	for (int i = 0; i < opened; i++)
		close(fds[i]);
	free(fds);
	h_sleep_ms(500);
	fprintf(stderr, "  after closing them all: VmRSS %ld KiB, %d fds\n", rss_kb(pid), open_fds(pid));
	CHECK_INT(honest_adds(&h, 250, 10, &worst), 10);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_10000_hostile_connections_the_service_keeps_serving_within_its_memory_budget);
	return check_summary();
}
