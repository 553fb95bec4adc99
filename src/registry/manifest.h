/*
 * manifest.h — the manifests a registry serves, read as the image specs
 * define them (OCI image-spec 1.0/1.1, Docker's image manifest v2):
 *
 *  - an index (OCI "application/vnd.oci.image.index.v1+json", Docker's
 *    manifest list "application/vnd.docker.distribution.manifest.list.v2+json"):
 *    "manifests": descriptors with a "platform" {os, architecture, variant};
 *  - an image manifest (OCI "application/vnd.oci.image.manifest.v1+json",
 *    Docker "application/vnd.docker.distribution.manifest.v2+json"):
 *    "config" and "layers" descriptors.
 *
 * A descriptor is {mediaType, digest, size}. The media type is the body's
 * "mediaType" when it has one, else the Content-Type, else what the keys
 * say (OCI made the field optional). Docker's schema 1 (signed, no config)
 * is refused by name. Every digest must be a valid sha256/sha512 digest
 * (they become URLs and file names) and every size a non-negative integer;
 * at most 4096 layers or manifests.
 */
#ifndef DE_REG_MANIFEST_H
#define DE_REG_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

#define REG_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define REG_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define REG_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define REG_MT_DOCKER_V2 "application/vnd.docker.distribution.manifest.v2+json"
/* What de asks for, in its order of preference. */
#define REG_ACCEPT_MANIFESTS \
	REG_MT_OCI_INDEX ", " REG_MT_DOCKER_LIST ", " REG_MT_OCI_MANIFEST ", " REG_MT_DOCKER_V2

typedef struct reg_desc {
	char *media_type, *digest;
	int64_t size;
	char *os, *arch, *variant;   /* index entries only */
	bool attestation;            /* BuildKit's attestation manifest (not an image) */
	bool foreign;                /* a non-distributable layer (Windows base layers) */
} reg_desc;

typedef struct reg_manifest {
	bool is_index;
	char *media_type;
	reg_desc config;
	reg_desc *v;     /* layers, or the index's manifests */
	size_t n;
} reg_manifest;

int reg_manifest_parse(const char *body, size_t len, const char *content_type,
                       reg_manifest *m, de_err *e);
void reg_manifest_free(reg_manifest *m);

/* "os/arch[/variant]" -> its parts; -1 when malformed. */
int reg_platform_parse(const char *s, char **os, char **arch, char **variant);
/* The entry of index m for the platform: a given variant must match (arm64
 * without one is v8, arm is v7, as containerd normalizes); without a
 * variant, an entry without one wins over those with one. No entry, or two
 * equally good ones, is an error naming the platforms there are. */
int reg_pick_platform(const reg_manifest *m, const char *platform, size_t *idx, de_err *e);

#endif
