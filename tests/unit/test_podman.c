/* Unit tests: runtime/podman_inspect.c's two derivations that no container
 * of the fixtures exercises: libpod's state names (libpod/define/
 * containerstate.go, Podman 4.3: "configured" is printed "created",
 * "created" "initialized") and the cgroup systemd makes for a cgroupsPath
 * of its cgroup manager (systemd.slice(5)). The rest of `podman inspect` is
 * compared with the real podman's output in tests/e2e/t_podman_inspect.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/podman_inspect.h"

static void test_status_names(void **state)
{
	(void)state;
	static const char *const want[] = {"unknown", "created", "initialized", "running",
	                                   "stopped", "paused", "exited", "removing", "stopping"};
	for (int64_t s = 0; s < 9; s++)
		assert_string_equal(de_podman_status(s), want[s]);
	assert_string_equal(de_podman_status(9), "bad state");
	assert_string_equal(de_podman_status(-1), "bad state");
}

static void check_cgroup(const char *spec, const char *want)
{
	char *got = pi_systemd_cgroup(spec);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_systemd_cgroup(void **state)
{
	(void)state;
	check_cgroup("machine.slice:libpod:abc", "/machine.slice/libpod-abc.scope");
	check_cgroup("user-1000.slice:libpod:abc", "/user.slice/user-1000.slice/libpod-abc.scope");
	check_cgroup("a-b-c.slice:p:n", "/a.slice/a-b.slice/a-b-c.slice/p-n.scope");
	check_cgroup("-.slice:libpod:abc", "/libpod-abc.scope");
	check_cgroup("machine.slice", NULL);
	check_cgroup("", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_systemd_cgroup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
