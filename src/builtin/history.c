/*
 * history.c — `de history CONTAINER [--show-empty]`.
 *
 * A JSON object keyed by the image ID and its parents, topmost first. Each
 * value is de.py's {created_at, container_cmd, comment, size}; in layout v2
 * it also holds "layers": the steps of the image config's history[] that
 * the image added over its parent, newest first. Each step is then given
 * once, on the image that made it, and the layers of the chain, top image
 * first, are `docker history` of the top image, row for row, each row on
 * the image `docker history` names in its IMAGE column.
 */
#include "builtin.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/json_out.h"

static const char usage[] = "usage: de history CONTAINER [--show-empty] [-o FILE]";

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool same_step(const de_history_step *a, const de_history_step *b)
{
	return same_str(a->created, b->created) && same_str(a->created_by, b->created_by) &&
	       same_str(a->comment, b->comment) && a->empty_layer == b->empty_layer &&
	       same_str(a->diff_id, b->diff_id);
}

/* How many of h's steps (newest first) it added over parent. The legacy
 * builder and `docker commit` copy the parent's history[] and append one
 * entry, so the parent's steps are h's oldest ones. When they are not (a
 * squashed or altered image), all of h's steps are its own, and a note says
 * why they repeat the parent's. */
static size_t own_steps(const de_history_entry *h, const de_history_entry *parent)
{
	if (!parent)
		return h->nsteps;
	bool prefix = parent->nsteps <= h->nsteps;
	size_t skip = prefix ? h->nsteps - parent->nsteps : 0;
	for (size_t i = 0; prefix && i < parent->nsteps; i++)
		prefix = same_step(&h->steps[skip + i], &parent->steps[i]);
	if (prefix)
		return skip;
	de_note("image %s: its history does not continue its parent %s's: all its %zu steps "
	        "are listed", h->id, parent->id, h->nsteps);
	return h->nsteps;
}

static json_t *steps_json(const de_history_entry *h, size_t n, bool show_empty, const char *what)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const de_history_step *s = &h->steps[i];
		if (s->empty_layer && !show_empty)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "created_at", de_json_time(s->created, what));
		json_object_set_new(o, "created_by", de_json_str(s->created_by));
		if (s->comment && *s->comment)
			json_object_set_new(o, "comment", de_json_str(s->comment));
		json_object_set_new(o, "empty_layer", json_boolean(s->empty_layer));
		if (s->diff_id)
			json_object_set_new(o, "diff_id", de_json_str(s->diff_id));
		json_object_set_new(o, "size", s->size >= 0 ? json_integer(s->size) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *history_json(const de_container *c, const de_history *h, bool show_empty)
{
	json_t *o = json_object();
	for (size_t i = 0; i < h->n; i++) {
		const de_history_entry *e = &h->v[i];
		json_t *v = json_object();
		/* v1, as de.py: an empty layer is just its size unless asked. */
		bool brief = c->layout == DE_LAYOUT_V1 && e->size <= 0 && !show_empty;
		if (!brief) {
			json_object_set_new(v, "created_at", de_json_time(e->created, e->id));
			if (e->container_cmd && *e->container_cmd)
				json_object_set_new(v, "container_cmd", de_json_str(e->container_cmd));
			if (e->comment && *e->comment)
				json_object_set_new(v, "comment", de_json_str(e->comment));
		}
		json_object_set_new(v, "size", e->size >= 0 ? json_integer(e->size) : json_null());
		if (c->layout == DE_LAYOUT_V2) {
			size_t n = own_steps(e, i + 1 < h->n ? &h->v[i + 1] : NULL);
			json_object_set_new(v, "layers", steps_json(e, n, show_empty, e->id));
		}
		json_object_set_new(o, e->id, v);
	}
	return o;
}

int cmd_history(int argc, char **argv, const de_opts *o)
{
	static const struct option longopts[] = {
		{"show-empty", no_argument, NULL, 'e'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool show_empty = false;
	const char *out = NULL;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (opt == 'e') {
			show_empty = true;
		} else if (opt == 'o') {
			out = optarg;
		} else if (opt == 'h') {
			puts(usage);
			return DE_EXIT_OK;
		} else {
			fprintf(stderr, "%s\n", usage);
			return DE_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "%s\n", usage);
		return DE_EXIT_USAGE;
	}
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_docker d;
	de_container *c = de_open_container(o, &d, argv[optind]);
	if (!c)
		return DE_EXIT_ERROR;
	de_history h = {0};
	de_err e;
	int rc = DE_EXIT_OK;
	if (de_docker_history(&d, c, &h, &e) < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else {
		json_t *j = history_json(c, &h, show_empty);
		rc = de_emit_json(j);
		json_decref(j);
	}
	de_history_free(&h);
	de_container_free(c);
	de_docker_close(&d);
	return rc;
}
