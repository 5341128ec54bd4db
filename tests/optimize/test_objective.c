/*
 * test_objective.c - objectives (objective.c) and constraint windows
 * (constraint.c) on figures worked out by hand in the comments.
 */
#include <math.h>
#include <string.h>

#include "stom/optimize.h"
#include "test_support.h"

#define TOL 1e-9

/* A winning run: TG 500,000 won, TP 12 %, MDD 100,000 won / 5 %, AP 1.5 %, WR 60 %. */
static stom_opt_stats winner(void)
{
    stom_opt_stats st = {
        .tg = 500000,
        .tp = 12,
        .cagr = 30,
        .mdd_pct = 5,
        .mdd_amount = 100000,
        .avg_trade_pct = 1.5,
        .win_rate_pct = 60,
        .trades_per_day = 0.5,
        .tpi = 1.2,
        .max_positions = 3,
        .sharpe = 1.8,
        .sortino = 2.5,
        .sqn = 2.1,
        .return_pct = 50,
        .trades = 8,
    };
    return st;
}

/* A losing run: TG -200,000, TP -6 %, MDD 250,000 / 8 %, AP -0.75 %, WR 30 %. */
static stom_opt_stats loser(void)
{
    stom_opt_stats st = {
        .tg = -200000,
        .tp = -6,
        .cagr = -10,
        .mdd_pct = 8,
        .mdd_amount = 250000,
        .avg_trade_pct = -0.75,
        .win_rate_pct = 30,
        .sharpe = -0.5,
        .sortino = -0.7,
        .sqn = -1.1,
        .return_pct = -20,
        .trades = 8,
    };
    return st;
}

static double value(const char *name, const stom_opt_stats *st)
{
    stom_objective o;
    ck_assert_int_eq(stom_objective_parse(name, &o, NULL), STOM_OK);
    return stom_objective_value(o, st);
}

START_TEST(each_objective_of_a_winning_run)
{
    stom_opt_stats st = winner();
    ck_assert_double_eq_tol(value("TG", &st), 500000, TOL);
    ck_assert_double_eq_tol(value("TP", &st), 12, TOL);
    ck_assert_double_eq_tol(value("CAGR", &st), 30, TOL);
    ck_assert_double_eq_tol(value("GM", &st), 5, TOL);        /* 500000 / 100000 */
    ck_assert_double_eq_tol(value("PM", &st), 2.4, TOL);      /* 12 / 5 */
    ck_assert_double_eq_tol(value("G2M", &st), 2500000, TOL); /* 500000^2 / 100000 */
    ck_assert_double_eq_tol(value("P2M", &st), 28.8, TOL);    /* 144 / 5 */
    ck_assert_double_eq_tol(value("GAM", &st), 7.5, TOL);     /* 500000 * 1.5 / 100000 */
    ck_assert_double_eq_tol(value("PAM", &st), 3.6, TOL);     /* 12 * 1.5 / 5 */
    ck_assert_double_eq_tol(value("GWM", &st), 3, TOL);       /* 5 * 0.6 */
    ck_assert_double_eq_tol(value("PWM", &st), 1.44, TOL);    /* 2.4 * 0.6 */
    ck_assert_double_eq_tol(value("sharpe", &st), 1.8, TOL);
    ck_assert_double_eq_tol(value("sortino", &st), 2.5, TOL);
    ck_assert_double_eq_tol(value("sqn", &st), 2.1, TOL);
    ck_assert_double_eq_tol(value("return", &st), 50, TOL);
}
END_TEST

START_TEST(each_objective_of_a_losing_run_keeps_the_sign_of_its_loss)
{
    stom_opt_stats st = loser();
    ck_assert_double_eq_tol(value("GM", &st), -0.8, TOL);     /* -200000 / 250000 */
    ck_assert_double_eq_tol(value("PM", &st), -0.75, TOL);    /* -6 / 8 */
    ck_assert_double_eq_tol(value("G2M", &st), -160000, TOL); /* -200000 * 200000 / 250000 */
    ck_assert_double_eq_tol(value("P2M", &st), -4.5, TOL);    /* -6 * 6 / 8 */
    ck_assert_double_eq_tol(value("GAM", &st), -0.6, TOL);    /* -200000 * 0.75 / 250000 */
    ck_assert_double_eq_tol(value("PAM", &st), -0.5625, TOL); /* -6 * 0.75 / 8 */
    ck_assert_double_eq_tol(value("GWM", &st), -0.24, TOL);   /* -0.8 * 0.3 */
    ck_assert_double_eq_tol(value("PWM", &st), -0.225, TOL);  /* -0.75 * 0.3 */
}
END_TEST

