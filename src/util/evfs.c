/*
 * evfs.c — see evfs.h.
 */
#include "evfs.h"
#include "evh.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int have_openat2 = 1;

void ev_use_walk_fallback(bool on)
{
	have_openat2 = !on;
}

static long sys_openat2(int dirfd, const char *path, struct open_how *how)
{
#ifdef SYS_openat2
	return syscall(SYS_openat2, dirfd, path, how, sizeof *how);
#else
	(void)dirfd; (void)path; (void)how;
	errno = ENOSYS;
	return -1;
#endif
}

/* Component-by-component walk for kernels without openat2 (and for
 * valgrind, which does not know it): refuses "..", and refuses every
 * symlink (O_NOFOLLOW), which is stricter than needed but never unsafe. */
static int walk_open(int dirfd, const char *rel, int flags)
{
	char *copy = strdup(rel), *save = NULL;
	int fd = evh_dup(dirfd), err = 0;
	if (!copy || fd < 0) {
		free(copy);
		if (fd >= 0)
			evh_close(fd);
		errno = ENOMEM;
		return -1;
	}
	const char *name = ".";   /* the root itself when rel names nothing else */
	for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, "..") == 0) {
			err = EXDEV;
			break;
		}
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(name, ".") != 0) {
			/* step into the previous component, a directory */
			int nfd = evh_openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0) {
				err = errno;
				break;
			}
			evh_close(fd);
			fd = nfd;
		}
		name = tok;
	}
	int res = -1;
	if (!err) {
		res = evh_openat(fd, name, flags | (strcmp(name, ".") ? O_NOFOLLOW : 0));
		err = res < 0 ? errno : 0;
	}
	free(copy);
	evh_close(fd);
	errno = err;
	return res;
}

/* The same for a host root without openat2: symlinks are followed by hand,
 * an absolute target from the root, ".." never above it, at most 40 links
 * (what RESOLVE_IN_ROOT does in the kernel). */
