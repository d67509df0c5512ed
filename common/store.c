/*
 * NAME
 *	store.c - LMDB environment, growth and small helpers
 *
 * DESCRIPTION
 *	See store.h. The map starts at the config's map_mb (64 MiB) and doubles when full.
 *
 * SECURITY
 *	The data directory is created 0700 and files 0600: client data is confidential.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "wire.h"

#define STORE_MAX_DBS 64
#define STORE_INITIAL_MAP (64ull << 20)

struct store {
	MDB_env *env;
	char dir[1024];
	pthread_rwlock_t resize;
	size_t mapsize;
};

/* mkdir_p creates dir and its parents with mode. */
static int mkdir_p(const char *dir, mode_t mode)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, mode) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(tmp, mode) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int store_open(store **out, const char *dir, const store_table *tables, size_t initial_map,
    char *err, size_t errlen)
{
	store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return ENOMEM;
	}
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	pthread_rwlock_init(&s->resize, NULL);
	int rc;
	if (mkdir_p(dir, 0700) != 0) {
		rc = errno;
		snprintf(err, errlen, "%s: cannot create the data directory: %s", dir, strerror(rc));
		goto fail;
	}
	if ((rc = mdb_env_create(&s->env)) != 0)
		goto lmdb_fail;
	mdb_env_set_maxdbs(s->env, STORE_MAX_DBS);
	mdb_env_set_maxreaders(s->env, 126);
	if ((rc = mdb_env_open(s->env, dir, MDB_NOTLS | MDB_NOMETASYNC, 0600)) != 0)
		goto lmdb_fail;
	/* The map is at least what the file already holds, at least the initial size. */
	MDB_envinfo info;
	mdb_env_info(s->env, &info);
	size_t want = initial_map ? initial_map : STORE_INITIAL_MAP;
	s->mapsize = info.me_mapsize > want ? info.me_mapsize : want;
	if ((rc = mdb_env_set_mapsize(s->env, s->mapsize)) != 0)
		goto lmdb_fail;
	int dead = 0;
	mdb_reader_check(s->env, &dead);
	if (dead)
		log_warn("%s: cleared %d stale reader slot(s) left by a killed process", dir, dead);
	MDB_txn *txn;
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0)
		goto lmdb_fail;
	for (const store_table *t = tables; t && t->name; t++)
		if ((rc = mdb_dbi_open(txn, t->name, MDB_CREATE, t->dbi)) != 0) {
			mdb_txn_abort(txn);
			snprintf(err, errlen, "%s: cannot open table %s: %s", dir, t->name, mdb_strerror(rc));
			goto fail;
		}
	if ((rc = mdb_txn_commit(txn)) != 0 || (rc = mdb_env_sync(s->env, 1)) != 0)
		goto lmdb_fail;
	*out = s;
	return 0;
lmdb_fail:
	snprintf(err, errlen, "%s: cannot open the store: %s", dir, mdb_strerror(rc));
fail:
	if (s->env)
		mdb_env_close(s->env);
	pthread_rwlock_destroy(&s->resize);
	free(s);
	return rc ? rc : EIO;
}

void store_close(store *s)
{
	if (!s)
		return;
	mdb_env_close(s->env);
	pthread_rwlock_destroy(&s->resize);
	free(s);
}

MDB_env *store_env(store *s) { return s->env; }
const char *store_dir(store *s) { return s->dir; }

int store_write_begin(store *s, MDB_txn **txn) { return mdb_txn_begin(s->env, NULL, 0, txn); }

int store_commit(store *s, MDB_txn *txn)
{
	size_t id = mdb_txn_id(txn);
	int rc = mdb_txn_commit(txn); /* on error LMDB has already freed txn */
	MDB_envinfo info;
	if (rc == 0 && mdb_env_info(s->env, &info) == 0 && info.me_last_txnid != id)
		return 0; /* it changed nothing: LMDB wrote nothing, nothing to sync */
	if (rc == 0 && (rc = mdb_env_sync(s->env, 1)) != 0)
		log_error("%s: committed but not synced: %s", s->dir, mdb_strerror(rc));
	return rc;
}

