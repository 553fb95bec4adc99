/*
 * libpod_sql.c — see libpod_sql.h.
 */
#include "libpod_sql.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../util/pathutil.h"

struct de_libpod_sql {
	sqlite3 *db;
	sqlite3_stmt *cfg, *st;
	sqlite3_stmt *vol;  /* prepared when first asked */
	char *path;       /* for messages */
};

void de_libpod_sql_close(de_libpod_sql *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->cfg);
	sqlite3_finalize(s->st);
	sqlite3_finalize(s->vol);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int sql_fail(de_libpod_sql *s, de_err *e, const char *what)
{
	int rc = de_fail(e, "%s: %s: %s", s->path, what, s->db ? sqlite3_errmsg(s->db) : "no memory");
	return rc;
}

/* A WAL file next to the database holds transactions not yet copied into
 * it (Podman runs SQLite in WAL mode): they are not read. */
static void warn_wal(const ev_root *root, const char *rel, const char *path)
{
	char *wal = xasprintf("%s-wal", rel);
	struct stat st;
	if (ev_stat(root, wal, &st, NULL) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		de_warn("%s-wal: %lld bytes of transactions not yet in the database are not read",
		        path, (long long)st.st_size);
	free(wal);
}

int de_libpod_sql_open(de_libpod_sql **out, const ev_root *root, const char *rel, de_err *e)
{
	*out = NULL;
	de_libpod_sql *s = xcalloc(1, sizeof *s);
	s->path = de_path_join(root->path, rel);
	size_t len;
	char *buf = ev_read(root, rel, DE_LIBPOD_SQL_MAX, &len, e);
	if (!buf) {
		de_libpod_sql_close(s);
		return -1;
	}
	if (len < 100 || memcmp(buf, "SQLite format 3", 16)) {
		free(buf);
		int rc = de_fail(e, "%s: not an SQLite 3 database", s->path);
		de_libpod_sql_close(s);
		return rc;
	}
	/* Bytes 18 and 19 are 2 in WAL mode; an in-memory copy cannot have a
	 * WAL, so the copy says "rollback journal" (1) to be readable. */
	buf[18] = buf[19] = 1;
	unsigned char *mem = sqlite3_malloc64(len);
	if (!mem) {
		free(buf);
		de_libpod_sql_close(s);
		return de_fail(e, "out of memory for %s", rel);
	}
	memcpy(mem, buf, len);
	free(buf);
	if (sqlite3_open_v2(":memory:", &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_deserialize(s->db, "main", mem, (sqlite3_int64)len, (sqlite3_int64)len,
	                        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		int rc = sql_fail(s, e, "cannot read the database");
		de_libpod_sql_close(s);
		return rc;
	}
	/* A hostile file must not make a query run without end. */
	sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, (int)EV_MAX_JSON);
	if (sqlite3_prepare_v2(s->db, "SELECT JSON FROM ContainerConfig WHERE ID = ?1", -1, &s->cfg,
	                       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT JSON FROM ContainerState WHERE ID = ?1", -1, &s->st,
	                       NULL) != SQLITE_OK) {
		int rc = sql_fail(s, e, "not Podman's schema (ContainerConfig, ContainerState)");
		de_libpod_sql_close(s);
		return rc;
	}
	warn_wal(root, rel, s->path);
	*out = s;
	return 0;
}

/* The JSON column of the one row of stmt for id: 1 found, 0 none, -1 error. */
static int one_json(de_libpod_sql *s, sqlite3_stmt *stmt, const char *id, const char *what,
                    json_t **out, de_err *e)
{
	*out = NULL;
	sqlite3_reset(stmt);
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sql_fail(s, e, what);
	const char *txt = (const char *)sqlite3_column_text(stmt, 0);
	int n = sqlite3_column_bytes(stmt, 0);
	char *where = xasprintf("%s: %s of %s", s->path, what, id);
	de_err je;
	if (txt)
		*out = ev_parse_json(txt, (size_t)n, where, &je);
	if (!*out)
		de_warn("%s", txt ? je.msg : where);
	free(where);
	return 1;
}

int de_libpod_sql_container(de_libpod_sql *s, const char *id, json_t **config, json_t **state,
                            de_err *e)
{
	*state = NULL;
	int rc = one_json(s, s->cfg, id, "ContainerConfig", config, e);
	if (rc <= 0)
		return rc;
	if (one_json(s, s->st, id, "ContainerState", state, e) < 0)
		de_warn("%s", e->msg);
	return 1;
}

int de_libpod_sql_volume(de_libpod_sql *s, const char *name, json_t **config, de_err *e)
{
	*config = NULL;
	if (!s->vol && sqlite3_prepare_v2(s->db, "SELECT JSON FROM VolumeConfig WHERE Name = ?1", -1,
	                                  &s->vol, NULL) != SQLITE_OK)
		return sql_fail(s, e, "no VolumeConfig table");
	return one_json(s, s->vol, name, "VolumeConfig", config, e);
}
