# `de timeline`: every entry of each container's view, exactly once, even
# though the image's layers are walked once for all the containers made
# from it (the union engine's own `ls -R` is the reference for the set);
# Sleuth Kit's mactime reads the bodyfile; the csv has Timesketch's columns;
# host events and log lines are there.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "timeline: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
"$DE" -r "$R" timeline --all > "$SCRATCH/body" 2>"$SCRATCH/err"; rc=$?
check "timeline --all exits 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
for name in $(jq -r '.[].Name | ltrimstr("/")' "$ORACLE/containers.inspect.json"); do
	same_text "timeline $name: every entry of its view, once" \
		"$("$DE" -r "$R" ls "$name" / -R | LC_ALL=C sort)" \
		"$(grep "^0|$name:/" "$SCRATCH/body" | grep -v ' (deleted)|' | cut -d'|' -f2 | sed "s/^$name://; s/ -> .*//" | LC_ALL=C sort)"
done
# (atime, column 8, left out: reading a symlink's target updates its atime
# on a writable mount, and this copy of the evidence is one; see README)
same_text "timeline: one container alone gives the same records for it" \
	"$(grep '^0|web:/' "$SCRATCH/body" | cut -d'|' -f1-7,9- | LC_ALL=C sort)" \
	"$("$DE" -r "$R" timeline web | grep '^0|web:/' | cut -d'|' -f1-7,9- | LC_ALL=C sort)"
if command -v mactime >/dev/null; then
	mactime -b "$SCRATCH/body" -d -z UTC > "$SCRATCH/mac" 2>"$SCRATCH/macerr"; rc=$?
	check "mactime reads the bodyfile" test $rc -eq 0 -a ! -s "$SCRATCH/macerr"
	check "mactime shows the dropped script" grep -q '"web:/tmp/dropped.sh"' "$SCRATCH/mac"
	check "mactime shows the container's start" grep -q 'web: container started' "$SCRATCH/mac"
else
	skip "mactime: sleuthkit is not installed"
fi
started=$(jq -r '.[] | select(.Name == "/web") | .State.StartedAt' "$ORACLE/containers.inspect.json")
"$DE" -r "$R" timeline web --format jsonl --logs --hash > "$SCRATCH/jsonl"
check "jsonl: every line is a JSON object with Timesketch's fields" \
	jq -e -s 'length > 0 and all(.[]; .message and .datetime and .timestamp_desc and (.timestamp | type == "number"))' "$SCRATCH/jsonl"
check "jsonl: the start event at the engine's StartedAt" \
	jq -e -s --arg t "${started:0:26}" 'any(.[]; .message == "web: container started" and (.datetime | startswith($t)))' "$SCRATCH/jsonl"
check "jsonl --logs: the log lines" jq -e -s 'any(.[]; .message == "web: log stdout: web line 60")' "$SCRATCH/jsonl"
check "jsonl --hash: the dropped script's SHA-256" jq -e -s \
	--arg h "$("$DE" -r "$R" cat web /tmp/dropped.sh | sha256sum | cut -d' ' -f1)" \
	'any(.[]; .path == "/tmp/dropped.sh" and .sha256 == $h)' "$SCRATCH/jsonl"
check "jsonl: the image's build steps" jq -e -s 'any(.[]; .message | test("build step: .*mkdir -p /srv/www"))' "$SCRATCH/jsonl"
"$DE" -r "$R" timeline web --format csv > "$SCRATCH/csv"
check "csv: Timesketch's columns, every row parses" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["message"] and r["datetime"] and r["timestamp_desc"] and int(r["timestamp"]) for r in rows)
assert list(rows[0].keys())[:4] == ["message", "datetime", "timestamp_desc", "timestamp"]' "$SCRATCH/csv"
check "timeline --include-image-layers: each image layer's own entries" \
	grep -q '^0|image-layer:[0-9a-f]*:/bin/busybox|' <("$DE" -r "$R" timeline web --include-image-layers)

