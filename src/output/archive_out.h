/*
 * archive_out.h — a view of the union engine written out with libarchive:
 * as a pax archive (plain, gzip or zstd), or as a copy into an empty
 * directory.
 *
 * Contract: every entry of the walk is written with its mode, numeric and
 * named owners, nanosecond times, symlink target, device numbers; hard
 * links (same layer, same inode) stay links; file xattrs are kept (overlay's
 * own never reach here); sparse files stay sparse (SEEK_DATA/SEEK_HOLE).
 * A copy into a directory goes through libarchive's secure extraction
 * (no "..", no absolute path, no write through a symlink): nothing is
 * written outside it. Whatever cannot be read is a warning naming it, and
 * counted in the stats: nothing is left out silently.
 */
#ifndef DE_ARCHIVE_OUT_H
#define DE_ARCHIVE_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "../union/union.h"
#include "../util/diag.h"

typedef enum de_out_kind {
	DE_OUT_TAR, DE_OUT_TAR_GZ, DE_OUT_TAR_ZST, DE_OUT_DIR,
} de_out_kind;

/* The kind OUT asks for: an existing directory, or an archive name. */
int de_out_kind_of(const char *out, de_out_kind *kind, de_err *e);

/* uid/gid -> name, read from the view's /etc/passwd and /etc/group. */
typedef struct de_owners de_owners;
de_owners *de_owners_read(un_fs *fs);
const char *de_owners_user(const de_owners *o, unsigned uid);    /* NULL: unknown */
const char *de_owners_group(const de_owners *o, unsigned gid);
void de_owners_free(de_owners *o);

typedef struct de_export_stats {
	uint64_t entries, bytes;   /* written */
	uint64_t omitted;          /* entries left out or cut short */
} de_export_stats;

/* Writes the view below path to out. progress: a line on stderr now and
 * then (the caller decides: when stderr is a terminal). */
int de_export(un_fs *fs, const char *path, const char *out, de_out_kind kind,
              const de_owners *owners, bool progress, de_export_stats *stats, de_err *e);

#endif
