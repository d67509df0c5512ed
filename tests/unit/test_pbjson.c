/*
 * NAME
 *	test_pbjson - unit tests for common/pbjson.c
 *
 * SYNOPSIS
 *	protoc-c --c_out=DIR -I tests/unit tests/unit/pbjson_test.proto
 *	cc ... -I DIR tests/unit/test_pbjson.c common/pbjson.c DIR/pbjson_test.pb-c.c -lprotobuf-c
 *	test_pbjson
 *
 * DESCRIPTION
 *	Prints aedesk.test.Everything (every scalar kind, repeated, nested, enum,
 *	bytes, oneof) into memory and compares the JSON byte for byte.  Two
 *	hand-written descriptors cover what a proto3 file cannot: proto2-style
 *	optional presence (protoc-c 1.4.1 refuses proto3 `optional`) and a
 *	message that points to itself.
 *
 * DIAGNOSTICS
 *	Prints one "-- name" line per test, FAIL lines for failed checks, and a
 *	closing "N passed, N failed"; exits 1 if any test failed.
 */
#include "check.h"
#include "pbjson.h"
#include "pbjson_test.pb-c.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* The JSON of a message as a malloc'd string (NULL if pbjson_print failed). */
static char *json(const void *msg, int indent)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	int rc;

	if (!f)
		return NULL;
	rc = pbjson_print(f, msg, indent);
	fclose(f);
	if (rc != 0) {
		fprintf(stderr, "  pbjson_print returned %d\n", rc);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Check that msg prints as exactly expected, and free the output. */
#define CHECK_JSON(msg, indent, expected)                                               \
	do {                                                                                \
		char *check_json_ = json((msg), (indent));                                      \
		CHECK_STR(check_json_, (expected));                                             \
		free(check_json_);                                                              \
	} while (0)

/* Everything after "name" for a message whose later fields are all unset. */
#define TAIL_UNSET                                                                      \
	"\"blob\":\"\",\"tags\":[],\"contacts\":[],\"owner\":null,\"scores\":[],"             \
	"\"history\":[],\"chunks\":[],\"rates\":[],\"checks\":[]}"

/* Everything up to and including "status" for a message with those fields unset. */
#define HEAD_UNSET                                                                      \
	"{\"i32\":0,\"s32\":0,\"sf32\":0,\"i64\":0,\"s64\":0,\"sf64\":0,\"u32\":0,"          \
	"\"f32\":0,\"u64\":0,\"f64\":0,\"fl\":0,\"db\":0,\"flag\":false,\"status\":\"OK\","

TEST(test_default_message_prints_every_scalar_with_its_zero_value)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;

	CHECK_JSON(&e, 0, HEAD_UNSET "\"name\":\"\"," TAIL_UNSET);
}

TEST(test_every_scalar_kind_prints_its_exact_value)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	static uint8_t foobar[] = "foobar";

	e.i32 = INT32_MIN;
	e.s32 = -1;
	e.sf32 = INT32_MAX;
	e.i64 = INT64_MIN;
	e.s64 = -42;
	e.sf64 = INT64_MAX;
	e.u32 = UINT32_MAX;
	e.f32 = 7;
	e.u64 = UINT64_MAX;
	e.f64 = 1234567890123ULL;
	e.fl = 0.1f;
	e.db = 0.1;
	e.flag = 1;
	e.status = AEDESK__TEST__STATUS__DENIED;
	e.name = "华夏食品";
	e.blob.data = foobar;
	e.blob.len = 6;
	CHECK_JSON(&e, 0,
	    "{\"i32\":-2147483648,\"s32\":-1,\"sf32\":2147483647,"
	    "\"i64\":-9223372036854775808,\"s64\":-42,\"sf64\":9223372036854775807,"
	    "\"u32\":4294967295,\"f32\":7,\"u64\":18446744073709551615,\"f64\":1234567890123,"
	    "\"fl\":0.1,\"db\":0.1,\"flag\":true,\"status\":\"DENIED\",\"name\":\"华夏食品\","
	    "\"blob\":\"Zm9vYmFy\",\"tags\":[],\"contacts\":[],\"owner\":null,\"scores\":[],"
	    "\"history\":[],\"chunks\":[],\"rates\":[],\"checks\":[]}");
}

