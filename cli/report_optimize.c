/*
 * report_optimize.c - a job's results as text: a header (job, strategy,
 * method, evaluated sets, elapsed time), the ranked table of the best
 * parameter sets with STOM's figures (TG 순이익, TP, MDD, WR 승률, TC
 * 거래수, CAGR), and, for validation schemes, the best set of each search
 * unit and fold with its in-sample and out-of-sample results.
 *
 * Korean and English labels side by side, thousands separators, KST dates.
 * A set that failed or broke a constraint scores −∞ and says why in the
 * last column.
 */
#include <math.h>
#include <string.h>

#include "optimize.h"
#include "stom/alloc.h"

/* ---- names ---------------------------------------------------------------------- */

const char *job_state_label(Stom__V1__JobState s)
{
    switch (s) {
    case STOM__V1__JOB_STATE__JOB_STATE_QUEUED:
        return "대기 queued";
    case STOM__V1__JOB_STATE__JOB_STATE_RUNNING:
        return "실행 running";
    case STOM__V1__JOB_STATE__JOB_STATE_PAUSED:
        return "일시정지 paused";
    case STOM__V1__JOB_STATE__JOB_STATE_DONE:
        return "완료 done";
    case STOM__V1__JOB_STATE__JOB_STATE_FAILED:
        return "실패 failed";
    case STOM__V1__JOB_STATE__JOB_STATE_CANCELLED:
        return "취소 cancelled";
    default:
        return "? unknown";
    }
}

const char *job_state_name(Stom__V1__JobState s)
{
    const char *label = job_state_label(s);
    return strchr(label, ' ') + 1;
}

const char *method_pb_name(Stom__V1__OptimizeMethod m)
{
    switch (m) {
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_SINGLE:
        return "single";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID:
        return "grid";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_RANDOM:
        return "random";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_BAYES:
        return "bayes";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GENETIC:
        return "genetic";
    case STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_CONDITIONS:
        return "conditions";
    default:
        return "-";
    }
}

static const char *scheme_name(Stom__V1__ValidationScheme s)
{
    switch (s) {
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_HOLDOUT:
        return "검증 holdout";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_CROSS:
        return "교차검증 cv";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_TEST:
        return "최적화테스트 test";
    case STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_WALK_FORWARD:
        return "전진분석 walkforward";
    default:
        return "none";
    }
}

/* ---- values ---------------------------------------------------------------------- */

char *format_objective(Stom__V1__Objective o, double v, char *buf, size_t len)
{
    bool money =
        o == STOM__V1__OBJECTIVE__OBJECTIVE_TG || o == STOM__V1__OBJECTIVE__OBJECTIVE_UNSPECIFIED;
    return format_number(v, money ? 0 : 2, buf, len);
}

static void format_value(const Stom__V1__Param *p, char *buf, size_t len)
{
    switch (p->value_case) {
    case STOM__V1__PARAM__VALUE_INT_VALUE:
        snprintf(buf, len, "%lld", (long long)p->int_value);
        break;
    case STOM__V1__PARAM__VALUE_REAL_VALUE:
        snprintf(buf, len, "%g", p->real_value);
        break;
    case STOM__V1__PARAM__VALUE_BOOL_VALUE:
        snprintf(buf, len, "%s", p->bool_value ? "true" : "false");
        break;
    case STOM__V1__PARAM__VALUE_TEXT_VALUE:
        snprintf(buf, len, "%s", p->text_value);
        break;
    default:
        snprintf(buf, len, "?");
    }
}

char *format_params(Stom__V1__Param *const *params, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < len; k++) {
        char v[64];
        format_value(params[k], v, sizeof v);
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", k ? " " : "",
                                 params[k]->name ? params[k]->name : "?", v);
    }
    if (n == 0)
        snprintf(buf, len, "(defaults)");
    return buf;
}

bool job_elapsed_ms(const Stom__V1__JobStatus *st, int64_t *ms)
{
    const Stom__V1__Progress *pr = st->progress;
    if (pr != NULL && pr->has_elapsed_ms && pr->elapsed_ms > 0) {
        *ms = pr->elapsed_ms;
        return true;
    }
    if (st->has_started_ns && st->has_finished_ns && st->finished_ns >= st->started_ns) {
        *ms = (st->finished_ns - st->started_ns) / 1000000;
        return true;
    }
    return false;
}

/* "label     value", the label padded to 20 display columns. */
static void kv(FILE *out, const char *label, const char *value)
{
    size_t w = text_width(label);
    fprintf(out, "  %s%*s %s\n", label, (int)(w < 20 ? 20 - w : 0), "", value);
}

/* ---- the spec --------------------------------------------------------------------- */

