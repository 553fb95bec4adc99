/*
 * mbr.c — the DOS/MBR partition table: four 16-byte entries at byte 446 of
 * sector 0, signature 0x55 0xAA at 510. An entry: status (0x00, or 0x80
 * bootable), CHS start, type, CHS end, LBA start (le32), sector count
 * (le32); CHS fields are ignored (LBA is what Linux uses). Types 0x05,
 * 0x0F and 0x85 are extended partitions: a chain of EBRs, each a sector
 * whose first entry is a logical partition (relative to that EBR) and
 * whose second entry, if extended, points at the next EBR (relative to
 * the start of the extended partition). Logical partitions are numbered
 * from 5 in chain order, as Linux does. Type 0xEE is GPT's protective
 * entry: the disk is read as GPT instead (volume.c decides).
 */
#include "volume.h"

#include <stdio.h>
#include <string.h>

#include "../util/bytes.h"

#define EBR_MAX 128   /* logical partitions followed in one chain */

typedef struct mbr_ent {
	uint8_t status, type;
	uint32_t lba, count;
} mbr_ent;

static mbr_ent ent_at(const uint8_t *sec, int i)
{
	const uint8_t *p = sec + 446 + 16 * i;
	return (mbr_ent){p[0], p[4], le32(p + 8), le32(p + 12)};
}

static bool is_extended(uint8_t t)
{
	return t == 0x05 || t == 0x0F || t == 0x85;
}

/* Adds partition number num at sector lba, count sectors, when it lies
 * inside the disk (else a warning: the table is damaged or hostile). */
static vol *add_part(bsrc *disk, unsigned k, vol_set *out, unsigned num, uint8_t type,
                     uint64_t lba, uint64_t count, unsigned ss)
{
	char name[32];
	snprintf(name, sizeof name, "p%u", num);
	uint64_t off = lba * ss, len = count * ss;
	if (lba == 0 || count == 0 || off / ss != lba || len / ss != count ||
	    off > disk->size || len > disk->size - off) {
		de_warn("%s: MBR partition %u (type 0x%02x, sectors %llu+%llu) lies outside the "
		        "disk (%llu bytes): not read", disk->name, num, type,
		        (unsigned long long)lba, (unsigned long long)count,
		        (unsigned long long)disk->size);
		return NULL;
	}
	char sname[512];
	snprintf(sname, sizeof sname, "%s %s", disk->name, name);
	bsrc *src = bsrc_slice(disk, off, len, sname, NULL);
	if (!src)
		return NULL;
	vol_own(out, src);
	vol *v = vol_add(out, name, "mbr", src);
	v->number = num;
	v->disk = k;
	v->offset = off;
	snprintf(v->type, sizeof v->type, "0x%02x", type);
	return v;
}

/* Follows the EBR chain of the extended partition at sector ext, size
 * ext_count. Numbers logical partitions from 5. */
static void logicals(bsrc *disk, unsigned k, vol_set *out, uint64_t ext, uint64_t ext_count,
                     unsigned ss)
{
	uint64_t seen[EBR_MAX];
	uint64_t ebr = ext;
	unsigned num = 5;
	for (size_t hop = 0;; hop++) {
		if (hop == EBR_MAX) {
			de_warn("%s: more than %d logical partitions: the rest not read", disk->name, EBR_MAX);
			return;
		}
		for (size_t i = 0; i < hop; i++)
			if (seen[i] == ebr) {
				de_warn("%s: the EBR chain loops back to sector %llu: not followed further",
				        disk->name, (unsigned long long)ebr);
				return;
			}
		seen[hop] = ebr;
		uint8_t sec[512];
		if (ebr * ss / ss != ebr || bsrc_read(disk, ebr * ss, sec, sizeof sec, NULL) < 0 ||
		    sec[510] != 0x55 || sec[511] != 0xAA) {
			de_warn("%s: no valid EBR at sector %llu: its logical partitions not read",
			        disk->name, (unsigned long long)ebr);
			return;
		}
		mbr_ent l = ent_at(sec, 0), next = ent_at(sec, 1);
		if (l.type != 0 && l.count != 0)
			add_part(disk, k, out, num++, l.type, ebr + l.lba, l.count, ss);
		if (!is_extended(next.type) || next.count == 0)
			return;
		if (next.lba >= ext_count) {
			de_warn("%s: an EBR points past its extended partition: the chain ends there",
			        disk->name);
			return;
		}
		ebr = ext + next.lba;
	}
}

int vol_mbr(bsrc *disk, unsigned k, vol_set *out, de_err *e)
{
	uint8_t sec[512];
	unsigned ss = 512;   /* LBAs count logical sectors; 512 for the images here */
	if (bsrc_read(disk, 0, sec, sizeof sec, e) < 0)
		return -1;
	if (sec[510] != 0x55 || sec[511] != 0xAA)
		return de_fail(e, "%s: no MBR signature", disk->name);
	mbr_ent p[4];
	for (int i = 0; i < 4; i++) {
		p[i] = ent_at(sec, i);
		if (p[i].type == 0xEE)   /* GPT's protective entry */
			return vol_gpt(disk, k, out, e);
		if (p[i].type && p[i].status != 0 && p[i].status != 0x80)
			return de_fail(e, "%s: sector 0 is not an MBR (entry %d status 0x%02x)",
			               disk->name, i + 1, p[i].status);
	}
	for (int i = 0; i < 4; i++) {
		if (p[i].type == 0 || p[i].count == 0)
			continue;
		if (is_extended(p[i].type)) {
			vol *v = add_part(disk, k, out, (unsigned)i + 1, p[i].type, p[i].lba, p[i].count, ss);
			if (v) {
				/* the container is no volume of its own */
				v->src = NULL;
				v->content = "extended";
				v->why = "an extended partition: it holds the logical ones";
				logicals(disk, k, out, p[i].lba, p[i].count, ss);
			}
			continue;
		}
		add_part(disk, k, out, (unsigned)i + 1, p[i].type, p[i].lba, p[i].count, ss);
	}
	return 0;
}
