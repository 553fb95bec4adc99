/*
 * lookup.c — which container a CONTAINER argument names, among every data
 * root of the run (de_open_container in builtin.h).
 *
 * CONTAINER is [RUNTIME[@ROOT]:]REF. RUNTIME (docker, podman, cri-o,
 * containerd, containers-storage) keeps the containers of that runtime;
 * ROOT (a data root as `list runtimes` prints it, or its path on the imaged
 * host: /var/lib/docker) keeps those of that root, for when the same ID is
 * in two roots. REF is matched as Docker matches, in three rounds, each
 * over every root at once, so that no root wins by coming first:
 *   1. a full container ID that the engine generated (Docker, Podman,
 *      CRI-O: as Docker, an ID beats a name);
 *   2. a name ("web" or "/web"), or a containerd ID or NAMESPACE/ID: those
 *      are names their creator chose;
 *   3. a unique ID prefix.
 * A Kubernetes pod's container (one with pod facts: containerd's CRI
 * plugin's, and those only a pod log directory tells of) is also matched
 * in round 2 as NAMESPACE/POD/CONTAINER (its name), NAMESPACE/POD/
 * CONTAINER/N (attempt N) and POD/CONTAINER; RUNTIME "k8s" keeps pods'
 * containers only. When the matches are attempts of one pod's container,
 * the newest is the one (as kubectl takes it). -n and --no-support leave
 * out the containers they hide, as every listing does.
 * One match is the container; several in the same round is an error that
 * names each candidate the way to ask for it (de.py's own messages when
 * they are all in one root); none is de.py's message, with the nearest
 * names and IDs as suggestions.
 *
 * The roots are read once per run, whatever the number of look-ups
 * (timeline CONTAINER...): containerd and containers/storage roots whole
 * (one database each), Docker roots by their containers/ listing, and their
 * configs only when a name must be matched — without a warning for the
 * ones that cannot be read, as Docker's look-up, since that container is
 * not the one asked for unless its ID is (then its error is the answer).
 */
#include "builtin.h"
#include "imglookup.h"

#include <stdlib.h>
#include <string.h>

#include "../output/text.h"
#include "../util/pathutil.h"

typedef struct lk_ent {
	size_t root;
	char *id, *ns, *runtime;
	char *name;            /* without Docker's leading "/"; NULL unknown */
	de_container *c;       /* loaded and not yet handed out, else NULL */
	/* a pod's container or sandbox */
	char *pns, *pname, *puid, *pctr;
	long attempt;
	bool pod, removed;
	bool hidden;           /* left out by -n or --no-support */
} lk_ent;

typedef struct lk_root {
	de_docker d;
	bool open;
	bool named;            /* every entry's name is known */
	size_t first, n;       /* its entries */
} lk_root;

static struct {
	bool ready, usable;
	const de_opts *o;
	de_roots roots;
	lk_root *r;
	lk_ent *e;
	size_t n;
} S;

static const char *const runtimes[] = {"docker", "podman", "cri-o", "containerd",
                                       "containers-storage", "k8s"};

static void lk_free(void)
{
	for (size_t i = 0; i < S.n; i++) {
		free(S.e[i].id);
		free(S.e[i].ns);
		free(S.e[i].runtime);
		free(S.e[i].name);
		free(S.e[i].pns);
		free(S.e[i].pname);
		free(S.e[i].puid);
		free(S.e[i].pctr);
		if (S.e[i].c)
			de_container_free(S.e[i].c);
	}
	for (size_t r = 0; r < S.roots.n; r++)
		if (S.r[r].open)
			de_docker_close(&S.r[r].d);
	free(S.e);
	free(S.r);
	de_roots_free(&S.roots);
	memset(&S, 0, sizeof S);
}

static char *bare_name(const char *name)
{
	return name ? xstrdup(name[0] == '/' ? name + 1 : name) : NULL;
}

