/*
 * list.c — `de list running_containers | all_containers | repositories`.
 *
 * The container objects keep de.py's keys, in de.py's order, with de.py's
 * values (image_name … exposed_ports); what de.py lacked follows them.
 */
#include "builtin.h"

#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "../source/source.h"
#include "../driver/driver.h"
#include "../output/json_out.h"
#include "../output/table.h"
#include "../runtime/containerd.h"
#include "../runtime/discover.h"
#include "../runtime/docker_ctd.h"
#include "../runtime/storage.h"
#include "../util/pathutil.h"
#include "../util/pool.h"
#include "../util/timefmt.h"

/* -F: containers whose image's first path component is listed are dropped. */
static bool filtered(const char *image_name, const strvec *filter)
{
	if (!image_name || !filter->n)
		return false;
	size_t n = strcspn(image_name, "/");
	for (size_t i = 0; i < filter->n; i++)
		if (strlen(filter->v[i]) == n && !strncmp(image_name, filter->v[i], n))
			return true;
	return false;
}

/* One container's object, streamed (the writer keeps de.py's JSON form). */
static void container_write(de_jw *w, const de_docker *d, const de_container *c)
{
	const char *cfg = c->config_path;
	de_jw_open_object(w);
	de_jw_key(w, "image_name");
	de_jw_str(w, c->image_name);
	de_jw_key(w, "container_id");   /* null: removed, and no link named its ID */
	de_jw_str(w, c->pod && c->pod->id_unknown ? NULL : c->id);
	const char *iid = c->image_id;
	if (iid && c->layout == DE_LAYOUT_V2 && strchr(iid, ':'))
		iid = strchr(iid, ':') + 1;
	de_jw_key(w, "image_id");
	de_jw_str(w, iid);
	if (c->labels) {
		de_jw_key(w, "labels");
		de_jw_json(w, c->labels);
	}
	de_jw_key(w, "start_date");
	de_jw_time(w, c->started_at, cfg);
	if (c->mount_id) {
		de_jw_key(w, "mount_id");
		de_jw_str(w, c->mount_id);
	}
	if (c->nmounts) {
		de_jw_key(w, "mount_points");
		de_jw_open_array(w);
		for (size_t i = 0; i < c->nmounts; i++) {
			if (c->pod) {   /* a pod's volume: its kind and the kubelet's path */
				json_t *m = de_pod_mount_json(&c->mounts[i]);
				de_jw_json(w, m);
				json_decref(m);
				continue;
			}
			de_jw_open_object(w);
			de_jw_key(w, "source");
			de_jw_str(w, c->mounts[i].source);
			de_jw_key(w, "destination");
			de_jw_str(w, c->mounts[i].destination);
			de_jw_close(w);
		}
		de_jw_close(w);
	}
	const de_driver *drv = de_driver_find(c->driver);
	char *up = drv ? drv->upper_dir(c) : NULL;
	if (up) {
		char *full = de_path_join(de_layers_base(d, c), up);
		de_jw_key(w, "upper_dir");
		de_jw_str(w, full);
		free(full);
		free(up);
	}
	if (c->log_path) {
		de_jw_key(w, "log_path");
		de_jw_str(w, c->log_path);
	}
	if (c->exposed_ports) {
		de_jw_key(w, "exposed_ports");
		de_jw_json(w, c->exposed_ports);
	}

	char sbuf[32];
	de_jw_key(w, "name");
	de_jw_str(w, c->name);
	de_jw_key(w, "created");
	de_jw_time(w, c->created, cfg);
	de_jw_key(w, "state");
	de_jw_str(w, de_container_state(c, sbuf, sizeof sbuf));
	de_jw_key(w, "finished_date");
	de_jw_time(w, c->finished_at, cfg);
	de_jw_key(w, "pid");
	if (c->has_state)
		de_jw_int(w, c->pid);
	else
		de_jw_null(w);
	de_jw_key(w, "driver");
	de_jw_str(w, c->driver);
	de_jw_key(w, "command");
	de_jw_str(w, c->command);
	de_jw_key(w, "hostname");
	de_jw_str(w, c->hostname);
	de_jw_key(w, "runtime");
	de_jw_str(w, c->runtime ? c->runtime : "docker");
	if (c->namespace) {
		de_jw_key(w, "namespace");
		de_jw_str(w, c->namespace);
	}
	de_jw_key(w, "data_root");
	de_jw_str(w, d->root.path);
	if (c->ctd_root) {   /* Docker's containerd image store: where its layers are */
		de_jw_key(w, "containerd_root");
		de_jw_str(w, c->ctd_root);
		de_jw_key(w, "containerd_namespace");
		de_jw_str(w, c->ctd_namespace);
		de_jw_key(w, "snapshotter");
		de_jw_str(w, c->driver);
	}
	if (c->pod) {   /* a Kubernetes container: its pod's keys (pods.c) */
		json_t *pk = json_object();
		const char *k;
		json_t *v;
		de_pod_keys(pk, c);
		json_object_foreach(pk, k, v) {
			de_jw_key(w, k);
			de_jw_json(w, v);
		}
		json_decref(pk);
	}
	de_jw_close(w);
}

