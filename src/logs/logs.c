/*
 * logs.c — finding a container's log files, reading them record by record,
 * joining partial records. See logs.h.
 */
#include "logs.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/evh.h"
#include "parse.h"
#include "stream.h"

#define MAX_LINE   (4u << 20)   /* a json-file line: 16 KiB of text, escaped, and far more */
#define MAX_FRAME  (4u << 20)   /* a local frame */
#define MAX_ROTATIONS 100000

/* ---- the files ----------------------------------------------------------------- */

/* base, base.N and base.N.gz in dir: fills names oldest (highest N) first. */
static int rotations(const ev_root *root, const char *dir, const char *base, strvec *names,
                     de_err *e)
{
	strvec all = {0};
	if (!ev_is_dir(root, dir))
		return 0;
	if (ev_list(root, dir, &all, e) < 0) {
		sv_free(&all);
		return -1;
	}
	size_t bl = strlen(base);
	long *nums = xcalloc(all.n + 1, sizeof *nums);
	char **picked = xcalloc(all.n + 1, sizeof *picked);
	size_t k = 0;
	bool current = false;
	for (size_t i = 0; i < all.n; i++) {
		const char *n = all.v[i];
		if (!strcmp(n, base)) {
			current = true;
			continue;
		}
		if (strncmp(n, base, bl) || n[bl] != '.')
			continue;
		char *end;
		long v = strtol(n + bl + 1, &end, 10);
		if (end == n + bl + 1 || v < 1 || v > MAX_ROTATIONS || (*end && strcmp(end, ".gz")))
			continue;
		nums[k] = v;
		picked[k++] = all.v[i];
	}
	/* oldest first: the highest rotation number is the oldest file */
	for (size_t a = 0; a < k; a++)
		for (size_t b = a + 1; b < k; b++)
			if (nums[b] > nums[a]) {
				long t = nums[a]; nums[a] = nums[b]; nums[b] = t;
				char *s = picked[a]; picked[a] = picked[b]; picked[b] = s;
			}
	for (size_t i = 0; i < k; i++)
		sv_pushf(names, "%s/%s", dir, picked[i]);
	if (current)
		sv_pushf(names, "%s/%s", dir, base);
	free(nums);
	free(picked);
	sv_free(&all);
	return 0;
}

int de_log_files(const ev_root *root, const char *dir, const char *id, const char *driver,
                 strvec *names, de_log_format *fmt, de_err *e)
{
	if (!driver || !*driver || !strcmp(driver, "json-file")) {
		*fmt = DE_LOG_JSONFILE;
		char *base = xasprintf("%s-json.log", id);
		int rc = rotations(root, dir, base, names, e);
		free(base);
		return rc;
	}
	if (!strcmp(driver, "k8s-file")) {   /* Podman, CRI-O: userdata/ctr.log */
		*fmt = DE_LOG_K8SFILE;
		char *sub = xasprintf("%s/userdata", dir);
		int rc = rotations(root, sub, "ctr.log", names, e);
		free(sub);
		return rc;
	}
	*fmt = DE_LOG_LOCAL;
	if (!strcmp(driver, "local")) {
		char *sub = xasprintf("%s/local-logs", dir);
		int rc = rotations(root, sub, "container.log", names, e);
		free(sub);
		return rc;
	}
	/* Any other driver: Docker's dual logging cache, same framing as local. */
	return rotations(root, dir, "container-cached.log", names, e);
}

#define MAX_KUBELET_FILES 1000   /* rotated files taken beside one CRI log */

int de_log_files_kubelet(const ev_root *root, const char *rel, strvec *names, de_err *e)
{
	const char *slash = strrchr(rel, '/');
	char *dir = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup(".");
	const char *base = slash ? slash + 1 : rel;
	strvec all = {0};
	if (ev_is_dir(root, dir) && ev_list(root, dir, &all, e) < 0) {
		de_warn("%s; its rotated files are not read", e->msg);   /* the current one still is */
		sv_free(&all);
	} else {
		size_t bl = strlen(base), n = 0;
		for (size_t i = 0; i < all.n && n < MAX_KUBELET_FILES; i++) {
			const char *s = all.v[i], *t = s + bl + 1;
			if (strncmp(s, base, bl) || s[bl] != '.' || strlen(t) < 15 || t[8] != '-')
				continue;
			bool ok = true;
			for (int k = 0; k < 15 && ok; k++)
				ok = k == 8 || (t[k] >= '0' && t[k] <= '9');
			if (ok && (!t[15] || !strcmp(t + 15, ".gz"))) {
				sv_pushf(names, "%s/%s", dir, s);
				n++;
			}
		}
	}
	if (ev_is_file(root, rel))
		sv_push(names, rel);
	sv_free(&all);
	free(dir);
	return 0;
}

