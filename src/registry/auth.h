/*
 * auth.h — what a registry asks for and what we answer it with.
 *
 *  - A 401's WWW-Authenticate header (RFC 7235: a scheme, then auth-params
 *    name=token or name="quoted \"string\"", comma-separated): the registry
 *    token flow's `Bearer realm="…",service="…",scope="…"` (Docker's
 *    token-auth spec; `error="insufficient_scope"` when a token lacks the
 *    scope), or `Basic realm="…"` (a registry with htpasswd).
 *  - The token server's answer: JSON with "token" or, OAuth2-style,
 *    "access_token" (Docker Hub sends both; "token" wins, as in Docker).
 *  - Credentials: --user USER[:PASS], or the "auths" of Docker's client
 *    config ($DOCKER_CONFIG/config.json, else ~/.docker/config.json), whose
 *    keys are a registry host, optionally as a URL ("https://host/v1/"); its
 *    "auth" is base64("user:password"). Docker Hub's key is
 *    "https://index.docker.io/v1/".
 */
#ifndef DE_REG_AUTH_H
#define DE_REG_AUTH_H

#include <stddef.h>

#include "../util/diag.h"

typedef struct reg_challenge {
	char *scheme;   /* "Bearer", "Basic", as sent */
	char *realm, *service, *scope, *error;
} reg_challenge;

/* The first challenge of the header value (its parameters until the next
 * scheme). -1 when the text is not a challenge. */
int reg_challenge_parse(const char *value, reg_challenge *c, de_err *e);
void reg_challenge_free(reg_challenge *c);

/* realm?service=…&scope=… (each URL-encoded; service or scope left out
 * when NULL). */
char *reg_token_url(const char *realm, const char *service, const char *scope);
/* The token of a token server's JSON answer; NULL (and e) when none. */
char *reg_token_from_json(const char *body, size_t len, de_err *e);

typedef struct reg_cred {
	char *user, *pass;
	char *source;       /* "--user", or the config file's path */
} reg_cred;

/* "USER:PASS" (PASS may hold ':'), or "USER" with pass NULL. */
void reg_cred_from_arg(const char *arg, reg_cred *c);
/* The credentials for a registry domain ("docker.io" also matches
 * index.docker.io keys) in a Docker config file. 1 found, 0 none (a note in
 * *why when the file names a credential helper de does not run), -1 an
 * unreadable or malformed file. */
int reg_cred_from_config(const char *path, const char *domain, reg_cred *c, char **why,
                         de_err *e);
/* $DOCKER_CONFIG/config.json or $HOME/.docker/config.json; NULL when
 * neither variable is set. */
char *reg_docker_config_path(void);
void reg_cred_free(reg_cred *c);

/* "Basic base64(user:pass)". */
char *reg_basic_header(const reg_cred *c);

char *reg_base64(const void *data, size_t n);
/* NULL when s is not base64. *n: the decoded length. */
unsigned char *reg_unbase64(const char *s, size_t *n);

#endif
