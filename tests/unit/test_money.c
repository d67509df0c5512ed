/*
 * NAME
 *	test_money.c - amounts in fen, figures and the PBOC uppercase (R-CONTRACT-1)
 *
 * SYNOPSIS
 *	test_money
 *
 * DESCRIPTION
 *	R-CONTRACT-1: a contract's uppercase amount is generated from the figure,
 *	and a contract whose two amounts disagree is refused. These tests pin the
 *	PBOC examples exactly, the variants the rules allow, the spellings they
 *	refuse, and round trips over every amount 0..2000.00 yuan and thousands of
 *	random large ones, checked against an independent, lenient reader of the
 *	uppercase written here (test_read_upper).
 *
 * DIAGNOSTICS
 *	Prints a FAIL line per failed check and a closing "N passed, N failed";
 *	exits 1 if any test failed.
 */
#include "check.h"
#include "money.h"

#include <stdint.h>

/* Parse a figure, -999 when refused, so a CHECK_INT shows both. */
static int64_t parse(const char *s)
{
	int64_t fen = -999;

	if (money_parse(s, &fen) != 0)
		return -999;
	return fen;
}

/* Format into a static buffer (tests only). */
static const char *fmt(int64_t fen)
{
	static char buf[MONEY_FORMAT_MAX];

	if (money_format(fen, buf, sizeof(buf)) != 0)
		return "(error)";
	return buf;
}

/* Uppercase into a static buffer (tests only). */
static const char *up(int64_t fen)
{
	static char buf[MONEY_UPPER_MAX];

	if (money_upper(fen, buf, sizeof(buf)) != 0)
		return "(error)";
	return buf;
}

/*
 * An independent, lenient reader of an uppercase amount: digits and units
 * are summed the way a person reads them, 零 and 整 are ignored. It does not
 * judge spelling (money_upper_matches does); it only proves that what
 * money_upper prints means the amount it was given. -1 on an unknown char.
 */
static int64_t test_read_upper(const char *s)
{
	static const char *const digits[10] = { "零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖" };
	int64_t yi = 0, wan = 0, sec = 0, digit = 0, yuan = 0, jiao = 0, fen = 0;
	int i;

	while (*s) {
		int known = 0;

		for (i = 0; i < 10; i++) {
			if (strncmp(s, digits[i], 3) == 0) {
				digit = i;
				known = 1;
			}
		}
		if (strncmp(s, "拾", 3) == 0)
			sec += digit * 10, digit = 0, known = 1;
		else if (strncmp(s, "佰", 3) == 0)
			sec += digit * 100, digit = 0, known = 1;
		else if (strncmp(s, "仟", 3) == 0)
			sec += digit * 1000, digit = 0, known = 1;
		else if (strncmp(s, "万", 3) == 0)
			wan = (sec + digit) * 10000, sec = digit = 0, known = 1;
		else if (strncmp(s, "亿", 3) == 0)
			yi = (yi + wan + sec + digit) * 100000000, wan = sec = digit = 0, known = 1;
		else if (strncmp(s, "元", 3) == 0)
			yuan = yi + wan + sec + digit, yi = wan = sec = digit = 0, known = 1;
		else if (strncmp(s, "角", 3) == 0)
			jiao = digit, digit = 0, known = 1;
		else if (strncmp(s, "分", 3) == 0)
			fen = digit, digit = 0, known = 1;
		else if (strncmp(s, "整", 3) == 0)
			known = 1;
		if (!known)
			return -1;
		s += 3;
	}
	return yuan * 100 + jiao * 10 + fen;
}

/* a small deterministic generator, so a failure can be replayed */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

/* Next pseudo-random 64-bit value (xorshift64*). */
static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

