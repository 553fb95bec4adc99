/*
 * podman_inspect.c — a Podman container as `podman inspect` (Podman 4.3)
 * shows it, rebuilt from libpod's record the way libpod builds its answer
 * (libpod/container_inspect.go): the ContainerConfig and ContainerState
 * documents (bolt_state.db ctr/<id>/{config,state} or db.sql), the OCI
 * spec the container last ran with (state.configPath, which is
 * <staticDir>/config.json in containers/storage's container directory;
 * libpod's own spec when it is not there, as specFromState does), the
 * named volumes' records, the image's digest (images.json) and its layers
 * (overlay/<id>/{diff,work,merged}).
 *
 * What libpod reads from the live system is taken from the evidence: the
 * cgroup of a running container from its spec's cgroupsPath (Podman reads
 * /proc/<pid>/cgroup), the host's name from the imaged host's /etc/hostname,
 * a device's host path named /dev/{char,block}/MAJOR:MINOR (Podman looks the
 * numbers up in the analyst's /dev). The libpod record itself is kept under
 * "de" with the layer stack, as for Docker.
 */
#include "podman_inspect.h"

#include <stdlib.h>
#include <string.h>

#include "../driver/driver.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

/* ---- small JSON helpers ------------------------------------------------- */

/* The string at key, "" when absent (Go's zero value). */
json_t *pi_str(const json_t *o, const char *key)
{
	const char *s = jget_str(o, key);
	return json_string(s ? s : "");
}

json_t *pi_int(const json_t *o, const char *key)
{
	return json_integer(jget_int(o, key, 0));
}

json_t *pi_bool(const json_t *o, const char *key)
{
	return json_boolean(jget_bool(o, key, false));
}

/* The value at key as it is, or null. */
json_t *pi_copy(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v ? json_incref(v) : json_null();
}

/* The strings of a JSON array, as a new array of strings; [] when none. */
json_t *pi_strings(const json_t *arr)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			json_array_append(out, v);
	return out;
}

/* Go's time.Time as libpod stored it, or its zero value. */
static json_t *pi_time(const json_t *o, const char *key)
{
	const char *s = jget_str(o, key);
	return json_string(s ? s : "0001-01-01T00:00:00Z");
}

/* ---- State ---------------------------------------------------------------- */

/* libpod's ContainerStatus.String() (libpod/define/containerstate.go): the
 * states are 0 unknown, 1 configured, 2 created, 3 running, 4 stopped,
 * 5 paused, 6 exited, 7 removing, 8 stopping; "configured" is printed
 * "created" and "created" "initialized", for Docker's sake. */
const char *de_podman_status(int64_t state)
{
	static const char *const names[] = {"unknown", "created", "initialized", "running",
	                                    "stopped", "paused", "exited", "removing", "stopping"};
	return state >= 0 && state < 9 ? names[state] : "bad state";
}

char *pi_systemd_cgroup(const char *spec)
{
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2)
		return NULL;
	dbuf b = {0};
	size_t sl = (size_t)(c1 - spec);
	const char *suffix = ".slice";
	if (sl > 6 && !strncmp(c1 - 6, suffix, 6) && strncmp(spec, "-.slice", sl)) {
		for (size_t i = 0; i < sl - 6; i++)
			if (spec[i] == '-' || i + 1 == sl - 6)
				db_addf(&b, "/%.*s%s", (int)(spec[i] == '-' ? i : i + 1), spec, suffix);
	}
	db_addf(&b, "/%.*s-%s.scope", (int)(c2 - c1 - 1), c1 + 1, c2 + 1);
	return db_take(&b);
}

/* The cgroup of a running or paused container (Podman 4.3 reads it from
 * /proc/<pid>/cgroup): the one its OCI spec asked the runtime for. */
static json_t *cgroup_path(const json_t *cfg, int64_t state, const json_t *spec)
{
	if ((state != 3 && state != 5) || jget_bool(cfg, "noCgroups", false))
		return NULL;
	const char *mode = jget_str(cfg, "cgroupsMode");
	const char *p = jget_str(jget_obj(spec, "linux"), "cgroupsPath");
	if ((mode && !strcmp(mode, "disabled")) || !p || !*p)
		return NULL;
	if (*p == '/')
		return json_string(p);
	char *s = pi_systemd_cgroup(p);
	json_t *j = s ? json_string(s) : NULL;
	free(s);
	return j;
}

