/*
 * gpt.c — the GUID partition table (UEFI spec, "GPT disk layout").
 *
 * The header is at LBA 1 (logical sectors of 512 or 4096 bytes: both are
 * tried), a backup at the disk's last LBA. Header (little-endian):
 * "EFI PART" 0, revision 8, header_size 12 (92..sector), header_crc32 16
 * (CRC32 of header_size bytes with this field zeroed), my_lba 24,
 * alternate_lba 32, first_usable 40, last_usable 48, disk_guid 56,
 * entries_lba 72, num_entries 80, entry_size 84 (128 × 2^n),
 * entries_crc32 88 (CRC32 of num_entries × entry_size bytes). An entry:
 * type GUID 0 (all zero: unused), unique GUID 16, first_lba 32, last_lba
 * 40 (inclusive), attributes 48, name 56 (36 UTF-16LE code units).
 *
 * A header or entry array whose CRC does not match is not trusted: the
 * backup is read instead (with a warning), and when neither holds, the
 * disk is given as having no table (a warning names both failures).
 */
#include "volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

#define GPT_MAX_ENTRIES 1024u
#define GPT_MAX_ENTRY   4096u

typedef struct gpt_hdr {
	uint64_t my_lba, alt_lba, entries_lba;
	uint32_t num, esize, ecrc;
} gpt_hdr;

/* Reads and checks the header at lba; 0 when it is a valid GPT header. */
static int read_hdr(bsrc *disk, unsigned ss, uint64_t lba, gpt_hdr *h, char *why, size_t wl)
{
	uint8_t sec[4096];
	if (lba > disk->size / ss - 1 || bsrc_read(disk, lba * ss, sec, ss, NULL) < 0)
		return snprintf(why, wl, "no sector %llu", (unsigned long long)lba), -1;
	if (memcmp(sec, "EFI PART", 8) != 0)
		return snprintf(why, wl, "no \"EFI PART\" at sector %llu", (unsigned long long)lba), -1;
	uint32_t hsize = le32(sec + 12), crc = le32(sec + 16);
	if (hsize < 92 || hsize > ss)
		return snprintf(why, wl, "header size %u", hsize), -1;
	put_le32(sec + 16, 0);
	if ((uint32_t)crc32(0, sec, hsize) != crc)
		return snprintf(why, wl, "header CRC mismatch at sector %llu", (unsigned long long)lba), -1;
	*h = (gpt_hdr){le64(sec + 24), le64(sec + 32), le64(sec + 72), le32(sec + 80), le32(sec + 84),
	               le32(sec + 88)};
	if (h->my_lba != lba)
		return snprintf(why, wl, "header at sector %llu says it is at %llu",
		                (unsigned long long)lba, (unsigned long long)h->my_lba), -1;
	if (h->num == 0 || h->num > GPT_MAX_ENTRIES || h->esize < 128 || h->esize > GPT_MAX_ENTRY ||
	    (h->esize & (h->esize - 1)))
		return snprintf(why, wl, "%u entries of %u bytes", h->num, h->esize), -1;
	return 0;
}

/* The entry array of h, checked against its CRC; NULL (why set) if bad. */
static uint8_t *read_entries(bsrc *disk, unsigned ss, const gpt_hdr *h, char *why, size_t wl)
{
	size_t len = (size_t)h->num * h->esize;
	uint64_t off = h->entries_lba * ss;
	if (off / ss != h->entries_lba || off > disk->size || len > disk->size - off) {
		snprintf(why, wl, "entries at sector %llu lie outside the disk",
		         (unsigned long long)h->entries_lba);
		return NULL;
	}
	uint8_t *buf = xmalloc(len);
	if (bsrc_read(disk, off, buf, len, NULL) < 0 || (uint32_t)crc32(0, buf, (uInt)len) != h->ecrc) {
		snprintf(why, wl, "entries CRC mismatch");
		free(buf);
		return NULL;
	}
	return buf;
}

