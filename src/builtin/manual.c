/*
 * manual.c — the manual text of the command table's entries (commands.c):
 * each command's DESCRIPTION and EXAMPLES, in util/markup.h's form. They
 * are the man pages' text and `de help COMMAND`'s; doc/de-COMMAND.md keeps
 * the long reference, with real output of real runs.
 */

const char de_man_list[] =
	"What `de list` lists is its first argument. Every listing reads every runtime's "
	"data root the run was given: `-r` one Docker data root, `--root` every runtime "
	"found on the host (de(1)). JSON is de.py's where de.py had the listing "
	"(all_containers, running_containers, repositories), with what de.py lacked after "
	"its keys.";

const char de_ex_list[] =
	"  de --root /mnt/host list runtimes\n"
	"  de --root /mnt/host list all_containers |\n"
	"      jq -r '.[] | [.runtime, .name, .state] | @tsv'\n"
	"  de -r /mnt/host/var/lib/docker list running_containers -F library\n"
	"  de --root /mnt/host list images --format table --all";

const char de_man_history[] =
	"An image (by ID, name or ID prefix, in any store: Docker, containerd as "
	"`NAMESPACE/REF`, containers/storage), or the image a container ran from, and its "
	"parents, topmost first, as a JSON object keyed by image ID (de.py's shape): each "
	"with `created_at`, `container_cmd`, `comment` and `size`, and in layout v2 `layers`, "
	"the build steps of the image config's history that the image added over its parent, "
	"newest first. Each step is given once, on the image that made it: the layers of the "
	"chain are `docker history` of the top image, row for row. An image config whose bytes "
	"do not hash to its ID is reported as altered (exit 3).\n"
	"\n"
	"`--format dockerfile` writes the pseudo-Dockerfile of the top image instead: `FROM` "
	"the image the build started from when the store knows it (and a `docker commit`'s "
	"container), then each step as its "
	"instruction (RUN, COPY, ENV, CMD...), from both the classic builder's `#(nop)` form "
	"and BuildKit's; what is not recognised is kept as a comment.\n"
	"\n"
	"Containers and images are matched together, round by round; several matches are "
	"an error naming each (`--type` restricts the look-up to one kind).";

const char de_ex_history[] =
	"  de -r /mnt/host/var/lib/docker history web\n"
	"  de --root /mnt/host history web --format dockerfile\n"
	"  de --root /mnt/host history --type image busybox:1.36 --show-empty";

const char de_man_inspect[] =
	"A JSON array of one object, in the shape of the container's own engine: for Docker what "
	"`docker inspect` prints (state, config, host config, mounts, network settings, log "
	"config, GraphDriver), rebuilt from config.v2.json and hostconfig.json; for Podman "
	"what `podman inspect` prints; for containerd and CRI-O the record `ctr containers "
	"info` prints. de adds `\"de\"`: the config's path and `layers`, the resolved layer "
	"stack, each layer's role (container, init, image) and directory.";

const char de_ex_inspect[] =
	"  de --root /mnt/host inspect web_attacked | jq '.[0].State'\n"
	"  de --root /mnt/host inspect podman:sleeper_running -o web.json";

const char de_man_ls[] =
	"The container's files as the container saw them, computed from the layer "
	"directories alone: no mount, nothing written. Without `-R`, the names in `PATH` "
	"(default /); with `-R`, every entry below it as a full path, parents first, in name "
	"order. The view holds the layers, then the volumes and binds, then the files the "
	"engine mounted (/etc/hostname, /etc/hosts, /etc/resolv.conf, Podman's "
	"/run/.containerenv); `--no-volumes` gives the layers alone.\n"
	"\n"
	"`-l` adds mode, link count (as overlayfs counts it), numeric owner, size "
	"(`MAJOR,MINOR` for devices), mtime (UTC, nanoseconds) and link target. `--layer` "
	"names the layer that supplied each entry: `container:ID`, `init:ID-init`, "
	"`image:ID`, `volume:NAME`, `bind:PATH`, `engine:FILE`. Names are escaped (\\\\, \\n, "
	"\\t, \\xNN): one entry is always one line.";

