# `de --image FILE COMMAND` against `de --root MOUNT COMMAND` (issue 12's
# "Done when"): disk images of real container hosts made by the real tools
# (lib-hostimg.sh: GPT FAT+ext4, whole-disk XFS, MBR+LVM2+ext4 from the
# sample host; E01 in segments, qcow2, VMDK, VHD, VHDX of the GPT disk; the
# trial host (Docker and Podman, hard links) on a whole-disk XFS).
# The oracle is the kernel's read-only loop mount of each file system
# (ext4: ro,noload; XFS: ro,norecovery) read by `de --root` as root; `de
# --image` runs as an unprivileged user (uid 65534) on the image files.
# Every output (stdout, stderr, exit status) must be the --root one with
# MOUNT replaced by FILE@VOLUME: (VOLUME as `de fsls FILE` names it: p2,
# disk, vg0/root); inode numbers (timeline) are the file system's own, so
# equal. Export archives are compared by `tar -tvf` and each member's
# SHA-256. The commands `mount --dry-run` prints for an image are run as
# root and the kernel's mount they build is listed against `de ls -l -R`
# (the attach: losetup -r, or mount -o ro,…,loop; an LV needs device-mapper).
# The image files must keep their size, SHA-256, mtime and atime (set to
# 2001 before, so that any read without O_NOATIME would move it under
# relatime), and nothing may appear beside them.
. "$(dirname "$0")/lib.sh"
scratch
. "$(dirname "$0")/lib-fs.sh"
fs_need_loop_mount || exit 0
if ! command -v setpriv >/dev/null; then skip "image: setpriv (util-linux) is missing"; exit 0; fi
. "$(dirname "$0")/lib-hostimg.sh"
IMG=$S/img MNT=$S/mnt O=$S/out NOB=$S/nob
LISTING=$TOP/tests/e2e/listing.py
MRE=${MNT//./\\.}    # MOUNT as a sed pattern
mkdir -p "$O" "$NOB" "$S/mp"
hostimg_build "$IMG" "$SAMPLE/sample-host.tar.gz"
hostimg_build "$IMG" "$TRIAL/trial-host.tar.gz" trial- xfs
# de runs as uid 65534 (owner of the image files, so that O_NOATIME is
# allowed to it, as to an analyst reading their own copy); the directory
# beside them is its too: a file written there would be seen
chmod 755 "$S"
chown 65534:65534 "$IMG" "$NOB" "$IMG"/*
chmod 444 "$IMG"/*
nobody() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent "$@"); }
# under valgrind (make memcheck) every run takes a second: the GPT disk
# raw and as E01, one container
NIDS=1000
if [[ $DE == *valgrind* ]]; then
	grep -P '^[^\t]*/(gpt\.raw|gpt\.E01)\t' "$HOSTIMG_TSV" >"$S/tsv" && mv "$S/tsv" "$HOSTIMG_TSV"
	NIDS=1
	skip "image: under valgrind, the XFS disks, LVM, qcow2, VMDK, VHD, VHDX and all but one container are left to the plain run (a second a command)"
fi

# commands KEY: the commands run on file system KEY, "NAME|ARGS" (ARGS
# split on spaces; @OUT@ is the export's archive), made from what --root
# lists: every container by ID, a file of its upper layer and one of a
# lower layer (by ls --layer), every command of issue 12
commands() {
	local key=$1 d=$O/$1.root id
	echo "list-all|list all_containers"
	echo "list-images|list images"
	echo "list-volumes|list volumes"
	echo "list-runtimes|list runtimes"
	echo "timeline-all|timeline --all --hash --logs"
	while read -r id; do
		echo "inspect.$id|inspect $id"
		echo "history.$id|history $id"
		echo "dockerfile.$id|history $id --format dockerfile"
		echo "ls.$id|ls -l -R --layer $id"
		echo "diff.$id|diff $id"
		echo "timeline.$id|timeline $id --format jsonl"
		echo "logs.$id|logs -t $id"
		echo "export.$id|export $id @OUT@"
		# a regular file of the container's own layer, one of its image's
		"$DE" --root "$MNT" ls -l -R --layer "$id" 2>/dev/null | awk -v id="$id" '
			/^-/ && $7 ~ /^container:/ && !u { u = 1; print "cat-upper." id "|cat " id " " $8 }
			/^-/ && $7 ~ /^image:/ && !l { l = 1; print "cat-lower." id "|cat " id " " $8 }'
	done <"$d/ids"
}

# run MODE KEY DIR [IMAGE]: every command of KEY, by --root MOUNT as root
# or by --image IMAGE as uid 65534, each's stdout, stderr and exit status
# in DIR; export archives listed (tar -tvf) and hashed member by member
run() {
	local mode=$1 key=$2 dir=$3 img=${4:-} name args out
	mkdir -p "$dir"
	while IFS='|' read -r name args; do
		out=$NOB/$name.tar
		rm -f "$out"
		args=${args//@OUT@/$out}
		# shellcheck disable=SC2086
		if [ "$mode" = root ]; then
			"$DE" --root "$MNT" $args >"$dir/$name.out" 2>"$dir/$name.err"
		else
			nobody "$DE" --image "$img" $args >"$dir/$name.out" 2>"$dir/$name.err"
		fi
		echo $? >"$dir/$name.rc"
		if [ -f "$out" ]; then
			TZ=UTC tar --numeric-owner -tvf "$out" >"$dir/$name.tvf" 2>&1
			python3 -c 'import hashlib, sys, tarfile
for m in tarfile.open(sys.argv[1]):
    f = m.isfile() and tarfile.open(sys.argv[1]).extractfile(m)
    print(m.name, m.type, m.mode, m.uid, m.gid, m.size, m.mtime, m.linkname, m.devmajor, m.devminor,
          sorted(m.pax_headers.items()), hashlib.sha256(f.read()).hexdigest() if f else "-")' \
				"$out" >"$dir/$name.sums" 2>&1
			rm -f "$out"
		fi
	done <"$O/$key.cmds"
}

# ---- the oracle: each file system mounted by the kernel, read with --root -----
cut -f3,4,5,6 "$HOSTIMG_TSV" | sort -u >"$S/bases"
while IFS=$'\t' read -r base fst off mopts; do
	key=$(basename "$base" .raw)
	mkdir -p "$O/$key.root"
	if ! lmount "$base" "ro,$mopts" "-o $off"; then
		bad "image: $key: the kernel could not mount the file system at $off (ro,$mopts)"; continue
	fi
	"$DE" --root "$MNT" list all_containers | jq -r '.[].container_id' | head -"$NIDS" >"$O/$key.root/ids"
	commands "$key" >"$O/$key.cmds"
	run root "$key" "$O/$key.root"
	check "image: $key: --root of the kernel's mount (ro,$mopts) lists $(wc -l <"$O/$key.root/ids") containers, $(wc -l <"$O/$key.cmds") commands" \
		test -s "$O/$key.root/ids"
	python3 "$FSL" "$MNT" --hash --xattrs | LC_ALL=C sort >"$S/$key.kernel"
	lumount
done <"$S/bases"

# de fsls names each image's volume as the TSV does (where the builder put
# it: sfdisk, lvs) and reads its files as the kernel's mount shows them
# (before the atime watch below: libtsk's reads are not de's to steer)
while IFS=$'\t' read -r file vol base fst off mopts; do
	key=$(basename "$base" .raw) name=$(basename "$file")
	same_text "$name: de fsls: volume $vol at $off holds $fst" "$vol $off $fst" \
		"$("$DE" fsls "$file" 2>&1 | awk -F'\t' -v v="$vol" '$1 == v { print $1, $2, $7 }')"
	ours "f-$name" "$file" -p "$vol"
	cp "$S/$key.kernel" "$S/f-$name.kernel"
	compare "f-$name" "$name: de fsls -p $vol -R"
done <"$HOSTIMG_TSV"

# ---- the evidence, before ---------------------------------------------------
# (stat only: a root's read of them would move the atime, being watched)
evidence() {
	(cd "$IMG" && stat -c '%n %s %X.%x %Y.%y %U %a' -- * .)
}
(cd "$IMG" && sha256sum -- *) >"$S/sha.before"
touch -a -d '2001-01-01 00:00:00 UTC' "$IMG"/*
evidence >"$S/ev.before"
touch "$S/stamp"

# ---- --image as uid 65534 ---------------------------------------------------
# othervols FILE VOL <ERR: ERR without de's notes on the other volumes of
# FILE ("de: FILE@p1: not read: fat: …"), which it appends to $S/notes
othervols() {
	awk -v p="de: $1@" -v v="$2" -v notes="$S/notes" '
		index($0, p) == 1 { r = substr($0, length(p) + 1); n = index(r, ": not read: ")
			if (n > 1 && substr(r, 1, n - 1) != v) { print >>notes; next } }
		{ print }'
}
: >"$S/notes"
# subst FILE@VOL: for MOUNT in the --root outputs
while IFS=$'\t' read -r file vol base fst off mopts; do
	key=$(basename "$base" .raw) name=$(basename "$file")
	[ -s "$O/$key.cmds" ] || continue
	run image "$key" "$O/$name.image" "$file"
	declare -A okn=() badn=()
	while IFS='|' read -r cmd _; do
		kind=${cmd%%.*}
		r=$O/$key.root/$cmd i=$O/$name.image/$cmd
		# (files, not strings: cat's output may hold NUL bytes)
		# (both through sed, which ends what has no final newline)
		{ echo "rc $(cat "$r.rc")"; sed "s|$MRE|$file@$vol:|g" "$r.out" "$r.err" "$r.tvf" "$r.sums" 2>/dev/null; } >"$i.want"
		# with --image, de notes once the volumes it did not read (the GPT
		# disk's FAT partition): not an answer of --root's, so set apart
		# (othervols), and checked once below
		othervols "$file" "$vol" <"$i.err" >"$i.err2"
		{ echo "rc $(cat "$i.rc")"; sed '' "$i.out" "$i.err2" "$i.tvf" "$i.sums" 2>/dev/null; } >"$i.got"
		if [ "$cmd" = list-runtimes ]; then
			# with --image, each runtime is also said to be in the volume
			# VOL at byte OFF of the disk, in an ext4 or XFS file system:
			# the keys --root gives must be equal; the others must hold
			# VOL, OFF and the file system's type (their names are the
			# lead's to choose)
			W=$(sed "s|$MRE|$file@$vol:|g" "$r.out")
			extra=$(jq -r --argjson w "$W" 'to_entries[] | .key as $k | .value | to_entries[] |
				select(.key as $n | ($w[$k] // {}) | has($n) | not) | .value | .. | scalars | tostring' \
				"$i.out" 2>/dev/null | sort -u)
			{ echo "rc $(cat "$i.rc")"; jq --argjson w "$W" '[to_entries[] | .key as $k |
				.value as $g | ($w[$k] // {}) | with_entries(.value = $g[.key])]' "$i.out" 2>/dev/null
				othervols "$file" "$vol" <"$i.err"; } >"$i.got"
			{ echo "rc $(cat "$r.rc")"; jq . <<<"$W"; sed "s|$MRE|$file@$vol:|g" "$r.err"; } >"$i.want"
			if [ "$(cat "$i.rc")" = 0 ] && grep -qxF "$vol" <<<"$extra" && grep -qxF "$off" <<<"$extra" &&
			   grep -qxF "$fst" <<<"$extra"; then
				ok "$name: list runtimes names the volume $vol, its offset $off and $fst"
			else
				bad "$name: list runtimes should name the volume $vol, its offset $off and $fst (sfdisk, lvs, blkid): it adds $(tr '\n' ' ' <<<"$extra")"
			fi
		fi
		if cmp -s "$i.want" "$i.got"; then
			okn[$kind]=$((${okn[$kind]:-0} + 1))
		else
			badn[$kind]=$((${badn[$kind]:-0} + 1))
			bad "$name: de --image $name ${cmd/./ } differs from --root's (exit $(cat "$r.rc") / $(cat "$i.rc"))"
			diff -a "$i.want" "$i.got" | head -12 | cut -c1-240 | cat -v | sed 's/^/#   /'
		fi
	done <"$O/$key.cmds"
	for kind in "${!okn[@]}"; do
		[ -z "${badn[$kind]:-}" ] && ok "$name: $kind: ${okn[$kind]} equal to --root of the kernel's mount"
	done
	unset okn badn
done <"$HOSTIMG_TSV"

# the notes set apart: none on these images. Their other volumes cannot
# hold a runtime as they are (the GPT disks' FAT p1, the LVM disk's PV p1,
# whose LV is read): de names a volume it does not read only when it
# could (encrypted, damaged, unknown content: below)
same_text "image: no note on the volumes de did not read (a FAT, an LVM PV)" "" \
	"$(LC_ALL=C sort -u "$S/notes")"

# ---- the evidence, after ----------------------------------------------------
evidence >"$S/ev.after"
while read -r f _; do
	same_text "image: $f: size, atime (set to 2001 before), mtime, owner and mode unchanged" \
		"$(awk -v f="$f" '$1 == f' "$S/ev.before")" "$(awk -v f="$f" '$1 == f' "$S/ev.after")"
done <"$S/ev.before"
same_text "image: nothing new beside the images" "$(cut -d' ' -f1 "$S/ev.before")" "$(cut -d' ' -f1 "$S/ev.after")"
same_text "image: the image files' content (SHA-256)" "$(cat "$S/sha.before")" "$(cd "$IMG" && sha256sum -- *)"
same_text "image: uid 65534 wrote nothing but the archives asked for" "" \
	"$(find "$S" "$IMG" -newer "$S/stamp" -user 65534 ! -path "$NOB" ! -path "$NOB/*" 2>/dev/null)"

# ---- mount --dry-run: the printed commands, run as root ---------------------
# For an image, de prints the read-only attach (losetup -r), the file
# system's mount (ro,noload / ro,norecovery), then the overlay and binds.
# Run in a private mount namespace, they must give a view whose listing
# (listing.py --nlink, the kernel's) equals de ls -l -R's; with
# --no-volumes the whole view, with volumes the view but below the binds
# (listing.py does not cross into another file system).
if ! grep -qw overlay /proc/filesystems || ! unshare -m true 2>/dev/null; then
	skip "image: mount commands: no overlayfs or no private mount namespace here"
	MOUNTS_TSV=/dev/null
else
	MOUNTS_TSV=$HOSTIMG_TSV
fi
while IFS=$'\t' read -r file vol base fst off mopts; do
	name=$(basename "$file")
	case $name in *.raw) ;; *) continue ;; esac
	key=$(basename "$base" .raw)
	for id in $(head -2 "$O/$key.root/ids"); do
		for nv in "" --no-volumes; do
			t=$O/$name.mount.$id$nv
			nobody "$DE" --image "$file" mount "$id" "$S/mp" --dry-run $nv >"$t.cmds" 2>"$t.err"
			nobody "$DE" --image "$file" ls -l -R $nv "$id" >"$t.ls" 2>/dev/null
			# a read-only attach: losetup -r, or mount's own loop option
			# under ro (mount(8) makes the loop device read-only then)
			if ! grep -q "losetup -r\|mount .*-o ro,$mopts,.*loop" "$t.cmds" ||
			   ! grep -q "mount .*-o ro,$mopts" "$t.cmds"; then
				bad "$name: mount --dry-run $id $nv: no read-only attach (losetup -r, or mount -o ro,$mopts,loop) and mount -o ro,$mopts"
				head -5 "$t.cmds" "$t.err" | cut -c1-300 | sed 's/^/#   /'
				continue
			fi
			# an LV is activated by device-mapper, which these machines lack
			if grep -q 'vgchange\|lvchange\|dmsetup' "$t.cmds" && ! dmsetup version >/dev/null 2>&1; then
				skip "$name: mount $id $nv: the printed commands activate the LV ($(grep -o 'vgchange[^;]*\|lvchange[^;]*\|dmsetup[^;]*' "$t.cmds" | head -1)): no device-mapper here"
				continue
			fi
			# the directories its note asks to create: each mount's target
			# that is missing (the file system's, beside MOUNTPOINT)
			made=$(awk '$1 ~ /mount$/ { print $NF }' "$t.cmds" | while read -r d; do
				[ -e "$d" ] || { mkdir -p "$d" && echo "$d"; }; done)
			unshare -m --propagation private bash -c '
				bash -e "$1.cmds" >"$1.run" 2>&1 || exit 1
				findmnt -rn -o TARGET | grep "^$2/." | sed "s|^$2||" >"$1.binds"
				python3 "$3" "$2" --nlink >"$1.kernel"' _ "$t" "$S/mp" "$LISTING"
			rc=$?
			# the loop devices the commands attached, detached
			losetup -j "$file" -nO NAME | xargs -r -n1 losetup -d 2>/dev/null
			[ -n "$made" ] && rmdir $made 2>/dev/null
			if [ $rc != 0 ]; then
				bad "$name: the commands mount --dry-run $id $nv printed failed as root"
				{ head -3 "$t.cmds"; tail -3 "$t.run"; } | cut -c1-300 | sed 's/^/#   /'; continue
			fi
			same_text "$name: mount $id $nv: the kernel's mount by the printed commands lists as de ls -l -R" \
				"$(awk 'FILENAME == ARGV[1] { b[$0] = 1; next }
					{ p = $7; for (d in b) if (index(p, d "/") == 1) next; print }' "$t.binds" "$t.ls" | LC_ALL=C sort)" \
				"$(LC_ALL=C sort "$t.kernel")"
		done
	done
done <"$MOUNTS_TSV"

# (after the evidence checks: the copy reads the GPT disk)
# an encrypted volume is named, and the rest of the disk still read: the
# GPT disk with its p1 (8 MiB) made a LUKS1 volume by cryptsetup
LK=$(grep -P '^[^\t]*/gpt\.raw\t' "$HOSTIMG_TSV" | head -1 | cut -f1)
if [ -n "$LK" ] && command -v cryptsetup >/dev/null; then
	cp --sparse=always "$LK" "$S/luks.raw"
	truncate -s 8M "$S/luks1"
	echo -n secret | cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 \
		"$S/luks1" - && dd if="$S/luks1" of="$S/luks.raw" bs=512 seek=2048 conv=notrunc,sparse status=none
	chmod 444 "$S/luks.raw"
	nobody "$DE" --image "$S/luks.raw" list all_containers >"$S/luks.out" 2>"$S/luks.err"; rc=$?
	nobody "$DE" --image "$LK" list all_containers >"$S/gpt.out" 2>/dev/null
	same_text "image: an encrypted partition is named (exit 0: it holds no runtime's data de was asked for)" \
		"0 de: $S/luks.raw@p1: not read: encrypted: decrypt it first" "$rc $(cat "$S/luks.err")"
	same_text "image: an encrypted partition: the runtimes of the others still read" \
		"$(sed "s|$LK@|IMG@|g" "$S/gpt.out")" "$(sed "s|$S/luks.raw@|IMG@|g" "$S/luks.out")"
else
	skip "image: encrypted partition: cryptsetup is missing"
fi


# mount --fuse from the image: the view served from the image itself (no
# loop mount), listed by the kernel through FUSE as de ls lists it
FK=$(grep -P '^[^\t]*/gpt\.qcow2\t' "$HOSTIMG_TSV" | head -1 | cut -f1)
if [ -n "$FK" ] && command -v fusermount3 >/dev/null && [ -e /dev/fuse ]; then
	fid=$(nobody "$DE" --image "$FK" list all_containers 2>/dev/null | jq -r '.[] | select(.name == "/web") | .container_id')
	mkdir -p "$S/fm"
	"$DE" --image "$FK" mount --fuse "$fid" "$S/fm" 2>"$S/fuse.err"
	for _ in $(seq 50); do mountpoint -q "$S/fm" && break; sleep 0.1; done
	same_text "image: mount --fuse from a qcow2 image: the kernel lists the view as de ls -R does" \
		"$("$DE" --image "$FK" ls "$fid" / -R 2>/dev/null | LC_ALL=C sort)" \
		"$(cd "$S/fm" && find . -mindepth 1 | sed 's|^\.||' | LC_ALL=C sort)"
	same_text "image: mount --fuse from a qcow2 image: a file's content as de cat gives it" \
		"$("$DE" --image "$FK" cat "$fid" /etc/passwd 2>/dev/null | sha256sum)" \
		"$(sha256sum <"$S/fm/etc/passwd")"
	fusermount3 -u "$S/fm"
elif [ -z "$FK" ]; then
	skip "image: mount --fuse: no qcow2 image in this run (under valgrind: left to the plain run)"
else
	skip "image: mount --fuse: needs fusermount3 and /dev/fuse"
fi

# A damaged file system (hostile evidence, constructed with debugfs on a
# copy of the GPT disk's ext4): a directory entry naming its own ancestor
# (a loop) in web's upper layer, and a file of that layer whose extent
# points past the end of the file system. Each is one warning naming the
# path and the layer, exit 3; the rest of the answer is given, the walk
# ends.
read -r _ _ GB _ GOFF _ < <(grep -P '^[^\t]*/gpt\.raw\t' "$HOSTIMG_TSV" | head -1)
if [ -n "${GB:-}" ] && command -v debugfs >/dev/null; then
	D=$S/damaged.raw
	dd if="$GB" of="$D" bs=1M iflag=skip_bytes skip="$GOFF" count=64 conv=sparse status=none
	up=$("$DE" --image "$D" list all_containers 2>/dev/null |
		jq -r '.[] | select(.name == "/web") | .upper_dir' | sed "s|^$D@disk:||")
	debugfs -w -R "link $up/opt $up/opt/app/loop" "$D" >/dev/null 2>&1
	debugfs -w -R "sif $up/opt/app/conf/app.conf block[5] 0x7ffffff0" "$D" >/dev/null 2>&1
	timeout 60 "$DE" --image "$D" ls web /opt -R >"$S/dmg.ls" 2>"$S/dmg.err"; rc=$?
	same_text "image: damaged: a directory loop is entered once, named, and the walk ends (exit 3)" \
		"3 /opt/app/loop" "$rc $(grep -o '/opt/app/loop' "$S/dmg.ls")"
	check "image: damaged: the loop's warning names the path, the layer and why" \
		grep -q "/opt/app/loop: directory unreadable in layer container:.*: Structure needs cleaning" "$S/dmg.err"
	timeout 60 "$DE" --image "$D" cat web /opt/app/conf/app.conf >/dev/null 2>"$S/dmg.cat"; rc=$?
	check "image: damaged: a file whose extent lies outside the file system is an error naming it" \
		sh -c "[ $rc = 1 ] && grep -q 'outside' '$S/dmg.cat'"
	rm -f "$S/dmg.tar"
	timeout 120 "$DE" --image "$D" export web "$S/dmg.tar" 2>"$S/dmg.exp"; rc=$?
	same_text "image: damaged: export gives the rest, names both (exit 3)" \
		"3 2 1" "$rc $(grep -c '^de: warning: /opt/app/\(loop\|conf/app.conf\): ' "$S/dmg.exp") $(grep -c '^de: warning: .*: inode [0-9]*: extent at block 2147483632 lies outside' "$S/dmg.exp")"
else
	skip "image: damaged file system: debugfs (e2fsprogs) is missing"
fi

# Two volumes holding a runtime: an error naming each with its runtimes;
# --partition chooses, and answers as the single-volume disk does. (The
# GPT disk's ext4 copied into both partitions of a new GPT by sgdisk.)
if [ -n "${GB:-}" ] && command -v sgdisk >/dev/null; then
	T=$S/two.raw
	truncate -s 160M "$T"
	sgdisk -n 1:2048:+64M -t 1:8300 -n 2:0:+64M -t 2:8300 "$T" >/dev/null
	for n in 1 2; do
		start=$(sgdisk -i "$n" "$T" | awk '/^First sector/ { print $3 }')
		dd if="$GB" of="$T" bs=1M iflag=skip_bytes,count_bytes oflag=seek_bytes skip="$GOFF" \
			count=$((64 * 1048576)) seek=$((start * 512)) conv=notrunc,sparse status=none
	done
	"$DE" --image "$T" list all_containers >"$S/two.out" 2>"$S/two.err"; rc=$?
	same_text "image: two volumes with runtimes: an error naming both (exit 1), nothing on stdout" \
		"1 0 de: $T: container runtimes on 2 volumes: p1 (docker, containerd), p2 (docker, containerd); choose one with --partition" \
		"$rc $(wc -c <"$S/two.out") de: $(cat "$S/two.err")"
	"$DE" --image "$T" --partition 2 list all_containers >"$S/two2.out" 2>&1; rc=$?
	"$DE" --image "$GB" list all_containers >"$S/one.out" 2>&1
	same_text "image: --partition 2 answers as the one-volume disk does" \
		"0 $(sed "s|$GB@p2:|DISK:|g" "$S/one.out")" "$rc $(sed "s|$T@p2:|DISK:|g" "$S/two2.out")" 
else
	skip "image: two volumes: sgdisk is missing"
fi