START_TEST(a_losing_run_never_outscores_a_winning_one)
{
    stom_opt_stats win = winner(), lose = loser();
    /* Even a small winner with a deep drawdown against a loser whose AP and
     * WR look good. */
    win.tg = 1000;
    win.tp = 0.1;
    win.mdd_amount = 900000;
    win.mdd_pct = 60;
    win.avg_trade_pct = 0.01;
    win.win_rate_pct = 10;
    lose.avg_trade_pct = 5;
    lose.win_rate_pct = 90;
    for (int o = STOM_OBJ_TG; o <= STOM_OBJ_PWM; o++)
        ck_assert_msg(stom_objective_value((stom_objective)o, &win) >
                          stom_objective_value((stom_objective)o, &lose),
                      "%s", stom_objective_name((stom_objective)o));
}
END_TEST

START_TEST(a_zero_drawdown_uses_the_floors)
{
    stom_opt_stats st = winner();
    st.mdd_amount = 0;
    st.mdd_pct = 0;
    ck_assert_double_eq_tol(value("GM", &st), 500000, TOL); /* / 1 won */
    ck_assert_double_eq_tol(value("PM", &st), 1200, TOL);   /* / 0.01 % */
    ck_assert_double_eq_tol(value("PWM", &st), 720, TOL);   /* 1200 * 0.6 */
    st.mdd_amount = 0.4;
    st.mdd_pct = 0.004;
    ck_assert_double_eq_tol(value("GM", &st), 500000, TOL);
    ck_assert_double_eq_tol(value("PM", &st), 1200, TOL);
}
END_TEST

START_TEST(a_run_without_trades_scores_minus_infinity_on_every_objective)
{
    stom_opt_stats st = winner();
    st.trades = 0;
    for (int o = 0; o < STOM_OBJ_COUNT; o++)
        ck_assert(stom_objective_value((stom_objective)o, &st) == -INFINITY);
}
END_TEST

START_TEST(a_nan_figure_scores_minus_infinity)
{
    stom_opt_stats st = winner();
    st.tg = NAN;
    ck_assert(value("GM", &st) == -INFINITY);
    ck_assert(value("TG", &st) == -INFINITY);
    ck_assert_double_eq_tol(value("TP", &st), 12, TOL);
}
END_TEST

START_TEST(stats_are_read_from_metrics_and_trades)
{
    stom_metrics m;
    memset(&m, 0, sizeof m);
    m.net_profit = 35000;
    m.stom_cagr_pct = 12.5;
    m.max_drawdown_pct = 4;
    m.max_drawdown_amount = 20000;
    m.avg_trade_pct = 1.25;
    m.win_rate_pct = 50;
    m.trades_per_day = 0.2;
    m.tpi = 0.9;
    m.max_concurrent_positions = 2;
    m.sharpe = 1.1;
    m.sortino = 0; /* undefined: no losing day */
    m.sqn = 0.7;
    m.total_return_pct = 3.5;
    m.undefined = STOM_METRIC_UNDEF_SORTINO;
    /* Returns 10 %, -2.5 % and 0 % (no entry value): TP = 7.5. */
    stom_trade t[3] = {{.entry_value = 100000, .pnl = 10000},
                       {.entry_value = 200000, .pnl = -5000},
                       {.entry_value = 0, .pnl = 100}};
    stom_opt_stats st;
    stom_opt_stats_from(&st, &m, t, 3);
    ck_assert_double_eq_tol(st.tg, 35000, TOL);
    ck_assert_double_eq_tol(st.tp, 7.5, TOL);
    ck_assert_double_eq_tol(st.cagr, 12.5, TOL);
    ck_assert_double_eq_tol(st.mdd_pct, 4, TOL);
    ck_assert_double_eq_tol(st.mdd_amount, 20000, TOL);
    ck_assert_double_eq_tol(st.avg_trade_pct, 1.25, TOL);
    ck_assert_double_eq_tol(st.win_rate_pct, 50, TOL);
    ck_assert_double_eq_tol(st.trades_per_day, 0.2, TOL);
    ck_assert_double_eq_tol(st.tpi, 0.9, TOL);
    ck_assert_double_eq_tol(st.max_positions, 2, TOL);
    ck_assert_double_eq_tol(st.sharpe, 1.1, TOL);
    ck_assert(st.sortino == -INFINITY);
    ck_assert_double_eq_tol(st.sqn, 0.7, TOL);
    ck_assert_double_eq_tol(st.return_pct, 3.5, TOL);
    ck_assert_uint_eq(st.trades, 3);
    ck_assert(value("sortino", &st) == -INFINITY);
    ck_assert_double_eq_tol(value("PM", &st), 1.875, TOL); /* 7.5 / 4 */
}
END_TEST

