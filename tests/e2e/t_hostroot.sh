# With --root HOST nothing outside HOST is read (issue 10, item 1): the
# analyst's own /var/lib/docker must never leak into the evidence's answer.
# In a private mount namespace, a tmpfs over /var/lib holds other real
# hosts' data at the analyst's default places (the sample's Docker at
# /var/lib/docker; the runtimes fixture's containerd and Podman at
# /var/lib/containerd and /var/lib/containers/storage); the real machine
# is untouched. Then de runs on the other host with --root: every answer is
# that host's (its engines' own records), and strace shows no path opened
# or looked at outside HOST but de's own (loader, libraries, locale, /proc,
# /dev; tests/e2e/outside-paths.py).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "host root: extracting the fixtures and a mount namespace need root"; exit 0; fi
if ! unshare -m --propagation private true 2>/dev/null; then
	skip "host root: no private mount namespace here (unshare -m)"; exit 0
fi
scratch
untar() { tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$1" -C "$2"; }
S=$SCRATCH/sample
RT=$SCRATCH/rt
extract_sample "$S"
mkdir -p "$RT"
untar "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" "$RT"
TRACE=1
if [[ $DE == *valgrind* ]] || ! command -v strace > /dev/null || ! strace -qq -o /dev/null true 2>/dev/null; then
	TRACE=
	skip "host root: paths opened: strace is missing or cannot trace here (or valgrind)"
fi
export DE S RT SCRATCH TRACE TOP

unshare -m --propagation private bash -s <<'INNER'
. "$TOP/tests/e2e/lib.sh"
RO=$TOP/tests/data/runtimes-host/oracle
mount -t tmpfs -o mode=755 tmpfs /var/lib
mkdir -p /var/lib/docker /var/lib/containerd /var/lib/containers/storage
mount --bind "$S/var/lib/docker" /var/lib/docker
mount --bind "$RT/var/lib/containerd" /var/lib/containerd
mount --bind "$RT/var/lib/containers/storage" /var/lib/containers/storage

# traced HOST NAME ARGS...: runs de --root HOST ARGS (stdout to $SCRATCH/out,
# stderr to $SCRATCH/err, exit status in rc), then again under strace to see
# what it touched (LeakSanitizer cannot run under ptrace: off there only).
traced() {
	local host=$1 name=$2; shift 2
	"$DE" --root "$host" "$@" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
	[ -n "$TRACE" ] || return 0
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -y -qq -e trace=%file,openat2 -o "$SCRATCH/trace" "$DE" --root "$host" "$@" \
		> /dev/null 2>&1
	python3 "$TOP/tests/e2e/outside-paths.py" "$SCRATCH/trace" "$host" > "$SCRATCH/outside"
	if [ -s "$SCRATCH/outside" ]; then
		bad "$name: paths outside --root: $(head -5 "$SCRATCH/outside" | tr '\n' ' ')"
	else ok "$name: nothing outside --root looked at ($(grep -c . "$SCRATCH/trace") calls traced)"; fi
}

# ---- a containerd and Podman host; the analyst's machine runs Docker ----
traced "$RT" "rt: list volumes" list volumes
check "rt: list volumes: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "rt: list volumes is Podman's (podman volume inspect), none of the analyst's Docker" \
	"$(jq -r --arg h "$RT" '.[] | "\(.Name) \($h)\(.Mountpoint)"' "$RO/podman.volume.pvol.json")" \
	"$(jq -r '.[] | "\(.name) \(.path)"' "$SCRATCH/out")"
traced "$RT" "rt: list repositories" list repositories
same_text "rt: list repositories: no Docker here, none of the analyst's: [], exit 0" "[] 0" \
	"$(jq -c . "$SCRATCH/out") $rc"
traced "$RT" "rt: list images" list images
check "rt: list images: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "rt: list images: every image is the host's (each path under --root)" "" \
	"$(jq -r --arg h "$RT/" '.[] | select(.path | startswith($h) | not) | .path' "$SCRATCH/out")"
same_text "rt: list images: no image of the analyst's Docker" "" \
	"$(grep -oF -f <(jq -r '.ID' "$ORACLE/images.jsonl" | sort -u) "$SCRATCH/out")"
traced "$RT" "rt: list all_containers" list all_containers
same_text "rt: list all_containers: the host's containers (ctr, podman ps), none of the analyst's" \
	"$( (for ns in default k8s.io; do awk 'NR > 1 {print $1}' "$RO/ctr.$ns.containers.txt"; done
	     jq -r '.[].Id' "$RO/podman-ps.json") | sort)" \
	"$(jq -r '.[].container_id' "$SCRATCH/out" | sort)"
