/*
 * NAME
 *	text.c - UTF-8 checking, terminal display width and aligned tables
 *
 * SYNOPSIS
 *	#include "text.h"
 *	See text.h for the functions.
 *
 * DESCRIPTION
 *	Widths come from one sorted table of non-overlapping code point ranges,
 *	each tagged 0 (combining / zero width) or 2 (East Asian Wide or
 *	Fullwidth); a code point outside every range is one column wide, a
 *	control character none.  The table is a practical subset of Unicode
 *	EastAsianWidth.txt and the combining classes, sized for Chinese, Japanese
 *	and Korean names, Latin text with accents, and emoji.  For CJK and emoji
 *	it agrees with glibc's wcwidth() (Unicode 15); combining marks of Indic,
 *	Syriac, Thai and other scripts are not listed and count one column.  It
 *	does not attempt grapheme clustering: a ZWJ emoji sequence counts per
 *	code point.
 *
 *	A table keeps its own copies of every header and cell, so callers may
 *	pass short-lived buffers.
 *
 * DIAGNOSTICS
 *	See text.h.  Nothing here prints to stderr or exits.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

struct width_range {
	uint32_t lo, hi;
	uint8_t width;
};

/* Sorted, non-overlapping; 0 = zero width, 2 = wide.  Anything else is 1. */
static const struct width_range width_ranges[] = {
	{ 0x0300, 0x036F, 0 },   /* combining diacritical marks */
	{ 0x0483, 0x0489, 0 },   /* Cyrillic combining */
	{ 0x0591, 0x05BD, 0 },   /* Hebrew points */
	{ 0x05BF, 0x05BF, 0 },
	{ 0x05C1, 0x05C2, 0 },
	{ 0x05C4, 0x05C5, 0 },
	{ 0x05C7, 0x05C7, 0 },
	{ 0x0610, 0x061A, 0 },   /* Arabic marks */
	{ 0x064B, 0x065F, 0 },
	{ 0x0670, 0x0670, 0 },
	{ 0x06D6, 0x06DC, 0 },
	{ 0x06DF, 0x06E4, 0 },
	{ 0x06E7, 0x06E8, 0 },
	{ 0x06EA, 0x06ED, 0 },
	{ 0x1100, 0x115F, 2 },   /* Hangul Jamo initial consonants */
	{ 0x1160, 0x11FF, 0 },   /* Hangul Jamo vowels and finals (combine) */
	{ 0x1AB0, 0x1AFF, 0 },   /* combining diacritical marks extended */
	{ 0x1DC0, 0x1DFF, 0 },   /* combining diacritical marks supplement */
	{ 0x200B, 0x200F, 0 },   /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
	{ 0x202A, 0x202E, 0 },   /* bidi embedding controls */
	{ 0x2060, 0x2064, 0 },   /* word joiner, invisible operators */
	{ 0x20D0, 0x20FF, 0 },   /* combining marks for symbols */
	{ 0x231A, 0x231B, 2 },   /* watch, hourglass */
	{ 0x2329, 0x232A, 2 },   /* angle brackets */
	{ 0x23E9, 0x23EC, 2 },
	{ 0x23F0, 0x23F0, 2 },
	{ 0x23F3, 0x23F3, 2 },
	{ 0x25FD, 0x25FE, 2 },
	{ 0x2614, 0x2615, 2 },
	{ 0x2648, 0x2653, 2 },   /* zodiac */
	{ 0x267F, 0x267F, 2 },
	{ 0x2693, 0x2693, 2 },
	{ 0x26A1, 0x26A1, 2 },
	{ 0x26AA, 0x26AB, 2 },
	{ 0x26BD, 0x26BE, 2 },
	{ 0x26C4, 0x26C5, 2 },
	{ 0x26CE, 0x26CE, 2 },
	{ 0x26D4, 0x26D4, 2 },
	{ 0x26EA, 0x26EA, 2 },
	{ 0x26F2, 0x26F3, 2 },
	{ 0x26F5, 0x26F5, 2 },
	{ 0x26FA, 0x26FA, 2 },
	{ 0x26FD, 0x26FD, 2 },
	{ 0x2705, 0x2705, 2 },   /* check mark button */
	{ 0x270A, 0x270B, 2 },
	{ 0x2728, 0x2728, 2 },
	{ 0x274C, 0x274C, 2 },   /* cross mark */
	{ 0x274E, 0x274E, 2 },
	{ 0x2753, 0x2755, 2 },
	{ 0x2757, 0x2757, 2 },
	{ 0x2795, 0x2797, 2 },
	{ 0x27B0, 0x27B0, 2 },
	{ 0x27BF, 0x27BF, 2 },
	{ 0x2B1B, 0x2B1C, 2 },
	{ 0x2B50, 0x2B50, 2 },   /* star */
	{ 0x2B55, 0x2B55, 2 },
	{ 0x2E80, 0x3029, 2 },   /* CJK radicals, Kangxi, CJK symbols and punctuation */
	{ 0x302A, 0x302D, 0 },   /* ideographic tone marks (combining) */
	{ 0x302E, 0x303E, 2 },   /* U+303F half fill space is narrow */
	{ 0x3041, 0x3098, 2 },   /* Hiragana */
	{ 0x3099, 0x309A, 0 },   /* combining kana voiced sound marks */
	{ 0x309B, 0xA4CF, 2 },   /* kana, Bopomofo, compat Jamo, CJK Ext A, URO, Yi */
	{ 0xA960, 0xA97F, 2 },   /* Hangul Jamo extended A */
	{ 0xAC00, 0xD7A3, 2 },   /* Hangul syllables */
	{ 0xD7B0, 0xD7FF, 0 },   /* Hangul Jamo extended B (vowels, finals) */
	{ 0xF900, 0xFAFF, 2 },   /* CJK compatibility ideographs */
	{ 0xFE00, 0xFE0F, 0 },   /* variation selectors */
	{ 0xFE10, 0xFE19, 2 },   /* vertical forms */
	{ 0xFE20, 0xFE2F, 0 },   /* combining half marks */
	{ 0xFE30, 0xFE6F, 2 },   /* CJK compatibility forms, small form variants */
	{ 0xFEFF, 0xFEFF, 0 },   /* zero width no-break space (BOM) */
	{ 0xFF00, 0xFF60, 2 },   /* fullwidth forms */
	{ 0xFFE0, 0xFFE6, 2 },   /* fullwidth signs */
	{ 0x16FE0, 0x16FE3, 2 }, /* Tangut and Nushu iteration marks */
	{ 0x16FE4, 0x16FE4, 0 }, /* Khitan filler (combining) */
	{ 0x16FF0, 0x16FF1, 2 },
	{ 0x17000, 0x18CFF, 2 }, /* Tangut, Khitan */
	{ 0x18D00, 0x18D08, 2 },
	{ 0x1AFF0, 0x1AFFE, 2 }, /* kana extended B */
	{ 0x1B000, 0x1B2FF, 2 }, /* kana supplement and extensions, Nushu */
	{ 0x1F004, 0x1F004, 2 }, /* mahjong red dragon */
	{ 0x1F0CF, 0x1F0CF, 2 },
	{ 0x1F18E, 0x1F18E, 2 },
	{ 0x1F191, 0x1F19A, 2 },
	{ 0x1F200, 0x1F202, 2 }, /* enclosed ideographic supplement */
	{ 0x1F210, 0x1F23B, 2 },
	{ 0x1F240, 0x1F248, 2 },
	{ 0x1F250, 0x1F251, 2 },
	{ 0x1F260, 0x1F265, 2 },
	/*
	 * U+1F300..1F64F and U+1F680..1F6FF are emoji, but the gaps below are
	 * symbols with text presentation (thermometer, candle, ...) that
	 * EastAsianWidth.txt and glibc's wcwidth() count as one column.
	 */
	{ 0x1F300, 0x1F320, 2 },
	{ 0x1F32D, 0x1F335, 2 },
	{ 0x1F337, 0x1F37C, 2 },
	{ 0x1F37E, 0x1F393, 2 },
	{ 0x1F3A0, 0x1F3CA, 2 },
	{ 0x1F3CF, 0x1F3D3, 2 },
	{ 0x1F3E0, 0x1F3F0, 2 },
	{ 0x1F3F4, 0x1F3F4, 2 },
	{ 0x1F3F8, 0x1F43E, 2 },
	{ 0x1F440, 0x1F440, 2 },
	{ 0x1F442, 0x1F4FC, 2 },
	{ 0x1F4FF, 0x1F53D, 2 },
	{ 0x1F54B, 0x1F54E, 2 },
	{ 0x1F550, 0x1F567, 2 },
	{ 0x1F57A, 0x1F57A, 2 },
	{ 0x1F595, 0x1F596, 2 },
	{ 0x1F5A4, 0x1F5A4, 2 },
	{ 0x1F5FB, 0x1F64F, 2 }, /* ... and the emoticons block */
	{ 0x1F680, 0x1F6C5, 2 }, /* transport and map symbols */
	{ 0x1F6CC, 0x1F6CC, 2 },
	{ 0x1F6D0, 0x1F6D2, 2 },
	{ 0x1F6D5, 0x1F6D7, 2 },
	{ 0x1F6DC, 0x1F6DF, 2 },
	{ 0x1F6EB, 0x1F6EC, 2 },
	{ 0x1F6F4, 0x1F6FC, 2 },
	{ 0x1F7E0, 0x1F7EB, 2 }, /* coloured circles and squares */
	{ 0x1F7F0, 0x1F7F0, 2 },
	{ 0x1F90C, 0x1F93A, 2 }, /* supplemental symbols and pictographs */
	{ 0x1F93C, 0x1F945, 2 },
	{ 0x1F947, 0x1F9FF, 2 },
	{ 0x1FA70, 0x1FAFF, 2 }, /* symbols and pictographs extended A */
	{ 0x20000, 0x2FFFD, 2 }, /* CJK Ext B..F, compatibility supplement */
	{ 0x30000, 0x3FFFD, 2 }, /* CJK Ext G.. */
	{ 0xE0001, 0xE0001, 0 }, /* language tag */
	{ 0xE0020, 0xE007F, 0 }, /* tag characters */
	{ 0xE0100, 0xE01EF, 0 }, /* variation selectors supplement */
};

