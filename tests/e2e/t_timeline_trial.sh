# `de timeline` on the trial host (tests/fixtures/README-trial.md): Docker
# 20.10 and Podman 4.3 on one root, checked against what the engines said
# and against the files themselves:
#  - every layer walked once (issue 10 item 7): no record twice, each image
#    layer's records are its directory's entries (docker/podman inspect's
#    LowerDir names the layers);
#  - deletions (item 8): docker diff's D lines for web_attacked; podman
#    diff's D lines for pod_changed, the opaque directory's hidden children
#    listed by the kernel's overlay mount of the image; each at its marker's
#    times;
#  - image events (item 8): Docker's and Podman's build steps as `docker
#    history` and `podman history` give them; docker commit's container;
#  - shared names (item 14): Docker's and Podman's sleeper_running and
#    never_started told apart by runtime and short ID.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "timeline (trial host): extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_trial "$H"
O=$TRIAL_ORACLE
dinspect() { jq -r --arg n "/$1" ".[] | select(.Name == \$n) | $2" "$O/docker-containers.inspect.json"; }
pinspect() { jq -r ".[0] | $2" "$O/podman.container.$1.json"; }

"$DE" --root "$H" timeline --all > "$SCRATCH/body" 2>"$SCRATCH/err"; rc=$?
check "timeline --all: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "timeline --all: no record twice" "" "$(LC_ALL=C sort "$SCRATCH/body" | uniq -d)"

# ---- item 7: shared layers once --------------------------------------------
layer_listing() {   # DIR: its entries as the timeline's layer records show them
	python3 "$TOP/tests/e2e/listing.py" "$1" | awk '{
		path = $6; for (i = 7; i <= NF; i++) path = path " " $i
		if ($1 == "c---------" && $4 == "0,0") path = path " (deleted)"
		print $1, $2, $3, path }' | LC_ALL=C sort
}
layer_records() {   # FILE ID: the bodyfile's records of layer ID
	grep "^0|image-layer:$2:/" "$1" | awk -F'|' -v id="$2" '{
		sub("^image-layer:" id ":", "", $2); print $4, $5, $6, $2 }' | LC_ALL=C sort
}
check_layers() {   # WHAT FILE LOWERDIR...: the layer records of FILE
	local what=$1 file=$2; shift 2
	local layers
	layers=$(printf '%s\n' "$@" | tr ':' '\n' | grep -v -- '-init/diff$' | grep . | sort -u)
	same_text "$what: no record twice" "" "$(LC_ALL=C sort "$file" | uniq -d)"
	same_text "$what: the layers of the engines' LowerDir, each once" \
		"$(for l in $layers; do basename "$(dirname "$l")"; done | sort)" \
		"$(grep -o '^0|image-layer:[0-9a-f]*' "$file" | sort -u | cut -d: -f2)"
	for l in $layers; do
		local id
		id=$(basename "$(dirname "$l")")
		same_text "$what: layer ${id:0:12}: its directory's entries, once each" \
			"$(layer_listing "$H$l")" "$(layer_records "$file" "$id")"
	done
}
# the trial's own command: two containers of two images sharing trial/base:1
"$DE" --root "$H" timeline web_attacked exited_rc7 --include-image-layers > "$SCRATCH/il" 2>"$SCRATCH/err"
check_layers "timeline web_attacked exited_rc7 --include-image-layers" "$SCRATCH/il" \
	"$(dinspect web_attacked .GraphDriver.Data.LowerDir)" "$(dinspect exited_rc7 .GraphDriver.Data.LowerDir)"
"$DE" --root "$H" timeline --all --include-image-layers > "$SCRATCH/ila" 2>"$SCRATCH/err"; rc=$?
check "timeline --all --include-image-layers: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
# shellcheck disable=SC2046
check_layers "timeline --all --include-image-layers" "$SCRATCH/ila" \
	$(jq -r '.[].GraphDriver.Data.LowerDir // empty' "$O/docker-containers.inspect.json") \
	$(for n in sleeper_running never_started pod_changed; do pinspect "$n" '.GraphDriver.Data.LowerDir // empty'; done)

