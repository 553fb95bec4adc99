/*
 * manpage.c — see manpage.h.
 */
#include "manpage.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"

void mp_add(mp_page *p, const char *title, const char *text)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	p->v[p->n++] = (mp_section){xstrdup(title), xstrdup(text)};
}

/* A help line as a sentence: capital first, full stop last. */
static void sentence(dbuf *b, const char *s)
{
	size_t at = b->len, n = strlen(s);
	if (!n)
		return;
	db_adds(b, s);
	b->p[at] = (char)toupper((unsigned char)b->p[at]);
	if (n && s[n - 1] != '.')
		db_adds(b, ".");
}

static void option_entry(dbuf *b, const po_option *o)
{
	db_adds(b, "= ");
	po_option_label(b, o);
	db_adds(b, "\n");
	if (o->man)
		db_adds(b, o->man);
	else
		sentence(b, o->help ? o->help : "");
	db_adds(b, "\n\n");
}

static void options_text(dbuf *b, const po_command *cmd)
{
	const po_option **v = po_options(cmd, false);
	for (size_t i = 0; v[i]; i++)
		if (!(v[i]->flags & PO_UNSHOWN))
			option_entry(b, v[i]);
	free(v);
	option_entry(b, &po_help_option);
}

void mp_build(mp_page *p, const char *prog, const po_command *cmd)
{
	memset(p, 0, sizeof *p);
	p->name = prog ? xasprintf("%s-%s", prog, cmd->name) : xstrdup(cmd->name);
	p->names = xstrdup(p->name);
	p->summary = xstrdup(cmd->summary ? cmd->summary : "");
	po_synopsis(&p->synopsis, prog, cmd);
	dbuf b = {0};
	if (cmd->man)
		db_adds(&b, cmd->man);
	for (const po_command *s = cmd->subs; s && s->name; s++)   /* one item each */
		if (!(s->flags & PO_HIDDEN))
			db_addf(&b, "\n\n- `%s`: %s", s->name, s->man ? s->man : s->summary);
	if (b.len)
		mp_add(p, "DESCRIPTION", b.p);
	db_free(&b);
	options_text(&b, cmd);
	mp_add(p, "OPTIONS", b.p);
	db_free(&b);
}

void mp_finish(mp_page *p, const po_command *cmd)
{
	for (const po_section *s = cmd->sections; s && s->title; s++)
		mp_add(p, s->title, s->text);
	if (cmd->examples)
		mp_add(p, "EXAMPLES", cmd->examples);
}

void mp_free(mp_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].title);
		free(p->v[i].text);
	}
	free(p->v);
	free(p->name);
	free(p->names);
	free(p->summary);
	sv_free(&p->synopsis);
	memset(p, 0, sizeof *p);
}

void mp_text(dbuf *out, const mp_page *p, int width)
{
	char *name = xasprintf("%s - %s", p->names, p->summary);
	db_adds(out, "NAME\n");
	mu_text(out, name, 4, width);
	db_adds(out, "\nSYNOPSIS\n");
	free(name);
	for (size_t i = 0; i < p->synopsis.n; i++) {
		db_adds(out, "    ");
		po_wrap_synopsis(out, p->synopsis.v[i], 4, 8, (size_t)width);
	}
	for (size_t i = 0; i < p->n; i++) {
		db_addf(out, "\n%s\n", p->v[i].title);
		mu_text(out, p->v[i].text, 4, width);
	}
}

static void roff_upper(dbuf *out, const char *s)
{
	dbuf u = {0};
	for (; *s; s++)
		db_addf(&u, "%c", toupper((unsigned char)*s));
	mu_roff_escape(out, u.p, u.len);
	db_free(&u);
}

void mp_roff(dbuf *out, const mp_page *p, const char *section, const char *date,
             const char *source)
{
	db_adds(out, ".\\\" Generated from de's command table (src/builtin/commands.c) by de-gen:\n"
	             ".\\\" edit the table, not this page.\n");
	db_adds(out, ".TH ");
	roff_upper(out, p->name);
	db_addf(out, " %s \"%s\" \"", section, date ? date : "");
	mu_roff_escape(out, source, strlen(source));
	db_adds(out, "\" \"User Commands\"\n");
	/* ragged right and no hyphenation: options and paths stay whole */
	db_adds(out, ".nh\n.ad l\n.SH NAME\n");
	mu_roff_escape(out, p->names, strlen(p->names));
	db_adds(out, " \\- ");
	mu_roff_escape(out, p->summary, strlen(p->summary));
	db_adds(out, "\n.SH SYNOPSIS\n");
	for (size_t i = 0; i < p->synopsis.n; i++) {
		if (i)
			db_adds(out, ".br\n");
		mu_roff_literal(out, p->synopsis.v[i], strlen(p->synopsis.v[i]));
		db_adds(out, "\n");
	}
	for (size_t i = 0; i < p->n; i++) {
		db_adds(out, strchr(p->v[i].title, ' ') ? ".SH \"" : ".SH ");
		db_adds(out, p->v[i].title);
		db_adds(out, strchr(p->v[i].title, ' ') ? "\"\n" : "\n");
		mu_roff(out, p->v[i].text);
	}
}
