/* Fuzz target: the VHDX reader (vdisk/vhdx.c, vhdx_read.c). A VHDX file is
 * at least 2 MiB (its header section alone is 1 MiB), more than a fuzz
 * input should be, so an input describes the file as patches over zeros:
 *   byte 0      mode: bit 0 recomputes the CRC-32C of both headers and both
 *               region tables after patching (to get past the checksums),
 *               bit 1 ends the file after the last patch (truncation), else
 *               it is FILE_LEN long
 *   then        records {offset u32 LE (mod FILE_LEN), length u16 LE, bytes}
 * The image is opened, read at spread offsets, asked which ranges are zero,
 * and, when it is differencing, given itself as parent (the linkage check
 * refuses it unless the input made the GUIDs agree). Seeds: tests/fuzz/
 * seed.sh makes them from VHDX files of qemu-img and vhdx_writer.py. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vdisk/vhdx.h"

#define FILE_LEN (8u << 20)
#define MAX_TOUCH 4096

static uint8_t img[FILE_LEN];
static struct { uint32_t off, len; } touched[MAX_TOUCH];
static size_t ntouched;
static bool dirty_all;

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void fix_crc(size_t off, size_t len)
{
	memset(img + off + 4, 0, 4);
	uint32_t c = vhdx_crc32c(0, img + off, len);
	for (int i = 0; i < 4; i++)
		img[off + 4 + i] = (uint8_t)(c >> (8 * i));
}

static void reset(void)
{
	if (dirty_all)
		memset(img, 0, sizeof img);
	else
		for (size_t i = 0; i < ntouched; i++)
			memset(img + touched[i].off, 0, touched[i].len);
	ntouched = 0;
	dirty_all = false;
}

static void touch(uint32_t off, uint32_t len)
{
	if (ntouched < MAX_TOUCH) {
		touched[ntouched].off = off;
		touched[ntouched++].len = len;
	} else {
		dirty_all = true;
	}
}

static void exercise(vhdx *v)
{
	const vhdx_info *in = vhdx_get_info(v);
	static uint8_t buf[64 * 1024];
	de_err e;
	for (uint64_t k = 0; k < 8; k++) {
		uint64_t off = in->virtual_size / 8 * k;
		off -= off % in->logical_sector;
		uint64_t n = in->virtual_size - off < sizeof buf ? in->virtual_size - off : sizeof buf;
		vhdx_read(v, off, buf, (size_t)n, &e);
	}
	bool z;
	uint64_t span = in->virtual_size < (64u << 20) ? in->virtual_size : (64u << 20);
	vhdx_range_zero(v, 0, span, &z, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	reset();
	uint8_t mode = data[0];
	const uint8_t *p = data + 1;
	size_t n = size - 1, end = 0;
	while (n >= 6) {
		uint32_t off = le32(p) % FILE_LEN, len = (uint32_t)(p[4] | p[5] << 8);
		p += 6;
		n -= 6;
		if (len > n)
			len = (uint32_t)n;
		if (len > FILE_LEN - off)
			len = FILE_LEN - off;
		memcpy(img + off, p, len);
		touch(off, len);
		p += len;
		n -= len;
		if (off + len > end)
			end = off + len;
	}
	if (mode & 1) {
		fix_crc(64 * 1024, 4096);
		fix_crc(128 * 1024, 4096);
		fix_crc(192 * 1024, 64 * 1024);
		fix_crc(256 * 1024, 64 * 1024);
		touch(64 * 1024, 4096);
		touch(128 * 1024, 4096);
		touch(192 * 1024, 128 * 1024);
	}
	size_t len = mode & 2 ? end : FILE_LEN;
	vhdx *v, *parent;
	de_err e;
	if (vhdx_open_mem(&v, img, len, "fuzz.vhdx", &e) == 0) {
		exercise(v);
		if (vhdx_get_info(v)->has_parent && vhdx_open_mem(&parent, img, len, "parent.vhdx", &e) == 0 &&
		    vhdx_attach_parent(v, parent, &e) == 0)
			exercise(v);
		vhdx_close(v);
	}
	de_omissions_reset();
	return 0;
}
