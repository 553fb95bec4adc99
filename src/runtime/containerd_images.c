/*
 * containerd_images.c — containerd's images and their history, from its
 * metadata and content store (see containerd.h).
 *
 *   meta.db v1/<ns>/images/<name>/{createdat, target/{digest, mediatype, size}}
 *   io.containerd.content.v1.content/blobs/sha256/<hex>   the blobs: an index
 *       ("manifests": one manifest per platform), a manifest ("config",
 *       "layers") or an image config ("rootfs.diff_ids", "history")
 *   meta.db v1/<ns>/snapshots/<snapshotter>/<chain id>/name, and
 *   the snapshotter's metadata.db v1/snapshots/<name>/size: the bytes of an
 *       unpacked layer (a zigzag varint, written on commit)
 * An image's ID is its target's digest (what Docker 29 shows and writes in
 * config.v2.json "Image"); its config is the host platform's (linux/amd64),
 * else the first manifest's (a Docker container's history starts at the
 * manifest its config.v2.json names, "ImageManifest"). Its size is the sum of its unpacked layers,
 * unknown (-1) when one is not unpacked. Blob sizes and index depth are
 * bounded; a blob whose content does not hash to its name is a warning.
 */
#include "containerd.h"

#include <stdlib.h>
#include <string.h>

#include "../bbolt/bbolt.h"
#include "../util/digest.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

#define META "io.containerd.metadata.v1.bolt/meta.db"
#define BLOBS "io.containerd.content.v1.content/blobs/sha256"
/* containerd's own limit on manifests and indexes it fetches is 4 MiB */
#define MAX_MANIFEST (4u << 20)
/* an index may point at indexes: how deep they are followed */
#define MAX_INDEX_DEPTH 4
/* images read from one namespace, namespaces from one database */
#define MAX_IMAGES 100000

/* prefix "" or "containerd/daemon", then rel */
static char *under(const char *prefix, const char *rel)
{
	return *prefix ? de_path_join(prefix, rel) : xstrdup(rel);
}

/* The blob of digest "sha256:<hex>" as JSON; *path set to where it is. */
static json_t *read_blob(const ev_root *root, const char *prefix, const char *digest,
                         size_t max, char **path, de_err *e)
{
	if (!digest || strncmp(digest, "sha256:", 7) || !de_is_hex(digest + 7, 64)) {
		de_fail(e, "containerd content: \"%s\" is not a sha256 digest",
		        digest ? digest : "(none)");
		return NULL;
	}
	char *sub = xasprintf(BLOBS "/%s", digest + 7), *rel = under(prefix, sub);
	free(sub);
	size_t len;
	char *buf = ev_read(root, rel, max, &len, e);
	char *full = de_path_join(root->path, rel);
	json_t *j = NULL;
	if (buf) {
		char got[65];
		de_sha256_hex(buf, len, got);
		if (strcmp(got, digest + 7))
			de_warn("%s: content hashes to sha256:%s, not to its name: the blob was altered",
			        full, got);
		j = ev_parse_json(buf, len, full, e);
		free(buf);
	}
	if (j && path)
		*path = xstrdup(full);
	free(full);
	free(rel);
	return j;
}

/* The manifest of an index for linux/amd64, else the first one. */
static const char *pick_manifest(json_t *index)
{
	json_t *ms = jget_arr(index, "manifests"), *m;
	size_t i;
	json_array_foreach(ms, i, m) {
		json_t *p = jget_obj(m, "platform");
		const char *os = jget_str(p, "os"), *arch = jget_str(p, "architecture");
		if (os && arch && !strcmp(os, "linux") && !strcmp(arch, "amd64") && jget_str(m, "digest"))
			return jget_str(m, "digest");
	}
	return jget_str(json_array_get(ms, 0), "digest");
}

