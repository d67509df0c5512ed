/*
 * NAME
 *	transport.c - one place that knows how each endpoint kind is secured
 *
 * DESCRIPTION
 *	See transport.h. Two TLS configurations per process (NNG reference-counts them):
 *	one for listeners (server mode) and one for dialers (client mode), both with our
 *	own certificate and key, the CA file, and NNG_TLS_AUTH_MODE_REQUIRED.
 */
#include "transport.h"

#include <nng/supplemental/tls/tls.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static nng_tls_config *tls_server, *tls_client;
static char tls_missing[256]; /* why tls+tcp cannot be used, when it cannot */

int transport_is_tls(const char *url) { return strncmp(url, "tls+tcp", 7) == 0; }

/* slurp reads a small PEM file into a NUL-ended heap buffer (NULL on error). */
static char *slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	char *buf = malloc(65537);
	size_t n = buf ? fread(buf, 1, 65536, f) : 0;
	int more = fgetc(f) != EOF;
	fclose(f);
	if (!buf || n == 0 || more) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*lenp = n;
	return buf;
}

static int make_config(nng_tls_mode mode, const char *cert, const char *key, const char *ca,
    nng_tls_config **out, char *err, size_t errlen)
{
	nng_tls_config *cfg;
	int rv = nng_tls_config_alloc(&cfg, mode);
	if (rv != 0) {
		snprintf(err, errlen, "TLS is not available: %s", nng_strerror(rv));
		return -1;
	}
	size_t cl = 0, kl = 0;
	char *cp = slurp(cert, &cl), *kp = slurp(key, &kl);
	const char *bad = NULL, *file = NULL;
	if (!cp)
		bad = "tls_cert", file = cert;
	else if (!kp)
		bad = "tls_key", file = key;
	else if ((rv = nng_tls_config_own_cert(cfg, cp, kp, NULL)) != 0)
		bad = "tls_cert/tls_key", file = cert;
	else if ((rv = nng_tls_config_ca_file(cfg, ca)) != 0)
		bad = "tls_ca", file = ca;
	else
		rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
	free(cp);
	if (kp) {
		sodium_memzero(kp, kl); /* the key lives on only inside NNG's TLS engine */
		free(kp);
	}
	if (bad || rv != 0) {
		snprintf(err, errlen, "%s (%s): %s", bad ? bad : "tls", file ? file : "",
		    rv ? nng_strerror(rv) : "cannot read the file (missing, empty or over 64 KiB)");
		nng_tls_config_free(cfg);
		return -1;
	}
	*out = cfg;
	return 0;
}

int transport_init(const conf *c, char *err, size_t errlen)
{
	const char *cert = conf_get(c, "tls_cert", NULL), *key = conf_get(c, "tls_key", NULL),
		   *ca = conf_get(c, "tls_ca", NULL);
	transport_fini();
	if (!cert && !key && !ca) {
		snprintf(tls_missing, sizeof tls_missing,
		    "tls+tcp:// needs tls_cert, tls_key and tls_ca in the configuration");
		return 0;
	}
	if (!cert || !key || !ca) {
		snprintf(err, errlen, "%s: tls_cert, tls_key and tls_ca go together; %s is missing",
		    conf_path(c), !cert ? "tls_cert" : !key ? "tls_key" : "tls_ca");
		return -1;
	}
	if (make_config(NNG_TLS_MODE_SERVER, cert, key, ca, &tls_server, err, errlen) != 0 ||
	    make_config(NNG_TLS_MODE_CLIENT, cert, key, ca, &tls_client, err, errlen) != 0) {
		transport_fini();
		return -1;
	}
	tls_missing[0] = 0;
	return 0;
}

void transport_fini(void)
{
	if (tls_server)
		nng_tls_config_free(tls_server);
	if (tls_client)
		nng_tls_config_free(tls_client);
	tls_server = tls_client = NULL;
}

int transport_listen(nng_socket s, const char *url, int ipc_mode, nng_listener *lp)
{
	nng_listener l;
	int rv = nng_listener_create(&l, s, url);
	if (rv != 0)
		return rv;
	if (strncmp(url, "ipc://", 6) == 0)
		rv = nng_listener_set_int(l, NNG_OPT_IPC_PERMISSIONS, ipc_mode);
	else if (transport_is_tls(url)) {
		if (!tls_server) {
			log_error("cannot listen on %s: %s", url, tls_missing[0] ? tls_missing : "TLS is not configured");
			rv = NNG_EINVAL;
		} else
			rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, tls_server);
	} else if (strncmp(url, "tcp", 3) == 0)
		log_warn("listening on %s: plain tcp is neither encrypted nor authenticated; "
			 "use tls+tcp:// off this host", url);
	if (rv == 0)
		rv = nng_listener_start(l, 0);
	if (rv != 0)
		nng_listener_close(l);
	else if (lp)
		*lp = l;
	return rv;
}

int transport_dial(nng_socket s, const char *url, nng_dialer *dp, int flags)
{
	nng_dialer d;
	int rv = nng_dialer_create(&d, s, url);
	if (rv != 0)
		return rv;
	if (transport_is_tls(url)) {
		if (!tls_client) {
			nng_dialer_close(d);
			return NNG_EINVAL;
		}
		if ((rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, tls_client)) != 0) {
			nng_dialer_close(d);
			return rv;
		}
	}
	rv = nng_dialer_start(d, flags);
	if (rv != 0 && !(flags & NNG_FLAG_NONBLOCK)) {
		nng_dialer_close(d);
		return rv;
	}
	if (dp)
		*dp = d;
	return rv;
}
