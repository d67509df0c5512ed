/*
 * NAME
 *	aedesk - the account department's command line
 *
 * SYNOPSIS
 *	aedesk [--conf PATH] [--json] [--lang zh|en] COMMAND [ARGS...]
 *
 * DESCRIPTION
 *	Talks to the aedesk services named in the configuration file (found as described
 *	in conf.h: --conf, $AEDESK_CONF, $AEDESK_HOME/aedesk.conf, ./var/aedesk.conf,
 *	/etc/aedesk/aedesk.conf). Tables line up Chinese text by display width; --json
 *	prints each reply with the .proto field names for scripts.
 *
 * DIAGNOSTICS
 *	Errors go to stderr in the user's language with the status name; see cli.h for the
 *	exit codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "pbjson.h"
#include "registry.pb-c.h"
#include "transport.h"
#include "wire.h"

struct cli cli = {.lang = "zh", .timeout_ms = 30000};

#define CLI_MAX_COMMANDS 64

static struct command {
	const char *name;
	int (*fn)(int, char **);
	int order;
	const char *zh, *en;
} commands[CLI_MAX_COMMANDS];
static size_t ncommands;

void cli_register(const char *name, int (*fn)(int, char **), int order, const char *zh, const char *en)
{
	if (ncommands == CLI_MAX_COMMANDS)
		abort(); /* a programming error: raise CLI_MAX_COMMANDS */
	commands[ncommands++] = (struct command){name, fn, order, zh, en};
}

static int by_order(const void *a, const void *b)
{
	const struct command *x = a, *y = b;
	return x->order != y->order ? x->order - y->order : strcmp(x->name, y->name);
}

const char *cli_t(const char *zh, const char *en) { return strcmp(cli.lang, "en") == 0 ? en : zh; }

static void usage(FILE *f)
{
	fprintf(f, "%s\n\n", cli_t("用法：aedesk [--conf 路径] [--json] [--lang zh|en] 命令 [参数...]",
				 "usage: aedesk [--conf PATH] [--json] [--lang zh|en] COMMAND [ARGS...]"));
	qsort(commands, ncommands, sizeof commands[0], by_order);
	for (size_t i = 0; i < ncommands; i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, cli_t(commands[i].zh, commands[i].en));
	fprintf(f, "\n%s\n",
	    cli_t("选项：\n  --conf 路径   配置文件（默认 $AEDESK_CONF、$AEDESK_HOME/aedesk.conf、./var/aedesk.conf、/etc/aedesk/aedesk.conf）\n"
		  "  --json        以 JSON 输出（字段名同 .proto）\n  --lang zh|en  界面语言（默认中文；LANG=en* 时为英文）\n\n"
		  "先登录：aedesk login admin（初始密码见 $AEDESK_HOME/admin.password）",
		"options:\n  --conf PATH   configuration file (default $AEDESK_CONF, $AEDESK_HOME/aedesk.conf, ./var/aedesk.conf, /etc/aedesk/aedesk.conf)\n"
		"  --json        print JSON (the .proto field names)\n  --lang zh|en  language (default Chinese; English when LANG=en*)\n\n"
		"Log in first: aedesk login admin (first password in $AEDESK_HOME/admin.password)"));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "aedesk %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", cli_t("（用 --help 查看用法）", "(see --help)"));
	return EXIT_USAGE;
}

int cli_one_id(int argc, char **argv, const char *cmd, const char *usage_zh, const char *usage_en,
    const char *what_zh, const char *what_en, int *rc)
{
	if (argc == 2 && argv[1][0] != '-')
		return 0;
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("%s\n", cli_t(usage_zh, usage_en));
		*rc = 0;
	} else
		*rc = cli_usage_error(cmd, "%s", cli_t(what_zh, what_en));
	return -1;
}

