# The union engine against the kernel on random overlay2 stacks. For seeds
# 1..8 (2 to 20 layers), tests/fixtures/make-random-stack.py builds a data
# root whose layers hold whiteouts (0/0 devices; xattr whiteouts in "x"
# directories on even seeds), opaque directories, directories replaced by
# files and symlinks and the reverse, re-created directories, copy-ups,
# hard links, fifos, devices, odd names and a path over 40 levels deep. The
# kernel's read-only overlay mount of the container's layers is the oracle:
# `de ls -R -l` must print what tests/e2e/listing.py prints for the mount,
# and the FUSE view and `de export` into a directory must give the same
# tree, with content and xattrs; a sparse file stays sparse in an export.
# On a failure, rerun the seed by hand:
#   python3 tests/fixtures/make-random-stack.py SEED DIR --layers N
# shellcheck shell=bash source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	skip "union vs kernel on random stacks: needs root (0/0 whiteouts, trusted.* xattrs, mount)"; exit 0
fi
if ! unshare -m true 2>/dev/null; then
	skip "union vs kernel on random stacks: unshare -m fails here"; exit 0
fi
if ! grep -qw overlay /proc/filesystems; then
	skip "union vs kernel on random stacks: no overlay in /proc/filesystems"; exit 0
fi
scratch
GEN=$TOP/tests/fixtures/make-random-stack.py
LISTING=$TOP/tests/e2e/listing.py

# Linux >= 6.7 reads a zero-size file with xattr trusted.overlay.whiteout as
# a whiteout when its directory has trusted.overlay.opaque "x"; older
# kernels show it as a file. Docker on such a kernel cannot have written
# one, so there the stacks leave them out rather than test the old kernel.
xattr_whiteouts_honoured() {
	local p=$SCRATCH/probe
	mkdir -p "$p/up" "$p/low" "$SCRATCH/mnt-probe" && : > "$p/low/f" && : > "$p/up/f" || return 1
	python3 -c 'import os, sys
os.setxattr(sys.argv[1] + "/f", "trusted.overlay.whiteout", b"")
os.setxattr(sys.argv[1], "trusted.overlay.opaque", b"x")' "$p/up" || return 1
	# shellcheck disable=SC2016 # $1, $2 are the inner shell's
	[ "$(unshare -m --propagation private bash -c 'mount -t overlay overlay -o "ro,lowerdir=$1/up:$1/low" "$2" &&
		ls -A "$2" && echo mounted' _ "$p" "$SCRATCH/mnt-probe" 2>/dev/null)" = mounted ]
}
XW=()
if ! xattr_whiteouts_honoured; then
	XW=(--no-xattr-whiteouts)
	skip "random stacks: xattr whiteouts: kernel $(uname -r) does not honour them, left out"
fi
have_export=1
if ! "$DE" export --help >/dev/null 2>&1; then
	have_export=0
	skip "random stacks: de export into a directory: 'de export --help' fails (no export command yet)"
fi

# compare NAME WANT GOT ERRFILE: same_text, with de's stderr under a failure.
compare() {
	local r
	r=$(same_text "$1" "$2" "$3")
	printf '%s\n' "$r"
	case $r in "not ok"*) head -10 "$4" | sed 's/^/#   stderr: /' ;; esac
}

layers=(0 2 20 3 7 12 5 16 9)   # the layer count of seed i is layers[i]
for seed in 1 2 3 4 5 6 7 8; do
	n=${layers[$seed]}
	O=$SCRATCH/s$seed MNT=$SCRATCH/mnt$seed name="random stack seed $seed ($n layers)"
	mkdir -p "$O" "$MNT"
	if ! python3 "$GEN" "$seed" "$O" --layers "$n" "${XW[@]}" >/dev/null; then
		bad "$name: make-random-stack.py failed"; continue
	fi
	R=$O/var/lib/docker CID=$(cat "$O/cid")
	# the oracle, in a private mount namespace: nothing leaks out of the test
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	unshare -m --propagation private bash -c 'mount -t overlay overlay -o "ro,lowerdir=$1" "$2" &&
		python3 "$3" "$2" --nlink > "$4/kernel.ls" && python3 "$3" "$2" --hash --xattrs > "$4/kernel.hash"' \
		_ "$(cat "$O/lowerdir")" "$MNT" "$LISTING" "$O"
	if [ -s "$O/kernel.ls" ] && [ -s "$O/kernel.hash" ]; then
		ok "$name: kernel mount listed"
	else
		bad "$name: kernel mount listed"; continue
	fi
	compare "$name: de ls -R -l equals the kernel's view" "$(cat "$O/kernel.ls")" \
		"$("$DE" -r "$R" ls "$CID" / -R -l 2>"$O/ls.err")" "$O/ls.err"
	mkdir "$O/fuse"
	# shellcheck disable=SC2016 # $1.. are the inner shell's
	unshare -m --propagation private bash -c '"$1" -r "$2" mount "$3" "$4" --fuse 2>/dev/null &&
		python3 "$5" "$4" --hash --xattrs > "$6/fuse.hash"; fusermount3 -u "$4"' \
		_ "$DE" "$R" "$CID" "$O/fuse" "$LISTING" "$O"
	compare "$name: the FUSE view equals the kernel's (content, xattrs)" \
		"$(cat "$O/kernel.hash")" "$(cat "$O/fuse.hash" 2>/dev/null)" /dev/null
	[ $have_export = 1 ] || continue
	mkdir "$O/export"
	"$DE" -r "$R" export "$CID" "$O/export" 2>"$O/export.err"
	compare "$name: de export into a directory equals the kernel's view (content, xattrs)" \
		"$(cat "$O/kernel.hash")" "$(python3 "$LISTING" "$O/export" --hash --xattrs)" "$O/export.err"
done
# sparse files stay sparse: in a copy, and in an archive GNU tar extracts
O=$SCRATCH/s1
if [ $have_export = 1 ] && [ -f "$O/export/tmp/sparse" ]; then
	check "export into a directory keeps a sparse file sparse" \
		test "$(( $(stat -c %b "$O/export/tmp/sparse") * 512 ))" -lt 1048576
	"$DE" -r "$O/var/lib/docker" export "$(cat "$O/cid")" "$O/sparse.tar" /tmp/sparse
	check "export tar stores a sparse file's data only" test "$(stat -c %s "$O/sparse.tar")" -lt 1048576
	mkdir "$O/t" && tar -C "$O/t" -xf "$O/sparse.tar"
	check "GNU tar extracts it with the same content" cmp -s "$O/t/tmp/sparse" "$O/export/tmp/sparse"
else
	bad "the sparse file of stack 1 was exported"
fi
exit 0
