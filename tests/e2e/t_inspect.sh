# `de inspect` against `docker inspect` (saved when the sample was made):
# every key, for every container. The engine printed host paths under
# /var/lib/docker; de prints them under the data root it was given.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "inspect: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
for name in $(jq -r '.[].Name | ltrimstr("/")' "$ORACLE/containers.inspect.json"); do
	got=$("$DE" -r "$R" inspect "$name" 2>"$SCRATCH/err"); rc=$?
	check "inspect $name exits 0 with nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
	same_text "inspect $name equals docker inspect" \
		"$(jq -S --arg n "/$name" '.[] | select(.Name == $n)' "$ORACLE/containers.inspect.json")" \
		"$(jq -S '.[0] | del(.de)' <<<"${got//$R//var/lib/docker}")"
	check "inspect $name: de.layers names each layer's directory" \
		jq -e --arg r "$R" '.[0].de.layers | length > 1 and all(.[]; (.dir | startswith($r)) and .role and .id)' <<<"$got"
done
out=$SCRATCH/inspect.json
"$DE" -r "$R" inspect web -o "$out"
check "inspect -o FILE writes the file" jq -e '.[0].Id' "$out"
"$DE" -r "$R" inspect web -o "$out" 2>/dev/null; rc=$?
check "-o never overwrites (exit 1)" test $rc -eq 1
