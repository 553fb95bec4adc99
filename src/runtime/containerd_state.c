/*
 * containerd_state.c — whether a containerd container runs, ran, or never
 * ran (see containerd.h), from what the host kept:
 *
 *   <state>/io.containerd.runtime.v2.task/<ns>/<id>/   the bundle of a task
 *       that exists (v1 shims: <state>/io.containerd.runtime.v1.linux/…):
 *       init.pid (the init process, no newline), options.json (the runc
 *       shim's options: "root", runc's state root)
 *   <runc root>/<ns>/<id>/state.json   runc's state: init_process_pid,
 *       created (when runc created the init process); exec.fifo beside it
 *       from `runc create` until `runc start` opens it and removes it
 *   <root>/io.containerd.grpc.v1.cri/containers/<id>/status   the CRI
 *       plugin's record (namespace k8s.io): JSON, times in Unix ns, 0 = never
 * <state> is containerd's state directory: `state` of the host's
 * etc/containerd/config.toml (default /run/containerd) for the root that
 * config names; <data-root>'s private containerd keeps it in Docker's
 * exec-root, /run/docker/containerd/daemon. runc's root is
 * /run/containerd/runc unless the shim's options name another. /run is a
 * tmpfs: a disk image usually lacks it, and then only the CRI records
 * tell; without them the state is "unknown", said once per root.
 *
 * A container without a task ran when its writable snapshot was written:
 * the overlayfs upper directory is empty from its creation until runc
 * makes its mount points or the process writes (the fixture's `idle`,
 * made by `ctr containers create`, has an empty one; `oneshot`, which ran,
 * does not). A container that ran, wrote nothing, and whose image held
 * every mount point leaves no such trace: it shows as "created".
 */
#include "containerd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../driver/driver.h"
#include "../util/evh.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "../util/toml.h"
#include "../util/timefmt.h"

#define CONFIG_TOML "etc/containerd/config.toml"
#define CRI_STATUS "io.containerd.grpc.v1.cri/containers/%s/status"
#define RUNC_ROOT "run/containerd/runc"
#define MAX_PID 4194304   /* the kernel's pid_max limit */

/* ---- the CRI plugin's status file ------------------------------------------ */

int de_cri_status_read(const ev_root *root, const char *rel, de_cri_status *st, de_err *e)
{
	memset(st, 0, sizeof *st);
	json_t *j = ev_read_json(root, rel, EV_MAX_SMALL, e);
	if (!j)
		return -1;
	const char *v = jget_str(j, "Version");
	int rc = 0;
	if (!json_is_object(j) || !v || strcmp(v, "v1")) {
		rc = de_fail(e, "%s/%s: not a CRI status of version \"v1\"", root->path, rel);
	} else {
		st->pid = jget_int(j, "Pid", 0);
		st->created_at = jget_int(j, "CreatedAt", 0);
		st->started_at = jget_int(j, "StartedAt", 0);
		st->finished_at = jget_int(j, "FinishedAt", 0);
		st->exit_code = jget_int(j, "ExitCode", 0);
		st->unknown = jget_bool(j, "Unknown", false);
		const char *r = jget_str(j, "Reason"), *m = jget_str(j, "Message");
		st->reason = r && *r ? xstrdup(r) : NULL;
		st->message = m && *m ? xstrdup(m) : NULL;
		if (st->pid < 0 || st->pid > MAX_PID || st->started_at < 0 || st->finished_at < 0 ||
		    st->created_at < 0) {
			de_cri_status_free(st);
			rc = de_fail(e, "%s/%s: a negative time or an impossible pid", root->path, rel);
		}
	}
	json_decref(j);
	return rc;
}

void de_cri_status_free(de_cri_status *st)
{
	free(st->reason);
	free(st->message);
	st->reason = st->message = NULL;
}

/* Unix nanoseconds as RFC 3339; NULL for 0 (never). */
static char *ns_time(int64_t ns)
{
	if (ns <= 0)
		return NULL;
	de_time t;
	de_time_from_unix(ns / 1000000000, (int32_t)(ns % 1000000000), &t);
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", t.year, t.mon, t.day, t.hour, t.min,
	                 t.sec, (int)t.nsec);
}

/* ---- where the host keeps containerd's state --------------------------------- */

