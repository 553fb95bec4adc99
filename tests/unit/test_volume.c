/* Unit tests: image/volume, mbr, gpt, lvm, lvm_text — on CONSTRUCTED
 * tables written here after the formats (the real tools' tables are read
 * end to end in tests/e2e/t_fsimage.sh, against sfdisk and lvs): what
 * the tools never write — loops, entries past the disk, bad checksums,
 * an LV larger than its PV, hostile metadata text — and the encrypted
 * volumes no tool here makes (BitLocker). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "image/lvm_text.h"
#include "image/volume.h"
#include "util/bytes.h"

#define SEC 512u
#define MiB (1024u * 1024u)

static void put64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static void mbr_entry(uint8_t *sec, int i, uint8_t type, uint32_t lba, uint32_t count)
{
	uint8_t *p = sec + 446 + 16 * i;
	p[0] = 0;
	p[4] = type;
	put_le32(p + 8, lba);
	put_le32(p + 12, count);
	sec[510] = 0x55;
	sec[511] = 0xAA;
}

static vol *find(vol_set *vs, const char *name)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(vs->v[i].name, name) == 0)
			return &vs->v[i];
	return NULL;
}

static void scan(uint8_t *disk, size_t size, vol_set *vs)
{
	bsrc *s = bsrc_mem(disk, size, "disk");
	de_err e;
	assert_int_equal(vol_scan(&s, 1, vs, &e), 0);
	vol_own(vs, s);   /* closed with the set */
}

static void test_mbr_logical(void **state)
{
	(void)state;
	size_t size = 64 * MiB;
	uint8_t *d = calloc(1, size);
	mbr_entry(d, 0, 0x83, 2048, 8192);
	mbr_entry(d, 1, 0x05, 20480, 40960);           /* extended */
	uint8_t *ebr1 = d + 20480u * SEC, *ebr2 = d + 30720u * SEC;
	mbr_entry(ebr1, 0, 0x83, 2048, 4096);           /* p5, relative to its EBR */
	mbr_entry(ebr1, 1, 0x05, 10240, 8192);          /* next EBR, relative to the extended */
	mbr_entry(ebr2, 0, 0x8e, 2048, 2048);           /* p6 */
	memcpy(d + (30720u + 2048u) * SEC + 1024 + 56, "\x53\xef", 2);   /* an ext super block magic */
	memcpy(d + (22528u) * SEC, "LUKS\xba\xbe", 6);                    /* p5 is LUKS */
	vol_set vs;
	scan(d, size, &vs);
	assert_non_null(find(&vs, "p1"));
	assert_int_equal(find(&vs, "p1")->offset, 2048u * SEC);
	vol *ext = find(&vs, "p2");
	assert_non_null(ext);
	assert_null(ext->src);                          /* the container: no volume of its own */
	vol *p5 = find(&vs, "p5"), *p6 = find(&vs, "p6");
	assert_non_null(p5);
	assert_non_null(p6);
	assert_int_equal(p5->offset, (20480u + 2048u) * SEC);
	assert_int_equal(p5->length, 4096u * SEC);
	assert_string_equal(p5->content, "luks");
	assert_string_equal(p5->why, "encrypted: decrypt it first");
	assert_int_equal(p6->offset, (30720u + 2048u) * SEC);
	assert_string_equal(p6->type, "0x8e");
	assert_string_equal(p6->content, "ext");
	vol_set_free(&vs);
	free(d);
}

static void test_mbr_hostile(void **state)
{
	(void)state;
	size_t size = 16 * MiB;
	uint8_t *d = calloc(1, size);
	mbr_entry(d, 0, 0x83, 2048, 0x7fffffff);        /* past the disk */
	mbr_entry(d, 1, 0x0f, 8192, 16384);             /* an extended partition whose EBR points at itself */
	uint8_t *ebr = d + 8192u * SEC;
	mbr_entry(ebr, 0, 0x83, 64, 64);
	mbr_entry(ebr, 1, 0x05, 0, 64);
	size_t before = de_omission_count();
	vol_set vs;
	scan(d, size, &vs);
	assert_null(find(&vs, "p1"));                   /* not given, */
	assert_non_null(find(&vs, "p5"));               /* the loop read once, */
	assert_null(find(&vs, "p6"));
	assert_true(de_omission_count() >= before + 2);  /* and both said */
	vol_set_free(&vs);
	free(d);
}

