/*
 * de.c — entry point: global options, then one command from the table.
 *
 *   de [-h] [-d] [-r DOCKER_DIRECTORY] [--root HOST_ROOT] [-n NAMESPACE]
 *      [--no-support] [-V] COMMAND ...
 *
 * The command line is docker-explorer's (de.py): with no COMMAND, `de` runs
 * `list all_containers`. Exit status: 0 done, 1 error, 2 usage, 3 done but
 * something could not be read (each omission was a warning on stderr).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "builtin/builtin.h"
#include "util/diag.h"

#ifndef DE_VERSION
#define DE_VERSION "0.1.0"
#endif

static const de_command commands[] = {
	{"list", cmd_list,
	 "list {running_containers,all_containers,pods,repositories,images,volumes} [-F R1,R2] [--format json|table] [--all] [-o FILE]",
	 "containers (JSON, oldest start first), Kubernetes pods, repositories files, images or volumes"},
	{"history", cmd_history,
	 "history CONTAINER|IMAGE [--format json|dockerfile] [--type container|image] [--show-empty] [-o FILE]",
	 "an image and its parents with their build steps, or its pseudo-Dockerfile"},
	{"inspect", cmd_inspect, "inspect CONTAINER [-o FILE]",
	 "the container as docker inspect shows it, rebuilt from its files, with its layers"},
	{"ls", cmd_ls, "ls CONTAINER [PATH] [-l] [-R] [--layer] [--no-volumes]",
	 "list the container's files as it saw them, from the layers (no mount)"},
	{"cat", cmd_cat, "cat CONTAINER PATH [--no-volumes]",
	 "a file of the container, to stdout"},
	{"diff", cmd_diff, "diff CONTAINER [--format text|json] [--all] [--hash] [--hash-max BYTES] [-o FILE]",
	 "what the container changed against its image (A, C, D), as docker diff"},
	{"export", cmd_export, "export CONTAINER OUT [PATH] [--no-volumes]",
	 "the container's files as OUT.tar/.tar.gz/.tar.zst, or into an empty directory"},
	{"timeline", cmd_timeline, "timeline CONTAINER... | --all [--format bodyfile|csv|jsonl] [--hash] [--include-image-layers] [--logs] [-o FILE]",
	 "every time of every file of the containers, and the host's events (mactime, Timesketch)"},
	{"logs", cmd_logs, "logs CONTAINER [--previous] [--format text|jsonl] [--stream S] [--since T] [--until T] [--tail N] [-t] [-o FILE]",
	 "what the container printed, from its log files (json-file, local, dual-logging cache, CRI)"},
	{"bbolt", cmd_bbolt, "bbolt FILE [BUCKET...] [-o FILE]",
	 "a bbolt (BoltDB) database as JSON: containerd's, Podman's, Docker's volumes"},
	{"merge-vhdx", cmd_merge_vhdx, "merge-vhdx -p PARENT -c CHILD -o OUT [-y]",
	 "a differencing VHDX (a Windows container's sandbox.vhdx) over its parent, as a raw disk"},
	{"mount", cmd_mount, "mount CONTAINER MOUNTPOINT [--dry-run] [--fuse] [--no-volumes]",
	 "mount the container's root filesystem read-only (kernel as root, else FUSE)"},
	{"download", cmd_download,
	 "download all|dockerfile|layers IMAGE [-o DIR] [--platform OS/ARCH[/VARIANT]] [--user USER[:PASS]] [--insecure-registry HOST] [--ca-cert FILE]",
	 "an image from a registry (Docker Hub by default): its layers, config, manifest, pseudo-Dockerfile"},
	{"fsls", cmd_fsls, "fsls IMAGE... [-p VOLUME] [--path PATH] [-R] [--hash] [--xattrs] [--cat]",
	 "debugging: the volumes of disk images, or the files of an ext2/3/4 or XFS file system in one, read without mounting"},
};

static void print_usage(FILE *f)
{
	fputs("usage: de [-h] [-d] [-r DOCKER_DIRECTORY] [--root HOST_ROOT] [-n NAMESPACE]\n"
	      "          [--no-support] [-V] COMMAND ...\n\n"
	      "Explore the containers of a Docker host offline, from its files.\n\n"
	      "options:\n"
	      "  -h, --help            show this help and exit\n"
	      "  -d, --debug           debug messages on stderr\n"
	      "  -r, --docker-directory DOCKER_DIRECTORY\n"
	      "                        the Docker data root (default: /var/lib/docker)\n"
	      "  --root HOST_ROOT      where the imaged host's / is mounted; host paths found\n"
	      "                        in the data are shown and used under it (default: what\n"
	      "                        stands before /var/lib/docker in -r)\n"
	      "  -n, --namespace NAMESPACE\n"
	      "                        only the containers of that Kubernetes namespace\n"
	      "  --no-support          without the pods' sandboxes and kube-system's containers\n"
	      "  -V, --version         show the version and exit\n\n"
	      "commands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %s\n      %s\n", commands[i].usage, commands[i].summary);
	fputs("\nCONTAINER is a full ID, a unique ID prefix or a name (web, /web), looked up in\n"
	      "every data root at once; when it fits more than one container, de names each\n"
	      "and stops. RUNTIME:REF chooses the runtime (docker:web, podman:8166dbfd5420,\n"
	      "cri-o:NAME, containerd:NAMESPACE/ID; NAMESPACE/ID alone works too), and\n"
	      "RUNTIME@ROOT:REF one data root of it, as list runtimes prints it or as a path\n"
	      "of the host (docker@/home/ana/.local/share/docker:web). A Kubernetes pod's\n"
	      "container is also k8s:NAMESPACE/POD/CONTAINER (its newest attempt; .../N for\n"
	      "attempt N), or POD/CONTAINER where that is unique.\n", f);
	fputs("\nexit status: 0 done, 1 error, 2 usage, 3 done with omissions (see stderr)\n", f);
}

/* The run ends with the list of what could not be read and why: in a long
 * run the warnings are scattered among thousands of lines. The first
 * SUMMARY_MAX are repeated; all were printed as they happened. */
