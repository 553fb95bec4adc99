/*
 * overlay.c — the overlay driver (Docker's first overlayfs driver).
 *
 *   overlay/<id>/root      an image layer: the whole tree of the image up to
 *                          it (hard links to the layer below)
 *   overlay/<id>/upper     a container's writable layer
 *   overlay/<id>/lower-id  the image layer below it: overlay/<lower-id>/root
 */
#include "driver.h"

#include <stdlib.h>

#include "../util/pathutil.h"

static char *upper_dir(const de_container *c)
{
	return c->mount_id ? xasprintf("overlay/%s/upper", c->mount_id) : NULL;
}

/* The image layer below the container: overlay/<mount-id>/lower-id. */
static char *read_lower_id(const ev_root *root, const de_container *c, de_err *e)
{
	if (!c->mount_id) {
		de_fail(e, "overlay: container %s has no mount-id", c->id);
		return NULL;
	}
	char *rel = xasprintf("overlay/%s/lower-id", c->mount_id);
	char *lower = ev_read_token(root, rel, e);
	free(rel);
	if (!lower) {
		de_fail_wrap(e, "overlay");
		return NULL;
	}
	if (!de_safe_name(lower)) {
		de_fail(e, "overlay: %s/overlay/%s/lower-id: \"%s\" is not a layer name",
		        root->path, c->mount_id, lower);
		free(lower);
		return NULL;
	}
	return lower;
}

/* Two layers: the container's upper/ over the image's whole tree in root/
 * (the -init files were copied into upper/ when the container was made). */
static int layer_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                       de_err *e)
{
	char *lower = read_lower_id(root, c, e);
	if (!lower)
		return -1;
	out->whiteouts = DE_WHITEOUTS_OVERLAY;
	de_layer_stack_add(out, xasprintf("overlay/%s/upper", c->mount_id), c->mount_id,
	                   "container");
	de_layer_stack_add(out, xasprintf("overlay/%s/root", lower), lower, "image");
	free(lower);
	return 0;
}

static int mount_commands(const ev_root *root, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	char *lower = read_lower_id(root, c, e);
	if (!lower)
		return -1;
	/* both real directories: the kernel follows links */
	char *up = xasprintf("overlay/%s/upper", c->mount_id), *img = xasprintf("overlay/%s/root", lower);
	int rc = de_real_layer_dir(root, "overlay", up, e) < 0 ||
	         de_real_layer_dir(root, "overlay", img, e) < 0 ? -1 : 0;
	free(up);
	free(img);
	if (rc < 0) {
		free(lower);
		return -1;
	}
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "-t");
	sv_push(cmd, "overlay");
	sv_push(cmd, "overlay");
	sv_push(cmd, "-o");
	sv_pushf(cmd, "ro,lowerdir=%s/overlay/%s/upper:%s/overlay/%s/root", root->path,
	         c->mount_id, root->path, lower);
	sv_push(cmd, mnt);
	free(lower);
	return 0;
}

const de_driver de_driver_overlay = {
	.name = "overlay",
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
	.layer_stack = layer_stack,
};
