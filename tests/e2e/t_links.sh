# `de ls -l` link counts against what the running containers of the trial
# host saw (`stat -c %h` inside them, recorded by the fixture script): a
# directory overlayfs merges from two or more layers counts 1, an opaque or
# single-layer one its own links, a file hard-linked in the container 2.
# What the engine mounted over the layers (/dev, /proc, /sys, the engine's
# /etc files, volumes and binds, Podman's /run/.containerenv) is left out:
# the layers do not hold what the container saw there.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "links: extracting the fixture needs root"; exit 0; fi
scratch
T=$SCRATCH/trial
extract_trial "$T"
TO=$TRIAL_ORACLE

# kept PATH...: reads "PATH COUNT" lines, keeps those not at or below a PATH
kept() {
	awk -v skip="$*" 'BEGIN { n = split(skip, s, " ") }
		{ for (i = 1; i <= n; i++) if ($1 == s[i] || index($1, s[i] "/") == 1) next; print }'
}
# compare NAME TSV LS MOUNTS: path and link count of every entry both list
compare() {
	local skip="/dev /proc /sys /etc/hostname /etc/hosts /etc/resolv.conf /run/.containerenv $4"
	local want got both
	want=$(awk -F'\t' '$1 != "/" {print $1 " " $7}' "$2" | kept $skip | sort)
	got=$(awk '{print $7 " " $2}' <<<"$3" | kept $skip | sort)
	both=$(comm -12 <(cut -d' ' -f1 <<<"$want") <(cut -d' ' -f1 <<<"$got"))
	same_text "$1: link counts as the container saw them" \
		"$(join <(echo "$both") <(echo "$want"))" "$(join <(echo "$both") <(echo "$got"))"
	check "$1: most entries compared ($(wc -l <<<"$both"))" test "$(wc -l <<<"$both")" -ge 30
}
for name in web_attacked sleeper_running; do
	mounts=$(jq -r --arg n "/$name" '.[] | select(.Name == $n) | .Mounts[].Destination' "$TO/docker-containers.inspect.json")
	compare "ls -l docker $name" "$TO/docker-exec.$name.stat.tsv" \
		"$("$DE" -r "$T/var/lib/docker" ls "$name" / -R -l --no-volumes)" "$mounts"
done
pid=$(jq -r '.[0].Id' "$TO/podman.container.sleeper_running.json")
mounts=$(jq -r '.[0].Mounts[].Destination' "$TO/podman.container.sleeper_running.json")
compare "ls -l podman sleeper_running" "$TO/podman-exec.sleeper_running.stat.tsv" \
	"$("$DE" --root "$T" ls "$pid" / -R -l --no-volumes)" "$mounts"
got=$("$DE" -r "$T/var/lib/docker" ls web_attacked /tmp -l)
same_text "ls -l web_attacked /tmp: the hard link made in the container counts 2" \
	"$(awk -F'\t' '$1 == "/tmp/index.lnk" {print $7}' "$TO/docker-exec.web_attacked.stat.tsv")" \
	"$(awk '$7 == "index.lnk" {print $2}' <<<"$got")"
