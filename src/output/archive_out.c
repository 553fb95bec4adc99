/*
 * archive_out.c — see archive_out.h.
 */
#include "archive_out.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/evh.h"
#include "../util/strvec.h"
#include "../util/utf8.h"
#include "text.h"

#define CHUNK (1u << 20)
#define MAX_SPARSE_REGIONS 65536

int de_out_kind_of(const char *out, de_out_kind *kind, de_err *e)
{
	struct stat st;
	size_t n = strlen(out);
	if (stat(out, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return de_fail(e, "%s exists: de does not overwrite; name a new archive "
			               "or an empty directory", out);
		DIR *d = opendir(out);
		if (!d)
			return de_fail_errno(e, errno, "%s", out);
		struct dirent *de;
		int entries = 0;
		while ((de = readdir(d)) != NULL)
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				entries++;
		closedir(d);
		if (entries)
			return de_fail(e, "%s is not empty: de exports into an empty directory only", out);
		*kind = DE_OUT_DIR;
		return 0;
	}
#define ENDS(s) (n >= strlen(s) && !strcmp(out + n - strlen(s), s))
	if (ENDS(".tar"))
		*kind = DE_OUT_TAR;
	else if (ENDS(".tar.gz") || ENDS(".tgz"))
		*kind = DE_OUT_TAR_GZ;
	else if (ENDS(".tar.zst") || ENDS(".tzst"))
		*kind = DE_OUT_TAR_ZST;
	else
		return de_fail(e, "%s: name an archive ending in .tar, .tar.gz or .tar.zst, or an "
		               "existing empty directory", out);
#undef ENDS
	return 0;
}

/* Hard links: (layer, dev, inode) of files with more than one link, and
 * the first path written for them. Only such files are kept in memory. */
typedef struct link_key {
	int layer;
	dev_t dev;
	ino_t ino;
	char *path;
} link_key;

typedef struct exporter {
	struct archive *a;
	bool to_disk;
	un_fs *fs;
	const de_owners *owners;
	link_key *links;
	size_t nlinks, cap;
	size_t *slot;               /* index of links + 1, or 0: a hash of them */
	size_t nslot;               /* a power of two */
	de_export_stats *stats;
	bool progress;
	uint64_t total_entries, total_bytes;
	struct timespec last;
	struct archive_entry *ae;   /* one, cleared for each entry */
	const char *only;           /* export of one non-directory: its path */
	char *target;               /* the symlink target of the current entry */
	bool fatal;
	de_err err;
} exporter;

/* The links are found through a hash of (layer, dev, inode), open
 * addressing: a linear search made an export quadratic in the number of
 * linked files (50000 pairs: 3 s, a million: hours; hostile case
 * "hardlinks"). */
static size_t link_hash(int layer, dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)dev + (uint64_t)(unsigned)layer * 0x100000001b3ull) * 0xff51afd7ed558ccdull;
	return (size_t)(h ^ (h >> 29));
}

static const char *find_link(exporter *x, const un_node *n)
{
	if (!x->nslot)
		return NULL;
	for (size_t i = link_hash(n->layer, n->st.st_dev, n->st.st_ino) & (x->nslot - 1);
	     x->slot[i]; i = (i + 1) & (x->nslot - 1)) {
		const link_key *k = &x->links[x->slot[i] - 1];
		if (k->layer == n->layer && k->dev == n->st.st_dev && k->ino == n->st.st_ino)
			return k->path;
	}
	return NULL;
}

static void index_link(exporter *x, size_t at)
{
	const link_key *k = &x->links[at];
	size_t i = link_hash(k->layer, k->dev, k->ino) & (x->nslot - 1);
	while (x->slot[i])
		i = (i + 1) & (x->nslot - 1);
	x->slot[i] = at + 1;
}

static void add_link(exporter *x, const un_node *n, const char *path)
{
	if (x->nlinks == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->links = xrealloc(x->links, x->cap * sizeof *x->links);
	}
	x->links[x->nlinks++] = (link_key){n->layer, n->st.st_dev, n->st.st_ino, xstrdup(path)};
	if (2 * x->nlinks > x->nslot) {   /* at most half full */
		free(x->slot);
		x->nslot = x->nslot ? 2 * x->nslot : 256;
		x->slot = xcalloc(x->nslot, sizeof *x->slot);
		for (size_t i = 0; i < x->nlinks; i++)
			index_link(x, i);
	} else {
		index_link(x, x->nlinks - 1);
	}
}

