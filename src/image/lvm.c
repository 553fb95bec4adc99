/*
 * lvm.c — LVM2 logical volumes, read from the physical volumes' on-disk
 * labels and metadata (LVM2's "lvm2" format; no device-mapper involved).
 *
 * On a PV (little-endian):
 *  - the label, in one of sectors 0-3: "LABELONE" 0, sector_xl 8 (the
 *    label's own sector), crc_xl 16 (of bytes 20..511), offset_xl 20 (of
 *    the PV header, from the label sector), "LVM2 001" 24;
 *  - the PV header: pv_uuid[32], device_size_xl u64, then two lists of
 *    (offset u64, size u64) ended by a zero pair: data areas, then
 *    metadata areas (offsets in bytes from the PV's start);
 *  - each metadata area starts with a 512-byte mda_header: checksum_xl 0
 *    (of bytes 4..511), magic " LVM2 x[5A%r0N*>" 4, version 20 (1),
 *    start 24, size 32, then raw_locn entries (offset u64 from the area's
 *    start, size u64, checksum u32 of the text, flags u32). The first is
 *    the current metadata: a text (lvm_text.h) in a circular buffer — past
 *    the area's end it goes on right after the mda_header.
 * LVM's checksums are CRC-32 (reflected 0xEDB88320) from 0xf597a6cf with
 * no final inversion.
 *
 * In the text: the VG section holds extent_size (sectors), seqno,
 * physical_volumes { pvN { id, pe_start (sectors) … } } and
 * logical_volumes { LV { status [.. "VISIBLE"], segment_count, segmentK {
 * start_extent, extent_count, type "striped", stripe_count 1, stripes
 * ["pvN", first PV extent] } } }. Of several PVs' copies the highest seqno
 * wins. Linear LVs (segments of one stripe) are read; other segment types
 * (striped over several PVs, mirror, raid, thin, cache, snapshot) are
 * named with the reason and not read.
 */
#include "volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lvm_text.h"
#include "../util/bytes.h"
#include "../util/strvec.h"

#define LVM_MAGIC " LVM2 x[5A%r0N*>"
#define LVM_MAX_SEGS 4096
#define LVM_MAX_AREAS 8

typedef struct pv_found {
	bsrc *src;
	unsigned disk;
	uint64_t off;
	char uuid[33];
	lvmt_node *meta;          /* the parsed metadata text */
	const lvmt_node *vg;      /* its VG section */
	int64_t seqno;
} pv_found;

static uint32_t lvm_crc(const uint8_t *p, size_t n)
{
	return ~(uint32_t)crc32(~0xf597a6cfu & 0xffffffffu, p, (uInt)n);
}

/* The label and PV header of src: uuid and the metadata areas. */
static int read_label(bsrc *src, char uuid[33], uint64_t mda[][2], size_t *nmda, de_err *e)
{
	uint8_t b[2048] = {0};
	size_t have = src->size < sizeof b ? (size_t)src->size : sizeof b;
	if (bsrc_read(src, 0, b, have, e) < 0)
		return -1;
	for (unsigned s = 0; s < 4; s++) {
		const uint8_t *l = b + 512 * s;
		if (memcmp(l, "LABELONE", 8) != 0 || memcmp(l + 24, "LVM2 001", 8) != 0)
			continue;
		if (le64(l + 8) != s || lvm_crc(l + 20, 512 - 20) != le32(l + 16))
			return de_fail(e, "%s: LVM label in sector %u: bad sector number or checksum",
			               src->name, s);
		uint32_t off = le32(l + 20);
		if (off < 32 || off > 512 - 32 - 8 - 16)
			return de_fail(e, "%s: LVM label: PV header at %u", src->name, off);
		const uint8_t *h = l + off, *end = l + 512;
		memcpy(uuid, h, 32);
		uuid[32] = '\0';
		const uint8_t *p = h + 40;
		/* data areas, then metadata areas, each list ended by a zero pair */
		for (int list = 0; list < 2; list++) {
			for (size_t k = 0;; k++, p += 16) {
				if (p + 16 > end || k > LVM_MAX_AREAS)
					return de_fail(e, "%s: LVM PV header: area lists run past the label",
					               src->name);
				uint64_t o = le64(p), z = le64(p + 8);
				if (o == 0 && z == 0) {
					p += 16;
					break;
				}
				if (list == 1 && *nmda < 2) {
					mda[*nmda][0] = o;
					mda[(*nmda)++][1] = z;
				}
			}
		}
		return 0;
	}
	return de_fail(e, "%s: no LVM2 label in its first 4 sectors", src->name);
}

