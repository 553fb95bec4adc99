/*
 * http.c — see http.h.
 *
 * libcurl is loaded with dlopen() when a request is first made, not linked:
 * linked, it loads GnuTLS (through librtmp and libldap), whose constructor
 * reads /etc/gnutls/config in every run of de — a file outside --root for
 * every command that reads evidence and never needs the network.
 */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "../util/dynlib.h"

#ifndef DE_VERSION
#define DE_VERSION "0.1.0"
#endif

#define ERROR_BODY_MAX (64u << 10)

struct reg_http {
	CURL *curl;
};

typedef struct xfer {
	CURL *curl;
	const reg_get *g;
	reg_resp *r;
	bool too_big;
	bool sink_failed;
	de_err sink_err;
} xfer;

/* The libcurl functions de calls, from the library Debian's libcurl4
 * installs (its SONAME). */
static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	void (*url_cleanup)(CURLU *);
	void (*free)(void *);
} C;

static int load_curl(de_err *e)
{
	static int state;   /* 0 not tried, 1 loaded, -1 failed */
	static char why[256];
	if (state == 0) {
		state = -1;
		static const de_dynsym syms[] = {
#define SYM(f) {offsetof(__typeof__(C), f), "curl_" #f}
			SYM(global_init), SYM(easy_init), SYM(easy_cleanup), SYM(easy_reset),
			SYM(easy_setopt), SYM(easy_perform), SYM(easy_getinfo), SYM(easy_strerror),
			SYM(slist_append), SYM(slist_free_all), SYM(url), SYM(url_set), SYM(url_get),
			SYM(url_cleanup), SYM(free),
#undef SYM
		};
		bool loaded = de_dynlib_load("libcurl.so.4", &C, syms, sizeof syms / sizeof *syms, why,
		                        sizeof why) == 0;
		if (loaded && C.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
			state = 1;
	}
	if (state < 0)
		return de_fail(e, "libcurl could not be loaded (%s): install Debian's libcurl4", why);
	return 0;
}

reg_http *reg_http_new(de_err *e)
{
	if (load_curl(e) < 0)
		return NULL;
	reg_http *h = xcalloc(1, sizeof *h);
	h->curl = C.easy_init();
	if (!h->curl) {
		free(h);
		de_fail(e, "libcurl could not start");
		return NULL;
	}
	return h;
}

void reg_http_free(reg_http *h)
{
	if (!h)
		return;
	C.easy_cleanup(h->curl);
	free(h);
}

static void clear_headers(reg_resp *r)
{
	free(r->content_type);
	free(r->www_authenticate);
	free(r->location);
	free(r->retry_after);
	free(r->content_digest);
	r->content_type = r->www_authenticate = r->location = r->retry_after =
		r->content_digest = NULL;
	r->content_length = -1;
}

void reg_resp_free(reg_resp *r)
{
	clear_headers(r);
	db_free(&r->body);
	memset(r, 0, sizeof *r);
}

static void keep_header(char **slot, const char *v, size_t n)
{
	if (*slot)
		return;   /* the first one: a second WWW-Authenticate is another scheme */
	*slot = xstrndup(v, n);
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *arg)
{
	xfer *x = arg;
	size_t n = size * nitems;
	if (n >= 5 && !strncmp(buf, "HTTP/", 5)) {
		/* a new response (after a 100 Continue): forget the last one's */
		clear_headers(x->r);
		x->r->body.len = 0;
		return n;
	}
	const char *colon = memchr(buf, ':', n);
	if (!colon)
		return n;
	size_t nl = (size_t)(colon - buf);
	const char *v = colon + 1, *end = buf + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	size_t vl = (size_t)(end - v);
	static const struct {
		const char *name;
		size_t off;
	} known[] = {
		{"content-type", offsetof(reg_resp, content_type)},
		{"www-authenticate", offsetof(reg_resp, www_authenticate)},
		{"location", offsetof(reg_resp, location)},
		{"retry-after", offsetof(reg_resp, retry_after)},
		{"docker-content-digest", offsetof(reg_resp, content_digest)},
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strlen(known[i].name) == nl && !strncasecmp(buf, known[i].name, nl))
			keep_header((char **)((char *)x->r + known[i].off), v, vl);
	if (nl == 14 && !strncasecmp(buf, "content-length", 14)) {
		char *tmp = xstrndup(v, vl), *e;
		long long cl = strtoll(tmp, &e, 10);
		if (e != tmp && !*e && cl >= 0)
			x->r->content_length = cl;
		free(tmp);
	}
	return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	xfer *x = arg;
	size_t n = size * nmemb;
	long status = 0;
	C.easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300) {
		if (x->g->sink) {
			if (x->g->sink(x->g->sink_arg, p, n, &x->sink_err) < 0) {
				x->sink_failed = true;
				return 0;
			}
			return n;
		}
		if (x->r->body.len + n > x->g->max_body) {
			x->too_big = true;
			return 0;
		}
		db_add(&x->r->body, p, n);
		return n;
	}
	if (x->r->body.len < ERROR_BODY_MAX) {
		size_t room = ERROR_BODY_MAX - x->r->body.len;
		db_add(&x->r->body, p, n < room ? n : room);
	}
	return n;
}

