/*
 * markup.c — see markup.h.
 */
#include "markup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef enum { B_PARA, B_ITEM, B_TAG, B_VERB } block_kind;

typedef struct block {
	block_kind kind;
	char *head;      /* B_TAG: the term */
	char *text;      /* B_PARA, B_ITEM, B_TAG: its lines joined by blanks */
	strvec lines;    /* B_VERB: its lines, without the indent */
} block;

/* The next line of *p, without its newline; NULL at the end. */
static char *next_line(const char **p)
{
	if (!**p)
		return NULL;
	size_t n = strcspn(*p, "\n");
	char *l = xstrndup(*p, n);
	*p += n + ((*p)[n] == '\n');
	return l;
}

static bool blank(const char *l)
{
	return l[strspn(l, " \t")] == '\0';
}

/* The blocks of src, in order. */
static block *parse(const char *src, size_t *n)
{
	block *v = NULL;
	*n = 0;
	const char *p = src;
	char *l = next_line(&p);
	while (l) {
		if (blank(l)) {
			free(l);
			l = next_line(&p);
			continue;
		}
		v = xrealloc(v, (*n + 1) * sizeof *v);
		block *b = &v[(*n)++];
		memset(b, 0, sizeof *b);
		dbuf t = {0};
		if (!strncmp(l, "  ", 2)) {
			b->kind = B_VERB;
			while (l && !strncmp(l, "  ", 2)) {
				sv_push(&b->lines, l + 2);
				free(l);
				l = next_line(&p);
			}
			continue;
		}
		if (!strncmp(l, "- ", 2)) {
			b->kind = B_ITEM;
			db_adds(&t, l + 2);
		} else if (!strncmp(l, "= ", 2)) {
			b->kind = B_TAG;
			b->head = xstrdup(l + 2);
		} else {
			b->kind = B_PARA;
			db_adds(&t, l);
		}
		free(l);
		while ((l = next_line(&p)) && !blank(l) && strncmp(l, "- ", 2) &&
		       strncmp(l, "= ", 2) && strncmp(l, "  ", 2)) {
			db_addf(&t, "%s%s", t.len ? " " : "", l);
			free(l);
		}
		b->text = t.len ? db_take(&t) : xstrdup("");
	}
	return v;
}

static void free_blocks(block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].head);
		free(v[i].text);
		sv_free(&v[i].lines);
	}
	free(v);
}

/* ---- plain text -------------------------------------------------------- */

/* text filled from column first (already written) to width; continuation
 * lines at indent. Backquotes are dropped. */
static void fill(dbuf *out, const char *text, size_t first, size_t indent, size_t width)
{
	size_t col = first;
	const char *p = text;
	bool start = true;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		dbuf w = {0};
		while (*p && *p != ' ') {
			if (*p != '`')
				db_add(&w, p, 1);
			p++;
		}
		size_t len = 0;   /* columns: UTF-8 continuation bytes take none */
		for (size_t i = 0; i < w.len; i++)
			len += ((unsigned char)w.p[i] & 0xc0) != 0x80;
		if (!start && col + 1 + len > width) {
			db_addf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!start) {
			db_adds(out, " ");
			col++;
		}
		if (w.len)
			db_add(out, w.p, w.len);
		col += len;
		start = false;
		db_free(&w);
	}
	db_adds(out, "\n");
}

void mu_text(dbuf *out, const char *src, int indent, int width)
{
	size_t n, in = (size_t)indent, w = (size_t)width;
	block *v = parse(src, &n);
	for (size_t i = 0; i < n; i++) {
		const block *b = &v[i];
		/* a list's items and tags follow one another without a blank */
		if (i && !((b->kind == B_ITEM && v[i - 1].kind == B_ITEM)))
			db_adds(out, "\n");
		switch (b->kind) {
		case B_PARA:
			db_addf(out, "%*s", (int)in, "");
			fill(out, b->text, in, in, w);
			break;
		case B_ITEM:
			db_addf(out, "%*s- ", (int)in, "");
			fill(out, b->text, in + 2, in + 2, w);
			break;
		case B_TAG:
			db_addf(out, "%*s", (int)in, "");
			fill(out, b->head, in, in, w);
			if (*b->text) {
				db_addf(out, "%*s", (int)in + 4, "");
				fill(out, b->text, in + 4, in + 4, w);
			}
			break;
		case B_VERB:
			for (size_t k = 0; k < b->lines.n; k++)
				db_addf(out, "%*s%s\n", (int)in + 4, "", b->lines.v[k]);
			break;
		}
	}
	free_blocks(v, n);
}

