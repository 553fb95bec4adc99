/*
 * commands.c — the command table (commands.h). Each entry is the whole of
 * a command's interface: what its parser accepts, what --help, `de help`,
 * its man page and the completions say. The manual text is in markup.h's
 * form; the reference with real output stays in doc/de-COMMAND.md, whose
 * synopsis tests/e2e/t_cmdtable.sh checks against this table.
 *
 * The command lines are de.py's where it had them (list, history, mount,
 * download, merge-vhdx's flags): every spelling it took still works,
 * de.py's long names included as aliases.
 */
#include "commands.h"

#include <stdlib.h>

#include "../registry/manifest.h"

/* ---- options several commands share ------------------------------------ */

#define OPT_OUTPUT                                                                          \
	{.key = DE_K_OUTPUT, .shortname = 'o', .longname = "output", .type = PO_PATH,            \
	 .argname = "FILE", .noun = "file name", .kind = PO_K_FILE,                               \
	 .help = "write the output to FILE, a new file, not to stdout",                          \
	 .man = "Write the output to `FILE` instead of stdout. `FILE` must not exist: de "       \
	        "never overwrites a file (exit 1)."}

#define OPT_NO_VOLUMES                                                                      \
	{.key = DE_K_NO_VOLUMES, .longname = "no-volumes", .type = PO_FLAG,                      \
	 .help = "the layers alone: no volume, bind or file the engine mounted"}

#define OPT_HASH                                                                            \
	{.key = DE_K_HASH, .longname = "hash", .type = PO_FLAG,                                  \
	 .help = "the SHA-256 of every regular file (up to --hash-max bytes)"}

#define OPT_HASH_MAX                                                                        \
	{.key = DE_K_HASH_MAX, .longname = "hash-max", .type = PO_SIZE, .argname = "BYTES",      \
	 .help = "with --hash: files larger than BYTES are not hashed (default 1073741824)"}

static const char *const fmt_json_table[] = {"json", "table", NULL};

#define OPT_FORMAT_JSON_TABLE                                                               \
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = fmt_json_table,    \
	 .noun = "format", .help = "JSON (the default) or a table as the engines' CLIs print"}

#define OPT_FILTER                                                                          \
	{.key = DE_K_FILTER, .shortname = 'F', .longname = "filter",                             \
	 .alias = "filter_repositories", .type = PO_LIST, .argname = "REPO1,REPO2",              \
	 .help = "leave out what comes from these repositories (first path component)",         \
	 .man = "Leave out the containers whose image name, and the repositories whose name, "   \
	        "has one of these as its first path component (`-F library,quay.io`). "          \
	        "de.py's `--filter_repositories` is the same option."}

#define END {0}

/* ---- de's global options ------------------------------------------------ */

