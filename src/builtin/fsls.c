/*
 * fsls.c — `de fsls IMAGE…`: the volumes of disk images, and the files of
 * an ext2/3/4 or XFS file system in one of them, read by src/image and
 * src/fs alone (no mount, no root). A debugging command: it proves the
 * image readers end to end, and the tests compare what it prints with the
 * kernel's loop mount of the same image (tests/e2e/t_fsread.sh).
 *
 *   de fsls IMAGE…                      the volumes: one line each
 *   de fsls IMAGE… -p VOL [--path P] [-R] [--hash] [--xattrs]
 *                                       entries below P, one line each:
 *     INO MODE NLINK UID GID SIZE|MAJ,MIN BLOCKS ATIME MTIME CTIME BTIME PATH
 *     [-> TARGET] [sha256:HEX] [xattrs:NAME=HEX,…]   (times UTC, ns; BTIME "-"
 *     where the file system keeps none; names escaped as de escapes them)
 *   de fsls IMAGE… -p VOL --cat --path P     a file's content to stdout
 *
 * VOL is a partition number, a name as the volume list prints it (p2,
 * vg0/root, disk), and may be left out when one volume holds a file system.
 * Lines come in directory order, depth first; a directory met twice (a
 * loop in a damaged image) is not entered again.
 */
#include "builtin.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "../fs/fs.h"
#include "../image/volume.h"
#include "../util/utf8.h"

typedef struct fsls {
	de_fs *fs;
	bool recurse, hash, xattrs;
	uint64_t *seen;          /* directories entered (loop guard) */
	size_t nseen, capseen;
	int status;
} fsls;

static void esc_n(dbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		if (c == '\\')
			db_adds(b, "\\\\");
		else if (c == '\n')
			db_adds(b, "\\n");
		else if (c == '\t')
			db_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			db_addf(b, "\\x%02x", c);
		else if (c < 0x80)
			db_add(b, s + i, 1);
		else {
			size_t k = de_utf8_len(p + i, n - i);
			if (k) {
				db_add(b, s + i, k);
				i += k;
				continue;
			}
			db_addf(b, "\\x%02x", c);
		}
		i++;
	}
}

static void add_time(dbuf *b, const struct timespec *t)
{
	struct tm tm;
	time_t s = t->tv_sec;
	gmtime_r(&s, &tm);
	char buf[40];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	db_addf(b, " %s.%09ldZ", buf, t->tv_nsec);
}

static void mode_str(uint32_t m, char out[11])
{
	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	         S_ISFIFO(m) ? 'p' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		out[1 + i] = m & (0400u >> i) ? rwx[i] : '-';
	if (m & S_ISUID)
		out[3] = m & S_IXUSR ? 's' : 'S';
	if (m & S_ISGID)
		out[6] = m & S_IXGRP ? 's' : 'S';
	if (m & S_ISVTX)
		out[9] = m & S_IXOTH ? 't' : 'T';
	out[10] = '\0';
}

static int hash_file(de_fs *fs, uint64_t ino, char hex[65], de_err *e)
{
	fs_file *f;
	int rc = fs_file_open(fs, ino, &f, e);
	if (rc < 0)
		return rc;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	size_t cap = 1 << 20, got;
	uint8_t *buf = xmalloc(cap);
	for (uint64_t off = 0; off < fs_file_size(f) && rc == 0; off += got) {
		rc = fs_file_read(f, off, buf, cap, &got, e);
		if (rc == 0 && got == 0)
			break;
		EVP_DigestUpdate(ctx, buf, got);
	}
	unsigned char md[32];
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	free(buf);
	fs_file_close(f);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return rc;
}

typedef struct xattr_list {
	strvec names;   /* "NAME=HEX", sorted afterwards */
} xattr_list;

static int xattr_cb(void *arg, const char *name, const void *value, size_t len)
{
	xattr_list *l = arg;
	dbuf b = {0};
	db_adds(&b, name);
	db_adds(&b, "=");
	for (size_t i = 0; i < len; i++)
		db_addf(&b, "%02x", ((const uint8_t *)value)[i]);
	db_add(&b, "", 0);
	sv_push_own(&l->names, db_take(&b));
	return 0;
}