json_t *de_containerd_image_config(const ev_root *root, const char *prefix, const char *target,
                                   char **config_path, de_err *e)
{
	char *digest = xstrdup(target);
	json_t *man = NULL;
	for (int depth = 0; !man && digest; depth++) {
		json_t *j = read_blob(root, prefix, digest, MAX_MANIFEST, NULL, e);
		if (!j)
			break;
		free(digest);
		digest = NULL;
		if (jget_obj(j, "config")) {
			man = j;
			break;
		}
		if (!jget_arr(j, "manifests")) {
			de_fail(e, "containerd image %s: neither an index nor a manifest", target);
		} else if (depth >= MAX_INDEX_DEPTH) {
			de_fail(e, "containerd image %s: indexes nested more than %d deep", target,
			        MAX_INDEX_DEPTH);
		} else if (!pick_manifest(j)) {
			de_fail(e, "containerd image %s: an index without a manifest", target);
		} else {
			digest = xstrdup(pick_manifest(j));
		}
		json_decref(j);
	}
	free(digest);
	if (!man)
		return NULL;
	json_t *cfg = read_blob(root, prefix, jget_str(jget_obj(man, "config"), "digest"), EV_MAX_JSON,
	                        config_path, e);
	json_decref(man);
	return cfg;
}

/* ---- layer sizes from the snapshotters -------------------------------------- */

typedef struct sizes {
	const ev_root *root;
	const char *prefix;
	bb_db *meta;
	const char *ns;
} sizes;

typedef struct snap_find {
	const sizes *s;
	const char *chain;
	int64_t size;
} snap_find;

/* One snapshotter bucket of the namespace: the chain's snapshot there. */
static int on_snapshotter(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                          bool bucket)
{
	snap_find *f = arg;
	bb_bucket sb, cb;
	(void)v;
	(void)vl;
	if (!bucket || f->size >= 0)
		return 0;
	char *name = xstrndup((const char *)k, kl), *sname = NULL;
	if (de_safe_name(name) &&
	    bb_path(f->s->meta, &sb, NULL, "v1", f->s->ns, "snapshots", name, f->chain, NULL) == 1 &&
	    (sname = bb_get_str(&sb, "name"))) {
		char *sub = xasprintf("io.containerd.snapshotter.v1.%s/metadata.db", name);
		char *rel = under(f->s->prefix, sub);
		bb_db *sdb;
		const uint8_t *sv;
		size_t sl;
		bool isb;
		if (bb_open(&sdb, f->s->root, rel, NULL) == 0) {
			if (bb_path(sdb, &cb, NULL, "v1", "snapshots", sname, NULL) == 1 &&
			    bb_get(&cb, "size", 4, &sv, &sl, &isb, NULL) == 1 && !isb) {
				int64_t sz = bb_varint(sv, sl);
				f->size = sz >= 0 ? sz : -1;
			}
			bb_close(sdb);
		}
		free(sub);
		free(rel);
	}
	free(sname);
	free(name);
	return 0;
}

/* Bytes of the unpacked layer whose chain ID is chain; -1 unknown. */
static int64_t layer_size(const sizes *s, const char *chain)
{
	bb_bucket sn;
	snap_find f = {s, chain, -1};
	if (bb_path(s->meta, &sn, NULL, "v1", s->ns, "snapshots", NULL) == 1)
		bb_foreach(&sn, on_snapshotter, &f, NULL);
	return f.size;
}

/* Sizes of the config's layers (sz[i] for diff_ids[i]); returns their count
 * and *total (-1 when one is unknown). */
static size_t layer_sizes(const sizes *s, json_t *cfg, int64_t **sz, int64_t *total)
{
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	size_t n = diffs ? json_array_size(diffs) : 0;
	char *chain = NULL;
	*sz = xcalloc(n ? n : 1, sizeof **sz);
	*total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		char *next = diff ? de_chain_id(chain, diff) : NULL;
		free(chain);
		chain = next;
		(*sz)[i] = chain && s->meta ? layer_size(s, chain) : -1;
		*total = (*sz)[i] < 0 || *total < 0 ? -1 : *total + (*sz)[i];
	}
	free(chain);
	return n;
}

