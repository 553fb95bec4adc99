# The files an engine bind-mounts into a container over the layers'
# placeholders (issue 10, item 9): what the container saw at /etc/hostname,
# /etc/hosts, /etc/resolv.conf and /run/.containerenv. The oracles: the
# engine's own record of them (docker inspect's HostnamePath, HostsPath,
# ResolvConfPath and Config.Hostname; podman inspect's; the OCI spec Podman
# gave its runtime), the files at those paths, and the kernel bind-mounting
# them over its overlay mount of the layers.
. "$(dirname "$0")/lib.sh"
if ! can_extract; then skip "engine files: extracting the fixtures needs root"; exit 0; fi
scratch
H=$SCRATCH/host
R=$H/var/lib/docker
extract_sample "$H"
INSPECT=$ORACLE/containers.inspect.json
LISTING="python3 $TOP/tests/e2e/listing.py"
WEB=$(jq -r '.[] | select(.Name == "/web") | .Id' "$INSPECT")

# ---- Docker 20.10 (sample host) ------------------------------------------------
for name in $(jq -r '.[] | select(.HostnamePath != "") | .Name | ltrimstr("/")' "$INSPECT"); do
	q() { jq -r --arg n "/$name" ".[] | select(.Name == \$n) | $1" "$INSPECT"; }
	same_text "$name: cat /etc/hostname is docker inspect's Config.Hostname" \
		"$(q .Config.Hostname)" "$("$DE" -r "$R" cat "$name" /etc/hostname)"
	for f in hostname:HostnamePath hosts:HostsPath resolv.conf:ResolvConfPath; do
		src=$H$(q ".${f#*:}")
		check "$name: cat /etc/${f%%:*} is the file at docker inspect's ${f#*:}" \
			cmp -s "$src" <("$DE" -r "$R" cat "$name" "/etc/${f%%:*}")
		same_text "$name: ls -l /etc/${f%%:*}: that file's mode, owner, size and mtime" \
			"$($LISTING "$(dirname "$src")" --nlink | grep " /${f%%:*}$" | sed "s| /${f%%:*}$| ${f%%:*}|")" \
			"$("$DE" -r "$R" ls -l "$name" /etc | grep " ${f%%:*}$")"
	done
done
same_text "ls --layer: marked as the engine's" "engine:hostname hostname
engine:hosts hosts
engine:resolv.conf resolv.conf" "$("$DE" -r "$R" ls --layer web /etc | grep -E ' (hostname|hosts|resolv.conf)$')"
out=$("$DE" -r "$R" cat idle /etc/hostname 2>&1); rc=$?
same_text "idle (never started, no HostnamePath): the layers' placeholder, exit 0, no warning" \
	"0 ''" "$rc '$out'"
same_text "--no-volumes: the layers alone (the -init layer's empty placeholder)" \
	"" "$("$DE" -r "$R" cat web /etc/hostname --no-volumes)"

# timeline: the engine's file, marked, and not the placeholder it hides
same_text "timeline jsonl: /etc/hostname from engine:hostname only, with its size" \
	"engine:hostname $(stat -c %s "$H$(jq -r '.[] | select(.Name == "/web") | .HostnamePath' "$INSPECT")")" \
	"$("$DE" -r "$R" timeline web --format jsonl 2>/dev/null |
		jq -r 'select(.path == "/etc/hostname") | "\(.layer) \(.size)"' | sort -u)"

