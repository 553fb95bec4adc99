/*
 * parseopt.h — command lines declared as data, after git's parse-options:
 * a command's options (names, value type, allowed values, help) and its
 * positional arguments (what kind of thing each is) are a table, and the
 * parser, the synopsis and the help are derived from it. The man pages and
 * shell completions are derived from the same table (src/gen/).
 *
 * The command line is GNU getopt_long's, which de.py's argparse users type
 * too: options anywhere among the arguments, "--" ends them; a long option
 * abbreviated to a unique prefix, its value as --name=V or --name V (taken
 * whatever it looks like: --since -1.5); short options bundled (-lR) and
 * their value attached or next (-oFILE, -o FILE). A command with
 * subcommands (list) takes the name of one as its first argument. -h and
 * --help are every command's: no table declares them.
 *
 * Contract: po_parse never prints and never exits. A bad command line is a
 * de_err in one form, naming what was given:
 *   --tail: "ten" is not a number of lines (0 to 10000000)
 *   --since: "yesterday" is not a time (RFC 3339 as ..., or Unix seconds as ...)
 *   list: "bogus" is not a listing (all_containers, ...)
 *   logs: CONTAINER is missing
 * and the caller prints it with the command's synopsis (exit 2).
 */
#ifndef DE_PARSEOPT_H
#define DE_PARSEOPT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strvec.h"
#include "timefmt.h"

typedef enum po_type {
	PO_FLAG,     /* no value */
	PO_STRING,   /* any text (check, when set, says which) */
	PO_PATH,     /* a path of this machine (kind: file or directory) */
	PO_INT,      /* a decimal integer from min to max */
	PO_SIZE,     /* a number of bytes, 0 or more */
	PO_TIME,     /* RFC 3339, or Unix seconds with up to 9 decimals */
	PO_ENUM,     /* one of values */
	PO_LIST,     /* comma-separated items; every occurrence adds to them */
} po_type;

/* What a value or an argument is, for the completions. */
typedef enum po_kind {
	PO_K_NONE,       /* free text: nothing to offer */
	PO_K_FILE,       /* a file of this machine */
	PO_K_DIR,        /* a directory of this machine */
	PO_K_CONTAINER,  /* a container of the evidence (-r, --root) */
	PO_K_WORD,       /* one of values */
	PO_K_COMMAND,    /* the name of a command of the table */
	PO_K_INPATH,     /* a path in the container the first argument names */
	PO_K_REFERENCE,  /* an image reference of a registry: nothing to offer */
} po_kind;

enum {
	PO_REPEAT = 1,     /* may be given many times: every value is kept */
	PO_REQUIRED = 2,   /* an option that must be given (merge-vhdx -p) */
	PO_HIDDEN = 4,     /* accepted, never shown: an old spelling kept working */
	PO_STOP = 8,       /* command: options end at its first argument (de's globals) */
	PO_IGNORED = 16,   /* hidden, and has no effect here (another subcommand's,
	                    * which this one always accepted): listed in ignored */
};
/* The options no synopsis, help or manual shows. */
#define PO_UNSHOWN (PO_HIDDEN | PO_IGNORED)

typedef struct po_option {
	int key;                    /* the slot of po_result.v it fills (> 0) */
	char shortname;             /* 0: none */
	const char *longname;       /* NULL: none */
	const char *alias;          /* another long name it answers to (de.py's) */
	po_type type;
	const char *argname;        /* the value's placeholder: FILE, T, N */
	const char *const *values;  /* PO_ENUM: the allowed values, NULL-ended */
	long long min, max;         /* PO_INT */
	const char *noun;           /* what a value is, in messages: "format" */
	const char *accepted;       /* what is accepted, after a bad value */
	int (*check)(const char *value);   /* PO_STRING: 0 when well-formed */
	po_kind kind;               /* what completes its value */
	unsigned flags;
	const char *help;           /* one line, for --help */
	const char *man;            /* more, for the manual (markup.h); NULL: help */
} po_option;

