/*
 * vhdx.c — opening a VHDX file: the file type identifier, the current
 * header, the region table, the metadata items and the parent locator,
 * each checked against MS-VHDX (section numbers below) and against the
 * file's size. See vhdx.h.
 */
#include "vhdx_internal.h"
#include "../util/bytes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/strvec.h"

/* 2.2: the header section's fixed places */
#define OFF_HEADER1 (64u * 1024)
#define OFF_HEADER2 (128u * 1024)
#define OFF_REGION1 (192u * 1024)
#define OFF_REGION2 (256u * 1024)
#define HEADER_LEN 4096u
#define REGION_LEN (64u * 1024)
#define METATABLE_LEN (64u * 1024)
#define MAX_ENTRIES 2047u
/* 2.6.2.2: at most 64 TB */
#define MAX_VIRTUAL_SIZE (64ull << 40)

/* GUIDs as stored: Data1..3 little-endian, Data4 as is. */
static const uint8_t GUID_BAT[16] = {0x66, 0x77, 0xc2, 0x2d, 0x23, 0xf6, 0x00, 0x42,
                                     0x9d, 0x64, 0x11, 0x5e, 0x9b, 0xfd, 0x4a, 0x08};
static const uint8_t GUID_METADATA[16] = {0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47, 0x9a, 0x4b,
                                          0xb8, 0xfe, 0x57, 0x5f, 0x05, 0x0f, 0x88, 0x6e};
static const uint8_t GUID_FILE_PARAMS[16] = {0x37, 0x67, 0xa1, 0xca, 0x36, 0xfa, 0x43, 0x4d,
                                             0xb3, 0xb6, 0x33, 0xf0, 0xaa, 0x44, 0xe7, 0x6b};
static const uint8_t GUID_DISK_SIZE[16] = {0x24, 0x42, 0xa5, 0x2f, 0x1b, 0xcd, 0x76, 0x48,
                                           0xb2, 0x11, 0x5d, 0xbe, 0xd8, 0x3b, 0xf4, 0xb8};
static const uint8_t GUID_DISK_ID[16] = {0xab, 0x12, 0xca, 0xbe, 0xe6, 0xb2, 0x23, 0x45,
                                         0x93, 0xef, 0xc3, 0x09, 0xe0, 0x00, 0xc7, 0x46};
static const uint8_t GUID_LOGICAL[16] = {0x1d, 0xbf, 0x41, 0x81, 0x6f, 0xa9, 0x09, 0x47,
                                         0xba, 0x47, 0xf2, 0x33, 0xa8, 0xfa, 0xab, 0x5f};
static const uint8_t GUID_PHYSICAL[16] = {0xc7, 0x48, 0xa3, 0xcd, 0x5d, 0x44, 0x71, 0x44,
                                          0x9c, 0xc9, 0xe9, 0x88, 0x52, 0x51, 0xc5, 0x56};
static const uint8_t GUID_PARENT_LOC[16] = {0x2d, 0x5f, 0xd3, 0xa8, 0x0b, 0xb3, 0x4d, 0x45,
                                            0xab, 0xf7, 0xd3, 0xd8, 0x48, 0x34, 0xab, 0x0c};
static const uint8_t GUID_VHDX_LOCATOR[16] = {0xb7, 0xef, 0x4a, 0xb0, 0x9e, 0xd1, 0x81, 0x4a,
                                              0xb7, 0x89, 0x25, 0xb8, 0xe9, 0x44, 0x59, 0x13};

/* ---- CRC-32C and GUIDs ---------------------------------------------------- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0x82f63b78u ^ (c >> 1) : c >> 1;   /* 0x1EDC6F41 reflected */
		crc_table[i] = c;
	}
}

