/*
 * docker_config.c — the fields that config.json (v1) and config.v2.json (v2)
 * share: identity, Config (with ContainerConfig overriding, as de.py did for
 * every key), State, command, log settings and mount points.
 */
#include "docker_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../util/jget.h"
#include "../util/jscan.h"
#include "engine_files.h"
#include "../util/pathutil.h"
#include "../util/winpath.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Config key, overridden by ContainerConfig's when that is set (Docker < 1.10
 * wrote the image's config under ContainerConfig in some versions). */
static const char *cfg_str(json_t *doc, const char *key)
{
	const char *v = jget_str(jget_obj(doc, "ContainerConfig"), key);
	return v && *v ? v : jget_str(jget_obj(doc, "Config"), key);
}

static json_t *cfg_obj(json_t *doc, const char *key)
{
	json_t *v = jget_nonempty_obj(jget_obj(doc, "ContainerConfig"), key);
	return v ? v : jget_nonempty_obj(jget_obj(doc, "Config"), key);
}

static void parse_state(json_t *doc, de_container *c)
{
	json_t *st = jget_obj(doc, "State");
	if (!st)
		return;
	c->has_state = true;
	c->running = jget_bool(st, "Running", false);
	c->paused = jget_bool(st, "Paused", false);
	c->restarting = jget_bool(st, "Restarting", false);
	c->dead = jget_bool(st, "Dead", false);
	c->removing = jget_bool(st, "RemovalInProgress", false);
	c->oom_killed = jget_bool(st, "OOMKilled", false);
	c->exit_code = jget_int(st, "ExitCode", 0);
	c->pid = jget_int(st, "Pid", 0);
	c->started_at = dup_or_null(jget_str(st, "StartedAt"));
	c->finished_at = dup_or_null(jget_str(st, "FinishedAt"));
}

static void add_mount(de_container *c, const char *kind, const char *name,
                      char *source, const char *host_source, const char *dest, bool rw)
{
	c->mounts = xrealloc(c->mounts, (c->nmounts + 1) * sizeof *c->mounts);
	de_mount_point *m = &c->mounts[c->nmounts++];
	m->kind = xstrdup(kind);
	m->name = dup_or_null(name);
	m->source = source;
	m->host_source = dup_or_null(host_source);
	m->destination = xstrdup(dest);
	m->rw = rw;
}

/* A host path written in the evidence, under the host root; a Windows one
 * (Docker on Windows: "C:\\data") as winpath.h places it, or as written
 * when it cannot be placed. */
static char *place(de_docker *d, const char *win_root, const char *p)
{
	if (de_win_is_path(p)) {
		char *w = de_win_place(p, win_root, d->root.path, d->host_root);
		return w ? w : xstrdup(p);
	}
	return de_host_path(d->host_root, p);
}

/* v2 MountPoints, keyed by destination. A `local` volume lives at
 * <data root>/volumes/<Name>/_data; a bind at its Source on the host.
 * Docker 1.10–1.12 wrote no Type: a named entry is a volume, else a bind. */
static void parse_mountpoints(de_docker *d, json_t *mps, const char *path, const char *win_root,
                              de_container *c)
{
	const char *key;
	json_t *mp;
	/* (json_object_foreach steps on from key: never reassign it.) */
	json_object_foreach(mps, key, mp) {
		const char *dest = key;
		const char *type = jget_str(mp, "Type");
		const char *name = jget_str(mp, "Name");
		const char *src = jget_str(mp, "Source");
		const char *drv = jget_str(mp, "Driver");
		const char *d2 = jget_str(mp, "Destination");
		bool rw = jget_bool(mp, "RW", true);
		if (d2 && *d2)
			dest = d2;
		if (!type || !*type)
			type = name && *name ? "volume" : "bind";
		if (!strcmp(type, "volume") && name && *name && (!drv || !*drv || !strcmp(drv, "local"))) {
			if (de_safe_name(name)) {
				char *rel = xasprintf("volumes/%s/_data", name);
				add_mount(c, type, name, de_path_join(d->root.path, rel), src, dest, rw);
				free(rel);
				continue;
			}
			de_warn("%s: volume name \"%s\" is not a plain name; using its Source",
			        path, name);
		}
		if (!src || !*src)
			continue;   /* tmpfs and the like: no data on disk */
		add_mount(c, type, name, place(d, win_root, src), src, dest, rw);
	}
}

