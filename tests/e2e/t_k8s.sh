# A Kubernetes node (tests/fixtures/README-k8s.md): containerd 1.6's CRI
# plugin driven over gRPC as the kubelet drives it. de's pods, containers,
# states, logs, volumes, files, diff, timeline, inspect and history,
# compared with what the engine itself answered (oracle/: the CRI's
# ListPodSandbox, PodSandboxStatus, ListContainers, ContainerStatus,
# ImageStatus; ctr's records; the running containers' own views) and with
# the log files the CRI plugin wrote.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then skip "k8s: extracting the fixture needs root"; exit 0; fi
scratch
H=$SCRATCH/node
O=$TOP/tests/data/k8s-node/oracle
CRILOG=$TOP/tests/e2e/crilog.py
mkdir -p "$H"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP/tests/data/k8s-node/k8s-node.tar.gz" -C "$H"
de() { "$DE" --root "$H" "$@"; }
# ids.tsv: pod, container, attempt -> id, and which case each one is
id_of() { awk -F'\t' -v p="$1" -v c="$2" -v a="$3" '$1 == p && $2 == c && $3 == a {print $4}' "$O/ids.tsv"; }
# the CRI's times (Unix ns in a string) as RFC 3339 with nine digits, de.py's form
JQ_NS='def nsrfc: if . == "0" or . == null then null
	else (.[0:10] | tonumber | todate | .[0:19]) + "." + .[10:19] + "Z" end;'
JQ_NSISO="$JQ_ISO $JQ_NS"' def nsiso: nsrfc | iso;'

# ---- list all_containers ------------------------------------------------------------
got=$(de list all_containers 2>"$SCRATCH/err"); rc=$?
check "list: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list: the CRI's containers (ListContainers), and the two removed ones the pod logs tell of" \
	"$( (jq -r '.containers[].id' "$O/cri.containers.json"; awk -F'\t' '$2 != "(sandbox)" && $5 ~ /^removed/ {print $4}' "$O/ids.tsv") | sort)" \
	"$(jq -r '.[].container_id' <<<"$got" | sort)"
same_text "list --all: and the sandboxes (ListPodSandbox)" \
	"$( (jq -r '.containers[].id' "$O/cri.containers.json"; jq -r '.items[].id' "$O/cri.pods.json"
	     awk -F'\t' '$2 != "(sandbox)" && $5 ~ /^removed/ {print $4}' "$O/ids.tsv") | sort)" \
	"$(de list all_containers --all | jq -r '.[].container_id' | sort)"
# Each container as ContainerStatus says it (state: CONTAINER_RUNNING ->
# running, CONTAINER_EXITED -> exited(exit_code), CONTAINER_CREATED ->
# created; reason as the plugin answers it).
want=$(for f in "$O"/cri.container.*.json; do
	jq -r "$JQ_NSISO"'.status as $s | .info.info | fromjson as $i | $s | [.id,
		(.labels["io.kubernetes.pod.namespace"] + "/" + .labels["io.kubernetes.pod.name"] + "/" + .metadata.name),
		.labels["io.kubernetes.pod.uid"], .metadata.name, .metadata.attempt, $i.sandboxID,
		(.image_ref | sub("^sha256:"; "")),
		(if .state == "CONTAINER_RUNNING" then "running" elif .state == "CONTAINER_EXITED" then "exited(\(.exit_code))" else "created" end),
		(if .state == "CONTAINER_EXITED" then .reason else null end),
		(.created_at | nsiso), (.started_at | nsiso), (.finished_at | nsiso),
		(if .state == "CONTAINER_RUNNING" then $i.pid else 0 end),
		.log_path, (.labels["io.kubernetes.pod.namespace"] == "kube-system")] | @json' "$f"
done | sort)
same_text "list: name NAMESPACE/POD/CONTAINER, pod, attempt, sandbox, image ID, state, reason, times, pid, log path, support: as ContainerStatus" \
	"$want" "$(jq -r --arg h "$H" '.[] | select(.state != "removed") | [.container_id, .name, .pod.uid,
		.container_name, .attempt, .sandbox_id, .image_id, .state, .reason, .created, .start_date,
		.finished_date, .pid, (.log_path | ltrimstr($h)), .support] | @json' <<<"$got" | sort)"
