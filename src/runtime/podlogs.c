/*
 * podlogs.c — the pod log directories the kubelet and the CRI runtime
 * leave on a node (see cri.h), and the containers they tell of:
 *
 *   /var/log/pods/<ns>_<pod>_<uid>/      made by the kubelet before the pod
 *       <container>/<attempt>.log        made by the CRI runtime when the
 *                                        container starts; CRI records
 *       <container>/<attempt>.log.<YYYYmmdd-HHMMSS>[.gz]   the kubelet's
 *                                        rotations (cri.h, logs.h)
 *   /var/log/containers/<pod>_<ns>_<container>-<id>.log -> the current
 *       <attempt>.log, one link per container ID (made after StartContainer)
 *
 * Namespaces, pod names (DNS labels and subdomains) and UIDs hold no '_':
 * the directory's name splits at its first and last '_'. A container whose
 * runtime record is gone (`crictl rm`, a removed pod) often leaves these
 * behind: the only trace of a short-lived pod. The kubelet removes them
 * when it garbage-collects the pod, not when a container is removed by
 * hand.
 */
#include "cri.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../logs/logs.h"
#include "../util/evh.h"
#include "../util/pathutil.h"
#include "../util/timefmt.h"

#define PODS "var/log/pods"
#define LINKS "var/log/containers"
#define MAX_REMOVED 100000   /* records made from one node's log directories */

int de_cri_log_files(const de_docker *d, const de_container *c, ev_root *host, strvec *files,
                     de_err *e)
{
	if (ev_root_open_host(host, d->host_root && *d->host_root ? d->host_root : "/", e) < 0)
		return -1;
	if (c->pod->removed) {
		for (size_t i = 0; i < c->pod->log_files.n; i++)
			sv_push(files, c->pod->log_files.v[i]);
		return 0;
	}
	const char *lp = c->pod->log_path;
	while (lp && *lp == '/')
		lp++;
	if (!lp || !*lp)
		return 0;
	return de_log_files_kubelet(host, lp, files, e);
}

/* ---- the links: which container ID wrote which file ----------------------- */

typedef struct links {
	strvec target, id, path;   /* the link's target (cleaned), the ID its name gives, itself */
} links;

/* "<pod>_<ns>_<container>-<64 hex>.log": the ID. */
static char *id_of_link(const char *name)
{
	size_t n = strlen(name);
	if (n < 4 + 64 + 1 || strcmp(name + n - 4, ".log") || name[n - 4 - 64 - 1] != '-')
		return NULL;
	char *id = xstrndup(name + n - 4 - 64, 64);
	if (!de_is_hex(id, 64)) {
		free(id);
		return NULL;
	}
	return id;
}

/* Reads each link's target as text: it is never followed. */
static void read_links(const ev_root *host, links *l)
{
	strvec names = {0};
	de_err e;
	if (!ev_is_dir(host, LINKS))
		return;
	if (ev_list(host, LINKS, &names, &e) < 0) {
		de_warn("%s; the container IDs of removed containers are not known", e.msg);
		return;
	}
	int fd = ev_open(host, LINKS, O_DIRECTORY, &e);
	for (size_t i = 0; fd >= 0 && i < names.n; i++) {
		char *id = id_of_link(names.v[i]);
		char buf[PATH_MAX];
		ssize_t n = id ? evh_readlinkat(fd, names.v[i], buf, sizeof buf - 1) : -1;
		if (n > 0) {
			buf[n] = '\0';
			sv_push_own(&l->target, de_path_clean(buf));
			sv_push_own(&l->id, id);
			sv_pushf(&l->path, "/" LINKS "/%s", names.v[i]);
		} else {
			free(id);
		}
	}
	if (fd >= 0)
		evh_close(fd);
	sv_free(&names);
}

/* ---- what is known already ---------------------------------------------------- */

static bool same_path(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	char *ca = de_path_clean(a), *cb = de_path_clean(b);
	bool r = !strcmp(ca, cb);
	free(ca);
	free(cb);
	return r;
}

/* Whether one of known wrote the log at path (a host path): by its
 * LogPath, or as the same pod's container and attempt. */
static bool is_known(const char *host_root, const de_container *const *known, size_t n,
                     const char *path, const char *uid, const char *ctr, long attempt)
{
	char *under = de_host_path(host_root, path);
	bool hit = false;
	for (size_t i = 0; i < n && !hit; i++) {
		const de_container *c = known[i];
		const de_pod_info *p = c->pod;
		hit = same_path(c->log_path, under) || (p && same_path(p->log_path, path)) ||
		      (p && !p->removed && p->uid && p->container && p->attempt == attempt &&
		       !strcmp(p->uid, uid) && !strcmp(p->container, ctr));
	}
	free(under);
	return hit;
}

