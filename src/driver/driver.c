/*
 * driver.c — the table of storage drivers.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const de_driver *const drivers[] = {
	&de_driver_aufs, &de_driver_overlay, &de_driver_overlay2, &de_driver_vfs,
	&de_driver_ctr_overlayfs, &de_driver_ctr_native, &de_driver_cs_overlay,
	&de_driver_windowsfilter,
};

const de_driver *de_driver_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof drivers / sizeof *drivers; i++)
		if (!strcmp(drivers[i]->name, name))
			return drivers[i];
	return NULL;
}

strvec *de_cmdlist_add(de_cmdlist *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	memset(&l->v[l->n], 0, sizeof l->v[l->n]);
	return &l->v[l->n++];
}

void de_cmdlist_bind_ro(de_cmdlist *l, char *src, char *dst)
{
	strvec *cmd = de_cmdlist_add(l);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "--bind");
	sv_push(cmd, "-o");
	sv_push(cmd, "ro");
	sv_push_own(cmd, src);
	sv_push_own(cmd, dst);
}

void de_cmdlist_free(de_cmdlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		sv_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const char *de_layer_role(size_t index, const char *id)
{
	size_t n = strlen(id);
	if (index == 0)
		return "container";
	return n > 5 && !strcmp(id + n - 5, "-init") ? "init" : "image";
}

int de_real_layer_dir(const ev_root *root, const char *driver, const char *rel, de_err *e)
{
	char *path = xstrdup(rel);
	int rc = 0;
	for (char *p = path; rc == 0; p++) {
		if (*p && *p != '/')
			continue;
		char end = *p;
		*p = '\0';
		struct stat st;
		if (*path && ev_lstat(root, path, &st, e) < 0)
			rc = de_fail_wrap(e, "%s: layer directory %s", driver, rel);
		else if (*path && !S_ISDIR(st.st_mode))
			rc = de_fail(e, "%s: %s/%s is not a directory (a symlink?): not given to the "
			             "kernel", driver, root->path, path);
		*p = end;
		if (!end)
			break;
	}
	free(path);
	return rc;
}
