/*
 * vfs.c — the vfs driver: every layer is a full copy of the tree below it
 * (vfs/dir/<id>), so the container's own directory is its whole root and
 * there are no whiteouts to apply. Mounting is a read-only bind.
 */
#include "driver.h"

#include <stdlib.h>

#include "../util/pathutil.h"

static char *upper_dir(const de_container *c)
{
	return c->mount_id ? xasprintf("vfs/dir/%s", c->mount_id) : NULL;
}

static int mount_commands(const ev_root *root, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "vfs: container %s has no mount-id", c->id);
	/* a real directory: the kernel's bind follows links */
	char *rel = xasprintf("vfs/dir/%s", c->mount_id);
	int rc = de_real_layer_dir(root, "vfs", rel, e);
	free(rel);
	if (rc < 0)
		return -1;
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "--bind");
	sv_push(cmd, "-o");
	sv_push(cmd, "ro");
	sv_pushf(cmd, "%s/vfs/dir/%s", root->path, c->mount_id);
	sv_push(cmd, mnt);
	return 0;
}

static int layer_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                       de_err *e)
{
	(void)root;
	if (!c->mount_id)
		return de_fail(e, "vfs: container %s has no mount-id", c->id);
	out->whiteouts = DE_WHITEOUTS_NONE;
	de_layer_stack_add(out, xasprintf("vfs/dir/%s", c->mount_id), c->mount_id, "container");
	return 0;
}

const de_driver de_driver_vfs = {
	.name = "vfs",
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
	.layer_stack = layer_stack,
};
