/*
 * toml.h — one string value of a TOML configuration file of the evidence
 * (containerd's config.toml, containers/storage's storage.conf, Podman's
 * containers.conf): just enough TOML to find `key = "value"` in a given
 * table, never a whole parser. The engines' own files are what is read, so
 * the value is taken only from the table the engine itself reads it from:
 * containerd's `root` is a top-level key, and a `root` inside a plugin's
 * table is not it.
 */
#ifndef DE_TOML_H
#define DE_TOML_H

#include "evfs.h"

/* The string value of key in [table] (NULL or "" for the top-level keys)
 * of the file rel below r: a basic ("…") or literal ('…') string on one
 * line. NULL when the file, the table or the key is not there, or the
 * value is not such a string. The file is read up to 1 MiB. */
char *de_toml_string(const ev_root *r, const char *rel, const char *table, const char *key);

#endif
