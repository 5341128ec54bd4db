/*
 * stom/indicators.h - technical indicators over doubles, streaming and batch.
 *
 * Indicators are statistics, so they take and return doubles; the caller
 * converts fixed-point prices and volumes first (value / 10^decimals).
 * Formulas, warm-up lengths and the conventions chosen where libraries
 * disagree are in docs/indicators.md.
 *
 * Every indicator has two forms with one implementation:
 *
 *   - STREAMING: a small struct the caller embeds (in a strategy's state or on
 *     the stack). stom_<x>_init validates the parameters and allocates any
 *     window; stom_<x>_update takes one bar and returns the current value, or
 *     NAN while the indicator is warming up; the `ready` member says whether
 *     the last update produced a value. Types that hold a window have a
 *     stom_<x>_free; the others hold no memory and have none. Live strategies
 *     feed bars one at a time through this form.
 *   - BATCH: stom_<x>_batch(inputs, n, params, outputs) loops the streaming
 *     form over arrays, so a backtest sees exactly the numbers a live run
 *     would. Outputs during warm-up are NAN. An output array may be the same
 *     array as an input (each input element is read before the output element
 *     is written). (C gives a type and a function one name space, so the type
 *     is stom_sma and the batch function stom_sma_batch.)
 *
 * The structs are public so that they can be embedded without an allocation
 * per indicator; only `ready` may be read, every other member is private.
 *
 * Parameters: periods are 1 ... STOM_IND_MAX_PERIOD; anything else (or a NULL
 * array with n > 0) is refused with STOM_EINVAL, and a refused init leaves the
 * struct zeroed so that its _free is a harmless no-op.
 *
 * Inputs are expected to be finite. A NaN or infinite input never breaks
 * memory safety, but the values that depend on it are unspecified; windowed
 * averages recover once it has left the window, recursive ones (EMA, Wilder)
 * need a new init.
 *
 * Ownership: a streaming struct owns its window from a successful init until
 * its _free. Batch functions borrow their arrays and keep nothing.
 *
 * Thread-safety: a streaming struct belongs to one thread at a time; distinct
 * structs may be used concurrently. Batch functions are reentrant.
 */
#ifndef STOM_INDICATORS_H
#define STOM_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stom/error.h"

/* The largest period any indicator accepts (windows are allocated at init). */
#define STOM_IND_MAX_PERIOD 100000

/* ---- Internals shared by the indicator_*.c files; not part of the API ---- */

/* A fixed-capacity ring of doubles; head is the next slot to write. */
typedef struct stom__ring {
    double *buf;
    int cap, len, head;
} stom__ring;

/* Monotonic deque over the last `period` values, front = extreme. */
typedef struct stom__mono {
    double *val;  /* sign * input, so one max-deque serves both extremes */
    int64_t *seq; /* arrival number of each kept value */
    int cap, front, len;
    int64_t count; /* values seen */
    double sign;   /* +1 for highest, -1 for lowest */
} stom__mono;

/* True when 1 <= period <= STOM_IND_MAX_PERIOD. */
bool stom__period_ok(int period);
/* Compensated (Neumaier) sum of n doubles. Borrows a. */
double stom__sum(const double *a, int n);
/* Adds x to the compensated sum (*sum, *comp). */
void stom__sum_add(double *sum, double *comp, double x);
/* Allocates a ring of cap slots (cap validated by the caller). */
void stom__ring_init(stom__ring *r, int cap);
/* Stores x; returns true and sets *evicted when a full ring dropped its oldest. */
bool stom__ring_push(stom__ring *r, double x, double *evicted);
/* Releases the ring; it is zeroed afterwards. */
void stom__ring_free(stom__ring *r);
/* Allocates a deque for period values; sign is +1 (highest) or -1 (lowest). */
void stom__mono_init(stom__mono *q, int period, double sign);
/* Takes one value; returns the extreme of the last period values (seen so far). */
double stom__mono_push(stom__mono *q, double x);
/* Releases the deque; it is zeroed afterwards. */
void stom__mono_free(stom__mono *q);

/* ---- Moving averages (indicator_average.c) ---- */

/* Simple moving average: O(1) per update with a compensated running sum. */
typedef struct stom_sma {
    stom__ring win;
    double sum, comp;
    bool ready;
} stom_sma;

/* Validates period and allocates the window. 0 or STOM_EINVAL. */
int stom_sma_init(stom_sma *s, int period);
/* Returns the mean of the last period values, NAN for the first period-1. */
double stom_sma_update(stom_sma *s, double x);
/* Releases the window; NULL is a no-op. */
void stom_sma_free(stom_sma *s);
/* Batch SMA of in[0..n) into out[0..n). 0 or STOM_EINVAL. Borrows in, out. */
int stom_sma_batch(const double *in, size_t n, int period, double *out);