/* The objects of the list, formatted on every core (util/pool.h: the
 * warnings of each in the list's order), FMT_CHUNK at a time. */
#define FMT_CHUNK 1024
typedef struct fmt_job {
	de_rooted *v;
	size_t n;
	dbuf *out;
} fmt_job;

static void fmt_task(void *arg, size_t i)
{
	fmt_job *j = arg;
	const de_container *c = j->v[i].c;
	if (c->driver && !de_driver_find(c->driver))
		de_warn("%s: storage driver \"%s\" is not supported: no upper_dir",
		        c->config_path, c->driver);
	else if (c->snapshot_error)
		de_warn("%s", c->snapshot_error);
	de_jw *w = xmalloc(sizeof *w);
	de_jw_init_element(w, &j->out[i]);
	container_write(w, j->v[i].d, c);
	de_jw_end_element(w);
	free(w);
}

/* Oldest start first, as de.py; containers whose start time is unknown come
 * first, and equal times fall back to the ID so the order is stable. Each
 * time is parsed once, before the sort. */
typedef struct by_start {
	de_rooted r;
	de_time t;
	bool valid;
} by_start;

static int cmp_start(const void *pa, const void *pb)
{
	const by_start *a = pa, *b = pb;
	if (a->valid != b->valid)
		return a->valid ? 1 : -1;
	int r = a->valid ? de_time_cmp(&a->t, &b->t) : 0;
	return r ? r : strcmp(a->r.c->id, b->r.c->id);
}

static void sort_by_start(de_rooted *all, size_t n)
{
	by_start *v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].r = all[i];
		v[i].valid = all[i].c->started_at && de_time_parse(all[i].c->started_at, &v[i].t) == 0;
	}
	qsort(v, n, sizeof *v, cmp_start);
	for (size_t i = 0; i < n; i++)
		all[i] = v[i].r;
	free(v);
}

/* Every container of every data root, sorted together; pods' sandboxes
 * only with --all. */
static int list_containers(const de_opts *o, bool only_running, const strvec *filter, bool all)
{
	de_host h;
	de_containerd_note_unknown_states(true);   /* the list shows states */
	de_docker_load_how(DE_LOAD_RECORD);        /* and reads no more than the model */
	int rc = de_host_load(o, &h);
	if (rc == DE_EXIT_OK) {
		if (h.n > 1)
			sort_by_start(h.all, h.n);
		/* streamed: thousands of containers are never one tree; each
		 * chunk's objects formatted on every core, written in order */
		static de_jw w;
		de_jw_init(&w, stdout);
		de_jw_open_array(&w);
		fmt_job j = {.v = xcalloc(FMT_CHUNK, sizeof *j.v), .out = xcalloc(FMT_CHUNK, sizeof *j.out)};
		for (size_t i = 0; i < h.n;) {
			j.n = 0;
			for (; i < h.n && j.n < FMT_CHUNK; i++) {
				const de_container *c = h.all[i].c;
				if ((only_running && !c->running) || filtered(c->image_name, filter) ||
				    (!all && c->pod && !strcmp(c->pod->kind, "sandbox")))
					continue;
				j.v[j.n++] = h.all[i];
			}
			de_pool_run(j.n, fmt_task, &j);
			for (size_t k = 0; k < j.n; k++) {
				de_jw_element(&w, j.out[k].p, j.out[k].len);
				db_free(&j.out[k]);
			}
		}
		free(j.v);
		free(j.out);
		de_jw_close(&w);
		if (de_jw_finish(&w) < 0) {
			de_error("cannot write the output");
			rc = DE_EXIT_ERROR;
		}
	}
	de_host_free(&h);
	return rc;
}

