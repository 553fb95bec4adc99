/*
 * resolve.c — paths of the view, resolved as the container would resolve
 * them: components looked up merge by merge, a symlink's target read from
 * the layer that supplied it and followed from the view's root when
 * absolute, ".." stopping at the root, at most UN_MAX_LINKS links.
 */
#include "union_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "rules.h"

/* ---- path resolution ------------------------------------------------------- */

void loc_free(loc *l)
{
	free(l->path);
	free(l->ename);
	merge_close(&l->parent);
	merge_close(&l->self);
}

/* Pushes the components of p onto the stack, so that they pop in order. */
static void push_components(strvec *stack, const char *p)
{
	strvec tmp = {0};
	char *copy = xstrdup(p), *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
		sv_push(&tmp, c);
	for (size_t i = tmp.n; i-- > 0;) {
		sv_push_own(stack, tmp.v[i]);
		tmp.v[i] = NULL;
	}
	free(tmp.v);
	free(copy);
}

static char *pop(strvec *stack)
{
	return stack->n ? stack->v[--stack->n] : NULL;
}

int resolve(un_fs *fs, const char *path, bool follow_last, bool want_self, loc *out,
                   de_err *e);

/* The merge of a canonical directory path. */
static int merge_of(un_fs *fs, const char *path, merge *out, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, true, &l, e) < 0)
		return -1;
	*out = l.self;
	memset(&l.self, 0, sizeof l.self);
	loc_free(&l);
	if (!out->n)
		return de_fail(e, "%s: not a directory", path);
	return 0;
}

static void set_root(un_fs *fs, merge *cur, loc *out)
{
	out->path = xstrdup("/");
	out->efd = cur->fd[0];
	out->ename = xstrdup(".");
	evh_fstat(cur->fd[0], &out->node.st);
	out->node.layer = cur->layer[0];
	out->node.metacopy = false;
	out->node.merged = cur->rules == UN_RULES_OVERLAY && cur->n >= 2;
	(void)fs;
}

