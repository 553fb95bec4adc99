/*
 * cri.c — containerd's CRI plugin records (see cri.h).
 */
#include "cri.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "containerd.h"

#define EXT_CONTAINER "io.cri-containerd.container.metadata"
#define EXT_SANDBOX "io.cri-containerd.sandbox.metadata"
#define CRI_ROOT "io.containerd.grpc.v1.cri"
#define MAX_TYPE_URL 1024

/* A string of the evidence as JSON: null when absent or not UTF-8. */
static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

/* {"type_url": …, "value": base64}, as ctr prints an extension. */
static json_t *extension_json(const uint8_t *url, size_t ul, const uint8_t *val, size_t vl)
{
	json_t *o = json_object();
	char *u = url && ul <= MAX_TYPE_URL ? xstrndup((const char *)url, ul) : NULL;
	json_object_set_new(o, "type_url", jstr(u ? u : ""));
	free(u);
	if (vl <= EV_MAX_JSON) {
		char *b = xmalloc(4 * ((vl + 2) / 3) + 1);
		EVP_EncodeBlock((unsigned char *)b, val, (int)vl);
		json_object_set_new(o, "value", json_string(b));
		free(b);
	}
	return o;
}

/* The extension's JSON, {"Version":"v1","Metadata":{…}}: its Metadata. */
static json_t *read_extension(const bb_bucket *eb, const char *key, de_container *c,
                              json_t *exts)
{
	const uint8_t *v, *url, *val;
	size_t vl, ul, len;
	bool isb;
	if (bb_get(eb, key, strlen(key), &v, &vl, &isb, NULL) != 1 || isb)
		return NULL;
	if (!ctd_any_parts(v, vl, &url, &ul, &val, &len)) {
		de_warn("%s: extension %s is not a protobuf Any", c->config_path, key);
		return NULL;
	}
	json_object_set_new(exts, key, extension_json(url, ul, val, len));
	de_err e;
	char *what = xasprintf("%s extensions/%s", c->config_path, key);
	json_t *j = ev_parse_json((const char *)val, len, what, &e);
	free(what);
	if (!j) {
		de_warn("%s", e.msg);
		return NULL;
	}
	const char *ver = jget_str(j, "Version");
	json_t *md = jget_obj(j, "Metadata");
	if (!ver || strcmp(ver, "v1") || !md) {
		de_warn("%s: extension %s is not the CRI plugin's metadata of version \"v1\": not read",
		        c->config_path, key);
		json_decref(j);
		return NULL;
	}
	json_incref(md);
	json_decref(j);
	return md;
}

/* The kubelet's labels (io.kubernetes.pod.*): the CRI config's, else the
 * record's own. */
static const char *label(json_t *cfg, const de_container *c, const char *key)
{
	const char *v = jget_str(jget_obj(cfg, "labels"), key);
	return v && *v ? v : jget_str(c->labels, key);
}

/* metadata.attempt: left out when 0 (Go's omitempty). */
static long attempt_of(json_t *meta, const de_container *c)
{
	json_t *a = json_object_get(meta, "attempt");
	if (!a)
		return 0;
	if (!json_is_integer(a) || json_integer_value(a) < 0 || json_integer_value(a) > INT_MAX) {
		de_warn("%s: CRI metadata.attempt is not a count: not shown", c->config_path);
		return -1;
	}
	return (long)json_integer_value(a);
}

/* ---- the kubelet's mounts ------------------------------------------------ */

static const struct {
	const char *plugin, *kind;
} plugins[] = {
	{"empty-dir", "emptyDir"},   {"configmap", "configMap"},     {"secret", "secret"},
	{"projected", "projected"},  {"downward-api", "downwardAPI"}, {"csi", "csi"},
	{"local-volume", "local"},   {"nfs", "nfs"},
};

