#!/usr/bin/env bash
# Printed by `make up`: what was built and how to run a first backtest.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
stom="$build/bin/stom"
[ -x "$stom" ] || { echo "first-run: $stom was not built" >&2; exit 1; }
sample=docs/examples/sample-daily.csv
cat <<MSG

stom is built: $stom ($("$stom" --version))

A first backtest (a moving-average crossover on a bundled synthetic sample of
500 daily KRX-style bars):

  $stom backtest --local --data $sample --strategy sma_cross --param fast=5 --param slow=20

The built-in strategies and their parameters:   $stom strategies
Every flag, with examples:                       $stom backtest --help
Your own data: any CSV with Date,Open,High,Low,Close,Volume (or 일자,시가,고가,저가,종가,거래량)
columns, see docs/data-formats.md.
MSG

cat <<MSG
Optimisation through the gateway (log in with the demo account above, store the sample,
then a 100-set grid):

  $stom login --username demo
  $stom data import $sample --symbol SAMPLE --timeframe 1d
  $stom optimize --strategy sma_cross --data SAMPLE --timeframe 1d \\
                 --period 2023-01-01:2024-11-30 --param fast=5:14:1 --param slow=20:29:1 \\
                 --method grid --objective TG
  $stom jobs list

See docs/backtester.md (coordinator and workers) and docs/optimization.md.
MSG
