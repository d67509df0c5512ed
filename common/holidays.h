/*
 * NAME
 *	holidays.h - China's official holidays and adjusted working days (调休)
 *
 * SYNOPSIS
 *	#include "holidays.h"
 *	holidays *holidays_new(void);
 *	int holidays_load_file(holidays *h, const char *path, char *err, size_t errlen);
 *	int holidays_load_dir(holidays *h, const char *dir, char *err, size_t errlen);
 *	int holidays_load_text(holidays *h, const char *name, const char *text, size_t len,
 *	    char *err, size_t errlen);
 *	int holidays_is_workday(const holidays *h, int y, int m, int d);
 *	const char *holidays_name(const holidays *h, int y, int m, int d);
 *	int holidays_next_workday(const holidays *h, int y, int m, int d,
 *	    int *ny, int *nm, int *nd);
 *	void holidays_free(holidays *h);
 *
 * DESCRIPTION
 *	A holidays set holds the days listed in holiday-cn JSON files (shipped in
 *	deploy/data/holidays-cn/, one file per year):
 *	    { "year": 2026, "days": [ { "name": "春节", "date": "2026-02-17",
 *	      "isOffDay": true }, ... ], ... }
 *	Other members ("$schema", "papers", ...) are skipped, members may come in any
 *	order, and a UTF-8 byte order mark is allowed; anything that is not JSON, or
 *	a day without a valid "name", "date" (YYYY-MM-DD) and boolean "isOffDay", is
 *	refused. Loading is all or nothing: on error the set is unchanged. A date
 *	loaded again replaces the earlier entry, so a newer file can correct an older
 *	one. holidays_load_dir() loads every *.json file of a directory in name order;
 *	holidays_load_text() one document held in memory (name is used in messages).
 *
 *	holidays_is_workday() is 0 on an official day off, 1 on an adjusted working
 *	day (isOffDay false, 调休上班) even on a weekend, and otherwise 1 Monday to
 *	Friday and 0 on Saturday and Sunday. holidays_name() is the holiday's name
 *	(UTF-8, e.g. "国庆节") on an official day off, NULL on any other day,
 *	including adjusted working days. holidays_next_workday() gives the first
 *	working day strictly after y-m-d. The query functions accept h == NULL as an
 *	empty set (plain weekends).
 *
 * DIAGNOSTICS
 *	holidays_new() returns NULL when out of memory. The int functions return 0
 *	(holidays_is_workday: 0 or 1) on success and -1 on error: an invalid date,
 *	NULL arguments, or for the loaders a file that cannot be read or parsed,
 *	with a message in err (if err is not NULL and errlen > 0) naming the file,
 *	the line and what was expected, e.g.
 *	    2026.json:12: expected ',' or '}' after a member, found '"'
 *	holidays_load_dir() also fails on a directory with no *.json file.
 */
#ifndef AEDESK_HOLIDAYS_H
#define AEDESK_HOLIDAYS_H

#include <stddef.h>

typedef struct holidays holidays;

holidays *holidays_new(void);
int holidays_load_file(holidays *h, const char *path, char *err, size_t errlen);
int holidays_load_dir(holidays *h, const char *dir, char *err, size_t errlen);
int holidays_load_text(holidays *h, const char *name, const char *text, size_t len, char *err, size_t errlen);
int holidays_is_workday(const holidays *h, int y, int m, int d);
const char *holidays_name(const holidays *h, int y, int m, int d);
int holidays_next_workday(const holidays *h, int y, int m, int d, int *ny, int *nm, int *nd);
void holidays_free(holidays *h);

#endif
