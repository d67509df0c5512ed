/*
 * NAME
 *	cmd_calendar.c - the holiday calendar and the calendar feed
 *
 * SYNOPSIS
 *	aedesk calendar load FILE
 *	aedesk calendar export [--staff ID] [--days N] [--out FILE]
 *
 * DESCRIPTION
 *	load: a new year's holiday notice (holiday-cn JSON, like deploy/data/holidays-cn/
 *	2026.json: official days off and adjusted working days, 调休) is checked, kept by the
 *	scheduler and applied at once: calendar reminders of days that became days off are
 *	cancelled, days that became working days get theirs. AD or admin.
 *	export: the staff member's upcoming reminders and the meetings they organise (next
 *	--days, default 60) as iCalendar (RFC 5545) on stdout or into --out, for a phone or
 *	desktop calendar. Your own; an AM their AEs'; AD and admin anyone's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "scheduler.pb-c.h"
#include "wire.h"

CLI_COMMAND("calendar", cmd_calendar, 43, "节假日日历与日历订阅：load | export",
    "the holiday calendar and the calendar feed: load | export")

static const char usage_zh[] = "用法：\n"
                               "  aedesk calendar load 文件        载入新一年的节假日通知（holiday-cn JSON，含调休）\n"
                               "  aedesk calendar export [--staff 员工编号] [--days N] [--out 文件]\n"
                               "                                  导出即将到来的提醒和会议（iCalendar .ics，默认 60 天）";
static const char usage_en[] = "usage:\n"
                               "  aedesk calendar load FILE       load a new year's holiday notice (holiday-cn JSON, with 调休)\n"
                               "  aedesk calendar export [--staff ID] [--days N] [--out FILE]\n"
                               "                                  upcoming reminders and meetings as iCalendar (.ics, 60 days)";

static int calendar_load(int argc, char **argv)
{
	int rc;
	if (cli_one_id(argc, argv, "calendar load", "用法：aedesk calendar load 文件", "usage: aedesk calendar load FILE",
	        "须给出一个节假日通知文件", "give one holiday notice FILE", &rc))
		return rc;
	const char *path = argv[1], *base = strrchr(path, '/');
	char *text = jobcli_read_file("calendar load", path);
	if (!text)
		return EXIT_USAGE;
	Aedesk__CalendarLoadRequest q = AEDESK__CALENDAR_LOAD_REQUEST__INIT;
	q.name = (char *)(base ? base + 1 : path);
	q.text = text;
	Aedesk__CalendarLoadReply *r;
	rc = cli_call("scheduler", &q.base, &aedesk__calendar_load_reply__descriptor, (ProtobufCMessage **)&r);
	free(text);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else
		printf(cli_t("已载入节假日通知 %s：新增 %u 个提醒，改期 %u 个，取消 %u 个。\n",
		           "loaded holiday notice %s: %u reminders planned, %u moved, %u cancelled.\n"),
		    r->name, r->planned, r->moved, r->cancelled);
	wire_free(&r->base);
	return 0;
}

static int calendar_export(int argc, char **argv)
{
	static const struct option opts[] = {{"staff", required_argument, NULL, 's'}, {"days", required_argument, NULL, 'd'},
	    {"out", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__CalendarExportRequest q = AEDESK__CALENDAR_EXPORT_REQUEST__INIT;
	const char *outp = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:d:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 's': q.staff_id = optarg; break;
		case 'd': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 400)
				return cli_usage_error("calendar export", "%s '%s'",
				    cli_t("--days 须为 1 至 400 的天数，而不是", "--days must be 1 to 400 days, not"), optarg);
			q.days = (uint32_t)v;
			break;
		}
		case 'o': outp = optarg; break;
		case 'h': printf("%s\n", cli_t(usage_zh, usage_en)); return 0;
		default: return cli_usage_error("calendar export", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc)
		return cli_usage_error("calendar export", "%s '%s'", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__CalendarExportReply *r;
	int rc = cli_call("scheduler", &q.base, &aedesk__calendar_export_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	FILE *f = outp ? fopen(outp, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "%s %s\n", cli_t("无法写入", "cannot write"), outp);
		wire_free(&r->base);
		return EXIT_USAGE;
	}
	size_t n = strlen(r->ics);
	int bad = fwrite(r->ics, 1, n, f) != n;
	if (outp) {
		bad |= fclose(f) != 0;
		if (!bad)
			fprintf(stderr, cli_t("已写入 %s（%u 个日程）\n", "wrote %s (%u events)\n"), outp, r->events);
	}
	if (bad)
		fprintf(stderr, "%s %s\n", cli_t("写入失败：", "write failed:"), outp ? outp : "stdout");
	wire_free(&r->base);
	return bad ? EXIT_USAGE : 0;
}

static int cmd_calendar(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "load") == 0)
		return calendar_load(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "export") == 0)
		return calendar_export(argc - 1, argv + 1);
	int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0);
	fprintf(help ? stdout : stderr, "%s\n", cli_t(usage_zh, usage_en));
	return help ? 0 : EXIT_USAGE;
}
