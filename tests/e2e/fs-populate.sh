#!/usr/bin/env bash
# fs-populate.sh DIR — fills a freshly made file system, mounted at
# DIR by the kernel, with every kind of inode the image readers must read
# as the kernel does (tests/e2e/t_fsread.sh): files of many sizes, sparse
# and preallocated (unwritten) files, fragmented files (deep extent trees,
# XFS btree forks, ext2 triple-indirect blocks), directories of every size
# (inline, short form, block, leaf, node, htree), fast and slow symlinks,
# hard links, fifos, sockets, character and block devices (0/0 whiteouts,
# numbers past 8 bits), owners past 16 bits, setuid/setgid/sticky modes,
# xattrs in every namespace (trusted.overlay.*, user.overlay.*,
# security.capability, POSIX ACLs) from empty to block-sized and remote,
# and nanosecond times before 1970 and after 2038. Names hold newlines,
# tabs and invalid UTF-8. What a file system refuses (a 3000-byte xattr
# with 1 KiB blocks, device numbers past XFS's bits, fallocate on ext3) is
# a "note:" line on stderr: the caller shows them.
set -eu
d=$1
cd "$d"

# plain files of edge sizes
mkdir files
for n in 0 1 59 60 61 1023 1024 4095 4096 4097 65536 200000; do
	head -c "$n" /dev/urandom >"files/f$n"
done
printf 'short\n' >files/inline-small          # inline data on -O inline_data
head -c 150 /dev/urandom >files/inline-150     # i_block + system.data

# sparse, preallocated (unwritten), fragmented
truncate -s 10M files/sparse
printf 'middle' | dd of=files/sparse bs=1 seek=5000000 conv=notrunc status=none
printf 'end' | dd of=files/sparse bs=1 seek=$((10 * 1024 * 1024 - 3)) conv=notrunc status=none
truncate -s 16M files/sparse-huge
printf 'x' | dd of=files/sparse-huge bs=1 seek=$((16 * 1024 * 1024 - 1)) conv=notrunc status=none
head -c 8192 /dev/urandom >files/prealloc
fallocate -o 65536 -l 1048576 files/prealloc 2>/dev/null || echo "note: fallocate unsupported" >&2
fallocate -l 65536 files/prealloc-keep 2>/dev/null || : >files/prealloc-keep
fallocate -n -o 65536 -l 65536 files/prealloc-keep 2>/dev/null || true   # past EOF: KEEP_SIZE
# many extents: every other block written
for i in $(seq 0 2 600); do
	printf 'block %d' "$i" | dd of=files/fragmented bs=4096 seek="$i" conv=notrunc status=none
done
# past the double-indirect range of 1 KiB blocks (12 + 256 + 65536 blocks)
if [ "$(stat -f -c %S .)" = 1024 ]; then
	truncate -s 67M files/triple
	printf 'deep' | dd of=files/triple bs=1 seek=$((66 * 1024 * 1024)) conv=notrunc status=none
fi

# directories of every size
mkdir -p dirs/empty dirs/few dirs/many dirs/huge "dirs/deep/a/b/c/d/e/f/g/h/i/j"
for i in 1 2 3; do : >"dirs/few/e$i"; done
for i in $(seq 1 60); do : >"dirs/many/entry-$i"; done
for i in $(seq 1 3000); do : >"dirs/huge/a-rather-long-file-name-to-fill-directory-blocks-$i"; done
rm -f dirs/huge/a-rather-long-file-name-to-fill-directory-blocks-1{0,1,2,3}?   # holes in blocks
printf 'bottom\n' >"dirs/deep/a/b/c/d/e/f/g/h/i/j/file"

# names
mkdir names
: >"names/new
line"
: >"names/tab	here"
: >"names/$(printf 'bad\xffutf8')"
: >"names/ünïcödé"
: >"names/$(printf '%0255d' 0)"

# links
mkdir links
ln -s f1 links/fast
ln -s "$(printf 'x%.0s' $(seq 1 59))" links/fast-59
ln -s "$(printf 'y%.0s' $(seq 1 60))" links/slow-60
ln -s "$(printf 'z%.0s' $(seq 1 300))" links/local-300
ln -s "$(printf '/long/%.0s' $(seq 1 170))" links/remote-1020
ln -s ../files/f1 links/relative
ln -s /etc/passwd links/absolute
ln files/f4096 links/hard1
ln files/f4096 links/hard2

