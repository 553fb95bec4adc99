# `de download` against real registries on loopback (tests/e2e/lib-registry.sh):
# Debian's docker-registry (distribution 2.8) open, in its token-auth mode
# with a token server written for the tests, over TLS, and a fake registry
# for the bad answers. Images are built as OCI layouts and pushed with
# skopeo; what the registry holds (skopeo inspect --raw, the pushed blobs)
# is the oracle. No test reaches the internet.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/lib-registry.sh"
. "$TOP/tests/fixtures/lib-oci-image.sh"
if ! reg_need_tools; then
	bad "download: docker-registry and skopeo are needed (scripts/setup installs them)"
	exit 0
fi
scratch
cleanup() {
	reg_stop_all
	[ -n "${AUX_PID:-}" ] && kill "$AUX_PID" 2>/dev/null && wait "$AUX_PID" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
export DOCKER_CONFIG=$SCRATCH/no-docker-config   # the machine's own logins stay out
W=$SCRATCH/img
mkdir -p "$W"
MT_MAN=application/vnd.oci.image.manifest.v1+json

# --- the images ---
# app: one platform, lib-oci-image.sh's two layers (busybox rootfs, whiteouts)
oci_layers "download test"
HIST_APP='[{"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:0123 in / "},
	{"created":"2026-01-02T03:04:06Z","created_by":"/bin/sh -c rm /opt/app/remove-me.txt"}]'
APP_CFG=$(oci_config "$HIST_APP" "$DIFF1" "$DIFF2")
APP_MAN=$(oci_manifest "$APP_CFG" "$L1 $L1S" "$L2 $L2S")
oci_tag app "$MT_MAN" "$APP_MAN"
# multi: an index of linux/amd64 (the two layers) and linux/arm64 (its own layer)
mkdir -p "$W/arm/etc"
echo "arm64 rootfs" > "$W/arm/etc/issue"
read -r LA LAS DIFFA < <(oci_tar_layer "$W/arm")
ARM_CFG=$(ARCH=arm64 oci_config '[{"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:4567 in / "}]' "$DIFFA")
ARM_MAN=$(oci_manifest "$ARM_CFG" "$LA $LAS")
jq -cn --arg a "$APP_MAN" --arg r "$ARM_MAN" '{schemaVersion: 2,
	mediaType: "application/vnd.oci.image.index.v1+json", manifests: [
	{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: ($a|split(" ")[0]),
	 size: ($a|split(" ")[1]|tonumber), platform: {architecture: "amd64", os: "linux"}},
	{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: ($r|split(" ")[0]),
	 size: ($r|split(" ")[1]|tonumber), platform: {architecture: "arm64", os: "linux", variant: "v8"}}]}' \
	> "$W/index.json"
MULTI_IDX=$(put "$W/index.json")
oci_tag multi application/vnd.oci.image.index.v1+json "$MULTI_IDX"
# legacy: the config Docker 20.10's legacy builder made from
# tests/data/dockerfile-cases/Dockerfile (its history is the engine's), on
# the two layers above: the registry does not pair configs and layers
CASES=$TOP/tests/data/dockerfile-cases
cp "$CASES/docker-legacy/config.json" "$W/legacy.json"
LEG_CFG=$(put "$W/legacy.json")
LEG_MAN=$(oci_manifest "$LEG_CFG" "$L1 $L1S" "$L2 $L2S")
oci_tag legacy "$MT_MAN" "$LEG_MAN"
# buildkit: CONSTRUCTED — no BuildKit on Debian 12 — a history in the forms
# BuildKit writes ("RUN /bin/sh -c … # buildkit", "COPY … # buildkit", bare
# ENV/WORKDIR/USER, EXPOSE as Go's map[…], the comment buildkit.dockerfile.v0)
# for the Dockerfile in BK_DOCKERFILE below
BK_HIST='[{"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:0123 in / "},
 {"created":"2026-01-02T03:04:06Z","created_by":"/bin/sh -c #(nop)  CMD [\"sh\"]","empty_layer":true},
 {"created":"2026-01-02T03:05:00Z","created_by":"ENV APP_MODE=production","comment":"buildkit.dockerfile.v0","empty_layer":true},
 {"created":"2026-01-02T03:05:00Z","created_by":"WORKDIR /srv/www","comment":"buildkit.dockerfile.v0","empty_layer":true},
 {"created":"2026-01-02T03:05:01Z","created_by":"RUN /bin/sh -c rm /opt/app/remove-me.txt # buildkit","comment":"buildkit.dockerfile.v0"},
 {"created":"2026-01-02T03:05:01Z","created_by":"EXPOSE map[8080/tcp:{}]","comment":"buildkit.dockerfile.v0","empty_layer":true},
 {"created":"2026-01-02T03:05:01Z","created_by":"USER www","comment":"buildkit.dockerfile.v0","empty_layer":true}]'
