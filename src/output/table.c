#include "table.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void tbl_init(de_table *t, size_t ncols, const char *const *header)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	for (size_t i = 0; i < ncols; i++)
		sv_push(&t->cells, header[i]);
}

void tbl_add(de_table *t, const char *cell)
{
	dbuf b = {0};
	de_escape(&b, cell ? cell : "");
	sv_push_own(&t->cells, db_take(&b));
}

void tbl_addf(de_table *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tbl_add(t, buf);
}

int tbl_print(const de_table *t, FILE *f)
{
	size_t *w = calloc(t->ncols, sizeof *w);
	if (!w)
		return -1;
	for (size_t i = 0; i < t->cells.n; i++) {
		size_t l = strlen(t->cells.v[i]);
		if (l > w[i % t->ncols])
			w[i % t->ncols] = l;
	}
	int rc = 0;
	for (size_t i = 0; i < t->cells.n; i++) {
		size_t col = i % t->ncols;
		bool last = col + 1 == t->ncols;
		int n = last ? fprintf(f, "%s\n", t->cells.v[i])
		             : fprintf(f, "%-*s   ", (int)w[col], t->cells.v[i]);
		if (n < 0)
			rc = -1;
	}
	free(w);
	return rc;
}

void tbl_free(de_table *t)
{
	sv_free(&t->cells);
}

void de_human_size(int64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	if (bytes < 0) {
		snprintf(buf, len, "?");
		return;
	}
	double v = (double)bytes;
	size_t u = 0;
	while (v >= 1000 && u + 1 < sizeof units / sizeof *units) {
		v /= 1000;
		u++;
	}
	snprintf(buf, len, "%.3g%s", v, units[u]);
}
