/*
 * NAME
 *	test_lunar - tests of common/lunar.c and common/civil.c against the golden data
 *
 * SYNOPSIS
 *	test_lunar DATADIR	(DATADIR holds months.tsv, qingming.tsv, disputed-days.tsv)
 *
 * DESCRIPTION
 *	Checks every lunar month 1900-2100 (R-GREET-2), every day of the range both
 *	ways, every Qingming date, the README's spot checks, the festivals and the
 *	birthday rules of lunar_anniversary(), and the civil day arithmetic.
 *	Days in disputed-days.tsv (two implementations disagree) are left out of the
 *	day-by-day checks.
 *
 * DIAGNOSTICS
 *	Prints failures to stderr and "N passed, N failed"; exits 1 on any failure,
 *	2 if the data cannot be read.
 */
#include "check.h"
#include "civil.h"
#include "lunar.h"

#include <stdlib.h>

#define MAX_MONTHS 2600
#define MAX_DISPUTED 200

struct month {
	int y, m, d;			/* first day, Gregorian */
	int lyear, lmonth, leap, len;
};

static const char *data_dir;
static struct month months[MAX_MONTHS];
static int nmonths;
static int disputed[MAX_DISPUTED];	/* day numbers */
static int ndisputed;

/* Open DATADIR/name for reading, or exit 2. */
static FILE *open_data(const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", data_dir, name);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	return f;
}

/* Read months.tsv and disputed-days.tsv into the static arrays, or exit 2. */
static void load_data(void)
{
	char line[512];
	FILE *f = open_data("months.tsv");
	struct month *p;
	int y, m, d;

	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (nmonths == MAX_MONTHS) {
			fprintf(stderr, "months.tsv: too many lines\n");
			exit(2);
		}
		p = &months[nmonths];
		if (sscanf(line, "%d-%d-%d %d %d %d %d", &p->y, &p->m, &p->d, &p->lyear,
		        &p->lmonth, &p->leap, &p->len) != 7) {
			fprintf(stderr, "months.tsv: bad line: %s", line);
			exit(2);
		}
		nmonths++;
	}
	fclose(f);
	f = open_data("disputed-days.tsv");
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || sscanf(line, "%d-%d-%d", &y, &m, &d) != 3)
			continue;
		if (ndisputed == MAX_DISPUTED) {
			fprintf(stderr, "disputed-days.tsv: too many lines\n");
			exit(2);
		}
		disputed[ndisputed++] = civil_to_days(y, m, d);
	}
	fclose(f);
}

/* 1 if day number `days` is listed in disputed-days.tsv. */
static int is_disputed(int days)
{
	int i;

	for (i = 0; i < ndisputed; i++)
		if (disputed[i] == days)
			return 1;
	return 0;
}

/* Day number of the first day of golden month i. */
static int month_first_day(int i)
{
	return civil_to_days(months[i].y, months[i].m, months[i].d);
}

/* Index of the golden month lyear/lmonth/leap, or -1. */
static int find_month(int lyear, int lmonth, int leap)
{
	int i;

	for (i = 0; i < nmonths; i++)
		if (months[i].lyear == lyear && months[i].lmonth == lmonth && months[i].leap == leap)
			return i;
	return -1;
}

/* R-GREET-2: lunar dates are computed correctly 1900-2100 - every golden month's
 * first day converts both ways, and its length and leap flag match. */
