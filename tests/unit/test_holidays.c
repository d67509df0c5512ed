/*
 * NAME
 *	test_holidays - tests of common/holidays.c with the shipped holiday-cn data
 *
 * SYNOPSIS
 *	test_holidays HOLIDAYSDIR	(e.g. deploy/data/holidays-cn)
 *
 * DESCRIPTION
 *	Loads every *.json of HOLIDAYSDIR and checks the 2026 calendar: National Day
 *	week, the adjusted working weekend days (调休上班), the next working day over
 *	the Spring Festival break. Then feeds the loader malformed files (written to a
 *	temporary directory) and checks that each is refused with its line number and
 *	leaves the loaded set unchanged.
 *
 * DIAGNOSTICS
 *	Prints failures to stderr and "N passed, N failed"; exits 1 on any failure,
 *	2 on a usage or setup error.
 */
#include "check.h"
#include "holidays.h"

#include <stdlib.h>
#include <unistd.h>

static const char *data_dir;
static holidays *hol;
static char tmp_dir[] = "/tmp/test_holidays.XXXXXX";
static char tmp_paths[16][512];
static int ntmp;

/* Write text to TMPDIR/name and return its path (kept for cleanup). */
static const char *write_tmp(const char *name, const char *text)
{
	char *path = tmp_paths[ntmp++];
	FILE *f;

	snprintf(path, sizeof tmp_paths[0], "%s/%s", tmp_dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* The real data loads: every file of the shipped directory, 2027's empty one included. */
TEST(test_holidays_load_shipped_data)
{
	char err[256] = "";

	CHECK_INT(holidays_load_dir(hol, data_dir, err, sizeof err), 0);
	CHECK_STR(err, "");
	/* 2023.json lists 2022-12-31 (元旦 2023): a neighbouring year's day is kept. */
	CHECK_STR(holidays_name(hol, 2022, 12, 31), "元旦");
	CHECK_STR(holidays_name(hol, 2026, 2, 17), "春节");
	CHECK_INT(holidays_is_workday(hol, 2027, 1, 4), 1);	/* plain Monday, no 2027 notice */
	CHECK_INT(holidays_is_workday(hol, 2027, 1, 2), 0);	/* plain Saturday */
}

/* A year with no days, loaded first (nothing held yet): loads, and changes nothing. Found by
 * fuzz_text: qsort was handed the empty table's NULL (undefined behaviour). */
TEST(test_holidays_empty_year_into_empty_calendar)
{
	char err[256] = "";
	static const char doc[] = "{\"year\":2026,\"days\":[]}";
	holidays *h = holidays_new();

	CHECK(h != NULL);
	CHECK_INT(holidays_load_text(h, "empty.json", doc, sizeof doc - 1, err, sizeof err), 0);
	CHECK_STR(err, "");
	CHECK_INT(holidays_is_workday(h, 2026, 10, 1), 1); /* no notice loaded: a plain Thursday */
	holidays_free(h);
}

/* 2026 National Day: Oct 1-7 off, Oct 8-9 working, Sat Oct 10 working, Sun Oct 11 off. */
TEST(test_holidays_2026_national_day_week_off)
{
	int d;

	for (d = 1; d <= 7; d++) {
		CHECK_INT(holidays_is_workday(hol, 2026, 10, d), 0);
		CHECK_STR(holidays_name(hol, 2026, 10, d), "国庆节");
	}
	CHECK_INT(holidays_is_workday(hol, 2026, 10, 8), 1);
	CHECK(holidays_name(hol, 2026, 10, 8) == NULL);
	CHECK_INT(holidays_is_workday(hol, 2026, 10, 9), 1);
	CHECK_INT(holidays_is_workday(hol, 2026, 10, 10), 1);
	CHECK_INT(holidays_is_workday(hol, 2026, 10, 11), 0);
	/* Mid-Autumn 2026 (Sep 25-27) is its own break; Sun Sep 20 is worked for National Day. */
	CHECK_INT(holidays_is_workday(hol, 2026, 9, 25), 0);
	CHECK_STR(holidays_name(hol, 2026, 9, 25), "中秋节");
}

/* The adjusted working days of 2026 fall on weekends and are working days. */
TEST(test_holidays_2026_adjusted_weekend_workdays)
{
	static const int adjusted[][2] = { { 1, 4 }, { 2, 14 }, { 2, 28 }, { 5, 9 }, { 9, 20 }, { 10, 10 } };
	size_t i;

	for (i = 0; i < sizeof adjusted / sizeof adjusted[0]; i++) {
		int m = adjusted[i][0], d = adjusted[i][1];

		CHECK_INT(holidays_is_workday(NULL, 2026, m, d), 0);	/* a weekend day */
		CHECK_INT(holidays_is_workday(hol, 2026, m, d), 1);
		CHECK(holidays_name(hol, 2026, m, d) == NULL);		/* not a holiday */
	}
	CHECK_INT(holidays_is_workday(hol, 2026, 2, 21), 0);	/* Saturday in the break */
	CHECK_INT(holidays_is_workday(hol, 2026, 3, 7), 0);	/* plain Saturday */
	CHECK_INT(holidays_is_workday(hol, 2026, 3, 9), 1);	/* plain Monday */
	CHECK_INT(holidays_is_workday(hol, 2026, 2, 30), -1);
}

/* The next working day over the 2026 Spring Festival break (Feb 15-23). */
TEST(test_holidays_next_workday_over_spring_festival_2026)
{
	int y, m, d;

	CHECK_INT(holidays_next_workday(hol, 2026, 2, 13, &y, &m, &d), 0);	/* Friday */
	CHECK(y == 2026 && m == 2 && d == 14);	/* Saturday, worked */
	CHECK_INT(holidays_next_workday(hol, 2026, 2, 14, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 2 && d == 24);
	CHECK_INT(holidays_next_workday(hol, 2026, 2, 17, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 2 && d == 24);
	CHECK_INT(holidays_next_workday(hol, 2026, 9, 30, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 10 && d == 8);
	CHECK_INT(holidays_next_workday(hol, 2025, 12, 31, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 1 && d == 4);	/* Jan 1-3 off, Sunday Jan 4 worked */
	CHECK_INT(holidays_next_workday(NULL, 2026, 2, 13, &y, &m, &d), 0);
	CHECK(y == 2026 && m == 2 && d == 16);
	CHECK_INT(holidays_next_workday(hol, 2026, 2, 29, &y, &m, &d), -1);
	CHECK_INT(holidays_next_workday(hol, 2026, 2, 13, NULL, &m, &d), -1);
}

/* Malformed JSON is refused with the file, the line and what was expected. */
TEST(test_holidays_malformed_json_reports_line)
{
	static const struct {
		const char *name, *text, *want;
	} cases[] = {
		{ "comma.json",
		    "{\n  \"year\": 2026,\n  \"days\": [\n    {\"name\": \"x\", \"date\": \"2026-10-08\"\n"
		    "     \"isOffDay\": true}\n  ]\n}\n",
		    ":5: expected ',' or '}' after a member, found '\"'" },
		{ "eof.json", "{\n \"year\": 2026,\n \"days\": [\n", ":4: expected '{' to begin a day object, found end of file" },
		{ "date.json", "{\"year\": 2026,\n\"days\": [\n{\"name\": \"x\", \"date\": \"2026-02-30\", \"isOffDay\": true}]}",
		    ":3: expected a valid date \"YYYY-MM-DD\" for \"date\", found \"2026-02-30\"" },
		{ "bool.json", "{\"year\": 2026, \"days\": [\n{\"name\": \"x\",\n \"date\": \"2026-10-08\",\n \"isOffDay\": \"yes\"}]}",
		    ":4: expected true or false for \"isOffDay\", found '\"'" },
		{ "missing.json", "{\"year\": 2026, \"days\": [\n\n  {\"name\": \"x\", \"date\": \"2026-10-08\"}]}",
		    ":3: expected an \"isOffDay\" member in this day object" },
		{ "trailing.json", "{\"year\": 2026, \"days\": []}\n\n}", ":3: expected nothing after the top-level object, found '}'" },
		{ "nodays.json", "\n{\"year\": 2026}", ":2: expected a \"days\" member in the top-level object" },
		{ "string.json", "{\"year\": 2026, \"days\": [{\"name\": \"x\n\"}]}", ":1: expected '\"' to end the string, found byte 0x0a" },
		{ "value.json", "{\"year\": 2026, \"papers\": [tru], \"days\": []}", ":1: expected a value" },
		{ "comma2.json", "{\"year\": 2026, \"days\": [],}", ":1: expected a member name in double quotes, found '}'" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = write_tmp(cases[i].name, cases[i].text);

		err[0] = '\0';
		CHECK_INT(holidays_load_file(hol, path, err, sizeof err), -1);
		if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, cases[i].want)) {
			fprintf(stderr, "  %s: got \"%s\", want \"%s\"\n", cases[i].name, err, cases[i].want);
			CHECK(!"error message");
		}
	}
	/* Nothing of the refused files was loaded. */
	CHECK_INT(holidays_is_workday(hol, 2026, 10, 8), 1);
	CHECK(holidays_load_file(hol, "/nonexistent/x.json", err, sizeof err) == -1 &&
	    strstr(err, "/nonexistent/x.json: ") == err);
}

/* A directory with one bad file loads nothing; a later file overrides a day; escapes decode. */
TEST(test_holidays_load_dir_all_or_nothing)
{
	char err[256];
	holidays *h = holidays_new();

	CHECK(h != NULL);
	/* tmp_dir holds only the malformed files written above: refused, h stays empty. */
	CHECK_INT(holidays_load_dir(h, tmp_dir, err, sizeof err), -1);
	CHECK(strstr(err, "/bool.json:4: expected") != NULL);
	CHECK_INT(holidays_load_file(h, write_tmp("a.good", "\xef\xbb\xbf{\"days\": [{\"isOffDay\": true, "
	    "\"date\": \"2030-01-07\", \"name\": \"\\u56fd\\u5e86\\ud83c\\udf89\", \"x\": {\"y\": [1.5e3, null]}}],"
	    " \"year\": 2030}"), err, sizeof err), 0);
	CHECK_STR(holidays_name(h, 2030, 1, 7), "国庆\xf0\x9f\x8e\x89");
	CHECK_INT(holidays_is_workday(h, 2030, 1, 7), 0);
	CHECK_INT(holidays_load_file(h, write_tmp("b.good", "{\"year\": 2030, \"days\": [{\"name\": \"x\", "
	    "\"date\": \"2030-01-07\", \"isOffDay\": false}]}"), err, sizeof err), 0);
	CHECK_INT(holidays_is_workday(h, 2030, 1, 7), 1);
	CHECK(holidays_name(h, 2030, 1, 7) == NULL);
	CHECK_INT(holidays_load_dir(h, "/nonexistent", err, sizeof err), -1);
	holidays_free(h);
}

int main(int argc, char **argv)
{
	int rc, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s HOLIDAYSDIR\n", argv[0]);
		return 2;
	}
	data_dir = argv[1];
	hol = holidays_new();
	if (!hol || !mkdtemp(tmp_dir)) {
		perror("setup");
		return 2;
	}
	RUN(test_holidays_load_shipped_data);
	RUN(test_holidays_empty_year_into_empty_calendar);
	RUN(test_holidays_2026_national_day_week_off);
	RUN(test_holidays_2026_adjusted_weekend_workdays);
	RUN(test_holidays_next_workday_over_spring_festival_2026);
	RUN(test_holidays_malformed_json_reports_line);
	RUN(test_holidays_load_dir_all_or_nothing);
	holidays_free(hol);
	for (i = 0; i < ntmp; i++)
		unlink(tmp_paths[i]);
	rmdir(tmp_dir);
	rc = check_summary();
	return rc;
}
