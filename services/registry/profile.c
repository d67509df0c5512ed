/*
 * NAME
 *	profile.c - the client dossier (客户基本资料) and its completeness (R-PROFILE-1)
 *
 * DESCRIPTION
 *	A client's profile is the agency's standard dossier: company overview, key people,
 *	product, production and sales, market, sales policy / channels / promotion, past
 *	advertising, future advertising, services asked of agencies. Each section is a
 *	message of ClientProfile; checkbox questions are enums (repeated where the form
 *	allows several ticks), the rest text or numbers.
 *
 *	A write replaces the whole profile (the CLI merges --set into what it read), all
 *	or nothing: every field is checked and every invalid one is named in the one
 *	INVALID_ARGUMENT reply ("section.field: rule; ..."). The write names the version
 *	it read; if someone changed the profile in between it is refused rather
 *	than silently overwriting their change (FAILED_PRECONDITION).
 *
 *	R-PROFILE-1: completeness is the share of the dossier's fields that are filled
 *	(text non-empty, number non-zero, enum chosen, repeated field with an element),
 *	over all fields of all sections, in whole percent. It is stored with the profile
 *	and mirrored on the client (profile_pct) with the USCC and industry, so lists and
 *	search need no second read.
 *
 *	Messages in: ProfileGetRequest, ProfileSetRequest (both ProfileReply).
 *	Events out: ProfileUpdated {the whole profile}; ClientUpdated {change "profile"}
 *	when the client's mirrored fields (uscc, industry, profile_pct) change.
 *	Tables: profiles (client id -> ClientProfile), client_uscc (USCC -> client id).
 *
 * SECURITY
 *	Whoever sees the client reads its profile; AE, AM, AD and admin who see it write it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"
#include "wire.h"

#define PROFILE_TEXT_MAX 4000   /* bytes of one text field */
#define PROFILE_SHORT_MAX 200   /* industry and the like */
#define PROFILE_REPEAT_MAX 64   /* elements of one repeated field */
#define PROFILE_AMOUNT_MAX 999999999999999LL /* 9,999,999,999,999.99 yuan, as money.h */

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

/* The sections are the message fields of ClientProfile (overview .. services). */
static int is_section(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_MESSAGE && f->label != PROTOBUF_C_LABEL_REPEATED;
}

#define FIELD_PTR(m, f) ((void *)((char *)(m) + (f)->offset))
#define FIELD_COUNT(m, f) (*(size_t *)((char *)(m) + (f)->quantifier_offset))

/* field_filled: R-PROFILE-1's test of one field of a section. */
static int field_filled(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	if (!m)
		return 0;
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return FIELD_COUNT(m, f) > 0;
	const void *p = FIELD_PTR(m, f);
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		return *(char *const *)p && (*(char *const *)p)[0];
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_UINT64:
		return *(const int64_t *)p != 0;
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_ENUM:
		return *(const int32_t *)p != 0;
	case PROTOBUF_C_TYPE_DOUBLE:
		return *(const double *)p != 0;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)p != 0;
	default:
		return 0;
	}
}

/* registry_profile_completeness: R-PROFILE-1, whole percent of the fields filled. */
static uint32_t profile_completeness(const Aedesk__ClientProfile *p)
{
	const ProtobufCMessageDescriptor *d = &aedesk__client_profile__descriptor;
	unsigned total = 0, filled = 0;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *sf = &d->fields[i];
		if (!is_section(sf))
			continue;
		const ProtobufCMessageDescriptor *sd = sf->descriptor;
		const ProtobufCMessage *sec = *(ProtobufCMessage *const *)FIELD_PTR(p, sf);
		for (unsigned j = 0; j < sd->n_fields; j++) {
			total++;
			filled += (unsigned)field_filled(sec, &sd->fields[j]);
		}
	}
	return total ? (uint32_t)(filled * 100u / total) : 0;
}

/* ---- checking every field, collecting every failure ---- */

struct problems {
	char buf[900];
	size_t used;
	int n, shown;
};

static void problem(struct problems *pr, const char *sec, const char *field, const char *rule)
{
	pr->n++;
	int w = snprintf(pr->buf + pr->used, sizeof pr->buf - pr->used, "%s%s.%s: %s", pr->used ? "; " : "", sec,
	    field, rule);
	if (w > 0 && pr->used + (size_t)w < sizeof pr->buf - 40) {
		pr->used += (size_t)w;
		pr->shown++;
	} else
		pr->buf[pr->used] = 0; /* keep whole entries only; the count says how many more */
}