/* 10 to the power k, k in 0..18. */
static int64_t test_pow10(int k)
{
	int64_t p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

TEST(test_money_parse_accepts_typed_figures)
{
	CHECK_INT(parse("1409.50"), 140950);
	CHECK_INT(parse("1,409.5"), 140950);
	CHECK_INT(parse("1,409"), 140900);
	CHECK_INT(parse("120000301"), 12000030100);
	CHECK_INT(parse("120,000,301.00"), 12000030100);
	CHECK_INT(parse("0"), 0);
	CHECK_INT(parse("0.05"), 5);
	CHECK_INT(parse("0.5"), 50);
	CHECK_INT(parse("999"), 99900);
	CHECK_INT(parse("9999999999999.99"), MONEY_MAX_FEN);
	CHECK_INT(parse("9,999,999,999,999.99"), MONEY_MAX_FEN);
}

TEST(test_money_parse_refuses_the_rest)
{
	static const char *const bad[] = {
		"", "-3.2", "+3", "1.234", "abc", "1 409.50", " 1409", "1409 ", "1.", ".5",
		"0100", "00.5", "0,123", "1,2345", "12,34,567", ",409", "1409,", "1,,409",
		"1,409.5.0", "10000000000000", "99999999999999.99", "1e3", "１２３", "1409.5x",
		"1.-5", "1,409.", "1_000",
	};
	size_t i;
	int64_t fen = 42;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (money_parse(bad[i], &fen) != MONEY_EINVAL)
			fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
		CHECK(money_parse(bad[i], &fen) == MONEY_EINVAL);
	}
	CHECK_INT(fen, 42); /* left alone on refusal */
	CHECK_INT(money_parse(NULL, &fen), MONEY_EINVAL);
	CHECK_INT(money_parse("1", NULL), MONEY_EINVAL);
}

TEST(test_money_format_groups_and_two_decimals)
{
	char small[8];

	CHECK_STR(fmt(140950), "1,409.50");
	CHECK_STR(fmt(0), "0.00");
	CHECK_STR(fmt(5), "0.05");
	CHECK_STR(fmt(99999), "999.99");
	CHECK_STR(fmt(100000), "1,000.00");
	CHECK_STR(fmt(12000030100), "120,000,301.00");
	CHECK_STR(fmt(MONEY_MAX_FEN), "9,999,999,999,999.99");
	CHECK_STR(fmt(-320), "-3.20");
	CHECK_STR(fmt(INT64_MIN), "-92,233,720,368,547,758.08");
	CHECK_INT(money_format(140950, small, sizeof(small)), MONEY_ENOSPC);
	CHECK_STR(small, "");
	CHECK_INT(money_format(140950, small, 0), MONEY_ENOSPC);
	CHECK_INT(money_format(1, NULL, 10), MONEY_EINVAL);
	/* every figure format prints, money_parse reads back */
	CHECK_INT(parse(fmt(12345678901)), 12345678901);
}

TEST(test_r_contract_1_pboc_examples_print_exactly)
{
	CHECK_STR(up(140950), "壹仟肆佰零玖元伍角");
	CHECK_STR(up(600714), "陆仟零柒元壹角肆分");
	CHECK_STR(up(10700053), "壹拾万柒仟元零伍角叁分");
	CHECK_STR(up(1640902), "壹万陆仟肆佰零玖元零贰分");
	CHECK_STR(up(32504), "叁佰贰拾伍元零肆分");
	CHECK_STR(up(53200), "伍佰叁拾贰元整");
	CHECK_STR(up(10000005), "壹拾万元零伍分");
	CHECK_STR(up(12000030100), "壹亿贰仟万零叁佰零壹元整");
	CHECK_STR(up(168032), "壹仟陆佰捌拾元零叁角贰分");
}

