/*
 * NAME
 *	holidays.c - China's official holidays and adjusted working days (调休)
 *
 * SYNOPSIS
 *	#include "holidays.h"
 *	holidays *h = holidays_new();
 *	char err[256];
 *	if (holidays_load_dir(h, "deploy/data/holidays-cn", err, sizeof err) < 0)
 *		fprintf(stderr, "%s\n", err);
 *
 * DESCRIPTION
 *	The listed days are kept in an array sorted by day number (civil.c) and
 *	looked up by binary search. The loader is a small hand-written recursive
 *	descent JSON parser that knows the holiday-cn shape: it checks the full JSON
 *	syntax (strings with all escapes, numbers, literals, nesting up to 64 levels),
 *	skips members it does not know and reports the first error with the file's
 *	line number. A file is parsed into a scratch set that is merged into the
 *	target only when the whole file (or directory) parsed, so a failed load
 *	leaves the target as it was. See holidays.h for the interface.
 *
 * DIAGNOSTICS
 *	Errors go to the caller's err buffer as "PATH:LINE: expected WHAT, found
 *	WHAT", or "PATH: reason" when the file cannot be read.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "holidays.h"

#include "civil.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_SIZE (16L * 1024 * 1024)
#define MAX_DEPTH 64
#define MAX_SCAN_DAYS 3660

struct entry {
	int days;	/* day number, see civil.h */
	int off;	/* 1 official day off, 0 adjusted working day */
	size_t seq;	/* load order, to let a later entry win */
	char *name;	/* UTF-8, owned */
};

struct holidays {
	struct entry *v;
	size_t n, cap;
};

struct parser {
	const char *p, *end, *path;
	int line;
	char *err;
	size_t errlen;
};

/* The members of one element of "days" seen so far. */
struct day {
	char *name;
	int days, have_date, off;	/* off: -1 until seen */
};

/* The members of the top-level object seen so far. */
struct top {
	struct holidays *out;
	int have_year, have_days;
};

/* printf into the caller's error buffer, if there is one. */
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Report "expected WHAT, found <next input>" at the current line; returns -1. */
static int fail(struct parser *ps, const char *expected)
{
	char found[32];
	unsigned char c;

	if (ps->p >= ps->end) {
		snprintf(found, sizeof found, "end of file");
	} else {
		c = (unsigned char)*ps->p;
		if (c > 0x20 && c < 0x7f)
			snprintf(found, sizeof found, "'%c'", c);
		else
			snprintf(found, sizeof found, "byte 0x%02x", c);
	}
	set_err(ps->err, ps->errlen, "%s:%d: expected %s, found %s", ps->path, ps->line, expected,
	    found);
	return -1;
}

/* Report "expected WHAT" at line `line` with free text for what was found; returns -1. */
static int fail_at(struct parser *ps, int line, const char *expected, const char *found)
{
	set_err(ps->err, ps->errlen, "%s:%d: expected %s%s%s", ps->path, line, expected,
	    found ? ", found " : "", found ? found : "");
	return -1;
}

/* Skip JSON whitespace, counting lines. */
static void skip_ws(struct parser *ps)
{
	for (; ps->p < ps->end; ps->p++) {
		if (*ps->p == '\n')
			ps->line++;
		else if (*ps->p != ' ' && *ps->p != '\t' && *ps->p != '\r')
			break;
	}
}

/* Consume character c (after whitespace) or fail with `what`. */
static int expect_char(struct parser *ps, char c, const char *what)
{
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != c)
		return fail(ps, what);
	ps->p++;
	return 0;
}

