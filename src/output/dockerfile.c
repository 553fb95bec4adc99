/*
 * dockerfile.c — see dockerfile.h. The forms handled here were read off
 * images the real builders made (tests/data/dockerfile-cases: Docker
 * 20.10's legacy builder and Podman 4.3's Buildah, from one Dockerfile);
 * BuildKit's are those its Dockerfile frontend writes ("RUN … # buildkit").
 */
#include "dockerfile.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "text.h"

#define MAX_BUILD_ARGS 4096   /* "|N …": N as written is evidence */

static bool starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A JSON string: ", \ and control bytes escaped; every other byte as it is
 * (the text is evidence: invalid UTF-8 is kept, not dropped). */
static void json_quote(dbuf *b, const char *s)
{
	db_adds(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			db_addf(b, "\\%c", c);
		else if (c == '\n')
			db_adds(b, "\\n");
		else if (c == '\t')
			db_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			db_addf(b, "\\u%04x", c);
		else
			db_add(b, s, 1);
	}
	db_adds(b, "\"");
}

static void json_list(dbuf *b, const strvec *v)
{
	db_adds(b, "[");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			db_adds(b, ", ");
		json_quote(b, v->v[i]);
	}
	db_adds(b, "]");
}

/* Go's strconv.Quote form at *p ("…" with \-escapes); the text goes to out.
 * Advances *p past the closing quote. */
static bool go_unquote(const char **p, dbuf *out)
{
	const char *s = *p;
	if (*s++ != '"')
		return false;
	while (*s && *s != '"') {
		if (*s != '\\') {
			db_add(out, s++, 1);
			continue;
		}
		s++;
		static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
		const char *k = *s ? strchr(from, *s) : NULL;
		if (k) {
			db_add(out, &to[k - from], 1);
			s++;
		} else if (*s == 'x' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = {s[1], s[2], 0};
			char c = (char)strtol(hex, NULL, 16);
			db_add(out, &c, 1);
			s += 3;
		} else if (*s == 'u' || *s == 'U') {
			/* \uXXXX and \UXXXXXXXX: a code point, written as UTF-8 */
			int n = *s == 'u' ? 4 : 8;
			char hex[9] = {0};
			for (int i = 0; i < n; i++) {
				if (!isxdigit((unsigned char)s[1 + i]))
					return false;
				hex[i] = s[1 + i];
			}
			unsigned long cp = strtoul(hex, NULL, 16);
			char u[4];
			size_t len;
			if (cp < 0x80) {
				u[0] = (char)cp, len = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), len = 2;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f)), len = 3;
			} else if (cp < 0x110000) {
				u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
				len = 4;
			} else {
				return false;
			}
			db_add(out, u, len);
			s += 1 + n;
		} else {
			return false;
		}
	}
	if (*s != '"')
		return false;
	*p = s + 1;
	return true;
}

/* A list as a builder printed it: JSON (Buildah keeps the Dockerfile's
 * text), Go's %q of a []string (`["a" "b"]`, Docker's CMD/ENTRYPOINT), or
 * Go's %v (`[a b]`, Docker's VOLUME and SHELL: items with spaces cannot be
 * told apart there, so they are split at spaces). */
static bool parse_list(const char *s, strvec *out)
{
	json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);
	if (j && json_is_array(j)) {
		size_t i;
		json_t *v;
		bool ok = true;
		json_array_foreach(j, i, v) {
			if (json_is_string(v))
				sv_push(out, json_string_value(v));
			else
				ok = false;
		}
		json_decref(j);
		return ok;
	}
	json_decref(j);
	if (*s++ != '[')
		return false;
	const char *end = strrchr(s, ']');
	if (!end || end[1])
		return false;
	if (*skip_spaces(s) == '"') {
		while (*(s = skip_spaces(s)) == '"') {
			dbuf item = {0};
			if (!go_unquote(&s, &item)) {
				db_free(&item);
				return false;
			}
			sv_push_own(out, item.p ? db_take(&item) : xstrdup(""));
		}
		return s == end;
	}
	while (s < end) {
		s = skip_spaces(s);
		const char *w = s;
		while (s < end && *s != ' ')
			s++;
		if (s > w)
			sv_push_own(out, xstrndup(w, (size_t)(s - w)));
	}
	return true;
}