uint32_t vhdx_crc32c(uint32_t crc, const void *p, size_t n)
{
	if (!crc_table[1])
		crc_init();
	const uint8_t *b = p;
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* CRC-32C of a structure whose checksum field (at csum_at) counts as zero. */
static uint32_t crc_without(const uint8_t *p, size_t n, size_t csum_at)
{
	static const uint8_t zero[4];
	uint32_t c = vhdx_crc32c(0, p, csum_at);
	c = vhdx_crc32c(c, zero, 4);
	return vhdx_crc32c(c, p + csum_at + 4, n - csum_at - 4);
}

void vhdx_guid_str(const uint8_t g[VHDX_GUID_LEN], char out[VHDX_GUID_STR])
{
	snprintf(out, VHDX_GUID_STR,
	         "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", vhdx_le32(g),
	         vhdx_le16(g + 4), vhdx_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13],
	         g[14], g[15]);
}

int vhdx_guid_parse(const char *s, uint8_t out[VHDX_GUID_LEN])
{
	size_t n = strlen(s);
	if (n == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		n = 36;
	}
	if (n != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return -1;
	uint8_t be[16];   /* the digits in printed order */
	size_t k = 0;
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			continue;
		int hi = hexval((unsigned char)s[i]), lo = i + 1 < 36 ? hexval((unsigned char)s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return -1;
		be[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	/* Data1..3 are stored little-endian */
	const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
	for (size_t i = 0; i < 16; i++)
		out[i] = be[order[i]];
	return 0;
}

static bool guid_zero(const uint8_t *g)
{
	for (size_t i = 0; i < VHDX_GUID_LEN; i++)
		if (g[i])
			return false;
	return true;
}

/* ---- reading -------------------------------------------------------------- */

int vhdx_pread(vhdx *v, uint64_t off, void *buf, size_t len, const char *what, de_err *e)
{
	uint64_t size = v->info.file_size;
	if (off > size || len > size - off)
		return de_fail(e, "%s: %s (%zu bytes at offset %llu) is past the end of the file "
		               "(%llu bytes): the file is truncated or the field is wrong", v->name,
		               what, len, (unsigned long long)off, (unsigned long long)size);
	if (v->mem) {
		memcpy(buf, v->mem + off, len);
		return 0;
	}
	uint8_t *p = buf;
	while (len) {
		ssize_t r = pread(v->fd, p, len, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return de_fail_errno(e, errno, "%s: reading %s at offset %llu", v->name, what,
			                     (unsigned long long)off);
		if (r == 0)
			return de_fail(e, "%s: %s at offset %llu: the file ended early (it shrank "
			               "while read?)", v->name, what, (unsigned long long)off);
		p += r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

/* ---- 2.2.1, 2.2.2: identifier and headers --------------------------------- */

static int check_header(const uint8_t *h, char *why, size_t whylen)
{
	if (memcmp(h, "head", 4) != 0) {
		snprintf(why, whylen, "no \"head\" signature");
		return -1;
	}
	uint32_t want = vhdx_le32(h + 4), got = crc_without(h, HEADER_LEN, 4);
	if (want != got) {
		snprintf(why, whylen, "checksum 0x%08x, computed 0x%08x", want, got);
		return -1;
	}
	return 0;
}

/* MS-VHDX 2.2.2: the current header is the only valid one, or the valid
 * one with the greater SequenceNumber; none is a corrupt file. */
static int read_headers(vhdx *v, de_err *e)
{
	uint8_t id[8], h[2][HEADER_LEN];
	if (vhdx_pread(v, 0, id, 8, "the file type identifier", e) < 0)
		return -1;
	if (memcmp(id, "vhdxfile", 8) != 0)
		return de_fail(e, "%s: not a VHDX file (no \"vhdxfile\" signature at offset 0)",
		               v->name);
	char why[2][96];
	bool ok[2];
	for (int i = 0; i < 2; i++) {
		ok[i] = vhdx_pread(v, i ? OFF_HEADER2 : OFF_HEADER1, h[i], HEADER_LEN,
		                   i ? "header 2" : "header 1", e) == 0;
		if (!ok[i])
			snprintf(why[i], sizeof why[i], "unreadable");
		else
			ok[i] = check_header(h[i], why[i], sizeof why[i]) == 0;
	}
	int cur;
	if (ok[0] && ok[1]) {
		uint64_t s0 = vhdx_le64(h[0] + 8), s1 = vhdx_le64(h[1] + 8);
		if (s0 == s1)
			return de_fail(e, "%s: both headers have SequenceNumber %llu: no current "
			               "header (MS-VHDX 2.2.2), the file is corrupt", v->name,
			               (unsigned long long)s0);
		cur = s1 > s0;
	} else if (ok[0] || ok[1]) {
		cur = ok[1];
	} else {
		return de_fail(e, "%s: no valid header: header 1: %s; header 2: %s", v->name,
		               why[0], why[1]);
	}
	const uint8_t *p = h[cur];
	vhdx_info *in = &v->info;
	in->header = cur + 1;
	in->sequence = vhdx_le64(p + 8);
	memcpy(in->file_write_guid, p + 16, 16);
	memcpy(in->data_write_guid, p + 32, 16);
	memcpy(in->log_guid, p + 48, 16);
	uint16_t log_version = vhdx_le16(p + 64), version = vhdx_le16(p + 66);
	in->log_length = vhdx_le32(p + 68);
	in->log_offset = vhdx_le64(p + 72);
	if (version != 1)
		return de_fail(e, "%s: header %d: Version %u, not 1: not a format de reads", v->name,
		               in->header, version);
	if (!guid_zero(in->log_guid)) {
		char g[VHDX_GUID_STR];
		vhdx_guid_str(in->log_guid, g);
		/* 2.3.3: a log to replay; one that cannot replay it must not open
		 * the file (2.2.2: LogVersion other than 0 likewise). */
		return de_fail(e, "%s: header %d: LogGuid is %s: the file has a log to replay "
		               "(it was not closed cleanly, e.g. imaged while in use; LogVersion "
		               "%u); de does not replay VHDX logs yet and will not read it without",
		               v->name, in->header, g, log_version);
	}
	if (in->log_length % VHDX_MB || in->log_offset % VHDX_MB)
		return de_fail(e, "%s: header %d: LogOffset %llu / LogLength %u not multiples of "
		               "1 MiB", v->name, in->header, (unsigned long long)in->log_offset,
		               in->log_length);
	return 0;
}

/* ---- 2.2.3: region table -------------------------------------------------- */

typedef struct span {
	uint64_t off, len;
	const char *what;
} span;

static int check_span(vhdx *v, const span *s, de_err *e)
{
	if (s->off < VHDX_MB || s->off % VHDX_MB || s->len % VHDX_MB)
		return de_fail(e, "%s: %s at offset %llu, %llu bytes: not 1 MiB aligned after the "
		               "header section", v->name, s->what, (unsigned long long)s->off,
		               (unsigned long long)s->len);
	if (s->off > v->info.file_size || s->len > v->info.file_size - s->off)
		return de_fail(e, "%s: %s at offset %llu, %llu bytes: past the end of the file "
		               "(%llu bytes): truncated?", v->name, s->what,
		               (unsigned long long)s->off, (unsigned long long)s->len,
		               (unsigned long long)v->info.file_size);
	return 0;
}

static int check_region(const uint8_t *t, char *why, size_t whylen)
{
	if (memcmp(t, "regi", 4) != 0) {
		snprintf(why, whylen, "no \"regi\" signature");
		return -1;
	}
	uint32_t want = vhdx_le32(t + 4), got = crc_without(t, REGION_LEN, 4);
	if (want != got) {
		snprintf(why, whylen, "checksum 0x%08x, computed 0x%08x", want, got);
		return -1;
	}
	if (vhdx_le32(t + 8) > MAX_ENTRIES) {
		snprintf(why, whylen, "EntryCount %u > 2047", vhdx_le32(t + 8));
		return -1;
	}
	return 0;
}

static int parse_regions(vhdx *v, const uint8_t *t, de_err *e)
{
	uint32_t n = vhdx_le32(t + 8);
	bool have_bat = false, have_meta = false;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *r = t + 16 + (size_t)i * 32;
		uint64_t off = vhdx_le64(r + 16);
		uint32_t len = vhdx_le32(r + 24), required = vhdx_le32(r + 28) & 1;
		for (uint32_t j = 0; j < i; j++)
			if (!memcmp(t + 16 + (size_t)j * 32, r, 16))
				return de_fail(e, "%s: region table %d: entry %u repeats entry %u's GUID",
				               v->name, v->info.region_table, i, j);
		if (!memcmp(r, GUID_BAT, 16)) {
			v->info.bat_offset = off;
			v->info.bat_length = len;
			have_bat = true;
		} else if (!memcmp(r, GUID_METADATA, 16)) {
			v->info.metadata_offset = off;
			v->info.metadata_length = len;
			have_meta = true;
		} else if (required) {
			char g[VHDX_GUID_STR];
			vhdx_guid_str(r, g);
			return de_fail(e, "%s: region table %d: region %s is marked required and is "
			               "not one MS-VHDX defines: the file cannot be read (2.2.3)",
			               v->name, v->info.region_table, g);
		}
	}
	if (!have_bat || !have_meta)
		return de_fail(e, "%s: region table %d: no %s region", v->name,
		               v->info.region_table, have_bat ? "metadata" : "BAT");
	span s[3] = {{v->info.bat_offset, v->info.bat_length, "the BAT region"},
	             {v->info.metadata_offset, v->info.metadata_length, "the metadata region"},
	             {v->info.log_offset, v->info.log_length, "the log"}};
	size_t ns = v->info.log_length ? 3 : 2;
	for (size_t i = 0; i < ns; i++)
		if (check_span(v, &s[i], e) < 0)
			return -1;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			if (s[i].off < s[j].off + s[j].len && s[j].off < s[i].off + s[i].len)
				return de_fail(e, "%s: %s and %s overlap", v->name, s[i].what, s[j].what);
	if (v->info.metadata_length < METATABLE_LEN)
		return de_fail(e, "%s: the metadata region (%u bytes) cannot hold its 64 KiB table",
		               v->name, v->info.metadata_length);
	return 0;
}

/* The first region table, or the second when the first is damaged. */
static int read_regions(vhdx *v, de_err *e)
{
	uint8_t *t = xmalloc(REGION_LEN);
	char why[2][96] = {"", ""};
	int rc = -1;
	for (int i = 0; i < 2; i++) {
		de_err re;
		if (vhdx_pread(v, i ? OFF_REGION2 : OFF_REGION1, t, REGION_LEN,
		               i ? "region table 2" : "region table 1", &re) < 0) {
			snprintf(why[i], sizeof why[i], "unreadable");
			continue;
		}
		if (check_region(t, why[i], sizeof why[i]) < 0)
			continue;
		v->info.region_table = i + 1;
		rc = parse_regions(v, t, e);
		goto out;
	}
	de_fail(e, "%s: no valid region table: 1: %s; 2: %s", v->name, why[0], why[1]);
out:
	free(t);
	return rc;
}

/* ---- 2.6: metadata -------------------------------------------------------- */

typedef struct item {
	const uint8_t *guid;
	const char *what;
	uint32_t min_len;
	uint32_t off, len;
	bool found;
} item;

enum { IT_PARAMS, IT_SIZE, IT_ID, IT_LOGICAL, IT_PHYSICAL, IT_LOCATOR, IT_N };

static int parse_meta_table(vhdx *v, const uint8_t *t, item *it, de_err *e)
{
	if (memcmp(t, "metadata", 8) != 0)
		return de_fail(e, "%s: metadata table: no \"metadata\" signature", v->name);
	uint16_t n = vhdx_le16(t + 10);
	if (n > MAX_ENTRIES)
		return de_fail(e, "%s: metadata table: EntryCount %u > 2047", v->name, n);
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *m = t + 32 + (size_t)i * 32;
		uint32_t off = vhdx_le32(m + 16), len = vhdx_le32(m + 20), flags = vhdx_le32(m + 24);
		bool user = flags & 1, required = flags & 4;
		if (len == 0 ? off != 0
		             : off < METATABLE_LEN || len > VHDX_MB || off > v->info.metadata_length ||
		               len > v->info.metadata_length - off)
			return de_fail(e, "%s: metadata entry %u: Offset %u, Length %u: outside the "
			               "metadata region (%u bytes) or its rules (2.6.1.2)", v->name, i,
			               off, len, v->info.metadata_length);
		int k = -1;
		for (int j = 0; j < IT_N && !user; j++)
			if (!memcmp(m, it[j].guid, 16))
				k = j;
		if (k < 0) {
			if (required && !user) {
				char g[VHDX_GUID_STR];
				vhdx_guid_str(m, g);
				return de_fail(e, "%s: metadata item %s is marked required and is not one "
				               "MS-VHDX defines: the file cannot be read (2.6.1.2)", v->name, g);
			}
			continue;
		}
		if (it[k].found)
			return de_fail(e, "%s: metadata item %s is listed twice", v->name, it[k].what);
		if (len < it[k].min_len)
			return de_fail(e, "%s: metadata item %s: Length %u, less than its %u bytes",
			               v->name, it[k].what, len, it[k].min_len);
		it[k].found = true;
		it[k].off = off;
		it[k].len = len;
	}
	return 0;
}

/* An item's bytes, read (bounded by 2.6.1.2's 1 MiB). */
static uint8_t *read_item(vhdx *v, const item *it, de_err *e)
{
	uint8_t *b = xmalloc(it->len ? it->len : 1);
	char what[96];
	snprintf(what, sizeof what, "metadata item %s", it->what);
	if (vhdx_pread(v, v->info.metadata_offset + it->off, b, it->len, what, e) < 0) {
		free(b);
		return NULL;
	}
	return b;
}

static int check_values(vhdx *v, de_err *e)
{
	vhdx_info *in = &v->info;
	uint32_t bs = in->block_size;
	if (bs < VHDX_MB || bs > 256u * VHDX_MB || (bs & (bs - 1)))
		return de_fail(e, "%s: File Parameters: BlockSize %u is not a power of 2 from 1 MiB "
		               "to 256 MiB (2.6.2.1)", v->name, bs);
	if (in->logical_sector != 512 && in->logical_sector != 4096)
		return de_fail(e, "%s: Logical Sector Size %u is neither 512 nor 4096", v->name,
		               in->logical_sector);
	if (in->physical_sector != 512 && in->physical_sector != 4096)
		return de_fail(e, "%s: Physical Sector Size %u is neither 512 nor 4096", v->name,
		               in->physical_sector);
	if (in->virtual_size == 0 || in->virtual_size > MAX_VIRTUAL_SIZE ||
	    in->virtual_size % in->logical_sector)
		return de_fail(e, "%s: Virtual Disk Size %llu is not a multiple of the sector size "
		               "up to 64 TiB (2.6.2.2)", v->name, (unsigned long long)in->virtual_size);
	/* 2.4, 2.5: chunk ratio = 2^23 × logical sector size / block size */
	in->chunk_ratio = (uint32_t)(((uint64_t)1 << 23) * in->logical_sector / bs);
	in->payload_blocks = (in->virtual_size + bs - 1) / bs;
	in->bitmap_blocks = (in->payload_blocks + in->chunk_ratio - 1) / in->chunk_ratio;
	in->bat_entries = in->has_parent
		? in->bitmap_blocks * (in->chunk_ratio + 1)
		: in->payload_blocks + (in->payload_blocks - 1) / in->chunk_ratio;
	if (in->bat_entries > in->bat_length / 8)
		return de_fail(e, "%s: the BAT region (%u bytes) cannot hold the %llu entries a "
		               "%llu-byte disk of %u-byte blocks needs (2.5)", v->name,
		               in->bat_length, (unsigned long long)in->bat_entries,
		               (unsigned long long)in->virtual_size, bs);
	return 0;
}

/* UTF-16LE (no NUL inside, 2.6.2.6.2) to UTF-8; NULL when not valid. */
static char *utf16_to_utf8(const uint8_t *p, size_t n)
{
	if (n % 2)
		return NULL;
	dbuf b = {0};
	for (size_t i = 0; i < n; i += 2) {
		uint32_t c = vhdx_le16(p + i);
		if (c >= 0xd800 && c < 0xdc00) {
			uint32_t lo = i + 3 < n ? vhdx_le16(p + i + 2) : 0;
			if (lo < 0xdc00 || lo >= 0xe000)
				goto bad;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if ((c >= 0xdc00 && c < 0xe000) || c == 0) {
			goto bad;
		}
		char u[4];
		size_t k;
		if (c < 0x80) {
			u[0] = (char)c;
			k = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xc0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3f));
			k = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
			k = 3;
		} else {
			u[0] = (char)(0xf0 | c >> 18);
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
			k = 4;
		}
		db_add(&b, u, k);
	}
	db_add(&b, "", 0);
	return db_take(&b);
bad:
	db_free(&b);
	return NULL;
}

/* 2.6.2.6: header {LocatorType, Reserved, KeyValueCount}, then 12-byte
 * entries {KeyOffset, ValueOffset, KeyLength, ValueLength}; offsets from
 * the item's start, lengths in bytes, strings UTF-16LE. */
static int parse_locator(vhdx *v, const uint8_t *p, uint32_t len, de_err *e)
{
	if (memcmp(p, GUID_VHDX_LOCATOR, 16) != 0) {
		char g[VHDX_GUID_STR];
		vhdx_guid_str(p, g);
		return de_fail(e, "%s: parent locator: LocatorType %s is not the VHDX locator "
		               "{b04aefb7-d19e-4a81-b789-25b8e9445913}", v->name, g);
	}
	uint16_t n = vhdx_le16(p + 18);
	if (20 + (uint64_t)n * 12 > len)
		return de_fail(e, "%s: parent locator: %u entries do not fit its %u bytes", v->name,
		               n, len);
	struct { const char *key; char **val; } keys[] = {
		{"parent_linkage", &v->info.parent_linkage},
		{"parent_linkage2", &v->info.parent_linkage2},
		{"relative_path", &v->info.relative_path},
		{"volume_path", &v->info.volume_path},
		{"absolute_win32_path", &v->info.absolute_win32_path},
	};
	for (uint16_t i = 0; i < n; i++) {
		const uint8_t *en = p + 20 + (size_t)i * 12;
		uint32_t ko = vhdx_le32(en), vo = vhdx_le32(en + 4);
		uint16_t kl = vhdx_le16(en + 8), vl = vhdx_le16(en + 10);
		if (!ko || !vo || !kl || !vl || ko > len || kl > len - ko || vo > len ||
		    vl > len - vo)
			return de_fail(e, "%s: parent locator entry %u: key %u+%u, value %u+%u: "
			               "outside the item's %u bytes", v->name, i, ko, kl, vo, vl, len);
		char *key = utf16_to_utf8(p + ko, kl), *val = utf16_to_utf8(p + vo, vl);
		if (!key || !val) {
			free(key);
			free(val);
			return de_fail(e, "%s: parent locator entry %u: not valid UTF-16", v->name, i);
		}
		for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
			if (!strcmp(key, keys[k].key)) {
				if (*keys[k].val) {
					free(key);
					free(val);
					return de_fail(e, "%s: parent locator: key %s twice", v->name,
					               keys[k].key);
				}
				*keys[k].val = val;
				val = NULL;
			}
		free(key);
		free(val);
	}
	if (!v->info.parent_linkage)
		return de_fail(e, "%s: parent locator: no parent_linkage (2.6.2.6.3)", v->name);
	uint8_t g[16];
	if (vhdx_guid_parse(v->info.parent_linkage, g) < 0)
		return de_fail(e, "%s: parent locator: parent_linkage \"%s\" is not a GUID", v->name,
		               v->info.parent_linkage);
	if (!v->info.relative_path && !v->info.volume_path && !v->info.absolute_win32_path)
		return de_fail(e, "%s: parent locator: none of relative_path, volume_path, "
		               "absolute_win32_path (2.6.2.6.3)", v->name);
	return 0;
}

static int read_metadata(vhdx *v, de_err *e)
{
	item it[IT_N] = {
		{GUID_FILE_PARAMS, "File Parameters", 8, 0, 0, false},
		{GUID_DISK_SIZE, "Virtual Disk Size", 8, 0, 0, false},
		{GUID_DISK_ID, "Virtual Disk ID", 16, 0, 0, false},
		{GUID_LOGICAL, "Logical Sector Size", 4, 0, 0, false},
		{GUID_PHYSICAL, "Physical Sector Size", 4, 0, 0, false},
		{GUID_PARENT_LOC, "Parent Locator", 20, 0, 0, false},
	};
	uint8_t *t = xmalloc(METATABLE_LEN);
	int rc = vhdx_pread(v, v->info.metadata_offset, t, METATABLE_LEN, "the metadata table", e);
	if (rc == 0)
		rc = parse_meta_table(v, t, it, e);
	free(t);
	if (rc < 0)
		return -1;
	for (int k = 0; k < IT_LOCATOR; k++)
		if (!it[k].found)
			return de_fail(e, "%s: no %s metadata item (required, 2.6.2)", v->name, it[k].what);
	uint8_t *b[IT_N] = {0};
	for (int k = 0; k < IT_N && rc == 0; k++)
		if (it[k].found && !(b[k] = read_item(v, &it[k], e)))
			rc = -1;
	if (rc == 0) {
		vhdx_info *in = &v->info;
		in->block_size = vhdx_le32(b[IT_PARAMS]);
		in->leave_blocks_allocated = vhdx_le32(b[IT_PARAMS] + 4) & 1;
		in->has_parent = vhdx_le32(b[IT_PARAMS] + 4) >> 1 & 1;
		in->virtual_size = vhdx_le64(b[IT_SIZE]);
		memcpy(in->virtual_disk_id, b[IT_ID], 16);
		in->logical_sector = vhdx_le32(b[IT_LOGICAL]);
		in->physical_sector = vhdx_le32(b[IT_PHYSICAL]);
		rc = check_values(v, e);
		if (rc == 0 && in->has_parent) {
			if (!it[IT_LOCATOR].found)
				rc = de_fail(e, "%s: HasParent is set and there is no parent locator "
				             "(2.6.2.6)", v->name);
			else
				rc = parse_locator(v, b[IT_LOCATOR], it[IT_LOCATOR].len, e);
		}
	}
	for (int k = 0; k < IT_N; k++)
		free(b[k]);
	return rc;
}

/* ---- open, close ---------------------------------------------------------- */

static int open_common(vhdx *v, de_err *e)
{
	if (read_headers(v, e) < 0 || read_regions(v, e) < 0 || read_metadata(v, e) < 0)
		return -1;
	return 0;
}

static vhdx *new_vhdx(const char *name)
{
	vhdx *v = xcalloc(1, sizeof *v);
	v->name = xstrdup(name);
	v->fd = -1;
	return v;
}

int vhdx_open_fd(vhdx **out, int fd, const char *name, de_err *e)
{
	*out = NULL;
	vhdx *v = new_vhdx(name);
	v->fd = fd;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		de_fail_errno(e, errno, "%s", name);
		vhdx_close(v);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		de_fail(e, "%s: not a regular file", name);
		vhdx_close(v);
		return -1;
	}
	v->info.file_size = (uint64_t)st.st_size;
	if (open_common(v, e) < 0) {
		vhdx_close(v);
		return -1;
	}
	*out = v;
	return 0;
}

int vhdx_open_mem(vhdx **out, const uint8_t *data, size_t len, const char *name, de_err *e)
{
	*out = NULL;
	vhdx *v = new_vhdx(name);
	v->mem = data ? data : (const uint8_t *)"";
	v->info.file_size = data ? len : 0;
	if (open_common(v, e) < 0) {
		vhdx_close(v);
		return -1;
	}
	*out = v;
	return 0;
}

void vhdx_close(vhdx *v)
{
	for (size_t depth = 0; v && depth <= VHDX_MAX_CHAIN; depth++) {
		vhdx *next = v->parent;
		if (v->fd >= 0)
			close(v->fd);
		free(v->info.parent_linkage);
		free(v->info.parent_linkage2);
		free(v->info.relative_path);
		free(v->info.volume_path);
		free(v->info.absolute_win32_path);
		free(v->sb_buf);
		free(v->name);
		free(v);
		v = next;
	}
}

const vhdx_info *vhdx_get_info(const vhdx *v)
{
	return &v->info;
}

const char *vhdx_name(const vhdx *v)
{
	return v->name;
}

vhdx *vhdx_parent(const vhdx *v)
{
	return v->parent;
}
