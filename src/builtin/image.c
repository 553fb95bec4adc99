/*
 * image.c — `--image FILE [--partition VOL]`: the evidence is a disk
 * image. The image and its file systems are opened (src/source) and the
 * volume holding the container runtimes becomes the host root of the run,
 * named "IMAGE@VOL:" (so the paths printed read IMAGE@p2:/var/lib/docker).
 * Every command then runs unchanged: evfs answers for that name from the
 * image, and refuses every other path. `de mount` (kernel) prints what
 * root would run to attach the image and mount the volume, then the
 * container's commands on it (de_image_mount).
 */
#include "builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../driver/driver.h"
#include "../runtime/discover.h"
#include "../source/source.h"

static de_source src;
static bool src_open;

/* The runtimes discovery finds on sv (how list runtimes would see it). */
static size_t runtimes_on(const de_src_vol *sv, dbuf *names)
{
	de_found_list fl;
	de_err e;
	if (!sv->fs || de_discover(sv->root, &fl, &e) < 0)
		return 0;
	for (size_t i = 0; i < fl.n; i++)
		db_addf(names, "%s%s", i ? ", " : "", fl.v[i].runtime);
	size_t n = fl.n;
	de_found_list_free(&fl);
	return n;
}

static void say_volumes(const de_source *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const de_src_vol *sv = &s->v[i];
		fprintf(stderr, "  %s: offset %llu, %s%s%s\n", de_source_vol_name(s, sv),
		        (unsigned long long)sv->v->offset, sv->fs_type ? sv->fs_type : "not read: ",
		        sv->fs_type ? "" : sv->why ? sv->why : "?", sv->dirty ? " (journal not replayed)" : "");
	}
}

static const de_src_vol *choose(de_source *s, const char *which)
{
	if (which) {
		de_src_vol *sv = de_source_find(s, which);
		if (!sv && s->ndisks > 1) {
			de_error("%s: no volume %s, or one on several of the images; name it "
			         "IMAGE@VOLUME; the volumes:", s->image, which);
			say_volumes(s);
		} else if (!sv) {
			de_error("%s: no volume %s in it; its volumes:", s->image, which);
			say_volumes(s);
		} else if (!sv->fs) {
			de_error("%s: cannot be read: %s", sv->name, sv->why);
			sv = NULL;
		}
		return sv;
	}
	const de_src_vol *hit = NULL, *only_fs = NULL;
	size_t nhit = 0, nfs = 0;
	dbuf all = {0};
	for (size_t i = 0; i < s->n; i++) {
		const de_src_vol *sv = &s->v[i];
		if (!sv->fs)
			continue;
		nfs++;
		only_fs = sv;
		dbuf names = {0};
		if (runtimes_on(sv, &names)) {
			nhit++;
			hit = sv;
			db_addf(&all, "%s%s (%.*s)", nhit > 1 ? ", " : "", de_source_vol_name(s, sv), (int)names.len,
			        names.p);
		}
		db_free(&names);
	}
	if (nhit > 1) {
		de_error("%s: container runtimes on %zu volumes: %.*s; choose one with --partition",
		         s->image, nhit, (int)all.len, all.p);
		hit = NULL;
	} else if (!nhit && nfs == 1) {
		hit = only_fs;   /* the commands say what they do not find on it */
	} else if (!nhit) {
		de_error("%s: no container runtime's data found on %s; its volumes:", s->image,
		         nfs ? "any of its file systems" : "it (no readable file system)");
		say_volumes(s);
	}
	db_free(&all);
	return hit;
}

/* A volume not read is said, unless it cannot hold a container runtime's
 * data as it is: an EFI or boot FAT, swap, an LVM2 physical volume (its
 * logical volumes are volumes of their own). An encrypted one always is. */
static bool worth_a_note(const vol *v)
{
	const char *c = v->content;
	return v->why || !c || (strcmp(c, "fat") && strcmp(c, "swap") && strcmp(c, "lvm2"));
}

