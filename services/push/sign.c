/*
 * NAME
 *	sign.c - signatures, bodies and answers of the chat platforms (see sign.h)
 *
 * DESCRIPTION
 *	WeCom group robot: POST {"msgtype":"text","text":{"content":...}} to the robot's URL
 *	(the key is in the URL; no signature).
 *	DingTalk custom robot: the same body; with a secret ("加签"), the URL gets
 *	&timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret, ts "\n" secret)))>.
 *	Feishu custom bot: {"timestamp":"<s>","sign":"...","msg_type":"text",
 *	"content":{"text":...}}, sign = base64(HMAC-SHA256(key = ts "\n" secret, msg = "")).
 */
#include "sign.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hmac_b64(const char *key, size_t klen, const char *msg, size_t mlen, char *out, size_t len)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, klen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, mlen);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
	if (len < sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_ORIGINAL))
		return -1;
	sodium_bin2base64(out, len, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
	return 0;
}

int push_sign_dingtalk(const char *secret, long long timestamp_ms, char *out, size_t len)
{
	char msg[1024];
	int n = snprintf(msg, sizeof msg, "%lld\n%s", timestamp_ms, secret);
	if (n < 0 || (size_t)n >= sizeof msg)
		return -1;
	int rc = hmac_b64(secret, strlen(secret), msg, (size_t)n, out, len);
	sodium_memzero(msg, sizeof msg);
	return rc;
}

int push_sign_feishu(const char *secret, long long timestamp_s, char *out, size_t len)
{
	char key[1024];
	int n = snprintf(key, sizeof key, "%lld\n%s", timestamp_s, secret);
	if (n < 0 || (size_t)n >= sizeof key)
		return -1;
	int rc = hmac_b64(key, (size_t)n, "", 0, out, len);
	sodium_memzero(key, sizeof key);
	return rc;
}

/* push_json_string writes s as a JSON string literal, quotes included (RFC 8259). */
int push_json_string(const char *s, char *out, size_t len)
{
	size_t o = 0;
#define PUT(c)                                                                                     \
	do {                                                                                       \
		if (o + 1 >= len)                                                                  \
			return -1;                                                                 \
		out[o++] = (c);                                                                    \
	} while (0)
	PUT('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			PUT('\\');
			PUT((char)c);
		} else if (c == '\n') {
			PUT('\\');
			PUT('n');
		} else if (c == '\r') {
			PUT('\\');
			PUT('r');
		} else if (c == '\t') {
			PUT('\\');
			PUT('t');
		} else if (c < 0x20) {
			char u[8];
			snprintf(u, sizeof u, "\\u%04x", c);
			for (const char *q = u; *q; q++)
				PUT(*q);
		} else
			PUT((char)c);
	}
	PUT('"');
#undef PUT
	out[o] = 0;
	return 0;
}

int push_body(const char *kind, const char *text, const char *secret, long long now_ms, char *out,
    size_t len)
{
	size_t tl = strlen(text) * 6 + 3;
	char *t = malloc(tl);
	if (!t || push_json_string(text, t, tl) != 0) {
		free(t);
		return -1;
	}
	int n;
	if (strcmp(kind, "feishu") == 0) {
		if (secret && secret[0]) {
			char sign[64];
			long long ts = now_ms / 1000;
			if (push_sign_feishu(secret, ts, sign, sizeof sign) != 0) {
				free(t);
				return -1;
			}
			n = snprintf(out, len,
			    "{\"timestamp\":\"%lld\",\"sign\":\"%s\",\"msg_type\":\"text\",\"content\":{\"text\":%s}}",
			    ts, sign, t);
		} else
			n = snprintf(out, len, "{\"msg_type\":\"text\",\"content\":{\"text\":%s}}", t);
	} else
		n = snprintf(out, len, "{\"msgtype\":\"text\",\"text\":{\"content\":%s}}", t);
	free(t);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* urlencode: RFC 3986 unreserved characters stay, the rest become %XX. */
static int urlencode(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			if (o + 1 >= len)
				return -1;
			out[o++] = (char)*p;
		} else {
			if (o + 3 >= len)
				return -1;
			snprintf(out + o, 4, "%%%02X", *p);
			o += 3;
		}
	}
	out[o] = 0;
	return 0;
}

int push_url(const char *kind, const char *url, const char *secret, long long now_ms, char *out,
    size_t len)
{
	int n;
	if (strcmp(kind, "dingtalk") == 0 && secret && secret[0]) {
		char sign[64], enc[200];
		if (push_sign_dingtalk(secret, now_ms, sign, sizeof sign) != 0 ||
		    urlencode(sign, enc, sizeof enc) != 0)
			return -1;
		n = snprintf(out, len, "%s%ctimestamp=%lld&sign=%s", url, strchr(url, '?') ? '&' : '?',
		    now_ms, enc);
	} else
		n = snprintf(out, len, "%s", url);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* json_int_after finds "name" : <integer> in a flat scan of body; 0 when found. */
static int json_int_after(const char *body, const char *name, long long *v)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", name);
	const char *p = strstr(body, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p != ':')
		return -1;
	p++;
	char *end;
	*v = strtoll(p, &end, 10);
	return end == p ? -1 : 0;
}

static void json_str_after(const char *body, const char *name, char *out, size_t len)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\"", name);
	const char *p = strstr(body, pat);
	out[0] = 0;
	if (!p || !(p = strchr(p + strlen(pat), '"')))
		return;
	p++;
	size_t o = 0;
	while (*p && *p != '"' && o + 1 < len)
		out[o++] = *p++;
	out[o] = 0;
}

int push_reply_ok(const char *body, char *why, size_t len)
{
	static const char *const codes[] = {"errcode", "code", "StatusCode"};
	static const char *const msgs[] = {"errmsg", "msg", "StatusMessage"};
	why[0] = 0;
	for (size_t i = 0; i < 3; i++) {
		long long v;
		if (json_int_after(body, codes[i], &v) != 0)
			continue;
		if (v == 0)
			return 1;
		char m[128];
		json_str_after(body, msgs[i], m, sizeof m);
		snprintf(why, len, "%s %lld: %s", codes[i], v, m);
		return 0;
	}
	return 1;
}

void push_mask_url(const char *url, char *out, size_t len)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", url);
	char *q = strchr(buf, '?');
	if (q)
		*q++ = 0;
	/* The path's last part: Feishu's hook token is there. */
	char *slash = strrchr(buf, '/'), *host = strstr(buf, "://");
	size_t o = 0;
	int n;
	if (slash && host && slash > host + 2 && strlen(slash + 1) > 8) {
		slash[1 + 4] = 0;
		n = snprintf(out, len, "%s****", buf);
	} else
		n = snprintf(out, len, "%s", buf);
	o = n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
	if (!q)
		return;
	char sep = '?';
	for (char *save, *kv = strtok_r(q, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = 0;
		n = snprintf(out + o, len - o, "%c%s%s", sep, kv, eq ? "=****" : "");
		o = n < 0 ? o : o + (size_t)n >= len ? len - 1 : o + (size_t)n;
		sep = '&';
	}
	sodium_memzero(buf, sizeof buf);
}

void push_mask_secret(const char *secret, char *out, size_t len)
{
	if (!secret[0])
		snprintf(out, len, "%s", "");
	else if (strlen(secret) >= 12)
		snprintf(out, len, "%.3s****", secret);
	else
		snprintf(out, len, "****");
}

int push_kind_valid(const char *kind)
{
	return strcmp(kind, "wecom") == 0 || strcmp(kind, "dingtalk") == 0 || strcmp(kind, "feishu") == 0;
}
