/*
 * timeline.c — `de timeline CONTAINER... | --all [--format bodyfile|csv|jsonl]
 * [--hash] [--hash-max N] [--include-image-layers] [--logs] [-o FILE]`.
 *
 * One record per time of every entry of each container's view (M, A, C, and
 * B where the filesystem keeps a birth time), naming container, layer and
 * path; then the host's events: each image's creation and build steps, each
 * container's creation, start and end (with its exit code), and with --logs
 * each line it printed. The layers an image gives many containers are
 * walked once: each container gets the image's entries minus what its own
 * layers and mounts replace or hide (union/shadow.c).
 */
#include "builtin.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../logs/logs.h"
#include "../output/timeline_out.h"
#include "../runtime/logsource.h"
#include "../runtime/view.h"
#include "../util/hashfile.h"
#include "../util/jget.h"
#include "../util/timefmt.h"

static const char usage[] =
	"usage: de timeline CONTAINER... | --all [--format bodyfile|csv|jsonl] [--hash]\n"
	"                   [--hash-max BYTES] [--include-image-layers] [--logs] [-o FILE]";

typedef struct member {
	de_docker *d;           /* the root it is in */
	de_container *c;
	const char *name;       /* without the leading '/' */
	de_view v;
	bool view_ok;
	size_t k;               /* index of the first image layer */
	un_fs *top;
	un_shadow *shadow;
	char *key;              /* the image layers' ids: who shares what */
} member;

typedef struct tl_ctx {
	tl_out out;
	bool hash;
	long long hash_max;
	un_fs *fs;              /* the view being walked (for labels, content) */
	member **who;           /* the containers an entry is for */
	size_t nwho;
	const char *single;     /* or one name for them all */
	dbuf tail;              /* a bodyfile line after the container's name */
	bool progress;          /* stderr is a terminal: say how far we are */
	uint64_t next_progress;
} tl_ctx;

