# The file system readers (src/fs) through `de fsls`, against the kernel.
# Every image is made here by the real tools — mkfs.ext2/3/4 and mkfs.xfs
# (e2fsprogs, xfsprogs) in the variants that change the on-disk format
# (inline data, EA inodes, 128-byte inodes, meta_bg, bigalloc, ext3's and
# ext2's indirect blocks with 1 KiB blocks; XFS v5, 8 KiB directory
# blocks, 64-bit extent counters, 1 KiB blocks) — and filled through a
# kernel loop mount by fs-populate.sh. The oracle: the kernel's own view of
# the same bytes (a read-only loop mount, journal not replayed, listed by
# fslisting.py: statx, readlink, every xattr, the content's SHA-256),
# entry for entry, inode numbers included. debugfs and xfs_db confirm that
# the variants hold the structures they are meant to exercise.
# (Volumes and image formats: t_fsimage.sh.)
. "$(dirname "$0")/lib.sh"
scratch
. "$(dirname "$0")/lib-fs.sh"
fs_need_loop_mount || exit 0
# Under valgrind (make memcheck) a few variants only: each is a full walk.
variant() {
	case "$DE" in *valgrind*) case " ext4 ext4-inline ext2-1k xfs " in *" $1 "*) ;; *)
		skip "$1: not run under valgrind (make check runs it)"; return 1 ;; esac ;; esac
}

E4="mkfs.ext4 -q -F -b 4096"
XFS="env TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f"   # fstests' way past the 300 MB minimum

# ---- ext2/3/4 ----------------------------------------------------------------
variant ext4 && fs ext4 96M "" noload $E4
variant ext4-inline && fs ext4-inline 96M "" noload $E4 -O inline_data
variant ext4-eainode && fs ext4-eainode 96M "" noload $E4 -O ea_inode
variant ext4-128 && fs ext4-128 96M "" noload $E4 -I 128
variant ext4-metabg && fs ext4-metabg 96M "" noload $E4 -O meta_bg,^resize_inode
variant ext4-bigalloc && fs ext4-bigalloc 128M "" noload $E4 -O bigalloc -C 16384
variant ext3 && fs ext3 96M "" noload mkfs.ext3 -q -F -b 4096
variant ext2-1k && fs ext2-1k 128M "" "" mkfs.ext2 -q -F -b 1024

# what the variants must have exercised (else a comparison proved less than it says)
inode_of() { awk -v p=" $2 " 'index($0, p) { print $1; exit }' "$S/$1.de"; }
check "ext4-inline: a file and a directory are stored inline (INLINE_DATA_FL)" \
	sh -c "debugfs -R 'stat /files/inline-small' '$S/ext4-inline.raw' 2>/dev/null | grep -q 'Flags: 0x10000000' &&
	       debugfs -R 'stat /dirs/few' '$S/ext4-inline.raw' 2>/dev/null | grep -q 'Size of inline data'"
# a 20000-byte value fits neither the inode nor a 4 KiB xattr block: the
# kernel can only have put it in an EA inode
[ -f "$S/ext4-eainode.kernel" ] && check "ext4-eainode: user.huge (20000 bytes, so in an EA inode) is in the kernel's listing" \
	test "$(grep ' /x/huge ' "$S/ext4-eainode.kernel" | grep -o 'user\.huge=[0-9a-f]*' | wc -c)" = 40011
check "ext4: /dirs/huge is hashed (htree), /files/fragmented has an extent tree of depth > 0" \
	sh -c "debugfs -R 'htree /dirs/huge' '$S/ext4.raw' 2>/dev/null | grep -q 'Root node dump' &&
	       debugfs -R 'ex /files/fragmented' '$S/ext4.raw' 2>/dev/null | grep -q '^ 0/ 1'"
check "ext2-1k: /files/triple reaches a triple-indirect block" \
	sh -c "debugfs -R 'stat /files/triple' '$S/ext2-1k.raw' 2>/dev/null | grep -q '(TIND)'"