/* v1 Volumes: {"/dest": "/var/lib/docker/vfs/dir/<id>"} and VolumesRW. */
static void parse_volumes_v1(de_docker *d, json_t *vols, json_t *rws, de_container *c)
{
	const char *dest;
	json_t *src;
	json_object_foreach(vols, dest, src) {
		if (!json_is_string(src) || !*json_string_value(src))
			continue;
		bool rw = jget_bool(rws, dest, true);
		add_mount(c, "volume", NULL, de_host_path(d->host_root, json_string_value(src)),
		          json_string_value(src), dest, rw);
	}
}

static int cmp_mount(const void *a, const void *b)
{
	return strcmp(((const de_mount_point *)a)->destination,
	              ((const de_mount_point *)b)->destination);
}

int docker_parse_config(de_docker *d, json_t *doc, const char *path, de_container *c, de_err *e)
{
	if (!json_is_object(doc))
		return de_fail(e, "%s: not a JSON object", path);
	const char *id = jget_str(doc, "ID");
	if (!id || !*id)
		return de_fail(e, "%s: no container ID", path);
	c->id = xstrdup(id);
	c->name = dup_or_null(jget_str(doc, "Name"));
	c->image_name = dup_or_null(cfg_str(doc, "Image"));
	c->image_id = dup_or_null(jget_str(doc, "Image"));
	c->hostname = dup_or_null(cfg_str(doc, "Hostname"));
	json_t *labels = cfg_obj(doc, "Labels"), *ports = cfg_obj(doc, "ExposedPorts");
	c->labels = labels ? json_incref(labels) : NULL;
	c->exposed_ports = ports ? json_incref(ports) : NULL;
	c->created = dup_or_null(jget_str(doc, "Created"));
	c->driver = dup_or_null(jget_str(doc, "Driver"));

	const char *p = jget_str(doc, "Path");
	char *args = jget_join_strings(jget_arr(doc, "Args"));
	if (p && *p)
		c->command = args ? xasprintf("%s %s", p, args) : xstrdup(p);
	free(args);

	parse_state(doc, c);
	if (!c->has_state)
		de_warn("%s: no State: the container's state is unknown", path);

	const char *lp = jget_str(doc, "LogPath");
	/* Docker on Windows writes its own paths: its data root is in LogPath */
	char *win_root = de_win_data_root(lp, c->id);
	if (lp && *lp)
		c->log_path = place(d, win_root, lp);

	json_t *mps = jget_obj(doc, "MountPoints");
	if (mps)
		parse_mountpoints(d, mps, path, win_root, c);
	free(win_root);
	json_t *vols = jget_obj(doc, "Volumes");
	if (vols)
		parse_volumes_v1(d, vols, jget_obj(doc, "VolumesRW"), c);
	if (c->nmounts > 1)
		qsort(c->mounts, c->nmounts, sizeof *c->mounts, cmp_mount);
	de_engine_files_docker(d, doc, c);

	c->config = json_incref(doc);
	return 0;
}

/* ---- the same, from the text (jscan), without a document tree ------------ */

/* The top-level members read; the last of duplicates counts (jansson). */
enum {
	K_ID, K_NAME, K_IMAGE, K_CREATED, K_DRIVER, K_PATH, K_ARGS, K_STATE, K_LOGPATH,
	K_MOUNTPOINTS, K_VOLUMES, K_VOLUMESRW, K_CONFIG, K_CCONFIG, K_RESOLV, K_HOSTNAMEP,
	K_HOSTS, K_N
};
static const char *const top_keys[K_N] = {
	"ID", "Name", "Image", "Created", "Driver", "Path", "Args", "State", "LogPath",
	"MountPoints", "Volumes", "VolumesRW", "Config", "ContainerConfig", "ResolvConfPath",
	"HostnamePath", "HostsPath",
};

/* Objects iterated here cost O(n²) when keys repeat (jscan.h): a config
 * with more mount points than this is read through jansson instead. */
#define FAST_MAX_MOUNTS 256

static char *js_dup(js_val v)
{
	return js_strdup(v, NULL);
}