const char de_ex_ls[] =
	"  de -r /mnt/host/var/lib/docker ls web /tmp -l\n"
	"  de --root /mnt/host ls web_attacked / -R --layer | grep ^container:";

const char de_man_cat[] =
	"The bytes of one file of the container's view (see de-ls(1)), to stdout. Symlinks "
	"resolve as in the container: an absolute target from the container's root, `..` "
	"never above it. Files the engine mounted into the container are read from where the "
	"engine kept them; `--no-volumes` reads the layers alone.";

const char de_ex_cat[] =
	"  de -r /mnt/host/var/lib/docker cat web /etc/passwd\n"
	"  de --root /mnt/host cat web_attacked /etc/hostname --no-volumes";

const char de_man_diff[] =
	"What the container changed against its image, as the engine that made it prints it "
	"\xe2\x80\x94 `docker diff` for Docker, `podman diff` for Podman \xe2\x80\x94 line for "
	"line: `A` added, `C` changed, `D` deleted, one `X PATH` a line. Docker's lines come in "
	"path order, a directory before its content; Podman's in the order of its walk.\n"
	"\n"
	"`--all` prints de's whole record of the container's writable layer instead: every "
	"entry it holds, hard-link copy-ups and every hidden entry included. `--format json` "
	"gives a document with `container`, `runtime`, `rule`, `rule_basis`, `changes` and "
	"`errors`; each change has `kind`, `engine_diff` (the engine's line, or null), "
	"`engine_file`, `opaque`, `hidden_by`, `whiteout`, `nlink`, `before`, "
	"`metadata_changed`, `content_changed`, `hard_link_copy_up`, and with `--hash` "
	"`sha256`.";

const char de_ex_diff[] =
	"  de -r /mnt/host/var/lib/docker diff web\n"
	"  de --root /mnt/host diff podman:sleeper_running\n"
	"  de --root /mnt/host diff web --format json --hash |\n"
	"      jq '.changes[] | select(.content_changed)'";

const char de_man_export[] =
	"The container's view (see de-ls(1)), or the subtree at `PATH`, written with "
	"libarchive as `OUT`.tar, .tar.gz or .tar.zst (pax), or, when `OUT` is an existing "
	"empty directory, copied into it. Kept: modes, numeric owners and the names the "
	"container's own /etc/passwd and /etc/group give them, nanosecond times, symlinks, hard "
	"links, devices and fifos, file xattrs (never overlay's own), sparse files as sparse. "
	"A directory `PATH` is itself the first entry, as `tar -C / -c etc` writes etc/. What "
	"could not be read is left out with a warning (exit 3).";

const char de_ex_export[] =
	"  de -r /mnt/host/var/lib/docker export web web.tar.gz\n"
	"  de --root /mnt/host export web_attacked /tmp/etc-dir /etc";

const char de_man_timeline[] =
	"Every time of every entry of each container's view \xe2\x80\x94 M, A, C, and B where the "
	"filesystem keeps a birth time \xe2\x80\x94 naming the container, the layer and the path; a "
	"deletion record for every entry the container's own layers deleted (whiteouts, "
	"opaque directories), as \"PATH (deleted)\" at the marker's times; then the host's "
	"events: each image's creation, build steps and commit, each container's creation, "
	"start and end (with its exit code), and with `--logs` every line it printed and "
	"\"Log Rotated Away\" where a log lost its beginning. Every layer is walked once, "
	"however many containers share it.\n"
	"\n"
	"- `bodyfile`: The Sleuth Kit's body file, for `mactime -b`; `--hash` fills its MD5 "
	"column.\n"
	"- `csv`: Timesketch's columns (message, datetime, timestamp_desc, timestamp), then "
	"container, layer, path, times, mode, uid, gid, size, sha256, runtime, container_id, "
	"deleted_by.\n"
	"- `jsonl`: the same fields, one JSON object a line.\n"
	"\n"
	"Containers of one name are labelled `RUNTIME:SHORT-ID/name`.";

