/*
 * union.h — the union engine: a read-only merged view of stacked layer
 * directories, computed from the directories alone, as overlayfs and aufs
 * would show it. It knows nothing of Docker: it is given open directory
 * descriptors, top layer first, and the whiteout rules to apply.
 * Every descriptor it takes or gives is an evidence descriptor
 * (src/util/evh.h: a kernel fd or a virtual one of an image's file
 * system), read only through evh_*; release one with evh_close.
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
 *    So can single files (a file the engine bind-mounted, /etc/hostname):
 *    the file is seen at that path, with its own stat, content and xattrs.
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
 * O_RDONLY|O_DIRECTORY evh descriptor of the layer's root. label names it
 * in messages. */
void un_add_layer(un_fs *fs, int dirfd, const char *label);
/* Closes the descriptors of layers [from, n): fs may no longer be read
 * there (its labels stay). For a caller holding thousands of views whose
 * bottoms are the same layers (timeline --all): one view keeps them. */
void un_release_layers(un_fs *fs, size_t from);
/* Attaches a single-directory tree at path (a volume, a bind mount). */
void un_add_mount(un_fs *fs, const char *path, int dirfd, const char *label);
/* Attaches the entry `name` of the directory dirfd at path: a file shown
 * there as a bind mount shows it (a directory works as with un_add_mount).
 * It hides the layers' entry at path and all below it; its stat, content
 * and xattrs are those of the source. name is one component, and never a
 * symlink: the kernel mounts what a link leads to, so the caller resolves
 * it; a symlink there is an error when looked up. Takes dirfd. */
void un_add_file_mount(un_fs *fs, const char *path, int dirfd, const char *name,
                       const char *label);
size_t un_layer_count(const un_fs *fs);           /* layers and mounts */
const char *un_layer_label(const un_fs *fs, int layer);

/* One entry of the merged view. */
typedef struct un_node {
	struct stat st;      /* lstat of the supplying entry */
	int layer;           /* index of the supplying layer or mount */
	bool metacopy;       /* overlay: metadata here, data in a lower layer */
	bool merged;         /* overlay: a directory merged from two or more layers */
} un_node;

/* The link count the container saw: overlayfs gives a directory merged from
 * two or more layers 1 (ovl_getattr: counting its subdirectories is not
 * worth it), every other entry the count of the layer's own inode. */
static inline nlink_t un_nlink(const un_node *n)
{
	return n->merged ? 1 : n->st.st_nlink;
}

/* The entry at path (absolute in the view; symlinks in the middle are
 * followed as the container would; the last one too when follow). */
int un_stat(un_fs *fs, const char *path, bool follow, un_node *out, de_err *e);
/* The canonical path of path (every symlink resolved); caller frees. */
char *un_realpath(un_fs *fs, const char *path, de_err *e);
/* Target of the symlink at path (not followed). Caller frees. */
char *un_readlink(un_fs *fs, const char *path, de_err *e);
/* A read-only descriptor of the content of the regular file at path
 * (following a last symlink); metacopy files give their lower data. An evh
 * descriptor: read with evh_read/evh_pread, release with evh_close. */
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
	int dirfd;                /* the directory holding it (supplying layer or mount): evh */
	const char *at;           /* its name there ("." for a mount's root) */
} un_walk_entry;
typedef int (*un_walk_fn)(void *arg, const un_walk_entry *ent);
int un_walk(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e);
/* The same, path itself first (its canonical path, as `tar -C / -c etc`
 * gives etc/ before its content); fn returning 1 for it skips the rest. */
int un_walk_self(un_fs *fs, const char *path, un_walk_fn fn, void *arg, de_err *e);

/* Content, xattrs and link target of a walked entry, from its descriptors
 * (no path lookup again: this is what keeps a full walk cheap).
 * un_walk_open gives an evh descriptor, as un_open. */
int un_walk_open(un_fs *fs, const un_walk_entry *ent, de_err *e);
char *un_walk_readlink(const un_walk_entry *ent, de_err *e);
int un_walk_listxattr(un_fs *fs, const un_walk_entry *ent, strvec *names, de_err *e);
void *un_walk_getxattr(const un_walk_entry *ent, const char *name, size_t *len, de_err *e);
/* The same for a file already open (from un_walk_open; fd is an evh
 * descriptor): cheaper than by name. A metacopy file's xattrs are those of its metadata, not its data:
 * use the by-name calls for it. */
int un_fd_listxattr(int fd, const char *path, strvec *names, de_err *e);
void *un_fd_getxattr(int fd, const char *path, const char *name, size_t *len, de_err *e);

/* The record of what layer `layer` does to the view of the layers below
 * it (diff.c), in path order, a directory before its content:
 *   A  added: the layers below have no entry there (and all below it);
 *   C  the layer's entry replaces one below (overlay copies up every parent
 *      of a change: those directories are C too);
 *   D  deleted: a whiteout of the layer (whiteout), or an entry below that an
 *      opaque directory of the layer hides (hidden_by names it; implied when
 *      its own parent is deleted too);
 *   M  aufs' bookkeeping names (.wh..wh.*), only with UN_DIFF_MARKERS.
 * now is the layer's entry (A, C, M; for a whiteout the whiteout itself),
 * before the merged entry below it replaces or deletes (C, D; NULL for a
 * whiteout hiding nothing). fn returns -1 to stop. */
typedef enum un_change {
	UN_ADDED = 'A', UN_CHANGED = 'C', UN_DELETED = 'D', UN_MARKER = 'M'
} un_change;