static void push(size_t root, const char *id, de_container *c)
{
	S.e = xrealloc(S.e, (S.n + 1) * sizeof *S.e);
	lk_ent *e = &S.e[S.n++];
	*e = (lk_ent){.root = root, .id = xstrdup(id), .c = c,
	              .runtime = xstrdup(c && c->runtime ? c->runtime : "docker")};
	if (c) {
		e->ns = c->namespace ? xstrdup(c->namespace) : NULL;
		e->name = bare_name(c->name);
	}
	const de_pod_info *p = c ? c->pod : NULL;
	if (p) {
		e->pod = true;
		e->removed = p->removed;
		e->attempt = p->attempt;
		e->pns = p->namespace ? xstrdup(p->namespace) : NULL;
		e->pname = p->name ? xstrdup(p->name) : NULL;
		e->puid = p->uid ? xstrdup(p->uid) : NULL;
		e->pctr = p->container ? xstrdup(p->container) : NULL;
	}
	S.r[root].n++;
}

/* The containers a pod's log directory alone tells of (pods.c), among
 * what the roots hold: those of the CRI runtime's root, or NULL. */
static int lk_removed(de_container_list *out)
{
	const de_container **known = xcalloc(S.n + 1, sizeof *known);
	de_docker *ds = xcalloc(S.roots.n + 1, sizeof *ds);
	bool *open = xcalloc(S.roots.n + 1, sizeof *open);
	size_t nk = 0;
	int pod_root = -1;
	for (size_t i = 0; i < S.n; i++)
		if (S.e[i].c && !S.e[i].removed) {
			known[nk++] = S.e[i].c;
			if (pod_root < 0 && S.e[i].pod)
				pod_root = (int)S.e[i].root;
		}
	for (size_t r = 0; r < S.roots.n; r++) {
		ds[r] = S.r[r].d;
		open[r] = S.r[r].open;
	}
	int r = de_pods_removed(&S.roots, ds, open, pod_root, known, nk, out);
	free(known);
	free(ds);
	free(open);
	return r;
}

/* Opens every root; loads containerd and containers/storage roots, lists
 * Docker roots' container IDs. */
static int lk_init(const de_opts *o)
{
	if (S.ready)
		return S.usable ? 0 : -1;
	if (de_find_roots(o, &S.roots) < 0)
		return -1;
	S.ready = true;
	atexit(lk_free);
	S.r = xcalloc(S.roots.n + 1, sizeof *S.r);
	size_t failed = 0;
	for (size_t r = 0; r < S.roots.n; r++) {
		lk_root *lr = &S.r[r];
		de_err e;
		lr->first = S.n;
		if (de_open_root(o, &S.roots.v[r], &lr->d) < 0) {
			failed++;   /* said why */
			continue;
		}
		lr->open = true;
		int rc;
		if (S.roots.v[r].kind == DE_ROOT_DOCKER) {
			strvec ids = {0};
			rc = de_docker_ids(&lr->d, &ids, &e);
			/* -n: Docker's containers are no pod's */
			for (size_t i = 0; rc == 0 && i < ids.n && !o->pod_namespace; i++)
				push(r, ids.v[i], NULL);
			sv_free(&ids);
		} else {
			de_container_list l = {0};
			rc = de_load_root(&lr->d, &S.roots.v[r], &l, &e);
			for (size_t i = 0; i < l.n; i++)
				push(r, l.v[i]->id, l.v[i]);
			free(l.v);
			lr->named = true;
		}
		if (rc < 0) {
			de_error("%s", e.msg);
			failed++;
		}
	}
	if (failed == S.roots.n)
		return -1;   /* said why */
	de_container_list rm = {0};
	int rr = lk_removed(&rm);
	for (size_t i = 0; i < rm.n; i++)
		push((size_t)rr, rm.v[i]->id, rm.v[i]);
	free(rm.v);
	/* -n, --no-support: what they hide is not looked up */
	for (size_t i = 0; i < S.n; i++)
		if (S.e[i].c && !de_opts_keep(o, S.e[i].c)) {
			de_container_free(S.e[i].c);
			S.e[i].c = NULL;
			S.e[i].hidden = true;
		}
	S.o = o;
	S.usable = true;
	/* A root not read may hold the container asked for, or another one of
	 * the same name: the answer may be wrong, and says so. */
	if (failed)
		de_warn("%zu of the %zu data roots found could not be read (see above): the "
		        "container asked for is looked up in the others only", failed, S.roots.n);
	return 0;
}

