/*
 * export.c — `de export CONTAINER OUT [PATH] [--no-volumes]`: the container's
 * view (or the subtree at PATH) as OUT.tar / .tar.gz / .tar.zst, or copied
 * into OUT, an existing empty directory. Exits 3 when anything was left out.
 */
#include "builtin.h"

#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "../output/archive_out.h"
#include "../runtime/view.h"

int cmd_export(const de_args *a, const de_opts *g)
{
	bool volumes = !de_flag(a, DE_K_NO_VOLUMES);
	const char *out = a->pos[1], *path = a->npos > 2 ? a->pos[2] : "/";
	de_out_kind kind;
	de_err e;
	if (de_out_kind_of(out, &kind, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	de_target t;
	if (de_target_open(&t, g, a->pos[0], true, volumes) < 0)
		return DE_EXIT_ERROR;
	int rc = DE_EXIT_OK;
	de_owners *owners = de_owners_read(t.v.fs);
	de_export_stats st;
	if (de_export(t.v.fs, path, out, kind, owners, isatty(STDERR_FILENO), &st, &e) < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (st.omitted) {
		de_note("%llu entries written; %llu left out or cut short (see the warnings)",
		        (unsigned long long)st.entries, (unsigned long long)st.omitted);
	}
	de_owners_free(owners);
	de_target_close(&t);
	return rc;
}
