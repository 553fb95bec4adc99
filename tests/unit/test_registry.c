/* Unit tests: registry/ — references read by the distribution project's
 * grammar and Docker's normalization, WWW-Authenticate challenges, the token
 * answer, Docker config credentials, manifests and platform choice, and
 * the registry's error bodies.
 *
 * The Docker Hub answers below are CONSTRUCTED from the documented formats,
 * not recorded from the network (no test reaches it): the 401 challenge and
 * token answer as the distribution project's token-auth spec shows them
 * (realm https://auth.docker.io/token, service registry.docker.io), the
 * multi-platform index as the OCI image-spec describes it with BuildKit's
 * attestation entries (annotation vnd.docker.reference.type), and the 429
 * body as the distribution spec's error format with Docker Hub's code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry/registry.h"

/* --- references --- */

static void ref_is(const char *in, const char *domain, const char *path, const char *tag,
                   const char *digest, const char *outdir)
{
	reg_ref r;
	de_err e = {0};
	if (reg_ref_parse(in, &r, &e) < 0)
		fail_msg("%s: %s", in, e.msg);
	assert_string_equal(r.domain, domain);
	assert_string_equal(r.path, path);
	if (tag)
		assert_string_equal(r.tag, tag);
	else
		assert_null(r.tag);
	if (digest)
		assert_string_equal(r.digest, digest);
	else
		assert_null(r.digest);
	char *d = reg_ref_outdir(&r);
	assert_string_equal(d, outdir);
	free(d);
	reg_ref_free(&r);
}

static void ref_bad(const char *in, const char *why)
{
	reg_ref r;
	de_err e = {0};
	assert_int_equal(reg_ref_parse(in, &r, &e), -1);
	if (!strstr(e.msg, why))
		fail_msg("%s: \"%s\" does not say \"%s\"", in, e.msg, why);
}