TEST(test_r_contract_1_edge_amounts_print)
{
	CHECK_STR(up(0), "零元整");
	CHECK_STR(up(5), "伍分");
	CHECK_STR(up(50), "伍角");
	CHECK_STR(up(53), "伍角叁分");
	CHECK_STR(up(100), "壹元整");
	CHECK_STR(up(1000), "壹拾元整");
	CHECK_STR(up(1500), "壹拾伍元整");
	CHECK_STR(up(1005), "壹拾元零伍分");
	CHECK_STR(up(1050), "壹拾元零伍角");
	CHECK_STR(up(1000000), "壹万元整");
	CHECK_STR(up(1000100), "壹万零壹元整");
	CHECK_STR(up(100010000), "壹佰万零壹佰元整");
	CHECK_STR(up(1070000000), "壹仟零柒拾万元整");
	CHECK_STR(up(10000000000), "壹亿元整");
	CHECK_STR(up(10000000100), "壹亿零壹元整");
	CHECK_STR(up(10001000000), "壹亿零壹万元整");
	CHECK_STR(up(10000700000), "壹亿零柒仟元整");
	CHECK_STR(up(101000000000), "壹拾亿壹仟万元整");
	CHECK_STR(up(INT64_C(100000000000000)), "壹万亿元整");
	CHECK_STR(up(INT64_C(100010000000000)), "壹万零壹亿元整");
	CHECK_STR(up(INT64_C(100000001000000)), "壹万亿零壹万元整");
	CHECK_STR(up(INT64_C(150000000000000)), "壹万伍仟亿元整");
	CHECK_STR(up(MONEY_MAX_FEN), "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
}

TEST(test_r_contract_1_allowed_variants_are_accepted)
{
	/* the printed spelling */
	CHECK_INT(money_upper_matches(10700053, "壹拾万柒仟元零伍角叁分"), 1);
	/* the PBOC's second spelling, and each optional 零 on its own */
	CHECK_INT(money_upper_matches(10700053, "壹拾万零柒仟元伍角叁分"), 1);
	CHECK_INT(money_upper_matches(10700053, "壹拾万零柒仟元零伍角叁分"), 1);
	CHECK_INT(money_upper_matches(10700053, "壹拾万柒仟元伍角叁分"), 1);
	CHECK_INT(money_upper_matches(168032, "壹仟陆佰捌拾元叁角贰分"), 1);
	CHECK_INT(money_upper_matches(101000000000, "壹拾亿零壹仟万元整"), 1);
	CHECK_INT(money_upper_matches(1000700000, "壹仟万零柒仟元整"), 1);
	/* 整 after 角 may or may not be written */
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰零玖元伍角整"), 1);
	CHECK_INT(money_upper_matches(50, "伍角整"), 1);
	/* 正 for 整, the "人民币" label, traditional characters */
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾贰元正"), 1);
	CHECK_INT(money_upper_matches(53200, "人民币伍佰叁拾贰元整"), 1);
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾貳圓整"), 1);
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾贰圆整"), 1);
	CHECK_INT(money_upper_matches(600714, "陸仟零柒元壹角肆分"), 1);
	CHECK_INT(money_upper_matches(12000030100, "壹億贰仟萬零叁佰零壹元整"), 1);
	CHECK_INT(money_upper_matches(0, "零元整"), 1);
	CHECK_INT(money_upper_matches(0, "人民币零元正"), 1);
}

TEST(test_r_contract_1_disagreeing_uppercase_is_refused)
{
	/* a digit off, 角 for 分, a unit off */
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰零捌元伍角"), 0);
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰零玖元伍分"), 0);
	CHECK_INT(money_upper_matches(140905, "壹仟肆佰零玖元伍角"), 0);
	CHECK_INT(money_upper_matches(140950, "壹万肆佰零玖元伍角"), 0);
	CHECK_INT(money_upper_matches(12000030100, "壹亿贰仟万零叁佰零壹元零壹分"), 0);
	/* a mandatory 零 missing or doubled */
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰玖元伍角"), 0);
	CHECK_INT(money_upper_matches(600714, "陆仟零零柒元壹角肆分"), 0);
	CHECK_INT(money_upper_matches(32504, "叁佰贰拾伍元肆分"), 0);
	CHECK_INT(money_upper_matches(10000005, "壹拾万元伍分"), 0);
	CHECK_INT(money_upper_matches(12000030100, "壹亿贰仟万叁佰零壹元整"), 0);
	CHECK_INT(money_upper_matches(10000700000, "壹亿柒仟元整"), 0);
	/* 零 where no rule allows one */
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰零玖元零伍角"), 0);
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾贰元零整"), 0);
	/* 整: required after 元, forbidden after 分 */
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾贰元"), 0);
	CHECK_INT(money_upper_matches(1640902, "壹万陆仟肆佰零玖元零贰分整"), 0);
	CHECK_INT(money_upper_matches(0, "零元"), 0);
	/* a bare leading 拾, forbidden characters, 零元 before 角 */
	CHECK_INT(money_upper_matches(1000, "拾元整"), 0);
	CHECK_INT(money_upper_matches(10700053, "拾万柒仟元零伍角叁分"), 0);
	CHECK_INT(money_upper_matches(1000, "壹十元整"), 0);
	CHECK_INT(money_upper_matches(53200, "五佰叁拾贰元整"), 0);
	CHECK_INT(money_upper_matches(600714, "陆仟另柒元壹角肆分"), 0);
	CHECK_INT(money_upper_matches(140950, "壹仟肆佰零玖元伍毛"), 0);
	CHECK_INT(money_upper_matches(50, "零元伍角"), 0);
	/* spaces, junk, empty, NULL, out of range */
	CHECK_INT(money_upper_matches(53200, "伍佰叁拾贰元整 "), 0);
	CHECK_INT(money_upper_matches(53200, " 伍佰叁拾贰元整"), 0);
	CHECK_INT(money_upper_matches(53200, "伍佰 叁拾贰元整"), 0);
	CHECK_INT(money_upper_matches(53200, "人民币人民币伍佰叁拾贰元整"), 0);
	CHECK_INT(money_upper_matches(53200, "\xE4\xBC"), 0);
	CHECK_INT(money_upper_matches(53200, ""), 0);
	CHECK_INT(money_upper_matches(53200, NULL), 0);
	CHECK_INT(money_upper_matches(-53200, "伍佰叁拾贰元整"), 0);
	CHECK_INT(money_upper_matches(MONEY_MAX_FEN + 1, "壹拾万亿元整"), 0);
	/* an accepted variant of one amount is refused for its neighbours */
	CHECK_INT(money_upper_matches(10700054, "壹拾万零柒仟元伍角叁分"), 0);
	CHECK_INT(money_upper_matches(10700153, "壹拾万零柒仟元伍角叁分"), 0);
	CHECK_INT(money_upper_matches(140951, "壹仟肆佰零玖元伍角整"), 0);
}

TEST(test_money_upper_refuses_bad_arguments)
{
	char small[10];

	CHECK_INT(money_upper(-1, small, sizeof(small)), MONEY_EINVAL);
	CHECK_INT(money_upper(MONEY_MAX_FEN + 1, small, sizeof(small)), MONEY_EINVAL);
	CHECK_INT(money_upper(140950, NULL, 10), MONEY_EINVAL);
	CHECK_INT(money_upper(140950, small, sizeof(small)), MONEY_ENOSPC);
	CHECK_STR(small, "");
	CHECK_INT(money_upper(53200, small, 0), MONEY_ENOSPC);
	CHECK_INT(money_upper(100, small, sizeof(small)), 0); /* 壹元整 = 9 bytes + NUL */
	CHECK_STR(small, "壹元整");
}

/* Check x's printed spelling: readable back as x, accepted for x, refused for nearby y. */
static int round_trip_ok(int64_t x)
{
	static const int64_t deltas[] = { 1, 9, 10, 90, 100, 1000, 10000, 100000, INT64_C(10000000000) };
	char buf[MONEY_UPPER_MAX];
	size_t i;

	if (money_upper(x, buf, sizeof(buf)) != 0)
		return 0;
	if (test_read_upper(buf) != x || money_upper_matches(x, buf) != 1)
		return 0;
	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		if (x - deltas[i] >= 0 && money_upper_matches(x - deltas[i], buf))
			return 0;
		if (x + deltas[i] <= MONEY_MAX_FEN && money_upper_matches(x + deltas[i], buf))
			return 0;
	}
	return 1;
}