# The kernel as the oracle of what a bind mount of those files shows: de
# mount binds them over its overlay mount; ls, FUSE and export must agree.
if unshare -m true 2>/dev/null && grep -qw overlay /proc/filesystems; then
	K=$SCRATCH/k F=$SCRATCH/f X=$SCRATCH/x T=$SCRATCH/t
	mkdir -p "$K" "$F" "$X" "$T"
	pick() { grep -E ' /etc/(hostname|hosts|resolv\.conf)( |$)'; }
	unshare -m --propagation private bash -c "'$DE' -r '$R' mount web '$K' >/dev/null &&
		$LISTING '$K' --nlink > '$SCRATCH/k.ls'; $LISTING '$K' --hash --xattrs > '$SCRATCH/k.lh'"
	# (the mode, owner, size, mtime and content of the files Docker wrote)
	same_text "kernel: the three files bound" \
		"$($LISTING "$R/containers/$WEB" --hash --xattrs | grep -E ' /(hostname|hosts|resolv\.conf) ' | cut -d' ' -f1-5,7-)" \
		"$(pick < "$SCRATCH/k.lh" | cut -d' ' -f1-5,7-)"
	same_text "ls -R -l equals the kernel's bind mounts" "$(pick < "$SCRATCH/k.ls")" \
		"$("$DE" -r "$R" ls web / -R -l | pick)"
	if command -v fusermount3 >/dev/null && [ -e /dev/fuse ]; then
		unshare -m --propagation private bash -c "'$DE' -r '$R' mount web '$F' --fuse 2>/dev/null &&
			$LISTING '$F' --hash --xattrs > '$SCRATCH/f.lh'; fusermount3 -u '$F'"
		same_text "FUSE equals the kernel's bind mounts (content, xattrs)" \
			"$(pick < "$SCRATCH/k.lh")" "$(pick < "$SCRATCH/f.lh")"
	else
		skip "FUSE: no fusermount3 or /dev/fuse"
	fi
	"$DE" -r "$R" export web "$X" /etc
	same_text "export into a directory equals the kernel's bind mounts" \
		"$(pick < "$SCRATCH/k.lh")" "$($LISTING "$X" --hash --xattrs | pick)"
	"$DE" -r "$R" export web "$SCRATCH/web.tar"
	tar --xattrs --xattrs-include='*' --numeric-owner -p -xf "$SCRATCH/web.tar" -C "$T" etc
	same_text "export tar, extracted by GNU tar, equals the kernel's bind mounts" \
		"$(pick < "$SCRATCH/k.lh")" "$($LISTING "$T" --hash --xattrs | pick)"
else
	skip "engine files against the kernel: needs unshare -m and overlayfs"
fi

# Damaged and hostile evidence (the sample's files changed by this test).
mv "$R/containers/$WEB/resolv.conf" "$SCRATCH/resolv.conf.saved"
out=$("$DE" -r "$R" cat web /etc/resolv.conf 2>&1 >/dev/null); rc=$?
same_text "resolv.conf gone: the placeholder, exit 3" "3 0" \
	"$rc $("$DE" -r "$R" cat web /etc/resolv.conf 2>/dev/null | wc -c)"
check "resolv.conf gone: the warning names it and its mount point" \
	grep -q "/etc/resolv.conf (mounted by the engine): .*/containers/$WEB/resolv.conf: No such file" <<<"$out"
same_text "resolv.conf gone: the other files are still shown" "web01" \
	"$("$DE" -r "$R" cat web /etc/hostname 2>/dev/null)"
mv "$SCRATCH/resolv.conf.saved" "$R/containers/$WEB/resolv.conf"
mv "$R/containers/$WEB/hostname" "$SCRATCH/hostname.saved"
ln -s /etc/shadow "$R/containers/$WEB/hostname"
out=$("$DE" -r "$R" cat web /etc/hostname 2>&1); rc=$?
same_text "hostname a symlink out of the evidence: not followed, exit 3, the placeholder" "3" "$rc"
check "hostname a symlink: said so" grep -q "a symbolic link (not followed)" <<<"$out"
check "hostname a symlink: nothing of the analyst's /etc/shadow" test "$(grep -c root: <<<"$out")" = 0
rm "$R/containers/$WEB/hostname"
mv "$SCRATCH/hostname.saved" "$R/containers/$WEB/hostname"

