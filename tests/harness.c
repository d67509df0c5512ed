/*
 * NAME
 *	harness.c - start, kill and talk to real services for the tests
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "keyring.h"
#include "registry.pb-c.h"
#include "security.pb-c.h"
#include "transport.h"
#include "wire.h"

#ifndef AEDESK_BIN_DIR
#error "AEDESK_BIN_DIR must name the bin directory of the build"
#endif

void h_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

int h_contains(const char *hay, const char *needle) { return hay && strstr(hay, needle) != NULL; }

int h_read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n'))
		buf[--n] = 0;
	return 0;
}

void h_conf_add(harness *h, const char *key, const char *value)
{
	FILE *f = fopen(h->conf, "a");
	if (f) {
		fprintf(f, "%s = %s\n", key, value);
		fclose(f);
	}
}

int h_setup(harness *h, const char *tag)
{
	memset(h, 0, sizeof *h);
	snprintf(h->home, sizeof h->home, "/tmp/ae-%s-XXXXXX", tag);
	if (!mkdtemp(h->home))
		return -1;
	snprintf(h->conf, sizeof h->conf, "%s/aedesk.conf", h->home);
	snprintf(h->token, sizeof h->token, "%s/token", h->home);
	FILE *f = fopen(h->conf, "w");
	if (!f)
		return -1;
	fprintf(f, "# written by the test harness\ndata_dir = %s/data\nrun_dir = %s/run\nkeys_dir = %s/keys\n"
		   "admin_password_file = %s/admin.password\nheartbeat_ms = 500\nlog_level = info\n",
	    h->home, h->home, h->home, h->home);
	fclose(f);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int slot(harness *h, const char *name, int create)
{
	for (int i = 0; i < H_MAX_SVC; i++)
		if (strcmp(h->svc[i].name, name) == 0)
			return i;
	if (!create)
		return -1;
	for (int i = 0; i < H_MAX_SVC; i++)
		if (!h->svc[i].name[0]) {
			snprintf(h->svc[i].name, sizeof h->svc[i].name, "%s", name);
			return i;
		}
	return -1;
}

aeclient *h_client(harness *h, const char *service, int timeout_ms)
{
	char url[512], err[512];
	snprintf(url, sizeof url, "ipc://%s/run/%s.rep", h->home, service);
	/* A test may put a service elsewhere (tcp, tls+tcp: test_tls): follow the config. */
	conf *cf = conf_load(h->conf, err, sizeof err);
	if (cf && conf_get(cf, "tls_cert", NULL) && transport_init(cf, err, sizeof err) != 0)
		fprintf(stderr, "  %s\n", err);
	if (cf)
		conf_endpoint(cf, service, "rep", url, sizeof url);
	conf_free(cf);
	aeclient *c = aeclient_open(url, timeout_ms, err, sizeof err);
	if (c && h->toklen)
		aeclient_set_token(c, h->tok, h->toklen);
	if (c)
		aeclient_set_lang(c, "en");
	return c;
}

int h_add_client(aeclient *c, const char *name, char *msg, size_t msglen)
{
	char buf[256];
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = (char *)name;
	Aedesk__Status st;
	ProtobufCMessage *r = NULL;
	int rc = aeclient_call(c, &q.base, &aedesk__client_reply__descriptor, &st, msg ? msg : buf,
		     msg ? msglen : sizeof buf, &r) == 0 && st == AEDESK__STATUS__OK ? 0 : -1;
	wire_free(r);
	return rc;
}

aeclient *h_service_client(harness *h, const char *service, int timeout_ms)
{
	aeclient *c = h_client(h, service, timeout_ms);
	char dir[400];
	uint8_t tok[4096];
	snprintf(dir, sizeof dir, "%s/keys", h->home);
	size_t n = keyring_service_token(dir, tok, sizeof tok);
	if (c && n)
		aeclient_set_token(c, tok, n);
	return c;
}

int h_wait_ready(harness *h, const char *name, int ms)
{
	for (int waited = 0; waited < ms; waited += 50) {
		aeclient *c = h_client(h, name, 1000);
		if (c) {
			Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
			Aedesk__Status st;
			char msg[256];
			ProtobufCMessage *r = NULL;
			int rc = aeclient_call(c, &q.base, &aedesk__health__descriptor, &st, msg, sizeof msg, &r);
			wire_free(r);
			aeclient_close(c);
			if (rc == 0 && st == AEDESK__STATUS__OK)
				return 0;
		}
		h_sleep_ms(50);
	}
	return -1;
}

int h_start(harness *h, const char *name)
{
	int i = slot(h, name, 1);
	if (i < 0)
		return -1;
	char bin[512], log[512];
	snprintf(bin, sizeof bin, "%s/aedesk-%s", AEDESK_BIN_DIR, name);
	snprintf(log, sizeof log, "%s/%s.log", h->home, name);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(fd, 1);
		}
		execl(bin, bin, "--conf", h->conf, (char *)NULL);
		_exit(127);
	}
	h->svc[i].pid = pid;
	if (h_wait_ready(h, name, 20000) != 0) {
		fprintf(stderr, "  %s did not become ready; see %s\n", name, log);
		return -1;
	}
	return 0;
}