static const po_option global_opts[] = {
	{.key = DE_K_DEBUG, .shortname = 'd', .longname = "debug", .type = PO_FLAG,
	 .help = "debug messages on stderr"},
	{.key = DE_K_DOCKER_DIR, .shortname = 'r', .longname = "docker-directory", .type = PO_PATH,
	 .argname = "DOCKER_DIRECTORY", .noun = "directory", .kind = PO_K_DIR,
	 .help = "one Docker data root (default: /var/lib/docker)",
	 .man = "One Docker data root (default /var/lib/docker). Without `--root`, the host's "
	        "root is what stands before /var/lib/docker in `DOCKER_DIRECTORY`: host paths "
	        "recorded in the evidence are read under it. With `--root`, only this Docker "
	        "root is read; one outside `HOST_ROOT` is warned about. For a Docker container "
	        "of the containerd image store (driver overlayfs, native), the containerd "
	        "holding its snapshot is looked for below the host root (given, or derived from "
	        "`-r` ending in /var/lib/docker); several holding it is an error that names "
	        "them."},
	{.key = DE_K_ROOT, .longname = "root", .type = PO_PATH, .argname = "HOST_ROOT",
	 .noun = "directory", .kind = PO_K_DIR,
	 .help = "where the imaged host's / is mounted: every runtime's data below it is read",
	 .man = "Where the imaged host's / is mounted. Every container runtime's data found "
	        "below it is read (Docker, rootless Docker, Docker 29's containerd store, "
	        "containerd, Podman, CRI-O: see `de list runtimes`), and nothing outside it. "
	        "Host paths recorded in the evidence (bind sources, log files, Podman's run "
	        "root) are read under it."},
	{.key = DE_K_IMAGE, .longname = "image", .type = PO_PATH, .argname = "IMAGE",
	 .noun = "file", .kind = PO_K_FILE, .flags = PO_REPEAT,
	 .help = "the host's disk image (raw, split raw, E01, qcow2, VMDK, VHD, VHDX), read as is",
	 .man = "The imaged host's disk image, read directly in place of a mounted root: raw "
	        "or dd, split raw (the `.001` file), EnCase E01/Ex01 (the first segment), "
	        "qcow2, VMDK, VHD or VHDX; MBR, GPT and LVM2 linear volumes; ext2/3/4 and XFS "
	        "file systems, read by de's own readers (the journal is not replayed, as "
	        "`mount -o ro,noload`). Nothing is mounted, no root is needed, nothing is "
	        "written. Every command answers as with `--root` on the mounted image; paths "
	        "it prints read `IMAGE@VOLUME:/path`. The volume holding a container runtime "
	        "is found; when several do, choose with `--partition`. Give `--image` once per "
	        "disk when an LVM volume group spans several. See doc/disk-images.md."},
	{.key = DE_K_IMG_PART, .longname = "partition", .type = PO_STRING, .argname = "VOLUME",
	 .help = "with --image: the partition (number or name: 2, p2) or LVM volume (vg0/root)",
	 .man = "With `--image`: the volume to read, a partition number (`2`), a name as "
	        "`de fsls IMAGE` prints it (`p2`, `disk` for a file system on the whole disk) "
	        "or an LVM2 logical volume `VG/LV`."},
	{.key = DE_K_VOLUME, .longname = "volume", .type = PO_STRING, .argname = "VG/LV",
	 .help = "with --image: the LVM logical volume (or partition) to read",
	 .man = "With `--image`: the volume to read, as `--partition` names it; an LVM2 "
	        "logical volume is named `VG/LV` (`vg0/root`)."},
	{.key = DE_K_NAMESPACE, .shortname = 'n', .longname = "namespace", .type = PO_STRING,
	 .argname = "NAMESPACE", .help = "only the containers of that Kubernetes namespace",
	 .man = "Only the containers of Kubernetes namespace `NAMESPACE` (as `kubectl -n`), in "
	        "every command: listings, `list pods`, `timeline --all`, and the look-up of "
	        "`CONTAINER`. A container of no pod is in no namespace: left out."},
	{.key = DE_K_NO_SUPPORT, .longname = "no-support", .type = PO_FLAG,
	 .help = "without the pods' sandboxes and kube-system's containers",
	 .man = "Without the support containers: the pods' sandboxes (pause) and the "
	        "containers of kube-system; `list pods` then leaves out kube-system's pods."},
	{.key = DE_K_VERSION, .shortname = 'V', .longname = "version", .type = PO_FLAG,
	 .help = "show the version and exit"},
	END,
};

static const po_arg global_args[] = {
	{.name = "COMMAND", .kind = PO_K_COMMAND},
	{.name = "ARG", .optional = true, .repeat = true},
	{0},
};

