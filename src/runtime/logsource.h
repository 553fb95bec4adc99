/*
 * logsource.h — where a container's output was kept, as its runtime keeps
 * it, for `de logs` and `de timeline --logs`:
 *
 *   Docker      containers/<id>/ by the log driver of hostconfig.json
 *               (LogConfig.Type): <id>-json.log (json-file),
 *               local-logs/container.log (local), or the dual-logging cache
 *               container-cached.log of the drivers Docker cannot read back
 *   Podman      the logPath of libpod's record (k8s-file; its logDriver
 *               may also be journald, none or passthrough)
 *   CRI-O       the LogPath annotation, on the host (kubelet's
 *               /var/log/pods/…), with kubelet's rotations
 *   containerd  nothing: a task's stdio goes where its creator sent it;
 *               the CRI plugin's (Kubernetes) write their LogPath
 *               (/var/log/pods/…), which the kubelet rotates
 *   removed     a pod's container known only from its log directory
 *
 * No file is not always an omission. `why` says what it means: the files
 * should be there and are gone (`missing`: a warning, exit 3), or a fact:
 * the container never started and printed nothing (`never_started`), or
 * its driver kept nothing on this host (a note, exit 0).
 *
 * Rotation: json-file and local (and the cache) keep max-file files, the
 * current one included, and delete the oldest at each rotation. When the
 * oldest file the driver keeps (.<max-file − 1>) is there, the set is
 * full: what was printed before its first record was rotated away —
 * de_log_source_report() says so once the files are read.
 */
#ifndef DE_LOGSOURCE_H
#define DE_LOGSOURCE_H

#include <stdbool.h>

#include "../logs/logs.h"
#include "docker.h"

typedef struct de_log_source {
	strvec files;            /* relative to *root, oldest first */
	de_log_format fmt;
	const ev_root *root;     /* the data root, or the host root */
	ev_root host;
	char *name;              /* the container, for messages (escaped) */
	char *driver;            /* the log driver its record names, or NULL */
	char *why;               /* when files is empty */
	bool missing;            /* …because they are gone: an omission */
	bool never_started;      /* …because it never ran */
	/* rotation */
	long max_file;           /* files kept, current included; 0: no rotation */
	char *limits;            /* "json-file, max-size=1k, max-file=3" */
	bool full;               /* the oldest file kept is there */
	bool truncates;          /* one file, emptied when it reaches its size */
} de_log_source;

/* 0, or -1 with e set when the runtime's record cannot be read. */
int de_log_source_open(de_docker *d, de_container *c, de_log_source *s, de_err *e);
void de_log_source_close(de_log_source *s);

/* After the files were read through j: says what the rotation dropped —
 * a warning when the set is full (output printed before the first
 * surviving record is gone), a note when the driver empties its one file.
 * `reaches`: the caller's answer needs what came before the first record
 * (false for a --since after it, or a --tail already filled). `stream`:
 * the one stream asked for, or NULL; when no record of it survives, the
 * warning says that what it printed there was rotated away. */
void de_log_source_report(const de_log_source *s, const de_log_joiner *j, bool reaches,
                          const char *stream, bool stream_seen);

#endif