/* With --image: where on the disk image the runtime's file system is
 * (what fsstat/mmls would say of it). */
static json_t *volume_json(const de_opts *o)
{
	const de_src_vol *sv = o->image_vol;
	json_t *v = json_object();
	json_object_set_new(v, "image", de_json_str(sv->image));
	json_object_set_new(v, "image_format", json_string(o->image->disks[sv->v->disk < o->image->ndisks ? sv->v->disk : 0]->format));
	json_object_set_new(v, "name", de_json_str(sv->v->name));
	json_object_set_new(v, "scheme", json_string(sv->v->scheme));
	json_object_set_new(v, "offset", json_integer((json_int_t)sv->v->offset));
	json_object_set_new(v, "length", json_integer((json_int_t)sv->v->length));
	json_object_set_new(v, "file_system", json_string(sv->fs_type));
	if (sv->v->label)
		json_object_set_new(v, "label", de_json_str(sv->v->label));
	if (sv->dirty)
		json_object_set_new(v, "journal_not_replayed", json_true());
	return v;
}

static int list_runtimes(const de_opts *o)
{
	de_found_list fl;
	de_err e;
	if (!o->host_root) {
		de_error("list runtimes needs --root HOST_ROOT (where the imaged host's / is) or --image IMAGE");
		return DE_EXIT_USAGE;
	}
	if (de_discover(o->host_root, &fl, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < fl.n; i++) {
		json_t *j = json_object();
		json_object_set_new(j, "runtime", json_string(fl.v[i].runtime));
		json_object_set_new(j, "path", de_json_str(fl.v[i].path));
		char *by = xasprintf("%s: %s", fl.v[i].how, fl.v[i].what);
		json_object_set_new(j, "found_by", de_json_str(by));
		free(by);
		if (o->image_vol)
			json_object_set_new(j, "volume", volume_json(o));
		json_array_append_new(arr, j);
	}
	for (size_t i = 0; i < fl.denied.n; i++)
		de_warn("permission denied: %s: not searched for container runtimes' data (%s)",
		        fl.denied.v[i], DE_HINT_PERMISSION);
	int rc = de_emit_json(arr);
	json_decref(arr);
	de_found_list_free(&fl);
	return rc;
}

/* -F applies to repositories too: a repository whose name's first component
 * is listed is dropped from each file's "Repositories". */
static void filter_repositories(json_t *files, const strvec *filter)
{
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f) {
		json_t *repos = json_object_get(f, "Repositories");
		if (!json_is_object(repos))
			continue;
		const char *name;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(repos, tmp, name, v) {
			if (filtered(name, filter))
				json_object_del(repos, name);
		}
	}
}

/* Every Docker root's repositories files (a host without Docker has none). */
static int list_repositories(const de_opts *o, const strvec *filter)
{
	de_roots roots;
	if (de_find_roots(o, &roots) < 0)
		return DE_EXIT_ERROR;
	json_t *arr = json_array();
	size_t docker = 0, failed = 0;
	for (size_t r = 0; r < roots.n; r++) {
		de_docker d;
		de_err e;
		json_t *one;
		if (roots.v[r].kind != DE_ROOT_DOCKER)
			continue;
		docker++;
		if (de_open_root(o, &roots.v[r], &d) < 0) {
			failed++;
			continue;
		}
		if (de_docker_repositories(&d, &one, &e) < 0) {
			de_error("%s", e.msg);
			failed++;
		} else {
			json_array_extend(arr, one);
			json_decref(one);
		}
		de_docker_close(&d);
	}
	int rc = DE_EXIT_OK;
	if (docker && failed == docker && roots.n == 1) {
		rc = DE_EXIT_ERROR;   /* the one root asked for */
	} else {
		if (failed)
			de_warn("%zu of the %zu Docker data roots found could not be read (see above)",
			        failed, docker);
		filter_repositories(arr, filter);
		rc = de_emit_json(arr);
	}
	json_decref(arr);
	de_roots_free(&roots);
	return rc;
}

static json_t *strv_json(const strvec *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, de_json_str(s->v[i]));
	return a;
}

