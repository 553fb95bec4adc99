#include "timeline_out.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "../util/diag.h"
#include "../util/strvec.h"
#include "../util/timefmt.h"
#include "json_out.h"
#include "text.h"

void tl_begin(tl_out *o, FILE *f, tl_format fmt)
{
	memset(o, 0, sizeof *o);
	o->f = f;
	o->fmt = fmt;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	o->began = (tl_ts){now.tv_sec, (int32_t)now.tv_nsec, true};
}

/* Escaped, and '|' too for the bodyfile's sake. */
static void esc(dbuf *b, const char *s, bool bar)
{
	/* most names need nothing escaped: copied whole (timeline --all
	 * writes a container's label on millions of lines) */
	size_t n = 0;
	if (s)
		while (s[n] >= 0x20 && s[n] < 0x7f && s[n] != '\\' && !(bar && s[n] == '|'))
			n++;
	if (s && !s[n]) {
		db_add(b, s, n);
		return;
	}
	dbuf t = {0};
	de_escape(&t, s ? s : "");
	for (size_t i = 0; i < t.len; i++) {
		if (bar && t.p[i] == '|')
			db_adds(b, "\\x7c");
		else
			db_add(b, &t.p[i], 1);
	}
	db_free(&t);
}

static void csv_field(dbuf *b, const char *s)
{
	dbuf t = {0};
	de_escape(&t, s ? s : "");
	bool quote = t.len && strpbrk(t.p, ",\"\r\n") != NULL;
	if (quote)
		db_adds(b, "\"");
	for (size_t i = 0; i < t.len; i++) {
		if (t.p[i] == '"')
			db_adds(b, "\"\"");
		else
			db_add(b, &t.p[i], 1);
	}
	if (quote)
		db_adds(b, "\"");
	db_free(&t);
}

static void iso_us(const tl_ts *t, char *buf, size_t len)
{
	de_time tm;
	de_time_from_unix(t->sec, t->nsec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", tm.year, tm.mon, tm.day,
	         tm.hour, tm.min, tm.sec, (int)(t->nsec / 1000));
}

static void put(tl_out *o, dbuf *b)
{
	if (fwrite(b->p, 1, b->len, o->f) != b->len)
		o->error = 1;
	o->records++;
}

/* One row of csv or jsonl. */
static void row(tl_out *o, const char *message, const tl_ts *t, const char *desc,
                const char *times, const tl_file *r, const tl_who *who)
{
	char dt[48], mode[8] = "";
	long long us = (long long)t->sec * 1000000 + t->nsec / 1000;
	iso_us(t, dt, sizeof dt);
	if (r)
		snprintf(mode, sizeof mode, "%04o", (unsigned)(r->st->st_mode & 07777));
	dbuf b = {0};
	if (o->fmt == TL_CSV) {
		if (!o->header_done) {
			fputs("message,datetime,timestamp_desc,timestamp,container,layer,path,times,"
			      "mode,uid,gid,size,sha256,runtime,container_id,deleted_by\n", o->f);
			o->header_done = true;
		}
		csv_field(&b, message); db_adds(&b, ",");
		db_addf(&b, "%s,", dt);
		csv_field(&b, desc); db_adds(&b, ",");
		db_addf(&b, "%lld,", us);
		csv_field(&b, who->name); db_adds(&b, ",");
		csv_field(&b, r ? r->layer : ""); db_adds(&b, ",");
		csv_field(&b, r ? r->path : ""); db_adds(&b, ",");
		db_addf(&b, "%s,%s,", times, mode);
		if (r)
			db_addf(&b, "%u,%u,%lld,", (unsigned)r->st->st_uid, (unsigned)r->st->st_gid,
			        (long long)r->st->st_size);
		else
			db_adds(&b, ",,,");
		db_adds(&b, r && r->sha256 ? r->sha256 : "");
		db_adds(&b, ",");
		csv_field(&b, who->runtime); db_adds(&b, ",");
		csv_field(&b, who->id); db_adds(&b, ",");
		csv_field(&b, r ? r->deleted_by : NULL);
		db_adds(&b, "\n");
	} else {
		json_t *j = json_object();
		json_object_set_new(j, "message", de_json_str(message));
		json_object_set_new(j, "datetime", json_string(dt));
		json_object_set_new(j, "timestamp_desc", json_string(desc));
		json_object_set_new(j, "timestamp", json_integer(us));
		json_object_set_new(j, "container", de_json_str(who->name));
		json_object_set_new(j, "runtime", de_json_str(who->runtime));
		json_object_set_new(j, "container_id", de_json_str(who->id));
		if (r) {
			json_object_set_new(j, "layer", de_json_str(r->layer));
			json_object_set_new(j, "path", de_json_str(r->path));
			json_object_set_new(j, "times", json_string(times));
			json_object_set_new(j, "mode", json_string(mode));
			json_object_set_new(j, "uid", json_integer(r->st->st_uid));
			json_object_set_new(j, "gid", json_integer(r->st->st_gid));
			json_object_set_new(j, "size", json_integer((json_int_t)r->st->st_size));
			if (r->target)
				json_object_set_new(j, "target", de_json_str(r->target));
			if (r->sha256)
				json_object_set_new(j, "sha256", json_string(r->sha256));
			if (r->deleted_by) {
				json_object_set_new(j, "deleted_by", json_string(r->deleted_by));
				json_object_set_new(j, "deleted_from", de_json_str(r->deleted_from));
			}
		}
		char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		db_adds(&b, s ? s : "{}");
		db_adds(&b, "\n");
		free(s);
		json_decref(j);
	}
	put(o, &b);
	db_free(&b);
}

