/*
 * common.c — what every command needs: opening the evidence, errors.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../output/json_out.h"
#include "../runtime/containerd.h"
#include "../runtime/storage.h"
#include "../runtime/discover.h"

void de_error(const char *fmt, ...)
{
	va_list ap;
	/* Bare message, as de.py printed its errors: scripts match on them
	 * ("Could not find any container ID starting with …"). */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int de_open_docker(const de_opts *o, de_docker *d)
{
	de_err e;
	if (de_docker_open(d, o->docker_dir, o->host_root, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	return 0;
}

static void add_root(de_roots *r, const char *path, de_root_kind kind, bool skip_moby)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n++] = (de_rootref){xstrdup(path), kind, skip_moby};
}

int de_find_roots(const de_opts *o, de_roots *out)
{
	memset(out, 0, sizeof *out);
	if (o->docker_dir_given || !o->host_root) {
		add_root(out, o->docker_dir, DE_ROOT_DOCKER, false);
		return 0;
	}
	de_found_list fl;
	de_err e;
	if (de_discover(o->host_root, &fl, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	for (size_t i = 0; i < fl.n; i++) {
		if (!strcmp(fl.v[i].runtime, "docker"))
			add_root(out, fl.v[i].path, DE_ROOT_DOCKER, false);
		else if (!strcmp(fl.v[i].runtime, "containerd"))
			add_root(out, fl.v[i].path, DE_ROOT_CONTAINERD,
			         strstr(fl.v[i].how, "Docker") != NULL);
		else if (!strcmp(fl.v[i].runtime, "containers-storage"))
			add_root(out, fl.v[i].path, DE_ROOT_STORAGE, false);
	}
	de_found_list_free(&fl);
	if (!out->n) {
		de_error("%s: no Docker or containerd data found on this host (see `de --root %s "
		         "list runtimes`)", o->host_root, o->host_root);
		return -1;
	}
	return 0;
}

void de_roots_free(de_roots *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].path);
	free(r->v);
	memset(r, 0, sizeof *r);
}

int de_open_root(const de_opts *o, const de_rootref *r, de_docker *d)
{
	de_err e;
	int rc = r->kind == DE_ROOT_CONTAINERD ? de_containerd_open(d, r->path, o->host_root, &e)
	       : r->kind == DE_ROOT_STORAGE ? de_storage_open(d, r->path, o->host_root, &e)
	       : de_docker_open(d, r->path, o->host_root, &e);
	if (rc < 0)
		de_error("%s", e.msg);
	return rc;
}

int de_load_root(de_docker *d, const de_rootref *r, de_container_list *l, de_err *e)
{
	if (r->kind == DE_ROOT_CONTAINERD)
		return de_containerd_load_all(d, r->skip_moby, l, e);
	if (r->kind == DE_ROOT_STORAGE)
		return de_storage_load_all(d, l, e);
	return de_docker_load_all(d, l, e);
}

int de_host_load(const de_opts *o, de_host *h)
{
	memset(h, 0, sizeof *h);
	if (de_find_roots(o, &h->roots) < 0)
		return DE_EXIT_ERROR;
	size_t nr = h->roots.n;
	h->ds = xcalloc(nr + 1, sizeof *h->ds);
	h->open = xcalloc(nr + 1, sizeof *h->open);
	h->ls = xcalloc(nr + 1, sizeof *h->ls);
	size_t readable = 0;
	for (size_t r = 0; r < nr; r++) {
		de_err e;
		if (de_open_root(o, &h->roots.v[r], &h->ds[r]) < 0)
			continue;   /* said why */
		h->open[r] = true;
		if (de_load_root(&h->ds[r], &h->roots.v[r], &h->ls[r], &e) < 0) {
			de_error("%s", e.msg);
			continue;
		}
		readable++;
		h->all = xrealloc(h->all, (h->n + h->ls[r].n + 1) * sizeof *h->all);
		for (size_t i = 0; i < h->ls[r].n; i++)
			h->all[h->n++] = (de_rooted){&h->ds[r], h->ls[r].v[i]};
	}
	if (!readable)
		return DE_EXIT_ERROR;
	/* Some roots of the host could not be read: the answer is incomplete. */
	if (readable < nr)
		de_warn("%zu of the %zu data roots found could not be read (see above)",
		        nr - readable, nr);
	return DE_EXIT_OK;
}

