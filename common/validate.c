/*
 * NAME
 *	validate.c - checks for the identifiers, phones, dates and names staff type
 *
 * SYNOPSIS
 *	#include "validate.h"
 *
 *	int validate_uscc(const char *s, const char **why);
 *	int validate_phone_cn(const char *s, const char **why);
 *	int validate_phone_normalize(const char *in, char *out, size_t len);
 *	int validate_date(const char *s, int *y, int *m, int *d, const char **why);
 *	int validate_datetime(const char *s, int *y, int *mo, int *d, int *h, int *mi,
 *	    const char **why);
 *	int validate_name(const char *s, size_t maxlen_bytes, const char **why);
 *
 * DESCRIPTION
 *	See validate.h for what each check accepts. The phone checks share one
 *	parser (phone_parse) that splits a number into its kind and parts, so
 *	validation and normalisation can never disagree. The UTF-8 decoder here
 *	is deliberately private, to keep this file self-contained.
 *
 * DIAGNOSTICS
 *	VALIDATE_EINVAL with a reason id in *why; VALIDATE_ENOSPC from the
 *	normaliser. No allocation, no global state; thread-safe.
 */
#include "validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* GB 32100-2015 alphabet: a character's value is its index */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* weights 3^i mod 31 for the first 17 characters */
static const int uscc_weight[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

/* "转" (extension) in UTF-8 */
#define PHONE_EXT_WORD "\xE8\xBD\xAC"

/* the longest phone input looked at, in bytes */
#define PHONE_INPUT_MAX 64

enum phone_kind { PHONE_MOBILE = 1, PHONE_LANDLINE, PHONE_SERVICE };

/* a phone number taken apart: digits only, NUL-terminated */
struct phone {
	enum phone_kind kind;
	char area[5];	/* landline: "010", "0755" */
	char number[12]; /* mobile 11, landline local 7-8, service 10 */
	char ext[7];	/* landline extension, may be empty */
};

/* Set *why when the caller asked for it and return VALIDATE_EINVAL. */
static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return VALIDATE_EINVAL;
}

