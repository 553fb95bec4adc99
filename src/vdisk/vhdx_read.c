/*
 * vhdx_read.c — the BAT and the virtual disk's bytes through a chain of
 * differencing disks (MS-VHDX 2.4, 2.5). See vhdx.h for the read rules.
 *
 * BAT layout (2.5): payload entries and sector bitmap entries interleave,
 * one sector bitmap entry after every chunk-ratio payload entries: payload
 * block b is entry b + floor(b / ratio), the bitmap of chunk c is entry
 * (c + 1) × ratio + c. An entry is {State: bits 0–2, Reserved: 3–19,
 * FileOffsetMB: 20–63}. A sector bitmap block holds one bit per logical
 * sector of its chunk, bit 0 of byte 0 first; 1 = in this file.
 */
#include "vhdx_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../util/strvec.h"

static int bat_entry(vhdx *v, uint64_t idx, uint64_t *entry, de_err *e)
{
	if (idx >= v->info.bat_entries)
		return de_fail(e, "%s: BAT entry %llu is beyond the table's %llu entries", v->name,
		               (unsigned long long)idx, (unsigned long long)v->info.bat_entries);
	uint64_t page = idx / VHDX_BAT_PAGE;
	if (!v->bat_valid || v->bat_page != page) {
		uint8_t raw[VHDX_BAT_PAGE * 8];
		/* the region is a multiple of 1 MiB inside the file: a page fits */
		if (vhdx_pread(v, v->info.bat_offset + page * sizeof raw, raw, sizeof raw, "the BAT",
		               e) < 0)
			return -1;
		for (size_t i = 0; i < VHDX_BAT_PAGE; i++)
			v->bat_buf[i] = vhdx_le64(raw + i * 8);
		v->bat_page = page;
		v->bat_valid = true;
	}
	*entry = v->bat_buf[idx % VHDX_BAT_PAGE];
	return 0;
}

/* FileOffsetMB × 1 MiB; a block there must lie after the header section. */
static int entry_offset(vhdx *v, uint64_t entry, const char *what, uint64_t idx, uint64_t *off,
                        de_err *e)
{
	*off = (entry >> 20) * VHDX_MB;
	if (*off && *off < VHDX_MB)
		return de_fail(e, "%s: BAT entry %llu (%s): FileOffsetMB points into the header "
		               "section", v->name, (unsigned long long)idx, what);
	return 0;
}

int vhdx_payload_entry(vhdx *v, uint64_t block, unsigned *state, uint64_t *offset, de_err *e)
{
	if (block >= v->info.payload_blocks)
		return de_fail(e, "%s: payload block %llu is beyond the disk's %llu blocks", v->name,
		               (unsigned long long)block, (unsigned long long)v->info.payload_blocks);
	uint64_t idx = block + block / v->info.chunk_ratio, ent;
	if (bat_entry(v, idx, &ent, e) < 0)
		return -1;
	*state = (unsigned)(ent & 7);
	return entry_offset(v, ent, "payload block", idx, offset, e);
}

/* The sector bitmap bits of one payload block, into v->sb_buf. */
static int load_bitmap(vhdx *v, uint64_t block, de_err *e)
{
	if (v->sb_valid && v->sb_block == block)
		return 0;
	uint32_t ratio = v->info.chunk_ratio;
	uint64_t chunk = block / ratio, idx = (chunk + 1) * ratio + chunk, ent, off;
	if (bat_entry(v, idx, &ent, e) < 0 || entry_offset(v, ent, "sector bitmap", idx, &off, e) < 0)
		return -1;
	if ((ent & 7) != VHDX_SB_PRESENT || !off)
		return de_fail(e, "%s: payload block %llu is PARTIALLY_PRESENT but the sector bitmap "
		               "of its chunk (BAT entry %llu) is in state %u at offset %llu, not "
		               "SB_BLOCK_PRESENT (2.5.1.2)", v->name, (unsigned long long)block,
		               (unsigned long long)idx, (unsigned)(ent & 7), (unsigned long long)off);
	size_t bytes = v->info.block_size / v->info.logical_sector / 8;
	if (!v->sb_buf)
		v->sb_buf = xmalloc(bytes);
	v->sb_len = bytes;
	uint64_t at = off + (block % ratio) * bytes;
	v->sb_valid = false;
	if (vhdx_pread(v, at, v->sb_buf, bytes, "a sector bitmap block", e) < 0)
		return -1;
	v->sb_block = block;
	v->sb_valid = true;
	return 0;
}

