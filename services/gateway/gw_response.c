/*
 * gw_response.c - filling a gw_response: JSON bodies and the one error
 * shape {"error": {"code", "message", "fields"}}.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw.h"
#include "gw_json_out.h"

static void set_body(gw_response *res, int status, char *body, size_t len)
{
    free(res->body);
    res->status = status;
    res->body = body;
    res->body_len = body ? len : 0;
    res->content_type = "application/json";
}

void gw_reply_json(gw_response *res, int status, json_t *body)
{
    size_t len = 0;
    char *text = gw_json_out(body, &len);
    json_decref(body);
    set_body(res, status, text, len);
}

void gw_reply_error(gw_response *res, int status, const char *code, const char *field,
                    const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_t *fields = json_object();
    if (field)
        json_object_set_new(fields, field, json_string(message));
    json_t *error =
        json_pack("{s:s, s:s, s:o}", "code", code, "message", message, "fields", fields);
    gw_reply_json(res, status, json_pack("{s:o}", "error", error));
}

void gw_reply_unavailable(gw_response *res, const char *what, const stom_errbuf *eb)
{
    fprintf(stderr, "stom-gateway: %s unavailable: %s\n", what, eb ? eb->msg : "");
    gw_reply_error(res, 503, "unavailable", NULL, "%s is unavailable; try again shortly", what);
    res->retry_after_s = 1;
}

void gw_reply_empty(gw_response *res, int status)
{
    set_body(res, status, NULL, 0);
}