/* Loads the configs of a Docker root's containers, for their names. */
static void lk_names(size_t r)
{
	lk_root *lr = &S.r[r];
	if (lr->named || !lr->open)
		return;
	lr->named = true;
	size_t bad = 0;
	/* read on every core, as records (the one handed out is made whole
	 * from the bytes read here: every config is read once a run) */
	strvec ids = {0};
	for (size_t i = lr->first; i < lr->first + lr->n; i++)
		sv_push(&ids, S.e[i].id);
	de_container **got = xcalloc(ids.n + 1, sizeof *got);
	char **why = xcalloc(ids.n + 1, sizeof *why);
	de_docker_load_many(&lr->d, &ids, DE_LOAD_RECORD_KEEP, got, why);
	for (size_t k = 0; k < ids.n; k++) {
		size_t i = lr->first + k;
		if (!got[k]) {
			de_debug("look-up: %s", why[k]);
			free(why[k]);
			bad++;
			continue;
		}
		S.e[i].name = bare_name(got[k]->name);
		S.e[i].c = got[k];
	}
	free(got);
	free(why);
	sv_free(&ids);
	if (bad)
		de_debug("look-up: %zu containers of %s could not be read; not matched by name", bad,
		         lr->d.root.path);
}

/* ---- the selector: [RUNTIME[@ROOT]:]REF ---------------------------------- */

typedef struct lk_sel {
	char *runtime, *root;  /* NULL: any */
	const char *key;
} lk_sel;

static const char *root_label(size_t r)
{
	return S.roots.v[r].rel ? S.roots.v[r].rel : S.roots.v[r].path;
}

static bool same_path(const char *a, const char *b)
{
	while (*a == '/' && *b == '/')
		a++, b++;
	size_t la = strlen(a), lb = strlen(b);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && !strncmp(a, b, la);
}

static bool root_matches(const lk_sel *s, size_t r)
{
	if (!s->root)
		return true;
	const de_rootref *rr = &S.roots.v[r];
	return same_path(s->root, rr->path) ||
	       (rr->rel && (same_path(s->root, rr->rel) ||
	                    (s->root[0] == '/' && same_path(s->root + 1, rr->rel))));
}

/* Whether root r can hold containers of the selector's runtime. */
static bool root_kind_matches(const lk_sel *s, size_t r)
{
	if (!s->runtime)
		return true;
	de_root_kind k = S.roots.v[r].kind;
	if (!strcmp(s->runtime, "docker"))
		return k == DE_ROOT_DOCKER;
	if (!strcmp(s->runtime, "containerd"))
		return k == DE_ROOT_CONTAINERD;
	if (!strcmp(s->runtime, "k8s"))
		return k == DE_ROOT_CONTAINERD || k == DE_ROOT_STORAGE;
	return k == DE_ROOT_STORAGE;
}

static bool selected(const lk_sel *s, const lk_ent *e)
{
	if (e->hidden || !S.r[e->root].open || !root_matches(s, e->root) ||
	    !root_kind_matches(s, e->root))
		return false;
	if (s->runtime && !strcmp(s->runtime, "k8s"))
		return e->pod;
	return !s->runtime || !strcmp(s->runtime, e->runtime);
}

