# Volume systems and image formats (src/image) through `de fsls`. Every
# image is made here by the real tools: GPT by sgdisk, MBR with extended
# and logical partitions by sfdisk, LVM2 by pvcreate/vgcreate/lvcreate/
# lvextend (no device-mapper here: --driverloaded n writes the real
# metadata and the LVs are never activated; the LV's file system is made in
# a file through the kernel and copied to the LV's extents where lvs says
# they are), LUKS2 by cryptsetup luksFormat, FAT by mkfs.vfat, ext4 and XFS
# by mkfs and filled through the kernel (fs-populate.sh); E01 (several
# segments) by ewfacquire; qcow2, VMDK, VHD and VHDX by qemu-img convert;
# split raw by split.
# The oracles: sfdisk --json (partitions: number, start, size, type, name),
# blkid -p (what each holds), lvs/pvs/vgs (LV sizes and extents), the
# kernel's loop mount of every file system (entry for entry, as in
# t_fsread.sh), and for the container formats the raw disk they were made
# from.
. "$(dirname "$0")/lib.sh"
scratch
. "$(dirname "$0")/lib-fs.sh"
fs_need_loop_mount || exit 0
E4="mkfs.ext4 -q -F -b 4096"
XFS="env TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f"
MiB=1048576

# the file systems, made once, listed by the kernel once
mkimg root 40M "" $E4 && kernel root noload || bad "root: ext4 image not made"
mkimg data 100M "" $XFS && kernel data norecovery || bad "data: XFS image not made"
truncate -s 20M "$S/luks.raw"
echo -n secret | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
	"$S/luks.raw" - || bad "luks: cryptsetup luksFormat failed"

# place FILE DISK BYTE-OFFSET: FILE's bytes into DISK at the offset (holes kept)
place() { dd if="$1" of="$2" bs=1M oflag=seek_bytes seek="$3" conv=notrunc,sparse status=none; }

# parts DISK: "N START-BYTES SIZE-BYTES TYPE NAME" per partition, from sfdisk
parts() {
	sfdisk -J "$1" | jq -r '.partitiontable.partitions[] |
		"\(.node | capture("(?<n>[0-9]+)$").n) \(.start * 512) \(.size * 512) \(.type | ascii_downcase) \(.name // "")"'
}
# volumes DISK…: de's volume list in the same form (name without "p")
volumes() {
	"$DE" fsls "$@" | awk -F'\t' '$4 != "lvm" && $1 != "disk" {
		n = $1; sub(/^p/, "", n); t = $5; if (t ~ /^0x/) { t = substr(t, 3); sub(/^0+/, "", t) }
		print n, $2, $3, t, $9 }' | sed 's/ $//'
}

# ---- GPT: FAT, ext4, XFS, LUKS -----------------------------------------------
G=$S/gpt.raw
truncate -s 200M "$G"
sgdisk -n 1:2048:+8M -t 1:ef00 -c 1:"EFI system" -n 2:0:+40M -t 2:8300 -c 2:"root ünï" \
	-n 3:0:+100M -t 3:8300 -c 3:data -n 4:0:+20M -t 4:8309 -c 4:crypt "$G" >/dev/null
read -r _ o1 l1 _ <<<"$(parts "$G" | sed -n 1p)"
L=$(losetup -f --show -o "$o1" --sizelimit "$l1" "$G") && echo "$L" >>"$LOOPS" &&
	mkfs.vfat "$L" >/dev/null && losetup -d "$L"
place "$S/root.raw" "$G" "$(parts "$G" | awk '$1 == 2 { print $2 }')"
place "$S/data.raw" "$G" "$(parts "$G" | awk '$1 == 3 { print $2 }')"
place "$S/luks.raw" "$G" "$(parts "$G" | awk '$1 == 4 { print $2 }')"
want=$(parts "$G" | awk '{ t = $4; gsub(/-/, "", t); $4 = t; print }')
got=$(volumes "$G" | awk '{ t = $4; gsub(/-/, "", t); $4 = t; print }')
same_text "gpt: partitions (number, offset, size, type GUID, name) as sfdisk --json reads them" "$want" "$got"
# what each holds, by blkid's probing of the same bytes
blk() { blkid -p -o value -s TYPE -O "$2" -S "$3" "$1" 2>/dev/null; }
want=$(parts "$G" | while read -r n o l _; do
	case $(blk "$G" "$o" "$l") in
	vfat) echo "p$n fat -" ;; ext4) echo "p$n ext ext4" ;; xfs) echo "p$n xfs xfs" ;;
	crypto_LUKS) echo "p$n luks - encrypted: decrypt it first" ;; *) echo "p$n ?" ;; esac
