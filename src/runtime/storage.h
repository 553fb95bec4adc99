/*
 * storage.h — containers/storage, the store of Podman and CRI-O
 * (var/lib/containers/storage), read from its files:
 *
 *   overlay-containers/containers.json   [{id, names, image, layer, metadata, created}]
 *   overlay-containers/<id>/userdata/    config.json (OCI spec), ctr.log (k8s-file)
 *   overlay/<layer>/{diff,link,lower}    layers, as Docker's overlay2
 *   libpod/bolt_state.db (bbolt)         Podman's own record:
 *       ctr/<id>/config  JSON (name, command, labels, namedVolumes, logPath…)
 *       ctr/<id>/state   JSON (state, startedTime, finishedTime, exitCode, pid)
 *   volumes/<name>/_data                 named volumes
 *   overlay-containers/volatile-containers.json   the "volatile" containers
 *                                        (CRI-O's, Podman's --rm ones)
 * A container whose metadata names a pod-id is CRI-O's (crio.c); one with
 * a libpod record (bolt_state.db or db.sql, libpod_sql.h) is Podman's.
 */
#ifndef DE_STORAGE_H
#define DE_STORAGE_H

#include "docker.h"

int de_storage_open(de_docker *d, const char *root, const char *host_root, de_err *e);
int de_storage_load_all(de_docker *d, de_container_list *out, de_err *e);
/* CRI-O's part of a container (crio.c): entry is its containers.json
 * record, meta its metadata document. */
void crio_fill(de_docker *d, de_container *c, json_t *entry, json_t *meta);
/* A CRI-O container's log files, oldest first, relative to *host, which
 * this opens (the imaged host's root; the caller closes it): the file of
 * its LogPath annotation and kubelet's rotations of it. */
int de_storage_cri_logs(de_docker *d, const de_container *c, ev_root *host, strvec *files,
                        de_err *e);
/* The images of overlay-images/images.json (storage_images.c), with the
 * containers of cl made from them; the same model as Docker's images. */
int de_storage_images(de_docker *d, const de_container_list *cl, de_image_list *out, de_err *e);
/* The container's image: one entry, its config's history[] as steps. */
int de_storage_history(de_docker *d, const de_container *c, de_history *out, de_err *e);
/* The same for the image of id ("<hex>" or "sha256:<hex>"). */
int de_storage_image_history(de_docker *d, const char *id, de_history *out, de_err *e);
/* The engine of this store ("podman", "cri-o", "podman,cri-o" or
 * "containers-storage"): Podman by libpod's files, CRI-O by the containers
 * of cl (may be NULL). Caller frees. */
char *de_storage_runtime(de_docker *d, const de_container_list *cl);
/* An image's "digest" in images.json (what `podman inspect` calls the
 * container's ImageDigest); NULL when not recorded. Caller frees. */
char *de_storage_image_digest(de_docker *d, const char *image_id);
/* A Podman container (runtime "podman", native = libpod's record) as
 * `podman inspect` shows it (podman_inspect.c). */
json_t *de_podman_inspect(de_docker *d, const de_container *c);
/* libpod's state number as `podman inspect` names it ("created" for
 * libpod's "configured", …). */
const char *de_podman_status(int64_t state);

#endif
