/*
 * NAME
 *	test_text - unit tests for common/text.c
 *
 * SYNOPSIS
 *	test_text
 *
 * DESCRIPTION
 *	Proves the UTF-8 gate rejects what it must, that display widths match a
 *	terminal for Chinese, kana, Hangul, fullwidth forms, combining marks and
 *	emoji, and that text_table lines Chinese client names up with Latin ones.
 *	Tables are printed into memory with open_memstream and compared exactly.
 *
 * DIAGNOSTICS
 *	Prints one "-- name" line per test, FAIL lines for failed checks, and a
 *	closing "N passed, N failed"; exits 1 if any test failed.
 */
#include "check.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Whole-string validity, for brevity in the checks below. */
static int valid(const char *s)
{
	return text_utf8_valid(s, strlen(s));
}

/* Display column at which cell starts within line (-1 if absent). */
static int col_of(const char *line, const char *cell)
{
	const char *at = strstr(line, cell);
	char prefix[512];
	size_t n;

	if (!at)
		return -1;
	n = (size_t)(at - line);
	if (n >= sizeof prefix)
		return -1;
	memcpy(prefix, line, n);
	prefix[n] = '\0';
	return text_width(prefix);
}

/* Print a table into a malloc'd string the caller frees. */
static char *table_to_string(text_table *t)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	if (text_table_print(t, f) != 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

TEST(test_ascii_is_one_column_per_character)
{
	CHECK_INT(text_width("ACME Ltd."), 9);
	CHECK_INT(text_width(""), 0);
	CHECK_INT(text_width(NULL), 0);
	CHECK_INT(text_cp_width('A'), 1);
}

TEST(test_chinese_name_is_two_columns_per_character)
{
	CHECK_INT(text_width("华夏食品"), 8);
	CHECK_INT(text_width("北京长城广告有限公司"), 20);
	CHECK_INT(text_width("华夏ACME"), 8);
	CHECK_INT(text_cp_width(0x534E), 2); /* 华 */
	CHECK_INT(text_cp_width(0x3400), 2); /* first of CJK Ext A */
	CHECK_INT(text_cp_width(0x20000), 2); /* first of CJK Ext B */
	CHECK_INT(text_width("𠀀"), 2);
}

TEST(test_cjk_punctuation_and_fullwidth_forms_are_two_columns)
{
	CHECK_INT(text_width("，"), 2); /* U+FF0C fullwidth comma */
	CHECK_INT(text_width("。"), 2); /* U+3002 ideographic full stop */
	CHECK_INT(text_width("（广告）"), 8);
	CHECK_INT(text_width("　"), 2); /* U+3000 ideographic space */
	CHECK_INT(text_width("ＡＢ"), 4); /* fullwidth Latin */
	CHECK_INT(text_width("￥"), 2); /* U+FFE5 fullwidth yen */
	CHECK_INT(text_width("｡"), 1); /* U+FF61 halfwidth full stop */
	CHECK_INT(text_width("ｱ"), 1); /* U+FF71 halfwidth katakana */
}

TEST(test_kana_and_hangul_are_two_columns)
{
	CHECK_INT(text_width("ひらがな"), 8);
	CHECK_INT(text_width("カタカナ"), 8);
	CHECK_INT(text_width("한국"), 4);
	CHECK_INT(text_cp_width(0xF900), 2); /* CJK compatibility ideograph */
}

TEST(test_combining_marks_and_zero_width_chars_take_no_columns)
{
	CHECK_INT(text_width("e\xcc\x81"), 1);        /* e + U+0301 */
	CHECK_INT(text_width("a\xe2\x80\x8b" "b"), 2); /* U+200B ZWSP */
	CHECK_INT(text_width("\xe2\x80\x8d"), 0);      /* U+200D ZWJ */
	CHECK_INT(text_width("\xef\xb8\x8f"), 0);      /* U+FE0F VS16 */
	CHECK_INT(text_width("\xef\xbb\xbf"), 0);      /* U+FEFF BOM */
	CHECK_INT(text_cp_width(0x3099), 0); /* combining kana voiced mark inside the kana block */
	CHECK_INT(text_cp_width(0x302A), 0); /* ideographic tone mark inside CJK punctuation */
	CHECK_INT(text_cp_width(0x0000), 0);
	CHECK_INT(text_cp_width(0x001B), 0);
	CHECK_INT(text_cp_width(0x0085), 0);
}

TEST(test_common_emoji_are_two_columns)
{
	CHECK_INT(text_width("😀"), 2);  /* U+1F600 */
	CHECK_INT(text_width("🤝"), 2);  /* U+1F91D */
	CHECK_INT(text_width("🚀"), 2);  /* U+1F680 */
	CHECK_INT(text_width("✅"), 2);  /* U+2705 */
}

TEST(test_text_style_symbols_inside_emoji_blocks_are_one_column)
{
	CHECK_INT(text_cp_width(0x1F321), 1); /* thermometer */
	CHECK_INT(text_cp_width(0x1F56F), 1); /* candle */
	CHECK_INT(text_cp_width(0x1F5A5), 1); /* desktop computer */
	CHECK_INT(text_cp_width(0x1F90B), 1);
	CHECK_INT(text_cp_width(0x1F90C), 2);
}

TEST(test_width_range_edges_are_exact)
{
	CHECK_INT(text_cp_width(0x2E7F), 1);
	CHECK_INT(text_cp_width(0x2E80), 2);
	CHECK_INT(text_cp_width(0x303E), 2);
	CHECK_INT(text_cp_width(0x303F), 1);
	CHECK_INT(text_cp_width(0x9FFF), 2);
	CHECK_INT(text_cp_width(0xA4CF), 2);
	CHECK_INT(text_cp_width(0xA4D0), 1);
	CHECK_INT(text_cp_width(0xABFF), 1);
	CHECK_INT(text_cp_width(0xAC00), 2);
	CHECK_INT(text_cp_width(0xD7A3), 2);
	CHECK_INT(text_cp_width(0xFF00), 2);
	CHECK_INT(text_cp_width(0xFF60), 2);
	CHECK_INT(text_cp_width(0xFF61), 1);
	CHECK_INT(text_cp_width(0xFFE6), 2);
	CHECK_INT(text_cp_width(0xFFE7), 1);
	CHECK_INT(text_cp_width(0x1F2FF), 1);
	CHECK_INT(text_cp_width(0x1F300), 2);
	CHECK_INT(text_cp_width(0x1F64F), 2);
	CHECK_INT(text_cp_width(0x1F650), 1);
	CHECK_INT(text_cp_width(0x1F9FF), 2);
	CHECK_INT(text_cp_width(0x2FFFD), 2);
	CHECK_INT(text_cp_width(0x10FFFF), 1);
}

TEST(test_invalid_bytes_count_one_column_each)
{
	CHECK_INT(text_width("\xff\xfe" "ab"), 4);
	CHECK_INT(text_width("\xe5\x8d"), 2);          /* truncated 华 */
	CHECK_INT(text_width("\xe5\x8d" "华"), 4);
	CHECK_INT(text_width("\xc0\xaf"), 2);          /* overlong '/' */
}

TEST(test_chinese_text_with_tab_newline_cr_is_valid)
{
	CHECK_INT(valid("华夏食品\t2024年\r\n预算：￥1,000"), 1);
	CHECK_INT(valid(""), 1);
	CHECK_INT(valid("😀"), 1);
	CHECK_INT(valid("\xed\x9f\xbf"), 1);     /* U+D7FF, just below surrogates */
	CHECK_INT(valid("\xee\x80\x80"), 1);     /* U+E000, just above */
	CHECK_INT(valid("\xf4\x8f\xbf\xbf"), 1); /* U+10FFFF */
	CHECK_INT(valid("\x7f"), 1);             /* DEL is not C0 */
	CHECK_INT(text_utf8_valid(NULL, 0), 0);
}

TEST(test_overlong_and_surrogate_are_invalid)
{
	CHECK_INT(valid("\xc0\xaf"), 0);             /* overlong '/' in 2 bytes */
	CHECK_INT(valid("\xc1\xbf"), 0);
	CHECK_INT(valid("\xe0\x80\xaf"), 0);         /* overlong in 3 bytes */
	CHECK_INT(valid("\xe0\x9f\xbf"), 0);         /* U+07FF in 3 bytes */
	CHECK_INT(valid("\xf0\x80\x80\xaf"), 0);     /* overlong in 4 bytes */
	CHECK_INT(valid("\xf0\x8f\xbf\xbf"), 0);     /* U+FFFF in 4 bytes */
	CHECK_INT(valid("\xed\xa0\x80"), 0);         /* U+D800 */
	CHECK_INT(valid("\xed\xbf\xbf"), 0);         /* U+DFFF */
	CHECK_INT(valid("\xed\xa0\xbd\xed\xb8\x80"), 0); /* CESU-8 surrogate pair */
}

TEST(test_above_u10ffff_and_bad_lead_bytes_are_invalid)
{
	CHECK_INT(valid("\xf4\x90\x80\x80"), 0); /* U+110000 */
	CHECK_INT(valid("\xf5\x80\x80\x80"), 0);
	CHECK_INT(valid("\xf8\x88\x80\x80\x80"), 0);
	CHECK_INT(valid("\xfe"), 0);
	CHECK_INT(valid("\xff"), 0);
	CHECK_INT(valid("\x80"), 0);             /* lone continuation */
	CHECK_INT(valid("a\xbf" "b"), 0);
}

TEST(test_truncated_sequence_is_invalid)
{
	CHECK_INT(valid("\xe5\x8d"), 0);          /* 华 missing its last byte */
	CHECK_INT(valid("\xe5\x8d" "A"), 0);      /* next byte is not a continuation */
	CHECK_INT(valid("\xf0\x9f\x98"), 0);      /* 😀 missing its last byte */
	CHECK_INT(valid("\xc3"), 0);
	/* the length bound is honoured: a valid char cut by len is truncated */
	CHECK_INT(text_utf8_valid("华", 2), 0);
	CHECK_INT(text_utf8_valid("华", 3), 1);
}

TEST(test_nul_and_c0_controls_are_invalid)
{
	CHECK_INT(text_utf8_valid("a\0b", 3), 0);
	CHECK_INT(valid("\x01"), 0);
	CHECK_INT(valid("red \x1b[31m"), 0);  /* ESC: terminal injection */
	CHECK_INT(valid("\b"), 0);
	CHECK_INT(valid("\x1f"), 0);
}

TEST(test_decode_advances_past_each_code_point)
{
	const char *s = "华A😀";
	size_t len = strlen(s), pos = 0;
	uint32_t cp = 0;

	CHECK_INT(text_utf8_decode(s, len, &pos, &cp), 0);
	CHECK_INT(cp, 0x534E);
	CHECK_INT(pos, 3);
	CHECK_INT(text_utf8_decode(s, len, &pos, &cp), 0);
	CHECK_INT(cp, 'A');
	CHECK_INT(pos, 4);
	CHECK_INT(text_utf8_decode(s, len, &pos, &cp), 0);
	CHECK_INT(cp, 0x1F600);
	CHECK_INT(pos, 8);
	CHECK_INT(text_utf8_decode(s, len, &pos, &cp), -1);
	CHECK_INT(pos, 8);
}

TEST(test_decode_failure_leaves_position_unchanged)
{
	const char *s = "A\xed\xa0\x80";
	size_t pos = 1;
	uint32_t cp = 0;

	CHECK_INT(text_utf8_decode(s, strlen(s), &pos, &cp), -1);
	CHECK_INT(pos, 1);
	CHECK_INT(text_utf8_decode(s, strlen(s), NULL, &cp), -1);
}

TEST(test_pad_fills_to_display_width_and_never_truncates)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CHECK(f != NULL);
	if (!f)
		return;
	text_pad(f, "华夏", 6);
	fputc('|', f);
	text_pad(f, "AB", 4);
	fputc('|', f);
	text_pad(f, "北京长城", 4);
	fputc('|', f);
	text_pad(f, NULL, 2);
	fputc('|', f);
	fclose(f);
	CHECK_STR(buf, "华夏  |AB  |北京长城|  |");
	free(buf);
}