#define D64 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_references(void **state)
{
	(void)state;
	/* Docker Hub: docker.io, library/ for one component, latest; de.py's directory */
	ref_is("busybox", "docker.io", "library/busybox", "latest", NULL, "library/busybox/latest");
	ref_is("library/busybox:1.36", "docker.io", "library/busybox", "1.36", NULL,
	       "library/busybox/1.36");
	ref_is("user/app", "docker.io", "user/app", "latest", NULL, "user/app/latest");
	ref_is("docker.io/busybox", "docker.io", "library/busybox", "latest", NULL,
	       "library/busybox/latest");
	ref_is("index.docker.io/user/app:2", "docker.io", "user/app", "2", NULL, "user/app/2");
	/* other registries: the first component has '.', ':' or is localhost */
	ref_is("ghcr.io/org/app@" D64, "ghcr.io", "org/app", NULL, D64, "ghcr.io/org/app/" D64);
	ref_is("127.0.0.1:5000/case/app:2", "127.0.0.1:5000", "case/app", "2", NULL,
	       "127.0.0.1:5000/case/app/2");
	ref_is("localhost/app", "localhost", "app", "latest", NULL, "localhost/app/latest");
	ref_is("localhost:5000/a/b/c:v1.0-rc_1", "localhost:5000", "a/b/c", "v1.0-rc_1", NULL,
	       "localhost:5000/a/b/c/v1.0-rc_1");
	ref_is("[::1]:5000/app:1", "[::1]:5000", "app", "1", NULL, "[::1]:5000/app/1");
	ref_is("Registry.Example.com/app", "Registry.Example.com", "app", "latest", NULL,
	       "Registry.Example.com/app/latest");
	/* a tag and a digest: the digest is what is fetched (and names the directory) */
	ref_is("app:1@" D64, "docker.io", "library/app", "1", D64, "library/app/" D64);
	/* separators of a component: '.', '_', '__', any number of '-' */
	ref_is("a/b.c_d__e---f", "docker.io", "a/b.c_d__e---f", "latest", NULL,
	       "a/b.c_d__e---f/latest");
	/* a '.' makes the first component a domain, which must then be one */
	ref_bad("a.b_c/f", "bad registry host");
	/* no domain: "localhost:5000" alone is library/localhost with tag 5000, as in Docker */
	ref_is("localhost:5000", "docker.io", "library/localhost", "5000", NULL,
	       "library/localhost/5000");

	ref_bad("", "no repository name");
	ref_bad("Busybox", "must be lowercase");
	ref_bad("library/Busybox", "must be lowercase");
	ref_bad("a//b", "bad name component");
	ref_bad("a/../b", "bad name component");
	ref_bad("a/.b", "bad name component");
	ref_bad("a___b", "bad name component");
	ref_bad("app:", "bad tag");
	ref_bad("app:-x", "bad tag");
	ref_bad("app:a/b", "bad registry host");   /* "app:a" reads as host:port */
	ref_bad("app@sha256:abc", "digest must be");
	ref_bad("app@md5:0123456789abcdef0123456789abcdef", "digest must be");
	ref_bad("app@" D64 "0", "digest must be");
	ref_bad("-bad.com/app", "bad registry host");
	ref_bad("bad.com:99999/app", "bad registry host");
	ref_bad("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	        "reads as an image ID");
	char tag[200];
	memset(tag, 'a', sizeof tag - 1);
	tag[sizeof tag - 1] = 0;
	char *long_tag = xasprintf("app:%s", tag);
	ref_bad(long_tag, "bad tag");
	free(long_tag);
	char name[300];
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = 0;
	ref_bad(name, "longer than 255");

	reg_ref r;
	de_err e;
	assert_int_equal(reg_ref_parse("busybox", &r, &e), 0);
	assert_string_equal(reg_ref_api_host(&r), "registry-1.docker.io");
	char *s = reg_ref_string(&r);
	assert_string_equal(s, "docker.io/library/busybox:latest");
	free(s);
	reg_ref_free(&r);
}

static void test_loopback(void **state)
{
	(void)state;
	assert_true(reg_host_is_loopback("127.0.0.1:5000"));
	assert_true(reg_host_is_loopback("127.10.0.3"));
	assert_true(reg_host_is_loopback("localhost:5000"));
	assert_true(reg_host_is_loopback("[::1]:5000"));
	assert_true(reg_host_is_loopback("::1"));
	assert_false(reg_host_is_loopback("128.0.0.1"));
	assert_false(reg_host_is_loopback("127.0.0.1.example.com"));
	assert_false(reg_host_is_loopback("localhost.example.com"));
	assert_false(reg_host_is_loopback("[::2]:5000"));
	assert_false(reg_host_is_loopback("registry-1.docker.io"));
}

/* --- challenges and tokens --- */

static void test_challenges(void **state)
{
	(void)state;
	reg_challenge c;
	de_err e;
	/* Docker Hub's answer to GET /v2/library/busybox/manifests/latest */
	assert_int_equal(reg_challenge_parse(
		"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
		"scope=\"repository:library/busybox:pull\"", &c, &e), 0);
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://auth.docker.io/token");
	assert_string_equal(c.service, "registry.docker.io");
	assert_string_equal(c.scope, "repository:library/busybox:pull");
	assert_null(c.error);
	char *url = reg_token_url(c.realm, c.service, c.scope);
	assert_string_equal(url, "https://auth.docker.io/token?service=registry.docker.io"
	                         "&scope=repository%3Alibrary%2Fbusybox%3Apull");
	free(url);
	reg_challenge_free(&c);
	/* the token spec's example: two actions, insufficient scope, spaces, case */
	assert_int_equal(reg_challenge_parse(
		"bearer  REALM=\"https://auth.example.com/token\" , service=\"reg\", "
		"scope=\"repository:samalba/my-app:pull,push\", error=\"insufficient_scope\"", &c, &e), 0);
	assert_string_equal(c.scheme, "bearer");
	assert_string_equal(c.realm, "https://auth.example.com/token");
	assert_string_equal(c.scope, "repository:samalba/my-app:pull,push");
	assert_string_equal(c.error, "insufficient_scope");
	reg_challenge_free(&c);
	/* tokens unquoted, an escaped quote, and a second challenge after ours */
	assert_int_equal(reg_challenge_parse(
		"Basic realm=\"a \\\"b\\\" c\", charset=UTF-8, Bearer realm=\"x\"", &c, &e), 0);
	assert_string_equal(c.scheme, "Basic");
	assert_string_equal(c.realm, "a \"b\" c");
	reg_challenge_free(&c);
	/* a realm with a query already: the parameters follow with '&' */
	url = reg_token_url("http://127.0.0.1:1/t?a=1", NULL, "repository:x y:pull");
	assert_string_equal(url, "http://127.0.0.1:1/t?a=1&scope=repository%3Ax%20y%3Apull");
	free(url);
	assert_int_equal(reg_challenge_parse("", &c, &e), -1);
	assert_int_equal(reg_challenge_parse("Bearer realm=\"open", &c, &e), -1);
	assert_int_equal(reg_challenge_parse("Bearer =x", &c, &e), -1);
}

static void test_token_answers(void **state)
{
	(void)state;
	de_err e;
	/* Docker Hub's token answer: both "token" and "access_token" */
	const char *hub = "{\"token\":\"eyJhbGciOiJSUzI1NiJ9.e30.c2ln\",\"access_token\":"
	                  "\"eyJhbGciOiJSUzI1NiJ9.e30.c2ln\",\"expires_in\":300,"
	                  "\"issued_at\":\"2026-01-02T03:04:05.123456789Z\"}";
	char *t = reg_token_from_json(hub, strlen(hub), &e);
	assert_string_equal(t, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
	free(t);
	const char *oauth = "{\"access_token\":\"abc\",\"expires_in\":60}";
	t = reg_token_from_json(oauth, strlen(oauth), &e);
	assert_string_equal(t, "abc");
	free(t);
	assert_null(reg_token_from_json("{\"token\":\"\"}", 12, &e));
	assert_null(reg_token_from_json("[1]", 3, &e));
	assert_null(reg_token_from_json("{", 1, &e));
}

/* --- credentials --- */

static char *write_config(const char *text)
{
	char *path = xstrdup("/tmp/de-test-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_credentials(void **state)
{
	(void)state;
	/* "dGVzdGVyOnMzYzpyZXQ=" is base64("tester:s3c:ret") */
	char *path = write_config(
		"{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"dGVzdGVyOnMzYzpyZXQ=\"},"
		"\"registry.example.com:5000\":{\"auth\":\"dTpw\"},"
		"\"bad.example.com\":{\"auth\":\"!!!!\"}},"
		"\"credHelpers\":{\"ghcr.io\":\"gh\"}}");
	reg_cred c;
	char *why;
	de_err e;
	assert_int_equal(reg_cred_from_config(path, "docker.io", &c, &why, &e), 1);
	assert_string_equal(c.user, "tester");
	assert_string_equal(c.pass, "s3c:ret");
	assert_string_equal(c.source, path);
	char *h = reg_basic_header(&c);
	assert_string_equal(h, "Basic dGVzdGVyOnMzYzpyZXQ=");
	free(h);
	reg_cred_free(&c);
	assert_int_equal(reg_cred_from_config(path, "registry.example.com:5000", &c, &why, &e), 1);
	assert_string_equal(c.user, "u");
	assert_string_equal(c.pass, "p");
	reg_cred_free(&c);
	/* the port is part of the key */
	assert_int_equal(reg_cred_from_config(path, "registry.example.com", &c, &why, &e), 0);
	assert_null(why);
	assert_int_equal(reg_cred_from_config(path, "bad.example.com", &c, &why, &e), -1);
	assert_non_null(strstr(e.msg, "not base64"));
	assert_int_equal(reg_cred_from_config(path, "ghcr.io", &c, &why, &e), 0);
	assert_non_null(strstr(why, "docker-credential-gh"));
	free(why);
	unlink(path);
	free(path);
	/* no file: no credentials, no error */
	assert_int_equal(reg_cred_from_config("/nonexistent/config.json", "docker.io", &c, &why, &e), 0);
	path = write_config("{\"auths\": ");
	assert_int_equal(reg_cred_from_config(path, "docker.io", &c, &why, &e), -1);
	unlink(path);
	free(path);

	reg_cred_from_arg("user:pa:ss", &c);
	assert_string_equal(c.user, "user");
	assert_string_equal(c.pass, "pa:ss");
	reg_cred_free(&c);
	reg_cred_from_arg("user", &c);
	assert_null(c.pass);
	reg_cred_free(&c);
	size_t n;
	unsigned char *raw = reg_unbase64("YQ==", &n);
	assert_int_equal(n, 1);
	assert_int_equal(raw[0], 'a');
	free(raw);
	assert_null(reg_unbase64("YQ=", &n));
}

/* --- manifests --- */

#define DA "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DB "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define DC "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define DD "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"

/* A Docker Hub style index: amd64, arm v6 and v7, arm64 v8, and
 * BuildKit's attestation for amd64 (platform unknown/unknown). */
static const char hub_index[] =
	"{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"schemaVersion\":2,"
	"\"manifests\":["
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DA "\","
	"\"size\":610,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DB "\","
	"\"size\":610,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DC "\","
	"\"size\":610,\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DD "\","
	"\"size\":610,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
	"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DB "\","
	"\"size\":566,\"annotations\":{\"vnd.docker.reference.digest\":\"" DA "\","
	"\"vnd.docker.reference.type\":\"attestation-manifest\"},"
	"\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"}}]}";

