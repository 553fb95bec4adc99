/*
 * driver.h — storage drivers: where a container's layers are on disk.
 *
 * Contract: one module per driver (aufs, overlay, overlay2, vfs, windowsfilter) turns a
 * container's mount ID into directories below the data root and into the
 * kernel mount commands that rebuild the container's root filesystem. A
 * driver reads only its own small index files (overlay2's `lower`, aufs'
 * `layers`, overlay's `lower-id`), treats every name in them as hostile
 * (de_safe_name), and names itself in every error.
 */
#ifndef DE_DRIVER_H
#define DE_DRIVER_H

#include "../model/evidence.h"
#include "../util/diag.h"
#include "../util/evfs.h"
#include "../util/strvec.h"

/* A list of commands, each an argv. */
typedef struct de_cmdlist {
	strvec *v;
	size_t n;
} de_cmdlist;

strvec *de_cmdlist_add(de_cmdlist *l);
/* Adds `mount --bind -o ro SRC DST`; takes both strings. */
void de_cmdlist_bind_ro(de_cmdlist *l, char *src, char *dst);
void de_cmdlist_free(de_cmdlist *l);

/* Longest layer list read from an index file. Docker allows 125 layers;
 * anything far beyond is hostile. */
#define DE_MAX_LAYERS 4096

typedef struct de_driver {
	const char *name;
	/* The container's writable layer, relative to the data root; NULL when
	 * the container has no mount ID. */
	char *(*upper_dir)(const de_container *c);
	/* Commands that mount the container's layers read-only at mnt (the
	 * volumes and binds are added by the caller). */
	int (*mount_commands)(const ev_root *root, const de_container *c, const char *mnt,
	                      de_cmdlist *out, de_err *e);
	/* The container's layers, top first, with the driver's whiteout rules:
	 * what the union engine merges. */
	int (*layer_stack)(const ev_root *root, const de_container *c, de_layer_stack *out,
	                   de_err *e);
	/* mount_commands give the command that merges the container's disk
	 * into a raw image (windowsfilter), not a mount: printed, never run,
	 * and no volume is added. */
	bool merge_only;
} de_driver;

/* The kernel, not de, resolves the paths of a mount command, and it follows
 * every symlink: before a layer directory (rel, below the root) is given to
 * it, each of its components must be a real directory (lstat) inside the
 * root, or a hostile data root could have the kernel mount any directory
 * of the analyst's machine (hostile cases "layerdir-symlink",
 * "<driver>-layerdir-symlink"). The error names the driver and the dir. */
int de_real_layer_dir(const ev_root *root, const char *driver, const char *rel, de_err *e);

/* "container" for the top layer, "init" for an ID ending in -init, else "image". */
const char *de_layer_role(size_t index, const char *id);

/* The driver of that name, or NULL. */
const de_driver *de_driver_find(const char *name);

extern const de_driver de_driver_aufs, de_driver_overlay, de_driver_overlay2, de_driver_vfs;
/* containerd's snapshotters (snapshotter.c), named as containerd names them */
extern const de_driver de_driver_ctr_overlayfs, de_driver_ctr_native;
/* containers/storage's overlay (overlay2.c) */
extern const de_driver de_driver_cs_overlay;
/* Docker on Windows (windowsfilter.c) */
extern const de_driver de_driver_windowsfilter;

#endif