/* The current metadata text of the area at [off, off+size) of src. */
static char *read_mda(bsrc *src, uint64_t off, uint64_t size, size_t *len, de_err *e)
{
	uint8_t h[512];
	if (size < 1024 || bsrc_read(src, off, h, sizeof h, e) < 0)
		return de_fail(e, "%s: LVM metadata area at %llu: unreadable", src->name,
		               (unsigned long long)off), NULL;
	if (memcmp(h + 4, LVM_MAGIC, 16) != 0 || le32(h + 20) != 1)
		return de_fail(e, "%s: LVM metadata area at %llu: no mda header", src->name,
		               (unsigned long long)off), NULL;
	if (lvm_crc(h + 4, 512 - 4) != le32(h))
		return de_fail(e, "%s: LVM metadata area at %llu: header checksum mismatch", src->name,
		               (unsigned long long)off), NULL;
	uint64_t asize = le64(h + 32);
	if (le64(h + 24) != off || asize > size)
		return de_fail(e, "%s: LVM metadata area at %llu: header says start %llu size %llu",
		               src->name, (unsigned long long)off, (unsigned long long)le64(h + 24),
		               (unsigned long long)asize), NULL;
	uint64_t roff = le64(h + 40), rsize = le64(h + 48);
	uint32_t rcrc = le32(h + 56);
	if (rsize == 0)
		return de_fail(e, "%s: LVM metadata area at %llu holds no metadata", src->name,
		               (unsigned long long)off), NULL;
	if (roff < 512 || roff >= asize || rsize > LVMT_MAX_TEXT || rsize > asize - 512)
		return de_fail(e, "%s: LVM metadata text at %llu+%llu lies outside its area", src->name,
		               (unsigned long long)roff, (unsigned long long)rsize), NULL;
	char *text = xmalloc((size_t)rsize + 1);
	uint64_t first = rsize, wrap = 0;
	if (roff + rsize > asize) {   /* the circular buffer wraps after the header */
		first = asize - roff;
		wrap = rsize - first;
	}
	if (bsrc_read(src, off + roff, text, (size_t)first, e) < 0 ||
	    (wrap && bsrc_read(src, off + 512, text + first, (size_t)wrap, e) < 0)) {
		free(text);
		return NULL;
	}
	if (lvm_crc((const uint8_t *)text, (size_t)rsize) != rcrc) {
		free(text);
		return de_fail(e, "%s: LVM metadata text: checksum mismatch", src->name), NULL;
	}
	text[rsize] = '\0';
	*len = (size_t)rsize;
	return text;
}

/* The VG section of a parsed text: the one section holding physical_volumes. */
static const lvmt_node *vg_of(const lvmt_node *top)
{
	for (const lvmt_node *n = top->child; n; n = n->next)
		if (n->kind == LVMT_SECTION && lvmt_get(n, "physical_volumes"))
			return n;
	return NULL;
}

/* Reads one PV: label, then the first metadata area that parses. */
static int load_pv(pv_found *pv, de_err *e)
{
	uint64_t mda[2][2];
	size_t nmda = 0;
	if (read_label(pv->src, pv->uuid, mda, &nmda, e) < 0)
		return -1;
	if (nmda == 0)
		return de_fail(e, "%s: LVM PV %s has no metadata area", pv->src->name, pv->uuid);
	for (size_t i = 0; i < nmda; i++) {
		size_t len;
		char *text = read_mda(pv->src, mda[i][0], mda[i][1], &len, e);
		if (!text)
			continue;
		pv->meta = lvmt_parse(text, len, e);
		free(text);
		if (!pv->meta)
			continue;
		pv->vg = vg_of(pv->meta);
		if (pv->vg && lvmt_num(pv->vg, "seqno", &pv->seqno) == 0)
			return 0;
		lvmt_free(pv->meta);
		pv->meta = NULL;
		de_fail(e, "%s: LVM metadata without a volume group", pv->src->name);
	}
	return -1;
}

