/*
 * view.h — a container's root filesystem as the container saw it: its
 * driver's layer stack merged by the union engine, with its volumes and
 * bind mounts at their destinations.
 *
 * Contract: layers are opened below the data root, volumes below the data
 * root, bind sources below the host root, the files the engine mounted
 * below the one or the other (see engine_files.h), all with evfs (nothing
 * is reached through a symlink that leaves those roots). A volume, bind or
 * engine file that cannot be opened is a warning, and the view shows what
 * the layers hold there.
 */
#ifndef DE_VIEW_H
#define DE_VIEW_H

#include <stdbool.h>

#include "../union/union.h"
#include "docker.h"

typedef struct de_view {
	un_fs *fs;
	de_layer_stack stack;   /* layer i of the engine is stack.v[i] */
} de_view;

/* with_mounts: the volumes, binds and the files the engine mounted
 * (c->engine_files, labelled "engine:NAME"); without, the layers alone. */
/* -1 (e says why) when nothing of the container's files is left to view:
 * a Kubernetes container known only from its pod logs. */
int de_view_present(const de_container *c, de_err *e);
int de_view_open(de_docker *d, const de_container *c, bool with_mounts, de_view *out,
                 de_err *e);
/* An engine file as a kernel bind mount takes it: *src, the real path of
 * its source (resolved inside the root it is read from: no link left for
 * the kernel to follow), *dst, its mount point resolved in v's layers.
 * -1 with e when the source cannot be opened or the mount point is not in
 * the layers. */
int de_view_engine_bind(de_docker *d, de_view *v, const de_engine_file *m, char **src,
                        char **dst, de_err *e);
void de_view_close(de_view *v);
/* Where a mount's destination is in v's layers, resolved as runc resolves
 * it (its symlinks followed inside the root); NULL when it is not there. */
char *de_view_mount_point(de_view *v, const char *dest);

/* Where a volume or bind mount's source really is, resolved as the view
 * opens it (inside the data root or the host root): the path a kernel bind
 * mount may be given, since the kernel follows every symlink of the path it
 * is handed. NULL (e set) when it cannot be opened there. */
char *de_view_source_path(de_docker *d, const de_mount_point *m, de_err *e);

#endif
