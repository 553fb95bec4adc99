/* Fuzz target: the XFS reader (fs/xfs*.c) on a sparse image (fuzz_img.h):
 * super block, inodes v2/v3, extent lists and bmap btrees, short form,
 * block, leaf and node directories, short form, leaf and node attribute
 * forks with remote values, local and remote symlinks — the whole tree
 * walked as `de fsls -R --hash --xattrs` walks it. Seeds: images made by
 * mkfs.xfs -p (tests/fuzz/seed.sh, img2fuzz.py). */
#include "fuzz_img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bsrc *src = fz_image(data, size);
	if (!src)
		return 0;
	fz_walk_fs(src, "xfs");
	bsrc_close(src);
	return 0;
}