static bool same_dir(const ev_root *host, const char *rel, int fd)
{
	struct stat a, b;
	return ev_stat(host, rel, &a, NULL) == 0 && evh_fstat(fd, &b) == 0 && S_ISDIR(a.st_mode) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int ctd_state_open(ctd_state *s, const de_docker *d)
{
	memset(s, 0, sizeof *s);
	if (!d->host_root || !*d->host_root) {
		s->why = xstrdup("containerd keeps task state in /run/containerd of the host, and no "
		                 "host root (--root) was given");
		return 0;
	}
	if (ev_root_open_host(&s->host, d->host_root, NULL) < 0) {
		s->why = xasprintf("the host root %s cannot be opened", d->host_root);
		return 0;
	}
	s->host_open = true;
	char *root = de_toml_string(&s->host, CONFIG_TOML, NULL, "root");
	char *state = de_toml_string(&s->host, CONFIG_TOML, NULL, "state");
	if (same_dir(&s->host, root ? root : "var/lib/containerd", d->root.fd))
		s->state = xstrdup(state ? state : "/run/containerd");
	else if (de_path_strip_suffix(d->root.path, "/" DE_DOCKER_CONTAINERD, NULL))
		/* dockerd's supervisor: <exec-root>/containerd/daemon */
		s->state = xstrdup("/run/docker/containerd/daemon");
	else
		s->why = xasprintf("%s is not the root %s names: its state directory is unknown",
		                   d->root.path, CONFIG_TOML);
	free(root);
	free(state);
	if (s->state) {
		char *rel = s->state + strspn(s->state, "/");
		if (!*rel || !ev_is_dir(&s->host, rel)) {
			s->why = xasprintf("containerd's state directory %s (a tmpfs) is not in the "
			                   "evidence under %s", s->state, d->host_root);
		} else {
			s->captured = true;
			memmove(s->state, rel, strlen(rel) + 1);
		}
	}
	return 0;
}

static bool say_unknown;

void de_containerd_note_unknown_states(bool on)
{
	say_unknown = on;
}

void ctd_state_close(ctd_state *s)
{
	for (size_t i = 0; i < s->nreasons; i++)
		(say_unknown ? de_note : de_debug)("the state of %zu containerd container%s of %s is unknown: %s", s->counts[i],
		        s->counts[i] == 1 ? "" : "s", s->root_path ? s->root_path : "", s->reasons[i]);
	if (s->host_open)
		ev_root_close(&s->host);
	free(s->state);
	free(s->why);
	free(s->root_path);
	memset(s, 0, sizeof *s);
}

/* ---- one container ---------------------------------------------------------------- */

typedef struct found {
	json_t *files;     /* the evidence files that decided, for inspect */
	const char *rule;  /* how they decided */
	bool warned;       /* an unknown state already said in a warning */
} found;

/* An unknown state, said once per reason when the root is done. */
static void tally(ctd_state *s, const char *why)
{
	size_t i = 0;
	while (i < s->nreasons && s->reasons[i] != why)
		i++;
	if (i == s->nreasons) {
		if (i == sizeof s->reasons / sizeof *s->reasons)
			i--;   /* more kinds than kept: counted with the last */
		else
			s->reasons[s->nreasons++] = why;
	}
	s->counts[i]++;
}

static void cite(found *f, const ev_root *r, const char *rel)
{
	char *p = de_path_join(r->path, rel);
	json_t *v = json_string(p);   /* NULL for a path that is not UTF-8 */
	json_array_append_new(f->files, v ? v : json_string("(a path that is not UTF-8)"));
	free(p);
}

/* The pid in an init.pid file: a decimal number, nothing else; -1 if not. */
static int64_t read_pid(const ev_root *r, const char *rel, de_err *e)
{
	char *tok = ev_read_token(r, rel, e);
	if (!tok)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(tok, &end, 10);
	bool bad = *end || v <= 0 || v > MAX_PID || errno || !isdigit((unsigned char)*tok);
	if (bad)
		de_fail(e, "%s/%s: \"%s\" is not a pid", r->path, rel, tok);
	free(tok);
	return bad ? -1 : v;
}

/* runc's root for the task: the shim's options "root", else runc's default. */
static char *runc_root(const ev_root *h, const char *bundle)
{
	char *rel = de_path_join(bundle, "options.json"), *root = NULL;
	json_t *o = ev_is_file(h, rel) ? ev_read_json(h, rel, EV_MAX_SMALL, NULL) : NULL;
	const char *v = jget_str(o, "root");
	if (!v)
		v = jget_str(o, "Root");
	/* a host path: read through the host root, where ".." stays inside */
	if (v && v[strspn(v, "/")])
		root = xstrdup(v + strspn(v, "/"));
	json_decref(o);
	free(rel);
	return root ? root : xstrdup(RUNC_ROOT);
}

static void set_time(char **dst, char *t)
{
	free(*dst);
	*dst = t;
}

/* A task exists: running with its pid, or created and not yet started
 * (runc's exec.fifo is still there). */
static void from_task(ctd_state *s, de_container *c, const char *bundle, found *f)
{
	de_err e;
	char *pidrel = de_path_join(bundle, "init.pid"), *rr = runc_root(&s->host, bundle);
	char *rdir = xasprintf("%s/%s/%s", rr, c->namespace, c->id);
	char *strel = de_path_join(rdir, "state.json"), *fifo = de_path_join(rdir, "exec.fifo");
	int64_t pid = -1, rpid = -1;
	if (ev_is_file(&s->host, pidrel)) {
		if ((pid = read_pid(&s->host, pidrel, &e)) < 0)
			de_warn("%s", e.msg);
		else
			cite(f, &s->host, pidrel);
	}
	json_t *rs = ev_is_file(&s->host, strel) ? ev_read_json(&s->host, strel, EV_MAX_JSON, &e)
	                                         : NULL;
	if (ev_is_file(&s->host, strel) && !rs)
		de_warn("%s", e.msg);
	if (rs) {
		cite(f, &s->host, strel);
		rpid = jget_int(rs, "init_process_pid", -1);
		const char *cr = jget_str(rs, "created");
		de_time t;
		if (cr && de_time_parse(cr, &t) == 0)
			set_time(&c->started_at, xstrdup(cr));
	}
	if (pid > 0 && rpid > 0 && pid != rpid)
		de_warn("container %s/%s: the task's init.pid says %lld, runc's state.json %lld: "
		        "%s/%s and %s/%s disagree; %lld shown", c->namespace, c->id, (long long)pid,
		        (long long)rpid, s->host.path, pidrel, s->host.path, strel, (long long)pid);
	if (pid <= 0)
		pid = rpid;
	struct stat st;
	bool unstarted = ev_lstat(&s->host, fifo, &st, NULL) == 0 && S_ISFIFO(st.st_mode);
	if (pid <= 0) {
		de_warn("container %s/%s: a task bundle %s/%s without init.pid or runc state: its state "
		        "is unknown", c->namespace, c->id, s->host.path, bundle);
		f->rule = "a task bundle without a pid";
		f->warned = true;
	} else if (unstarted) {
		cite(f, &s->host, fifo);
		c->has_state = true;
		c->pid = pid;
		set_time(&c->started_at, NULL);
		f->rule = "a task in the captured state directory, created and not started "
		          "(runc's exec.fifo is there)";
	} else {
		c->has_state = c->running = true;
		c->pid = pid;
		f->rule = "a task in the captured state directory (its init process when the "
		          "host was imaged; started_at: when runc created it)";
	}
	json_decref(rs);
	free(pidrel); free(rr); free(rdir); free(strel); free(fifo);
}

/* The CRI plugin's status: what containerd last recorded. */
static void from_cri(de_container *c, const de_cri_status *st, found *f)
{
	if (st->unknown) {
		f->rule = "the CRI plugin marked its state unknown";
		return;
	}
	c->has_state = true;
	set_time(&c->started_at, ns_time(st->started_at));
	set_time(&c->finished_at, ns_time(st->finished_at));
	c->exit_code = st->exit_code;
	if (st->started_at && !st->finished_at) {
		c->running = true;
		c->pid = st->pid;
		f->rule = "the CRI plugin's status: running when it last recorded it";
	} else {
		f->rule = st->started_at ? "the CRI plugin's status: exited"
		                         : "the CRI plugin's status: created, never started";
	}
}

/* 1: the directory holds an entry, 0: empty, -1: unreadable. */
static int has_entry(const ev_root *r, const char *rel)
{
	int fd = ev_open(r, rel, O_DIRECTORY, NULL);
	evh_dir *dir = fd >= 0 ? evh_opendir(fd) : NULL;   /* closes fd when it fails */
	if (!dir)
		return -1;
	int any = 0;
	struct dirent *de;
	while (!any && (de = evh_readdir(dir)))
		any = strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	evh_closedir(dir);
	return any;
}

/* No task in a captured state directory, nor a CRI record: its writable
 * snapshot tells whether it ran (see the top of this file). */
static void from_snapshot(de_docker *d, de_container *c, found *f)
{
	const de_driver *drv = c->driver && !strcmp(c->driver, "overlayfs")
	                     ? de_driver_find(c->driver) : NULL;
	char *up = drv ? drv->upper_dir(c) : NULL;
	int r = up ? has_entry(&d->root, up) : -1;
	if (r < 0) {
		f->rule = "no task, and its snapshot cannot show whether it ran (only an overlayfs "
		          "upper directory can)";
	} else {
		cite(f, &d->root, up);
		c->has_state = true;
		c->exit_unknown = r == 1;
		f->rule = r ? "no task; its writable snapshot was written: it ran and ended "
		              "(exit code and times not recorded)"
		            : "no task; its writable snapshot is empty: nothing shows it ever ran";
	}
	free(up);
}

/* inspect's "de": the state, and the files and rule that gave it. */
static void describe(de_container *c, found *f)
{
	if (!c->native)
		return;
	char buf[32];
	json_t *o = json_object();
	json_object_set_new(o, "state", json_string(de_container_state(c, buf, sizeof buf)));
	json_object_set_new(o, "pid", c->has_state && (c->running || c->pid) ? json_integer(c->pid)
	                                                                      : json_null());
	json_object_set_new(o, "started_at", c->started_at ? json_string(c->started_at) : json_null());
	json_object_set_new(o, "finished_at", c->finished_at ? json_string(c->finished_at)
	                                                     : json_null());
	bool code = c->has_state && !c->running && !c->exit_unknown && c->finished_at;
	json_object_set_new(o, "exit_code", code ? json_integer(c->exit_code) : json_null());
	json_object_set_new(o, "state_from", json_string(f->rule ? f->rule : ""));
	json_object_set_new(o, "evidence", json_incref(f->files));
	json_object_set_new(c->native, "de", o);
}

void ctd_state_fill(ctd_state *s, de_docker *d, de_container *c)
{
	found f = {json_array(), NULL, false};
	de_cri_status cri;
	bool have_cri = false;
	de_err e;
	if (!s->root_path)
		s->root_path = xstrdup(d->root.path);
	/* the CRI plugin keeps its containers in namespace k8s.io */
	if (c->namespace && !strcmp(c->namespace, "k8s.io") && de_safe_name(c->id)) {
		char *rel = xasprintf(CRI_STATUS, c->id);
		if (ev_is_file(&d->root, rel)) {
			if (de_cri_status_read(&d->root, rel, &cri, &e) < 0) {
				de_warn("%s", e.msg);
			} else {
				have_cri = true;
				cite(&f, &d->root, rel);
			}
		}
		free(rel);
	}
	char *bundle = NULL;
	if (s->captured && c->namespace && de_safe_name(c->namespace) && de_safe_name(c->id)) {
		const char *kinds[] = {"io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux"};
		for (size_t i = 0; i < 2 && !bundle; i++) {
			char *b = xasprintf("%s/%s/%s/%s", s->state, kinds[i], c->namespace, c->id);
			if (ev_is_dir(&s->host, b))
				bundle = b;
			else
				free(b);
		}
	}
	if (bundle) {
		cite(&f, &s->host, bundle);
		from_task(s, c, bundle, &f);
		if (have_cri && c->running)   /* the exact start time */
			set_time(&c->started_at, ns_time(cri.started_at));
	} else if (have_cri) {
		from_cri(c, &cri, &f);
		if (s->captured && c->running) {
			/* recorded running, but no task is left: it ended after the
			 * CRI plugin last wrote its status */
			c->running = false;
			c->pid = 0;
			c->exit_unknown = true;
			f.rule = "the CRI plugin's status says running, but no task is in the "
			         "captured state directory: it ended unrecorded";
		}
	} else if (s->captured) {
		from_snapshot(d, c, &f);
	} else {
		f.rule = s->why;
	}
	if (!c->has_state && !f.warned)
		tally(s, f.rule);
	if (have_cri)
		de_cri_status_free(&cri);
	describe(c, &f);
	json_decref(f.files);
	free(bundle);
}
