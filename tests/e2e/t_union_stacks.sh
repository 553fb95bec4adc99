# The union engine against the kernel on random layer stacks
# (tests/fixtures/make-random-layers.py: whiteouts, opaque directories,
# directories replaced by files and back, deep paths, odd names with
# newlines and invalid UTF-8, devices, fifos, hard links, xattrs). For each
# stack the kernel's read-only overlay mount is the oracle for `de ls -R -l`,
# and, with content hashes and xattrs, for the FUSE view and for an export.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
	skip "random stacks vs the kernel: need root, unshare -m and overlayfs"; exit 0
fi
scratch
LISTING="python3 $TOP/tests/e2e/listing.py"
for spec in 1:2 2:3 3:4 4:6 5:8 6:12 7:16 8:20; do
	seed=${spec%:*} layers=${spec#*:}
	S=$SCRATCH/s$seed
	python3 "$TOP/tests/fixtures/make-random-layers.py" "$seed" "$S" "$layers"
	R=$S/var/lib/docker cid=$(cat "$S/cid")
	mkdir -p "$S/k" "$S/f" "$S/x"
	unshare -m --propagation private bash -c "mount -t overlay overlay -o ro,lowerdir=$(cat "$S/lowerdir") '$S/k' &&
		$LISTING '$S/k' > '$S/k.txt' && $LISTING '$S/k' --hash --xattrs > '$S/kh.txt'"
	check "stack $seed ($layers layers): the kernel mounted it" test -s "$S/k.txt"
	same_text "stack $seed ($layers layers): de ls -R -l equals the kernel" "$(cat "$S/k.txt")" \
		"$("$DE" -r "$R" ls "$cid" / -R -l)"
	unshare -m --propagation private bash -c "'$DE' -r '$R' mount '$cid' '$S/f' --fuse 2>/dev/null &&
		$LISTING '$S/f' --hash --xattrs > '$S/fh.txt'; fusermount3 -u '$S/f'"
	same_text "stack $seed: FUSE view equals the kernel (content, xattrs)" "$(cat "$S/kh.txt")" \
		"$(cat "$S/fh.txt" 2>/dev/null)"
	"$DE" -r "$R" export "$cid" "$S/x" 2>"$S/xerr"
	same_text "stack $seed: export equals the kernel (content, xattrs)" "$(cat "$S/kh.txt")" \
		"$($LISTING "$S/x" --hash --xattrs)"
done
# sparse files stay sparse: in a copy, and in an archive GNU tar extracts
S=$SCRATCH/s1 cid=$(cat "$SCRATCH/s1/cid")
if [ -f "$S/x/sparse" ]; then
	check "export into a directory keeps a sparse file sparse" \
		test "$(( $(stat -c %b "$S/x/sparse") * 512 ))" -lt 1048576
	"$DE" -r "$S/var/lib/docker" export "$cid" "$S/sparse.tar" /sparse
	check "export tar stores a sparse file's data only" test "$(stat -c %s "$S/sparse.tar")" -lt 1048576
	mkdir "$S/t" && tar -C "$S/t" -xf "$S/sparse.tar"
	check "GNU tar extracts it with the same content" cmp -s "$S/t/sparse" "$S/k/../x/sparse"
fi
