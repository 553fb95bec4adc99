/*
 * podman_config.c — the Config, HostConfig and NetworkSettings parts of
 * `podman inspect` (Podman 4.3's generateInspectContainerConfig,
 * generateInspectContainerHostConfig and getContainerNetworkInfo), from
 * libpod's ContainerConfig (cfg) and the OCI spec the container last ran
 * with (spec). Key order is Podman's.
 */
#include "podman_inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/jget.h"

/* ---- Config ------------------------------------------------------------- */

static bool has_namespace(const json_t *spec, const char *type, const char **path)
{
	json_t *v;
	size_t i;
	json_array_foreach(jget_arr(jget_obj(spec, "linux"), "namespaces"), i, v) {
		const char *t = jget_str(v, "type");
		if (t && !strcmp(t, type)) {
			if (path)
				*path = jget_str(v, "path");
			return true;
		}
	}
	return false;
}

/* Hostname() in Podman 4.3: the hostname of libpod's own spec, else the
 * first 12 characters of the ID; with another container's UTS namespace,
 * that container's (other_hostname, looked up by the caller). */
static json_t *hostname(const json_t *cfg, const char *other_hostname)
{
	const char *h = jget_str(jget_obj(cfg, "spec"), "hostname"), *id = jget_str(cfg, "id");
	const char *uts = jget_str(cfg, "utsNsCtr");
	if (uts && *uts)
		return json_string(other_hostname ? other_hostname : "");
	if (h && *h)
		return json_string(h);
	return json_stringn(id ? id : "", id && strlen(id) >= 12 ? 12 : id ? strlen(id) : 0);
}

/* define.HealthCheckOnFailureAction's names. */
static const char *on_failure(int64_t a)
{
	static const char *const names[] = {"none", "kill", "restart", "stop"};
	return a >= 0 && a < 4 ? names[a] : "invalid";
}

