/*
 * image_refs.c — see image_refs.h.
 */
#include "image_refs.h"

#include <stdlib.h>
#include <string.h>

#include "../bbolt/bbolt.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "containerd.h"
#include "docker_internal.h"
#include "storage.h"

#define CTD_META "io.containerd.metadata.v1.bolt/meta.db"
#define MAX_REFS 100000   /* images listed from one store */

static de_image *add_image(de_image_list *l, const char *id, const char *driver,
                           const char *ns, const char *runtime)
{
	if (l->n >= MAX_REFS)
		return NULL;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	de_image *im = &l->v[l->n++];
	memset(im, 0, sizeof *im);
	im->id = xstrdup(id);
	im->driver = xstrdup(driver);
	im->namespace = ns ? xstrdup(ns) : NULL;
	im->runtime = xstrdup(runtime);
	im->size = -1;
	return im;
}

static void add_name(de_image *im, const char *name)
{
	if (im)
		sv_push(strchr(name, '@') ? &im->digests : &im->tags, name);
}

static int cmp_key(const char *id, const char *driver, const char *ns, const de_image *b)
{
	int r = strcmp(driver, b->driver);
	if (!r)
		r = strcmp(ns ? ns : "", b->namespace ? b->namespace : "");
	return r ? r : strcmp(id, b->id);
}

static int cmp_image(const void *pa, const void *pb)
{
	const de_image *a = pa;
	return cmp_key(a->id, a->driver, a->namespace, pb);
}

/* Sorted by store, namespace and ID, each image once (containerd lists an
 * image once per name): a store of n images is named in O(n log n). */
static void sort_merge(de_image_list *l)
{
	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp_image);
	size_t w = 0;
	for (size_t i = 1; i < l->n; i++) {
		de_image *a = &l->v[w], *b = &l->v[i];
		if (cmp_image(a, b)) {
			l->v[++w] = *b;
			continue;
		}
		for (size_t k = 0; k < b->tags.n; k++)
			sv_push(&a->tags, b->tags.v[k]);
		for (size_t k = 0; k < b->digests.n; k++)
			sv_push(&a->digests, b->digests.v[k]);
		free(b->id), free(b->driver), free(b->namespace), free(b->runtime);
		sv_free(&b->tags), sv_free(&b->digests);
	}
	l->n = w + 1;
}

