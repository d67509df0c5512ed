/* httpd.c - see httpd.h */
#include "httpd.h"

#include <arpa/inet.h>
#include <stdio.h>

void httpd_url(nng_http_server *server, char *url, size_t len)
{
	nng_sockaddr sa;
	unsigned port = 0;
	char host[64] = "127.0.0.1";
	if (nng_http_server_get_addr(server, &sa) == 0 && sa.s_family == NNG_AF_INET) {
		port = ntohs(sa.s_in.sa_port);
		inet_ntop(AF_INET, &sa.s_in.sa_addr, host, sizeof host);
	}
	snprintf(url, len, "http://%s:%u", host, port);
}
