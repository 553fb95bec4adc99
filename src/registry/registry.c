/*
 * registry.c — see registry.h.
 */
#include "registry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "../util/jget.h"

/* --- statuses and the registry's error bodies --- */

/* A server's text in a message: printable ASCII only, bounded. */
static void add_clean(dbuf *b, const char *s, size_t max)
{
	size_t n = 0;
	for (; s && *s && n < max; s++, n++)
		db_addf(b, "%c", (*s >= 0x20 && *s < 0x7f) ? *s : '?');
	if (s && *s)
		db_adds(b, "…");
}

void reg_describe_status(const reg_resp *r, dbuf *out)
{
	db_addf(out, "HTTP %ld", r->status);
	json_error_t je;
	json_t *j = r->body.len ? json_loadb(r->body.p, r->body.len, 0, &je) : NULL;
	json_t *errs = jget_arr(j, "errors");
	size_t shown = 0;
	for (size_t i = 0; errs && i < json_array_size(errs) && shown < 3; i++) {
		json_t *x = json_array_get(errs, i);
		const char *code = jget_str(x, "code"), *msg = jget_str(x, "message");
		if (!code && !msg)
			continue;
		db_adds(out, shown++ ? "; " : " ");
		add_clean(out, code ? code : "(no code)", 64);
		if (msg) {
			db_adds(out, ": ");
			add_clean(out, msg, 200);
		}
	}
	if (!shown) {
		/* token servers answer {"details": "…"} (Docker Hub's auth) */
		const char *d = jget_str(j, "details");
		if (!d)
			d = jget_str(j, "error");
		if (d) {
			db_adds(out, ": ");
			add_clean(out, d, 200);
		}
	}
	json_decref(j);
	if (r->status == 429) {
		/* Retry-After: seconds, or an HTTP date */
		const char *ra = r->retry_after;
		if (!ra) {
			db_adds(out, "; the registry asks to wait (no Retry-After)");
		} else if (*ra && strspn(ra, "0123456789") == strlen(ra)) {
			db_adds(out, "; the registry asks to wait ");
			add_clean(out, ra, 20);
			db_adds(out, " s before trying again (Retry-After)");
		} else {
			db_adds(out, "; the registry asks to wait until ");
			add_clean(out, ra, 64);
			db_adds(out, " (Retry-After)");
		}
	}
}

static int fail_status(const reg_resp *r, de_err *e, const char *fmt, const char *what)
{
	dbuf b = {0};
	reg_describe_status(r, &b);
	de_fail(e, fmt, what, b.p);
	db_free(&b);
	return -1;
}

/* --- where plain HTTP and credentials may go --- */

/* The port written after a host ("h:5000", "[::1]:5000"), else dflt. */
static long port_of(const char *hostport, long dflt)
{
	const char *p = NULL;
	if (hostport[0] == '[') {
		const char *close = strchr(hostport, ']');
		if (close && close[1] == ':')
			p = close + 2;
	} else {
		const char *colon = strchr(hostport, ':');
		if (colon && !strchr(colon + 1, ':'))
			p = colon + 1;
	}
	return p ? strtol(p, NULL, 10) : dflt;
}

/* host: as in a URL (an IPv6 literal in brackets or not). */
static bool plain_ok(const reg_client *c, const char *host, long port)
{
	if (reg_host_is_loopback(host))
		return true;
	char *bare = reg_host_only(host);
	bool ok = false;
	for (size_t i = 0; !ok && c->conf->insecure && i < c->conf->insecure->n; i++) {
		/* "HOST" allows every port, "HOST:PORT" that one */
		const char *h = c->conf->insecure->v[i];
		char *only = reg_host_only(h);
		long p = port_of(h, -1);
		ok = !strcasecmp(only, bare) && (p < 0 || p == port);
		free(only);
	}
	free(bare);
	return ok;
}

static bool url_allowed(const reg_client *c, const char *url, de_err *e)
{
	char *scheme, *host;
	long port;
	if (reg_url_origin(url, &scheme, &host, &port) < 0)
		return de_fail(e, "%.200s: not an http or https URL", url), false;
	bool ok = !strcmp(scheme, "https") || plain_ok(c, host, port);
	if (!ok)
		de_fail(e, "%.200s: plain HTTP to a registry that is neither loopback nor named "
		           "with --insecure-registry; refused", url);
	free(scheme);
	free(host);
	return ok;
}

static bool same_origin(const char *a, const char *b)
{
	char *sa, *ha, *sb, *hb;
	long pa, pb;
	if (reg_url_origin(a, &sa, &ha, &pa) < 0)
		return false;
	if (reg_url_origin(b, &sb, &hb, &pb) < 0) {
		free(sa), free(ha);
		return false;
	}
	bool same = !strcmp(sa, sb) && !strcasecmp(ha, hb) && pa == pb;
	free(sa), free(ha), free(sb), free(hb);
	return same;
}

