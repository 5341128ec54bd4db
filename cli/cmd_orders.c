/*
 * cmd_orders.c - `stom orders` (the order journal, newest first) and
 * `stom order buy|sell|cancel` (a manual order through the engine's risk
 * checks, or the cancel of one), over GET/POST /orders and
 * DELETE /orders/{id} (docs/engine.md, "Interfaces").
 *
 * A manual order is a market order unless --price makes it a limit order;
 * the gateway chooses its client order id (m-...), which `stom order
 * cancel` takes. An order the engine refuses (422: a risk rule, the
 * broker) prints the reason and exits 1 like any other gateway error.
 *
 * Thread-safety: single-threaded program.
 */
#include <stdlib.h>
#include <string.h>

#include "optimize.h"
#include "stom/net_http.h"
#include "trading_cli.h"

#define ORDERS_LIMIT_DEFAULT 50
#define ORDERS_LIMIT_MAX     1000

static void orders_usage(FILE *out)
{
    fputs("Usage: stom orders [--open] [--account A] [--limit N] [--json]\n"
          "\n"
          "Your orders from the engine's journal, newest first: 주문번호 (client order id),\n"
          "time (KST), account, 종목, 매수/매도, market or limit, 수량, 가격, 체결 (filled),\n"
          "평균체결가, 상태 and the reason of a refusal or cancel.\n"
          "\n"
          "  --open        only orders still working (대기, 접수, 부분체결)\n"
          "  --account A   only account A (default: all of yours)\n"
          "  --limit N     at most N orders (default 50)\n"
          "  --json        the gateway's JSON\n"
          "  --url URL     the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Exit codes: 0 success, 1 the gateway failed, 2 usage error or not logged in.\n",
          out);
}

static void order_usage(FILE *out)
{
    fputs("Usage: stom order buy|sell SYMBOL QTY [--price P] [--account A] [--json]\n"
          "       stom order cancel ID [--json]\n"
          "\n"
          "A manual order through the live engine: the same risk checks as a strategy's\n"
          "orders, journalled before it is sent to the broker.\n"
          "\n"
          "  buy|sell SYMBOL QTY   QTY shares of SYMBOL (005930); a market order (시장가)\n"
          "  --price P             a limit order (지정가) at P won (70000 or 70,000)\n"
          "  --account A           the account (needed when you have more than one)\n"
          "  cancel ID             cancel a working order; ID is its 주문번호 (stom orders)\n"
          "  --json                the gateway's JSON\n"
          "  --url URL             the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Example:\n"
          "  stom order buy 005930 10 --price 70,000\n"
          "\n"
          "Exit codes: 0 sent (or cancelled), 1 refused by the engine or the broker, or the\n"
          "gateway failed, 2 usage error or not logged in.\n",
          out);
}

/* ---- stom orders ------------------------------------------------------------------ */

static void order_row(text_table *t, const json_t *o, void *ctx)
{
    (void)ctx;
    char id[96], when[32], account[64], type[32], kind_name[32], qty[32], price[32], filled[32],
        avg[32], side[32], state[64], state_text[64];
    int64_t limit_price = 0;
    const char *kind = trading_short_name(
        trading_text(o, TRADING_KEYS("type", "order_type"), type, sizeof type, "-"), kind_name,
        sizeof kind_name);
    if (trading_int(o, TRADING_KEYS("price", "limit_price", "order_price"), &limit_price) &&
        limit_price > 0)
        trading_number(limit_price, price, sizeof price);
    else
        snprintf(price, sizeof price, "-");
    const char *row[] = {
        trading_text(o, TRADING_KEYS("client_order_id", "id"), id, sizeof id, "-"),
        trading_kst(o, TRADING_KEYS("created_at", "ts_ns", "updated_at"), when, sizeof when),
        trading_text(o, TRADING_KEYS("account"), account, sizeof account, "-"),
        json_str(o, "symbol", "-"),
        trading_side_label(o, side, sizeof side),
        !strcmp(kind, "market")  ? "시장가"
        : !strcmp(kind, "limit") ? "지정가"
                                 : kind,
        trading_won(o, TRADING_KEYS("qty", "order_qty"), qty, sizeof qty),
        price,
        trading_won(o, TRADING_KEYS("filled_qty", "cum_qty"), filled, sizeof filled),
        trading_won(o, TRADING_KEYS("avg_price", "avg_fill_price"), avg, sizeof avg),
        trading_order_state_label(
            trading_text(o, TRADING_KEYS("state", "kind"), state_text, sizeof state_text, "-"),
            state, sizeof state),
        json_str(o, "reason", "")};
    text_table_add(t, row);
}

static int print_orders(const json_t *answer)
{
    const char *heads[] = {"주문번호 id", "시각 time (KST)", "계좌 account", "종목 symbol",
                           "구분 side",   "유형 type",       "수량 qty",     "가격 price",
                           "체결 filled", "평균체결가 avg",  "상태 state",   "사유 reason"};
    return trading_table_print(trading_table(answer, "orders",
                                             "no orders (place one with stom order buy SYMBOL QTY)",
                                             12, heads, "llllllrrrrll", order_row, NULL));
}

