# `de history` on the sample host against `docker history` and
# `docker image inspect`, saved when the sample was made.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "sample host history: extracting needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker

got=$("$DE" -r "$R" history web --show-empty 2>"$SCRATCH/err"); rc=$?
check "history exits 0" test $rc -eq 0
check "history prints nothing on stderr" test ! -s "$SCRATCH/err"
# The parent chain is the IDs docker history shows (those it knows locally).
same_text "history: image chain equals docker history IDs" \
	"$(jq -r 'select(.ID != "<missing>") | .ID' "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$(jq -r 'keys_unsorted[]' <<<"$got")"
# Each image lists the steps it added over its parent: the layers of the
# chain, top image first, are docker history's rows, newest first, each
# step once and on the image docker history names in its IMAGE column.
same_text "history: the chain's steps equal docker history CreatedBy" \
	"$(jq -r '.CreatedBy' "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$(jq -r '.[] | .layers[] | .created_by // ""' <<<"$got")"
same_text "history: each step on the image docker history names for it" \
	"$(jq -r '[.ID, .CreatedBy] | @tsv' "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$(jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .created_by // ""] | @tsv' <<<"$got")"
same_text "history: each step given once (as many as docker history's rows)" \
	"$(wc -l < "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$(jq '[.[] | .layers[]] | length' <<<"$got")"
same_text "history of the base image: its one step, once" \
	"$(jq -r '[.ID, .Comment] | @tsv' "$ORACLE/history.sample_base_1.0.jsonl")" \
	"$("$DE" -r "$R" history job | jq -r 'to_entries[] | .key as $id | .value.layers[] | [$id, .comment] | @tsv')"
# Sizes from the layer store add up to the engine's image size.
web_id=$(jq -r 'keys_unsorted[0]' <<<"$got")
same_text "history: layer sizes sum to docker's image Size" \
	"$(jq --arg id "$web_id" '.[] | select(.Id == $id) | .Size' "$ORACLE/images.inspect.json")" \
	"$(jq '[.[] | .layers[].size] | add' <<<"$got")"
same_text "history: image sizes (bytes each adds) sum to the same" \
	"$(jq --arg id "$web_id" '.[] | select(.Id == $id) | .Size' "$ORACLE/images.inspect.json")" \
	"$(jq '[.[].size] | add' <<<"$got")"
same_text "history: created_at is the image config's created" \
	"$(jq -r --arg id "$web_id" "$JQ_ISO"'.[] | select(.Id == $id) | .Created | iso' \
	   "$ORACLE/images.inspect.json")" \
	"$(jq -r 'first(.[]) | .created_at' <<<"$got")"

# Without --show-empty, the empty steps (ENV, LABEL, CMD…) are left out.
got2=$("$DE" -r "$R" history web)
same_text "history: without --show-empty only layer steps" \
	"$(jq -r 'select(.Size != "0B") | .CreatedBy' "$ORACLE/history.sample_web_2.0.jsonl")" \
	"$(jq -r '.[] | .layers[] | .created_by // ""' <<<"$got2")"
same_text "history: each image's size is what its own layers add" \
	"$(jq -c '[.[] | .size]' <<<"$got")" "$(jq -c '[.[] | [.layers[].size] | add // 0]' <<<"$got")"

# A container started from the imported base image: one image, its comment.
got=$("$DE" -r "$R" history job)
same_text "history of an imported image" "busybox-static rootfs" \
	"$(jq -r 'first(.[]) | .comment' <<<"$got")"

# Lookup errors, exactly as de.py wrote them; history takes images too,
# and says so on a second line (t_history_image.sh).
err=$("$DE" -r "$R" history zz 2>&1 >/dev/null); rc=$?
same_text "unknown container: de.py's message" \
	'Could not find any container ID starting with "zz"' "$(head -1 <<<"$err")"
same_text "unknown container: nor an image" \
	'Could not find any image named or with an ID starting with "zz"' "$(sed -n 2p <<<"$err")"
check "unknown container exits 1" test $rc -eq 1
id=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
check "history by ID prefix" test "$("$DE" -r "$R" history "${id:0:6}" | jq -r 'keys_unsorted[0]')" = "$web_id"
check "history by /name" test "$("$DE" -r "$R" history /web | jq -r 'keys_unsorted[0]')" = "$web_id"