static int read_parent(vhdx *v, uint64_t off, uint8_t *buf, size_t len, de_err *e)
{
	vhdx *p = v->parent;
	if (!p)
		return de_fail(e, "%s is a differencing disk and its parent is not attached: the "
		               "sectors it does not hold cannot be read", v->name);
	uint64_t psize = p->info.virtual_size;
	size_t in = off >= psize ? 0 : (size_t)(psize - off < len ? psize - off : len);
	/* a parent smaller than its child: the rest reads as zeros */
	memset(buf + in, 0, len - in);
	return in ? vhdx_read(p, off, buf, in, e) : 0;
}

static int read_own(vhdx *v, uint64_t file_off, uint8_t *buf, size_t len, de_err *e)
{
	return vhdx_pread(v, file_off, buf, len, "a payload block", e);
}

/* Sectors of a PARTIALLY_PRESENT block, in runs of equal bitmap bits. */
static int read_partial(vhdx *v, uint64_t block, uint64_t boff, uint64_t in, uint8_t *buf,
                        size_t len, de_err *e)
{
	if (!v->info.has_parent)
		return de_fail(e, "%s: payload block %llu is PARTIALLY_PRESENT in a disk with no "
		               "parent (2.5.1.1 allows it in differencing disks only)", v->name,
		               (unsigned long long)block);
	if (load_bitmap(v, block, e) < 0)
		return -1;
	uint32_t ss = v->info.logical_sector;
	uint64_t base = block * v->info.block_size;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = in + done, sec = pos / ss;
		bool mine = v->sb_buf[sec / 8] >> (sec % 8) & 1;
		uint64_t end = (sec + 1) * ss;
		while (end < in + len && ((v->sb_buf[(end / ss) / 8] >> ((end / ss) % 8)) & 1) == mine)
			end += ss;
		size_t n = (size_t)((end < in + len ? end : in + len) - pos);
		int r = mine ? read_own(v, boff + pos, buf + done, n, e)
		             : read_parent(v, base + pos, buf + done, n, e);
		if (r < 0)
			return -1;
		done += n;
	}
	return 0;
}

/* len bytes at offset in of payload block `block` (not crossing it). */
static int read_piece(vhdx *v, uint64_t block, uint64_t in, uint8_t *buf, size_t len, de_err *e)
{
	unsigned st;
	uint64_t boff;
	if (vhdx_payload_entry(v, block, &st, &boff, e) < 0)
		return -1;
	uint64_t voff = block * v->info.block_size + in;
	switch (st) {
	case VHDX_PB_NOT_PRESENT:
		/* FileOffsetMB is reserved in this state (2.5.1.1) */
		if (v->info.has_parent)
			return read_parent(v, voff, buf, len, e);
		memset(buf, 0, len);
		return 0;
	case VHDX_PB_UNDEFINED:
	case VHDX_PB_UNMAPPED:
		if (boff)
			return read_own(v, boff + in, buf, len, e);
		memset(buf, 0, len);
		return 0;
	case VHDX_PB_ZERO:
		memset(buf, 0, len);
		return 0;
	case VHDX_PB_FULLY_PRESENT:
		if (!boff)
			return de_fail(e, "%s: payload block %llu is FULLY_PRESENT at FileOffsetMB 0",
			               v->name, (unsigned long long)block);
		return read_own(v, boff + in, buf, len, e);
	case VHDX_PB_PARTIALLY_PRESENT:
		if (!boff)
			return de_fail(e, "%s: payload block %llu is PARTIALLY_PRESENT at FileOffsetMB 0",
			               v->name, (unsigned long long)block);
		return read_partial(v, block, boff, in, buf, len, e);
	default:
		return de_fail(e, "%s: payload block %llu: BAT state %u is reserved (2.5.1.1)",
		               v->name, (unsigned long long)block, st);
	}
}

