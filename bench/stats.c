/*
 * NAME
 *	stats.c - timing, percentiles, the figures of every run, ratios and goals
 *
 * DESCRIPTION
 *	Each figure is kept per run under a key ("w.add.8" = client add from 8 clients).
 *	The report shows the median over the runs with the min–max range; ratios and
 *	goals are taken on the medians.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define MAX_FIGS 128

struct fig {
	char key[48], label[96], unit[16];
	int is_value;
	int nr;
	double v[4][BENCH_MAX_RUNS]; /* rate (or value), p50, p99, p99.9 */
};

static struct fig figs[MAX_FIGS];
static int nfigs, run_no;
static int ngoals, nfailed;

int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct result result_of(int64_t *lat, size_t n, int64_t wall_ns, size_t failures)
{
	struct result r = {.n = 0};
	r.n = n;
	r.failures = failures;
	if (!n || wall_ns <= 0)
		return r;
	qsort(lat, n, sizeof *lat, cmp64);
	r.per_s = (double)n / ((double)wall_ns / 1e9);
	r.p50 = (double)lat[n / 2] / 1e3;
	r.p99 = (double)lat[(size_t)((double)(n - 1) * 0.99)] / 1e3;
	r.p999 = (double)lat[(size_t)((double)(n - 1) * 0.999)] / 1e3;
	return r;
}

static struct fig *fig_get(const char *key, int create)
{
	for (int i = 0; i < nfigs; i++)
		if (strcmp(figs[i].key, key) == 0)
			return &figs[i];
	if (!create || nfigs == MAX_FIGS)
		return NULL;
	struct fig *f = &figs[nfigs++];
	snprintf(f->key, sizeof f->key, "%s", key);
	return f;
}

static void fig_put(struct fig *f, const double v[4])
{
	/* runs are filled in order; a figure missing from a run is simply not counted */
	if (f->nr >= BENCH_MAX_RUNS)
		return;
	for (int k = 0; k < 4; k++)
		f->v[k][f->nr] = v[k];
	f->nr++;
}

void record(const char *key, const char *label, struct result r)
{
	struct fig *f = fig_get(key, 1);
	if (!f)
		return;
	snprintf(f->label, sizeof f->label, "%s", label);
	double v[4] = {r.per_s, r.p50, r.p99, r.p999};
	fig_put(f, v);
	printf("  %-44s %9.0f/s  p50 %8.1f  p99 %8.1f  p99.9 %8.1f us  (n %zu)%s\n", label, r.per_s,
	    r.p50, r.p99, r.p999, r.n, r.failures ? "  !! failures" : "");
	if (r.failures)
		printf("  !! %zu request(s) of %s failed\n", r.failures, label);
	fflush(stdout);
}

void record_value(const char *key, const char *label, const char *unit, double val)
{
	struct fig *f = fig_get(key, 1);
	if (!f)
		return;
	snprintf(f->label, sizeof f->label, "%s", label);
	snprintf(f->unit, sizeof f->unit, "%s", unit);
	f->is_value = 1;
	double v[4] = {val, 0, 0, 0};
	fig_put(f, v);
	printf("  %-44s %12.1f %s\n", label, val, unit);
	fflush(stdout);
}

void bench_next_run(void) { run_no++; }

static int which_index(char which)
{
	return which == '5' ? 1 : which == '9' ? 2 : which == 'x' ? 3 : 0;
}

static double stat_of(const char *key, char which, int what)
{
	struct fig *f = fig_get(key, 0);
	if (!f || !f->nr)
		return NAN;
	double s[BENCH_MAX_RUNS];
	int k = which_index(which);
	memcpy(s, f->v[k], sizeof s[0] * (size_t)f->nr);
	qsort(s, (size_t)f->nr, sizeof s[0], cmpd);
	if (what < 0)
		return s[0];
	if (what > 0)
		return s[f->nr - 1];
	return f->nr % 2 ? s[f->nr / 2] : (s[f->nr / 2 - 1] + s[f->nr / 2]) / 2;
}

double fig_median(const char *key, char which) { return stat_of(key, which, 0); }
double fig_min(const char *key, char which) { return stat_of(key, which, -1); }
double fig_max(const char *key, char which) { return stat_of(key, which, 1); }

int fig_runs(const char *key)
{
	struct fig *f = fig_get(key, 0);
	return f ? f->nr : 0;
}

void report(void)
{
	printf("\n%-46s %-22s %-9s %-9s %-9s %s\n", "figure", "median (min-max)", "p50 us", "p99 us",
	    "p99.9 us", "runs");
	for (int i = 0; i < nfigs; i++) {
		struct fig *f = &figs[i];
		char range[64];
		if (f->is_value) {
			snprintf(range, sizeof range, "%.1f (%.1f-%.1f) %s", fig_median(f->key, 'v'),
			    fig_min(f->key, 'v'), fig_max(f->key, 'v'), f->unit);
			printf("%-46s %-50s %d\n", f->label, range, f->nr);
			continue;
		}
		snprintf(range, sizeof range, "%.0f/s (%.0f-%.0f)", fig_median(f->key, 'r'), fig_min(f->key, 'r'),
		    fig_max(f->key, 'r'));
		printf("%-46s %-22s %-9.1f %-9.1f %-9.1f %d\n", f->label, range, fig_median(f->key, '5'),
		    fig_median(f->key, '9'), fig_median(f->key, 'x'), f->nr);
	}
}

void ratio(const char *label, const char *a, const char *b)
{
	double x = fig_median(a, 'r'), y = fig_median(b, 'r');
	if (isnan(x) || isnan(y) || y == 0)
		return;
	double p = fig_median(a, '5'), q = fig_median(b, '5');
	if (p > 0 && q > 0)
		printf("  %-58s %6.2fx throughput   p50 %6.2fx\n", label, x / y, p / q);
	else
		printf("  %-58s %6.2fx\n", label, x / y);
}

void goal(const char *what, int met, const char *detail)
{
	ngoals++;
	if (!met)
		nfailed++;
	printf("  [%s] %-56s %s\n", met ? "met    " : "NOT met", what, detail);
}

int goals_failed(void) { return nfailed; }
