# lib-hostimg.sh — disk images of a real container host, made by the real
# tools, for `de --image` (t_image.sh; make bench may reuse it). Sourced
# after lib.sh, `scratch` and lib-fs.sh (lmount/lumount, $S, $LOOPS).
#
# hostimg_build OUT TARBALL [PREFIX [KINDS]] makes, in the directory OUT,
# from TARBALL (a host root packed with its xattrs, such as
# tests/data/sample-host's), the images KINDS names (default: "gpt xfs lvm
# formats"), their names starting with PREFIX:
#   gpt.raw   GPT (sgdisk): p1 FAT (mkfs.vfat, "EFI system"), p2 ext4
#             holding the host root (volume p2)
#   xfs.raw   a whole-disk XFS holding the host root (volume disk)
#   lvm.raw   MBR (sfdisk) with one LVM partition; LVM2 (pvcreate,
#             vgcreate, lvcreate --driverloaded n: real metadata, no
#             device-mapper here, the LV is never activated); the LV's ext4
#             made and filled through a loop device at the LV's first extent,
#             where lvs/pvs/vgs say it is (volume vg0/root)
#   gpt.E01, gpt.E02…  the GPT disk by ewfacquire in 8 MiB segments
#   gpt.qcow2, gpt.vmdk, gpt.vhd, gpt.vhdx  the GPT disk by qemu-img convert
# Each file system is filled through the kernel's loop mount by tar with
# --xattrs --xattrs-include='*' --acls -p --numeric-owner (trusted.overlay.*,
# 0/0 whiteouts and hard links need root), then checked against a plain
# extraction of TARBALL (hostimg_same): every entry's type, mode, owner,
# size, mtime, link count, link target, device number, xattrs, and which
# names share an inode.
# It adds to $S/hostimg.tsv, one image a line:
#   FILE VOLUME BASE FSTYPE OFFSET MOUNTOPTS
# BASE is the raw image whose file system FILE holds (the formats hold
# gpt.raw's), OFFSET the file system's byte offset in BASE, MOUNTOPTS the
# read-only options the kernel's loop mount of it takes (noload, norecovery).
HOSTIMG_MiB=1048576
HOSTIMG_TSV=$S/hostimg.tsv

# hostimg_tree DIR: what must survive the copy, one line an entry, sorted:
# the kernel's listing (fslisting.py: mode, link count, owner, size or
# device number, mtime, path, link target, SHA-256, every xattr) without
# what the copy makes anew (inode numbers, blocks, atime, ctime, btime, a
# directory's size, the mtime of a directory tar did not hold), then the
# names of each inode of more than one link.
hostimg_tree() {
	python3 "$FSL" "$1" --hash --xattrs | awk -v dirs="$S/hostimg.dirs" '
		BEGIN { while ((getline d <dirs) > 0) { sub(/\/$/, "", d); intar["/" d] = 1 } }
		{ rest = $0; for (i = 0; i < 11; i++) sub(/^[^ ]* /, "", rest)
		  path = rest; sub(/ .*/, "", path)
		  isdir = substr($2, 1, 1) == "d"
		  print $2, $3, $4, $5, (isdir ? "-" : $6), (isdir && !(path in intar) ? "-" : $9), rest
		  if (!isdir && $3 > 1) names[$1] = names[$1] " " path }
		END { for (i in names) print "links:" names[i] }' | grep -v ' /lost+found ' | LC_ALL=C sort
}

# hostimg_same NAME DIR: DIR (the kernel's mount of a filled image) holds
# what the reference extraction holds; ok/bad with the difference.
hostimg_same() {
	hostimg_tree "$2" >"$S/$1.tree"
	local wo xa hl
	wo=$(grep -c '^c[^ ]* [0-9]* [0-9]* [0-9]* 0,0 ' "$S/$1.tree")
	xa=$(grep -o 'trusted\.overlay\.[a-z]*=' "$S/$1.tree" | wc -l)
	hl=$(grep -c '^links:' "$S/$1.tree")
	# (the sample host has no hard links: the trial host has)
	if cmp -s "$S/hostimg.ref.tree" "$S/$1.tree" && [ "$wo" -gt 0 ] && [ "$xa" -gt 0 ] &&
	   [ "$hl" = "$(grep -c '^links:' "$S/hostimg.ref.tree")" ]; then
		ok "hostimg: $1 holds the host root as extracted by tar ($(grep -vc '^links:' "$S/$1.tree") entries equal: mode, links, owner, size, mtime, target, SHA-256, xattrs; $wo whiteouts 0/0, $xa trusted.overlay.* xattrs, $hl inodes of several names)"
	else
		bad "hostimg: $1 differs from the extracted host root (whiteouts $wo, trusted.overlay.* $xa, hard links $hl)"
		diff "$S/hostimg.ref.tree" "$S/$1.tree" | head -10 | cut -c1-200 | sed 's/^/#   /'
		return 1
	fi
}