check "list: every container is of kind container, named after its pod" \
	jq -e 'all(.[]; .kind == "container" and .runtime == "containerd" and .namespace == "k8s.io")' <<<"$got"
# The kubelet's mounts are ContainerStatus.mounts (in the spec's order,
# the order runc mounted them: containerd sorts them by depth), each with
# the kind the kubelet's layout gives it (README-k8s.md: its pod directory).
for f in "$O"/cri.container.*.json; do
	id=$(jq -r .status.id "$f")
	same_text "list $(jq -r '.status.labels["io.kubernetes.pod.name"] + "/" + .status.metadata.name' "$f"): mount_points are ContainerStatus.mounts" \
		"$(jq -c '[.status.mounts[] | {destination: .container_path, host_path, read_only: .readonly}] | sort' "$f")" \
		"$(jq -c --arg id "$id" '[.[] | select(.container_id == $id) | .mount_points[]? | {destination, host_path, read_only}] | sort' <<<"$got")"
done
WEB=$(id_of default/web-5f7b9d6c8-x2x9k web 0)
UW=2f9b6c1e-4a7d-4c55-9d1b-7e0f3a6c5b21
same_text "list web: the volumes' kinds, names and sources under the host root; the secret in memory" \
	"/cache emptyDir cache $H/var/lib/kubelet/pods/$UW/volumes/kubernetes.io~empty-dir/cache false
/data hostPath null $H/srv/web-data false
/etc/web configMap web-config $H/var/lib/kubelet/pods/$UW/volumes/kubernetes.io~configmap/web-config false
/etc/tls secret web-tls $H/var/lib/kubelet/pods/$UW/volumes/kubernetes.io~secret/web-tls true
/etc/hosts etc-hosts null $H/var/lib/kubelet/pods/$UW/etc-hosts false
/dev/termination-log termination-log null $(jq -r '.status.mounts[-1].host_path | "'"$H"'" + .' "$O/cri.container.default_web-5f7b9d6c8-x2x9k_web_0.json") false" \
	"$(jq -r --arg id "$WEB" '.[] | select(.container_id == $id) | .mount_points[] | "\(.destination) \(.kind) \(.name) \(.source) \(.in_memory // false)"' <<<"$got")"
# the removed: what ContainerStatus said of them just before RemoveContainer,
# and their log files' first and last records
for f in "$O"/cri.removed.container.*.json; do
	id=$(jq -r .status.id "$f")
	lp=$(jq -r .status.log_path "$f")
	same_text "list removed $(jq -r .status.metadata.name "$f"): state removed, pod, container, attempt, log path as the engine last said" \
		"$(jq -c '.status | {state: "removed", ns: .labels["io.kubernetes.pod.namespace"], pod: .labels["io.kubernetes.pod.name"], uid: .labels["io.kubernetes.pod.uid"], container_name: .metadata.name, attempt: .metadata.attempt, log_path}' "$f")" \
		"$(jq -c --arg id "$id" --arg h "$H" '.[] | select(.container_id == $id) | {state, ns: .pod.namespace, pod: .pod.name, uid: .pod.uid, container_name, attempt, log_path: (.log_path | ltrimstr($h))}' <<<"$got")"
	same_text "list removed $(jq -r .status.metadata.name "$f"): first and last record times, from its log file" \
		"$(python3 "$CRILOG" --span "$H$lp")" \
		"$(jq -r --arg id "$id" '.[] | select(.container_id == $id) | "\(.first_log_record) \(.last_log_record)"' <<<"$got")"
done

# ---- list pods ---------------------------------------------------------------------
pods=$(de list pods 2>"$SCRATCH/err"); rc=$?
check "list pods: exit 0, nothing on stderr" test $rc -eq 0 -a ! -s "$SCRATCH/err"
same_text "list pods: id, namespace, name, uid, attempt, state, created, labels as ListPodSandbox; newest first, as crictl pods" \
	"$(jq -c "$JQ_NSISO"'.items | sort_by(.created_at) | reverse | .[] | {id, namespace: .metadata.namespace, name: .metadata.name,
		uid: .metadata.uid, attempt: .metadata.attempt, state: (if .state == "SANDBOX_READY" then "ready" else "notready" end),
		created: (.created_at | nsiso), labels}' "$O/cri.pods.json")" \
	"$(jq -c '.[] | select(.state != "removed") | {id, namespace, name, uid, attempt, state, created, labels}' <<<"$pods")"
