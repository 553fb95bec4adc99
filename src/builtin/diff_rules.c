/*
 * diff_rules.c — see diff_rules.h. The engines' code is described, not
 * copied: each function names the one it mirrors (moby 20.10
 * pkg/archive/changes.go and changes_unix.go; containers/storage as vendored
 * by Podman 4.3, pkg/archive/changes.go and changes_linux.go; libpod
 * diff.go), and the recorded `docker diff` and `podman diff` of the
 * fixtures are what the tests hold it to.
 */
#include "diff_rules.h"

#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "../util/evfs.h"
#include "../util/jget.h"
#include "../util/pathutil.h"

static bool is(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

/* containers/storage keeps its choice of diff in its run root
 * (<runroot>/overlay/native-diff()-true|false, overlay.go's feature cache)
 * and whether a mount program (fuse-overlayfs) is used in
 * <graphroot>/overlay/.has-mount-program: with one, or without native diff,
 * Changes goes to its naive diff (overlay.go, Driver.Changes). */
static diff_rule podman_rule(const de_target *t, char **basis)
{
	const de_container *c = t->c;
	if (c->driver && !strstr(c->driver, "overlay")) {
		*basis = xasprintf("storage driver %s: containers/storage's naive diff", c->driver);
		return DIFF_PODMAN_VIEWS;
	}
	de_err e;
	char *mp = ev_read_token(&t->d.root, "overlay/.has-mount-program", &e);
	bool fuse = mp && !strcmp(mp, "true");
	free(mp);
	if (fuse) {
		*basis = xstrdup("overlay/.has-mount-program is true (fuse-overlayfs): "
		                 "containers/storage's naive diff");
		return DIFF_PODMAN_VIEWS;
	}
	ev_root host;
	const char *hr = t->d.host_root && *t->d.host_root ? t->d.host_root : NULL;
	int native = -1;   /* unknown */
	if (hr && ev_root_open(&host, hr, &e) == 0) {
		if (ev_is_file(&host, "run/containers/storage/overlay/native-diff()-false"))
			native = 0;
		else if (ev_is_file(&host, "run/containers/storage/overlay/native-diff()-true"))
			native = 1;
		ev_root_close(&host);
	}
	if (native == 0) {
		*basis = xstrdup("run/containers/storage/overlay/native-diff()-false: "
		                 "containers/storage's naive diff");
		return DIFF_PODMAN_VIEWS;
	}
	*basis = xstrdup(native == 1 ? "run/containers/storage/overlay/native-diff()-true: "
	                               "containers/storage's overlay diff"
	                             : "no native-diff() record in the run root: containers/"
	                               "storage's overlay diff assumed (its default)");
	return DIFF_PODMAN;
}

void diff_engine_for(diff_engine *eng, const de_target *t)
{
	const de_container *c = t->c;
	const char *rt = c->runtime ? c->runtime : "docker";   /* Docker's own records name none */
	memset(eng, 0, sizeof *eng);
	eng->fs = t->v.fs;
	eng->nlower = un_diff_lower_count(t->v.fs, 0);
	if (is(rt, "docker") && is(c->driver, "aufs")) {
		eng->rule = DIFF_DOCKER_AUFS;
		eng->basis = xstrdup("Docker on aufs: moby's aufs driver walks the container's branch");
	} else if (is(rt, "docker")) {
		eng->rule = DIFF_DOCKER_VIEWS;
		eng->basis = xasprintf("Docker on %s: moby compares the container's view with its "
		                       "-init layer's", c->driver ? c->driver : "?");
	} else if (is(rt, "containerd")) {
		eng->rule = DIFF_DOCKER_VIEWS;
		eng->basis = xstrdup("containerd has no diff of its own: compared as docker diff "
		                     "compares (Docker's containerd store does the same)");
		/* runc makes each mount point of the spec that the image lacks in
		 * the container's layer (empty 0755 files, directories): the
		 * CRI's pods have many (their volumes, /etc/hostname, /dev…) */
		size_t i;
		json_t *m;
		json_array_foreach(c->pod ? jget_arr(c->config, "mounts") : NULL, i, m) {
			const char *dst = jget_str(m, "destination");
			if (dst && dst[0] == '/')
				sv_push_own(&eng->mount_points, de_path_clean(dst));
		}
	} else {
		eng->rule = podman_rule(t, &eng->basis);
	}
	static const char *const names[] = {"docker-views", "docker-aufs", "podman", "podman-views"};
	eng->name = names[eng->rule];
	eng->command = eng->rule <= DIFF_DOCKER_AUFS ? (is(rt, "containerd") ? NULL
	                                                : "docker diff")
	                                             : "podman diff";
}

void diff_engine_free(diff_engine *eng)
{
	free(eng->basis);
	eng->basis = NULL;
	sv_free(&eng->mount_points);
}

unsigned diff_engine_walk_flags(const diff_engine *eng)
{
	switch (eng->rule) {
	case DIFF_PODMAN: return UN_DIFF_PROBE;
	case DIFF_DOCKER_AUFS: return UN_DIFF_PROBE | UN_DIFF_MARKERS;
	default: return 0;
	}
}

/* ---- the views rule (moby/containers-storage ChangesDirs) ------------------ */

/* sameFsTimeSpec: the same second, and the same nanoseconds or either one
 * zero (a tar without sub-second times). */
static bool same_fs_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec &&
	       (a->tv_nsec == b->tv_nsec || a->tv_nsec == 0 || b->tv_nsec == 0);
}