void cli_format_time(long long ms, char *buf, size_t len)
{
	/* Shown in the agency's zone (config "timezone", default Asia/Shanghai). */
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

int cli_token_path(char *buf, size_t len)
{
	const char *f = getenv("AEDESK_TOKEN_FILE");
	if (f && *f)
		return snprintf(buf, len, "%s", f) < (int)len ? 0 : -1;
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	if (x && *x)
		snprintf(buf, len, "%s/aedesk/token", x);
	else if (h && *h)
		snprintf(buf, len, "%s/.config/aedesk/token", h);
	else
		return -1;
	return 0;
}

int cli_token_save(const uint8_t *tok, size_t len)
{
	char path[1024], dir[1024];
	if (cli_token_path(path, sizeof path) != 0)
		return -1;
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(dir, 0700);
			*p = '/';
		}
	size_t blen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(blen);
	if (!b64)
		return -1;
	sodium_bin2base64(b64, blen, tok, len, sodium_base64_VARIANT_ORIGINAL);
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ok = fd >= 0 && write(fd, b64, strlen(b64)) == (ssize_t)strlen(b64) && write(fd, "\n", 1) == 1;
	if (fd >= 0)
		close(fd);
	free(b64);
	return ok ? 0 : -1;
}

int cli_token_load(uint8_t **tok, size_t *len)
{
	char path[1024], b64[8192];
	if (cli_token_path(path, sizeof path) != 0)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(b64, 1, sizeof b64 - 1, f);
	fclose(f);
	b64[n] = 0;
	while (n && (b64[n - 1] == '\n' || b64[n - 1] == '\r'))
		b64[--n] = 0;
	*tok = malloc(n + 1);
	if (!*tok || sodium_base642bin(*tok, n + 1, b64, n, NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(*tok);
		*tok = NULL;
		return -1;
	}
	return 0;
}

int cli_read_password(const char *prompt, int from_stdin, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = !from_stdin && isatty(STDIN_FILENO);
	if (!from_stdin && !tty) {
		fprintf(stderr, "aedesk: %s\n",
		    cli_t("没有终端可读密码：请加 --password-stdin 从标准输入读取",
			"no terminal to read the password from: add --password-stdin"));
		return -1;
	}
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)len, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!got)
		return -1;
	size_t n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = 0;
	return 0;
}

void cli_print_json(const ProtobufCMessage *m)
{
	pbjson_print(stdout, m, 2);
	fputc('\n', stdout);
}

/*
 * renew_if_due exchanges the saved token for a fresh one once half its life has passed,
 * so staff who keep working stay logged in ("12 hours of work"), while an idle token
 * still expires. Quietly does nothing when it cannot.
 */
static void renew_if_due(void)
{
	uint8_t *tok;
	size_t len;
	if (cli_token_load(&tok, &len) != 0)
		return;
	Aedesk__TokenBody *b = len > 65 ? (Aedesk__TokenBody *)wire_unpack(&aedesk__token_body__descriptor,
					      tok + 65, len - 65, NULL)
					: NULL;
	int64_t now = wire_now_ms();
	int due = b && now > b->issued_ms + (b->expires_ms - b->issued_ms) / 2 && now < b->expires_ms;
	wire_free(b ? &b->base : NULL);
	if (due) {
		char url[512], err[512], msg[256];
		aeclient *c = conf_endpoint(cli.conf, "registry", "rep", url, sizeof url) == 0
		    ? aeclient_open(url, cli.timeout_ms, err, sizeof err)
		    : NULL;
		if (c) {
			aeclient_set_token(c, tok, len);
			Aedesk__TokenRenewRequest q = AEDESK__TOKEN_RENEW_REQUEST__INIT;
			Aedesk__Status st;
			Aedesk__LoginReply *r = NULL;
			if (aeclient_call(c, &q.base, &aedesk__login_reply__descriptor, &st, msg, sizeof msg,
				(ProtobufCMessage **)&r) == 0 && st == AEDESK__STATUS__OK && r)
				cli_token_save(r->token.data, r->token.len);
			wire_free(r ? &r->base : NULL);
			aeclient_close(c);
		}
	}
	free(tok);
}