/* Value of a hex digit, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read the 4 hex digits of a \u escape (p at the first digit); -1 if malformed. */
static long read_hex4(struct parser *ps)
{
	long v = 0;
	int i, h;

	if (ps->end - ps->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		h = hex_value(ps->p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	ps->p += 4;
	return v;
}

/* Append code point cp as UTF-8 at *q (if buf is not NULL). */
static void put_utf8(char *buf, size_t *q, long cp)
{
	unsigned char b[4];
	size_t n, i;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	for (i = 0; i < n; i++) {
		if (buf)
			buf[*q] = (char)b[i];
		(*q)++;
	}
}

/* Parse a JSON string (after whitespace); *out gets a malloc'd copy unless out is NULL. */
static int parse_string(struct parser *ps, char **out)
{
	const char *s;
	char *buf = NULL;
	size_t q = 0;
	long cp, lo;

	if (expect_char(ps, '"', "'\"' to begin a string") < 0)
		return -1;
	/* The decoded string is never longer than its source text. */
	for (s = ps->p; s < ps->end && *s != '"'; s++)
		if (*s == '\\' && s + 1 < ps->end)
			s++;
	if (out) {
		buf = malloc((size_t)(s - ps->p) + 1);
		if (!buf) {
			set_err(ps->err, ps->errlen, "%s: out of memory", ps->path);
			return -1;
		}
	}
	for (;;) {
		if (ps->p >= ps->end || (unsigned char)*ps->p < 0x20) {
			fail(ps, "'\"' to end the string");
			goto bad;
		}
		if (*ps->p == '"')
			break;
		if (*ps->p != '\\') {
			if (buf)
				buf[q] = *ps->p;
			q++;
			ps->p++;
			continue;
		}
		ps->p++;
		if (ps->p >= ps->end) {
			fail(ps, "an escape character after '\\'");
			goto bad;
		}
		switch (*ps->p++) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			cp = read_hex4(ps);
			if (cp < 0) {
				fail(ps, "4 hex digits after \\u");
				goto bad;
			}
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(ps, "a high surrogate before a low one in \\u escapes");
				goto bad;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
					fail(ps, "a \\u low surrogate after a high one");
					goto bad;
				}
				ps->p += 2;
				lo = read_hex4(ps);
				if (lo < 0xdc00 || lo > 0xdfff) {
					fail(ps, "a \\u low surrogate after a high one");
					goto bad;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0) {
				ps->p -= 6;
				fail(ps, "a character other than \\u0000");
				goto bad;
			}
			break;
		default:
			ps->p--;
			fail(ps, "one of \"\\/bfnrtu after '\\'");
			goto bad;
		}
		put_utf8(buf, &q, cp);
	}
	ps->p++;
	if (out) {
		buf[q] = '\0';
		*out = buf;
	}
	return 0;
bad:
	free(buf);
	return -1;
}

/* Parse a JSON number (after whitespace); *ival gets it if it is a small integer, else *is_int = 0. */
static int parse_number(struct parser *ps, long *ival, int *is_int)
{
	long v = 0;
	int neg = 0, digits = 0;

	*is_int = 1;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '-') {
		neg = 1;
		ps->p++;
	}
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "a digit");
	if (*ps->p == '0') {
		ps->p++;
		digits = 1;
	} else {
		for (; ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'; ps->p++)
			if (++digits <= 9)
				v = v * 10 + (*ps->p - '0');
	}
	if (digits > 9)
		*is_int = 0;
	if (ps->p < ps->end && *ps->p == '.') {
		*is_int = 0;
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "a digit after '.'");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		*is_int = 0;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return fail(ps, "a digit in the exponent");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	*ival = neg ? -v : v;
	return 0;
}

/* Consume the literal word (true, false, null) if it is next; 1 if it was, else 0. */
static int take_word(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	skip_ws(ps);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

static int skip_value(struct parser *ps, int depth);

/* Parse an object (after whitespace), calling member() with each key; p is left after '}'. */
static int parse_object(struct parser *ps, int (*member)(struct parser *, const char *, void *, int),
    void *ctx, int depth)
{
	char *key;
	int r;

	if (expect_char(ps, '{', "'{' to begin an object") < 0)
		return -1;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return 0;
	}
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, "a member name in double quotes");
		if (parse_string(ps, &key) < 0)
			return -1;
		if (expect_char(ps, ':', "':' after a member name") < 0) {
			free(key);
			return -1;
		}
		r = member(ps, key, ctx, depth + 1);
		free(key);
		if (r < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		return fail(ps, "',' or '}' after a member");
	}
}

/* Parse an array (after whitespace), calling element() for each; p is left after ']'. */
static int parse_array(struct parser *ps, int (*element)(struct parser *, void *, int), void *ctx,
    int depth)
{
	if (expect_char(ps, '[', "'[' to begin an array") < 0)
		return -1;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		if (element(ps, ctx, depth + 1) < 0)
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		return fail(ps, "',' or ']' after an array element");
	}
}

