/*
 * logsource.h — where a container's output was kept, as its runtime keeps
 * it, for `de logs` and `de timeline --logs`:
 *
 *   Docker      containers/<id>/ by the log driver of hostconfig.json:
 *               <id>-json.log (json-file), local-logs/container.log
 *               (local), or the dual-logging cache of other drivers
 *   Podman      overlay-containers/<id>/userdata/ctr.log (k8s-file)
 *   CRI-O       the LogPath annotation, on the host (kubelet's
 *               /var/log/pods/…), with kubelet's rotations
 *   containerd  nothing: a task's stdio goes where its creator sent it
 *
 * No file is not an error: `why` says what it means — an omission (the
 * files should be there and are gone: `missing`) or a fact of the runtime
 * or driver (nothing was ever kept on the host).
 */
#ifndef DE_LOGSOURCE_H
#define DE_LOGSOURCE_H

#include <stdbool.h>

#include "../logs/logs.h"
#include "docker.h"

typedef struct de_log_source {
	strvec files;            /* relative to *root, oldest first */
	de_log_format fmt;
	const ev_root *root;     /* the data root, or the host root for CRI-O */
	ev_root host;
	char *why;               /* when files is empty */
	bool missing;            /* …because they are gone: an omission */
} de_log_source;

/* 0, or -1 with e set when the runtime's record cannot be read. */
int de_log_source_open(de_docker *d, de_container *c, de_log_source *s, de_err *e);
void de_log_source_close(de_log_source *s);

#endif