/* A GPT (primary and backup) with entries {type, first, last, name}. */
static void gpt_build(uint8_t *d, size_t size, bool damage_primary)
{
	uint64_t last = size / SEC - 1;
	uint8_t ents[128 * 128] = {0};
	static const uint8_t linux_fs[16] = {0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
	                                     0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4};
	memcpy(ents, linux_fs, 16);
	put64(ents + 32, 2048);
	put64(ents + 40, 4095);
	const char *name = "root \xc3\xbc";   /* "root ü": UTF-16LE below */
	uint16_t u16[] = {'r', 'o', 'o', 't', ' ', 0xfc};
	for (size_t i = 0; i < 6; i++)
		put_le16(ents + 56 + 2 * i, u16[i]);
	(void)name;
	memcpy(ents + 128 * 2, linux_fs, 16);            /* entry 3; entry 2 unused */
	put64(ents + 128 * 2 + 32, 4096);
	put64(ents + 128 * 2 + 40, 8191);
	uint32_t ecrc = (uint32_t)crc32(0, ents, sizeof ents);
	for (int copy = 0; copy < 2; copy++) {
		uint64_t my = copy ? last : 1, alt = copy ? 1 : last, elba = copy ? last - 32 : 2;
		uint8_t *h = d + my * SEC;
		memcpy(h, "EFI PART", 8);
		put_le32(h + 8, 0x10000);
		put_le32(h + 12, 92);
		put64(h + 24, my);
		put64(h + 32, alt);
		put64(h + 40, 34);
		put64(h + 48, last - 33);
		put64(h + 72, elba);
		put_le32(h + 80, 128);
		put_le32(h + 84, 128);
		put_le32(h + 88, ecrc);
		put_le32(h + 16, (uint32_t)crc32(0, h, 92));
		memcpy(d + elba * SEC, ents, sizeof ents);
	}
	mbr_entry(d, 0, 0xEE, 1, (uint32_t)(last));       /* protective */
	if (damage_primary)
		d[SEC + 30] ^= 0xff;
}

static void test_gpt(void **state)
{
	(void)state;
	size_t size = 8 * MiB;
	for (int damage = 0; damage < 2; damage++) {
		uint8_t *d = calloc(1, size);
		gpt_build(d, size, damage);
		size_t before = de_omission_count();
		vol_set vs;
		scan(d, size, &vs);
		vol *p1 = find(&vs, "p1"), *p3 = find(&vs, "p3");
		assert_non_null(p1);
		assert_non_null(p3);
		assert_null(find(&vs, "p2"));
		assert_int_equal(p1->number, 1);
		assert_int_equal(p3->number, 3);
		assert_int_equal(p3->offset, 4096u * SEC);
		assert_int_equal(p3->length, 4096u * SEC);
		assert_string_equal(p1->type, "0fc63daf-8483-4772-8e79-3d69d8477de4");
		assert_string_equal(p1->label, "root \xc3\xbc");
		assert_int_equal(de_omission_count() - before, damage ? 1 : 0);   /* "primary GPT damaged" */
		vol_set_free(&vs);
		free(d);
	}
	/* both copies damaged: no partitions, a warning, the whole disk as one volume */
	uint8_t *d = calloc(1, size);
	gpt_build(d, size, true);
	d[size - SEC + 30] ^= 0xff;
	size_t before = de_omission_count();
	vol_set vs;
	scan(d, size, &vs);
	assert_null(find(&vs, "p1"));
	assert_non_null(find(&vs, "disk"));
	assert_true(de_omission_count() > before);
	vol_set_free(&vs);
	free(d);
}

