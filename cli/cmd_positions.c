/*
 * cmd_positions.c - `stom positions` (open positions as the engine books
 * them, with a 합계 line) and `stom accounts` (the caller's broker accounts
 * with their balances), over GET /positions and GET /accounts
 * (docs/engine.md, "Interfaces").
 *
 * Totals are sums of the integer won amounts of the rows; the return rate
 * (수익률) is 평가손익 over 매입금액 (qty x 평균단가 when the row has no cost)
 * and is the only figure computed here.
 *
 * Thread-safety: single-threaded program.
 */
#include <inttypes.h>
#include <string.h>

#include "optimize.h"
#include "trading_cli.h"

static void positions_usage(FILE *out)
{
    fputs("Usage: stom positions [--account A] [--json]\n"
          "\n"
          "Open positions of your accounts: 계좌, 종목, 수량, 평균단가, 현재가, 평가금액,\n"
          "평가손익 (after estimated selling costs), 수익률 and today's 실현손익, with a\n"
          "합계 line.\n"
          "\n"
          "  --account A   only account A (default: all of yours)\n"
          "  --json        the gateway's JSON\n"
          "  --url URL     the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Exit codes: 0 success, 1 the gateway failed, 2 usage error or not logged in.\n",
          out);
}

static void accounts_usage(FILE *out)
{
    fputs("Usage: stom accounts [--json]\n"
          "\n"
          "Your broker accounts: 계좌, 증권사 (broker), 이름, 모의 (paper trading or real),\n"
          "예수금 (cash), 주문가능 (buying power), 추정자산 (equity), today's 실현손익 and when\n"
          "the engine last read them (KST). 거래 says whether trading is halted (stom kill).\n"
          "\n"
          "  --json        the gateway's JSON\n"
          "  --url URL     the gateway (default $STOM_URL, else the URL of `stom login`)\n"
          "\n"
          "Exit codes: 0 success, 1 the gateway failed, 2 usage error or not logged in.\n",
          out);
}

/* Sums of the won columns, for the 합계 line. */
typedef struct position_totals {
    int64_t value, cost, unrealized, realized;
    bool cost_known;
} position_totals;

/* 평가손익 / 매입금액 as "+3.25%"; "-" without a cost. */
static char *return_rate(int64_t pnl, int64_t cost, char *buf, size_t len)
{
    if (cost <= 0) {
        snprintf(buf, len, "-");
        return buf;
    }
    /* In basis points, rounded half away from zero; the figure is for reading only. */
    int64_t bp = (pnl * 10000 + (pnl < 0 ? -cost / 2 : cost / 2)) / cost;
    return trading_bp(bp, buf, len);
}

static void position_row(text_table *t, const json_t *p, void *ctx)
{
    position_totals *sum = ctx;
    char account[64], qty[32], avg[32], last[32], value[32], pnl[32], rate[32], realized[32];
    int64_t v = 0, cost = 0, u = 0, r = 0, shares = 0, price = 0;
    bool has_cost = trading_int(p, TRADING_KEYS("cost"), &cost) && cost > 0;
    /* Without the engine's 매입금액 (fees included), qty x 평균단가 is the closest figure. */
    if (!has_cost && trading_int(p, TRADING_KEYS("qty"), &shares) &&
        trading_int(p, TRADING_KEYS("avg_price"), &price) && shares > 0 && price > 0) {
        cost = shares * price;
        has_cost = true;
    }
    if (trading_int(p, TRADING_KEYS("market_value"), &v))
        sum->value += v;
    if (trading_int(p, TRADING_KEYS("unrealized_pnl"), &u))
        sum->unrealized += u;
    if (trading_int(p, TRADING_KEYS("realized_pnl"), &r))
        sum->realized += r;
    sum->cost += cost;
    sum->cost_known = sum->cost_known && has_cost;
    const char *row[] = {trading_text(p, TRADING_KEYS("account"), account, sizeof account, "-"),
                         json_str(p, "symbol", "-"),
                         trading_won(p, TRADING_KEYS("qty"), qty, sizeof qty),
                         trading_won(p, TRADING_KEYS("avg_price"), avg, sizeof avg),
                         trading_won(p, TRADING_KEYS("last_price"), last, sizeof last),
                         trading_won(p, TRADING_KEYS("market_value"), value, sizeof value),
                         trading_won(p, TRADING_KEYS("unrealized_pnl"), pnl, sizeof pnl),
                         has_cost ? return_rate(u, cost, rate, sizeof rate) : "-",
                         trading_won(p, TRADING_KEYS("realized_pnl"), realized, sizeof realized)};
    text_table_add(t, row);
}