typedef struct po_arg {
	const char *name;           /* CONTAINER, PATH, FILE ... NULL ends a list */
	po_kind kind;
	const char *const *values;  /* PO_K_WORD: the words it may be */
	const char *noun;           /* PO_K_WORD: what one is, in messages */
	bool optional, repeat;
	int unless;                 /* key of a flag that stands instead (timeline --all) */
	const char *help;
} po_arg;

/* A manual's section beyond the derived ones (markup.h text). */
typedef struct po_section {
	const char *title;          /* NULL ends a list */
	const char *text;
} po_section;

typedef struct po_command {
	const char *name;           /* NULL ends a list */
	const char *summary;        /* one line, lower case, no full stop */
	const po_option *opts;      /* ended by an entry with key 0 */
	const po_arg *args;
	const struct po_command *subs;   /* the first argument names one */
	const char *subs_noun;      /* what a subcommand is, in messages */
	const char *needs;          /* a global option it needs, for its synopsis */
	unsigned flags;
	const char *man;            /* the manual's DESCRIPTION (markup.h) */
	const char *examples;       /* the manual's EXAMPLES (markup.h) */
	const po_section *sections; /* more of its manual, after OPTIONS */
} po_command;

typedef struct po_value {
	bool set;
	const char *str;            /* the last value given, as given */
	long long num;              /* PO_INT, PO_SIZE */
	de_time time;               /* PO_TIME */
	size_t index;               /* PO_ENUM: its place in values */
	strvec list;                /* PO_LIST items; PO_REPEAT: every value */
} po_value;

typedef struct po_result {
	const po_command *top;      /* the command named */
	const po_command *cmd;      /* it, or its subcommand */
	po_value *v;                /* indexed by option key, nv of them */
	size_t nv;
	char **pos;                 /* the positional arguments (into argv) */
	size_t npos;
	bool help;                  /* -h or --help was given */
	strvec ignored;             /* the PO_IGNORED options given: "--format" */
} po_result;

/* Parses argv[1..argc-1] (argv[0] is the command's name) against cmd into
 * r, whose v (nv slots, zeroed here) the caller provides; r points into
 * argv, which must outlive it. With PO_STOP, the first argument and all
 * after it are left in pos unread. 0, or -1 with e saying what is wrong.
 * -h/--help sets r->help and stops. po_result_free(r) in every case. */
int po_parse(const po_command *cmd, int argc, char **argv, po_value *v, size_t nv,
             po_result *r, de_err *e);
void po_result_free(po_result *r);

/* The option of cmd (or of its subcommands) with key; NULL if none. */
const po_option *po_find_key(const po_command *cmd, int key);

/* The options of cmd, or of each of its subcommands in turn, NULL-ended
 * (free the array): one that is another's again is left out, by its key
 * (by_key), or by its key and help (--all: one per meaning). */
const po_option **po_options(const po_command *cmd, bool by_key);
/* The synopsis lines of cmd, each "PROG NAME ARGS OPTIONS", without
 * "usage:" (a command with subcommands: one line per group of
 * subcommands that take the same options). */
void po_synopsis(strvec *lines, const char *prog, const po_command *cmd);
/* " CONTAINER [PATH]", " CONTAINER... | --all": c's arguments as its
 * synopsis writes them; the key of the option written among them, or 0. */
int po_synopsis_args(dbuf *b, const po_command *c);
/* One synopsis line, from column first, wrapped at width between its
 * bracketed parts, continuation lines at indent; ends with a newline. */
void po_wrap_synopsis(dbuf *out, const char *line, size_t first, size_t indent, size_t width);
/* "usage: " and the synopsis lines, wrapped at width. */
void po_usage(dbuf *out, const char *prog, const po_command *cmd, int width);
/* How an option is written in help: "-o, --output FILE". */
void po_option_label(dbuf *out, const po_option *o);
/* "  LABEL      text": text filled to width in a column at col (on the
 * next line when LABEL reaches it). */
void po_columns(dbuf *out, const char *label, const char *text, size_t col, size_t width);
/* --help: usage, summary, arguments and options, two columns. */
void po_help(dbuf *out, const char *prog, const po_command *cmd, int width);
/* What a positional's value may be: "json|table"-like, for synopses. */
void po_arg_label(dbuf *out, const po_arg *a);
/* The implicit -h, --help of every command. */
extern const po_option po_help_option;

#endif
