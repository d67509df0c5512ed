/*
 * NAME
 *	log.h - one line per event to stderr, with level, service and request id
 *
 * SYNOPSIS
 *	log_init("registry"); log_info("req=%s client added", rid);
 *
 * DESCRIPTION
 *	The fixed vocabulary of Postfix's msg(3): info, warn, error, fatal (exits 1; only at
 *	start-up) and panic (a broken invariant; aborts). Lines look like
 *	"2026-11-27T13:40:00.123Z warn registry: message" so journald and grep both work.
 *	Never log a contact's personal data or a password (R-PRIVACY-1).
 */
#ifndef AEDESK_LOG_H
#define AEDESK_LOG_H

#include <stdarg.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_init(const char *service);
void log_set_level(enum log_level level);
int log_parse_level(const char *s, enum log_level *out);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void log_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
