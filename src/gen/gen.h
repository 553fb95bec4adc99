/*
 * gen.h — de-gen, the build's generator: what is derived from the command
 * table (src/builtin/commands.h) beyond the parser and the help: the man
 * pages and the shell completions. Not installed; `make` runs it.
 *
 * The completions complete de's own options, the commands, each command's
 * options and their values (enumerations, files, directories), its
 * arguments by kind, and CONTAINER from the evidence: they run the command
 * being completed as `de [-r DIR] [--root HOST] [-n NS] [--no-support]
 * __complete containers PREFIX` with the options given on the command line.
 */
#ifndef DE_GEN_H
#define DE_GEN_H

#include "../builtin/commands.h"

/* The completion scripts (bash.c, zsh.c). */
void gen_bash(dbuf *out);
void gen_zsh(dbuf *out);

/* The visible options of c (not PO_UNSHOWN); with subcommands, theirs,
 * each key once. */
size_t gen_options(const po_command *c, const po_option **v, size_t max);

#endif
