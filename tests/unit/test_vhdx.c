/* Unit tests: vdisk/vhdx — VHDX images built here in memory after MS-VHDX
 * (a dynamic parent and a differencing child with every block state), and
 * damaged variants of them: each damage is an error naming the field,
 * never a crash or a silent wrong read. The real-file checks (qemu-img's
 * dynamic disks, libvhdi's reading of the chain) are in t_windows.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdisk/vhdx.h"

#define MB (1u << 20)
#define KB 1024u
#define SS 512u
/* layout of the images built here */
#define META_OFF (1 * MB)
#define BAT_OFF (2 * MB)
#define DATA_OFF (3 * MB)

typedef struct img {
	uint8_t *p;
	size_t n;
	uint32_t bs, ss;
	uint64_t size;
	bool diff;
	unsigned next;   /* next free MiB for blocks */
} img;

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

static void guid(uint8_t *out, const char *s)
{
	assert_int_equal(vhdx_guid_parse(s, out), 0);
}

static void fix_crc(img *m, size_t off, size_t len)
{
	put32(m->p + off + 4, 0);
	put32(m->p + off + 4, vhdx_crc32c(0, m->p + off, len));
}

static void header(img *m, int i, uint64_t seq, const char *dw)
{
	uint8_t *h = m->p + (i == 1 ? 64 : 128) * KB;
	memset(h, 0, 4096);
	memcpy(h, "head", 4);
	put64(h + 8, seq);
	guid(h + 16, "{11111111-2222-3333-4444-555555555555}");
	guid(h + 32, dw);
	put16(h + 66, 1);
	fix_crc(m, (size_t)(h - m->p), 4096);
}

static void region_table(img *m, size_t off)
{
	uint8_t *t = m->p + off;
	memset(t, 0, 64 * KB);
	memcpy(t, "regi", 4);
	put32(t + 8, 2);
	guid(t + 16, "2DC27766-F623-4200-9D64-115E9BFD4A08");
	put64(t + 32, BAT_OFF);
	put32(t + 40, MB);
	put32(t + 44, 1);
	guid(t + 48, "8B7CA206-4790-4B9A-B8FE-575F050F886E");
	put64(t + 64, META_OFF);
	put32(t + 72, MB);
	put32(t + 76, 1);
	fix_crc(m, off, 64 * KB);
}

/* UTF-16LE of an ASCII string */
static size_t u16(uint8_t *out, const char *s)
{
	size_t n = 0;
	for (; *s; s++, n += 2)
		put16(out + n, (uint8_t)*s);
	return n;
}

static void meta_item(img *m, int i, const char *g, uint32_t off, uint32_t len, uint32_t flags)
{
	uint8_t *e = m->p + META_OFF + 32 + 32 * (size_t)i;
	guid(e, g);
	put32(e + 16, off);
	put32(e + 20, len);
	put32(e + 24, flags);
}

