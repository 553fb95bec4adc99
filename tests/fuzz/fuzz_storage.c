/* Fuzz target: containers/storage's records (runtime/storage.c), as
 * `de list` reads a Podman or CRI-O store. The input's parts (cut at NUL
 * bytes, see fuzz_fs.h):
 *   0  overlay-containers/containers.json
 *   1  overlay-images/images.json
 *   2  overlay-layers/layers.json
 *   3  libpod/bolt_state.db (bbolt: ctr/<id>/{config,state} JSON)
 * written in a fresh store, which is then loaded. */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/storage.h"

#include "fuzz_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[4];
	fz_split(data, size, p, 4);
	char *root = fz_mkroot();
	fz_write_part(root, "overlay-containers/containers.json", p[0]);
	fz_write_part(root, "overlay-images/images.json", p[1]);
	fz_write_part(root, "overlay-layers/layers.json", p[2]);
	if (p[3].n)
		fz_write_part(root, "libpod/bolt_state.db", p[3]);
	de_docker d;
	de_err e;
	if (de_storage_open(&d, root, NULL, &e) == 0) {
		de_container_list l = {0};
		de_storage_load_all(&d, &l, &e);
		de_container_list_free(&l);
		de_docker_close(&d);
	}
	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
