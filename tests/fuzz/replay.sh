#!/usr/bin/env bash
# replay.sh BIN... — runs each fuzz target's replay build (tests/fuzz/
# replay.c) over its corpus, tests/fuzz/corpus/<name>, and its crash
# reproducers, tests/fuzz/regress/<name>. Fails when a run crashes, a
# sanitizer reports, or (VALGRIND=1) valgrind finds an error or a leak.
# What the parsers warn about is expected (the inputs are hostile) and
# shown only on failure. The union target is replayed once more with the
# kernel as the oracle (DE_FUZZ_KERNEL=1: each overlay stack also mounted
# by the kernel) where an overlay mount can be made (root).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
for bin in "$@"; do
	name=$(basename "$bin"); name=${name#fuzz_}
	log=$(mktemp /tmp/de-replay.XXXXXX)
	wrap=()
	[ "${VALGRIND:-0}" = 1 ] && wrap=(valgrind -q --error-exitcode=99 --leak-check=full
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect)
	start=${EPOCHREALTIME/./}
	if out=$("${wrap[@]}" "$bin" "$top/tests/fuzz/corpus/$name" "$top/tests/fuzz/regress/$name" 2>"$log"); then
		ms=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
		echo "regress: $name: $out replayed in ${ms} ms"
	else
		echo "regress: $name: FAILED"; grep -v '^de: ' "$log" | tail -40; fail=1
	fi
	rm -f "$log"
	if [ "$name" = union ] && [ "${VALGRIND:-0}" != 1 ]; then
		probe=$(mktemp -d /tmp/de-ovl.XXXXXX)
		mkdir "$probe/a" "$probe/b" "$probe/m"
		if mount -t overlay overlay -o "ro,lowerdir=$probe/a:$probe/b" "$probe/m" 2>/dev/null; then
			umount "$probe/m"
			if out=$(DE_FUZZ_KERNEL=1 "$bin" "$top/tests/fuzz/corpus/$name" \
			         "$top/tests/fuzz/regress/$name" 2>"$probe/log"); then
				echo "regress: union: $out replayed against the kernel's overlay mounts"
			else
				echo "regress: union (kernel oracle): FAILED"; grep -v '^de: ' "$probe/log" | tail -40
				fail=1
			fi
		else
			echo "regress: union: kernel oracle skipped: no overlay mount here (root needed)"
		fi
		rm -rf "$probe"
	fi
done
exit $fail