static int parse_sel(const char *ref, lk_sel *s)
{
	memset(s, 0, sizeof *s);
	const char *colon = strrchr(ref, ':');
	s->key = colon ? colon + 1 : ref;
	if (!colon)
		return 0;
	/* Names and IDs never hold ':' (Docker, Podman and containerd refuse
	 * them), so the last one ends the selector. */
	const char *at = memchr(ref, '@', (size_t)(colon - ref));
	s->runtime = xstrndup(ref, (size_t)((at ? at : colon) - ref));
	if (at)
		s->root = xstrndup(at + 1, (size_t)(colon - at - 1));
	bool known = false;
	for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++)
		known |= !strcmp(s->runtime, runtimes[i]);
	if (!known) {
		de_error("\"%s\": unknown runtime \"%s\" (CONTAINER is [RUNTIME:]REF, RUNTIME one of "
		         "docker, podman, cri-o, containerd, containers-storage, k8s)", ref, s->runtime);
		return -1;
	}
	bool any = false;
	for (size_t r = 0; r < S.roots.n; r++)
		any |= root_matches(s, r) && root_kind_matches(s, r);
	if (!any) {
		dbuf b = {0};
		for (size_t r = 0; r < S.roots.n; r++)
			db_addf(&b, "%s%s", r ? ", " : "", root_label(r));
		if (s->root)
			de_error("\"%s\": no %s data root \"%s\" in this run (its data roots: %s)", ref,
			         s->runtime, s->root, b.p ? b.p : "none");
		else
			de_error("\"%s\": no %s data root in this run (its data roots: %s%s)", ref,
			         s->runtime, b.p ? b.p : "none",
			         S.roots.n == 1 && S.roots.v[0].rel == NULL
			             ? "; -r reads one Docker data root, --root HOST every runtime's" : "");
		db_free(&b);
		return -1;
	}
	return 0;
}

static void sel_free(lk_sel *s)
{
	free(s->runtime);
	free(s->root);
}

/* ---- matching ------------------------------------------------------------ */

typedef struct lk_set {
	size_t *v, n;
} lk_set;

static void set_add(lk_set *m, size_t i)
{
	m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
	m->v[m->n++] = i;
}

static bool is_containerd(const lk_ent *e)
{
	return S.roots.v[e->root].kind == DE_ROOT_CONTAINERD;
}

/* Round 1: an ID the engine generated, in full. */
static void match_id(const lk_sel *s, lk_set *m)
{
	for (size_t i = 0; i < S.n; i++)
		if (selected(s, &S.e[i]) && !is_containerd(&S.e[i]) && !strcmp(S.e[i].id, s->key))
			set_add(m, i);
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* A pod's container as NAMESPACE/POD/CONTAINER/N or POD/CONTAINER (its
 * name, NAMESPACE/POD/CONTAINER, is matched as a name). */
static bool pod_ref(const lk_ent *e, const char *key)
{
	if (!e->pod || !e->pctr || !e->pname || !e->pns)
		return false;
	char *full = xasprintf("%s/%s/%s/%ld", e->pns, e->pname, e->pctr, e->attempt);
	char *short_ = xasprintf("%s/%s", e->pname, e->pctr);
	bool r = (e->attempt >= 0 && !strcmp(full, key)) || !strcmp(short_, key);
	free(full);
	free(short_);
	return r;
}

/* Matches that are all attempts of one pod's container: the newest. */
static void newest_attempt(lk_set *m)
{
	if (m->n < 2)
		return;
	const lk_ent *f = &S.e[m->v[0]];
	size_t best = m->v[0];
	bool tie = false;
	for (size_t k = 0; k < m->n; k++) {
		const lk_ent *e = &S.e[m->v[k]];
		if (!e->pod || !e->pctr || !same(e->puid, f->puid) || !same(e->pctr, f->pctr))
			return;
		if (k && e->attempt == S.e[best].attempt)
			tie = true;
		if (e->attempt > S.e[best].attempt) {
			best = m->v[k];
			tie = false;
		}
	}
	if (!tie) {
		m->v[0] = best;
		m->n = 1;
	}
}

