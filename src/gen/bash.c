/*
 * bash.c — the bash completion, from the command table: one function of
 * data (_de_spec: each command's options, what completes each option's
 * value and each argument) and one of logic (_de), plain bash 4.3: it
 * needs no bash-completion helper.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXOPT 64

/* What completes a value or argument: file, dir, container, inpath (a path
 * in the container), command, word:W1 W2, or none. */
static void kind_word(dbuf *b, po_kind k, const char *const *values)
{
	switch (k) {
	case PO_K_FILE: db_adds(b, "file"); break;
	case PO_K_DIR: db_adds(b, "dir"); break;
	case PO_K_CONTAINER: db_adds(b, "container"); break;
	case PO_K_COMMAND: db_adds(b, "command"); break;
	case PO_K_INPATH: db_adds(b, "inpath"); break;
	case PO_K_WORD:
		db_adds(b, "word:");
		for (size_t i = 0; values && values[i]; i++)
			db_addf(b, "%s%s", i ? " " : "", values[i]);
		break;
	default: db_adds(b, "none"); break;
	}
}

static void option_kind(dbuf *b, const po_option *o)
{
	kind_word(b, o->type == PO_ENUM ? PO_K_WORD : o->kind, o->values);
}

/* vals: every option taking a value, under each of its names (also the
 * hidden ones: the words after them are values, not arguments). */
static void spec_vals(dbuf *b, const po_command *c)
{
	db_adds(b, "\t\tvals=(");
	size_t at = b->len;   /* each name once: "[-F]=" in what follows */
	bool first = true;
	const po_option **v = po_options(c, true);
	for (size_t n = 0; v[n]; n++) {
		const po_option *o = v[n];
		if (o->type == PO_FLAG)
			continue;
		dbuf k = {0};
		option_kind(&k, o);
		char names[3][64] = {"", "", ""};
		if (o->shortname)
			snprintf(names[0], sizeof names[0], "[-%c]", o->shortname);
		if (o->longname)
			snprintf(names[1], sizeof names[1], "[--%s]", o->longname);
		if (o->alias)
			snprintf(names[2], sizeof names[2], "[--%s]", o->alias);
		for (int i = 0; i < 3; i++)
			if (names[i][0] && !strstr(b->p + at, names[i])) {
				db_addf(b, "%s%s='%s'", first ? "" : " ", names[i], k.p);
				first = false;
			}
		db_free(&k);
	}
	free(v);
	db_adds(b, ")\n");
}

static void spec_opts(dbuf *b, const po_command *c)
{
	const po_option *v[MAXOPT];
	size_t n = gen_options(c, v, MAXOPT);
	db_adds(b, "\t\topts='");
	for (size_t i = 0; i < n; i++) {
		if (v[i]->shortname)
			db_addf(b, "-%c ", v[i]->shortname);
		if (v[i]->longname)
			db_addf(b, "--%s ", v[i]->longname);
	}
	db_adds(b, "-h --help'\n");
}

static void spec_args(dbuf *b, const po_command *c)
{
	db_adds(b, "\t\targs=(");
	bool rep = false;
	if (c->subs) {
		db_adds(b, "'word:");
		for (const po_command *s = c->subs; s->name; s++)
			if (!(s->flags & PO_HIDDEN))
				db_addf(b, "%s%s", s == c->subs ? "" : " ", s->name);
		db_adds(b, "'");
	}
	for (const po_arg *a = c->args; a && a->name; a++) {
		dbuf k = {0};
		kind_word(&k, a->kind, a->values);
		db_addf(b, "%s'%s'", a == c->args && !c->subs ? "" : " ", k.p);
		db_free(&k);
		rep = a->repeat;
	}
	db_addf(b, ") rep=%d subs=%d\n", rep, c->subs != NULL);
}

static void spec(dbuf *b, const char *label, const po_command *c)
{
	db_addf(b, "\t'%s')\n", label);
	spec_opts(b, c);
	spec_vals(b, c);
	spec_args(b, c);
	db_adds(b, "\t\t;;\n");
}

static const char head[] =
	"# bash completion for de and docker-explorer (the same program).\n"
	"# Generated from de's command table (src/builtin/commands.c) by de-gen:\n"
	"# edit the table, not this file.\n"
	"\n";

