# lib-registry.sh — sourced by t_download.sh: real registries on loopback
# and images pushed into them, no network.
#
#  - Debian's docker-registry (the distribution project's registry 2.8),
#    started on a free 127.0.0.1 port with its storage in the scratch dir,
#    stopped by reg_stop_all (the test's EXIT trap);
#  - images built as OCI layouts the way lib-oci-image.sh builds the
#    fixtures' layers, pushed with skopeo copy (the engine of the push: the
#    registry's content is what skopeo made of the layouts, and
#    `skopeo inspect --raw` is the oracle for the manifests and configs);
#  - registry-aux.py beside this file: the token server, the blob storage
#    the redirect middleware points at, and a fake registry's bad answers.

REG_PIDS=()

# The tools are Debian packages; scripts/setup installs what is missing.
reg_need_tools() {
	local t
	for t in docker-registry skopeo openssl python3 curl jq; do
		command -v "$t" >/dev/null && continue
		"$TOP/scripts/setup" >&2 || return 1
		break
	done
	command -v docker-registry >/dev/null && command -v skopeo >/dev/null
}

reg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# reg_wait URL PID: until URL answers (any HTTP status) or PID dies; 10 s at most.
reg_wait() {
	local i
	for i in $(seq 200); do
		kill -0 "$2" 2>/dev/null || return 1
		[ "$(curl -sk -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0
		sleep 0.05
	done
	return 1
}

# reg_start DIR ADDR SCHEME [EXTRA_YAML]: a registry whose storage is
# DIR/store (shared by registries given the same DIR), listening on ADDR
# (an IP); prints its port. A port taken between choosing it and binding it
# is chosen again (three times).
reg_start() {
	local dir=$1 addr=$2 scheme=$3 extra=${4:-} try port conf pid
	mkdir -p "$dir/store"
	for try in 1 2 3; do
		port=$(python3 -c "import socket; s = socket.socket(); s.bind((\"$addr\", 0)); print(s.getsockname()[1])")
		conf=$dir/config-$port.yml
		cat > "$conf" <<-EOF
		version: 0.1
		log:
		  level: error
		  accesslog:
		    disabled: true
		storage:
		  filesystem:
		    rootdirectory: $dir/store
		  delete:
		    enabled: true
		http:
		  addr: $addr:$port
		$extra
		EOF
		docker-registry serve "$conf" > "$dir/registry-$port.log" 2>&1 &
		pid=$!
		if reg_wait "$scheme://$addr:$port/v2/" "$pid"; then
			REG_PIDS+=("$pid")
			echo "$port"
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "registry did not start: $(tail -3 "$dir/registry-$port.log")" >&2
	return 1
}

reg_stop_all() {
	local p
	for p in "${REG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	REG_PIDS=()
}

# skopeo with a policy of its own (the machine's may be missing or strict).
reg_skopeo() {
	[ -f "$SCRATCH/policy.json" ] ||
		echo '{"default": [{"type": "insecureAcceptAnything"}]}' > "$SCRATCH/policy.json"
	skopeo --policy "$SCRATCH/policy.json" "$@"
}

# reg_push LAYOUT REF DEST [--all]: skopeo copy oci:LAYOUT:REF docker://DEST.
reg_push() {
	reg_skopeo copy -q ${4:-} --dest-tls-verify=false "oci:$1:$2" "docker://$3" >/dev/null
}

# --- images ---

# oci_blob FILE: stored in the layout's blobs; prints "DIGEST SIZE" (lib-oci-image.sh's put).
oci_blob() { put "$1"; }

# oci_tar_layer DIR: DIR's tree as a gzip layer blob; prints "DIGEST SIZE DIFF_ID".
oci_tar_layer() {
	local t=$W/layer.$$.$RANDOM
	layer_tar "$1" > "$t.tar"
	local diff
	diff=sha256:$(sha < "$t.tar")
	gzip -n -9 < "$t.tar" > "$t.tgz"
	rm -f "$t.tar"
	echo "$(put "$t.tgz") $diff"
}

# oci_config HISTORY_JSON DIFF_ID... : an image config for linux/amd64
# (ARCH overrides) with that history; prints "DIGEST SIZE".
oci_config() {
	local hist=$1
	shift
	jq -cn --arg arch "${ARCH:-amd64}" --argjson h "$hist" '$ARGS.positional as $d | {
		architecture: $arch, os: "linux", created: "2026-01-02T03:04:05Z",
		config: {Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
			Cmd: ["sh"]},
		rootfs: {type: "layers", diff_ids: $d}, history: $h}' --args "$@" > "$W/cfg.json"
	put "$W/cfg.json"
}

# oci_manifest "CFG_DIGEST SIZE" "LAYER_DIGEST SIZE"...: an OCI image
# manifest; prints "DIGEST SIZE".
oci_manifest() {
	local cfg=$1
	shift
	jq -cn --arg c "$cfg" '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json",
			digest: ($c|split(" ")[0]), size: ($c|split(" ")[1]|tonumber)},
		layers: [$ARGS.positional[] | split(" ") |
			{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
			 digest: .[0], size: (.[1]|tonumber)}]}' --args "$@" > "$W/man.json"
	put "$W/man.json"
}

# oci_tag NAME MEDIA_TYPE "DIGEST SIZE": the layout's index.json gets NAME.
oci_tag() {
	local idx=$OCI/index.json
	[ -f "$idx" ] || echo '{"schemaVersion": 2, "manifests": []}' > "$idx"
	echo '{"imageLayoutVersion": "1.0.0"}' > "$OCI/oci-layout"
	jq --arg n "$1" --arg mt "$2" --arg d "$3" '.manifests += [{mediaType: $mt,
		digest: ($d|split(" ")[0]), size: ($d|split(" ")[1]|tonumber),
		annotations: {"org.opencontainers.image.ref.name": $n}}]' "$idx" > "$idx.new"
	mv "$idx.new" "$idx"
}