/* HEALTHCHECK as Docker's legacy builder records it: Go's %q of its
 * *HealthConfig, `&{["CMD-SHELL" "cmd"] "30s" "0s" "0s" '\x03'}`: the test,
 * then the durations (interval, timeout, start period, and since Docker 25
 * start interval), then the retries printed as a rune. */
static bool healthcheck_struct(const char *s, dbuf *b)
{
	static const char *const flags[] = {"interval", "timeout", "start-period", "start-interval"};
	if (!starts(s, "&{"))
		return false;
	s += 2;
	const char *close = strchr(s, ']');
	if (*s != '[' || !close)
		return false;
	char *list = xstrndup(s, (size_t)(close + 1 - s));
	strvec test = {0};
	bool ok = parse_list(list, &test) && test.n > 0;
	free(list);
	s = close + 1;
	dbuf opts = {0};
	for (size_t i = 0; ok && *(s = skip_spaces(s)) == '"'; i++) {
		dbuf d = {0};
		ok = i < sizeof flags / sizeof *flags && go_unquote(&s, &d);
		if (ok && d.p && strcmp(d.p, "0s"))
			db_addf(&opts, "--%s=%s ", flags[i], d.p);
		db_free(&d);
	}
	/* retries: a rune literal, '\x00' or 'x' */
	if (ok && *s == '\'') {
		const char *q = strchr(s + 1, '\'');
		if (q && s[1] == '\\' && s[2] == 'x') {
			long r = strtol(s + 3, NULL, 16);
			if (r)
				db_addf(&opts, "--retries=%ld ", r);
		} else if (q && q == s + 2) {
			db_addf(&opts, "--retries=%d ", (unsigned char)s[1]);
		} else {
			ok = false;
		}
		s = q ? q + 1 : s;
	}
	ok = ok && !strcmp(s, "}");
	if (ok && !strcmp(test.v[0], "NONE")) {
		db_adds(b, "HEALTHCHECK NONE");
	} else if (ok && !strcmp(test.v[0], "CMD-SHELL") && test.n == 2) {
		db_addf(b, "HEALTHCHECK %sCMD %s", opts.p ? opts.p : "", test.v[1]);
	} else if (ok && !strcmp(test.v[0], "CMD")) {
		strvec args = {.v = test.v + 1, .n = test.n - 1};
		db_addf(b, "HEALTHCHECK %sCMD ", opts.p ? opts.p : "");
		json_list(b, &args);
	} else {
		ok = false;
	}
	db_free(&opts);
	sv_free(&test);
	return ok;
}

/* BuildKit writes EXPOSE as Go's %v of a map: "map[8080/tcp:{} 53/udp:{}]". */
static bool expose_map(const char *s, dbuf *b)
{
	if (!starts(s, "map[") || s[strlen(s) - 1] != ']')
		return false;
	db_adds(b, "EXPOSE");
	for (s += 4; *s && *s != ']';) {
		const char *w = s;
		while (*s && *s != ':' && *s != ']')
			s++;
		db_addf(b, " %.*s", (int)(s - w), w);
		if (starts(s, ":{}"))
			s += 3;
		s = skip_spaces(s);
	}
	return true;
}

static const char *const keywords[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
};

/* The keyword s starts with ("ENV" of "ENV A=b"), or NULL. */
static const char *keyword_of(const char *s)
{
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++) {
		size_t n = strlen(keywords[i]);
		if (!strncmp(s, keywords[i], n) && (s[n] == ' ' || !s[n]))
			return keywords[i];
	}
	return NULL;
}

/* An instruction as written after "#(nop)" (or by BuildKit), in the form
 * the Dockerfile parser reads back. */
