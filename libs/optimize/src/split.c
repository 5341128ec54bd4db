/*
 * split.c - validation schemes: cutting a period into folds and search
 * units.
 *
 * Periods are half-open [from, to) in UTC seconds and a week is 7 x 86400
 * seconds (UTC has no daylight saving, and KST neither). "The period has W
 * weeks" means W whole weeks; a partial week left over goes to the part
 * that grows with the period: the first train window of holdout, test and
 * cv when train_weeks is 0, or is left unused at the start (cv with
 * train_weeks) or at the end (walk-forward).
 *
 * Holdout, test and cv lay their windows back from `to`, so the most recent
 * data is validated and tested. Walk-forward lays its windows from `from`,
 * stepping by test_weeks, as STOM does. CV is the expanding-window
 * (blocked time-series) variant: fold i validates on block i and trains on
 * everything before it, so no fold trains on data after its validation.
 * Absent windows are written as 0..0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "optimize_internal.h"
#include "stom/alloc.h"

#define WEEK      INT64_C(604800)
#define MAX_WEEKS 100000
#define MAX_FOLDS 10000

static const struct {
    stom_split split;
    const char *name, *korean;
} split_names[] = {
    {STOM_SPLIT_NONE, "none", NULL},
    {STOM_SPLIT_HOLDOUT, "holdout", "검증"},
    {STOM_SPLIT_CV, "cv", "교차검증"},
    {STOM_SPLIT_TEST, "test", "최적화테스트"},
    {STOM_SPLIT_WALKFORWARD, "walkforward", "전진분석"},
};

#define N_SPLITS (sizeof split_names / sizeof split_names[0])

int stom_split_parse(const char *s, stom_split *out)
{
    /* STOM writes "최적화 테스트" with a space; the space-free form is the same. */
    if (strcmp(s, "최적화 테스트") == 0)
        s = "최적화테스트";
    for (size_t i = 0; i < N_SPLITS; i++) {
        const char *korean = split_names[i].korean;
        if (strcasecmp(s, split_names[i].name) == 0 || (korean && strcmp(s, korean) == 0)) {
            *out = split_names[i].split;
            return STOM_OK;
        }
    }
    if (strcasecmp(s, "walk-forward") == 0) {
        *out = STOM_SPLIT_WALKFORWARD;
        return STOM_OK;
    }
    return STOM_ENOTFOUND;
}

const char *stom_split_name(stom_split s)
{
    for (size_t i = 0; i < N_SPLITS; i++) {
        if (split_names[i].split == s)
            return split_names[i].name;
    }
    return "?";
}

/* Allocates n_folds folds and n_units units, zeroed. */
static void plan_alloc(stom_plan *p, size_t n_folds, size_t n_units)
{
    p->folds = stom_xcalloc(n_folds, sizeof p->folds[0]);
    p->n_folds = n_folds;
    p->units = stom_xcalloc(n_units, sizeof p->units[0]);
    p->n_units = n_units;
}

/* "period has 10 weeks; walkforward needs at least train 8 + test 4 = 12 weeks" */
static int too_short(stom_errbuf *eb, int64_t weeks, const stom_split_spec *sp, const char *needs,
                     int64_t total)
{
    return stom_errorf(eb, STOM_EINVAL, "period has %lld weeks; %s needs at least %s = %lld weeks",
                       (long long)weeks, stom_split_name(sp->split), needs, (long long)total);
}

/* "train 8 + valid 2 + test 4", leaving out windows of 0 weeks but train. */
static void describe(char *buf, size_t len, int64_t train, int64_t valid, int64_t test)
{
    int n = snprintf(buf, len, "train %lld", (long long)train);
    if (valid > 0)
        n += snprintf(buf + n, len - (size_t)n, " + valid %lld", (long long)valid);
    if (test > 0)
        snprintf(buf + n, len - (size_t)n, " + test %lld", (long long)test);
}

const char *stom_window_name(stom_window w)
{
    static const char *const names[] = {"", "train_weeks", "valid_weeks", "test_weeks", "folds"};
    return (unsigned)w < sizeof names / sizeof names[0] ? names[w] : "";
}

