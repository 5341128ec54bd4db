/*
 * cmd_strategy_gateway.c - the verbs of `stom strategy` that work on the
 * strategies stored in the gateway (docs/gateway-api.md, /strategies):
 *   push FILE [--name N] [--description D] [--message M]   create or add a version
 *   list                                                  the caller's strategies
 *   versions NAME                                         one strategy's versions
 *   diff NAME [A B]                                       unified diff of two versions
 *
 * The API names strategies by id; the CLI by name, found in the caller's
 * list (names are unique per user). push checks nothing itself: the
 * gateway runs the same check as `stom strategy check` and refuses code
 * that fails it, and its errors are printed as FILE:LINE: error: message.
 *
 * Exit codes: 0 done, 1 the code does not pass the check or the gateway
 * failed, 2 usage error (also: no such strategy, not logged in), 3 FILE
 * cannot be read.
 *
 * Thread-safety: single-threaded program.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gateway_cli.h"
#include "stom/alloc.h"
#include "stom/strategy_check.h"

/* The code failed the gateway's check: the status of `stom strategy check` with errors. */
enum { EXIT_CHECK_ERRORS = 1 };

typedef struct remote_options {
    const char *verb, *url, *name, *description, *message;
    const char *args[3]; /* positional: FILE or NAME, then A and B */
    int n_args;
    bool json, help;
} remote_options;

static const char *const verb_usage[][2] = {
    {"push", "Usage: stom strategy push FILE [--name NAME] [--description TEXT] [--message TEXT]\n"
             "                          [--url URL] [--json]\n"
             "\n"
             "Stores a Lua strategy in the gateway under NAME (default: FILE's name without\n"
             ".lua). A new name creates the strategy (version 1); an existing one gets a new\n"
             "version. The gateway checks the code first, as `stom strategy check` does: code\n"
             "with errors is refused, each error printed as FILE:LINE: error: message.\n"
             "  --description TEXT  what the strategy does (shown by the web UI)\n"
             "  --message TEXT      what changed in this version (shown by versions)\n"
             "Exit 0 pushed, 1 the code does not pass the check, 2 usage error, 3 FILE cannot\n"
             "be read.\n"},
    {"list", "Usage: stom strategy list [--url URL] [--json]\n"
             "\n"
             "Your strategies stored in the gateway: id, name, latest version, last update\n"
             "(KST) and description.\n"},
    {"versions", "Usage: stom strategy versions NAME [--url URL] [--json]\n"
                 "\n"
                 "The versions of your strategy NAME with their time (KST) and message.\n"},
    {"diff", "Usage: stom strategy diff NAME [A B] [--url URL]\n"
             "\n"
             "A unified diff of your strategy NAME from version A to version B (default: the\n"
             "latest version against the one before it).\n"},
};

static const char *usage_of(const char *verb)
{
    for (size_t k = 0; k < sizeof verb_usage / sizeof verb_usage[0]; k++) {
        if (!strcmp(verb_usage[k][0], verb))
            return verb_usage[k][1];
    }
    return "";
}

/* The flags that take a value. */
static const cli_value_flag value_flags[] = {
    {"--url", offsetof(remote_options, url)},
    {"--name", offsetof(remote_options, name)},
    {"--description", offsetof(remote_options, description)},
    {"--message", offsetof(remote_options, message)},
};

