/* Unit tests: util/parseopt (the command line as GNU getopt_long and
 * de.py's argparse users type it, the one message form, the synopsis)
 * and util/markup (its text and roff renderings), on a small table made
 * here; de's own table is tested end to end (tests/e2e/t_cmdline.sh,
 * t_cmdtable.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/markup.h"
#include "util/parseopt.h"

enum { K_NONE, K_LONG, K_REC, K_OUT, K_FMT, K_TAIL, K_SIZE, K_SINCE, K_FILTER, K_INSECURE,
       K_ALL, K_FUSE, K_FOREGROUND, K_PLAT, K_PARENT, K_DEBUG, K_ROOT, K__N };

static const char *const fmts[] = {"text", "json", NULL};

static int check_plat(const char *v)
{
	return strchr(v, '/') ? 0 : -1;
}

static const po_option opts[] = {
	{.key = K_LONG, .shortname = 'l', .type = PO_FLAG, .help = "long"},
	{.key = K_REC, .shortname = 'R', .type = PO_FLAG, .help = "recursive"},
	{.key = K_OUT, .shortname = 'o', .longname = "output", .type = PO_PATH, .argname = "FILE",
	 .help = "output"},
	{.key = K_FMT, .longname = "format", .type = PO_ENUM, .values = fmts, .noun = "format",
	 .help = "format"},
	{.key = K_TAIL, .longname = "tail", .type = PO_INT, .argname = "N", .min = 0, .max = 100,
	 .noun = "number of lines", .help = "tail"},
	{.key = K_SIZE, .longname = "hash-max", .type = PO_SIZE, .argname = "BYTES", .help = "size"},
	{.key = K_SINCE, .longname = "since", .type = PO_TIME, .argname = "T", .help = "since"},
	{.key = K_FILTER, .shortname = 'F', .longname = "filter", .alias = "filter_repositories",
	 .type = PO_LIST, .argname = "REPO1,REPO2", .help = "filter"},
	{.key = K_INSECURE, .longname = "insecure-registry", .type = PO_STRING,
	 .argname = "HOST", .flags = PO_REPEAT, .help = "insecure"},
	{.key = K_FUSE, .longname = "fuse", .type = PO_FLAG, .help = "fuse"},
	{.key = K_FOREGROUND, .shortname = 'f', .longname = "foreground", .type = PO_FLAG,
	 .help = "foreground"},
	{.key = K_PLAT, .longname = "platform", .type = PO_STRING, .argname = "OS/ARCH",
	 .noun = "platform", .accepted = "OS/ARCH", .check = check_plat, .help = "platform"},
	{0},
};

static const po_arg args[] = {
	{.name = "CONTAINER", .kind = PO_K_CONTAINER},
	{.name = "PATH", .optional = true},
	{0},
};

static const po_command cmd = {.name = "ls", .opts = opts, .args = args};

static const po_option all_opt[] = {
	{.key = K_ALL, .longname = "all", .type = PO_FLAG, .help = "all"},
	{0},
};

static const po_arg many[] = {
	{.name = "CONTAINER", .repeat = true, .unless = K_ALL},
	{0},
};

static const po_command timeline = {.name = "timeline", .opts = all_opt, .args = many};

static const po_option req_opts[] = {
	{.key = K_PARENT, .shortname = 'p', .longname = "parent_disk", .type = PO_PATH,
	 .argname = "PARENT", .flags = PO_REQUIRED, .help = "parent"},
	{0},
};

static const po_command merge = {.name = "merge-vhdx", .opts = req_opts};

static const po_option sub_a_opts[] = {
	{.key = K_ALL, .longname = "all", .type = PO_FLAG, .help = "all"},
	{.key = K_FMT, .longname = "format", .type = PO_ENUM, .values = fmts, .noun = "format",
	 .flags = PO_IGNORED},
	{0},
};

static const po_option sub_b_opts[] = {
	{.key = K_FMT, .longname = "format", .type = PO_ENUM, .values = fmts, .noun = "format",
	 .help = "format"},
	{0},
};

static const po_command subs[] = {
	{.name = "all_containers", .opts = sub_a_opts, .summary = "a"},
	{.name = "running_containers", .opts = sub_a_opts, .summary = "r"},
	{.name = "images", .opts = sub_b_opts, .summary = "i"},
	{.name = "runtimes", .needs = "--root HOST_ROOT", .summary = "rt"},
	{0},
};

static const po_command list = {.name = "list", .subs = subs, .subs_noun = "listing"};

static const po_option glob_opts[] = {
	{.key = K_DEBUG, .shortname = 'd', .longname = "debug", .type = PO_FLAG, .help = "d"},
	{.key = K_ROOT, .longname = "root", .type = PO_PATH, .argname = "HOST_ROOT", .help = "r"},
	{0},
};

static const po_arg glob_args[] = {
	{.name = "COMMAND"},
	{.name = "ARG", .optional = true, .repeat = true},
	{0},
};

static const po_command de = {.name = "de", .opts = glob_opts, .args = glob_args,
                              .flags = PO_STOP};

typedef struct run {
	po_value v[K__N];
	po_result r;
	de_err e;
	int rc;
} run;

/* Parses the words of line (blank-separated; "" for none) against c. */
static run *parse(const po_command *c, const char *line)
{
	static char buf[512];
	static char *argv[64];
	static run r;
	int argc = 0;
	snprintf(buf, sizeof buf, "%s", line);
	argv[argc++] = (char *)c->name;
	for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
		argv[argc++] = strcmp(t, "''") ? t : (char *)"";
	argv[argc] = NULL;
	po_result_free(&r.r);
	r.rc = po_parse(c, argc, argv, r.v, K__N, &r.r, &r.e);
	return &r;
}

