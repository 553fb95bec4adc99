/*
 * parseopt.c — the parser of parseopt.h (its synopsis and help:
 * parseopt_usage.c).
 */
#include "parseopt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const po_option po_help_option = {
	.key = -1, .shortname = 'h', .longname = "help", .type = PO_FLAG,
	.help = "show this help and exit",
};

static const char time_accepted[] =
	"RFC 3339 as 2026-11-28T12:57:50Z or 2026-11-28T13:57:50.5+01:00, or Unix seconds as "
	"1795870670 or 1795870670.5";

static bool opt_end(const po_option *o)
{
	return o->key == 0;
}

static bool takes_value(const po_option *o)
{
	return o->type != PO_FLAG;
}

/* "a format", "an ID": the article a noun takes. */
static const char *article(const char *noun)
{
	return strchr("aeiou", tolower((unsigned char)noun[0])) ? "an" : "a";
}

/* How an option is named in messages: its long name when it has one. */
static void opt_name(const po_option *o, char *buf, size_t len)
{
	if (o->longname)
		snprintf(buf, len, "--%s", o->longname);
	else
		snprintf(buf, len, "-%c", o->shortname);
}

/* "json, table", or the range of an integer: what an option accepts. */
static void accepted(const po_option *o, dbuf *b)
{
	if (o->accepted) {
		db_adds(b, o->accepted);
	} else if (o->type == PO_ENUM) {
		for (size_t i = 0; o->values[i]; i++)
			db_addf(b, "%s%s", i ? ", " : "", o->values[i]);
	} else if (o->type == PO_INT) {
		db_addf(b, "%lld to %lld", o->min, o->max);
	} else if (o->type == PO_TIME) {
		db_adds(b, time_accepted);
	}
}

static const char *noun_of(const po_option *o)
{
	if (o->noun)
		return o->noun;
	switch (o->type) {
	case PO_INT: return "number";
	case PO_SIZE: return "number of bytes";
	case PO_TIME: return "time";
	case PO_ENUM: return "value";
	case PO_PATH: return "path";
	default: return NULL;
	}
}

/* The one form of a bad value: WHAT: "VALUE" is not a NOUN (ACCEPTED). */
static int bad_value(de_err *e, const char *what, const char *value, const char *noun,
                     const char *acc)
{
	return de_fail(e, "%s: \"%s\" is not %s %s%s%s%s", what, value, article(noun), noun,
	               acc && *acc ? " (" : "", acc && *acc ? acc : "", acc && *acc ? ")" : "");
}

static int bad_option_value(de_err *e, const po_option *o, const char *value)
{
	char name[64];
	dbuf acc = {0};
	opt_name(o, name, sizeof name);
	accepted(o, &acc);
	const char *noun = noun_of(o);
	bad_value(e, name, value, noun ? noun : "value", acc.p);
	db_free(&acc);
	return -1;
}

/* A decimal integer, all of s; -1 when it is not one or does not fit. */
static int read_int(const char *s, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno || isspace((unsigned char)*s))
		return -1;
	*out = v;
	return 0;
}

static int set_value(const po_option *o, const char *value, po_value *pv, de_err *e)
{
	if (!takes_value(o)) {
		pv->set = true;
		return 0;
	}
	switch (o->type) {
	case PO_STRING:
		if (o->check && o->check(value) < 0)
			return bad_option_value(e, o, value);
		break;
	case PO_PATH:
		if (!*value)   /* "" names nothing */
			return bad_option_value(e, o, value);
		break;
	case PO_INT:
		if (read_int(value, &pv->num) < 0 || pv->num < o->min || pv->num > o->max)
			return bad_option_value(e, o, value);
		break;
	case PO_SIZE:
		/* digits only: no sign, no unit, no blank */
		if (strspn(value, "0123456789") != strlen(value) || read_int(value, &pv->num) < 0)
			return bad_option_value(e, o, value);
		break;
	case PO_TIME:
		if (de_time_parse_arg(value, &pv->time) < 0)
			return bad_option_value(e, o, value);
		break;
	case PO_ENUM: {
		size_t i = 0;
		while (o->values[i] && strcmp(o->values[i], value))
			i++;
		if (!o->values[i])
			return bad_option_value(e, o, value);
		pv->index = i;
		break;
	}
	case PO_LIST: {
		const char *p = value;
		while (*p) {
			size_t n = strcspn(p, ",");
			if (n)
				sv_push_own(&pv->list, xstrndup(p, n));
			p += n + (p[n] == ',');
		}
		break;
	}
	case PO_FLAG:
		break;
	}
	if ((o->flags & PO_REPEAT) && o->type != PO_LIST)
		sv_push(&pv->list, value);
	pv->set = true;
	pv->str = value;
	return 0;
}

