/*
 * NAME
 *	cmd_visits.c - visit compliance per client and ISO week (R-VISIT-1)
 *
 * SYNOPSIS
 *	aedesk visits due [--week YYYY-Www] [--team]
 *
 * DESCRIPTION
 *	Face visits required and done this week (or --week) for the caller's clients; --team:
 *	the clients of the AM's AEs (every client for AD and admin). Clients behind come first.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "scheduler.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("visits", cmd_visits, 41, "拜访达标：aedesk visits due [--week YYYY-Www] [--team]",
    "visit compliance: aedesk visits due [--week YYYY-Www] [--team]")

static int behind_first(const void *a, const void *b)
{
	const Aedesk__SchedulerVisitWeek *x = *(Aedesk__SchedulerVisitWeek *const *)a,
	                                 *y = *(Aedesk__SchedulerVisitWeek *const *)b;
	int bx = x->done < x->required, by = y->done < y->required;
	if (bx != by)
		return by - bx;
	return strcmp(x->client_id, y->client_id);
}

static int cmd_visits(int argc, char **argv)
{
	static const struct option opts[] = {{"week", required_argument, NULL, 'w'}, {"team", no_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *usage = cli_t("用法：aedesk visits due [--week YYYY-Www] [--team]",
	    "usage: aedesk visits due [--week YYYY-Www] [--team]");
	if (argc < 2 || strcmp(argv[1], "due") != 0) {
		int help = argc >= 2 && strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr, "%s\n", usage);
		return help ? 0 : EXIT_USAGE;
	}
	argc--, argv++;
	Aedesk__SchedulerVisitsDueRequest q = AEDESK__SCHEDULER_VISITS_DUE_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "w:th", opts, NULL)) != -1) {
		switch (ch) {
		case 'w': {
			int y, w, n = -1;
			if (sscanf(optarg, "%4d-W%2d%n", &y, &w, &n) != 2 || n != 8 || optarg[n])
				return cli_usage_error("visits due", "%s '%s'",
				    cli_t("--week 须为 ISO 周 YYYY-Www（如 2026-W10），而不是", "--week must be an ISO week YYYY-Www (e.g. 2026-W10), not"),
				    optarg);
			q.iso_year = y;
			q.week = w;
			break;
		}
		case 't': q.team = 1; break;
		case 'h': printf("%s\n", usage); return 0;
		default: return cli_usage_error("visits due", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("visits due", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__SchedulerVisitsDueReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__scheduler_visits_due_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	qsort(r->rows, r->n_rows, sizeof *r->rows, behind_first);
	printf("%s %04d-W%02d\n", cli_t("周", "week"), r->iso_year, r->week);
	const char *h[] = {cli_t("客户", "CLIENT"), cli_t("名称", "NAME"), cli_t("类别", "CLASS"), "AE",
	    cli_t("应访", "REQUIRED"), cli_t("已访", "DONE"), cli_t("状态", "STATE")};
	text_table *t = text_table_new(7, h);
	for (size_t i = 0; t && i < r->n_rows; i++) {
		const Aedesk__SchedulerVisitWeek *w = r->rows[i];
		char req[16], done[16];
		snprintf(req, sizeof req, "%u", w->required);
		snprintf(done, sizeof done, "%u", w->done);
		const char *row[] = {w->client_id, w->client_name, w->class_, w->ae, req, done,
		    w->done >= w->required ? cli_t("达标", "ok") : cli_t("未达标", "behind")};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}
