/*
 * gen.c — de-gen's entry: writes what `make` derives from the command table.
 *
 *   de-gen man DIR VERSION [DATE]   de.1 and de-COMMAND.1 for each command
 *   de-gen bash FILE                the bash completion
 *   de-gen zsh FILE                 the zsh completion (_de)
 *   de-gen synopsis [COMMAND|de]    the synopsis lines, for the doc checks
 *   de-gen commands                 each visible command and its doc page
 *   de-gen table                    the whole table as JSON, for the tests
 *
 * DATE (YYYY-MM-DD) is the man pages' date: the commit's, given by make,
 * so that a rebuild of one commit gives the same pages.
 */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../builtin/help.h"
#include "../util/manpage.h"

size_t gen_options(const po_command *c, const po_option **v, size_t max)
{
	/* the shown ones, each key once (a key another listing ignores is
	 * shown where it means something) */
	const po_option **all = po_options(c, false);
	size_t n = 0;
	for (size_t i = 0; all[i]; i++) {
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= v[k]->key == all[i]->key;
		if (!seen && !(all[i]->flags & PO_UNSHOWN) && n < max)
			v[n++] = all[i];
	}
	free(all);
	return n;
}

/* Writes b to path (a new version of it: the build's own file). */
static int write_file(const char *path, dbuf *b)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "de-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	int bad = b->len && fwrite(b->p, 1, b->len, f) != b->len;
	if (fclose(f) == EOF || bad) {
		fprintf(stderr, "de-gen: %s: cannot write\n", path);
		return 1;
	}
	db_free(b);
	return 0;
}

static int one_page(const char *dir, const po_command *cmd, const char *version,
                    const char *date)
{
	mp_page p;
	dbuf b = {0};
	de_manual(&p, cmd);
	char *source = xasprintf("de %s", version);
	mp_roff(&b, &p, "1", date, source);
	char *path = xasprintf("%s/%s.1", dir, p.name);
	int rc = write_file(path, &b);
	free(path);
	free(source);
	mp_free(&p);
	db_free(&b);
	return rc;
}

static int man(const char *dir, const char *version, const char *date)
{
	int rc = one_page(dir, &de_main, version, date);
	for (const de_command *c = de_commands; c->po.name && !rc; c++)
		if (!(c->po.flags & PO_HIDDEN))
			rc = one_page(dir, &c->po, version, date);
	return rc;
}

static int synopsis(const char *name)
{
	if (name && !strcmp(name, "de")) {   /* de's own: de [-d] ... COMMAND [ARG...] */
		strvec l = {0};
		po_synopsis(&l, NULL, &de_main);
		printf("%s\n", l.v[0]);
		sv_free(&l);
		return 0;
	}
	for (const de_command *c = de_commands; c->po.name; c++) {
		if ((c->po.flags & PO_HIDDEN) || (name && strcmp(name, c->po.name)))
			continue;
		strvec l = {0};
		po_synopsis(&l, "de", &c->po);
		for (size_t i = 0; i < l.n; i++)
			printf("%s\n", l.v[i]);
		sv_free(&l);
		if (name)
			return 0;
	}
	if (name) {
		fprintf(stderr, "de-gen: no command %s\n", name);
		return 1;
	}
	return 0;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *words_json(const char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static const char *const type_names[] = {"flag", "string", "path", "int", "size", "time",
                                         "enum", "list"};
static const char *const kind_names[] = {"none", "file", "dir", "container", "word", "command",
                                         "path-in-container", "reference"};

static json_t *command_json(const po_command *c)
{
	json_t *j = json_object(), *opts = json_array(), *args = json_array();
	json_object_set_new(j, "name", json_string(c->name));
	json_object_set_new(j, "summary", str_or_null(c->summary));
	json_object_set_new(j, "needs", str_or_null(c->needs));
	json_object_set_new(j, "hidden", json_boolean(c->flags & PO_HIDDEN));
	for (const po_option *o = c->opts; o && o->key; o++) {
		json_t *x = json_object();
		char s[3] = {'-', o->shortname, 0};
		json_object_set_new(x, "short", o->shortname ? json_string(s) : json_null());
		json_object_set_new(x, "long", o->longname ? json_sprintf("--%s", o->longname)
		                                          : json_null());
		json_object_set_new(x, "alias", o->alias ? json_sprintf("--%s", o->alias) : json_null());
		json_object_set_new(x, "type", json_string(type_names[o->type]));
		json_object_set_new(x, "argname", str_or_null(o->argname));
		json_object_set_new(x, "values", words_json(o->values));
		json_object_set_new(x, "kind", json_string(kind_names[o->kind]));
		json_object_set_new(x, "shown", json_boolean(!(o->flags & PO_UNSHOWN)));
		json_object_set_new(x, "ignored", json_boolean(o->flags & PO_IGNORED));
		json_object_set_new(x, "required", json_boolean(o->flags & PO_REQUIRED));
		json_object_set_new(x, "repeat", json_boolean(o->flags & PO_REPEAT));
		json_object_set_new(x, "help", str_or_null(o->help));
		json_array_append_new(opts, x);
	}
	for (const po_arg *a = c->args; a && a->name; a++) {
		json_t *x = json_object();
		json_object_set_new(x, "name", json_string(a->name));
		json_object_set_new(x, "kind", json_string(kind_names[a->kind]));
		json_object_set_new(x, "values", words_json(a->values));
		json_object_set_new(x, "optional", json_boolean(a->optional));
		json_object_set_new(x, "repeat", json_boolean(a->repeat));
		json_array_append_new(args, x);
	}
	json_object_set_new(j, "options", opts);
	json_object_set_new(j, "args", args);
	if (c->subs) {
		json_t *subs = json_array();
		for (const po_command *s = c->subs; s->name; s++)
			json_array_append_new(subs, command_json(s));
		json_object_set_new(j, "subcommands", subs);
	}
	return j;
}

/* The table as JSON: de's own options, then each command. */
static int table(void)
{
	json_t *j = json_object(), *cmds = json_array();
	json_object_set_new(j, "de", command_json(&de_main));
	for (const de_command *c = de_commands; c->po.name; c++) {
		json_t *x = command_json(&c->po);
		json_object_set_new(x, "doc", str_or_null(c->doc));
		json_array_append_new(cmds, x);
	}
	json_object_set_new(j, "commands", cmds);
	int rc = json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0 ||
	         fputc('\n', stdout) == EOF;
	json_decref(j);
	return rc;
}

static int usage(void)
{
	fputs("usage: de-gen man DIR VERSION [DATE] | bash FILE | zsh FILE | synopsis [COMMAND]"
	      " | commands | table\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *what = argv[1];
	if (!strcmp(what, "man") && (argc == 4 || argc == 5))
		return man(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	if (!strcmp(what, "bash") && argc == 3) {
		dbuf b = {0};
		gen_bash(&b);
		return write_file(argv[2], &b);
	}
	if (!strcmp(what, "zsh") && argc == 3) {
		dbuf b = {0};
		gen_zsh(&b);
		return write_file(argv[2], &b);
	}
	if (!strcmp(what, "synopsis") && argc <= 3)
		return synopsis(argc == 3 ? argv[2] : NULL);
	if (!strcmp(what, "table") && argc == 2)
		return table();
	if (!strcmp(what, "commands") && argc == 2) {
		for (const de_command *c = de_commands; c->po.name; c++)
			if (!(c->po.flags & PO_HIDDEN))
				printf("%s %s\n", c->po.name, c->doc ? c->doc : "-");
		return 0;
	}
	return usage();
}
