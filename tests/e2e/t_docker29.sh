# Docker 29 with the containerd image store, from the host made by
# tests/fixtures/make-docker29-host.sh. Real (containerd 1.6, in Docker's
# private root var/lib/docker/containerd/daemon, namespace moby): the
# content store, the images, every snapshot (image layers, each container's
# "<id>-init" and "<id>"), the files the kernel's overlay mount of them
# made. Constructed by the script (no Debian Docker can make them): Docker's
# init layer content and containers/<id>/* (modelled on the sample host's
# real Docker 20.10 files, with "Driver": "overlayfs", "Image" = target
# digest, "ImageManifest"). The oracle is what ctr said and a listing of
# each container's root as the kernel mounted it from its snapshot chain.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "docker29: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
R=$H/var/lib/docker
D29=$TOP/tests/data/docker29-host
O=$D29/oracle
LISTING="python3 $TOP/tests/e2e/listing.py"
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$D29/docker29-host.tar.gz" -C "$H"
WEB=$(awk '$1 == "web" { print $2 }' "$O/containers.txt")
JOB=$(awk '$1 == "job" { print $2 }' "$O/containers.txt")
# target digest of an image, as `ctr images ls` gives it
target() { awk -v r="$1" '$1 == r { print $3 }' "$O/ctr.moby.images.txt"; }
WEB_IMG=$(target docker.io/library/busybox:de29)
JOB_IMG=$(target docker.io/de/job:1.0)
# the snapshot directories containerd mounts for a container, top first
# (its upperdir, then lowerdir), from `ctr snapshots mounts`
snap_dirs() {
	sed -e 's/.*upperdir=\([^,]*\),lowerdir=\(.*\)$/\1:\2/' "$O/ctr.moby.snapshot.$1.mounts.txt" |
		tr ':' '\n' | sed "s|^|$H|"
}

