/*
 * diff.c — `de diff CONTAINER [--format text|json] [--all] [--hash]
 * [--hash-max N] [-o FILE]`: what the container changed against its image.
 *
 * Text: the lines the engine's own diff prints for it (`docker diff`,
 * `podman diff`; diff_rules.h says which rule each engine follows), one
 * "X PATH" a line in path order; --all: de's whole record of the
 * container's writable layer instead (every entry it holds, A or C, every
 * entry below that it deletes or hides, D). JSON: that whole record, one
 * object per entry with its metadata, the entry it replaced (before), the
 * line the engine prints for it (engine_diff), and what de knows of it that
 * the engines do not say (opaque, whiteout, hidden_by, engine_file,
 * hard_link_copy_up…); for Docker, the -init layer's files too, as the
 * engine's own. The JSON document is {"container", "runtime", "rule",
 * "rule_basis", "changes": [...], "errors": [...]}, streamed: errors lists
 * what could not be read, so an incomplete report says so itself.
 *
 * An engine prints some directories only for what it prints below them
 * (pending): such a directory's line (and its JSON object) waits, depth-
 * bounded, until a line below brings it out or its content is done. Memory
 * is bounded by the depth of the tree, not by its size.
 */
#include "builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "commands.h"
#include "../output/json_out.h"
#include "../output/text.h"
#include "../runtime/view.h"
#include "../util/hashbatch.h"
#include "diff_rules.h"

/* A directory the engine prints only when it prints something below it. */
typedef struct pending {
	char *path;
	unsigned depth;
	json_t *j;            /* its JSON object, waiting for engine_diff */
} pending;

typedef struct diff_opts {
	bool json, hash, all;
	long long hash_max;
	un_fs *fs;
	diff_engine eng;
	size_t emitted;         /* JSON array elements written so far */
	dbuf line;
	bool write_error;
	size_t init_layer;
	pending *pend;
	size_t npend, cappend;
	/* --hash: records wait here, in order, until the batch of their files
	 * is hashed on every core; a hash's place in its record is given by
	 * its job, a comparison's (content_changed) by its fixup */
	de_hash_batch batch;
	struct hash_place { json_t *obj; size_t job; } *places;
	size_t nplaces, capplaces;
	struct fixup { json_t *j, *before; bool meta, regular; nlink_t nlink; } *fixups;
	size_t nfixups, capfixups;
	json_t **queue;
	size_t nqueue, capqueue;
} diff_opts;

static const char *type_name(mode_t m)
{
	return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : S_ISCHR(m) ? "char"
	     : S_ISBLK(m) ? "block" : S_ISFIFO(m) ? "fifo" : S_ISSOCK(m) ? "socket" : "unknown";
}

static json_t *time_json(const struct timespec *ts)
{
	char buf[48];
	de_time_ns(ts->tv_sec, ts->tv_nsec, buf, sizeof buf);
	return json_string(buf);
}

static void add_hash(diff_opts *o, json_t *j, const un_walk_entry *ent)
{
	const struct stat *st = &ent->node->st;
	if (!S_ISREG(st->st_mode))
		return;
	if (st->st_size > o->hash_max) {
		json_object_set_new(j, "sha256", json_null());
		json_object_set_new(j, "sha256_skipped", json_string("larger than --hash-max"));
		de_note("%s: %lld bytes, over --hash-max: not hashed", ent->path,
		        (long long)st->st_size);
		return;
	}
	de_err e;
	int fd = un_walk_open(o->fs, ent, &e);
	json_object_set_new(j, "sha256", json_null());   /* its place; the hash comes later */
	if (fd < 0) {
		de_warn("%s: not hashed: %s", ent->path, e.msg);
		return;
	}
	if (o->nplaces == o->capplaces) {
		o->capplaces = o->capplaces ? o->capplaces * 2 : 64;
		o->places = xrealloc(o->places, o->capplaces * sizeof *o->places);
	}
	o->places[o->nplaces++] = (struct hash_place){
		j, de_hash_batch_add(&o->batch, fd, ent->path, false, (uint64_t)st->st_size)};
}

