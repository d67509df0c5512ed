/*
 * NAME
 *	test_validate.c - credit codes, phones, dates and names as staff type them
 *
 * SYNOPSIS
 *	test_validate
 *
 * DESCRIPTION
 *	Proves common/validate.c: unified social credit codes (GB 32100-2015)
 *	from published ones and every single-character mutation of them;
 *	mainland mobile, landline and 400/800 numbers and their canonical form;
 *	strict calendar dates and times; display names (UTF-8, controls, blank,
 *	length), each refusal with its reason id.
 *
 * DIAGNOSTICS
 *	Prints a FAIL line per failed check and a closing "N passed, N failed";
 *	exits 1 if any test failed.
 */
#include "check.h"
#include "validate.h"

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* published codes whose check characters the GB 32100 formula confirms */
static const char *const uscc_valid[] = {
	"91350100M000100Y43",
	"91110000802100433B",
	"91440300708461136T",
};

/* The reason id a check gives, or "ok". */
static const char *uscc_why(const char *s)
{
	const char *why = "ok";

	return validate_uscc(s, &why) == 0 ? "ok" : why;
}

/* The reason id validate_phone_cn gives, or "ok". */
static const char *phone_why(const char *s)
{
	const char *why = "ok";

	return validate_phone_cn(s, &why) == 0 ? "ok" : why;
}

/* Normalise into a static buffer, "(invalid)" when refused (tests only). */
static const char *norm(const char *s)
{
	static char buf[VALIDATE_PHONE_MAX];

	return validate_phone_normalize(s, buf, sizeof(buf)) == 0 ? buf : "(invalid)";
}

/* The reason id validate_date gives, or "ok". */
static const char *date_why(const char *s)
{
	const char *why = "ok";
	int y, m, d;

	return validate_date(s, &y, &m, &d, &why) == 0 ? "ok" : why;
}

/* The reason id validate_datetime gives, or "ok". */
static const char *datetime_why(const char *s)
{
	const char *why = "ok";

	return validate_datetime(s, NULL, NULL, NULL, NULL, NULL, &why) == 0 ? "ok" : why;
}

/* The reason id validate_name gives, or "ok". */
static const char *name_why(const char *s, size_t max)
{
	const char *why = "ok";

	return validate_name(s, max, &why) == 0 ? "ok" : why;
}

TEST(test_uscc_published_codes_are_valid)
{
	size_t i;

	for (i = 0; i < sizeof(uscc_valid) / sizeof(uscc_valid[0]); i++)
		CHECK_STR(uscc_why(uscc_valid[i]), "ok");
	CHECK_INT(validate_uscc(uscc_valid[0], NULL), 0);
}

TEST(test_uscc_every_single_character_change_is_caught)
{
	char code[19];
	size_t i, pos, k;
	int passed;

	for (i = 0; i < sizeof(uscc_valid) / sizeof(uscc_valid[0]); i++) {
		for (pos = 0; pos < 18; pos++) {
			passed = 0;
			for (k = 0; k < 31; k++) {
				memcpy(code, uscc_valid[i], 19);
				code[pos] = uscc_alphabet[k];
				passed += validate_uscc(code, NULL) == 0;
			}
			/* only the original character passes (weights are non-zero mod 31) */
			if (passed != 1)
				fprintf(stderr, "    %s position %zu: %d pass\n", uscc_valid[i], pos, passed);
			CHECK_INT(passed, 1);
		}
		/* swapping two different neighbours is caught too (weights differ) */
		for (pos = 0; pos + 1 < 18; pos++) {
			memcpy(code, uscc_valid[i], 19);
			if (code[pos] == code[pos + 1])
				continue;
			code[pos] = uscc_valid[i][pos + 1];
			code[pos + 1] = uscc_valid[i][pos];
			CHECK(validate_uscc(code, NULL) != 0);
		}
	}
}

