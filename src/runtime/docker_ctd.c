/*
 * docker_ctd.c — see docker_ctd.h.
 */
#include "docker_ctd.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../bbolt/bbolt.h"
#include "../util/evh.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "containerd.h"
#include "discover.h"

#define META "io.containerd.metadata.v1.bolt/meta.db"
/* containerd roots a data root's containers are looked for in */
#define MAX_CANDIDATES 64

typedef struct ctd_cand {
	char *path;       /* the root: a path of this machine */
	bool own;         /* <data-root>/containerd/daemon: read below the data root */
	ev_root root;     /* !own: the root, opened on its own */
	bb_db *meta;      /* NULL: it could not be read (said once) */
} ctd_cand;

struct docker_ctd {
	bool found;        /* the candidates were looked for */
	char *ns;
	char *unsearched;  /* why the host's containerds were not searched, or NULL */
	ctd_cand *v;
	size_t n;
	ev_root *opened;   /* roots opened for de_layers_root by path */
	size_t nopened;
};

/* Container records are loaded on every core (util/pool.h): the first
 * one of a snapshotter driver finds the candidates for all, and the
 * candidates' meta.db readers are shared. One lock over this module's
 * state and reads; a host's snapshot look-ups are bbolt reads of a few
 * pages, so holding it costs little. */
static pthread_mutex_t ctd_lock = PTHREAD_MUTEX_INITIALIZER;

static struct docker_ctd *state(de_docker *d)
{
	if (!d->ctd)
		d->ctd = xcalloc(1, sizeof *d->ctd);
	return d->ctd;
}

/* A rootless Docker's data root: $HOME/.local/share/docker. */
static bool rootless(const de_docker *d, size_t *home_len)
{
	return de_path_strip_suffix(d->root.path, "/.local/share/docker", home_len);
}

/* realpath(3) of a tree's path; a disk image's path (IMAGE@VOL:/x,
 * --image) is already where it is: evfs resolved it inside the image. */
static char *real_path(const char *p)
{
	return ev_attached(p) ? xstrdup(p) : realpath(p, NULL);
}

static const char *namespace_of(de_docker *d)
{
	struct docker_ctd *x = state(d);
	if (x->ns)
		return x->ns;
	/* daemon.json: /etc/docker's, or a rootless Docker's
	 * $HOME/.config/docker/daemon.json (dockerd-rootless reads that one) */
	json_t *cfg = NULL;
	size_t hl;
	char *rel = NULL;
	if (d->host_known && rootless(d, NULL)) {
		/* $HOME below the host root: compared as real paths (the data
		 * root may be given through a link); read inside the host root */
		char *host = real_path(*d->host_root ? d->host_root : "/");
		char *data = real_path(d->root.path);
		size_t rl = host ? strlen(host) : 0;
		if (host && !strcmp(host, "/"))
			rl = 0;
		if (host && data && de_path_strip_suffix(data, "/.local/share/docker", &hl) &&
		    hl >= rl && !strncmp(data, host, rl) && (data[rl] == '/'))
			rel = xasprintf("%.*s/.config/docker/daemon.json", (int)(hl - rl), data + rl);
		free(host);
		free(data);
	} else if (d->host_known) {
		rel = xstrdup("etc/docker/daemon.json");
	}
	ev_root host;
	if (rel && ev_root_open_host(&host, *d->host_root ? d->host_root : "/", NULL) == 0) {
		const char *r = rel + strspn(rel, "/");
		if (ev_is_file(&host, r)) {
			de_err e;
			if (!(cfg = ev_read_json(&host, r, EV_MAX_SMALL * 16, &e)))
				de_warn("%s (Docker's containerd namespace is taken to be \"moby\")", e.msg);
		}
		ev_root_close(&host);
	}
	const char *ns = jget_str(cfg, "containerd-namespace");
	if (ns && !de_safe_name(ns)) {
		de_warn("%s: containerd-namespace \"%s\" is not a namespace name; \"moby\" used",
		        rel, ns);
		ns = NULL;
	}
	x->ns = xstrdup(ns && *ns ? ns : "moby");
	json_decref(cfg);
	free(rel);
	return x->ns;
}

/* A candidate: path (taken), below the data root (own: root is the data
 * root, kept by the caller) or its own root (taken). */
static void add_cand(struct docker_ctd *x, char *path, bool own, const ev_root *root)
{
	x->v = xrealloc(x->v, (x->n + 1) * sizeof *x->v);
	ctd_cand *c = &x->v[x->n++];
	memset(c, 0, sizeof *c);
	c->path = path;
	c->own = own;
	c->root.fd = -1;
	if (!own)
		c->root = *root;
	de_err e;
	const char *rel = own ? DE_DOCKER_CONTAINERD "/" META : META;
	if (bb_open(&c->meta, own ? root : &c->root, rel, &e) < 0) {
		c->meta = NULL;
		de_warn("containerd root %s: %s: Docker's snapshots are not looked for there", path,
		        e.msg);
	}
}