/* ---- first and last records ------------------------------------------------------ */

typedef struct span {
	bool any;
	int64_t sec;
	int32_t nsec;
	bool first_only;
} span;

static int on_record(void *arg, const de_log_msg *m)
{
	span *s = arg;
	s->any = true;
	s->sec = m->sec;
	s->nsec = m->nsec;
	return s->first_only ? -1 : 0;
}

static char *read_span(const ev_root *host, const char *rel, bool first)
{
	span s = {.first_only = first};
	de_err e;
	de_log_joiner *j = de_log_joiner_new(on_record, &s);
	if (de_log_read_file(host, rel, DE_LOG_K8SFILE, j, &e) < 0 && !s.any)
		de_warn("%s", e.msg);
	if (!first)
		de_log_joiner_finish(j);
	de_log_joiner_free(j);
	if (!s.any)
		return NULL;
	char buf[48];
	de_time_ns(s.sec, s.nsec, buf, sizeof buf);
	return xstrdup(buf);
}

/* The first record of the oldest file that holds one, and the last of the
 * newest: the files between are not read. */
static void log_span(const ev_root *host, de_pod_info *p)
{
	for (size_t i = 0; i < p->log_files.n && !p->first_log; i++)
		p->first_log = read_span(host, p->log_files.v[i], true);
	for (size_t i = p->log_files.n; i > 0 && p->first_log && !p->last_log; i--)
		p->last_log = read_span(host, p->log_files.v[i - 1], false);
}

/* ---- one removed container --------------------------------------------------------- */

typedef struct scan {
	const char *host_root;
	ev_root host;
	const de_container *const *known;
	size_t nknown;
	const char *runtime, *ns;
	links l;
	de_container_list *out;
	size_t made;
} scan;

static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *record_of(const scan *x, const de_container *c, const char *dir,
                         const char *link)
{
	const de_pod_info *p = c->pod;
	json_t *o = json_object(), *pod = json_object(), *files = json_array();
	json_object_set_new(o, "removed", json_true());
	json_object_set_new(pod, "namespace", jstr(p->namespace));
	json_object_set_new(pod, "name", jstr(p->name));
	json_object_set_new(pod, "uid", jstr(p->uid));
	json_object_set_new(o, "pod", pod);
	json_object_set_new(o, "container_name", jstr(p->container));
	json_object_set_new(o, "attempt", json_integer(p->attempt));
	char *d = xasprintf("%s/" PODS "/%s", x->host.path, dir);
	json_object_set_new(o, "log_directory", jstr(d));
	free(d);
	for (size_t i = 0; i < p->log_files.n; i++) {
		char *f = de_path_join(x->host.path, p->log_files.v[i]);
		json_array_append_new(files, jstr(f));
		free(f);
	}
	json_object_set_new(o, "log_files", files);
	json_object_set_new(o, "first_log_record", jstr(p->first_log));
	json_object_set_new(o, "last_log_record", jstr(p->last_log));
	json_object_set_new(o, "container_id_from", jstr(link));
	json_object_set_new(o, "state_from",
	                    json_string("no runtime record of it is left: its pod log directory "
	                                "is all that tells of it"));
	return o;
}

static void add_removed(scan *x, const char *dir, const char *pns, const char *pname,
                        const char *uid, const char *ctr, long attempt)
{
	char *rel = xasprintf(PODS "/%s/%s/%ld.log", dir, ctr, attempt);
	char *path = xasprintf("/%s", rel);
	if (is_known(x->host_root, x->known, x->nknown, path, uid, ctr, attempt)) {
		free(rel);
		free(path);
		return;
	}
	de_container *c = xcalloc(1, sizeof *c);
	de_pod_info *p = c->pod = xcalloc(1, sizeof *p);
	p->namespace = xstrdup(pns);
	p->name = xstrdup(pname);
	p->uid = xstrdup(uid);
	p->container = xstrdup(ctr);
	p->kind = xstrdup("container");
	p->attempt = attempt;
	p->removed = true;
	p->support = !strcmp(pns, "kube-system");
	p->log_path = xstrdup(path);
	p->log_dir = xasprintf("/" PODS "/%s", dir);   /* where it was found: its pod's */
	de_err e;
	if (de_log_files_kubelet(&x->host, rel, &p->log_files, &e) < 0)
		de_warn("%s", e.msg);
	log_span(&x->host, p);
	const char *link = NULL;
	for (size_t i = 0; i < x->l.target.n && !link; i++)
		if (!strcmp(x->l.target.v[i], path)) {
			link = x->l.path.v[i];
			c->id = xstrdup(x->l.id.v[i]);
		}
	/* no link names it: its log path stands for its ID */
	p->id_unknown = !c->id;
	if (!c->id)
		c->id = xasprintf("%s/%s/%ld", dir, ctr, attempt);
	c->runtime = xstrdup(x->runtime);
	c->namespace = x->ns ? xstrdup(x->ns) : NULL;
	c->name = xasprintf("%s/%s/%s", pns, pname, ctr);
	c->config_path = xasprintf("%s/" PODS "/%s/%s", x->host.path, dir, ctr);
	c->layout = DE_LAYOUT_V2;
	if (p->log_files.n)
		c->log_path = de_path_join(x->host.path, p->log_files.v[p->log_files.n - 1]);
	c->native = record_of(x, c, dir, link);
	de_container_list_push(x->out, c);
	x->made++;
	free(rel);
	free(path);
}

