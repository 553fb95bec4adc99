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
 * (containerd); overlay-containers/, overlay-images/ or libpod/ (storage).
 */
#ifndef DE_DISCOVER_H
#define DE_DISCOVER_H

#include "../util/diag.h"
#include "../util/strvec.h"

typedef struct de_found {
	char *runtime;   /* "docker", "containerd", "containers-storage" */
	char *rel;       /* relative to the host root */
	char *path;      /* host root + rel, for printing and opening */
	char *how;       /* how it was found */
} de_found;

typedef struct de_found_list {
	de_found *v;
	size_t n;
} de_found_list;

int de_discover(const char *host_root, de_found_list *out, de_err *e);
void de_found_list_free(de_found_list *l);

#endif
