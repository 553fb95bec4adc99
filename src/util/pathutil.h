/*
 * pathutil.h — names and paths taken from the evidence.
 *
 * IDs, layer names and short links read from the evidence become path
 * components. They are hostile: de_safe_name() admits only a single, plain
 * component, so "..", "a/b", "" or a name with control bytes can never
 * steer a path somewhere else.
 */
#ifndef DE_PATHUTIL_H
#define DE_PATHUTIL_H

#include <stdbool.h>

#include "strvec.h"

/* A single path component: 1..255 bytes, not "." or "..", no '/', no byte
 * below 0x20 and no 0x7f. */
bool de_safe_name(const char *s);
/* a + "/" + b, without doubling slashes; an empty a gives b. */
char *de_path_join(const char *a, const char *b);
/* "/a//b/" -> "/a/b", "a" -> "/a", "" -> "/": repeated and trailing
 * slashes dropped ("." and ".." are kept: they are the caller's to judge). */
char *de_path_clean(const char *path);
/* p (absolute, a host path written in the evidence) under host root h:
 * "/srv/data" under "/mnt/root" is "/mnt/root/srv/data"; h "/" or "" leaves
 * p as it is. */
char *de_host_path(const char *h, const char *p);
/* True when path ends with the component sequence suffix ("/var/lib/docker"),
 * ignoring trailing slashes; *prefix_len receives the length before it. */
bool de_path_strip_suffix(const char *path, const char *suffix, size_t *prefix_len);
/* Appends s to b quoted for a POSIX shell only when it needs quoting. */
void de_shell_quote(dbuf *b, const char *s);
/* True for lowercase hex strings of exactly n characters. */
bool de_is_hex(const char *s, unsigned n);

#endif