static const po_section main_sections[] = {
	{"CONTAINER",
	 "`CONTAINER` is `[RUNTIME[@ROOT]:]REF`. `REF` is a full ID, a unique ID prefix, or a "
	 "name (`web` or `/web`), looked up in every data root at once: first as a full ID, "
	 "then as a name (or containerd ID, or `NAMESPACE/ID`), then as an ID prefix. When it "
	 "fits more than one container, de names every candidate and stops (exit 1); when it "
	 "fits none, it says so and suggests the nearest names.\n"
	 "\n"
	 "`RUNTIME` is one of docker, podman, cri-o, containerd (`containerd:NAMESPACE/ID`), "
	 "containers-storage, k8s (below); `ROOT` chooses one data root of that runtime, as "
	 "`de list runtimes` prints it or as a path on the imaged host "
	 "(`docker@/home/ana/.local/share/docker:web`).\n"
	 "\n"
	 "A Kubernetes pod's container is also `k8s:NAMESPACE/POD/CONTAINER` (its newest "
	 "attempt, as `kubectl logs` takes it), `k8s:NAMESPACE/POD/CONTAINER/N` (attempt N), "
	 "`k8s:NAMESPACE/POD` (the pod's sandbox); without k8s:, "
	 "`NAMESPACE/POD/CONTAINER[/N]`, and `POD/CONTAINER` where that is unique. Matches "
	 "that are all attempts of one container take the newest."},
	{"EXIT STATUS",
	 "= 0\n"
	 "Done.\n"
	 "\n"
	 "= 1\n"
	 "Error: nothing, or not all of what was asked, could be given. An ambiguous "
	 "`CONTAINER` is one.\n"
	 "\n"
	 "= 2\n"
	 "Usage error. A bad option value is named with what is accepted: "
	 "`--tail: \"ten\" is not a number of lines (0 to 10000000)`.\n"
	 "\n"
	 "= 3\n"
	 "Done, with omissions: something that should be in the evidence could not be read or "
	 "is gone (a damaged record, a log rotated away, a file the engine mounted that the "
	 "image lacks). Each was a warning on stderr naming the file, and the run ends with "
	 "the list of them."},
	{"DIAGNOSTICS",
	 "Only the requested output goes to stdout. Warnings (`de: warning:`) are omissions; "
	 "notes (`de:`) say what is worth knowing and leave the status 0. Among them:\n"
	 "\n"
	 "= \"web\" names 3 containers: docker:871fa6d47e61, docker:669f2a942dc0, "
	 "containerd:k8s.io/web (choose one as RUNTIME:REF, as listed)\n"
	 "\n"
	 "= permission denied: PATH (de reads the evidence with the rights it is run with: run "
	 "it as root, or as the owner of these files)\n"
	 "\n"
	 "= DIR is not a Docker directory: it is a containerd root (hint: give the host's root "
	 "with --root HOST: ...)\n"
	 "\n"
	 "= de: NAME was never started: it printed nothing\n"
	 "\n"
	 "= de: warning: NAME: output before T was rotated away (json-file, max-size=1k, "
	 "max-file=3: ...)\n"
	 "\n"
	 "= de: warning: /etc/hostname (mounted by the engine): ...; the layers' entry is shown\n"
	 "\n"
	 "= container NS/POD/CTR was removed: its files, image and record went with its "
	 "runtime's records and snapshot; its pod log directory is all that is left of it (de "
	 "logs)\n"
	 "\n"
	 "= \"trial/base:1\" names 2 images: docker:5667130e5992 (trial/base:1), "
	 "podman:f5087737e88c (localhost/trial/base:1) (choose one as RUNTIME:REF, as listed)\n"
	 "\n"
	 "= container ID: 2 containerd roots hold its overlayfs snapshot (key: its ID, namespace "
	 "moby): A, B; ... de does not choose\n"
	 "\n"
	 "The full table is in README.md."},
	{"FILES",
	 "= /usr/share/doc/docker-explorer-tools/\n"
	 "README.md (a worked incident, how each engine's view and diff are followed, every "
	 "message) and one page per command, de-COMMAND.md, with real output (the package's "
	 "place; `make install` uses $(PREFIX)/share/doc/de)."},
	{NULL, NULL},
};

const po_command de_main = {
	.name = "de",
	.summary = "explore a container host offline, from its files",
	.opts = global_opts,
	.args = global_args,
	.flags = PO_STOP,
	.man =
	"de reads the files of a container host \xe2\x80\x94 typically the disk image of a "
	"compromised host, mounted read-only \xe2\x80\x94 and answers which containers "
	"existed, which were running, from which images, what they changed and printed, and "
	"shows each container's filesystem as the container saw it. It reads Docker (layouts "
	"v1 and v2; overlay2, overlay, aufs, vfs; Docker 29's containerd image store, in "
	"Docker's own containerd or the system one; Windows containers' windowsfilter), "
	"containerd (Kubernetes nodes included: pods, their logs and volumes), Podman and "
	"CRI-O, all at once when they share a host. It needs no daemon and never writes to the evidence. Its command "
	"line and JSON output are those of docker-explorer (de.py); `docker-explorer` is the "
	"same program.\n"
	"\n"
	"With no command, de runs `list all_containers`. `de help COMMAND` gives a command's "
	"manual, `de COMMAND --help` its options; each command also has its man page, "
	"de-COMMAND(1). Options take a value as `--name VALUE` or `--name=VALUE`, may be "
	"abbreviated to a unique prefix, and go anywhere after the command's name; de's own "
	"options, below, come before it.",
	.examples =
	"  de --root /mnt/evidence list runtimes\n"
	"  de --root /mnt/evidence list all_containers\n"
	"  de --root /mnt/evidence diff podman:sleeper_running\n"
	"  de --root /mnt/evidence diff web --format json --hash\n"
	"  de --root /mnt/evidence logs web -t --since 2026-11-28T12:00:00Z\n"
	"  de --root /mnt/evidence timeline --all > body.txt\n"
	"  mactime -b body.txt -d\n"
	"  de --root /mnt/evidence -n prod list pods --format table\n"
	"  de --root /mnt/evidence logs -t -p k8s:prod/api-6c9f8d7b5-mz2lq/api\n"
	"  de --root /mnt/evidence history trial/web:1 --format dockerfile\n"
	"  de -r /mnt/evidence/var/lib/docker export web web.tar.gz\n"
	"  de -r /mnt/evidence/var/lib/docker mount web /mnt/web --fuse",
	.sections = main_sections,
};

