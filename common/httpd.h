/*
 * httpd.h - small pieces the services that serve HTTP (status, gateway) share
 *
 *	httpd_url fills "http://HOST:PORT" for an NNG HTTP server that is listening, with
 *	the port it really got (a configured :0 asks the kernel for a free one, as the
 *	tests do). An address that is not IPv4 reads as 127.0.0.1 with port 0.
 */
#ifndef AEDESK_HTTPD_H
#define AEDESK_HTTPD_H

#include <nng/nng.h>
#include <nng/supplemental/http/http.h>
#include <stddef.h>

void httpd_url(nng_http_server *server, char *url, size_t len);

#endif