TEST(test_chinese_string_with_quote_and_newline_is_escaped_but_stays_readable)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;

	c.name = "华夏\"食品\"\n第二行";
	c.phone = "010-1234\\5678";
	CHECK_JSON(&c, 0, "{\"name\":\"华夏\\\"食品\\\"\\n第二行\",\"phone\":\"010-1234\\\\5678\"}");
}

TEST(test_control_characters_are_escaped_per_rfc8259)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;

	c.name = "\x01\x1f\t\b\f\r\x7f/";
	CHECK_JSON(&c, 0, "{\"name\":\"\\u0001\\u001f\\t\\b\\f\\r\x7f/\",\"phone\":\"\"}");
}

TEST(test_invalid_utf8_in_a_string_becomes_replacement_character)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;

	/* a stray 0xFF, a truncated 华, a surrogate, then good 😀 */
	c.name = "a\xff" "b\xe5\x8d" "|\xed\xa0\x80|😀";
	CHECK_JSON(&c, 0,
	    "{\"name\":\"a\\ufffdb\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|😀\",\"phone\":\"\"}");
}

TEST(test_null_string_pointer_prints_as_empty_string)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;

	c.name = NULL;
	CHECK_JSON(&c, 0, "{\"name\":\"\",\"phone\":\"\"}");
}

TEST(test_bytes_print_as_padded_base64)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	/* RFC 4648 section 10 test vectors, plus bytes that hit '+' '/' and NUL */
	static uint8_t v[] = "foobar";
	static uint8_t odd[] = { 0xfb, 0xff, 0x00 };
	ProtobufCBinaryData chunks[] = {
		{ 0, v }, { 1, v }, { 2, v }, { 3, v }, { 4, v }, { 5, v }, { 6, v },
		{ 3, odd }, { 0, NULL },
	};

	e.n_chunks = sizeof chunks / sizeof chunks[0];
	e.chunks = chunks;
	CHECK_JSON(&e, 0, HEAD_UNSET "\"name\":\"\","
	    "\"blob\":\"\",\"tags\":[],\"contacts\":[],\"owner\":null,\"scores\":[],\"history\":[],"
	    "\"chunks\":[\"\",\"Zg==\",\"Zm8=\",\"Zm9v\",\"Zm9vYg==\",\"Zm9vYmE=\",\"Zm9vYmFy\","
	    "\"+/8A\",\"\"],\"rates\":[],\"checks\":[]}");
}

TEST(test_enum_prints_value_name_and_unknown_value_as_number)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Status history[] = {
		AEDESK__TEST__STATUS__OK, AEDESK__TEST__STATUS__NOT_FOUND, (Aedesk__Test__Status)99,
	};

	e.status = AEDESK__TEST__STATUS__NOT_FOUND;
	e.n_history = 3;
	e.history = history;
	CHECK_JSON(&e, 0,
	    "{\"i32\":0,\"s32\":0,\"sf32\":0,\"i64\":0,\"s64\":0,\"sf64\":0,\"u32\":0,"
	    "\"f32\":0,\"u64\":0,\"f64\":0,\"fl\":0,\"db\":0,\"flag\":false,\"status\":\"NOT_FOUND\","
	    "\"name\":\"\",\"blob\":\"\",\"tags\":[],\"contacts\":[],\"owner\":null,\"scores\":[],"
	    "\"history\":[\"OK\",\"NOT_FOUND\",99],\"chunks\":[],\"rates\":[],\"checks\":[]}");
}

