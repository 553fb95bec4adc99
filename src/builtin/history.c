/*
 * history.c — `de history CONTAINER|IMAGE [--format json|dockerfile]
 * [--type container|image] [--show-empty] [-o FILE]`.
 *
 * CONTAINER|IMAGE as imglookup.h resolves it: a container's image, or an
 * image of any store of the run.
 *
 * json: an object keyed by the image ID and its parents, topmost first.
 * Each value is de.py's {created_at, container_cmd, comment, size}; in
 * layout v2 it also holds "layers": the steps of the image config's
 * history[] that the image added over its parent, newest first. Each step
 * is then given once, on the image that made it, and the layers of the
 * chain, top image first, are `docker history` of the top image, row for
 * row, each row on the image `docker history` names in its IMAGE column.
 *
 * dockerfile: the pseudo-Dockerfile of the top image (output/dockerfile.h),
 * with what the store adds: the image the build started from (Docker's
 * parent chain: its nearest tagged image; Buildah's "FROM <name>" comment
 * on the build's first step, looked up in the store), and in layout v1,
 * which keeps no config history, the graph layers' container_config.Cmd.
 */
#include "builtin.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output/dockerfile.h"
#include "../output/json_out.h"
#include "../output/text.h"
#include "../util/pathutil.h"
#include "../runtime/image_refs.h"
#include "commands.h"
#include "imglookup.h"


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

static json_t *history_json(de_layout layout, const de_history *h, bool show_empty)
{
	json_t *o = json_object();
	for (size_t i = 0; i < h->n; i++) {
		const de_history_entry *e = &h->v[i];
		json_t *v = json_object();
		/* v1, as de.py: an empty layer is just its size unless asked. */
		bool brief = layout == DE_LAYOUT_V1 && e->size <= 0 && !show_empty;
		if (!brief) {
			json_object_set_new(v, "created_at", de_json_time(e->created, e->id));
			if (e->container_cmd && *e->container_cmd)
				json_object_set_new(v, "container_cmd", de_json_str(e->container_cmd));
			if (e->comment && *e->comment)
				json_object_set_new(v, "comment", de_json_str(e->comment));
		}
		json_object_set_new(v, "size", e->size >= 0 ? json_integer(e->size) : json_null());
		if (layout == DE_LAYOUT_V2) {
			size_t n = own_steps(e, i + 1 < h->n ? &h->v[i + 1] : NULL);
			json_object_set_new(v, "layers", steps_json(e, n, show_empty, e->id));
		}
		json_object_set_new(o, e->id, v);
	}
	return o;
}

/* ---- --format dockerfile ---------------------------------------------------- */

static const de_image *image_by_id(const de_image_list *refs, const char *id)
{
	for (size_t i = 0; id && i < refs->n; i++)
		if (!strcmp(refs->v[i].id, id))
			return &refs->v[i];
	return NULL;
}

static bool tagged(const de_image *im)
{
	return im && (im->tags.n || im->digests.n);
}

/* "sha256:… (trial/web:1, …)": the ID, and the names the store gives it. */
static void image_label(dbuf *b, const de_image_list *refs, const char *id)
{
	const de_image *im = image_by_id(refs, id);
	db_adds(b, id);
	for (size_t k = 0; im && k < im->tags.n + im->digests.n; k++)
		db_addf(b, "%s%s", k ? ", " : " (",
		        k < im->tags.n ? im->tags.v[k] : im->digests.v[k - im->tags.n]);
	if (tagged(im))
		db_adds(b, ")");
}

/* "trial/base:1 (sha256:…)": its names, then the ID. */
static void from_label(dbuf *b, const de_image_list *refs, const char *id)
{
	const de_image *im = image_by_id(refs, id);
	for (size_t k = 0; im && k < im->tags.n + im->digests.n; k++)
		db_addf(b, "%s%s", k ? ", " : "",
		        k < im->tags.n ? im->tags.v[k] : im->digests.v[k - im->tags.n]);
	db_addf(b, " (%s)", id);
}

/* Whether base's steps are the oldest of top's (newest first both): the
 * legacy builder and docker commit copy the parent's history[]. */
static bool continues(const de_history_entry *top, const de_history_entry *base)
{
	if (base->nsteps > top->nsteps)
		return false;
	size_t skip = top->nsteps - base->nsteps;
	for (size_t i = 0; i < base->nsteps; i++)
		if (!same_step(&top->steps[skip + i], &base->steps[i]))
			return false;
	return true;
}

/* Buildah's comment on the first step of a build, "FROM <name>" (later
 * steps carry "FROM <12 hex>", the intermediate image they were committed
 * over): which step, oldest first, and the name; false when none. */
static bool buildah_from(const de_history_entry *h, size_t *oldest, const char **name)
{
	for (size_t k = h->nsteps; k-- > 0;) {
		const char *c = h->steps[k].comment;
		if (!c || strncmp(c, "FROM ", 5) || !strcmp(c + 5, "scratch"))
			continue;
		bool hex12 = strlen(c + 5) == 12;
		for (const char *p = c + 5; hex12 && *p; p++)
			hex12 = isxdigit((unsigned char)*p);
		if (hex12)
			continue;
		*oldest = h->nsteps - 1 - k;
		*name = c + 5;
		return true;
	}
	return false;
}

/* Layout v1 has no history[]: each graph layer of the chain is a step, its
 * container_config.Cmd what docker history showed as CREATED BY. */
