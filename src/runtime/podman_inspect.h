/*
 * podman_inspect.h — `podman inspect`'s document for a Podman container
 * (podman_inspect.c: the container, its state, mounts and layers;
 * podman_config.c: its Config, HostConfig and NetworkSettings), built from
 * the libpod record storage.c keeps in the container's "native" document:
 * {config, state, volumes}.
 */
#ifndef DE_PODMAN_INSPECT_H
#define DE_PODMAN_INSPECT_H

#include "storage.h"

/* The string at key, or "" (Go's zero value); the number, the boolean;
 * the value as it is or null; the strings of an array ([] when none). */
json_t *pi_str(const json_t *o, const char *key);
json_t *pi_int(const json_t *o, const char *key);
json_t *pi_bool(const json_t *o, const char *key);
json_t *pi_copy(const json_t *o, const char *key);
json_t *pi_strings(const json_t *arr);
/* A Go map as encoding/json writes it: a copy with its keys sorted. */
json_t *pi_sorted(const json_t *obj);

/* A cgroupsPath of systemd's cgroup manager, "slice:prefix:name", as the
 * cgroup systemd makes for it (systemd.slice(5): a-b.slice is inside
 * a.slice; "-.slice" is the root): "/a.slice/a-b.slice/prefix-name.scope".
 * NULL when spec is not of that form. Caller frees. */
char *pi_systemd_cgroup(const char *spec);

/* sortUserVolumes: the user's volumes of cfg ("userVolumes") split into
 * the named volumes of cfg and the mounts of spec, appended to named and
 * mounts. */
void pi_user_volumes(const json_t *cfg, const json_t *spec, json_t *named, json_t *mounts);

/* Config, HostConfig, NetworkSettings (podman_config.c); spec is the one
 * the container last ran with, named and mounts its user volumes. */
json_t *pi_config(const json_t *cfg, const json_t *spec, const char *other_hostname);
json_t *pi_hostconfig(const json_t *cfg, const json_t *spec, const json_t *named,
                      const json_t *mounts);
json_t *pi_network(const json_t *cfg, const json_t *st, const json_t *networks);
json_t *pi_network_mode(const json_t *cfg);
json_t *pi_port_bindings(const json_t *cfg);
json_t *pi_security_opt(const json_t *cfg);
json_t *pi_id_mappings(const json_t *cfg);

#endif
