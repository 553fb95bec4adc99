# `de mount --fuse`: what the union engine warns of while the view is served
# reaches the analyst, in the background (--log FILE, or the stderr de was
# started with) and in the foreground (-f, which ends like any run: exit 3
# and the summary). On a copy of the real sample host whose /done layer gets
# a file and a directory of mode 000 (CONSTRUCTED on the copy), served by a
# de without the DAC capabilities (as root reads mode 000 anyway), and with
# web's bind source removed (a warning before the view is served: exit 3).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "mount --fuse: extracting the sample needs root"; exit 0; fi
if ! command -v fusermount3 >/dev/null || [ ! -e /dev/fuse ] || ! unshare -m true 2>/dev/null; then
	skip "mount --fuse: needs fusermount3, /dev/fuse and unshare -m"; exit 0
fi
if ! setpriv --bounding-set -dac_override,-dac_read_search true 2>/dev/null; then
	skip "mount --fuse: setpriv cannot drop the DAC capabilities here"; exit 0
fi
scratch
H=$SCRATCH/host
R=$H/var/lib/docker
extract_sample "$H"
DONE=$(jq -r 'select(.Name == "/done") | .ID' "$R"/containers/*/config.v2.json)
up=$R/overlay2/$(cat "$R/image/overlay2/layerdb/mounts/$DONE/mount-id")/diff
echo secret > "$up/secret"; chmod 0 "$up/secret"
mkdir "$up/closed"; echo inner > "$up/closed/inner"; chmod 0 "$up/closed"
M=$SCRATCH/mnt
mkdir -p "$M"

# serve ARGS...: in a private mount namespace, mounts done's view without
# the DAC capabilities, reads the unreadable file and an ordinary one,
# unmounts, and waits (10 s at most) for the server to end. Leaves
# $SCRATCH/{rc,read,err} (and $SCRATCH/log with --log).
serve() {
	rm -f "$SCRATCH/rc" "$SCRATCH/read" "$SCRATCH/err" "$SCRATCH/log"
	unshare -m --propagation private bash -c '
		M=$1 S=$2; shift 2
		setpriv --bounding-set -dac_override,-dac_read_search "$@" 2>"$S/err" &
		de=$!
		fg=; for a; do [ "$a" = -f ] && fg=1; done
		if [ -z "$fg" ]; then wait $de; echo $? > "$S/rc"; fi
		for _ in $(seq 100); do mountpoint -q "$M" && break; sleep 0.1; done
		{ cat "$M/etc/motd"; cat "$M/secret"; } > "$S/read" 2>/dev/null
		fusermount3 -u "$M"
		if [ -n "$fg" ]; then wait $de; echo $? > "$S/rc"; fi
		# the background server ends when unmounted, with its summary of
		# what could not be read (its pid is not ours to wait for)
		for _ in $(seq 100); do
			grep -qs "could not be read:" "$S/err" "$S/log" && break; sleep 0.1
		done
	' _ "$M" "$SCRATCH" "$DE" -r "$R" mount done "$M" --fuse "$@"
}
motd=$(cat "$up/etc/motd")
warned() { grep -q "^de: warning: /secret (layer container:.*): Permission denied" "$1"; }

serve --log "$SCRATCH/log"
same_text "--log: the view is served (an ordinary file reads)" "$motd" "$(cat "$SCRATCH/read")"
check "--log: de exits 0 once the server runs (nothing was unreadable before)" test "$(cat "$SCRATCH/rc")" = 0
check "--log: de says where the warnings go" grep -q "warnings while serving go to $SCRATCH/log" "$SCRATCH/err"
check "--log: the unreadable file read through FUSE is a warning in the log" warned "$SCRATCH/log"
check "--log: the server's run ends with the summary in the log" \
	grep -q "^de: the result is incomplete: 1 item could not be read" "$SCRATCH/log"

serve
check "no --log, stderr a file: the server's warnings reach it" warned "$SCRATCH/err"

serve -f
check "-f: served in the foreground until unmounted, then exit 3 (something could not be read)" \
	test "$(cat "$SCRATCH/rc")" = 3
check "-f: the warning on stderr" warned "$SCRATCH/err"
same_text "-f: the view was served" "$motd" "$(cat "$SCRATCH/read")"

# stderr a pipe: a server keeping it would make its reader wait until the
# unmount, so it is not kept, and de says so before it detaches
out=$(unshare -m --propagation private bash -c '"$1" -r "$2" mount done "$3" --fuse 2>&1; fusermount3 -u "$3"' \
	_ "$DE" "$R" "$M")
check "stderr a pipe: de says the warnings cannot be kept there, and what to use" \
	grep -q "stderr is a pipe or a socket: .*use --log FILE or --foreground" <<<"$out"

check "--log and -f together: a usage error" \
	bash -c '"$1" -r "$2" mount done "$3" --fuse -f --log "$4/x" 2>/dev/null; test $? = 2' _ "$DE" "$R" "$M" "$SCRATCH"

# a warning before the view is served (web's bind source is gone): the
# command's own exit status says it (before, the background fork exited 0)
rm -rf "$H/srv/data"
unshare -m --propagation private bash -c '"$1" -r "$2" mount web "$3" --fuse --log "$4/log2" 2>"$4/err"; echo $? > "$4/rc"
	fusermount3 -u "$3"' _ "$DE" "$R" "$M" "$SCRATCH"
check "a bind source missing: exit 3, the warning names the mount" \
	test "$(cat "$SCRATCH/rc")" = 3 -a -n "$(grep 'bind mount at /mnt/host .*not shown' "$SCRATCH/err")"
