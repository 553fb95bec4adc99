# `de diff` against the engines' own diff, recorded when the fixtures were
# made: the text is exactly what `docker diff` printed for every Docker
# container (sample host, trial host) and what `podman diff` printed for
# every Podman container (trial host), compared sorted (the engines' own
# order varies from call to call). The JSON marks the same lines
# (engine_diff), and keeps what de sees that the engines do not say: the
# hard-link copy-ups (nlink checked against the link counts the running
# container showed, `stat` inside it), the opaque directory and what it
# hides, the engine's own files, the sample's app.conf whose content
# changed though Docker's comparison does not see it (--hash proves it).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "diff: extracting the fixtures needs root"; exit 0; fi
scratch
H=$SCRATCH/sample
extract_sample "$H"
R=$H/var/lib/docker
T=$SCRATCH/trial
extract_trial "$T"
TR=$T/var/lib/docker
TO=$TRIAL_ORACLE

# engine_lines JSON: the lines the JSON says the engine prints, sorted.
engine_lines() { jq -r '.changes[] | select(.engine_diff) | .engine_diff + " " + (.engine_path // .path)' | sort; }

# ---- text and JSON, every recorded engine diff --------------------------------
for f in "$ORACLE"/diff.*.txt; do
	id=${f##*/diff.}; id=${id%.txt}
	name=$(jq -r --arg id "$id" '.[] | select(.Id == $id) | .Name' "$ORACLE/containers.inspect.json")
	same_text "diff sample $name: the lines docker diff printed" "$(sort "$f")" \
		"$("$DE" -r "$R" diff "$id" | sort)"
	same_text "diff sample $name: JSON engine_diff marks the same lines" "$(sort "$f")" \
		"$("$DE" -r "$R" diff "$id" --format json | engine_lines)"
done
# Docker's own order varies from call to call (a Go map's): de's is the
# path order, a directory before its content
for f in "$TO"/docker-diff.*.txt; do
	name=${f##*/docker-diff.}; name=${name%.txt}
	id=$(jq -r --arg n "/$name" '.[] | select(.Name == $n) | .Id' "$TO/docker-containers.inspect.json")
	same_text "diff trial docker $name: the lines docker diff printed" "$(sort "$f")" \
		"$("$DE" -r "$TR" diff "$name" | sort)"
	same_text "diff trial docker $name: in path order" \
		"$("$DE" -r "$TR" diff "$name" | LC_ALL=C sort -k2)" "$("$DE" -r "$TR" diff "$name")"
	same_text "diff trial docker $name (--root, by ID): the same" "$(sort "$f")" \
		"$("$DE" --root "$T" diff "$id" | sort)"
	same_text "diff trial docker $name: JSON engine_diff marks the same lines" "$(sort "$f")" \
		"$("$DE" -r "$TR" diff "$name" --format json | engine_lines)"
done
for f in "$TO"/podman-diff.*.txt; do
	name=${f##*/podman-diff.}; name=${name%.txt}
	id=$(jq -r '.[0].Id' "$TO/podman.container.$name.json")
	same_text "diff trial podman $name: the lines podman diff printed" "$(sort "$f")" \
		"$("$DE" --root "$T" diff "$id" | sort)"
	same_text "diff trial podman $name: in the order podman diff printed them (its walk's)" \
		"$(cat "$f")" "$("$DE" --root "$T" diff "$id")"
	same_text "diff trial podman $name: JSON engine_diff marks the same lines" "$(sort "$f")" \
		"$("$DE" --root "$T" diff "$id" --format json | engine_lines)"
done

# ---- Docker: the hard-link copy-ups Docker does not see -----------------------
j=$("$DE" -r "$TR" diff linker --format json --hash)
check "diff linker json: the rule is Docker's comparison of views" jq -e \
	'.rule == "docker-views" and .runtime == "docker" and .errors == []' <<<"$j"
check "diff linker json: /etc/passwd is a hard-link copy-up (C in de, not in docker diff)" jq -e \
	'.changes[] | select(.path == "/etc/passwd") | .kind == "C" and .engine_diff == null and
	 .hard_link_copy_up and (.metadata_changed | not) and (.content_changed == false) and
	 .nlink == 2 and .before.nlink == 1 and .sha256 == .before.sha256' <<<"$j"
check "diff linker json: its link is added, with the same link count" jq -e \
	'.changes[] | select(.path == "/root/passwd.lnk") | .kind == "A" and .engine_diff == "A" and .nlink == 2' <<<"$j"
j=$("$DE" -r "$TR" diff web_attacked --format json --hash)
want=$(awk -F'\t' '$1 == "/tmp/index.lnk" {print $7}' "$TO/docker-exec.web_attacked.stat.tsv")
check "diff web_attacked json: /var/www/index.html is a hard-link copy-up, its link count as the container saw ($want)" \
	jq -e --argjson n "$want" '[.changes[] | select(.path == "/var/www/index.html" or .path == "/tmp/index.lnk")] |
	 (map(.nlink) | unique) == [$n] and
	 (.[] | select(.path == "/var/www/index.html") | .hard_link_copy_up and .engine_diff == null)' <<<"$j"
check "diff web_attacked json: the parents of the copy-up are in de's record, not in docker diff" jq -e \
	'[.changes[] | select(.path == "/var" or .path == "/var/www") | select(.kind == "C" and .engine_diff == null)] | length == 2' <<<"$j"
check "diff web_attacked json: the rewritten app.conf is no hard-link copy-up" jq -e \
	'.changes[] | select(.path == "/opt/app/conf/app.conf") | .engine_diff == "C" and .metadata_changed and (.hard_link_copy_up | not)' <<<"$j"
check "diff web_attacked json: the opaque directory, and the file it hides (docker diff: C dir, D file)" jq -e \
	'[.changes[] | select(.path == "/opt/app/old" and .opaque and .kind == "C" and .engine_diff == "C"),
	  select(.path == "/opt/app/old/legacy.txt" and .kind == "D" and .hidden_by == "/opt/app/old" and .engine_diff == "D")] | length == 2' <<<"$j"
check "diff web_attacked json: the whiteout of remove-me.txt is kept, with its own times" jq -e \
	'.changes[] | select(.path == "/opt/app/remove-me.txt") | .kind == "D" and .whiteout.type == "char" and
	 .whiteout.major == 0 and .whiteout.minor == 0 and (.before.sha256 | length) == 64' <<<"$j"
check "diff web_attacked json: the -init layer's files are the engine's" jq -e \
	'[.changes[] | select(.engine_file and .docker and (.layer | startswith("init:"))) | .path] |
	 index("/etc/hosts") and index("/.dockerenv")' <<<"$j"
check "diff web_attacked json: no change of the container is the engine's" jq -e \
	'[.changes[] | select(.engine_file and ((.layer // "") | startswith("container:")))] | length == 0' <<<"$j"
# --all: de's whole record of the container's layer, as text
all=$("$DE" -r "$TR" diff web_attacked --all)
same_text "diff web_attacked --all: the record of the container's layer, in the JSON's kinds" \
	"$(jq -r '.changes[] | select(.engine_file | not) | .kind + " " + .path' <<<"$j" | sort)" "$(sort <<<"$all")"
missing=$(comm -23 <(cut -c3- "$TO/docker-diff.web_attacked.txt" | sort) <(cut -c3- <<<"$all" | sort))
same_text "diff web_attacked --all: holds every path docker diff printed" "" "$missing"
check "diff web_attacked --all: and the hard-link copy-up" grep -qx 'C /var/www/index.html' <<<"$all"

# ---- Podman: its own rule ------------------------------------------------------
pid=$(jq -r '.[0].Id' "$TO/podman.container.pod_changed.json")
j=$("$DE" --root "$T" diff "$pid" --format json --hash)
check "diff pod_changed json: the rule is containers/storage's, from its run root's record" jq -e \
	'.rule == "podman" and .runtime == "podman" and (.rule_basis | test("native-diff\\(\\)-true"))' <<<"$j"
check "diff pod_changed json: the replaced directory is opaque; podman diff deletes it" jq -e \
	'.changes[] | select(.path == "/opt/app/old") | .opaque and .kind == "C" and .engine_diff == "D"' <<<"$j"
check "diff pod_changed json: what it hides is listed, not in podman diff" jq -e \
	'.changes[] | select(.path == "/opt/app/old/legacy.txt") | .kind == "D" and .hidden_by == "/opt/app/old" and .engine_diff == null' <<<"$j"
check "diff pod_changed json: libpod's own files are flagged and left out" jq -e \
	'[.changes[] | select(.engine_file) | select(.engine_diff == null) | .path] as $p |
	 ($p | index("/etc/hosts")) and ($p | index("/run/.containerenv")) and ($p | index("/etc/mtab"))' <<<"$j"
check "diff pod_changed json: /etc/passwd is a hard-link copy-up that podman diff shows" jq -e \
	'.changes[] | select(.path == "/etc/passwd") | .hard_link_copy_up and .engine_diff == "C" and .nlink == 2' <<<"$j"
check "diff pod_changed: --all has the hidden file and libpod's files" bash -c \
	'grep -qx "D /opt/app/old/legacy.txt" <<<"$1" && grep -qx "A /run/.containerenv" <<<"$1"' _ \
	"$("$DE" --root "$T" diff "$pid" --all)"

# ---- the sample: a change Docker's comparison cannot see -----------------------
json=$("$DE" -r "$R" diff web --format json --hash)
check "diff --hash: app.conf's content did change; docker diff does not print it" jq -e \
	'.changes[] | select(.path == "/opt/app/conf/app.conf") | .kind == "C" and .engine_diff == null and
	 .content_changed and .sha256 != .before.sha256' <<<"$json"
check "diff --hash: the deleted file's last content is hashed" jq -e \
	'.changes[] | select(.path == "/srv/www/index.html") | .kind == "D" and (.before.sha256 | length) == 64' <<<"$json"
check "diff json: the dropped script is executable, from the container layer" jq -e \
	'.changes[] | select(.path == "/tmp/dropped.sh") | .executable and (.layer | startswith("container:"))' <<<"$json"
"$DE" -r "$R" diff web --format json --hash --hash-max 5 >"$SCRATCH/out" 2>"$SCRATCH/err"; rc=$?
check "diff --hash-max: larger files are skipped and said (exit 0)" test $rc -eq 0
check "diff --hash-max: says so" grep -q "over --hash-max" "$SCRATCH/err"
check "diff --hash-max: marked in the JSON" jq -e \
	'.changes[] | select(.path == "/tmp/dropped.sh") | .sha256 == null and .sha256_skipped' "$SCRATCH/out"
id=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")
check "diff json: the document names the container and has an empty errors list" jq -e \
	--arg id "$id" '.container == $id and .errors == [] and (.changes | length) > 0' <<<"$json"
check "diff: a bad option value is a usage error (2)" bash -c '"$1" -r "$2" diff web --format xml 2>/dev/null; test $? = 2' _ "$DE" "$R"