int vhdx_read(vhdx *v, uint64_t off, void *buf, size_t len, de_err *e)
{
	if (off > v->info.virtual_size || len > v->info.virtual_size - off)
		return de_fail(e, "%s: read of %zu bytes at %llu is outside the %llu-byte disk",
		               v->name, len, (unsigned long long)off,
		               (unsigned long long)v->info.virtual_size);
	uint8_t *p = buf;
	uint32_t bs = v->info.block_size;
	while (len) {
		uint64_t block = off / bs, in = off % bs;
		size_t n = bs - in < len ? (size_t)(bs - in) : len;
		if (read_piece(v, block, in, p, n, e) < 0)
			return -1;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

int vhdx_range_zero(vhdx *v, uint64_t off, uint64_t len, bool *zero, de_err *e)
{
	*zero = false;
	if (off > v->info.virtual_size || len > v->info.virtual_size - off)
		return de_fail(e, "%s: range of %llu bytes at %llu is outside the disk", v->name,
		               (unsigned long long)len, (unsigned long long)off);
	uint32_t bs = v->info.block_size;
	while (len) {
		uint64_t block = off / bs, in = off % bs, n = bs - in < len ? bs - in : len;
		unsigned st;
		uint64_t boff;
		if (vhdx_payload_entry(v, block, &st, &boff, e) < 0)
			return -1;
		bool z = st == VHDX_PB_ZERO ||
		         (!boff && (st == VHDX_PB_UNDEFINED || st == VHDX_PB_UNMAPPED)) ||
		         (st == VHDX_PB_NOT_PRESENT && !v->info.has_parent);
		if (!z && st == VHDX_PB_NOT_PRESENT && v->parent) {
			vhdx *p = v->parent;
			uint64_t ps = p->info.virtual_size;
			if (off >= ps)
				z = true;
			else if (vhdx_range_zero(p, off, ps - off < n ? ps - off : n, &z, e) < 0)
				return -1;
			if (z && off + n > ps)
				z = true;   /* past the parent's end: zeros */
		}
		if (!z)
			return 0;
		off += n;
		len -= n;
	}
	*zero = true;
	return 0;
}

static size_t chain_depth(const vhdx *v)
{
	size_t n = 0;
	for (; v; v = v->parent)
		n++;
	return n;
}

int vhdx_attach_parent(vhdx *child, vhdx *parent, de_err *e)
{
	int rc = -1;
	const vhdx_info *c = &child->info, *p = &parent->info;
	uint8_t l1[16], l2[16];
	char dw[VHDX_GUID_STR];
	vhdx_guid_str(p->data_write_guid, dw);
	if (!c->has_parent)
		de_fail(e, "%s is not a differencing disk (HasParent is 0): it has no parent",
		        child->name);
	else if (child->parent || parent == child)
		de_fail(e, "%s: a parent is already attached", child->name);
	else if (chain_depth(parent) + 1 > VHDX_MAX_CHAIN)
		de_fail(e, "%s: the chain of parents is longer than %d disks", child->name,
		        VHDX_MAX_CHAIN);
	else if (vhdx_guid_parse(c->parent_linkage, l1) < 0)
		de_fail(e, "%s: parent_linkage is not a GUID", child->name);
	else if (memcmp(l1, p->data_write_guid, 16) != 0 &&
	         !(c->parent_linkage2 && vhdx_guid_parse(c->parent_linkage2, l2) == 0 &&
	           !memcmp(l2, p->data_write_guid, 16)))
		de_fail(e, "%s is not the parent of %s: its DataWriteGuid is %s, and the child's "
		        "parent locator names parent_linkage %s%s%s (MS-VHDX 2.6.2.6.3; the parent "
		        "was written to after the child was made, or it is another disk)",
		        parent->name, child->name, dw, c->parent_linkage,
		        c->parent_linkage2 ? ", parent_linkage2 " : "",
		        c->parent_linkage2 ? c->parent_linkage2 : "");
	else if (p->logical_sector != c->logical_sector)
		de_fail(e, "%s: logical sector size %u, its parent %s has %u: they must be the same "
		        "(2.6.2.4)", child->name, c->logical_sector, parent->name, p->logical_sector);
	else
		rc = 0;
	if (rc < 0) {
		vhdx_close(parent);
		return -1;
	}
	child->parent = parent;
	return 0;
}