/* Object member callback that skips the value. */
static int skip_member(struct parser *ps, const char *key, void *ctx, int depth)
{
	(void)key;
	(void)ctx;
	return skip_value(ps, depth);
}

/* Array element callback that skips the value. */
static int skip_element(struct parser *ps, void *ctx, int depth)
{
	(void)ctx;
	return skip_value(ps, depth);
}

/* Parse and discard any JSON value (after whitespace). */
static int skip_value(struct parser *ps, int depth)
{
	long v;
	int is_int;

	if (depth > MAX_DEPTH)
		return fail(ps, "at most 64 nested arrays and objects");
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "a value");
	switch (*ps->p) {
	case '{':
		return parse_object(ps, skip_member, NULL, depth);
	case '[':
		return parse_array(ps, skip_element, NULL, depth);
	case '"':
		return parse_string(ps, NULL);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(ps, &v, &is_int);
	default:
		if (take_word(ps, "true") || take_word(ps, "false") || take_word(ps, "null"))
			return 0;
		return fail(ps, "a value (object, array, string, number, true, false or null)");
	}
}

/* Make room for `more` entries in h; 0 or -1. */
static int reserve(struct holidays *h, size_t more)
{
	size_t cap;
	struct entry *v;

	if (h->n + more <= h->cap)
		return 0;
	cap = h->cap ? h->cap : 64;
	while (cap < h->n + more)
		cap *= 2;
	v = realloc(h->v, cap * sizeof *v);
	if (!v)
		return -1;
	h->v = v;
	h->cap = cap;
	return 0;
}

/* Parse "YYYY-MM-DD" into a day number; 0 or -1. */
static int parse_date(const char *s, int *days)
{
	int i, y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!civil_valid(y, m, d))
		return -1;
	*days = civil_to_days(y, m, d);
	return 0;
}

/* Member callback for one element of "days". */
static int day_member(struct parser *ps, const char *key, void *ctx, int depth)
{
	struct day *dy = ctx;
	char *s, found[64];
	int line = ps->line;

	if (strcmp(key, "name") == 0) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, "a string for \"name\"");
		if (parse_string(ps, &s) < 0)
			return -1;
		free(dy->name);
		dy->name = s;
		if (!*s)
			return fail_at(ps, line, "a non-empty \"name\"", NULL);
		return 0;
	}
	if (strcmp(key, "date") == 0) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"')
			return fail(ps, "a string for \"date\"");
		if (parse_string(ps, &s) < 0)
			return -1;
		if (parse_date(s, &dy->days) < 0) {
			snprintf(found, sizeof found, "\"%.40s\"", s);
			free(s);
			return fail_at(ps, line, "a valid date \"YYYY-MM-DD\" for \"date\"", found);
		}
		free(s);
		dy->have_date = 1;
		return 0;
	}
	if (strcmp(key, "isOffDay") == 0) {
		if (take_word(ps, "true"))
			dy->off = 1;
		else if (take_word(ps, "false"))
			dy->off = 0;
		else
			return fail(ps, "true or false for \"isOffDay\"");
		return 0;
	}
	return skip_value(ps, depth);
}

/* Element callback for "days": parse one day object and append it to the output set. */
static int day_element(struct parser *ps, void *ctx, int depth)
{
	struct holidays *out = ctx;
	struct day dy = { NULL, 0, 0, -1 };
	int line;

	skip_ws(ps);
	line = ps->line;
	if (ps->p >= ps->end || *ps->p != '{')
		return fail(ps, "'{' to begin a day object");
	if (parse_object(ps, day_member, &dy, depth) < 0)
		goto bad;
	if (!dy.name) {
		fail_at(ps, line, "a \"name\" member in this day object", NULL);
		goto bad;
	}
	if (!dy.have_date) {
		fail_at(ps, line, "a \"date\" member in this day object", NULL);
		goto bad;
	}
	if (dy.off < 0) {
		fail_at(ps, line, "an \"isOffDay\" member in this day object", NULL);
		goto bad;
	}
	if (reserve(out, 1) < 0) {
		set_err(ps->err, ps->errlen, "%s: out of memory", ps->path);
		goto bad;
	}
	out->v[out->n] = (struct entry){ dy.days, dy.off, out->n, dy.name };
	out->n++;
	return 0;
bad:
	free(dy.name);
	return -1;
}

