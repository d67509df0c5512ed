/*
 * NAME
 *	cmd_status.c - aedesk status: is every service up?
 *
 * DESCRIPTION
 *	Asks each service for its Health directly (no token needed) and prints one row a
 *	service. Exits 1 when any is down, so scripts and monitors can use it. The list of
 *	services is every service this build has (AEDESK_SERVICE_LIST, from CMake), or the
 *	config key "services".
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "envelope.pb-c.h"
#include "pbjson.h"
#include "text.h"
#include "wire.h"

#ifndef AEDESK_SERVICE_LIST
#define AEDESK_SERVICE_LIST "registry"
#endif

CLI_COMMAND("status", cmd_status, 90, "各服务运行状态（有服务停止时退出码非 0）",
    "every service's state (non-zero exit when one is down)")

static void human_bytes(uint64_t b, char *buf, size_t len)
{
	if (b >= (1ull << 30))
		snprintf(buf, len, "%.1f GiB", (double)b / (1ull << 30));
	else
		snprintf(buf, len, "%.1f MiB", (double)b / (1ull << 20));
}

static int cmd_status(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("%s\n", cli_t("用法：aedesk status [--json]\n任一服务停止时退出码为 1。",
				    "usage: aedesk status [--json]\nExits 1 when any service is down."));
		return 0;
	}
	char list[256];
	snprintf(list, sizeof list, "%s", conf_get(cli.conf, "services", AEDESK_SERVICE_LIST));
	const char *h[] = {cli_t("服务", "SERVICE"), cli_t("状态", "STATE"), "PID", cli_t("运行时长", "UPTIME"),
	    cli_t("事件序号", "LAST SEQ"), cli_t("请求", "REQUESTS"), cli_t("错误", "ERRORS"), cli_t("存储", "STORE")};
	text_table *t = text_table_new(8, h);
	int down = 0;
	if (cli.json)
		printf("[");
	int first = 1;
	for (char *save, *name = strtok_r(list, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
		char url[512], err[1024], msg[256];
		Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
		Aedesk__Health *r = NULL;
		Aedesk__Status st = AEDESK__STATUS__OK;
		aeclient *c = NULL;
		if (conf_endpoint(cli.conf, name, "rep", url, sizeof url) == 0)
			c = aeclient_open(url, 2000, err, sizeof err);
		if (!c || aeclient_call(c, &q.base, &aedesk__health__descriptor, &st, msg, sizeof msg,
			      (ProtobufCMessage **)&r) != 0 || st != AEDESK__STATUS__OK || !r) {
			down++;
			const char *row[] = {name, cli_t("停止", "DOWN"), "-", "-", "-", "-", "-", "-"};
			if (t)
				text_table_add(t, row);
			if (cli.json)
				printf("%s\n  {\"service\": \"%s\", \"up\": false}", first ? "" : ",", name);
		} else {
			char pid[16], up[32], seq[24], req[24], errs[24], used[24], map[24], store[64];
			snprintf(pid, sizeof pid, "%d", r->pid);
			long long s = r->uptime_ms / 1000;
			snprintf(up, sizeof up, "%lldd %02lld:%02lld:%02lld", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
			snprintf(seq, sizeof seq, "%llu", (unsigned long long)r->last_seq);
			snprintf(req, sizeof req, "%llu", (unsigned long long)r->requests);
			snprintf(errs, sizeof errs, "%llu", (unsigned long long)r->errors);
			human_bytes(r->store_bytes, used, sizeof used);
			human_bytes(r->map_bytes, map, sizeof map);
			snprintf(store, sizeof store, "%s / %s", used, map);
			const char *row[] = {name, cli_t("运行", "up"), pid, up, seq, req, errs, store};
			if (t)
				text_table_add(t, row);
			if (cli.json) {
				printf("%s\n  ", first ? "" : ",");
				pbjson_print(stdout, &r->base, 0);
			}
		}
		first = 0;
		wire_free(r ? &r->base : NULL);
		aeclient_close(c);
	}
	if (cli.json)
		printf("\n]\n");
	else if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	return down ? EXIT_REFUSED : 0;
}
