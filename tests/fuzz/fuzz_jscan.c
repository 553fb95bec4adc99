/* Fuzz target: util/jscan.c against jansson, differentially, and the fast
 * path of config.v2.json (runtime/docker_config.c, docker_parse_config_text)
 * against the jansson path (docker_parse_config). The input is one JSON
 * document (seeds: the fixtures' configs, seed.sh).
 *  1. js_validate accepts it exactly when json_loadb(JSON_ALLOW_NUL) does.
 *  2. When both accept, every value read through jscan equals jansson's:
 *     types, strings (bytes, decoded \u escapes), integers, reals, array
 *     elements in order, object members in jansson's iteration order (a
 *     repeated key at its first place with its last value), js_fields; and
 *     js_validate_fields reads the top-level members as js_fields does.
 *  3. The container read by the fast path equals the one read through the
 *     tree, field by field, with the same warnings in the same order, or
 *     both fail with the same message; the fast path declines (0) only
 *     where jansson rejects the text or the mount points are too many.
 * Any difference aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"
#include "runtime/docker_internal.h"
#include "util/jscan.h"

/* Objects compared member by member up to this many (js_next_member is
 * O(n²) when keys repeat: a larger one is compared by its keys only). */
#define CMP_MAX_MEMBERS 256

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void cmp(js_val v, const json_t *j);

static void cmp_object(js_val v, const json_t *j)
{
	check(json_is_object(j));
	if (js_count(v) > CMP_MAX_MEMBERS) {
		const char *k;
		json_t *jv;
		json_object_foreach((json_t *)j, k, jv) {
			const char *keys[1] = {k};
			js_val got;
			js_fields(v, keys, 1, &got);
			check(got.p != NULL);
			cmp(got, jv);
		}
		return;
	}
	js_iter it;
	js_val k, mv;
	void *ji = json_object_iter((json_t *)j);
	size_t n = 0;
	js_iter_init(&it, v);
	while (js_next_member(&it, &k, &mv)) {
		check(ji != NULL);
		size_t kl;
		char *key = js_strdup(k, &kl);
		const char *jk = json_object_iter_key(ji);
		check(key && strlen(jk) == kl && !memcmp(key, jk, kl));
		cmp(mv, json_object_iter_value(ji));
		/* the lookup agrees with the iteration: the last value */
		const char *keys[1] = {key};
		js_val got;
		js_fields(v, keys, 1, &got);
		check(got.p == mv.p && got.n == mv.n);
		check(js_str_eq(k, key));
		free(key);
		ji = json_object_iter_next((json_t *)j, ji);
		n++;
	}
	check(ji == NULL && n == json_object_size(j));
	const char *absent[1] = {"\x01 no such key"};
	js_val none;
	js_fields(v, absent, 1, &none);
	check(none.p == NULL || json_object_get(j, absent[0]));
}

