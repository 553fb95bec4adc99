/*
 * fuse_view.c — see fuse_view.h. Paths from FUSE are already resolved by
 * the kernel component by component (through our getattr), so they hold no
 * symlink; an absolute symlink target is shown as written, as a kernel
 * overlay mount would show it.
 */
#define FUSE_USE_VERSION 31
#include "fuse_view.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/evh.h"

static un_fs *fs_of(void)
{
	return fuse_get_context()->private_data;
}

/* The errno behind an engine failure: ENOENT unless the message says so. */
static int neg(int fallback)
{
	return -(errno ? errno : fallback);
}

static void *f_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	/* The evidence does not change under us: let the kernel cache. */
	cfg->kernel_cache = 1;
	cfg->entry_timeout = cfg->attr_timeout = cfg->negative_timeout = 3600;
	return fs_of();
}

static int f_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	un_node n;
	errno = 0;
	if (un_stat(fs_of(), path, false, &n, NULL) < 0)
		return neg(ENOENT);
	*st = n.st;
	return 0;
}

static int f_readlink(const char *path, char *buf, size_t size)
{
	errno = 0;
	char *t = un_readlink(fs_of(), path, NULL);
	if (!t)
		return neg(EINVAL);
	snprintf(buf, size, "%s", t);
	free(t);
	return 0;
}

static int f_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                     struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off; (void)fi; (void)flags;
	un_dir d;
	errno = 0;
	if (un_readdir(fs_of(), path, &d, NULL) < 0)
		return neg(ENOTDIR);
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < d.n; i++)
		if (fill(buf, d.v[i].name, NULL, 0, 0))
			break;
	un_dir_free(&d);
	return 0;
}

static int f_open(const char *path, struct fuse_file_info *fi)
{
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC))
		return -EROFS;
	errno = 0;
	de_err e;
	int fd = un_open(fs_of(), path, &e);
	if (fd < 0) {
		int err = errno ? errno : EIO;
		/* the reader gets the errno; what could not be read is also a
		 * warning, as it is for `de cat` */
		if (err != ENOENT)
			de_warn("%s", e.msg);
		return -err;
	}
	fi->fh = (uint64_t)fd;   /* an evh descriptor (un_open) */
	fi->keep_cache = 1;
	return 0;
}

static int f_read(const char *path, char *buf, size_t size, off_t off,
                  struct fuse_file_info *fi)
{
	(void)path;
	ssize_t n = evh_pread((int)fi->fh, buf, size, off);
	return n < 0 ? -errno : (int)n;
}

static int f_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	evh_close((int)fi->fh);
	return 0;
}

static int f_listxattr(const char *path, char *list, size_t size)
{
	strvec names = {0};
	errno = 0;
	if (un_listxattr(fs_of(), path, &names, NULL) < 0)
		return neg(EIO);
	size_t need = 0;
	for (size_t i = 0; i < names.n; i++)
		need += strlen(names.v[i]) + 1;
	int rc = (int)need;
	if (size && need > size) {
		rc = -ERANGE;
	} else if (size) {
		char *p = list;
		for (size_t i = 0; i < names.n; i++) {
			size_t l = strlen(names.v[i]) + 1;
			memcpy(p, names.v[i], l);
			p += l;
		}
	}
	sv_free(&names);
	return rc;
}

static int f_getxattr(const char *path, const char *name, char *value, size_t size)
{
	size_t len;
	errno = 0;
	void *v = un_getxattr(fs_of(), path, name, &len, NULL);
	if (!v)
		return -ENODATA;
	int rc = (int)len;
	if (size && len > size)
		rc = -ERANGE;
	else if (size)
		memcpy(value, v, len);
	free(v);
	return rc;
}

static const struct fuse_operations ops = {
	.init = f_init,
	.getattr = f_getattr,
	.readlink = f_readlink,
	.readdir = f_readdir,
	.open = f_open,
	.read = f_read,
	.release = f_release,
	.listxattr = f_listxattr,
	.getxattr = f_getxattr,
};