/* The options a command line of c may hold: its own, or with subcommands
 * all of theirs (the subcommand's name may come after some of them). */
static void all_opts(const po_command *c, const po_option ***v, size_t *n)
{
	for (const po_option *o = c->opts; o && !opt_end(o); o++) {
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = o;
	}
	for (const po_command *s = c->subs; s && s->name; s++)
		all_opts(s, v, n);
}

typedef struct parser {
	const po_option **opts;
	size_t nopts;
	const char *where;   /* "de logs", for messages */
	po_result *r;
	de_err *e;
} parser;

static const po_option *find_short(const parser *p, char c)
{
	if (c == 'h')
		return &po_help_option;
	for (size_t i = 0; i < p->nopts; i++)
		if (p->opts[i]->shortname == c)
			return p->opts[i];
	return NULL;
}

/* An exact long name or alias, else the one option a prefix names. */
static const po_option *find_long(const parser *p, const char *name, size_t len)
{
	const po_option *hit = NULL;
	dbuf amb = {0};
	size_t nhits = 0;
	for (size_t i = 0; i <= p->nopts; i++) {
		const po_option *o = i < p->nopts ? p->opts[i] : &po_help_option;
		const char *names[2] = {o->longname, o->alias};
		for (int k = 0; k < 2; k++) {
			if (!names[k] || strncmp(names[k], name, len))
				continue;
			if (strlen(names[k]) == len) {
				db_free(&amb);
				return o;
			}
			/* one option under two names, or in two subcommands: one hit */
			if (!hit || hit->key != o->key) {
				db_addf(&amb, "%s--%s", nhits ? ", " : "", names[k]);
				nhits++;
			}
			hit = o;
		}
	}
	if (nhits > 1) {
		de_fail(p->e, "--%.*s: ambiguous (%s)", (int)len, name, amb.p);
		db_free(&amb);
		return NULL;
	}
	db_free(&amb);
	if (!hit)
		de_fail(p->e, "--%.*s: not an option of %s", (int)len, name, p->where);
	return hit;
}

static int need_value(const parser *p, const po_option *o)
{
	char name[64];
	opt_name(o, name, sizeof name);
	const char *noun = noun_of(o);
	if (o->type == PO_STRING || o->type == PO_PATH || o->type == PO_LIST || !noun)
		return de_fail(p->e, "%s: %s is missing", name, o->argname ? o->argname : "its value");
	dbuf acc = {0};
	accepted(o, &acc);
	de_fail(p->e, "%s: %s %s is missing%s%s%s", name, article(noun), noun, acc.len ? " (" : "",
	        acc.len ? acc.p : "", acc.len ? ")" : "");
	db_free(&acc);
	return -1;
}

static int store(const parser *p, const po_option *o, const char *value)
{
	if (o == &po_help_option) {
		p->r->help = true;
		return 0;
	}
	if (o->key <= 0 || (size_t)o->key >= p->r->nv)
		return de_fail(p->e, "internal: option key %d out of range", o->key);
	if (o->flags & PO_IGNORED) {
		char name[64];
		opt_name(o, name, sizeof name);
		po_value scratch = {0};   /* checked all the same, then dropped */
		int rc = set_value(o, value, &scratch, p->e);
		sv_free(&scratch.list);
		if (rc == 0)
			sv_push(&p->r->ignored, name);
		return rc;
	}
	return set_value(o, value, &p->r->v[o->key], p->e);
}

/* One "--name[=value]" at argv[*i]. */
static int long_opt(const parser *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const po_option *o = find_long(p, arg, len);
	if (!o)
		return -1;
	if (!takes_value(o)) {
		if (eq)
			return de_fail(p->e, "--%s: takes no value", o->longname);
		return store(p, o, NULL);
	}
	if (eq)
		return store(p, o, eq + 1);
	if (*i + 1 >= argc)
		return need_value(p, o);
	return store(p, o, argv[++*i]);
}