static int parse(int argc, char **argv, remote_options *o)
{
    memset(o, 0, sizeof *o);
    o->verb = argv[0];
    int taken;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            o->json = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            o->help = true;
        } else if ((taken = cli_take_value(argc, argv, &i, value_flags,
                                           sizeof value_flags / sizeof value_flags[0], o,
                                           "strategy")) != 0) {
            if (taken < 0)
                return EXIT_USAGE;
        } else if (a[0] != '-' && o->n_args < 3) {
            o->args[o->n_args++] = a;
        } else {
            cli_error("strategy %s: unexpected '%s' (see stom strategy %s --help)", o->verb, a,
                      o->verb);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* Which of the options a verb accepts: positional counts and the push-only flags. */
static int check_options(const remote_options *o)
{
    bool push = !strcmp(o->verb, "push"), diff = !strcmp(o->verb, "diff");
    int min = !strcmp(o->verb, "list") ? 0 : 1, max = diff ? 3 : min;
    if (o->n_args < min || o->n_args > max || (diff && o->n_args == 2)) {
        cli_error("strategy %s: wrong arguments\n%s", o->verb, usage_of(o->verb));
        return EXIT_USAGE;
    }
    if (!push && (o->name || o->description || o->message)) {
        cli_error("strategy %s: --name, --description and --message belong to push", o->verb);
        return EXIT_USAGE;
    }
    if (diff && o->json) {
        cli_error("strategy diff prints the diff as text; it has no --json");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int print_answer(const json_t *j)
{
    int rc = json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    return rc == 0 ? EXIT_OK : EXIT_INTERNAL;
}

/* "2024-01-02T09:00:00+09:00" -> "2024-01-02 09:00" (the API's times are KST). */
static const char *short_time(const char *rfc3339, char *buf, size_t len)
{
    snprintf(buf, len, "%.16s", rfc3339);
    if (strlen(buf) > 10)
        buf[10] = ' ';
    return buf;
}

/* ---- push ------------------------------------------------------------------------------------ */

/* FILE's name without its directory and a .lua ending: the default strategy name. */
static char *default_name(const char *file)
{
    const char *base = strrchr(file, '/');
    char *name = stom_xstrdup(base ? base + 1 : file);
    size_t n = strlen(name);
    if (n > 4 && !strcmp(name + n - 4, ".lua"))
        name[n - 4] = '\0';
    return name;
}

/* The gateway refused the code: its check errors as FILE:LINE lines, like `strategy check`. */
static int report_refusal(const remote_options *o, const json_t *error)
{
    const json_t *errors = json_object_get(error, "errors");
    const json_t *fields = json_object_get(error, "fields");
    if (!json_is_array(errors) || json_array_size(errors) == 0) {
        const char *field = json_is_object(fields) && json_object_size(fields) > 0
                                ? json_object_iter_key(json_object_iter((json_t *)fields))
                                : NULL;
        cli_error("%s%s%s%s", json_str(error, "message", "the gateway refused the strategy"),
                  field ? " (" : "", field ? field : "", field ? ")" : "");
        return EXIT_USAGE;
    }
    size_t k;
    const json_t *e;
    json_array_foreach(errors, k, e)
    {
        fprintf(stderr, "%s:%" JSON_INTEGER_FORMAT ": error: %s\n", o->args[0],
                json_integer_value(json_object_get(e, "line")), json_str(e, "message", ""));
    }
    cli_error("%s does not pass the check (%zu error%s); nothing was pushed", o->args[0],
              json_array_size(errors), json_array_size(errors) == 1 ? "" : "s");
    return EXIT_CHECK_ERRORS;
}

/* The body of a create or update, or NULL when a text is not UTF-8 (JSON cannot carry it). */
static json_t *push_body(const remote_options *o, const char *name, const char *code, bool create)
{
    json_t *body = json_pack("{s:s}", "code", code);
    bool ok = body != NULL;
    if (ok && create)
        ok = json_object_set_new(body, "name", json_string(name)) == 0;
    if (ok && o->description)
        ok = json_object_set_new(body, "description", json_string(o->description)) == 0;
    if (ok && o->message)
        ok = json_object_set_new(body, "message", json_string(o->message)) == 0;
    if (!ok)
        json_decref(body);
    return ok ? body : NULL;
}

static int print_pushed(const remote_options *o, json_t *s, bool created)
{
    if (o->json) {
        json_object_del(s, "code");
        json_object_set_new(s, "created", json_boolean(created));
        return print_answer(s);
    }
    json_int_t v = json_integer_value(json_object_get(s, "version"));
    if (created)
        printf("created strategy %s (id %" JSON_INTEGER_FORMAT "): version %" JSON_INTEGER_FORMAT
               "\n",
               json_str(s, "name", "?"), json_integer_value(json_object_get(s, "id")), v);
    else
        printf("pushed %s: version %" JSON_INTEGER_FORMAT "\n", json_str(s, "name", "?"), v);
    return EXIT_OK;
}

/* Creates name, or adds a version when the caller already has it. Borrows code. */
static int push_code(gateway_client *g, const remote_options *o, const char *name, const char *code)
{
    json_t *list = NULL, *answer = NULL;
    int rc = gateway_strategy_list(g, &list);
    if (rc != EXIT_OK)
        return rc;
    int64_t id = gateway_strategy_id_of(list, name);
    json_decref(list);
    char path[64];
    snprintf(path, sizeof path, "/strategies/%" PRId64, id);
    json_t *body = push_body(o, name, code, id == 0);
    if (!body) {
        cli_error("%s, its name, description or message is not UTF-8 text: save it as UTF-8",
                  o->args[0]);
        return EXIT_DATA;
    }
    gateway_client_quiet_400(g, true);
    rc = gateway_call(g, id ? "PUT" : "POST", id ? path : "/strategies", body, &answer, NULL);
    json_decref(body);
    if (rc == EXIT_USAGE && gateway_client_last_error(g))
        rc = report_refusal(o, gateway_client_last_error(g));
    else if (rc == EXIT_OK)
        rc = print_pushed(o, answer, id == 0);
    json_decref(answer);
    return rc;
}

static int push(gateway_client *g, const remote_options *o)
{
    char *code = NULL;
    size_t len;
    int rc = cli_read_file(o->args[0], STOM_CHECK_MAX_BYTES, "a strategy must be at most 1 MiB",
                           &code, &len);
    if (rc != EXIT_OK)
        return rc;
    if (strlen(code) != len) {
        cli_error("%s contains a NUL byte: a strategy is Lua text", o->args[0]);
        free(code);
        return EXIT_DATA;
    }
    char *name = o->name ? stom_xstrdup(o->name) : default_name(o->args[0]);
    rc = push_code(g, o, name, code);
    free(name);
    free(code);
    return rc;
}

/* ---- list, versions, diff ------------------------------------------------------------------- */

static int list(gateway_client *g, const remote_options *o)
{
    json_t *answer = NULL;
    int rc = gateway_strategy_list(g, &answer);
    if (rc != EXIT_OK || o->json) {
        rc = rc == EXIT_OK ? print_answer(answer) : rc;
        json_decref(answer);
        return rc;
    }
    const json_t *all = json_object_get(answer, "strategies");
    if (json_array_size(all) == 0)
        puts("no strategies stored yet; store one with: stom strategy push FILE");
    static const char *const heads[] = {"ID", "NAME", "VERSION", "UPDATED (KST)", "DESCRIPTION"};
    text_table *t = text_table_new(5, heads, "rlrll");
    size_t k;
    const json_t *s;
    json_array_foreach(all, k, s)
    {
        char id[24], version[24], when[32];
        snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(s, "id")));
        snprintf(version, sizeof version, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(s, "version")));
        const char *row[] = {id, json_str(s, "name", ""), version,
                             short_time(json_str(s, "updated_at", ""), when, sizeof when),
                             json_str(s, "description", "")};
        text_table_add(t, row);
    }
    if (k > 0)
        text_table_print(t, stdout, "");
    text_table_free(t);
    json_decref(answer);
    return EXIT_OK;
}

