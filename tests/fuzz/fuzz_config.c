/* Fuzz target: a container's config files, as the Docker runtime reader
 * parses them (runtime/docker_config.c, docker_v2.c, docker_v1.c,
 * docker_inspect.c, discover.c). The input's parts (cut at NUL bytes, see
 * fuzz_fs.h):
 *   0  config.v2.json (v2) and config.json (v1)
 *   1  hostconfig.json
 *   2  etc/docker/daemon.json (data-root)
 *   3  the layer store's mount-id of the container
 * Part 0 is parsed from memory, then every part is written where the
 * readers look in a fresh host root, and the container is loaded and
 * inspected as `de inspect` does, in both layouts. */
#include <stdint.h>
#include <stdlib.h>

#include "model/evidence.h"
#include "runtime/discover.h"
#include "runtime/docker_internal.h"

#include "fuzz_fs.h"

#define CID "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0"

static void from_memory(fz_part cfg)
{
	de_err e;
	json_t *doc = ev_parse_json((const char *)cfg.p, cfg.n, "fuzz", &e);
	if (!doc)
		return;
	de_docker d = {.root = {.fd = -1, .path = "/nonexistent"}, .host_root = "/mnt/root"};
	de_container *c = calloc(1, sizeof *c);
	if (docker_parse_config(&d, doc, "fuzz", c, &e) == 0) {
		char buf[32];
		de_container_state(c, buf, sizeof buf);
	}
	de_container_free(c);
	json_decref(doc);
}

static void load_and_inspect(const char *data_root)
{
	de_docker d;
	de_err e;
	de_container_list l = {0};
	if (de_docker_open(&d, data_root, NULL, &e) < 0)
		return;
	if (de_docker_load_all(&d, &l, &e) == 0)
		for (size_t i = 0; i < l.n; i++) {
			json_t *j = de_docker_inspect(&d, l.v[i]);
			char *s = json_dumps(j, 0);
			free(s);
			json_decref(j);
		}
	de_container_list_free(&l);
	de_docker_close(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[4];
	fz_split(data, size, p, 4);
	from_memory(p[0]);

	char *root = fz_mkroot(), dr[4096];
	fz_join(dr, sizeof dr, root, "var/lib/docker");
	fz_write_part(dr, "containers/" CID "/config.v2.json", p[0]);
	fz_write_part(dr, "containers/" CID "/hostconfig.json", p[1]);
	fz_write_part(dr, "image/overlay2/layerdb/mounts/" CID "/mount-id", p[3]);
	fz_write_part(root, "etc/docker/daemon.json", p[2]);
	load_and_inspect(dr);

	/* v1: config.json beside a graph/ and no image/ */
	fz_join(dr, sizeof dr, root, "v1");
	fz_write_part(dr, "containers/" CID "/config.json", p[0]);
	fz_write_part(dr, "containers/" CID "/hostconfig.json", p[1]);
	fz_mkdir(dr, "graph");
	load_and_inspect(dr);

	de_found_list fl = {0};
	de_err e;
	if (de_discover(root, &fl, &e) == 0)
		de_found_list_free(&fl);

	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
