/*
 * containerd.h — containerd's root (var/lib/containerd, or Docker's own
 * <data-root>/containerd/daemon), read from its files.
 *
 *   io.containerd.metadata.v1.bolt/meta.db (bbolt)
 *     v1/<namespace>/containers/<id>/{image, labels/, snapshotter,
 *         snapshotKey, createdat, updatedat, runtime/{name}, spec}
 *     v1/<namespace>/snapshots/<snapshotter>/<key>/{name, parent}
 *   io.containerd.snapshotter.v1.overlayfs/metadata.db (bbolt)
 *     v1/snapshots/<name>/{id (uvarint), kind, parent}
 *   io.containerd.snapshotter.v1.overlayfs/snapshots/<id>/fs
 * Times are Go's time.Time binary form; the spec is a protobuf Any whose
 * value is the OCI runtime spec in JSON. Whether a container runs is kept
 * in /run (a tmpfs, absent from disk images): its state is "unknown".
 */
#ifndef DE_CONTAINERD_H
#define DE_CONTAINERD_H

#include "docker.h"

/* Opens a containerd root: its metadata database must be there. */
int de_containerd_open(de_docker *d, const char *root, const char *host_root, de_err *e);
/* Every container of every namespace (skip_moby: leave out Docker's own
 * namespace, whose containers the Docker data root already lists). */
int de_containerd_load_all(de_docker *d, bool skip_moby, de_container_list *out, de_err *e);

/* The value bytes of a protobuf Any {1 type_url, 2 value} (a container's
 * spec), pointing into p; NULL when p is not one. Exposed for the fuzzer. */
const uint8_t *ctd_any_value(const uint8_t *p, size_t n, size_t *len);

#endif