done)
same_text "gpt: what each partition holds, as blkid -p probes it (FAT, ext4, XFS, LUKS named encrypted)" \
	"$want" "$("$DE" fsls "$G" | awk -F'\t' '{ print $1, $6, $7 ($10 != "" ? " " $10 : "") }')"
ours gpt-root "$G" -p 2
cp "$S/root.kernel" "$S/gpt-root.kernel"
compare gpt-root "gpt: partition 2 (ext4) read through the table"
ours gpt-data "$G" -p 3
cp "$S/data.kernel" "$S/gpt-data.kernel"
compare gpt-data "gpt: partition 3 (XFS) read through the table"
"$DE" fsls "$G" -p 4 >/dev/null 2>"$S/err"; rc=$?
same_text "gpt: the LUKS partition is refused, named (exit 1)" \
	"1 de: fsls: p4: encrypted: decrypt it first" "$rc $(cat "$S/err")"

# a damaged primary GPT: the backup is read, with a warning
cp --sparse=always "$G" "$S/gpt-bad.raw"
printf 'XX' | dd of="$S/gpt-bad.raw" bs=1 seek=$((512 + 40)) conv=notrunc status=none
got=$("$DE" fsls "$S/gpt-bad.raw" 2>"$S/err" | cut -f1-4)
same_text "gpt: primary header damaged: the backup's partitions, a warning" \
	"$("$DE" fsls "$G" | cut -f1-4)
primary GPT damaged" "$got
$(grep -o 'primary GPT damaged' "$S/err" | sort -u)"

# ---- MBR: primary, extended, logical; LVM2 in a logical partition -------------
M=$S/mbr.raw
truncate -s 240M "$M"
printf 'label: dos\n,40M,83\n,,5\n,100M,83\n,80M,8e\n' | sfdisk -q "$M" >/dev/null
place "$S/root.raw" "$M" "$(parts "$M" | awk '$1 == 1 { print $2 }')"
place "$S/data.raw" "$M" "$(parts "$M" | awk '$1 == 5 { print $2 }')"
same_text "mbr: primary, extended and logical partitions as sfdisk --json reads them" \
	"$(parts "$M" | sed 's/ $//')" "$(volumes "$M")"
ours mbr-root "$M" -p 1
cp "$S/root.kernel" "$S/mbr-root.kernel"
compare mbr-root "mbr: partition 1 (ext4)"
ours mbr-data "$M" -p 5
cp "$S/data.kernel" "$S/mbr-data.kernel"
compare mbr-data "mbr: logical partition 5 (XFS) at the end of the EBR chain's first link"

# LVM2 on partition 6: a private LVM configuration that sees only our loop device
read -r _ o6 l6 _ <<<"$(parts "$M" | awk '$1 == 6')"
PV=$(losetup -f --show -o "$o6" --sizelimit "$l6" "$M") && echo "$PV" >>"$LOOPS"
export LVM_SYSTEM_DIR=$S/lvm
mkdir -p "$LVM_SYSTEM_DIR"
cat >"$LVM_SYSTEM_DIR/lvm.conf" <<EOF
devices { filter = [ "a|^$PV\$|", "r|.*|" ] obtain_device_list_from_udev = 0 }
activation { udev_sync = 0 udev_rules = 0 }
backup { backup = 0 archive = 0 }
EOF
lvm_() { "$@" --driverloaded n >>"$S/lvm.log" 2>&1; }
vg=detest$$
lvm_ pvcreate -q "$PV" && lvm_ vgcreate -q -s 4M "$vg" "$PV" &&
	lvm_ lvcreate -q -an -Zn -L 12M -n lvroot "$vg" && lvm_ lvcreate -q -an -Zn -L 8M -n between "$vg" &&
	lvm_ lvextend -q -L +28M "$vg/lvroot" || bad "lvm: the LVM tools failed: $(tail -3 "$S/lvm.log")"