/* Member callback for the top-level object. */
static int top_member(struct parser *ps, const char *key, void *ctx, int depth)
{
	struct top *t = ctx;
	long v;
	int is_int;

	if (strcmp(key, "year") == 0) {
		skip_ws(ps);
		if (ps->p >= ps->end || (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9')))
			return fail(ps, "a number for \"year\"");
		if (parse_number(ps, &v, &is_int) < 0)
			return -1;
		if (!is_int)
			return fail_at(ps, ps->line, "an integer for \"year\"", NULL);
		t->have_year = 1;
		return 0;
	}
	if (strcmp(key, "days") == 0) {
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '[')
			return fail(ps, "'[' to begin the \"days\" array");
		t->have_days = 1;
		return parse_array(ps, day_element, t->out, depth);
	}
	return skip_value(ps, depth);
}

/* Parse a whole file's text into out (unsorted, in file order). */
static int parse_text(struct parser *ps, struct holidays *out)
{
	struct top t = { out, 0, 0 };
	int line;

	if (ps->end - ps->p >= 3 && memcmp(ps->p, "\xef\xbb\xbf", 3) == 0)
		ps->p += 3;
	skip_ws(ps);
	line = ps->line;
	if (ps->p >= ps->end || *ps->p != '{')
		return fail(ps, "'{' to begin the top-level object");
	if (parse_object(ps, top_member, &t, 0) < 0)
		return -1;
	if (!t.have_year)
		return fail_at(ps, line, "a \"year\" member in the top-level object", NULL);
	if (!t.have_days)
		return fail_at(ps, line, "a \"days\" member in the top-level object", NULL);
	skip_ws(ps);
	if (ps->p < ps->end)
		return fail(ps, "nothing after the top-level object");
	return 0;
}

/* Free the entries of a set, not the set itself. */
static void clear(struct holidays *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->v[i].name);
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* qsort order: by day, then by load order. */
static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->days != y->days)
		return x->days < y->days ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Move all entries of src into h (later ones win on the same day) and empty src; 0 or -1. */
static int merge(struct holidays *h, struct holidays *src)
{
	size_t i, j;

	if (reserve(h, src->n) < 0)
		return -1;
	for (i = 0; i < src->n; i++) {
		h->v[h->n] = src->v[i];
		h->v[h->n].seq = h->n;
		h->n++;
	}
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
	if (h->n) /* qsort must not be handed the empty table's NULL */
		qsort(h->v, h->n, sizeof *h->v, entry_cmp);
	for (i = j = 0; i < h->n; i++) {
		if (i + 1 < h->n && h->v[i + 1].days == h->v[i].days) {
			free(h->v[i].name);
			continue;
		}
		h->v[j] = h->v[i];
		h->v[j].seq = j;
		j++;
	}
	h->n = j;
	return 0;
}

/* Read a whole file into a malloc'd buffer; 0 or -1 with err set. */
static int read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL, *nb;
	size_t n = 0, cap = 0, got;

	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= (size_t)MAX_FILE_SIZE) {
				set_err(err, errlen, "%s: larger than %ld bytes", path, MAX_FILE_SIZE);
				goto bad;
			}
			cap = cap ? cap * 2 : 8192;
			nb = realloc(b, cap);
			if (!nb) {
				set_err(err, errlen, "%s: out of memory", path);
				goto bad;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		goto bad;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
bad:
	fclose(f);
	free(b);
	return -1;
}

/* Empty holidays set, or NULL when out of memory. */
holidays *holidays_new(void)
{
	return calloc(1, sizeof(holidays));
}