int reg_http_get(reg_http *h, const reg_get *g, reg_resp *r, bool *tls_failed, de_err *e)
{
	memset(r, 0, sizeof *r);
	r->content_length = -1;
	if (tls_failed)
		*tls_failed = false;
	CURL *c = h->curl;
	C.easy_reset(c);
	xfer x = {.curl = c, .g = g, .r = r};
	struct curl_slist *hdr = NULL;
	char *line = NULL;
	if (g->accept) {
		line = xasprintf("Accept: %s", g->accept);
		hdr = C.slist_append(hdr, line);
		free(line);
	}
	if (g->authorization) {
		line = xasprintf("Authorization: %s", g->authorization);
		hdr = C.slist_append(hdr, line);
		explicit_bzero(line, strlen(line));
		free(line);
	}
	C.easy_setopt(c, CURLOPT_URL, g->url);
	C.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	C.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	C.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	C.easy_setopt(c, CURLOPT_USERAGENT, "de/" DE_VERSION);
	C.easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	C.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	C.easy_setopt(c, CURLOPT_HEADERDATA, &x);
	C.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	C.easy_setopt(c, CURLOPT_WRITEDATA, &x);
	C.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	if (g->sink) {
		C.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		C.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	} else {
		C.easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	}
	if (g->ca_file)
		C.easy_setopt(c, CURLOPT_CAINFO, g->ca_file);
	char ebuf[CURL_ERROR_SIZE] = "";
	C.easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = C.easy_perform(c);
	C.slist_free_all(hdr);
	if (rc == CURLE_OK) {
		C.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		de_debug("GET %s: HTTP %ld", g->url, r->status);
		return 0;
	}
	if (x.sink_failed) {
		snprintf(e->msg, sizeof e->msg, "%s", x.sink_err.msg);
	} else if (x.too_big) {
		de_fail(e, "GET %s: the answer is larger than %zu bytes; not read", g->url,
		        g->max_body);
	} else {
		if (tls_failed)
			*tls_failed = rc == CURLE_SSL_CONNECT_ERROR;
		de_fail(e, "GET %s: %s", g->url, *ebuf ? ebuf : C.easy_strerror(rc));
	}
	reg_resp_free(r);
	return -1;
}

int reg_url_origin(const char *url, char **scheme, char **host, long *port)
{
	if (load_curl(NULL) < 0)
		return -1;
	CURLU *u = C.url();
	char *s = NULL, *h = NULL, *p = NULL;
	int rc = -1;
	if (C.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    C.url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
	    (!strcmp(s, "http") || !strcmp(s, "https")) &&
	    C.url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    C.url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		*scheme = xstrdup(s);
		*host = xstrdup(h);
		*port = strtol(p, NULL, 10);
		rc = 0;
	}
	C.free(s);
	C.free(h);
	C.free(p);
	C.url_cleanup(u);
	return rc;
}

char *reg_url_resolve(const char *base, const char *ref)
{
	if (load_curl(NULL) < 0)
		return NULL;
	CURLU *u = C.url();
	char *s = NULL, *out = NULL;
	if (C.url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    C.url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    C.url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	C.free(s);
	C.url_cleanup(u);
	return out;
}
