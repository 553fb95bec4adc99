/*
 * storage_images.c — the images of a containers/storage root (Podman,
 * CRI-O, Buildah), read from its files:
 *
 *   overlay-images/images.json   [{id, names, digest, digests, layer, created,
 *                                  big-data-names, big-data-sizes, …}]
 *   overlay-images/<id>/<file>   "big data": one file per key. The file name
 *                                is the key when it holds only [0-9a-z.],
 *                                else "=" + base64(key) (containers/storage's
 *                                makeBigDataBaseName). The image config is
 *                                key "sha256:<id>" (the id is the config's
 *                                digest), the manifest "manifest".
 *   overlay-layers/layers.json   [{id, parent, diff-digest, diff-size, …}]
 * Podman's image size (`podman images`) is the sum of the diff-size of the
 * layers of the image's chain plus the sizes of its big data items; this is
 * what it printed for the fixture (oracle/podman-images.json).
 *
 * containers/storage records no parent image: Podman 4.3 (libimage's layer
 * tree, containers/common) works it out, and so does this. Image P is the
 * parent of image C when C's top layer is P's top layer or sits on it
 * (layers.json "parent"), P's rootfs.diff_ids are the first of C's, and C's
 * history[] is P's plus one entry (each entry's created, created_by,
 * author, comment and empty_layer equal). An image without names that is
 * some image's parent is an intermediate (a build step's image): `podman
 * images` hides it, `podman images -a` shows it; one without names that is
 * nobody's parent is dangling.
 */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#include "../util/digest.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/timefmt.h"

#define IMAGES "overlay-images/images.json"
#define LAYERS "overlay-layers/layers.json"
#define MAX_IMAGES 100000   /* entries read from images.json */
#define MAX_CHAIN 4096      /* layers followed from an image's top layer */
#define MAX_PAIRS (1L << 24) /* parent/child comparisons made for one store */

static bool sv_contains(const strvec *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return true;
	return false;
}

/* containers/storage's file name for a big data key (see above). */
static char *bigdata_name(const char *key)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	bool plain = *key != '\0';
	for (const char *p = key; *p && plain; p++)
		plain = *p == '.' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z');
	if (plain)
		return xstrdup(key);
	size_t n = strlen(key);
	char *out = xmalloc(2 + (n + 2) / 3 * 4), *o = out;
	*o++ = '=';
	const unsigned char *s = (const unsigned char *)key;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
		             (i + 2 < n ? s[i + 2] : 0);
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* An array file of the store; NULL (with a warning naming it) when unreadable. */
static json_t *read_array(de_docker *d, const char *rel)
{
	if (!ev_is_file(&d->root, rel))
		return NULL;
	de_err e;
	json_t *j = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
	if (!j) {
		de_warn("%s", e.msg);
		return NULL;
	}
	if (!json_is_array(j) || json_array_size(j) > MAX_IMAGES) {
		de_warn("%s/%s: not an array of at most %d records; skipped", d->root.path, rel,
		        MAX_IMAGES);
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *find_by_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *x = jget_str(v, "id");
		if (x && !strcmp(x, id))
			return v;
	}
	return NULL;
}

/* layers.json by id (sorted, for bsearch), each layer's chain size worked
 * out once: a store of n images over m layers costs O((n + m) log m). */
typedef struct lnode {
	const char *id;
	json_t *rec;
	int64_t size;        /* of the chain from it down; -1 unknown */
	size_t count;        /* layers in that chain */
	int state;           /* 0 not yet, 1 being walked, 2 done */
} lnode;

typedef struct lindex {
	lnode *v;
	size_t n;
} lindex;

static int cmp_lnode(const void *a, const void *b)
{
	return strcmp(((const lnode *)a)->id, ((const lnode *)b)->id);
}

static void lindex_build(json_t *layers, lindex *x)
{
	x->v = xcalloc(json_array_size(layers) + 1, sizeof *x->v);
	x->n = 0;
	size_t i;
	json_t *l;
	json_array_foreach(layers, i, l) {
		const char *id = jget_str(l, "id");
		if (id)
			x->v[x->n++] = (lnode){.id = id, .rec = l};
	}
	qsort(x->v, x->n, sizeof *x->v, cmp_lnode);
}

static lnode *lindex_find(const lindex *x, const char *id)
{
	lnode key = {.id = id};
	return id && x->n ? bsearch(&key, x->v, x->n, sizeof *x->v, cmp_lnode) : NULL;
}