TEST(test_uscc_refusals_name_their_reason)
{
	CHECK_STR(uscc_why("91350100M000100Y44"), "uscc.check_char");
	CHECK_STR(uscc_why("91350100M000100Y4"), "uscc.length");
	CHECK_STR(uscc_why("91350100M000100Y433"), "uscc.length");
	CHECK_STR(uscc_why(""), "uscc.empty");
	CHECK_STR(uscc_why(NULL), "uscc.empty");
	CHECK_STR(uscc_why("91350100m000100Y43"), "uscc.char"); /* lower case */
	CHECK_STR(uscc_why("91350100I000100Y43"), "uscc.char"); /* I is not in the alphabet */
	CHECK_STR(uscc_why("91350100O000100Y43"), "uscc.char");
	CHECK_STR(uscc_why("91350100M000100Y4 "), "uscc.char");
	CHECK_STR(uscc_why("913501\xE4\xB8\x80M000100Y4"), "uscc.char");
	CHECK_STR(uscc_why("913A0100M000100Y43"), "uscc.region");
}

TEST(test_phone_mobile_forms)
{
	static const struct {
		const char *in, *want;
	} ok[] = {
		{ "13812345678", "13812345678" },	{ "138 1234 5678", "13812345678" },
		{ "138-1234-5678", "13812345678" },	{ "+8613812345678", "13812345678" },
		{ "+86 13812345678", "13812345678" },	{ "+86-138-1234-5678", "13812345678" },
		{ "8613812345678", "13812345678" },	{ "86 138 1234 5678", "13812345678" },
		{ "19912345678", "19912345678" },	{ "14512345678", "14512345678" },
		{ "16612345678", "16612345678" },	{ "17012345678", "17012345678" },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_STR(phone_why(ok[i].in), "ok");
		CHECK_STR(norm(ok[i].in), ok[i].want);
	}
	CHECK_STR(phone_why("12812345678"), "phone.mobile_prefix");
	CHECK_STR(phone_why("10812345678"), "phone.mobile_prefix");
	CHECK_STR(phone_why("1381234567"), "phone.length");
	CHECK_STR(phone_why("138123456789"), "phone.length");
	CHECK_STR(phone_why("138 1234-5678"), "phone.format");
	CHECK_STR(phone_why("1381 234 5678"), "phone.format");
	CHECK_STR(phone_why("138  1234 5678"), "phone.format");
	CHECK_STR(phone_why("13812345678-12"), "phone.ext");
	CHECK_STR(phone_why("13812345678转12"), "phone.ext");
	CHECK_STR(phone_why("+85213812345678"), "phone.country");
	CHECK_STR(phone_why("+86 010 12345678"), "phone.mobile_prefix");
	CHECK_STR(phone_why(" 13812345678"), "phone.format");
	CHECK_STR(phone_why("13812345678 "), "phone.format");
	CHECK_STR(phone_why("１３８12345678"), "phone.char");
	CHECK_STR(phone_why("138.1234.5678"), "phone.char");
	CHECK_STR(phone_why(""), "phone.empty");
	CHECK_STR(phone_why("转123"), "phone.empty");
	CHECK_STR(phone_why(NULL), "phone.empty");
}

TEST(test_phone_landline_forms)
{
	CHECK_STR(norm("010-12345678"), "010-12345678");
	CHECK_STR(norm("01012345678"), "010-12345678");
	CHECK_STR(norm("(010)12345678"), "010-12345678");
	CHECK_STR(norm("(010) 1234 5678"), "010-12345678");
	CHECK_STR(norm("010 1234-5678"), "010-12345678");
	CHECK_STR(norm("021-87654321"), "021-87654321");
	CHECK_STR(norm("0755-12345678"), "0755-12345678");
	CHECK_STR(norm("0755-1234567"), "0755-1234567");
	CHECK_STR(norm("0755-123-4567"), "0755-1234567");
	CHECK_STR(norm("07551234567"), "0755-1234567");
	CHECK_STR(norm("010-12345678-123"), "010-12345678-123");
	CHECK_STR(norm("010-12345678转123"), "010-12345678-123");
	CHECK_STR(norm("0571 8888 6666转8"), "0571-88886666-8");
	CHECK_STR(phone_why("010-12345678"), "ok");
	CHECK_STR(phone_why("011-12345678"), "phone.area_code");
	CHECK_STR(phone_why("001-12345678"), "phone.area_code");
	CHECK_STR(phone_why("(0755-12345678"), "phone.area_code");
	CHECK_STR(phone_why("(0105)12345678"), "phone.area_code");
	CHECK_STR(phone_why("010-1234567"), "phone.local"); /* 3-digit areas have 8-digit numbers */
	CHECK_STR(phone_why("0755-123456"), "phone.local");
	CHECK_STR(phone_why("0755-123456789"), "phone.local");
	CHECK_STR(phone_why("010-02345678"), "phone.local");
	CHECK_STR(phone_why("010-12345678-"), "phone.ext");
	CHECK_STR(phone_why("010-12345678-1234567"), "phone.ext");
	CHECK_STR(phone_why("010-12345678-1转2"), "phone.ext");
	CHECK_STR(phone_why("010-12345678转"), "phone.ext");
	CHECK_STR(phone_why("010-12345678转12a"), "phone.char");
	CHECK_STR(phone_why("010-12345678 转123"), "phone.format");
	CHECK_STR(phone_why("010--12345678"), "phone.local");
	CHECK_STR(phone_why("12345678"), "phone.length");
}

