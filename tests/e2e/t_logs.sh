# `de logs` against `docker logs --timestamps` (saved when the sample was
# made), stream by stream, for every container: json-file with rotations
# (plain and gzip), the local driver, the dual-logging cache, partial
# records. docker logs prints each partial record with its own timestamp in
# the middle of the line; de joins them into one message with the first
# part's time, so those inner timestamps are removed from the oracle.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "logs: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+Z '
for id in $(jq -r '.[].Id' "$ORACLE/containers.inspect.json"); do
	name=$(jq -r --arg id "$id" '.[] | select(.Id == $id) | .Name' "$ORACLE/containers.inspect.json")
	for s in stdout stderr; do
		want=$(sed -E "s/([^\n])$TS/\1/g" "$ORACLE/logs.$id.$s")
		got=$("$DE" -r "$R" logs "$id" -t --stream "$s" 2>"$SCRATCH/err")
		same_text "logs $name $s equals docker logs -t" "$want" "$got"
	done
done
web=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
job=$(jq -r '.[] | select(.Name == "/job") | .Id' "$ORACLE/containers.inspect.json")
noisy=$(jq -r '.[] | select(.Name == "/noisy") | .Id' "$ORACLE/containers.inspect.json")
# without --stream: both streams, every message once
same_text "logs: both streams" "$(cat "$ORACLE/logs.$web.stdout" "$ORACLE/logs.$web.stderr" | cut -d' ' -f2- | sort)" \
	"$("$DE" -r "$R" logs web | sort)"
same_text "logs --tail 3" "noisy line 8
xxxxxxxxxxxx
after the lo" "$("$DE" -r "$R" logs noisy --tail 3 | cut -c1-12)"
# (noisy's oldest output was rotated away: its stream ends with the errors
# line that says so — t_logs_lost.sh)
check "logs --format jsonl: one valid object per message, then the errors line" \
	jq -e -s 'length > 1 and (.[0:-1] | all(.[]; .time and .stream and (.log | type == "string") and .file and (.offset | type == "number")))
	          and (.[-1] | keys == ["errors"])' \
	<<<"$("$DE" -r "$R" logs noisy --format jsonl 2>/dev/null)"
same_text "logs jsonl: the long line is one message (20001 bytes)" "20001" \
	"$("$DE" -r "$R" logs noisy --format jsonl 2>/dev/null | jq -r 'select(.log // "" | startswith("xxx")) | .log | length')"
first=$(head -1 "$ORACLE/logs.$web.stdout" | cut -d' ' -f1)
same_text "logs --since/--until select by time" "$(head -1 "$ORACLE/logs.$web.stdout" | cut -d' ' -f2-)" \
	"$("$DE" -r "$R" logs web --since "$first" --until "$first")"

# Corrupt records: reported with file and offset, reading goes on.
C=$R/containers/$job/local-logs/container.log
python3 - "$C" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[40] ^= 0xff          # inside the second frame's length field
open(p, 'wb').write(bytes(b))
PY
out=$("$DE" -r "$R" logs job 2>"$SCRATCH/err"); rc=$?
check "local: a corrupt frame gives exit 3" test $rc -eq 3
check "local: the corrupt frame is named with its offset" grep -q "container.log: offset 37: frame lengths disagree" "$SCRATCH/err"
check "local: records after it are read" grep -q "job out 2" <<<"$out"
J=$R/containers/$web/$web-json.log
{ head -2 "$J"; printf '{"log":"half a rec\n'; printf '\x00\xff garbage\n'; tail -n +3 "$J"; } > "$SCRATCH/j" && cat "$SCRATCH/j" > "$J"
out=$("$DE" -r "$R" logs web 2>"$SCRATCH/err"); rc=$?
check "json-file: corrupt lines give exit 3" test $rc -eq 3
check "json-file: each corrupt line is named with its offset" test "$(grep -c '^de: warning: .*json.log: offset [0-9]*: ' "$SCRATCH/err")" = 2
# (with them, the rotation that dropped web's oldest output: 3 items)
check "json-file: stderr ends with the list of what could not be read" \
	test "$(sed -n '/the result is incomplete: 3 items/,$p' "$SCRATCH/err" | grep -c 'json.log: offset')" = 2
"$DE" -r "$R" logs web --format jsonl >"$SCRATCH/jl" 2>/dev/null
check "json-file: jsonl ends with the errors line" \
	jq -se '([.[-1].errors[] | select(test("json.log: offset"))] | length) == 2 and (.[0:-1] | all(has("log")))' "$SCRATCH/jl"
check "json-file: the lines after them are read" grep -q "web line 60" <<<"$out"
# A compressed rotation cut short (a constructed damage of the engine's
# file): what it held before the cut is read, the cut is a warning (exit 3).
G=$R/containers/$noisy/$noisy-json.log.2.gz
first=$(gzip -dc "$G" | head -1 | jq -r '.log' | head -c 20)
head -c $(($(stat -c %s "$G") - 30)) "$G" >"$SCRATCH/g" && cat "$SCRATCH/g" >"$G"
out=$("$DE" -r "$R" logs noisy 2>"$SCRATCH/err"); rc=$?
check "json-file gz: a file cut short gives exit 3, and is in the list of what could not be read" \
	test $rc -eq 3 -a "$(sed -n '/the result is incomplete/,$p' "$SCRATCH/err" | grep -c 'json.log.2.gz: offset [0-9]*: unexpected end of file')" = 1
check "json-file gz: the cut is named" grep -q "json.log.2.gz: offset [0-9]*: unexpected end of file" "$SCRATCH/err"
check "json-file gz: what precedes the cut is read" grep -qF "$first" <<<"$out"
rm "$R/containers/$noisy/$noisy-json.log"*
"$DE" -r "$R" logs noisy >/dev/null 2>"$SCRATCH/err"; rc=$?
check "json-file: logs gone is said (exit 3)" test $rc -eq 3 -a -s "$SCRATCH/err"