/* uuid without its dashes (metadata writes them, the label does not). */
static void undash(const char *in, char out[33])
{
	size_t n = 0;
	for (; *in && n < 32; in++)
		if (*in != '-')
			out[n++] = *in;
	out[n] = '\0';
}

static bool has_flag(const lvmt_node *lv, const char *flag)
{
	const lvmt_node *st = lvmt_get(lv, "status");
	if (!st || st->kind != LVMT_ARRAY)
		return false;
	for (const lvmt_node *f = st->child; f; f = f->next)
		if (f->kind == LVMT_STR && strcmp(f->str, flag) == 0)
			return true;
	return false;
}

/* The PV named pvname in the VG's physical_volumes, found among pvs. */
static pv_found *pv_by_name(const lvmt_node *vg, const char *pvname, pv_found *pvs, size_t n,
                            int64_t *pe_start)
{
	const lvmt_node *p = lvmt_get(lvmt_get(vg, "physical_volumes"), pvname);
	const char *id = lvmt_str(p, "id");
	char want[33];
	if (!id || lvmt_num(p, "pe_start", pe_start) < 0 || *pe_start < 0)
		return NULL;
	undash(id, want);
	for (size_t i = 0; i < n; i++)
		if (strcmp(pvs[i].uuid, want) == 0)
			return &pvs[i];
	return NULL;
}

static int mul_ok(int64_t a, int64_t b, uint64_t *out)
{
	return a >= 0 && b >= 0 && !__builtin_mul_overflow((uint64_t)a, (uint64_t)b, out);
}

/* One LV's extent map; fails with the reason it cannot be read. */
static int lv_extents(const lvmt_node *vg, const lvmt_node *lv, pv_found *pvs, size_t npvs,
                      bsrc_ext **out, size_t *nout, pv_found **first_pv, de_err *e)
{
	int64_t esize, nseg;
	if (lvmt_num(vg, "extent_size", &esize) < 0 || esize <= 0 || esize > (1LL << 40))
		return de_fail(e, "no extent_size");
	if (lvmt_num(lv, "segment_count", &nseg) < 0 || nseg <= 0 || nseg > LVM_MAX_SEGS)
		return de_fail(e, "segment_count missing or out of range");
	bsrc_ext *x = xcalloc((size_t)nseg, sizeof *x);
	int64_t *start = xcalloc((size_t)nseg, sizeof *start);
	for (int64_t i = 0; i < nseg; i++) {
		char key[32];
		snprintf(key, sizeof key, "segment%lld", (long long)i + 1);
		const lvmt_node *s = lvmt_get(lv, key);
		const char *type = lvmt_str(s, "type");
		int64_t se, ec, sc = 0, pe, pe_start;
		const lvmt_node *st = lvmt_get(s, "stripes");
		if (!s || !type || lvmt_num(s, "start_extent", &se) < 0 || lvmt_num(s, "extent_count", &ec) < 0) {
			de_fail(e, "%s incomplete", key);
			goto bad;
		}
		if (strcmp(type, "striped") != 0) {
			de_fail(e, "segment type %s: not read (linear LVs only)", type);
			goto bad;
		}
		if (lvmt_num(s, "stripe_count", &sc) < 0 || sc != 1) {
			de_fail(e, "striped over %lld PVs: not read (linear LVs only)", (long long)sc);
			goto bad;
		}
		if (!st || st->kind != LVMT_ARRAY || !st->child || st->child->kind != LVMT_STR ||
		    !st->child->next || st->child->next->kind != LVMT_NUM) {
			de_fail(e, "%s: stripes not [\"pvN\", extent]", key);
			goto bad;
		}
		pe = st->child->next->num;
		pv_found *pv = pv_by_name(vg, st->child->str, pvs, npvs, &pe_start);
		if (!pv) {
			de_fail(e, "its PV %s is not in the image", st->child->str);
			goto bad;
		}
		uint64_t l0, len, p0, pes;
		if (!mul_ok(se, esize * 512, &l0) || !mul_ok(ec, esize * 512, &len) ||
		    !mul_ok(pe, esize * 512, &p0) || !mul_ok(pe_start, 512, &pes) ||
		    __builtin_add_overflow(p0, pes, &p0) || len == 0) {
			de_fail(e, "%s: extents out of range", key);
			goto bad;
		}
		if (i == 0)
			*first_pv = pv;
		start[i] = se;
		x[i] = (bsrc_ext){l0, len, pv->src, p0};
	}
	/* in logical order (segment numbers normally are) */
	for (int64_t i = 1; i < nseg; i++)
		for (int64_t j = i; j > 0 && start[j - 1] > start[j]; j--) {
			bsrc_ext t = x[j]; x[j] = x[j - 1]; x[j - 1] = t;
			int64_t u = start[j]; start[j] = start[j - 1]; start[j - 1] = u;
		}
	free(start);
	*out = x;
	*nout = (size_t)nseg;
	return 0;
bad:
	free(x);
	free(start);
	return -1;
}

