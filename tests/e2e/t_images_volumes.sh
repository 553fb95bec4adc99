# `de list images | volumes` against `docker image inspect`, `docker images`
# and `docker volume inspect` (saved when the sample was made).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "images/volumes: extracting the sample needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
got=$("$DE" -r "$R" list images 2>"$SCRATCH/err"); rc=$?
check "list images exits 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list images: IDs, tags, sizes, creation equal docker image inspect" \
	"$(jq -S "$JQ_ISO"'map({id: .Id, repo_tags: (.RepoTags | sort), size: .Size, created: (.Created | iso)}) | sort_by(.id)' \
	   "$ORACLE/images.inspect.json")" \
	"$(jq -S 'map({id, repo_tags: (.repo_tags | sort), size, created}) | sort_by(.id)' <<<"$got")"
same_text "list images: the tags docker images shows" \
	"$(jq -r '.Repository + ":" + .Tag' "$ORACLE/images.jsonl" | sort)" \
	"$(jq -r '.[].repo_tags[]' <<<"$got" | sort)"
same_text "list images: which containers use each image" \
	"$(jq -r 'group_by(.Image) | map((.[0].Image) + " " + (map(.Name) | sort | join(","))) | .[]' \
	   "$ORACLE/containers.inspect.json" | sort)" \
	"$(jq -r '.[] | .id + " " + (.containers | sort | join(","))' <<<"$got" | sort)"
check "list images --all: the legacy builder's intermediate images too" \
	test "$("$DE" -r "$R" list images --all | jq '[.[] | select(.intermediate)] | length')" -gt 0
check "list images --format table: a header and one row per tag" \
	test "$("$DE" -r "$R" list images --format table | wc -l)" = "$(( $(wc -l < "$ORACLE/images.jsonl") + 1 ))"

got=$("$DE" -r "$R" list volumes)
same_text "list volumes equal docker volume inspect" \
	"$(jq -S --arg r "$R" 'map({name: .Name, driver: .Driver, path: ($r + (.Mountpoint | ltrimstr("/var/lib/docker")))})' \
	   "$ORACLE/volumes.inspect.json")" "$(jq -S 'map({name, driver, path})' <<<"$got")"
same_text "list volumes: size and users" '[{"size":12,"containers":["/web"]}]' \
	"$(jq -c 'map({size, containers})' <<<"$got")"