static bool js_bool(js_val v, bool dflt)
{
	js_type t = js_type_of(v);
	return t == JS_TRUE ? true : t == JS_FALSE ? false : dflt;
}

/* cfg_str and cfg_obj of the text: ContainerConfig's value when set. */
static char *fast_cfg_str(const js_val *cc, const js_val *cf, size_t k)
{
	char *v = js_dup(cc[k]);
	if (v && *v)
		return v;
	free(v);
	return js_dup(cf[k]);
}

static json_t *fast_cfg_obj(const js_val *cc, const js_val *cf, size_t k)
{
	js_val v = js_type_of(cc[k]) == JS_OBJECT && js_count(cc[k]) ? cc[k]
	         : js_type_of(cf[k]) == JS_OBJECT && js_count(cf[k]) ? cf[k] : (js_val){0};
	if (!v.p)
		return NULL;
	/* a small object kept whole (labels, ports): jansson builds it */
	return json_loadb(v.p, v.n, JSON_ALLOW_NUL, NULL);
}

static void fast_state(js_val st, de_container *c)
{
	enum { S_RUN, S_PAUSED, S_RESTART, S_DEAD, S_REMOVING, S_OOM, S_EXIT, S_PID, S_START,
	       S_FINISH, S_N };
	static const char *const keys[S_N] = {
		"Running", "Paused", "Restarting", "Dead", "RemovalInProgress", "OOMKilled",
		"ExitCode", "Pid", "StartedAt", "FinishedAt",
	};
	if (js_type_of(st) != JS_OBJECT)
		return;
	js_val f[S_N];
	js_fields(st, keys, S_N, f);
	c->has_state = true;
	c->running = js_bool(f[S_RUN], false);
	c->paused = js_bool(f[S_PAUSED], false);
	c->restarting = js_bool(f[S_RESTART], false);
	c->dead = js_bool(f[S_DEAD], false);
	c->removing = js_bool(f[S_REMOVING], false);
	c->oom_killed = js_bool(f[S_OOM], false);
	if (!js_int(f[S_EXIT], &c->exit_code))
		c->exit_code = 0;
	if (!js_int(f[S_PID], &c->pid))
		c->pid = 0;
	c->started_at = js_dup(f[S_START]);
	c->finished_at = js_dup(f[S_FINISH]);
}

/* parse_mountpoints, member for member. */
static void fast_mountpoints(de_docker *d, js_val mps, const char *path, const char *win_root,
                             de_container *c)
{
	enum { M_TYPE, M_NAME, M_SOURCE, M_DRIVER, M_DEST, M_RW, M_N };
	static const char *const keys[M_N] = {"Type", "Name", "Source", "Driver", "Destination", "RW"};
	js_iter it;
	js_val k, mp;
	js_iter_init(&it, mps);
	while (js_next_member(&it, &k, &mp)) {
		js_val f[M_N];
		js_fields(mp, keys, M_N, f);
		char *key = js_dup(k), *type = js_dup(f[M_TYPE]), *name = js_dup(f[M_NAME]);
		char *src = js_dup(f[M_SOURCE]), *drv = js_dup(f[M_DRIVER]), *d2 = js_dup(f[M_DEST]);
		const char *dest = d2 && *d2 ? d2 : key;
		const char *kind = type && *type ? type : name && *name ? "volume" : "bind";
		bool rw = js_bool(f[M_RW], true);
		bool done = false;
		if (!strcmp(kind, "volume") && name && *name && (!drv || !*drv || !strcmp(drv, "local"))) {
			if (de_safe_name(name)) {
				char *rel = xasprintf("volumes/%s/_data", name);
				add_mount(c, kind, name, de_path_join(d->root.path, rel), src, dest, rw);
				free(rel);
				done = true;
			} else {
				de_warn("%s: volume name \"%s\" is not a plain name; using its Source",
				        path, name);
			}
		}
		if (!done && src && *src)
			add_mount(c, kind, name, place(d, win_root, src), src, dest, rw);
		free(key);
		free(type);
		free(name);
		free(src);
		free(drv);
		free(d2);
	}
}

