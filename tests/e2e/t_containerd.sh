# containerd, from a host made by a real containerd 1.6
# (tests/fixtures/make-runtimes-host.sh; what ctr said is in oracle/): the
# containers of every namespace with `--root`, each as `ctr containers
# info` shows it, and each container's view from its snapshots, against the
# kernel's overlay mount of them and the running container's own root.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "containerd: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/host
RO=$TOP/tests/data/runtimes-host/oracle
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" -C "$H"
got=$("$DE" --root "$H" list all_containers 2>"$SCRATCH/err"); rc=$?
check "list with --root: exit 0" test $rc -eq 0
same_text "list: every containerd container, with its namespace" \
	"default/oneshot k8s.io/idle k8s.io/web" "$(jq -r '[.[] | select(.runtime == "containerd") | .namespace + "/" + .container_id] | sort | join(" ")' <<<"$got")"
for spec in k8s.io:web k8s.io:idle default:oneshot; do
	ns=${spec%%:*} id=${spec#*:}
	want=$(jq -S '. + {Runtime: {Name: .Runtime.Name}} | del(.Extensions)' "$RO/ctr.$ns.container.$id.json")
	same_text "inspect $ns/$id equals ctr containers info (and de's own \"de\": its state)" "$want" \
		"$("$DE" --root "$H" inspect "$ns/$id" | jq -S '.[0] | del(.de)')"
	same_text "list $ns/$id: image, labels, command, created, from ctr's record" \
		"$(jq -c "$JQ_ISO"'{image_name: .Image, labels: (if .Labels == {} then null else .Labels end), command: (.Spec.process.args | join(" ")), created: (.CreatedAt | iso)}' "$RO/ctr.$ns.container.$id.json")" \
		"$(jq -c --arg id "$id" '.[] | select(.container_id == $id) | {image_name, labels, command, created}' <<<"$got")"
done
# The state, from the captured /run/containerd: what `ctr tasks ls` said
# (a RUNNING task: running, with its PID; STOPPED: exited); a container with
# no task was, by the commands make-runtimes-host.sh ran, either made and
# never started (`ctr containers create`: created) or run to its end (`ctr
# run` without -d deletes the task: exited, its exit code not recorded).
want=
for ns in default k8s.io; do
	for id in $(awk 'NR > 1 { print $1 }' "$RO/ctr.$ns.containers.txt"); do
		t=$(awk -v id="$id" 'NR > 1 && $1 == id { print $3, $2 }' "$RO/ctr.$ns.tasks.txt")
		case $t in
		RUNNING*) want+="$ns/$id running ${t#* }"$'\n' ;;
		STOPPED*) want+="$ns/$id exited 0"$'\n' ;;
		"") case $id in idle) want+="$ns/$id created 0"$'\n' ;; oneshot) want+="$ns/$id exited 0"$'\n' ;;
			*) want+="$ns/$id (no rule for this container)"$'\n' ;; esac ;;
		esac
	done
done
same_text "list: each containerd container's state and pid, as ctr tasks ls and the containers list say" \
	"$(printf '%s' "$want" | sort)" \
	"$(jq -r '.[] | select(.runtime == "containerd") | "\(.namespace)/\(.container_id) \(.state) \(.pid)"' <<<"$got" | sort)"
same_text "list web: started when runc created its task (runc's state.json created)" \
	"$(jq -r "$JQ_ISO"'.created | iso' "$H/run/containerd/runc/k8s.io/web/state.json")" \
	"$(jq -r '.[] | select(.container_id == "web") | .start_date' <<<"$got")"
same_text "list web: its pid is the task's init.pid (what ctr tasks ls printed)" \
	"$(cat "$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/web/init.pid")" \
	"$(jq -r '.[] | select(.container_id == "web") | .pid' <<<"$got")"
check "list: no note of an unknown state when /run was captured" \
	test -z "$(grep 'unknown' "$SCRATCH/err")"
same_text "inspect web: de.evidence names the task bundle, init.pid and runc's state.json" \
	"$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/web
$H/run/containerd/io.containerd.runtime.v2.task/k8s.io/web/init.pid
$H/run/containerd/runc/k8s.io/web/state.json" "$("$DE" --root "$H" inspect web | jq -r '.[0].de.evidence[]')"
same_text "inspect oneshot: exited, from its written snapshot (exit code not recorded)" \
	"exited null $H/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/7/fs" \
	"$("$DE" --root "$H" inspect default/oneshot | jq -r '.[0].de | "\(.state) \(.exit_code) \(.evidence[0])"')"
same_text "timeline web: the container's start, at runc's creation time" \
	"web: container started,$(jq -r "$JQ_ISO"'.created | iso' "$H/run/containerd/runc/k8s.io/web/state.json")" \
	"$("$DE" --root "$H" timeline web --format csv 2>/dev/null | grep -o '^web: container started,[^,]*')"

# The same host imaged without /run (a tmpfs: the usual disk image): the
# state is unknown, said once for the root, not per container, exit 0.
H2=$SCRATCH/host-norun
mkdir -p "$H2"
tar --xattrs --xattrs-include='*' --numeric-owner -xzf "$TOP/tests/data/runtimes-host/runtimes-host.tar.gz" \
	-C "$H2" --exclude=./run --exclude=run