/* One line for the entry path (inode ino). */
static void print_entry(fsls *ls, const char *path, size_t plen, uint64_t ino, fs_stat *st)
{
	de_err e;
	dbuf b = {0};
	char m[11];
	mode_str(st->mode, m);
	db_addf(&b, "%llu %s %u %u %u ", (unsigned long long)ino, m, st->nlink, st->uid, st->gid);
	if (S_ISCHR(st->mode) || S_ISBLK(st->mode))
		db_addf(&b, "%u,%u", st->rdev_major, st->rdev_minor);
	else
		db_addf(&b, "%llu", (unsigned long long)st->size);
	db_addf(&b, " %llu", (unsigned long long)st->blocks);
	add_time(&b, &st->atime);
	add_time(&b, &st->mtime);
	add_time(&b, &st->ctime);
	if (st->has_btime)
		add_time(&b, &st->btime);
	else
		db_adds(&b, " -");
	db_adds(&b, " ");
	esc_n(&b, path, plen);
	if (S_ISLNK(st->mode)) {
		char *t;
		size_t tl;
		if (fs_readlink(ls->fs, ino, &t, &tl, &e) == 0) {
			db_adds(&b, " -> ");
			esc_n(&b, t, tl);
			free(t);
		} else {
			de_warn("%s", e.msg);
			ls->status = DE_EXIT_INCOMPLETE;
		}
	}
	if (ls->hash && S_ISREG(st->mode)) {
		char hex[65];
		if (hash_file(ls->fs, ino, hex, &e) == 0)
			db_addf(&b, " sha256:%s", hex);
		else {
			de_warn("%s", e.msg);
			ls->status = DE_EXIT_INCOMPLETE;
		}
	}
	if (ls->xattrs) {
		xattr_list l = {{0}};
		if (fs_xattrs(ls->fs, ino, xattr_cb, &l, &e) < 0) {
			de_warn("%s", e.msg);
			ls->status = DE_EXIT_INCOMPLETE;
		}
		sv_sort(&l.names);
		char *j = sv_join(&l.names, ",");
		db_addf(&b, " xattrs:%s", j);
		free(j);
		sv_free(&l.names);
	}
	db_adds(&b, "\n");
	fwrite(b.p, 1, b.len, stdout);
	db_free(&b);
}

typedef struct dirctx {
	fsls *ls;
	const char *base;
	size_t blen;
	strvec subdirs;   /* "INO PATH" of subdirectories, entered after the listing */
} dirctx;

static int list_dir(fsls *ls, uint64_t ino, const char *path);

static int dir_cb(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype)
{
	dirctx *c = arg;
	(void)dtype;
	dbuf p = {0};
	db_add(&p, c->base, c->blen);
	if (c->blen == 0 || c->base[c->blen - 1] != '/')
		db_adds(&p, "/");
	db_add(&p, name, len);
	fs_stat st;
	de_err e;
	if (fs_lstat(c->ls->fs, ino, &st, &e) < 0) {
		de_warn("%s", e.msg);
		c->ls->status = DE_EXIT_INCOMPLETE;
	} else {
		print_entry(c->ls, p.p, p.len, ino, &st);
		if (c->ls->recurse && S_ISDIR(st.mode)) {
			dbuf s = {0};
			db_addf(&s, "%llu ", (unsigned long long)ino);
			db_add(&s, p.p, p.len);
			db_add(&s, "", 0);
			sv_push_own(&c->subdirs, db_take(&s));
		}
	}
	db_free(&p);
	return 0;
}

static bool seen_before(fsls *ls, uint64_t ino)
{
	for (size_t i = 0; i < ls->nseen; i++)
		if (ls->seen[i] == ino)
			return true;
	if (ls->nseen == ls->capseen)
		ls->seen = xrealloc(ls->seen, (ls->capseen = ls->capseen ? ls->capseen * 2 : 64) * sizeof *ls->seen);
	ls->seen[ls->nseen++] = ino;
	return false;
}

