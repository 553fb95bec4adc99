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
#include "../runtime/discover.h"

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

int de_docker_roots(const de_opts *o, strvec *roots)
{
	if (o->docker_dir_given || !o->host_root) {
		sv_push(roots, o->docker_dir);
		return 0;
	}
	de_found_list fl;
	de_err e;
	if (de_discover(o->host_root, &fl, &e) < 0) {
		de_error("%s", e.msg);
		return -1;
	}
	for (size_t i = 0; i < fl.n; i++)
		if (!strcmp(fl.v[i].runtime, "docker"))
			sv_push(roots, fl.v[i].path);
	de_found_list_free(&fl);
	if (!roots->n) {
		de_error("%s: no Docker data root found on this host (see `de --root %s list runtimes`)",
		         o->host_root, o->host_root);
		return -1;
	}
	return 0;
}

/* The container in the first data root that has it. */
de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref)
{
	de_err e;
	strvec roots = {0};
	de_container *c = NULL;
	bool searched = false;
	if (de_docker_roots(o, &roots) < 0)
		return NULL;
	for (size_t i = 0; i < roots.n && !c; i++) {
		de_opts one = *o;
		one.docker_dir = roots.v[i];
		one.docker_dir_given = true;
		if (de_open_docker(&one, d) < 0)
			continue;   /* said why */
		c = de_docker_find(d, ref, &e);
		searched = true;
		if (!c)
			de_docker_close(d);
	}
	if (!c && searched)
		de_error("%s", e.msg);
	sv_free(&roots);
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