START_TEST(objective_names_parse_in_any_case_and_unknown_ones_list_the_valid)
{
    stom_objective o;
    ck_assert_int_eq(stom_objective_parse("gm", &o, NULL), STOM_OK);
    ck_assert_int_eq(o, STOM_OBJ_GM);
    ck_assert_int_eq(stom_objective_parse("Sharpe", &o, NULL), STOM_OK);
    ck_assert_int_eq(o, STOM_OBJ_SHARPE);
    ck_assert_int_eq(stom_objective_parse("RETURN", &o, NULL), STOM_OK);
    ck_assert_int_eq(o, STOM_OBJ_RETURN);
    for (int i = 0; i < STOM_OBJ_COUNT; i++) {
        ck_assert_int_eq(stom_objective_parse(stom_objective_name((stom_objective)i), &o, NULL),
                         STOM_OK);
        ck_assert_int_eq(o, i);
    }
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_objective_parse("G3M", &o, &eb), STOM_ENOTFOUND);
    ck_assert_str_eq(eb.msg, "unknown objective 'G3M' (valid: TG, TP, CAGR, GM, PM, G2M, P2M, "
                             "GAM, PAM, GWM, PWM, sharpe, sortino, sqn, return)");
    ck_assert_str_eq(stom_objective_name(STOM_OBJ_COUNT), "?");
}
END_TEST

static stom_constraint con(const char *text)
{
    stom_constraint c;
    stom_errbuf eb = {{0}};
    int rc = stom_constraint_parse(text, &c, &eb);
    ck_assert_msg(rc == STOM_OK, "%s", eb.msg);
    return c;
}

START_TEST(constraints_parse_every_operator_and_window)
{
    stom_constraint c = con("mdd<=10");
    ck_assert_int_eq(c.metric, STOM_CON_MDD);
    ck_assert(c.has_max && !c.has_min);
    ck_assert_double_eq(c.max, 10);
    ck_assert_str_eq(c.text, "mdd<=10");
    c = con("  WR >= 50 ");
    ck_assert_int_eq(c.metric, STOM_CON_WIN_RATE);
    ck_assert(c.has_min && !c.has_max);
    ck_assert_double_eq(c.min, 50);
    ck_assert_str_eq(c.text, "WR >= 50");
    c = con("atc<3");
    ck_assert_int_eq(c.metric, STOM_CON_TRADES_PER_DAY);
    ck_assert(c.has_max);
    ck_assert_double_eq(c.max, 3);
    c = con("tc>20");
    ck_assert_int_eq(c.metric, STOM_CON_TRADES);
    ck_assert(c.has_min);
    ck_assert_double_eq(c.min, 20);
    c = con("mdd = 2 : 10");
    ck_assert(c.has_min && c.has_max);
    ck_assert_double_eq(c.min, 2);
    ck_assert_double_eq(c.max, 10);
    c = con("win_rate=40:");
    ck_assert(c.has_min && !c.has_max);
    c = con("max_positions=:5");
    ck_assert_int_eq(c.metric, STOM_CON_MAX_POSITIONS);
    ck_assert(!c.has_min && c.has_max);
    ck_assert_int_eq(con("ap>=-0.5").metric, STOM_CON_AVG_RETURN);
    ck_assert_double_eq(con("avg_return>=-0.5").min, -0.5);
    ck_assert_int_eq(con("cagr>=10").metric, STOM_CON_CAGR);
    ck_assert_int_eq(con("tpi>=1").metric, STOM_CON_TPI);
    ck_assert_int_eq(con("mh<=2").metric, STOM_CON_MAX_POSITIONS);
    ck_assert_int_eq(con("trades_per_day<=4").metric, STOM_CON_TRADES_PER_DAY);
    ck_assert_int_eq(con("trades>=30").metric, STOM_CON_TRADES);
}
END_TEST

static void bad(const char *text, const char *msg)
{
    stom_constraint c;
    stom_errbuf eb = {{0}};
    ck_assert_int_eq(stom_constraint_parse(text, &c, &eb), STOM_EINVAL);
    ck_assert_str_eq(eb.msg, msg);
}