/* The parent of layer id in layers.json, or NULL. */
static const char *layer_parent(const lindex *x, const char *id)
{
	lnode *l = lindex_find(x, id);
	const char *p = l ? jget_str(l->rec, "parent") : NULL;
	return p && *p ? p : NULL;
}

/* The layers of a chain, top first: sum of diff-size (-1 when one is
 * missing) and their count. A loop, a missing parent or a chain longer
 * than MAX_CHAIN stops the walk, said once for the layer where it stops. */
static int64_t chain_size(de_docker *d, lindex *x, const char *top, size_t *count)
{
	lnode *path[MAX_CHAIN + 1];
	size_t n = 0;
	const char *cur = top;
	lnode *l = NULL;
	int64_t below = 0;
	size_t below_count = 0;
	/* up to a layer already worked out, the bottom, or a break */
	while (cur && *cur) {
		l = lindex_find(x, cur);
		if (l && l->state == 2) {
			below = l->size;
			below_count = l->count;
			break;
		}
		if (!l || l->state == 1 || n >= MAX_CHAIN) {
			de_warn("%s/%s: layer %s %s", d->root.path, LAYERS, cur,
			        !l ? "is not recorded" : l->state == 1 ? "is its own ancestor (a loop)"
			                                : "is past the longest chain followed");
			below = -1;
			break;
		}
		l->state = 1;
		path[n++] = l;
		cur = jget_str(l->rec, "parent");
	}
	/* back down, each layer's chain from the one below it */
	while (n--) {
		json_t *ds = json_object_get(path[n]->rec, "diff-size");
		below = below < 0 || !json_is_integer(ds) ? -1 : below + json_integer_value(ds);
		below_count++;
		path[n]->size = below;
		path[n]->count = below_count;
		path[n]->state = 2;
	}
	*count = below_count;
	return below;
}

/* "repo:tag" names are tags; each repository of a name with each of the
 * image's digests is a "repo@sha256:…", as `podman images` shows them. */
static void names_and_digests(json_t *ent, de_image *im)
{
	strvec digs = {0};
	const char *dg = jget_str(ent, "digest");
	if (dg)
		sv_push(&digs, dg);
	size_t i, k;
	json_t *v;
	json_array_foreach(jget_arr(ent, "digests"), i, v) {
		if (json_is_string(v) && !sv_contains(&digs, json_string_value(v)))
			sv_push(&digs, json_string_value(v));
	}
	json_array_foreach(jget_arr(ent, "names"), i, v) {
		const char *n = json_string_value(v);
		if (!n)
			continue;
		const char *at = strchr(n, '@');
		if (at) {
			if (!sv_contains(&im->digests, n))
				sv_push(&im->digests, n);
			continue;
		}
		sv_push(&im->tags, n);
		const char *slash = strrchr(n, '/'), *colon = strrchr(n, ':');
		size_t rl = colon && (!slash || colon > slash) ? (size_t)(colon - n) : strlen(n);
		for (k = 0; k < digs.n; k++) {
			char *r = xasprintf("%.*s@%s", (int)rl, n, digs.v[k]);
			if (!sv_contains(&im->digests, r))
				sv_push(&im->digests, r);
			free(r);
		}
	}
	sv_free(&digs);
}

static void read_image(de_docker *d, json_t *ent, lindex *layers, const char *hex, de_image *im)
{
	im->id = xasprintf("sha256:%s", hex);
	im->driver = xstrdup("overlay");
	const char *created = jget_str(ent, "created");
	im->created = created ? xstrdup(created) : NULL;
	char *key = xasprintf("sha256:%s", hex), *base = bigdata_name(key);
	im->config_path = xasprintf("%s/overlay-images/%s/%s", d->root.path, hex, base);
	free(key);
	free(base);
	names_and_digests(ent, im);
	const char *top = jget_str(ent, "layer");
	im->size = top ? chain_size(d, layers, top, &im->layers) : 0;
	const char *k;
	json_t *v;
	json_object_foreach(jget_obj(ent, "big-data-sizes"), k, v) {
		im->size = im->size < 0 || !json_is_integer(v) ? -1 : im->size + json_integer_value(v);
	}
	if (im->size < 0)
		de_warn("image %s: a layer's or a big data item's size is not recorded in %s",
		        im->id, d->root.path);
}

/* The hex id of an images.json entry, or NULL (a warning) when unusable. */
static const char *entry_hex(de_docker *d, json_t *ent, size_t i)
{
	const char *id = jget_str(ent, "id");
	if (!id || !de_is_hex(id, 64)) {
		de_warn("%s/%s: entry %zu has no usable id; skipped", d->root.path, IMAGES, i);
		return NULL;
	}
	return id;
}

