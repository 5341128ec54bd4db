/*
 * report_csv.c - --trades-csv and --equity-csv files. Times are ISO 8601
 * KST (+09:00); money and prices are plain decimals without separators.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

static void write_time(FILE *f, int64_t t)
{
    char buf[40];
    stom_format_time(t, STOM_KST_OFFSET_MINUTES, false, buf, sizeof buf);
    buf[10] = 'T';
    fprintf(f, "%s+09:00", buf);
}

static void write_money(FILE *f, const backtest_report *r, int64_t v)
{
    char buf[48];
    stom_fixed_format(v, r->series[0].inst.price_decimals, false, buf, sizeof buf);
    fputs(buf, f);
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        cli_error("cannot write %s: %s", path, strerror(errno));
    return f;
}

static int close_out(FILE *f, const char *path)
{
    if (ferror(f) | (fclose(f) != 0)) {
        cli_error("writing %s failed: %s", path, strerror(errno));
        return EXIT_DATA;
    }
    return EXIT_OK;
}

int report_write_trades_csv(const backtest_report *r, const char *path)
{
    FILE *f = open_out(path);
    if (f == NULL)
        return EXIT_DATA;
    fputs("symbol,side,qty,entry_time,entry_price,exit_time,exit_price,pnl,fees,taxes,status\n", f);
    for (size_t k = 0; k < r->res->n_trades; k++) {
        const stom_trade *t = &r->res->trades[k];
        fprintf(f, "%s,%s,%lld,", t->symbol, t->side > 0 ? "long" : "short", (long long)t->qty);
        write_time(f, t->entry_ts);
        fputc(',', f);
        write_money(f, r, t->entry_price);
        fputc(',', f);
        write_time(f, t->exit_ts);
        const int64_t tail[] = {t->exit_price, t->pnl, t->fees, t->taxes};
        for (size_t c = 0; c < 4; c++) {
            fputc(',', f);
            write_money(f, r, tail[c]);
        }
        fprintf(f, ",%s\n", t->open_at_end ? "open_at_end" : "closed");
    }
    return close_out(f, path);
}

int report_write_equity_csv(const backtest_report *r, const char *path)
{
    FILE *f = open_out(path);
    if (f == NULL)
        return EXIT_DATA;
    const stom_backtest_result *res = r->res;
    fputs("time,equity,drawdown_pct,positions\n", f);
    for (size_t k = 0; k < res->n; k++) {
        write_time(f, res->ts[k]);
        fputc(',', f);
        write_money(f, r, res->equity[k]);
        double dd = k < res->metrics.n_drawdown ? res->metrics.drawdown_pct[k] : 0;
        fprintf(f, ",%.4f,%d\n", dd == 0 ? 0.0 : dd, res->positions[k]);
    }
    return close_out(f, path);
}
