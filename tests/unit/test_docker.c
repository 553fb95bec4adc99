/* Unit tests: runtime/docker — constructed data roots for the rules no
 * engine on this machine can produce (Docker 1.10–1.12 MountPoints without
 * Type, ContainerConfig overrides, v1 Volumes), and the lookup errors whose
 * exact text scripts depend on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testfs.h"
#include "runtime/docker.h"

#define ID_A "4a00000000000000000000000000000000000000000000000000000000000000"
#define ID_B "4b00000000000000000000000000000000000000000000000000000000000000"
#define ID_C "c000000000000000000000000000000000000000000000000000000000000000"

static void put_container(const char *id, const char *name, const char *extra)
{
	char rel[256], *doc = xasprintf(
		"{\"ID\": \"%s\", \"Name\": \"/%s\", \"Driver\": \"overlay2\","
		" \"Image\": \"sha256:%s\", \"Config\": {\"Image\": \"busybox\"},"
		" \"State\": {\"Running\": false, \"StartedAt\": \"2018-05-16T10:51:39.5Z\","
		" \"ExitCode\": 2}%s}", id, name, ID_C, extra);
	snprintf(rel, sizeof rel, "host/var/lib/docker/containers/%s/config.v2.json", id);
	tfs_puts(rel, doc);
	free(doc);
	snprintf(rel, sizeof rel, "host/var/lib/docker/image/overlay2/layerdb/mounts/%s/mount-id", id);
	tfs_puts(rel, "m-");
}

static int open_root(de_docker *d, de_err *e)
{
	char path[512];
	snprintf(path, sizeof path, "%s/host/var/lib/docker", tfs_root);
	return de_docker_open(d, path, NULL, e);
}

static void test_mountpoints_without_type(void **state)
{
	(void)state;
	de_docker d;
	de_err e;
	/* Docker 1.10–1.12: no Type; a Name makes a volume, else a bind */
	put_container(ID_A, "web", ", \"MountPoints\": {"
		"\"/data\": {\"Name\": \"vol1\", \"Source\": \"/var/lib/docker/volumes/vol1/_data\","
		" \"Destination\": \"/data\", \"Driver\": \"local\", \"RW\": true},"
		"\"/host\": {\"Name\": \"\", \"Source\": \"/srv/x\", \"Destination\": \"/host\"}},"
		" \"ContainerConfig\": {\"Image\": \"override\"}");
	assert_int_equal(open_root(&d, &e), 0);
	/* -r ends in /var/lib/docker: the host root is what stands before it */
	char *want = xasprintf("%s/host", tfs_root);
	assert_string_equal(d.host_root, want);
	free(want);
	de_container *c = de_docker_find(&d, "web", &e);
	assert_non_null(c);
	assert_string_equal(c->image_name, "override");
	assert_int_equal(c->nmounts, 2);
	assert_string_equal(c->mounts[0].kind, "volume");
	want = xasprintf("%s/host/var/lib/docker/volumes/vol1/_data", tfs_root);
	assert_string_equal(c->mounts[0].source, want);
	free(want);
	assert_string_equal(c->mounts[1].kind, "bind");
	want = xasprintf("%s/host/srv/x", tfs_root);
	assert_string_equal(c->mounts[1].source, want);
	free(want);
	char buf[32];
	assert_string_equal(de_container_state(c, buf, sizeof buf), "exited(2)");
	de_container_free(c);
	de_docker_close(&d);
}

static void test_lookup_errors(void **state)
{
	(void)state;
	de_docker d;
	de_err e;
	put_container(ID_A, "one", "");
	put_container(ID_B, "two", "");
	assert_int_equal(open_root(&d, &e), 0);
	assert_null(de_docker_find(&d, "xx", &e));
	assert_string_equal(e.msg, "Could not find any container ID starting with \"xx\"");
	assert_null(de_docker_find(&d, "4", &e));
	assert_string_equal(e.msg, "Too many container IDs starting with \"4\": " ID_A ", " ID_B);
	de_container *c = de_docker_find(&d, "4b", &e);
	assert_non_null(c);
	assert_string_equal(c->id, ID_B);
	de_container_free(c);
	c = de_docker_find(&d, "/one", &e);
	assert_non_null(c);
	assert_string_equal(c->id, ID_A);
	de_container_free(c);
	de_docker_close(&d);
}

static void test_v1_volumes_and_explicit_root(void **state)
{
	(void)state;
	de_docker d;
	de_err e;
	tfs_puts("v1/containers/" ID_C "/config.json",
	         "{\"ID\": \"" ID_C "\", \"Name\": \"/old\", \"Driver\": \"aufs\", \"Image\": \"abc\","
	         " \"State\": {\"Running\": true, \"StartedAt\": \"2015-01-01T00:00:00Z\"},"
	         " \"Volumes\": {\"/v\": \"/var/lib/docker/vfs/dir/xyz\"}, \"VolumesRW\": {\"/v\": false}}");
	tfs_mkdir("v1/graph");
	char path[512];
	snprintf(path, sizeof path, "%s/v1", tfs_root);
	assert_int_equal(de_docker_open(&d, path, "/mnt/evidence", &e), 0);
	assert_int_equal(d.layout, DE_LAYOUT_V1);
	de_container_list l = {0};
	assert_int_equal(de_docker_load_all(&d, &l, &e), 0);
	assert_int_equal(l.n, 1);
	de_container *c = l.v[0];
	assert_int_equal(c->layout, DE_LAYOUT_V1);
	assert_string_equal(c->mount_id, ID_C);   /* v1: the container ID names its layer */
	assert_string_equal(c->mounts[0].source, "/mnt/evidence/var/lib/docker/vfs/dir/xyz");
	assert_false(c->mounts[0].rw);
	char buf[32];
	assert_string_equal(de_container_state(c, buf, sizeof buf), "running");
	de_container_list_free(&l);
	de_docker_close(&d);
}

static void test_not_docker(void **state)
{
	(void)state;
	de_docker d;
	de_err e;
	tfs_mkdir("empty");
	char path[512];
	snprintf(path, sizeof path, "%s/empty", tfs_root);
	assert_int_equal(de_docker_open(&d, path, NULL, &e), -1);
	char *want = xasprintf("%s is not a Docker directory", path);
	assert_memory_equal(e.msg, want, strlen(want));
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mountpoints_without_type, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_errors, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_v1_volumes_and_explicit_root, tfs_setup, tfs_teardown),
		cmocka_unit_test_setup_teardown(test_not_docker, tfs_setup, tfs_teardown),
	};
	return cmocka_run_group_tests_name("docker", tests, NULL, NULL);
}