# --include-image-layers walks each layer once, however many images and
# containers share it (web and idle share sample/web:2.0; job, done, noisy
# and cached sample/base:1.0, which is web's bottom layer too). The layers
# are those the engine stacked (docker inspect's LowerDir, -init layers
# aside); each one's records are its directory's own entries (the files are
# the oracle, listed by listing.py): MODE UID GID PATH[ -> TARGET], a
# whiteout as the deletion of its path.
lower_layers() {   # NAME...: the image layer directories docker inspect gave
	jq -r --args '.[] | select(.Name as $n | $ARGS.positional | index($n | ltrimstr("/")))
		| .GraphDriver.Data.LowerDir | split(":")[] | select(endswith("-init/diff") | not)' \
		"$@" < "$ORACLE/containers.inspect.json" | sort -u
}
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
for run in "web job" "--all"; do
	# shellcheck disable=SC2086
	"$DE" -r "$R" timeline $run --include-image-layers > "$SCRATCH/il" 2>"$SCRATCH/err"; rc=$?
	check "timeline $run --include-image-layers: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "timeline $run --include-image-layers: no record twice" "" "$(LC_ALL=C sort "$SCRATCH/il" | uniq -d)"
	if [ "$run" = --all ]; then names=$(jq -r '.[].Name | ltrimstr("/")' "$ORACLE/containers.inspect.json"); else names=$run; fi
	# shellcheck disable=SC2086
	layers=$(lower_layers $names)
	same_text "timeline $run --include-image-layers: the layers of the engine's LowerDir, each once" \
		"$(for l in $layers; do basename "$(dirname "$l")"; done | sort)" \
		"$(grep -o '^0|image-layer:[0-9a-f]*' "$SCRATCH/il" | sort -u | cut -d: -f2)"
	for l in $layers; do
		id=$(basename "$(dirname "$l")")
		same_text "timeline $run --include-image-layers: layer ${id:0:12}: its directory's entries, once each" \
			"$(layer_listing "$H$l")" "$(layer_records "$SCRATCH/il" "$id")"
	done
done

# Deletions: what a container's own layer deleted of its image is a
# "(deleted)" record of the deleted entry (fls' name for a deleted file)
# at the times of the marker: docker diff's D lines (web: the whiteout
# /srv/www/index.html, and /opt/app/old/legacy.txt below the opaque
# /opt/app/old). The marker is the oracle of the times, the image's entry
# of the rest.
web_id=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
web_upper=$H$(jq -r '.[] | select(.Name == "/web") | .GraphDriver.Data.UpperDir' "$ORACLE/containers.inspect.json")
same_text "timeline web: the deletions are docker diff's D lines" \
	"$(sed -n 's/^D //p' "$ORACLE/diff.$web_id.txt" | LC_ALL=C sort)" \
	"$(grep '^0|web:/.* (deleted)|' "$SCRATCH/body" | cut -d'|' -f2 | sed 's/^web://; s/ (deleted)$//' | LC_ALL=C sort)"
image_stat() {   # PATH: mode, owner, size of the image's entry (the first lower layer holding it)
	for l in $(jq -r '.[] | select(.Name == "/web") | .GraphDriver.Data.LowerDir | split(":")[]' "$ORACLE/containers.inspect.json"); do
		if [ -e "$H$l$1" ]; then stat -c '%A|%u|%g|%s' "$H$l$1"; return; fi
	done
}
for p in /srv/www/index.html:/srv/www/index.html /opt/app/old/legacy.txt:/opt/app/old; do
	path=${p%%:*} marker=${p#*:}
	same_text "timeline web: $path (deleted): the image's entry at the times of its marker $marker" \
		"$(image_stat "$path")|$(stat -c '%X|%Y|%Z' "$web_upper$marker")" \
		"$(grep "^0|web:$path (deleted)|" "$SCRATCH/body" | cut -d'|' -f4-10)"
done
"$DE" -r "$R" timeline web --format jsonl > "$SCRATCH/wj"
check "jsonl: the whiteout's deletion says so, with the layers it is from" jq -e -s \
	'any(.[]; .message == "web:/srv/www/index.html (deleted)" and .deleted_by == "whiteout"
		and (.layer | startswith("container:")) and (.deleted_from | startswith("image:")))' "$SCRATCH/wj"
check "jsonl: the opaque directory's deletion says so" jq -e -s \
	'any(.[]; .path == "/opt/app/old/legacy.txt" and .deleted_by == "opaque directory")' "$SCRATCH/wj"