void h_kill9(harness *h, const char *name)
{
	int i = slot(h, name, 0);
	if (i < 0 || h->svc[i].pid <= 0)
		return;
	kill(h->svc[i].pid, SIGKILL);
	waitpid(h->svc[i].pid, NULL, 0);
	h->svc[i].pid = 0;
}

int h_stop(harness *h, const char *name)
{
	int i = slot(h, name, 0);
	if (i < 0 || h->svc[i].pid <= 0)
		return -1;
	int status = 0;
	kill(h->svc[i].pid, SIGTERM);
	for (int waited = 0; waited < 10000; waited += 20) {
		if (waitpid(h->svc[i].pid, &status, WNOHANG) == h->svc[i].pid) {
			h->svc[i].pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		h_sleep_ms(20);
	}
	h_kill9(h, name);
	return -1;
}

/* log_has_sanitizer_report: the sanitizers write "ERROR: ...Sanitizer" or "runtime error:". */
static int log_has_sanitizer_report(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "Sanitizer") || strstr(line, "runtime error:") || strstr(line, " panic ")) {
			fprintf(stderr, "  %s: %s", path, line);
			found = 1;
		}
	if (f)
		fclose(f);
	return found;
}

int h_teardown(harness *h)
{
	int unclean = 0;
	for (int i = 0; i < H_MAX_SVC; i++) {
		if (!h->svc[i].name[0])
			continue;
		if (h->svc[i].pid > 0) {
			int rc = h_stop(h, h->svc[i].name);
			if (rc != 0) {
				fprintf(stderr, "  %s did not stop cleanly (status %d)\n", h->svc[i].name, rc);
				unclean++;
			}
		}
		char log[512];
		snprintf(log, sizeof log, "%s/%s.log", h->home, h->svc[i].name);
		unclean += log_has_sanitizer_report(log);
	}
	if (getenv("AEDESK_KEEP_TEST_DIRS") || unclean) {
		fprintf(stderr, "  kept %s\n", h->home);
		return unclean;
	}
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->home);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", h->home);
	return 0;
}