# ---- Docker 29 (containerd image store) -------------------------------------------
H29=$SCRATCH/h29
mkdir -p "$H29"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/docker29-host/docker29-host.tar.gz" -C "$H29"
for cfg in "$H29"/var/lib/docker/containers/*/config.v2.json; do
	name=$(jq -r '.Name | ltrimstr("/")' "$cfg")
	check "docker29 $name: cat /etc/hosts is the file at config.v2.json's HostsPath" \
		cmp -s "$H29$(jq -r .HostsPath "$cfg")" <("$DE" -r "$H29/var/lib/docker" cat "$name" /etc/hosts)
done

# ---- the trial host: what the running containers themselves saw --------------------
# (docker exec / podman exec: cat of each file, and stat of every path)
HT=$SCRATCH/ht
extract_trial "$HT"
TO=$TRIAL_ORACLE
# stat lines of the entries of DIR in a copy X of it, as the oracle's
stat_below() { (cd "$1" && find "${2#/}" -mindepth 1 -maxdepth 1 -exec stat -c '/%n	%F	%a	%u	%g	%s	%h' {} + | LC_ALL=C sort); }
for c in docker:web_attacked docker:sleeper_running podman:sleeper_running; do
	eng=${c%%:*} name=${c#*:} ref=$c   # (sleeper_running: a name of both engines)
	for f in etc.hostname etc.hosts etc.resolv.conf run..containerenv; do
		want=$TO/$eng-exec.$name.$f
		[ -e "$want" ] || continue
		path=/${f/./\/}
		if grep -q "can't open" "$want"; then
			out=$("$DE" --root "$HT" cat "$ref" "$path" 2>&1); rc=$?
			same_text "trial $c: $path absent, as in the container (exit 1)" "1" "$rc"
		else
			check "trial $c: cat $path is what the container read" \
				cmp -s "$want" <("$DE" --root "$HT" cat "$ref" "$path")
		fi
	done
	for dir in /etc /run; do
		grep -qP "^\\Q$dir\\E/" "$TO/$eng-exec.$name.stat.tsv" || continue   # (Docker's: no /run)
		X=$SCRATCH/x-$eng-$name${dir//\//-}
		mkdir -p "$X"
		"$DE" --root "$HT" export "$ref" "$X" "$dir" 2>/dev/null
		same_text "trial $c: export $dir: each entry's type, mode, owner, size and links as the container's stat" \
			"$(grep -P "^\\Q$dir\\E/[^/]+\t" "$TO/$eng-exec.$name.stat.tsv" | LC_ALL=C sort)" \
			"$(stat_below "$X" "$dir")"
	done
done

# ---- Podman 4.3 (runtimes host) ------------------------------------------------------
HP=$SCRATCH/hp
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$HP"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$HP"
PI=$RO/podman.container.pweb.json
same_text "pweb: cat /etc/hostname is podman inspect's Config.Hostname" \
	"$(jq -r '.[0].Config.Hostname' "$PI")" "$("$DE" --root "$HP" cat pweb /etc/hostname)"
for f in hostname:HostnamePath hosts:HostsPath; do
	check "pweb: cat /etc/${f%%:*} is the file at podman inspect's ${f#*:}" \
		cmp -s "$HP$(jq -r ".[0].${f#*:}" "$PI")" <("$DE" --root "$HP" cat pweb "/etc/${f%%:*}")
done
# every bind of the spec Podman gave the runtime from its own userdata/
# directories (its /dev/shm is a tmpfs: not on disk), where the spec says
SPEC=$HP/var/lib/containers/storage/overlay-containers/$(jq -r '.[0].Id' "$PI")/userdata/config.json
jq -r '.mounts[] | select(.type == "bind" and (.source | test("/userdata/"))
	and (.source | endswith("/shm") | not)) | "\(.destination) \(.source)"' "$SPEC" > "$SCRATCH/binds"
check "pweb: the spec binds /etc/hostname, /etc/hosts, /run/.containerenv" \
	test "$(cut -d' ' -f1 "$SCRATCH/binds" | sort | tr '\n' ' ')" = "/etc/hostname /etc/hosts /run/.containerenv "
while read -r dest src; do
	same_text "pweb $dest: from the engine (ls --layer)" "engine:${src##*/} $dest" \
		"$("$DE" --root "$HP" ls --layer pweb "$dest")"
	check "pweb $dest: the file at the spec's source" cmp -s "$HP$src" <("$DE" --root "$HP" cat pweb "$dest")
done < "$SCRATCH/binds"
out=$("$DE" --root "$HP" ls pidle /etc 2>&1 >/dev/null); rc=$?
same_text "pidle (never started: no spec): the layers, exit 0, no warning" "0 ''" "$rc '$out'"
if unshare -m true 2>/dev/null && grep -qw overlay /proc/filesystems; then
	mkdir -p "$SCRATCH/kp"
	unshare -m --propagation private bash -c "'$DE' --root '$HP' mount pweb '$SCRATCH/kp' >/dev/null &&
		$LISTING '$SCRATCH/kp' --nlink > '$SCRATCH/kp.ls'"
	pick() { grep -E ' /(etc/hostname|etc/hosts|run/\.containerenv)$'; }
	same_text "pweb kernel: the three files bound" \
		"$(while read -r dest src; do $LISTING "$HP${src%/*}" | grep " /${src##*/}$" | cut -d' ' -f1-5; done \
			< <(sort "$SCRATCH/binds"))" "$(pick < "$SCRATCH/kp.ls" | cut -d' ' -f1,3-6)"
	same_text "pweb: ls -R -l equals the kernel's bind mounts" "$(pick < "$SCRATCH/kp.ls")" \
		"$("$DE" --root "$HP" ls pweb / -R -l | pick)"