TEST(test_repeated_fields_are_arrays_and_nested_messages_are_objects)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Contact zhang = AEDESK__TEST__CONTACT__INIT;
	Aedesk__Test__Contact blank = AEDESK__TEST__CONTACT__INIT;
	Aedesk__Test__Contact *contacts[] = { &zhang, &blank };
	char *tags[] = { "食品", "KA" };
	int32_t scores[] = { 1, -2, 3 };
	protobuf_c_boolean checks[] = { 1, 0 };

	zhang.name = "张三";
	zhang.phone = "13800138000";
	e.n_tags = 2;
	e.tags = tags;
	e.n_contacts = 2;
	e.contacts = contacts;
	e.owner = &zhang;
	e.n_scores = 3;
	e.scores = scores;
	e.n_checks = 2;
	e.checks = checks;
	CHECK_JSON(&e, 0, HEAD_UNSET "\"name\":\"\",\"blob\":\"\",\"tags\":[\"食品\",\"KA\"],"
	    "\"contacts\":[{\"name\":\"张三\",\"phone\":\"13800138000\"},{\"name\":\"\",\"phone\":\"\"}],"
	    "\"owner\":{\"name\":\"张三\",\"phone\":\"13800138000\"},\"scores\":[1,-2,3],"
	    "\"history\":[],\"chunks\":[],\"rates\":[],\"checks\":[true,false]}");
}

TEST(test_null_element_in_repeated_message_prints_null)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Contact *contacts[] = { NULL };

	e.n_contacts = 1;
	e.contacts = contacts;
	CHECK_JSON(&e, 0, HEAD_UNSET "\"name\":\"\",\"blob\":\"\",\"tags\":[],\"contacts\":[null],"
	    "\"owner\":null,\"scores\":[],\"history\":[],\"chunks\":[],\"rates\":[],\"checks\":[]}");
}

TEST(test_oneof_prints_only_the_member_that_is_set)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Contact agent = AEDESK__TEST__CONTACT__INIT;
	const char *head = HEAD_UNSET "\"name\":\"\",\"blob\":\"\",\"tags\":[],\"contacts\":[],"
	    "\"owner\":null,\"scores\":[],\"history\":[],";
	const char *tail = "\"chunks\":[],\"rates\":[],\"checks\":[]}";
	char expected[1024];

	e.target_case = AEDESK__TEST__EVERYTHING__TARGET_CLIENT_CODE;
	e.client_code = "HXSP";
	snprintf(expected, sizeof expected, "%s\"client_code\":\"HXSP\",%s", head, tail);
	CHECK_JSON(&e, 0, expected);

	agent.name = "奥美";
	e.target_case = AEDESK__TEST__EVERYTHING__TARGET_AGENT;
	e.agent = &agent;
	snprintf(expected, sizeof expected, "%s\"agent\":{\"name\":\"奥美\",\"phone\":\"\"},%s",
	    head, tail);
	CHECK_JSON(&e, 0, expected);

	/* a set member is printed even when it holds the default value */
	e.target_case = AEDESK__TEST__EVERYTHING__TARGET_CAMPAIGN_ID;
	e.campaign_id = 0;
	snprintf(expected, sizeof expected, "%s\"campaign_id\":0,%s", head, tail);
	CHECK_JSON(&e, 0, expected);

	e.target_case = AEDESK__TEST__EVERYTHING__TARGET__NOT_SET;
	snprintf(expected, sizeof expected, "%s%s", head, tail);
	CHECK_JSON(&e, 0, expected);
}

TEST(test_reals_print_shortest_exact_digits_and_null_when_not_finite)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	double rates[] = {
		0.1, 1.5, 100, 2.0 / 3, -0.0, 1e300, 1e-7, 123456789012345678.0, 5e-324,
		NAN, INFINITY, -INFINITY,
	};

	e.fl = 3.14159265358979f;
	e.db = 1e16;
	e.n_rates = sizeof rates / sizeof rates[0];
	e.rates = rates;
	CHECK_JSON(&e, 0,
	    "{\"i32\":0,\"s32\":0,\"sf32\":0,\"i64\":0,\"s64\":0,\"sf64\":0,\"u32\":0,"
	    "\"f32\":0,\"u64\":0,\"f64\":0,\"fl\":3.1415927,\"db\":10000000000000000,"
	    "\"flag\":false,\"status\":\"OK\",\"name\":\"\",\"blob\":\"\",\"tags\":[],"
	    "\"contacts\":[],\"owner\":null,\"scores\":[],\"history\":[],\"chunks\":[],"
	    "\"rates\":[0.1,1.5,100,0.6666666666666666,-0,1e+300,1e-07,1.2345678901234568e+17,"
	    "5e-324,null,null,null],\"checks\":[]}");
}

