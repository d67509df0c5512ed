/*
 * NAME
 *	policy.c - quiet hours, urgent rules and backoff of aedesk-push (see policy.h)
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

/* parse_hhmm: "22:00" (exactly, up to end) -> minutes of the day; -1 if not a time. */
static int parse_hhmm(const char *s, const char *end)
{
	int h, m, n = 0;
	if (end - s != 5 || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s + n != end || h < 0 || h > 24 || m < 0 ||
	    m > 59 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

int push_quiet_parse(const char *s, int *from, int *to)
{
	*from = *to = -1;
	if (!s[0] || strcmp(s, "off") == 0)
		return 0;
	const char *dash = strchr(s, '-');
	if (!dash || (*from = parse_hhmm(s, dash)) < 0 || (*to = parse_hhmm(dash + 1, dash + 1 + strlen(dash + 1))) < 0) {
		*from = *to = -1;
		return -1;
	}
	return 0;
}

int push_quiet_at(int64_t now_ms, int64_t tz_ms, int from, int to)
{
	if (from < 0 || to < 0 || from == to)
		return 0;
	int64_t t = now_ms + tz_ms;
	int m = (int)(((t / 60000) % 1440 + 1440) % 1440);
	if (from < to)
		return m >= from && m < to;
	return m >= from || m < to; /* across midnight */
}

int push_rule_listed(const char *list, const char *rule)
{
	size_t rl = strlen(rule);
	if (!rl)
		return 0;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == rl && strncmp(p, rule, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

int64_t push_backoff(int64_t base, int64_t max, uint32_t attempts)
{
	int64_t b = base;
	for (uint32_t i = 1; i < attempts && b < max; i++)
		b *= 2;
	return b < max ? b : max;
}
