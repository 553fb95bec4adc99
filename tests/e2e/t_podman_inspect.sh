# Podman, from a host made by the real podman 4.3 of tests/fixtures/
# make-podman-inspect.sh (oracle/ holds what podman said):
#  - `de inspect` equals `podman inspect`, key for key and in podman's key
#    order, for containers with many options (running, exited, stopped,
#    paused, created; bind, tmpfs and volume mounts; namespaces of the host
#    or of another container; privileged; uid maps; a health check; an exec
#    session; published ports). de prints the layer directories under the
#    data root it was given (as for Docker) and adds "de".
#  - `de list images` lists what `podman images` lists, `--all` what
#    `podman images -a` lists (a podman build's intermediate images), with
#    podman's ParentId, size, tags and creation time.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "podman inspect: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
S=$H/var/lib/containers/storage
PO=$TOP/tests/data/podman-inspect-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/podman-inspect-host/podman-inspect-host.tar.gz" -C "$H"

n=0
for f in "$PO"/podman.container.*.json; do
	c=${f##*/podman.container.}
	c=${c%.json}
	got=$("$DE" --root "$H" inspect "$c" 2>"$SCRATCH/err"); rc=$?
	check "inspect $c: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "inspect $c equals podman inspect (every key, podman's order)" \
		"$(jq '.[0]' "$f")" "$(jq '.[0] | del(.de)' <<<"${got//$S//var/lib/containers/storage}")"
	check "inspect $c: de.libpod keeps libpod's record" \
		jq -e '.[0].de.libpod.config.id == .[0].Id and (.[0].de.libpod.state.state | type) == "number"' <<<"$got"
	n=$((n + 1))
done
check "inspect: the fixture's nine containers compared" test "$n" = 9
same_text "inspect: each State.Status podman printed (created, running, exited, paused)" \
	"$(for f in "$PO"/podman.container.*.json; do jq -r '.[0] | "\(.Name) \(.State.Status)"' "$f"; done | sort)" \
	"$("$DE" --root "$H" list all_containers | jq -r '.[] | "\(.name) \(.state | sub("\\(.*"; ""))"' | sort)"

# list images: podman images (intermediates hidden) and podman images -a
# (shown): IDs, ParentId, size, tags, creation (Unix seconds).
want() { jq -r '.[] | [("sha256:" + .Id), (if .ParentId == "" then "-" else "sha256:" + .ParentId end),
	.Size, ((.Names // []) | join(",")), .Created] | @tsv' "$1" | LC_ALL=C sort; }
have() { jq -r '.[] | [.id, (.parent // "-"), .size, (.repo_tags | join(",")),
	(.created | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdate)] | @tsv' | LC_ALL=C sort; }
imgs=$("$DE" --root "$H" list images 2>"$SCRATCH/err"); rc=$?
check "list images: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list images equals podman images (build intermediates hidden)" \
	"$(want "$PO/podman-images.json")" "$(have <<<"$imgs")"
all=$("$DE" --root "$H" list images --all)
same_text "list images --all equals podman images -a" "$(want "$PO/podman-images-a.json")" "$(have <<<"$all")"
check "list images --all: the intermediates are marked, the rebuilt image's old one dangling" \
	jq -e '([.[] | select(.intermediate)] | length) == 3 and ([.[] | select(.dangling)] | length) == 1
		and all(.[]; .runtime == "podman")' <<<"$all"
check "list images: no image is both dangling and intermediate" \
	jq -e 'all(.[]; (.dangling and .intermediate) | not)' <<<"$all"
