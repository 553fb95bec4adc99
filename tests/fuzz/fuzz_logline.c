/* Fuzz target: the log readers (logs/jsonfile.c, logs/local.c, logs/logs.c,
 * logs/stream.c). The first byte chooses what the rest is:
 *   below 0x80  one record, by the byte modulo 3: 0 a local-driver
 *               LogEntry, 1 a json-file line, 2 a k8s-file line (Podman,
 *               CRI-O)
 *   0x80 and up a whole log file (plain or gzip, told by its content), by
 *               the byte's low two bits: 0 local (length-framed protobuf),
 *               1 or 3 json-file, 2 k8s-file; read as `de logs` reads it,
 *               partial records joined into messages. */
#include <stdint.h>
#include <stdlib.h>

#include "logs/logs.h"
#include "logs/parse.h"

#include "fuzz_fs.h"

static int on_msg(void *arg, const de_log_msg *m)
{
	size_t *total = arg;
	if (m->len && !m->data)
		abort();
	*total += m->len;
	return 0;
}

static void record(uint8_t kind, const uint8_t *p, size_t n)
{
	log_rec r = {0};
	const char *why;
	if (kind % 3 == 1)
		parse_jsonfile_line((const char *)p, n, &r, &why);
	else if (kind % 3 == 2)
		parse_k8s_line((const char *)p, n, &r, &why);
	else
		parse_local_entry(p, n, &r, &why);
	db_free(&r.data);
}

static void file(uint8_t kind, const uint8_t *p, size_t n)
{
	static const de_log_format fmts[4] = {DE_LOG_LOCAL, DE_LOG_JSONFILE, DE_LOG_K8SFILE,
	                                      DE_LOG_JSONFILE};
	char *root = fz_mkroot();
	fz_write(root, "log", p, n);
	ev_root r;
	de_err e;
	if (ev_root_open(&r, root, &e) == 0) {
		size_t total = 0;
		de_log_joiner *j = de_log_joiner_new(on_msg, &total);
		de_log_read_file(&r, "log", fmts[kind & 3], j, &e);
		de_log_joiner_finish(j);
		de_log_joiner_free(j);
		ev_root_close(&r);
	}
	fz_rmroot(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] < 0x80)
		record(data[0], data + 1, size - 1);
	else
		file(data[0], data + 1, size - 1);
	de_omissions_reset();
	return 0;
}
