/*
 * backtest_usage.c - the help text of `stom backtest`: its two paths (the
 * gateway by default, CSV files here with --local), their flags and
 * examples.
 */
#include "cli.h"

/* Both paths: what runs, where, and the gateway's own flags. */
static const char usage_paths[] =
    "Usage: stom backtest --data SYMBOL[,SYMBOL...] --timeframe 1m|1d|1s\n"
    "           --strategy NAME|--strategy-id N [--period FROM:TO] [options]\n"
    "       stom backtest --local --data FILE[,FILE...] --strategy NAME|--strategy-file FILE.lua\n"
    "           [options]\n"
    "\n"
    "Runs a strategy and prints its report. By default the run goes through the gateway\n"
    "(after `stom login`): the backtesters read the stored bars of the symbols (see\n"
    "`stom data list`), the live progress is drawn on stderr and Ctrl-C cancels the run.\n"
    "With --local it runs in this process over CSV files, without any server.\n"
    "\n"
    "Strategy and data:\n"
    "  --strategy NAME         a built-in strategy (see `stom strategies`); through the gateway\n"
    "                          also one of your stored strategies (`stom strategy list`)\n"
    "  --strategy-id N         a stored strategy by id (gateway only)\n"
    "  --strategy-file FILE    a Lua strategy (docs/lua-runtime.md), run in a sandbox (--local\n"
    "                          only: for the gateway store it with `stom strategy push FILE`)\n"
    "  --param NAME=VALUE      set a strategy parameter (the built-in's or the file's\n"
    "                          params schema); repeat for more\n"
    "  --data LIST             gateway: stored symbols (005930,000660); --local: CSV bar\n"
    "                          files (Yahoo, Date+Time, Datetime+09:00 or\n"
    "                          일자/날짜,시가,고가,저가,종가,거래량; the file name is the symbol)\n"
    "  --timeframe 1m|1d|1s    gateway: which stored bars (minute, daily, 1-second)\n"
    "  --period FROM:TO        only bars from FROM to TO inclusive (YYYY-MM-DD, KST); default\n"
    "                          all the bars (gateway: all stored bars of the symbols)\n"
    "  --url URL               the gateway: default $STOM_URL, else the URL of `stom login`,\n"
    "                          else http://127.0.0.1:8080\n"
    "  --local                 run here over CSV files, without the platform's services\n"
    "\n";

/* Costs and orders: which flags a gateway run takes. */
static const char usage_settings[] =
    "Market and costs (the gateway takes --cash, --commission, --slippage-ticks and\n"
    "--sizing all-in|amount:N; the others need --local):\n"
    "  --market krx|us|crypto  tick sizes, price limits, tax and price scale (default krx;\n"
    "                          us = prices in cents, no limits, no tax)\n"
    "  --board KOSPI|KOSDAQ|KONEX|ETF|ETN  KRX board: tick table and sell tax (default KOSPI)\n"
    "  --cash N                starting cash in won (or dollars), default 10,000,000\n"
    "  --commission PCT        commission per side in percent, default 0.015\n"
    "  --tax auto|none|PCT     sell tax: the dated KRX table (default), none, or a fixed %\n"
    "  --slippage-ticks N      fills move N ticks against the order (default 0)\n"
    "  --slippage-bps N        or N basis points, snapped to the tick grid\n"
    "  --no-price-limits       do not clamp fills to the KRX +-30% daily limits\n"
    "\n"
    "Orders and sizing:\n"
    "  --sizing all-in|pct:P|qty:N|amount:N  position size (default all-in): all the cash,\n"
    "                          P% of equity, N shares, or N won worth; whole shares always\n"
    "  --allow-short           let sell signals open short positions (reversals)\n"
    "  --pyramiding N          at most N entries in one direction (default 1)\n"
    "  --fill next-open|close  market orders fill at the next bar's open (default) or at\n"
    "                          the signal bar's close\n"
    "  --participation PCT     a fill takes at most PCT% of the bar's volume (partial fills)\n"
    "\n";

static const char usage_output[] =
    "Output:\n"
    "  --json                  print one JSON object instead of the report (through the\n"
    "                          gateway: its answer, GET /api/v1/backtests/ID)\n"
    "  --trades-csv FILE       --local: write closed trades: symbol,side,qty,entry_time,\n"
    "                          entry_price,exit_time,exit_price,pnl,fees,taxes,status\n"
    "  --equity-csv FILE       --local: write the equity and drawdown series\n"
    "\n"
    "Examples:\n"
    "  stom backtest --data 005930 --timeframe 1d --strategy sma_cross \\\n"
    "      --param fast=5 --param slow=20 --period 2024-01-01:2024-12-31\n"
    "  stom backtest --data 005930,000660 --timeframe 1m --strategy-id 12 --json\n"
    "\n"
    "  stom backtest --local --data 005930.csv --strategy sma_cross \\\n"
    "      --param fast=5 --param slow=20 --period 2024-01-01:2024-12-31 --json\n"
    "  stom backtest --local --data 005930.csv --strategy-file sma_cross.lua --param fast=5\n"
    "\n"
    "Exit codes: 0 success, 1 the run failed (a strategy error or sandbox limit: the message\n"
    "names file:line; a gateway or coordinator failure), 2 usage error (including a Lua file\n"
    "that does not load, an unknown or another user's strategy, a flag of the other path),\n"
    "3 data error (no bars), 130 Ctrl-C (the gateway run is cancelled).\n";

void backtest_usage(FILE *out)
{
    fputs(usage_paths, out);
    fputs(usage_settings, out);
    fputs(usage_output, out);
}
