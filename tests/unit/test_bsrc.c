/* Unit tests: image/bsrc — bounds, slices and extent maps, the metadata
 * cache against direct reads, split raw images across their segments, and
 * the choice of format by magic (the readers behind the magics are tested
 * end to end on images made by the real tools: tests/e2e/t_fsimage.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/bsrc.h"

static uint8_t *pattern(size_t n)
{
	uint8_t *p = malloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	return p;
}

static void test_mem_bounds(void **state)
{
	(void)state;
	uint8_t *d = pattern(1000);
	bsrc *s = bsrc_mem(d, 1000, "mem");
	uint8_t buf[100];
	de_err e;
	assert_int_equal(bsrc_read(s, 900, buf, 100, &e), 0);
	assert_memory_equal(buf, d + 900, 100);
	assert_int_equal(bsrc_read(s, 901, buf, 100, &e), -1);
	assert_non_null(strstr(e.msg, "read past the end"));
	assert_int_equal(bsrc_read(s, UINT64_MAX - 10, buf, 100, &e), -1);   /* no wrap-around */
	assert_int_equal(bsrc_read(s, 1000, buf, 0, &e), 0);
	bsrc_close(s);
	free(d);
}

static void test_slice_and_map(void **state)
{
	(void)state;
	uint8_t *d = pattern(4096);
	bsrc *s = bsrc_mem(d, 4096, "disk");
	de_err e;
	bsrc *p = bsrc_slice(s, 1024, 2048, "disk p1", &e);
	assert_non_null(p);
	uint8_t buf[64];
	assert_int_equal(bsrc_read(p, 2000, buf, 48, &e), 0);
	assert_memory_equal(buf, d + 3024, 48);
	assert_int_equal(bsrc_read(p, 2040, buf, 16, &e), -1);   /* past the slice, inside the disk */
	bsrc_close(p);
	assert_null(bsrc_slice(s, 3000, 2000, "past", &e));      /* a partition past the disk */
	assert_non_null(strstr(e.msg, "past the end of disk"));

	/* an LV of three extents in reverse order on the "PV" */
	bsrc_ext x[3] = {{0, 100, s, 3000}, {100, 200, s, 1000}, {300, 50, s, 0}};
	bsrc *lv = bsrc_map(x, 3, "vg/lv", &e);
	assert_non_null(lv);
	assert_int_equal(lv->size, 350);
	uint8_t big[350];
	assert_int_equal(bsrc_read(lv, 0, big, 350, &e), 0);
	assert_memory_equal(big, d + 3000, 100);
	assert_memory_equal(big + 100, d + 1000, 200);
	assert_memory_equal(big + 300, d, 50);
	assert_int_equal(bsrc_read(lv, 95, buf, 10, &e), 0);    /* across an extent boundary */
	assert_memory_equal(buf, d + 3095, 5);
	assert_memory_equal(buf + 5, d + 1000, 5);
	bsrc_close(lv);
	bsrc_ext gap[2] = {{0, 100, s, 0}, {200, 100, s, 0}};
	assert_null(bsrc_map(gap, 2, "gappy", &e));
	bsrc_ext over[1] = {{0, 100, s, 4000}};                  /* an LV larger than its PV */
	assert_null(bsrc_map(over, 1, "vg/big", &e));
	assert_non_null(strstr(e.msg, "lies past the end of disk"));
	bsrc_close(s);
	free(d);
}

static void test_cache(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	uint8_t *d = pattern(n);
	bsrc *s = bsrc_mem(d, n - 777, "mem");   /* a partial last slot */
	de_err e;
	bsrc *c = bsrc_cached(s, 4096, 16, &e);
	assert_non_null(c);
	uint32_t x = 99;
	uint8_t buf[9000];
	for (int i = 0; i < 20000; i++) {
		x = x * 1664525u + 1013904223u;
		size_t len = (x >> 8) % 9000;
		uint64_t off = (x >> 3) % (n - 777 - len);
		assert_int_equal(bsrc_read(c, off, buf, len, &e), 0);
		assert_memory_equal(buf, d + off, len);
	}
	assert_int_equal(bsrc_read(c, n - 777 - 10, buf, 10, &e), 0);
	assert_int_equal(bsrc_read(c, n - 777 - 10, buf, 11, &e), -1);
	assert_null(bsrc_cached(s, 1000, 16, &e));   /* not a power of two */
	bsrc_close(c);
	bsrc_close(s);
	free(d);
}

static char tmpdir[] = "/tmp/de-test-bsrc.XXXXXX";

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void test_split_raw(void **state)
{
	(void)state;
	uint8_t *d = pattern(10000);
	char a[256], b[256], c[256];
	snprintf(a, sizeof a, "%s/disk.001", tmpdir);
	snprintf(b, sizeof b, "%s/disk.002", tmpdir);
	snprintf(c, sizeof c, "%s/disk.003", tmpdir);
	write_file(a, d, 4096);
	write_file(b, d + 4096, 1);
	write_file(c, d + 4097, 10000 - 4097);
	de_err e;
	const char *fmt = bsrc_detect(a, &e);
	assert_string_equal(fmt, "split raw");
	bsrc *s = bsrc_open(a, &e);
	assert_non_null(s);
	assert_int_equal(s->size, 10000);
	uint8_t buf[10000];
	assert_int_equal(bsrc_read(s, 4090, buf, 20, &e), 0);   /* across all three */
	assert_memory_equal(buf, d + 4090, 20);
	assert_int_equal(bsrc_read(s, 0, buf, 10000, &e), 0);
	assert_memory_equal(buf, d, 10000);
	bsrc_close(s);
	/* the second segment alone: a raw image */
	assert_string_equal(bsrc_detect(c, &e), "raw");
	/* a segment shortened after opening: an error, not zeros */
	s = bsrc_open(a, &e);
	assert_int_equal(truncate(c, 100), 0);
	assert_int_equal(bsrc_read(s, 9000, buf, 100, &e), -1);
	assert_non_null(strstr(e.msg, "truncated"));
	bsrc_close(s);
	unlink(a);
	unlink(b);
	unlink(c);
	free(d);
}