const char *de_cri_mount_kind(const char *hp, const char *uid, char **name)
{
	static char other[128];   /* single-threaded: the loaders */
	*name = NULL;
	if (!hp || !uid || !*uid)
		return "hostPath";
	char *needle = xasprintf("/pods/%s/", uid);
	const char *p = strstr(hp, needle);
	const char *rest = p ? p + strlen(needle) : NULL;
	free(needle);
	if (!rest)
		return "hostPath";
	if (!strcmp(rest, "etc-hosts"))
		return "etc-hosts";
	if (!strncmp(rest, "containers/", 11))
		return "termination-log";
	if (!strncmp(rest, "volume-subpaths/", 16))
		return "subPath";
	if (strncmp(rest, "volumes/kubernetes.io~", 22))
		return "kubelet";
	const char *pl = rest + 22, *slash = strchr(pl, '/');
	if (!slash)
		return "kubelet";
	size_t pn = (size_t)(slash - pl);
	const char *nm = slash + 1, *end = strchr(nm, '/');
	*name = end ? xstrndup(nm, (size_t)(end - nm)) : xstrdup(nm);
	for (size_t i = 0; i < sizeof plugins / sizeof *plugins; i++)
		if (strlen(plugins[i].plugin) == pn && !strncmp(pl, plugins[i].plugin, pn))
			return plugins[i].kind;
	snprintf(other, sizeof other, "kubernetes.io~%.*s", (int)(pn < 100 ? pn : 100), pl);
	return other;
}

/* The kubelet mounts a tmpfs for secret and projected volumes (their
 * wrapped emptyDir has medium Memory) and writes the files into it. */
bool de_cri_mount_in_memory(const char *kind)
{
	return kind && (!strcmp(kind, "secret") || !strcmp(kind, "projected"));
}

static void classify_mounts(de_container *c)
{
	for (size_t i = 0; i < c->nmounts; i++) {
		de_mount_point *m = &c->mounts[i];
		if (!m->host_source || strcmp(m->kind, "bind"))
			continue;
		char *name;
		const char *kind = de_cri_mount_kind(m->host_source, c->pod->uid, &name);
		free(m->kind);
		m->kind = xstrdup(kind);
		free(m->name);
		m->name = name;
	}
}

/* ---- reading a record ---------------------------------------------------- */

/* The pod's host name: its sandbox's hostname file (what /etc/hostname
 * held for its containers), when the spec names none (host network). */
static void sandbox_hostname(de_docker *d, de_container *c)
{
	if ((c->hostname && *c->hostname) || !c->pod->sandbox_id ||
	    !de_safe_name(c->pod->sandbox_id))
		return;
	char *rel = xasprintf(CRI_ROOT "/sandboxes/%s/hostname", c->pod->sandbox_id);
	if (ev_is_file(&d->root, rel)) {
		de_err e;
		char *h = ev_read_token(&d->root, rel, &e);
		if (h) {
			free(c->hostname);
			c->hostname = h;
		} else {
			de_debug("%s", e.msg);
		}
	}
	free(rel);
}

static void set_name(de_container *c)
{
	de_pod_info *p = c->pod;
	if (!p->namespace || !p->name)
		return;
	free(c->name);
	c->name = p->container ? xasprintf("%s/%s/%s", p->namespace, p->name, p->container)
	                       : xasprintf("%s/%s", p->namespace, p->name);
}

static void from_container(de_docker *d, de_container *c, json_t *md)
{
	de_pod_info *p = c->pod;
	json_t *cfg = jget_obj(md, "Config"), *meta = jget_obj(cfg, "metadata");
	p->kind = xstrdup("container");
	p->namespace = dup_or_null(label(cfg, c, "io.kubernetes.pod.namespace"));
	p->name = dup_or_null(label(cfg, c, "io.kubernetes.pod.name"));
	p->uid = dup_or_null(label(cfg, c, "io.kubernetes.pod.uid"));
	p->container = dup_or_null(jget_str(meta, "name"));
	if (!p->container)
		p->container = dup_or_null(label(cfg, c, "io.kubernetes.container.name"));
	p->attempt = attempt_of(meta, c);
	p->sandbox_id = dup_or_null(jget_str(md, "SandboxID"));
	p->image_ref = dup_or_null(jget_str(md, "ImageRef"));
	const char *lp = jget_str(md, "LogPath");
	if (lp && *lp) {
		p->log_path = xstrdup(lp);
		if (lp[0] == '/' && !c->log_path)
			c->log_path = de_host_path(d->host_root, lp);
	}
	if (p->image_ref && !c->image_id)
		c->image_id = xstrdup(p->image_ref);
}

