/*
 * NAME
 *	conf.h - the aedesk configuration file
 *
 * SYNOPSIS
 *	conf *c = conf_load(path, err, sizeof err);
 *	const char *dir = conf_get(c, "data_dir", "/var/lib/aedesk");
 *	char url[512]; conf_endpoint(c, "registry", "rep", url, sizeof url);
 *
 * DESCRIPTION
 *	One file for every process: "key = value" lines, '#' comments, blank lines.
 *	Keys are documented in deploy/aedesk.conf.example. Values run to the end of the
 *	line with surrounding blanks trimmed. A service's endpoints default to
 *	ipc://<run_dir>/<service>.<kind>, overridable by "<service>.<kind> = URL".
 *
 * DIAGNOSTICS
 *	conf_load returns NULL and writes "path:line: what is wrong" into err.
 */
#ifndef AEDESK_CONF_H
#define AEDESK_CONF_H

#include <stddef.h>
#include <stdint.h>

typedef struct conf conf;

conf *conf_load(const char *path, char *err, size_t errlen);
conf *conf_empty(void);
void conf_free(conf *c);
const char *conf_path(const conf *c);
const char *conf_get(const conf *c, const char *key, const char *dflt);
int conf_set(conf *c, const char *key, const char *value);
/* conf_get_int: the value as an integer; dflt when unset; -1 in *ok when not a number. */
int64_t conf_get_int(const conf *c, const char *key, int64_t dflt, int *ok);
int conf_endpoint(const conf *c, const char *service, const char *kind, char *url, size_t len);
/* conf_find_default: the file the CLI reads when no --conf is given (see conf.c). */
const char *conf_find_default(char *buf, size_t len);

#endif