/* ---- history ----------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int64_t ctd_layer_size(void *arg, size_t k, const char *diff_id)
{
	(void)diff_id;
	return ((const int64_t *)arg)[k];
}

static void fill_history(const sizes *s, json_t *cfg, const char *path, de_history_entry *h)
{
	int64_t *sz, total;
	layer_sizes(s, cfg, &sz, &total);
	h->created = dup_or_null(jget_str(cfg, "created"));
	h->comment = dup_or_null(jget_str(cfg, "comment"));
	h->size = total;
	de_history_steps(h, cfg, path, ctd_layer_size, sz);
	h->container_cmd = jget_join_strings(jget_arr(jget_obj(cfg, "container_config"), "Cmd"));
	/* BuildKit writes no container_config: the newest step made the image */
	if (!h->container_cmd && h->nsteps && h->steps[0].created_by)
		h->container_cmd = xstrdup(h->steps[0].created_by);
	free(sz);
}

int de_containerd_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	/* Docker's containers: Docker's containerd, namespace moby, the image by
	 * its target digest; containerd's: the image by name in its namespace */
	const char *prefix = c->snapshot_root ? c->snapshot_root : "";
	const char *ns = c->namespace ? c->namespace : "moby";
	char *meta_rel = under(prefix, META), *target = NULL, *cpath = NULL;
	bb_db *meta = NULL;
	int rc = -1;
	if (bb_open(&meta, &d->root, meta_rel, e) < 0)
		goto out;
	if (c->snapshot_root) {
		target = dup_or_null(c->image_id);
	} else {
		bb_bucket tb;
		if (!c->image_name || bb_path(meta, &tb, NULL, "v1", ns, "images", c->image_name,
		                              "target", NULL) != 1 || !(target = bb_get_str(&tb, "digest"))) {
			de_fail(e, "container %s/%s: its image \"%s\" is not in %s/%s", ns, c->id,
			        c->image_name ? c->image_name : "", d->root.path, meta_rel);
			goto out;
		}
	}
	if (!target) {
		de_fail(e, "container %s: no image recorded", c->id);
		goto out;
	}
	/* Docker 25+ records the platform's manifest it used ("ImageManifest"):
	 * that one, whatever platform the imaged host was */
	const char *man = c->snapshot_root ? jget_str(jget_obj(c->config, "ImageManifest"), "digest")
	                                   : NULL;
	json_t *cfg = de_containerd_image_config(&d->root, prefix, man ? man : target, &cpath, e);
	if (!cfg)
		goto out;
	sizes s = {&d->root, prefix, meta, ns};
	out->v = xcalloc(1, sizeof *out->v);
	out->n = 1;
	out->v[0].id = target;
	target = NULL;
	fill_history(&s, cfg, cpath, &out->v[0]);
	json_decref(cfg);
	rc = 0;
out:
	if (meta)
		bb_close(meta);
	free(meta_rel);
	free(target);
	free(cpath);
	return rc;
}

/* ---- images --------------------------------------------------------------------------- */

