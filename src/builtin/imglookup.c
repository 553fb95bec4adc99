/*
 * imglookup.c — see imglookup.h. The images of each root are listed once
 * per run (image_refs.h: IDs and names only, no image config read).
 */
#include "imglookup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../output/text.h"
#include "../runtime/image_refs.h"

static const char *const runtimes[] = {"docker", "podman", "cri-o", "containerd",
                                       "containers-storage"};

static struct {
	bool ready;
	const de_roots *roots;
	de_image_list *idx;    /* per root */
} I;

static void idx_free(void)
{
	for (size_t r = 0; I.roots && r < I.roots->n; r++)
		de_image_list_free(&I.idx[r]);
	free(I.idx);
	memset(&I, 0, sizeof I);
}

static int idx_init(const de_opts *o)
{
	if (I.ready)
		return I.roots ? 0 : -1;
	I.ready = true;
	if (!(I.roots = de_lookup_roots(o)))
		return -1;
	atexit(idx_free);
	I.idx = xcalloc(I.roots->n + 1, sizeof *I.idx);
	for (size_t r = 0; r < I.roots->n; r++) {
		de_docker *d = de_lookup_root(r);
		de_err e;
		if (d && de_image_refs(d, I.roots->v[r].skip_moby, &I.idx[r], &e) < 0)
			de_warn("%s (its images are not found)", e.msg);
	}
	return 0;
}

/* ---- names, as each engine matches them ------------------------------------- */

/* The parts of "name[:tag][@digest]": the tag follows the last ':' after
 * the last '/' (a ':' before it is a registry's port). */
typedef struct ref_parts {
	char *name;
	const char *tag, *digest;   /* into the copy; NULL: none */
	char *buf;
} ref_parts;

static bool split_ref(const char *ref, ref_parts *p)
{
	memset(p, 0, sizeof *p);
	p->buf = xstrdup(ref);
	char *at = strchr(p->buf, '@');
	if (at) {
		*at = 0;
		p->digest = at + 1;
	}
	char *slash = strrchr(p->buf, '/'), *colon = strrchr(slash ? slash : p->buf, ':');
	if (colon) {
		*colon = 0;
		p->tag = colon + 1;
	}
	p->name = p->buf;
	return *p->name && (!p->tag || *p->tag) && (!p->digest || *p->digest);
}

/* Docker's rule (distribution/reference): the first component is a
 * registry when it holds '.' or ':', is "localhost", or has upper case. */
static bool has_domain(const char *name)
{
	const char *slash = strchr(name, '/');
	if (!slash)
		return false;
	size_t n = (size_t)(slash - name);
	if ((n == 9 && !strncmp(name, "localhost", 9)) || memchr(name, '.', n) ||
	    memchr(name, ':', n))
		return true;
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)name[i]))
			return true;
	return false;
}

/* "busybox" → "docker.io/library/busybox:latest", as Docker normalises a
 * reference (ParseNormalizedNamed, then TagNameOnly); NULL: not one. */
