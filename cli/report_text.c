/*
 * report_text.c - the human-readable backtest report: Korean and English
 * labels side by side, thousands separators, KST dates. The metric rows
 * (report_print_metrics) are shared by a local run and a run read back from
 * the gateway (report_backtest_gateway.c); only the header and the last
 * line differ.
 */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "stom/fixed.h"
#include "stom/timeutil.h"

#define KST STOM_KST_OFFSET_MINUTES

void report_row(FILE *out, const char *label, const char *value)
{
    /* Korean labels are two columns wide per character; pad by display width. */
    size_t bytes = strlen(label), width = 0;
    for (size_t k = 0; k < bytes; k++)
        width += ((unsigned char)label[k] & 0xC0) != 0x80;
    size_t korean = 0;
    for (size_t k = 0; k < bytes; k++)
        korean += ((unsigned char)label[k] & 0xF0) == 0xE0;
    width += korean;
    fprintf(out, "  %s%*s %s\n", label, (int)(width < 30 ? 30 - width : 0), "", value);
}

static void ratio_row(FILE *out, const char *label, double v, bool undefined, const char *unit)
{
    char buf[64];
    if (undefined)
        snprintf(buf, sizeof buf, "n/a");
    else
        snprintf(buf, sizeof buf, "%.2f%s", v, unit);
    report_row(out, label, buf);
}

static char *money(const report_units *u, int64_t v, char *buf, size_t len)
{
    stom_fixed_format(v, u->cash_decimals, true, buf, len);
    return buf;
}

static void money_row(FILE *out, const report_units *u, const char *label, int64_t v)
{
    char num[48], buf[64];
    snprintf(buf, sizeof buf, "%s%s", money(u, v, num, sizeof num), u->won ? " 원" : "");
    report_row(out, label, buf);
}

void report_print_title(FILE *out, const stom_strategy_def *def, const stom_params *p)
{
    fprintf(out, "stom backtest - %s", def->name);
    for (size_t k = 0; k < def->n_params; k++)
        fprintf(out, "%s%s=%g", k ? ", " : " (", def->params[k].name, p->v[k]);
    fprintf(out, "%s\n", def->n_params ? ")" : "");
}

static void print_header(const backtest_report *r, FILE *out)
{
    const backtest_options *o = r->opt;
    report_print_title(out, o->strategy, &o->params);
    fprintf(out, "  종목 Symbols:");
    for (size_t s = 0; s < r->n_series; s++)
        fprintf(out, " %s (%zu bars)", r->series[s].inst.symbol, r->series[s].len);
    fprintf(out, " - %s %s\n\n", stom_market_name(r->series[0].inst.market),
            r->series[0].inst.market == STOM_MARKET_KRX ? stom_board_name(o->board) : "");
}

static void print_period(const stom_metrics *m, FILE *out)
{
    char from[32], to[32], buf[160];
    snprintf(buf, sizeof buf, "%s ~ %s KST (%lld days)",
             stom_format_time(m->start_ts, KST, true, from, sizeof from),
             stom_format_time(m->end_ts, KST, true, to, sizeof to), (long long)m->calendar_days);
    report_row(out, "기간 Period", buf);
}

static void print_returns(const stom_metrics *m, const report_units *r, FILE *out)
{
    money_row(out, r, "초기자금 Initial cash", m->initial_cash);
    money_row(out, r, "최종자산 Final equity", m->final_equity);
    money_row(out, r, "최고자산 Peak equity", m->peak_equity);
    money_row(out, r, "수익금 Net profit (TG)", m->net_profit);
    ratio_row(out, "수익률 Total return", m->total_return_pct, false, "%");
    ratio_row(out, "보유수익률 Buy & hold", m->buy_hold_return_pct, false, "%");
    ratio_row(out, "연복리 CAGR (compound)", m->cagr_pct, m->undefined & STOM_METRIC_UNDEF_CAGR,
              "%");
    ratio_row(out, "연간예상수익률 STOM CAGR", m->stom_cagr_pct, false, "%");
    ratio_row(out, "연환산변동성 Volatility", m->annual_volatility_pct,
              m->undefined & STOM_METRIC_UNDEF_VOLATILITY, "%");
    ratio_row(out, "최대낙폭 Max drawdown", -m->max_drawdown_pct, false, "%");
    money_row(out, r, "최대낙폭금액 Max drawdown", -m->max_drawdown_amount);
    char buf[64];
    snprintf(buf, sizeof buf, "%.1f days (avg %.1f)", m->max_drawdown_duration_days,
             m->avg_drawdown_duration_days);
    report_row(out, "낙폭기간 Drawdown duration", buf);
    ratio_row(out, "샤프 Sharpe", m->sharpe, m->undefined & STOM_METRIC_UNDEF_SHARPE, "");
    ratio_row(out, "소르티노 Sortino", m->sortino, m->undefined & STOM_METRIC_UNDEF_SORTINO, "");
    ratio_row(out, "칼마 Calmar", m->calmar, m->undefined & STOM_METRIC_UNDEF_CALMAR, "");
}

