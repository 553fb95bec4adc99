#!/usr/bin/env bash
# demo.sh DE — a real run of de on the bundled sample host: a Docker 20.10
# host (overlay2) made by tests/fixtures/make-sample-host.sh, unpacked into
# a scratch directory as if it were an imaged disk mounted at HOST.
set -euo pipefail
DE=${1:?usage: demo.sh path/to/de}
TOP=$(cd "$(dirname "$0")/.." && pwd)
HOST=${DE_DEMO_DIR:-/tmp/de-demo}/host
rm -rf "$HOST"
mkdir -p "$HOST"
if [ "$(id -u)" = 0 ]; then
	tar --xattrs --xattrs-include='*' --numeric-owner -xzf \
		"$TOP/tests/data/sample-host/sample-host.tar.gz" -C "$HOST"
else
	# Without root, overlay's whiteouts (0/0 devices) cannot be recreated:
	# listing and history are unaffected.
	tar -xzf "$TOP/tests/data/sample-host/sample-host.tar.gz" -C "$HOST" 2>/dev/null || true
	echo "(not root: the sample's whiteout devices were not recreated)" >&2
fi
R=$HOST/var/lib/docker
run() {
	printf '\n$ de %s\n' "$*"
	"$DE" "$@"
}
echo "The sample host is unpacked at $HOST."
run -r "$R" list all_containers
run -r "$R" list running_containers
run -r "$R" list repositories
run -r "$R" history web
run -r "$R" mount web /mnt/web --dry-run
printf '\nDone: de read the sample host from its files alone; nothing was written to it.\n'