stom_window stom_split_check(const stom_split_spec *sp, bool *missing)
{
    stom_split k = sp->split;
    bool valid_test = k == STOM_SPLIT_HOLDOUT || k == STOM_SPLIT_CV;
    *missing = false;
    if (k == STOM_SPLIT_NONE)
        return sp->train_weeks   ? STOM_WINDOW_TRAIN
               : sp->valid_weeks ? STOM_WINDOW_VALID
               : sp->test_weeks  ? STOM_WINDOW_TEST
               : sp->folds       ? STOM_WINDOW_FOLDS
                                 : STOM_WINDOW_NONE;
    *missing = true;
    if (valid_test && sp->valid_weeks == 0)
        return STOM_WINDOW_VALID;
    if ((k == STOM_SPLIT_TEST || k == STOM_SPLIT_WALKFORWARD) && sp->test_weeks == 0)
        return STOM_WINDOW_TEST;
    if (k == STOM_SPLIT_WALKFORWARD && sp->train_weeks == 0)
        return STOM_WINDOW_TRAIN;
    *missing = false;
    if (valid_test && sp->test_weeks)
        return STOM_WINDOW_TEST;
    if (k != STOM_SPLIT_CV && sp->folds)
        return STOM_WINDOW_FOLDS;
    return STOM_WINDOW_NONE;
}

static int check_spec(const stom_split_spec *sp, stom_errbuf *eb)
{
    if (sp->train_weeks < 0 || sp->valid_weeks < 0 || sp->test_weeks < 0 || sp->folds < 0)
        return stom_errorf(eb, STOM_EINVAL, "window lengths and folds must not be negative");
    if (sp->train_weeks > MAX_WEEKS || sp->valid_weeks > MAX_WEEKS || sp->test_weeks > MAX_WEEKS ||
        sp->folds > MAX_FOLDS)
        return stom_errorf(eb, STOM_EINVAL, "windows are at most %d weeks and folds at most %d",
                           MAX_WEEKS, MAX_FOLDS);
    /* A window given but not read is harmless here; the callers that take user input refuse it. */
    bool missing;
    stom_window w = stom_split_check(sp, &missing);
    if (w != STOM_WINDOW_NONE && missing)
        return stom_errorf(eb, STOM_EINVAL, "%s needs %s >= 1", stom_split_name(sp->split),
                           stom_window_name(w));
    if (sp->split == STOM_SPLIT_CV && sp->folds == 1)
        return stom_errorf(eb, STOM_EINVAL, "cv needs at least 2 folds (1 fold is holdout)");
    return STOM_OK;
}

static void one_unit(stom_plan *p, size_t n_folds)
{
    plan_alloc(p, n_folds, 1);
    p->units[0].n_folds = n_folds;
}

static int plan_none(stom_plan *p, int64_t from, int64_t to)
{
    one_unit(p, 1);
    p->folds[0].train_from = from;
    p->folds[0].train_to = to;
    return STOM_OK;
}

static int plan_holdout(stom_plan *p, const stom_split_spec *sp, int64_t from, int64_t to,
                        int64_t weeks, stom_errbuf *eb)
{
    int64_t train = sp->train_weeks > 0 ? sp->train_weeks : 1, valid = sp->valid_weeks;
    if (weeks < train + valid) {
        char needs[96];
        describe(needs, sizeof needs, train, valid, 0);
        return too_short(eb, weeks, sp, needs, train + valid);
    }
    one_unit(p, 1);
    stom_fold *f = &p->folds[0];
    f->valid_to = to;
    f->valid_from = to - valid * WEEK;
    f->train_to = f->valid_from;
    f->train_from = sp->train_weeks > 0 ? f->train_to - train * WEEK : from;
    return STOM_OK;
}

static int plan_test(stom_plan *p, const stom_split_spec *sp, int64_t from, int64_t to,
                     int64_t weeks, stom_errbuf *eb)
{
    int64_t train = sp->train_weeks > 0 ? sp->train_weeks : 1;
    int64_t valid = sp->valid_weeks, test = sp->test_weeks;
    if (weeks < train + valid + test) {
        char needs[96];
        describe(needs, sizeof needs, train, valid, test);
        return too_short(eb, weeks, sp, needs, train + valid + test);
    }
    one_unit(p, 1);
    stom_fold *f = &p->folds[0];
    f->test_to = to;
    f->test_from = to - test * WEEK;
    if (valid > 0) {
        f->valid_to = f->test_from;
        f->valid_from = f->valid_to - valid * WEEK;
    }
    f->train_to = valid > 0 ? f->valid_from : f->test_from;
    f->train_from = sp->train_weeks > 0 ? f->train_to - train * WEEK : from;
    return STOM_OK;
}

