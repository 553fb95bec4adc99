/* Unit tests: runtime/containerd_state.c — the CRI plugin's status file
 * and a container's state from a captured /run. The status files are
 * CONSTRUCTED after /work/shared/FORMATS.md's Kubernetes section (what the
 * containerd 1.6 CRI plugin writes: JSON, "Version": "v1", times in Unix
 * nanoseconds); no real CRI status file is in the fixtures yet (issue 11
 * brings a Kubernetes node). The task files follow the real runtimes-host
 * fixture (init.pid without a newline, runc's state.json). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testfs.h"
#include "runtime/containerd.h"
#include "util/jget.h"
#include "util/pathutil.h"

/* 2026-11-28T17:53:00.5Z and 17:53:07.25Z, in Unix ns */
#define T_START "1795888380500000000"
#define T_END "1795888387250000000"

static const char exited_status[] =
	"{\"Version\":\"v1\",\"Pid\":0,\"CreatedAt\":1795888380000000000,\"StartedAt\":" T_START
	",\"FinishedAt\":" T_END ",\"ExitCode\":3,\"Reason\":\"Error\",\"Message\":\"\","
	"\"Resources\":{\"linux\":{\"cpu_period\":100000}}}";
static const char running_status[] =
	"{\"Version\":\"v1\",\"Pid\":4242,\"CreatedAt\":1795888380000000000,\"StartedAt\":" T_START
	",\"FinishedAt\":0,\"ExitCode\":0,\"Reason\":\"\",\"Message\":\"\"}";
static const char created_status[] =
	"{\"Version\":\"v1\",\"Pid\":0,\"CreatedAt\":1795888380000000000,\"StartedAt\":0,"
	"\"FinishedAt\":0,\"ExitCode\":0}";

static void test_cri_status(void **state)
{
	(void)state;
	ev_root r;
	de_err e;
	de_cri_status st;
	tfs_puts("exited", exited_status);
	tfs_puts("running", running_status);
	tfs_puts("v2", "{\"Version\":\"v2\",\"Pid\":1}");
	tfs_puts("negative", "{\"Version\":\"v1\",\"Pid\":-5}");
	tfs_puts("broken", "{\"Version\":\"v1\",");
	assert_int_equal(ev_root_open(&r, tfs_root, &e), 0);

	assert_int_equal(de_cri_status_read(&r, "exited", &st, &e), 0);
	assert_int_equal(st.exit_code, 3);
	assert_int_equal(st.started_at, 1795888380500000000LL);
	assert_int_equal(st.finished_at, 1795888387250000000LL);
	assert_string_equal(st.reason, "Error");
	assert_null(st.message);   /* empty: not recorded */
	assert_false(st.unknown);
	de_cri_status_free(&st);

	assert_int_equal(de_cri_status_read(&r, "running", &st, &e), 0);
	assert_int_equal(st.pid, 4242);
	assert_int_equal(st.finished_at, 0);
	de_cri_status_free(&st);

	assert_int_equal(de_cri_status_read(&r, "v2", &st, &e), -1);
	assert_non_null(strstr(e.msg, "/v2: not a CRI status"));
	assert_int_equal(de_cri_status_read(&r, "negative", &st, &e), -1);
	assert_non_null(strstr(e.msg, "negative"));
	assert_int_equal(de_cri_status_read(&r, "broken", &st, &e), -1);
	assert_non_null(strstr(e.msg, "invalid JSON"));
	ev_root_close(&r);
}

/* A host root with containerd's root at var/lib/containerd and a captured
 * run/containerd; fills the state of container ns/id. */
