/*
 * NAME
 *	cli.h - the aedesk command's shared parts
 *
 * DESCRIPTION
 *	Each command is a function (argc, argv) -> exit code, listed in main.c's table.
 *	Exit codes: 0 done; 1 the service refused (its message on stderr); 2 usage;
 *	3 a service could not be reached.
 */
#ifndef AEDESK_CLI_H
#define AEDESK_CLI_H

#include <protobuf-c/protobuf-c.h>
#include <stdio.h>

#include "client.h"
#include "conf.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_UNREACHABLE = 3 };

struct cli {
	conf *conf;
	int json;
	const char *lang;     /* "zh" or "en" */
	int timeout_ms;
};

extern struct cli cli;

/* cli_t picks the Chinese or English text. */
const char *cli_t(const char *zh, const char *en);
/* cli_call sends req to a service with the saved token and prints any refusal. */
int cli_call(const char *service, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
    ProtobufCMessage **reply);
int cli_call_notoken(const char *service, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **reply);
/* cli_print_json prints a reply as JSON (the .proto field names) with a newline. */
void cli_print_json(const ProtobufCMessage *m);
/* cli_read_password reads a password from the terminal without echo, or one line of stdin. */
int cli_read_password(const char *prompt, int from_stdin, char *buf, size_t len);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_format_time(long long ms, char *buf, size_t len);
/*
 * cli_one_id checks that a subcommand got exactly one id (argv[1]). It returns 0 when it
 * did; otherwise it has printed the usage (--help: *rc = 0) or a usage error naming
 * what is missing (*rc = EXIT_USAGE), and the caller returns *rc.
 */
int cli_one_id(int argc, char **argv, const char *cmd, const char *usage_zh, const char *usage_en,
    const char *what_zh, const char *what_en, int *rc);

/* Token storage: $AEDESK_TOKEN_FILE, else ~/.config/aedesk/token (mode 0600). */
int cli_token_save(const uint8_t *tok, size_t len);
int cli_token_load(uint8_t **tok, size_t *len);
int cli_token_path(char *buf, size_t len);

/*
 * Commands register themselves, so adding one is adding a cmd_*.c file:
 *	CLI_COMMAND("job", cmd_job, 20, "工作单：...", "jobs: ...");
 * `order` sorts the help listing (smaller first).
 */
void cli_register(const char *name, int (*fn)(int, char **), int order, const char *zh, const char *en);
#define CLI_COMMAND(name, fn, order, zh, en)                                               \
	static int fn(int, char **);                                                       \
	__attribute__((constructor)) static void cli_register_##fn(void)                   \
	{                                                                                  \
		cli_register(name, fn, order, zh, en);                                     \
	}

#endif