/* The health check's results (getHealthCheckLog): the JSON file
 * healthcheck.log beside the run directory (<runroot>/overlay-containers/
 * <id>/), on the imaged host; the empty record when there is none. */
static json_t *health(de_docker *d, const json_t *cfg, const json_t *st)
{
	json_t *h = NULL;
	const char *rd = jget_str(st, "runDir");
	const char *slash = rd ? strrchr(rd, '/') : NULL;
	ev_root host;
	if (jget_obj(cfg, "healthcheck") && slash && slash > rd && *d->host_root &&
	    ev_root_open_host(&host, d->host_root, NULL) == 0) {
		char *rel = xasprintf("%.*s/healthcheck.log", (int)(slash - rd), rd);
		de_err e;
		if (ev_is_file(&host, rel) && !(h = ev_read_json(&host, rel, EV_MAX_JSON, &e)))
			de_warn("%s", e.msg);
		free(rel);
		ev_root_close(&host);
	}
	if (json_is_object(h))
		return h;
	json_decref(h);
	h = json_object();
	json_object_set_new(h, "Status", json_string(""));
	json_object_set_new(h, "FailingStreak", json_integer(0));
	json_object_set_new(h, "Log", json_null());
	return h;
}

static json_t *state_json(de_docker *d, const json_t *cfg, const json_t *st, const json_t *spec)
{
	json_t *o = json_object();
	int64_t s = jget_int(st, "state", 0);
	const char *status = de_podman_status(s);
	json_object_set_new(o, "OciVersion", pi_str(spec, "ociVersion"));
	json_object_set_new(o, "Status", json_string(status));
	json_object_set_new(o, "Running", json_boolean(s == 3));
	json_object_set_new(o, "Paused", json_boolean(s == 5));
	json_object_set_new(o, "Restarting", json_false());
	json_object_set_new(o, "OOMKilled", pi_bool(st, "oomKilled"));
	json_object_set_new(o, "Dead", json_boolean(!strcmp(status, "bad state")));
	json_object_set_new(o, "Pid", pi_int(st, "pid"));
	if (jget_int(st, "conmonPid", 0))
		json_object_set_new(o, "ConmonPid", pi_int(st, "conmonPid"));
	json_object_set_new(o, "ExitCode", pi_int(st, "exitCode"));
	json_object_set_new(o, "Error", json_string(""));
	json_object_set_new(o, "StartedAt", pi_time(st, "startedTime"));
	json_object_set_new(o, "FinishedAt", pi_time(st, "finishedTime"));
	json_object_set_new(o, "Health", health(d, cfg, st));
	if (jget_bool(st, "checkpointed", false))
		json_object_set_new(o, "Checkpointed", json_true());
	json_t *cg = cgroup_path(cfg, s, spec);
	if (cg)
		json_object_set_new(o, "CgroupPath", cg);
	json_object_set_new(o, "CheckpointedAt", pi_time(st, "checkpointedTime"));
	json_object_set_new(o, "RestoredAt", pi_time(st, "restoredTime"));
	static const char *const opt[][2] = {{"CheckpointLog", "checkpointLog"},
	                                     {"CheckpointPath", "checkpointPath"},
	                                     {"RestoreLog", "restoreLog"}};
	for (size_t i = 0; i < 3; i++) {
		const char *v = jget_str(st, opt[i][1]);
		if (v && *v)
			json_object_set_new(o, opt[i][0], json_string(v));
	}
	if (jget_bool(st, "restored", false))
		json_object_set_new(o, "Restored", json_true());
	return o;
}

/* ---- the spec the container ran with -------------------------------------- */

/* specFromState: the OCI config.json of its last start (state.configPath,
 * which libpod writes as <staticDir>/config.json: in the store,
 * overlay-containers/<id>/userdata/config.json); libpod's own spec when
 * there is none. */
static json_t *spec_from_state(de_docker *d, const de_container *c, json_t *cfg, json_t *st)
{
	json_t *own = jget_obj(cfg, "spec");
	const char *cp = jget_str(st, "configPath");
	if (!cp || !*cp || !de_safe_name(c->id))
		return own ? json_incref(own) : json_object();
	char *rel = xasprintf("overlay-containers/%s/userdata/config.json", c->id);
	const char *sd = jget_str(cfg, "staticDir");
	char *want = sd ? xasprintf("%s/config.json", sd) : NULL;
	json_t *spec = NULL;
	if (!want || strcmp(want, cp))
		de_warn("container %s: its OCI spec is recorded at %s, not in its directory %s: "
		        "libpod's own spec is used", c->id, cp, sd ? sd : "(none)");
	else if (ev_is_file(&d->root, rel)) {
		de_err e;
		spec = ev_read_json(&d->root, rel, EV_MAX_JSON, &e);
		if (!spec)
			de_warn("%s (libpod's own spec is used)", e.msg);
	}
	free(rel);
	free(want);
	return spec ? spec : own ? json_incref(own) : json_object();
}