static int mount_failed(const char *mnt, de_err *e)
{
	return de_fail(e, "FUSE: cannot mount at %s (is /dev/fuse usable, and %s an empty "
	               "directory?)", mnt, mnt);
}

/* Where the background server's warnings go (see fuse_view.h): the fd to
 * put on its stderr, or -1 to keep de's; -2 when they cannot be kept. */
static int server_stderr(const de_fuse_opts *o)
{
	struct stat st;
	if (o->log_fd >= 0)
		return o->log_fd;
	if (fstat(STDERR_FILENO, &st) < 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return -2;
	return -1;
}

/* Forks the server off; the child mounts (so that the parent holds no
 * mount to let go of) and says whether it could: 1 in the parent once the
 * child serves, 0 in the child (in its own session, stdin and stdout on
 * /dev/null, stderr as server_stderr says), -1 when no server runs. */
static int detach(struct fuse *f, const char *mnt, int err_fd, de_err *e)
{
	int p[2];
	if (pipe(p) < 0)
		return de_fail_errno(e, errno, "FUSE: cannot go to the background");
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return de_fail_errno(e, errno, "FUSE: cannot go to the background");
	}
	if (pid > 0) {
		char ok = 1;
		ssize_t n;
		close(p[1]);
		while ((n = read(p[0], &ok, 1)) < 0 && errno == EINTR)
			;
		close(p[0]);
		if (n != 1 || ok)
			return mount_failed(mnt, e);
		return 1;
	}
	close(p[0]);
	char ok = fuse_mount(f, mnt) == 0 ? 0 : 1;
	if (ok) {
		/* the parent says why; this process has nothing more to do */
		if (write(p[1], &ok, 1) != 1) {
		}
		_exit(1);
	}
	setsid();
	if (chdir("/") < 0) {
		/* "/" always exists; nothing held by the server is relative */
	}
	int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nul >= 0) {
		dup2(nul, STDIN_FILENO);
		dup2(nul, STDOUT_FILENO);
		if (err_fd == -2)
			dup2(nul, STDERR_FILENO);
		close(nul);
	}
	if (err_fd >= 0)
		dup2(err_fd, STDERR_FILENO);
	if (write(p[1], &ok, 1) != 1) {
		/* the parent is gone: serve anyway, it is mounted */
	}
	close(p[1]);
	return 0;
}

int de_fuse_serve(un_fs *fs, const char *mnt, const de_fuse_opts *o, de_err *e)
{
	char *argv[] = {"de", "-o", "ro,fsname=de,subtype=de", NULL};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse *f = fuse_new(&args, &ops, sizeof ops, fs);
	if (!f)
		return de_fail(e, "FUSE: cannot start (is fuse3 installed?)");
	int rc = 0;
	if (o->foreground) {
		if (fuse_mount(f, mnt) != 0)
			rc = mount_failed(mnt, e);
	} else {
		int err_fd = server_stderr(o);
		if (o->log_fd >= 0)
			de_note("warnings while serving go to %s", o->log);
		else if (err_fd == -2)
			de_note("stderr is a pipe or a socket: warnings while serving in the background "
			        "cannot be kept there (use --log FILE or --foreground)");
		rc = detach(f, mnt, err_fd, e);
	}
	if (rc == 0) {
		/* SIGINT, SIGTERM, SIGHUP end the loop: the view is then unmounted
		 * and the run ends with its summary of what could not be read */
		struct fuse_session *se = fuse_get_session(f);
		bool sig = fuse_set_signal_handlers(se) == 0;
		if (fuse_loop(f) != 0)
			rc = de_fail(e, "FUSE: the session ended with an error");
		if (sig)
			fuse_remove_signal_handlers(se);
		fuse_unmount(f);
	}
	fuse_destroy(f);
	fuse_opt_free_args(&args);
	return rc;
}
