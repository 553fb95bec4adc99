/* Unit tests: runtime/cri.c and podlogs.c — the kinds of a pod's mounts by
 * the kubelet's layout, and the containers a pod log directory tells of.
 * The layouts are CONSTRUCTED after what the real fixture holds
 * (tests/fixtures/README-k8s.md: var/log/pods/<ns>_<pod>_<uid>/<ctr>/
 * <attempt>.log and the kubelet's rotations, var/log/containers links),
 * with hostile names beside them; t_k8s.sh reads the real one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testfs.h"
#include "runtime/cri.h"

#define UID "2f9b6c1e-4a7d-4c55-9d1b-7e0f3a6c5b21"
#define K "/var/lib/kubelet/pods/" UID

static void kind(const char *hp, const char *want, const char *want_name)
{
	char *name;
	assert_string_equal(de_cri_mount_kind(hp, UID, &name), want);
	if (want_name)
		assert_string_equal(name, want_name);
	else
		assert_null(name);
	free(name);
}

static void test_mount_kinds(void **state)
{
	(void)state;
	kind(K "/volumes/kubernetes.io~empty-dir/cache", "emptyDir", "cache");
	kind(K "/volumes/kubernetes.io~configmap/web-config", "configMap", "web-config");
	kind(K "/volumes/kubernetes.io~secret/web-tls", "secret", "web-tls");
	kind(K "/volumes/kubernetes.io~projected/kube-api-access-x", "projected", "kube-api-access-x");
	kind(K "/volumes/kubernetes.io~csi/pvc-1/mount", "csi", "pvc-1");
	kind(K "/volumes/kubernetes.io~aws-ebs/vol", "kubernetes.io~aws-ebs", "vol");
	kind(K "/etc-hosts", "etc-hosts", NULL);
	kind(K "/containers/web/03fa11c2", "termination-log", NULL);
	kind(K "/volume-subpaths/cfg/web/0", "subPath", NULL);
	kind(K "/plugins/x", "kubelet", NULL);
	kind(K "/volumes/kubernetes.io~secret", "kubelet", NULL);   /* no volume name */
	kind("/srv/web-data", "hostPath", NULL);
	/* another pod's directory is a host path to this one */
	kind("/var/lib/kubelet/pods/other/volumes/kubernetes.io~secret/s", "hostPath", NULL);
	/* a kubelet root elsewhere (--root-dir) */
	kind("/data/kubelet/pods/" UID "/volumes/kubernetes.io~empty-dir/e", "emptyDir", "e");
	assert_true(de_cri_mount_in_memory("secret"));
	assert_true(de_cri_mount_in_memory("projected"));
	assert_false(de_cri_mount_in_memory("emptyDir"));
	assert_false(de_cri_mount_in_memory(NULL));
}

#define POD "var/log/pods/default_debugger_d41c7a90-6b2e-4f3d-8e5a-0c9b1f2d3e47"
#define ID1 "5afce76be1ebc58c18924a5c67d9f76a5b4df2792d541db2b0893f5e180c7d9b"

static de_container *by_name(const de_container_list *l, const char *name, long attempt)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i]->name, name) && l->v[i]->pod->attempt == attempt)
			return l->v[i];
	return NULL;
}

static void test_removed(void **state)
{
	(void)state;
	tfs_puts(POD "/shell/0.log",
	         "2026-12-01T15:21:33.8785231Z stdout F uid=0(root)\n"
	         "2026-12-01T15:21:33.881167364Z stdout F done\n");
	tfs_puts(POD "/shell/1.log.20261201-152142", "2026-12-01T15:21:40Z stdout F one\n");
	tfs_puts(POD "/shell/1.log", "2026-12-01T15:21:41.5Z stderr P par\n"
	                             "2026-12-01T15:21:41.6Z stderr F t\n");
	tfs_puts(POD "/shell/notes.txt", "not a log\n");
	tfs_puts(POD "/shell/-1.log", "x\n");
	tfs_puts(POD "/shell/99999999999.log", "x\n");
	tfs_puts(POD "/shell/2.logx", "x\n");
	tfs_mkdir(POD "/known");
	tfs_puts(POD "/known/0.log", "2026-12-01T15:21:33Z stdout F live\n");
	tfs_mkdir("var/log/pods/no-underscores");
	tfs_puts("var/log/pods/no-underscores/c/0.log", "x\n");
	tfs_mkdir("var/log/pods/a__b/c");
	tfs_puts("var/log/pods/a__b/c/0.log", "x\n");
	tfs_symlink("/" POD "/shell/0.log", "var/log/containers/debugger_default_shell-" ID1 ".log");
	tfs_symlink("/" POD "/shell/1.log", "var/log/containers/debugger_default_shell-nothex.log");
	/* a live container of the node writes known/0.log */
	de_container live = {0};
	de_pod_info lp = {.log_path = "/" POD "/known/0.log", .attempt = 0};
	live.pod = &lp;
	const de_container *known[] = {&live};
	de_container_list l = {0};
	de_cri_removed(tfs_root, known, 1, "containerd", "k8s.io", &l);
	assert_int_equal(l.n, 2);
	de_container *c = by_name(&l, "default/debugger/shell", 0);
	assert_non_null(c);
	assert_string_equal(c->id, ID1);   /* the link names it */
	assert_false(c->pod->id_unknown);
	assert_string_equal(c->pod->uid, "d41c7a90-6b2e-4f3d-8e5a-0c9b1f2d3e47");
	assert_string_equal(c->pod->first_log, "2026-12-01T15:21:33.878523100Z");
	assert_string_equal(c->pod->last_log, "2026-12-01T15:21:33.881167364Z");
	char buf[32];
	assert_string_equal(de_container_state(c, buf, sizeof buf), "removed");
	c = by_name(&l, "default/debugger/shell", 1);
	assert_non_null(c);
	assert_true(c->pod->id_unknown);   /* the link's name holds no ID */
	assert_int_equal(c->pod->log_files.n, 2);   /* the rotation first */
	assert_non_null(strstr(c->pod->log_files.v[0], "1.log.20261201-152142"));
	assert_string_equal(c->pod->first_log, "2026-12-01T15:21:40.000000000Z");
	assert_string_equal(c->pod->last_log, "2026-12-01T15:21:41.500000000Z");
	de_container_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mount_kinds),
		cmocka_unit_test_setup_teardown(test_removed, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