/* The container `docker commit` made the image from: its ID, and its name
 * when it is in the evidence; null for an image that was not committed. */
static json_t *committed_json(const de_image *im)
{
	if (!im->committed_from)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "container_id", de_json_str(im->committed_from));
	json_object_set_new(o, "name", de_json_str(im->committed_from_name));
	return o;
}

/* Newest first, as `docker images`. */
static int cmp_created(const void *pa, const void *pb)
{
	const de_image *a = pa, *b = pb;
	de_time ta, tb;
	bool va = a->created && de_time_parse(a->created, &ta) == 0;
	bool vb = b->created && de_time_parse(b->created, &tb) == 0;
	if (va != vb)
		return va ? -1 : 1;
	int r = va ? de_time_cmp(&tb, &ta) : 0;
	if (!r)
		r = strcmp(a->id, b->id);
	/* the same image in two runtimes or namespaces: a stable order */
	if (!r)
		r = strcmp(a->runtime ? a->runtime : "", b->runtime ? b->runtime : "");
	return r ? r : strcmp(a->namespace ? a->namespace : "", b->namespace ? b->namespace : "");
}

/* One row per tag (one "<none>" row when untagged), as `docker images`;
 * RUNTIME and NAMESPACE first ("-" where there is none), so that the same
 * image in two containerd namespaces, or in Docker's and Podman's stores,
 * is two told-apart rows. */
static void image_rows(de_table *t, const de_image *im)
{
	char size[32], when[64] = "?";
	de_time tm;
	de_human_size(im->size, size, sizeof size);
	if (im->created && de_time_parse(im->created, &tm) == 0)
		snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon, tm.day,
		         tm.hour, tm.min, tm.sec);
	char *users = sv_join(&im->containers, ",");
	size_t rows = im->tags.n ? im->tags.n : 1;
	for (size_t r = 0; r < rows; r++) {
		const char *tag = im->tags.n ? im->tags.v[r] : NULL;
		const char *colon = tag ? strrchr(tag, ':') : NULL;
		tbl_add(t, im->runtime ? im->runtime : "-");
		tbl_add(t, im->namespace ? im->namespace : "-");
		if (tag && colon) {
			char *repo = xstrndup(tag, (size_t)(colon - tag));
			tbl_add(t, repo);
			free(repo);
			tbl_add(t, colon + 1);
		} else {
			tbl_add(t, "<none>");
			tbl_add(t, "<none>");
		}
		tbl_addf(t, "%.12s", im->id + 7);
		tbl_add(t, when);
		tbl_add(t, size);
		tbl_addf(t, "%zu", im->layers);
		tbl_add(t, users);
	}
	free(users);
}

/* Which containerd namespaces' images Docker roots list as theirs: the
 * containerd root's path (as discovery gives it) and the namespace. */
typedef struct claims {
	strvec paths, ns;
} claims;

/* The images of one root (Docker's image store and its containerd store,
 * a containerd root's namespaces, or containers/storage), appended to il;
 * -1 when the root is unreadable. A Docker root adds to cm the containerd
 * namespaces it lists; a containerd root leaves them out. */