/* ---- Mounts ------------------------------------------------------------- */

/* parseMountOptionsForInspect: ro/rw, the propagation, z/Z and the rest. */
static void mount_options(json_t *m, const json_t *opts)
{
	bool rw = true;
	const char *prop = "", *zz = "";
	json_t *other = json_array(), *v;
	size_t i;
	json_array_foreach(opts, i, v) {
		const char *o = json_string_value(v);
		if (!o)
			continue;
		static const char *const props[] = {"shared", "slave", "private", "rshared",
		                                    "rslave", "rprivate", "unbindable", "runbindable"};
		bool is_prop = false;
		for (size_t k = 0; k < 8; k++)
			is_prop |= !strcmp(o, props[k]);
		if (!strcmp(o, "ro"))
			rw = false;
		else if (!strcmp(o, "rw"))
			continue;
		else if (is_prop)
			prop = o;
		else if (!strcmp(o, "z") || !strcmp(o, "Z"))
			zz = o;
		else
			json_array_append(other, v);
	}
	json_object_set_new(m, "Mode", json_string(zz));
	json_object_set_new(m, "Options", other);
	json_object_set_new(m, "RW", json_boolean(rw));
	json_object_set_new(m, "Propagation", json_string(prop));
}

/* sortUserVolumes: the user's volumes (config.userVolumes, destinations),
 * each a named volume of the config or a mount of the spec. */
void pi_user_volumes(const json_t *cfg, const json_t *spec, json_t *named, json_t *mounts)
{
	json_t *dest;
	size_t i;
	json_array_foreach(jget_arr(cfg, "userVolumes"), i, dest) {
		const char *d = json_string_value(dest);
		json_t *v, *hit = NULL;
		size_t k;
		json_array_foreach(jget_arr(cfg, "namedVolumes"), k, v) {
			const char *vd = jget_str(v, "dest");
			if (d && vd && !strcmp(vd, d))
				hit = v;
		}
		if (hit) {
			json_array_append(named, hit);
			continue;
		}
		json_array_foreach(jget_arr(spec, "mounts"), k, v) {
			const char *md = jget_str(v, "destination");
			if (d && md && !strcmp(md, d))
				hit = v;   /* the last one, as a Go map filled in order */
		}
		if (hit)
			json_array_append(mounts, hit);
	}
}

static json_t *mounts_json(const json_t *cfg, const json_t *vols, const json_t *named,
                           const json_t *mounts)
{
	json_t *arr = json_array(), *v;
	size_t i;
	if (!json_array_size(jget_arr(cfg, "userVolumes")))
		return arr;
	json_array_foreach(named, i, v) {
		const char *name = jget_str(v, "volumeName");
		json_t *rec = name ? json_object_get(vols, name) : NULL;
		json_t *m = json_object();
		json_object_set_new(m, "Type", json_string("volume"));
		json_object_set_new(m, "Name", json_string(name ? name : ""));
		json_object_set_new(m, "Source", pi_str(rec, "mountPoint"));
		json_object_set_new(m, "Destination", pi_str(v, "dest"));
		json_object_set_new(m, "Driver", pi_str(rec, "volumeDriver"));
		mount_options(m, jget_arr(v, "options"));
		json_array_append_new(arr, m);
	}
	json_array_foreach(jget_arr(cfg, "imageVolumes"), i, v) {
		json_t *m = json_object();
		json_object_set_new(m, "Type", json_string("image"));
		json_object_set_new(m, "Source", pi_str(v, "source"));
		json_object_set_new(m, "Destination", pi_str(v, "dest"));
		json_object_set_new(m, "Driver", json_string(""));
		json_object_set_new(m, "Mode", json_string(""));
		json_object_set_new(m, "Options", json_null());
		json_object_set_new(m, "RW", pi_bool(v, "rw"));
		json_object_set_new(m, "Propagation", json_string(""));
		json_array_append_new(arr, m);
	}
	json_array_foreach(mounts, i, v) {
		const char *t = jget_str(v, "type");
		if (t && !strcmp(t, "tmpfs"))
			continue;
		json_t *m = json_object();
		json_object_set_new(m, "Type", json_string("bind"));
		json_object_set_new(m, "Source", pi_str(v, "source"));
		json_object_set_new(m, "Destination", pi_str(v, "destination"));
		json_object_set_new(m, "Driver", json_string(""));
		mount_options(m, jget_arr(v, "options"));
		json_array_append_new(arr, m);
	}
	return arr;
}

