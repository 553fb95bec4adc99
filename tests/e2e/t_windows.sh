# Windows containers (windowsfilter) and `de merge-vhdx`, on the CONSTRUCTED
# Docker-on-Windows data root of tests/data/windows-host (no Windows engine
# runs here: tests/fixtures/README-windows.md says what is made by which
# tool). The merge oracles: the raw disk the fixture script composed itself
# (its SHA-256 and its NTFS listing by ntfs-3g's ntfsls), libvhdi's reading of
# the same chain (vhdimount), qemu-img's reading of the dynamic parent, and
# for the extra chains made here, the raw disks they were made from.
. "$(dirname "$0")/lib.sh"
WIN=$TOP/tests/data/windows-host
WO=$WIN/oracle
WRITER=$TOP/tests/fixtures/vhdx_writer.py
scratch
H=$SCRATCH/c
mkdir -p "$H"
tar --sparse -xzf "$WIN/windows-host.tar.gz" -C "$H"
R=$H/ProgramData/docker
WEB=$(cat "$WO/web.id"); IDLE=$(cat "$WO/idle.id"); BASE=$(cat "$WO/base.id")
cd "$SCRATCH" || exit 1

# ---- list ------------------------------------------------------------------
got=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "list: exits 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list: the containers config.v2.json names, oldest start first, driver windowsfilter" \
	"/idle created windowsfilter
/web running windowsfilter" "$(jq -r '.[] | "\(.name) \(.state) \(.driver)"' <<<"$got")"
same_text "list: upper_dir is the container's sandbox.vhdx (the mount ID is the container ID)" \
	"$R/windowsfilter/$WEB/sandbox.vhdx $WEB" \
	"$(jq -r '.[] | select(.name == "/web") | "\(.upper_dir) \(.mount_id)"' <<<"$got")"
same_text "list: LogPath C:\\ProgramData\\docker\\… placed in the data root" \
	"$R/containers/$WEB/$WEB-json.log" "$(jq -r '.[] | select(.name == "/web") | .log_path' <<<"$got")"
same_text "list: a volume in the data root, the bind C:\\data on the host root (drive C:)" \
	"$R/volumes/appdata/_data C:\\appdata
$H/data C:\\data" "$(jq -r '.[] | select(.name == "/web") | .mount_points[] | "\(.source) \(.destination)"' <<<"$got")"
check "list: every placed source exists in the evidence" \
	test -f "$H/data/host.txt" -a -f "$R/volumes/appdata/_data/state.txt"
got=$("$DE" -r "$R" --root "$SCRATCH/elsewhere" list all_containers 2>/dev/null)
same_text "list --root: drive C: is the given host root" "$SCRATCH/elsewhere/data" \
	"$(jq -r '.[] | select(.name == "/web") | .mount_points[] | select(.destination == "C:\\data") | .source' <<<"$got")"
same_text "logs: the json-file log of a Windows container" \
	"Pinging webwin01 with 32 bytes of data:"$'\r'"
Reply from ::1: time<1ms "$'\r' "$("$DE" -r "$R" logs web 2>&1)"
"$DE" -r "$R" ls web >/dev/null 2>"$SCRATCH/err"; rc=$?
check "ls: refused with the reason (NTFS inside VHDX), exit 1" \
	grep -q "is a Windows container: its files are NTFS inside" "$SCRATCH/err"
check "ls: exit status 1" test $rc -eq 1
got=$("$DE" -r "$R" inspect web 2>"$SCRATCH/err"); rc=$?
same_text "inspect: GraphDriver windowsfilter; the unreadable layers a warning (exit 3)" \
	"windowsfilter 3" "$(jq -r '.[0].GraphDriver.Name' <<<"$got") $rc"
"$DE" -r "$R" timeline --all >/dev/null 2>"$SCRATCH/err"; rc=$?
check "timeline --all: each Windows container's files named as not in the timeline (exit 3)" \
	test $rc -eq 3 -a "$(grep -c '^de: warning: container .*its files are not in the timeline: windowsfilter' "$SCRATCH/err")" -eq 2