static void v1_steps(const de_history *h, de_history_entry *out)
{
	memset(out, 0, sizeof *out);
	out->id = h->n ? h->v[0].id : NULL;
	out->steps = xcalloc(h->n + 1, sizeof *out->steps);
	out->nsteps = h->n;
	for (size_t i = 0; i < h->n; i++)
		out->steps[i] = (de_history_step){.created = h->v[i].created,
		                                  .created_by = h->v[i].container_cmd,
		                                  .comment = h->v[i].comment,
		                                  .empty_layer = h->v[i].size == 0,
		                                  .size = h->v[i].size};
}

static int dockerfile_out(const de_hist_target *t, const de_history *h, de_layout layout)
{
	de_history_entry v1 = {0};
	const de_history_entry *top = &h->v[0];
	de_dockerfile_ctx ctx = {0};
	dbuf what = {0}, from = {0}, note = {0};
	if (layout == DE_LAYOUT_V1) {
		v1_steps(h, &v1);
		top = &v1;
		ctx.note = "layout v1 (Docker < 1.10) keeps no image config history: each step is a "
		           "layer of the graph/ parent chain, its container_config.Cmd";
	}
	db_adds(&what, "image ");
	image_label(&what, &t->refs, h->v[0].id);
	if (t->c)
		db_addf(&what, " of container %s", t->c->name ? t->c->name : t->c->id);
	/* Docker's parent chain: the nearest tagged image below the top */
	size_t base = 0;
	for (size_t i = 1; !base && i < h->n; i++)
		if (tagged(image_by_id(&t->refs, h->v[i].id)))
			base = i;
	const char *bname;
	size_t oldest;
	if (base) {
		from_label(&from, &t->refs, h->v[base].id);
		ctx.from = from.p;
		if (layout == DE_LAYOUT_V1) {
			ctx.from_steps = h->n - base;
		} else if (continues(top, &h->v[base])) {
			ctx.from_steps = h->v[base].nsteps;
		} else {
			/* a squashed or altered image: where its steps end is not known */
			db_adds(&note, "its parent chain holds ");
			db_adds(&note, from.p);
			db_adds(&note, ", but this image's history does not continue that image's");
			ctx.note = note.p;
			ctx.from = NULL;
		}
	} else if (buildah_from(top, &oldest, &bname)) {
		const de_image *im = de_image_named((de_image_list *)&t->refs,
		                                    t->d.kind == DE_ROOT_STORAGE, bname);
		db_adds(&from, bname);
		db_addf(&from, im ? " (%s, in this store)" : " (not in this store)", im ? im->id : "");
		ctx.from = from.p;
		ctx.from_steps = oldest;
		ctx.from_buildah = true;
	}
	dbuf out = {0};
	de_dockerfile_from(&out, top, what.p, &ctx);
	int rc = DE_EXIT_OK;
	if (out.len && (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0)) {
		de_error("stdout: %s", strerror(errno));
		rc = DE_EXIT_ERROR;
	}
	db_free(&out);
	db_free(&what);
	db_free(&from);
	db_free(&note);
	free(v1.steps);
	return rc;
}

/* "<id> (/committer)": the container docker commit read, named when it is
 * still in the data root (its record is read only for its name). */
static void name_committer(de_hist_target *t, de_history_entry *top)
{
	if (!top->committed_from || t->d.kind != DE_ROOT_DOCKER || !de_safe_name(top->committed_from))
		return;
	char *rel = xasprintf("containers/%s", top->committed_from);
	bool there = ev_is_dir(&t->d.root, rel);
	free(rel);
	de_err e;
	de_container *c = there ? de_docker_load(&t->d, top->committed_from, &e) : NULL;
	if (c && c->name) {
		char *named = xasprintf("%s (%s)", top->committed_from, c->name);
		free(top->committed_from);
		top->committed_from = named;
	}
	if (c)
		de_container_free(c);
}

int cmd_history(const de_args *a, const de_opts *o)
{
	bool show_empty = de_flag(a, DE_K_SHOW_EMPTY), dockerfile = de_is(a, DE_K_FORMAT, "dockerfile");
	unsigned kinds = !de_flag(a, DE_K_TYPE) ? DE_KIND_CONTAINER | DE_KIND_IMAGE
	               : de_is(a, DE_K_TYPE, "container") ? DE_KIND_CONTAINER : DE_KIND_IMAGE;
	const char *out = de_str(a, DE_K_OUTPUT), *ref = a->pos[0];
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_hist_target t;
	if (de_hist_target_open(&t, o, ref, kinds) < 0)
		return DE_EXIT_ERROR;
	de_history h = {0};
	de_err e;
	int rc = DE_EXIT_OK;
	de_layout layout = t.c ? t.c->layout
	                 : !strcmp(t.im->driver, "graph") ? DE_LAYOUT_V1 : DE_LAYOUT_V2;
	int got = t.c && de_view_present(t.c, &e) < 0 ? -1
	        : t.c ? de_docker_history(&t.d, t.c, &h, &e) : de_image_history(&t.d, t.im, &h, &e);
	if (got < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (dockerfile && h.n) {
		name_committer(&t, &h.v[0]);
		rc = dockerfile_out(&t, &h, layout);
	} else if (dockerfile) {
		de_error("%s: no image history", ref);
		rc = DE_EXIT_ERROR;
	} else {
		json_t *j = history_json(layout, &h, show_empty);
		rc = de_emit_json(j);
		json_decref(j);
	}
	de_history_free(&h);
	de_hist_target_close(&t);
	return rc;
}
