# `de download` and authentication, transport and bad answers, against real
# registries on loopback (tests/e2e/lib-registry.sh): Debian's
# docker-registry in its `auth: token` mode, trusting a certificate made
# here by openssl, with registry-aux.py's token server (JWTs signed by
# `openssl dgst`) and blob storage (the registry's redirect middleware sends
# blob downloads there, as registries send them to S3); the same registry
# over TLS; and registry-aux.py's fake registry for the answers a real one
# gives only on a bad day (429, 403, a huge manifest, a redirect loop).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/lib-registry.sh"
. "$TOP/tests/fixtures/lib-oci-image.sh"
if ! reg_need_tools; then
	bad "download auth: docker-registry and skopeo are needed (scripts/setup installs them)"
	exit 0
fi
scratch
cleanup() {
	reg_stop_all
	[ -n "${AUX_PID:-}" ] && kill "$AUX_PID" 2>/dev/null && wait "$AUX_PID" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
export DOCKER_CONFIG=$SCRATCH/no-docker-config
W=$SCRATCH/img
mkdir -p "$W"
oci_layers "download auth test"
CFG=$(jq -cn --arg d1 "$DIFF1" --arg d2 "$DIFF2" '{architecture: "amd64", os: "linux",
	rootfs: {type: "layers", diff_ids: [$d1, $d2]}, history: [{created_by: "/bin/sh -c #(nop) ADD file:0 in / "},
	{created_by: "/bin/sh -c true"}]}' > "$W/cfg.json" && put "$W/cfg.json")
manifest application/vnd.oci.image.manifest.v1+json application/vnd.oci.image.config.v1+json \
	application/vnd.oci.image.layer.v1.tar+gzip "$CFG" > "$W/man.json"
MAN=$(put "$W/man.json")
echo '{"imageLayoutVersion": "1.0.0"}' > "$OCI/oci-layout"
jq -cn --arg d "$MAN" '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
	digest: ($d|split(" ")[0]), size: ($d|split(" ")[1]|tonumber),
	annotations: {"org.opencontainers.image.ref.name": "app"}}]}' > "$OCI/index.json"