same_text "list pods: each pod's containers, as ListContainers' pod_sandbox_id groups them (and the removed cleanup)" \
	"$( (jq -r '.containers[] | "\(.pod_sandbox_id) \(.id)"' "$O/cri.containers.json"
	     echo "$(jq -r '.info.info | fromjson | .sandboxID' "$O/cri.removed.container.$(id_of default/batch-28473920-q7k4m cleanup 0).json") $(id_of default/batch-28473920-q7k4m cleanup 0)") | sort)" \
	"$(jq -r '.[] | select(.id) | .id as $p | .containers[] | "\($p) \(.container_id)"' <<<"$pods" | sort)"
same_text "list pods: the removed pod default/debugger, from its log directory (uid as PodSandboxStatus said before removal)" \
	"$(jq -c '.status.metadata | {id: null, namespace, name, uid, state: "removed", containers: [{name: "shell", attempt: 0, state: "removed"}]}' "$O/cri.removed.pod.default_debugger.json")" \
	"$(jq -c '.[] | select(.state == "removed") | {id, namespace, name, uid, state, containers: [.containers[] | {name, attempt, state}]}' <<<"$pods")"
same_text "list pods --format table: as crictl pods (and the removed one last)" \
	"POD ID          CREATED               STATE     NAME                   NAMESPACE     ATTEMPT   CONTAINERS
1c708dfeb83a3   2026-12-01 15:21:38   ready     node-agent-x7k2p       kube-system   0         1
ebe135fe52fe0   2026-12-01 15:21:37   ready     logger-0               prod          0         1
52baa6a42948e   2026-12-01 15:21:34   ready     api-6c9f8d7b5-mz2lq    prod          0         3
6ab0846aebc3a   2026-12-01 15:21:30   ready     batch-28473920-q7k4m   default       0         2
fd4e3f298e039   2026-12-01 15:21:28   ready     web-5f7b9d6c8-x2x9k    default       0         1
-               -                     removed   debugger               default       -         1" \
	"$(de list pods --format table)"

# ---- -n, --no-support ---------------------------------------------------------------
same_text "-n prod: the containers of namespace prod only" \
	"$(jq -r '.containers[] | select(.labels["io.kubernetes.pod.namespace"] == "prod") | .id' "$O/cri.containers.json" | sort)" \
	"$(de -n prod list all_containers --all | jq -r '.[] | select(.kind == "container") | .container_id' | sort)"
same_text "-n prod list pods: its two pods" "api-6c9f8d7b5-mz2lq logger-0" \
	"$(de -n prod list pods | jq -r '[.[].name] | sort | join(" ")')"
same_text "--no-support list --all: no sandbox, nothing of kube-system" \
	"$(jq -r '.containers[] | select(.labels["io.kubernetes.pod.namespace"] != "kube-system") | .id' "$O/cri.containers.json" | sort)" \
	"$(de --no-support list all_containers --all | jq -r '.[] | select(.state != "removed") | .container_id' | sort)"
check "list: support containers flagged (every sandbox, kube-system's)" \
	jq -e 'all(.[]; .support == (.kind == "sandbox" or .pod.namespace == "kube-system"))' <<<"$(de list all_containers --all)"
out=$(de -n prod logs web-5f7b9d6c8-x2x9k/web 2>&1); rc=$?
check "-n prod: default's web is not found, and the namespace is said" \
	test $rc -eq 1 -a "$(grep -c 'Kubernetes namespace prod' <<<"$out")" = 1

# ---- look-up -------------------------------------------------------------------------
API0=$(id_of prod/api-6c9f8d7b5-mz2lq api 0) API1=$(id_of prod/api-6c9f8d7b5-mz2lq api 1)
for ref in k8s:prod/api-6c9f8d7b5-mz2lq/api prod/api-6c9f8d7b5-mz2lq/api api-6c9f8d7b5-mz2lq/api k8s:prod/api-6c9f8d7b5-mz2lq/api/1; do
	same_text "inspect $ref: the newest attempt (1)" "$API1" "$(de inspect "$ref" | jq -r '.[0].ID')"
