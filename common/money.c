/*
 * NAME
 *	money.c - amounts in fen, their figures and their Chinese uppercase (大写)
 *
 * SYNOPSIS
 *	#include "money.h"
 *
 *	int money_parse(const char *s, int64_t *fen);
 *	int money_format(int64_t fen, char *buf, size_t len);
 *	int money_upper(int64_t fen, char *buf, size_t len);
 *	int money_upper_matches(int64_t fen, const char *upper);
 *
 * DESCRIPTION
 *	See money.h for what is accepted and printed. Inside, one writer
 *	(upper_write) produces the uppercase amount; every place where the PBOC
 *	rules allow two spellings is a numbered "site", and a variant bit mask
 *	flips the printed choice at each site. money_upper() prints variant 0;
 *	money_upper_matches() normalises its input (人民币, 正, traditional
 *	characters) and compares it with every variant, so what is accepted is
 *	exactly what the rules allow, by construction, and never depends on a
 *	second grammar staying in step with the first.
 *
 * DIAGNOSTICS
 *	MONEY_EINVAL for bad input or an amount out of range, MONEY_ENOSPC for
 *	a buffer too small. No allocation, no global state; thread-safe.
 */
#include "money.h"

#include <string.h>

static const char *const upper_digit[10] = {
	"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖",
};

/* units inside a group of four digits, indexed by position (0 = ones) */
static const char *const upper_unit[4] = { "", "拾", "佰", "仟" };

/* accepted alternative spellings, all 3-byte UTF-8, mapped to the printed ones */
static const struct {
	const char *from, *to;
} upper_alias[] = {
	{ "貳", "贰" }, { "陸", "陆" }, { "億", "亿" }, { "萬", "万" },
	{ "圓", "元" }, { "圆", "元" }, { "正", "整" },
};

/* the longest input money_upper_matches() looks at, in bytes */
#define UPPER_INPUT_MAX 256

/* output state of upper_write: where the bytes go and which variant to spell */
struct upper_out {
	char *buf;
	size_t len;
	size_t pos;
	int overflow;
	unsigned variant;
	int sites;
};

