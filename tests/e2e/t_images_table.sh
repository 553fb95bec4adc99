# `de list images --format table`: RUNTIME and NAMESPACE columns, so that
# the same image in two containerd namespaces (runtimes-host: k8s.io and
# default hold the same two images) is two rows told apart; against what
# `ctr images ls` (each namespace) and `podman images` listed, and against
# `docker images` on the sample host. The JSON keeps its keys and gains
# "runtime".
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "images table: extracting the fixtures needs root"; exit 0; fi
scratch
H=$SCRATCH/host
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H"

# aligned COLUMNS...: every row's cells start where the header's labels do
# (a cell is never empty but the last, CONTAINERS).
aligned() {
	python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")[:-1]
starts = [m.start() for m in re.finditer(r"\S+(?: \S+)?", lines[0])]
ok = len(lines) > 1
for row in lines[1:]:
    for i, s in enumerate(starts):
        last = i + 1 == len(starts)
        if last and len(row) <= s:
            continue
        if row[s] == " " or (s and row[s - 1] != " ") or (not last and len(row) <= s):
            ok = False
sys.exit(0 if ok else 1)'
}
# rows TABLE: the table's rows as RUNTIME NAMESPACE REPOSITORY TAG "IMAGE ID"
rows() { awk 'NR > 1 { print $1, $2, $3, $4, $5 }' | LC_ALL=C sort; }

tbl=$("$DE" --root "$H" list images --format table 2>"$SCRATCH/err"); rc=$?
check "table: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "table: the header" \
	"RUNTIME NAMESPACE REPOSITORY TAG IMAGE ID CREATED SIZE LAYERS CONTAINERS" \
	"$(head -1 <<<"$tbl" | tr -s ' ')"
same_text "table: each namespace's images as ctr lists them, Podman's as podman images" \
	"$( { for ns in default k8s.io; do
		awk -v ns="$ns" 'NR > 1 { split($1, r, ":"); print "containerd", ns, r[1], r[2], substr($3, 8, 12) }' \
			"$RO/ctr.$ns.images.txt"; done
	      jq -r '.[] | .Id[0:12] as $id | .Names[] | split(":") | "podman - \(.[0]) \(.[1]) \($id)"' \
			"$RO/podman-images.json"; } | LC_ALL=C sort)" \
	"$(rows <<<"$tbl")"
check "table: no two rows alike (the two namespaces' images told apart)" \
	test "$(tail -n +2 <<<"$tbl" | sort | uniq -d | wc -l)" = 0
check "table: the columns are aligned" aligned <<<"$tbl"
json=$("$DE" --root "$H" list images)
check "json: the keys kept, \"runtime\" added, \"namespace\" for containerd's" \
	jq -e 'all(.[]; has("id") and has("repo_tags") and has("repo_digests") and has("created")
		and has("size") and has("layers") and has("containers") and has("dangling")
		and has("parent") and has("path") and (.runtime == "podman" or .runtime == "containerd")
		and ((.runtime == "containerd") == has("namespace")))' <<<"$json"
same_text "json and table: the same images in the same order" \
	"$(jq -r '.[] | "\(.runtime) \(.namespace // "-") \(.id[7:19])"' <<<"$json")" \
	"$(awk 'NR > 1 { print $1, $2, $5 }' <<<"$tbl")"

# Docker: the sample host, as `docker images` listed it.
S=$SCRATCH/sample
extract_sample "$S"
tbl=$("$DE" -r "$S/var/lib/docker" list images --format table)
same_text "table, Docker: docker images' rows, runtime docker, no namespace" \
	"$(jq -r '"docker - \(.Repository) \(.Tag) \(.ID[7:19])"' "$ORACLE/images.jsonl" | LC_ALL=C sort)" \
	"$(rows <<<"$tbl")"
check "table, Docker: the columns are aligned" aligned <<<"$tbl"
check "table, Docker --all: the columns are aligned" aligned \
	<<<"$("$DE" -r "$S/var/lib/docker" list images --all --format table)"
