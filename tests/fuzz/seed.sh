#!/usr/bin/env bash
# seed.sh OUTDIR — seed inputs for the fuzz targets, made from the real
# fixture bytes (tests/data: the dockerd 20.10 sample host, the containerd
# 1.6 + Podman 4.3 host), in the input formats the targets document:
# OUTDIR/<name>/… . The committed corpora (tests/fuzz/corpus/<name>) are
# these seeds plus what the fuzzer found, minimised with -merge=1.
set -eu
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
fx=$(mktemp -d /tmp/de-seed.XXXXXX)
trap 'rm -rf "$fx"' EXIT
tar xzf "$top/tests/data/sample-host/sample-host.tar.gz" -C "$fx" 2>/dev/null
tar xzf "$top/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$fx" 2>/dev/null
mkdir -p "$fx/pi" "$fx/k8s"
tar xzf "$top/tests/data/podman-inspect-host/podman-inspect-host.tar.gz" -C "$fx/pi" 2>/dev/null
tar xzf "$top/tests/data/k8s-node/k8s-node.tar.gz" -C "$fx/k8s" 2>/dev/null
D=$fx/var/lib/docker
C=$fx/var/lib/containerd
S=$fx/var/lib/containers/storage
mkdir -p "$out"/{config,image,layers,containerd,storage,logline}
nul() { printf '\0'; }

