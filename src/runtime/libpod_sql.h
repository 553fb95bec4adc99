/*
 * libpod_sql.h — Podman's SQLite state, db.sql (Podman >= 4.5 when asked
 * for, the default for new installs since 5.0), read-only.
 *
 * Where (libpod/sqlite_state.go): Podman 5 keeps it in the static dir,
 * <graphroot>/libpod/db.sql by default; Podman 4.5-4.7 in <graphroot>/db.sql;
 * with a transient store in the runroot. Tables used here:
 *   ContainerConfig(ID, Name, PodID, JSON)   JSON: the same ContainerConfig
 *                                            document as bolt's ctr/<id>/config
 *   ContainerState(ID, State, ExitCode, JSON) JSON: as bolt's ctr/<id>/state
 *   VolumeConfig(Name, StorageID, JSON)      JSON: as bolt's vol/<name>/config
 * Contract: the file is read through evfs (inside the root, no symlink out,
 * bounded size) into memory, and SQLite reads that copy read-only
 * (sqlite3_deserialize): SQLite never opens a path of the evidence, so no
 * journal, WAL or shm file can be made, changed or removed there. Pages
 * still only in db.sql-wal are not seen: a warning says so.
 */
#ifndef DE_LIBPOD_SQL_H
#define DE_LIBPOD_SQL_H

#include <jansson.h>

#include "../util/diag.h"
#include "../util/evfs.h"

#define DE_LIBPOD_SQL_MAX (256u << 20)   /* bytes of db.sql read */

typedef struct de_libpod_sql de_libpod_sql;

int de_libpod_sql_open(de_libpod_sql **out, const ev_root *root, const char *rel, de_err *e);
/* The container's config and state documents: 1 when it has a row, 0 when
 * not, -1 on a database error. Either document may be NULL (a warning). */
int de_libpod_sql_container(de_libpod_sql *s, const char *id, json_t **config, json_t **state,
                            de_err *e);
/* A named volume's config document (VolumeConfig: name, volumeDriver,
 * mountPoint…, as bolt's vol/<name>/config): 1, 0 when none, -1 on error. */
int de_libpod_sql_volume(de_libpod_sql *s, const char *name, json_t **config, de_err *e);
void de_libpod_sql_close(de_libpod_sql *s);

#endif