/* ---- GraphDriver ---------------------------------------------------------- */

/* Whether containers/storage counts the layer as mounted (store.Mounted:
 * <runroot>/overlay-layers/mountpoints.json, count > 0), the runroot being
 * what the container's run directory (<runroot>/overlay-containers/<id>/
 * userdata) says; libpod's own "mounted" when that file is not there. */
static bool layer_mounted(de_docker *d, const de_container *c, const json_t *st)
{
	bool mounted = jget_bool(st, "mounted", false);
	const char *rd = jget_str(st, "runDir");
	char *tail = xasprintf("/overlay-containers/%s/userdata", c->id);
	size_t rl = rd ? strlen(rd) : 0, tl = strlen(tail);
	ev_root h;
	if (!*d->host_root || !c->mount_id || rl <= tl || strcmp(rd + rl - tl, tail) ||
	    ev_root_open_host(&h, d->host_root, NULL) < 0) {
		free(tail);
		return mounted;
	}
	char *rel = xasprintf("%.*s/overlay-layers/mountpoints.json", (int)(rl - tl), rd);
	if (ev_is_file(&h, rel)) {
		de_err e;
		json_t *mp = ev_read_json(&h, rel, EV_MAX_JSON, &e), *v;
		size_t i;
		if (!mp)
			de_warn("%s", e.msg);
		else
			mounted = false;
		json_array_foreach(mp, i, v) {
			const char *id = jget_str(v, "id");
			if (id && !strcmp(id, c->mount_id))
				mounted = jget_int(v, "count", 0) > 0;
		}
		json_decref(mp);
	}
	free(rel);
	free(tail);
	ev_root_close(&h);
	return mounted;
}

/* The overlay driver's Metadata (LowerDir, MergedDir when mounted,
 * UpperDir, WorkDir), under the data root de was given, as de's Docker
 * inspect names them. */
static json_t *graphdriver_json(de_docker *d, const de_container *c, const json_t *st)
{
	json_t *g = json_object(), *data = json_object();
	const de_driver *drv = de_driver_find(c->driver);
	de_layer_stack ls = {0};
	de_err e;
	json_object_set_new(g, "Name", json_string("overlay"));
	if (drv && c->mount_id && drv->layer_stack(&d->root, c, &ls, &e) == 0 && ls.n) {
		dbuf lower = {0};
		for (size_t i = 1; i < ls.n; i++)
			db_addf(&lower, "%s%s/%s", i > 1 ? ":" : "", d->root.path, ls.v[i].dir);
		if (lower.p)
			json_object_set_new(data, "LowerDir", json_string(lower.p));
		db_free(&lower);
		char *base = xasprintf("%s/overlay/%s", d->root.path, c->mount_id);
		char *merged = xasprintf("%s/merged", base), *upper = xasprintf("%s/diff", base);
		char *work = xasprintf("%s/work", base);
		if (layer_mounted(d, c, st))
			json_object_set_new(data, "MergedDir", json_string(merged));
		json_object_set_new(data, "UpperDir", json_string(upper));
		json_object_set_new(data, "WorkDir", json_string(work));
		free(base); free(merged); free(upper); free(work);
	} else if (drv && c->mount_id) {
		de_warn("%s", e.msg);
	}
	de_layer_stack_free(&ls);
	json_object_set_new(g, "Data", data);
	return g;
}

/* ---- the rest ------------------------------------------------------------- */

/* The image's digest, as libimage gives it: images.json's "digest". */
static json_t *image_digest(de_docker *d, const char *image_id)
{
	char *dg = image_id && *image_id ? de_storage_image_digest(d, image_id) : NULL;
	json_t *j = json_string(dg ? dg : "");
	free(dg);
	return j;
}

/* Dependencies(): the containers whose namespaces it joins and those it
 * depends on, each once (sorted: Podman's order is a Go map's). */
