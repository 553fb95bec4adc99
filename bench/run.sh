#!/usr/bin/env bash
# bench/run.sh — de against the tools an analyst would use instead, measured
# in one run on this machine. Figures are ratios (their time / de's time,
# higher is better for de), the median of 5 runs each. Not a test: nothing
# here passes or fails on speed.
set -euo pipefail
: "${DE:?DE must name the de binary}"
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_CONTAINERS:-2000}
W=$(mktemp -d /tmp/de-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time5 CMD...: median wall time of 5 runs, in seconds
time5() {
	for _ in 1 2 3 4 5; do
		local t0 t1
		t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
		echo "$t1 - $t0" | bc -l
	done | median
}

echo "bench: building a host with $N containers from the sample's configs…"
tar -xzf "$TOP/tests/data/sample-host/sample-host.tar.gz" -C "$W" \
	--wildcards 'var/lib/docker/containers/*/config.v2.json' \
	'var/lib/docker/containers/*/hostconfig.json' 'var/lib/docker/image/*' 2>/dev/null || true
R=$W/var/lib/docker
src=$(grep -l '"Name":"/web"' "$R"/containers/*/config.v2.json)
srcid=$(basename "$(dirname "$src")")
mid=$(cat "$R/image/overlay2/layerdb/mounts/$srcid/mount-id")
for i in $(seq 1 "$N"); do
	id=$(printf '%064x' "$i")
	mkdir -p "$R/containers/$id" "$R/image/overlay2/layerdb/mounts/$id"
	sed "s/$srcid/$id/g" "$src" > "$R/containers/$id/config.v2.json"
	cp "$R/containers/$srcid/hostconfig.json" "$R/containers/$id/"
	printf '%s' "$mid" > "$R/image/overlay2/layerdb/mounts/$id/mount-id"
done

# The analyst's way: jq over every config, picking the same fields.
jq_list() {
	jq -s 'sort_by(.State.StartedAt) | map({image_name: .Config.Image, container_id: .ID,
		image_id: .Image, labels: .Config.Labels, start_date: .State.StartedAt,
		mount_points: [.MountPoints[] | {source: .Source, destination: .Destination}],
		log_path: .LogPath, exposed_ports: .Config.ExposedPorts, name: .Name,
		state: .State, driver: .Driver, command: ([.Path] + .Args | join(" "))})' \
		"$R"/containers/*/config.v2.json
}
t_de=$(time5 "$DE" -r "$R" list all_containers)
t_jq=$(time5 jq_list)
printf "bench: list all_containers, %d containers: de %.3fs, jq %.3fs (same fields, one jq run over all configs): ratio jq/de = %.2f\n" \
	"$N" "$t_de" "$t_jq" "$(echo "$t_jq / $t_de" | bc -l)"