static int list_dir(fsls *ls, uint64_t ino, const char *path)
{
	if (seen_before(ls, ino)) {
		de_warn("%s: directory inode %llu (%s) met twice: not entered again",
		        fs_name(ls->fs), (unsigned long long)ino, path);
		ls->status = DE_EXIT_INCOMPLETE;
		return 0;
	}
	dirctx c = {ls, path, strlen(path), {0}};
	de_err e;
	if (fs_readdir(ls->fs, ino, dir_cb, &c, &e) < 0) {
		de_warn("%s", e.msg);
		ls->status = DE_EXIT_INCOMPLETE;
	}
	for (size_t i = 0; i < c.subdirs.n; i++) {
		char *sp = strchr(c.subdirs.v[i], ' ');
		list_dir(ls, strtoull(c.subdirs.v[i], NULL, 10), sp + 1);
	}
	sv_free(&c.subdirs);
	return 0;
}

static void print_volumes(vol_set *vs, bsrc **disks, size_t nd)
{
	for (size_t i = 0; i < vs->n; i++) {
		vol *v = &vs->v[i];
		const char *fst = "-";
		char label[80] = "";
		de_fs *fs = NULL;
		if (v->src && !v->why && v->content &&
		    (strcmp(v->content, "ext") == 0 || strcmp(v->content, "xfs") == 0) &&
		    fs_open(v->src, &fs, NULL) == 0) {
			fst = fs_type(fs);
			snprintf(label, sizeof label, "%s", fs_label(fs));
		}
		dbuf b = {0};
		db_addf(&b, "%s%s%s\t%llu\t%llu\t%s\t%s\t%s\t", nd > 1 ? disks[v->disk]->name : "",
		        nd > 1 ? ":" : "", v->name, (unsigned long long)v->offset,
		        (unsigned long long)v->length, v->scheme, v->type[0] ? v->type : "-",
		        v->content ? v->content : "-");
		db_adds(&b, fst);
		db_adds(&b, "\t");
		esc_n(&b, label, strlen(label));
		db_adds(&b, "\t");
		if (v->label)
			esc_n(&b, v->label, strlen(v->label));
		db_addf(&b, "\t%s\n", v->why ? v->why : "");
		fwrite(b.p, 1, b.len, stdout);
		db_free(&b);
		fs_close(fs);
	}
}