static char *docker_norm(const char *ref)
{
	ref_parts p;
	char *out = NULL;
	if (split_ref(ref, &p)) {
		const char *path = p.name;
		char *domain;
		if (has_domain(p.name)) {
			const char *slash = strchr(p.name, '/');
			domain = xstrndup(p.name, (size_t)(slash - p.name));
			path = slash + 1;
			if (!strcmp(domain, "index.docker.io")) {
				free(domain);
				domain = xstrdup("docker.io");
			}
		} else {
			domain = xstrdup("docker.io");
		}
		bool library = !strcmp(domain, "docker.io") && !strchr(path, '/');
		out = xasprintf("%s/%s%s%s%s%s", domain, library ? "library/" : "", path,
		                p.tag ? ":" : !p.digest ? ":latest" : "", p.tag ? p.tag : "",
		                p.digest ? "@" : "");
		if (p.digest) {
			char *full = xasprintf("%s%s", out, p.digest);
			free(out);
			out = full;
		}
		free(domain);
	}
	free(p.buf);
	return out;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

/* Podman's rule (libimage): a name with a registry is taken as it is; one
 * without is localhost/NAME, or NAME on any registry; no tag is :latest. */
static bool podman_match(const char *stored, const char *key)
{
	ref_parts p;
	bool yes = false;
	if (split_ref(key, &p)) {
		char *k = p.tag || p.digest ? xstrdup(key) : xasprintf("%s:latest", key);
		if (has_domain(p.name)) {
			yes = !strcmp(stored, k);
		} else {
			char *local = xasprintf("localhost/%s", k), *tail = xasprintf("/%s", k);
			yes = !strcmp(stored, local) || ends_with(stored, tail);
			free(local);
			free(tail);
		}
		free(k);
	}
	free(p.buf);
	return yes;
}

static bool name_matches(bool storage, const char *stored, const char *key)
{
	if (!strcmp(stored, key))
		return true;
	if (storage)
		return podman_match(stored, key);
	char *a = docker_norm(stored), *b = docker_norm(key);
	bool yes = a && b && !strcmp(a, b);
	free(a);
	free(b);
	return yes;
}

static bool is_storage(size_t r)
{
	return I.roots->v[r].kind == DE_ROOT_STORAGE;
}

static bool named(const de_image *im, bool storage, const char *key)
{
	for (size_t k = 0; k < im->tags.n; k++)
		if (name_matches(storage, im->tags.v[k], key))
			return true;
	for (size_t k = 0; k < im->digests.n; k++)
		if (name_matches(storage, im->digests.v[k], key))
			return true;
	return false;
}

de_image *de_image_named(de_image_list *refs, bool storage, const char *ref)
{
	de_image *found = NULL;
	for (size_t i = 0; i < refs->n; i++) {
		if (named(&refs->v[i], storage, ref)) {
			if (found)
				return NULL;   /* two: not one image */
			found = &refs->v[i];
		}
	}
	return found;
}

/* ---- the selector and the rounds -------------------------------------------- */

typedef struct im_sel {
	char *runtime, *root;  /* NULL: any */
	const char *key;
} im_sel;

/* RUNTIME[@ROOT]: before the first ':' when it names a runtime. */
static void parse_img_sel(const char *ref, im_sel *s)
{
	memset(s, 0, sizeof *s);
	s->key = ref;
	const char *colon = strchr(ref, ':');
	if (!colon)
		return;
	const char *at = memchr(ref, '@', (size_t)(colon - ref));
	size_t rl = (size_t)((at ? at : colon) - ref);
	for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++)
		if (strlen(runtimes[i]) == rl && !strncmp(ref, runtimes[i], rl)) {
			s->runtime = xstrndup(ref, rl);
			s->root = at ? xstrndup(at + 1, (size_t)(colon - at - 1)) : NULL;
			s->key = colon + 1;
		}
}

static bool root_selected(const im_sel *s, size_t r)
{
	return de_lookup_root_selected(r, s->runtime, s->root);
}

/* A containers/storage image is the store's, whichever of its engines
 * (Podman, CRI-O) is named; the others must be the runtime asked for. */
static bool img_selected(const im_sel *s, size_t r, const de_image *im)
{
	return root_selected(s, r) && (!s->runtime || is_storage(r) || !strcmp(s->runtime, im->runtime));
}