# config: config.v2.json \0 hostconfig.json \0 daemon.json \0 mount-id \0
# config.toml / storage.conf \0 passwd / group (of a container's image)
passwd=$(find "$D/overlay2" -path '*/diff/etc/passwd' -size -8k | head -1)
i=0
for c in "$D"/containers/*/; do
	id=$(basename "$c")
	mid=$(cat "$D/image/overlay2/layerdb/mounts/$id/mount-id" 2>/dev/null || true)
	{ cat "$c/config.v2.json"; nul; cat "$c/hostconfig.json"; nul
	  printf '{"data-root":"/var/lib/docker"}'; nul; printf '%s' "$mid"; nul
	  printf 'version = 2\nroot = "/var/lib/containerd"\n[storage]\ngraphroot = "/var/lib/containers/storage"\n'
	  nul; [ -n "$passwd" ] && cat "$passwd"; } >"$out/config/c$i"
	i=$((i + 1))
done

# image: config A \0 repositories.json \0 config B \0 size
set -- "$D"/image/overlay2/imagedb/content/sha256/*
size=$(cat "$(ls "$D"/image/overlay2/layerdb/sha256/*/size | head -1)")
for ((k = 1; k <= $#; k++)); do
	a=${!k}; n=$(( k % $# + 1 )); b=${!n}
	{ cat "$a"; nul; cat "$D/image/overlay2/repositories.json"; nul; cat "$b"; nul
	  printf '%s' "$size"; } >"$out/image/i$k"
done

# layers: lower \0 aufs layers \0 lower-id \0 link targets \0 snapshot key \0 metadata.db
i=0
for l in "$D"/overlay2/*/lower; do
	[ $i -lt 4 ] || break
	targets=$(tr ':' '\n' <"$l" | while read -r s; do readlink "$D/overlay2/$s"; done)
	{ cat "$l"; nul; tr ':' '\n' <"$l" | sed 's|^l/||'; nul; printf 'abc'; nul
	  printf '%s' "$targets"; nul; printf 'k8s.io/3/web'; nul
	  cat "$C/io.containerd.snapshotter.v1.overlayfs/metadata.db"; } >"$out/layers/l$i"
	i=$((i + 1))
done

# containerd: a time, a spec, the metadata database
{ printf '\0'; printf '\001\000\000\000\016\332\210\233\242\030\250\322\020\377\377'; } >"$out/containerd/t0"
{ printf '\0'; printf '2021-05-04T12:34:56.123456789+02:00'; } >"$out/containerd/t1"
spec=$(mktemp); printf '{"ociVersion":"1.0.2","process":{"args":["sh","-c","x"]},"hostname":"h"}' >"$spec"
{ printf '\001\n'; printf '\x2f%s' 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
  printf '\x12'; printf "\\x$(printf %x "$(stat -c %s "$spec")")"; cat "$spec"; } >"$out/containerd/s0"
rm -f "$spec"
{ printf '\002'; cat "$C/io.containerd.metadata.v1.bolt/meta.db"; } >"$out/containerd/m0"
# the system containerd of a Docker 29 host (namespace moby, web's snapshot)
mkdir -p "$fx/d29s"
tar xzf "$top/tests/data/docker29-system/docker29-system.tar.gz" -C "$fx/d29s" 2>/dev/null
{ printf '\002'; cat "$fx/d29s/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"; } >"$out/containerd/m1"
# a Kubernetes node's: the CRI plugin's extensions (cri.c)
{ printf '\002'; cat "$fx/k8s/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"; } >"$out/containerd/m2"
# a content store: index \0 manifest \0 config, as the fixture's images have them
B=$C/io.containerd.content.v1.content/blobs/sha256
i=0
for idx in $(grep -l '"manifests"' "$B"/* 2>/dev/null); do
	man=$(grep -l '"config"' $(grep -o 'sha256:[0-9a-f]\{64\}' "$idx" | sed "s|sha256:|$B/|" | while read -r f; do [ -f "$f" ] && echo "$f"; done) /dev/null 2>/dev/null | head -1)
	[ -n "$man" ] || continue
	cfg=$B/$(grep -o '"config":{[^}]*' "$man" | grep -o 'sha256:[0-9a-f]\{64\}' | cut -c8-)
	[ -f "$cfg" ] || continue
	{ printf '\003'; cat "$idx"; nul; cat "$man"; nul; cat "$cfg"; } >"$out/containerd/c$i"
	i=$((i + 1))
done
for man in $(grep -l '"config":{' "$B"/* 2>/dev/null); do
	cfg=$B/$(grep -o '"config":{[^}]*' "$man" | grep -o 'sha256:[0-9a-f]\{64\}' | cut -c8-)
	[ -f "$cfg" ] && { printf '\003'; cat "$man"; nul; cat "$cfg"; } >"$out/containerd/c$i"
	i=$((i + 1))
done

# storage: containers.json \0 images.json \0 layers.json \0 a document (the
# image's config; a container's userdata config.json) \0 containers.conf \0
# the libpod database (bbolt; SQLite made from it by the fixture script)
img=$(ls "$S"/overlay-images/*/=c2hh* | head -1)
{ cat "$S/overlay-containers/containers.json"; nul; cat "$S/overlay-images/images.json"; nul
  cat "$S/overlay-layers/layers.json"; nul; cat "$img"; nul
  printf '[engine]\ndatabase_backend = "boltdb"\n'; nul; cat "$S/libpod/bolt_state.db"; } >"$out/storage/s0"
{ cat "$S/overlay-containers/containers.json"; nul; cat "$S/overlay-images/images.json"; nul
  cat "$S/overlay-layers/layers.json"; nul
  cat "$(ls "$S"/overlay-containers/*/userdata/config.json | head -1)"; } >"$out/storage/s1"
if command -v python3 >/dev/null && [ -x "$top/build/de" ]; then
	"$top/build/de" bbolt "$S/libpod/bolt_state.db" >"$fx/bolt.json" 2>/dev/null &&
	python3 "$top/tests/fixtures/make-podman-sqlite.py" "$fx/bolt.json" "$fx/db.sql" >/dev/null 2>&1 &&
	{ cat "$S/overlay-containers/containers.json"; nul; cat "$S/overlay-images/images.json"; nul
	  cat "$S/overlay-layers/layers.json"; nul; cat "$img"; nul
	  printf '[engine]\ndatabase_backend = "sqlite"\n'; nul; cat "$fx/db.sql"; } >"$out/storage/s2"
fi

# storage of the podman-inspect host: libpod records with many options (for
# `inspect`), a build's intermediates, the running p_opts's OCI spec
PI=$fx/pi/var/lib/containers/storage
if [ -d "$PI" ]; then
	{ cat "$PI/overlay-containers/containers.json"; nul; cat "$PI/overlay-images/images.json"; nul
	  cat "$PI/overlay-layers/layers.json"; nul
	  cat "$(ls "$PI"/overlay-containers/*/userdata/config.json | head -1)"; nul
	  printf '[engine]\ndatabase_backend = "boltdb"\n'; nul; cat "$PI/libpod/bolt_state.db"; } >"$out/storage/s3"
fi

# logline: whole log files (first byte 0x80 + format), besides the records
i=0
for f in "$D"/containers/*/*-json.log "$D"/containers/*/*-json.log.1.gz; do
	{ printf '\201'; head -c 4096 "$f"; } >"$out/logline/fj$i"; i=$((i + 1))
done
for f in "$D"/containers/*/local-logs/container.log; do
	{ printf '\200'; head -c 4096 "$f"; } >"$out/logline/fl$i"; i=$((i + 1))
done
for f in "$S"/overlay-containers/*/userdata/ctr.log; do
	[ -f "$f" ] || continue
	{ printf '\202'; head -c 4096 "$f"; } >"$out/logline/fk$i"; i=$((i + 1))
done

# jscan: the container records of every Docker host fixture as they are
# (config.v2.json, v1's config.json, hostconfig.json), and the image
# configs and OCI specs beside them: the documents `list` reads
mkdir -p "$out/jscan" "$fx/js"
for t in sample-host docker29-host trial-host windows-host; do
	[ -f "$top/tests/data/$t/$t.tar.gz" ] || continue
	mkdir -p "$fx/js/$t"
	tar xzf "$top/tests/data/$t/$t.tar.gz" -C "$fx/js/$t" --wildcards '*/containers/*/*.json' \
		'*/imagedb/content/sha256/*' 2>/dev/null || true
done
i=0
find "$fx/js" "$S/overlay-containers" -type f \( -name '*.json' -o -path '*/imagedb/content/*' \) \
	-size -64k 2>/dev/null | sort | while read -r f; do
	cp "$f" "$out/jscan/j$i"; i=$((i + 1))
done

# union: hand-made layer stacks (the input is a layer description, see
# fuzz_union.c): overlay with whiteouts, opaque and x-marked directories,
# metacopy; aufs .wh. names; rules none with a volume; a redirect; links.
mkdir -p "$out/union"
printf '\x09\x02\x00\x00\x00\x00\x06\x01\x08\x00\x00\x0d\x01\x08\x00\x00\x11\x00\x02\x00\x00\x06\x01\x1a\x00\x00\x0c\x00\x02\x00\x00\x04\x00\x04\x00\x00\x48\x00\x03\x00\x00' >"$out/union/aufs"
printf '\x14\x69\x00\x00\x00\x00\x05\x01\x11\x00\x00\xc8\x02\x42\x00\x00\x00\x07\x88\x86\x68\xe9\x00\x03\x00\x00' >"$out/union/links"
printf '\x16\x04\x00\x00\x00\x00\x05\x00\x01\x00\x00\xa8\x00\x02\x00\x00' >"$out/union/none"
printf '\x08\x02\x00\x00\x00\x00\x06\x01\x08\x00\x00\x06\x01\x10\x00\x00\x0d\x01\x08\x00\x00\x05\x01\x18\x00\x00\x10\x00\x00\x00\x00\x04\x01\x30\x00\x00\x28\x00\x01\x00\x00\x89\x01\x02\x00\x00\x14\x01\x03\x00\x00\x05\x01\x03\x00\x00\x1e\x00\x06\x00\x00\x1d\x00\x06\x00\x00' >"$out/union/ovl"
printf '\x04\x01\x01\x08\x00\x00\x05\x02\x88\x00\x00\x18\x00\x01\x00\x00\x04\x01\x19\x00\x00\x0c\x00\x00\x00\x00' >"$out/union/redir"

# vhdx: VHDX files as fuzz_vhdx.c's patch records (mode byte, then
# {offset u32, length u16, bytes} for each non-zero run): a dynamic disk of
# qemu-img, differencing ones of tests/fixtures/vhdx_writer.py (partially
# and fully present blocks, 512 and 4096-byte sectors); runs of one byte
# are cut short, so that the seeds stay small.
mkdir -p "$out/vhdx"
vx=$fx/vhdx; mkdir -p "$vx"
w=$top/tests/fixtures/vhdx_writer.py
truncate -s 4M "$vx/p.raw"; printf 'parent data' | dd of="$vx/p.raw" bs=1 seek=1048576 conv=notrunc 2>/dev/null
cp "$vx/p.raw" "$vx/c.raw"; printf 'child' | dd of="$vx/c.raw" bs=1 seek=1049088 conv=notrunc 2>/dev/null
head -c 1048576 /dev/zero | tr '\0' 'x' | dd of="$vx/c.raw" bs=1M seek=2 conv=notrunc 2>/dev/null
if command -v qemu-img >/dev/null; then
	qemu-img convert -f raw -O vhdx -o subformat=dynamic,block_size=1M "$vx/p.raw" "$vx/q.vhdx"
fi
/usr/bin/python3 "$w" dynamic "$vx/p.raw" "$vx/p.vhdx" 2>/dev/null
/usr/bin/python3 "$w" diff "$vx/p.raw" "$vx/p.vhdx" "$vx/c.raw" "$vx/c.vhdx" --absolute-path '\\?\C:\p.vhdx' 2>/dev/null
/usr/bin/python3 "$w" dynamic "$vx/p.raw" "$vx/p4.vhdx" --sector 4096 2>/dev/null
/usr/bin/python3 "$w" diff "$vx/p.raw" "$vx/p4.vhdx" "$vx/c.raw" "$vx/c4.vhdx" --sector 4096 2>/dev/null
for f in "$vx"/*.vhdx; do
	/usr/bin/python3 - "$f" "$out/vhdx/$(basename "$f" .vhdx)" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()[: 8 << 20]
out = bytearray(b"\0")
i = 0
while i < len(data):
    if data[i] == 0:
        i += 1
        continue
    j = i
    while j < len(data) and j - i < 65535 and data[j:j + 64].strip(b"\0"):
        j += 64
    j = min(j, len(data), i + 65535)
    run = data[i:j]
    if len(run) > 512 and run.count(run[0]) == len(run):
        run = run[:512]   # filler and whole blocks of one byte: a taste is enough
    out += struct.pack("<IH", i, len(run)) + run
    i = j
open(sys.argv[2], "wb").write(out)
PY
done

# ext4, xfs, volumes: disks made by the real tools (mkfs -d / -p copy a
# directory in without root; tables by sfdisk and sgdisk; LVM2 by the LVM
# tools on a loop device, root only), as sparse images (img2fuzz.py).
fi=$fx/fsimg
mkdir -p "$fi/src/sub" "$fi/src/many" "$out/ext4" "$out/xfs" "$out/volumes"
i2f() { python3 "$top/tests/fuzz/img2fuzz.py" "$@" 2>/dev/null; }
printf 'hello\n' >"$fi/src/small"
: >"$fi/empty"
head -c 20000 /dev/urandom >"$fi/src/sub/bigger"
for i in $(seq 1 150); do : >"$fi/src/many/a-long-entry-name-number-$i"; done
ln -s small "$fi/src/lnk"
ln -s "$(printf 'x%.0s' $(seq 1 100))" "$fi/src/slowlnk"
truncate -s 300000 "$fi/src/sparse" && printf 'x' | dd of="$fi/src/sparse" bs=1 seek=200000 conv=notrunc 2>/dev/null
setfattr -n user.small -v v "$fi/src/small" 2>/dev/null
setfattr -n user.big -v "0x$(head -c 600 /dev/urandom | od -An -v -tx1 | tr -d ' \n')" "$fi/src/sub/bigger" 2>/dev/null
for v in "ext4 -b 1024" "ext4 -b 1024 -O inline_data" "ext4 -b 4096 -O ^has_journal" "ext2 -b 1024" "ext3 -b 1024"; do
	set -- $v; n=$(echo "$v" | tr -c 'a-z0-9\n' '_')
	rm -f "$fi/i"; mkfs."$1" -q -F "${@:2}" -d "$fi/src" "$fi/i" 6M >/dev/null 2>&1 &&
		i2f "$fi/i" "$out/ext4/$n"
done
{ echo boot; echo 0 0; echo 'd--755 0 0'
  echo "small ---644 1000 1000 $fi/src/small"; echo "bigger ---600 0 0 $fi/src/sub/bigger"
  echo 'lnk l--777 0 0 small'; echo "slowlnk l--777 0 0 $(printf 'y%.0s' $(seq 1 400))"
  echo 'wh c--000 0 0 0 0'; echo 'null c--666 0 0 1 3'
  echo 'many d--755 0 0'; for i in $(seq 1 200); do echo " entry-with-a-long-name-$i ---644 0 0 $fi/empty"; done; echo ' $'
  echo '$'; } >"$fi/proto"
for v in "" "-b size=1024 -n size=8192"; do
	n=xfs$(echo "$v" | tr -c 'a-z0-9\n' '_')
	rm -f "$fi/x"; truncate -s 20M "$fi/x"
	TEST_DIR=1 TEST_DEV=1 QA_CHECK_FS=1 mkfs.xfs -q -f $v -p "$fi/proto" "$fi/x" >/dev/null 2>&1 || continue
	# the log is never read (as mount -o norecovery): its sectors are left out
	ls=$(xfs_db -r -c 'sb 0' -c 'p logstart' "$fi/x" 2>/dev/null | sed 's/.* = //')
	lb=$(xfs_db -r -c 'sb 0' -c 'p logblocks' "$fi/x" 2>/dev/null | sed 's/.* = //')
	bs=$(xfs_db -r -c 'sb 0' -c 'p blocksize' "$fi/x" 2>/dev/null | sed 's/.* = //')
	d=$(xfs_db -r -c "convert fsblock $ls daddr" "$fi/x" 2>/dev/null | sed 's/.*(\([0-9]*\)).*/\1/')
	[ -n "$d" ] && dd if=/dev/zero of="$fi/x" bs=512 seek="$d" count=$((lb * bs / 512)) conv=notrunc 2>/dev/null
	i2f "$fi/x" "$out/xfs/$n"
done
rm -f "$fi/d"; truncate -s 16M "$fi/d"
sgdisk -n 1:2048:+4M -t 1:8300 -c 1:root -n 2:0:+4M -t 2:8e00 "$fi/d" >/dev/null 2>&1 &&
	dd if="$fi/i" of="$fi/d" bs=1M seek=1 conv=notrunc,sparse 2>/dev/null && i2f "$fi/d" "$out/volumes/gpt" --prefix 00
rm -f "$fi/d"; truncate -s 16M "$fi/d"
printf 'label: dos\n,4M,83\n,,5\n,2M,83\n,2M,8e\n' | sfdisk -q "$fi/d" >/dev/null 2>&1 &&
	i2f "$fi/d" "$out/volumes/mbr" --prefix 00
if [ "$(id -u)" = 0 ] && command -v pvcreate >/dev/null; then
	rm -f "$fi/l"; truncate -s 16M "$fi/l"
	if L=$(losetup -f --show "$fi/l" 2>/dev/null); then
		export LVM_SYSTEM_DIR=$fi/lvm LVM_SUPPRESS_FD_WARNINGS=1
		mkdir -p "$LVM_SYSTEM_DIR"
		printf 'devices { filter = [ "a|^%s$|", "r|.*|" ] obtain_device_list_from_udev = 0 }\nbackup { backup = 0 archive = 0 }\n' "$L" >"$LVM_SYSTEM_DIR/lvm.conf"
		{ pvcreate -q "$L" && vgcreate -q -s 1M vgfz "$L" &&
		  lvcreate -q -an -Zn --driverloaded n -L 2M -n a vgfz && lvcreate -q -an -Zn --driverloaded n -L 1M -n b vgfz &&
		  lvextend -q --driverloaded n -L +3M vgfz/a && vgcfgbackup -q --driverloaded n -f "$fi/vg.txt" vgfz; } >/dev/null 2>&1
		losetup -d "$L"
		i2f "$fi/l" "$out/volumes/lvm" --prefix 00
		[ -f "$fi/vg.txt" ] && { printf '\001'; cat "$fi/vg.txt"; } >"$out/volumes/lvmtext"
	fi
fi