/* ---- list --------------------------------------------------------------- */

/* Every listing takes -F, --format, --all and -o, as de's one getopt loop
 * for list did: where one has no effect there, it is accepted all the same
 * (an existing command line keeps working) and de says it had none. */
#define IGNORED_FILTER                                                                      \
	{.key = DE_K_FILTER, .shortname = 'F', .longname = "filter",                             \
	 .alias = "filter_repositories", .type = PO_LIST, .argname = "REPO1,REPO2",              \
	 .flags = PO_IGNORED}
#define IGNORED_FORMAT                                                                      \
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = fmt_json_table,    \
	 .noun = "format", .flags = PO_IGNORED}
#define IGNORED_ALL {.key = DE_K_ALL, .longname = "all", .type = PO_FLAG, .flags = PO_IGNORED}

static const po_option list_containers_opts[] = {
	OPT_FILTER,
	{.key = DE_K_ALL, .longname = "all", .type = PO_FLAG,
	 .help = "containers: the pods' sandboxes too"},
	OPT_OUTPUT,
	IGNORED_FORMAT,
	END,
};

static const po_option list_repositories_opts[] = {
	OPT_FILTER,
	OPT_OUTPUT,
	IGNORED_FORMAT,
	IGNORED_ALL,
	END,
};

static const po_option list_pods_opts[] = {
	OPT_FORMAT_JSON_TABLE,
	OPT_OUTPUT,
	IGNORED_FILTER,
	IGNORED_ALL,
	END,
};

static const po_option list_runtimes_opts[] = {
	OPT_OUTPUT,
	IGNORED_FILTER,
	IGNORED_FORMAT,
	IGNORED_ALL,
	END,
};

static const po_option list_images_opts[] = {
	OPT_FORMAT_JSON_TABLE,
	{.key = DE_K_ALL, .longname = "all", .type = PO_FLAG,
	 .help = "images: the build intermediates too (docker images -a)"},
	OPT_OUTPUT,
	IGNORED_FILTER,
	END,
};

static const po_option list_volumes_opts[] = {
	OPT_FORMAT_JSON_TABLE,
	OPT_OUTPUT,
	IGNORED_FILTER,
	IGNORED_ALL,
	END,
};

static const po_command list_subs[] = {
	{.name = "all_containers", .opts = list_containers_opts,
	 .summary = "every container of every runtime read, as JSON, oldest start first",
	 .man = "Every container of every runtime, running or not, oldest start first (a "
	        "never-started container has Go's zero time and comes first): de.py's keys "
	        "(image_name, container_id, image_id, labels, start_date, mount_id, "
	        "mount_points, upper_dir, log_path, exposed_ports), then name, created, state, "
	        "finished_date, pid, driver, command, hostname, runtime, namespace, data_root; "
	        "for a pod's container its pod, container name, attempt, sandbox and volume "
	        "kinds; containers only their pod log directory is left of, as removed. A "
	        "Kubernetes pod's sandbox (its pause container) only with `--all`."},
	{.name = "running_containers", .opts = list_containers_opts,
	 .summary = "the containers whose state is running",
	 .man = "Those of all_containers whose state is running."},
	{.name = "repositories", .opts = list_repositories_opts,
	 .summary = "the repositories files of every Docker root",
	 .man = "Docker's repositories files (image/DRIVER/repositories.json, layout v1's "
	        "repositories-DRIVER), one object per Docker root: `[]` on a host without "
	        "Docker."},
	{.name = "pods", .opts = list_pods_opts,
	 .summary = "the Kubernetes pods, as crictl pods",
	 .man = "Kubernetes pods (containerd's CRI plugin), as `crictl pods` lists them: "
	        "sandbox ID, namespace, name, uid, attempt, state (ready, notready, unknown "
	        "without a captured /run, removed: known only from its log directory), labels "
	        "and containers."},
	{.name = "runtimes", .opts = list_runtimes_opts, .needs = "--root HOST_ROOT",
	 .summary = "which runtimes' data the host holds, and how each was found",
	 .man = "With `--root`: every runtime's data found on the host (docker, containerd, "
	        "podman, cri-o, containers-storage), its path and what it was found by."},
	{.name = "images", .opts = list_images_opts,
	 .summary = "the images of every store",
	 .man = "The images of every store, newest first, as `docker images`: ID, tags, "
	        "digests, created, size, layers, the containers using each, dangling, parent, "
	        "`committed_from` (the container `docker commit` made it from), path, runtime, "
	        "namespace. `--all` adds the build intermediates, as `docker images -a` and "
	        "`podman images -a`. The table has RUNTIME and NAMESPACE columns: the same "
	        "image in two stores is two rows."},
	{.name = "volumes", .opts = list_volumes_opts,
	 .summary = "the local volumes of Docker and containers/storage",
	 .man = "The local volumes of Docker and containers/storage roots (containerd keeps "
	        "none): name, driver, path, size and the containers using each."},
	{0},
};