static json_t *dependencies(const json_t *cfg)
{
	static const char *const ns[] = {"ipcNsCtr", "mountNsCtr", "netNsCtr", "pidNsCtr",
	                                 "userNsCtr", "utsNsCtr", "cgroupNsCtr"};
	strvec ids = {0};
	for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
		const char *v = jget_str(cfg, ns[i]);
		if (v && *v)
			sv_push(&ids, v);
	}
	json_t *v;
	size_t i;
	json_array_foreach(jget_arr(cfg, "Dependencies"), i, v)
		if (json_is_string(v))
			sv_push(&ids, json_string_value(v));
	sv_sort(&ids);
	json_t *arr = json_array();
	for (size_t k = 0; k < ids.n; k++)
		if (!k || strcmp(ids.v[k], ids.v[k - 1]))
			json_array_append_new(arr, json_string(ids.v[k]));
	sv_free(&ids);
	return arr;
}

/* The exec sessions libpod recorded (state "newExecSessions"), sorted. */
static json_t *exec_ids(const json_t *st)
{
	strvec ids = {0};
	const char *k;
	json_t *v;
	json_object_foreach(jget_obj(st, "newExecSessions"), k, v)
		sv_push(&ids, k);
	sv_sort(&ids);
	json_t *arr = json_array();
	for (size_t i = 0; i < ids.n; i++)
		json_array_append_new(arr, json_string(ids.v[i]));
	sv_free(&ids);
	return arr;
}

static const char *bind_mount(const json_t *st, const char *dest)
{
	return jget_str(jget_obj(st, "bindMounts"), dest);
}

/* The hostname of the container whose UTS namespace cfg's joins
 * (Hostname() follows the chain): its libpod spec's, or its ID's first 12
 * characters. NULL when it joins none, or that container is not found. */
static char *joined_hostname(de_docker *d, const json_t *cfg)
{
	const char *uts = jget_str(cfg, "utsNsCtr");
	if (!uts || !*uts)
		return NULL;
	de_container_list l = {0};
	de_err e;
	char *out = NULL, *want = xstrdup(uts);
	if (de_storage_load_all(d, &l, &e) < 0)
		de_warn("%s", e.msg);
	for (int depth = 0; want && depth < 16; depth++) {
		const json_t *oc = NULL;
		for (size_t i = 0; i < l.n && !oc; i++)
			if (!strcmp(l.v[i]->id, want))
				oc = jget_obj(l.v[i]->native, "config");
		free(want);
		want = NULL;
		const char *next = jget_str(oc, "utsNsCtr"), *h = jget_str(jget_obj(oc, "spec"), "hostname");
		const char *id = jget_str(oc, "id");
		if (next && *next)
			want = xstrdup(next);
		else if (h && *h)
			out = xstrdup(h);
		else if (id)
			out = xstrndup(id, 12);
	}
	if (!out)
		de_warn("container %s: the container whose UTS namespace it joins (%s) is not found: "
		        "its Hostname is not known", jget_str(cfg, "id"), uts);
	free(want);
	de_container_list_free(&l);
	return out;
}

/* de's own addition: the layers of the container's view, top first, and
 * libpod's record as it is. */
static json_t *de_json(de_docker *d, const de_container *c)
{
	json_t *o = json_object(), *arr = json_array();
	const de_driver *drv = de_driver_find(c->driver);
	de_layer_stack ls = {0};
	de_err e;
	if (drv && drv->layer_stack(&d->root, c, &ls, &e) == 0) {
		for (size_t i = 0; i < ls.n; i++) {
			json_t *l = json_object();
			json_object_set_new(l, "role", json_string(ls.v[i].role));
			json_object_set_new(l, "id", json_string(ls.v[i].id));
			char *dir = xasprintf("%s/%s", d->root.path, ls.v[i].dir);
			json_object_set_new(l, "dir", json_string(dir));
			free(dir);
			json_array_append_new(arr, l);
		}
	}
	de_layer_stack_free(&ls);
	json_object_set_new(o, "config_path", json_string(c->config_path ? c->config_path : ""));
	json_object_set_new(o, "layers", arr);
	json_object_set(o, "libpod", c->native);
	return o;
}

