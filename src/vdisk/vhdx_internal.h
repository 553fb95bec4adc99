/*
 * vhdx_internal.h — shared by vhdx.c (opening: headers, regions,
 * metadata) and vhdx_read.c (the BAT, reads through the chain).
 */
#ifndef DE_VHDX_INTERNAL_H
#define DE_VHDX_INTERNAL_H

#include "vhdx.h"

/* BAT entries read at once (one 4 KiB page of them). */
#define VHDX_BAT_PAGE 512

struct vhdx {
	char *name;
	int fd;                    /* -1 when reading from mem */
	const uint8_t *mem;
	vhdx_info info;
	vhdx *parent;
	/* a page of the BAT */
	uint64_t bat_page;
	bool bat_valid;
	uint64_t bat_buf[VHDX_BAT_PAGE];
	/* the sector bitmap of one payload block (PARTIALLY_PRESENT) */
	uint64_t sb_block;
	bool sb_valid;
	uint8_t *sb_buf;
	size_t sb_len;
};

/* len bytes of the file at off; "what" names the structure in the error
 * (a read past the end says the file is truncated). */
int vhdx_pread(vhdx *v, uint64_t off, void *buf, size_t len, const char *what, de_err *e);

static inline uint16_t vhdx_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t vhdx_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t vhdx_le64(const uint8_t *p)
{
	return (uint64_t)vhdx_le32(p) | (uint64_t)vhdx_le32(p + 4) << 32;
}

#endif
