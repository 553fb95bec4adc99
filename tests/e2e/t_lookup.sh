# Which container a CONTAINER argument names, on hosts where runtimes
# share names and ID prefixes (issue 10, item 2): the trial host (Docker
# 20.10 and Podman 4.3 on one root, both with `sleeper_running` and
# `never_started`) and the all-runtimes host of t_allhost.sh (Docker /web,
# containerd k8s.io/web, user ana's rootless Docker /web). Every expected
# candidate comes from what the engines said (docker inspect, podman ps,
# ctr containers ls); no root may win by coming first.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "look-up: extracting the fixtures needs root"; exit 0; fi
scratch
untar() { tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$1" -C "$2"; }
ID_OF='[.. | objects | (.Id // .ID // .id // empty) | strings] | first'
HINT=' (choose one as RUNTIME:REF, as listed)'

# ambiguity_set MSG HEAD: the candidates of an ambiguity message, one a line, sorted
ambiguity_set() {
	local m=${1#"$2"}
	m=${m%"$HINT"}
	tr -d ' ' <<<"$m" | tr ',' '\n' | sort
}

# ---- the trial host -----------------------------------------------------------
T=$SCRATCH/trial
extract_trial "$T"
# every container the engines listed: runtime, name, ID
{
	jq -r '.[] | ["docker", (.Name | ltrimstr("/")), .Id] | @tsv' "$TRIAL_ORACLE/docker-containers.inspect.json"
	jq -r '.[] | ["podman", .Names[0], .Id] | @tsv' "$TRIAL_ORACLE/podman-ps.json"
} > "$SCRATCH/trial.tsv"

for name in sleeper_running never_started; do
	want=$(awk -F'\t' -v n="$name" '$2 == n {print $1 ":" substr($3, 1, 12)}' "$SCRATCH/trial.tsv" | sort)
	for cmd in diff inspect ls logs history "cat /etc/hostname" "export $SCRATCH/x.tar" \
	           "mount $SCRATCH/mnt --dry-run" timeline; do
		read -ra w <<<"$cmd"
		"$DE" --root "$T" "${w[0]}" "$name" "${w[@]:1}" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
		err=$(cat "$SCRATCH/err")
		check "trial: $cmd $name: exit 1, nothing on stdout (nor exported)" \
			test $rc -eq 1 -a ! -s "$SCRATCH/out" -a ! -e "$SCRATCH/x.tar"
		same_text "trial: $cmd $name names Docker's and Podman's (docker inspect, podman ps)" \
			"$want" "$(ambiguity_set "$err" "\"$name\" names 2 containers: ")"
	done
	for label in $want; do
		same_text "trial: $label is the one listed" \
			"$(awk -F'\t' -v n="$name" -v r="${label%%:*}" '$1 == r && $2 == n {print $3}' "$SCRATCH/trial.tsv")" \
			"$("$DE" --root "$T" inspect "$label" | jq -r "$ID_OF")"
		rt=${label%%:*}
		same_text "trial: $rt:$name chooses by runtime" \
			"$(awk -F'\t' -v n="$name" -v r="$rt" '$1 == r && $2 == n {print $3}' "$SCRATCH/trial.tsv")" \
			"$("$DE" --root "$T" inspect "$rt:$name" | jq -r "$ID_OF")"
	done
done

# every one-character ID prefix, the candidates computed from the engines' IDs
for p in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do
	awk -F'\t' -v p="$p" 'index($3, p) == 1 {print $1 ":" $3}' "$SCRATCH/trial.tsv" | sort > "$SCRATCH/cands"
	n=$(wc -l < "$SCRATCH/cands")
	err=$("$DE" --root "$T" inspect "$p" 2>&1 >/dev/null); rc=$?
	if [ "$n" = 0 ]; then
		same_text "trial: prefix $p matches nothing: de.py's message" \
			"Could not find any container ID starting with \"$p\"" "$err"
	elif [ "$n" = 1 ]; then
		same_text "trial: prefix $p is $(cat "$SCRATCH/cands")" "$(cut -d: -f2 "$SCRATCH/cands")" \
			"$("$DE" --root "$T" inspect "$p" | jq -r "$ID_OF")"
	elif [ "$(cut -d: -f1 "$SCRATCH/cands" | sort -u | wc -l)" = 1 ]; then
		# all in Docker's one root: de.py's message, its full IDs
		same_text "trial: prefix $p, $n containers of one root: de.py's message" \
			"$(cut -d: -f2 "$SCRATCH/cands")" \
			"$(ambiguity_set "$err" "Too many container IDs starting with \"$p\": ")"
		check "trial: prefix $p: de.py's message exactly" grep -q "^Too many container IDs starting with \"$p\": [0-9a-f, ]*\$" <<<"$err"
	else
		same_text "trial: prefix $p shared by $(cut -d: -f1 "$SCRATCH/cands" | sort -u | tr '\n' ' ')names each with its runtime" \
			"$(cat "$SCRATCH/cands")" \
			"$(ambiguity_set "$err" "Too many container IDs starting with \"$p\": ")"
		check "trial: prefix $p: exit 1" test $rc -eq 1
		while IFS=: read -r rt id; do
			same_text "trial: $rt:${id:0:1} … $rt:$id chooses it" "$id" \
				"$("$DE" --root "$T" inspect "$rt:$id" | jq -r "$ID_OF")"
		done < "$SCRATCH/cands"
	fi