TEST(test_table_columns_line_up_with_mixed_chinese_and_latin)
{
	const char *const headers[] = { "客户", "代码", "代理商" };
	const char *const r1[] = { "华夏食品", "HXSP", "北京长城广告有限公司" };
	const char *const r2[] = { "ACME", "ACME-01", "Ogilvy" };
	const char *const r3[] = { "北京长城广告有限公司", "BJCC", "自营" };
	/* per line: the text that opens column 2 and column 3 (rule line is "-") */
	const char *const col2[] = { "代码", NULL, "HXSP", "ACME-01", "BJCC" };
	const char *const col3[] = { "代理商", NULL, "北京长城", "Ogilvy", "自营" };
	const char *expected =
	    "客户                  代码     代理商\n"
	    "--------------------  -------  --------------------\n"
	    "华夏食品              HXSP     北京长城广告有限公司\n"
	    "ACME                  ACME-01  Ogilvy\n"
	    "北京长城广告有限公司  BJCC     自营\n";
	text_table *t = text_table_new(3, headers);
	char *out, *line, *save = NULL;
	int i = 0;

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(text_table_add(t, r1), 0);
	CHECK_INT(text_table_add(t, r2), 0);
	CHECK_INT(text_table_add(t, r3), 0);
	out = table_to_string(t);
	CHECK_STR(out, expected);
	if (out) {
		for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
			if (i >= 5)
				break;
			if (!col2[i]) {
				/* the rule: 20 dashes, two spaces, 7 dashes, two spaces, 20 dashes */
				CHECK_INT(strspn(line, "-"), 20);
				CHECK_INT(col_of(line, "  -"), 20);
				CHECK_INT(strspn(line + 22, "-"), 7);
				CHECK_INT(col_of(line + 22, "  -") + 22, 29);
				continue;
			}
			CHECK_INT(col_of(line, col2[i]), 22);
			CHECK_INT(col_of(line, col3[i]), 31);
			CHECK(line[strlen(line) - 1] != ' ');
		}
		CHECK_INT(i, 5);
	}
	free(out);
	text_table_free(t);
}

