/*
 * registry.h — a client of the Registry HTTP API v2 (the distribution spec)
 * for pulling one image: its manifest, its config, its layers.
 *
 * Transport: HTTPS, with the system's CAs or --ca-cert's. Plain HTTP only
 * for a loopback registry (localhost, 127.0.0.0/8, ::1: Docker's default
 * insecure registries) or one named with --insecure-registry, and then, as
 * Docker does, only after HTTPS failed in the TLS handshake. The first
 * request is `GET /v2/` (the API check), which also shows whether and how
 * the registry wants authentication.
 *
 * Authentication: on a 401 with `WWW-Authenticate: Bearer realm,service,
 * scope`, a token is asked from the realm (anonymously, or with the
 * credentials as Basic auth) for the scope (default repository:NAME:pull)
 * and the request is sent again once with `Authorization: Bearer`; a Basic
 * challenge gets the credentials themselves. A request is retried at most
 * once, after one new token: a second 401 is the answer.
 *
 * Redirects (registries send blobs to their storage): followed by hand, at
 * most 10, to http(s) only (plain HTTP under the same rule as the registry);
 * the Authorization header goes only to the registry's own scheme, host and
 * port, never to the storage host. Credentials go only to the token realm
 * or, for Basic, to the registry.
 *
 * Everything read into memory is bounded (manifests and tokens 4 MiB, the
 * config 16 MiB, error bodies 64 KiB); layers are streamed to a descriptor.
 * Every blob's bytes are hashed as they arrive and checked against the
 * descriptor's digest and size; a manifest fetched by digest is checked
 * against it, and one fetched by tag against the registry's
 * Docker-Content-Digest when it sends one.
 *
 * Errors name the HTTP status and the registry's error codes and messages
 * from its JSON body ({"errors":[{"code","message"}]}: MANIFEST_UNKNOWN,
 * NAME_UNKNOWN, UNAUTHORIZED, DENIED, TOOMANYREQUESTS with Retry-After).
 */
#ifndef DE_REG_REGISTRY_H
#define DE_REG_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/strvec.h"
#include "auth.h"
#include "http.h"
#include "manifest.h"
#include "reference.h"

#define REG_MANIFEST_MAX (4u << 20)
#define REG_TOKEN_MAX (4u << 20)
#define REG_CONFIG_MAX (16u << 20)
#define REG_MAX_REDIRECTS 10

typedef struct reg_conf {
	const strvec *insecure;   /* --insecure-registry HOST[:PORT] */
	const char *ca_file;      /* --ca-cert */
	const reg_cred *cred;     /* NULL: anonymous */
} reg_conf;

typedef struct reg_client {
	reg_http *http;
	const reg_ref *ref;
	const reg_conf *conf;
	char *host;        /* API host[:port] */
	char *base;        /* "https://host[:port]" once the API check passed */
	char *auth;        /* the Authorization value for the registry */
	bool anonymous;    /* the token was asked without credentials */
	long last_status;  /* of the last answer reg_fetch_manifest had */
} reg_client;

/* The API check and, when asked for, the first token. */
int reg_open(reg_client *c, const reg_ref *r, const reg_conf *conf, de_err *e);
void reg_close(reg_client *c);

/* GET /v2/<name>/manifests/<target>: the bytes as served (bounded), the
 * Content-Type, checked against a digest target. */
int reg_fetch_manifest(reg_client *c, const char *target, dbuf *body, char **content_type,
                       de_err *e);

/* After a 404 for a tag: what the repository's tag list says, appended to
 * out as " (…)": its tags (the first 20 of the first page), or the error
 * (NAME_UNKNOWN: the registry has no such repository). One request;
 * nothing is appended when it fails otherwise. */
void reg_explain_unknown(reg_client *c, dbuf *out);

/* Called as a blob arrives: bytes so far, of total (-1 unknown). */
typedef void reg_progress_fn(void *arg, uint64_t done, int64_t total);

/* A blob into memory (at most max bytes), or streamed to fd; either way
 * verified against d's digest and size. */
int reg_fetch_blob(reg_client *c, const reg_desc *d, size_t max, dbuf *out, de_err *e);
int reg_fetch_blob_fd(reg_client *c, const reg_desc *d, int fd, reg_progress_fn *progress,
                      void *arg, de_err *e);

/* "HTTP 404 MANIFEST_UNKNOWN: manifest unknown" from a response; with the
 * Retry-After of a 429. Exposed for the tests. */
void reg_describe_status(const reg_resp *r, dbuf *out);

/* The SHA-256/SHA-512 of data as "algo:hex" matching digest's algorithm. */
char *reg_digest_of(const char *digest_algo_of, const void *data, size_t n);

#endif
