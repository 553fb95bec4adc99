/*
 * manifest.c — see manifest.h.
 */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../util/jget.h"
#include "../util/strvec.h"
#include "reference.h"

#define MAX_ENTRIES 4096

static void desc_free(reg_desc *d)
{
	free(d->media_type);
	free(d->digest);
	free(d->os);
	free(d->arch);
	free(d->variant);
	memset(d, 0, sizeof *d);
}

void reg_manifest_free(reg_manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		desc_free(&m->v[i]);
	free(m->v);
	desc_free(&m->config);
	free(m->media_type);
	memset(m, 0, sizeof *m);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int read_desc(json_t *j, reg_desc *d, const char *what, de_err *e)
{
	if (!json_is_object(j))
		return de_fail(e, "%s is not a descriptor object", what);
	const char *dg = jget_str(j, "digest");
	json_t *sz = json_object_get(j, "size");
	if (!reg_digest_valid(dg))
		return de_fail(e, "%s: \"digest\" is not a sha256 or sha512 digest", what);
	if (!json_is_integer(sz) || json_integer_value(sz) < 0)
		return de_fail(e, "%s: \"size\" is not a byte count", what);
	d->digest = xstrdup(dg);
	d->size = json_integer_value(sz);
	d->media_type = dup_or_null(jget_str(j, "mediaType"));
	if (d->media_type && (strstr(d->media_type, "foreign") ||
	                      strstr(d->media_type, "nondistributable")))
		d->foreign = true;
	json_t *p = jget_obj(j, "platform");
	d->os = dup_or_null(jget_str(p, "os"));
	d->arch = dup_or_null(jget_str(p, "architecture"));
	d->variant = dup_or_null(jget_str(p, "variant"));
	/* BuildKit's provenance/SBOM: annotations
	 * "vnd.docker.reference.type": "attestation-manifest" */
	const char *rt = jget_str(jget_obj(j, "annotations"), "vnd.docker.reference.type");
	d->attestation = rt && !strcmp(rt, "attestation-manifest");
	return 0;
}

static int read_list(json_t *arr, reg_manifest *m, const char *key, de_err *e)
{
	if (!json_is_array(arr))
		return de_fail(e, "the manifest has no \"%s\" list", key);
	size_t n = json_array_size(arr);
	if (n > MAX_ENTRIES)
		return de_fail(e, "the manifest lists %zu %s (more than %d)", n, key, MAX_ENTRIES);
	m->v = xcalloc(n ? n : 1, sizeof *m->v);
	for (size_t i = 0; i < n; i++) {
		char what[64];
		snprintf(what, sizeof what, "%s[%zu]", key, i);
		if (read_desc(json_array_get(arr, i), &m->v[i], what, e) < 0)
			return -1;
		m->n++;
	}
	return 0;
}

/* The media type without parameters ("; charset=utf-8"). */
static char *bare_type(const char *ct)
{
	if (!ct)
		return NULL;
	size_t n = strcspn(ct, "; \t");
	return n ? xstrndup(ct, n) : NULL;
}

int reg_manifest_parse(const char *body, size_t len, const char *content_type,
                       reg_manifest *m, de_err *e)
{
	memset(m, 0, sizeof *m);
	json_error_t je;
	json_t *j = json_loadb(body, len, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		return de_fail(e, "the manifest is not a JSON object (%s)", je.text);
	}
	int rc = -1;
	const char *mt = jget_str(j, "mediaType");
	m->media_type = mt ? xstrdup(mt) : bare_type(content_type);
	if (jget_int(j, "schemaVersion", 0) == 1 ||
	    (m->media_type && strstr(m->media_type, "docker.distribution.manifest.v1"))) {
		de_fail(e, "the registry served a Docker schema 1 manifest, which de does not read");
		goto out;
	}
	if (!m->media_type || (strcmp(m->media_type, REG_MT_OCI_INDEX) &&
	                       strcmp(m->media_type, REG_MT_DOCKER_LIST) &&
	                       strcmp(m->media_type, REG_MT_OCI_MANIFEST) &&
	                       strcmp(m->media_type, REG_MT_DOCKER_V2))) {
		/* no usable type: the keys tell (OCI made mediaType optional) */
		free(m->media_type);
		m->media_type = xstrdup(json_object_get(j, "manifests") ? REG_MT_OCI_INDEX
		                        : json_object_get(j, "config") ? REG_MT_OCI_MANIFEST : "");
		if (!*m->media_type) {
			de_fail(e, "the manifest is neither an index nor an image manifest (%s)",
			        mt ? mt : content_type ? content_type : "no media type");
			goto out;
		}
	}
	m->is_index = !strcmp(m->media_type, REG_MT_OCI_INDEX) ||
	              !strcmp(m->media_type, REG_MT_DOCKER_LIST);
	if (m->is_index) {
		if (read_list(jget_arr(j, "manifests"), m, "manifests", e) < 0)
			goto out;
	} else {
		if (read_desc(json_object_get(j, "config"), &m->config, "config", e) < 0 ||
		    read_list(jget_arr(j, "layers"), m, "layers", e) < 0)
			goto out;
	}
	rc = 0;
out:
	json_decref(j);
	if (rc < 0)
		reg_manifest_free(m);
	return rc;
}

static bool word_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

int reg_platform_parse(const char *s, char **os, char **arch, char **variant)
{
	const char *a = strchr(s, '/');
	if (!a || !word_ok(s, (size_t)(a - s)))
		return -1;
	const char *v = strchr(a + 1, '/');
	size_t al = v ? (size_t)(v - a - 1) : strlen(a + 1);
	if (!word_ok(a + 1, al) || (v && (!word_ok(v + 1, strlen(v + 1)) || strchr(v + 1, '/'))))
		return -1;
	*os = xstrndup(s, (size_t)(a - s));
	*arch = xstrndup(a + 1, al);
	*variant = v ? xstrdup(v + 1) : NULL;
	/* the names uname and others use for the same architectures */
	if (!strcmp(*arch, "x86_64") || !strcmp(*arch, "x86-64")) {
		free(*arch);
		*arch = xstrdup("amd64");
	} else if (!strcmp(*arch, "aarch64")) {
		free(*arch);
		*arch = xstrdup("arm64");
	}
	return 0;
}

/* containerd's normalization: arm64 is v8 and arm v7 unless said. */
static const char *norm_variant(const char *arch, const char *v)
{
	if (v && *v)
		return v;
	if (arch && !strcmp(arch, "arm64"))
		return "v8";
	if (arch && !strcmp(arch, "arm"))
		return "v7";
	return "";
}

static void describe(dbuf *b, const reg_desc *d)
{
	db_addf(b, "%s/%s", d->os ? d->os : "?", d->arch ? d->arch : "?");
	if (d->variant && *d->variant)
		db_addf(b, "/%s", d->variant);
}

int reg_pick_platform(const reg_manifest *m, const char *platform, size_t *idx, de_err *e)
{
	char *os, *arch, *variant;
	if (reg_platform_parse(platform, &os, &arch, &variant) < 0)
		return de_fail(e, "--platform %s: not os/arch[/variant]", platform);
	int best = 0;
	size_t at = 0, nbest = 0;
	for (size_t i = 0; i < m->n; i++) {
		const reg_desc *d = &m->v[i];
		if (d->attestation || !d->os || !d->arch || strcmp(d->os, os) || strcmp(d->arch, arch))
			continue;
		int score;
		if (variant)
			score = !strcmp(norm_variant(arch, d->variant), norm_variant(arch, variant)) ? 2 : 0;
		else
			score = !strcmp(norm_variant(arch, d->variant), norm_variant(arch, NULL)) ? 2 : 1;
		if (score > best) {
			best = score, at = i, nbest = 1;
		} else if (score == best && score && strcmp(d->digest, m->v[at].digest)) {
			nbest++;
		}
	}
	int rc = 0;
	if (nbest != 1) {
		dbuf b = {0};
		for (size_t i = 0; i < m->n; i++) {
			if (m->v[i].attestation)
				continue;
			db_adds(&b, b.len ? ", " : "");
			describe(&b, &m->v[i]);
			if (nbest > 1)
				db_addf(&b, " (%s)", m->v[i].digest);
		}
		rc = de_fail(e, "%s platform %s in the index; it has: %s",
		             nbest ? "more than one manifest for the" : "no manifest for the", platform,
		             b.len ? b.p : "none");
		db_free(&b);
	} else {
		*idx = at;
	}
	free(os);
	free(arch);
	free(variant);
	return rc;
}
