# `history IMAGE` and `history --format dockerfile`, on the hosts the real
# engines made, against what the engines said and the files they built from:
#  - sample host (Docker 20.10, legacy builder): the pseudo-Dockerfile of
#    sample/web:2.0, instruction by instruction, equals the Dockerfile in
#    make-sample-host.sh; history IMAGE's JSON is history CONTAINER's and
#    docker history's chain, by every form of its name and ID;
#  - trial host (Docker 20.10 and Podman 4.3 on one root): trial/web:1 (the
#    legacy builder) and localhost/trial/built:1 (podman build) against
#    their Dockerfile and Containerfile in make-trial-host.sh, the image
#    each build started from named as the engines name it; trial/committed:1
#    (docker commit): its step a comment naming the container; JSON as
#    docker history and podman history; the look-up's errors (a name of
#    both engines, a prefix of containers and images of both, unknown);
#  - runtimes host (containerd 1.6, Podman): containerd images by name in a
#    namespace, against the config blob ctr listed; Podman's by localhost/;
#  - docker29 host: Docker's containerd image store, against ctr's config;
#  - layout v1 (constructed: no engine here writes it): the graph chain.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "history IMAGE: extracting the fixtures needs root"; exit 0; fi
scratch
FIX=$TOP/tests/fixtures

# The here-document a fixture script fed the builder: dockerfile_of SCRIPT WORD
dockerfile_of() { sed -n "/<<'$2'\$/,/^$2\$/p" "$1" | sed '1d;$d'; }
# The instructions of a pseudo-Dockerfile: its lines but comments and FROM scratch
instructions() { grep -v -e '^#' -e '^FROM scratch$'; }
# The instructions after the line saying where the build started
after_from() { sed -n '/^# ---- the build started FROM /,$p' | sed 1d | instructions; }

# --- the sample host ----------------------------------------------------------------
H=$SCRATCH/sample
extract_sample "$H"
R=$H/var/lib/docker
img_id() { jq -r --arg t "$2" '.[] | select(.RepoTags | index($t)) | .Id' "$1"; }
WEB=$(img_id "$ORACLE/images.inspect.json" sample/web:2.0)
BASE=$(img_id "$ORACLE/images.inspect.json" sample/base:1.0)
DF=$(dockerfile_of "$FIX/make-sample-host.sh" DOCKERFILE)

want=$("$DE" -r "$R" history web --show-empty)
for ref in sample/web:2.0 docker.io/sample/web:2.0 registry.example.com/team/web:latest \
	"$WEB" "${WEB#sha256:}" "${WEB:7:10}" docker:sample/web:2.0; do
	got=$("$DE" -r "$R" history "$ref" --show-empty 2>"$SCRATCH/err"); rc=$?
	check "sample: history $ref: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "sample: history $ref: the JSON of history web (its container)" "$want" "$got"
done
same_text "sample: history IMAGE: the chain's steps are docker history's rows" \
	"$(jq -r '[.ID, .CreatedBy] | @tsv' "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$("$DE" -r "$R" history sample/web:2.0 --show-empty |
	   jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .created_by // ""] | @tsv')"

df=$("$DE" -r "$R" history sample/web:2.0 --format dockerfile 2>"$SCRATCH/err"); rc=$?
check "sample: --format dockerfile: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "sample: the build's instructions are the Dockerfile's, one by one" \
	"$(grep -v '^FROM ' <<<"$DF")" "$(after_from <<<"$df")"
same_text "sample: the build started FROM the Dockerfile's base, named and with its ID" \
	"# ---- the build started FROM $(head -1 <<<"$DF" | sed 's/^FROM //') ($BASE): the step above is that image's ----" \
	"$(grep '^# ---- ' <<<"$df")"
same_text "sample: FROM in the Dockerfile is that image" "FROM sample/base:1.0" "$(head -1 <<<"$DF")"
same_text "sample: the base's own step, before it: docker import's comment, no command" \
	"# $(jq -r .Comment "$ORACLE/history.sample_base_1.0.jsonl")
# no command recorded (an imported or squashed layer): $(jq -r --arg id "$BASE" \
	'.[] | select(.Id == $id) | .RootFS.Layers[0]' "$ORACLE/images.inspect.json")" \
	"$(sed -n '/^FROM scratch$/,/^# ---- /p' <<<"$df" | sed '1d;$d')"
