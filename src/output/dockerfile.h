/*
 * dockerfile.h — a pseudo-Dockerfile rebuilt from an image's build history.
 *
 * An image config's history[] keeps, for each build step, the text its
 * builder wrote in "created_by", each builder in its own form:
 *  - Docker's legacy builder and Buildah: "<shell> #(nop) <INSTRUCTION args>"
 *    for the steps that ran nothing (ENV, LABEL, COPY file:<hash> in <dest>,
 *    …), "<shell> <command>" for RUN, prefixed "|N K=V … " when build args
 *    were set; Docker prints VOLUME/SHELL as Go's %v of a list and
 *    HEALTHCHECK as Go's %q of its struct;
 *  - BuildKit: "RUN <shell> <command> # buildkit", "COPY src dst # buildkit",
 *    "ENV …", "EXPOSE map[80/tcp:{}]";
 *  - imports and squashed bases: no created_by at all, only a comment.
 * de_dockerfile() writes each step, oldest first, as its instruction, in a
 * form the Dockerfile parser reads back (exec form in JSON where the text
 * holds a newline, so nothing is lost); a step it cannot read as an
 * instruction is kept as a comment, never dropped. It is a pseudo-Dockerfile:
 * COPY/ADD sources are the builder's content hashes, build args expanded.
 */
#ifndef DE_DOCKERFILE_H
#define DE_DOCKERFILE_H

#include "../model/evidence.h"
#include "../util/strvec.h"

/* The steps of h (newest first, as de_history_steps() fills them) as a
 * pseudo-Dockerfile; what names the image in the header. */
void de_dockerfile(dbuf *out, const de_history_entry *h, const char *what);

/* What the evidence beside the history tells (history CONTAINER|IMAGE). */
typedef struct de_dockerfile_ctx {
	const char *note;      /* a header line (without "# "), or NULL */
	const char *from;      /* the image the build started from, as it is to
	                        * be named ("trial/base:1 (sha256:…)"), or NULL */
	size_t from_steps;     /* that image's steps: the oldest from_steps of h's */
	bool from_buildah;     /* from is Buildah's "FROM <name>" comment on the
	                        * first step of the build: said once, not twice */
} de_dockerfile_ctx;

/* de_dockerfile(), with a line before the step the build started from
 * ("# ---- FROM trial/base:1 …"), and a step `docker commit` made (h's
 * committed_from: its newest step, the container's command, not a
 * Dockerfile instruction) said as a comment. */
void de_dockerfile_from(dbuf *out, const de_history_entry *h, const char *what,
                        const de_dockerfile_ctx *ctx);

/* One created_by as its instruction line(s), without a newline at the end;
 * shell is the SHELL in force (NULL: /bin/sh -c), updated by a SHELL step.
 * NULL when the text is not a step de can read (the caller keeps it as a
 * comment). Exposed for the tests. */
char *de_dockerfile_step(const char *created_by, strvec *shell);

#endif
