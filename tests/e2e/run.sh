#!/usr/bin/env bash
# run.sh — runs every end-to-end test (t_*.sh) against $DE and sums up.
set -u
cd "$(dirname "$0")"
pass=0 fail=0 skipped=0
times=""
for t in t_*.sh; do
	t0=$(date +%s)
	out=$(bash "$t" 2>&1)
	times+="$(( $(date +%s) - t0 )) $t"$'\n'
	printf '%s\n' "$out" | sed "s/^/[$t] /"
	pass=$((pass + $(printf '%s\n' "$out" | grep -c '^ok - ')))
	fail=$((fail + $(printf '%s\n' "$out" | grep -c '^not ok - ')))
	skipped=$((skipped + $(printf '%s\n' "$out" | grep -c '^skip - ')))
done
# where the time went (for keeping CI within its budget)
echo "e2e: the slowest: $(printf '%s' "$times" | sort -rn | head -8 | awk '{ printf "%s%s %ss", (NR > 1 ? ", " : ""), $2, $1 }')"
echo "e2e: $pass passed, $fail failed, $skipped skipped"
[ $fail -eq 0 ]
