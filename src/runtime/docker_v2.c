/*
 * docker_v2.c — storage layout v2 (Docker >= 1.10).
 *
 *   containers/<id>/config.v2.json, hostconfig.json
 *   image/<driver>/layerdb/mounts/<id>/{mount-id,init-id,parent}
 *   image/<driver>/imagedb/content/sha256/<imgid>     image config; <imgid>
 *       is the SHA-256 of these exact bytes
 *   image/<driver>/imagedb/metadata/sha256/<imgid>/parent
 *   image/<driver>/layerdb/sha256/<chainid>/{diff,parent,cache-id,size}
 * Docker 24+ with the containerd image store (the default of fresh Docker 29
 * installs) has no image/: "Driver" names a containerd snapshotter
 * ("overlayfs", "native"), "Image" is the image's target digest, and the
 * layers and images are in the containerd Docker used (docker_ctd.h).
 */
#include "docker_internal.h"
#include "containerd.h"
#include "docker_ctd.h"

#include <stdlib.h>
#include <string.h>

#include "../util/utf8.h"
#include "../util/digest.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

bool docker_is_snapshotter(const char *driver)
{
	/* names no graphdriver ever had: Docker's are overlay2, overlay, aufs,
	 * vfs, btrfs, zfs, devicemapper, windowsfilter, fuse-overlayfs */
	return !strcmp(driver, "overlayfs") || !strcmp(driver, "native");
}

/* The layer store's mount record: the driver's directory for the
 * container's writable layer and its -init layer. */
static void read_mount_ids(de_docker *d, de_container *c)
{
	if (!c->driver || !de_safe_name(c->driver))
		return;
	de_err e;
	char *rel = xasprintf("image/%s/layerdb/mounts/%s/mount-id", c->driver, c->id);
	c->mount_id = ev_read_token(&d->root, rel, &e);
	if (!c->mount_id)
		de_warn("container %s: no mount-id: %s", c->id, e.msg);
	else if (!de_safe_name(c->mount_id)) {
		dbuf shown = {0};   /* escaped: it may hold a terminal escape */
		de_escape(&shown, c->mount_id);
		de_warn("%s/%s: mount-id \"%s\" is not a plain name; ignored", d->root.path,
		        rel, shown.p);
		db_free(&shown);
		free(c->mount_id);
		c->mount_id = NULL;
	}
	free(rel);
	rel = xasprintf("image/%s/layerdb/mounts/%s/init-id", c->driver, c->id);
	c->init_id = ev_read_token(&d->root, rel, NULL);
	if (c->init_id && !de_safe_name(c->init_id)) {
		free(c->init_id);
		c->init_id = NULL;
	}
	free(rel);
}

de_container *docker_v2_load(de_docker *d, const char *id, int how, de_err *e)
{
	bool records_only = how != DE_LOAD_WHOLE;
	char *rel = xasprintf("containers/%s/config.v2.json", id);
	char *path = de_path_join(d->root.path, rel);
	de_container *c = NULL;
	json_t *doc = NULL;
	size_t len;
	char *buf = ev_read(&d->root, rel, EV_MAX_JSON, &len, e);
	if (!buf)
		goto out;
	c = xcalloc(1, sizeof *c);
	c->layout = DE_LAYOUT_V2;
	c->config_path = xstrdup(path);
	/* The fields from the text when the command needs no more; else (and
	 * for what the fast path leaves, such as a document jansson must
	 * name the error of) the whole document, kept in c->config. */
	int rc = records_only ? docker_parse_config_text(d, buf, len, path, c, e) : 0;
	if (rc == 0) {
		char *what = xasprintf("%s/%s", d->root.path, rel);   /* as ev_read_json names it */
		doc = ev_parse_json(buf, len, what, e);
		free(what);
		rc = doc ? docker_parse_config(d, doc, path, c, e) : -1;
	}
	if (rc > 0 && how == DE_LOAD_RECORD_KEEP) {
		c->config_text = buf;   /* read whole later without opening it again */
		c->config_len = len;
		buf = NULL;
	}
	free(buf);
	if (rc < 0) {
		de_container_free(c);
		c = NULL;
		goto out;
	}
	if (strcmp(c->id, id) != 0)
		de_warn("%s: ID %s differs from its directory name %s", path, c->id, id);
	if (!c->driver)
		de_warn("%s: no Driver: the container's layers cannot be found", path);
	else if (docker_is_snapshotter(c->driver))
		de_docker_ctd_snapshot(d, c);
	else
		read_mount_ids(d, c);
out:
	json_decref(doc);
	free(rel);
	free(path);
	return c;
}

/* ---- history ------------------------------------------------------------ */

/* "sha256:<64 hex>" → pointer to the hex, or NULL. */
static const char *sha256_hex_of(const char *id)
{
	if (!id || strncmp(id, "sha256:", 7) != 0 || !de_is_hex(id + 7, 64))
		return NULL;
	return id + 7;
}

static json_t *read_image_config(de_docker *d, const char *driver, const char *hex, de_err *e)
{
	char *rel = xasprintf("image/%s/imagedb/content/sha256/%s", driver, hex);
	size_t len;
	char *buf = ev_read(&d->root, rel, EV_MAX_JSON, &len, e);
	json_t *j = NULL;
	if (buf) {
		char got[65];
		de_sha256_hex(buf, len, got);
		if (strcmp(got, hex) != 0)
			de_warn("%s/%s: content hashes to sha256:%s, not to its name: the image "
			        "config was altered", d->root.path, rel, got);
		char *what = de_path_join(d->root.path, rel);
		j = ev_parse_json(buf, len, what, e);
		free(what);
		free(buf);
	}
	free(rel);
	return j;
}

