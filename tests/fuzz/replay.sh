#!/usr/bin/env bash
# replay.sh BIN... — runs each fuzz target's replay build (tests/fuzz/
# replay.c) over its corpus, tests/fuzz/corpus/<name>, and its crash
# reproducers, tests/fuzz/regress/<name>. Fails when a run crashes, a
# sanitizer reports, or (VALGRIND=1) valgrind finds an error or a leak.
# What the parsers warn about is expected (the inputs are hostile) and
# shown only on failure.
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
done
exit $fail