TEST(test_r_contract_1_round_trip_every_amount_to_2000_yuan)
{
	int64_t x;
	int bad = 0;

	for (x = 0; x <= 200000; x++) {
		if (!round_trip_ok(x) && bad++ < 5)
			fprintf(stderr, "    round trip fails for %lld: %s\n", (long long)x, up(x));
	}
	CHECK_INT(bad, 0);
}

TEST(test_r_contract_1_round_trip_random_large_amounts)
{
	int i, bad = 0;

	for (i = 0; i < 6000; i++) {
		/* uniform; uniform below a random power of ten; sparse (most digits 0, for the 零 rules) */
		int64_t x = (int64_t)(rng_next() % (uint64_t)(MONEY_MAX_FEN + 1));
		if (i % 3 == 1)
			x %= test_pow10((int)(rng_next() % 16));
		if (i % 3 == 2) {
			int k;

			for (x = 0, k = 0; k < 15; k++)
				x = x * 10 + (rng_next() % 4 == 0 ? (int64_t)(rng_next() % 10) : 0);
		}
		if (!round_trip_ok(x) && bad++ < 5)
			fprintf(stderr, "    round trip fails for %lld: %s\n", (long long)x, up(x));
	}
	CHECK_INT(bad, 0);
}

int main(void)
{
	RUN(test_money_parse_accepts_typed_figures);
	RUN(test_money_parse_refuses_the_rest);
	RUN(test_money_format_groups_and_two_decimals);
	RUN(test_r_contract_1_pboc_examples_print_exactly);
	RUN(test_r_contract_1_edge_amounts_print);
	RUN(test_r_contract_1_allowed_variants_are_accepted);
	RUN(test_r_contract_1_disagreeing_uppercase_is_refused);
	RUN(test_money_upper_refuses_bad_arguments);
	RUN(test_r_contract_1_round_trip_every_amount_to_2000_yuan);
	RUN(test_r_contract_1_round_trip_random_large_amounts);
	return check_summary();
}
