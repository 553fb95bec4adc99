/*
 * discover.c — see discover.h.
 */
#include "discover.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "../util/evfs.h"
#include "../util/evh.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/toml.h"

/* A directory that could not be searched on the way to rel: the deepest
 * reachable one (home/alice when it is mode 700), noted once. */
static void note_denied(const ev_root *r, const char *rel, de_found_list *out)
{
	char *dir = xstrdup(rel);
	for (char *slash; (slash = strrchr(dir, '/')) != NULL;) {
		*slash = '\0';
		if (ev_reach(r, dir) == 0)
			break;
	}
	if (!strchr(rel, '/') || ev_reach(r, dir) != 0)
		dir[0] = '\0';   /* the host root itself */
	char *full = de_path_join(r->path, dir);
	for (size_t i = 0; i < out->denied.n; i++)
		if (!strcmp(out->denied.v[i], full)) {
			free(full);
			full = NULL;
			break;
		}
	if (full)
		sv_push_own(&out->denied, full);
	free(dir);
}

/* Whether the mark rel is there (a directory, or a file); a place that
 * cannot be searched is noted in out->denied. */
static bool mark(const ev_root *r, const char *base, const char *name, bool dir,
                 de_found_list *out)
{
	char *rel = de_path_join(base, name);
	int why = ev_reach(r, rel);
	bool yes = why == 0 && (dir ? ev_is_dir(r, rel) : ev_is_file(r, rel));
	if (why == EACCES || why == EPERM)
		note_denied(r, rel, out);
	free(rel);
	return yes;
}

/* The marks of names[] found under base, as "a/, b/" (NULL: none). */
static char *marks(const ev_root *r, const char *base, const char *const *names, size_t n,
                   de_found_list *out)
{
	dbuf b = {0};
	for (size_t i = 0; i < n; i++)
		if (mark(r, base, names[i], true, out))
			db_addf(&b, "%s%s/", b.len ? ", " : "", names[i]);
	return b.len ? db_take(&b) : NULL;
}

static char *is_docker(const ev_root *r, const char *rel, de_found_list *out)
{
	static const char *const names[] = {"containers", "image", "graph"};
	return marks(r, rel, names, 3, out);
}

static char *is_containerd(const ev_root *r, const char *rel, de_found_list *out)
{
	static const char *const db = "io.containerd.metadata.v1.bolt/meta.db";
	return mark(r, rel, db, false, out) ? xstrdup(db) : NULL;
}

static char *is_storage(const ev_root *r, const char *rel, de_found_list *out)
{
	static const char *const names[] = {"overlay-containers", "overlay-images", "libpod",
	                                    "vfs-containers"};
	return marks(r, rel, names, 4, out);
}

/* Where rel really is: resolved inside the host root (its symlinks are the
 * image's), as a path on this machine. */
static char *resolved(const ev_root *r, const char *rel)
{
	int fd = ev_open(r, rel, O_PATH | O_DIRECTORY, NULL);
	if (fd < 0)
		return de_path_join(r->path, rel);
	char *p = evh_path(fd);
	evh_close(fd);
	if (!p || !*p) {
		free(p);
		return de_path_join(r->path, rel);
	}
	return p;
}

static void add(de_found_list *l, const ev_root *r, const char *runtime, const char *rel,
                const char *how, const char *what)
{
	while (*rel == '/')
		rel++;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].runtime, runtime) && !strcmp(l->v[i].rel, rel))
			return;   /* found twice: say it once */
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	de_found *f = &l->v[l->n++];
	f->runtime = xstrdup(runtime);
	f->rel = xstrdup(rel);
	f->path = resolved(r, rel);
	f->how = xstrdup(how);
	f->what = xstrdup(what);
	f->docker_own = false;
}

/* CRI-O's mark in a containers/storage root: a container whose metadata
 * (a JSON document in a string, written by the engine that made it) names
 * a pod-id. The file that holds one, or NULL. */