static bool instruction(const char *s, strvec *shell, dbuf *b)
{
	const char *kw = keyword_of(s);
	if (!kw || strchr(s, '\n'))
		return false;
	const char *arg = skip_spaces(s + strlen(kw));
	strvec list = {0};
	bool ok = true;
	if (!strcmp(kw, "VOLUME") || !strcmp(kw, "SHELL") ||
	    ((!strcmp(kw, "CMD") || !strcmp(kw, "ENTRYPOINT")) && *arg == '[')) {
		ok = parse_list(arg, &list);
		if (ok) {
			db_addf(b, "%s ", kw);
			json_list(b, &list);
		}
		if (ok && !strcmp(kw, "SHELL")) {
			sv_free(shell);
			for (size_t i = 0; i < list.n; i++)
				sv_push(shell, list.v[i]);
		}
	} else if (!strcmp(kw, "HEALTHCHECK") && starts(arg, "&{")) {
		ok = healthcheck_struct(arg, b);
	} else if (!strcmp(kw, "EXPOSE") && starts(arg, "map[")) {
		ok = expose_map(arg, b);
	} else {
		/* COPY/ADD keep the builder's "file:<hash> in <dest>": the sources
		 * are gone, the hash is what the history can tell. */
		size_t n = strlen(s);
		while (n && s[n - 1] == ' ')
			n--;
		db_add(b, s, n);
	}
	sv_free(&list);
	return ok;
}

/* cmd after the shell prefix it was run with, or NULL: the SHELL in force
 * (Docker's legacy builder and BuildKit write the shell they ran), or
 * "/bin/sh -c", which Buildah writes before the RUN line's own text whatever
 * SHELL says (so "RUN <text>" is that line as its author wrote it). */
static const char *after_shell(const char *s, const strvec *shell)
{
	char *cur = shell->n ? sv_join(shell, " ") : xstrdup("/bin/sh -c");
	const char *cmd = NULL;
	size_t n = strlen(cur);
	if (!strncmp(s, cur, n) && s[n] == ' ')
		cmd = s + n + 1;
	else if (starts(s, "/bin/sh -c "))
		cmd = s + strlen("/bin/sh -c ");
	free(cur);
	return cmd;
}

static void run_line(const char *cmd, const strvec *shell, dbuf *b)
{
	bool plain = true;
	for (const char *c = cmd; plain && *c; c++)
		plain = (unsigned char)*c >= 0x20 || *c == '\t';
	if (plain) {
		db_addf(b, "RUN %s", cmd);
		return;
	}
	/* A newline would end a shell-form instruction: the exec form runs the
	 * same text through the same shell, with nothing lost. */
	strvec v = {0};
	if (shell->n) {
		for (size_t i = 0; i < shell->n; i++)
			sv_push(&v, shell->v[i]);
	} else {
		sv_push(&v, "/bin/sh");
		sv_push(&v, "-c");
	}
	sv_push(&v, cmd);
	db_adds(b, "RUN ");
	json_list(b, &v);
	sv_free(&v);
}

char *de_dockerfile_step(const char *created_by, strvec *shell)
{
	char *t = xstrdup(created_by);
	size_t n = strlen(t);
	while (n && (t[n - 1] == ' ' || t[n - 1] == '\n'))
		t[--n] = 0;
	bool buildkit = false;
	if (n >= 11 && !strcmp(t + n - 11, " # buildkit"))
		t[n - 11] = 0, buildkit = true;
	const char *s = skip_spaces(t);
	bool run = false;
	if (starts(s, "RUN ")) /* BuildKit names the instruction */
		s += 4, run = true;
	dbuf b = {0};
	/* "|2 A=1 B=2 <shell> cmd": the build args the step ran with */
	if (*s == '|') {
		char *end;
		long nargs = strtol(s + 1, &end, 10);
		if (end == s + 1 || nargs < 0 || nargs > MAX_BUILD_ARGS || *end != ' ')
			goto fail;
		s = end;
		db_adds(&b, "# build args:");
		for (long i = 0; i < nargs; i++) {
			s = skip_spaces(s);
			const char *w = s;
			while (*s && *s != ' ')
				s++;
			if (s == w)
				goto fail;
			db_addf(&b, " %.*s", (int)(s - w), w);
		}
		db_adds(&b, "\n");
		s = skip_spaces(s);
		run = true;
	}
	const char *nop = run ? NULL : strstr(s, "#(nop)");
	const char *cmd;
	if (nop) {
		if (!instruction(skip_spaces(nop + 6), shell, &b))
			goto fail;
	} else if ((cmd = after_shell(s, shell))) {
		run_line(cmd, shell, &b);
	} else if (run) {
		/* BuildKit's exec-form RUN: the words without their quoting */
		run_line(s, shell, &b);
	} else if (buildkit || keyword_of(s)) {
		if (!instruction(s, shell, &b))
			goto fail;
	} else {
		goto fail;
	}
	free(t);
	return db_take(&b);
fail:
	free(t);
	db_free(&b);
	return NULL;
}

