/*
 * lvm_text.h — LVM2's metadata text format (what vgcfgbackup writes and
 * what the metadata area of every PV holds), as a tree:
 *
 *   vg0 {                      a section
 *     extent_size = 8192       a number
 *     format = "lvm2"          a string ("\\" escapes the next byte)
 *     status = ["READ", "WRITE"]   an array of numbers and strings
 *     physical_volumes { pv0 { … } }
 *   }
 *   # a comment to the end of the line
 *
 * Bounded: text of at most LVMT_MAX_TEXT bytes, nesting of at most 16
 * sections, at most 100000 nodes; anything else is an error naming the
 * line. Numbers are signed 64-bit decimals (a value out of range is an
 * error, never wrapped).
 */
#ifndef DE_LVM_TEXT_H
#define DE_LVM_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "../util/diag.h"

#define LVMT_MAX_TEXT (1u << 20)

enum { LVMT_SECTION, LVMT_NUM, LVMT_STR, LVMT_ARRAY };

typedef struct lvmt_node {
	char *key;                  /* NULL for array elements */
	int kind;
	int64_t num;
	char *str;
	struct lvmt_node *child;    /* a section's or an array's first member */
	struct lvmt_node *next;
} lvmt_node;

/* Parses text (not NUL-terminated); returns the top-level list (a section
 * with no key) or NULL with e set. */
lvmt_node *lvmt_parse(const char *text, size_t len, de_err *e);
void lvmt_free(lvmt_node *n);

/* The member named key of a section (first match), or NULL. */
const lvmt_node *lvmt_get(const lvmt_node *sec, const char *key);
/* A member's number / string, or -1 / NULL when absent or another kind. */
int lvmt_num(const lvmt_node *sec, const char *key, int64_t *out);
const char *lvmt_str(const lvmt_node *sec, const char *key);

#endif
