/* Unit tests: fs (ext4.c, xfs.c and their parts) — the contract of fs.h
 * on small images made by the real tools without root (mkfs.ext4 -d copies
 * a directory in, mkfs.xfs -p reads a prototype file), and on copies of
 * them damaged here, byte by byte, where the formats say (constructed
 * damage: what no tool writes). The full comparison with the kernel's
 * view of far larger images is tests/e2e/t_fsread.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fs/fs.h"
#include "util/bytes.h"

static char dir[] = "/tmp/de-test-fs.XXXXXX";
static char ext4img[300], xfsimg[300];
static bool have_xattr;

static uint8_t *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*n = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc(*n);
	assert_int_equal(fread(p, 1, *n, f), *n);
	fclose(f);
	return p;
}

static void put(const char *rel, const char *content)
{
	char p[400];
	snprintf(p, sizeof p, "%s/src/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	char p[400], cmd[2000];
	snprintf(p, sizeof p, "%s/src", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/src/sub", dir);
	mkdir(p, 0750);
	snprintf(p, sizeof p, "%s/src/many", dir);
	mkdir(p, 0755);
	put("hello", "hello, world\n");
	put("sub/inner", "inner\n");
	for (int i = 0; i < 100; i++) {
		char n[40];
		snprintf(n, sizeof n, "many/entry-%03d", i);
		put(n, "");
	}
	snprintf(p, sizeof p, "%s/src/lnk", dir);
	if (symlink("sub", p) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/src/sparse", dir);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 1 << 20) < 0 || pwrite(fd, "data", 4, 512 * 1024) != 4)
		return -1;
	close(fd);
	snprintf(p, sizeof p, "%s/src/hello", dir);
	have_xattr = setxattr(p, "user.note", "v", 1, 0) == 0;
	snprintf(ext4img, sizeof ext4img, "%s/e.img", dir);
	snprintf(cmd, sizeof cmd, "mkfs.ext4 -q -F -b 1024 -d %s/src %s 4M >/dev/null 2>&1", dir, ext4img);
	if (system(cmd) != 0)
		return -1;
	/* XFS from a prototype: a file, a directory, a symlink, devices */
	snprintf(p, sizeof p, "%s/proto", dir);
	FILE *f = fopen(p, "w");
	fprintf(f, "boot\n0 0\nd--755 0 0\nhello ---644 1000 1001 %s/src/hello\n"
	           "sub d--700 0 0\n inner ---600 0 0 %s/src/sub/inner\n $\n"
	           "lnk l--777 0 0 sub\nnull c--644 0 0 1 3\nwh c--000 0 0 0 0\n"
	           "big b--600 0 0 300 70000\n$\n", dir, dir);
	fclose(f);
	snprintf(xfsimg, sizeof xfsimg, "%s/x.img", dir);
	snprintf(cmd, sizeof cmd, "truncate -s 20M %s && TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 "
	         "mkfs.xfs -q -f -p %s %s >/dev/null 2>&1", xfsimg, p, xfsimg);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

static de_fs *open_file(const char *path, bsrc **src)
{
	de_err e;
	*src = bsrc_open_raw(path, &e);
	assert_non_null(*src);
	de_fs *fs;
	assert_int_equal(fs_open(*src, &fs, &e), 0);
	return fs;
}

static uint64_t lookup(de_fs *fs, const char *path)
{
	uint64_t ino;
	size_t done;
	de_err e;
	int rc = fs_namei(fs, path, &ino, &done, &e);
	if (rc < 0)
		fail_msg("%s: %s", path, e.msg);
	return ino;
}

static int count_cb(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	(void)name; (void)len; (void)ino; (void)dtype;
	(*(int *)arg)++;
	return 0;
}

typedef struct names {
	char name[100][32];
	uint64_t ino[100];
	int n;
} names;

