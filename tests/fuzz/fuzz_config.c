/* Fuzz target: a container's config.v2.json / config.json, as the Docker
 * runtime reader parses it (runtime/docker_config.c). */
#include <stdint.h>
#include <stdlib.h>

#include "model/evidence.h"
#include "runtime/docker_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	de_err e;
	json_t *doc = ev_parse_json((const char *)data, size, "fuzz", &e);
	if (!doc)
		return 0;
	de_docker d = {.root = {.fd = -1, .path = "/nonexistent"}, .host_root = "/mnt/root"};
	de_container *c = calloc(1, sizeof *c);
	if (docker_parse_config(&d, doc, "fuzz", c, &e) == 0) {
		char buf[32];
		de_container_state(c, buf, sizeof buf);
	}
	de_container_free(c);
	json_decref(doc);
	de_omissions_reset();
	return 0;
}
