/*
 * utf8.h — the length of a valid UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), for the writers that must
 * tell valid text from bytes to escape.
 */
#ifndef DE_UTF8_H
#define DE_UTF8_H

#include <stddef.h>

/* Bytes of the valid sequence at p (at most left), or 0. */
size_t de_utf8_len(const unsigned char *p, size_t left);

#endif
