/*
 * gw_openapi.c - the OpenAPI 3.0 document, generated from the route tables
 * at run time so that it cannot drift from the routes the gateway serves.
 *
 * Each route gives a path item operation: its summary, its {name} path
 * parameters and its query parameters (gw_route.query), bearer (JWT) security unless public, and
 * the error responses it can produce, each a reference to a shared response using the Error schema
 * (the one error shape of docs/gateway-api.md). The browser UI's routes (gw_routes_web: / and
 * /assets/{file}) serve files, not the API, and are left out.
 *
 * Thread-safety: reentrant (builds a new document per call).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gw_router.h"

static const struct {
    const char *status, *name, *description;
} errors[] = {
    {"400", "BadRequest", "Malformed JSON or an invalid field (fields names it)"},
    {"401", "Unauthorized", "Missing, malformed, forged or expired access token"},
    {"403", "Forbidden", "The role is too low or the account is disabled"},
    {"404", "NotFound", "No such route or object"},
    {"413", "TooLarge", "The body is over the limit"},
    {"422", "Refused",
     "Well formed but refused (an order the engine rejected, risk settings "
     "that do not validate); the message says why"},
    {"429", "RateLimited", "Too many requests; Retry-After says when to retry"},
    {"503", "Unavailable", "A dependency is down; Retry-After: 1"},
};
#define N_ERRORS (sizeof errors / sizeof errors[0])

static json_t *error_schema(void)
{
    return json_pack("{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}, s:{s:s, s:{s:s}}}}}}",
                     "type", "object", "required", "error", "properties", "error", "type", "object",
                     "required", "code", "message", "properties", "code", "type", "string",
                     "message", "type", "string", "fields", "type", "object",
                     "additionalProperties", "type", "string");
}

static json_t *components(void)
{
    json_t *responses = json_object();
    for (size_t i = 0; i < N_ERRORS; i++)
        json_object_set_new(responses, errors[i].name,
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
                                      errors[i].description, "content", "application/json",
                                      "schema", "$ref", "#/components/schemas/Error"));
    return json_pack("{s:{s:o}, s:o, s:{s:{s:s, s:s, s:s}}}", "schemas", "Error", error_schema(),
                     "responses", responses, "securitySchemes", "bearerAuth", "type", "http",
                     "scheme", "bearer", "bearerFormat", "JWT");
}

static void add_error(json_t *responses, const char *status)
{
    for (size_t i = 0; i < N_ERRORS; i++)
        if (!strcmp(errors[i].status, status)) {
            char ref[64];
            snprintf(ref, sizeof ref, "#/components/responses/%s", errors[i].name);
            json_object_set_new(responses, status, json_pack("{s:s}", "$ref", ref));
        }
}

static json_t *responses_of(const gw_route *r)
{
    json_t *out = json_pack("{s:{s:s}}", "2XX", "description", "Success");
    bool body =
        !strcmp(r->method, "POST") || !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH");
    if (body || strchr(r->pattern, '{') || r->access != GW_PUBLIC)
        add_error(out, "400");
    if (r->access != GW_PUBLIC) {
        add_error(out, "401");
        add_error(out, "403");
    }
    add_error(out, "404");
    if (body) {
        add_error(out, "413");
        add_error(out, "422");
    }
    if (r->limit != GW_LIMIT_NONE)
        add_error(out, "429");
    add_error(out, "503");
    return out;
}

static json_t *parameter(const char *name, int len, const char *in, bool required, const char *type)
{
    return json_pack("{s:s#, s:s, s:b, s:{s:s}}", "name", name, len, "in", in, "required", required,
                     "schema", "type", type);
}

/* The {name} path parameters, then the query parameters of r->query ("name#!,..."). */
static json_t *parameters_of(const gw_route *r)
{
    json_t *params = json_array();
    for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        json_array_append_new(params, parameter(p + 1, (int)(end - p - 1), "path", true, "string"));
    }
    for (const char *q = r->query; q && *q;) {
        size_t n = strcspn(q, "#!,");
        const char *flags = q + n, *next = flags + strcspn(flags, ",");
        bool integer = memchr(flags, '#', (size_t)(next - flags)) != NULL;
        bool required = memchr(flags, '!', (size_t)(next - flags)) != NULL;
        json_array_append_new(
            params, parameter(q, (int)n, "query", required, integer ? "integer" : "string"));
        q = *next ? next + 1 : next;
    }
    return params;
}

static json_t *operation_of(const gw_route *r)
{
    json_t *op = json_pack("{s:s, s:o, s:o}", "summary", r->summary ? r->summary : "", "parameters",
                           parameters_of(r), "responses", responses_of(r));
    if (r->access != GW_PUBLIC)
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearerAuth"));
    else
        json_object_set_new(op, "security", json_array());
    return op;
}

static void lower(const char *in, char *out, size_t len)
{
    size_t i = 0;
    for (; in[i] && i + 1 < len; i++)
        out[i] = (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

json_t *gw_openapi_document(void)
{
    json_t *paths = json_object();
    for (size_t t = 0; gw_route_tables[t]; t++) {
        if (gw_route_tables[t] == gw_routes_web)
            continue; /* the browser UI's page and files are not part of the API */
        for (const gw_route *r = gw_route_tables[t]; r->method; r++) {
            json_t *item = json_object_get(paths, r->pattern);
            if (!item) {
                item = json_object();
                json_object_set_new(paths, r->pattern, item);
            }
            char method[8];
            lower(r->method, method, sizeof method);
            json_object_set_new(item, method, operation_of(r));
        }
    }
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:o}", "openapi", "3.0.3", "info",
                     "title", "stom API", "version", "1", "description",
                     "The stom trading and backtesting platform's REST API (docs/gateway-api.md).",
                     "servers", "url", "/", "paths", paths, "components", components());
}
