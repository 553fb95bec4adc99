/*
 * dynlib.h — a library loaded when a command first needs it, not linked.
 *
 * Some libraries do work of their own in every process that links them:
 * libcurl and libtsk pull in GnuTLS, whose constructor reads
 * /etc/gnutls/config — a file of the analyst's machine, read in every run
 * of de, even with --root naming the evidence. They are loaded with
 * dlopen() by the one command that uses them (download, disk images), and
 * their functions reached through a table of pointers.
 */
#ifndef DE_DYNLIB_H
#define DE_DYNLIB_H

#include <stddef.h>

/* One function of the library: its symbol, and where its pointer goes in
 * the caller's table (offsetof the member). */
typedef struct de_dynsym {
	size_t off;
	const char *name;
} de_dynsym;

/* dlopen()s lib (RTLD_NOW | RTLD_LOCAL) and stores each symbol's address in
 * table at its offset. 0; or -1 and why (a NUL-terminated reason, at most
 * whylen bytes) when the library or one of the symbols is missing. The
 * library stays loaded for the rest of the run. */
int de_dynlib_load(const char *lib, void *table, const de_dynsym *syms, size_t n, char *why,
                   size_t whylen);

#endif