START_TEST(bad_constraints_are_refused_with_the_text)
{
    bad("dd<=10", "constraint 'dd<=10': unknown metric 'dd' (valid: mdd, wr|win_rate, "
                  "atc|trades_per_day, ap|avg_return, cagr, tpi, mh|max_positions, tc|trades)");
    bad("mdd 10", "constraint 'mdd 10': expected <=, >=, <, > or = after the metric");
    bad("mdd<=", "constraint 'mdd<=': expected a number after <=");
    bad("mdd<=abc", "constraint 'mdd<=abc': expected a number after <=");
    bad("mdd<=inf", "constraint 'mdd<=inf': expected a finite number after <=");
    bad("mdd=5", "constraint 'mdd=5': expected a window min:max after =");
    bad("mdd=:", "constraint 'mdd=:': the window has neither a min nor a max");
    bad("mdd=10:2", "constraint 'mdd=10:2': the window's min 10 is above its max 2");
    bad("mdd<=10 wr", "constraint 'mdd<=10 wr': unexpected 'wr' after the bound");
    bad("mdd<=10000000000000000000000000000000000000000000000000000000000000",
        "constraint 'mdd<=10000000000000000000000000000000000...' is longer than 63 "
        "characters");
}
END_TEST

START_TEST(checks_count_the_violated_constraints_with_inclusive_bounds)
{
    stom_opt_stats st = winner(); /* MDD 5 %, WR 60 %, ATC 0.5, MH 3, 8 trades */
    stom_constraint c[] = {con("mdd<=5"), con("wr>60"),    con("atc=0.5:1"), con("mh<3"),
                           con("tc>=10"), con("cagr=:20"), con("tpi>=1"),    con("ap=1:2")};
    size_t violated[8];
    /* wr>60 with WR 60 and mh<3 with MH 3 hold: strict bounds are inclusive. */
    ck_assert_uint_eq(stom_constraints_check(c, 4, &st, violated, 8), 0);
    ck_assert_uint_eq(stom_constraints_check(c, 8, &st, violated, 8), 2);
    ck_assert_uint_eq(violated[0], 4); /* 8 trades, not >= 10 */
    ck_assert_uint_eq(violated[1], 5); /* CAGR 30 above 20 */
    violated[1] = 99;
    ck_assert_uint_eq(stom_constraints_check(c, 8, &st, violated, 1), 2);
    ck_assert_uint_eq(violated[1], 99);
    ck_assert_uint_eq(stom_constraints_check(c, 8, &st, NULL, 0), 2);
}
END_TEST

START_TEST(a_nan_figure_violates_its_constraint)
{
    stom_opt_stats st = winner();
    st.tpi = NAN;
    stom_constraint c = con("tpi>=0");
    ck_assert_uint_eq(stom_constraints_check(&c, 1, &st, NULL, 0), 1);
}
END_TEST

START_TEST(a_violated_constraint_makes_the_score_minus_infinity)
{
    stom_opt_stats st = winner();
    stom_constraint ok[] = {con("mdd<=10"), con("wr>=50")};
    stom_constraint fail[] = {con("mdd<=10"), con("wr>=70")};
    ck_assert_double_eq_tol(stom_opt_score(STOM_OBJ_GM, ok, 2, &st), 5, TOL);
    ck_assert(stom_opt_score(STOM_OBJ_GM, fail, 2, &st) == -INFINITY);
    ck_assert_double_eq_tol(stom_opt_score(STOM_OBJ_GM, NULL, 0, &st), 5, TOL);
    for (int m = 0; m < STOM_CON_COUNT; m++)
        ck_assert(!isnan(stom_constraint_value((stom_constraint_metric)m, &st)));
    ck_assert(isnan(stom_constraint_value(STOM_CON_COUNT, &st)));
}
END_TEST

static Suite *objective_suite(void)
{
    Suite *s = suite_create("optimize_objective");
    TCase *tc = tcase_create("objective");
    tcase_add_test(tc, each_objective_of_a_winning_run);
    tcase_add_test(tc, each_objective_of_a_losing_run_keeps_the_sign_of_its_loss);
    tcase_add_test(tc, a_losing_run_never_outscores_a_winning_one);
    tcase_add_test(tc, a_zero_drawdown_uses_the_floors);
    tcase_add_test(tc, a_run_without_trades_scores_minus_infinity_on_every_objective);
    tcase_add_test(tc, a_nan_figure_scores_minus_infinity);
    tcase_add_test(tc, stats_are_read_from_metrics_and_trades);
    tcase_add_test(tc, objective_names_parse_in_any_case_and_unknown_ones_list_the_valid);
    suite_add_tcase(s, tc);
    TCase *cc = tcase_create("constraint");
    tcase_add_test(cc, constraints_parse_every_operator_and_window);
    tcase_add_test(cc, bad_constraints_are_refused_with_the_text);
    tcase_add_test(cc, checks_count_the_violated_constraints_with_inclusive_bounds);
    tcase_add_test(cc, a_nan_figure_violates_its_constraint);
    tcase_add_test(cc, a_violated_constraint_makes_the_score_minus_infinity);
    suite_add_tcase(s, cc);
    return s;
}

int main(void)
{
    return stom_test_run(objective_suite());
}
