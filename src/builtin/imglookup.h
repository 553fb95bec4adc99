/*
 * imglookup.h — what `history CONTAINER|IMAGE` names: a container (as
 * lookup.c finds them) or an image of any data root of the run.
 *
 * IMAGE is [RUNTIME[@ROOT]:]REF, RUNTIME one of lookup.c's (the text before
 * the first ':' when it is one: `docker:busybox:1.36`; so an image named
 * "docker" is asked for as docker.io/library/docker or docker:docker).
 * REF is, as the engines take it:
 *   1. a full image ID, "sha256:<hex>" or "<hex>" (containerd: the target
 *      digest; Docker v1: the layer ID);
 *   2. a name: Docker and containerd normalise it as Docker does
 *      ("busybox" is docker.io/library/busybox:latest, a name without a tag
 *      is :latest); containers/storage as Podman does: a name without a
 *      registry is localhost/NAME or NAME on any registry;
 *   3. a unique prefix of an image ID.
 * containerd's images take NAMESPACE/REF too (the same image is in
 * several namespaces). Containers and images are matched together, round
 * by round (full ID, name, ID prefix): the first round with a match
 * decides, and two candidates in it, of either kind, are an error that
 * names each with the RUNTIME:REF that asks for it alone (--type
 * container|image chooses the kind). Nothing is picked silently.
 */
#ifndef DE_IMGLOOKUP_H
#define DE_IMGLOOKUP_H

#include "builtin.h"

enum { DE_KIND_CONTAINER = 1, DE_KIND_IMAGE = 2 };

typedef struct de_hist_target {
	de_docker d;           /* its data root, opened */
	de_container *c;       /* the container, or NULL: an image */
	de_image *im;          /* the image (into refs), or NULL: a container */
	de_image_list refs;    /* the images of d by name (image_refs.h) */
} de_hist_target;

/* Resolves ref among the kinds asked for (DE_KIND_*); prints the error
 * (unknown, ambiguous) and returns -1, or fills t. */
int de_hist_target_open(de_hist_target *t, const de_opts *o, const char *ref, unsigned kinds);
void de_hist_target_close(de_hist_target *t);

/* The one image of refs named ref as the store's engine matches names
 * (rule 2 above; storage: containers/storage's), or NULL (none, or two);
 * for history's "FROM" of Buildah's comment. */
de_image *de_image_named(de_image_list *refs, bool storage, const char *ref);

/* lookup.c, for this look-up: the run's roots (read once; NULL when none
 * could be read, said why), each opened root (NULL: not readable), its
 * label in messages, whether a selector keeps it, the containers ref names
 * in round 1 (full ID), 2 (name) or 3 (ID prefix), quietly, with how to
 * ask for each, and lookup's edit distance (max+1 beyond max). */
const de_roots *de_lookup_roots(const de_opts *o);
de_docker *de_lookup_root(size_t r);
const char *de_lookup_root_label(size_t r);
bool de_lookup_root_selected(size_t r, const char *runtime, const char *root);
size_t de_container_matches(const de_opts *o, const char *ref, int round, strvec *asks);
size_t de_lookup_distance(const char *a, const char *b, size_t max);

#endif