static const char *id_hex(const de_image *im)
{
	return strncmp(im->id, "sha256:", 7) ? im->id : im->id + 7;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

static bool matches_key(int round, size_t r, const de_image *im, const char *key)
{
	const char *hex = strncmp(key, "sha256:", 7) ? key : key + 7;
	if (round == 1)
		return strlen(hex) == 64 && all_hex(hex) && !strcmp(id_hex(im), hex);
	if (round == 2)
		return named(im, is_storage(r), key);
	return *hex && all_hex(hex) && !strncmp(id_hex(im), hex, strlen(hex));
}

typedef struct im_hit {
	size_t root, i;
} im_hit;

typedef struct hits {
	im_hit *v;
	size_t n;
} hits;

static de_image *hit_image(const im_hit *h)
{
	return &I.idx[h->root].v[h->i];
}

/* The images key names in this round; containerd's also as NAMESPACE/key. */
static void image_round(const im_sel *s, int round, hits *m)
{
	for (size_t r = 0; r < I.roots->n; r++) {
		if (!root_selected(s, r))
			continue;
		for (size_t i = 0; i < I.idx[r].n; i++) {
			const de_image *im = &I.idx[r].v[i];
			if (!img_selected(s, r, im))
				continue;
			size_t nl = im->namespace ? strlen(im->namespace) : 0;
			bool yes = matches_key(round, r, im, s->key) ||
			           (nl && !strncmp(s->key, im->namespace, nl) && s->key[nl] == '/' &&
			            matches_key(round, r, im, s->key + nl + 1));
			if (yes) {
				m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
				m->v[m->n++] = (im_hit){r, i};
			}
		}
	}
}

/* ---- messages ------------------------------------------------------------------ */

/* Podman and CRI-O share a store ("podman,cri-o"): either names it. */
static char *runtime_label(const de_image *im)
{
	return xstrndup(im->runtime, strcspn(im->runtime, ","));
}

static bool same_ns(const de_image *a, const de_image *b)
{
	return !strcmp(a->namespace ? a->namespace : "", b->namespace ? b->namespace : "");
}

/* How to ask for hit k alone: RUNTIME[@ROOT]:[NS/]ID, the ID's first 12
 * characters unless another image of that runtime starts with them (or
 * full), and its first name after it, for people. */
static char *img_ask(const hits *m, size_t k, bool full)
{
	const de_image *im = hit_image(&m->v[k]);
	char *rt = runtime_label(im);
	bool twice = false;
	for (size_t j = 0; j < m->n; j++) {
		const de_image *o = hit_image(&m->v[j]);
		twice |= j != k && m->v[j].root != m->v[k].root && !strcmp(o->runtime, im->runtime) &&
		         same_ns(o, im) && !strcmp(o->id, im->id);
	}
	const char *hex = id_hex(im);
	size_t len = full || strlen(hex) <= 12 ? strlen(hex) : 12;
	for (size_t r = 0; r < I.roots->n && len < strlen(hex); r++)
		for (size_t i = 0; i < I.idx[r].n && len < strlen(hex); i++) {
			const de_image *o = &I.idx[r].v[i];
			if (strcmp(o->id, im->id) && !strcmp(o->runtime, im->runtime) && same_ns(o, im) &&
			    (!twice || r == m->v[k].root) && !strncmp(id_hex(o), hex, len))
				len = strlen(hex);
		}
	dbuf b = {0};
	if (twice)
		db_addf(&b, "%s@/%s:", rt, de_lookup_root_label(m->v[k].root));
	else
		db_addf(&b, "%s:", rt);
	if (im->namespace)
		db_addf(&b, "%s/", im->namespace);
	db_add(&b, hex, len);
	const char *name = im->tags.n ? im->tags.v[0] : im->digests.n ? im->digests.v[0] : NULL;
	if (name)
		db_addf(&b, " (%s)", name);
	free(rt);
	dbuf esc = {0};
	de_escape(&esc, b.p);
	db_free(&b);
	return esc.p ? db_take(&esc) : xstrdup("");
}

static void ambiguous(const char *ref, int round, const strvec *casks, const hits *m)
{
	bool prefix = round == 3, one_root = true;
	for (size_t k = 1; k < m->n; k++)
		one_root &= m->v[k].root == m->v[0].root && same_ns(hit_image(&m->v[k]),
		                                                    hit_image(&m->v[0]));
	dbuf list = {0}, esc = {0};
	de_escape(&esc, ref);
	for (size_t k = 0; k < casks->n; k++)
		db_addf(&list, "%scontainer %s", k ? ", " : "", casks->v[k]);
	for (size_t k = 0; k < m->n; k++) {
		char *a = prefix && one_root && !casks->n ? xstrdup(hit_image(&m->v[k])->id)
		                                          : img_ask(m, k, prefix);
		db_addf(&list, "%s%s%s", list.p ? ", " : "", casks->n ? "image " : "", a);
		free(a);
	}
	const char *how = casks->n ? " (choose one as RUNTIME:REF, as listed, and its kind with "
	                             "--type container|image)"
	                           : " (choose one as RUNTIME:REF, as listed)";
	if (prefix && !casks->n && one_root)
		de_error("Too many image IDs starting with \"%s\": %s", esc.p, list.p);
	else if (prefix)
		de_error("Too many %sIDs starting with \"%s\": %s%s",
		         casks->n ? "container and image " : "image ", esc.p, list.p, how);
	else if (casks->n)
		de_error("\"%s\" names %zu container%s and %zu image%s: %s%s", esc.p, casks->n,
		         casks->n == 1 ? "" : "s", m->n, m->n == 1 ? "" : "s", list.p, how);
	else
		de_error("\"%s\" names %zu images: %s%s", esc.p, m->n, list.p, how);
	db_free(&list);
	db_free(&esc);
}

typedef struct hint {
	char *what;
	size_t dist;
	char *runtime;
} hint;

static int cmp_hint(const void *pa, const void *pb)
{
	const hint *a = pa, *b = pb;
	return a->dist != b->dist ? (a->dist < b->dist ? -1 : 1) : strcmp(a->what, b->what);
}

static void hint_add(hint **h, size_t *n, const char *what, size_t dist, const char *runtime)
{
	for (size_t k = 0; k < *n; k++)
		if (!strcmp((*h)[k].what, what) && !strcmp((*h)[k].runtime, runtime))
			return;
	*h = xrealloc(*h, (*n + 1) * sizeof **h);
	(*h)[(*n)++] = (hint){xstrdup(what), dist, xstrdup(runtime)};
}

/* The name without the registry the engines imply ("docker.io/library/",
 * "localhost/"), for comparing with what people type. */
static const char *familiar(const char *name)
{
	static const char *const implied[] = {"docker.io/library/", "docker.io/", "localhost/"};
	for (size_t i = 0; i < sizeof implied / sizeof *implied; i++)
		if (!strncmp(name, implied[i], strlen(implied[i])))
			return name + strlen(implied[i]);
	return name;
}

/* "did you mean": names and ID prefixes of the selected images within a
 * small edit distance of the key. */
static void suggest(const im_sel *s)
{
	size_t kl = strlen(s->key), max = kl <= 4 ? 1 : kl <= 10 ? 2 : 3;
	hint *h = NULL;
	size_t n = 0;
	if (kl < 2 || kl > 128)
		return;
	for (size_t r = 0; r < I.roots->n; r++) {
		for (size_t i = 0; root_selected(s, r) && i < I.idx[r].n; i++) {
			const de_image *im = &I.idx[r].v[i];
			if (!img_selected(s, r, im))
				continue;
			char *rt = runtime_label(im);
			for (size_t k = 0; k < im->tags.n; k++) {
				const char *t = im->tags.v[k];
				size_t d = de_lookup_distance(s->key, t, max), df;
				if ((df = de_lookup_distance(s->key, familiar(t), max)) < d)
					d = df;
				if (d <= max)
					hint_add(&h, &n, t, d, rt);
			}
			const char *hex = id_hex(im);
			if (strlen(hex) >= kl && all_hex(s->key)) {
				char *pre = xstrndup(hex, kl), *show = xstrndup(hex, kl > 12 ? kl : 12);
				size_t d = de_lookup_distance(s->key, pre, max);
				if (d <= max)
					hint_add(&h, &n, show, d, rt);
				free(pre);
				free(show);
			}
			free(rt);
		}
	}
	if (n > 1)
		qsort(h, n, sizeof *h, cmp_hint);
	dbuf b = {0};
	for (size_t k = 0; k < n; k++) {
		if (k < 5) {
			dbuf w = {0};
			de_escape(&w, h[k].what);
			db_addf(&b, "%s%s (%s)", k ? ", " : "", w.p ? w.p : "", h[k].runtime);
			db_free(&w);
		}
		free(h[k].what);
		free(h[k].runtime);
	}
	free(h);
	if (b.p)
		de_error("did you mean: %s?", b.p);
	db_free(&b);
}

/* Whether ref reads as lookup.c's [RUNTIME[@ROOT]:]REF (its last ':'
 * after a runtime's name), so that its messages fit it. */
static bool container_syntax(const char *ref)
{
	const char *colon = strrchr(ref, ':');
	if (!colon)
		return true;
	const char *at = memchr(ref, '@', (size_t)(colon - ref));
	size_t rl = (size_t)((at ? at : colon) - ref);
	for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++)
		if (strlen(runtimes[i]) == rl && !strncmp(ref, runtimes[i], rl))
			return true;
	return false;
}

