/*
 * digest.h — SHA-256 through libcrypto, as hex.
 * Used to check that an image config's bytes match its ID and to compute
 * layer ChainIDs: ChainID(1) = DiffID(1); ChainID(n) =
 * sha256(ChainID(n-1) + " " + DiffID(n)), both "sha256:<hex>".
 */
#ifndef DE_DIGEST_H
#define DE_DIGEST_H

#include <stddef.h>

/* out: 65 bytes, lowercase hex. */
void de_sha256_hex(const void *data, size_t len, char out[65]);
/* "sha256:<hex>" of the chain one step up; caller frees. */
char *de_chain_id(const char *parent_chain, const char *diff_id);

#endif
