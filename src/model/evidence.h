/*
 * evidence.h — the evidence model: what a container host held.
 *
 * Runtime modules (runtime/) fill these structures from their files;
 * drivers (driver/) and commands (builtin/) read them. Nothing here knows
 * where the data came from. Strings are owned (freed by the *_free
 * functions); a NULL string means "not recorded in the evidence", which is
 * different from an empty one.
 */
#ifndef DE_EVIDENCE_H
#define DE_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../util/strvec.h"

/* A volume or bind mount as the container saw it. */
typedef struct de_mount_point {
	char *kind;         /* "volume", "bind", or the Type Docker wrote */
	char *name;         /* volume name, NULL for binds */
	char *source;       /* where the data is on the imaged host, under the host root */
	char *host_source;  /* Source as written (a path on the imaged host), or NULL */
	char *destination;  /* path inside the container */
	bool rw;
} de_mount_point;

/* A file (or directory) the engine itself bind-mounted into the container
 * from its own directories: Docker's HostnamePath, HostsPath and
 * ResolvConfPath, Podman's userdata/ files, CRI's sandbox files. */
typedef struct de_engine_file {
	char *name;         /* the source's file name: "hostname", ".containerenv" */
	char *host_source;  /* the source as the engine wrote it (a host path) */
	char *data_rel;     /* the source below the data root, or NULL: host_source
	                     * below the host root */
	char *source;       /* where it is: under the data root or the host root */
	char *destination;  /* path inside the container */
} de_engine_file;

typedef enum de_layout { DE_LAYOUT_V1 = 1, DE_LAYOUT_V2 = 2 } de_layout;

/* A container of a Kubernetes pod, as its CRI runtime recorded it, or as
 * the pod's log directory tells of one whose records are gone (removed).
 * Strings as the evidence wrote them; NULL when not recorded. */
typedef struct de_pod_info {
	char *namespace, *name, *uid;   /* the pod */
	char *container;       /* its name in the pod; NULL for the sandbox */
	char *kind;            /* "container" or "sandbox" (the pod's pause) */
	char *sandbox_id;
	long attempt;          /* the kubelet's restart attempt; -1 unknown */
	char *reason;          /* why it exited, as the CRI answers it, or NULL */
	char *log_path;        /* its CRI log as written (a host path), or NULL */
	char *log_dir;         /* a sandbox: the pod's log directory as written */
	char *image_ref;       /* the image ID the CRI runtime ran (sha256:…) */
	bool support;          /* a sandbox, or of namespace kube-system */
	bool removed;          /* its runtime's records are gone: known from its logs */
	bool id_unknown;       /* removed, and no link names its ID: id is its log's place */
	char *first_log, *last_log;  /* removed: its log's first and last record (RFC 3339) */
	strvec log_files;      /* removed: its log files below the host root, oldest first */
	json_t *record;        /* the runtime's own record of it (owned), or NULL */
} de_pod_info;

typedef struct de_container {
	char *runtime;         /* "docker", "containerd" */
	char *namespace;       /* containerd's namespace, else NULL */
	char *id;
	char *name;            /* "/web" as Docker writes it */
	char *config_path;     /* evidence file it was read from */
	de_layout layout;

	char *image_name;      /* Config.Image (ContainerConfig overrides) */
	char *image_id;        /* as written: "sha256:…" in v2 */
	json_t *labels;        /* non-empty object or NULL */
	json_t *exposed_ports; /* non-empty object or NULL */
	char *hostname;
	char *command;         /* Path + Args */

	char *created, *started_at, *finished_at;   /* RFC 3339, as written */
	bool has_state;
	bool running, paused, restarting, dead, removing, oom_killed;
	bool exit_unknown;     /* ended, with no exit code recorded: "exited" */
	int64_t exit_code, pid;

	char *driver;          /* storage driver name, as written */
	char *mount_id;        /* the driver's directory for the writable layer */
	char *snapshot_key;    /* containerd: the snapshotter's key of its snapshot */
	char *snapshot_root;   /* containerd root holding it, relative to the data
	                        * root: NULL for containerd's own containers,
	                        * "containerd/daemon" for Docker's (containerd store)
	                        * in its private containerd, "" for Docker's in a
	                        * containerd outside the data root (ctd_root) */
	char *ctd_root;        /* Docker with the containerd store: the containerd
	                        * root holding its snapshot, a path of this machine */
	char *ctd_namespace;   /* and Docker's namespace there ("moby") */
	char *snapshot_error;  /* why its snapshot cannot be used (not found, or
	                        * found in several containerds), or NULL */
	char *init_id;         /* the -init layer, when recorded */
	char *log_path;        /* under the host root */

	de_mount_point *mounts;
	size_t nmounts;
	de_engine_file *engine_files;   /* in the engine's mount order */
	size_t nengine_files;

	json_t *config;        /* the whole config document (owned) */
	char *config_text;     /* its bytes, kept by a load of the record alone that
	                        * is read whole later (de_docker_whole), else NULL */
	size_t config_len;
	json_t *hostconfig;    /* hostconfig.json once read (owned); see de_docker_hostconfig */
	json_t *native;        /* another runtime's own record, as its tools show it (owned) */
	bool hostconfig_read;
	de_pod_info *pod;      /* a Kubernetes pod's container or sandbox, else NULL */
} de_container;