/* ---- roff -------------------------------------------------------------- */

void mu_roff_escape(dbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			db_adds(out, "\\e");
		} else if (c == '-') {
			db_adds(out, "\\-");
		} else if (c < 0x80) {
			db_add(out, &s[i], 1);
		} else {   /* UTF-8: the code point, as groff's \[uXXXX] */
			int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			unsigned cp = len == 4 ? c & 0x07 : len == 3 ? c & 0x0f : len == 2 ? c & 0x1f : '?';
			for (int k = 1; k < len && i + 1 < n; k++)
				cp = (cp << 6) | ((unsigned char)s[++i] & 0x3f);
			db_addf(out, "\\[u%04X]", cp);
		}
	}
}

/* A word of a command line: a placeholder is in capitals (and is not an
 * option), the rest is typed as shown. */
static bool placeholder(const char *w, size_t n)
{
	size_t i = 0;
	while (i < n && strchr(":/@.", w[i]))   /* [:PORT], [/VARIANT] */
		i++;
	if (i == n || !isupper((unsigned char)w[i]))   /* -o, 2026-11-28T12:57:50Z */
		return false;
	for (; i < n; i++)
		if (islower((unsigned char)w[i]))
			return false;
	return true;
}

void mu_roff_literal(dbuf *out, const char *s, size_t n)
{
	static const char punct[] = " []{}|,";
	size_t i = 0;
	while (i < n) {
		size_t k = i;
		while (k < n && !strchr(punct, s[k]))
			k++;
		if (k == i) {   /* punctuation, roman */
			mu_roff_escape(out, s + i, 1);
			i++;
			continue;
		}
		/* "..." after a word (CONTAINER...) is roman */
		size_t end = k;
		while (end - i > 3 && !strncmp(s + end - 3, "...", 3))
			end -= 3;
		/* "mactime(1)": the name bold, its section roman */
		size_t sect = end;
		if (end - i > 3 && s[end - 1] == ')' && isdigit((unsigned char)s[end - 2]) &&
		    s[end - 3] == '(')
			sect = end - 3;
		db_adds(out, placeholder(s + i, sect - i) ? "\\fI" : "\\fB");
		mu_roff_escape(out, s + i, sect - i);
		db_adds(out, "\\fR");
		mu_roff_escape(out, s + sect, k - sect);
		i = k;
	}
}

void mu_roff_line(dbuf *out, const char *s)
{
	/* a control character at the start of a line would be a request */
	if (*s == '.' || *s == '\'')
		db_adds(out, "\\&");
	while (*s) {
		const char *q = strchr(s, '`');
		const char *close = q ? strchr(q + 1, '`') : NULL;
		if (!close) {
			mu_roff_escape(out, s, strlen(s));
			break;
		}
		mu_roff_escape(out, s, (size_t)(q - s));
		mu_roff_literal(out, q + 1, (size_t)(close - q - 1));
		s = close + 1;
	}
	db_adds(out, "\n");
}

void mu_roff(dbuf *out, const char *src)
{
	size_t n;
	block *v = parse(src, &n);
	for (size_t i = 0; i < n; i++) {
		const block *b = &v[i];
		switch (b->kind) {
		case B_PARA:
			if (i)
				db_adds(out, ".PP\n");
			mu_roff_line(out, b->text);
			break;
		case B_ITEM:
			db_adds(out, ".IP \\(bu 2\n");
			mu_roff_line(out, b->text);
			break;
		case B_TAG:
			db_adds(out, ".TP\n");
			dbuf h = {0};
			/* the term is literal text, as typed */
			mu_roff_literal(&h, b->head, strlen(b->head));
			db_adds(&h, "\n");
			if (h.p[0] == '.' || h.p[0] == '\'')
				db_adds(out, "\\&");
			db_adds(out, h.p);
			db_free(&h);
			if (*b->text)
				mu_roff_line(out, b->text);
			break;
		case B_VERB:
			db_adds(out, i ? ".PP\n.RS 4\n.nf\n" : ".RS 4\n.nf\n");
			for (size_t k = 0; k < b->lines.n; k++) {
				const char *l = b->lines.v[k];
				if (*l == '.' || *l == '\'')
					db_adds(out, "\\&");
				mu_roff_escape(out, l, strlen(l));
				db_adds(out, "\n");
			}
			db_adds(out, ".fi\n.RE\n");
			break;
		}
	}
	free_blocks(v, n);
}