/* Load one holiday-cn JSON file into h; all or nothing. */
int holidays_load_file(holidays *h, const char *path, char *err, size_t errlen)
{
	struct holidays tmp = { NULL, 0, 0 };
	struct parser ps;
	char *buf;
	size_t len;

	if (!h || !path) {
		set_err(err, errlen, "holidays_load_file: NULL argument");
		return -1;
	}
	if (read_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	ps = (struct parser){ buf, buf + len, path, 1, err, errlen };
	if (parse_text(&ps, &tmp) < 0) {
		clear(&tmp);
		free(buf);
		return -1;
	}
	free(buf);
	if (merge(h, &tmp) < 0) {
		set_err(err, errlen, "%s: out of memory", path);
		clear(&tmp);
		return -1;
	}
	return 0;
}

/* Load one holiday-cn JSON document held in memory (name: for messages); all or nothing. */
int holidays_load_text(holidays *h, const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct holidays tmp = { NULL, 0, 0 };
	struct parser ps;

	if (!h || !name || !text) {
		set_err(err, errlen, "holidays_load_text: NULL argument");
		return -1;
	}
	if (len > (size_t)MAX_FILE_SIZE) {
		set_err(err, errlen, "%s: larger than %ld bytes", name, MAX_FILE_SIZE);
		return -1;
	}
	ps = (struct parser){ text, text + len, name, 1, err, errlen };
	if (parse_text(&ps, &tmp) < 0) {
		clear(&tmp);
		return -1;
	}
	if (merge(h, &tmp) < 0) {
		set_err(err, errlen, "%s: out of memory", name);
		clear(&tmp);
		return -1;
	}
	return 0;
}

/* scandir filter: visible files named *.json. */
static int is_json_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".json") == 0;
}

/* Load every *.json file of dir into h, in name order; all or nothing. */
int holidays_load_dir(holidays *h, const char *dir, char *err, size_t errlen)
{
	struct holidays tmp = { NULL, 0, 0 };
	struct dirent **list;
	char *path;
	int n, i, r = 0;

	if (!h || !dir) {
		set_err(err, errlen, "holidays_load_dir: NULL argument");
		return -1;
	}
	n = scandir(dir, &list, is_json_name, alphasort);
	if (n < 0) {
		set_err(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (n == 0) {
		set_err(err, errlen, "%s: no *.json files", dir);
		r = -1;
	}
	for (i = 0; i < n; i++) {
		if (r == 0) {
			path = malloc(strlen(dir) + strlen(list[i]->d_name) + 2);
			if (!path) {
				set_err(err, errlen, "%s: out of memory", dir);
				r = -1;
			} else {
				sprintf(path, "%s/%s", dir, list[i]->d_name);
				r = holidays_load_file(&tmp, path, err, errlen);
				free(path);
			}
		}
		free(list[i]);
	}
	free(list);
	if (r == 0 && merge(h, &tmp) < 0) {
		set_err(err, errlen, "%s: out of memory", dir);
		r = -1;
	}
	clear(&tmp);
	return r;
}

/* The entry for day number `days`, or NULL. */
static const struct entry *find(const holidays *h, int days)
{
	size_t lo = 0, hi, mid;

	if (!h)
		return NULL;
	hi = h->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->v[mid].days < days)
			lo = mid + 1;
		else if (h->v[mid].days > days)
			hi = mid;
		else
			return &h->v[mid];
	}
	return NULL;
}

/* 1 if day number `days` is a working day, else 0. */
static int workday(const holidays *h, int days)
{
	const struct entry *e = find(h, days);

	if (e)
		return !e->off;
	return civil_weekday(days) < 5;
}

/* 1 if y-m-d is a working day, 0 if not, -1 for an invalid date. */
int holidays_is_workday(const holidays *h, int y, int m, int d)
{
	if (!civil_valid(y, m, d))
		return -1;
	return workday(h, civil_to_days(y, m, d));
}

/* Name of the official holiday y-m-d is off for, or NULL. */
const char *holidays_name(const holidays *h, int y, int m, int d)
{
	const struct entry *e;

	if (!civil_valid(y, m, d))
		return NULL;
	e = find(h, civil_to_days(y, m, d));
	return e && e->off ? e->name : NULL;
}

/* First working day strictly after y-m-d. */
int holidays_next_workday(const holidays *h, int y, int m, int d, int *ny, int *nm, int *nd)
{
	int days, i;

	if (!ny || !nm || !nd || !civil_valid(y, m, d))
		return -1;
	days = civil_to_days(y, m, d);
	for (i = 1; i <= MAX_SCAN_DAYS; i++) {
		if (workday(h, days + i)) {
			days_to_civil(days + i, ny, nm, nd);
			return 0;
		}
	}
	return -1;
}

/* Free h and everything in it; NULL is fine. */
void holidays_free(holidays *h)
{
	if (!h)
		return;
	clear(h);
	free(h);
}