static void set_if(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

/* A Go map as encoding/json writes it: keys sorted. */
json_t *pi_sorted(const json_t *obj)
{
	strvec keys = {0};
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		sv_push(&keys, k);
	sv_sort(&keys);
	json_t *out = json_object();
	for (size_t i = 0; i < keys.n; i++)
		json_object_set(out, keys.v[i], json_object_get(obj, keys.v[i]));
	sv_free(&keys);
	return out;
}

/* A map copied only when it has entries (Podman sets it only then). */
static json_t *nonempty_obj(const json_t *o, const char *key)
{
	json_t *v = jget_obj(o, key);
	return v && json_object_size(v) ? pi_sorted(v) : json_null();
}

json_t *pi_config(const json_t *cfg, const json_t *spec, const char *other_hostname)
{
	json_t *o = json_object(), *proc = jget_obj(spec, "process");
	json_object_set_new(o, "Hostname", hostname(cfg, other_hostname));
	json_object_set_new(o, "Domainname", json_string(""));
	json_object_set_new(o, "User", pi_str(cfg, "user"));
	json_object_set_new(o, "AttachStdin", json_false());
	json_object_set_new(o, "AttachStdout", json_false());
	json_object_set_new(o, "AttachStderr", json_false());
	json_object_set_new(o, "Tty", pi_bool(proc, "terminal"));
	json_object_set_new(o, "OpenStdin", pi_bool(cfg, "stdin"));
	json_object_set_new(o, "StdinOnce", json_false());
	json_object_set_new(o, "Env", pi_strings(jget_arr(proc, "env")));
	json_t *cmd = jget_arr(cfg, "command");
	json_object_set_new(o, "Cmd", json_array_size(cmd) ? pi_strings(cmd) : json_null());
	json_object_set_new(o, "Image", pi_str(cfg, "rootfsImageName"));
	json_object_set_new(o, "Volumes", json_null());
	json_object_set_new(o, "WorkingDir", pi_str(proc, "cwd"));
	char *ep = jget_join_strings(jget_arr(cfg, "entrypoint"));
	json_object_set_new(o, "Entrypoint", json_string(ep ? ep : ""));
	free(ep);
	json_object_set_new(o, "OnBuild", json_null());
	json_object_set_new(o, "Labels", nonempty_obj(cfg, "labels"));
	json_object_set_new(o, "Annotations", nonempty_obj(spec, "annotations"));
	json_object_set_new(o, "StopSignal", pi_int(cfg, "stopSignal"));
	json_t *hc = jget_obj(cfg, "healthcheck");
	if (hc)
		json_object_set_new(o, "Healthcheck", json_deep_copy(hc));
	json_object_set_new(o, "HealthcheckOnFailureAction",
	                    json_string(on_failure(jget_int(cfg, "healthcheck_on_failure_action", 0))));
	json_t *cc = jget_arr(cfg, "CreateCommand");
	if (json_array_size(cc))
		json_object_set_new(o, "CreateCommand", pi_strings(cc));
	const char *tz = jget_str(cfg, "timezone");
	if (tz && *tz)
		json_object_set_new(o, "Timezone", json_string(tz));
	if (jget_bool(cfg, "systemd", false))
		json_object_set_new(o, "SystemdMode", json_true());
	const char *um = jget_str(cfg, "umask");
	if (um && *um) {   /* padded to 4 digits */
		char pad[32];
		snprintf(pad, sizeof pad, "%.*s%.20s", strlen(um) < 4 ? (int)(4 - strlen(um)) : 0, "0000", um);
		json_object_set_new(o, "Umask", json_string(pad));
	}
	json_t *sec = jget_arr(cfg, "secrets"), *v;
	size_t i;
	if (json_array_size(sec)) {
		json_t *arr = json_array();
		json_array_foreach(sec, i, v) {
			json_t *s = json_object();
			json_object_set_new(s, "Name", pi_str(jget_obj(v, "Secret"), "name"));
			json_object_set_new(s, "ID", pi_str(jget_obj(v, "Secret"), "id"));
			json_object_set_new(s, "UID", pi_int(v, "UID"));
			json_object_set_new(s, "GID", pi_int(v, "GID"));
			json_object_set_new(s, "Mode", pi_int(v, "Mode"));
			json_array_append_new(arr, s);
		}
		json_object_set_new(o, "Secrets", arr);
	}
	json_object_set_new(o, "Timeout", pi_int(cfg, "timeout"));
	json_object_set_new(o, "StopTimeout", pi_int(cfg, "stopTimeout"));
	set_if(o, "Passwd", json_is_boolean(json_object_get(cfg, "passwd")) ? pi_bool(cfg, "passwd") : NULL);
	const char *sd = jget_str(cfg, "sdnotifyMode");
	if (sd && *sd)
		json_object_set_new(o, "sdNotifyMode", json_string(sd));
	return o;
}

/* ---- HostConfig ----------------------------------------------------------- */

/* docker/go-units HumanSize: 4 significant digits, decimal units. */
static json_t *human_size(int64_t n)
{
	static const char *const u[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
	double v = (double)n;
	size_t k = 0;
	while (v >= 1000 && k + 1 < sizeof u / sizeof *u) {
		v /= 1000;
		k++;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%.4g%s", v, u[k]);
	return json_string(buf);
}

static const char *annotation(const json_t *spec, const char *key)
{
	return jget_str(jget_obj(spec, "annotations"), key);
}

static bool annotation_true(const json_t *spec, const char *key)
{
	const char *v = annotation(spec, key);
	return v && !strcmp(v, "TRUE");
}

/* A namespace mode: "container:<id>" when joined from another container;
 * from the spec: "ns:<path>" for a path, the mode for a namespace of its
 * own (private), the mode without one (host). */
static json_t *ns_mode(const json_t *cfg, const json_t *spec, const char *ctr_key,
                       const char *type, const char *own, const char *none)
{
	const char *ctr = jget_str(cfg, ctr_key), *path = NULL;
	char buf[4200];
	if (ctr && *ctr) {
		snprintf(buf, sizeof buf, "container:%.4000s", ctr);
		return json_string(buf);
	}
	if (!jget_obj(spec, "linux"))
		return json_string("");
	if (!has_namespace(spec, type, &path))
		return json_string(none);
	if (path && *path) {
		snprintf(buf, sizeof buf, "ns:%.4000s", path);
		return json_string(buf);
	}
	return json_string(own);
}

/* The IPC mode as Podman 4.3 names it: another container's; a namespace
 * path; without a spec's linux section, "none" or "private" as libpod
 * recorded them; else "shareable", be the namespace its own or the host's
 * (Podman 4.3 tells them apart no further). */
static json_t *ipc_mode(const json_t *cfg, const json_t *spec)
{
	const char *ctr = jget_str(cfg, "ipcNsCtr"), *path = NULL;
	char buf[4200];
	if (ctr && *ctr) {
		snprintf(buf, sizeof buf, "container:%.4000s", ctr);
		return json_string(buf);
	}
	if (jget_obj(spec, "linux")) {
		if (has_namespace(spec, "ipc", &path) && path && *path) {
			snprintf(buf, sizeof buf, "ns:%.4000s", path);
			return json_string(buf);
		}
	} else if (jget_bool(cfg, "noShm", false)) {
		return json_string("none");
	} else if (jget_bool(cfg, "noShmShare", false)) {
		return json_string("private");
	}
	return json_string("shareable");
}

/* The default bounding set of runtime-tools' generate.New("linux"), which
 * Podman compares the container's with to name what was added and dropped. */
static const char *const default_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
	"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
	"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"};

/* Every capability the capability library of Podman 4.3 knows (Linux's,
 * numbers 0 to 40): a privileged container's default set. */
static const char *const all_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};

/* CapAdd and CapDrop: the bounding set against the default one (all
 * capabilities when privileged): what is not in the default was added
 * (in the spec's order), what the default has and the set lacks was
 * dropped (sorted). */
static void cap_add_drop(json_t *o, const json_t *spec, bool privileged)
{
	json_t *add = json_array(), *v;
	strvec drop = {0};
	const char *const *dflt = privileged ? all_caps : default_caps;
	size_t i, n = privileged ? sizeof all_caps / sizeof *all_caps
	                         : sizeof default_caps / sizeof *default_caps;
	json_t *bounding = jget_arr(jget_obj(jget_obj(spec, "process"), "capabilities"), "bounding");
	if (!jget_obj(spec, "process")) {
		json_object_set_new(o, "CapAdd", add);
		json_object_set_new(o, "CapDrop", json_array());
		return;
	}
	json_array_foreach(bounding, i, v) {
		const char *c = json_string_value(v);
		bool known = false;
		for (size_t k = 0; c && k < n && !known; k++)
			known = !strcmp(dflt[k], c);
		if (c && !known)
			json_array_append(add, v);
	}
	for (size_t k = 0; k < n; k++) {
		bool kept = false;
		json_array_foreach(bounding, i, v)
			kept |= json_is_string(v) && !strcmp(json_string_value(v), dflt[k]);
		if (!kept)
			sv_push(&drop, dflt[k]);
	}
	sv_sort(&drop);
	json_t *d = json_array();
	for (size_t k = 0; k < drop.n; k++)
		json_array_append_new(d, json_string(drop.v[k]));
	sv_free(&drop);
	json_object_set_new(o, "CapAdd", add);
	json_object_set_new(o, "CapDrop", d);
}

/* "src:dest[:options]" for each user volume and non-tmpfs mount. */
static json_t *binds(const json_t *named, const json_t *mounts, json_t *tmpfs)
{
	json_t *arr = json_array(), *v;
	size_t i;
	json_array_foreach(named, i, v) {
		char *opts = jget_join_strings(jget_arr(v, "options"));
		const char *n = jget_str(v, "volumeName"), *d = jget_str(v, "dest");
		for (char *p = opts; p && *p; p++)
			if (*p == ' ')
				*p = ',';
		char *s = xasprintf("%s:%s%s%s", n ? n : "", d ? d : "", opts && *opts ? ":" : "",
		                    opts ? opts : "");
		json_array_append_new(arr, json_string(s));
		free(s);
		free(opts);
	}
	json_array_foreach(mounts, i, v) {
		dbuf o = {0};
		json_t *x;
		size_t k;
		json_array_foreach(jget_arr(v, "options"), k, x)
			if (json_is_string(x))
				db_addf(&o, "%s%s", o.len ? "," : "", json_string_value(x));
		const char *t = jget_str(v, "type"), *src = jget_str(v, "source"),
		           *dst = jget_str(v, "destination");
		if (t && !strcmp(t, "tmpfs")) {
			json_object_set_new(tmpfs, dst ? dst : "", json_string(o.p ? o.p : ""));
		} else {
			char *s = xasprintf("%s:%s%s%s", src ? src : "", dst ? dst : "", o.len ? ":" : "",
			                    o.p ? o.p : "");
			json_array_append_new(arr, json_string(s));
			free(s);
		}
		db_free(&o);
	}
	return arr;
}

/* A device of the spec by its numbers: Podman names the host's node by
 * looking them up in the live /dev. Offline: the name Linux gives the
 * numbers it assigns for good (Documentation/admin-guide/devices.txt),
 * else /dev/char/M:m or /dev/block/M:m, the kernel's own links. */
static char *device_path(const json_t *dev, bool block)
{
	static const struct { int major, minor; const char *path; } fixed[] = {
		{1, 1, "/dev/mem"}, {1, 3, "/dev/null"}, {1, 4, "/dev/port"}, {1, 5, "/dev/zero"},
		{1, 7, "/dev/full"}, {1, 8, "/dev/random"}, {1, 9, "/dev/urandom"},
		{1, 11, "/dev/kmsg"}, {5, 0, "/dev/tty"}, {5, 1, "/dev/console"},
		{5, 2, "/dev/ptmx"}, {10, 200, "/dev/net/tun"}, {10, 229, "/dev/fuse"},
		{10, 232, "/dev/kvm"}};
	int64_t ma = jget_int(dev, "major", 0), mi = jget_int(dev, "minor", 0);
	for (size_t i = 0; !block && i < sizeof fixed / sizeof *fixed; i++)
		if (fixed[i].major == ma && fixed[i].minor == mi)
			return xstrdup(fixed[i].path);
	return xasprintf("/dev/%s/%lld:%lld", block ? "block" : "char", (long long)ma, (long long)mi);
}

static json_t *blkio_devices(const json_t *blkio, const char *key, const char *value)
{
	if (!blkio)
		return json_null();
	json_t *arr = json_array(), *v;
	size_t i;
	json_array_foreach(jget_arr(blkio, key), i, v) {
		if (!json_object_get(v, value))
			continue;   /* Podman ignores a weight device without a weight */
		json_t *d = json_object();
		char *p = device_path(v, true);
		json_object_set_new(d, "Path", json_string(p));
		free(p);
		json_object_set_new(d, !strcmp(value, "weight") ? "Weight" : "Rate", pi_int(v, value));
		json_array_append_new(arr, d);
	}
	return arr;
}

static void resources(json_t *o, const json_t *spec, bool privileged)
{
	json_t *res = jget_obj(jget_obj(spec, "linux"), "resources");
	json_t *cpu = jget_obj(res, "cpu"), *mem = jget_obj(res, "memory");
	json_t *blkio = jget_obj(res, "blockIO");
	int64_t period = jget_int(cpu, "period", 0), quota = jget_int(cpu, "quota", 0);
	json_object_set_new(o, "CpuShares", pi_int(cpu, "shares"));
	json_object_set_new(o, "Memory", pi_int(mem, "limit"));
	json_object_set_new(o, "NanoCpus", json_integer(period == 100000 ? 10000 * quota : 0));
	json_object_set_new(o, "CgroupParent", json_string(""));   /* set by the caller */
	json_object_set_new(o, "BlkioWeight", pi_int(blkio, "weight"));
	json_object_set_new(o, "BlkioWeightDevice", blkio_devices(blkio, "weightDevice", "weight"));
	json_object_set_new(o, "BlkioDeviceReadBps", blkio_devices(blkio, "throttleReadBpsDevice", "rate"));
	json_object_set_new(o, "BlkioDeviceWriteBps", blkio_devices(blkio, "throttleWriteBpsDevice", "rate"));
	json_object_set_new(o, "BlkioDeviceReadIOps", blkio_devices(blkio, "throttleReadIOPSDevice", "rate"));
	json_object_set_new(o, "BlkioDeviceWriteIOps", blkio_devices(blkio, "throttleWriteIOPSDevice", "rate"));
	json_object_set_new(o, "CpuPeriod", json_integer(period));
	json_object_set_new(o, "CpuQuota", json_integer(quota));
	json_object_set_new(o, "CpuRealtimePeriod", pi_int(cpu, "realtimePeriod"));
	json_object_set_new(o, "CpuRealtimeRuntime", pi_int(cpu, "realtimeRuntime"));
	json_object_set_new(o, "CpusetCpus", pi_str(cpu, "cpus"));
	json_object_set_new(o, "CpusetMems", pi_str(cpu, "mems"));
	json_t *devs = json_array(), *v;
	size_t i;
	json_array_foreach(privileged ? NULL : jget_arr(jget_obj(spec, "linux"), "devices"), i, v) {
		const char *t = jget_str(v, "type");
		json_t *d = json_object();
		char *p = device_path(v, t && !strcmp(t, "b"));
		json_object_set_new(d, "PathOnHost", json_string(p));
		free(p);
		json_object_set_new(d, "PathInContainer", pi_str(v, "path"));
		json_object_set_new(d, "CgroupPermissions", json_string(""));
		json_array_append_new(devs, d);
	}
	json_object_set_new(o, "Devices", devs);
	json_object_set_new(o, "DiskQuota", json_integer(0));
	json_object_set_new(o, "KernelMemory", pi_int(mem, "kernel"));
	json_object_set_new(o, "MemoryReservation", pi_int(mem, "reservation"));
	json_object_set_new(o, "MemorySwap", pi_int(mem, "swap"));
	/* swappiness: -1 (the kernel's) when a memory section leaves it unset */
	json_object_set_new(o, "MemorySwappiness",
	                    json_integer(mem ? jget_int(mem, "swappiness", -1) : 0));
	json_object_set_new(o, "OomKillDisable", pi_bool(mem, "disableOOMKiller"));
}

json_t *pi_hostconfig(const json_t *cfg, const json_t *spec, const json_t *named,
                      const json_t *mounts)
{
	json_t *o = json_object(), *tmpfs = json_object();
	bool privileged = annotation_true(spec, "io.podman.annotations.privileged");
	json_object_set_new(o, "Binds", binds(named, mounts, tmpfs));
	const char *mgr = jget_str(cfg, "cgroupManager");
	json_object_set_new(o, "CgroupManager", json_string(mgr ? mgr : ""));
	json_object_set_new(o, "CgroupMode", ns_mode(cfg, spec, "cgroupNsCtr", "cgroup", "private", "host"));
	const char *cid = annotation(spec, "io.podman.annotations.cid-file");
	json_object_set_new(o, "ContainerIDFile", json_string(cid ? cid : ""));
	json_t *lc = json_object();
	json_object_set_new(lc, "Type", pi_str(cfg, "logDriver"));
	json_object_set_new(lc, "Config", json_null());
	json_object_set_new(lc, "Path", pi_str(cfg, "logPath"));
	json_object_set_new(lc, "Tag", pi_str(cfg, "logTag"));
	json_object_set_new(lc, "Size", human_size(jget_int(cfg, "logSize", 0)));
	json_object_set_new(o, "LogConfig", lc);
	json_object_set_new(o, "NetworkMode", pi_network_mode(cfg));
	json_object_set_new(o, "PortBindings", jget_bool(cfg, "createNetNS", false)
	                                          ? pi_port_bindings(cfg) : json_object());
	json_t *rp = json_object();
	json_object_set_new(rp, "Name", pi_str(cfg, "restart_policy"));
	json_object_set_new(rp, "MaximumRetryCount", pi_int(cfg, "restart_retries"));
	json_object_set_new(o, "RestartPolicy", rp);
	json_object_set_new(o, "AutoRemove", json_boolean(annotation_true(spec, "io.podman.annotations.autoremove")));
	json_object_set_new(o, "VolumeDriver", json_string(""));
	const char *vf = annotation(spec, "io.podman.annotations.volumes-from");
	json_t *vfa = json_null();
	if (vf) {
		vfa = json_array();
		char *copy = xstrdup(vf);
		for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(vfa, json_string(t));
		free(copy);
	}
	json_object_set_new(o, "VolumesFrom", vfa);
	cap_add_drop(o, spec, privileged);
	json_object_set_new(o, "Dns", pi_strings(jget_arr(cfg, "dnsServer")));
	json_object_set_new(o, "DnsOptions", pi_strings(jget_arr(cfg, "dnsOption")));
	json_object_set_new(o, "DnsSearch", pi_strings(jget_arr(cfg, "dnsSearch")));
	json_object_set_new(o, "ExtraHosts", pi_strings(jget_arr(cfg, "hostsAdd")));
	json_object_set_new(o, "GroupAdd", pi_strings(jget_arr(cfg, "groups")));
	json_object_set_new(o, "IpcMode", ipc_mode(cfg, spec));
	json_object_set_new(o, "Cgroup", json_string(""));
	json_object_set_new(o, "Cgroups", json_string(jget_bool(cfg, "noCgroups", false) ? "disabled" : "default"));
	json_object_set_new(o, "Links", json_null());
	json_object_set_new(o, "OomScoreAdj", pi_int(jget_obj(spec, "process"), "oomScoreAdj"));
	json_object_set_new(o, "PidMode", ns_mode(cfg, spec, "pidNsCtr", "pid", "private", "host"));
	json_object_set_new(o, "Privileged", json_boolean(privileged));
	json_object_set_new(o, "PublishAllPorts", json_boolean(annotation_true(spec, "io.podman.annotations.publish-all")));
	json_object_set_new(o, "ReadonlyRootfs", pi_bool(jget_obj(spec, "root"), "readonly"));
	json_object_set_new(o, "SecurityOpt", pi_security_opt(cfg));
	json_object_set_new(o, "Tmpfs", pi_sorted(tmpfs));
	json_decref(tmpfs);
	json_object_set_new(o, "UTSMode", ns_mode(cfg, spec, "utsNsCtr", "uts", "private", "host"));
	json_object_set_new(o, "UsernsMode", ns_mode(cfg, spec, "userNsCtr", "user", "private", ""));
	json_t *idm = pi_id_mappings(cfg);
	if (idm)
		json_object_set_new(o, "IDMappings", idm);
	json_object_set_new(o, "ShmSize", pi_int(cfg, "shmSize"));
	json_object_set_new(o, "Runtime", json_string("oci"));
	json_t *cs = json_array();
	json_array_append_new(cs, json_integer(0));
	json_array_append_new(cs, json_integer(0));
	json_object_set_new(o, "ConsoleSize", cs);
	json_object_set_new(o, "Isolation", json_string(""));
	resources(o, spec, privileged);
	/* CgroupParent: only when not the manager's default */
	const char *cp = jget_str(cfg, "cgroupParent");
	const char *dflt = mgr && !strcmp(mgr, "systemd") ? "machine.slice" : "/libpod_parent";
	if (cp && strcmp(cp, dflt))
		json_object_set_new(o, "CgroupParent", json_string(cp));
	if (annotation_true(spec, "io.podman.annotations.init"))
		json_object_set_new(o, "Init", json_true());
	json_t *res = jget_obj(jget_obj(spec, "linux"), "resources");
	json_object_set_new(o, "PidsLimit", pi_int(jget_obj(res, "pids"), "limit"));
	json_t *ul = json_array(), *v;
	size_t i;
	json_array_foreach(jget_arr(jget_obj(spec, "process"), "rlimits"), i, v) {
		json_t *u = json_object();
		json_object_set_new(u, "Name", pi_str(v, "type"));
		json_object_set_new(u, "Soft", pi_int(v, "soft"));
		json_object_set_new(u, "Hard", pi_int(v, "hard"));
		json_array_append_new(ul, u);
	}
	json_object_set_new(o, "Ulimits", ul);
	json_object_set_new(o, "CpuCount", json_integer(0));
	json_object_set_new(o, "CpuPercent", json_integer(0));
	json_object_set_new(o, "IOMaximumIOps", json_integer(0));
	json_object_set_new(o, "IOMaximumBandwidth", json_integer(0));
	json_object_set_new(o, "CgroupConf", nonempty_obj(res, "unified"));
	return o;
}

/* GetSecurityOptions, from libpod's own spec. */
json_t *pi_security_opt(const json_t *cfg)
{
	const json_t *own = jget_obj(cfg, "spec");
	json_t *arr = json_array();
	if (jget_bool(jget_obj(own, "process"), "noNewPrivileges", false))
		json_array_append_new(arr, json_string("no-new-privileges"));
	static const char *const keys[][2] = {{"io.podman.annotations.label", "label"},
	                                      {"io.podman.annotations.seccomp", "seccomp"},
	                                      {"io.podman.annotations.apparmor", "apparmor"}};
	for (size_t i = 0; i < 3; i++) {
		const char *v = annotation(own, keys[i][0]);
		if (!v)
			continue;
		char *s = xasprintf("%s=%s", keys[i][1], v);
		json_array_append_new(arr, json_string(s));
		free(s);
	}
	return arr;
}

/* generateIDMappings: "container:host:size" of each map, when both are set. */
json_t *pi_id_mappings(const json_t *cfg)
{
	json_t *idm = jget_obj(cfg, "idMappingsOptions");
	json_t *uid = jget_arr(idm, "UIDMap"), *gid = jget_arr(idm, "GIDMap");
	if (!uid || !gid)
		return NULL;
	json_t *o = json_object();
	const char *names[] = {"UidMap", "GidMap"};
	json_t *maps[] = {uid, gid};
	for (size_t m = 0; m < 2; m++) {
		json_t *arr = json_array(), *v;
		size_t i;
		json_array_foreach(maps[m], i, v) {
			char *s = xasprintf("%lld:%lld:%lld", (long long)jget_int(v, "container_id", 0),
			                    (long long)jget_int(v, "host_id", 0), (long long)jget_int(v, "size", 0));
			json_array_append_new(arr, json_string(s));
			free(s);
		}
		json_object_set_new(o, names[m], arr);
	}
	return o;
}

/* ---- NetworkSettings ------------------------------------------------------- */

/* NetworkMode(): the mode libpod recorded when it made the network
 * namespace; another container's; else from libpod's own spec: a path, a
 * namespace of its own and nothing more ("none"), or none at all ("host"). */
json_t *pi_network_mode(const json_t *cfg)
{
	const char *ctr = jget_str(cfg, "netNsCtr"), *path = NULL;
	char buf[4200];
	if (jget_bool(cfg, "createNetNS", false)) {
		const char *m = jget_str(cfg, "networkMode");
		return json_string(m ? m : "");
	}
	if (ctr && *ctr) {
		snprintf(buf, sizeof buf, "container:%.4000s", ctr);
		return json_string(buf);
	}
	if (!has_namespace(jget_obj(cfg, "spec"), "network", &path))
		return json_string("host");
	if (path && *path) {
		snprintf(buf, sizeof buf, "ns:%.4000s", path);
		return json_string(buf);
	}
	return json_string("none");
}

/* makeInspectPortBindings: each published port ("newPortMappings", a range
 * of ports per entry, protocols comma separated) as "<port>/<proto>" ->
 * [{HostIp, HostPort}], and each exposed port not published as null. */
json_t *pi_port_bindings(const json_t *cfg)
{
	json_t *o = json_object(), *v;
	size_t i;
	json_array_foreach(jget_arr(cfg, "newPortMappings"), i, v) {
		int64_t cport = jget_int(v, "container_port", 0), hport = jget_int(v, "host_port", 0);
		int64_t range = jget_int(v, "range", 1);
		const char *protos = jget_str(v, "protocol"), *ip = jget_str(v, "host_ip");
		char *copy = xstrdup(protos && *protos ? protos : "tcp");
		for (int64_t r = 0; r < (range > 0 && range <= 65536 ? range : 1); r++) {
			for (char *save = NULL, *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
				char key[64], hp[32];
				snprintf(key, sizeof key, "%lld/%.16s", (long long)(cport + r), p);
				snprintf(hp, sizeof hp, "%lld", (long long)(hport + r));
				json_t *arr = json_object_get(o, key);
				if (!json_is_array(arr)) {
					arr = json_array();
					json_object_set_new(o, key, arr);
				}
				json_t *b = json_object();
				json_object_set_new(b, "HostIp", json_string(ip ? ip : ""));
				json_object_set_new(b, "HostPort", json_string(hp));
				json_array_append_new(arr, b);
			}
			free(copy);
			copy = xstrdup(protos && *protos ? protos : "tcp");
		}
		free(copy);
	}
	const char *port;
	json_object_foreach(jget_obj(cfg, "exposedPorts"), port, v) {
		size_t k;
		json_t *p;
		json_array_foreach(v, k, p) {
			if (!json_is_string(p))
				continue;
			char *key = xasprintf("%.8s/%.16s", port, json_string_value(p));
			if (!json_object_get(o, key))
				json_object_set_new(o, key, json_null());
			free(key);
		}
	}
	json_t *sorted = pi_sorted(o);
	json_decref(o);
	return sorted;
}

static void basic_network(json_t *o)
{
	static const char *const s[] = {"EndpointID", "Gateway", "IPAddress"};
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(o, s[i], json_string(""));
	json_object_set_new(o, "IPPrefixLen", json_integer(0));
	json_object_set_new(o, "IPv6Gateway", json_string(""));
	json_object_set_new(o, "GlobalIPv6Address", json_string(""));
	json_object_set_new(o, "GlobalIPv6PrefixLen", json_integer(0));
	json_object_set_new(o, "MacAddress", json_string(""));
}

/* An address "a.b.c.d/len" or "x::y/len" of a network status block. */
static bool split_cidr(const char *ipnet, char *ip, size_t iplen, int *prefix)
{
	const char *slash = ipnet ? strchr(ipnet, '/') : NULL;
	if (!slash || (size_t)(slash - ipnet) >= iplen)
		return false;
	snprintf(ip, iplen, "%.*s", (int)(slash - ipnet), ipnet);
	*prefix = atoi(slash + 1);
	return true;
}

/* resultToBasicNetworkConfig: the first IPv4 and IPv6 addresses (with
 * their gateways) and MAC address of the status block's interfaces, in
 * interface name order; the others as secondary ones. */
static void basic_from_status(json_t *o, const json_t *status)
{
	basic_network(o);
	json_t *ifs = pi_sorted(jget_obj(status, "interfaces")), *nif;
	json_t *sec4 = json_array(), *sec6 = json_array(), *macs = json_array();
	const char *name;
	json_object_foreach(ifs, name, nif) {
		json_t *sn;
		size_t i;
		json_array_foreach(jget_arr(nif, "subnets"), i, sn) {
			char ip[64];
			int len;
			if (!split_cidr(jget_str(sn, "ipnet"), ip, sizeof ip, &len))
				continue;
			bool v4 = !strchr(ip, ':');
			const char *key = v4 ? "IPAddress" : "GlobalIPv6Address";
			if (*json_string_value(json_object_get(o, key))) {
				json_array_append_new(v4 ? sec4 : sec6, json_string(ip));
				continue;
			}
			json_object_set_new(o, key, json_string(ip));
			json_object_set_new(o, v4 ? "IPPrefixLen" : "GlobalIPv6PrefixLen", json_integer(len));
			json_object_set_new(o, v4 ? "Gateway" : "IPv6Gateway", pi_str(sn, "gateway"));
		}
		const char *mac = jget_str(nif, "mac_address");
		if (!*json_string_value(json_object_get(o, "MacAddress")))
			json_object_set_new(o, "MacAddress", json_string(mac ? mac : ""));
		else
			json_array_append_new(macs, json_string(mac ? mac : ""));
	}
	/* the omitempty lists, where Podman's struct has them */
	json_t *ordered = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		json_object_set(ordered, k, v);
		if (!strcmp(k, "IPPrefixLen") && json_array_size(sec4))
			json_object_set(ordered, "SecondaryIPAddresses", sec4);
		if (!strcmp(k, "GlobalIPv6PrefixLen") && json_array_size(sec6))
			json_object_set(ordered, "SecondaryIPv6Addresses", sec6);
		if (!strcmp(k, "MacAddress") && json_array_size(macs))
			json_object_set(ordered, "AdditionalMACAddresses", macs);
	}
	json_object_clear(o);
	json_object_update(o, ordered);
	json_decref(ordered);
	json_decref(sec4);
	json_decref(sec6);
	json_decref(macs);
	json_decref(ifs);
}