segs=$(lvs --driverloaded n --noheadings --units b --nosuffix -o lv_name,seg_start,seg_size,seg_pe_ranges \
	"$vg/lvroot" 2>/dev/null)
lvs_all() { cat "$S/lvs.all"; }
lvs --driverloaded n --noheadings --units b --nosuffix --segments -o lv_name,lv_size,seg_pe_ranges "$vg" \
	2>/dev/null | awk '!seen[$1]++ { print $1, $2, $3 }' | sort >"$S/lvs.all"
pe_start=$(pvs --driverloaded n --noheadings --units b --nosuffix -o pe_start "$PV" 2>/dev/null | tr -d ' ')
ext=$(vgs --driverloaded n --noheadings --units b --nosuffix -o vg_extent_size "$vg" 2>/dev/null | tr -d ' ')
losetup -d "$PV"
if [ "$(wc -l <<<"$segs")" = 2 ]; then
	ok "lvm: lvroot has 2 segments around another LV (lvs: $(echo $segs | tr -s ' '))"
else
	bad "lvm: lvroot should have 2 segments, lvs says: $segs"
fi
# the LV's file system: made and filled through the kernel in a file of the
# LV's size, then copied to the extents lvs names
mkimg lvroot 40M "" $E4 && kernel lvroot noload
while read -r _ sstart ssize range; do
	pe=${range##*:}; pe=${pe%-*}
	dd if="$S/lvroot.raw" of="$M" bs=1M iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc \
		skip="$sstart" count="$ssize" seek=$((o6 + pe_start + pe * ext)) status=none
done <<<"$segs"
first_pe=$(awk 'NR == 1 { r = $4; sub(/.*:/, "", r); sub(/-.*/, "", r); print r }' <<<"$segs")
# every LV: its first extent's place on the disk, its size, what it holds
want=$(lvs_all | while read -r name size range; do
	pe=${range##*:}; pe=${pe%-*}
	case $name in lvroot) holds="linear ext" ;; *) holds="linear -" ;; esac
	echo "$vg/$name lvm $((o6 + pe_start + pe * ext)) $size $holds"
done)
same_text "lvm: the LVs, where their first extents lie and their sizes, as lvs/pvs/vgs say" "$want" \
	"$("$DE" fsls "$M" | awk -F'\t' '$4 == "lvm" { print $1, $4, $2, $3, $5, $6 }' | sort)"
ours lvm-root "$M" -p "$vg/lvroot"
cp "$S/lvroot.kernel" "$S/lvm-root.kernel"
compare lvm-root "lvm: $vg/lvroot (2 segments) in a logical partition"

# ---- a volume group over two disk images (two PVs, one LV across both) --------
D1=$S/disk1.raw D2=$S/disk2.raw
truncate -s 24M "$D1"; truncate -s 24M "$D2"
P1=$(losetup -f --show "$D1") && echo "$P1" >>"$LOOPS"
P2=$(losetup -f --show "$D2") && echo "$P2" >>"$LOOPS"
cat >"$LVM_SYSTEM_DIR/lvm.conf" <<EOF2
devices { filter = [ "a|^$P1\$|", "a|^$P2\$|", "r|.*|" ] obtain_device_list_from_udev = 0 }
activation { udev_sync = 0 udev_rules = 0 }
backup { backup = 0 archive = 0 }
EOF2
vg2=despan$$
lvm_ pvcreate -q "$P1" "$P2" && lvm_ vgcreate -q -s 4M "$vg2" "$P1" "$P2" &&
	lvm_ lvcreate -q -an -Zn -l 100%FREE -n wide "$vg2" || bad "lvm over two disks: the LVM tools failed"
