/*
 * engine_files.h — the files an engine bind-mounted into a container from
 * its own directories: what the container saw at /etc/hostname,
 * /etc/hosts, /etc/resolv.conf, /run/.containerenv… instead of the
 * layers' placeholder there.
 *
 * Contract: fills c->engine_files from the container's own record, in the
 * engine's mount order; nothing is opened here (the view opens each
 * source, and warns when one is missing). A destination that a volume or
 * bind of c->mounts covers is left to it: the engine mounted the user's
 * file there (Docker's TrySetNetworkMount).
 *
 * Docker (container.NetworkMounts): config.v2.json ResolvConfPath,
 * HostnamePath and HostsPath, mounted at /etc/resolv.conf, /etc/hostname
 * and /etc/hosts, each when set. Docker writes them in containers/<id>/
 * (with --network container:X, in X's): such a path is read below the data
 * root, wherever the data root was on the imaged host; any other path
 * below the host root.
 *
 * OCI runtimes (Podman, CRI-O, containerd with CRI): the spec the engine
 * gave the runtime (userdata/config.json, the spec in meta.db). Each bind
 * mount whose source is in the engine's own directories: containers/
 * storage's overlay-containers/<id>/userdata/ (in the graph root or the run
 * root), CRI's io.containerd.grpc.v1.cri/{sandboxes,containers}/<id>/. A
 * source below the data root's path on the host is read below the data
 * root, any other below the host root. The spec's other binds (the user's
 * `-v`, the kubelet's volumes and its etc-hosts) are added to c->mounts as
 * "bind" mounts, where no volume of c->mounts is.
 *
 * Left out: the engine's /dev/shm (a tmpfs it mounts on its shm/
 * directory: memory, never on disk), and Docker's swarm secrets and
 * configs (a tmpfs too).
 */
#ifndef DE_ENGINE_FILES_H
#define DE_ENGINE_FILES_H

#include <jansson.h>

#include "docker.h"

/* From a Docker config (config.v2.json, or v1's config.json). */
void de_engine_files_docker(const de_docker *d, json_t *doc, de_container *c);
/* The same from the config's ResolvConfPath, HostnamePath and HostsPath
 * (de_docker_net_keys' order; NULL: not a string), read without a
 * document tree (docker_config.c's fast path). */
#define DE_DOCKER_NET_FILES 3
extern const char *const de_docker_net_keys[DE_DOCKER_NET_FILES];
void de_engine_files_docker_paths(const de_docker *d, const char *const paths[], de_container *c);
/* From an OCI runtime spec: c->engine_files, and the other binds to c->mounts. */
void de_engine_files_oci(const de_docker *d, json_t *spec, de_container *c);

#endif
