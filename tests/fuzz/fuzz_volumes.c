/* Fuzz target: the volume systems (image/volume.c, mbr.c, gpt.c, lvm.c,
 * lvm_text.c). Byte 0 chooses: even, the rest is a sparse disk image
 * (fuzz_img.h) scanned for MBR (extended chains), GPT (both copies) and
 * LVM2 PVs and LVs, each volume then read at its start and end and, when
 * it holds one, its file system walked; odd, the rest is LVM2 metadata
 * text, parsed. Seeds: disks made by sfdisk, sgdisk and the LVM tools, and
 * vgcfgbackup's text (tests/fuzz/seed.sh, img2fuzz.py). */
#include "fuzz_img.h"
#include "image/lvm_text.h"
#include "image/volume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	de_err e;
	if (data[0] & 1) {
		lvmt_node *t = lvmt_parse((const char *)data + 1, size - 1, &e);
		if (t) {
			const lvmt_node *vg = t->child;
			int64_t n;
			lvmt_num(vg, "extent_size", &n);
			lvmt_str(vg, "id");
			lvmt_free(t);
		}
		return 0;
	}
	bsrc *disk = fz_image(data + 1, size - 1);
	if (!disk)
		return 0;
	vol_set vs;
	if (vol_scan(&disk, 1, &vs, &e) == 0) {
		for (size_t i = 0; i < vs.n; i++) {
			bsrc *v = vs.v[i].src;
			uint8_t buf[512];
			if (!v || v->size == 0)
				continue;
			size_t n = v->size < sizeof buf ? (size_t)v->size : sizeof buf;
			bsrc_read(v, 0, buf, n, &e);
			bsrc_read(v, v->size - n, buf, n, &e);
			if (i < 4 && !vs.v[i].why)
				fz_walk_fs(v, "");
		}
		vol_set_free(&vs);
	}
	bsrc_close(disk);
	return 0;
}