static void print_versions_text(const json_t *versions)
{
    static const char *const heads[] = {"VERSION", "CREATED (KST)", "MESSAGE"};
    text_table *t = text_table_new(3, heads, "rll");
    size_t k;
    const json_t *v;
    json_array_foreach(versions, k, v)
    {
        char version[24], when[32];
        snprintf(version, sizeof version, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(v, "version")));
        const char *row[] = {version, short_time(json_str(v, "created_at", ""), when, sizeof when),
                             json_str(v, "message", "")};
        text_table_add(t, row);
    }
    text_table_print(t, stdout, "");
    text_table_free(t);
}

static int versions(gateway_client *g, const remote_options *o)
{
    int64_t id;
    int rc = gateway_strategy_resolve(g, o->args[0], &id);
    if (rc != EXIT_OK)
        return rc;
    char path[96];
    snprintf(path, sizeof path, "/strategies/%" PRId64 "/versions", id);
    json_t *answer = NULL;
    rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    if (rc == EXIT_OK && o->json)
        rc = print_answer(answer);
    else if (rc == EXIT_OK)
        print_versions_text(json_object_get(answer, "versions"));
    json_decref(answer);
    return rc;
}

/* A version number as typed: a positive integer. */
static bool version_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s >= '1' && *s <= '9' && !*end && v > 0 && v <= INT32_MAX;
}

static int diff(gateway_client *g, const remote_options *o)
{
    for (int k = 1; k < o->n_args; k++) {
        if (!version_arg(o->args[k])) {
            cli_error("strategy diff: '%s' is not a version number (stom strategy versions %s "
                      "lists them)",
                      o->args[k], o->args[0]);
            return EXIT_USAGE;
        }
    }
    int64_t id;
    int rc = gateway_strategy_resolve(g, o->args[0], &id);
    if (rc != EXIT_OK)
        return rc;
    char path[128];
    snprintf(path, sizeof path, "/strategies/%" PRId64 "/diff", id);
    /* Version numbers are short: the path has room for both. */
    if (o->n_args == 3 && gateway_query_add(path, sizeof path, "from", o->args[1]))
        gateway_query_add(path, sizeof path, "to", o->args[2]);
    json_t *answer = NULL;
    rc = gateway_call(g, "GET", path, NULL, &answer, NULL);
    const char *text = json_str(answer, "diff", "");
    if (rc == EXIT_OK && text[0])
        fputs(text, stdout);
    else if (rc == EXIT_OK)
        fprintf(stderr,
                "no differences between version %" JSON_INTEGER_FORMAT
                " and version %" JSON_INTEGER_FORMAT "\n",
                json_integer_value(json_object_get(answer, "from")),
                json_integer_value(json_object_get(answer, "to")));
    json_decref(answer);
    return rc;
}

bool strategy_verb_is_remote(const char *verb)
{
    return !strcmp(verb, "push") || !strcmp(verb, "list") || !strcmp(verb, "versions") ||
           !strcmp(verb, "diff");
}

int strategy_via_gateway(int argc, char **argv)
{
    remote_options o;
    int rc = parse(argc, argv, &o);
    if (rc != EXIT_OK || o.help) {
        if (o.help)
            fputs(usage_of(o.verb), stdout);
        return rc;
    }
    if ((rc = check_options(&o)) != EXIT_OK)
        return rc;
    gateway_client *g = NULL;
    if ((rc = gateway_client_open(&g, o.url, true)) != EXIT_OK)
        return rc;
    if (!strcmp(o.verb, "push"))
        rc = push(g, &o);
    else if (!strcmp(o.verb, "list"))
        rc = list(g, &o);
    else if (!strcmp(o.verb, "versions"))
        rc = versions(g, &o);
    else
        rc = diff(g, &o);
    gateway_client_close(g);
    return rc;
}
