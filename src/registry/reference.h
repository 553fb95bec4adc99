/*
 * reference.h — an image reference ("busybox", "library/busybox:1.36",
 * "ghcr.io/org/app@sha256:…", "127.0.0.1:5000/case/app:2") read by the
 * distribution project's reference grammar, normalized as Docker does:
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] component ( "/" component )*   (<= 255 bytes)
 *   domain    := host [ ":" port ]; host: dot-separated labels of
 *                [A-Za-z0-9-] (no leading or trailing '-'), or "[IPv6]"
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 hex | "sha512:" 128 hex (lowercase)
 *
 * The first component is the domain only when it holds a '.' or a ':' or is
 * "localhost" (so "library/busybox" is on Docker Hub, "localhost/app" is
 * not). Docker Hub is "docker.io" ("index.docker.io" is the same), a
 * one-component name there is "library/<name>", and its API host is
 * registry-1.docker.io. Neither tag nor digest: the tag "latest". A name that
 * is 64 hex digits is refused, as Docker does (it reads as an image ID).
 * The parts are checked by the grammar, so they are safe as path components.
 */
#ifndef DE_REG_REFERENCE_H
#define DE_REG_REFERENCE_H

#include "../util/diag.h"

typedef struct reg_ref {
	char *domain;   /* "docker.io", "127.0.0.1:5000", "ghcr.io" */
	char *path;     /* "library/busybox", "case/app" */
	char *tag;      /* NULL only when a digest was given without a tag */
	char *digest;   /* "sha256:<hex>" or NULL */
} reg_ref;

int reg_ref_parse(const char *s, reg_ref *r, de_err *e);
void reg_ref_free(reg_ref *r);

/* "docker.io/library/busybox:latest", "ghcr.io/org/app@sha256:…". */
char *reg_ref_string(const reg_ref *r);
/* What the manifest is fetched by: the digest when given, else the tag. */
const char *reg_ref_target(const reg_ref *r);
/* The registry's API host[:port]: registry-1.docker.io for Docker Hub. */
const char *reg_ref_api_host(const reg_ref *r);
/* The host without its port, brackets removed from an IPv6 literal. */
char *reg_host_only(const char *hostport);
/* localhost, 127.0.0.0/8 or ::1: Docker pulls from these over plain HTTP. */
int reg_host_is_loopback(const char *hostport);

/* The default output directory, relative to the working directory. de.py
 * wrote <repository>/<image>/<tag> for Docker Hub names; that is kept
 * (busybox -> library/busybox/latest), other registries put their domain
 * first (127.0.0.1:5000/case/app/2), and a digest stands for the tag
 * (ghcr.io/org/app/sha256:<hex>). */
char *reg_ref_outdir(const reg_ref *r);

/* "sha256:<64 hex>" or "sha512:<128 hex>", lowercase. */
int reg_digest_valid(const char *d);

#endif