/* statDifferent (changes_unix.go, moby 20.10): mode (type and permission
 * bits), owner and device number; and for what is not a directory, size and
 * mtime. "Directory" is tested as mode & S_IFDIR == S_IFDIR, which block
 * devices and sockets pass too (their bits include S_IFDIR's). */
static bool stat_different(const struct stat *old, const struct stat *new)
{
	if (old->st_mode != new->st_mode || old->st_uid != new->st_uid ||
	    old->st_gid != new->st_gid || old->st_rdev != new->st_rdev)
		return true;
	if ((old->st_mode & S_IFDIR) == S_IFDIR)
		return false;
	return !same_fs_time(&old->st_mtim, &new->st_mtim) || old->st_size != new->st_size;
}

/* addChanges compares security.capability too (the lgetxattr error, as
 * ENODATA, is an empty value). */
static bool caps_differ(const un_diff_ent *ent)
{
	de_err e;
	size_t la = 0, lb = 0;
	void *a = un_walk_getxattr(ent->now, "security.capability", &la, &e);
	void *b = un_walk_getxattr(ent->before, "security.capability", &lb, &e);
	bool differ = (a ? la : 0) != (b ? lb : 0) || (a && b && memcmp(a, b, la));
	free(a);
	free(b);
	return differ;
}

/* FileInfo.addChanges: an entry of the new view without one in the old is
 * added (and all below it); one in both is modified when statDifferent or
 * its capability differs; an entry of the old view's directory missing
 * from the new one is deleted (its content is not listed: "any previous
 * delete is considered recursive"); a directory with changes inside that is
 * not itself recorded is inserted before them as modified (never "/").
 * Entries the layer does not hold are the same inode in both views: only
 * the layer's entries and what they hide can differ. */
static void judge_views(const un_diff_ent *ent, diff_verdict *v)
{
	switch (ent->kind) {
	case UN_ADDED:
		v->kind = 'A';
		v->flush = -1;
		break;
	case UN_CHANGED: {
		const struct stat *o = &ent->before->node->st, *n = &ent->now->node->st;
		if (stat_different(o, n) || caps_differ(ent)) {
			v->kind = 'C';
			v->flush = -1;
		} else if (S_ISDIR(o->st_mode) && S_ISDIR(n->st_mode)) {
			v->pending = true;
		}
		break;
	}
	case UN_DELETED:
		if (ent->before && !ent->implied) {
			v->kind = 'D';
			v->flush = -1;
		}
		break;
	default:
		break;
	}
}

/* ---- the upper-layer walks (containers/storage OverlayChanges, moby aufs) -- */

static bool is_char_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static void not_a_dir_below(const diff_engine *eng, const un_diff_ent *ent, size_t k)
{
	de_note("%s: a parent of it is not a directory in layer %s: %s would fail here "
	        "(\"not a directory\"); taken as absent there", ent->path,
	        un_layer_label(eng->fs, (int)(k + 1)), eng->command);
}

/* overlayDeletedFile (changes_linux.go), for an opaque directory: deleted
 * when a lower layer, looked at top first, has the path, unless that entry
 * is a whiteout or a parent of it is a whiteout in that layer. */
static bool opaque_deleted(const diff_engine *eng, const un_diff_ent *ent)
{
	for (size_t k = 0; k < eng->nlower; k++) {
		struct stat st;
		switch (un_diff_in_layer(ent, k, &st)) {
		case UN_PRESENT: return true;
		case UN_WHITEOUT:
		case UN_UNDER_WHITEOUT: return false;
		default: break;
		}
	}
	return false;
}

/* changes() (changes.go): added, unless a lower layer, top first, has the
 * path: modified, or, for two directories of equal size, mode and mtime,
 * not recorded at all. overlayLowerContainsWhiteout makes the search stop
 * (added) at a layer whose whiteout covers the path or a parent of it;
 * moby's aufs variant has no such check. The lower entry is found with
 * os.Stat, which follows a symlink: de takes the link itself. */
