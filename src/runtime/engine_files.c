/*
 * engine_files.c — see engine_files.h.
 */
#include "engine_files.h"

#include <stdlib.h>
#include <string.h>

#include "../util/jget.h"
#include "../util/pathutil.h"

#define MAX_SPEC_MOUNTS 1024   /* mounts read from one spec (runc's own limit is none) */


/* A volume or bind of the container already at dest. */
static bool covered(const de_container *c, const char *dest)
{
	char *d = de_path_clean(dest);
	bool hit = false;
	for (size_t i = 0; i < c->nmounts && !hit; i++) {
		char *m = de_path_clean(c->mounts[i].destination);
		hit = !strcmp(m, d);
		free(m);
	}
	free(d);
	return hit;
}

static const char *leaf_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Takes data_rel. */
static void add(const de_docker *d, de_container *c, const char *dest, const char *src,
                char *data_rel)
{
	c->engine_files = xrealloc(c->engine_files, (c->nengine_files + 1) * sizeof *c->engine_files);
	c->engine_files[c->nengine_files++] = (de_engine_file){
		.name = xstrdup(leaf_of(src)),
		.host_source = xstrdup(src),
		.data_rel = data_rel,
		.source = data_rel ? de_path_join(d->root.path, data_rel)
		                   : de_host_path(d->host_root, src),
		.destination = de_path_clean(dest),
	};
}

/* A bind of the user's (a volume the orchestrator made, a host path). */
static void add_bind(const de_docker *d, de_container *c, const char *dest, const char *src,
                     json_t *m)
{
	bool ro = false;
	size_t i;
	json_t *o;
	json_array_foreach(jget_arr(m, "options"), i, o)
		ro |= json_is_string(o) && !strcmp(json_string_value(o), "ro");
	c->mounts = xrealloc(c->mounts, (c->nmounts + 1) * sizeof *c->mounts);
	c->mounts[c->nmounts++] = (de_mount_point){
		.kind = xstrdup("bind"),
		.source = de_host_path(d->host_root, src),
		.host_source = xstrdup(src),
		.destination = de_path_clean(dest),
		.rw = !ro,
	};
}

/* ---- Docker -------------------------------------------------------------- */

/* "<anything>/containers/<id>/<file>" -> "containers/<id>/<file>" below the
 * data root, where Docker writes a container's network files; else NULL. */
static char *docker_container_file(const char *p)
{
	const char *k = NULL;
	for (const char *s = p; (s = strstr(s, "/containers/")) != NULL; s++)
		k = s;
	if (!k)
		return NULL;
	const char *id = k + strlen("/containers/");
	const char *slash = strchr(id, '/');
	if (!slash)
		return NULL;
	char *idc = xstrndup(id, (size_t)(slash - id));
	char *rel = de_safe_name(idc) && de_safe_name(slash + 1)
	          ? xasprintf("containers/%s/%s", idc, slash + 1) : NULL;
	free(idc);
	return rel;
}

void de_engine_files_docker(const de_docker *d, json_t *doc, de_container *c)
{
	const char *paths[DE_DOCKER_NET_FILES];
	for (size_t i = 0; i < DE_DOCKER_NET_FILES; i++)
		paths[i] = jget_str(doc, de_docker_net_keys[i]);
	de_engine_files_docker_paths(d, paths, c);
}

const char *const de_docker_net_keys[DE_DOCKER_NET_FILES] = {
	"ResolvConfPath", "HostnamePath", "HostsPath",
};

void de_engine_files_docker_paths(const de_docker *d, const char *const paths[], de_container *c)
{
	/* container.NetworkMounts(), in its order */
	static const char *const dests[DE_DOCKER_NET_FILES] = {
		"/etc/resolv.conf", "/etc/hostname", "/etc/hosts",
	};
	for (size_t i = 0; i < DE_DOCKER_NET_FILES; i++) {
		const char *p = paths[i];
		if (!p || p[0] != '/' || covered(c, dests[i]))
			continue;   /* unset: the container never started */
		add(d, c, dests[i], p, docker_container_file(p));
	}
}

/* ---- OCI runtime specs ----------------------------------------------------- */

/* Where the data root was on the imaged host: its path below the host
 * root; NULL when that cannot be told (then every source is a host path). */
static char *data_root_host_path(const de_docker *d)
{
	const char *h = d->host_root ? d->host_root : "", *r = d->root.path;
	if (!*h || !strcmp(h, "/"))
		return r[0] == '/' ? de_path_clean(r) : NULL;
	size_t n = strlen(h);
	while (n > 1 && h[n - 1] == '/')
		n--;
	if (strncmp(r, h, n) || (r[n] && r[n] != '/'))
		return NULL;
	return de_path_clean(r + n);
}

static bool is_bind(json_t *m)
{
	const char *type = jget_str(m, "type");
	if (type && !strcmp(type, "bind"))
		return true;
	size_t i;
	json_t *o;
	json_array_foreach(jget_arr(m, "options"), i, o)
		if (json_is_string(o) && (!strcmp(json_string_value(o), "bind") ||
		                          !strcmp(json_string_value(o), "rbind")))
			return true;
	return false;
}

/* A source in the engine's own directories for the container. */
static bool engine_source(const char *src)
{
	const char *oc = strstr(src, "/overlay-containers/");
	return (oc && strstr(oc, "/userdata/")) ||
	       strstr(src, "/io.containerd.grpc.v1.cri/sandboxes/") ||
	       strstr(src, "/io.containerd.grpc.v1.cri/containers/");
}

void de_engine_files_oci(const de_docker *d, json_t *spec, de_container *c)
{
	char *hp = data_root_host_path(d);
	size_t hl = hp ? strlen(hp) : 0;
	size_t i;
	json_t *m;
	json_array_foreach(jget_arr(spec, "mounts"), i, m) {
		if (i >= MAX_SPEC_MOUNTS) {
			de_warn("container %s: its spec has more than %d mounts; the rest are not shown",
			        c->id, MAX_SPEC_MOUNTS);
			break;
		}
		const char *src = jget_str(m, "source"), *dst = jget_str(m, "destination");
		if (!src || src[0] != '/' || !dst || dst[0] != '/' || !is_bind(m) || covered(c, dst))
			continue;
		if (!dst[strspn(dst, "/")]) {   /* over the root itself: not a mount runc makes */
			de_warn("container %s: a bind mount at / in its spec is not shown", c->id);
			continue;
		}
		char *ns = de_path_clean(src);
		if (!engine_source(ns)) {   /* the user's, or the orchestrator's */
			add_bind(d, c, dst, ns, m);
			free(ns);
			continue;
		}
		if (!strcmp(leaf_of(ns), "shm")) {
			free(ns);
			continue;   /* a tmpfs the engine mounted there: nothing on disk */
		}
		char *rel = NULL;
		if (hp && strcmp(hp, "/") && !strncmp(ns, hp, hl) && ns[hl] == '/')
			rel = xstrdup(ns + hl + 1);
		add(d, c, dst, ns, rel);
		free(ns);
	}
	free(hp);
}
