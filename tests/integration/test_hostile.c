/*
 * Bad input gets a clear error and changes nothing; the service keeps serving.
 * Garbage, truncated, oversize and library-hostile frames on the registry's REP socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"
#include "registry.pb-c.h"
#include "wire.h"

/* send_raw sends bytes and returns the reply's status, or -1 for no reply. */
static int send_raw(harness *h, const void *buf, size_t len, int timeout_ms)
{
	aeclient *c = h_client(h, "registry", timeout_ms);
	if (!c)
		return -2;
	uint8_t *out = NULL;
	size_t outlen = 0;
	int st = -1;
	if (aeclient_raw(c, buf, len, &out, &outlen) == 0) {
		Aedesk__Envelope *e = wire_envelope_unpack(out, outlen, NULL);
		st = e ? (int)e->status : -3;
		wire_free(e ? &e->base : NULL);
	}
	free(out);
	aeclient_close(c);
	return st;
}

/*
 * raw_ipc speaks NNG's IPC framing by hand on a Unix socket: the SP handshake claiming
 * to be a REQ peer (or garbage when good_handshake is 0), then a message header whose
 * 8-byte length says `claimed`. Returns 0 when the service closed the connection
 * without reading that much, as it must.
 */
static int raw_ipc(harness *h, int good_handshake, uint64_t claimed)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char path[400];
	snprintf(path, sizeof path, "%s/run/registry.rep", h->home);
	if (strlen(path) >= sizeof a.sun_path)
		return -1;
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
		return -1;
	uint8_t hs[8] = {0, 'S', 'P', 0, 0, 0x30, 0, 0}; /* REQ is protocol 0x30 */
	if (!good_handshake)
		memcpy(hs, "GET / HT", 8);
	uint8_t hdr[9] = {1};
	for (int i = 0; i < 8; i++)
		hdr[1 + i] = (uint8_t)(claimed >> (56 - 8 * i));
	struct timeval tv = {3, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ssize_t w = write(fd, hs, sizeof hs);
	if (good_handshake)
		w += write(fd, hdr, sizeof hdr);
	(void)w;
	uint8_t buf[64];
	ssize_t r;
	size_t got = 0;
	/* The service answers its handshake (8 bytes) and then closes: read to EOF. */
	while ((r = read(fd, buf, sizeof buf)) > 0)
		got += (size_t)r;
	close(fd);
	return (r == 0 && got <= 8) ? 0 : -1;
}

static size_t client_count(harness *h)
{
	Aedesk__ClientListRequest q = AEDESK__CLIENT_LIST_REQUEST__INIT;
	Aedesk__ClientListReply *r = NULL;
	size_t n = (size_t)-1;
	if (h_call(h, "registry", &q.base, &aedesk__client_list_reply__descriptor, (ProtobufCMessage **)&r) == 0 && r)
		n = r->n_clients;
	wire_free(r ? &r->base : NULL);
	return n;
}

/* envelope_with builds a client-add envelope whose payload is `payload`. */
static uint8_t *envelope_with(harness *h, const uint8_t *payload, size_t plen, const char *type, size_t *len)
{
	Aedesk__Envelope e = AEDESK__ENVELOPE__INIT;
	uint8_t id[16], *out;
	wire_new_id(id);
	e.version = WIRE_VERSION;
	e.type = (char *)type;
	e.id.data = id;
	e.id.len = 16;
	e.token.data = h->tok;
	e.token.len = h->toklen;
	e.payload.data = (uint8_t *)payload;
	e.payload.len = plen;
	return wire_pack(&e.base, &out, len) == 0 ? out : NULL;
}