# ---- XFS ---------------------------------------------------------------------
variant xfs && fs xfs 160M "" norecovery $XFS
variant xfs-dir8k && fs xfs-dir8k 160M "" norecovery $XFS -n size=8192
variant xfs-nrext64 && fs xfs-nrext64 160M "" norecovery $XFS -i nrext64=1
variant xfs-1k && fs xfs-1k 160M "" norecovery $XFS -b size=1024
if ! variant xfs-v4; then
	:
elif mkimg xfs-v4 160M "" $XFS -m crc=0 2>/dev/null; then
	if kernel xfs-v4 norecovery; then
		ours xfs-v4 "$S/xfs-v4.raw"
		compare xfs-v4 "xfs-v4 (mkfs.xfs -m crc=0)"
	else
		bad "xfs-v4: made and mounted read-write, but not read-only"
	fi
else
	skip "xfs-v4: this kernel does not mount XFS v4 (CONFIG_XFS_SUPPORT_V4): compared with xfs_db below instead"
	# XFS v4 (RHEL 7's first hosts) without the kernel: mkfs.xfs -m crc=0 -p
	# copies a tree in; xfs_db (names, inode numbers, inode cores) and the
	# tree itself (content, targets, device numbers) are the oracle
	T=$S/v4tree
	mkdir -p "$T/many" "$T/sub"
	python3 - "$T" <<'PY'
import os, sys
os.chdir(sys.argv[1])
for n, sz in [("f0", 0), ("f1", 1), ("f5000", 5000), ("f70000", 70000)]:
    open(n, "wb").write(os.urandom(sz))
for i in range(600):
    open("many/entry-with-a-longish-name-%d" % i, "w").close()
os.symlink("f1", "l-short"); os.symlink("y" * 300, "l-300"); os.symlink("/z" * 500, "l-1000")
os.mknod("wh", 0o600 | 0o020000, os.makedev(0, 0)); os.mknod("null", 0o666 | 0o020000, os.makedev(1, 3))
os.mknod("sda1", 0o660 | 0o060000, os.makedev(8, 1)); os.mkfifo("fifo")
open("sub/setuid", "w").close(); os.chmod("sub/setuid", 0o4755); os.chown("sub/setuid", 1000, 2000)
os.chmod("sub", 0o1777)
PY
	python3 "$TOP/tests/e2e/xfsdb-listing.py" --proto "$T" "$S/v4.proto"
	for ft in 1 0; do
		rm -f "$S/v4.raw"; truncate -s 20M "$S/v4.raw"
		if ! $XFS -m crc=0 -n ftype=$ft -p "$S/v4.proto" "$S/v4.raw" >/dev/null 2>&1; then
			bad "xfs-v4 (ftype=$ft): mkfs.xfs -m crc=0 -p failed"; continue
		fi
		python3 "$TOP/tests/e2e/xfsdb-listing.py" "$S/v4.raw" "$T" | LC_ALL=C sort >"$S/v4.want"
		"$DE" fsls "$S/v4.raw" -R --hash 2>"$S/v4.err" |
			awk '{ p = $0; for (i = 0; i < 11; i++) sub(/^[^ ]* /, "", p); print $1, $2, $3, $4, $5, $6, p }' |
			LC_ALL=C sort >"$S/v4.got"
		if [ -s "$S/v4.want" ] && [ ! -s "$S/v4.err" ] && cmp -s "$S/v4.want" "$S/v4.got"; then
			ok "xfs-v4 (mkfs.xfs -m crc=0 -n ftype=$ft -p): $(wc -l <"$S/v4.got") entries as xfs_db and the source tree say (inode, mode, links, owner, size/device, target, SHA-256)"
		else
			bad "xfs-v4 (ftype=$ft): de fsls differs from xfs_db and the source tree"
			head -3 "$S/v4.err" | sed 's/^/#   /'; diff "$S/v4.want" "$S/v4.got" | head -6 | sed 's/^/#   /'
		fi
	done
