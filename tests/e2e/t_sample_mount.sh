# `de mount` on the sample host: the commands, and the kernel's merged view
# they build, against the engine's own merged view of the running container
# (a find listing made while it ran).
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "sample host mount: extracting needs root"; exit 0; fi
scratch
H=$SCRATCH/host
extract_sample "$H"
R=$H/var/lib/docker
id=$(jq -r '.[] | select(.Name == "/web") | .Id' "$ORACLE/containers.inspect.json")

cmds=$("$DE" -r "$R" mount web "$SCRATCH/mnt" --dry-run); rc=$?
check "mount --dry-run exits 0" test $rc -eq 0
check "mount --dry-run: six commands" test "$(wc -l <<<"$cmds")" = 6
# The lowerdir: the container's diff, then overlay2's short links, which
# must resolve to the engine's LowerDir, in order.
lower=$(head -1 <<<"$cmds" | sed -n 's/.*,lowerdir=\([^ ]*\) .*/\1/p')
resolved=$(tr ':' '\n' <<<"$lower" | while read -r p; do readlink -f "$p"; done)
want=$(jq -r --arg id "$id" --arg h "$H" '.[] | select(.Id == $id) | .GraphDriver.Data |
	[.UpperDir] + (.LowerDir | split(":")) | map($h + .) | .[]' "$ORACLE/containers.inspect.json")
same_text "mount: lowerdir resolves to the engine's layers" "$want" "$resolved"
same_text "mount: bind commands" \
	"/bin/mount --bind -o ro $R/volumes/webdata/_data $SCRATCH/mnt/data
/bin/mount --bind -o ro $H/srv/data $SCRATCH/mnt/mnt/host" "$(sed -n 2,3p <<<"$cmds")"
# then the files Docker mounted over the -init layer's, where docker inspect
# says they are, in the order Docker mounts them (container.NetworkMounts)
same_text "mount: the files the engine mounted, bound last" \
	"$(jq -r --arg id "$id" --arg h "$H" --arg m "$SCRATCH/mnt" '.[] | select(.Id == $id) |
		"/bin/mount --bind -o ro \($h + .ResolvConfPath) \($m)/etc/resolv.conf",
		"/bin/mount --bind -o ro \($h + .HostnamePath) \($m)/etc/hostname",
		"/bin/mount --bind -o ro \($h + .HostsPath) \($m)/etc/hosts"' "$ORACLE/containers.inspect.json")" \
	"$(tail -3 <<<"$cmds")"

if ! grep -qw overlay /proc/filesystems; then
	skip "kernel mount: this kernel has no overlayfs"; exit 0
fi
if ! unshare -m true 2>/dev/null; then
	skip "kernel mount: cannot make a private mount namespace (unshare -m)"; exit 0
fi
mkdir "$SCRATCH/mnt"
# In a private mount namespace, so nothing is left mounted whatever happens.
unshare -m --propagation private bash -c '
	"$1" -r "$2" mount web "$3" >/dev/null || exit 1
	(cd "$3" && find . -xdev -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$4/merged.tsv"
	cat "$3/data/vol.txt" "$3/mnt/host/report.txt" > "$4/binds.txt"
	touch "$3/tmp/write-test" 2>/dev/null && echo writable > "$4/rw.txt"
	true' _ "$DE" "$R" "$SCRATCH/mnt" "$SCRATCH"
check "mount: the kernel mounted it" test -s "$SCRATCH/merged.tsv"
# (the engine's listing is of its merged directory: the layers, without the
# files it bind-mounted over them, which are checked on their own)
net='^\./etc/(hostname|hosts|resolv\.conf)	'
same_text "mount: merged view equals the engine's (but for the files it bind-mounts)" \
	"$(grep -Pv "$net" "$ORACLE/merged.$id.tsv")" "$(grep -Pv "$net" "$SCRATCH/merged.tsv" 2>/dev/null)"
same_text "mount: /etc/hostname, hosts, resolv.conf are the files at docker inspect's paths" \
	"$(for k in HostnamePath:hostname HostsPath:hosts ResolvConfPath:resolv.conf; do
		f=$H$(jq -r --arg id "$id" ".[] | select(.Id == \$id) | .${k%%:*}" "$ORACLE/containers.inspect.json")
		find "$f" -printf "./etc/${k#*:}\t%y\t%m\t%U\t%G\t%s\t%l\n"; done)" \
	"$(grep -P "$net" "$SCRATCH/merged.tsv" 2>/dev/null)"
same_text "mount: volume and bind mounted at their destinations" \
	"volume-data
evidence from the host" "$(cat "$SCRATCH/binds.txt" 2>/dev/null)"
check "mount: read-only" test ! -e "$SCRATCH/rw.txt"
