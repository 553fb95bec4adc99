/*
 * text.h — text output for people and for line-based tools.
 *
 * Names are escaped with de_escape() (util/utf8.h), times written with
 * de_time_ns() (util/timefmt.h): both are utilities, since the runtimes'
 * messages need them too.
 */
#ifndef DE_TEXT_H
#define DE_TEXT_H

#include <stdint.h>
#include <sys/stat.h>

#include "../util/strvec.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

/* "drwxr-xr-x" as ls(1) writes it (with s/S, t/T). */
void de_mode_string(mode_t m, char out[11]);

#endif
