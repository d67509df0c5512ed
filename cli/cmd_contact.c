/*
 * NAME
 *	cmd_contact.c - a client's contact people
 *
 * SYNOPSIS
 *	aedesk contact add CLIENT --name NAME [--title T] [--phone P ...]
 *	    [--birthday YYYY-MM-DD|MM-DD [--lunar [--leap]]] [--preferences T] [--notes T]
 *	aedesk contact list CLIENT
 *	aedesk contact show CONTACT
 *	aedesk contact erase CONTACT
 *	aedesk contact export CONTACT
 *
 * DESCRIPTION
 *	R-PRIVACY-1: phones, birthday, preferences and notes are shown only to the team
 *	serving the client and their managers; others see name and title, and `contact
 *	show` (the personal read) is refused for them. `contact export` prints all the
 *	personal data kept on the contact as JSON (an access request; recorded), `contact
 *	erase` removes it (recorded; the scheduler drops the birthday).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("contact", cmd_contact, 11, "客户联系人：add | list | show | erase | export（aedesk contact --help）",
    "client contacts: add | list | show | erase | export (aedesk contact --help)")

#define CONTACT_USAGE_ZH                                                                           \
	"用法：\n  aedesk contact add 客户编号 --name 姓名 [--title 职务] [--phone 电话 ...]\n"             \
	"      [--birthday YYYY-MM-DD [--lunar [--leap]]] [--preferences 喜好] [--notes 备注]\n"          \
	"  aedesk contact list 客户编号\n  aedesk contact show 联系人编号\n  aedesk contact erase 联系人编号\n" \
	"  aedesk contact export 联系人编号   本人要求查阅时导出其全部个人信息（JSON，留有记录）\n"     \
	"农历生日（--lunar）写农历的年月日或只写月日（MM-DD），--leap 表示闰月。\n"                         \
	"电话、生日、喜好、备注属个人信息，仅服务该客户的团队及其上级可见（R-PRIVACY-1）；\n"               \
	"erase 应本人要求删除姓名和个人信息，往来记录仍可读。"
#define CONTACT_USAGE_EN                                                                           \
	"usage:\n  aedesk contact add CLIENT --name NAME [--title T] [--phone P ...]\n"                   \
	"      [--birthday YYYY-MM-DD [--lunar [--leap]]] [--preferences T] [--notes T]\n"               \
	"  aedesk contact list CLIENT\n  aedesk contact show CONTACT\n  aedesk contact erase CONTACT\n"   \
	"  aedesk contact export CONTACT   all personal data kept on the contact, as JSON (recorded)\n" \
	"A lunar birthday (--lunar) is the lunar year-month-day or just MM-DD; --leap marks a leap month.\n" \
	"Phones, birthday, preferences and notes are personal: only the client's team and their\n"        \
	"managers see them (R-PRIVACY-1); erase removes the name and personal fields on request,\n"       \
	"history stays readable."

static const char *display_name(const Aedesk__Contact *c)
{
	return c->erased ? cli_t("（已应要求删除）", "(erased on request)") : c->name;
}

static void format_birthday(const Aedesk__Contact *c, char *buf, size_t len)
{
	if (c->personal_hidden) {
		snprintf(buf, len, "%s", cli_t("（无权查看）", "(not yours to see)"));
		return;
	}
	if (!c->birth_month) {
		buf[0] = 0;
		return;
	}
	const char *cal = c->birth_lunar ? (c->birth_leap ? cli_t("农历闰", "lunar leap ") : cli_t("农历", "lunar "))
					 : "";
	if (c->birth_year)
		snprintf(buf, len, "%s%04d-%02d-%02d", cal, c->birth_year, c->birth_month, c->birth_day);
	else
		snprintf(buf, len, "%s%02d-%02d", cal, c->birth_month, c->birth_day);
}

static void join_phones(const Aedesk__Contact *c, char *buf, size_t len)
{
	buf[0] = 0;
	if (c->personal_hidden) {
		snprintf(buf, len, "%s", cli_t("（无权查看）", "(not yours to see)"));
		return;
	}
	for (size_t i = 0, used = 0; i < c->n_phones && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c->phones[i]);
}

static void print_contact(const Aedesk__Contact *c)
{
	char bday[64], phones[256], erased[64] = "";
	format_birthday(c, bday, sizeof bday);
	join_phones(c, phones, sizeof phones);
	if (c->erased) {
		cli_format_time(c->erased_ms, erased, sizeof erased);
		size_t n = strlen(erased);
		snprintf(erased + n, sizeof erased - n, " %s", c->erased_by);
	}
	const char *h[] = {cli_t("项目", "FIELD"), cli_t("内容", "VALUE")};
	text_table *t = text_table_new(2, h);
	const char *rows[][2] = {{cli_t("编号", "id"), c->id}, {cli_t("客户", "client"), c->client_id},
	    {cli_t("姓名", "name"), display_name(c)}, {cli_t("职务", "title"), c->title},
	    {cli_t("电话", "phones"), phones}, {cli_t("生日", "birthday"), bday},
	    {cli_t("喜好", "preferences"), c->preferences}, {cli_t("备注", "notes"), c->notes},
	    {cli_t("删除", "erased"), erased}};
	for (size_t i = 0; t && i < sizeof rows / sizeof rows[0]; i++)
		text_table_add(t, rows[i]);
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
}

static int contact_add(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
	    {"title", required_argument, NULL, 't'}, {"phone", required_argument, NULL, 'p'},
	    {"birthday", required_argument, NULL, 'b'}, {"lunar", no_argument, NULL, 'L'},
	    {"leap", no_argument, NULL, 'E'}, {"preferences", required_argument, NULL, 'r'},
	    {"notes", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	Aedesk__ContactAddRequest q = AEDESK__CONTACT_ADD_REQUEST__INIT;
	char *phones[5];
	int ch;
	while ((ch = getopt_long(argc, argv, "n:t:p:b:LEr:o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': q.name = optarg; break;
		case 't': q.title = optarg; break;
		case 'b': q.birthday = optarg; break;
		case 'L': q.birth_lunar = 1; break;
		case 'E': q.birth_leap = 1; break;
		case 'r': q.preferences = optarg; break;
		case 'o': q.notes = optarg; break;
		case 'p':
			if (q.n_phones == sizeof phones / sizeof phones[0])
				return cli_usage_error("contact add", "%s", cli_t("电话最多 5 个", "at most 5 phones"));
			phones[q.n_phones++] = optarg;
			break;
		case 'h':
			printf("%s\n", cli_t(CONTACT_USAGE_ZH, CONTACT_USAGE_EN));
			return 0;
		default:
			return cli_usage_error("contact add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	q.phones = phones;
	if (argc - optind != 1)
		return cli_usage_error("contact add", "%s", cli_t("请给出一个客户编号", "give one client id"));
	if (!q.name[0])
		return cli_usage_error("contact add", "%s", cli_t("必须给出 --name", "--name is required"));
	q.client_id = argv[optind];
	Aedesk__ContactReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contact_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->contact->base);
	else
		printf("%s\n", r->contact->id);
	wire_free(&r->base);
	return 0;
}

static int contact_list(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "contact list", CONTACT_USAGE_ZH, CONTACT_USAGE_EN, "请给出一个客户编号", "give one client id", &one_rc))
		return one_rc;
	Aedesk__ContactListRequest q = AEDESK__CONTACT_LIST_REQUEST__INIT;
	q.client_id = argv[1];
	Aedesk__ContactListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contact_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("姓名", "NAME"), cli_t("职务", "TITLE"),
	    cli_t("电话", "PHONES"), cli_t("生日", "BIRTHDAY")};
	text_table *t = text_table_new(5, h);
	for (size_t i = 0; t && i < r->n_contacts; i++) {
		const Aedesk__Contact *c = r->contacts[i];
		char bday[64], phones[256];
		format_birthday(c, bday, sizeof bday);
		join_phones(c, phones, sizeof phones);
		const char *row[] = {c->id, display_name(c), c->title, phones, bday};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

/* contact_one runs show or erase: one contact id, the full record back. */
static int contact_one(int argc, char **argv, int erase)
{
	const char *cmd = erase ? "contact erase" : "contact show";
	int one_rc;
	if (cli_one_id(argc, argv, cmd, CONTACT_USAGE_ZH, CONTACT_USAGE_EN, "请给出一个联系人编号", "give one contact id", &one_rc))
		return one_rc;
	Aedesk__ContactGetRequest g = AEDESK__CONTACT_GET_REQUEST__INIT;
	Aedesk__ContactEraseRequest e = AEDESK__CONTACT_ERASE_REQUEST__INIT;
	g.id = e.id = argv[1];
	Aedesk__ContactReply *r;
	int rc = cli_call("registry", erase ? &e.base : &g.base, &aedesk__contact_reply__descriptor,
	    (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->contact->base);
	else
		print_contact(r->contact);
	wire_free(&r->base);
	return 0;
}

/* contact_export: R-PRIVACY-1's access request; always JSON (it is for handing over). */
static int contact_export(int argc, char **argv)
{
	int one_rc;
	if (cli_one_id(argc, argv, "contact export", CONTACT_USAGE_ZH, CONTACT_USAGE_EN, "请给出一个联系人编号",
		"give one contact id", &one_rc))
		return one_rc;
	Aedesk__ContactExportRequest q = AEDESK__CONTACT_EXPORT_REQUEST__INIT;
	q.id = argv[1];
	Aedesk__ContactExportReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__contact_export_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	cli_print_json(&r->base);
	wire_free(&r->base);
	return 0;
}

static int contact_show(int argc, char **argv) { return contact_one(argc, argv, 0); }
static int contact_erase(int argc, char **argv) { return contact_one(argc, argv, 1); }

static int cmd_contact(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"add", contact_add}, {"list", contact_list}, {"show", contact_show}, {"erase", contact_erase},
	    {"export", contact_export}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n", cli_t(CONTACT_USAGE_ZH, CONTACT_USAGE_EN));
	return f == stdout ? 0 : EXIT_USAGE;
}