/* Decode one sequence at s[*pos]; the single place that knows UTF-8's rules. */
int text_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
	const unsigned char *p;
	size_t avail, n, i;
	uint32_t c, min;

	if (!s || !pos || *pos >= len)
		return -1;
	p = (const unsigned char *)s + *pos;
	avail = len - *pos;
	if (p[0] < 0x80) {
		n = 1, c = p[0], min = 0;
	} else if ((p[0] & 0xE0) == 0xC0) {
		n = 2, c = p[0] & 0x1F, min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, c = p[0] & 0x0F, min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, c = p[0] & 0x07, min = 0x10000;
	} else {
		return -1; /* continuation byte or 0xF8..0xFF as a lead */
	}
	if (n > avail)
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	if (cp)
		*cp = c;
	*pos += n;
	return 0;
}

/* Gate for outside text: well-formed UTF-8 with no NUL and no stray C0 controls. */
int text_utf8_valid(const char *s, size_t len)
{
	size_t pos = 0;
	uint32_t cp;

	if (!s)
		return 0;
	while (pos < len) {
		if (text_utf8_decode(s, len, &pos, &cp) < 0)
			return 0;
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return 0;
	}
	return 1;
}

/* Columns one code point takes in a terminal, by binary search of width_ranges. */
int text_cp_width(uint32_t cp)
{
	size_t lo = 0, hi = sizeof width_ranges / sizeof width_ranges[0];

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	if (cp < width_ranges[0].lo)
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < width_ranges[mid].lo)
			hi = mid;
		else if (cp > width_ranges[mid].hi)
			lo = mid + 1;
		else
			return width_ranges[mid].width;
	}
	return 1;
}