static void from_sandbox(de_container *c, json_t *md)
{
	de_pod_info *p = c->pod;
	json_t *cfg = jget_obj(md, "Config"), *meta = jget_obj(cfg, "metadata");
	p->kind = xstrdup("sandbox");
	p->namespace = dup_or_null(jget_str(meta, "namespace"));
	p->name = dup_or_null(jget_str(meta, "name"));
	p->uid = dup_or_null(jget_str(meta, "uid"));
	if (!p->namespace)
		p->namespace = dup_or_null(label(cfg, c, "io.kubernetes.pod.namespace"));
	if (!p->name)
		p->name = dup_or_null(label(cfg, c, "io.kubernetes.pod.name"));
	if (!p->uid)
		p->uid = dup_or_null(label(cfg, c, "io.kubernetes.pod.uid"));
	p->attempt = attempt_of(meta, c);
	p->sandbox_id = xstrdup(c->id);
	p->log_dir = dup_or_null(jget_str(cfg, "log_directory"));
}

void de_cri_read(de_docker *d, const bb_bucket *cb, de_container *c)
{
	bb_bucket eb;
	if (bb_sub(cb, "extensions", &eb, NULL) != 1)
		return;
	json_t *exts = json_object();
	json_t *cmd = read_extension(&eb, EXT_CONTAINER, c, exts);
	json_t *smd = cmd ? NULL : read_extension(&eb, EXT_SANDBOX, c, exts);
	if (c->native && json_object_size(exts))
		json_object_set(c->native, "Extensions", exts);
	json_decref(exts);
	json_t *md = cmd ? cmd : smd;
	if (!md)
		return;
	const char *id = jget_str(md, "ID");
	if (id && strcmp(id, c->id)) {
		dbuf b = {0};
		de_escape(&b, id);   /* the evidence's: one line, no terminal escape */
		de_warn("%s: its CRI metadata names another container, %s: shown as recorded",
		        c->config_path, b.p ? b.p : "");
		db_free(&b);
	}
	c->pod = xcalloc(1, sizeof *c->pod);
	c->pod->attempt = -1;
	if (cmd)
		from_container(d, c, md);
	else
		from_sandbox(c, md);
	c->pod->support = !strcmp(c->pod->kind, "sandbox") ||
	                  (c->pod->namespace && !strcmp(c->pod->namespace, "kube-system"));
	set_name(c);
	classify_mounts(c);
	sandbox_hostname(d, c);
	c->pod->record = md;
}

/* ---- what the CRI plugin answers ------------------------------------------ */

/* Unix nanoseconds as RFC 3339; null for 0 (never). */
static json_t *ns_json(int64_t ns)
{
	if (ns <= 0)
		return json_null();
	char buf[48];
	de_time_ns(ns / 1000000000, (long)(ns % 1000000000), buf, sizeof buf);
	return json_string(buf);
}

static char *ns_time(int64_t ns)
{
	if (ns <= 0)
		return NULL;
	char buf[48];
	de_time_ns(ns / 1000000000, (long)(ns % 1000000000), buf, sizeof buf);
	return xstrdup(buf);
}

/* The plugin's Status.State(): exited once FinishedAt is set, running once
 * StartedAt is, created once CreatedAt is. */
static const char *cri_state(const de_cri_status *st)
{
	if (st->unknown)
		return "CONTAINER_UNKNOWN";
	if (st->finished_at)
		return "CONTAINER_EXITED";
	if (st->started_at)
		return "CONTAINER_RUNNING";
	return st->created_at ? "CONTAINER_CREATED" : "CONTAINER_UNKNOWN";
}

