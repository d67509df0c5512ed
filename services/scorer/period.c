/*
 * NAME
 *	period.c - evaluation periods and local days
 *
 * DESCRIPTION
 *	A period is a month (2026-11), a quarter (2026-Q4) or a range of local days
 *	(2026-11-02..2026-11-15, both included). Days are the agency's (UTC+8 unless
 *	timezone_offset_min says otherwise); stored times stay UTC milliseconds.
 */
#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "scorer.h"

int sc_en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

int64_t sc_day_start_ms(int day) { return (int64_t)day * SC_DAY_MS - scorer.offset_ms; }

int sc_day_of_ms(int64_t ms)
{
	int64_t l = ms + scorer.offset_ms;
	return (int)(l >= 0 ? l / SC_DAY_MS : -((-l + SC_DAY_MS - 1) / SC_DAY_MS));
}

void sc_format_day(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

void sc_format_week(int monday, char *buf, size_t len)
{
	int y, w;
	civil_iso_week(monday, &y, &w);
	snprintf(buf, len, "%04d-W%02d", y, w);
}

static int month_last(int y, int m) { return m == 12 ? civil_to_days(y + 1, 1, 1) - 1 : civil_to_days(y, m + 1, 1) - 1; }

int sc_period_parse(const char *s, sc_period *p)
{
	int y, m, d, y2, m2, d2, n = -1;
	memset(p, 0, sizeof *p);
	if (!s || strlen(s) >= sizeof p->name)
		return -1;
	snprintf(p->name, sizeof p->name, "%s", s);
	if (sscanf(s, "%4d-%2d-%2d..%4d-%2d-%2d%n", &y, &m, &d, &y2, &m2, &d2, &n) == 6 && n == 22 && !s[n]) {
		if (!civil_valid(y, m, d) || !civil_valid(y2, m2, d2))
			return -1;
		p->from_day = civil_to_days(y, m, d);
		p->to_day = civil_to_days(y2, m2, d2);
		if (p->to_day < p->from_day || p->to_day - p->from_day > 366 * 2)
			return -1;
	} else if (sscanf(s, "%4d-Q%1d%n", &y, &m, &n) == 2 && n == 7 && !s[n]) {
		if (m < 1 || m > 4)
			return -1;
		p->quarter = 1;
		p->year = y;
		p->q = m;
		p->from_day = civil_to_days(y, 3 * m - 2, 1);
		p->to_day = month_last(y, 3 * m);
	} else if (sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && !s[n]) {
		if (m < 1 || m > 12)
			return -1;
		p->from_day = civil_to_days(y, m, 1);
		p->to_day = month_last(y, m);
	} else
		return -1;
	if (y < 1990 || y > 2199)
		return -1;
	p->from_ms = sc_day_start_ms(p->from_day);
	p->to_ms = sc_day_start_ms(p->to_day + 1);
	return 0;
}
