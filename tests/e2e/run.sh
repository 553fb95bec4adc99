#!/usr/bin/env bash
# run.sh — runs every end-to-end test (t_*.sh) against $DE and sums up.
set -u
cd "$(dirname "$0")"
pass=0 fail=0 skipped=0
for t in t_*.sh; do
	out=$(bash "$t" 2>&1)
	printf '%s\n' "$out" | sed "s/^/[$t] /"
	pass=$((pass + $(printf '%s\n' "$out" | grep -c '^ok - ')))
	fail=$((fail + $(printf '%s\n' "$out" | grep -c '^not ok - ')))
	skipped=$((skipped + $(printf '%s\n' "$out" | grep -c '^skip - ')))
done
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ $fail -eq 0 ]