static void is_error(const po_command *c, const char *line, const char *msg)
{
	run *r = parse(c, line);
	assert_int_equal(r->rc, -1);
	assert_string_equal(r->e.msg, msg);
}

static void test_getopt_forms(void **state)
{
	(void)state;
	run *r = parse(&cmd, "web /etc -lR -oout.txt");
	assert_int_equal(r->rc, 0);
	assert_true(r->v[K_LONG].set && r->v[K_REC].set);
	assert_string_equal(r->v[K_OUT].str, "out.txt");
	assert_int_equal(r->r.npos, 2);
	assert_string_equal(r->r.pos[0], "web");
	assert_string_equal(r->r.pos[1], "/etc");
	r = parse(&cmd, "--output=a web --output b");   /* the last one given */
	assert_string_equal(r->v[K_OUT].str, "b");
	r = parse(&cmd, "web --form json --fore");   /* a unique prefix */
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->v[K_FMT].index, 1);
	assert_true(r->v[K_FOREGROUND].set);
	r = parse(&cmd, "web --filter_repositories=a,b -F c,,d --filt e");   /* de.py's name */
	assert_int_equal(r->v[K_FILTER].list.n, 5);
	assert_string_equal(r->v[K_FILTER].list.v[4], "e");
	r = parse(&cmd, "web --insecure-registry h1 --insecure-registry=h2");
	assert_int_equal(r->v[K_INSECURE].list.n, 2);
	assert_string_equal(r->v[K_INSECURE].list.v[1], "h2");
	r = parse(&cmd, "-- -web -l");   /* after --, words are arguments */
	assert_int_equal(r->rc, 0);
	assert_false(r->v[K_LONG].set);
	assert_string_equal(r->r.pos[0], "-web");
	assert_string_equal(r->r.pos[1], "-l");
	r = parse(&cmd, "- -o -");   /* "-" is a word, and a value */
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->r.pos[0], "-");
	assert_string_equal(r->v[K_OUT].str, "-");
	r = parse(&cmd, "web --since -1.5");   /* a value, whatever it looks like */
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->v[K_SINCE].time.epoch, -2);
	assert_int_equal(r->v[K_SINCE].time.nsec, 500000000);
	r = parse(&cmd, "web --tail 7 --hash-max 0 --platform linux/arm64");
	assert_int_equal(r->v[K_TAIL].num, 7);
	assert_true(r->v[K_SIZE].set);
	assert_int_equal(r->v[K_SIZE].num, 0);
}

static void test_help(void **state)
{
	(void)state;
	run *r = parse(&cmd, "-lh");
	assert_int_equal(r->rc, 0);
	assert_true(r->r.help);
	r = parse(&cmd, "--he");   /* no CONTAINER needed for help */
	assert_true(r->r.help);
	r = parse(&list, "--help");
	assert_true(r->r.help);
}

