# Messages that must not mislead (issue 10, item 11): a permission error is
# said as one, with what to do; a bad option value names the option and the
# value; -r and --root given the other's kind of directory say so; times
# take fractional Unix seconds (checked against docker logs --timestamps).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "messages: extracting the fixtures needs root"; exit 0; fi
scratch
chmod 755 "$SCRATCH"
S=$SCRATCH/sample
R=$S/var/lib/docker
extract_sample "$S"
T=$SCRATCH/trial
extract_trial "$T"
RT=$SCRATCH/rt
mkdir -p "$RT"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$RT"
PERM='de reads the evidence with the rights it is run with: run it as root, or as the owner of these files'

# ---- permission denied, as an unprivileged user ------------------------------
# The engines left their data roots mode 0710/0700 root:root (as on a real
# host): nobody may not search them.
if ! command -v setpriv > /dev/null; then
	skip "messages: permission: setpriv (util-linux) is missing"
else
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$DE" "$@"; }
	err=$(nobody -r "$R" list all_containers 2>&1 >/dev/null); rc=$?
	same_text "permission: -r names the directory it may not search, and what to do" \
		"permission denied: $R/containers ($PERM)" "$err"
	check "permission: -r: exit 1" test $rc -eq 1
	err=$(nobody -r "$R" inspect web 2>&1 >/dev/null); rc=$?
	same_text "permission: a look-up says the same, and nothing more" \
		"permission denied: $R/containers ($PERM)" "$err"
	err=$(nobody --root "$S" list all_containers 2>&1 >/dev/null); rc=$?
	same_text "permission: --root names the runtime's directory it may not search" \
		"permission denied: $R ($PERM)" "$err"
	check "permission: --root: exit 1" test $rc -eq 1
	err=$(nobody --root "$T" ls web_attacked 2>&1 >/dev/null); rc=$?
	same_text "permission: --root on the trial host: both runtimes' directories" \
		"permission denied: $T/var/lib/docker ($PERM)
permission denied: $T/var/lib/containers/storage ($PERM)" "$err"
	out=$(nobody --root "$T" list runtimes 2>"$SCRATCH/err"); rc=$?
	same_text "permission: list runtimes finds none it may read, and says what it could not search (exit 3)" \
		"[] 3" "$(jq -c . <<<"$out") $rc"
	check "permission: list runtimes names the directories" \
		grep -qF "de: warning: permission denied: $T/var/lib/containers/storage: not searched" "$SCRATCH/err"
	mkdir -m 700 "$SCRATCH/private"
	err=$(nobody --root "$SCRATCH/private" list all_containers 2>&1 >/dev/null)
	same_text "permission: a --root it may not open" "permission denied: $SCRATCH/private ($PERM)" "$err"
	# as root the same roots are read
	check "permission: as root, the same -r is read" test "$("$DE" -r "$R" list all_containers | jq length)" = \
		"$(jq length "$ORACLE/containers.inspect.json")"
fi

# ---- a bad option value names the option and the value ----------------------
# bad_value NAME WANT ARGS...: de ARGS exits 2 with WANT on its first stderr line
bad_value() {
	local name=$1 want=$2; shift 2
	local err rc
	err=$("$DE" -r "$R" "$@" 2>&1 >/dev/null); rc=$?
	same_text "option: $name" "$want 2" "$(head -1 <<<"$err") $rc"
}
bad_value "list --format" '--format: "xml" is not a format (json, table)' list images --format xml
bad_value "diff --format" '--format: "yaml" is not a format (text, json)' diff web --format yaml
bad_value "diff --hash-max" '--hash-max: "1k" is not a number of bytes' diff web --hash --hash-max 1k
bad_value "timeline --format" '--format: "plaso" is not a format (bodyfile, csv, jsonl)' timeline web --format plaso
bad_value "timeline --hash-max" '--hash-max: "-1" is not a number of bytes' timeline web --hash-max -1
bad_value "timeline without CONTAINER" 'timeline: CONTAINER... or --all is missing' timeline
bad_value "timeline --all and CONTAINER" 'timeline: --all takes no CONTAINER' timeline --all web
bad_value "logs --format" '--format: "json" is not a format (text, jsonl)' logs web --format json
bad_value "logs --stream" '--stream: "both" is not a stream (stdout, stderr)' logs web --stream both
bad_value "logs --tail" '--tail: "ten" is not a number of lines (0 to 10000000)' logs web --tail ten
TIME_WANT='(RFC 3339 as 2026-11-28T12:57:50Z or 2026-11-28T13:57:50.5+01:00, or Unix seconds as 1795870670 or 1795870670.5)'
bad_value "logs --since" "--since: \"yesterday\" is not a time $TIME_WANT" logs web --since yesterday
bad_value "logs --until" "--until: \"1795870670.\" is not a time $TIME_WANT" logs web --until 1795870670.
bad_value "logs --since, ten decimals" "--since: \"1.0123456789\" is not a time $TIME_WANT" logs web --since 1.0123456789

