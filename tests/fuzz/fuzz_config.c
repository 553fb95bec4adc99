/* Fuzz target: the configuration files of a container and of its host,
 * as the readers parse them (runtime/docker_config.c, docker_v2.c,
 * docker_v1.c, docker_inspect.c, discover.c, output/owners.c). The input's
 * parts (cut at NUL bytes, see fuzz_fs.h):
 *   0  config.v2.json (v2) and config.json (v1)
 *   1  hostconfig.json
 *   2  etc/docker/daemon.json (data-root)
 *   3  the layer store's mount-id of the container
 *   4  etc/containerd/config.toml (root) and etc/containers/storage.conf
 *      (graphroot), where discovery looks for the runtimes' roots
 *   5  the container's /etc/passwd and /etc/group (owner names in exports)
 * The container is loaded and inspected, and its log files looked for as
 * its log driver keeps them (runtime/logsource.c).
 * Part 0 is parsed from memory, then every part is written where the
 * readers look in a fresh host root, and the container is loaded and
 * inspected as `de inspect` does, in both layouts. */
#include <stdint.h>
#include <stdlib.h>

#include "model/evidence.h"
#include "output/archive_out.h"
#include "runtime/discover.h"
#include "runtime/docker_internal.h"
#include "runtime/logsource.h"

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
			de_log_source ls;   /* the log driver, from hostconfig.json */
			if (de_log_source_open(&d, l.v[i], &ls, &e) == 0)
				de_log_source_close(&ls);
		}
	de_container_list_free(&l);
	de_docker_close(&d);
}

/* Owner names from a view whose one layer holds etc/passwd, etc/group. */
static void owners(const char *root)
{
	char dir[4096];
	fz_join(dir, sizeof dir, root, "layer");
	un_fs *fs = un_new(UN_RULES_NONE);
	un_add_layer(fs, open(dir, O_RDONLY | O_DIRECTORY), "layer");
	de_owners *o = de_owners_read(fs);
	for (unsigned id = 0; id < 4; id++) {
		de_owners_user(o, id);
		de_owners_group(o, id);
	}
	de_owners_user(o, 4294967295u);
	de_owners_free(o);
	un_free(fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[6];
	fz_split(data, size, p, 6);
	from_memory(p[0]);

	char *root = fz_mkroot(), dr[4096];
	fz_join(dr, sizeof dr, root, "var/lib/docker");
	fz_write_part(dr, "containers/" CID "/config.v2.json", p[0]);
	fz_write_part(dr, "containers/" CID "/hostconfig.json", p[1]);
	fz_write_part(dr, "image/overlay2/layerdb/mounts/" CID "/mount-id", p[3]);
	fz_write_part(root, "etc/docker/daemon.json", p[2]);
	fz_write_part(root, "etc/containerd/config.toml", p[4]);
	fz_write_part(root, "etc/containers/storage.conf", p[4]);
	fz_write_part(root, "layer/etc/passwd", p[5]);
	fz_write_part(root, "layer/etc/group", p[5]);
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
	owners(root);

	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