static void pick_is(const reg_manifest *m, const char *platform, const char *digest)
{
	size_t i;
	de_err e = {0};
	if (reg_pick_platform(m, platform, &i, &e) < 0)
		fail_msg("%s: %s", platform, e.msg);
	assert_string_equal(m->v[i].digest, digest);
}

static void test_index(void **state)
{
	(void)state;
	reg_manifest m;
	de_err e;
	assert_int_equal(reg_manifest_parse(hub_index, strlen(hub_index), NULL, &m, &e), 0);
	assert_true(m.is_index);
	assert_int_equal(m.n, 5);
	assert_true(m.v[4].attestation);
	pick_is(&m, "linux/amd64", DA);
	pick_is(&m, "linux/x86_64", DA);
	pick_is(&m, "linux/arm64", DD);
	pick_is(&m, "linux/aarch64/v8", DD);
	pick_is(&m, "linux/arm/v6", DB);
	pick_is(&m, "linux/arm", DC);   /* arm without a variant is v7 */
	size_t i;
	assert_int_equal(reg_pick_platform(&m, "linux/s390x", &i, &e), -1);
	assert_string_equal(e.msg, "no manifest for the platform linux/s390x in the index; it has: "
	                           "linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8");
	assert_int_equal(reg_pick_platform(&m, "windows/amd64", &i, &e), -1);
	assert_int_equal(reg_pick_platform(&m, "linux", &i, &e), -1);
	assert_int_equal(reg_pick_platform(&m, "linux/amd64/v2/x", &i, &e), -1);
	reg_manifest_free(&m);

	/* two different manifests for one platform: ambiguous, both named */
	const char *two = "{\"manifests\":["
		"{\"digest\":\"" DA "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
		"{\"digest\":\"" DB "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
	assert_int_equal(reg_manifest_parse(two, strlen(two), "application/vnd.docker.distribution."
	                                    "manifest.list.v2+json; charset=utf-8", &m, &e), 0);
	assert_true(m.is_index);
	assert_int_equal(reg_pick_platform(&m, "linux/amd64", &i, &e), -1);
	assert_non_null(strstr(e.msg, "more than one manifest"));
	assert_non_null(strstr(e.msg, DB));
	reg_manifest_free(&m);
}