static bool same_image(const char *container_image, const char *hex)
{
	if (!container_image)
		return false;
	if (!strncmp(container_image, "sha256:", 7))
		container_image += 7;
	return !strcmp(container_image, hex);
}

/* ---- the parent relation (libimage's layer tree) -------------------------- */

/* What the relation needs of one image. */
typedef struct simg {
	const char *hex;           /* its id (in images.json) */
	const char *top, *below;   /* its top layer and that layer's parent; NULL: none */
	bool named, has_cfg;
	size_t nhist, ndiff;
	char hist_all[65];         /* hash of its history[] */
	char hist_prev[65];        /* of its history[] without the last entry */
	char **chains;             /* chains[k]: ChainID of diff_ids[0..k] */
	long parent;               /* index of its parent image, -1 none */
	bool has_child;
} simg;

/* One history[] entry as libimage compares them (historiesMatch): created
 * as an instant (time.Time Equal), created_by, author, comment, and
 * empty_layer; a missing string is "" and a missing created is nil. */
static void history_entry(dbuf *b, json_t *h)
{
	const char *c = jget_str(h, "created");
	de_time t;
	if (!c)
		db_adds(b, "-");
	else if (de_time_parse(c, &t) == 0)
		db_addf(b, "t%lld.%09d", (long long)t.epoch, (int)t.nsec);
	else
		db_addf(b, "r%zu:%s", strlen(c), c);
	static const char *const keys[] = {"created_by", "author", "comment"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = jget_str(h, keys[i]);
		db_addf(b, "|%zu:%s", v ? strlen(v) : 0, v ? v : "");
	}
	db_adds(b, jget_bool(h, "empty_layer", false) ? "|1" : "|0");
}

/* Hashes of history[] and of history[] but its last entry, chained entry
 * by entry: equal hashes are equal histories. */
static void history_hashes(json_t *hist, simg *g)
{
	char prev[65] = "";
	size_t n = json_array_size(hist);
	for (size_t i = 0; i < n; i++) {
		dbuf b = {0};
		db_adds(&b, prev);
		history_entry(&b, json_array_get(hist, i));
		if (i + 1 == n)
			memcpy(g->hist_prev, prev, sizeof prev);
		de_sha256_hex(b.p, b.len, prev);
		db_free(&b);
	}
	memcpy(g->hist_all, prev, sizeof prev);
	if (!n)
		g->hist_prev[0] = '\0';
	g->nhist = n;
}

/* The config's parts the relation compares; false when it has none usable
 * (libimage's toOCI failing: the image is nobody's parent or child). */
static bool config_keys(json_t *cfg, simg *g)
{
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids"), *hist = jget_arr(cfg, "history");
	size_t nd = json_array_size(diffs);
	if (!json_is_object(cfg) || nd > MAX_CHAIN)
		return false;
	g->chains = xcalloc(nd + 1, sizeof *g->chains);
	for (size_t k = 0; k < nd; k++) {
		const char *diff = json_string_value(json_array_get(diffs, k));
		if (!diff)
			return false;
		g->chains[k] = de_chain_id(k ? g->chains[k - 1] : NULL, diff);
		g->ndiff = k + 1;
	}
	history_hashes(hist, g);
	return true;
}

/* libimage's areParentAndChild. */
static bool parent_and_child(const simg *p, const simg *c)
{
	if (!p->has_cfg || !c->has_cfg || p == c || c->nhist != p->nhist + 1 ||
	    strcmp(c->hist_prev, p->hist_all) || p->ndiff > c->ndiff)
		return false;
	return !p->ndiff || !strcmp(p->chains[p->ndiff - 1], c->chains[p->ndiff - 1]);
}

static const char *sort_key(const simg *g)
{
	return g->top ? g->top : "";
}

static simg *sorted_base;   /* qsort's comparison has no argument */

static int cmp_top(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	int r = strcmp(sort_key(&sorted_base[x]), sort_key(&sorted_base[y]));
	return r ? r : (x > y) - (x < y);
}

/* The first of by[0..n) whose image has top layer top ("" for none). */
static size_t first_with_top(const simg *g, const long *by, size_t n, const char *top)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(sort_key(&g[by[mid]]), top) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Relates child c with each image whose top layer is top: the images with
 * the same top layer (an empty step: ENV, LABEL…) or with the layer c's
 * sits on. Returns false when the comparison budget ran out. */