/* ---- history ------------------------------------------------------------ */

static const char *const history_formats[] = {"json", "dockerfile", NULL};
static const char *const history_types[] = {"container", "image", NULL};

static const po_option history_opts[] = {
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = history_formats,
	 .noun = "format",
	 .help = "JSON (the default: de.py's object keyed by image ID) or a pseudo-Dockerfile"},
	{.key = DE_K_TYPE, .longname = "type", .type = PO_ENUM, .values = history_types,
	 .noun = "kind", .help = "look the name up only among containers, or only images"},
	{.key = DE_K_SHOW_EMPTY, .longname = "show-empty", .type = PO_FLAG,
	 .help = "the empty steps (ENV, CMD...) and layers of size 0 too"},
	OPT_OUTPUT,
	END,
};

static const po_arg history_args[] = {
	{.name = "CONTAINER|IMAGE", .kind = PO_K_CONTAINER,
	 .help = "a container (its image), or an image: ID, ID prefix or name:tag"},
	{0},
};

/* ---- inspect, ls, cat, export -------------------------------------------- */

static const po_arg container_arg[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .help = "see CONTAINER in de --help"},
	{0},
};

static const po_option output_only[] = {
	OPT_OUTPUT,
	END,
};

static const po_option ls_opts[] = {
	{.key = DE_K_LONG, .shortname = 'l', .type = PO_FLAG,
	 .help = "mode, link count, owner, size, mtime and link target"},
	{.key = DE_K_RECURSIVE, .shortname = 'R', .type = PO_FLAG,
	 .help = "every entry below PATH, as a full path, parents first"},
	{.key = DE_K_LAYER, .longname = "layer", .type = PO_FLAG,
	 .help = "the layer that supplied each entry"},
	OPT_NO_VOLUMES,
	OPT_OUTPUT,
	END,
};

static const po_arg ls_args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .help = "see CONTAINER in de --help"},
	{.name = "PATH", .kind = PO_K_INPATH, .optional = true,
	 .help = "a path in the container (default /)"},
	{0},
};

static const po_option volumes_only[] = {
	OPT_NO_VOLUMES,
	END,
};

static const po_arg cat_args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .help = "see CONTAINER in de --help"},
	{.name = "PATH", .kind = PO_K_INPATH, .help = "a file of the container"},
	{0},
};

static const po_arg export_args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .help = "see CONTAINER in de --help"},
	{.name = "OUT", .kind = PO_K_FILE,
	 .help = "OUT.tar, OUT.tar.gz, OUT.tar.zst, or an existing empty directory"},
	{.name = "PATH", .kind = PO_K_INPATH, .optional = true,
	 .help = "the subtree to export (default /)"},
	{0},
};

/* ---- diff, timeline --------------------------------------------------------- */

static const char *const diff_formats[] = {"text", "json", NULL};

static const po_option diff_opts[] = {
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = diff_formats,
	 .noun = "format",
	 .help = "the engine's diff lines (the default), or the JSON document"},
	{.key = DE_K_ALL, .longname = "all", .type = PO_FLAG,
	 .help = "de's whole record of the container's layer, not only the engine's lines"},
	OPT_HASH,
	OPT_HASH_MAX,
	OPT_OUTPUT,
	END,
};

static const char *const timeline_formats[] = {"bodyfile", "csv", "jsonl", NULL};

static const po_option timeline_opts[] = {
	{.key = DE_K_ALL, .longname = "all", .type = PO_FLAG,
	 .help = "every container of every runtime read"},
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = timeline_formats,
	 .noun = "format",
	 .help = "a Sleuth Kit body file (the default: mactime -b), Timesketch's CSV, or JSON lines"},
	OPT_HASH,
	OPT_HASH_MAX,
	{.key = DE_K_IMAGE_LAYERS, .longname = "include-image-layers", .type = PO_FLAG,
	 .help = "each image layer's own entries too, each layer once"},
	{.key = DE_K_LOGS, .longname = "logs", .type = PO_FLAG,
	 .help = "every line the containers printed, and where a log lost its beginning"},
	OPT_OUTPUT,
	END,
};

