/*
 * NAME
 *	test_pbjson_read - unit tests for pbjson_parse (common/pbjson_read.c)
 *
 * DESCRIPTION
 *	What pbjson_print writes reads back as the same message (every field kind of
 *	aedesk.test.Everything), the forms a browser sends (64-bit integers as strings,
 *	enums by number, null, unpadded base64), and every refusal names its field and
 *	leaves nothing allocated (the sanitizer build checks for leaks).
 */
#include "check.h"
#include "pbjson.h"
#include "pbjson_test.pb-c.h"

#include <stdlib.h>

static char *print(const ProtobufCMessage *m)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	if (!f)
		return NULL;
	pbjson_print(f, m, 0);
	fclose(f);
	return buf;
}

/* roundtrip: parse json, print it again, compare with want (json itself when NULL). */
static void roundtrip(const char *json, const char *want)
{
	ProtobufCMessage *m = NULL;
	char err[256];
	int rc = pbjson_parse(&aedesk__test__everything__descriptor, json, strlen(json), &m, err, sizeof err);
	CHECK_INT(rc, 0);
	if (rc) {
		fprintf(stderr, "    %s\n", err);
		return;
	}
	char *out = print(m);
	CHECK_STR(out, want ? want : json);
	free(out);
	protobuf_c_message_free_unpacked(m, NULL);
}

static void refused(const char *json, const char *needle)
{
	ProtobufCMessage *m = (ProtobufCMessage *)1;
	char err[256];
	CHECK_INT(pbjson_parse(&aedesk__test__everything__descriptor, json, strlen(json), &m, err, sizeof err), -1);
	CHECK(m == NULL);
	CHECK(strstr(err, needle) != NULL);
	if (!strstr(err, needle))
		fprintf(stderr, "    %s: got \"%s\", wanted \"%s\"\n", json, err, needle);
}

TEST(test_what_print_writes_reads_back_the_same)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Contact c1 = AEDESK__TEST__CONTACT__INIT, c2 = AEDESK__TEST__CONTACT__INIT;
	c1.name = "张三";
	c1.phone = "13800000000";
	c2.name = "李\"四\"\n";
	Aedesk__Test__Contact *cs[] = {&c1, &c2};
	char *tags[] = {"广告", "", "x\\y"};
	int32_t scores[] = {-1, 0, 2147483647};
	Aedesk__Test__Status history[] = {AEDESK__TEST__STATUS__DENIED, AEDESK__TEST__STATUS__OK};
	uint8_t blob[] = {0, 1, 2, 250, 251, 252, 253};
	ProtobufCBinaryData chunks[] = {{3, blob}, {0, NULL}};
	double rates[] = {0.1, -2.5e300};
	protobuf_c_boolean checks[] = {1, 0};
	e.i32 = -2147483647 - 1;
	e.s32 = -5;
	e.sf32 = 7;
	e.i64 = -9007199254740993LL;
	e.s64 = 42;
	e.sf64 = -1;
	e.u32 = 4294967295u;
	e.f32 = 3;
	e.u64 = 18446744073709551615ULL;
	e.f64 = 9;
	e.fl = 1.5f;
	e.db = 3.141592653589793;
	e.flag = 1;
	e.status = AEDESK__TEST__STATUS__NOT_FOUND;
	e.name = "华夏食品 \"春节\"\t";
	e.blob.data = blob;
	e.blob.len = sizeof blob;
	e.n_tags = 3;
	e.tags = tags;
	e.n_contacts = 2;
	e.contacts = cs;
	e.owner = &c1;
	e.n_scores = 3;
	e.scores = scores;
	e.n_history = 2;
	e.history = history;
	e.target_case = AEDESK__TEST__EVERYTHING__TARGET_AGENT;
	e.agent = &c2;
	e.n_chunks = 2;
	e.chunks = chunks;
	e.n_rates = 2;
	e.rates = rates;
	e.n_checks = 2;
	e.checks = checks;
	char *json = print(&e.base);
	roundtrip(json, NULL);
	free(json);

	Aedesk__Test__Everything d = AEDESK__TEST__EVERYTHING__INIT;
	json = print(&d.base);
	roundtrip(json, NULL);
	roundtrip("{}", json);
	free(json);
}

TEST(test_browser_forms_strings_for_64_bit_enum_numbers_null_and_unpadded_base64)
{
	Aedesk__Test__Everything d = AEDESK__TEST__EVERYTHING__INIT;
	d.i64 = 9007199254740993LL;
	d.status = AEDESK__TEST__STATUS__DENIED;
	uint8_t b[] = {'a', 'b'};
	d.blob.data = b;
	d.blob.len = 2;
	d.name = "\xF0\x9F\x98\x80\xE4\xB8\xAD";
	char *want = print(&d.base);
	roundtrip(" { \"i64\" : \"9007199254740993\", \"status\": 2, \"blob\": \"YWI\", \"owner\": null,"
		  " \"name\": \"\\ud83d\\ude00\\u4e2d\" } ",
	    want);
	free(want);
}

TEST(test_a_key_given_twice_keeps_the_last_and_leaks_nothing)
{
	Aedesk__Test__Everything d = AEDESK__TEST__EVERYTHING__INIT;
	d.name = "b";
	char *want = print(&d.base);
	roundtrip("{\"name\":\"a\",\"name\":\"b\",\"owner\":{\"name\":\"x\"},\"owner\":null,\"blob\":\"AA==\",\"blob\":\"\"}",
	    NULL == want ? "" : want);
	free(want);
}

TEST(test_each_refusal_names_the_field_and_allocates_nothing)
{
	refused("{\"nme\":\"x\"}", "field \"nme\": Everything has no such field");
	refused("{\"i32\":2147483648}", "field \"i32\": not an integer in range");
	refused("{\"u32\":-1}", "field \"u32\"");
	refused("{\"i32\":1.5}", "field \"i32\"");
	refused("{\"flag\":1}", "expected true or false");
	refused("{\"status\":\"LOST\"}", "no such value: LOST");
	refused("{\"name\":5}", "field \"name\": expected a string");
	refused("{\"tags\":\"x\"}", "expected an array");
	refused("{\"tags\":[\"a\",\"b\",3]}", "field \"tags\": expected a string");
	refused("{\"contacts\":[{\"name\":\"a\"},{\"nam\":\"b\"}]}", "field \"nam\"");
	refused("{\"name\":\"\xC0\xAF\"}", "not valid UTF-8");
	refused("{\"name\":\"\\ud800\"}", "lone surrogate");
	refused("{\"client_code\":\"a\",\"campaign_id\":1}", "oneof");
	refused("{\"name\":\"a\"} x", "trailing bytes");
	refused("{\"name\":\"a\"", "expected , or }");
	refused("[]", "expected an object");
	refused("", "expected an object");
	refused("{\"blob\":\"***\"}", "not base64");
	refused("{\"db\":\"nan\"}", "not a number");
	char deep[400] = "{\"owner\":";
	for (int i = 0; i < 70; i++)
		strcat(deep, "{");
	refused(deep, "field \"owner\"");
}

int main(void)
{
	RUN(test_what_print_writes_reads_back_the_same);
	RUN(test_browser_forms_strings_for_64_bit_enum_numbers_null_and_unpadded_base64);
	RUN(test_a_key_given_twice_keeps_the_last_and_leaks_nothing);
	RUN(test_each_refusal_names_the_field_and_allocates_nothing);
	return check_summary();
}
