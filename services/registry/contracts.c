/*
 * NAME
 *	contracts.c - advertising publication contracts (广告发布合同)
 *
 * DESCRIPTION
 *	A contract has the full legal names of both parties, the handling person, phone,
 *	address, whether the seal was confirmed, the signing date, publication dates,
 *	placement (版面), specification, the amount in figures (fen) and in Chinese
 *	uppercase (大写), the payment date and extra terms. Contract ids are "H" and a
 *	six-digit number.
 *
 *	R-CONTRACT-1: the uppercase amount is generated from the figure (money_upper); an
 *	uppercase amount given with the request must be an acceptable spelling of the
 *	figure (money_upper_matches), else the contract is refused with both shown.
 *
 *	Messages in: ContractAddRequest (ContractReply), ContractGetRequest (ContractReply),
 *	ContractListRequest (ContractListReply). Events out: ContractAdded {contract}.
 *	Tables: contracts, client_contracts (see registry.h).
 *
 * SECURITY
 *	The client scope applies: an AE their own clients', an AM the team's, AD, admin,
 *	finance (and the other roles that see every client) all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "registry.h"
#include "validate.h"
#include "wire.h"

#define CONTRACT_NAME_MAX 300
#define CONTRACT_TERMS_MAX 8000
#define CONTRACT_DATES_MAX 366

static int en(const svc_req *r) { return strcmp(r->lang, "en") == 0; }

/* need_text: a required, non-blank field. */
static int need_text(svc_req *r, const char *s, const char *zh, const char *eng)
{
	if (validate_name(s, CONTRACT_NAME_MAX, NULL) == 0)
		return 0;
	return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_INVALID, en(r) ? eng : zh,
	    en(r) ? "it is required: non-empty text of at most 300 bytes" : "必须填写：非空文本，不超过 300 字节");
}

static int need_date(svc_req *r, const char *s, const char *zh, const char *eng)
{
	const char *why = NULL;
	if (validate_date(s, NULL, NULL, NULL, &why) == 0)
		return 0;
	return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "%s“%s”无效（%s）：须为真实日期 YYYY-MM-DD",
	    "%s '%s' is not valid (%s): it must be a real date YYYY-MM-DD", en(r) ? eng : zh, s, why ? why : "date");
}

/* check_contract validates every field; on success writes the canonical phone and 大写. */
static int check_contract(svc_req *r, const Aedesk__Contract *k, char *phone, char *upper)
{
	if (need_text(r, k->party_a, "甲方全称", "party A's full legal name") ||
	    need_text(r, k->party_b, "乙方全称", "party B's full legal name") ||
	    need_text(r, k->handler, "经办人", "the handling person") ||
	    need_text(r, k->address, "地址", "the address") ||
	    need_text(r, k->placement, "版面", "the placement") ||
	    need_text(r, k->spec, "规格", "the specification") ||
	    need_date(r, k->signed_date, "签订日期", "the signing date") ||
	    need_date(r, k->payment_date, "付款日期", "the payment date") ||
	    registry_check_text(r, k->terms, CONTRACT_TERMS_MAX, "其他条款", "the extra terms"))
		return -1;
	const char *why = NULL;
	if (validate_phone_cn(k->phone, &why) != 0 || validate_phone_normalize(k->phone, phone, VALIDATE_PHONE_MAX) != 0)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "电话“%s”无效（%s）：须为手机号、带区号的座机或 400/800 号码",
		    "phone '%s' is not valid (%s): a mobile, a landline with its area code, or a 400/800 number",
		    k->phone, why ? why : "phone");
	if (k->n_publish_dates == 0 || k->n_publish_dates > CONTRACT_DATES_MAX)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "发布日期须有 1 到 %d 个", "give 1 to %d publication dates",
		    CONTRACT_DATES_MAX);
	for (size_t i = 0; i < k->n_publish_dates; i++)
		if (need_date(r, k->publish_dates[i], "发布日期", "the publication date"))
			return -1;
	if (k->amount_fen <= 0 || k->amount_fen > MONEY_MAX_FEN)
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT, "金额须大于 0 且不超过 9,999,999,999,999.99 元",
		    "the amount must be above 0 and at most 9,999,999,999,999.99 yuan");
	money_upper(k->amount_fen, upper, MONEY_UPPER_MAX);
	if (k->amount_upper[0] && !money_upper_matches(k->amount_fen, k->amount_upper)) {
		char fig[MONEY_FORMAT_MAX];
		money_format(k->amount_fen, fig, sizeof fig);
		return svc_failf(r, AEDESK__STATUS__INVALID_ARGUMENT,
		    "大写金额“%s”与小写金额 %s 不符，应为“%s”（R-CONTRACT-1）；合同未保存",
		    "the uppercase amount '%s' disagrees with the figure %s, which reads '%s' (R-CONTRACT-1); the contract was not stored",
		    k->amount_upper, fig, upper);
	}
	return 0;
}