/* Round 2: a name, a containerd ID or NAMESPACE/ID, a pod's container. */
static void match_name(const lk_sel *s, lk_set *m)
{
	const char *key = s->key[0] == '/' && s->key[1] ? s->key + 1 : s->key;
	for (size_t i = 0; i < S.n; i++) {
		const lk_ent *e = &S.e[i];
		if (!selected(s, e))
			continue;
		bool yes = (e->name && !strcmp(e->name, key)) || pod_ref(e, key);
		if (!yes && is_containerd(e)) {
			size_t nl = e->ns ? strlen(e->ns) : 0;
			yes = !strcmp(e->id, s->key) ||
			      (e->ns && !strncmp(s->key, e->ns, nl) && s->key[nl] == '/' &&
			       !strcmp(s->key + nl + 1, e->id));
		}
		if (yes)
			set_add(m, i);
	}
}

/* Round 3: an ID prefix. */
static void match_prefix(const lk_sel *s, lk_set *m)
{
	size_t kl = strlen(s->key);
	for (size_t i = 0; kl && i < S.n; i++)
		if (selected(s, &S.e[i]) && !strncmp(S.e[i].id, s->key, kl))
			set_add(m, i);
}

/* ---- messages -------------------------------------------------------------- */

/* How to ask for entry i alone: RUNTIME[@ROOT]:REF, REF the containerd
 * NAMESPACE/ID, else the ID (its first 12 characters unless full, or unless
 * another container of that runtime starts with them). ROOT only when
 * another candidate has the same runtime and REF. */
static char *ask_for(size_t i, const lk_set *m, bool full)
{
	const lk_ent *e = &S.e[i];
	bool twice = false;
	for (size_t k = 0; k < m->n; k++) {
		const lk_ent *o = &S.e[m->v[k]];
		twice |= m->v[k] != i && !strcmp(o->runtime, e->runtime) && !strcmp(o->id, e->id) &&
		         !strcmp(o->ns ? o->ns : "", e->ns ? e->ns : "");
	}
	char *ref;
	if (is_containerd(e)) {
		ref = xasprintf("%s/%s", e->ns ? e->ns : "", e->id);
	} else {
		/* unique among the containers the selector will keep: that
		 * runtime's, and that root's when ROOT is given */
		size_t len = full || strlen(e->id) <= 12 ? strlen(e->id) : 12;
		for (size_t k = 0; k < S.n && len < strlen(e->id); k++)
			if (k != i && !strcmp(S.e[k].runtime, e->runtime) &&
			    (!twice || S.e[k].root == e->root) && !strncmp(S.e[k].id, e->id, len))
				len = strlen(e->id);
		ref = xstrndup(e->id, len);
	}
	char *s = twice ? xasprintf("%s@/%s:%s", e->runtime, root_label(e->root), ref)
	                : xasprintf("%s:%s", e->runtime, ref);
	free(ref);
	/* IDs and names come from the evidence: escaped, one line */
	dbuf b = {0};
	de_escape(&b, s);
	free(s);
	return b.p ? db_take(&b) : xstrdup("");
}

static void too_many(const char *ref, const lk_set *m, bool prefix)
{
	bool one_root = true;
	for (size_t k = 1; k < m->n; k++)
		one_root &= S.e[m->v[k]].root == S.e[m->v[0]].root;
	dbuf list = {0}, esc = {0};
	de_escape(&esc, ref);
	for (size_t k = 0; k < m->n; k++) {
		char *a;
		if (prefix && one_root) {   /* de.py's own message: the full IDs */
			dbuf b = {0};
			de_escape(&b, S.e[m->v[k]].id);
			a = b.p ? db_take(&b) : xstrdup("");
		} else {
			a = ask_for(m->v[k], m, prefix);
		}
		db_addf(&list, "%s%s", k ? ", " : "", a);
		free(a);
	}
	if (prefix && one_root)
		de_error("Too many container IDs starting with \"%s\": %s", esc.p, list.p);
	else if (prefix)
		de_error("Too many container IDs starting with \"%s\": %s (choose one as "
		         "RUNTIME:REF, as listed)", esc.p, list.p);
	else
		de_error("\"%s\" names %zu containers: %s (choose one as RUNTIME:REF, as listed)",
		         esc.p, m->n, list.p);
	db_free(&list);
	db_free(&esc);
}