/* Display width of a NUL-terminated string; a bad byte is one column. */
int text_width(const char *s)
{
	size_t len, pos = 0;
	uint32_t cp;
	int w = 0;

	if (!s)
		return 0;
	len = strlen(s);
	while (pos < len) {
		if (text_utf8_decode(s, len, &pos, &cp) < 0) {
			pos++;
			w++;
		} else {
			w += text_cp_width(cp);
		}
	}
	return w;
}

/* Write n spaces; the padding primitive for pad and the table printer. */
static void put_spaces(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* Print s and fill up to width columns, so mixed-script columns line up. */
void text_pad(FILE *f, const char *s, int width)
{
	if (!s)
		s = "";
	fputs(s, f);
	put_spaces(f, width - text_width(s));
}

struct text_table {
	int ncols;
	char **headers;  /* ncols strings */
	char ***rows;    /* nrows arrays of ncols strings */
	size_t nrows, cap;
};

/* Copy a cell, turning control characters into spaces so one cell is one line. */
static char *cell_dup(const char *s)
{
	char *d, *q;

	d = strdup(s ? s : "");
	if (!d)
		return NULL;
	for (q = d; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7F)
			*q = ' ';
	return d;
}

/* Free an array of n copied cells. */
static void cells_free(char **c, int n)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < n; i++)
		free(c[i]);
	free(c);
}

