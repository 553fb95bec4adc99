/*
 * timeline_out.h — timeline records in three formats:
 *  - bodyfile: The Sleuth Kit 3.x body file, one line per entry
 *      MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime
 *    (times in whole seconds, as mactime reads them; a host event has its
 *    time in all four columns of the event it is);
 *  - csv: Timesketch's importer columns message,datetime,timestamp_desc,
 *    timestamp (microseconds), then container,layer,path,times,mode,uid,gid,
 *    size,sha256,runtime,container_id,deleted_by — one row per distinct time
 *    of an entry;
 *  - jsonl: the same fields, one JSON object per line (deleted_by and
 *    deleted_from only on deletions).
 * A deletion (an entry a whiteout, an opaque directory or a non-directory
 * hides) is named as The Sleuth Kit's fls names a deleted file, "name (deleted)"
 * (after a symlink's " -> target"): its mode, owner, size and inode are the
 * deleted entry's, its times the marker's, which are the deletion's.
 * Names are escaped (output/text.h), and in the bodyfile '|' is written
 * \x7c, so no name can split or forge a record.
 */
#ifndef DE_TIMELINE_OUT_H
#define DE_TIMELINE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../util/strvec.h"

typedef enum tl_format { TL_BODYFILE, TL_CSV, TL_JSONL } tl_format;

typedef struct tl_ts {
	int64_t sec;
	int32_t nsec;
	bool set;
} tl_ts;

/* Whose a record is: label names it in the bodyfile and messages (the name,
 * or "RUNTIME:ID/name" where two containers share a name); name, runtime
 * and id are the csv and jsonl columns (NULL: empty). */
typedef struct tl_who {
	const char *label, *name, *runtime, *id;
} tl_who;

typedef struct tl_file {
	const tl_who *who;
	const char *layer, *path, *target;
	const struct stat *st;
	tl_ts birth;
	const char *md5, *sha256;    /* NULL when not hashed */
	const char *deleted_by;      /* a deletion: "whiteout", "opaque directory"… */
	const char *deleted_from;    /* its layer, when known */
} tl_file;

typedef struct tl_out {
	FILE *f;
	tl_format fmt;
	bool header_done;
	uint64_t records;
	int error;
	dbuf line;                   /* reused for every bodyfile line */
	const char *md5_pending;     /* of the prepared tail */
	tl_ts began;                 /* when the run began: the time of de's own events */
} tl_out;

void tl_begin(tl_out *o, FILE *f, tl_format fmt);
void tl_write_file(tl_out *o, const tl_file *r);
/* The same record for many containers: in the bodyfile everything after the
 * container's label is the same, so it is formatted once (r->who is not
 * used) and each container's line is its label and that tail. */
void tl_prepare_tail(tl_out *o, const tl_file *r, dbuf *tail);
void tl_write_prepared(tl_out *o, const char *label, const dbuf *tail);
/* A host-level event: what (e.g. "container started"), at a time. */
void tl_write_event(tl_out *o, const tl_who *who, const char *what, const tl_ts *t,
                    const char *desc);
/* What could not be read (util/diag.h's omissions), as events of "de" at
 * the time the run began: in CSV and JSONL only (see the .c). */
void tl_write_errors(tl_out *o);

#endif