static void print_trades(const stom_metrics *m, const report_units *r, FILE *out)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%zu (%zu wins, %zu losses; %.2f per day)", m->trades, m->wins,
             m->losses, m->trades_per_day);
    report_row(out, "거래횟수 Trades (TC)", buf);
    ratio_row(out, "승률 Win rate (WR)", m->win_rate_pct, false, "%");
    ratio_row(out, "평균수익률 Avg trade (AP)", m->avg_trade_pct, false, "%");
    snprintf(buf, sizeof buf, "%.2f%% / %.2f%%", m->best_trade_pct, m->worst_trade_pct);
    report_row(out, "최고/최저 Best / worst", buf);
    snprintf(buf, sizeof buf, "%.2f%% / %.2f%%", m->avg_win_pct, m->avg_loss_pct);
    report_row(out, "평균익절/손절 Avg win / loss", buf);
    ratio_row(out, "손익비 Payoff ratio", m->payoff_ratio, m->undefined & STOM_METRIC_UNDEF_PAYOFF,
              "");
    bool pf_inf = (m->undefined & STOM_METRIC_UNDEF_PROFIT_FACTOR) && m->wins > 0;
    if (pf_inf)
        report_row(out, "수익팩터 Profit factor", "inf (no losing trade)");
    else
        ratio_row(out, "수익팩터 Profit factor", m->profit_factor,
                  m->undefined & STOM_METRIC_UNDEF_PROFIT_FACTOR, "");
    char num[48];
    int64_t expectancy = (int64_t)llround(m->expectancy * pow(10, r->cash_decimals));
    snprintf(buf, sizeof buf, "%s per trade", money(r, expectancy, num, sizeof num));
    report_row(out, "기대값 Expectancy", buf);
    ratio_row(out, "SQN", m->sqn, m->undefined & STOM_METRIC_UNDEF_SQN, "");
    ratio_row(out, "TPI", m->tpi, m->undefined & STOM_METRIC_UNDEF_TPI, "");
    snprintf(buf, sizeof buf, "%zu / %zu", m->max_consecutive_wins, m->max_consecutive_losses);
    report_row(out, "연속승/패 Max streak W / L", buf);
    snprintf(buf, sizeof buf, "%.1f days avg, %.1f max", m->avg_holding_days, m->max_holding_days);
    report_row(out, "보유기간 Holding time (AH)", buf);
    ratio_row(out, "노출 Exposure", m->exposure_pct, false, "%");
    snprintf(buf, sizeof buf, "%d", m->max_concurrent_positions);
    report_row(out, "최대보유종목 Max positions (MH)", buf);
    money_row(out, r, "수수료 Fees", m->fees);
    money_row(out, r, "세금 Taxes", m->taxes);
}

static void print_monthly(const stom_metrics *m, FILE *out)
{
    if (m->n_monthly == 0)
        return;
    fputs("\n  월별수익률 Monthly returns (%)\n  year      Jan    Feb    Mar    Apr    May    Jun"
          "    Jul    Aug    Sep    Oct    Nov    Dec\n",
          out);
    for (size_t k = 0; k < m->n_monthly;) {
        int year = m->monthly[k].year;
        fprintf(out, "  %d", year);
        for (int month = 1; month <= 12; month++) {
            if (k < m->n_monthly && m->monthly[k].year == year && m->monthly[k].month == month)
                fprintf(out, " %6.2f", m->monthly[k++].return_pct);
            else
                fputs("      .", out);
        }
        fputc('\n', out);
    }
}

void report_print_metrics(const stom_metrics *m, const report_units *u, FILE *out)
{
    print_period(m, out);
    print_returns(m, u, out);
    fputc('\n', out);
    print_trades(m, u, out);
    print_monthly(m, out);
}

void report_print_text(const backtest_report *r, FILE *out)
{
    const stom_instrument *inst = &r->series[0].inst;
    report_units u = {inst->price_decimals, inst->market == STOM_MARKET_KRX};
    print_header(r, out);
    report_print_metrics(&r->res->metrics, &u, out);
    fprintf(out, "\n  %zu bars backtested in %.1f ms\n", r->res->n, r->elapsed_seconds * 1000);
}
