/*
 * docker_images.c — the image store (layout v2) and the volumes.
 *
 *   image/<driver>/imagedb/content/sha256/<id>   one file per image config
 *   image/<driver>/imagedb/metadata/sha256/<id>/parent
 *   image/<driver>/repositories.json             tags and digests -> image ID
 *   image/<driver>/layerdb/sha256/<chain>/size   bytes of each layer
 *   volumes/<name>/_data                         a local volume's files
 * An image's size is the sum of its layers' sizes (what `docker images`
 * shows). An image is dangling when nothing tags it and no other image has
 * it as parent (`docker images` hides untagged parents: intermediates).
 */
#include "docker_internal.h"
#include "containerd.h"
#include "docker_ctd.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/digest.h"
#include "../util/evh.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

void de_image_list_free(de_image_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		de_image *im = &l->v[i];
		free(im->id); free(im->driver); free(im->namespace); free(im->created); free(im->parent);
		free(im->config_path); free(im->committed_from); free(im->committed_from_name);
		free(im->runtime);
		sv_free(&im->tags); sv_free(&im->digests); sv_free(&im->containers);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void read_image(de_docker *d, const char *driver, const char *hex, de_image *im)
{
	char *rel = xasprintf("image/%s/imagedb/content/sha256/%s", driver, hex);
	de_err e;
	im->id = xasprintf("sha256:%s", hex);
	im->driver = xstrdup(driver);
	im->config_path = de_path_join(d->root.path, rel);
	im->size = -1;
	json_t *cfg = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
	free(rel);
	if (!cfg) {
		de_warn("image %s: %s", im->id, e.msg);
		return;
	}
	const char *created = jget_str(cfg, "created");
	im->created = created ? xstrdup(created) : NULL;
	const char *from = de_image_committed_from(cfg);
	im->committed_from = from ? xstrdup(from) : NULL;
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	char *chain = NULL;
	int64_t total = 0;
	for (size_t i = 0; diffs && i < json_array_size(diffs); i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		if (!diff) {
			total = -1;
			break;
		}
		char *next = de_chain_id(chain, diff);
		free(chain);
		chain = next;
		int64_t s = docker_layer_size(d, driver, chain);
		total = s < 0 || total < 0 ? -1 : total + s;
		im->layers++;
	}
	free(chain);
	im->size = total;
	if (total < 0)
		de_warn("image %s: a layer's size is not recorded in the layer store", im->id);
	json_decref(cfg);
	rel = xasprintf("image/%s/imagedb/metadata/sha256/%s/parent", driver, hex);
	im->parent = ev_read_token(&d->root, rel, NULL);
	free(rel);
}

/* Tags ("repo:tag") and digests ("repo@sha256:…") from repositories.json. */
static void read_tags(de_docker *d, const char *driver, de_image_list *l)
{
	char *rel = xasprintf("image/%s/repositories.json", driver);
	de_err e;
	json_t *j = ev_is_file(&d->root, rel) ? ev_read_json(&d->root, rel, EV_MAX_JSON, &e) : NULL;
	if (!j && ev_is_file(&d->root, rel))
		de_warn("%s", e.msg);
	free(rel);
	const char *repo, *ref;
	json_t *refs, *id;
	json_object_foreach(jget_obj(j, "Repositories"), repo, refs) {
		json_object_foreach(refs, ref, id) {
			for (size_t i = 0; json_is_string(id) && i < l->n; i++)
				if (!strcmp(l->v[i].id, json_string_value(id)) && !strcmp(l->v[i].driver, driver))
					sv_push(strchr(ref, '@') ? &l->v[i].digests : &l->v[i].tags, ref);
		}
	}
	json_decref(j);
}

int de_docker_images(de_docker *d, const de_container_list *cl, de_image_list *out, de_err *e)
{
	strvec drivers = {0};
	memset(out, 0, sizeof *out);
	/* Docker 24+ with the containerd image store: the images are those of
	 * Docker's namespace in its private containerd (those in the host's
	 * containerd: de_docker_ctd_images) */
	const char *ns = de_docker_ctd_namespace(d);
	if (ev_is_file(&d->root, DE_DOCKER_CONTAINERD "/io.containerd.metadata.v1.bolt/meta.db") &&
	    de_containerd_images_at(&d->root, DE_DOCKER_CONTAINERD, ns, false, cl, out, e) < 0)
		de_warn("Docker's containerd images: %s", e->msg);
	size_t from = out->n;   /* the image store's own, below */
	if (!ev_is_dir(&d->root, "image"))
		return 0;
	if (ev_list(&d->root, "image", &drivers, e) < 0) {
		sv_free(&drivers);
		return -1;
	}
	for (size_t k = 0; k < drivers.n; k++) {
		const char *drv = drivers.v[k];
		strvec ids = {0};
		char *rel = xasprintf("image/%s/imagedb/content/sha256", drv);
		de_err le;
		if (de_safe_name(drv) && ev_is_dir(&d->root, rel) && ev_list(&d->root, rel, &ids, &le) < 0)
			de_warn("%s", le.msg);
		free(rel);
		for (size_t i = 0; i < ids.n; i++) {
			if (!de_is_hex(ids.v[i], 64)) {
				de_warn("%s/image/%s/imagedb/content/sha256/%s: not an image ID; skipped",
				        d->root.path, drv, ids.v[i]);
				continue;
			}
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			de_image *im = &out->v[out->n++];
			memset(im, 0, sizeof *im);
			read_image(d, drv, ids.v[i], im);
		}
		sv_free(&ids);
		read_tags(d, drv, out);
	}
	sv_free(&drivers);
	for (size_t i = from; i < out->n; i++) {
		de_image *im = &out->v[i];
		bool is_parent = false;
		for (size_t j = from; j < out->n && !is_parent; j++)
			is_parent = out->v[j].parent && !strcmp(out->v[j].parent, im->id);
		im->intermediate = !im->tags.n && !im->digests.n && is_parent;
		im->dangling = !im->tags.n && !im->digests.n && !is_parent;
		for (size_t c = 0; cl && c < cl->n; c++)
			if (cl->v[c]->image_id && !strcmp(cl->v[c]->image_id, im->id))
				sv_push(&im->containers, cl->v[c]->name ? cl->v[c]->name : cl->v[c]->id);
		de_image_name_committer(im, cl);
	}
	return 0;
}

void de_image_name_committer(de_image *im, const de_container_list *cl)
{
	for (size_t c = 0; im->committed_from && !im->committed_from_name && cl && c < cl->n; c++)
		if (cl->v[c]->name && !strcmp(cl->v[c]->id, im->committed_from))
			im->committed_from_name = xstrdup(cl->v[c]->name);
}

/* Bytes of the files below a volume: a bounded walk (directories 256 deep,
 * 10 million entries), never following a symlink. */
static void du_at(int at, unsigned depth, uint64_t *bytes, uint64_t *count, bool *cut)
{
	int fd = ev_open_dir_at(at, ".");   /* leaves the evidence's atimes alone */
	evh_dir *dir = fd >= 0 ? evh_opendir(fd) : NULL;   /* closes fd when it fails */
	if (!dir) {
		*cut = true;
		return;
	}
	struct dirent *de;
	while ((de = evh_readdir(dir)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat st;
		if (++*count > 10000000 || evh_fstatat(evh_dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*cut = true;
			continue;
		}
		if (S_ISREG(st.st_mode))
			*bytes += (uint64_t)st.st_size;
		if (S_ISDIR(st.st_mode)) {
			int sub = ev_open_dir_at(evh_dirfd(dir), de->d_name);
			if (sub < 0 || depth >= 256)
				*cut = true;
			else
				du_at(sub, depth + 1, bytes, count, cut);
			if (sub >= 0)
				evh_close(sub);
		}
	}
	evh_closedir(dir);
}

int de_docker_volumes(de_docker *d, const de_container_list *cl, de_volume_list *out, de_err *e)
{
	strvec names = {0};
	memset(out, 0, sizeof *out);
	if (!ev_is_dir(&d->root, "volumes"))
		return 0;
	if (ev_list(&d->root, "volumes", &names, e) < 0) {
		sv_free(&names);
		return -1;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *rel = xasprintf("volumes/%s/_data", names.v[i]);
		if (!de_safe_name(names.v[i]) || !ev_is_dir(&d->root, rel)) {
			free(rel);
			continue;   /* metadata.db, backingFsBlockDev */
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		de_volume *v = &out->v[out->n++];
		memset(v, 0, sizeof *v);
		v->name = xstrdup(names.v[i]);
		v->path = de_path_join(d->root.path, rel);
		de_err ve;
		int fd = ev_open(&d->root, rel, O_DIRECTORY, &ve);
		uint64_t count = 0;
		bool cut = false;
		if (fd >= 0) {
			du_at(fd, 0, &v->size, &count, &cut);
			evh_close(fd);
		} else {
			cut = true;
		}
		if (cut)
			de_warn("volume %s: some of its files could not be read; its size is a lower bound",
			        v->name);
		for (size_t c = 0; cl && c < cl->n; c++)
			for (size_t m = 0; m < cl->v[c]->nmounts; m++)
				if (cl->v[c]->mounts[m].name && !strcmp(cl->v[c]->mounts[m].name, v->name))
					sv_push(&v->containers, cl->v[c]->name ? cl->v[c]->name : cl->v[c]->id);
		free(rel);
	}
	sv_free(&names);
	return 0;
}

void de_volume_list_free(de_volume_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].path);
		sv_free(&l->v[i].containers);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
