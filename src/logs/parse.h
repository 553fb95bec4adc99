/*
 * parse.h — decoding one record of each log format. Internal to logs/.
 */
#ifndef DE_LOGS_PARSE_H
#define DE_LOGS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strvec.h"

typedef struct log_rec {
	int64_t sec;
	int32_t nsec;
	char stream[16];
	dbuf data;            /* the record's bytes (reused between records) */
	bool partial;         /* more of this message follows */
	bool newline;         /* the joined message ends with a newline */
} log_rec;

/* json-file: one line, {"log":"…","stream":"…","time":"…"[,"attrs":{…}]}.
 * A log not ending in "\n" is a partial record. 0, or -1 when corrupt
 * (why in *why). */
int parse_jsonfile_line(const char *line, size_t len, log_rec *r, const char **why);
/* k8s-file (Podman, CRI-O, the kubelet): "TIME STREAM P|F MESSAGE", P a
 * partial line continued by the next one. */
int parse_k8s_line(const char *line, size_t len, log_rec *r, const char **why);
/* local: one protobuf LogEntry (the bytes between the two lengths). */
int parse_local_entry(const unsigned char *p, size_t len, log_rec *r, const char **why);

#endif