/* call sends one request and reports a refusal or an unreachable service itself. */
static int call(const char *service, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
    ProtobufCMessage **reply, int with_token)
{
	char url[512], err[1024];
	if (conf_endpoint(cli.conf, service, "rep", url, sizeof url) != 0)
		return EXIT_USAGE;
	aeclient *c = aeclient_open(url, cli.timeout_ms, err, sizeof err);
	if (!c) {
		fprintf(stderr, "aedesk: %s %s (%s)\n",
		    cli_t("无法连接服务", "cannot reach the service"), service, err);
		fprintf(stderr, "%s\n", cli_t("服务是否已启动？运行 deploy/up 或查看 aedesk status",
					   "Is it running? Start it with deploy/up, or check aedesk status"));
		return EXIT_UNREACHABLE;
	}
	aeclient_set_lang(c, cli.lang);
	if (with_token) {
		uint8_t *tok;
		size_t len;
		if (cli_token_load(&tok, &len) == 0) {
			aeclient_set_token(c, tok, len);
			free(tok);
		}
	}
	Aedesk__Status st = AEDESK__STATUS__OK;
	char msg[1024];
	int rc = aeclient_call(c, req, rd, &st, msg, sizeof msg, reply);
	aeclient_close(c);
	if (rc != 0) {
		fprintf(stderr, "aedesk: %s %s: %s\n", cli_t("服务没有应答", "no answer from"), service, msg);
		return EXIT_UNREACHABLE;
	}
	if (st != AEDESK__STATUS__OK) {
		fprintf(stderr, "aedesk: %s [%s]\n", msg, aedesk__status__descriptor.values[st].name);
		return EXIT_REFUSED;
	}
	if (with_token)
		renew_if_due();
	return 0;
}

int cli_call(const char *service, const ProtobufCMessage *req, const ProtobufCMessageDescriptor *rd,
    ProtobufCMessage **reply)
{
	return call(service, req, rd, reply, 1);
}

int cli_call_notoken(const char *service, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *rd, ProtobufCMessage **reply)
{
	return call(service, req, rd, reply, 0);
}

static const char *pick_lang(const char *opt)
{
	if (opt)
		return i18n_lang(opt);
	const char *vars[] = {"AEDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 4; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return i18n_lang(v);
	}
	return "zh";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"conf", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'}, {"lang", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	const char *path = NULL, *lang = NULL;
	int ch;
	if (sodium_init() < 0)
		return 1;
	while ((ch = getopt_long(argc, argv, "+c:jl:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'j':
			cli.json = 1;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'V':
			printf("aedesk %s\n", AEDESK_VERSION);
			return 0;
		case 'h':
			cli.lang = pick_lang(lang);
			usage(stdout);
			return 0;
		default:
			cli.lang = pick_lang(lang);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	cli.lang = pick_lang(lang);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	for (size_t i = 0; i < ncommands; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		char buf[1024], err[1200];
		if (!path)
			path = conf_find_default(buf, sizeof buf);
		/* Help, and the permission table, need no installation: they answer without one. */
		int local = 0;
		for (int a = optind + 1; a < argc; a++)
			local |= strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0;
		local |= strcmp(name, "admin") == 0 && optind + 1 < argc && strcmp(argv[optind + 1], "permissions") == 0;
		if (!path && !local) {
			fprintf(stderr, "aedesk: %s\n",
			    cli_t("找不到配置文件：请先运行 deploy/up，或用 --conf / AEDESK_CONF 指定",
				"no configuration file found: run deploy/up first, or give --conf / AEDESK_CONF"));
			return EXIT_USAGE;
		}
		if (!path)
			cli.conf = conf_empty();
		else if (!(cli.conf = conf_load(path, err, sizeof err))) {
			fprintf(stderr, "aedesk: %s\n", err);
			return EXIT_USAGE;
		}
		/* tls+tcp endpoints need our certificate; ipc ones work without it. */
		if (transport_init(cli.conf, err, sizeof err) != 0)
			fprintf(stderr, "aedesk: %s\n", err);
		setenv("TZ", conf_get(cli.conf, "timezone", "Asia/Shanghai"), 1);
		tzset();
		int sub_argc = argc - optind;
		char **sub_argv = argv + optind;
		optind = 0; /* each command parses its own options from its argv */
		int rc = commands[i].fn(sub_argc, sub_argv);
		conf_free(cli.conf);
		return rc;
	}
	fprintf(stderr, "aedesk: %s '%s'\n", cli_t("没有这个命令", "no such command"), name);
	usage(stderr);
	return EXIT_USAGE;
}
