/*
 * merge_vhdx.c — `de merge-vhdx -p PARENT -c CHILD -o OUT [-y]`: the raw
 * disk a differencing VHDX (a Windows container's sandbox.vhdx) shows over
 * its parent (the base layer's blank-base.vhdx), as docker-explorer's
 * tools/merge_vhdx.py wrote it, with its flags (-p/--parent_disk,
 * -c/--child_disk, -o/--out_image, -y/--yes).
 *
 * The parent must be the one the child's parent locator names (its
 * DataWriteGuid is the child's parent_linkage, MS-VHDX 2.6.2.6.3); a parent
 * that is itself differencing is followed through its relative_path, at
 * most VHDX_MAX_CHAIN deep. The output is streamed a MiB at a time and
 * sparse: ranges that read as zeros are holes. OUT is never overwritten
 * without -y, is never one of the disks read, and is removed when the
 * merge fails half way (a truncated raw disk would look whole).
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/pathutil.h"
#include "../vdisk/vhdx.h"

static const char usage[] = "usage: de merge-vhdx -p PARENT -c CHILD -o OUT [-y]";

#define STEP VHDX_MB

typedef struct chain_ids {
	dev_t dev[VHDX_MAX_CHAIN + 1];
	ino_t ino[VHDX_MAX_CHAIN + 1];
	size_t n;
} chain_ids;

static int open_disk(const char *path, vhdx **out, chain_ids *ids)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME);
	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		de_error("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t i = 0; i < ids->n; i++)
		if (ids->dev[i] == st.st_dev && ids->ino[i] == st.st_ino) {
			de_error("%s: this disk is already in the chain: the parents loop", path);
			close(fd);
			return -1;
		}
	if (ids->n <= VHDX_MAX_CHAIN) {
		ids->dev[ids->n] = st.st_dev;
		ids->ino[ids->n++] = st.st_ino;
	}
	de_err e;
	if (vhdx_open_fd(out, fd, path, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	return 0;
}

/* A parent's own parent, by the relative_path of its locator (MS-VHDX
 * 2.6.2.6.3 puts it first), taken from the directory the parent is in. */
static char *grandparent_path(const char *path, const vhdx_info *in)
{
	if (!in->relative_path) {
		de_error("%s is itself a differencing disk and its parent locator has no "
		         "relative_path (volume_path \"%s\", absolute_win32_path \"%s\"): merge "
		         "that chain first", path, in->volume_path ? in->volume_path : "",
		         in->absolute_win32_path ? in->absolute_win32_path : "");
		return NULL;
	}
	char *rel = xstrdup(in->relative_path);
	for (char *s = rel; *s; s++)
		if (*s == '\\')
			*s = '/';
	const char *slash = strrchr(path, '/');
	char *full = rel[0] == '/' ? xstrdup(rel)
	           : slash ? xasprintf("%.*s/%s", (int)(slash - path), path, rel) : xstrdup(rel);
	free(rel);
	return full;
}

/* CHILD over PARENT, and PARENT's own parents. */
static vhdx *open_chain(const char *parent_path, const char *child_path, chain_ids *ids)
{
	vhdx *child, *parent = NULL;
	de_err e;
	if (open_disk(child_path, &child, ids) < 0)
		return NULL;
	if (!vhdx_get_info(child)->has_parent) {
		de_error("%s is not a differencing disk (its File Parameters say HasParent 0): "
		         "there is nothing to merge over %s", child_path, parent_path);
		vhdx_close(child);
		return NULL;
	}
	if (open_disk(parent_path, &parent, ids) < 0 || vhdx_attach_parent(child, parent, &e) < 0) {
		if (parent)
			de_error("%s", e.msg);
		vhdx_close(child);
		return NULL;
	}
	vhdx *bottom = parent;
	char *path = xstrdup(parent_path);
	while (vhdx_get_info(bottom)->has_parent) {
		char *next = grandparent_path(path, vhdx_get_info(bottom));
		vhdx *gp = NULL;
		if (next)
			de_debug("%s: its parent is %s", path, next);
		if (!next || open_disk(next, &gp, ids) < 0 || vhdx_attach_parent(bottom, gp, &e) < 0) {
			if (gp)
				de_error("%s", e.msg);
			free(next);
			free(path);
			vhdx_close(child);
			return NULL;
		}
		free(path);
		path = next;
		bottom = gp;
	}
	free(path);
	return child;
}