/* Count the ASCII digits at p. */
static size_t span_digits(const char *p)
{
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

/* Copy n bytes of src into a field of size cap as a string. */
static void copy_field(char *dst, size_t cap, const char *src, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Check a unified social credit code: length, alphabet, division code, check character. */
int validate_uscc(const char *s, const char **why)
{
	int sum = 0, i, check;

	if (!s || !*s)
		return fail(why, "uscc.empty");
	if (strlen(s) != 18)
		return fail(why, "uscc.length");
	for (i = 0; i < 18; i++) {
		const char *c = s[i] ? strchr(uscc_alphabet, s[i]) : NULL;

		if (!c)
			return fail(why, "uscc.char");
		if (i < 17)
			sum += (int)(c - uscc_alphabet) * uscc_weight[i];
	}
	for (i = 2; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(why, "uscc.region");
	check = 31 - sum % 31;
	if (check == 31)
		check = 0;
	if (s[17] != uscc_alphabet[check])
		return fail(why, "uscc.check_char");
	return 0;
}

/* Parse a mobile number (prefix already removed) at q into p. */
static int phone_parse_mobile(const char *q, int has_ext, struct phone *p, const char **why)
{
	char digits[12];
	size_t n = span_digits(q);

	if (n == 3 && (q[3] == ' ' || q[3] == '-')) {
		char sep = q[3];

		if (span_digits(q + 4) != 4 || q[8] != sep || span_digits(q + 9) != 4 || q[13] != '\0')
			return fail(why, "phone.format");
		memcpy(digits, q, 3);
		memcpy(digits + 3, q + 4, 4);
		memcpy(digits + 7, q + 9, 4);
	} else {
		if (q[n] != '\0')
			return fail(why, n == 11 && q[n] == '-' ? "phone.ext" : "phone.format");
		if (n != 11)
			return fail(why, "phone.length");
		memcpy(digits, q, 11);
	}
	digits[11] = '\0';
	if (digits[0] != '1' || digits[1] < '3' || digits[1] > '9')
		return fail(why, "phone.mobile_prefix");
	if (has_ext)
		return fail(why, "phone.ext");
	p->kind = PHONE_MOBILE;
	memcpy(p->number, digits, 12);
	return 0;
}

/* Parse a 400 / 800 number at q into p: solid, 3-3-4 or 4-3-3. */
static int phone_parse_service(const char *q, int has_ext, struct phone *p, const char **why)
{
	size_t group[4], ngroups = 0, total = 0;
	char digits[12], sep = 0;
	const char *r = q;

	for (;;) {
		size_t n = span_digits(r);

		if (n == 0 || ngroups == 3)
			return fail(why, "phone.format");
		if (total + n > 10)
			return fail(why, "phone.length");
		memcpy(digits + total, r, n);
		total += n;
		group[ngroups++] = n;
		r += n;
		if (*r == '\0')
			break;
		if ((*r != ' ' && *r != '-') || (sep && *r != sep))
			return fail(why, "phone.format");
		sep = *r++;
	}
	digits[total] = '\0';
	if (total != 10)
		return fail(why, "phone.length");
	if (!(ngroups == 1 || (ngroups == 3 && group[0] == 3 && group[1] == 3) ||
		(ngroups == 3 && group[0] == 4 && group[1] == 3)))
		return fail(why, "phone.format");
	if (strncmp(digits, "400", 3) != 0 && strncmp(digits, "800", 3) != 0)
		return fail(why, "phone.service_prefix");
	if (has_ext)
		return fail(why, "phone.ext");
	p->kind = PHONE_SERVICE;
	memcpy(p->number, digits, 11);
	return 0;
}

/* The length of the area code that digits at q begin with (3 or 4), or 0 if none. */
static size_t phone_area_length(const char *q)
{
	if (q[0] != '0')
		return 0;
	if (q[1] == '1')
		return q[2] == '0' ? 3 : 0;
	if (q[1] == '2')
		return q[2] >= '0' && q[2] <= '9' ? 3 : 0;
	if (q[1] >= '3' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9' && q[3] >= '0' && q[3] <= '9')
		return 4;
	return 0;
}

/*
 * Parse a landline at q into p: area code (or "(area)"), an optional
 * separator, the local number (solid, or split once 3-4 / 4-4), and an
 * optional "-ext". An extension already given with 转 arrives in p->ext.
 */
static int phone_parse_landline(const char *q, struct phone *p, const char **why)
{
	size_t alen, a, n;
	char local[9];

	if (*q == '(') {
		q++;
		alen = phone_area_length(q);
		if (alen == 0 || span_digits(q) != alen || q[alen] != ')')
			return fail(why, "phone.area_code");
		copy_field(p->area, sizeof(p->area), q, alen);
		q += alen + 1;
		if (*q == ' ' || *q == '-')
			q++;
	} else {
		alen = phone_area_length(q);
		if (alen == 0 || span_digits(q) < alen)
			return fail(why, "phone.area_code");
		copy_field(p->area, sizeof(p->area), q, alen);
		q += alen;
		if (*q == ' ' || *q == '-')
			q++;
	}
	a = span_digits(q);
	if (a >= 7 && a <= 8) {
		memcpy(local, q, a);
		n = a;
		q += a;
	} else if ((a == 3 || a == 4) && (q[a] == ' ' || q[a] == '-') && span_digits(q + a + 1) == 4) {
		memcpy(local, q, a);
		memcpy(local + a, q + a + 1, 4);
		n = a + 4;
		q += a + 1 + 4;
	} else {
		return fail(why, "phone.local");
	}
	local[n] = '\0';
	if (local[0] == '0' || (alen == 3 && n != 8))
		return fail(why, "phone.local");
	if (*q == '-') {
		q++;
		n = span_digits(q);
		if (p->ext[0] || n == 0 || n > 6 || q[n] != '\0')
			return fail(why, "phone.ext");
		copy_field(p->ext, sizeof(p->ext), q, n);
		q += n;
	}
	if (*q != '\0')
		return fail(why, "phone.format");
	p->kind = PHONE_LANDLINE;
	copy_field(p->number, sizeof(p->number), local, strlen(local));
	return 0;
}

/* Take a phone number apart; the one parser behind both phone calls. */
static int phone_parse(const char *s, struct phone *p, const char **why)
{
	char main_part[PHONE_INPUT_MAX + 1];
	const char *q, *ext;
	size_t n, i;

	memset(p, 0, sizeof(*p));
	if (!s || !*s)
		return fail(why, "phone.empty");
	n = strlen(s);
	if (n > PHONE_INPUT_MAX)
		return fail(why, "phone.length");
	/* 转 is the only non-ASCII text a phone may carry */
	for (i = 0; i < n; i++) {
		if (strncmp(s + i, PHONE_EXT_WORD, 3) == 0) {
			i += 2;
			continue;
		}
		if (!strchr("0123456789 -+()", s[i]))
			return fail(why, "phone.char");
	}
	ext = strstr(s, PHONE_EXT_WORD);
	if (ext) {
		n = span_digits(ext + 3);
		if (n == 0 || n > 6 || ext[3 + n] != '\0')
			return fail(why, "phone.ext");
		copy_field(p->ext, sizeof(p->ext), ext + 3, n);
		n = (size_t)(ext - s);
	}
	if (n == 0)
		return fail(why, "phone.empty");
	copy_field(main_part, sizeof(main_part), s, n);
	q = main_part;
	if (q[0] == '+') {
		if (q[1] != '8' || q[2] != '6')
			return fail(why, "phone.country");
		q += 3;
	} else if (q[0] == '8' && q[1] == '6') {
		q += 2;
	} else {
		q = NULL;
	}
	if (q) {
		if (*q == ' ' || *q == '-')
			q++;
		if (*q != '1')
			return fail(why, "phone.mobile_prefix");
		return phone_parse_mobile(q, p->ext[0] != '\0', p, why);
	}
	q = main_part;
	if (q[0] == '1')
		return phone_parse_mobile(q, p->ext[0] != '\0', p, why);
	if (q[0] == '4' || q[0] == '8')
		return phone_parse_service(q, p->ext[0] != '\0', p, why);
	if (q[0] == '0' || q[0] == '(')
		return phone_parse_landline(q, p, why);
	return fail(why, "phone.format");
}

/* Check a mainland mobile, landline or 400/800 number. */
int validate_phone_cn(const char *s, const char **why)
{
	struct phone p;

	return phone_parse(s, &p, why);
}

/* Write the canonical form of a valid phone number. */
int validate_phone_normalize(const char *in, char *out, size_t len)
{
	char tmp[VALIDATE_PHONE_MAX];
	struct phone p;
	int n;

	if (!out)
		return VALIDATE_EINVAL;
	/* parse before touching out: in and out may be the same buffer */
	if (phone_parse(in, &p, NULL) != 0) {
		if (len > 0)
			out[0] = '\0';
		return VALIDATE_EINVAL;
	}
	switch (p.kind) {
	case PHONE_MOBILE:
		n = snprintf(tmp, sizeof(tmp), "%s", p.number);
		break;
	case PHONE_SERVICE:
		n = snprintf(tmp, sizeof(tmp), "%.3s-%.3s-%.4s", p.number, p.number + 3, p.number + 6);
		break;
	default:
		n = snprintf(tmp, sizeof(tmp), "%s-%s%s%s", p.area, p.number, p.ext[0] ? "-" : "", p.ext);
		break;
	}
	if (n < 0 || (size_t)n + 1 > len) {
		if (len > 0)
			out[0] = '\0';
		return VALIDATE_ENOSPC;
	}
	memcpy(out, tmp, (size_t)n + 1);
	return 0;
}

/* Read exactly n ASCII digits at s as a number, or -1. */
static int read_fixed(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days in month m (1-12) of year y, Gregorian. */
static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Check the 10 bytes "YYYY-MM-DD" at s (s may go on) and read them. */
static int date_parse(const char *s, int *y, int *m, int *d, const char **why)
{
	int yy = read_fixed(s, 4), mm, dd;

	if (yy < 0 || s[4] != '-')
		return fail(why, "date.format");
	mm = read_fixed(s + 5, 2);
	if (mm < 0 || s[7] != '-')
		return fail(why, "date.format");
	dd = read_fixed(s + 8, 2);
	if (dd < 0)
		return fail(why, "date.format");
	if (yy < 1900 || yy > 2199)
		return fail(why, "date.year");
	if (mm < 1 || mm > 12)
		return fail(why, "date.month");
	if (dd < 1 || dd > days_in_month(yy, mm))
		return fail(why, "date.day");
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

/* Check a strict YYYY-MM-DD calendar date, 1900-2199. */
int validate_date(const char *s, int *y, int *m, int *d, const char **why)
{
	int yy, mm, dd;

	if (!s || !*s)
		return fail(why, "date.empty");
	if (strlen(s) != 10)
		return fail(why, "date.format");
	if (date_parse(s, &yy, &mm, &dd, why) != 0)
		return VALIDATE_EINVAL;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return 0;
}

/* Check a strict "YYYY-MM-DD HH:MM" (or 'T') local date and time. */
int validate_datetime(const char *s, int *y, int *mo, int *d, int *h, int *mi, const char **why)
{
	int yy, mm, dd, hh, mn;

	if (!s || !*s)
		return fail(why, "datetime.empty");
	if (strlen(s) != 16 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
		return fail(why, "datetime.format");
	hh = read_fixed(s + 11, 2);
	mn = read_fixed(s + 14, 2);
	if (hh < 0 || mn < 0)
		return fail(why, "datetime.format");
	if (date_parse(s, &yy, &mm, &dd, why) != 0)
		return VALIDATE_EINVAL;
	if (hh > 23)
		return fail(why, "datetime.hour");
	if (mn > 59)
		return fail(why, "datetime.minute");
	if (y)
		*y = yy;
	if (mo)
		*mo = mm;
	if (d)
		*d = dd;
	if (h)
		*h = hh;
	if (mi)
		*mi = mn;
	return 0;
}

/*
 * Decode one UTF-8 character at s into *cp; return its length in bytes, or
 * 0 when it is malformed: a stray continuation byte, a truncated sequence,
 * an overlong form, a surrogate, or a code point above U+10FFFF.
 */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0; /* also stops at the NUL of a truncated sequence */
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* 1 if cp is a control character a name must not carry. */
static int name_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Check a display name: UTF-8, no controls, not blank, at most maxlen_bytes. */
int validate_name(const char *s, size_t maxlen_bytes, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	int blank = 1;
	uint32_t cp;

	if (!s)
		return fail(why, "name.empty");
	while (*p) {
		size_t n = utf8_decode(p, &cp);

		if (n == 0)
			return fail(why, "name.utf8");
		if (name_is_control(cp))
			return fail(why, "name.control");
		if (cp != 0x20 && cp != 0x3000)
			blank = 0;
		p += n;
	}
	if (blank)
		return fail(why, "name.empty");
	if (maxlen_bytes > 0 && (size_t)(p - (const unsigned char *)s) > maxlen_bytes)
		return fail(why, "name.too_long");
	return 0;
}
