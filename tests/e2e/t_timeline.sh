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
		"$(grep "^0|$name:/" "$SCRATCH/body" | cut -d'|' -f2 | sed "s/^$name://; s/ -> .*//" | LC_ALL=C sort)"
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
		"$(grep "^0|$name:/" "$SCRATCH/body3" | cut -d'|' -f2 | sed "s/^$name://; s/ -> .*//" | LC_ALL=C sort)"
done
# --logs for Podman: conmon's k8s-file log, the same lines `de logs` gives
same_text "timeline --logs: Podman's log lines, as de logs gives them" \
	"$("$DE" --root "$SCRATCH/rh" logs pweb --format jsonl | jq -r '"pweb: log \(.stream): \(.log | rtrimstr("\n"))"')" \
	"$("$DE" --root "$SCRATCH/rh" timeline pweb --logs --format jsonl | jq -r 'select(.timestamp_desc == "Log Line") | .message')"
