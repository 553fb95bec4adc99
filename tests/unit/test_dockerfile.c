/* Unit tests: output/dockerfile — the pseudo-Dockerfile of an image, checked
 * against the Dockerfile that made it. tests/data/dockerfile-cases holds one
 * Dockerfile using every instruction and the image configs that Docker
 * 20.10's legacy builder and Podman 4.3's Buildah built from it
 * (tests/fixtures/make-dockerfile-cases.sh): each step de rebuilds must be
 * that Dockerfile's instruction, as far as a history can tell it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "output/dockerfile.h"

#ifndef CASES
#define CASES "tests/data/dockerfile-cases"
#endif

static int64_t no_size(void *arg, size_t k, const char *diff_id)
{
	(void)arg, (void)k, (void)diff_id;
	return -1;
}

/* The Dockerfile's instructions but FROM, one string each. */
static void dockerfile_lines(strvec *out)
{
	FILE *f = fopen(CASES "/Dockerfile", "r");
	assert_non_null(f);
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line && strncmp(line, "FROM ", 5))
			sv_push(out, line);
	}
	fclose(f);
}

/* text with "$VERSION" expanded and double quotes dropped (LABEL's values
 * as a builder that expands them writes them). */
static char *expanded(const char *text)
{
	dbuf b = {0};
	for (const char *s = text; *s; s++) {
		if (!strncmp(s, "$VERSION", 8)) {
			db_adds(&b, "1.2");
			s += 7;
		} else if (*s != '"') {
			db_add(&b, s, 1);
		}
	}
	return db_take(&b);
}

static const char *last_word(const char *s)
{
	const char *w = strrchr(s, ' ');
	return w ? w + 1 : s;
}

/* The list after the keyword, as JSON text without spaces. */
static char *list_of(const char *s)
{
	json_t *j = json_loads(strchr(s, ' ') + 1, 0, NULL);
	assert_non_null(j);
	char *out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return out;
}

/* got (de's line for one step) stands for want (the Dockerfile's line). */
static void same_instruction(const char *want, const char *got)
{
	size_t kw = strcspn(want, " ");
	assert_true(!strncmp(got, want, kw) && got[kw] == ' ');
	char *w = NULL, *g = NULL;
	if (!strncmp(want, "COPY", 4) || !strncmp(want, "ADD", 3)) {
		/* the source is a content hash now; the destination stays */
		assert_string_equal(last_word(got), last_word(want));
	} else if (!strncmp(want, "ARG", 3)) {
		/* Buildah keeps the name, Docker the name and default */
		assert_true(!strncmp(want, got, strlen(got)));
	} else if (!strncmp(want, "LABEL", 5)) {
		/* Docker expands and unquotes, Buildah keeps the text */
		w = expanded(want), g = expanded(got);
		assert_string_equal(g, w);
	} else if (!strncmp(want, "VOLUME", 6) || !strncmp(want, "SHELL", 5) ||
	           !strncmp(want, "CMD", 3) || !strncmp(want, "ENTRYPOINT", 10)) {
		w = list_of(want), g = list_of(got);
		assert_string_equal(g, w);
	} else {
		assert_string_equal(got, want);
	}
	free(w);
	free(g);
}

static void check_case(const char *builder)
{
	char path[512];
	snprintf(path, sizeof path, CASES "/%s/config.json", builder);
	json_t *cfg = json_load_file(path, 0, NULL);
	assert_non_null(cfg);
	de_history_entry h = {0};
	de_history_steps(&h, cfg, path, no_size, NULL);
	strvec want = {0};
	dockerfile_lines(&want);
	/* step 1 (oldest) is the imported base; the build's steps follow */
	assert_int_equal(h.nsteps, want.n + 1);
	strvec shell = {0};
	for (size_t i = 0; i < want.n; i++) {
		const de_history_step *s = &h.steps[want.n - 1 - i];
		char *got = de_dockerfile_step(s->created_by, &shell);
		assert_non_null(got);
		/* "# build args: …" comes before a RUN that had them */
		const char *line = strrchr(got, '\n') ? strrchr(got, '\n') + 1 : got;
		same_instruction(want.v[i], line);
		free(got);
	}
	/* the whole text: every step there, nothing read as unknown */
	dbuf out = {0};
	de_dockerfile(&out, &h, builder);
	assert_non_null(strstr(out.p, "\nFROM scratch\n"));
	assert_null(strstr(out.p, "not an instruction"));
	db_free(&out);
	sv_free(&shell);
	sv_free(&want);
	for (size_t i = 0; i < h.nsteps; i++) {
		free(h.steps[i].created), free(h.steps[i].created_by);
		free(h.steps[i].comment), free(h.steps[i].diff_id);
	}
	free(h.steps);
	free(h.committed_from);
	json_decref(cfg);
}

static void test_docker_legacy(void **state)
{
	(void)state;
	check_case("docker-legacy");
}

static void test_buildah(void **state)
{
	(void)state;
	check_case("podman");
}

/* Forms no builder of this machine writes: BuildKit's (Debian 12 has no
 * buildx), Docker's HEALTHCHECK variants, a newline in a RUN. */
static void step_is(const char *created_by, const char *want)
{
	strvec shell = {0};
	char *got = de_dockerfile_step(created_by, &shell);
	if (want) {
		assert_non_null(got);
		assert_string_equal(got, want);
	} else {
		assert_null(got);
	}
	free(got);
	sv_free(&shell);
}

