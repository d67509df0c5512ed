/*
 * NAME
 *	store.h - a service's own LMDB environment
 *
 * SYNOPSIS
 *	MDB_dbi clients;
 *	store_table t[] = {{"clients", &clients}, {NULL, NULL}};
 *	store_open(&s, dir, t, err, sizeof err);
 *	store_write_begin(s, &txn); ... store_commit(s, txn) == STORE_MAP_FULL -> store_grow(s), redo
 *
 * DESCRIPTION
 *	One env per process, durable sync (never MDB_NOSYNC or MDB_WRITEMAP: this is agency
 *	data), no MDB_DUPSORT. The env is opened MDB_NOMETASYNC: a commit syncs the data
 *	pages, then writes the meta page without syncing it (LMDB keeps the store whole
 *	after a crash, at worst without that last transaction); store_commit then syncs
 *	again, so what it returns 0 for is on disk. store_commit_lazy does not: for work
 *	that can be redone (events applied from a source, which replay brings back, with
 *	nothing acknowledged or emitted); the next commit of either kind makes it durable. Writes happen on one thread (the service's main loop); reads
 *	may run on others between store_read_begin/store_read_end, which hold a shared lock
 *	so that store_grow can resize the map with no transaction open in the process, as
 *	LMDB 0.9.24 requires. A full map is never a lost write: the caller aborts, grows and
 *	redoes the whole transaction.
 *
 * DIAGNOSTICS
 *	Functions return 0 or an LMDB error code (MDB_NOTFOUND, MDB_MAP_FULL, ...); store_open
 *	writes what went wrong, with the directory, into err.
 */
#ifndef AEDESK_STORE_H
#define AEDESK_STORE_H

#include <lmdb.h>
#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store;

typedef struct store_table {
	const char *name;
	MDB_dbi *dbi;
} store_table;

/* store_open: the map starts at initial_map bytes (0: 64 MiB), or the file's size if larger. */
int store_open(store **out, const char *dir, const store_table *tables, size_t initial_map,
    char *err, size_t errlen);
void store_close(store *s);
/*
 * store_check walks every table and record of the store in dir in a child process
 * (a damaged page can crash LMDB, which keeps no checksums), before the service opens
 * it: 0 when the walk completed (or there is no store yet), else -1 with what went
 * wrong in err. A sequential read of the file.
 * Skipped (returns 1) when the last stop was clean: store_mark_clean, called after
 * store_close at a clean stop, leaves dir/STORE_CLEAN_MARK naming data.mdb's device,
 * inode, size and mtime. store_check removes the marker whatever it finds, so a
 * crash of the run that follows (or any write to the file since: another mtime)
 * means a full check at the next start.
 */
#define STORE_CLEAN_MARK "clean-stop"
int store_check(const char *dir, char *err, size_t errlen);
void store_mark_clean(const char *dir);
MDB_env *store_env(store *s);
const char *store_dir(store *s);

int store_write_begin(store *s, MDB_txn **txn);
int store_commit(store *s, MDB_txn *txn);
int store_commit_lazy(store *s, MDB_txn *txn);
/* store_sync: make every committed transaction durable (e.g. before exit). */
int store_sync(store *s);
int store_read_begin(store *s, MDB_txn **txn);
void store_read_end(store *s, MDB_txn *txn);
/* store_grow doubles the map; the calling thread must have no transaction open. */
int store_grow(store *s);
/* store_reader_check clears reader slots left by killed processes; *dead gets the count. */
int store_reader_check(store *s, int *dead);
/* store_usage: bytes in use (last page) and the map size. */
void store_usage(store *s, uint64_t *used, uint64_t *map);

void store_be64(uint8_t out[8], uint64_t v);
uint64_t store_from_be64(const uint8_t in[8]);
/* Small named counters and values (the "_meta" style tables). */
uint64_t store_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t dflt);
int store_put_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t v);
/* Records are packed protobuf messages. */
int store_put_msg(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
    const ProtobufCMessage *m, unsigned flags);
/* store_get_msg: 0 and *out, MDB_NOTFOUND, or EINVAL when the stored bytes do not decode. */
int store_get_msg(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
    const ProtobufCMessageDescriptor *d, ProtobufCMessage **out);
int store_exists(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen);

#endif