# hostimg_fill NAME IMAGE MKFS-CHECK-OPTS [LOSETUP-ARGS]: mounts the (made)
# file system rw, untars the host into it, checks it, unmounts.
hostimg_fill() {
	local name=$1 img=$2 lo=${3:-}
	lmount "$img" rw "$lo" || { bad "hostimg: $name: the kernel could not mount it"; return 1; }
	tar --xattrs --xattrs-include='*' --acls -p --numeric-owner -xzf "$HOSTIMG_SRC" -C "$S/mnt" ||
		bad "hostimg: $name: tar failed"
	hostimg_same "$name" "$S/mnt"; local rc=$?
	lumount
	return $rc
}

# hostimg_parts DISK: "N START-BYTES SIZE-BYTES" per partition (sfdisk --json)
hostimg_parts() {
	sfdisk -J "$1" | jq -r '.partitiontable.partitions[] |
		"\(.node | capture("(?<n>[0-9]+)$").n) \(.start * 512) \(.size * 512)"'
}

hostimg_build() {
	local out=$1 pre=${3:-} kinds=" ${4:-gpt xfs lvm formats} " e4="mkfs.ext4 -q -F -b 4096" o l
	HOSTIMG_SRC=$2
	rm -rf "$S/hostimg.ref"
	mkdir -p "$out" "$S/hostimg.ref"
	touch "$HOSTIMG_TSV"
	tar --xattrs --xattrs-include='*' --acls -p --numeric-owner -xzf "$HOSTIMG_SRC" -C "$S/hostimg.ref"
	tar -tzf "$HOSTIMG_SRC" | grep '/$' >"$S/hostimg.dirs"
	hostimg_tree "$S/hostimg.ref" >"$S/hostimg.ref.tree"

	# (1) GPT: FAT, then ext4 with the host root, made through a loop device
	# on the partition
	local G=$out/${pre}gpt.raw
	case $kinds in *" gpt "*|*" formats "*)
	truncate -s 80M "$G"
	sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:"EFI system" -n 2:0:+64M -t 2:8300 -c 2:root "$G" >/dev/null
	read -r _ o l <<<"$(hostimg_parts "$G" | awk '$1 == 1')"
	L=$(losetup -f --show -o "$o" --sizelimit "$l" "$G") && echo "$L" >>"$LOOPS" &&
		mkfs.vfat "$L" >/dev/null && losetup -d "$L"
	read -r _ o l <<<"$(hostimg_parts "$G" | awk '$1 == 2')"
	L=$(losetup -f --show -o "$o" --sizelimit "$l" "$G") && echo "$L" >>"$LOOPS" &&
		$e4 -L root "$L" >/dev/null && losetup -d "$L"
	hostimg_fill "${pre}gpt-p2" "$G" "-o $o --sizelimit $l" &&
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$G" p2 "$G" ext4 "$o" noload >>"$HOSTIMG_TSV"
	esac

	# (2) a whole-disk XFS (no table). mkfs.xfs refuses file systems under
	# 300 MB but for its own tests (the variables lift the minimum).
	local X=$out/${pre}xfs.raw
	case $kinds in *" xfs "*)
	truncate -s 64M "$X"
	env TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f -L root "$X" >/dev/null &&
		hostimg_fill "${pre}xfs-disk" "$X" &&
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$X" disk "$X" xfs 0 norecovery >>"$HOSTIMG_TSV"
	esac

	# (3) MBR + LVM2 + ext4: a private LVM configuration that sees only our
	# loop device on the partition
	local M=$out/${pre}lvm.raw PV vg=vg0 pe_start ext pe first
	case $kinds in *" lvm "*)
	truncate -s 80M "$M"
	printf 'label: dos\n,,8e\n' | sfdisk -q "$M" >/dev/null
	read -r _ o l <<<"$(hostimg_parts "$M" | awk '$1 == 1')"
	PV=$(losetup -f --show -o "$o" --sizelimit "$l" "$M") && echo "$PV" >>"$LOOPS"
	export LVM_SYSTEM_DIR=$S/hostimg.lvm
	mkdir -p "$LVM_SYSTEM_DIR/lock"
	cat >"$LVM_SYSTEM_DIR/lvm.conf" <<EOF