/* The same directory (the private containerd found again by discovery). */
static bool same_dir(int a, int b)
{
	struct stat sa, sb;
	return evh_fstat(a, &sa) == 0 && evh_fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The host's containerd roots, as discovery finds them, but the private
 * ones of Docker data roots (another dockerd's). */
static void host_cands(de_docker *d, struct docker_ctd *x, int own_fd)
{
	de_found_list fl;
	de_err e;
	if (de_discover(*d->host_root ? d->host_root : "/", &fl, &e) < 0) {
		x->unsearched = xasprintf("the host root could not be searched: %s", e.msg);
		return;
	}
	for (size_t i = 0; i < fl.n && x->n < MAX_CANDIDATES; i++) {
		const de_found *f = &fl.v[i];
		ev_root r;
		if (strcmp(f->runtime, "containerd") || f->docker_own ||
		    ev_root_open(&r, f->path, NULL) < 0)
			continue;
		/* one directory found twice (config.toml's root written another
		 * way, or the private one): one candidate */
		bool seen = own_fd >= 0 && same_dir(own_fd, r.fd);
		for (size_t k = 0; !seen && k < x->n; k++)
			seen = !x->v[k].own && same_dir(x->v[k].root.fd, r.fd);
		if (seen) {
			ev_root_close(&r);
			continue;
		}
		add_cand(x, xstrdup(f->path), false, &r);
	}
	de_found_list_free(&fl);
}

static struct docker_ctd *cands(de_docker *d)
{
	struct docker_ctd *x = state(d);
	if (x->found)
		return x;
	x->found = true;
	namespace_of(d);
	int own_fd = -1;
	if (ev_is_file(&d->root, DE_DOCKER_CONTAINERD "/" META)) {
		add_cand(x, de_path_join(d->root.path, DE_DOCKER_CONTAINERD), true, &d->root);
		own_fd = ev_open(&d->root, DE_DOCKER_CONTAINERD, O_PATH | O_DIRECTORY, NULL);
	}
	size_t hl;
	if (rootless(d, &hl))
		;   /* dockerd-rootless runs its own containerd: the private one */
	else if (!d->host_known)
		x->unsearched = xasprintf("the host's containerd is looked for below the host's "
		                          "root, which -r does not tell when it does not end in "
		                          "/var/lib/docker: give it with --root");
	else
		host_cands(d, x, own_fd);
	if (own_fd >= 0)
		evh_close(own_fd);
	return x;
}

static const ev_root *cand_root(de_docker *d, const ctd_cand *c)
{
	return c->own ? &d->root : &c->root;
}

/* The meta.db holds the snapshot: v1/<ns>/snapshots/<snapshotter>/<key>. */
static bool holds(const ctd_cand *c, const char *ns, const char *snapshotter, const char *key)
{
	bb_bucket b;
	return c->meta && bb_path(c->meta, &b, NULL, "v1", ns, "snapshots", snapshotter, key,
	                          NULL) == 1;
}

static void snapshot_of(de_docker *d, de_container *c)
{
	if (!de_safe_name(c->driver) || !de_safe_name(c->id)) {
		c->snapshot_error = xasprintf("%s: its ID or Driver is not a plain name: no "
		                              "snapshot looked for", c->config_path);
		return;
	}
	struct docker_ctd *x = cands(d);
	size_t hits[MAX_CANDIDATES], nh = 0;
	for (size_t i = 0; i < x->n; i++)
		if (holds(&x->v[i], x->ns, c->driver, c->id))
			hits[nh++] = i;
	if (nh == 1) {
		ctd_cand *k = &x->v[hits[0]];
		c->snapshot_root = xstrdup(k->own ? DE_DOCKER_CONTAINERD : "");
		c->ctd_root = xstrdup(k->path);
		c->ctd_namespace = xstrdup(x->ns);
		de_containerd_snapshot_of(cand_root(d, k), c->snapshot_root, k->meta, x->ns, c->id, c);
		return;
	}
	dbuf b = {0};
	for (size_t i = 0; i < (nh ? nh : x->n); i++)
		db_addf(&b, "%s%s", i ? ", " : "", x->v[nh ? hits[i] : i].path);
	if (nh)
		c->snapshot_error = xasprintf(
			"container %s: %zu containerd roots hold its %s snapshot (key: its ID, namespace "
			"%s): %s; which one dockerd used is not in its files (dockerd --containerd): "
			"de does not choose", c->id, nh, c->driver, x->ns, b.p);
	else if (x->n)
		c->snapshot_error = xasprintf(
			"container %s: Driver %s is a containerd snapshotter, but none of the containerd "
			"roots found holds its snapshot (key: its ID, namespace %s): %s", c->id,
			c->driver, x->ns, b.p);
	else
		c->snapshot_error = xasprintf(
			"container %s: Driver %s is a containerd snapshotter, but no containerd root was "
			"found to look for its snapshot in (%s/" DE_DOCKER_CONTAINERD "%s)", c->id,
			c->driver, d->root.path, x->unsearched || rootless(d, NULL) ? ""
			: ", and below the host root var/lib/containerd and the root in "
			  "etc/containerd/config.toml");
	db_free(&b);
	if (!nh && x->unsearched) {
		char *m = xasprintf("%s; %s", c->snapshot_error, x->unsearched);
		free(c->snapshot_error);
		c->snapshot_error = m;
	}
}

const char *de_docker_ctd_namespace(de_docker *d)
{
	pthread_mutex_lock(&ctd_lock);
	const char *ns = namespace_of(d);
	pthread_mutex_unlock(&ctd_lock);
	return ns;
}

void de_docker_ctd_snapshot(de_docker *d, de_container *c)
{
	pthread_mutex_lock(&ctd_lock);
	snapshot_of(d, c);
	pthread_mutex_unlock(&ctd_lock);
}

const char *de_layers_base(const de_docker *d, const de_container *c)
{
	return c->ctd_root && c->snapshot_root && !*c->snapshot_root ? c->ctd_root : d->root.path;
}

static const ev_root *layers_root(de_docker *d, const de_container *c, de_err *e)
{
	if (c->snapshot_error) {
		de_fail(e, "%s", c->snapshot_error);
		return NULL;
	}
	if (!(c->ctd_root && c->snapshot_root && !*c->snapshot_root))
		return &d->root;
	/* the root the container was loaded from, opened again by its path
	 * (resolved by discovery inside the host root: no link left in it) */
	struct docker_ctd *x = state(d);
	for (size_t i = 0; i < x->n; i++)
		if (!x->v[i].own && !strcmp(x->v[i].path, c->ctd_root))
			return &x->v[i].root;
	for (size_t i = 0; i < x->nopened; i++)
		if (!strcmp(x->opened[i].path, c->ctd_root))
			return &x->opened[i];
	ev_root r;
	if (ev_root_open(&r, c->ctd_root, e) < 0) {
		de_fail_wrap(e, "container %s: its containerd root", c->id);
		return NULL;
	}
	x->opened = xrealloc(x->opened, (x->nopened + 1) * sizeof *x->opened);
	x->opened[x->nopened] = r;
	return &x->opened[x->nopened++];
}

const ev_root *de_layers_root(de_docker *d, const de_container *c, de_err *e)
{
	pthread_mutex_lock(&ctd_lock);
	const ev_root *r = layers_root(d, c, e);
	pthread_mutex_unlock(&ctd_lock);
	return r;
}

void de_docker_ctd_records(de_docker *d, strvec *out)
{
	strvec ids = {0};
	const char *ns = de_docker_ctd_namespace(d);
	if (de_docker_ids(d, &ids, NULL) == 0)
		for (size_t i = 0; i < ids.n; i++)
			sv_pushf(out, "%s/%s", ns, ids.v[i]);
	sv_free(&ids);
}

static bool has_images(const ctd_cand *c, const char *ns)
{
	bb_bucket b;
	return c->meta && bb_path(c->meta, &b, NULL, "v1", ns, "images", NULL) == 1;
}

static void push_once(strvec *v, const char *s)
{
	for (size_t k = 0; k < v->n; k++)
		if (!strcmp(v->v[k], s))
			return;
	sv_push(v, s);
}

void de_docker_ctd_claims(de_docker *d, const de_container_list *cl, strvec *paths)
{
	for (size_t i = 0; cl && i < cl->n; i++) {
		const de_container *c = cl->v[i];
		if (c->ctd_root && c->snapshot_root && !*c->snapshot_root)
			push_once(paths, c->ctd_root);
	}
	/* images in Docker's namespace are dockerd's, containers or not (a
	 * Docker 29 whose containers were all removed still has them) */
	if (d->kind != DE_ROOT_DOCKER)
		return;
	struct docker_ctd *x = cands(d);
	for (size_t i = 0; i < x->n; i++)
		if (!x->v[i].own && has_images(&x->v[i], x->ns))
			push_once(paths, x->v[i].path);
}

int de_docker_ctd_images(de_docker *d, const char *path, const de_container_list *cl,
                         de_image_list *out, de_err *e)
{
	ev_root r;
	if (ev_root_open(&r, path, e) < 0)
		return -1;
	int rc = de_containerd_images_at(&r, "", de_docker_ctd_namespace(d), false, cl, out, e);
	ev_root_close(&r);
	return rc;
}

void de_docker_ctd_free(de_docker *d)
{
	struct docker_ctd *x = d->ctd;
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].path);
		if (x->v[i].meta)
			bb_close(x->v[i].meta);
		if (!x->v[i].own)
			ev_root_close(&x->v[i].root);
	}
	for (size_t i = 0; i < x->nopened; i++)
		ev_root_close(&x->opened[i]);
	free(x->opened);
	free(x->v);
	free(x->ns);
	free(x->unsearched);
	free(x);
	d->ctd = NULL;
}