/* ---- joining partial records ------------------------------------------------ */

typedef struct pending {
	bool active;
	char stream[16];
	int64_t sec;
	int32_t nsec;
	char *file;
	uint64_t offset;
	unsigned parts;
	dbuf data;
} pending;

struct de_log_joiner {
	de_log_fn fn;
	void *arg;
	pending pend[3];    /* stdout, stderr, anything else */
	uint64_t records, corrupt;
	int stopped;
	int64_t first_sec;  /* the first record read (records > 0) */
	int32_t first_nsec;
	char *first_file;
	uint64_t first_offset;
};

de_log_joiner *de_log_joiner_new(de_log_fn fn, void *arg)
{
	de_log_joiner *j = xcalloc(1, sizeof *j);
	j->fn = fn;
	j->arg = arg;
	return j;
}

static int emit(de_log_joiner *j, pending *p)
{
	de_log_msg m = {.sec = p->sec, .nsec = p->nsec, .stream = p->stream,
	                .data = p->data.p ? p->data.p : "", .len = p->data.len, .file = p->file,
	                .offset = p->offset, .parts = p->parts};
	int rc = j->stopped ? -1 : j->fn(j->arg, &m);
	if (rc < 0)
		j->stopped = 1;
	p->active = false;
	p->data.len = 0;
	free(p->file);
	p->file = NULL;
	return rc;
}

static int feed(de_log_joiner *j, const log_rec *r, const char *file, uint64_t offset)
{
	pending *p = &j->pend[!strcmp(r->stream, "stdout") ? 0 : !strcmp(r->stream, "stderr") ? 1 : 2];
	if (!j->records++) {
		j->first_sec = r->sec;
		j->first_nsec = r->nsec;
		j->first_file = xstrdup(file);
		j->first_offset = offset;
	}
	if (!p->active && !r->partial) {   /* a whole message: no copy */
		de_log_msg m = {.sec = r->sec, .nsec = r->nsec, .stream = r->stream,
		                .data = r->data.p ? r->data.p : "", .len = r->data.len, .file = file,
		                .offset = offset, .parts = 1};
		int rc = j->stopped ? -1 : j->fn(j->arg, &m);
		if (rc < 0)
			j->stopped = 1;
		return rc;
	}
	if (p->active && p->data.len + r->data.len > DE_LOG_MAX_MSG) {
		de_warn("%s: offset %llu: a message longer than %u bytes; given in pieces", file,
		        (unsigned long long)offset, DE_LOG_MAX_MSG);
		if (emit(j, p) < 0)
			return -1;
	}
	if (!p->active) {
		p->active = true;
		snprintf(p->stream, sizeof p->stream, "%s", r->stream);
		p->sec = r->sec;
		p->nsec = r->nsec;
		p->file = xstrdup(file);
		p->offset = offset;
		p->parts = 0;
	}
	db_add(&p->data, r->data.p ? r->data.p : "", r->data.len);
	p->parts++;
	return r->partial ? 0 : emit(j, p);
}

int de_log_joiner_finish(de_log_joiner *j)
{
	int rc = j->stopped ? -1 : 0;
	for (int i = 0; i < 3; i++)
		if (j->pend[i].active && emit(j, &j->pend[i]) < 0)
			rc = -1;
	return rc;
}

void de_log_joiner_free(de_log_joiner *j)
{
	if (!j)
		return;
	for (int i = 0; i < 3; i++) {
		free(j->pend[i].file);
		db_free(&j->pend[i].data);
	}
	free(j->first_file);
	free(j);
}

uint64_t de_log_records(const de_log_joiner *j) { return j->records; }
uint64_t de_log_corrupt(const de_log_joiner *j) { return j->corrupt; }

bool de_log_first(const de_log_joiner *j, int64_t *sec, int32_t *nsec, const char **file,
                  uint64_t *offset)
{
	if (!j->records)
		return false;
	*sec = j->first_sec;
	*nsec = j->first_nsec;
	*file = j->first_file;
	*offset = j->first_offset;
	return true;
}

/* ---- reading ------------------------------------------------------------------ */

static void corrupt(de_log_joiner *j, const char *file, uint64_t off, const char *why)
{
	j->corrupt++;
	de_warn("%s: offset %llu: %s; skipped to the next record", file,
	        (unsigned long long)off, why);
}

