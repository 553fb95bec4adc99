/*
 * zsh.c — the zsh completion (_de), from the command table: one
 * _arguments specification per command (list: one for the options before
 * its subcommand, one per subcommand), and _de_containers, which asks de
 * for the evidence's containers with de's own options from the line.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXOPT 64

/* s for inside '...' and an _arguments description: ' closes the quote,
 * ] ends the description, : separates the fields. */
static void esc(dbuf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\'')
			db_adds(b, "'\\''");
		else if (*s == ']' || *s == ':' || *s == '[' || *s == '\\')
			db_addf(b, "\\%c", *s);
		else
			db_add(b, s, 1);
	}
}

/* ":MESSAGE:ACTION", what completes a value or an argument. */
static void action(dbuf *b, const char *msg, po_kind k, const char *const *values)
{
	db_adds(b, ":");
	esc(b, msg);
	db_adds(b, ":");
	switch (k) {
	case PO_K_FILE: db_adds(b, "_files"); break;
	case PO_K_DIR: db_adds(b, "_files -/"); break;
	case PO_K_CONTAINER: db_adds(b, "_de_containers"); break;
	case PO_K_COMMAND: db_adds(b, "_de_commands"); break;
	case PO_K_INPATH: db_adds(b, "_de_paths"); break;
	case PO_K_WORD:
		db_adds(b, "(");
		for (size_t i = 0; values && values[i]; i++)
			db_addf(b, "%s%s", i ? " " : "", values[i]);
		db_adds(b, ")");
		break;
	default: db_adds(b, " "); break;
	}
}

static void option_spec(dbuf *b, const po_option *o)
{
	bool val = o->type != PO_FLAG, rep = o->flags & PO_REPEAT;
	db_adds(b, " \\\n\t\t'");
	if (rep)
		db_adds(b, "*");
	else if (o->shortname && o->longname)
		db_addf(b, "(-%c --%s)'", o->shortname, o->longname);
	if (o->shortname && o->longname && !rep)
		db_addf(b, "{-%c%s,--%s%s}'", o->shortname, val ? "+" : "", o->longname, val ? "=" : "");
	else if (o->longname)
		db_addf(b, "--%s%s", o->longname, val ? "=" : "");
	else
		db_addf(b, "-%c%s", o->shortname, val ? "+" : "");
	db_adds(b, "[");
	esc(b, o->help);
	db_adds(b, "]");
	if (val)
		action(b, o->argname ? o->argname : o->noun ? o->noun : "value",
		       o->type == PO_ENUM ? PO_K_WORD : o->kind, o->values);
	db_adds(b, "'");
}

static void options(dbuf *b, const po_command *c)
{
	const po_option *v[MAXOPT];
	size_t n = gen_options(c, v, MAXOPT);
	for (size_t i = 0; i < n; i++)
		option_spec(b, v[i]);
	db_adds(b, " \\\n\t\t'(- *)'{-h,--help}'[show this help and exit]'");
}

static void arguments(dbuf *b, const po_command *c)
{
	int k = 1;
	for (const po_arg *a = c->args; a && a->name; a++, k++) {
		db_adds(b, " \\\n\t\t'");
		if (a->repeat)
			db_adds(b, "*");
		else
			db_addf(b, "%d", k);
		if (a->optional && !a->repeat)
			db_adds(b, ":");
		action(b, a->name, a->kind, a->values);
		db_adds(b, "'");
	}
}

