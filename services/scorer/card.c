/*
 * NAME
 *	card.c - the inputs of a scorecard and how they add up
 *
 * DESCRIPTION
 *	Every input has a score in thousandths (0..1000) and a weight. The total is
 *	sum(score * weight) / sum(weight) over the inputs that count (weight > 0), in
 *	integer arithmetic; each input's contribution is score * weight / sum(weight),
 *	so a person can check the total by hand (the contributions' sum may be below the
 *	total by the rounding of at most one thousandth per input).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scorer.h"

struct sc_card {
	Aedesk__ScoreInput **in;
	size_t n, cap;
};

sc_card *sc_card_new(void) { return calloc(1, sizeof(sc_card)); }

static void input_free(Aedesk__ScoreInput *in)
{
	if (!in)
		return;
	free(in->name);
	free(in->value);
	free(in->note);
	for (size_t i = 0; i < in->n_sources; i++)
		free(in->sources[i]);
	free(in->sources);
	free(in);
}

void sc_card_free(sc_card *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		input_free(c->in[i]);
	free(c->in);
	free(c);
}

Aedesk__ScoreInput *sc_card_input(sc_card *c, const char *name, int64_t score, int64_t weight, const char *note,
    const char *fmt, ...)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		Aedesk__ScoreInput **a = realloc(c->in, cap * sizeof *a);
		if (!a)
			return NULL;
		c->in = a;
		c->cap = cap;
	}
	Aedesk__ScoreInput *in = calloc(1, sizeof *in);
	if (!in)
		return NULL;
	aedesk__score_input__init(in);
	char value[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(value, sizeof value, fmt, ap);
	va_end(ap);
	in->name = strdup(name);
	in->value = strdup(value);
	in->note = strdup(note ? note : "");
	if (!in->name || !in->value || !in->note) {
		input_free(in);
		return NULL;
	}
	in->score = score < 0 ? 0 : score > 1000 ? 1000 : score;
	in->weight = weight;
	c->in[c->n++] = in;
	return in;
}

int sc_input_source(Aedesk__ScoreInput *in, const char *id)
{
	for (size_t i = 0; i < in->n_sources; i++)
		if (strcmp(in->sources[i], id) == 0)
			return 0;
	char **a = realloc(in->sources, (in->n_sources + 1) * sizeof *a);
	if (!a)
		return -1;
	in->sources = a;
	if (!(a[in->n_sources] = strdup(id)))
		return -1;
	in->n_sources++;
	return 0;
}

void sc_card_finish(sc_card *c, int64_t *total, int64_t *total_weight)
{
	int64_t w = 0, sum = 0;
	for (size_t i = 0; i < c->n; i++) {
		w += c->in[i]->weight;
		sum += c->in[i]->score * c->in[i]->weight;
	}
	for (size_t i = 0; i < c->n; i++)
		c->in[i]->contribution = w ? c->in[i]->score * c->in[i]->weight / w : 0;
	*total = w ? sum / w : 0;
	*total_weight = w;
}

Aedesk__ScoreInput **sc_card_inputs(sc_card *c, size_t *n)
{
	*n = c->n;
	return c->in;
}