done
# an ID prefix of one runtime: Docker's order (ID, name, prefix) within the runtime
id=$(awk -F'\t' '$1 == "podman" && $2 == "sleeper_running" {print $3}' "$SCRATCH/trial.tsv")
same_text "trial: podman:PREFIX picks among Podman's only" "$id" \
	"$("$DE" --root "$T" inspect "podman:${id:0:4}" | jq -r "$ID_OF")"
err=$("$DE" --root "$T" diff sleeper_runing 2>&1 >/dev/null)
same_text "trial: a near miss is de.py's message, and the nearest names of every runtime" \
	'Could not find any container ID starting with "sleeper_runing"
did you mean: sleeper_running (docker, podman)?' "$err"
err=$("$DE" --root "$T" diff docker:pod_changed 2>&1 >/dev/null)
same_text "trial: a name of another runtime is not found in the one asked for" \
	'Could not find any container ID starting with "docker:pod_changed"' "$err"
err=$("$DE" --root "$T" diff crio:web 2>&1 >/dev/null); rc=$?
same_text "trial: an unknown runtime is said, with the known ones" \
	'"crio:web": unknown runtime "crio" (CONTAINER is [RUNTIME:]REF, RUNTIME one of docker, podman, cri-o, containerd, containers-storage, k8s)' "$err"

# ---- the all-runtimes host -------------------------------------------------------
H=$SCRATCH/all
extract_sample "$H"
untar "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" "$H"
mkdir -p "$SCRATCH/d29" "$H/home/ana/.local/share"
untar "$TOP/tests/data/docker29-host/docker29-host.tar.gz" "$SCRATCH/d29"
mv "$SCRATCH/d29/var/lib/docker" "$H/home/ana/.local/share/docker"
RO=$TOP/tests/data/runtimes-host/oracle
{
	jq -r '.[] | ["docker", (.Name | ltrimstr("/")), .Id, "docker"] | @tsv' "$ORACLE/containers.inspect.json"
	awk '{print "docker\t" $1 "\t" $2 "\tdocker@/home/ana/.local/share/docker"}' "$TOP/tests/data/docker29-host/oracle/containers.txt"
	jq -r '.[] | ["podman", .Names[0], .Id, "podman"] | @tsv' "$RO/podman-ps.json"
	for ns in default k8s.io; do
		awk -v ns="$ns" 'NR > 1 {print "containerd\t" $1 "\t" $1 "\tcontainerd\t" ns}' "$RO/ctr.$ns.containers.txt"
	done
} > "$SCRATCH/all.tsv"

err=$("$DE" --root "$H" ls web 2>&1 >/dev/null); rc=$?
same_text "all: \"web\" names Docker's, the rootless Docker's and containerd's" \
	"$(awk -F'\t' '$2 == "web" {print ($1 == "containerd" ? "containerd:" $5 "/" $3 : $1 ":" substr($3, 1, 12))}' "$SCRATCH/all.tsv" | sort)" \
	"$(ambiguity_set "$err" '"web" names 3 containers: ')"
check "all: the ambiguity exits 1" test $rc -eq 1
same_text "all: docker:web still names two roots' /web" \
	"$(awk -F'\t' '$2 == "web" && $1 == "docker" {print "docker:" substr($3, 1, 12)}' "$SCRATCH/all.tsv" | sort)" \
	"$(ambiguity_set "$("$DE" --root "$H" ls docker:web 2>&1)" '"docker:web" names 2 containers: ')"
for ref in containerd:web containerd:k8s.io/web k8s.io/web; do
	same_text "all: $ref is containerd's k8s.io/web" "web" "$("$DE" --root "$H" inspect "$ref" | jq -r "$ID_OF")"
