#!/usr/bin/env bash
# run.sh SECONDS BIN... — runs each libFuzzer target for SECONDS on its
# corpus (tests/fuzz/corpus/<name>, seeded from the real sample data), and
# fails on the first crash, leak or sanitizer finding; a crashing input is
# left in tests/fuzz/crashes/ to become a regression test.
set -u
secs=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
fail=0
for bin in "$@"; do
	name=$(basename "$bin")
	corpus=$top/tests/fuzz/corpus/${name#fuzz_}
	work=$(mktemp -d /tmp/de-fuzz.XXXXXX)
	mkdir -p "$top/tests/fuzz/crashes"
	# -close_fd_mask=2: the parsers warn on stderr about every broken input;
	# libFuzzer keeps its own and the sanitizers' reports.
	# tests/fuzz/fuzz_<name>.flags: a target's own flags (a smaller -max_len)
	flags=$(cat "$top/tests/fuzz/$name.flags" 2>/dev/null)
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$secs" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 -close_fd_mask=2 \
		$flags -artifact_prefix="$top/tests/fuzz/crashes/$name-" "$work" "$corpus" >"$work.log" 2>&1; then
		echo "fuzz: $name: $(grep -o 'Done [0-9]* runs' "$work.log" | tail -1) in ${secs}s, no finding"
	else
		echo "fuzz: $name: FINDING"; tail -30 "$work.log"; fail=1
	fi
	rm -rf "$work" "$work.log"
done
exit $fail