TEST(test_r_greet_2_lunar_months_match_golden_data_1900_2100)
{
	int i, y, m, d, leaps[2101] = { 0 };
	lunar_date ld;

	CHECK_INT(nmonths, 2485);
	for (i = 0; i < nmonths; i++) {
		const struct month *p = &months[i];
		int bad = 0;

		if (lunar_from_solar(p->y, p->m, p->d, &ld) != 0 || ld.year != p->lyear ||
		    ld.month != p->lmonth || ld.day != 1 || ld.leap != p->leap)
			bad = 1;
		ld = (lunar_date){ p->lyear, p->lmonth, 1, p->leap };
		if (lunar_to_solar(&ld, &y, &m, &d) != 0 || y != p->y || m != p->m || d != p->d)
			bad = 1;
		if (lunar_month_days(p->lyear, p->lmonth, p->leap) != p->len)
			bad = 1;
		ld.day = p->len;
		if (lunar_to_solar(&ld, &y, &m, &d) != 0)
			bad = 1;
		ld.day = p->len + 1;
		if (lunar_to_solar(&ld, &y, &m, &d) != -1)
			bad = 1;
		if (p->leap)
			leaps[p->lyear] = p->lmonth;
		if (bad) {
			fprintf(stderr, "  month %04d-%02d-%02d = %d/%s%d (%d days) is wrong\n", p->y,
			    p->m, p->d, p->lyear, p->leap ? "leap " : "", p->lmonth, p->len);
			CHECK(!bad);
		}
	}
	for (y = 1900; y <= 2100; y++)
		CHECK_INT(lunar_leap_month(y), leaps[y]);
}

/* Every day 1900-01-31..2100-12-31 round-trips and matches the golden months,
 * except the days in disputed-days.tsv. */
TEST(test_every_day_round_trips_1900_2100)
{
	int first = civil_to_days(1900, 1, 31), last = civil_to_days(2100, 12, 31);
	int days, i = 0, y, m, d, failures = 0, checked = 0;
	lunar_date ld;

	for (days = first; days <= last; days++) {
		if (i + 1 < nmonths && month_first_day(i + 1) == days)
			i++;
		if (is_disputed(days))
			continue;
		days_to_civil(days, &y, &m, &d);
		checked++;
		ld = (lunar_date){ 0, 0, 0, 0 };
		if (lunar_from_solar(y, m, d, &ld) != 0 || ld.year != months[i].lyear ||
		    ld.month != months[i].lmonth || ld.leap != months[i].leap ||
		    ld.day != days - month_first_day(i) + 1) {
			/* The one day past the data: 2100-12-31 is 2100/12/1. */
			if (!(days == last && ld.year == 2100 && ld.month == 12 && ld.day == 1 && !ld.leap)
			    && failures++ < 10)
				fprintf(stderr, "  %04d-%02d-%02d -> %d/%s%d/%d\n", y, m, d, ld.year,
				    ld.leap ? "leap " : "", ld.month, ld.day);
		}
		{
			int y2, m2, d2;

			if ((lunar_to_solar(&ld, &y2, &m2, &d2) != 0 || y2 != y || m2 != m || d2 != d)
			    && failures++ < 10)
				fprintf(stderr, "  %04d-%02d-%02d does not round-trip\n", y, m, d);
		}
	}
	CHECK_INT(failures, 0);
	CHECK_INT(ndisputed, 60);
	CHECK_INT(checked, last - first + 1 - ndisputed);
}

/* The edges of the range and invalid input. */
TEST(test_lunar_range_and_invalid_dates)
{
	lunar_date ld;
	int y, m, d;

	CHECK_INT(lunar_from_solar(1900, 1, 30, &ld), -1);
	CHECK_INT(lunar_from_solar(2101, 1, 1, &ld), -1);
	CHECK_INT(lunar_from_solar(2023, 2, 29, &ld), -1);
	CHECK_INT(lunar_from_solar(2024, 13, 1, &ld), -1);
	CHECK_INT(lunar_from_solar(2024, 1, 1, NULL), -1);
	CHECK_INT(lunar_from_solar(2100, 12, 31, &ld), 0);
	CHECK(ld.year == 2100 && ld.month == 12 && ld.day == 1 && ld.leap == 0);
	CHECK_INT(lunar_from_solar(1900, 1, 31, &ld), 0);
	CHECK(ld.year == 1900 && ld.month == 1 && ld.day == 1 && ld.leap == 0);

	ld = (lunar_date){ 2021, 4, 1, 1 };	/* 2021 has no leap month */
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2020, 5, 1, 1 };	/* 2020's leap month is the 4th */
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2026, 8, 30, 0 };	/* 29 days */
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2026, 8, 0, 0 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2026, 13, 1, 0 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 1899, 12, 1, 0 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2100, 12, 2, 0 };	/* 2101-01-01 */
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), -1);
	ld = (lunar_date){ 2100, 12, 1, 0 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), 0);
	CHECK(y == 2100 && m == 12 && d == 31);
	CHECK_INT(lunar_to_solar(&ld, NULL, &m, &d), -1);

	CHECK_INT(lunar_month_days(2026, 8, 1), -1);
	CHECK_INT(lunar_month_days(2026, 0, 0), -1);
	CHECK_INT(lunar_month_days(2101, 1, 0), -1);
	CHECK_INT(lunar_month_days(2100, 12, 0), -1);	/* ends past 2100-12-31 */
	CHECK_INT(lunar_month_days(2100, 11, 0), 30);
	CHECK_INT(lunar_leap_month(1899), -1);
	CHECK_INT(lunar_leap_month(2101), -1);
}

