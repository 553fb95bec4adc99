# Speed (issue 14) changes nothing but time: the same bytes whatever the
# number of workers (DE_WORKERS=1: every task on the calling thread), and
# `timeline --all` holds an image's layers open once, not once per
# container. The oracle is de itself, one worker against all, and the
# list on the engine's own records (t_sample_list, t_allhost compare
# those); here on the trial host, made by Docker 20.10 and Podman 4.3.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "speed: extracting the trial host needs root"; exit 0; fi
scratch
extract_trial "$SCRATCH/host"
# read through a read-only bind mount, as evidence is: reading a symlink
# on a writable copy moves its atime, and two runs would differ by it
H=$SCRATCH/mnt
mkdir -p "$H"
if ! { mount --bind "$SCRATCH/host" "$H" && mount -o remount,bind,ro "$H"; } 2>/dev/null; then
	skip "speed: a read-only bind mount cannot be made here"; exit 0
fi

# same_run NAME ARGS...: stdout, stderr and the exit status alike with one
# worker and with the default pool.
same_run() {
	local name=$1; shift
	DE_WORKERS=1 "$DE" "$@" >"$SCRATCH/o1" 2>"$SCRATCH/e1"; local r1=$?
	DE_WORKERS=4 "$DE" "$@" >"$SCRATCH/o4" 2>"$SCRATCH/e4"; local r4=$?
	if [ $r1 -eq $r4 ] && cmp -s "$SCRATCH/o1" "$SCRATCH/o4" && cmp -s "$SCRATCH/e1" "$SCRATCH/e4" &&
	   [ -s "$SCRATCH/o1" ]; then
		ok "$name: the same output with 1 and 4 workers"
	else
		bad "$name: the output depends on the workers (exit $r1 / $r4)"
		diff "$SCRATCH/o1" "$SCRATCH/o4" | head -10 | sed 's/^/#   /'
		diff "$SCRATCH/e1" "$SCRATCH/e4" | head -10 | sed 's/^/#   /'
	fi
}
same_run "list all_containers" --root "$H" list all_containers
same_run "list images" --root "$H" list images
same_run "diff --hash" --root "$H" diff web_attacked --format json --hash
same_run "diff --hash (podman)" --root "$H" diff pod_changed --format json --hash
same_run "timeline --all --hash" --root "$H" timeline --all --hash --include-image-layers
same_run "timeline --hash --format jsonl" --root "$H" timeline web_attacked --hash --format jsonl

# hashes as sha256sum gives them, the same file through cat
"$DE" --root "$H" diff web_attacked --format json --hash >"$SCRATCH/d.json"
same_text "diff --hash: the dropped script's SHA-256 is sha256sum's" \
	"$("$DE" --root "$H" cat web_attacked /tmp/dropped.sh | sha256sum | cut -d' ' -f1)" \
	"$(jq -r '.changes[] | select(.path == "/tmp/dropped.sh") | .sha256' "$SCRATCH/d.json")"

# A broken record among many: the warning names its file, in ID order,
# with the pool as without it.
R=$SCRATCH/host/var/lib/docker
for i in $(seq 1 40); do
	id=$(printf 'b%063x' "$i")
	mkdir -p "$R/containers/$id"
	if [ $((i % 13)) = 0 ]; then printf '{"ID": "%s", "State": {' "$id"
	else printf '{"ID":"%s","Name":"/copy%d","State":{"Running":false}}' "$id" "$i"; fi \
		>"$R/containers/$id/config.v2.json"
done
same_run "list with broken records (copies of nothing, labelled constructed)" -r "$R" list all_containers
check "the broken records are warnings naming their files" \
	grep -q "containers/b0*d/config.v2.json: invalid JSON" "$SCRATCH/e1"
rm -rf "$R"/containers/b*

# Each image's layers are open once: under a limit of descriptors that
# one view per container of every layer exceeds, the timeline is whole.
"$DE" --root "$H" timeline --all >"$SCRATCH/t.full" 2>"$SCRATCH/t.err"; rc=$?
check "timeline --all: exit 0" test $rc -eq 0
(ulimit -n 112; exec "$DE" --root "$H" timeline --all) >"$SCRATCH/t.low" 2>"$SCRATCH/t.lowerr"; rc=$?
check "timeline --all under ulimit -n 112: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/t.lowerr"
check "timeline --all under ulimit -n 112: the same records" cmp -s "$SCRATCH/t.full" "$SCRATCH/t.low"