static int print_positions(const json_t *answer)
{
    const char *heads[] = {"계좌 account", "종목 symbol",   "수량 qty",
                           "평균단가 avg", "현재가 last",   "평가금액 value",
                           "평가손익 P&L", "수익률 return", "실현손익 realized"};
    position_totals sum = {0, 0, 0, 0, true};
    text_table *t = trading_table(answer, "positions", "no open positions", 9, heads, "llrrrrrrr",
                                  position_row, &sum);
    if (!t)
        return EXIT_OK;
    char value[32], pnl[32], rate[32], realized[32];
    const char *total[] = {"합계 total",
                           "",
                           "",
                           "",
                           "",
                           trading_number(sum.value, value, sizeof value),
                           trading_number(sum.unrealized, pnl, sizeof pnl),
                           sum.cost_known ? return_rate(sum.unrealized, sum.cost, rate, sizeof rate)
                                          : "-",
                           trading_number(sum.realized, realized, sizeof realized)};
    text_table_add(t, total);
    return trading_table_print(t);
}

int cli_positions(int argc, char **argv)
{
    trading_options o;
    int rc = trading_parse(argc, argv, 1, "--account", 0, "positions", positions_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    char path[512] = "/positions";
    if (trading_query_account(path, sizeof path, &o) != EXIT_OK)
        return EXIT_USAGE;
    return trading_request(&o, "GET", path, NULL, print_positions);
}

/* ---- stom accounts ------------------------------------------------------------------ */

static void account_row(text_table *t, const json_t *a, void *ctx)
{
    (void)ctx;
    char account[64], broker[32], cash[32], power[32], equity[32], realized[32], when[32];
    const json_t *paper = json_object_get(a, "paper");
    const json_t *balance = json_object_get(a, "balance");
    const json_t *money = json_is_object(balance) ? balance : a; /* nested or flat */
    const char *row[] = {
        trading_text(a, TRADING_KEYS("account", "id"), account, sizeof account, "-"),
        trading_text(a, TRADING_KEYS("broker"), broker, sizeof broker, "-"),
        json_str(a, "name", ""),
        json_is_boolean(paper) ? (json_is_true(paper) ? "모의 paper" : "실전 live") : "-",
        json_is_true(json_object_get(a, "halted")) ? "중지 halted" : "가능 allowed",
        trading_won(money, TRADING_KEYS("cash"), cash, sizeof cash),
        trading_won(money, TRADING_KEYS("buying_power"), power, sizeof power),
        trading_won(money, TRADING_KEYS("equity"), equity, sizeof equity),
        trading_won(money, TRADING_KEYS("realized_pnl"), realized, sizeof realized),
        trading_kst(money, TRADING_KEYS("updated_at", "balance_updated_at"), when, sizeof when)};
    text_table_add(t, row);
}

static int print_accounts(const json_t *answer)
{
    const char *heads[] = {"계좌 account",
                           "증권사 broker",
                           "이름 name",
                           "구분 mode",
                           "거래 trading",
                           "예수금 cash",
                           "주문가능 buying power",
                           "추정자산 equity",
                           "실현손익 realized",
                           "갱신 updated (KST)"};
    return trading_table_print(trading_table(
        answer, "accounts",
        "no broker accounts (an administrator adds them; make up adds a simulated one)", 10, heads,
        "lllllrrrrl", account_row, NULL));
}

int cli_accounts(int argc, char **argv)
{
    trading_options o;
    int rc = trading_parse(argc, argv, 1, "", 0, "accounts", accounts_usage, &o);
    if (rc != EXIT_OK || o.help)
        return rc;
    return trading_request(&o, "GET", "/accounts", NULL, print_accounts);
}
