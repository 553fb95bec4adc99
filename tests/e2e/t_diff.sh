# `de diff` against `docker diff` (saved when the sample was made). Every
# change docker diff reported, de reports. de reports more only where
# Docker's own comparison is blind: Docker (pkg/archive, changes.go) takes
# an entry as unchanged when type, mode, owner and size are equal and the
# mtimes fall in the same second with one of them at zero nanoseconds —
# which is every file of an image layer (tar keeps whole seconds). Each
# extra entry must be exactly such a case; for the sample's
# /opt/app/conf/app.conf the content hashes prove it did change.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "diff: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
for id in $(jq -r '.[].Id' "$ORACLE/containers.inspect.json"); do
	name=$(jq -r --arg id "$id" '.changes[] | select(.Id == $id) | .Name' "$ORACLE/containers.inspect.json")
	ours=$("$DE" -r "$R" diff "$id" | sort)
	theirs=$(sort "$ORACLE/diff.$id.txt")
	missing=$(comm -23 <(printf '%s\n' "$theirs") <(printf '%s\n' "$ours") | grep -v '^$')
	same_text "diff $name: every docker diff change is reported" "" "$missing"
	extra=$(comm -13 <(printf '%s\n' "$theirs") <(printf '%s\n' "$ours") | grep -v '^$' | cut -c3-)
	json=$("$DE" -r "$R" diff "$id" --format json)
	unexplained=$(jq -r --argjson extra "$(printf '%s\n' "$extra" | jq -R . | jq -s 'map(select(. != ""))')" '
		def sec: .[0:19]; def zero_ns: .[20:29] == "000000000";
		.changes[] | select(.docker | not) | select(.path as $p | $extra | index($p)) |
		select((.kind == "C" and .type == .before.type and .mode == .before.mode and
		        .uid == .before.uid and .gid == .before.gid and .size == .before.size and
		        (.mtime | sec) == (.before.mtime | sec) and
		        ((.mtime | zero_ns) or (.before.mtime | zero_ns))) | not) | .path' <<<"$json")
	same_text "diff $name: each extra change is one Docker's comparison cannot see" "" "$unexplained"
done
json=$("$DE" -r "$R" diff web --format json --hash)
check "diff --hash: app.conf's content did change (Docker missed it)" jq -e \
	'.changes[] | select(.path == "/opt/app/conf/app.conf") | .kind == "C" and .sha256 != .before.sha256' <<<"$json"
check "diff --hash: the deleted file's last content is hashed" jq -e \
	'.changes[] | select(.path == "/srv/www/index.html") | .kind == "D" and (.before.sha256 | length) == 64' <<<"$json"
check "diff json: the -init layer's files are flagged as Docker's" jq -e \
	'[.changes[] | select(.docker) | .path] | index("/etc/hosts") and index("/.dockerenv")' <<<"$json"
check "diff json: no container change is flagged as Docker's" jq -e \
	'[.changes[] | select(.docker and (.path | startswith("/tmp")))] | length == 0' <<<"$json"
check "diff json: the dropped script is executable, from the container layer" jq -e \
	'.changes[] | select(.path == "/tmp/dropped.sh") | .executable and (.layer | startswith("container:"))' <<<"$json"
"$DE" -r "$R" diff web --format json --hash --hash-max 5 >"$SCRATCH/out" 2>"$SCRATCH/err"; rc=$?
check "diff --hash-max: larger files are skipped and said (exit 0)" test $rc -eq 0
check "diff --hash-max: says so" grep -q "over --hash-max" "$SCRATCH/err"
check "diff --hash-max: marked in the JSON" jq -e \
	'.changes[] | select(.path == "/tmp/dropped.sh") | .sha256 == null and .sha256_skipped' "$SCRATCH/out"
id=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
check "diff json: the document names the container and has an empty errors list" jq -e \
	--arg id "$id" '.container == $id and .errors == [] and (.changes | length) > 0' <<<"$json"