check "sample: the header names the image by ID and tags" \
	grep -qF "# Pseudo-Dockerfile of image $WEB (registry.example.com/team/web:latest, sample/web:2.0), rebuilt by de from its history ($(wc -l < "$ORACLE/history.sample_web_2.0.jsonl") steps)." <<<"$df"
same_text "sample: history CONTAINER --format dockerfile: the same, the container named" \
	"$(sed 1d <<<"$df")" "$("$DE" -r "$R" history web --format dockerfile | sed 1d)"
check "sample: history CONTAINER --format dockerfile: the header names the container" \
	grep -q "^# Pseudo-Dockerfile of image $WEB (.*) of container /web, " \
	<("$DE" -r "$R" history web --format dockerfile)
"$DE" -r "$R" history sample/web:2.0 --format dockerfile -o "$SCRATCH/Dockerfile"
same_text "sample: -o FILE holds the same text" "$df" "$(cat "$SCRATCH/Dockerfile")"
err=$("$DE" -r "$R" history sample/web:2.0 --format yaml 2>&1 >/dev/null); rc=$?
check "sample: --format yaml: a usage error (2)" test $rc -eq 2
same_text "sample: --format yaml: named" '--format: "yaml" is not a format (json, dockerfile)' \
	"$(head -1 <<<"$err")"

# --- the trial host -----------------------------------------------------------------
H=$SCRATCH/trial
extract_trial "$H"
TO=$TRIAL_ORACLE
did() { jq -r --arg n "/$1" '.[] | select(.Name == $n) | .Id' "$TO/docker-containers.inspect.json"; }
dimg() { jq -r --arg r "$1" --arg t "$2" 'select(.Repository == $r and .Tag == $t) | .ID' "$TO/docker-images.jsonl"; }
pimg() { jq -r --arg n "$1" '.[] | select((.Names // []) | index($n)) | "sha256:" + .Id' "$TO/podman-images.json"; }
T_WEB=$(dimg trial/web 1) T_BASE=$(dimg trial/base 1) T_COMMITTED=$(dimg trial/committed 1)
P_BUILT=$(pimg localhost/trial/built:1) P_BASE=$(pimg localhost/trial/base:1)
TDF=$(dockerfile_of "$FIX/make-trial-host.sh" DOCKERFILE)
TCF=$(dockerfile_of "$FIX/make-trial-host.sh" CONTAINERFILE)

# Docker's legacy builder: trial/web:1
df=$("$DE" --root "$H" history trial/web:1 --format dockerfile 2>"$SCRATCH/err"); rc=$?
check "trial/web:1 --format dockerfile: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "trial/web:1: the build's instructions are the Dockerfile's, one by one" \
	"$(grep -v '^FROM ' <<<"$TDF")" "$(after_from <<<"$df")"
same_text "trial/web:1: the build started FROM trial/base:1, by its ID" \
	"# ---- the build started FROM trial/base:1 ($T_BASE): the step above is that image's ----" \
	"$(grep '^# ---- ' <<<"$df")"
same_text "trial/web:1: FROM in its Dockerfile" "FROM trial/base:1" "$(head -1 <<<"$TDF")"
same_text "trial/web:1: every docker history row is a line (steps: instructions or comments)" \
	"$(wc -l < "$TO/docker-history.trial_web_1.jsonl")" \
	"$(sed -n '/^FROM scratch$/,$p' <<<"$df" | grep -v -e '^FROM scratch$' -e '^# ---- ' -e '^# busybox-static rootfs$' | wc -l)"
h=$("$DE" --root "$H" history trial/web:1 --show-empty)
same_text "trial/web:1 JSON: each step once, on the image docker history names" \
	"$(jq -r '[.ID, .CreatedBy] | @tsv' "$TO/docker-history.trial_web_1.jsonl")" \
	"$(jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .created_by // ""] | @tsv' <<<"$h")"
same_text "trial/web:1 JSON: history web_attacked's" \
	"$("$DE" --root "$H" history web_attacked --show-empty)" "$h"

# docker commit: trial/committed:1
df=$("$DE" --root "$H" history trial/committed:1 --format dockerfile 2>"$SCRATCH/err"); rc=$?
check "trial/committed:1 --format dockerfile: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
row1=$(head -1 "$TO/docker-history.trial_committed_1.jsonl")
same_text "trial/committed:1: its step is a comment naming the container it was committed from" \
	"# $(jq -r .Comment <<<"$row1")
# docker commit of container $(did committer) (/committer), whose command was: $(jq -r .CreatedBy <<<"$row1")" \
	"$(tail -2 <<<"$df")"