# ---- item 8: deletions -----------------------------------------------------
deleted() {   # LABEL: the paths of its "(deleted)" records
	grep "^0|$1:/.* (deleted)|" "$SCRATCH/body" | cut -d'|' -f2 | sed "s|^$1:||; s| (deleted)$||" | LC_ALL=C sort
}
same_text "web_attacked: the deletions are docker diff's D lines" \
	"$(sed -n 's/^D //p' "$O/docker-diff.web_attacked.txt" | LC_ALL=C sort)" "$(deleted web_attacked)"
# times: the marker's (the whiteout itself, the opaque directory); the
# rest: the image's entry (the first lower layer that holds it)
marker_check() {   # LABEL UPPER LOWERDIR PATH MARKER
	local l want=""
	for l in $(echo "$3" | tr ':' ' '); do
		if [ -e "$H$l$4" ]; then want=$(stat -c '%A|%u|%g|%s' "$H$l$4"); break; fi
	done
	same_text "$1:$4 (deleted): the image's entry, at the times of its marker $5" \
		"$want|$(stat -c '%X|%Y|%Z' "$H$2$5")" \
		"$(grep "^0|$1:$4 (deleted)|" "$SCRATCH/body" | cut -d'|' -f4-10)"
}
up=$(dinspect web_attacked .GraphDriver.Data.UpperDir) low=$(dinspect web_attacked .GraphDriver.Data.LowerDir)
marker_check web_attacked "$up" "$low" /opt/app/remove-me.txt /opt/app/remove-me.txt
marker_check web_attacked "$up" "$low" /opt/app/old/legacy.txt /opt/app/old
# Podman's diff names an opaque directory "D dir" (then "A" its new
# content): what it deleted is what the image had below it, as the kernel's
# overlay mount of the image's layers lists it.
low=$(pinspect pod_changed .GraphDriver.Data.LowerDir) up=$(pinspect pod_changed .GraphDriver.Data.UpperDir)
mkdir "$SCRATCH/mnt-image"
lowers=$(echo "$low" | tr ':' '\n' | sed "s|^|$H|" | paste -sd:)
if mount -t overlay -o "ro,lowerdir=$lowers" overlay "$SCRATCH/mnt-image" 2>/dev/null; then
	want=$(sed -n 's/^D //p' "$O/podman-diff.pod_changed.txt" | while read -r p; do
		if "$DE" --root "$H" ls pod_changed "$p" >/dev/null 2>&1; then   # still there: opaque
			(cd "$SCRATCH/mnt-image$p" && find . -mindepth 1 | sed "s|^\.|$p|")
		else
			echo "$p"
		fi
	done | LC_ALL=C sort)
	umount "$SCRATCH/mnt-image"
	same_text "pod_changed: the deletions are podman diff's D lines (an opaque directory's: what the kernel's mount of the image has below it)" \
		"$want" "$(deleted pod_changed)"
else
	skip "pod_changed: the kernel's overlay mount of the image is not allowed here"
fi
marker_check pod_changed "$up" "$low" /etc/motd /etc/motd
marker_check pod_changed "$up" "$low" /opt/app/old/legacy.txt /opt/app/old
"$DE" --root "$H" timeline pod_changed --format csv > "$SCRATCH/csv"
check "csv: the deletions' deleted_by column" python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["message"].endswith(" (deleted)")]
by = {r["path"]: r["deleted_by"] for r in rows}
assert by == {"/etc/motd": "whiteout", "/opt/app/old/legacy.txt": "opaque directory"}, by' "$SCRATCH/csv"
if command -v mactime >/dev/null; then
	mactime -b "$SCRATCH/body" -d -z UTC > "$SCRATCH/mac" 2>"$SCRATCH/macerr"; rc=$?
	check "mactime reads the bodyfile, deletions and labels included" test $rc -eq 0 -a ! -s "$SCRATCH/macerr"
	check "mactime: the deleted file" grep -q '"web_attacked:/opt/app/remove-me.txt (deleted)"' "$SCRATCH/mac"
else
	skip "mactime: sleuthkit is not installed"
fi

