/*
 * export.c — `de export CONTAINER OUT [PATH] [--no-volumes]`: the container's
 * view (or the subtree at PATH) as OUT.tar / .tar.gz / .tar.zst, or copied
 * into OUT, an existing empty directory. Exits 3 when anything was left out.
 */
#include "builtin.h"

#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "../output/archive_out.h"
#include "../runtime/view.h"

static const char usage[] = "usage: de export CONTAINER OUT [PATH] [--no-volumes]";

int cmd_export(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"no-volumes", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool volumes = true;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'N') {
			volumes = false;
		} else if (opt == 'h') {
			puts(usage);
			return DE_EXIT_OK;
		} else {
			fprintf(stderr, "%s\n", usage);
			return DE_EXIT_USAGE;
		}
	}
	if (optind + 2 != argc && optind + 3 != argc) {
		fprintf(stderr, "%s\n", usage);
		return DE_EXIT_USAGE;
	}
	const char *out = argv[optind + 1];
	const char *path = optind + 3 == argc ? argv[optind + 2] : "/";
	de_out_kind kind;
	de_err e;
	if (de_out_kind_of(out, &kind, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	de_target t;
	if (de_target_open(&t, g, argv[optind], true, volumes) < 0)
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