done
same_text "inspect k8s:prod/api-6c9f8d7b5-mz2lq/api/0: attempt 0" "$API0" \
	"$(de inspect k8s:prod/api-6c9f8d7b5-mz2lq/api/0 | jq -r '.[0].ID')"
same_text "inspect k8s:prod/api-6c9f8d7b5-mz2lq: the pod's sandbox" \
	"$(jq -r '.items[] | select(.metadata.name == "api-6c9f8d7b5-mz2lq") | .id' "$O/cri.pods.json")" \
	"$(de inspect k8s:prod/api-6c9f8d7b5-mz2lq | jq -r '.[0].ID')"
same_text "k8s:ID: a pod's container by its ID" "$WEB" "$(de inspect "k8s:$WEB" | jq -r '.[0].ID')"

# ---- inspect -----------------------------------------------------------------------------
# What ctr containers info printed, key for key (Go trims the zeros that end a time's fraction).
while IFS=$'\t' read -r pod ctr attempt id case; do
	f=$O/ctr.k8s.io.container.$id.json
	[ -e "$f" ] || continue
	same_text "inspect $pod/$ctr/$attempt: ctr containers info (with the CRI extension)" \
		"$(jq -S '. + {Runtime: {Name: .Runtime.Name}}' "$f")" \
		"$(de inspect "k8s.io/$id" | jq -S '.[0] | del(.de, .CRI) | (.CreatedAt, .UpdatedAt) |= sub("\\.?0+Z$"; "Z")')"
done < <(tail -n +2 "$O/ids.tsv")
for f in "$O"/cri.container.*.json; do
	id=$(jq -r .status.id "$f")
	same_text "inspect: CRI.status is ContainerStatus ($(basename "$f" .json))" \
		"$(jq -S "$JQ_NS"'.status | del(.resources) | .image |= {image} | (.created_at, .started_at, .finished_at) |= nsrfc' "$f")" \
		"$(de inspect "k8s.io/$id" | jq -S '.[0].CRI.status')"
	same_text "inspect: CRI.info is ContainerStatus's info (sandbox, pid, snapshot, runtime, config)" \
		"$(jq -S '.info.info | fromjson | {sandboxID, pid, snapshotKey, snapshotter, runtimeType, config}' "$f")" \
		"$(de inspect "k8s.io/$id" | jq -S '.[0].CRI.info')"
done
for f in "$O"/cri.pod.*.json; do
	id=$(jq -r .status.id "$f")
	same_text "inspect: a sandbox's CRI.status is PodSandboxStatus ($(basename "$f" .json))" \
		"$(jq -S "$JQ_NS"'.status | .created_at |= nsrfc' "$f")" \
		"$(de inspect "k8s.io/$id" | jq -S '.[0].CRI.status')"
	same_text "inspect: a sandbox's CRI.info is PodSandboxStatus's info" \
		"$(jq -S '.info.info | fromjson | {pid, image, snapshotKey, snapshotter, runtimeHandler, runtimeType, config, cniResult}' "$f")" \
		"$(de inspect "k8s.io/$id" | jq -S '.[0].CRI.info')"
done
CLEANUP=$(id_of default/batch-28473920-q7k4m cleanup 0)
same_text "inspect a removed container: what its log directory tells, and which link named its ID" \
	"true default/batch-28473920-q7k4m/cleanup 0 $H/var/log/pods/default_batch-28473920-q7k4m_8c3e1f42-93b0-4e8a-a1d6-5b2c7d9e0f13/cleanup/0.log /var/log/containers/batch-28473920-q7k4m_default_cleanup-$CLEANUP.log" \
	"$(de inspect "k8s:default/batch-28473920-q7k4m/cleanup" | jq -r '.[0] | "\(.removed) \(.pod.namespace)/\(.pod.name)/\(.container_name) \(.attempt) \(.log_files | join(",")) \(.container_id_from)"')"