static bool relate(simg *g, const long *by, size_t n, long c, const char *top, long *budget)
{
	for (size_t i = first_with_top(g, by, n, top); i < n && !strcmp(sort_key(&g[by[i]]), top); i++) {
		if (--*budget < 0)
			return false;
		simg *p = &g[by[i]];
		if (!parent_and_child(p, &g[c]))
			continue;
		p->has_child = true;
		if (g[c].parent < 0)
			g[c].parent = by[i];
	}
	return true;
}

/* Each image's parent and whether it has children, as libimage's layer
 * tree finds them. A store too tangled to compare within the budget is
 * said; its images are then taken as nobody's parent (listed, not hidden). */
static void relate_all(de_docker *d, simg *g, size_t n)
{
	long *by = xcalloc(n + 1, sizeof *by);
	for (size_t i = 0; i < n; i++)
		by[i] = (long)i;
	sorted_base = g;
	qsort(by, n, sizeof *by, cmp_top);
	long budget = MAX_PAIRS;
	for (size_t c = 0; c < n; c++) {
		bool ok = relate(g, by, n, (long)c, sort_key(&g[c]), &budget) &&
		          (!g[c].below || relate(g, by, n, (long)c, g[c].below, &budget));
		if (!ok) {
			de_warn("%s/%s: more than %ld image pairs to compare; which images are build "
			        "intermediates (and their parents) is not known past image %s",
			        d->root.path, IMAGES, MAX_PAIRS, g[c].hex);
			break;
		}
	}
	free(by);
}

static bool has_name(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	return false;
}

/* The image's config, when its big data holds one (a manifest list has
 * none); read for the parent relation. */
static void read_relation(de_docker *d, json_t *ent, const lindex *layers, const char *hex, simg *g)
{
	g->hex = hex;
	g->parent = -1;
	g->named = json_array_size(jget_arr(ent, "names")) > 0;
	const char *top = jget_str(ent, "layer");
	g->top = top && *top ? top : NULL;
	g->below = g->top ? layer_parent(layers, g->top) : NULL;
	char *key = xasprintf("sha256:%s", hex);
	if (has_name(jget_arr(ent, "big-data-names"), key)) {
		char *base = bigdata_name(key), *rel = xasprintf("overlay-images/%s/%s", hex, base);
		de_err e;
		json_t *cfg = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
		if (!cfg)
			de_warn("%s (image %s: whether it is a build intermediate is not known)", e.msg, hex);
		g->has_cfg = cfg && config_keys(cfg, g);
		json_decref(cfg);
		free(base);
		free(rel);
	}
	free(key);
}

/* The engine of this store, by discover.h's rule: Podman when libpod's
 * state (or its libpod/ directory) is there, CRI-O when its containers are
 * (containers/storage is shared by both on one host, as on OpenShift
 * nodes: "podman,cri-o"); else only the store is known. */
char *de_storage_runtime(de_docker *d, const de_container_list *cl)
{
	bool podman = ev_is_file(&d->root, "libpod/bolt_state.db") || ev_is_dir(&d->root, "libpod") ||
	              ev_is_file(&d->root, "libpod/db.sql") || ev_is_file(&d->root, "db.sql");
	bool crio = false;
	for (size_t i = 0; cl && i < cl->n && !crio; i++)
		crio = cl->v[i]->runtime && !strcmp(cl->v[i]->runtime, "cri-o");
	return xstrdup(podman && crio ? "podman,cri-o" : podman ? "podman" : crio ? "cri-o"
	                                                                  : "containers-storage");
}