static void test_sniff(void **state)
{
	(void)state;
	uint8_t d[8192] = {0};
	bsrc *s = bsrc_mem(d, sizeof d, "v");
	assert_null(vol_sniff(s));
	memcpy(d + 3, "-FVE-FS-", 8);
	assert_string_equal(vol_sniff(s), "bitlocker");
	memset(d, 0, sizeof d);
	memcpy(d, "XFSB", 4);
	assert_string_equal(vol_sniff(s), "xfs");
	memset(d, 0, sizeof d);
	memcpy(d + 4086, "SWAPSPACE2", 10);
	assert_string_equal(vol_sniff(s), "swap");
	bsrc_close(s);
	uint8_t tiny[10] = {0};
	s = bsrc_mem(tiny, sizeof tiny, "tiny");   /* shorter than what is probed */
	assert_null(vol_sniff(s));
	bsrc_close(s);
}

/* ---- LVM2 ---- */

static const char meta_fmt[] =
	"vgt {\n"
	"id = \"0OcELn-f3Dx-OQIh-9E0w-qz0a-hVM4-tA9LtH\"\n"
	"seqno = 3\nformat = \"lvm2\"\nstatus = [\"RESIZEABLE\", \"READ\", \"WRITE\"]\n"
	"extent_size = 8\t# 4 KiB extents\n"
	"physical_volumes {\npv0 {\nid = \"7RPoQd-LuZ8-1lI2-79aa-FNZp-BewT-mHWSed\"\n"
	"device = \"/dev/loop0\"\npe_start = 2048\npe_count = %d\n}\n}\n"
	"logical_volumes {\n"
	"lv0 {\nstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\nsegment_count = 2\n"
	"segment1 {\nstart_extent = 0\nextent_count = 2\ntype = \"striped\"\nstripe_count = 1\n"
	"stripes = [\n\"pv0\", 4\n]\n}\n"
	"segment2 {\nstart_extent = 2\nextent_count = 1\ntype = \"striped\"\nstripe_count = 1\n"
	"stripes = [\"pv0\", 0]\n}\n}\n"
	"big {\nstatus = [\"VISIBLE\"]\nsegment_count = 1\n"
	"segment1 {\nstart_extent = 0\nextent_count = 100000\ntype = \"striped\"\nstripe_count = 1\n"
	"stripes = [\"pv0\", 8]\n}\n}\n"
	"thin {\nstatus = [\"VISIBLE\"]\nsegment_count = 1\n"
	"segment1 {\nstart_extent = 0\nextent_count = 1\ntype = \"thin\"\n}\n}\n"
	"hidden_tmeta {\nstatus = [\"READ\"]\nsegment_count = 1\n}\n"
	"}\n}\n"
	"contents = \"Text Format Volume Group\"\nversion = 1\n";

static uint32_t lvm_crc(const uint8_t *p, size_t n)
{
	return ~(uint32_t)crc32(~0xf597a6cfu & 0xffffffffu, p, (uInt)n);
}

/* A PV: label in sector 1, one metadata area at 4096 holding text. */
static void pv_build(uint8_t *d, const char *text)
{
	uint8_t *l = d + 512;
	memcpy(l, "LABELONE", 8);
	put64(l + 8, 1);
	put_le32(l + 20, 32);
	memcpy(l + 24, "LVM2 001", 8);
	memcpy(l + 32, "7RPoQdLuZ81lI279aaFNZpBewTmHWSed", 32);
	put64(l + 64, 8 * MiB);
	put64(l + 72, 1 * MiB);   /* data area */
	put64(l + 80, 0);
	/* zero pair ends the data areas at 88; the metadata areas follow */
	put64(l + 104, 4096);
	put64(l + 112, 1 * MiB - 4096);
	put_le32(l + 16, lvm_crc(l + 20, 512 - 20));
	uint8_t *m = d + 4096;
	memcpy(m + 4, " LVM2 x[5A%r0N*>", 16);
	put_le32(m + 20, 1);
	put64(m + 24, 4096);
	put64(m + 32, 1 * MiB - 4096);
	size_t tl = strlen(text);
	put64(m + 40, 512);
	put64(m + 48, tl);
	memcpy(m + 512, text, tl);
	put_le32(m + 56, lvm_crc(m + 512, tl));
	put_le32(m, lvm_crc(m + 4, 512 - 4));
}

