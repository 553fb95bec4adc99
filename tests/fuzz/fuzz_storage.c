/* Fuzz target: containers/storage's records (runtime/storage.c, crio.c,
 * storage_images.c, libpod_sql.c, podman_inspect.c, podman_config.c), as
 * `de list`, `de list images`, `de history`, `de inspect` and `de logs`
 * read a Podman or CRI-O store. The input's
 * parts (cut at NUL bytes, see fuzz_fs.h):
 *   0  overlay-containers/containers.json (and volatile-containers.json)
 *   1  overlay-images/images.json
 *   2  overlay-layers/layers.json
 *   3  a JSON document, written as each container's userdata/config.json
 *      and state.json (CRI-O's record) and as each image's config and
 *      manifest "big data" files (ids from parts 0 and 1, at most 4 each)
 *   4  the host's etc/containers/containers.conf (database_backend)
 *   5  Podman's state database, as libpod/bolt_state.db (bbolt) and as
 *      libpod/db.sql (SQLite): containers.conf or the files there choose
 * written in a fresh host root whose store is var/lib/containers/storage. */
#include <stdint.h>
#include <stdlib.h>

#include "runtime/storage.h"
#include "util/jget.h"
#include "util/pathutil.h"

#include "fuzz_fs.h"

#define STORE "var/lib/containers/storage"

/* containers/storage's big data file name of key sha256:<id> ("=" +
 * base64), written here independently of storage_images.c. */
static void bigdata_path(char *out, size_t len, const char *id, const char *key)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char enc[256] = "=", *o = enc + 1;
	size_t n = strlen(key);
	for (size_t i = 0; i < n && o < enc + sizeof enc - 5; i += 3) {
		unsigned v = (unsigned)(unsigned char)key[i] << 16 |
		             (i + 1 < n ? (unsigned)(unsigned char)key[i + 1] << 8 : 0) |
		             (i + 2 < n ? (unsigned char)key[i + 2] : 0);
		*o++ = b64[v >> 18 & 63];
		*o++ = b64[v >> 12 & 63];
		*o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	snprintf(out, len, STORE "/overlay-images/%s/%s", id, enc);
}

/* Part 3 where the records of part `records` lead: userdata files of the
 * containers, big data files of the images. */
static void write_related(const char *root, fz_part records, fz_part doc, bool images)
{
	json_t *arr = json_loadb((const char *)records.p, records.n, 0, NULL);
	size_t i;
	json_t *ent;
	unsigned n = 0;
	json_array_foreach(arr, i, ent) {
		const char *id = jget_str(ent, "id");
		if (!id || !de_safe_name(id) || strlen(id) > 128 || n++ >= 4)
			continue;
		char rel[512], key[160];
		if (images) {
			snprintf(key, sizeof key, "sha256:%s", id);
			bigdata_path(rel, sizeof rel, id, key);
			fz_write_part(root, rel, doc);
			snprintf(rel, sizeof rel, STORE "/overlay-images/%s/manifest", id);
			fz_write_part(root, rel, doc);
		} else {
			snprintf(rel, sizeof rel, STORE "/overlay-containers/%s/userdata/config.json", id);
			fz_write_part(root, rel, doc);
			snprintf(rel, sizeof rel, STORE "/overlay-containers/%s/userdata/state.json", id);
			fz_write_part(root, rel, doc);
		}
	}
	json_decref(arr);
}

static void load(const char *root)
{
	char store[4096];
	fz_join(store, sizeof store, root, STORE);
	de_docker d;
	de_err e;
	if (de_storage_open(&d, store, root, &e) < 0)
		return;
	de_container_list l = {0};
	de_storage_load_all(&d, &l, &e);
	de_image_list il = {0};
	if (de_storage_images(&d, &l, &il, &e) == 0)
		de_image_list_free(&il);
	for (size_t i = 0; i < l.n; i++) {
		de_history h = {0};
		de_storage_history(&d, l.v[i], &h, &e);
		de_history_free(&h);
		if (l.v[i]->native && l.v[i]->runtime && !strcmp(l.v[i]->runtime, "podman"))
			json_decref(de_podman_inspect(&d, l.v[i]));
		ev_root host = {.fd = -1};
		strvec files = {0};
		if (de_storage_cri_logs(&d, l.v[i], &host, &files, &e) == 0)
			ev_root_close(&host);
		sv_free(&files);
	}
	de_container_list_free(&l);
	de_docker_close(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_part p[6];
	fz_split(data, size, p, 6);
	char *root = fz_mkroot();
	fz_write_part(root, STORE "/overlay-containers/containers.json", p[0]);
	fz_write_part(root, STORE "/overlay-containers/volatile-containers.json", p[0]);
	fz_write_part(root, STORE "/overlay-images/images.json", p[1]);
	fz_write_part(root, STORE "/overlay-layers/layers.json", p[2]);
	write_related(root, p[0], p[3], false);
	write_related(root, p[1], p[3], true);
	fz_write_part(root, "etc/containers/containers.conf", p[4]);
	if (p[5].n) {
		fz_write_part(root, STORE "/libpod/bolt_state.db", p[5]);
		fz_write_part(root, STORE "/libpod/db.sql", p[5]);
	}
	load(root);
	fz_rmroot(root);
	de_omissions_reset();
	return 0;
}
