/*
 * overlay2.c — the overlay2 driver, and the overlay driver of
 * containers/storage (Podman, CRI-O), which keeps layers the same way under
 * overlay/ instead of overlay2/:
 *
 *   <base>/<id>/diff     the layer's files
 *   <base>/<id>/link     its 26-character short name
 *   <base>/<id>/lower    "l/SHORT:l/SHORT:…", the layers below, top first
 *                        (absent on a base layer)
 *   <base>/l/SHORT       symlink to ../<id>/diff
 * The short names exist to keep the kernel's lowerdir= option under a page.
 */
#include "driver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "../util/utf8.h"
#include "../util/pathutil.h"

static char *upper_at(const char *base, const de_container *c)
{
	return c->mount_id ? xasprintf("%s/%s/diff", base, c->mount_id) : NULL;
}

/* Splits a `lower` file into its l/SHORT entries, each checked; a layer
 * without one is a base layer. */
static int read_lower(const char *base, const ev_root *root, const char *mid, strvec *out,
                      bool required, de_err *e)
{
	char *rel = xasprintf("%s/%s/lower", base, mid);
	int rc = 0;
	if (!required && !ev_is_file(root, rel)) {
		free(rel);
		return 0;
	}
	char *txt = ev_read_token(root, rel, e);
	if (!txt) {
		rc = de_fail_wrap(e, "%s", base);
		goto out;
	}
	char *save = NULL;
	for (char *tok = strtok_r(txt, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
		if (strncmp(tok, "l/", 2) != 0 || !de_safe_name(tok + 2)) {
			dbuf shown = {0};   /* escaped: it may hold a terminal escape */
			de_escape(&shown, tok);
			rc = de_fail(e, "%s: %s/%s: entry \"%s\" is not l/<short name>", base,
			             root->path, rel, shown.p);
			db_free(&shown);
			goto out;
		}
		if (out->n >= DE_MAX_LAYERS) {
			rc = de_fail(e, "%s: %s/%s: more than %d layers", base, root->path, rel,
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

/* <base>/l/SHORT is a symlink "../<id>/diff": read it, never follow it,
 * and accept only that form. */
static char *short_to_id(const char *base, const ev_root *root, const char *lentry, de_err *e)
{
	char *rel = xasprintf("%s/%s", base, lentry), buf[512];
	int fd = ev_open(root, rel, O_PATH | O_NOFOLLOW, e);
	char *id = NULL;
	if (fd >= 0) {
		ssize_t n = evh_readlinkat(fd, "", buf, sizeof buf - 1);
		evh_close(fd);
		if (n < 0) {
			de_fail(e, "%s: %s/%s: not a symlink", base, root->path, rel);
		} else {
			buf[n] = '\0';
			size_t len = (size_t)n;
			if (len > 8 && !strncmp(buf, "../", 3) && !strcmp(buf + len - 5, "/diff")) {
				id = xstrndup(buf + 3, len - 8);
				if (!de_safe_name(id)) {
					free(id);
					id = NULL;
				}
			}
			if (!id)
				de_fail(e, "%s: %s/%s: link \"%s\" is not ../<id>/diff", base, root->path,
				        rel, buf);
		}
	} else {
		de_fail_wrap(e, "%s", base);
	}
	free(rel);
	return id;
}

/* <base>, <base>/<id> and <base>/<id>/diff must each be a real directory
 * (de_real_layer_dir; hostile case "layerdir-symlink": overlay2/<id>/diff
 * -> /elsewhere). */
static int real_layer_dir(const char *base, const ev_root *root, const char *id, de_err *e)
{
	char *rel = xasprintf("%s/%s/diff", base, id);
	int rc = de_real_layer_dir(root, base, rel, e);
	free(rel);
	return rc;
}

static int mount_at(const char *base, const ev_root *root, const de_container *c,
                    const char *mnt, de_cmdlist *out, de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "%s: container %s has no mount-id", base, c->id);
	strvec lowers = {0};
	/* Docker's container layers always have a lower; a storage layer may not */
	if (read_lower(base, root, c->mount_id, &lowers, !strcmp(base, "overlay2"), e) < 0 ||
	    real_layer_dir(base, root, c->mount_id, e) < 0) {
		sv_free(&lowers);
		return -1;
	}
	/* Each l/SHORT must be the "../<id>/diff" link Docker makes, to a real
	 * layer directory: the kernel follows it (hostile case "lower-link-out":
	 * l/SHORT -> /elsewhere). */
	for (size_t i = 0; i < lowers.n; i++) {
		char *id = short_to_id(base, root, lowers.v[i], e);
		int bad = !id || real_layer_dir(base, root, id, e) < 0;
		free(id);
		if (bad) {
			sv_free(&lowers);
			return -1;
		}
	}
	dbuf opt = {0};
	db_addf(&opt, "ro,lowerdir=%s/%s/%s/diff", root->path, base, c->mount_id);
	for (size_t i = 0; i < lowers.n; i++)
		db_addf(&opt, ":%s/%s/%s", root->path, base, lowers.v[i]);
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

static int stack_at(const char *base, const ev_root *root, const de_container *c,
                    de_layer_stack *out, de_err *e)
{
	if (!c->mount_id)
		return de_fail(e, "%s: container %s has no mount-id", base, c->id);
	strvec lowers = {0};
	if (read_lower(base, root, c->mount_id, &lowers, !strcmp(base, "overlay2"), e) < 0) {
		sv_free(&lowers);
		return -1;
	}
	out->whiteouts = DE_WHITEOUTS_OVERLAY;
	de_layer_stack_add(out, xasprintf("%s/%s/diff", base, c->mount_id), c->mount_id,
	                   "container");
	int rc = 0;
	for (size_t i = 0; i < lowers.n; i++) {
		char *id = short_to_id(base, root, lowers.v[i], e);
		if (!id) {
			rc = -1;
			break;
		}
		de_layer_stack_add(out, xasprintf("%s/%s/diff", base, id), id,
		                   de_layer_role(i + 1, id));
		free(id);
	}
	sv_free(&lowers);
	return rc;
}

static char *upper_dir(const de_container *c) { return upper_at("overlay2", c); }
static int mount_commands(const ev_root *r, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	return mount_at("overlay2", r, c, mnt, out, e);
}
static int layer_stack(const ev_root *r, const de_container *c, de_layer_stack *out, de_err *e)
{
	return stack_at("overlay2", r, c, out, e);
}

const de_driver de_driver_overlay2 = {
	.name = "overlay2",
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
	.layer_stack = layer_stack,
};

static char *cs_upper_dir(const de_container *c) { return upper_at("overlay", c); }
static int cs_mount_commands(const ev_root *r, const de_container *c, const char *mnt,
                             de_cmdlist *out, de_err *e)
{
	return mount_at("overlay", r, c, mnt, out, e);
}
static int cs_layer_stack(const ev_root *r, const de_container *c, de_layer_stack *out,
                          de_err *e)
{
	return stack_at("overlay", r, c, out, e);
}

/* containers/storage's overlay driver; its own name, so as not to be taken
 * for Docker's first overlay driver. */
const de_driver de_driver_cs_overlay = {
	.name = "containers-storage-overlay",
	.upper_dir = cs_upper_dir,
	.mount_commands = cs_mount_commands,
	.layer_stack = cs_layer_stack,
};
