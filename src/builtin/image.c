/*
 * image.c — `--image FILE [--partition VOL]`: the evidence is a disk
 * image. The image and its file systems are opened (src/source) and the
 * volume holding the container runtimes becomes the host root of the run,
 * named "IMAGE@VOL:" (so the paths printed read IMAGE@p2:/var/lib/docker).
 * Every command then runs unchanged: evfs answers for that name from the
 * image, and refuses every other path.
 */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/discover.h"
#include "../source/source.h"

static de_source src;
static bool src_open;

/* The runtimes discovery finds on sv (how list runtimes would see it). */
static size_t runtimes_on(const de_src_vol *sv, dbuf *names)
{
	de_found_list fl;
	de_err e;
	if (!sv->fs || de_discover(sv->root, &fl, &e) < 0)
		return 0;
	for (size_t i = 0; i < fl.n; i++)
		db_addf(names, "%s%s", i ? ", " : "", fl.v[i].runtime);
	size_t n = fl.n;
	de_found_list_free(&fl);
	return n;
}

static void say_volumes(const de_source *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const de_src_vol *sv = &s->v[i];
		fprintf(stderr, "  %s: offset %llu, %s%s%s\n", sv->v->name,
		        (unsigned long long)sv->v->offset, sv->fs_type ? sv->fs_type : "not read: ",
		        sv->fs_type ? "" : sv->why ? sv->why : "?", sv->dirty ? " (journal not replayed)" : "");
	}
}

static const de_src_vol *choose(de_source *s, const char *which)
{
	if (which) {
		de_src_vol *sv = de_source_find(s, which);
		if (!sv) {
			de_error("%s: no volume %s in it; its volumes:", s->image, which);
			say_volumes(s);
		} else if (!sv->fs) {
			de_error("%s@%s: cannot be read: %s", s->image, sv->v->name, sv->why);
			sv = NULL;
		}
		return sv;
	}
	const de_src_vol *hit = NULL, *only_fs = NULL;
	size_t nhit = 0, nfs = 0;
	dbuf all = {0};
	for (size_t i = 0; i < s->n; i++) {
		const de_src_vol *sv = &s->v[i];
		if (!sv->fs)
			continue;
		nfs++;
		only_fs = sv;
		dbuf names = {0};
		if (runtimes_on(sv, &names)) {
			nhit++;
			hit = sv;
			db_addf(&all, "%s%s (%.*s)", nhit > 1 ? ", " : "", sv->v->name, (int)names.len,
			        names.p);
		}
		db_free(&names);
	}
	if (nhit > 1) {
		de_error("%s: container runtimes on %zu volumes: %.*s; choose one with --partition",
		         s->image, nhit, (int)all.len, all.p);
		hit = NULL;
	} else if (!nhit && nfs == 1) {
		hit = only_fs;   /* the commands say what they do not find on it */
	} else if (!nhit) {
		de_error("%s: no container runtime's data found on %s; its volumes:", s->image,
		         nfs ? "any of its file systems" : "it (no readable file system)");
		say_volumes(s);
	}
	db_free(&all);
	return hit;
}

int de_image_attach(de_opts *o, const char *image, const char *which)
{
	de_err e;
	if (de_source_open(&src, image, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	src_open = true;
	for (size_t i = 0; i < src.n; i++)
		if (src.v[i].why && (!which || de_source_find(&src, which) == &src.v[i]))
			de_note("%s@%s: not read: %s", image, src.v[i].v->name, src.v[i].why);
	const de_src_vol *sv = choose(&src, which);
	if (!sv)
		return DE_EXIT_ERROR;
	if (sv->dirty)
		de_note("%s: its journal holds changes not replayed (read as `mount -o ro,noload` "
		        "would show it)", sv->name);
	o->host_root = sv->root;
	o->image = &src;
	o->image_vol = sv;
	return DE_EXIT_OK;
}

void de_image_detach(void)
{
	if (src_open)
		de_source_close(&src);
	src_open = false;
}
