/*
 * NAME
 *	cmd_admin.c - aedesk admin backup DIR | restore DIR: the stores, hot copied
 *
 * SYNOPSIS
 *	aedesk admin backup DIR
 *	aedesk admin restore DIR [--force]
 *
 * DESCRIPTION
 *	backup opens each service's LMDB env (<data_dir>/<service>/) itself, read-only, a
 *	second process beside the running service as LMDB allows, and copies it with
 *	mdb_env_copy2(MDB_CP_COMPACT): one read transaction, so each copy is a consistent
 *	snapshot taken while the services keep writing. Stores are copied consumers
 *	first, sources after (from each store's _cursor table), so that no consumer's
 *	copy has applied an event its source's copy lacks; after a restore the consumers
 *	replay what they miss. DIR/MANIFEST lists each store's last outbox seq and its
 *	cursors, read from the copies themselves.
 *
 *	restore puts the copies back into <data_dir> of a stopped installation (it
 *	refuses while any service answers, and over existing stores without --force).
 *
 * SECURITY
 *	Run as the service user (or root): the copies hold all the agency's data and are
 *	written mode 0600 in a directory of mode 0700.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "envelope.pb-c.h"
#include "store.h"
#include "wire.h"

#ifndef AEDESK_SERVICE_LIST
#define AEDESK_SERVICE_LIST "registry"
#endif

CLI_COMMAND("admin", cmd_admin, 85, "管理员：备份与恢复、轮换令牌密钥（admin backup DIR / restore DIR / rotate-key）",
    "admin: backup DIR, restore DIR, rotate-key")

/* cmd_rotate_key.c */
int cli_admin_rotate_key(int argc, char **argv);

#define MAX_STORES 32

struct st {
	char name[32];
	char sources[8][32];
	int nsrc, done;
	uint64_t seq;
};

/* env_open opens an env read-only; flags add MDB_NOLOCK for a copy nobody else uses. */
/* pathf builds a path; one too long for its buffer stops the command with a message. */
__attribute__((format(printf, 3, 4))) static void pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "aedesk: %s\n", cli_t("路径过长", "path too long"));
		exit(EXIT_USAGE);
	}
}

static int env_open(const char *dir, unsigned flags, MDB_env **env)
{
	int rc = mdb_env_create(env);
	if (rc)
		return rc;
	mdb_env_set_maxdbs(*env, 64);
	if ((rc = mdb_env_open(*env, dir, MDB_RDONLY | MDB_NOTLS | flags, 0600)) != 0) {
		mdb_env_close(*env);
		*env = NULL;
	}
	return rc;
}

/* read_store fills seq and sources from an env's _meta and _cursor tables. */
static int read_store(MDB_env *env, struct st *s, FILE *manifest)
{
	MDB_txn *txn;
	MDB_dbi meta, cur;
	int rc;
	for (int i = 0; (rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) == MDB_MAP_RESIZED && i < 8; i++)
		mdb_env_set_mapsize(env, 0); /* the service grew its map */
	if (rc)
		return rc;
	s->seq = 0;
	s->nsrc = 0;
	if (mdb_dbi_open(txn, "_meta", 0, &meta) == 0)
		s->seq = store_get_u64(txn, meta, "seq", 0);
	if (manifest)
		fprintf(manifest, "store %s seq %" PRIu64 "\n", s->name, s->seq);
	MDB_cursor *c;
	if (mdb_dbi_open(txn, "_cursor", 0, &cur) == 0 && mdb_cursor_open(txn, cur, &c) == 0) {
		MDB_val k, v;
		while (mdb_cursor_get(c, &k, &v, s->nsrc ? MDB_NEXT : MDB_FIRST) == 0 && s->nsrc < 8) {
			snprintf(s->sources[s->nsrc], sizeof s->sources[0], "%.*s", (int)k.mv_size, (char *)k.mv_data);
			if (manifest && v.mv_size == 8)
				fprintf(manifest, "cursor %s %s %" PRIu64 "\n", s->name, s->sources[s->nsrc],
				    store_from_be64(v.mv_data));
			s->nsrc++;
		}
		mdb_cursor_close(c);
	}
	mdb_txn_abort(txn);
	return 0;
}

/* next_store: one not yet copied that no other uncopied store consumes (or any, in a cycle). */
static struct st *next_store(struct st *s, int n)
{
	struct st *any = NULL;
	for (int i = 0; i < n; i++) {
		if (s[i].done)
			continue;
		any = any ? any : &s[i];
		int consumed = 0;
		for (int j = 0; j < n && !consumed; j++)
			for (int k = 0; j != i && !s[j].done && k < s[j].nsrc; k++)
				consumed |= strcmp(s[j].sources[k], s[i].name) == 0;
		if (!consumed)
			return &s[i];
	}
	return any;
}

