# lib-fs.sh — helpers for the disk-image tests (t_fsread.sh, t_fsimage.sh),
# sourced after lib.sh and `scratch`: loop mounts of our own (detached
# whatever happens), images made by mkfs and filled through the kernel
# (fs-populate.sh), the kernel's listing of them (fslisting.py) and de's
# (de fsls), and their comparison. S is the scratch directory.
S=$SCRATCH
FSL=$TOP/tests/e2e/fslisting.py
POP=$TOP/tests/e2e/fs-populate.sh
export LVM_SUPPRESS_FD_WARNINGS=1
mkdir -p "$S/mnt"
# the loop devices of this test are detached whatever happens
LOOPS=$S/loops
: >"$LOOPS"
trap 'umount "$S/mnt" 2>/dev/null; while read -r l; do losetup -d "$l" 2>/dev/null; done <"$LOOPS"; rm -rf "$S"' EXIT

# mkimg NAME SIZE MOUNTOPTS MKFS... — a file system image,
# filled through the kernel; the notes of fs-populate.sh (what the file
# system refused) are kept in NAME.notes.
mkimg() {
	local name=$1 size=$2 mopts=$3; shift 3
	rm -f "$S/$name.raw"
	truncate -s "$size" "$S/$name.raw"
	"$@" "$S/$name.raw" >/dev/null 2>"$S/$name.mkfs" || { cat "$S/$name.mkfs" >&2; return 1; }
	lmount "$S/$name.raw" "rw${mopts:+,$mopts}" || return 1
	bash "$POP" "$S/mnt" 2>"$S/$name.notes"; local rc=$?
	lumount || return 1
	return $rc
}

# lmount IMAGE OPTS [LOSETUP-ARGS] — a loop mount at $S/mnt through a loop
# device of our own (read-only when OPTS say ro; LOSETUP-ARGS such as
# "-o OFFSET --sizelimit SIZE" for a partition), retried: loop devices are
# shared with whatever else runs on the machine, and one just released may
# still be busy for a moment. lumount undoes it.
lmount() {
	local ro=
	case ",$2," in *,ro,*) ro=-r ;; esac
	for try in 1 2 3 4 5; do
		# shellcheck disable=SC2086
		LOOPDEV=$(losetup -f --show $ro ${3:-} "$1") && echo "$LOOPDEV" >>"$LOOPS" &&
			mount -o "$2" "$LOOPDEV" "$S/mnt" 2>"$S/mount.err" && return 0
		[ -n "${LOOPDEV:-}" ] && losetup -d "$LOOPDEV" 2>/dev/null
		sleep "$try"
	done
	cat "$S/mount.err" >&2
	return 1
}
# The kernel may still write to the image after umount returns (seen here:
# ext4's clean super block landing a moment later): wait until the loop
# device has let go of the file.
lumount() {
	local img
	img=$(losetup -nO BACK-FILE "$LOOPDEV" 2>/dev/null)
	umount "$S/mnt" || return 1
	losetup -d "$LOOPDEV" 2>/dev/null
	for _ in $(seq 1 100); do
		[ -z "$img" ] || [ -z "$(losetup -j "$img" 2>/dev/null)" ] && break
		sleep 0.1
	done
	sync -f "${img:-$S}" 2>/dev/null
	return 0
}

# kernel NAME RO-OPTS [IMAGE] — the kernel's listing of a file system image.
kernel() {
	lmount "${3:-$S/$1.raw}" "ro${2:+,$2}" || return 1
	python3 "$FSL" "$S/mnt" --hash --xattrs | LC_ALL=C sort >"$S/$1.kernel"
	lumount
}

# ours NAME IMAGE [FSLS ARGS] — de's listing, sorted; stderr kept.
ours() {
	local name=$1 img=$2; shift 2
	"$DE" fsls "$img" "$@" -R --hash --xattrs 2>"$S/$name.err" | LC_ALL=C sort >"$S/$name.de"
	echo "${PIPESTATUS[0]}" >"$S/$name.rc"
}

# compare NAME WHAT: de's listing of NAME against the kernel's.
compare() {
	local name=$1 what=$2
	if [ "$(cat "$S/$name.rc")" = 0 ] && [ ! -s "$S/$name.err" ] &&
	   cmp -s "$S/$name.kernel" "$S/$name.de"; then
		ok "$what: $(wc -l <"$S/$name.de") entries equal the kernel's (inode, mode, links, owner, size/device, blocks, 4 times in ns, target, SHA-256, every xattr)"
	else
		bad "$what: de fsls differs from the kernel's loop mount (exit $(cat "$S/$name.rc"))"
		head -5 "$S/$name.err" | sed 's/^/#   stderr: /'
		diff "$S/$name.kernel" "$S/$name.de" | head -6 | cut -c1-300 | sed 's/^/#   /'
	fi
}

# fs NAME SIZE MOUNTOPTS RO-OPTS MKFS... — make, list, compare.
fs() {
	local name=$1 size=$2 mopts=$3 ro=$4; shift 4
	if ! mkimg "$name" "$size" "$mopts" "$@"; then
		bad "$name: could not be made ($*)"; return
	fi
	if ! kernel "$name" "$ro"; then
		bad "$name: the kernel could not mount it ($*)"; return
	fi
	ours "$name" "$S/$name.raw"
	compare "$name" "$name ($*)"
	if [ -s "$S/$name.notes" ]; then
		echo "# $name: what the file system refused: $(tr '\n' ';' <"$S/$name.notes")"
	fi
}

# fs_need_loop_mount: true when loop mounts work here; else says why (skip).
fs_need_loop_mount() {
	if [ "$(id -u)" != 0 ]; then
		skip "$(basename "$0"): every comparison needs a kernel loop mount (root)"; return 1
	fi
	truncate -s 8M "$S/probe.img" && mkfs.ext4 -q -F "$S/probe.img" 2>/dev/null
	if ! lmount "$S/probe.img" ro 2>/dev/null; then
		skip "$(basename "$0"): no loop mount here (losetup -f: $(losetup -f 2>&1)): the kernel comparisons cannot run"
		return 1
	fi
	lumount
}
