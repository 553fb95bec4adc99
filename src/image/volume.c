/*
 * volume.c — see volume.h: the scan that chains the parsers (partition
 * table → partitions → LVM physical volumes → logical volumes) and tells
 * what each volume holds from its first bytes.
 */
#include "volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/bytes.h"
#include "../util/strvec.h"

void vol_own(vol_set *s, bsrc *src)
{
	if (s->nown == s->capown)
		s->own = xrealloc(s->own, (s->capown = s->capown ? s->capown * 2 : 16) * sizeof *s->own);
	s->own[s->nown++] = src;
}

vol *vol_add(vol_set *s, const char *name, const char *scheme, bsrc *src)
{
	if (s->n == s->cap)
		s->v = xrealloc(s->v, (s->cap = s->cap ? s->cap * 2 : 16) * sizeof *s->v);
	vol *v = &s->v[s->n++];
	memset(v, 0, sizeof *v);
	v->name = strdup(name);
	if (!v->name)
		abort();
	v->scheme = scheme;
	v->src = src;
	if (src)
		v->length = src->size;
	return v;
}

void vol_set_free(vol_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].label);
	}
	for (size_t i = s->nown; i-- > 0;)
		bsrc_close(s->own[i]);
	free(s->v);
	free(s->own);
	memset(s, 0, sizeof *s);
}

/* Bytes [off, off+len) of s, or zeros where s is shorter: sniffing a
 * small volume must not fail. Returns false when nothing could be read. */
static bool peek(bsrc *s, uint64_t off, uint8_t *buf, size_t len)
{
	memset(buf, 0, len);
	if (off >= s->size)
		return false;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	return bsrc_read(s, off, buf, len, NULL) == 0;
}

static bool is_pv_label(const uint8_t *sec)
{
	return memcmp(sec, "LABELONE", 8) == 0 && memcmp(sec + 24, "LVM2 001", 8) == 0;
}

const char *vol_sniff(bsrc *s)
{
	uint8_t b[2048];
	if (!peek(s, 0, b, sizeof b))
		return NULL;
	if (memcmp(b, "LUKS\xba\xbe", 6) == 0)
		return "luks";
	if (memcmp(b + 3, "-FVE-FS-", 8) == 0)
		return "bitlocker";
	for (int i = 0; i < 4; i++)   /* the PV label is in one of the first 4 sectors */
		if (is_pv_label(b + 512 * i))
			return "lvm2";
	if (le16(b + 1024 + 56) == 0xEF53)
		return "ext";
	if (memcmp(b, "XFSB", 4) == 0)
		return "xfs";
	if (memcmp(b + 3, "NTFS    ", 8) == 0)
		return "ntfs";
	if (memcmp(b + 3, "EXFAT   ", 8) == 0)
		return "exfat";
	if (memcmp(b + 82, "FAT32", 5) == 0 || memcmp(b + 54, "FAT1", 4) == 0 ||
	    memcmp(b + 54, "FAT ", 4) == 0)
		return "fat";
	if (memcmp(b + 512, "EFI PART", 8) == 0)
		return "gpt";
	uint8_t t[16];
	if (peek(s, 4096 - 10, t, 10) && (memcmp(t, "SWAPSPACE2", 10) == 0 || memcmp(t, "SWAP-SPACE", 10) == 0))
		return "swap";
	if (peek(s, 65536 + 64, t, 8) && memcmp(t, "_BHRfS_M", 8) == 0)
		return "btrfs";
	if (b[510] == 0x55 && b[511] == 0xAA)
		return "mbr";
	return NULL;
}

/* Sets what a volume holds, and why it cannot be read when encrypted. */
static void classify(vol *v)
{
	if (!v->src)
		return;
	v->content = vol_sniff(v->src);
	if (v->content && (strcmp(v->content, "luks") == 0 || strcmp(v->content, "bitlocker") == 0))
		v->why = "encrypted: decrypt it first";
}

/* A disk with no partition table: the whole disk is one volume. */
static void add_whole(bsrc *disk, unsigned k, vol_set *out)
{
	vol *v = vol_add(out, "disk", "none", disk);
	v->disk = k;
	classify(v);
}

int vol_scan(bsrc **disks, size_t ndisks, vol_set *out, de_err *e)
{
	memset(out, 0, sizeof *out);
	for (size_t k = 0; k < ndisks; k++) {
		uint8_t probe[16];
		if (!peek(disks[k], 0, probe, sizeof probe))
			return de_fail(e, "%s: cannot read its first sector", disks[k]->name);
		size_t before = out->n;
		const char *what = vol_sniff(disks[k]);
		if (what && strcmp(what, "gpt") == 0)
			vol_gpt(disks[k], (unsigned)k, out, NULL);
		else if (what && strcmp(what, "mbr") == 0)
			vol_mbr(disks[k], (unsigned)k, out, NULL);
		if (out->n == before)   /* no table, or a table that gave nothing */
			add_whole(disks[k], (unsigned)k, out);
	}
	/* LVM2: every PV found, wherever it lies, then the LVs over them. */
	size_t n = out->n, npv = 0;
	bsrc **pvs = xcalloc(n ? n : 1, sizeof *pvs);
	unsigned *pvd = xcalloc(n ? n : 1, sizeof *pvd);
	uint64_t *pvo = xcalloc(n ? n : 1, sizeof *pvo);
	for (size_t i = 0; i < n; i++) {
		vol *v = &out->v[i];
		if (!v->content && v->src)
			classify(v);
		if (v->content && strcmp(v->content, "lvm2") == 0) {
			pvs[npv] = v->src;
			pvd[npv] = v->disk;
			pvo[npv++] = v->offset;
		}
	}
	size_t first_lv = out->n;
	if (npv)
		vol_lvm(pvs, pvd, pvo, npv, out, NULL);
	for (size_t i = first_lv; i < out->n; i++)
		classify(&out->v[i]);
	free(pvs);
	free(pvd);
	free(pvo);
	return 0;
}
