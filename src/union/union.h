/*
 * union.h — the union engine: a read-only merged view of stacked layer
 * directories, computed from the directories alone, as overlayfs and aufs
 * would show it. It knows nothing of Docker: it is given open directory
 * descriptors, top layer first, and the whiteout rules to apply.
 *
 * Contract:
 *  - Lazy: nothing is read until asked, one directory at a time; memory is
 *    bounded by the largest directory, never by the tree.
 *  - Confined: every lookup is done component by component with
 *    O_NOFOLLOW below a layer's descriptor. A symlink in a layer is an entry
 *    to show, never a path to take. Symlinks of the merged view are resolved
 *    as the container would: an absolute target from the view's root, ".."
 *    never above it, at most UN_MAX_LINKS of them.
 *  - Rules (rules.c): overlay — whiteout = 0/0 char device, or a zero-size
 *    file with xattr overlay.whiteout in a directory marked overlay.opaque
 *    "x"; opaque directory = overlay.opaque "y"; a non-directory hides any
 *    lower entry of that name; overlay.redirect and overlay.metacopy honoured;
 *    the xattrs under trusted.overlay.* (and user.overlay.* for rootless
 *    data) are never shown as file xattrs. aufs — .wh.<name> whiteout,
 *    .wh..wh..opq opaque marker, every other .wh..wh.* hidden. none — the
 *    top layer is the whole tree.
 *  - Provenance: every entry carries the index of the layer that supplied it.
 *  - Extra trees (volumes, binds) can be attached at a path: below it, that
 *    tree alone is seen, as a mount hides what is under its mount point.
 *  - Errors are values (de_err); what cannot be read during a walk is a
 *    warning naming the path and the layer, and the walk goes on.
 */
#ifndef DE_UNION_H
#define DE_UNION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "../util/diag.h"
#include "../util/strvec.h"

typedef enum un_rules { UN_RULES_NONE, UN_RULES_OVERLAY, UN_RULES_AUFS } un_rules;

#define UN_MAX_LINKS 40     /* symlinks followed in one resolution, as Linux */
#define UN_MAX_DEPTH 4096   /* directory depth of a walk */
#define UN_MAX_PATH  65536  /* bytes in a path we build */

typedef struct un_fs un_fs;

un_fs *un_new(un_rules rules);
void un_free(un_fs *fs);
/* Adds the next layer down (call top first). Takes the descriptor, an
 * O_RDONLY|O_DIRECTORY fd of the layer's root. label names it in messages. */
void un_add_layer(un_fs *fs, int dirfd, const char *label);
/* Attaches a single-directory tree at path (a volume, a bind mount). */
void un_add_mount(un_fs *fs, const char *path, int dirfd, const char *label);
size_t un_layer_count(const un_fs *fs);           /* layers and mounts */
const char *un_layer_label(const un_fs *fs, int layer);

/* One entry of the merged view. */
typedef struct un_node {
	struct stat st;      /* lstat of the supplying entry */
	int layer;           /* index of the supplying layer or mount */
	bool metacopy;       /* overlay: metadata here, data in a lower layer */
} un_node;

/* The entry at path (absolute in the view; symlinks in the middle are
 * followed as the container would; the last one too when follow). */
int un_stat(un_fs *fs, const char *path, bool follow, un_node *out, de_err *e);
/* The canonical path of path (every symlink resolved); caller frees. */
char *un_realpath(un_fs *fs, const char *path, de_err *e);
/* Target of the symlink at path (not followed). Caller frees. */
char *un_readlink(un_fs *fs, const char *path, de_err *e);
/* A read-only descriptor of the content of the regular file at path
 * (following a last symlink); metacopy files give their lower data. */
int un_open(un_fs *fs, const char *path, de_err *e);
/* File xattrs of the entry at path, overlay's own left out. */
int un_listxattr(un_fs *fs, const char *path, strvec *names, de_err *e);
/* Value of one xattr; *len receives its size. Caller frees. */
void *un_getxattr(un_fs *fs, const char *path, const char *name, size_t *len, de_err *e);

/* A merged directory listing, sorted bytewise by name. */
typedef struct un_dirent {
	char *name;
	int layer;
	unsigned char type;  /* DT_* of the supplying entry */
} un_dirent;

typedef struct un_dir {
	un_dirent *v;
	size_t n;
} un_dir;

int un_readdir(un_fs *fs, const char *path, un_dir *out, de_err *e);
void un_dir_free(un_dir *d);

/* Depth-first walk of the view below path (path itself excluded), each
 * directory's entries in name order, parents before children. fn returns 0
 * to go on, 1 to skip a directory's content, -1 to stop. Unreadable parts
 * are warnings and the walk goes on; -1 only when fn stopped it or path
 * itself cannot be read. */
typedef struct un_walk_entry {
	const char *path;         /* absolute in the view */
	const char *name;
	const un_node *node;
	int dirfd;                /* the directory holding it (supplying layer or mount) */
	const char *at;           /* its name there ("." for a mount's root) */
} un_walk_entry;
typedef int (*un_walk_fn)(void *arg, const un_walk_entry *ent);
int un_walk(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e);
/* The same, path itself first (its canonical path, as `tar -C / -c etc`
 * gives etc/ before its content); fn returning 1 for it skips the rest. */
int un_walk_self(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e);

/* Content, xattrs and link target of a walked entry, from its descriptors
 * (no path lookup again: this is what keeps a full walk cheap). */
int un_walk_open(un_fs *fs, const un_walk_entry *ent, de_err *e);
char *un_walk_readlink(const un_walk_entry *ent, de_err *e);
int un_walk_listxattr(un_fs *fs, const un_walk_entry *ent, strvec *names, de_err *e);
void *un_walk_getxattr(const un_walk_entry *ent, const char *name, size_t *len, de_err *e);
/* The same for a file already open (from un_walk_open): cheaper than by
 * name. A metacopy file's xattrs are those of its metadata, not its data:
 * use the by-name calls for it. */
int un_fd_listxattr(int fd, const char *path, strvec *names, de_err *e);
void *un_fd_getxattr(int fd, const char *path, const char *name, size_t *len, de_err *e);

/* The changes layer `layer` makes to the view of the layers below it, in
 * name order, parents first: A (added), C (changed: replaces an entry
 * below), D (deleted: a whiteout, or hidden by an opaque directory). now is
 * the layer's entry (A, C), before the one it replaced or deleted (C, D).
 * fn returns -1 to stop. */
typedef enum un_change { UN_ADDED = 'A', UN_CHANGED = 'C', UN_DELETED = 'D' } un_change;
typedef int (*un_diff_fn)(void *arg, un_change kind, const char *path,
                          const un_walk_entry *now, const un_walk_entry *before);
int un_diff_layer(un_fs *fs, size_t layer, un_diff_fn fn, void *arg, de_err *e);

/* What layers [0, upto) and the mounts of fs replace or hide of the layers
 * below: the view of those lower layers, walked once and shared by every
 * container made from them, minus what un_shadow_hides() says, plus the
 * walk of the top layers, is each container's view (shadow.c). */
typedef struct un_shadow un_shadow;
un_shadow *un_shadow_build(un_fs *fs, size_t upto);
bool un_shadow_hides(const un_shadow *s, const char *path);
void un_shadow_free(un_shadow *s);
/* A view of layers [from, to) of fs (descriptors duplicated), with or
 * without its mounts: the top or the bottom of a stack on its own. */
un_fs *un_slice(const un_fs *fs, size_t from, size_t to, bool mounts);

#endif