check "jsonl: every record of the container names its runtime and ID" jq -e -s --arg id "$web_id" \
	'[.[] | select(.container | startswith("image ") | not)] | length > 0 and
	 all(.[]; .container == "web" and .runtime == "docker" and .container_id == $id)' "$SCRATCH/wj"
if command -v mactime >/dev/null; then
	check "mactime shows the deletion" grep -q '"web:/srv/www/index.html (deleted)"' "$SCRATCH/mac"
fi

# What could not be read is in the timeline itself (CSV, JSONL) as events of
# "de" at the time of the run, and on stderr; the bodyfile stays mactime's.
done_=$(jq -r '.[] | select(.Name == "/done") | .Id' "$ORACLE/containers.inspect.json")
rm "$R/image/overlay2/layerdb/mounts/$done_/mount-id"
"$DE" -r "$R" timeline --all --format jsonl > "$SCRATCH/jsonl2" 2>"$SCRATCH/err"; rc=$?
check "timeline with an unreadable container: exit 3" test $rc -eq 3
check "timeline jsonl: the omission is an event naming the container" jq -e -s \
	'any(.[]; .timestamp_desc == "Not Read by de" and .container == "de" and (.message | test("container done: its files are not in the timeline")))' "$SCRATCH/jsonl2"
check "timeline jsonl: the other containers' files are still there" \
	jq -e -s 'any(.[]; .container == "web" and .path == "/tmp/dropped.sh")' "$SCRATCH/jsonl2"

# --root: the containers of every runtime of the host in one timeline
# (the runtimes fixture: containerd and Podman), each image walked once.
RT=$TOP/tests/data/runtimes-host
mkdir "$SCRATCH/rh"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$RT/runtimes-host.tar.gz" -C "$SCRATCH/rh"
"$DE" --root "$SCRATCH/rh" timeline --all > "$SCRATCH/body3" 2>"$SCRATCH/err"; rc=$?
check "timeline --root --all (containerd + Podman): exit 0" test $rc -eq 0
for name in web idle oneshot pweb pidle; do
	same_text "timeline --root --all: $name, every entry of its view, once" \
		"$("$DE" --root "$SCRATCH/rh" ls "$name" / -R | LC_ALL=C sort)" \
		"$(grep "^0|$name:/" "$SCRATCH/body3" | grep -v ' (deleted)|' | cut -d'|' -f2 | sed "s/^$name://; s/ -> .*//" | LC_ALL=C sort)"
done
# containerd's images have their events as Docker's do: the image config
# (index -> manifest -> config in the content store, as the OCI image spec
# chains them) gives its creation and build steps.
blob() { echo "$SCRATCH/rh/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256/${1#sha256:}"; }
target=$(awk '$1 == "registry.example.com/de/busybox:1.0" {print $3}' "$RT/oracle/ctr.k8s.io.images.txt")
manifest=$(jq -r '.manifests[0].digest' "$(blob "$target")")
config=$(jq -r '.config.digest' "$(blob "$manifest")")
"$DE" --root "$SCRATCH/rh" timeline web --format jsonl > "$SCRATCH/cj"
same_text "timeline --root (containerd): the image's creation and build steps, from its config" \
	"$(jq -r '"\(.created) image created", (.history[] | "\(.created) build step: \(.created_by // .comment)")' "$(blob "$config")" | sed 's/Z / /' | sort)" \
	"$(jq -r 'select(.container == "image registry.example.com/de/busybox:1.0")
		| "\(.datetime | sub("\\.000000\\+00:00$"; "")) \(.container as $c | .message | ltrimstr($c + ": "))"' "$SCRATCH/cj" | sort)"
# --logs for Podman: conmon's k8s-file log, the same lines `de logs` gives
same_text "timeline --logs: Podman's log lines, as de logs gives them" \
	"$("$DE" --root "$SCRATCH/rh" logs pweb --format jsonl | jq -r '"pweb: log \(.stream): \(.log | rtrimstr("\n"))"')" \
	"$("$DE" --root "$SCRATCH/rh" timeline pweb --logs --format jsonl | jq -r 'select(.timestamp_desc == "Log Line") | .message')"
