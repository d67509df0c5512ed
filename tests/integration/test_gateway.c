/*
 * aedesk-gateway over real HTTP: the console's files with a strict CSP; login gives an
 * HttpOnly, SameSite=Strict cookie and never the token; a POST without the CSRF token,
 * or from another origin, is refused and changes nothing; POST /api/<service>/<Request>
 * is the service's own request with the caller's own rights (an AE is refused what the
 * registry refuses an AE, with the registry's message, in zh or en); sessions survive a
 * restart of the gateway; logout ends them; the live inbox streams each notification
 * as it fires and, reconnecting with Last-Event-ID, sends what was missed exactly once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "civil.h"
#include "harness.h"
#include "scheduler.pb-c.h"

#define TZ_MS (8 * 3600000LL)

static harness h;
static int port;
static char cookie[200], csrf[80];

static int read_port(void)
{
	char path[400], buf[128];
	snprintf(path, sizeof path, "%s/run/gateway.url", h.home);
	for (int i = 0; i < 200; i++) {
		if (h_read_file(path, buf, sizeof buf) == 0) {
			const char *c = strrchr(buf, ':');
			if (c && atoi(c + 1) > 0)
				return atoi(c + 1);
		}
		h_sleep_ms(50);
	}
	return -1;
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* read_until reads into buf until needle appears, the peer closes, or ms pass. */
static size_t read_until(int fd, char *buf, size_t len, size_t have, const char *needle, int ms)
{
	for (int waited = 0; have + 1 < len && waited < ms;) {
		buf[have] = 0;
		if (needle && strstr(buf, needle))
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 100) == 0) {
			waited += 100;
			continue;
		}
		ssize_t n = read(fd, buf + have, len - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	buf[have] = 0;
	return have;
}

/*
 * http sends one request (extra: more header lines, each ending in \r\n) and reads the
 * whole answer into resp; returns the status code, or -1.
 */
