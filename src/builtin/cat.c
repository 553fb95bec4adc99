/*
 * cat.c — `de cat CONTAINER PATH`: the bytes of a file of the container's
 * view, to stdout. Symlinks resolve as in the container.
 */
#include "builtin.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../runtime/view.h"

static const char usage[] = "usage: de cat CONTAINER PATH [--no-volumes]";

/* Copies fd to stdout; 0, or -1 with e naming what failed. */
static int copy_out(int fd, const char *path, de_err *e)
{
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
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

int cmd_cat(int argc, char **argv, const de_opts *g)
{
	static const struct option longopts[] = {
		{"no-volumes", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool volumes = true;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'N') {
			volumes = false;
		} else if (opt == 'h') {
			puts(usage);
			return DE_EXIT_OK;
		} else {
			fprintf(stderr, "%s\n", usage);
			return DE_EXIT_USAGE;
		}
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "%s\n", usage);
		return DE_EXIT_USAGE;
	}
	de_target t;
	if (de_target_open(&t, g, argv[optind], true, volumes) < 0)
		return DE_EXIT_ERROR;
	de_err e;
	int rc = DE_EXIT_ERROR;
	int fd = un_open(t.v.fs, argv[optind + 1], &e);
	if (fd >= 0) {
		rc = copy_out(fd, argv[optind + 1], &e) == 0 ? DE_EXIT_OK : DE_EXIT_ERROR;
		close(fd);
	}
	if (rc != DE_EXIT_OK)
		de_error("%s", e.msg);
	de_target_close(&t);
	return rc;
}
