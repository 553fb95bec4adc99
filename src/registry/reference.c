/*
 * reference.c — see reference.h. Every part is checked character by
 * character against the grammar; nothing from the command line reaches a
 * URL or a path unchecked.
 */
#include "reference.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strvec.h"

#define NAME_MAX_LEN 255
#define TAG_MAX_LEN 128

static bool lower_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )* */
static bool component_ok(const char *s, size_t n)
{
	size_t i = 0;
	for (;;) {
		size_t start = i;
		while (i < n && lower_alnum((unsigned char)s[i]))
			i++;
		if (i == start)
			return false;
		if (i == n)
			return true;
		size_t sep = i;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i += (i + 1 < n && s[i + 1] == '_') ? 2 : 1;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		}
		if (i == sep)
			return false;
	}
}

static bool label_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* host [":" port]; host: labels joined by '.', or "[" IPv6 "]". */
static bool domain_ok(const char *s, size_t n)
{
	size_t hl = n;
	const char *colon = NULL;
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1)
			return false;
		for (const char *p = s + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		hl = (size_t)(close - s) + 1;
		if (hl < n) {
			if (s[hl] != ':')
				return false;
			colon = s + hl;
		}
	} else {
		colon = memchr(s, ':', n);
		if (colon)
			hl = (size_t)(colon - s);
		size_t start = 0;
		for (size_t i = 0; i <= hl; i++) {
			if (i == hl || s[i] == '.') {
				if (!label_ok(s + start, i - start))
					return false;
				start = i + 1;
			}
		}
	}
	if (colon) {
		size_t pl = n - (size_t)(colon + 1 - s);
		if (pl == 0 || pl > 5)
			return false;
		long port = 0;
		for (const char *p = colon + 1; p < s + n; p++) {
			if (!isdigit((unsigned char)*p))
				return false;
			port = port * 10 + (*p - '0');
		}
		if (port > 65535)
			return false;
	}
	return true;
}

static bool tag_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > TAG_MAX_LEN)
		return false;
	if (!isalnum((unsigned char)t[0]) && t[0] != '_')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && !strchr("_.-", t[i]))
			return false;
	return true;
}

static bool hex_lower(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

int reg_digest_valid(const char *d)
{
	if (!d)
		return 0;
	if (!strncmp(d, "sha256:", 7))
		return hex_lower(d + 7, 64);
	if (!strncmp(d, "sha512:", 7))
		return hex_lower(d + 7, 128);
	return 0;
}

void reg_ref_free(reg_ref *r)
{
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof *r);
}

/* Docker's splitDockerDomain: the first component is a domain when it has
 * a '.' or ':', is "localhost", or has an uppercase letter (which a path
 * component cannot). */
static bool is_domain(const char *s, size_t n)
{
	if (memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !memcmp(s, "localhost", 9)))
		return true;
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)s[i]))
			return true;
	return false;
}

static int parse_name(const char *name, reg_ref *r, const char *whole, de_err *e)
{
	size_t n = strlen(name);
	if (n == 0)
		return de_fail(e, "%s: invalid reference: no repository name", whole);
	if (n > NAME_MAX_LEN)
		return de_fail(e, "%s: invalid reference: the repository name is longer than %d bytes",
		               whole, NAME_MAX_LEN);
	const char *slash = strchr(name, '/');
	const char *rest = name;
	if (slash && is_domain(name, (size_t)(slash - name))) {
		if (!domain_ok(name, (size_t)(slash - name)))
			return de_fail(e, "%s: invalid reference: bad registry host \"%.*s\"", whole,
			               (int)(slash - name), name);
		r->domain = xstrndup(name, (size_t)(slash - name));
		rest = slash + 1;
	}
	for (const char *c = rest;;) {
		const char *end = strchr(c, '/');
		size_t cl = end ? (size_t)(end - c) : strlen(c);
		if (!component_ok(c, cl)) {
			for (size_t i = 0; i < cl; i++)
				if (isupper((unsigned char)c[i]))
					return de_fail(e, "%s: invalid reference: repository name must be "
					                  "lowercase", whole);
			return de_fail(e, "%s: invalid reference: bad name component \"%.*s\"", whole,
			               (int)cl, c);
		}
		if (!end)
			break;
		c = end + 1;
	}
	if (!r->domain || !strcmp(r->domain, "index.docker.io")) {
		free(r->domain);
		r->domain = xstrdup("docker.io");
	}
	if (!strcmp(r->domain, "docker.io") && !strchr(rest, '/')) {
		if (hex_lower(rest, 64))
			return de_fail(e, "%s: invalid reference: a name of 64 hex digits reads as an "
			                  "image ID, not a repository", whole);
		r->path = xasprintf("library/%s", rest);
	} else {
		r->path = xstrdup(rest);
	}
	return 0;
}

