/*
 * docker.c — opening a Docker data root, finding its containers, and the
 * parts common to both storage layouts. See docker.h.
 */
#include "docker_internal.h"
#include "containerd.h"
#include "docker_ctd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/pathutil.h"
#include "../util/pool.h"
#include "../util/utf8.h"
#include "storage.h"

/* The suffix whose prefix is the host root when --root is not given. */
#define DEFAULT_DATA_ROOT_SUFFIX "/var/lib/docker"
/* Docker on Windows' (C:\ProgramData\docker) on a copy of drive C: */
#define WINDOWS_DATA_ROOT_SUFFIX "/ProgramData/docker"

/* Why data_root, holding none of Docker's marks, is not a Docker data root:
 * the marks may not be searched (permission), or it is another runtime's
 * root or a host's root (what -r and --root take, said in the hint). */
static int not_docker(de_docker *d, const char *data_root, de_err *e)
{
	static const char *const marks[] = {"containers", "image", "graph"};
	for (size_t i = 0; i < 3; i++) {
		int why = ev_reach(&d->root, marks[i]);
		if (why == EACCES || why == EPERM)
			return de_fail(e, "permission denied: %s/%s (%s)", data_root, marks[i],
			               DE_HINT_PERMISSION);
	}
	bool ctd = ev_is_file(&d->root, "io.containerd.metadata.v1.bolt/meta.db");
	bool cs = ev_is_dir(&d->root, "overlay-containers") || ev_is_dir(&d->root, "libpod") ||
	          ev_is_dir(&d->root, "overlay-images");
	if (ctd || cs) {
		/* where its host's root would be, when it is at the default place */
		size_t n;
		char *host = de_path_strip_suffix(data_root, ctd ? "/var/lib/containerd"
		                                                 : "/var/lib/containers/storage", &n)
		           ? xasprintf("%.*s", (int)n, data_root) : xstrdup("HOST_ROOT");
		de_fail(e, "%s is not a Docker directory: it is a %s root (hint: give the host's root "
		        "with --root %s: de finds every runtime's data under it)", data_root,
		        ctd ? "containerd" : "containers/storage (Podman, CRI-O)", host);
		free(host);
		return -1;
	}
	const char *hint = ev_is_dir(&d->root, "var/lib") || ev_is_dir(&d->root, "etc")
		? "it looks like a host's root: give it with --root"
		: "-r takes the Docker data root, such as /mnt/root/var/lib/docker; --root "
		  "takes the host's root";
	return de_fail(e, "%s is not a Docker directory: it holds none of containers/, image/, "
	               "graph/ (hint: %s)", data_root, hint);
}

int de_docker_open(de_docker *d, const char *data_root, const char *host_root, de_err *e)
{
	memset(d, 0, sizeof *d);
	d->root.fd = -1;
	de_err why;
	if (ev_root_open(&d->root, data_root, &why) < 0) {
		if (errno == EACCES)
			return de_fail(e, "permission denied: %s (%s)", data_root, DE_HINT_PERMISSION);
		return de_fail(e, "%s is not a Docker directory (%s)", data_root, why.msg);
	}
	bool has_containers = ev_is_dir(&d->root, "containers");
	bool has_image = ev_is_dir(&d->root, "image");
	bool has_graph = ev_is_dir(&d->root, "graph");
	if (!has_containers && !has_image && !has_graph) {
		int rc = not_docker(d, data_root, e);
		ev_root_close(&d->root);
		return rc;
	}
	d->layout = has_image || !has_graph ? DE_LAYOUT_V2 : DE_LAYOUT_V1;
	size_t plen;
	d->host_known = true;
	if (host_root)
		d->host_root = xstrdup(host_root);
	else if (de_path_strip_suffix(data_root, DEFAULT_DATA_ROOT_SUFFIX, &plen) ||
	         de_path_strip_suffix(data_root, WINDOWS_DATA_ROOT_SUFFIX, &plen))
		d->host_root = xstrndup(data_root, plen);
	else
		d->host_root = xstrdup(""), d->host_known = false;
	de_debug("data root %s, layout v%d, host root \"%s\"", data_root, d->layout,
	         d->host_root);
	return 0;
}

void de_docker_close(de_docker *d)
{
	de_docker_ctd_free(d);
	ev_root_close(&d->root);
	free(d->host_root);
	d->host_root = NULL;
}

static int load_how = DE_LOAD_WHOLE;

void de_docker_load_how(int how)
{
	load_how = how;
}

/* Loads one container by the config file its directory holds: config.v2.json
 * is layout v2, config.json layout v1. how: DE_LOAD_WHOLE, or its record alone (docker.h). */
