/*
 * pods.c — Kubernetes pods as an analyst sees them: `list pods` (as
 * `crictl pods`), the pod keys of a listed container, -n and
 * --no-support, and the containers only their pod log directory is left of.
 *
 * A pod is its sandbox (the CRI plugin's pause container) and the
 * containers whose sandbox it is. A pod whose sandbox is gone but whose log
 * directory stays (a removed pod: `kubectl debug`, a short job) is listed
 * from what that directory tells, with state "removed".
 */
#include "builtin.h"

#include <stdlib.h>
#include <string.h>

#include "../output/json_out.h"
#include "../output/table.h"
#include "../runtime/cri.h"
#include "../util/pathutil.h"
#include "../util/timefmt.h"

bool de_opts_keep(const de_opts *o, const de_container *c)
{
	const de_pod_info *p = c->pod;
	if (o->pod_namespace && !(p && p->namespace && !strcmp(p->namespace, o->pod_namespace)))
		return false;
	return !(o->no_support && p && p->support);
}

int de_pods_removed(const de_roots *roots, de_docker *ds, const bool *open, int pod_root,
                    const de_container *const *known, size_t n, de_container_list *out)
{
	int r = pod_root;
	for (size_t k = 0; k < roots->n && r < 0; k++)
		if (open[k] && roots->v[k].kind == DE_ROOT_CONTAINERD &&
		    ev_is_dir(&ds[k].root, "io.containerd.grpc.v1.cri"))
			r = (int)k;
	if (r < 0)
		return -1;
	bool ctd = roots->v[r].kind == DE_ROOT_CONTAINERD;
	de_cri_removed(ds[r].host_root, known, n, ctd ? "containerd" : "cri-o", ctd ? "k8s.io" : NULL,
	               out);
	return r;
}

/* ---- a container's pod keys in list ---------------------------------------- */

void de_pod_keys(json_t *o, const de_container *c)
{
	const de_pod_info *p = c->pod;
	if (!p)
		return;
	json_t *pod = json_object();
	json_object_set_new(pod, "namespace", de_json_str(p->namespace));
	json_object_set_new(pod, "name", de_json_str(p->name));
	json_object_set_new(pod, "uid", de_json_str(p->uid));
	json_object_set_new(o, "pod", pod);
	json_object_set_new(o, "container_name", de_json_str(p->container));
	json_object_set_new(o, "attempt", p->attempt >= 0 ? json_integer(p->attempt) : json_null());
	json_object_set_new(o, "sandbox_id", de_json_str(p->sandbox_id));
	json_object_set_new(o, "kind", de_json_str(p->kind));
	json_object_set_new(o, "support", json_boolean(p->support));
	if (p->reason)
		json_object_set_new(o, "reason", de_json_str(p->reason));
	if (p->removed) {
		json_object_set_new(o, "first_log_record", de_json_str(p->first_log));
		json_object_set_new(o, "last_log_record", de_json_str(p->last_log));
	}
}

json_t *de_pod_mount_json(const de_mount_point *m)
{
	json_t *j = json_object();
	json_object_set_new(j, "source", de_json_str(m->source));
	json_object_set_new(j, "destination", de_json_str(m->destination));
	json_object_set_new(j, "kind", de_json_str(m->kind));
	if (m->name)
		json_object_set_new(j, "name", de_json_str(m->name));
	json_object_set_new(j, "host_path", de_json_str(m->host_source));
	json_object_set_new(j, "read_only", json_boolean(!m->rw));
	if (de_cri_mount_in_memory(m->kind))
		json_object_set_new(j, "in_memory", json_true());
	return j;
}

/* ---- list pods --------------------------------------------------------------- */

typedef struct pod {
	const de_rooted *sb;          /* its sandbox, or NULL (gone) */
	const de_pod_info *info;      /* the sandbox's, else its first container's */
	const de_rooted **ctrs;
	size_t n;
	bool removed;                 /* only its log directory is left */
} pod;

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static pod *find_pod(pod *v, size_t n, const de_pod_info *p)
{
	for (size_t i = 0; i < n; i++) {
		const de_pod_info *q = v[i].info;
		if (v[i].sb ? same(p->sandbox_id, q->sandbox_id) && !p->removed
		            : same(p->uid, q->uid) && same(p->namespace, q->namespace))
			return &v[i];
	}
	for (size_t i = 0; i < n && p->removed; i++)   /* a removed one of a live pod */
		if (same(p->uid, v[i].info->uid))
			return &v[i];
	return NULL;
}

static const char *pod_state(const pod *p)
{
	if (!p->sb)
		return p->removed ? "removed" : "unknown";
	const de_container *c = p->sb->c;
	return !c->has_state ? "unknown" : c->running ? "ready" : "notready";
}

/* Newest first, as crictl pods; pods without a sandbox last, by name. */
static int cmp_pod(const void *pa, const void *pb)
{
	const pod *a = pa, *b = pb;
	de_time ta, tb;
	bool va = a->sb && a->sb->c->created && de_time_parse(a->sb->c->created, &ta) == 0;
	bool vb = b->sb && b->sb->c->created && de_time_parse(b->sb->c->created, &tb) == 0;
	if (va != vb)
		return va ? -1 : 1;
	int r = va ? de_time_cmp(&tb, &ta) : 0;
	if (!r)
		r = strcmp(a->info->namespace ? a->info->namespace : "",
		           b->info->namespace ? b->info->namespace : "");
	return r ? r : strcmp(a->info->name ? a->info->name : "", b->info->name ? b->info->name : "");
}

