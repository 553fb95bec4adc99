# Proof of read-only behaviour. Every inode of the evidence — mode, owner,
# size, mtime, ctime, xattrs, a regular file's content hash, and its atime —
# is the same after every command has run: the reports, export (tar and
# directory), timeline --all --hash --logs, logs, a kernel mount and a FUSE
# mount each with a full read of the mounted tree, and the same on the
# containerd + Podman host. ctime moves on any write, chmod, chown, rename
# or xattr change, so a write cannot hide.
#
# atime: de opens every file and directory with O_NOATIME, which the kernel
# honours for the owner and for root. To make a read visible, every atime is
# first set far in the past (with relatime, a read then updates it). The one
# exception the kernel gives no way around: readlink(2) updates a symlink's
# own atime, and there is no O_NOATIME for it. Those are listed, not hidden.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "read-only proof: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
OUT=$SCRATCH/out
mkdir "$OUT"
extract_sample "$H"
mkdir "$H/rt"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H/rt"
find "$H" -exec touch -h -a -d 2001-01-01T00:00:00Z {} +
R=$H/var/lib/docker
SNAP=$TOP/tests/e2e/evidence-snapshot.py

python3 "$SNAP" "$H" > "$SCRATCH/before"
sleep 0.05   # so that a write now would give a different ctime
runs=0 failed=""
run() {  # run NAME de-args...: stdout and stderr to $OUT, never the evidence
	local name=$1; shift
	"$DE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	local rc=$?
	runs=$((runs + 1))
	[ $rc -le 3 ] || failed="$failed $name(rc=$rc)"
}
for c in web job idle done noisy cached; do
	run "history-$c" -r "$R" history "$c" --show-empty
	run "inspect-$c" -r "$R" inspect "$c"
	run "ls-$c" -r "$R" ls "$c" / -R -l
	run "diff-$c" -r "$R" diff "$c" --format json --hash
	run "logs-$c" -r "$R" logs "$c" --format jsonl
	run "export-tar-$c" -r "$R" export "$c" "$OUT/$c.tar"
	mkdir "$OUT/dir-$c"
	run "export-dir-$c" -r "$R" export "$c" "$OUT/dir-$c"
done
for what in all_containers running_containers repositories images volumes; do
	run "list-$what" -r "$R" list "$what"
done
run cat -r "$R" cat web /tmp/dropped.sh
run timeline -r "$R" timeline --all --hash --logs --include-image-layers
run timeline-csv -r "$R" timeline --all --format csv --hash
run mount-dry -r "$R" mount web "$SCRATCH/m" --dry-run
run bbolt-volumes bbolt "$R/volumes/metadata.db"
# the containerd + Podman host: every runtime, found by --root
RH=$H/rt
run rt-list --root "$RH" list all_containers
run rt-runtimes --root "$RH" list runtimes
run rt-timeline --root "$RH" timeline --all --hash
for c in web idle oneshot pweb pidle; do
	run "rt-ls-$c" --root "$RH" ls "$c" / -R -l
	run "rt-diff-$c" --root "$RH" diff "$c" --format json --hash
	run "rt-inspect-$c" --root "$RH" inspect "$c"
	run "rt-export-$c" --root "$RH" export "$c" "$OUT/rt-$c.tar.gz"
done
run rt-logs --root "$RH" logs pweb
run rt-bbolt bbolt "$RH/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"
check "read-only: $runs commands ran, none crashed (exit status 0-3)${failed:+: $failed}" test -z "$failed"

if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir "$SCRATCH/mnt"
	unshare -m --propagation private bash -c '
		"$1" -r "$2" mount web "$3" >/dev/null && find "$3" -xdev -type f -exec cat {} + >/dev/null &&
		find "$3" -xdev -printf "%l\n" | wc -l' _ "$DE" "$R" "$SCRATCH/mnt" > "$SCRATCH/n-kernel"
	check "read-only: kernel mount and a full read of it ran ($(cat "$SCRATCH/n-kernel") entries)" \
		test "$(cat "$SCRATCH/n-kernel")" -eq $(( $("$DE" -r "$R" ls web / -R --no-volumes | wc -l) + 1 ))
else
	skip "read-only: kernel mount part: no overlayfs or no unshare here"
fi
if [ -e /dev/fuse ] && command -v fusermount3 >/dev/null && unshare -m true 2>/dev/null; then
	mkdir "$SCRATCH/mnt-fuse"
	unshare -m --propagation private bash -c '
		"$1" -r "$2" mount web "$3" --fuse >/dev/null 2>&1 &&
		find "$3" -type f -exec cat {} + >/dev/null; find "$3" -printf "%l\n" | wc -l
		fusermount3 -u "$3"' _ "$DE" "$R" "$SCRATCH/mnt-fuse" > "$SCRATCH/n-fuse"
	check "read-only: FUSE mount and a full read of it ran ($(cat "$SCRATCH/n-fuse") entries)" \
		test "$(cat "$SCRATCH/n-fuse")" -eq $(( $("$DE" -r "$R" ls web / -R | wc -l) + 1 ))
else
	skip "read-only: FUSE part: no /dev/fuse, fusermount3 or unshare here"
fi

python3 "$SNAP" "$H" > "$SCRATCH/after"
check "read-only: the snapshot is not empty" test "$(wc -l < "$SCRATCH/before")" -gt 500
# everything but atimes
if cmp -s <(cut -f1-8 "$SCRATCH/before") <(cut -f1-8 "$SCRATCH/after"); then
	ok "read-only: evidence unchanged (mode, owner, size, mtime, ctime, xattrs, content)"
else
	bad "read-only: evidence changed"
	diff <(cut -f1-8 "$SCRATCH/before") <(cut -f1-8 "$SCRATCH/after") | head -20 | sed 's/^/#   /'
fi
# atimes: only symlinks' may move (readlink), nothing else
moved=$(diff <(cut -f1,2,9 "$SCRATCH/before") <(cut -f1,2,9 "$SCRATCH/after") | grep "^>" | cut -c3-)
other=$(cut -f2 <<<"$moved" | grep -v "^120" | grep -c .)
if [ "$other" = 0 ]; then
	ok "read-only: no atime of a file or directory moved (O_NOATIME); symlinks read: $(grep -c .  <<<"$moved")"
else
	bad "read-only: $other atimes of files or directories moved"; grep -v "	120" <<<"$moved" | head -5 | sed "s/^/#   /"
fi
