/*
 * docker_v1.c — storage layout v1 (Docker < 1.10).
 *
 *   containers/<id>/config.json         the container (Volumes, VolumesRW)
 *   graph/<layer>/json                  {id, parent, created, container_config, comment}
 *   graph/<layer>/layersize             decimal bytes
 *   repositories-<driver>               the tags
 * There is no layer store indirection: the driver's directory for a
 * container is named by the container ID itself.
 */
#include "docker_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../util/jget.h"
#include "../util/pathutil.h"

de_container *docker_v1_load(de_docker *d, const char *id, de_err *e)
{
	char *rel = xasprintf("containers/%s/config.json", id);
	char *path = de_path_join(d->root.path, rel);
	de_container *c = NULL;
	json_t *doc = ev_read_json(&d->root, rel, EV_MAX_JSON, e);
	if (!doc)
		goto out;
	c = xcalloc(1, sizeof *c);
	c->layout = DE_LAYOUT_V1;
	c->config_path = xstrdup(path);
	if (docker_parse_config(d, doc, path, c, e) < 0) {
		de_container_free(c);
		c = NULL;
		goto out;
	}
	if (!de_safe_name(c->id)) {
		de_fail(e, "%s: container ID is not a plain name", path);
		de_container_free(c);
		c = NULL;
		goto out;
	}
	c->mount_id = xstrdup(c->id);
	if (!c->driver)
		de_warn("%s: no Driver: the container's layers cannot be found", path);
out:
	json_decref(doc);
	free(rel);
	free(path);
	return c;
}

static int64_t read_layersize(de_docker *d, const char *layer)
{
	char *rel = xasprintf("graph/%s/layersize", layer);
	int64_t v = ev_read_size(&d->root, rel);
	free(rel);
	return v;
}

int docker_v1_history(de_docker *d, const de_container *c, de_history *out, de_err *e)
{
	/* As de.py: the chain starts at the container's own graph entry when
	 * one exists (a committed container), else at its image. */
	char *gl = xasprintf("graph/%s", c->id);
	const char *start = ev_is_dir(&d->root, gl) ? c->id : c->image_id;
	int rc = docker_v1_chain(d, start, out, e);
	free(gl);
	return rc;
}

int docker_v1_chain(de_docker *d, const char *start, de_history *out, de_err *e)
{
	char *cur = start ? xstrdup(start) : NULL;
	int rc = 0;
	while (cur && out->n < DE_MAX_CHAIN) {
		if (!de_safe_name(cur)) {
			rc = out->n ? 0 : de_fail(e, "layer ID \"%s\" is not a plain name", cur);
			if (out->n)
				de_warn("layer ID \"%s\" is not a plain name; chain stopped", cur);
			break;
		}
		for (size_t i = 0; i < out->n; i++)
			if (!strcmp(out->v[i].id, cur)) {
				de_warn("layer %s: parent chain loops; stopped", cur);
				goto done;
			}
		char *rel = xasprintf("graph/%s/json", cur);
		de_err je;
		json_t *j = ev_read_json(&d->root, rel, EV_MAX_JSON, &je);
		free(rel);
		if (!j) {
			if (out->n == 0)
				rc = de_fail(e, "%s", je.msg);
			else
				de_warn("%s", je.msg);
			break;
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		de_history_entry *h = &out->v[out->n++];
		memset(h, 0, sizeof *h);
		h->id = cur;
		const char *s = jget_str(j, "created");
		h->created = s ? xstrdup(s) : NULL;
		s = jget_str(j, "comment");
		h->comment = s ? xstrdup(s) : NULL;
		h->container_cmd = jget_join_strings(jget_arr(jget_obj(j, "container_config"), "Cmd"));
		h->size = read_layersize(d, cur);
		s = jget_str(j, "parent");
		cur = s && *s ? xstrdup(s) : NULL;
		json_decref(j);
	}
	if (cur && out->n >= DE_MAX_CHAIN)
		de_warn("layer chain longer than %d; stopped", DE_MAX_CHAIN);
done:
	free(cur);
	return rc;
}
