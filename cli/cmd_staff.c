/*
 * NAME
 *	cmd_staff.c - login, logout, passwd and the staff commands
 *
 * SYNOPSIS
 *	aedesk login ID [--password-stdin]
 *	aedesk logout
 *	aedesk passwd [--password-stdin]
 *	aedesk staff add ID --name NAME --role ROLE[,ROLE] [--manager ID] [--password-stdin]
 *	aedesk staff list
 *	aedesk staff passwd ID [--password-stdin]
 *
 * SECURITY
 *	Passwords are read without echo from the terminal, or from standard input with
 *	--password-stdin; never from the command line, where ps would show them.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "registry.pb-c.h"
#include "text.h"
#include "wire.h"

CLI_COMMAND("login", cmd_login, 1, "登录：aedesk login 员工编号 [--password-stdin]",
    "log in: aedesk login STAFF-ID [--password-stdin]")
CLI_COMMAND("logout", cmd_logout, 2, "退出登录 [--everywhere：所有设备]", "log out [--everywhere: on every device]")
CLI_COMMAND("passwd", cmd_passwd, 3, "修改自己的密码 [--password-stdin：先读当前密码，再读新密码]",
    "change your own password [--password-stdin: current, then new, one per line]")
CLI_COMMAND("staff", cmd_staff, 4, "员工：add | list | passwd | disable | enable（aedesk staff --help）",
    "staff: add | list | passwd | disable | enable (aedesk staff --help)")

static const struct option pw_opts[] = {{"password-stdin", no_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

/* parse_pw_only parses commands whose only option is --password-stdin; -1 after help. */
static int parse_pw_only(int argc, char **argv, const char *help, int *from_stdin, int *rc)
{
	int ch;
	*from_stdin = 0;
	while ((ch = getopt_long(argc, argv, "ph", pw_opts, NULL)) != -1) {
		if (ch == 'p')
			*from_stdin = 1;
		else if (ch == 'h') {
			printf("%s\n", help);
			*rc = 0;
			return -1;
		} else {
			*rc = cli_usage_error(argv[0], "%s", cli_t("未知选项", "unknown option"));
			return -1;
		}
	}
	return 0;
}

static int cmd_login(int argc, char **argv)
{
	int from_stdin, rc;
	if (parse_pw_only(argc, argv,
		cli_t("用法：aedesk login 员工编号 [--password-stdin]\n登录凭证保存在 $AEDESK_TOKEN_FILE，默认 ~/.config/aedesk/token（权限 0600）。",
		    "usage: aedesk login STAFF-ID [--password-stdin]\nThe token is kept in $AEDESK_TOKEN_FILE, by default ~/.config/aedesk/token (mode 0600)."),
		&from_stdin, &rc))
		return rc;
	if (optind != argc - 1)
		return cli_usage_error("login", "%s", cli_t("请给出一个员工编号", "give one staff id"));
	char pw[256];
	if (cli_read_password(cli_t("密码：", "Password: "), from_stdin, pw, sizeof pw) != 0)
		return EXIT_USAGE;
	Aedesk__LoginRequest q = AEDESK__LOGIN_REQUEST__INIT;
	q.staff_id = argv[optind];
	q.password = pw;
	Aedesk__LoginReply *r;
	rc = cli_call_notoken("registry", &q.base, &aedesk__login_reply__descriptor, (ProtobufCMessage **)&r);
	sodium_memzero(pw, sizeof pw);
	if (rc)
		return rc;
	if (cli_token_save(r->token.data, r->token.len) != 0) {
		char path[1024] = "?";
		cli_token_path(path, sizeof path);
		fprintf(stderr, "aedesk: %s %s\n", cli_t("无法保存登录凭证到", "cannot save the token to"), path);
		wire_free(&r->base);
		return EXIT_REFUSED;
	}
	if (cli.json)
		cli_print_json(&r->staff->base);
	else {
		char when[32];
		cli_format_time(r->expires_ms, when, sizeof when);
		printf(cli_t("已登录：%s（%s），有效期至 %s\n", "logged in as %s (%s) until %s\n"), r->staff->id,
		    r->staff->name, when);
	}
	wire_free(&r->base);
	return 0;
}