static void metadata(img *m, const char *linkage)
{
	uint8_t *r = m->p + META_OFF;
	memcpy(r, "metadata", 8);
	put16(r + 10, m->diff ? 6 : 5);
	uint32_t o = 64 * KB;
	meta_item(m, 0, "CAA16737-FA36-4D43-B3B6-33F0AA44E76B", o, 8, 4);
	put32(r + o, m->bs);
	put32(r + o + 4, m->diff ? 2 : 0);
	meta_item(m, 1, "2FA54224-CD1B-4876-B211-5DBED83BF4B8", o + 8, 8, 6);
	put64(r + o + 8, m->size);
	meta_item(m, 2, "BECA12AB-B2E6-4523-93EF-C309E000C746", o + 16, 16, 6);
	meta_item(m, 3, "8141BF1D-A96F-4709-BA47-F233A8FAAB5F", o + 32, 4, 6);
	put32(r + o + 32, m->ss);
	meta_item(m, 4, "CDA348C7-445D-4471-9CC9-E9885251C556", o + 36, 4, 6);
	put32(r + o + 36, 4096);
	if (!m->diff)
		return;
	/* the parent locator: header, 2 entries, strings */
	uint8_t *l = r + o + 40;
	guid(l, "B04AEFB7-D19E-4A81-B789-25B8E9445913");
	put16(l + 18, 2);
	size_t at = 20 + 24, kl, vl;
	kl = u16(l + at, "parent_linkage");
	vl = u16(l + at + kl, linkage);
	put32(l + 20, (uint32_t)at);
	put32(l + 24, (uint32_t)(at + kl));
	put16(l + 28, (uint16_t)kl);
	put16(l + 30, (uint16_t)vl);
	at += kl + vl;
	kl = u16(l + at, "relative_path");
	vl = u16(l + at + kl, "parent.vhdx");
	put32(l + 32, (uint32_t)at);
	put32(l + 36, (uint32_t)(at + kl));
	put16(l + 40, (uint16_t)kl);
	put16(l + 42, (uint16_t)vl);
	meta_item(m, 5, "A8D35F2D-B30B-454D-ABF7-D3D84834AB0C", o + 40, (uint32_t)(at + kl + vl), 4);
}

static uint32_t ratio(const img *m)
{
	return (uint32_t)((1ull << 23) * m->ss / m->bs);
}

static void bat_set(img *m, uint64_t idx, unsigned state, uint64_t mb)
{
	put64(m->p + BAT_OFF + idx * 8, state | mb << 20);
}

/* Payload block b in state st; with fill, its data is allocated and set. */
static void block(img *m, uint64_t b, unsigned st, int fill)
{
	unsigned mb = 0;
	if (fill >= 0) {
		mb = m->next++;
		memset(m->p + (size_t)mb * MB, fill, m->bs);
	}
	bat_set(m, b + b / ratio(m), st, mb);
}

static void build(img *m, uint64_t size, bool diff, const char *linkage, const char *dw)
{
	m->bs = MB;
	m->ss = SS;
	m->size = size;
	m->diff = diff;
	m->next = DATA_OFF / MB;
	m->n = DATA_OFF + 8 * MB;
	m->p = calloc(1, m->n);
	memcpy(m->p, "vhdxfile", 8);
	header(m, 1, 10, dw);
	header(m, 2, 11, dw);
	region_table(m, 192 * KB);
	region_table(m, 256 * KB);
	metadata(m, linkage);
}

#define PARENT_DW "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}"

/* parent: 6 MiB; blocks 0 FULLY 'P', 1 NOT_PRESENT, 2 ZERO, 3 UNMAPPED at
 * data 'U', 4 UNDEFINED without data, 5 FULLY 'Q' */
static void make_parent(img *m)
{
	build(m, 6 * MB, false, NULL, PARENT_DW);
	block(m, 0, 6, 'P');
	block(m, 2, 2, -1);
	block(m, 3, 3, 'U');
	block(m, 4, 1, -1);
	block(m, 5, 6, 'Q');
}

/* child: block 0 PARTIALLY_PRESENT 'C' in sectors 1 and 3, block 1 FULLY
 * 'D', block 5 ZERO, the rest NOT_PRESENT (from the parent) */
static void make_child(img *m, const char *linkage)
{
	build(m, 6 * MB, true, linkage, "{99999999-9999-9999-9999-999999999999}");
	block(m, 0, 7, 'C');
	block(m, 1, 6, 'D');
	block(m, 5, 2, -1);
	unsigned sb = m->next++;
	bat_set(m, ratio(m), 6, sb);   /* chunk 0's sector bitmap entry */
	m->p[(size_t)sb * MB] = 0x0a;   /* sectors 1 and 3 */
}

static vhdx *open_img(img *m, const char *name)
{
	vhdx *v;
	de_err e;
	int rc = vhdx_open_mem(&v, m->p, m->n, name, &e);
	if (rc < 0)
		print_message("%s\n", e.msg);
	assert_int_equal(rc, 0);
	return v;
}