/* --- the token flow --- */

static int get_token(reg_client *c, const reg_challenge *ch, de_err *e)
{
	if (!ch->realm)
		return de_fail(e, "%s asks for a Bearer token but names no realm", c->host);
	if (!url_allowed(c, ch->realm, e))
		return de_fail_wrap(e, "token realm");
	char *scope = ch->scope ? xstrdup(ch->scope) : xasprintf("repository:%s:pull", c->ref->path);
	char *url = reg_token_url(ch->realm, ch->service, scope);
	free(scope);
	const reg_cred *cr = c->conf->cred;
	char *basic = cr && cr->user ? reg_basic_header(cr) : NULL;
	reg_get g = {.url = url, .authorization = basic, .max_body = REG_TOKEN_MAX,
	             .ca_file = c->conf->ca_file};
	reg_resp r;
	int rc = reg_http_get(c->http, &g, &r, NULL, e);
	if (basic)
		explicit_bzero(basic, strlen(basic));
	free(basic);
	if (rc == 0 && r.status != 200) {
		char *who = cr && cr->user ? xasprintf("the credentials of %s (from %s)", cr->user,
		                                       cr->source)
		                           : xstrdup("an anonymous request");
		dbuf b = {0};
		reg_describe_status(&r, &b);
		rc = de_fail(e, "the token server %.200s refused %s: %s", ch->realm, who, b.p);
		db_free(&b);
		free(who);
	} else if (rc == 0) {
		char *tok = reg_token_from_json(r.body.p, r.body.len, e);
		if (!tok) {
			rc = de_fail_wrap(e, "%.200s", ch->realm);
		} else {
			free(c->auth);
			c->auth = xasprintf("Bearer %s", tok);
			c->anonymous = !(cr && cr->user);
			explicit_bzero(tok, strlen(tok));
			free(tok);
		}
	}
	free(url);
	reg_resp_free(&r);
	return rc;
}

/* Answers a 401's challenge; -1 when it cannot be answered. */
static int authenticate(reg_client *c, const char *header, de_err *e)
{
	reg_challenge ch;
	if (reg_challenge_parse(header, &ch, e) < 0)
		return de_fail_wrap(e, "%s", c->host);
	int rc;
	if (!strcasecmp(ch.scheme, "Bearer")) {
		rc = get_token(c, &ch, e);
	} else if (!strcasecmp(ch.scheme, "Basic")) {
		const reg_cred *cr = c->conf->cred;
		if (cr && cr->user) {
			free(c->auth);
			c->auth = reg_basic_header(cr);
			c->anonymous = false;
			rc = 0;
		} else {
			rc = de_fail(e, "%s asks for a user name and password (Basic): give --user or "
			                "log in with docker login", c->host);
		}
	} else {
		rc = de_fail(e, "%s asks for authentication by \"%.40s\", which de does not speak",
		             c->host, ch.scheme);
	}
	reg_challenge_free(&ch);
	return rc;
}

/* --- one request to the registry, with its token and redirects --- */

static int request(reg_client *c, const char *path, reg_get g, reg_resp *r, de_err *e)
{
	char *url = xasprintf("%s%s", c->base, path);
	bool retried = false;
	int hops = 0, rc;
	for (;;) {
		bool ours = same_origin(url, c->base);
		g.url = url;
		g.authorization = ours ? c->auth : NULL;
		g.ca_file = c->conf->ca_file;
		rc = reg_http_get(c->http, &g, r, NULL, e);
		if (rc < 0)
			break;
		if (r->status == 401 && ours && !retried && r->www_authenticate) {
			retried = true;
			char *h = xstrdup(r->www_authenticate);
			reg_resp_free(r);
			rc = authenticate(c, h, e);
			free(h);
			if (rc < 0)
				break;
			continue;
		}
		bool redirect = r->status == 301 || r->status == 302 || r->status == 303 ||
		                r->status == 307 || r->status == 308;
		if (!redirect || !r->location)
			break;
		char *next = reg_url_resolve(url, r->location);
		reg_resp_free(r);
		if (!next) {
			rc = de_fail(e, "%.200s: a redirect to an unreadable location", url);
			break;
		}
		if (++hops > REG_MAX_REDIRECTS) {
			free(next);
			rc = de_fail(e, "%.200s: more than %d redirects", url, REG_MAX_REDIRECTS);
			break;
		}
		if (!url_allowed(c, next, e)) {
			free(next);
			rc = de_fail_wrap(e, "redirected from %.200s", url);
			break;
		}
		de_debug("redirected to %s%s", next, same_origin(next, c->base) ? "" :
		         " (another host: no credentials sent)");
		free(url);
		url = next;
	}
	free(url);
	return rc;
}

