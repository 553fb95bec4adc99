/*
 * logsource.c — see logsource.h.
 */
#include "logsource.h"

#include <string.h>

#include "../util/jget.h"
#include "storage.h"

static bool is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* CRI-O's log is where its LogPath annotation says, on the host. */
static int crio_source(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	s->fmt = DE_LOG_K8SFILE;
	if (de_storage_cri_logs(d, c, &s->host, &s->files, e) < 0)
		return -1;
	s->root = &s->host;
	if (!s->files.n) {
		s->why = xasprintf("container %s: no log file at %s: the logs are gone", c->id,
		                   c->log_path ? c->log_path : "(no LogPath)");
		s->missing = true;
	}
	return 0;
}

int de_log_source_open(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	memset(s, 0, sizeof *s);
	s->host.fd = -1;
	s->root = &d->root;
	if (is(c->runtime, "containerd")) {
		s->why = xasprintf("container %s: containerd keeps no log of a container's output "
		                   "(its stdout went where its creator sent it; Kubernetes' are "
		                   "under /var/log/pods)", c->id);
		return 0;
	}
	if (is(c->runtime, "cri-o"))
		return crio_source(d, c, s, e);
	/* Podman's conmon writes k8s-file into the container's userdata;
	 * Docker's log driver is in hostconfig.json (LogConfig.Type). */
	bool storage = d->kind == DE_ROOT_STORAGE;
	const char *driver = storage ? "k8s-file"
	                   : jget_str(jget_obj(de_docker_hostconfig(d, c), "LogConfig"), "Type");
	char *dir = xasprintf(storage ? "overlay-containers/%s" : "containers/%s", c->id);
	s->fmt = DE_LOG_K8SFILE;
	int rc = de_log_files(&d->root, dir, c->id, driver, &s->files, &s->fmt, e);
	if (rc == 0 && !s->files.n) {
		s->missing = !driver || is(driver, "json-file") || is(driver, "local") ||
		             is(driver, "k8s-file");
		s->why = s->missing
		       ? xasprintf("container %s: no %s log file in %s/%s: the logs are gone", c->id,
		                   driver ? driver : "json-file", d->root.path, dir)
		       : xasprintf("container %s: log driver \"%s\" sent the output off the host, "
		                   "and no dual-logging cache is left: nothing to read here", c->id,
		                   driver);
	}
	free(dir);
	return rc;
}

void de_log_source_close(de_log_source *s)
{
	sv_free(&s->files);
	free(s->why);
	ev_root_close(&s->host);
	memset(s, 0, sizeof *s);
	s->host.fd = -1;
}