# ---- logs --------------------------------------------------------------------------------
# each container's log, as the CRI plugin wrote it (read by crilog.py):
# records joined, the kubelet's rotations first (the .gz, then the plain one)
for f in "$O"/cri.container.*.json "$O"/cri.removed.container.*.json; do
	id=$(jq -r .status.id "$f")
	lp=$(jq -r .status.log_path "$f")
	[ -e "$H$lp" ] || continue
	files=$(ls "$H$lp".* 2>/dev/null | sort; echo "$H$lp")
	same_text "logs -t $(jq -r '.status.labels["io.kubernetes.pod.name"] + "/" + .status.metadata.name + "/\(.status.metadata.attempt)"' "$f"): the CRI log and its rotations" \
		"$(python3 "$CRILOG" $files)" "$(de logs -t "k8s.io/$id" 2>/dev/null || de logs -t "$id" 2>/dev/null)"
done
same_text "logs: the logger's files, oldest first, as the kubelet rotated them" \
	"0.log.20261201-152142.gz 0.log.20261201-152144 0.log" \
	"$(de logs --format jsonl k8s:prod/logger-0/logger | jq -r '.file | split("/") | last' | uniq | tr '\n' ' ' | sed 's/ $//')"
same_text "logs: the 40008-byte line, split by the plugin into P P F records, joined (what the container printed)" \
	"3 $(printf 'BEGIN%sEND\n' "$(head -c 40000 /dev/zero | tr '\0' x)" | sha256sum | cut -c1-64)" \
	"$(de logs --format jsonl k8s:prod/logger-0/logger | jq -r 'select(.parts) | .parts') $(de logs k8s:prod/logger-0/logger | grep '^BEGIN' | sha256sum | cut -c1-64)"
same_text "logs --stream stderr job: what it printed on stderr (make-k8s-node.sh)" \
	"item 2 failed: permission denied" "$(de logs --stream stderr k8s:default/batch-28473920-q7k4m/job)"
same_text "logs --previous api (kubectl logs -p): attempt 0's log" \
	"$(python3 "$CRILOG" "$H/var/log/pods/prod_api-6c9f8d7b5-mz2lq_5e8d2b71-c0f4-4a96-b3e7-19d6a8f0c2b4/api/0.log")" \
	"$(de logs -t --previous k8s:prod/api-6c9f8d7b5-mz2lq/api)"
out=$(de logs --previous k8s:prod/api-6c9f8d7b5-mz2lq/api/0 2>&1); rc=$?
same_text "logs --previous of attempt 0: none, said as kubectl says it" \
	"1 previous terminated container \"api\" in pod \"api-6c9f8d7b5-mz2lq\" not found (attempt 0 is the oldest this node keeps a trace of)" "$rc $out"
out=$(de logs k8s:prod/api-6c9f8d7b5-mz2lq/metrics 2>&1); rc=$?
same_text "logs metrics (created, never started: no log file): a note, exit 0" \
	"0 de: prod/api-6c9f8d7b5-mz2lq/metrics was never started: it printed nothing" "$rc $out"
DBG=$(id_of default/debugger shell 0)
same_text "logs of the removed pod's shell: what it printed (uid=0, /etc/passwd), from its log directory" \
	"$(python3 "$CRILOG" "$H/var/log/pods/default_debugger_d41c7a90-6b2e-4f3d-8e5a-0c9b1f2d3e47/shell/0.log" | cut -d' ' -f2-)" \
	"$(de logs default/debugger/shell)"
same_text "logs by the removed one's ID (from its /var/log/containers link)" \
	"$(de logs default/debugger/shell)" "$(de logs "${DBG:0:12}")"

# ---- files: ls, cat, export through the volumes; the kernel's view ----------------------
for p in cache/session.txt data/README data/incoming/upload.txt etc/web/app.conf etc/web/mode etc/motd tmp/x; do
	check "cat web /$p: what the container read there (ExecSync cat)" \
		cmp -s "$O/exec.default_web-5f7b9d6c8-x2x9k_web_0.${p//\//_}" <(de cat k8s:default/web-5f7b9d6c8-x2x9k/web "/$p" 2>/dev/null)
done
out=$(de cat k8s:default/web-5f7b9d6c8-x2x9k/web /etc/issue 2>&1); rc=$?
check "cat web /etc/issue: gone, as ls said inside the container" \
	test $rc -eq 1 -a "$(grep -c 'No such file' "$O/exec.default_web-5f7b9d6c8-x2x9k_web_0.etc_issue.ls")" = 1
