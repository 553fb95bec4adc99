/*
 * fuse_view.h — the union engine served read-only through FUSE (libfuse3),
 * for analysts without root, without the kernel driver (aufs), or with
 * more layers than the kernel's lowerdir option can hold.
 *
 * Contract: de_fuse_serve() mounts the view at mnt and serves it until it
 * is unmounted (fusermount3 -u mnt). The mount is read-only ("-o ro": the
 * kernel refuses every write with EROFS) and no write operation exists; the
 * evidence is reached only through the union engine. Requests are served
 * one at a time (the engine is not thread-safe).
 *
 * What the engine warns of while serving (an unreadable file or directory,
 * a bad redirect) goes to the server's stderr: in the foreground, de's own;
 * in the background, log_fd when given, else the stderr de was started
 * with, kept when it is a terminal, a file or a device, but not a pipe or
 * a socket (its reader would wait until the unmount): then they cannot be
 * kept, and de says so before it detaches.
 */
#ifndef DE_FUSE_VIEW_H
#define DE_FUSE_VIEW_H

#include <stdbool.h>

#include "../union/union.h"
#include "../util/diag.h"

typedef struct de_fuse_opts {
	bool foreground;
	int log_fd;          /* background: the server's stderr; -1: see above */
	const char *log;     /* its name, for the messages */
} de_fuse_opts;

/* 0: served until unmounted (in the foreground, or in the background
 * server once it ends); 1: in the process that started the background
 * server, once it serves; -1: not served (e says why). */
int de_fuse_serve(un_fs *fs, const char *mnt, const de_fuse_opts *o, de_err *e);

#endif
