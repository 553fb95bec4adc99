/*
 * discover.c — see discover.h.
 */
#include "discover.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "../util/evfs.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

static bool is_docker(const ev_root *r, const char *rel)
{
	char *c = de_path_join(rel, "containers"), *i = de_path_join(rel, "image"),
	     *g = de_path_join(rel, "graph");
	bool yes = ev_is_dir(r, c) || ev_is_dir(r, i) || ev_is_dir(r, g);
	free(c); free(i); free(g);
	return yes;
}

static bool is_containerd(const ev_root *r, const char *rel)
{
	char *m = de_path_join(rel, "io.containerd.metadata.v1.bolt/meta.db");
	bool yes = ev_is_file(r, m);
	free(m);
	return yes;
}

static bool is_storage(const ev_root *r, const char *rel)
{
	const char *marks[] = {"overlay-containers", "overlay-images", "libpod", "vfs-containers"};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		char *p = de_path_join(rel, marks[i]);
		bool yes = ev_is_dir(r, p);
		free(p);
		if (yes)
			return true;
	}
	return false;
}

/* Where rel really is: resolved inside the host root (its symlinks are the
 * image's), as a path on this machine. */
static char *resolved(const ev_root *r, const char *rel)
{
	int fd = ev_open(r, rel, O_PATH | O_DIRECTORY, NULL);
	char link[64], buf[4096];
	if (fd < 0)
		return de_path_join(r->path, rel);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return de_path_join(r->path, rel);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void add(de_found_list *l, const ev_root *r, const char *runtime, const char *rel,
                const char *how)
{
	while (*rel == '/')
		rel++;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].runtime, runtime) && !strcmp(l->v[i].rel, rel))
			return;   /* found twice: say it once */
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	de_found *f = &l->v[l->n++];
	f->runtime = xstrdup(runtime);
	f->rel = xstrdup(rel);
	f->path = resolved(r, rel);
	f->how = xstrdup(how);
}

/* "key = \"value\"" in a TOML file (containerd's config.toml, storage.conf):
 * the first such top-level or [storage] line, enough for root/graphroot. */
static char *toml_string(const ev_root *r, const char *rel, const char *key)
{
	size_t len;
	char *txt = ev_is_file(r, rel) ? ev_read(r, rel, EV_MAX_SMALL * 16, &len, NULL) : NULL;
	char *val = NULL, *save = NULL;
	for (char *line = txt ? strtok_r(txt, "\n", &save) : NULL; line && !val;
	     line = strtok_r(NULL, "\n", &save)) {
		while (isspace((unsigned char)*line))
			line++;
		size_t kl = strlen(key);
		if (strncmp(line, key, kl))
			continue;
		char *p = line + kl;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		char *q = *p == '"' ? strchr(p + 1, '"') : NULL;
		if (q && q > p + 1)
			val = xstrndup(p + 1, (size_t)(q - p - 1));
	}
	free(txt);
	return val;
}

/* home/<user>/<sub> and root/<sub> */
static void homes(const ev_root *r, const char *runtime, const char *sub,
                  bool (*is)(const ev_root *, const char *), de_found_list *out)
{
	char *rr = de_path_join("root", sub);
	if (is(r, rr))
		add(out, r, runtime, rr, "rootless, user root");
	free(rr);
	strvec users = {0};
	if (ev_is_dir(r, "home") && ev_list(r, "home", &users, NULL) == 0) {
		for (size_t i = 0; i < users.n; i++) {
			if (!de_safe_name(users.v[i]))
				continue;
			char *rel = xasprintf("home/%s/%s", users.v[i], sub);
			char *how = xasprintf("rootless, user %s", users.v[i]);
			if (is(r, rel))
				add(out, r, runtime, rel, how);
			free(rel);
			free(how);
		}
	}
	sv_free(&users);
}

static void docker_roots(const ev_root *r, de_found_list *out)
{
	if (is_docker(r, "var/lib/docker"))
		add(out, r, "docker", "var/lib/docker", "default");
	de_err e;
	json_t *cfg = ev_is_file(r, "etc/docker/daemon.json")
	            ? ev_read_json(r, "etc/docker/daemon.json", EV_MAX_SMALL * 16, &e) : NULL;
	const char *dr = jget_str(cfg, "data-root");
	if (!dr)
		dr = jget_str(cfg, "graph");
	if (dr && is_docker(r, dr))
		add(out, r, "docker", dr, "etc/docker/daemon.json data-root");
	json_decref(cfg);
	if (is_docker(r, "var/snap/docker/common/var-lib-docker"))
		add(out, r, "docker", "var/snap/docker/common/var-lib-docker", "snap");
	homes(r, "docker", ".local/share/docker", is_docker, out);
	/* userns-remap: a whole second tree in <data-root>/<uid>.<gid> */
	size_t n = out->n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(out->v[i].runtime, "docker"))
			continue;
		strvec subs = {0};
		char *base = xstrdup(out->v[i].rel);
		if (ev_list(r, base, &subs, NULL) == 0)
			for (size_t k = 0; k < subs.n; k++) {
				unsigned a, b;
				char end;
				if (sscanf(subs.v[k], "%u.%u%c", &a, &b, &end) != 2)
					continue;
				char *rel = de_path_join(base, subs.v[k]);
				if (is_docker(r, rel))
					add(out, r, "docker", rel, "userns-remap subroot");
				free(rel);
			}
		sv_free(&subs);
		free(base);
	}
}

int de_discover(const char *host_root, de_found_list *out, de_err *e)
{
	ev_root r;
	memset(out, 0, sizeof *out);
	if (ev_root_open_host(&r, host_root, e) < 0)
		return -1;
	docker_roots(&r, out);
	if (is_containerd(&r, "var/lib/containerd"))
		add(out, &r, "containerd", "var/lib/containerd", "default");
	char *croot = toml_string(&r, "etc/containerd/config.toml", "root");
	if (croot && is_containerd(&r, croot))
		add(out, &r, "containerd", croot, "etc/containerd/config.toml root");
	free(croot);
	size_t n = out->n;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(out->v[i].runtime, "docker"))
			continue;
		char *rel = de_path_join(out->v[i].rel, "containerd/daemon");
		if (is_containerd(&r, rel))
			add(out, &r, "containerd", rel, "Docker's own containerd");
		free(rel);
	}
	if (is_storage(&r, "var/lib/containers/storage"))
		add(out, &r, "containers-storage", "var/lib/containers/storage", "default");
	char *groot = toml_string(&r, "etc/containers/storage.conf", "graphroot");
	if (groot && is_storage(&r, groot))
		add(out, &r, "containers-storage", groot, "etc/containers/storage.conf graphroot");
	free(groot);
	homes(&r, "containers-storage", ".local/share/containers/storage", is_storage, out);
	ev_root_close(&r);
	return 0;
}

void de_found_list_free(de_found_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].runtime);
		free(l->v[i].rel);
		free(l->v[i].path);
		free(l->v[i].how);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