/* The metadata of one side of a change (or of a whiteout). */
static json_t *entry_json(diff_opts *o, const un_walk_entry *ent, bool hash)
{
	const struct stat *st = &ent->node->st;
	json_t *j = json_object();
	char mode[8];
	json_object_set_new(j, "type", json_string(type_name(st->st_mode)));
	snprintf(mode, sizeof mode, "%04o", (unsigned)(st->st_mode & 07777));
	json_object_set_new(j, "mode", json_string(mode));
	json_object_set_new(j, "uid", json_integer(st->st_uid));
	json_object_set_new(j, "gid", json_integer(st->st_gid));
	json_object_set_new(j, "size", json_integer((json_int_t)st->st_size));
	json_object_set_new(j, "nlink", json_integer((json_int_t)st->st_nlink));
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		json_object_set_new(j, "major", json_integer(major(st->st_rdev)));
		json_object_set_new(j, "minor", json_integer(minor(st->st_rdev)));
	}
	json_object_set_new(j, "mtime", time_json(&st->st_mtim));
	json_object_set_new(j, "ctime", time_json(&st->st_ctim));
	json_object_set_new(j, "atime", time_json(&st->st_atim));
	if (S_ISLNK(st->st_mode)) {
		de_err e;
		char *t = un_walk_readlink(ent, &e);
		json_object_set_new(j, "target", de_json_str(t));
		free(t);
	}
	json_object_set_new(j, "layer", de_json_str(un_layer_label(o->fs, ent->node->layer)));
	json_object_set_new(j, "executable",
	                    json_boolean(S_ISREG(st->st_mode) && (st->st_mode & 0111)));
	if (hash && o->hash)
		add_hash(o, j, ent);
	return j;
}

/* What de compares of a C entry and the one it replaced: the metadata
 * (exact times, unlike the engines), and with --hash the content. A file
 * the layer holds unchanged with two or more links is the copy-up a hard
 * link forces (overlayfs copies the file up to link it). */
static void set_comparison(const struct fixup *f)
{
	const char *sn = json_string_value(json_object_get(f->j, "sha256"));
	const char *sb = json_string_value(json_object_get(f->before, "sha256"));
	int content = sn && sb ? strcmp(sn, sb) != 0 : -1;
	json_object_set_new(f->j, "content_changed", content < 0 ? json_null() : json_boolean(content));
	json_object_set_new(f->j, "hard_link_copy_up",
	                    json_boolean(f->regular && !f->meta && f->nlink > 1 && content != 1));
}

static void add_comparison(diff_opts *o, json_t *j, const un_diff_ent *ent, json_t *before)
{
	const struct stat *n = &ent->now->node->st, *b = &ent->before->node->st;
	bool meta = n->st_mode != b->st_mode || n->st_uid != b->st_uid || n->st_gid != b->st_gid ||
	            n->st_rdev != b->st_rdev || n->st_size != b->st_size ||
	            n->st_mtim.tv_sec != b->st_mtim.tv_sec || n->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
	json_object_set_new(j, "metadata_changed", json_boolean(meta));
	struct fixup f = {j, before, meta, S_ISREG(n->st_mode) && S_ISREG(b->st_mode), n->st_nlink};
	set_comparison(&f);   /* the keys in their places; again once hashed */
	if (!o->hash)
		return;
	if (o->nfixups == o->capfixups) {
		o->capfixups = o->capfixups ? o->capfixups * 2 : 64;
		o->fixups = xrealloc(o->fixups, o->capfixups * sizeof *o->fixups);
	}
	o->fixups[o->nfixups++] = f;
}

/* Writes s, each of its lines after the first indented by indent more. */
static void put_indented(diff_opts *o, const char *lead, const char *s, const char *indent)
{
	o->line.len = 0;
	db_adds(&o->line, lead);
	for (const char *p = s; *p; p++) {
		db_add(&o->line, p, 1);
		if (*p == '\n')   /* a string's newline is escaped: this is layout */
			db_adds(&o->line, indent);
	}
	if (fwrite(o->line.p, 1, o->line.len, stdout) != o->line.len)
		o->write_error = true;
}

/* --format json streams the document one change at a time, in the bytes
 * de_json_print would give it: held as one jansson array, the
 * million-entry layer of the hostile case "many-entries" took 2.4 GB. */
static void print_json(diff_opts *o, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(j);
	if (!s) {
		o->write_error = true;
		return;
	}
	put_indented(o, o->emitted++ ? ",\n        " : "\n        ", s, "        ");
	free(s);
}

/* The waiting records, their files hashed (on every core), printed in order. */
static void flush_hashed(diff_opts *o)
{
	de_hash_batch_run(&o->batch);
	for (size_t i = 0; i < o->nplaces; i++) {
		const de_hash_job *job = &o->batch.v[o->places[i].job];
		if (job->ok)
			json_object_set_new(o->places[i].obj, "sha256", json_string(job->sha256));
	}
	for (size_t i = 0; i < o->nfixups; i++)
		set_comparison(&o->fixups[i]);
	for (size_t i = 0; i < o->nqueue; i++)
		print_json(o, o->queue[i]);
	de_hash_batch_clear(&o->batch);
	o->nplaces = o->nfixups = o->nqueue = 0;
}

