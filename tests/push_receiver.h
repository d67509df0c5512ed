/*
 * NAME
 *	push_receiver.h - a chat robot for the push tests: a tiny HTTP server on 127.0.0.1
 *
 * SYNOPSIS
 *	static struct rcv rv; rcv_start(&rv);  ... "http://127.0.0.1:%d/ding", rv.port ...
 *	rcv_count(&rv, "/ding", "N0000003", 200); rcv_stop(&rv);
 *
 * DESCRIPTION
 *	A thread accepts one request per connection, records its target (path and query),
 *	body and the status it answered, and answers: 500 for a path containing "/dead" or
 *	while fail_500 > 0 (counting down), 200 with {"errcode":45009,...} while
 *	fail_errcode > 0, else 200 with the platform's "ok" ({"errcode":0} or, for a path
 *	containing "/feishu", {"code":0}). delay_ms holds each answer (a send in flight).
 *	Header-only (static functions) so that any test file can include it.
 */
#ifndef AEDESK_PUSH_RECEIVER_H
#define AEDESK_PUSH_RECEIVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RCV_MAX 600

struct rcv_req {
	char target[1024];
	char body[4096];
	int status;
};

struct rcv {
	int fd, port;
	pthread_t th;
	atomic_int stop, fail_500, fail_errcode, delay_ms;
	pthread_mutex_t mu;
	struct rcv_req *reqs;
	int n;
};

