#include "jget.h"

#include "strvec.h"

const char *jget_str(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *jget_obj(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_object(v) ? v : NULL;
}

json_t *jget_arr(const json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_array(v) ? v : NULL;
}

bool jget_bool(const json_t *o, const char *key, bool dflt)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

int64_t jget_int(const json_t *o, const char *key, int64_t dflt)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

json_t *jget_nonempty_obj(const json_t *o, const char *key)
{
	json_t *v = jget_obj(o, key);
	return v && json_object_size(v) ? v : NULL;
}

char *jget_join_strings(const json_t *arr)
{
	if (!json_is_array(arr) || !json_array_size(arr))
		return NULL;
	dbuf b = {0};
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (i)
			db_adds(&b, " ");
		if (json_is_string(v))
			db_adds(&b, json_string_value(v));
	}
	return db_take(&b);
}