static int enum_known(const ProtobufCFieldDescriptor *f, int v)
{
	return protobuf_c_enum_descriptor_get_value(f->descriptor, v) != NULL;
}

/* check_scalar checks one value of a section (or of an element of a repeated message). */
static void check_value(svc_req *r, struct problems *pr, const char *sec, const char *name,
    const ProtobufCFieldDescriptor *f, const void *p)
{
	int e = en(r);
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;
		size_t len = strlen(s);
		if (!len)
			return;
		if (strcmp(name, "uscc") == 0) {
			if (validate_uscc(s, NULL) != 0)
				problem(pr, sec, name,
				    e ? "18 characters of 0-9 and A-Y without I O Z S V, with a correct check character (GB 32100)"
				      : "须为 18 位（数字与除 I O Z S V 外的大写字母），校验位正确（GB 32100）");
		} else if (strcmp(name, "founded") == 0 || strcmp(name, "launch_date") == 0) {
			if (validate_date(s, NULL, NULL, NULL, NULL) != 0)
				problem(pr, sec, name, e ? "a real date written YYYY-MM-DD" : "须为真实日期，格式 YYYY-MM-DD");
		} else if (strcmp(name, "industry") == 0) {
			if (len > PROFILE_SHORT_MAX || validate_name(s, PROFILE_SHORT_MAX, NULL) != 0)
				problem(pr, sec, name, e ? "one line of text, at most 200 bytes" : "须为一行文字，不超过 200 字节");
		} else if (len > PROFILE_TEXT_MAX)
			problem(pr, sec, name, e ? "at most 4000 bytes" : "不超过 4000 字节");
		return;
	}
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64: {
		int64_t v = *(const int64_t *)p;
		if (v < 0 || v > PROFILE_AMOUNT_MAX)
			problem(pr, sec, name,
			    e ? "a figure from 0 to 999,999,999,999,999" : "须为 0 到 999,999,999,999,999 之间的数");
		return;
	}
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32: {
		int32_t v = *(const int32_t *)p;
		if (strcmp(name, "fiscal_year_end_month") == 0) {
			if (v < 0 || v > 12)
				problem(pr, sec, name, e ? "a month, 1 to 12" : "须为月份 1 到 12");
		} else if (v < 0)
			problem(pr, sec, name, e ? "not negative" : "不能为负数");
		return;
	}
	case PROTOBUF_C_TYPE_DOUBLE: {
		double v = *(const double *)p;
		if (!isfinite(v))
			problem(pr, sec, name, e ? "a number" : "须为数字");
		else if (strcmp(name, "market_share_pct") == 0 && (v < 0 || v > 100))
			problem(pr, sec, name, e ? "a percentage from 0 to 100" : "须为 0 到 100 的百分数");
		else if ((v < -100 || v > 100000))
			problem(pr, sec, name, e ? "a percentage from -100 to 100000" : "须为 -100 到 100000 的百分数");
		return;
	}
	case PROTOBUF_C_TYPE_ENUM:
		if (!enum_known(f, *(const int *)p))
			problem(pr, sec, name, e ? "not one of the choices of the form" : "不是表上的选项之一");
		return;
	default:
		return;
	}
}

/*
 * check_section checks every field of one section. Repeated enums: each a real
 * choice, none twice. Repeated messages (aspects, media, services): each element's
 * values, its first field (the enum that says which) chosen and not repeated.
 */
static void check_section(svc_req *r, struct problems *pr, const char *sec, const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	int e = en(r);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			check_value(r, pr, sec, f->name, f, FIELD_PTR(m, f));
			continue;
		}
		size_t n = FIELD_COUNT(m, f);
		if (n > PROFILE_REPEAT_MAX) {
			problem(pr, sec, f->name, e ? "at most 64 entries" : "最多 64 项");
			continue;
		}
		if (f->type == PROTOBUF_C_TYPE_ENUM) {
			const int *v = *(int *const *)FIELD_PTR(m, f);
			for (size_t k = 0; k < n; k++) {
				int dup = 0;
				for (size_t j = 0; j < k; j++)
					dup |= v[j] == v[k];
				if (!v[k] || !enum_known(f, v[k]) || dup) {
					problem(pr, sec, f->name,
					    dup ? (e ? "a choice ticked twice" : "同一选项重复")
						: (e ? "not one of the choices of the form" : "不是表上的选项之一"));
					break;
				}
			}
		} else if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
			ProtobufCMessage *const *el = *(ProtobufCMessage *const **)FIELD_PTR(m, f);
			const ProtobufCMessageDescriptor *ed = f->descriptor;
			const ProtobufCFieldDescriptor *kf = &ed->fields[0];
			size_t before = (size_t)pr->n;
			for (size_t k = 0; k < n && (size_t)pr->n == before; k++) {
				int key = *(const int *)FIELD_PTR(el[k], kf), dup = 0;
				for (size_t j = 0; j < k; j++)
					dup |= *(const int *)FIELD_PTR(el[j], kf) == key;
				if (!key || dup) {
					problem(pr, sec, f->name,
					    dup ? (e ? "an entry given twice" : "同一项重复")
						: (e ? "each entry must name its choice" : "每项都须选定类别"));
					break;
				}
				for (unsigned j = 0; j < ed->n_fields; j++)
					check_value(r, pr, sec, f->name, &ed->fields[j], FIELD_PTR(el[k], &ed->fields[j]));
			}
		}
	}
}

