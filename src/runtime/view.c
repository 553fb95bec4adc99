/*
 * view.c — see view.h.
 */
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../driver/driver.h"
#include "../util/evh.h"
#include "../util/pathutil.h"
#include "docker_ctd.h"

/* A walk holds one directory descriptor per layer per depth: let it have
 * all the descriptors the system allows us. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static un_rules rules_of(de_whiteouts w)
{
	return w == DE_WHITEOUTS_OVERLAY ? UN_RULES_OVERLAY
	     : w == DE_WHITEOUTS_AUFS ? UN_RULES_AUFS : UN_RULES_NONE;
}

/* A file a mount shows (rel below r): the directory holding it, open, and
 * *leaf, its name there. The file must be there, and not be a symlink: the
 * kernel would mount what the link names, which is not followed here. */
static int open_file_source(const ev_root *r, const char *rel, const char *shown, char **leaf,
                            de_err *e)
{
	while (*rel == '/')
		rel++;
	const char *slash = strrchr(rel, '/');
	char *dir = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup(".");
	const char *name = slash ? slash + 1 : rel;
	struct stat st;
	int fd = -1;
	if (!de_safe_name(name)) {
		de_fail(e, "%s: not a file name", shown);
	} else if ((fd = ev_open(r, dir, O_DIRECTORY, e)) < 0) {
		/* (e names the directory) */
	} else if (evh_fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		de_fail_errno(e, errno, "%s", shown);
	} else if (S_ISLNK(st.st_mode)) {
		de_fail(e, "%s: a symbolic link (not followed)", shown);
	} else {
		*leaf = xstrdup(name);
		free(dir);
		return fd;
	}
	if (fd >= 0)
		evh_close(fd);
	free(dir);
	return -1;
}

/* What a volume or bind mount shows, opened read-only: its directory
 * (*leaf NULL), or the directory holding the file it binds and *leaf, the
 * file's name there (a bind of a file: kubelet's etc-hosts, `-v f:f`). */
static int open_mount_source(de_docker *d, const de_mount_point *m, char **leaf, de_err *e)
{
	*leaf = NULL;
	/* a local volume: its _data below the data root */
	char *rel = m->name && de_safe_name(m->name) && !strcmp(m->kind, "volume")
	          ? xasprintf("volumes/%s/_data", m->name) : NULL;
	int fd = -1;
	if (rel && ev_is_dir(&d->root, rel)) {
		fd = ev_open(&d->root, rel, O_DIRECTORY, e);
	} else if (m->host_source && m->host_source[0] == '/') {
		/* a bind (or a volume of another driver): its Source on the host */
		ev_root host;
		const char *hr = d->host_root && *d->host_root ? d->host_root : "/";
		if (ev_root_open(&host, hr, e) == 0) {
			struct stat st;
			if (ev_stat(&host, m->host_source + 1, &st, NULL) == 0 && !S_ISDIR(st.st_mode))
				fd = open_file_source(&host, m->host_source, m->source, leaf, e);
			else
				fd = ev_open(&host, m->host_source + 1, O_DIRECTORY, e);
			ev_root_close(&host);
		}
	} else {
		de_fail(e, "no source recorded");
	}
	free(rel);
	return fd;
}

/* The path the kernel should be given for what fd (and leaf in it) is:
 * where it really is, every link already resolved inside the evidence. A
 * virtual descriptor's (a file system in an image: evh.h) is IMAGE@VOL:/x,
 * which `de mount --image` turns into the path of its own mount. */
static char *path_of(int fd, const char *leaf, const char *shown, de_err *e)
{
	char *real = evh_path(fd);
	if (!real || (real[0] != '/' && !evh_is_virtual(fd))) {
		free(real);
		de_fail(e, "%s: where it is cannot be told (/proc/self/fd)", shown);
		return NULL;
	}
	char *p = !leaf ? xstrdup(real) : xasprintf("%s/%s", strcmp(real, "/") ? real : "", leaf);
	free(real);
	return p;
}

/* An engine file's source, below the data root or the host root (resolved
 * as the host would resolve it, never out of it): see open_file_source. */
static int open_engine_source(const de_docker *d, const de_engine_file *m, char **leaf,
                              de_err *e)
{
	if (m->data_rel)
		return open_file_source(&d->root, m->data_rel, m->source, leaf, e);
	ev_root host;
	const char *hr = d->host_root && *d->host_root ? d->host_root : "/";
	if (ev_root_open_host(&host, hr, e) < 0)
		return -1;
	int fd = open_file_source(&host, m->host_source, m->source, leaf, e);
	ev_root_close(&host);
	return fd;
}

/* Where a mount point is in the view: runc and crun resolve a mount's
 * destination inside the container's root, following its symlinks
 * (securejoin, openat2 RESOLVE_IN_ROOT). NULL when it is not in the view. */
static char *mount_point(un_fs *fs, const char *dest)
{
	de_err e;
	return un_realpath(fs, dest, &e);
}

/* The files the engine mounted, over the layers and the other mounts, as
 * the engine mounts them after the user's (Docker's setupMounts). */