static void show_progress(exporter *x, bool final)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double dt = (double)(now.tv_sec - x->last.tv_sec) + (now.tv_nsec - x->last.tv_nsec) / 1e9;
	if (!final && dt < 0.2)
		return;
	x->last = now;
	fprintf(stderr, "\rexport: %llu/%llu entries, %.1f/%.1f MiB%s",
	        (unsigned long long)x->stats->entries, (unsigned long long)x->total_entries,
	        (double)x->stats->bytes / 1048576.0, (double)x->total_bytes / 1048576.0,
	        final ? "\n" : "");
}

/* File xattrs; by descriptor when the file is open (fd >= 0: an evh descriptor). */
static void add_xattrs(exporter *x, const un_walk_entry *ent, int fd, struct archive_entry *ae)
{
	strvec names = {0};
	de_err e;
	bool by_fd = fd >= 0 && !ent->node->metacopy;
	if ((by_fd ? un_fd_listxattr(fd, ent->path, &names, &e)
	           : un_walk_listxattr(x->fs, ent, &names, &e)) < 0) {
		de_warn("%s (xattrs left out)", e.msg);
		x->stats->omitted++;
	}
	for (size_t i = 0; i < names.n; i++) {
		size_t len;
		void *v = by_fd ? un_fd_getxattr(fd, ent->path, names.v[i], &len, &e)
		                : un_walk_getxattr(ent, names.v[i], &len, &e);
		if (!v) {
			de_warn("%s (left out)", e.msg);
			x->stats->omitted++;
			continue;
		}
		archive_entry_xattr_add_entry(ae, names.v[i], v, len);
		free(v);
	}
	sv_free(&names);
}

/* Data regions of a sparse file, as libarchive's sparse entries. Returns
 * false when the file has no hole (or too many regions to keep). */
static bool add_sparse(int fd, off_t size, struct archive_entry *ae)
{
	off_t hole = evh_lseek(fd, 0, SEEK_HOLE);
	if (hole < 0 || hole >= size)
		return false;
	size_t count = 0;
	for (off_t data = evh_lseek(fd, 0, SEEK_DATA); data >= 0 && data < size;) {
		off_t end = evh_lseek(fd, data, SEEK_HOLE);
		if (end < 0 || end > size)
			end = size;
		if (++count > MAX_SPARSE_REGIONS) {
			archive_entry_sparse_clear(ae);
			evh_lseek(fd, 0, SEEK_SET);
			return false;
		}
		archive_entry_sparse_add_entry(ae, data, end - data);
		data = evh_lseek(fd, end, SEEK_DATA);
	}
	if (count == 0)
		archive_entry_sparse_add_entry(ae, 0, 0);   /* all hole */
	evh_lseek(fd, 0, SEEK_SET);
	return true;
}

/* Feeds n bytes of zeros (holes, or a file that shrank while read). */
static int write_zeros(exporter *x, off_t n)
{
	static const char zeros[CHUNK];
	while (n > 0) {
		size_t k = n > (off_t)CHUNK ? CHUNK : (size_t)n;
		if (archive_write_data(x->a, zeros, k) < 0)
			return -1;
		n -= (off_t)k;
	}
	return 0;
}

/* The content: read in chunks; for a sparse file, holes are fed as zeros
 * without reading (libarchive stores only the data regions). */
static int write_content(exporter *x, int fd, const un_walk_entry *ent, bool sparse)
{
	static char buf[CHUNK];
	off_t size = ent->node->st.st_size, done = 0;
	while (done < size) {
		if (sparse) {
			off_t data = evh_lseek(fd, done, SEEK_DATA);
			if (data < 0 || data > size)
				data = size;
			if (data > done && x->to_disk) {
				/* a hole on disk is a seek: the data block's offset makes
				 * it, and libarchive sets the size at the end (feeding
				 * zeros took 8 minutes for the 1 TiB file of hostile case
				 * "sparse-1t") */
				done = data;
				continue;
			}
			if (data > done) {
				if (write_zeros(x, data - done) < 0)
					return -1;
				done = data;
				continue;
			}
		}
		size_t want = size - done > (off_t)CHUNK ? CHUNK : (size_t)(size - done);
		ssize_t n = evh_pread(fd, buf, want, done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			de_warn("%s: %s after %lld of %lld bytes; the rest is zeros in the export",
			        ent->path, n < 0 ? strerror(errno) : "file shrank", (long long)done,
			        (long long)size);
			x->stats->omitted++;
			return write_zeros(x, size - done);
		}
		if ((x->to_disk ? archive_write_data_block(x->a, buf, (size_t)n, done)
		                : archive_write_data(x->a, buf, (size_t)n)) < 0)
			return -1;
		done += n;
		x->stats->bytes += (uint64_t)n;
		if (x->progress)
			show_progress(x, false);
	}
	return 0;
}