fi
xfmt() { xfs_db -r -c "inode $(inode_of "$1" "$2")" -c "print core.format core.aformat" "$S/$1.raw" | tr '\n' ' '; }
case "$(xfmt xfs /dirs/huge)$(xfmt xfs /files/fragmented)" in
*"format = 3"*"format = 3"*) ok "xfs: /dirs/huge (node directory) and /files/fragmented have btree data forks" ;;
*) bad "xfs: the btree forms were not exercised: $(xfmt xfs /dirs/huge) $(xfmt xfs /files/fragmented)" ;;
esac
case "$(xfmt xfs /x/many)$(xfmt xfs /x/acl)" in
*"aformat = 2"*"aformat = 1"*) ok "xfs: /x/many has leaf attributes, /x/acl short-form ones" ;;
*) bad "xfs: attribute forms not exercised: $(xfmt xfs /x/many) $(xfmt xfs /x/acl)" ;;
esac
same_text "xfs: the kernel lists an ACL twice (system.posix_acl_access and trusted.SGI_ACL_FILE), so does de" \
	"system.posix_acl_access trusted.SGI_ACL_FILE" \
	"$(grep ' /x/acl ' "$S/xfs.de" | grep -o 'system.posix_acl_access\|trusted.SGI_ACL_FILE' | tr '\n' ' ' | sed 's/ $//')"

# the file system's kind as blkid -p names it (ext2, ext3, ext4, xfs)
want= got=
for img in "$S"/ext*.raw "$S"/xfs*.raw; do
	[ -f "$img" ] || continue
	want+="$(basename "$img" .raw) $(blkid -p -o value -s TYPE "$img")"$'\n'
	got+="$(basename "$img" .raw) $("$DE" fsls "$img" | cut -f7)"$'\n'
done
same_text "every image: its file system named as blkid -p names it" "$want" "$got"

# ---- damage, made by debugfs on a copy of the ext4 image --------------------
# An extent pointing past the file system, a directory linked into its own
# child (a loop), an xattr value length past its block, and a truncated
# image: each is a warning naming the inode (exit 3), or for the truncated
# image an error (exit 1); everything else is still read.
if [ -f "$S/ext4.raw" ]; then
	B=$S/bad.raw
	cp --sparse=always "$S/ext4.raw" "$B"
	dbg() { debugfs -w -R "$1" "$B" >/dev/null 2>&1; }
	dbg "sif /files/f65536 block[5] 0x7ffffff0"     # ee_start_lo of the first extent
	dbg "link /dirs /dirs/few/loop"
	acl=$(debugfs -R "stat /x/big" "$B" 2>/dev/null | sed -n 's/.*File ACL: \([0-9]*\).*/\1/p')
	printf '\000\040\000\000' | dd of="$B" bs=1 seek=$((acl * 4096 + 32 + 8)) conv=notrunc status=none
	"$DE" fsls "$B" -R --hash --xattrs >"$S/bad.out" 2>"$S/bad.err"; rc=$?
	check "damaged ext4: exit 3 (done, with omissions)" test $rc -eq 3
	check "damaged ext4: the extent past the end is a warning naming inode $(inode_of ext4 /files/f65536)" \
		grep -q "inode $(inode_of ext4 /files/f65536): extent at block 2147483632 lies outside" "$S/bad.err"
	check "damaged ext4: the directory loop is seen and not followed" \
		grep -q "directory inode $(inode_of ext4 /dirs) (/dirs/few/loop) met twice" "$S/bad.err"
	check "damaged ext4: the xattr length past its block is a warning naming inode $(inode_of ext4 /x/big)" \
		grep -q "inode $(inode_of ext4 /x/big): xattr value (8192 bytes at [0-9]*) past the end of the xattr block" "$S/bad.err"
	same_text "damaged ext4: every other inode is still listed" \
		"$(cut -d' ' -f1 "$S/ext4.kernel" | sort -u)" "$(cut -d' ' -f1 "$S/bad.out" | sort -u)"
	head -c 40M "$S/ext4.raw" >"$S/half.raw"
	"$DE" fsls "$S/half.raw" -R >/dev/null 2>"$S/err"; rc=$?
	same_text "a truncated ext4 image: refused with the reason (exit 1)" \
		"1 de: fsls: $S/half.raw: ext super block: bad block count (larger than the volume: a truncated image?)" \
		"$rc $(cat "$S/err")"
fi