void de_host_free(de_host *h)
{
	for (size_t r = 0; r < h->roots.n; r++) {
		de_container_list_free(&h->ls[r]);
		if (h->open[r])
			de_docker_close(&h->ds[r]);
	}
	free(h->all);
	free(h->ls);
	free(h->ds);
	free(h->open);
	de_roots_free(&h->roots);
	memset(h, 0, sizeof *h);
}

/* In a containerd or containers/storage root: an ID, "namespace/ID", a
 * name, or a unique ID prefix. */
static de_container *find_other(de_docker *d, const de_rootref *r, const char *ref, de_err *e)
{
	de_container_list l = {0};
	de_container *found = NULL;
	size_t prefix = 0, at = 0;
	if (de_load_root(d, r, &l, e) < 0)
		return NULL;
	for (size_t i = 0; i < l.n && !found; i++) {
		char *full = xasprintf("%s/%s", l.v[i]->namespace ? l.v[i]->namespace : "", l.v[i]->id);
		if (!strcmp(l.v[i]->id, ref) || !strcmp(full, ref) ||
		    (l.v[i]->name && !strcmp(l.v[i]->name, ref)))
			found = l.v[i];
		else if (!strncmp(l.v[i]->id, ref, strlen(ref)))
			prefix++, at = i;
		free(full);
	}
	if (!found && prefix == 1)
		found = l.v[at];
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i] != found)
			de_container_free(l.v[i]);
	free(l.v);
	if (!found)
		de_fail(e, "Could not find any container ID starting with \"%s\"", ref);
	return found;
}

/* The container in the first root that has it. */
de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref)
{
	de_err e;
	de_roots roots;
	de_container *c = NULL;
	bool searched = false;
	if (de_find_roots(o, &roots) < 0)
		return NULL;
	for (size_t i = 0; i < roots.n && !c; i++) {
		if (de_open_root(o, &roots.v[i], d) < 0)
			continue;   /* said why */
		c = roots.v[i].kind == DE_ROOT_DOCKER ? de_docker_find(d, ref, &e)
		                                      : find_other(d, &roots.v[i], ref, &e);
		searched = true;
		if (!c)
			de_docker_close(d);
	}
	if (!c && searched)
		de_error("%s", e.msg);
	de_roots_free(&roots);
	return c;
}

int de_emit_json(json_t *j)
{
	if (de_json_print(stdout, j) < 0 || fflush(stdout) == EOF) {
		de_error("cannot write the output");
		return DE_EXIT_ERROR;
	}
	return DE_EXIT_OK;
}

int de_redirect_stdout(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		de_error("%s: %s%s", path, strerror(errno),
		         errno == EEXIST ? " (de does not overwrite a file)" : "");
		return -1;
	}
	fflush(stdout);
	int rc = dup2(fd, STDOUT_FILENO);
	close(fd);
	if (rc < 0) {
		de_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int de_target_open(de_target *t, const de_opts *o, const char *ref, bool view, bool mounts)
{
	de_err e;
	memset(t, 0, sizeof *t);
	t->c = de_open_container(o, &t->d, ref);
	if (!t->c)
		return -1;
	if (view) {
		if (de_view_open(&t->d, t->c, mounts, &t->v, &e) < 0) {
			de_error("%s", e.msg);
			de_target_close(t);
			return -1;
		}
		t->has_view = true;
	}
	return 0;
}

void de_target_close(de_target *t)
{
	if (t->has_view)
		de_view_close(&t->v);
	if (t->c) {
		de_container_free(t->c);
		de_docker_close(&t->d);
	}
	memset(t, 0, sizeof *t);
}
