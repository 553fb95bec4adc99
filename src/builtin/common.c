/*
 * common.c — what every command needs: opening the evidence, errors.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../output/json_out.h"
#include "../runtime/containerd.h"
#include "../runtime/docker_ctd.h"
#include "../runtime/storage.h"
#include "../runtime/discover.h"
#include "../util/pathutil.h"

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

static void add_root(de_roots *r, const char *path, const char *rel, de_root_kind kind,
                     bool skip_moby)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n++] = (de_rootref){xstrdup(path), rel ? xstrdup(rel) : NULL, kind, skip_moby, {0}};
}

/* dockerd records each container it runs in its containerd, in its
 * namespace, under the container's ID: in a containerd root of the host
 * those records are the Docker containers', listed once, from Docker's
 * data root. Each containerd root gets the keys of the run's Docker roots. */
static void docker_records(const de_opts *o, de_roots *roots)
{
	strvec recs = {0};
	for (size_t i = 0; i < roots->n; i++) {
		de_docker d;
		if (roots->v[i].kind != DE_ROOT_DOCKER ||
		    de_docker_open(&d, roots->v[i].path, o->host_root, NULL) < 0)
			continue;   /* said when it is opened for its containers */
		de_docker_ctd_records(&d, &recs);
		de_docker_close(&d);
	}
	sv_sort(&recs);
	for (size_t i = 0; recs.n && i < roots->n; i++)
		if (roots->v[i].kind == DE_ROOT_CONTAINERD && !roots->v[i].skip_moby)
			for (size_t k = 0; k < recs.n; k++)
				sv_push(&roots->v[i].docker_recs, recs.v[k]);
	sv_free(&recs);
}

/* -r and --root together: -r is a path of this machine, and host paths
 * written in its evidence (bind sources, log paths) are read under --root.
 * When -r is not below --root, those are another host's. */
static void check_r_below_root(const de_opts *o)
{
	char *r = realpath(o->docker_dir, NULL), *h = realpath(o->host_root, NULL);
	size_t hl = h ? strlen(h) : 0;
	if (r && h && !(strncmp(r, h, hl) == 0 && (r[hl] == '/' || r[hl] == '\0' || hl == 1)))
		de_note("warning: -r %s is not below --root %s: the host paths its containers "
		        "recorded (bind mount sources, log files) are read under %s, not beside -r",
		        o->docker_dir, o->host_root, o->host_root);
	free(r);
	free(h);
}

/* --root names no host with runtimes: say what it is instead, when it is
 * a runtime's own data root. */
static void no_runtime(const de_opts *o)
{
	ev_root r;
	const char *is = NULL, *suffix = NULL;
	if (ev_root_open(&r, o->host_root, NULL) == 0) {
		if (ev_is_dir(&r, "containers") || ev_is_dir(&r, "image") || ev_is_dir(&r, "graph"))
			is = "a Docker data root: -r takes it; --root takes the host's root, where "
			     "var/lib/docker is", suffix = "/var/lib/docker";
		else if (ev_is_file(&r, "io.containerd.metadata.v1.bolt/meta.db"))
			is = "a containerd root: --root takes the host's root, where var/lib/containerd is",
			suffix = "/var/lib/containerd";
		else if (ev_is_dir(&r, "overlay-containers") || ev_is_dir(&r, "overlay-images"))
			is = "a containers/storage root: --root takes the host's root, where "
			     "var/lib/containers/storage is", suffix = "/var/lib/containers/storage";
		ev_root_close(&r);
	}
	size_t n;
	if (is && de_path_strip_suffix(o->host_root, suffix, &n) && n)
		de_error("%s: no container runtime's data found below it: it is %s (here --root %.*s)",
		         o->host_root, is, (int)n, o->host_root);
	else if (is)
		de_error("%s: no container runtime's data found below it: it is %s", o->host_root, is);
	else
		de_error("%s: no container runtime's data found below it (is it the host's root? "
		         "see `de --root %s list runtimes`)", o->host_root, o->host_root);
}

int de_find_roots(const de_opts *o, de_roots *out)
{
	memset(out, 0, sizeof *out);
	if (o->docker_dir_given || !o->host_root) {
		if (o->docker_dir_given && o->host_root)
			check_r_below_root(o);
		add_root(out, o->docker_dir, NULL, DE_ROOT_DOCKER, false);
		return 0;
	}
	de_found_list fl;
	de_err e;
	if (de_discover(o->host_root, &fl, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	for (size_t i = 0; i < fl.n; i++) {
		const de_found *f = &fl.v[i];
		bool seen = false;   /* a store of Podman and CRI-O: one root */
		for (size_t k = 0; k < out->n; k++)
			seen |= !strcmp(out->v[k].path, f->path);
		if (seen)
			continue;
		de_root_kind kind = !strcmp(f->runtime, "docker") ? DE_ROOT_DOCKER
		                  : !strcmp(f->runtime, "containerd") ? DE_ROOT_CONTAINERD
		                  : DE_ROOT_STORAGE;
		add_root(out, f->path, f->rel, kind, f->docker_own);
	}
	/* A place that cannot be searched may hold a runtime's data: the
	 * answer is incomplete, or, with nothing found, there is none. */
	for (size_t i = 0; i < fl.denied.n; i++) {
		if (out->n)
			de_warn("permission denied: %s: not searched for container runtimes' data (%s)",
			        fl.denied.v[i], DE_HINT_PERMISSION);
		else
			de_error("permission denied: %s (%s)", fl.denied.v[i], DE_HINT_PERMISSION);
	}
	bool denied = fl.denied.n > 0;
	de_found_list_free(&fl);
	if (!out->n) {
		if (!denied)
			no_runtime(o);
		return -1;
	}
	docker_records(o, out);
	return 0;
}

void de_roots_free(de_roots *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].rel);
		sv_free(&r->v[i].docker_recs);
	}
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
		return de_containerd_load_except(d, r->skip_moby, &r->docker_recs, l, e);
	if (r->kind == DE_ROOT_STORAGE)
		return de_storage_load_all(d, l, e);
	return de_docker_load_all(d, l, e);
}

/* The pods' containers whose records are gone, to the CRI runtime's root. */
static void host_removed(de_host *h)
{
	const de_container **known = xcalloc(h->n + 1, sizeof *known);
	int pod_root = -1;
	for (size_t i = 0; i < h->n; i++) {
		known[i] = h->all[i].c;
		if (pod_root < 0 && h->all[i].c->pod)
			pod_root = (int)(h->all[i].d - h->ds);
	}
	de_container_list rm = {0};
	int r = de_pods_removed(&h->roots, h->ds, h->open, pod_root, known, h->n, &rm);
	free(known);
	if (r < 0 || !rm.n) {
		free(rm.v);
		return;
	}
	h->all = xrealloc(h->all, (h->n + rm.n + 1) * sizeof *h->all);
	for (size_t i = 0; i < rm.n; i++) {
		de_container_list_push(&h->ls[r], rm.v[i]);
		h->all[h->n++] = (de_rooted){&h->ds[r], rm.v[i]};
	}
	free(rm.v);
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
	host_removed(h);
	/* -n, --no-support */
	size_t kept = 0;
	for (size_t i = 0; i < h->n; i++)
		if (de_opts_keep(o, h->all[i].c))
			h->all[kept++] = h->all[i];
	h->n = kept;
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

int de_usage_error(const de_args *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	de_print_usage(stderr, a->top);
	return DE_EXIT_USAGE;
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