# layers_ok DIR: the two layers, each hashing to its name, the blobs pushed
layers_ok() {
	local f n=0
	for f in "$1"/*.tgz; do
		[ -f "$f" ] && [ "$(sha < "$f").tgz" = "$(basename "$f")" ] &&
			cmp -s "$f" "$B/$(basename "$f" .tgz)" || return 1
		n=$((n + 1))
	done
	[ $n -eq 2 ]
}

# an open registry to push into; the others share its storage
REGDIR=$SCRATCH/reg
PA=$(reg_start "$REGDIR" 127.0.0.1 http) || { bad "download auth: the registry started"; exit 0; }
reg_push "$OCI" app "127.0.0.1:$PA/public/app:1"
reg_push "$OCI" app "127.0.0.1:$PA/private/app:1"

# --- token auth ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SCRATCH/tok.key" -out "$SCRATCH/tok.pem" \
	-days 2 -subj /CN=de-test-token-issuer 2>/dev/null
python3 "$TOP/tests/e2e/registry-aux.py" --key "$SCRATCH/tok.key" --cert "$SCRATCH/tok.pem" \
	--issuer de-test-issuer --service de-test-registry --user tester:s3cret --public public/ \
	--storage "$REGDIR/store" --log "$SCRATCH/aux.log" --ports "$SCRATCH/ports" &
AUX_PID=$!
for i in $(seq 100); do [ -s "$SCRATCH/ports" ] && break; sleep 0.05; done
read -r TP SP FP < "$SCRATCH/ports"
PB=$(reg_start "$REGDIR" 127.0.0.1 http "auth:
  token:
    realm: http://127.0.0.1:$TP/token
    service: de-test-registry
    issuer: de-test-issuer
    rootcertbundle: $SCRATCH/tok.pem
middleware:
  storage:
    - name: redirect
      options:
        baseurl: http://127.0.0.1:$SP/") || { bad "download auth: the token registry started"; exit 0; }
R=127.0.0.1:$PB
hdr=$(curl -s -D - -o /dev/null "http://$R/v2/public/app/manifests/1")
check "token registry: an anonymous request without a token is refused (401)" grep -q '^HTTP/1.1 401' <<<"$hdr"
check "token registry: its challenge names the realm" \
	grep -qi "^www-authenticate: Bearer realm=\"http://127.0.0.1:$TP/token\",service=\"de-test-registry\"" <<<"$hdr"

: > "$SCRATCH/aux.log"
"$DE" download layers "$R/public/app:1" -o "$SCRATCH/o1" 2>"$SCRATCH/err"; rc=$?
check "download public repository, anonymous token: exits 0" test $rc -eq 0
check "download public repository: the layers, verified" layers_ok "$SCRATCH/o1"
check "download public repository: an anonymous token request" \
	test "$(jq -r 'select(.server == "token") | .auth' "$SCRATCH/aux.log" | sort -u)" = null
check "download public repository: blobs came through the redirect to the storage host" \
	test "$(jq -r 'select(.server == "storage") | .path' "$SCRATCH/aux.log" | grep -c '/data$')" -eq 2
check "download public repository: no Authorization sent to the storage host" \
	test "$(jq -r 'select(.server == "storage") | .auth' "$SCRATCH/aux.log" | sort -u)" = null

err=$("$DE" download layers "$R/private/app:1" -o "$SCRATCH/o2" 2>&1); rc=$?
check "download private repository anonymously: exits 1" test $rc -eq 1
same_text "download private repository anonymously: HTTP 401 UNAUTHORIZED, the reference" \
	"$R/private/app:1: GET /v2/private/app/manifests/1: HTTP 401 UNAUTHORIZED: authentication required (anonymous access: the repository may not exist, or needs credentials: --user, or docker login)" \
	"$err"

# credentials from a Docker config.json ("auths", base64 "user:password")
mkdir -p "$SCRATCH/dc"
jq -n --arg k "$R" --arg a "$(printf 'tester:s3cret' | base64)" '{auths: {($k): {auth: $a}}}' > "$SCRATCH/dc/config.json"
: > "$SCRATCH/aux.log"
DOCKER_CONFIG=$SCRATCH/dc "$DE" download layers "$R/private/app:1" -o "$SCRATCH/o3" 2>/dev/null; rc=$?
check "download private repository, credentials from config.json: exits 0" test $rc -eq 0
check "download private repository, config.json: the layers, verified" layers_ok "$SCRATCH/o3"
check "download private repository, config.json: Basic credentials to the token server only" \
	test "$(jq -r 'select(.server == "token") | .auth' "$SCRATCH/aux.log" | sort -u)" = Basic
check "download private repository, config.json: nothing to the storage host" \
	test "$(jq -r 'select(.server == "storage") | .auth' "$SCRATCH/aux.log" | sort -u)" = null
jq -n --arg k "http://$R/v1/" --arg a "$(printf 'tester:s3cret' | base64)" '{auths: {($k): {auth: $a}}}' > "$SCRATCH/dc/config.json"
DOCKER_CONFIG=$SCRATCH/dc "$DE" download layers "$R/private/app:1" -o "$SCRATCH/o3b" 2>/dev/null; rc=$?
check "download, config.json key written as a URL (as docker login writes Docker Hub's)" test $rc -eq 0
jq -n '{credsStore: "secretservice"}' > "$SCRATCH/dc/config.json"
err=$(DOCKER_CONFIG=$SCRATCH/dc "$DE" download layers "$R/private/app:1" -o "$SCRATCH/o3c" 2>&1); rc=$?
check "download, config.json with a credential helper: says de does not run it" \
	grep -q "keeps the credentials of $R in the helper docker-credential-secretservice, which de does not run; give them with --user" <<<"$err"

"$DE" download layers "$R/private/app:1" --user tester:s3cret -o "$SCRATCH/o4" 2>/dev/null; rc=$?
check "download private repository, --user USER:PASS: exits 0 and verified" test $rc -eq 0
check "download --user: the layers" layers_ok "$SCRATCH/o4"
echo s3cret | "$DE" download layers "$R/private/app:1" --user tester -o "$SCRATCH/o5" 2>/dev/null; rc=$?
check "download --user USER: the password from stdin (no terminal)" test $rc -eq 0
err=$("$DE" download layers "$R/private/app:1" --user tester:wrong -o "$SCRATCH/o6" 2>&1); rc=$?
check "download --user with a wrong password: exits 1" test $rc -eq 1
same_text "download --user with a wrong password: the token server's refusal" \
	"$R/private/app:1: the token server http://127.0.0.1:$TP/token refused the credentials of tester (from --user): HTTP 401: incorrect username or password" \
	"$err"

# --- TLS: the same storage served over HTTPS with a certificate made here ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SCRATCH/tls.key" -out "$SCRATCH/tls.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
PC=$(reg_start "$REGDIR" 127.0.0.1 https "  tls:
    certificate: $SCRATCH/tls.pem
    key: $SCRATCH/tls.key") || { bad "download auth: the TLS registry started"; exit 0; }
"$DE" download layers "127.0.0.1:$PC/public/app:1" --ca-cert "$SCRATCH/tls.pem" -o "$SCRATCH/o7" 2>/dev/null; rc=$?
check "download over HTTPS, --ca-cert: exits 0" test $rc -eq 0
check "download over HTTPS: the layers, verified" layers_ok "$SCRATCH/o7"
err=$("$DE" download layers "127.0.0.1:$PC/public/app:1" -o "$SCRATCH/o8" 2>&1); rc=$?
check "download over HTTPS, certificate not trusted: exits 1, no fallback to HTTP" \
	test $rc -eq 1 -a ! -e "$SCRATCH/o8"
check "download over HTTPS, certificate not trusted: the TLS error is named" \
	grep -q "GET https://127.0.0.1:$PC/v2/: SSL certificate problem" <<<"$err"

# --- plain HTTP off loopback: only with --insecure-registry ---
IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -1)
if [ -z "$IP" ]; then
	skip "download plain HTTP off loopback: this machine has no non-loopback IPv4 address"
else
	PD=$(reg_start "$REGDIR" "$IP" http) || { bad "download auth: the registry on $IP started"; exit 0; }
	err=$("$DE" download layers "$IP:$PD/public/app:1" -o "$SCRATCH/o9" 2>&1); rc=$?
	check "download from $IP over plain HTTP: refused (exit 1)" test $rc -eq 1 -a ! -e "$SCRATCH/o9"
	check "download from $IP over plain HTTP: says why" grep -q "no TLS at $IP:$PD (a plain HTTP registry?" <<<"$err"
	"$DE" download layers "$IP:$PD/public/app:1" --insecure-registry "$IP:$PD" -o "$SCRATCH/o10" 2>/dev/null; rc=$?
	check "download from $IP with --insecure-registry: exits 0, verified" test $rc -eq 0
	check "download with --insecure-registry: the layers" layers_ok "$SCRATCH/o10"
fi

# --- bad answers (registry-aux.py's fake registry) ---
F=127.0.0.1:$FP
: > "$SCRATCH/aux.log"
err=$("$DE" download layers "$F/rate/limited:1" -o "$SCRATCH/f1" 2>&1); rc=$?
same_text "download rate-limited: HTTP 429 TOOMANYREQUESTS with its Retry-After" \
	"$F/rate/limited:1: GET /v2/rate/limited/manifests/1: HTTP 429 TOOMANYREQUESTS: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading; the registry asks to wait 3600 s before trying again (Retry-After)" \
	"$err"
check "download rate-limited: exits 1 after one request for the manifest (no retries)" \
	test $rc -eq 1 -a "$(grep -c '"/v2/rate/limited/manifests/1"' "$SCRATCH/aux.log")" -eq 1
err=$("$DE" download layers "$F/denied/app:1" -o "$SCRATCH/f2" 2>&1); rc=$?
check "download denied: HTTP 403 DENIED named" \
	grep -q "^$F/denied/app:1: GET /v2/denied/app/manifests/1: HTTP 403 DENIED: requested access to the resource is denied" <<<"$err"
err=$("$DE" download layers "$F/big/app:1" -o "$SCRATCH/f3" 2>&1); rc=$?
same_text "download with a 5 MiB manifest: not read (4 MiB bound)" \
	"$F/big/app:1: GET http://$F/v2/big/app/manifests/1: the answer is larger than 4194304 bytes; not read" "$err"
: > "$SCRATCH/aux.log"
err=$("$DE" download layers "$F/loop/app:1" -o "$SCRATCH/f4" 2>&1); rc=$?
check "download with a redirect loop: stops after 10 redirects" \
	test $rc -eq 1 -a "$(grep -c '"/v2/loop/app/manifests/1"' "$SCRATCH/aux.log")" -eq 11
check "download with a redirect loop: says so" grep -q "more than 10 redirects" <<<"$err"