TEST(test_phone_service_forms)
{
	CHECK_STR(norm("400-123-4567"), "400-123-4567");
	CHECK_STR(norm("4001234567"), "400-123-4567");
	CHECK_STR(norm("400 123 4567"), "400-123-4567");
	CHECK_STR(norm("4008-123-456"), "400-812-3456");
	CHECK_STR(norm("800-820-8820"), "800-820-8820");
	CHECK_STR(phone_why("400-123-456"), "phone.length");
	CHECK_STR(phone_why("400-123-45678"), "phone.length");
	CHECK_STR(phone_why("400-1234-567"), "phone.format");
	CHECK_STR(phone_why("400-123 4567"), "phone.format");
	CHECK_STR(phone_why("401-123-4567"), "phone.service_prefix");
	CHECK_STR(phone_why("400-123-4567转2"), "phone.ext");
}

TEST(test_phone_normalize_buffer)
{
	char small[8], exact[12];

	CHECK_INT(validate_phone_normalize("13812345678", small, sizeof(small)), VALIDATE_ENOSPC);
	CHECK_STR(small, "");
	CHECK_INT(validate_phone_normalize("13812345678", exact, sizeof(exact)), 0);
	CHECK_STR(exact, "13812345678");
	CHECK_INT(validate_phone_normalize("1381234567", exact, sizeof(exact)), VALIDATE_EINVAL);
	CHECK_STR(exact, "");
	CHECK_INT(validate_phone_normalize("13812345678", NULL, 12), VALIDATE_EINVAL);
	CHECK_INT(validate_phone_normalize(NULL, exact, sizeof(exact)), VALIDATE_EINVAL);
	/* the canonical form is itself valid and canonical */
	CHECK_STR(norm(norm("0571 8888 6666转8")), "0571-88886666-8");
}

TEST(test_date_is_a_real_calendar_day)
{
	int y = 0, m = 0, d = 0;

	CHECK_INT(validate_date("2024-02-29", &y, &m, &d, NULL), 0);
	CHECK_INT(y, 2024);
	CHECK_INT(m, 2);
	CHECK_INT(d, 29);
	CHECK_STR(date_why("2000-02-29"), "ok");
	CHECK_STR(date_why("1900-01-01"), "ok");
	CHECK_STR(date_why("2199-12-31"), "ok");
	CHECK_STR(date_why("2026-12-31"), "ok");
	CHECK_STR(date_why("2026-02-29"), "date.day");
	CHECK_STR(date_why("1900-02-29"), "date.day");
	CHECK_STR(date_why("2100-02-29"), "date.day");
	CHECK_STR(date_why("2026-04-31"), "date.day");
	CHECK_STR(date_why("2026-01-00"), "date.day");
	CHECK_STR(date_why("2026-00-10"), "date.month");
	CHECK_STR(date_why("2026-13-01"), "date.month");
	CHECK_STR(date_why("1899-12-31"), "date.year");
	CHECK_STR(date_why("2200-01-01"), "date.year");
	CHECK_STR(date_why("2026-1-05"), "date.format");
	CHECK_STR(date_why("2026/01/05"), "date.format");
	CHECK_STR(date_why("20260105"), "date.format");
	CHECK_STR(date_why("2026-01-05 "), "date.format");
	CHECK_STR(date_why("2026-01-+5"), "date.format");
	CHECK_STR(date_why(""), "date.empty");
	CHECK_STR(date_why(NULL), "date.empty");
	/* refused input leaves the out values alone */
	y = m = d = -7;
	CHECK_INT(validate_date("2026-02-29", &y, &m, &d, NULL), VALIDATE_EINVAL);
	CHECK_INT(y, -7);
}

