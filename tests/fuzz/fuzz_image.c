/* Fuzz target: the image store, as `de history` and `de list images`
 * read it (runtime/docker_v2.c, docker_v1.c, docker_images.c, docker.c).
 * The input's parts (cut at NUL bytes, see fuzz_fs.h):
 *   0  an image config (history, rootfs.diff_ids, container_config), as
 *      image A's imagedb file (v2) and as graph/A/json (v1)
 *   1  a repositories file: image/overlay2/repositories.json (v2) and
 *      repositories-aufs (v1)
 *   2  a second image config, image B, A's parent in both layouts
 *   3  a layer size file (layerdb/.../size, graph/A/layersize)
 * Each part is written where the readers look in a fresh data root, one
 * per layout, and the readers run on it. */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/docker.h"
#include "util/digest.h"
#include "util/jget.h"

#define IMG_A "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"
#define IMG_B "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define DB "image/overlay2/imagedb/"

#include "fuzz_fs.h"

/* A size file for each layer of the config, so sizes are read too. */
static void write_sizes(const char *root, fz_part cfg, fz_part size)
{
	json_t *j = json_loadb((const char *)cfg.p, cfg.n, 0, NULL);
	json_t *diffs = jget_arr(jget_obj(j, "rootfs"), "diff_ids");
	char *chain = NULL;
	for (size_t i = 0; diffs && i < json_array_size(diffs) && i < 8; i++) {
		const char *diff = json_string_value(json_array_get(diffs, i));
		if (!diff)
			break;
		char *next = de_chain_id(chain, diff);
		free(chain);
		chain = next;
		if (strncmp(chain, "sha256:", 7) || strlen(chain) != 71 || strchr(chain + 7, '/'))
			continue;
		char rel[256];
		snprintf(rel, sizeof rel, "image/overlay2/layerdb/sha256/%s/size", chain + 7);
		fz_write_part(root, rel, size);
	}
	free(chain);
	json_decref(j);
}

static void run(const char *root, de_layout layout)
{
	de_docker d;
	de_err e;
	if (de_docker_open(&d, root, "", &e) < 0)
		return;
	de_container c = {.id = "c", .driver = "overlay2", .layout = layout,
	                  .image_id = layout == DE_LAYOUT_V2 ? "sha256:" IMG_A : IMG_A};
	de_history h = {0};
	de_docker_history(&d, &c, &h, &e);
	de_history_free(&h);
	de_image_list il = {0};
	if (de_docker_images(&d, NULL, &il, &e) == 0)
		de_image_list_free(&il);
	json_t *repos;
	if (de_docker_repositories(&d, &repos, &e) == 0)
		json_decref(repos);
	de_docker_close(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[4];
	fz_split(data, size, p, 4);
	char *root = fz_mkroot();
	char v2[4096], v1[4096];
	fz_join(v2, sizeof v2, root, "v2");
	fz_join(v1, sizeof v1, root, "v1");

	fz_write_part(v2, DB "content/sha256/" IMG_A, p[0]);
	fz_write_part(v2, DB "content/sha256/" IMG_B, p[2]);
	fz_write_str(v2, DB "metadata/sha256/" IMG_A "/parent", "sha256:" IMG_B);
	fz_write_part(v2, "image/overlay2/repositories.json", p[1]);
	write_sizes(v2, p[0], p[3]);
	write_sizes(v2, p[2], p[3]);
	run(v2, DE_LAYOUT_V2);

	fz_write_part(v1, "graph/" IMG_A "/json", p[0]);
	fz_write_part(v1, "graph/" IMG_A "/layersize", p[3]);
	fz_write_part(v1, "graph/" IMG_B "/json", p[2]);
	fz_write_part(v1, "repositories-aufs", p[1]);
	run(v1, DE_LAYOUT_V1);

	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
