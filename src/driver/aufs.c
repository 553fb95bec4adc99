/*
 * aufs.c — the aufs driver.
 *
 *   aufs/diff/<id>     a layer's files; whiteouts are .wh.<name> files
 *   aufs/layers/<id>   the ids of the layers below, one a line, top first
 *                      (a container's list starts with its <id>-init)
 *   aufs/mnt/<id>      where Docker mounted it
 * The kernel mount is one branch, then one remount per lower branch: the
 * aufs `br=` option alone would exceed a page with many layers.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "../util/pathutil.h"

static char *upper_dir(const de_container *c)
{
	return c->mount_id ? xasprintf("aufs/diff/%s", c->mount_id) : NULL;
}

static int read_layers(const ev_root *root, const char *mid, strvec *out, de_err *e)
{
	char *rel = xasprintf("aufs/layers/%s", mid);
	size_t len;
	char *txt = ev_read(root, rel, EV_MAX_SMALL, &len, e);
	int rc = 0;
	if (!txt) {
		free(rel);
		return de_fail_wrap(e, "aufs");
	}
	if (memchr(txt, '\0', len)) {
		rc = de_fail(e, "aufs: %s/%s: holds a NUL byte", root->path, rel);
		goto out;
	}
	char *save = NULL;
	for (char *tok = strtok_r(txt, "\r\n", &save); tok; tok = strtok_r(NULL, "\r\n", &save)) {
		if (!de_safe_name(tok)) {
			rc = de_fail(e, "aufs: %s/%s: \"%s\" is not a layer name", root->path, rel, tok);
			goto out;
		}
		if (out->n >= DE_MAX_LAYERS) {
			rc = de_fail(e, "aufs: %s/%s: more than %d layers", root->path, rel,
			             DE_MAX_LAYERS);
			goto out;
		}
		sv_push(out, tok);
	}
out:
	free(txt);
	free(rel);
	return rc;
}

static void add_aufs_cmd(de_cmdlist *out, char *opt, const char *mnt)
{
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "-t");
	sv_push(cmd, "aufs");
	sv_push(cmd, "-o");
	sv_push_own(cmd, opt);
	sv_push(cmd, "none");
	sv_push(cmd, mnt);
}

static int mount_commands(const ev_root *root, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "aufs: container %s has no mount-id", c->id);
	strvec layers = {0};
	if (read_layers(root, c->mount_id, &layers, e) < 0) {
		sv_free(&layers);
		return -1;
	}
	/* every branch a real directory: the kernel follows links */
	int rc = 0;
	for (size_t i = 0; i <= layers.n && rc == 0; i++) {
		char *rel = xasprintf("aufs/diff/%s", i ? layers.v[i - 1] : c->mount_id);
		rc = de_real_layer_dir(root, "aufs", rel, e);
		free(rel);
	}
	if (rc == 0) {
		add_aufs_cmd(out, xasprintf("ro,br=%s/aufs/diff/%s=ro+wh", root->path, c->mount_id),
		             mnt);
		for (size_t i = 0; i < layers.n; i++)
			add_aufs_cmd(out, xasprintf("ro,remount,append:%s/aufs/diff/%s=ro+wh", root->path,
			                            layers.v[i]), mnt);
	}
	sv_free(&layers);
	return rc;
}

static int layer_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                       de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "aufs: container %s has no mount-id", c->id);
	strvec layers = {0};
	if (read_layers(root, c->mount_id, &layers, e) < 0) {
		sv_free(&layers);
		return -1;
	}
	out->whiteouts = DE_WHITEOUTS_AUFS;
	de_layer_stack_add(out, xasprintf("aufs/diff/%s", c->mount_id), c->mount_id, "container");
	for (size_t i = 0; i < layers.n; i++)
		de_layer_stack_add(out, xasprintf("aufs/diff/%s", layers.v[i]), layers.v[i],
		                   de_layer_role(i + 1, layers.v[i]));
	sv_free(&layers);
	return 0;
}

const de_driver de_driver_aufs = {
	.name = "aufs",
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
	.layer_stack = layer_stack,
};
