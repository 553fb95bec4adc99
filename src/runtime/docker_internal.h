/*
 * docker_internal.h — shared between the layout readers of runtime/.
 */
#ifndef DE_DOCKER_INTERNAL_H
#define DE_DOCKER_INTERNAL_H

#include "docker.h"

/* Fields common to config.json (v1) and config.v2.json (v2). */
int docker_parse_config(de_docker *d, json_t *doc, const char *path, de_container *c, de_err *e);

/* The same fields from the text of config.v2.json, without a document tree
 * (util/jscan.h); c->config stays NULL. 1: done; 0: not taken (the text is
 * not JSON jansson accepts, or holds more than the fast path reads): parse
 * it with docker_parse_config; -1: e says why, as docker_parse_config would. */
int docker_parse_config_text(de_docker *d, const char *buf, size_t len, const char *path,
                             de_container *c, de_err *e);

/* how: DE_LOAD_WHOLE, or the model's fields without the document
 * (DE_LOAD_RECORD: c->config NULL; DE_LOAD_RECORD_KEEP: and its bytes kept
 * in c->config_text, for de_docker_whole). */
de_container *docker_v2_load(de_docker *d, const char *id, int how, de_err *e);
int docker_v2_history(de_docker *d, const de_container *c, de_history *out, de_err *e);
/* The parent chain of image image_id ("sha256:<hex>") of image store
 * image/<driver>; who names what asked in the messages ("container <id>"). */
int docker_v2_image_history(de_docker *d, const char *driver, const char *image_id,
                            const char *who, de_history *out, de_err *e);

de_container *docker_v1_load(de_docker *d, const char *id, de_err *e);
int docker_v1_history(de_docker *d, const de_container *c, de_history *out, de_err *e);
/* The graph/ parent chain from layer start. */
int docker_v1_chain(de_docker *d, const char *start, de_history *out, de_err *e);

/* Bytes of a layer, from layerdb/sha256/<chain>/size; -1 unknown. */
int64_t docker_layer_size(de_docker *d, const char *driver, const char *chain);

/* "Driver" is a containerd snapshotter (Docker's containerd image store). */
bool docker_is_snapshotter(const char *driver);

/* Longest image parent chain followed: a loop or a hostile chain stops here. */
#define DE_MAX_CHAIN 4096

#endif
