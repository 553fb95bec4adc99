#!/usr/bin/env bash
# Runs build/de under valgrind's memcheck: any memory error or leak makes
# it exit 99, which fails the end-to-end check that ran it. valgrind's own
# notes (it does not know openat2, so de takes its fallback path: tested
# here too) go to a log, shown only when valgrind found something.
log=$(mktemp /tmp/de-valgrind.XXXXXX)
valgrind -q --log-file="$log" --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	"$(dirname "$0")/../build/de" "$@"
rc=$?
[ $rc -eq 99 ] && grep -v -- '^--[0-9]*-- ' "$log" >&2
rm -f "$log"
exit $rc
