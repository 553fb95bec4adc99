#include "json_out.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/diag.h"
#include "../util/strvec.h"
#include "../util/timefmt.h"
#include "../util/utf8.h"

int de_json_print(FILE *f, const json_t *j)
{
	size_t flags = JSON_INDENT(4) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII;
	if (json_dumpf(j, f, flags) < 0 || fputc('\n', f) == EOF)
		return -1;
	return 0;
}

json_t *de_json_str(const char *s)
{
	if (!s)
		return json_null();
	size_t len = strlen(s);
	json_t *j = json_stringn(s, len);
	if (j)
		return j;
	dbuf b = {0};
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = de_utf8_len(p + i, len - i);
		if (n) {
			db_add(&b, p + i, n);
			i += n;
		} else {
			db_addf(&b, "\\x%02x", p[i]);
			i++;
		}
	}
	char *t = db_take(&b);
	j = json_string(t);
	free(t);
	return j ? j : json_string("");
}

json_t *de_json_time(const char *rfc3339, const char *what)
{
	de_time t;
	char buf[64];
	if (!rfc3339)
		return json_null();
	if (de_time_parse(rfc3339, &t) < 0) {
		de_warn("%s: time \"%s\" is not RFC 3339; printed as written", what, rfc3339);
		return de_json_str(rfc3339);
	}
	de_time_iso(&t, buf, sizeof buf);
	return json_string(buf);
}

json_t *de_json_errors(void)
{
	json_t *a = json_array();
	size_t kept = de_omission_kept(), count = de_omission_count();
	for (size_t i = 0; i < kept; i++)
		json_array_append_new(a, de_json_str(de_omission_msg(i)));
	if (count > kept) {
		char *more = xasprintf("%zu more items could not be read (see stderr)", count - kept);
		json_array_append_new(a, json_string(more));
		free(more);
	}
	return a;
}
