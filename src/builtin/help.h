/*
 * help.h — de's help, derived from the command table (commands.h): the
 * short help (`de --help`, `de COMMAND --help`), the manual pages (`de help
 * COMMAND`, and src/gen/'s man pages: one builder for both).
 */
#ifndef DE_HELP_H
#define DE_HELP_H

#include "builtin.h"
#include "../util/manpage.h"

/* `de --help` and `de help`: usage, options, commands, CONTAINER. */
void de_help_main(dbuf *out);
/* `de COMMAND --help` on stdout; its exit status. */
int de_command_help(const po_command *cmd);
/* The manual page of cmd: de(1) for de_main, else de-COMMAND(1). */
void de_manual(mp_page *p, const po_command *cmd);
/* WHERE: "NAME" is not a command (list, history, ...), on stderr. */
void de_unknown_command(const char *name, const char *where);

#endif
