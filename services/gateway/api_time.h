/*
 * api_time.h - times in the REST API: RFC 3339 strings in KST out
 * ("2024-01-02T09:00:00+09:00"), and dates or RFC 3339 times in (query
 * parameters such as from and to).
 *
 * A date alone ("2024-01-02") means midnight KST of that day; as the end
 * of a range it means the end of that day (the next midnight), so that
 * from=2024-01-02&to=2024-01-02 is the whole day.
 *
 * Thread-safety: pure functions, safe from any thread.
 */
#ifndef STOM_GW_API_TIME_H
#define STOM_GW_API_TIME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Writes ts (UTC seconds) as RFC 3339 in KST into buf (>= 32 bytes). Returns buf. */
char *gw_api_time_format(int64_t ts, char *buf, size_t len);
/* The same as a new JSON string (owned). */
json_t *gw_api_time_json(int64_t ts);

/*
 * Parses s as "YYYY-MM-DD" or RFC 3339 ("YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)";
 * a space may stand for the 'T', and for the '+' of the offset, which a
 * query string decodes to a space) into UTC seconds. A date alone is
 * midnight KST, or the next midnight when end_of_day. Returns false when s
 * is neither. Borrows s.
 */
bool gw_api_time_parse(const char *s, bool end_of_day, int64_t *out);

#endif