static int backup(const char *dir)
{
	const char *data = conf_get(cli.conf, "data_dir", "/var/lib/aedesk");
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "aedesk: %s %s: %s\n", cli_t("无法创建目录", "cannot create"), dir, strerror(errno));
		return EXIT_REFUSED;
	}
	char path[1200], list[1024];
	pathf(path, sizeof path, "%s/MANIFEST", dir);
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "aedesk: %s %s\n", cli_t("目录中已有备份：", "a backup is there already:"), dir);
		return EXIT_REFUSED;
	}
	struct st s[MAX_STORES];
	int n = 0;
	snprintf(list, sizeof list, "%s", conf_get(cli.conf, "services", AEDESK_SERVICE_LIST));
	for (char *save, *name = strtok_r(list, ", ", &save); name && n < MAX_STORES; name = strtok_r(NULL, ", ", &save)) {
		MDB_env *env;
		pathf(path, sizeof path, "%s/%s", data, name);
		memset(&s[n], 0, sizeof s[n]);
		snprintf(s[n].name, sizeof s[n].name, "%s", name);
		if (env_open(path, 0, &env) != 0)
			continue; /* a service with no store yet */
		read_store(env, &s[n], NULL);
		mdb_env_close(env);
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "aedesk: %s %s\n", cli_t("没有可备份的存储：", "no store to back up in"), data);
		return EXIT_REFUSED;
	}
	for (struct st *x; (x = next_store(s, n)) != NULL; x->done = 1) {
		MDB_env *env = NULL;
		char out[1200];
		pathf(path, sizeof path, "%s/%s", data, x->name);
		snprintf(out, sizeof out, "%s/%s", dir, x->name);
		int rc = mkdir(out, 0700) == 0 || errno == EEXIST ? env_open(path, 0, &env) : errno;
		for (int i = 0; rc == 0 && i < 8; i++) {
			rc = mdb_env_copy2(env, out, MDB_CP_COMPACT);
			if (rc != MDB_MAP_RESIZED)
				break;
			mdb_env_set_mapsize(env, 0);
			char partial[1300];
			snprintf(partial, sizeof partial, "%s/data.mdb", out);
			unlink(partial);
		}
		if (env)
			mdb_env_close(env);
		if (rc) {
			fprintf(stderr, "aedesk: %s %s: %s\n", cli_t("备份失败", "backup failed for"), x->name, mdb_strerror(rc));
			return EXIT_REFUSED;
		}
	}
	/* The manifest, from the copies: exactly what a restore brings back. */
	pathf(path, sizeof path, "%s/MANIFEST.tmp", dir);
	FILE *m = fopen(path, "w");
	if (!m)
		return EXIT_REFUSED;
	fprintf(m, "# aedesk backup; restore with: aedesk admin restore DIR\nformat 1\ntime_ms %lld\n",
	    (long long)wire_now_ms());
	int bad = 0;
	for (int i = 0; i < n; i++) {
		MDB_env *env = NULL;
		pathf(path, sizeof path, "%s/%s", dir, s[i].name);
		if (env_open(path, MDB_NOLOCK, &env) != 0 || read_store(env, &s[i], m) != 0) {
			fprintf(stderr, "aedesk: %s %s\n", cli_t("备份副本无法读取：", "the copy does not open:"), path);
			bad = 1;
		}
		if (env)
			mdb_env_close(env);
	}
	fflush(m);
	fsync(fileno(m));
	fclose(m);
	char fin[1200];
	pathf(path, sizeof path, "%s/MANIFEST.tmp", dir);
	snprintf(fin, sizeof fin, "%s/MANIFEST", dir);
	if (bad || rename(path, fin) != 0)
		return EXIT_REFUSED;
	for (int i = 0; i < n; i++)
		printf("%s\t%s %" PRIu64 "\n", s[i].name, cli_t("事件序号", "seq"), s[i].seq);
	return 0;
}

/* copy_file copies src to dst.tmp, syncs it and renames it over dst. */
static int copy_file(const char *src, const char *dst)
{
	char tmp[1300];
	snprintf(tmp, sizeof tmp, "%s.tmp", dst);
	int in = open(src, O_RDONLY), out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600), rc = 0;
	char buf[65536];
	ssize_t r;
	while (in >= 0 && out >= 0 && (r = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)r) != r) {
			rc = -1;
			break;
		}
	if (in < 0 || out < 0 || fsync(out) != 0)
		rc = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc == 0 ? rename(tmp, dst) : -1;
}

