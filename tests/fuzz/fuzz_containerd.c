/* Fuzz target: containerd's records (runtime/containerd.c, util/timefmt.c).
 * The first byte chooses what the rest is:
 *   0  a time: Go's time.Time binary form (createdat, updatedat), and the
 *      same bytes as an RFC 3339 string (every "created" of the JSON files)
 *   1  a container's spec: a protobuf Any holding the OCI spec JSON
 *   2  a metadata database (bbolt), written as the containerd root's
 *      meta.db and as the overlayfs snapshotter's metadata.db, every
 *      container and image of every namespace loaded from it as `de list`
 *      does, and each container's history; then the same bytes as the
 *      system containerd of a Docker 29 host (runtime/docker_ctd.c), its
 *      Docker container's snapshot looked for there: its view, history,
 *      Docker's images
 *   4  a container's state (runtime/containerd_state.c): three parts cut
 *      at NUL bytes, written as the CRI plugin's status file, the task's
 *      init.pid and runc's state.json of container k8s.io/c on a host
 *      whose /run/containerd was captured, and its state filled
 *   3, 5+ a content store (runtime/containerd_images.c): four JSON blobs cut
 *      at NUL bytes; the first is the image's target, and every sha256
 *      digest a blob names is written with the next blob (an index names
 *      manifests, a manifest its config), as `de history` follows them. */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/containerd.h"
#include "runtime/docker_ctd.h"
#include "runtime/view.h"
#include "util/timefmt.h"
#include "util/pathutil.h"

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
		de_image_list il = {0};
		if (de_containerd_images(&d, false, &l, &il, &e) == 0)
			de_image_list_free(&il);
		for (size_t i = 0; i < l.n; i++) {
			de_history h = {0};
			de_containerd_history(&d, l.v[i], &h, &e);
			de_history_free(&h);
		}
		de_container_list_free(&l);
		de_docker_close(&d);
	}
	fz_rmroot(root);
}

/* the docker29-system fixture's web: its meta.db is a seed (seed.sh) */
#define D29 "669f2a942dc0c59c144673a3322dc7897a880bc838a7d8e43271fea633e95b43"

static void docker_host(const uint8_t *p, size_t n)
{
	char *host = fz_mkroot();
	fz_write(host, "var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db", p, n);
	fz_write(host, "var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/metadata.db", p, n);
	/* no Image: the image is found by the snapshot's parents */
	fz_write_str(host, "var/lib/docker/containers/" D29 "/config.v2.json",
	             "{\"ID\":\"" D29 "\",\"Name\":\"/web\",\"Driver\":\"overlayfs\","
	             "\"Image\":\"\",\"Config\":{},\"State\":{\"Running\":false}}");
	char *dr = xasprintf("%s/var/lib/docker", host);
	de_docker d;
	de_err e;
	if (de_docker_open(&d, dr, NULL, &e) == 0) {
		de_container_list l = {0};
		de_docker_load_all(&d, &l, &e);
		for (size_t i = 0; i < l.n; i++) {
			de_history h = {0};
			de_docker_history(&d, l.v[i], &h, &e);
			de_history_free(&h);
			de_view v;
			if (de_view_open(&d, l.v[i], false, &v, &e) == 0)
				de_view_close(&v);
		}
		de_image_list il = {0};
		strvec claims = {0};
		de_docker_ctd_claims(&d, &l, &claims);
		for (size_t i = 0; i < claims.n; i++)
			de_docker_ctd_images(&d, claims.v[i], &l, &il, &e);
		de_image_list_free(&il);
		sv_free(&claims);
		de_container_list_free(&l);
		de_docker_close(&d);
	}
	free(dr);
	fz_rmroot(host);
}

#define BLOBS "io.containerd.content.v1.content/blobs/sha256/"
#define TARGET "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"

/* Writes blob next at every sha256 digest that part names (first wins). */
static void write_named(const char *root, fz_part part, fz_part next)
{
	char *txt = fz_strdup(part);
	unsigned n = 0;
	for (char *p = txt; (p = strstr(p, "sha256:")) != NULL && n < 16; p += 7) {
		char hex[65] = "", rel[256], path[4096];
		if (strlen(p + 7) >= 64)
			memcpy(hex, p + 7, 64);
		hex[64] = '\0';
		if (!de_is_hex(hex, 64))
			continue;
		snprintf(rel, sizeof rel, BLOBS "%s", hex);
		fz_join(path, sizeof path, root, rel);
		if (access(path, F_OK) != 0)
			fz_write_part(root, rel, next);
		n++;
	}
	free(txt);
}

static void content(const uint8_t *p, size_t n)
{
	fz_part b[4];
	fz_split(p, n, b, 4);
	char *root = fz_mkroot();
	fz_write_part(root, BLOBS TARGET, b[0]);
	for (int i = 0; i < 3; i++)
		write_named(root, b[i], b[i + 1]);
	ev_root r;
	de_err e;
	if (ev_root_open(&r, root, &e) == 0) {
		char *path = NULL;
		json_t *cfg = de_containerd_image_config(&r, "", "sha256:" TARGET, &path, &e);
		json_decref(cfg);
		free(path);
		ev_root_close(&r);
	}
	fz_rmroot(root);
}

static void state(const uint8_t *p, size_t n)
{
	fz_part b[3];
	fz_split(p, n, b, 3);
	char *host = fz_mkroot();
	fz_write_part(host, "var/lib/containerd/io.containerd.grpc.v1.cri/containers/c/status", b[0]);
	fz_write_part(host, "run/containerd/io.containerd.runtime.v2.task/k8s.io/c/init.pid", b[1]);
	fz_write_part(host, "run/containerd/runc/k8s.io/c/state.json", b[2]);
	char *root = xasprintf("%s/var/lib/containerd", host);
	de_docker d = {0};
	de_err e;
	if (ev_root_open(&d.root, root, &e) == 0) {
		d.host_root = host;
		de_container *c = xcalloc(1, sizeof *c);
		c->namespace = xstrdup("k8s.io");
		c->id = xstrdup("c");
		c->native = json_object();
		ctd_state st;
		ctd_state_open(&st, &d);
		ctd_state_fill(&st, &d, c);
		ctd_state_close(&st);
		char buf[32];
		de_container_state(c, buf, sizeof buf);
		de_container_free(c);
		ev_root_close(&d.root);
	}
	free(root);
	fz_rmroot(host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] == 0)
		times(data + 1, size - 1);
	else if (data[0] == 1)
		spec(data + 1, size - 1);
	else if (data[0] == 2) {
		database(data + 1, size - 1);
		docker_host(data + 1, size - 1);
	}
	else if (data[0] == 4)
		state(data + 1, size - 1);
	else
		content(data + 1, size - 1);
	de_omissions_reset();
	return 0;
}
