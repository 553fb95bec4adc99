/*
 * logsource.c — see logsource.h.
 */
#include "logsource.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../util/timefmt.h"
#include "../util/utf8.h"
#include "../util/jget.h"
#include "../util/timefmt.h"
#include "cri.h"
#include "storage.h"

#define MAX_FILE_OPT 100000   /* a max-file beyond this is not believed */

static bool is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* What the evidence says, fit for a message: escaped (hostile case: a
 * driver name or option with a terminal escape). Known names are plain
 * ASCII, left as they are, so they still compare equal. */
static char *esc(const char *s)
{
	dbuf b = {0};
	de_escape(&b, s);
	return b.p ? db_take(&b) : xstrdup("");
}

/* Go's zero time in StartedAt (Docker), startedTime (libpod), started
 * (CRI-O's state.json): the engines set it when the container first runs,
 * so a recorded state with a zero start time is a container that never ran. */
static bool never_started(const de_container *c)
{
	de_time t;
	return c->has_state && !c->running && !c->paused && !c->restarting && c->started_at &&
	       de_time_parse(c->started_at, &t) == 0 && de_time_is_zero(&t);
}

/* ---- rotation ------------------------------------------------------------------ */

/* Docker's rotation options (loggerutils.LogFile): max-size (none: one file
 * that grows for ever), max-file (the files kept, the current one
 * included). The dual-logging cache reads them prefixed "cache-". */
static void rotation_config(de_log_source *s, json_t *opts, const char *prefix, const char *what,
                            const char *def_size, long def_files)
{
	char k[32];
	snprintf(k, sizeof k, "%smax-size", prefix);
	const char *size = jget_str(opts, k);
	snprintf(k, sizeof k, "%smax-file", prefix);
	const char *files = jget_str(opts, k);
	long n = def_files;
	if (files) {
		char *end;
		long v = strtol(files, &end, 10);
		if (end != files && !*end && v >= 1 && v <= MAX_FILE_OPT)
			n = v;
	}
	if (!(size && *size) && !def_size)
		return;   /* json-file without max-size: never rotated */
	s->max_file = n;
	s->truncates = n == 1;   /* rotate() keeps nothing: the file is emptied */
	char *shown = esc(size && *size ? size : def_size);
	s->limits = xasprintf("%s, %smax-size=%s%s, %smax-file=%ld%s", what, prefix, shown,
	                      size && *size ? "" : " (default)", prefix, n, files ? "" : " (default)");
	free(shown);
}

/* The N of base.N or base.N.gz; 0 for the current file. */
static long rotation_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t l = strlen(b);
	if (l > 3 && !strcmp(b + l - 3, ".gz"))
		l -= 3;
	size_t i = l;
	while (i > 0 && isdigit((unsigned char)b[i - 1]))
		i--;
	if (i == l || i < 2 || b[i - 1] != '.')
		return 0;
	return strtol(b + i, NULL, 10);
}

/* files are oldest first: rotation numbers descending, the current file
 * (0) last. A number skipped is a file deleted out of turn: an omission.
 * The set is full when the oldest file the driver keeps is there. */
static void rotation_state(de_log_source *s)
{
	if (s->max_file < 2 || !s->files.n)
		return;
	long top = rotation_of(s->files.v[0]), prev = top + 1;
	for (size_t i = 0; i < s->files.n; i++) {
		long n = rotation_of(s->files.v[i]);
		if (n < prev - 1)
			de_warn("%s: its log files .%ld to .%ld are missing between %s and %s: the output "
			        "they held is gone", s->name, n + 1, prev - 1,
			        i ? s->files.v[i - 1] : "(none)", s->files.v[i]);
		prev = n;
	}
	if (prev != 0)
		de_warn("%s: its current log file is missing (the newest is %s): the output written "
		        "after that rotation is gone", s->name, s->files.v[s->files.n - 1]);
	s->full = top >= s->max_file - 1;
}

/* ---- Docker -------------------------------------------------------------------- */

