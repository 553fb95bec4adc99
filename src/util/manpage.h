/*
 * manpage.h — a command's manual page, built from its parseopt.h entry
 * (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, the entry's own sections,
 * EXAMPLES, SEE ALSO), and its two renderings: plain text (`de help
 * COMMAND`) and man(7) roff (the man pages, src/gen/). Every section but
 * the synopsis is markup.h text, so both renderings say the same.
 */
#ifndef DE_MANPAGE_H
#define DE_MANPAGE_H

#include "parseopt.h"
#include "strvec.h"

typedef struct mp_section {
	char *title;
	char *text;        /* markup.h */
} mp_section;

typedef struct mp_page {
	char *name;        /* "de-logs": the page's name */
	char *names;       /* NAME's list: "de-logs", "de, docker-explorer" */
	char *summary;
	strvec synopsis;   /* po_synopsis lines */
	mp_section *v;
	size_t n;
} mp_page;

/* The page of cmd, run as "prog cmd->name" (prog NULL: cmd is the program):
 * NAME, SYNOPSIS, DESCRIPTION, and OPTIONS from the table. */
void mp_build(mp_page *p, const char *prog, const po_command *cmd);
/* Appends a section (title, markup text; text copied). */
void mp_add(mp_page *p, const char *title, const char *text);
/* The entry's own sections, then EXAMPLES: the caller adds its sections
 * in between when it has any. */
void mp_finish(mp_page *p, const po_command *cmd);
void mp_free(mp_page *p);

/* As text, filled to width. */
void mp_text(dbuf *out, const mp_page *p, int width);
/* As man(7): .TH NAME section date source manual. */
void mp_roff(dbuf *out, const mp_page *p, const char *section, const char *date,
             const char *source);

#endif
