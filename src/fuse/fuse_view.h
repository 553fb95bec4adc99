/*
 * fuse_view.h — the union engine served read-only through FUSE (libfuse3),
 * for analysts without root, without the kernel driver (aufs), or with
 * more layers than the kernel's lowerdir option can hold.
 *
 * Contract: de_fuse_serve() mounts the view at mnt and serves it until it
 * is unmounted (fusermount3 -u mnt). The mount is read-only ("-o ro": the
 * kernel refuses every write with EROFS) and no write operation exists; the
 * evidence is reached only through the union engine. Requests are served
 * one at a time (the engine is not thread-safe), in the background unless
 * foreground.
 */
#ifndef DE_FUSE_VIEW_H
#define DE_FUSE_VIEW_H

#include <stdbool.h>

#include "../union/union.h"
#include "../util/diag.h"

int de_fuse_serve(un_fs *fs, const char *mnt, bool foreground, de_err *e);

#endif