int reg_ref_parse(const char *s, reg_ref *r, de_err *e)
{
	memset(r, 0, sizeof *r);
	if (strlen(s) > 1024)
		return de_fail(e, "invalid reference: longer than 1024 bytes");
	char *name = xstrdup(s);
	int rc = -1;
	char *at = strchr(name, '@');
	if (at) {
		*at = 0;
		if (!reg_digest_valid(at + 1)) {
			de_fail(e, "%s: invalid reference: the digest must be sha256:<64 hex> or "
			           "sha512:<128 hex>", s);
			goto out;
		}
		r->digest = xstrdup(at + 1);
	}
	char *last_slash = strrchr(name, '/');
	char *colon = strrchr(last_slash ? last_slash : name, ':');
	if (colon) {
		*colon = 0;
		if (!tag_ok(colon + 1)) {
			de_fail(e, "%s: invalid reference: bad tag \"%s\"", s, colon + 1);
			goto out;
		}
		r->tag = xstrdup(colon + 1);
	}
	if (parse_name(name, r, s, e) < 0)
		goto out;
	if (!r->tag && !r->digest)
		r->tag = xstrdup("latest");
	rc = 0;
out:
	free(name);
	if (rc < 0)
		reg_ref_free(r);
	return rc;
}

char *reg_ref_string(const reg_ref *r)
{
	dbuf b = {0};
	db_addf(&b, "%s/%s", r->domain, r->path);
	if (r->tag)
		db_addf(&b, ":%s", r->tag);
	if (r->digest)
		db_addf(&b, "@%s", r->digest);
	return db_take(&b);
}

const char *reg_ref_target(const reg_ref *r)
{
	return r->digest ? r->digest : r->tag;
}

const char *reg_ref_api_host(const reg_ref *r)
{
	return strcmp(r->domain, "docker.io") ? r->domain : "registry-1.docker.io";
}

char *reg_host_only(const char *hostport)
{
	if (hostport[0] == '[') {
		const char *close = strchr(hostport, ']');
		return close ? xstrndup(hostport + 1, (size_t)(close - hostport - 1)) : xstrdup(hostport);
	}
	const char *colon = strchr(hostport, ':');
	/* two colons and no brackets: a bare IPv6 address, no port */
	if (colon && strchr(colon + 1, ':'))
		return xstrdup(hostport);
	return colon ? xstrndup(hostport, (size_t)(colon - hostport)) : xstrdup(hostport);
}

int reg_host_is_loopback(const char *hostport)
{
	char *h = reg_host_only(hostport);
	int yes = 0;
	struct in_addr a4;
	struct in6_addr a6;
	if (!strcasecmp(h, "localhost"))
		yes = 1;
	else if (inet_pton(AF_INET, h, &a4) == 1)
		yes = (ntohl(a4.s_addr) >> 24) == 127;
	else if (inet_pton(AF_INET6, h, &a6) == 1)
		yes = !memcmp(&a6, &in6addr_loopback, sizeof a6);
	free(h);
	return yes;
}

char *reg_ref_outdir(const reg_ref *r)
{
	dbuf b = {0};
	if (strcmp(r->domain, "docker.io"))
		db_addf(&b, "%s/", r->domain);
	db_addf(&b, "%s/%s", r->path, r->digest ? r->digest : r->tag);
	return db_take(&b);
}