/* The volume asked for, or the only one holding a file system. */
static vol *pick(vol_set *vs, const char *want)
{
	vol *found = NULL;
	size_t n = 0;
	for (size_t i = 0; i < vs->n; i++) {
		vol *v = &vs->v[i];
		bool fs = v->src && !v->why && v->content &&
		          (strcmp(v->content, "ext") == 0 || strcmp(v->content, "xfs") == 0);
		bool match = want ? (strcmp(v->name, want) == 0 ||
		                     (strspn(want, "0123456789") == strlen(want) && v->number &&
		                      v->number == strtoul(want, NULL, 10)))
		                  : fs;
		if (match) {
			found = v;
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n == 0)
		fprintf(stderr, "de: fsls: %s\n", want ? "no such volume (see de fsls IMAGE)"
		                                        : "no volume holds an ext2/3/4 or XFS file system");
	else {
		fprintf(stderr, "de: fsls: %s fits %zu volumes:", want ? want : "a file system", n);
		for (size_t i = 0; i < vs->n; i++)
			fprintf(stderr, " %s", vs->v[i].name);
		fprintf(stderr, "; choose one with -p\n");
	}
	return NULL;
}

static int cat_file(de_fs *fs, uint64_t ino)
{
	fs_file *f;
	de_err e;
	if (fs_file_open(fs, ino, &f, &e) < 0) {
		fprintf(stderr, "de: fsls: %s\n", e.msg);
		return DE_EXIT_ERROR;
	}
	size_t cap = 1 << 20, got;
	uint8_t *buf = xmalloc(cap);
	int rc = DE_EXIT_OK;
	for (uint64_t off = 0; off < fs_file_size(f); off += got) {
		if (fs_file_read(f, off, buf, cap, &got, &e) < 0 || got == 0) {
			fprintf(stderr, "de: fsls: %s\n", e.msg);
			rc = DE_EXIT_ERROR;
			break;
		}
		fwrite(buf, 1, got, stdout);
	}
	free(buf);
	fs_file_close(f);
	return rc;
}

static int run(bsrc **disks, size_t nd, const char *want, const char *path, fsls *ls, bool cat,
               bool list_only)
{
	vol_set vs;
	de_err e;
	if (vol_scan(disks, nd, &vs, &e) < 0) {
		fprintf(stderr, "de: fsls: %s\n", e.msg);
		return DE_EXIT_ERROR;
	}
	int rc = DE_EXIT_OK;
	if (list_only) {
		print_volumes(&vs, disks, nd);
		vol_set_free(&vs);
		return rc;
	}
	vol *v = pick(&vs, want);
	if (!v || !v->src) {
		if (v)
			fprintf(stderr, "de: fsls: %s: %s\n", v->name, v->why ? v->why : "no data");
		vol_set_free(&vs);
		return DE_EXIT_ERROR;
	}
	if (v->why) {
		fprintf(stderr, "de: fsls: %s: %s\n", v->name, v->why);
		vol_set_free(&vs);
		return DE_EXIT_ERROR;
	}
	int frc = fs_open(v->src, &ls->fs, &e);
	uint64_t ino;
	size_t done;
	if (frc < 0 || (frc = fs_namei(ls->fs, path, &ino, &done, &e)) < 0) {
		fprintf(stderr, "de: fsls: %s\n", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (fs_dirty(ls->fs)) {
		de_note("%s: the journal holds changes not replayed (read as mount -o ro,noload would)",
		        v->src->name);
	}
	if (rc == DE_EXIT_OK) {
		fs_stat st;
		if (cat)
			rc = cat_file(ls->fs, ino);
		else if ((frc = fs_lstat(ls->fs, ino, &st, &e)) < 0) {
			fprintf(stderr, "de: fsls: %s\n", e.msg);
			rc = DE_EXIT_ERROR;
		} else if (S_ISDIR(st.mode)) {
			list_dir(ls, ino, path);
			rc = ls->status;
		} else {
			print_entry(ls, path, strlen(path), ino, &st);
			rc = ls->status;
		}
	}
	fs_close(ls->fs);
	free(ls->seen);
	vol_set_free(&vs);
	return rc;
}

int cmd_fsls(const de_args *a, const de_opts *o)
{
	(void)o;
	fsls ls = {.recurse = de_flag(a, DE_K_RECURSIVE), .hash = de_flag(a, DE_K_HASH),
	           .xattrs = de_flag(a, DE_K_XATTRS)};
	const char *want = de_str(a, DE_K_PARTITION), *path = de_flag(a, DE_K_PATH)
	                                                       ? de_str(a, DE_K_PATH) : "/";
	bool cat = de_flag(a, DE_K_CAT), vol_given = want != NULL;
	size_t nd = 0;
	bsrc **disks = xcalloc(a->npos + 1, sizeof *disks);
	int rc = DE_EXIT_OK;
	for (size_t i = 0; i < a->npos; i++) {   /* IMAGE...: the table saw one at least */
		de_err e;
		if (!(disks[nd] = bsrc_open(a->pos[i], &e))) {
			fprintf(stderr, "de: fsls: %s\n", e.msg);
			rc = DE_EXIT_ERROR;
			break;
		}
		nd++;
	}
	bool list_only = !vol_given && !ls.recurse && !cat && strcmp(path, "/") == 0 && !ls.hash &&
	                 !ls.xattrs;
	if (rc == DE_EXIT_OK)
		rc = run(disks, nd, want, path, &ls, cat, list_only);
	for (size_t i = nd; i-- > 0;)
		bsrc_close(disks[i]);
	free(disks);
	return rc;
}