same_text "ls web /etc/tls: the secret volume is empty on disk, and a note says it was a tmpfs" \
	"0 de: /etc/tls: a kubelet secret or projected volume, a tmpfs: the files the container saw there were in memory, not on disk" \
	"$(out=$(de ls k8s:default/web-5f7b9d6c8-x2x9k/web /etc/tls 2>&1); echo "$? $out")"
same_text "ls --layer web /cache /etc/web: labelled by volume kind and name" \
	"emptyDir:cache /cache/session.txt
configMap:web-config /etc/web/app.conf" \
	"$(de ls k8s:default/web-5f7b9d6c8-x2x9k/web / -R --layer 2>/dev/null | grep -E ' /(cache/session\.txt|etc/web/app\.conf)$')"
check "ls --no-volumes web: /cache is the mount point's empty directory" \
	test -z "$(de ls k8s:default/web-5f7b9d6c8-x2x9k/web /cache --no-volumes 2>/dev/null)"
mkdir "$SCRATCH/x"
de export k8s:default/web-5f7b9d6c8-x2x9k/web "$SCRATCH/x" 2>/dev/null
for p in cache/session.txt data/incoming/upload.txt etc/web/..data/app.conf tmp/x; do
	check "export web: /$p through its volume, as the container read it" \
		cmp -s "$O/exec.default_web-5f7b9d6c8-x2x9k_web_0.$(sed 's/\.\.data\///; s/\//_/g' <<<"$p")" "$SCRATCH/x/$p"
