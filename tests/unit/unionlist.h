/*
 * unionlist.h — what the union engine's unit tests share (test_union.c on
 * directory trees, test_union_evh.c on virtual descriptors).
 */
#ifndef DE_TEST_UNIONLIST_H
#define DE_TEST_UNIONLIST_H

#include <stdlib.h>

#include "union/union.h"
#include "util/strvec.h"

/* "name@layer name@layer …" of a directory of a view, for compact
 * assertions (the union engine's tests, on trees and on virtual
 * descriptors alike). */
static inline char *listing(un_fs *fs, const char *path)
{
	un_dir d;
	de_err e;
	if (un_readdir(fs, path, &d, &e) < 0)
		return xasprintf("error: %s", e.msg);
	dbuf b = {0};
	for (size_t i = 0; i < d.n; i++)
		db_addf(&b, "%s%s@%s", i ? " " : "", d.v[i].name, un_layer_label(fs, d.v[i].layer));
	un_dir_free(&d);
	return db_take(&b);
}

static inline void expect_listing(un_fs *fs, const char *path, const char *want)
{
	char *got = listing(fs, path);
	assert_string_equal(got, want);
	free(got);
}

#endif
