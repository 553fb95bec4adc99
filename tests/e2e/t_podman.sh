# Podman, from a host made by a real podman 4.3 (tests/fixtures/
# make-runtimes-host.sh; what podman said is in oracle/): its containers
# from containers/storage and libpod's bolt_state.db, as `podman inspect`
# showed them; their logs as `podman logs`; their view from the layers,
# against the kernel's overlay mount and podman's own mounted root.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "podman: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H"
got=$("$DE" --root "$H" list all_containers 2>/dev/null)
for name in pweb pidle; do
	same_text "list $name equals podman inspect" \
		"$(jq -c "$JQ_ISO"'.[0] | {container_id: .Id, name: .Name, image_name: .ImageName, created: (.Created | iso),
		   state: .State.Status, command: (.Config.Cmd | join(" ")), runtime: "podman"}' "$RO/podman.container.$name.json")" \
		"$(jq -c --arg n "$name" '.[] | select(.name == $n) | {container_id, name, image_name, created, state, command, runtime}' <<<"$got")"
done
same_text "list pweb: its named volume at its destination" \
	"$(jq -c --arg h "$H" '[.[0].Mounts[] | {source: ($h + .Source), destination: .Destination}]' "$RO/podman.container.pweb.json")" \
	"$(jq -c '.[] | select(.name == "pweb") | .mount_points' <<<"$got")"
for s in stdout stderr; do
	same_text "logs pweb $s equals podman logs" "$(cat "$RO/podman.logs.pweb.$s")" \
		"$("$DE" --root "$H" logs pweb --stream "$s")"
done
check "diff pweb: the file it changed" grep -qx 'C /etc/motd' <<<"$("$DE" --root "$H" diff pweb)"
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/k"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount pweb "$3" --no-volumes >/dev/null &&
		(cd "$3" && find . -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$4/k.tsv" &&
		python3 "$5" "$3" > "$4/k.ls"' _ "$DE" "$H" "$SCRATCH/k" "$SCRATCH" "$TOP/tests/e2e/listing.py"
	same_text "mount pweb: the kernel's view of its layers equals podman's mounted root" \
		"$(cat "$RO/podman.pweb.rootfs.tsv")" "$(cat "$SCRATCH/k.tsv" 2>/dev/null)"
	same_text "ls pweb: the union engine equals the kernel" "$(cat "$SCRATCH/k.ls" 2>/dev/null)" \
		"$("$DE" --root "$H" ls pweb / -R -l --no-volumes)"
else
	skip "podman kernel mount: needs unshare -m and overlayfs"
fi
# Images from containers/storage (overlay-images/images.json, the config as
# big data, layers.json), as `podman images` and `podman history` said.
imgs=$("$DE" --root "$H" list images 2>/dev/null)
same_text "list images equals podman images" \
	"$(jq -c '[.[] | {id: ("sha256:" + .Id), repo_tags: .Names, repo_digests: .RepoDigests, size: .Size, containers: .Containers}]' "$RO/podman-images.json")" \
	"$(jq -c '[.[] | {id, repo_tags, repo_digests, size, containers: (.containers | length)}]' <<<"$imgs")"
same_text "list images: created equals podman image inspect" \
	"$(jq -c "$JQ_ISO"'[.[] | .Created | iso]' "$RO/podman.image.busybox-static.json")" \
	"$(jq -c '[.[] | .created]' <<<"$imgs")"
same_text "history pweb equals podman history" \
	"$(jq -c "$JQ_ISO"'[.[] | {created_at: (.created | iso), created_by: .CreatedBy, comment, size}]' "$RO/podman-history.busybox-static.json")" \
	"$(jq -c '[.[] | .layers[] | {created_at, created_by, comment, size}]' <<<"$("$DE" --root "$H" history pweb 2>/dev/null)")"
