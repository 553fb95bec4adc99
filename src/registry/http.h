/*
 * http.h — one HTTP GET over libcurl, and nothing more: no redirect is
 * followed (the registry client decides where a redirect may take the
 * credentials), only http and https are spoken, TLS peers are verified.
 *
 * A 2xx body goes to a sink when one is given (layers are streamed), else
 * into memory up to max_body bytes (more is an error: manifests, configs
 * and tokens are small). Other bodies (errors, redirects) are kept up to
 * 64 KiB, the rest dropped: enough for a registry's error JSON.
 * Timeouts: 30 s to connect; a request whose body is held in memory must
 * end within 5 minutes; a streamed one may take as long as it needs but is
 * abandoned after 60 s without a byte.
 */
#ifndef DE_REG_HTTP_H
#define DE_REG_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/diag.h"
#include "../util/strvec.h"

/* Returns 0, or -1 (with e) to abort the transfer. */
typedef int reg_sink_fn(void *arg, const void *p, size_t n, de_err *e);

typedef struct reg_get {
	const char *url;
	const char *accept;        /* Accept header, or NULL */
	const char *authorization; /* Authorization value, or NULL */
	size_t max_body;
	reg_sink_fn *sink;
	void *sink_arg;
	const char *ca_file;       /* trust these CAs instead of the system's */
} reg_get;

typedef struct reg_resp {
	long status;
	char *content_type, *www_authenticate, *location, *retry_after, *content_digest;
	int64_t content_length;    /* -1 unknown */
	dbuf body;
} reg_resp;

typedef struct reg_http reg_http;

/* NULL (and e) when libcurl cannot be loaded or started. */
reg_http *reg_http_new(de_err *e);
void reg_http_free(reg_http *h);
/* -1 when no HTTP answer came (connection, TLS, timeout, a sink's error,
 * a body over max_body); a response of any status is 0. tls_failed is set
 * when the failure was in the TLS handshake (a plain HTTP server). */
int reg_http_get(reg_http *h, const reg_get *g, reg_resp *r, bool *tls_failed, de_err *e);
void reg_resp_free(reg_resp *r);

/* The scheme, host and port of url ("https", "example.org", 443); -1 when
 * url is not an absolute http(s) URL. */
int reg_url_origin(const char *url, char **scheme, char **host, long *port);
/* ref resolved against base (a redirect's Location); NULL when invalid. */
char *reg_url_resolve(const char *base, const char *ref);

#endif
