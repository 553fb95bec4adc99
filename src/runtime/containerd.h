/*
 * containerd.h — containerd's root (var/lib/containerd, or Docker's own
 * <data-root>/containerd/daemon), read from its files.
 *
 *   io.containerd.metadata.v1.bolt/meta.db (bbolt)
 *     v1/<namespace>/containers/<id>/{image, labels/, snapshotter,
 *         snapshotKey, createdat, updatedat, runtime/{name}, spec}
 *     v1/<namespace>/snapshots/<snapshotter>/<key>/{name, parent}
 *   io.containerd.snapshotter.v1.overlayfs/metadata.db (bbolt)
 *     v1/snapshots/<name>/{id (uvarint), kind, parent}
 *   io.containerd.snapshotter.v1.overlayfs/snapshots/<id>/fs
 * Times are Go's time.Time binary form; the spec is a protobuf Any whose
 * value is the OCI runtime spec in JSON. Whether a container runs is kept
 * in the state directory (/run/containerd, a tmpfs) and, for the CRI
 * plugin's containers, in <root>/io.containerd.grpc.v1.cri/containers/
 * <id>/status (containerd_state.c): "unknown" only where neither was kept.
 */
#ifndef DE_CONTAINERD_H
#define DE_CONTAINERD_H

#include "docker.h"

struct bb_db;   /* bbolt.h */

/* Opens a containerd root: its metadata database must be there. */
int de_containerd_open(de_docker *d, const char *root, const char *host_root, de_err *e);
/* Every container of every namespace (skip_moby: leave out Docker's own
 * namespace, whose containers the Docker data root already lists). */
int de_containerd_load_all(de_docker *d, bool skip_moby, de_container_list *out, de_err *e);

/* The config of the image whose target digest is target, in the content
 * store of the containerd root at prefix below root ("" for root itself):
 * through its index (linux/amd64, else the first manifest) and manifest.
 * *config_path (when not NULL) is set to the config blob's path. */
json_t *de_containerd_image_config(const ev_root *root, const char *prefix, const char *target,
                                   char **config_path, de_err *e);
/* The images of every namespace (only_ns: that one; skip_moby: all but
 * Docker's), with the containers of cl that use them (a containerd
 * container by image name in its namespace, a Docker one by image ID). */
int de_containerd_images_at(const ev_root *root, const char *prefix, const char *only_ns,
                            bool skip_moby, const de_container_list *cl, de_image_list *out,
                            de_err *e);
int de_containerd_images(de_docker *d, bool skip_moby, const de_container_list *cl,
                         de_image_list *out, de_err *e);
/* The image history of a containerd container, or of a Docker container of
 * the containerd image store: one entry, the image, with its config's
 * history[] and the unpacked layers' sizes. */
int de_containerd_history(de_docker *d, const de_container *c, de_history *out, de_err *e);
/* The same for the image of target digest target in namespace ns of the
 * containerd root at prefix below d's root ("" for d itself, or
 * DE_DOCKER_CONTAINERD): the host platform's config. */
int de_containerd_image_history(de_docker *d, const char *prefix, const char *ns,
                                const char *target, de_history *out, de_err *e);

/* Docker's private containerd, below its data root. */
#define DE_DOCKER_CONTAINERD "containerd/daemon"

/* The snapshot "key" of namespace ns (c->driver the snapshotter) in the
 * containerd root at prefix below root, whose meta.db is meta: sets
 * c->snapshot_key (the snapshotter's name for it) and c->mount_id (its
 * directory's number); a warning when it is not there. Docker's containers
 * of the containerd image store (docker_ctd.h) are found with it. */
void de_containerd_snapshot_of(const ev_root *root, const char *prefix, struct bb_db *meta,
                               const char *ns, const char *key, de_container *c);
/* As de_containerd_load_all, without the records that are Docker's own:
 * "NS/ID" in docker_recs (sorted; de_docker_ctd_records), the record
 * dockerd keeps of its container ID in its namespace NS. */
int de_containerd_load_except(de_docker *d, bool skip_moby, const strvec *docker_recs,
                              de_container_list *out, de_err *e);
/* As de_containerd_images, leaving out the namespaces of skip_ns (whose
 * images a Docker data root lists as its own). */
int de_containerd_images_except(de_docker *d, bool skip_moby, const strvec *skip_ns,
                                const de_container_list *cl, de_image_list *out, de_err *e);

/* What the CRI plugin records of a container
 * (<root>/io.containerd.grpc.v1.cri/containers/<id>/status, JSON with
 * "Version": "v1"): times in Unix nanoseconds, 0 = never. */
typedef struct de_cri_status {
	int64_t pid, created_at, started_at, finished_at, exit_code;
	char *reason, *message;   /* NULL when empty */
	bool unknown;             /* the plugin lost track of it ("Unknown": true) */
} de_cri_status;
int de_cri_status_read(const ev_root *root, const char *rel, de_cri_status *st, de_err *e);
void de_cri_status_free(de_cri_status *st);

/* The state of a root's containers (containerd_state.c): opened once per
 * root, filled per container (state, pid, start, end, exit code, and
 * inspect's "de" from its evidence); closing says once per reason why the
 * state of some containers is unknown (a note: /run is normally absent
 * from a disk image). */
typedef struct ctd_state {
	ev_root host;
	bool host_open;
	char *state;       /* the state directory, relative to the host root */
	bool captured;     /* and it is in the evidence */
	char *why;         /* why it is not known or not there */
	char *root_path;
	const char *reasons[4];
	size_t counts[4], nreasons;
} ctd_state;
int ctd_state_open(ctd_state *s, const de_docker *d);
/* Whether closing says it in a note (commands that show states: list,
 * timeline), or only in a debug message (the others, which load a root to
 * find one container); inspect's "de" says it per container either way. */
void de_containerd_note_unknown_states(bool on);
void ctd_state_fill(ctd_state *s, de_docker *d, de_container *c);
void ctd_state_close(ctd_state *s);

/* A protobuf Any {1 type_url, 2 value} (a container's spec, the CRI
 * plugin's extensions): both parts, pointing into p; false when p is not
 * one (a field that is not length-delimited, a length past the end). */
bool ctd_any_parts(const uint8_t *p, size_t n, const uint8_t **url, size_t *ul,
                   const uint8_t **val, size_t *vl);
/* Its value bytes alone, or NULL. Exposed for the fuzzer. */
const uint8_t *ctd_any_value(const uint8_t *p, size_t n, size_t *len);

#endif
