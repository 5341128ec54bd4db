/*
 * gateway_strategy.c - the caller's strategies stored in the gateway, as
 * the run commands and `stom strategy` find them (gateway_cli.h).
 *
 * The API names strategies by id, people by name (unique per user), so a
 * name is looked up in the caller's list. A strategy a run will use is
 * fetched whole and its code loaded here, so that --param is checked
 * against its params schema exactly as a built-in's is, and the run names
 * the version that was checked.
 *
 * Thread-safety: single-threaded program.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "stom/alloc.h"

int gateway_strategy_list(gateway_client *g, json_t **out)
{
    int rc = gateway_call(g, "GET", "/strategies", NULL, out, NULL);
    if (rc == EXIT_OK && !json_is_array(json_object_get(*out, "strategies"))) {
        cli_error("the gateway's strategy list has no \"strategies\" array");
        json_decref(*out);
        *out = NULL;
        return EXIT_INTERNAL;
    }
    return rc;
}

int64_t gateway_strategy_id_of(const json_t *list, const char *name)
{
    size_t k;
    const json_t *s;
    json_array_foreach(json_object_get(list, "strategies"), k, s)
    {
        if (!strcmp(json_str(s, "name", ""), name))
            return (int64_t)json_integer_value(json_object_get(s, "id"));
    }
    return 0;
}

/* The id of the caller's strategy name, or 0 (nothing printed) when there is none. */
static int find_id(gateway_client *g, const char *name, int64_t *id)
{
    json_t *list = NULL;
    int rc = gateway_strategy_list(g, &list);
    *id = rc == EXIT_OK ? gateway_strategy_id_of(list, name) : 0;
    json_decref(list);
    return rc;
}

int gateway_strategy_resolve(gateway_client *g, const char *name, int64_t *id)
{
    int rc = find_id(g, name, id);
    if (rc != EXIT_OK || *id > 0)
        return rc;
    cli_error("you have no strategy named '%s' (stom strategy list shows yours; stom strategy "
              "push FILE --name %s stores one)",
              name, name);
    return EXIT_USAGE;
}

/* GET /strategies/<id>: owned in *out; another user's id is "no strategy" (404), exit 2. */
static int fetch_one(gateway_client *g, int64_t id, json_t **out)
{
    char path[64];
    long status = 0;
    snprintf(path, sizeof path, "/strategies/%" PRId64, id);
    gateway_client_quiet_404(g, true);
    int rc = gateway_call(g, "GET", path, NULL, out, &status);
    gateway_client_quiet_404(g, false);
    if (status == 404)
        cli_error("you have no strategy with id %" PRId64 " (stom strategy list shows yours)", id);
    return rc;
}

/* Loads the fetched strategy's code into out. */
static int load_code(const json_t *s, int64_t id, stored_strategy *out)
{
    const char *code = json_str(s, "code", NULL), *name = json_str(s, "name", NULL);
    const json_t *version = json_object_get(s, "version");
    if (!code || !name || !json_is_integer(version)) {
        cli_error("the gateway's strategy %" PRId64 " has no name, code or version", id);
        return EXIT_INTERNAL;
    }
    stom_errbuf eb = {{0}};
    int err = stom_lua_strategy_load(&out->lua, name, code, strlen(code), NULL, &eb);
    if (err != STOM_OK) {
        cli_error("your strategy %s (id %" PRId64 ") does not load: %s", name, id,
                  eb.msg[0] ? eb.msg : stom_strerror(err));
        return EXIT_USAGE;
    }
    out->id = id;
    out->version = (int32_t)json_integer_value(version);
    out->name = stom_xstrdup(name);
    return EXIT_OK;
}

int gateway_strategy_load(gateway_client *g, const char *name, int64_t id, stored_strategy *out)
{
    memset(out, 0, sizeof *out);
    int rc = name ? find_id(g, name, &id) : EXIT_OK;
    if (rc != EXIT_OK)
        return rc;
    if (id == 0) {
        char names[256];
        cli_error("unknown strategy '%s' (built-ins: %s), and you have no stored strategy of "
                  "that name (stom strategy list shows yours)",
                  name, stom_strategy_names(names, sizeof names));
        return EXIT_USAGE;
    }
    json_t *s = NULL;
    rc = fetch_one(g, id, &s);
    if (rc == EXIT_OK)
        rc = load_code(s, id, out);
    json_decref(s);
    return rc;
}

int gateway_strategy_fetch(const char *url, const char *name, int64_t id, stored_strategy *out)
{
    gateway_client *g = NULL;
    char names[256];
    memset(out, 0, sizeof *out);
    int rc = gateway_client_open(&g, url, false);
    if (rc != EXIT_OK)
        return rc;
    if (gateway_client_credentials(g) != NULL)
        rc = gateway_strategy_load(g, name, id, out);
    else if (name)
        cli_error("unknown strategy '%s' (built-ins: %s), and your stored strategies need a "
                  "login: run `stom login` (or use --local)",
                  name, stom_strategy_names(names, sizeof names));
    else
        cli_error("--strategy-id names a strategy stored in the gateway at %s: run `stom login` "
                  "first",
                  gateway_client_url(g));
    if (gateway_client_credentials(g) == NULL)
        rc = EXIT_USAGE;
    gateway_client_close(g);
    return rc;
}

void stored_strategy_free(stored_strategy *s)
{
    stom_lua_strategy_destroy(s->lua);
    free(s->name);
    memset(s, 0, sizeof *s);
}
