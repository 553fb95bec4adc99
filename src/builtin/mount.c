/*
 * mount.c — `de mount CONTAINER MOUNTPOINT [--dry-run] [--fuse] [--no-volumes]`.
 *
 * Prints the kernel mount commands that rebuild the container's root
 * read-only at MOUNTPOINT (the driver's layers, then one read-only bind per
 * volume and bind mount, then per file the engine mounted), one a line, quoted for a shell; then runs them
 * when we are root. Commands are run with execv, never through a shell.
 * With --fuse, or by itself when the kernel mount cannot be done (not
 * root, no aufs in the kernel, a lowerdir too long), the union engine's
 * view is served read-only through FUSE instead, and de says so: in the
 * background, its warnings going to --log FILE (appended) or to the stderr
 * de was started with (fuse/fuse_view.h); with --foreground, until it is
 * unmounted, ending like any run (exit 3 when something could not be read).
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "../driver/driver.h"
#include "../fuse/fuse_view.h"
#include "../runtime/docker_ctd.h"
#include "../runtime/view.h"
#include "../util/pathutil.h"

static int serve_fuse(de_docker *d, const de_container *c, const char *mnt, bool volumes,
                      const de_fuse_opts *fo)
{
	de_view v;
	de_err e;
	if (de_view_open(d, c, volumes, &v, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	de_note("serving the container's view at %s with FUSE, read-only%s; unmount with: "
	        "fusermount3 -u %s", mnt, fo->foreground ? ", in the foreground" : "", mnt);
	fflush(stdout);
	int r = de_fuse_serve(v.fs, mnt, fo, &e);
	if (r < 0)
		de_error("%s", e.msg);
	de_view_close(&v);
	return r < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
}

/* One read-only bind per volume and bind mount. The kernel follows every
 * symlink of a source path: each is given as the view resolves it, inside
 * the data root or the host root; one that cannot be resolved there (a
 * symlink out, missing) is a warning and is not mounted. */
static void add_binds(de_docker *d, const de_container *c, const char *mnt, de_cmdlist *out)
{
	/* a pod's: the layers, to see that each mount point is there (the
	 * kernel needs it; the layers are read-only): runc makes some at run
	 * time only, in the container's /dev (a tmpfs) */
	de_view v;
	de_err ve;
	bool view = c->pod && c->nmounts && de_view_open(d, c, false, &v, &ve) == 0;
	for (size_t i = 0; i < c->nmounts; i++) {
		const de_mount_point *m = &c->mounts[i];
		de_err e;
		char *at = view ? de_view_mount_point(&v, m->destination) : NULL;
		if (view && !at) {
			/* a pod's /dev/termination-log: runc made it in the container's
			 * /dev, a tmpfs (FUSE shows it) */
			de_warn("%s mount at %s (%s): not mounted: its mount point is not in the "
			        "container's layers (made at run time, in a tmpfs or another mount); "
			        "mount --fuse shows it", m->kind, m->destination, m->source);
			continue;
		}
		free(at);
		char *src = de_view_source_path(d, m, &e);
		if (!src) {
			de_warn("%s mount at %s (%s): not mounted: %s", m->kind, m->destination,
			        m->source, e.msg);
			continue;
		}
		de_cmdlist_bind_ro(out, src, de_path_join(mnt, m->destination));
	}
	if (view)
		de_view_close(&v);
}

/* The files the engine mounted, after the user's mounts as the engine
 * mounts them: bound from their real paths (no link left for the kernel to
 * follow out of the evidence) onto their mount points resolved in the
 * layers. One that cannot be is a warning, and the layers' entry stays. */
