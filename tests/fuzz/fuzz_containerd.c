/* Fuzz target: containerd's records (runtime/containerd.c, util/timefmt.c).
 * The first byte chooses what the rest is:
 *   0  a time: Go's time.Time binary form (createdat, updatedat), and the
 *      same bytes as an RFC 3339 string (every "created" of the JSON files)
 *   1  a container's spec: a protobuf Any holding the OCI spec JSON
 *   2+ a metadata database (bbolt), written as the containerd root's
 *      meta.db and as the overlayfs snapshotter's metadata.db, every
 *      container of every namespace loaded from it as `de list` does. */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/containerd.h"
#include "util/timefmt.h"

#include "fuzz_fs.h"

static void times(const uint8_t *p, size_t n)
{
	de_time t, u;
	char buf[64];
	bool go = de_time_from_go(p, n, &t) == 0;
	if (go)
		de_time_iso(&t, buf, sizeof buf);
	char *s = fz_strdup((fz_part){p, n});
	if (de_time_parse(s, &u) == 0) {
		de_time_iso(&u, buf, sizeof buf);
		de_time_is_zero(&u);
		if (go)
			de_time_cmp(&t, &u);
	}
	free(s);
}

static void spec(const uint8_t *p, size_t n)
{
	size_t len;
	const uint8_t *v = ctd_any_value(p, n, &len);
	if (v && (v < p || v + len > p + n))
		abort();   /* the value must lie inside the record */
	de_err e;
	json_t *j = v ? ev_parse_json((const char *)v, len, "fuzz", &e) : NULL;
	json_decref(j);
}

static void database(const uint8_t *p, size_t n)
{
	char *root = fz_mkroot();
	fz_write(root, "io.containerd.metadata.v1.bolt/meta.db", p, n);
	fz_write(root, "io.containerd.snapshotter.v1.overlayfs/metadata.db", p, n);
	de_docker d;
	de_err e;
	if (de_containerd_open(&d, root, NULL, &e) == 0) {
		de_container_list l = {0};
		de_containerd_load_all(&d, false, &l, &e);
		de_container_list_free(&l);
		de_docker_close(&d);
	}
	fz_rmroot(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] == 0)
		times(data + 1, size - 1);
	else if (data[0] == 1)
		spec(data + 1, size - 1);
	else
		database(data + 1, size - 1);
	de_omissions_reset();
	return 0;
}
