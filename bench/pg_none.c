/*
 * NAME
 *	pg_none.c - the PostgreSQL baseline when aedesk-bench was built without libpq
 */
#include <stdio.h>

#include "bench.h"

int pg_available(void) { return 0; }

int pg_prepare(const char *conninfo, int rows, char *err, size_t errlen)
{
	(void)conninfo;
	(void)rows;
	snprintf(err, errlen, "built without libpq (install libpq-dev and rebuild)");
	return -1;
}

struct result pg_run(const char *conninfo, char kind, int clients, int n, int64_t cap_ns)
{
	(void)conninfo;
	(void)kind;
	(void)clients;
	(void)n;
	(void)cap_ns;
	struct result r = {.n = 0};
	return r;
}