static int cmd_logout(int argc, char **argv)
{
	int everywhere = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--everywhere") == 0)
			everywhere = 1;
		else if (strcmp(argv[i], "--help") == 0) {
			printf("%s\n", cli_t("用法：aedesk logout [--everywhere]\n--everywhere：让您在所有设备上的登录立即失效（各服务在一个心跳周期内拒绝旧凭证）。",
					    "usage: aedesk logout [--everywhere]\n--everywhere: end your login on every device (every service refuses the old tokens within one heartbeat)."));
			return 0;
		} else
			return cli_usage_error("logout", "%s '%s'", cli_t("未知参数", "unknown argument"), argv[i]);
	}
	if (everywhere) {
		Aedesk__LogoutEverywhereRequest q = AEDESK__LOGOUT_EVERYWHERE_REQUEST__INIT;
		ProtobufCMessage *r;
		int rc = cli_call("registry", &q.base, &aedesk__logout_everywhere_reply__descriptor, &r);
		if (rc)
			return rc;
		wire_free(r);
	}
	char path[1024];
	if (cli_token_path(path, sizeof path) == 0)
		unlink(path);
	printf("%s\n", everywhere ? cli_t("已在所有设备退出登录", "logged out everywhere") : cli_t("已退出登录", "logged out"));
	return 0;
}

/* set_password asks the registry to set staff_id's password ("" = one's own). */
static int set_password(const char *staff_id, int from_stdin)
{
	char old[256] = "", pw[256], again[256];
	int own = !staff_id[0];
	if (own && cli_read_password(cli_t("当前密码：", "Current password: "), from_stdin, old, sizeof old) != 0)
		return EXIT_USAGE;
	if (cli_read_password(cli_t("新密码：", "New password: "), from_stdin, pw, sizeof pw) != 0)
		return EXIT_USAGE;
	if (!from_stdin) {
		if (cli_read_password(cli_t("再输入一次：", "Again: "), 0, again, sizeof again) != 0)
			return EXIT_USAGE;
		if (strcmp(pw, again) != 0) {
			fprintf(stderr, "aedesk: %s\n", cli_t("两次输入的密码不一致", "the two passwords differ"));
			return EXIT_USAGE;
		}
	}
	Aedesk__SetPasswordRequest q = AEDESK__SET_PASSWORD_REQUEST__INIT;
	q.staff_id = (char *)staff_id;
	q.old_password = old;
	q.new_password = pw;
	ProtobufCMessage *r;
	int rc = cli_call("registry", &q.base, &aedesk__set_password_reply__descriptor, &r);
	sodium_memzero(old, sizeof old);
	sodium_memzero(pw, sizeof pw);
	if (rc)
		return rc;
	wire_free(r);
	printf("%s\n", staff_id[0] ? cli_t("密码已更改，其原有登录已全部失效", "password changed; their logins have ended")
				    : cli_t("密码已更改；请用新密码重新登录（aedesk login）", "password changed; log in again with it (aedesk login)"));
	return 0;
}

static int cmd_passwd(int argc, char **argv)
{
	int from_stdin, rc;
	if (parse_pw_only(argc, argv,
		cli_t("用法：aedesk passwd [--password-stdin]\n用 --password-stdin 时依次读入当前密码和新密码，每行一个。",
		    "usage: aedesk passwd [--password-stdin]\nWith --password-stdin, reads the current and the new password, one per line."),
		&from_stdin, &rc))
		return rc;
	return set_password("", from_stdin);
}

