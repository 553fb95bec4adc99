#include "evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/jget.h"
#include "../util/strvec.h"
#include "../util/timefmt.h"

const char *de_container_state(const de_container *c, char *buf, size_t len)
{
	de_time t;
	if (c->pod && c->pod->removed)
		return "removed";
	if (!c->has_state)
		return "unknown";
	if (c->running) {
		if (c->paused)
			return "paused";
		return c->restarting ? "restarting" : "running";
	}
	if (c->removing)
		return "removing";
	if (c->dead)
		return "dead";
	if (c->exit_unknown)
		return "exited";
	/* Never started: Docker keeps StartedAt at Go's zero time. */
	if (!c->started_at || (de_time_parse(c->started_at, &t) == 0 && de_time_is_zero(&t)))
		return "created";
	snprintf(buf, len, "exited(%lld)", (long long)c->exit_code);
	return buf;
}

void de_container_free(de_container *c)
{
	if (!c)
		return;
	free(c->runtime); free(c->namespace);
	free(c->id); free(c->name); free(c->config_path);
	free(c->image_name); free(c->image_id);
	json_decref(c->labels); json_decref(c->exposed_ports);
	free(c->hostname); free(c->command);
	free(c->created); free(c->started_at); free(c->finished_at);
	free(c->driver); free(c->mount_id); free(c->init_id); free(c->snapshot_key);
	free(c->snapshot_root); free(c->ctd_root); free(c->ctd_namespace); free(c->snapshot_error);
	free(c->log_path);
	for (size_t i = 0; i < c->nmounts; i++) {
		free(c->mounts[i].kind); free(c->mounts[i].name);
		free(c->mounts[i].source); free(c->mounts[i].destination);
		free(c->mounts[i].host_source);
	}
	free(c->mounts);
	for (size_t i = 0; i < c->nengine_files; i++) {
		de_engine_file *f = &c->engine_files[i];
		free(f->name); free(f->host_source); free(f->data_rel);
		free(f->source); free(f->destination);
	}
	free(c->engine_files);
	json_decref(c->config);
	free(c->config_text);
	json_decref(c->hostconfig);
	json_decref(c->native);
	de_pod_info_free(c->pod);
	free(c);
}

void de_pod_info_free(de_pod_info *p)
{
	if (!p)
		return;
	free(p->namespace); free(p->name); free(p->uid);
	free(p->container); free(p->kind); free(p->sandbox_id);
	free(p->reason); free(p->log_path); free(p->log_dir); free(p->image_ref);
	free(p->first_log); free(p->last_log);
	sv_free(&p->log_files);
	json_decref(p->record);
	free(p);
}

void de_container_list_push(de_container_list *l, de_container *c)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = c;
}

void de_container_list_free(de_container_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		de_container_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void de_history_free(de_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		de_history_entry *e = &h->v[i];
		free(e->id); free(e->created); free(e->container_cmd); free(e->comment);
		free(e->committed_from);
		for (size_t j = 0; j < e->nsteps; j++) {
			de_history_step *s = &e->steps[j];
			free(s->created); free(s->created_by); free(s->comment); free(s->diff_id);
		}
		free(e->steps);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

void de_layer_stack_add(de_layer_stack *s, char *dir, const char *id, const char *role)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n].dir = dir;
	s->v[s->n].id = xstrdup(id);
	s->v[s->n].role = xstrdup(role);
	s->n++;
}

void de_layer_stack_free(de_layer_stack *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].dir);
		free(s->v[i].id);
		free(s->v[i].role);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

size_t de_history_steps(de_history_entry *h, json_t *cfg, const char *path,
                        de_layer_size_fn *layer_size, void *arg)
{
	json_t *hist = jget_arr(cfg, "history");
	json_t *diffs = jget_arr(jget_obj(cfg, "rootfs"), "diff_ids");
	size_t nd = diffs ? json_array_size(diffs) : 0, nh = hist ? json_array_size(hist) : 0;
	size_t k = 0;
	free(h->committed_from);   /* the config's own fact, read with its steps */
	h->committed_from = dup_or_null(de_image_committed_from(cfg));
	h->steps = xcalloc(nh ? nh : 1, sizeof *h->steps);
	for (size_t i = 0; i < nh; i++) {
		json_t *st = json_array_get(hist, i);
		de_history_step *s = &h->steps[nh - 1 - i];
		s->created = dup_or_null(jget_str(st, "created"));
		s->created_by = dup_or_null(jget_str(st, "created_by"));
		s->comment = dup_or_null(jget_str(st, "comment"));
		s->empty_layer = jget_bool(st, "empty_layer", false);
		s->size = s->empty_layer ? 0 : -1;
		if (s->empty_layer)
			continue;
		const char *diff = k < nd ? json_string_value(json_array_get(diffs, k)) : NULL;
		if (diff) {
			s->diff_id = xstrdup(diff);
			s->size = layer_size(arg, k, diff);
		}
		k++;
	}
	h->nsteps = nh;
	if (k != nd)
		de_warn("%s: %zu non-empty history steps for %zu layers", path, k, nd);
	return k < nd ? k : nd;
}

const char *de_image_committed_from(const json_t *cfg)
{
	const char *id = json_string_value(json_object_get(cfg, "container"));
	const json_t *cc = json_object_get(cfg, "container_config");
	const char *from = json_string_value(json_object_get(cc, "Image"));
	if (!id || !*id)
		return NULL;   /* BuildKit, buildah and `docker import` write none */
	if (from && !strncmp(from, "sha256:", 7))
		return NULL;   /* the legacy builder's step */
	return id;
}