static int names_cb(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	names *l = arg;
	(void)dtype;
	if (l->n < 100 && len < 32) {
		memcpy(l->name[l->n], name, len);
		l->name[l->n][len] = '\0';
		l->ino[l->n++] = ino;
	}
	return 0;
}

static void check_common(de_fs *fs)
{
	de_err e;
	uint64_t ino;
	size_t done;
	fs_stat st;
	/* paths: a symlink on the way is the caller's to resolve */
	assert_int_equal(fs_namei(fs, "/lnk/inner", &ino, &done, &e), -ELOOP);
	assert_int_equal(done, 4);
	assert_int_equal(ino, lookup(fs, "/lnk"));
	assert_int_equal(fs_namei(fs, "/hello/x", &ino, &done, &e), -ENOTDIR);
	assert_int_equal(fs_namei(fs, "/nope", &ino, &done, &e), -ENOENT);
	assert_int_equal(fs_namei(fs, "/sub/../hello", &ino, &done, &e), -EINVAL);
	assert_int_equal(lookup(fs, "//./sub/inner"), lookup(fs, "/sub/inner"));
	assert_int_equal(lookup(fs, "/"), fs_root(fs));
	char *t;
	size_t tl;
	assert_int_equal(fs_readlink(fs, lookup(fs, "/lnk"), &t, &tl, &e), 0);
	assert_string_equal(t, "sub");
	free(t);
	assert_int_equal(fs_readlink(fs, lookup(fs, "/hello"), &t, &tl, &e), -EINVAL);
	/* a symlink's content is its target, fast (in the inode) or not */
	fs_file *lf;
	char lb[8];
	size_t lgot;
	assert_int_equal(fs_file_open(fs, lookup(fs, "/lnk"), &lf, &e), 0);
	assert_int_equal(fs_file_read(lf, 0, lb, sizeof lb, &lgot, &e), 0);
	assert_int_equal(lgot, 3);
	assert_memory_equal(lb, "sub", 3);
	fs_file_close(lf);
	/* content */
	fs_file *f;
	assert_int_equal(fs_file_open(fs, lookup(fs, "/hello"), &f, &e), 0);
	char buf[64];
	size_t got;
	assert_int_equal(fs_file_read(f, 0, buf, sizeof buf, &got, &e), 0);
	assert_int_equal(got, 13);
	assert_memory_equal(buf, "hello, world\n", 13);
	assert_int_equal(fs_file_read(f, 13, buf, sizeof buf, &got, &e), 0);
	assert_int_equal(got, 0);
	fs_file_close(f);
	assert_int_equal(fs_file_open(fs, lookup(fs, "/sub"), &f, &e), -EINVAL);
	assert_int_equal(fs_lstat(fs, lookup(fs, "/sub"), &st, &e), 0);
	assert_true(S_ISDIR(st.mode));
	void *v;
	size_t vl;
	assert_int_equal(fs_getxattr(fs, lookup(fs, "/sub"), "user.none", &v, &vl, &e), -ENODATA);
}