TEST(test_pretty_print_indents_each_level_and_keeps_empty_containers_short)
{
	Aedesk__Test__Everything e = AEDESK__TEST__EVERYTHING__INIT;
	Aedesk__Test__Contact zhang = AEDESK__TEST__CONTACT__INIT;
	Aedesk__Test__Contact *contacts[] = { &zhang };
	char *tags[] = { "食品", "KA" };

	zhang.name = "张三";
	e.name = "华夏\"食品\"\n第二行";
	e.n_tags = 2;
	e.tags = tags;
	e.n_contacts = 1;
	e.contacts = contacts;
	CHECK_JSON(&e, 2,
	    "{\n"
	    "  \"i32\": 0,\n"
	    "  \"s32\": 0,\n"
	    "  \"sf32\": 0,\n"
	    "  \"i64\": 0,\n"
	    "  \"s64\": 0,\n"
	    "  \"sf64\": 0,\n"
	    "  \"u32\": 0,\n"
	    "  \"f32\": 0,\n"
	    "  \"u64\": 0,\n"
	    "  \"f64\": 0,\n"
	    "  \"fl\": 0,\n"
	    "  \"db\": 0,\n"
	    "  \"flag\": false,\n"
	    "  \"status\": \"OK\",\n"
	    "  \"name\": \"华夏\\\"食品\\\"\\n第二行\",\n"
	    "  \"blob\": \"\",\n"
	    "  \"tags\": [\n"
	    "    \"食品\",\n"
	    "    \"KA\"\n"
	    "  ],\n"
	    "  \"contacts\": [\n"
	    "    {\n"
	    "      \"name\": \"张三\",\n"
	    "      \"phone\": \"\"\n"
	    "    }\n"
	    "  ],\n"
	    "  \"owner\": null,\n"
	    "  \"scores\": [],\n"
	    "  \"history\": [],\n"
	    "  \"chunks\": [],\n"
	    "  \"rates\": [],\n"
	    "  \"checks\": []\n"
	    "}");
	CHECK_JSON(&zhang, 4, "{\n    \"name\": \"张三\",\n    \"phone\": \"\"\n}");
}

TEST(test_output_never_ends_with_a_newline)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;
	char *compact = json(&c, 0), *pretty = json(&c, 2);

	CHECK(compact && compact[strlen(compact) - 1] == '}');
	CHECK(pretty && pretty[strlen(pretty) - 1] == '}');
	free(compact);
	free(pretty);
}

/* A proto2-style message with explicit presence, described by hand. */
typedef struct {
	ProtobufCMessage base;
	int32_t count;
	protobuf_c_boolean has_budget;
	int32_t budget;
	char *note;
	Aedesk__Test__Contact *owner;
} Legacy;

static const ProtobufCFieldDescriptor legacy_fields[] = {
	{ .name = "count", .id = 1, .label = PROTOBUF_C_LABEL_REQUIRED,
	  .type = PROTOBUF_C_TYPE_INT32, .offset = offsetof(Legacy, count) },
	{ .name = "budget", .id = 2, .label = PROTOBUF_C_LABEL_OPTIONAL,
	  .type = PROTOBUF_C_TYPE_INT32, .quantifier_offset = offsetof(Legacy, has_budget),
	  .offset = offsetof(Legacy, budget) },
	{ .name = "note", .id = 3, .label = PROTOBUF_C_LABEL_OPTIONAL,
	  .type = PROTOBUF_C_TYPE_STRING, .offset = offsetof(Legacy, note) },
	{ .name = "owner", .id = 4, .label = PROTOBUF_C_LABEL_OPTIONAL,
	  .type = PROTOBUF_C_TYPE_MESSAGE, .offset = offsetof(Legacy, owner),
	  .descriptor = &aedesk__test__contact__descriptor },
};

static const ProtobufCMessageDescriptor legacy_descriptor = {
	.magic = PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
	.name = "aedesk.test.Legacy",
	.short_name = "Legacy",
	.c_name = "Legacy",
	.package_name = "aedesk.test",
	.sizeof_message = sizeof(Legacy),
	.n_fields = 4,
	.fields = legacy_fields,
};

