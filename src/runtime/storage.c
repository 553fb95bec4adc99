/*
 * storage.c — see storage.h.
 */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#include <ctype.h>

#include "../bbolt/bbolt.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "engine_files.h"
#include "libpod_sql.h"

#define CONTAINERS "overlay-containers/containers.json"
#define VOLATILE "overlay-containers/volatile-containers.json"
#define LIBPOD "libpod/bolt_state.db"
#define MAX_CONTAINERS 100000   /* entries read from containers.json */

/* Podman's record of its containers: bolt_state.db or db.sql. */
typedef struct libpod_state {
	bb_db *bolt;
	bb_bucket ctrs;
	de_libpod_sql *sql;
} libpod_state;

int de_storage_open(de_docker *d, const char *root, const char *host_root, de_err *e)
{
	memset(d, 0, sizeof *d);
	d->kind = DE_ROOT_STORAGE;
	if (ev_root_open(&d->root, root, e) < 0)
		return -1;
	if (!ev_is_dir(&d->root, "overlay-containers") && !ev_is_dir(&d->root, "libpod") &&
	    !ev_is_dir(&d->root, "overlay-images")) {
		ev_root_close(&d->root);
		return de_fail(e, "%s is not a containers/storage root", root);
	}
	d->host_root = xstrdup(host_root ? host_root : "");
	d->layout = DE_LAYOUT_V2;
	return 0;
}