static const char *crio_file(const ev_root *r, const char *rel)
{
	static const char *const files[] = {"overlay-containers/volatile-containers.json",
	                                    "overlay-containers/containers.json"};
	const char *found = NULL;
	for (size_t f = 0; f < 2 && !found; f++) {
		char *p = de_path_join(rel, files[f]);
		json_t *arr = ev_is_file(r, p) ? ev_read_json(r, p, EV_MAX_JSON, NULL) : NULL;
		free(p);
		size_t i;
		json_t *ent;
		json_array_foreach(arr, i, ent) {
			const char *meta = jget_str(ent, "metadata");
			json_t *m = meta ? json_loads(meta, JSON_REJECT_DUPLICATES, NULL) : NULL;
			if (jget_str(m, "pod-id"))
				found = files[f];
			json_decref(m);
			if (found)
				break;
		}
		json_decref(arr);
	}
	return found;
}

/* libpod's mark: its state database, else its directory. */
static const char *libpod_mark(const ev_root *r, const char *rel, de_found_list *out)
{
	static const char *const files[] = {"libpod/bolt_state.db", "libpod/db.sql", "db.sql"};
	for (size_t i = 0; i < 3; i++)
		if (mark(r, rel, files[i], false, out))
			return files[i];
	return mark(r, rel, "libpod", true, out) ? "libpod/" : NULL;
}

/* Adds rel as a root of kind ("docker", "containerd", "storage") when it
 * holds that runtime's marks. A containers/storage root is added once per
 * runtime whose records it holds (see discover.h). */
static void consider(const ev_root *r, const char *kind, const char *rel, const char *how,
                     de_found_list *out)
{
	char *what = NULL;
	if (!strcmp(kind, "docker")) {
		if ((what = is_docker(r, rel, out)))
			add(out, r, "docker", rel, how, what);
	} else if (!strcmp(kind, "containerd")) {
		if ((what = is_containerd(r, rel, out)))
			add(out, r, "containerd", rel, how, what);
	} else if ((what = is_storage(r, rel, out))) {
		const char *pod = libpod_mark(r, rel, out), *crio = crio_file(r, rel);
		char *c = crio ? xasprintf("CRI-O's containers (pod-id) in %s", crio) : NULL;
		if (pod)
			add(out, r, "podman", rel, how, pod);
		if (crio)
			add(out, r, "cri-o", rel, how, c);
		if (!pod && !crio)
			add(out, r, "containers-storage", rel, how, what);
		free(c);
	}
	free(what);
}

/* home/<user>/<sub> and root/<sub> */
static void homes(const ev_root *r, const char *kind, const char *sub, de_found_list *out)
{
	char *rr = de_path_join("root", sub);
	consider(r, kind, rr, "rootless, user root", out);
	free(rr);
	strvec users = {0};
	int why = ev_reach(r, "home");
	if (why == 0 && ev_is_dir(r, "home") && ev_list(r, "home", &users, NULL) < 0 &&
	    (errno == EACCES || errno == EPERM))
		note_denied(r, "home/x", out);
	for (size_t i = 0; i < users.n; i++) {
		if (!de_safe_name(users.v[i]))
			continue;
		char *rel = xasprintf("home/%s/%s", users.v[i], sub);
		char *how = xasprintf("rootless, user %s", users.v[i]);
		consider(r, kind, rel, how, out);
		free(rel);
		free(how);
	}
	sv_free(&users);
}

/* A configuration file of the host: NULL when absent; a file that cannot
 * be read for permission is noted, as its setting may point elsewhere. */
static bool config_readable(const ev_root *r, const char *rel, de_found_list *out)
{
	int why = ev_reach(r, rel);
	if (why == EACCES || why == EPERM) {
		note_denied(r, rel, out);
		return false;
	}
	if (why || !ev_is_file(r, rel))
		return false;
	int fd = ev_open(r, rel, 0, NULL);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		char *full = de_path_join(r->path, rel);
		sv_push_own(&out->denied, full);
		return false;
	}
	if (fd >= 0)
		evh_close(fd);
	return fd >= 0;
}

