/*
 * NAME
 *	log.c - one-line diagnostics to stderr
 *
 * DESCRIPTION
 *	Each call writes one whole line with a single write(2), so lines from several
 *	threads never interleave. See log.h.
 */
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char log_service[32] = "aedesk";
static enum log_level log_min = LOG_INFO;

/* log_init names the service that every line carries. */
void log_init(const char *service)
{
	snprintf(log_service, sizeof log_service, "%s", service);
	const char *lv = getenv("AEDESK_LOG_LEVEL");
	enum log_level l;
	if (lv && log_parse_level(lv, &l) == 0)
		log_min = l;
}

void log_set_level(enum log_level level) { log_min = level; }

/* log_parse_level maps "debug", "info", "warn", "error"; -1 for anything else. */
int log_parse_level(const char *s, enum log_level *out)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

/* log_line formats the prefix and the message into one buffer and writes it once. */
static void log_line(const char *level, const char *fmt, va_list ap)
{
	char buf[2048];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s[%d]: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, level, log_service, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof buf)
		n = 0;
	int m = vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof buf - 2)
		len = sizeof buf - 2;
	buf[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, buf, len);
	(void)w;
}

#define LOG_FN(fn, lvl, name)                                                            \
	void fn(const char *fmt, ...)                                                    \
	{                                                                                \
		if (log_min > lvl)                                                       \
			return;                                                          \
		va_list ap;                                                              \
		va_start(ap, fmt);                                                       \
		log_line(name, fmt, ap);                                                 \
		va_end(ap);                                                              \
	}
LOG_FN(log_debug, LOG_DEBUG, "debug")
LOG_FN(log_info, LOG_INFO, "info")
LOG_FN(log_warn, LOG_WARN, "warn")
LOG_FN(log_error, LOG_ERROR, "error")

/* log_fatal is for start-up failures the admin must fix: say what, then exit 1. */
void log_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("fatal", fmt, ap);
	va_end(ap);
	exit(1);
}

/* log_panic is for a broken invariant: a bug, never bad input. */
void log_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("panic", fmt, ap);
	va_end(ap);
	abort();
}
