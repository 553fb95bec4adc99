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
	same_text "inspect $ns/$id equals ctr containers info" "$want" \
		"$("$DE" --root "$H" inspect "$ns/$id" | jq -S '.[0]')"
	same_text "list $ns/$id: image, labels, command, created, from ctr's record" \
		"$(jq -c "$JQ_ISO"'{image_name: .Image, labels: (if .Labels == {} then null else .Labels end), command: (.Spec.process.args | join(" ")), created: (.CreatedAt | iso)}' "$RO/ctr.$ns.container.$id.json")" \
		"$(jq -c --arg id "$id" '.[] | select(.container_id == $id) | {image_name, labels, command, created}' <<<"$got")"
done
check "list: containerd keeps no state on disk: said, not faked" \
	jq -e '[.[] | select(.runtime == "containerd")] | all(.[]; .state == "unknown" and .start_date == null)' <<<"$got"
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