static void add_engine_files(de_docker *d, const de_container *c, un_fs *fs)
{
	for (size_t i = 0; i < c->nengine_files; i++) {
		const de_engine_file *m = &c->engine_files[i];
		de_err me;
		char *leaf = NULL;
		int fd = open_engine_source(d, m, &leaf, &me);
		if (fd < 0) {
			/* Podman and CRI-O keep them in their run root: a tmpfs */
			bool run = !m->data_rel && (!strncmp(m->host_source, "/run/", 5) ||
			                            !strncmp(m->host_source, "/var/run/", 9));
			de_warn("%s (mounted by the engine): %s%s; the layers' entry is shown",
			        m->destination, me.msg,
			        run ? " (/run is a tmpfs: gone once the host stopped)" : "");
			continue;
		}
		char *at = mount_point(fs, m->destination);
		char *label = xasprintf("engine:%s", m->name);
		un_add_file_mount(fs, at ? at : m->destination, fd, leaf, label);
		free(label);
		free(at);
		free(leaf);
	}
}

int de_view_engine_bind(de_docker *d, de_view *v, const de_engine_file *m, char **src,
                        char **dst, de_err *e)
{
	char *leaf = NULL;
	int fd = open_engine_source(d, m, &leaf, e);
	if (fd < 0)
		return -1;
	char *path = path_of(fd, leaf, m->source, e);
	evh_close(fd);
	free(leaf);
	char *at = path ? mount_point(v->fs, m->destination) : NULL;
	if (path && !at)
		de_fail(e, "%s: no mount point in the layers", m->destination);
	if (!path || !at) {
		free(path);
		free(at);
		return -1;
	}
	*src = path;
	*dst = at;
	return 0;
}

char *de_view_source_path(de_docker *d, const de_mount_point *m, de_err *e)
{
	char *leaf = NULL;
	int fd = open_mount_source(d, m, &leaf, e);
	if (fd < 0)
		return NULL;
	char *path = path_of(fd, leaf, m->source, e);
	evh_close(fd);
	free(leaf);
	return path;
}

int de_view_present(const de_container *c, de_err *e)
{
	if (c->pod && c->pod->removed)
		return de_fail(e, "container %s was removed: its files, image and record went with its "
		               "runtime's records and snapshot; its pod log directory is all that is "
		               "left of it (de logs)", c->name);
	return 0;
}

int de_view_open(de_docker *d, const de_container *c, bool with_mounts, de_view *out,
                 de_err *e)
{
	memset(out, 0, sizeof *out);
	if (de_view_present(c, e) < 0)
		return -1;
	const de_driver *drv = de_driver_find(c->driver);
	if (!drv)
		return de_fail(e, "%s: storage driver \"%s\" is not supported (aufs, overlay, "
		               "overlay2, vfs)", c->config_path, c->driver ? c->driver : "(none)");
	/* the data root, or the containerd root holding a Docker 29 container's
	 * snapshot (docker_ctd.h) */
	const ev_root *lroot = de_layers_root(d, c, e);
	if (!lroot || drv->layer_stack(lroot, c, &out->stack, e) < 0) {
		de_layer_stack_free(&out->stack);
		return -1;
	}
	raise_fd_limit();
	out->fs = un_new(rules_of(out->stack.whiteouts));
	for (size_t i = 0; i < out->stack.n; i++) {
		int fd = ev_open(lroot, out->stack.v[i].dir, O_DIRECTORY, e);
		if (fd < 0) {
			de_fail_wrap(e, "%s: layer %s", drv->name, out->stack.v[i].id);
			de_view_close(out);
			return -1;
		}
		char *label = xasprintf("%s:%s", out->stack.v[i].role, out->stack.v[i].id);
		un_add_layer(out->fs, fd, label);
		free(label);
	}
	/* (from a disk image, de reads the xattrs itself: no privilege needed) */
	if (out->stack.whiteouts == DE_WHITEOUTS_OVERLAY && geteuid() != 0 && !evh_is_virtual(lroot->fd))
		de_warn("not root: overlay's trusted.* xattrs cannot be read, so opaque directories "
		        "and xattr whiteouts are not seen: files deleted in the container may show");
	for (size_t i = 0; with_mounts && i < c->nmounts; i++) {
		const de_mount_point *m = &c->mounts[i];
		de_err me;
		char *leaf;
		int fd = open_mount_source(d, m, &leaf, &me);
		if (fd < 0) {
			de_warn("%s mount at %s (%s): not shown: %s", m->kind, m->destination,
			        m->source, me.msg);
			continue;
		}
		/* the kubelet mounts secret and projected volumes as tmpfs */
		if (m->host_source && (strstr(m->host_source, "/volumes/kubernetes.io~secret/") ||
		                       strstr(m->host_source, "/volumes/kubernetes.io~projected/")))
			de_note("%s: a kubelet secret or projected volume, a tmpfs: the files the "
			        "container saw there were in memory, not on disk", m->destination);
		char *label = xasprintf("%s:%s", m->kind, m->name && *m->name ? m->name : m->source);
		un_add_file_mount(out->fs, m->destination, fd, leaf ? leaf : ".", label);
		free(label);
		free(leaf);
	}
	if (with_mounts)
		add_engine_files(d, c, out->fs);
	return 0;
}

char *de_view_mount_point(de_view *v, const char *dest)
{
	return mount_point(v->fs, dest);
}

void de_view_close(de_view *v)
{
	un_free(v->fs);
	v->fs = NULL;
	de_layer_stack_free(&v->stack);
}
