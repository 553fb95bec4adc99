/*
 * utf8.h — the length of a valid UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), for the writers that must
 * tell valid text from bytes to escape; and the escaping itself.
 *
 * Names in the evidence may hold any byte but '/' and NUL: a newline in a
 * file name must not split a line of output or of a message, and invalid
 * UTF-8 must not reach a terminal raw. de_escape() copies valid UTF-8 as it
 * is, writes '\' as "\\", newline as "\n", tab as "\t", and every other
 * control byte and every byte outside valid UTF-8 as "\xNN".
 */
#ifndef DE_UTF8_H
#define DE_UTF8_H

#include <stddef.h>

#include "strvec.h"

/* Bytes of the valid sequence at p (at most left), or 0. */
size_t de_utf8_len(const unsigned char *p, size_t left);
/* s, escaped as above, appended to b. */
void de_escape(dbuf *b, const char *s);

#endif