/* Optimal string alignment distance (an edit is an insertion, a deletion,
 * a substitution or a swap of neighbours), or max+1 when it exceeds max. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb, size_t max)
{
	if ((la > lb ? la - lb : lb - la) > max || la > 128 || lb > 128)
		return max + 1;
	size_t d[129][129];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

typedef struct lk_hint {
	char *what;            /* a name, NAMESPACE/ID, or ID prefix */
	size_t dist;
	strvec runtimes;
} lk_hint;

static int cmp_hint(const void *pa, const void *pb)
{
	const lk_hint *a = pa, *b = pb;
	return a->dist != b->dist ? (a->dist < b->dist ? -1 : 1) : strcmp(a->what, b->what);
}

static void hint_add(lk_hint **h, size_t *n, const char *what, size_t len, size_t dist,
                     const char *runtime)
{
	size_t k = 0;
	while (k < *n && (strlen((*h)[k].what) != len || strncmp((*h)[k].what, what, len)))
		k++;
	if (k == *n) {
		*h = xrealloc(*h, (*n + 1) * sizeof **h);
		(*h)[(*n)++] = (lk_hint){.what = xstrndup(what, len), .dist = dist};
	}
	for (size_t i = 0; i < (*h)[k].runtimes.n; i++)
		if (!strcmp((*h)[k].runtimes.v[i], runtime))
			return;
	sv_push(&(*h)[k].runtimes, runtime);
}

/* "did you mean": the names, containerd IDs and ID prefixes of the
 * selected containers within a small edit distance of the key. */
static void suggest(const lk_sel *s)
{
	const char *key = s->key[0] == '/' && s->key[1] ? s->key + 1 : s->key;
	size_t kl = strlen(key), max = kl <= 4 ? 1 : kl <= 10 ? 2 : 3;
	lk_hint *h = NULL;
	size_t n = 0;
	if (kl < 2 || kl > 128)
		return;
	for (size_t i = 0; i < S.n; i++) {
		const lk_ent *e = &S.e[i];
		if (!selected(s, e))
			continue;
		size_t d;
		if (e->name && (d = distance(key, kl, e->name, strlen(e->name), max)) <= max)
			hint_add(&h, &n, e->name, strlen(e->name), d, e->runtime);
		if (is_containerd(e)) {
			char *full = xasprintf("%s/%s", e->ns ? e->ns : "", e->id);
			if ((d = distance(s->key, strlen(s->key), full, strlen(full), max)) <= max)
				hint_add(&h, &n, full, strlen(full), d, e->runtime);
			free(full);
		} else if (strlen(e->id) >= kl && (d = distance(key, kl, e->id, kl, max)) <= max) {
			size_t show = kl > 12 ? kl : 12;
			hint_add(&h, &n, e->id, strlen(e->id) < show ? strlen(e->id) : show, d,
			         e->runtime);
		}
	}
	if (n > 1)
		qsort(h, n, sizeof *h, cmp_hint);
	dbuf b = {0};
	for (size_t k = 0; k < n; k++) {
		if (k < 5) {
			char *rts = sv_join(&h[k].runtimes, ", ");
			dbuf w = {0};
			de_escape(&w, h[k].what);
			db_addf(&b, "%s%s (%s)", k ? ", " : "", w.p ? w.p : "", rts);
			db_free(&w);
			free(rts);
		}
		free(h[k].what);
		sv_free(&h[k].runtimes);
	}
	free(h);
	if (b.p)
		de_error("did you mean: %s?", b.p);
	db_free(&b);
}