TEST(test_garbage_truncated_and_oversize_frames_are_refused_and_change_nothing)
{
	harness h;
	CHECK(h_setup(&h, "hostile") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	CHECK_INT(client_count(&h), 0);

	/* Random garbage: an INVALID_ARGUMENT reply, never a crash. */
	uint8_t junk[512];
	srand(42);
	for (int round = 0; round < 50; round++) {
		size_t n = 1 + (size_t)(rand() % (int)sizeof junk);
		for (size_t i = 0; i < n; i++)
			junk[i] = (uint8_t)rand();
		int st = send_raw(&h, junk, n, 3000);
		CHECK(st == AEDESK__STATUS__INVALID_ARGUMENT);
	}
	/* A valid client-add envelope cut short at every length. */
	Aedesk__ClientAddRequest q = AEDESK__CLIENT_ADD_REQUEST__INIT;
	q.name = "截断客户";
	uint8_t *p, *env;
	size_t plen, elen;
	CHECK(wire_pack(&q.base, &p, &plen) == 0);
	env = envelope_with(&h, p, plen, aedesk__client_add_request__descriptor.name, &elen);
	CHECK(env != NULL);
	int refused = 0;
	for (size_t cut = 1; env && cut < elen; cut += 7)
		refused += send_raw(&h, env, cut, 3000) == AEDESK__STATUS__INVALID_ARGUMENT ||
		    send_raw(&h, env, cut, 3000) == AEDESK__STATUS__UNAUTHENTICATED;
	CHECK(refused > 0);
	free(env);
	/* Invalid UTF-8 in the client's name: refused before any handler sees it. */
	uint8_t bad[] = {0x0a, 0x04, 'a', 0xff, 0xfe, 'b'};
	env = envelope_with(&h, bad, sizeof bad, aedesk__client_add_request__descriptor.name, &elen);
	CHECK_INT(send_raw(&h, env, elen, 3000), AEDESK__STATUS__INVALID_ARGUMENT);
	free(env);
	/* An embedded NUL in a string. */
	uint8_t nul[] = {0x0a, 0x03, 'a', 0x00, 'b'};
	env = envelope_with(&h, nul, sizeof nul, aedesk__client_add_request__descriptor.name, &elen);
	CHECK_INT(send_raw(&h, env, elen, 3000), AEDESK__STATUS__INVALID_ARGUMENT);
	free(env);
	/* protobuf-c 1.4.1's undefined shift (CVE-2022-33070): a 5-byte tag with a big last byte. */
	uint8_t cve[] = {0x80, 0x80, 0x80, 0x80, 0x7f, 0x00};
	CHECK_INT(send_raw(&h, cve, sizeof cve, 3000), AEDESK__STATUS__INVALID_ARGUMENT);
	env = envelope_with(&h, cve, sizeof cve, aedesk__client_add_request__descriptor.name, &elen);
	CHECK_INT(send_raw(&h, env, elen, 3000), AEDESK__STATUS__INVALID_ARGUMENT);
	free(env);
	/* 1 MB of empty repeated strings (would unpack to ~25 MB of heap): refused. */
	size_t big = 1000000;
	uint8_t *bomb = malloc(big);
	for (size_t i = 0; bomb && i + 1 < big; i += 2) {
		bomb[i] = 0x1a; /* field 3 (roles, repeated string), empty */
		bomb[i + 1] = 0x00;
	}
	env = bomb ? envelope_with(&h, bomb, big, aedesk__staff_add_request__descriptor.name, &elen) : NULL;
	CHECK(env && send_raw(&h, env, elen, 5000) == AEDESK__STATUS__INVALID_ARGUMENT);
	free(env);
	free(bomb);
	/* Lying length headers at the transport: the service drops the connection unread. */
	CHECK_INT(raw_ipc(&h, 1, 16ull << 30), 0);  /* claims 16 GiB */
	CHECK_INT(raw_ipc(&h, 1, 3u << 20), 0);     /* claims 3 MiB, over the 1 MiB limit */
	CHECK_INT(raw_ipc(&h, 0, 0), 0);            /* a garbage handshake */
	/* Unknown request type and wrong version get clear errors. */
	env = envelope_with(&h, NULL, 0, "aedesk.NoSuchRequest", &elen);
	CHECK_INT(send_raw(&h, env, elen, 3000), AEDESK__STATUS__INVALID_ARGUMENT);
	free(env);
	free(p);

	/* Still serving, and nothing changed. */
	CHECK_INT(client_count(&h), 0);
	char out[4096];
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "add", "--name", "仍在服务", NULL), 0);
	CHECK_INT(client_count(&h), 1);
	CHECK_INT(h_teardown(&h), 0);
}

/* Bad values through the real CLI: clear messages, non-zero exit, nothing stored. */
TEST(test_invalid_client_values_get_a_clear_error_in_the_users_language)
{
	harness h;
	CHECK(h_setup(&h, "badval") == 0);
	CHECK(h_start(&h, "registry") == 0);
	CHECK(h_login_admin(&h) == 0);
	char out[4096], err[4096];
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "add", "--name", "华夏", "--class", "E", NULL), 1);
	CHECK(h_contains(err, "A、B、C 或 D"));
	CHECK(h_contains(err, "INVALID_ARGUMENT"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "--lang", "en", "client", "add", "--name", "华夏", "--class", "E", NULL), 1);
	CHECK(h_contains(err, "class must be A, B, C or D"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "add", "--name", "　 ", NULL), 1);
	CHECK(h_contains(err, "客户名称"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "add", "--name", "华夏", "--ae", "nobody", NULL), 1);
	CHECK(h_contains(err, "nobody"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "frobnicate", NULL), 2);
	/* One id expected: none, two, or an option instead is a usage error; --help helps. */
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "show", NULL), 2);
	CHECK(h_contains(err, "请给出一个客户编号"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contact", "list", "C1", "C2", NULL), 2);
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "contract", "show", "--bogus", NULL), 2);
	CHECK_INT(h_cli(&h, NULL, out, sizeof out, "client", "show", "--help", NULL), 0);
	CHECK(h_contains(out, "aedesk client show"));
	CHECK_INT(h_cli_err(&h, NULL, out, sizeof out, err, sizeof err, "client", "show", "C999999", NULL), 1);
	CHECK(h_contains(err, "NOT_FOUND"));
	CHECK_INT(client_count(&h), 0);
	CHECK_INT(h_teardown(&h), 0);
}

int main(void)
{
	RUN(test_garbage_truncated_and_oversize_frames_are_refused_and_change_nothing);
	RUN(test_invalid_client_values_get_a_clear_error_in_the_users_language);
	return check_summary();
}
