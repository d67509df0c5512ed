/*
 * NAME
 *	cmd_money.c - the Chinese uppercase (大写) of an amount
 *
 * SYNOPSIS
 *	aedesk money AMOUNT
 *
 * DESCRIPTION
 *	Prints the amount as a contract or invoice writes it (R-CONTRACT-1), e.g.
 *	`aedesk money 1,409.50` prints 壹仟肆佰零玖元伍角. Needs no service.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "money.h"

CLI_COMMAND("money", cmd_money, 40, "金额大写：aedesk money 1,409.50 → 壹仟肆佰零玖元伍角",
    "Chinese uppercase amount: aedesk money 1,409.50 -> 壹仟肆佰零玖元伍角")

static int cmd_money(int argc, char **argv)
{
	const char *usage = cli_t("用法：aedesk money 金额\n金额以元为单位，可用千位逗号和至多两位小数，如 1,409.50。",
	    "usage: aedesk money AMOUNT\nIn yuan, optionally with thousands commas and up to two decimals, e.g. 1,409.50.");
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("%s\n", usage);
		return 0;
	}
	if (argc != 2)
		return cli_usage_error("money", "%s", usage);
	int64_t fen;
	char fig[MONEY_FORMAT_MAX], upper[MONEY_UPPER_MAX];
	if (money_parse(argv[1], &fen) != 0 || money_upper(fen, upper, sizeof upper) != 0)
		return cli_usage_error("money", "%s '%s'",
		    cli_t("不是有效金额（0 到 9,999,999,999,999.99，至多两位小数）：", "not a valid amount (0 to 9,999,999,999,999.99, at most two decimals):"),
		    argv[1]);
	money_format(fen, fig, sizeof fig);
	if (cli.json)
		printf("{\"fen\": %" PRId64 ", \"figure\": \"%s\", \"upper\": \"%s\"}\n", fen, fig, upper);
	else
		printf("%s\n", upper);
	return 0;
}
