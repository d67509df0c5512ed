/*
 * Transports: services and the aedesk command talk over tls+tcp:// with certificates
 * from the config (issue 8). A CA and certificates are made at test time with the
 * openssl command. Both ends must show a certificate from the configured CA: a peer
 * with none, with one from another CA, or speaking plain tcp gets no answer at all.
 * The ipc run directory is enterable by the aedesk group only (0770).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "client.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "status.pb-c.h"
#include "wire.h"

static char out[16384], err[4096];

/* free_port: a port on 127.0.0.1 nobody listens on right now (the kernel's choice). */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* make_pki writes ca.pem, svc.pem/svc.key (signed by ca) and rogue.pem/rogue.key
 * (signed by another CA) under dir with the openssl command. */
static int make_pki(const char *dir)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	    "set -e; cd '%s'; mkdir -p tls; cd tls;"
	    "ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';"
	    "for ca in ca rogueca; do openssl req -x509 $ec -keyout $ca.key -out $ca.pem -days 2"
	    "  -subj /CN=aedesk-test-$ca 2>/dev/null; done;"
	    "for c in svc:ca rogue:rogueca; do n=${c%%:*}; ca=${c#*:};"
	    "  openssl req $ec -keyout $n.key -out $n.csr -subj /CN=aedesk-$n 2>/dev/null;"
	    "  openssl x509 -req -in $n.csr -CA $ca.pem -CAkey $ca.key -CAcreateserial -out $n.pem"
	    "  -days 2 2>/dev/null; done;"
	    "chmod 0600 *.key",
	    dir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * health_as asks a service for its Health over url with a TLS configuration of our
 * choosing (cert NULL: none at all; else certificate and key in one PEM file), trying
 * up to tries times; returns 0 only if an answer came back.
 */
static int health_as(const char *url, const char *ca, const char *cert, int tries)
{
	nng_socket s;
	nng_tls_config *cfg = NULL;
	nng_dialer d;
	int answered = 0;
	if (nng_req0_open(&s) != 0)
		return -1;
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, 2000);
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 1500);
	if (nng_dialer_create(&d, s, url) == 0) {
		if (strncmp(url, "tls+", 4) == 0 && nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT) == 0) {
			nng_tls_config_ca_file(cfg, ca);
			nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
			if (cert)
				nng_tls_config_cert_key_file(cfg, cert, NULL);
			nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg);
		}
		nng_dialer_start(d, NNG_FLAG_NONBLOCK);
		Aedesk__HealthRequest q = AEDESK__HEALTH_REQUEST__INIT;
		uint8_t *payload, *buf;
		size_t plen, len;
		wire_pack(&q.base, &payload, &plen);
		Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
		e.version = WIRE_VERSION;
		e.type = (char *)aedesk__health_request__descriptor.name;
		e.payload.data = payload;
		e.payload.len = plen;
		wire_pack(&e.base, &buf, &len);
		free(payload);
		for (int i = 0; i < tries && !answered; i++) {
			void *rb = NULL;
			size_t rl = 0;
			if (nng_send(s, buf, len, 0) == 0 && nng_recv(s, &rb, &rl, NNG_FLAG_ALLOC) == 0) {
				answered = 1;
				nng_free(rb, rl);
			}
		}
		free(buf);
	}
	/* nng_close may hang on a REQ socket with a failed exchange (NNG #1543): leave it. */
	if (answered)
		nng_close(s);
	if (cfg)
		nng_tls_config_free(cfg);
	return answered ? 0 : -1;
}