/* said: lookup.c has spoken (de.py's message, or no such root). */
static void not_found(const char *ref, const im_sel *s, bool said)
{
	bool any = false;
	for (size_t r = 0; r < I.roots->n; r++)
		any |= root_selected(s, r);
	dbuf esc = {0};
	de_escape(&esc, ref);
	if (!any && said) {
		/* lookup.c named the roots of the run */
	} else if (!any) {
		dbuf b = {0};
		for (size_t r = 0; r < I.roots->n; r++)
			db_addf(&b, "%s%s", r ? ", " : "", de_lookup_root_label(r));
		de_error("\"%s\": no %s data root%s%s in this run (its data roots: %s)", esc.p,
		         s->runtime, s->root ? " " : "", s->root ? s->root : "", b.p ? b.p : "none");
		db_free(&b);
	} else {
		de_error("Could not find any image named or with an ID starting with \"%s\"", esc.p);
		suggest(s);
	}
	db_free(&esc);
}

/* ---- the target ------------------------------------------------------------------ */

/* The root r whose path d was opened at (de_open_root opens r->path). */
static size_t root_of(const de_docker *d)
{
	for (size_t r = 0; I.roots && r < I.roots->n; r++)
		if (!strcmp(I.roots->v[r].path, d->root.path))
			return r;
	return SIZE_MAX;
}

