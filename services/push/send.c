/*
 * NAME
 *	send.c - the sender threads: one HTTP POST per delivery, with libcurl
 *
 * DESCRIPTION
 *	The tick (main loop) submits a job; a sender thread builds the platform's body and
 *	URL (signing with the secret at the moment of sending: the platforms refuse a
 *	timestamp more than an hour off), posts it, and hands the job back with the
 *	outcome: taken (HTTP 2xx and the body's code 0) or why not. The store is never
 *	touched here, so nothing the network does can hold up the main loop.
 *
 *	Signatures use the real clock, not the service's (test) clock.
 *
 * SECURITY
 *	The URL and the secret are wiped from memory when the job is freed; errors name the
 *	webhook id and curl's generic message, never the URL.
 */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "push.h"
#include "sign.h"
#include "wire.h"

void push_job_free(struct push_job *j)
{
	if (!j)
		return;
	if (j->url) {
		sodium_memzero(j->url, strlen(j->url));
		free(j->url);
	}
	if (j->secret) {
		sodium_memzero(j->secret, strlen(j->secret));
		free(j->secret);
	}
	free(j->text);
	free(j);
}

void push_job_submit(struct push_job *j)
{
	pthread_mutex_lock(&push.mu);
	j->next = NULL;
	if (push.jobs_tail)
		push.jobs_tail->next = j;
	else
		push.jobs = j;
	push.jobs_tail = j;
	push.njobs++;
	pthread_cond_signal(&push.cv);
	pthread_mutex_unlock(&push.mu);
}

/* push_jobs_done takes every finished job (oldest first). */
struct push_job *push_jobs_done(void)
{
	pthread_mutex_lock(&push.mu);
	struct push_job *d = push.done, *rev = NULL;
	push.done = NULL;
	pthread_mutex_unlock(&push.mu);
	while (d) {
		struct push_job *n = d->next;
		d->next = rev;
		rev = d;
		d = n;
	}
	return rev;
}

struct body {
	char buf[4096];
	size_t n;
};

static size_t on_data(char *p, size_t sz, size_t nm, void *arg)
{
	struct body *b = arg;
	size_t len = sz * nm, room = sizeof b->buf - 1 - b->n;
	memcpy(b->buf + b->n, p, len < room ? len : room);
	b->n += len < room ? len : room;
	b->buf[b->n] = 0;
	return len;
}

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)arg, (void)a, (void)b, (void)c, (void)d;
	return atomic_load(&push.stop) ? 1 : 0; /* stopping: abort the transfer */
}

static void send_one(CURL *c, struct push_job *j)
{
	int64_t now = wire_now_ms();
	size_t blen = strlen(j->text) * 6 + 512, ulen = strlen(j->url) + 256;
	char *body = malloc(blen), *url = malloc(ulen);
	struct body ans = {.n = 0};
	ans.buf[0] = 0;
	j->tried_ms = now;
	if (!body || !url || push_body(j->kind, j->text, j->secret, now, body, blen) != 0 ||
	    push_url(j->kind, j->url, j->secret, now, url, ulen) != 0) {
		snprintf(j->why, sizeof j->why, "cannot build the message");
		goto out;
	}
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "aedesk-push/" AEDESK_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(push.timeout_ms < 5000 ? push.timeout_ms : 5000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)push.timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		snprintf(j->why, sizeof j->why, "curl: %s", curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &j->http);
	if (j->http < 200 || j->http > 299) {
		snprintf(j->why, sizeof j->why, "HTTP %ld", j->http);
		goto out;
	}
	char why[200];
	if (!push_reply_ok(ans.buf, why, sizeof why)) {
		snprintf(j->why, sizeof j->why, "HTTP %ld, %s", j->http, why);
		goto out;
	}
	j->ok = 1;
out:
	if (url) {
		sodium_memzero(url, strlen(url));
		free(url);
	}
	free(body);
}

static void *sender_main(void *arg)
{
	(void)arg;
	CURL *c = curl_easy_init();
	if (!c)
		log_error("cannot start a libcurl handle: messages wait");
	for (;;) {
		pthread_mutex_lock(&push.mu);
		while (!push.jobs && !atomic_load(&push.stop))
			pthread_cond_wait(&push.cv, &push.mu);
		if (atomic_load(&push.stop)) {
			pthread_mutex_unlock(&push.mu);
			break;
		}
		struct push_job *j = push.jobs;
		push.jobs = j->next;
		if (!push.jobs)
			push.jobs_tail = NULL;
		push.njobs--;
		pthread_mutex_unlock(&push.mu);
		if (c)
			send_one(c, j);
		else
			snprintf(j->why, sizeof j->why, "no libcurl handle");
		if (!j->ok)
			log_warn("push %llu to %s not taken: %s", (unsigned long long)j->seq, j->hook_id, j->why);
		pthread_mutex_lock(&push.mu);
		j->next = push.done;
		push.done = j;
		pthread_mutex_unlock(&push.mu);
	}
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

int push_senders_start(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	pthread_mutex_init(&push.mu, NULL);
	pthread_cond_init(&push.cv, NULL);
	for (int i = 0; i < push.nsenders && i < PUSH_MAX_SENDERS; i++) {
		if (pthread_create(&push.threads[i], NULL, sender_main, NULL) != 0)
			return -1;
		push.nthreads++;
	}
	return 0;
}

void push_senders_stop(void)
{
	pthread_mutex_lock(&push.mu);
	atomic_store(&push.stop, 1);
	pthread_cond_broadcast(&push.cv);
	pthread_mutex_unlock(&push.mu);
	for (int i = 0; i < push.nthreads; i++)
		pthread_join(push.threads[i], NULL);
	push.nthreads = 0;
	struct push_job *lists[2] = {push.jobs, push.done};
	for (int k = 0; k < 2; k++)
		for (struct push_job *j = lists[k], *n; j; j = n) {
			n = j->next;
			push_job_free(j);
		}
	push.jobs = push.jobs_tail = push.done = NULL;
	curl_global_cleanup();
}