devices { filter = [ "a|^$PV\$|", "r|.*|" ] obtain_device_list_from_udev = 0 }
activation { udev_sync = 0 udev_rules = 0 }
backup { backup = 0 archive = 0 }
global { locking_dir = "$LVM_SYSTEM_DIR/lock" }
EOF
	local lg=$S/hostimg.lvm.log
	if pvcreate -q --driverloaded n "$PV" >>"$lg" 2>&1 &&
	   vgcreate -q -s 4M --driverloaded n "$vg" "$PV" >>"$lg" 2>&1 &&
	   lvcreate -q -an -Zn -L 64M -n root --driverloaded n "$vg" >>"$lg" 2>&1; then
		pe_start=$(pvs --driverloaded n --noheadings --units b --nosuffix -o pe_start "$PV" 2>/dev/null | tr -d ' ')
		ext=$(vgs --driverloaded n --noheadings --units b --nosuffix -o vg_extent_size "$vg" 2>/dev/null | tr -d ' ')
		pe=$(lvs --driverloaded n --noheadings -o seg_pe_ranges "$vg/root" 2>/dev/null | tr -d ' ')
		[ "$(wc -l <<<"$pe")" = 1 ] || bad "hostimg: lvm: vg0/root should be one segment, lvs says: $pe"
		pe=${pe##*:}; pe=${pe%-*}
		first=$((o + pe_start + pe * ext))
		losetup -d "$PV"
		L=$(losetup -f --show -o "$first" --sizelimit $((64 * HOSTIMG_MiB)) "$M") && echo "$L" >>"$LOOPS" &&
			$e4 -L root "$L" >/dev/null && losetup -d "$L"
		hostimg_fill "${pre}lvm-root" "$M" "-o $first --sizelimit $((64 * HOSTIMG_MiB))" &&
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$M" "$vg/root" "$M" ext4 "$first" noload >>"$HOSTIMG_TSV"
	else
		losetup -d "$PV"
		bad "hostimg: lvm: the LVM tools failed: $(tail -3 "$lg")"
	fi
	unset LVM_SYSTEM_DIR
	esac

	# (4) the GPT disk in the acquisition and virtual-disk formats
	case $kinds in *" formats "*)
	local g=${G%.raw}
	ewfacquire -q -u -t "$g" -f encase6 -c deflate:fast -S 1MiB -C case -D gpt -E 1 -e examiner \
		-N note "$G" >"$S/hostimg.ewf.log" 2>&1
	if [ -f "$g.E02" ]; then
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$g.E01" p2 "$G" ext4 \
			"$(hostimg_parts "$G" | awk '$1 == 2 { print $2 }')" noload >>"$HOSTIMG_TSV"
	else
		bad "hostimg: ewfacquire made no segments E01, E02…: $(tail -2 "$S/hostimg.ewf.log")"
	fi
	local f
	for f in qcow2:qcow2 vmdk:vmdk vhd:vpc vhdx:vhdx; do
		local o2=
		[ "${f#*:}" = vpc ] && o2="-o subformat=dynamic,force_size=on"
		# shellcheck disable=SC2086
		if qemu-img convert -f raw -O "${f#*:}" $o2 "$G" "$g.${f%%:*}"; then
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$g.${f%%:*}" p2 "$G" ext4 \
				"$(hostimg_parts "$G" | awk '$1 == 2 { print $2 }')" noload >>"$HOSTIMG_TSV"
		else
			bad "hostimg: qemu-img convert to ${f#*:} failed"
		fi
	done
	esac
	rm -rf "$S/hostimg.ref"
}