int de_image_attach(de_opts *o, const char *const *images, size_t n, const char *which)
{
	de_err e;
	if (de_source_open(&src, images, n, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_ERROR;
	}
	src_open = true;
	for (size_t i = 0; i < src.n; i++)
		if (src.v[i].why && worth_a_note(src.v[i].v) &&
		    (!which || de_source_find(&src, which) == &src.v[i]))
			de_note("%s: not read: %s", src.v[i].name, src.v[i].why);
	const de_src_vol *sv = choose(&src, which);
	if (!sv)
		return DE_EXIT_ERROR;
	if (sv->dirty)
		de_note("%s: its journal holds changes not replayed (read as `mount -o ro,noload` "
		        "would show it)", sv->name);
	o->host_root = sv->root;
	o->image = &src;
	o->image_vol = sv;
	return DE_EXIT_OK;
}

void de_image_detach(void)
{
	if (src_open)
		de_source_close(&src);
	src_open = false;
}

/* ---- de mount --image: the commands root would run ---------------------- */

/* The block device (or file) the kernel can be given for disk k: an E01
 * through ewfmount (its FUSE file ewf1), qcow2/VMDK/VHD/VHDX (and split
 * raw, concatenated) through qemu-nbd on /dev/nbdK, raw as it is. The
 * attach command, if one is needed, is added to out. Caller frees. */
static char *attach_disk(const de_source *s, size_t k, const char *hostmnt, de_cmdlist *out)
{
	const char *fmt = s->disks[k]->format, *file = s->images[k];
	if (!strcmp(fmt, "raw"))
		return xstrdup(file);
	strvec *c = de_cmdlist_add(out);
	if (!strcmp(fmt, "ewf")) {
		char *dir = xasprintf("%s-ewf%zu", hostmnt, k);
		sv_push(c, "/usr/bin/ewfmount");
		sv_push(c, file);
		sv_push(c, dir);
		char *dev = xasprintf("%s/ewf1", dir);
		free(dir);
		return dev;
	}
	sv_push(c, "/usr/bin/qemu-nbd");
	sv_push(c, "--read-only");
	sv_push_own(c, xasprintf("--connect=/dev/nbd%zu", k));
	if (!strcmp(fmt, "split raw"))
		sv_push(c, "--format=raw");
	sv_push(c, file);
	return xasprintf("/dev/nbd%zu", k);
}

/* The commands that attach the image(s) read-only and mount the volume's
 * file system at hostmnt, journal not replayed (ext: noload; XFS:
 * norecovery): a partition through a read-only loop device at its offset
 * (mount -o ro,loop sets it up with LO_FLAGS_READ_ONLY); a logical volume
 * through read-only loops of every disk (-P: their partitions scanned),
 * where LVM finds its PVs and maps it. */
static void attach_cmds(const de_opts *o, const char *hostmnt, de_cmdlist *out)
{
	const de_source *s = o->image;
	const de_src_vol *sv = o->image_vol;
	const char *noreplay = sv->fs_type && !strcmp(sv->fs_type, "xfs") ? "norecovery" : "noload";
	bool lv = !strcmp(sv->v->scheme, "lvm");
	char *dev = NULL;
	for (size_t k = 0; k < s->ndisks; k++) {
		if (!lv && k != sv->v->disk)
			continue;
		char *d = attach_disk(s, k, hostmnt, out);
		if (lv) {
			strvec *l = de_cmdlist_add(out);
			sv_push(l, "/sbin/losetup");
			sv_push(l, "-r");
			sv_push(l, "-f");
			sv_push(l, "-P");
			sv_push(l, d);
			free(d);
		} else {
			dev = d;
		}
	}
	strvec *m;
	if (lv) {
		strvec *a = de_cmdlist_add(out);
		sv_push(a, "/sbin/vgchange");
		sv_push(a, "-ay");
		sv_push_own(a, xstrndup(sv->v->name, strcspn(sv->v->name, "/")));
		m = de_cmdlist_add(out);
		sv_push(m, "/bin/mount");
		sv_push(m, "-o");
		sv_push_own(m, xasprintf("ro,%s", noreplay));
		sv_push_own(m, xasprintf("/dev/%s", sv->v->name));
	} else {
		m = de_cmdlist_add(out);
		sv_push(m, "/bin/mount");
		sv_push(m, "-o");
		sv_push_own(m, xasprintf("ro,%s,loop,offset=%llu,sizelimit=%llu", noreplay,
		                         (unsigned long long)sv->v->offset,
		                         (unsigned long long)sv->v->length));
		sv_push_own(m, dev);
	}
	sv_push(m, hostmnt);
}

/* Every argument naming a path of the image ("IMAGE@VOL:/x", alone or in a
 * mount option list) names it under hostmnt instead. */
static void image_paths(const char *prefix, const char *hostmnt, de_cmdlist *cmds)
{
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < cmds->n; i++)
		for (size_t k = 0; k < cmds->v[i].n; k++) {
			const char *a = cmds->v[i].v[k];
			if (!strstr(a, prefix))
				continue;
			dbuf b = {0};
			for (const char *p; (p = strstr(a, prefix)) != NULL; a = p + pl) {
				db_add(&b, a, (size_t)(p - a));
				db_adds(&b, hostmnt);
			}
			db_adds(&b, a);
			db_add(&b, "", 0);
			free(cmds->v[i].v[k]);
			cmds->v[i].v[k] = db_take(&b);
		}
}

int de_image_mount(const de_opts *o, de_cmdlist *cmds, const char *mnt,
                   void (*print)(const strvec *cmd))
{
	size_t ml = strlen(mnt);
	while (ml > 1 && mnt[ml - 1] == '/')
		ml--;
	char *hostmnt = xasprintf("%.*s-host", (int)ml, mnt);
	de_cmdlist all = {0};
	attach_cmds(o, hostmnt, &all);
	image_paths(o->image_vol->root, hostmnt, cmds);
	for (size_t i = 0; i < all.n; i++)
		print(&all.v[i]);
	for (size_t i = 0; i < cmds->n; i++)
		print(&cmds->v[i]);
	de_note("the layers are inside the disk image: the commands above attach it read-only, "
	        "mount its file system at %s (create it and %.*s first) and then the container; "
	        "de runs none of them. `de mount --fuse` serves the view from the image itself",
	        hostmnt, (int)ml, mnt);
	de_cmdlist_free(&all);
	free(hostmnt);
	return DE_EXIT_OK;
}