static bool has(const strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

typedef struct img_ctx {
	sizes s;
	const de_container_list *cl;
	de_image_list *out;
	size_t first;    /* of this namespace in out */
	size_t count;
} img_ctx;

static void add_name(de_image *im, const char *name)
{
	/* Docker 29 names an image it untagged "moby-dangling@<digest>" */
	if (!strncmp(name, "moby-dangling@", 14))
		return;
	sv_push(strchr(name, '@') ? &im->digests : &im->tags, name);
}

static int on_image(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                    bool bucket)
{
	img_ctx *x = arg;
	bb_bucket ib, tb;
	(void)v;
	(void)vl;
	if (!bucket || ++x->count > MAX_IMAGES)
		return 0;
	char *name = xstrndup((const char *)k, kl), *target = NULL;
	if (bb_bucket_of(x->s.meta, v, vl, &ib, NULL) < 0 || bb_sub(&ib, "target", &tb, NULL) != 1 ||
	    !(target = bb_get_str(&tb, "digest"))) {
		de_warn("containerd image %s/%s: no target in %s/%s", x->s.ns, name, x->s.root->path,
		        META);
		free(name);
		return 0;
	}
	for (size_t i = x->first; i < x->out->n; i++)
		if (!strcmp(x->out->v[i].id, target)) {   /* another name of the same image */
			add_name(&x->out->v[i], name);
			free(name);
			free(target);
			return 0;
		}
	x->out->v = xrealloc(x->out->v, (x->out->n + 1) * sizeof *x->out->v);
	de_image *im = &x->out->v[x->out->n++];
	memset(im, 0, sizeof *im);
	im->id = target;
	im->driver = xstrdup("containerd");
	im->namespace = xstrdup(x->s.ns);
	im->size = -1;
	add_name(im, name);
	de_err e;
	json_t *cfg = de_containerd_image_config(x->s.root, x->s.prefix, target, &im->config_path, &e);
	if (!cfg) {
		de_warn("containerd image %s/%s: %s", x->s.ns, name, e.msg);
	} else {
		int64_t *sz;
		im->created = dup_or_null(jget_str(cfg, "created"));
		im->committed_from = dup_or_null(de_image_committed_from(cfg));
		im->layers = layer_sizes(&x->s, cfg, &sz, &im->size);
		free(sz);
		json_decref(cfg);
	}
	free(name);
	return 0;
}

typedef struct ns_ctx {
	img_ctx base;
	const char *only;
	bool skip_moby;
} ns_ctx;

static int on_ns(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool bucket)
{
	ns_ctx *x = arg;
	bb_bucket nb, ib;
	char *ns = xstrndup((const char *)k, kl);
	if (bucket && !(x->only && strcmp(ns, x->only)) && !(x->skip_moby && !strcmp(ns, "moby")) &&
	    bb_bucket_of(x->base.s.meta, v, vl, &nb, NULL) == 0 &&
	    bb_sub(&nb, "images", &ib, NULL) == 1) {
		img_ctx ic = x->base;
		de_err e;
		ic.s.ns = ns;
		ic.first = ic.out->n;
		if (bb_foreach(&ib, on_image, &ic, &e) < 0)
			de_warn("containerd namespace %s: %s", ns, e.msg);
		if (ic.count > MAX_IMAGES)
			de_warn("containerd namespace %s: more than %d images; the rest left out", ns,
			        MAX_IMAGES);
		for (size_t i = ic.first; i < ic.out->n; i++) {
			de_image *im = &ic.out->v[i];
			im->dangling = !im->tags.n && !im->digests.n;
			for (size_t c = 0; x->base.cl && c < x->base.cl->n; c++) {
				const de_container *ct = x->base.cl->v[c];
				bool uses = ct->namespace
				          ? !strcmp(ct->namespace, ns) && ct->image_name &&
				            (has(&im->tags, ct->image_name) ||
				             has(&im->digests, ct->image_name))
				          : ct->image_id && !strcmp(ct->image_id, im->id);
				if (uses)
					sv_push(&im->containers, ct->name ? ct->name : ct->id);
			}
			de_image_name_committer(im, x->base.cl);
		}
	}
	free(ns);
	return 0;
}

int de_containerd_images_at(const ev_root *root, const char *prefix, const char *only_ns,
                            bool skip_moby, const de_container_list *cl, de_image_list *out,
                            de_err *e)
{
	char *rel = under(prefix, META);
	bb_db *meta;
	int rc = bb_open(&meta, root, rel, e);
	free(rel);
	if (rc < 0)
		return -1;
	bb_bucket v1;
	rc = bb_path(meta, &v1, e, "v1", NULL);
	if (rc == 1) {
		ns_ctx x = {{{root, prefix, meta, NULL}, cl, out, 0, 0}, only_ns, skip_moby};
		if (bb_foreach(&v1, on_ns, &x, e) < 0)
			de_warn("%s", e->msg);
	}
	bb_close(meta);
	return rc < 0 ? -1 : 0;
}

int de_containerd_images(de_docker *d, bool skip_moby, const de_container_list *cl,
                         de_image_list *out, de_err *e)
{
	return de_containerd_images_at(&d->root, "", NULL, skip_moby, cl, out, e);
}