static de_image *find_image(de_image_list *l, const char *id, const char *driver)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp_key(id, driver, NULL, &l->v[mid]);
		if (!r)
			return &l->v[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* A names file of Docker's ({"Repositories": {repo: {key: id}}}), each
 * name given to the image of id in l (driver's). v2 keys are whole
 * references ("repo:tag", "repo@sha256:…"); v1 keys are the tag alone, or
 * a digest ("sha256:…"). */
static void docker_names(de_docker *d, const char *rel, const char *driver, bool v1,
                         de_image_list *l)
{
	if (!ev_is_file(&d->root, rel))
		return;
	de_err e;
	json_t *j = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
	if (!j) {
		de_warn("%s (its images are not found by name)", e.msg);
		return;
	}
	const char *repo, *key;
	json_t *refs, *id;
	json_object_foreach(jget_obj(j, "Repositories"), repo, refs) {
		json_object_foreach(refs, key, id) {
			if (!json_is_string(id))
				continue;
			char *name = !v1 ? xstrdup(key)
			           : strchr(key, ':') ? xasprintf("%s@%s", repo, key)
			                              : xasprintf("%s:%s", repo, key);
			add_name(find_image(l, json_string_value(id), driver), name);
			free(name);
		}
	}
	json_decref(j);
}

/* Layout v2: image/<driver>/imagedb/content/sha256/<id>. */
static void docker_v2_refs(de_docker *d, de_image_list *out)
{
	strvec drivers = {0}, ids = {0};
	de_err e;
	if (!ev_is_dir(&d->root, "image"))
		return;
	if (ev_list(&d->root, "image", &drivers, &e) < 0)
		de_warn("%s (its images are not found)", e.msg);
	for (size_t k = 0; k < drivers.n; k++) {
		const char *drv = drivers.v[k];
		if (!de_safe_name(drv))
			continue;
		char *rel = xasprintf("image/%s/imagedb/content/sha256", drv);
		if (ev_is_dir(&d->root, rel) && ev_list(&d->root, rel, &ids, &e) < 0)
			de_warn("%s (its images are not found)", e.msg);
		free(rel);
		for (size_t i = 0; i < ids.n; i++) {
			if (!de_is_hex(ids.v[i], 64))
				continue;
			char *id = xasprintf("sha256:%s", ids.v[i]);
			add_image(out, id, drv, NULL, "docker");
			free(id);
		}
		sv_free(&ids);
	}
	sv_free(&drivers);
}

/* Their names, once the list is sorted. */
static void docker_v2_names(de_docker *d, de_image_list *out)
{
	strvec drivers = {0};
	if (!ev_is_dir(&d->root, "image") || ev_list(&d->root, "image", &drivers, NULL) < 0) {
		sv_free(&drivers);
		return;
	}
	for (size_t k = 0; k < drivers.n; k++) {
		if (!de_safe_name(drivers.v[k]))
			continue;
		char *rel = xasprintf("image/%s/repositories.json", drivers.v[k]);
		docker_names(d, rel, drivers.v[k], false, out);
		free(rel);
	}
	sv_free(&drivers);
}

/* Layout v1: graph/<id>, named by repositories-<driver>. */
static void docker_v1_refs(de_docker *d, de_image_list *out)
{
	strvec ids = {0};
	de_err e;
	if (!ev_is_dir(&d->root, "graph"))
		return;
	if (ev_list(&d->root, "graph", &ids, &e) < 0)
		de_warn("%s (its images are not found)", e.msg);
	for (size_t i = 0; i < ids.n; i++)
		if (de_is_hex(ids.v[i], 64))
			add_image(out, ids.v[i], "graph", NULL, "docker");
	sv_free(&ids);
}

static void docker_v1_names(de_docker *d, de_image_list *out)
{
	strvec files = {0};
	de_err e;
	if (!ev_is_dir(&d->root, "graph"))
		return;
	if (ev_list(&d->root, ".", &files, &e) < 0)
		de_warn("%s (its images are not found by name)", e.msg);
	for (size_t i = 0; i < files.n; i++)
		if (!strncmp(files.v[i], "repositories-", 13) && de_safe_name(files.v[i]))
			docker_names(d, files.v[i], "graph", true, out);
	sv_free(&files);
}

/* ---- containerd: meta.db v1/<ns>/images/<name>/target/digest ------------- */

typedef struct ctd_walk {
	const bb_db *meta;
	const char *only_ns;     /* Docker's store: "moby" */
	bool skip_moby;
	const char *runtime;
	const char *ns;
	const char *where;
	de_image_list *out;
} ctd_walk;

static int on_ctd_image(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                        bool bucket)
{
	ctd_walk *w = arg;
	bb_bucket ib, tb;
	if (!bucket)
		return 0;
	char *name = xstrndup((const char *)k, kl), *target = NULL;
	if (bb_bucket_of(w->meta, v, vl, &ib, NULL) == 0 && bb_sub(&ib, "target", &tb, NULL) == 1)
		target = bb_get_str(&tb, "digest");
	if (target && !strncmp(target, "sha256:", 7) && de_is_hex(target + 7, 64)) {
		de_image *im = add_image(w->out, target, "containerd", w->ns, w->runtime);
		/* Docker 29 names an image it untagged "moby-dangling@<digest>" */
		if (strncmp(name, "moby-dangling@", 14))
			add_name(im, name);
	} else {
		de_debug("look-up: containerd image %s/%s of %s: no target digest", w->ns, name,
		         w->where);
	}
	free(target);
	free(name);
	return 0;
}

static int on_ctd_ns(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                     bool bucket)
{
	ctd_walk *w = arg;
	bb_bucket nb, ib;
	char *ns = xstrndup((const char *)k, kl);
	if (bucket && !(w->only_ns && strcmp(ns, w->only_ns)) &&
	    !(w->skip_moby && !strcmp(ns, "moby")) && bb_bucket_of(w->meta, v, vl, &nb, NULL) == 0 &&
	    bb_sub(&nb, "images", &ib, NULL) == 1) {
		de_err e;
		w->ns = ns;
		if (bb_foreach(&ib, on_ctd_image, w, &e) < 0)
			de_warn("containerd namespace %s of %s: %s (its images are not found)", ns,
			        w->where, e.msg);
	}
	free(ns);
	return 0;
}

static void ctd_refs(de_docker *d, const char *prefix, const char *only_ns, bool skip_moby,
                     const char *runtime, de_image_list *out)
{
	char *rel = *prefix ? de_path_join(prefix, CTD_META) : xstrdup(CTD_META);
	char *where = de_path_join(d->root.path, rel);
	bb_db *meta;
	de_err e;
	if (bb_open(&meta, &d->root, rel, &e) < 0) {
		de_warn("%s (its images are not found)", e.msg);
	} else {
		bb_bucket v1;
		int rc = bb_path(meta, &v1, &e, "v1", NULL);
		ctd_walk w = {meta, only_ns, skip_moby, runtime, NULL, where, out};
		if (rc < 0 || (rc == 1 && bb_foreach(&v1, on_ctd_ns, &w, &e) < 0))
			de_warn("%s: %s (its images are not found)", where, e.msg);
		bb_close(meta);
	}
	free(rel);
	free(where);
}

/* ---- containers/storage: overlay-images/images.json ------------------------ */

static void storage_refs(de_docker *d, de_image_list *out)
{
	static const char rel[] = "overlay-images/images.json";
	if (!ev_is_file(&d->root, rel))
		return;
	de_err e;
	json_t *j = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
	if (!json_is_array(j)) {
		de_warn("%s (its images are not found)",
		        j ? "overlay-images/images.json is not an array" : e.msg);
		json_decref(j);
		return;
	}
	char *runtime = de_storage_runtime(d, NULL);
	size_t i, k;
	json_t *ent, *name;
	json_array_foreach(j, i, ent) {
		const char *hex = jget_str(ent, "id");
		if (!hex || !de_is_hex(hex, 64))
			continue;
		char *id = xasprintf("sha256:%s", hex);
		de_image *im = add_image(out, id, "overlay", NULL, runtime);
		free(id);
		json_array_foreach(jget_arr(ent, "names"), k, name)
			if (json_is_string(name))
				add_name(im, json_string_value(name));
	}
	free(runtime);
	json_decref(j);
}

int de_image_refs(de_docker *d, bool skip_moby, de_image_list *out, de_err *e)
{
	(void)e;
	memset(out, 0, sizeof *out);
	if (d->kind == DE_ROOT_CONTAINERD) {
		ctd_refs(d, "", NULL, skip_moby, "containerd", out);
	} else if (d->kind == DE_ROOT_STORAGE) {
		storage_refs(d, out);
	} else {
		if (ev_is_file(&d->root, DE_DOCKER_CONTAINERD "/" CTD_META))
			ctd_refs(d, DE_DOCKER_CONTAINERD, "moby", false, "docker", out);
		docker_v2_refs(d, out);
		docker_v1_refs(d, out);
	}
	if (out->n >= MAX_REFS)
		de_warn("%s: more than %d images; the others are not looked up", d->root.path,
		        MAX_REFS);
	sort_merge(out);
	if (d->kind == DE_ROOT_DOCKER) {
		docker_v2_names(d, out);
		docker_v1_names(d, out);
	}
	return 0;
}

int de_image_history(de_docker *d, const de_image *im, de_history *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	if (d->kind == DE_ROOT_STORAGE)
		return de_storage_image_history(d, im->id, out, e);
	if (!strcmp(im->driver, "containerd"))
		return de_containerd_image_history(d, d->kind == DE_ROOT_DOCKER ? DE_DOCKER_CONTAINERD : "",
		                                   im->namespace ? im->namespace : "moby", im->id, out, e);
	if (!strcmp(im->driver, "graph"))
		return docker_v1_chain(d, im->id, out, e);
	if (!de_safe_name(im->driver))
		return de_fail(e, "image %s: image store \"%s\" is not a plain name", im->id, im->driver);
	return docker_v2_image_history(d, im->driver, im->id, "image", out, e);
}
