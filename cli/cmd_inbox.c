/*
 * NAME
 *	cmd_inbox.c - the staff member's notification inbox
 *
 * SYNOPSIS
 *	aedesk inbox [--unread] [--all]
 *	aedesk inbox read ID
 *	aedesk inbox done ID
 *	aedesk inbox --follow [--since ID] [--count N] [--timeout SECONDS]
 *
 * DESCRIPTION
 *	Lists the caller's notifications (default: those not done; --unread: only unread;
 *	--all: done ones too), marks one read or done.
 *
 *	--follow subscribes to the scheduler's PUB socket on notify/<me>/ and prints each
 *	notification as it arrives. It never prints from the published message itself:
 *	whatever arrives (or a (re)connect, or five quiet seconds) makes it ask the inbox for
 *	everything after the last id it printed, so what was published while it was away
 *	or dropped by pub/sub is printed too, once, in order. It starts by printing the
 *	unread ones (or those after --since ID). --count and --timeout end it (for scripts).
 */
#include <getopt.h>
#include <nng/nng.h>
#include <nng/protocol/pubsub0/sub.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "scheduler.pb-c.h"
#include "text.h"
#include "transport.h"
#include "wire.h"

CLI_COMMAND("inbox", cmd_inbox, 40, "收件箱：提醒与通知（aedesk inbox --help）",
    "inbox: reminders and notifications (aedesk inbox --help)")

#define INBOX_USAGE_ZH                                                              \
	"用法：\n  aedesk inbox [--unread] [--all]     未办的通知（--unread 仅未读，--all 含已办）\n" \
	"  aedesk inbox read 编号               标为已读\n"                                \
	"  aedesk inbox done 编号               标为已办\n"                                \
	"  aedesk inbox --follow [--since 编号] [--count N] [--timeout 秒]   实时接收通知"
#define INBOX_USAGE_EN                                                                       \
	"usage:\n  aedesk inbox [--unread] [--all]     notifications not done (--unread: only unread, --all: done too)\n" \
	"  aedesk inbox read ID                 mark read\n"                                     \
	"  aedesk inbox done ID                 mark done\n"                                     \
	"  aedesk inbox --follow [--since ID] [--count N] [--timeout SECONDS]   print them as they arrive"

static void print_line(const Aedesk__Notification *n)
{
	char when[32];
	cli_format_time(n->at_ms, when, sizeof when);
	printf("%s  %s  [%s]%s %s\n", n->id, when, n->rule, n->late ? cli_t("（迟到）", " (late)") : "", n->text);
}

static int inbox_list(int unread, int all)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.unread = unread;
	q.all = all;
	q.limit = 1000;
	Aedesk__InboxListReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("时间", "WHEN"), cli_t("规则", "RULE"), cli_t("状态", "STATE"),
	    cli_t("对象", "ABOUT"), cli_t("内容", "TEXT")};
	text_table *t = text_table_new(6, h);
	for (size_t i = 0; t && i < r->n_notifications; i++) {
		const Aedesk__Notification *n = r->notifications[i];
		char when[32], state[64], about[96];
		cli_format_time(n->at_ms, when, sizeof when);
		snprintf(state, sizeof state, "%s%s",
		    n->done ? cli_t("已办", "done") : n->read ? cli_t("已读", "read") : cli_t("未读", "unread"),
		    n->late ? cli_t("，迟到", ", late") : "");
		snprintf(about, sizeof about, "%s %s", n->object_type, n->object_id);
		const char *row[] = {n->id, when, n->rule, state, about, n->text};
		text_table_add(t, row);
	}
	if (t && r->n_notifications)
		text_table_print(t, stdout);
	else if (t)
		printf("%s\n", cli_t("收件箱里没有通知。", "No notifications."));
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int inbox_mark(int argc, char **argv, int done)
{
	if (argc != 2)
		return cli_usage_error(done ? "inbox done" : "inbox read", "%s",
		    cli_t("请给出一个通知编号", "give one notification id"));
	Aedesk__InboxMarkRequest q = AEDESK__INBOX_MARK_REQUEST__INIT;
	q.id = argv[1];
	q.read = 1;
	q.done = done;
	Aedesk__InboxMarkReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__inbox_mark_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf("%s %s\n", r->notification->id, done ? cli_t("已办", "done") : cli_t("已读", "read"));
	wire_free(&r->base);
	return 0;
}

/* my_id: the staff id the saved token names (read, not verified: the services verify it). */
static int my_id(char *out, size_t len)
{
	uint8_t *tok;
	size_t n;
	if (cli_token_load(&tok, &n) != 0)
		return -1;
	int rc = -1;
	if (n > 1 + crypto_sign_BYTES) {
		Aedesk__TokenBody *b = (Aedesk__TokenBody *)wire_unpack(&aedesk__token_body__descriptor,
		    tok + 1 + crypto_sign_BYTES, n - 1 - crypto_sign_BYTES, NULL);
		if (b && b->staff_id[0] && strlen(b->staff_id) < len) {
			snprintf(out, len, "%s", b->staff_id);
			rc = 0;
		}
		wire_free(b ? &b->base : NULL);
	}
	free(tok);
	return rc;
}