/* A GUID as text: the first three fields are little-endian on disk. */
static void guid_text(const uint8_t *g, char *out, size_t len)
{
	snprintf(out, len, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", le32(g), le16(g + 4),
	         le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* The partition name: UTF-16LE (36 units, NUL-ended) as UTF-8; an
 * unpaired surrogate becomes U+FFFD. */
static char *name_utf8(const uint8_t *p, size_t units)
{
	dbuf b = {0};
	for (size_t i = 0; i < units; i++) {
		uint32_t c = le16(p + 2 * i);
		if (c == 0)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < units) {
			uint32_t lo = le16(p + 2 * i + 2);
			if (lo >= 0xDC00 && lo < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else
				c = 0xFFFD;
		} else if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		char u[4];
		size_t n;
		if (c < 0x80)
			u[0] = (char)c, n = 1;
		else if (c < 0x800)
			u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), n = 2;
		else if (c < 0x10000)
			u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
			u[2] = (char)(0x80 | (c & 0x3F)), n = 3;
		else
			u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
			u[2] = (char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F)), n = 4;
		db_add(&b, u, n);
	}
	db_add(&b, "", 0);
	return db_take(&b);
}

static void add_entries(bsrc *disk, unsigned k, unsigned ss, const gpt_hdr *h, const uint8_t *ents,
                        vol_set *out)
{
	static const uint8_t zero[16];
	for (uint32_t i = 0; i < h->num; i++) {
		const uint8_t *p = ents + (size_t)i * h->esize;
		if (memcmp(p, zero, 16) == 0)
			continue;
		uint64_t first = le64(p + 32), last = le64(p + 40);
		uint64_t off = first * ss, len = (last - first + 1) * ss;
		if (last < first || off / ss != first || last - first + 1 > disk->size / ss ||
		    off > disk->size || len > disk->size - off) {
			de_warn("%s: GPT partition %u (sectors %llu-%llu) lies outside the disk: not read",
			        disk->name, i + 1, (unsigned long long)first, (unsigned long long)last);
			continue;
		}
		char name[32], sname[512];
		snprintf(name, sizeof name, "p%u", i + 1);
		snprintf(sname, sizeof sname, "%s %s", disk->name, name);
		bsrc *src = bsrc_slice(disk, off, len, sname, NULL);
		if (!src)
			continue;
		vol_own(out, src);
		vol *v = vol_add(out, name, "gpt", src);
		v->number = i + 1;
		v->disk = k;
		v->offset = off;
		guid_text(p, v->type, sizeof v->type);
		v->label = name_utf8(p + 56, 36);
	}
}

/* The table with logical sectors of ss bytes; 0 when one was read. */
static int gpt_with(bsrc *disk, unsigned k, unsigned ss, vol_set *out, char *why, size_t wl)
{
	gpt_hdr h;
	char w1[160] = "", w2[160] = "";
	uint8_t *ents = NULL;
	if (read_hdr(disk, ss, 1, &h, w1, sizeof w1) == 0)
		ents = read_entries(disk, ss, &h, w1, sizeof w1);
	if (!ents) {
		/* the backup: where the primary says, else the last sector */
		uint64_t alt = disk->size / ss - 1;
		gpt_hdr b;
		if (read_hdr(disk, ss, alt, &b, w2, sizeof w2) == 0 &&
		    (ents = read_entries(disk, ss, &b, w2, sizeof w2)) != NULL) {
			de_warn("%s: primary GPT damaged (%s): the backup GPT is read", disk->name, w1);
			h = b;
		}
	}
	if (!ents) {
		snprintf(why, wl, "primary: %s; backup: %s", w1, w2);
		return -1;
	}
	add_entries(disk, k, ss, &h, ents, out);
	free(ents);
	return 0;
}

int vol_gpt(bsrc *disk, unsigned k, vol_set *out, de_err *e)
{
	char why512[400], why4k[400];
	if (gpt_with(disk, k, 512, out, why512, sizeof why512) == 0)
		return 0;
	if (gpt_with(disk, k, 4096, out, why4k, sizeof why4k) == 0)
		return 0;
	de_warn("%s: no valid GPT (%s): partitions not read", disk->name, why512);
	return de_fail(e, "%s: no valid GPT", disk->name);
}
