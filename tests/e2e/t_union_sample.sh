# The union engine on the real sample host against the kernel: for every
# container, the kernel's overlay mount of its layers is the oracle, and
# `de ls -R -l`, `de export` (into a directory, and as a tar extracted by
# GNU tar), and the FUSE mount must each show the same tree, entry for
# entry: path, type, mode, owner, size, mtime, link target, content hash
# and xattrs (tests/e2e/listing.py prints them all the same way).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "union vs kernel on the sample: extracting needs root"; exit 0; fi
if ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
	skip "union vs kernel on the sample: needs unshare -m and overlayfs"; exit 0
fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
LISTING="python3 $TOP/tests/e2e/listing.py"

for name in $(jq -r ".[].Name | ltrimstr(\"/\")" "$ORACLE/containers.inspect.json"); do
	K=$SCRATCH/k-$name F=$SCRATCH/f-$name X=$SCRATCH/x-$name T=$SCRATCH/t-$name
	mkdir -p "$K" "$F" "$X" "$T"
	cmd=$("$DE" -r "$R" mount "$name" "$K" --dry-run --no-volumes)
	# kernel oracle, and the FUSE view, each in a private mount namespace
	unshare -m --propagation private bash -c "$cmd && $LISTING '$K' --nlink > '$SCRATCH/$name.k' &&
		$LISTING '$K' --hash --xattrs > '$SCRATCH/$name.kh'"
	unshare -m --propagation private bash -c "'$DE' -r '$R' mount '$name' '$F' --fuse --no-volumes 2>/dev/null &&
		$LISTING '$F' --hash --xattrs > '$SCRATCH/$name.fh'; fusermount3 -u '$F'"
	check "$name: kernel oracle listed" test -s "$SCRATCH/$name.k"
	same_text "$name: de ls -R -l equals the kernel's view" "$(cat "$SCRATCH/$name.k")" \
		"$("$DE" -r "$R" ls "$name" / -R -l --no-volumes)"
	same_text "$name: FUSE view equals the kernel's (with content and xattrs)" \
		"$(cat "$SCRATCH/$name.kh")" "$(cat "$SCRATCH/$name.fh" 2>/dev/null)"
	"$DE" -r "$R" export "$name" "$X" --no-volumes
	same_text "$name: export into a directory equals the kernel's view" \
		"$(cat "$SCRATCH/$name.kh")" "$($LISTING "$X" --hash --xattrs)"
	"$DE" -r "$R" export "$name" "$SCRATCH/$name.tar" --no-volumes
	tar --xattrs --xattrs-include='*' --numeric-owner -p -xf "$SCRATCH/$name.tar" -C "$T"
	same_text "$name: export tar, extracted by GNU tar, equals the kernel's view" \
		"$(cat "$SCRATCH/$name.kh")" "$($LISTING "$T" --hash --xattrs)"
done

# cat: the bytes of a file as the container saw them, symlinks resolved in it
same_text "cat: a file the container changed" "v3 config" "$("$DE" -r "$R" cat web /opt/app/conf/app.conf)"
same_text "cat: through a volume" "volume-data" "$("$DE" -r "$R" cat web /data/vol.txt)"
same_text "cat: through a bind" "evidence from the host" "$("$DE" -r "$R" cat web /mnt/host/report.txt)"
err=$("$DE" -r "$R" cat web /srv/www/index.html 2>&1); rc=$?
check "cat: a deleted file is not there (exit 1)" test $rc -eq 1
check "cat: says so" grep -q "no such file" <<<"$err"
# ls --layer: which layer supplied each entry
got=$("$DE" -r "$R" ls web /opt/app -R --layer)
web_mid=$(jq -r '.[] | select(.Name == "/web") | .GraphDriver.Data.UpperDir' "$ORACLE/containers.inspect.json" | awk -F/ '{print $(NF-1)}')
same_text "ls --layer: the container's own files come from its layer" \
	"container:$web_mid /opt/app/conf/app.conf" "$(grep -F "conf/app.conf" <<<"$got")"
check "ls --layer: image files come from an image layer" grep -q '^image:[0-9a-f]\{64\} /bin/busybox$' \
	<<<"$("$DE" -r "$R" ls web /bin -R --layer)"
check "ls: the opaque directory hides the image's files" \
	test "$("$DE" -r "$R" ls web /opt/app/old)" = "new.txt"
