/*
 * help.c — what de says about itself, from the command table: `de --help`,
 * `de help [COMMAND]`, a command's --help and usage, the manual pages
 * (de_manual: also src/gen/'s man pages), and `de __complete`, which the
 * shell completions run to offer the evidence's containers and the paths
 * in one.
 */
#include "help.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "../util/manpage.h"
#include "../util/markup.h"

#define WIDTH 80

static int put(FILE *f, dbuf *b)
{
	int rc = b->len && fwrite(b->p, 1, b->len, f) != b->len ? -1 : 0;
	db_free(b);
	if (fflush(f) == EOF)
		rc = -1;
	return rc;
}

void de_print_usage(FILE *f, const po_command *cmd)
{
	dbuf b = {0};
	po_usage(&b, cmd == &de_main ? NULL : "de", cmd, WIDTH);
	put(f, &b);
}

/* "logs CONTAINER", "list all_containers|...": a command and its arguments. */
static void command_term(dbuf *b, const po_command *c)
{
	db_adds(b, c->name);
	if (c->subs) {
		db_adds(b, " ");
		for (const po_command *s = c->subs; s->name; s++)
			if (!(s->flags & PO_HIDDEN))
				db_addf(b, "%s%s", s == c->subs ? "" : " | ", s->name);
	}
	for (const po_option *o = c->opts; o && o->key; o++)   /* merge-vhdx -p PARENT */
		if (o->flags & PO_REQUIRED) {
			if (o->shortname)
				db_addf(b, " -%c %s", o->shortname, o->argname ? o->argname : "VALUE");
			else
				db_addf(b, " --%s %s", o->longname, o->argname ? o->argname : "VALUE");
		}
	po_synopsis_args(b, c);
}

void de_help_main(dbuf *out)
{
	po_help(out, NULL, &de_main, WIDTH);
	db_adds(out, "\ncommands:\n");
	for (const de_command *c = de_commands; c->po.name; c++)
		if (!(c->po.flags & PO_HIDDEN))
			po_columns(out, c->po.name, c->po.summary, 14, WIDTH - 1);
	for (const po_section *s = de_main.sections; s->title; s++) {
		if (!strcmp(s->title, "CONTAINER")) {
			db_adds(out, "\n");
			mu_text(out, s->text, 0, WIDTH - 1);
		}
	}
	db_adds(out, "\nexit status: 0 done, 1 error, 2 usage, 3 done with omissions (see stderr)\n"
	             "de help COMMAND: a command's manual; de COMMAND --help: its options\n");
}

void de_manual(mp_page *p, const po_command *cmd)
{
	if (cmd == &de_main) {
		mp_build(p, NULL, cmd);
		free(p->names);
		p->names = xstrdup("de, docker-explorer");
		dbuf b = {0};
		db_adds(&b, "With no command, de runs `list all_containers`. Each command has its "
		            "manual page, de-COMMAND(1), and `de help COMMAND` prints it.\n\n");
		for (const de_command *c = de_commands; c->po.name; c++) {
			if (c->po.flags & PO_HIDDEN)
				continue;
			db_adds(&b, "= ");
			command_term(&b, &c->po);
			db_addf(&b, "\n%c%s: `de-%s(1)`.\n\n", toupper((unsigned char)c->po.summary[0]),
			        c->po.summary + 1, c->po.name);
		}
		mp_add(p, "COMMANDS", b.p);
		db_free(&b);
		mp_finish(p, cmd);
		b = (dbuf){0};
		for (const de_command *c = de_commands; c->po.name; c++)
			if (!(c->po.flags & PO_HIDDEN) && c->doc)
				db_addf(&b, "`de-%s(1)`, ", c->po.name);
		db_adds(&b, "`mactime(1)`, `mount(8)`, `fusermount3(1)`, `docker-inspect(1)`, "
		            "`podman-diff(1)`");
		mp_add(p, "SEE ALSO", b.p);
		db_free(&b);
		return;
	}
	const de_command *dc = de_command_find(cmd->name);
	mp_build(p, "de", cmd);
	mp_finish(p, cmd);
	mp_add(p, "EXIT STATUS", "0 done, 1 error, 2 usage error, 3 done with omissions (each "
	                         "was a warning on stderr): see de(1).");
	dbuf b = {0};
	db_adds(&b, "`de(1)`: de's own options (`-r`, `--root`...), which come before the "
	            "command, and `CONTAINER`.");
	if (dc && dc->doc)
		db_addf(&b, " The reference, with real output: %s in "
		            "/usr/share/doc/docker-explorer-tools/.", dc->doc);
	mp_add(p, "SEE ALSO", b.p);
	db_free(&b);
}