static void command_case(dbuf *b, const de_command *c)
{
	db_addf(b, "\t(%s)\n\t\t_arguments -s -S", c->po.name);
	options(b, &c->po);
	if (c->po.subs) {
		db_adds(b, " \\\n\t\t'1:");
		esc(b, c->po.subs_noun);
		db_adds(b, ":((");
		for (const po_command *s = c->po.subs; s->name; s++) {
			if (s->flags & PO_HIDDEN)
				continue;
			db_addf(b, "%s%s\\:", s == c->po.subs ? "" : " ", s->name);
			dbuf d = {0};
			esc(&d, s->summary);
			db_addf(b, "\"%s\"", d.p);
			db_free(&d);
		}
		db_adds(b, "))' \\\n\t\t'*::arg:->sub' && ret=0\n");
		db_adds(b, "\t\t[[ $state == sub ]] || return ret\n\t\tcase $words[1] in\n");
		for (const po_command *s = c->po.subs; s->name; s++) {
			if (s->flags & PO_HIDDEN)
				continue;
			db_addf(b, "\t\t(%s)\n\t\t\t_arguments -s -S", s->name);
			options(b, s);
			arguments(b, s);
			db_adds(b, " && ret=0 ;;\n");
		}
		db_adds(b, "\t\tesac\n\t\t;;\n");
		return;
	}
	arguments(b, &c->po);
	db_adds(b, " && ret=0\n\t\t;;\n");
}

static const char head[] =
	"#compdef de docker-explorer\n"
	"# zsh completion for de and docker-explorer (the same program).\n"
	"# Generated from de's command table (src/builtin/commands.c) by de-gen:\n"
	"# edit the table, not this file.\n"
	"\n"
	"# de, with de's own options from the line (-r, --root, -n, --no-support):\n"
	"# the same evidence as the command being completed; nothing on stderr.\n"
	"_de_ask() {\n"
	"\tlocal -a root\n"
	"\tlocal k v\n"
	"\tfor k v in \"${(@kv)_de_global}\"; do\n"
	"\t\tcase $k in\n"
	"\t\t(-r|--docker-directory|--root|-n|--namespace) root+=($k ${~${(Q)v}}) ;;\n"
	"\t\t(--no-support) root+=($k) ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\t_call_program $1 ${(q)_de_cmd} ${(q)root} __complete \"${@[2,-1]}\" 2>/dev/null\n"
	"}\n"
	"\n"
	"# The evidence's containers.\n"
	"_de_containers() {\n"
	"\tlocal -a names=(${(f)\"$(_de_ask containers containers $PREFIX)\"})\n"
	"\t_wanted containers expl container compadd -a names\n"
	"}\n"
	"\n"
	"# The paths of the container the first argument names; a directory\n"
	"# gets no space after it, its path goes on.\n"
	"_de_paths() {\n"
	"\tlocal -a all=(${(f)\"$(_de_ask paths paths ${line[1]} $PREFIX)\"})\n"
	"\tlocal -a dirs=(${(M)all:#*/}) files=(${all:#*/})\n"
	"\t_wanted paths expl 'path in the container' compadd -S '' -a dirs\n"
	"\t_wanted paths expl 'path in the container' compadd -a files\n"
	"}\n"
	"\n";

void gen_zsh(dbuf *out)
{
	db_adds(out, head);
	db_adds(out, "_de_commands() {\n\tlocal -a cmds=(");
	for (const de_command *c = de_commands; c->po.name; c++) {
		if (c->po.flags & PO_HIDDEN)
			continue;
		dbuf d = {0};
		esc(&d, c->po.summary);
		db_addf(out, "%s'%s:%s'", c == de_commands ? "" : " ", c->po.name, d.p);
		db_free(&d);
	}
	db_adds(out, ")\n\t_describe -t commands command cmds\n}\n\n");
	db_adds(out, "_de() {\n"
	             "\tlocal curcontext=$curcontext state line ret=1\n"
	             "\tlocal -A opt_args _de_global\n"
	             "\tlocal _de_cmd=${words[1]}\n"
	             "\t_arguments -C -s");
	options(out, &de_main);
	db_adds(out, " \\\n\t\t'1:command:_de_commands' \\\n\t\t'*::arg:->command' && return\n"
	             "\t_de_global=(\"${(@kv)opt_args}\")\n"
	             "\tcurcontext=${curcontext%:*:*}:de-$words[1]:\n"
	             "\tcase $words[1] in\n");
	for (const de_command *c = de_commands; c->po.name; c++)
		if (!(c->po.flags & PO_HIDDEN))
			command_case(out, c);
	db_adds(out, "\tesac\n\treturn ret\n}\n\n_de \"$@\"\n");
}