static void test_lvm(void **state)
{
	(void)state;
	size_t size = 8 * MiB;
	uint8_t *d = calloc(1, size);
	char text[4096];
	snprintf(text, sizeof text, meta_fmt, 10);
	pv_build(d, text);
	/* extents are 4 KiB from pe_start (1 MiB): mark extent 0 and 4 */
	memcpy(d + MiB + 0 * 4096, "EXT0", 4);
	memcpy(d + MiB + 4 * 4096, "EXT4", 4);
	size_t before = de_omission_count();
	vol_set vs;
	scan(d, size, &vs);
	vol *lv = find(&vs, "vgt/lv0");
	assert_non_null(lv);
	assert_non_null(lv->src);
	assert_int_equal(lv->length, 3 * 4096);
	assert_int_equal(lv->offset, MiB + 4 * 4096);
	char b[4];
	de_err e;
	assert_int_equal(bsrc_read(lv->src, 0, b, 4, &e), 0);          /* segment 1: PV extent 4 */
	assert_memory_equal(b, "EXT4", 4);
	assert_int_equal(bsrc_read(lv->src, 2 * 4096, b, 4, &e), 0);   /* segment 2: PV extent 0 */
	assert_memory_equal(b, "EXT0", 4);
	/* larger than its PV, and a thin LV: named, not readable, each a warning */
	vol *big = find(&vs, "vgt/big"), *thin = find(&vs, "vgt/thin");
	assert_non_null(big);
	assert_null(big->src);
	assert_non_null(thin);
	assert_null(thin->src);
	assert_null(find(&vs, "vgt/hidden_tmeta"));
	assert_int_equal(de_omission_count() - before, 2);
	vol_set_free(&vs);

	/* the text's checksum wrong: the PV's metadata is not trusted */
	d[4096 + 512 + 10] ^= 1;
	before = de_omission_count();
	scan(d, size, &vs);
	assert_null(find(&vs, "vgt/lv0"));
	assert_int_equal(de_omission_count() - before, 1);
	vol_set_free(&vs);
	free(d);
}

static void test_lvm_text(void **state)
{
	(void)state;
	de_err e;
	const char *ok = "a { b = 1 c = \"x\\\"y\" d = [1, \"two\", -3] # c\n e { } }";
	lvmt_node *t = lvmt_parse(ok, strlen(ok), &e);
	assert_non_null(t);
	const lvmt_node *a = lvmt_get(t, "a");
	int64_t n;
	assert_int_equal(lvmt_num(a, "b", &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(lvmt_str(a, "c"), "x\"y");
	const lvmt_node *arr = lvmt_get(a, "d");
	assert_int_equal(arr->kind, LVMT_ARRAY);
	assert_int_equal(arr->child->next->next->num, -3);
	assert_null(lvmt_str(a, "b"));                 /* a number, not a string */
	lvmt_free(t);
	const char *bad[] = {
		"a { b = \"open", "a { b = 1", "a = ", "}", "a = 99999999999999999999", "= 3",
		"a { b = [1, 2 }", "a b",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		t = lvmt_parse(bad[i], strlen(bad[i]), &e);
		assert_null(t);
		assert_non_null(strstr(e.msg, "LVM metadata, line"));
	}
	char deep[200] = "";
	for (int i = 0; i < 20; i++)
		strcat(deep, "a {");
	assert_null(lvmt_parse(deep, strlen(deep), &e));
	assert_non_null(strstr(e.msg, "nested too deep"));
	assert_null(lvmt_parse(ok, LVMT_MAX_TEXT + 1, &e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mbr_logical),
		cmocka_unit_test(test_mbr_hostile),
		cmocka_unit_test(test_gpt),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_lvm),
		cmocka_unit_test(test_lvm_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
