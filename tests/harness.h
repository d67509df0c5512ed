/*
 * NAME
 *	harness.h - run real aedesk services in a temp dir, for tests
 *
 * SYNOPSIS
 *	harness h; h_setup(&h, "kill9");
 *	h_start(&h, "registry"); h_login_admin(&h);
 *	h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "华夏食品", NULL);
 *	h_kill9(&h, "registry"); h_start(&h, "registry");
 *	h_teardown(&h);
 *
 * DESCRIPTION
 *	Each harness has its own AEDESK_HOME under /tmp (short, for ipc paths), a config
 *	file, and the services it started (aedesk-<name> from AEDESK_BIN_DIR). h_cli runs
 *	the real aedesk command with that config and a token file of its own, and returns
 *	its exit code. h_call sends one request with the harness's token over a real REQ
 *	socket. h_teardown kills what is left and removes the directory.
 */
#ifndef AEDESK_HARNESS_H
#define AEDESK_HARNESS_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>
#include <sys/types.h>

#include "client.h"
#include "envelope.pb-c.h"

#define H_MAX_SVC 8

typedef struct harness {
	char home[256], conf[300], token[300];
	struct {
		char name[32];
		pid_t pid;
	} svc[H_MAX_SVC];
	uint8_t tok[4096];
	size_t toklen;
} harness;

int h_setup(harness *h, const char *tag);
/* h_conf_add appends "key = value" to the config (before services start). */
void h_conf_add(harness *h, const char *key, const char *value);
/* h_start starts aedesk-<name> and waits until it answers Health; -1 if it does not. */
int h_start(harness *h, const char *name);
void h_kill9(harness *h, const char *name);
/* h_stop sends SIGTERM and waits; returns the exit status (0 = clean). */
int h_stop(harness *h, const char *name);
/* h_teardown stops what is left; returns how many services exited uncleanly or logged a
 * sanitizer report (their directory is then kept for a look). */
int h_teardown(harness *h);
int h_wait_ready(harness *h, const char *name, int ms);

/* h_cli runs build/bin/aedesk with args (NULL-ended); stdin_text may be NULL. */
int h_cli(harness *h, const char *stdin_text, char *out, size_t outlen, ...);
/* h_cli_err is h_cli that also captures stderr. */
int h_cli_err(harness *h, const char *stdin_text, char *out, size_t outlen, char *err,
    size_t errlen, ...);
/* h_login logs in over the wire and keeps the token for h_call (and writes it for h_cli). */
int h_login(harness *h, const char *id, const char *password);
int h_login_admin(harness *h);
/* h_call: status of one request to service with the harness's token (-1: no answer). */
int h_call(harness *h, const char *service, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **reply);
aeclient *h_client(harness *h, const char *service, int timeout_ms);
/* h_service_client: a client carrying the service credential (keys/service.token), the
 * only token Replay answers; h_call uses it for a ReplayRequest. */
aeclient *h_service_client(harness *h, const char *service, int timeout_ms);
/* h_add_client adds a client of that name over c: 0 when acknowledged OK, else -1 with the
 * service's message in msg (when msg is not NULL). */
int h_add_client(aeclient *c, const char *name, char *msg, size_t msglen);
/* h_last_seq: a service's newest outbox seq, or (cursor_of set) its cursor for that source. */
uint64_t h_last_seq(harness *h, const char *service, const char *cursor_of);
/* h_audit_events: how many events in a service's outbox are the audit trail's own
 * (AccessRefused, LoginSucceeded) rather than state changes; -1 on no answer. */
long h_audit_events(harness *h, const char *service);
/* h_wait_consumer waits until consumer has applied everything source has, in the source
 * store's epoch; -1 after ms. */
int h_wait_consumer(harness *h, const char *consumer, const char *source, int ms);
/* h_local_time: "YYYY-MM-DD HH:MM" in the local zone, minutes from now (h_local_date: the date). */
void h_local_time(int minutes_from_now, char *buf, size_t len);
void h_local_date(int days_from_now, char *buf, size_t len);
/* h_write_file writes text to name in the harness's home; its path goes to path. */
void h_write_file(harness *h, const char *name, const char *text, char *path, size_t len);
/* h_read_file reads a small file into buf; -1 if missing. */
int h_read_file(const char *path, char *buf, size_t len);
void h_sleep_ms(int ms);
int h_contains(const char *hay, const char *needle);

/*
 * Steps of a CLI test, for files that declare `static char out[...], err[...]`:
 * H_OK runs the command and expects exit 0; H_REFUSED expects exit 1 with the status
 * name and a piece of the message on stderr (printed when it is missing).
 */
#define H_OK(h, ...)                                                                               \
	do {                                                                                       \
		int h_ok_rc_ = h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL); \
		CHECK_INT(h_ok_rc_, 0);                                                            \
		if (h_ok_rc_)                                                                      \
			fprintf(stderr, "    stderr: %s\n", err);                                     \
	} while (0)
#define H_REFUSED(h, status, needle, ...)                                                          \
	do {                                                                                       \
		CHECK_INT(h_cli_err(h, NULL, out, sizeof out, err, sizeof err, __VA_ARGS__, NULL), 1); \
		CHECK(h_contains(err, status));                                                    \
		CHECK(h_contains(err, needle));                                                    \
		if (!h_contains(err, needle) || !h_contains(err, status))                          \
			fprintf(stderr, "    stderr: %s\n", err);                                     \
	} while (0)

#endif