const char de_ex_timeline[] =
	"  de --root /mnt/host timeline --all > body.txt\n"
	"  mactime -b body.txt -d -z UTC\n"
	"  de --root /mnt/host timeline web_attacked --logs --format csv\n"
	"  de -r /mnt/host/var/lib/docker timeline web --include-image-layers";

const char de_man_logs[] =
	"What the container printed, read from its log driver's files, oldest first: Docker's "
	"json-file (with its rotations, plain or gzip-compressed) and local, Docker's "
	"dual-logging cache for drivers it cannot read back, Podman's and CRI-O's k8s-file, "
	"and a Kubernetes pod's CRI log after the kubelet's rotations. `--previous`: a pod's "
	"container's attempt before this one, as `kubectl logs -p`. Records the engine split "
	"are joined. A container that "
	"never started, or whose log driver kept nothing on disk (none, journald, syslog...), "
	"is said in a note (exit 0). Output rotated away is said, with when the surviving "
	"log begins (exit 3). A corrupt line is reported with its file and offset, and "
	"reading goes on (exit 3); in jsonl the stream then ends with one "
	"`{\"errors\": [...]}` line.\n"
	"\n"
	"`T` is RFC 3339 (`2026-11-28T12:57:50Z`, `2026-11-28T13:57:50.5+01:00`) or Unix "
	"seconds with up to nine decimals (`1795870670.5`), as `docker logs --since` takes "
	"them.";

const char de_ex_logs[] =
	"  de -r /mnt/host/var/lib/docker logs web --tail 3 -t\n"
	"  de --root /mnt/host logs web_attacked --stream stderr \\\n"
	"      --since 2026-12-01T15:09:07Z\n"
	"  de --root /mnt/host logs k8s:default/web-5f7b9d6c8-x2x9k/web -p";

const char de_man_mount[] =
	"Rebuilds the container's root filesystem read-only at `MOUNTPOINT`: the storage "
	"driver's layers, then one read-only bind per volume and bind mount at its "
	"destination, then one per file the engine mounted, in the order the engine mounts "
	"them. As root with the kernel: de prints the mount commands, one a line, quoted for a "
	"shell, and runs them (every layer directory checked first: never a symlink); "
	"`--dry-run` only prints. Otherwise, or with `--fuse`, the view is served through "
	"FUSE; unmount it with `fusermount3 -u MOUNTPOINT`. `-f` serves in the foreground, "
	"warnings on stderr; `--log FILE` keeps the background server's warnings in "
	"`FILE`. A Windows container's `--dry-run` prints the command that merges its "
	"sandbox into a raw disk (de-merge-vhdx(1)).";

const char de_ex_mount[] =
	"  de -r /mnt/host/var/lib/docker mount web /mnt/web --dry-run\n"
	"  de --root /mnt/host mount web /mnt/web --fuse --log /tmp/de.log\n"
	"  fusermount3 -u /mnt/web";

const char de_man_bbolt[] =
	"A bbolt (BoltDB) database \xe2\x80\x94 containerd's meta.db and the snapshotter's "
	"metadata.db, Podman's bolt_state.db, Docker's volumes/metadata.db \xe2\x80\x94 as JSON: "
	"buckets are objects, values strings when they are printable UTF-8, else "
	"`{\"hex\": ...}`. `BUCKET` descends into nested buckets. Every page number, count and "
	"length is checked before use: a damaged database is an error naming the file. `FILE` "
	"is any path: bbolt reads no data root.";

const char de_ex_bbolt[] =
	"  cd /mnt/host/var/lib/containerd\n"
	"  de bbolt io.containerd.metadata.v1.bolt/meta.db v1 k8s.io";

