/*
 * NAME
 *	contacts.c - a client's contact people, and R-PRIVACY-1
 *
 * DESCRIPTION
 *	A contact has a name and title (visible to whoever sees the client) and personal
 *	fields: phones, birthday (solar, or lunar month and day with a leap month
 *	allowed), preferences and notes. Contact ids are "K" and a six-digit number.
 *
 *	Messages in: ContactAddRequest (ContactReply), ContactGetRequest (ContactReply, the
 *	personal read), ContactListRequest (ContactListReply), ContactEraseRequest
 *	(ContactReply), ContactExportRequest (ContactExportReply). Events out: ContactAdded
 *	{contact}, ContactErased {id, client_id}, ContactExported {id, client_id}.
 *	Tables: contacts, client_contacts (see registry.h).
 *
 * SECURITY
 *	R-PRIVACY-1: the personal fields are readable only by staff who serve the client
 *	(its AE and service team) and their managers (contact.personal.read in the
 *	permission table, common/perm.c). Others who
 *	see the client get its contacts without personal fields (personal_hidden), and a
 *	ContactGetRequest from them is PERMISSION_DENIED. Erasure on request clears the
 *	name and every personal field but keeps the id, so visits that name the contact
 *	stay readable. Nothing here logs: personal data must never reach a log line, and
 *	no error message echoes a personal field's value (a bad phone is "phone 2", not
 *	the digits): replies end up in terminals, scripts' logs and bug reports.
 *	ContactAdded carries the personal fields (the scheduler keeps birthdays for
 *	greetings); consumers drop them on ContactErased.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lunar.h"
#include "registry.h"
#include "validate.h"
#include "wire.h"

#define CONTACT_NAME_MAX 100
#define CONTACT_TEXT_MAX 2000
#define CONTACT_PHONES_MAX 5

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

/* public_copy: the contact without its personal fields (a shallow copy). */
static Aedesk__Contact public_copy(const Aedesk__Contact *c)
{
	Aedesk__Contact p = *c;
	p.n_phones = 0;
	p.phones = NULL;
	p.birth_year = p.birth_month = p.birth_day = 0;
	p.birth_lunar = p.birth_leap = 0;
	p.preferences = "";
	p.notes = "";
	p.personal_hidden = !c->erased;
	return p;
}

/*
 * parse_birthday reads "YYYY-MM-DD" (solar or lunar) or, for a lunar birthday,
 * "MM-DD"; a lunar date with a year must exist in that lunar year (a leap month
 * only where the year has it). 0, or svc_failf with the rule.
 */
static int parse_birthday(svc_req *r, const char *s, int lunar, int leap, Aedesk__Contact *c)
{
	if (leap && !lunar)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "生日：--leap（闰月）只能与 --lunar 一起使用",
		    "birthday: --leap (leap month) goes only with --lunar");
	int y = 0, m = 0, d = 0, n = -1;
	if (!lunar) {
		const char *why = NULL;
		if (validate_date(s, &y, &m, &d, &why) != 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "生日无效（%s）：须为真实的公历日期 YYYY-MM-DD", "the birthday is not valid (%s): it must be a real date YYYY-MM-DD",
			    why ? why : "date");
	} else if (!((sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && (size_t)n == strlen(s)) ||
		       (y = 0, sscanf(s, "%2d-%2d%n", &m, &d, &n) == 2 && n == 5 && (size_t)n == strlen(s))) ||
	    m < 1 || m > 12 || d < 1 || d > 30) {
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "农历生日无效：须为 YYYY-MM-DD 或 MM-DD，月 1-12，日 1-30", "the lunar birthday is not valid: YYYY-MM-DD or MM-DD, month 1-12, day 1-30");
	} else if (y) {
		lunar_date ld = {y, m, d, leap};
		int sy, sm, sd;
		if (lunar_to_solar(&ld, &sy, &sm, &sd) != 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "农历生日%s不存在（该年没有这个闰月，或该月没有三十日，或超出 1900-2100）",
			    "the lunar birthday%s does not exist (no such leap month that year, no day 30 in that month, or outside 1900-2100)",
			    leap ? (en(r) ? " (leap month)" : "（闰月）") : "");
	}
	c->birth_year = y;
	c->birth_month = m;
	c->birth_day = d;
	c->birth_lunar = lunar;
	c->birth_leap = leap;
	return 0;
}

