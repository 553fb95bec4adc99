/*
 * logs.c — `de logs CONTAINER [--format text|jsonl] [--stream S] [--since T]
 * [--until T] [--tail N] [-t] [-o FILE]`: what the container printed, from
 * its log driver's files (json-file, local, or Docker's dual-logging cache
 * for the drivers Docker cannot read back), oldest first, partial records
 * joined. Text is the messages as printed (-t: each prefixed with its time,
 * as `docker logs -t`); jsonl one object per message with its provenance,
 * and a last {"errors": [...]} line when something could not be read.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "../logs/logs.h"
#include "../output/json_out.h"
#include "../runtime/logsource.h"
#include "../output/text.h"
#include "../runtime/storage.h"
#include "../util/jget.h"
#include "../util/timefmt.h"

typedef struct kept {
	de_log_msg m;
	char *data, *file, stream[16];
} kept;

typedef struct logs_opts {
	bool jsonl, timestamps;
	const char *stream;
	bool has_since, has_until;
	de_time since, until;
	long tail;              /* -1: all */
	kept *ring;
	size_t ring_n, ring_next;
	uint64_t shown;
	bool stream_seen;       /* a record of --stream survives */
	bool write_error;
} logs_opts;

static int print_msg(logs_opts *o, const de_log_msg *m)
{
	char tm[48];
	if (o->jsonl || o->timestamps)
		de_time_ns(m->sec, m->nsec, tm, sizeof tm);
	if (o->jsonl) {
		char *text = xstrndup(m->data, m->len);
		json_t *j = json_object();
		json_object_set_new(j, "time", json_string(tm));
		json_object_set_new(j, "stream", de_json_str(m->stream));
		json_object_set_new(j, "log", de_json_str(text));
		json_object_set_new(j, "file", de_json_str(m->file));
		json_object_set_new(j, "offset", json_integer((json_int_t)m->offset));
		if (m->parts > 1)
			json_object_set_new(j, "parts", json_integer(m->parts));
		if (memchr(m->data, '\0', m->len))
			json_object_set_new(j, "nul_bytes", json_true());
		if (json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
		    fputc('\n', stdout) == EOF)
			o->write_error = true;
		json_decref(j);
		free(text);
	} else {
		if (o->timestamps && (fputs(tm, stdout) == EOF || fputc(' ', stdout) == EOF))
			o->write_error = true;
		if (fwrite(m->data, 1, m->len, stdout) != m->len)
			o->write_error = true;
	}
	o->shown++;
	return o->write_error ? -1 : 0;
}

static bool wanted(const logs_opts *o, const de_log_msg *m)
{
	de_time t = {.epoch = m->sec, .nsec = m->nsec};
	if (o->stream && strcmp(o->stream, m->stream))
		return false;
	if (o->has_since && de_time_cmp(&t, &o->since) < 0)
		return false;
	if (o->has_until && de_time_cmp(&t, &o->until) > 0)
		return false;
	return true;
}

static int on_msg(void *arg, const de_log_msg *m)
{
	logs_opts *o = arg;
	if (o->stream && !strcmp(o->stream, m->stream))
		o->stream_seen = true;
	if (!wanted(o, m))
		return 0;
	if (o->tail < 0)
		return print_msg(o, m);
	if (o->tail == 0)
		return 0;
	/* --tail: keep the last N messages in a ring */
	kept *k = &o->ring[o->ring_next];
	free(k->data);
	free(k->file);
	k->m = *m;
	k->data = xstrndup(m->data, m->len);
	k->file = xstrdup(m->file);
	snprintf(k->stream, sizeof k->stream, "%s", m->stream);
	k->m.data = k->data;
	k->m.file = k->file;
	k->m.stream = k->stream;
	o->ring_next = (o->ring_next + 1) % (size_t)o->tail;
	if (o->ring_n < (size_t)o->tail)
		o->ring_n++;
	return 0;
}

/* --since, --until: RFC 3339, or Unix seconds with up to 9 decimals
 * ("1764334670.5"), as docker logs takes them. */
/* Whether the answer needs output from before the first surviving record:
 * not when --since is after it, nor when --tail is already filled. */
