# Layouts no engine here can make (aufs, the overlay driver, vfs, layout v1),
# constructed by tests/fixtures/make-legacy-layouts.sh in the formats those
# Docker versions wrote. Expected values follow from the documented rules;
# where the kernel can mount (overlay, vfs bind), the kernel is the oracle.
. "$(dirname "$0")/lib.sh"
scratch
"$TOP/tests/fixtures/make-legacy-layouts.sh" "$SCRATCH"
CID=c0ffee0000000000000000000000000000000000000000000000000000000001
L1=1111111111111111111111111111111111111111111111111111111111111111
L2=2222222222222222222222222222222222222222222222222222222222222222
MID=3333333333333333333333333333333333333333333333333333333333333333
VOL=4444444444444444444444444444444444444444444444444444444444444444

# ---- aufs, layout v1 -------------------------------------------------------
H=$SCRATCH/aufs-v1; R=$H/var/lib/docker
got=$("$DE" -r "$R" list all_containers)
same_text "aufs v1: list" "$(jq -n --arg h "$H" --arg c "$CID" --arg l2 "$L2" --arg v "$VOL" '[{
	image_name: "busybox", container_id: $c, image_id: $l2,
	start_date: "2015-06-01T09:00:01.500000+00:00", mount_id: $c,
	mount_points: [{source: ($h + "/var/lib/docker/vfs/dir/" + $v), destination: "/data"}],
	upper_dir: ($h + "/var/lib/docker/aufs/diff/" + $c),
	log_path: ($h + "/var/lib/docker/containers/" + $c + "/" + $c + "-json.log"),
	exposed_ports: {"80/tcp": {}}, name: "/legacy", created: "2015-06-01T09:00:00.123456+00:00",
	state: "running", finished_date: "0001-01-01T00:00:00+00:00", pid: 4242, driver: "aufs",
	command: "/bin/sh -c sleep 1000", hostname: "c0ffee000000",
	runtime: "docker", data_root: ($h + "/var/lib/docker")}]')" "$(jq . <<<"$got")"
got=$("$DE" -r "$R" history legacy)
same_text "aufs v1: history (empty layer brief)" "$(jq -n --arg l1 "$L1" --arg l2 "$L2" '{
	($l2): {size: 0},
	($l1): {created_at: "2015-05-01T10:00:00+00:00", container_cmd: "/bin/sh -c #(nop) ADD file:abc in /",
	        comment: "base layer", size: 1234}}')" "$(jq . <<<"$got")"
got=$("$DE" -r "$R" history legacy --show-empty)
same_text "aufs v1: history --show-empty" "$(jq -n --arg l1 "$L1" --arg l2 "$L2" '{
	($l2): {created_at: "2015-05-01T10:00:01+00:00", container_cmd: "/bin/sh -c #(nop) CMD [\"sh\"]", size: 0},
	($l1): {created_at: "2015-05-01T10:00:00+00:00", container_cmd: "/bin/sh -c #(nop) ADD file:abc in /",
	        comment: "base layer", size: 1234}}')" "$(jq . <<<"$got")"
same_text "aufs v1: mount --dry-run" \
"/bin/mount -t aufs -o ro,br=$R/aufs/diff/$CID=ro+wh none /m
/bin/mount -t aufs -o ro,remount,append:$R/aufs/diff/$CID-init=ro+wh none /m
/bin/mount -t aufs -o ro,remount,append:$R/aufs/diff/$L2=ro+wh none /m
/bin/mount -t aufs -o ro,remount,append:$R/aufs/diff/$L1=ro+wh none /m
/bin/mount --bind -o ro $R/vfs/dir/$VOL /m/data" "$("$DE" -r "$R" mount legacy /m --dry-run)"
same_text "aufs v1: diff reads aufs whiteouts" "C /etc
D /etc/issue
C /tmp
A /tmp/evil" "$("$DE" -r "$R" diff legacy)"
# the timeline: aufs' .wh.issue is the deletion of the image's /etc/issue,
# at the whiteout file's own times (bodyfile columns atime|mtime|ctime)
img_issue=$(for l in "$L2" "$L1"; do [ -e "$R/aufs/diff/$l/etc/issue" ] && stat -c '%A|%u|%g|%s' "$R/aufs/diff/$l/etc/issue" && break; done)
same_text "aufs v1: timeline, the whiteout's deletion of /etc/issue" \
	"legacy:/etc/issue (deleted)|$img_issue|$(stat -c '%X|%Y|%Z' "$R/aufs/diff/$CID/etc/.wh.issue")" \
	"$("$DE" -r "$R" timeline legacy | grep '(deleted)' | cut -d'|' -f2,4-10)"
