/*
 * builtin.h — the commands. One file each, thin: parse the command's own
 * arguments, call the runtime, driver and output modules, print. A command
 * returns an exit status; main() turns "success with warnings" into 3.
 */
#ifndef DE_BUILTIN_H
#define DE_BUILTIN_H

#include "../runtime/docker.h"

enum {
	DE_EXIT_OK = 0,
	DE_EXIT_ERROR = 1,
	DE_EXIT_USAGE = 2,
	DE_EXIT_INCOMPLETE = 3,   /* done, but something could not be read */
};

/* Global options, parsed by main(). */
typedef struct de_opts {
	const char *docker_dir;   /* -r, default /var/lib/docker */
	const char *host_root;    /* --root, NULL when not given */
} de_opts;

typedef struct de_command {
	const char *name;
	int (*run)(int argc, char **argv, const de_opts *o);
	const char *usage;
	const char *summary;
} de_command;

int cmd_list(int argc, char **argv, const de_opts *o);
int cmd_history(int argc, char **argv, const de_opts *o);
int cmd_mount(int argc, char **argv, const de_opts *o);
int cmd_ls(int argc, char **argv, const de_opts *o);
int cmd_cat(int argc, char **argv, const de_opts *o);
int cmd_export(int argc, char **argv, const de_opts *o);
int cmd_logs(int argc, char **argv, const de_opts *o);
int cmd_inspect(int argc, char **argv, const de_opts *o);
int cmd_diff(int argc, char **argv, const de_opts *o);
int cmd_timeline(int argc, char **argv, const de_opts *o);

/* Shared by the commands: open the data root, or print why not. */
int de_open_docker(const de_opts *o, de_docker *d);
/* Open the data root and resolve CONTAINER; prints the error on failure. */
de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref);
/* The error message alone, on a line of stderr. */
void de_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* -o FILE: stdout goes to a new file (an existing one is not overwritten). */
int de_redirect_stdout(const char *path);
/* Writes j to stdout; DE_EXIT_ERROR when stdout fails (disk full, closed pipe). */
int de_emit_json(json_t *j);

#endif