static char expect_err[1024];

/* opening must fail with a message holding want */
static void open_fails(img *m, const char *want)
{
	vhdx *v;
	de_err e;
	assert_int_equal(vhdx_open_mem(&v, m->p, m->n, "bad.vhdx", &e), -1);
	assert_null(v);
	snprintf(expect_err, sizeof expect_err, "%s", e.msg);
	if (!strstr(e.msg, want))
		print_message("got: %s\n", e.msg);
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "bad.vhdx"));
}

static void test_crc_guid(void **state)
{
	(void)state;
	assert_int_equal(vhdx_crc32c(0, "123456789", 9), 0xe3069283u);   /* RFC 3720's check */
	uint8_t g[16];
	char s[VHDX_GUID_STR];
	guid(g, "{2DC27766-F623-4200-9D64-115E9BFD4A08}");
	assert_int_equal(g[0], 0x66);   /* Data1 little-endian */
	vhdx_guid_str(g, s);
	assert_string_equal(s, "{2dc27766-f623-4200-9d64-115e9bfd4a08}");
	assert_int_equal(vhdx_guid_parse("{2dc27766-f623-4200-9d64-115e9bfd4a0}", g), -1);
	assert_int_equal(vhdx_guid_parse("2dc27766-f623-4200-9d64-115e9bfd4a0g", g), -1);
}

static void test_dynamic_reads(void **state)
{
	(void)state;
	img m;
	make_parent(&m);
	vhdx *v = open_img(&m, "parent.vhdx");
	const vhdx_info *in = vhdx_get_info(v);
	assert_int_equal(in->header, 2);   /* the greater SequenceNumber */
	assert_int_equal(in->block_size, MB);
	assert_int_equal(in->virtual_size, 6 * MB);
	assert_int_equal(in->chunk_ratio, 4096);
	assert_int_equal(in->payload_blocks, 6);
	assert_int_equal(in->bat_entries, 6);
	assert_false(in->has_parent);
	uint8_t *buf = malloc(6 * MB);
	de_err e;
	assert_int_equal(vhdx_read(v, 0, buf, 6 * MB, &e), 0);
	const char want[6] = {'P', 0, 0, 'U', 0, 'Q'};
	for (int b = 0; b < 6; b++)
		for (size_t i = 0; i < MB; i += 4093)
			assert_int_equal(buf[(size_t)b * MB + i], want[b]);
	bool z;
	assert_int_equal(vhdx_range_zero(v, MB, 2 * MB, &z, &e), 0);
	assert_true(z);
	assert_int_equal(vhdx_range_zero(v, MB, 3 * MB, &z, &e), 0);
	assert_false(z);   /* UNMAPPED with data is read */
	assert_int_equal(vhdx_read(v, 6 * MB - 1, buf, 2, &e), -1);   /* past the end */
	free(buf);
	vhdx_close(v);
	free(m.p);
}

