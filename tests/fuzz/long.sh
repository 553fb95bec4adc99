#!/usr/bin/env bash
# long.sh SECONDS WORKDIR BIN... — the long runs behind tests/fuzz/FIGURES.md:
# each target in turn (one at a time, nice 10: the machine is shared), for
# SECONDS, on its committed corpus plus WORKDIR/<name> (kept between runs,
# where what it finds is added), with its flags (tests/fuzz/fuzz_<name>.flags).
# Prints one FIGURES.md table row per target; a finding's input is left in
# WORKDIR/<name>-crashes/ (make it a reproducer in tests/fuzz/regress/<name>).
set -u
secs=$1 work=$2; shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
for bin in "$@"; do
	name=$(basename "$bin"); name=${name#fuzz_}
	mkdir -p "$work/$name" "$work/$name-crashes"
	flags=$(cat "$top/tests/fuzz/fuzz_$name.flags" 2>/dev/null)
	log=$work/$name.log
	# shellcheck disable=SC2086
	nice -n 10 "$bin" -max_total_time="$secs" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -close_fd_mask=2 $flags -artifact_prefix="$work/$name-crashes/" \
		"$work/$name" "$top/tests/fuzz/corpus/$name" >"$log" 2>&1
	tests/fuzz/figures.sh "$name" "$log" "$work/$name-crashes"
done