# ---- mount --dry-run: de.py's command ----------------------------------------
# de.py: the base layer is layerchain.json's last entry, the output <mount_id>.raw
last=$(jq -r '.[-1]' "$R/windowsfilter/$WEB/layerchain.json"); last=${last##*\\}
want="de merge-vhdx --parent_disk $R/windowsfilter/$last/blank-base.vhdx --child_disk $R/windowsfilter/$WEB/sandbox.vhdx --out_image $WEB.raw"
got=$("$DE" -r "$R" mount web /mnt/nowhere --dry-run 2>"$SCRATCH/err"); rc=$?
same_text "mount --dry-run: de.py's merge command (merge_vhdx.py's flags), nothing else" "$want" "$got"
check "mount --dry-run: exit 0, and it explains the merge on stderr" \
	grep -q "differencing VHDX over its base layer's blank-base.vhdx" "$SCRATCH/err"
check "mount --dry-run: exit status 0" test $rc -eq 0
"$DE" -r "$R" mount web "$SCRATCH" >/dev/null 2>&1; rc=$?
check "mount without --dry-run: nothing mounted, exit 1" test $rc -eq 1

# ---- the printed command, run: byte-identical to the composed raw disk -----------
eval "\"\$DE\" ${got#de }" 2>"$SCRATCH/err"; rc=$?
check "merge (the printed command): exit 0" test $rc -eq 0
same_text "merge: the raw disk is the one composed when the sandbox was made (SHA-256)" \
	"$(cat "$WO/web.raw.sha256")" "$(sha256sum <"$WEB.raw" | cut -d' ' -f1)"
same_text "merge: its size is the virtual disk's" 67108864 "$(stat -c %s "$WEB.raw")"
check "merge: sparse (fewer blocks allocated than its size)" \
	test "$(($(stat -c %b "$WEB.raw") * 512))" -lt 67108864
if command -v ntfsls >/dev/null; then
	same_text "merge: its NTFS holds the container's files (ntfsls, as recorded)" \
		"$(cat "$WO/web.ntfsls")" "$(ntfsls -f -l "$WEB.raw" | awk '{print $NF}' | sort)"
else skip "ntfsls: ntfs-3g is not installed"; fi
"$DE" merge-vhdx -p "$R/windowsfilter/$BASE/blank-base.vhdx" -c "$R/windowsfilter/$IDLE/sandbox.vhdx" \
	-o idle.raw 2>/dev/null
same_text "merge: a sandbox with no block of its own is its parent's disk" \
	"$(cat "$WO/idle.raw.sha256")" "$(sha256sum <idle.raw | cut -d' ' -f1)"
if command -v qemu-img >/dev/null; then
	qemu-img convert -f vhdx -O raw "$R/windowsfilter/$BASE/blank-base.vhdx" qemu-base.raw
	check "merge: the parent read as qemu-img reads it (a qemu-made dynamic VHDX)" cmp -s qemu-base.raw idle.raw
	qemu-img convert -f vhdx -O raw "$R/windowsfilter/$WEB/sandbox.vhdx" x.raw 2>/dev/null
	check "qemu-img cannot read a differencing VHDX (why the chain's oracle is libvhdi)" test $? -ne 0
else skip "qemu-img: qemu-utils is not installed"; fi

# libvhdi (vhdimount) reads the chain by itself: the parent's base name from
# the child's locator, in the child's directory
if command -v vhdimount >/dev/null && [ -e /dev/fuse ]; then
	mkdir -p lv mnt-vhdi
	ln -s "$R/windowsfilter/$WEB/sandbox.vhdx" lv/sandbox.vhdx
	ln -s "$R/windowsfilter/$BASE/blank-base.vhdx" lv/blank-base.vhdx
	if vhdimount lv/sandbox.vhdx mnt-vhdi >/dev/null 2>&1; then
		top=$(ls mnt-vhdi | sort | tail -1)
		check "merge: byte-identical to libvhdi's reading of the chain (vhdimount)" \
			cmp -s "mnt-vhdi/$top" "$WEB.raw"
		fusermount -u mnt-vhdi 2>/dev/null || umount mnt-vhdi
	else skip "vhdimount: FUSE mount refused here"; fi
else skip "vhdimount: libvhdi-utils or /dev/fuse missing"; fi

# ---- OUT: never overwritten without -y, never a disk of the chain -------------
P=$R/windowsfilter/$BASE/blank-base.vhdx
S=$R/windowsfilter/$WEB/sandbox.vhdx
echo keep >existing.raw
"$DE" merge-vhdx -p "$P" -c "$S" -o existing.raw 2>"$SCRATCH/err"; rc=$?
check "merge: an existing OUT without -y: exit 1, untouched" test $rc -eq 1 -a "$(cat existing.raw)" = keep
check "merge: … and it says -y" grep -q -- "-y to replace it" "$SCRATCH/err"
"$DE" merge-vhdx -p "$P" -c "$S" -o existing.raw -y 2>/dev/null; rc=$?
same_text "merge -y: OUT replaced by the merged disk" "$(cat "$WO/web.raw.sha256")" \
	"$(sha256sum <existing.raw | cut -d' ' -f1)"
sum=$(sha256sum <"$S")
"$DE" merge-vhdx -p "$P" -c "$S" -o "$S" -y 2>"$SCRATCH/err"; rc=$?
check "merge -y: OUT being the child itself is refused, the evidence untouched" \
	test $rc -eq 1 -a "$(sha256sum <"$S")" = "$sum"

# ---- wrong inputs ---------------------------------------------------------------
"$DE" merge-vhdx -p "$R/windowsfilter/$BASE/blank.vhdx" -c "$S" -o wrong.raw 2>"$SCRATCH/err"; rc=$?
check "merge: a parent that is not the child's: exit 1" test $rc -eq 1
check "merge: … naming both DataWriteGuid and parent_linkage" \
	grep -q "is not the parent of .*sandbox.vhdx: its DataWriteGuid is {.*parent_linkage {" "$SCRATCH/err"
check "merge: … and no output left" test ! -e wrong.raw
"$DE" merge-vhdx -p "$P" -c "$P" -o self.raw 2>"$SCRATCH/err"; rc=$?
check "merge: a child that is not differencing: exit 1" \
	grep -q "is not a differencing disk" "$SCRATCH/err"
cp "$S" broken.vhdx
printf 'XXXX' | dd of=broken.vhdx bs=1 seek=65536 conv=notrunc 2>/dev/null
printf 'XXXX' | dd of=broken.vhdx bs=1 seek=131072 conv=notrunc 2>/dev/null
"$DE" merge-vhdx -p "$P" -c broken.vhdx -o broken.raw 2>"$SCRATCH/err"; rc=$?
check "merge: both headers damaged: an error naming the file and the headers" \
	grep -q "broken.vhdx: no valid header: header 1: no \"head\" signature" "$SCRATCH/err"
"$DE" merge-vhdx -p "$P" -o x.raw >/dev/null 2>&1; rc=$?
check "merge: -c missing is a usage error (exit 2)" test $rc -eq 2

# ---- chains made here: a differencing parent, 4 KiB sectors, two BAT chunks ------
py=/usr/bin/python3
mkraw() {   # FILE SIZE OFFSET:TEXT...
	local f=$1 size=$2; shift 2
	truncate -s "$size" "$f"
	for w in "$@"; do
		printf '%s' "${w#*:}" | dd of="$f" bs=1 seek="${w%%:*}" conv=notrunc 2>/dev/null
	done
}
M=$((1 << 20))
mkraw g.raw $((8 * M)) 0:grandparent $((3 * M)):base-block $((5 * M + 512)):old
cp g.raw m.raw; mkraw m.raw $((8 * M)) $((3 * M)):middle-layer
cp m.raw t.raw; mkraw t.raw $((8 * M)) 1024:top $((5 * M + 512)):new $((7 * M)):tail
qemu-img convert -f raw -O vhdx -o subformat=dynamic g.raw g.vhdx 2>/dev/null ||
	$py "$WRITER" dynamic g.raw g.vhdx 2>/dev/null
$py "$WRITER" diff g.raw g.vhdx m.raw m.vhdx --relative-path g.vhdx 2>/dev/null
$py "$WRITER" diff m.raw m.vhdx t.raw t.vhdx --relative-path m.vhdx 2>/dev/null
"$DE" merge-vhdx -p m.vhdx -c t.vhdx -o chain.raw 2>/dev/null; rc=$?
check "merge: a parent that is itself differencing is followed (3 disks)" test $rc -eq 0
check "merge: … byte-identical to the top raw disk" cmp -s chain.raw t.raw
mkdir -p moved && cp m.vhdx t.vhdx moved/
"$DE" merge-vhdx -p moved/m.vhdx -c moved/t.vhdx -o lost.raw 2>"$SCRATCH/err"; rc=$?
check "merge: a grandparent missing where relative_path says: exit 1, named" \
	grep -q "moved/g.vhdx" "$SCRATCH/err"

mkraw a4.raw $((16 * M)) 0:sector-zero 4096:sector-one $((9 * M)):nine
cp a4.raw b4.raw; mkraw b4.raw $((16 * M)) 4100:changed $((12 * M)):twelve
dd if=/dev/zero of=b4.raw bs=1M seek=9 count=1 conv=notrunc 2>/dev/null   # a ZERO block
$py "$WRITER" dynamic a4.raw a4.vhdx --sector 4096 2>/dev/null
$py "$WRITER" diff a4.raw a4.vhdx b4.raw b4.vhdx --sector 4096 --states 2>/dev/null
"$DE" merge-vhdx -p a4.vhdx -c b4.vhdx -o b4-out.raw 2>/dev/null
check "merge: 4096-byte logical sectors (the sector bitmap counts 4 KiB sectors)" cmp -s b4-out.raw b4.raw

# 1 MiB blocks of 512-byte sectors: 4096 blocks a chunk, so a 4 GiB + 8 MiB
# disk has two sector bitmap blocks and the BAT interleaves them
BIG=$((4096 * M + 8 * M))
mkraw bigp.raw $BIG 0:first $((4095 * M)):end-of-chunk-0 $((4096 * M + 512)):start-of-chunk-1
cp --sparse=always bigp.raw bigc.raw
mkraw bigc.raw $BIG $((4095 * M + 1024)):child-in-chunk-0 $((4096 * M + 2048)):child-in-chunk-1 $((BIG - 512)):last
$py "$WRITER" dynamic bigp.raw bigp.vhdx 2>/dev/null
$py "$WRITER" diff bigp.raw bigp.vhdx bigc.raw bigc.vhdx 2>/dev/null
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o rss "$DE" merge-vhdx -p bigp.vhdx -c bigc.vhdx -o big-out.raw 2>/dev/null
else "$DE" merge-vhdx -p bigp.vhdx -c bigc.vhdx -o big-out.raw 2>/dev/null; fi
check "merge: two BAT chunks (4 GiB + 8 MiB), byte-identical to the raw disk" \
	$py "$WRITER" compare big-out.raw bigc.raw
check "merge: … written sparse (under 16 MiB allocated)" \
	test "$(($(stat -c %b big-out.raw) * 512))" -lt $((16 * M))
if [ -s rss ] && [[ $DE != *valgrind* ]]; then
	check "merge: bounded memory (peak RSS $(cat rss) KiB < 32 MiB)" test "$(cat rss)" -lt 32768
fi