static void comment(dbuf *out, const char *label, const char *text)
{
	db_addf(out, "# %s", label);
	de_escape(out, text);
	db_adds(out, "\n");
}

/* A builder's own bookkeeping in a step's comment, not a note of the
 * author's: Buildah's "FROM <12 hex>" on each step of a --layers build (the
 * intermediate image it committed over; "FROM localhost/trial/base:1" on
 * the first step is kept), and BuildKit's "buildkit.dockerfile.v0" (the
 * frontend that wrote the step, on every step it wrote). */
static bool builder_bookkeeping(const char *c)
{
	if (!strcmp(c, "buildkit.dockerfile.v0"))
		return true;
	if (!starts(c, "FROM ") || strlen(c) != 5 + 12)
		return false;
	for (c += 5; *c; c++)
		if (!isxdigit((unsigned char)*c))
			return false;
	return true;
}

void de_dockerfile(dbuf *out, const de_history_entry *h, const char *what)
{
	de_dockerfile_from(out, h, what, NULL);
}

void de_dockerfile_from(dbuf *out, const de_history_entry *h, const char *what,
                        const de_dockerfile_ctx *ctx)
{
	static const de_dockerfile_ctx none = {0};
	if (!ctx)
		ctx = &none;
	strvec shell = {0};
	db_adds(out, "# Pseudo-Dockerfile of ");
	de_escape(out, what);
	db_addf(out, ", rebuilt by de from its history (%zu step%s).\n", h->nsteps,
	        h->nsteps == 1 ? "" : "s");
	db_adds(out, "# COPY and ADD name the builder's content hashes, not the sources; "
	             "a builder may have expanded build args.\n");
	if (ctx->note)
		comment(out, "", ctx->note);
	db_adds(out, "FROM scratch\n");
	for (size_t k = h->nsteps; k-- > 0;) {
		const de_history_step *s = &h->steps[k];
		bool boundary = ctx->from && h->nsteps - 1 - k == ctx->from_steps;
		if (boundary) {
			db_adds(out, "# ---- the build started FROM ");
			de_escape(out, ctx->from);
			if (ctx->from_steps == 1)
				db_adds(out, ": the step above is that image's ----\n");
			else
				db_addf(out, ": the %zu steps above are that image's ----\n", ctx->from_steps);
		}
		if (s->comment && *s->comment && !builder_bookkeeping(s->comment) &&
		    !(boundary && ctx->from_buildah))
			comment(out, "", s->comment);
		if (!s->created_by || !*s->created_by) {
			db_adds(out, "# no command recorded (an imported or squashed layer)");
			if (s->diff_id)
				db_addf(out, ": %s", s->diff_id);
			db_adds(out, "\n");
			continue;
		}
		/* docker commit appends one step, the container's Cmd: not an
		 * instruction even when it reads as one (model/evidence.h) */
		if (k == 0 && h->committed_from) {
			db_adds(out, "# docker commit of container ");
			de_escape(out, h->committed_from);
			db_adds(out, ", whose command was: ");
			de_escape(out, s->created_by);
			db_adds(out, "\n");
			continue;
		}
		char *line = de_dockerfile_step(s->created_by, &shell);
		if (line) {
			db_addf(out, "%s\n", line);
			free(line);
		} else {
			comment(out, "not an instruction de can read: ", s->created_by);
		}
	}
	sv_free(&shell);
}