done
id=$(awk -F'\t' '$4 ~ /@/ && $2 == "web" {print $3}' "$SCRATCH/all.tsv")
for ref in "docker:${id:0:12}" "docker@/home/ana/.local/share/docker:web" "docker@$H/home/ana/.local/share/docker:/web"; do
	same_text "all: $ref is the rootless Docker's /web, the same files as through -r" \
		"$("$DE" -r "$H/home/ana/.local/share/docker" ls web / -R -l)" "$("$DE" --root "$H" ls "$ref" / -R -l)"
done
# the shared prefixes, computed from the engines' IDs
for p in 0 1 2 3 4 5 6 7 8 9 a b c d e f i o w; do
	awk -F'\t' -v p="$p" 'index($3, p) == 1 {print ($1 == "containerd" ? "containerd:" $5 "/" $3 : $1 ":" $3) "\t" $4}' \
		"$SCRATCH/all.tsv" | sort > "$SCRATCH/cands"
	n=$(wc -l < "$SCRATCH/cands")
	roots=$(cut -f2 "$SCRATCH/cands" | sort -u | wc -l)
	[ "$n" -gt 1 ] && [ "$roots" -gt 1 ] || continue
	err=$("$DE" --root "$H" inspect "$p" 2>&1 >/dev/null)
	same_text "all: prefix $p, $n containers of $roots roots: each named, with its runtime" \
		"$(cut -f1 "$SCRATCH/cands")" "$(ambiguity_set "$err" "Too many container IDs starting with \"$p\": ")"
done
# look-ups read the roots once a run: a timeline of four containers opens
# each Docker config as often as a timeline of one
count_opens() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=openat,openat2 -o "$SCRATCH/trace" "$DE" --root "$H" timeline "$@" > /dev/null 2>&1
	grep -c 'config\.v2\.json' "$SCRATCH/trace"
}
if [[ $DE == *valgrind* ]] || ! command -v strace > /dev/null || ! strace -qq -o /dev/null true 2>/dev/null; then
	skip "all: reads per run: strace is missing or cannot trace here (or valgrind)"
else
	one=$(count_opens docker:noisy)
	four=$(count_opens docker:noisy docker:871fa podman:pweb k8s.io/idle)
	same_text "all: the Docker configs are read once a run, whatever the number of look-ups" "$one" "$four"
fi
same_text "all: a timeline of containers of three runtimes, each looked up" "idle noisy pweb" \
	"$("$DE" --root "$H" timeline docker:noisy podman:pweb k8s.io/idle | grep -o '^0|[^:|]*: container created|' | cut -d'|' -f2 | sed 's/: container created$//' | sort | tr '\n' ' ' | sed 's/ $//')"

err=$("$DE" -r "$H/var/lib/docker" diff podman:pweb 2>&1 >/dev/null)
same_text "all: -r and a runtime it does not hold: said, and how to read them all" \
	"\"podman:pweb\": no podman data root in this run (its data roots: $H/var/lib/docker; -r reads one Docker data root, --root HOST every runtime's)" "$err"

# CONSTRUCTED: the real containerd root copied to /opt/ctd and config.toml
# pointing there, as a host whose configuration moved containerd's root
# keeps the old one: the same NAMESPACE/ID in two roots, named by ROOT.
cp -a "$H/var/lib/containerd" "$H/opt-ctd" && mkdir -p "$H/opt" && mv "$H/opt-ctd" "$H/opt/ctd"
sed -i 's#^root = .*#root = "/opt/ctd"#' "$H/etc/containerd/config.toml"
err=$("$DE" --root "$H" inspect k8s.io/web 2>&1 >/dev/null)
same_text "all+copy: k8s.io/web in two containerd roots: each named with its ROOT" \
	"$(printf '%s\n' containerd@/opt/ctd:k8s.io/web containerd@/var/lib/containerd:k8s.io/web)" \
	"$(ambiguity_set "$err" '"k8s.io/web" names 2 containers: ')"
for r in /opt/ctd /var/lib/containerd "$H/opt/ctd"; do
	own=$H${r#"$H"}
	"$DE" --root "$H" mount "containerd@$r:k8s.io/web" "$SCRATCH/mnt" --dry-run > "$SCRATCH/m" 2>&1
	check "all+copy: containerd@$r:k8s.io/web mounts that root's snapshots" grep -q "$own/io.containerd.snapshotter" "$SCRATCH/m"
	check "all+copy: containerd@$r:k8s.io/web mounts no other root's" test "$(grep -c "$H/var/lib/containerd\|$H/opt/ctd" "$SCRATCH/m")" = "$(grep -c "$own" "$SCRATCH/m")"
done
