# Proof of read-only behaviour: every inode of the evidence (mode, owner,
# size, mtime, ctime, xattrs) and every file's content hash are the same
# after every command has run, including a kernel mount and a walk of it.
# ctime moves on any write, chmod, chown, rename or xattr change.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "read-only proof: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker

snapshot() {
	(cd "$H" && find . -printf '%p\t%M\t%U:%G\t%s\t%T@\t%C@\t%l\n' | LC_ALL=C sort
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
	 getfattr -R -d -m - -h --absolute-names . 2>/dev/null) > "$1"
}
snapshot "$SCRATCH/before"
sleep 0.05   # so that a write now would give a different ctime
"$DE" -r "$R" list all_containers >/dev/null
"$DE" -r "$R" list running_containers >/dev/null
"$DE" -r "$R" list repositories >/dev/null
"$DE" -r "$R" history web --show-empty >/dev/null
"$DE" -r "$R" history job >/dev/null
"$DE" -r "$R" mount web "$SCRATCH/m" --dry-run >/dev/null
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir "$SCRATCH/mnt"
	unshare -m --propagation private bash -c '
		"$1" -r "$2" mount web "$3" >/dev/null && find "$3" -xdev -type f -exec cat {} + >/dev/null' \
		_ "$DE" "$R" "$SCRATCH/mnt"
	ok "read-only: kernel mount and a full read of it ran"
else
	skip "read-only: kernel mount part: no overlayfs or no unshare here"
fi
snapshot "$SCRATCH/after"
check "read-only: the snapshot is not empty" test "$(wc -l < "$SCRATCH/before")" -gt 300
if cmp -s "$SCRATCH/before" "$SCRATCH/after"; then ok "read-only: evidence unchanged (metadata, ctime, xattrs, content)"
else bad "read-only: evidence changed"; diff "$SCRATCH/before" "$SCRATCH/after" | head -20 | sed 's/^/#   /'; fi