void tl_prepare_tail(tl_out *o, const tl_file *r, dbuf *tail)
{
	const struct stat *st = r->st;
	char mode[11];
	(void)o;
	tail->len = 0;
	de_mode_string(st->st_mode, mode);
	db_adds(tail, ":");
	esc(tail, r->path, true);
	if (r->target) {
		db_adds(tail, " -> ");
		esc(tail, r->target, true);
	}
	if (r->deleted_by)
		db_adds(tail, " (deleted)");   /* as fls names a deleted file */
	db_addf(tail, "|%llu|%s|%u|%u|%lld|%lld|%lld|%lld|%lld\n",
	        (unsigned long long)st->st_ino, mode, (unsigned)st->st_uid, (unsigned)st->st_gid,
	        (long long)st->st_size, (long long)st->st_atim.tv_sec,
	        (long long)st->st_mtim.tv_sec, (long long)st->st_ctim.tv_sec,
	        r->birth.set ? (long long)r->birth.sec : 0LL);
	o->md5_pending = r->md5;
}

void tl_write_prepared(tl_out *o, const char *label, const dbuf *tail)
{
	dbuf *b = &o->line;
	b->len = 0;
	db_adds(b, o->md5_pending ? o->md5_pending : "0");
	db_add(b, "|", 1);
	esc(b, label, true);
	db_add(b, tail->p, tail->len);
	if (fwrite(b->p, 1, b->len, o->f) != b->len)
		o->error = 1;
	o->records++;
}

void tl_write_file(tl_out *o, const tl_file *r)
{
	const struct stat *st = r->st;
	if (o->fmt == TL_BODYFILE) {
		dbuf tail = {0};
		tl_prepare_tail(o, r, &tail);
		tl_write_prepared(o, r->who->label, &tail);
		db_free(&tail);
		return;
	}
	/* one row per distinct time, its letters together (as mactime's MACB) */
	tl_ts t[4] = {{st->st_mtim.tv_sec, (int32_t)st->st_mtim.tv_nsec, true},
	              {st->st_atim.tv_sec, (int32_t)st->st_atim.tv_nsec, true},
	              {st->st_ctim.tv_sec, (int32_t)st->st_ctim.tv_nsec, true}, r->birth};
	static const char *const names[] = {"Modification Time", "Access Time",
	                                    "Metadata Change Time", "Creation Time"};
	static const char letters[] = "MACB";
	bool done[4] = {false};
	char *message = xasprintf("%s:%s%s", r->who->label, r->path,
	                          r->deleted_by ? " (deleted)" : "");
	for (int i = 0; i < 4; i++) {
		if (!t[i].set || done[i])
			continue;
		char times[5] = "....";
		dbuf desc = {0};
		for (int k = i; k < 4; k++)
			if (t[k].set && !done[k] && t[k].sec == t[i].sec && t[k].nsec == t[i].nsec) {
				done[k] = true;
				times[k] = letters[k];
				db_addf(&desc, "%s%s", desc.len ? "; " : "", names[k]);
			}
		row(o, message, &t[i], desc.p, times, r, r->who);
		db_free(&desc);
	}
	free(message);
}

void tl_write_event(tl_out *o, const tl_who *who, const char *what, const tl_ts *t,
                    const char *desc)
{
	if (!t->set)
		return;
	char *message = xasprintf("%s: %s", who->label, what);
	if (o->fmt == TL_BODYFILE) {
		dbuf b = {0};
		db_adds(&b, "0|");
		esc(&b, message, true);
		db_addf(&b, "|0|----------|0|0|0|%lld|%lld|%lld|%lld\n", (long long)t->sec,
		        (long long)t->sec, (long long)t->sec, (long long)t->sec);
		put(o, &b);
		db_free(&b);
	} else {
		row(o, message, t, desc, "", NULL, who);
	}
	free(message);
}

void tl_write_errors(tl_out *o)
{
	/* The bodyfile has no place for them (mactime would date them): they
	 * are on stderr only. CSV and JSONL go to Timesketch, where a gap the
	 * analyst cannot see is worse than an extra event. */
	if (o->fmt == TL_BODYFILE)
		return;
	size_t kept = de_omission_kept(), count = de_omission_count();
	static const tl_who de = {"de", "de", NULL, NULL};
	for (size_t i = 0; i < kept && !o->error; i++) {
		char *what = xasprintf("could not read: %s", de_omission_msg(i));
		tl_write_event(o, &de, what, &o->began, "Not Read by de");
		free(what);
	}
	if (count > kept && !o->error) {
		char *what = xasprintf("could not read %zu more items (see de's stderr)", count - kept);
		tl_write_event(o, &de, what, &o->began, "Not Read by de");
		free(what);
	}
}
