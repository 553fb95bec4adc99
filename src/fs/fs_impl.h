/*
 * fs_impl.h — what a file system reader provides to fs.c (internal to
 * src/fs/). fs.c holds what is common: the choice of reader, path lookup,
 * the xattr helpers, the reading of files from their extent maps, and the
 * conversion of POSIX ACLs to the kernel's xattr format.
 */
#ifndef DE_FS_IMPL_H
#define DE_FS_IMPL_H

#include "fs.h"

typedef struct fs_ops {
	const char *name;
	int (*stat)(de_fs *fs, uint64_t ino, fs_stat *st, de_err *e);
	int (*readdir)(de_fs *fs, uint64_t ino, fs_dir_cb cb, void *arg, de_err *e);
	int (*readlink)(de_fs *fs, uint64_t ino, char **target, size_t *len, de_err *e);
	int (*xattrs)(de_fs *fs, uint64_t ino, fs_xattr_cb cb, void *arg, de_err *e);
	int (*file_open)(de_fs *fs, uint64_t ino, fs_file *f, de_err *e);
	int (*file_extent)(fs_file *f, uint64_t off, fs_extent *x, de_err *e);
	void (*file_close)(fs_file *f);
	void (*close)(de_fs *fs);
} fs_ops;

struct de_fs {
	const fs_ops *ops;
	const char *type;
	bsrc *src;            /* the volume, for file data */
	bsrc *meta;           /* a cache over it, for metadata */
	uint64_t root;
	bool dirty;
	char label[64];
	void *priv;           /* the reader's own state */
	struct fs_dcache *dcache;   /* fs_lookup's names of one large directory */
};

struct fs_file {
	de_fs *fs;
	uint64_t ino, size;
	uint8_t *inl;         /* FS_INLINE content (size bytes), owned */
	void *priv;           /* the reader's own state (an extent map) */
	fs_extent last;       /* the last extent found: most reads continue in it */
	bool have_last;
};

/* dcache.c: the names of the last large directory looked up in, hashed.
 * dc_find: 1 found, 0 not there, -1 that directory is not cached. dc_scan:
 * reads dir (keeping it when large enough) and looks name up; 1, 0, or a
 * negative errno. */
typedef struct fs_dcache fs_dcache;
fs_dcache *dc_new(void);
void dc_free(fs_dcache *c);
int dc_find(fs_dcache *c, uint64_t dir, const char *name, size_t len, uint64_t *ino);
int dc_scan(de_fs *fs, fs_dcache *c, uint64_t dir, const char *name, size_t len, uint64_t *ino,
            de_err *e);

int fs_open_ext4(bsrc *src, de_fs *fs, de_err *e);
int fs_open_xfs(bsrc *src, de_fs *fs, de_err *e);

/* errno-valued failure: sets e and returns -err. */
int fs_err(de_err *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* POSIX ACL entries in the kernel's xattr format (posix_acl_xattr: le32
 * version 2, then per entry le16 tag, le16 perm, le32 id; id -1 for the
 * entries that have none). A builder for the readers' own formats. */
typedef struct acl_buf {
	uint8_t *p;
	size_t n, cap;
} acl_buf;
void acl_begin(acl_buf *a);
void acl_add(acl_buf *a, uint16_t tag, uint16_t perm, uint32_t id);

#define ACL_USER_OBJ  0x01
#define ACL_USER      0x02
#define ACL_GROUP_OBJ 0x04
#define ACL_GROUP     0x08
#define ACL_MASK      0x10
#define ACL_OTHER     0x20
#define ACL_UNDEFINED_ID 0xffffffffu

/* The DT_* type of a mode. */
unsigned fs_dtype(uint32_t mode);

#endif
