/*
 * NAME
 *	cmd_rotate_key.c - aedesk admin rotate-key: a new token signing key
 *
 * SYNOPSIS
 *	aedesk admin rotate-key [--grace SECONDS] [--json]
 *
 * DESCRIPTION
 *	Asks the registry (admin only) for a new Ed25519 signing key. New tokens are signed
 *	with it; tokens signed with the old key keep working until the grace period ends
 *	(default: the token lifetime, token_ttl_s), so nobody is logged out. --grace -1
 *	ends the old key's tokens at once, for a key that may have leaked: everyone logs
 *	in again. Every service learns the new public key from the registry's KeyRotated
 *	event (docs/SECURITY.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "security.pb-c.h"
#include "wire.h"

int cli_admin_rotate_key(int argc, char **argv)
{
	static const struct option opts[] = {{"grace", required_argument, NULL, 'g'},
	    {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__RotateKeyRequest q = AEDESK__ROTATE_KEY_REQUEST__INIT;
	int ch;
	char *end;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'g':
			q.grace_s = strtoll(optarg, &end, 10);
			if (*end || !*optarg)
				return cli_usage_error("admin rotate-key", "%s",
				    cli_t("--grace 须为秒数（-1：旧密钥签发的令牌立即作废）",
					"--grace takes seconds (-1: tokens of the old key end now)"));
			break;
		case 'j':
			cli.json = 1;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk admin rotate-key [--grace 秒] [--json]\n"
					     "  生成新的令牌签名密钥（仅系统管理员）。新令牌用新密钥签发；旧密钥签发的令牌\n"
					     "  在宽限期内（默认为令牌有效期 token_ttl_s）继续有效，任何人都不会掉线。\n"
					     "  --grace -1：旧密钥立即作废（怀疑泄露时），所有人需重新登录。",
					   "usage: aedesk admin rotate-key [--grace SECONDS] [--json]\n"
					   "  Makes a new token signing key (admin only). New tokens are signed with it;\n"
					   "  tokens of the old key keep working for the grace period (default: the token\n"
					   "  lifetime, token_ttl_s), so nobody is logged out.\n"
					   "  --grace -1: the old key ends now (if it may have leaked); everyone logs in again."));
			return 0;
		default:
			return cli_usage_error("admin rotate-key", "%s",
			    cli_t("用法：admin rotate-key [--grace 秒]", "usage: admin rotate-key [--grace SECONDS]"));
		}
	}
	if (optind < argc)
		return cli_usage_error("admin rotate-key", "%s: %s", cli_t("多余的参数", "unexpected argument"), argv[optind]);
	Aedesk__RotateKeyReply *r = NULL;
	int rc = cli_call("registry", &q.base, &aedesk__rotate_key_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc != 0)
		return rc;
	if (cli.json)
		cli_print_json(&r->base);
	else {
		char t[64];
		cli_format_time(r->previous_until_ms, t, sizeof t);
		printf(cli_t("已轮换令牌签名密钥：新密钥 %s，旧密钥 %s 签发的令牌有效至 %s\n",
			   "token signing key rotated: new key %s; tokens of the old key %s work until %s\n"),
		    r->fingerprint, r->previous_fingerprint, t);
	}
	wire_free(&r->base);
	return 0;
}