static void emit_json(diff_opts *o, json_t *j)
{
	if (!o->hash) {
		print_json(o, j);
		return;
	}
	if (o->nqueue == o->capqueue) {
		o->capqueue = o->capqueue ? o->capqueue * 2 : 256;
		o->queue = xrealloc(o->queue, o->capqueue * sizeof *o->queue);
	}
	o->queue[o->nqueue++] = j;
	/* records without files (directories) wait too, but not without end */
	if (de_hash_batch_full(&o->batch) || o->nqueue >= 4 * DE_HASH_BATCH_FILES)
		flush_hashed(o);
}

static void put_field(diff_opts *o, const char *key, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
	json_decref(v);
	if (!s || printf("    \"%s\": %s,\n", key, s) < 0)
		o->write_error = true;
	free(s);
}

static void json_open(diff_opts *o, const de_container *c)
{
	if (fputs("{\n", stdout) == EOF)
		o->write_error = true;
	put_field(o, "container", de_json_str(c->id));
	put_field(o, "runtime", json_string(c->runtime ? c->runtime : "docker"));
	put_field(o, "rule", json_string(o->eng.name));
	put_field(o, "rule_basis", de_json_str(o->eng.basis));
	if (fputs("    \"changes\": [", stdout) == EOF)
		o->write_error = true;
}

/* Closed even after an error, so that what was written stays JSON; the
 * errors are what could not be read, so the document says it is not
 * complete (util/diag.h). */
static void json_close(diff_opts *o)
{
	json_t *errs = de_json_errors();
	char *s = json_dumps(errs, JSON_INDENT(4) | JSON_ENSURE_ASCII);
	json_decref(errs);
	if (!s || fputs(o->emitted ? "\n    ],\n" : "],\n", stdout) == EOF) {
		o->write_error = true;
	} else {
		put_indented(o, "    \"errors\": ", s, "    ");
		if (fputs("\n}\n", stdout) == EOF)
			o->write_error = true;
	}
	free(s);
}

static void put_line(diff_opts *o, char kind, const char *path)
{
	o->line.len = 0;
	db_addf(&o->line, "%c ", kind);
	de_escape(&o->line, path);
	db_adds(&o->line, "\n");
	if (fwrite(o->line.p, 1, o->line.len, stdout) != o->line.len)
		o->write_error = true;
}

/* The engine's line for path (kind 0: none): printed, or set in j. */
static void engine_line(diff_opts *o, char kind, const char *path, json_t *j)
{
	if (kind && diff_engine_file(&o->eng, path))
		kind = 0;   /* libpod leaves its own paths out */
	if (j) {
		char k[2] = {kind, 0};
		json_object_set_new(j, "engine_diff", kind ? json_string(k) : json_null());
		emit_json(o, j);
	} else if (kind && !o->all) {
		put_line(o, kind, path);
	}
}

/* Pending directories at depth >= depth are done: nothing below brought
 * them out. */
static void settle(diff_opts *o, unsigned depth)
{
	while (o->npend && o->pend[o->npend - 1].depth >= depth) {
		pending *p = &o->pend[--o->npend];
		engine_line(o, 0, p->path, p->j);
		free(p->path);
	}
}

/* A line below brings out the pending directories above it: all of them,
 * or (flush 1) the parent alone. */
static void bring_out(diff_opts *o, int flush, unsigned depth)
{
	size_t from = o->npend;
	if (flush < 0)
		from = 0;
	else if (flush == 1 && o->npend && o->pend[o->npend - 1].depth + 1 == depth)
		from = o->npend - 1;
	for (size_t i = from; i < o->npend; i++) {
		engine_line(o, 'C', o->pend[i].path, o->pend[i].j);
		free(o->pend[i].path);
	}
	o->npend = from;
}

static void push_pending(diff_opts *o, const char *path, unsigned depth, json_t *j)
{
	if (o->npend == o->cappend) {
		o->cappend = o->cappend ? o->cappend * 2 : 16;
		o->pend = xrealloc(o->pend, o->cappend * sizeof *o->pend);
	}
	o->pend[o->npend++] = (pending){xstrdup(path), depth, j};
}

/* The JSON object of one entry of the record (engine_diff set later). */
static json_t *build_record(diff_opts *o, const un_diff_ent *ent, const diff_verdict *v,
                            bool engine_file)
{
	json_t *j = json_object();
	char k[2] = {(char)ent->kind, 0};
	json_object_set_new(j, "path", de_json_str(ent->path));
	json_object_set_new(j, "kind", json_string(k));
	json_object_set_new(j, "engine_diff", json_null());
	if (v && v->path)
		json_object_set_new(j, "engine_path", de_json_str(v->path));
	json_object_set_new(j, "engine_file", json_boolean(engine_file));
	json_object_set_new(j, "docker", json_boolean(engine_file));   /* engine_file's old name */
	if (ent->opaque)
		json_object_set_new(j, "opaque", json_true());
	if (ent->hidden_by)
		json_object_set_new(j, "hidden_by", de_json_str(ent->hidden_by));
	if (ent->implied)
		json_object_set_new(j, "implied", json_true());
	if (ent->kind == UN_DELETED && ent->whiteout && ent->now) {
		json_object_set_new(j, "whiteout", entry_json(o, ent->now, false));
	} else if (ent->now) {
		size_t first = o->nplaces;
		json_t *m = entry_json(o, ent->now, true);
		json_object_update(j, m);
		for (size_t i = first; i < o->nplaces; i++)
			o->places[i].obj = j;   /* the hash's place is j's now */
		json_decref(m);
	}
	if (ent->before) {
		json_t *b = entry_json(o, ent->before, true);
		if (ent->kind == UN_CHANGED && ent->now)
			add_comparison(o, j, ent, b);
		json_object_set_new(j, "before", b);
	}
	return j;
}

