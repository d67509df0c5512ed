/*
 * NAME
 *	conf.c - read the aedesk configuration file
 *
 * DESCRIPTION
 *	A flat list of key/value pairs; small (dozens of keys), so a linear array does.
 *	See conf.h for the format.
 */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct conf_kv {
	char *key, *value;
};

struct conf {
	char *path;
	struct conf_kv *kv;
	size_t n, cap;
};

conf *conf_empty(void)
{
	conf *c = calloc(1, sizeof *c);
	if (c)
		c->path = strdup("(defaults)");
	return c;
}

/* trim cuts blanks from both ends in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

int conf_set(conf *c, const char *key, const char *value)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->kv[i].key, key) == 0) {
			char *v = strdup(value);
			if (!v)
				return -1;
			free(c->kv[i].value);
			c->kv[i].value = v;
			return 0;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct conf_kv *kv = realloc(c->kv, cap * sizeof *kv);
		if (!kv)
			return -1;
		c->kv = kv;
		c->cap = cap;
	}
	c->kv[c->n].key = strdup(key);
	c->kv[c->n].value = strdup(value);
	if (!c->kv[c->n].key || !c->kv[c->n].value)
		return -1;
	c->n++;
	return 0;
}

/* conf_load reads the file; every malformed line is an error naming its line number. */
conf *conf_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	conf *c = conf_empty();
	if (!c) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	free(c->path);
	c->path = strdup(path);
	char line[4096];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line longer than %zu bytes", path, lineno,
			    sizeof line - 1);
			goto fail;
		}
		char *s = trim(line);
		if (*s == 0 || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected \"key = value\"", path, lineno);
			goto fail;
		}
		*eq = 0;
		/* A comment may follow a value after a space: "key = 5   # why". A value
		 * that needs " #" in it cannot have it (none of ours does). */
		for (char *h = eq + 1; *h; h++)
			if (*h == '#' && (h[-1] == ' ' || h[-1] == '\t')) {
				*h = 0;
				break;
			}
		char *k = trim(s), *v = trim(eq + 1);
		if (*k == 0) {
			snprintf(err, errlen, "%s:%d: empty key before '='", path, lineno);
			goto fail;
		}
		if (conf_set(c, k, v) != 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	fclose(f);
	return c;
fail:
	fclose(f);
	conf_free(c);
	return NULL;
}

void conf_free(conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->kv[i].key);
		free(c->kv[i].value);
	}
	free(c->kv);
	free(c->path);
	free(c);
}

const char *conf_path(const conf *c) { return c->path; }

const char *conf_get(const conf *c, const char *key, const char *dflt)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->kv[i].key, key) == 0)
			return c->kv[i].value;
	return dflt;
}

int64_t conf_get_int(const conf *c, const char *key, int64_t dflt, int *ok)
{
	const char *v = conf_get(c, key, NULL);
	if (ok)
		*ok = 0;
	if (!v)
		return dflt;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end) {
		if (ok)
			*ok = -1;
		return dflt;
	}
	return x;
}

/* conf_endpoint: "<service>.<kind>" if set, else ipc://<run_dir>/<service>.<kind>. */
int conf_endpoint(const conf *c, const char *service, const char *kind, char *url, size_t len)
{
	char key[128];
	snprintf(key, sizeof key, "%s.%s", service, kind);
	const char *v = conf_get(c, key, NULL);
	int n;
	if (v)
		n = snprintf(url, len, "%s", v);
	else
		n = snprintf(url, len, "ipc://%s/%s.%s", conf_get(c, "run_dir", "/run/aedesk"),
		    service, kind);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/*
 * conf_find_default: $AEDESK_CONF, else $AEDESK_HOME/aedesk.conf, else ./var/aedesk.conf
 * (deploy/up's embedded default), else /etc/aedesk/aedesk.conf. Returns NULL if none exists.
 */
const char *conf_find_default(char *buf, size_t len)
{
	const char *e = getenv("AEDESK_CONF");
	if (e && *e) {
		snprintf(buf, len, "%s", e);
		return buf;
	}
	const char *h = getenv("AEDESK_HOME");
	const char *cands[3];
	char home[1024];
	int n = 0;
	if (h && *h) {
		snprintf(home, sizeof home, "%s/aedesk.conf", h);
		cands[n++] = home;
	}
	cands[n++] = "var/aedesk.conf";
	cands[n++] = "/etc/aedesk/aedesk.conf";
	for (int i = 0; i < n; i++)
		if (access(cands[i], R_OK) == 0) {
			if (cands[i][0] != '/') {
				char cwd[1024];
				if (getcwd(cwd, sizeof cwd))
					snprintf(buf, len, "%s/%s", cwd, cands[i]);
				else
					snprintf(buf, len, "%s", cands[i]);
			} else
				snprintf(buf, len, "%s", cands[i]);
			return buf;
		}
	return NULL;
}