int cli_orders(int argc, char **argv)
{
    trading_options o;
    int rc =
        trading_parse(argc, argv, 1, "--open --account --limit", 0, "orders", orders_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    int64_t limit = ORDERS_LIMIT_DEFAULT;
    if (o.limit && trading_whole("--limit", o.limit, ORDERS_LIMIT_MAX, &limit) != EXIT_OK)
        return EXIT_USAGE;
    char path[512], n[24];
    snprintf(path, sizeof path, "/orders?state=%s", o.open ? "open" : "all");
    snprintf(n, sizeof n, "%lld", (long long)limit);
    gateway_query_add(path, sizeof path, "limit", n);
    if (trading_query_account(path, sizeof path, &o) != EXIT_OK)
        return EXIT_USAGE;
    return trading_request(&o, "GET", path, NULL, print_orders);
}

/* ---- stom order buy|sell|cancel ----------------------------------------------------- */

/* What the engine made of the order, one line: "접수 accepted: m-1a2b 매수 005930 10주 ...". */
static int print_placed(const json_t *answer)
{
    char state[64], state_text[64], id[96], side[32], qty[32], price[32];
    const char *s =
        trading_text(answer, TRADING_KEYS("state", "kind"), state_text, sizeof state_text, "-");
    printf("%s: %s %s %s %s주", trading_order_state_label(s, state, sizeof state),
           trading_text(answer, TRADING_KEYS("client_order_id", "id"), id, sizeof id, "?"),
           trading_side_label(answer, side, sizeof side), json_str(answer, "symbol", "?"),
           trading_won(answer, TRADING_KEYS("qty", "order_qty"), qty, sizeof qty));
    int64_t p = 0;
    if (trading_int(answer, TRADING_KEYS("price", "limit_price", "order_price"), &p) && p > 0)
        printf(" @ %s원", trading_number(p, price, sizeof price));
    const char *reason = json_str(answer, "reason", NULL);
    printf("%s%s\n", reason && *reason ? " — " : "", reason ? reason : "");
    char shortname[64];
    return !strcmp(trading_short_name(s, shortname, sizeof shortname), "rejected") ? EXIT_INTERNAL
                                                                                   : EXIT_OK;
}

/* The order's QTY and --price (0: a market order), checked before the gateway is asked. */
static int order_numbers(const trading_options *o, const char *side, int64_t *qty, int64_t *price)
{
    *price = 0;
    if (o->n_pos != 2) {
        cli_error("stom order %s needs SYMBOL and QTY (for example stom order %s 005930 10)", side,
                  side);
        return EXIT_USAGE;
    }
    if (trading_whole("QTY", o->pos[1], TRADING_QTY_MAX, qty) != EXIT_OK ||
        (o->price && trading_whole("--price", o->price, TRADING_WON_MAX, price) != EXIT_OK))
        return EXIT_USAGE;
    return EXIT_OK;
}

static int place(gateway_client *g, const trading_options *o, const char *side, int64_t qty,
                 int64_t price)
{
    char *account = NULL;
    int rc = trading_account(g, o, &account);
    if (rc != EXIT_OK)
        return rc;
    json_t *body =
        json_pack("{s:s, s:s, s:s, s:I, s:s}", "account", account, "symbol", o->pos[0], "side",
                  side, "qty", (json_int_t)qty, "type", price > 0 ? "limit" : "market");
    if (price > 0)
        json_object_set_new(body, "price", json_integer(price));
    rc = trading_call(g, o, "POST", "/orders", body, print_placed);
    json_decref(body);
    free(account);
    return rc;
}

/* DELETE's answer: {client_order_id, state: "cancel_requested", engine: EngineStatus}. */
static int print_cancelled(const json_t *answer)
{
    char id[96], state[64], text[64];
    const char *message = json_str(json_object_get(answer, "engine"), "message", "");
    printf("%s: %s%s%s\n",
           trading_text(answer, TRADING_KEYS("client_order_id", "id"), id, sizeof id, "?"),
           trading_order_state_label(
               trading_text(answer, TRADING_KEYS("state"), text, sizeof text, "cancel_requested"),
               state, sizeof state),
           *message ? " — " : "", message);
    return EXIT_OK;
}

static int cancel(gateway_client *g, const trading_options *o)
{
    char path[512] = "/orders/";
    if (!stom_http_query_escape(path, sizeof path, o->pos[0])) {
        cli_error("order ID '%s' is too long", o->pos[0]);
        return EXIT_USAGE;
    }
    return trading_call(g, o, "DELETE", path, NULL, print_cancelled);
}

int cli_order(int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    bool help = !strcmp(verb, "-h") || !strcmp(verb, "--help");
    bool known = !strcmp(verb, "buy") || !strcmp(verb, "sell") || !strcmp(verb, "cancel");
    if (!known && !help) {
        cli_error("stom order needs buy, sell or cancel (see stom order --help)");
        return EXIT_USAGE;
    }
    trading_options o;
    bool is_cancel = !strcmp(verb, "cancel");
    char command[32];
    snprintf(command, sizeof command, "order%s%s", help ? "" : " ", help ? "" : verb);
    int rc = trading_parse(argc, argv, help ? 1 : 2, is_cancel ? "" : "--price --account",
                           is_cancel ? 1 : 2, command, order_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    int64_t qty = 0, price = 0;
    if (is_cancel && o.n_pos != 1) {
        cli_error("stom order cancel needs the order's ID (its 주문번호 in stom orders)");
        return EXIT_USAGE;
    }
    if (!is_cancel && order_numbers(&o, verb, &qty, &price) != EXIT_OK)
        return EXIT_USAGE;
    gateway_client *g = NULL;
    rc = trading_open(&o, &g);
    if (rc != EXIT_OK)
        return rc;
    rc = is_cancel ? cancel(g, &o) : place(g, &o, verb, qty, price);
    gateway_client_close(g);
    return rc;
}
