/*
 * text.h — text output for people and for line-based tools.
 *
 * Names in the evidence may hold any byte but '/' and NUL: a newline in a
 * file name must not split a line of output, and invalid UTF-8 must not
 * reach a terminal raw. de_escape() copies valid UTF-8 as it is, writes
 * '\' as "\\", newline as "\n", tab as "\t", and every other control byte
 * and every byte outside valid UTF-8 as "\xNN".
 */
#ifndef DE_TEXT_H
#define DE_TEXT_H

#include <stdint.h>
#include <sys/stat.h>

#include "../util/strvec.h"

void de_escape(dbuf *b, const char *s);
/* "drwxr-xr-x" as ls(1) writes it (with s/S, t/T). */
void de_mode_string(mode_t m, char out[11]);
/* "2026-11-28T16:10:55.123456789Z" (UTC, always nine digits). */
void de_time_ns(int64_t sec, long nsec, char *out, unsigned len);

#endif
