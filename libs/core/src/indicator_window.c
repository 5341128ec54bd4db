/*
 * indicator_window.c - the windows every indicator is built on (ring buffer,
 * compensated sums, monotonic deque) and the indicators that are little more
 * than a window: highest, lowest and rate of change.
 *
 * Highest/lowest keep a deque of the window's values in decreasing order
 * (front = extreme). A new value first drops the front if it has left the
 * window, then every back value it dominates, so each value is pushed and
 * popped at most once: O(1) amortized. The deque never holds more than
 * period values, so it is a ring of period slots allocated at init. Lowest
 * stores negated values in the same max-deque; negation is exact.
 */
#include "stom/indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stom/alloc.h"

bool stom__period_ok(int period)
{
    return period >= 1 && period <= STOM_IND_MAX_PERIOD;
}

void stom__sum_add(double *sum, double *comp, double x)
{
    /* Neumaier: keep the low-order bits that the addition rounds away. */
    double t = *sum + x;
    if (fabs(*sum) >= fabs(x))
        *comp += (*sum - t) + x;
    else
        *comp += (x - t) + *sum;
    *sum = t;
}

double stom__sum(const double *a, int n)
{
    double sum = 0.0, comp = 0.0;
    for (int i = 0; i < n; i++)
        stom__sum_add(&sum, &comp, a[i]);
    return sum + comp;
}

void stom__ring_init(stom__ring *r, int cap)
{
    r->buf = stom_xcalloc((size_t)cap, sizeof(double));
    r->cap = cap;
    r->len = 0;
    r->head = 0;
}

bool stom__ring_push(stom__ring *r, double x, double *evicted)
{
    bool full = r->len == r->cap;
    if (full)
        *evicted = r->buf[r->head];
    else
        r->len++;
    r->buf[r->head] = x;
    r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
    return full;
}

void stom__ring_free(stom__ring *r)
{
    free(r->buf);
    memset(r, 0, sizeof(*r));
}

/* ---- monotonic deque ---- */

void stom__mono_init(stom__mono *q, int period, double sign)
{
    q->val = stom_xcalloc((size_t)period, sizeof(double));
    q->seq = stom_xcalloc((size_t)period, sizeof(int64_t));
    q->cap = period;
    q->front = 0;
    q->len = 0;
    q->count = 0;
    q->sign = sign;
}

static int mono_slot(const stom__mono *q, int i)
{
    int s = q->front + i;
    return s >= q->cap ? s - q->cap : s;
}

double stom__mono_push(stom__mono *q, double x)
{
    double v = q->sign * x;
    int64_t now = q->count++;
    /* The front left the window when it arrived period or more values ago. */
    if (q->len > 0 && q->seq[q->front] <= now - q->cap) {
        q->front = mono_slot(q, 1);
        q->len--;
    }
    /* A value no greater than the newcomer can never be the extreme again. */
    while (q->len > 0 && q->val[mono_slot(q, q->len - 1)] <= v)
        q->len--;
    int back = mono_slot(q, q->len);
    q->val[back] = v;
    q->seq[back] = now;
    q->len++;
    return q->sign * q->val[q->front];
}

void stom__mono_free(stom__mono *q)
{
    free(q->val);
    free(q->seq);
    memset(q, 0, sizeof(*q));
}

/* ---- highest / lowest ---- */

int stom_highest_init(stom_highest *h, int period)
{
    memset(h, 0, sizeof(*h));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__mono_init(&h->q, period, 1.0);
    return 0;
}

double stom_highest_update(stom_highest *h, double x)
{
    double m = stom__mono_push(&h->q, x);
    h->ready = h->q.count >= h->q.cap;
    return h->ready ? m : NAN;
}

void stom_highest_free(stom_highest *h)
{
    if (h != NULL)
        stom__mono_free(&h->q);
}

int stom_highest_batch(const double *in, size_t n, int period, double *out)
{
    stom_highest h;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_highest_init(&h, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_highest_update(&h, in[i]);
    stom_highest_free(&h);
    return 0;
}

int stom_lowest_init(stom_lowest *l, int period)
{
    memset(l, 0, sizeof(*l));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__mono_init(&l->q, period, -1.0);
    return 0;
}

double stom_lowest_update(stom_lowest *l, double x)
{
    double m = stom__mono_push(&l->q, x);
    l->ready = l->q.count >= l->q.cap;
    return l->ready ? m : NAN;
}

void stom_lowest_free(stom_lowest *l)
{
    if (l != NULL)
        stom__mono_free(&l->q);
}

int stom_lowest_batch(const double *in, size_t n, int period, double *out)
{
    stom_lowest l;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_lowest_init(&l, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_lowest_update(&l, in[i]);
    stom_lowest_free(&l);
    return 0;
}

/* ---- rate of change ---- */

int stom_roc_init(stom_roc *r, int period)
{
    memset(r, 0, sizeof(*r));
    if (!stom__period_ok(period))
        return STOM_EINVAL;
    stom__ring_init(&r->win, period);
    return 0;
}

double stom_roc_update(stom_roc *r, double x)
{
    double base = 0.0;
    /* The ring holds the last period values, so the evicted one is x[t-period]. */
    r->ready = stom__ring_push(&r->win, x, &base);
    if (!r->ready || base == 0.0)
        return NAN;
    return 100.0 * (x - base) / base;
}

void stom_roc_free(stom_roc *r)
{
    if (r != NULL)
        stom__ring_free(&r->win);
}

int stom_roc_batch(const double *in, size_t n, int period, double *out)
{
    stom_roc r;
    if (n > 0 && (in == NULL || out == NULL))
        return STOM_EINVAL;
    int rc = stom_roc_init(&r, period);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = stom_roc_update(&r, in[i]);
    stom_roc_free(&r);
    return 0;
}