static void not_found(const char *ref, const lk_sel *s)
{
	dbuf esc = {0};
	de_escape(&esc, ref);
	de_error("Could not find any container ID starting with \"%s\"", esc.p ? esc.p : "");
	db_free(&esc);
	if (S.o && (S.o->pod_namespace || S.o->no_support)) {
		dbuf ns = {0};
		de_escape(&ns, S.o->pod_namespace ? S.o->pod_namespace : "");
		de_error("(looked up among %s%s%s%s only)",
		         S.o->pod_namespace ? "the containers of Kubernetes namespace " : "",
		         ns.p ? ns.p : "", S.o->pod_namespace && S.o->no_support ? ", " : "",
		         S.o->no_support ? "the containers --no-support keeps" : "");
		db_free(&ns);
	}
	for (size_t r = 0; r < S.roots.n; r++)
		if (root_matches(s, r) && root_kind_matches(s, r))
			lk_names(r);
	suggest(s);
}

/* ---- the container, handed to the caller ----------------------------------- */

/* Entry i's container, with its root opened anew into d (the caller
 * closes both). */
static de_container *take(const de_opts *o, size_t i, de_docker *d)
{
	lk_ent *e = &S.e[i];
	const de_rootref *rr = &S.roots.v[e->root];
	de_err err;
	if (de_open_root(o, rr, d) < 0)
		return NULL;
	de_container *c = e->c;
	e->c = NULL;
	if (c)
		de_docker_whole(c);
	if (!c && rr->kind == DE_ROOT_DOCKER) {
		c = de_docker_load(d, e->id, &err);   /* its error is the answer */
		if (!c)
			de_error("%s", err.msg);
	} else if (!c && e->removed) {   /* asked for twice: read the pod logs again */
		de_container_list l = {0};
		lk_removed(&l);
		for (size_t k = 0; k < l.n; k++) {
			if (!c && !strcmp(l.v[k]->id, e->id))
				c = l.v[k];
			else
				de_container_free(l.v[k]);
		}
		free(l.v);
		if (!c)
			de_error("%s: its pod log directory is gone", e->id);
	} else if (!c) {   /* asked for twice in one run: read its root again */
		de_container_list l = {0};
		if (de_load_root(d, rr, &l, &err) < 0)
			de_error("%s", err.msg);
		for (size_t k = 0; k < l.n; k++) {
			if (!c && !strcmp(l.v[k]->id, e->id) &&
			    !strcmp(l.v[k]->namespace ? l.v[k]->namespace : "", e->ns ? e->ns : ""))
				c = l.v[k];
			else
				de_container_free(l.v[k]);
		}
		free(l.v);
		if (!c)
			de_error("%s: container %s is gone from %s", e->id, e->id, d->root.path);
	}
	if (!c)
		de_docker_close(d);
	return c;
}

de_container *de_open_container(const de_opts *o, de_docker *d, const char *ref)
{
	lk_sel s;
	lk_set m = {0};
	de_container *c = NULL;
	memset(d, 0, sizeof *d);
	d->root.fd = -1;
	if (lk_init(o) < 0)
		return NULL;
	if (parse_sel(ref, &s) < 0) {
		sel_free(&s);
		return NULL;
	}
	int round = 1;
	match_id(&s, &m);
	if (!m.n) {
		round = 2;
		for (size_t r = 0; r < S.roots.n; r++)
			if (root_matches(&s, r) && root_kind_matches(&s, r))
				lk_names(r);
		match_name(&s, &m);
		newest_attempt(&m);
	}
	if (!m.n) {
		round = 3;
		match_prefix(&s, &m);
	}
	if (m.n == 1)
		c = take(o, m.v[0], d);
	else if (m.n > 1)
		too_many(ref, &m, round == 3);
	else
		not_found(ref, &s);
	free(m.v);
	sel_free(&s);
	return c;
}

