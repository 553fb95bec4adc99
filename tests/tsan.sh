#!/usr/bin/env bash
# tsan.sh DE — the commands that run on every core (util/pool.h: container
# records loaded and formatted, files hashed) under ThreadSanitizer, on each
# fixture made by a real engine: any data race fails. (A race between the
# pool and a runtime's lazily built state was found this way: Docker 29
# containers intermittently listed without layers.)
set -u
DE=${1:?usage: tsan.sh DE}
TOP=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "tsan: skip - the fixtures' whiteouts need root to unpack"; exit 0; }
W=$(mktemp -d /tmp/de-tsan.XXXXXX)
trap 'rm -rf "$W"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
fail=0 runs=0
for f in sample-host trial-host k8s-node docker29-system docker29-host runtimes-host; do
	mkdir -p "$W/$f"
	tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP"/tests/data/$f/*.tar.gz -C "$W/$f"
	for cmd in "list all_containers" "list images" "list volumes" "timeline --all --hash --logs"; do
		DE_WORKERS=4 "$DE" --root "$W/$f" $cmd >/dev/null 2>"$W/err"; rc=$?
		runs=$((runs + 1))
		if [ $rc -eq 66 ] || grep -q 'ThreadSanitizer' "$W/err"; then
			echo "tsan: $f: de $cmd: a data race:"; sed 's/^/tsan:   /' "$W/err" | head -40
			fail=$((fail + 1))
		fi
	done
	# the same host read from a disk image (--image: the file system's
	# readers behind one lock, the descriptors' table shared by the pool);
	# mke2fs -d copies the tree, xattrs and devices included, no mount
	if [ "$f" = trial-host ] && command -v mkfs.ext4 >/dev/null; then
		truncate -s 400M "$W/img.raw"
		if mkfs.ext4 -q -F -d "$W/$f" "$W/img.raw" 2>"$W/err"; then
			for cmd in "list all_containers" "timeline --all --hash --logs"; do
				DE_WORKERS=4 "$DE" --image "$W/img.raw" $cmd >/dev/null 2>"$W/err"; rc=$?
				runs=$((runs + 1))
				if [ $rc -eq 66 ] || grep -q 'ThreadSanitizer' "$W/err"; then
					echo "tsan: $f as a disk image: de $cmd: a data race:"
					sed 's/^/tsan:   /' "$W/err" | head -40
					fail=$((fail + 1))
				fi
			done
		else
			echo "tsan: $f as a disk image: mkfs.ext4 -d failed:"; sed 's/^/tsan:   /' "$W/err"
			fail=$((fail + 1))
		fi
		rm -f "$W/img.raw"
	fi
	rm -rf "${W:?}/$f"
done
echo "tsan: $runs runs, $fail with a data race"
[ $fail -eq 0 ]
