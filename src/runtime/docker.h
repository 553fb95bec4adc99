/*
 * docker.h — a Docker data root (/var/lib/docker), storage layouts v1 and v2.
 *
 * Contract: de_docker_open() checks that a directory is a Docker data root
 * and works out the host root; the other functions turn the root's files
 * into the evidence model. A container whose files are broken is a warning
 * naming the file (de_warn) and is left out or given with what could be
 * read; only a root that cannot be read at all is an error.
 *
 * Layout v2 (Docker >= 1.10): containers/<id>/config.v2.json, image/<driver>/…
 * Layout v1 (Docker < 1.10): containers/<id>/config.json, graph/<layer>/…
 */
#ifndef DE_DOCKER_H
#define DE_DOCKER_H

#include "../model/evidence.h"
#include "../util/diag.h"
#include "../util/evfs.h"

typedef enum de_root_kind { DE_ROOT_DOCKER, DE_ROOT_CONTAINERD, DE_ROOT_STORAGE } de_root_kind;

typedef struct de_docker {
	de_root_kind kind;   /* a Docker data root, or a containerd root */
	ev_root root;        /* the data root; root.path as the user gave it */
	char *host_root;     /* where the imaged host's "/" is; "" for the live "/" */
	bool host_known;     /* host_root was given (--root) or derived from a data
	                      * root at .../var/lib/docker, not assumed */
	de_layout layout;    /* of the image store (v2 when image/ exists) */
	struct docker_ctd *ctd;   /* the containerds Docker's snapshots may be in,
	                           * found on first need (docker_ctd.h) */
} de_docker;

/* host_root NULL: derived from data_root when it ends in /var/lib/docker. */
int de_docker_open(de_docker *d, const char *data_root, const char *host_root, de_err *e);
void de_docker_close(de_docker *d);

/* Every container under containers/, sorted by ID. Broken ones are warnings. */
int de_docker_load_all(de_docker *d, de_container_list *out, de_err *e);
/* The names under containers/ (container IDs), sorted; none without it. */
int de_docker_ids(de_docker *d, strvec *ids, de_err *e);
/* How a container is read: whole (c->config, the document), or its record
 * alone (the model's fields; c->config NULL), keeping the bytes or not. */
enum { DE_LOAD_WHOLE, DE_LOAD_RECORD, DE_LOAD_RECORD_KEEP };
/* How de_docker_load_all reads the containers from now on: DE_LOAD_WHOLE,
 * or DE_LOAD_RECORD for a command that needs no more than the model
 * (`list`, `timeline` without --logs); those of Docker's containerd store
 * are made whole all the same (their image is named in the document). */
void de_docker_load_how(int how);
/* The containers of ids, read on every core (util/pool.h): got[i], or
 * NULL and why[i] (to free); their warnings in the order of ids. */
void de_docker_load_many(de_docker *d, const strvec *ids, int how, de_container **got,
                         char **why);
/* A container read as DE_LOAD_RECORD_KEEP made whole: c->config from the
 * bytes kept (the fields are the same: tests/fuzz/fuzz_jscan.c). */
void de_docker_whole(de_container *c);
/* The container of containers/<id>; NULL and why when it cannot be read. */
de_container *de_docker_load(de_docker *d, const char *id, de_err *e);
/* CONTAINER as a full ID, a unique ID prefix or a name ("web" or "/web"). */
de_container *de_docker_find(de_docker *d, const char *ref, de_err *e);
/* containers/<id>/hostconfig.json, read on first use (listing does not
 * need it); NULL when absent or unreadable (a warning). */
json_t *de_docker_hostconfig(de_docker *d, de_container *c);
/* The images of every image store, with tags, sizes and the containers of
 * cl that use them. */
int de_docker_images(de_docker *d, const de_container_list *cl, de_image_list *out, de_err *e);
void de_image_list_free(de_image_list *l);
/* im->committed_from_name from the containers of cl (the same root). */
void de_image_name_committer(de_image *im, const de_container_list *cl);
/* The local volumes (volumes/<name>/_data), with sizes and users. */
int de_docker_volumes(de_docker *d, const de_container_list *cl, de_volume_list *out, de_err *e);
void de_volume_list_free(de_volume_list *l);
/* The container as `docker inspect` shows it, plus "de": its layers. */
json_t *de_docker_inspect(de_docker *d, de_container *c);
/* The container's image parent chain, topmost first. */
int de_docker_history(de_docker *d, const de_container *c, de_history *out, de_err *e);
/* A JSON array: one object per repositories file, with its "path". */
int de_docker_repositories(de_docker *d, json_t **out, de_err *e);

#endif