typedef int (*line_parser)(const char *line, size_t len, log_rec *r, const char **why);

/* Line-based formats: json-file and k8s-file. */
static int read_lines(bstream *s, const char *file, de_log_joiner *j, log_rec *r,
                      line_parser parse)
{
	for (;;) {
		size_t avail = bs_avail(s);
		const char *nl = avail ? memchr(bs_ptr(s), '\n', avail) : NULL;
		if (!nl) {
			if (s->eof || s->error || avail >= MAX_LINE) {
				if (!avail)
					return 0;
				if (avail >= MAX_LINE) {
					corrupt(j, file, bs_offset(s), "a line longer than 4 MiB");
					/* drop up to the next newline */
					while (!s->eof && !s->error) {
						bs_skip(s, bs_avail(s));
						bs_ensure(s, 1, MAX_LINE);
						const char *n2 = memchr(bs_ptr(s), '\n', bs_avail(s));
						if (n2) {
							bs_skip(s, (size_t)(n2 - bs_ptr(s)) + 1);
							break;
						}
					}
					continue;
				}
				nl = bs_ptr(s) + avail;   /* a last line without its newline */
			} else {
				bs_ensure(s, avail + 1, MAX_LINE + 1);
				continue;
			}
		}
		size_t len = (size_t)(nl - bs_ptr(s));
		const char *why = "";
		uint64_t off = bs_offset(s);
		if (len && parse(bs_ptr(s), len, r, &why) == 0) {
			if (feed(j, r, file, off) < 0)
				return -1;
		} else if (len) {
			corrupt(j, file, off, why);
		}
		bs_skip(s, len < avail ? len + 1 : len);
	}
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* Frames: [uint32 BE length][LogEntry][the same length]. After a corrupt
 * frame, the next offset where a frame checks out is searched byte by byte,
 * and the skipped stretch is reported once. */
static int read_local(bstream *s, const char *file, de_log_joiner *j, log_rec *r)
{
	bool lost = false;
	uint64_t lost_at = 0;
	const char *why = "";
	for (;;) {
		if (bs_ensure(s, 4, MAX_FRAME + 8) < 4) {
			if (bs_avail(s) || lost)
				corrupt(j, file, lost ? lost_at : bs_offset(s),
				        lost ? why : "a truncated frame at the end");
			return 0;
		}
		uint32_t n = be32(bs_ptr(s));
		bool ok = n <= MAX_FRAME && bs_ensure(s, (size_t)n + 8, MAX_FRAME + 8) == (size_t)n + 8 &&
		          be32(bs_ptr(s) + 4 + n) == n;
		const char *w = "frame lengths disagree";
		if (ok && parse_local_entry((const unsigned char *)bs_ptr(s) + 4, n, r, &w) < 0)
			ok = false;
		if (!ok) {
			if (!lost) {
				lost = true;
				lost_at = bs_offset(s);
				why = n > MAX_FRAME ? "a frame length beyond 4 MiB" : w;
			}
			bs_skip(s, 1);
			continue;
		}
		if (lost) {
			char msg[128];
			snprintf(msg, sizeof msg, "%s (%llu bytes skipped)", why,
			         (unsigned long long)(bs_offset(s) - lost_at));
			corrupt(j, file, lost_at, msg);
			lost = false;
		}
		uint64_t off = bs_offset(s);
		bs_skip(s, (size_t)n + 8);
		if (feed(j, r, file, off) < 0)
			return -1;
	}
}

int de_log_read_file(const ev_root *root, const char *rel, de_log_format fmt,
                     de_log_joiner *j, de_err *e)
{
	int fd = ev_open(root, rel, 0, e);
	if (fd < 0)
		return -1;
	bstream s;
	if (bs_open(&s, fd) < 0) {
		evh_close(fd);
		return de_fail(e, "%s/%s: cannot read", root->path, rel);
	}
	char *file = xasprintf("%s/%s", root->path, rel);
	log_rec r = {0};
	int rc = fmt == DE_LOG_JSONFILE ? read_lines(&s, file, j, &r, parse_jsonfile_line)
	       : fmt == DE_LOG_K8SFILE ? read_lines(&s, file, j, &r, parse_k8s_line)
	       : read_local(&s, file, j, &r);
	if (s.error)
		de_warn("%s: offset %llu: %s; the rest of the file is not read", file,
		        (unsigned long long)bs_offset(&s), s.errmsg ? s.errmsg : "read error");
	db_free(&r.data);
	free(file);
	bs_close(&s);
	return rc;
}
