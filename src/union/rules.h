/*
 * rules.h — the whiteout and opaque rules of each union filesystem, and
 * xattr access relative to a directory descriptor. Internal to union/.
 * Every fd/dirfd here is an evidence descriptor (src/util/evh.h).
 */
#ifndef DE_UNION_RULES_H
#define DE_UNION_RULES_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "union.h"

/* overlayfs keeps its own state in trusted.overlay.* (user.overlay.* when
 * mounted with userxattr, as rootless engines do). */
#define OVL_TRUSTED "trusted.overlay."
#define OVL_USER    "user.overlay."

/* aufs names (aufs' whiteout.h): .wh.<name> deletes <name> below;
 * .wh..wh..opq makes its directory opaque; other .wh..wh.* are aufs'
 * bookkeeping (.wh..wh.plnk, .wh..wh.orph, .wh..wh.aufs). */
#define AUFS_WH      ".wh."
#define AUFS_WH_META ".wh..wh."
#define AUFS_OPQ     ".wh..wh..opq"

/* Value of an overlay xattr ("opaque", "redirect"…) of the directory open
 * as fd, trusted.* first then user.*; -1 when absent. */
ssize_t ovl_fgetxattr(int fd, const char *suffix, char *buf, size_t len);
/* Same for the entry name in directory dirfd, not following a symlink. */
ssize_t ovl_getxattr_at(int dirfd, const char *name, const char *suffix, char *buf, size_t len);

/* Any xattr of name in dirfd, never through a symlink (evh_getxattrat). */
ssize_t xattr_get_at(int dirfd, const char *name, const char *attr, void *buf, size_t len);
ssize_t xattr_list_at(int dirfd, const char *name, char *buf, size_t len);
/* True for overlay's own xattrs, which are never shown as file xattrs. */
bool xattr_is_overlay(const char *attr);

/* How a directory of one layer limits what is below it. */
typedef struct dir_marks {
	bool opaque;          /* hides the same directory in lower layers */
	bool xwhiteouts;      /* overlay "x": may hold xattr whiteouts */
	char *redirect;       /* overlay: path of its lower content, or NULL */
	bool bad_redirect;    /* overlay: a redirect the kernel refuses (not kept) */
} dir_marks;

/* True for a redirect the kernel follows (overlayfs namei.c): absolute,
 * "/" + non-empty names; or one name, relative to the parent. A "." or
 * ".." name is refused too: the kernel's lookup_one_len() refuses it, and
 * looked up in a layer's directory it would leave the layer. */
bool ovl_redirect_valid(const char *r);

void rules_dir_marks(un_rules rules, int dirfd, dir_marks *m);
/* The same for a layer's root, which is never opaque and never redirected:
 * the kernel merges every layer's root (overlayfs' ovl_get_root takes all
 * the layers; an opaque xattr is read only on lookup, which the root never
 * goes through; aufs' root likewise holds every branch). A layer applied
 * from a tar holding ./.wh..wh..opq has its root marked so. */
void rules_root_marks(un_rules rules, int dirfd, dir_marks *m);
/* True when the entry name (lstat st) of a layer directory is a whiteout. */
bool rules_is_whiteout(un_rules rules, int dirfd, const char *name, const struct stat *st,
                       bool xwhiteouts);
/* aufs: true when dirfd holds .wh.<name>. */
bool aufs_has_whiteout(int dirfd, const char *name);
/* overlay: true when the regular file name (lstat st) holds only metadata.
 * A metacopy file is a hole of the right size with no block of its own, so
 * the xattr is read only for files that look like one. */
bool ovl_is_metacopy(int dirfd, const char *name, const struct stat *st);

#endif
