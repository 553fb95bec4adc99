/*
 * cri.h — what containerd's CRI plugin (a Kubernetes node's runtime) keeps
 * of its pods and containers, and what the kubelet leaves of them on the
 * node, turned into c->pod (evidence.h).
 *
 *   meta.db v1/k8s.io/containers/<id>/extensions/
 *       io.cri-containerd.container.metadata  a protobuf Any {1 type URL,
 *       io.cri-containerd.sandbox.metadata    2 value}; the value is JSON
 *       {"Version":"v1","Metadata":{…}}:
 *         container: ID, Name (<ctr>_<pod>_<ns>_<uid>_<attempt>), SandboxID,
 *           Config (the CRI ContainerConfig: metadata{name,attempt}, labels,
 *           annotations, mounts[{container_path,host_path,readonly,…}],
 *           log_path, …), ImageRef (the image ID), LogPath (absolute)
 *         sandbox: ID, Name, Config (PodSandboxConfig: metadata{name,uid,
 *           namespace,attempt}, log_directory, dns_config, labels, …),
 *           NetNSPath, IP, RuntimeHandler, CNIResult
 *       written by Go's encoding/json from protobuf structs: snake_case
 *       names, enums as numbers, zero values left out (attempt 0 absent)
 *   <root>/io.containerd.grpc.v1.cri/containers/<id>/status  the container's
 *       state (containerd_state.c): the plugin answers Reason "Completed"
 *       (exit 0) or "Error" for an exited one whose Reason is empty, as the
 *       file always has it
 *   <root>/io.containerd.grpc.v1.cri/sandboxes/<id>/hostname  the pod's
 *       host name (the node's for a host-network pod), mounted at each of
 *       its containers' /etc/hostname
 * Sandboxes have no status file: a sandbox is ready while its task runs.
 *
 * The kubelet's pod volumes are the binds of the spec whose source is
 * <kubelet root>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>
 * (emptyDir, configMap, secret, projected, downwardAPI…); its own files
 * there: etc-hosts, containers/<name>/<random> (the termination log);
 * any other bind of a pod is a hostPath volume.
 */
#ifndef DE_CRI_H
#define DE_CRI_H

#include "../bbolt/bbolt.h"
#include "docker.h"

/* From a meta.db container record (cb): c->pod, c->name
 * (NAMESPACE/POD/CONTAINER, a sandbox NAMESPACE/POD), c->image_id (the
 * image the CRI ran), c->log_path, the host name, the kinds of c->mounts,
 * and "Extensions" in c->native as `ctr containers info` shows them.
 * Nothing for a record without a CRI extension. Call after c->native and
 * c->mounts are made. */
void de_cri_read(de_docker *d, const bb_bucket *cb, de_container *c);
/* After the state is known (ctd_state_fill): the CRI creation time and
 * exit reason from the status file, and "CRI" in c->native: what the CRI
 * plugin answers for it (ContainerStatus, PodSandboxStatus). */
void de_cri_finish(de_docker *d, de_container *c);

/* The kind of a kubelet mount from its host path and the pod's uid:
 * "emptyDir", "configMap", "secret", "projected", "downwardAPI", "csi",
 * "kubernetes.io~<plugin>" for other plugins, "etc-hosts",
 * "termination-log", "subPath", "kubelet" (another file of the pod's
 * directory), or "hostPath"; *name the volume's name, or NULL. */
const char *de_cri_mount_kind(const char *host_path, const char *uid, char **name);
/* Whether a volume of that kind is a tmpfs the kubelet mounted: its files
 * were in memory, and the directory is empty on the disk. */
bool de_cri_mount_in_memory(const char *kind);

/* ---- podlogs.c: what the pod log directories tell ---------------------- */

/* The CRI log files of c (its LogPath and the kubelet's rotations beside
 * it, oldest first), relative to host (opened on the host root here). */
int de_cri_log_files(const de_docker *d, const de_container *c, ev_root *host, strvec *files,
                     de_err *e);

/* The containers whose pod log directory stays on the host
 * (/var/log/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log and its
 * rotations) but that none of known is: each with state "removed", its
 * pod, container name, attempt, log files, first and last record times,
 * and its ID when a /var/log/containers link names it. runtime and ns are
 * what to call them (the node's CRI runtime). Appended to out. */
void de_cri_removed(const char *host_root, const de_container *const *known, size_t nknown,
                    const char *runtime, const char *ns, de_container_list *out);

#endif
