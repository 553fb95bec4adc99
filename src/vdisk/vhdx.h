/*
 * vhdx.h — a read-only reader of VHDX virtual disks (MS-VHDX v2), the
 * format of a Windows container's sandbox.vhdx and of its base layer's
 * blank-base.vhdx and blank.vhdx.
 *
 * Why src/vdisk/: a virtual disk format is the bottom of the evidence
 * chain "image format → volume system → file system" of the disk-image
 * layer to come (LAYERS.md, issue 12). It uses util only and knows no
 * container engine; the layer above it will take a vhdx as a block source
 * (vhdx_read: bytes of the merged virtual disk at any offset) and find the
 * NTFS inside it, without ever writing the merged disk.
 *
 * Contract:
 *  - Everything the file says is hostile: each header (signature, CRC-32C),
 *    region table (signature, CRC-32C, entry count ≤ 2047, offsets 1 MiB
 *    aligned, inside the file, not overlapping), metadata table and item
 *    (offsets inside the region, lengths bounded) and BAT entry (state,
 *    offset inside the file) is checked before use. A failure is an error
 *    value naming the file and the field, never a crash or a guess.
 *  - Memory is bounded whatever the disk size: the BAT is read a page at a
 *    time and a sector bitmap one block's worth at a time.
 *  - Nothing is written; files are read through the fd given (or memory).
 *
 * Read rules (MS-VHDX 2.5.1.1), per payload block state:
 *   NOT_PRESENT        differencing: the parent's bytes; else zeros
 *   UNDEFINED,UNMAPPED the bytes at FileOffsetMB when it is set (the spec
 *                      allows the block's previous contents, and de.py's
 *                      merge_vhdx.py returns them), else zeros
 *   ZERO               zeros
 *   FULLY_PRESENT      the bytes at FileOffsetMB
 *   PARTIALLY_PRESENT  per logical sector, by the chunk's sector bitmap
 *                      (bit set: this file, else the parent); differencing
 *                      files only
 * A parent smaller than its child reads as zeros past its end.
 */
#ifndef DE_VHDX_H
#define DE_VHDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

#define VHDX_MB (1024u * 1024u)
/* Longest parent chain followed (Windows nests a handful at most). */
#define VHDX_MAX_CHAIN 16
/* Bytes of a GUID as stored (mixed-endian, as Windows writes GUIDs). */
#define VHDX_GUID_LEN 16
/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" and its NUL */
#define VHDX_GUID_STR 39

enum vhdx_payload_state {
	VHDX_PB_NOT_PRESENT = 0,
	VHDX_PB_UNDEFINED = 1,
	VHDX_PB_ZERO = 2,
	VHDX_PB_UNMAPPED = 3,
	VHDX_PB_FULLY_PRESENT = 6,
	VHDX_PB_PARTIALLY_PRESENT = 7,
};
enum vhdx_sb_state { VHDX_SB_NOT_PRESENT = 0, VHDX_SB_PRESENT = 6 };

typedef struct vhdx_info {
	uint64_t file_size;
	/* the current header (MS-VHDX 2.2.2) */
	int header;                       /* 1 or 2 */
	uint64_t sequence;
	uint8_t file_write_guid[VHDX_GUID_LEN], data_write_guid[VHDX_GUID_LEN],
		log_guid[VHDX_GUID_LEN];
	uint64_t log_offset;
	uint32_t log_length;
	int region_table;                 /* 1, or 2 when the first is damaged */
	uint64_t bat_offset, metadata_offset;
	uint32_t bat_length, metadata_length;
	/* metadata items (2.6.2) */
	uint32_t block_size;
	bool leave_blocks_allocated, has_parent;
	uint64_t virtual_size;
	uint32_t logical_sector, physical_sector;
	uint8_t virtual_disk_id[VHDX_GUID_LEN];   /* the Page 83 data */
	/* derived (2.4, 2.5) */
	uint32_t chunk_ratio;
	uint64_t payload_blocks, bitmap_blocks, bat_entries;
	/* the VHDX parent locator (2.6.2.6.3), UTF-8; NULL when absent */
	char *parent_linkage, *parent_linkage2, *relative_path, *volume_path,
		*absolute_win32_path;
} vhdx_info;

typedef struct vhdx vhdx;

/* Opens and checks the file read from fd (taken: closed by vhdx_close);
 * name is used in every message. */
int vhdx_open_fd(vhdx **out, int fd, const char *name, de_err *e);
/* The same over bytes in memory (tests, fuzzing): not copied. */
int vhdx_open_mem(vhdx **out, const uint8_t *data, size_t len, const char *name, de_err *e);
/* Closes v and every parent attached below it. */
void vhdx_close(vhdx *v);

const vhdx_info *vhdx_get_info(const vhdx *v);
const char *vhdx_name(const vhdx *v);

/* Attaches parent (taken, even on failure) below the differencing disk
 * child, after checking what MS-VHDX 2.6.2.6.3 requires: the parent's
 * DataWriteGuid is the child's parent_linkage (or parent_linkage2), and
 * both have the same logical sector size. */
int vhdx_attach_parent(vhdx *child, vhdx *parent, de_err *e);
/* The disk below v (NULL for a base disk or one not attached yet). */
vhdx *vhdx_parent(const vhdx *v);

/* len bytes of the virtual disk at off (inside the disk), through the
 * chain of parents. A differencing disk whose parent is needed and not
 * attached is an error. */
int vhdx_read(vhdx *v, uint64_t off, void *buf, size_t len, de_err *e);
/* Whether [off, off+len) reads as zeros without reading any payload (ZERO
 * blocks, blocks present nowhere in the chain): *zero set. For sparse
 * output; false is always a safe answer. */
int vhdx_range_zero(vhdx *v, uint64_t off, uint64_t len, bool *zero, de_err *e);

/* Payload block index's BAT entry: state and FileOffsetMB × 1 MiB. */
int vhdx_payload_entry(vhdx *v, uint64_t block, unsigned *state, uint64_t *offset, de_err *e);

/* GUID bytes as Windows prints them, lowercase with braces. */
void vhdx_guid_str(const uint8_t g[VHDX_GUID_LEN], char out[VHDX_GUID_STR]);
/* "{…}" (braces optional, any case) to bytes; -1 when it is not a GUID. */
int vhdx_guid_parse(const char *s, uint8_t out[VHDX_GUID_LEN]);

/* CRC-32C (Castagnoli), as MS-VHDX checksums use it. */
uint32_t vhdx_crc32c(uint32_t crc, const void *p, size_t n);

#endif