de_container *de_open_previous(const de_opts *o, de_docker *d, const de_container *c)
{
	memset(d, 0, sizeof *d);
	d->root.fd = -1;
	const de_pod_info *p = c->pod;
	if (!p || !p->container || p->attempt < 0) {
		dbuf b = {0};
		de_escape(&b, c->name ? c->name : c->id);
		de_error("%s: --previous is the attempt before a Kubernetes pod's container's (kubectl "
		         "logs -p); this is not one", b.p ? b.p : "");
		db_free(&b);
		return NULL;
	}
	if (lk_init(o) < 0)
		return NULL;
	size_t best = S.n;
	for (size_t i = 0; i < S.n; i++) {
		const lk_ent *e = &S.e[i];
		if (!e->hidden && e->pod && same(e->puid, p->uid) && same(e->pctr, p->container) &&
		    e->attempt >= 0 && e->attempt < p->attempt &&
		    (best == S.n || e->attempt > S.e[best].attempt))
			best = i;
	}
	if (best == S.n) {
		dbuf a = {0}, b = {0};
		de_escape(&a, p->container);
		de_escape(&b, p->name ? p->name : "");
		de_error("previous terminated container \"%s\" in pod \"%s\" not found (attempt %ld "
		         "is the oldest this node keeps a trace of)", a.p ? a.p : "", b.p ? b.p : "",
		         p->attempt);
		db_free(&a);
		db_free(&b);
		return NULL;
	}
	return take(o, best, d);
}

/* ---- for the look-up of images (imglookup.c) --------------------------------
 * `history` takes a container or an image: it matches both kinds round by
 * round, so it needs this look-up's roots and its container matches of one
 * round, quietly. */

const de_roots *de_lookup_roots(const de_opts *o)
{
	return lk_init(o) < 0 ? NULL : &S.roots;
}

de_docker *de_lookup_root(size_t r)
{
	return r < S.roots.n && S.r[r].open ? &S.r[r].d : NULL;
}

const char *de_lookup_root_label(size_t r)
{
	return root_label(r);
}

bool de_lookup_root_selected(size_t r, const char *runtime, const char *root)
{
	lk_sel s = {.runtime = (char *)runtime, .root = (char *)root};
	return r < S.roots.n && S.r[r].open && root_matches(&s, r) && root_kind_matches(&s, r);
}

/* parse_sel without its messages: -1 when ref is no container reference. */
static int parse_sel_quiet(const char *ref, lk_sel *s)
{
	memset(s, 0, sizeof *s);
	const char *colon = strrchr(ref, ':');
	s->key = colon ? colon + 1 : ref;
	if (!colon)
		return 0;
	const char *at = memchr(ref, '@', (size_t)(colon - ref));
	s->runtime = xstrndup(ref, (size_t)((at ? at : colon) - ref));
	if (at)
		s->root = xstrndup(at + 1, (size_t)(colon - at - 1));
	bool known = false;
	for (size_t i = 0; i < sizeof runtimes / sizeof *runtimes; i++)
		known |= !strcmp(s->runtime, runtimes[i]);
	return known ? 0 : -1;
}

size_t de_container_matches(const de_opts *o, const char *ref, int round, strvec *asks)
{
	lk_sel s;
	lk_set m = {0};
	if (lk_init(o) < 0)
		return 0;
	if (parse_sel_quiet(ref, &s) == 0) {
		if (round == 1) {
			match_id(&s, &m);
		} else if (round == 2) {
			for (size_t r = 0; r < S.roots.n; r++)
				if (root_matches(&s, r) && root_kind_matches(&s, r))
					lk_names(r);
			match_name(&s, &m);
			newest_attempt(&m);
		} else {
			match_prefix(&s, &m);
		}
	}
	for (size_t k = 0; asks && k < m.n; k++)
		sv_push_own(asks, ask_for(m.v[k], &m, round == 3));
	size_t n = m.n;
	free(m.v);
	sel_free(&s);
	return n;
}

size_t de_lookup_distance(const char *a, const char *b, size_t max)
{
	return distance(a, strlen(a), b, strlen(b), max);
}