static void test_chain_reads(void **state)
{
	(void)state;
	img pm, cm;
	make_parent(&pm);
	make_child(&cm, PARENT_DW);
	vhdx *c = open_img(&cm, "child.vhdx");
	const vhdx_info *in = vhdx_get_info(c);
	assert_true(in->has_parent);
	assert_string_equal(in->parent_linkage, PARENT_DW);
	assert_string_equal(in->relative_path, "parent.vhdx");
	assert_int_equal(in->bat_entries, 4097);   /* 1 chunk × (ratio + 1) */
	uint8_t *buf = malloc(6 * MB);
	de_err e;
	/* no parent yet: what the child does not hold cannot be read */
	assert_int_equal(vhdx_read(c, 2 * MB, buf, 1, &e), -1);
	assert_non_null(strstr(e.msg, "parent is not attached"));
	assert_int_equal(vhdx_attach_parent(c, open_img(&pm, "parent.vhdx"), &e), 0);
	assert_int_equal(vhdx_read(c, 0, buf, 6 * MB, &e), 0);
	for (size_t s = 0; s < 8; s++)   /* block 0: sectors 1 and 3 from the child */
		assert_int_equal(buf[s * SS + 7], s == 1 || s == 3 ? 'C' : 'P');
	assert_int_equal(buf[100 * SS], 'P');
	const char want[6] = {0, 'D', 0, 'U', 0, 0};
	for (int b = 1; b < 6; b++)
		for (size_t i = 0; i < MB; i += 4093)
			assert_int_equal(buf[(size_t)b * MB + i], want[b]);
	/* an unaligned read across the partial block's runs */
	assert_int_equal(vhdx_read(c, SS - 3, buf, SS * 3, &e), 0);
	assert_int_equal(buf[0], 'P');
	assert_int_equal(buf[3], 'C');
	assert_int_equal(buf[SS + 3], 'P');
	assert_int_equal(buf[2 * SS + 3], 'C');
	bool z;
	assert_int_equal(vhdx_range_zero(c, 2 * MB, MB, &z, &e), 0);
	assert_true(z);   /* NOT_PRESENT here, ZERO in the parent */
	assert_int_equal(vhdx_range_zero(c, 0, MB, &z, &e), 0);
	assert_false(z);
	free(buf);
	vhdx_close(c);
	free(pm.p);
	free(cm.p);
}

static void test_linkage(void **state)
{
	(void)state;
	img pm, cm;
	make_parent(&pm);
	make_child(&cm, "{aaaaaaaa-bbbb-cccc-dddd-000000000000}");
	vhdx *c = open_img(&cm, "child.vhdx");
	de_err e;
	assert_int_equal(vhdx_attach_parent(c, open_img(&pm, "other.vhdx"), &e), -1);
	assert_non_null(strstr(e.msg, "other.vhdx is not the parent of child.vhdx"));
	assert_non_null(strstr(e.msg, PARENT_DW));
	assert_null(vhdx_parent(c));
	/* a parent of another sector size is refused too */
	pm.ss = 4096;
	metadata(&pm, NULL);
	free(cm.p);
	make_child(&cm, PARENT_DW);
	vhdx_close(c);
	c = open_img(&cm, "child.vhdx");
	vhdx *p;
	assert_int_equal(vhdx_open_mem(&p, pm.p, pm.n, "p4k.vhdx", &e), 0);
	assert_int_equal(vhdx_attach_parent(c, p, &e), -1);
	assert_non_null(strstr(e.msg, "logical sector size"));
	/* a base disk has no parent */
	assert_int_equal(vhdx_open_mem(&p, pm.p, pm.n, "p4k.vhdx", &e), 0);
	vhdx *q;
	assert_int_equal(vhdx_open_mem(&q, pm.p, pm.n, "q.vhdx", &e), 0);
	assert_int_equal(vhdx_attach_parent(p, q, &e), -1);
	assert_non_null(strstr(e.msg, "not a differencing disk"));
	vhdx_close(p);
	vhdx_close(c);
	free(pm.p);
	free(cm.p);
}

static void test_headers(void **state)
{
	(void)state;
	img m;
	make_parent(&m);
	m.p[128 * KB + 100] ^= 1;   /* header 2's checksum fails: header 1 is current */
	vhdx *v = open_img(&m, "h.vhdx");
	assert_int_equal(vhdx_get_info(v)->header, 1);
	vhdx_close(v);
	m.p[64 * KB + 100] ^= 1;
	open_fails(&m, "no valid header");
	assert_non_null(strstr(expect_err, "checksum"));
	header(&m, 1, 11, PARENT_DW);
	header(&m, 2, 11, PARENT_DW);
	open_fails(&m, "both headers have SequenceNumber 11");
	header(&m, 1, 10, PARENT_DW);
	header(&m, 2, 11, PARENT_DW);
	guid(m.p + 128 * KB + 48, "{01010101-0101-0101-0101-010101010101}");   /* LogGuid */
	fix_crc(&m, 128 * KB, 4096);
	open_fails(&m, "log to replay");
	header(&m, 2, 11, PARENT_DW);
	put16(m.p + 128 * KB + 66, 2);   /* Version */
	fix_crc(&m, 128 * KB, 4096);
	open_fails(&m, "Version 2");
	header(&m, 2, 11, PARENT_DW);
	memcpy(m.p, "vhdxfilX", 8);
	open_fails(&m, "not a VHDX file");
	free(m.p);
}

