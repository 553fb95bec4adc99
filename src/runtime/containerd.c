/*
 * containerd.c — see containerd.h.
 */
#include "containerd.h"

#include <stdlib.h>
#include <string.h>

#include "../bbolt/bbolt.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/timefmt.h"
#include "cri.h"
#include "engine_files.h"

#define META "io.containerd.metadata.v1.bolt/meta.db"
#define SNAPDB "io.containerd.snapshotter.v1.%s/metadata.db"

int de_containerd_open(de_docker *d, const char *root, const char *host_root, de_err *e)
{
	memset(d, 0, sizeof *d);
	d->kind = DE_ROOT_CONTAINERD;
	if (ev_root_open(&d->root, root, e) < 0)
		return -1;
	if (!ev_is_file(&d->root, META)) {
		ev_root_close(&d->root);
		return de_fail(e, "%s is not a containerd root: no %s", root, META);
	}
	d->host_root = xstrdup(host_root ? host_root : "");
	d->layout = DE_LAYOUT_V2;
	return 0;
}

static char *time_of(const bb_bucket *b, const char *key)
{
	const uint8_t *v;
	size_t vl;
	bool isb;
	de_time t;
	if (bb_get(b, key, strlen(key), &v, &vl, &isb, NULL) != 1 || isb ||
	    de_time_from_go(v, vl, &t) < 0)
		return NULL;
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", t.year, t.mon, t.day, t.hour,
	                 t.min, t.sec, (int)t.nsec);
}

typedef struct labels_ctx {
	json_t *obj;
} labels_ctx;

static int on_label(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, bool b)
{
	labels_ctx *l = arg;
	if (b)
		return 0;
	char *key = xstrndup((const char *)k, kl), *val = xstrndup((const char *)v, vl);
	/* both must be UTF-8 to be JSON; a label that is not is left out */
	json_t *kv = json_stringn(val, vl), *kcheck = json_stringn(key, kl);
	if (kv && kcheck)
		json_object_set_new(l->obj, key, kv);
	else
		json_decref(kv);
	json_decref(kcheck);
	free(key);
	free(val);
	return 0;
}

bool ctd_any_parts(const uint8_t *p, size_t n, const uint8_t **url, size_t *ul,
                      const uint8_t **val, size_t *vl)
{
	const uint8_t *end = p + n;
	*url = *val = NULL;
	*ul = *vl = 0;
	while (p < end) {
		uint64_t key = 0, l = 0;
		int shift = 0;
		while (p < end && shift < 64) {
			key |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
			if (!(*p++ & 0x80))
				break;
		}
		if ((key & 7) != 2)
			return false;
		shift = 0;
		while (p < end && shift < 64) {
			l |= (uint64_t)(*p & 0x7f) << shift;
			shift += 7;
			if (!(*p++ & 0x80))
				break;
		}
		if (l > (uint64_t)(end - p))
			return false;
		if (key >> 3 == 1) {
			*url = p;
			*ul = (size_t)l;
		} else if (key >> 3 == 2) {
			*val = p;
			*vl = (size_t)l;
		}
		p += l;
	}
	return *val != NULL;
}

const uint8_t *ctd_any_value(const uint8_t *p, size_t n, size_t *len)
{
	const uint8_t *url, *val;
	size_t ul;
	return ctd_any_parts(p, n, &url, &ul, &val, len) ? val : NULL;
}

static void read_spec(const bb_bucket *cb, de_container *c, const char *what)
{
	const uint8_t *v, *val;
	size_t vl, len;
	bool isb;
	if (bb_get(cb, "spec", 4, &v, &vl, &isb, NULL) != 1 || isb)
		return;
	if (!(val = ctd_any_value(v, vl, &len)))
		return;
	de_err e;
	json_t *spec = ev_parse_json((const char *)val, len, what, &e);
	if (!spec) {
		de_warn("%s", e.msg);
		return;
	}
	c->command = jget_join_strings(jget_arr(jget_obj(spec, "process"), "args"));
	const char *h = jget_str(spec, "hostname");
	c->hostname = h ? xstrdup(h) : NULL;
	c->config = spec;
}

/* The snapshotter's name for the snapshot "key" of namespace ns (meta.db
 * v1/<ns>/snapshots/<snapshotter>/<key>/name, "<ns>/<n>/<key>"), and its
 * numeric id in the snapshotter's metadata.db: the directory of its files.
 * prefix: the containerd root below root ("" for root itself). */
static void read_snapshot(const ev_root *root, const char *prefix, bb_db *meta, const char *ns,
                          const char *key, de_container *c)
{
	if (!c->driver || !key || !de_safe_name(c->driver))
		return;
	bb_bucket sb;
	de_err e;
	if (bb_path(meta, &sb, &e, "v1", ns, "snapshots", c->driver, key, NULL) != 1) {
		de_warn("container %s/%s: no %s snapshot \"%s\" in %s/%s%s%s", ns, c->id, c->driver,
		        key, root->path, prefix, *prefix ? "/" : "", META);
		return;
	}
	c->snapshot_key = bb_get_str(&sb, "name");
	char *rel = xasprintf("%s%s" SNAPDB, prefix, *prefix ? "/" : "", c->driver);
	bb_db *sdb;
	if (c->snapshot_key && bb_open(&sdb, root, rel, &e) == 0) {
		bb_bucket s;
		const uint8_t *v;
		size_t vl;
		bool isb;
		if (bb_path(sdb, &s, &e, "v1", "snapshots", c->snapshot_key, NULL) == 1 &&
		    bb_get(&s, "id", 2, &v, &vl, &isb, &e) == 1 && !isb)
			c->mount_id = xasprintf("%llu", (unsigned long long)bb_uvarint(v, vl));
		bb_close(sdb);
	}
	free(rel);
}