static void print_constraints(const Stom__V1__JobSpec *s, char *buf, size_t len)
{
    size_t used = snprintf(buf, len, "%s", objective_pb_name(s->objective));
    for (size_t k = 0; k < s->n_constraints && used < len; k++) {
        const Stom__V1__Constraint *c = s->constraints[k];
        const char *m = c->metric ? c->metric : "?";
        const char *sep = k ? ", " : "; constraints ";
        if (c->has_min_value && c->has_max_value)
            used +=
                snprintf(buf + used, len - used, "%s%s=%g:%g", sep, m, c->min_value, c->max_value);
        else if (c->has_max_value)
            used += snprintf(buf + used, len - used, "%s%s<=%g", sep, m, c->max_value);
        else
            used += snprintf(buf + used, len - used, "%s%s>=%g", sep, m, c->min_value);
    }
}

static void print_validation(const Stom__V1__Validation *v, FILE *out)
{
    if (v == NULL || v->scheme <= STOM__V1__VALIDATION_SCHEME__VALIDATION_SCHEME_NONE)
        return;
    char buf[160];
    int n = snprintf(buf, sizeof buf, "%s", scheme_name(v->scheme));
    if (v->train_weeks > 0)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ", train %d weeks", v->train_weeks);
    if (v->valid_weeks > 0)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ", valid %d weeks", v->valid_weeks);
    if (v->test_weeks > 0)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ", test %d weeks", v->test_weeks);
    if (v->folds > 0)
        snprintf(buf + n, sizeof buf - (size_t)n, ", %d folds", v->folds);
    kv(out, "검증 Validation", buf);
}

static const char *timeframe_name(Stom__V1__Timeframe tf)
{
    return tf == STOM__V1__TIMEFRAME__TIMEFRAME_MINUTE_1   ? "1m"
           : tf == STOM__V1__TIMEFRAME__TIMEFRAME_DAY_1    ? "1d"
           : tf == STOM__V1__TIMEFRAME__TIMEFRAME_SECOND_1 ? "1s"
                                                           : "?";
}

void optimize_print_spec(const Stom__V1__JobSpec *s, FILE *out)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", s->strategy_name ? s->strategy_name : "?",
             s->strategy_code ? " (Lua, sent with the job)" : "");
    kv(out, "전략 Strategy", buf);
    if (s->n_params > 0)
        kv(out, "고정 Fixed", format_params(s->params, s->n_params, buf, sizeof buf));
    snprintf(buf, sizeof buf, "%s", method_pb_name(s->method));
    kv(out, "방법 Method", buf);
    print_constraints(s, buf, sizeof buf);
    kv(out, "기준값 Objective", buf);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < s->n_symbols && used < sizeof buf; k++)
        used += snprintf(buf + used, sizeof buf - used, "%s%s", k ? ", " : "", s->symbols[k]);
    if (used < sizeof buf)
        snprintf(buf + used, sizeof buf - used, " (%s bars)", timeframe_name(s->timeframe));
    kv(out, "종목 Data", buf);
    char period[48];
    snprintf(buf, sizeof buf, "%s KST", format_period(s->period, period, sizeof period));
    kv(out, "기간 Period", buf);
    print_validation(s->validation, out);
    if (s->has_initial_cash) {
        char cash[48];
        snprintf(buf, sizeof buf, "%s 원",
                 format_number((double)s->initial_cash, 0, cash, sizeof cash));
        kv(out, "초기자금 Cash", buf);
    }
}

/* ---- the header ---------------------------------------------------------------------- */

/* Submission, start and end times, progress and a failed job's reason. */
static void print_status(const Stom__V1__JobStatus *st, FILE *out)
{
    char buf[160], t[32];
    if (st->has_submitted_ns)
        kv(out, "제출 Submitted", format_kst(st->submitted_ns, false, t, sizeof t));
    if (st->has_started_ns)
        kv(out, "시작 Started", format_kst(st->started_ns, false, t, sizeof t));
    if (st->has_finished_ns)
        kv(out, "종료 Finished", format_kst(st->finished_ns, false, t, sizeof t));
    const Stom__V1__Progress *pr = st->progress;
    bool running = st->state == STOM__V1__JOB_STATE__JOB_STATE_RUNNING ||
                   st->state == STOM__V1__JOB_STATE__JOB_STATE_QUEUED ||
                   st->state == STOM__V1__JOB_STATE__JOB_STATE_PAUSED;
    if (pr != NULL && running) {
        char done[32], total[32], eta[24];
        int n = snprintf(buf, sizeof buf, "%s/%s",
                         format_number((double)pr->done, 0, done, sizeof done),
                         format_number((double)pr->total, 0, total, sizeof total));
        if (pr->has_eta_ms && pr->eta_ms > 0)
            snprintf(buf + n, sizeof buf - (size_t)n, ", ETA %s",
                     format_duration(pr->eta_ms, eta, sizeof eta));
        kv(out, "진행 Progress", buf);
    }
    if (st->error != NULL)
        kv(out, "오류 Error", st->error->message ? st->error->message : "no reason given");
}