static void test_regions(void **state)
{
	(void)state;
	img m;
	make_parent(&m);
	m.p[192 * KB + 40] ^= 1;   /* region table 1 damaged: the second is used */
	vhdx *v = open_img(&m, "r.vhdx");
	assert_int_equal(vhdx_get_info(v)->region_table, 2);
	vhdx_close(v);
	m.p[256 * KB + 40] ^= 1;
	open_fails(&m, "no valid region table");
	region_table(&m, 192 * KB);
	put32(m.p + 192 * KB + 8, 3000);   /* EntryCount */
	fix_crc(&m, 192 * KB, 64 * KB);
	region_table(&m, 256 * KB);
	put32(m.p + 256 * KB + 8, 3000);
	fix_crc(&m, 256 * KB, 64 * KB);
	open_fails(&m, "EntryCount 3000");
	/* an unknown region marked required */
	region_table(&m, 192 * KB);
	put32(m.p + 192 * KB + 8, 3);
	guid(m.p + 192 * KB + 80, "{12345678-1234-1234-1234-123456789abc}");
	put64(m.p + 192 * KB + 96, 4 * MB);
	put32(m.p + 192 * KB + 104, MB);
	put32(m.p + 192 * KB + 108, 1);
	fix_crc(&m, 192 * KB, 64 * KB);
	open_fails(&m, "is marked required");
	/* the BAT past the end of the file */
	region_table(&m, 192 * KB);
	put64(m.p + 192 * KB + 32, 64ull * MB);
	fix_crc(&m, 192 * KB, 64 * KB);
	open_fails(&m, "the BAT region at offset 67108864");
	/* BAT over the metadata */
	region_table(&m, 192 * KB);
	put64(m.p + 192 * KB + 32, META_OFF);
	fix_crc(&m, 192 * KB, 64 * KB);
	open_fails(&m, "overlap");
	/* truncated file */
	region_table(&m, 192 * KB);
	size_t n = m.n;
	m.n = 100000;
	open_fails(&m, "no valid region table");
	m.n = n;
	free(m.p);
}

static void test_metadata(void **state)
{
	(void)state;
	img m;
	make_parent(&m);
	uint8_t *r = m.p + META_OFF, *params = r + 64 * KB;
	put32(params, 3 * MB);
	open_fails(&m, "BlockSize 3145728");
	put32(params, MB);
	put32(r + 64 * KB + 32, 1024);
	open_fails(&m, "Logical Sector Size 1024");
	put32(r + 64 * KB + 32, SS);
	put64(r + 64 * KB + 8, 200ull << 30);   /* 200 GiB: the 1 MiB BAT cannot map it */
	open_fails(&m, "cannot hold");
	put64(r + 64 * KB + 8, 6 * MB + 1);
	open_fails(&m, "Virtual Disk Size");
	put64(r + 64 * KB + 8, 6 * MB);
	put32(r + 32 + 16, 16);   /* an item inside the table */
	open_fails(&m, "metadata entry 0");
	put32(r + 32 + 16, 64 * KB);
	put16(r + 10, 4);   /* the physical sector size item dropped */
	open_fails(&m, "no Physical Sector Size");
	put16(r + 10, 5);
	put16(r + 10, 6);   /* a sixth, unknown, required item */
	guid(r + 32 * 6, "{12345678-1234-1234-1234-123456789abc}");
	put32(r + 32 * 6 + 24, 4);
	open_fails(&m, "is marked required");
	free(m.p);
	/* differencing without a usable locator */
	make_child(&m, "not-a-guid");
	open_fails(&m, "parent_linkage \"not-a-guid\" is not a GUID");
	free(m.p);
	make_child(&m, PARENT_DW);
	r = m.p + META_OFF;
	uint8_t *loc = r + 64 * KB + 40;
	put32(loc + 20, 5000);   /* key offset outside the item */
	open_fails(&m, "parent locator entry 0");
	free(m.p);
	make_child(&m, PARENT_DW);
	put16(m.p + META_OFF + 64 * KB + 40 + 20 + 24, 0xdc00);   /* a lone low surrogate */
	open_fails(&m, "not valid UTF-16");
	free(m.p);
}