/* Every Qingming date in qingming.tsv. */
TEST(test_qingming_matches_golden_data_1900_2100)
{
	char line[256];
	FILE *f = open_data("qingming.tsv");
	int year, y, m, d, gm, gd, n = 0;

	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%d %d-%d-%d", &year, &y, &m, &d) != 4) {
			CHECK(!"bad qingming.tsv line");
			continue;
		}
		n++;
		if (solar_term_qingming(year, &gm, &gd) != 0 || y != year || gm != m || gd != d) {
			fprintf(stderr, "  Qingming %d: want %02d-%02d\n", year, m, d);
			CHECK(!"Qingming differs");
		}
	}
	fclose(f);
	CHECK_INT(n, 201);
	CHECK_INT(solar_term_qingming(1899, &gm, &gd), -1);
	CHECK_INT(solar_term_qingming(2101, &gm, &gd), -1);
	CHECK_INT(solar_term_qingming(2026, &gm, &gd), 0);
	CHECK(gm == 4 && gd == 5);
}

/* The README's spot checks: leap months of 2020, 2023, 2025 and the "2033 problem". */
TEST(test_lunar_readme_spot_checks)
{
	lunar_date ld;
	int y, m, d;

	CHECK_INT(lunar_leap_month(2020), 4);
	CHECK_INT(lunar_from_solar(2020, 5, 23, &ld), 0);
	CHECK(ld.year == 2020 && ld.month == 4 && ld.day == 1 && ld.leap == 1);
	CHECK_INT(lunar_from_solar(2020, 5, 22, &ld), 0);
	CHECK(ld.year == 2020 && ld.month == 4 && ld.day == 30 && ld.leap == 0);
	CHECK_INT(lunar_leap_month(2023), 2);
	ld = (lunar_date){ 2023, 2, 1, 1 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), 0);
	CHECK(y == 2023 && m == 3 && d == 22);
	CHECK_INT(lunar_leap_month(2025), 6);
	ld = (lunar_date){ 2025, 6, 1, 1 };
	CHECK_INT(lunar_to_solar(&ld, &y, &m, &d), 0);
	CHECK(y == 2025 && m == 7 && d == 25);
	CHECK_INT(lunar_leap_month(2033), 11);	/* not a leap 7th month */
	CHECK_INT(lunar_from_solar(2033, 12, 22, &ld), 0);
	CHECK(ld.year == 2033 && ld.month == 11 && ld.day == 1 && ld.leap == 1);
	CHECK_INT(lunar_month_days(2033, 7, 1), -1);
}

/* R-GREET-2: Spring Festival, Dragon Boat, Mid-Autumn and New Year's Eve, 2026
 * and in every year against the golden months. */