/* The CRI's MountPropagation names, by the number the JSON holds. */
static json_t *mounts_json(json_t *mounts)
{
	static const char *const prop[] = {"PROPAGATION_PRIVATE", "PROPAGATION_HOST_TO_CONTAINER",
	                                   "PROPAGATION_BIDIRECTIONAL"};
	json_t *a = json_array();
	size_t i;
	json_t *m;
	json_array_foreach(mounts, i, m) {
		json_t *o = json_object();
		int64_t pr = jget_int(m, "propagation", 0);
		json_object_set_new(o, "container_path", jstr(jget_str(m, "container_path")));
		json_object_set_new(o, "host_path", jstr(jget_str(m, "host_path")));
		json_object_set_new(o, "readonly", json_boolean(jget_bool(m, "readonly", false)));
		json_object_set_new(o, "selinux_relabel",
		                    json_boolean(jget_bool(m, "selinux_relabel", false)));
		json_object_set_new(o, "propagation", pr >= 0 && pr <= 2 ? json_string(prop[pr])
		                                                         : json_integer(pr));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *obj_or_empty(json_t *o)
{
	return json_is_object(o) ? json_incref(o) : json_object();
}

static void container_status(de_docker *d, de_container *c, json_t *md, json_t *cri)
{
	de_pod_info *p = c->pod;
	json_t *cfg = jget_obj(md, "Config");
	de_cri_status st;
	de_err e;
	bool have = false;
	if (de_safe_name(c->id)) {
		char *rel = xasprintf(CRI_ROOT "/containers/%s/status", c->id);
		/* an unreadable one was said when the state was read */
		have = ev_is_file(&d->root, rel) && de_cri_status_read(&d->root, rel, &st, &e) == 0;
		free(rel);
	}
	json_t *s = json_object();
	json_object_set_new(s, "id", jstr(c->id));
	json_t *meta = json_object();
	json_object_set_new(meta, "name", jstr(p->container));
	json_object_set_new(meta, "attempt", p->attempt >= 0 ? json_integer(p->attempt) : json_null());
	json_object_set_new(s, "metadata", meta);
	if (have) {
		const char *state = cri_state(&st);
		char *created = ns_time(st.created_at);
		if (created) {   /* the CRI's created_at: the status file's, not meta.db's */
			free(c->created);
			c->created = created;
		}
		if (!strcmp(state, "CONTAINER_EXITED") && !p->reason)
			p->reason = xstrdup(st.reason ? st.reason
			                    : st.exit_code == 0 ? "Completed" : "Error");
		json_object_set_new(s, "state", json_string(state));
		json_object_set_new(s, "created_at", ns_json(st.created_at));
		json_object_set_new(s, "started_at", ns_json(st.started_at));
		json_object_set_new(s, "finished_at", ns_json(st.finished_at));
		json_object_set_new(s, "exit_code", json_integer(st.exit_code));
	} else {
		json_object_set_new(s, "state", json_null());
	}
	json_t *img = json_object();
	json_object_set_new(img, "image", jstr(c->image_name));
	json_object_set_new(s, "image", img);
	json_object_set_new(s, "image_ref", jstr(p->image_ref));
	json_object_set_new(s, "reason", jstr(p->reason ? p->reason : ""));
	json_object_set_new(s, "message", jstr(have && st.message ? st.message : ""));
	json_object_set_new(s, "labels", obj_or_empty(jget_obj(cfg, "labels")));
	json_object_set_new(s, "annotations", obj_or_empty(jget_obj(cfg, "annotations")));
	json_object_set_new(s, "mounts", mounts_json(jget_arr(cfg, "mounts")));
	json_object_set_new(s, "log_path", jstr(p->log_path));
	json_object_set_new(cri, "status", s);
	json_t *info = json_object();
	json_object_set_new(info, "sandboxID", jstr(p->sandbox_id));
	json_object_set_new(info, "pid", have ? json_integer(st.pid) : json_null());
	json_object_set_new(info, "snapshotKey", json_incref(json_object_get(c->native, "SnapshotKey")));
	json_object_set_new(info, "snapshotter", jstr(c->driver));
	json_object_set_new(info, "runtimeType",
	                    json_incref(json_object_get(jget_obj(c->native, "Runtime"), "Name")));
	json_object_set_new(info, "config", cfg ? json_incref(cfg) : json_null());
	json_object_set_new(cri, "info", info);
	if (have)
		de_cri_status_free(&st);
}

/* NamespaceMode: POD 0, CONTAINER 1, NODE 2, TARGET 3. */
static json_t *ns_mode(json_t *opts, const char *key)
{
	static const char *const names[] = {"POD", "CONTAINER", "NODE", "TARGET"};
	int64_t v = jget_int(opts, key, 0);
	return v >= 0 && v <= 3 ? json_string(names[v]) : json_integer(v);
}

static void sandbox_status(de_container *c, json_t *md, json_t *cri)
{
	de_pod_info *p = c->pod;
	json_t *cfg = jget_obj(md, "Config");
	json_t *s = json_object();
	json_object_set_new(s, "id", jstr(c->id));
	json_t *meta = json_object();
	json_object_set_new(meta, "name", jstr(p->name));
	json_object_set_new(meta, "uid", jstr(p->uid));
	json_object_set_new(meta, "namespace", jstr(p->namespace));
	json_object_set_new(meta, "attempt", p->attempt >= 0 ? json_integer(p->attempt) : json_null());
	json_object_set_new(s, "metadata", meta);
	/* ready while its task runs: known only from a captured /run */
	json_object_set_new(s, "state", !c->has_state ? json_null()
	                                : json_string(c->running ? "SANDBOX_READY" : "SANDBOX_NOTREADY"));
	json_object_set_new(s, "created_at", jstr(c->created));
	json_t *net = json_object();
	json_object_set_new(net, "ip", jstr(jget_str(md, "IP") ? jget_str(md, "IP") : ""));
	json_object_set_new(s, "network", net);
	json_t *opts = jget_obj(jget_obj(jget_obj(cfg, "linux"), "security_context"),
	                        "namespace_options");
	json_t *o = json_object();
	json_object_set_new(o, "network", ns_mode(opts, "network"));
	json_object_set_new(o, "pid", ns_mode(opts, "pid"));
	json_object_set_new(o, "ipc", ns_mode(opts, "ipc"));
	json_object_set_new(o, "target_id", jstr(jget_str(opts, "target_id") ? jget_str(opts, "target_id") : ""));
	json_t *linux = json_object(), *nss = json_object();
	json_object_set_new(nss, "options", o);
	json_object_set_new(linux, "namespaces", nss);
	json_object_set_new(s, "linux", linux);
	json_object_set_new(s, "labels", obj_or_empty(jget_obj(cfg, "labels")));
	json_object_set_new(s, "annotations", obj_or_empty(jget_obj(cfg, "annotations")));
	const char *rh = jget_str(md, "RuntimeHandler");
	json_object_set_new(s, "runtime_handler", jstr(rh ? rh : ""));
	json_object_set_new(cri, "status", s);
	json_t *info = json_object();
	json_object_set_new(info, "pid", c->running ? json_integer(c->pid) : json_null());
	json_object_set_new(info, "image", jstr(c->image_name));
	json_object_set_new(info, "snapshotKey", json_incref(json_object_get(c->native, "SnapshotKey")));
	json_object_set_new(info, "snapshotter", jstr(c->driver));
	json_object_set_new(info, "runtimeHandler", jstr(rh ? rh : ""));
	json_object_set_new(info, "runtimeType",
	                    json_incref(json_object_get(jget_obj(c->native, "Runtime"), "Name")));
	json_object_set_new(info, "config", cfg ? json_incref(cfg) : json_null());
	json_t *cni = json_object_get(md, "CNIResult");
	json_object_set_new(info, "cniResult", cni ? json_incref(cni) : json_null());
	json_object_set_new(cri, "info", info);
}

void de_cri_finish(de_docker *d, de_container *c)
{
	json_t *md = c->pod ? c->pod->record : NULL;
	if (!md || !c->native)
		return;
	json_t *cri = json_object();
	if (!strcmp(c->pod->kind, "sandbox"))
		sandbox_status(c, md, cri);
	else
		container_status(d, c, md, cri);
	json_object_set_new(c->native, "CRI", cri);
}
