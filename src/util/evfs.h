/*
 * evfs.h — read-only access to the evidence below one root directory.
 *
 * Every descriptor here is an evidence descriptor (evh.h): a kernel fd
 * below a directory tree, or a virtual one inside a disk image (--image);
 * read, stat and close them with evh_*.
 *
 * Contract:
 *  - Every path is relative to an ev_root and is resolved by the kernel with
 *    openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): a "..", an absolute
 *    symlink or a relative one that climbs out of the root fails (EXDEV), so
 *    no byte of the evidence can make us read outside it. Where openat2 is
 *    missing (Linux < 5.6) paths are walked one component at a time with
 *    O_NOFOLLOW, and every symlink is refused.
 *  - Files are opened O_RDONLY | O_NOATIME | O_CLOEXEC. O_NOATIME is only
 *    allowed to the file's owner (or CAP_FOWNER); on EPERM we open without
 *    it, and a read-only mount of the evidence keeps atimes in any case.
 *  - Every read is bounded by the caller's maximum: a file larger than that
 *    is an error naming the file, never a huge allocation.
 *  - Nothing here writes, renames or changes a timestamp.
 */
#ifndef DE_EVFS_H
#define DE_EVFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <jansson.h>

#include "diag.h"
#include "strvec.h"

/* Bounds on what one evidence file may hold; past them, the file is refused. */
#define EV_MAX_JSON   (64u << 20)  /* a container or image config */
#define EV_MAX_SMALL  (64u << 10)  /* mount-id, parent, lower, layers, size… */
#define EV_MAX_DIRENTS 1000000u    /* entries read from one directory */

typedef struct ev_root {
	int fd;        /* O_PATH|O_DIRECTORY descriptor of the root */
	char *path;    /* as the user gave it, for messages and printed paths */
	bool in_root;  /* a host's "/": absolute symlinks resolve inside it */
} ev_root;

int ev_root_open(ev_root *r, const char *path, de_err *e);
/* The root of an imaged host: paths and symlinks in it are resolved as the
 * host would resolve them, but inside it (RESOLVE_IN_ROOT): an absolute
 * link /var/lib/docker -> /data/docker stays in the image. */
int ev_root_open_host(ev_root *r, const char *path, de_err *e);
void ev_root_close(ev_root *r);

/* Opens rel below r ("" or "." is the root itself). flags are added to
 * O_RDONLY|O_CLOEXEC (O_DIRECTORY, O_PATH, O_NOFOLLOW…). Returns an fd or -1. */
int ev_open(const ev_root *r, const char *rel, int flags, de_err *e);
/* Opens the directory name (one component, or ".") of an opened directory
 * for reading: never through a symlink, and with O_NOATIME where the kernel
 * allows it (owner or root), so listing it leaves its atime alone. -1 and
 * errno on failure. */
int ev_open_dir_at(int dirfd, const char *name);

/* stat of rel (symlinks followed, within the root); lstat with nofollow. */
int ev_stat(const ev_root *r, const char *rel, struct stat *st, de_err *e);
int ev_lstat(const ev_root *r, const char *rel, struct stat *st, de_err *e);
bool ev_is_dir(const ev_root *r, const char *rel);
bool ev_is_file(const ev_root *r, const char *rel);
/* 0 when rel can be reached (stat would work), else the errno why not:
 * ENOENT, or EACCES when a directory on the way may not be searched. */
int ev_reach(const ev_root *r, const char *rel);

/* Whole file, NUL-terminated, at most max bytes (else an error). */
char *ev_read(const ev_root *r, const char *rel, size_t max, size_t *len, de_err *e);
/* A small one-value file (mount-id, parent, cache-id…): whitespace trimmed at
 * both ends; an empty or NUL-holding file is an error. */
char *ev_read_token(const ev_root *r, const char *rel, de_err *e);
/* A small file holding one non-negative decimal number (a layer's size):
 * the number, or -1 when the file is absent or holds anything else. */
int64_t ev_read_size(const ev_root *r, const char *rel);
/* A JSON document. Jansson bounds nesting depth (2048); invalid UTF-8 and
 * trailing garbage are errors that name the file, line and column. */
json_t *ev_read_json(const ev_root *r, const char *rel, size_t max, de_err *e);
/* JSON from bytes already read (for fuzzing and for digest checks). */
json_t *ev_parse_json(const char *buf, size_t len, const char *what, de_err *e);

/* Names in directory rel, without "." and "..", sorted bytewise. At most
 * EV_MAX_DIRENTS; more is an error. */
int ev_list(const ev_root *r, const char *rel, strvec *out, de_err *e);

/* Disk images (src/source): the file system whose root is the virtual
 * descriptor root (evh.h) answers for every path starting with prefix
 * ("IMAGE@p2:"): ev_root_open("IMAGE@p2:/var/lib/docker") opens that
 * directory in it, resolved as the imaged host would (in its root). With
 * ev_evidence_only(true), a path outside every attached image is refused:
 * once --image names the evidence, nothing else is read. ev_attach takes
 * root; ev_detach_all closes them. */
void ev_attach(const char *prefix, int root);
void ev_detach_all(void);
void ev_evidence_only(bool on);
bool ev_attached(const char *path);

/* Tests only: take the no-openat2 path, as on Linux < 5.6. */
void ev_use_walk_fallback(bool on);

#endif
