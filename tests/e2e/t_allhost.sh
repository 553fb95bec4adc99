# One host root holding every runtime at once, each made by its real engine:
# Docker 20.10 (the sample) at /var/lib/docker, containerd 1.6 and Podman
# 4.3 (the runtimes fixture) at their default places, and the Docker 29
# host (containerd image store) as a rootless Docker of user ana. `de --root`
# alone must find them all, list every container once with its runtime
# and data root, and give each one's files as its own fixture does.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "all runtimes: extracting the fixtures needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
untar() { tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$1" -C "$2"; }
untar "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" "$H"
mkdir -p "$SCRATCH/d29" "$H/home/ana/.local/share"
untar "$TOP/tests/data/docker29-host/docker29-host.tar.gz" "$SCRATCH/d29"
mv "$SCRATCH/d29/var/lib/docker" "$H/home/ana/.local/share/docker"

"$DE" --root "$H" list all_containers > "$SCRATCH/all" 2>"$SCRATCH/err"; rc=$?
check "all runtimes: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
n_sample=$(jq length "$ORACLE/containers.inspect.json")
same_text "all runtimes: each container once, by runtime" \
	"$(printf 'containerd 3\ndocker %d\npodman 2' $((n_sample + 2)))" \
	"$(jq -r '.[].runtime' "$SCRATCH/all" | sort | uniq -c | awk '{print $2, $1}')"
same_text "all runtimes: no container ID twice" "" \
	"$(jq -r '.[].container_id' "$SCRATCH/all" | sort | uniq -d)"
same_text "all runtimes: the Docker 29 containers are the rootless root's" \
	"$H/home/ana/.local/share/docker $H/home/ana/.local/share/docker" \
	"$(jq -r '[.[] | select(.runtime == "docker" and .driver == "overlayfs") | .data_root] | join(" ")' "$SCRATCH/all")"
# each Docker 29 container's files, by ID through --root, as through -r on its own fixture
for id in $(jq -r '.[] | select(.runtime == "docker" and .driver == "overlayfs") | .container_id' "$SCRATCH/all"); do
	same_text "all runtimes: Docker 29 container ${id:0:12}: the same files through --root" \
		"$("$DE" -r "$H/home/ana/.local/share/docker" ls "$id" / -R -l 2>&1)" \
		"$("$DE" --root "$H" ls "$id" / -R -l 2>&1)"
done
"$DE" --root "$H" timeline --all > "$SCRATCH/body" 2>"$SCRATCH/err"; rc=$?
check "all runtimes: timeline --all over every runtime, exit 0" test $rc -eq 0 -a ! -s "$SCRATCH/err"
# Names held by two containers (web: Docker, rootless Docker, containerd;
# idle: Docker, containerd; job: both Dockers) are told apart in the records:
# RUNTIME:SHORT-ID/name, containerd's by NAMESPACE/ID; the others keep
# their plain names.
same_text "all runtimes: the timeline has each container, shared names with runtime and ID" \
	"$(jq -r 'map(.name |= ltrimstr("/")) | group_by(.name)[] | (length > 1) as $shared | .[]
		| if $shared | not then .name
		  elif .runtime == "containerd" then "containerd:\(.namespace)/\(.container_id)"
		  else "\(.runtime):\(.container_id[0:12])/\(.name)" end' "$SCRATCH/all" | sort)" \
	"$(grep -o '^0|[^|]*: container created|' "$SCRATCH/body" | cut -d'|' -f2 | sed 's/: container created$//' | sort)"
"$DE" --root "$H" timeline --all --format csv > "$SCRATCH/csv"
same_text "all runtimes: csv rows carry each container's runtime and ID" \
	"$(jq -r '.[] | [(.name | ltrimstr("/")), .runtime, .container_id] | join(",")' "$SCRATCH/all" | sort)" \
	"$(python3 -c '
import csv, sys
rows = csv.DictReader(open(sys.argv[1]))
print("\n".join(sorted({",".join((r["container"], r["runtime"], r["container_id"])) for r in rows
                         if r["timestamp_desc"] == "Container Created"})))' "$SCRATCH/csv")"
"$DE" --root "$H" list images > "$SCRATCH/images" 2>"$SCRATCH/err"; rc=$?
check "all runtimes: list images over every root, exit 0" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "all runtimes: images from each store (Docker, Docker 29's containerd, containerd, containers/storage)" \
	"$(printf '%s\n' "$H/home/ana/.local/share/docker/containerd/daemon/io.containerd.content.v1.content" \
		"$H/var/lib/containerd/io.containerd.content.v1.content" "$H/var/lib/containers/storage/overlay-images" \
		"$H/var/lib/docker/image/overlay2" | sort)" \
	"$(jq -r '.[].path' "$SCRATCH/images" | sed -E 's#/(blobs|imagedb)/.*##; s#/overlay-images/.*#/overlay-images#' | sort -u)"
