/*
 * NAME
 *	status.h - aedesk-status: shared state of the watcher, the request handler and HTTP
 *
 * DESCRIPTION
 *	One struct watched per service. The SUB callback (an NNG thread) only drops the
 *	latest heartbeat's bytes into it; the tick (the main loop) turns those into the
 *	service's StatusService, raises and clears alerts and writes the history; the
 *	StatusRequest handler and the HTTP callbacks read the StatusService. All of that
 *	under status.mu, held briefly and never across a call to another process.
 */
#ifndef AEDESK_STATUS_H
#define AEDESK_STATUS_H

#include <nng/nng.h>
#include <pthread.h>

#include "log.h"
#include "status.pb-c.h"
#include "svc.h"
#include "wire.h"

#define STATUS_MAX_WATCHED 32

enum status_alert { ALERT_SILENT, ALERT_LAG, ALERT_STORE, ALERT_STALLED, ALERT_KINDS };

struct watched {
	char name[32];
	/* written by the SUB callback */
	uint8_t *hb;          /* packed Health of the latest heartbeat, NULL when consumed */
	size_t hblen;
	int64_t hb_ms;        /* when it arrived */
	/* written by the tick */
	Aedesk__StatusService *st;   /* the current state (owned; wire_free) */
	int64_t sampled_ms;          /* last history sample */
};

struct status {
	pthread_mutex_t mu;
	struct watched w[STATUS_MAX_WATCHED];
	int n;
	int64_t heartbeat_ms, started_ms;
	int silent_periods;          /* status.silent_periods (3) */
	uint64_t lag_events;         /* status.lag_events (1000) */
	int64_t lag_ms;              /* status.lag_ms (60000) */
	int store_pct;               /* status.store_alert_pct (80) */
	int64_t stall_ms;            /* status.stall_ms (60000) */
	int64_t sample_ms;           /* status.sample_ms (60000) */
	int64_t keep_ms;             /* status.history_days (90) in ms */
	MDB_dbi state, history;
	nng_socket sub;
	nng_aio *aio;
	int sub_open;
	char http_url[128];
};

extern struct status status;

/* watch.c */
int status_open(svc *s, svc_req *r);
void status_close(svc *s);
int status_tick(svc *s, svc_req *r);
int status_get(svc_req *r, const ProtobufCMessage *in);
const char *status_alert_name(int kind);

/* http.c */
int status_http_start(const char *listen, char *url, size_t len);
void status_http_stop(void);
/* status_metrics writes the Prometheus text of every service (caller holds status.mu). */
void status_metrics(FILE *f, int64_t now);
/* status_all_up: 1 when every watched service is up (caller holds status.mu). */
int status_all_up(void);

#endif
