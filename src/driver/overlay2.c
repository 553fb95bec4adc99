/*
 * overlay2.c — the overlay2 driver.
 *
 *   overlay2/<id>/diff     the layer's files
 *   overlay2/<id>/link     its 26-character short name
 *   overlay2/<id>/lower    "l/SHORT:l/SHORT:…", the layers below, top first
 *                          (absent on a base layer)
 *   overlay2/l/SHORT       symlink to ../<id>/diff
 * The short names exist to keep the kernel's lowerdir= option under a page.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "../util/pathutil.h"

static char *upper_dir(const de_container *c)
{
	return c->mount_id ? xasprintf("overlay2/%s/diff", c->mount_id) : NULL;
}

/* Splits a `lower` file into its l/SHORT entries, each checked. */
static int read_lower(const ev_root *root, const char *mid, strvec *out, de_err *e)
{
	char *rel = xasprintf("overlay2/%s/lower", mid);
	char *txt = ev_read_token(root, rel, e);
	int rc = 0;
	if (!txt) {
		rc = de_fail_wrap(e, "overlay2");
		goto out;
	}
	char *save = NULL;
	for (char *tok = strtok_r(txt, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		if (strncmp(tok, "l/", 2) != 0 || !de_safe_name(tok + 2)) {
			rc = de_fail(e, "overlay2: %s/%s: entry \"%s\" is not l/<short name>",
			             root->path, rel, tok);
			goto out;
		}
		if (out->n >= DE_MAX_LAYERS) {
			rc = de_fail(e, "overlay2: %s/%s: more than %d layers", root->path, rel,
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

static int mount_commands(const ev_root *root, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "overlay2: container %s has no mount-id", c->id);
	strvec lowers = {0};
	if (read_lower(root, c->mount_id, &lowers, e) < 0) {
		sv_free(&lowers);
		return -1;
	}
	dbuf opt = {0};
	db_addf(&opt, "ro,lowerdir=%s/overlay2/%s/diff", root->path, c->mount_id);
	for (size_t i = 0; i < lowers.n; i++)
		db_addf(&opt, ":%s/overlay2/%s", root->path, lowers.v[i]);
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "-t");
	sv_push(cmd, "overlay");
	sv_push(cmd, "overlay");
	sv_push(cmd, "-o");
	sv_push_own(cmd, db_take(&opt));
	sv_push(cmd, mnt);
	sv_free(&lowers);
	return 0;
}

const de_driver de_driver_overlay2 = {
	.name = "overlay2",
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
};
