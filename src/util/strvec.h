/*
 * strvec.h — a growable vector of owned strings, and a growable byte buffer.
 * Allocation failure aborts (xalloc): there is no sensible partial answer
 * when the machine is out of memory, and every size we allocate for is
 * bounded by the readers beforehand.
 */
#ifndef DE_STRVEC_H
#define DE_STRVEC_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strvec {
	char **v;
	size_t n, cap;
} strvec;

void sv_push(strvec *s, const char *str);     /* copies str */
void sv_push_own(strvec *s, char *str);       /* takes str */
void sv_pushf(strvec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sv_sort(strvec *s);                      /* bytewise, as LC_ALL=C */
void sv_free(strvec *s);
char *sv_join(const strvec *s, const char *sep);

typedef struct dbuf {
	char *p;
	size_t len, cap;
} dbuf;

void db_add(dbuf *b, const void *data, size_t n);
/* Room for n more bytes (and a NUL) without another allocation. */
void db_reserve(dbuf *b, size_t n);
void db_adds(dbuf *b, const char *s);
void db_addf(dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *db_take(dbuf *b);                       /* NUL-terminated, resets b */
void db_free(dbuf *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