static void test_manifests(void **state)
{
	(void)state;
	reg_manifest m;
	de_err e;
	const char *docker = "{\"schemaVersion\":2,\"mediaType\":"
		"\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":"
		"\"application/vnd.docker.container.image.v1+json\",\"size\":1469,\"digest\":\"" DA "\"},"
		"\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
		"\"size\":2219949,\"digest\":\"" DB "\"},{\"mediaType\":"
		"\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"size\":5,"
		"\"digest\":\"" DC "\",\"urls\":[\"https://example.com/x\"]}]}";
	assert_int_equal(reg_manifest_parse(docker, strlen(docker), NULL, &m, &e), 0);
	assert_false(m.is_index);
	assert_string_equal(m.config.digest, DA);
	assert_int_equal(m.config.size, 1469);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.v[0].size, 2219949);
	assert_false(m.v[0].foreign);
	assert_true(m.v[1].foreign);
	reg_manifest_free(&m);
	/* OCI without mediaType: the keys say what it is */
	const char *oci = "{\"schemaVersion\":2,\"config\":{\"size\":2,\"digest\":\"" DA "\"},\"layers\":[]}";
	assert_int_equal(reg_manifest_parse(oci, strlen(oci), NULL, &m, &e), 0);
	assert_string_equal(m.media_type, "application/vnd.oci.image.manifest.v1+json");
	reg_manifest_free(&m);
	/* hostile digests and sizes are refused: they become URLs and file names */
	const char *bad[] = {
		"{\"config\":{\"size\":2,\"digest\":\"sha256:../../etc\"},\"layers\":[]}",
		"{\"config\":{\"size\":-1,\"digest\":\"" DA "\"},\"layers\":[]}",
		"{\"config\":{\"size\":\"2\",\"digest\":\"" DA "\"},\"layers\":[]}",
		"{\"config\":{\"size\":2,\"digest\":\"" DA "\"},\"layers\":[{\"size\":1,\"digest\":\"sha256:AB\"}]}",
		"{\"config\":{\"size\":2,\"digest\":\"" DA "\"}}",
		"{\"schemaVersion\":1,\"fsLayers\":[]}",
		"{\"schemaVersion\":2}",
		"[]",
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
		assert_int_equal(reg_manifest_parse(bad[k], strlen(bad[k]), NULL, &m, &e), -1);
	assert_int_equal(reg_manifest_parse("{\"schemaVersion\":1}", 19, NULL, &m, &e), -1);
	assert_non_null(strstr(e.msg, "schema 1"));
}