/* Exponential moving average seeded with the SMA of its first period values. */
typedef struct stom_ema {
    double alpha, value, seed_sum;
    int period, count;
    bool ready;
} stom_ema;

/* EMA with alpha = 2 / (period + 1). 0 or STOM_EINVAL. Holds no memory. */
int stom_ema_init(stom_ema *e, int period);
/*
 * EMA with a caller-chosen alpha in (0, 1], e.g. 1/period for Wilder's
 * smoothing (RMA). Same SMA seed. 0 or STOM_EINVAL.
 */
int stom_ema_init_alpha(stom_ema *e, int period, double alpha);
/* Returns the EMA, NAN for the first period-1 values. */
double stom_ema_update(stom_ema *e, double x);
/* Batch EMA (alpha 2/(period+1)). 0 or STOM_EINVAL. Borrows in, out. */
int stom_ema_batch(const double *in, size_t n, int period, double *out);

/* Linearly weighted moving average: weights 1..period, newest heaviest. */
typedef struct stom_wma {
    stom__ring win;
    double sum, wsum; /* plain and weighted sums of the window */
    bool ready;
} stom_wma;

/* Validates period and allocates the window. 0 or STOM_EINVAL. */
int stom_wma_init(stom_wma *w, int period);
/* Returns the WMA in O(1), NAN for the first period-1 values. */
double stom_wma_update(stom_wma *w, double x);
/* Releases the window; NULL is a no-op. */
void stom_wma_free(stom_wma *w);
/* Batch WMA. 0 or STOM_EINVAL. Borrows in, out. */
int stom_wma_batch(const double *in, size_t n, int period, double *out);

/* ---- MACD and Bollinger bands (indicator_band.c) ---- */

typedef struct stom_macd_value {
    double macd;   /* fast EMA - slow EMA */
    double signal; /* EMA of macd */
    double hist;   /* macd - signal */
} stom_macd_value;

/* MACD aligned like TA-Lib: the fast EMA starts slow-fast bars late. */
typedef struct stom_macd {
    stom_ema fast, slow, signal;
    int fast_delay; /* bars to skip before feeding the fast EMA */
    bool ready;     /* signal and hist are defined */
} stom_macd;

/* Requires 1 <= fast < slow and signal >= 1 (all bounded). 0 or STOM_EINVAL. */
int stom_macd_init(stom_macd *m, int fast, int slow, int signal);
/*
 * Returns macd from bar slow-1 on, signal and hist from bar slow+signal-2
 * (ready); NAN members before that.
 */
stom_macd_value stom_macd_update(stom_macd *m, double x);
/* Batch MACD; any of macd, signal, hist may be NULL. 0 or STOM_EINVAL. */
int stom_macd_batch(const double *in, size_t n, int fast, int slow, int signal, double *macd,
                    double *signal_out, double *hist);

typedef struct stom_bollinger_value {
    double upper, middle, lower;
} stom_bollinger_value;

/* SMA +/- k population standard deviations, O(1) per update. */
typedef struct stom_bollinger {
    stom__ring win;
    double k, mean, m2; /* running mean and sum of squared deviations */
    bool ready;
} stom_bollinger;

/* period validated, k finite and >= 0. 0 or STOM_EINVAL. */
int stom_bollinger_init(stom_bollinger *b, int period, double k);
/* Returns the bands, all NAN for the first period-1 values. */
stom_bollinger_value stom_bollinger_update(stom_bollinger *b, double x);
/* Releases the window; NULL is a no-op. */
void stom_bollinger_free(stom_bollinger *b);
/* Batch bands; any output may be NULL. 0 or STOM_EINVAL. */
int stom_bollinger_batch(const double *in, size_t n, int period, double k, double *upper,
                         double *middle, double *lower);

/* ---- Window extremes and rate of change (indicator_window.c) ---- */

/* Highest of the last period values, O(1) amortized (monotonic deque). */
typedef struct stom_highest {
    stom__mono q;
    bool ready;
} stom_highest;

/* Lowest of the last period values, O(1) amortized (monotonic deque). */
typedef struct stom_lowest {
    stom__mono q;
    bool ready;
} stom_lowest;

/* Validates period and allocates the deque. 0 or STOM_EINVAL. */
int stom_highest_init(stom_highest *h, int period);
/* Returns the highest of the last period values, NAN for the first period-1. */
double stom_highest_update(stom_highest *h, double x);
/* Releases the deque; NULL is a no-op. */
void stom_highest_free(stom_highest *h);
/* Batch highest. 0 or STOM_EINVAL. Borrows in, out. */
int stom_highest_batch(const double *in, size_t n, int period, double *out);

