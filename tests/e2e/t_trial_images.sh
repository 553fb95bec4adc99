# Images, history and Podman's inspect on the trial host (Docker 20.10 and
# Podman 4.3 on one root, tests/fixtures/README-trial.md), against what the
# engines said (tests/data/trial-host/oracle):
#  - list images: Podman's store as `podman images` (the podman build's
#    intermediates hidden) and `podman images -a`; Docker's as `docker
#    images` and `docker images -a` (the legacy builder's intermediates);
#    the table's RUNTIME column tells the two stores' rows apart.
#  - history: each step once, on the image docker history names for it
#    (web_attacked's image has 6 images in its chain: 6 steps, not the 21
#    entries each image's whole history gave), a docker commit's image too;
#    Podman's image as podman history.
#  - inspect of each Podman container equals podman inspect, key for key.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "trial images: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
TO=$TRIAL/oracle
S=$H/var/lib/containers/storage
extract_trial "$H"
did() { jq -r --arg n "/$1" '.[] | select(.Name == $n) | .Id' "$TO/docker-containers.inspect.json"; }
pid() { jq -r '.[0].Id' "$TO/podman.container.$1.json"; }

# --- list images ---------------------------------------------------------------
# Podman: ID, ParentId, size, names, creation (Unix seconds).
want_p() { jq -r '.[] | [("sha256:" + .Id), (if .ParentId == "" then "-" else "sha256:" + .ParentId end),
	.Size, ((.Names // []) | join(",")), .Created] | @tsv' "$1" | LC_ALL=C sort; }
have_p() { jq -r '.[] | select(.runtime == "podman") | [.id, (.parent // "-"), .size,
	(.repo_tags | join(",")), (.created | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdate)]
	| @tsv' | LC_ALL=C sort; }
imgs=$("$DE" --root "$H" list images 2>"$SCRATCH/err"); rc=$?
check "list images: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
all=$("$DE" --root "$H" list images --all)
same_text "Podman: list images equals podman images (the build's intermediates hidden)" \
	"$(want_p "$TO/podman-images.json")" "$(have_p <<<"$imgs")"
same_text "Podman: list images --all equals podman images -a" \
	"$(want_p "$TO/podman-images-a.json")" "$(have_p <<<"$all")"
same_text "Podman: the images only podman images -a lists are the intermediates" \
	"$(jq -r --slurpfile s "$TO/podman-images.json" '[.[].Id] - [$s[0][].Id] | .[] | "sha256:" + .' \
	   "$TO/podman-images-a.json" | LC_ALL=C sort)" \
	"$(jq -r '.[] | select(.runtime == "podman" and .intermediate) | .id' <<<"$all" | LC_ALL=C sort)"
check "Podman: no image both dangling and intermediate" \
	jq -e 'all(.[]; (.dangling and .intermediate) | not)' <<<"$all"
# Docker: the table's rows as docker images printed them.
want_d() { jq -r '[.Repository, .Tag, .ID[7:19], (.CreatedAt | sub(" \\+0000 UTC$"; "")), .Size]
	| join("|")' "$1" | LC_ALL=C sort; }
have_d() { awk 'NR > 1 && $1 == "docker" { print $3 "|" $4 "|" $5 "|" $6 " " $7 "|" $8 }' | LC_ALL=C sort; }
tbl=$("$DE" --root "$H" list images --format table)
same_text "Docker: list images equals docker images (repository, tag, ID, created, size)" \
	"$(want_d "$TO/docker-images.jsonl")" "$(have_d <<<"$tbl")"
same_text "Docker: list images --all equals docker images -a" \
	"$(want_d "$TO/docker-images-a.jsonl")" "$(have_d <<<"$("$DE" --root "$H" list images --all --format table)")"
same_text "table: each store's rows named by their runtime" \
	"$( (jq -r '"docker"' "$TO/docker-images.jsonl"; jq -r '.[] | .Names[] | "podman"' "$TO/podman-images.json") | sort | uniq -c)" \
	"$(awk 'NR > 1 { print $1 }' <<<"$tbl" | sort | uniq -c)"

# --- history -----------------------------------------------------------------
# rows IMAGE ID and CreatedBy, newest first, as docker history printed them.
for c in web_attacked:trial_web_1 from_commit:trial_committed_1; do
	name=${c%%:*} img=${c#*:}
	h=$("$DE" --root "$H" history "$(did "$name")" --show-empty 2>"$SCRATCH/err"); rc=$?
	check "history $name: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "history $name: each step once, on the image docker history names" \
		"$(jq -r '[.ID, .CreatedBy] | @tsv' "$TO/docker-history.$img.jsonl")" \
		"$(jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .created_by // ""] | @tsv' <<<"$h")"
	same_text "history $name: as many steps as docker history's rows" \
		"$(wc -l < "$TO/docker-history.$img.jsonl")" "$(jq '[.[] | .layers[]] | length' <<<"$h")"
	same_text "history $name: the steps' sizes add up to docker's image size" \
		"$(jq --arg id "$(head -1 "$TO/docker-history.$img.jsonl" | jq -r .ID)" \
		   '.[] | select(.Id == $id) | .Size' "$TO/docker-images.inspect.json")" \
		"$(jq '[.[] | .layers[].size] | add' <<<"$h")"
done
same_text "history pod_changed equals podman history" \
	"$(jq -c "$JQ_ISO"'[.[] | {created_at: (.created | iso), created_by: .CreatedBy, comment, size}]' \
	   "$TO/podman-history.trial_built_1.json")" \
	"$(jq -c '[.[] | .layers[] | {created_at, created_by, comment, size}]' \
	   <<<"$("$DE" --root "$H" history "$(pid pod_changed)" --show-empty)")"

# --- Podman inspect ------------------------------------------------------------
for c in sleeper_running never_started pod_changed; do
	got=$("$DE" --root "$H" inspect "$(pid "$c")" 2>"$SCRATCH/err"); rc=$?
	check "inspect $c: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "inspect $c equals podman inspect (every key, podman's order)" \
		"$(jq '.[0]' "$TO/podman.container.$c.json")" \
		"$(jq '.[0] | del(.de)' <<<"${got//$S//var/lib/containers/storage}")"
done
