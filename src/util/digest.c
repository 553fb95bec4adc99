#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strvec.h"

void de_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

char *de_chain_id(const char *parent_chain, const char *diff_id)
{
	if (!parent_chain)
		return xstrdup(diff_id);
	char *text = xasprintf("%s %s", parent_chain, diff_id);
	char hex[65];
	de_sha256_hex(text, strlen(text), hex);
	free(text);
	return xasprintf("sha256:%s", hex);
}
