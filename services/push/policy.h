/*
 * NAME
 *	policy.h - when a delivery may go: quiet hours, urgent rules, backoff (pure functions)
 *
 * DESCRIPTION
 *	push_quiet_parse: "HH:MM-HH:MM" (may cross midnight) into minutes of the day, or
 *	"off"/"" (from = to = -1); -1 when it is neither.
 *	push_quiet_at: now_ms (UTC) falls in [from, to) of the local day (tz_ms east of UTC).
 *	push_rule_listed: rule is one of a comma-separated list (blanks around items ignored).
 *	push_backoff: the wait before attempt attempts+1: base, doubled per attempt after the
 *	first, at most max.
 */
#ifndef AEDESK_PUSH_POLICY_H
#define AEDESK_PUSH_POLICY_H

#include <stdint.h>

int push_quiet_parse(const char *s, int *from, int *to);
int push_quiet_at(int64_t now_ms, int64_t tz_ms, int from, int to);
int push_rule_listed(const char *list, const char *rule);
int64_t push_backoff(int64_t base, int64_t max, uint32_t attempts);

#endif