same_text "trial/committed:1: no instruction made up for it" "" "$(after_from <<<"$df")"
same_text "trial/committed:1: made over trial/base:1" \
	"# ---- the build started FROM trial/base:1 ($T_BASE): the step above is that image's ----" \
	"$(grep '^# ---- ' <<<"$df")"
check "trial/committed:1: as many steps as docker history's rows" \
	grep -q "history ($(wc -l < "$TO/docker-history.trial_committed_1.jsonl") steps)" <<<"$df"
same_text "trial/committed:1 JSON: each step on the image docker history names" \
	"$(jq -r '[.ID, .CreatedBy] | @tsv' "$TO/docker-history.trial_committed_1.jsonl")" \
	"$("$DE" --root "$H" history trial/committed:1 --show-empty |
	   jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .created_by // ""] | @tsv')"

# podman build (Buildah): localhost/trial/built:1
df=$("$DE" --root "$H" history localhost/trial/built:1 --format dockerfile 2>"$SCRATCH/err"); rc=$?
check "trial/built:1 --format dockerfile: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "trial/built:1: the build's instructions are the Containerfile's, one by one" \
	"$(grep -v '^FROM ' <<<"$TCF")" "$(after_from <<<"$df")"
same_text "trial/built:1: Buildah's FROM comment, found in the store" \
	"# ---- the build started FROM localhost/trial/base:1 ($P_BASE, in this store): the step above is that image's ----" \
	"$(grep '^# ---- ' <<<"$df")"
same_text "trial/built:1: FROM in its Containerfile" "FROM localhost/trial/base:1" "$(head -1 <<<"$TCF")"
same_text "trial/built:1: the base's step, as podman history shows it (podman import)" \
	"$(jq -r '.[-1].CreatedBy | sub("^/bin/sh -c #\\(nop\\) "; "")' "$TO/podman-history.trial_built_1.json")" \
	"$(sed -n '/^FROM scratch$/,/^# ---- /p' <<<"$df" | instructions)"
want=$(jq -c "$JQ_ISO"'[.[] | {created_at: (.created | iso), created_by: .CreatedBy, comment, size}]' \
	"$TO/podman-history.trial_built_1.json")
for ref in localhost/trial/built:1 trial/built:1 podman:trial/built:1 containers-storage:built:1 \
	"${P_BUILT:7:8}" "$P_BUILT"; do
	same_text "trial: history $ref equals podman history" "$want" \
		"$("$DE" --root "$H" history "$ref" --show-empty | jq -c '[.[] | .layers[] | {created_at, created_by, comment, size}]')"
done

# the look-up: both engines hold trial/base:1 (Podman's as localhost/)
err=$("$DE" --root "$H" history trial/base:1 2>&1 >/dev/null); rc=$?
check "trial/base:1: ambiguous, exit 1" test $rc -eq 1
same_text "trial/base:1: names both images, each the way to ask for it alone" \
	"\"trial/base:1\" names 2 images: docker:${T_BASE:7:12} (trial/base:1), podman:${P_BASE:7:12} (localhost/trial/base:1) (choose one as RUNTIME:REF, as listed)" \
	"$err"
same_text "docker:trial/base:1 is Docker's" "$T_BASE" \
	"$("$DE" --root "$H" history docker:trial/base:1 | jq -r 'keys_unsorted[0]')"
same_text "podman:trial/base:1 is Podman's" "$P_BASE" \
	"$("$DE" --root "$H" history podman:trial/base:1 | jq -r 'keys_unsorted[0]')"
same_text "docker:${T_BASE:7:12}, as the message said, is Docker's" "$T_BASE" \
	"$("$DE" --root "$H" history "docker:${T_BASE:7:12}" | jq -r 'keys_unsorted[0]')"
# a prefix of containers of both engines and of images of both
err=$("$DE" --root "$H" history 6 2>&1 >/dev/null); rc=$?
check "prefix 6: ambiguous, exit 1" test $rc -eq 1
check "prefix 6: containers and images, and how to choose" \
	grep -q '^Too many container and image IDs starting with "6": .*(choose one as RUNTIME:REF, as listed, and its kind with --type container|image)$' <<<"$err"
