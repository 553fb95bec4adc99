/*
 * rules.c — see rules.h. The facts, from the kernel's overlayfs
 * documentation and aufs' sources:
 *  - overlay whiteout: a character device with device number 0/0; since
 *    Linux 6.7 also a zero-size regular file with xattr overlay.whiteout,
 *    honoured only in a directory whose overlay.opaque is "x".
 *  - overlay opaque directory: overlay.opaque = "y". "x" is not opaque: it
 *    only says the directory holds xattr whiteouts.
 *  - overlay.redirect on a directory: its lower content is at that path
 *    (absolute from the layers' root, or a name in the same parent).
 *  - overlay.metacopy on a regular file: metadata copied up, data below.
 * xattrs of an entry are read by name in its directory (evh_getxattrat:
 * for a kernel descriptor /proc/self/fd/<dirfd>/<name> with the l*xattr
 * calls): no open of the entry (a fifo would block, a symlink would be
 * followed), no atime change.
 */
#include "rules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../util/evh.h"

ssize_t xattr_get_at(int dirfd, const char *name, const char *attr, void *buf, size_t len)
{
	return evh_getxattrat(dirfd, name, attr, buf, len);
}

ssize_t xattr_list_at(int dirfd, const char *name, char *buf, size_t len)
{
	return evh_listxattrat(dirfd, name, buf, len);
}

bool xattr_is_overlay(const char *attr)
{
	return !strncmp(attr, OVL_TRUSTED, strlen(OVL_TRUSTED)) ||
	       !strncmp(attr, OVL_USER, strlen(OVL_USER));
}

ssize_t ovl_fgetxattr(int fd, const char *suffix, char *buf, size_t len)
{
	char attr[64];
	snprintf(attr, sizeof attr, OVL_TRUSTED "%s", suffix);
	ssize_t n = evh_fgetxattr(fd, attr, buf, len);
	if (n >= 0)
		return n;
	snprintf(attr, sizeof attr, OVL_USER "%s", suffix);
	return evh_fgetxattr(fd, attr, buf, len);
}

ssize_t ovl_getxattr_at(int dirfd, const char *name, const char *suffix, char *buf, size_t len)
{
	char attr[64];
	snprintf(attr, sizeof attr, OVL_TRUSTED "%s", suffix);
	ssize_t n = xattr_get_at(dirfd, name, attr, buf, len);
	if (n >= 0)
		return n;
	snprintf(attr, sizeof attr, OVL_USER "%s", suffix);
	return xattr_get_at(dirfd, name, attr, buf, len);
}

static bool plain_name(const char *s, size_t n)
{
	return n && n < 256 && memchr(s, '/', n) == NULL && !(n == 1 && s[0] == '.') &&
	       !(n == 2 && s[0] == '.' && s[1] == '.');
}

bool ovl_redirect_valid(const char *r)
{
	if (r[0] != '/')
		return plain_name(r, strlen(r));
	do {
		r++;
		size_t n = strcspn(r, "/");
		if (!plain_name(r, n))
			return false;
		r += n;
	} while (*r);
	return true;
}

void rules_dir_marks(un_rules rules, int dirfd, dir_marks *m)
{
	char v[4096];
	struct stat st;
	memset(m, 0, sizeof *m);
	if (rules == UN_RULES_AUFS) {
		m->opaque = evh_fstatat(dirfd, AUFS_OPQ, &st, AT_SYMLINK_NOFOLLOW) == 0;
		return;
	}
	if (rules != UN_RULES_OVERLAY)
		return;
	ssize_t n = ovl_fgetxattr(dirfd, "opaque", v, sizeof v);
	if (n == 1 && v[0] == 'y')
		m->opaque = true;
	else if (n == 1 && v[0] == 'x')
		m->xwhiteouts = true;
	n = ovl_fgetxattr(dirfd, "redirect", v, sizeof v - 1);
	if (n > 0 && memchr(v, '\0', (size_t)n) == NULL) {
		v[n] = '\0';
		if (ovl_redirect_valid(v))
			m->redirect = strdup(v);
		else
			m->bad_redirect = true;
	} else if (n > 0) {
		m->bad_redirect = true;
	}
}

void rules_root_marks(un_rules rules, int dirfd, dir_marks *m)
{
	rules_dir_marks(rules, dirfd, m);
	m->opaque = false;
	free(m->redirect);
	m->redirect = NULL;
}

bool rules_is_whiteout(un_rules rules, int dirfd, const char *name, const struct stat *st,
                       bool xwhiteouts)
{
	if (rules != UN_RULES_OVERLAY)
		return false;
	if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0))
		return true;
	if (xwhiteouts && S_ISREG(st->st_mode) && st->st_size == 0) {
		char v[8];
		return ovl_getxattr_at(dirfd, name, "whiteout", v, sizeof v) >= 0;
	}
	return false;
}

bool aufs_has_whiteout(int dirfd, const char *name)
{
	char wh[300];
	struct stat st;
	int n = snprintf(wh, sizeof wh, AUFS_WH "%s", name);
	if (n < 0 || (size_t)n >= sizeof wh)
		return false;   /* longer than any name: cannot exist */
	return evh_fstatat(dirfd, wh, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

bool ovl_is_metacopy(int dirfd, const char *name, const struct stat *st)
{
	if (!S_ISREG(st->st_mode) || st->st_blocks != 0 || st->st_size == 0)
		return false;
	char v[64];
	return ovl_getxattr_at(dirfd, name, "metacopy", v, sizeof v) >= 0;
}
