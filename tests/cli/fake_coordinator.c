/*
 * fake_coordinator.c - the scripted coordinator of fake_coordinator.h: one
 * thread answering rpc.backtester requests from a stom_bus_server.
 */
#include "fake_coordinator.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stom/bus_nng.h"

#define MAX_JOBS 16
#define ID_MAX   64

typedef enum behaviour { NORMAL = 0, FAILS, HANG } behaviour;

typedef struct fake_job {
    char id[ID_MAX];
    behaviour kind;
    int queries;
    bool cancelled;
} fake_job;

struct fake_coordinator {
    stom_bus_server *srv;
    stom_bus_sender sender;
    pthread_t thread;
    atomic_bool stop;
    atomic_int submits, queries, cancels;
    fake_job jobs[MAX_JOBS];
    size_t n_jobs;
    char last_job[ID_MAX];
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void reply(fake_coordinator *f, stom_bus_pending *p, ProtobufCMessage *body)
{
    Stom__V1__Envelope env;
    stom_bus_envelope_init(&env, &f->sender, now_ns());
    stom_bus_envelope_set_body(&env, body, NULL);
    stom_bus_server_reply(f->srv, p, "rpc.backtester", &env, NULL);
}

static fake_job *find(fake_coordinator *f, const char *id)
{
    for (size_t k = 0; id && k < f->n_jobs; k++)
        if (!strcmp(f->jobs[k].id, id))
            return &f->jobs[k];
    return NULL;
}

/* ---- job_spec and job_control ---------------------------------------------------- */

static void reply_status(fake_coordinator *f, stom_bus_pending *p, const char *id,
                         Stom__V1__JobState state, uint64_t done, Stom__V1__Error *err)
{
    Stom__V1__JobStatus st = STOM__V1__JOB_STATUS__INIT;
    Stom__V1__Progress pr = STOM__V1__PROGRESS__INIT;
    st.job_id = (char *)id;
    st.has_state = true;
    st.state = state;
    st.error = err;
    pr.has_done = pr.has_total = pr.has_elapsed_ms = pr.has_best_objective = true;
    pr.done = done;
    pr.total = 3;
    pr.elapsed_ms = 42000;
    pr.best_objective = 1234567;
    st.progress = &pr;
    reply(f, p, &st.base);
}

static void submit(fake_coordinator *f, stom_bus_pending *p, const Stom__V1__JobSpec *s)
{
    const char *sym = s->n_symbols ? s->symbols[0] : "";
    if (!strcmp(sym, "REFUSED")) {
        Stom__V1__Error err = STOM__V1__ERROR__INIT;
        err.has_code = true;
        err.code = STOM__V1__ERROR_CODE__ERROR_CODE_INVALID_ARGUMENT;
        err.message = "no 1d bars of REFUSED in the job's period";
        atomic_fetch_add(&f->submits, 1);
        reply_status(f, p, s->job_id, STOM__V1__JOB_STATE__JOB_STATE_FAILED, 0, &err);
        return;
    }
    fake_job *j = find(f, s->job_id);
    if (j == NULL && f->n_jobs < MAX_JOBS && s->job_id) {
        j = &f->jobs[f->n_jobs++];
        snprintf(j->id, sizeof j->id, "%s", s->job_id);
        j->kind = !strcmp(sym, "FAILS") ? FAILS : !strcmp(sym, "HANG") ? HANG : NORMAL;
    }
    snprintf(f->last_job, sizeof f->last_job, "%s", s->job_id ? s->job_id : "");
    atomic_fetch_add(&f->submits, 1); /* after last_job: a reader sees the count, then the id */
    reply_status(f, p, s->job_id, STOM__V1__JOB_STATE__JOB_STATE_QUEUED, 0, NULL);
}

static void query(fake_coordinator *f, stom_bus_pending *p, fake_job *j)
{
    atomic_fetch_add(&f->queries, 1);
    j->queries++;
    if (j->cancelled)
        reply_status(f, p, j->id, STOM__V1__JOB_STATE__JOB_STATE_CANCELLED, 1, NULL);
    else if (j->kind == HANG || (j->kind == NORMAL && j->queries == 1))
        reply_status(f, p, j->id, STOM__V1__JOB_STATE__JOB_STATE_RUNNING, 1, NULL);
    else if (j->kind == NORMAL)
        reply_status(f, p, j->id, STOM__V1__JOB_STATE__JOB_STATE_DONE, 3, NULL);
    else {
        Stom__V1__Error err = STOM__V1__ERROR__INIT;
        err.message = "strategy.lua:3: boom";
        reply_status(f, p, j->id, STOM__V1__JOB_STATE__JOB_STATE_FAILED, 1, &err);
    }
}

static void control(fake_coordinator *f, stom_bus_pending *p, const Stom__V1__JobControl *jc)
{
    fake_job *j = find(f, jc->job_id);
    if (j == NULL && jc->job_id && !strncmp(jc->job_id, "j-0000", 6) && f->n_jobs < MAX_JOBS) {
        /* Jobs of the list below exist without having been submitted here. */
        j = &f->jobs[f->n_jobs++];
        snprintf(j->id, sizeof j->id, "%s", jc->job_id);
    }
    if (j == NULL) {
        Stom__V1__Error err = STOM__V1__ERROR__INIT;
        err.has_code = true;
        err.code = STOM__V1__ERROR_CODE__ERROR_CODE_NOT_FOUND;
        err.message = "no such job";
        reply_status(f, p, jc->job_id, STOM__V1__JOB_STATE__JOB_STATE_FAILED, 0, &err);
        return;
    }
    if (jc->action == STOM__V1__JOB_ACTION__JOB_ACTION_CANCEL) {
        atomic_fetch_add(&f->cancels, 1);
        j->cancelled = true;
    }
    query(f, p, j);
}

/* ---- results_query ------------------------------------------------------------------ */

typedef struct result_storage {
    Stom__V1__TaskResult r[3];
    Stom__V1__TaskResult *rp[3];
    Stom__V1__Metrics m[3];
    Stom__V1__Param prm[3][2];
    Stom__V1__Param *pp[3][2];
    char *violated[1];
} result_storage;

static void metrics(Stom__V1__Metrics *m, int64_t tg, double mdd)
{
    stom__v1__metrics__init(m);
    m->has_net_profit = m->has_max_drawdown_pct = m->has_trades = true;
    m->has_win_rate_pct = m->has_sum_trade_pct = m->has_stom_cagr_pct = m->has_return_pct = true;
    m->net_profit = tg;
    m->max_drawdown_pct = mdd;
    m->trades = 42;
    m->win_rate_pct = 55.5;
    m->sum_trade_pct = 12.34;
    m->stom_cagr_pct = 8.5;
    m->return_pct = 12.3;
}

static void result(result_storage *s, int k, int fast, int64_t tg, double mdd)
{
    Stom__V1__TaskResult *r = &s->r[k];
    stom__v1__task_result__init(r);
    static const char *names[] = {"fast", "slow"};
    for (int i = 0; i < 2; i++) {
        stom__v1__param__init(&s->prm[k][i]);
        s->prm[k][i].name = (char *)names[i];
        s->prm[k][i].value_case = STOM__V1__PARAM__VALUE_INT_VALUE;
        s->prm[k][i].int_value = i ? 20 : fast;
        s->pp[k][i] = &s->prm[k][i];
    }
    r->n_params = 2;
    r->params = s->pp[k];
    metrics(&s->m[k], tg, mdd);
    r->metrics = &s->m[k];
    r->has_status = r->has_objective = r->has_constraints_met = true;
    r->status = STOM__V1__TASK_STATUS__TASK_STATUS_OK;
    r->objective = (double)tg;
    r->constraints_met = true;
    s->rp[k] = r;
}

static void results(fake_coordinator *f, stom_bus_pending *p, const Stom__V1__ResultsQuery *q)
{
    result_storage s;
    result(&s, 0, 5, 1234567, 4.5);
    result(&s, 1, 10, 2345678, 15.25);
    s.r[1].constraints_met = false;
    s.r[1].objective = -INFINITY;
    s.violated[0] = "mdd<=10";
    s.r[1].n_violated = 1;
    s.r[1].violated = s.violated;
    result(&s, 2, 15, 0, 0);
    s.r[2].status = STOM__V1__TASK_STATUS__TASK_STATUS_FAILED;
    s.r[2].error = "strategy.lua:7: attempt to index a nil value";
    s.r[2].metrics = NULL;
    s.r[2].objective = -INFINITY;

    Stom__V1__FoldBest fb = STOM__V1__FOLD_BEST__INIT, *fbp = &fb;
    Stom__V1__Fold fold = STOM__V1__FOLD__INIT;
    Stom__V1__Period train = STOM__V1__PERIOD__INIT, test = STOM__V1__PERIOD__INIT;
    Stom__V1__Metrics oos;
    train.has_from_ns = train.has_to_ns = test.has_from_ns = test.has_to_ns = true;
    train.from_ns = INT64_C(1704034800) * 1000000000;              /* 2024-01-01 KST */
    train.to_ns = test.from_ns = INT64_C(1711897200) * 1000000000; /* 2024-04-01 KST */
    test.to_ns = INT64_C(1719759600) * 1000000000;                 /* 2024-07-01 KST */
    fold.train = &train;
    fold.test = &test;
    metrics(&oos, -50000, 3.0);
    fb.fold = &fold;
    fb.has_objective = fb.has_test_objective = true;
    fb.objective = 1234567;
    fb.test_objective = -50000;
    fb.n_params = 2;
    fb.params = s.pp[0];
    fb.in_sample = &s.m[0];
    fb.out_of_sample = &oos;

    Stom__V1__ResultsPage page = STOM__V1__RESULTS_PAGE__INIT;
    page.job_id = q->job_id;
    page.has_total = true;
    page.total = 3;
    page.n_results = q->limit > 0 && q->limit < 3 ? q->limit : 3;
    page.results = s.rp;
    page.n_best = 1;
    page.best = &fbp;
    reply(f, p, &page.base);
}

/* ---- job_list_query ----------------------------------------------------------------- */

static void list(fake_coordinator *f, stom_bus_pending *p)
{
    Stom__V1__JobStatus st[2] = {STOM__V1__JOB_STATUS__INIT, STOM__V1__JOB_STATUS__INIT};
    Stom__V1__JobSpec spec[2] = {STOM__V1__JOB_SPEC__INIT, STOM__V1__JOB_SPEC__INIT};
    Stom__V1__Progress pr[2] = {STOM__V1__PROGRESS__INIT, STOM__V1__PROGRESS__INIT};
    Stom__V1__JobStatus *ptrs[2] = {&st[0], &st[1]};
    static char *ids[] = {"j-000000000002", "j-000000000001"};
    for (int k = 0; k < 2; k++) {
        st[k].job_id = ids[k];
        st[k].has_state = st[k].has_submitted_ns = true;
        st[k].state =
            k ? STOM__V1__JOB_STATE__JOB_STATE_DONE : STOM__V1__JOB_STATE__JOB_STATE_RUNNING;
        st[k].submitted_ns = INT64_C(1717200000) * 1000000000; /* 2024-06-01 09:00 KST */
        spec[k].strategy_name = "sma_cross";
        spec[k].has_method = spec[k].has_objective = true;
        spec[k].method = STOM__V1__OPTIMIZE_METHOD__OPTIMIZE_METHOD_GRID;
        spec[k].objective = STOM__V1__OBJECTIVE__OBJECTIVE_TG;
        st[k].spec = &spec[k];
        pr[k].has_done = pr[k].has_total = pr[k].has_best_objective = true;
        pr[k].done = k ? 1000 : 412;
        pr[k].total = 1000;
        pr[k].best_objective = 1234567;
        st[k].progress = &pr[k];
    }
    Stom__V1__JobList jl = STOM__V1__JOB_LIST__INIT;
    jl.n_jobs = 2;
    jl.jobs = ptrs;
    reply(f, p, &jl.base);
}

/* ---- the thread ------------------------------------------------------------------------ */

static void handle(fake_coordinator *f, stom_bus_pending *p)
{
    const Stom__V1__Envelope *env = stom_bus_pending_msg(p)->env;
    switch (env->body_case) {
    case STOM__V1__ENVELOPE__BODY_JOB_SPEC:
        submit(f, p, env->job_spec);
        break;
    case STOM__V1__ENVELOPE__BODY_JOB_CONTROL:
        control(f, p, env->job_control);
        break;
    case STOM__V1__ENVELOPE__BODY_RESULTS_QUERY:
        results(f, p, env->results_query);
        break;
    case STOM__V1__ENVELOPE__BODY_JOB_LIST_QUERY:
        list(f, p);
        break;
    default: {
        Stom__V1__Error err = STOM__V1__ERROR__INIT;
        err.message = "the fake coordinator does not take that";
        reply(f, p, &err.base);
    }
    }
}

static void *serve(void *arg)
{
    fake_coordinator *f = arg;
    while (!atomic_load(&f->stop)) {
        stom_bus_pending *p = NULL;
        if (stom_bus_server_next(f->srv, 50, &p) == STOM_OK)
            handle(f, p);
    }
    return NULL;
}

fake_coordinator *fake_coordinator_start(const char *url)
{
    fake_coordinator *f = calloc(1, sizeof *f);
    if (f == NULL || stom_bus_server_open(&f->srv, url, "fake-coordinator", 4, 0, NULL) != 0) {
        free(f);
        return NULL;
    }
    stom_bus_sender_init(&f->sender, "fake-coordinator", NULL);
    if (pthread_create(&f->thread, NULL, serve, f) != 0) {
        stom_bus_server_close(f->srv);
        free(f);
        return NULL;
    }
    return f;
}

void fake_coordinator_stop(fake_coordinator *f)
{
    if (f == NULL)
        return;
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    stom_bus_server_close(f->srv);
    free(f);
}

int fake_coordinator_submits(fake_coordinator *f)
{
    return atomic_load(&f->submits);
}

int fake_coordinator_queries(fake_coordinator *f)
{
    return atomic_load(&f->queries);
}

int fake_coordinator_cancels(fake_coordinator *f)
{
    return atomic_load(&f->cancels);
}

const char *fake_coordinator_last_job(fake_coordinator *f)
{
    return f->last_job;
}
