/*
 * builtin.h — the commands. One file each, thin: read the options and
 * arguments the command table (commands.h) parsed for it, call the runtime,
 * driver and output modules, print. A command returns an exit status;
 * main() turns "success with warnings" into 3.
 */
#ifndef DE_BUILTIN_H
#define DE_BUILTIN_H

#include <stdio.h>
#include <string.h>

#include "../runtime/docker.h"
#include "../runtime/view.h"
#include "../util/parseopt.h"

enum {
	DE_EXIT_OK = 0,
	DE_EXIT_ERROR = 1,
	DE_EXIT_USAGE = 2,
	DE_EXIT_INCOMPLETE = 3,   /* done, but something could not be read */
};

/* Global options, parsed by main(). */
typedef struct de_opts {
	const char *docker_dir;   /* -r, default /var/lib/docker */
	const char *host_root;    /* --root, NULL when not given */
	bool docker_dir_given;    /* -r was given: that one data root only */
	const char *pod_namespace; /* -n: only the containers of that Kubernetes namespace */
	bool no_support;          /* --no-support: without pods' sandboxes and kube-system */
	const struct de_source *image;        /* --image: the disk image, or NULL */
	const struct de_src_vol *image_vol;   /* the volume read (host_root is its name) */
} de_opts;

/* --image IMAGE… [--partition VOL] (image.c): opens the image(s) and makes
 * the volume holding the runtimes the run's host root; prints why not. */
int de_image_attach(de_opts *o, const char *const *images, size_t n, const char *which);
void de_image_detach(void);
/* mount with --image: prints the commands that attach the image read-only
 * and mount the volume at MOUNTPOINT-host, then cmds (the container's) with
 * the image's paths under it; runs nothing (image.c). */
struct de_cmdlist;
int de_image_mount(const de_opts *o, struct de_cmdlist *cmds, const char *mnt,
                   void (*print)(const strvec *cmd));

/* Whether -n and --no-support keep c (pods.c). */
bool de_opts_keep(const de_opts *o, const de_container *c);

/* The roots a command works on: -r's Docker data root, or with --root alone
 * every Docker data root and containerd root discovery finds on the host
 * (runtime/discover.h). */
typedef struct de_rootref {
	char *path;
	char *rel;           /* with --root: its place on the imaged host, relative */
	de_root_kind kind;
	bool skip_moby;      /* Docker's own containerd: its containers are Docker's */
	strvec docker_recs;  /* containerd: "NS/ID" of the records that are the
	                      * run's Docker containers (docker_ctd.h), sorted */
} de_rootref;

typedef struct de_roots {
	de_rootref *v;
	size_t n;
} de_roots;

int de_find_roots(const de_opts *o, de_roots *out);
void de_roots_free(de_roots *r);
/* Opens one of them (Docker or containerd); prints why not. */
int de_open_root(const de_opts *o, const de_rootref *r, de_docker *d);
/* Every container of an opened root. */
int de_load_root(de_docker *d, const de_rootref *r, de_container_list *l, de_err *e);

/* Every container of every root at once (list all_containers, timeline
 * --all): each container with the opened root it belongs to. */
typedef struct de_rooted {
	de_docker *d;
	de_container *c;
} de_rooted;

typedef struct de_host {
	de_roots roots;
	de_docker *ds;               /* one per root */
	bool *open;
	de_container_list *ls;
	de_rooted *all;
	size_t n;
} de_host;

/* Opens every root and loads its containers. A root that cannot be read is
 * said on stderr and the others are still given; DE_EXIT_ERROR only when
 * nothing could be read at all (the one root asked for, or no root). */
int de_host_load(const de_opts *o, de_host *h);
/* The containers only a pod's log directory tells of (runtime/podlogs.c),
 * given to the node's CRI runtime root: pod_root (the root holding a pod's
 * container; -1 none), else a containerd root with a CRI plugin directory;
 * appended to *out, and that root's index returned (-1: no CRI runtime,
 * none). known: every container read from the roots. */