TEST(test_absent_optional_fields_print_null_and_present_ones_their_value)
{
	Legacy l = { .base = { .descriptor = &legacy_descriptor }, .count = 7 };
	Aedesk__Test__Contact owner = AEDESK__TEST__CONTACT__INIT;

	CHECK_JSON(&l, 0, "{\"count\":7,\"budget\":null,\"note\":null,\"owner\":null}");
	l.has_budget = 1;
	l.note = "";
	l.owner = &owner;
	CHECK_JSON(&l, 0,
	    "{\"count\":7,\"budget\":0,\"note\":\"\",\"owner\":{\"name\":\"\",\"phone\":\"\"}}");
}

/* A message whose only field is another message of its own type. */
typedef struct Node {
	ProtobufCMessage base;
	struct Node *next;
} Node;

static const ProtobufCMessageDescriptor node_descriptor;

static const ProtobufCFieldDescriptor node_fields[] = {
	{ .name = "next", .id = 1, .label = PROTOBUF_C_LABEL_NONE,
	  .type = PROTOBUF_C_TYPE_MESSAGE, .offset = offsetof(Node, next),
	  .descriptor = &node_descriptor },
};

static const ProtobufCMessageDescriptor node_descriptor = {
	.magic = PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC,
	.name = "aedesk.test.Node",
	.sizeof_message = sizeof(Node),
	.n_fields = 1,
	.fields = node_fields,
};

TEST(test_cycle_of_message_pointers_fails_with_eloop_instead_of_recursing_forever)
{
	Node a = { .base = { .descriptor = &node_descriptor } };
	Node b = { .base = { .descriptor = &node_descriptor }, .next = &a };
	FILE *f = fopen("/dev/null", "w");

	CHECK_JSON(&b, 0, "{\"next\":{\"next\":null}}");
	a.next = &b;
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(pbjson_print(f, &a.base, 0), -ELOOP);
	fclose(f);
}

TEST(test_bad_arguments_and_foreign_descriptors_are_rejected)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;
	ProtobufCMessageDescriptor bogus = { .magic = 0x12345678 };
	ProtobufCMessage m = { .descriptor = &bogus };
	FILE *f = fopen("/dev/null", "w");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_INT(pbjson_print(f, NULL, 0), -EINVAL);
	CHECK_INT(pbjson_print(NULL, &c.base, 0), -EINVAL);
	CHECK_INT(pbjson_print(f, &c.base, -1), -EINVAL);
	CHECK_INT(pbjson_print(f, &m, 0), -EINVAL);
	CHECK_INT(pbjson_print(f, &c.base, 0), 0);
	fclose(f);
}

TEST(test_write_error_is_reported_as_eio)
{
	Aedesk__Test__Contact c = AEDESK__TEST__CONTACT__INIT;
	FILE *f = fopen("/dev/full", "w");

	CHECK(f != NULL);
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	CHECK_INT(pbjson_print(f, &c.base, 0), -EIO);
	fclose(f);
}

int main(void)
{
	RUN(test_default_message_prints_every_scalar_with_its_zero_value);
	RUN(test_every_scalar_kind_prints_its_exact_value);
	RUN(test_chinese_string_with_quote_and_newline_is_escaped_but_stays_readable);
	RUN(test_control_characters_are_escaped_per_rfc8259);
	RUN(test_invalid_utf8_in_a_string_becomes_replacement_character);
	RUN(test_null_string_pointer_prints_as_empty_string);
	RUN(test_bytes_print_as_padded_base64);
	RUN(test_enum_prints_value_name_and_unknown_value_as_number);
	RUN(test_repeated_fields_are_arrays_and_nested_messages_are_objects);
	RUN(test_null_element_in_repeated_message_prints_null);
	RUN(test_oneof_prints_only_the_member_that_is_set);
	RUN(test_reals_print_shortest_exact_digits_and_null_when_not_finite);
	RUN(test_pretty_print_indents_each_level_and_keeps_empty_containers_short);
	RUN(test_output_never_ends_with_a_newline);
	RUN(test_absent_optional_fields_print_null_and_present_ones_their_value);
	RUN(test_cycle_of_message_pointers_fails_with_eloop_instead_of_recursing_forever);
	RUN(test_bad_arguments_and_foreign_descriptors_are_rejected);
	RUN(test_write_error_is_reported_as_eio);
	return check_summary();
}
