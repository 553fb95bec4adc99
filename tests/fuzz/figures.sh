#!/usr/bin/env bash
# figures.sh NAME LOG CRASHDIR — one FIGURES.md row from a libFuzzer log run
# with -print_final_stats=1: date, target, seconds, runs, exec/s, coverage
# (edges), features, corpus (inputs/size), new inputs, findings.
set -u
name=$1 log=$2 crashes=$3
last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
new=$(sed -n 's/^stat::new_units_added: *//p' "$log")
secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
cov=$(printf '%s' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
ft=$(printf '%s' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
corp=$(printf '%s' "$last" | sed -n 's/.*corp: \([^ ]*\).*/\1/p')
n=$(find "$crashes" -type f 2>/dev/null | wc -l)
findings=$([ "$n" -eq 0 ] && ! grep -qE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:' "$log" \
	&& echo none || echo "$n input(s): $(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z -]+|runtime error: .*|fuzz_union: .*' "$log")")
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%F)" "$name" \
	"${secs:-?}" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${new:-?}" "$findings"