static int staff_add(int argc, char **argv)
{
	static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
	    {"role", required_argument, NULL, 'r'}, {"manager", required_argument, NULL, 'm'},
	    {"password-stdin", no_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	Aedesk__StaffAddRequest q = AEDESK__STAFF_ADD_REQUEST__INIT;
	char *roles[8], rolebuf[256] = "", pw[256] = "";
	int ch, from_stdin = 0;
	while ((ch = getopt_long(argc, argv, "n:r:m:ph", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			q.name = optarg;
			break;
		case 'r':
			snprintf(rolebuf, sizeof rolebuf, "%s", optarg);
			break;
		case 'm':
			q.manager = optarg;
			break;
		case 'p':
			from_stdin = 1;
			break;
		case 'h':
			printf("%s\n", cli_t("用法：aedesk staff add 员工编号 --name 姓名 --role 角色[,角色] [--manager 上级编号] [--password-stdin]\n"
					    "角色：ae（客户主任）am（客户经理）ad（客户总监）cd（创意总监）production（制作部）finance（财务部）admin（系统管理员）\n仅系统管理员可用。",
				    "usage: aedesk staff add ID --name NAME --role ROLE[,ROLE] [--manager ID] [--password-stdin]\n"
				    "roles: ae, am, ad, cd, production, finance, admin. Admin only."));
			return 0;
		default:
			return cli_usage_error("staff add", "%s", cli_t("未知选项", "unknown option"));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("staff add", "%s", cli_t("请给出一个员工编号", "give one staff id"));
	q.id = argv[optind];
	if (!rolebuf[0])
		return cli_usage_error("staff add", "%s", cli_t("必须给出 --role", "--role is required"));
	size_t n = 0;
	for (char *save, *t = strtok_r(rolebuf, ",", &save); t && n < 8; t = strtok_r(NULL, ",", &save))
		roles[n++] = t;
	q.roles = roles;
	q.n_roles = n;
	if (from_stdin && cli_read_password("", 1, pw, sizeof pw) != 0)
		return EXIT_USAGE;
	q.password = pw;
	Aedesk__StaffReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__staff_reply__descriptor, (ProtobufCMessage **)&r);
	sodium_memzero(pw, sizeof pw);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->staff->base);
	else
		printf("%s\n", r->staff->id);
	wire_free(&r->base);
	return 0;
}

static int staff_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	Aedesk__StaffListRequest q = AEDESK__STAFF_LIST_REQUEST__INIT;
	Aedesk__StaffListReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__staff_list_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json) {
		cli_print_json(&r->base);
		wire_free(&r->base);
		return 0;
	}
	const char *h[] = {cli_t("编号", "ID"), cli_t("姓名", "NAME"), cli_t("角色", "ROLES"),
	    cli_t("上级", "MANAGER"), cli_t("状态", "STATE")};
	text_table *t = text_table_new(5, h);
	for (size_t i = 0; t && i < r->n_staff; i++) {
		char roles[128] = "";
		for (size_t j = 0; j < r->staff[i]->n_roles; j++) {
			if (j)
				strncat(roles, ",", sizeof roles - strlen(roles) - 1);
			strncat(roles, r->staff[i]->roles[j], sizeof roles - strlen(roles) - 1);
		}
		const char *row[] = {r->staff[i]->id, r->staff[i]->name, roles, r->staff[i]->manager,
		    r->staff[i]->disabled ? cli_t("停用", "disabled") : cli_t("在职", "active")};
		text_table_add(t, row);
	}
	if (t)
		text_table_print(t, stdout);
	text_table_free(t);
	wire_free(&r->base);
	return 0;
}

static int staff_passwd(int argc, char **argv)
{
	int from_stdin, rc;
	if (parse_pw_only(argc, argv,
		cli_t("用法：aedesk staff passwd 员工编号 [--password-stdin]（仅系统管理员）",
		    "usage: aedesk staff passwd ID [--password-stdin] (admin only)"),
		&from_stdin, &rc))
		return rc;
	if (optind != argc - 1)
		return cli_usage_error("staff passwd", "%s", cli_t("请给出一个员工编号", "give one staff id"));
	return set_password(argv[optind], from_stdin);
}

/* staff_set_disabled: admin disables (ending every login at once) or enables an account. */
static int staff_set_disabled(int argc, char **argv, int disabled)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error(argv[0], "%s", cli_t("请给出一个员工编号", "give one staff id"));
	Aedesk__StaffDisableRequest q = AEDESK__STAFF_DISABLE_REQUEST__INIT;
	q.staff_id = argv[1];
	q.disabled = disabled;
	Aedesk__StaffReply *r;
	int rc = cli_call("registry", &q.base, &aedesk__staff_reply__descriptor, (ProtobufCMessage **)&r);
	if (rc)
		return rc;
	if (cli.json)
		cli_print_json(&r->staff->base);
	else
		printf(disabled ? cli_t("已停用 %s，其登录已全部失效\n", "%s disabled; every login of theirs has ended\n")
				: cli_t("已启用 %s\n", "%s enabled\n"),
		    r->staff->id);
	wire_free(&r->base);
	return 0;
}

static int staff_disable(int argc, char **argv) { return staff_set_disabled(argc, argv, 1); }
static int staff_enable(int argc, char **argv) { return staff_set_disabled(argc, argv, 0); }

static int cmd_staff(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} sub[] = {{"add", staff_add}, {"list", staff_list}, {"passwd", staff_passwd},
	    {"disable", staff_disable}, {"enable", staff_enable}};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++)
			if (strcmp(argv[1], sub[i].name) == 0)
				return sub[i].fn(argc - 1, argv + 1);
	FILE *f = argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr;
	fprintf(f, "%s\n",
	    cli_t("用法：\n  aedesk staff add 员工编号 --name 姓名 --role 角色[,角色] [--manager 上级] [--password-stdin]\n"
		  "  aedesk staff list\n  aedesk staff passwd 员工编号 [--password-stdin]\n"
		  "  aedesk staff disable 员工编号   （停用并立即结束其全部登录）\n  aedesk staff enable 员工编号",
		"usage:\n  aedesk staff add ID --name NAME --role ROLE[,ROLE] [--manager ID] [--password-stdin]\n"
		"  aedesk staff list\n  aedesk staff passwd ID [--password-stdin]\n"
		"  aedesk staff disable ID   (and end every login of theirs at once)\n  aedesk staff enable ID"));
	return f == stdout ? 0 : EXIT_USAGE;
}