TEST(test_datetime_is_strict)
{
	int y, mo, d, h = -1, mi = -1;

	CHECK_INT(validate_datetime("2026-03-05 09:30", &y, &mo, &d, &h, &mi, NULL), 0);
	CHECK_INT(y * 10000 + mo * 100 + d, 20260305);
	CHECK_INT(h, 9);
	CHECK_INT(mi, 30);
	CHECK_STR(datetime_why("2026-03-05T23:59"), "ok");
	CHECK_STR(datetime_why("2024-02-29 00:00"), "ok");
	CHECK_STR(datetime_why("2026-03-05 24:00"), "datetime.hour");
	CHECK_STR(datetime_why("2026-03-05 09:60"), "datetime.minute");
	CHECK_STR(datetime_why("2026-02-29 09:00"), "date.day");
	CHECK_STR(datetime_why("2026-03-05 9:30"), "datetime.format");
	CHECK_STR(datetime_why("2026-03-05 09:30:00"), "datetime.format");
	CHECK_STR(datetime_why("2026-03-05_09:30"), "datetime.format");
	CHECK_STR(datetime_why("2026-03-05 09-30"), "datetime.format");
	CHECK_STR(datetime_why("2026-03-05"), "datetime.format");
	CHECK_STR(datetime_why(""), "datetime.empty");
}

TEST(test_name_is_clean_utf8_and_not_blank)
{
	CHECK_STR(name_why("北京某某广告有限公司", 64), "ok");
	CHECK_STR(name_why("张三", 6), "ok");
	CHECK_STR(name_why("张三", 5), "name.too_long");
	CHECK_STR(name_why("McCann 麦肯", 0), "ok");
	CHECK_STR(name_why(" 张三\xE3\x80\x80", 64), "ok"); /* surrounding spaces do not make it blank */
	CHECK_STR(name_why("😀", 4), "ok");
	CHECK_STR(name_why("", 64), "name.empty");
	CHECK_STR(name_why("   ", 64), "name.empty");
	CHECK_STR(name_why("\xE3\x80\x80 \xE3\x80\x80", 64), "name.empty");
	CHECK_STR(name_why(NULL, 64), "name.empty");
	CHECK_STR(name_why("张\t三", 64), "name.control");
	CHECK_STR(name_why("张三\n", 64), "name.control");
	CHECK_STR(name_why("a\x7F", 64), "name.control");
	CHECK_STR(name_why("a\xC2\x85", 64), "name.control");       /* U+0085 NEL */
	CHECK_STR(name_why("abc\xE2\x80\xAE" "cba", 64), "name.control"); /* U+202E RLO */
	CHECK_STR(name_why("a\xE2\x81\xA6" "b", 64), "name.control");  /* U+2066 LRI */
	CHECK_STR(name_why("a\xE2\x80\xA8", 64), "name.control");      /* U+2028 */
	CHECK_STR(name_why("\xE5\xBC", 64), "name.utf8");		     /* truncated */
	CHECK_STR(name_why("\x80" "abc", 64), "name.utf8");		     /* stray continuation */
	CHECK_STR(name_why("\xC0\xAF", 64), "name.utf8");		     /* overlong '/' */
	CHECK_STR(name_why("\xE0\x80\xAF", 64), "name.utf8");	     /* overlong, 3 bytes */
	CHECK_STR(name_why("\xED\xA0\x80", 64), "name.utf8");	     /* surrogate U+D800 */
	CHECK_STR(name_why("\xF4\x90\x80\x80", 64), "name.utf8");	     /* above U+10FFFF */
	CHECK_STR(name_why("\xF8\x88\x80\x80\x80", 64), "name.utf8");   /* 5-byte form */
	CHECK_STR(name_why("\xEF\xBF\xBF", 64), "ok");		     /* U+FFFF is well-formed */
}

int main(void)
{
	RUN(test_uscc_published_codes_are_valid);
	RUN(test_uscc_every_single_character_change_is_caught);
	RUN(test_uscc_refusals_name_their_reason);
	RUN(test_phone_mobile_forms);
	RUN(test_phone_landline_forms);
	RUN(test_phone_service_forms);
	RUN(test_phone_normalize_buffer);
	RUN(test_date_is_a_real_calendar_day);
	RUN(test_datetime_is_strict);
	RUN(test_name_is_clean_utf8_and_not_blank);
	return check_summary();
}