/* Validates period and allocates the deque. 0 or STOM_EINVAL. */
int stom_lowest_init(stom_lowest *l, int period);
/* Returns the lowest of the last period values, NAN for the first period-1. */
double stom_lowest_update(stom_lowest *l, double x);
/* Releases the deque; NULL is a no-op. */
void stom_lowest_free(stom_lowest *l);
/* Batch lowest. 0 or STOM_EINVAL. Borrows in, out. */
int stom_lowest_batch(const double *in, size_t n, int period, double *out);

/* Rate of change in percent against the value period bars ago. */
typedef struct stom_roc {
    stom__ring win;
    bool ready;
} stom_roc;

/* Validates period and allocates the window. 0 or STOM_EINVAL. */
int stom_roc_init(stom_roc *r, int period);
/*
 * Returns 100 * (x - x[t-period]) / x[t-period]: NAN for the first period
 * values, and NAN (ready stays true) when x[t-period] is 0.
 */
double stom_roc_update(stom_roc *r, double x);
/* Releases the window; NULL is a no-op. */
void stom_roc_free(stom_roc *r);
/* Batch ROC. 0 or STOM_EINVAL. Borrows in, out. */
int stom_roc_batch(const double *in, size_t n, int period, double *out);

/* ---- Oscillators (indicator_oscillator.c) ---- */

/* Wilder's RSI, TA-Lib seeding; a window without any change reads 50. */
typedef struct stom_rsi {
    stom_ema gain, loss; /* Wilder averages (alpha 1/period) */
    double prev;
    bool has_prev;
    bool ready;
} stom_rsi;

/* Validates period. 0 or STOM_EINVAL. Holds no memory. */
int stom_rsi_init(stom_rsi *r, int period);
/* Returns RSI in [0, 100] from bar period on, NAN before. */
double stom_rsi_update(stom_rsi *r, double x);
/* Batch RSI. 0 or STOM_EINVAL. Borrows in, out. */
int stom_rsi_batch(const double *in, size_t n, int period, double *out);

typedef struct stom_stochastic_value {
    double k; /* %K (slow %K when k_smooth > 1) */
    double d; /* SMA of %K */
} stom_stochastic_value;

/* Stochastic oscillator; a flat range reads 50. */
typedef struct stom_stochastic {
    stom_highest hh;
    stom_lowest ll;
    stom_sma k_avg, d_avg;
    bool ready; /* d is defined */
} stom_stochastic;

/*
 * k_period bars for the range, k_smooth (1 = fast stochastic) and d_period
 * for the SMAs. 0 or STOM_EINVAL.
 */
int stom_stochastic_init(stom_stochastic *s, int k_period, int k_smooth, int d_period);
/* Returns %K from bar k_period+k_smooth-2 on, %D d_period-1 bars later (ready). */
stom_stochastic_value stom_stochastic_update(stom_stochastic *s, double high, double low,
                                             double close);
/* Releases the windows; NULL is a no-op. */
void stom_stochastic_free(stom_stochastic *s);
/* Batch stochastic; k or d may be NULL. 0 or STOM_EINVAL. */
int stom_stochastic_batch(const double *high, const double *low, const double *close, size_t n,
                          int k_period, int k_smooth, int d_period, double *k, double *d);

/* Williams %R in [-100, 0]; a flat range reads -50. */
typedef struct stom_williams_r {
    stom_highest hh;
    stom_lowest ll;
    bool ready;
} stom_williams_r;

/* Validates period and allocates the windows. 0 or STOM_EINVAL. */
int stom_williams_r_init(stom_williams_r *w, int period);
/* Returns %R, NAN for the first period-1 bars. */
double stom_williams_r_update(stom_williams_r *w, double high, double low, double close);
/* Releases the windows; NULL is a no-op. */
void stom_williams_r_free(stom_williams_r *w);
/* Batch %R. 0 or STOM_EINVAL. Borrows the arrays. */
int stom_williams_r_batch(const double *high, const double *low, const double *close, size_t n,
                          int period, double *out);

/* Commodity Channel Index; O(period) per update (mean absolute deviation). */
typedef struct stom_cci {
    stom__ring win; /* typical prices */
    bool ready;
} stom_cci;

/* Validates period and allocates the window. 0 or STOM_EINVAL. */
int stom_cci_init(stom_cci *c, int period);
/* Returns CCI, NAN for the first period-1 bars; 0 when the deviation is 0. */
double stom_cci_update(stom_cci *c, double high, double low, double close);
/* Releases the window; NULL is a no-op. */
void stom_cci_free(stom_cci *c);
/* Batch CCI. 0 or STOM_EINVAL. Borrows the arrays. */
int stom_cci_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *out);

