/*
 * timeline.c — `de timeline CONTAINER... | --all [--format bodyfile|csv|jsonl]
 * [--hash] [--hash-max N] [--include-image-layers] [--logs] [-o FILE]`.
 *
 * One record per time of every entry of each container's view (M, A, C, and
 * B where the filesystem keeps a birth time), naming container, layer and
 * path; a deletion record for every entry the container's layers deleted
 * (hidden by a whiteout, an opaque directory or a non-directory: the
 * deleted entry at the marker's times); then the host's events: each
 * image's creation, build steps and commit, each container's creation,
 * start and end (with its exit code), and with --logs each line it printed.
 *
 * Every layer is walked once: the layers an image gives many containers
 * are walked for all of them at once, each container getting the image's
 * entries minus what its own layers and mounts replace or hide
 * (union/shadow.c); with --include-image-layers, each image layer of the
 * run is walked once more on its own and raw, whichever images share it.
 * Where two containers of the run share a name, their records are labelled
 * RUNTIME:SHORT-ID/name (containerd:NAMESPACE/ID; a pod's container
 * NAMESPACE/POD/CONTAINER/ATTEMPT), one field for mactime.
 */
#include "builtin.h"

#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "../logs/logs.h"
#include "../output/timeline_out.h"
#include "../runtime/containerd.h"
#include "../runtime/docker_ctd.h"
#include "../runtime/logsource.h"
#include "../runtime/view.h"
#include "../util/evh.h"
#include "../util/hashbatch.h"
#include "../util/jget.h"
#include "../util/timefmt.h"

typedef struct member {
	de_docker *d;           /* the root it is in */
	de_container *c;
	const char *name;       /* without the leading '/' */
	char *label;            /* its records' name: name, or RUNTIME:ID/name */
	tl_who who;
	bool dup;               /* named twice: its records are the first one's */
	de_view v;
	bool view_ok;
	size_t k;               /* index of the first image layer */
	un_shadow *shadow;
	char *key;              /* the image layers' ids: who shares what */
	/* the last deletion marker stat'ed (an opaque directory hides many) */
	const char *mk_path;
	bool mk_ok;
	struct statx mk;
} member;

typedef enum walk_mode {
	W_ONE,        /* one container's own layers, or one raw image layer */
	W_IMAGE,      /* an image's layers, for the containers made from it */
	W_INIT,       /* a container's -init layer: what its own layer deleted */
} walk_mode;

typedef struct tl_ctx {
	tl_out out;
	bool hash;
	long long hash_max;
	walk_mode mode;
	un_fs *fs;              /* the view being walked (for labels, content) */
	const un_fs *raw_of;    /* W_ONE of a raw layer: the stack it is from */
	const tl_who *single;   /* W_ONE: whose records */
	member **who;           /* W_IMAGE: the containers an entry is for; W_INIT: one */
	size_t nwho;
	dbuf tail;              /* a bodyfile line after the container's name */
	bool progress;          /* stderr is a terminal: say how far we are */
	uint64_t next_progress;
	/* --hash: the entries met wait here, in walk order, until the batch of
	 * their files is hashed on every core (util/hashbatch.h) */
	de_hash_batch batch;
	struct tl_wait *wait;
	size_t nwait, capwait;
} tl_ctx;

/* An entry of the walk, kept (the walk's own is gone once it moves on). */
typedef struct tl_wait {
	un_raw kind;
	char *path, *hidden, *target;
	const char *layer;
	struct stat st;
	tl_ts birth;
	long job;               /* its file's hash job, or -1 */
} tl_wait;

/* A set of strings (what has been walked or said already), sorted. */
typedef struct keyset {
	strvec v;
} keyset;

