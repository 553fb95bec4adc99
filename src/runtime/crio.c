/*
 * crio.c — CRI-O's containers in a containers/storage root.
 *
 * CRI-O (internal/storage/runtime.go, internal/oci/container.go) writes:
 *   overlay-containers/volatile-containers.json   its containers are all
 *       "volatile"; metadata = {pod-name, pod-id, image-name, image-id,
 *       name, metadata-name, uid, namespace, created-at, attempt, pod}
 *       (pod: true for the sandbox's infra container, whose id is pod-id)
 *   overlay-containers/<id>/userdata/config.json  the OCI spec, with the
 *       io.kubernetes.cri-o.* annotations: Name, ContainerName, ContainerType
 *       ("container" or "sandbox"), Created (RFC 3339), Image, ImageName,
 *       ImageRef, LogPath, SandboxID, SandboxName, HostName, Labels and
 *       Metadata (JSON documents in strings), …
 *   overlay-containers/<id>/userdata/state.json   its oci.ContainerState as
 *       last saved: status ("created", "running", "stopped", "paused"), pid,
 *       created, started, finished, exitCode, oomKilled. It is what CRI-O
 *       knew when it last wrote it: a running one may have died since.
 *   LogPath (kubelet's /var/log/pods/<ns>_<pod>_<uid>/<ctr>/<attempt>.log)
 *       in the CRI log format (as Podman's k8s-file); kubelet rotates it to
 *       <file>.<YYYYMMDD-hhmmss>[.gz].
 */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#include "../logs/logs.h"
#include "../util/jget.h"
#include "engine_files.h"
#include "../util/pathutil.h"

#define ANN "io.kubernetes.cri-o."

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* An annotation holding a JSON object in a string (Labels, Metadata). */
static json_t *json_annotation(json_t *ann, const char *key, const char *what)
{
	const char *v = jget_str(ann, key);
	if (!v)
		return NULL;
	de_err e;
	json_t *j = ev_parse_json(v, strlen(v), what, &e);
	if (!j || !json_is_object(j)) {
		de_warn("%s: annotation %s is not a JSON object", what, key);
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *read_userdata(de_docker *d, const char *id, const char *file)
{
	char *rel = xasprintf("overlay-containers/%s/userdata/%s", id, file);
	json_t *j = NULL;
	de_err e;
	if (ev_is_file(&d->root, rel) && !(j = ev_read_json(&d->root, rel, EV_MAX_JSON, &e)))
		de_warn("%s", e.msg);
	free(rel);
	return j;
}

static void apply_crio_state(de_container *c, json_t *st)
{
	const char *status = jget_str(st, "status");
	if (!status)
		return;
	c->has_state = true;
	c->running = !strcmp(status, "running") || !strcmp(status, "paused");
	c->paused = !strcmp(status, "paused");
	c->pid = jget_int(st, "pid", 0);
	c->exit_code = jget_int(st, "exitCode", 0);
	c->oom_killed = jget_bool(st, "oomKilled", false);
	c->started_at = dup_or_null(jget_str(st, "started"));
	c->finished_at = dup_or_null(jget_str(st, "finished"));
}

void crio_fill(de_docker *d, de_container *c, json_t *entry, json_t *meta)
{
	json_t *cfg = read_userdata(d, c->id, "config.json");
	json_t *st = read_userdata(d, c->id, "state.json");
	json_t *ann = jget_obj(cfg, "annotations");
	char *what = xasprintf("%s/overlay-containers/%s/userdata/config.json", d->root.path, c->id);
	const char *v;
	if ((v = jget_str(ann, ANN "ImageName")) && *v) {
		free(c->image_name);
		c->image_name = xstrdup(v);
	}
	if ((v = jget_str(ann, ANN "Created")) && *v) {
		free(c->created);
		c->created = xstrdup(v);
	}
	if ((v = jget_str(ann, ANN "HostName")) && *v)
		c->hostname = xstrdup(v);
	if ((v = jget_str(ann, ANN "LogPath")) && *v)
		c->log_path = de_host_path(d->host_root, v);
	c->command = jget_join_strings(jget_arr(jget_obj(cfg, "process"), "args"));
	json_t *labels = json_annotation(ann, ANN "Labels", what);
	if (labels && json_object_size(labels))
		c->labels = labels;
	else
		json_decref(labels);
	apply_crio_state(c, st);
	if (cfg)
		de_engine_files_oci(d, cfg, c);
	if (!st)
		de_note("container %s: CRI-O saved no state.json: its state is not recorded on disk",
		        c->id);
	json_t *native = json_object();
	json_object_set(native, "storage", entry);
	json_object_set(native, "metadata", meta);
	json_object_set(native, "annotations", ann ? ann : json_null());
	json_object_set_new(native, "state", st ? st : json_null());
	c->native = native;
	c->config = cfg;
	free(what);
}

int de_storage_cri_logs(de_docker *d, const de_container *c, ev_root *host, strvec *files,
                        de_err *e)
{
	const char *lp = jget_str(jget_obj(c->native, "annotations"), ANN "LogPath");
	if (!lp || !*lp)
		return de_fail(e, "container %s: CRI-O recorded no LogPath", c->id);
	while (*lp == '/')
		lp++;
	if (ev_root_open_host(host, *d->host_root ? d->host_root : "/", e) < 0)
		return -1;
	return de_log_files_kubelet(host, lp, files, e);
}
