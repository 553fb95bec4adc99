/*
 * diag.h — errors as values, warnings, debug messages.
 *
 * Contract: code below the commands never prints and never exits. A function
 * that fails fills a de_err with what failed and why (the evidence path and
 * the reason) and returns -1. The caller decides: fatal for the command (an
 * error, exit 1) or local to one object (a warning). Every warning means a
 * part of the evidence was not read; it is recorded so that the command can
 * end with exit status 3 ("done, with omissions") and list what is missing.
 */
#ifndef DE_DIAG_H
#define DE_DIAG_H

#include <stddef.h>

#define DE_ERR_MAX 1024

typedef struct de_err {
	char msg[DE_ERR_MAX];
} de_err;

/* Sets e (if not NULL) from a printf format; returns -1 for `return de_fail(...)`. */
int de_fail(de_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, appending ": strerror(errnum)". */
int de_fail_errno(de_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes context to an existing message ("ctx: old message"). */
int de_fail_wrap(de_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A warning: printed on stderr as "de: warning: ...", and counted as an omission. */
void de_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void de_warn_err(const de_err *e);
/* A note: printed on stderr, not an omission (e.g. "mounting needs root"). */
void de_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Number of warnings so far, and the first messages kept (bounded). */
size_t de_omission_count(void);
size_t de_omission_kept(void);
const char *de_omission_msg(size_t i);
void de_omissions_reset(void);

/* What to do about a permission error on the evidence (after "permission
 * denied: PATH"). */
#define DE_HINT_PERMISSION "de reads the evidence with the rights it is run with: " \
	"run it as root, or as the owner of these files"

/* Held warnings and notes: between de_diag_capture_start(c) and _stop(),
 * the calling thread's de_warn and de_note go to c instead of stderr (and
 * are not counted); de_diag_capture_replay(c) gives them, in order, as if
 * now, and frees them. For worker threads (util/pool.h). */
typedef struct de_diag_capture {
	char **msg;      /* "W…" a warning, "N…" a note */
	size_t n;
} de_diag_capture;
void de_diag_capture_start(de_diag_capture *c);
void de_diag_capture_stop(void);
void de_diag_capture_replay(de_diag_capture *c);
void de_diag_capture_drop(de_diag_capture *c);   /* frees them unsaid */

extern int de_debug_on;
void de_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
