/*
 * Money on a job: invoices, payments and receivables (应收款), and R-JOB-8: a new job
 * for a client whose unpaid invoices exceed its credit limit (set in the registry,
 * learnt from its ClientUpdated event) is refused unless an AD overrides it with a
 * reason; a payment that brings the client back under the limit lets jobs open again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"
#include "jobs.pb-c.h"
#include "registry.pb-c.h"
#include "wire.h"

static char out[65536], err[8192];

static const char brief_md[] =
    "# 创意简报：春节促销\n\n"
    "## 背景\n华夏食品春节礼盒销量去年下滑。\n第二行背景。\n\n"
    "## 目标\n礼盒销量同比增长 20%。\n\n## 目标受众\n25-40 岁城市家庭。\n\n"
    "## 洞察\n过年送礼要体面也要实在。\n\n## 主张\n团圆的味道。\n\n## 支持点\n老字号工艺。\n\n"
    "## 调性\n温暖。\n\n## 必备要素\n商标、礼盒照片。\n\n## 交付物\n报纸整版一则。\n\n"
    "## 预算\n30 万元。\n\n## 时间\n一月中旬见报。\n";



static void add_staff(harness *h)
{
	static const char *const staff[][4] = {{"zhao.ad", "赵总监", "ad", ""}, {"qian.am", "钱经理", "am", "zhao.ad"},
	    {"sun.ae", "孙晓明", "ae", "qian.am"}, {"li.ae", "李娜", "ae", "qian.am"}, {"wu.cd", "吴创意", "cd", ""},
	    {"zhou.prod", "周制作", "production", ""}, {"zheng.fin", "郑财务", "finance", ""}};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
		CHECK_INT(h_cli(h, "pass-word-123\n", out, sizeof out, "staff", "add", staff[i][0], "--name", staff[i][1],
		    "--role", staff[i][2], "--manager", staff[i][3], "--password-stdin", NULL), 0);
}

static void as(harness *h, const char *who) { CHECK(h_login(h, who, "pass-word-123") == 0); }

/* numbered_job opens a job for C000001 as sun.ae and has AD and CD sign its brief. */
static void numbered_job(harness *h, const char *id, const char *brief, const char *due)
{
	as(h, "sun.ae");
	H_OK(h, "job", "open", "C000001", "--title", "中秋海报", "--kind", "outdoor", "--due", due, "--brief", brief);
	as(h, "wu.cd");
	H_OK(h, "job", "sign", id);
	as(h, "sun.ae");
	H_OK(h, "job", "advance", id);
	as(h, "zhao.ad");
	H_OK(h, "job", "sign", id);
	as(h, "wu.cd");
	H_OK(h, "job", "sign", id);
}

TEST(test_invoices_payments_receivables_and_credit_limit_R_JOB_8)
{
	harness h;
	CHECK(h_setup(&h, "jobmoney") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);
	add_staff(&h);
	as(&h, "sun.ae");
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "B");
	char brief[400], due[16], past[16];
	h_write_file(&h, "brief.md", brief_md, brief, sizeof brief);
	h_local_date(40, due, sizeof due);
	h_local_date(-3, past, sizeof past);
	/* The credit limit lives in the registry: 10,000 yuan. */
	as(&h, "zhao.ad");
	Aedesk__ClientCreditRequest cq = AEDESK__CLIENT_CREDIT_REQUEST__INIT;
	cq.id = "C000001";
	cq.credit_limit_fen = 1000000;
	CHECK_INT(h_call(&h, "registry", &cq.base, &aedesk__client_reply__descriptor, NULL), 0);
	CHECK(h_wait_consumer(&h, "jobs", "registry", 10000) == 0);

	numbered_job(&h, "J000001", brief, due);
	/* Only finance invoices; a job without a number cannot be invoiced. */
	as(&h, "sun.ae");
	H_REFUSED(&h, "PERMISSION_DENIED", "财务", "invoice", "add", "J000001", "--amount", "15,000", "--due", past);
	H_OK(&h, "job", "open", "C000001", "--title", "未签简报", "--kind", "online", "--due", due, "--brief", brief);
	as(&h, "zheng.fin");
	H_REFUSED(&h, "FAILED_PRECONDITION", "J000002", "invoice", "add", "J000002", "--amount", "100", "--due", due);
	H_OK(&h, "invoice", "add", "J000001", "--amount", "15,000", "--due", past);
	CHECK(h_contains(out, "I000001") && h_contains(out, "壹万伍仟元整"));
	H_OK(&h, "receivables", "--overdue");
	CHECK(h_contains(out, "I000001") && h_contains(out, "15,000.00"));

	/* R-JOB-8: 15,000 unpaid > 10,000 limit: the AE is stopped, cannot override; the AD can. */
	as(&h, "sun.ae");
	H_OK(&h, "job", "list");
	CHECK(h_contains(out, "J000002") && !h_contains(out, "J000003"));
	H_REFUSED(&h, "FAILED_PRECONDITION", "R-JOB-8", "job", "open", "C000001", "--title", "国庆促销", "--kind", "print",
	    "--due", due, "--brief", brief);
	CHECK(h_contains(err, "15,000.00") && h_contains(err, "10,000.00"));
	H_REFUSED(&h, "PERMISSION_DENIED", "R-JOB-8", "job", "open", "C000001", "--title", "国庆促销", "--kind", "print",
	    "--due", due, "--brief", brief, "--override-credit", "老客户");
	H_OK(&h, "job", "list");
	CHECK(!h_contains(out, "J000003")); /* nothing was opened */
	as(&h, "zhao.ad");
	H_OK(&h, "job", "open", "C000001", "--title", "国庆促销", "--kind", "print", "--due", due, "--brief", brief,
	    "--override-credit", "老客户，已承诺月底付款");
	CHECK(h_contains(out, "J000003"));
	H_OK(&h, "job", "show", "J000003");
	CHECK(h_contains(out, "已承诺月底付款"));

	/* Payments: never more than is outstanding; 6,000 brings the client under its limit. */
	as(&h, "zheng.fin");
	H_REFUSED(&h, "INVALID_ARGUMENT", "15,000.00", "payment", "add", "I000001", "--amount", "20,000");
	H_OK(&h, "payment", "add", "I000001", "--amount", "6,000");
	CHECK(h_contains(out, "Y000001"));
	H_OK(&h, "receivables");
	CHECK(h_contains(out, "9,000.00"));
	as(&h, "sun.ae");
	H_OK(&h, "job", "open", "C000001", "--title", "年货节", "--kind", "print", "--due", due, "--brief", brief);
	CHECK(h_contains(out, "J000004"));
	/* The AE sees their client's receivables; another AE sees none of them. */
	H_OK(&h, "receivables");
	CHECK(h_contains(out, "I000001"));
	as(&h, "li.ae");
	H_OK(&h, "receivables");
	CHECK(!h_contains(out, "I000001"));
	H_REFUSED(&h, "NOT_FOUND", "J000001", "job", "show", "J000001");
	as(&h, "sun.ae");
	H_OK(&h, "job", "show", "J000001");
	CHECK(h_contains(out, "Y000001"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_invoices_payments_receivables_and_credit_limit_R_JOB_8);
	return check_summary();
}