/* ---- storing ---- */

/*
 * sections_fill points every missing section of p at an empty one, so a stored or
 * replied profile always lists every field. The empties are freed by sections_free.
 */
static void sections_fill(Aedesk__ClientProfile *p, ProtobufCMessage **made)
{
	const ProtobufCMessageDescriptor *d = &aedesk__client_profile__descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *sf = &d->fields[i];
		made[i] = NULL;
		ProtobufCMessage **slot = FIELD_PTR(p, sf);
		if (!is_section(sf) || *slot)
			continue;
		const ProtobufCMessageDescriptor *sd = sf->descriptor;
		made[i] = calloc(1, sd->sizeof_message);
		if (made[i]) {
			protobuf_c_message_init(sd, made[i]);
			*slot = made[i];
		}
	}
}

static void sections_free(Aedesk__ClientProfile *p, ProtobufCMessage **made)
{
	const ProtobufCMessageDescriptor *d = &aedesk__client_profile__descriptor;
	for (unsigned i = 0; i < d->n_fields; i++)
		if (made[i]) {
			*(ProtobufCMessage **)FIELD_PTR(p, &d->fields[i]) = NULL;
			free(made[i]);
		}
}

#define NSECTION_SLOTS 16

static int profile_load(MDB_txn *txn, const char *id, Aedesk__ClientProfile **out)
{
	return store_get_msg(txn, registry.profiles, id, strlen(id), &aedesk__client_profile__descriptor,
	    (ProtobufCMessage **)out);
}

int registry_profile_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProfileGetRequest *q = (const Aedesk__ProfileGetRequest *)in;
	Aedesk__Client *c;
	if (registry_client_load(r, q->client_id, &c))
		return -1;
	wire_free(&c->base);
	Aedesk__ClientProfile *p = NULL, empty = AEDESK__CLIENT_PROFILE__INIT;
	int rc = profile_load(r->txn, q->client_id, &p);
	if (rc && rc != MDB_NOTFOUND)
		return svc_db_error(r, rc, "profiles");
	Aedesk__ClientProfile *use = p ? p : &empty;
	if (!p)
		empty.client_id = (char *)q->client_id;
	ProtobufCMessage *made[NSECTION_SLOTS];
	sections_fill(use, made);
	Aedesk__ProfileReply rep = AEDESK__PROFILE_REPLY__INIT;
	rep.profile = use;
	rc = svc_reply(r, &rep.base);
	sections_free(use, made);
	wire_free(p ? &p->base : NULL);
	return rc;
}