/* A name or link target that is not UTF-8 cannot be translated for a pax
 * header: libarchive then stores its bytes as they are (hdrcharset=BINARY,
 * read back by GNU tar and bsdtar unchanged) and says ARCHIVE_WARN. Nothing
 * is lost, so that is no omission (hostile case "names": \xff in a name). */
static bool all_utf8(const char *s)
{
	size_t len = s ? strlen(s) : 0;
	for (size_t i = 0, n; i < len; i += n)
		if (!(n = de_utf8_len((const unsigned char *)s + i, len - i)))
			return false;
	return true;
}

static int on_entry(void *arg, const un_walk_entry *ent)
{
	exporter *x = arg;
	free(x->target);
	x->target = NULL;
	if (x->only && strcmp(ent->path, x->only) != 0)
		return 1;   /* not the one asked for (and not into it) */
	const struct stat *st = &ent->node->st;
	struct archive_entry *ae = archive_entry_clear(x->ae);
	int fd = -1, rc = 0;
	bool sparse = false;
	de_err e;
	if (x->to_disk && S_ISSOCK(st->st_mode)) {
		/* libarchive would make a regular file of it (hostile case
		 * "special-files"); a tar refuses it too (ARCHIVE_FAILED below) */
		dbuf shown = {0};
		de_escape(&shown, ent->path);
		de_warn("%s: a socket cannot be exported (left out)", shown.p);
		db_free(&shown);
		x->stats->omitted++;
		return 0;
	}
	archive_entry_copy_pathname(ae, ent->path + 1);
	archive_entry_copy_stat(ae, st);
	const char *u = de_owners_user(x->owners, st->st_uid);
	const char *g = de_owners_group(x->owners, st->st_gid);
	if (u)
		archive_entry_copy_uname(ae, u);
	if (g)
		archive_entry_copy_gname(ae, g);
	if (S_ISLNK(st->st_mode)) {
		char *t = un_walk_readlink(ent, &e);
		if (!t) {
			de_warn("%s (left out)", e.msg);
			x->stats->omitted++;
			goto out;
		}
		archive_entry_copy_symlink(ae, t);
		free(x->target);
		x->target = t;
	}
	if (!S_ISREG(st->st_mode))
		archive_entry_set_size(ae, 0);
	const char *first = S_ISREG(st->st_mode) && st->st_nlink > 1 ? find_link(x, ent->node) : NULL;
	if (first) {
		archive_entry_copy_hardlink(ae, first);
		archive_entry_set_size(ae, 0);
	} else if (S_ISREG(st->st_mode)) {
		fd = un_walk_open(x->fs, ent, &e);
		if (fd < 0) {
			de_warn("%s (left out)", e.msg);
			x->stats->omitted++;
			goto out;
		}
		if (st->st_nlink > 1)
			add_link(x, ent->node, ent->path + 1);
		sparse = (off_t)st->st_blocks * 512 < st->st_size && add_sparse(fd, st->st_size, ae);
	}
	add_xattrs(x, ent, fd, ae);
	/* ARCHIVE_FAILED: this entry cannot be stored (a socket in a tar);
	 * ARCHIVE_FATAL: the output is broken. */
	int r = archive_write_header(x->a, ae);
	if (r < ARCHIVE_OK) {
		if (r <= ARCHIVE_FATAL) {
			de_fail(&x->err, "%s: %s", ent->path, archive_error_string(x->a));
			x->fatal = true;
			rc = -1;
			goto out;
		}
		if (r == ARCHIVE_WARN && !(all_utf8(ent->path) && all_utf8(x->target)))
			goto written;   /* see all_utf8 */
		dbuf shown = {0};
		de_escape(&shown, ent->path);
		de_warn("%s: %s", shown.p, archive_error_string(x->a));
		db_free(&shown);
		if (r <= ARCHIVE_FAILED) {
			x->stats->omitted++;
			goto out;
		}
	}
written:
	if (fd >= 0 && write_content(x, fd, ent, sparse) < 0) {
		de_fail(&x->err, "%s: %s", ent->path, archive_error_string(x->a));
		x->fatal = true;
		rc = -1;
		goto out;
	}
	x->stats->entries++;
	if (x->progress)
		show_progress(x, false);
out:
	if (fd >= 0)
		evh_close(fd);
	return rc;
}

