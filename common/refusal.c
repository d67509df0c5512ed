/*
 * NAME
 *	refusal.c - refused requests join the audit trail (AccessRefused events)
 *
 * DESCRIPTION
 *	The skeleton calls svc_record_refusal after a request was answered
 *	UNAUTHENTICATED or PERMISSION_DENIED and the handler's own changes were undone.
 *	It appends one AccessRefused event to the outbox in the batch's transaction
 *	(committed with the batch, published after it), so aedesk-audit lists refused
 *	attempts with the changes.
 *
 * SECURITY
 *	Never the request's payload: the request type, the caller (or, for a failed login,
 *	the account named, only when the handler vouched that it exists), the status and a
 *	fixed reason word. A token bucket (REFUSAL_RATE a second, bursts of REFUSAL_BURST)
 *	keeps a flood of refused requests from filling the disk; what it drops is counted
 *	and the count rides on the next recorded refusal. Main thread only.
 */
#include <string.h>

#include "security.pb-c.h"
#include "svc.h"
#include "wire.h"

#define REFUSAL_RATE 20   /* per second, sustained */
#define REFUSAL_BURST 200

static double bucket = REFUSAL_BURST;
static int64_t bucket_ms;
static uint32_t suppressed;

int svc_record_refusal(svc_req *r, const char *action, const char *staff_id, int status, const char *reason)
{
	int64_t now = wire_now_ms();
	if (bucket_ms)
		bucket += (double)(now - bucket_ms) * REFUSAL_RATE / 1000.0;
	if (bucket > REFUSAL_BURST)
		bucket = REFUSAL_BURST;
	bucket_ms = now;
	if (bucket < 1) {
		suppressed++;
		return 0;
	}
	bucket -= 1;
	Aedesk__AccessRefused ev = AEDESK__ACCESS_REFUSED__INIT;
	ev.action = (char *)action;
	ev.staff_id = (char *)(staff_id ? staff_id : "");
	ev.status = status;
	ev.reason = (char *)reason;
	ev.suppressed = suppressed;
	int rc = svc_emit(r, &ev.base);
	if (rc == 0)
		suppressed = 0;
	return rc;
}