static void test_ext4(void **state)
{
	(void)state;
	bsrc *src;
	de_fs *fs = open_file(ext4img, &src);
	de_err e;
	assert_string_equal(fs_type(fs), "ext4");
	assert_int_equal(fs_root(fs), 2);
	check_common(fs);
	int n = 0;
	assert_int_equal(fs_readdir(fs, lookup(fs, "/many"), count_cb, &n, &e), 0);
	assert_int_equal(n, 100);
	/* lookups in a directory large enough to be kept hashed: each name
	 * finds what readdir gave, an absent one none, and again after a
	 * lookup elsewhere */
	static names l;
	uint64_t many = lookup(fs, "/many"), ino;
	assert_int_equal(fs_readdir(fs, many, names_cb, &l, &e), 0);
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < l.n; i++) {
			assert_int_equal(fs_lookup(fs, many, l.name[i], strlen(l.name[i]), &ino, &e), 0);
			assert_int_equal(ino, l.ino[i]);
		}
		assert_int_equal(fs_lookup(fs, many, "entry-100", 9, &ino, &e), -ENOENT);
		assert_int_equal(lookup(fs, "/sub/inner"), lookup(fs, "/sub/inner"));
	}
	/* a sparse file: a hole, then the data, reading as zeros and bytes */
	fs_file *f;
	assert_int_equal(fs_file_open(fs, lookup(fs, "/sparse"), &f, &e), 0);
	assert_int_equal(fs_file_size(f), 1 << 20);
	fs_extent x;
	assert_int_equal(fs_file_extent(f, 100, &x, &e), 0);
	assert_int_equal(x.kind, FS_HOLE);
	assert_int_equal(fs_file_extent(f, 512 * 1024, &x, &e), 0);
	assert_int_equal(x.kind, FS_DATA);
	char buf[8];
	size_t got;
	assert_int_equal(fs_file_read(f, 512 * 1024 - 4, buf, 8, &got, &e), 0);
	assert_memory_equal(buf, "\0\0\0\0data", 8);
	assert_int_equal(fs_file_extent(f, 1 << 20, &x, &e), -EINVAL);
	fs_file_close(f);
	if (have_xattr) {
		void *v;
		size_t vl;
		assert_int_equal(fs_getxattr(fs, lookup(fs, "/hello"), "user.note", &v, &vl, &e), 0);
		assert_int_equal(vl, 1);
		assert_memory_equal(v, "v", 1);
		free(v);
	}
	fs_stat st;
	assert_int_equal(fs_lstat(fs, 0, &st, &e), -EIO);
	assert_int_equal(fs_lstat(fs, 1u << 30, &st, &e), -EIO);
	assert_int_equal(fs_readdir(fs, lookup(fs, "/hello"), count_cb, &n, &e), -ENOTDIR);
	fs_close(fs);
	bsrc_close(src);
}

/* ext4 with 1 KiB blocks: the root inode (2) in group 0's table. */
static uint8_t *ext4_root_inode(uint8_t *img)
{
	uint32_t table = le32(img + 2 * 1024 + 8);   /* descriptor 0, block 2 */
	uint16_t isize = le16(img + 1024 + 0x58);
	return img + (size_t)table * 1024 + isize;
}

static void test_ext4_damaged(void **state)
{
	(void)state;
	size_t n;
	uint8_t *img = load(ext4img, &n), *copy = malloc(n);
	de_err e;
	de_fs *fs;
	/* a block size of 2^40: refused */
	memcpy(copy, img, n);
	put_le32(copy + 1024 + 0x18, 30);
	bsrc *s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), -EIO);
	assert_non_null(strstr(e.msg, "block size"));
	bsrc_close(s);
	/* the root's extent far outside the file system: its directory fails, cleanly */
	memcpy(copy, img, n);
	uint8_t *root = ext4_root_inode(copy);
	assert_int_equal(le16(root + 0x28), 0xF30A);
	put_le32(root + 0x28 + 20, 0x7fffffff);
	s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), 0);
	int count = 0;
	assert_int_equal(fs_readdir(fs, 2, count_cb, &count, &e), -EIO);
	assert_non_null(strstr(e.msg, "outside the file system"));
	fs_close(fs);
	bsrc_close(s);
	/* a directory entry of rec_len 0: a warning, the block left, no endless loop */
	memcpy(copy, img, n);
	root = ext4_root_inode(copy);
	uint8_t *blk = copy + (size_t)le32(root + 0x28 + 20) * 1024;
	put_le16(blk + 24 + 4, 0);   /* the entry after "." (12) and ".." (12) */
	s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), 0);
	size_t before = de_omission_count();
	count = 0;
	assert_int_equal(fs_readdir(fs, 2, count_cb, &count, &e), 0);
	assert_int_equal(de_omission_count(), before + 1);
	fs_close(fs);
	bsrc_close(s);
	/* an extent tree claiming depth 6 */
	memcpy(copy, img, n);
	root = ext4_root_inode(copy);
	put_le16(root + 0x28 + 6, 6);
	s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), 0);
	assert_int_equal(fs_readdir(fs, 2, count_cb, &count, &e), -EIO);
	assert_non_null(strstr(e.msg, "bad extent tree node"));
	fs_close(fs);
	bsrc_close(s);
	free(copy);
	free(img);
}