segs2=$(lvs --driverloaded n --noheadings --units b --nosuffix -o seg_start,seg_size,seg_pe_ranges "$vg2/wide" 2>/dev/null)
pe1=$(pvs --driverloaded n --noheadings --units b --nosuffix -o pe_start "$P1" 2>/dev/null | tr -d ' ')
size2=$(lvs --driverloaded n --noheadings --units b --nosuffix -o lv_size "$vg2/wide" 2>/dev/null | tr -d ' ')
losetup -d "$P1"; losetup -d "$P2"
mkimg wide "$size2" "" $E4 && kernel wide noload
while read -r sstart ssize range; do
	dev=${range%%:*}; pe=${range##*:}; pe=${pe%-*}
	[ "$dev" = "$P1" ] && to=$D1 || to=$D2
	dd if="$S/wide.raw" of="$to" bs=1M iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc \
		skip="$sstart" count="$ssize" seek=$((pe1 + pe * 4 * MiB)) status=none
done <<<"$segs2"
check "lvm over two disks: the LV has a segment on each (lvs: $(echo $segs2 | tr -s ' '))" \
	test "$(awk '{ sub(/:.*/, "", $3); print $3 }' <<<"$segs2" | sort -u | wc -l)" = 2
ours wide "$D1" "$D2" -p "$vg2/wide"
compare wide "lvm over two disks: $vg2/wide read through both images"
"$DE" fsls "$D1" >"$S/one.out" 2>"$S/one.err"
check "lvm over two disks, one given: the LV named, not read, a warning naming the missing PV" \
	sh -c "grep -q '^$vg2/wide' '$S/one.out' && grep -q 'its PV pv1 is not in the image' '$S/one.err'"

# --image given twice: the sample host in that LV across both disks (its
# ext4 made by mke2fs -d from the extracted host, xattrs and whiteouts
# kept, and copied to the extents as above) answers as --root on the tree
if can_extract; then
	extract_sample "$S/host"
	truncate -s "$size2" "$S/wide-host.raw"
	mkfs.ext4 -q -F -b 4096 -d "$S/host" "$S/wide-host.raw"
	while read -r sstart ssize range; do
		dev=${range%%:*}; pe=${range##*:}; pe=${pe%-*}
		[ "$dev" = "$P1" ] && to=$D1 || to=$D2
		dd if="$S/wide-host.raw" of="$to" bs=1M iflag=skip_bytes,count_bytes oflag=seek_bytes conv=notrunc \
			skip="$sstart" count="$ssize" seek=$((pe1 + pe * 4 * MiB)) status=none
	done <<<"$segs2"
	"$DE" --image "$D1" --image "$D2" list all_containers >"$S/span.out" 2>&1; rc=$?
	"$DE" --root "$S/host" list all_containers >"$S/tree.out" 2>&1
	same_text "--image twice: an LV across two disk images holding a Docker host answers as --root on its tree" \
		"0 $(sed "s|$S/host|IMG|g" "$S/tree.out")" "$rc $(sed "s|$D1@$vg2/wide:|IMG|g" "$S/span.out")"
	"$DE" --image "$D1" list all_containers >"$S/span1.out" 2>"$S/span1.err"; rc=$?
	check "--image with one of the two disks: the LV is not read, and the error says why (exit 1)" \
		sh -c "[ $rc = 1 ] && [ ! -s '$S/span1.out' ] && grep -q 'pv1 is not in the image' '$S/span1.err'"
fi

# ---- image formats: the GPT disk as qcow2, VMDK, VHD, VHDX, E01, split raw ----
"$DE" fsls "$G" >"$S/vol.raw"
qemu-img convert -f raw -O qcow2 "$G" "$S/gpt.qcow2"
qemu-img convert -f raw -O vmdk "$G" "$S/gpt.vmdk"
qemu-img convert -f raw -O vpc -o subformat=dynamic,force_size=on "$G" "$S/gpt.vhd"
qemu-img convert -f raw -O vhdx "$G" "$S/gpt.vhdx"
ewfacquire -q -u -t "$S/gpt" -f encase6 -c deflate:fast -S 1MiB -C c -D d -E e -e x -N n "$G" >/dev/null 2>&1
split -b 50M -d -a 3 --numeric-suffixes=1 "$G" "$S/gpt.split."
check "e01: ewfacquire wrote several segments (E01, E02, …)" test -f "$S/gpt.E02"
for img in gpt.qcow2 gpt.vmdk gpt.vhd gpt.vhdx gpt.E01 gpt.split.001; do
	"$DE" fsls "$S/$img" >"$S/vol.$img" 2>"$S/err"
	if cmp -s <(cut -f2- "$S/vol.raw") <(cut -f2- "$S/vol.$img") && [ ! -s "$S/err" ]; then
		ok "$img: the same volumes as the raw disk"
	else
		bad "$img: volumes differ from the raw disk's"; diff "$S/vol.raw" "$S/vol.$img" | head -5 | sed 's/^/#   /'
		head -3 "$S/err" | sed 's/^/#   /'
	fi
	ours "f-$img" "$S/$img" -p 2
	cp "$S/root.kernel" "$S/f-$img.kernel"
	compare "f-$img" "$img: partition 2 (ext4), through $(case $img in *.qcow2) echo libqcow ;; *.split.*) echo "the split reader" ;; *) echo libtsk ;; esac)"
done

# inode numbers are the file system's own: what The Sleuth Kit's fls prints,
# reading the same E01 (names with bytes fls prints raw left out: /names/)
if command -v fls >/dev/null; then
	o2=$(parts "$G" | awk '$1 == 2 { print $2 / 512 }')
	fls -r -p -o "$o2" "$S/gpt.E01" 2>/dev/null | grep -av '^[^ ]* \*' |
		awk -F'\t' '{ split($1, a, " "); sub(":", "", a[2]); print a[2], "/" $2 }' |
		grep -av '^[0-9]* /names/\|\$OrphanFiles' | LC_ALL=C sort >"$S/fls.txt"
	awk '{ p = $0; for (i = 0; i < 11; i++) sub(/^[^ ]* /, "", p); sub(/ xattrs:.*/, "", p); sub(/ sha256:[0-9a-f]*$/, "", p); sub(/ -> .*/, "", p); print $1, p }' \
		"$S/f-gpt.E01.de" | grep -av '^[0-9]* /names/' | LC_ALL=C sort >"$S/ours.txt"
	if [ -s "$S/fls.txt" ] && cmp -s "$S/fls.txt" "$S/ours.txt"; then
		ok "gpt.E01: inode numbers and paths of $(wc -l <"$S/ours.txt") entries as TSK's fls -r -p prints them"
	else
		bad "gpt.E01: inode numbers or paths differ from TSK's fls"; diff "$S/fls.txt" "$S/ours.txt" | head -5 | sed 's/^/#   /'
	fi
else
	skip "fls: The Sleuth Kit's tools not installed"
fi

# refusals with their reasons
qemu-img create -q -f qcow2 -b "$S/gpt.qcow2" -F qcow2 "$S/child.qcow2"
"$DE" fsls "$S/child.qcow2" >/dev/null 2>"$S/err"; rc=$?
check "qcow2 with a backing file: refused, saying so (exit 1)" \
	sh -c "[ $rc = 1 ] && grep -q 'has a backing file' '$S/err'"
head -c $((100 * MiB)) "$G" >"$S/short.raw"
"$DE" fsls "$S/short.raw" -p 3 -R >/dev/null 2>"$S/err"; rc=$?
check "a truncated image: the XFS partition past its end is not read (error, exit 1)" \
	sh -c "[ $rc = 1 ] && grep -q 'outside the disk\|no such volume\|truncated' '$S/err'"

# the image libraries are loaded only for their formats: a raw image opens
# neither libtsk nor what it brings (libcurl, GnuTLS and its /etc/gnutls)
if command -v strace >/dev/null; then
	strace -f -e trace=openat -o "$S/trace.raw" "$DE" fsls "$G" >/dev/null 2>&1
	strace -f -e trace=openat -o "$S/trace.e01" "$DE" fsls "$S/gpt.E01" >/dev/null 2>&1
	check "a raw image: no libtsk, libqcow, libcurl or GnuTLS file opened" \
		sh -c "! grep -v ENOENT '$S/trace.raw' | grep -q 'libtsk\|libqcow\|libcurl\|gnutls'"
	check "an E01: libtsk.so.19 loaded for it" grep -q 'libtsk.so.19' "$S/trace.e01"
else
	skip "library loading: no strace here"
fi
