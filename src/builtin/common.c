/*
 * common.c — what every command needs: opening the evidence, errors.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../output/json_out.h"

void de_error(const char *fmt, ...)
{
	va_list ap;
	/* Bare message, as de.py printed its errors: scripts match on them
	 * ("Could not find any container ID starting with …"). */
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int de_open_docker(const de_opts *o, de_docker *d)
{
	de_err e;
	if (de_docker_open(d, o->docker_dir, o->host_root, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	return 0;
}

de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref)
{
	de_err e;
	if (de_open_docker(o, d) < 0)
		return NULL;
	de_container *c = de_docker_find(d, ref, &e);
	if (!c) {
		de_error("%s", e.msg);
		de_docker_close(d);
	}
	return c;
}

int de_emit_json(json_t *j)
{
	if (de_json_print(stdout, j) < 0 || fflush(stdout) == EOF) {
		de_error("cannot write the output");
		return DE_EXIT_ERROR;
	}
	return DE_EXIT_OK;
}

int de_redirect_stdout(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		de_error("%s: %s%s", path, strerror(errno),
		         errno == EEXIST ? " (de does not overwrite a file)" : "");
		return -1;
	}
	fflush(stdout);
	int rc = dup2(fd, STDOUT_FILENO);
	close(fd);
	if (rc < 0) {
		de_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int de_target_open(de_target *t, const de_opts *o, const char *ref, bool view, bool mounts)
{
	de_err e;
	memset(t, 0, sizeof *t);
	t->c = de_open_container(o, &t->d, ref);
	if (!t->c)
		return -1;
	if (view) {
		if (de_view_open(&t->d, t->c, mounts, &t->v, &e) < 0) {
			de_error("%s", e.msg);
			de_target_close(t);
			return -1;
		}
		t->has_view = true;
	}
	return 0;
}

void de_target_close(de_target *t)
{
	if (t->has_view)
		de_view_close(&t->v);
	if (t->c) {
		de_container_free(t->c);
		de_docker_close(&t->d);
	}
	memset(t, 0, sizeof *t);
}