int store_commit_lazy(store *s, MDB_txn *txn)
{
	(void)s;
	return mdb_txn_commit(txn);
}

int store_sync(store *s) { return mdb_env_sync(s->env, 1); }

int store_read_begin(store *s, MDB_txn **txn)
{
	pthread_rwlock_rdlock(&s->resize);
	int rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn);
	if (rc)
		pthread_rwlock_unlock(&s->resize);
	return rc;
}

void store_read_end(store *s, MDB_txn *txn)
{
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&s->resize);
}

int store_grow(store *s)
{
	pthread_rwlock_wrlock(&s->resize);
	size_t next = s->mapsize * 2;
	int rc = mdb_env_set_mapsize(s->env, next);
	if (rc == 0) {
		log_info("%s: map grown from %zu to %zu MiB", s->dir, s->mapsize >> 20, next >> 20);
		s->mapsize = next;
	} else
		log_error("%s: cannot grow the map to %zu MiB: %s", s->dir, next >> 20, mdb_strerror(rc));
	pthread_rwlock_unlock(&s->resize);
	return rc;
}

int store_reader_check(store *s, int *dead) { return mdb_reader_check(s->env, dead); }

void store_usage(store *s, uint64_t *used, uint64_t *map)
{
	MDB_envinfo info;
	MDB_stat st;
	mdb_env_info(s->env, &info);
	mdb_env_stat(s->env, &st);
	*used = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
	*map = info.me_mapsize;
}

