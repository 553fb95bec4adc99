/*
 * cat.c — `de cat CONTAINER PATH`: the bytes of a file of the container's
 * view, to stdout. Symlinks resolve as in the container.
 */
#include "builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "../runtime/view.h"
#include "../util/evh.h"

/* Copies fd (an evh descriptor, from un_open) to stdout; 0, or -1 with e naming what failed. */
static int copy_out(int fd, const char *path, de_err *e)
{
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = evh_read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return de_fail_errno(e, errno, "%s: read", path);
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return de_fail_errno(e, errno, "cannot write the output");
			off += w;
		}
	}
}

int cmd_cat(const de_args *a, const de_opts *g)
{
	bool volumes = !de_flag(a, DE_K_NO_VOLUMES);
	const char *path = a->pos[1];
	de_target t;
	if (de_target_open(&t, g, a->pos[0], true, volumes) < 0)
		return DE_EXIT_ERROR;
	de_err e;
	int rc = DE_EXIT_ERROR;
	int fd = un_open(t.v.fs, path, &e);
	if (fd >= 0) {
		rc = copy_out(fd, path, &e) == 0 ? DE_EXIT_OK : DE_EXIT_ERROR;
		evh_close(fd);
	}
	if (rc != DE_EXIT_OK)
		de_error("%s", e.msg);
	de_target_close(&t);
	return rc;
}