static void add_engine_binds(de_docker *d, const de_container *c, const char *mnt,
                             de_cmdlist *out)
{
	de_view v;
	de_err e;
	if (!c->nengine_files)
		return;
	if (de_view_open(d, c, false, &v, &e) < 0) {
		de_warn("the files the engine mounted are not bound: %s", e.msg);
		return;
	}
	for (size_t i = 0; i < c->nengine_files; i++) {
		const de_engine_file *f = &c->engine_files[i];
		char *src, *dst;
		if (de_view_engine_bind(d, &v, f, &src, &dst, &e) < 0) {
			de_warn("%s (mounted by the engine): not bound, the layers' entry stays: %s",
			        f->destination, e.msg);
			continue;
		}
		de_cmdlist_bind_ro(out, src, de_path_join(mnt, dst));
		free(dst);
	}
	de_view_close(&v);
}

static void print_cmd(const strvec *cmd)
{
	dbuf b = {0};
	for (size_t i = 0; i < cmd->n; i++) {
		if (i)
			db_adds(&b, " ");
		de_shell_quote(&b, cmd->v[i]);
	}
	puts(b.p);
	db_free(&b);
}

/* Runs argv; returns its exit status, or -1 when it could not be started. */
static int run_cmd(const strvec *cmd)
{
	char **argv = xcalloc(cmd->n + 1, sizeof *argv);
	for (size_t i = 0; i < cmd->n; i++)
		argv[i] = cmd->v[i];
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	free(argv);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* What an analyst can do when the kernel says no (its own message is above). */
static void hint(const char *driver, size_t step)
{
	if (step == 0 && !strcmp(driver, "aufs"))
		de_note("hint: this kernel may have no aufs (mainline kernels dropped it); "
		        "`de mount --dry-run` prints the commands for a kernel that has it");
	else if (step == 0 && !strncmp(driver, "overlay", 7))
		de_note("hint: the kernel needs overlayfs, and refuses a lowerdir option longer "
		        "than a page (many layers)");
	else if (step > 0)
		de_note("hint: a volume or bind mount failed: its mount point or its source "
		        "may be missing from the evidence");
}

/* Runs the commands; *fallback is set when the kernel could not mount the
 * layers at all, so that FUSE can do it instead. */
static int do_mount(const de_cmdlist *cmds, const de_container *c, const char *mnt,
                    bool *fallback)
{
	*fallback = false;
	if (geteuid() != 0) {
		de_note("not root: the kernel mount needs root; mounting with FUSE instead");
		*fallback = true;
		return DE_EXIT_ERROR;
	}
	for (size_t i = 0; i < cmds->n; i++) {
		int st2 = run_cmd(&cmds->v[i]);
		if (st2 != 0 && i == 0) {
			de_note("the kernel refused to mount the layers (`%s` exited %d); mounting "
			        "with FUSE instead", cmds->v[i].v[0], st2);
			hint(c->driver, i);
			*fallback = true;
			return DE_EXIT_ERROR;
		}
		if (st2 != 0) {
			de_error("the kernel refused: `%s` failed (status %d)", cmds->v[i].v[0], st2);
			hint(c->driver, i);
			if (i > 0)
				de_note("%s is partly mounted; undo with: umount -R %s", mnt, mnt);
			return DE_EXIT_ERROR;
		}
	}
	return DE_EXIT_OK;
}

/* windowsfilter: the command merges the container's disk into a raw image,
 * as de.py printed it; nothing is mounted, and de says what to do next. */
static int merge_only(const de_docker *d, const de_container *c, const de_cmdlist *cmds,
                      bool dry)
{
	for (size_t i = 0; i < cmds->n; i++)
		print_cmd(&cmds->v[i]);
	de_note("%s: a Windows container: its files are NTFS inside "
	        "%s/windowsfilter/%s/sandbox.vhdx, a differencing VHDX over its base layer's "
	        "blank-base.vhdx; the command above merges the two into "
	        "the raw disk %s.raw (sparse, the size of the virtual disk), whose NTFS volume "
	        "can then be mounted read-only (ntfs-3g, or mount -t ntfs3 -o ro,loop). The "
	        "image layers' own files are in %s/windowsfilter/<layer>/Files", c->driver,
	        d->root.path, c->mount_id ? c->mount_id : "?", c->mount_id ? c->mount_id : "?",
	        d->root.path);
	if (dry)
		return DE_EXIT_OK;
	de_error("a Windows container cannot be mounted as a directory: run the command above, "
	         "then mount the NTFS of the raw disk");
	return DE_EXIT_ERROR;
}

/* The mount (or FUSE) once the options are read. */
static int mount_run(const de_opts *o, const char *ref, const char *mnt, bool dry, bool fuse,
                     bool volumes, const de_fuse_opts *fo)
{
	de_docker d;
	de_container *c = de_open_container(o, &d, ref);
	if (!c)
		return DE_EXIT_ERROR;
	de_err pe;
	if (de_view_present(c, &pe) < 0) {
		de_error("%s", pe.msg);
		de_container_free(c);
		de_docker_close(&d);
		return DE_EXIT_ERROR;
	}
	if (fuse && !dry) {
		int r = serve_fuse(&d, c, mnt, volumes, fo);
		de_container_free(c);
		de_docker_close(&d);
		return r;
	}
	int rc = DE_EXIT_OK;
	de_err e;
	de_cmdlist cmds = {0};
	const de_driver *drv = de_driver_find(c->driver);
	const ev_root *lroot;
	if (!drv) {
		de_error("%s: storage driver \"%s\" is not supported (aufs, overlay, overlay2, vfs)",
		         c->config_path, c->driver ? c->driver : "(none)");
		rc = DE_EXIT_ERROR;
	} else if (!(lroot = de_layers_root(&d, c, &e)) ||
	           drv->mount_commands(lroot, c, mnt, &cmds, &e) < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (drv->merge_only) {
		rc = merge_only(&d, c, &cmds, dry);
	} else {
		if (volumes) {
			add_binds(&d, c, mnt, &cmds);
			add_engine_binds(&d, c, mnt, &cmds);
		}
		if (o->image_vol) {
			rc = de_image_mount(o, &cmds, mnt, print_cmd);
			goto done;
		}
		for (size_t i = 0; i < cmds.n; i++)
			print_cmd(&cmds.v[i]);
		bool fallback = false;
		if (!dry)
			rc = do_mount(&cmds, c, mnt, &fallback);
		if (fallback)
			rc = serve_fuse(&d, c, mnt, volumes, fo);
	}
done:
	de_cmdlist_free(&cmds);
	de_container_free(c);
	de_docker_close(&d);
	return rc;
}

int cmd_mount(const de_args *a, const de_opts *o)
{
	bool dry = de_flag(a, DE_K_DRY_RUN), fuse = de_flag(a, DE_K_FUSE),
	     volumes = !de_flag(a, DE_K_NO_VOLUMES);
	de_fuse_opts fo = {de_flag(a, DE_K_FOREGROUND), -1, de_str(a, DE_K_LOG)};
	const char *mnt = a->pos[1];
	struct stat st;
	/* with --image and no --fuse, only commands are printed: no mount point needed */
	if (!dry && (fuse || !o->image_vol) && (stat(mnt, &st) < 0 || !S_ISDIR(st.st_mode))) {
		de_error("%s: not a directory; create the mount point first", mnt);
		return DE_EXIT_ERROR;
	}
	if (fo.log && fo.foreground) {
		de_error("--log: in the foreground, warnings go to stderr; give one or the other");
		return DE_EXIT_USAGE;
	}
	/* the analyst's file, never the evidence: appended to, not replaced */
	if (fo.log && !dry &&
	    (fo.log_fd = open(fo.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		de_error("--log: %s: %s", fo.log, strerror(errno));
		return DE_EXIT_ERROR;
	}
	int rc = mount_run(o, a->pos[0], mnt, dry, fuse, volumes, &fo);
	if (fo.log_fd >= 0)
		close(fo.log_fd);
	return rc;
}
