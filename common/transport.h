/*
 * NAME
 *	transport.h - listen and dial on any aedesk endpoint (ipc, tcp, tls+tcp)
 *
 * SYNOPSIS
 *	transport_init(conf, err, sizeof err);          once per process, after the config
 *	transport_listen(sock, "tls+tcp://10.0.0.5:7101", 0660, &l);
 *	transport_dial(sock, url, &d, NNG_FLAG_NONBLOCK);
 *
 * DESCRIPTION
 *	Every socket a service or the aedesk command opens goes through here, so one place
 *	decides how a URL is secured. ipc:// sockets get the given file mode (the run
 *	directory itself is 0770, group aedesk). tls+tcp:// endpoints use the certificates
 *	named by the config keys tls_cert, tls_key and tls_ca: both ends present a
 *	certificate and both require the other's to chain to tls_ca (mutual
 *	authentication, NNG_TLS_AUTH_MODE_REQUIRED). A peer with no certificate, or one
 *	from another CA, fails the handshake and never exchanges a message.
 *
 * SECURITY
 *	tls_ca should be a CA used for aedesk only: every certificate it signs is a peer
 *	(host names are not checked). The private key is read once, handed to NNG and the
 *	buffer wiped. Plain tcp:// is neither encrypted nor authenticated; a warning is
 *	logged when a service listens on it.
 *
 * DIAGNOSTICS
 *	transport_init returns -1 with a message naming the key or file at fault.
 *	transport_listen and transport_dial return NNG error codes.
 */
#ifndef AEDESK_TRANSPORT_H
#define AEDESK_TRANSPORT_H

#include <nng/nng.h>
#include <stddef.h>

#include "conf.h"

int transport_init(const conf *c, char *err, size_t errlen);
/* transport_fini drops the TLS configurations (they live as long as any user of them). */
void transport_fini(void);
/* transport_is_tls: the URL is tls+tcp:// (or tls+tcp4/6). */
int transport_is_tls(const char *url);
int transport_listen(nng_socket s, const char *url, int ipc_mode, nng_listener *lp);
int transport_dial(nng_socket s, const char *url, nng_dialer *dp, int flags);

#endif