int resolve(un_fs *fs, const char *path, bool follow_last, bool want_self, loc *out,
                   de_err *e)
{
	memset(out, 0, sizeof *out);
	strvec stack = {0};
	merge cur;
	dbuf cp = {0};          /* canonical path so far; empty = the root */
	int links = 0, rc = 0;
	if (strlen(path) > UN_MAX_PATH)
		return de_fail(e, "path longer than %d bytes", UN_MAX_PATH);
	if (merge_root(fs, &cur, e) < 0)
		return -1;
	push_components(&stack, path);
	char *c;
	while ((c = pop(&stack)) != NULL) {
		if (!strcmp(c, ".")) {
			free(c);
			continue;
		}
		if (!strcmp(c, "..")) {   /* never above the root */
			free(c);
			char *slash = cp.len ? strrchr(cp.p, '/') : NULL;
			if (!slash)
				continue;
			cp.len = (size_t)(slash - cp.p);
			cp.p[cp.len] = '\0';
			merge_close(&cur);
			if ((cp.len ? merge_of(fs, cp.p, &cur, e) : merge_root(fs, &cur, e)) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		char *child_path = xasprintf("%s/%s", cp.len ? cp.p : "", c);
		bool last = stack.n == 0;
		const struct un_mount *mt = mount_at(fs, child_path);
		un_node node;
		merge child = {0};
		if (mt) {
			/* a mount: its source, whatever the layers hold there */
			node.layer = mount_index(fs, mt);
			node.metacopy = false;
			node.merged = false;
			if (mount_stat(mt, &node.st) < 0) {
				rc = de_fail_errno(e, errno, "%s (mount %s)", child_path, mt->label);
				free(child_path);
				free(c);
				break;
			}
			if (S_ISDIR(node.st.st_mode) && merge_mount(fs, mt, &child, e) < 0) {
				free(child_path);
				free(c);
				rc = -1;
				break;
			}
		} else if (lookup(fs, &cur, child_path, c, &node, &child, e) < 0) {
			free(child_path);
			free(c);
			rc = -1;
			break;
		}
		if (S_ISLNK(node.st.st_mode) && (!last || follow_last)) {
			char target[4096];
			ssize_t n = evh_readlinkat(fd_of(&cur, node.layer), c, target, sizeof target - 1);
			merge_close(&child);
			free(c);
			if (n < 0 || ++links > UN_MAX_LINKS) {
				rc = de_fail(e, "%s: %s", child_path,
				             n < 0 ? strerror(errno) : "too many levels of symbolic links");
				free(child_path);
				break;
			}
			free(child_path);
			target[n] = '\0';
			push_components(&stack, target);
			if (target[0] == '/') {   /* absolute: from the view's root */
				cp.len = 0;
				if (cp.p)
					cp.p[0] = '\0';
				merge_close(&cur);
				if (merge_root(fs, &cur, e) < 0) {
					rc = -1;
					break;
				}
			}
			continue;
		}
		if (!last) {
			if (!S_ISDIR(node.st.st_mode)) {
				rc = de_fail(e, "%s: not a directory", child_path);
				merge_close(&child);
				free(child_path);
				free(c);
				break;
			}
			merge_close(&cur);
			cur = child;
			db_adds(&cp, "/");
			db_adds(&cp, c);
			free(child_path);
			free(c);
			continue;
		}
		out->path = child_path;
		out->node = node;
		if (mt) {   /* (its descriptor lives as long as fs) */
			out->efd = mt->fd;
			out->ename = xstrdup(mt->name);
			merge_close(&cur);
		} else {
			out->efd = fd_of(&cur, node.layer);
			out->ename = c;
			c = NULL;
			out->parent = cur;
		}
		if (want_self && S_ISDIR(node.st.st_mode))
			out->self = child;
		else
			merge_close(&child);
		free(c);
		goto done;
	}
	if (rc == 0) {   /* the path named the root itself */
		if (cp.len) {   /* ".." and links can end on a directory */
			char *p = db_take(&cp);
			merge_close(&cur);
			rc = resolve(fs, p, follow_last, want_self, out, e);
			free(p);
			goto done;
		}
		set_root(fs, &cur, out);
		out->self = cur;
		memset(&cur, 0, sizeof cur);
		if (!want_self) {
			out->parent = out->self;   /* keeps efd open */
			memset(&out->self, 0, sizeof out->self);
		}
	} else {
		merge_close(&cur);
	}
done:
	while ((c = pop(&stack)) != NULL)
		free(c);
	free(stack.v);
	db_free(&cp);
	return rc;
}

int un_stat(un_fs *fs, const char *path, bool follow, un_node *out, de_err *e)
{
	loc l;
	if (resolve(fs, path, follow, false, &l, e) < 0)
		return -1;
	*out = l.node;
	loc_free(&l);
	return 0;
}

char *un_realpath(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, true, false, &l, e) < 0)
		return NULL;
	char *p = l.path;
	l.path = NULL;
	loc_free(&l);
	return p;
}

char *readlink_at(int dirfd, const char *name, const char *path, de_err *e)
{
	char buf[4096];
	ssize_t n = evh_readlinkat(dirfd, name, buf, sizeof buf - 1);
	if (n < 0) {
		de_fail_errno(e, errno, "%s", path);
		return NULL;
	}
	buf[n] = '\0';
	return xstrdup(buf);
}

char *un_readlink(un_fs *fs, const char *path, de_err *e)
{
	loc l;
	if (resolve(fs, path, false, false, &l, e) < 0)
		return NULL;
	char *t = S_ISLNK(l.node.st.st_mode) ? readlink_at(l.efd, l.ename, l.path, e) : NULL;
	if (!S_ISLNK(l.node.st.st_mode))
		de_fail(e, "%s: not a symbolic link", l.path);
	loc_free(&l);
	return t;
}