static bool reaches(const logs_opts *o, const de_log_joiner *j)
{
	int64_t sec;
	int32_t nsec;
	const char *file;
	uint64_t off;
	if (o->tail >= 0 && o->ring_n == (size_t)o->tail)
		return false;
	if (o->has_since && de_log_first(j, &sec, &nsec, &file, &off)) {
		de_time t = {.epoch = sec, .nsec = nsec};
		return de_time_cmp(&o->since, &t) <= 0;
	}
	return true;
}

/* Reads every log file of c; returns an exit status. */
static int read_logs(de_docker *d, de_container *c, logs_opts *o)
{
	de_log_source src;
	de_err e;
	int rc = DE_EXIT_OK;
	if (de_log_source_open(d, c, &src, &e) < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (src.why && src.missing) {
		de_warn("%s", src.why);
	} else if (src.why) {
		de_note("%s", src.why);
	}
	de_log_joiner *j = de_log_joiner_new(on_msg, o);
	for (size_t i = 0; i < src.files.n && rc == DE_EXIT_OK; i++) {
		de_debug("reading %s", src.files.v[i]);
		if (de_log_read_file(src.root, src.files.v[i], src.fmt, j, &e) < 0) {
			if (o->write_error)
				rc = DE_EXIT_ERROR;
			else
				de_warn("%s", e.msg);
		}
	}
	if (rc == DE_EXIT_OK)
		de_log_joiner_finish(j);
	if (rc == DE_EXIT_OK)
		de_log_source_report(&src, j, reaches(o, j), o->stream, o->stream_seen);
	for (size_t i = 0; i < o->ring_n && !o->write_error; i++) {
		size_t at = (o->ring_next + (size_t)o->tail - o->ring_n + i) % (size_t)o->tail;
		print_msg(o, &o->ring[at].m);
	}
	/* JSONL: when something could not be read, the stream ends with one
	 * {"errors": [...]} line (it has no "log" key), so a reader of the file
	 * alone learns that it is not complete. */
	if (o->jsonl && de_omission_count() && !o->write_error) {
		json_t *doc = json_object();
		json_object_set_new(doc, "errors", de_json_errors());
		if (json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
		    fputc('\n', stdout) == EOF)
			o->write_error = true;
		json_decref(doc);
	}
	if (o->write_error || fflush(stdout) == EOF) {
		de_error("cannot write the output");
		rc = DE_EXIT_ERROR;
	}
	de_log_joiner_free(j);
	de_log_source_close(&src);
	return rc;
}

int cmd_logs(const de_args *a, const de_opts *g)
{
	logs_opts o = {.tail = -1, .jsonl = de_is(a, DE_K_FORMAT, "jsonl"),
	               .timestamps = de_flag(a, DE_K_TIMESTAMPS), .stream = de_str(a, DE_K_STREAM),
	               .has_since = de_flag(a, DE_K_SINCE), .since = a->v[DE_K_SINCE].time,
	               .has_until = de_flag(a, DE_K_UNTIL), .until = a->v[DE_K_UNTIL].time};
	if (de_flag(a, DE_K_TAIL))
		o.tail = (long)a->v[DE_K_TAIL].num;
	const char *out = de_str(a, DE_K_OUTPUT);
	bool previous = de_flag(a, DE_K_PREVIOUS);
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	if (o.tail > 0)
		o.ring = xcalloc((size_t)o.tail, sizeof *o.ring);
	de_docker d;
	de_container *c = de_open_container(g, &d, a->pos[0]);
	if (c && previous) {   /* the attempt before it, as kubectl logs -p */
		de_docker pd;
		de_container *p = de_open_previous(g, &pd, c);
		de_container_free(c);
		de_docker_close(&d);
		c = p;
		d = pd;
	}
	int rc = DE_EXIT_ERROR;
	if (c) {
		static char buf[1 << 20];
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		rc = read_logs(&d, c, &o);
		fflush(stdout);
		setvbuf(stdout, NULL, _IOFBF, 0);
		de_container_free(c);
		de_docker_close(&d);
	}
	for (long i = 0; o.ring && i < o.tail; i++) {
		free(o.ring[i].data);
		free(o.ring[i].file);
	}
	free(o.ring);
	return rc;
}
