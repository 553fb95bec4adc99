/*
 * inspect.c — `de inspect CONTAINER [-o FILE]`: the container as
 * `docker inspect` would show it (a one-element JSON array, as Docker
 * prints), rebuilt from its files, with "de": the resolved layer stack.
 */
#include "builtin.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../runtime/storage.h"

static const char usage[] = "usage: de inspect CONTAINER [-o FILE]";

int cmd_inspect(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char *out = NULL;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (opt == 'o') {
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
	de_target t;
	if (de_target_open(&t, g, argv[optind], false, false) < 0)
		return DE_EXIT_ERROR;
	json_t *arr = json_array();
	/* Podman's: as `podman inspect`; a containerd or CRI-O container: its
	 * own record, as `ctr containers info` */
	bool podman = t.c->native && t.c->runtime && !strcmp(t.c->runtime, "podman");
	json_array_append_new(arr, podman ? de_podman_inspect(&t.d, t.c)
	                           : t.c->native ? json_incref(t.c->native)
	                                         : de_docker_inspect(&t.d, t.c));
	int rc = de_emit_json(arr);
	json_decref(arr);
	de_target_close(&t);
	return rc;
}
