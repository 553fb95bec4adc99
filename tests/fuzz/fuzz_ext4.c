/* Fuzz target: the ext2/3/4 reader (fs/ext4*.c) on a sparse image
 * (fuzz_img.h): super block, group descriptors, inodes, extent trees and
 * indirect blocks, linear and hashed directories, inline data, in-inode
 * and block xattrs, EA inodes, symlinks — the whole tree walked as
 * `de fsls -R --hash --xattrs` walks it. Seeds: images made by mkfs.ext2/
 * 3/4 -d (tests/fuzz/seed.sh, img2fuzz.py). */
#include "fuzz_img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bsrc *src = fz_image(data, size);
	if (!src)
		return 0;
	fz_walk_fs(src, "ext");
	bsrc_close(src);
	return 0;
}