static de_container *load_one(de_docker *d, const char *id, int how, de_err *e)
{
	if (!de_safe_name(id)) {
		/* named, escaped: a directory name may hold a newline or a
		 * terminal escape (hostile case "newline-id") */
		dbuf name = {0};
		de_escape(&name, id);
		de_fail(e, "%s/containers: entry \"%s\": not a plain file name", d->root.path,
		        name.p ? name.p : "");
		db_free(&name);
		return NULL;
	}
	/* config.v2.json is read at once (the common case: no lstat first);
	 * when it cannot be, lstat says whether it is there at all: a config
	 * that is a symlink (or anything odd) is still "there", and reading it
	 * said precisely why it is refused. */
	de_container *c = docker_v2_load(d, id, how, e);
	if (c)
		return c;
	char *v2 = xasprintf("containers/%s/config.v2.json", id);
	char *v1 = xasprintf("containers/%s/config.json", id);
	struct stat st;
	if (ev_lstat(&d->root, v2, &st, NULL) == 0)
		;   /* e: why config.v2.json could not be read */
	else if (ev_lstat(&d->root, v1, &st, NULL) == 0)
		c = docker_v1_load(d, id, e);
	else
		de_fail(e, "%s/containers/%s: neither config.v2.json nor config.json found",
		        d->root.path, id);
	free(v2);
	free(v1);
	return c;
}

static int list_ids(de_docker *d, strvec *ids, de_err *e)
{
	if (!ev_is_dir(&d->root, "containers"))
		return 0;   /* an image store without containers: nothing to list */
	return ev_list(&d->root, "containers", ids, e);
}

int de_docker_ids(de_docker *d, strvec *ids, de_err *e)
{
	return list_ids(d, ids, e);
}

de_container *de_docker_load(de_docker *d, const char *id, de_err *e)
{
	return load_one(d, id, DE_LOAD_WHOLE, e);
}

/* The containers are loaded on every core (util/pool.h), each into its
 * slot: the list, and the warnings, keep the IDs' order. */
typedef struct load_job {
	de_docker *d;
	int how;
	const strvec *ids;
	de_container **got;
	char **why;          /* why a container could not be loaded */
} load_job;

static void load_task(void *arg, size_t i)
{
	load_job *j = arg;
	de_err ce;
	j->got[i] = load_one(j->d, j->ids->v[i], j->how, &ce);
	if (!j->got[i])
		j->why[i] = xstrdup(ce.msg);
}

void de_docker_load_many(de_docker *d, const strvec *ids, int how, de_container **got,
                         char **why)
{
	load_job j = {d, how, ids, got, why};
	de_pool_run(ids->n, load_task, &j);
}

int de_docker_load_all(de_docker *d, de_container_list *out, de_err *e)
{
	strvec ids = {0};
	if (list_ids(d, &ids, e) < 0) {
		sv_free(&ids);
		return -1;
	}
	de_container **got = xcalloc(ids.n + 1, sizeof *got);
	char **why = xcalloc(ids.n + 1, sizeof *why);
	/* records keep their bytes until it is known who needs the document:
	 * in Docker's containerd store, a container's image is named by its
	 * ImageManifest (containerd_images.c) */
	de_docker_load_many(d, &ids, load_how == DE_LOAD_WHOLE ? DE_LOAD_WHOLE : DE_LOAD_RECORD_KEEP,
	                    got, why);
	for (size_t i = 0; i < ids.n; i++) {
		if (got[i] && got[i]->snapshot_root)
			de_docker_whole(got[i]);
		if (got[i]) {
			free(got[i]->config_text);
			got[i]->config_text = NULL;
			de_container_list_push(out, got[i]);
		}
		else
			de_warn("container skipped: %s", why[i]);
		free(why[i]);
	}
	free(got);
	free(why);
	sv_free(&ids);
	return 0;
}

/* The first container, in ID order, named name; NULL when none is. The
 * records are read on every core without their documents (the name is a
 * field of the model), then the one found is read whole. What reading the
 * containers before it warned about is said, as when they were read one
 * by one until it; theirs after it is not. */
static de_container *find_by_name(de_docker *d, const strvec *ids, const char *name)
{
	load_job j = {d, DE_LOAD_RECORD, ids, xcalloc(ids->n + 1, sizeof *j.got),
	              xcalloc(ids->n + 1, sizeof *j.why)};
	de_diag_capture *held = xcalloc(ids->n + 1, sizeof *held);
	de_pool_run_held(ids->n, load_task, &j, held);
	size_t k = ids->n;
	for (size_t i = 0; i < ids->n && k == ids->n; i++) {
		const char *n = j.got[i] ? j.got[i]->name : NULL;
		if (n && !strcmp(n[0] == '/' ? n + 1 : n, name))
			k = i;
		else
			de_diag_capture_replay(&held[i]);
	}
	de_container *found = NULL;
	if (k < ids->n) {
		de_err ce;
		found = load_one(d, ids->v[k], DE_LOAD_WHOLE, &ce);   /* says its own warnings */
		if (!found)   /* gone since: as it would have been, skipped */
			de_warn("container skipped: %s", ce.msg);
	}
	for (size_t i = 0; i < ids->n; i++) {
		if (i >= k)
			de_diag_capture_drop(&held[i]);
		de_container_free(j.got[i]);
		free(j.why[i]);
	}
	free(held);
	free(j.got);
	free(j.why);
	return found;
}

