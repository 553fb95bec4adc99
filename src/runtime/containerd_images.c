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
#include "docker_ctd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static bool has(const strvec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

/* ---- an image found by its layers ---------------------------------------------
 * A container whose record names no image (a Docker 29 config.v2.json with
 * an empty "Image"; a containerd container record of Docker's, which names
 * none) still has its snapshot: its parents in meta.db lead to the image's
 * top layer, a committed snapshot the unpacker keyed by its chain ID (for
 * Docker, through "<id>-init"). The images of the namespace whose platform
 * manifest's config ends in that chain are the candidates: images with the
 * same layers and another config share it (an ENV-only build over its base),
 * so the name and manifest the container recorded narrow them, and more
 * than one left is an error naming them all. */

/* blobs read while searching a namespace's images */
#define MAX_SEARCH_BLOBS 20000
/* snapshots walked from a container's down to its image's top layer */
#define DE_MAX_CHAIN_SNAPSHOTS 4096

typedef struct cand {
	char *target, *manifest;
	strvec names;
} cand;

typedef struct search {
	const ev_root *root;
	const char *prefix;
	bb_db *meta;
	const char *chain;   /* the top layer's chain ID */
	cand *v;
	size_t n, budget;
	bool cut;            /* the bound on blobs read was reached */
	strvec unread;       /* images that could not be read: candidates perhaps */
} search;

/* The chain ID of a config's last layer; NULL when it has none. */
static char *top_chain(json_t *cfg)
{
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	char *chain = NULL;
	for (size_t i = 0; diffs && i < json_array_size(diffs); i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		char *next = diff ? de_chain_id(chain, diff) : NULL;
		free(chain);
		if (!(chain = next))
			break;
	}
	return chain;
}

static void add_cand(search *s, const char *target, const char *manifest, const char *name)
{
	size_t i = 0;
	while (i < s->n && (strcmp(s->v[i].target, target) || strcmp(s->v[i].manifest, manifest)))
		i++;
	if (i == s->n) {
		s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
		s->v[s->n++] = (cand){xstrdup(target), xstrdup(manifest), {0}};
	}
	if (!has(&s->v[i].names, name))
		sv_push(&s->v[i].names, name);
}

/* Every manifest reachable from digest (through indexes), kept when its
 * config's top layer is the chain searched. false: something could not be
 * read, or the search's bound was reached. An index's manifest that is not
 * in the content store is a platform never pulled: it has no layers here. */
static bool walk(search *s, const char *digest, int depth, const char *target, const char *name)
{
	if (!s->budget) {
		s->cut = true;
		return false;
	}
	s->budget--;
	if (depth > 0 && digest && !strncmp(digest, "sha256:", 7) && de_is_hex(digest + 7, 64)) {
		char *sub = xasprintf(BLOBS "/%s", digest + 7), *rel = under(s->prefix, sub);
		struct stat st;
		bool absent = ev_lstat(s->root, rel, &st, NULL) < 0 && errno == ENOENT;
		free(sub);
		free(rel);
		if (absent)
			return true;
	}
	de_err e;
	json_t *j = read_blob(s->root, s->prefix, digest, MAX_MANIFEST, NULL, &e);
	bool ok = j != NULL;
	if (j && jget_obj(j, "config")) {
		json_t *cfg = read_blob(s->root, s->prefix, jget_str(jget_obj(j, "config"), "digest"),
		                        EV_MAX_JSON, NULL, &e);
		char *top = cfg ? top_chain(cfg) : NULL;
		if (top && !strcmp(top, s->chain))
			add_cand(s, target, digest, name);
		ok = cfg != NULL;
		free(top);
		json_decref(cfg);
	} else if (j && jget_arr(j, "manifests") && depth < MAX_INDEX_DEPTH) {
		json_t *m;
		size_t i;
		json_array_foreach(jget_arr(j, "manifests"), i, m) {
			const char *md = jget_str(m, "digest");
			if (!md || !walk(s, md, depth + 1, target, name))
				ok = false;
		}
	} else if (j) {
		ok = false;
	}
	json_decref(j);
	return ok;
}