else
	skip "pweb against the kernel: needs unshare -m and overlayfs"
fi
# A host imaged powered off: /run (a tmpfs) is gone, and with it the files
# Podman keeps there. The container saw them: de says they are missing.
rm -rf "$HP/run/containers"
out=$("$DE" --root "$HP" cat pweb /etc/hostname 2>&1 >/dev/null); rc=$?
same_text "pweb without /run: exit 3, the placeholder" "3 0" \
	"$rc $("$DE" --root "$HP" cat pweb /etc/hostname 2>/dev/null | wc -c)"
check "pweb without /run: the warning names the file" \
	grep -q "/etc/hostname (mounted by the engine): .*/userdata: No such file or directory (/run is a tmpfs" <<<"$out"

# ---- Kubernetes node (containerd 1.6's CRI plugin) -----------------------------------
# The spec in meta.db binds the sandbox's hostname and resolv.conf (the
# engine's), the kubelet's etc-hosts, its termination-log file and the pod's
# volumes (the orchestrator's): each where the container saw it, as ExecSync
# `cat` inside the running containers recorded.
HK=$SCRATCH/hk
KO=$TOP/tests/data/k8s-node/oracle
mkdir -p "$HK"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP/tests/data/k8s-node/k8s-node.tar.gz" -C "$HK"
while IFS=$'\t' read -r pod ctr attempt id _; do
	tag="${pod/\//_}_${ctr}_$attempt"
	[ -e "$KO/exec.$tag.etc_hostname" ] || continue   # (the running ones)
	for f in hostname hosts resolv.conf; do
		check "k8s $pod $ctr: cat /etc/$f is what the container read" \
			cmp -s "$KO/exec.$tag.etc_$f" <("$DE" --root "$HK" cat "k8s.io/$id" "/etc/$f" 2>/dev/null)
	done
	[ "$ctr" = web ] || continue
	same_text "k8s web: marked (engine: the sandbox's files; etc-hosts: the kubelet's)" \
		"engine:hostname hostname
etc-hosts:$HK/var/lib/kubelet/pods/$(jq -r '.status.metadata.uid // .status.labels["io.kubernetes.pod.uid"]' \
		"$KO/cri.pod.${pod/\//_}.json")/etc-hosts hosts
engine:resolv.conf resolv.conf" "$("$DE" --root "$HK" ls --layer "k8s.io/$id" /etc 2>/dev/null | grep -E ' (hostname|hosts|resolv\.conf)$')"
	# the volumes: an emptyDir, a hostPath, a configMap (through its ..data links)
	for p in cache/session.txt data/README data/incoming/upload.txt etc/web/app.conf etc/web/mode; do
		check "k8s web: cat /$p (a pod volume) is what the container read" \
			cmp -s "$KO/exec.$tag.${p//\//_}" <("$DE" --root "$HK" cat "k8s.io/$id" "/$p" 2>/dev/null)
	done
done < <(tail -n +2 "$KO/ids.tsv")
# the kubelet's secret volume is a tmpfs (the container's mountinfo says so):
# its directory on disk is empty, and de says why
WEBK=$(awk -F'\t' '$2 == "web" {print $4}' "$KO/ids.tsv")
check "k8s web: /etc/tls was a tmpfs inside the container (mountinfo)" \
	grep -q ' /etc/tls ro,relatime - tmpfs ' "$KO/exec.default_web-5f7b9d6c8-x2x9k_web_0.mountinfo"
out=$("$DE" --root "$HK" ls "k8s.io/$WEBK" /etc/tls 2>&1); rc=$?
same_text "k8s web: /etc/tls empty on disk, a note says why, exit 0" \
	"0 de: /etc/tls: a kubelet secret or projected volume, a tmpfs: the files the container saw there were in memory, not on disk" \
	"$rc $out"