/* uscc_index moves the client's USCC index entry from old to new. */
static int uscc_index(svc_req *r, const char *id, const char *old, const char *new)
{
	int rc = 0;
	if (strcmp(old, new) == 0)
		return 0;
	if (old[0]) {
		MDB_val k = {strlen(old), (void *)old};
		rc = mdb_del(r->txn, registry.client_uscc, &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc == 0 && new[0]) {
		MDB_val k = {strlen(new), (void *)new}, v = {strlen(id), (void *)id};
		rc = mdb_put(r->txn, registry.client_uscc, &k, &v, MDB_NOOVERWRITE);
	}
	return rc ? svc_db_error(r, rc, "client_uscc") : 0;
}

/* store_profile: check, store, index, mirror and emit; the reply is the caller's. */
static int store_profile(svc_req *r, Aedesk__Client *c, Aedesk__ClientProfile *p, uint32_t version)
{
	int e = en(r);
	ProtobufCMessage *made[NSECTION_SLOTS];
	sections_fill(p, made);
	struct problems pr = {.used = 0};
	const ProtobufCMessageDescriptor *d = &aedesk__client_profile__descriptor;
	for (unsigned i = 0; i < d->n_fields; i++)
		if (is_section(&d->fields[i]))
			check_section(r, &pr, d->fields[i].name, *(ProtobufCMessage **)FIELD_PTR(p, &d->fields[i]));
	const char *uscc = p->overview->uscc, *industry = p->overview->industry;
	MDB_val uk = {strlen(uscc), (void *)uscc}, uv;
	char other[32] = "";
	if (uscc[0] && mdb_get(r->txn, registry.client_uscc, &uk, &uv) == 0 &&
	    !(uv.mv_size == strlen(c->id) && memcmp(uv.mv_data, c->id, uv.mv_size) == 0)) {
		snprintf(other, sizeof other, "%.*s", (int)uv.mv_size, (const char *)uv.mv_data);
		char rule[96];
		snprintf(rule, sizeof rule, e ? "already the code of client %s" : "已是客户 %s 的代码", other);
		problem(&pr, "overview", "uscc", rule);
	}
	int rc = 0;
	if (pr.n) {
		rc = svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "客户资料有 %d 处无效，未作任何修改：%s%s",
		    "the profile has %d invalid fields; nothing was changed: %s%s", pr.n, pr.buf,
		    pr.shown < pr.n ? (e ? "; ..." : "；……") : "");
		sections_free(p, made);
		return rc;
	}
	char *old_by = p->updated_by, *old_id = p->client_id;
	p->client_id = c->id;
	p->version = version + 1;
	p->updated_ms = r->now_ms;
	p->updated_by = (char *)r->caller->id;
	p->completeness_pct = profile_completeness(p);
	if ((rc = store_put_msg(r->txn, registry.profiles, c->id, strlen(c->id), &p->base, 0)) != 0)
		rc = svc_db_error(r, rc, "profiles");
	else
		rc = uscc_index(r, c->id, c->uscc, uscc);
	if (rc == 0 && (strcmp(c->uscc, uscc) || strcmp(c->industry, industry) || c->profile_pct != p->completeness_pct)) {
		char *ou = c->uscc, *oi = c->industry;
		c->uscc = (char *)uscc;
		c->industry = (char *)industry;
		c->profile_pct = p->completeness_pct;
		rc = registry_client_put(r, c, "profile", "");
		c->uscc = ou;
		c->industry = oi;
	}
	if (rc == 0) {
		Aedesk__ProfileUpdated ev = AEDESK__PROFILE_UPDATED__INIT;
		ev.profile = p;
		rc = svc_emit(r, &ev.base);
	}
	if (rc == 0) {
		Aedesk__ProfileReply rep = AEDESK__PROFILE_REPLY__INIT;
		rep.profile = p;
		rc = svc_reply(r, &rep.base);
	}
	p->updated_by = old_by;
	p->client_id = old_id;
	sections_free(p, made);
	return rc;
}

int registry_profile_set(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ProfileSetRequest *q = (const Aedesk__ProfileSetRequest *)in;
	if (perm_check(r, PERM_CLIENT_WRITE, NULL))
		return -1;
	if (!q->profile || !q->profile->client_id[0])
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_REQUIRED,
		    en(r) ? "profile.client_id" : "客户编号（profile.client_id）");
	Aedesk__Client *c;
	if (registry_client_load(r, q->profile->client_id, &c))
		return -1;
	if (perm_check_client(r, PERM_CLIENT_WRITE, c, NULL)) {
		wire_free(&c->base);
		return -1;
	}
	Aedesk__ClientProfile *cur = NULL;
	int rc = profile_load(r->txn, c->id, &cur);
	if (rc && rc != MDB_NOTFOUND) {
		wire_free(&c->base);
		return svc_db_error(r, rc, "profiles");
	}
	uint32_t have = cur ? cur->version : 0;
	wire_free(cur ? &cur->base : NULL);
	if (q->version != have)
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION,
		    "客户 %s 的资料在您读取后已被修改（您读的是第 %u 版，现在是第 %u 版）：请重新读取后再改",
		    "the profile of client %s changed since you read it (you read version %u, it is now %u): read it again and redo the change",
		    c->id, q->version, have);
	else
		rc = store_profile(r, c, (Aedesk__ClientProfile *)q->profile, have);
	wire_free(&c->base);
	return rc;
}
