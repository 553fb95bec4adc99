/*
 * view.c — see view.h.
 */
#include "view.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../driver/driver.h"
#include "../util/pathutil.h"

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

/* The directory a volume or bind mount shows, opened read-only. */
static int open_mount_source(de_docker *d, const de_mount_point *m, de_err *e)
{
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
			fd = ev_open(&host, m->host_source + 1, O_DIRECTORY, e);
			ev_root_close(&host);
		}
	} else {
		de_fail(e, "no source recorded");
	}
	free(rel);
	return fd;
}

char *de_view_source_path(de_docker *d, const de_mount_point *m, de_err *e)
{
	int fd = open_mount_source(d, m, e);
	if (fd < 0)
		return NULL;
	char link[64], buf[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || buf[0] != '/') {
		de_fail(e, "cannot tell where it is (/proc/self/fd)");
		return NULL;
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

int de_view_open(de_docker *d, const de_container *c, bool with_mounts, de_view *out,
                 de_err *e)
{
	memset(out, 0, sizeof *out);
	const de_driver *drv = de_driver_find(c->driver);
	if (!drv)
		return de_fail(e, "%s: storage driver \"%s\" is not supported (aufs, overlay, "
		               "overlay2, vfs)", c->config_path, c->driver ? c->driver : "(none)");
	if (drv->layer_stack(&d->root, c, &out->stack, e) < 0) {
		de_layer_stack_free(&out->stack);
		return -1;
	}
	raise_fd_limit();
	out->fs = un_new(rules_of(out->stack.whiteouts));
	for (size_t i = 0; i < out->stack.n; i++) {
		int fd = ev_open(&d->root, out->stack.v[i].dir, O_DIRECTORY, e);
		if (fd < 0) {
			de_fail_wrap(e, "%s: layer %s", drv->name, out->stack.v[i].id);
			de_view_close(out);
			return -1;
		}
		char *label = xasprintf("%s:%s", out->stack.v[i].role, out->stack.v[i].id);
		un_add_layer(out->fs, fd, label);
		free(label);
	}
	if (out->stack.whiteouts == DE_WHITEOUTS_OVERLAY && geteuid() != 0)
		de_warn("not root: overlay's trusted.* xattrs cannot be read, so opaque directories "
		        "and xattr whiteouts are not seen: files deleted in the container may show");
	for (size_t i = 0; with_mounts && i < c->nmounts; i++) {
		const de_mount_point *m = &c->mounts[i];
		de_err me;
		int fd = open_mount_source(d, m, &me);
		if (fd < 0) {
			de_warn("%s mount at %s (%s): not shown: %s", m->kind, m->destination,
			        m->source, me.msg);
			continue;
		}
		char *label = xasprintf("%s:%s", m->kind, m->name && *m->name ? m->name : m->source);
		un_add_mount(out->fs, m->destination, fd, label);
		free(label);
	}
	return 0;
}

void de_view_close(de_view *v)
{
	un_free(v->fs);
	v->fs = NULL;
	de_layer_stack_free(&v->stack);
}
