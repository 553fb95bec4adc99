/*
 * snapshotter.c — containerd's snapshotters, as drivers: overlayfs (layers
 * merged by overlay rules) and native (each snapshot a full copy).
 *
 *   io.containerd.snapshotter.v1.<name>/metadata.db (bbolt)
 *     v1/snapshots/<key>/{id (uvarint), kind, parent (key)}
 *   io.containerd.snapshotter.v1.overlayfs/snapshots/<id>/fs
 *   io.containerd.snapshotter.v1.native/snapshots/<id>
 * The container's snapshot is the top; its parents, by key, are the
 * image's layers. For Docker with the containerd image store, the root is
 * Docker's private containerd (c->snapshot_root below the data root) and a
 * snapshot "<id>-init" (Docker's init layer) lies between the two.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "../bbolt/bbolt.h"
#include "../util/pathutil.h"

/* rel below the container's containerd root. */
static char *at(const de_container *c, char *rel)
{
	if (!c->snapshot_root)
		return rel;
	char *p = de_path_join(c->snapshot_root, rel);
	free(rel);
	return p;
}

/* Directories of the snapshot chain from key, top first. */
static int chain(const ev_root *root, const de_container *c, const char *name, bool fs,
                 de_layer_stack *out, de_err *e)
{
	const char *key = c->snapshot_key;
	char *rel = at(c, xasprintf("io.containerd.snapshotter.v1.%s/metadata.db", name));
	bb_db *db;
	int rc = bb_open(&db, root, rel, e);
	free(rel);
	if (rc < 0)
		return de_fail_wrap(e, "%s snapshotter", name);
	char *cur = xstrdup(key);
	while (cur && rc == 0) {
		if (out->n >= DE_MAX_LAYERS) {
			rc = de_fail(e, "%s snapshotter: more than %d layers", name, DE_MAX_LAYERS);
			break;
		}
		bb_bucket s;
		const uint8_t *v;
		size_t vl;
		bool isb;
		if (bb_path(db, &s, e, "v1", "snapshots", cur, NULL) != 1 ||
		    bb_get(&s, "id", 2, &v, &vl, &isb, e) != 1 || isb) {
			rc = de_fail(e, "%s snapshotter: no snapshot \"%s\"", name, cur);
			break;
		}
		unsigned long long id = (unsigned long long)bb_uvarint(v, vl);
		char *dir = at(c, fs ? xasprintf("io.containerd.snapshotter.v1.%s/snapshots/%llu/fs", name, id)
		                     : xasprintf("io.containerd.snapshotter.v1.%s/snapshots/%llu", name, id));
		char idtxt[32];
		snprintf(idtxt, sizeof idtxt, "%llu", id);
		/* keys are "<ns>/<n>/<name>": Docker's init layer is "<id>-init" */
		de_layer_stack_add(out, dir, idtxt, de_layer_role(out->n, cur));
		free(cur);
		cur = NULL;
		if (bb_get(&s, "parent", 6, &v, &vl, &isb, e) == 1 && !isb)
			cur = xstrndup((const char *)v, vl);
	}
	free(cur);
	bb_close(db);
	return rc;
}

static int overlayfs_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                           de_err *e)
{
	if (!c->snapshot_key)
		return de_fail(e, "overlayfs snapshotter: container %s has no snapshot", c->id);
	out->whiteouts = DE_WHITEOUTS_OVERLAY;
	return chain(root, c, "overlayfs", true, out, e);
}

static char *overlayfs_upper(const de_container *c)
{
	return c->mount_id && c->snapshot_key
	     ? at(c, xasprintf("io.containerd.snapshotter.v1.overlayfs/snapshots/%s/fs", c->mount_id))
	     : NULL;
}

static int overlayfs_mount(const ev_root *root, const de_container *c, const char *mnt,
                           de_cmdlist *out, de_err *e)
{
	de_layer_stack st = {0};
	if (overlayfs_stack(root, c, &st, e) < 0) {
		de_layer_stack_free(&st);
		return -1;
	}
	/* every layer a real directory: the kernel follows links */
	for (size_t i = 0; i < st.n; i++)
		if (de_real_layer_dir(root, "overlayfs snapshotter", st.v[i].dir, e) < 0) {
			de_layer_stack_free(&st);
			return -1;
		}
	dbuf opt = {0};
	db_adds(&opt, "ro,lowerdir=");
	for (size_t i = 0; i < st.n; i++)
		db_addf(&opt, "%s%s/%s", i ? ":" : "", root->path, st.v[i].dir);
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "-t");
	sv_push(cmd, "overlay");
	sv_push(cmd, "overlay");
	sv_push(cmd, "-o");
	sv_push_own(cmd, db_take(&opt));
	sv_push(cmd, mnt);
	de_layer_stack_free(&st);
	return 0;
}

const de_driver de_driver_ctr_overlayfs = {
	.name = "overlayfs",
	.upper_dir = overlayfs_upper,
	.mount_commands = overlayfs_mount,
	.layer_stack = overlayfs_stack,
};

static int native_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                        de_err *e)
{
	if (!c->snapshot_key)
		return de_fail(e, "native snapshotter: container %s has no snapshot", c->id);
	int rc = chain(root, c, "native", false, out, e);
	out->whiteouts = DE_WHITEOUTS_NONE;   /* the top is the whole tree */
	return rc;
}

static char *native_upper(const de_container *c)
{
	return c->mount_id && c->snapshot_key
	     ? at(c, xasprintf("io.containerd.snapshotter.v1.native/snapshots/%s", c->mount_id))
	     : NULL;
}

/* A bind of the snapshot (each native snapshot is the whole tree). */
static int native_mount(const ev_root *root, const de_container *c, const char *mnt,
                        de_cmdlist *out, de_err *e)
{
	de_layer_stack st = {0};
	if (native_stack(root, c, &st, e) < 0 ||
	    de_real_layer_dir(root, "native snapshotter", st.v[0].dir, e) < 0) {
		de_layer_stack_free(&st);
		return -1;
	}
	strvec *cmd = de_cmdlist_add(out);
	sv_push(cmd, "/bin/mount");
	sv_push(cmd, "--bind");
	sv_push(cmd, "-o");
	sv_push(cmd, "ro");
	sv_pushf(cmd, "%s/%s", root->path, st.v[0].dir);
	sv_push(cmd, mnt);
	de_layer_stack_free(&st);
	return 0;
}

const de_driver de_driver_ctr_native = {
	.name = "native",
	.upper_dir = native_upper,
	.mount_commands = native_mount,
	.layer_stack = native_stack,
};
