/*
 * lvm_text.c — see lvm_text.h. A recursive-descent parser over a cursor;
 * every recursion is bounded by the nesting limit, every loop by the text.
 */
#include "lvm_text.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strvec.h"

#define LVMT_MAX_DEPTH 16
#define LVMT_MAX_NODES 100000

typedef struct cur {
	const char *p, *end;
	unsigned line;
	size_t nodes;
	de_err *e;
} cur;

static int fail(cur *c, const char *what)
{
	return de_fail(c->e, "LVM metadata, line %u: %s", c->line, what);
}

/* Skips blanks and comments. */
static void skip(cur *c)
{
	while (c->p < c->end) {
		if (*c->p == '\n') {
			c->line++;
			c->p++;
		} else if (isspace((unsigned char)*c->p) || *c->p == '\0')
			c->p++;
		else if (*c->p == '#') {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else
			break;
	}
}

static bool is_ident(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '.' || ch == '+';
}

static lvmt_node *new_node(cur *c, int kind)
{
	if (++c->nodes > LVMT_MAX_NODES) {
		fail(c, "too many entries");
		return NULL;
	}
	lvmt_node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	return n;
}

/* A quoted string; the cursor is on the opening quote. */
static char *parse_string(cur *c)
{
	dbuf b = {0};
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		if (*c->p == '\\' && c->p + 1 < c->end)
			c->p++;
		if (*c->p == '\n')
			c->line++;
		db_add(&b, c->p++, 1);
	}
	if (c->p >= c->end) {
		db_free(&b);
		fail(c, "unterminated string");
		return NULL;
	}
	c->p++;
	db_add(&b, "", 0);
	return db_take(&b);
}

static int parse_number(cur *c, int64_t *out)
{
	char buf[32];
	size_t n = 0;
	while (c->p < c->end && n < sizeof buf - 1 && (isdigit((unsigned char)*c->p) ||
	       (n == 0 && (*c->p == '-' || *c->p == '+'))))
		buf[n++] = *c->p++;
	buf[n] = '\0';
	if (c->p < c->end && *c->p == '.') {   /* a float (e.g. in profiles): kept as its integer part */
		c->p++;
		while (c->p < c->end && isdigit((unsigned char)*c->p))
			c->p++;
	}
	char *endp;
	errno = 0;
	long long v = strtoll(buf, &endp, 10);
	if (n == 0 || *endp || errno)
		return fail(c, "bad number");
	*out = v;
	return 0;
}

/* A scalar value (string or number) into n. */
static int parse_scalar(cur *c, lvmt_node *n)
{
	if (c->p < c->end && *c->p == '"') {
		n->kind = LVMT_STR;
		n->str = parse_string(c);
		return n->str ? 0 : -1;
	}
	n->kind = LVMT_NUM;
	return parse_number(c, &n->num);
}

static int parse_array(cur *c, lvmt_node *arr)
{
	lvmt_node **tail = &arr->child;
	c->p++;   /* '[' */
	for (;;) {
		skip(c);
		if (c->p >= c->end)
			return fail(c, "unterminated array");
		if (*c->p == ']') {
			c->p++;
			return 0;
		}
		lvmt_node *el = new_node(c, LVMT_NUM);
		if (!el)
			return -1;
		*tail = el;
		tail = &el->next;
		if (parse_scalar(c, el) < 0)
			return -1;
		skip(c);
		if (c->p < c->end && *c->p == ',')
			c->p++;
	}
}

/* Members until '}' (or the end at depth 0). */
static int parse_members(cur *c, lvmt_node *sec, unsigned depth)
{
	lvmt_node **tail = &sec->child;
	for (;;) {
		skip(c);
		if (c->p >= c->end)
			return depth == 0 ? 0 : fail(c, "unterminated section");
		if (*c->p == '}') {
			if (depth == 0)
				return fail(c, "unbalanced '}'");
			c->p++;
			return 0;
		}
		const char *k = c->p;
		while (c->p < c->end && is_ident(*c->p))
			c->p++;
		if (c->p == k)
			return fail(c, "expected a name");
		lvmt_node *n = new_node(c, LVMT_SECTION);
		if (!n)
			return -1;
		*tail = n;
		tail = &n->next;
		n->key = strndup(k, (size_t)(c->p - k));
		if (!n->key)
			abort();
		skip(c);
		if (c->p < c->end && *c->p == '{') {
			if (depth + 1 >= LVMT_MAX_DEPTH)
				return fail(c, "sections nested too deep");
			c->p++;
			if (parse_members(c, n, depth + 1) < 0)
				return -1;
			continue;
		}
		if (c->p >= c->end || *c->p != '=')
			return fail(c, "expected '=' or '{'");
		c->p++;
		skip(c);
		if (c->p < c->end && *c->p == '[') {
			n->kind = LVMT_ARRAY;
			if (parse_array(c, n) < 0)
				return -1;
		} else if (parse_scalar(c, n) < 0)
			return -1;
	}
}

lvmt_node *lvmt_parse(const char *text, size_t len, de_err *e)
{
	if (len > LVMT_MAX_TEXT)
		return de_fail(e, "LVM metadata of %zu bytes: more than %u", len, LVMT_MAX_TEXT), NULL;
	cur c = {text, text + len, 1, 0, e};
	lvmt_node *top = xcalloc(1, sizeof *top);
	top->kind = LVMT_SECTION;
	if (parse_members(&c, top, 0) < 0) {
		lvmt_free(top);
		return NULL;
	}
	return top;
}

void lvmt_free(lvmt_node *n)
{
	/* iterative over siblings, recursive over children (depth is bounded) */
	while (n) {
		lvmt_node *next = n->next;
		lvmt_free(n->child);
		free(n->key);
		free(n->str);
		free(n);
		n = next;
	}
}

const lvmt_node *lvmt_get(const lvmt_node *sec, const char *key)
{
	if (!sec)
		return NULL;
	for (const lvmt_node *n = sec->child; n; n = n->next)
		if (n->key && strcmp(n->key, key) == 0)
			return n;
	return NULL;
}

int lvmt_num(const lvmt_node *sec, const char *key, int64_t *out)
{
	const lvmt_node *n = lvmt_get(sec, key);
	if (!n || n->kind != LVMT_NUM)
		return -1;
	*out = n->num;
	return 0;
}

const char *lvmt_str(const lvmt_node *sec, const char *key)
{
	const lvmt_node *n = lvmt_get(sec, key);
	return n && n->kind == LVMT_STR ? n->str : NULL;
}
