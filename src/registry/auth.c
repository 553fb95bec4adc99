/*
 * auth.c — see auth.h.
 */
#include "auth.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "../util/jget.h"
#include "../util/strvec.h"

#define CONFIG_MAX (4u << 20)

void reg_challenge_free(reg_challenge *c)
{
	free(c->scheme);
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	memset(c, 0, sizeof *c);
}

/* RFC 7230 tchar. */
static int tchar(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token or a quoted string at *pp; NULL when neither. */
static char *param_value(const char **pp)
{
	const char *p = *pp;
	dbuf b = {0};
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			db_add(&b, p, 1);
		}
		if (*p != '"') {
			db_free(&b);
			return NULL;
		}
		p++;
	} else {
		const char *s = p;
		while (tchar((unsigned char)*p) || *p == '/' || *p == ':' || *p == '=')
			p++;
		db_add(&b, s, (size_t)(p - s));
	}
	*pp = p;
	return db_take(&b);
}

static void set_param(reg_challenge *c, const char *name, size_t n, char *value)
{
	char **slot = NULL;
	if (n == 5 && !strncasecmp(name, "realm", 5))
		slot = &c->realm;
	else if (n == 7 && !strncasecmp(name, "service", 7))
		slot = &c->service;
	else if (n == 5 && !strncasecmp(name, "scope", 5))
		slot = &c->scope;
	else if (n == 5 && !strncasecmp(name, "error", 5))
		slot = &c->error;
	if (slot && !*slot)
		*slot = value;
	else
		free(value);
}

int reg_challenge_parse(const char *value, reg_challenge *c, de_err *e)
{
	memset(c, 0, sizeof *c);
	const char *p = skip_ws(value);
	const char *s = p;
	while (tchar((unsigned char)*p))
		p++;
	if (p == s)
		return de_fail(e, "WWW-Authenticate \"%.80s\": no scheme", value);
	c->scheme = xstrndup(s, (size_t)(p - s));
	for (;;) {
		p = skip_ws(p);
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		const char *name = p;
		while (tchar((unsigned char)*p))
			p++;
		size_t nl = (size_t)(p - name);
		const char *q = skip_ws(p);
		if (nl && *q != '=')
			return 0;   /* the next challenge's scheme: ours ends */
		if (nl == 0) {
			reg_challenge_free(c);
			return de_fail(e, "WWW-Authenticate \"%.80s\": unreadable parameters", value);
		}
		p = skip_ws(q + 1);
		char *v = param_value(&p);
		if (!v) {
			reg_challenge_free(c);
			return de_fail(e, "WWW-Authenticate \"%.80s\": unterminated quoted string", value);
		}
		set_param(c, name, nl, v);
	}
}

/* RFC 3986 unreserved characters stay, every other byte is %XX. */
static void add_escaped(dbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || strchr("-._~", ch))
			db_add(b, s, 1);
		else
			db_addf(b, "%%%02X", ch);
	}
}

char *reg_token_url(const char *realm, const char *service, const char *scope)
{
	dbuf b = {0};
	db_adds(&b, realm);
	char sep = strchr(realm, '?') ? '&' : '?';
	if (service) {
		db_addf(&b, "%cservice=", sep);
		add_escaped(&b, service);
		sep = '&';
	}
	if (scope) {
		db_addf(&b, "%cscope=", sep);
		add_escaped(&b, scope);
	}
	return db_take(&b);
}

char *reg_token_from_json(const char *body, size_t len, de_err *e)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		de_fail(e, "the token server's answer is not a JSON object");
		return NULL;
	}
	const char *t = jget_str(j, "token");
	if (!t || !*t)
		t = jget_str(j, "access_token");
	char *out = NULL;
	if (!t || !*t)
		de_fail(e, "the token server's answer has no \"token\"");
	else
		out = xstrdup(t);
	json_decref(j);
	return out;
}

void reg_cred_free(reg_cred *c)
{
	free(c->user);
	if (c->pass)
		explicit_bzero(c->pass, strlen(c->pass));
	free(c->pass);
	free(c->source);
	memset(c, 0, sizeof *c);
}

void reg_cred_from_arg(const char *arg, reg_cred *c)
{
	memset(c, 0, sizeof *c);
	const char *colon = strchr(arg, ':');
	if (colon) {
		c->user = xstrndup(arg, (size_t)(colon - arg));
		c->pass = xstrdup(colon + 1);
	} else {
		c->user = xstrdup(arg);
	}
	c->source = xstrdup("--user");
}