same_text "prefix 6: every container and image of both engines starting with 6, by kind and runtime" \
	"$( { jq -r 'select(.ID | startswith("6")) | "container docker:" + .ID' "$TO/docker-ps.jsonl"
	      jq -r '.[] | select(.Id | startswith("6")) | "container podman:" + .Id' "$TO/podman-ps.json"
	      jq -r 'select(.ID | startswith("sha256:6")) | "image docker:" + .ID[7:]' "$TO/docker-images-a.jsonl"
	      jq -r '.[] | select(.Id | startswith("6")) | "image podman:" + .Id' "$TO/podman-images-a.json"
	    } | LC_ALL=C sort)" \
	"$(sed 's/^[^:]*: //; s/ (choose.*//' <<<"$err" | tr ',' '\n' | sed 's/^ //; s/ (.*//' | LC_ALL=C sort)"
same_text "prefix 6 --type image: the images only" \
	"$(jq -r 'select(.ID | startswith("sha256:6")) | .ID[7:]' "$TO/docker-images-a.jsonl" | wc -l) $(jq -r '.[] | select(.Id | startswith("6")) | .Id' "$TO/podman-images-a.json" | wc -l)" \
	"$("$DE" --root "$H" history --type image 6 2>&1 | grep -o 'docker:[0-9a-f]*' | wc -l) $("$DE" --root "$H" history --type image 6 2>&1 | grep -o 'podman:[0-9a-f]*' | wc -l)"
check "prefix 6 --type container: lookup's own message" \
	grep -q '^Too many container IDs starting with "6": ' <("$DE" --root "$H" history --type container 6 2>&1)
same_text "an image ID prefix is the image (no container has it)" "$T_WEB" \
	"$("$DE" --root "$H" history "${T_WEB:7:6}" | jq -r 'keys_unsorted[0]')"
err=$("$DE" --root "$H" history --type container "${T_WEB:7:6}" 2>&1 >/dev/null); rc=$?
same_text "--type container: the image prefix is no container (de.py's message)" \
	"Could not find any container ID starting with \"${T_WEB:7:6}\"" "$(head -1 <<<"$err")"
err=$("$DE" --root "$H" history --type image web_attacked 2>&1 >/dev/null); rc=$?
same_text "--type image: a container's name is no image" \
	'Could not find any image named or with an ID starting with "web_attacked"' "$err"
check "--type image: not found exits 1" test $rc -eq 1
err=$("$DE" --root "$H" history trial/wbe:1 2>&1 >/dev/null); rc=$?
same_text "unknown image: the message (a reference: no container line)" \
	'Could not find any image named or with an ID starting with "trial/wbe:1"' "$(head -1 <<<"$err")"
check "unknown image: the nearest name first" grep -q '^did you mean: trial/web:1 (docker)' <<<"$err"
check "unknown image exits 1" test $rc -eq 1
err=$("$DE" --root "$H" history --type bogus web_attacked 2>&1 >/dev/null); rc=$?
check "--type bogus: a usage error (2)" test $rc -eq 2
same_text "--type bogus: named" '--type: "bogus" is not a kind (container, image)' "$(head -1 <<<"$err")"

# --- the runtimes host: containerd and Podman ----------------------------------------
H=$SCRATCH/runtimes
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H"
target() { awk -v r="$2" '$1 == r { print $3 }' "$RO/ctr.$1.images.txt"; }
# the config blob of a manifest, by the gc label ctr listed
config_of() { awk -v d="$2" '$1 == d { print $NF }' "$RO/ctr.$1.content.txt" |
	tr ',' '\n' | sed -n 's/^containerd.io\/gc.ref.content.config=sha256://p'; }
BLOBS=$H/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256
DD=$(target default docker.io/library/busybox:de-docker)
err=$("$DE" --root "$H" history docker.io/library/busybox:de-docker 2>&1 >/dev/null); rc=$?
same_text "containerd: an image in two namespaces is two candidates" \
	"\"docker.io/library/busybox:de-docker\" names 2 images: containerd:default/${DD:7:12} (docker.io/library/busybox:de-docker), containerd:k8s.io/${DD:7:12} (docker.io/library/busybox:de-docker) (choose one as RUNTIME:REF, as listed)" \
	"$err"
check "containerd: ambiguous exits 1" test $rc -eq 1
cfg=$BLOBS/$(config_of default "$DD")
for ref in containerd:default/busybox:de-docker default/docker.io/library/busybox:de-docker \
	"containerd:default/${DD:7:12}" "default/$DD"; do
	got=$("$DE" --root "$H" history "$ref" --show-empty 2>"$SCRATCH/err"); rc=$?
	check "containerd: history $ref: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "containerd: history $ref: the image by its target digest, steps of its config" \
		"$DD $(jq -c '[.history | reverse[] | .created_by]' "$cfg")" \
		"$(jq -r 'keys_unsorted[0]' <<<"$got") $(jq -c '[.[].layers[].created_by]' <<<"$got")"
