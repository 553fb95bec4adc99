#!/usr/bin/env bash
# bench/fsread.sh — the image readers (de fsls: src/image + src/fs) against
# the kernel's loop mount of the same image, ext4 and XFS, page cache warm
# on both sides (an untimed run of each first). Figures: median of 5 runs;
# ratio = kernel tool time / de time (higher is better for de). Needs
# root (the loop mounts); run by bench/run.sh. Not a test.
#   walk:    find -printf (lstat of every entry) vs de fsls -R (lstat, 4 times)
#   content: every regular file's SHA-256: find | xargs sha256sum vs de fsls -R --hash
#   big:     one 512 MiB file, read whole into a pipe: cat vs de fsls --cat
#            (into a pipe: with /dev/null as output cat need not read at all)
set -euo pipefail
: "${DE:?DE must name the de binary}"
NF=${BENCH_FS_FILES:-30000}
if [ "$(id -u)" != 0 ]; then
	echo "bench: fsread: skipped (the kernel side needs root for loop mounts)"; exit 0
fi
W=$(mktemp -d /tmp/de-bench-fs.XXXXXX)
mkdir -p "$W/mnt"
trap 'umount "$W/mnt" 2>/dev/null || true; rm -rf "$W"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time5() { for _ in 1 2 3 4 5; do
	local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l; done | median; }

# fill DIR: NF files in NF/100 directories, sizes from 0 to 256 KiB (most
# small, as in a container image), a few symlinks and xattrs, one big file
fill() {
	python3 - "$1" "$NF" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
blob = os.urandom(1 << 18)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % max(1, n // 100)), "s%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    size = min(len(blob), int(random.lognormvariate(7.5, 2.0)))
    p = os.path.join(d, "f%06d" % i)
    with open(p, "wb") as f:
        f.write(blob[:size])
    if i % 50 == 0:
        os.symlink("f%06d" % i, p + ".lnk")
    if i % 20 == 0:
        os.setxattr(p, "user.bench", b"x" * 40)
with open(os.path.join(root, "big"), "wb") as f:
    for _ in range(512 * 4):
        f.write(os.urandom(1 << 18)[:1 << 18])
PY
}

for fs in ext4 xfs; do
	img=$W/$fs.raw
	truncate -s 3G "$img"
	case $fs in
	ext4) mkfs.ext4 -q -F -b 4096 "$img"; ro=ro,noload ;;
	xfs) mkfs.xfs -q -f "$img"; ro=ro,norecovery ;;
	esac
	mount -o loop "$img" "$W/mnt"
	fill "$W/mnt"
	umount "$W/mnt"
	mount -o "loop,$ro" "$img" "$W/mnt"
	M=$W/mnt
	find "$M" -printf '%i %M %n %U %G %s %b %A@ %T@ %C@ %p\n' >/dev/null; "$DE" fsls "$img" -R >/dev/null
	n=$("$DE" fsls "$img" -R | wc -l)
	t_find=$(time5 find "$M" -printf '%i %M %n %U %G %s %b %A@ %T@ %C@ %p\n')
	t_de=$(time5 "$DE" fsls "$img" -R)
	rss=$( { /usr/bin/time -f '%M' "$DE" fsls "$img" -R >/dev/null; } 2>&1 | tail -1)
	printf 'bench: %s walk, %s entries: de fsls -R %.3fs, find -printf on the loop mount %.3fs: ratio find/de = %.2f; de peak RSS %.1f MiB\n' \
		"$fs" "$n" "$t_de" "$t_find" "$(echo "$t_find / $t_de" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
	hashall() { find "$M" -type f -print0 | xargs -0 sha256sum; }
	hashall >/dev/null; "$DE" fsls "$img" -R --hash >/dev/null
	t_k=$(time5 hashall)
	t_de=$(time5 "$DE" fsls "$img" -R --hash)
	printf 'bench: %s content of every file (SHA-256): de fsls -R --hash %.3fs, find | xargs sha256sum %.3fs: ratio = %.2f\n' \
		"$fs" "$t_de" "$t_k" "$(echo "$t_k / $t_de" | bc -l)"
	kcat() { cat "$M/big" | cat >/dev/null; }
	dcat() { "$DE" fsls "$img" --cat --path /big | cat >/dev/null; }
	kcat; dcat
	t_k=$(time5 kcat)
	t_de=$(time5 dcat)
	printf 'bench: %s one 512 MiB file into a pipe: de fsls --cat %.3fs (%.0f MB/s), cat on the loop mount %.3fs (%.0f MB/s): ratio = %.2f\n' \
		"$fs" "$t_de" "$(echo "536.870912 / $t_de" | bc -l)" "$t_k" "$(echo "536.870912 / $t_k" | bc -l)" "$(echo "$t_k / $t_de" | bc -l)"
	umount "$M"
	rm -f "$img"
done
