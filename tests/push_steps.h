/*
 * NAME
 *	push_steps.h - shared steps of the push tests on aedesk-push's test clock (static
 *	functions, for files that include check.h, harness.h and push_receiver.h first)
 */
#ifndef AEDESK_PUSH_STEPS_H
#define AEDESK_PUSH_STEPS_H

#include <time.h>

#include "push.pb-c.h"
#include "sched_steps.h"
#include "scheduler.pb-c.h"
#include "status.pb-c.h"
#include "wire.h"

#define TZ_MS (8 * 3600000LL)
#define DAY_MS 86400000LL

static char out[16384], err[4096];
static harness adm;

__attribute__((unused)) static void phase(const char *what)
{
	static struct timespec t0;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (!t0.tv_sec)
		t0 = t;
	fprintf(stderr, "    %5.1f s  %s\n", (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9, what);
}

/* http_get: GET path on 127.0.0.1:port into body; the HTTP status, -1 when none. */
__attribute__((unused)) static int http_get(int port, const char *path, char *body, size_t len)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	static char buf[65536];
	char req[128];
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
	size_t got = 0;
	ssize_t r;
	if (write(fd, req, (size_t)n) == n)
		while (got < sizeof buf - 1 && (r = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
			got += (size_t)r;
	close(fd);
	buf[got] = 0;
	int code = -1;
	sscanf(buf, "HTTP/1.%*d %d", &code);
	char *b = strstr(buf, "\r\n\r\n");
	snprintf(body, len, "%s", b ? b + 4 : "");
	return code;
}

__attribute__((unused)) static int status_port(void)
{
	Aedesk__StatusRequest q = AEDESK__STATUS_REQUEST__INIT;
	Aedesk__StatusReply *r = NULL;
	int port = 0;
	if (h_call(&adm, "status", &q.base, &aedesk__status_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r->http)
		sscanf(r->http, "http://127.0.0.1:%d", &port);
	wire_free(r ? &r->base : NULL);
	return port;
}

__attribute__((unused)) static int clock_set(long long t)
{
	Aedesk__PushClockSetRequest q = AEDESK__PUSH_CLOCK_SET_REQUEST__INIT;
	q.now_ms = t;
	return h_call(&adm, "push", &q.base, &aedesk__push_status_reply__descriptor, NULL);
}

__attribute__((unused)) static int send_test(const char *id, const char *text)
{
	Aedesk__PushTestRequest q = AEDESK__PUSH_TEST_REQUEST__INIT;
	q.id = (char *)id;
	q.text = (char *)text;
	return h_call(&adm, "push", &q.base, &aedesk__push_test_reply__descriptor, NULL);
}

/* hook_view: the list's view of one webhook (free with wire_free on the reply). */
__attribute__((unused)) static const Aedesk__PushHookView *hook_view(Aedesk__PushListReply **keep, const char *id)
{
	Aedesk__PushListRequest q = AEDESK__PUSH_LIST_REQUEST__INIT;
	*keep = NULL;
	if (h_call(&adm, "push", &q.base, &aedesk__push_list_reply__descriptor, (ProtobufCMessage **)keep) != 0)
		return NULL;
	for (size_t i = 0; i < (*keep)->n_hooks; i++)
		if (strcmp((*keep)->hooks[i]->id, id) == 0)
			return (*keep)->hooks[i];
	return NULL;
}

/* hook_counts: pending, sent, failed of one webhook as "p/s/f". */
__attribute__((unused)) static void hook_counts(const char *id, char *buf, size_t len)
{
	Aedesk__PushListReply *r;
	const Aedesk__PushHookView *v = hook_view(&r, id);
	snprintf(buf, len, v ? "%llu/%llu/%llu" : "?", v ? (unsigned long long)v->pending : 0ULL,
	    v ? (unsigned long long)v->sent : 0ULL, v ? (unsigned long long)v->failed : 0ULL);
	wire_free(r ? &r->base : NULL);
}

__attribute__((unused)) static int wait_counts(const char *id, const char *want, int ms)
{
	char got[64] = "";
	for (int t = 0; t < ms; t += 50) {
		hook_counts(id, got, sizeof got);
		if (strcmp(got, want) == 0)
			return 0;
		h_sleep_ms(50);
	}
	fprintf(stderr, "    %s: %s, wanted %s\n", id, got, want);
	return -1;
}

/* ps_setup: registry, scheduler (a source, its clock before anything is due), push on
 * its test clock at noon today (agency time, not quiet; *noon), with_status also
 * aedesk-jobs and aedesk-status (watching them all); ae1..ae4 with robots: ae1 wecom /retry, ae2 wecom /rate, ae3 dingtalk
 * /quiet (signed), ae4 wecom /dead (always 500). */
__attribute__((unused)) static int ps_setup(harness *hp, struct rcv *rvp, const char *tag, int with_status, long long *noonp)
{
	int failed_before = check_failed_in_test;
	CHECK(h_setup(hp, tag) == 0);
	h_conf_add(hp, "push.test_clock", "on");
	h_conf_add(hp, "push.quiet", "22:00-08:00");
	h_conf_add(hp, "push.retry_base_ms", "200");
	h_conf_add(hp, "push.retry_max_ms", "1000");
	h_conf_add(hp, "push.give_up_days", "1");
	if (with_status) {
		h_conf_add(hp, "services", "registry,scheduler,push,status,jobs");
		h_conf_add(hp, "status.http", "127.0.0.1:0");
	}
	/* push's source, on a clock that stays before anything is due */
	h_conf_add(hp, "scheduler.test_clock", "on");
	h_conf_add(hp, "scheduler.test_clock_start", "2026-02-01 00:00");
	CHECK(h_start(hp, "registry") == 0);
	CHECK(h_login_admin(hp) == 0);
	const char *staff[] = {"ae1", "ae2", "ae3", "ae4"};
	for (int i = 0; i < 4; i++)
		H_OK(hp, "staff", "add", staff[i], "--name", "主任", "--role", "ae");
	CHECK(h_start(hp, "scheduler") == 0);
	CHECK(h_start(hp, "push") == 0);
	if (with_status) {
		CHECK(h_start(hp, "jobs") == 0);
		CHECK(h_start(hp, "status") == 0);
	}
	adm = *hp;
	CHECK(h_wait_consumer(hp, "push", "registry", 20000) == 0);
	/* Noon today, agency time: not quiet. */
	long long now = (long long)time(NULL) * 1000;
	long long noon = *noonp = (now + TZ_MS) / DAY_MS * DAY_MS + 12 * 3600000LL - TZ_MS;
	CHECK(clock_set(noon) == 0);
	char url[256];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/retry/send?key=k1-abcdefgh", rvp->port);
	H_OK(hp, "push", "set", "--staff", "ae1", "--kind", "wecom", "--url", url);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/rate/send?key=k2-abcdefgh", rvp->port);
	H_OK(hp, "push", "set", "--staff", "ae2", "--kind", "wecom", "--url", url);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/quiet/robot/send?access_token=k3-abcdefgh", rvp->port);
	H_OK(hp, "push", "set", "--staff", "ae3", "--kind", "dingtalk", "--url", url, "--secret", "SEC-quiet-0123456789");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/dead/send?key=k4-abcdefgh", rvp->port);
	H_OK(hp, "push", "set", "--staff", "ae4", "--kind", "wecom", "--url", url);

	return check_failed_in_test != failed_before ? -1 : 0;
}

/* ---- with the scheduler's notifications (st_adm holds the admin's token) ---- */

__attribute__((unused)) static Aedesk__InboxListReply *inbox_of(const char *staff)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.staff_id = (char *)staff;
	q.all = 1;
	q.limit = 1000;
	Aedesk__InboxListReply *r = NULL;
	if (h_call(&st_adm, "scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

__attribute__((unused)) static Aedesk__PushStatusReply *ps_status(harness *adm)
{
	Aedesk__PushStatusRequest q = AEDESK__PUSH_STATUS_REQUEST__INIT;
	q.limit = 1;
	Aedesk__PushStatusReply *r = NULL;
	if (h_call(adm, "push", &q.base, &aedesk__push_status_reply__descriptor, (ProtobufCMessage **)&r) != 0)
		return NULL;
	return r;
}

/* wait_sent: push has sent `sent` deliveries and has none pending; 0 when so. */
__attribute__((unused)) static int wait_sent(harness *adm, uint64_t sent, int ms)
{
	for (int t = 0; t < ms; t += 50) {
		Aedesk__PushStatusReply *s = ps_status(adm);
		int ok = s && s->pending == 0 && s->sent == sent;
		if (s && t + 50 >= ms)
			fprintf(stderr, "    push: pending %llu sent %llu failed %llu (want sent %llu)\n",
			    (unsigned long long)s->pending, (unsigned long long)s->sent, (unsigned long long)s->failed,
			    (unsigned long long)sent);
		wire_free(s ? &s->base : NULL);
		if (ok)
			return 0;
		h_sleep_ms(50);
	}
	return -1;
}

__attribute__((unused)) static void add_staff(harness *h, const char *id, const char *name, const char *role, const char *manager)
{
	if (manager)
		H_OK(h, "staff", "add", id, "--name", name, "--role", role, "--manager", manager);
	else
		H_OK(h, "staff", "add", id, "--name", name, "--role", role);
	char pw[64];
	snprintf(pw, sizeof pw, "pw-%s-12345\n", id);
	CHECK_INT(h_cli(h, pw, out, sizeof out, "staff", "passwd", id, "--password-stdin", NULL), 0);
}

__attribute__((unused)) static int login(harness *h, const char *id)
{
	char pw[64];
	snprintf(pw, sizeof pw, "pw-%s-12345", id);
	return h_login(h, id, pw);
}

#endif
