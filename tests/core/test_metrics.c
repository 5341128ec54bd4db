/*
 * test_metrics.c - the report's numbers, checked against values worked out
 * by hand in the comments (docs/metrics.md has the definitions).
 *
 * Unless a test says otherwise: initial cash 1,000,000 won, KST calendar,
 * 252 trading days a year, STOM CAGR over 250 days.
 */
#include <math.h>
#include <stdlib.h>

#include "stom/error.h"
#include "stom/metrics.h"
#include "stom/trade.h"
#include "test_support.h"

#define DAY 86400
#define TOL 1e-6
/* 2024-01-01 06:30 UTC = 15:30 KST, the close of a Monday. */
#define T0 INT64_C(1704090600)

static stom_metrics_input input_of(size_t n, const int64_t *ts, const int64_t *equity)
{
    stom_metrics_input in = {
        .n = n,
        .ts = ts,
        .equity = equity,
        .initial_cash = 1000000,
        .utc_offset_minutes = 540,
        .trading_days_per_year = 252,
        .stom_cagr_days_per_year = 250,
    };
    return in;
}

static stom_trade trade_of(int64_t entry_value, int64_t pnl, int64_t entry_ts, int64_t exit_ts)
{
    stom_trade t = {.side = 1, .qty = 1, .entry_value = entry_value, .pnl = pnl};
    t.entry_ts = entry_ts;
    t.exit_ts = exit_ts;
    t.exit_value = entry_value + pnl;
    return t;
}

/*
 * The worked example: five daily closes (Mon 2024-01-01 .. Fri 01-05, KST)
 * and four trades whose pnl adds up to the net profit.
 *
 *   equity     1,010,000  990,000  1,000,000  1,020,000  1,017,000
 *   positions          1        2          1          0          1
 *   daily r       +1.0%  -1.9802%   +1.0101%     +2.0%   -0.2941%
 *   (the first day from initial cash, then close to close)
 *
 * Trades in exit order: pnl / entry value = %, holding days
 *   T1  -8,000 / 400,000 = -2%  0.5 d   loss
 *   T2 +15,000 / 500,000 = +3%  1.0 d   win
 *   T3 +12,000 / 300,000 = +4%  2.0 d   win
 *   T4  -2,000 / 200,000 = -1%  1.5 d   loss
 */
static const int64_t week_ts[] = {T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY};
static const int64_t week_equity[] = {1010000, 990000, 1000000, 1020000, 1017000};
static const int32_t week_positions[] = {1, 2, 1, 0, 1};

static stom_metrics week_metrics(void)
{
    static stom_trade trades[4];
    trades[0] = trade_of(400000, -8000, T0, T0 + DAY / 2);
    trades[1] = trade_of(500000, 15000, T0, T0 + DAY);
    trades[2] = trade_of(300000, 12000, T0 + DAY, T0 + 3 * DAY);
    trades[3] = trade_of(200000, -2000, T0 + 2 * DAY + DAY / 2, T0 + 4 * DAY);
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    in.positions = week_positions;
    in.trades = trades;
    in.n_trades = 4;
    in.fees_total = 3000;
    in.taxes_total = 1500;
    in.buy_hold_return_pct = 2.5;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    return m;
}