static tl_ts birth_of(const un_walk_entry *ent)
{
	struct statx sx;
	tl_ts t = {0};
	if (statx(ent->dirfd, ent->at, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 &&
	    (sx.stx_mask & STATX_BTIME)) {
		t.sec = sx.stx_btime.tv_sec;
		t.nsec = (int32_t)sx.stx_btime.tv_nsec;
		t.set = true;
	}
	return t;
}

static int on_entry(void *arg, const un_walk_entry *ent)
{
	tl_ctx *x = arg;
	const struct stat *st = &ent->node->st;
	char sha[65], md5[33];
	bool hashed = false;
	char *target = NULL;
	de_err e;
	if (S_ISLNK(st->st_mode))
		target = un_walk_readlink(ent, &e);
	if (x->hash && S_ISREG(st->st_mode)) {
		if (st->st_size > x->hash_max) {
			de_note("%s: %lld bytes, over --hash-max: not hashed", ent->path,
			        (long long)st->st_size);
		} else {
			int fd = un_walk_open(x->fs, ent, &e);
			hashed = fd >= 0 && de_hash_fd(fd, sha, md5, &e) == 0;
			if (!hashed)
				de_warn("%s: not hashed: %s", ent->path, e.msg);
			if (fd >= 0)
				close(fd);
		}
	}
	tl_file r = {.layer = un_layer_label(x->fs, ent->node->layer), .path = ent->path,
	             .target = target, .st = st, .birth = birth_of(ent),
	             .md5 = hashed ? md5 : NULL, .sha256 = hashed ? sha : NULL};
	if (x->single) {
		r.container = x->single;
		tl_write_file(&x->out, &r);
	}
	bool prepared = false;
	for (size_t i = 0; i < x->nwho; i++) {
		if (un_shadow_hides(x->who[i]->shadow, ent->path))
			continue;
		if (x->out.fmt != TL_BODYFILE) {
			r.container = x->who[i]->name;
			tl_write_file(&x->out, &r);
			continue;
		}
		if (!prepared)   /* one formatting for all the containers */
			tl_prepare_tail(&x->out, &r, &x->tail);
		prepared = true;
		tl_write_prepared(&x->out, x->who[i]->name, &x->tail);
	}
	free(target);
	if (x->progress && x->out.records >= x->next_progress) {
		fprintf(stderr, "\rtimeline: %llu records", (unsigned long long)x->out.records);
		x->next_progress = x->out.records + 100000;
	}
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
	tl_write_event(&x->out, m->name, "container created", &t, "Container Created");
	t = ts_of(c->started_at);
	tl_write_event(&x->out, m->name, "container started", &t, "Container Started");
	t = ts_of(c->finished_at);
	if (t.set) {
		char *what = xasprintf("container finished (exit code %lld)", (long long)c->exit_code);
		tl_write_event(&x->out, m->name, what, &t, "Container Finished");
		free(what);
	}
}

static void image_events(tl_ctx *x, de_docker *d, const member *m)
{
	de_history h = {0};
	de_err e;
	if (!m->c->image_id || de_docker_history(d, m->c, &h, &e) < 0 || !h.n) {
		de_history_free(&h);
		return;
	}
	const char *img = h.v[0].id;
	char *who = xasprintf("image %s", m->c->image_name ? m->c->image_name : img);
	tl_ts t = ts_of(h.v[0].created);
	tl_write_event(&x->out, who, "image created", &t, "Image Created");
	for (size_t i = 0; i < h.v[0].nsteps; i++) {
		const de_history_step *s = &h.v[0].steps[i];
		t = ts_of(s->created);
		char *what = xasprintf("build step: %s", s->created_by ? s->created_by
		                       : s->comment ? s->comment : "(none recorded)");
		tl_write_event(&x->out, who, what, &t, "Image Build Step");
		free(what);
	}
	free(who);
	de_history_free(&h);
}

typedef struct log_arg {
	tl_ctx *x;
	const char *name;
} log_arg;

static int on_log(void *arg, const de_log_msg *m)
{
	log_arg *a = arg;
	size_t n = m->len && m->data[m->len - 1] == '\n' ? m->len - 1 : m->len;
	char *line = xstrndup(m->data, n);
	char *what = xasprintf("log %s: %s", m->stream, line);
	tl_ts t = {m->sec, m->nsec, true};
	tl_write_event(&a->x->out, a->name, what, &t, "Log Line");
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
	tl_write_event(&x->out, m->name, what, &t, "Log Rotated Away");
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
	log_arg a = {x, m->name};
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

static void open_member(member *m)
{
	de_err e;
	m->name = m->c->name ? m->c->name + (m->c->name[0] == '/') : m->c->id;
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
	m->top = un_slice(m->v.fs, 0, m->k, true);
	m->shadow = un_shadow_build(m->v.fs, m->k);
	/* Layer ids are unique within a root only (containerd numbers its
	 * snapshots 1, 2, …): the root is part of what is shared. */
	dbuf key = {0};
	db_addf(&key, "%s|", m->d->root.path);
	for (size_t i = m->k; i < m->v.stack.n; i++)
		db_addf(&key, "%s:", m->v.stack.v[i].id);
	m->key = db_take(&key);
}

static void walk(tl_ctx *x, un_fs *fs, const char *what)
{
	de_err e;
	x->fs = fs;
	if (un_walk(fs, "/", on_entry, x, &e) < 0 && !x->out.error)
		de_warn("%s: %s", what, e.msg);
}

static void run(tl_ctx *x, member *m, size_t n, bool image_layers, bool logs)
{
	for (size_t i = 0; i < n; i++)
		open_member(&m[i]);
	/* each container's own layers and mounts */
	for (size_t i = 0; i < n && !x->out.error; i++) {
		if (!m[i].view_ok)
			continue;
		x->single = m[i].name;
		x->nwho = 0;
		walk(x, m[i].top, m[i].name);
	}
	/* each image once, for every container made from it */
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
		x->single = NULL;
		x->who = who;
		x->nwho = nw;
		walk(x, image, m[i].name);
		un_free(image);
		image_events(x, m[i].d, &m[i]);
		/* --include-image-layers: every layer of this image on its own */
		for (size_t l = m[i].k; image_layers && l < m[i].v.stack.n; l++) {
			un_fs *one = un_slice(m[i].v.fs, l, l + 1, false);
			char *label = xasprintf("image-layer:%s", m[i].v.stack.v[l].id);
			x->single = label;
			x->nwho = 0;
			walk(x, one, label);
			free(label);
			un_free(one);
		}
	}
	free(done);
	free(who);
	for (size_t i = 0; i < n && !x->out.error; i++) {
		container_events(x, &m[i]);
		if (logs)
			log_events(x, m[i].d, &m[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (m[i].view_ok) {
			un_free(m[i].top);
			un_shadow_free(m[i].shadow);
			de_view_close(&m[i].v);
		}
		free(m[i].key);
	}
}

int cmd_timeline(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"all", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"hash", no_argument, NULL, 'H'},
		{"hash-max", required_argument, NULL, 'M'},
		{"include-image-layers", no_argument, NULL, 'I'},
		{"logs", no_argument, NULL, 'L'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	tl_ctx x = {.hash_max = 1LL << 30};
	tl_format fmt = TL_BODYFILE;
	bool all = false, image_layers = false, logs = false;
	const char *out = NULL;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case 'a': all = true; break;
		case 'f':
			if (!strcmp(optarg, "bodyfile")) fmt = TL_BODYFILE;
			else if (!strcmp(optarg, "csv")) fmt = TL_CSV;
			else if (!strcmp(optarg, "jsonl")) fmt = TL_JSONL;
			else goto bad;
			break;
		case 'H': x.hash = true; break;
		case 'M':
			x.hash_max = strtoll(optarg, &end, 10);
			if (*end || x.hash_max < 0)
				goto bad;
			break;
		case 'I': image_layers = true; break;
		case 'L': logs = true; break;
		case 'o': out = optarg; break;
		case 'h': puts(usage); return DE_EXIT_OK;
		default: goto bad;
		}
	}
	if (all == (optind < argc))
		goto bad;
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	/* --all: every container of every root found; else each one named,
	 * looked for in every root as the other commands do. */
	de_host h = {0};
	size_t n = all ? 0 : (size_t)(argc - optind);
	de_docker *ds = xcalloc(n + 1, sizeof *ds);
	member *m = NULL;
	int rc = DE_EXIT_OK;
	if (all) {
		rc = de_host_load(g, &h);
		n = h.n;
		m = xcalloc(n + 1, sizeof *m);
		for (size_t i = 0; i < n; i++)
			m[i] = (member){.d = h.all[i].d, .c = h.all[i].c};
	} else {
		m = xcalloc(n + 1, sizeof *m);
		for (size_t i = 0; i < n && rc == DE_EXIT_OK; i++) {
			m[i] = (member){.d = &ds[i], .c = de_open_container(g, &ds[i], argv[optind + (int)i])};
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
bad:
	fprintf(stderr, "%s\n", usage);
	return DE_EXIT_USAGE;
}