# special files
mkdir dev
mkfifo dev/fifo
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' dev/socket
mknod dev/null c 1 3
mknod dev/loop b 7 0
mknod dev/whiteout c 0 0
mknod dev/big c 300 70000
# the largest Linux numbers (12-bit major, 20-bit minor): XFS keeps 9 and 18 bits
mknod dev/bigblk b 4095 1048575 2>/dev/null || echo "note: dev/bigblk: b 4095,1048575 refused" >&2

# owners and modes
mkdir modes
for m in 4755 2755 1777 0000 0644 6711 0444; do : >"modes/m$m"; chmod "$m" "modes/m$m"; done
mkdir modes/sticky-dir && chmod 1777 modes/sticky-dir
: >modes/owned && chown 100000:200000 modes/owned
: >modes/owned-max && chown 4294967294:4294967294 modes/owned-max
mkdir modes/dir-owned && chown 65536:65537 modes/dir-owned

# xattrs: every namespace, every size
mkdir x x/opaque-dir
: >x/plain
setfattr -n user.one -v hello x/plain
setfattr -n user.empty x/plain
setfattr -n trusted.overlay.opaque -v y x/opaque-dir
setfattr -n trusted.overlay.redirect -v /old/name x/opaque-dir
: >x/metacopy && setfattr -n trusted.overlay.metacopy x/metacopy
setfattr -n trusted.overlay.origin -v 0x00fb1d000163 x/metacopy
setfattr -n user.overlay.opaque -v y x/opaque-dir
setfattr -n user.overlay.redirect -v /elsewhere x/metacopy
: >x/cap && setfattr -n security.capability -v 0x0100000200200000000000000000000000000000 x/cap
: >x/acl && setfacl -m u:1234:rw,g:5678:r,m::rw x/acl
mkdir x/acl-dir && setfacl -d -m u:42:rwx x/acl-dir && setfacl -m o::--- x/acl-dir
# 3000 bytes: past the inode, into ext4's xattr block (needs 4 KiB blocks) / XFS leaf form
: >x/big
setfattr -n user.big -v "0x$(head -c 3000 /dev/urandom | od -An -v -tx1 | tr -d ' \n')" x/big 2>/dev/null ||
	echo "note: x/big: no room for a 3000-byte xattr (1 KiB blocks)" >&2
: >x/many
for i in $(seq 1 40); do
	setfattr -n "user.attr-$i" -v "value-$i-$(printf '%030d' "$i")" x/many 2>/dev/null ||
		{ echo "note: x/many: room for $((i - 1)) xattrs only" >&2; break; }
done
ln -s target x/link-with-xattr
setfattr -h -n trusted.overlay.opaque -v y x/link-with-xattr
mknod x/whiteout-with-xattr c 0 0
setfattr -n trusted.overlay.whiteout x/whiteout-with-xattr 2>/dev/null || true
# a value past a block: XFS remote value; ext4 only with -O ea_inode
: >x/huge
v=$(head -c 20000 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
setfattr -n user.huge -v "0x$v" x/huge 2>/dev/null ||
	echo "note: x/huge: no 20000-byte xattr (ext4 without ea_inode)" >&2

# times: nanoseconds, before 1970, after 2038
mkdir times
for t in "2021-05-04 12:34:56.123456789" "1969-12-31 23:59:59.999999999" "1901-12-14 00:00:00.5" \
	"2038-01-19 03:14:08.000000001" "2100-02-03 04:05:06.7"; do
	f="times/$(echo "$t" | tr ' :.' '___')"
	: >"$f"
	touch -h -d "$t UTC" "$f" 2>/dev/null || echo "note: touch -d $t refused" >&2
done
touch -a -d "2001-02-03 04:05:06.111111111 UTC" times/2021-05-04_12_34_56_123456789
ln -s nowhere times/link && touch -h -d "2011-11-11 11:11:11.111 UTC" times/link
touch -d "1999-09-09 09:09:09.090909090 UTC" times