static const po_arg timeline_args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .repeat = true, .unless = DE_K_ALL,
	 .help = "the containers (see CONTAINER in de --help)"},
	{0},
};

/* ---- logs --------------------------------------------------------------- */

static const char *const logs_formats[] = {"text", "jsonl", NULL};
static const char *const logs_streams[] = {"stdout", "stderr", NULL};

static const po_option logs_opts[] = {
	{.key = DE_K_PREVIOUS, .shortname = 'p', .longname = "previous", .type = PO_FLAG,
	 .help = "a pod's container's attempt before this one (kubectl logs -p)"},
	{.key = DE_K_FORMAT, .longname = "format", .type = PO_ENUM, .values = logs_formats,
	 .noun = "format",
	 .help = "the messages as printed (the default), or JSON lines with time, stream, file "
	         "and offset"},
	{.key = DE_K_STREAM, .longname = "stream", .type = PO_ENUM, .values = logs_streams,
	 .noun = "stream", .help = "only what the container wrote to that stream"},
	{.key = DE_K_SINCE, .longname = "since", .type = PO_TIME, .argname = "T",
	 .help = "only messages at or after T (RFC 3339, or Unix seconds as 1795870670.5)"},
	{.key = DE_K_UNTIL, .longname = "until", .type = PO_TIME, .argname = "T",
	 .help = "only messages at or before T"},
	{.key = DE_K_TAIL, .longname = "tail", .type = PO_INT, .argname = "N", .min = 0,
	 .max = 10000000, .noun = "number of lines", .help = "only the last N messages"},
	{.key = DE_K_TIMESTAMPS, .shortname = 't', .longname = "timestamps", .type = PO_FLAG,
	 .help = "each message's time first, as docker logs -t"},
	OPT_OUTPUT,
	END,
};

/* ---- bbolt, mount, merge-vhdx, download ------------------------------------- */

static const po_arg bbolt_args[] = {
	{.name = "FILE", .kind = PO_K_FILE, .help = "a bbolt (BoltDB) database file"},
	{.name = "BUCKET", .optional = true, .repeat = true,
	 .help = "nested buckets to descend into"},
	{0},
};

static const po_option mount_opts[] = {
	{.key = DE_K_DRY_RUN, .longname = "dry-run", .type = PO_FLAG,
	 .help = "print the mount commands, run nothing"},
	{.key = DE_K_FUSE, .longname = "fuse", .type = PO_FLAG,
	 .help = "serve the view through FUSE, not the kernel's mounts"},
	OPT_NO_VOLUMES,
	{.key = DE_K_FOREGROUND, .shortname = 'f', .longname = "foreground", .type = PO_FLAG,
	 .help = "FUSE: serve in the foreground, warnings on stderr"},
	{.key = DE_K_LOG, .longname = "log", .type = PO_PATH, .argname = "FILE",
	 .noun = "file name", .kind = PO_K_FILE,
	 .help = "FUSE: append the background server's warnings to FILE"},
	END,
};

static const po_arg mount_args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER, .help = "see CONTAINER in de --help"},
	{.name = "MOUNTPOINT", .kind = PO_K_DIR, .help = "an existing directory"},
	{0},
};

static const po_option merge_opts[] = {
	{.key = DE_K_PARENT, .shortname = 'p', .longname = "parent_disk", .type = PO_PATH,
	 .argname = "PARENT", .noun = "file name", .kind = PO_K_FILE, .flags = PO_REQUIRED,
	 .help = "the parent VHDX (the base layer's blank-base.vhdx)"},
	{.key = DE_K_CHILD, .shortname = 'c', .longname = "child_disk", .type = PO_PATH,
	 .argname = "CHILD", .noun = "file name", .kind = PO_K_FILE, .flags = PO_REQUIRED,
	 .help = "the differencing VHDX (the container's sandbox.vhdx)"},
	{.key = DE_K_OUTPUT, .shortname = 'o', .longname = "out_image", .type = PO_PATH,
	 .argname = "OUT", .noun = "file name", .kind = PO_K_FILE, .flags = PO_REQUIRED,
	 .help = "the raw disk to write"},
	{.key = DE_K_YES, .shortname = 'y', .longname = "yes", .type = PO_FLAG,
	 .help = "overwrite OUT when it exists"},
	END,
};