# ---- item 8: image events --------------------------------------------------
"$DE" --root "$H" timeline --all --format jsonl > "$SCRATCH/jsonl"
steps() {   # IMAGE-LABEL CUT: "time step" of its events, time cut to CUT characters
	jq -r --arg c "image $1" --argjson n "$2" 'select(.container == $c and .timestamp_desc == "Image Build Step")
		| "\(.datetime[0:$n]) \(.message | ltrimstr($c + ": build step: "))"' "$SCRATCH/jsonl" | sort
}
for img in trial/web:1 trial/committed:1 trial/base:1; do
	f=$O/docker-history.$(echo "$img" | tr '/:' '__').jsonl
	same_text "image $img: its build steps as docker history gives them" \
		"$(jq -r '"\(.CreatedAt[0:19]) \(if .CreatedBy == "" then .Comment else .CreatedBy end)"' "$f" | sort)" \
		"$(steps "$img" 19)"
done
same_text "image localhost/trial/built:1 (podman build): its build steps as podman history gives them" \
	"$(jq -r '.[] | "\(.created[0:26]) \(.CreatedBy // .comment)"' "$O/podman-history.trial_built_1.json" | sort)" \
	"$(steps localhost/trial/built:1 26)"
# docker commit: the image config's container is committer's ID
committed=$(jq -r '.[] | select(.RepoTags | index("trial/committed:1")) | .Container' "$O/docker-images.inspect.json")
created=$(jq -r '.[] | select(.RepoTags | index("trial/committed:1")) | .Created' "$O/docker-images.inspect.json")
same_text "docker commit: the committed image's container is committer (docker inspect of the image)" \
	"/committer" "$(jq -r --arg id "$committed" '.[] | select(.Id == $id) | .Name' "$O/docker-containers.inspect.json")"
check "timeline: image trial/committed:1 committed from container committer, at the image's Created" jq -e -s \
	--arg t "${created:0:26}" 'any(.[]; .message == "image trial/committed:1: committed from container committer"
		and .timestamp_desc == "Image Committed" and (.datetime | startswith($t)))' "$SCRATCH/jsonl"
check "timeline from_commit alone: the committer found in the evidence by its ID" \
	grep -q '^0|image trial/committed:1: committed from container committer|' \
	<("$DE" --root "$H" timeline from_commit)
same_text "timeline --all: only trial/committed:1 was committed (the legacy builder's steps are not commits)" \
	"image trial/committed:1" \
	"$(jq -r 'select(.timestamp_desc == "Image Committed") | .container' "$SCRATCH/jsonl" | sort -u)"
"$DE" --root "$H" list images --all > "$SCRATCH/images"
same_text "list images: committed_from names the container (and only for the committed image)" \
	"trial/committed:1 $committed /committer" \
	"$(jq -r '.[] | select(.committed_from) | "\(.repo_tags | join(",")) \(.committed_from.container_id) \(.committed_from.name)"' "$SCRATCH/images")"

# ---- item 14: names two runtimes hold -------------------------------------
for n in sleeper_running never_started; do
	did=$(jq -r --arg n "$n" 'select(.Names == $n) | .ID' "$O/docker-ps.jsonl")
	pid=$(jq -r --arg n "$n" '.[] | select(.Names | index($n)) | .Id' "$O/podman-ps.json")
	same_text "timeline --all: $n of Docker and of Podman, by runtime and short ID" \
		"$(printf 'docker:%s/%s\npodman:%s/%s' "${did:0:12}" "$n" "${pid:0:12}" "$n")" \
		"$(grep -o "^0|[a-z]*:[0-9a-f]*/$n: container created|" "$SCRATCH/body" | cut -d'|' -f2 | sed 's/: container created$//' | sort)"
	same_text "timeline --all jsonl: $n's records carry the engines' runtimes and IDs" \
		"$(printf 'docker %s\npodman %s' "$did" "$pid")" \
		"$(jq -r --arg n "$n" 'select(.container == $n) | "\(.runtime) \(.container_id)"' "$SCRATCH/jsonl" | sort -u)"
done
check "timeline --all: a name no other container has stays plain" grep -q '^0|web_attacked:/tmp/dropped.sh|' "$SCRATCH/body"
same_text "timeline web_attacked web_attacked: a container named twice, its records once" \
	"$("$DE" --root "$H" timeline web_attacked | LC_ALL=C sort)" \
	"$("$DE" --root "$H" timeline web_attacked web_attacked | LC_ALL=C sort)"