TEST(test_table_has_no_trailing_spaces_when_last_cells_are_empty)
{
	const char *const headers[] = { "名称", "备注" };
	const char *const r1[] = { "华夏", "" };
	const char *const r2[] = { "ACME", NULL };
	text_table *t = text_table_new(2, headers);
	char *out;

	CHECK(t != NULL);
	if (!t)
		return;
	text_table_add(t, r1);
	text_table_add(t, r2);
	out = table_to_string(t);
	CHECK_STR(out,
	    "名称  备注\n"
	    "----  ----\n"
	    "华夏\n"
	    "ACME\n");
	free(out);
	text_table_free(t);
}

TEST(test_table_copies_cells_so_caller_buffers_may_change)
{
	const char *const headers[] = { "客户" };
	char buf[32] = "华夏食品";
	const char *row[] = { buf };
	text_table *t = text_table_new(1, headers);
	char *out;

	CHECK(t != NULL);
	if (!t)
		return;
	text_table_add(t, row);
	strcpy(buf, "XXXX");
	out = table_to_string(t);
	CHECK_STR(out, "客户\n--------\n华夏食品\n");
	free(out);
	text_table_free(t);
}

TEST(test_table_turns_control_chars_in_cells_into_spaces)
{
	const char *const headers[] = { "A", "B" };
	const char *const row[] = { "x\ny", "\x1b[31mz" };
	text_table *t = text_table_new(2, headers);
	char *out;

	CHECK(t != NULL);
	if (!t)
		return;
	text_table_add(t, row);
	out = table_to_string(t);
	CHECK_STR(out,
	    "A    B\n"
	    "---  ------\n"
	    "x y   [31mz\n");
	free(out);
	text_table_free(t);
}