/* A bundle of short options at argv[*i]: -lR, -oFILE, -o FILE. */
static int short_opts(const parser *p, int argc, char **argv, int *i)
{
	for (const char *s = argv[*i] + 1; *s; s++) {
		const po_option *o = find_short(p, *s);
		if (!o)
			return de_fail(p->e, "-%c: not an option of %s", *s, p->where);
		if (!takes_value(o)) {
			if (store(p, o, NULL) < 0)
				return -1;
			if (p->r->help)
				return 0;
			continue;
		}
		if (s[1])
			return store(p, o, s + 1);
		if (*i + 1 >= argc)
			return need_value(p, o);
		return store(p, o, argv[++*i]);
	}
	return 0;
}

/* Options and arguments of argv[from..]: the arguments into r->pos. */
static int scan(const parser *p, int argc, char **argv, int from, bool stop)
{
	bool dashdash = false;
	for (int i = from; i < argc && !p->r->help; i++) {
		const char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			if (stop) {   /* the rest is the command's */
				for (; i < argc; i++)
					p->r->pos[p->r->npos++] = argv[i];
				return 0;
			}
			p->r->pos[p->r->npos++] = argv[i];
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (a[1] == '-') {
			if (long_opt(p, argc, argv, &i) < 0)
				return -1;
		} else if (short_opts(p, argc, argv, &i) < 0) {
			return -1;
		}
	}
	return 0;
}

static void word_list(dbuf *b, const char *const *v)
{
	for (size_t i = 0; v && v[i]; i++)
		db_addf(b, "%s%s", i ? ", " : "", v[i]);
}

/* The subcommand argv names: its name is the first argument. Options
 * before it are scanned with every subcommand's (their kinds agree). */
static int pick_sub(const po_command *top, parser *p, int argc, char **argv, int *at)
{
	*at = -1;
	bool dashdash = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			*at = i;
			break;
		}
		if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			p->r->help = true;
			return 0;
		} else if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			const po_option *o = find_long(p, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
			if (!o)
				return -1;
			i += takes_value(o) && !eq;
		} else {
			for (const char *s = a + 1; *s; s++) {
				const po_option *o = find_short(p, *s);
				if (!o)
					return de_fail(p->e, "-%c: not an option of %s", *s, p->where);
				if (takes_value(o)) {
					i += !s[1];
					break;
				}
			}
		}
	}
	dbuf words = {0};
	for (const po_command *s = top->subs; s->name; s++)
		if (!(s->flags & PO_HIDDEN))
			db_addf(&words, "%s%s", words.len ? ", " : "", s->name);
	int rc = 0;
	if (*at < 0) {
		rc = de_fail(p->e, "%s: %s %s is missing (%s)", top->name, article(top->subs_noun),
		             top->subs_noun, words.p);
	} else {
		const po_command *s = top->subs;
		while (s->name && strcmp(s->name, argv[*at]))
			s++;
		if (s->name)
			p->r->cmd = s;
		else
			rc = bad_value(p->e, top->name, argv[*at], top->subs_noun, words.p);
	}
	db_free(&words);
	return rc;
}

/* The positional arguments against cmd->args. */
static int check_args(const po_command *c, const po_result *r, de_err *e)
{
	size_t need = 0, most = 0;
	bool many = false;
	const po_arg *un = NULL;
	for (const po_arg *a = c->args; a && a->name; a++) {
		need += !a->optional && !a->unless;
		most++;
		many |= a->repeat;
		if (a->unless)
			un = a;
	}
	if (un) {   /* CONTAINER... | --all: one or the other */
		const po_option *o = po_find_key(c, un->unless);
		bool alt = o && (size_t)un->unless < r->nv && r->v[un->unless].set;
		if (alt && r->npos)
			return de_fail(e, "%s: --%s takes no %s", c->name, o->longname, un->name);
		if (!alt && !r->npos)
			return de_fail(e, "%s: %s%s or --%s is missing", c->name, un->name,
			               un->repeat ? "..." : "", o ? o->longname : "?");
	}
	if (r->npos < need) {
		const po_arg *a = c->args;
		for (size_t i = 0; i < r->npos || a->optional || a->unless; a++)
			i += !a->optional && !a->unless;
		return de_fail(e, "%s: %s is missing", c->name, a->name);
	}
	if (!many && r->npos > most)
		return de_fail(e, "%s: unexpected argument \"%s\"", c->name, r->pos[most]);
	size_t i = 0;
	for (const po_arg *a = c->args; a && a->name && i < r->npos; a++) {
		do {
			if (a->kind == PO_K_WORD) {
				size_t k = 0;
				while (a->values[k] && strcmp(a->values[k], r->pos[i]))
					k++;
				if (!a->values[k]) {
					dbuf w = {0};
					word_list(&w, a->values);
					bad_value(e, c->name, r->pos[i], a->noun ? a->noun : a->name, w.p);
					db_free(&w);
					return -1;
				}
			}
			i++;
		} while (a->repeat && i < r->npos);
	}
	return 0;
}

