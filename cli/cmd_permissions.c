/*
 * NAME
 *	cmd_permissions.c - aedesk admin permissions: the permission table, printed
 *
 * SYNOPSIS
 *	aedesk admin permissions [--markdown] [--json]
 *
 * DESCRIPTION
 *	Prints common/perm.c's table (role x action -> scope) as every service enforces
 *	it: an aligned table, a Markdown table (docs/SECURITY.md is this output), or JSON.
 *	Needs no login and no running service: it is the code's own table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "perm.h"

int cli_admin_permissions(int argc, char **argv);

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

int cli_admin_permissions(int argc, char **argv)
{
	int markdown = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--markdown") == 0)
			markdown = 1;
		else if (strcmp(argv[i], "--json") == 0)
			cli.json = 1;
		else {
			FILE *f = strcmp(argv[i], "--help") == 0 ? stdout : stderr;
			fprintf(f, "%s\n", cli_t("用法：aedesk admin permissions [--markdown] [--json]\n"
						 "列出权限表：每个操作对每个角色的范围（本人 = 自己负责的，本团队 = 自己和下属负责的，全部，- = 不可）。\n"
						 "各服务的每个请求都按此表检查；超出范围的单条读取答“不存在”（NOT_FOUND），其余答 PERMISSION_DENIED。",
					   "usage: aedesk admin permissions [--markdown] [--json]\n"
					   "Lists the permission table: each action's scope for each role (own = the caller's own, team =\n"
					   "theirs and their reports', all, - = not allowed). Every request of every service is checked\n"
					   "against it; a single read out of scope is answered NOT_FOUND, everything else PERMISSION_DENIED."));
			return f == stdout ? 0 : EXIT_USAGE;
		}
	}
	if (!cli.json) {
		perm_print(stdout, cli.lang, markdown);
		return 0;
	}
	static const char *roles[PERM_NROLES] = {"ae", "am", "ad", "cd", "production", "finance", "admin"};
	static const char *scopes[] = {"none", "own", "team", "all"};
	printf("[\n");
	for (int a = 0; a < PERM__COUNT; a++) {
		const struct perm_action_info *p = perm_info((enum perm_action)a);
		printf("  {\"action\": ");
		json_str(p->name);
		printf(", \"zh\": ");
		json_str(p->zh);
		printf(", \"en\": ");
		json_str(p->en);
		printf(", \"rule\": ");
		json_str(p->rule ? p->rule : "");
		printf(", \"out_of_scope\": \"%s\", \"scope\": {", p->hidden ? "NOT_FOUND" : "PERMISSION_DENIED");
		for (int i = 0; i < PERM_NROLES; i++)
			printf("%s\"%s\": \"%s\"", i ? ", " : "", roles[i], scopes[p->scope[i]]);
		printf("}}%s\n", a + 1 < PERM__COUNT ? "," : "");
	}
	printf("]\n");
	return 0;
}
