# Damaged evidence: one broken container is a warning naming its file, the
# others are still listed, and the exit status (3) says the answer is
# incomplete. Made from the real sample by breaking copies of its files.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "broken containers: extracting needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
C=$R/containers
web=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
job=$(jq -r '.[] | select(.Name == "/job") | .Id' "$ORACLE/containers.inspect.json")
done_=$(jq -r '.[] | select(.Name == "/done") | .Id' "$ORACLE/containers.inspect.json")

# 1. truncated JSON; 2. no mount-id; 3. a directory with no config; 4. no State
#    and an unknown driver; 5. an unreadable config (only meaningful as non-root)
head -c 200 "$C/$job/config.v2.json" > "$SCRATCH/t" && cat "$SCRATCH/t" > "$C/$job/config.v2.json"
rm "$R/image/overlay2/layerdb/mounts/$web/mount-id"
mkdir "$C/ffff000000000000000000000000000000000000000000000000000000000000"
jq -c 'del(.State) | .Driver = "zfs"' "$C/$done_/config.v2.json" > "$SCRATCH/t" &&
	cat "$SCRATCH/t" > "$C/$done_/config.v2.json"

# every container but the truncated one
n_ok=$(( $(jq length "$ORACLE/containers.inspect.json") - 1 ))
out=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "broken: exit status 3 (done, with omissions)" test $rc -eq 3
check "broken: stdout is still valid JSON" jq -e . <<<"$out"
same_text "broken: the readable containers are listed" "$n_ok" "$(jq length <<<"$out")"
check "broken: the truncated config is named" grep -q "$job/config.v2.json: invalid JSON" "$SCRATCH/err"
check "broken: the missing mount-id is named" grep -q "$web/mount-id" "$SCRATCH/err"
check "broken: the empty container directory is named" grep -q "ffff0000.*neither config.v2.json nor config.json" "$SCRATCH/err"
check "broken: no State is a warning" grep -q "$done_/config.v2.json: no State" "$SCRATCH/err"
check "broken: the unknown driver is named" grep -q 'storage driver "zfs"' "$SCRATCH/err"
check "broken: a summary line ends stderr" grep -q "the result is incomplete" "$SCRATCH/err"
same_text "broken: web is listed without mount_id" "null" \
	"$(jq --arg id "$web" '.[] | select(.container_id == $id) | .mount_id' <<<"$out")"
same_text "broken: no State gives state unknown" "unknown" \
	"$(jq -r '.[] | select(.name == "/done") | .state' <<<"$out")"

# A config that is not JSON at all, and one that is a 2-level bomb of nesting
printf '\x00\xff garbage' > "$C/$job/config.v2.json"
out=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "garbage config: exit 3, others listed" test $rc -eq 3 -a "$(jq length <<<"$out")" = "$n_ok"
python3 -c 'print("[" * 100000 + "]" * 100000)' > "$C/$job/config.v2.json"
out=$("$DE" -r "$R" list all_containers 2>"$SCRATCH/err"); rc=$?
check "JSON nested 100000 deep: refused, exit 3" test $rc -eq 3 -a "$(jq length <<<"$out")" = "$n_ok"

# A symlinked config pointing outside the data root is not followed.
rm "$C/$job/config.v2.json"
ln -s /etc/passwd "$C/$job/config.v2.json"
"$DE" -r "$R" list all_containers >/dev/null 2>"$SCRATCH/err"; rc=$?
check "symlink out of the data root: refused, exit 3" test $rc -eq 3
check "symlink out of the data root: said so" grep -q "leaves the evidence root" "$SCRATCH/err"

# A mount-id that tries to climb out.
printf '../../../../etc' > "$R/image/overlay2/layerdb/mounts/$web/mount-id"
out=$("$DE" -r "$R" mount web /mnt --dry-run 2>"$SCRATCH/err"); rc=$?
check "hostile mount-id: refused" test $rc -eq 1 -a -z "$out"
check "hostile mount-id: named" grep -q "not a plain name" "$SCRATCH/err"

# Not a Docker directory.
err=$("$DE" -r "$SCRATCH" list all_containers 2>&1 >/dev/null); rc=$?
check "not a Docker directory: exit 1" test $rc -eq 1
check "not a Docker directory: message" grep -q "^$SCRATCH is not a Docker directory" <<<"$err"
"$DE" list bogus >/dev/null 2>&1; rc=$?
check "usage error: exit 2" test $rc -eq 2
