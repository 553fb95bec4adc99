/*
 * docker_inspect.c — a container as `docker inspect` shows it, rebuilt from
 * config.v2.json and hostconfig.json the way Docker 20.10's daemon builds
 * its answer (daemon/inspect.go): State gains its Status string, the mount
 * points become Mounts (Mode is what config.v2.json calls "Relabel"),
 * NetworkSettings is flattened around the default bridge endpoint, and
 * GraphDriver names the layer directories. What Docker keeps only in
 * memory (ExecIDs of live execs, the Health of a running check) cannot be
 * rebuilt and is given as Docker gives it when absent.
 */
#include "docker_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../driver/driver.h"
#include "../util/jget.h"
#include "../util/pathutil.h"
#include "docker_ctd.h"

static void copy_key(json_t *to, const json_t *from, const char *key)
{
	json_t *v = json_object_get(from, key);
	json_object_set(to, key, v ? v : json_null());
}

static json_t *state_json(const de_container *c)
{
	json_t *st = jget_obj(c->config, "State"), *o = json_object();
	char buf[32];
	const char *s = de_container_state(c, buf, sizeof buf);
	json_object_set_new(o, "Status", json_string(!strncmp(s, "exited", 6) ? "exited" : s));
	const char *keys[] = {"Running", "Paused", "Restarting", "OOMKilled", "Dead", "Pid",
	                      "ExitCode", "Error", "StartedAt", "FinishedAt"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		copy_key(o, st, keys[i]);
	json_t *health = json_object_get(st, "Health");
	if (json_is_object(health))
		json_object_set(o, "Health", health);
	return o;
}

/* Sorted by destination, as de lists them (Docker's own order is a Go map's). */
static json_t *mounts_json(const de_container *c)
{
	json_t *arr = json_array(), *mps = jget_obj(c->config, "MountPoints");
	for (size_t i = 0; i < c->nmounts; i++) {
		json_t *mp = json_object_get(mps, c->mounts[i].destination);
		json_t *m = json_object();
		json_object_set_new(m, "Type", json_string(c->mounts[i].kind));
		if (!strcmp(c->mounts[i].kind, "volume"))
			copy_key(m, mp, "Name");
		json_object_set_new(m, "Source", json_string(c->mounts[i].host_source ?
		                                             c->mounts[i].host_source : ""));
		json_object_set_new(m, "Destination", json_string(c->mounts[i].destination));
		if (!strcmp(c->mounts[i].kind, "volume"))
			copy_key(m, mp, "Driver");
		const char *mode = jget_str(mp, "Relabel");
		json_object_set_new(m, "Mode", json_string(mode ? mode : ""));
		json_object_set_new(m, "RW", json_boolean(c->mounts[i].rw));
		const char *prop = jget_str(mp, "Propagation");
		json_object_set_new(m, "Propagation", json_string(prop ? prop : ""));
		json_array_append_new(arr, m);
	}
	return arr;
}

static json_t *network_json(const de_container *c)
{
	json_t *ns = jget_obj(c->config, "NetworkSettings"), *o = json_object();
	const char *top[] = {"Bridge", "SandboxID", "HairpinMode", "LinkLocalIPv6Address",
	                     "LinkLocalIPv6PrefixLen"};
	for (size_t i = 0; i < sizeof top / sizeof *top; i++)
		copy_key(o, ns, top[i]);
	json_t *ports = jget_obj(ns, "Ports");
	json_object_set_new(o, "Ports", ports ? json_incref(ports) : json_object());
	copy_key(o, ns, "SandboxKey");
	copy_key(o, ns, "SecondaryIPAddresses");
	copy_key(o, ns, "SecondaryIPv6Addresses");
	/* The default network's endpoint, flattened (Docker's
	 * DefaultNetworkSettings): the "bridge" network when attached. */
	json_t *nets = jget_obj(ns, "Networks"), *br = jget_obj(nets, "bridge");
	const char *flat[] = {"EndpointID", "Gateway", "GlobalIPv6Address", "GlobalIPv6PrefixLen",
	                      "IPAddress", "IPPrefixLen", "IPv6Gateway", "MacAddress"};
	for (size_t i = 0; i < sizeof flat / sizeof *flat; i++) {
		json_t *v = json_object_get(br, flat[i]);
		if (v)
			json_object_set(o, flat[i], v);
		else if (strstr(flat[i], "Len"))
			json_object_set_new(o, flat[i], json_integer(0));
		else
			json_object_set_new(o, flat[i], json_string(""));
	}
	json_t *outn = json_object();
	const char *name;
	json_t *ep;
	json_object_foreach(nets, name, ep) {
		json_t *copy = json_deep_copy(ep);
		json_object_del(copy, "IPAMOperational");   /* daemon-internal */
		json_object_set_new(outn, name, copy);
	}
	json_object_set_new(o, "Networks", outn);
	return o;
}

static json_t *graphdriver_json(de_docker *d, const de_container *c)
{
	json_t *g = json_object(), *data = json_null();
	const de_driver *drv = de_driver_find(c->driver);
	de_layer_stack st = {0};
	de_err e;
	if (drv && (!strcmp(drv->name, "overlay2") || !strcmp(drv->name, "overlay")) &&
	    drv->layer_stack(&d->root, c, &st, &e) == 0 && st.n) {
		data = json_object();
		dbuf lower = {0};
		for (size_t i = 1; i < st.n; i++)
			db_addf(&lower, "%s%s/%s", i > 1 ? ":" : "", d->root.path, st.v[i].dir);
		json_object_set_new(data, "LowerDir", json_string(lower.p ? lower.p : ""));
		char *base = xasprintf("%s/%s/%s", d->root.path, drv->name, c->mount_id);
		char *merged = xasprintf("%s/merged", base), *work = xasprintf("%s/work", base);
		json_object_set_new(data, "MergedDir", json_string(merged));
		char *upper = xasprintf("%s/%s", d->root.path, st.v[0].dir);
		json_object_set_new(data, "UpperDir", json_string(upper));
		json_object_set_new(data, "WorkDir", json_string(work));
		free(base); free(merged); free(work); free(upper);
		db_free(&lower);
	}
	de_layer_stack_free(&st);
	json_object_set_new(g, "Data", data);
	json_object_set_new(g, "Name", json_string(c->driver ? c->driver : ""));
	return g;
}

/* de's own addition: every layer of the container's view, top first. */
static json_t *layers_json(de_docker *d, const de_container *c)
{
	json_t *arr = json_array();
	const de_driver *drv = de_driver_find(c->driver);
	de_layer_stack st = {0};
	de_err e;
	const ev_root *root = drv ? de_layers_root(d, c, &e) : NULL;
	if (root && drv->layer_stack(root, c, &st, &e) == 0) {
		for (size_t i = 0; i < st.n; i++) {
			json_t *l = json_object();
			json_object_set_new(l, "role", json_string(st.v[i].role));
			json_object_set_new(l, "id", json_string(st.v[i].id));
			char *dir = xasprintf("%s/%s", root->path, st.v[i].dir);
			json_object_set_new(l, "dir", json_string(dir));
			free(dir);
			json_array_append_new(arr, l);
		}
	} else if (drv) {
		de_warn("%s", e.msg);
	}
	de_layer_stack_free(&st);
	return arr;
}

json_t *de_docker_inspect(de_docker *d, de_container *c)
{
	json_t *cfg = c->config, *o = json_object();
	json_object_set_new(o, "Id", json_string(c->id));
	copy_key(o, cfg, "Created");
	copy_key(o, cfg, "Path");
	copy_key(o, cfg, "Args");
	json_object_set_new(o, "State", state_json(c));
	copy_key(o, cfg, "Image");
	copy_key(o, cfg, "ResolvConfPath");
	copy_key(o, cfg, "HostnamePath");
	copy_key(o, cfg, "HostsPath");
	copy_key(o, cfg, "LogPath");
	copy_key(o, cfg, "Name");
	copy_key(o, cfg, "RestartCount");
	copy_key(o, cfg, "Driver");
	const char *os = jget_str(cfg, "OS");
	json_object_set_new(o, "Platform", json_string(os ? os : "linux"));
	copy_key(o, cfg, "MountLabel");
	copy_key(o, cfg, "ProcessLabel");
	copy_key(o, cfg, "AppArmorProfile");
	json_object_set_new(o, "ExecIDs", json_null());   /* live execs: not on disk */
	json_t *hc = de_docker_hostconfig(d, c);
	json_object_set(o, "HostConfig", hc ? hc : json_null());
	json_object_set_new(o, "GraphDriver", graphdriver_json(d, c));
	json_object_set_new(o, "Mounts", mounts_json(c));
	copy_key(o, cfg, "Config");
	json_object_set_new(o, "NetworkSettings", network_json(c));
	json_t *de = json_object();
	json_object_set_new(de, "config_path", json_string(c->config_path));
	json_object_set_new(de, "layers", layers_json(d, c));
	if (c->ctd_root) {   /* the containerd image store: where its snapshot is */
		json_object_set_new(de, "containerd_root", json_string(c->ctd_root));
		json_object_set_new(de, "containerd_namespace", json_string(c->ctd_namespace));
		json_object_set_new(de, "snapshotter", json_string(c->driver));
	}
	json_object_set_new(o, "de", de);
	return o;
}
