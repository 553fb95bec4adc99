/* Fuzz target: one json-file line, one k8s-file line (Podman, CRI-O) or
 * one local-driver LogEntry (logs/jsonfile.c, logs/local.c), the first
 * byte choosing which. */
#include <stdint.h>
#include <stdlib.h>

#include "logs/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	log_rec r = {0};
	const char *why;
	if (data[0] % 3 == 1)
		parse_jsonfile_line((const char *)data + 1, size - 1, &r, &why);
	else if (data[0] % 3 == 2)
		parse_k8s_line((const char *)data + 1, size - 1, &r, &why);
	else
		parse_local_entry(data + 1, size - 1, &r, &why);
	db_free(&r.data);
	return 0;
}