got=$("$DE" -r "$R" list repositories)
same_text "aufs v1: repositories-aufs" "$(jq -n --arg p "$R/repositories-aufs" --arg l2 "$L2" \
	'[{Repositories: {busybox: {latest: $l2}}, path: $p}]')" "$(jq . <<<"$got")"

# ---- layout v2 with aufs, overlay, vfs ---------------------------------------
for drv in aufs overlay vfs; do
	H=$SCRATCH/$drv-v2; R=$H/var/lib/docker
	case $drv in
	aufs) up=aufs/diff/$MID ;; overlay) up=overlay/$MID/upper ;; vfs) up=vfs/dir/$MID ;;
	esac
	img=$(ls "$R/image/$drv/imagedb/content/sha256")
	got=$("$DE" -r "$R" list all_containers)
	same_text "$drv v2: list" "$(jq -n --arg h "$H" --arg c "$CID" --arg i "$img" --arg m "$MID" \
		--arg up "$up" --arg d "$drv" '[{
		image_name: "busybox", container_id: $c, image_id: $i, labels: {team: "red"},
		start_date: "2015-06-01T09:00:01.500000+00:00", mount_id: $m,
		mount_points: [{source: ($h + "/var/lib/docker/volumes/vol1/_data"), destination: "/data"},
		               {source: ($h + "/srv/app"), destination: "/etc/app"}],
		upper_dir: ($h + "/var/lib/docker/" + $up),
		name: "/legacy", created: "2015-06-01T09:00:00.123456+00:00", state: "exited(137)",
		finished_date: "2015-06-01T10:00:00+00:00", pid: 0, driver: $d,
		command: "/bin/sh -c sleep 1000", hostname: "c0ffee000000",
		runtime: "docker", data_root: ($h + "/var/lib/docker")}]')" "$(jq . <<<"$got")"
	got=$("$DE" -r "$R" history legacy --show-empty)
	diff_id=$(jq -r '.rootfs.diff_ids[0]' "$R/image/$drv/imagedb/content/sha256/$img")
	same_text "$drv v2: history" "$(jq -n --arg i "sha256:$img" --arg d "$diff_id" '{($i): {
		created_at: "2017-03-01T12:00:00.500000+00:00",
		container_cmd: "/bin/sh -c #(nop) ADD file:abc in /", size: 777, layers: [
		{created_at: "2017-03-01T12:00:00.600000+00:00", created_by: "/bin/sh -c #(nop)  CMD [\"sh\"]",
		 empty_layer: true, size: 0},
		{created_at: "2017-03-01T12:00:00.500000+00:00", created_by: "/bin/sh -c #(nop) ADD file:abc in /",
		 empty_layer: false, diff_id: $d, size: 777}]}}')" "$(jq . <<<"$got")"