/* The logic, the same for every table. */
static const char logic[] =
	"# words/cword from COMP_WORDS, joined again where bash split a word at\n"
	"# : or = (docker:web, --format=json).\n"
	"_de_words() {\n"
	"\tlocal line=${COMP_LINE:0:COMP_POINT} i w glued\n"
	"\twords=() cword=0\n"
	"\tfor ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\tif [[ $line == [[:blank:]]* ]]; then\n"
	"\t\t\tglued=0 line=${line#\"${line%%[![:blank:]]*}\"}\n"
	"\t\telse\n"
	"\t\t\tglued=1\n"
	"\t\tfi\n"
	"\t\tif ((i > 0 && glued)) && [[ $w == [:=]* || ${words[-1]} == *[:=] ]]; then\n"
	"\t\t\twords[-1]+=$w\n"
	"\t\telse\n"
	"\t\t\twords+=(\"$w\")\n"
	"\t\tfi\n"
	"\t\t((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))\n"
	"\t\tline=${line#\"$w\"}\n"
	"\tdone\n"
	"}\n"
	"\n"
	"# A word as the shell will pass it: quotes and backslashes removed, ~ expanded.\n"
	"_de_unquote() {\n"
	"\tlocal w=$1\n"
	"\tcase $w in\n"
	"\t\\'*\\') w=${w:1:${#w}-2} ;;\n"
	"\t\\\"*\\\") w=${w:1:${#w}-2} ;;\n"
	"\t*) w=${w//\\\\/} ;;\n"
	"\tesac\n"
	"\t[[ $w == \\~/* ]] && w=$HOME/${w#\\~/}\n"
	"\tprintf '%s' \"$w\"\n"
	"}\n"
	"\n"
	"# COMPREPLY for what kind $1 names, from the text $2.\n"
	"_de_offer() {\n"
	"\tlocal kind=$1 cur=$2\n"
	"\tcase $kind in\n"
	"\tfile) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
	"\tdir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
	"\tcontainer) mapfile -t COMPREPLY < <(\"$(_de_unquote \"${words[0]}\")\" \"${root[@]}\" \\\n"
	"\t\t\t__complete containers \"$cur\" 2>/dev/null) ;;\n"
	"\tinpath)\n"
	"\t\t[[ -n $ctr ]] && mapfile -t COMPREPLY < <(\"$(_de_unquote \"${words[0]}\")\" \\\n"
	"\t\t\t\"${root[@]}\" __complete paths \"$ctr\" \"$cur\" 2>/dev/null)\n"
	"\t\t# a directory: the path goes on\n"
	"\t\t[[ ${COMPREPLY[*]-} == */ || ${COMPREPLY[*]-} == */\\ * ]] && compopt -o nospace 2>/dev/null ;;\n"
	"\tcommand) mapfile -t COMPREPLY < <(compgen -W \"$_de_commands\" -- \"$cur\") ;;\n"
	"\tword:*) mapfile -t COMPREPLY < <(compgen -W \"${kind#word:}\" -- \"$cur\") ;;\n"
	"\t*) COMPREPLY=() ;;\n"
	"\tesac\n"
	"\t# bash puts in only what follows the word's last : or =\n"
	"\tlocal brk=${cur%\"${cur##*[:=]}\"}\n"
	"\t[[ -n $brk ]] && COMPREPLY=(\"${COMPREPLY[@]#\"$brk\"}\")\n"
	"\treturn 0\n"
	"}\n"
	"\n"
	"_de() {\n"
	"\tlocal words cword cur prev w i cmd= sub= ctr= n=0 dd=0\n"
	"\tlocal opts args rep subs\n"
	"\tlocal -A vals\n"
	"\tlocal -a root=()\n"
	"\tCOMPREPLY=()\n"
	"\t_de_words\n"
	"\tcur=${words[cword]} prev=${words[cword-1]}\n"
	"\t# de's own options, before the command: the evidence __complete reads\n"
	"\t_de_spec ''\n"
	"\tfor ((i = 1; i < cword; i++)); do\n"
	"\t\tw=${words[i]}\n"
	"\t\tif [[ $w == -?* && $w != *=* && -n ${vals[$w]-} ]]; then\n"
	"\t\t\t((i + 1 < cword)) && root+=(\"$w\" \"$(_de_unquote \"${words[i + 1]}\")\")\n"
	"\t\t\t((i++))\n"
	"\t\telif [[ $w == --*=* && -n ${vals[${w%%=*}]-} ]]; then\n"
	"\t\t\troot+=(\"${w%%=*}\" \"$(_de_unquote \"${w#*=}\")\")\n"
	"\t\telif [[ $w == --no-support ]]; then\n"
	"\t\t\troot+=(\"$w\")\n"
	"\t\telif [[ $w != -?* ]]; then\n"
	"\t\t\tcmd=$w\n"
	"\t\t\tbreak\n"
	"\t\tfi\n"
	"\tdone\n"
	"\tif [[ -n $cmd ]]; then\n"
	"\t\t_de_spec \"$cmd\"\n"
	"\t\t# the command's words so far: its subcommand, how many arguments\n"
	"\t\tfor ((i++; i < cword; i++)); do\n"
	"\t\t\tw=${words[i]}\n"
	"\t\t\tif ((!dd)) && [[ $w == -- ]]; then\n"
	"\t\t\t\tdd=1\n"
	"\t\t\telif ((!dd)) && [[ $w == -?* ]]; then\n"
	"\t\t\t\t[[ $w != *=* && -n ${vals[$w]-} ]] && ((i++))\n"
	"\t\t\telif ((subs)) && [[ -z $sub ]]; then\n"
	"\t\t\t\tsub=$w\n"
	"\t\t\t\t_de_spec \"$cmd $sub\"\n"
	"\t\t\telse\n"
	"\t\t\t\t((n++)) || ctr=$(_de_unquote \"$w\")   # the first: the container\n"
	"\t\t\tfi\n"
	"\t\tdone\n"
	"\tfi\n"
	"\tif ((!dd)) && [[ $cur == --*=* ]]; then\n"
	"\t\t_de_offer \"${vals[${cur%%=*}]-}\" \"${cur#*=}\"\n"
	"\telif ((!dd)) && [[ $prev == -?* && $prev != *=* && -n ${vals[$prev]-} ]] &&\n"
	"\t\t((cword > 1)); then\n"
	"\t\t_de_offer \"${vals[$prev]}\" \"$cur\"\n"
	"\telif ((!dd)) && [[ $cur == -* ]]; then\n"
	"\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
	"\telse\n"
	"\t\t((n >= ${#args[@]} && rep)) && n=$((${#args[@]} - 1))\n"
	"\t\t_de_offer \"${args[n]-}\" \"$cur\"\n"
	"\tfi\n"
	"}\n"
	"\n"
	"complete -F _de de docker-explorer\n";