static const char *const download_kinds[] = {"all", "dockerfile", "layers", NULL};

static int check_platform(const char *v)
{
	char *os = NULL, *arch = NULL, *variant = NULL;
	int rc = reg_platform_parse(v, &os, &arch, &variant);
	free(os);
	free(arch);
	free(variant);
	return rc;
}

static const po_option download_opts[] = {
	{.key = DE_K_OUTPUT, .shortname = 'o', .longname = "output", .type = PO_PATH,
	 .argname = "DIR", .noun = "directory", .kind = PO_K_DIR,
	 .help = "where the files go (default: REPOSITORY/IMAGE/TAG here; -: the "
	         "pseudo-Dockerfile on stdout)"},
	{.key = DE_K_PLATFORM, .longname = "platform", .type = PO_STRING,
	 .argname = "OS/ARCH[/VARIANT]", .noun = "platform", .accepted = "OS/ARCH[/VARIANT]",
	 .check = check_platform,
	 .help = "a multi-platform image's platform (default linux/amd64)"},
	{.key = DE_K_USER, .longname = "user", .type = PO_STRING, .argname = "USER[:PASSWORD]",
	 .help = "the registry's credentials (no PASSWORD: asked, or read from stdin)"},
	{.key = DE_K_INSECURE, .longname = "insecure-registry", .type = PO_STRING,
	 .argname = "HOST[:PORT]", .flags = PO_REPEAT,
	 .help = "plain HTTP allowed for this registry (loopback ones always are)"},
	{.key = DE_K_CA_CERT, .longname = "ca-cert", .type = PO_PATH, .argname = "FILE",
	 .noun = "file name", .kind = PO_K_FILE,
	 .help = "the CA certificates (PEM) to verify the registry with"},
	END,
};

static const po_arg download_args[] = {
	{.name = "WHAT", .kind = PO_K_WORD, .values = download_kinds, .noun = "kind of download",
	 .help = "layers, the pseudo-Dockerfile, or all of it with manifest and config"},
	{.name = "IMAGE", .kind = PO_K_REFERENCE,
	 .help = "a reference: busybox, library/busybox:1.36, "
	                          "ghcr.io/org/app@sha256:..., 127.0.0.1:5000/case/app:2"},
	{0},
};

/* ---- fsls ----------------------------------------------------------------- */

static const po_option fsls_opts[] = {
	{.key = DE_K_PARTITION, .shortname = 'p', .longname = "partition", .type = PO_STRING,
	 .argname = "VOLUME",
	 .help = "the volume: its number or name as the volume list prints it (p2, vg0/root)"},
	{.key = DE_K_PATH, .longname = "path", .type = PO_STRING, .argname = "PATH",
	 .help = "where in the file system (default /)"},
	{.key = DE_K_RECURSIVE, .shortname = 'R', .type = PO_FLAG,
	 .help = "every entry below PATH, depth first"},
	{.key = DE_K_HASH, .longname = "hash", .type = PO_FLAG,
	 .help = "the SHA-256 of every regular file"},
	{.key = DE_K_XATTRS, .longname = "xattrs", .type = PO_FLAG,
	 .help = "each entry's extended attributes, in hex"},
	{.key = DE_K_CAT, .longname = "cat", .type = PO_FLAG,
	 .help = "the content of the file at PATH, to stdout"},
	END,
};

static const po_arg fsls_args[] = {
	{.name = "IMAGE", .kind = PO_K_FILE, .repeat = true,
	 .help = "a disk image (raw, split raw, E01, VMDK, VHD, VHDX, qcow2) or a block "
	         "device; several: the disks of one host"},
	{0},
};

/* ---- help, __complete ------------------------------------------------------------ */

static const po_arg help_args[] = {
	{.name = "COMMAND", .kind = PO_K_COMMAND, .optional = true, .help = "a command"},
	{0},
};

static const char *const complete_kinds[] = {"containers", "paths", NULL};

/* containers [PREFIX], or paths CONTAINER [PREFIX] */
static const po_arg complete_args[] = {
	{.name = "WHAT", .kind = PO_K_WORD, .values = complete_kinds, .noun = "completion"},
	{.name = "ARG", .optional = true, .repeat = true},
	{0},
};

