/*
 * list.c — `de list running_containers | all_containers | repositories`.
 *
 * The container objects keep de.py's keys, in de.py's order, with de.py's
 * values (image_name … exposed_ports); what de.py lacked follows them.
 */
#include "builtin.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../driver/driver.h"
#include "../output/json_out.h"
#include "../output/table.h"
#include "../runtime/containerd.h"
#include "../runtime/discover.h"
#include "../runtime/storage.h"
#include "../util/pathutil.h"
#include "../util/pool.h"
#include "../util/timefmt.h"

static const char usage[] =
	"usage: de list {running_containers,all_containers,repositories} [-F REPO1,REPO2] [-o FILE]\n"
	"       de --root HOST_ROOT list runtimes\n"
	"       de list {images,volumes} [--format json|table] [--all] [-o FILE]";

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
	de_jw_key(w, "container_id");
	de_jw_str(w, c->id);
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
		char *full = de_path_join(d->root.path, up);
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

/* Every container of every data root, sorted together. */
static int list_containers(const de_opts *o, bool only_running, const strvec *filter)
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
				if ((only_running && !c->running) || filtered(c->image_name, filter))
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

static int list_runtimes(const de_opts *o)
{
	de_found_list fl;
	de_err e;
	if (!o->host_root) {
		de_error("list runtimes needs --root HOST_ROOT: where the imaged host's / is");
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

/* The images of one root (Docker's image store and its containerd store,
 * a containerd root's namespaces, or containers/storage), appended to il;
 * -1 when the root is unreadable. */
static int root_images(const de_opts *o, const de_rootref *r, de_image_list *il)
{
	de_docker d;
	de_err e;
	de_container_list cl = {0};
	de_image_list one = {0};
	if (de_open_root(o, r, &d) < 0)
		return -1;
	de_docker_load_how(DE_LOAD_RECORD);   /* the containers' images and names only */
	int rc = de_load_root(&d, r, &cl, &e);
	if (rc == 0 && r->kind == DE_ROOT_DOCKER)
		rc = de_docker_images(&d, &cl, &one, &e);
	else if (rc == 0 && r->kind == DE_ROOT_CONTAINERD)
		rc = de_containerd_images(&d, r->skip_moby, &cl, &one, &e);
	else if (rc == 0 && r->kind == DE_ROOT_STORAGE)
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
	for (size_t r = 0; r < roots.n; r++)
		failed += root_images(o, &roots.v[r], &il) < 0;
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

int cmd_list(int argc, char **argv, const de_opts *o)
{
	static const struct option longopts[] = {
		{"filter_repositories", required_argument, NULL, 'F'},
		{"filter", required_argument, NULL, 'F'},
		{"format", required_argument, NULL, 'f'},
		{"all", no_argument, NULL, 'a'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	strvec filter = {0};
	bool table = false, all = false;
	const char *out = NULL;
	int opt, rc;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "F:ao:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "table")) {
				sv_free(&filter);
				return de_usage_error(usage, "--format: \"%s\" is not a format (json, table)",
				                      optarg);
			}
			table = !strcmp(optarg, "table");
			break;
		case 'a':
			all = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'F': {
			char *copy = xstrdup(optarg), *save = NULL;
			for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
				sv_push(&filter, t);
			free(copy);
			break;
		}
		case 'h':
			puts(usage);
			sv_free(&filter);
			return DE_EXIT_OK;
		default:
			fprintf(stderr, "%s\n", usage);
			sv_free(&filter);
			return DE_EXIT_USAGE;
		}
	}
	const char *what = optind < argc ? argv[optind] : NULL;
	if (what && optind + 1 == argc && out && de_redirect_stdout(out) < 0) {
		sv_free(&filter);
		return DE_EXIT_ERROR;
	}
	if (!what || optind + 1 != argc) {
		fprintf(stderr, "%s\n", usage);
		rc = DE_EXIT_USAGE;
	} else if (!strcmp(what, "all_containers")) {
		rc = list_containers(o, false, &filter);
	} else if (!strcmp(what, "running_containers")) {
		rc = list_containers(o, true, &filter);
	} else if (!strcmp(what, "repositories")) {
		rc = list_repositories(o, &filter);
	} else if (!strcmp(what, "runtimes")) {
		rc = list_runtimes(o);
	} else if (!strcmp(what, "images")) {
		rc = list_images(o, table, all);
	} else if (!strcmp(what, "volumes")) {
		rc = list_volumes(o, table);
	} else {
		fprintf(stderr, "de list: unknown list \"%s\"\n%s\n", what, usage);
		rc = DE_EXIT_USAGE;
	}
	sv_free(&filter);
	return rc;
}