void gen_bash(dbuf *out)
{
	db_adds(out, head);
	db_adds(out, "_de_commands='");
	for (const de_command *c = de_commands; c->po.name; c++)
		if (!(c->po.flags & PO_HIDDEN))
			db_addf(out, "%s%s", c == de_commands ? "" : " ", c->po.name);
	db_adds(out, "'\n\n");
	db_adds(out, "# _de_spec NAME: de's own (''), a command's or \"list SUB\"'s\n"
	             "#   opts  the options offered\n"
	             "#   vals  each option taking a value: what completes it (file, dir,\n"
	             "#         container, none, word:W1 W2)\n"
	             "#   args  what completes each argument; rep: the last repeats;\n"
	             "#         subs: the first argument names a subcommand\n"
	             "_de_spec() {\n\topts= args=() rep=0 subs=0\n\tvals=()\n\tcase $1 in\n");
	spec(out, "", &de_main);
	for (const de_command *c = de_commands; c->po.name; c++) {
		if (c->po.flags & PO_HIDDEN)
			continue;
		spec(out, c->po.name, &c->po);
		for (const po_command *s = c->po.subs; s && s->name; s++) {
			char *label = xasprintf("%s %s", c->po.name, s->name);
			spec(out, label, s);
			free(label);
		}
	}
	db_adds(out, "\tesac\n}\n\n");
	db_adds(out, logic);
}
