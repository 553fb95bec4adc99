/*
 * parseopt_usage.c — what parseopt.h derives for people from a command's
 * entry: its synopsis lines, the usage printed after a bad command line,
 * and --help.
 */
#include "parseopt.h"

#include "markup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
	if (o->type != PO_FLAG) {
		db_adds(b, " ");
		value_label(b, o);
	}
	if (!req)
		db_adds(b, "]");
	if (o->flags & PO_REPEAT)
		db_adds(b, "...");
}

/* The options of c as a synopsis writes them; alt: the one written among
 * the arguments ("CONTAINER... | --all"). */
static void synopsis_options(dbuf *b, const po_command *c, int alt)
{
	for (const po_option *o = c->opts; o && o->key; o++) {
		if ((o->flags & PO_UNSHOWN) || o->key == alt)
			continue;
		db_adds(b, " ");
		option_synopsis(b, o);
	}
}

int po_synopsis_args(dbuf *b, const po_command *c)
{
	int alt = 0;
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
	return alt;
}

/* The arguments and options of c, after its name; a command whose options
 * end at its first argument (de's own) has them first. */
static void synopsis_tail(dbuf *b, const po_command *c)
{
	if (c->flags & PO_STOP) {
		synopsis_options(b, c, 0);
		po_synopsis_args(b, c);
	} else {
		int alt = po_synopsis_args(b, c);
		synopsis_options(b, c, alt);
	}
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
	if (o->type != PO_FLAG) {
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
	if (cmd->summary) {   /* a sentence, filled */
		dbuf s = {0};
		db_addf(&s, "%s.", cmd->summary);
		s.p[0] = (char)toupper((unsigned char)s.p[0]);
		db_adds(out, "\n");
		mu_text(out, s.p, 0, width - 1);
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