TEST(test_r_greet_2_festivals)
{
	int m, d, y, i, year;

	CHECK_INT(lunar_spring_festival(2026, &m, &d), 0);
	CHECK(m == 2 && d == 17);
	CHECK_INT(lunar_dragon_boat(2026, &m, &d), 0);
	CHECK(m == 6 && d == 19);
	CHECK_INT(lunar_mid_autumn(2026, &m, &d), 0);
	CHECK(m == 9 && d == 25);
	CHECK_INT(lunar_new_years_eve(2026, &m, &d), 0);	/* 2025/12/29, a 29-day month */
	CHECK(m == 2 && d == 16);
	CHECK_INT(lunar_new_years_eve(2034, &m, &d), 0);	/* 2033/12/30 */
	CHECK(m == 2 && d == 18);
	CHECK_INT(lunar_new_years_eve(1900, &m, &d), -1);
	CHECK_INT(lunar_spring_festival(2101, &m, &d), -1);
	CHECK_INT(lunar_mid_autumn(2026, NULL, &d), -1);

	for (year = 1900; year <= 2100; year++) {
		int days;

		i = find_month(year, 1, 0);
		CHECK(lunar_spring_festival(year, &m, &d) == 0 && m == months[i].m && d == months[i].d);
		days = month_first_day(i);
		if (year > 1900) {
			days_to_civil(days - 1, &y, NULL, NULL);
			CHECK_INT(y, year);
			days_to_civil(days - 1, NULL, &m, &d);
			{
				int m2, d2;

				CHECK(lunar_new_years_eve(year, &m2, &d2) == 0 && m2 == m && d2 == d);
			}
		}
		i = find_month(year, 5, 0);
		days_to_civil(month_first_day(i) + 4, NULL, &m, &d);
		{
			int m2, d2;

			CHECK(lunar_dragon_boat(year, &m2, &d2) == 0 && m2 == m && d2 == d);
		}
		i = find_month(year, 8, 0);
		days_to_civil(month_first_day(i) + 14, NULL, &m, &d);
		{
			int m2, d2;

			CHECK(lunar_mid_autumn(year, &m2, &d2) == 0 && m2 == m && d2 == d);
		}
	}
}