/* One network the container joined (InspectAdditionalNetwork). */
static json_t *joined_network(const char *name, const json_t *opts, const json_t *status)
{
	json_t *n = json_object();
	if (status)
		basic_from_status(n, status);
	else
		basic_network(n);
	json_object_set_new(n, "NetworkID", json_string(name));
	json_object_set_new(n, "DriverOpts", json_null());
	json_object_set_new(n, "IPAMConfig", json_null());
	json_object_set_new(n, "Links", json_null());
	json_t *al = jget_arr(opts, "aliases");
	if (json_array_size(al))
		json_object_set_new(n, "Aliases", pi_strings(al));
	return n;
}

/* getContainerNetworkInfo: the container's ports; without a network
 * namespace (never started, stopped, --network none) the empty settings
 * and an entry per network it joined; with one, its path and the
 * addresses libpod recorded (state networkStatus). networks: the joined
 * networks' options by name (bolt's ctr/<id>/networks; db.sql's config
 * "newNetworks"). */
json_t *pi_network(const json_t *cfg, const json_t *st, const json_t *networks)
{
	if (!json_object_size(networks))
		networks = jget_obj(cfg, "newNetworks");
	json_t *o = json_object();
	const char *netns = jget_str(st, "netns");
	if (!netns)
		netns = jget_str(st, "netNS");
	json_t *status = jget_obj(st, "networkStatus");
	bool up = netns && *netns;
	basic_network(o);
	if (up && !json_object_size(networks) && json_object_size(status) == 1) {
		const char *k;
		json_t *v;
		json_object_foreach(status, k, v)
			basic_from_status(o, v);
	}
	json_object_set_new(o, "Bridge", json_string(""));
	json_object_set_new(o, "SandboxID", json_string(""));
	json_object_set_new(o, "HairpinMode", json_false());
	json_object_set_new(o, "LinkLocalIPv6Address", json_string(""));
	json_object_set_new(o, "LinkLocalIPv6PrefixLen", json_integer(0));
	json_object_set_new(o, "Ports", pi_port_bindings(cfg));
	json_object_set_new(o, "SandboxKey", json_string(up ? netns : ""));
	if (!json_object_size(networks) || (up && !json_object_size(status)))
		return o;
	json_t *nets = json_object(), *sorted = pi_sorted(networks), *opts;
	const char *name;
	json_object_foreach(sorted, name, opts)
		json_object_set_new(nets, name, joined_network(name, opts, up ? jget_obj(status, name) : NULL));
	json_decref(sorted);
	json_object_set_new(o, "Networks", nets);
	/* only the default network joined: its addresses are the container's */
	json_t *only = json_object_get(nets, "podman");
	if (up && json_object_size(nets) == 1 && only) {
		static const char *const basic[] = {"EndpointID", "Gateway", "IPAddress", "IPPrefixLen",
		                                    "IPv6Gateway", "GlobalIPv6Address",
		                                    "GlobalIPv6PrefixLen", "MacAddress"};
		for (size_t i = 0; i < sizeof basic / sizeof *basic; i++)
			json_object_set(o, basic[i], json_object_get(only, basic[i]));
	}
	return o;
}