BK_DOCKERFILE='ADD
CMD ["sh"]
ENV APP_MODE=production
WORKDIR /srv/www
RUN rm /opt/app/remove-me.txt
EXPOSE 8080/tcp
USER www'
BK_CFG=$(oci_config "$BK_HIST" "$DIFF1" "$DIFF2")
BK_MAN=$(oci_manifest "$BK_CFG" "$L1 $L1S" "$L2 $L2S")
oci_tag buildkit "$MT_MAN" "$BK_MAN"
# corrupt: its own layer, whose blob is damaged in the registry's storage below
mkdir -p "$W/cor"
echo "to be corrupted" > "$W/cor/file"
read -r LC LCS DIFFC < <(oci_tar_layer "$W/cor")
COR_CFG=$(oci_config '[{"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file:89ab in / "}]' "$DIFFC")
COR_MAN=$(oci_manifest "$COR_CFG" "$LC $LCS")
oci_tag corrupt "$MT_MAN" "$COR_MAN"

# --- an open registry, and the pushes ---
REGDIR=$SCRATCH/reg
t0=$(date +%s%N)
if ! PA=$(reg_start "$REGDIR" 127.0.0.1 http); then
	bad "download: the registry started"; exit 0
fi
ok "download: docker-registry started in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
A=127.0.0.1:$PA
for t in app legacy buildkit corrupt; do reg_push "$OCI" $t "$A/case/$t:1"; done
reg_push "$OCI" multi "$A/case/multi:1" --all
reg_push "$OCI" app "$A/public/app:1"
reg_push "$OCI" app "$A/private/app:1"
check "download: skopeo pushed the images" reg_skopeo inspect --raw --tls-verify=false "docker://$A/case/multi:1"