static int root_images(const de_opts *o, const de_rootref *r, de_image_list *il, claims *cm)
{
	de_docker d;
	de_err e;
	de_container_list cl = {0};
	de_image_list one = {0};
	if (de_open_root(o, r, &d) < 0)
		return -1;
	de_docker_load_how(DE_LOAD_RECORD);   /* the containers' images and names only */
	int rc = de_load_root(&d, r, &cl, &e);
	strvec skip = {0};
	if (rc == 0 && r->kind == DE_ROOT_DOCKER) {
		rc = de_docker_images(&d, &cl, &one, &e);
		/* Docker's images in the host's containerd, once whichever
		 * Docker roots claim them */
		strvec mine = {0};
		const char *ns = de_docker_ctd_namespace(&d);
		de_docker_ctd_claims(&d, &cl, &mine);
		for (size_t i = 0; rc == 0 && i < mine.n; i++) {
			bool seen = false;
			for (size_t k = 0; k < cm->paths.n; k++)
				seen |= !strcmp(cm->paths.v[k], mine.v[i]) && !strcmp(cm->ns.v[k], ns);
			de_err ce;
			if (seen)
				continue;
			sv_push(&cm->paths, mine.v[i]);
			sv_push(&cm->ns, ns);
			if (de_docker_ctd_images(&d, mine.v[i], &cl, &one, &ce) < 0)
				de_warn("Docker's images in %s: %s", mine.v[i], ce.msg);
		}
		sv_free(&mine);
	} else if (rc == 0 && r->kind == DE_ROOT_CONTAINERD) {
		for (size_t i = 0; i < cm->paths.n; i++)
			if (!strcmp(cm->paths.v[i], r->path))
				sv_push(&skip, cm->ns.v[i]);
		rc = de_containerd_images_except(&d, r->skip_moby, &skip, &cl, &one, &e);
	} else if (rc == 0 && r->kind == DE_ROOT_STORAGE)
		rc = de_storage_images(&d, &cl, &one, &e);
	if (rc < 0)
		de_error("%s", e.msg);
	/* Docker's images (its own store, and its containerd store's
	 * namespace moby) are Docker's; a containerd root's are containerd's;
	 * containers/storage names its engine itself. */
	for (size_t i = 0; i < one.n; i++)
		if (!one.v[i].runtime)
			one.v[i].runtime = xstrdup(r->kind == DE_ROOT_CONTAINERD ? "containerd" : "docker");
	if (one.n) {
		il->v = xrealloc(il->v, (il->n + one.n) * sizeof *il->v);
		memcpy(il->v + il->n, one.v, one.n * sizeof *one.v);
		il->n += one.n;
	}
	free(one.v);
	sv_free(&skip);
	de_container_list_free(&cl);
	de_docker_close(&d);
	return rc;
}

static int list_images(const de_opts *o, bool table, bool all)
{
	de_roots roots;
	de_image_list il = {0};
	if (de_find_roots(o, &roots) < 0)
		return DE_EXIT_ERROR;
	int rc = DE_EXIT_OK;
	size_t failed = 0;
	claims cm = {0};
	/* Docker roots first: the containerd namespaces they claim */
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < roots.n; r++)
			if ((roots.v[r].kind == DE_ROOT_DOCKER) == (pass == 0))
				failed += root_images(o, &roots.v[r], &il, &cm) < 0;
	sv_free(&cm.paths);
	sv_free(&cm.ns);
	if (failed == roots.n) {
		rc = DE_EXIT_ERROR;   /* not one root could be read */
		goto out;
	}
	if (failed)   /* the others are answered; the answer is incomplete */
		de_warn("%zu of the %zu data roots found could not be read (see above)", failed,
		        roots.n);
	if (il.n > 1)
		qsort(il.v, il.n, sizeof *il.v, cmp_created);
	static const char *const hdr[] = {"RUNTIME", "NAMESPACE", "REPOSITORY", "TAG", "IMAGE ID",
	                                  "CREATED", "SIZE", "LAYERS", "CONTAINERS"};
	de_table t;
	tbl_init(&t, sizeof hdr / sizeof *hdr, hdr);
	json_t *arr = json_array();
	for (size_t i = 0; i < il.n; i++) {
		const de_image *im = &il.v[i];
		if (im->intermediate && !all)
			continue;
		if (table) {
			image_rows(&t, im);
			continue;
		}
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(im->id));
		json_object_set_new(j, "repo_tags", strv_json(&im->tags));
		json_object_set_new(j, "repo_digests", strv_json(&im->digests));
		json_object_set_new(j, "created", de_json_time(im->created, im->config_path));
		json_object_set_new(j, "size", im->size >= 0 ? json_integer(im->size) : json_null());
		json_object_set_new(j, "layers", json_integer((json_int_t)im->layers));
		json_object_set_new(j, "containers", strv_json(&im->containers));
		json_object_set_new(j, "dangling", json_boolean(im->dangling));
		if (all)
			json_object_set_new(j, "intermediate", json_boolean(im->intermediate));
		json_object_set_new(j, "parent", de_json_str(im->parent));
		json_object_set_new(j, "committed_from", committed_json(im));
		json_object_set_new(j, "path", de_json_str(im->config_path));
		if (im->namespace)
			json_object_set_new(j, "namespace", de_json_str(im->namespace));
		json_object_set_new(j, "runtime", de_json_str(im->runtime));
		json_array_append_new(arr, j);
	}
	if (table && tbl_print(&t, stdout) < 0)
		rc = DE_EXIT_ERROR;
	else if (!table)
		rc = de_emit_json(arr);
	json_decref(arr);
	tbl_free(&t);