/* The destination a driver's options name, for the message. */
static const char *destination(json_t *opts, const char *driver)
{
	static const char *const keys[] = {"address", "url", "group"};
	char k[64];
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		snprintf(k, sizeof k, "%s-%s", driver, keys[i]);
		const char *v = jget_str(opts, k);
		if (v && *v && strlen(v) < 256)
			return v;
	}
	return NULL;
}

static void off_host(de_log_source *s, const char *where)
{
	s->why = xasprintf("%s's log driver is \"%s\": %s", s->name, s->driver, where);
}

/* A driver Docker cannot read back (fluentd, gelf, syslog, awslogs, …)
 * and no cache file: Docker 20.10 and later keep the dual-logging cache
 * (container-cached.log) unless cache-disabled, and record enabling it in
 * config.v2.json's LocalLogCacheMeta.HaveNotifyEnabled; older engines
 * have no LocalLogCacheMeta and no cache. */
static void no_cache_file(de_log_source *s, de_container *c, json_t *opts, bool disabled)
{
	const char *to = destination(opts, s->driver);
	char *shown = to ? esc(to) : NULL;
	char *where = to ? xasprintf("%s at %s", s->driver, shown) : xstrdup(s->driver);
	free(shown);
	json_t *meta = jget_obj(c->config, "LocalLogCacheMeta");
	if (disabled) {
		s->why = xasprintf("%s's log driver is \"%s\": its output went to %s, and Docker's "
		                   "dual-logging cache was disabled (cache-disabled): none of it is on "
		                   "this host's disk", s->name, s->driver, where);
	} else if (jget_bool(meta, "HaveNotifyEnabled", false)) {
		s->missing = true;
		s->why = xasprintf("%s: its output went to %s; Docker kept a dual-logging cache of it "
		                   "(LocalLogCacheMeta), and container-cached.log is gone", s->name, where);
	} else {
		s->why = xasprintf("%s's log driver is \"%s\": its output went to %s; %s: none of it is "
		                   "on this host's disk", s->name, s->driver, where,
		                   meta ? "Docker recorded no dual-logging cache for it"
		                        : "this engine predates Docker's dual-logging cache (20.10)");
	}
	free(where);
}

static int docker_source(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	json_t *lc = jget_obj(de_docker_hostconfig(d, c), "LogConfig");
	json_t *opts = jget_obj(lc, "Config");
	const char *type = jget_str(lc, "Type");
	/* json-file is the default driver; old hostconfig.json may name none */
	s->driver = esc(type && *type ? type : "json-file");
	if (is(s->driver, "none")) {
		off_host(s, "Docker kept none of its output");
		return 0;
	}
	if (is(s->driver, "journald")) {   /* read back from the journal: no cache */
		off_host(s, "its output went to the host's journal, not to a file de reads");
		return 0;
	}
	bool own = is(s->driver, "json-file") || is(s->driver, "local");
	const char *off = jget_str(opts, "cache-disabled");
	bool disabled = !own && off && (is(off, "true") || is(off, "1") || is(off, "t") ||
	                                is(off, "TRUE") || is(off, "True") || is(off, "T"));
	if (disabled) {
		no_cache_file(s, c, opts, true);
		return 0;
	}
	char *dir = xasprintf("containers/%s", c->id);
	int rc = de_log_files(&d->root, dir, c->id, s->driver, &s->files, &s->fmt, e);
	if (rc < 0) {
		free(dir);
		return -1;
	}
	if (is(s->driver, "json-file"))
		rotation_config(s, opts, "", "json-file", NULL, 1);
	else if (is(s->driver, "local"))   /* local's defaults: 20m × 5 */
		rotation_config(s, opts, "", "local", "20m", 5);
	else                              /* the cache: the local driver, same defaults */
		rotation_config(s, opts, "cache-", "the dual-logging cache", "20m", 5);
	if (!s->files.n && own) {
		s->missing = true;
		s->why = xasprintf("%s: no %s log file in %s/%s: the logs are gone", s->name, s->driver,
		                   d->root.path, dir);
	} else if (!s->files.n) {
		no_cache_file(s, c, opts, false);
	}
	free(dir);
	rotation_state(s);
	return 0;
}