static void add_auth_hint(const reg_client *c, const reg_resp *r, de_err *e)
{
	if (r->status != 401 && r->status != 403)
		return;
	size_t n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, "%s",
	         c->anonymous || !c->auth
	             ? " (anonymous access: the repository may not exist, or needs credentials: "
	               "--user, or docker login)"
	             : " (the credentials were accepted by the token server but do not allow "
	               "pulling this repository)");
}

/* --- the API check --- */

static int ping(reg_client *c, const char *scheme, bool *tls_failed, de_err *e)
{
	free(c->base);
	c->base = xasprintf("%s://%s", scheme, c->host);
	char *url = xasprintf("%s/v2/", c->base);
	reg_get g = {.url = url, .max_body = REG_MANIFEST_MAX, .ca_file = c->conf->ca_file};
	reg_resp r;
	int rc = reg_http_get(c->http, &g, &r, tls_failed, e);
	if (rc == 0) {
		if (r.status == 401 && r.www_authenticate)
			rc = authenticate(c, r.www_authenticate, e);
		else if (r.status != 200 && r.status != 401)
			rc = fail_status(&r, e, "%s: not a registry of the v2 API (GET /v2/: %s)", url);
	}
	free(url);
	reg_resp_free(&r);
	return rc;
}

int reg_open(reg_client *c, const reg_ref *ref, const reg_conf *conf, de_err *e)
{
	memset(c, 0, sizeof *c);
	c->ref = ref;
	c->conf = conf;
	c->host = xstrdup(reg_ref_api_host(ref));
	c->http = reg_http_new(e);
	if (!c->http)
		return -1;
	bool tls_failed;
	if (ping(c, "https", &tls_failed, e) == 0)
		return 0;
	bool allowed = plain_ok(c, c->host, port_of(c->host, 443));
	if (tls_failed && !allowed)
		de_fail_wrap(e, "no TLS at %s (a plain HTTP registry? de speaks plain HTTP only to "
		                "loopback registries and those named with --insecure-registry)", c->host);
	if (!tls_failed || !allowed)
		return -1;
	/* Docker's rule for insecure registries: HTTPS first, then HTTP */
	de_debug("%s: no TLS (%s); plain HTTP, as for an insecure registry", c->host, e->msg);
	bool again;
	return ping(c, "http", &again, e);
}

void reg_close(reg_client *c)
{
	reg_http_free(c->http);
	free(c->host);
	free(c->base);
	if (c->auth)
		explicit_bzero(c->auth, strlen(c->auth));
	free(c->auth);
	memset(c, 0, sizeof *c);
}

/* --- digests --- */

static const EVP_MD *md_of(const char *digest)
{
	return !strncmp(digest, "sha512:", 7) ? EVP_sha512() : EVP_sha256();
}

static char *hex_digest(const char *algo_of, EVP_MD_CTX *ctx)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(ctx, md, &n);
	dbuf b = {0};
	db_add(&b, algo_of, strcspn(algo_of, ":") + 1);
	for (unsigned i = 0; i < n; i++)
		db_addf(&b, "%02x", md[i]);
	return db_take(&b);
}

char *reg_digest_of(const char *algo_of, const void *data, size_t n)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, md_of(algo_of), NULL);
	EVP_DigestUpdate(ctx, data, n);
	char *d = hex_digest(algo_of, ctx);
	EVP_MD_CTX_free(ctx);
	return d;
}

/* --- manifests --- */

int reg_fetch_manifest(reg_client *c, const char *target, dbuf *body, char **content_type,
                       de_err *e)
{
	char *path = xasprintf("/v2/%s/manifests/%s", c->ref->path, target);
	reg_get g = {.accept = REG_ACCEPT_MANIFESTS, .max_body = REG_MANIFEST_MAX};
	reg_resp r;
	int rc = request(c, path, g, &r, e);
	c->last_status = rc == 0 ? r.status : 0;
	if (rc == 0 && r.status != 200) {
		rc = fail_status(&r, e, "GET %s: %s", path);
		add_auth_hint(c, &r, e);
	}
	if (rc == 0) {
		/* a digest names the bytes; a tag's answer may say its digest */
		const char *want = reg_digest_valid(target) ? target
		                 : reg_digest_valid(r.content_digest) ? r.content_digest : NULL;
		char *got = want ? reg_digest_of(want, r.body.p ? r.body.p : "", r.body.len) : NULL;
		if (want && strcmp(got, want))
			rc = de_fail(e, "GET %s: the manifest's bytes hash to %s, not %s%s", path, got,
			             want, want == target ? "" : " (the registry's Docker-Content-Digest)");
		free(got);
	}
	if (rc == 0) {
		*body = r.body;
		memset(&r.body, 0, sizeof r.body);
		*content_type = r.content_type ? xstrdup(r.content_type) : NULL;
	}
	reg_resp_free(&r);
	free(path);
	return rc;
}

