/*
 * discover.h — finding every container runtime's data on an imaged host.
 *
 * Contract: given the host's root (--root), de_discover() looks where each
 * runtime keeps its data, by default and by its own configuration, and
 * returns what holds such data, each path once, with how it was found:
 *  - Docker: var/lib/docker; etc/docker/daemon.json "data-root" (older
 *    "graph"); the snap's var/snap/docker/common/var-lib-docker; rootless
 *    roots root/.local/share/docker and home/<user>/.local/share/docker;
 *    the userns-remap subroots <data-root>/<uid>.<gid>;
 *  - containerd: var/lib/containerd; etc/containerd/config.toml "root";
 *    Docker's private <data-root>/containerd/daemon;
 *  - Podman and CRI-O (containers/storage): var/lib/containers/storage;
 *    etc/containers/storage.conf "graphroot"; rootless
 *    root/.local/share/containers/storage, home/<user>/.local/share/...
 * Paths are resolved inside the host root (an absolute symlink in the image
 * points into the image). A directory counts when it holds that runtime's
 * marks: containers/, image/ or graph/ (Docker); the metadata bolt database
 * (containerd); overlay-containers/, overlay-images/, vfs-containers/ or
 * libpod/ (containers/storage).
 *
 * The result names runtimes, not stores: a containers/storage root is
 * "podman" when it holds libpod's state (libpod/bolt_state.db, db.sql) or
 * libpod/, "cri-o" when containers of its containers.json or
 * volatile-containers.json carry CRI-O's pod-id, both (two entries, one
 * path) when it holds both, and "containers-storage" when neither (Buildah,
 * or a store without containers). Each entry says how it was found and
 * what was found there. A place that could not be searched (permission)
 * is listed in denied: the answer may miss what is there.
 */
#ifndef DE_DISCOVER_H
#define DE_DISCOVER_H

#include <stdbool.h>

#include "../util/diag.h"
#include "../util/strvec.h"

typedef struct de_found {
	char *runtime;   /* "docker", "containerd", "podman", "cri-o", "containers-storage" */
	char *rel;       /* relative to the host root */
	char *path;      /* host root + rel, for printing and opening */
	char *how;       /* how it was found: "default", "etc/docker/daemon.json data-root" */
	char *what;      /* what was found there: "containers/, image/", "libpod/bolt_state.db" */
	bool docker_own; /* containerd: Docker's own (<data-root>/containerd/daemon) */
} de_found;

typedef struct de_found_list {
	de_found *v;
	size_t n;
	strvec denied;   /* directories that could not be searched (EACCES), full paths */
} de_found_list;

/* The runtime's data root kind: true for the runtimes of containers/storage. */
bool de_found_is_storage(const de_found *f);
int de_discover(const char *host_root, de_found_list *out, de_err *e);
void de_found_list_free(de_found_list *l);

#endif
