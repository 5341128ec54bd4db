/*
 * main.c - `stom`: dispatches to the sub-commands and prints the top help.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "trading_cli.h"
#include "stom/net_http.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("stom: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *out)
{
    fputs("stom - trading and backtesting for Korean markets\n"
          "\n"
          "Usage: stom <command> [options]\n"
          "\n"
          "Commands:\n"
          "  backtest     run a strategy over bar data and print its report\n"
          "  strategies   list the built-in strategies and their parameters\n"
          "  strategy     Lua strategies: check FILE (the code test), import-stom,\n"
          "               vocabulary (stom strategy --help)\n"
          "  optimize     run an optimisation job on the backtest coordinator and rank\n"
          "               the parameter sets (grid, random, genetic; walk-forward ...)\n"
          "  jobs         the coordinator's jobs: list, show ID, cancel ID\n"
          "  db           stom db migrate: bring the database schema up to date\n"
          "  data         bars in the database: import FILE, list (stom data --help)\n"
          "\n"
          "Live trading (through the gateway, after stom login):\n"
          "  trade        strategies on the engine: start, stop, pause, resume, status\n"
          "  orders       your orders, newest first (--open: the working ones)\n"
          "  order        a manual order: buy|sell SYMBOL QTY [--price P], cancel ID\n"
          "  positions    open positions with 평가손익\n"
          "  accounts     your broker accounts and balances\n"
          "  kill         halt trading on an account (the kill switch); resume lifts it\n"
          "  resume       lift a halt\n"
          "  schedule     jobs on trading days: list, add, rm\n"
          "  surge        the latest surge alerts (급등주)\n"
          "  risk         risk settings of an account: show, set; risk events\n"
          "\n"
          "Options:\n"
          "  -h, --help     this help; `stom <command> --help` explains a command\n"
          "  --version      print the version\n"
          "\n"
          "Example (a first backtest):\n"
          "  stom backtest --local --data 005930.csv --strategy sma_cross \\\n"
          "                --param fast=5 --param slow=20\n"
          "\n"
          "Exit codes: 0 success, 2 usage error, 3 data error, 1 internal failure.\n",
          out);
}

/* The live-trading commands (trading_cli.h); -1 when cmd is none of them. */
static int trading_dispatch(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {{"trade", cli_trade},       {"orders", cli_orders},
                    {"order", cli_order},       {"positions", cli_positions},
                    {"accounts", cli_accounts}, {"kill", cli_kill},
                    {"resume", cli_resume},     {"schedule", cli_schedule},
                    {"surge", cli_surge},       {"risk", cli_risk}};
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (!strcmp(argv[1], commands[k].name))
            return commands[k].run(argc - 1, argv + 1);
    return -1;
}

int main(int argc, char **argv)
{
    if (stom_net_global_init() != STOM_OK) {
        cli_error("cannot initialise libcurl");
        return EXIT_INTERNAL;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        puts("stom 0.1.0");
        return EXIT_OK;
    }
    if (!strcmp(cmd, "backtest"))
        return cli_backtest(argc - 1, argv + 1);
    if (!strcmp(cmd, "strategies"))
        return cli_strategies(argc - 1, argv + 1);
    if (!strcmp(cmd, "strategy"))
        return cli_strategy(argc - 1, argv + 1);
    if (!strcmp(cmd, "optimize"))
        return cli_optimize(argc - 1, argv + 1);
    if (!strcmp(cmd, "jobs"))
        return cli_jobs(argc - 1, argv + 1);
    if (!strcmp(cmd, "db"))
        return cli_db(argc - 1, argv + 1);
    if (!strcmp(cmd, "data"))
        return cli_data(argc - 1, argv + 1);
    int rc = trading_dispatch(argc, argv);
    if (rc >= 0)
        return rc;
    if (!strcmp(cmd, "login") || !strcmp(cmd, "logout") || !strcmp(cmd, "register") ||
        !strcmp(cmd, "whoami"))
        return cli_auth(argc - 1, argv + 1);
    cli_error("unknown command '%s' (commands: backtest, strategies, strategy, db, data, "
              "optimize, jobs, trade, orders, order, positions, accounts, kill, resume, schedule, "
              "surge, risk; see stom --help)",
              cmd);
    return EXIT_USAGE;
}