/* run_cli forks the aedesk command with the harness's config and token file. */
static int run_cli(harness *h, const char *stdin_text, char *out, size_t outlen, char *err,
    size_t errlen, va_list ap)
{
	const char *argv[64];
	int n = 0;
	char bin[512];
	snprintf(bin, sizeof bin, "%s/aedesk", AEDESK_BIN_DIR);
	argv[n++] = bin;
	argv[n++] = "--conf";
	argv[n++] = h->conf;
	const char *a;
	while (n < 63 && (a = va_arg(ap, const char *)))
		argv[n++] = a;
	argv[n] = NULL;
	int in[2], o[2], e[2];
	if (pipe(in) || pipe(o) || pipe(e))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(in[1]);
		close(o[0]);
		close(e[0]);
		setenv("AEDESK_TOKEN_FILE", h->token, 1);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	close(e[1]);
	if (stdin_text) {
		ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
		(void)w;
	}
	close(in[1]);
	/* Read both pipes to the end (small outputs: stdout first, then stderr). */
	size_t on = 0, en = 0;
	char tmp[4096];
	ssize_t r;
	while ((r = read(o[0], tmp, sizeof tmp)) > 0)
		if (out && on + (size_t)r < outlen) {
			memcpy(out + on, tmp, (size_t)r);
			on += (size_t)r;
		}
	while ((r = read(e[0], tmp, sizeof tmp)) > 0)
		if (err && en + (size_t)r < errlen) {
			memcpy(err + en, tmp, (size_t)r);
			en += (size_t)r;
		} else if (!err)
			fwrite(tmp, 1, (size_t)r, stderr);
	if (out)
		out[on] = 0;
	if (err)
		err[en] = 0;
	close(o[0]);
	close(e[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int h_cli(harness *h, const char *stdin_text, char *out, size_t outlen, ...)
{
	va_list ap;
	va_start(ap, outlen);
	int rc = run_cli(h, stdin_text, out, outlen, NULL, 0, ap);
	va_end(ap);
	return rc;
}

int h_cli_err(harness *h, const char *stdin_text, char *out, size_t outlen, char *err,
    size_t errlen, ...)
{
	va_list ap;
	va_start(ap, errlen);
	int rc = run_cli(h, stdin_text, out, outlen, err, errlen, ap);
	va_end(ap);
	return rc;
}

int h_call(harness *h, const char *service, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **reply)
{
	aeclient *c = req->descriptor == &aedesk__replay_request__descriptor ? h_service_client(h, service, 30000)
									      : h_client(h, service, 30000);
	if (!c)
		return -1;
	Aedesk__Status st;
	char msg[1024];
	ProtobufCMessage *r = NULL;
	int rc = aeclient_call(c, req, rd, &st, msg, sizeof msg, &r);
	aeclient_close(c);
	if (rc != 0)
		return -1;
	if (reply)
		*reply = r;
	else
		wire_free(r);
	return (int)st;
}

int h_login(harness *h, const char *id, const char *password)
{
	Aedesk__LoginRequest q = AEDESK__LOGIN_REQUEST__INIT;
	q.staff_id = (char *)id;
	q.password = (char *)password;
	Aedesk__LoginReply *r = NULL;
	h->toklen = 0;
	int st = h_call(h, "registry", &q.base, &aedesk__login_reply__descriptor, (ProtobufCMessage **)&r);
	if (st != 0 || !r)
		return -1;
	if (r->token.len > sizeof h->tok) {
		wire_free(&r->base);
		return -1;
	}
	memcpy(h->tok, r->token.data, r->token.len);
	h->toklen = r->token.len;
	wire_free(&r->base);
	/* The same login for h_cli: log in through the real command too. */
	char pw[256], out[1024];
	snprintf(pw, sizeof pw, "%s\n", password);
	return h_cli(h, pw, out, sizeof out, "login", id, "--password-stdin", NULL) == 0 ? 0 : -1;
}

int h_login_admin(harness *h)
{
	char path[400], pw[256];
	snprintf(path, sizeof path, "%s/admin.password", h->home);
	if (h_read_file(path, pw, sizeof pw) != 0)
		return -1;
	return h_login(h, "admin", pw);
}

/* seq_epoch: a service's last seq and epoch, or (cursor_of set) its cursor for that source. */
static uint64_t seq_epoch(harness *h, const char *service, const char *cursor_of, uint64_t *epoch)
{
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Health *r = NULL;
	uint64_t v = 0;
	*epoch = 0;
	if (h_call(h, service, &q.base, &aedesk__health__descriptor, (ProtobufCMessage **)&r) == 0 && r) {
		if (!cursor_of) {
			v = r->last_seq;
			*epoch = r->epoch;
		}
		for (size_t i = 0; cursor_of && i < r->n_cursors; i++)
			if (strcmp(r->cursors[i]->source, cursor_of) == 0) {
				v = r->cursors[i]->seq;
				*epoch = r->cursors[i]->epoch;
			}
	}
	wire_free(r ? &r->base : NULL);
	return v;
}

uint64_t h_last_seq(harness *h, const char *service, const char *cursor_of)
{
	uint64_t epoch;
	return seq_epoch(h, service, cursor_of, &epoch);
}

long h_audit_events(harness *h, const char *service)
{
	aeclient *c = h_service_client(h, service, 30000);
	uint64_t next = 1;
	long n = 0;
	for (int more = 1; c && more;) {
		Aedesk__ReplayRequest q = AEDESK__REPLAY_REQUEST__INIT;
		q.from_seq = next;
		Aedesk__Status st;
		char msg[256];
		Aedesk__ReplayReply *r = NULL;
		if (aeclient_call(c, &q.base, &aedesk__replay_reply__descriptor, &st, msg, sizeof msg,
			(ProtobufCMessage **)&r) != 0 || st != AEDESK__STATUS__OK || !r) {
			wire_free(r ? &r->base : NULL);
			n = -1;
			break;
		}
		for (size_t i = 0; i < r->n_events; i++) {
			Aedesk__Envelope *e = wire_envelope_unpack(r->events[i].data, r->events[i].len, NULL);
			if (e && (strcmp(e->type, aedesk__access_refused__descriptor.name) == 0 ||
				     strcmp(e->type, aedesk__login_succeeded__descriptor.name) == 0))
				n++;
			if (e)
				next = e->seq + 1;
			wire_free(e ? &e->base : NULL);
		}
		more = r->n_events > 0 && next <= r->last_seq;
		wire_free(&r->base);
	}
	aeclient_close(c);
	return n;
}

int h_wait_consumer(harness *h, const char *consumer, const char *source, int ms)
{
	uint64_t epoch, cepoch, want = seq_epoch(h, source, NULL, &epoch);
	for (int waited = 0; waited < ms; waited += 50) {
		/* In the source's epoch: a cursor of an older store may be past the new one's seqs. */
		if (seq_epoch(h, consumer, source, &cepoch) >= want && (!epoch || cepoch == epoch))
			return 0;
		h_sleep_ms(50);
	}
	return -1;
}

void h_local_time(int minutes_from_now, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)minutes_from_now * 60;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

void h_local_date(int days_from_now, char *buf, size_t len)
{
	time_t t = time(NULL) + (time_t)days_from_now * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

void h_write_file(harness *h, const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", h->home, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}
