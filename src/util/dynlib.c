/*
 * dynlib.c — see dynlib.h.
 */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int de_dynlib_load(const char *lib, void *table, const de_dynsym *syms, size_t n, char *why,
                   size_t whylen)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, whylen, "%s", dlerror());
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f) {
			snprintf(why, whylen, "%s has no %s", lib, syms[i].name);
			return -1;
		}
		/* a data pointer to a function pointer: POSIX's dlsym contract */
		memcpy((char *)table + syms[i].off, &f, sizeof f);
	}
	return 0;
}
