/*
 * NAME
 *	civil.c - proleptic Gregorian calendar arithmetic on day numbers
 *
 * SYNOPSIS
 *	#include "civil.h"
 *	int d = civil_to_days(2026, 2, 17);	(20501)
 *
 * DESCRIPTION
 *	Day numbers count from 1970-01-01. The conversions are Howard Hinnant's
 *	days_from_civil / civil_from_days ("chrono-Compatible Low-Level Date
 *	Algorithms"), which work in 400-year eras starting on March 1st, so leap days
 *	fall at the end of each era-year. See civil.h for the interface.
 *
 * DIAGNOSTICS
 *	Only civil_iso_week() can fail (-1, NULL output pointer).
 */
#include "civil.h"

#include <stddef.h>

/* 1 if y is a Gregorian leap year. */
static int is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Number of days in month m (1-12) of year y. */
static int month_length(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap_year(y) ? 29 : len[m - 1];
}

/* 1 if y-m-d is an existing Gregorian date, else 0. */
int civil_valid(int y, int m, int d)
{
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= month_length(y, m);
}

/* Days since 1970-01-01 of y-m-d (Hinnant's days_from_civil). */
int civil_to_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Civil date of a day number (Hinnant's civil_from_days); NULL outputs are skipped. */
void days_to_civil(int days, int *y, int *m, int *d)
{
	int z, era, doe, yoe, doy, mp, yy, mm, dd;

	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	yy += mm <= 2;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

/* Weekday of a day number: 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
int civil_weekday(int days)
{
	int w = (days + 3) % 7;

	return w < 0 ? w + 7 : w;
}

/* ISO 8601 week-numbering year and week of a day number. */
int civil_iso_week(int days, int *iso_year, int *week)
{
	int y, thursday, jan1;

	if (!iso_year || !week)
		return -1;
	/* The ISO week belongs to the year of its Thursday. */
	thursday = days - civil_weekday(days) + 3;
	days_to_civil(thursday, &y, NULL, NULL);
	jan1 = civil_to_days(y, 1, 1);
	*iso_year = y;
	*week = (thursday - jan1) / 7 + 1;
	return 0;
}