static void test_messages(void **state)
{
	(void)state;
	is_error(&cmd, "web --format xml", "--format: \"xml\" is not a format (text, json)");
	is_error(&cmd, "web --tail ten", "--tail: \"ten\" is not a number of lines (0 to 100)");
	is_error(&cmd, "web --tail 101", "--tail: \"101\" is not a number of lines (0 to 100)");
	is_error(&cmd, "web --tail ''", "--tail: \"\" is not a number of lines (0 to 100)");
	is_error(&cmd, "web --hash-max 1k", "--hash-max: \"1k\" is not a number of bytes");
	is_error(&cmd, "web --hash-max -1", "--hash-max: \"-1\" is not a number of bytes");
	is_error(&cmd, "web --hash-max +1", "--hash-max: \"+1\" is not a number of bytes");
	is_error(&cmd, "web --since yesterday",
	         "--since: \"yesterday\" is not a time (RFC 3339 as 2026-11-28T12:57:50Z or "
	         "2026-11-28T13:57:50.5+01:00, or Unix seconds as 1795870670 or 1795870670.5)");
	is_error(&cmd, "web --platform linux", "--platform: \"linux\" is not a platform (OS/ARCH)");
	is_error(&cmd, "web -o ''", "--output: \"\" is not a path");
	is_error(&cmd, "web --format", "--format: a format is missing (text, json)");
	is_error(&cmd, "web -o", "--output: FILE is missing");
	is_error(&cmd, "web --fuse=yes", "--fuse: takes no value");
	is_error(&cmd, "web --f", "--f: ambiguous (--format, --filter, --fuse, --foreground)");
	is_error(&cmd, "web --bogus", "--bogus: not an option of de ls");
	is_error(&cmd, "web -lx", "-x: not an option of de ls");
	is_error(&cmd, "", "ls: CONTAINER is missing");
	is_error(&cmd, "web /etc /tmp", "ls: unexpected argument \"/tmp\"");
	is_error(&timeline, "", "timeline: CONTAINER... or --all is missing");
	is_error(&timeline, "--all web", "timeline: --all takes no CONTAINER");
	is_error(&merge, "", "merge-vhdx: -p PARENT is missing");
	is_error(&list, "", "list: a listing is missing (all_containers, running_containers, "
	                    "images, runtimes)");
	is_error(&list, "--all bogus", "list: \"bogus\" is not a listing (all_containers, "
	                               "running_containers, images, runtimes)");
	is_error(&list, "images --all", "--all: not an option of de list images");
}

static void test_arguments(void **state)
{
	(void)state;
	run *r = parse(&timeline, "a b c");
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->r.npos, 3);
	r = parse(&timeline, "--all");
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->r.npos, 0);
	r = parse(&merge, "--parent_disk p.vhdx");
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->v[K_PARENT].str, "p.vhdx");
}

static void test_subcommands(void **state)
{
	(void)state;
	run *r = parse(&list, "--all all_containers");   /* options before the name */
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->r.cmd->name, "all_containers");
	assert_true(r->v[K_ALL].set);
	assert_int_equal(r->r.npos, 0);
	r = parse(&list, "--format json images");
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->r.cmd->name, "images");
	assert_int_equal(r->v[K_FMT].index, 1);
	/* another listing's option: accepted, no effect, said */
	r = parse(&list, "running_containers --format json");
	assert_int_equal(r->rc, 0);
	assert_false(r->v[K_FMT].set);
	assert_int_equal(r->r.ignored.n, 1);
	assert_string_equal(r->r.ignored.v[0], "--format");
	is_error(&list, "running_containers --format xml",
	         "--format: \"xml\" is not a format (text, json)");
}

static void test_stop(void **state)
{
	(void)state;
	run *r = parse(&de, "-d --root /mnt logs web -d --root x");
	assert_int_equal(r->rc, 0);
	assert_true(r->v[K_DEBUG].set);
	assert_string_equal(r->v[K_ROOT].str, "/mnt");
	assert_int_equal(r->r.npos, 5);
	assert_string_equal(r->r.pos[0], "logs");
	assert_string_equal(r->r.pos[3], "--root");
	r = parse(&de, "");
	assert_int_equal(r->rc, 0);
	assert_int_equal(r->r.npos, 0);
	is_error(&de, "--bogus logs", "--bogus: not an option of de");
}

