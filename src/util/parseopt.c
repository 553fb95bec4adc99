/*
 * parseopt.c — the parser, synopsis and help of parseopt.h.
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
			char name[64];
			opt_name(o, name, sizeof name);
			if (o->shortname)
				snprintf(name, sizeof name, "-%c", o->shortname);
			return de_fail(e, "%s: %s %s is missing", c->name, name, o->argname);
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
	snprintf(where, sizeof where, "%s%s%s", cmd->flags & PO_STOP ? "" : "de ", cmd->name, "");
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
	/* the subcommand's name is not one of its arguments */
	if (sub_at > 0) {
		char *name = argv[sub_at];
		memmove(argv + sub_at, argv + sub_at + 1, (size_t)(argc - sub_at - 1) * sizeof *argv);
		argv[argc - 1] = name;
		rc = scan(&p, argc - 1, argv, 1, false);
		memmove(argv + sub_at + 1, argv + sub_at, (size_t)(argc - sub_at - 1) * sizeof *argv);
		argv[sub_at] = name;
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

/* ---- synopsis and help ------------------------------------------------- */

static void value_label(dbuf *b, const po_option *o)
{
	if (o->type == PO_ENUM && !o->argname) {
		for (size_t i = 0; o->values[i]; i++)
			db_addf(b, "%s%s", i ? "|" : "", o->values[i]);
	} else {
		db_adds(b, o->argname ? o->argname : "VALUE");
	}
}

void po_arg_label(dbuf *b, const po_arg *a)
{
	if (a->kind == PO_K_WORD && a->values) {
		for (size_t i = 0; a->values[i]; i++)
			db_addf(b, "%s%s", i ? "|" : "", a->values[i]);
	} else {
		db_adds(b, a->name);
	}
}

/* "[-o FILE]", "-p PARENT", "[--insecure-registry HOST[:PORT]]..." */
static void option_synopsis(dbuf *b, const po_option *o)
{
	bool req = o->flags & PO_REQUIRED;
	if (!req)
		db_adds(b, "[");
	if (o->shortname)
		db_addf(b, "-%c", o->shortname);
	else
		db_addf(b, "--%s", o->longname);
	if (takes_value(o)) {
		db_adds(b, " ");
		value_label(b, o);
	}
	if (!req)
		db_adds(b, "]");
	if (o->flags & PO_REPEAT)
		db_adds(b, "...");
}

/* The arguments and options of c, after its name. */
static void synopsis_options(dbuf *b, const po_command *c, int alt)
{
	for (const po_option *o = c->opts; o && !opt_end(o); o++) {
		if ((o->flags & PO_UNSHOWN) || o->key == alt)
			continue;
		db_adds(b, " ");
		option_synopsis(b, o);
	}
}

/* The arguments and options of c, after its name; a command whose options
 * end at its first argument (de's own) has them first. */
static void synopsis_tail(dbuf *b, const po_command *c)
{
	int alt = 0;
	if (c->flags & PO_STOP)
		synopsis_options(b, c, 0);
	for (const po_arg *a = c->args; a && a->name; a++) {
		db_adds(b, " ");
		if (a->optional)
			db_adds(b, "[");
		po_arg_label(b, a);
		if (a->repeat)
			db_adds(b, "...");
		if (a->optional)
			db_adds(b, "]");
		if (a->unless) {
			const po_option *o = po_find_key(c, a->unless);
			db_addf(b, " | --%s", o ? o->longname : "?");
			alt = a->unless;
		}
	}
	if (!(c->flags & PO_STOP))
		synopsis_options(b, c, alt);
}

static bool same_line(const po_command *a, const po_command *b)
{
	return a->opts == b->opts && a->args == b->args &&
	       !strcmp(a->needs ? a->needs : "", b->needs ? b->needs : "");
}

void po_synopsis(strvec *lines, const char *prog, const po_command *cmd)
{
	dbuf b = {0};
	const char *sp = prog && *prog ? " " : "";
	if (!cmd->subs) {
		db_addf(&b, "%s%s%s", prog ? prog : "", sp, cmd->name);
		synopsis_tail(&b, cmd);
		sv_push_own(lines, db_take(&b));
		return;
	}
	for (const po_command *s = cmd->subs; s->name;) {
		const po_command *end = s + 1;
		while (end->name && same_line(s, end) && !(end->flags & PO_HIDDEN))
			end++;
		if (s->flags & PO_HIDDEN) {
			s = end;
			continue;
		}
		db_addf(&b, "%s%s", prog ? prog : "", sp);
		if (s->needs)
			db_addf(&b, "%s ", s->needs);
		db_addf(&b, "%s ", cmd->name);
		if (end - s > 1) {
			db_adds(&b, "{");
			for (const po_command *k = s; k < end; k++)
				db_addf(&b, "%s%s", k > s ? "," : "", k->name);
			db_adds(&b, "}");
		} else {
			db_adds(&b, s->name);
		}
		synopsis_tail(&b, s);
		sv_push_own(lines, db_take(&b));
		s = end;
	}
}

/* Appends line to out wrapped at width: breaks only between units at
 * bracket depth 0, continuation lines indented by indent. */
void po_wrap_synopsis(dbuf *out, const char *line, size_t first, size_t indent, size_t width)
{
	size_t col = first, depth = 0;
	const char *p = line;
	while (*p) {
		const char *u = p;   /* one unit: up to a blank at depth 0 */
		while (*p && (*p != ' ' || depth)) {
			if (*p == '[' || *p == '{')
				depth++;
			else if ((*p == ']' || *p == '}') && depth)
				depth--;
			p++;
		}
		/* "| --all" stays with what it is the alternative to */
		if (*p == ' ' && p[1] == '|' && p[2] == ' ') {
			p += 3;
			while (*p && *p != ' ')
				p++;
		}
		size_t n = (size_t)(p - u);
		if (col > indent && col + 1 + n > width) {
			db_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (u != line) {
			db_adds(out, " ");
			col++;
		}
		db_add(out, u, n);
		col += n;
		while (*p == ' ')
			p++;
	}
	db_adds(out, "\n");
}

void po_usage(dbuf *out, const char *prog, const po_command *cmd, int width)
{
	strvec lines = {0};
	po_synopsis(&lines, prog, cmd);
	for (size_t i = 0; i < lines.n; i++) {
		const char *lead = i ? "       " : "usage: ";
		db_adds(out, lead);
		/* continuation under the first argument: "usage: de logs " */
		const char *l = lines.v[i];
		size_t name_end = strcspn(l, " ");
		if (l[name_end] && prog)   /* after "de logs", else after "de" */
			name_end += 1 + strcspn(l + name_end + 1, " ");
		size_t indent = 7 + name_end + 1;
		if (indent > 40)
			indent = 11;
		po_wrap_synopsis(out, l, 7, indent, (size_t)width);
	}
	sv_free(&lines);
}

void po_option_label(dbuf *b, const po_option *o)
{
	if (o->shortname && o->longname)
		db_addf(b, "-%c, --%s", o->shortname, o->longname);
	else if (o->shortname)
		db_addf(b, "-%c", o->shortname);
	else
		db_addf(b, "--%s", o->longname);
	if (takes_value(o)) {
		db_adds(b, " ");
		value_label(b, o);
	}
}

void po_columns(dbuf *out, const char *label, const char *text, size_t col, size_t width)
{
	size_t n = strlen(label) + 2;
	db_addf(out, "  %s", label);
	if (n + 2 > col) {
		db_addf(out, "\n%*s", (int)col, "");
	} else {
		db_addf(out, "%*s", (int)(col - n), "");
	}
	size_t at = col;
	const char *p = text;
	while (*p) {
		size_t w = strcspn(p, " ");
		if (at > col && at + 1 + w > width) {
			db_addf(out, "\n%*s", (int)col, "");
			at = col;
		} else if (at > col) {
			db_adds(out, " ");
			at++;
		}
		db_add(out, p, w);
		at += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	db_adds(out, "\n");
}

void po_help(dbuf *out, const char *prog, const po_command *cmd, int width)
{
	size_t w = (size_t)width;
	po_usage(out, prog, cmd, width);
	if (cmd->summary) {
		dbuf s = {0};
		db_addf(&s, "%s.", cmd->summary);
		s.p[0] = (char)toupper((unsigned char)s.p[0]);
		db_addf(out, "\n%s\n", s.p);
		db_free(&s);
	}
	bool any = false;
	for (const po_arg *a = cmd->args; a && a->name; a++) {
		if (!a->help)
			continue;
		if (!any)
			db_adds(out, "\narguments:\n");
		any = true;
		dbuf l = {0};
		po_arg_label(&l, a);
		po_columns(out, l.p, a->help, 24, w);
		db_free(&l);
	}
	if (cmd->subs) {
		db_adds(out, "\nsubcommands:\n");
		for (const po_command *s = cmd->subs; s->name; s++)
			if (!(s->flags & PO_HIDDEN))
				po_columns(out, s->name, s->summary ? s->summary : "", 24, w);
	}
	db_adds(out, "\noptions:\n");
	const po_option **v = po_options(cmd, false);
	for (size_t i = 0; v[i]; i++) {
		if (v[i]->flags & PO_UNSHOWN)
			continue;
		dbuf l = {0};
		po_option_label(&l, v[i]);
		po_columns(out, l.p, v[i]->help ? v[i]->help : "", 24, w);
		db_free(&l);
	}
	free(v);
	po_columns(out, "-h, --help", po_help_option.help, 24, w);
}