static void print_header(const optimize_report *r, FILE *out)
{
    const Stom__V1__JobStatus *st = r->status;
    const char *id = r->page->job_id ? r->page->job_id : st && st->job_id ? st->job_id : "?";
    fprintf(out, "job %s", id);
    if (st != NULL)
        fprintf(out, " (%s)", job_state_label(st->state));
    fputc('\n', out);
    if (r->spec != NULL)
        optimize_print_spec(r->spec, out);
    if (st != NULL)
        print_status(st, out);
    char buf[160], n[32], failed[32], elapsed[24];
    int len =
        snprintf(buf, sizeof buf, "%s %s", format_number((double)r->page->total, 0, n, sizeof n),
                 r->page->total == 1 ? "set" : "sets");
    const Stom__V1__Progress *pr = st ? st->progress : NULL;
    if (pr && pr->failed > 0)
        len += snprintf(buf + len, sizeof buf - (size_t)len, " (%s failed)",
                        format_number((double)pr->failed, 0, failed, sizeof failed));
    int64_t ms = 0;
    if (st && job_elapsed_ms(st, &ms))
        snprintf(buf + len, sizeof buf - (size_t)len, " in %s",
                 format_duration(ms, elapsed, sizeof elapsed));
    kv(out, "평가 Evaluated", buf);
}

/* ---- the ranked table ------------------------------------------------------------------ */

static Stom__V1__Objective report_objective(const optimize_report *r)
{
    return r->spec ? r->spec->objective : STOM__V1__OBJECTIVE__OBJECTIVE_UNSPECIFIED;
}

static bool scores(const Stom__V1__TaskResult *t)
{
    return t->status != STOM__V1__TASK_STATUS__TASK_STATUS_FAILED && t->has_objective &&
           (!t->has_constraints_met || t->constraints_met);
}

static void note_of(const Stom__V1__TaskResult *t, char *buf, size_t len)
{
    buf[0] = '\0';
    if (t->status == STOM__V1__TASK_STATUS__TASK_STATUS_FAILED) {
        snprintf(buf, len, "failed: %s", t->error ? t->error : "no reason given");
        return;
    }
    size_t used = 0;
    for (size_t k = 0; k < t->n_violated && used < len; k++)
        used += snprintf(buf + used, len - used, "%s%s", k ? ", " : "violated: ", t->violated[k]);
    if (used == 0 && t->has_constraints_met && !t->constraints_met)
        snprintf(buf, len, "violated");
}

/* The metric cells of one result: TG, TP, MDD, WR, TC, CAGR ("-" without metrics). */
static void metric_cells(const Stom__V1__Metrics *m, char cells[6][40])
{
    if (m == NULL) {
        for (int k = 0; k < 6; k++)
            snprintf(cells[k], 40, "-");
        return;
    }
    format_number((double)m->net_profit, 0, cells[0], 40);
    format_number(m->sum_trade_pct, 2, cells[1], 40);
    format_number(m->max_drawdown_pct, 2, cells[2], 40);
    format_number(m->win_rate_pct, 2, cells[3], 40);
    format_number((double)m->trades, 0, cells[4], 40);
    format_number(m->stom_cagr_pct, 2, cells[5], 40);
}

static bool any_fold(const Stom__V1__ResultsPage *p)
{
    for (size_t k = 0; k < p->n_results; k++)
        if (p->results[k]->unit > 0 || p->results[k]->fold_index > 0)
            return true;
    return false;
}

static bool any_valid(const Stom__V1__ResultsPage *p)
{
    for (size_t k = 0; k < p->n_results; k++)
        if (p->results[k]->valid_metrics != NULL)
            return true;
    return false;
}

static void add_result_row(text_table *t, const optimize_report *r, size_t rank)
{
    const Stom__V1__TaskResult *res = r->page->results[rank];
    char num[16], unit[32], params[512], obj[48], m[6][40], note[512];
    snprintf(num, sizeof num, "%zu", rank + 1);
    snprintf(unit, sizeof unit, "%u/%u", res->unit + 1, res->fold_index + 1);
    format_params(res->params, res->n_params, params, sizeof params);
    if (scores(res))
        format_objective(report_objective(r), res->objective, obj, sizeof obj);
    else
        snprintf(obj, sizeof obj, "−∞");
    metric_cells(res->metrics, m);
    note_of(res, note, sizeof note);
    char valid[40] = "-";
    if (res->valid_metrics != NULL)
        format_number((double)res->valid_metrics->net_profit, 0, valid, sizeof valid);
    const char *row[] = {num, unit, params, obj, m[0], m[1], m[2], m[3], m[4], m[5], valid, note};
    text_table_add(t, row);
}