json_t *de_podman_inspect(de_docker *d, const de_container *c)
{
	json_t *cfg = jget_obj(c->native, "config"), *st = jget_obj(c->native, "state");
	json_t *vols = jget_obj(c->native, "volumes");
	json_t *spec = spec_from_state(d, c, cfg, st), *o = json_object();
	json_t *named = json_array(), *mounts = json_array();
	pi_user_volumes(cfg, spec, named, mounts);

	json_object_set_new(o, "Id", pi_str(cfg, "id"));
	json_object_set_new(o, "Created", pi_time(cfg, "createdTime"));
	/* Path and Args from libpod's own spec; Args keeps the one argument
	 * when there is only one, as libpod does. */
	json_t *args = jget_arr(jget_obj(jget_obj(cfg, "spec"), "process"), "args");
	const char *path = json_string_value(json_array_get(args, 0));
	json_object_set_new(o, "Path", json_string(path ? path : ""));
	json_t *rest = json_array(), *v;
	size_t i;
	json_array_foreach(args, i, v)
		if ((i > 0 || json_array_size(args) == 1) && json_is_string(v))
			json_array_append(rest, v);
	json_object_set_new(o, "Args", rest);
	json_object_set_new(o, "State", state_json(d, cfg, st, spec));
	json_object_set_new(o, "Image", pi_str(cfg, "rootfsImageID"));
	json_object_set_new(o, "ImageDigest", image_digest(d, jget_str(cfg, "rootfsImageID")));
	json_object_set_new(o, "ImageName", pi_str(cfg, "rootfsImageName"));
	json_object_set_new(o, "Rootfs", pi_str(cfg, "rootfs"));
	json_object_set_new(o, "Pod", pi_str(cfg, "pod"));
	const char *b;
	json_object_set_new(o, "ResolvConfPath", json_string((b = bind_mount(st, "/etc/resolv.conf")) ? b : ""));
	json_object_set_new(o, "HostnamePath", json_string((b = bind_mount(st, "/etc/hostname")) ? b : ""));
	json_object_set_new(o, "HostsPath", json_string((b = bind_mount(st, "/etc/hosts")) ? b : ""));
	json_object_set_new(o, "StaticDir", pi_str(cfg, "staticDir"));
	const char *cp = jget_str(st, "configPath");
	if (cp && *cp)
		json_object_set_new(o, "OCIConfigPath", json_string(cp));
	json_object_set_new(o, "OCIRuntime", pi_str(cfg, "runtime"));
	json_object_set_new(o, "ConmonPidFile", pi_str(cfg, "conmonPidFile"));
	json_object_set_new(o, "PidFile", pi_str(cfg, "pid_file"));
	json_object_set_new(o, "Name", pi_str(cfg, "name"));
	json_object_set_new(o, "RestartCount", pi_int(st, "restartCount"));
	json_object_set_new(o, "Driver", json_string("overlay"));
	json_object_set_new(o, "MountLabel", pi_str(cfg, "MountLabel"));
	json_object_set_new(o, "ProcessLabel", pi_str(cfg, "ProcessLabel"));
	json_t *proc = jget_obj(spec, "process"), *caps = jget_obj(proc, "capabilities");
	json_object_set_new(o, "AppArmorProfile", pi_str(proc, "apparmorProfile"));
	json_object_set_new(o, "EffectiveCaps", caps ? pi_copy(caps, "effective") : json_null());
	json_object_set_new(o, "BoundingCaps", caps ? pi_copy(caps, "bounding") : json_null());
	json_object_set_new(o, "ExecIDs", exec_ids(st));
	json_object_set_new(o, "GraphDriver", graphdriver_json(d, c, st));
	json_object_set_new(o, "Mounts", mounts_json(cfg, vols, named, mounts));
	json_object_set_new(o, "Dependencies", dependencies(cfg));
	json_object_set_new(o, "NetworkSettings", pi_network(cfg, st, jget_obj(c->native, "networks")));
	json_object_set_new(o, "Namespace", pi_str(cfg, "namespace"));
	json_object_set_new(o, "IsInfra", pi_bool(cfg, "isInfra"));
	json_object_set_new(o, "IsService", pi_bool(cfg, "isService"));
	char *other = joined_hostname(d, cfg);
	json_object_set_new(o, "Config", pi_config(cfg, spec, other));
	free(other);
	json_object_set_new(o, "HostConfig", pi_hostconfig(cfg, spec, named, mounts));
	json_object_set_new(o, "de", de_json(d, c));
	json_decref(named);
	json_decref(mounts);
	json_decref(spec);
	return o;
}