static atomic_int reconnected;

static void on_pipe(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void)p, (void)ev, (void)arg;
	atomic_store(&reconnected, 1);
}

/* catch_up prints everything after *last (or the unread ones when *last is empty). */
static int catch_up(char *last, size_t len, long *printed, long count)
{
	Aedesk__InboxListRequest q = AEDESK__INBOX_LIST_REQUEST__INIT;
	q.after_id = last;
	q.all = 1;
	q.unread = !last[0];
	q.limit = 1000;
	Aedesk__InboxListReply *r;
	if (cli_call("scheduler", &q.base, &aedesk__inbox_list_reply__descriptor, (ProtobufCMessage **)&r))
		return -1;
	for (size_t i = 0; i < r->n_notifications && (!count || *printed < count); i++) {
		print_line(r->notifications[i]);
		snprintf(last, len, "%s", r->notifications[i]->id);
		++*printed;
	}
	if (!last[0] || (!count || *printed < count))
		if (r->last_id[0])
			snprintf(last, len, "%s", r->last_id);
	fflush(stdout);
	wire_free(&r->base);
	return 0;
}

static int inbox_follow(const char *since, long count, long timeout_s)
{
	char me[64], topic[80], url[512], last[32] = "";
	if (my_id(me, sizeof me) != 0) {
		fprintf(stderr, "%s\n", cli_t("请先登录（aedesk login）", "log in first (aedesk login)"));
		return EXIT_REFUSED;
	}
	if (since)
		snprintf(last, sizeof last, "%s", since);
	snprintf(topic, sizeof topic, "notify/%s/", me);
	nng_socket sub;
	if (nng_sub0_open(&sub) != 0 || conf_endpoint(cli.conf, "scheduler", "pub", url, sizeof url) != 0) {
		fprintf(stderr, "%s\n", cli_t("无法打开订阅", "cannot open the subscription"));
		return EXIT_UNREACHABLE;
	}
	nng_socket_set_size(sub, NNG_OPT_RECVMAXSZ, 1 << 20);
	nng_socket_set(sub, NNG_OPT_SUB_SUBSCRIBE, topic, strlen(topic));
	nng_socket_set_ms(sub, NNG_OPT_RECVTIMEO, 500);
	nng_pipe_notify(sub, NNG_PIPE_EV_ADD_POST, on_pipe, NULL);
	transport_dial(sub, url, NULL, NNG_FLAG_NONBLOCK); /* tls+tcp too */
	long printed = 0;
	int64_t start = wire_now_ms(), next_poll = 0;
	catch_up(last, sizeof last, &printed, count);
	while (!count || printed < count) {
		int64_t now = wire_now_ms();
		if (timeout_s && now - start >= timeout_s * 1000)
			break;
		char *buf = NULL;
		size_t sz;
		int got = nng_recv(sub, &buf, &sz, NNG_FLAG_ALLOC) == 0;
		if (got)
			nng_free(buf, sz);
		if (got || atomic_exchange(&reconnected, 0) || wire_now_ms() >= next_poll) {
			catch_up(last, sizeof last, &printed, count);
			next_poll = wire_now_ms() + 5000;
		}
	}
	/* nng_close on a SUB socket can hang (NNG #1543): the process is ending anyway. */
	return 0;
}

static int cmd_inbox(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "read") == 0)
		return inbox_mark(argc - 1, argv + 1, 0);
	if (argc >= 2 && strcmp(argv[1], "done") == 0)
		return inbox_mark(argc - 1, argv + 1, 1);
	static const struct option opts[] = {{"unread", no_argument, NULL, 'u'}, {"all", no_argument, NULL, 'a'},
	    {"follow", no_argument, NULL, 'f'}, {"since", required_argument, NULL, 's'},
	    {"count", required_argument, NULL, 'c'}, {"timeout", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int unread = 0, all = 0, follow = 0, ch;
	long count = 0, timeout_s = 0;
	const char *since = NULL;
	char *end;
	while ((ch = getopt_long(argc, argv, "uafs:c:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'u': unread = 1; break;
		case 'a': all = 1; break;
		case 'f': follow = 1; break;
		case 's': since = optarg; break;
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end || count < 1)
				return cli_usage_error("inbox", "%s", cli_t("--count 须为正整数", "--count must be a positive number"));
			break;
		case 't':
			timeout_s = strtol(optarg, &end, 10);
			if (*end || timeout_s < 1)
				return cli_usage_error("inbox", "%s", cli_t("--timeout 须为正整数（秒）", "--timeout must be a positive number of seconds"));
			break;
		case 'h':
			printf("%s\n", cli_t(INBOX_USAGE_ZH, INBOX_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("inbox", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("inbox", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	if (follow)
		return inbox_follow(since, count, timeout_s);
	return inbox_list(unread, all);
}