static int on_record(void *arg, const un_diff_ent *ent)
{
	diff_opts *o = arg;
	settle(o, ent->depth);
	diff_verdict v = {0};
	if (!o->all || o->json)
		diff_judge(&o->eng, ent, &v);
	if (ent->kind == UN_MARKER && !v.kind)
		return 0;   /* aufs' bookkeeping the engine does not print */
	if (v.kind)
		bring_out(o, v.flush, ent->depth);
	json_t *j = NULL;
	if (o->json)
		j = build_record(o, ent, &v, diff_engine_file(&o->eng, ent->path));
	else if (o->all && ent->kind != UN_MARKER && !(ent->kind == UN_DELETED && !ent->before))
		put_line(o, (char)ent->kind, ent->path);
	if (v.pending)
		push_pending(o, ent->path, ent->depth, j);
	else if (j || !o->all)
		engine_line(o, v.kind, v.path ? v.path : ent->path, j);
	free(v.path);
	return o->write_error ? -1 : 0;
}

/* JSON: what the -init layer made (/etc/hosts, /etc/hostname,
 * /etc/resolv.conf, /.dockerenv, /dev…), where the container left it:
 * Docker's doing at creation, not the container's. */
static int on_init_record(void *arg, const un_diff_ent *ent)
{
	diff_opts *o = arg;
	if (ent->kind == UN_MARKER || (ent->kind == UN_DELETED && !ent->before))
		return 0;
	un_node n;
	if (ent->kind == UN_DELETED ? un_stat(o->fs, ent->path, false, &n, NULL) == 0
	                            : un_stat(o->fs, ent->path, false, &n, NULL) < 0 ||
	                              (size_t)n.layer != o->init_layer)
		return 0;
	emit_json(o, build_record(o, ent, NULL, true));
	return o->write_error ? -1 : 0;
}

int cmd_diff(const de_args *a, const de_opts *g)
{
	diff_opts o = {.hash_max = 1LL << 30, .json = de_is(a, DE_K_FORMAT, "json"),
	               .all = de_flag(a, DE_K_ALL), .hash = de_flag(a, DE_K_HASH)};
	if (de_flag(a, DE_K_HASH_MAX))
		o.hash_max = a->v[DE_K_HASH_MAX].num;
	const char *out = de_str(a, DE_K_OUTPUT);
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_target t;
	if (de_target_open(&t, g, a->pos[0], true, false) < 0)
		return DE_EXIT_ERROR;
	de_view v = t.v;
	de_err e;
	int rc = DE_EXIT_OK;
	o.fs = v.fs;
	diff_engine_for(&o.eng, &t);
	if (o.json)
		json_open(&o, t.c);
	unsigned flags = o.all && !o.json ? 0 : diff_engine_walk_flags(&o.eng);
	if (un_diff_walk(v.fs, 0, flags, on_record, &o, &e) < 0 && !o.write_error)
		de_error("%s", e.msg), rc = DE_EXIT_ERROR;
	settle(&o, 0);
	if (rc == DE_EXIT_OK && o.json && v.stack.n > 1 && !strcmp(v.stack.v[1].role, "init")) {
		o.init_layer = 1;
		if (un_diff_walk(v.fs, 1, 0, on_init_record, &o, &e) < 0 && !o.write_error)
			de_warn("the -init layer: %s", e.msg);
	}
	if (o.hash)
		flush_hashed(&o);
	if (o.json && !o.write_error)
		json_close(&o);
	if (o.write_error || fflush(stdout) == EOF)
		de_error("cannot write the output"), rc = DE_EXIT_ERROR;
	for (size_t i = 0; i < o.npend; i++) {
		free(o.pend[i].path);
		json_decref(o.pend[i].j);
	}
	free(o.pend);
	de_hash_batch_free(&o.batch);
	free(o.places);
	free(o.fixups);
	free(o.queue);
	db_free(&o.line);
	diff_engine_free(&o.eng);
	de_target_close(&t);
	return rc;
}