/* A JSON document stored as a bbolt value. */
static json_t *json_value(const bb_bucket *b, const char *key, const char *what)
{
	const uint8_t *v;
	size_t vl;
	bool isb;
	de_err e;
	if (bb_get(b, key, strlen(key), &v, &vl, &isb, NULL) != 1 || isb)
		return NULL;
	json_t *j = ev_parse_json((const char *)v, vl, what, &e);
	if (!j)
		de_warn("%s", e.msg);
	return j;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* libpod's ContainerState: 1 configured, 2 created, 3 running, 4 stopped,
 * 5 paused, 6 exited, 7 removing, 8 stopping. */
static void apply_state(de_container *c, json_t *st)
{
	int64_t s = jget_int(st, "state", 0);
	c->has_state = s > 0;
	c->running = s == 3 || s == 5 || s == 8;
	c->paused = s == 5;
	c->removing = s == 7;
	c->exit_code = jget_int(st, "exitCode", 0);
	c->pid = jget_int(st, "pid", 0);
	c->started_at = dup_or_null(jget_str(st, "startedTime"));
	c->finished_at = dup_or_null(jget_str(st, "finishedTime"));
}

static void apply_config(de_docker *d, de_container *c, json_t *cfg)
{
	c->command = jget_join_strings(jget_arr(cfg, "command"));
	/* libpod's own creation time (containers.json's is its storage's) */
	const char *ct = jget_str(cfg, "createdTime");
	if (ct) {
		free(c->created);
		c->created = xstrdup(ct);
	}
	json_t *labels = jget_nonempty_obj(cfg, "labels");
	if (labels)
		c->labels = json_incref(labels);
	const char *lp = jget_str(cfg, "logPath");
	if (lp && *lp)
		c->log_path = de_host_path(d->host_root, lp);
	const char *h = jget_str(cfg, "hostname");
	if (h && *h)
		c->hostname = xstrdup(h);
	size_t i;
	json_t *v;
	json_array_foreach(jget_arr(cfg, "namedVolumes"), i, v) {
		const char *name = jget_str(v, "volumeName"), *dest = jget_str(v, "dest");
		if (!name || !dest || !de_safe_name(name))
			continue;
		c->mounts = xrealloc(c->mounts, (c->nmounts + 1) * sizeof *c->mounts);
		de_mount_point *m = &c->mounts[c->nmounts++];
		char *rel = xasprintf("volumes/%s/_data", name);
		*m = (de_mount_point){.kind = xstrdup("volume"), .name = xstrdup(name),
		                      .source = de_path_join(d->root.path, rel),
		                      .destination = xstrdup(dest), .rw = true};
		free(rel);
	}
}

/* The spec libpod gave the runtime when it last started the container
 * (userdata/config.json; none for one never started): the files it
 * mounted into it. */
static void podman_engine_files(de_docker *d, de_container *c)
{
	char *rel = xasprintf("overlay-containers/%s/userdata/config.json", c->id);
	de_err e;
	json_t *spec = NULL;
	if (ev_is_file(&d->root, rel) && !(spec = ev_read_json(&d->root, rel, EV_MAX_JSON, &e)))
		de_warn("%s: the files Podman mounted into it are not shown", e.msg);
	if (spec)
		de_engine_files_oci(d, spec, c);
	json_decref(spec);
	free(rel);
}

/* containers.conf's [engine] database_backend ("sqlite", "boltdb"), from
 * the imaged host's etc/containers, else usr/share/containers; NULL unset. */
static char *db_backend(const de_docker *d)
{
	ev_root h;
	if (ev_root_open_host(&h, *d->host_root ? d->host_root : "/", NULL) < 0)
		return NULL;
	static const char *const files[] = {"etc/containers/containers.conf",
	                                    "usr/share/containers/containers.conf"};
	char *val = NULL;
	for (size_t f = 0; f < 2 && !val; f++) {
		size_t len;
		char *txt = ev_is_file(&h, files[f]) ? ev_read(&h, files[f], EV_MAX_SMALL * 16, &len, NULL)
		                                      : NULL;
		char *save = NULL;
		for (char *l = txt ? strtok_r(txt, "\n", &save) : NULL; l && !val; l = strtok_r(NULL, "\n", &save)) {
			while (isspace((unsigned char)*l))
				l++;
			if (strncmp(l, "database_backend", 16))
				continue;
			char *q1 = strchr(l, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
			if (q2 && strchr(l, '=') && strchr(l, '=') < q1)
				val = xstrndup(q1 + 1, (size_t)(q2 - q1 - 1));
		}
		free(txt);
	}
	ev_root_close(&h);
	return val;
}

/* The state database Podman itself would use (libpod/runtime.go
 * getDBState): containers.conf's database_backend when set; else
 * bolt_state.db when it exists (Podman 5 keeps using an existing one),
 * else db.sql (libpod/db.sql since Podman 5, db.sql in the graph root in
 * 4.5-4.7). The one not used, when both exist, is named in a note. */
static void open_state(de_docker *d, libpod_state *s)
{
	memset(s, 0, sizeof *s);
	const char *sql = ev_is_file(&d->root, "libpod/db.sql") ? "libpod/db.sql"
	                : ev_is_file(&d->root, "db.sql")        ? "db.sql" : NULL;
	bool bolt = ev_is_file(&d->root, LIBPOD);
	char *conf = db_backend(d);
	bool use_sql = sql && (conf ? !strcmp(conf, "sqlite") : !bolt);
	de_err e;
	if (use_sql) {
		if (de_libpod_sql_open(&s->sql, &d->root, sql, &e) < 0)
			de_warn("%s", e.msg);
		if (bolt)
			de_note("%s: Podman's state is read from %s (%s); %s/%s is not used", d->root.path,
			        sql, conf ? "containers.conf database_backend" : "no bolt_state.db",
			        d->root.path, LIBPOD);
	} else if (bolt) {
		if (bb_open(&s->bolt, &d->root, LIBPOD, &e) < 0 ||
		    bb_path(s->bolt, &s->ctrs, &e, "ctr", NULL) != 1) {
			bb_close(s->bolt);
			s->bolt = NULL;
		}
		if (sql)
			de_note("%s: Podman's state is read from %s (%s); %s/%s is not used", d->root.path,
			        LIBPOD, conf ? "containers.conf database_backend" : "Podman uses an existing one",
			        d->root.path, sql);
	}
	free(conf);
}

/* The libpod record of container id: true when it has one. */
static bool state_get(libpod_state *s, const char *id, json_t **cfg, json_t **st)
{
	*cfg = *st = NULL;
	bb_bucket cb;
	de_err e;
	if (s->bolt && bb_sub(&s->ctrs, id, &cb, NULL) == 1) {
		*cfg = json_value(&cb, "config", id);
		*st = json_value(&cb, "state", id);
		return true;
	}
	int rc = s->sql ? de_libpod_sql_container(s->sql, id, cfg, st, &e) : 0;
	if (rc < 0)
		de_warn("%s", e.msg);
	return rc == 1;
}

/* bb_fn: one network of ctr/<id>/networks, name -> options document. */
static int add_network(void *arg, const uint8_t *k, size_t klen, const uint8_t *v, size_t vlen,
                       bool is_bucket)
{
	if (is_bucket || !v || klen > 4096)
		return 0;
	char *name = xstrndup((const char *)k, klen);
	de_err e;
	json_t *opts = ev_parse_json((const char *)v, vlen, name, &e);
	if (!opts)
		de_warn("libpod network record of %s: %s", name, e.msg);
	if (json_object_set_new(arg, name, opts ? opts : json_null()) < 0)
		de_warn("libpod network record: a network name that is not UTF-8 left out");
	free(name);
	return 0;
}

/* libpod's records of the named volumes of a container's config, by name
 * (bolt's vol/<name>/config, db.sql's VolumeConfig): where each volume's
 * data is (mountPoint) and its driver, for `podman inspect`'s Mounts. */
static json_t *volume_records(libpod_state *s, json_t *cfg)
{
	json_t *out = json_object(), *v;
	size_t i;
	json_array_foreach(jget_arr(cfg, "namedVolumes"), i, v) {
		const char *name = jget_str(v, "volumeName");
		json_t *rec = NULL;
		bb_bucket vb;
		de_err e;
		if (!name || json_object_get(out, name))
			continue;
		if (s->bolt && bb_path(s->bolt, &vb, NULL, "vol", name, NULL) == 1)
			rec = json_value(&vb, "config", name);
		else if (s->sql && de_libpod_sql_volume(s->sql, name, &rec, &e) < 0)
			de_warn("%s", e.msg);
		if (rec)
			json_object_set_new(out, name, rec);
	}
	return out;
}

/* The networks a container joined, with their options (aliases, interface
 * name), by name: bolt's ctr/<id>/networks bucket (db.sql keeps them in
 * the config document, "newNetworks"). */
static json_t *network_records(libpod_state *s, const char *id)
{
	json_t *out = json_object();
	bb_bucket cb, nb;
	if (!s->bolt || bb_sub(&s->ctrs, id, &cb, NULL) != 1 || bb_sub(&cb, "networks", &nb, NULL) != 1)
		return out;
	de_err e;
	if (bb_foreach(&nb, add_network, out, &e) < 0)
		de_warn("%s", e.msg);
	return out;
}

/* One entry of containers.json or volatile-containers.json. */
static void load_entry(de_docker *d, libpod_state *ls, const char *file, json_t *ent, size_t i,
                       de_container_list *out)
{
	const char *id = jget_str(ent, "id");
	if (!id || !de_safe_name(id)) {
		de_warn("%s/%s: entry %zu has no usable id; skipped", d->root.path, file, i);
		return;
	}
	de_container *c = xcalloc(1, sizeof *c);
	c->id = xstrdup(id);
	c->config_path = xasprintf("%s/%s", d->root.path, file);
	c->layout = DE_LAYOUT_V2;
	json_t *names = jget_arr(ent, "names");
	c->name = dup_or_null(json_string_value(json_array_get(names, 0)));
	c->image_id = dup_or_null(jget_str(ent, "image"));
	c->created = dup_or_null(jget_str(ent, "created"));
	const char *layer = jget_str(ent, "layer");
	if (layer && de_safe_name(layer))
		c->mount_id = xstrdup(layer);
	c->driver = xstrdup("containers-storage-overlay");
	/* metadata: a JSON document in a string, written by the engine that
	 * made the container (Podman: image-name, image-id, name, created-at;
	 * CRI-O adds pod-name, pod-id, metadata-name, attempt…). */
	const char *meta = jget_str(ent, "metadata");
	de_err me;
	json_t *mj = meta && *meta ? ev_parse_json(meta, strlen(meta), c->config_path, &me) : NULL;
	if (meta && *meta && !mj)
		de_warn("%s (metadata of %s)", me.msg, id);
	c->image_name = dup_or_null(jget_str(mj, "image-name"));
	json_t *cfg, *st;
	if (jget_str(mj, "pod-id")) {
		c->runtime = xstrdup("cri-o");
		crio_fill(d, c, ent, mj);
	} else if (state_get(ls, id, &cfg, &st)) {
		c->runtime = xstrdup("podman");
		apply_config(d, c, cfg);
		apply_state(c, st);
		podman_engine_files(d, c);
		json_t *native = json_object();
		json_object_set_new(native, "config", cfg ? cfg : json_null());
		json_object_set_new(native, "state", st ? st : json_null());
		json_object_set_new(native, "volumes", volume_records(ls, cfg));
		json_object_set_new(native, "networks", network_records(ls, id));
		c->native = native;
	} else {
		/* Made by Podman without (or with a lost) libpod record, by
		 * Buildah, or by another user of containers/storage. */
		c->runtime = xstrdup("containers-storage");
		de_note("container %s: in %s/%s, but neither libpod nor CRI-O recorded it",
		        id, d->root.path, file);
	}
	json_decref(mj);
	if (!c->has_state && !strcmp(c->runtime, "podman"))
		de_note("container %s: libpod recorded no state", c->id);
	de_container_list_push(out, c);
}

/* containers.json, then volatile-containers.json (containers/storage keeps
 * the containers made "volatile" there: CRI-O's all, Podman's --rm ones). */
int de_storage_load_all(de_docker *d, de_container_list *out, de_err *e)
{
	static const char *const files[] = {CONTAINERS, VOLATILE};
	libpod_state ls;
	bool opened = false;
	int rc = 0;
	for (size_t f = 0; f < 2; f++) {
		if (!ev_is_file(&d->root, files[f]))
			continue;
		de_err fe;
		json_t *arr = ev_read_json(&d->root, files[f], EV_MAX_JSON, &fe);
		if (arr && (!json_is_array(arr) || json_array_size(arr) > MAX_CONTAINERS)) {
			de_fail(&fe, "%s/%s: not an array of at most %d containers", d->root.path,
			        files[f], MAX_CONTAINERS);
			json_decref(arr);
			arr = NULL;
		}
		if (!arr) {
			if (f == 0) {
				*e = fe;
				rc = -1;
			} else {
				de_warn("%s", fe.msg);
			}
			continue;
		}
		if (!opened)
			open_state(d, &ls);
		opened = true;
		size_t i;
		json_t *ent;
		json_array_foreach(arr, i, ent)
			load_entry(d, &ls, files[f], ent, i, out);
		json_decref(arr);
	}
	if (opened) {
		bb_close(ls.bolt);
		de_libpod_sql_close(ls.sql);
	}
	return rc;
}
