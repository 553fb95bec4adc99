# Podman, from a host made by a real podman 4.3 (tests/fixtures/
# make-runtimes-host.sh; what podman said is in oracle/): its containers
# from containers/storage and libpod's bolt_state.db, as `podman inspect`
# showed them; their logs as `podman logs`; their view from the layers,
# against the kernel's overlay mount and podman's own mounted root.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "podman: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
S=$H/var/lib/containers/storage
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
# inspect: podman inspect's document, key for key and in its order (de
# names the layer directories under the data root it was given, and adds
# "de": the layers and libpod's record).
for name in pweb pidle; do
	same_text "inspect $name equals podman inspect" "$(jq '.[0]' "$RO/podman.container.$name.json")" \
		"$("$DE" --root "$H" inspect "$name" | sed "s|$S|/var/lib/containers/storage|g" | jq '.[0] | del(.de)')"
done
for s in stdout stderr; do
	same_text "logs pweb $s equals podman logs" "$(cat "$RO/podman.logs.pweb.$s")" \
		"$("$DE" --root "$H" logs pweb --stream "$s")"
done
check "diff pweb: the file it changed" grep -qx 'C /etc/motd' <<<"$("$DE" --root "$H" diff pweb)"
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/k"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount pweb "$3" --no-volumes >/dev/null &&
		(cd "$3" && find . -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$4/k.tsv" &&
		python3 "$5" "$3" --nlink > "$4/k.ls"' _ "$DE" "$H" "$SCRATCH/k" "$SCRATCH" "$TOP/tests/e2e/listing.py"
	same_text "mount pweb: the kernel's view of its layers equals podman's mounted root" \
		"$(cat "$RO/podman.pweb.rootfs.tsv")" "$(cat "$SCRATCH/k.tsv" 2>/dev/null)"
	same_text "ls pweb: the union engine equals the kernel" "$(cat "$SCRATCH/k.ls" 2>/dev/null)" \
		"$("$DE" --root "$H" ls pweb / -R -l --no-volumes)"
else
	skip "podman kernel mount: needs unshare -m and overlayfs"
fi
# Images from containers/storage (overlay-images/images.json, the config as
# big data, layers.json), as `podman images` and `podman history` said.
# the host also has containerd: its images are t_containerd's
imgs=$("$DE" --root "$H" list images 2>/dev/null | jq '[.[] | select(.path | contains("/var/lib/containers/storage/"))]')
same_text "list images equals podman images" \
	"$(jq -c '[.[] | {id: ("sha256:" + .Id), repo_tags: .Names, repo_digests: .RepoDigests, size: .Size, containers: .Containers}]' "$RO/podman-images.json")" \
	"$(jq -c '[.[] | {id, repo_tags, repo_digests, size, containers: (.containers | length)}]' <<<"$imgs")"
same_text "list images: created equals podman image inspect" \
	"$(jq -c "$JQ_ISO"'[.[] | .Created | iso]' "$RO/podman.image.busybox-static.json")" \
	"$(jq -c '[.[] | .created]' <<<"$imgs")"
same_text "history pweb equals podman history" \
	"$(jq -c "$JQ_ISO"'[.[] | {created_at: (.created | iso), created_by: .CreatedBy, comment, size}]' "$RO/podman-history.busybox-static.json")" \
	"$(jq -c '[.[] | .layers[] | {created_at, created_by, comment, size}]' <<<"$("$DE" --root "$H" history pweb 2>/dev/null)")"
# Podman's SQLite state (db.sql). CONSTRUCTED: Podman 4.3 cannot write it;
# tests/fixtures/make-podman-sqlite.py puts the same records of the real
# bolt_state.db into Podman 5's schema, at Podman 5's place (libpod/db.sql).
H2=$SCRATCH/sqlhost
S2=$H2/var/lib/containers/storage
cp -a "$H" "$H2"
"$DE" bbolt "$S2/libpod/bolt_state.db" > "$SCRATCH/bolt.json" &&
	python3 "$TOP/tests/fixtures/make-podman-sqlite.py" "$SCRATCH/bolt.json" "$SCRATCH/db.sql" &&
	cp "$SCRATCH/db.sql" "$S2/libpod/db.sql"
rm -f "$S2/libpod/bolt_state.db"
before=$(cd "$S2/libpod" && ls -la --time-style=full-iso && sha256sum db.sql)
same_text "db.sql (constructed): list all_containers equals the bolt_state.db answer" \
	"$(jq -c '.[] | select(.runtime == "podman")' <<<"$got")" \
	"$("$DE" --root "$H2" list all_containers 2>/dev/null | sed "s|$H2|$H|g" | jq -c '.[] | select(.runtime == "podman")')"
same_text "db.sql (constructed): inspect pweb equals the bolt_state.db answer" \
	"$("$DE" --root "$H" inspect pweb 2>/dev/null)" \
	"$("$DE" --root "$H2" inspect pweb 2>/dev/null | sed "s|$H2|$H|g")"
same_text "db.sql (constructed): logs pweb" "$(cat "$RO/podman.logs.pweb.stdout")" \
	"$("$DE" --root "$H2" logs pweb --stream stdout 2>/dev/null)"
same_text "db.sql: read without a change (no -wal, -shm or -journal made, same bytes and times)" \
	"$before" "$(cd "$S2/libpod" && ls -la --time-style=full-iso && sha256sum db.sql)"
# Both databases: Podman 5 keeps an existing bolt_state.db unless
# containers.conf's database_backend says "sqlite" (libpod/runtime.go).
cp "$S/libpod/bolt_state.db" "$S2/libpod/bolt_state.db" 2>/dev/null ||
	tar --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H2" var/lib/containers/storage/libpod/bolt_state.db
check "db.sql and bolt_state.db: bolt_state.db read, as Podman does" \
	grep -q "state is read from libpod/bolt_state.db" <<<"$("$DE" --root "$H2" list all_containers 2>&1 >/dev/null)"
printf '[engine]\ndatabase_backend = "sqlite"\n' >> "$H2/etc/containers/containers.conf"
check "db.sql and bolt_state.db, database_backend = sqlite: db.sql read" \
	grep -q "state is read from libpod/db.sql (containers.conf" <<<"$("$DE" --root "$H2" list all_containers 2>&1 >/dev/null)"
# A damaged db.sql: a warning naming it, exit 3, the containers still listed.
rm -f "$S2/libpod/bolt_state.db"
head -c 4096 "$SCRATCH/db.sql" > "$S2/libpod/db.sql"
out=$("$DE" --root "$H2" list all_containers 2>"$SCRATCH/err"); rc=$?
check "damaged db.sql: exit 3 and a warning naming it" test "$rc" = 3 -a -n "$(grep db.sql "$SCRATCH/err")"
same_text "damaged db.sql: its containers still listed" "pidle pweb" \
	"$(jq -r '[.[] | select(.container_id | length == 64) | .name] | sort | join(" ")' <<<"$out")"
