/*
 * inspect.c — `de inspect CONTAINER [-o FILE]`: the container as
 * `docker inspect` would show it (a one-element JSON array, as Docker
 * prints), rebuilt from its files, with "de": the resolved layer stack.
 */
#include "builtin.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "../runtime/storage.h"

int cmd_inspect(const de_args *a, const de_opts *g)
{
	const char *out = de_str(a, DE_K_OUTPUT);
	if (out && de_redirect_stdout(out) < 0)
		return DE_EXIT_ERROR;
	de_target t;
	if (de_target_open(&t, g, a->pos[0], false, false) < 0)
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