static de_container *filled(const char *ns, const char *id, bool captured)
{
	de_docker d = {0};
	de_err e;
	char *root = xasprintf("%s/host/var/lib/containerd", tfs_root);
	char *host = xasprintf("%s/host", tfs_root);
	tfs_mkdir("host/var/lib/containerd/io.containerd.metadata.v1.bolt");
	if (captured)
		tfs_mkdir("host/run/containerd/io.containerd.runtime.v2.task");
	assert_int_equal(ev_root_open(&d.root, root, &e), 0);
	d.host_root = host;
	de_container *c = xcalloc(1, sizeof *c);
	c->namespace = xstrdup(ns);
	c->id = xstrdup(id);
	c->native = json_object();
	ctd_state st;
	ctd_state_open(&st, &d);
	ctd_state_fill(&st, &d, c);
	ctd_state_close(&st);
	ev_root_close(&d.root);
	free(root);
	free(host);
	return c;
}

static void test_state(void **state)
{
	(void)state;
	char buf[32];
	/* a running task: init.pid, and runc's state with its creation time */
	tfs_puts("host/run/containerd/io.containerd.runtime.v2.task/k8s.io/web/init.pid", "8643");
	tfs_puts("host/run/containerd/runc/k8s.io/web/state.json",
	         "{\"id\":\"web\",\"init_process_pid\":8643,\"created\":\"2026-11-28T17:53:00.378455448Z\"}");
	de_container *c = filled("k8s.io", "web", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "running");
	assert_int_equal(c->pid, 8643);
	assert_string_equal(c->started_at, "2026-11-28T17:53:00.378455448Z");
	assert_int_equal(json_array_size(jget_arr(json_object_get(c->native, "de"), "evidence")), 3);
	de_container_free(c);

	/* created, not started: runc's exec.fifo is still there */
	tfs_puts("host/run/containerd/io.containerd.runtime.v2.task/default/made/init.pid", "77");
	tfs_puts("host/run/containerd/runc/default/made/state.json", "{\"init_process_pid\":77}");
	char *fifo = xasprintf("%s/host/run/containerd/runc/default/made/exec.fifo", tfs_root);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	free(fifo);
	c = filled("default", "made", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "created");
	assert_int_equal(c->pid, 77);
	de_container_free(c);

	/* no task; the CRI plugin recorded its exit */
	tfs_puts("host/var/lib/containerd/io.containerd.grpc.v1.cri/containers/job/status",
	         exited_status);
	c = filled("k8s.io", "job", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "exited(3)");
	assert_string_equal(c->started_at, "2026-11-28T17:53:00.500000000Z");
	assert_string_equal(c->finished_at, "2026-11-28T17:53:07.250000000Z");
	de_container_free(c);
	/* the same file in another namespace is not the CRI plugin's */
	c = filled("default", "job", false);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "unknown");
	de_container_free(c);

	/* recorded running, no task left in the captured /run: ended */
	tfs_puts("host/var/lib/containerd/io.containerd.grpc.v1.cri/containers/gone/status",
	         running_status);
	c = filled("k8s.io", "gone", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "exited");
	de_container_free(c);
	/* without /run, what the CRI plugin last recorded */
	tfs_puts("host/var/lib/containerd/io.containerd.grpc.v1.cri/containers/idle/status",
	         created_status);
	c = filled("k8s.io", "idle", false);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "created");
	de_container_free(c);
}

static void test_state_disagree(void **state)
{
	(void)state;
	char buf[32];
	/* init.pid and runc disagree: a warning, init.pid (what ctr shows) kept */
	size_t before = de_omission_count();
	tfs_puts("host/run/containerd/io.containerd.runtime.v2.task/k8s.io/web/init.pid", "100");
	tfs_puts("host/run/containerd/runc/k8s.io/web/state.json", "{\"init_process_pid\":200}");
	de_container *c = filled("k8s.io", "web", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "running");
	assert_int_equal(c->pid, 100);
	assert_int_equal(de_omission_count(), before + 1);
	de_container_free(c);
	/* a pid file that holds no pid: a warning, the state unknown */
	tfs_puts("host/run/containerd/io.containerd.runtime.v2.task/k8s.io/bad/init.pid", "12ab");
	c = filled("k8s.io", "bad", true);
	assert_string_equal(de_container_state(c, buf, sizeof buf), "unknown");
	assert_int_equal(de_omission_count(), before + 3);
	de_container_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cri_status, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_state, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_state_disagree, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
