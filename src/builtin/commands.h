/*
 * commands.h — de's one command table: every command and subcommand, its
 * synopsis (derived), summary, manual text, options (names, value type,
 * allowed values, help) and arguments (what each is), and de's global
 * options in the same form. Everything about a command line is derived
 * from it: the parsing (util/parseopt.h) that hands each command its
 * de_args, `de --help`, `de help COMMAND` and `de COMMAND --help`, the man
 * pages de(1) and de-COMMAND(1), and the bash and zsh completions
 * (src/gen/, at build time).
 *
 * A command reads its options as a->v[DE_K_...] (set, str, num, time,
 * list) and its arguments as a->pos[0..npos-1]: their values were checked
 * against the table before it runs.
 */
#ifndef DE_COMMANDS_H
#define DE_COMMANDS_H

#include "builtin.h"

/* The option keys: each is one slot of de_args.v. */
enum de_key {
	DE_K_NONE,
	/* de's own */
	DE_K_DEBUG, DE_K_DOCKER_DIR, DE_K_ROOT, DE_K_IMAGE, DE_K_IMG_PART, DE_K_VOLUME, DE_K_NAMESPACE, DE_K_NO_SUPPORT, DE_K_VERSION,
	/* the commands' */
	DE_K_OUTPUT, DE_K_FORMAT, DE_K_ALL, DE_K_FILTER, DE_K_TYPE, DE_K_SHOW_EMPTY,
	DE_K_LONG, DE_K_RECURSIVE, DE_K_LAYER, DE_K_NO_VOLUMES, DE_K_HASH, DE_K_HASH_MAX,
	DE_K_IMAGE_LAYERS, DE_K_LOGS, DE_K_PREVIOUS, DE_K_STREAM, DE_K_SINCE, DE_K_UNTIL,
	DE_K_TAIL, DE_K_TIMESTAMPS, DE_K_DRY_RUN, DE_K_FUSE, DE_K_FOREGROUND, DE_K_LOG,
	DE_K_PARENT, DE_K_CHILD, DE_K_YES, DE_K_PLATFORM, DE_K_USER, DE_K_INSECURE,
	DE_K_CA_CERT, DE_K_PARTITION, DE_K_PATH, DE_K_XATTRS, DE_K_CAT,
	DE_K__N
};

typedef struct de_command {
	po_command po;
	int (*run)(const de_args *a, const de_opts *o);
	const char *doc;   /* its reference page in doc/, NULL: none */
} de_command;

/* de itself: its global options, its manual's sections. */
extern const po_command de_main;
/* The commands, in the order help lists them; ended by po.name NULL. */
extern const de_command de_commands[];

const de_command *de_command_find(const char *name);

#endif
