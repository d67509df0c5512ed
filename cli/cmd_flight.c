/*
 * NAME
 *	cmd_flight.c - media flights (投放排期) of a job
 *
 * SYNOPSIS
 *	aedesk flight add JOB --placement "媒体|版面/时段|YYYY-MM-DD|YYYY-MM-DD" [--placement ...]
 *
 * DESCRIPTION
 *	One call plans one flight phase: its placements, each from its first day (00:00)
 *	to its last (23:59), in the agency's zone. The scheduler asks for the client's
 *	reaction on each first day (R-FEEDBACK-1) and for the feedback report at the
 *	phase's end (R-FEEDBACK-2).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "wire.h"

CLI_COMMAND("flight", cmd_flight, 27, "投放排期：add", "media flights: add")

#define PLACEMENTS_MAX 100

/* parse_placement reads "MEDIA|SLOT|FROM|TO" into p (pointing into s, which it cuts). */
static int parse_placement(char *s, Aedesk__FlightPlacement *p)
{
	char *f[4];
	f[0] = s;
	for (int i = 1; i < 4; i++) {
		char *bar = strchr(f[i - 1], '|');
		if (!bar)
			return -1;
		*bar = 0;
		f[i] = bar + 1;
	}
	if (strchr(f[3], '|'))
		return -1;
	p->media = jobcli_trim(f[0]);
	p->slot = jobcli_trim(f[1]);
	char *from = jobcli_trim(f[2]), *to = jobcli_trim(f[3]);
	if (strchr(from, ':') || strchr(to, ':') || jobcli_date(from, &p->start_ms) || jobcli_date(to, &p->end_ms))
		return -1;
	p->start_ms -= 86400000 - 1; /* jobcli_date gives a day's end: the first day starts at 00:00 */
	return 0;
}

static int flight_add(int argc, char **argv)
{
	static const struct option opts[] = {{"placement", required_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__FlightPlacement pl[PLACEMENTS_MAX], *pp[PLACEMENTS_MAX];
	Aedesk__FlightAddRequest q = AEDESK__FLIGHT_ADD_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "p:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (q.n_placements == PLACEMENTS_MAX)
				return cli_usage_error("flight add", "%s", cli_t("投放过多", "too many placements"));
			aedesk__flight_placement__init(&pl[q.n_placements]);
			if (parse_placement(optarg, &pl[q.n_placements]))
				return cli_usage_error("flight add", "%s", cli_t("--placement 须为 \"媒体|版面/时段|开始 YYYY-MM-DD|结束 YYYY-MM-DD\"",
				    "--placement is \"MEDIA|SLOT|FROM YYYY-MM-DD|TO YYYY-MM-DD\""));
			pp[q.n_placements] = &pl[q.n_placements];
			q.n_placements++;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk flight add 工作单 --placement \"媒体|版面/时段|YYYY-MM-DD|YYYY-MM-DD\" [--placement ...]",
				    "usage: aedesk flight add JOB --placement \"MEDIA|SLOT|YYYY-MM-DD|YYYY-MM-DD\" [--placement ...]"));
			return 0;
		default: return cli_usage_error("flight add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !q.n_placements)
		return cli_usage_error("flight add", "%s", cli_t("请给出工作单编号和至少一个 --placement", "give a job id and at least one --placement"));
	q.job_id = argv[optind];
	q.placements = pp;
	Aedesk__FlightReply *r;
	int rc = cli_call("jobs", &q.base, &aedesk__flight_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		char a[32], b[32];
		cli_format_time(r->flight->start_ms, a, sizeof a);
		cli_format_time(r->flight->end_ms, b, sizeof b);
		a[10] = b[10] = 0;
		printf("%s %s %zu %s %s..%s\n", r->flight->id, r->flight->job_id, r->flight->n_placements,
		    cli_t("个投放", "placements"), a, b);
	}
	wire_free(&r->base);
	return 0;
}

static int cmd_flight(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", flight_add}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk flight add 工作单 --placement \"媒体|版面/时段|YYYY-MM-DD|YYYY-MM-DD\" [--placement ...]",
	    "usage:\n  aedesk flight add JOB --placement \"MEDIA|SLOT|YYYY-MM-DD|YYYY-MM-DD\" [--placement ...]");
}
