/*
 * ls.c — `de ls CONTAINER [PATH] [-l] [-R] [--layer] [--no-volumes]`.
 *
 * Lists the container's merged view, computed from the layer directories
 * (no mount). Without -R: the names in PATH (default /). With -R: every
 * entry below PATH, as a full path, parents first, in name order. -l adds
 * mode, owner, size (MAJOR,MINOR for devices), mtime (UTC, ns) and link
 * targets; --layer the layer that supplied each entry.
 *   -rw-r--r-- 0 0 8 2026-11-28T16:10:55.123456789Z /tmp/dropped.sh
 * Names are escaped (see output/text.h): one entry is always one line.
 */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "commands.h"
#include "../output/text.h"
#include "../runtime/view.h"

typedef struct ls_opts {
	bool longfmt, recursive, layer;
	un_fs *fs;
	dbuf line;
	int write_error;
} ls_opts;

static void print_entry(ls_opts *o, const char *shown, const un_node *n,
                        char *(*target)(void *, de_err *), void *targ)
{
	dbuf *b = &o->line;
	b->len = 0;
	if (o->longfmt) {
		char mode[11], tm[48];
		de_mode_string(n->st.st_mode, mode);
		de_time_ns(n->st.st_mtim.tv_sec, n->st.st_mtim.tv_nsec, tm, sizeof tm);
		db_addf(b, "%s %lu %u %u ", mode, (unsigned long)un_nlink(n), (unsigned)n->st.st_uid,
		        (unsigned)n->st.st_gid);
		if (S_ISCHR(n->st.st_mode) || S_ISBLK(n->st.st_mode))
			db_addf(b, "%u,%u ", major(n->st.st_rdev), minor(n->st.st_rdev));
		else
			db_addf(b, "%lld ", (long long)n->st.st_size);
		db_addf(b, "%s ", tm);
	}
	if (o->layer) {
		de_escape(b, un_layer_label(o->fs, n->layer));
		db_adds(b, " ");
	}
	de_escape(b, shown);
	if (o->longfmt && S_ISLNK(n->st.st_mode)) {
		de_err e;
		char *t = target(targ, &e);
		if (t) {
			db_adds(b, " -> ");
			de_escape(b, t);
			free(t);
		} else {
			de_warn("%s", e.msg);
		}
	}
	db_adds(b, "\n");
	if (fwrite(b->p, 1, b->len, stdout) != b->len)
		o->write_error = 1;
}

static char *walk_target(void *arg, de_err *e)
{
	return un_walk_readlink(arg, e);
}

static int on_entry(void *arg, const un_walk_entry *ent)
{
	ls_opts *o = arg;
	print_entry(o, ent->path, ent->node, walk_target, (void *)ent);
	return o->write_error ? -1 : 0;
}

typedef struct path_target {
	un_fs *fs;
	const char *path;
} path_target;

static char *path_readlink(void *arg, de_err *e)
{
	path_target *pt = arg;
	return un_readlink(pt->fs, pt->path, e);
}

/* One directory, names only. */
static int list_one(ls_opts *o, const char *path, de_err *e)
{
	un_node n;
	if (un_stat(o->fs, path, true, &n, e) < 0)
		return -1;
	if (!S_ISDIR(n.st.st_mode)) {
		if (un_stat(o->fs, path, false, &n, e) < 0)
			return -1;
		path_target pt = {o->fs, path};
		print_entry(o, path, &n, path_readlink, &pt);
		return 0;
	}
	un_dir d;
	if (un_readdir(o->fs, path, &d, e) < 0)
		return -1;
	for (size_t i = 0; i < d.n && !o->write_error; i++) {
		char *child = xasprintf("%s/%s", strcmp(path, "/") ? path : "", d.v[i].name);
		un_node cn;
		de_err ce;
		if (un_stat(o->fs, child, false, &cn, &ce) < 0) {
			de_warn("%s", ce.msg);
		} else {
			path_target pt = {o->fs, child};
			print_entry(o, d.v[i].name, &cn, path_readlink, &pt);
		}
		free(child);
	}
	un_dir_free(&d);
	return 0;
}

int cmd_ls(const de_args *a, const de_opts *g)
{
	ls_opts o = {.longfmt = de_flag(a, DE_K_LONG), .recursive = de_flag(a, DE_K_RECURSIVE),
	             .layer = de_flag(a, DE_K_LAYER)};
	bool volumes = !de_flag(a, DE_K_NO_VOLUMES);
	const char *out = de_str(a, DE_K_OUTPUT), *path = a->npos > 1 ? a->pos[1] : "/";
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_target t;
	if (de_target_open(&t, g, a->pos[0], true, volumes) < 0)
		return DE_EXIT_ERROR;
	de_err e;
	int rc = DE_EXIT_OK;
	o.fs = t.v.fs;
	int r = o.recursive ? un_walk(o.fs, path, on_entry, &o, &e) : list_one(&o, path, &e);
	if (o.write_error || fflush(stdout) == EOF) {
		de_error("cannot write the output");
		rc = DE_EXIT_ERROR;
	} else if (r < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	}
	db_free(&o.line);
	de_target_close(&t);
	return rc;
}