got=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "list: exit 0, no warning" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list: both containers, ID, name, image, target digest, state, driver" \
	"$JOB /job de/job:1.0 ${JOB_IMG#sha256:} exited(3) overlayfs
$WEB /web busybox:de29 ${WEB_IMG#sha256:} running overlayfs" \
	"$(jq -r 'sort_by(.name) | .[] | "\(.container_id) \(.name) \(.image_name) \(.image_id) \(.state) \(.driver)"' <<<"$got")"
for c in web:$WEB job:$JOB; do
	same_text "list ${c%%:*}: upper_dir is the upperdir containerd mounts" "$(snap_dirs "${c#*:}" | head -1)" \
		"$(jq -r --arg id "${c#*:}" '.[] | select(.container_id == $id) | .upper_dir' <<<"$got")"
	same_text "inspect ${c%%:*}: its layers are the snapshot chain containerd mounts" \
		"$(snap_dirs "${c#*:}")" "$("$DE" -r "$R" inspect "${c%%:*}" | jq -r '.[0].de.layers[].dir')"
done
same_text "inspect: roles (container, Docker's init layer, image layers)" "container init image image" \
	"$("$DE" -r "$R" inspect web | jq -r '[.[0].de.layers[].role] | join(" ")')"
same_text "inspect: Driver and Image as config.v2.json has them" "overlayfs $WEB_IMG" \
	"$("$DE" -r "$R" inspect web | jq -r '.[0] | "\(.Driver) \(.Image)"')"

all=$("$DE" --root "$H" list all_containers 2>"$SCRATCH/err"); rc=$?
check "--root: exit 0" test $rc -eq 0
same_text "--root: each container once (Docker's containerd is not listed again)" \
	"$(printf '%s\n' "$JOB" "$WEB" | sort)" "$(jq -r '.[].container_id' <<<"$all" | sort)"
same_text "list runtimes: Docker and Docker's own containerd" \
	"containerd docker" "$("$DE" --root "$H" list runtimes | jq -r '[.[].runtime] | sort | join(" ")')"

# history: the image config ctr gives, newest step first, each layer's size
# the unpacked snapshot's usage containerd recorded on commit
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
	same_text "history $name: the image config from the content store, sizes from the snapshots" \
		"$want" "$("$DE" -r "$R" history "$name" | jq -c .)"
	same_text "history $name --show-empty: the ENV step too" "3 true" \
		"$("$DE" -r "$R" history "$name" --show-empty | jq -r '.[].layers | "\(length) \(.[1].empty_layer)"')"
done

imgs=$("$DE" --root "$H" list images 2>"$SCRATCH/err"); rc=$?
check "list images --root: exit 0" test $rc -eq 0
same_text "list images: Docker's images once, by target digest, with their users" \
	"$JOB_IMG docker.io/de/job:1.0 /job moby
$WEB_IMG docker.io/library/busybox:de29 /web moby" \
	"$(jq -r 'sort_by(.repo_tags[0]) | .[] | "\(.id) \(.repo_tags | join(",")) \(.containers | join(",")) \(.namespace)"' <<<"$imgs")"
same_text "list images -r: the same" "$(jq -S . <<<"$imgs")" "$("$DE" -r "$R" list images | jq -S .)"

# the root filesystem: the union engine, export and FUSE against the
# kernel's mount of the same snapshot chain (made when the fixture was):
# the layers alone (--no-volumes), without the files Docker bind-mounts
# over them (t_engine_files.sh)
for c in web:$WEB job:$JOB; do
	name=${c%%:*} id=${c#*:}
	X=$SCRATCH/x-$name T=$SCRATCH/t-$name F=$SCRATCH/f-$name K=$SCRATCH/k-$name
	mkdir -p "$X" "$T" "$F" "$K"
	# (the recorded listing has no link counts: compared without them here,
	# with them against the kernel's mount below)
	same_text "$name: ls -R -l equals the kernel's view" "$(cat "$O/merged.$id.ls")" \
		"$("$DE" -r "$R" ls "$name" / -R -l --no-volumes | sed 's/^\([^ ]*\) [0-9]* /\1 /')"
	"$DE" -r "$R" export "$name" "$X" --no-volumes
	same_text "$name: export into a directory equals the kernel's view (content, xattrs)" \
		"$(cat "$O/merged.$id.hash")" "$($LISTING "$X" --hash --xattrs)"
	"$DE" -r "$R" export "$name" "$SCRATCH/$name.tar" --no-volumes
	tar --xattrs --xattrs-include='*' --numeric-owner -p -xf "$SCRATCH/$name.tar" -C "$T"
	same_text "$name: export tar, extracted by GNU tar, equals the kernel's view" \
		"$(cat "$O/merged.$id.hash")" "$($LISTING "$T" --hash --xattrs)"
	if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
		cmd=$("$DE" -r "$R" mount "$name" "$K" --dry-run --no-volumes)
		unshare -m --propagation private bash -c "$cmd && $LISTING '$K' > '$SCRATCH/$name.k' &&
			$LISTING '$K' --nlink > '$SCRATCH/$name.kn'"
		same_text "$name: de mount (kernel overlay of the extracted snapshots) equals the oracle" \
			"$(cat "$O/merged.$id.ls")" "$(cat "$SCRATCH/$name.k" 2>/dev/null)"
		same_text "$name: ls -R -l, link counts too, equals the kernel's mount" \
			"$(cat "$SCRATCH/$name.kn" 2>/dev/null)" "$("$DE" -r "$R" ls "$name" / -R -l --no-volumes)"
		if command -v fusermount3 >/dev/null && [ -e /dev/fuse ]; then
			unshare -m --propagation private bash -c "'$DE' -r '$R' mount '$name' '$F' --fuse --no-volumes 2>/dev/null &&
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
same_text "cat: a file the container wrote" "attacker" "$("$DE" -r "$R" cat web /tmp/dropped.sh)"

# diff: what the commands did (the script's JOB_CMD and WEB_CMD), and nothing
# of Docker's init layer (/.dockerenv, /etc/hosts…), as `docker diff`
dj=$("$DE" -r "$R" diff job)
same_text "diff job: changed, deleted (lower file), added" "D /etc/issue
C /etc/motd
C /opt/app/conf/app.conf
A /root/out/result.txt" "$(grep -E '^[ACD] /(etc/(issue|motd)|opt/app/conf/app.conf|root/out/result.txt)$' <<<"$dj")"
check "diff job: Docker's init layer is not a change" bash -c '! grep -E "dockerenv|/etc/hosts|/etc/mtab" <<<"$1"' _ "$dj"
same_text "diff web: a lower file deleted, files added" "D /srv/www/index.html
A /srv/www/status.txt
A /tmp/dropped.sh" "$("$DE" -r "$R" diff web | grep -E '^[ACD] /(srv/www|tmp)/')"

# logs: the json-file log Docker keeps in containers/<id>/
log=$R/containers/$WEB/$WEB-json.log
same_text "logs web: stdout from the json-file log" \
	"$(jq -rj 'select(.stream == "stdout") | .log' "$log")" "$("$DE" -r "$R" logs web --stream stdout)"
same_text "logs web: stderr from the json-file log" \
	"$(jq -rj 'select(.stream == "stderr") | .log' "$log")" "$("$DE" -r "$R" logs web --stream stderr)"

# timeline: the container's own files (its snapshot and Docker's init
# layer) with the upper dir's real times, and its log lines
tl=$("$DE" -r "$R" timeline web --format jsonl --logs)
up=$(snap_dirs "$WEB" | head -1)
same_text "timeline: a file the container dropped, at its mtime, from the container's snapshot" \
	"$(stat -c %Y "$up/tmp/dropped.sh") container:$(basename "$(dirname "$up")")" \
	"$(jq -r 'select(.path == "/tmp/dropped.sh" and (.times | startswith("M"))) | "\(.timestamp / 1000000 | floor) \(.layer)"' <<<"$tl")"
check "timeline: the init layer's /.dockerenv" jq -e -s 'any(.[]; .path == "/.dockerenv" and (.layer | startswith("init:")))' <<<"$tl"
check "timeline --logs: the log lines" jq -e -s '[.[] | select(.timestamp_desc == "Log Line")] | length == 2' <<<"$tl"
same_text "timeline: the image's creation and build steps, from its config in the content store" \
	"$(jq -r '(.created | sub("Z$"; "")), (.history[] | (.created | sub("Z$"; "")) + " " + .created_by)' \
		"$O/ctr.moby.config.web.json" | LC_ALL=C sort)" \
	"$(jq -r 'select(.container == "image busybox:de29") | (.datetime | sub("\\.0+\\+00:00$"; "")) +
		((.message | capture("build step: (?<s>.*)") | " " + .s) // "")' <<<"$tl" | LC_ALL=C sort)"

# A config.v2.json without a usable "Image" (CONSTRUCTED from the real one,
# on a copy: the failure case issue 10 reports): the image is found by its
# layers, the snapshot chain below the container's "<id>-init" (`ctr
# snapshots ls`), and the history is the intact container's (checked
# against ctr's image config above). Both images have the same layers (an
# ENV-only build over busybox): the name and manifest the config still
# records tell which; with neither, both are named and nothing is guessed.
N=$SCRATCH/noimage
mkdir -p "$N"
cp -a "$H/." "$N/"
NR=$N/var/lib/docker
web_h=$("$DE" -r "$R" history web) job_h=$("$DE" -r "$R" history job)
chain=
for d in $(jq -r '.rootfs.diff_ids[]' "$O/ctr.moby.config.web.json"); do
	chain=${chain:+sha256:$(printf '%s %s' "$chain" "$d" | sha256sum | cut -d' ' -f1)}
	chain=${chain:-$d}
done
same_text "no Image: the snapshot below <id>-init (ctr snapshots ls) is the image's top layer chain ID" \
	"$(awk -v k="$WEB-init" '$1 == k { print $2 }' "$O/ctr.moby.snapshots.txt")" "$chain"
nocfg() { jq -c "$2" "$R/containers/$1/config.v2.json" > "$NR/containers/$1/config.v2.json"; }
nocfg "$WEB" '.Image = ""'
got=$("$DE" -r "$NR" history web 2>"$SCRATCH/err"); rc=$?
same_text "no Image (\"\"), ImageManifest kept: history equals the intact container's" "$web_h" "$got"
check "no Image: exit 0, a note names the image found by its layers" \
	test $rc -eq 0 -a -n "$(grep "found by its layers.*docker.io/library/busybox:de29 ($WEB_IMG)" "$SCRATCH/err")"
nocfg "$JOB" 'del(.Image) | del(.ImageManifest)'
got=$("$DE" -r "$NR" history job 2>"$SCRATCH/err"); rc=$?
same_text "no Image nor ImageManifest, Config.Image kept: history equals the intact container's" "$job_h" "$got"
check "no Image nor ImageManifest: exit 0" test $rc -eq 0
nocfg "$WEB" 'del(.Image) | del(.ImageManifest) | .Config.Image = ""'
got=$("$DE" -r "$NR" history web 2>"$SCRATCH/err"); rc=$?
check "nothing recorded: exit 1, no output" test $rc -eq 1 -a -z "$got"
same_text "nothing recorded: the error names both images with these layers (ctr images ls), guesses neither" \
	"$(awk 'NR > 1 { print $1, $3 }' "$O/ctr.moby.images.txt" | sort)" \
	"$(grep -o 'docker.io/[^ ]* (sha256:[0-9a-f]*' "$SCRATCH/err" | tr -d '(' | sort)"

# hostile evidence, on a copy: an altered config blob, an index that points
# at itself, Docker's containerd gone
B=$SCRATCH/bad
mkdir -p "$B"
cp -a "$H/." "$B/"
BR=$B/var/lib/docker
BLOBS=$BR/containerd/daemon/io.containerd.content.v1.content/blobs/sha256
cfg=$(jq -r '.[0].path' <<<"$("$DE" -r "$BR" list images | jq '[.[] | select(.repo_tags[0] == "docker.io/de/job:1.0")]')")
echo " " >> "$cfg"
"$DE" -r "$BR" history job >/dev/null 2>"$SCRATCH/err"; rc=$?
check "altered config blob: answered, with a warning naming the blob (exit 3)" \
	grep -q "$(basename "$cfg").*hashes to" "$SCRATCH/err"
check "altered config blob: exit 3" test $rc -eq 3
printf '{"manifests":[{"digest":"%s"}]}' "$WEB_IMG" > "$BLOBS/${WEB_IMG#sha256:}"
"$DE" -r "$BR" history web >/dev/null 2>"$SCRATCH/err"; rc=$?
check "history web: from the manifest config.v2.json names (ImageManifest), the index not needed" \
	test $rc -eq 0
got=$("$DE" -r "$BR" list images 2>"$SCRATCH/err"); rc=$?
check "an index pointing at itself: followed 4 deep, then a warning" \
	grep -q "busybox:de29: containerd image .*nested more than 4 deep" "$SCRATCH/err"
same_text "list images: the broken image is a warning, the other still listed (exit 3)" \
	"3 2 docker.io/de/job:1.0" "$rc $(jq -r 'length' <<<"$got") $(jq -r '.[] | select(.created) | .repo_tags[0]' <<<"$got")"
# a snapshot's fs directory replaced by a symlink out: the kernel would
# follow it, so mount gives it nothing, naming the snapshotter and the dir
low=$(snap_dirs "$JOB" | tail -1)
low=$B${low#"$H"}
mkdir -p "$SCRATCH/outside"
rm -rf "$low" && ln -s "$SCRATCH/outside" "$low"
out=$("$DE" -r "$BR" mount job "$SCRATCH/m" --dry-run 2>"$SCRATCH/err"); rc=$?
check "snapshot fs symlinked out: mount --dry-run refused (1), no command printed" test $rc -eq 1 -a -z "$out"
check "snapshot fs symlinked out: the snapshotter and the directory are named" \
	grep -q "^overlayfs snapshotter: $low is not a directory (a symlink?): not given to the kernel" "$SCRATCH/err"
rm "$BR/containerd/daemon/io.containerd.metadata.v1.bolt/meta.db"
got=$("$DE" -r "$BR" list all_containers 2>"$SCRATCH/err"); rc=$?
same_text "Docker's containerd gone: the containers still listed, without layers, warned (exit 3)" \
	"3 2 0" "$rc $(jq length <<<"$got") $(jq '[.[] | select(.upper_dir)] | length' <<<"$got")"