static void judge_present(const diff_engine *eng, const un_diff_ent *ent, bool whiteouts,
                          diff_verdict *v)
{
	const struct stat *n = &ent->now->node->st;
	v->kind = 'A';
	for (size_t k = 0; k < eng->nlower; k++) {
		struct stat st;
		un_presence p = un_diff_in_layer(ent, k, &st);
		if (whiteouts && (p == UN_WHITEOUT || p == UN_UNDER_WHITEOUT))
			break;
		if (p == UN_UNDER_FILE)
			not_a_dir_below(eng, ent, k);
		if (p != UN_PRESENT)
			continue;
		if (S_ISDIR(st.st_mode) && S_ISDIR(n->st_mode) && st.st_size == n->st_size &&
		    st.st_mode == n->st_mode && same_fs_time(&st.st_mtim, &n->st_mtim)) {
			v->kind = 0;
			v->pending = true;   /* "both directories are the same" */
			return;
		}
		v->kind = 'C';
		break;
	}
}

/* containers/storage changes() with overlayDeletedFile: a 0/0 character
 * device is the deletion of its path, an opaque directory present below is
 * deleted (and what the walk finds inside it is judged as usual); every
 * added or deleted entry records each parent directory not yet recorded
 * (parents first). Only the layer's own entries are walked: what an opaque
 * directory hides is not seen. */
static void judge_podman(const diff_engine *eng, const un_diff_ent *ent, diff_verdict *v)
{
	if (ent->kind == UN_MARKER || (ent->kind == UN_DELETED && !ent->whiteout))
		return;
	const struct stat *n = &ent->now->node->st;
	if (ent->whiteout && is_char_whiteout(n)) {
		v->kind = 'D';
	} else if (ent->opaque && S_ISDIR(n->st_mode) && eng->nlower && opaque_deleted(eng, ent)) {
		v->kind = 'D';
	} else {
		/* an xattr whiteout is a plain file to containers/storage 4.3 */
		judge_present(eng, ent, true, v);
	}
	if (v->kind == 'A' || v->kind == 'D')
		v->flush = -1;
}

/* moby 20.10 archive.Changes with aufsDeletedFile and aufsMetadataSkip: a
 * .wh.<name> is the deletion of <name>; "/.wh..wh.*" names at the root are
 * skipped, any other .wh..wh.* name (the opaque marker .wh..wh..opq of a
 * directory) is a deletion of its name less ".wh." — "D /dir/.wh..opq";
 * an added or deleted entry records its parent directory alone when not
 * recorded yet. */
static void judge_aufs(const diff_engine *eng, const un_diff_ent *ent, diff_verdict *v)
{
	if (ent->kind == UN_MARKER) {
		if (ent->depth == 1)
			return;
		const char *slash = strrchr(ent->path, '/');
		v->kind = 'D';
		v->path = xasprintf("%.*s/%s", (int)(slash - ent->path), ent->path, slash + 1 + 4);
	} else if (ent->kind == UN_DELETED) {
		if (!ent->whiteout)
			return;
		v->kind = 'D';
	} else {
		judge_present(eng, ent, false, v);
	}
	if (v->kind == 'A' || v->kind == 'D')
		v->flush = 1;
}

void diff_judge(const diff_engine *eng, const un_diff_ent *ent, diff_verdict *v)
{
	memset(v, 0, sizeof *v);
	switch (eng->rule) {
	case DIFF_DOCKER_VIEWS:
	case DIFF_PODMAN_VIEWS:
		if (ent->kind != UN_MARKER)
			judge_views(ent, v);
		break;
	case DIFF_PODMAN: judge_podman(eng, ent, v); break;
	case DIFF_DOCKER_AUFS: judge_aufs(eng, ent, v); break;
	}
}

/* libpod diff.go: the paths GetDiff leaves out (initInodes), exactly these:
 * the mount points Podman makes in the container's layer for what it mounts
 * there, and /run/podman-init (define.ContainerInitPath). A pod's container
 * of containerd: the mount points runc made (the spec's destinations). */
bool diff_engine_file(const diff_engine *eng, const char *path)
{
	static const char *const own[] = {
		"/dev", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/proc", "/run",
		"/run/notify", "/run/.containerenv", "/run/secrets", "/run/podman-init", "/sys",
		"/etc/mtab",
	};
	for (size_t i = 0; i < eng->mount_points.n; i++)
		if (!strcmp(path, eng->mount_points.v[i]))
			return true;
	if (eng->rule != DIFF_PODMAN && eng->rule != DIFF_PODMAN_VIEWS)
		return false;
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		if (!strcmp(path, own[i]))
			return true;
	return false;
}