static int take_container(de_hist_target *t, const de_opts *o, const char *ref)
{
	if (!(t->c = de_open_container(o, &t->d, ref)))
		return -1;
	size_t r = root_of(&t->d);
	if (r != SIZE_MAX && I.idx) {   /* the look-up listed them: take the list */
		t->refs = I.idx[r];
		memset(&I.idx[r], 0, sizeof I.idx[r]);
	} else {
		de_err e;
		if (de_image_refs(&t->d, false, &t->refs, &e) < 0)
			de_warn("%s (its images are not named)", e.msg);
	}
	return 0;
}

static int take_image(de_hist_target *t, const de_opts *o, const im_hit *h)
{
	if (de_open_root(o, &I.roots->v[h->root], &t->d) < 0)
		return -1;   /* said why */
	t->refs = I.idx[h->root];
	memset(&I.idx[h->root], 0, sizeof I.idx[h->root]);
	t->im = &t->refs.v[h->i];
	return 0;
}

int de_hist_target_open(de_hist_target *t, const de_opts *o, const char *ref, unsigned kinds)
{
	memset(t, 0, sizeof *t);
	t->d.root.fd = -1;
	if (kinds == DE_KIND_CONTAINER)
		return take_container(t, o, ref);
	if (idx_init(o) < 0)
		return -1;
	im_sel s;
	parse_img_sel(ref, &s);
	int rc = -1;
	for (int round = 1; round <= 3; round++) {
		strvec casks = {0};
		hits m = {0};
		size_t nc = kinds & DE_KIND_CONTAINER ? de_container_matches(o, ref, round, &casks) : 0;
		image_round(&s, round, &m);
		if (nc + m.n == 1)
			rc = nc ? take_container(t, o, ref) : take_image(t, o, &m.v[0]);
		else if (nc > 1 && !m.n)   /* lookup.c's own message */
			rc = take_container(t, o, ref);
		else if (nc + m.n > 1)
			ambiguous(ref, round, &casks, &m);
		sv_free(&casks);
		free(m.v);
		if (nc + m.n)
			goto out;
	}
	/* Nothing: de.py's message for containers (and lookup.c's hints, or
	 * its word on a RUNTIME: without a root), then the images'. */
	bool said = false;
	if ((kinds & DE_KIND_CONTAINER) && container_syntax(ref)) {
		de_docker d;
		de_container *c = de_open_container(o, &d, ref);
		if (c) {   /* cannot be: the rounds found none */
			de_container_free(c);
			de_docker_close(&d);
		}
		said = true;
	}
	not_found(ref, &s, said);
out:
	free(s.runtime);
	free(s.root);
	return rc;
}

void de_hist_target_close(de_hist_target *t)
{
	if (t->c)
		de_container_free(t->c);
	if (t->c || t->im)
		de_docker_close(&t->d);
	de_image_list_free(&t->refs);
	memset(t, 0, sizeof *t);
}
