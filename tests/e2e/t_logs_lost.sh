# Logs that are not there, and logs that lost output (issue 10, items 3
# and 12), on the engines' own data:
# - a container that never started printed nothing: exit 0, a note; the
#   timeline adds no "Not Read by de" event for it (sample `idle`, Docker;
#   runtimes-host `pidle`, Podman; trial host `never_started`, Docker, and
#   Podman's with --log-driver none, the driver named as libpod recorded it);
# - json-file rotation that dropped the oldest file is said, with the first
#   surviving record: a warning, exit 3 (sample `web`, `noisy`; trial host
#   `exited_rc7`: 20 lines to stderr, then 400 to stdout, max-size=1k,
#   max-file=3), and what survives equals `docker logs -t`, stream by stream;
# - files deleted out of turn (damage made here, on a copy) are omissions.
# Oracles: docker inspect (State, HostConfig.LogConfig), docker logs -t,
# podman inspect (State, HostConfig.LogConfig.Type).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "logs lost: extracting the fixtures needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
I=$ORACLE/containers.inspect.json

# RFC 3339 as Docker prints it (fraction trimmed) → nine digits, as de does.
ns() { sed -E 's/^([^.Z]+)(\.([0-9]+))?Z$/\1.\3000000000/; s/^(.{29}).*/\1Z/' <<<"$1"; }
# the earliest timestamp of docker logs -t, both streams
first_ts() { cat "$@" | cut -d' ' -f1 | grep . | sort | head -1; }
id_of() { jq -r --arg n "/$2" '.[] | select(.Name == $n) | .Id' "$1"; }

# ---- never started ------------------------------------------------------------
idle=$(id_of "$I" idle)
check "oracle: idle was never started (docker inspect)" \
	jq -e --arg id "$idle" '.[] | select(.Id == $id) | .State.Status == "created" and .State.StartedAt == "0001-01-01T00:00:00Z"' "$I"
out=$("$DE" -r "$R" logs idle 2>"$SCRATCH/err"); rc=$?
same_text "logs idle: nothing, as docker logs" "$(cat "$ORACLE/logs.$idle.stdout" "$ORACLE/logs.$idle.stderr")" "$out"
check "logs idle: exit 0" test $rc -eq 0
same_text "logs idle: a note says it never started" "de: idle was never started: it printed nothing" "$(cat "$SCRATCH/err")"

# ---- rotation: sample ---------------------------------------------------------
web=$(id_of "$I" web)
noisy=$(id_of "$I" noisy)
for c in web noisy; do
	id=$(id_of "$I" $c)
	mf=$(jq -r --arg id "$id" '.[] | select(.Id == $id) | .HostConfig.LogConfig.Config["max-file"]' "$I")
	ms=$(jq -r --arg id "$id" '.[] | select(.Id == $id) | .HostConfig.LogConfig.Config["max-size"]' "$I")
	t=$(ns "$(first_ts "$ORACLE/logs.$id.stdout" "$ORACLE/logs.$id.stderr")")
	oldest=$(cd "$R/containers/$id" && ls "$id-json.log.$((mf - 1))"* 2>/dev/null)
	check "oracle: $c's oldest rotation (.$((mf - 1))) is there" test -n "$oldest"
	"$DE" -r "$R" logs $c >/dev/null 2>"$SCRATCH/err"; rc=$?
	check "logs $c: rotated output is an omission (exit 3)" test $rc -eq 3
	same_text "logs $c: the warning names the time, the limits and the first surviving record" \
		"de: warning: $c: output before $t was rotated away (json-file, max-size=$ms, max-file=$mf: all $mf files are there, and the oldest is deleted at each rotation); the first surviving record is at offset 0 of $R/containers/$id/$oldest" \
		"$(head -1 "$SCRATCH/err")"
