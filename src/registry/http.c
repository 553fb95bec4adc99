/*
 * http.c — see http.h.
 */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

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

reg_http *reg_http_new(void)
{
	static bool inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = true;
	}
	reg_http *h = xcalloc(1, sizeof *h);
	h->curl = curl_easy_init();
	if (!h->curl) {
		free(h);
		return NULL;
	}
	return h;
}

void reg_http_free(reg_http *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
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
	curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
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
	curl_easy_reset(c);
	xfer x = {.curl = c, .g = g, .r = r};
	struct curl_slist *hdr = NULL;
	char *line = NULL;
	if (g->accept) {
		line = xasprintf("Accept: %s", g->accept);
		hdr = curl_slist_append(hdr, line);
		free(line);
	}
	if (g->authorization) {
		line = xasprintf("Authorization: %s", g->authorization);
		hdr = curl_slist_append(hdr, line);
		explicit_bzero(line, strlen(line));
		free(line);
	}
	curl_easy_setopt(c, CURLOPT_URL, g->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "de/" DE_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	if (g->sink) {
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	} else {
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	}
	if (g->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, g->ca_file);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
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
		de_fail(e, "GET %s: %s", g->url, *ebuf ? ebuf : curl_easy_strerror(rc));
	}
	reg_resp_free(r);
	return -1;
}

int reg_url_origin(const char *url, char **scheme, char **host, long *port)
{
	CURLU *u = curl_url();
	char *s = NULL, *h = NULL, *p = NULL;
	int rc = -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
	    (!strcmp(s, "http") || !strcmp(s, "https")) &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		*scheme = xstrdup(s);
		*host = xstrdup(h);
		*port = strtol(p, NULL, 10);
		rc = 0;
	}
	curl_free(s);
	curl_free(h);
	curl_free(p);
	curl_url_cleanup(u);
	return rc;
}

char *reg_url_resolve(const char *base, const char *ref)
{
	CURLU *u = curl_url();
	char *s = NULL, *out = NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}