# ---- times: fractional Unix seconds, as docker logs --since takes them ------
web=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
want=$ORACLE/logs.$web.stdout   # docker logs --timestamps
for k in 5 20; do
	t=$(sed -n "${k}p" "$want" | cut -d' ' -f1)
	frac=${t#*.}
	unix=$(date -u -d "${t%%.*}Z" +%s).${frac%Z}
	same_text "times: --since $unix (line $k's time in Unix seconds) is docker logs from line $k" \
		"$(tail -n +"$k" "$want")" "$("$DE" -r "$R" logs web -t --stream stdout --since "$unix" 2>/dev/null)"
	same_text "times: --until $unix is docker logs up to line $k" \
		"$(head -n "$k" "$want")" "$("$DE" -r "$R" logs web -t --stream stdout --until "$unix" 2>/dev/null)"
	same_text "times: --since $unix and --since $t agree" \
		"$("$DE" -r "$R" logs web -t --since "$t" 2>/dev/null)" "$("$DE" -r "$R" logs web -t --since "$unix" 2>/dev/null)"
done

# ---- -r and --root given the other's kind of directory -----------------------
err=$("$DE" -r "$RT/var/lib/containerd" list all_containers 2>&1)
same_text "-r at a containerd root: hint --root" \
	"$RT/var/lib/containerd is not a Docker directory: it is a containerd root (hint: give the host's root with --root $RT: de finds every runtime's data under it)" "$err"
err=$("$DE" -r "$RT/var/lib/containers/storage" list all_containers 2>&1)
same_text "-r at a containers/storage root: hint --root" \
	"$RT/var/lib/containers/storage is not a Docker directory: it is a containers/storage (Podman, CRI-O) root (hint: give the host's root with --root $RT: de finds every runtime's data under it)" "$err"
err=$("$DE" -r "$RT" list all_containers 2>&1)
same_text "-r at a host's root: hint --root" \
	"$RT is not a Docker directory: it holds none of containers/, image/, graph/ (hint: it looks like a host's root: give it with --root)" "$err"
err=$("$DE" --root "$R" list all_containers 2>&1); rc=$?
same_text "--root at a Docker data root: hint -r" \
	"$R: no container runtime's data found below it: it is a Docker data root: -r takes it; --root takes the host's root, where var/lib/docker is (here --root $S) 1" "$err $rc"
err=$("$DE" --root "$RT/var/lib/containerd" list all_containers 2>&1)
same_text "--root at a containerd root: where the host's root is" \
	"$RT/var/lib/containerd: no container runtime's data found below it: it is a containerd root: --root takes the host's root, where var/lib/containerd is (here --root $RT)" "$err"
"$DE" -r "$R" --root "$T" list all_containers > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
same_text "-r outside --root: warned that host paths are read under --root" \
	"de: warning: -r $R is not below --root $T: the host paths its containers recorded (bind mount sources, log files) are read under $T, not beside -r" \
	"$(head -1 "$SCRATCH/err")"
check "-r outside --root: the answer is still -r's containers" test "$(jq length "$SCRATCH/out")" = \
	"$(jq length "$ORACLE/containers.inspect.json")"
"$DE" -r "$R" --root "$S" list all_containers > /dev/null 2> "$SCRATCH/err"
check "-r below --root: no warning" test ! -s "$SCRATCH/err"