static int walk_open_in_root(int rootfd, const char *rel, int flags)
{
	strvec todo = {0}, done = {0};
	int cur = evh_dup(rootfd), res = -1, err = 0, links = 0;
	char *copy = strdup(rel), *save = NULL;
	if (!copy || cur < 0) {
		free(copy);
		if (cur >= 0)
			evh_close(cur);
		errno = ENOMEM;
		return -1;
	}
	strvec tmp = {0};
	for (char *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save))
		sv_push(&tmp, t);
	for (size_t i = tmp.n; i-- > 0;)
		sv_push(&todo, tmp.v[i]);
	sv_free(&tmp);
	free(copy);
	while (todo.n) {
		char *c = todo.v[--todo.n];
		bool last = todo.n == 0;
		if (!strcmp(c, ".") || !strcmp(c, "..")) {
			if (!strcmp(c, "..") && done.n) {
				/* up one: walk down again from the root */
				free(done.v[--done.n]);
				evh_close(cur);
				cur = evh_dup(rootfd);
				for (size_t i = 0; i < done.n && cur >= 0; i++) {
					int n = evh_openat(cur, done.v[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
					evh_close(cur);
					cur = n;
				}
			}
			free(c);
			if (cur < 0) {
				err = errno;
				break;
			}
			if (last)
				res = evh_openat(cur, ".", flags), err = res < 0 ? errno : 0;
			continue;
		}
		struct stat st;
		bool follow = !last || !(flags & O_NOFOLLOW);
		if (follow && evh_fstatat(cur, c, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = evh_readlinkat(cur, c, target, sizeof target - 1);
			free(c);
			if (n < 0 || ++links > 40) {
				err = n < 0 ? errno : ELOOP;
				break;
			}
			target[n] = '\0';
			if (target[0] == '/') {   /* from the host's root */
				evh_close(cur);
				cur = evh_dup(rootfd);
				sv_free(&done);
			}
			tmp = (strvec){0};
			save = NULL;
			for (char *t = strtok_r(target, "/", &save); t; t = strtok_r(NULL, "/", &save))
				sv_push(&tmp, t);
			for (size_t i = tmp.n; i-- > 0;) {
				sv_push_own(&todo, tmp.v[i]);
				tmp.v[i] = NULL;
			}
			free(tmp.v);
			if (!todo.n)   /* a link to "/" */
				sv_push(&todo, ".");
			continue;
		}
		if (last) {
			res = evh_openat(cur, c, flags | O_NOFOLLOW);
			err = res < 0 ? errno : 0;
			free(c);
			break;
		}
		int n2 = evh_openat(cur, c, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (n2 < 0) {
			err = errno;
			free(c);
			break;
		}
		evh_close(cur);
		cur = n2;
		sv_push_own(&done, c);
	}
	if (!rel[0] || (res < 0 && !err && !todo.n)) {
		res = evh_openat(cur, ".", flags);
		err = res < 0 ? errno : 0;
	}
	sv_free(&todo);
	sv_free(&done);
	if (cur >= 0)
		evh_close(cur);
	errno = err;
	return res;
}

static int open_beneath(int dirfd, const char *rel, int flags, bool in_root)
{
	if (!rel[0])
		rel = ".";
	if (have_openat2 && !evh_is_virtual(dirfd)) {
		struct open_how how = {
			.flags = (unsigned long long)flags,
			.resolve = (in_root ? RESOLVE_IN_ROOT : RESOLVE_BENEATH) | RESOLVE_NO_MAGICLINKS,
		};
		long fd = sys_openat2(dirfd, rel, &how);
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		have_openat2 = 0;
	}
	return in_root ? walk_open_in_root(dirfd, rel, flags) : walk_open(dirfd, rel, flags);
}

int ev_root_open_host(ev_root *r, const char *path, de_err *e)
{
	if (ev_root_open(r, path, e) < 0)
		return -1;
	r->in_root = true;
	return 0;
}

/* The file systems of an attached image (--image), by name prefix. */
typedef struct ev_mount {
	char *prefix;   /* "IMAGE@p2:" */
	int root;       /* a virtual descriptor of its root directory */
} ev_mount;

static ev_mount *mounts;
static size_t nmounts;
static bool evidence_only;

void ev_attach(const char *prefix, int root)
{
	mounts = xrealloc(mounts, (nmounts + 1) * sizeof *mounts);
	mounts[nmounts++] = (ev_mount){xstrdup(prefix), root};
}

void ev_detach_all(void)
{
	for (size_t i = 0; i < nmounts; i++) {
		evh_close(mounts[i].root);
		free(mounts[i].prefix);
	}
	free(mounts);
	mounts = NULL;
	nmounts = 0;
	evidence_only = false;
}

void ev_evidence_only(bool on)
{
	evidence_only = on;
}

bool ev_attached(const char *path)
{
	for (size_t i = 0; i < nmounts; i++)
		if (!strncmp(path, mounts[i].prefix, strlen(mounts[i].prefix)))
			return true;
	return false;
}

/* A path inside an attached image: its file system's root, and the path
 * in it (resolved there as the imaged host would, RESOLVE_IN_ROOT: an
 * absolute link /var/lib/docker -> /data/docker stays in the image). */
static int open_attached(const char *path, int flags)
{
	for (size_t i = 0; i < nmounts; i++) {
		size_t n = strlen(mounts[i].prefix);
		if (strncmp(path, mounts[i].prefix, n))
			continue;
		const char *in = path + n;
		while (*in == '/')
			in++;
		return walk_open_in_root(mounts[i].root, *in ? in : ".", flags);
	}
	errno = ENOENT;
	return -1;
}

int ev_root_open(ev_root *r, const char *path, de_err *e)
{
	r->in_root = false;
	r->path = NULL;
	if (ev_attached(path)) {
		r->fd = open_attached(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else if (evidence_only) {
		r->fd = -1;
		return de_fail(e, "%s: refused: not in the disk image given (--image): "
		               "nothing outside the evidence is read", path);
	} else {
		r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (r->fd < 0)
		return de_fail_errno(e, errno, "%s", path);
	/* Paths we print are built as root->path + "/" + rel: drop the
	 * trailing slashes the user may have typed. */
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	r->path = xstrndup(path, n);
	return 0;
}

void ev_root_close(ev_root *r)
{
	if (r->fd >= 0)
		evh_close(r->fd);
	free(r->path);
	r->fd = -1;
	r->path = NULL;
}

int ev_open(const ev_root *r, const char *rel, int flags, de_err *e)
{
	int base = O_RDONLY | O_CLOEXEC | flags;
	int fd = -1;
	if (!(flags & O_PATH)) {
		fd = open_beneath(r->fd, rel, base | O_NOATIME, r->in_root);
		if (fd >= 0 || errno != EPERM)
			goto done;
	}
	fd = open_beneath(r->fd, rel, base, r->in_root);
done:
	if (fd < 0) {
		if (errno == EXDEV || errno == ELOOP)
			return de_fail(e, "%s/%s: refused: the path leaves the evidence root "
			               "(symlink or ..)", r->path, rel);
		return de_fail_errno(e, errno, "%s/%s", r->path, rel);
	}
	return fd;
}

int ev_open_dir_at(int dirfd, const char *name)
{
	int fl = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	int fd = evh_openat(dirfd, name, fl | O_NOATIME);
	if (fd < 0 && errno == EPERM)   /* not the owner: the kernel refuses O_NOATIME */
		fd = evh_openat(dirfd, name, fl);
	return fd;
}

int ev_stat(const ev_root *r, const char *rel, struct stat *st, de_err *e)
{
	int fd = ev_open(r, rel, O_PATH, e);
	if (fd < 0)
		return -1;
	int rc = evh_fstat(fd, st);
	int saved = errno;
	evh_close(fd);
	if (rc < 0)
		return de_fail_errno(e, saved, "%s/%s", r->path, rel);
	return 0;
}

int ev_lstat(const ev_root *r, const char *rel, struct stat *st, de_err *e)
{
	int fd = ev_open(r, rel, O_PATH | O_NOFOLLOW, e);
	if (fd < 0)
		return -1;
	int rc = evh_fstatat(fd, "", st, AT_EMPTY_PATH);
	int saved = errno;
	evh_close(fd);
	if (rc < 0)
		return de_fail_errno(e, saved, "%s/%s", r->path, rel);
	return 0;
}

bool ev_is_dir(const ev_root *r, const char *rel)
{
	struct stat st;
	return ev_stat(r, rel, &st, NULL) == 0 && S_ISDIR(st.st_mode);
}

bool ev_is_file(const ev_root *r, const char *rel)
{
	struct stat st;
	return ev_stat(r, rel, &st, NULL) == 0 && S_ISREG(st.st_mode);
}

int ev_reach(const ev_root *r, const char *rel)
{
	int fd = ev_open(r, rel, O_PATH, NULL);   /* no message: errno stays */
	if (fd < 0)
		return errno ? errno : ENOENT;
	evh_close(fd);
	return 0;
}

char *ev_read(const ev_root *r, const char *rel, size_t max, size_t *len, de_err *e)
{
	struct stat st;
	int fd = ev_open(r, rel, 0, e);
	if (fd < 0)
		return NULL;
	if (evh_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		evh_close(fd);
		de_fail(e, "%s/%s: not a regular file", r->path, rel);
		return NULL;
	}
	if ((unsigned long long)st.st_size > max) {
		evh_close(fd);
		de_fail(e, "%s/%s: refused: %lld bytes, more than the %zu allowed for this file",
		        r->path, rel, (long long)st.st_size, max);
		return NULL;
	}
	/* Read up to max+1 bytes whatever st_size said: the file may grow under
	 * us on a live system, and the bound must hold anyway. */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				evh_close(fd);
				de_fail(e, "%s/%s: refused: more than the %zu bytes allowed",
				        r->path, rel, max);
				return NULL;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t got = evh_read(fd, buf + n, cap - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			free(buf);
			evh_close(fd);
			de_fail_errno(e, saved, "%s/%s", r->path, rel);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n < cap)
			break;   /* a regular file reads short only at its end: no read more to see 0 */
	}
	evh_close(fd);
	if (n > max) {
		free(buf);
		de_fail(e, "%s/%s: refused: more than the %zu bytes allowed", r->path, rel, max);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

char *ev_read_token(const ev_root *r, const char *rel, de_err *e)
{
	size_t len;
	char *buf = ev_read(r, rel, EV_MAX_SMALL, &len, e);
	if (!buf)
		return NULL;
	if (memchr(buf, '\0', len)) {
		free(buf);
		de_fail(e, "%s/%s: holds a NUL byte", r->path, rel);
		return NULL;
	}
	size_t a = 0, b = len;
	while (a < b && strchr(" \t\r\n", buf[a]))
		a++;
	while (b > a && strchr(" \t\r\n", buf[b - 1]))
		b--;
	if (a == b) {
		free(buf);
		de_fail(e, "%s/%s: empty", r->path, rel);
		return NULL;
	}
	memmove(buf, buf + a, b - a);
	buf[b - a] = '\0';
	return buf;
}

int64_t ev_read_size(const ev_root *r, const char *rel)
{
	char *tok = ev_read_token(r, rel, NULL);
	if (!tok)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(tok, &end, 10);
	bool bad = *end || v < 0 || errno;
	free(tok);
	return bad ? -1 : v;
}

/* Duplicate keys are accepted and the last one wins, as Go's encoding/json
 * (which wrote and reads these files) does: Docker saw that value. */
json_t *ev_parse_json(const char *buf, size_t len, const char *what, de_err *e)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, JSON_ALLOW_NUL, &je);
	if (!j)
		de_fail(e, "%s: invalid JSON at line %d column %d: %s", what, je.line,
		        je.column, je.text);
	return j;
}

json_t *ev_read_json(const ev_root *r, const char *rel, size_t max, de_err *e)
{
	size_t len;
	char *buf = ev_read(r, rel, max, &len, e);
	if (!buf)
		return NULL;
	char *what = xasprintf("%s/%s", r->path, rel);
	json_t *j = ev_parse_json(buf, len, what, e);
	free(what);
	free(buf);
	return j;
}

int ev_list(const ev_root *r, const char *rel, strvec *out, de_err *e)
{
	int fd = ev_open(r, rel, O_DIRECTORY, e);
	if (fd < 0)
		return -1;
	evh_dir *d = evh_opendir(fd);
	if (!d)   /* evh_opendir closed fd */
		return de_fail_errno(e, errno, "%s/%s", r->path, rel);
	struct dirent *de;
	int rc = 0;
	errno = 0;
	while ((de = evh_readdir(d)) != NULL) {
		if (out->n >= EV_MAX_DIRENTS) {
			rc = de_fail(e, "%s/%s: refused: more than %u entries", r->path, rel,
			             EV_MAX_DIRENTS);
			break;
		}
		sv_push(out, de->d_name);
		errno = 0;
	}
	if (!rc && errno)
		rc = de_fail_errno(e, errno, "%s/%s", r->path, rel);
	evh_closedir(d);
	sv_sort(out);
	return rc;
}
