/*
 * NAME
 *	control.c - stopping and starting the services deploy/up runs, Health, RSS
 *
 * DESCRIPTION
 *	The services run from bin_dir (the directory of aedesk-bench itself) with the
 *	config the bench was given; their pid files are run_dir/<svc>.pid, so a service
 *	the bench restarted is still stopped by deploy/down. A restarted service logs to
 *	log_dir/<svc>.log (run_dir/../log, where deploy/up puts them).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "client.h"
#include "conf.h"
#include "wire.h"

int ctl_init(struct deployment *d, const char *conf_path, char *err, size_t errlen)
{
	conf *c = conf_load(conf_path, err, errlen);
	if (!c)
		return -1;
	d->conf_path = conf_path;
	snprintf(d->run_dir, sizeof d->run_dir, "%s", conf_get(c, "run_dir", "/run/aedesk"));
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", d->run_dir);
	snprintf(d->log_dir, sizeof d->log_dir, "%s/log", dirname(tmp));
	conf_free(c);
	ssize_t n = readlink("/proc/self/exe", tmp, sizeof tmp - 1);
	if (n <= 0) {
		snprintf(err, errlen, "cannot find my own binary");
		return -1;
	}
	tmp[n] = 0;
	snprintf(d->bin_dir, sizeof d->bin_dir, "%s", dirname(tmp));
	return 0;
}

pid_t ctl_pid(const struct deployment *d, const char *svc)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s.pid", d->run_dir, svc);
	FILE *f = fopen(path, "r");
	long pid = 0;
	if (f) {
		if (fscanf(f, "%ld", &pid) != 1)
			pid = 0;
		fclose(f);
	}
	return (pid_t)pid;
}

/* gone: the process has exited (reaped, or a zombie of ours that we now reap). */
static int gone(pid_t pid)
{
	if (waitpid(pid, NULL, WNOHANG) == pid)
		return 1;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 1;
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

int ctl_stop(const struct deployment *d, const char *svc)
{
	pid_t pid = ctl_pid(d, svc);
	if (pid <= 0 || kill(pid, SIGTERM) != 0)
		return -1;
	for (int i = 0; i < 1500; i++) {
		if (gone(pid))
			return 0;
		usleep(10000);
	}
	fprintf(stderr, "aedesk-%s (pid %d) did not stop in 15 s: killing it\n", svc, (int)pid);
	kill(pid, SIGKILL);
	for (int i = 0; i < 500 && !gone(pid); i++)
		usleep(10000);
	return 0;
}

pid_t ctl_start(const struct deployment *d, const char *svc, int64_t *t_exec_ns)
{
	char exe[700], log[700], pidf[700];
	snprintf(exe, sizeof exe, "%s/aedesk-%s", d->bin_dir, svc);
	snprintf(log, sizeof log, "%s/%s.log", d->log_dir, svc);
	snprintf(pidf, sizeof pidf, "%s/%s.pid", d->run_dir, svc);
	fflush(NULL);
	*t_exec_ns = bench_now_ns();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setsid();
		int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0640);
		int in = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (in >= 0)
			dup2(in, 0);
		execl(exe, exe, "--conf", d->conf_path, (char *)NULL);
		_exit(127);
	}
	FILE *f = fopen(pidf, "w");
	if (f) {
		fprintf(f, "%d\n", (int)pid);
		fclose(f);
	}
	return pid;
}

int ctl_health(const char *url, int timeout_ms, Aedesk__Health **out)
{
	char err[256], msg[256];
	*out = NULL;
	aeclient *c = aeclient_open(url, timeout_ms, err, sizeof err);
	if (!c)
		return -1;
	Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
	Aedesk__Status st;
	int rc = aeclient_call(c, &q.base, &aedesk__health__descriptor, &st, msg, sizeof msg,
	    (ProtobufCMessage **)out);
	aeclient_close(c);
	if (rc != 0 || st != AEDESK__STATUS__OK) {
		wire_free(*out ? &(*out)->base : NULL);
		*out = NULL;
		return -1;
	}
	return 0;
}

uint64_t ctl_cursor(const Aedesk__Health *h, const char *source)
{
	for (size_t i = 0; h && i < h->n_cursors; i++)
		if (strcmp(h->cursors[i]->source, source) == 0)
			return h->cursors[i]->seq;
	return 0;
}

int64_t ctl_wait_health(const char *url, int64_t t0, int64_t limit_ns)
{
	while (bench_now_ns() - t0 < limit_ns) {
		Aedesk__Health *h;
		if (ctl_health(url, 1000, &h) == 0) {
			int64_t t = bench_now_ns() - t0;
			wire_free(&h->base);
			return t;
		}
		usleep(200);
	}
	return -1;
}

int ctl_rss(pid_t pid, long *rss, long *anon, long *file)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	*rss = *anon = *file = -1;
	while (fgets(line, sizeof line, f)) {
		sscanf(line, "VmRSS: %ld", rss);
		sscanf(line, "RssAnon: %ld", anon);
		sscanf(line, "RssFile: %ld", file);
	}
	fclose(f);
	return *rss >= 0 ? 0 : -1;
}

/* ctl_cpu_us: user + system CPU time of every aedesk service with a pid file, in µs. */
int64_t ctl_cpu_us(const struct deployment *d)
{
	static const char *const svcs[] = {"registry", "jobs", "scheduler", "scorer", "status"};
	int64_t total = 0;
	long hz = sysconf(_SC_CLK_TCK);
	for (size_t i = 0; i < sizeof svcs / sizeof svcs[0]; i++) {
		pid_t pid = ctl_pid(d, svcs[i]);
		char path[64], buf[1024];
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		FILE *f = pid > 0 ? fopen(path, "r") : NULL;
		if (!f)
			continue;
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = 0;
		/* Fields after the command (which may hold spaces): state is field 3, utime 14, stime 15. */
		char *p = strrchr(buf, ')');
		unsigned long long ut, st;
		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) == 2)
			total += (int64_t)((ut + st) * 1000000ull / (unsigned long long)hz);
	}
	return total;
}