/* R-GREET-2: a leap-month birthday and a day-30 birthday fall as documented. */
TEST(test_r_greet_2_lunar_birthdays)
{
	int y, m, d;

	/* Born on 闰四月十五 (leap 4/15): in 2020, which has a leap 4th month, in it. */
	CHECK_INT(lunar_anniversary(4, 15, 1, 2020, &y, &m, &d), 0);
	CHECK(y == 2020 && m == 6 && d == 6);
	/* ... in 2026 (no leap month) on the ordinary 4/15. */
	CHECK_INT(lunar_anniversary(4, 15, 1, 2026, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 5 && d == 31);
	/* Born on the ordinary 4/15: in 2020 the ordinary month, not the leap one. */
	CHECK_INT(lunar_anniversary(4, 15, 0, 2020, &y, &m, &d), 0);
	CHECK(y == 2020 && m == 5 && d == 7);
	/* Born on 八月三十 (8/30): 2024's 8th month has 30 days... */
	CHECK_INT(lunar_anniversary(8, 30, 0, 2024, &y, &m, &d), 0);
	CHECK(y == 2024 && m == 10 && d == 2);
	/* ... 2026's has 29, so 8/29. */
	CHECK_INT(lunar_anniversary(8, 30, 0, 2026, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 10 && d == 9);
	/* Leap 4/30 in 2020, whose leap 4th month has 29 days: its last day. */
	CHECK_INT(lunar_anniversary(4, 30, 1, 2020, &y, &m, &d), 0);
	CHECK(y == 2020 && m == 6 && d == 20);
	/* A 12th-month birthday of lunar year 2033 falls in January 2034. */
	CHECK_INT(lunar_anniversary(12, 1, 0, 2033, &y, &m, &d), 0);
	CHECK(y == 2034 && m == 1 && d == 20);
	/* Leap 11/1 in 2033. */
	CHECK_INT(lunar_anniversary(11, 1, 1, 2033, &y, &m, &d), 0);
	CHECK(y == 2033 && m == 12 && d == 22);
	/* The edges. */
	CHECK_INT(lunar_anniversary(12, 1, 0, 2100, &y, &m, &d), 0);
	CHECK(y == 2100 && m == 12 && d == 31);
	CHECK_INT(lunar_anniversary(12, 2, 0, 2100, &y, &m, &d), -1);
	CHECK_INT(lunar_anniversary(1, 1, 0, 1899, &y, &m, &d), -1);
	CHECK_INT(lunar_anniversary(13, 1, 0, 2026, &y, &m, &d), -1);
	CHECK_INT(lunar_anniversary(1, 31, 0, 2026, &y, &m, &d), -1);
	CHECK_INT(lunar_anniversary(1, 0, 0, 2026, &y, &m, &d), -1);
	CHECK_INT(lunar_anniversary(1, 1, 2, 2026, &y, &m, &d), -1);
}

/* civil.c: day numbers, validity, weekdays and ISO weeks. */
TEST(test_civil_days_weekdays_iso_weeks)
{
	int days, y, m, d, iy, w;

	CHECK_INT(civil_to_days(1970, 1, 1), 0);
	CHECK_INT(civil_to_days(2000, 3, 1), 11017);
	CHECK_INT(civil_to_days(1969, 12, 31), -1);
	CHECK_INT(civil_to_days(1900, 1, 31), -25537);
	for (days = -25567; days <= 47846; days++) {	/* 1900-01-01 .. 2100-12-31 */
		days_to_civil(days, &y, &m, &d);
		if (!civil_valid(y, m, d) || civil_to_days(y, m, d) != days) {
			CHECK(!"civil round trip");
			break;
		}
	}
	CHECK(civil_valid(2024, 2, 29));
	CHECK(!civil_valid(2023, 2, 29));
	CHECK(!civil_valid(1900, 2, 29));
	CHECK(civil_valid(2000, 2, 29));
	CHECK(!civil_valid(2026, 4, 31));
	CHECK(!civil_valid(2026, 0, 1));
	CHECK(!civil_valid(2026, 1, 0));
	CHECK_INT(civil_weekday(0), 3);				/* 1970-01-01 Thursday */
	CHECK_INT(civil_weekday(civil_to_days(2026, 2, 17)), 1);	/* Tuesday */
	CHECK_INT(civil_weekday(civil_to_days(1900, 1, 1)), 0);	/* Monday */
	CHECK_INT(civil_weekday(civil_to_days(2100, 12, 31)), 4);	/* Friday */
	CHECK_INT(civil_iso_week(civil_to_days(2026, 1, 1), &iy, &w), 0);
	CHECK(iy == 2026 && w == 1);
	CHECK_INT(civil_iso_week(civil_to_days(2021, 1, 3), &iy, &w), 0);
	CHECK(iy == 2020 && w == 53);
	CHECK_INT(civil_iso_week(civil_to_days(2024, 12, 30), &iy, &w), 0);
	CHECK(iy == 2025 && w == 1);
	CHECK_INT(civil_iso_week(civil_to_days(2026, 12, 31), &iy, &w), 0);
	CHECK(iy == 2026 && w == 53);
	CHECK_INT(civil_iso_week(civil_to_days(1969, 12, 29), &iy, &w), 0);
	CHECK(iy == 1970 && w == 1);
	CHECK_INT(civil_iso_week(0, NULL, &w), -1);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DATADIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	load_data();
	RUN(test_r_greet_2_lunar_months_match_golden_data_1900_2100);
	RUN(test_every_day_round_trips_1900_2100);
	RUN(test_lunar_range_and_invalid_dates);
	RUN(test_qingming_matches_golden_data_1900_2100);
	RUN(test_lunar_readme_spot_checks);
	RUN(test_r_greet_2_festivals);
	RUN(test_r_greet_2_lunar_birthdays);
	RUN(test_civil_days_weekdays_iso_weeks);
	return check_summary();
}