done
df=$("$DE" --root "$H" history containerd:k8s.io/busybox:de-docker --format dockerfile)
same_text "containerd: steps that are no instruction are comments, none dropped" \
	"$(jq -r '.history[] | "# not an instruction de can read: " + .created_by' "$cfg")" \
	"$(sed -n '/^FROM scratch$/,$p' <<<"$df" | sed 1d)"
same_text "containerd: the container's image is the same pseudo-Dockerfile" \
	"$(sed 1d <<<"$df")" "$("$DE" --root "$H" history k8s.io/idle --format dockerfile | sed 1d)"
want=$(jq -c "$JQ_ISO"'[.[] | {created_at: (.created | iso), created_by: .CreatedBy, comment, size}]' \
	"$RO/podman-history.busybox-static.json")
for ref in busybox-static:1.0 localhost/busybox-static:1.0 podman:busybox-static:1.0; do
	same_text "podman: history $ref (localhost/ implied) equals podman history" "$want" \
		"$("$DE" --root "$H" history "$ref" --show-empty | jq -c '[.[] | .layers[] | {created_at, created_by, comment, size}]')"
done
err=$("$DE" --root "$H" history docker:busybox 2>&1 >/dev/null); rc=$?
check "docker: on a host without Docker: no such root, exit 1" test $rc -eq 1
check "docker: on a host without Docker: the roots of the run named" \
	grep -q '^"docker:busybox": no docker data root in this run (its data roots: ' <<<"$err"

# --- Docker 29's containerd image store ------------------------------------------------
H=$SCRATCH/d29
O29=$TOP/tests/data/docker29-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/docker29-host/docker29-host.tar.gz" -C "$H"
R=$H/var/lib/docker
W29=$(awk '$1 == "docker.io/library/busybox:de29" { print $3 }' "$O29/ctr.moby.images.txt")
J29=$(awk '$1 == "docker.io/de/job:1.0" { print $3 }' "$O29/ctr.moby.images.txt")
same_text "docker29: history busybox:de29 (docker.io/library/ implied) is history web's" \
	"$("$DE" -r "$R" history web)" "$("$DE" -r "$R" history busybox:de29)"
same_text "docker29: by its target digest" "$W29" "$("$DE" -r "$R" history "$W29" | jq -r 'keys_unsorted[0]')"
same_text "docker29: de/job:1.0 (docker.io/ implied)" "$J29" \
	"$("$DE" -r "$R" history de/job:1.0 | jq -r 'keys_unsorted[0]')"
for n in web job; do
	ref=$([ $n = web ] && echo busybox:de29 || echo de/job:1.0)
	same_text "docker29: $ref --format dockerfile: BuildKit's steps, instruction by instruction" \
		"$(jq -r '.history[] | .created_by | sub(" # buildkit$"; "")' "$O29/ctr.moby.config.$n.json")" \
		"$("$DE" -r "$R" history "$ref" --format dockerfile | instructions)"
done

# --- layout v1 (constructed by make-legacy-layouts.sh: no engine writes it) ---------
bash "$FIX/make-legacy-layouts.sh" "$SCRATCH/legacy" >/dev/null
R=$SCRATCH/legacy/aufs-v1/var/lib/docker
df=$("$DE" -r "$R" history busybox --format dockerfile 2>"$SCRATCH/err"); rc=$?
check "v1: busybox (repositories-aufs) --format dockerfile: exit 0" test $rc -eq 0 -a ! -s "$SCRATCH/err"
check "v1: says there is no config history" \
	grep -q '^# layout v1 (Docker < 1.10) keeps no image config history' <<<"$df"
# the chain from the tag, oldest layer first
l=$(jq -r '.Repositories.busybox.latest' "$R/repositories-aufs") chain=()
while [ -n "$l" ]; do chain=("$l" "${chain[@]}"); l=$(jq -r '.parent // empty' "$R/graph/$l/json"); done
same_text "v1: each graph layer's container_config.Cmd, oldest first" \
	"$(for l in "${chain[@]}"; do
	     jq -r '.container_config.Cmd | join(" ") | sub("^/bin/sh -c #\\(nop\\) "; "")' "$R/graph/$l/json"; done)" \
	"$(instructions <<<"$df")"
same_text "v1: history busybox is history legacy's" \
	"$("$DE" -r "$R" history legacy)" "$("$DE" -r "$R" history busybox)"
