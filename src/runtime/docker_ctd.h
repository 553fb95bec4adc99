/*
 * docker_ctd.h — Docker with the containerd image store: which containerd
 * holds a container's layers, and which containerd records and images are
 * Docker's.
 *
 * Docker 24+ with the containerd image store ("Driver" in config.v2.json
 * names a snapshotter: overlayfs, native) keeps each container's layers as
 * containerd snapshots in Docker's namespace ("moby", or daemon.json's
 * "containerd-namespace"): "<id>" (active) over "<id>-init" (Docker's init
 * layer) over the image's top layer (its chain ID). The containerd is
 * dockerd's private one (<data-root>/containerd/daemon) or, as docker-ce
 * runs it (dockerd --containerd=/run/containerd/containerd.sock), the
 * system's (/var/lib/containerd, or the root of etc/containerd/config.toml),
 * which discovery finds below the host root. dockerd also records every
 * container it runs in that containerd, in its namespace, under the same ID.
 *
 * Contract:
 *  - The candidates of a Docker data root are its private containerd and,
 *    when the host root is known (--root, or -r at .../var/lib/docker), the
 *    host's containerd roots; a rootless Docker (.local/share/docker) has
 *    only its private one (its dockerd cannot reach the system's).
 *  - A container's snapshot is taken from the one candidate holding key
 *    <id> of its snapshotter in Docker's namespace. None, or several, is an
 *    error (c->snapshot_error, naming them) for every command that needs
 *    its layers, and a warning in list: never the first one found.
 *  - Layers outside the data root are read below that containerd root,
 *    opened on its own (nothing beyond it is reached).
 */
#ifndef DE_DOCKER_CTD_H
#define DE_DOCKER_CTD_H

#include "docker.h"

/* Finds the containerd holding c's snapshot (c->driver a snapshotter) and
 * sets c->snapshot_root, ctd_root, ctd_namespace, snapshot_key, mount_id;
 * or c->snapshot_error, said by the commands that need the layers (list
 * warns of it), not at load: a look-up loads containers it does not give. */
void de_docker_ctd_snapshot(de_docker *d, de_container *c);

/* Where c's layer directories (de_layer.dir) are relative to: the data
 * root, or the containerd root outside it that holds c's snapshot (opened
 * once per data root). NULL, e set, when c's snapshot was not resolved. */
const ev_root *de_layers_root(de_docker *d, const de_container *c, de_err *e);
/* The path those directories are below (for printing), without opening. */
const char *de_layers_base(const de_docker *d, const de_container *c);

/* Docker's namespace in its containerd: daemon.json "containerd-namespace"
 * (read below a known host root), else "moby". */
const char *de_docker_ctd_namespace(de_docker *d);
/* "NS/ID" for each container of the data root: the key of the record
 * dockerd keeps for it in its containerd (not another container). */
void de_docker_ctd_records(de_docker *d, strvec *out);
/* The containerd roots outside the data root whose images in Docker's
 * namespace (de_docker_ctd_namespace) are Docker's: those holding the
 * snapshot of a container of cl, and every candidate with images in that
 * namespace (dockerd made them). Paths as discovery gives them. */
void de_docker_ctd_claims(de_docker *d, const de_container_list *cl, strvec *paths);
/* The images of Docker's namespace in the containerd root at path (one of
 * the claims), with the containers of cl that use them. */
int de_docker_ctd_images(de_docker *d, const char *path, const de_container_list *cl,
                         de_image_list *out, de_err *e);

void de_docker_ctd_free(de_docker *d);

#endif