static void print_ranked(const optimize_report *r, FILE *out)
{
    size_t n = r->page->n_results;
    if (r->top > 0 && n > r->top)
        n = r->top;
    char title[64], total[32];
    snprintf(title, sizeof title, "%s 기준값", objective_pb_name(report_objective(r)));
    fprintf(out, "\n순위 Ranking: %zu of %s, best first\n", n,
            format_number((double)r->page->total, 0, total, sizeof total));
    if (n == 0) {
        fputs("  (no results)\n", out);
        return;
    }
    const char *heads[] = {"#",     "unit/fold", "parameters", title,    "TG 순이익",     "TP %",
                           "MDD %", "WR 승률 %", "TC 거래수",  "CAGR %", "검증 valid TG", "note"};
    text_table *t = text_table_new(12, heads, "rllrrrrrrrrl");
    /* Units and folds are worth a column only when a scheme has more than one, and the
     * validation window's profit only when there is one. */
    text_table_hide(t, 1, !any_fold(r->page));
    text_table_hide(t, 10, !any_valid(r->page));
    for (size_t k = 0; k < n; k++)
        add_result_row(t, r, k);
    text_table_print(t, out, "  ");
    text_table_free(t);
}

/* ---- best per fold ----------------------------------------------------------------------- */

static void add_best_row(text_table *t, const optimize_report *r, const Stom__V1__FoldBest *b)
{
    char unit[32], train[48], valid[48], tperiod[48], params[512], is_obj[48], oos_tg[40],
        oos_ret[40], oos_obj[48];
    const Stom__V1__Fold *f = b->fold;
    Stom__V1__Objective o = report_objective(r);
    snprintf(unit, sizeof unit, "%u/%u", b->unit + 1, b->fold_index + 1);
    format_period(f ? f->train : NULL, train, sizeof train);
    format_period(f ? f->valid : NULL, valid, sizeof valid);
    format_period(f ? f->test : NULL, tperiod, sizeof tperiod);
    format_params(b->params, b->n_params, params, sizeof params);
    format_objective(o, b->has_objective ? b->objective : -INFINITY, is_obj, sizeof is_obj);
    const Stom__V1__Metrics *oos = b->out_of_sample;
    snprintf(oos_tg, sizeof oos_tg, "-");
    snprintf(oos_ret, sizeof oos_ret, "-");
    snprintf(oos_obj, sizeof oos_obj, "-");
    if (oos != NULL) {
        format_number((double)oos->net_profit, 0, oos_tg, sizeof oos_tg);
        format_number(oos->return_pct, 2, oos_ret, sizeof oos_ret);
    }
    if (b->has_test_objective)
        format_objective(o, b->test_objective, oos_obj, sizeof oos_obj);
    const char *row[] = {unit, train, valid, tperiod, params, is_obj, oos_tg, oos_ret, oos_obj};
    text_table_add(t, row);
}

static void print_best(const optimize_report *r, FILE *out)
{
    const Stom__V1__ResultsPage *p = r->page;
    if (p->n_best == 0)
        return;
    bool test = false, valid = false, periods = false;
    for (size_t k = 0; k < p->n_best; k++) {
        const Stom__V1__FoldBest *b = p->best[k];
        test |= b->out_of_sample != NULL || b->has_test_objective;
        periods |= b->fold != NULL;
        valid |= b->fold != NULL && b->fold->valid != NULL;
    }
    /* One unit of one fold without a test says nothing the ranking does not. */
    if (p->n_best == 1 && !test && !periods)
        return;
    fputs("\n구간별 최적 Best per fold (IS = in-sample, OOS = out-of-sample test)\n", out);
    const char *heads[] = {"unit/fold", "학습 train", "검증 valid",   "확인 test", "parameters",
                           "IS 기준값", "OOS TG",     "OOS 수익률 %", "OOS 기준값"};
    text_table *t = text_table_new(9, heads, "lllllrrrr");
    text_table_hide(t, 1, !periods);
    text_table_hide(t, 2, !valid);
    text_table_hide(t, 3, !test || !periods);
    for (size_t c = 6; c < 9; c++)
        text_table_hide(t, c, !test);
    for (size_t k = 0; k < p->n_best; k++)
        add_best_row(t, r, p->best[k]);
    text_table_print(t, out, "  ");
    text_table_free(t);
}

void optimize_report_text(const optimize_report *r, FILE *out)
{
    print_header(r, out);
    print_ranked(r, out);
    print_best(r, out);
}