/* Append s to the output, noting overflow instead of writing past the end. */
static void upper_put(struct upper_out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->overflow || o->pos + n + 1 > o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

/* At an optional site: write s if the printed choice (dflt) flipped by this site's variant bit says so. */
static void upper_optional(struct upper_out *o, int dflt, const char *s)
{
	int bit = o->sites < 32 ? (int)((o->variant >> o->sites) & 1u) : 0;

	o->sites++;
	if (dflt ^ bit)
		upper_put(o, s);
}

/*
 * Write one group of four digits, g in 1..9999: a run of zeros between two
 * digits is one 零, zeros at the end of the group are not written, and
 * every unit is preceded by its digit (壹拾, never a bare 拾).
 */
static void upper_group(struct upper_out *o, int64_t g)
{
	int d[4], i, started = 0, pending_zero = 0;

	for (i = 0; i < 4; i++) {
		d[i] = (int)(g % 10);
		g /= 10;
	}
	for (i = 3; i >= 0; i--) {
		if (d[i] == 0) {
			if (started)
				pending_zero = 1;
			continue;
		}
		if (pending_zero)
			upper_put(o, "零");
		pending_zero = 0;
		started = 1;
		upper_put(o, upper_digit[d[i]]);
		upper_put(o, upper_unit[i]);
	}
}

/*
 * Write n (1 .. 9999999999999) as 亿 / 万 groups. The part below a unit,
 * lo, needs one 零 when its leading digit is 0 (壹亿零壹万, 壹万零叁佰);
 * when lo's leading digit is not 0 but the digit just before the unit is
 * (壹拾万柒仟 = 107000), the PBOC rule makes that 零 optional: a site.
 */
static void upper_integer(struct upper_out *o, int64_t n)
{
	int64_t base, hi, lo;
	const char *unit;

	if (n >= INT64_C(100000000)) {
		base = INT64_C(100000000);
		unit = "亿";
	} else if (n >= 10000) {
		base = 10000;
		unit = "万";
	} else {
		upper_group(o, n);
		return;
	}
	hi = n / base;
	lo = n % base;
	upper_integer(o, hi);
	upper_put(o, unit);
	if (lo == 0)
		return;
	if (lo < base / 10)
		upper_put(o, "零");
	else if (hi % 10 == 0)
		upper_optional(o, 0, "零");
	upper_integer(o, lo);
}

/*
 * Write the whole amount, fen in 0 .. MONEY_MAX_FEN, spelled as the given
 * variant; o->sites ends as the number of optional sites for this amount.
 */
static void upper_write(struct upper_out *o, int64_t fen)
{
	int64_t yuan = fen / 100;
	int jiao = (int)(fen / 10 % 10), fen1 = (int)(fen % 10);

	if (o->len > 0)
		o->buf[0] = '\0';
	if (fen == 0) {
		upper_put(o, "零元整");
		return;
	}
	if (yuan > 0) {
		upper_integer(o, yuan);
		upper_put(o, "元");
	}
	if (jiao == 0 && fen1 == 0) {
		upper_put(o, "整");
		return;
	}
	if (yuan > 0 && jiao == 0)
		upper_put(o, "零"); /* 元零肆分: mandatory */
	else if (yuan > 0 && yuan % 10 == 0)
		upper_optional(o, 1, "零"); /* 捌拾元零叁角 or 捌拾元叁角 */
	if (jiao != 0) {
		upper_put(o, upper_digit[jiao]);
		upper_put(o, "角");
	}
	if (fen1 != 0) {
		upper_put(o, upper_digit[fen1]);
		upper_put(o, "分");
	} else {
		upper_optional(o, 0, "整"); /* 伍角 or 伍角整 */
	}
}

/* Copy upper into out with the 人民币 prefix dropped and aliases mapped; -1 if not plain UTF-8 or too long. */
static int upper_normalise(const char *upper, char *out, size_t len)
{
	const char *p = upper;
	size_t pos = 0, n, i;

	if (strncmp(p, "人民币", strlen("人民币")) == 0)
		p += strlen("人民币");
	while (*p) {
		unsigned char c = (unsigned char)*p;
		const char *src = p;

		if (c < 0x80)
			n = 1;
		else if ((c & 0xE0) == 0xC0)
			n = 2;
		else if ((c & 0xF0) == 0xE0)
			n = 3;
		else if ((c & 0xF8) == 0xF0)
			n = 4;
		else
			return -1;
		for (i = 1; i < n; i++)
			if (((unsigned char)p[i] & 0xC0) != 0x80)
				return -1;
		if (n == 3) {
			for (i = 0; i < sizeof(upper_alias) / sizeof(upper_alias[0]); i++) {
				if (memcmp(p, upper_alias[i].from, 3) == 0) {
					src = upper_alias[i].to;
					break;
				}
			}
		}
		if (pos + n + 1 > len)
			return -1;
		memcpy(out + pos, src, n);
		pos += n;
		p += n;
	}
	out[pos] = '\0';
	return 0;
}

/* Parse a typed figure into fen; see money.h for the grammar. */
int money_parse(const char *s, int64_t *fen)
{
	int64_t yuan = 0, frac = 0;
	int ndigits = 0, group = 0, commas = 0;
	const char *p = s;

	if (!s || !fen || !*s)
		return MONEY_EINVAL;
	if (p[0] == '0' && ((p[1] >= '0' && p[1] <= '9') || p[1] == ','))
		return MONEY_EINVAL; /* leading zero */
	for (; *p && *p != '.'; p++) {
		if (*p == ',') {
			/* first group 1-3 digits, every later one exactly 3 */
			if (group == 0 || group > 3 || (commas > 0 && group != 3))
				return MONEY_EINVAL;
			commas++;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return MONEY_EINVAL;
		if (++ndigits > 13)
			return MONEY_EINVAL;
		group++;
		yuan = yuan * 10 + (*p - '0');
	}
	if (ndigits == 0 || (commas > 0 && group != 3) || (commas == 0 && group != ndigits))
		return MONEY_EINVAL;
	if (*p == '.') {
		int decimals = 0;

		for (p++; *p; p++) {
			if (*p < '0' || *p > '9' || ++decimals > 2)
				return MONEY_EINVAL;
			frac = frac * 10 + (*p - '0');
		}
		if (decimals == 0)
			return MONEY_EINVAL;
		if (decimals == 1)
			frac *= 10;
	}
	*fen = yuan * 100 + frac;
	return 0;
}

/* Write fen as "1,409.50", with '-' in front of a negative amount. */
int money_format(int64_t fen, char *buf, size_t len)
{
	char tmp[MONEY_FORMAT_MAX];
	uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	uint64_t yuan = mag / 100;
	size_t pos = sizeof(tmp) - 1, n;
	int digits = 0;

	if (!buf)
		return MONEY_EINVAL;
	/* build right to left: decimals, point, then yuan with commas */
	tmp[pos] = '\0';
	tmp[--pos] = (char)('0' + mag % 10);
	tmp[--pos] = (char)('0' + mag / 10 % 10);
	tmp[--pos] = '.';
	do {
		if (digits > 0 && digits % 3 == 0)
			tmp[--pos] = ',';
		tmp[--pos] = (char)('0' + yuan % 10);
		yuan /= 10;
		digits++;
	} while (yuan > 0);
	if (fen < 0)
		tmp[--pos] = '-';
	n = sizeof(tmp) - 1 - pos;
	if (n + 1 > len) {
		if (len > 0)
			buf[0] = '\0';
		return MONEY_ENOSPC;
	}
	memcpy(buf, tmp + pos, n + 1);
	return 0;
}

/* Write fen as the PBOC uppercase amount (the printed variant). */
int money_upper(int64_t fen, char *buf, size_t len)
{
	struct upper_out o = { buf, len, 0, 0, 0, 0 };

	if (!buf)
		return MONEY_EINVAL;
	if (fen < 0 || fen > MONEY_MAX_FEN) {
		if (len > 0)
			buf[0] = '\0';
		return MONEY_EINVAL;
	}
	upper_write(&o, fen);
	if (o.overflow) {
		if (len > 0)
			buf[0] = '\0';
		return MONEY_ENOSPC;
	}
	return 0;
}

/* 1 if upper is the printed spelling of fen or one of the variants the rules allow, else 0. */
int money_upper_matches(int64_t fen, const char *upper)
{
	char want[UPPER_INPUT_MAX + 1], got[MONEY_UPPER_MAX];
	unsigned v, nvariants;
	struct upper_out o;

	if (!upper || fen < 0 || fen > MONEY_MAX_FEN || strlen(upper) > UPPER_INPUT_MAX)
		return 0;
	if (upper_normalise(upper, want, sizeof(want)) != 0)
		return 0;
	/* variant 0 also counts the sites, which depend on the amount only */
	o = (struct upper_out){ got, sizeof(got), 0, 0, 0, 0 };
	upper_write(&o, fen);
	if (o.overflow)
		return 0;
	if (strcmp(got, want) == 0)
		return 1;
	if (o.sites < 0 || o.sites > 8)
		return 0; /* never: an amount has at most 5 sites */
	nvariants = 1u << o.sites;
	for (v = 1; v < nvariants; v++) {
		o = (struct upper_out){ got, sizeof(got), 0, 0, v, 0 };
		upper_write(&o, fen);
		if (!o.overflow && strcmp(got, want) == 0)
			return 1;
	}
	return 0;
}