traced "$RT" "rt: timeline --all" timeline --all
check "rt: timeline --all: exit 0" test $rc -eq 0
same_text "rt: timeline --all: no container of the analyst's Docker" "" \
	"$(grep -oF -f <(jq -r '.[].Id[0:12]' "$ORACLE/containers.inspect.json") "$SCRATCH/out" | sort -u)"
same_text "rt: timeline --all: the host's containers" "idle oneshot pidle pweb web" \
	"$(grep -o '^0|[^:|]*: container created|' "$SCRATCH/out" | cut -d'|' -f2 | sed 's/: container created$//' | sort -u | tr '\n' ' ' | sed 's/ $//')"
traced "$RT" "rt: list runtimes" list runtimes
same_text "rt: list runtimes: the host's own" "containerd $RT/var/lib/containerd
podman $RT/var/lib/containers/storage" "$(jq -r '.[] | "\(.runtime) \(.path)"' "$SCRATCH/out")"
traced "$RT" "rt: inspect pweb" inspect pweb
traced "$RT" "rt: logs pweb" logs pweb --stream stdout
same_text "rt: logs pweb (podman logs)" "$(cat "$RO/podman.logs.pweb.stdout")" "$(cat "$SCRATCH/out")"
traced "$RT" "rt: a name the analyst's Docker has" ls job
same_text "rt: ls job: not found on this host, though the analyst's Docker has one" \
	'Could not find any container ID starting with "job"' "$(cat "$SCRATCH/err")"

# ---- a Docker host; the analyst's machine runs containerd and Podman ----
traced "$S" "sample: list all_containers" list all_containers
same_text "sample: list all_containers: the host's (docker inspect), none of the analyst's" \
	"$(jq -r '.[].Id' "$ORACLE/containers.inspect.json" | sort)" "$(jq -r '.[].container_id' "$SCRATCH/out" | sort)"
traced "$S" "sample: list volumes" list volumes
same_text "sample: list volumes (docker volume inspect)" \
	"$(jq -r '.[].Name' "$ORACLE/volumes.inspect.json")" "$(jq -r '.[].name' "$SCRATCH/out")"
traced "$S" "sample: list images" list images
same_text "sample: list images: the host's (docker images)" \
	"$(jq -r '.ID' "$ORACLE/images.jsonl" | sort -u)" "$(jq -r '.[].id' "$SCRATCH/out" | sort -u)"
traced "$S" "sample: list repositories" list repositories
same_text "sample: list repositories: the host's one file" "$S/var/lib/docker/image/overlay2/repositories.json" \
	"$(jq -r '.[].path' "$SCRATCH/out")"
traced "$S" "sample: timeline --all" timeline --all
same_text "sample: timeline --all: no container of the analyst's containerd or Podman" "" \
	"$(grep -o '^0|[^:|]*: container created|' "$SCRATCH/out" | cut -d'|' -f2 | grep -x 'pweb: container created\|pidle: container created\|oneshot: container created')"
traced "$S" "sample: a name only the analyst's Podman has" inspect pweb
same_text "sample: inspect pweb: not found" 'Could not find any container ID starting with "pweb"' \
	"$(head -1 "$SCRATCH/err")"
INNER
