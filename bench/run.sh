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

# ---- logs against jq ------------------------------------------------------------
MB=${BENCH_LOG_MIB:-1024}
echo "bench: writing a ${MB} MiB json-file log…"
LR=$W/logroot
logf=$(python3 "$TOP/bench/make-log.py" "$LR" "$MB")
size=$(stat -c %s "$logf")
cat "$logf" >/dev/null   # both read it from the page cache
t_logs=$(time5 "$DE" -r "$LR" logs logbench)
t_jq=$(for _ in 1 2 3; do t0=$(date +%s.%N); jq -r .log "$logf" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; done | median)
printf 'bench: logs, %d MiB json-file: de logs %.3fs (%.0f MB/s), jq -r .log %.3fs (median of 3): ratio jq/de = %.1f\n' \
	"$MB" "$t_logs" "$(echo "$size / $t_logs / 1000000" | bc -l)" "$t_jq" "$(echo "$t_jq / $t_logs" | bc -l)"
rm -rf "$LR"

# ---- the union engine against a kernel overlay mount ---------------------------
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
	echo "bench: union engine: skipped (needs root, unshare -m and overlayfs for the kernel side)"
	exit 0
fi
L=${BENCH_LAYERS:-20} F=${BENCH_FILES:-20000}
echo "bench: building a stack of $L layers x $F files…"
S=$W/stack
lower=$(python3 "$TOP/bench/make-stack.py" "$S" "$L" "$F")
SR=$S/var/lib/docker
mkdir -p "$W/mnt"
# Both sides in one private mount namespace, one after the other, files in
# the page cache for both (a first untimed run of each warms it).
unshare -m --propagation private bash -s "$DE" "$SR" "$W" "$lower" <<'INNER'
set -eu
DE=$1 SR=$2 W=$3 lower=$4
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time5() { for _ in 1 2 3 4 5; do
	local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l; done | median; }
mount -t overlay overlay -o "ro,lowerdir=$lower" "$W/mnt"
find "$W/mnt" -printf '%M %U %G %s %T@ %p\n' >/dev/null; "$DE" -r "$SR" ls bench / -R -l >/dev/null
n_de=$("$DE" -r "$SR" ls bench / -R | wc -l); n_k=$(cd "$W/mnt" && find . -mindepth 1 | wc -l)
t_find=$(time5 find "$W/mnt" -printf '%M %U %G %s %T@ %p\n')
t_ls=$(time5 "$DE" -r "$SR" ls bench / -R -l)
rss=$( { /usr/bin/time -f '%M' "$DE" -r "$SR" ls bench / -R -l >/dev/null; } 2>&1 | tail -1)
printf 'bench: walk with stat, %s entries (kernel: %s): de ls -R -l %.3fs, find -printf on the kernel mount %.3fs: ratio find/de = %.2f; de peak RSS %.1f MiB\n' \
	"$n_de" "$n_k" "$t_ls" "$t_find" "$(echo "$t_find / $t_ls" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
t_tar=$(time5 tar -C "$W/mnt" -cf "$W/k.tar" . )
t_tarp=$(time5 tar --format=posix --xattrs --xattrs-include='*' -C "$W/mnt" -cf "$W/kp.tar" .)
t_exp=$(time5 bash -c "rm -f '$W/d.tar'; '$DE' -r '$SR' export bench '$W/d.tar'")
printf 'bench: export to an uncompressed tar: de export %.3fs; GNU tar over the kernel mount %.3fs (default format: no ns times, no xattrs): ratio tar/de = %.2f; GNU tar --format=posix --xattrs (what de keeps) %.3fs: ratio = %.2f\n' \
	"$t_exp" "$t_tar" "$(echo "$t_tar / $t_exp" | bc -l)" "$t_tarp" "$(echo "$t_tarp / $t_exp" | bc -l)"
umount "$W/mnt"
INNER

# ---- timeline of many containers sharing one image, against mount + find each --
NC=${BENCH_TL_CONTAINERS:-100} NF=${BENCH_TL_FILES:-20000}
echo "bench: building a host of $NC containers sharing one $NF-file image…"
python3 "$TOP/bench/make-host.py" "$W/host" "$NC" "$NF" > "$W/host.list"
unshare -m --propagation private bash -s "$DE" "$W/host/var/lib/docker" "$W" "$NC" <<'INNER'
set -eu
DE=$1 HR=$2 W=$3 NC=$4
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time5() { for _ in 1 2 3 4 5; do
	local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l; done | median; }
mkdir -p "$W/hm"
each_mount() {
	while read -r _ lower; do
		mount -t overlay overlay -o "ro,lowerdir=$lower" "$W/hm"
		find "$W/hm" -printf '%i|%p|%M|%U|%G|%s|%A@|%T@|%C@\n'
		umount "$W/hm"
	done < "$W/host.list"
}
each_mount >/dev/null; "$DE" -r "$HR" timeline --all >/dev/null
n=$("$DE" -r "$HR" timeline --all | wc -l)
t_tl=$(time5 "$DE" -r "$HR" timeline --all)
t_mf=$(time5 each_mount)
printf 'bench: timeline --all, %s containers sharing one image (%s records): de %.3fs, a kernel mount + find -printf per container %.3fs: ratio = %.1f\n' \
	"$NC" "$n" "$t_tl" "$t_mf" "$(echo "$t_mf / $t_tl" | bc -l)"
INNER

# ---- disk images: de's own readers against the kernel's loop mount ---------------
DE=$DE "$TOP/bench/fsread.sh"
