/*
 * NAME
 *	aedesk-push - notifications to the staff's chat robots (WeCom, DingTalk, Feishu)
 *
 * SYNOPSIS
 *	aedesk-push [--conf PATH]
 *
 * DESCRIPTION
 *	Applies the scheduler's Notification events (a normal source of the skeleton: each
 *	one once, in order, across restarts) and queues each to the webhook of the staff
 *	member ("staff:<id>") and of their AM's team ("team:<AM id>") in its own delivery
 *	outbox, in the same transaction. Sender threads post them with libcurl; the tick
 *	records the outcome, retries with exponential backoff, keeps each webhook within the
 *	platform's rate limits and holds messages in quiet hours. See outbox.c and send.c.
 *
 *	The scheduler publishes a notification on notify/<staff>/, not on scheduler/: push
 *	learns of it from the scheduler's next heartbeat (or its next other event), which
 *	shows its outbox ahead and makes push replay it, within heartbeat_ms.
 *
 *	Config: timezone_offset_min (480), push.quiet (22:00-08:00; "off" for none),
 *	push.urgent_rules (ALERT), push.prefix (【aedesk】), push.retry_base_ms (30000),
 *	push.retry_max_ms (3600000), push.give_up_days (3), push.keep_days (30),
 *	push.timeout_ms (15000), push.senders (2), push.rate.wecom.per_min (20),
 *	push.rate.dingtalk.per_min (20), push.rate.feishu.per_min (100),
 *	push.rate.feishu.per_s (5), push.rate.<kind>.per_s (0: none), push.test_clock (off).
 *
 * SECURITY
 *	Webhook URLs and secrets are credentials: kept in this service's store only, never
 *	logged, shown masked.
 *
 * SEE ALSO
 *	proto/push.proto, push.h, outbox.c, send.c, hooks.c, sign.c, cli/cmd_push.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "perm.h"
#include "policy.h"
#include "push.h"
#include "wire.h"

struct push push;

int64_t push_clock(svc *s)
{
	(void)s;
	return wire_now_ms() + atomic_load(&push.offset_ms);
}

static const char *const kinds[] = {"wecom", "dingtalk", "feishu"};

int push_kind_index(const char *kind)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return i;
	return -1;
}

static void load_conf(const conf *c)
{
	push.tz_ms = conf_int_or_die(c, "timezone_offset_min", 480, -840, 840) * 60000;
	const char *q = conf_get(c, "push.quiet", "22:00-08:00");
	if (push_quiet_parse(q, &push.quiet_from, &push.quiet_to) != 0)
		log_fatal("push.quiet must be HH:MM-HH:MM in the agency's time (e.g. 22:00-08:00) or off, not '%s'", q);
	snprintf(push.urgent_rules, sizeof push.urgent_rules, "%s", conf_get(c, "push.urgent_rules", "ALERT"));
	snprintf(push.prefix, sizeof push.prefix, "%s", conf_get(c, "push.prefix", "【aedesk】"));
	push.retry_base_ms = conf_int_or_die(c, "push.retry_base_ms", 30000, 10, 86400000);
	push.retry_max_ms = conf_int_or_die(c, "push.retry_max_ms", 3600000, push.retry_base_ms, 7 * 86400000LL);
	push.give_up_ms = conf_int_or_die(c, "push.give_up_days", 3, 1, 365) * 86400000LL;
	push.keep_ms = conf_int_or_die(c, "push.keep_days", 30, 1, 3650) * 86400000LL;
	push.timeout_ms = conf_int_or_die(c, "push.timeout_ms", 15000, 100, 120000);
	push.nsenders = (int)conf_int_or_die(c, "push.senders", 2, 1, PUSH_MAX_SENDERS);
	static const int dmin[] = {20, 20, 100}, ds[] = {0, 0, 5};
	for (int i = 0; i < 3; i++) {
		char key[64];
		snprintf(key, sizeof key, "push.rate.%s.per_min", kinds[i]);
		push.per_min[i] = (int)conf_int_or_die(c, key, dmin[i], 0, PUSH_RATE_SLOTS);
		snprintf(key, sizeof key, "push.rate.%s.per_s", kinds[i]);
		push.per_s[i] = (int)conf_int_or_die(c, key, ds[i], 0, PUSH_RATE_SLOTS);
	}
	const char *tc = conf_get(c, "push.test_clock", "off");
	push.test_clock = strcmp(tc, "on") == 0;
}

static int push_open(svc *s, svc_req *r)
{
	push.svc = s;
	push.conf = svc_conf(s);
	load_conf(push.conf);
	if (push.test_clock)
		atomic_store(&push.offset_ms, (int64_t)store_get_u64(r->txn, push.meta, "clock_offset_ms", 0));
	if (!push.nthreads && push_senders_start() != 0) /* open may be redone (a full map) */
		log_fatal("cannot start the sender threads");
	return 0;
}

static void push_close(svc *s)
{
	(void)s;
	push_senders_stop();
	struct push_job *lists[2] = {push.recorded, push.staged};
	for (int k = 0; k < 2; k++)
		for (struct push_job *j = lists[k], *n; j; j = n) {
			n = j->next;
			push_job_free(j);
		}
	push.recorded = push.staged = NULL;
	free(push.rates);
	push.rates = NULL;
}

static const struct svc_handler handlers[] = {
	{&aedesk__push_set_request__descriptor, push_set, SVC_WRITES},
	{&aedesk__push_list_request__descriptor, push_list, 0},
	{&aedesk__push_remove_request__descriptor, push_remove, SVC_WRITES},
	{&aedesk__push_test_request__descriptor, push_test, SVC_WRITES},
	{&aedesk__push_status_request__descriptor, push_status, 0},
	{&aedesk__push_clock_set_request__descriptor, push_clock_set, SVC_WRITES},
};

static const char *const sources[] = {"registry", "scheduler", NULL};

static const struct svc_event_handler events[] = {
	{"registry", &aedesk__staff_added__descriptor, push_on_staff_added},
	{"registry", &aedesk__staff_disabled__descriptor, push_on_staff_disabled},
	{"scheduler", &aedesk__notification__descriptor, push_on_notification},
};

static const store_table tables[] = {
	{"hooks", &push.hooks},
	{"out", &push.out},
	{"pending", &push.pending},
	{"staff", &push.staff},
	{"push_meta", &push.meta},
	{NULL, NULL},
};

static const struct svc_decl decl = {
	.name = "push",
	.summary = "aedesk-push: notifications to WeCom, DingTalk and Feishu chat robots, with retry, rate limits and quiet hours.",
	.handlers = handlers,
	.nhandlers = sizeof handlers / sizeof handlers[0],
	.sources = sources,
	.events = events,
	.nevents = sizeof events / sizeof events[0],
	.tables = tables,
	.open = push_open,
	.close = push_close,
	.clock = push_clock,
	.tick = push_tick,
	.tick_ms = 50,
	.counters = push_counters,
};

int main(int argc, char **argv)
{
	perm_set_manager_lookup(push_manager_of);
	return svc_main(&decl, argc, argv);
}
