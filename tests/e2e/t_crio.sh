# CRI-O. CONSTRUCTED: CRI-O is not packaged in Debian 12, so no real CRI-O
# wrote these files. tests/fixtures/make-crio-layout.py turns the real
# containers/storage data of the runtimes-host fixture (made by podman 4.3)
# into CRI-O's layout: a pod sandbox and a container "web" in
# volatile-containers.json, whose layer is a copy of pweb's, CRI-O's
# annotations on pweb's real OCI spec, its state.json, and pweb's real CRI
# log under /var/log/pods. The expected answers are read from those files
# and from what podman said of pweb (oracle/).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "cri-o: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
S=$H/var/lib/containers/storage
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H"
python3 "$TOP/tests/fixtures/make-crio-layout.py" "$H"
VOL=$S/overlay-containers/volatile-containers.json
WEB=$(jq -r '.[] | select(.metadata | fromjson | .pod | not) | .id' "$VOL")
CFG=$S/overlay-containers/$WEB/userdata/config.json
got=$("$DE" --root "$H" list all_containers 2>/dev/null)
same_text "list: CRI-O's containers of volatile-containers.json, runtime cri-o" \
	"$(jq -c '[.[] | .names[0]] | sort' "$VOL")" \
	"$(jq -c '[.[] | select(.runtime == "cri-o") | .name] | sort' <<<"$got")"
same_text "list web: name, image, created, labels, command and log path from CRI-O's annotations" \
	"$(jq -c "$JQ_ISO"' .annotations as $a | {name: $a["io.kubernetes.cri-o.Name"],
		image_name: $a["io.kubernetes.cri-o.ImageName"], image_id: $a["io.kubernetes.cri-o.Image"],
		created: ($a["io.kubernetes.cri-o.Created"] | iso), labels: ($a["io.kubernetes.cri-o.Labels"] | fromjson),
		command: (.process.args | join(" ")),
		log_path: ("'"$H"'" + $a["io.kubernetes.cri-o.LogPath"])}' "$CFG")" \
	"$(jq -c --arg id "$WEB" '.[] | select(.container_id == $id) | {name, image_name, image_id, created, labels, command, log_path}' <<<"$got")"
same_text "list web: state and pid from CRI-O's state.json" \
	"$(jq -c '{state: .status, pid}' "$S/overlay-containers/$WEB/userdata/state.json")" \
	"$(jq -c --arg id "$WEB" '.[] | select(.container_id == $id) | {state, pid}' <<<"$got")"
for s in stdout stderr; do
	same_text "logs web $s (LogPath and kubelet's rotation, on the host) equals podman logs pweb" \
		"$(cat "$RO/podman.logs.pweb.$s")" "$("$DE" --root "$H" logs "$WEB" --stream "$s")"
done
same_text "diff web equals diff pweb (its layer is a copy)" \
	"$("$DE" --root "$H" diff pweb)" "$("$DE" --root "$H" diff "$WEB")"
"$DE" --root "$H" export pweb "$SCRATCH/pweb.tar" --no-volumes 2>/dev/null
"$DE" --root "$H" export "$WEB" "$SCRATCH/web.tar" --no-volumes 2>/dev/null
same_text "export web --no-volumes: the same files as pweb" \
	"$(tar -tvf "$SCRATCH/pweb.tar" | LC_ALL=C sort)" "$(tar -tvf "$SCRATCH/web.tar" | LC_ALL=C sort)"
check "export web: not empty" test -n "$(tar -tf "$SCRATCH/web.tar" etc/motd)"
check "inspect web: CRI-O's record (storage metadata, annotations, state)" \
	jq -e '.[0] | .metadata["pod-id"] and .annotations and .state.status' \
	<<<"$("$DE" --root "$H" inspect "$WEB" 2>/dev/null)"
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/k"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount "$3" "$4" --no-volumes >/dev/null &&
		(cd "$4" && find . -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$5/k.tsv"' \
		_ "$DE" "$H" "$WEB" "$SCRATCH/k" "$SCRATCH"
	same_text "mount web: the kernel's view of its layers equals podman's mounted root of pweb" \
		"$(cat "$RO/podman.pweb.rootfs.tsv")" "$(cat "$SCRATCH/k.tsv" 2>/dev/null)"
else
	skip "cri-o kernel mount: needs unshare -m and overlayfs"
fi
# A damaged record: a warning naming the file, exit 3, the rest listed.
echo '{' > "$S/overlay-containers/$WEB/userdata/config.json"
out=$("$DE" --root "$H" list all_containers 2>"$SCRATCH/err"); rc=$?
check "damaged config.json: exit 3 and a warning naming it" \
	test "$rc" = 3 -a -n "$(grep "$WEB/userdata/config.json" "$SCRATCH/err")"
same_text "damaged config.json: the container is still listed" "1" \
	"$(jq --arg id "$WEB" '[.[] | select(.container_id == $id)] | length' <<<"$out")"
# list runtimes names runtimes, not stores: this containers/storage root
# holds Podman's state (the real bolt_state.db) and CRI-O's containers
same_text "list runtimes: the store is Podman's and CRI-O's, each with what was found" \
"containerd $H/var/lib/containerd default: io.containerd.metadata.v1.bolt/meta.db
podman $S default: libpod/bolt_state.db
cri-o $S default: CRI-O's containers (pod-id) in overlay-containers/volatile-containers.json" \
	"$("$DE" --root "$H" list runtimes | jq -r '.[] | "\(.runtime) \(.path) \(.found_by)"')"
same_text "list all_containers: the store shared by Podman and CRI-O is read once" \
	"$(jq -r '.[].id' "$S/overlay-containers/containers.json" "$VOL" | sort)" \
	"$("$DE" --root "$H" list all_containers 2>/dev/null | jq -r '.[] | select(.runtime != "containerd") | .container_id' | sort)"
