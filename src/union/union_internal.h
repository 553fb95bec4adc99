/*
 * union_internal.h — what the parts of the union engine share: the view's
 * layers and mounts, merges (the contributing directories of one merged
 * directory), lookup and path resolution. Internal to union/. Every fd
 * here is an evidence descriptor (src/util/evh.h): opened, read and
 * closed through evh_* only.
 */
#ifndef DE_UNION_INTERNAL_H
#define DE_UNION_INTERNAL_H

#include "union.h"

struct un_layer {
	int fd;
	char *label;
};

struct un_mount {
	char *path;        /* canonical, "/" + components, no trailing slash */
	int fd;            /* the directory holding the source, */
	char *name;        /* and its name there: "." for a directory tree */
	char *label;
};

struct un_fs {
	un_rules rules;
	struct un_layer *layers;
	size_t nlayers;
	struct un_mount *mounts;
	size_t nmounts;
};

/* The contributing directories of one merged directory. */
typedef struct merge {
	size_t n, cap;
	int *layer;
	int *fd;
	bool *xwh;          /* overlay: this layer's directory may hold xattr whiteouts */
	un_rules rules;     /* a mount's tree has none */
} merge;

/* ---- union.c: merges and lookup */
void merge_add(merge *m, int layer, int fd, bool xwh);
void merge_close(merge *m);
/* The descriptor of layer in m, or -1. */
int fd_of(const merge *m, int layer);
/* A layer directory, never through a symlink, O_NOATIME where allowed. */
int open_dir_at(int dirfd, const char *name);
const struct un_mount *mount_at(const un_fs *fs, const char *path);
int mount_index(const un_fs *fs, const struct un_mount *mt);
/* lstat of a mount's source; a symlink is refused (ELOOP). */
int mount_stat(const struct un_mount *mt, struct stat *st);
int merge_mount(const un_fs *fs, const struct un_mount *mt, merge *out, de_err *e);
int merge_root(const un_fs *fs, merge *out, de_err *e);
/* Looks name up in the merge parent: the supplying entry in node and, when
 * child is given and it is a directory, its merge. -1 (ENOENT) when absent. */
int lookup(const un_fs *fs, const merge *parent, const char *path, const char *name,
           un_node *node, merge *child, de_err *e);

/* The merge of directory path (canonical) in the layers from `from` down. */
int merge_path_in_layers(const un_fs *fs, size_t from, const char *path, merge *out,
                         de_err *e);

/* ---- resolve.c: paths of the view */
/* Where a path of the view leads. */
typedef struct loc {
	char *path;        /* canonical */
	un_node node;
	merge parent;      /* merge of the containing directory (empty for the root) */
	int efd;           /* directory holding the entry, and its name there: */
	char *ename;       /* what fstatat/openat/xattrs are done on */
	merge self;        /* the entry's own merge, when asked and a directory */
} loc;

void loc_free(loc *l);
/* Resolves path as the container would; the last symlink too when
 * follow_last; the entry's own merge in self when want_self. */
int resolve(un_fs *fs, const char *path, bool follow_last, bool want_self, loc *out,
            de_err *e);
char *readlink_at(int dirfd, const char *name, const char *path, de_err *e);

/* ---- listing.c */
void list_merge(const un_fs *fs, const merge *m, const char *path, un_dir *out);

/* ---- content.c */
int open_file_at(int dirfd, const char *name);

#endif