static int plan_cv(stom_plan *p, const stom_split_spec *sp, int64_t from, int64_t to, int64_t weeks,
                   stom_errbuf *eb)
{
    int64_t train = sp->train_weeks > 0 ? sp->train_weeks : 1, valid = sp->valid_weeks;
    int64_t k = sp->folds > 0 ? sp->folds : (weeks - train) / valid;
    int64_t min_k = sp->folds > 0 ? sp->folds : 2;
    if (k < min_k || weeks < train + k * valid) {
        char needs[96];
        snprintf(needs, sizeof needs, "train %lld + %lld x valid %lld", (long long)train,
                 (long long)min_k, (long long)valid);
        return too_short(eb, weeks, sp, needs, train + min_k * valid);
    }
    one_unit(p, (size_t)k);
    /* The first fold trains on exactly train_weeks when they are given. */
    int64_t start = sp->train_weeks > 0 ? to - (train + k * valid) * WEEK : from;
    for (int64_t i = 0; i < k; i++) {
        stom_fold *f = &p->folds[i];
        f->valid_from = to - (k - i) * valid * WEEK;
        f->valid_to = f->valid_from + valid * WEEK;
        f->train_from = start;
        f->train_to = f->valid_from;
    }
    return STOM_OK;
}

/* Windows end by `to` because they fit in the period's whole weeks. */
static int plan_walkforward(stom_plan *p, const stom_split_spec *sp, int64_t from, int64_t weeks,
                            stom_errbuf *eb)
{
    int64_t train = sp->train_weeks, valid = sp->valid_weeks, test = sp->test_weeks;
    int64_t window = train + valid + test;
    if (weeks < window) {
        char needs[96];
        describe(needs, sizeof needs, train, valid, test);
        return too_short(eb, weeks, sp, needs, window);
    }
    size_t n = (size_t)((weeks - window) / test + 1);
    plan_alloc(p, n, n);
    for (size_t j = 0; j < n; j++) {
        stom_fold *f = &p->folds[j];
        f->train_from = from + (int64_t)j * test * WEEK;
        f->train_to = f->train_from + train * WEEK;
        if (valid > 0) {
            f->valid_from = f->train_to;
            f->valid_to = f->valid_from + valid * WEEK;
        }
        f->test_from = f->train_to + valid * WEEK;
        f->test_to = f->test_from + test * WEEK;
        p->units[j].first_fold = j;
        p->units[j].n_folds = 1;
    }
    return STOM_OK;
}

int stom_plan_make(stom_plan *p, const stom_split_spec *spec, int64_t from, int64_t to,
                   stom_errbuf *eb)
{
    memset(p, 0, sizeof *p);
    if (from >= to)
        return stom_errorf(eb, STOM_EINVAL, "the period is empty");
    int rc = check_spec(spec, eb);
    if (rc)
        return rc;
    /* Unsigned: to - from of two int64 values may not fit an int64. */
    int64_t weeks = (int64_t)(((uint64_t)to - (uint64_t)from) / (uint64_t)WEEK);
    switch (spec->split) {
    case STOM_SPLIT_NONE:
        return plan_none(p, from, to);
    case STOM_SPLIT_HOLDOUT:
        return plan_holdout(p, spec, from, to, weeks, eb);
    case STOM_SPLIT_CV:
        return plan_cv(p, spec, from, to, weeks, eb);
    case STOM_SPLIT_TEST:
        return plan_test(p, spec, from, to, weeks, eb);
    case STOM_SPLIT_WALKFORWARD:
        return plan_walkforward(p, spec, from, weeks, eb);
    }
    return stom_errorf(eb, STOM_EINVAL, "unknown validation scheme %d", (int)spec->split);
}

void stom_plan_free(stom_plan *p)
{
    free(p->folds);
    free(p->units);
    memset(p, 0, sizeof *p);
}
