/*
 * NAME
 *	http.c - aedesk-gateway's HTTP server: the console's files and the /api queue
 *
 * DESCRIPTION
 *	NNG's HTTP server (supplemental/http) on gateway.http (default 127.0.0.1:8080;
 *	port 0 takes a free port, written to <run_dir>/gateway.url for tests and scripts).
 *
 *	GET /...    the console's static files from gateway.console_dir ("/" is
 *	            index.html); only plain names ([A-Za-z0-9._-] segments, no dot first).
 *	/api/...    queued for a worker thread (gateway.workers, default 8), since a call
 *	            to a service may wait up to gateway.timeout_ms and NNG's callbacks
 *	            must not block; see api.c and stream.c.
 *
 *	Every response carries a strict Content-Security-Policy (no inline script or
 *	style, nothing from another origin, no framing), nosniff, no referrer.
 *
 * SECURITY
 *	Listens on loopback by default: put a TLS proxy in front (and set
 *	gateway.secure_cookie = on) to serve it beyond the machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gateway.h"
#include "httpd.h"
#include "log.h"

#define CSP                                                                                        \
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "              \
	"form-action 'self'; frame-ancestors 'none'"

static nng_http_server *server;

struct job {
	nng_aio *aio;
	struct job *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *head, *tail;
	pthread_t *threads;
	int n;
	int stop;
} q = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

int gw_security_headers(nng_http_res *res)
{
	int rv;
	if ((rv = nng_http_res_set_header(res, "Content-Security-Policy", CSP)) != 0 ||
	    (rv = nng_http_res_set_header(res, "X-Content-Type-Options", "nosniff")) != 0 ||
	    (rv = nng_http_res_set_header(res, "X-Frame-Options", "DENY")) != 0 ||
	    (rv = nng_http_res_set_header(res, "Referrer-Policy", "no-referrer")) != 0 ||
	    (rv = nng_http_res_set_header(res, "Cross-Origin-Opener-Policy", "same-origin")) != 0)
		return rv;
	return 0;
}

void gw_reply(nng_aio *aio, uint16_t code, const char *ctype, const char *body, size_t len,
    const char *set_cookie)
{
	nng_http_res *res = NULL;
	int rv = nng_http_res_alloc(&res);
	if (rv == 0 && (rv = nng_http_res_set_status(res, code)) == 0 &&
	    (rv = nng_http_res_set_header(res, "Content-Type", ctype)) == 0 &&
	    (rv = nng_http_res_set_header(res, "Cache-Control", "no-store")) == 0 &&
	    (rv = gw_security_headers(res)) == 0 &&
	    (!set_cookie || (rv = nng_http_res_set_header(res, "Set-Cookie", set_cookie)) == 0) &&
	    (len == 0 || (rv = nng_http_res_copy_data(res, body, len)) == 0)) {
		nng_aio_set_output(aio, 0, res);
		nng_aio_finish(aio, 0);
		return;
	}
	if (res)
		nng_http_res_free(res);
	nng_aio_finish(aio, rv);
}

int gw_cookie(nng_http_req *req, const char *name, char *buf, size_t len)
{
	const char *h = nng_http_req_get_header(req, "Cookie");
	size_t nl = strlen(name);
	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		if (strncmp(h, name, nl) == 0 && h[nl] == '=') {
			const char *v = h + nl + 1, *e = strchr(v, ';');
			size_t n = e ? (size_t)(e - v) : strlen(v);
			if (n >= len)
				return -1;
			memcpy(buf, v, n);
			buf[n] = 0;
			return 0;
		}
		h = strchr(h, ';');
	}
	return -1;
}

/* gw_lang: the console sends X-Aedesk-Lang; otherwise Accept-Language; Chinese first. */
const char *gw_lang(nng_http_req *req)
{
	const char *l = nng_http_req_get_header(req, "X-Aedesk-Lang");
	if (!l)
		l = nng_http_req_get_header(req, "Accept-Language");
	return l && strncmp(l, "en", 2) == 0 ? "en" : "zh";
}

/* ---- static files ---- */