static int http(const char *method, const char *path, const char *extra, const char *body, char *resp,
    size_t len)
{
	int fd = dial();
	if (fd < 0)
		return -1;
	char req[8192];
	int n = snprintf(req, sizeof req,
	    "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s%s%s%s%s%s"
	    "Content-Length: %zu\r\n\r\n%s",
	    method, path, port, cookie[0] ? "Cookie: " : "", cookie, cookie[0] ? "\r\n" : "",
	    csrf[0] ? "X-CSRF-Token: " : "", csrf, csrf[0] ? "\r\n" : "", extra ? extra : "",
	    body ? strlen(body) : 0, body ? body : "");
	if (write(fd, req, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	read_until(fd, resp, len, 0, NULL, 20000);
	close(fd);
	int code = -1;
	sscanf(resp, "HTTP/1.1 %d", &code);
	return code;
}

static const char *body_of(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");
	return b ? b + 4 : "";
}

/* api: POST /api/<path> with the current cookie and CSRF token. */
static int api(const char *path, const char *json, char *resp, size_t len)
{
	char p[200];
	snprintf(p, sizeof p, "/api/%s", path);
	return http("POST", p, "Content-Type: application/json\r\n", json, resp, len);
}

/* login as id: keeps the cookie and CSRF token; returns the HTTP code. */
static int login(const char *id, const char *pw, char *resp, size_t len)
{
	char body[200];
	cookie[0] = csrf[0] = 0;
	snprintf(body, sizeof body, "{\"staff_id\":\"%s\",\"password\":\"%s\"}", id, pw);
	int code = api("login", body, resp, len);
	const char *c = strstr(resp, "Set-Cookie: ");
	if (c) {
		size_t n = strcspn(c + 12, ";\r");
		snprintf(cookie, sizeof cookie, "%.*s", (int)n, c + 12);
	}
	const char *t = strstr(body_of(resp), "\"csrf\":\"");
	if (t)
		snprintf(csrf, sizeof csrf, "%.64s", t + 8);
	return code;
}

static int clients_named(const char *name)
{
	char resp[65536];
	if (api("registry/ClientListRequest", "{}", resp, sizeof resp) != 200)
		return -1;
	int n = 0;
	for (const char *p = body_of(resp); (p = strstr(p, name)); p++)
		n++;
	return n;
}

static long long local_ms(int y, int m, int d, int hh, int mi)
{
	return (long long)civil_to_days(y, m, d) * 86400000LL + (hh * 60 + mi) * 60000LL - TZ_MS;
}

static int clock_set(long long now)
{
	Aedesk__SchedulerClockSetRequest q = AEDESK__SCHEDULER_CLOCK_SET_REQUEST__INIT;
	q.now_ms = now;
	return h_call(&h, "scheduler", &q.base, &aedesk__scheduler_status_reply__descriptor, NULL);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

TEST(test_console_files_come_with_a_strict_csp_and_nothing_outside_the_folder)
{
	char r[65536];
	CHECK_INT(http("GET", "/", NULL, NULL, r, sizeof r), 200);
	CHECK(h_contains(r, "Content-Security-Policy: default-src 'none'; script-src 'self'"));
	CHECK(h_contains(r, "frame-ancestors 'none'"));
	CHECK(h_contains(r, "X-Content-Type-Options: nosniff"));
	CHECK(h_contains(r, "<html lang=\"zh-CN\">"));
	CHECK_INT(http("GET", "/app.js", NULL, NULL, r, sizeof r), 200);
	CHECK(h_contains(r, "Content-Type: text/javascript"));
	CHECK_INT(http("GET", "/../CMakeLists.txt", NULL, NULL, r, sizeof r), 404);
	CHECK_INT(http("GET", "/.hidden", NULL, NULL, r, sizeof r), 404);
	CHECK_INT(http("GET", "/%2e%2e/CMakeLists.txt", NULL, NULL, r, sizeof r), 404);
}

TEST(test_login_gives_an_httponly_strict_cookie_and_never_the_token)
{
	char r[65536];
	cookie[0] = csrf[0] = 0;
	CHECK_INT(api("registry/StaffListRequest", "{}", r, sizeof r), 401);
	CHECK(h_contains(body_of(r), "\"status\":\"UNAUTHENTICATED\""));
	CHECK(h_contains(body_of(r), "请先登录"));
	CHECK_INT(login("ae1", "wrong-password", r, sizeof r), 401);
	CHECK(!h_contains(r, "Set-Cookie"));
	CHECK_INT(login("ae1", "secret-pw-1", r, sizeof r), 200);
	CHECK(h_contains(r, "HttpOnly") && h_contains(r, "SameSite=Strict") && h_contains(r, "Path=/"));
	CHECK(h_contains(body_of(r), "\"id\":\"ae1\"") && h_contains(body_of(r), "王主任"));
	CHECK(!h_contains(body_of(r), "token"));
	CHECK_INT((int)strlen(csrf), 64);
	CHECK_INT(http("GET", "/api/session", NULL, NULL, r, sizeof r), 200);
	CHECK(h_contains(body_of(r), csrf));
	/* The generic route does not hand out tokens either. */
	CHECK_INT(api("registry/LoginRequest", "{\"staff_id\":\"ae1\",\"password\":\"secret-pw-1\"}", r, sizeof r), 404);
	CHECK_INT(api("registry/TokenRenewRequest", "{}", r, sizeof r), 404);
	CHECK_INT(api("registry/ReplayRequest", "{}", r, sizeof r), 404);
	CHECK_INT(api("nosuch/ClientListRequest", "{}", r, sizeof r), 404);
}

TEST(test_without_csrf_token_or_from_another_origin_a_post_is_refused_and_changes_nothing)
{
	char r[65536], saved[80];
	CHECK_INT(login("ae1", "secret-pw-1", r, sizeof r), 200);
	snprintf(saved, sizeof saved, "%s", csrf);
	csrf[0] = 0;
	CHECK_INT(api("registry/ClientAddRequest", "{\"name\":\"伪造客户\",\"ae\":\"ae1\"}", r, sizeof r), 403);
	CHECK(h_contains(body_of(r), "CSRF"));
	snprintf(csrf, sizeof csrf, "%s", "0000000000000000000000000000000000000000000000000000000000000000");
	CHECK_INT(api("registry/ClientAddRequest", "{\"name\":\"伪造客户\",\"ae\":\"ae1\"}", r, sizeof r), 403);
	snprintf(csrf, sizeof csrf, "%s", saved);
	CHECK_INT(http("POST", "/api/registry/ClientAddRequest", "Origin: http://evil.example\r\n",
	              "{\"name\":\"伪造客户\",\"ae\":\"ae1\"}", r, sizeof r), 403);
	CHECK(h_contains(body_of(r), "其他网站"));
	CHECK_INT(clients_named("伪造客户"), 0);
}

TEST(test_a_request_is_the_services_own_with_the_callers_rights_and_message)
{
	char r[65536];
	CHECK_INT(login("ae1", "secret-pw-1", r, sizeof r), 200);
	CHECK_INT(api("registry/ClientAddRequest", "{\"name\":\"网页客户\",\"ae\":\"ae1\"}", r,
	              sizeof r), 200);
	CHECK(h_contains(body_of(r), "\"name\":\"网页客户\""));
	CHECK_INT(clients_named("网页客户"), 1);
	/* A field the request does not have: named, nothing sent. */
	CHECK_INT(api("registry/ClientAddRequest", "{\"nmae\":\"x\"}", r, sizeof r), 400);
	CHECK(h_contains(body_of(r), "nmae") && h_contains(body_of(r), "INVALID_ARGUMENT"));
	CHECK_INT(api("registry/ClientAddRequest", "{\"name\":", r, sizeof r), 400);
	/* An AE may not add staff: the registry's refusal, in Chinese, then in English. */
	CHECK_INT(api("registry/StaffAddRequest", "{\"id\":\"x1\",\"name\":\"某人\",\"roles\":[\"ae\"]}", r, sizeof r), 403);
	CHECK(h_contains(body_of(r), "\"status\":\"PERMISSION_DENIED\""));
	char zh[1024];
	snprintf(zh, sizeof zh, "%s", body_of(r));
	CHECK_INT(http("POST", "/api/registry/StaffAddRequest", "X-Aedesk-Lang: en\r\n",
	              "{\"id\":\"x1\",\"name\":\"某人\",\"roles\":[\"ae\"]}", r, sizeof r), 403);
	CHECK(strcmp(zh, body_of(r)) != 0);
	CHECK(!h_contains(body_of(r), "权"));
	CHECK_INT(login("admin", "", r, sizeof r), 401);
	cookie[0] = csrf[0] = 0;
	CHECK_INT(api("registry/StaffListRequest", "{}", r, sizeof r), 401);
}

TEST(test_sessions_survive_a_gateway_restart_and_logout_ends_them)
{
	char r[65536], old[200], oldcsrf[80];
	CHECK_INT(login("ae1", "secret-pw-1", r, sizeof r), 200);
	/* A live stream open while it stops: the stop is clean, and the browser sees the end. */
	int fd = dial();
	CHECK(fd >= 0);
	char req[1024];
	int n = snprintf(req, sizeof req, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n\r\n", port,
	    cookie);
	CHECK(write(fd, req, (size_t)n) == n);
	static char ev[8192];
	size_t have = read_until(fd, ev, sizeof ev, 0, "retry:", 10000);
	CHECK(h_contains(ev, "retry:"));
	CHECK_INT(h_stop(&h, "gateway"), 0);
	size_t after = read_until(fd, ev, sizeof ev, have, NULL, 10000); /* returns at EOF */
	CHECK(after < sizeof ev - 1);
	close(fd);
	char url[400];
	snprintf(url, sizeof url, "%s/run/gateway.url", h.home);
	unlink(url);
	CHECK(h_start(&h, "gateway") == 0);
	CHECK((port = read_port()) > 0);
	CHECK_INT(http("GET", "/api/session", NULL, NULL, r, sizeof r), 200);
	CHECK_INT(api("registry/ClientListRequest", "{}", r, sizeof r), 200);
	snprintf(old, sizeof old, "%s", cookie);
	snprintf(oldcsrf, sizeof oldcsrf, "%s", csrf);
	CHECK_INT(api("logout", "{}", r, sizeof r), 200);
	CHECK(h_contains(r, "Max-Age=0"));
	snprintf(cookie, sizeof cookie, "%s", old);
	snprintf(csrf, sizeof csrf, "%s", oldcsrf);
	CHECK_INT(api("registry/ClientListRequest", "{}", r, sizeof r), 401);
	CHECK_INT(http("GET", "/api/session", NULL, NULL, r, sizeof r), 401);
}

/* R-REMIND-1 through the browser's channel: live, and nothing lost across a reconnect. */
TEST(test_live_inbox_streams_as_reminders_fire_and_resumes_from_last_event_id)
{
	char r[65536];
	CHECK_INT(login("ae1", "secret-pw-1", r, sizeof r), 200);
	int fd = dial();
	CHECK(fd >= 0);
	char req[1024];
	int n = snprintf(req, sizeof req, "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n\r\n", port,
	    cookie);
	CHECK(write(fd, req, (size_t)n) == n);
	static char ev[65536];
	size_t have = read_until(fd, ev, sizeof ev, 0, "retry:", 10000);
	CHECK(h_contains(ev, "Content-Type: text/event-stream"));
	h_sleep_ms(300); /* the stream has found where the inbox is now */
	/* The team meetings of 2, 4 and 6 February fire for ae1 (R-TEAM-1). */
	CHECK(clock_set(local_ms(2026, 2, 9, 8, 0)) == 0);
	for (int k = 0; k < 200 && count(ev, "团队例会") < 3; k++)
		have = read_until(fd, ev, sizeof ev, have, NULL, 100);
	CHECK(count(ev, "团队例会") >= 3);
	if (count(ev, "团队例会") < 3)
		fprintf(stderr, "    stream: %s\n", ev);
	CHECK(h_contains(ev, "id: N0000001\nevent: notification\ndata: {\"id\":\"N0000001\""));
	close(fd);
	int seen = count(ev, "event: notification");

	/* Away: the meeting of 9 February fires; back with Last-Event-ID N0000001, all
	 * after it arrives, once each, the one fired while away included. */
	CHECK(clock_set(local_ms(2026, 2, 9, 9, 30)) == 0);
	fd = dial();
	CHECK(fd >= 0);
	n = snprintf(req, sizeof req,
	    "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\nLast-Event-ID: N0000001\r\n\r\n", port,
	    cookie);
	CHECK(write(fd, req, (size_t)n) == n);
	static char ev2[65536];
	/* the meeting of 9 February (the week's plan, R-PLAN-1, may come before it) */
	read_until(fd, ev2, sizeof ev2, 0, "2026-02-09", 15000);
	close(fd);
	CHECK(!h_contains(ev2, "id: N0000001\n"));
	for (int i = 2; i <= seen + 1; i++) {
		char id[32];
		snprintf(id, sizeof id, "id: N%07d\n", i);
		CHECK_INT(count(ev2, id), 1);
	}
	CHECK(h_contains(ev2, "2026-02-09")); /* the meeting of 9 February, fired while away */
	(void)have;
}

int main(void)
{
	char out[4096];
	CHECK(h_setup(&h, "gateway") == 0);
	h_conf_add(&h, "gateway.http", "127.0.0.1:0");
	h_conf_add(&h, "gateway.stream_poll_ms", "500");
	h_conf_add(&h, "scheduler.test_clock", "on");
	h_conf_add(&h, "scheduler.test_clock_start", "2026-02-01 00:00");
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "secret-pw-1\n", out, sizeof out, "staff", "add", "ae1", "--name", "王主任", "--role", "ae",
	              "--password-stdin", NULL), 0);
	CHECK(h_start(&h, "scheduler") == 0);
	CHECK(h_start(&h, "gateway") == 0);
	CHECK((port = read_port()) > 0);
	RUN(test_console_files_come_with_a_strict_csp_and_nothing_outside_the_folder);
	RUN(test_login_gives_an_httponly_strict_cookie_and_never_the_token);
	RUN(test_without_csrf_token_or_from_another_origin_a_post_is_refused_and_changes_nothing);
	RUN(test_a_request_is_the_services_own_with_the_callers_rights_and_message);
	RUN(test_sessions_survive_a_gateway_restart_and_logout_ends_them);
	RUN(test_live_inbox_streams_as_reminders_fire_and_resumes_from_last_event_id);
	CHECK_INT(h_teardown(&h), 0);
	return check_summary();
}