const char de_man_download[] =
	"de.py's `download`, for any registry, over the Registry HTTP API v2: Docker Hub by "
	"default, any other registry from the reference. `-r` and `--root` do not apply.\n"
	"\n"
	"- `layers`: each layer of the image as `HEX.tgz` (de.py's name), streamed to disk, "
	"its digest verified (a mismatch deletes the file and is an error).\n"
	"- `dockerfile`: the pseudo-Dockerfile of the image config's history, as "
	"`DIR/Dockerfile`; `-o -` prints it on stdout.\n"
	"- `all`: both, and manifest.json and config.json (and a multi-platform image's "
	"index.json), the bytes the registry served.\n"
	"\n"
	"`IMAGE` is a reference as Docker reads it: `busybox`, `library/busybox:1.36`, "
	"`ghcr.io/org/app@sha256:...`, `127.0.0.1:5000/case/app:2`. Without `-o`, the files go "
	"to a directory under the working directory named from the reference (de.py's "
	"`REPOSITORY/IMAGE/TAG` for Docker Hub). No file is ever overwritten.\n"
	"\n"
	"HTTPS, verified against the system's CAs or `--ca-cert`'s; plain HTTP only for a "
	"loopback registry or one named with `--insecure-registry`. The registry's Bearer "
	"token flow, anonymous or with credentials from `--user` or Docker's client config "
	"(~/.docker/config.json, `auths`). Errors name the HTTP status and the registry's "
	"error code (MANIFEST_UNKNOWN, UNAUTHORIZED, TOOMANYREQUESTS with its Retry-After...).";

const char de_ex_download[] =
	"  de download layers busybox:1.36\n"
	"  de download dockerfile ghcr.io/org/app:2 -o -\n"
	"  de download all 127.0.0.1:5000/case/app:2 --platform linux/arm64";

const char de_man_merge_vhdx[] =
	"docker-explorer's tools/merge_vhdx.py, with its flags: writes the raw disk a "
	"differencing VHDX (a Windows container's sandbox.vhdx) shows over its parent (the "
	"base layer's blank-base.vhdx), streamed, the ranges that read as zeros left as holes. "
	"Both files are checked as MS-VHDX says (headers, region table, metadata, BAT, "
	"checksums), and the parent must be the child's: its DataWriteGuid is the child's "
	"parent linkage. A differencing parent is followed through its locator, at most 16 "
	"disks deep. `OUT` is never overwritten without `-y`, never one of the disks read, "
	"and removed when the merge fails half way. A VHDX with a log to replay (not closed "
	"cleanly) is refused. See doc/windows.md.";

const char de_ex_merge_vhdx[] =
	"  cd /mnt/host/ProgramData/docker/windowsfilter\n"
	"  de merge-vhdx -p 6a90.../blank-base.vhdx -c b269.../sandbox.vhdx \\\n"
	"      -o /tmp/b269.raw\n"
	"  ntfsls -f /tmp/b269.raw";

const char de_man_fsls[] =
	"A debugging command: it proves the disk image readers (src/image, src/fs) end to end, "
	"with no mount and no root. Without `-p`, `-R`, `--path`, `--hash`, `--xattrs` or "
	"`--cat`: the volumes of the images, one line each, tab-separated (partitions, LVM "
	"logical volumes, the whole disk). With them: the entries below `PATH` of the ext2/3/4 or XFS file "
	"system of one volume, one line each, in directory order, depth first:\n"
	"\n"
	"  INO MODE NLINK UID GID SIZE|MAJ,MIN BLOCKS\n"
	"      ATIME MTIME CTIME BTIME PATH [-> TARGET]\n"
	"      [sha256:HEX] [xattrs:NAME=HEX,...]\n"
	"\n"
	"Times are UTC with nanoseconds, BTIME `-` where the file system keeps none; names "
	"are escaped as de escapes them. `VOLUME` is a partition number or a name as the "
	"volume list prints it (p2, vg0/root, disk), and may be left out when one volume "
	"holds a file system. A directory met twice (a loop in a damaged image) is not "
	"entered again. The tests compare what it prints with the kernel's loop mount of the "
	"same image (tests/e2e/t_fsread.sh).";

const char de_ex_fsls[] =
	"  de fsls disk.qcow2\n"
	"  de fsls disk.raw -p vg0/root --path /var/lib/docker -R\n"
	"  de fsls disk.raw -p 2 --path /etc/hostname --cat";

const char de_man_help[] =
	"Without `COMMAND`, de's usage and its commands, as `de --help`. With one, that "
	"command's manual as text: what its man page de-COMMAND(1) says.";