/* Adds key; false when it was there already. Takes key. */
static bool ks_add(keyset *s, char *key)
{
	size_t lo = 0, hi = s->v.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(s->v.v[mid], key);
		if (!r) {
			free(key);
			return false;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	sv_push_own(&s->v, key);   /* then moved into its place */
	memmove(s->v.v + lo + 1, s->v.v + lo, (s->v.n - 1 - lo) * sizeof *s->v.v);
	s->v.v[lo] = key;
	return true;
}

static tl_ts ts_of_statx(const struct statx_timestamp *t)
{
	return (tl_ts){t->tv_sec, (int32_t)t->tv_nsec, true};
}

static tl_ts birth_of(const un_walk_entry *ent)
{
	struct statx sx;
	tl_ts t = {0};
	if (evh_statx(ent->dirfd, ent->at, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 &&
	    (sx.stx_mask & STATX_BTIME))
		t = ts_of_statx(&sx.stx_btime);
	return t;
}

static const char *deleted_by(un_marker_kind k)
{
	return k == UN_MK_WHITEOUT ? "whiteout" : k == UN_MK_OPAQUE ? "opaque directory"
	                                                            : "non-directory";
}

/* The marker's own inode (cached: an opaque directory hides many). */
static bool marker_stat(member *m, const un_marker *mk)
{
	if (m->mk_path == mk->path)
		return m->mk_ok;
	de_err e;
	m->mk_path = mk->path;
	m->mk_ok = un_shadow_marker_stat(m->shadow, mk, &m->mk, &e) == 0;
	if (!m->mk_ok)
		de_warn("container %s: the deletions %s marks are not in the timeline: %s", m->name,
		        mk->path, e.msg);
	return m->mk_ok;
}

static void set_times(struct stat *st, const struct statx *sx)
{
	st->st_atim = (struct timespec){sx->stx_atime.tv_sec, sx->stx_atime.tv_nsec};
	st->st_mtim = (struct timespec){sx->stx_mtime.tv_sec, sx->stx_mtime.tv_nsec};
	st->st_ctim = (struct timespec){sx->stx_ctime.tv_sec, sx->stx_ctime.tv_nsec};
}

/* The entry r of a layer below m's own, deleted by m's marker mk: what was
 * deleted (r's mode, owner, size, inode, hash), when (the marker's times). */
static void write_deleted(tl_ctx *x, member *m, const tl_file *r, const un_marker *mk)
{
	if (!marker_stat(m, mk))
		return;
	struct stat st = *r->st;
	set_times(&st, &m->mk);
	tl_file d = *r;
	d.who = &m->who;
	d.st = &st;
	d.birth = (m->mk.stx_mask & STATX_BTIME) ? ts_of_statx(&m->mk.stx_btime) : (tl_ts){0};
	d.layer = un_layer_label(m->v.fs, mk->layer);
	d.deleted_by = deleted_by(mk->kind);
	d.deleted_from = r->layer;
	tl_write_file(&x->out, &d);
}

/* A whiteout that hid nothing below it still records a deletion: its own
 * inode, named by the path it deletes. */
typedef struct unused_arg {
	tl_ctx *x;
	member *m;
} unused_arg;

static void on_unused(void *arg, const un_marker *mk)
{
	unused_arg *a = arg;
	member *m = a->m;
	if (a->x->out.error || !marker_stat(m, mk))
		return;
	struct stat st = {0};
	st.st_mode = m->mk.stx_mode;
	st.st_ino = m->mk.stx_ino;
	st.st_uid = m->mk.stx_uid;
	st.st_gid = m->mk.stx_gid;
	st.st_size = (off_t)m->mk.stx_size;
	set_times(&st, &m->mk);
	tl_file d = {.who = &m->who, .layer = un_layer_label(m->v.fs, mk->layer), .path = mk->path,
	             .st = &st, .deleted_by = deleted_by(mk->kind)};
	if (m->mk.stx_mask & STATX_BTIME)
		d.birth = ts_of_statx(&m->mk.stx_btime);
	tl_write_file(&a->x->out, &d);
}

/* The entry's hash job (its file opened now, hashed with the batch), or -1. */
static long hash_entry(tl_ctx *x, const un_walk_entry *ent)
{
	const struct stat *st = &ent->node->st;
	de_err e;
	if (!x->hash || !S_ISREG(st->st_mode))
		return -1;
	if (st->st_size > x->hash_max) {
		de_note("%s: %lld bytes, over --hash-max: not hashed", ent->path, (long long)st->st_size);
		return -1;
	}
	int fd = un_walk_open(x->fs, ent, &e);
	if (fd < 0) {
		de_warn("%s: not hashed: %s", ent->path, e.msg);
		return -1;
	}
	return (long)de_hash_batch_add(&x->batch, fd, ent->path, true, (uint64_t)st->st_size);
}

/* An entry of an image's layers: a record for each container that sees it,
 * a deletion record for each that deleted it. */
static void for_containers(tl_ctx *x, tl_file *r)
{
	bool prepared = false;
	for (size_t i = 0; i < x->nwho; i++) {
		member *m = x->who[i];
		un_marker mk;
		un_hidden why = un_shadow_why(m->shadow, r->path, (int)m->k, &mk);
		if (why == UN_HID_DELETED)
			write_deleted(x, m, r, &mk);
		if (why != UN_HID_SHOWN)
			continue;
		if (x->out.fmt != TL_BODYFILE) {
			r->who = &m->who;
			tl_write_file(&x->out, r);
			continue;
		}
		if (!prepared)   /* one formatting for all the containers */
			tl_prepare_tail(&x->out, r, &x->tail);
		prepared = true;
		tl_write_prepared(&x->out, m->label, &x->tail);
	}
}

static void show_progress(tl_ctx *x)
{
	if (x->progress && x->out.records >= x->next_progress) {
		fprintf(stderr, "\rtimeline: %llu records", (unsigned long long)x->out.records);
		x->next_progress = x->out.records + 100000;
	}
}

/* The records of one entry of the walk (met now, or waiting for its hash). */
static void write_entry(tl_ctx *x, un_raw kind, tl_file *r, char *hidden)
{
	if (kind == UN_RAW_WHITEOUT) {   /* an image layer's deletion: the whiteout itself */
		r->path = hidden;
		r->deleted_by = "whiteout";
	}
	if (x->mode == W_ONE) {
		r->who = x->single;
		tl_write_file(&x->out, r);
	} else if (x->mode == W_IMAGE) {
		for_containers(x, r);
	} else {   /* W_INIT: only what the container's own layer deleted */
		un_marker mk;
		if (un_shadow_why(x->who[0]->shadow, r->path, 1, &mk) == UN_HID_DELETED)
			write_deleted(x, x->who[0], r, &mk);
	}
}

/* The waiting entries, their files hashed on every core, written in order. */
static void flush_waiting(tl_ctx *x)
{
	de_hash_batch_run(&x->batch);
	for (size_t i = 0; i < x->nwait; i++) {
		tl_wait *w = &x->wait[i];
		const de_hash_job *job = w->job >= 0 ? &x->batch.v[w->job] : NULL;
		bool hashed = job && job->ok;
		tl_file r = {.layer = w->layer, .path = w->path, .target = w->target, .st = &w->st,
		             .birth = w->birth, .md5 = hashed ? job->md5 : NULL,
		             .sha256 = hashed ? job->sha256 : NULL};
		if (!x->out.error)
			write_entry(x, w->kind, &r, w->hidden);
		free(w->path);
		free(w->hidden);
		free(w->target);
	}
	x->nwait = 0;
	de_hash_batch_clear(&x->batch);
	show_progress(x);
}

static int on_entry(void *arg, const un_walk_entry *ent)
{
	tl_ctx *x = arg;
	char *hidden = NULL;
	un_raw kind = x->raw_of ? un_raw_kind(x->raw_of, ent, &hidden) : UN_RAW_ENTRY;
	if (kind == UN_RAW_META)   /* aufs' bookkeeping, not a file of the image */
		return S_ISDIR(ent->node->st.st_mode) ? 1 : 0;
	const struct stat *st = &ent->node->st;
	char *target = NULL;
	de_err e;
	if (S_ISLNK(st->st_mode))
		target = un_walk_readlink(ent, &e);
	if (x->hash) {
		/* kept until its file (and the batch's) is hashed */
		if (x->nwait == x->capwait) {
			x->capwait = x->capwait ? x->capwait * 2 : 256;
			x->wait = xrealloc(x->wait, x->capwait * sizeof *x->wait);
		}
		x->wait[x->nwait++] = (tl_wait){
			.kind = kind, .path = xstrdup(ent->path), .hidden = hidden, .target = target,
			.layer = un_layer_label(x->fs, ent->node->layer), .st = *st,
			.birth = birth_of(ent), .job = kind == UN_RAW_ENTRY ? hash_entry(x, ent) : -1};
		if (de_hash_batch_full(&x->batch) || x->nwait >= 4 * DE_HASH_BATCH_FILES)
			flush_waiting(x);
		return x->out.error ? -1 : 0;
	}
	tl_file r = {.layer = un_layer_label(x->fs, ent->node->layer), .path = ent->path,
	             .target = target, .st = st, .birth = birth_of(ent)};
	write_entry(x, kind, &r, hidden);
	free(target);
	free(hidden);
	show_progress(x);
	return x->out.error ? -1 : 0;
}

static tl_ts ts_of(const char *rfc3339)
{
	de_time t;
	tl_ts r = {0};
	if (rfc3339 && de_time_parse(rfc3339, &t) == 0 && !de_time_is_zero(&t))
		r = (tl_ts){t.epoch, t.nsec, true};
	return r;
}

static void container_events(tl_ctx *x, const member *m)
{
	const de_container *c = m->c;
	tl_ts t = ts_of(c->created);
	tl_write_event(&x->out, &m->who, "container created", &t, "Container Created");
	t = ts_of(c->started_at);
	tl_write_event(&x->out, &m->who, "container started", &t, "Container Started");
	t = ts_of(c->finished_at);
	if (t.set) {
		char *what = xasprintf("container finished (exit code %lld)", (long long)c->exit_code);
		tl_write_event(&x->out, &m->who, what, &t, "Container Finished");
		free(what);
	}
}

typedef struct log_arg {
	tl_ctx *x;
	const tl_who *who;
} log_arg;

static int on_log(void *arg, const de_log_msg *m)
{
	log_arg *a = arg;
	size_t n = m->len && m->data[m->len - 1] == '\n' ? m->len - 1 : m->len;
	char *line = xstrndup(m->data, n);
	char *what = xasprintf("log %s: %s", m->stream, line);
	tl_ts t = {m->sec, m->nsec, true};
	tl_write_event(&a->x->out, a->who, what, &t, "Log Line");
	free(what);
	free(line);
	return a->x->out.error ? -1 : 0;
}

/* Where the rotation cut the log: an event at the first surviving record,
 * so the gap shows in the timeline where it is. */
static void rotated_event(tl_ctx *x, member *m, const de_log_source *s, const de_log_joiner *j)
{
	int64_t sec;
	int32_t nsec;
	const char *file;
	uint64_t off;
	if (!s->full || !de_log_first(j, &sec, &nsec, &file, &off))
		return;
	char *what = xasprintf("log: output before this was rotated away (%s)", s->limits);
	tl_ts t = {sec, nsec, true};
	tl_write_event(&x->out, &m->who, what, &t, "Log Rotated Away");
	free(what);
}

static void log_events(tl_ctx *x, de_docker *d, member *m)
{
	de_log_source src;
	de_err e;
	if (de_log_source_open(d, m->c, &src, &e) < 0) {
		de_warn("container %s: its logs are not in the timeline: %s", m->name, e.msg);
		return;
	}
	/* only a loss is an omission: a container that never started, or a
	 * driver that kept nothing on the host, is no gap in the timeline */
	if (src.missing)
		de_warn("%s", src.why);
	else if (src.why)
		de_debug("%s", src.why);
	log_arg a = {x, &m->who};
	de_log_joiner *j = de_log_joiner_new(on_log, &a);
	for (size_t i = 0; i < src.files.n && !x->out.error; i++)
		if (de_log_read_file(src.root, src.files.v[i], src.fmt, j, &e) < 0 && !x->out.error)
			de_warn("%s", e.msg);
	de_log_joiner_finish(j);
	de_log_source_report(&src, j, true, NULL, false);
	rotated_event(x, m, &src, j);
	de_log_joiner_free(j);
	de_log_source_close(&src);
}

/* ---- which container is which ----------------------------------------- */

static const char *runtime_of(const de_container *c)
{
	return c->runtime ? c->runtime : "docker";
}

/* A container's label in its records: its name (form 0); where names are
 * shared, a pod's container with its attempt, else RUNTIME:SHORT-ID/name,
 * containerd's containers by the reference
 * they are looked up with, NAMESPACE/ID (1); with the whole ID (2); and the
 * data root last (3), for one container in two copies of a root. */
static char *label_form(const member *m, int form)
{
	const char *rt = runtime_of(m->c);
	const de_pod_info *p = m->c->pod;
	if (form == 0)
		return xstrdup(m->name);
	if (form == 1 && p && p->container && p->attempt >= 0)   /* NAMESPACE/POD/CONTAINER/N */
		return xasprintf("%s/%ld", m->name, p->attempt);
	if (form == 1 && m->c->namespace)
		return xasprintf("%s:%s/%s", rt, m->c->namespace, m->c->id);
	if (form == 1)
		return xasprintf("%s:%.12s/%s", rt, m->c->id, m->name);
	if (form == 2)
		return xasprintf("%s:%s/%s", rt, m->c->id, m->name);
	return xasprintf("%s:%s/%s@%s", rt, m->c->id, m->name, m->d->root.path);
}

static void label_members(member *m, size_t n)
{
	int *form = xcalloc(n + 1, sizeof *form);
	for (int pass = 0; pass < 4; pass++) {
		for (size_t i = 0; i < n; i++) {
			free(m[i].label);
			m[i].label = label_form(&m[i], form[i]);
		}
		bool again = false;
		for (size_t i = 0; i < n && pass < 3; i++)
			for (size_t j = 0; j < n && !m[i].dup; j++)
				if (j != i && !m[j].dup && !strcmp(m[i].label, m[j].label)) {
					form[i]++;
					again = true;
					break;
				}
		if (!again)
			break;
	}
	for (size_t i = 0; i < n; i++)
		m[i].who = (tl_who){m[i].label, m[i].name, runtime_of(m[i].c), m[i].c->id};
	free(form);
}

/* ---- images --------------------------------------------------------------- */

typedef struct img_ev {
	member *m;              /* a container made from it */
	de_history h;
	const char *name;       /* as the container names it, or its ID */
} img_ev;

/* The container an image was committed from, by its label when it is in
 * the evidence (one of the run, or of the same Docker root), else its ID. */
static char *committer(member *m, size_t n, const member *of, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!m[i].dup && !strcmp(m[i].c->id, id) &&
		    !strcmp(m[i].d->root.path, of->d->root.path))
			return xstrdup(m[i].label);
	de_err e;
	de_container *c = of->d->kind == DE_ROOT_DOCKER ? de_docker_find(of->d, id, &e) : NULL;
	char *r = c && c->name ? xstrdup(c->name + (c->name[0] == '/')) : xstrdup(id);
	de_container_free(c);
	return r;
}

static void write_image(tl_ctx *x, const img_ev *iv, const char *label, member *m, size_t n)
{
	const de_history_entry *h = &iv->h.v[0];
	tl_who who = {label, label, runtime_of(iv->m->c), NULL};
	tl_ts t = ts_of(h->created);
	tl_write_event(&x->out, &who, "image created", &t, "Image Created");
	if (h->committed_from) {
		char *from = committer(m, n, iv->m, h->committed_from);
		char *what = xasprintf("committed from container %s", from);
		tl_write_event(&x->out, &who, what, &t, "Image Committed");
		free(what);
		free(from);
	}
	for (size_t i = 0; i < h->nsteps; i++) {
		const de_history_step *s = &h->steps[i];
		t = ts_of(s->created);
		char *what = xasprintf("build step: %s", s->created_by ? s->created_by
		                       : s->comment ? s->comment : "(none recorded)");
		tl_write_event(&x->out, &who, what, &t, "Image Build Step");
		free(what);
	}
}

/* Each image of the run's containers once (the same ID under the same name
 * is the same config: the same events), whatever its runtime. */
static void image_events(tl_ctx *x, member *m, size_t n)
{
	keyset asked = {0}, seen = {0};
	img_ev *v = xcalloc(n + 1, sizeof *v);
	size_t nv = 0;
	for (size_t i = 0; i < n; i++) {
		const de_container *c = m[i].c;
		if (m[i].dup || (!c->image_id && !c->image_name))
			continue;
		if (!ks_add(&asked, xasprintf("%s|%s|%s", m[i].d->root.path,
		                              c->namespace ? c->namespace : "",
		                              c->image_id ? c->image_id : c->image_name)))
			continue;
		de_history h = {0};
		de_err e;
		if (de_docker_history(m[i].d, c, &h, &e) < 0 || !h.n) {
			de_warn("container %s: its image's events are not in the timeline: %s", m[i].name,
			        h.n ? "no history" : e.msg);
			de_history_free(&h);
			continue;
		}
		const char *name = c->image_name ? c->image_name : h.v[0].id;
		if (!ks_add(&seen, xasprintf("%s|%s", h.v[0].id, name))) {
			de_history_free(&h);
			continue;
		}
		v[nv++] = (img_ev){&m[i], h, name};
	}
	for (size_t i = 0; i < nv && !x->out.error; i++) {
		bool shared = false;   /* two images under one name: say which */
		for (size_t j = 0; j < nv && !shared; j++)
			shared = j != i && !strcmp(v[i].name, v[j].name);
		const char *id = v[i].h.v[0].id;
		char *label = shared ? xasprintf("image %s:%.12s/%s", runtime_of(v[i].m->c),
		                                 id + (strncmp(id, "sha256:", 7) ? 0 : 7), v[i].name)
		                     : xasprintf("image %s", v[i].name);
		write_image(x, &v[i], label, m, n);
		free(label);
	}
	for (size_t i = 0; i < nv; i++)
		de_history_free(&v[i].h);
	free(v);
	sv_free(&asked.v);
	sv_free(&seen.v);
}

/* ---- the walks ------------------------------------------------------------- */

static void open_member(member *m, const member *first, size_t nfirst, keyset *images)
{
	de_err e;
	m->name = m->c->name ? m->c->name + (m->c->name[0] == '/') : m->c->id;
	for (size_t i = 0; i < nfirst; i++)
		if (!strcmp(first[i].c->id, m->c->id) && !strcmp(first[i].d->root.path, m->d->root.path))
			m->dup = true;   /* named twice: one record per entry */
	if (m->dup)
		return;
	if (m->c->pod && m->c->pod->removed) {   /* no files left: only its logs */
		de_debug("container %s: removed, only its logs are in the timeline", m->name);
		return;
	}
	if (de_view_open(m->d, m->c, true, &m->v, &e) < 0) {
		de_warn("container %s: its files are not in the timeline: %s", m->name, e.msg);
		return;
	}
	m->view_ok = true;
	m->k = m->v.stack.n;
	for (size_t i = 0; i < m->v.stack.n; i++)
		if (!strcmp(m->v.stack.v[i].role, "image")) {
			m->k = i;
			break;
		}
	m->shadow = un_shadow_build(m->v.fs, m->k);
	/* Layer ids are unique within a root only (containerd numbers its
	 * snapshots 1, 2, …): the root is part of what is shared. */
	dbuf key = {0};
	db_addf(&key, "%s|", de_layers_base(m->d, m->c));
	for (size_t i = m->k; i < m->v.stack.n; i++)
		db_addf(&key, "%s:", m->v.stack.v[i].id);
	m->key = db_take(&key);
	/* The image is walked through the first view that has it (walk_images,
	 * walk_image_layers): the others close its layers, or thousands of
	 * containers of one image would hold its descriptors thousands of times
	 * (2000 containers of 10 layers passed a limit of 20000). */
	if (!ks_add(images, xstrdup(m->key)))
		un_release_layers(m->v.fs, m->k);
}

static void walk(tl_ctx *x, walk_mode mode, un_fs *fs, const char *what)
{
	de_err e;
	x->mode = mode;
	x->fs = fs;
	int rc = un_walk(fs, "/", on_entry, x, &e);
	flush_waiting(x);   /* what waits for its hash is this walk's (mode, fs) */
	if (rc < 0 && !x->out.error)
		de_warn("%s: %s", what, e.msg);
	x->raw_of = NULL;
}

/* Each image once, for every container made from it; then what each
 * container's own layer deleted of its -init layer, and the whiteouts that
 * hid nothing. */
static void walk_images(tl_ctx *x, member *m, size_t n)
{
	bool *done = xcalloc(n + 1, sizeof *done);
	member **who = xcalloc(n + 1, sizeof *who);
	for (size_t i = 0; i < n && !x->out.error; i++) {
		if (!m[i].view_ok || done[i] || m[i].k == m[i].v.stack.n)
			continue;
		size_t nw = 0;
		for (size_t j = i; j < n; j++)
			if (m[j].view_ok && !done[j] && !strcmp(m[j].key, m[i].key)) {
				who[nw++] = &m[j];
				done[j] = true;
			}
		un_fs *image = un_slice(m[i].v.fs, m[i].k, m[i].v.stack.n, false);
		x->who = who;
		x->nwho = nw;
		walk(x, W_IMAGE, image, m[i].name);
		un_free(image);
	}
	for (size_t i = 0; i < n && !x->out.error; i++) {
		if (!m[i].view_ok)
			continue;
		if (m[i].k >= 2) {
			un_fs *init = un_slice(m[i].v.fs, 1, m[i].k, false);
			member *one = &m[i];
			x->who = &one;
			x->nwho = 1;
			walk(x, W_INIT, init, m[i].name);
			un_free(init);
		}
		unused_arg a = {x, &m[i]};
		un_shadow_unused(m[i].shadow, on_unused, &a);
	}
	free(done);
	free(who);
}

/* --include-image-layers: every image layer of the run on its own, raw,
 * once whichever images share it. */
static void walk_image_layers(tl_ctx *x, member *m, size_t n)
{
	keyset walked = {0};
	for (size_t i = 0; i < n && !x->out.error; i++) {
		for (size_t l = m[i].k; m[i].view_ok && l < m[i].v.stack.n && !x->out.error; l++) {
			const char *id = m[i].v.stack.v[l].id;
			if (!ks_add(&walked, xasprintf("%s|%s", de_layers_base(m[i].d, m[i].c), id)))
				continue;
			un_fs *one = un_slice_raw(m[i].v.fs, l);
			char *label = xasprintf("image-layer:%s", id);
			tl_who who = {label, label, runtime_of(m[i].c), NULL};
			x->single = &who;
			x->raw_of = m[i].v.fs;
			walk(x, W_ONE, one, label);
			free(label);
			un_free(one);
		}
	}
	sv_free(&walked.v);
}

static void run(tl_ctx *x, member *m, size_t n, bool image_layers, bool logs)
{
	keyset images = {0};
	for (size_t i = 0; i < n; i++)
		open_member(&m[i], m, i, &images);
	sv_free(&images.v);
	label_members(m, n);
	/* each container's own layers and mounts */
	for (size_t i = 0; i < n && !x->out.error; i++) {
		if (!m[i].view_ok)
			continue;
		x->single = &m[i].who;
		un_fs *top = un_slice(m[i].v.fs, 0, m[i].k, true);   /* one view open at a time */
		walk(x, W_ONE, top, m[i].name);
		un_free(top);
	}
	walk_images(x, m, n);
	if (image_layers)
		walk_image_layers(x, m, n);
	if (!x->out.error)
		image_events(x, m, n);
	for (size_t i = 0; i < n && !x->out.error; i++) {
		if (m[i].dup)
			continue;
		container_events(x, &m[i]);
		if (logs)
			log_events(x, m[i].d, &m[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (m[i].view_ok) {
			un_shadow_free(m[i].shadow);
			de_view_close(&m[i].v);
		}
		free(m[i].key);
		free(m[i].label);
	}
}

int cmd_timeline(const de_args *a, const de_opts *g)
{
	tl_ctx x = {.hash_max = 1LL << 30, .hash = de_flag(a, DE_K_HASH)};
	if (de_flag(a, DE_K_HASH_MAX))
		x.hash_max = a->v[DE_K_HASH_MAX].num;
	tl_format fmt = de_is(a, DE_K_FORMAT, "csv") ? TL_CSV
	              : de_is(a, DE_K_FORMAT, "jsonl") ? TL_JSONL : TL_BODYFILE;
	bool all = de_flag(a, DE_K_ALL), image_layers = de_flag(a, DE_K_IMAGE_LAYERS),
	     logs = de_flag(a, DE_K_LOGS);
	const char *out = de_str(a, DE_K_OUTPUT);
	de_containerd_note_unknown_states(true);   /* starts and ends are events */
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	/* --all: every container of every root found; else each one named,
	 * looked for in every root as the other commands do. */
	de_host h = {0};
	size_t n = all ? 0 : a->npos;
	de_docker *ds = xcalloc(n + 1, sizeof *ds);
	member *m = NULL;
	int rc = DE_EXIT_OK;
	if (all) {
		/* the records suffice, but to read the logs (logsource.c) */
		de_docker_load_how(logs ? DE_LOAD_WHOLE : DE_LOAD_RECORD);
		rc = de_host_load(g, &h);
		n = h.n;
		m = xcalloc(n + 1, sizeof *m);
		for (size_t i = 0; i < n; i++)
			m[i] = (member){.d = h.all[i].d, .c = h.all[i].c};
	} else {
		m = xcalloc(n + 1, sizeof *m);
		for (size_t i = 0; i < n && rc == DE_EXIT_OK; i++) {
			m[i] = (member){.d = &ds[i], .c = de_open_container(g, &ds[i], a->pos[i])};
			if (!m[i].c)
				rc = DE_EXIT_ERROR, n = i;   /* said why; close what is open */
		}
	}
	if (rc == DE_EXIT_OK) {
		static char buf[1 << 20];
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		tl_begin(&x.out, stdout, fmt);
		x.progress = isatty(STDERR_FILENO);
		run(&x, m, n, image_layers, logs);
		tl_write_errors(&x.out);
		db_free(&x.tail);
		db_free(&x.out.line);
		de_hash_batch_free(&x.batch);
		free(x.wait);
		if (x.progress)
			fprintf(stderr, "\rtimeline: %llu records\n", (unsigned long long)x.out.records);
		if (x.out.error || fflush(stdout) == EOF) {
			de_error("cannot write the output");
			rc = DE_EXIT_ERROR;
		}
		setvbuf(stdout, NULL, _IOFBF, 0);
	}
	if (all) {
		de_host_free(&h);
	} else {
		for (size_t i = 0; i < n; i++) {
			de_container_free(m[i].c);
			de_docker_close(&ds[i]);
		}
	}
	free(m);
	free(ds);
	return rc;
}