typedef struct un_diff_ent {
	un_change kind;
	const char *path;
	unsigned depth;                /* components of path: 1 for /etc */
	const un_walk_entry *now;
	const un_walk_entry *before;
	bool whiteout;                 /* D: by a whiteout of the layer */
	bool opaque;                   /* A, C directory: opaque in the layer */
	const char *hidden_by;         /* D: the opaque directory hiding it */
	bool implied;                  /* D: its parent directory is deleted too */
	const void *probe;             /* internal: for un_diff_in_layer */
} un_diff_ent;

#define UN_DIFF_PROBE   1u   /* keep what un_diff_in_layer needs */
#define UN_DIFF_MARKERS 2u   /* report aufs' .wh..wh.* names (M) */

typedef int (*un_diff_ent_fn)(void *arg, const un_diff_ent *ent);
int un_diff_walk(un_fs *fs, size_t layer, unsigned flags, un_diff_ent_fn fn, void *arg,
                 de_err *e);

/* What one layer below the diffed one holds on its own (unmerged: whatever
 * the layers above or below it hold) at the path of an entry the diffed
 * layer holds; k = 0 is the layer right below. Needs UN_DIFF_PROBE. */
typedef enum un_presence {
	UN_ABSENT,          /* no entry of that name */
	UN_PRESENT,         /* an entry (lstat in *st) */
	UN_WHITEOUT,        /* overlay: a whiteout of that name (lstat in *st) */
	UN_UNDER_WHITEOUT,  /* overlay: a parent directory of the path is a whiteout there */
	UN_UNDER_FILE,      /* a parent of the path is not a directory there */
} un_presence;
un_presence un_diff_in_layer(const un_diff_ent *ent, size_t k, struct stat *st);
size_t un_diff_lower_count(const un_fs *fs, size_t layer);

/* The same record as plain changes (A, C, D; no markers, no whiteout of
 * nothing). */
typedef int (*un_diff_fn)(void *arg, un_change kind, const char *path,
                          const un_walk_entry *now, const un_walk_entry *before);
int un_diff_layer(un_fs *fs, size_t layer, un_diff_fn fn, void *arg, de_err *e);

/* What layers [0, upto) and the mounts of fs replace or hide of the layers
 * below: the view of those lower layers, walked once and shared by every
 * container made from them, minus what un_shadow_hides() says, plus the
 * walk of the top layers, is each container's view (shadow.c). The shadow
 * reads fs's layers again (un_shadow_marker_stat): fs outlives it. */
typedef struct un_shadow un_shadow;
un_shadow *un_shadow_build(un_fs *fs, size_t upto);
bool un_shadow_hides(const un_shadow *s, const char *path);
void un_shadow_free(un_shadow *s);

/* Why a lower entry is not in the view, and the marker that says so: a
 * whiteout (of the path or an ancestor), an opaque directory above it, a
 * non-directory in place of an ancestor directory (all three: deleted from
 * the view), or a mount point (only covered). */
typedef enum un_marker_kind {
	UN_MK_WHITEOUT = 1, UN_MK_OPAQUE, UN_MK_NONDIR, UN_MK_MOUNT
} un_marker_kind;
typedef struct un_marker {
	const char *path;       /* the marker's path in the view (owned by the shadow) */
	un_marker_kind kind;
	int layer;              /* the layer holding it; -1 for a mount */
} un_marker;
typedef enum un_hidden {
	UN_HID_SHOWN,       /* not hidden */
	UN_HID_REPLACED,    /* the top layers hold the path itself */
	UN_HID_DELETED,     /* by a whiteout, an opaque directory or a non-directory */
	UN_HID_MOUNTED,     /* under a mount point */
} un_hidden;
/* For an entry of a layer below layer `below` (an image entry: below =
 * upto; an entry of layer j of the top layers: below = j): what the layers
 * above it and the mounts do to it. A marker that answers UN_HID_DELETED is
 * marked used. */
un_hidden un_shadow_why(un_shadow *s, const char *path, int below, un_marker *mk);
/* The whiteouts no un_shadow_why() answer used: they hide nothing below. */
void un_shadow_unused(const un_shadow *s, void (*fn)(void *arg, const un_marker *mk), void *arg);
/* The marker's own inode, raw in its layer: the whiteout (a 0/0 character
 * device, an xattr whiteout, aufs' .wh.<name>), the opaque directory (aufs:
 * its .wh..wh..opq), the non-directory. Its times are the deletion's. */
int un_shadow_marker_stat(const un_shadow *s, const un_marker *mk, struct statx *out, de_err *e);

/* One layer of fs on its own and raw (no whiteout rule applied): its walk
 * shows every entry of the layer directory, whiteouts and aufs' own files
 * among them. un_raw_kind() says what a walked entry is under fs's rules;
 * for a whiteout, *hidden (caller frees) is the path it deletes. */
un_fs *un_slice_raw(const un_fs *fs, size_t layer);
typedef enum un_raw { UN_RAW_ENTRY, UN_RAW_WHITEOUT, UN_RAW_META } un_raw;
un_raw un_raw_kind(const un_fs *fs, const un_walk_entry *ent, char **hidden);
/* A view of layers [from, to) of fs (descriptors duplicated), with or
 * without its mounts: the top or the bottom of a stack on its own. */
un_fs *un_slice(const un_fs *fs, size_t from, size_t to, bool mounts);

#endif
