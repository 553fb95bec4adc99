/*
 * diff.c — `de diff CONTAINER [--format text|json] [--hash] [--hash-max N] [-o FILE]`:
 * what the container changed against its image, as `docker diff` shows it
 * (A added, C changed, D deleted; text: one "X PATH" a line, exactly
 * docker diff's set). JSON gives each entry's metadata, the layer it comes
 * from, and for C and D the entry it replaced; with --hash the SHA-256 of
 * both contents. JSON also lists what the -init layer made (/etc/hosts,
 * /etc/hostname, /etc/resolv.conf, /.dockerenv, …) with "docker": true:
 * Docker's doing at container creation, not the container's. The JSON
 * document is {"container", "changes": [...], "errors": [...]}: errors
 * lists what could not be read, so an incomplete report says so itself.
 */
#include "builtin.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../output/json_out.h"
#include "../output/text.h"
#include "../runtime/view.h"
#include "../util/hashfile.h"

static const char usage[] =
	"usage: de diff CONTAINER [--format text|json] [--hash] [--hash-max BYTES] [-o FILE]";

typedef struct diff_opts {
	bool json, hash, docker;
	long long hash_max;
	un_fs *fs;
	size_t emitted;         /* JSON array elements written so far */
	dbuf line;
	bool write_error;
	size_t init_layer;
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
	char sha[65];
	int fd = un_walk_open(o->fs, ent, &e);
	if (fd < 0 || de_hash_fd(fd, sha, NULL, &e) < 0) {
		de_warn("%s: not hashed: %s", ent->path, e.msg);
		json_object_set_new(j, "sha256", json_null());
	} else {
		json_object_set_new(j, "sha256", json_string(sha));
	}
	if (fd >= 0)
		close(fd);
}

/* The metadata of one side of a change. */
static json_t *entry_json(diff_opts *o, const un_walk_entry *ent, bool with_path)
{
	const struct stat *st = &ent->node->st;
	json_t *j = json_object();
	char mode[8];
	if (with_path)
		json_object_set_new(j, "path", de_json_str(ent->path));
	json_object_set_new(j, "type", json_string(type_name(st->st_mode)));
	snprintf(mode, sizeof mode, "%04o", (unsigned)(st->st_mode & 07777));
	json_object_set_new(j, "mode", json_string(mode));
	json_object_set_new(j, "uid", json_integer(st->st_uid));
	json_object_set_new(j, "gid", json_integer(st->st_gid));
	json_object_set_new(j, "size", json_integer((json_int_t)st->st_size));
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
	if (o->hash)
		add_hash(o, j, ent);
	return j;
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

/* --format json streams the document {"container", "changes", "errors"},
 * one change at a time, in the bytes de_json_print would give it: held as
 * one jansson array, the million-entry layer of the hostile case
 * "many-entries" took 2.4 GB. */
static void emit_json(diff_opts *o, json_t *j)
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

static void json_open(diff_opts *o, const char *id)
{
	json_t *jid = de_json_str(id);
	char *s = json_dumps(jid, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
	json_decref(jid);
	if (!s || printf("{\n    \"container\": %s,\n    \"changes\": [", s) < 0)
		o->write_error = true;
	free(s);
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

static int on_change(void *arg, un_change kind, const char *path, const un_walk_entry *now,
                     const un_walk_entry *before)
{
	diff_opts *o = arg;
	if (o->docker) {
		/* the -init layer's work counts only where the container left it */
		un_node n;
		if (kind == UN_DELETED ? un_stat(o->fs, path, false, &n, NULL) == 0
		                       : un_stat(o->fs, path, false, &n, NULL) < 0 ||
		                         (size_t)n.layer != o->init_layer)
			return 0;
	}
	if (!o->json) {
		if (o->docker)
			return 0;
		o->line.len = 0;
		db_addf(&o->line, "%c ", (char)kind);
		de_escape(&o->line, path);
		db_adds(&o->line, "\n");
		if (fwrite(o->line.p, 1, o->line.len, stdout) != o->line.len)
			o->write_error = true;
		return o->write_error ? -1 : 0;
	}
	json_t *j = now ? entry_json(o, now, true) : json_object();
	if (!now)
		json_object_set_new(j, "path", de_json_str(path));
	char k[2] = {(char)kind, 0};
	json_object_set_new(j, "kind", json_string(k));
	json_object_set_new(j, "docker", json_boolean(o->docker));
	if (before)
		json_object_set_new(j, "before", entry_json(o, before, false));
	emit_json(o, j);
	return o->write_error ? -1 : 0;
}

int cmd_diff(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"hash", no_argument, NULL, 'H'},
		{"hash-max", required_argument, NULL, 'M'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	diff_opts o = {.hash_max = 1LL << 30};
	const char *out = NULL;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		char *end;
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return de_usage_error(usage, "--format: \"%s\" is not a format (text, json)",
				                      optarg);
			o.json = !strcmp(optarg, "json");
			break;
		case 'H': o.hash = true; break;
		case 'M':
			errno = 0;
			o.hash_max = strtoll(optarg, &end, 10);
			if (!*optarg || *end || errno || o.hash_max < 0)
				return de_usage_error(usage, "--hash-max: \"%s\" is not a number of bytes",
				                      optarg);
			break;
		case 'o': out = optarg; break;
		case 'h': puts(usage); return DE_EXIT_OK;
		default: goto bad;
		}
	}
	if (optind + 1 != argc)
		goto bad;
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_target t;
	if (de_target_open(&t, g, argv[optind], true, false) < 0)
		return DE_EXIT_ERROR;
	de_view v = t.v;
	de_err e;
	int rc = DE_EXIT_OK;
	o.fs = v.fs;
	if (o.json)
		json_open(&o, t.c->id);
	if (un_diff_layer(v.fs, 0, on_change, &o, &e) < 0 && !o.write_error)
		de_error("%s", e.msg), rc = DE_EXIT_ERROR;
	if (rc == DE_EXIT_OK && o.json && v.stack.n > 1 && !strcmp(v.stack.v[1].role, "init")) {
		o.docker = true;
		o.init_layer = 1;
		if (un_diff_layer(v.fs, 1, on_change, &o, &e) < 0)
			de_warn("the -init layer: %s", e.msg);
	}
	if (o.json && !o.write_error)
		json_close(&o);
	if (o.write_error || fflush(stdout) == EOF)
		de_error("cannot write the output"), rc = DE_EXIT_ERROR;
	db_free(&o.line);
	de_target_close(&t);
	return rc;
bad:
	fprintf(stderr, "%s\n", usage);
	return DE_EXIT_USAGE;
}