static void test_other_forms(void **state)
{
	(void)state;
	step_is("RUN /bin/sh -c apk add curl # buildkit", "RUN apk add curl");
	step_is("RUN |1 V=2 /bin/sh -c echo $V # buildkit", "# build args: V=2\nRUN echo $V");
	step_is("COPY app.conf /etc/app.conf # buildkit", "COPY app.conf /etc/app.conf");
	step_is("ENV A=b", "ENV A=b");
	step_is("EXPOSE map[8080/tcp:{} 53/udp:{}]", "EXPOSE 8080/tcp 53/udp");
	step_is("/bin/sh -c #(nop)  HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}",
	        "HEALTHCHECK NONE");
	step_is("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD\" \"curl\" \"-f\" \"x\"] \"5s\" \"1s\" \"0s\" "
	        "\"0s\" '\\x03'}",
	        "HEALTHCHECK --interval=5s --timeout=1s --retries=3 CMD [\"curl\", \"-f\", \"x\"]");
	step_is("/bin/sh -c printf 'a\\nb'\nrm x", "RUN [\"/bin/sh\", \"-c\", \"printf 'a\\\\nb'\\nrm x\"]");
	step_is("/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"echo \\\"hi\\\"\"]",
	        "CMD [\"/bin/sh\", \"-c\", \"echo \\\"hi\\\"\"]");
	/* not steps: kept as comments by the caller */
	step_is("sh -c echo committed > /etc/motd", NULL);
	step_is("|x /bin/sh -c true", NULL);
	step_is("|99999999 A=1", NULL);
	step_is("/bin/sh -c #(nop)  FROB x", NULL);
	step_is("/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD\" \"x\"] \"5s\" junk", NULL);
}

static void load_case(const char *builder, de_history_entry *h, json_t **cfg)
{
	char path[512];
	snprintf(path, sizeof path, CASES "/%s/config.json", builder);
	*cfg = json_load_file(path, 0, NULL);
	assert_non_null(*cfg);
	memset(h, 0, sizeof *h);
	de_history_steps(h, *cfg, path, no_size, NULL);
}

static void free_entry(de_history_entry *h)
{
	for (size_t i = 0; i < h->nsteps; i++) {
		free(h->steps[i].created), free(h->steps[i].created_by);
		free(h->steps[i].comment), free(h->steps[i].diff_id);
	}
	free(h->steps);
	free(h->committed_from);
}

/* The line before the build's first step says where it started; every
 * step is still there, the Buildah FROM comment said once. */
static void test_from_boundary(void **state)
{
	(void)state;
	static const char *const builders[] = {"docker-legacy", "podman"};
	for (size_t b = 0; b < 2; b++) {
		de_history_entry h;
		json_t *cfg;
		load_case(builders[b], &h, &cfg);
		dbuf plain = {0}, out = {0};
		de_dockerfile(&plain, &h, "x");
		de_dockerfile_ctx ctx = {.from = "base:1 (sha256:00)", .from_steps = 1,
		                         .from_buildah = b == 1, .note = "a note"};
		de_dockerfile_from(&out, &h, "x", &ctx);
		const char *line = strstr(out.p, "\n# ---- the build started FROM base:1 (sha256:00): "
		                                 "the step above is that image's ----\n");
		assert_non_null(line);
		assert_non_null(strstr(out.p, "\n# a note\nFROM scratch\n"));
		/* the base's one step is above it, the build's first below */
		const char *first = strstr(out.p, "\nFROM scratch\n") + 14;
		assert_true(first < line);
		/* Buildah's "FROM …" comment on that step is the boundary's, said once */
		char *after = strchr(line + 1, '\n') + 1;
		assert_true(strncmp(after, "# FROM ", 7) != 0);
		if (b == 1)
			assert_non_null(strstr(plain.p, "\n# FROM localhost/trial/base:1\n"));
		/* nothing else changed: the same instructions */
		size_t n_plain = 0, n_out = 0;
		for (const char *p = plain.p; (p = strchr(p, '\n')); p++)
			n_plain += p[1] && p[1] != '#';
		for (const char *p = out.p; (p = strchr(p, '\n')); p++)
			n_out += p[1] && p[1] != '#';
		assert_int_equal(n_plain, n_out);
		db_free(&plain);
		db_free(&out);
		free_entry(&h);
		json_decref(cfg);
	}
}

/* docker commit's step is the container's command, said as such, even
 * when it reads as an instruction. */
static void test_commit(void **state)
{
	(void)state;
	de_history_entry h;
	json_t *cfg;
	load_case("docker-legacy", &h, &cfg);
	h.committed_from = xstrdup("c0ffee");
	dbuf out = {0};
	de_dockerfile_from(&out, &h, "x", NULL);
	char *want = xasprintf("# docker commit of container c0ffee, whose command was: %s\n",
	                       h.steps[0].created_by);
	assert_true(out.len > strlen(want));
	assert_string_equal(out.p + out.len - strlen(want), want);
	free(want);
	db_free(&out);
	free_entry(&h);
	json_decref(cfg);
}

/* The builders' own comments are bookkeeping, not the author's: BuildKit's
 * "buildkit.dockerfile.v0" on every step it wrote is left out; an author's
 * comment (docker commit -m, an import's message) is kept. */
static void test_builder_comments(void **state)
{
	(void)state;
	de_history_step steps[2] = {
		{.created_by = "ENV A=b", .comment = "buildkit.dockerfile.v0", .empty_layer = true},
		{.created_by = NULL, .comment = "imported by the author"},
	};
	de_history_entry h = {.steps = steps, .nsteps = 2};   /* newest first */
	dbuf out = {0};
	de_dockerfile(&out, &h, "x");
	assert_null(strstr(out.p, "buildkit.dockerfile.v0"));
	assert_non_null(strstr(out.p, "\n# imported by the author\n"));
	assert_non_null(strstr(out.p, "\nENV A=b\n"));
	db_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_legacy),
		cmocka_unit_test(test_buildah),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_from_boundary),
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_builder_comments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