/* --- errors --- */

static void status_is(long status, const char *body, const char *retry_after, const char *want)
{
	reg_resp r = {.status = status, .retry_after = (char *)retry_after};
	if (body)
		db_adds(&r.body, body);
	dbuf out = {0};
	reg_describe_status(&r, &out);
	assert_string_equal(out.p, want);
	db_free(&out);
	db_free(&r.body);
}

static void test_statuses(void **state)
{
	(void)state;
	status_is(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
	               "\"detail\":{\"Tag\":\"x\"}}]}", NULL,
	          "HTTP 404 MANIFEST_UNKNOWN: manifest unknown");
	status_is(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication "
	               "required\",\"detail\":[{\"Type\":\"repository\",\"Name\":\"library/nope\","
	               "\"Action\":\"pull\"}]}]}\n", NULL,
	          "HTTP 401 UNAUTHORIZED: authentication required");
	status_is(429, "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached "
	               "your pull rate limit.\"}]}", "21600",
	          "HTTP 429 TOOMANYREQUESTS: You have reached your pull rate limit.; the registry asks "
	          "to wait 21600 s before trying again (Retry-After)");
	status_is(429, NULL, "Wed, 21 Oct 2026 07:28:00 GMT",
	          "HTTP 429; the registry asks to wait until Wed, 21 Oct 2026 07:28:00 GMT (Retry-After)");
	status_is(401, "{\"details\":\"incorrect username or password\"}", NULL,
	          "HTTP 401: incorrect username or password");
	status_is(500, "<html>oops</html>", NULL, "HTTP 500");
	/* a hostile message: control bytes replaced, length bounded */
	status_is(403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"a\\u001b[31mb\"}]}", NULL,
	          "HTTP 403 DENIED: a?[31mb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_loopback),
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_token_answers),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_manifests),
		cmocka_unit_test(test_statuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