int registry_contact_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContactAddRequest *q = (const Aedesk__ContactAddRequest *)in;
	if (validate_name(q->name, CONTACT_NAME_MAX, NULL) != 0)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en(r) ? "the contact's name" : "联系人姓名",
		    en(r) ? "it must be non-empty text of at most 100 bytes" : "须为非空文本，不超过 100 字节");
	if (registry_check_text(r, q->title, CONTACT_NAME_MAX, "职务", "the title") ||
	    registry_check_text(r, q->preferences, CONTACT_TEXT_MAX, "喜好", "the preferences") ||
	    registry_check_text(r, q->notes, CONTACT_TEXT_MAX, "备注", "the notes"))
		return -1;
	if (q->n_phones > CONTACT_PHONES_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "电话最多 %d 个", "at most %d phones",
		    CONTACT_PHONES_MAX);
	char phones[CONTACT_PHONES_MAX][VALIDATE_PHONE_MAX];
	char *pp[CONTACT_PHONES_MAX];
	for (size_t i = 0; i < q->n_phones; i++) {
		const char *why = NULL;
		if (validate_phone_cn(q->phones[i], &why) != 0 ||
		    validate_phone_normalize(q->phones[i], phones[i], sizeof phones[i]) != 0)
			return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
			    "第 %zu 个电话无效（%s）：须为手机号、带区号的座机或 400/800 号码",
			    "phone %zu is not valid (%s): a mobile, a landline with its area code, or a 400/800 number",
			    i + 1, why ? why : "phone");
		pp[i] = phones[i];
	}
	Aedesk__Contact c = AEDESK__CONTACT__INIT;
	if (q->birthday[0] && parse_birthday(r, q->birthday, q->birth_lunar, q->birth_leap, &c))
		return -1;
	if (!q->birthday[0] && (q->birth_lunar || q->birth_leap))
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "给出 --lunar 或 --leap 时须同时给出 --birthday",
		    "--lunar and --leap need --birthday");
	Aedesk__Client *cl;
	if (registry_client_load(r, q->client_id, &cl))
		return -1;
	int serves = perm_allows_client(r, PERM_CONTACT_PERSONAL, cl, NULL);
	int may = perm_check_client(r, PERM_CONTACT_WRITE, cl, NULL);
	wire_free(&cl->base);
	if (may)
		return -1;
	char id[24], key[64];
	if (registry_next_id(r, "contact_seq", "K", id, sizeof id))
		return -1;
	c.id = id;
	c.client_id = q->client_id;
	c.name = q->name;
	c.title = q->title;
	c.n_phones = q->n_phones;
	c.phones = pp;
	c.preferences = q->preferences;
	c.notes = q->notes;
	c.created_ms = r->now_ms;
	c.created_by = (char *)r->caller->id;
	MDB_val k = {registry_index_key(key, sizeof key, q->client_id, id, strlen(id)), key}, v = {0, ""};
	int rc;
	if ((rc = store_put_msg(r->txn, registry.contacts, id, strlen(id), &c.base, MDB_NOOVERWRITE)) != 0 ||
	    (rc = mdb_put(r->txn, registry.client_contacts, &k, &v, 0)) != 0)
		return svc_db_error(r, rc, "contacts");
	Aedesk__ContactAdded ev = AEDESK__CONTACT_ADDED__INIT;
	ev.contact = &c;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__Contact pub = serves ? c : public_copy(&c);
	Aedesk__ContactReply rep = AEDESK__CONTACT_REPLY__INIT;
	rep.contact = &pub;
	return svc_reply(r, &rep.base);
}