/* ---- Podman, CRI-O, containerd -------------------------------------------------- */

/* libpod's record: logDriver (k8s-file, json-file — written as k8s-file —,
 * journald, none, passthrough), logPath, logSize (conmon's log-size-max:
 * past it conmon starts the file again, keeping nothing). */
static int podman_source(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	json_t *cfg = jget_obj(c->native, "config");
	const char *drv = jget_str(cfg, "logDriver");
	s->driver = drv && *drv ? esc(drv) : NULL;
	s->fmt = DE_LOG_K8SFILE;
	if (is(drv, "none")) {
		off_host(s, "Podman kept none of its output");
		return 0;
	}
	if (is(drv, "journald")) {
		off_host(s, "its output went to the host's journal, not to a file de reads");
		return 0;
	}
	if (is(drv, "passthrough")) {
		off_host(s, "its output went straight to the process that ran it: Podman kept none "
		            "of it");
		return 0;
	}
	if (s->driver && !is(drv, "k8s-file") && !is(drv, "json-file")) {
		off_host(s, "not a driver whose files de reads");
		return 0;
	}
	char *dir = xasprintf("overlay-containers/%s", c->id);
	char *usual = xasprintf("%s/userdata/ctr.log", dir);
	const char *lp = jget_str(cfg, "logPath");
	size_t ll = lp ? strlen(lp) : 0, ul = strlen(usual);
	int rc = 0;
	if (!ll || (ll > ul && !strcmp(lp + ll - ul, usual) && lp[ll - ul - 1] == '/')) {
		rc = de_log_files(&d->root, dir, c->id, "k8s-file", &s->files, &s->fmt, e);
	} else {   /* --log-opt path=…: a host path, under the host root */
		while (*lp == '/')
			lp++;
		if ((rc = ev_root_open_host(&s->host, *d->host_root ? d->host_root : "/", e)) == 0) {
			s->root = &s->host;
			if (ev_is_file(&s->host, lp))
				sv_push(&s->files, lp);
		}
	}
	int64_t max = jget_int(cfg, "logSize", 0);
	if (max > 0) {
		s->max_file = 1;
		s->truncates = true;
		s->limits = xasprintf("k8s-file, log-size-max=%lld bytes", (long long)max);
	}
	if (rc == 0 && !s->files.n) {
		char *where = esc(lp && ll ? lp : usual);
		s->missing = c->runtime && !strcmp(c->runtime, "podman");
		s->why = s->missing
		       ? xasprintf("%s: no k8s-file log file at %s/%s: the logs are gone", s->name,
		                   s->root->path, where)
		       : xasprintf("%s: neither libpod nor CRI-O recorded it, and it has no %s: no "
		                   "log of it is known", s->name, usual);
		free(where);
	}
	free(usual);
	free(dir);
	return rc;
}

/* CRI-O's log is where its LogPath annotation says, on the host. */
static int crio_source(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	s->fmt = DE_LOG_K8SFILE;
	if (de_storage_cri_logs(d, c, &s->host, &s->files, e) < 0)
		return -1;
	s->root = &s->host;
	if (!s->files.n) {
		char *where = esc(c->log_path ? c->log_path : "(no LogPath)");
		s->why = xasprintf("%s: no log file at %s: the logs are gone", s->name, where);
		free(where);
		s->missing = true;
	}
	return 0;
}

/* A Kubernetes pod's container: the CRI log its runtime wrote (LogPath)
 * and the kubelet's rotations beside it; for one whose records are gone,
 * what its pod log directory holds. */