START_TEST(a_week_of_daily_closes_gives_the_hand_computed_returns)
{
    stom_metrics m = week_metrics();
    ck_assert_int_eq(m.start_ts, T0);
    ck_assert_int_eq(m.end_ts, T0 + 4 * DAY);
    ck_assert_double_eq_tol(m.duration_days, 4.0, TOL);
    ck_assert_int_eq(m.calendar_days, 5); /* 01-01 .. 01-05 inclusive */
    ck_assert_uint_eq(m.trading_days, 5);
    ck_assert_int_eq(m.final_equity, 1017000);
    ck_assert_int_eq(m.peak_equity, 1020000);
    ck_assert_int_eq(m.net_profit, 17000);
    ck_assert_double_eq_tol(m.total_return_pct, 1.7, TOL);
    /* 1.017^(365.25/5) - 1 */
    ck_assert_double_eq_tol(m.cagr_pct, 242.60651007861972, TOL);
    /* STOM: 1.7% / 5 days * 250 */
    ck_assert_double_eq_tol(m.stom_cagr_pct, 85.0, TOL);
    /* The daily returns compound to 1.017 over 5 days: 1.017^(252/5) - 1. */
    ck_assert_double_eq_tol(m.annual_return_pct, 133.87081403549058, TOL);
    /* mean r 0.00347157, sample stddev 0.01535041; * sqrt(252) */
    ck_assert_double_eq_tol(m.annual_volatility_pct, 24.368020171528837, TOL);
    ck_assert_double_eq_tol(m.sharpe, 3.590098033549771, TOL);
    /* downside deviation sqrt((0.0198020^2 + 0.0029412^2) / 5) = 0.00895286 */
    ck_assert_double_eq_tol(m.sortino, 6.155513070840144, TOL);
    /* 242.60651 / 1.98019802 */
    ck_assert_double_eq_tol(m.calmar, 122.51628758970296, TOL);
    ck_assert_uint_eq(m.undefined, 0);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(a_week_of_daily_closes_gives_the_hand_computed_drawdowns)
{
    stom_metrics m = week_metrics();
    /* Peak 1,010,000 (day 1) -> trough 990,000 (day 2): 20,000 = 1.980198%. */
    ck_assert_double_eq_tol(m.max_drawdown_pct, 1.9801980198019802, TOL);
    ck_assert_int_eq(m.max_drawdown_amount, 20000);
    ck_assert_int_eq(m.max_drawdown_peak_ts, T0);
    ck_assert_int_eq(m.max_drawdown_trough_ts, T0 + DAY);
    /* Day 1 -> regained on day 4 (3 days); day 4 -> unrecovered at day 5 (1 day). */
    ck_assert_double_eq_tol(m.max_drawdown_duration_days, 3.0, TOL);
    ck_assert_double_eq_tol(m.avg_drawdown_duration_days, 2.0, TOL);
    ck_assert_uint_eq(m.n_drawdown, 5);
    ck_assert_double_eq_tol(m.drawdown_pct[0], 0.0, TOL);
    ck_assert_double_eq_tol(m.drawdown_pct[1], -1.9801980198019802, TOL);
    ck_assert_double_eq_tol(m.drawdown_pct[2], -0.9900990099009901, TOL);
    ck_assert_double_eq_tol(m.drawdown_pct[3], 0.0, TOL);
    ck_assert_double_eq_tol(m.drawdown_pct[4], -0.29411764705882354, TOL); /* 3,000 / 1,020,000 */
    /* Positions > 0 at 4 of 5 points; at most 2 at once. */
    ck_assert_double_eq_tol(m.exposure_pct, 80.0, TOL);
    ck_assert_int_eq(m.max_concurrent_positions, 2);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(four_trades_give_the_hand_computed_trade_statistics)
{
    stom_metrics m = week_metrics();
    ck_assert_uint_eq(m.trades, 4);
    ck_assert_uint_eq(m.wins, 2);
    ck_assert_uint_eq(m.losses, 2);
    ck_assert_double_eq_tol(m.win_rate_pct, 50.0, TOL);
    ck_assert_double_eq_tol(m.best_trade_pct, 4.0, TOL);
    ck_assert_double_eq_tol(m.worst_trade_pct, -2.0, TOL);
    ck_assert_double_eq_tol(m.avg_trade_pct, 1.0, TOL); /* (-2 + 3 + 4 - 1) / 4 */
    ck_assert_double_eq_tol(m.avg_win_pct, 3.5, TOL);
    ck_assert_double_eq_tol(m.avg_loss_pct, -1.5, TOL);
    ck_assert_int_eq(m.avg_win_amount, 13500);
    ck_assert_int_eq(m.avg_loss_amount, -5000);
    ck_assert_double_eq_tol(m.payoff_ratio, 3.5 / 1.5, TOL);
    ck_assert_double_eq_tol(m.profit_factor, 2.7, TOL); /* 27,000 / 10,000 */
    ck_assert_double_eq_tol(m.expectancy, 4250.0, TOL); /* 17,000 / 4 */
    /* R = -2, 3, 4, -1: mean 1, sample stddev sqrt(26/3) = 2.9439203; sqrt(4) * 1 / sd */
    ck_assert_double_eq_tol(m.sqn, 0.6793662204867574, TOL);
    ck_assert_uint_eq(m.max_consecutive_wins, 2); /* L W W L */
    ck_assert_uint_eq(m.max_consecutive_losses, 1);
    ck_assert_double_eq_tol(m.avg_holding_days, 1.25, TOL); /* (0.5 + 1 + 2 + 1.5) / 4 */
    ck_assert_double_eq_tol(m.max_holding_days, 2.0, TOL);
    /* TPI = 0.5 * (1 + 3.5 / 1.5) */
    ck_assert_double_eq_tol(m.tpi, 0.5 * (1.0 + 3.5 / 1.5), TOL);
    ck_assert_double_eq_tol(m.trades_per_day, 0.8, TOL); /* 4 trades / 5 days */
    ck_assert_int_eq(m.fees, 3000);
    ck_assert_int_eq(m.taxes, 1500);
    ck_assert_double_eq_tol(m.buy_hold_return_pct, 2.5, TOL);
    /* One month: 1,017,000 vs 1,000,000. */
    ck_assert_uint_eq(m.n_monthly, 1);
    ck_assert_int_eq(m.monthly[0].year, 2024);
    ck_assert_int_eq(m.monthly[0].month, 1);
    ck_assert_double_eq_tol(m.monthly[0].return_pct, 1.7, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(a_drawdown_ends_at_the_first_point_back_at_the_peak)
{
    /* 1.0M (day 0) -> 0.9M -> 0.95M -> 1.0M (day 3, recovered) -> 1.1M */
    static const int64_t ts[] = {T0, T0 + DAY, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY};
    static const int64_t equity[] = {1000000, 900000, 950000, 1000000, 1100000};
    stom_metrics_input in = input_of(5, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.max_drawdown_pct, 10.0, TOL);
    ck_assert_int_eq(m.max_drawdown_amount, 100000);
    ck_assert_int_eq(m.max_drawdown_peak_ts, T0);
    ck_assert_int_eq(m.max_drawdown_trough_ts, T0 + DAY);
    ck_assert_double_eq_tol(m.max_drawdown_duration_days, 3.0, TOL);
    ck_assert_double_eq_tol(m.avg_drawdown_duration_days, 3.0, TOL);
    ck_assert_double_eq_tol(m.drawdown_pct[4], 0.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(an_unrecovered_drawdown_lasts_until_the_end)
{
    /* Peak 1.2M on day 1, never regained; the series ends on day 6: 5 days. */
    static const int64_t ts[] = {T0, T0 + DAY, T0 + 3 * DAY, T0 + 6 * DAY};
    static const int64_t equity[] = {1100000, 1200000, 900000, 1150000};
    stom_metrics_input in = input_of(4, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.max_drawdown_pct, 25.0, TOL); /* 300,000 / 1,200,000 */
    ck_assert_int_eq(m.max_drawdown_peak_ts, T0 + DAY);
    ck_assert_int_eq(m.max_drawdown_trough_ts, T0 + 3 * DAY);
    ck_assert_double_eq_tol(m.max_drawdown_duration_days, 5.0, TOL);
    ck_assert_double_eq_tol(m.avg_drawdown_duration_days, 5.0, TOL);
    /* Calmar = CAGR / MDD%, CAGR over the 7 calendar days. */
    ck_assert_double_eq_tol(m.calmar, m.cagr_pct / 25.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(initial_cash_is_the_first_peak_and_cash_and_percent_maxima_are_separate)
{
    /* 1.0M (virtual opening) -> 0.9M: 10% / 100,000, from start_ts.
     * 3.0M -> 2.8M: 6.67% / 200,000: the larger amount, the smaller percent. */
    static const int64_t ts[] = {T0, T0 + DAY, T0 + 2 * DAY};
    static const int64_t equity[] = {900000, 3000000, 2800000};
    stom_metrics_input in = input_of(3, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.drawdown_pct[0], -10.0, TOL);
    ck_assert_double_eq_tol(m.max_drawdown_pct, 10.0, TOL);
    ck_assert_int_eq(m.max_drawdown_peak_ts, T0);
    ck_assert_int_eq(m.max_drawdown_trough_ts, T0);
    ck_assert_int_eq(m.max_drawdown_amount, 200000);
    ck_assert_int_eq(m.peak_equity, 3000000);
    /* Periods: start -> day 1 (1 day), day 1 -> end (1 day, unrecovered). */
    ck_assert_double_eq_tol(m.max_drawdown_duration_days, 1.0, TOL);
    ck_assert_double_eq_tol(m.avg_drawdown_duration_days, 1.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(the_monthly_table_crosses_the_year_boundary_on_the_kst_calendar)
{
    /* 2023-11-30, 2023-12-29, 2023-12-31 16:00 UTC (= 2024-01-01 01:00 KST),
     * 2024-01-31, 2024-03-04: no point in February, so no February row. */
    static const int64_t ts[] = {1701324000, 1703829600, 1704038400, 1706680800, 1709532000};
    static const int64_t equity[] = {1020000, 1050000, 1000000, 1071000, 1050000};
    stom_metrics_input in = input_of(5, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_uint_eq(m.n_monthly, 4);
    ck_assert_int_eq(m.monthly[0].year, 2023);
    ck_assert_int_eq(m.monthly[0].month, 11);
    ck_assert_double_eq_tol(m.monthly[0].return_pct, 2.0, TOL); /* vs initial cash */
    ck_assert_int_eq(m.monthly[1].month, 12);
    ck_assert_double_eq_tol(m.monthly[1].return_pct, 2.941176470588232, TOL); /* 1.05M/1.02M */
    ck_assert_int_eq(m.monthly[2].year, 2024);
    ck_assert_int_eq(m.monthly[2].month, 1);
    ck_assert_double_eq_tol(m.monthly[2].return_pct, 2.0, TOL); /* 1.071M / 1.05M */
    ck_assert_int_eq(m.monthly[3].month, 3);
    ck_assert_double_eq_tol(m.monthly[3].return_pct, -1.9607843137254974, TOL); /* spans Feb */
    ck_assert_int_eq(m.calendar_days, 96); /* 2023-11-30 .. 2024-03-04 inclusive */
    stom_metrics_free(&m);
}
END_TEST

/*
 * Intraday points, KST closes: day A 1,050,000 / 980,000 / 1,010,000;
 * day B (the first point is 23:00 UTC of day A = 08:00 KST of day B)
 * 1,100,000 / 990,000; day C 1,000,000 / 1,020,000.
 */
static const int64_t intraday_ts[] = {1704153600, 1704164400, 1704176400, 1704236400,
                                      1704262800, 1704326400, 1704349200};
static const int64_t intraday_equity[] = {1050000, 980000,  1010000, 1100000,
                                          990000,  1000000, 1020000};

START_TEST(intraday_points_are_resampled_to_the_last_point_of_each_kst_day)
{
    stom_trade trades[6];
    for (int i = 0; i < 6; i++)
        trades[i] = trade_of(100000, 1000, intraday_ts[0], intraday_ts[6]);
    stom_metrics_input in = input_of(7, intraday_ts, intraday_equity);
    in.trades = trades;
    in.n_trades = 6;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_uint_eq(m.trading_days, 3);
    ck_assert_double_eq_tol(m.trades_per_day, 2.0, TOL);
    /* Daily r = +1%, -1.980198%, +3.030303%: mean 0.00683368, sd 0.02520213. */
    ck_assert_double_eq_tol(m.annual_volatility_pct, 40.00713585122152, TOL);
    ck_assert_double_eq_tol(m.sharpe, 4.304452623714376, TOL);
    ck_assert_double_eq_tol(m.sortino, 9.48870900716157, TOL);
    ck_assert_double_eq_tol(m.annual_return_pct, 427.73321366820005, 1e-5); /* 1.02^84 - 1 */
    /* Drawdown sees every point: 1,100,000 -> 990,000 intraday is 10%. */
    ck_assert_double_eq_tol(m.max_drawdown_pct, 10.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(the_day_boundary_follows_the_utc_offset)
{
    /* At UTC the 23:00 point closes day A: closes 1.1M, 0.99M, 1.02M. */
    stom_metrics_input in = input_of(7, intraday_ts, intraday_equity);
    in.utc_offset_minutes = 0;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_uint_eq(m.trading_days, 3);
    ck_assert_double_eq_tol(m.sharpe, 1.5794943794779734, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(a_single_point_has_one_day_and_no_variance)
{
    static const int64_t ts[] = {T0};
    static const int64_t equity[] = {1001000};
    stom_metrics_input in = input_of(1, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.duration_days, 0.0, TOL);
    ck_assert_int_eq(m.calendar_days, 1);
    ck_assert_uint_eq(m.trading_days, 1);
    ck_assert_double_eq_tol(m.total_return_pct, 0.1, TOL);
    ck_assert_double_eq_tol(m.stom_cagr_pct, 25.0, TOL);         /* 0.1% / 1 day * 250 */
    ck_assert_double_eq_tol(m.cagr_pct, 44.06112413130268, TOL); /* 1.001^365.25 - 1 */
    ck_assert_double_eq_tol(m.annual_volatility_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.sharpe, 0.0, TOL);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_VOLATILITY);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_SHARPE);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_SORTINO);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_CALMAR); /* no drawdown */
    ck_assert_uint_eq(m.n_drawdown, 1);
    ck_assert_double_eq_tol(m.drawdown_pct[0], 0.0, TOL);
    ck_assert_uint_eq(m.n_monthly, 1);
    ck_assert_double_eq_tol(m.max_drawdown_duration_days, 0.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(no_trades_leave_trade_metrics_zero_and_trade_ratios_undefined)
{
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_uint_eq(m.trades, 0);
    ck_assert_double_eq_tol(m.win_rate_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.avg_trade_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.expectancy, 0.0, TOL);
    ck_assert_double_eq_tol(m.trades_per_day, 0.0, TOL);
    ck_assert_double_eq_tol(m.profit_factor, 0.0, TOL);
    uint32_t trade_bits = STOM_METRIC_UNDEF_PAYOFF | STOM_METRIC_UNDEF_PROFIT_FACTOR |
                          STOM_METRIC_UNDEF_SQN | STOM_METRIC_UNDEF_TPI;
    ck_assert_uint_eq(m.undefined & trade_bits, trade_bits);
    /* No positions array: exposure is unknown, not 0%. */
    ck_assert(m.undefined & STOM_METRIC_UNDEF_EXPOSURE);
    ck_assert_int_eq(m.max_concurrent_positions, 0);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(all_winning_trades_leave_loss_based_ratios_undefined)
{
    stom_trade trades[3] = {trade_of(100000, 1000, T0, T0), trade_of(100000, 2000, T0, T0),
                            trade_of(100000, 3000, T0, T0)};
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    in.trades = trades;
    in.n_trades = 3;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.win_rate_pct, 100.0, TOL);
    ck_assert_uint_eq(m.losses, 0);
    ck_assert_uint_eq(m.max_consecutive_wins, 3);
    ck_assert_uint_eq(m.max_consecutive_losses, 0);
    ck_assert_double_eq_tol(m.avg_loss_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.profit_factor, 0.0, TOL);
    ck_assert_double_eq_tol(m.tpi, 0.0, TOL);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_PROFIT_FACTOR);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_PAYOFF);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_TPI);
    /* R = 1, 2, 3 %: sqrt(3) * 2 / 1 */
    ck_assert_double_eq_tol(m.sqn, 2.0 * sqrt(3.0), TOL);
    ck_assert(!(m.undefined & STOM_METRIC_UNDEF_SQN));
    stom_metrics_free(&m);
}
END_TEST

START_TEST(all_losing_trades_have_a_defined_profit_factor_and_tpi_of_zero)
{
    stom_trade trades[3] = {trade_of(100000, -1000, T0, T0), trade_of(100000, -2000, T0, T0),
                            trade_of(100000, -3000, T0, T0)};
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    in.trades = trades;
    in.n_trades = 3;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.win_rate_pct, 0.0, TOL);
    ck_assert_uint_eq(m.max_consecutive_losses, 3);
    ck_assert_double_eq_tol(m.avg_loss_pct, -2.0, TOL);
    ck_assert_int_eq(m.avg_loss_amount, -2000);
    ck_assert_double_eq_tol(m.profit_factor, 0.0, TOL);
    ck_assert_double_eq_tol(m.payoff_ratio, 0.0, TOL);
    ck_assert_double_eq_tol(m.tpi, 0.0, TOL);
    uint32_t bits = STOM_METRIC_UNDEF_PAYOFF | STOM_METRIC_UNDEF_PROFIT_FACTOR |
                    STOM_METRIC_UNDEF_TPI | STOM_METRIC_UNDEF_SQN;
    ck_assert_uint_eq(m.undefined & bits, 0);
    ck_assert_double_eq_tol(m.sqn, -2.0 * sqrt(3.0), TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(a_zero_pnl_trade_counts_as_a_loss)
{
    stom_trade trades[2] = {trade_of(100000, 5000, T0, T0), trade_of(100000, 0, T0, T0)};
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    in.trades = trades;
    in.n_trades = 2;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_uint_eq(m.wins, 1);
    ck_assert_uint_eq(m.losses, 1);
    ck_assert_double_eq_tol(m.win_rate_pct, 50.0, TOL);
    /* The only loss is 0%: payoff and TPI have no value, profit factor neither. */
    ck_assert(m.undefined & STOM_METRIC_UNDEF_PAYOFF);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_TPI);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_PROFIT_FACTOR);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(average_cash_amounts_round_half_away_from_zero)
{
    stom_trade trades[4] = {trade_of(100000, 1, T0, T0), trade_of(100000, 2, T0, T0),
                            trade_of(100000, -1, T0, T0), trade_of(100000, -2, T0, T0)};
    stom_metrics_input in = input_of(5, week_ts, week_equity);
    in.trades = trades;
    in.n_trades = 4;
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_int_eq(m.avg_win_amount, 2);   /* 1.5 */
    ck_assert_int_eq(m.avg_loss_amount, -2); /* -1.5 */
    ck_assert_double_eq_tol(m.expectancy, 0.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(constant_equity_has_zero_volatility_and_undefined_risk_ratios)
{
    static const int64_t equity[] = {1000000, 1000000, 1000000, 1000000, 1000000};
    stom_metrics_input in = input_of(5, week_ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.annual_volatility_pct, 0.0, TOL);
    ck_assert(!(m.undefined & STOM_METRIC_UNDEF_VOLATILITY));
    ck_assert_double_eq_tol(m.annual_return_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.cagr_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.max_drawdown_pct, 0.0, TOL);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_SHARPE);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_SORTINO);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_CALMAR);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(equal_daily_returns_differing_only_by_rounding_are_no_variance)
{
    /* +10% every day; r as doubles differ in the 16th digit. */
    static const int64_t equity[] = {1100000, 1210000, 1331000, 1464100, 1610510};
    stom_metrics_input in = input_of(5, week_ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.annual_volatility_pct, 0.0, TOL);
    ck_assert_double_eq_tol(m.sharpe, 0.0, TOL);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_SHARPE);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(wiped_out_equity_is_a_loss_of_one_hundred_percent)
{
    static const int64_t ts[] = {T0, T0 + DAY};
    static const int64_t equity[] = {500000, 0};
    stom_metrics_input in = input_of(2, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.total_return_pct, -100.0, TOL);
    ck_assert_double_eq_tol(m.cagr_pct, -100.0, TOL);
    ck_assert_double_eq_tol(m.annual_return_pct, -100.0, TOL);
    ck_assert_double_eq_tol(m.max_drawdown_pct, 100.0, TOL);
    ck_assert_int_eq(m.max_drawdown_amount, 1000000);
    ck_assert_double_eq_tol(m.calmar, -1.0, TOL);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(an_annualized_value_too_large_for_a_double_is_undefined)
{
    /* x10 in one day: 10^365.25 overflows; 10^252 does not. */
    static const int64_t ts[] = {T0};
    static const int64_t equity[] = {10000000};
    stom_metrics_input in = input_of(1, ts, equity);
    stom_metrics m;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), 0);
    ck_assert_double_eq_tol(m.cagr_pct, 0.0, TOL);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_CAGR);
    ck_assert(m.undefined & STOM_METRIC_UNDEF_CALMAR);
    ck_assert(isfinite(m.annual_return_pct) && m.annual_return_pct > 1e250);
    ck_assert_double_eq_tol(m.stom_cagr_pct, 225000.0, TOL); /* 900% / 1 * 250 */
    stom_metrics_free(&m);
}
END_TEST

START_TEST(invalid_input_is_refused_with_einval_and_a_zeroed_output)
{
    static const int64_t ts[] = {T0, T0 + DAY};
    static const int64_t back[] = {T0 + DAY, T0};
    static const int64_t equity[] = {1000000, 1000000};
    stom_trade bad = trade_of(100000, 0, T0 + DAY, T0);
    stom_metrics m;
    stom_metrics_input in = input_of(0, ts, equity);
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    ck_assert_ptr_null(m.drawdown_pct);
    ck_assert_uint_eq(m.n_monthly, 0);
    in = input_of(2, ts, equity);
    in.initial_cash = 0;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in.initial_cash = -5;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, NULL, equity);
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, ts, NULL);
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, back, equity);
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, ts, equity);
    in.n_trades = 1;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in.trades = &bad;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, ts, equity);
    in.trading_days_per_year = 0;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, ts, equity);
    in.stom_cagr_days_per_year = -1;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    in = input_of(2, ts, equity);
    in.utc_offset_minutes = 1440;
    ck_assert_int_eq(stom_metrics_compute(&in, &m), STOM_EINVAL);
    ck_assert_int_eq(stom_metrics_compute(NULL, &m), STOM_EINVAL);
    ck_assert_int_eq(stom_metrics_compute(&in, NULL), STOM_EINVAL);
}
END_TEST

START_TEST(free_accepts_null_and_a_second_call)
{
    stom_metrics_free(NULL);
    stom_metrics m = week_metrics();
    stom_metrics_free(&m);
    ck_assert_ptr_null(m.monthly);
    ck_assert_ptr_null(m.drawdown_pct);
    stom_metrics_free(&m);
}
END_TEST

START_TEST(trade_return_is_net_pnl_over_entry_value_in_percent)
{
    stom_trade t = trade_of(500000, 15000, T0, T0);
    ck_assert_double_eq_tol(stom_trade_return_pct(&t), 3.0, TOL);
    /* A short: received 200,000 at entry, bought back for 190,000, net 9,500. */
    stom_trade s = {
        .side = -1, .qty = 10, .entry_value = 200000, .exit_value = 190000, .pnl = 9500};
    ck_assert_double_eq_tol(stom_trade_return_pct(&s), 4.75, TOL);
    stom_trade empty = trade_of(0, 100, T0, T0);
    ck_assert_double_eq_tol(stom_trade_return_pct(&empty), 0.0, TOL);
}
END_TEST

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *worked = tcase_create("worked example");
    tcase_add_test(worked, a_week_of_daily_closes_gives_the_hand_computed_returns);
    tcase_add_test(worked, a_week_of_daily_closes_gives_the_hand_computed_drawdowns);
    tcase_add_test(worked, four_trades_give_the_hand_computed_trade_statistics);
    tcase_add_test(worked, trade_return_is_net_pnl_over_entry_value_in_percent);
    suite_add_tcase(s, worked);
    TCase *series = tcase_create("series");
    tcase_add_test(series, a_drawdown_ends_at_the_first_point_back_at_the_peak);
    tcase_add_test(series, an_unrecovered_drawdown_lasts_until_the_end);
    tcase_add_test(series, initial_cash_is_the_first_peak_and_cash_and_percent_maxima_are_separate);
    tcase_add_test(series, the_monthly_table_crosses_the_year_boundary_on_the_kst_calendar);
    tcase_add_test(series, intraday_points_are_resampled_to_the_last_point_of_each_kst_day);
    tcase_add_test(series, the_day_boundary_follows_the_utc_offset);
    suite_add_tcase(s, series);
    TCase *edges = tcase_create("edge cases");
    tcase_add_test(edges, a_single_point_has_one_day_and_no_variance);
    tcase_add_test(edges, no_trades_leave_trade_metrics_zero_and_trade_ratios_undefined);
    tcase_add_test(edges, all_winning_trades_leave_loss_based_ratios_undefined);
    tcase_add_test(edges, all_losing_trades_have_a_defined_profit_factor_and_tpi_of_zero);
    tcase_add_test(edges, a_zero_pnl_trade_counts_as_a_loss);
    tcase_add_test(edges, average_cash_amounts_round_half_away_from_zero);
    tcase_add_test(edges, constant_equity_has_zero_volatility_and_undefined_risk_ratios);
    tcase_add_test(edges, equal_daily_returns_differing_only_by_rounding_are_no_variance);
    tcase_add_test(edges, wiped_out_equity_is_a_loss_of_one_hundred_percent);
    tcase_add_test(edges, an_annualized_value_too_large_for_a_double_is_undefined);
    tcase_add_test(edges, invalid_input_is_refused_with_einval_and_a_zeroed_output);
    tcase_add_test(edges, free_accepts_null_and_a_second_call);
    suite_add_tcase(s, edges);
    return s;
}

int main(void)
{
    Suite *s = metrics_suite();
    return stom_test_run(s);
}