static void synopsis_is(const char *prog, const po_command *c, const char *want)
{
	strvec l = {0};
	po_synopsis(&l, prog, c);
	char *got = sv_join(&l, "\n");
	assert_string_equal(got, want);
	free(got);
	sv_free(&l);
}

static void test_synopsis(void **state)
{
	(void)state;
	synopsis_is("de", &cmd,
	            "de ls CONTAINER [PATH] [-l] [-R] [-o FILE] [--format text|json] [--tail N] "
	            "[--hash-max BYTES] [--since T] [-F REPO1,REPO2] [--insecure-registry HOST]... "
	            "[--fuse] [-f] [--platform OS/ARCH]");
	synopsis_is("de", &timeline, "de timeline CONTAINER... | --all");
	synopsis_is("de", &merge, "de merge-vhdx -p PARENT");
	synopsis_is("de", &list,
	            "de list {all_containers,running_containers} [--all]\n"
	            "de list images [--format text|json]\n"
	            "de --root HOST_ROOT list runtimes");
	synopsis_is(NULL, &de, "de [-d] [--root HOST_ROOT] COMMAND [ARG...]");
	dbuf b = {0};
	po_usage(&b, "de", &timeline, 30);
	assert_string_equal(b.p, "usage: de timeline CONTAINER... | --all\n");
	db_free(&b);
	po_usage(&b, "de", &cmd, 60);
	assert_string_equal(b.p,
	                    "usage: de ls CONTAINER [PATH] [-l] [-R] [-o FILE]\n"
	                    "             [--format text|json] [--tail N]\n"
	                    "             [--hash-max BYTES] [--since T] [-F REPO1,REPO2]\n"
	                    "             [--insecure-registry HOST]... [--fuse] [-f]\n"
	                    "             [--platform OS/ARCH]\n");
	db_free(&b);
}

static void test_markup(void **state)
{
	(void)state;
	const char *src = "A `de logs CONTAINER --since T` run, 2\xe2\x80\x94" "3 - 1.\n"
	                  "\n"
	                  "- one\n"
	                  "two\n"
	                  "- three\n"
	                  "\n"
	                  "= 0\n"
	                  "Done.\n"
	                  "\n"
	                  "  .dot -x\n"
	                  "  `kept`\n";
	dbuf b = {0};
	mu_text(&b, src, 2, 30);
	assert_string_equal(b.p,
	                    "  A de logs CONTAINER --since\n"
	                    "  T run, 2\xe2\x80\x94" "3 - 1.\n"
	                    "\n"
	                    "  - one two\n"
	                    "  - three\n"
	                    "\n"
	                    "  0\n"
	                    "      Done.\n"
	                    "\n"
	                    "      .dot -x\n"
	                    "      `kept`\n");
	db_free(&b);
	mu_roff(&b, src);
	assert_string_equal(b.p,
	                    "A \\fBde\\fR \\fBlogs\\fR \\fICONTAINER\\fR \\fB\\-\\-since\\fR \\fIT\\fR"
	                    " run, 2\\[u2014]3 \\- 1.\n"
	                    ".IP \\(bu 2\n"
	                    "one two\n"
	                    ".IP \\(bu 2\n"
	                    "three\n"
	                    ".TP\n"
	                    "\\fB0\\fR\n"
	                    "Done.\n"
	                    ".PP\n.RS 4\n.nf\n"
	                    "\\&.dot \\-x\n"
	                    "`kept`\n"
	                    ".fi\n.RE\n");
	db_free(&b);
	mu_roff_literal(&b, "HOST[:PORT] OS/ARCH[/VARIANT] mactime(1) 2026-11-28T12:57:50Z X...", 66);
	assert_string_equal(b.p,
	                    "\\fIHOST\\fR[\\fI:PORT\\fR] \\fIOS/ARCH\\fR[\\fI/VARIANT\\fR] "
	                    "\\fBmactime\\fR(1) \\fB2026\\-11\\-28T12:57:50Z\\fR \\fIX\\fR...");
	db_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getopt_forms),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_subcommands),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_synopsis),
		cmocka_unit_test(test_markup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	run *r = parse(&cmd, "web");   /* frees the last result */
	po_result_free(&r->r);
	return rc;
}
