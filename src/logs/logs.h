/*
 * logs.h — what a container printed, from the files of its log driver.
 *
 * Contract: de_logs_read() finds the container's log files (json-file:
 * <id>-json.log and its rotations .1 … .N, plain or .gz; local:
 * local-logs/container.log and rotations; dual logging:
 * container-cached.log and rotations), reads them oldest to newest as one
 * stream, joins partial records (lines the engine split, at 16 KiB for
 * json-file, by partial metadata for local) and calls fn once per message.
 * Memory is bounded by the longest message (DE_LOG_MAX_MSG), never by the
 * file. A corrupt line or frame is a warning naming the file and byte
 * offset, and reading resumes at the next valid record: never a crash,
 * never a silent stop.
 */
#ifndef DE_LOGS_H
#define DE_LOGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/evfs.h"

#define DE_LOG_MAX_MSG (16u << 20)   /* one joined message */

typedef enum de_log_format { DE_LOG_JSONFILE, DE_LOG_LOCAL, DE_LOG_K8SFILE } de_log_format;

typedef struct de_log_msg {
	int64_t sec;           /* time of its first part */
	int32_t nsec;
	const char *stream;    /* "stdout", "stderr" (or what the record says) */
	const char *data;      /* the message, its newline kept when it had one */
	size_t len;
	const char *file;      /* where its first part is, for provenance */
	uint64_t offset;
	unsigned parts;        /* records joined into it */
} de_log_msg;

typedef int (*de_log_fn)(void *arg, const de_log_msg *m);

/* Joins partial records into messages and hands them to fn; it lives
 * across the files of one container (a message may straddle a rotation). */
typedef struct de_log_joiner de_log_joiner;
de_log_joiner *de_log_joiner_new(de_log_fn fn, void *arg);
/* Hands out what is still pending (a message cut by the end of the logs,
 * without its newline); returns what fn last returned. */
int de_log_joiner_finish(de_log_joiner *j);
void de_log_joiner_free(de_log_joiner *j);
/* Counts of what was read and what was corrupt (each corrupt one warned). */
uint64_t de_log_records(const de_log_joiner *j);
uint64_t de_log_corrupt(const de_log_joiner *j);
/* The first record read — where what survives begins: its time, file and
 * offset (file valid while j lives). false when no record was read. */
bool de_log_first(const de_log_joiner *j, int64_t *sec, int32_t *nsec, const char **file,
                  uint64_t *offset);

/* Reads one log file (plain or gzip, told by its content), relative to
 * root. Returns -1 when the file cannot be opened, or fn stopped (<0). */
int de_log_read_file(const ev_root *root, const char *rel, de_log_format fmt,
                     de_log_joiner *j, de_err *e);

/* The files, oldest first, of the container whose directory is dir
 * ("containers/<id>") for log driver `driver`: fills names (relative to
 * root) and the format. No file found is not an error: some drivers keep
 * nothing on the host. */
int de_log_files(const ev_root *root, const char *dir, const char *id, const char *driver,
                 strvec *names, de_log_format *fmt, de_err *e);

/* A CRI log the kubelet manages (rel below root: "var/log/pods/<ns>_<pod>_
 * <uid>/<ctr>/<attempt>.log"): the kubelet's rotations of it beside it,
 * <file>.<YYYYmmdd-HHMMSS> and <file>.<YYYYmmdd-HHMMSS>.gz, whose stamps
 * sort as text, oldest first, then rel itself when it is there. */
int de_log_files_kubelet(const ev_root *root, const char *rel, strvec *names, de_err *e);

#endif