void de_containerd_snapshot_of(const ev_root *root, const char *prefix, bb_db *meta,
                               const char *ns, const char *key, de_container *c)
{
	read_snapshot(root, prefix, meta, ns, key, c);
}

typedef struct load_ctx {
	de_docker *d;
	bb_db *meta;
	const char *ns;
	de_container_list *out;
	ctd_state *state;
	const strvec *except;   /* "NS/ID" of Docker's records, sorted; NULL: none */
} load_ctx;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A record of Docker's: its container is listed from the Docker data root. */
static bool dockers(const load_ctx *x, const uint8_t *id, size_t idl)
{
	if (!x->except || !x->except->n)
		return false;
	char *key = xasprintf("%s/%.*s", x->ns, (int)idl, (const char *)id);
	bool yes = bsearch(&key, x->except->v, x->except->n, sizeof *x->except->v, cmp_str) != NULL;
	free(key);
	return yes;
}

static int on_container(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                        bool bucket)
{
	load_ctx *x = arg;
	bb_bucket cb;
	de_err e;
	if (!bucket || dockers(x, k, kl) || bb_bucket_of(x->meta, v, vl, &cb, &e) < 0)
		return 0;
	de_container *c = xcalloc(1, sizeof *c);
	c->runtime = xstrdup("containerd");
	c->namespace = xstrdup(x->ns);
	c->id = xstrndup((const char *)k, kl);
	c->name = xstrdup(c->id);
	c->config_path = xasprintf("%s/%s v1/%s/containers/%s", x->d->root.path, META, x->ns, c->id);
	c->layout = DE_LAYOUT_V2;
	c->image_name = bb_get_str(&cb, "image");
	c->created = time_of(&cb, "createdat");
	c->driver = bb_get_str(&cb, "snapshotter");
	char *skey = bb_get_str(&cb, "snapshotKey");
	bb_bucket lb;
	if (bb_sub(&cb, "labels", &lb, NULL) == 1) {
		labels_ctx l = {json_object()};
		bb_foreach(&lb, on_label, &l, NULL);
		if (json_object_size(l.obj))
			c->labels = l.obj;
		else
			json_decref(l.obj);
	}
	read_spec(&cb, c, c->config_path);
	if (c->config)
		de_engine_files_oci(x->d, c->config, c);
	/* what `ctr containers info` shows */
	json_t *n = json_object();
	json_object_set_new(n, "ID", json_string(c->id));
	json_object_set_new(n, "Labels", c->labels ? json_incref(c->labels) : json_object());
	json_object_set_new(n, "Image", json_string(c->image_name ? c->image_name : ""));
	bb_bucket rb;
	json_t *rt = json_object();
	if (bb_sub(&cb, "runtime", &rb, NULL) == 1) {
		char *rn = bb_get_str(&rb, "name");
		json_object_set_new(rt, "Name", json_string(rn ? rn : ""));
		free(rn);
	}
	json_object_set_new(n, "Runtime", rt);
	json_object_set_new(n, "SnapshotKey", json_string(skey ? skey : ""));
	json_object_set_new(n, "Snapshotter", json_string(c->driver ? c->driver : ""));
	json_object_set_new(n, "CreatedAt", json_string(c->created ? c->created : ""));
	char *up = time_of(&cb, "updatedat");
	json_object_set_new(n, "UpdatedAt", json_string(up ? up : ""));
	free(up);
	json_object_set_new(n, "Spec", c->config ? json_incref(c->config) : json_null());
	c->native = n;
	de_cri_read(x->d, &cb, c);   /* a Kubernetes pod's: its CRI records */
	read_snapshot(&x->d->root, "", x->meta, x->ns, skey, c);
	free(skey);
	ctd_state_fill(x->state, x->d, c);
	de_cri_finish(x->d, c);
	de_container_list_push(x->out, c);
	return 0;
}

typedef struct ns_ctx {
	load_ctx base;
	bool skip_moby;
} ns_ctx;

static int on_namespace(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl,
                        bool bucket)
{
	ns_ctx *x = arg;
	bb_bucket nb, cb;
	de_err e;
	char *ns = xstrndup((const char *)k, kl);
	if (bucket && !(x->skip_moby && !strcmp(ns, "moby")) &&
	    bb_bucket_of(x->base.meta, v, vl, &nb, &e) == 0 &&
	    bb_sub(&nb, "containers", &cb, &e) == 1) {
		load_ctx lc = x->base;
		lc.ns = ns;
		if (bb_foreach(&cb, on_container, &lc, &e) < 0)
			de_warn("containerd namespace %s: %s", ns, e.msg);
	}
	free(ns);
	return 0;
}

int de_containerd_load_all(de_docker *d, bool skip_moby, de_container_list *out, de_err *e)
{
	return de_containerd_load_except(d, skip_moby, NULL, out, e);
}

int de_containerd_load_except(de_docker *d, bool skip_moby, const strvec *docker_recs,
                              de_container_list *out, de_err *e)
{
	bb_db *meta;
	if (bb_open(&meta, &d->root, META, e) < 0)
		return -1;
	bb_bucket v1;
	int r = bb_path(meta, &v1, e, "v1", NULL);
	if (r == 1) {
		ctd_state st;
		ctd_state_open(&st, d);
		ns_ctx x = {{d, meta, NULL, out, &st, docker_recs}, skip_moby};
		if (bb_foreach(&v1, on_namespace, &x, e) < 0)
			de_warn("%s", e->msg);
		ctd_state_close(&st);
	}
	bb_close(meta);
	return r < 0 ? -1 : 0;
}
