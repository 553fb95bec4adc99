/*
 * download.c — `de download all|dockerfile|layers IMAGE [-o DIR] …`: an
 * image from a registry (registry/registry.h), as de.py's `download` did,
 * into DIR (default: reference.h's reg_ref_outdir(), under the working
 * directory: de.py's <repository>/<image>/<tag>).
 *
 *   layers      each layer as <hex digest>.tgz (de.py's name, whatever its
 *               compression: manifest.json's mediaType tells), streamed to a
 *               hidden temporary file, verified, then renamed into place;
 *   dockerfile  the pseudo-Dockerfile of the config's history, DIR/Dockerfile
 *               (de.py's file), or stdout with -o -;
 *   all         both, and the manifest as served (manifest.json), the config
 *               (config.json), and for a multi-platform image the index
 *               (index.json): each file's bytes hash to its digest.
 *
 * An existing file is never overwritten: an existing layer file whose bytes
 * hash to its digest is kept (a second run finishes an interrupted one);
 * anything else existing is an error before anything is fetched or written.
 */
#include "builtin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "../output/dockerfile.h"
#include "../registry/registry.h"
#include "../util/hashfile.h"

enum { WANT_LAYERS = 1, WANT_DOCKERFILE = 2, WANT_ALL = 7 };

typedef struct dl {
	const char *image;
	reg_ref ref;
	char *refstr;
	int want;
	const char *platform;
	bool platform_given;      /* --platform: a single-platform image must be it */
	const char *out;          /* -o, or NULL */
	char *dir;                /* where the files go */
	int dirfd;
	reg_client rc;
	dbuf index, manifest, config;
	char *index_digest, *manifest_digest;
	reg_manifest m;
	bool tty;
} dl;

/* --- credentials --- */

static char *read_password(const char *user)
{
	char line[4096];
	/* stdin piped (docker login --password-stdin's way): its first line;
	 * else a prompt on the terminal, without echo */
	FILE *in = isatty(STDIN_FILENO) ? fopen("/dev/tty", "r+e") : NULL;
	bool tty = in != NULL;
	struct termios old, quiet;
	if (tty) {
		fprintf(in, "Password for %s: ", user);
		fflush(in);
		tcgetattr(fileno(in), &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(in), TCSAFLUSH, &quiet);
	}
	char *got = fgets(line, sizeof line, tty ? in : stdin);
	if (tty) {
		tcsetattr(fileno(in), TCSAFLUSH, &old);
		fputc('\n', in);
		fclose(in);
	}
	if (!got)
		return NULL;
	line[strcspn(line, "\r\n")] = 0;
	char *p = xstrdup(line);
	explicit_bzero(line, sizeof line);
	return p;
}

static int credentials(const dl *d, const char *user_arg, reg_cred *cred)
{
	if (user_arg) {
		reg_cred_from_arg(user_arg, cred);
		if (!cred->pass && !(cred->pass = read_password(cred->user))) {
			de_error("--user %s: no password given (none after ':', and none could be read)",
			         cred->user);
			return -1;
		}
		return 0;
	}
	char *path = reg_docker_config_path(), *why = NULL;
	if (!path)
		return 0;
	de_err e;
	int rc = reg_cred_from_config(path, d->ref.domain, cred, &why, &e);
	if (rc < 0)
		de_error("%s", e.msg);
	else if (why)
		de_note("%s", why);
	else if (rc == 1)
		de_debug("credentials of %s for %s from %s", cred->user, d->ref.domain, path);
	free(why);
	free(path);
	return rc < 0 ? -1 : 0;
}

/* --- the output directory and its files --- */

static int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = 0;
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				de_error("%s: %s", p, strerror(errno));
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}