/* load_contact: the contact and its client (the caller must see the client), or -1 with NOT_FOUND. */
static int load_contact(svc_req *r, const char *id, Aedesk__Contact **c, Aedesk__Client **cl)
{
	if (store_get_msg(r->txn, registry.contacts, id, strlen(id), &aedesk__contact__descriptor,
		(ProtobufCMessage **)c) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有联系人“%s”（或不在您的负责范围）",
		    "no contact '%s' (or not one of your clients')", id);
	if (registry_client_load(r, (*c)->client_id, cl)) {
		wire_free(&(*c)->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有联系人“%s”（或不在您的负责范围）",
		    "no contact '%s' (or not one of your clients')", id);
	}
	return 0;
}

int registry_contact_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContactGetRequest *q = (const Aedesk__ContactGetRequest *)in;
	Aedesk__Contact *c;
	Aedesk__Client *cl;
	if (load_contact(r, q->id, &c, &cl))
		return -1;
	int rc;
	if (perm_check_client(r, PERM_CONTACT_PERSONAL, cl, NULL))
		rc = -1;
	else {
		Aedesk__ContactReply rep = AEDESK__CONTACT_REPLY__INIT;
		rep.contact = c;
		rc = svc_reply(r, &rep.base);
	}
	wire_free(&c->base);
	wire_free(&cl->base);
	return rc;
}

int registry_contact_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContactListRequest *q = (const Aedesk__ContactListRequest *)in;
	Aedesk__Client *cl;
	if (registry_client_load(r, q->client_id, &cl))
		return -1;
	int serves = perm_allows_client(r, PERM_CONTACT_PERSONAL, cl, NULL);
	wire_free(&cl->base);
	size_t n = 0, cap = 8;
	Aedesk__Contact **full = malloc(cap * sizeof *full);
	if (!full)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.client_contacts, &cur);
	if (rc) {
		free(full);
		return svc_db_error(r, rc, "client_contacts");
	}
	size_t plen = strlen(q->client_id) + 1;
	MDB_val k = {plen, q->client_id}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && memcmp(k.mv_data, q->client_id, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Aedesk__Contact *c;
		if (n == cap) {
			void *p = realloc(full, (cap *= 2) * sizeof *full);
			if (!p)
				break;
			full = p;
		}
		if (store_get_msg(r->txn, registry.contacts, (char *)k.mv_data + plen, k.mv_size - plen,
			&aedesk__contact__descriptor, (ProtobufCMessage **)&c) == 0)
			full[n++] = c;
	}
	mdb_cursor_close(cur);
	Aedesk__Contact *pub = calloc(n + 1, sizeof *pub);
	Aedesk__Contact **list = calloc(n + 1, sizeof *list);
	if (pub && list) {
		for (size_t i = 0; i < n; i++) {
			pub[i] = serves ? *full[i] : public_copy(full[i]);
			list[i] = &pub[i];
		}
		Aedesk__ContactListReply rep = AEDESK__CONTACT_LIST_REPLY__INIT;
		rep.n_contacts = n;
		rep.contacts = list;
		rc = svc_reply(r, &rep.base);
	} else
		rc = svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	for (size_t i = 0; i < n; i++)
		wire_free(&full[i]->base);
	free(full);
	free(pub);
	free(list);
	return rc;
}