/* Layer size from layerdb/sha256/<chain>/size; -1 when not recorded. */
int64_t docker_layer_size(de_docker *d, const char *driver, const char *chain)
{
	const char *hex = sha256_hex_of(chain);
	if (!hex)
		return -1;
	char *rel = xasprintf("image/%s/layerdb/sha256/%s/size", driver, hex);
	int64_t v = ev_read_size(&d->root, rel);
	free(rel);
	return v;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A layer of the image store: its size by its chain ID (the layerdb's key). */
typedef struct v2_sizes {
	de_docker *d;
	const char *driver;
	char **chains;
} v2_sizes;

static int64_t v2_layer_size(void *arg, size_t k, const char *diff_id)
{
	(void)diff_id;
	v2_sizes *z = arg;
	return z->chains[k] ? docker_layer_size(z->d, z->driver, z->chains[k]) : -1;
}

/* history[] of the config (model/evidence.h), each layer's size from the
 * layerdb entry of its chain ID. */
static void build_steps(de_docker *d, const char *driver, json_t *cfg, de_history_entry *h,
                          const char *path)
{
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	size_t nd = diffs ? json_array_size(diffs) : 0;
	char **chains = xcalloc(nd ? nd : 1, sizeof *chains);
	char *prev = NULL;
	for (size_t i = 0; i < nd; i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		if (!diff)
			break;
		chains[i] = de_chain_id(prev, diff);
		prev = chains[i];
	}
	v2_sizes z = {d, driver, chains};
	de_history_steps(h, cfg, path, v2_layer_size, &z);
	for (size_t i = 0; i < nd; i++)
		free(chains[i]);
	free(chains);
}

static int64_t sum_layers(de_docker *d, const char *driver, json_t *cfg, size_t from)
{
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	size_t nd = diffs ? json_array_size(diffs) : 0;
	char *prev = NULL;
	int64_t total = 0;
	for (size_t i = 0; i < nd; i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		if (!diff)
			break;
		char *chain = de_chain_id(prev, diff);
		free(prev);
		prev = chain;
		if (i >= from) {
			int64_t s = docker_layer_size(d, driver, chain);
			if (s < 0) {
				total = -1;
				break;
			}
			total += s;
		}
	}
	free(prev);
	return total;
}

int docker_v2_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	if (!c->driver || !de_safe_name(c->driver))
		return de_fail(e, "container %s: no usable storage Driver", c->id);
	char *who = xasprintf("container %s", c->id);
	int rc = docker_v2_image_history(d, c->driver, c->image_id, who, out, e);
	free(who);
	return rc;
}

int docker_v2_image_history(de_docker *d, const char *driver, const char *image_id,
                            const char *who, de_history *out, de_err *e)
{
	char *cur = image_id ? xstrdup(image_id) : NULL;
	json_t **cfgs = NULL;
	size_t n = 0;
	int rc = 0;
	while (cur && n < DE_MAX_CHAIN) {
		const char *hex = sha256_hex_of(cur);
		if (!hex) {
			if (n == 0)
				rc = de_fail(e, "%s: image ID \"%s\" is not sha256:<hex>", who, cur);
			else
				de_warn("image %s: parent \"%s\" is not sha256:<hex>; chain stopped",
				        out->v[n - 1].id, cur);
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (!strcmp(out->v[i].id, cur)) {
				de_warn("image %s: parent chain loops; stopped", cur);
				goto done;
			}
		de_err ie;
		json_t *cfg = read_image_config(d, driver, hex, &ie);
		if (!cfg) {
			if (n == 0)
				rc = de_fail(e, "%s", ie.msg);
			else
				de_warn("%s", ie.msg);
			break;
		}
		out->v = xrealloc(out->v, (n + 1) * sizeof *out->v);
		cfgs = xrealloc(cfgs, (n + 1) * sizeof *cfgs);
		de_history_entry *h = &out->v[n];
		memset(h, 0, sizeof *h);
		cfgs[n] = cfg;
		out->n = ++n;
		h->id = cur;
		cur = NULL;
		h->created = dup_or_null(jget_str(cfg, "created"));
		h->comment = dup_or_null(jget_str(cfg, "comment"));
		h->container_cmd = jget_join_strings(jget_arr(jget_obj(cfg, "container_config"), "Cmd"));
		char *cpath = xasprintf("%s/image/%s/imagedb/content/sha256/%s", d->root.path, driver, hex);
		build_steps(d, driver, cfg, h, cpath);
		free(cpath);
		/* BuildKit writes no container_config: the command that made the
		 * image is its newest history step. */
		if (!h->container_cmd && h->nsteps && h->steps[0].created_by)
			h->container_cmd = xstrdup(h->steps[0].created_by);

		char *prel = xasprintf("image/%s/imagedb/metadata/sha256/%s/parent", driver, hex);
		if (ev_is_file(&d->root, prel)) {
			de_err pe;
			cur = ev_read_token(&d->root, prel, &pe);
			if (!cur)
				de_warn("%s", pe.msg);
		}
		free(prel);
	}
	if (n >= DE_MAX_CHAIN && cur)
		de_warn("image %s: parent chain longer than %d; stopped", image_id, DE_MAX_CHAIN);
done:
	free(cur);
	/* An image's size is what its layers add over its parent's. */
	for (size_t i = 0; i < n; i++) {
		json_t *pd = i + 1 < n ? jget_arr(jget_obj(cfgs[i + 1], "rootfs"), "diff_ids") : NULL;
		out->v[i].size = sum_layers(d, driver, cfgs[i], pd ? json_array_size(pd) : 0);
		json_decref(cfgs[i]);
	}
	free(cfgs);
	return rc;
}
