/*
 * mount.c — `de mount CONTAINER MOUNTPOINT [--dry-run] [--fuse] [--no-volumes]`.
 *
 * Prints the kernel mount commands that rebuild the container's root
 * read-only at MOUNTPOINT (the driver's layers, then one read-only bind per
 * volume and bind mount), one a line, quoted for a shell; then runs them
 * when we are root. Commands are run with execv, never through a shell.
 * With --fuse, or by itself when the kernel mount cannot be done (not
 * root, no aufs in the kernel, a lowerdir too long), the union engine's
 * view is served read-only through FUSE instead, and de says so.
 */
#include "builtin.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../driver/driver.h"
#include "../fuse/fuse_view.h"
#include "../runtime/view.h"
#include "../util/pathutil.h"

static const char usage[] =
	"usage: de mount CONTAINER MOUNTPOINT [--dry-run] [--fuse] [--no-volumes]";

static int serve_fuse(de_docker *d, const de_container *c, const char *mnt, bool volumes)
{
	de_view v;
	de_err e;
	if (de_view_open(d, c, volumes, &v, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	de_note("serving the container's view at %s with FUSE, read-only; unmount with: "
	        "fusermount3 -u %s", mnt, mnt);
	fflush(stdout);
	int rc = de_fuse_serve(v.fs, mnt, false, &e) < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
	if (rc != DE_EXIT_OK)
		de_error("%s", e.msg);
	de_view_close(&v);
	return rc;
}

static void add_binds(const de_container *c, const char *mnt, de_cmdlist *out)
{
	for (size_t i = 0; i < c->nmounts; i++) {
		strvec *cmd = de_cmdlist_add(out);
		sv_push(cmd, "/bin/mount");
		sv_push(cmd, "--bind");
		sv_push(cmd, "-o");
		sv_push(cmd, "ro");
		sv_push(cmd, c->mounts[i].source);
		sv_push_own(cmd, de_path_join(mnt, c->mounts[i].destination));
	}
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

int cmd_mount(int argc, char **argv, const de_opts *o)
{
	static const struct option longopts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"fuse", no_argument, NULL, 'F'},
		{"no-volumes", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	bool dry = false, fuse = false, volumes = true;
	int opt;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'n') {
			dry = true;
		} else if (opt == 'F') {
			fuse = true;
		} else if (opt == 'N') {
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
	const char *mnt = argv[optind + 1];
	struct stat st;
	if (!dry && (stat(mnt, &st) < 0 || !S_ISDIR(st.st_mode))) {
		de_error("%s: not a directory; create the mount point first", mnt);
		return DE_EXIT_ERROR;
	}
	de_docker d;
	de_container *c = de_open_container(o, &d, argv[optind]);
	if (!c)
		return DE_EXIT_ERROR;
	if (fuse && !dry) {
		int r = serve_fuse(&d, c, mnt, volumes);
		de_container_free(c);
		de_docker_close(&d);
		return r;
	}
	int rc = DE_EXIT_OK;
	de_err e;
	de_cmdlist cmds = {0};
	const de_driver *drv = de_driver_find(c->driver);
	if (!drv) {
		de_error("%s: storage driver \"%s\" is not supported (aufs, overlay, overlay2, vfs)",
		         c->config_path, c->driver ? c->driver : "(none)");
		rc = DE_EXIT_ERROR;
	} else if (drv->mount_commands(&d.root, c, mnt, &cmds, &e) < 0) {
		de_error("%s", e.msg);
		rc = DE_EXIT_ERROR;
	} else if (drv->merge_only) {
		rc = merge_only(&d, c, &cmds, dry);
	} else {
		if (volumes)
			add_binds(c, mnt, &cmds);
		for (size_t i = 0; i < cmds.n; i++)
			print_cmd(&cmds.v[i]);
		bool fallback = false;
		if (!dry)
			rc = do_mount(&cmds, c, mnt, &fallback);
		if (fallback)
			rc = serve_fuse(&d, c, mnt, volumes);
	}
	de_cmdlist_free(&cmds);
	de_container_free(c);
	de_docker_close(&d);
	return rc;
}
