# `de --root HOST list runtimes` finds every runtime's data on a host root,
# by default and by each runtime's own configuration, and `--root` alone
# makes the commands work across every Docker data root found. The host is
# constructed: the real sample at var/lib/docker, the legacy layouts and
# the real containerd meta.db where other configurations put them.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "discovery: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
"$TOP/tests/fixtures/make-legacy-layouts.sh" "$SCRATCH/legacy"
# daemon.json moves the data root to /data/docker, and /data is an absolute
# symlink inside the image: it must resolve inside the image (to
# /volumes/data/docker), never on the analyst's machine
mkdir -p "$H/etc/docker" "$H/volumes/data"
ln -s /volumes/data "$H/data"
cp -a "$SCRATCH/legacy/aufs-v2/var/lib/docker" "$H/volumes/data/docker"
echo '{"data-root": "/data/docker", "log-driver": "json-file"}' > "$H/etc/docker/daemon.json"
mkdir -p "$H/home/alice/.local/share"   # rootless Docker
cp -a "$SCRATCH/legacy/vfs-v2/var/lib/docker" "$H/home/alice/.local/share/docker"
mkdir -p "$H/var/lib/docker/100000.100000/containers"   # userns-remap subroot
mkdir -p "$H/var/snap/docker/common/var-lib-docker/image"   # the snap
mkdir -p "$H/var/lib/containerd/io.containerd.metadata.v1.bolt" "$H/opt/ctd/io.containerd.metadata.v1.bolt" "$H/etc/containerd"
cp "$TOP/tests/data/bbolt/containerd-meta.db" "$H/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"
cp "$TOP/tests/data/bbolt/containerd-meta.db" "$H/opt/ctd/io.containerd.metadata.v1.bolt/meta.db"
printf 'version = 2\nroot = "/opt/ctd"\nstate = "/run/containerd"\n' > "$H/etc/containerd/config.toml"
mkdir -p "$H/var/lib/containers/storage/overlay-containers" "$H/srv/storage/libpod" "$H/etc/containers" \
	"$H/home/bob/.local/share/containers/storage/overlay-images"
printf '[storage]\ndriver = "overlay"\ngraphroot = "/srv/storage"\n' > "$H/etc/containers/storage.conf"

got=$("$DE" --root "$H" list runtimes)
same_text "list runtimes: every runtime's data, how it was found and what was found" \
"docker $H/var/lib/docker default: containers/, image/
docker $H/volumes/data/docker etc/docker/daemon.json data-root: containers/, image/
docker $H/var/snap/docker/common/var-lib-docker snap: image/
docker $H/home/alice/.local/share/docker rootless, user alice: containers/, image/
docker $H/var/lib/docker/100000.100000 userns-remap subroot: containers/
containerd $H/var/lib/containerd default: io.containerd.metadata.v1.bolt/meta.db
containerd $H/opt/ctd etc/containerd/config.toml root: io.containerd.metadata.v1.bolt/meta.db
containerd $H/var/lib/docker/containerd/daemon Docker's own containerd: io.containerd.metadata.v1.bolt/meta.db
containers-storage $H/var/lib/containers/storage default: overlay-containers/
podman $H/srv/storage etc/containers/storage.conf graphroot: libpod/
containers-storage $H/home/bob/.local/share/containers/storage rootless, user bob: overlay-images/" \
	"$(jq -r '.[] | "\(.runtime) \(.path) \(.found_by)"' <<<"$got")"

got=$("$DE" --root "$H" list all_containers 2>"$SCRATCH/err")
same_text "--root alone: the containers of every Docker data root" \
	"$(( $(jq length "$ORACLE/containers.inspect.json") + 2 ))" "$(jq length <<<"$got")"
same_text "--root alone: each container names its runtime and data root" \
"docker $H/home/alice/.local/share/docker
docker $H/var/lib/docker
docker $H/volumes/data/docker" "$(jq -r '.[] | "\(.runtime) \(.data_root)"' <<<"$got" | sort -u)"
# the legacy layouts' container is copied into two data roots: the same ID
# and name in both, so only RUNTIME@ROOT:REF names one
err=$("$DE" --root "$H" ls legacy 2>&1 >/dev/null); rc=$?
same_text "--root alone: a name held in two Docker data roots is an error naming both, with their roots" \
	'"legacy" names 2 containers: docker@/data/docker:c0ffee000000, docker@/home/alice/.local/share/docker:c0ffee000000 (choose one as RUNTIME:REF, as listed)' \
	"$err"
check "--root alone: the ambiguity exits 1" test $rc -eq 1
for r in /data/docker "$H/volumes/data/docker" /home/alice/.local/share/docker; do
	check "--root alone: docker@$r:legacy, a container of another data root by name" \
		grep -qx '/bin/hello' <<<"$("$DE" --root "$H" ls "docker@$r:legacy" / -R --no-volumes)"
done
same_text "--root alone: each ROOT selects its own copy (aufs-v2, vfs-v2)" "aufs vfs" \
	"$("$DE" --root "$H" inspect docker@/data/docker:c0ffee000000 | jq -r '.[0].Driver') $("$DE" --root "$H" inspect docker@/home/alice/.local/share/docker:c0ffee | jq -r '.[0].Driver')"
check "-r still selects one data root" test "$("$DE" -r "$H/var/lib/docker" list all_containers | jq length)" = \
	"$(jq length "$ORACLE/containers.inspect.json")"
