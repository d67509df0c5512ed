/*
 * NAME
 *	sign.h - the chat platforms' signatures and message bodies (pure functions)
 *
 * DESCRIPTION
 *	push_sign_dingtalk: base64(HMAC-SHA256(key = secret, msg = timestamp_ms "\n" secret)),
 *	which the URL carries url-encoded as &timestamp=..&sign=.. (DingTalk custom robot).
 *	push_sign_feishu: base64(HMAC-SHA256(key = timestamp_s "\n" secret, msg = "")), in the
 *	JSON body beside "timestamp" (Feishu custom bot).
 *	push_body: the JSON body for a kind ("wecom", "dingtalk", "feishu") and a text.
 *	push_url: the URL to post to (DingTalk: with timestamp and sign appended).
 *	push_reply_ok: whether a 2xx answer's body says the platform took the message
 *	(errcode 0, code 0 or StatusCode 0; a body with none of them counts as taken).
 *	Each returns 0, or -1 when the output does not fit.
 */
#ifndef AEDESK_PUSH_SIGN_H
#define AEDESK_PUSH_SIGN_H

#include <stddef.h>

int push_sign_dingtalk(const char *secret, long long timestamp_ms, char *out, size_t len);
int push_sign_feishu(const char *secret, long long timestamp_s, char *out, size_t len);
int push_json_string(const char *s, char *out, size_t len);
int push_body(const char *kind, const char *text, const char *secret, long long now_ms, char *out,
    size_t len);
int push_url(const char *kind, const char *url, const char *secret, long long now_ms, char *out,
    size_t len);
/* push_reply_ok: 1 taken, 0 refused (why: "errcode 93000: ..."). */
int push_reply_ok(const char *body, char *why, size_t len);
/* push_mask_url: scheme://host/path with every query value and the path's last part masked. */
void push_mask_url(const char *url, char *out, size_t len);
void push_mask_secret(const char *secret, char *out, size_t len);
int push_kind_valid(const char *kind);

#endif
