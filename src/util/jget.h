/*
 * jget.h — typed, forgiving access to JSON from the evidence.
 *
 * Evidence JSON may have any key with any type. These return NULL (or the
 * given default) for a missing key, a JSON null, or a value of another type,
 * so the readers never dereference what is not there.
 */
#ifndef DE_JGET_H
#define DE_JGET_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

const char *jget_str(const json_t *o, const char *key);
json_t *jget_obj(const json_t *o, const char *key);
json_t *jget_arr(const json_t *o, const char *key);
bool jget_bool(const json_t *o, const char *key, bool dflt);
int64_t jget_int(const json_t *o, const char *key, int64_t dflt);
/* A non-empty object or NULL (de.py omits empty labels and ports). */
json_t *jget_nonempty_obj(const json_t *o, const char *key);
/* Array of strings joined with spaces (Cmd, Args); NULL if none. Caller frees. */
char *jget_join_strings(const json_t *arr);

#endif