/* "<attempt>.log" and its rotations "<attempt>.log.<stamp>[.gz]": attempt. */
static long attempt_of_file(const char *name)
{
	char *end;
	if (name[0] < '0' || name[0] > '9')
		return -1;
	long v = strtol(name, &end, 10);
	if (v < 0 || v > INT_MAX || strncmp(end, ".log", 4) || (end[4] && end[4] != '.'))
		return -1;
	return v;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static void scan_container(scan *x, const char *dir, const char *pns, const char *pname,
                           const char *uid, const char *ctr)
{
	char *rel = xasprintf(PODS "/%s/%s", dir, ctr);
	strvec names = {0};
	de_err e;
	if (!ev_is_dir(&x->host, rel)) {
		free(rel);
		return;
	}
	if (ev_list(&x->host, rel, &names, &e) < 0) {
		de_warn("%s", e.msg);
	} else {
		long *att = xcalloc(names.n + 1, sizeof *att);
		size_t n = 0;
		for (size_t i = 0; i < names.n; i++)
			if ((att[n] = attempt_of_file(names.v[i])) >= 0)
				n++;
		qsort(att, n, sizeof *att, cmp_long);
		for (size_t i = 0; i < n && x->made < MAX_REMOVED; i++)
			if (!i || att[i] != att[i - 1])
				add_removed(x, dir, pns, pname, uid, ctr, att[i]);
		free(att);
	}
	sv_free(&names);
	free(rel);
}

static void scan_pod(scan *x, const char *dir)
{
	const char *u1 = strchr(dir, '_'), *u2 = strrchr(dir, '_');
	if (!de_safe_name(dir) || !u1 || u1 == u2 || u1 == dir || u2 == u1 + 1 || !u2[1]) {
		de_debug("%s/" PODS "/%s: not a pod log directory (<namespace>_<pod>_<uid>)",
		         x->host.path, dir);
		return;
	}
	char *pns = xstrndup(dir, (size_t)(u1 - dir));
	char *pname = xstrndup(u1 + 1, (size_t)(u2 - u1 - 1));
	char *rel = xasprintf(PODS "/%s", dir);
	strvec ctrs = {0};
	de_err e;
	if (ev_list(&x->host, rel, &ctrs, &e) < 0)
		de_warn("%s", e.msg);
	for (size_t i = 0; i < ctrs.n && x->made < MAX_REMOVED; i++)
		if (de_safe_name(ctrs.v[i]))
			scan_container(x, dir, pns, pname, u2 + 1, ctrs.v[i]);
	sv_free(&ctrs);
	free(rel);
	free(pns);
	free(pname);
}

void de_cri_removed(const char *host_root, const de_container *const *known, size_t nknown,
                    const char *runtime, const char *ns, de_container_list *out)
{
	scan x = {.host_root = host_root, .known = known, .nknown = nknown, .runtime = runtime,
	          .ns = ns, .out = out};
	de_err e;
	if (!host_root || !*host_root || ev_root_open_host(&x.host, host_root, &e) < 0)
		return;
	strvec pods = {0};
	if (ev_is_dir(&x.host, PODS)) {
		if (ev_list(&x.host, PODS, &pods, &e) < 0)
			de_warn("%s; the containers only the pod logs tell of are not listed", e.msg);
		read_links(&x.host, &x.l);
	}
	for (size_t i = 0; i < pods.n && x.made < MAX_REMOVED; i++)
		scan_pod(&x, pods.v[i]);
	if (x.made >= MAX_REMOVED)
		de_warn("%s/" PODS ": more than %d removed containers: the rest are not listed",
		        x.host.path, MAX_REMOVED);
	sv_free(&pods);
	sv_free(&x.l.target);
	sv_free(&x.l.id);
	sv_free(&x.l.path);
	ev_root_close(&x.host);
}