TEST(test_services_and_cli_talk_over_tls_and_strangers_get_no_answer)
{
	harness h;
	CHECK(h_setup(&h, "tls") == 0);
	CHECK(make_pki(h.home) == 0);
	char path[512], url[128], reg_rep[128];
	snprintf(path, sizeof path, "%s/tls/svc.pem", h.home);
	h_conf_add(&h, "tls_cert", path);
	snprintf(path, sizeof path, "%s/tls/svc.key", h.home);
	h_conf_add(&h, "tls_key", path);
	snprintf(path, sizeof path, "%s/tls/ca.pem", h.home);
	h_conf_add(&h, "tls_ca", path);
	const char *names[] = {"registry.rep", "registry.pub", "jobs.rep", "jobs.pub", "status.rep", "status.pub"};
	h_conf_add(&h, "services", "registry,jobs,status");
	h_conf_add(&h, "status.http", "127.0.0.1:0");
	for (int i = 0; i < 6; i++) {
		snprintf(url, sizeof url, "tls+tcp://127.0.0.1:%d", free_port());
		h_conf_add(&h, names[i], url);
		if (i == 0)
			snprintf(reg_rep, sizeof reg_rep, "%s", url);
	}
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_start(&h, "jobs") == 0);
	CHECK(h_login_admin(&h) == 0);

	/* The CLI, over TLS with the same certificate; jobs hears of it over TLS too. */
	H_OK(&h, "client", "add", "--name", "华夏食品", "--class", "A");
	CHECK(h_contains(out, "C000001"));
	CHECK(h_wait_consumer(&h, "jobs", "registry", 20000) == 0);
	CHECK(h_last_seq(&h, "jobs", "registry") >= 1);
	/* aedesk-status hears every heartbeat over TLS: all up, none only "asked directly". */
	CHECK(h_start(&h, "status") == 0);
	int up = 0;
	for (int i = 0; i < 100 && !up; i++) {
		up = h_cli(&h, NULL, out, sizeof out, "--lang", "en", "status", NULL) == 0 &&
		    !h_contains(out, "asked directly");
		if (!up)
			h_sleep_ms(200);
	}
	CHECK(up && h_contains(out, "registry") && h_contains(out, "jobs") && h_contains(out, "up"));
	if (!up)
		fprintf(stderr, "    status: %s\n", out);
	/* ...from the heartbeats it subscribed to over TLS. */
	int heard = 0;
	for (int i = 0; i < 100 && heard < 3; i++) {
		Aedesk__StatusRequest sq = AEDESK__STATUS_REQUEST__INIT;
		Aedesk__StatusReply *sr = NULL;
		heard = 0;
		if (h_call(&h, "status", &sq.base, &aedesk__status_reply__descriptor, (ProtobufCMessage **)&sr) == 0 && sr)
			for (size_t k = 0; k < sr->n_services; k++)
				heard += sr->services[k]->up && sr->services[k]->known && sr->services[k]->last_seen_ms > 0;
		wire_free(sr ? &sr->base : NULL);
		if (heard < 3)
			h_sleep_ms(200);
	}
	CHECK_INT(heard, 3);

	/* Strangers: the right CA but no certificate; a certificate from another CA;
	 * plain tcp to a TLS port. None gets a single answer. */
	char ca[512], good[512], rogue[512];
	snprintf(ca, sizeof ca, "%s/tls/ca.pem", h.home);
	snprintf(good, sizeof good, "%s/tls/svc.both.pem", h.home);
	snprintf(rogue, sizeof rogue, "%s/tls/rogue.both.pem", h.home);
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "cd '%s/tls' && cat svc.pem svc.key > svc.both.pem && cat rogue.pem rogue.key > rogue.both.pem",
	    h.home);
	CHECK(system(cmd) == 0);
	CHECK(health_as(reg_rep, ca, good, 5) == 0); /* the probe itself works */
	CHECK(health_as(reg_rep, ca, NULL, 1) != 0);
	CHECK(health_as(reg_rep, ca, rogue, 1) != 0);
	char plain[128];
	snprintf(plain, sizeof plain, "tcp://%s", reg_rep + strlen("tls+tcp://"));
	CHECK(health_as(plain, ca, NULL, 1) != 0);

	/* The aedesk command with a certificate from another CA cannot reach anyone. */
	char rconf[512], text[4096];
	snprintf(rconf, sizeof rconf, "%s/rogue.conf", h.home);
	CHECK(h_read_file(h.conf, text, sizeof text) == 0);
	FILE *f = fopen(rconf, "w");
	if (f) {
		fprintf(f, "%s\ntls_cert = %s/tls/rogue.pem\ntls_key = %s/tls/rogue.key\n", text, h.home, h.home);
		fclose(f);
	}
	char bin[2048];
	snprintf(bin, sizeof bin, "AEDESK_TOKEN_FILE='%s' %s/aedesk --conf '%s' client list >/dev/null 2>&1",
	    h.token, AEDESK_BIN_DIR, rconf);
	int rc = system(bin);
	CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 3);
	CHECK_INT(h_teardown(&h), 0);
}

/* The ipc run directory: the aedesk group may enter it, others may not (0770); one open
 * to everyone is reported. */
TEST(test_ipc_run_directory_is_for_the_aedesk_group_only)
{
	harness h;
	CHECK(h_setup(&h, "tlsrun") == 0);
	CHECK(h_start(&h, "registry") == 0);
	char run[400];
	snprintf(run, sizeof run, "%s/run", h.home);
	struct stat st;
	CHECK(stat(run, &st) == 0);
	CHECK_INT((int)(st.st_mode & 0777) & 0007, 0);
	CHECK_INT(h_teardown(&h), 0);

	/* One left open to everyone is reported at start. */
	CHECK(h_setup(&h, "tlsrun") == 0);
	snprintf(run, sizeof run, "%s/run", h.home);
	CHECK(mkdir(run, 0700) == 0 && chmod(run, 0777) == 0);
	CHECK(h_start(&h, "registry") == 0);
	char log[8192] = "", path[512];
	snprintf(path, sizeof path, "%s/registry.log", h.home);
	h_read_file(path, log, sizeof log);
	CHECK(h_contains(log, "open to everyone"));
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_services_and_cli_talk_over_tls_and_strangers_get_no_answer);
	RUN(test_ipc_run_directory_is_for_the_aedesk_group_only);
	return check_summary();
}