done
same_text "export web: the configMap's AtomicWriter links kept" "..data/app.conf" "$(readlink "$SCRATCH/x/etc/web/app.conf")"
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	for t in "$O"/rootfs.*.tsv; do
		k=$(basename "$t" .tsv); k=${k#rootfs.}
		IFS=_ read -r ns pod rest <<<"$k"   # ns_pod_ctr_attempt (no '_' in names)
		ctr=${rest%_*} att=${rest##*_}
		mkdir -p "$SCRATCH/m"
		unshare -m --propagation private bash -c '"$1" --root "$2" mount "$3" "$4" --no-volumes >/dev/null 2>&1 &&
			(cd "$4" && find . -printf "%p\t%y\t%m\t%U\t%G\t%s\t%l\n" | LC_ALL=C sort) > "$5/k.tsv" &&
			python3 "$6" "$4" --nlink > "$5/k.ls"' _ "$DE" "$H" "k8s:$ns/$pod/$ctr/$att" "$SCRATCH/m" "$SCRATCH" "$TOP/tests/e2e/listing.py"
		same_text "mount --no-volumes $ns/$pod/$ctr: the kernel's view of its snapshots is the task's root" \
			"$(cat "$t")" "$(cat "$SCRATCH/k.tsv" 2>/dev/null)"
		same_text "ls -R -l --no-volumes $ns/$pod/$ctr: the union engine equals the kernel" \
			"$(cat "$SCRATCH/k.ls" 2>/dev/null)" "$(de ls "k8s:$ns/$pod/$ctr/$att" / -R -l --no-volumes 2>/dev/null)"
		rm -f "$SCRATCH/k.tsv" "$SCRATCH/k.ls"
	done
else
	skip "k8s kernel mount: needs unshare -m and overlayfs"
fi
# through the volumes: the kernel's mount (binds of each volume) and FUSE
VOLS="cache/session.txt data/incoming/upload.txt etc/web/app.conf etc/web/mode etc/hosts etc/hostname"
want=$(for p in $VOLS; do cat "$O/exec.default_web-5f7b9d6c8-x2x9k_web_0.${p//\//_}"; done)
if grep -qw overlay /proc/filesystems && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/mk"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount "$3" "$4" >/dev/null 2>"$5/kern.err"
		echo $? > "$5/kern.rc"; for p in $6; do cat "$4/$p"; done > "$5/kern.txt"' _ "$DE" "$H" k8s:default/web-5f7b9d6c8-x2x9k/web "$SCRATCH/mk" "$SCRATCH" "$VOLS"
	same_text "mount web (the kernel, volumes bound): the volumes' files as the container read them" \
		"$want" "$(cat "$SCRATCH/kern.txt" 2>/dev/null)"
	# the termination log's mount point is in the container's /dev, a tmpfs
	check "mount web: /dev/termination-log not bound (no mount point in the layers), said, exit 3" \
		test "$(cat "$SCRATCH/kern.rc")" = 3 -a "$(grep -c '^de: warning: termination-log mount at /dev/termination-log .*: not mounted: its mount point is not in the container' "$SCRATCH/kern.err")" = 1
fi
if command -v fusermount3 >/dev/null && [ -e /dev/fuse ] && unshare -m true 2>/dev/null; then
	mkdir -p "$SCRATCH/mf"
	unshare -m --propagation private bash -c '"$1" --root "$2" mount "$3" "$4" --fuse >/dev/null 2>&1
		for _ in $(seq 100); do mountpoint -q "$4" && break; sleep 0.1; done
		for p in $6; do cat "$4/$p"; done > "$5/fuse.txt"; fusermount3 -u "$4"' _ "$DE" "$H" k8s:default/web-5f7b9d6c8-x2x9k/web "$SCRATCH/mf" "$SCRATCH" "$VOLS"
	same_text "mount --fuse web: the volumes' files as the container read them" \
		"$want" "$(cat "$SCRATCH/fuse.txt" 2>/dev/null)"
else
	skip "k8s mount --fuse: needs fusermount3, /dev/fuse and unshare -m"
fi
out=$(de ls default/debugger/shell 2>&1); rc=$?
same_text "ls of a removed container: its files are gone, said" \
	"1 container default/debugger/shell was removed: its files, image and record went with its runtime's records and snapshot; its pod log directory is all that is left of it (de logs)" "$rc $out"
gone="container default/debugger/shell was removed: its files, image and record went with its runtime's records and snapshot; its pod log directory is all that is left of it (de logs)"
out=$(de mount default/debugger/shell "$SCRATCH" --dry-run 2>&1); rc=$?
same_text "mount of a removed container: said the same, nothing printed to run" "1 $gone" "$rc $out"
out=$(de history default/debugger/shell 2>&1); rc=$?
same_text "history of a removed container: said the same" "1 $gone" "$rc $out"
same_text "list pods: the removed pod's log directory, where it was found" \
	"$H/var/log/pods/$(cd "$H/var/log/pods" && ls -d default_debugger_*)" \
	"$(de list pods | jq -r '.[] | select(.name == "debugger") | .log_directory')"

# ---- diff ------------------------------------------------------------------------------------
# what web did (make-k8s-node.sh; the exec.* oracle): /etc/issue deleted,
# /etc/motd appended to, /tmp/x written; the rest are the mount points runc
# made for the spec's mounts (ctr's Spec.mounts), marked as the engine's
dj=$(de diff k8s:default/web-5f7b9d6c8-x2x9k/web --format json)
same_text "diff web: the container's own changes" "C /etc
D /etc/issue
C /etc/motd
C /tmp
A /tmp/x" "$(jq -r '.changes[] | select(.engine_file | not) | "\(.kind) \(.path)"' <<<"$dj")"
same_text "diff web: every other entry is a mount point of its spec, which runc made" \
	"$(jq -r '.changes[] | select(.engine_file) | .path' <<<"$dj")" \
	"$(jq -r --argjson d "$(jq '[.Spec.mounts[].destination]' "$O/ctr.k8s.io.container.$WEB.json")" '.changes[] | select(.engine_file) | select(.path as $p | $d | index($p)) | .path' <<<"$dj")"

# ---- timeline --------------------------------------------------------------------------------
tl=$(de timeline k8s:prod/api-6c9f8d7b5-mz2lq/api/0 k8s:prod/api-6c9f8d7b5-mz2lq/api --logs --format csv 2>"$SCRATCH/err"); rc=$?
check "timeline api 0 and 1: exit 0" test $rc -eq 0
same_text "timeline api: two attempts of one name, labelled NAMESPACE/POD/CONTAINER/ATTEMPT; events at ContainerStatus' times" \
	"$(jq -r "$JQ_NSISO"'.status | "prod/api-6c9f8d7b5-mz2lq/api/\(.metadata.attempt): container finished (exit code \(.exit_code)),\(.finished_at | nsiso)"' "$O/cri.container.prod_api-6c9f8d7b5-mz2lq_api_0.json")
$(jq -r "$JQ_NSISO"'.status | "prod/api-6c9f8d7b5-mz2lq/api/\(.metadata.attempt): container started,\(.started_at | nsiso)"' "$O/cri.container.prod_api-6c9f8d7b5-mz2lq_api_1.json")" \
	"$(grep -E '^prod/api-6c9f8d7b5-mz2lq/api/(0: container finished|1: container started)' <<<"$tl" | cut -d, -f1-2 | sort)"
check "timeline api/0: its log line on stderr" \
	grep -q '^prod/api-6c9f8d7b5-mz2lq/api/0: log stderr: fatal: cannot open /etc/api/db.conf,' <<<"$tl"
check "timeline api/1: its files, labelled in pod terms" \
	grep -q '^prod/api-6c9f8d7b5-mz2lq/api/1:/etc/resolv.conf,' <<<"$tl"
de timeline --all --logs --format csv > "$SCRATCH/all.csv" 2>"$SCRATCH/err"; rc=$?
check "timeline --all --logs: exit 0, nothing on stderr but the secret's note" \
	test $rc -eq 0 -a -z "$(grep -v 'a kubelet secret or projected volume' "$SCRATCH/err")"
check "timeline --all --logs: the removed debugger's lines are there (its only trace)" \
	grep -q '^default/debugger/shell: log stdout: uid=0(root) gid=0(root),' "$SCRATCH/all.csv"
check "timeline --all: web's emptyDir file, labelled by its volume" \
	grep -q '^default/web-5f7b9d6c8-x2x9k/web:/cache/session.txt,.*,emptyDir:cache,' "$SCRATCH/all.csv"

# ---- history ------------------------------------------------------------------------------------
img=$O/cri.image.registry.example.com_de_busybox_1.0.json
hj=$(de history k8s:default/web-5f7b9d6c8-x2x9k/web)
same_text "history web: keyed by the image ID the CRI ran (ImageStatus id)" \
	"$(jq -r .image.id "$img")" "$(jq -r 'keys[]' <<<"$hj")"
same_text "history web: its build steps, newest first, as ImageStatus' image spec has them" \
	"$(jq -r '.info.info | fromjson | .imageSpec as $s | [$s.history[].created_by] | reverse | .[]' "$img")" \
	"$(jq -r '.[].layers[].created_by' <<<"$hj")"
same_text "history web: each layer's diff ID, as the image spec's rootfs" \
	"$(jq -r '.info.info | fromjson | .imageSpec.rootfs.diff_ids | reverse | .[]' "$img")" \
	"$(jq -r '.[].layers[].diff_id' <<<"$hj")"

# ---- without /run (a disk image): state from the CRI status files -----------------------------
H2=$SCRATCH/norun
mkdir -p "$H2"
tar --xattrs --xattrs-include='*' --numeric-owner -xzpf "$TOP/tests/data/k8s-node/k8s-node.tar.gz" -C "$H2" --exclude=run
got2=$("$DE" --root "$H2" list all_containers 2>"$SCRATCH/err2"); rc=$?
check "no /run: exit 0" test $rc -eq 0
same_text "no /run: each container's state, pid and times from its CRI status file, as ContainerStatus" \
	"$(jq -r '.[] | select(.state != "removed") | [.container_id, .state, .reason, .pid, .start_date, .finished_date] | @json' <<<"$got" | sort)" \
	"$(jq -r '.[] | select(.state != "removed") | [.container_id, .state, .reason, .pid, .start_date, .finished_date] | @json' <<<"$got2" | sort)"
same_text "no /run: the sandboxes' states are unknown (no status file), said once" \
	"de: the state of 5 containerd containers of $H2/var/lib/containerd is unknown: containerd's state directory /run/containerd (a tmpfs) is not in the evidence under $H2" \
	"$(cat "$SCRATCH/err2")"
same_text "no /run: list pods says unknown" "unknown unknown unknown unknown unknown removed" \
	"$("$DE" --root "$H2" list pods 2>/dev/null | jq -r '[.[].state] | join(" ")')"
