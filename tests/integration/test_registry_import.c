/*
 * CSV import: all or nothing in one go (1,000 Chinese rows), a bad row at line N is
 * refused naming line N with nothing imported, GB18030 input, export back.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static size_t client_count(harness *h)
{
	static char out[1 << 20];
	if (h_cli(h, NULL, out, sizeof out, "client", "export", NULL) != 0)
		return (size_t)-1;
	size_t n = 0;
	for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n - 1; /* the header */
}

TEST(test_import_is_all_or_nothing_and_names_the_bad_line)
{
	harness h;
	char out[8192], err[8192], path[400];
	CHECK(h_setup(&h, "import") == 0 && h_start(&h, "registry") == 0 && h_login_admin(&h) == 0);
	CHECK_INT(h_cli(&h, "password-123\n", out, sizeof out, "staff", "add", "sun.ae", "--name", "孙晓明", "--role", "ae",
		      "--password-stdin", NULL), 0);
	snprintf(path, sizeof path, "%s/clients.csv", h.home);
	/* 1,000 rows; line 501 (row 500) has a bad class. */
	for (int pass = 0; pass < 2; pass++) {
		FILE *f = fopen(path, "w");
		CHECK(f != NULL);
		if (!f)
			break;
		fprintf(f, "名称,分类,AE,行业\r\n");
		for (int i = 1; i <= 1000; i++)
			fprintf(f, "\"华夏%04d号食品有限公司\",%s,sun.ae,\"食品,饮料\"\r\n", i, pass == 0 && i == 500 ? "E" : "B");
		fclose(f);
		if (pass == 0) {
			CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "import", path, NULL), 1);
			CHECK(h_contains(err, "第 501 行") && h_contains(err, "分类") && h_contains(err, "未导入"));
			CHECK_INT(client_count(&h), 0);
		}
	}
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "import", path, "--dry-run", NULL), 0);
	CHECK(h_contains(out, "1000"));
	CHECK_INT(client_count(&h), 0);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "import", path, NULL), 0);
	CHECK(h_contains(out, "1000") && h_contains(out, "C000001") && h_contains(out, "C001000"));
	CHECK_INT(client_count(&h), 1000);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--code", "C000777", NULL), 0);
	CHECK(h_contains(out, "华夏0777号食品有限公司") && h_contains(out, "食品,饮料"));

	/* What only the registry knows: a name already taken (line 3), an AE that is not one (line 4). */
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "name,class,ae,uscc\n新客户甲,A,sun.ae,91350100M000100Y43\n华夏0001号食品有限公司,B,sun.ae,\n新客户乙,C,admin,\n");
		fclose(f);
	}
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "import", path, NULL), 1);
	CHECK(h_contains(err, "第 3 行") && h_contains(err, "已存在") && h_contains(err, "第 4 行") && !h_contains(err, "第 2 行"));
	CHECK_INT(client_count(&h), 1000);
	/* Duplicates within the file and a bad USCC are caught before anything is sent. */
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "name,uscc\n客户丙,91350100M000100Y44\n客户丁,\n客户丁,\n");
		fclose(f);
	}
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "import", path, NULL), 1);
	CHECK(h_contains(err, "第 2 行") && h_contains(err, "统一社会信用代码") && h_contains(err, "第 4 行") && h_contains(err, "第 3 行"));
	CHECK_INT(client_count(&h), 1000);

	/* GB18030, as Excel saves it on a Chinese Windows. */
	const char *utf8 = "名称,分类,统一社会信用代码\n广州白云电器有限公司,A,91350100M000100Y43\n";
	char gb[256], *ip = (char *)utf8, *op = gb;
	size_t il = strlen(utf8), ol = sizeof gb;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	CHECK(cd != (iconv_t)-1 && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	f = fopen(path, "wb");
	if (f) {
		fwrite(gb, 1, (size_t)(op - gb), f);
		fclose(f);
	}
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "import", path, NULL), 0);
	CHECK(h_contains(out, "C001001"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "list", "--code", "91350100M000100Y43", NULL), 0);
	CHECK(h_contains(out, "广州白云电器有限公司"));
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "export", "--format", "json", NULL), 0);
	CHECK(h_contains(out, "\"uscc\":\"91350100M000100Y43\""));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_import_is_all_or_nothing_and_names_the_bad_line);
	return check_summary();
}