done
# the loss is real: the fixture printed "web line 1" … 60, docker logs starts later
check "oracle: docker logs web lost its first lines too" test "$(head -1 "$ORACLE/logs.$web.stdout" | cut -d' ' -f2-)" != "web line 1"
"$DE" -r "$R" logs web --tail 3 >/dev/null 2>"$SCRATCH/err"; rc=$?
check "logs web --tail 3: the tail is whole: no warning, exit 0" test $rc -eq 0 -a ! -s "$SCRATCH/err"
last=$(tail -1 "$ORACLE/logs.$web.stdout" | cut -d' ' -f1)
"$DE" -r "$R" logs web --since "$last" >/dev/null 2>"$SCRATCH/err"; rc=$?
check "logs web --since after the first record: nothing asked is gone, exit 0" test $rc -eq 0 -a ! -s "$SCRATCH/err"
for c in done job cached; do
	"$DE" -r "$R" logs $c >/dev/null 2>"$SCRATCH/err"; rc=$?
	check "logs $c: not rotated away (json-file without max-size, local and cache under 20m x 5): exit 0, silent" \
		test $rc -eq 0 -a ! -s "$SCRATCH/err"
done

# timeline: the gap is an event where it is
"$DE" -r "$R" timeline web --logs --format jsonl >"$SCRATCH/tl" 2>/dev/null; rc=$?
check "timeline web --logs: exit 3 (output rotated away)" test $rc -eq 3
t=$(ns "$(first_ts "$ORACLE/logs.$web.stdout" "$ORACLE/logs.$web.stderr")")
check "timeline web --logs: a Log Rotated Away event at the first surviving record" \
	jq -e -s --arg us "$(date -u -d "${t%Z}" +%s)${t:20:6}" \
	'[.[] | select(.timestamp_desc == "Log Rotated Away")] | length == 1 and (.[0].timestamp | tostring) == $us' "$SCRATCH/tl"

# ---- damage (made here): files deleted out of turn ----------------------------
rm "$R/containers/$web/$web-json.log.1"
"$DE" -r "$R" logs web >/dev/null 2>"$SCRATCH/err"; rc=$?
check "a rotation deleted out of turn: exit 3" test $rc -eq 3
check "a rotation deleted out of turn: named" grep -q "^de: warning: web: its log files .1 to .1 are missing between .*json.log.2 and .*json.log: the output they held is gone" "$SCRATCH/err"
cached=$(id_of "$I" cached)
rm "$R/containers/$cached/container-cached.log"
"$DE" -r "$R" logs cached >/dev/null 2>"$SCRATCH/err"; rc=$?
check "the dual-logging cache gone (Docker recorded keeping it): exit 3" test $rc -eq 3
check "…said with the driver and its destination" grep -q '^de: warning: cached: its output went to fluentd at 127.0.0.1:9; Docker kept a dual-logging cache of it (LocalLogCacheMeta), and container-cached.log is gone' "$SCRATCH/err"

# ---- Podman: never started (runtimes-host) -------------------------------------
RH=$SCRATCH/rh
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$RH"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$RH"
check "oracle: pidle was never started (podman inspect)" \
	jq -e '.[0].State.Status == "created" and .[0].State.StartedAt == "0001-01-01T00:00:00Z"' "$RO/podman.container.pidle.json"
out=$("$DE" --root "$RH" logs pidle 2>"$SCRATCH/err"); rc=$?
check "logs pidle: nothing, exit 0" test $rc -eq 0 -a -z "$out"
same_text "logs pidle: a note says it never started" "de: pidle was never started: it printed nothing" "$(cat "$SCRATCH/err")"
"$DE" --root "$RH" timeline --all --logs --format csv >"$SCRATCH/tl" 2>/dev/null
check "timeline --all --logs: no Not Read event for pidle" test -z "$(grep 'Not Read by de' "$SCRATCH/tl" | grep -e pidle -e "$(jq -r '.[0].Id' "$RO/podman.container.pidle.json")")"

# ---- the trial host -------------------------------------------------------------
T=$SCRATCH/trial
extract_trial "$T"
TI=$TRIAL_ORACLE/docker-containers.inspect.json
PN=$TRIAL_ORACLE/podman.container.never_started.json
dns=$(id_of "$TI" never_started)
pns=$(jq -r '.[0].Id' "$PN")
check "oracle: Docker's never_started was never started" \
	jq -e --arg id "$dns" '.[] | select(.Id == $id) | .State.Status == "created" and .State.StartedAt == "0001-01-01T00:00:00Z"' "$TI"
out=$("$DE" -r "$T/var/lib/docker" logs "$dns" 2>"$SCRATCH/err"); rc=$?
same_text "trial: logs never_started (Docker) equals docker logs (nothing)" \
	"$(cat "$TRIAL_ORACLE/docker-logs.never_started.stdout" "$TRIAL_ORACLE/docker-logs.never_started.stderr")" "$out"