int cmd_help(const de_args *a, const de_opts *o)
{
	(void)o;
	dbuf b = {0};
	if (!a->npos) {
		de_help_main(&b);
	} else {
		const de_command *c = de_command_find(a->pos[0]);
		if (!c || (c->po.flags & PO_HIDDEN)) {
			de_unknown_command(a->pos[0], "help");
			de_print_usage(stderr, a->top);
			return DE_EXIT_USAGE;
		}
		mp_page p;
		de_manual(&p, &c->po);
		mp_text(&b, &p, WIDTH - 1);
		mp_free(&p);
	}
	if (put(stdout, &b) < 0) {
		de_error("cannot write the output");
		return DE_EXIT_ERROR;
	}
	return DE_EXIT_OK;
}

void de_unknown_command(const char *name, const char *where)
{
	dbuf b = {0};
	for (const de_command *c = de_commands; c->po.name; c++)
		if (!(c->po.flags & PO_HIDDEN))
			db_addf(&b, "%s%s", b.len ? ", " : "", c->po.name);
	fprintf(stderr, "%s: \"%s\" is not a command (%s)\n", where, name, b.p);
	db_free(&b);
}

int de_command_help(const po_command *cmd)
{
	dbuf b = {0};
	po_help(&b, "de", cmd, WIDTH);
	db_addf(&b, "\nde's own options (-r, --root...) come before %s: see de --help.\n"
	            "The manual: de help %s, or man de-%s.\n", cmd->name, cmd->name, cmd->name);
	return put(stdout, &b) < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
}

/* ---- __complete ------------------------------------------------------------- */

static bool all_hex(const char *s)
{
	return *s && strspn(s, "0123456789abcdef") == strlen(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The containers' names (and RUNTIME:NAME, IDs) that begin with prefix:
 * what a shell offers for CONTAINER. The same roots as the command being
 * completed reads. */
static void complete_containers(const de_opts *o, const char *prefix, strvec *out)
{
	size_t plen = strlen(prefix);
	de_host h;
	if (de_host_load(o, &h) == DE_EXIT_OK) {
		for (size_t i = 0; i < h.n; i++) {
			const de_container *c = h.all[i].c;
			const char *name = c->name ? c->name + (c->name[0] == '/') : NULL;
			if (name && *name && !strncmp(name, prefix, plen))
				sv_push(out, name);
			if (name && *name && strchr(prefix, ':'))
				sv_pushf(out, "%s:%s", c->runtime ? c->runtime : "docker", name);
			if (c->id && all_hex(prefix) && !strncmp(c->id, prefix, plen))
				sv_push(out, c->id);
		}
	}
	de_host_free(&h);
}

/* The entries of the container's view whose path begins with prefix (a
 * directory with a / after it): what a shell offers for a PATH in it. */
static void complete_paths(const de_opts *o, const char *ref, const char *prefix, strvec *out)
{
	if (!*prefix)   /* paths in a container are absolute */
		prefix = "/";
	const char *slash = strrchr(prefix, '/');
	size_t dlen = slash ? (size_t)(slash - prefix) + 1 : 0;
	char *dir = xstrndup(prefix, dlen);
	const char *base = prefix + dlen;
	de_target t;
	de_err e;
	un_dir d = {0};
	if (de_target_open(&t, o, ref, true, true) < 0)
		goto out;
	if (un_readdir(t.v.fs, *dir ? dir : "/", &d, &e) == 0) {
		for (size_t i = 0; i < d.n; i++) {
			const char *n = d.v[i].name;
			bool ctl = false;   /* one entry, one line */
			for (const char *c = n; *c; c++)
				ctl |= (unsigned char)*c < 0x20;
			if (!ctl && !strncmp(n, base, strlen(base)))
				sv_pushf(out, "%s%s%s", dir, n, d.v[i].type == DT_DIR ? "/" : "");
		}
		un_dir_free(&d);
	}
	de_target_close(&t);
out:
	free(dir);
}

/* `de __complete containers [PREFIX]`, `de __complete paths CONTAINER
 * [PREFIX]`: one candidate a line, sorted, nothing on stderr (a completion
 * must not write over the command line being edited). */
int cmd_complete(const de_args *a, const de_opts *o)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	strvec out = {0};
	const char *prefix = "";
	if (!strcmp(a->pos[0], "containers")) {
		prefix = a->npos > 1 ? a->pos[1] : "";
		complete_containers(o, prefix, &out);
	} else if (a->npos > 1) {
		prefix = a->npos > 2 ? a->pos[2] : "";
		complete_paths(o, a->pos[1], prefix, &out);
	}
	if (out.n)
		qsort(out.v, out.n, sizeof *out.v, cmp_str);
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < out.n; i++)
		if ((!i || strcmp(out.v[i], out.v[i - 1])) && !strncmp(out.v[i], prefix, plen))
			printf("%s\n", out.v[i]);
	sv_free(&out);
	return fflush(stdout) == EOF ? DE_EXIT_ERROR : DE_EXIT_OK;
}