static int rcv_read_request(int c, char *buf, size_t len, char **body)
{
	size_t got = 0;
	*body = NULL;
	long clen = -1;
	while (got + 1 < len) {
		struct pollfd p = {c, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			return -1;
		ssize_t r = read(c, buf + got, len - 1 - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = 0;
		char *e = strstr(buf, "\r\n\r\n");
		if (e && clen < 0) {
			char *cl = strcasestr(buf, "Content-Length:");
			clen = cl && cl < e ? strtol(cl + 15, NULL, 10) : 0;
			*body = e + 4;
		}
		if (*body && (long)(got - (size_t)(*body - buf)) >= clen)
			return 0;
	}
	return -1;
}

static void *rcv_main(void *arg)
{
	struct rcv *rv = arg;
	static char buf[16384];
	while (!atomic_load(&rv->stop)) {
		struct pollfd p = {rv->fd, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		int c = accept(rv->fd, NULL, NULL);
		if (c < 0)
			continue;
		char *body;
		if (rcv_read_request(c, buf, sizeof buf, &body) != 0) {
			close(c);
			continue;
		}
		char target[1024] = "";
		sscanf(buf, "POST %1023s", target);
		int status = 200;
		const char *answer = strstr(target, "/feishu") ? "{\"code\":0,\"msg\":\"success\",\"data\":{}}"
		                                               : "{\"errcode\":0,\"errmsg\":\"ok\"}";
		if (strstr(target, "/dead"))
			status = 500, answer = "oops";
		else if (atomic_load(&rv->fail_500) > 0) {
			atomic_fetch_sub(&rv->fail_500, 1);
			status = 500, answer = "oops";
		} else if (atomic_load(&rv->fail_errcode) > 0) {
			atomic_fetch_sub(&rv->fail_errcode, 1);
			answer = "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}";
		}
		int d = atomic_load(&rv->delay_ms);
		if (d)
			usleep((useconds_t)d * 1000);
		pthread_mutex_lock(&rv->mu);
		if (rv->n < RCV_MAX) {
			struct rcv_req *q = &rv->reqs[rv->n++];
			snprintf(q->target, sizeof q->target, "%s", target);
			snprintf(q->body, sizeof q->body, "%s", body);
			q->status = status == 200 && strstr(answer, "45009") ? 299 : status; /* 299: refused in the body */
		}
		pthread_mutex_unlock(&rv->mu);
		char resp[512];
		int n = snprintf(resp, sizeof resp,
		    "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		    status, status == 200 ? "OK" : "Internal Server Error", strlen(answer), answer);
		if (send(c, resp, (size_t)n, MSG_NOSIGNAL) < 0) {
			/* the sender went away (killed mid-delivery): nothing to answer */
		}
		close(c);
	}
	return NULL;
}

static int rcv_start(struct rcv *rv)
{
	memset(rv, 0, sizeof *rv);
	pthread_mutex_init(&rv->mu, NULL);
	rv->reqs = calloc(RCV_MAX, sizeof *rv->reqs);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	if (!rv->reqs || (rv->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 || bind(rv->fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(rv->fd, 64) != 0 || getsockname(rv->fd, (struct sockaddr *)&a, &al) != 0)
		return -1;
	rv->port = ntohs(a.sin_port);
	return pthread_create(&rv->th, NULL, rcv_main, rv);
}

static void rcv_stop(struct rcv *rv)
{
	atomic_store(&rv->stop, 1);
	pthread_join(rv->th, NULL);
	close(rv->fd);
	free(rv->reqs);
}

/* rcv_count: requests whose target contains path and body contains needle (NULL: any),
 * answered with status (0: any). */
static int rcv_count(struct rcv *rv, const char *path, const char *needle, int status)
{
	int k = 0;
	pthread_mutex_lock(&rv->mu);
	for (int i = 0; i < rv->n; i++)
		k += strstr(rv->reqs[i].target, path) && (!needle || strstr(rv->reqs[i].body, needle)) &&
		    (!status || rv->reqs[i].status == status);
	pthread_mutex_unlock(&rv->mu);
	return k;
}

/* rcv_wait: wait until rcv_count reaches want; 0 when it did (within ms). */
__attribute__((unused)) static int rcv_wait(struct rcv *rv, const char *path, const char *needle, int status, int want, int ms)
{
	for (int t = 0; t < ms; t += 20) {
		if (rcv_count(rv, path, needle, status) >= want)
			return 0;
		usleep(20000);
	}
	return -1;
}

/* rcv_b64_hmac: base64(HMAC-SHA256(key, msg)), computed here independently of the service. */
static void rcv_b64_hmac(const char *key, size_t kl, const char *msg, size_t ml, char *out, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, kl);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, ml);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, len, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
}

static void rcv_urldecode(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (; *s && *s != '&' && o + 1 < len; s++) {
		unsigned v;
		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			s += 2;
		} else
			out[o++] = *s == '+' ? ' ' : *s;
	}
	out[o] = 0;
}

/* rcv_dingtalk_ok: the request's timestamp and sign are DingTalk's for secret, and recent. */
__attribute__((unused)) static int rcv_dingtalk_ok(const struct rcv_req *q, const char *secret, long long now_ms)
{
	const char *t = strstr(q->target, "timestamp="), *s = strstr(q->target, "sign=");
	if (!t || !s)
		return 0;
	long long ts = strtoll(t + 10, NULL, 10);
	char sign[128], want[128], msg[512];
	rcv_urldecode(s + 5, sign, sizeof sign);
	int n = snprintf(msg, sizeof msg, "%lld\n%s", ts, secret);
	rcv_b64_hmac(secret, strlen(secret), msg, (size_t)n, want, sizeof want);
	return strcmp(sign, want) == 0 && llabs(now_ms - ts) < 3600000;
}

/* rcv_feishu_ok: the body's timestamp and sign are Feishu's for secret, and recent. */
__attribute__((unused)) static int rcv_feishu_ok(const struct rcv_req *q, const char *secret, long long now_ms)
{
	const char *t = strstr(q->body, "\"timestamp\":\""), *s = strstr(q->body, "\"sign\":\"");
	if (!t || !s)
		return 0;
	long long ts = strtoll(t + 13, NULL, 10);
	char sign[128] = "", want[128], key[512];
	sscanf(s + 8, "%127[^\"]", sign);
	int n = snprintf(key, sizeof key, "%lld\n%s", ts, secret);
	rcv_b64_hmac(key, (size_t)n, "", 0, want, sizeof want);
	return strcmp(sign, want) == 0 && llabs(now_ms / 1000 - ts) < 3600 &&
	    strstr(q->body, "\"msg_type\":\"text\",\"content\":{\"text\":\"") != NULL;
}

#endif