check "trial: logs never_started (Docker): exit 0" test $rc -eq 0
same_text "trial: logs never_started (Docker): the note" "de: never_started was never started: it printed nothing" "$(cat "$SCRATCH/err")"
drv=$(jq -r '.[0].HostConfig.LogConfig.Type' "$PN")
check "oracle: Podman's never_started: created, never started, log driver none" \
	jq -e '.[0].State.Status == "created" and .[0].State.StartedAt == "0001-01-01T00:00:00Z" and .[0].HostConfig.LogConfig.Type == "none"' "$PN"
out=$("$DE" --root "$T" logs "$pns" 2>"$SCRATCH/err"); rc=$?
check "trial: logs never_started (Podman): nothing, exit 0" test $rc -eq 0 -a -z "$out"
same_text "trial: logs never_started (Podman): the note names libpod's driver" \
	"de: never_started was never started: it printed nothing (its log driver is \"$drv\")" "$(cat "$SCRATCH/err")"

# a Podman container that ran: its k8s-file at libpod's logPath
check "oracle: pod_changed's log driver is k8s-file (podman inspect)" \
	jq -e '.[0].HostConfig.LogConfig.Type == "k8s-file"' "$TRIAL_ORACLE/podman.container.pod_changed.json"
for s in stdout stderr; do
	same_text "trial: logs pod_changed --stream $s equals podman logs" \
		"$(cat "$TRIAL_ORACLE/podman-logs.pod_changed.$s")" "$("$DE" --root "$T" logs pod_changed --stream $s 2>/dev/null)"
done

rc7=$(id_of "$TI" exited_rc7)
for s in stdout stderr; do
	same_text "trial: logs exited_rc7 -t --stream $s equals docker logs -t, line for line" \
		"$(cat "$TRIAL_ORACLE/docker-logs.exited_rc7.$s")" \
		"$("$DE" --root "$T" logs exited_rc7 -t --stream $s 2>/dev/null)"
done
mf=$(jq -r --arg id "$rc7" '.[] | select(.Id == $id) | .HostConfig.LogConfig.Config["max-file"]' "$TI")
ms=$(jq -r --arg id "$rc7" '.[] | select(.Id == $id) | .HostConfig.LogConfig.Config["max-size"]' "$TI")
t=$(ns "$(first_ts "$TRIAL_ORACLE/docker-logs.exited_rc7.stdout" "$TRIAL_ORACLE/docker-logs.exited_rc7.stderr")")
want="de: warning: exited_rc7: output before $t was rotated away (json-file, max-size=$ms, max-file=$mf: all $mf files are there, and the oldest is deleted at each rotation); the first surviving record is at offset 0 of $T/var/lib/docker/containers/$rc7/$rc7-json.log.$((mf - 1))"
"$DE" --root "$T" logs exited_rc7 >/dev/null 2>"$SCRATCH/err"; rc=$?
check "trial: logs exited_rc7: exit 3" test $rc -eq 3
same_text "trial: logs exited_rc7: the rotation is said" "$want" "$(head -1 "$SCRATCH/err")"
"$DE" --root "$T" logs exited_rc7 --stream stderr >/dev/null 2>"$SCRATCH/err"; rc=$?
check "trial: logs exited_rc7 --stream stderr: exit 3" test $rc -eq 3
same_text "trial: --stream stderr with nothing left says stderr was rotated away" \
	"$want; no stderr record survives: whatever it printed on stderr came before and was rotated away" \
	"$(head -1 "$SCRATCH/err")"
check "oracle: docker logs kept no stderr of exited_rc7 (it printed 20 lines there)" test ! -s "$TRIAL_ORACLE/docker-logs.exited_rc7.stderr"

"$DE" --root "$T" timeline --all --logs --format csv >"$SCRATCH/tl" 2>/dev/null
check "trial: timeline --all --logs: no Not Read event for either never_started" \
	test -z "$(grep 'Not Read by de' "$SCRATCH/tl" | grep -e never_started -e "$dns" -e "$pns")"
check "trial: timeline --all --logs: the rotation is an event" \
	grep -q "^\"exited_rc7: log: output before this was rotated away (json-file, max-size=$ms, max-file=$mf)\",.*,Log Rotated Away," "$SCRATCH/tl"
