/*
 * image_refs.h — the images of a data root by ID and name, for look-ups
 * (`history IMAGE`), and the history of one of them.
 *
 * Contract: de_image_refs() lists what each store keeps to name an image,
 * without opening any image config (a look-up must not read, nor warn
 * about, images it is not asked for):
 *   Docker v2:  image/<driver>/imagedb/content/sha256/<id>, repositories.json
 *   Docker v1:  graph/<id>, repositories-<driver> ({"repo": {"tag": id}})
 *   Docker's containerd image store (24+): containerd/daemon meta.db,
 *               namespace moby
 *   containerd: meta.db v1/<ns>/images/<name>/target/digest
 *   containers/storage: overlay-images/images.json id, names
 * Each de_image gets id, driver (the image store: "overlay2", "graph" for
 * v1, "containerd", "overlay" for containers/storage), namespace, runtime,
 * tags and digests as the store writes them; nothing else. A names file
 * that cannot be read is a warning (the image asked for may be named
 * there); an entry that is not an image is left out quietly.
 */
#ifndef DE_IMAGE_REFS_H
#define DE_IMAGE_REFS_H

#include "docker.h"

int de_image_refs(de_docker *d, bool skip_moby, de_image_list *out, de_err *e);

/* The history of im, an image de_image_refs() listed from d: Docker's
 * parent chain (v2: image configs; v1: graph layers), or one entry (a
 * containerd or containers/storage image). */
int de_image_history(de_docker *d, const de_image *im, de_history *out, de_err *e);

#endif
