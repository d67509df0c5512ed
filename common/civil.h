/*
 * NAME
 *	civil.h - proleptic Gregorian calendar arithmetic on day numbers
 *
 * SYNOPSIS
 *	#include "civil.h"
 *	int  civil_valid(int y, int m, int d);
 *	int  civil_to_days(int y, int m, int d);
 *	void days_to_civil(int days, int *y, int *m, int *d);
 *	int  civil_weekday(int days);
 *	int  civil_iso_week(int days, int *iso_year, int *week);
 *
 * DESCRIPTION
 *	A day number counts days since 1970-01-01 (day 0, negative before it) in the
 *	proleptic Gregorian calendar, using Howard Hinnant's days_from_civil and
 *	civil_from_days algorithms. Dates are plain civil dates: no time zone, no time.
 *
 *	civil_valid() is 1 for an existing date (month 1-12, day within the month, leap
 *	years by the Gregorian rule), else 0. civil_to_days() does not validate: pass it
 *	a valid date (an invalid one maps to some nearby day). days_to_civil() is its
 *	inverse. civil_weekday() is 0 for Monday through 6 for Sunday. civil_iso_week()
 *	gives the ISO 8601 week-numbering year and week (1-53) of a day.
 *
 * DIAGNOSTICS
 *	civil_iso_week() returns 0, or -1 if an output pointer is NULL.
 */
#ifndef AEDESK_CIVIL_H
#define AEDESK_CIVIL_H

int civil_valid(int y, int m, int d);
int civil_to_days(int y, int m, int d);
void days_to_civil(int days, int *y, int *m, int *d);
int civil_weekday(int days);
int civil_iso_week(int days, int *iso_year, int *week);

#endif