static int on_search_image(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                           bool bucket)
{
	search *s = arg;
	bb_bucket ib, tb;
	if (!bucket)
		return 0;
	char *name = xstrndup((const char *)k, kl), *target = NULL;
	if (bb_bucket_of(s->meta, v, vl, &ib, NULL) < 0 || bb_sub(&ib, "target", &tb, NULL) != 1 ||
	    !(target = bb_get_str(&tb, "digest")) || !walk(s, target, 0, target, name))
		sv_push(&s->unread, name);
	free(target);
	free(name);
	return 0;
}

/* The meta.db key of the image's top layer below the snapshot key: the
 * first parent keyed "sha256:<hex>". NULL (e set) when there is none. */
static char *image_chain(bb_db *meta, const char *ns, const char *snapshotter, const char *key,
                         de_err *e)
{
	char *cur = xstrdup(key);
	for (int depth = 0; cur; depth++) {
		bb_bucket sb;
		char *parent = NULL;
		if (depth >= DE_MAX_CHAIN_SNAPSHOTS ||
		    bb_path(meta, &sb, NULL, "v1", ns, "snapshots", snapshotter, cur, NULL) != 1 ||
		    !(parent = bb_get_str(&sb, "parent"))) {
			de_fail(e, "no image layer below snapshot \"%s\" (%s snapshots of namespace %s)",
			        key, snapshotter, ns);
			free(parent);
			break;
		}
		free(cur);
		cur = parent;
		if (!strncmp(cur, "sha256:", 7) && de_is_hex(cur + 7, 64))
			return cur;
	}
	free(cur);
	return NULL;
}

/* "busybox:1" as Docker resolves it: "docker.io/library/busybox:1". */
static char *normalized_ref(const char *ref)
{
	const char *slash = strchr(ref, '/');
	size_t first = slash ? (size_t)(slash - ref) : 0;
	bool domain = slash && (memchr(ref, '.', first) || memchr(ref, ':', first) ||
	                        (first == 9 && !strncmp(ref, "localhost", 9)));
	char *full = domain ? xstrdup(ref)
	           : xasprintf("docker.io/%s%s", slash ? "" : "library/", ref);
	const char *last = strrchr(full, '/');
	if (!strchr(last, ':') && !strchr(last, '@')) {
		char *t = xasprintf("%s:latest", full);
		free(full);
		full = t;
	}
	return full;
}

static void cands_free(search *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].target);
		free(s->v[i].manifest);
		sv_free(&s->v[i].names);
	}
	free(s->v);
	sv_free(&s->unread);
}

/* Keeps the candidates that pass keep(), when at least one does. */
static void narrow(search *s, bool (*keep)(const cand *, const char *), const char *hint)
{
	size_t kept = 0;
	for (size_t i = 0; hint && i < s->n; i++)
		kept += keep(&s->v[i], hint);
	if (!kept || kept == s->n)
		return;
	size_t w = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (keep(&s->v[i], hint)) {
			s->v[w++] = s->v[i];
		} else {
			free(s->v[i].target);
			free(s->v[i].manifest);
			sv_free(&s->v[i].names);
		}
	}
	s->n = w;
}

static bool by_manifest(const cand *c, const char *digest)
{
	return !strcmp(c->manifest, digest);
}

static bool by_name(const cand *c, const char *name)
{
	return has(&c->names, name);
}

/* The image (target, and the manifest whose config has those layers) of
 * container who, whose record names none, from its snapshot key;
 * hint_name and hint_manifest are what else it recorded (NULL: nothing). */
