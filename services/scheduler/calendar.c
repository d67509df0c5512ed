/*
 * NAME
 *	calendar.c - the agency's days: time zone, working days, festivals
 *
 * DESCRIPTION
 *	The zone is a fixed offset (config timezone_offset_min, default 480: Asia/Shanghai has
 *	had no daylight saving since 1991); "timezone" other than Asia/Shanghai needs the offset
 *	given. Working days follow China's official holidays and adjusted working days (调休),
 *	loaded from holidays_dir (default: the repo's deploy/data/holidays-cn when run from the
 *	build tree, else /usr/share/aedesk/holidays-cn). Festivals are computed (lunar.h), so
 *	they are right for any year 1900-2100 even without a holiday notice for it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "civil.h"
#include "lunar.h"
#include "sched.h"

#ifndef AEDESK_SOURCE_DIR
#define AEDESK_SOURCE_DIR "."
#endif

int sched_calendar_open(const conf *c, char *err, size_t errlen)
{
	const char *tz = conf_get(c, "timezone", "Asia/Shanghai");
	int ok = 0;
	int64_t off = conf_get_int(c, "timezone_offset_min", 480, &ok);
	if (ok < 0 || off < -14 * 60 || off > 14 * 60) {
		snprintf(err, errlen, "timezone_offset_min must be minutes east of UTC (-840..840)");
		return -1;
	}
	if (!conf_get(c, "timezone_offset_min", NULL) && strcmp(tz, "Asia/Shanghai") &&
	    strcmp(tz, "Asia/Chongqing") && strcmp(tz, "PRC") && strcmp(tz, "Asia/Harbin")) {
		snprintf(err, errlen, "timezone %s: give its offset as timezone_offset_min", tz);
		return -1;
	}
	sched.tz_ms = off * SCHED_MIN_MS;
	struct stat st;
	const char *dir = conf_get(c, "holidays_dir", NULL);
	if (!dir)
		dir = stat(AEDESK_SOURCE_DIR "/deploy/data/holidays-cn", &st) == 0
		    ? AEDESK_SOURCE_DIR "/deploy/data/holidays-cn"
		    : "/usr/share/aedesk/holidays-cn";
	if (!(sched.hol = holidays_new())) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char e[512];
	snprintf(sched.hol_dir, sizeof sched.hol_dir, "%s", dir);
	if (holidays_load_dir(sched.hol, dir, e, sizeof e) != 0) {
		snprintf(err, errlen, "holidays_dir %s: %s", dir, e);
		return -1;
	}
	return 0;
}

int sched_local_day(int64_t ms)
{
	int64_t t = ms + sched.tz_ms;
	int64_t d = t / SCHED_DAY_MS;
	if (t % SCHED_DAY_MS < 0)
		d--;
	return (int)d;
}

int64_t sched_local_ms(int day, int minute)
{
	return (int64_t)day * SCHED_DAY_MS + (int64_t)minute * SCHED_MIN_MS - sched.tz_ms;
}

void sched_day_str(int day, char *buf, size_t len)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

int sched_is_workday(int day)
{
	int y, m, d;
	days_to_civil(day, &y, &m, &d);
	return holidays_is_workday(sched.hol, y, m, d) == 1;
}

int sched_prev_workday(int day)
{
	for (int i = 1; i < 30; i++)
		if (sched_is_workday(day - i))
			return day - i;
	return day - 1;
}

int sched_next_workday(int day)
{
	for (int i = 1; i < 30; i++)
		if (sched_is_workday(day + i))
			return day + i;
	return day + 1;
}

int sched_week_of(int day)
{
	int y, w;
	civil_iso_week(day, &y, &w);
	return y * 100 + w;
}

int sched_week_monday(int yw)
{
	int jan4 = civil_to_days(yw / 100, 1, 4);
	return jan4 - civil_weekday(jan4) + (yw % 100 - 1) * 7;
}

int sched_festivals(int year, struct sched_festival *out, int max)
{
	int n = 0, m, d;
#define FEST(k, z, e, g, expr)                                                                     \
	do {                                                                                       \
		if (n < max && (expr) == 0)                                                        \
			out[n++] = (struct sched_festival){k, z, e, civil_to_days(year, m, d), g};  \
	} while (0)
	FEST("newyear", "元旦", "New Year's Day", 0, (m = 1, d = 1, 0));
	FEST("spring", "春节", "Spring Festival", 1, lunar_spring_festival(year, &m, &d));
	FEST("qingming", "清明节", "Qingming", 0, solar_term_qingming(year, &m, &d));
	FEST("labour", "劳动节", "Labour Day", 0, (m = 5, d = 1, 0));
	FEST("dragonboat", "端午节", "Dragon Boat Festival", 0, lunar_dragon_boat(year, &m, &d));
	FEST("midautumn", "中秋节", "Mid-Autumn Festival", 1, lunar_mid_autumn(year, &m, &d));
	FEST("national", "国庆节", "National Day", 0, (m = 10, d = 1, 0));
#undef FEST
	return n;
}