int registry_contract_add(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContractAddRequest *q = (const Aedesk__ContractAddRequest *)in;
	if (perm_check(r, PERM_CLIENT_WRITE, NULL))
		return -1;
	if (!q->contract)
		return svc_fail(r, AEDESK__STATUS__INVALID_ARGUMENT, MSG_FIELD_REQUIRED, en(r) ? "the contract" : "合同");
	Aedesk__Contract k = *q->contract;
	char phone[VALIDATE_PHONE_MAX], upper[MONEY_UPPER_MAX], id[24], key[64];
	if (check_contract(r, &k, phone, upper))
		return -1;
	Aedesk__Client *cl;
	if (registry_client_load(r, k.client_id, &cl))
		return -1;
	int may = perm_check_client(r, PERM_CLIENT_WRITE, cl, NULL);
	wire_free(&cl->base);
	if (may)
		return -1;
	if (registry_next_id(r, "contract_seq", "H", id, sizeof id))
		return -1;
	k.id = id;
	k.phone = phone;
	k.amount_upper = upper;
	k.created_ms = r->now_ms;
	k.created_by = (char *)r->caller->id;
	MDB_val kk = {registry_index_key(key, sizeof key, k.client_id, id, strlen(id)), key}, empty = {0, ""};
	int rc;
	if ((rc = store_put_msg(r->txn, registry.contracts, id, strlen(id), &k.base, MDB_NOOVERWRITE)) != 0 ||
	    (rc = mdb_put(r->txn, registry.client_contracts, &kk, &empty, 0)) != 0)
		return svc_db_error(r, rc, "contracts");
	Aedesk__ContractAdded ev = AEDESK__CONTRACT_ADDED__INIT;
	ev.contract = &k;
	if (svc_emit(r, &ev.base))
		return -1;
	Aedesk__ContractReply rep = AEDESK__CONTRACT_REPLY__INIT;
	rep.contract = &k;
	return svc_reply(r, &rep.base);
}

int registry_contract_get(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContractGetRequest *q = (const Aedesk__ContractGetRequest *)in;
	Aedesk__Contract *k;
	Aedesk__Client *cl;
	if (store_get_msg(r->txn, registry.contracts, q->id, strlen(q->id), &aedesk__contract__descriptor,
		(ProtobufCMessage **)&k) != 0)
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有合同“%s”（或不在您的负责范围）",
		    "no contract '%s' (or not one of your clients')", q->id);
	if (registry_client_load(r, k->client_id, &cl)) {
		wire_free(&k->base);
		return svc_failf(r, AEDESK__STATUS__NOT_FOUND, "没有合同“%s”（或不在您的负责范围）",
		    "no contract '%s' (or not one of your clients')", q->id);
	}
	wire_free(&cl->base);
	Aedesk__ContractReply rep = AEDESK__CONTRACT_REPLY__INIT;
	rep.contract = k;
	int rc = svc_reply(r, &rep.base);
	wire_free(&k->base);
	return rc;
}

int registry_contract_list(svc_req *r, const ProtobufCMessage *in)
{
	const Aedesk__ContractListRequest *q = (const Aedesk__ContractListRequest *)in;
	Aedesk__Client *cl;
	if (registry_client_load(r, q->client_id, &cl))
		return -1;
	wire_free(&cl->base);
	size_t n = 0, cap = 8;
	Aedesk__Contract **list = malloc(cap * sizeof *list);
	if (!list)
		return svc_fail(r, AEDESK__STATUS__RESOURCE_EXHAUSTED, MSG_BUSY);
	MDB_cursor *cur;
	int rc = mdb_cursor_open(r->txn, registry.client_contracts, &cur);
	if (rc) {
		free(list);
		return svc_db_error(r, rc, "client_contracts");
	}
	size_t plen = strlen(q->client_id) + 1;
	MDB_val k = {plen, q->client_id}, v;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	     rc == 0 && k.mv_size > plen && memcmp(k.mv_data, q->client_id, plen) == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (n == cap) {
			void *p = realloc(list, (cap *= 2) * sizeof *list);
			if (!p)
				break;
			list = p;
		}
		Aedesk__Contract *c;
		if (store_get_msg(r->txn, registry.contracts, (char *)k.mv_data + plen, k.mv_size - plen,
			&aedesk__contract__descriptor, (ProtobufCMessage **)&c) == 0)
			list[n++] = c;
	}
	mdb_cursor_close(cur);
	Aedesk__ContractListReply rep = AEDESK__CONTRACT_LIST_REPLY__INIT;
	rep.n_contracts = n;
	rep.contracts = list;
	rc = svc_reply(r, &rep.base);
	for (size_t i = 0; i < n; i++)
		wire_free(&list[i]->base);
	free(list);
	return rc;
}