int registry_contact_erase(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContactEraseRequest *q = (const Aedesk__ContactEraseRequest *)in;
	Aedesk__Contact *c;
	Aedesk__Client *cl;
	if (load_contact(r, q->id, &c, &cl))
		return -1;
	int rc;
	if (perm_check_client(r, PERM_CONTACT_WRITE, cl, NULL))
		rc = -1;
	else if (c->erased)
		rc = svc_failf(r, AEDESK__STATUS__FAILED_PRECONDITION, "联系人 %s 已删除", "contact %s is already erased",
		    c->id);
	else {
		/* Keep id, client, creation and erasure: what history needs, nothing personal. */
		Aedesk__Contact e = AEDESK__CONTACT__INIT;
		e.id = c->id;
		e.client_id = c->client_id;
		e.created_ms = c->created_ms;
		e.created_by = c->created_by;
		e.erased = 1;
		e.erased_ms = r->now_ms;
		e.erased_by = (char *)r->caller->id;
		Aedesk__ContactErased ev = AEDESK__CONTACT_ERASED__INIT;
		ev.id = c->id;
		ev.client_id = c->client_id;
		Aedesk__ContactReply rep = AEDESK__CONTACT_REPLY__INIT;
		rep.contact = &e;
		if ((rc = store_put_msg(r->txn, registry.contacts, e.id, strlen(e.id), &e.base, 0)) != 0)
			rc = svc_db_error(r, rc, "contacts");
		else if ((rc = svc_emit(r, &ev.base)) == 0)
			rc = svc_reply(r, &rep.base);
	}
	wire_free(&c->base);
	wire_free(&cl->base);
	return rc;
}

/* visits_naming: the ids of the client's visits that name contact id (up to max). */
static size_t visits_naming(svc_req *r, const char *client_id, const char *id, char **out, size_t max)
{
	MDB_cursor *cur;
	size_t n = 0, plen = strlen(client_id) + 1;
	if (mdb_cursor_open(r->txn, registry.client_visits, &cur) != 0)
		return 0;
	MDB_val k = {plen, (void *)client_id}, v;
	for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && n < max && k.mv_size > plen + 8 && memcmp(k.mv_data, client_id, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *vid = (const char *)k.mv_data + plen + 8;
		size_t vlen = k.mv_size - plen - 8;
		Aedesk__Visit *vi;
		if (store_get_msg(r->txn, registry.visits, vid, vlen, &aedesk__visit__descriptor, (ProtobufCMessage **)&vi))
			continue;
		for (size_t i = 0; i < vi->n_contact_ids; i++)
			if (strcmp(vi->contact_ids[i], id) == 0) {
				out[n] = strndup(vid, vlen);
				if (out[n])
					n++;
				break;
			}
		wire_free(&vi->base);
	}
	mdb_cursor_close(cur);
	return n;
}

/*
 * registry_contact_export: R-PRIVACY-1's access request. The whole contact and the
 * interactions that name it, to whoever may read its personal fields; the export is
 * recorded as ContactExported (ids only) in the same transaction as the reply.
 */
int registry_contact_export(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContactExportRequest *q = (const Aedesk__ContactExportRequest *)in;
	Aedesk__Contact *c;
	Aedesk__Client *cl;
	if (load_contact(r, q->id, &c, &cl))
		return -1;
	int rc;
	if (perm_check_client(r, PERM_CONTACT_PERSONAL, cl, NULL))
		rc = -1;
	else {
		enum { EXPORT_VISITS_MAX = 1000 };
		char **visits = calloc(EXPORT_VISITS_MAX, sizeof *visits);
		size_t n = visits ? visits_naming(r, c->client_id, c->id, visits, EXPORT_VISITS_MAX) : 0;
		Aedesk__ContactExported ev = AEDESK__CONTACT_EXPORTED__INIT;
		ev.id = c->id;
		ev.client_id = c->client_id;
		Aedesk__ContactExportReply rep = AEDESK__CONTACT_EXPORT_REPLY__INIT;
		rep.contact = c;
		rep.n_visit_ids = n;
		rep.visit_ids = visits;
		rep.exported_ms = r->now_ms;
		rep.exported_by = (char *)r->caller->id;
		if (!visits)
			rc = svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
		else if ((rc = svc_emit(r, &ev.base)) == 0)
			rc = svc_reply(r, &rep.base);
		for (size_t i = 0; i < n; i++)
			free(visits[i]);
		free(visits);
	}
	wire_free(&c->base);
	wire_free(&cl->base);
	return rc;
}