/* OUT, new (O_EXCL) unless -y; never a disk of the chain. */
static int open_out(const char *out, bool yes, const chain_ids *ids)
{
	struct stat st;
	if (stat(out, &st) == 0) {
		for (size_t i = 0; i < ids->n; i++)
			if (ids->dev[i] == st.st_dev && ids->ino[i] == st.st_ino) {
				de_error("%s is one of the disks being merged: refusing to write it", out);
				return -1;
			}
		if (!yes) {
			de_error("%s exists: de does not overwrite it (-y to replace it)", out);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			de_error("%s exists and is not a regular file: refusing to write it", out);
			return -1;
		}
	}
	int fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC | (yes ? O_TRUNC : O_EXCL), 0644);
	if (fd < 0)
		de_error("%s: %s", out, strerror(errno));
	return fd;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	static const uint8_t z[4096];
	for (size_t i = 0; i < n; i += sizeof z) {
		size_t k = n - i < sizeof z ? n - i : sizeof z;
		if (memcmp(p + i, z, k) != 0)
			return false;
	}
	return true;
}

static int write_all(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* Streams the merged disk into fd; bytes of data written in *data. */
static int merge(vhdx *top, int fd, const char *out, uint64_t *data)
{
	uint64_t size = vhdx_get_info(top)->virtual_size;
	uint8_t *buf = xmalloc(STEP);
	bool tty = isatty(2);
	int rc = 0, pct = -1;
	de_err e;
	*data = 0;
	for (uint64_t off = 0; off < size && rc == 0; off += STEP) {
		size_t n = size - off < STEP ? (size_t)(size - off) : STEP;
		bool zero;
		if (vhdx_range_zero(top, off, n, &zero, &e) < 0 ||
		    (!zero && vhdx_read(top, off, buf, n, &e) < 0)) {
			de_error("%s", e.msg);
			rc = -1;
		} else if (!zero && !all_zero(buf, n)) {
			if (write_all(fd, buf, n, off) < 0) {
				de_error("%s: %s", out, strerror(errno));
				rc = -1;
			}
			*data += n;
		}
		if (tty && (int)(off * 100 / size) != pct) {
			pct = (int)(off * 100 / size);
			fprintf(stderr, "\rde: merging: %d%%", pct);
		}
	}
	if (tty)
		fputs("\r\033[K", stderr);
	free(buf);
	/* the size, so that trailing holes are part of the disk */
	if (rc == 0 && ftruncate(fd, (off_t)size) < 0) {
		de_error("%s: %s", out, strerror(errno));
		rc = -1;
	}
	return rc;
}

int cmd_merge_vhdx(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"parent_disk", required_argument, NULL, 'p'},
		{"child_disk", required_argument, NULL, 'c'},
		{"out_image", required_argument, NULL, 'o'},
		{"yes", no_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *parent = NULL, *child = NULL, *out = NULL;
	bool yes = false;
	int opt;
	(void)g;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "p:c:o:yh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': parent = optarg; break;
		case 'c': child = optarg; break;
		case 'o': out = optarg; break;
		case 'y': yes = true; break;
		case 'h': puts(usage); return DE_EXIT_OK;
		default: fprintf(stderr, "%s\n", usage); return DE_EXIT_USAGE;
		}
	}
	if (optind != argc)
		return de_usage_error(usage, "unexpected argument \"%s\"", argv[optind]);
	if (!parent || !child || !out)
		return de_usage_error(usage, "-p PARENT, -c CHILD and -o OUT are all required");
	chain_ids ids = {.n = 0};
	vhdx *top = open_chain(parent, child, &ids);
	if (!top)
		return DE_EXIT_ERROR;
	int fd = open_out(out, yes, &ids);
	if (fd < 0) {
		vhdx_close(top);
		return DE_EXIT_ERROR;
	}
	uint64_t data;
	int rc = merge(top, fd, out, &data);
	if (close(fd) < 0 && rc == 0) {
		de_error("%s: %s", out, strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		unlink(out);
		de_note("%s removed: the merge did not complete", out);
	} else {
		de_note("%s: raw disk of %llu bytes (%llu bytes of data, the rest left as holes)",
		        out, (unsigned long long)vhdx_get_info(top)->virtual_size,
		        (unsigned long long)data);
	}
	vhdx_close(top);
	return rc < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
}