/* parse_volumes_v1, member for member. */
static void fast_volumes_v1(de_docker *d, js_val vols, js_val rws, de_container *c)
{
	js_iter it;
	js_val k, v;
	js_iter_init(&it, vols);
	while (js_next_member(&it, &k, &v)) {
		char *src = js_dup(v);
		if (src && *src) {
			char *dest = js_dup(k);
			const char *const key[1] = {dest};
			js_val rw;
			js_fields(rws, key, 1, &rw);
			add_mount(c, "volume", NULL, de_host_path(d->host_root, src), src, dest,
			          js_bool(rw, true));
			free(dest);
		}
		free(src);
	}
}

int docker_parse_config_text(de_docker *d, const char *buf, size_t len, const char *path,
                             de_container *c, de_err *e)
{
	js_val doc, f[K_N];
	if (js_validate_fields(buf, len, &doc, top_keys, K_N, f) < 0)
		return 0;   /* jansson says why */
	if (js_type_of(doc) != JS_OBJECT)
		return de_fail(e, "%s: not a JSON object", path);
	if (js_count(f[K_MOUNTPOINTS]) > FAST_MAX_MOUNTS || js_count(f[K_VOLUMES]) > FAST_MAX_MOUNTS)
		return 0;
	c->id = js_dup(f[K_ID]);
	if (!c->id || !*c->id)
		return de_fail(e, "%s: no container ID", path);

	enum { C_IMAGE, C_HOSTNAME, C_LABELS, C_PORTS, C_N };
	static const char *const ckeys[C_N] = {"Image", "Hostname", "Labels", "ExposedPorts"};
	js_val cc[C_N], cf[C_N];
	js_fields(f[K_CCONFIG], ckeys, C_N, cc);
	js_fields(f[K_CONFIG], ckeys, C_N, cf);
	c->name = js_dup(f[K_NAME]);
	c->image_name = fast_cfg_str(cc, cf, C_IMAGE);
	c->image_id = js_dup(f[K_IMAGE]);
	c->hostname = fast_cfg_str(cc, cf, C_HOSTNAME);
	c->labels = fast_cfg_obj(cc, cf, C_LABELS);
	c->exposed_ports = fast_cfg_obj(cc, cf, C_PORTS);
	c->created = js_dup(f[K_CREATED]);
	c->driver = js_dup(f[K_DRIVER]);

	/* Path, and Args joined as jget_join_strings does */
	char *p = js_dup(f[K_PATH]);
	if (p && *p) {
		dbuf b = {0};
		db_adds(&b, p);
		js_iter it;
		js_val a;
		js_iter_init(&it, js_type_of(f[K_ARGS]) == JS_ARRAY ? f[K_ARGS] : (js_val){0});
		while (js_next_elem(&it, &a)) {
			db_adds(&b, " ");
			char *s = js_dup(a);
			if (s)
				db_adds(&b, s);
			free(s);
		}
		c->command = db_take(&b);
	}
	free(p);

	fast_state(f[K_STATE], c);
	if (!c->has_state)
		de_warn("%s: no State: the container's state is unknown", path);

	char *lp = js_dup(f[K_LOGPATH]);
	char *win_root = de_win_data_root(lp, c->id);
	if (lp && *lp)
		c->log_path = place(d, win_root, lp);
	free(lp);
	if (js_type_of(f[K_MOUNTPOINTS]) == JS_OBJECT)
		fast_mountpoints(d, f[K_MOUNTPOINTS], path, win_root, c);
	free(win_root);
	if (js_type_of(f[K_VOLUMES]) == JS_OBJECT)
		fast_volumes_v1(d, f[K_VOLUMES], js_type_of(f[K_VOLUMESRW]) == JS_OBJECT
		                ? f[K_VOLUMESRW] : (js_val){0}, c);
	if (c->nmounts > 1)
		qsort(c->mounts, c->nmounts, sizeof *c->mounts, cmp_mount);
	char *net[DE_DOCKER_NET_FILES] = {js_dup(f[K_RESOLV]), js_dup(f[K_HOSTNAMEP]),
	                                  js_dup(f[K_HOSTS])};
	de_engine_files_docker_paths(d, (const char *const *)net, c);
	for (size_t i = 0; i < DE_DOCKER_NET_FILES; i++)
		free(net[i]);
	return 1;
}
