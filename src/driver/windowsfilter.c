/*
 * windowsfilter.c — Docker on Windows' storage driver (Windows containers,
 * data root C:\ProgramData\docker). Its layers are not directories of the
 * container's files:
 *
 *   windowsfilter/<layer>/Files/, Hives/    an image layer's files and
 *                                           registry hives
 *   windowsfilter/<base>/blank-base.vhdx    the base layer's disk (dynamic
 *                                           VHDX, NTFS), and blank.vhdx
 *   windowsfilter/<layer>/layerchain.json   the layers below, top first, as
 *                                           Windows paths (["C:\\ProgramData
 *                                           \\docker\\windowsfilter\\<id>",…])
 *   windowsfilter/<id>/sandbox.vhdx         the container's writable layer:
 *                                           a differencing VHDX whose parent
 *                                           is the base layer's blank-base.vhdx
 *   windowsfilter/<id>/layerchain.json      its image's layers, top first
 * On Windows the mount ID is the container ID (moby's layer store:
 * "windows has issues if container ID doesn't match mount ID").
 *
 * The container's own files are NTFS inside the sandbox: no kernel mount
 * command rebuilds them. As de.py did, the "mount command" is the one that
 * merges the sandbox over blank-base.vhdx (the last entry of layerchain.json,
 * the base layer) into a raw disk, <mount_id>.raw: `de merge-vhdx`, with
 * merge_vhdx.py's flags. The NTFS in it is for the disk-image layer to come;
 * until then the union view is refused with that reason.
 */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "../output/text.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/winpath.h"

#define NAME "windowsfilter"
/* layerchain.json lists a few layers' paths */
#define MAX_CHAIN_JSON (1u << 20)

static char *upper_dir(const de_container *c)
{
	return c->mount_id ? xasprintf(NAME "/%s/sandbox.vhdx", c->mount_id) : NULL;
}

/* The base layer: the last entry of the container's layerchain.json. */
static char *base_layer(const ev_root *root, const de_container *c, de_err *e)
{
	char *rel = xasprintf(NAME "/%s/layerchain.json", c->mount_id);
	json_t *j = ev_read_json(root, rel, MAX_CHAIN_JSON, e);
	char *id = NULL;
	if (!j) {
		de_fail_wrap(e, NAME);
	} else if (!json_is_array(j) || !json_array_size(j) ||
	           !json_is_string(json_array_get(j, json_array_size(j) - 1))) {
		de_fail(e, NAME ": %s/%s: not a JSON array of the layers' paths", root->path, rel);
	} else {
		const char *last = json_string_value(json_array_get(j, json_array_size(j) - 1));
		const char *b = de_win_basename(last);
		if (!de_safe_name(b) || strchr(b, '\\')) {
			dbuf shown = {0};   /* escaped: it may hold a terminal escape */
			de_escape(&shown, last);
			de_fail(e, NAME ": %s/%s: last layer \"%s\" does not end in a layer ID",
			        root->path, rel, shown.p ? shown.p : "");
			db_free(&shown);
		} else {
			id = xstrdup(b);
		}
	}
	json_decref(j);
	free(rel);
	return id;
}

static int mount_commands(const ev_root *root, const de_container *c, const char *mnt,
                          de_cmdlist *out, de_err *e)
{
	(void)mnt;   /* the raw disk is written where the command runs, as de.py did */
	if (!c->mount_id)
		return de_fail(e, NAME ": container %s has no mount-id", c->id);
	char *base = base_layer(root, c, e);
	if (!base)
		return -1;
	char *parent = xasprintf(NAME "/%s/blank-base.vhdx", base);
	char *child = xasprintf(NAME "/%s/sandbox.vhdx", c->mount_id);
	int rc = 0;
	if (!ev_is_file(root, child))
		rc = de_fail(e, NAME ": %s/%s: no such file: the container's sandbox is gone",
		             root->path, child);
	else if (!ev_is_file(root, parent))
		rc = de_fail(e, NAME ": %s/%s: no such file: the base layer's disk, the sandbox's "
		             "parent, is gone", root->path, parent);
	if (rc == 0) {
		strvec *cmd = de_cmdlist_add(out);
		sv_push(cmd, "de");
		sv_push(cmd, "merge-vhdx");
		sv_push(cmd, "--parent_disk");
		sv_push_own(cmd, de_path_join(root->path, parent));
		sv_push(cmd, "--child_disk");
		sv_push_own(cmd, de_path_join(root->path, child));
		sv_push(cmd, "--out_image");
		sv_pushf(cmd, "%s.raw", c->mount_id);
	}
	free(parent);
	free(child);
	free(base);
	return rc;
}

static int layer_stack(const ev_root *root, const de_container *c, de_layer_stack *out,
                       de_err *e)
{
	(void)root;
	(void)out;
	return de_fail(e, NAME ": container %s is a Windows container: its files are NTFS inside "
	               "the VHDX disk %s/%s/sandbox.vhdx (over its base layer's blank-base.vhdx), "
	               "which de cannot read as files yet; `de mount %.12s DIR --dry-run` prints "
	               "the command that merges it into a raw disk", c->id, NAME,
	               c->mount_id ? c->mount_id : "?", c->id);
}

const de_driver de_driver_windowsfilter = {
	.name = NAME,
	.upper_dir = upper_dir,
	.mount_commands = mount_commands,
	.layer_stack = layer_stack,
	.merge_only = true,
};