TEST(test_table_with_only_headers_prints_header_and_rule)
{
	const char *const headers[] = { "项目", "金额" };
	text_table *t = text_table_new(2, headers);
	char *out;

	CHECK(t != NULL);
	if (!t)
		return;
	out = table_to_string(t);
	CHECK_STR(out, "项目  金额\n----  ----\n");
	free(out);
	text_table_free(t);
	CHECK(text_table_new(0, headers) == NULL);
	CHECK_INT(text_table_add(NULL, headers), -1);
	text_table_free(NULL);
}

int main(void)
{
	RUN(test_ascii_is_one_column_per_character);
	RUN(test_chinese_name_is_two_columns_per_character);
	RUN(test_cjk_punctuation_and_fullwidth_forms_are_two_columns);
	RUN(test_kana_and_hangul_are_two_columns);
	RUN(test_combining_marks_and_zero_width_chars_take_no_columns);
	RUN(test_common_emoji_are_two_columns);
	RUN(test_text_style_symbols_inside_emoji_blocks_are_one_column);
	RUN(test_width_range_edges_are_exact);
	RUN(test_invalid_bytes_count_one_column_each);
	RUN(test_chinese_text_with_tab_newline_cr_is_valid);
	RUN(test_overlong_and_surrogate_are_invalid);
	RUN(test_above_u10ffff_and_bad_lead_bytes_are_invalid);
	RUN(test_truncated_sequence_is_invalid);
	RUN(test_nul_and_c0_controls_are_invalid);
	RUN(test_decode_advances_past_each_code_point);
	RUN(test_decode_failure_leaves_position_unchanged);
	RUN(test_pad_fills_to_display_width_and_never_truncates);
	RUN(test_table_columns_line_up_with_mixed_chinese_and_latin);
	RUN(test_table_has_no_trailing_spaces_when_last_cells_are_empty);
	RUN(test_table_copies_cells_so_caller_buffers_may_change);
	RUN(test_table_turns_control_chars_in_cells_into_spaces);
	RUN(test_table_with_only_headers_prints_header_and_rule);
	return check_summary();
}
