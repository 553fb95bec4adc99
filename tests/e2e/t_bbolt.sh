# `de bbolt FILE [BUCKET...]` on a meta.db written by a real containerd
# (tests/fixtures/make-bbolt-samples.sh made it with ctr: namespaces k8s.io
# and moby, a label team=red on k8s.io, a lease lease1).
. "$(dirname "$0")/lib.sh"
DB=$TOP/tests/data/bbolt/containerd-meta.db
got=$("$DE" bbolt "$DB"); rc=$?
check "bbolt: exits 0" test $rc -eq 0
same_text "bbolt: the namespaces ctr made" "k8s.io moby" "$(jq -r '.v1 | keys - ["version"] | join(" ")' <<<"$got")"
same_text "bbolt: the label ctr set" "red" "$(jq -r '.v1["k8s.io"].labels.team' <<<"$got")"
check "bbolt: the lease, with containerd's binary time as hex" \
	jq -e '.v1["k8s.io"].leases.lease1.createdat.hex | test("^01[0-9a-f]{28}$")' <<<"$got"
same_text "bbolt BUCKET...: a sub-bucket alone" '{"team":"red"}' \
	"$("$DE" bbolt "$DB" v1 k8s.io labels | jq -c .)"
"$DE" bbolt "$DB" v1 nope >/dev/null 2>&1; rc=$?
check "bbolt: a missing bucket is an error (exit 1)" test $rc -eq 1
"$DE" bbolt "$TOP/README.md" >/dev/null 2>&1; rc=$?
check "bbolt: not a bbolt file (exit 1)" test $rc -eq 1
