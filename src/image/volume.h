/*
 * volume.h — the volumes of a disk image: MBR partitions (primary and the
 * logical ones of extended partitions), GPT partitions, and LVM2 logical
 * volumes (linear: one stripe per segment) over physical volumes found in
 * those partitions or on the whole disk. Each volume is a block source.
 *
 * Contract:
 *  - vol_scan() never fails for a damaged table: a bad entry, a broken EBR
 *    chain, a GPT whose CRCs do not match, an LV whose PV is missing or too
 *    small is a warning (de_warn, an omission) naming it, and the rest is
 *    still given. It fails (-1) only when the disk itself cannot be read.
 *  - Every count and offset from the disk is bounded: 128 EBRs, 1024 GPT
 *    entries of 128..4096 bytes, 1 MiB of LVM metadata text, 4096 segments
 *    per LV; every volume lies inside its disk or it is not given.
 *  - A volume whose first bytes say LUKS ("LUKS\xba\xbe") or BitLocker
 *    ("-FVE-FS-") is given with content "luks"/"bitlocker" and why =
 *    "encrypted: decrypt it first"; its bytes are never interpreted.
 *  - Partition numbers are the kernel's (sdaN): MBR primaries 1-4 by slot,
 *    logical partitions from 5 in chain order; GPT entry index + 1.
 */
#ifndef DE_VOLUME_H
#define DE_VOLUME_H

#include <stdbool.h>
#include <stdint.h>

#include "bsrc.h"

typedef struct vol {
	char *name;           /* "p2", "p5", "vg0/root", "disk" (no table) */
	const char *scheme;   /* "mbr", "gpt", "lvm", "none" */
	unsigned number;      /* partition number; 0 for an LV and the whole disk */
	unsigned disk;        /* which of the scanned disks (LV: of its first extent) */
	uint64_t offset;      /* bytes from the disk's start (LV: its first extent's) */
	uint64_t length;      /* bytes */
	char type[40];        /* "0x83", a GPT type GUID, "linear" */
	char *label;          /* GPT partition name (UTF-8), or NULL */
	const char *content;  /* vol_sniff(): "ext", "xfs", "lvm2", "luks", … or NULL */
	const char *why;      /* set when its content cannot be read as is */
	bsrc *src;            /* NULL for an extended partition's container entry */
} vol;

typedef struct vol_set {
	vol *v;
	size_t n, cap;
	bsrc **own;           /* every source made, closed in reverse order */
	size_t nown, capown;
} vol_set;

/* Scans ndisks images (several when a volume group spans them). */
int vol_scan(bsrc **disks, size_t ndisks, vol_set *out, de_err *e);
void vol_set_free(vol_set *s);

/* What the first bytes of a volume hold: "ext" (ext2/3/4), "xfs", "lvm2"
 * (a PV label), "luks", "bitlocker", "swap", "fat", "ntfs", "btrfs",
 * "mbr", "gpt", or NULL. */
const char *vol_sniff(bsrc *s);

/* The parsers, for the scanner and the tests: they add what they find to
 * out (sources are slices of disk, owned by out). */
int vol_mbr(bsrc *disk, unsigned disk_no, vol_set *out, de_err *e);
int vol_gpt(bsrc *disk, unsigned disk_no, vol_set *out, de_err *e);
/* LVM2: pvs are sources holding a PV label (partitions or whole disks). */
int vol_lvm(bsrc **pvs, const unsigned *pv_disk, const uint64_t *pv_off, size_t npvs,
            vol_set *out, de_err *e);

/* Internal: adds a volume (copies name and label) and owns src. */
vol *vol_add(vol_set *s, const char *name, const char *scheme, bsrc *src);
void vol_own(vol_set *s, bsrc *src);

#endif
