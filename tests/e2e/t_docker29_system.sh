# Docker 29 as docker-ce installs it: the containerd image store in the
# SYSTEM containerd (/var/lib/containerd, namespace moby), from the host
# made by tests/fixtures/make-docker29-system.sh. Real (containerd 1.6 and
# runc): the content store, the images, every snapshot ("<id>" over
# "<id>-init" over the image's layers), the files the containers wrote,
# web's containerd record and running task. Constructed by the script:
# Docker's init layer content and containers/<id>/* (README-docker29-system.md).
# The oracle: what ctr said (images, containers, tasks, snapshots and their
# kernel mounts, image configs), and a listing of each container's root as
# the kernel mounted it from its snapshot chain.
# Later sections rearrange the extracted fixture on copies (each says how):
# the containerd root moved to the one config.toml names, -r without a
# host root, another containerd-namespace, the private containerd of the
# docker29-host fixture beside the system one (ambiguity), and both Docker
# 29 fixtures on one host root (the private one as a rootless Docker).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "docker29 system: extracting the fixture needs root"; exit 0; fi
scratch
untar() { mkdir -p "$2" && tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$1" -C "$2"; }
H=$SCRATCH/host
R=$H/var/lib/docker
CTD=$H/var/lib/containerd
D29=$TOP/tests/data/docker29-system
O=$D29/oracle
LISTING="python3 $TOP/tests/e2e/listing.py"
untar "$D29/docker29-system.tar.gz" "$H"
WEB=$(awk '$1 == "web" { print $2 }' "$O/containers.txt")
JOB=$(awk '$1 == "job" { print $2 }' "$O/containers.txt")
target() { awk -v r="$1" '$1 == r { print $3 }' "$O/ctr.moby.images.txt"; }
WEB_IMG=$(target docker.io/library/busybox:de29)
JOB_IMG=$(target docker.io/de/job:1.0)
# the snapshot directories containerd mounts for a container, top first,
# from `ctr snapshots mounts` (paths of the imaged host: under $2)
snap_dirs() {
	sed -e 's/.*upperdir=\([^,]*\),lowerdir=\(.*\)$/\1:\2/' "$O/ctr.moby.snapshot.$1.mounts.txt" |
		tr ':' '\n' | sed "s|^|${2:-$H}|"
}
fields='sort_by(.name) | .[] | "\(.container_id) \(.name) \(.image_name) \(.image_id) \(.state) \(.pid) \(.driver) \(.runtime)"'

# ---- list: each container once, Docker's, with the containerd it is in --------
all=$("$DE" --root "$H" list all_containers 2>"$SCRATCH/err"); rc=$?
check "--root list: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
check "the oracle: web's containerd record is in namespace moby (ctr containers ls)" \
	grep -q "^$WEB " "$O/ctr.moby.containers.txt"
web_pid=$(awk -v id="$WEB" '$1 == id { print $2 }' "$O/ctr.moby.tasks.txt")
same_text "--root list: web and job once each, Docker's (state and pid of web as ctr tasks ls)" \
	"$JOB /job de/job:1.0 ${JOB_IMG#sha256:} exited(3) 0 overlayfs docker
$WEB /web busybox:de29 ${WEB_IMG#sha256:} running $web_pid overlayfs docker" "$(jq -r "$fields" <<<"$all")"
same_text "--root list: the containerd root, namespace and snapshotter of each" \
	"$CTD moby overlayfs
$CTD moby overlayfs" \
	"$(jq -r '.[] | "\(.containerd_root) \(.containerd_namespace) \(.snapshotter)"' <<<"$all")"
for c in web:$WEB job:$JOB; do
	same_text "list ${c%%:*}: upper_dir is the upperdir containerd mounts" \
		"$(snap_dirs "${c#*:}" | head -1)" \
		"$(jq -r --arg id "${c#*:}" '.[] | select(.container_id == $id) | .upper_dir' <<<"$all")"
done
one=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "-r alone (host root derived from it): exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "-r alone: the same containers, from the system containerd found below the host root" \
	"$(jq -S . <<<"$all")" "$(jq -S . <<<"$one")"
same_text "list runtimes: Docker and the system containerd" "containerd $CTD
docker $R" "$("$DE" --root "$H" list runtimes | jq -r '.[] | "\(.runtime) \(.path)"' | sort)"
check "look-up: containerd:moby/<web id> is Docker's record: not a container of its own" \
	bash -c '! "$1" --root "$2" inspect "containerd:moby/$3" >/dev/null 2>&1' _ "$DE" "$H" "$WEB"

# ---- inspect -------------------------------------------------------------------------
for c in web:$WEB job:$JOB; do
	same_text "inspect ${c%%:*}: its layers are the snapshot chain containerd mounts" \
		"$(snap_dirs "${c#*:}")" "$("$DE" --root "$H" inspect "${c%%:*}" | jq -r '.[0].de.layers[].dir')"
done
same_text "inspect web: roles, and the containerd it is in" \
	"container init image image $CTD moby overlayfs" \
	"$("$DE" --root "$H" inspect web | jq -r '.[0].de | "\([.layers[].role] | join(" ")) \(.containerd_root) \(.containerd_namespace) \(.snapshotter)"')"

# ---- history: the image config ctr gives, sizes from the snapshots' usage ---------
usage() { awk -v k="$1" '$1 == k { print $2 }' "$O/ctr.moby.snapshots.usage.txt"; }
for c in web:$WEB_IMG job:$JOB_IMG; do
	name=${c%%:*} img=${c#*:}
	cfg=$O/ctr.moby.config.$name.json
	d1=$(jq -r '.rootfs.diff_ids[0]' "$cfg") d2=$(jq -r '.rootfs.diff_ids[1]' "$cfg")
	ch2=sha256:$(printf '%s %s' "$d1" "$d2" | sha256sum | cut -d' ' -f1)
	s1=$(usage "$d1") s2=$(usage "$ch2")
	want=$(jq -c --arg img "$img" --argjson s1 "$s1" --argjson s2 "$s2" '
		def iso: sub("Z$"; "+00:00");
		[.history | to_entries[] | select(.value.empty_layer | not)] as $h
		| {($img): {created_at: (.created | iso), container_cmd: .history[-1].created_by,
			size: ($s1 + $s2), layers: [
			{created_at: ($h[1].value.created | iso), created_by: $h[1].value.created_by,
			 comment: $h[1].value.comment, empty_layer: false, diff_id: .rootfs.diff_ids[1], size: $s2},
			{created_at: ($h[0].value.created | iso), created_by: $h[0].value.created_by,
			 comment: $h[0].value.comment, empty_layer: false, diff_id: .rootfs.diff_ids[0], size: $s1}]}}' "$cfg")
	same_text "history $name: the image config from the system containerd, sizes from its snapshots" \
		"$want" "$("$DE" --root "$H" history "$name" | jq -c .)"
	same_text "history $name through -r alone: the same" "$want" "$("$DE" -r "$R" history "$name" | jq -c .)"
done

# ---- images: Docker's, once ---------------------------------------------------------
imgs=$("$DE" --root "$H" list images 2>"$SCRATCH/err"); rc=$?
check "list images --root: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list images: namespace moby's images (ctr images ls) once, Docker's, with their users" \
	"$(awk 'NR > 1 { print $3, $1 }' "$O/ctr.moby.images.txt" | sort)" \
	"$(jq -r '.[] | "\(.id) \(.repo_tags | join(","))"' <<<"$imgs" | sort)"
same_text "list images: runtime, namespace, users, store" \
	"docker moby /job $CTD
docker moby /web $CTD" \
	"$(jq -r '.[] | "\(.runtime) \(.namespace) \(.containers | join(",")) \(.path | sub("/io.containerd.content.v1.content/.*"; ""))"' <<<"$imgs" | sort)"
same_text "list images -r alone: the same" "$(jq -S . <<<"$imgs")" "$("$DE" -r "$R" list images | jq -S .)"

# ---- the root filesystem against the kernel's mount of the snapshot chain ----------
for c in web:$WEB job:$JOB; do
	name=${c%%:*} id=${c#*:}
	X=$SCRATCH/x-$name T=$SCRATCH/t-$name F=$SCRATCH/f-$name K=$SCRATCH/k-$name
	mkdir -p "$X" "$T" "$F" "$K"
	same_text "$name: ls -R -l equals the kernel's view" "$(cat "$O/merged.$id.ls")" \
		"$("$DE" --root "$H" ls "$name" / -R -l --no-volumes | sed 's/^\([^ ]*\) [0-9]* /\1 /')"
	"$DE" --root "$H" export "$name" "$X" --no-volumes
	same_text "$name: export into a directory equals the kernel's view (content, xattrs)" \
		"$(cat "$O/merged.$id.hash")" "$($LISTING "$X" --hash --xattrs)"
	"$DE" --root "$H" export "$name" "$SCRATCH/$name.tar" --no-volumes
	tar --xattrs --xattrs-include='*' --numeric-owner -p -xf "$SCRATCH/$name.tar" -C "$T"
	same_text "$name: export tar, extracted by GNU tar, equals the kernel's view" \
		"$(cat "$O/merged.$id.hash")" "$($LISTING "$T" --hash --xattrs)"
	if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
		cmd=$("$DE" --root "$H" mount "$name" "$K" --dry-run --no-volumes)
		check "$name: mount --dry-run: the lower dirs are the system containerd's snapshots" \
			grep -q "lowerdir=$(snap_dirs "$id" | paste -sd:)" <<<"$cmd"
		unshare -m --propagation private bash -c "$cmd && $LISTING '$K' > '$SCRATCH/$name.k' &&
			$LISTING '$K' --nlink > '$SCRATCH/$name.kn'"
		same_text "$name: de mount (kernel overlay of the extracted snapshots) equals the oracle" \
			"$(cat "$O/merged.$id.ls")" "$(cat "$SCRATCH/$name.k" 2>/dev/null)"
		same_text "$name: ls -R -l, link counts too, equals the kernel's mount" \
			"$(cat "$SCRATCH/$name.kn" 2>/dev/null)" "$("$DE" --root "$H" ls "$name" / -R -l --no-volumes)"
		if command -v fusermount3 >/dev/null && [ -e /dev/fuse ]; then
			unshare -m --propagation private bash -c "'$DE' --root '$H' mount '$name' '$F' --fuse --no-volumes 2>/dev/null &&
				$LISTING '$F' --hash --xattrs > '$SCRATCH/$name.fh'; fusermount3 -u '$F'"
			same_text "$name: FUSE view equals the kernel's" "$(cat "$O/merged.$id.hash")" \
				"$(cat "$SCRATCH/$name.fh" 2>/dev/null)"
		else
			skip "$name: FUSE: no fusermount3 or /dev/fuse"
		fi
	else
		skip "$name: kernel mount: needs unshare -m and overlayfs"
	fi
done
same_text "cat: a file the container wrote" "attacker" "$("$DE" --root "$H" cat web /tmp/dropped.sh)"
same_text "cat through -r alone: the same" "attacker" "$("$DE" -r "$R" cat web /tmp/dropped.sh)"

# diff: what the commands did (the script's JOB_CMD and WEB_CMD), not
# Docker's init layer; /run is the dir runc made for ctr's /run tmpfs
# (the fixture's README), a real change of the upper dir
dj=$("$DE" --root "$H" diff job)
same_text "diff job: changed, deleted (lower file), added" "D /etc/issue
C /etc/motd
C /opt/app/conf/app.conf
A /root/out/result.txt" "$(grep -E '^[ACD] /(etc/(issue|motd)|opt/app/conf/app.conf|root/out/result.txt)$' <<<"$dj")"
check "diff job: Docker's init layer is not a change" bash -c '! grep -E "dockerenv|/etc/hosts|/etc/mtab" <<<"$1"' _ "$dj"
same_text "diff web: a lower file deleted, files added" "D /srv/www/index.html
A /srv/www/status.txt
A /tmp/dropped.sh" "$("$DE" --root "$H" diff web | grep -E '^[ACD] /(srv/www|tmp)/')"
same_text "diff web: every entry is in the kernel's view or a deletion" "" \
	"$("$DE" --root "$H" diff web | awk '$1 != "D" { print $2 }' | while read -r p; do
		grep -q " $p\$" "$O/merged.$WEB.ls" || grep -q " $p -> " "$O/merged.$WEB.ls" || echo "$p"; done)"

# logs: the json-file log Docker keeps in containers/<id>/
log=$R/containers/$WEB/$WEB-json.log
same_text "logs web: stdout from the json-file log" \
	"$(jq -rj 'select(.stream == "stdout") | .log' "$log")" "$("$DE" --root "$H" logs web --stream stdout)"
same_text "logs web: stderr from the json-file log" \
	"$(jq -rj 'select(.stream == "stderr") | .log' "$log")" "$("$DE" --root "$H" logs web --stream stderr)"

# timeline: the container's own files with the upper dir's real times
tl=$("$DE" --root "$H" timeline web --format jsonl --logs 2>"$SCRATCH/err"); rc=$?
check "timeline web: exit 0" test $rc -eq 0
up=$(snap_dirs "$WEB" | head -1)
same_text "timeline: a file the container dropped, at its mtime, from its snapshot in the system containerd" \
	"$(stat -c %Y "$up/tmp/dropped.sh") container:$(basename "$(dirname "$up")")" \
	"$(jq -r 'select(.path == "/tmp/dropped.sh" and (.times | startswith("M"))) | "\(.timestamp / 1000000 | floor) \(.layer)"' <<<"$tl")"
check "timeline: the init layer's /.dockerenv" jq -e -s 'any(.[]; .path == "/.dockerenv" and (.layer | startswith("init:")))' <<<"$tl"
check "timeline --logs: the log lines" jq -e -s '[.[] | select(.timestamp_desc == "Log Line")] | length == 2' <<<"$tl"
same_text "timeline: the image's creation and build steps, from its config in the system containerd" \
	"$(jq -r '(.created | sub("Z$"; "")), (.history[] | (.created | sub("Z$"; "")) + " " + .created_by)' \
		"$O/ctr.moby.config.web.json" | LC_ALL=C sort)" \
	"$(jq -r 'select(.container == "image busybox:de29") | (.datetime | sub("\\.0+\\+00:00$"; "")) +
		((.message | capture("build step: (?<s>.*)") | " " + .s) // "")' <<<"$tl" | LC_ALL=C sort)"
"$DE" --root "$H" timeline --all > "$SCRATCH/tla" 2>"$SCRATCH/err"; rc=$?
check "timeline --all: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "timeline --all: each container created once (Docker's, no containerd record)" \
	"job
web" "$(grep -o '^0|[^|]*: container created|' "$SCRATCH/tla" | cut -d'|' -f2 | sed 's/: container created$//' | sort)"

# ---- the containerd root named in etc/containerd/config.toml ------------------------
# (REARRANGED: var/lib/containerd moved to srv/containerd, and the
# packaged config.toml's commented root set to it)
C=$SCRATCH/conf
cp -a "$H" "$C"
mkdir -p "$C/srv"
mv "$C/var/lib/containerd" "$C/srv/containerd"
sed -i 's|^#root = "/var/lib/containerd"$|root = "/srv/containerd"|' "$C/etc/containerd/config.toml"
check "config.toml: root set (top-level key)" grep -q '^root = "/srv/containerd"$' "$C/etc/containerd/config.toml"
got=$("$DE" --root "$C" list all_containers 2>"$SCRATCH/err"); rc=$?
check "config.toml root: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "config.toml root: both containers once, in the containerd it names" \
	"$JOB $C/srv/containerd
$WEB $C/srv/containerd" "$(jq -r 'sort_by(.container_id) | .[] | "\(.container_id) \(.containerd_root)"' <<<"$got")"
same_text "config.toml root: -r alone finds it too" "$(jq -S . <<<"$got")" \
	"$("$DE" -r "$C/var/lib/docker" list all_containers | jq -S .)"
same_text "config.toml root: ls -R -l equals the kernel's view" "$(cat "$O/merged.$WEB.ls")" \
	"$("$DE" --root "$C" ls web / -R -l --no-volumes | sed 's/^\([^ ]*\) [0-9]* /\1 /')"

# the default root named again in config.toml, written another way: one
# containerd, not two holding the snapshot
S=$SCRATCH/slash
cp -a "$H" "$S"
sed -i 's|^#root = "/var/lib/containerd"$|root = "/var/lib/containerd/"|' "$S/etc/containerd/config.toml"
got=$("$DE" --root "$S" list all_containers 2>"$SCRATCH/err"); rc=$?
same_text "config.toml root = the default dir (\"/var/lib/containerd/\"): one containerd, no ambiguity" \
	"0 $S/var/lib/containerd $S/var/lib/containerd" "$rc $(jq -r '[.[].containerd_root] | join(" ")' <<<"$got")"

# ---- -r without a host root ---------------------------------------------------------
# (REARRANGED: the data root alone, copied to a path not ending in
# /var/lib/docker: the host's containerd cannot be looked for)
mkdir -p "$SCRATCH/copy"
cp -a "$R" "$SCRATCH/copy/docker"
got=$("$DE" -r "$SCRATCH/copy/docker" list all_containers 2>"$SCRATCH/err"); rc=$?
same_text "-r, no host root: both listed, without layers, exit 3" "3 2 0" \
	"$rc $(jq length <<<"$got") $(jq '[.[] | select(.upper_dir)] | length' <<<"$got")"
check "-r, no host root: the warning says to give --root" \
	grep -q "container $WEB: Driver overlayfs is a containerd snapshotter, but no containerd root was found.*give it with --root" "$SCRATCH/err"
out=$("$DE" -r "$SCRATCH/copy/docker" ls web / 2>"$SCRATCH/err"); rc=$?
check "-r, no host root: ls refused (exit 1), no output" test $rc -eq 1 -a -z "$out"
check "-r, no host root: ls says why" grep -q "give it with --root" "$SCRATCH/err"
same_text "-r and --root: the host's containerd found" "$(snap_dirs "$WEB" | head -1)" \
	"$("$DE" -r "$SCRATCH/copy/docker" --root "$H" list all_containers 2>/dev/null | jq -r --arg id "$WEB" '.[] | select(.container_id == $id) | .upper_dir')"

# ---- daemon.json containerd-namespace -----------------------------------------------
# (CONSTRUCTED: a daemon.json naming another namespace than the one the
# snapshots are in: dockerd would have used that one)
N=$SCRATCH/ns
cp -a "$H" "$N"
mkdir -p "$N/etc/docker"
echo '{"containerd-namespace": "other"}' > "$N/etc/docker/daemon.json"
got=$("$DE" --root "$N" list all_containers 2>"$SCRATCH/err"); rc=$?
check "containerd-namespace other: exit 3, the warning names the namespace and the root searched" \
	test $rc -eq 3 -a -n "$(grep "container $WEB:.*namespace other): $N/var/lib/containerd" "$SCRATCH/err")"
same_text "containerd-namespace other: moby is not Docker's namespace: web's record there is containerd's" \
	"containerd moby $WEB
docker null $JOB
docker null $WEB" "$(jq -r '.[] | "\(.runtime) \(.namespace) \(.container_id)"' <<<"$got" | sort)"

# ---- two containerds hold the snapshot: ambiguity -----------------------------------
# (REARRANGED: the docker29-host fixture's private containerd, which holds
# the same snapshot keys, added at <data-root>/containerd/daemon)
A=$SCRATCH/amb
cp -a "$H" "$A"
untar "$TOP/tests/data/docker29-host/docker29-host.tar.gz" "$SCRATCH/d29h"
cp -a "$SCRATCH/d29h/var/lib/docker/containerd" "$A/var/lib/docker/"
out=$("$DE" --root "$A" ls web / 2>"$SCRATCH/err"); rc=$?
check "two containerds: ls refused (exit 1), no output" test $rc -eq 1 -a -z "$out"
same_text "two containerds: the error names both roots, chooses neither" \
	"container $WEB: 2 containerd roots hold its overlayfs snapshot (key: its ID, namespace moby): $A/var/lib/docker/containerd/daemon, $A/var/lib/containerd; which one dockerd used is not in its files (dockerd --containerd): de does not choose" \
	"$(cat "$SCRATCH/err")"
for cmd in "cat web /tmp/dropped.sh" "diff web" "export web OUT.tar" "history web" "mount web MNT --dry-run"; do
	args=$(sed -e "s|OUT|$SCRATCH/amb|; s|MNT|$SCRATCH/m|" <<<"$cmd")
	out=$("$DE" --root "$A" $args 2>"$SCRATCH/err"); rc=$?
	check "two containerds: ${cmd%% *} refused (exit 1, no output), naming both" \
		test $rc -eq 1 -a -z "$out" -a -n "$(grep -F "2 containerd roots hold its overlayfs snapshot" "$SCRATCH/err")"
done
"$DE" --root "$A" timeline web >/dev/null 2>"$SCRATCH/err"; rc=$?
check "two containerds: timeline: its files and image left out, said (exit 3)" \
	test $rc -eq 3 -a -n "$(grep "its files are not in the timeline: .*2 containerd roots hold" "$SCRATCH/err")"
check "two containerds: export wrote nothing" test ! -e "$SCRATCH/amb.tar"
got=$("$DE" --root "$A" list all_containers 2>"$SCRATCH/err"); rc=$?
same_text "two containerds: list: each container once, Docker's, without layers (exit 3)" \
	"3 docker:$JOB:null docker:$WEB:null" \
	"$rc $(jq -r 'sort_by(.container_id) | map("\(.runtime):\(.container_id):\(.upper_dir)") | join(" ")' <<<"$got")"
for id in "$JOB" "$WEB"; do
	check "two containerds: list warns of ${id:0:12}, naming both roots" grep -q \
		"^de: warning: container $id: 2 containerd roots hold its overlayfs snapshot .*: $A/var/lib/docker/containerd/daemon, $A/var/lib/containerd;" "$SCRATCH/err"
done

# ---- both Docker 29 fixtures on one host root -----------------------------------------
# (REARRANGED, t_allhost.sh's way: this fixture at its places, the
# docker29-host fixture's data root, private containerd and all, as the
# rootless Docker of user ana. The two fixtures have the same container
# IDs; a rootless dockerd runs its own containerd and never the system's)
B=$SCRATCH/both
cp -a "$H" "$B"
mkdir -p "$B/home/ana/.local/share"
cp -a "$SCRATCH/d29h/var/lib/docker" "$B/home/ana/.local/share/docker"
ANA=$B/home/ana/.local/share/docker
got=$("$DE" --root "$B" list all_containers 2>"$SCRATCH/err"); rc=$?
check "both fixtures: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "both fixtures: each Docker container once per data root, each in its own containerd; no containerd record" \
	"docker $ANA $JOB $ANA/containerd/daemon
docker $ANA $WEB $ANA/containerd/daemon
docker $B/var/lib/docker $JOB $B/var/lib/containerd
docker $B/var/lib/docker $WEB $B/var/lib/containerd" \
	"$(jq -r '.[] | "\(.runtime) \(.data_root) \(.container_id) \(.containerd_root)"' <<<"$got" | sort)"
same_text "both fixtures: nothing listed twice" "" \
	"$(jq -r '.[] | "\(.data_root) \(.container_id)"' <<<"$got" | sort | uniq -d)"
same_text "both fixtures: the system Docker's web, by its root, as on its own fixture" \
	"$("$DE" --root "$H" ls web / -R -l 2>&1)" "$("$DE" --root "$B" ls "docker@/var/lib/docker:web" / -R -l 2>&1)"
same_text "both fixtures: the rootless Docker's web, by its root, as through -r on its data root" \
	"$("$DE" -r "$ANA" ls web / -R -l 2>&1)" "$("$DE" --root "$B" ls "docker@/home/ana/.local/share/docker:web" / -R -l 2>&1)"
imgs=$("$DE" --root "$B" list images 2>"$SCRATCH/err"); rc=$?
check "both fixtures: list images, exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "both fixtures: each store's images once, all Docker's" \
	"$(for s in "$ANA/containerd/daemon" "$B/var/lib/containerd"; do
		awk -v s="$s" 'NR > 1 { print "docker moby " $3 " " s }' "$O/ctr.moby.images.txt"; done | sort)" \
	"$(jq -r '.[] | "\(.runtime) \(.namespace) \(.id) \(.path | sub("/io.containerd.content.v1.content/.*"; ""))"' <<<"$imgs" | sort)"