#define SUMMARY_MAX 50

static void print_omissions(size_t n)
{
	fprintf(stderr, "de: the result is incomplete: %zu item%s could not be read:\n", n,
	        n == 1 ? "" : "s");
	size_t kept = de_omission_kept();
	for (size_t i = 0; i < kept && i < SUMMARY_MAX; i++)
		fprintf(stderr, "de:   %s\n", de_omission_msg(i));
	if (n > SUMMARY_MAX)
		fprintf(stderr, "de:   … and %zu more (see the warnings above)\n", n - SUMMARY_MAX);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"debug", no_argument, NULL, 'd'},
		{"docker-directory", required_argument, NULL, 'r'},
		{"root", required_argument, NULL, 'R'},
		{"version", no_argument, NULL, 'V'},
		{"namespace", required_argument, NULL, 'n'},
		{"no-support", no_argument, NULL, 'S'},
		{0},
	};
	de_opts o = {.docker_dir = "/var/lib/docker", .host_root = NULL};
	int opt;
	/* "+": stop at the command name; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+hdr:n:V", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			print_usage(stdout);
			return DE_EXIT_OK;
		case 'd':
			de_debug_on = 1;
			break;
		case 'r':
			o.docker_dir = optarg;
			o.docker_dir_given = true;
			break;
		case 'R':
			o.host_root = optarg;
			break;
		case 'n':
			o.pod_namespace = optarg;
			break;
		case 'S':
			o.no_support = true;
			break;
		case 'V':
			printf("de %s\n", DE_VERSION);
			return DE_EXIT_OK;
		default:
			print_usage(stderr);
			return DE_EXIT_USAGE;
		}
	}
	static char *default_argv[] = {"list", "all_containers", NULL};
	int cargc = argc - optind;
	char **cargv = argv + optind;
	if (cargc == 0) {
		cargc = 2;
		cargv = default_argv;
	}
	const de_command *cmd = NULL;
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(commands[i].name, cargv[0]))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "de: unknown command \"%s\"\n", cargv[0]);
		print_usage(stderr);
		return DE_EXIT_USAGE;
	}
	int rc = cmd->run(cargc, cargv, &o);
	size_t n = de_omission_count();
	if (rc == DE_EXIT_OK && n > 0) {
		print_omissions(n);
		rc = DE_EXIT_INCOMPLETE;
	}
	de_omissions_reset();
	return rc;
}