/* Copy ncols cells into a fresh array; NULL if any allocation fails. */
static char **cells_dup(const char *const *src, int n)
{
	char **c;
	int i;

	c = calloc((size_t)n, sizeof *c);
	if (!c)
		return NULL;
	for (i = 0; i < n; i++) {
		c[i] = cell_dup(src ? src[i] : NULL);
		if (!c[i]) {
			cells_free(c, n);
			return NULL;
		}
	}
	return c;
}

/* Start a table with ncols columns and their header titles. */
text_table *text_table_new(int ncols, const char *const *headers)
{
	text_table *t;

	if (ncols < 1)
		return NULL;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ncols = ncols;
	t->headers = cells_dup(headers, ncols);
	if (!t->headers) {
		free(t);
		return NULL;
	}
	return t;
}

/* Append one row of ncols cells (copied); the table is unchanged on failure. */
int text_table_add(text_table *t, const char *const *cells)
{
	char **row;

	if (!t)
		return -1;
	if (t->nrows == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		char ***nrows = realloc(t->rows, ncap * sizeof *nrows);

		if (!nrows)
			return -1;
		t->rows = nrows;
		t->cap = ncap;
	}
	row = cells_dup(cells, t->ncols);
	if (!row)
		return -1;
	t->rows[t->nrows++] = row;
	return 0;
}

/* Print one line: pad every cell but the last non-empty one, so no trailing spaces. */
static void print_line(FILE *f, char *const *cells, const int *widths, int ncols)
{
	int i, last = -1;

	for (i = 0; i < ncols; i++)
		if (cells[i][0])
			last = i;
	for (i = 0; i <= last; i++) {
		if (i > 0)
			fputs("  ", f);
		if (i < last)
			text_pad(f, cells[i], widths[i]);
		else
			fputs(cells[i], f);
	}
	fputc('\n', f);
}

/* Print the dash rule under the header; columns of width 0 get no dashes. */
static void print_rule(FILE *f, const int *widths, int ncols)
{
	int i, j, last = -1;

	for (i = 0; i < ncols; i++)
		if (widths[i] > 0)
			last = i;
	for (i = 0; i <= last; i++) {
		if (i > 0)
			fputs("  ", f);
		for (j = 0; j < widths[i]; j++)
			fputc('-', f);
	}
	fputc('\n', f);
}

/* Print header, rule and rows with every column as wide as its widest cell. */
int text_table_print(text_table *t, FILE *f)
{
	int *widths, i, w;
	size_t r;

	if (!t || !f)
		return -1;
	widths = calloc((size_t)t->ncols, sizeof *widths);
	if (!widths)
		return -1;
	for (i = 0; i < t->ncols; i++) {
		widths[i] = text_width(t->headers[i]);
		for (r = 0; r < t->nrows; r++) {
			w = text_width(t->rows[r][i]);
			if (w > widths[i])
				widths[i] = w;
		}
	}
	print_line(f, t->headers, widths, t->ncols);
	print_rule(f, widths, t->ncols);
	for (r = 0; r < t->nrows; r++)
		print_line(f, t->rows[r], widths, t->ncols);
	free(widths);
	return ferror(f) ? -1 : 0;
}

/* Release the table and every copied string. */
void text_table_free(text_table *t)
{
	size_t r;

	if (!t)
		return;
	cells_free(t->headers, t->ncols);
	for (r = 0; r < t->nrows; r++)
		cells_free(t->rows[r], t->ncols);
	free(t->rows);
	free(t);
}