static void cmp(js_val v, const json_t *j)
{
	switch (js_type_of(v)) {
	case JS_OBJECT:
		cmp_object(v, j);
		break;
	case JS_ARRAY: {
		check(json_is_array(j));
		js_iter it;
		js_val e;
		size_t i = 0;
		js_iter_init(&it, v);
		while (js_next_elem(&it, &e))
			cmp(e, json_array_get(j, i++));
		check(i == json_array_size(j) && js_count(v) == i);
		break;
	}
	case JS_STRING: {
		size_t n;
		char *s = js_strdup(v, &n);
		check(json_is_string(j) && s && n == json_string_length(j) &&
		      !memcmp(s, json_string_value(j), n));
		free(s);
		break;
	}
	case JS_INTEGER: {
		int64_t x;
		check(json_is_integer(j) && js_int(v, &x) && x == (int64_t)json_integer_value(j));
		break;
	}
	case JS_REAL: {
		char *t = strndup(v.p, v.n);
		check(json_is_real(j) && strtod(t, NULL) == json_real_value(j));
		free(t);
		break;
	}
	case JS_TRUE: check(json_is_true(j)); break;
	case JS_FALSE: check(json_is_false(j)); break;
	case JS_NULL: check(json_is_null(j)); break;
	default: check(false);
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_json(const json_t *a, const json_t *b)
{
	return (!a && !b) || (a && b && json_equal((json_t *)a, (json_t *)b));
}

static void cmp_container(const de_container *a, const de_container *b)
{
	check(same_str(a->id, b->id) && same_str(a->name, b->name));
	check(same_str(a->image_name, b->image_name) && same_str(a->image_id, b->image_id));
	check(same_json(a->labels, b->labels) && same_json(a->exposed_ports, b->exposed_ports));
	check(same_str(a->hostname, b->hostname) && same_str(a->command, b->command));
	check(same_str(a->created, b->created) && same_str(a->started_at, b->started_at) &&
	      same_str(a->finished_at, b->finished_at));
	check(a->has_state == b->has_state && a->running == b->running && a->paused == b->paused &&
	      a->restarting == b->restarting && a->dead == b->dead && a->removing == b->removing &&
	      a->oom_killed == b->oom_killed && a->exit_code == b->exit_code && a->pid == b->pid);
	check(same_str(a->driver, b->driver) && same_str(a->log_path, b->log_path));
	check(a->nmounts == b->nmounts);
	for (size_t i = 0; i < a->nmounts; i++) {
		const de_mount_point *m = &a->mounts[i], *n = &b->mounts[i];
		check(same_str(m->kind, n->kind) && same_str(m->name, n->name) &&
		      same_str(m->source, n->source) && same_str(m->host_source, n->host_source) &&
		      same_str(m->destination, n->destination) && m->rw == n->rw);
	}
	check(a->nengine_files == b->nengine_files);
	for (size_t i = 0; i < a->nengine_files; i++) {
		const de_engine_file *m = &a->engine_files[i], *n = &b->engine_files[i];
		check(same_str(m->name, n->name) && same_str(m->host_source, n->host_source) &&
		      same_str(m->data_rel, n->data_rel) && same_str(m->source, n->source) &&
		      same_str(m->destination, n->destination));
	}
}

static void same_warnings(const de_diag_capture *a, const de_diag_capture *b)
{
	check(a->n == b->n);
	for (size_t i = 0; i < a->n; i++)
		check(!strcmp(a->msg[i], b->msg[i]));
}

static void drop(de_diag_capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->msg[i]);
	free(c->msg);
}

static void config_paths(const char *buf, size_t len, json_t *doc)
{
	de_docker d = {.root = {.fd = -1, .path = "/nonexistent/var/lib/docker"},
	               .host_root = "/nonexistent"};
	de_container *fast = calloc(1, sizeof *fast), *slow = calloc(1, sizeof *slow);
	de_err ef = {{0}}, es = {{0}};
	de_diag_capture wf = {0}, ws = {0};
	de_diag_capture_start(&wf);
	int rf = docker_parse_config_text(&d, buf, len, "cfg", fast, &ef);
	de_diag_capture_stop();
	if (rf == 0) {
		/* declined: not JSON, or more mount points than it iterates */
		js_val root, f[2];
		static const char *const keys[2] = {"MountPoints", "Volumes"};
		if (doc) {
			check(js_validate(buf, len, &root) == 0);
			js_fields(root, keys, 2, f);
			check(js_count(f[0]) > 256 || js_count(f[1]) > 256);
		}
	} else if (doc) {
		de_diag_capture_start(&ws);
		int rs = docker_parse_config(&d, doc, "cfg", slow, &es);
		de_diag_capture_stop();
		check((rf < 0) == (rs < 0));
		if (rf < 0)
			check(!strcmp(ef.msg, es.msg));
		else
			cmp_container(fast, slow);
		same_warnings(&wf, &ws);
	} else {
		check(false);   /* taken where jansson rejects */
	}
	drop(&wf);
	drop(&ws);
	de_container_free(fast);
	de_container_free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	json_t *doc = json_loadb(buf, size, JSON_ALLOW_NUL, NULL);
	js_val root;
	int rc = js_validate(buf, size, &root);
	check((rc == 0) == (doc != NULL));
	if (doc)
		cmp(root, doc);
	if (json_is_object(doc)) {
		/* up to 8 of its keys and one it lacks, read in the validating pass */
		const char *keys[9], *k;
		json_t *v;
		size_t n = 0;
		json_object_foreach(doc, k, v) {
			if (n < 8)
				keys[n++] = k;
		}
		keys[n++] = "\x01 no such key";
		js_val a[9], b[9], r2;
		check(js_validate_fields(buf, size, &r2, keys, n, a) == 0);
		js_fields(root, keys, n, b);
		for (size_t i = 0; i < n; i++)
			check(a[i].p == b[i].p && a[i].n == b[i].n);
	}
	config_paths(buf, size, doc);
	json_decref(doc);
	return 0;
}
