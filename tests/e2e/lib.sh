# lib.sh — helpers for the end-to-end tests, sourced by each t_*.sh.
# A test prints one line per check: "ok - …", "not ok - …" or
# "skip - …: why". run.sh counts them.
set -u
: "${DE:?DE must name the de binary}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SAMPLE="$TOP/tests/data/sample-host"
ORACLE="$SAMPLE/oracle"

ok()   { echo "ok - $*"; }
bad()  { echo "not ok - $*"; }
skip() { echo "skip - $*"; }

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1; shift
	if "$@" >/dev/null; then ok "$name"; else bad "$name"; fi
}

# same_text NAME WANT GOT: compares two texts, showing a diff on failure.
same_text() {
	if [ "$2" == "$3" ]; then ok "$1"; else
		bad "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -40 | sed 's/^/#   /'
	fi
}

# A scratch directory removed when the test ends.
scratch() {
	SCRATCH=$(mktemp -d /tmp/de-e2e.XXXXXX)
	trap 'umount -R "$SCRATCH"/mnt* 2>/dev/null; rm -rf "$SCRATCH"' EXIT
}

# extract_sample DEST: the sample host as the engine left it. Overlay
# whiteouts are 0/0 character devices, and their xattrs are trusted.*:
# only root can recreate both.
can_extract() { [ "$(id -u)" = 0 ]; }
extract_sample() {
	mkdir -p "$1"
	tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$SAMPLE/sample-host.tar.gz" -C "$1"
}

# extract_trial DEST: the trial host (tests/fixtures/README-trial.md):
# Docker 20.10 and Podman 4.3 on one host root; its oracle is $TRIAL_ORACLE.
TRIAL="$TOP/tests/data/trial-host"
TRIAL_ORACLE="$TRIAL/oracle"
extract_trial() {
	mkdir -p "$1"
	tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TRIAL/trial-host.tar.gz" -C "$1"
}

# jq program turning Docker's RFC 3339 time into de.py's ISO form.
JQ_ISO='def iso: if . == null then null else
	capture("^(?<s>[^.Z+]+)(\\.(?<f>[0-9]+))?Z$") as $m
	| (($m.f // "") + "000000")[0:6] as $us
	| $m.s + (if $us == "000000" then "" else "." + $us end) + "+00:00" end;'