static void add_lvs(const lvmt_node *vg, pv_found *pvs, size_t npvs, vol_set *out)
{
	const lvmt_node *lvs = lvmt_get(vg, "logical_volumes");
	for (const lvmt_node *lv = lvs ? lvs->child : NULL; lv; lv = lv->next) {
		if (lv->kind != LVMT_SECTION || !has_flag(lv, "VISIBLE"))
			continue;   /* hidden LVs are the parts of others (thin pools, raid images) */
		char name[512], sname[1024];
		snprintf(name, sizeof name, "%s/%s", vg->key, lv->key);
		bsrc_ext *x = NULL;
		size_t n = 0;
		pv_found *pv = NULL;
		de_err e;
		bsrc *src = NULL;
		if (lv_extents(vg, lv, pvs, npvs, &x, &n, &pv, &e) == 0) {
			snprintf(sname, sizeof sname, "%s %s", pv->src->name, name);
			src = bsrc_map(x, n, sname, &e);
		}
		if (!src) {
			de_warn("LVM logical volume %s: %s", name, e.msg);
			vol *v = vol_add(out, name, "lvm", NULL);
			v->why = "not readable (see the warning)";
			free(x);
			continue;
		}
		vol_own(out, src);
		vol *v = vol_add(out, name, "lvm", src);
		v->disk = pv->disk;
		v->offset = pv->off + x[0].pstart;
		snprintf(v->type, sizeof v->type, "linear");
		free(x);
	}
}

int vol_lvm(bsrc **srcs, const unsigned *disk, const uint64_t *off, size_t n, vol_set *out, de_err *e)
{
	pv_found *pvs = xcalloc(n ? n : 1, sizeof *pvs);
	size_t npv = 0;
	for (size_t i = 0; i < n; i++) {
		pv_found *pv = &pvs[npv];
		*pv = (pv_found){.src = srcs[i], .disk = disk[i], .off = off[i]};
		de_err pe;
		if (load_pv(pv, &pe) < 0) {
			de_warn("%s", pe.msg);
			continue;
		}
		npv++;
	}
	/* each VG once: from the PV holding its highest seqno */
	for (size_t i = 0; i < npv; i++) {
		const char *id = lvmt_str(pvs[i].vg, "id");
		bool best = true;
		for (size_t j = 0; j < npv && best; j++) {
			const char *jd = lvmt_str(pvs[j].vg, "id");
			if (j == i || !id || !jd || strcmp(id, jd) != 0)
				continue;
			if (pvs[j].seqno > pvs[i].seqno || (pvs[j].seqno == pvs[i].seqno && j < i))
				best = false;
		}
		if (best)
			add_lvs(pvs[i].vg, pvs, npv, out);
	}
	for (size_t i = 0; i < n; i++)
		lvmt_free(pvs[i].meta);
	free(pvs);
	(void)e;
	return 0;
}
