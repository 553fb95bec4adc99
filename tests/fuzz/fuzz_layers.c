/* Fuzz target: the storage drivers' index files (the driver/ modules), read as
 * `de mount` and the union view read them: a container's layer stack and
 * its kernel mount commands, for every driver. The input's parts (cut at
 * NUL bytes, see fuzz_fs.h):
 *   0  overlay2/M/lower (and containers/storage's overlay/M/lower)
 *   1  aufs/layers/M
 *   2  overlay/M/lower-id
 *   3  the targets of the l/SHORT symlinks, one a line, in the order of
 *      part 0's l/SHORT entries (at most 8)
 *   4  the container's snapshot key (containerd snapshotters)
 *   5  the snapshotters' metadata.db (bbolt)
 * The container's mount ID is M. Every layer directory must stay below the
 * data root. */
#include <stdint.h>
#include <stdlib.h>

#include "driver/driver.h"
#include "util/pathutil.h"

#include "fuzz_fs.h"

/* overlay2/l/SHORT -> target, for each l/SHORT entry of the lower file. */
static void write_links(const char *root, const char *base, fz_part lower, fz_part targets)
{
	char *low = fz_strdup(lower), *tg = fz_strdup(targets);
	char *s1 = NULL, *s2 = NULL, *t = strtok_r(tg, "\n", &s2);
	unsigned n = 0;
	for (char *tok = strtok_r(low, ":\n", &s1); tok && n < 8; tok = strtok_r(NULL, ":\n", &s1)) {
		if (strncmp(tok, "l/", 2) || !de_safe_name(tok + 2) || strlen(tok) > 200)
			continue;
		char rel[300];
		snprintf(rel, sizeof rel, "%s/%s", base, tok);
		fz_symlink(root, rel, t ? t : "../M/diff");
		t = t ? strtok_r(NULL, "\n", &s2) : NULL;
		n++;
	}
	free(low);
	free(tg);
}

/* A layer's directory stays below the data root: relative, no "." or ".."
 * component, whatever the index files said. */
static void check_dir(const char *dir)
{
	if (!dir || dir[0] == '/' || !strcmp(dir, "..") || !strncmp(dir, "../", 3) ||
	    strstr(dir, "/../") || strstr(dir, "/./") || strstr(dir, "//") ||
	    (strlen(dir) >= 3 && !strcmp(dir + strlen(dir) - 3, "/..")))
		abort();
}

static void run(const ev_root *r, const de_driver *drv, const de_container *c)
{
	de_err e;
	de_layer_stack st = {0};
	drv->layer_stack(r, c, &st, &e);
	for (size_t i = 0; i < st.n; i++)
		check_dir(st.v[i].dir);
	de_layer_stack_free(&st);
	de_cmdlist cl = {0};
	drv->mount_commands(r, c, "/mnt/x", &cl, &e);
	de_cmdlist_free(&cl);
	free(drv->upper_dir(c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[6];
	fz_split(data, size, p, 6);
	char *root = fz_mkroot();
	fz_write_part(root, "overlay2/M/lower", p[0]);
	fz_write_part(root, "overlay/M/lower", p[0]);
	fz_write_part(root, "aufs/layers/M", p[1]);
	fz_write_part(root, "overlay/M/lower-id", p[2]);
	write_links(root, "overlay2", p[0], p[3]);
	write_links(root, "overlay", p[0], p[3]);
	fz_write_part(root, "io.containerd.snapshotter.v1.overlayfs/metadata.db", p[5]);
	fz_write_part(root, "io.containerd.snapshotter.v1.native/metadata.db", p[5]);

	ev_root r;
	de_err e;
	if (ev_root_open(&r, root, &e) == 0) {
		char *key = fz_strdup(p[4]);
		de_container c = {.id = "c", .mount_id = "M", .snapshot_key = key};
		const de_driver *drivers[] = {&de_driver_overlay2, &de_driver_cs_overlay,
		                              &de_driver_aufs, &de_driver_overlay, &de_driver_vfs,
		                              &de_driver_ctr_overlayfs, &de_driver_ctr_native};
		for (size_t i = 0; i < sizeof drivers / sizeof *drivers; i++)
			run(&r, drivers[i], &c);
		free(key);
		ev_root_close(&r);
	}
	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
