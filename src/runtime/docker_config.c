/*
 * docker_config.c — the fields that config.json (v1) and config.v2.json (v2)
 * share: identity, Config (with ContainerConfig overriding, as de.py did for
 * every key), State, command, log settings and mount points.
 */
#include "docker_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../util/jget.h"
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