static bool exists(const dl *d, const char *name)
{
	struct stat st;
	return fstatat(d->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int write_new(const dl *d, const char *name, const void *p, size_t n)
{
	int fd = openat(d->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		de_error("%s/%s: %s%s", d->dir, name, strerror(errno),
		         errno == EEXIST ? " (de does not overwrite files)" : "");
		return -1;
	}
	const char *q = p;
	while (n) {
		ssize_t w = write(fd, q, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			de_error("%s/%s: %s", d->dir, name, strerror(errno));
			close(fd);
			unlinkat(d->dirfd, name, 0);
			return -1;
		}
		q += w, n -= (size_t)w;
	}
	if (close(fd) < 0) {
		de_error("%s/%s: %s", d->dir, name, strerror(errno));
		return -1;
	}
	de_note("wrote %s/%s", d->dir, name);
	return 0;
}

/* The files this run would create, none of which may exist yet. */
static int check_free(const dl *d)
{
	const char *names[4];
	size_t n = 0;
	if ((d->want & WANT_DOCKERFILE) && !(d->out && !strcmp(d->out, "-")))
		names[n++] = "Dockerfile";
	if (d->want == WANT_ALL) {
		names[n++] = "manifest.json";
		names[n++] = "config.json";
		if (d->index.len)
			names[n++] = "index.json";
	}
	for (size_t i = 0; i < n; i++) {
		if (exists(d, names[i])) {
			de_error("%s/%s already exists; de does not overwrite files (give another -o DIR)",
			         d->dir, names[i]);
			return -1;
		}
	}
	return 0;
}

/* --- layers --- */

typedef struct progress {
	const char *name;
	struct timespec last;
} progress;

/* n in the unit that suits total: bytes, KiB or MiB. */
static void human(char *buf, size_t len, uint64_t n, int64_t total)
{
	if (total >= 10 << 20)
		snprintf(buf, len, "%.1f", n / 1048576.0);
	else if (total >= 10 << 10)
		snprintf(buf, len, "%.1f", n / 1024.0);
	else
		snprintf(buf, len, "%llu", (unsigned long long)n);
}

static void show_progress(void *arg, uint64_t done, int64_t total)
{
	progress *p = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000;
	if (ms < 200 && (int64_t)done != total)
		return;
	p->last = now;
	char a[32], b[32];
	human(a, sizeof a, done, total);
	human(b, sizeof b, (uint64_t)total, total);
	fprintf(stderr, "\r%.12s…  %s of %s %s", p->name, a, b,
	        total >= 10 << 20 ? "MiB" : total >= 10 << 10 ? "KiB" : "bytes");
	fflush(stderr);
}

/* An existing layer file is kept when its bytes are the layer's. */
static int existing_layer(const dl *d, const reg_desc *l, const char *name)
{
	int fd = openat(d->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char sha[65];
	de_err e;
	int same = fd >= 0 && !strncmp(l->digest, "sha256:", 7) &&
	           de_hash_fd(fd, sha, NULL, &e) == 0 && !strcmp(sha, l->digest + 7);
	if (fd >= 0)
		close(fd);
	if (!same) {
		de_error("%s/%s already exists and is not layer %s; de does not overwrite files",
		         d->dir, name, l->digest);
		return -1;
	}
	de_note("kept %s/%s: already there, its bytes hash to its digest", d->dir, name);
	return 0;
}

static int place(const dl *d, const char *tmp, const char *name)
{
	if (renameat2(d->dirfd, tmp, d->dirfd, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* a file system without RENAME_NOREPLACE: link() fails on EEXIST too */
	if (linkat(d->dirfd, tmp, d->dirfd, name, 0) < 0)
		return -1;
	unlinkat(d->dirfd, tmp, 0);
	return 0;
}

static int fetch_layer(dl *d, const reg_desc *l)
{
	const char *hex = strchr(l->digest, ':') + 1;
	char *name = xasprintf("%s.tgz", hex);
	char *tmp = xasprintf(".%s.tgz.part-%ld", hex, (long)getpid());
	int rc = -1;
	if (exists(d, name)) {
		rc = existing_layer(d, l, name);
		goto out;
	}
	int fd = openat(d->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		de_error("%s/%s: %s", d->dir, tmp, strerror(errno));
		goto out;
	}
	progress p = {.name = hex};
	de_err e;
	int got = reg_fetch_blob_fd(&d->rc, l, fd, d->tty ? show_progress : NULL, &p, &e);
	if (d->tty)
		fputs("\r\033[K", stderr);   /* the line below replaces the progress */
	if (got == 0 && fsync(fd) < 0) {
		de_fail_errno(&e, errno, "%s/%s", d->dir, tmp);
		got = -1;
	}
	if (close(fd) < 0 && got == 0) {
		de_fail_errno(&e, errno, "%s/%s", d->dir, tmp);
		got = -1;
	}
	if (got == 0 && place(d, tmp, name) < 0) {
		de_fail_errno(&e, errno, "%s/%s", d->dir, name);
		got = -1;
	}
	if (got < 0) {
		unlinkat(d->dirfd, tmp, 0);
		de_error("%s: layer %s: %s; nothing kept of it", d->refstr, l->digest, e.msg);
		goto out;
	}
	de_note("wrote %s/%s (%lld bytes, digest verified)", d->dir, name, (long long)l->size);
	rc = 0;
out:
	free(name);
	free(tmp);
	return rc;
}

/* --- the pseudo-Dockerfile --- */

static int64_t no_size(void *arg, size_t k, const char *diff_id)
{
	(void)arg, (void)k, (void)diff_id;
	return -1;
}

static int write_dockerfile(dl *d)
{
	json_error_t je;
	json_t *cfg = json_loadb(d->config.p, d->config.len, 0, &je);
	if (!json_is_object(cfg)) {
		json_decref(cfg);
		de_error("%s: the image config %s is not a JSON object", d->refstr,
		         d->m.config.digest);
		return -1;
	}
	de_history h = {.v = xcalloc(1, sizeof *h.v), .n = 1};
	char *what = xasprintf("%s/%s@%s", d->ref.domain, d->ref.path, d->manifest_digest);
	de_history_steps(&h.v[0], cfg, what, no_size, NULL);
	dbuf out = {0};
	de_dockerfile(&out, &h.v[0], what);
	int rc = 0;
	if (d->out && !strcmp(d->out, "-")) {
		if (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
			de_error("stdout: %s", strerror(errno));
			rc = -1;
		}
	} else {
		rc = write_new(d, "Dockerfile", out.p, out.len);
	}
	db_free(&out);
	free(what);
	de_history_free(&h);
	json_decref(cfg);
	return rc;
}

/* --- the manifest --- */

static int fetch_image_manifest(dl *d)
{
	de_err e;
	char *ct = NULL;
	const char *target = reg_ref_target(&d->ref);
	if (reg_fetch_manifest(&d->rc, target, &d->manifest, &ct, &e) < 0) {
		dbuf why = {0};
		if (d->rc.last_status == 404 && !d->ref.digest)
			reg_explain_unknown(&d->rc, &why);
		de_error("%s: %s%s", d->refstr, e.msg, why.p ? why.p : "");
		db_free(&why);
		return -1;
	}
	d->manifest_digest = d->ref.digest ? xstrdup(d->ref.digest)
	                                   : reg_digest_of("sha256:", d->manifest.p, d->manifest.len);
	int rc = reg_manifest_parse(d->manifest.p, d->manifest.len, ct, &d->m, &e);
	free(ct);
	ct = NULL;
	if (rc == 0 && d->m.is_index) {
		size_t i;
		if (reg_pick_platform(&d->m, d->platform, &i, &e) < 0) {
			de_error("%s: %s", d->refstr, e.msg);
			return -1;
		}
		d->index = d->manifest;
		d->index_digest = d->manifest_digest;
		d->manifest = (dbuf){0};
		d->manifest_digest = xstrdup(d->m.v[i].digest);
		de_debug("%s: %s is %s", d->refstr, d->platform, d->manifest_digest);
		reg_manifest_free(&d->m);
		if (reg_fetch_manifest(&d->rc, d->manifest_digest, &d->manifest, &ct, &e) < 0) {
			de_error("%s: %s: %s", d->refstr, d->platform, e.msg);
			return -1;
		}
		rc = reg_manifest_parse(d->manifest.p, d->manifest.len, ct, &d->m, &e);
		free(ct);
		if (rc == 0 && d->m.is_index)
			rc = de_fail(&e, "an index inside an index, which images do not have");
	}
	if (rc < 0)
		de_error("%s: manifest %s: %s", d->refstr, d->manifest_digest, e.msg);
	return rc;
}

/* A single-platform image asked for with --platform: its config's os,
 * architecture (and variant, when both say one) must be the platform's,
 * or the analyst would get another platform's files without knowing. */
static bool platform_matches(const dl *d)
{
	json_error_t je;
	json_t *cfg = json_loadb(d->config.p, d->config.len, 0, &je);
	char *os, *arch, *variant;
	reg_platform_parse(d->platform, &os, &arch, &variant);
	const char *cos = json_string_value(json_object_get(cfg, "os"));
	const char *carch = json_string_value(json_object_get(cfg, "architecture"));
	const char *cvar = json_string_value(json_object_get(cfg, "variant"));
	bool same = cos && carch && !strcmp(cos, os) && !strcmp(carch, arch) &&
	            (!variant || !cvar || !strcmp(variant, cvar));
	if (!same)
		de_error("%s: not a multi-platform image, and its config says %s/%s%s%s, not %s",
		         d->refstr, cos ? cos : "(no os)", carch ? carch : "(no architecture)",
		         cvar ? "/" : "", cvar ? cvar : "", d->platform);
	free(os), free(arch), free(variant);
	json_decref(cfg);
	return same;
}

/* --- the command --- */

static int run(dl *d)
{
	if (fetch_image_manifest(d) < 0)
		return DE_EXIT_ERROR;
	de_err e;
	bool check_platform = d->platform_given && !d->index.len;
	if (((d->want & WANT_DOCKERFILE) || check_platform) &&
	    reg_fetch_blob(&d->rc, &d->m.config, REG_CONFIG_MAX, &d->config, &e) < 0) {
		de_error("%s: config %s: %s", d->refstr, d->m.config.digest, e.msg);
		return DE_EXIT_ERROR;
	}
	if (check_platform && !platform_matches(d))
		return DE_EXIT_ERROR;
	if (d->want == WANT_DOCKERFILE && d->out && !strcmp(d->out, "-"))
		return write_dockerfile(d) < 0 ? DE_EXIT_ERROR : DE_EXIT_OK;
	if (mkdir_p(d->dir) < 0)
		return DE_EXIT_ERROR;
	d->dirfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dirfd < 0) {
		de_error("%s: %s", d->dir, strerror(errno));
		return DE_EXIT_ERROR;
	}
	if (check_free(d) < 0)
		return DE_EXIT_ERROR;
	if (d->want == WANT_ALL) {
		if ((d->index.len && write_new(d, "index.json", d->index.p, d->index.len) < 0) ||
		    write_new(d, "manifest.json", d->manifest.p, d->manifest.len) < 0 ||
		    write_new(d, "config.json", d->config.p, d->config.len) < 0)
			return DE_EXIT_ERROR;
	}
	if ((d->want & WANT_DOCKERFILE) && write_dockerfile(d) < 0)
		return DE_EXIT_ERROR;
	if (!(d->want & WANT_LAYERS))
		return DE_EXIT_OK;
	for (size_t i = 0; i < d->m.n; i++) {
		const reg_desc *l = &d->m.v[i];
		if (l->foreign) {
			de_warn("%s: layer %s (%s) is not distributed by registries; not downloaded",
			        d->refstr, l->digest, l->media_type);
			continue;
		}
		if (fetch_layer(d, l) < 0)
			return DE_EXIT_ERROR;
	}
	return DE_EXIT_OK;
}

static void dl_free(dl *d)
{
	reg_close(&d->rc);
	reg_manifest_free(&d->m);
	db_free(&d->index);
	db_free(&d->manifest);
	db_free(&d->config);
	free(d->index_digest);
	free(d->manifest_digest);
	free(d->refstr);
	free(d->dir);
	if (d->dirfd >= 0)
		close(d->dirfd);
	reg_ref_free(&d->ref);
}

int cmd_download(const de_args *a, const de_opts *o)
{
	(void)o;
	/* WHAT and --platform were checked by the table */
	const char *kind = a->pos[0];
	dl d = {.platform = "linux/amd64", .dirfd = -1, .out = de_str(a, DE_K_OUTPUT),
	        .platform_given = de_flag(a, DE_K_PLATFORM)};
	if (d.platform_given)
		d.platform = de_str(a, DE_K_PLATFORM);
	d.want = !strcmp(kind, "all") ? WANT_ALL : !strcmp(kind, "layers") ? WANT_LAYERS
	       : WANT_DOCKERFILE;
	const char *user = de_str(a, DE_K_USER), *ca = de_str(a, DE_K_CA_CERT);
	const strvec *insecure = &a->v[DE_K_INSECURE].list;
	if (d.out && !strcmp(d.out, "-") && d.want != WANT_DOCKERFILE)
		return de_usage_error(a, "-o: \"-\" (stdout) is for dockerfile only");
	d.image = a->pos[1];
	de_err e;
	if (reg_ref_parse(d.image, &d.ref, &e) < 0) {
		de_error("%s", e.msg);
		return DE_EXIT_USAGE;
	}
	d.refstr = reg_ref_string(&d.ref);
	d.dir = d.out ? xstrdup(d.out) : reg_ref_outdir(&d.ref);
	d.tty = isatty(STDERR_FILENO);
	reg_cred cred = {0};
	int rc = DE_EXIT_ERROR;
	if (credentials(&d, user, &cred) == 0) {
		reg_conf conf = {.insecure = insecure, .ca_file = ca, .cred = &cred};
		if (reg_open(&d.rc, &d.ref, &conf, &e) < 0)
			de_error("%s: %s", d.refstr, e.msg);
		else
			rc = run(&d);
	}
	reg_cred_free(&cred);
	dl_free(&d);
	return rc;
}