static int find_by_layers(const ev_root *root, const char *prefix, bb_db *meta, const char *ns,
                          const char *who, const char *snapshotter, const char *key,
                          const char *hint_name, const char *hint_manifest, char **target,
                          char **manifest, de_err *e)
{
	bb_bucket ib;
	char *chain = image_chain(meta, ns, snapshotter, key, e);
	if (!chain)
		return -1;
	search s = {root, prefix, meta, chain, NULL, 0, MAX_SEARCH_BLOBS, false, {0}};
	if (bb_path(meta, &ib, NULL, "v1", ns, "images", NULL) == 1)
		bb_foreach(&ib, on_search_image, &s, NULL);
	narrow(&s, by_manifest, hint_manifest);
	char *norm = hint_name && *hint_name ? normalized_ref(hint_name) : NULL;
	narrow(&s, by_name, norm);
	free(norm);
	int rc = -1;
	if (s.unread.n) {
		char *names = sv_join(&s.unread, ", ");
		de_warn("namespace %s: %s%s could not be read%s: %s too may have the layers %s", ns,
		        s.unread.n == 1 ? "image " : "images ", names,
		        s.cut ? " (or were past the search's bound)" : "",
		        s.unread.n == 1 ? "it" : "they", chain);
		free(names);
	}
	if (s.n == 1) {
		*target = xstrdup(s.v[0].target);
		*manifest = xstrdup(s.v[0].manifest);
		de_note("container %s: its record names no image; found by its layers (top layer %s): "
		        "%s (%s)", who, chain, s.v[0].names.v[0], s.v[0].target);
		rc = 0;
	} else if (!s.n) {
		de_fail(e, "no image of namespace %s has its layers (top layer %s)", ns, chain);
	} else {
		dbuf b = {0};
		for (size_t i = 0; i < s.n; i++) {
			char *names = sv_join(&s.v[i].names, " ");
			db_addf(&b, "%s%s (%s, manifest %s)", i ? ", " : "", names, s.v[i].target,
			        s.v[i].manifest);
			free(names);
		}
		de_fail(e, "%zu images of namespace %s have its layers (top layer %s), and nothing it "
		        "recorded tells which: %s", s.n, ns, chain, b.p);
		db_free(&b);
	}
	cands_free(&s);
	free(chain);
	return rc;
}

/* A target digest as the image store writes it; anything else is no image. */
static bool digest_or_null_ok(const char *s)
{
	return s && !strncmp(s, "sha256:", 7) && de_is_hex(s + 7, 64);
}

static char *digest_or_null(const char *s)
{
	return digest_or_null_ok(s) ? xstrdup(s) : NULL;
}

int de_containerd_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	/* Docker's containers: the containerd holding their snapshot (its own,
	 * or the host's: docker_ctd.h), Docker's namespace, the image by its
	 * target digest; containerd's: the image by name in its namespace;
	 * either, when its record names none: by its layers */
	bool docker = d->kind == DE_ROOT_DOCKER;
	const ev_root *root = docker ? de_layers_root(d, c, e) : &d->root;
	if (!root)
		return -1;
	const char *prefix = c->snapshot_root ? c->snapshot_root : "";
	const char *ns = c->namespace ? c->namespace : c->ctd_namespace ? c->ctd_namespace : "moby";
	char *meta_rel = under(prefix, META), *target = NULL, *cpath = NULL, *found_man = NULL;
	bb_db *meta = NULL;
	int rc = -1;
	if (bb_open(&meta, root, meta_rel, e) < 0)
		goto out;
	/* Docker 25+ records the platform's manifest it used ("ImageManifest"):
	 * that one, whatever platform the imaged host was */
	const char *man = docker ? jget_str(jget_obj(c->config, "ImageManifest"), "digest") : NULL;
	const char *key = docker ? c->id : jget_str(c->native, "SnapshotKey");
	bool named = docker ? c->image_id && *c->image_id : c->image_name && *c->image_name;
	if (docker && named) {
		if (!(target = digest_or_null(c->image_id))) {
			de_fail(e, "container %s: its image \"%s\" is not a sha256 digest", c->id,
			        c->image_id);
			goto out;
		}
	} else if (named) {
		bb_bucket tb;
		/* a pod's: the image the CRI ran, by the record the CRI plugin
		 * names after its ID (the name may lead elsewhere since) */
		const char *ref = c->pod ? c->pod->image_ref : NULL;
		if ((!ref || bb_path(meta, &tb, NULL, "v1", ns, "images", ref, "target", NULL) != 1 ||
		     !(target = bb_get_str(&tb, "digest"))) &&
		    (bb_path(meta, &tb, NULL, "v1", ns, "images", c->image_name, "target", NULL) != 1 ||
		     !(target = bb_get_str(&tb, "digest")))) {
			de_fail(e, "container %s/%s: its image \"%s\" is not in %s/%s", ns, c->id,
			        c->image_name, root->path, meta_rel);
			goto out;
		}
	} else {
		if (!key || !c->driver || !de_safe_name(c->driver)) {
			de_fail(e, "container %s: no image recorded, and no snapshot to find it by",
			        c->id);
			goto out;
		}
		if (find_by_layers(root, prefix, meta, ns, c->id, c->driver, key, c->image_name,
		                   man, &target, &found_man, e) < 0) {
			de_fail_wrap(e, "container %s: no image recorded", c->id);
			goto out;
		}
		man = found_man;
	}
	json_t *cfg = de_containerd_image_config(root, prefix, man ? man : target, &cpath, e);
	if (!cfg)
		goto out;
	sizes s = {root, prefix, meta, ns};
	out->v = xcalloc(1, sizeof *out->v);
	out->n = 1;
	out->v[0].id = target;
	target = NULL;
	if (c->pod && c->pod->image_ref) {   /* in the CRI's terms: the image ID it ran */
		free(out->v[0].id);
		out->v[0].id = xstrdup(c->pod->image_ref);
	}
	fill_history(&s, cfg, cpath, &out->v[0]);
	json_decref(cfg);
	rc = 0;