done
R=$SCRATCH/aufs-v2/var/lib/docker
same_text "aufs v2: mount --dry-run" \
"/bin/mount -t aufs -o ro,br=$R/aufs/diff/$MID=ro+wh none /m
/bin/mount -t aufs -o ro,remount,append:$R/aufs/diff/$MID-init=ro+wh none /m
/bin/mount -t aufs -o ro,remount,append:$R/aufs/diff/$L1=ro+wh none /m
/bin/mount --bind -o ro $R/volumes/vol1/_data /m/data
/bin/mount --bind -o ro $SCRATCH/aufs-v2/srv/app /m/etc/app" "$("$DE" -r "$R" mount legacy /m --dry-run)"
R=$SCRATCH/overlay-v2/var/lib/docker
same_text "overlay v2: mount --dry-run" \
"/bin/mount -t overlay overlay -o ro,lowerdir=$R/overlay/$MID/upper:$R/overlay/$L1/root /m
/bin/mount --bind -o ro $R/volumes/vol1/_data /m/data
/bin/mount --bind -o ro $SCRATCH/overlay-v2/srv/app /m/etc/app" "$("$DE" -r "$R" mount legacy /m --dry-run)"
R=$SCRATCH/vfs-v2/var/lib/docker
same_text "vfs v2: mount --dry-run" \
"/bin/mount --bind -o ro $R/vfs/dir/$MID /m
/bin/mount --bind -o ro $R/volumes/vol1/_data /m/data
/bin/mount --bind -o ro $SCRATCH/vfs-v2/srv/app /m/etc/app" "$("$DE" -r "$R" mount legacy /m --dry-run)"

# aufs: the kernel here has none; de says so and serves the view with FUSE.
if ! grep -qw aufs /proc/filesystems && [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null &&
	[ -e /dev/fuse ]; then
	mkdir -p "$SCRATCH/mnt-aufs"
	unshare -m --propagation private bash -c '
		"$1" -r "$2" mount legacy "$3" >/dev/null 2>"$4/aufs.err"; echo $? > "$4/aufs.rc"
		ls -a "$3/etc" > "$4/aufs.etc"
		fusermount3 -u "$3"' _ "$DE" "$SCRATCH/aufs-v2/var/lib/docker" "$SCRATCH/mnt-aufs" "$SCRATCH"
	check "aufs without kernel support: mounted with FUSE instead" test "$(cat "$SCRATCH/aufs.rc")" = 0
	check "aufs without kernel support: says why" grep -q "no aufs" "$SCRATCH/aufs.err"
	check "aufs without kernel support: says FUSE" grep -q "with FUSE instead" "$SCRATCH/aufs.err"
	# the container deleted /etc/issue (.wh.issue); -init added /etc/hostname
	same_text "aufs via FUSE: whiteouts applied" ".
..
app
hostname
passwd" "$(cat "$SCRATCH/aufs.etc")"
fi

# Kernel mounts as the oracle: the view equals upper over lower.
# The view itself: what is under the volume and bind mount points is checked apart
# (a vfs bind and the volumes are on the same device, so -xdev cannot tell).
FIND_VIEW=(find . -xdev -path './data/*' -prune -o -path './etc/app/*' -prune -o -printf '%p\t%y\t%m\t%s\t%l\n')
listing() { (cd "$1" && "${FIND_VIEW[@]}" | LC_ALL=C sort); }
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null || ! grep -qw overlay /proc/filesystems; then
	skip "legacy kernel mounts: need root, unshare -m and overlayfs"; exit 0
fi
for drv in overlay vfs; do
	H=$SCRATCH/$drv-v2; R=$H/var/lib/docker
	mkdir -p "$SCRATCH/mnt-$drv" "$SCRATCH/want-$drv"
	if [ $drv = overlay ]; then
		cp -a "$R/overlay/$L1/root/." "$SCRATCH/want-$drv/"
		cp -a "$R/overlay/$MID/upper/." "$SCRATCH/want-$drv/"
	else
		cp -a "$R/vfs/dir/$MID/." "$SCRATCH/want-$drv/"
	fi
	unshare -m --propagation private bash -c '
		"$1" -r "$2" mount legacy "$3" >/dev/null || exit 1
		mnt=$3 out=$4; shift 4
		cd "$mnt" && "$@" | LC_ALL=C sort > "$out"
		cat "$mnt/data/v.txt" "$mnt/etc/app/app.conf" >> "$out.binds"' _ "$DE" "$R" "$SCRATCH/mnt-$drv" "$SCRATCH/got-$drv" "${FIND_VIEW[@]}"
	same_text "$drv v2: kernel mount equals the layers' union" "$(listing "$SCRATCH/want-$drv")" \
		"$(cat "$SCRATCH/got-$drv" 2>/dev/null)"
	same_text "$drv v2: volume and bind mounted" "vol
app" "$(cat "$SCRATCH/got-$drv.binds" 2>/dev/null)"
done
