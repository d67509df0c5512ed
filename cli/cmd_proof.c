/*
 * NAME
 *	cmd_proof.c - proofs (打样 / 校样) and their sign-offs
 *
 * SYNOPSIS
 *	aedesk proof add JOB --note TEXT
 *	aedesk proof sign ID [--as ae|cd|production] [--client NAME]
 *
 * DESCRIPTION
 *	A proof is signed by the AE, the creative director (cd), production and the client
 *	(recorded by the AE with --client and the client signer's name). The production
 *	stage's sign-offs need one proof signed by all four.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_job.h"
#include "wire.h"

CLI_COMMAND("proof", cmd_proof, 26, "打样：add | sign", "proofs: add | sign")

static int call_proof(const ProtobufCMessage *q)
{
	Aedesk__ProofReply *r;
	int rc = cli_call("jobs", q, &aedesk__proof_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		printf("%s %s", r->proof->id, r->proof->job_id);
		if (!r->n_missing)
			printf(" %s", cli_t("四方已签齐", "fully signed"));
		for (size_t i = 0; i < r->n_missing; i++)
			printf("%s%s", i ? "," : cli_t(" 待签：", " to sign: "), r->missing[i]);
		printf("\n");
	}
	wire_free(&r->base);
	return 0;
}

static int proof_add(int argc, char **argv)
{
	static const struct option opts[] = {{"note", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__ProofAddRequest q = AEDESK__PROOF_ADD_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': q.note = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk proof add 工作单 --note 说明（制作部或 AE）",
				    "usage: aedesk proof add JOB --note TEXT (production or the AE)"));
			return 0;
		default: return cli_usage_error("proof add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1 || !q.note[0])
		return cli_usage_error("proof add", "%s", cli_t("请给出工作单编号和 --note", "give a job id and --note"));
	q.job_id = argv[optind];
	return call_proof(&q.base);
}

static int proof_sign(int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, NULL, 'a'}, {"client", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ProofSignRequest q = AEDESK__PROOF_SIGN_REQUEST__INIT;
	int ch;
	while ((ch = getopt_long(argc, argv, "a:c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a': q.role = optarg; break;
		case 'c': q.client_name = optarg; break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk proof sign 编号 [--as ae|cd|production] [--client 客户签字人]",
				    "usage: aedesk proof sign ID [--as ae|cd|production] [--client CLIENT-SIGNER]"));
			return 0;
		default: return cli_usage_error("proof sign", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("proof sign", "%s", cli_t("请给出一个打样编号", "give one proof id"));
	q.id = argv[optind];
	return call_proof(&q.base);
}

static int cmd_proof(int argc, char **argv)
{
	static const struct jobcli_sub sub[] = {{"add", proof_add}, {"sign", proof_sign}};
	return jobcli_dispatch(argc, argv, sub, sizeof sub / sizeof sub[0],
	    "用法：\n  aedesk proof add 工作单 --note 说明\n  aedesk proof sign 编号 [--as 角色] [--client 客户签字人]",
	    "usage:\n  aedesk proof add JOB --note TEXT\n  aedesk proof sign ID [--as ROLE] [--client NAME]");
}