out:
	if (meta)
		bb_close(meta);
	free(meta_rel);
	free(target);
	free(cpath);
	free(found_man);
	return rc;
}

int de_containerd_image_history(de_docker *d, const char *prefix, const char *ns,
                                const char *target, de_history *out, de_err *e)
{
	char *meta_rel = under(prefix, META), *cpath = NULL;
	bb_db *meta = NULL;
	json_t *cfg = NULL;
	int rc = -1;
	if (!digest_or_null_ok(target)) {
		de_fail(e, "image \"%s\" is not a sha256 digest", target);
		goto out;
	}
	if (bb_open(&meta, &d->root, meta_rel, e) < 0)
		goto out;
	/* the host platform's config (linux/amd64), else the first manifest's */
	if (!(cfg = de_containerd_image_config(&d->root, prefix, target, &cpath, e)))
		goto out;
	sizes s = {&d->root, prefix, meta, ns};
	out->v = xcalloc(1, sizeof *out->v);
	out->n = 1;
	out->v[0].id = xstrdup(target);
	fill_history(&s, cfg, cpath, &out->v[0]);
	rc = 0;
out:
	json_decref(cfg);
	if (meta)
		bb_close(meta);
	free(meta_rel);
	free(cpath);
	return rc;
}

/* ---- images --------------------------------------------------------------------------- */

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
	const strvec *skip_ns;   /* Docker's namespaces here, or NULL */
} ns_ctx;

static bool skipped(const ns_ctx *x, const char *ns)
{
	for (size_t i = 0; x->skip_ns && i < x->skip_ns->n; i++)
		if (!strcmp(x->skip_ns->v[i], ns))
			return true;
	return x->skip_moby && !strcmp(ns, "moby");
}

static int on_ns(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool bucket)
{
	ns_ctx *x = arg;
	bb_bucket nb, ib;
	char *ns = xstrndup((const char *)k, kl);
	if (bucket && !(x->only && strcmp(ns, x->only)) && !skipped(x, ns) &&
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

static int images_at(const ev_root *root, const char *prefix, const char *only_ns,
                     bool skip_moby, const strvec *skip_ns, const de_container_list *cl,
                     de_image_list *out, de_err *e)
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
		ns_ctx x = {{{root, prefix, meta, NULL}, cl, out, 0, 0}, only_ns, skip_moby, skip_ns};
		if (bb_foreach(&v1, on_ns, &x, e) < 0)
			de_warn("%s", e->msg);
	}
	bb_close(meta);
	return rc < 0 ? -1 : 0;
}

int de_containerd_images_at(const ev_root *root, const char *prefix, const char *only_ns,
                            bool skip_moby, const de_container_list *cl, de_image_list *out,
                            de_err *e)
{
	return images_at(root, prefix, only_ns, skip_moby, NULL, cl, out, e);
}

int de_containerd_images(de_docker *d, bool skip_moby, const de_container_list *cl,
                         de_image_list *out, de_err *e)
{
	return images_at(&d->root, "", NULL, skip_moby, NULL, cl, out, e);
}

int de_containerd_images_except(de_docker *d, bool skip_moby, const strvec *skip_ns,
                                const de_container_list *cl, de_image_list *out, de_err *e)
{
	return images_at(&d->root, "", NULL, skip_moby, skip_ns, cl, out, e);
}
