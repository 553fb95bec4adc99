/*
 * table.h — aligned text tables for people (`--format table`), as `docker
 * images` prints them: a header, columns three spaces apart. Cells are
 * escaped (text.h): one row is always one line.
 */
#ifndef DE_TABLE_H
#define DE_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "../util/strvec.h"

typedef struct de_table {
	size_t ncols;
	strvec cells;        /* row-major, header first */
} de_table;

void tbl_init(de_table *t, size_t ncols, const char *const *header);
/* Adds one cell; rows fill left to right. */
void tbl_add(de_table *t, const char *cell);
void tbl_addf(de_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tbl_print(const de_table *t, FILE *f);
void tbl_free(de_table *t);
/* 1.98MB: decimal units, three significant digits, as Docker prints sizes. */
void de_human_size(int64_t bytes, char *buf, size_t len);

#endif
