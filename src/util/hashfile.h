/*
 * hashfile.h — SHA-256 (and MD5, for bodyfiles) of a descriptor's content,
 * streamed through libcrypto in 1 MiB reads.
 */
#ifndef DE_HASHFILE_H
#define DE_HASHFILE_H

#include <stdbool.h>

#include "diag.h"

/* sha256: 65 bytes (hex); md5: 33 bytes or NULL. -1 on a read error. fd
 * is an evh descriptor (util/evh.h; a plain kernel fd is one too). */
int de_hash_fd(int fd, char *sha256, char *md5, de_err *e);

#endif
