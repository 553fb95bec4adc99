/*
 * bench/parsers.c — one of the JSON parsers Debian packages, on the
 * configs named on the command line: each file read into memory once, then
 * parsed (a whole document tree, freed) ROUNDS times; prints the best
 * round's ns per byte. Built once per parser by bench/run.sh, with
 * -DUSE_JANSSON, -DUSE_JSONC or -DUSE_CJSON (their headers and symbols
 * clash: one per binary) when libjson-c-dev and libcjson-dev are installed,
 * and -DUSE_JSCAN (de's own scanner, linked with build/libde.a): the issue
 * asked for the measure before the choice of parser. Not part of de.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(USE_JANSSON)
#include <jansson.h>
#define NAME "jansson"
static int parse(const char *p, size_t n)
{
	json_error_t e;
	json_t *j = json_loadb(p, n, JSON_ALLOW_NUL, &e);
	json_decref(j);
	return j != NULL;
}
#elif defined(USE_JSONC)
#include <json-c/json.h>
#define NAME "json-c"
static int parse(const char *p, size_t n)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, p, (int)n);
	int ok = o != NULL;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}
#elif defined(USE_CJSON)
#include <cjson/cJSON.h>
#define NAME "cJSON"
static int parse(const char *p, size_t n)
{
	cJSON *j = cJSON_ParseWithLength(p, n);
	cJSON_Delete(j);
	return j != NULL;
}
#elif defined(USE_JSCAN)
#include "util/jscan.h"
#define NAME "de's jscan (no tree: validated, then the top-level fields de reads)"
static int parse(const char *p, size_t n)
{
	static const char *const keys[] = {"ID", "Name", "Image", "Created", "Driver", "Path",
		"Args", "State", "LogPath", "MountPoints", "Volumes", "VolumesRW", "Config",
		"ContainerConfig", "ResolvConfPath", "HostnamePath", "HostsPath"};
	js_val root, f[sizeof keys / sizeof *keys];
	if (js_validate(p, n, &root) < 0)
		return 0;
	js_fields(root, keys, sizeof keys / sizeof *keys, f);
	return 1;
}
#else
#error "build with -DUSE_JANSSON, -DUSE_JSONC, -DUSE_CJSON or -DUSE_JSCAN"
#endif

#define ROUNDS 5

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char **p = calloc(argc, sizeof *p);
	size_t *n = calloc(argc, sizeof *n), total = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f)
			continue;
		p[i] = malloc(1 << 20);
		n[i] = fread(p[i], 1, (1 << 20) - 1, f);
		p[i][n[i]] = 0;
		total += n[i];
		fclose(f);
	}
	double best = 1e9;
	int ok = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now();
		ok = 0;
		for (int i = 1; i < argc; i++)
			ok += p[i] && parse(p[i], n[i]);
		double d = now() - t0;
		if (d < best)
			best = d;
	}
	printf("%s %.2f ns/byte (%d of %d files parsed, %zu bytes, best of %d)\n", NAME,
	       best * 1e9 / (double)(total ? total : 1), ok, argc - 1, total, ROUNDS);
	return 0;
}