static int restore(const char *dir, int force)
{
	const char *data = conf_get(cli.conf, "data_dir", "/var/lib/aedesk");
	char path[1200], line[256], name[64];
	pathf(path, sizeof path, "%s/MANIFEST", dir);
	FILE *m = fopen(path, "r");
	if (!m) {
		fprintf(stderr, "aedesk: %s %s\n", cli_t("不是完整的备份（缺少 MANIFEST）：", "not a complete backup (no MANIFEST):"), dir);
		return EXIT_REFUSED;
	}
	char names[MAX_STORES][64];
	int n = 0;
	unsigned long long seq;
	while (fgets(line, sizeof line, m))
		if (sscanf(line, "store %63s seq %llu", name, &seq) == 2 && n < MAX_STORES)
			snprintf(names[n++], sizeof names[0], "%s", name);
	fclose(m);
	for (int i = 0; i < n; i++) { /* a stopped installation only */
		char url[512], err[512];
		if (conf_endpoint(cli.conf, names[i], "rep", url, sizeof url) != 0)
			continue;
		aeclient *c = aeclient_open(url, 1000, err, sizeof err);
		if (c) {
			aeclient_close(c);
			fprintf(stderr, "aedesk: %s aedesk-%s\n", cli_t("请先停止服务：", "stop the services first:"), names[i]);
			return EXIT_REFUSED;
		}
		pathf(path, sizeof path, "%s/%s/data.mdb", data, names[i]);
		if (!force && access(path, F_OK) == 0) {
			fprintf(stderr, "aedesk: %s %s (--force)\n",
			    cli_t("已有数据，不覆盖：", "a store is there already, not overwritten:"), path);
			return EXIT_REFUSED;
		}
	}
	mkdir(data, 0700);
	for (int i = 0; i < n; i++) {
		char src[1200], dst[1200];
		pathf(dst, sizeof dst, "%s/%s", data, names[i]);
		mkdir(dst, 0700);
		pathf(src, sizeof src, "%s/%s/data.mdb", dir, names[i]);
		pathf(dst, sizeof dst, "%s/%s/data.mdb", data, names[i]);
		if (copy_file(src, dst) != 0) {
			fprintf(stderr, "aedesk: %s %s: %s\n", cli_t("恢复失败", "restore failed for"), names[i], strerror(errno));
			return EXIT_REFUSED;
		}
		pathf(dst, sizeof dst, "%s/%s/lock.mdb", data, names[i]);
		unlink(dst); /* readers of the old store are gone with it */
		printf("%s\t%s\n", names[i], cli_t("已恢复", "restored"));
	}
	return 0;
}

int cli_admin_permissions(int argc, char **argv); /* cmd_permissions.c */

static int cmd_admin(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "permissions") == 0)
		return cli_admin_permissions(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		printf("%s\n", cli_t("用法：aedesk admin backup DIR      服务运行时热备份全部存储（含 MANIFEST）\n"
				     "      aedesk admin restore DIR [--force]  恢复到已停止的安装\n"
				     "      aedesk admin permissions [--markdown]  权限表（角色 × 操作 → 范围）\n"
				     "      aedesk admin rotate-key [--grace 秒]  轮换令牌签名密钥（不会让任何人掉线）",
				   "usage: aedesk admin backup DIR      hot copy of every store while services run (with a MANIFEST)\n"
				   "       aedesk admin restore DIR [--force]  bring a stopped installation back\n"
				   "       aedesk admin permissions [--markdown]  the permission table (role x action -> scope)\n"
				   "       aedesk admin rotate-key [--grace SECONDS]  new token signing key (nobody is logged out)"));
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (strcmp(argv[1], "rotate-key") == 0)
		return cli_admin_rotate_key(argc - 1, argv + 1);
	if (strcmp(argv[1], "backup") == 0 && argc == 3)
		return backup(argv[2]);
	if (strcmp(argv[1], "restore") == 0 && (argc == 3 || (argc == 4 && strcmp(argv[3], "--force") == 0)))
		return restore(argv[2], argc == 4);
	return cli_usage_error("admin", "%s", cli_t("用法：admin backup DIR | admin restore DIR [--force]",
						   "usage: admin backup DIR | admin restore DIR [--force]"));
}