# layer_files DIR: the layer files, sorted
layer_files() { (cd "$1" && ls ./*.tgz 2>/dev/null | sed 's|^\./||' | sort); }
# manifest_layers JSON: "<hex>.tgz" of each layer, sorted
manifest_layers() { jq -r '.layers[].digest | sub("^sha256:"; "") + ".tgz"' <<<"$1" | sort; }
# layers_verified DIR: each file's bytes hash to its name and are the blob pushed
layers_verified() {
	local f
	for f in "$1"/*.tgz; do
		[ "$(sha < "$f").tgz" = "$(basename "$f")" ] || return 1
		cmp -s "$f" "$B/$(basename "$f" .tgz)" || return 1
	done
}

# --- all, single platform ---
O=$SCRATCH/out
"$DE" download all "$A/case/app:1" -o "$O/app" 2>"$SCRATCH/err"; rc=$?
check "download all: exits 0" test $rc -eq 0
RAW=$(reg_skopeo inspect --raw --tls-verify=false "docker://$A/case/app:1")
same_text "download all: manifest.json is the manifest skopeo pushed" "$RAW" "$(cat "$O/app/manifest.json")"
same_text "download all: config.json is the config skopeo pushed" \
	"$(reg_skopeo inspect --raw --config --tls-verify=false "docker://$A/case/app:1")" "$(cat "$O/app/config.json")"
same_text "download all: one <hex>.tgz per layer of the manifest" "$(manifest_layers "$RAW")" "$(layer_files "$O/app")"
check "download all: each layer hashes to its digest and is the blob pushed" layers_verified "$O/app"
check "download all: a Dockerfile" grep -qx 'FROM scratch' "$O/app/Dockerfile"
same_text "download all: nothing else in the directory" \
	"$( (echo Dockerfile; echo config.json; echo manifest.json; manifest_layers "$RAW") | sort)" \
	"$(ls -A "$O/app" | sort)"
check "download all: one line on stderr per file written" \
	test "$(grep -c '^de: wrote ' "$SCRATCH/err")" -eq 5

# never overwrite: all again fails before writing; layers again keeps the verified files
before=$(cd "$O/app" && sha256sum ./* | sort)
"$DE" download all "$A/case/app:1" -o "$O/app" 2>"$SCRATCH/err"; rc=$?
check "download all again: exits 1" test $rc -eq 1
check "download all again: says the file exists" grep -q 'already exists; de does not overwrite' "$SCRATCH/err"
"$DE" download layers "$A/case/app:1" -o "$O/app" 2>"$SCRATCH/err"; rc=$?
check "download layers again: exits 0, keeping the layers whose bytes match" \
	test $rc -eq 0 -a "$(grep -c '^de: kept ' "$SCRATCH/err")" -eq 2
same_text "download again: no file changed" "$before" "$(cd "$O/app" && sha256sum ./* | sort)"
mkdir -p "$O/bad"
echo garbage > "$O/bad/$(manifest_layers "$RAW" | head -1)"
"$DE" download layers "$A/case/app:1" -o "$O/bad" 2>"$SCRATCH/err"; rc=$?
check "download layers over another file of that name: exits 1, file left" \
	test $rc -eq 1 -a "$(cat "$O/bad/$(manifest_layers "$RAW" | head -1)")" = garbage

# the default directory: de.py's <repository>/<image>/<tag> under the working directory
mkdir -p "$SCRATCH/cwd"
(cd "$SCRATCH/cwd" && "$DE" download layers "$A/case/app:1" 2>/dev/null); rc=$?
check "download layers: default directory 127.0.0.1:PORT/case/app/1" \
	test $rc -eq 0 -a "$(layer_files "$SCRATCH/cwd/$A/case/app/1")" = "$(manifest_layers "$RAW")"
(cd "$SCRATCH/cwd" && "$DE" download dockerfile "$A/case/app@$(sha256sum < "$O/app/manifest.json" | cut -d' ' -f1 | sed 's/^/sha256:/')" 2>/dev/null); rc=$?
check "download dockerfile by digest: directory named by the digest" \
	test $rc -eq 0 -a -f "$SCRATCH/cwd/$A/case/app/sha256:$(sha < "$O/app/manifest.json")/Dockerfile"

# progress on a terminal (script(1) gives de one): bytes of total per layer,
# and no progress when stderr is not a terminal (the runs above)
script -qc "'$DE' download layers '$A/case/app:1' -o '$O/tty'" /dev/null < /dev/null > "$SCRATCH/tty" 2>&1
check "download on a terminal: progress, bytes of total, for each layer" \
	test "$(tr '\r' '\n' < "$SCRATCH/tty" | grep -cE '^[0-9a-f]{12}…  [0-9.]+ of [0-9.]+ (bytes|KiB|MiB)$' | tr -d ' ')" -ge 2
check "download on a terminal: the layers, verified" layers_verified "$O/tty"

# dockerfile to stdout
got=$("$DE" download dockerfile "$A/case/app:1" -o - 2>"$SCRATCH/err"); rc=$?
check "download dockerfile -o -: exits 0" test $rc -eq 0
same_text "download dockerfile -o -: the Dockerfile that all wrote" "$(cat "$O/app/Dockerfile")" "$got"
check "download dockerfile -o -: nothing on stderr" test ! -s "$SCRATCH/err"

# --- multi-platform ---
IRAW=$(reg_skopeo inspect --raw --tls-verify=false "docker://$A/case/multi:1")
AMD=$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' <<<"$IRAW")
ARM=$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' <<<"$IRAW")
"$DE" download all "$A/case/multi:1" -o "$O/multi" 2>/dev/null; rc=$?
check "download all multi: exits 0" test $rc -eq 0
same_text "download all multi: index.json is the index skopeo pushed" "$IRAW" "$(cat "$O/multi/index.json")"
same_text "download all multi: manifest.json is linux/amd64's (default)" \
	"$(reg_skopeo inspect --raw --tls-verify=false "docker://$A/case/multi@$AMD")" "$(cat "$O/multi/manifest.json")"
check "download all multi: amd64's layers, verified" layers_verified "$O/multi"
same_text "download all multi: amd64's layer files" "$(manifest_layers "$(cat "$O/multi/manifest.json")")" "$(layer_files "$O/multi")"
"$DE" download all "$A/case/multi:1" --platform linux/arm64 -o "$O/arm" 2>/dev/null; rc=$?
ARAW=$(reg_skopeo inspect --raw --tls-verify=false "docker://$A/case/multi@$ARM")
same_text "download --platform linux/arm64: arm64's manifest" "$ARAW" "$(cat "$O/arm/manifest.json" 2>/dev/null)"
same_text "download --platform linux/arm64: arm64's layer" "$(manifest_layers "$ARAW")" "$(layer_files "$O/arm")"
check "download --platform linux/arm64: verified" layers_verified "$O/arm"
same_text "download --platform linux/arm64: its config" \
	"$(reg_skopeo inspect --raw --config --tls-verify=false "docker://$A/case/multi@$ARM")" "$(cat "$O/arm/config.json")"
err=$("$DE" download layers "$A/case/multi:1" --platform linux/s390x -o "$O/none" 2>&1); rc=$?
same_text "download --platform absent: the error names the platforms there are" \
	"$A/case/multi:1: no manifest for the platform linux/s390x in the index; it has: linux/amd64, linux/arm64/v8" "$err"
check "download --platform absent: exits 1, no directory made" test $rc -eq 1 -a ! -e "$O/none"

err=$("$DE" download layers "$A/case/app:1" --platform linux/arm64 -o "$O/none" 2>&1); rc=$?
same_text "download --platform of a single-platform image of another: refused" \
	"$A/case/app:1: not a multi-platform image, and its config says linux/amd64, not linux/arm64" "$err"
check "download --platform of a single-platform image of another: exits 1" test $rc -eq 1 -a ! -e "$O/none"
"$DE" download layers "$A/case/app:1" --platform linux/amd64 -o "$O/amd" 2>/dev/null; rc=$?
check "download --platform of a single-platform image of that platform: exits 0" test $rc -eq 0

# --- pseudo-Dockerfiles ---
# legacy builder: the instructions are the Dockerfile's, in order (the
# imported base has no command: a comment)
got=$("$DE" download dockerfile "$A/case/legacy:1" -o - 2>/dev/null)
same_text "download dockerfile: the legacy builder's steps are the Dockerfile's instructions" \
	"$(grep -v '^FROM ' "$CASES/Dockerfile" | cut -d' ' -f1)" \
	"$(grep -v '^#' <<<"$got" | grep -v '^FROM scratch$' | cut -d' ' -f1)"
same_text "download dockerfile: a RUN as written" "RUN mkdir -p /srv/www && echo hello > /srv/www/index.html" \
	"$(grep '^RUN mkdir' <<<"$got")"
got=$("$DE" download dockerfile "$A/case/buildkit:1" -o - 2>/dev/null)
same_text "download dockerfile: BuildKit forms (constructed history) read as instructions" \
	"$BK_DOCKERFILE" "$(grep -v '^#' <<<"$got" | grep -v '^FROM scratch$' | sed 's/^ADD .*/ADD/')"

# --- the wrong inputs ---
err=$("$DE" download layers "$A/case/app:nope" -o "$O/x" 2>&1); rc=$?
check "download unknown tag: exits 1" test $rc -eq 1
same_text "download unknown tag: HTTP 404 MANIFEST_UNKNOWN, the reference, the tags there are" \
	"$A/case/app:nope: GET /v2/case/app/manifests/nope: HTTP 404 MANIFEST_UNKNOWN: manifest unknown (the repository's tags: 1)" "$err"
err=$("$DE" download layers "$A/case/nothere:1" -o "$O/x" 2>&1); rc=$?
same_text "download unknown repository: MANIFEST_UNKNOWN, then NAME_UNKNOWN from the tag list" \
	"$A/case/nothere:1: GET /v2/case/nothere/manifests/1: HTTP 404 MANIFEST_UNKNOWN: manifest unknown (GET /v2/case/nothere/tags/list: HTTP 404 NAME_UNKNOWN: repository name not known to registry)" "$err"
check "download unknown: nothing written" test ! -e "$O/x"
# a corrupted blob: one byte of the layer changed in the registry's storage
hex=${LC#sha256:}
data=$REGDIR/store/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data
printf 'X' | dd of="$data" bs=1 seek=20 conv=notrunc status=none
err=$("$DE" download all "$A/case/corrupt:1" -o "$O/cor" 2>&1); rc=$?
check "download corrupted blob: exits 1" test $rc -eq 1
check "download corrupted blob: digest mismatch named" grep -q "layer $LC: GET /v2/case/corrupt/blobs/$LC: digest mismatch: the bytes hash to sha256:$(sha < "$data")" <<<"$err"
check "download corrupted blob: the layer file is deleted" test ! -e "$O/cor/$hex.tgz"
check "download corrupted blob: no temporary file left" test -z "$(ls -A "$O/cor" | grep -v -e '^manifest.json$' -e '^config.json$' -e '^Dockerfile$')"
err=$("$DE" download layers "Case/App" 2>&1); rc=$?
same_text "download bad reference: usage error" "Case/App: invalid reference: repository name must be lowercase" "$err"
check "download bad reference: exits 2" test $rc -eq 2

