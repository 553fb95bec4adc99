/* Fuzz target: what a registry (or the command line) hands registry/:
 * the first byte chooses the reader, the rest is its input — 0 a manifest
 * or index (and the platform choice in it), 1 a WWW-Authenticate value
 * (and the token URL from it), 2 an image reference (and its directory),
 * 3 an error body described with its status, 4 a token server's answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = xstrndup((const char *)data + 1, size - 1);
	size_t n = size - 1;
	de_err e;
	switch (data[0] % 5) {
	case 0: {
		reg_manifest m;
		if (reg_manifest_parse(s, n, "application/vnd.oci.image.index.v1+json", &m, &e) == 0) {
			size_t i;
			if (m.is_index)
				reg_pick_platform(&m, "linux/arm64", &i, &e);
			reg_manifest_free(&m);
		}
		break;
	}
	case 1: {
		reg_challenge c;
		if (reg_challenge_parse(s, &c, &e) == 0) {
			if (c.realm)
				free(reg_token_url(c.realm, c.service, c.scope));
			reg_challenge_free(&c);
		}
		break;
	}
	case 2: {
		reg_ref r;
		if (reg_ref_parse(s, &r, &e) == 0) {
			free(reg_ref_outdir(&r));
			free(reg_ref_string(&r));
			reg_host_is_loopback(r.domain);
			reg_ref_free(&r);
		}
		break;
	}
	case 3: {
		reg_resp r = {.status = 429, .retry_after = s};
		db_add(&r.body, s, n);
		dbuf out = {0};
		reg_describe_status(&r, &out);
		db_free(&out);
		db_free(&r.body);
		break;
	}
	default:
		free(reg_token_from_json(s, n, &e));
	}
	free(s);
	return 0;
}