void reg_explain_unknown(reg_client *c, dbuf *out)
{
	char *path = xasprintf("/v2/%s/tags/list?n=100", c->ref->path);
	reg_get g = {.max_body = REG_MANIFEST_MAX};
	reg_resp r;
	de_err e;
	if (request(c, path, g, &r, &e) < 0) {
		free(path);
		return;
	}
	json_error_t je;
	json_t *j = r.status == 200 ? json_loadb(r.body.p, r.body.len, 0, &je) : NULL;
	json_t *tags = jget_arr(j, "tags");
	if (r.status != 200) {
		path[strcspn(path, "?")] = 0;
		db_addf(out, " (GET %s: ", path);
		reg_describe_status(&r, out);
		db_adds(out, ")");
	} else if (tags) {
		size_t n = json_array_size(tags);
		db_adds(out, n ? " (the repository's tags: " : " (the repository has no tags");
		for (size_t i = 0; i < n && i < 20; i++) {
			db_adds(out, i ? ", " : "");
			add_clean(out, json_string_value(json_array_get(tags, i)), 128);
		}
		if (n > 20)
			db_addf(out, ", … %zu in all", n);
		db_adds(out, ")");
	}
	json_decref(j);
	reg_resp_free(&r);
	free(path);
}

/* --- blobs --- */

typedef struct blob_sink {
	EVP_MD_CTX *md;
	uint64_t got;
	int64_t want;
	int fd;            /* -1: into mem */
	dbuf *mem;
	size_t max;
	reg_progress_fn *progress;
	void *arg;
} blob_sink;

static int blob_write(void *arg, const void *p, size_t n, de_err *e)
{
	blob_sink *s = arg;
	if (s->want >= 0 && s->got + n > (uint64_t)s->want)
		return de_fail(e, "the registry sends more than the %lld bytes the manifest gives",
		               (long long)s->want);
	if (s->fd < 0 && s->got + n > s->max)
		return de_fail(e, "larger than %zu bytes; not read", s->max);
	EVP_DigestUpdate(s->md, p, n);
	s->got += n;
	if (s->fd < 0) {
		db_add(s->mem, p, n);
	} else {
		for (const char *q = p; n;) {
			ssize_t w = write(s->fd, q, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return de_fail_errno(e, errno, "write");
			q += w, n -= (size_t)w;
		}
	}
	if (s->progress)
		s->progress(s->arg, s->got, s->want);
	return 0;
}

static int fetch_blob(reg_client *c, const reg_desc *d, blob_sink *s, de_err *e)
{
	char *path = xasprintf("/v2/%s/blobs/%s", c->ref->path, d->digest);
	s->md = EVP_MD_CTX_new();
	EVP_DigestInit_ex(s->md, md_of(d->digest), NULL);
	s->want = d->size;
	reg_get g = {.max_body = s->max, .sink = blob_write, .sink_arg = s};
	reg_resp r;
	int rc = request(c, path, g, &r, e);
	if (rc < 0) {
		de_fail_wrap(e, "GET %s", path);
	} else if (r.status != 200) {
		rc = fail_status(&r, e, "GET %s: %s", path);
		add_auth_hint(c, &r, e);
	} else {
		char *got = hex_digest(d->digest, s->md);
		if ((int64_t)s->got != d->size)
			rc = de_fail(e, "GET %s: %llu bytes, the manifest gives %lld", path,
			             (unsigned long long)s->got, (long long)d->size);
		else if (strcmp(got, d->digest))
			rc = de_fail(e, "GET %s: digest mismatch: the bytes hash to %s", path, got);
		free(got);
	}
	reg_resp_free(&r);
	EVP_MD_CTX_free(s->md);
	free(path);
	return rc;
}

int reg_fetch_blob(reg_client *c, const reg_desc *d, size_t max, dbuf *out, de_err *e)
{
	if (d->size > (int64_t)max)
		return de_fail(e, "%s: %lld bytes, more than the %zu de reads into memory", d->digest,
		               (long long)d->size, max);
	blob_sink s = {.fd = -1, .mem = out, .max = max};
	return fetch_blob(c, d, &s, e);
}

int reg_fetch_blob_fd(reg_client *c, const reg_desc *d, int fd, reg_progress_fn *progress,
                      void *arg, de_err *e)
{
	blob_sink s = {.fd = fd, .progress = progress, .arg = arg, .max = SIZE_MAX};
	return fetch_blob(c, d, &s, e);
}
