/*
 * driver.c — the table of storage drivers.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

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