static int cri_source(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	s->fmt = DE_LOG_K8SFILE;
	if (de_cri_log_files(d, c, &s->host, &s->files, e) < 0)
		return -1;
	s->root = &s->host;
	if (s->files.n)
		return 0;
	if (!strcmp(c->pod->kind, "sandbox")) {
		s->why = xasprintf("%s is a pod's sandbox (its pause process): the CRI runtime keeps no "
		                   "log of it", s->name);
	} else if (c->has_state && !c->running && !c->exit_unknown && !c->started_at) {
		/* the CRI plugin makes the log file when the container starts */
		s->why = xasprintf("%s was never started: it printed nothing", s->name);
		s->never_started = true;
	} else {
		char *where = esc(c->pod->log_path ? c->pod->log_path : "(no LogPath recorded)");
		s->why = xasprintf("%s: no log file at %s under %s: the logs are gone", s->name, where,
		                   s->host.path);
		free(where);
		s->missing = true;
	}
	return 0;
}

int de_log_source_open(de_docker *d, de_container *c, de_log_source *s, de_err *e)
{
	memset(s, 0, sizeof *s);
	s->host.fd = -1;
	s->root = &d->root;
	dbuf n = {0};
	de_escape(&n, c->name ? c->name + (c->name[0] == '/') : c->id);
	s->name = n.p ? db_take(&n) : xstrdup(c->id);
	int rc = 0;
	if (c->pod && (c->pod->removed || is(c->runtime, "containerd"))) {
		rc = cri_source(d, c, s, e);
	} else if (is(c->runtime, "containerd")) {
		s->why = xasprintf("%s: containerd keeps no log of a container's output (its stdout "
		                   "went where its creator sent it; Kubernetes' are under "
		                   "/var/log/pods)", s->name);
	} else if (is(c->runtime, "cri-o")) {
		rc = crio_source(d, c, s, e);
	} else if (d->kind == DE_ROOT_STORAGE) {
		rc = podman_source(d, c, s, e);
	} else {
		rc = docker_source(d, c, s, e);
	}
	if (rc == 0 && never_started(c)) {
		/* Nothing was printed: no file is no loss. Docker makes the
		 * json-file when the container starts, or when `docker logs`
		 * asks for it: an empty one may be there. */
		char *was = s->why;
		s->why = xasprintf("%s was never started: it printed nothing%s%s%s", s->name,
		                   s->driver && was && !s->missing ? " (its log driver is \"" : "",
		                   s->driver && was && !s->missing ? s->driver : "",
		                   s->driver && was && !s->missing ? "\")" : "");
		free(was);
		s->missing = false;
		s->never_started = true;
	}
	return rc;
}

void de_log_source_report(const de_log_source *s, const de_log_joiner *j, bool reaches,
                          const char *stream, bool stream_seen)
{
	int64_t sec;
	int32_t nsec;
	const char *file;
	uint64_t off;
	if (!reaches || !(s->full || s->truncates))
		return;
	if (!de_log_first(j, &sec, &nsec, &file, &off)) {
		if (s->full)
			de_warn("%s: its log files are full (%s) but hold no record: what it printed was "
			        "rotated away", s->name, s->limits);
		return;
	}
	char tm[48];
	de_time_ns(sec, nsec, tm, sizeof tm);
	if (s->truncates) {
		de_note("%s: %s: the file is emptied each time it is full, so output before %s (the "
		        "first record left, at offset %llu of %s) may have been discarded; the files "
		        "cannot tell", s->name, s->limits, tm, (unsigned long long)off, file);
		return;
	}
	char *none = stream && !stream_seen
	           ? xasprintf("; no %s record survives: whatever it printed on %s came before "
	                       "and was rotated away", stream, stream)
	           : xstrdup("");
	de_warn("%s: output before %s was rotated away (%s: all %ld files are there, and the "
	        "oldest is deleted at each rotation); the first surviving record is at offset %llu "
	        "of %s%s", s->name, tm, s->limits, s->max_file, (unsigned long long)off, file, none);
	free(none);
}

void de_log_source_close(de_log_source *s)
{
	sv_free(&s->files);
	free(s->why);
	free(s->name);
	free(s->driver);
	free(s->limits);
	ev_root_close(&s->host);
	memset(s, 0, sizeof *s);
	s->host.fd = -1;
}
