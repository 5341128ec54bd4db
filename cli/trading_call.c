/*
 * trading_call.c - the live-trading commands' side of the gateway
 * (trading_cli.h): the client with the stored login, the account a command
 * acts on, and printing an answer as JSON or as the command's text.
 */
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "stom/alloc.h"
#include "trading_cli.h"

#define ACCOUNTS_LISTED_MAX 10

int trading_open(const trading_options *o, gateway_client **g)
{
    /* Opened without requiring a login, so that the message can say what trading needs
     * (there is no --local here). */
    int rc = gateway_client_open(g, o->url, false);
    if (rc != EXIT_OK || gateway_client_credentials(*g))
        return rc;
    const char *url = gateway_client_url(*g);
    cli_error("not logged in to %s: run `stom login --url %s` with a trader account (live "
              "trading needs one)",
              url, url);
    gateway_client_close(*g);
    *g = NULL;
    return EXIT_USAGE;
}

/* "A1, A2, A3" of the rows' account names (at most ACCOUNTS_LISTED_MAX, then "..."). */
static void list_accounts(const json_t *rows, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < json_array_size(rows) && used < len; k++) {
        char name[128];
        const char *a = trading_text(json_array_get(rows, k), TRADING_KEYS("account", "id"), name,
                                     sizeof name, "?");
        int n = snprintf(buf + used, len - used, "%s%s", k ? ", " : "",
                         k < ACCOUNTS_LISTED_MAX ? a : "...");
        if (n < 0 || k >= ACCOUNTS_LISTED_MAX)
            break;
        used += (size_t)n;
    }
}

int trading_account(gateway_client *g, const trading_options *o, char **out)
{
    if (o->account && *o->account) {
        *out = stom_xstrdup(o->account);
        return EXIT_OK;
    }
    json_t *answer = NULL;
    int rc = gateway_call(g, "GET", "/accounts", NULL, &answer, NULL);
    if (rc != EXIT_OK)
        return rc;
    const json_t *rows = trading_rows(answer, "accounts");
    size_t n = json_array_size(rows);
    char name[128], names[1024];
    if (n == 1) {
        *out = stom_xstrdup(trading_text(json_array_get(rows, 0), TRADING_KEYS("account", "id"),
                                         name, sizeof name, ""));
    } else if (n == 0) {
        cli_error("you have no broker account: ask an administrator to add one (make up adds a "
                  "simulated account for its demo user)");
        rc = EXIT_USAGE;
    } else {
        list_accounts(rows, names, sizeof names);
        cli_error("you have %zu accounts: choose one with --account (%s)", n, names);
        rc = EXIT_USAGE;
    }
    json_decref(answer);
    return rc;
}

int trading_query_account(char *path, size_t len, const trading_options *o)
{
    if (!o->account || !*o->account || gateway_query_add(path, len, "account", o->account))
        return EXIT_OK;
    cli_error("--account '%.40s...' is too long for an account name", o->account);
    return EXIT_USAGE;
}

int trading_show(const trading_options *o, json_t *answer, trading_print_fn print_text)
{
    if (o->json)
        return print_json(answer ? answer : json_object());
    int rc = print_text ? print_text(answer) : EXIT_OK;
    json_decref(answer);
    return rc;
}

int trading_call(gateway_client *g, const trading_options *o, const char *method, const char *path,
                 const json_t *body, trading_print_fn print_text)
{
    json_t *answer = NULL;
    long status = 0;
    int rc = gateway_call(g, method, path, body, &answer, &status);
    if (rc != EXIT_OK) /* 422: the engine or the broker refused; the reason is printed */
        return status == 422 ? EXIT_INTERNAL : rc;
    return trading_show(o, answer, print_text);
}

int trading_request(const trading_options *o, const char *method, const char *path,
                    const json_t *body, trading_print_fn print_text)
{
    gateway_client *g = NULL;
    int rc = trading_open(o, &g);
    if (rc != EXIT_OK)
        return rc;
    rc = trading_call(g, o, method, path, body, print_text);
    gateway_client_close(g);
    return rc;
}
