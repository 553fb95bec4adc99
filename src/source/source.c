/*
 * source.c — see source.h.
 */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/evfs.h"
#include "../util/strvec.h"

static void open_fs(de_src_vol *sv, unsigned n)
{
	const vol *v = sv->v;
	if (v->why) {
		sv->why = xstrdup(v->why);
		return;
	}
	if (!v->src || !v->content || (strcmp(v->content, "ext") && strcmp(v->content, "xfs"))) {
		sv->why = xasprintf("%s: not an ext2/3/4 or XFS file system",
		                    v->content ? v->content : "unknown content");
		return;
	}
	de_err e;
	int rc = fs_open(v->src, &sv->fs, &e);
	if (rc < 0) {
		sv->why = xstrdup(e.msg);
		return;
	}
	sv->fs_type = fs_type(sv->fs);
	sv->dirty = fs_dirty(sv->fs);
	sv->s = src_fs_new(sv->fs, n);
	int h = src_fs_root(sv->s, sv->name);
	if (h < 0) {
		sv->why = xasprintf("its root directory cannot be read: %s", strerror(errno));
		src_fs_free(sv->s);
		fs_close(sv->fs);
		sv->s = NULL;
		sv->fs = NULL;
		sv->fs_type = NULL;
		return;
	}
	ev_attach(sv->root, h);
}

int de_source_open(de_source *s, const char *const *images, size_t n, de_err *e)
{
	memset(s, 0, sizeof *s);
	s->images = xcalloc(n, sizeof *s->images);
	s->disks = xcalloc(n, sizeof *s->disks);
	for (size_t i = 0; i < n; i++) {
		s->images[i] = xstrdup(images[i]);
		s->ndisks = i + 1;
		if (!(s->disks[i] = bsrc_open(images[i], e))) {
			de_source_close(s);
			return -1;
		}
	}
	s->image = s->images[0];
	s->disk = s->disks[0];
	if (vol_scan(s->disks, s->ndisks, &s->vols, e) < 0) {
		de_source_close(s);
		return -1;
	}
	s->v = xcalloc(s->vols.n ? s->vols.n : 1, sizeof *s->v);
	for (size_t i = 0; i < s->vols.n; i++) {
		const vol *v = &s->vols.v[i];
		if (!v->src)   /* an extended partition's container entry */
			continue;
		de_src_vol *sv = &s->v[s->n++];
		sv->v = v;
		sv->image = s->images[v->disk < s->ndisks ? v->disk : 0];
		sv->name = xasprintf("%s@%s", sv->image, v->name);
		sv->root = xasprintf("%s:", sv->name);
		open_fs(sv, (unsigned)s->n);
	}
	/* From now on evfs answers for these volumes only. */
	ev_evidence_only(true);
	return 0;
}

void de_source_close(de_source *s)
{
	ev_detach_all();
	for (size_t i = 0; i < s->n; i++) {
		de_src_vol *sv = &s->v[i];
		src_fs_free(sv->s);
		fs_close(sv->fs);
		free(sv->name);
		free(sv->root);
		free(sv->why);
	}
	free(s->v);
	vol_set_free(&s->vols);
	for (size_t i = s->ndisks; i-- > 0;)
		if (s->disks[i])
			bsrc_close(s->disks[i]);
	for (size_t i = 0; i < s->ndisks; i++)
		free(s->images[i]);
	free(s->disks);
	free(s->images);
	memset(s, 0, sizeof *s);
}

de_src_vol *de_source_find(de_source *s, const char *which)
{
	char *end;
	unsigned long n = strtoul(which, &end, 10);
	bool number = *which && !*end;
	de_src_vol *hit = NULL;
	for (size_t i = 0; i < s->n; i++) {
		const vol *v = s->v[i].v;
		if (!strcmp(s->v[i].name, which))
			return &s->v[i];   /* IMAGE@VOL: no doubt */
		if (number ? v->number == n && v->number : !strcmp(v->name, which)) {
			if (hit)
				return NULL;   /* p1 of two disks: name it IMAGE@p1 */
			hit = &s->v[i];
		}
	}
	return hit;
}

const char *de_source_vol_name(const de_source *s, const de_src_vol *sv)
{
	return s->ndisks > 1 ? sv->name : sv->v->name;
}