static void test_bat_states(void **state)
{
	(void)state;
	img m;
	make_parent(&m);
	uint8_t buf[SS];
	de_err e;
	bat_set(&m, 1, 4, 0);   /* reserved state */
	vhdx *v = open_img(&m, "s.vhdx");
	assert_int_equal(vhdx_read(v, MB, buf, SS, &e), -1);
	assert_non_null(strstr(e.msg, "BAT state 4 is reserved"));
	vhdx_close(v);
	bat_set(&m, 1, 6, 0);   /* FULLY_PRESENT at offset 0 */
	v = open_img(&m, "s.vhdx");
	assert_int_equal(vhdx_read(v, MB, buf, SS, &e), -1);
	assert_non_null(strstr(e.msg, "FileOffsetMB 0"));
	vhdx_close(v);
	bat_set(&m, 1, 6, 500);   /* past the end of the file */
	v = open_img(&m, "s.vhdx");
	assert_int_equal(vhdx_read(v, MB, buf, SS, &e), -1);
	assert_non_null(strstr(e.msg, "past the end of the file"));
	vhdx_close(v);
	bat_set(&m, 1, 7, 4);   /* PARTIALLY_PRESENT in a dynamic disk */
	v = open_img(&m, "s.vhdx");
	assert_int_equal(vhdx_read(v, MB, buf, SS, &e), -1);
	assert_non_null(strstr(e.msg, "no parent"));
	vhdx_close(v);
	free(m.p);
	/* a partial block whose chunk has no sector bitmap */
	make_child(&m, PARENT_DW);
	bat_set(&m, ratio(&m), 0, 0);
	v = open_img(&m, "c.vhdx");
	img pm;
	make_parent(&pm);
	assert_int_equal(vhdx_attach_parent(v, open_img(&pm, "p.vhdx"), &e), 0);
	assert_int_equal(vhdx_read(v, 0, buf, SS, &e), -1);
	assert_non_null(strstr(e.msg, "SB_BLOCK_PRESENT"));
	vhdx_close(v);
	free(m.p);
	free(pm.p);
}

/* A parent smaller than its child reads as zeros past its end. */
static void test_smaller_parent(void **state)
{
	(void)state;
	img pm, cm;
	make_parent(&pm);
	put64(pm.p + META_OFF + 64 * KB + 8, 4 * MB);
	make_child(&cm, PARENT_DW);
	vhdx *c = open_img(&cm, "c.vhdx");
	de_err e;
	assert_int_equal(vhdx_attach_parent(c, open_img(&pm, "p.vhdx"), &e), 0);
	uint8_t buf[16];
	assert_int_equal(vhdx_read(c, 4 * MB - 8, buf, 16, &e), 0);
	assert_int_equal(buf[0], 'U');   /* the parent's last block, UNMAPPED with data */
	assert_int_equal(buf[8], 0);     /* past the parent's 4 MiB */
	vhdx_close(c);
	free(cm.p);
	free(pm.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_guid),
		cmocka_unit_test(test_dynamic_reads),
		cmocka_unit_test(test_chain_reads),
		cmocka_unit_test(test_linkage),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_bat_states),
		cmocka_unit_test(test_smaller_parent),
	};
	return cmocka_run_group_tests_name("vhdx", tests, NULL, NULL);
}