typedef struct counter {
	uint64_t entries, bytes;
} counter;

static int count_entry(void *arg, const un_walk_entry *ent)
{
	counter *c = arg;
	c->entries++;
	if (S_ISREG(ent->node->st.st_mode))
		c->bytes += (uint64_t)ent->node->st.st_size;
	return 0;
}

static struct archive *open_writer(const char *out, de_out_kind kind, de_err *e)
{
	struct archive *a;
	if (kind == DE_OUT_DIR) {
		a = archive_write_disk_new();
		/* No ARCHIVE_EXTRACT_SECURE_SYMLINKS: it lstats every component of
		 * every path, quadratic in depth (37 s for the 4096 levels of hostile
		 * case "deep-dirs", 2 s without). It guards against an archive that
		 * writes a symlink and then a file through it; our entries come from
		 * the union walk, parents first, and a walked entry's every parent
		 * is a directory of the view, never a symlink, so no path we write
		 * goes through a link we wrote. ".." and absolute paths stay refused. */
		int flags = ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_XATTR |
		            ARCHIVE_EXTRACT_SECURE_NODOTDOT |
		            ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_SPARSE |
		            ARCHIVE_EXTRACT_NO_OVERWRITE;
		if (geteuid() == 0)
			flags |= ARCHIVE_EXTRACT_OWNER;
		archive_write_disk_set_options(a, flags);
		/* Paths are relative to OUT: we work from inside it. */
		if (chdir(out) < 0) {
			de_fail_errno(e, errno, "%s", out);
			archive_write_free(a);
			return NULL;
		}
		return a;
	}
	a = archive_write_new();
	archive_write_set_format_pax(a);
	archive_write_set_bytes_per_block(a, 64 * 1024);   /* fewer, larger writes */
	int r = ARCHIVE_OK;
	if (kind == DE_OUT_TAR_GZ)
		r = archive_write_add_filter_gzip(a);
	else if (kind == DE_OUT_TAR_ZST)
		r = archive_write_add_filter_zstd(a);
	if (r != ARCHIVE_OK || archive_write_open_filename(a, out) != ARCHIVE_OK) {
		de_fail(e, "%s: %s", out, archive_error_string(a));
		archive_write_free(a);
		return NULL;
	}
	return a;
}

int de_export(un_fs *fs, const char *path, const char *out, de_out_kind kind,
              const de_owners *owners, bool progress, de_export_stats *stats, de_err *e)
{
	memset(stats, 0, sizeof *stats);
	exporter x = {.fs = fs, .owners = owners, .stats = stats, .progress = progress,
	              .to_disk = kind == DE_OUT_DIR};
	if (progress) {
		counter c = {0};
		un_walk(fs, path, count_entry, &c, NULL);
		x.total_entries = c.entries;
		x.total_bytes = c.bytes;
	}
	x.a = open_writer(out, kind, e);
	if (!x.a)
		return -1;
	x.ae = archive_entry_new();
	/* PATH may name one file: walk its directory for it alone */
	un_node n;
	char *canon = un_realpath(fs, path, NULL), *parent = NULL;
	if (canon && un_stat(fs, canon, false, &n, NULL) == 0 && !S_ISDIR(n.st.st_mode)) {
		char *slash = strrchr(canon, '/');
		parent = slash == canon ? xstrdup("/") : xstrndup(canon, (size_t)(slash - canon));
		x.only = canon;
	}
	/* A directory PATH is an entry of the archive too, with its mode,
	 * owner and times, as `tar -C / -c etc` writes etc/; the root is not
	 * (docker export has no "./" entry). */
	int rc = parent || !canon || !strcmp(canon, "/")
	       ? un_walk(fs, parent ? parent : path, on_entry, &x, e)
	       : un_walk_self(fs, path, on_entry, &x, e);
	free(parent);
	free(canon);
	if (x.fatal) {
		*e = x.err;
		rc = -1;
	}
	if (archive_write_close(x.a) != ARCHIVE_OK && rc == 0)
		rc = de_fail(e, "%s: %s", out, archive_error_string(x.a));
	archive_write_free(x.a);
	archive_entry_free(x.ae);
	free(x.target);
	if (progress)
		show_progress(&x, true);
	for (size_t i = 0; i < x.nlinks; i++)
		free(x.links[i].path);
	free(x.links);
	free(x.slot);
	return rc;
}
