/*
 * NAME
 *	cmd_contract.c - advertising publication contracts (广告发布合同)
 *
 * SYNOPSIS
 *	aedesk contract add CLIENT --party-a NAME --party-b NAME --handler NAME --phone P
 *	    --address TEXT [--seal] --signed YYYY-MM-DD --publish YYYY-MM-DD[,...] ...
 *	    --placement TEXT --spec TEXT --amount FIGURE [--upper 大写] --pay-by YYYY-MM-DD
 *	    [--terms TEXT]
 *	aedesk contract list CLIENT
 *	aedesk contract show ID
 *
 * DESCRIPTION
 *	R-CONTRACT-1: the uppercase amount is generated from the figure; an --upper that
 *	disagrees with the figure is refused.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "money.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("contract", cmd_contract, 13, "广告发布合同：add | list | show（aedesk contract --help）",
    "advertising contracts: add | list | show (aedesk contract --help)")

#define CONTRACT_USAGE_ZH                                                                          \
	"用法：\n  aedesk contract add 客户编号 --party-a 甲方全称 --party-b 乙方全称 --handler 经办人\n"  \
	"      --phone 电话 --address 地址 [--seal] --signed 签订日期 --publish 发布日期[,日期...]\n"       \
	"      --placement 版面 --spec 规格 --amount 金额 [--upper 大写金额] --pay-by 付款日期 [--terms 其他条款]\n" \
	"  aedesk contract list 客户编号\n  aedesk contract show 合同编号\n"                              \
	"大写金额由小写金额生成；给出的 --upper 与小写不符则拒绝（R-CONTRACT-1）。--seal 表示已核对公章。"
#define CONTRACT_USAGE_EN                                                                          \
	"usage:\n  aedesk contract add CLIENT --party-a NAME --party-b NAME --handler NAME\n"            \
	"      --phone P --address TEXT [--seal] --signed DATE --publish DATE[,DATE...]\n"              \
	"      --placement TEXT --spec TEXT --amount FIGURE [--upper 大写] --pay-by DATE [--terms TEXT]\n" \
	"  aedesk contract list CLIENT\n  aedesk contract show ID\n"                                    \
	"The uppercase amount is generated from the figure; an --upper that disagrees is refused\n"     \
	"(R-CONTRACT-1). --seal: the seal was confirmed."

static void print_contract(const Aedesk__Contract *k)
{
	char fig[MONEY_FORMAT_MAX], dates[2048] = "", when[32];
	money_format(k->amount_fen, fig, sizeof fig);
	cli_format_time(k->created_ms, when, sizeof when);
	for (size_t i = 0, used = 0; i < k->n_publish_dates && used < sizeof dates; i++)
		used += (size_t)snprintf(dates + used, sizeof dates - used, "%s%s", i ? ", " : "", k->publish_dates[i]);
	const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE")};
	text_table *t = text_table_new(2, h);
	const char *rows[][2] = {{cli_t("编号", "id"), k->id}, {cli_t("客户", "client"), k->client_id},
	    {cli_t("甲方", "party A"), k->party_a}, {cli_t("乙方", "party B"), k->party_b},
	    {cli_t("经办人", "handler"), k->handler}, {cli_t("电话", "phone"), k->phone},
	    {cli_t("地址", "address"), k->address},
	    {cli_t("公章已核对", "seal confirmed"), k->seal_confirmed ? cli_t("是", "yes") : cli_t("否", "no")},
	    {cli_t("签订日期", "signed"), k->signed_date}, {cli_t("发布日期", "publication"), dates},
	    {cli_t("版面", "placement"), k->placement}, {cli_t("规格", "specification"), k->spec},
	    {cli_t("金额（小写）", "amount"), fig}, {cli_t("金额（大写）", "amount (大写)"), k->amount_upper},
	    {cli_t("付款日期", "payment date"), k->payment_date}, {cli_t("其他条款", "extra terms"), k->terms},
	    {cli_t("登记", "recorded"), when}, {cli_t("登记人", "recorded by"), k->created_by}};
	for (size_t i = 0; t && i < sizeof rows / sizeof rows[0]; i++)
		text_table_add(t, rows[i]);
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static int contract_add(int argc, char **argv)
{
	static const struct option opts[] = {{"party-a", required_argument, NULL, 'A'},
	    {"party-b", required_argument, NULL, 'B'}, {"handler", required_argument, NULL, 'H'},
	    {"phone", required_argument, NULL, 'p'}, {"address", required_argument, NULL, 'd'},
	    {"seal", no_argument, NULL, 'S'}, {"signed", required_argument, NULL, 's'},
	    {"publish", required_argument, NULL, 'P'}, {"placement", required_argument, NULL, 'l'},
	    {"spec", required_argument, NULL, 'c'}, {"amount", required_argument, NULL, 'a'},
	    {"upper", required_argument, NULL, 'u'}, {"pay-by", required_argument, NULL, 'y'},
	    {"terms", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__Contract k = AEDESK__CONTRACT__INIT;
	char *dates[366];
	const char *amount = NULL;
	int ch;
	while ((ch = getopt_long(argc, argv, "A:B:H:p:d:Ss:P:l:c:a:u:y:t:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': k.party_a = optarg; break;
		case 'B': k.party_b = optarg; break;
		case 'H': k.handler = optarg; break;
		case 'p': k.phone = optarg; break;
		case 'd': k.address = optarg; break;
		case 'S': k.seal_confirmed = 1; break;
		case 's': k.signed_date = optarg; break;
		case 'l': k.placement = optarg; break;
		case 'c': k.spec = optarg; break;
		case 'a': amount = optarg; break;
		case 'u': k.amount_upper = optarg; break;
		case 'y': k.payment_date = optarg; break;
		case 't': k.terms = optarg; break;
		case 'P':
			for (char *save = NULL, *p = strtok_r(optarg, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				if (k.n_publish_dates == sizeof dates / sizeof dates[0])
					return cli_usage_error("contract add", "%s", cli_t("发布日期最多 366 个", "at most 366 publication dates"));
				dates[k.n_publish_dates++] = p;
			}
			break;
		case 'h':
			printf("%s\n", cli_t(CONTRACT_USAGE_ZH, CONTRACT_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("contract add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	k.publish_dates = dates;
	if (argc - optind != 1)
		return cli_usage_error("contract add", "%s", cli_t("请给出一个客户编号", "give one client id"));
	if (!amount)
		return cli_usage_error("contract add", "%s", cli_t("必须给出 --amount", "--amount is required"));
	if (money_parse(amount, &k.amount_fen) != 0)
		return cli_usage_error("contract add", "%s '%s'",
		    cli_t("--amount 须为金额，如 1,409.50，而不是", "--amount must be a figure such as 1,409.50, not"), amount);
	k.client_id = argv[optind];
	Aedesk__ContractAddRequest q = AEDESK__CONTRACT_ADD_REQUEST__INIT;
	q.contract = &k;
	Aedesk__ContractReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contract_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->contract->base);
	else
		printf("%s %s\n", r->contract->id, r->contract->amount_upper);
	wire_free(&r->base);
	return 0;
}

static int contract_list(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "contract list", CONTRACT_USAGE_ZH, CONTRACT_USAGE_EN, "请给出一个客户编号", "give one client id", &one_rc))
		return one_rc;
	Aedesk__ContractListRequest q = AEDESK__CONTRACT_LIST_REQUEST__INIT;
	q.client_id = argv[1];
	Aedesk__ContractListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contract_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("签订日期", "SIGNED"), cli_t("乙方", "PARTY B"),
	    cli_t("版面", "PLACEMENT"), cli_t("金额", "AMOUNT"), cli_t("大写", "大写"), cli_t("付款日期", "PAY BY")};
	text_table *t = text_table_new(7, h);
	for (size_t i = 0; t && i < r->n_contracts; i++) {
		const Aedesk__Contract *k = r->contracts[i];
		char fig[MONEY_FORMAT_MAX];
		money_format(k->amount_fen, fig, sizeof fig);
		const char *row[] = {k->id, k->signed_date, k->party_b, k->placement, fig, k->amount_upper, k->payment_date};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int contract_show(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "contract show", CONTRACT_USAGE_ZH, CONTRACT_USAGE_EN, "请给出一个合同编号", "give one contract id", &one_rc))
		return one_rc;
	Aedesk__ContractGetRequest q = AEDESK__CONTRACT_GET_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__ContractReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contract_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->contract->base);
	else
		print_contract(r->contract);
	wire_free(&r->base);
	return 0;
}

static int cmd_contract(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"add", contract_add}, {"list", contract_list}, {"show", contract_show}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n", cli_t(CONTRACT_USAGE_ZH, CONTRACT_USAGE_EN));
	return f == stdout ? 0 : EXIT_USAGE;
}
