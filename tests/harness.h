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
/* h_read_file reads a small file into buf; -1 if missing. */
int h_read_file(const char *path, char *buf, size_t len);
void h_sleep_ms(int ms);
int h_contains(const char *hay, const char *needle);

#endif