/* The manual's text of each command (manual.c). */
extern const char de_man_list[], de_ex_list[], de_man_history[], de_ex_history[],
	de_man_inspect[], de_ex_inspect[], de_man_ls[], de_ex_ls[], de_man_cat[], de_ex_cat[],
	de_man_diff[], de_ex_diff[], de_man_export[], de_ex_export[], de_man_timeline[],
	de_ex_timeline[], de_man_logs[], de_ex_logs[], de_man_mount[], de_ex_mount[],
	de_man_bbolt[], de_ex_bbolt[], de_man_download[], de_ex_download[], de_man_merge_vhdx[],
	de_ex_merge_vhdx[], de_man_fsls[], de_ex_fsls[], de_man_help[];

const de_command de_commands[] = {
	{{.name = "list", .subs = list_subs, .subs_noun = "listing",
	  .summary = "containers, pods, runtimes, images, volumes, repositories files",
	  .man = de_man_list, .examples = de_ex_list}, cmd_list, "de-list.md"},
	{{.name = "history", .opts = history_opts, .args = history_args,
	  .summary = "an image and its parents with their build steps, or its pseudo-Dockerfile",
	  .man = de_man_history, .examples = de_ex_history}, cmd_history, "de-history.md"},
	{{.name = "inspect", .opts = output_only, .args = container_arg,
	  .summary = "the container as its engine's inspect shows it, with its layers",
	  .man = de_man_inspect, .examples = de_ex_inspect}, cmd_inspect, "de-inspect.md"},
	{{.name = "ls", .opts = ls_opts, .args = ls_args,
	  .summary = "the container's files as it saw them, from the layers (no mount)",
	  .man = de_man_ls, .examples = de_ex_ls}, cmd_ls, "de-ls.md"},
	{{.name = "cat", .opts = volumes_only, .args = cat_args,
	  .summary = "a file of the container, to stdout",
	  .man = de_man_cat, .examples = de_ex_cat}, cmd_cat, "de-cat.md"},
	{{.name = "diff", .opts = diff_opts, .args = container_arg,
	  .summary = "what the container changed against its image, as its engine's diff",
	  .man = de_man_diff, .examples = de_ex_diff}, cmd_diff, "de-diff.md"},
	{{.name = "export", .opts = volumes_only, .args = export_args,
	  .summary = "the container's files as a tar archive, or into an empty directory",
	  .man = de_man_export, .examples = de_ex_export}, cmd_export, "de-export.md"},
	{{.name = "timeline", .opts = timeline_opts, .args = timeline_args,
	  .summary = "every time of every file of the containers, and the host's events",
	  .man = de_man_timeline, .examples = de_ex_timeline}, cmd_timeline, "de-timeline.md"},
	{{.name = "logs", .opts = logs_opts, .args = container_arg,
	  .summary = "what the container printed, from its log files",
	  .man = de_man_logs, .examples = de_ex_logs}, cmd_logs, "de-logs.md"},
	{{.name = "mount", .opts = mount_opts, .args = mount_args,
	  .summary = "mount the container's root filesystem read-only (kernel, or FUSE)",
	  .man = de_man_mount, .examples = de_ex_mount}, cmd_mount, "de-mount.md"},
	{{.name = "bbolt", .opts = output_only, .args = bbolt_args,
	  .summary = "a bbolt (BoltDB) database as JSON",
	  .man = de_man_bbolt, .examples = de_ex_bbolt}, cmd_bbolt, "de-bbolt.md"},
	{{.name = "download", .opts = download_opts, .args = download_args,
	  .summary = "an image from a registry: its layers, manifest, config, pseudo-Dockerfile",
	  .man = de_man_download, .examples = de_ex_download}, cmd_download, "de-download.md"},
	{{.name = "merge-vhdx", .opts = merge_opts,
	  .summary = "a differencing VHDX over its parent, as a raw disk",
	  .man = de_man_merge_vhdx, .examples = de_ex_merge_vhdx}, cmd_merge_vhdx, "de-merge-vhdx.md"},
	{{.name = "fsls", .opts = fsls_opts, .args = fsls_args,
	  .summary = "debugging: the volumes of disk images, or the files of an ext2/3/4 or XFS "
	             "file system in one, read without mounting",
	  .man = de_man_fsls, .examples = de_ex_fsls}, cmd_fsls, NULL},
	{{.name = "help", .args = help_args,
	  .summary = "the manual of de or of a command, as text",
	  .man = de_man_help}, cmd_help, NULL},
	{{.name = "__complete", .args = complete_args, .flags = PO_HIDDEN,
	  .summary = "what the shell completions offer: containers, paths in one"},
	 cmd_complete, NULL},
	{{0}, NULL, NULL},
};

const de_command *de_command_find(const char *name)
{
	for (const de_command *c = de_commands; c->po.name; c++)
		if (!strcmp(c->po.name, name))
			return c;
	return NULL;
}