static int check_required(const po_command *c, const po_result *r, de_err *e)
{
	for (const po_option *o = c->opts; o && !opt_end(o); o++) {
		if ((o->flags & PO_REQUIRED) && (size_t)o->key < r->nv && !r->v[o->key].set) {
			char name[64];   /* as the synopsis writes it: -p PARENT */
			if (o->shortname)
				snprintf(name, sizeof name, "-%c", o->shortname);
			else
				opt_name(o, name, sizeof name);
			return de_fail(e, "%s: %s %s is missing", c->name, name,
			               o->argname ? o->argname : "VALUE");
		}
	}
	return 0;
}

int po_parse(const po_command *cmd, int argc, char **argv, po_value *v, size_t nv,
             po_result *r, de_err *e)
{
	memset(r, 0, sizeof *r);
	memset(v, 0, nv * sizeof *v);
	r->top = r->cmd = cmd;
	r->v = v;
	r->nv = nv;
	r->pos = xcalloc((size_t)argc + 1, sizeof *r->pos);
	parser p = {.r = r, .e = e};
	char where[128];
	int rc = 0, sub_at = -1;
	snprintf(where, sizeof where, "%s%s", cmd->flags & PO_STOP ? "" : "de ", cmd->name);
	p.where = where;
	if (cmd->subs) {
		all_opts(cmd, &p.opts, &p.nopts);
		rc = pick_sub(cmd, &p, argc, argv, &sub_at);
		free(p.opts);
		p.opts = NULL;
		p.nopts = 0;
		if (rc < 0 || r->help)
			return rc;
		snprintf(where, sizeof where, "de %s %s", cmd->name, r->cmd->name);
	}
	all_opts(r->cmd, &p.opts, &p.nopts);
	if (sub_at > 0) {   /* the subcommand's name is not one of its arguments */
		char **rest = xcalloc((size_t)argc, sizeof *rest);
		for (int i = 0, k = 0; i < argc; i++)
			if (i != sub_at)
				rest[k++] = argv[i];
		rc = scan(&p, argc - 1, rest, 1, false);
		free(rest);
	} else {
		rc = scan(&p, argc, argv, 1, cmd->flags & PO_STOP);
	}
	free(p.opts);
	if (rc < 0 || r->help || (cmd->flags & PO_STOP))
		return rc;
	if (check_required(r->cmd, r, e) < 0 || check_args(r->cmd, r, e) < 0)
		return -1;
	return 0;
}

void po_result_free(po_result *r)
{
	for (size_t i = 0; r->v && i < r->nv; i++)
		sv_free(&r->v[i].list);
	sv_free(&r->ignored);
	free(r->pos);
	r->pos = NULL;
	r->npos = 0;
}

const po_option *po_find_key(const po_command *cmd, int key)
{
	for (const po_option *o = cmd->opts; o && !opt_end(o); o++)
		if (o->key == key)
			return o;
	for (const po_command *s = cmd->subs; s && s->name; s++) {
		const po_option *o = po_find_key(s, key);
		if (o)
			return o;
	}
	return NULL;
}

const po_option **po_options(const po_command *cmd, bool by_key)
{
	const po_option **v = NULL;
	size_t n = 0;
	all_opts(cmd, &v, &n);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t k = 0; k < kept && !seen; k++)
			seen = v[k]->key == v[i]->key &&
			       (by_key || !strcmp(v[k]->help ? v[k]->help : "", v[i]->help ? v[i]->help : ""));
		if (!seen)
			v[kept++] = v[i];
	}
	v = xrealloc(v, (kept + 1) * sizeof *v);
	v[kept] = NULL;
	return v;
}