static void test_xfs(void **state)
{
	(void)state;
	bsrc *src;
	de_fs *fs = open_file(xfsimg, &src);
	de_err e;
	assert_string_equal(fs_type(fs), "xfs");
	check_common(fs);
	fs_stat st;
	assert_int_equal(fs_lstat(fs, lookup(fs, "/hello"), &st, &e), 0);
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.gid, 1001);
	assert_int_equal(st.mode, S_IFREG | 0644);
	assert_true(st.has_btime);
	assert_int_equal(fs_lstat(fs, lookup(fs, "/null"), &st, &e), 0);
	assert_true(S_ISCHR(st.mode));
	assert_int_equal(st.rdev_major, 1);
	assert_int_equal(st.rdev_minor, 3);
	assert_int_equal(fs_lstat(fs, lookup(fs, "/wh"), &st, &e), 0);   /* an overlay whiteout */
	assert_int_equal(st.rdev_major, 0);
	assert_int_equal(st.rdev_minor, 0);
	assert_int_equal(fs_lstat(fs, lookup(fs, "/big"), &st, &e), 0);
	assert_true(S_ISBLK(st.mode));
	assert_int_equal(st.rdev_major, 300);
	assert_int_equal(st.rdev_minor, 70000);
	fs_close(fs);
	bsrc_close(src);
}

static void test_xfs_damaged(void **state)
{
	(void)state;
	size_t n;
	uint8_t *img = load(xfsimg, &n), *copy = malloc(n);
	de_err e;
	de_fs *fs;
	memcpy(copy, img, n);
	put_le32(copy + 88, 0);   /* agcount 0 (the bytes are zero either way) */
	bsrc *s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), -EIO);
	assert_non_null(strstr(e.msg, "allocation group geometry"));
	bsrc_close(s);
	/* the root directory (short form): more entries than its fork holds */
	memcpy(copy, img, n);
	uint64_t rootino = be64(copy + 56);
	unsigned blocklog = copy[120], inodelog = copy[122], inopblog = copy[123];
	uint8_t *root = copy + ((rootino >> inopblog) << blocklog) + ((rootino & ((1u << inopblog) - 1)) << inodelog);
	assert_int_equal(be16(root), 0x494e);
	assert_int_equal(root[5], 1);   /* local */
	root[176] = 200;                /* sf header count */
	s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), 0);
	int count = 0;
	assert_int_equal(fs_readdir(fs, rootino, count_cb, &count, &e), -EIO);
	assert_non_null(strstr(e.msg, "short form entry"));
	fs_close(fs);
	bsrc_close(s);
	/* and the root's magic broken: every call on it fails, naming it */
	root[0] = 0;
	s = bsrc_mem(copy, n, "bad");
	assert_int_equal(fs_open(s, &fs, &e), 0);
	fs_stat st;
	assert_int_equal(fs_lstat(fs, rootino, &st, &e), -EIO);
	assert_non_null(strstr(e.msg, "bad magic"));
	fs_close(fs);
	bsrc_close(s);
	/* garbage: no file system */
	memset(copy, 0x5a, 4096);
	s = bsrc_mem(copy, 4096, "junk");
	assert_int_equal(fs_open(s, &fs, &e), -EINVAL);
	bsrc_close(s);
	free(copy);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext4),
		cmocka_unit_test(test_ext4_damaged),
		cmocka_unit_test(test_xfs),
		cmocka_unit_test(test_xfs_damaged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