static const char *content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} t[] = {
	    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
	    {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
	    {".ico", "image/x-icon"}, {".webmanifest", "application/manifest+json"},
	    {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(dot, t[i].ext) == 0)
			return t[i].type;
	return "application/octet-stream";
}

/* plain_path: only [A-Za-z0-9._-] segments that do not start with a dot. */
static int plain_path(const char *p)
{
	int seg_start = 1;
	for (; *p; p++) {
		char c = *p;
		if (c == '/') {
			if (seg_start)
				return 0; /* "//" */
			seg_start = 1;
			continue;
		}
		if (seg_start && c == '.')
			return 0;
		seg_start = 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static void on_static(nng_aio *aio)
{
	nng_http_req *req = nng_aio_get_input(aio, 0);
	char path[256], file[1024];
	const char *uri = nng_http_req_get_uri(req);
	size_t n = strcspn(uri, "?#");
	if (n >= sizeof path) {
		gw_reply(aio, 404, "text/plain; charset=utf-8", "not found\n", 10, NULL);
		return;
	}
	memcpy(path, uri, n);
	path[n] = 0;
	const char *rel = path[0] == '/' ? path + 1 : path;
	if (!rel[0] || rel[strlen(rel) - 1] == '/')
		rel = "index.html";
	if (!plain_path(rel)) {
		gw_reply(aio, 404, "text/plain; charset=utf-8", "not found\n", 10, NULL);
		return;
	}
	snprintf(file, sizeof file, "%s/%s", gw.console_dir, rel);
	FILE *f = fopen(file, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > (16 << 20)) {
		if (f)
			fclose(f);
		gw_reply(aio, 404, "text/plain; charset=utf-8", "not found\n", 10, NULL);
		return;
	}
	char *body = malloc((size_t)sb.st_size + 1);
	size_t got = body ? fread(body, 1, (size_t)sb.st_size, f) : 0;
	fclose(f);
	if (!body || got != (size_t)sb.st_size) {
		free(body);
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	nng_http_res *res = NULL;
	int rv = nng_http_res_alloc(&res);
	if (rv == 0 && (rv = nng_http_res_set_header(res, "Content-Type", content_type(rel))) == 0 &&
	    (rv = nng_http_res_set_header(res, "Cache-Control", "no-cache")) == 0 &&
	    (rv = gw_security_headers(res)) == 0 && (got == 0 || (rv = nng_http_res_copy_data(res, body, got)) == 0)) {
		free(body);
		nng_aio_set_output(aio, 0, res);
		nng_aio_finish(aio, 0);
		return;
	}
	free(body);
	if (res)
		nng_http_res_free(res);
	nng_aio_finish(aio, rv);
}

/* ---- /api: a queue and its workers ---- */

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&q.mu);
		while (!q.head && !q.stop)
			pthread_cond_wait(&q.cv, &q.mu);
		struct job *j = q.head;
		if (j) {
			q.head = j->next;
			if (!q.head)
				q.tail = NULL;
		}
		pthread_mutex_unlock(&q.mu);
		if (!j) {
			gw_api_close(); /* stopping, and the queue is empty */
			return NULL;
		}
		nng_aio *aio = j->aio;
		free(j);
		if (q.stop) {
			nng_aio_finish(aio, NNG_ECLOSED);
			continue;
		}
		gw_api(aio, nng_aio_get_input(aio, 0));
	}
}

static void on_api(nng_aio *aio)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j) {
		nng_aio_finish(aio, NNG_ENOMEM);
		return;
	}
	j->aio = aio;
	pthread_mutex_lock(&q.mu);
	if (q.stop) {
		pthread_mutex_unlock(&q.mu);
		free(j);
		nng_aio_finish(aio, NNG_ECLOSED);
		return;
	}
	if (q.tail)
		q.tail->next = j;
	else
		q.head = j;
	q.tail = j;
	pthread_cond_signal(&q.cv);
	pthread_mutex_unlock(&q.mu);
}

static int add_handler(const char *path, void (*cb)(nng_aio *), const char *method, int tree, size_t body)
{
	nng_http_handler *h;
	int rv = nng_http_handler_alloc(&h, path, cb);
	if (rv)
		return rv;
	if ((rv = nng_http_handler_set_method(h, method)) != 0 ||
	    (tree && (rv = nng_http_handler_set_tree(h)) != 0) ||
	    (rv = nng_http_handler_collect_body(h, body > 0, body)) != 0 ||
	    (rv = nng_http_server_add_handler(server, h)) != 0) {
		nng_http_handler_free(h);
		return rv;
	}
	return 0;
}

int gw_http_start(const char *listen)
{
	char u[300];
	nng_url *pu = NULL;
	snprintf(u, sizeof u, "http://%s", listen);
	int rv = nng_url_parse(&pu, u);
	if (rv == 0 && (rv = nng_http_server_hold(&server, pu)) == 0) {
		if ((rv = add_handler("/api", on_api, NULL, 1, 1 << 20)) == 0 &&
		    (rv = add_handler("/", on_static, "GET", 1, 0)) == 0)
			rv = nng_http_server_start(server);
		if (rv != 0) {
			nng_http_server_release(server);
			server = NULL;
		}
	}
	if (pu)
		nng_url_free(pu);
	if (rv != 0) {
		log_error("HTTP on %s: %s", listen, nng_strerror(rv));
		return rv;
	}
	httpd_url(server, gw.url, sizeof gw.url);

	int nworkers = (int)conf_int_or_die(gw.conf, "gateway.workers", 8, 1, 256);
	q.threads = calloc((size_t)nworkers, sizeof *q.threads);
	q.stop = 0;
	for (int i = 0; q.threads && i < nworkers; i++)
		if (pthread_create(&q.threads[i], NULL, worker, NULL) == 0)
			q.n++;
	log_info("the staff console on %s (files from %s, %d workers)", gw.url, gw.console_dir, q.n);
	return 0;
}

/*
 * gw_http_stop first lets the workers finish what they hold and answers what is still
 * queued with a closed connection, so that no handler's aio is left pending when the
 * server is stopped (NNG waits for those).
 */
void gw_http_stop(void)
{
	pthread_mutex_lock(&q.mu);
	q.stop = 1;
	pthread_cond_broadcast(&q.cv);
	pthread_mutex_unlock(&q.mu);
	/* The skeleton's stop watchdog allows 5 s in all: a worker still waiting on a
	 * service after 2 s is left to the process's exit. */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	int left = 0;
	for (int i = 0; i < q.n; i++)
		if (pthread_timedjoin_np(q.threads[i], NULL, &until) != 0) {
			pthread_detach(q.threads[i]);
			left++;
		}
	if (left) {
		log_warn("%d request(s) still waiting on a service at stop", left);
		q.n = 0;
		return; /* their aio is the server's: leave it running rather than wait */
	}
	free(q.threads);
	q.threads = NULL;
	q.n = 0;
	if (server) {
		nng_http_server_stop(server);
		nng_http_server_release(server);
		server = NULL;
	}
}