void store_be64(uint8_t out[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

uint64_t store_from_be64(const uint8_t in[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | in[i];
	return v;
}

uint64_t store_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t dflt)
{
	MDB_val k = {strlen(key), (void *)key}, v;
	if (mdb_get(txn, dbi, &k, &v) != 0 || v.mv_size != 8)
		return dflt;
	return store_from_be64(v.mv_data);
}

int store_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t x)
{
	uint8_t b[8];
	store_be64(b, x);
	MDB_val k = {strlen(key), (void *)key}, v = {8, b};
	return mdb_put(txn, dbi, &k, &v, 0);
}

int store_put_msg(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
    const ProtobufCMessage *m, unsigned flags)
{
	MDB_val k = {klen, (void *)key}, v;
	v.mv_size = protobuf_c_message_get_packed_size(m);
	int rc = mdb_put(txn, dbi, &k, &v, flags | MDB_RESERVE);
	if (rc == 0)
		protobuf_c_message_pack(m, v.mv_data);
	return rc;
}

int store_get_msg(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
    const ProtobufCMessageDescriptor *d, ProtobufCMessage **out)
{
	MDB_val k = {klen, (void *)key}, v;
	int rc = mdb_get(txn, dbi, &k, &v);
	if (rc)
		return rc;
	const char *why;
	*out = wire_unpack(d, v.mv_data, v.mv_size, &why);
	return *out ? 0 : EINVAL;
}

int store_exists(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen)
{
	MDB_val k = {klen, (void *)key}, v;
	return mdb_get(txn, dbi, &k, &v) == 0;
}

/* walk_all reads every record of every table; returns 0 or an LMDB error. */
static int walk_all(MDB_env *env, uint64_t *records)
{
	MDB_txn *txn;
	MDB_dbi main_dbi;
	MDB_cursor *mc;
	int rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return rc;
	if ((rc = mdb_dbi_open(txn, NULL, 0, &main_dbi)) != 0 || (rc = mdb_cursor_open(txn, main_dbi, &mc)) != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	MDB_val k, v;
	volatile uint8_t sink = 0;
	while ((rc = mdb_cursor_get(mc, &k, &v, MDB_NEXT_NODUP)) == 0) {
		char name[512];
		if (k.mv_size >= sizeof name)
			continue;
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = 0;
		MDB_dbi dbi;
		MDB_cursor *c;
		if (mdb_dbi_open(txn, name, 0, &dbi) != 0)
			continue; /* a plain key in the main table, not a table */
		if ((rc = mdb_cursor_open(txn, dbi, &c)) != 0)
			break;
		MDB_val rk, rv;
		while ((rc = mdb_cursor_get(c, &rk, &rv, MDB_NEXT)) == 0) {
			for (size_t i = 0; i < rk.mv_size; i++)
				sink ^= ((const uint8_t *)rk.mv_data)[i];
			for (size_t i = 0; i < rv.mv_size; i++)
				sink ^= ((const uint8_t *)rv.mv_data)[i];
			(*records)++;
		}
		mdb_cursor_close(c);
		if (rc != MDB_NOTFOUND)
			break;
		rc = 0;
	}
	(void)sink;
	mdb_cursor_close(mc);
	mdb_txn_abort(txn);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* fingerprint: what a clean stop records of data.mdb; any later write changes it (mtime). */
static int fingerprint(const char *dir, char *buf, size_t len)
{
	char path[1100];
	struct stat st;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (stat(path, &st) != 0)
		return -1;
	snprintf(buf, len, "aedesk clean stop v1 dev=%llu ino=%llu size=%lld mtime=%lld.%09ld\n",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
	    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	return 0;
}

void store_mark_clean(const char *dir)
{
	char fp[256], path[1100], tmp[1120];
	if (fingerprint(dir, fp, sizeof fp) != 0)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, STORE_CLEAN_MARK);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	size_t n = strlen(fp);
	int ok = write(fd, fp, n) == (ssize_t)n;
	ok &= close(fd) == 0;
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp); /* no marker: the next start checks */
}

/* clean_mark_matches consumes the marker: 1 when it names data.mdb as it is now. */
static int clean_mark_matches(const char *dir)
{
	char path[1100], fp[256], got[256] = "";
	snprintf(path, sizeof path, "%s/%s", dir, STORE_CLEAN_MARK);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = 0;
	fclose(f);
	if (unlink(path) != 0)
		return 0; /* it could outlive this start: do not trust it */
	return fingerprint(dir, fp, sizeof fp) == 0 && strcmp(fp, got) == 0;
}

int store_check(const char *dir, char *err, size_t errlen)
{
	char path[1100];
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (clean_mark_matches(dir))
		return 1; /* stopped cleanly, not written since: skip the walk */
	if (access(path, F_OK) != 0)
		return 0; /* a new store */
	int fd[2];
	if (pipe(fd) != 0) {
		snprintf(err, errlen, "%s: cannot check the store: %s", dir, strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		snprintf(err, errlen, "%s: cannot check the store: %s", dir, strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		MDB_env *env;
		uint64_t records = 0;
		int rc = mdb_env_create(&env);
		if (rc == 0) {
			mdb_env_set_maxdbs(env, STORE_MAX_DBS);
			rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0600);
		}
		if (rc == 0)
			rc = walk_all(env, &records);
		char msg[256];
		int n = snprintf(msg, sizeof msg, "%s", rc ? mdb_strerror(rc) : "");
		ssize_t w = write(fd[1], msg, (size_t)n);
		(void)w;
		_exit(rc ? 1 : 0);
	}
	close(fd[1]);
	char msg[256] = "";
	ssize_t n = read(fd[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = 0;
	close(fd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		snprintf(msg, sizeof msg, "reading it crashed (%s)", strsignal(WTERMSIG(status)));
	snprintf(err, errlen,
	    "%s: the store is damaged (%s); the service will not run on it. Restore the last backup "
	    "(aedesk admin restore DIR)",
	    dir, msg[0] ? msg : "walk failed");
	return -1;
}