got2=$("$DE" --root "$H2" list all_containers 2>"$SCRATCH/err2"); rc=$?
check "no /run: exit 0" test $rc -eq 0
check "no /run: every containerd container is unknown, with no start or pid" \
	jq -e '[.[] | select(.runtime == "containerd")] | length == 3 and all(.[]; .state == "unknown" and .start_date == null and .pid == null)' <<<"$got2"
# containerd's own snapshots: a container's upper dir replaced by a symlink
# out (on this copy); mount gives the kernel nothing, naming the snapshotter
up=$H2/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/7/fs
mkdir -p "$SCRATCH/outside"
rm -rf "$up" && ln -s "$SCRATCH/outside" "$up"
out=$("$DE" --root "$H2" mount default/oneshot "$SCRATCH/m" --dry-run 2>"$SCRATCH/err3"); rc=$?
check "snapshot fs symlinked out: mount --dry-run refused (1), no command printed" test $rc -eq 1 -a -z "$out"
check "snapshot fs symlinked out: the snapshotter and the directory are named" \
	grep -q "^overlayfs snapshotter: $up is not a directory (a symlink?): not given to the kernel" "$SCRATCH/err3"
same_text "no /run: one note says why, for the root" \
	"de: the state of 3 containerd containers of $H2/var/lib/containerd is unknown: containerd's state directory /run/containerd (a tmpfs) is not in the evidence under $H2" \
	"$(grep containerd "$SCRATCH/err2")"
same_text "diff web: the container's changes" "D /etc/issue
A /tmp/x" "$("$DE" --root "$H" diff web | grep -E '^(D|A) /(etc|tmp)/')"
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/k"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount web "$3" >/dev/null &&
		(cd "$3" && find . -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$4/k.tsv" &&
		python3 "$5" "$3" --nlink > "$4/k.ls"' _ "$DE" "$H" "$SCRATCH/k" "$SCRATCH" "$TOP/tests/e2e/listing.py"
	same_text "mount web: the kernel's view of the snapshots equals the running container's root" \
		"$(cat "$RO/ctr.k8s.io.web.rootfs.tsv")" "$(cat "$SCRATCH/k.tsv" 2>/dev/null)"
	same_text "ls web: the union engine equals the kernel" "$(cat "$SCRATCH/k.ls" 2>/dev/null)" \
		"$("$DE" --root "$H" ls web / -R -l)"
else
	skip "containerd kernel mount: needs unshare -m and overlayfs"
fi
"$DE" --root "$H" logs web >/dev/null 2>"$SCRATCH/err"; rc=$?
check "logs: containerd keeps none, and says so (exit 0)" test $rc -eq 0 -a -s "$SCRATCH/err"

# images and history, from meta.db and the content store: every namespace's
# images as `ctr images ls` lists them (name, target digest), their users
imgs=$("$DE" --root "$H" list images 2>"$SCRATCH/err"); rc=$?
# the host also has Podman: its images are t_podman's
imgs=$(jq '[.[] | select(.path | contains("/var/lib/containerd/"))]' <<<"$imgs")
check "list images: exit 0, no warning" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list images: each namespace's images, by target digest, as ctr lists them" \
	"$(for ns in default k8s.io; do awk -v ns="$ns" 'NR > 1 { print ns, $1, $3 }' "$RO/ctr.$ns.images.txt"; done | LC_ALL=C sort)" \
	"$(jq -r '.[] | "\(.namespace) \(.repo_tags[0]) \(.id)"' <<<"$imgs" | LC_ALL=C sort)"
same_text "list images: the containers of each image, in its namespace" \
	"default docker.io/library/busybox:de-docker oneshot
default registry.example.com/de/busybox:1.0 
k8s.io docker.io/library/busybox:de-docker idle
k8s.io registry.example.com/de/busybox:1.0 web" \
	"$(jq -r '.[] | "\(.namespace) \(.repo_tags[0]) \(.containers | join(","))"' <<<"$imgs" | LC_ALL=C sort)"
check "list images: two layers each, sizes from the unpacked snapshots" \
	jq -e 'all(.[]; .layers == 2 and .size > 0)' <<<"$imgs"
for spec in k8s.io:web:registry.example.com/de/busybox:1.0 k8s.io:idle:docker.io/library/busybox:de-docker \
	default:oneshot:docker.io/library/busybox:de-docker; do
	IFS=: read -r ns id ref tag <<<"$spec"
	h=$("$DE" --root "$H" history "$ns/$id" 2>"$SCRATCH/err"); rc=$?
	check "history $ns/$id: exit 0" test $rc -eq 0
	same_text "history $ns/$id: keyed by the image's target digest (ctr images ls)" \
		"$(awk -v r="$ref:$tag" '$1 == r { print $3 }' "$RO/ctr.$ns.images.txt")" "$(jq -r 'keys[]' <<<"$h")"
	# the layers' diff IDs, oldest first, chain to the parent of the
	# container's snapshot as containerd recorded it (ctr snapshots info)
	chain=
	for d in $(jq -r '.[].layers | reverse | .[].diff_id' <<<"$h"); do
		chain=${chain:+sha256:$(printf '%s %s' "$chain" "$d" | sha256sum | cut -d' ' -f1)}
		chain=${chain:-$d}
	done
	same_text "history $ns/$id: its layers chain to the snapshot containerd made the container from" \
		"$(jq -r .Parent "$RO/ctr.$ns.snapshot.$id.json")" "$chain"
done