/* ---- Trend: ATR and ADX (indicator_trend.c) ---- */

/* max(high - low, |high - prev_close|, |low - prev_close|). */
double stom_true_range(double high, double low, double prev_close);

/* Average true range with Wilder smoothing, TA-Lib seeding. */
typedef struct stom_atr {
    stom_ema avg; /* alpha 1/period over the true ranges */
    double prev_close;
    bool has_prev;
    bool ready;
} stom_atr;

/* Validates period. 0 or STOM_EINVAL. Holds no memory. */
int stom_atr_init(stom_atr *a, int period);
/* Returns ATR from bar period on (the first bar has no true range), NAN before. */
double stom_atr_update(stom_atr *a, double high, double low, double close);
/* Batch ATR. 0 or STOM_EINVAL. Borrows the arrays. */
int stom_atr_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *out);

typedef struct stom_adx_value {
    double adx;      /* Wilder average of dx */
    double plus_di;  /* +DI in [0, 100] */
    double minus_di; /* -DI in [0, 100] */
    double dx;       /* 100 * |+DI - -DI| / (+DI + -DI) */
} stom_adx_value;

/* Wilder's ADX with +DI/-DI, computed the way TA-Lib does. */
typedef struct stom_adx {
    int period;
    int64_t bars;
    double prev_high, prev_low, prev_close;
    double tr_sum, plus_sum, minus_sum; /* Wilder running sums */
    double dx_sum, adx;
    bool ready; /* adx is defined */
} stom_adx;

/* Validates period. 0 or STOM_EINVAL. Holds no memory. */
int stom_adx_init(stom_adx *a, int period);
/* Returns DI and dx from bar period on, adx from bar 2*period-1 on (ready). */
stom_adx_value stom_adx_update(stom_adx *a, double high, double low, double close);
/* Batch ADX; any of adx, plus_di, minus_di may be NULL. 0 or STOM_EINVAL. */
int stom_adx_batch(const double *high, const double *low, const double *close, size_t n, int period,
                   double *adx, double *plus_di, double *minus_di);

/* ---- Volume (indicator_volume.c) ---- */

/* On-balance volume, starting at the first bar's volume (TA-Lib). */
typedef struct stom_obv {
    double value, prev_close;
    bool ready;
} stom_obv;

/* Starts an OBV. Holds no memory. */
void stom_obv_init(stom_obv *o);
/* Returns OBV; defined from the first bar. */
double stom_obv_update(stom_obv *o, double close, double volume);
/* Batch OBV. 0 or STOM_EINVAL. Borrows the arrays. */
int stom_obv_batch(const double *close, const double *volume, size_t n, double *out);

/* Money flow index; a window without any flow reads 50. */
typedef struct stom_mfi {
    stom__ring pos, neg; /* positive and negative money flow per bar */
    double pos_sum, pos_comp, neg_sum, neg_comp;
    double prev_tp;
    bool has_prev;
    bool ready;
} stom_mfi;

/* Validates period and allocates the windows. 0 or STOM_EINVAL. */
int stom_mfi_init(stom_mfi *m, int period);
/* Returns MFI in [0, 100] from bar period on, NAN before. */
double stom_mfi_update(stom_mfi *m, double high, double low, double close, double volume);
/* Releases the windows; NULL is a no-op. */
void stom_mfi_free(stom_mfi *m);
/* Batch MFI. 0 or STOM_EINVAL. Borrows the arrays. */
int stom_mfi_batch(const double *high, const double *low, const double *close, const double *volume,
                   size_t n, int period, double *out);

/* Volume-weighted average typical price since the last session start. */
typedef struct stom_vwap {
    double pv, volume; /* sums of typical price * volume and of volume */
    bool ready;
} stom_vwap;

/* Starts a VWAP. Holds no memory. */
void stom_vwap_init(stom_vwap *v);
/*
 * Adds a bar; new_session clears the sums first (the caller decides where
 * sessions or days begin). Returns the VWAP, NAN while the session has no
 * volume yet.
 */
double stom_vwap_update(stom_vwap *v, double high, double low, double close, double volume,
                        bool new_session);
/*
 * Batch VWAP; new_session may be NULL (one session for the whole array).
 * 0 or STOM_EINVAL. Borrows the arrays.
 */
int stom_vwap_batch(const double *high, const double *low, const double *close,
                    const double *volume, const bool *new_session, size_t n, double *out);

#endif