/* Docker's own order: a full ID, then a name, then a unique ID prefix. */
de_container *de_docker_find(de_docker *d, const char *ref, de_err *e)
{
	strvec ids = {0}, matches = {0};
	de_container *found = NULL;
	if (!*ref) {
		de_fail(e, "Could not find any container ID starting with \"\"");
		return NULL;
	}
	if (list_ids(d, &ids, e) < 0)
		goto out;
	for (size_t i = 0; i < ids.n; i++)
		if (!strcmp(ids.v[i], ref)) {
			found = load_one(d, ids.v[i], DE_LOAD_WHOLE, e);
			goto out;
		}
	if ((found = find_by_name(d, &ids, ref[0] == '/' ? ref + 1 : ref)) != NULL)
		goto out;
	for (size_t i = 0; i < ids.n; i++)
		if (!strncmp(ids.v[i], ref, strlen(ref)))
			sv_push(&matches, ids.v[i]);
	if (matches.n == 0) {
		de_fail(e, "Could not find any container ID starting with \"%s\"", ref);
	} else if (matches.n > 1) {
		char *all = sv_join(&matches, ", ");
		de_fail(e, "Too many container IDs starting with \"%s\": %s", ref, all);
		free(all);
	} else {
		found = load_one(d, matches.v[0], DE_LOAD_WHOLE, e);
	}
out:
	sv_free(&ids);
	sv_free(&matches);
	return found;
}

int de_docker_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	if (d->kind == DE_ROOT_STORAGE)
		return de_storage_history(d, c, out, e);
	if (c->layout == DE_LAYOUT_V1)
		return docker_v1_history(d, c, out, e);
	if (d->kind == DE_ROOT_CONTAINERD || c->snapshot_root || c->snapshot_error)
		return de_containerd_history(d, c, out, e);
	return docker_v2_history(d, c, out, e);
}

static void add_repositories_file(de_docker *d, const char *rel, json_t *arr)
{
	de_err e;
	json_t *j = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
	if (!j) {
		de_warn("repositories file skipped: %s", e.msg);
		return;
	}
	if (!json_is_object(j)) {
		de_warn("repositories file skipped: %s/%s: not a JSON object", d->root.path, rel);
		json_decref(j);
		return;
	}
	char *path = de_path_join(d->root.path, rel);
	json_object_set_new(j, "path", json_string(path));
	free(path);
	json_array_append_new(arr, j);
}

int de_docker_repositories(de_docker *d, json_t **out, de_err *e)
{
	strvec names = {0}, rels = {0};
	json_t *arr = json_array();
	if (d->layout == DE_LAYOUT_V2) {
		/* v2: image/<driver>/repositories.json, one per driver ever used. */
		if (ev_list(&d->root, "image", &names, e) < 0) {
			sv_free(&names);
			json_decref(arr);
			return -1;
		}
		for (size_t i = 0; i < names.n; i++) {
			char *rel = xasprintf("image/%s/repositories.json", names.v[i]);
			if (de_safe_name(names.v[i]) && ev_is_file(&d->root, rel))
				sv_push_own(&rels, rel);
			else
				free(rel);
		}
	} else {
		/* v1: repositories-<driver> in the data root. */
		if (ev_list(&d->root, "", &names, e) < 0) {
			sv_free(&names);
			json_decref(arr);
			return -1;
		}
		for (size_t i = 0; i < names.n; i++)
			if (!strncmp(names.v[i], "repositories-", 13) &&
			    ev_is_file(&d->root, names.v[i]))
				sv_push(&rels, names.v[i]);
	}
	sv_sort(&rels);
	for (size_t i = 0; i < rels.n; i++)
		add_repositories_file(d, rels.v[i], arr);
	sv_free(&names);
	sv_free(&rels);
	*out = arr;
	return 0;
}

void de_docker_whole(de_container *c)
{
	if (c->config || !c->config_text)
		return;
	c->config = json_loadb(c->config_text, c->config_len, JSON_ALLOW_NUL, NULL);
	free(c->config_text);
	c->config_text = NULL;
}

json_t *de_docker_hostconfig(de_docker *d, de_container *c)
{
	if (c->hostconfig_read)
		return c->hostconfig;
	c->hostconfig_read = true;
	char *rel = xasprintf("containers/%s/hostconfig.json", c->id);
	struct stat st;
	if (de_safe_name(c->id) && ev_lstat(&d->root, rel, &st, NULL) == 0) {
		de_err e;
		c->hostconfig = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
		if (!c->hostconfig)
			de_warn("%s", e.msg);
	}
	free(rel);
	return c->hostconfig;
}
