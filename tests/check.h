/*
 * NAME
 *	check.h - the smallest test framework that does the job
 *
 * SYNOPSIS
 *	#include "check.h"
 *	TEST(test_visit_a_class_needs_two_per_week) { CHECK(x == 2); CHECK_STR(a, b); }
 *	int main(void) { RUN(test_visit_a_class_needs_two_per_week); return check_summary(); }
 *
 * DESCRIPTION
 *	Each TEST is a function; CHECK records a failure with file and line and goes on.
 *	check_summary() prints the closing "N passed, N failed" line (tests, not checks) and
 *	returns the process exit code, so ctest sees a failure.
 */
#ifndef AEDESK_CHECK_H
#define AEDESK_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_in_test;
static int check_tests_passed, check_tests_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                     \
	do {                                                                                \
		if (!(cond)) {                                                                  \
			fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);           \
			check_failed_in_test = 1;                                                   \
		}                                                                               \
	} while (0)

#define CHECK_STR(a, b)                                                                 \
	do {                                                                                \
		const char *check_a_ = (a), *check_b_ = (b);                                    \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                \
			fprintf(stderr, "  FAIL %s:%d: %s == %s\n    got      \"%s\"\n    expected \"%s\"\n", \
			    __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)",             \
			    check_b_ ? check_b_ : "(null)");                                        \
			check_failed_in_test = 1;                                                   \
		}                                                                               \
	} while (0)

#define CHECK_INT(a, b)                                                                 \
	do {                                                                                \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);                 \
		if (check_a_ != check_b_) {                                                     \
			fprintf(stderr, "  FAIL %s:%d: %s == %s (got %lld, expected %lld)\n",       \
			    __FILE__, __LINE__, #a, #b, check_a_, check_b_);                        \
			check_failed_in_test = 1;                                                   \
		}                                                                               \
	} while (0)

#define RUN(name)                                                                       \
	do {                                                                                \
		check_failed_in_test = 0;                                                       \
		fprintf(stderr, "-- %s\n", #name);                                              \
		name();                                                                         \
		if (check_failed_in_test) {                                                     \
			check_tests_failed++;                                                       \
			fprintf(stderr, "FAILED %s\n", #name);                                      \
		} else {                                                                        \
			check_tests_passed++;                                                       \
		}                                                                               \
	} while (0)

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", check_tests_passed, check_tests_failed);
	return check_tests_failed ? 1 : 0;
}

#endif