char *reg_docker_config_path(void)
{
	const char *d = getenv("DOCKER_CONFIG");
	if (d && *d)
		return xasprintf("%s/config.json", d);
	const char *h = getenv("HOME");
	if (h && *h)
		return xasprintf("%s/.docker/config.json", h);
	return NULL;
}

/* Docker's ConvertToHostname: "https://host/v1/" -> "host". */
static char *key_host(const char *key)
{
	const char *s = key;
	if (!strncmp(s, "http://", 7))
		s += 7;
	else if (!strncmp(s, "https://", 8))
		s += 8;
	return xstrndup(s, strcspn(s, "/"));
}

static int host_matches(const char *key, const char *domain)
{
	char *h = key_host(key);
	int yes = !strcmp(h, domain);
	if (!strcmp(domain, "docker.io"))
		yes = yes || !strcmp(h, "index.docker.io") || !strcmp(h, "registry-1.docker.io");
	free(h);
	return yes;
}

static json_t *load_bounded(const char *path, de_err *e)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return NULL;
		de_fail_errno(e, errno, "%s", path);
		return json_false();
	}
	dbuf b = {0};
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len <= CONFIG_MAX)
		db_add(&b, buf, n);
	fclose(f);
	if (b.len > CONFIG_MAX) {
		db_free(&b);
		de_fail(e, "%s: larger than %u bytes", path, CONFIG_MAX);
		return json_false();
	}
	json_error_t je;
	json_t *j = json_loadb(b.p ? b.p : "", b.len, 0, &je);
	db_free(&b);
	if (!json_is_object(j)) {
		json_decref(j);
		de_fail(e, "%s: not a JSON object (line %d: %s)", path, je.line, je.text);
		return json_false();
	}
	return j;
}

/* The credential helper that config would use for domain, if any. */
static const char *helper_for(json_t *cfg, const char *domain)
{
	json_t *helpers = jget_obj(cfg, "credHelpers");
	const char *k;
	json_t *v;
	json_object_foreach(helpers, k, v)
		if (host_matches(k, domain) && json_is_string(v))
			return json_string_value(v);
	return jget_str(cfg, "credsStore");
}

int reg_cred_from_config(const char *path, const char *domain, reg_cred *c, char **why,
                         de_err *e)
{
	memset(c, 0, sizeof *c);
	*why = NULL;
	json_t *cfg = load_bounded(path, e);
	if (!cfg)
		return 0;
	if (cfg == json_false())
		return -1;
	int rc = 0;
	const char *k;
	json_t *v;
	json_object_foreach(jget_obj(cfg, "auths"), k, v) {
		if (!host_matches(k, domain))
			continue;
		const char *a = jget_str(v, "auth");
		if (!a || !*a)
			continue;
		size_t n;
		unsigned char *raw = reg_unbase64(a, &n);
		char *colon = raw ? memchr(raw, ':', n) : NULL;
		if (!colon || memchr(raw, 0, n)) {
			free(raw);
			rc = de_fail(e, "%s: auths[\"%s\"].auth is not base64 of \"user:password\"",
			             path, k);
			break;
		}
		c->user = xstrndup((char *)raw, (size_t)(colon - (char *)raw));
		c->pass = xstrndup(colon + 1, n - (size_t)(colon + 1 - (char *)raw));
		c->source = xstrdup(path);
		explicit_bzero(raw, n);
		free(raw);
		rc = 1;
		break;
	}
	if (rc == 0) {
		const char *h = helper_for(cfg, domain);
		if (h)
			*why = xasprintf("%s keeps the credentials of %s in the helper docker-credential-%s, "
			                 "which de does not run; give them with --user", path, domain, h);
	}
	json_decref(cfg);
	return rc;
}

char *reg_base64(const void *data, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	return out;
}

unsigned char *reg_unbase64(const char *s, size_t *n)
{
	size_t len = strlen(s);
	if (len == 0 || len % 4 || len > (1u << 20))
		return NULL;
	unsigned char *out = xmalloc(len / 4 * 3 + 1);
	int got = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	if (got < 0) {
		free(out);
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding's zero bytes too */
	size_t pad = (s[len - 1] == '=') + (s[len - 2] == '=');
	*n = (size_t)got - pad;
	out[*n] = 0;
	return out;
}

char *reg_basic_header(const reg_cred *c)
{
	char *up = xasprintf("%s:%s", c->user, c->pass ? c->pass : "");
	char *b = reg_base64(up, strlen(up));
	explicit_bzero(up, strlen(up));
	free(up);
	char *h = xasprintf("Basic %s", b);
	free(b);
	return h;
}