typedef struct de_container_list {
	de_container **v;
	size_t n;
} de_container_list;

/* One step of an image's build history (image config "history[]"). */
typedef struct de_history_step {
	char *created, *created_by, *comment;
	bool empty_layer;
	char *diff_id;         /* the layer this step made; NULL for empty steps */
	int64_t size;          /* bytes, from the layer store; -1 unknown */
} de_history_step;

/* One image (v2) or graph layer (v1) in a container's image parent chain. */
typedef struct de_history_entry {
	char *id;
	char *created;
	char *container_cmd;
	char *comment;
	int64_t size;          /* -1 when the store does not record it */
	char *committed_from;  /* the container `docker commit` made it from (its ID), or NULL */
	de_history_step *steps;
	size_t nsteps;
} de_history_entry;

typedef struct de_history {
	de_history_entry *v;
	size_t n;
} de_history;

/* An image of the store. */
typedef struct de_image {
	char *id;              /* "sha256:…" */
	char *driver;          /* the image store it is in (image/<driver>, "containerd") */
	char *namespace;       /* containerd's namespace, else NULL */
	char *created;
	char *parent;          /* local parent image: Docker's record, or the one
	                        * Podman's rule finds (containers/storage) */
	char *config_path;
	strvec tags, digests;  /* "repo:tag", "repo@sha256:…" */
	int64_t size;          /* sum of its layers; -1 when a size is missing */
	size_t layers;
	bool dangling, intermediate;   /* untagged: nobody's parent, or a parent */
	strvec containers;     /* names of the containers made from it */
	char *committed_from;  /* the container `docker commit` made it from (its ID), or NULL */
	char *committed_from_name;   /* that container's name, when it is in the evidence */
	char *runtime;         /* the engine whose store holds it ("docker",
	                        * "containerd", "podman"…); NULL: the root's kind */
} de_image;

typedef struct de_image_list {
	de_image *v;
	size_t n;
} de_image_list;

typedef struct de_volume {
	char *name, *path;
	uint64_t size;         /* bytes of its files */
	strvec containers;     /* names of the containers that mount it */
} de_volume;

typedef struct de_volume_list {
	de_volume *v;
	size_t n;
} de_volume_list;

/* How a storage driver marks deletions in a layer (see union/union.h). */
typedef enum de_whiteouts {
	DE_WHITEOUTS_NONE,      /* vfs: each layer is a whole tree */
	DE_WHITEOUTS_OVERLAY,   /* 0/0 char devices, trusted.overlay.* xattrs */
	DE_WHITEOUTS_AUFS,      /* .wh.<name>, .wh..wh..opq */
} de_whiteouts;

/* One layer of a container's root filesystem. */
typedef struct de_layer {
	char *dir;             /* the layer's files, relative to the data root */
	char *id;              /* the driver's name for it (what "which layer" answers) */
	char *role;            /* "container", "init" or "image" */
} de_layer;

/* A container's layers, top (its writable layer) first. */
typedef struct de_layer_stack {
	de_layer *v;
	size_t n;
	de_whiteouts whiteouts;
} de_layer_stack;

void de_layer_stack_add(de_layer_stack *s, char *dir, const char *id, const char *role);
void de_layer_stack_free(de_layer_stack *s);

/* "running", "paused", "restarting", "removing", "dead", "created", or
 * "exited(N)" — Docker's own StateString() rules — or "exited" when the
 * exit code is not recorded; "removed" for a pod's container known only
 * from its logs. buf >= 32 bytes. */
const char *de_container_state(const de_container *c, char *buf, size_t len);

void de_container_free(de_container *c);
void de_pod_info_free(de_pod_info *p);
void de_container_list_push(de_container_list *l, de_container *c);
void de_container_list_free(de_container_list *l);
void de_history_free(de_history *h);

/* The container an image was committed from: its config's "container" (the
 * container `docker commit` read), or NULL. Docker's legacy builder commits
 * a container for every step too, and its configs name the parent image by
 * ID in container_config.Image ("sha256:…", where `docker commit` keeps
 * what the container was run from, as typed): those are build steps, not
 * commits, and give NULL. The string is cfg's. */
const char *de_image_committed_from(const json_t *cfg);

/* Fills h->steps from an image config's history[], newest first as `docker
 * history` shows them, and h->committed_from. The image spec (Docker's and OCI's) pairs each entry
 * without "empty_layer": true, in order, with one layer of rootfs.diff_ids;
 * layer_size(arg, k, diff_id) gives the k-th layer's size (-1: unknown).
 * When the steps and the layers do not pair up, a warning names path.
 * Returns the number of layers paired. */
typedef int64_t de_layer_size_fn(void *arg, size_t k, const char *diff_id);
size_t de_history_steps(de_history_entry *h, json_t *cfg, const char *path,
                        de_layer_size_fn *layer_size, void *arg);

#endif