static void docker_roots(const ev_root *r, de_found_list *out)
{
	consider(r, "docker", "var/lib/docker", "default", out);
	json_t *cfg = config_readable(r, "etc/docker/daemon.json", out)
	            ? ev_read_json(r, "etc/docker/daemon.json", EV_MAX_SMALL * 16, NULL) : NULL;
	const char *dr = jget_str(cfg, "data-root");
	if (!dr)
		dr = jget_str(cfg, "graph");
	if (dr)
		consider(r, "docker", dr, "etc/docker/daemon.json data-root", out);
	json_decref(cfg);
	consider(r, "docker", "var/snap/docker/common/var-lib-docker", "snap", out);
	homes(r, "docker", ".local/share/docker", out);
	/* userns-remap: a whole second tree in <data-root>/<uid>.<gid> */
	size_t n = out->n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(out->v[i].runtime, "docker"))
			continue;
		strvec subs = {0};
		char *base = xstrdup(out->v[i].rel);
		if (ev_list(r, base, &subs, NULL) == 0)
			for (size_t k = 0; k < subs.n; k++) {
				unsigned a, b;
				char end;
				if (sscanf(subs.v[k], "%u.%u%c", &a, &b, &end) != 2)
					continue;
				char *rel = de_path_join(base, subs.v[k]);
				consider(r, "docker", rel, "userns-remap subroot", out);
				free(rel);
			}
		sv_free(&subs);
		free(base);
	}
}

static void containerd_roots(const ev_root *r, de_found_list *out)
{
	consider(r, "containerd", "var/lib/containerd", "default", out);
	const char *conf = "etc/containerd/config.toml";
	char *croot = config_readable(r, conf, out) ? de_toml_string(r, conf, NULL, "root") : NULL;
	if (croot)
		consider(r, "containerd", croot, "etc/containerd/config.toml root", out);
	free(croot);
	size_t n = out->n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(out->v[i].runtime, "docker"))
			continue;
		char *rel = de_path_join(out->v[i].rel, "containerd/daemon");
		size_t before = out->n;
		consider(r, "containerd", rel, "Docker's own containerd", out);
		if (out->n > before)
			out->v[out->n - 1].docker_own = true;
		free(rel);
	}
}

static void storage_roots(const ev_root *r, de_found_list *out)
{
	consider(r, "storage", "var/lib/containers/storage", "default", out);
	const char *conf = "etc/containers/storage.conf";
	char *groot = config_readable(r, conf, out) ? de_toml_string(r, conf, "storage", "graphroot") : NULL;
	if (groot)
		consider(r, "storage", groot, "etc/containers/storage.conf graphroot", out);
	free(groot);
	homes(r, "storage", ".local/share/containers/storage", out);
}

int de_discover(const char *host_root, de_found_list *out, de_err *e)
{
	ev_root r;
	memset(out, 0, sizeof *out);
	if (ev_root_open_host(&r, host_root, e) < 0) {
		if (errno == EACCES)
			return de_fail(e, "permission denied: %s (%s)", host_root, DE_HINT_PERMISSION);
		return -1;
	}
	docker_roots(&r, out);
	containerd_roots(&r, out);
	storage_roots(&r, out);
	ev_root_close(&r);
	return 0;
}

bool de_found_is_storage(const de_found *f)
{
	return !strcmp(f->runtime, "podman") || !strcmp(f->runtime, "cri-o") ||
	       !strcmp(f->runtime, "containers-storage");
}

void de_found_list_free(de_found_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].runtime);
		free(l->v[i].rel);
		free(l->v[i].path);
		free(l->v[i].how);
		free(l->v[i].what);
	}
	free(l->v);
	sv_free(&l->denied);
	l->v = NULL;
	l->n = 0;
}