out:
	de_image_list_free(&il);
	de_roots_free(&roots);
	return rc;
}

/* The local volumes of one root (Docker's volumes/, or containers/storage's,
 * where Podman keeps its named volumes the same way), appended to vl. */
static int root_volumes(const de_opts *o, const de_rootref *r, de_volume_list *vl)
{
	de_docker d;
	de_err e;
	de_container_list cl = {0};
	de_volume_list one = {0};
	if (de_open_root(o, r, &d) < 0)
		return -1;
	de_docker_load_how(DE_LOAD_RECORD);   /* the containers' mounts and names only */
	int rc = de_load_root(&d, r, &cl, &e);
	if (rc == 0)
		rc = de_docker_volumes(&d, &cl, &one, &e);
	if (rc < 0)
		de_error("%s", e.msg);
	if (one.n) {
		vl->v = xrealloc(vl->v, (vl->n + one.n) * sizeof *vl->v);
		memcpy(vl->v + vl->n, one.v, one.n * sizeof *one.v);
		vl->n += one.n;
	}
	free(one.v);
	de_container_list_free(&cl);
	de_docker_close(&d);
	return rc;
}

static int list_volumes(const de_opts *o, bool table)
{
	de_roots roots;
	de_volume_list vl = {0};
	if (de_find_roots(o, &roots) < 0)
		return DE_EXIT_ERROR;
	int rc = DE_EXIT_OK;
	size_t asked = 0, failed = 0;
	for (size_t r = 0; r < roots.n; r++)
		if (roots.v[r].kind != DE_ROOT_CONTAINERD)   /* containerd keeps no volumes */
			asked++, failed += root_volumes(o, &roots.v[r], &vl) < 0;
	if (asked && failed == asked && roots.n == 1) {
		rc = DE_EXIT_ERROR;   /* the one root asked for */
		goto out;
	}
	if (failed)
		de_warn("%zu of the %zu data roots found could not be read (see above)", failed, asked);
	static const char *const hdr[] = {"NAME", "DRIVER", "SIZE", "CONTAINERS", "PATH"};
	de_table t;
	tbl_init(&t, 5, hdr);
	json_t *arr = json_array();
	for (size_t i = 0; i < vl.n; i++) {
		const de_volume *v = &vl.v[i];
		char size[32], *users = sv_join(&v->containers, ",");
		de_human_size((int64_t)v->size, size, sizeof size);
		tbl_add(&t, v->name);
		tbl_add(&t, "local");
		tbl_add(&t, size);
		tbl_add(&t, users);
		tbl_add(&t, v->path);
		free(users);
		json_t *j = json_object();
		json_object_set_new(j, "name", de_json_str(v->name));
		json_object_set_new(j, "driver", json_string("local"));
		json_object_set_new(j, "path", de_json_str(v->path));
		json_object_set_new(j, "size", json_integer((json_int_t)v->size));
		json_object_set_new(j, "containers", strv_json(&v->containers));
		json_array_append_new(arr, j);
	}
	if (table)
		rc = tbl_print(&t, stdout) < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
	else
		rc = de_emit_json(arr);
	json_decref(arr);
	tbl_free(&t);
out:
	de_volume_list_free(&vl);
	de_roots_free(&roots);
	return rc;
}

int cmd_list(const de_args *a, const de_opts *o)
{
	const char *what = a->cmd->name;   /* the table checked it */
	const strvec *filter = &a->v[DE_K_FILTER].list;
	bool table = de_is(a, DE_K_FORMAT, "table"), all = de_flag(a, DE_K_ALL);
	const char *out = de_str(a, DE_K_OUTPUT);
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	if (!strcmp(what, "all_containers"))
		return list_containers(o, false, filter, all);
	if (!strcmp(what, "running_containers"))
		return list_containers(o, true, filter, all);
	if (!strcmp(what, "pods"))
		return de_list_pods(o, table);
	if (!strcmp(what, "repositories"))
		return list_repositories(o, filter);
	if (!strcmp(what, "runtimes"))
		return list_runtimes(o);
	if (!strcmp(what, "images"))
		return list_images(o, table, all);
	return list_volumes(o, table);
}
