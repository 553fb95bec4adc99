/*
 * de.c — entry point: de's own options, then one command, both parsed by
 * the command table (builtin/commands.h), which also says what they are.
 *
 *   de [-d] [-r DOCKER_DIRECTORY] [--root HOST_ROOT] [-n NAMESPACE]
 *      [--no-support] [-V] COMMAND [ARG...]
 *
 * The command line is docker-explorer's (de.py): with no COMMAND, `de` runs
 * `list all_containers`. Exit status: 0 done, 1 error, 2 usage, 3 done but
 * something could not be read (each omission was a warning on stderr).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/noatime.h"
#include "builtin/commands.h"
#include "builtin/help.h"
#include "util/diag.h"

#ifndef DE_VERSION
#define DE_VERSION "0.1.0"
#endif

/* The run ends with the list of what could not be read and why: in a long
 * run the warnings are scattered among thousands of lines. The first
 * SUMMARY_MAX are repeated; all were printed as they happened. */
#define SUMMARY_MAX 50

static void print_omissions(size_t n)
{
	fprintf(stderr, "de: the result is incomplete: %zu item%s could not be read:\n", n,
	        n == 1 ? "" : "s");
	size_t kept = de_omission_kept();
	for (size_t i = 0; i < kept && i < SUMMARY_MAX; i++)
		fprintf(stderr, "de:   %s\n", de_omission_msg(i));
	if (n > SUMMARY_MAX)
		fprintf(stderr, "de:   … and %zu more (see the warnings above)\n", n - SUMMARY_MAX);
}

/* Whether the option a message begins with ("-r: not an option of de
 * logs") is one of de's own: they come before the command. */
static bool own_option(const char *msg)
{
	size_t n = strcspn(msg, ":");
	for (const po_option *o = de_main.opts; o->key; o++) {
		char s[3] = {'-', o->shortname, 0};
		if ((o->shortname && n == 2 && !strncmp(msg, s, 2)) ||
		    (o->longname && n == strlen(o->longname) + 2 && !strncmp(msg + 2, o->longname, n - 2) &&
		     !strncmp(msg, "--", 2)))
			return true;
	}
	return false;
}

/* A bad command line: what is wrong, then the usage; exit 2. */
static int usage_error(const de_err *e, const po_command *cmd)
{
	fprintf(stderr, "%s\n", e->msg);
	if (cmd != &de_main && strstr(e->msg, ": not an option of ") && own_option(e->msg))
		fprintf(stderr, "(%.*s is one of de's own options: they come before the command, "
		        "as in de %.*s ... %s)\n", (int)strcspn(e->msg, ":"), e->msg,
		        (int)strcspn(e->msg, ":"), e->msg, cmd->name);
	de_print_usage(stderr, cmd);
	return DE_EXIT_USAGE;
}

/* The command line after de's own options: the command's, parsed by the
 * table, then run. */
static int run(int argc, char **argv, const de_opts *o)
{
	const de_command *cmd = de_command_find(argv[0]);
	if (!cmd) {
		de_unknown_command(argv[0], "de");
		de_print_usage(stderr, &de_main);
		return DE_EXIT_USAGE;
	}
	po_value v[DE_K__N];
	de_args a;
	de_err e;
	int rc;
	if (po_parse(&cmd->po, argc, argv, v, DE_K__N, &a, &e) < 0)
		rc = usage_error(&e, &cmd->po);
	else if (a.help)
		rc = de_command_help(&cmd->po);
	else {
		for (size_t i = 0; i < a.ignored.n; i++)
			de_note("%s has no effect on %s%s%s: ignored", a.ignored.v[i], a.top->name,
			        a.cmd != a.top ? " " : "", a.cmd != a.top ? a.cmd->name : "");
		rc = cmd->run(&a, o);
	}
	po_result_free(&a);
	return rc;
}

int main(int argc, char **argv)
{
	po_value v[DE_K__N];
	de_args g;
	de_err e;
	if (po_parse(&de_main, argc, argv, v, DE_K__N, &g, &e) < 0) {
		po_result_free(&g);
		return usage_error(&e, &de_main);
	}
	int rc = DE_EXIT_OK;
	if (g.help || v[DE_K_VERSION].set) {
		dbuf b = {0};
		if (g.help)
			de_help_main(&b);
		else
			db_addf(&b, "de %s\n", DE_VERSION);
		if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) == EOF)
			rc = DE_EXIT_ERROR;
		db_free(&b);
		po_result_free(&g);
		return rc;
	}
	de_noatime_link();
	de_debug_on = v[DE_K_DEBUG].set;
	de_opts o = {
		.docker_dir = v[DE_K_DOCKER_DIR].set ? v[DE_K_DOCKER_DIR].str : "/var/lib/docker",
		.docker_dir_given = v[DE_K_DOCKER_DIR].set,
		.host_root = v[DE_K_ROOT].set ? v[DE_K_ROOT].str : NULL,
		.pod_namespace = v[DE_K_NAMESPACE].set ? v[DE_K_NAMESPACE].str : NULL,
		.no_support = v[DE_K_NO_SUPPORT].set,
	};
	if (v[DE_K_IMAGE].set) {
		const char *which = v[DE_K_IMG_PART].set ? v[DE_K_IMG_PART].str
		                  : v[DE_K_VOLUME].set ? v[DE_K_VOLUME].str : NULL;
		if (v[DE_K_ROOT].set || v[DE_K_DOCKER_DIR].set) {
			fprintf(stderr, "--image names the evidence: --root and -r cannot be given with it\n");
			po_result_free(&g);
			return DE_EXIT_USAGE;
		}
		const strvec *imgs = &v[DE_K_IMAGE].list;
		if ((rc = de_image_attach(&o, (const char *const *)imgs->v, imgs->n, which)) != DE_EXIT_OK) {
			de_image_detach();
			po_result_free(&g);
			return rc;
		}
	} else if (v[DE_K_IMG_PART].set || v[DE_K_VOLUME].set) {
		fprintf(stderr, "--partition and --volume choose a volume of --image's disk image\n");
		po_result_free(&g);
		return DE_EXIT_USAGE;
	}
	/* de.py's default: no command lists every container */
	static char *default_argv[] = {"list", "all_containers", NULL};
	if (g.npos)
		rc = run((int)g.npos, g.pos, &o);
	else
		rc = run(2, default_argv, &o);
	po_result_free(&g);
	de_image_detach();
	size_t n = de_omission_count();
	if (rc == DE_EXIT_OK && n > 0) {
		print_omissions(n);
		rc = DE_EXIT_INCOMPLETE;
	}
	de_omissions_reset();
	return rc;
}
