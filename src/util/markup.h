/*
 * markup.h — the little markup of the command table's manual text, and
 * its two renderings: plain text (de help COMMAND) and roff (the man pages).
 *
 * Blocks are separated by blank lines:
 *   a paragraph           lines of text, filled
 *   - item                a bullet item (its following lines belong to it)
 *   = TERM                a tagged paragraph: TERM, then the lines after it
 *     verbatim            lines indented by two spaces: kept as they are
 * Inline, `literal` is a command line's text: in roff, words in capitals
 * (CONTAINER, T) are placeholders, in italics; other words, options and
 * values in bold; name(1) is a reference to a manual.
 *
 * roff output uses only the man(7) macros .PP .TP .IP .RS .RE .nf .fi; every
 * "-" is written \- (an option is typed with ASCII hyphens) and every
 * character beyond ASCII as \[uXXXX], so groff needs no input encoding.
 */
#ifndef DE_MARKUP_H
#define DE_MARKUP_H

#include <stdbool.h>

#include "strvec.h"

/* src as plain text: its blocks indented by indent, filled to width. */
void mu_text(dbuf *out, const char *src, int indent, int width);
/* src as man(7) body text. */
void mu_roff(dbuf *out, const char *src);
/* One line of text (no markup but `literal`), escaped for roff. */
void mu_roff_line(dbuf *out, const char *s);
/* s, a command line's text, in roff: placeholders italic, the rest bold. */
void mu_roff_literal(dbuf *out, const char *s, size_t n);
/* s escaped for roff, no fonts. */
void mu_roff_escape(dbuf *out, const char *s, size_t n);

#endif