static void detect_is(const char *name, const void *head, size_t hn, size_t size, const char *tail,
                      const char *want)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	uint8_t *buf = calloc(1, size);
	memcpy(buf, head, hn);
	if (tail)
		memcpy(buf + size - 512, tail, strlen(tail));
	write_file(path, buf, size);
	free(buf);
	de_err e;
	const char *got = bsrc_detect(path, &e);
	if (want)
		assert_string_equal(got, want);
	else {
		assert_null(got);
		assert_non_null(strstr(e.msg, "logical evidence"));
	}
	unlink(path);
}

static void test_detect(void **state)
{
	(void)state;
	detect_is("a.qcow2", "QFI\xfb\0\0\0\3", 8, 4096, NULL, "qcow2");
	detect_is("a.E01", "EVF\x09\x0d\x0a\xff\x00", 8, 4096, NULL, "ewf");
	detect_is("a.Ex01", "EVF2\x0d\x0a\x81\x00", 8, 4096, NULL, "ewf");
	detect_is("a.L01", "LVF\x09\x0d\x0a\xff\x00", 8, 4096, NULL, NULL);
	detect_is("a.vmdk", "KDMV", 4, 4096, NULL, "vmdk");
	detect_is("b.vmdk", "# Disk DescriptorFile\n", 22, 4096, NULL, "vmdk");
	detect_is("a.vhdx", "vhdxfile", 8, 4096, NULL, "vhdx");
	detect_is("dyn.vhd", "conectix", 8, 4096, NULL, "vhd");
	detect_is("fixed.vhd", "", 0, 4096, "conectix", "vhd");
	detect_is("plain.img", "\0", 1, 4096, NULL, "raw");
	de_err e;
	char missing[256];
	snprintf(missing, sizeof missing, "%s/none", tmpdir);
	assert_null(bsrc_open(missing, &e));
	assert_non_null(strstr(e.msg, "No such file"));
}

/* The library readers (img_tsk.c, img_qcow.c) on containers made by the
 * real tools from a known raw image: every byte as in the raw. */
static void test_formats(void **state)
{
	(void)state;
	if (system("command -v qemu-img >/dev/null && command -v ewfacquire >/dev/null") != 0)
		skip();
	size_t n = 3 << 20;
	uint8_t *d = pattern(n);
	memset(d + (1 << 20), 0, 1 << 20);   /* a zero stretch: sparse in the containers */
	char raw[256], cmd[2048];
	snprintf(raw, sizeof raw, "%s/f.raw", tmpdir);
	write_file(raw, d, n);
	static const struct {
		const char *name, *make, *format;
	} fmt[] = {
		{"f.qcow2", "qemu-img convert -f raw -O qcow2 %s %s", "qcow2"},
		{"f.vmdk", "qemu-img convert -f raw -O vmdk %s %s", "vmdk"},
		{"f.vhdx", "qemu-img convert -f raw -O vhdx %s %s", "vhdx"},
		{"f.vhd", "qemu-img convert -f raw -O vpc -o subformat=fixed,force_size=on %s %s", "vhd"},
		{"f.E01", NULL, "ewf"},   /* made below: -t names the target without extension */
	};
	for (size_t i = 0; i < sizeof fmt / sizeof *fmt; i++) {
		char out[256];
		snprintf(out, sizeof out, "%s/%s", tmpdir, fmt[i].name);
		if (!fmt[i].make)
			snprintf(cmd, sizeof cmd, "ewfacquire -q -u -c deflate:fast -S 1MiB -C c -D d -E e "
			         "-e x -N n -t %s/f %s >/dev/null 2>&1", tmpdir, raw);
		else
			snprintf(cmd, sizeof cmd, fmt[i].make, raw, out);
		assert_int_equal(system(cmd), 0);
		de_err e;
		assert_string_equal(bsrc_detect(out, &e), fmt[i].format);
		bsrc *s = bsrc_open(out, &e);
		if (!s)
			fail_msg("%s: %s", out, e.msg);
		assert_int_equal(s->size, n);
		uint8_t *buf = malloc(n);
		assert_int_equal(bsrc_read(s, 0, buf, n, &e), 0);
		assert_memory_equal(buf, d, n);
		assert_int_equal(bsrc_read(s, n - 5, buf, 5, &e), 0);
		assert_memory_equal(buf, d + n - 5, 5);
		assert_int_equal(bsrc_read(s, n - 5, buf, 6, &e), -1);
		free(buf);
		bsrc_close(s);
	}
	snprintf(cmd, sizeof cmd, "rm -f %s/f.*", tmpdir);
	assert_int_equal(system(cmd), 0);
	free(d);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem_bounds),
		cmocka_unit_test(test_slice_and_map),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_split_raw),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_formats),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