int de_storage_images(de_docker *d, const de_container_list *cl, de_image_list *out, de_err *e)
{
	(void)e;
	memset(out, 0, sizeof *out);
	json_t *imgs = read_array(d, IMAGES), *layers = read_array(d, LAYERS);
	simg *g = xcalloc(json_array_size(imgs) + 1, sizeof *g);
	lindex lx;
	lindex_build(layers, &lx);
	char *runtime = de_storage_runtime(d, cl);
	size_t i;
	json_t *ent;
	json_array_foreach(imgs, i, ent) {
		const char *hex = entry_hex(d, ent, i);
		if (!hex)
			continue;
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		de_image *im = &out->v[out->n];
		memset(im, 0, sizeof *im);
		read_image(d, ent, &lx, hex, im);
		im->runtime = xstrdup(runtime);
		read_relation(d, ent, &lx, hex, &g[out->n]);
		out->n++;
		for (size_t c = 0; cl && c < cl->n; c++)
			if (same_image(cl->v[c]->image_id, hex))
				sv_push(&im->containers, cl->v[c]->name ? cl->v[c]->name : cl->v[c]->id);
	}
	relate_all(d, g, out->n);
	for (size_t k = 0; k < out->n; k++) {
		de_image *im = &out->v[k];
		im->intermediate = !g[k].named && g[k].has_child;
		im->dangling = !g[k].named && !g[k].has_child;
		if (g[k].parent >= 0)
			im->parent = xasprintf("sha256:%s", g[g[k].parent].hex);
	}
	for (size_t k = 0; k < out->n; k++) {
		for (size_t c = 0; c < g[k].ndiff; c++)
			free(g[k].chains[c]);
		free(g[k].chains);
	}
	free(g);
	free(lx.v);
	free(runtime);
	json_decref(imgs);
	json_decref(layers);
	return 0;
}

/* The size of the layer whose diff-digest is diff; -1 unknown. */
static int64_t layer_size(json_t *layers, const char *diff)
{
	size_t i;
	json_t *l;
	json_array_foreach(layers, i, l) {
		const char *dd = jget_str(l, "diff-digest");
		json_t *ds = json_object_get(l, "diff-size");
		if (dd && !strcmp(dd, diff) && json_is_integer(ds))
			return json_integer_value(ds);
	}
	return -1;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int64_t storage_layer_size(void *arg, size_t k, const char *diff_id)
{
	(void)k;
	return layer_size(arg, diff_id);
}

/* history[] of the config (model/evidence.h), each layer's size its
 * diff-size in layers.json; the image's size their sum. */
static void build_steps(json_t *cfg, json_t *layers, de_history_entry *h, const char *path)
{
	de_history_steps(h, cfg, path, storage_layer_size, layers);
	h->size = 0;
	for (size_t i = 0; i < h->nsteps; i++) {
		int64_t z = h->steps[i].size;
		h->size = h->size < 0 || z < 0 ? -1 : h->size + z;
	}
}

int de_storage_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	const char *want = c->image_id;
	if (want && !strncmp(want, "sha256:", 7))
		want += 7;
	if (!want || !de_is_hex(want, 64))
		return de_fail(e, "container %s: no usable image id recorded", c->id);
	if (de_storage_image_history(d, want, out, e) < 0)
		return de_fail_wrap(e, "container %s", c->id);
	return 0;
}

int de_storage_image_history(de_docker *d, const char *want, de_history *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	if (!strncmp(want, "sha256:", 7))
		want += 7;
	if (!de_is_hex(want, 64))
		return de_fail(e, "image \"%s\" is not a storage image id", want);
	json_t *imgs = read_array(d, IMAGES);
	json_t *ent = imgs ? find_by_id(imgs, want) : NULL;
	if (!ent) {
		json_decref(imgs);
		return de_fail(e, "image %s is not in %s/%s", want, d->root.path, IMAGES);
	}
	char *key = xasprintf("sha256:%s", want), *base = bigdata_name(key);
	char *rel = xasprintf("overlay-images/%s/%s", want, base);
	free(key);
	free(base);
	json_t *cfg = ev_read_json(&d->root, rel, EV_MAX_JSON, e);
	json_decref(imgs);
	if (!cfg) {
		free(rel);
		return -1;
	}
	json_t *layers = read_array(d, LAYERS);
	out->v = xcalloc(1, sizeof *out->v);
	out->n = 1;
	de_history_entry *h = &out->v[0];
	h->id = xasprintf("sha256:%s", want);
	h->created = dup_or_null(jget_str(cfg, "created"));
	h->comment = dup_or_null(jget_str(cfg, "comment"));
	char *path = de_path_join(d->root.path, rel);
	build_steps(cfg, layers, h, path);
	/* The command that made the image is its newest history step. */
	if (h->nsteps && h->steps[0].created_by)
		h->container_cmd = xstrdup(h->steps[0].created_by);
	free(path);
	free(rel);
	json_decref(layers);
	json_decref(cfg);
	return 0;
}

char *de_storage_image_digest(de_docker *d, const char *image_id)
{
	if (!strncmp(image_id, "sha256:", 7))
		image_id += 7;
	json_t *imgs = read_array(d, IMAGES);
	const char *dg = jget_str(find_by_id(imgs, image_id), "digest");
	char *out = dg ? xstrdup(dg) : NULL;
	json_decref(imgs);
	return out;
}