static json_t *pod_json(const pod *p)
{
	const de_pod_info *i = p->info;
	const de_container *sb = p->sb ? p->sb->c : NULL;
	json_t *o = json_object();
	json_object_set_new(o, "id", de_json_str(sb ? sb->id : NULL));
	json_object_set_new(o, "namespace", de_json_str(i->namespace));
	json_object_set_new(o, "name", de_json_str(i->name));
	json_object_set_new(o, "uid", de_json_str(i->uid));
	json_object_set_new(o, "attempt", sb && i->attempt >= 0 ? json_integer(i->attempt)
	                                                        : json_null());
	json_object_set_new(o, "state", json_string(pod_state(p)));
	json_object_set_new(o, "created", sb ? de_json_time(sb->created, sb->config_path)
	                                     : json_null());
	json_t *labels = sb && i->record ? json_object_get(json_object_get(i->record, "Config"),
	                                                   "labels") : NULL;
	json_object_set_new(o, "labels", json_is_object(labels) ? json_incref(labels) : json_object());
	json_t *a = json_array();
	for (size_t k = 0; k < p->n; k++) {
		const de_container *c = p->ctrs[k]->c;
		char buf[32];
		json_t *j = json_object();
		json_object_set_new(j, "name", de_json_str(c->pod->container));
		json_object_set_new(j, "attempt", c->pod->attempt >= 0 ? json_integer(c->pod->attempt)
		                                                       : json_null());
		json_object_set_new(j, "container_id", c->pod->id_unknown ? json_null()
		                                                          : de_json_str(c->id));
		json_object_set_new(j, "state", json_string(de_container_state(c, buf, sizeof buf)));
		json_array_append_new(a, j);
	}
	json_object_set_new(o, "containers", a);
	json_object_set_new(o, "support", json_boolean(i->namespace && !strcmp(i->namespace,
	                                                                       "kube-system")));
	const de_rooted *any = p->sb ? p->sb : p->ctrs[0];
	char *dir = i->log_dir && i->log_dir[0] == '/' ? de_host_path(any->d->host_root, i->log_dir)
	                                               : NULL;
	json_object_set_new(o, "log_directory", de_json_str(dir));
	free(dir);
	json_object_set_new(o, "runtime", de_json_str(any->c->runtime));
	json_object_set_new(o, "data_root", de_json_str(any->d->root.path));
	return o;
}

static void pod_row(de_table *t, const pod *p)
{
	const de_container *sb = p->sb ? p->sb->c : NULL;
	char when[64] = "-";
	de_time tm;
	if (sb && sb->created && de_time_parse(sb->created, &tm) == 0)
		snprintf(when, sizeof when, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.mon, tm.day,
		         tm.hour, tm.min, tm.sec);
	tbl_addf(t, "%.13s", sb ? sb->id : "-");
	tbl_add(t, when);
	tbl_add(t, pod_state(p));
	tbl_add(t, p->info->name ? p->info->name : "-");
	tbl_add(t, p->info->namespace ? p->info->namespace : "-");
	if (sb && p->info->attempt >= 0)
		tbl_addf(t, "%ld", p->info->attempt);
	else
		tbl_add(t, "-");
	tbl_addf(t, "%zu", p->n);
}

int de_list_pods(const de_opts *o, bool table)
{
	/* --no-support hides kube-system's pods here: sandboxes are the pods */
	de_opts all = *o;
	all.no_support = false;
	de_host h;
	int rc = de_host_load(&all, &h);
	if (rc != DE_EXIT_OK) {
		de_host_free(&h);
		return rc;
	}
	pod *v = xcalloc(h.n + 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < h.n; i++)
		if (h.all[i].c->pod && !strcmp(h.all[i].c->pod->kind, "sandbox"))
			v[n++] = (pod){.sb = &h.all[i], .info = h.all[i].c->pod};
	for (size_t i = 0; i < h.n; i++) {
		const de_pod_info *p = h.all[i].c->pod;
		if (!p || strcmp(p->kind, "container"))
			continue;
		pod *at = find_pod(v, n, p);
		if (!at) {
			at = &v[n++];
			*at = (pod){.info = p, .removed = true};
		}
		at->removed &= p->removed;
		at->ctrs = xrealloc(at->ctrs, (at->n + 1) * sizeof *at->ctrs);
		at->ctrs[at->n++] = &h.all[i];
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_pod);
	static const char *const hdr[] = {"POD ID", "CREATED", "STATE", "NAME", "NAMESPACE",
	                                  "ATTEMPT", "CONTAINERS"};
	de_table t;
	tbl_init(&t, sizeof hdr / sizeof *hdr, hdr);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (o->no_support && same(v[i].info->namespace, "kube-system"))
			continue;
		if (table)
			pod_row(&t, &v[i]);
		else
			json_array_append_new(arr, pod_json(&v[i]));
	}
	if (table)
		rc = tbl_print(&t, stdout) < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
	else
		rc = de_emit_json(arr);
	json_decref(arr);
	tbl_free(&t);
	for (size_t i = 0; i < n; i++)
		free(v[i].ctrs);
	free(v);
	de_host_free(&h);
	return rc;
}