int de_pods_removed(const de_roots *roots, de_docker *ds, const bool *open, int pod_root,
                    const de_container *const *known, size_t n, de_container_list *out);
/* A listed container's pod keys (pod, container_name, attempt, …), and a
 * pod volume's mount point with its kind (pods.c). */
void de_pod_keys(json_t *o, const de_container *c);
json_t *de_pod_mount_json(const de_mount_point *m);
void de_host_free(de_host *h);

/* A command's parsed command line (commands.h): a->v[DE_K_...] its
 * options, a->pos its arguments, a->cmd the (sub)command run. */
typedef po_result de_args;

/* Whether an option was given; its value as given (NULL when not). */
static inline bool de_flag(const de_args *a, int key)
{
	return a->v[key].set;
}
static inline const char *de_str(const de_args *a, int key)
{
	return a->v[key].set ? a->v[key].str : NULL;
}
/* An enumerated option given as value. */
static inline bool de_is(const de_args *a, int key, const char *value)
{
	return a->v[key].set && !strcmp(a->v[key].str, value);
}

int cmd_list(const de_args *a, const de_opts *o);
int cmd_history(const de_args *a, const de_opts *o);
int cmd_mount(const de_args *a, const de_opts *o);
int cmd_ls(const de_args *a, const de_opts *o);
int cmd_cat(const de_args *a, const de_opts *o);
int cmd_export(const de_args *a, const de_opts *o);
int cmd_logs(const de_args *a, const de_opts *o);
int cmd_inspect(const de_args *a, const de_opts *o);
int cmd_diff(const de_args *a, const de_opts *o);
int cmd_timeline(const de_args *a, const de_opts *o);
int cmd_bbolt(const de_args *a, const de_opts *o);
int cmd_download(const de_args *a, const de_opts *o);
int cmd_merge_vhdx(const de_args *a, const de_opts *o);
int cmd_fsls(const de_args *a, const de_opts *o);
/* `de help [COMMAND]` and the completions' `de __complete` (help.c). */
int cmd_help(const de_args *a, const de_opts *o);
int cmd_complete(const de_args *a, const de_opts *o);
/* `list pods` (pods.c), as crictl pods: one per sandbox, and per pod known
 * only from its log directory. */
int de_list_pods(const de_opts *o, bool table);
/* The same pod's container at the attempt before c's (logs --previous, as
 * kubectl logs -p): opened as de_open_container does; prints why not. */
de_container *de_open_previous(const de_opts *o, de_docker *d, const de_container *c);

/* Resolves CONTAINER ([RUNTIME[@ROOT]:]REF, lookup.c) among every root of
 * the run, and opens its root into d; prints the error on failure (an
 * ambiguity names every candidate). The roots are read once per run. */
de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref);
/* What a command about one container works on: the data root, the
 * container, and (when asked) its view. */
typedef struct de_target {
	de_docker d;
	de_container *c;
	de_view v;
	bool has_view;
} de_target;

/* Opens the data root, resolves ref and, with view, the container's view
 * (with its volumes and binds when mounts). Prints the error; 0 or -1. */
int de_target_open(de_target *t, const de_opts *o, const char *ref, bool view, bool mounts);
void de_target_close(de_target *t);

/* The error message alone, on a line of stderr. */
void de_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A bad option value or argument the table could not judge: what is wrong
 * ("-o: \"-\" (stdout) is for dockerfile only"), then the command's usage
 * from the table; DE_EXIT_USAGE. */
int de_usage_error(const de_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The usage of a's command on f (after a message). */
void de_print_usage(FILE *f, const po_command *cmd);
/* -o FILE: stdout goes to a new file (an existing one is not overwritten). */
int de_redirect_stdout(const char *path);
/* Writes j to stdout; DE_EXIT_ERROR when stdout fails (disk full, closed pipe). */
int de_emit_json(json_t *j);

#endif
